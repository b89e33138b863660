/* Integration requests and the integrations themselves.
 *
 * Non-proxy integrations (MOCK, AWS, HTTP) pick a request mapping template
 * by the request's Content-Type (application/json when there is none) and
 * apply passthroughBehavior when none matches: WHEN_NO_MATCH passes the
 * body through, WHEN_NO_TEMPLATES only when the integration has no
 * templates at all, NEVER never; otherwise 415 Unsupported Media Type. An
 * empty (null) template passes the body through. Request parameters map
 * method request values, context and stage variables and 'literals' to
 * the integration request's headers, query string and path.
 *
 * MOCK answers the statusCode of its rendered template ({"statusCode":
 * 200}); without a template it answers 200 (or the statusCode of a JSON
 * body passed through).
 *
 * AWS with a Lambda URI (arn:aws:apigateway:R:lambda:path/2015-03-31/
 * functions/ARN/invocations) and AWS_PROXY invoke the function after
 * substituting ${stageVariables.x} in the URI. The function must exist and
 * its resource policy must let apigateway.amazonaws.com invoke it from the
 * method's execute-api ARN (arn:aws:execute-api:R:ACCOUNT:API/STAGE/VERB/
 * PATH, STAGE test-invoke-stage for TestInvokeMethod), else 500 and the
 * log says why. AWS_PROXY sends the proxy event (format 1.0) and wants
 * {statusCode, headers, multiValueHeaders, body, isBase64Encoded} back:
 * anything else, or a function error, is a 502. Other AWS services are not
 * emulated.
 *
 * HTTP and HTTP_PROXY go to loopback URLs only (gateway_http.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/mem.h"
#include "core/text.h"
#include "core/zipcode.h"
#include "emulator/jsonpath.h"
#include "gateway_internal.h"
#include "lambda_fn.h"
#include "lambda_invoke.h"

#define DEFAULT_TIMEOUT_MS 29000
#define TEMPLATE_CACHE_MAX 256

/* --- templates -------------------------------------------------------------------------- */

/* Text without '$' and '#' renders as itself in Velocity. */
static bool plain_text(const char *s) { return !strchr(s, '$') && !strchr(s, '#'); }

static void template_free(void *p) { vtl_free(p); }

static const vtl_template *parsed(gw_ctx *g, const char *tpl, err *e) {
    gw_map *m = &gw_state(g->c->emu)->templates;
    vtl_template *t = gw_map_get(m, tpl);
    if (t) return t;
    t = vtl_parse(tpl, strlen(tpl), e);
    if (!t) return NULL;
    if (m->count >= TEMPLATE_CACHE_MAX) gw_map_clear(m, template_free);
    gw_map_put(m, tpl, t);
    return t;
}

int gw_render(gw_ctx *g, const char *tpl, const char *body, size_t body_len, buf *out, err *e) {
    err_clear(e);
    if (plain_text(tpl)) {
        buf_puts(out, tpl);
        return 0;
    }
    const vtl_template *t = parsed(g, tpl, e);
    if (!t) return -1;
    vtl_input in = {.body = body ? body : "",
                    .body_len = body ? body_len : 0,
                    .path = g->path_params,
                    .querystring = g->query1,
                    .header = g->headers1,
                    .stage_variables = g->stage_vars,
                    .context = g->context};
    return vtl_render(t, &in, out, e);
}

/* --- values and substitutions -------------------------------------------------------------- */

char *gw_stage_vars_subst(const gw_ctx *g, const char *s) {
    static const char open[] = "${stageVariables.";
    buf b = BUF_INIT;
    buf_puts(&b, "");
    while (*s) {
        const char *p = strstr(s, open);
        const char *close = p ? strchr(p, '}') : NULL;
        if (!p || !close) {
            buf_puts(&b, s);
            break;
        }
        buf_add(&b, s, (size_t)(p - s));
        char *name = xstrndup(p + sizeof open - 1, (size_t)(close - p) - (sizeof open - 1));
        const char *v = json_str(g->stage_vars, name);
        if (v) buf_puts(&b, v);
        free(name);
        s = close + 1;
    }
    return buf_steal(&b);
}

static char *joined(const cJSON *vals) {
    if (!cJSON_IsArray(vals)) return NULL;
    buf b = BUF_INIT;
    buf_puts(&b, "");
    const cJSON *v;
    bool first = true;
    cJSON_ArrayForEach(v, vals) {
        if (!first) buf_putc(&b, ',');
        first = false;
        buf_puts(&b, cJSON_GetStringValue(v) ? v->valuestring : "");
    }
    return buf_steal(&b);
}

static char *last_of(const cJSON *vals) {
    int n = cJSON_GetArraySize(vals);
    const char *v = n ? cJSON_GetStringValue(cJSON_GetArrayItem(vals, n - 1)) : NULL;
    return v ? xstrdup(v) : NULL;
}

