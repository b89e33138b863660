/* What the Lambda panes share: shared state, quiet reads, text for the
 * screen (times, weights, the log's REPORT line), choices from the mirror
 * and the resource-based policy as rows. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"
#include "pane_fn.h"
#include "transport/http.h"
#include "ui/draw.h"

/* --- shared state ------------------------------------------------------------- */

typedef struct shared_head {
    int refs;
    void (*fini)(void *);
    max_align_t align[]; /* the caller's block follows, suitably aligned */
} shared_head;

static shared_head *head_of(void *p) {
    return (shared_head *)((char *)p - offsetof(shared_head, align));
}

void *fn_shared_new(size_t size, void (*fini)(void *)) {
    shared_head *h = xcalloc(1, sizeof *h + size);
    h->refs = 1;
    h->fini = fini;
    return h->align;
}

void *fn_shared_ref(void *p) {
    if (p) head_of(p)->refs++;
    return p;
}

void fn_shared_unref(void *p) {
    if (!p) return;
    shared_head *h = head_of(p);
    if (--h->refs > 0) return;
    if (h->fini) h->fini(p);
    free(h);
}

/* --- quiet reads ----------------------------------------------------------------- */

ui_job *fn_read_job(ui_ctx *cx, const char *what) { return ui_job_new(cx, what, 0); }

void fn_read_quiet(ui_job *j) {
    ui_ctx *cx = ui_job_ctx(j);
    ui_job_set_note(j, "%s", cx ? cx->msg : "");
}

/* --- text ---------------------------------------------------------------------------- */

void fn_short_time(const char *iso, char *out, size_t n) {
    if (!iso) iso = "";
    if (strlen(iso) >= 16 && iso[10] == 'T')
        snprintf(out, n, "%.10s %.5s", iso, iso + 11);
    else
        snprintf(out, n, "%s", iso);
}

void fn_short_sha(const char *sha, char *out, size_t n) {
    snprintf(out, n, "%.8s", sha ? sha : "");
}

void fn_pct_text(double pct, char *out, size_t n) {
    double r = round(pct * 100.0) / 100.0;
    if (r == 0) r = 0; /* no "-0" */
    snprintf(out, n, "%.2f", r);
    char *dot = strchr(out, '.');
    if (!dot) return;
    char *end = out + strlen(out);
    while (end > dot + 1 && end[-1] == '0')
        *--end = '\0';
    if (end == dot + 1) *dot = '\0';
}

char *fn_weights_text(const cJSON *alias) {
    const char *main = json_str_or(alias, "FunctionVersion", "?");
    const cJSON *w = json_obj(json_obj(alias, "RoutingConfig"), "AdditionalVersionWeights");
    double extra = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, w) if (cJSON_IsNumber(it)) extra += it->valuedouble;
    buf b = BUF_INIT;
    char pct[32];
    fn_pct_text((1.0 - extra) * 100.0, pct, sizeof pct);
    buf_printf(&b, "%s: %s%%", main, pct);
    cJSON_ArrayForEach(it, w) {
        if (!cJSON_IsNumber(it)) continue;
        fn_pct_text(it->valuedouble * 100.0, pct, sizeof pct);
        buf_printf(&b, " / %s: %s%%", it->string, pct);
    }
    return buf_steal(&b);
}

int fn_weight_parse(const char *text, double *out) {
    while (isspace((unsigned char)*text))
        text++;
    size_t len = strlen(text);
    while (len && isspace((unsigned char)text[len - 1]))
        len--;
    if (len && text[len - 1] == '%') len--;
    if (!len) return -1;
    char *copy = xstrndup(text, len), *end;
    double v = strtod(copy, &end);
    bool ok = end != copy && *end == '\0' && isfinite(v);
    free(copy);
    if (!ok) return -1;
    *out = v / 100.0;
    return 0;
}

/* "Duration: 1.37 ms" → 1.37 when the field's name is key. */
static bool report_field(const char *field, const char *key, double *out) {
    size_t k = strlen(key);
    if (strncmp(field, key, k) != 0 || strncmp(field + k, ": ", 2) != 0) return false;
    char *end;
    double v = strtod(field + k + 2, &end);
    if (end == field + k + 2) return false;
    *out = v;
    return true;
}

