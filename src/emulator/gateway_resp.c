/* Integration responses and method responses of non-proxy integrations.
 *
 * The integration response is chosen by its selectionPattern, a Java regex
 * that must match the whole selection value: for Lambda the errorMessage
 * of a function error (the status, "200", when the function returned), for
 * HTTP and MOCK the status code. Without a match the default response (no
 * selectionPattern) serves, a Lambda error included: its error object then
 * goes out with the default status. Without either, or when the method has
 * no method response for the chosen status, the answer is 500.
 *
 * The response template is the one for the request's Accept type, else
 * application/json, else the first; none (or an empty one) passes the
 * body through. Response parameters map integration response headers,
 * body (JSONPath; a Lambda error's errorMessage is read as JSON when it
 * holds JSON), context and stage variables and 'literals' to method
 * response headers.
 *
 * The gateway's own error answers (gw_error_answer) go out as the gateway
 * response of their type that the stage's deployment serves: its status
 * code, its header mappings, and its body template, which is not VTL but
 * simple substitution of $context.* (with $context.error.message,
 * .messageString and .responseType) and $stageVariables.*. An API that
 * customized nothing answers {"message": ...} as API Gateway spells it. */
#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apigw_gateway_response.h"
#include "core/mem.h"
#include "core/text.h"
#include "gateway_internal.h"

/* --- Java regexes on POSIX ERE ------------------------------------------------------------- */

static const char *class_of(char c, bool in_bracket) {
    switch (c) {
    case 'd': return in_bracket ? "0-9" : "[0-9]";
    case 'D': return in_bracket ? NULL : "[^0-9]";
    case 'w': return in_bracket ? "A-Za-z0-9_" : "[A-Za-z0-9_]";
    case 'W': return in_bracket ? NULL : "[^A-Za-z0-9_]";
    case 's': return in_bracket ? "[:space:]" : "[[:space:]]";
    case 'S': return in_bracket ? NULL : "[^[:space:]]";
    default: return NULL;
    }
}

/* Translate the Java constructs POSIX lacks: \d \w \s and their negations,
 * (?:...) groups, lazy and possessive quantifiers (which cannot change
 * whether a whole string matches). */
static char *java_to_ere(const char *p) {
    buf b = BUF_INIT;
    buf_puts(&b, "^(");
    bool in_bracket = false;
    for (; *p; p++) {
        if (*p == '\\' && p[1]) {
            const char *cls = class_of(p[1], in_bracket);
            if (cls) {
                buf_puts(&b, cls);
            } else if (in_bracket) {
                buf_putc(&b, p[1]);
            } else {
                buf_putc(&b, '\\');
                buf_putc(&b, p[1]);
            }
            p++;
        } else if (in_bracket) {
            if (*p == ']') in_bracket = false;
            buf_putc(&b, *p);
        } else if (*p == '[') {
            in_bracket = true;
            buf_putc(&b, '[');
            if (p[1] == '^') buf_putc(&b, *++p);
            if (p[1] == ']') buf_putc(&b, *++p);
        } else if (*p == '(' && p[1] == '?' && p[2] == ':') {
            buf_putc(&b, '(');
            p += 2;
        } else if ((*p == '?' || *p == '+') && b.len > 2 && strchr("*+?}", b.data[b.len - 1]) &&
                   b.data[b.len - 2] != '\\') {
            /* lazy or possessive: the plain quantifier decides the same */
        } else {
            buf_putc(&b, *p);
        }
    }
    buf_puts(&b, ")$");
    return buf_steal(&b);
}

bool gw_regex_full(const char *pattern, const char *s) {
    char *ere = java_to_ere(pattern);
    regex_t re;
    bool ok = false;
    if (regcomp(&re, ere, REG_EXTENDED | REG_NEWLINE) == 0) {
        regmatch_t m[1];
        ok = regexec(&re, s, 1, m, 0) == 0 && m[0].rm_so == 0 && (size_t)m[0].rm_eo == strlen(s);
        regfree(&re);
    }
    free(ere);
    return ok;
}

/* --- choosing ------------------------------------------------------------------------------ */

static bool is_lambda(const gw_ctx *g) {
    return !strcmp(json_str_or(g->integration, "type", ""), "AWS");
}

