/* Saving a method's integration as the AWS console does (see ui/integ.h).
 *
 * One job: [GetFunction when the account is not known yet] → PutIntegration
 * → for non-proxy integrations GetMethod, then the default 200 method
 * response and integration response where missing → the Lambda
 * permission (AddPermission, or for a function named through a stage
 * variable the dialog with one command per stage). */
#include "ui/integ.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/apigw.h"
#include "client/lambda.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"
#include "ui/job.h"

#define LAMBDA_PATH ":lambda:path/2015-03-31/functions/"
#define INVOCATIONS "/invocations"
#define SV_OPEN "${stageVariables."

/* --- pure pieces ------------------------------------------------------------------ */

const char *integ_type(const integ_spec *s) {
    switch (s->kind) {
    case INTEG_LAMBDA: return s->proxy ? "AWS_PROXY" : "AWS";
    case INTEG_HTTP: return s->proxy ? "HTTP_PROXY" : "HTTP";
    case INTEG_MOCK: return "MOCK";
    case INTEG_AWS: break;
    }
    return "AWS";
}

integ_kind integ_kind_of(const cJSON *in, bool *proxy) {
    const char *type = json_str_or(in, "type", "");
    const char *uri = json_str_or(in, "uri", "");
    bool lambda = strstr(uri, LAMBDA_PATH) != NULL;
    *proxy = strcmp(type, "AWS_PROXY") == 0 || strcmp(type, "HTTP_PROXY") == 0;
    if (strcmp(type, "MOCK") == 0) return INTEG_MOCK;
    if (str_starts(type, "HTTP")) return INTEG_HTTP;
    if (lambda) return INTEG_LAMBDA;
    *proxy = false;
    return INTEG_AWS;
}

char *integ_stage_var(const char *text) {
    const char *p = text ? strstr(text, SV_OPEN) : NULL;
    if (!p) return NULL;
    p += strlen(SV_OPEN);
    const char *end = strchr(p, '}');
    if (!end || end == p) return NULL;
    return xstrndup(p, (size_t)(end - p));
}

char *integ_substitute(const char *text, const char *var, const char *value) {
    char *needle = xasprintf(SV_OPEN "%s}", var);
    size_t nl = strlen(needle);
    buf b = BUF_INIT;
    buf_puts(&b, "");
    for (const char *p = text; *p;) {
        const char *at = strstr(p, needle);
        if (!at) {
            buf_puts(&b, p);
            break;
        }
        buf_add(&b, p, (size_t)(at - p));
        buf_puts(&b, value);
        p = at + nl;
    }
    free(needle);
    return buf_steal(&b);
}

/* Field i (0-based) of a colon-separated ARN: malloc'd, or NULL. */
static char *arn_field(const char *arn, int i) {
    const char *p = arn;
    for (int k = 0; k < i; k++) {
        p = strchr(p, ':');
        if (!p) return NULL;
        p++;
    }
    const char *end = strchr(p, ':');
    return xstrndup(p, end ? (size_t)(end - p) : strlen(p));
}

char *integ_arn_account(const char *arn) {
    if (!arn || !str_starts(arn, "arn:")) return NULL;
    char *acct = arn_field(arn, 4);
    if (acct && !*acct) {
        free(acct);
        return NULL;
    }
    return acct;
}

static char *trimmed(const char *s) {
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return xstrndup(s, n);
}

/* arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER] */
static int parse_arn(char *t, integ_fn *out) {
    char *service = arn_field(t, 2), *kind = arn_field(t, 5), *name = arn_field(t, 6);
    bool ok = service && kind && name && strcmp(service, "lambda") == 0 &&
              strcmp(kind, "function") == 0 && *name;
    free(service);
    free(kind);
    free(name);
    if (!ok) return -1;
    out->region = arn_field(t, 3);
    out->account = arn_field(t, 4);
    /* the qualifier starts after the 7th colon */
    char *p = t;
    for (int k = 0; k < 7 && p; k++)
        p = strchr(p + (k ? 1 : 0), ':');
    if (p) {
        out->qualifier = xstrdup(p + 1);
        *p = '\0';
    }
    out->name = xstrdup(t);
    return 0;
}

