/* The API Gateway data plane: a request to a stage goes through the stage's
 * deployment as API Gateway runs it.
 *
 *   route       the stage must exist, and the path must reach a resource of
 *               the deployment's snapshot with a method for the verb (or
 *               ANY): otherwise 403 Missing Authentication Token
 *   method      API key, throttling and quota (gateway_limits.c)
 *   cache       the stage cache (gateway_cache.c)
 *   integration request, integration, integration response and method
 *               response (gateway_integ.c, gateway_http.c, gateway_resp.c)
 *
 * Every answer carries x-amzn-RequestId and x-amz-apigw-id; gateway errors
 * carry x-amzn-ErrorType. The execution log follows TestInvokeMethod's.
 *
 * A request runs in a read transaction of the store; when it must record
 * API key usage it starts again in a write transaction before anything
 * (token buckets included) was consumed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/mem.h"
#include "core/text.h"
#include "gateway_internal.h"

/* API Gateway's payload limit. */
#define GW_MAX_BODY (10u << 20)

/* --- memory between requests ---------------------------------------------------- */

struct gateway_state *gw_state(emulator *emu) {
    if (!emu->gw) emu->gw = xcalloc(1, sizeof *emu->gw);
    return emu->gw;
}

static void template_free(void *p) { vtl_free(p); }

void gateway_state_free(struct gateway_state *gw) {
    if (!gw) return;
    gw_map_clear(&gw->buckets, free);
    gw_cache_free(&gw->cache);
    gw_map_clear(&gw->templates, template_free);
    free(gw);
}

void gateway_trace_free(gateway_trace *t) {
    free(t->log);
    t->log = NULL;
}

/* --- the request's parts ------------------------------------------------------------ */

static void add_value(cJSON *multi, const char *name, const char *value, bool case_blind) {
    cJSON *vals = case_blind ? cJSON_GetObjectItem(multi, name)
                             : cJSON_GetObjectItemCaseSensitive(multi, name);
    if (!vals) {
        vals = cJSON_CreateArray();
        cJSON_AddItemToObject(multi, name, vals);
    }
    cJSON_AddItemToArray(vals, cJSON_CreateString(value));
}

void gw_add_header(cJSON *headers, const char *name, const char *value) {
    add_value(headers, name, value, true);
}

cJSON *gw_parse_query(const char *q) {
    cJSON *out = cJSON_CreateObject();
    while (q && *q) {
        size_t len = strcspn(q, "&");
        const char *eq = memchr(q, '=', len);
        size_t klen = eq ? (size_t)(eq - q) : len;
        if (klen) {
            char *k = url_decode(q, klen, true);
            char *v = eq ? url_decode(eq + 1, len - klen - 1, true) : xstrdup("");
            add_value(out, k, v, false);
            free(k);
            free(v);
        }
        q += len;
        if (*q == '&') q++;
    }
    return out;
}

cJSON *gw_single_values(const cJSON *multi) {
    cJSON *out = cJSON_CreateObject();
    const cJSON *it;
    cJSON_ArrayForEach(it, multi) {
        int n = cJSON_GetArraySize(it);
        const char *v = n ? cJSON_GetStringValue(cJSON_GetArrayItem(it, n - 1)) : "";
        cJSON_AddStringToObject(out, it->string, v ? v : "");
    }
    return out;
}

/* --- context --------------------------------------------------------------------------- */

static void random_apigw_id(emulator *emu, char out[24]) {
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    uint64_t a = rand_u64(&emu->rand), b = rand_u64(&emu->rand);
    for (int i = 0; i < 15; i++) {
        uint64_t *src = i < 8 ? &a : &b;
        out[i] = b64[*src & 63];
        *src >>= 6;
    }
    out[15] = '=';
    out[16] = '\0';
}