static const cJSON *select_response(gw_ctx *g, const gw_endpoint *ep) {
    const cJSON *all = json_obj(g->integration, "integrationResponses");
    char status[16];
    snprintf(status, sizeof status, "%d", ep->status);
    const char *value = status;
    if (is_lambda(g) && ep->function_error && ep->error_message && *ep->error_message)
        value = ep->error_message;
    const cJSON *r;
    cJSON_ArrayForEach(r, all) {
        const char *pat = json_str(r, "selectionPattern");
        if (pat && *pat && gw_regex_full(pat, value)) return r;
    }
    cJSON_ArrayForEach(r, all) {
        const char *pat = json_str(r, "selectionPattern");
        if (!pat || !*pat) return r;
    }
    return NULL;
}

/* The entry of templates for the request's Accept header. */
static const cJSON *template_for(const gw_ctx *g, const cJSON *templates) {
    if (!templates || !templates->child) return NULL;
    const char *accept = cJSON_GetStringValue(cJSON_GetObjectItem(g->headers1, "Accept"));
    for (const char *p = accept; p && *p;) {
        size_t n = strcspn(p, ",");
        char part[128], mt[128];
        snprintf(part, sizeof part, "%.*s", (int)(n < sizeof part ? n : sizeof part - 1), p);
        gw_media_type(part, mt, sizeof mt);
        const cJSON *t = *mt ? cJSON_GetObjectItem(templates, mt) : NULL;
        if (t) return t;
        p += n;
        if (*p == ',') p++;
    }
    const cJSON *t = cJSON_GetObjectItem(templates, "application/json");
    return t ? t : templates->child;
}

static const cJSON *response_template(const gw_ctx *g, const cJSON *ir) {
    return template_for(g, json_obj(ir, "responseTemplates"));
}

/* --- response parameters -------------------------------------------------------------------- */

static char *all_values(const http_headers *h, const char *name) {
    buf b = BUF_INIT;
    bool any = false;
    for (size_t i = 0; i < h->n; i++) {
        if (str_casecmp(h->v[i].name, name) != 0) continue;
        if (any) buf_putc(&b, ',');
        buf_puts(&b, h->v[i].value);
        any = true;
    }
    if (!any) {
        buf_free(&b);
        return NULL;
    }
    return buf_steal(&b);
}

static char *body_value(const gw_ctx *g, const gw_endpoint *ep, const char *path) {
    char *v = gw_json_value(ep->body.data, ep->body.len, path);
    /* A Lambda custom error carries its JSON inside errorMessage. */
    if (!v && is_lambda(g) && str_starts(path, "errorMessage.")) {
        char *em = gw_json_value(ep->body.data, ep->body.len, "errorMessage");
        if (em) v = gw_json_value(em, strlen(em), path + strlen("errorMessage."));
        free(em);
    }
    return v;
}

static char *response_value(gw_ctx *g, const gw_endpoint *ep, const char *expr) {
    static const char hdr[] = "integration.response.header.",
                      mvh[] = "integration.response.multivalueheader.",
                      body[] = "integration.response.body";
    if (str_starts(expr, hdr)) {
        const char *v = http_headers_get(&ep->headers, expr + sizeof hdr - 1);
        return v ? xstrdup(v) : NULL;
    }
    if (str_starts(expr, mvh)) return all_values(&ep->headers, expr + sizeof mvh - 1);
    if (!strcmp(expr, body)) return xstrndup(ep->body.data ? ep->body.data : "", ep->body.len);
    if (str_starts(expr, body) && expr[sizeof body - 1] == '.')
        return body_value(g, ep, expr + sizeof body);
    return gw_request_value(g, expr);
}

static void map_response_params(gw_ctx *g, const cJSON *ir, const gw_endpoint *ep,
                                http_headers *out) {
    static const char target[] = "method.response.header.";
    const cJSON *p;
    cJSON_ArrayForEach(p, json_obj(ir, "responseParameters")) {
        if (!cJSON_IsString(p) || !str_starts(p->string, target)) continue;
        char *v = response_value(g, ep, p->valuestring);
        if (v) http_headers_set(out, p->string + sizeof target - 1, v);
        free(v);
    }
}

/* --- the method response ------------------------------------------------------------------------
 */