/* A dotted walk ("identity.sourceIp") through an object. */
static char *dotted(const cJSON *obj, const char *path) {
    const cJSON *cur = obj;
    while (cur && *path) {
        size_t n = strcspn(path, ".");
        char *k = xstrndup(path, n);
        cur = cJSON_GetObjectItemCaseSensitive(cur, k);
        free(k);
        path += n;
        if (*path == '.') path++;
    }
    return cur ? gw_value_text(cur) : NULL;
}

/* JSONPath "$.<expr>" into a JSON text (NULL when it matches nothing). */
char *gw_json_value(const char *text, size_t len, const char *expr) {
    cJSON *doc = text && len ? cJSON_ParseWithLength(text, len) : NULL;
    if (!doc) return NULL;
    char *path = xasprintf("$.%s", expr);
    err e;
    cJSON *v = jsonpath_eval(doc, path, &e);
    char *out = gw_value_text(v);
    cJSON_Delete(v);
    cJSON_Delete(doc);
    free(path);
    return out;
}

char *gw_request_value(gw_ctx *g, const char *expr) {
    size_t n = strlen(expr);
    if (n >= 2 && expr[0] == '\'' && expr[n - 1] == '\'') return xstrndup(expr + 1, n - 2);
    if (str_starts(expr, "stageVariables.")) {
        const char *v = json_str(g->stage_vars, expr + 15);
        return v ? xstrdup(v) : NULL;
    }
    if (str_starts(expr, "context.")) return dotted(g->context, expr + 8);
    if (!str_starts(expr, "method.request.")) return NULL;
    const char *x = expr + 15;
    if (!strcmp(x, "body")) return xstrndup(g->body ? g->body : "", g->body_len);
    if (str_starts(x, "body.")) return gw_json_value(g->body, g->body_len, x + 5);
    if (str_starts(x, "path.")) {
        const char *v = json_str(g->path_params, x + 5);
        return v ? xstrdup(v) : NULL;
    }
    if (str_starts(x, "querystring."))
        return last_of(cJSON_GetObjectItemCaseSensitive(g->query, x + 12));
    if (str_starts(x, "multivaluequerystring."))
        return joined(cJSON_GetObjectItemCaseSensitive(g->query, x + 22));
    if (str_starts(x, "header.")) return last_of(cJSON_GetObjectItem(g->headers, x + 7));
    if (str_starts(x, "multivalueheader.")) return joined(cJSON_GetObjectItem(g->headers, x + 17));
    return NULL;
}

/* --- the integration request --------------------------------------------------------------- */

void gw_ireq_free(gw_ireq *r) {
    free(r->uri);
    http_headers_free(&r->headers);
    cJSON_Delete(r->query);
    buf_free(&r->body);
}

void gw_endpoint_free(gw_endpoint *ep) {
    http_headers_free(&ep->headers);
    buf_free(&ep->body);
    free(ep->error_message);
}

/* Request parameters mapped onto r; path values into path_map. */
static void map_request_params(gw_ctx *g, gw_ireq *r, cJSON *path_map) {
    static const struct {
        const char *prefix;
        int where; /* 0 header, 1 query, 2 path */
    } targets[] = {{"integration.request.header.", 0},
                   {"integration.request.multivalueheader.", 0},
                   {"integration.request.querystring.", 1},
                   {"integration.request.multivaluequerystring.", 1},
                   {"integration.request.path.", 2}};
    const cJSON *p;
    cJSON_ArrayForEach(p, json_obj(g->integration, "requestParameters")) {
        if (!cJSON_IsString(p)) continue;
        for (size_t i = 0; i < sizeof targets / sizeof *targets; i++) {
            if (!str_starts(p->string, targets[i].prefix)) continue;
            const char *name = p->string + strlen(targets[i].prefix);
            char *v = gw_request_value(g, p->valuestring);
            if (v && targets[i].where == 0) {
                http_headers_set(&r->headers, name, v);
            } else if (v && targets[i].where == 1) {
                cJSON *vals = cJSON_CreateArray();
                cJSON_AddItemToArray(vals, cJSON_CreateString(v));
                json_set(r->query, name, vals);
            } else if (v) {
                json_set_str(path_map, name, v);
            }
            free(v);
            break;
        }
    }
}

/* {name} in the URI from the mapped path values, percent-encoded. */
static char *subst_path(const char *uri, const cJSON *path_map) {
    buf b = BUF_INIT;
    buf_puts(&b, "");
    while (*uri) {
        const char *o = strchr(uri, '{');
        const char *c = o ? strchr(o, '}') : NULL;
        if (!o || !c) {
            buf_puts(&b, uri);
            break;
        }
        buf_add(&b, uri, (size_t)(o - uri));
        char *name = xstrndup(o + 1, (size_t)(c - o - 1));
        size_t nl = strlen(name);
        if (nl && name[nl - 1] == '+') name[nl - 1] = '\0';
        const char *v = json_str(path_map, name);
        if (v) {
            char *enc = url_encode(v, true);
            buf_puts(&b, enc);
            free(enc);
        } else {
            buf_add(&b, o, (size_t)(c - o + 1));
        }
        free(name);
        uri = c + 1;
    }
    return buf_steal(&b);
}