void fn_parse_report(const char *log, fn_report *out) {
    memset(out, 0, sizeof *out);
    out->init_ms = -1;
    const char *line = log ? strstr(log, "REPORT RequestId: ") : NULL;
    if (!line) return;
    out->found = true;
    size_t len = strcspn(line, "\n");
    char *copy = xstrndup(line, len);
    char *save = NULL;
    for (char *f = strtok_r(copy, "\t", &save); f; f = strtok_r(NULL, "\t", &save)) {
        while (*f == ' ')
            f++;
        double v;
        if (strncmp(f, "REPORT RequestId: ", 18) == 0)
            snprintf(out->request_id, sizeof out->request_id, "%.*s", (int)strcspn(f + 18, " \t"),
                     f + 18);
        else if (report_field(f, "Duration", &v))
            out->duration_ms = v;
        else if (report_field(f, "Billed Duration", &v))
            out->billed_ms = v;
        else if (report_field(f, "Init Duration", &v))
            out->init_ms = v;
        else if (report_field(f, "Memory Size", &v))
            out->memory_mb = (int)v;
        else if (report_field(f, "Max Memory Used", &v))
            out->max_memory_mb = (int)v;
    }
    free(copy);
}

/* --- code location -------------------------------------------------------------------- */

http_request *fn_code_request(const char *location) {
    const char *rest = NULL;
    if (str_starts(location, "http://"))
        rest = location + 7;
    else if (str_starts(location, "https://"))
        rest = location + 8;
    if (!rest) return NULL;
    size_t hlen = strcspn(rest, "/?#");
    if (!hlen) return NULL;
    char *host = xstrndup(rest, hlen);
    const char *path = rest + hlen;
    size_t plen = strcspn(path, "?#");
    char *target = *path == '/' ? xstrndup(path, plen) : xasprintf("/%.*s", (int)plen, path);
    http_request *req = http_request_new("GET", target);
    if (path[plen] == '?') {
        const char *q = path + plen + 1;
        free(req->query);
        req->query = xstrndup(q, strcspn(q, "#"));
    }
    http_headers_set(&req->headers, "Host", host);
    req->service = xstrdup("lambda");
    req->anonymous = true; /* presigned: signing it again would be refused */
    free(target);
    free(host);
    return req;
}

/* --- choices ------------------------------------------------------------------------------ */

static int newest_first(const void *a, const void *b) {
    long x = strtol(*(const char *const *)a, NULL, 10),
         y = strtol(*(const char *const *)b, NULL, 10);
    return x < y ? 1 : x > y ? -1 : 0;
}

size_t fn_published(const cJSON *versions, const char **out, size_t max) {
    size_t n = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, versions) {
        const char *v = json_str(it, "Version");
        if (!v || strcmp(v, "$LATEST") == 0 || n == max) continue;
        out[n++] = v;
    }
    qsort(out, n, sizeof *out, newest_first);
    return n;
}

/* arn:aws:lambda:REGION:ACCOUNT:function:NAME → ACCOUNT. */
static char *arn_account(const char *arn) {
    const char *p = arn;
    for (int i = 0; i < 4 && p; i++) {
        p = strchr(p, ':');
        if (p) p++;
    }
    if (!p) return NULL;
    size_t n = strcspn(p, ":");
    return n == 12 ? xstrndup(p, n) : NULL;
}

char *fn_account(const ui_ctx *cx) {
    if (cx->account && *cx->account) return xstrdup(cx->account);
    const cJSON *it;
    cJSON_ArrayForEach(it, mirror_functions(cx->m)) {
        char *a = arn_account(json_str_or(it, "FunctionArn", ""));
        if (a) return a;
    }
    return NULL;
}

/* --- policy ----------------------------------------------------------------------------------- */

/* A string, or the strings of an array joined with ", ". */
static char *strings_of(const cJSON *v) {
    if (cJSON_IsString(v)) return xstrdup(v->valuestring);
    buf b = BUF_INIT;
    const cJSON *it;
    cJSON_ArrayForEach(it, v) {
        if (!cJSON_IsString(it)) continue;
        buf_printf(&b, "%s%s", b.len ? ", " : "", it->valuestring);
    }
    return buf_steal(&b);
}