int integ_fn_parse(const char *text, integ_fn *out) {
    memset(out, 0, sizeof *out);
    char *t = trimmed(text ? text : "");
    int rc = 0;
    if (str_starts(t, "arn:")) {
        rc = parse_arn(t, out);
    } else {
        char *colon = strchr(t, ':');
        if (colon) {
            out->qualifier = xstrdup(colon + 1);
            *colon = '\0';
        }
        out->name = xstrdup(t);
        rc = *t ? 0 : -1;
    }
    free(t);
    if (rc != 0)
        integ_fn_free(out);
    else if (out->qualifier && !*out->qualifier) {
        free(out->qualifier);
        out->qualifier = NULL;
    }
    return rc;
}

void integ_fn_free(integ_fn *f) {
    free(f->name);
    free(f->qualifier);
    free(f->region);
    free(f->account);
    memset(f, 0, sizeof *f);
}

char *integ_fn_arn(const char *region, const char *account, const char *text) {
    integ_fn fn;
    if (integ_fn_parse(text, &fn) != 0) return NULL;
    char *arn = NULL;
    if (fn.account) /* typed as an ARN: kept as it is */
        arn = fn.qualifier ? xasprintf("%s:%s", fn.name, fn.qualifier) : xstrdup(fn.name);
    else if (account)
        arn = lambda_function_arn(region, account, fn.name, fn.qualifier);
    integ_fn_free(&fn);
    return arn;
}

char *integ_uri(const integ_spec *s, const char *region, const char *account) {
    if (s->kind == INTEG_MOCK) return NULL;
    if (s->kind != INTEG_LAMBDA) return s->uri ? xstrdup(s->uri) : NULL;
    integ_fn fn;
    if (integ_fn_parse(s->function, &fn) != 0) return NULL;
    char *arn = integ_fn_arn(region, account, s->function);
    /* Lambda is called in the function's own region */
    char *uri = arn ? apigw_lambda_uri(fn.region ? fn.region : region, arn) : NULL;
    free(arn);
    integ_fn_free(&fn);
    return uri;
}

char *integ_fn_of_uri(const char *uri, const char *region, const char *account) {
    const char *p = uri ? strstr(uri, LAMBDA_PATH) : NULL;
    if (!p) return NULL;
    p += strlen(LAMBDA_PATH);
    const char *end = strstr(p, INVOCATIONS);
    if (!end) return NULL;
    char *arn = xstrndup(p, (size_t)(end - p));
    integ_fn fn;
    if (integ_fn_parse(arn, &fn) != 0) return arn; /* not an ARN we know: shown as it is */
    bool here = fn.account && strcmp(fn.region, region) == 0 &&
                (!account || strcmp(fn.account, account) == 0);
    char *shown = NULL;
    if (here) {
        /* the short name is the part after "function:" */
        const char *nm = strstr(fn.name, ":function:") + strlen(":function:");
        shown = fn.qualifier ? xasprintf("%s:%s", nm, fn.qualifier) : xstrdup(nm);
    }
    integ_fn_free(&fn);
    if (!shown) return arn;
    free(arn);
    return shown;
}

void integ_statement_id(const rand_src *r, char out[37]) {
    uint64_t a = rand_u64(r), b = rand_u64(r);
    a = (a & ~0xF000ull) | 0x4000ull;           /* version 4 */
    b = (b & ~(0x3ull << 62)) | (0x2ull << 62); /* the RFC 4122 variant */
    snprintf(out, 37, "%08x-%04x-%04x-%04x-%012llx", (unsigned)(a >> 32),
             (unsigned)((a >> 16) & 0xFFFF), (unsigned)(a & 0xFFFF), (unsigned)(b >> 48),
             (unsigned long long)(b & 0xFFFFFFFFFFFFull));
}

char *integ_permission_command(const char *function, const char *source_arn,
                               const char *statement_id) {
    return xasprintf("aws lambda add-permission --function-name \"%s\" --source-arn \"%s\" "
                     "--principal apigateway.amazonaws.com --statement-id %s "
                     "--action lambda:InvokeFunction",
                     function, source_arn, statement_id);
}

cJSON *integ_stage_values(const cJSON *stages, const char *var) {
    cJSON *out = cJSON_CreateArray();
    const cJSON *st;
    cJSON_ArrayForEach(st, stages) {
        const char *v = json_str(json_obj(st, "variables"), var);
        if (!v) continue;
        cJSON *o = cJSON_CreateObject();
        json_set_str(o, "stage", json_str_or(st, "stageName", ""));
        json_set_str(o, "value", v);
        cJSON_AddItemToArray(out, o);
    }
    return out;
}