typedef enum { TPL_PASS, TPL_USE, TPL_REJECT } tpl_choice;

/* The request template for the request's Content-Type (*tpl NULL: pass the
 * body through), or TPL_REJECT by the passthrough behavior. */
static tpl_choice request_template(const gw_ctx *g, const char **tpl, char *ct, size_t n) {
    *tpl = NULL;
    const cJSON *templates = json_obj(g->integration, "requestTemplates");
    const char *sent = cJSON_GetStringValue(cJSON_GetObjectItem(g->headers1, "Content-Type"));
    gw_media_type(sent && *sent ? sent : "application/json", ct, n);
    const cJSON *t = cJSON_GetObjectItem(templates, ct);
    if (t) {
        *tpl = cJSON_IsString(t) && *t->valuestring ? t->valuestring : NULL;
        return *tpl ? TPL_USE : TPL_PASS;
    }
    const char *pb = json_str_or(g->integration, "passthroughBehavior", "WHEN_NO_MATCH");
    if (!strcmp(pb, "NEVER")) return TPL_REJECT;
    if (!strcmp(pb, "WHEN_NO_TEMPLATES") && templates && templates->child) return TPL_REJECT;
    return TPL_PASS;
}

/* The body of a non-proxy integration request into r->body. *templated
 * says whether a template made it. */
static int request_body(gw_ctx *g, gw_ireq *r, bool *templated) {
    const char *tpl;
    char ct[128];
    tpl_choice ch = request_template(g, &tpl, ct, sizeof ct);
    *templated = ch == TPL_USE;
    if (ch == TPL_REJECT) {
        char why[400];
        snprintf(why, sizeof why,
                 "Execution failed: no mapping template matches Content-Type %s and the "
                 "passthrough behavior is %s",
                 ct, json_str_or(g->integration, "passthroughBehavior", "NEVER"));
        return gw_fail(g, 415, "BadRequestException", "Unsupported Media Type", why);
    }
    if (ch == TPL_PASS) {
        buf_add(&r->body, g->body ? g->body : "", g->body_len);
        return GW_OK;
    }
    err e;
    if (gw_render(g, tpl, g->body, g->body_len, &r->body, &e) != 0) {
        char why[700];
        snprintf(why, sizeof why,
                 "Execution failed due to configuration error: Unable to transform request\n"
                 "Mapping template error: %s",
                 e.msg);
        return gw_fail_internal(g, why);
    }
    return GW_OK;
}

/* URI, verb, mapped parameters and (non-proxy) body of the request. */
static int build_ireq(gw_ctx *g, gw_ireq *r, bool proxy, bool *templated) {
    r->query = cJSON_CreateObject();
    cJSON *path_map = cJSON_CreateObject();
    map_request_params(g, r, path_map);
    char *uri = gw_stage_vars_subst(g, json_str_or(g->integration, "uri", ""));
    r->uri = subst_path(uri, path_map);
    free(uri);
    cJSON_Delete(path_map);
    const char *verb = json_str(g->integration, "httpMethod");
    snprintf(r->verb, sizeof r->verb, "%s", verb && strcmp(verb, "ANY") ? verb : g->verb);
    *templated = false;
    return proxy ? GW_OK : request_body(g, r, templated);
}

static long timeout_ms(const gw_ctx *g) {
    long t = (long)json_num_or(g->integration, "timeoutInMillis", DEFAULT_TIMEOUT_MS);
    return t > 0 ? t : DEFAULT_TIMEOUT_MS;
}

static void log_endpoint_request(gw_ctx *g, const char *uri, const http_headers *h,
                                 const char *body, size_t len) {
    gw_log(g, "Endpoint request URI: %s", uri);
    char *t = gw_headers_text(h);
    gw_log_value(g, "Endpoint request headers: ", t, strlen(t));
    free(t);
    gw_log_value(g, "Endpoint request body after transformations: ", body ? body : "", len);
    gw_log(g, "Sending request to %s", uri);
}

static void log_endpoint_response(gw_ctx *g, const gw_endpoint *ep, long ms) {
    gw_log(g, "Received response. Status: %d, Integration latency: %ld ms", ep->status, ms);
    char *t = gw_headers_text(&ep->headers);
    gw_log_value(g, "Endpoint response headers: ", t, strlen(t));
    free(t);
    gw_log_value(g, "Endpoint response body before transformations: ",
                 ep->body.data ? ep->body.data : "", ep->body.len);
}

/* --- MOCK ------------------------------------------------------------------------------------ */

static int run_mock(gw_ctx *g, gw_endpoint *ep) {
    gw_ireq r = {0};
    bool templated;
    int rc = build_ireq(g, &r, false, &templated);
    if (rc == GW_OK) {
        cJSON *doc = r.body.len ? cJSON_ParseWithLength(r.body.data, r.body.len) : NULL;
        const cJSON *sc = cJSON_GetObjectItemCaseSensitive(doc, "statusCode");
        bool ok = cJSON_IsNumber(sc) && sc->valuedouble >= 100 && sc->valuedouble <= 599 &&
                  sc->valuedouble == (double)(int)sc->valuedouble;
        if (ok) {
            ep->status = (int)sc->valuedouble;
        } else if (!templated) {
            ep->status = 200;
        } else {
            rc = gw_fail_internal(g, "Execution failed due to configuration error: Unable to parse "
                                     "statusCode. It should be an integer that is defined in the "
                                     "request template.");
        }
        cJSON_Delete(doc);
    }
    gw_ireq_free(&r);
    return rc;
}