static char *principal_of(const cJSON *p) {
    if (cJSON_IsString(p)) return xstrdup(p->valuestring);
    const cJSON *it;
    buf b = BUF_INIT;
    cJSON_ArrayForEach(it, p) {
        char *v = strings_of(it);
        buf_printf(&b, "%s%s", b.len ? ", " : "", v);
        free(v);
    }
    return buf_steal(&b);
}

/* The AWS:SourceArn of any condition operator (keys compare without case,
 * as IAM's do). */
static const char *source_arn_of(const cJSON *cond) {
    const cJSON *op, *kv;
    cJSON_ArrayForEach(op, cond) {
        cJSON_ArrayForEach(kv, op) {
            if (kv->string && str_casecmp(kv->string, "AWS:SourceArn") == 0 && cJSON_IsString(kv))
                return kv->valuestring;
        }
    }
    return NULL;
}

static void add_statement(cJSON *rows, const cJSON *st, const char *qualifier) {
    cJSON *row = cJSON_CreateObject();
    json_set_str(row, "Qualifier", qualifier ? qualifier : "");
    json_set_str(row, "Sid", json_str_or(st, "Sid", ""));
    char *p = principal_of(cJSON_GetObjectItemCaseSensitive(st, "Principal"));
    json_set_str(row, "Principal", p);
    free(p);
    char *a = strings_of(cJSON_GetObjectItemCaseSensitive(st, "Action"));
    json_set_str(row, "Action", a);
    free(a);
    json_set_str(row, "Effect", json_str_or(st, "Effect", ""));
    const char *src = source_arn_of(json_obj(st, "Condition"));
    json_set_str(row, "SourceArn", src ? src : "");
    char *r = strings_of(cJSON_GetObjectItemCaseSensitive(st, "Resource"));
    json_set_str(row, "Resource", r);
    free(r);
    cJSON_AddItemToArray(rows, row);
}

void fn_policy_rows(cJSON *rows, const cJSON *policy, const char *qualifier) {
    const cJSON *stmts = cJSON_GetObjectItemCaseSensitive(policy, "Statement");
    if (cJSON_IsObject(stmts)) {
        add_statement(rows, stmts, qualifier);
        return;
    }
    const cJSON *st;
    cJSON_ArrayForEach(st, stmts) if (cJSON_IsObject(st)) add_statement(rows, st, qualifier);
}

/* --- request inputs --------------------------------------------------------------------------- */

cJSON *fn_alias_weights(bool weighted, const char *version, const char *percent, char *msg,
                        size_t n) {
    if (!weighted) return cJSON_CreateObject();
    if (!version || !*version) {
        snprintf(msg, n, "Choose the additional version (publish a second version first)");
        return NULL;
    }
    double w;
    if (fn_weight_parse(percent ? percent : "", &w) != 0) {
        snprintf(msg, n, "The weight is a percentage, e.g. 20");
        return NULL;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, version, w);
    return o;
}

/* --- drawing ---------------------------------------------------------------------------------- */

void fn_text_set(fn_text *t, const char *text, bool wrap) {
    fn_text_free(t);
    t->src = xstrdup(text ? text : "");
    t->wrap = wrap;
    t->width = -1;
}

static void drop_lines(fn_text *t) {
    for (size_t i = 0; i < t->n; i++)
        free(t->line[i]);
    free(t->line);
    t->line = NULL;
    t->n = 0;
}

void fn_text_free(fn_text *t) {
    drop_lines(t);
    free(t->src);
    t->src = NULL;
    t->width = -1;
}

static void push_line(fn_text *t, size_t *cap, char *s) {
    if (t->n == *cap) {
        *cap = *cap ? *cap * 2 : 32;
        t->line = xrealloc(t->line, *cap * sizeof *t->line);
    }
    t->line[t->n++] = s;
}

/* One source line: tabs to the next multiple of 4, then made safe. */
static char *clean_line(const char *s, size_t len) {
    buf b = BUF_INIT;
    size_t col = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\t') {
            do
                buf_putc(&b, ' ');
            while (++col % 4);
        } else if (s[i] != '\r' || i + 1 != len) {
            buf_putc(&b, s[i]);
            if (((unsigned char)s[i] & 0xC0) != 0x80) col++;
        }
    }
    char *raw = buf_steal(&b);
    char *safe = text_sanitize(raw);
    free(raw);
    return safe;
}

/* Split s into pieces of at most width characters (one column each; the
 * text is ASCII in practice: code, JSON, logs). */