/* --- the job ---------------------------------------------------------------------- */

typedef struct apply {
    char *api, *res, *path, *verb;
    integ_spec s; /* strings below own the copies it points at */
    char *function, *http_method, *uri, *role, *passthrough;
    cJSON *templates;
    char *region, *account; /* account NULL until known */
    char *stage_var;        /* x of ${stageVariables.x} in the function, or NULL */
    integ_fn fn;
    bool has_ir200;
} apply;

static void apply_free(void *p) {
    apply *a = p;
    free(a->api);
    free(a->res);
    free(a->path);
    free(a->verb);
    free(a->function);
    free(a->http_method);
    free(a->uri);
    free(a->role);
    free(a->passthrough);
    cJSON_Delete(a->templates);
    free(a->region);
    free(a->account);
    free(a->stage_var);
    integ_fn_free(&a->fn);
    free(a);
}

static char *dup_or_null(const char *s) { return s ? xstrdup(s) : NULL; }

static apply *apply_new(const ui_ctx *cx, const char *api, const char *res, const char *path,
                        const char *verb, const integ_spec *s) {
    apply *a = xcalloc(1, sizeof *a);
    a->api = xstrdup(api);
    a->res = xstrdup(res);
    a->path = xstrdup(path ? path : "/");
    a->verb = xstrdup(verb);
    a->function = dup_or_null(s->function);
    a->http_method = dup_or_null(s->http_method);
    a->uri = dup_or_null(s->uri);
    a->role = dup_or_null(s->role);
    a->passthrough = dup_or_null(s->passthrough);
    a->templates = s->request_templates ? cJSON_Duplicate(s->request_templates, 1) : NULL;
    a->s = (integ_spec){.kind = s->kind,
                        .proxy = s->proxy && (s->kind == INTEG_LAMBDA || s->kind == INTEG_HTTP),
                        .function = a->function,
                        .http_method = a->http_method,
                        .uri = a->uri,
                        .role = a->role,
                        .passthrough = a->passthrough,
                        .request_templates = a->templates};
    a->region = xstrdup(cx->region);
    a->account = dup_or_null(cx->account);
    if (s->kind == INTEG_LAMBDA) {
        integ_fn_parse(s->function, &a->fn);
        a->stage_var = integ_stage_var(s->function);
        if (a->fn.account) { /* an ARN names its own account */
            free(a->account);
            a->account = xstrdup(a->fn.account);
        }
    }
    return a;
}

/* AddPermission's answer: a statement of that id already there is fine. */
static void permission_done(void *job, const cJSON *result, const err *e) {
    if (e && strcmp(e->code, "ResourceConflictException") == 0) e = NULL;
    ui_job_done(job, result, e);
}

static char *source_arn_of(const apply *a) {
    return apigw_source_arn(a->region, a->account, a->api, NULL, a->verb, a->path);
}

static void saved_note(ui_job *j, const apply *a, const char *extra) {
    const char *what = a->s.kind == INTEG_LAMBDA ? a->function
                       : a->s.kind == INTEG_MOCK ? "Mock"
                       : a->uri                  ? a->uri
                                                 : "";
    ui_job_set_note(j, "Integration of %s %s: %s (%s)%s", a->verb, a->path, what, integ_type(&a->s),
                    extra ? extra : "");
}

static void permitted(ui_job *j, const cJSON *result) {
    (void)result;
    saved_note(j, ui_job_data(j), "; permission added");
}

static void perm_dialog(ui_ctx *cx, const apply *a, const cJSON *values);

static void got_stages(ui_job *j, const cJSON *result) {
    apply *a = ui_job_data(j);
    cJSON *values = integ_stage_values(json_arr(result, "item"), a->stage_var);
    saved_note(j, a, "; permission needed per stage");
    ui_ctx *cx = ui_job_ctx(j);
    if (cx) perm_dialog(cx, a, values);
    cJSON_Delete(values);
}