/* --- Lambda ---------------------------------------------------------------------------------- */

typedef struct fn_uri {
    char region[32];
    char *label; /* the function as the URI names it: an ARN or name[:qualifier] */
} fn_uri;

/* arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/FN/invocations */
static bool parse_lambda_uri(const char *uri, fn_uri *out) {
    memset(out, 0, sizeof *out);
    if (!str_starts(uri, "arn:aws:apigateway:") || !strstr(uri, ":lambda:path/")) return false;
    const char *reg = uri + strlen("arn:aws:apigateway:");
    size_t rl = strcspn(reg, ":");
    if (rl == 0 || rl >= sizeof out->region) return false;
    const char *f = strstr(uri, "/functions/");
    if (!f) return false;
    f += strlen("/functions/");
    const char *end = strstr(f, "/invocations");
    if (!end || end == f) return false;
    out->label = xstrndup(f, (size_t)(end - f));
    /* A function ARN names its own region; a plain name is in the URI's. */
    if (str_starts(out->label, "arn:")) {
        const char *p = out->label;
        for (int i = 0; i < 3 && p; i++)
            p = strchr(p, ':') ? strchr(p, ':') + 1 : NULL;
        size_t n = p ? strcspn(p, ":") : 0;
        if (n && n < sizeof out->region) {
            snprintf(out->region, sizeof out->region, "%.*s", (int)n, p);
            return true;
        }
    }
    snprintf(out->region, sizeof out->region, "%.*s", (int)rl, reg);
    return true;
}

/* The execute-api ARN API Gateway presents as the invocation's source. */
static char *source_arn(const gw_ctx *g) {
    const char *path = json_str_or(g->resource, "path", "/");
    return xasprintf("arn:aws:execute-api:%s:%s:%s/%s/%s/%s", g->c->region, g->c->account,
                     g->api_id, g->stage_name, g->verb, path[0] == '/' ? path + 1 : path);
}

static const char *lambda_error_message(const http_response *r, char *out, size_t n) {
    cJSON *b = r->body_len ? cJSON_ParseWithLength(r->body, r->body_len) : NULL;
    const char *m = json_str(b, "Message");
    if (!m) m = json_str(b, "message");
    snprintf(out, n, "%s", m ? m : "Lambda could not run the function");
    cJSON_Delete(b);
    return out;
}

/* Lambda refused or failed the call (scratch holds its error). */
static int lambda_failed(gw_ctx *g, const http_response *scratch) {
    char msg[600], why[900];
    const char *rid = http_headers_get(&scratch->headers, "x-amzn-RequestId");
    snprintf(why, sizeof why,
             "Lambda invocation failed with status: %d. Lambda request id: %s\n"
             "Execution failed due to configuration error: %s",
             scratch->status, rid ? rid : "", lambda_error_message(scratch, msg, sizeof msg));
    return gw_fail_internal(g, why);
}

static void http_date(int64_t ms, char out[40]) {
    time_t s = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&s, &tm);
    strftime(out, 40, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

static bool valid_utf8(const char *s, size_t n) {
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        size_t k;
        if (c < 0x80)
            k = 0;
        else if (c >= 0xC2 && c <= 0xDF)
            k = 1;
        else if ((c & 0xF0) == 0xE0)
            k = 2;
        else if (c >= 0xF0 && c <= 0xF4)
            k = 3;
        else
            return false;
        if (k > n - i - 1) return false;
        for (size_t j = 1; j <= k; j++)
            if ((p[i + j] & 0xC0) != 0x80) return false;
        i += k + 1;
    }
    return true;
}

static cJSON *obj_or_null(cJSON *o) {
    if (o && o->child) return o;
    cJSON_Delete(o);
    return cJSON_CreateNull();
}

