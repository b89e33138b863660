/* `apigw-console invoke`: what it prints (see cli/invoke.h). Everything
 * goes into a buffer or a JSON document, so tests read it without a
 * terminal. */
#include "cli/invoke.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"

static const char *reason(int status) {
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "";
    }
}

/* Terminal-safe text of s[0..n): every line through text_sanitize (which
 * would turn the newlines themselves into '?'), NUL bytes shown as '?'. */
static void put_safe_lines(buf *out, const char *s, size_t n) {
    size_t start = 0;
    while (start <= n) {
        size_t end = start;
        while (end < n && s[end] != '\n')
            end++;
        size_t len = end;
        if (len > start && s[len - 1] == '\r') len--; /* CRLF text */
        char *line = xmalloc(len - start + 1);
        memcpy(line, s + start, len - start);
        line[len - start] = '\0';
        for (size_t i = 0; i < len - start; i++)
            if (!line[i]) line[i] = '?';
        char *safe = text_sanitize(line);
        buf_puts(out, safe);
        free(safe);
        free(line);
        if (end >= n) break;
        buf_putc(out, '\n');
        start = end + 1;
    }
}

static void put_safe(buf *out, const char *s) { put_safe_lines(out, s, strlen(s)); }

/* The body as the user should read it: pretty JSON when it parses. */
static char *body_text(const http_response *resp, size_t *len) {
    if (!resp->body_len) {
        *len = 0;
        return NULL;
    }
    err e;
    cJSON *v = json_parse(resp->body, resp->body_len, &e);
    if (v) {
        char *s = json_pretty(v);
        cJSON_Delete(v);
        *len = strlen(s);
        return s;
    }
    *len = resp->body_len;
    char *s = xmalloc(resp->body_len + 1);
    memcpy(s, resp->body, resp->body_len);
    s[resp->body_len] = '\0';
    return s;
}

static void text_header_line(buf *out, const invoke_result *x) {
    buf_puts(out, "=== stage ");
    put_safe(out, x->stage);
    if (x->status == 0) {
        buf_puts(out, ": no answer: ");
        put_safe(out, x->error);
        buf_puts(out, " ===\n");
        return;
    }
    const char *why = reason(x->status);
    buf_printf(out, ": %d%s%s in %.1f ms ===\n", x->status, *why ? " " : "", why, x->latency_ms);
}

static void text_lambda(buf *out, const gateway_trace *t) {
    buf_puts(out, "Lambda:    ");
    if (!t->function[0]) {
        buf_puts(out, "none\n");
        return;
    }
    put_safe(out, t->function);
    if (t->alias[0]) {
        buf_puts(out, ", alias ");
        put_safe(out, t->alias);
    }
    if (t->version[0]) {
        buf_puts(out, ", version ");
        put_safe(out, t->version);
    }
    buf_putc(out, '\n');
}

static void text_trace(buf *out, const gateway_trace *t) {
    if (t->resource_path[0]) {
        buf_puts(out, "Resource:  ");
        put_safe(out, t->resource_path);
        buf_putc(out, '\n');
    }
    text_lambda(out, t);
    buf_printf(out, "Cache:     %s\n", !t->cache_used ? "off" : t->cache_hit ? "hit" : "miss");
    if (t->throttle_remaining >= 0)
        buf_printf(out, "Throttle:  %ld requests left in the bucket\n", t->throttle_remaining);
    else
        buf_puts(out, "Throttle:  no limit\n");
    if (t->quota_remaining >= 0)
        buf_printf(out, "Quota:     %ld requests left\n", t->quota_remaining);
    else
        buf_puts(out, "Quota:     no quota\n");
}

/* Over the network only the answer is seen: AWS sends no header that tells
 * which Lambda version ran, whether the cache answered, or what is left of
 * the throttle bucket and the quota, so nothing is guessed. */
static void text_unknown(buf *out) {
    buf_puts(out, "Lambda:    unknown over the network\n"
                  "Cache:     unknown over the network\n"
                  "Throttle:  unknown over the network\n"
                  "Quota:     unknown over the network\n");
}

static void text_headers_body(buf *out, const http_response *resp) {
    for (size_t i = 0; i < resp->headers.n; i++) {
        buf_puts(out, "< ");
        put_safe(out, resp->headers.v[i].name);
        buf_puts(out, ": ");
        put_safe(out, resp->headers.v[i].value);
        buf_putc(out, '\n');
    }
    buf_putc(out, '\n');
    size_t len;
    char *body = body_text(resp, &len);
    if (!body) {
        buf_puts(out, "(no body)\n");
        return;
    }
    put_safe_lines(out, body, len);
    if (len == 0 || body[len - 1] != '\n') buf_putc(out, '\n');
    free(body);
}

/* TestInvokeMethod ran the current configuration: no deployment, and none
 * of the stage's API key, throttle, quota or cache. */
static void text_undeployed(buf *out, const invoke_result *x) {
    buf_puts(out, "Config:    current, not deployed (TestInvokeMethod with stage ");
    put_safe(out, x->stage);
    buf_puts(out, "'s variables)\n");
    buf_puts(out, "Resource:  ");
    put_safe(out, x->trace.resource_path);
    buf_putc(out, '\n');
}

