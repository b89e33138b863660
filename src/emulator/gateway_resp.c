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
 * response headers. */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The template entry for the request's Accept header. */
static const cJSON *response_template(const gw_ctx *g, const cJSON *ir) {
    const cJSON *templates = json_obj(ir, "responseTemplates");
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
