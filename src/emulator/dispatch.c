/* Request entry point: find the service, region and operation, run the
 * handler inside a store transaction, and shape errors as AWS does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/text.h"
#include "emu.h"
#include "emulator/gateway.h"
#include "emulator/runtime.h"
#include "lambda_fn.h"

static const emu_route *const route_tables[] = {
    apigw_restapi_routes, apigw_resource_routes,  apigw_stage_routes,
    apigw_usage_routes,   lambda_function_routes, lambda_version_routes,
    lambda_invoke_routes, apigw_test_routes,
    apigw_gateway_response_routes,
};

static emu_handler handlers[OP__COUNT];

static void register_handlers(void) {
    static int done;
    if (done) return;
    for (size_t t = 0; t < sizeof route_tables / sizeof *route_tables; t++)
        for (const emu_route *r = route_tables[t]; r->fn; r++) handlers[r->op] = r->fn;
    done = 1;
}

emulator *emulator_new(store *st, const emulator_opts *o) {
    register_handlers();
    emulator *emu = xcalloc(1, sizeof *emu);
    emu->st = st;
    snprintf(emu->account, sizeof emu->account, "%s",
             o && o->account_id ? o->account_id : "123456789012");
    snprintf(emu->default_region, sizeof emu->default_region, "%s",
             o && o->default_region ? o->default_region : "us-west-2");
    emu->clock = o && o->clock.now_ms ? o->clock : clock_system();
    emu->rand = o && o->rand.next ? o->rand : rand_system();
    return emu;
}

void emulator_free(emulator *emu) {
    if (!emu) return;
    runtime_free(emu->rt);
    gateway_state_free(emu->gw);
    free(emu);
}
const char *emulator_account(const emulator *emu) { return emu->account; }
store *emulator_store(emulator *emu) { return emu->st; }

/* "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam/aws4_request, ..."
 * → region and service of the credential scope. */
static bool scope_of(const char *auth, char *region, size_t rn, char *svc, size_t sn) {
    const char *p = auth ? strstr(auth, "Credential=") : NULL;
    if (!p) return false;
    p += strlen("Credential=");
    const char *part[5];
    size_t len[5];
    for (int i = 0; i < 5; i++) {
        part[i] = p;
        len[i] = strcspn(p, "/,");
        p += len[i];
        if (i < 4 && *p != '/') return false;
        if (*p == '/') p++;
    }
    if (len[2] == 0 || len[2] >= rn || len[3] == 0 || len[3] >= sn) return false;
    memcpy(region, part[2], len[2]);
    region[len[2]] = '\0';
    memcpy(svc, part[3], len[3]);
    svc[len[3]] = '\0';
    return true;
}

static void request_id(emulator *emu, char out[37]) {
    uint64_t a = rand_u64(&emu->rand), b = rand_u64(&emu->rand);
    snprintf(out, 37, "%08x-%04x-4%03x-%04x-%012llx", (unsigned)(a >> 32), (unsigned)(a >> 16) & 0xffff,
             (unsigned)a & 0xfff, (unsigned)(0x8000 | ((b >> 48) & 0x3fff)),
             (unsigned long long)(b & 0xffffffffffffull));
}

static int fail(emu_call *c, aws_service svc, int status, const char *type, const char *msg) {
    if (svc == SVC_LAMBDA) return emu_fail_lambda(c, status, type, "%s", msg);
    return emu_fail_apigw(c, status, type, "%s", msg);
}

/* GET LAMBDA_CODE_PREFIX REGION/NAME/VERSION.zip: a function's code, the
 * URL GetFunction hands out in place of a presigned S3 one. */
static void serve_code(emu_call *c, const char *rest) {
    char *parts[3] = {0};
    const char *p = rest;
    size_t n = 0;
    for (; n < 3 && *p; n++) {
        size_t len = strcspn(p, "/");
        parts[n] = url_decode(p, len, false);
        p += len;
        if (*p == '/') p++;
    }
    err e;
    if (n != 3 || *p || !str_ends(parts[2], ".zip") || strcmp(c->req->method, "GET") != 0) {
        fail(c, SVC_LAMBDA, 404, "ResourceNotFoundException", "The resource you requested does not exist.");
    } else if (store_begin(c->emu->st, false, &e) != 0) {
        fail(c, SVC_LAMBDA, 500, "ServiceException", e.msg);
    } else {
        parts[2][strlen(parts[2]) - 4] = '\0';
        c->region = parts[0];
        c->reg = store_region(c->emu->st, parts[0]);
        lambda_serve_code(c, parts[1], parts[2]);
        store_commit(c->emu->st, &e);
    }
    for (size_t i = 0; i < 3; i++) free(parts[i]);
}