void gw_ctx_init(gw_ctx *g, emu_call *c, http_response *resp, gateway_trace *trace) {
    memset(g, 0, sizeof *g);
    g->c = c;
    g->resp = resp;
    g->trace = trace;
    memset(trace, 0, sizeof *trace);
    trace->throttle_remaining = -1;
    trace->quota_remaining = -1;
    g->now_ms = clock_now_ms(&c->emu->clock);
    g->t0_mono = clock_mono_ms();
    gw_uuid(c->emu, g->request_id);
    random_apigw_id(c->emu, g->apigw_id);
    uint64_t r = rand_u64(&c->emu->rand), r2 = rand_u64(&c->emu->rand);
    snprintf(g->trace_id, sizeof g->trace_id, "Root=1-%08llx-%012llx%012llx",
             (unsigned long long)(g->now_ms / 1000) & 0xffffffffull,
             (unsigned long long)(r & 0xffffffffffffull),
             (unsigned long long)(r2 & 0xffffffffffffull));
    buf_printf(&g->log, "Execution log for request %s\n", g->request_id);
}

void gw_ctx_free(gw_ctx *g) {
    free(g->path);
    cJSON_Delete(g->query);
    cJSON_Delete(g->headers);
    cJSON_Delete(g->query1);
    cJSON_Delete(g->headers1);
    cJSON_Delete(g->stage_vars);
    cJSON_Delete(g->path_params);
    cJSON_Delete(g->context);
    free(g->cache_key);
    buf_free(&g->log);
}

static cJSON *null_or_str(const char *s) { return s ? cJSON_CreateString(s) : cJSON_CreateNull(); }

static cJSON *identity(const gw_ctx *g) {
    const char *ua = cJSON_GetStringValue(cJSON_GetObjectItem(g->headers1, "User-Agent"));
    const char *acct = g->c->account;
    char arn[64];
    snprintf(arn, sizeof arn, "arn:aws:iam::%s:root", acct);
    cJSON *id = cJSON_CreateObject();
    cJSON_AddItemToObject(id, "cognitoIdentityPoolId", cJSON_CreateNull());
    cJSON_AddItemToObject(id, "cognitoIdentityId", cJSON_CreateNull());
    cJSON_AddItemToObject(
        id, "apiKey",
        null_or_str(g->test_invoke ? "test-invoke-api-key" : json_str(g->api_key, "value")));
    cJSON_AddItemToObject(id, "principalOrgId", cJSON_CreateNull());
    cJSON_AddItemToObject(id, "cognitoAuthenticationType", cJSON_CreateNull());
    cJSON_AddItemToObject(id, "userArn", null_or_str(g->test_invoke ? arn : NULL));
    cJSON_AddItemToObject(
        id, "apiKeyId",
        null_or_str(g->test_invoke ? "test-invoke-api-key-id" : json_str(g->api_key, "id")));
    cJSON_AddItemToObject(id, "userAgent", null_or_str(ua));
    cJSON_AddItemToObject(id, "accountId", null_or_str(g->test_invoke ? acct : NULL));
    cJSON_AddItemToObject(id, "caller", null_or_str(g->test_invoke ? acct : NULL));
    cJSON_AddStringToObject(id, "sourceIp", g->test_invoke ? "test-invoke-source-ip" : "127.0.0.1");
    cJSON_AddItemToObject(id, "accessKey", cJSON_CreateNull());
    cJSON_AddItemToObject(id, "cognitoAuthenticationProvider", cJSON_CreateNull());
    cJSON_AddItemToObject(id, "user", null_or_str(g->test_invoke ? acct : NULL));
    return id;
}