/* The proxy integration's event (payload format 1.0). */
static char *proxy_event(gw_ctx *g, size_t *len) {
    cJSON *ev = cJSON_CreateObject();
    cJSON_AddStringToObject(ev, "resource", json_str_or(g->resource, "path", "/"));
    cJSON_AddStringToObject(ev, "path", g->path);
    cJSON_AddStringToObject(ev, "httpMethod", g->verb);
    cJSON_AddItemToObject(ev, "headers", obj_or_null(cJSON_Duplicate(g->headers1, 1)));
    cJSON_AddItemToObject(ev, "multiValueHeaders", obj_or_null(cJSON_Duplicate(g->headers, 1)));
    cJSON_AddItemToObject(ev, "queryStringParameters", obj_or_null(cJSON_Duplicate(g->query1, 1)));
    cJSON_AddItemToObject(ev, "multiValueQueryStringParameters",
                          obj_or_null(cJSON_Duplicate(g->query, 1)));
    cJSON_AddItemToObject(ev, "pathParameters", obj_or_null(cJSON_Duplicate(g->path_params, 1)));
    cJSON_AddItemToObject(ev, "stageVariables", obj_or_null(cJSON_Duplicate(g->stage_vars, 1)));
    cJSON_AddItemToObject(ev, "requestContext", cJSON_Duplicate(g->context, 1));
    bool b64 = false;
    if (!g->body_len) {
        cJSON_AddItemToObject(ev, "body", cJSON_CreateNull());
    } else if (valid_utf8(g->body, g->body_len) && !memchr(g->body, '\0', g->body_len)) {
        char *t = xstrndup(g->body, g->body_len);
        cJSON_AddStringToObject(ev, "body", t);
        free(t);
    } else {
        char *t = zipcode_base64(g->body, g->body_len);
        cJSON_AddStringToObject(ev, "body", t);
        free(t);
        b64 = true;
    }
    cJSON_AddBoolToObject(ev, "isBase64Encoded", b64);
    char *text = json_print(ev);
    cJSON_Delete(ev);
    *len = strlen(text);
    return text;
}

static int malformed_proxy(gw_ctx *g) {
    return gw_fail(g, 502, "InternalServerErrorException", "Internal server error",
                   "Execution failed due to configuration error: Malformed Lambda proxy response");
}

static bool header_value_ok(const cJSON *v) {
    return cJSON_IsString(v) || cJSON_IsBool(v) || cJSON_IsNumber(v);
}

static void add_header_value(http_headers *h, const char *name, const cJSON *v, bool set) {
    char *t = cJSON_IsBool(v) ? xstrdup(cJSON_IsTrue(v) ? "true" : "false") : gw_value_text(v);
    if (set)
        http_headers_set(h, name, t ? t : "");
    else
        http_headers_add(h, name, t ? t : "");
    free(t);
}

/* {statusCode, headers, multiValueHeaders, body, isBase64Encoded} → ep. */
static int proxy_result(gw_ctx *g, const char *payload, size_t len, gw_endpoint *out) {
    cJSON *doc = cJSON_ParseWithLength(payload, len);
    int rc = GW_OK;
    if (!cJSON_IsObject(doc)) {
        rc = malformed_proxy(g);
        goto done;
    }
    const cJSON *it;
    cJSON_ArrayForEach(it, doc) {
        static const char *const allowed[] = {"statusCode", "headers", "multiValueHeaders", "body",
                                              "isBase64Encoded"};
        bool ok = false;
        for (size_t i = 0; i < 5 && !ok; i++)
            ok = !strcmp(it->string, allowed[i]);
        if (!ok) {
            rc = malformed_proxy(g);
            goto done;
        }
    }
    const cJSON *sc = cJSON_GetObjectItemCaseSensitive(doc, "statusCode");
    const cJSON *hd = cJSON_GetObjectItemCaseSensitive(doc, "headers");
    const cJSON *mv = cJSON_GetObjectItemCaseSensitive(doc, "multiValueHeaders");
    const cJSON *body = cJSON_GetObjectItemCaseSensitive(doc, "body");
    const cJSON *b64 = cJSON_GetObjectItemCaseSensitive(doc, "isBase64Encoded");
    long status = 200;
    if (cJSON_IsNumber(sc)) {
        status = sc->valuedouble >= 100 && sc->valuedouble <= 599 ? (long)sc->valuedouble : -1;
    } else if (cJSON_IsString(sc)) {
        if (!emu_parse_long(sc->valuestring, &status)) status = -1;
    } else if (sc && !cJSON_IsNull(sc)) {
        status = -1;
    }
    bool bad = status < 100 || status > 599 || (hd && !cJSON_IsNull(hd) && !cJSON_IsObject(hd)) ||
               (mv && !cJSON_IsNull(mv) && !cJSON_IsObject(mv)) ||
               (body && !cJSON_IsNull(body) && !cJSON_IsString(body)) ||
               (b64 && !cJSON_IsNull(b64) && !cJSON_IsBool(b64));
    const cJSON *hobj = cJSON_IsObject(hd) ? hd : NULL, *mobj = cJSON_IsObject(mv) ? mv : NULL;
    cJSON_ArrayForEach(it, hobj) bad = bad || !header_value_ok(it);
    cJSON_ArrayForEach(it, mobj) {
        const cJSON *v;
        if (!cJSON_IsArray(it)) {
            bad = true;
            continue;
        }
        cJSON_ArrayForEach(v, it) bad = bad || !header_value_ok(v);
    }
    if (bad) {
        rc = malformed_proxy(g);
        goto done;
    }
    out->status = (int)status;
    http_headers_set(&out->headers, "Content-Type", "application/json");
    cJSON_ArrayForEach(it, hobj) add_header_value(&out->headers, it->string, it, true);
    cJSON_ArrayForEach(it, mobj) {
        const cJSON *v;
        bool first = true;
        cJSON_ArrayForEach(v, it) {
            add_header_value(&out->headers, it->string, v, first);
            first = false;
        }
    }
    const char *text = cJSON_IsString(body) ? body->valuestring : "";
    if (cJSON_IsTrue(b64)) {
        size_t n = 0;
        unsigned char *raw = zipcode_unbase64(text, &n);
        if (!raw) {
            rc = gw_fail_internal(g, "Execution failed due to configuration error: Unable to "
                                     "base64-decode the body of the Lambda proxy response");
            goto done;
        }
        buf_add(&out->body, raw, n);
        free(raw);
    } else {
        buf_puts(&out->body, text);
    }
done:
    cJSON_Delete(doc);
    return rc;
}

