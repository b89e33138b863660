#include "client/lambda.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "wire.h"

static void q_page(buf *q, const lambda_page *pg) {
    if (!pg) return;
    wire_q_str(q, "Marker", pg->marker);
    if (pg->max_items > 0) buf_printf(q, "%sMaxItems=%d", q->len ? "&" : "", pg->max_items);
}

/* Blobs travel base64-encoded in rest-json bodies. */
static void b_blob(cJSON *b, const char *key, const void *data, size_t len) {
    char *enc = xmalloc(4 * ((len + 2) / 3) + 1);
    EVP_EncodeBlock((unsigned char *)enc, data, (int)len);
    json_set_str(b, key, enc);
    free(enc);
}

static buf qualifier_query(const char *qualifier) {
    buf q = BUF_INIT;
    wire_q_str(&q, "Qualifier", qualifier);
    return q;
}

char *lambda_function_arn(const char *region, const char *account, const char *name,
                          const char *qualifier) {
    return xasprintf("arn:aws:lambda:%s:%s:function:%s%s%s", region, account, name,
                     qualifier ? ":" : "", qualifier ? qualifier : "");
}

/* --- functions ------------------------------------------------------------------------ */

/* The members CreateFunction and UpdateFunctionConfiguration share. */
static void config_members(cJSON *b, const lambda_function_in *in) {
    wire_str(b, "Runtime", in->runtime);
    wire_str(b, "Handler", in->handler);
    wire_str(b, "Description", in->description);
    wire_int(b, "Timeout", in->timeout);
    wire_int(b, "MemorySize", in->memory_size);
    if (in->environment) wire_json(json_child_obj(b, "Environment"), "Variables", in->environment);
}

void *lambda_create_function(client *c, const char *name, const char *role, const void *zip,
                             size_t zip_len, const lambda_function_in *in, client_done_fn done,
                             void *ud) {
    cJSON *b = cJSON_CreateObject();
    json_set_str(b, "FunctionName", name);
    json_set_str(b, "Role", role);
    b_blob(json_child_obj(b, "Code"), "ZipFile", zip, zip_len);
    if (in) {
        config_members(b, in);
        wire_flag(b, "Publish", in->publish);
        wire_json(b, "Tags", in->tags);
    }
    return wire_call(c, LAMBDA_CreateFunction, NULL, 0, NULL, b, done, ud);
}

void *lambda_get_function(client *c, const char *name, const char *qualifier, client_done_fn done,
                          void *ud) {
    buf q = qualifier_query(qualifier);
    return wire_call(c, LAMBDA_GetFunction, WIRE_PARAMS(name), &q, NULL, done, ud);
}

void *lambda_get_function_configuration(client *c, const char *name, const char *qualifier,
                                        client_done_fn done, void *ud) {
    buf q = qualifier_query(qualifier);
    return wire_call(c, LAMBDA_GetFunctionConfiguration, WIRE_PARAMS(name), &q, NULL, done, ud);
}

void *lambda_list_functions(client *c, const lambda_page *pg, bool all_versions,
                            client_done_fn done, void *ud) {
    buf q = BUF_INIT;
    if (all_versions) wire_q_str(&q, "FunctionVersion", "ALL");
    q_page(&q, pg);
    return wire_call(c, LAMBDA_ListFunctions, NULL, 0, &q, NULL, done, ud);
}

void *lambda_delete_function(client *c, const char *name, const char *qualifier,
                             client_done_fn done, void *ud) {
    buf q = qualifier_query(qualifier);
    return wire_call(c, LAMBDA_DeleteFunction, WIRE_PARAMS(name), &q, NULL, done, ud);
}

void *lambda_update_function_code(client *c, const char *name, const void *zip, size_t zip_len,
                                  const lambda_code_in *in, client_done_fn done, void *ud) {
    cJSON *b = cJSON_CreateObject();
    b_blob(b, "ZipFile", zip, zip_len);
    if (in) {
        wire_flag(b, "Publish", in->publish);
        wire_flag(b, "DryRun", in->dry_run);
        wire_str(b, "RevisionId", in->revision_id);
    }
    return wire_call(c, LAMBDA_UpdateFunctionCode, WIRE_PARAMS(name), NULL, b, done, ud);
}

void *lambda_update_function_configuration(client *c, const char *name,
                                           const lambda_function_in *in, client_done_fn done,
                                           void *ud) {
    cJSON *b = cJSON_CreateObject();
    if (in) {
        config_members(b, in);
        wire_str(b, "Role", in->role);
        wire_str(b, "RevisionId", in->revision_id);
    }
    return wire_call(c, LAMBDA_UpdateFunctionConfiguration, WIRE_PARAMS(name), NULL, b, done, ud);
}