static void wrap_into(fn_text *t, size_t *cap, char *s, int width) {
    size_t len = strlen(s);
    if (!t->wrap || width <= 0 || len <= (size_t)width) {
        push_line(t, cap, s);
        return;
    }
    const char *p = s;
    while (*p) {
        const char *q = p;
        for (int c = 0; *q && c < width; c++) {
            q++;
            while (((unsigned char)*q & 0xC0) == 0x80)
                q++;
        }
        push_line(t, cap, xstrndup(p, (size_t)(q - p)));
        p = q;
    }
    free(s);
}

void fn_text_layout(fn_text *t, int width) {
    if (!t->src || ((t->width == width || !t->wrap) && t->line)) return;
    drop_lines(t);
    t->width = width;
    size_t cap = 0;
    const char *p = t->src;
    for (;;) {
        size_t len = strcspn(p, "\n");
        if (!p[len] && !len && t->n) break; /* no empty line after a final newline */
        wrap_into(t, &cap, clean_line(p, len), width);
        if (!p[len]) break;
        p += len + 1;
    }
}

void fn_text_draw(fn_text *t, WINDOW *w, const ui_theme *th, int y, int h, int width, size_t top,
                  bool numbered) {
    int gutter = 0;
    if (numbered) {
        char digits[24];
        gutter = snprintf(digits, sizeof digits, "%zu", t->n) + 2;
        if (gutter < 4) gutter = 4;
    }
    fn_text_layout(t, width - 2 - gutter);
    for (int r = 0; r < h && top + (size_t)r < t->n; r++) {
        size_t i = top + (size_t)r;
        if (numbered) {
            char num[24];
            snprintf(num, sizeof num, "%*zu", gutter - 1, i + 1);
            wattrset(w, th->attr[UI_R_DIM]);
            draw_text(w, th, y + r, 0, num, gutter);
            wattrset(w, A_NORMAL);
        }
        draw_text(w, th, y + r, 1 + gutter, t->line[i], width - 2 - gutter);
    }
}

bool fn_text_scroll(const fn_text *t, size_t *top, int page, ui_action a) {
    size_t old = *top, step = page > 2 ? (size_t)page - 1 : 1;
    size_t max = t->n > (size_t)(page > 0 ? page : 1) ? t->n - (size_t)(page > 0 ? page : 1) : 0;
    switch (a) {
    case UI_ACT_UP: *top = *top ? *top - 1 : 0; break;
    case UI_ACT_DOWN: *top = *top + 1; break;
    case UI_ACT_PGUP: *top = *top > step ? *top - step : 0; break;
    case UI_ACT_PGDN: *top = *top + step; break;
    case UI_ACT_HOME: *top = 0; break;
    case UI_ACT_END: *top = max; break;
    default: return false;
    }
    if (*top > max) *top = max;
    return *top != old;
}

int fn_draw_pairs(WINDOW *w, const ui_theme *th, int y, int width, int maxrows,
                  const char *const *pairs, size_t npairs) {
    int row = 0, x = 1;
    for (size_t i = 0; i < npairs * 2 && row < maxrows; i += 2) {
        char *label = xasprintf("%s:", pairs[i]);
        char *value = text_sanitize(pairs[i + 1] ? pairs[i + 1] : "");
        int need = draw_width(th, label) + 1 + draw_width(th, value);
        if (x > 1 && x + need > width - 1) {
            row++;
            x = 1;
        }
        if (row < maxrows) {
            wattrset(w, th->attr[UI_R_DIM]);
            x += draw_text(w, th, y + row, x, label, width - 1 - x) + 1;
            wattrset(w, A_NORMAL);
            if (x < width - 1) x += draw_text(w, th, y + row, x, value, width - 1 - x);
            x += 3;
        }
        free(label);
        free(value);
    }
    if (!npairs) return 0;
    return row < maxrows ? row + 1 : maxrows;
}

void fn_heading(WINDOW *w, const ui_ctx *cx, int width, const char *title, const char *filter) {
    char *fn = text_sanitize(cx->fn_name ? cx->fn_name : "");
    char *full = xasprintf("%s%s%s", fn, cx->th->sep, title);
    pane_heading(w, cx, width, false, full, filter);
    free(full);
    free(fn);
}