static void permission(ui_job *j, const cJSON *result) {
    (void)result;
    apply *a = ui_job_data(j);
    client *cl = ui_job_client(j);
    if (a->s.kind != INTEG_LAMBDA) {
        saved_note(j, a, NULL);
        return;
    }
    if (a->stage_var) { /* the console cannot grant it: it shows the commands */
        apigw_get_stages(cl, a->api, NULL, ui_job_done, ui_job_then(j, got_stages));
        return;
    }
    char sid[37];
    rand_src r = rand_system();
    integ_statement_id(&r, sid);
    char *src = source_arn_of(a);
    lambda_permission_in in = {.source_arn = src, .qualifier = a->fn.qualifier};
    lambda_add_permission(cl, a->fn.name, sid, "lambda:InvokeFunction", "apigateway.amazonaws.com",
                          &in, permission_done, ui_job_then(j, permitted));
    free(src);
}

static void ensure_ir(ui_job *j, const cJSON *result) {
    apply *a = ui_job_data(j);
    if (a->has_ir200) {
        permission(j, result);
        return;
    }
    apigw_integration_response_in in = {.selection_pattern = ""};
    apigw_put_integration_response(ui_job_client(j), a->api, a->res, a->verb, "200", &in,
                                   ui_job_done, ui_job_then(j, permission));
}

static void got_method(ui_job *j, const cJSON *method) {
    apply *a = ui_job_data(j);
    if (json_obj(json_obj(method, "methodResponses"), "200")) {
        ensure_ir(j, NULL);
        return;
    }
    cJSON *models = cJSON_CreateObject();
    json_set_str(models, "application/json", "Empty");
    apigw_method_response_in in = {.response_models = models};
    apigw_put_method_response(ui_job_client(j), a->api, a->res, a->verb, "200", &in, ui_job_done,
                              ui_job_then(j, ensure_ir));
    cJSON_Delete(models);
}

static void after_put(ui_job *j, const cJSON *integration) {
    apply *a = ui_job_data(j);
    a->has_ir200 = json_obj(json_obj(integration, "integrationResponses"), "200") != NULL;
    if (a->s.proxy) {
        permission(j, NULL);
        return;
    }
    apigw_get_method(ui_job_client(j), a->api, a->res, a->verb, ui_job_done,
                     ui_job_then(j, got_method));
}

static void put_integration(ui_job *j, const cJSON *result) {
    (void)result;
    apply *a = ui_job_data(j);
    char *uri = integ_uri(&a->s, a->region, a->account);
    if (a->s.kind != INTEG_MOCK && !uri) {
        free(uri);
        ui_job_fail(j, "no URI for the integration");
        return;
    }
    cJSON *mock = NULL;
    const cJSON *templates = a->templates;
    if (a->s.kind == INTEG_MOCK && !templates) {
        mock = cJSON_CreateObject();
        json_set_str(mock, "application/json", INTEG_MOCK_TEMPLATE);
        templates = mock;
    }
    const char *backend_verb = NULL;
    if (a->s.kind == INTEG_LAMBDA)
        backend_verb = "POST"; /* Lambda's Invoke */
    else if (a->s.kind != INTEG_MOCK)
        backend_verb = a->http_method ? a->http_method : a->verb;
    apigw_integration_in in = {
        .http_method = backend_verb,
        .uri = uri,
        .credentials = a->s.kind == INTEG_AWS && a->role && *a->role ? a->role : NULL,
        .passthrough_behavior = a->s.proxy ? NULL : a->passthrough,
        .request_templates = a->s.proxy ? NULL : templates,
    };
    apigw_put_integration(ui_job_client(j), a->api, a->res, a->verb, integ_type(&a->s), &in,
                          ui_job_done, ui_job_then(j, after_put));
    cJSON_Delete(mock);
    free(uri);
}

/* GetFunction told the function's ARN, and so the account. */
static void got_function(ui_job *j, const cJSON *result) {
    apply *a = ui_job_data(j);
    a->account = integ_arn_account(json_str(json_obj(result, "Configuration"), "FunctionArn"));
    if (!a->account) {
        ui_job_fail(j, "GetFunction did not tell the function's ARN");
        return;
    }
    put_integration(j, NULL);
}