void invoke_format_text(buf *out, const invoke_result *r, size_t n, bool log) {
    for (size_t i = 0; i < n; i++) {
        const invoke_result *x = &r[i];
        if (i) buf_putc(out, '\n');
        text_header_line(out, x);
        if (x->status == 0) continue;
        if (x->undeployed)
            text_undeployed(out, x);
        else if (x->traced)
            text_trace(out, &x->trace);
        else
            text_unknown(out);
        text_headers_body(out, &x->resp);
        bool has_log = x->traced || x->undeployed;
        if (log && has_log && x->trace.log && *x->trace.log) {
            buf_puts(out, "\nExecution log:\n");
            put_safe(out, x->trace.log);
            if (!str_ends(x->trace.log, "\n")) buf_putc(out, '\n');
        }
    }
}

static void json_str_or_null(cJSON *o, const char *key, const char *v) {
    if (v && *v)
        cJSON_AddStringToObject(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}

static void json_count_or_null(cJSON *o, const char *key, bool known, long v) {
    if (known && v >= 0)
        cJSON_AddNumberToObject(o, key, (double)v);
    else
        cJSON_AddNullToObject(o, key);
}

/* Headers as an object; a name that repeats gets its values joined by
 * ", ", as HTTP allows. */
static cJSON *headers_json(const http_headers *h) {
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; i < h->n; i++) {
        const char *name = h->v[i].name, *prev = json_str(o, name);
        if (prev) {
            char *joined = xasprintf("%s, %s", prev, h->v[i].value);
            json_set_str(o, name, joined);
            free(joined);
        } else {
            cJSON_AddStringToObject(o, name, h->v[i].value);
        }
    }
    return o;
}

static cJSON *body_json(const http_response *resp) {
    if (!resp->body_len) return cJSON_CreateString("");
    err e;
    cJSON *v = json_parse(resp->body, resp->body_len, &e);
    if (v) return v;
    char *s = xmalloc(resp->body_len + 1);
    memcpy(s, resp->body, resp->body_len);
    s[resp->body_len] = '\0';
    for (size_t i = 0; i < resp->body_len; i++)
        if (!s[i]) s[i] = '?'; /* a JSON string stops at NUL in cJSON */
    cJSON *str = cJSON_CreateString(s);
    free(s);
    return str;
}

/* Milliseconds to the microsecond: more digits would only be noise. */
static void add_ms(cJSON *o, const char *key, double ms) {
    cJSON_AddNumberToObject(o, key, round(ms * 1000.0) / 1000.0);
}

static cJSON *lambda_json(const invoke_result *x) {
    if (!x->traced || !x->trace.function[0]) return cJSON_CreateNull();
    cJSON *l = cJSON_CreateObject();
    json_str_or_null(l, "function", x->trace.function);
    json_str_or_null(l, "alias", x->trace.alias);
    json_str_or_null(l, "version", x->trace.version);
    return l;
}

/* What every stage's entry starts with: the stage, how it was run, the
 * status (null, with the error, when no answer came) and the round trip. */
static cJSON *stage_head(const invoke_result *x) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "stage", x->stage);
    cJSON_AddBoolToObject(o, "undeployed", x->undeployed);
    if (x->status == 0) {
        cJSON_AddNullToObject(o, "status");
        cJSON_AddStringToObject(o, "error", x->error);
    } else {
        cJSON_AddNumberToObject(o, "status", x->status);
    }
    add_ms(o, "latencyMs", x->latency_ms);
    return o;
}

/* TestInvokeMethod's answer: what it tells, and null for what it does not
 * do (no Lambda report, no cache, throttle or quota). */
static cJSON *undeployed_json(const invoke_result *x) {
    cJSON *o = stage_head(x);
    if (x->status == 0) return o;
    add_ms(o, "testLatencyMs", x->trace.latency_ms);
    json_str_or_null(o, "resourcePath", x->trace.resource_path);
    static const char *const unknown[] = {"lambda", "cache", "throttleRemaining",
                                          "quotaRemaining", "integrationLatencyMs"};
    for (size_t i = 0; i < sizeof unknown / sizeof *unknown; i++)
        cJSON_AddNullToObject(o, unknown[i]);
    cJSON_AddItemToObject(o, "headers", headers_json(&x->resp.headers));
    cJSON_AddItemToObject(o, "body", body_json(&x->resp));
    cJSON_AddStringToObject(o, "log", x->trace.log ? x->trace.log : "");
    return o;
}

static cJSON *stage_json(const invoke_result *x) {
    if (x->undeployed) return undeployed_json(x);
    cJSON *o = stage_head(x);
    if (x->status == 0) return o;
    const gateway_trace *t = &x->trace;
    json_str_or_null(o, "resourcePath", x->traced ? t->resource_path : NULL);
    cJSON_AddItemToObject(o, "lambda", lambda_json(x));
    json_str_or_null(o, "cache",
                     !x->traced || !t->cache_used ? NULL
                     : t->cache_hit               ? "hit"
                                                  : "miss");
    json_count_or_null(o, "throttleRemaining", x->traced, t->throttle_remaining);
    json_count_or_null(o, "quotaRemaining", x->traced, t->quota_remaining);
    if (x->traced)
        add_ms(o, "integrationLatencyMs", t->integration_ms);
    else
        cJSON_AddNullToObject(o, "integrationLatencyMs");
    cJSON_AddItemToObject(o, "headers", headers_json(&x->resp.headers));
    cJSON_AddItemToObject(o, "body", body_json(&x->resp));
    json_str_or_null(o, "log", x->traced ? t->log : NULL);
    return o;
}

cJSON *invoke_to_json(const invoke_result *r, size_t n) {
    cJSON *doc = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(doc, "stages");
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(arr, stage_json(&r[i]));
    return doc;
}

int invoke_exit_status(const invoke_result *r, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (r[i].status < 200 || r[i].status > 299) return 1;
    return 0;
}