void emulator_handle(emulator *emu, const http_request *req, http_response *resp) {
    http_response_free(resp);
    http_response_init(resp);
    /* The execute-api data plane, with its trace when asked. */
    gateway_trace trace = {0};
    bool traced = http_headers_get(&req->headers, GATEWAY_TRACE_HEADER) != NULL;
    if (gateway_route(emu, req, resp, traced ? &trace : NULL)) {
        if (traced) {
            char *v = gateway_trace_encode(&trace);
            http_headers_set(&resp->headers, GATEWAY_TRACE_HEADER, v);
            free(v);
        }
        gateway_trace_free(&trace);
        return;
    }
    emu_call c = {.emu = emu, .req = req, .resp = resp, .account = emu->account};

    char region[32], svcname[32];
    aws_service svc;
    const char *hint = req->service;
    bool scoped = scope_of(http_headers_get(&req->headers, "Authorization"), region,
                           sizeof region, svcname, sizeof svcname);
    if (!hint && scoped) hint = svcname;
    if (hint)
        svc = strcmp(hint, "lambda") == 0 ? SVC_LAMBDA : SVC_APIGW;
    else /* Lambda's paths start with an API date: /2015-03-31/... */
        svc = strncmp(req->path, "/20", 3) == 0 ? SVC_LAMBDA : SVC_APIGW;
    if (req->region && req->region[0])
        snprintf(region, sizeof region, "%s", req->region);
    else if (!scoped)
        snprintf(region, sizeof region, "%s", emu->default_region);
    c.region = region;

    char rid[37];
    request_id(emu, rid);
    http_headers_set(&resp->headers, "x-amzn-RequestId", rid);

    if (strncmp(req->path, LAMBDA_CODE_PREFIX, strlen(LAMBDA_CODE_PREFIX)) == 0) {
        serve_code(&c, req->path + strlen(LAMBDA_CODE_PREFIX));
        return;
    }

    aws_route_match m;
    bool path_exists = false;
    if (!aws_route(svc, req->method, req->path, req->query, &m, &path_exists)) {
        fail(&c, svc, 404, "UnknownOperationException",
             path_exists ? "This operation does not accept that HTTP method"
                         : "Unknown operation");
        return;
    }
    c.op = m.op;
    c.nparams = m.nparams;
    for (size_t i = 0; i < m.nparams; i++) c.param[i] = m.params[i];
    /* Invoke carries an arbitrary payload, not a JSON request document. */
    bool raw_body = m.op == LAMBDA_Invoke || m.op == LAMBDA_InvokeAsync;
    if (req->body_len && !raw_body) {
        err pe;
        c.body = json_parse(req->body, req->body_len, &pe);
        if (!c.body || !cJSON_IsObject(c.body)) {
            char msg[600];
            snprintf(msg, sizeof msg, "Could not parse request body into json: %s",
                     c.body ? "the body is not a JSON object" : pe.msg);
            if (svc == SVC_LAMBDA)
                fail(&c, svc, 400, "InvalidRequestContentException", msg);
            else
                fail(&c, svc, 400, "BadRequestException", msg);
            cJSON_Delete(c.body);
            aws_route_match_free(&m);
            return;
        }
    }
    if (!c.body) c.body = cJSON_CreateObject();
    emu_handler fn = handlers[m.op];
    if (!fn) {
        char msg[160];
        snprintf(msg, sizeof msg, "%s is not supported by the offline emulator",
                 aws_op_get(m.op)->name);
        fail(&c, svc, 501, "NotImplemented", msg);
        cJSON_Delete(c.body);
        aws_route_match_free(&m);
        return;
    }


    bool write = strcmp(req->method, "GET") != 0;
    err e;
    if (store_begin(emu->st, write, &e) != 0) {
        fail(&c, svc, 500, svc == SVC_LAMBDA ? "ServiceException" : "InternalFailure", e.msg);
    } else {
        c.reg = store_region(emu->st, region);
        int rc = fn(&c);
        if (rc != 0 || resp->status >= 400) {
            store_abort(emu->st);
        } else if (store_commit(emu->st, &e) != 0) {
            fail(&c, svc, 500, svc == SVC_LAMBDA ? "ServiceException" : "InternalFailure", e.msg);
        }
    }
    cJSON_Delete(c.body);
    aws_route_match_free(&m);
}
