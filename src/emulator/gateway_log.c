/* The execution log in the shape TestInvokeMethod returns it:
 *
 *   Execution log for request <id>
 *   Tue Jun 11 03:30:06 UTC 2024 : Starting execution for request: <id>
 *   Tue Jun 11 03:30:06 UTC 2024 : HTTP Method: GET, Resource Path: /items/1
 *   ...
 *
 * Maps print as Java's Map.toString ({ID=1, q=x}) and long values are cut
 * at 1000 characters with " [TRUNCATED]", as API Gateway cuts them. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/mem.h"
#include "gateway_internal.h"

#define LOG_VALUE_MAX 1000

void gw_java_date(int64_t ms, char out[40]) {
    time_t s = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&s, &tm);
    strftime(out, 40, "%a %b %d %H:%M:%S UTC %Y", &tm);
}

static void log_prefix(gw_ctx *g) {
    char date[40];
    gw_java_date(g->now_ms, date);
    buf_printf(&g->log, "%s : ", date);
}

void gw_log(gw_ctx *g, const char *fmt, ...) {
    log_prefix(g);
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&g->log, fmt, ap);
    va_end(ap);
    buf_putc(&g->log, '\n');
}

void gw_log_value(gw_ctx *g, const char *label, const char *v, size_t len) {
    log_prefix(g);
    buf_puts(&g->log, label);
    if (len > LOG_VALUE_MAX) {
        buf_add(&g->log, v, LOG_VALUE_MAX);
        buf_puts(&g->log, " [TRUNCATED]");
    } else if (len) {
        buf_add(&g->log, v, len);
    }
    buf_putc(&g->log, '\n');
}

char *gw_value_text(const cJSON *v) {
    if (!v || cJSON_IsNull(v)) return NULL;
    if (cJSON_IsString(v)) return xstrdup(v->valuestring);
    return json_print(v);
}

char *gw_map_text(const cJSON *obj) {
    buf b = BUF_INIT;
    buf_putc(&b, '{');
    const cJSON *it;
    bool first = true;
    cJSON_ArrayForEach(it, obj) {
        if (!first) buf_puts(&b, ", ");
        first = false;
        buf_puts(&b, it->string ? it->string : "");
        buf_putc(&b, '=');
        if (cJSON_IsArray(it)) { /* multi-valued: the values joined by commas */
            const cJSON *v;
            bool f2 = true;
            cJSON_ArrayForEach(v, it) {
                if (!f2) buf_putc(&b, ',');
                f2 = false;
                char *t = gw_value_text(v);
                buf_puts(&b, t ? t : "null");
                free(t);
            }
        } else {
            char *t = gw_value_text(it);
            buf_puts(&b, t ? t : "null");
            free(t);
        }
    }
    buf_putc(&b, '}');
    return buf_steal(&b);
}

char *gw_headers_text(const http_headers *h) {
    buf b = BUF_INIT;
    buf_putc(&b, '{');
    for (size_t i = 0; i < h->n; i++) {
        if (i) buf_puts(&b, ", ");
        buf_printf(&b, "%s=%s", h->v[i].name, h->v[i].value);
    }
    buf_putc(&b, '}');
    return buf_steal(&b);
}

void gw_uuid(emulator *emu, char out[40]) {
    uint64_t a = rand_u64(&emu->rand), b = rand_u64(&emu->rand);
    snprintf(out, 40, "%08x-%04x-4%03x-%04x-%012llx", (unsigned)(a >> 32),
             (unsigned)(a >> 16) & 0xffff, (unsigned)a & 0xfff,
             (unsigned)(0x8000 | ((b >> 48) & 0x3fff)),
             (unsigned long long)(b & 0xffffffffffffull));
}

void gw_media_type(const char *ct, char *out, size_t n) {
    size_t j = 0;
    if (ct) {
        while (*ct == ' ' || *ct == '\t')
            ct++;
        for (; *ct && *ct != ';' && j + 1 < n; ct++)
            out[j++] = (char)tolower((unsigned char)*ct);
    }
    while (j && (out[j - 1] == ' ' || out[j - 1] == '\t'))
        j--;
    out[j] = '\0';
}