void gw_build_context(gw_ctx *g) {
    cJSON_Delete(g->context);
    cJSON *x = g->context = cJSON_CreateObject();
    char when[40], domain[300], prefix[128];
    time_t s = (time_t)(g->now_ms / 1000);
    struct tm tm;
    gmtime_r(&s, &tm);
    strftime(when, sizeof when, "%d/%b/%Y:%H:%M:%S +0000", &tm);
    if (g->test_invoke) {
        snprintf(domain, sizeof domain, "testPrefix.testDomainName");
    } else if (g->host && *g->host) {
        snprintf(domain, sizeof domain, "%.*s", (int)strcspn(g->host, ":"), g->host);
    } else {
        snprintf(domain, sizeof domain, "%s.execute-api.localhost", g->api_id);
    }
    snprintf(prefix, sizeof prefix, "%.*s", (int)strcspn(domain, "."), domain);
    cJSON_AddStringToObject(x, "resourceId", json_str_or(g->resource, "id", ""));
    cJSON_AddStringToObject(x, "resourcePath", json_str_or(g->resource, "path", "/"));
    cJSON_AddStringToObject(x, "httpMethod", g->verb);
    cJSON_AddStringToObject(x, "extendedRequestId", g->apigw_id);
    cJSON_AddStringToObject(x, "requestTime", when);
    if (g->test_invoke) {
        cJSON_AddStringToObject(x, "path", g->path);
    } else {
        char *p = xasprintf("/%s%s", g->stage_name, g->path);
        cJSON_AddStringToObject(x, "path", p);
        free(p);
    }
    cJSON_AddStringToObject(x, "accountId", g->c->account);
    cJSON_AddStringToObject(x, "protocol", "HTTP/1.1");
    cJSON_AddStringToObject(x, "stage", g->stage_name);
    cJSON_AddStringToObject(x, "domainPrefix", prefix);
    cJSON_AddNumberToObject(x, "requestTimeEpoch", (double)g->now_ms);
    cJSON_AddStringToObject(x, "requestId", g->request_id);
    cJSON_AddItemToObject(x, "identity", identity(g));
    cJSON_AddStringToObject(x, "domainName", domain);
    if (g->stage)
        cJSON_AddStringToObject(x, "deploymentId", json_str_or(g->stage, "deploymentId", ""));
    cJSON_AddStringToObject(x, "apiId", g->api_id);
}

/* --- answers ----------------------------------------------------------------------------- */

int gw_fail(gw_ctx *g, int status, const char *type, const char *msg, const char *why) {
    for (const char *p = why; p && *p;) {
        size_t n = strcspn(p, "\n");
        gw_log(g, "%.*s", (int)n, p);
        p += n;
        if (*p) p++;
    }
    /* The body and headers: gateway_resp.c, with the API's gateway responses. */
    gw_log(g, "Method completed with status: %d", gw_error_answer(g, status, type, msg, why));
    g->failed = true;
    return GW_FAIL;
}

int gw_fail_internal(gw_ctx *g, const char *why) {
    return gw_fail(g, 500, "InternalServerErrorException", "Internal server error", why);
}

/* Secrets in request headers show as asterisks and their last characters,
 * as API Gateway's logs show the Authorization header. */
static cJSON *masked_headers(const cJSON *single) {
    static const struct {
        const char *name;
        size_t keep;
    } secret[] = {{"Authorization", 6}, {"X-Amz-Security-Token", 6}, {"x-api-key", 4}};
    cJSON *out = cJSON_Duplicate(single, 1);
    cJSON *h;
    cJSON_ArrayForEach(h, out) {
        for (size_t i = 0; i < sizeof secret / sizeof *secret; i++) {
            if (str_casecmp(h->string, secret[i].name) != 0 || !cJSON_IsString(h)) continue;
            size_t n = strlen(h->valuestring), keep = n > secret[i].keep ? secret[i].keep : 0;
            char *m = xmalloc(n + 1);
            memset(m, '*', n - keep);
            memcpy(m + n - keep, h->valuestring + n - keep, keep + 1);
            cJSON_SetValuestring(h, m);
            free(m);
        }
    }
    return out;
}