static void lambda_endpoint_headers(const gw_ctx *g, const char *host, const char *src,
                                    http_headers *h) {
    char date[20];
    time_t s = (time_t)(g->now_ms / 1000);
    struct tm tm;
    gmtime_r(&s, &tm);
    strftime(date, sizeof date, "%Y%m%dT%H%M%SZ", &tm);
    char ua[96];
    snprintf(ua, sizeof ua, "AmazonAPIGateway_%s", g->api_id);
    http_headers_add(h, "x-amzn-lambda-integration-tag", g->request_id);
    http_headers_add(h, "X-Amz-Date", date);
    http_headers_add(h, "x-amzn-apigateway-api-id", g->api_id);
    http_headers_add(h, "X-Amz-Source-Arn", src);
    http_headers_add(h, "Accept", "application/json");
    http_headers_add(h, "User-Agent", ua);
    http_headers_add(h, "Host", host);
    http_headers_add(h, "X-Amzn-Trace-Id", g->trace_id);
}

typedef struct lambda_call {
    emu_call sub; /* the call Lambda sees; its errors land in scratch */
    http_response scratch;
    http_request *req;
    lambda_ref ref;
    char *arn; /* unqualified function ARN */
} lambda_call;

static void lambda_call_free(lambda_call *lc) {
    http_response_free(&lc->scratch);
    http_request_free(lc->req);
    free(lc->arn);
}

/* Resolve the function and check the permission; GW_FAIL after answering. */
static int lambda_prepare(gw_ctx *g, const fn_uri *fu, const char *src, lambda_call *lc) {
    http_response_init(&lc->scratch);
    lc->sub = *g->c;
    lc->sub.resp = &lc->scratch;
    lc->sub.region = fu->region;
    lc->sub.reg = store_region(g->c->emu->st, fu->region);
    lc->sub.nparams = 0;
    lc->sub.body = NULL;
    char *path = xasprintf("/2015-03-31/functions/%s/invocations", fu->label);
    lc->req = http_request_new("POST", path);
    free(path);
    lc->sub.req = lc->req;
    if (lambda_parse_name(&lc->sub, fu->label, LAMBDA_NAME_NAMESPACED, NULL, &lc->ref) != 0)
        return lambda_failed(g, &lc->scratch);
    snprintf(g->trace->function, sizeof g->trace->function, "%.159s", lc->ref.name);
    snprintf(g->trace->alias, sizeof g->trace->alias, "%.63s", lc->ref.qualifier);
    lambda_target t;
    if (lambda_resolve(&lc->sub, &lc->ref, true, &t) != 0) return lambda_failed(g, &lc->scratch);
    lc->arn = lambda_ref_arn(&lc->sub, &lc->ref, false);
    char why[512] = "";
    const char *q = lc->ref.qualifier[0] ? lc->ref.qualifier : NULL;
    if (!lambda_policy_allows(&lc->sub, lc->arn, q, "apigateway.amazonaws.com", src, why,
                              sizeof why)) {
        char line[800];
        snprintf(line, sizeof line,
                 "Execution failed due to configuration error: Invalid permissions on Lambda "
                 "function\n%s",
                 why);
        return gw_fail_internal(g, line);
    }
    return GW_OK;
}

static void lambda_response_headers(const gw_ctx *g, const lambda_run *run, gw_endpoint *ep) {
    char date[40], n[24];
    http_date(g->now_ms, date);
    snprintf(n, sizeof n, "%zu", run->r.payload_len);
    http_headers_add(&ep->headers, "Date", date);
    http_headers_add(&ep->headers, "Content-Type", "application/json");
    http_headers_add(&ep->headers, "Content-Length", n);
    http_headers_add(&ep->headers, "Connection", "keep-alive");
    http_headers_add(&ep->headers, "x-amzn-RequestId", run->r.request_id);
    http_headers_add(&ep->headers, "X-Amz-Executed-Version", run->executed_version);
    if (run->r.function_error[0])
        http_headers_add(&ep->headers, "X-Amz-Function-Error", run->r.function_error);
}

static char *error_message_of(const char *payload, size_t len) {
    cJSON *doc = cJSON_ParseWithLength(payload, len);
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(doc, "errorMessage");
    char *out = m && !cJSON_IsNull(m) ? gw_value_text(m) : NULL;
    cJSON_Delete(doc);
    return out;
}

