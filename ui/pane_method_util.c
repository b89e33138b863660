/* What Method Execution's files and its Test view share (see
 * ui/method_priv.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"
#include "method_priv.h"
#include "ui/integ.h"

const cJSON *method_resource(const ui_ctx *cx, const char *api, const char *res_id) {
    return json_find(mirror_resources(cx->m, api), "id", res_id);
}

const cJSON *method_of(const cJSON *resource, const char *verb) {
    return json_obj(json_obj(resource, "resourceMethods"), verb);
}

/* --- the views ------------------------------------------------------------------------ */

void method_heading(WINDOW *w, const ui_ctx *cx, int width, const char *verb, const char *path,
                    const char *what) {
    char *raw = xasprintf("%s %s", verb, path ? path : ""), *safe = text_sanitize(raw);
    char *title = xasprintf("%s%s%s", safe, cx->th->sep, what);
    pane_heading(w, cx, width, true, title, NULL);
    free(title);
    free(safe);
    free(raw);
}

static int by_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char **method_sorted_keys(const cJSON *obj, size_t *n) {
    *n = (size_t)cJSON_GetArraySize(obj);
    const char **keys = xcalloc(*n + 1, sizeof *keys);
    size_t k = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, obj) keys[k++] = it->string;
    qsort(keys, k, sizeof *keys, by_str);
    return keys;
}

size_t method_index_of(const char *const *opts, size_t n, const char *v) {
    for (size_t i = 0; v && i < n; i++)
        if (strcmp(opts[i], v) == 0) return i;
    return 0;
}

const char *method_kind_word(const cJSON *in) {
    bool proxy;
    if (!in) return "none";
    switch (integ_kind_of(in, &proxy)) {
    case INTEG_LAMBDA: return proxy ? "Lambda proxy" : "Lambda function";
    case INTEG_HTTP: return proxy ? "HTTP proxy" : "HTTP";
    case INTEG_MOCK: return "Mock";
    case INTEG_AWS: break;
    }
    return "AWS service";
}

char *method_backend_text(const ui_ctx *cx, const cJSON *in) {
    bool proxy;
    if (!in) return xstrdup("no integration yet");
    const char *uri = json_str_or(in, "uri", "");
    switch (integ_kind_of(in, &proxy)) {
    case INTEG_LAMBDA: {
        char *fn = integ_fn_of_uri(uri, cx->region, cx->account);
        return fn ? fn : xstrdup(uri);
    }
    case INTEG_MOCK: return xstrdup("Mock endpoint");
    default: break;
    }
    return xasprintf("%s %s", json_str_or(in, "httpMethod", ""), uri);
}

/* --- text ---------------------------------------------------------------------------- */

/* s[0..n) without spaces around it. malloc'd. */
static char *trim_n(const char *s, size_t n) {
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return xstrndup(s, n);
}

char *method_trim(const char *s) { return trim_n(s, strlen(s)); }

/* Calls line(text, len, lineno, ud) for each line that is not blank;
 * stops at the first that returns -1. */
typedef int (*line_fn)(const char *s, size_t n, int no, void *ud);
static int each_line(const char *text, line_fn fn, void *ud) {
    int no = 0;
    for (const char *p = text ? text : ""; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        no++;
        char *t = trim_n(p, n);
        int rc = *t ? fn(p, n, no, ud) : 0;
        free(t);
        if (rc != 0) return -1;
        p += n + (nl ? 1 : 0);
    }
    return 0;
}

typedef struct pairs_ctx {
    cJSON *out;
    char sep;
    const char *prefix;
    char *msg;
    size_t n;
} pairs_ctx;

static int pair_line(const char *s, size_t n, int no, void *ud) {
    pairs_ctx *c = ud;
    const char *at = memchr(s, c->sep, n);
    char *name = at ? trim_n(s, (size_t)(at - s)) : NULL;
    if (!name || !*name) {
        snprintf(c->msg, c->n,
                 at ? "Line %d: a name goes before '%c'" : "Line %d: write it as name%cvalue", no,
                 c->sep);
        free(name);
        return -1;
    }
    char *value = trim_n(at + 1, n - (size_t)(at + 1 - s));
    char *key = xasprintf("%s%s", c->prefix && !str_starts(name, c->prefix) ? c->prefix : "", name);
    json_set_str(c->out, key, value);
    free(key);
    free(value);
    free(name);
    return 0;
}

cJSON *method_parse_pairs(const char *text, char sep, const char *prefix, char *msg, size_t n) {
    pairs_ctx c = {cJSON_CreateObject(), sep, prefix, msg, n};
    if (each_line(text, pair_line, &c) == 0) return c.out;
    cJSON_Delete(c.out);
    return NULL;
}

static const char *unprefixed(const char *name, const char *prefix) {
    return prefix && str_starts(name, prefix) ? name + strlen(prefix) : name;
}