static void log_method_request(gw_ctx *g) {
    gw_log(g, "Starting execution for request: %s", g->request_id);
    gw_log(g, "HTTP Method: %s, Resource Path: %s", g->verb, g->path);
    char *t = gw_map_text(g->path_params);
    gw_log(g, "Method request path: %s", t);
    free(t);
    t = gw_map_text(g->query1);
    gw_log(g, "Method request query string: %s", t);
    free(t);
    cJSON *shown = masked_headers(g->headers1);
    t = gw_map_text(shown);
    cJSON_Delete(shown);
    gw_log_value(g, "Method request headers: ", t, strlen(t));
    free(t);
    gw_log_value(g, "Method request body before transformations: ", g->body ? g->body : "",
                 g->body_len);
}

static bool is_type(const gw_ctx *g, const char *type) {
    return !strcmp(json_str_or(g->integration, "type", ""), type);
}

void gw_execute(gw_ctx *g) {
    log_method_request(g);
    if (!g->integration) {
        gw_fail_internal(g, "Execution failed due to configuration error: No integration defined "
                            "for method");
        return;
    }
    gw_endpoint ep = {0};
    if (gw_integrate(g, &ep) != GW_OK) {
        gw_endpoint_free(&ep);
        return;
    }
    http_response *r = g->resp;
    if (is_type(g, "AWS_PROXY") || is_type(g, "HTTP_PROXY")) {
        r->status = ep.status;
        for (size_t i = 0; i < ep.headers.n; i++)
            http_headers_add(&r->headers, ep.headers.v[i].name, ep.headers.v[i].value);
        http_response_set_body(r, ep.body.data ? ep.body.data : "", ep.body.len);
    } else if (gw_respond(g, &ep) != GW_OK) {
        gw_endpoint_free(&ep);
        return;
    }
    gw_endpoint_free(&ep);
    if (!is_type(g, "MOCK") && !is_type(g, "HTTP_PROXY") &&
        !http_headers_get(&r->headers, "X-Amzn-Trace-Id"))
        http_headers_add(&r->headers, "X-Amzn-Trace-Id", g->trace_id);
    gw_log_value(g, "Method response body after transformations: ", r->body ? r->body : "",
                 r->body_len);
    char *h = gw_headers_text(&r->headers);
    gw_log_value(g, "Method response headers: ", h, strlen(h));
    free(h);
    gw_log(g, "Successfully completed execution");
    gw_log(g, "Method completed with status: %d", r->status);
}

void gw_finish(gw_ctx *g) {
    http_response *r = g->resp;
    http_headers_set(&r->headers, "x-amzn-RequestId", g->request_id);
    http_headers_set(&r->headers, "x-amz-apigw-id", g->apigw_id);
    if (g->cache_warning)
        http_headers_add(&r->headers, "Warning",
                         "199 - \"Cache-Control header ignored: the caller is not authorized to "
                         "invalidate the cache\"");
    g->trace->latency_ms = (double)(clock_mono_ms() - g->t0_mono);
    free(g->trace->log);
    g->trace->log = buf_steal(&g->log);
}

/* --- the front door ------------------------------------------------------------------------ */

static void read_request(gw_ctx *g, const http_request *req) {
    snprintf(g->verb, sizeof g->verb, "%s", req->method ? req->method : "GET");
    g->path = xstrdup(req->path && *req->path ? req->path : "/");
    g->query = gw_parse_query(req->query);
    g->headers = cJSON_CreateObject();
    for (size_t i = 0; i < req->headers.n; i++)
        gw_add_header(g->headers, req->headers.v[i].name, req->headers.v[i].value);
    g->query1 = gw_single_values(g->query);
    g->headers1 = gw_single_values(g->headers);
    g->body = req->body;
    g->body_len = req->body_len;
    g->host = http_headers_get(&req->headers, "Host");
}

static int missing_token(gw_ctx *g, const char *why) {
    return gw_fail(g, 403, "MissingAuthenticationTokenException", "Missing Authentication Token",
                   why);
}

/* Route and run one request; GW_NEED_WRITE to run it again in a write
 * transaction. */