int gw_respond(gw_ctx *g, gw_endpoint *ep) {
    const cJSON *ir = select_response(g, ep);
    char why[400];
    if (!ir) {
        snprintf(why, sizeof why,
                 "Execution failed due to configuration error: No match for output mapping and no "
                 "default output mapping configured. Endpoint Response Status Code: %d",
                 ep->status);
        return gw_fail_internal(g, why);
    }
    const char *status = json_str(ir, "statusCode");
    if (!status) status = ir->string;
    long st = 0;
    if (!status || !json_obj(json_obj(g->method, "methodResponses"), status) ||
        !emu_parse_long(status, &st)) {
        snprintf(why, sizeof why,
                 "Execution failed due to configuration error: Output mapping refers to an invalid "
                 "method response: %s",
                 status ? status : "");
        return gw_fail_internal(g, why);
    }
    http_headers mapped = {0};
    map_response_params(g, ir, ep, &mapped);
    const cJSON *tpl = response_template(g, ir);
    buf body = BUF_INIT;
    buf_puts(&body, "");
    if (cJSON_IsString(tpl) && *tpl->valuestring) {
        err e;
        if (gw_render(g, tpl->valuestring, ep->body.data, ep->body.len, &body, &e) != 0) {
            buf_free(&body);
            http_headers_free(&mapped);
            char line[700];
            snprintf(line, sizeof line,
                     "Execution failed due to configuration error: Unable to transform response\n"
                     "Mapping template error: %s",
                     e.msg);
            return gw_fail_internal(g, line);
        }
    } else {
        buf_add(&body, ep->body.data ? ep->body.data : "", ep->body.len);
    }
    http_response *r = g->resp;
    r->status = (int)st;
    http_headers_set(&r->headers, "Content-Type", tpl ? tpl->string : "application/json");
    for (size_t i = 0; i < mapped.n; i++)
        http_headers_set(&r->headers, mapped.v[i].name, mapped.v[i].value);
    http_headers_free(&mapped);
    http_response_set_body(r, body.data, body.len);
    buf_free(&body);
    return GW_OK;
}

/* --- the gateway's own errors --------------------------------------------------------------- */

/* The gateway response type of an error the pipeline answers. */
static const char *response_type_of(int status, const char *error_type, const char *why) {
    static const struct {
        const char *error_type, *response_type;
    } by_error[] = {
        {"MissingAuthenticationTokenException", "MISSING_AUTHENTICATION_TOKEN"},
        {"ForbiddenException", "INVALID_API_KEY"}, /* a missing, unknown or disabled key */
        {"TooManyRequestsException", "THROTTLED"},
        {"LimitExceededException", "QUOTA_EXCEEDED"},
        {"RequestTooLargeException", "REQUEST_TOO_LARGE"},
        /* a cache invalidation refused with 403: our best guess of its type */
        {"AccessDeniedException", "ACCESS_DENIED"},
    };
    for (size_t i = 0; i < sizeof by_error / sizeof *by_error; i++)
        if (error_type && strcmp(error_type, by_error[i].error_type) == 0)
            return by_error[i].response_type;
    if (status == 415) return "UNSUPPORTED_MEDIA_TYPE";
    if (status == 504) return "INTEGRATION_TIMEOUT";
    if (status == 502) return "INTEGRATION_FAILURE";
    if (status >= 500 && why && strstr(why, "Execution failed due to configuration error"))
        return "API_CONFIGURATION_ERROR";
    return status >= 500 ? "DEFAULT_5XX" : "DEFAULT_4XX";
}

/* The customization that applies to rtype on the request's stage; false
 * when there is none (no stage, TestInvokeMethod, nothing customized). */
static bool deployed_response(const gw_ctx *g, const char *rtype, apigw_gr *out) {
    memset(out, 0, sizeof *out);
    if (g->test_invoke || !g->stage) return false;
    const cJSON *dep =
        json_obj(json_obj(g->api, "deployments"), json_str_or(g->stage, "deploymentId", ""));
    if (!dep) return false;
    apigw_gr_resolve(apigw_gr_deployed(g->api, dep), rtype, out);
    return out->customized;
}

/* Length of a reference "name(.name)*" at s, names of letters, digits,
 * '_' and '-' starting with a letter. */
static size_t reference_len(const char *s) {
    size_t n = 0;
    for (;;) {
        if (!isalpha((unsigned char)s[n])) return n && s[n - 1] == '.' ? n - 1 : n;
        while (isalnum((unsigned char)s[n]) || s[n] == '_' || s[n] == '-')
            n++;
        if (s[n] != '.' || !isalpha((unsigned char)s[n + 1])) return n;
        n++;
    }
}

/* $context.x.y and $stageVariables.x ("" when unset); NULL for anything
 * else, which stays as written. */