/* --- versions --------------------------------------------------------------------------- */

void *lambda_publish_version(client *c, const char *name, const lambda_publish_in *in,
                             client_done_fn done, void *ud) {
    cJSON *b = cJSON_CreateObject();
    if (in) {
        wire_str(b, "CodeSha256", in->code_sha256);
        wire_str(b, "Description", in->description);
        wire_str(b, "RevisionId", in->revision_id);
    }
    return wire_call(c, LAMBDA_PublishVersion, WIRE_PARAMS(name), NULL, b, done, ud);
}

void *lambda_list_versions_by_function(client *c, const char *name, const lambda_page *pg,
                                       client_done_fn done, void *ud) {
    buf q = BUF_INIT;
    q_page(&q, pg);
    return wire_call(c, LAMBDA_ListVersionsByFunction, WIRE_PARAMS(name), &q, NULL, done, ud);
}

/* --- aliases ------------------------------------------------------------------------------ */

static void alias_members(cJSON *b, const lambda_alias_in *in) {
    wire_str(b, "Description", in->description);
    if (in->weights)
        wire_json(json_child_obj(b, "RoutingConfig"), "AdditionalVersionWeights", in->weights);
}

void *lambda_create_alias(client *c, const char *name, const char *alias, const char *version,
                          const lambda_alias_in *in, client_done_fn done, void *ud) {
    cJSON *b = cJSON_CreateObject();
    json_set_str(b, "Name", alias);
    json_set_str(b, "FunctionVersion", version);
    if (in) alias_members(b, in);
    return wire_call(c, LAMBDA_CreateAlias, WIRE_PARAMS(name), NULL, b, done, ud);
}

void *lambda_get_alias(client *c, const char *name, const char *alias, client_done_fn done,
                       void *ud) {
    return wire_call(c, LAMBDA_GetAlias, WIRE_PARAMS(name, alias), NULL, NULL, done, ud);
}

void *lambda_list_aliases(client *c, const char *name, const char *function_version,
                          const lambda_page *pg, client_done_fn done, void *ud) {
    buf q = BUF_INIT;
    wire_q_str(&q, "FunctionVersion", function_version);
    q_page(&q, pg);
    return wire_call(c, LAMBDA_ListAliases, WIRE_PARAMS(name), &q, NULL, done, ud);
}

void *lambda_update_alias(client *c, const char *name, const char *alias, const lambda_alias_in *in,
                          client_done_fn done, void *ud) {
    cJSON *b = cJSON_CreateObject();
    if (in) {
        wire_str(b, "FunctionVersion", in->function_version);
        alias_members(b, in);
        wire_str(b, "RevisionId", in->revision_id);
    }
    return wire_call(c, LAMBDA_UpdateAlias, WIRE_PARAMS(name, alias), NULL, b, done, ud);
}

void *lambda_delete_alias(client *c, const char *name, const char *alias, client_done_fn done,
                          void *ud) {
    return wire_call(c, LAMBDA_DeleteAlias, WIRE_PARAMS(name, alias), NULL, NULL, done, ud);
}

/* --- resource-based policy ------------------------------------------------------------------ */

void *lambda_add_permission(client *c, const char *name, const char *statement_id,
                            const char *action, const char *principal,
                            const lambda_permission_in *in, client_done_fn done, void *ud) {
    cJSON *b = cJSON_CreateObject();
    json_set_str(b, "StatementId", statement_id);
    json_set_str(b, "Action", action);
    json_set_str(b, "Principal", principal);
    buf q = BUF_INIT;
    if (in) {
        wire_str(b, "SourceArn", in->source_arn);
        wire_str(b, "SourceAccount", in->source_account);
        wire_str(b, "EventSourceToken", in->event_source_token);
        wire_str(b, "RevisionId", in->revision_id);
        wire_str(b, "PrincipalOrgID", in->principal_org_id);
        wire_str(b, "FunctionUrlAuthType", in->function_url_auth_type);
        wire_q_str(&q, "Qualifier", in->qualifier);
    }
    return wire_call(c, LAMBDA_AddPermission, WIRE_PARAMS(name), &q, b, done, ud);
}

void *lambda_get_policy(client *c, const char *name, const char *qualifier, client_done_fn done,
                        void *ud) {
    buf q = qualifier_query(qualifier);
    return wire_call(c, LAMBDA_GetPolicy, WIRE_PARAMS(name), &q, NULL, done, ud);
}