char *method_pairs_text(const cJSON *obj, const char *sep, const char *prefix) {
    buf b = BUF_INIT;
    buf_puts(&b, "");
    const cJSON *it;
    cJSON_ArrayForEach(it, obj) {
        if (!cJSON_IsString(it)) continue;
        buf_printf(&b, "%s%s%s\n", unprefixed(it->string, prefix), sep, it->valuestring);
    }
    return buf_steal(&b);
}

typedef struct flags_ctx {
    cJSON *out;
    const char *prefix;
    char *msg;
    size_t n;
} flags_ctx;

static int flag_line(const char *s, size_t n, int no, void *ud) {
    flags_ctx *c = ud;
    const char *eq = memchr(s, '=', n);
    char *name = trim_n(s, eq ? (size_t)(eq - s) : n);
    char *how = eq ? trim_n(eq + 1, n - (size_t)(eq + 1 - s)) : xstrdup("optional");
    bool req = strcmp(how, "required") == 0, ok = req || strcmp(how, "optional") == 0;
    int rc = 0;
    if (!*name || !ok) {
        snprintf(c->msg, c->n, "Line %d: write NAME, NAME=required or NAME=optional", no);
        rc = -1;
    } else {
        char *key =
            xasprintf("%s%s", c->prefix && !str_starts(name, c->prefix) ? c->prefix : "", name);
        cJSON_DeleteItemFromObjectCaseSensitive(c->out, key);
        cJSON_AddBoolToObject(c->out, key, req);
        free(key);
    }
    free(name);
    free(how);
    return rc;
}

cJSON *method_parse_flags(const char *text, const char *prefix, char *msg, size_t n) {
    flags_ctx c = {cJSON_CreateObject(), prefix, msg, n};
    if (each_line(text, flag_line, &c) == 0) return c.out;
    cJSON_Delete(c.out);
    return NULL;
}

char *method_flags_text(const cJSON *flags, const char *prefix) {
    buf b = BUF_INIT;
    buf_puts(&b, "");
    const cJSON *it;
    cJSON_ArrayForEach(it, flags) {
        buf_printf(&b, "%s%s\n", unprefixed(it->string, prefix),
                   cJSON_IsTrue(it) ? "=required" : "");
    }
    return buf_steal(&b);
}

cJSON *method_path_params(const char *path) {
    cJSON *out = cJSON_CreateArray();
    for (const char *p = path ? path : ""; (p = strchr(p, '{'));) {
        const char *end = strchr(p, '}');
        if (!end) break;
        size_t n = (size_t)(end - p - 1);
        if (n && p[n] == '+') n--; /* {proxy+}: the name is proxy */
        if (n) {
            char *name = xstrndup(p + 1, n);
            cJSON_AddItemToArray(out, cJSON_CreateString(name));
            free(name);
        }
        p = end + 1;
    }
    return out;
}

char *method_test_path(const char *path, const cJSON *values, const char *query) {
    buf b = BUF_INIT;
    buf_puts(&b, "");
    const char *p = path ? path : "/";
    for (;;) {
        const char *open = strchr(p, '{'), *end = open ? strchr(open, '}') : NULL;
        if (!end) {
            buf_puts(&b, p);
            break;
        }
        buf_add(&b, p, (size_t)(open - p));
        size_t n = (size_t)(end - open - 1);
        bool greedy = n && open[n] == '+';
        char *name = xstrndup(open + 1, greedy ? n - 1 : n);
        const char *v = json_str(values, name);
        if (v && *v) {
            char *enc = url_encode(v, greedy);
            buf_puts(&b, enc);
            free(enc);
        } else {
            buf_add(&b, open, (size_t)(end - open + 1));
        }
        free(name);
        p = end + 1;
    }
    if (query) {
        while (*query == '?' || isspace((unsigned char)*query))
            query++;
        if (*query) buf_printf(&b, "?%s", query);
    }
    return buf_steal(&b);
}

char *method_pretty_body(const char *body) {
    if (!body) return xstrdup("");
    cJSON *j = cJSON_Parse(body);
    if (!j) return xstrdup(body);
    char *s = json_pretty(j);
    cJSON_Delete(j);
    return s;
}

char *method_summary(const char *text) {
    if (!text) return xstrdup("");
    while (*text == '\n' || *text == '\r')
        text++;
    const char *nl = strchr(text, '\n');
    if (!nl) return xstrdup(text);
    int lines = 1;
    for (const char *p = text; *p; p++)
        if (*p == '\n' && p[1]) lines++;
    char *first = trim_n(text, (size_t)(nl - text));
    char *s = lines > 1 ? xasprintf("%s  (%d lines)", first, lines) : xstrdup(first);
    free(first);
    return s;
}