void integ_apply(ui_ctx *cx, const char *api_id, const char *resource_id, const char *path,
                 const char *verb, const integ_spec *s) {
    if (s->kind == INTEG_LAMBDA) {
        integ_fn fn;
        if (integ_fn_parse(s->function, &fn) != 0) {
            ui_message(cx, "Name the Lambda function (a name, name:alias or an ARN)");
            return;
        }
        integ_fn_free(&fn);
    }
    apply *a = apply_new(cx, api_id, resource_id, path, verb, s);
    char *what = xasprintf("Save the integration of %s %s", a->verb, a->path);
    unsigned reload = UI_RELOAD_API | (s->kind == INTEG_LAMBDA ? UI_RELOAD_FUNCTION : 0);
    ui_job *j = ui_job_new(cx, what, reload);
    free(what);
    ui_job_set_data(j, a, apply_free);
    /* the function's policy changes: reload it (not a name through a variable) */
    bool plain = a->fn.name && !a->fn.account && !strchr(a->fn.name, '$');
    if (s->kind == INTEG_LAMBDA) ui_job_set_function(j, plain ? a->fn.name : NULL);
    if (s->kind == INTEG_LAMBDA && !a->account) {
        /* The URI needs the function's ARN; Lambda tells it. The name is
         * asked without its qualifier, which may be a stage variable. */
        lambda_get_function(cx->cl, a->fn.name, NULL, ui_job_done, ui_job_then(j, got_function));
        return;
    }
    put_integration(j, NULL);
}

/* The permission alone, for an integration that is saved already: the
 * same AddPermission, or the per-stage dialog for a stage variable. */
static void got_function_for_permission(ui_job *j, const cJSON *result) {
    apply *a = ui_job_data(j);
    a->account = integ_arn_account(json_str(json_obj(result, "Configuration"), "FunctionArn"));
    if (!a->account) {
        ui_job_fail(j, "GetFunction did not tell the function's ARN");
        return;
    }
    permission(j, NULL);
}

void integ_permissions(ui_ctx *cx, const char *api_id, const char *resource_id, const char *path,
                       const char *verb, const char *function) {
    integ_spec s = {.kind = INTEG_LAMBDA, .function = function};
    integ_fn fn;
    if (integ_fn_parse(function, &fn) != 0) {
        ui_message(cx, "Name the Lambda function (a name, name:alias or an ARN)");
        return;
    }
    integ_fn_free(&fn);
    apply *a = apply_new(cx, api_id, resource_id, path, verb, &s);
    char *what = xasprintf("Lambda permission for %s %s", a->verb, a->path);
    ui_job *j = ui_job_new(cx, what, 0);
    free(what);
    ui_job_set_data(j, a, apply_free);
    if (!a->account) {
        lambda_get_function(cx->cl, a->fn.name, NULL, ui_job_done,
                            ui_job_then(j, got_function_for_permission));
        return;
    }
    permission(j, NULL);
    ui_job_end(j); /* when it started no call (nothing to grant) */
}

/* --- the per-stage permission dialog ------------------------------------------------ */

typedef struct grant {
    char *stage, *name, *qualifier, *sid;
    int check; /* the form's check box */
} grant;

typedef struct grants {
    char *source_arn, *function;
    grant *g;
    size_t n, next;
    buf failed; /* "prod (ResourceNotFoundException), ..." */
    size_t done;
} grants;

static void grants_free(void *p) {
    grants *gs = p;
    for (size_t i = 0; i < gs->n; i++) {
        free(gs->g[i].stage);
        free(gs->g[i].name);
        free(gs->g[i].qualifier);
        free(gs->g[i].sid);
    }
    free(gs->g);
    free(gs->source_arn);
    free(gs->function);
    buf_free(&gs->failed);
    free(gs);
}

static void grant_next(ui_job *j, const cJSON *result);

/* One stage's AddPermission answered: a failure is noted and the others
 * still run. */
static void grant_done(void *job, const cJSON *result, const err *e) {
    ui_job *j = job;
    grants *gs = ui_job_data(j);
    if (e && strcmp(e->code, "ResourceConflictException") != 0) {
        char text[600];
        buf_printf(&gs->failed, "%s%s (%s)", gs->failed.len ? ", " : "", gs->g[gs->next - 1].stage,
                   err_text(e, text, sizeof text));
    } else {
        gs->done++;
    }
    ui_job_done(job, result, NULL);
}