static int run(gw_ctx *g, const http_request *req) {
    read_request(g, req);
    g->api = json_obj(emu_coll(g->c, "restapis"), g->api_id);
    g->stage = json_obj(json_obj(g->api, "stages"), g->stage_name);
    char why[600];
    if (!g->stage) {
        snprintf(why, sizeof why, "Execution failed: API %s has no stage %s", g->api_id,
                 g->stage_name);
        return missing_token(g, why);
    }
    if (g->body_len > GW_MAX_BODY) /* message and type: our best guess */
        return gw_fail(g, 413, "RequestTooLargeException", "Request Too Long",
                       "Execution failed: the request body is over 10 MB");
    const cJSON *dep =
        json_obj(json_obj(g->api, "deployments"), json_str_or(g->stage, "deploymentId", ""));
    g->resource = gw_match(json_obj(dep, "_resources"), g->path, g->verb, &g->path_params);
    if (!g->resource) {
        snprintf(why, sizeof why,
                 "Execution failed: no resource of the deployment serves %s %.400s", g->verb,
                 g->path);
        return missing_token(g, why);
    }
    snprintf(g->trace->resource_path, sizeof g->trace->resource_path, "%s",
             json_str_or(g->resource, "path", "/"));
    g->method = gw_method_of(g->resource, g->verb);
    g->integration = json_obj(g->method, "methodIntegration");
    const cJSON *vars = json_obj(g->stage, "variables");
    g->stage_vars = vars ? cJSON_Duplicate(vars, 1) : cJSON_CreateObject();
    int rc = gw_check_limits(g);
    if (rc != GW_OK) return rc;
    gw_build_context(g);
    rc = gw_cache_lookup(g);
    if (rc == GW_CACHE_HIT || rc == GW_CACHE_FAIL) return GW_OK;
    gw_execute(g);
    gw_cache_store(g);
    return GW_OK;
}

void gateway_handle(emulator *emu, const char *region, const char *api_id, const char *stage,
                    const http_request *req, http_response *resp, gateway_trace *trace) {
    gateway_trace local = {0};
    if (!trace) trace = &local;
    for (int attempt = 0; attempt < 2; attempt++) {
        bool write = attempt == 1;
        http_response_free(resp);
        http_response_init(resp);
        gateway_trace_free(trace);
        emu_call c = {
            .emu = emu, .req = req, .region = region, .account = emu->account, .resp = resp};
        gw_ctx g;
        gw_ctx_init(&g, &c, resp, trace);
        g.write = write;
        g.api_id = api_id;
        g.stage_name = stage;
        err e;
        if (store_begin(emu->st, write, &e) != 0) {
            gw_fail_internal(&g, e.msg);
            gw_finish(&g);
            gw_ctx_free(&g);
            break;
        }
        /* An unknown region holds no API; do not make one for a request. */
        bool known = json_obj(json_obj(store_root(emu->st), "regions"), region) != NULL;
        c.reg = known ? store_region(emu->st, region) : NULL;
        int rc =
            known ? run(&g, req) : missing_token(&g, "Execution failed: no API in this region");
        if (rc == GW_NEED_WRITE) {
            store_abort(emu->st);
            gw_ctx_free(&g);
            continue;
        }
        if (store_commit(emu->st, &e) != 0 && write) {
            g.api = g.stage = NULL; /* gone with the transaction: no gateway response */
            gw_fail_internal(&g, e.msg);
        }
        gw_finish(&g);
        gw_ctx_free(&g);
        break;
    }
    if (trace == &local) gateway_trace_free(&local);
}

/* --- which requests are for the data plane ----------------------------------------------- */

static bool valid_id(const char *s, size_t n) {
    if (n == 0 || n > 64) return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9')))
            return false;
    return true;
}