static char *substitution(gw_ctx *g, const char *ref) {
    if (!str_starts(ref, "context.") && !str_starts(ref, "stageVariables.")) return NULL;
    char *v = gw_request_value(g, ref);
    return v ? v : xstrdup("");
}

/* A gateway response template: simple variable substitution, no VTL. */
static void substitute(gw_ctx *g, const char *tpl, buf *out) {
    for (const char *p = tpl; *p;) {
        if (*p != '$') {
            buf_putc(out, *p++);
            continue;
        }
        bool braced = p[1] == '{';
        const char *s = p + 1 + braced;
        size_t n = reference_len(s);
        const char *end = s + n + braced;
        char *ref = n && (!braced || s[n] == '}') ? xstrndup(s, n) : NULL;
        char *v = ref ? substitution(g, ref) : NULL;
        if (v)
            buf_puts(out, v);
        else
            buf_add(out, p, ref ? (size_t)(end - p) : 1);
        p = ref ? end : p + 1;
        free(v);
        free(ref);
    }
}

/* $context.error for the template and the header mappings. */
static cJSON *error_context(const char *msg, const char *rtype) {
    cJSON *e = cJSON_CreateObject();
    cJSON *m = cJSON_CreateString(msg);
    char *quoted = json_print(m);
    cJSON_Delete(m);
    cJSON_AddStringToObject(e, "message", msg);
    cJSON_AddStringToObject(e, "messageString", quoted);
    cJSON_AddStringToObject(e, "responseType", rtype);
    cJSON_AddStringToObject(e, "validationErrorString", "");
    free(quoted);
    return e;
}

/* API Gateway's own body: {"message": ...}, with a space after the colon
 * in 5XX bodies and none in 4XX ones, as it spells them. */
static char *default_body(int status, const char *msg) {
    cJSON *m = cJSON_CreateString(msg);
    char *q = json_print(m);
    cJSON_Delete(m);
    char *body = xasprintf("{\"message\":%s%s}", status >= 500 ? " " : "", q);
    free(q);
    return body;
}

/* Status, headers and body of a customized gateway response into r. */
static void customized_answer(gw_ctx *g, const apigw_gr *gr, const char *rtype, const char *msg,
                              int status) {
    http_response *r = g->resp;
    if (!g->context) gw_build_context(g);
    if (!g->stage_vars) {
        const cJSON *vars = json_obj(g->stage, "variables");
        g->stage_vars = vars ? cJSON_Duplicate(vars, 1) : cJSON_CreateObject();
    }
    json_set(g->context, "error", error_context(msg, rtype));
    const cJSON *tpl = template_for(g, gr->templates);
    char *body = NULL;
    if (cJSON_IsString(tpl) && strcmp(tpl->valuestring, APIGW_GR_TEMPLATE) != 0) {
        buf b = BUF_INIT;
        buf_puts(&b, "");
        substitute(g, tpl->valuestring, &b);
        body = buf_steal(&b);
        http_headers_set(&r->headers, "Content-Type", tpl->string);
    } else {
        body = default_body(status, msg);
    }
    static const char target[] = "gatewayresponse.header.";
    const cJSON *p;
    cJSON_ArrayForEach(p, gr->params) {
        if (!cJSON_IsString(p) || !str_starts(p->string, target)) continue;
        char *v = gw_request_value(g, p->valuestring);
        if (v) http_headers_set(&r->headers, p->string + sizeof target - 1, v);
        free(v);
    }
    cJSON_DeleteItemFromObjectCaseSensitive(g->context, "error");
    http_response_set_body(r, body, strlen(body));
    free(body);
}

int gw_error_answer(gw_ctx *g, int status, const char *error_type, const char *msg,
                    const char *why) {
    http_response *r = g->resp;
    http_headers_free(&r->headers);
    const char *rtype = response_type_of(status, error_type, why);
    apigw_gr gr;
    long st = status;
    bool custom = deployed_response(g, rtype, &gr);
    if (custom && gr.status) emu_parse_long(gr.status, &st);
    r->status = (int)st;
    http_headers_set(&r->headers, "Content-Type", "application/json");
    http_headers_set(&r->headers, "x-amzn-ErrorType", error_type);
    if (custom) {
        customized_answer(g, &gr, rtype, msg, status);
    } else {
        char *body = default_body(status, msg);
        http_response_set_body(r, body, strlen(body));
        free(body);
    }
    return r->status;
}