static void grant_next(ui_job *j, const cJSON *result) {
    (void)result;
    grants *gs = ui_job_data(j);
    while (gs->next < gs->n && gs->g[gs->next].check < 0)
        gs->next++; /* not chosen */
    if (gs->next == gs->n) {
        if (gs->failed.len)
            ui_job_fail(j, "%s", gs->failed.data);
        else
            ui_job_set_note(j, "API Gateway may invoke %s for %zu stage%s", gs->function, gs->done,
                            gs->done == 1 ? "" : "s");
        return;
    }
    const grant *g = &gs->g[gs->next++];
    lambda_permission_in in = {.source_arn = gs->source_arn, .qualifier = g->qualifier};
    lambda_add_permission(ui_job_client(j), g->name, g->sid, "lambda:InvokeFunction",
                          "apigateway.amazonaws.com", &in, grant_done, ui_job_then(j, grant_next));
}

static bool grants_submit(ui_ctx *cx, form *f, void *ud) {
    grants *gs = ud;
    size_t chosen = 0;
    for (size_t i = 0; i < gs->n; i++) {
        if (!form_checked(f, gs->g[i].check))
            gs->g[i].check = -1;
        else
            chosen++;
    }
    if (!chosen) return true;
    /* The job takes the data over; the form's ud must not free it again. */
    grants *mine = xcalloc(1, sizeof *mine);
    *mine = *gs;
    memset(gs, 0, sizeof *gs);
    char *what = xasprintf("Grant API Gateway access to %s", mine->function);
    ui_job *j = ui_job_new(cx, what, UI_RELOAD_FUNCTION);
    free(what);
    ui_job_set_data(j, mine, grants_free);
    if (mine->n) ui_job_set_function(j, mine->g[0].name);
    grant_next(j, NULL);
    return true;
}

static void perm_dialog(ui_ctx *cx, const apply *a, const cJSON *values) {
    grants *gs = xcalloc(1, sizeof *gs);
    gs->source_arn = source_arn_of(a);
    gs->function = xstrdup(a->function);
    int n = cJSON_GetArraySize(values);
    gs->g = xcalloc((size_t)(n ? n : 1), sizeof *gs->g);
    rand_src r = rand_system();
    form *f = form_new("Lambda function permissions");
    char *intro =
        n ? xasprintf("The function name holds the stage variable %s, so API Gateway cannot "
                      "grant itself the permission to invoke it. Each stage needs it for "
                      "its own value:",
                      a->stage_var)
          : xasprintf("The function name holds the stage variable %s, so API Gateway cannot "
                      "grant itself the permission to invoke it, and no stage sets %s yet. "
                      "For each value it will take, run:",
                      a->stage_var, a->stage_var);
    form_note(f, intro);
    free(intro);
    const cJSON *v;
    cJSON_ArrayForEach(v, values) {
        grant *g = &gs->g[gs->n++];
        g->stage = xstrdup(json_str_or(v, "stage", ""));
        char *target = integ_substitute(a->function, a->stage_var, json_str_or(v, "value", ""));
        integ_fn fn;
        if (integ_fn_parse(target, &fn) == 0) {
            g->name = xstrdup(fn.name);
            g->qualifier = dup_or_null(fn.qualifier);
            integ_fn_free(&fn);
        } else {
            g->name = xstrdup(target);
        }
        char sid[37];
        integ_statement_id(&r, sid);
        g->sid = xstrdup(sid);
        char *cmd = integ_permission_command(target, gs->source_arn, sid);
        char *note = xasprintf("Stage %s (%s=%s):\n%s", g->stage, a->stage_var,
                               json_str_or(v, "value", ""), cmd);
        form_note(f, note);
        free(note);
        free(cmd);
        free(target);
        char *label = xasprintf("Grant it for %s", g->stage);
        g->check = form_check(f, label, true);
        free(label);
    }
    if (!n) {
        char sid[37];
        integ_statement_id(&r, sid);
        char *cmd = integ_permission_command(a->function, gs->source_arn, sid);
        form_note(f, cmd);
        free(cmd);
        form_note(f, "(with the stage variable replaced by the value). Enter closes.");
    } else {
        form_note(f, "Enter runs the checked ones; Esc leaves it to you.");
    }
    form_set_action(f, "run them");
    ui_form(cx, f, grants_submit, NULL, gs, grants_free);
}