/* A region name as AWS spells them: "us-west-2", "ap-southeast-1". */
static bool valid_region(const char *r) {
    size_t dashes = 0, n = strlen(r);
    for (size_t i = 0; i < n; i++) {
        if (r[i] == '-')
            dashes++;
        else if (!((r[i] >= 'a' && r[i] <= 'z') || (r[i] >= '0' && r[i] <= '9')))
            return false;
    }
    return dashes >= 2 && r[0] != '-' && r[n - 1] >= '0' && r[n - 1] <= '9';
}

/* Serve "/{stage}{rest}" of api in region; rest "" means "/". */
static void serve(emulator *emu, const char *region, const char *api, size_t api_len,
                  const char *stage, size_t stage_len, const char *rest, const http_request *req,
                  http_response *resp, gateway_trace *trace) {
    char *api_id = xstrndup(api, api_len);
    char *stage_name = url_decode(stage, stage_len, false);
    http_request sub = *req;
    sub.path = xstrdup(rest && *rest ? rest : "/");
    gateway_handle(emu, region, api_id, stage_name, &sub, resp, trace);
    free(sub.path);
    free(api_id);
    free(stage_name);
}

/* /restapis/{id}/{stage}/_user_request_/{path...} */
static bool route_path(emulator *emu, const http_request *req, http_response *resp,
                       gateway_trace *trace) {
    static const char prefix[] = "/restapis/", marker[] = "/_user_request_";
    const char *p = req->path;
    if (strncmp(p, prefix, sizeof prefix - 1) != 0) return false;
    const char *id = p + sizeof prefix - 1;
    size_t id_len = strcspn(id, "/");
    if (id[id_len] != '/') return false;
    const char *stage = id + id_len + 1;
    size_t stage_len = strcspn(stage, "/");
    const char *m = stage + stage_len;
    size_t ml = sizeof marker - 1;
    if (stage_len == 0 || strncmp(m, marker, ml) != 0 || (m[ml] && m[ml] != '/')) return false;
    if (!valid_id(id, id_len)) return false;
    const char *region = req->region && *req->region ? req->region : emu->default_region;
    serve(emu, region, id, id_len, stage, stage_len, m + ml, req, resp, trace);
    return true;
}

/* Host {id}.execute-api[.{region}].localhost[:port], path /{stage}/{path} */
static bool route_host(emulator *emu, const http_request *req, http_response *resp,
                       gateway_trace *trace) {
    const char *host = http_headers_get(&req->headers, "Host");
    if (!host) return false;
    size_t hlen = strcspn(host, ":");
    static const char mid[] = ".execute-api.", tail[] = "localhost";
    const char *m = strstr(host, mid);
    if (!m || (size_t)(m - host) >= hlen || !valid_id(host, (size_t)(m - host))) return false;
    const char *after = m + sizeof mid - 1;
    size_t rest_len = hlen - (size_t)(after - host);
    char region[32];
    if (rest_len == sizeof tail - 1 && !strncasecmp(after, tail, rest_len)) {
        snprintf(region, sizeof region, "%s", emu->default_region);
    } else {
        size_t rl = strcspn(after, ".:");
        const char *t = after + rl;
        if (rl == 0 || rl >= sizeof region || *t != '.' ||
            (size_t)(t + 1 - host) + sizeof tail - 1 != hlen ||
            strncasecmp(t + 1, tail, sizeof tail - 1))
            return false;
        snprintf(region, sizeof region, "%.*s", (int)rl, after);
        if (!valid_region(region)) return false;
    }
    const char *p = req->path;
    while (*p == '/')
        p++;
    size_t stage_len = strcspn(p, "/");
    serve(emu, region, host, (size_t)(m - host), p, stage_len, p + stage_len, req, resp, trace);
    return true;
}

bool gateway_route(emulator *emu, const http_request *req, http_response *resp,
                   gateway_trace *trace) {
    if (!req || !req->path) return false;
    return route_path(emu, req, resp, trace) || route_host(emu, req, resp, trace);
}