static int run_lambda(gw_ctx *g, gw_endpoint *ep, bool proxy) {
    gw_ireq r = {0};
    bool templated;
    if (build_ireq(g, &r, proxy, &templated) != GW_OK) {
        gw_ireq_free(&r);
        return GW_FAIL;
    }
    fn_uri fu;
    if (!parse_lambda_uri(r.uri, &fu)) {
        char why[700];
        snprintf(why, sizeof why,
                 "Execution failed due to configuration error: the offline emulator integrates "
                 "with AWS Lambda only, not %.500s",
                 r.uri);
        gw_ireq_free(&r);
        return gw_fail_internal(g, why);
    }
    char *event;
    size_t event_len;
    if (proxy) {
        event = proxy_event(g, &event_len);
    } else {
        event_len = r.body.len;
        event = xstrndup(r.body.data ? r.body.data : "", r.body.len);
    }
    char *uri = xasprintf("https://lambda.%s.amazonaws.com/2015-03-31/functions/%s/invocations",
                          fu.region, fu.label);
    char *host = xasprintf("lambda.%s.amazonaws.com", fu.region);
    char *src = source_arn(g);
    lambda_endpoint_headers(g, host, src, &r.headers);
    log_endpoint_request(g, uri, &r.headers, event, event_len);
    lambda_call lc = {0};
    lambda_run run = {0};
    int rc = lambda_prepare(g, &fu, src, &lc);
    if (rc == GW_OK) {
        int64_t t0 = clock_mono_ms();
        /* An empty body reaches the function as an empty JSON object. */
        bool empty = event_len == 0;
        if (lambda_invoke_run(&lc.sub, lc.arn, lc.ref.qualifier[0] ? lc.ref.qualifier : NULL,
                              empty ? "{}" : event, empty ? 2 : event_len, &run) != 0) {
            rc = lambda_failed(g, &lc.scratch);
        } else {
            long ms = (long)(clock_mono_ms() - t0);
            g->trace->integration_ms = (double)ms;
            snprintf(g->trace->version, sizeof g->trace->version, "%s", run.executed_version);
            ep->status = 200;
            lambda_response_headers(g, &run, ep);
            buf_add(&ep->body, run.r.payload ? run.r.payload : "", run.r.payload_len);
            log_endpoint_response(g, ep, ms);
            if (run.r.duration_ms > (double)timeout_ms(g)) {
                rc = gw_fail(g, 504, "InternalServerErrorException", "Endpoint request timed out",
                             "Execution failed due to a timeout error");
            } else if (run.r.function_error[0]) {
                ep->function_error = true;
                ep->error_message =
                    error_message_of(run.r.payload ? run.r.payload : "", run.r.payload_len);
                if (proxy) {
                    char why[900];
                    snprintf(why, sizeof why,
                             "Lambda execution failed with status 200 due to customer function "
                             "error: %.600s. Lambda request id: %s",
                             ep->error_message ? ep->error_message : "", run.r.request_id);
                    rc = gw_fail(g, 502, "InternalServerErrorException", "Internal server error",
                                 why);
                }
            } else if (proxy) {
                gw_endpoint out = {0};
                rc = proxy_result(g, run.r.payload ? run.r.payload : "", run.r.payload_len, &out);
                gw_endpoint_free(ep);
                *ep = out;
            }
        }
    }
    lambda_run_free(&run);
    lambda_call_free(&lc);
    free(src);
    free(host);
    free(uri);
    free(event);
    free(fu.label);
    gw_ireq_free(&r);
    return rc;
}

/* --- HTTP ------------------------------------------------------------------------------------- */

static bool hop_by_hop(const char *name) {
    static const char *const drop[] = {
        "Host", "Content-Length",     "Connection", "Transfer-Encoding", "Expect",
        "TE",   "Proxy-Authenticate", "Keep-Alive", "Upgrade",           "Via"};
    for (size_t i = 0; i < sizeof drop / sizeof *drop; i++)
        if (!str_casecmp(name, drop[i])) return true;
    return false;
}

static void http_default_headers(gw_ctx *g, gw_ireq *r) {
    char ua[96];
    snprintf(ua, sizeof ua, "AmazonAPIGateway_%s", g->api_id);
    if (!http_headers_get(&r->headers, "Accept"))
        http_headers_add(&r->headers, "Accept", "application/json");
    if (!http_headers_get(&r->headers, "User-Agent"))
        http_headers_add(&r->headers, "User-Agent", ua);
    const char *ct = cJSON_GetStringValue(cJSON_GetObjectItem(g->headers1, "Content-Type"));
    if (ct && strcmp(r->verb, "GET") && strcmp(r->verb, "HEAD") && strcmp(r->verb, "OPTIONS") &&
        !http_headers_get(&r->headers, "Content-Type"))
        http_headers_add(&r->headers, "Content-Type", ct);
    http_headers_set(&r->headers, "X-Amzn-Trace-Id", g->trace_id);
    http_headers_set(&r->headers, "X-Amzn-Apigateway-Api-Id", g->api_id);
}