void *lambda_remove_permission(client *c, const char *name, const char *statement_id,
                               const char *qualifier, const char *revision_id, client_done_fn done,
                               void *ud) {
    buf q = qualifier_query(qualifier);
    wire_q_str(&q, "RevisionId", revision_id);
    return wire_call(c, LAMBDA_RemovePermission, WIRE_PARAMS(name, statement_id), &q, NULL, done,
                     ud);
}

/* --- invoking ----------------------------------------------------------------------------------
 * Invoke's payload is raw bytes both ways and its outcome travels in
 * headers, so it goes to the transport directly instead of through
 * client_call (which speaks JSON documents only). */

typedef struct invoke_call {
    client_done_fn done;
    void *ud;
    client *c;
    unsigned long watched; /* the observer's event, 0: none */
} invoke_call;

static void invoke_error(const http_response *r, err *e) {
    const char *type = http_headers_get(&r->headers, "x-amzn-ErrorType");
    char code[64] = "";
    if (type) snprintf(code, sizeof code, "%.*s", (int)strcspn(type, ":"), type);
    cJSON *body = r->body_len ? cJSON_ParseWithLength(r->body, r->body_len) : NULL;
    const char *msg = json_str(body, "Message");
    if (!msg) msg = json_str(body, "message");
    if (msg)
        err_set(e, r->status, code, "%s", msg);
    else
        err_set(e, r->status, code, "HTTP %d: %.200s", r->status, r->body_len ? r->body : "");
    cJSON_Delete(body);
}

static void on_invoke(void *ud, const http_response *r, const err *terr) {
    invoke_call *k = ud;
    if (!r) {
        client_observe_end(k->c, k->watched, LAMBDA_Invoke, terr);
        k->done(k->ud, NULL, terr);
    } else if (r->status >= 300) {
        err e;
        invoke_error(r, &e);
        client_observe_end(k->c, k->watched, LAMBDA_Invoke, &e);
        k->done(k->ud, NULL, &e);
    } else {
        static const char *const headers[][2] = {{"X-Amz-Function-Error", "FunctionError"},
                                                 {"X-Amz-Log-Result", "LogResult"},
                                                 {"X-Amz-Executed-Version", "ExecutedVersion"}};
        cJSON *res = cJSON_CreateObject();
        json_set_num(res, "StatusCode", r->status);
        char *payload = xstrndup(r->body ? r->body : "", r->body_len);
        json_set_str(res, "Payload", payload);
        free(payload);
        for (size_t i = 0; i < sizeof headers / sizeof *headers; i++)
            wire_str(res, headers[i][1], http_headers_get(&r->headers, headers[i][0]));
        client_observe_end(k->c, k->watched, LAMBDA_Invoke, NULL);
        k->done(k->ud, res, NULL);
        cJSON_Delete(res);
    }
    free(k);
}

void *lambda_invoke(client *c, const char *name, const void *payload, size_t len,
                    const lambda_invoke_in *in, client_done_fn done, void *ud) {
    char *path = aws_op_path(LAMBDA_Invoke, WIRE_PARAMS(name));
    http_request *req = http_request_new(aws_op_get(LAMBDA_Invoke)->verb, path);
    free(path);
    req->service = xstrdup(aws_service_name(SVC_LAMBDA));
    req->region = xstrdup(client_region(c));
    http_headers_add(&req->headers, "Accept", "application/json");
    if (in) {
        buf q = qualifier_query(in->qualifier);
        if (q.len) req->query = buf_steal(&q);
        buf_free(&q);
        static const char *const names[] = {"X-Amz-Invocation-Type", "X-Amz-Log-Type",
                                            "X-Amz-Client-Context"};
        const char *values[] = {in->invocation_type, in->log_type, in->client_context};
        for (size_t i = 0; i < 3; i++)
            if (values[i]) http_headers_add(&req->headers, names[i], values[i]);
    }
    if (payload && len) {
        http_request_set_body(req, payload, len);
        http_headers_add(&req->headers, "Content-Type", "application/json");
    }
    invoke_call *k = xcalloc(1, sizeof *k);
    k->done = done;
    k->ud = ud;
    k->c = c;
    /* The activity log shows invocations too, as `aws lambda invoke`. */
    err pe;
    cJSON *shown = payload && len ? json_parse(payload, len, &pe) : NULL;
    k->watched = client_observe_start(c, LAMBDA_Invoke, WIRE_PARAMS(name), req->query, shown);
    cJSON_Delete(shown);
    transport_submit(client_transport(c), req, on_invoke, k);
    return ud;
}