/* HTTP_PROXY passes the method request through, plus mapped values. */
static void proxy_passthrough(gw_ctx *g, gw_ireq *r) {
    http_headers mapped = r->headers;
    memset(&r->headers, 0, sizeof r->headers);
    const cJSON *h;
    cJSON_ArrayForEach(h, g->headers) {
        if (hop_by_hop(h->string)) continue;
        const cJSON *v;
        cJSON_ArrayForEach(v, h) http_headers_add(&r->headers, h->string, v->valuestring);
    }
    for (size_t i = 0; i < mapped.n; i++)
        http_headers_set(&r->headers, mapped.v[i].name, mapped.v[i].value);
    http_headers_free(&mapped);
    cJSON *q = cJSON_Duplicate(g->query, 1);
    const cJSON *m;
    cJSON_ArrayForEach(m, r->query) {
        cJSON *vals = cJSON_GetObjectItemCaseSensitive(q, m->string);
        if (!vals) {
            cJSON_AddItemToObject(q, m->string, cJSON_Duplicate(m, 1));
        } else {
            const cJSON *v;
            cJSON_ArrayForEach(v, m) cJSON_AddItemToArray(vals, cJSON_Duplicate(v, 1));
        }
    }
    cJSON_Delete(r->query);
    r->query = q;
    buf_add(&r->body, g->body ? g->body : "", g->body_len);
}

static char *url_with_query(const gw_ireq *r) {
    buf b = BUF_INIT;
    buf_puts(&b, r->uri);
    bool has_q = strchr(r->uri, '?') != NULL;
    const cJSON *k;
    cJSON_ArrayForEach(k, r->query) {
        const cJSON *v;
        cJSON_ArrayForEach(v, k) {
            char *ek = url_encode(k->string, false);
            char *ev = url_encode(cJSON_GetStringValue(v) ? v->valuestring : "", false);
            buf_printf(&b, "%c%s=%s", has_q ? '&' : '?', ek, ev);
            has_q = true;
            free(ek);
            free(ev);
        }
    }
    return buf_steal(&b);
}

static int run_http(gw_ctx *g, gw_endpoint *ep, bool proxy) {
    gw_ireq r = {0};
    bool templated;
    if (build_ireq(g, &r, proxy, &templated) != GW_OK) {
        gw_ireq_free(&r);
        return GW_FAIL;
    }
    if (proxy) proxy_passthrough(g, &r);
    http_default_headers(g, &r);
    char *url = url_with_query(&r);
    free(r.uri);
    r.uri = url;
    cJSON_Delete(r.query);
    r.query = cJSON_CreateObject();
    char host[256];
    int rc = GW_OK;
    log_endpoint_request(g, r.uri, &r.headers, r.body.data, r.body.len);
    if (!gw_url_is_loopback(r.uri, host, sizeof host)) {
        char why[700];
        snprintf(why, sizeof why,
                 "Execution failed due to configuration error: the offline emulator only calls "
                 "loopback endpoints (127.0.0.0/8, localhost, ::1), not %.300s",
                 host[0] ? host : r.uri);
        rc = gw_fail_internal(g, why);
    } else {
        char why[512] = "";
        int64_t t0 = clock_mono_ms();
        int sent = gw_http_send(&r, timeout_ms(g), ep, why, sizeof why);
        long ms = (long)(clock_mono_ms() - t0);
        g->trace->integration_ms = (double)ms;
        if (sent == -2) {
            rc = gw_fail(g, 504, "InternalServerErrorException", "Endpoint request timed out",
                         "Execution failed due to a timeout error");
        } else if (sent != 0) {
            char line[700];
            snprintf(line, sizeof line,
                     "Execution failed due to configuration error: Invalid endpoint address\n%s",
                     why);
            rc = gw_fail_internal(g, line);
        } else {
            log_endpoint_response(g, ep, ms);
            if (proxy) { /* the backend's hop-by-hop headers stay behind */
                http_headers kept = {0};
                for (size_t i = 0; i < ep->headers.n; i++)
                    if (!hop_by_hop(ep->headers.v[i].name))
                        http_headers_add(&kept, ep->headers.v[i].name, ep->headers.v[i].value);
                http_headers_free(&ep->headers);
                ep->headers = kept;
            }
        }
    }
    gw_ireq_free(&r);
    return rc;
}

/* --- dispatch ----------------------------------------------------------------------------------
 */

int gw_integrate(gw_ctx *g, gw_endpoint *ep) {
    const char *type = json_str_or(g->integration, "type", "");
    if (!strcmp(type, "MOCK")) return run_mock(g, ep);
    if (!strcmp(type, "AWS")) return run_lambda(g, ep, false);
    if (!strcmp(type, "AWS_PROXY")) return run_lambda(g, ep, true);
    if (!strcmp(type, "HTTP")) return run_http(g, ep, false);
    if (!strcmp(type, "HTTP_PROXY")) return run_http(g, ep, true);
    char why[200];
    snprintf(why, sizeof why,
             "Execution failed due to configuration error: integration type %.40s "
             "is not supported",
             type);
    return gw_fail_internal(g, why);
}
