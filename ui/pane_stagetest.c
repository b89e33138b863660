/* Test every stage: one request sent to every stage of the API at once,
 * the answers side by side (the console can only test one method without
 * a stage, or one URL at a time). Each column fills in as its stage
 * answers. On the emulator the data plane also says which Lambda alias
 * and version served, cache hit or miss, and throttle and quota left (its
 * trace header); on AWS those show as unknown.
 *
 * The answers live in a run shared by the pane and the requests in flight
 * (reference counted), so a pane closed while requests run leaves them
 * nothing dangling to write into. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_priv.h"
#include "cli/invoke.h"
#include "client/raw.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"
#include "emulator/gateway.h"
#include "ui/draw.h"
#include "ui/pane.h"

typedef enum view { V_BODY, V_HEADERS, V_LOG, V__COUNT } view;
static const char *const view_names[] = {"body", "headers", "log"};

typedef struct answer {
    char *stage, *vars; /* vars: "lambdaAlias=prod" */
    bool done;
    int status;
    char error[300];
    double ms;
    bool traced;
    gateway_trace trace;
    char *body, *headers; /* display text, sanitized at draw */
} answer;

typedef struct run {
    int refs;
    ui_life *life;
    answer *a;
    size_t n, pending;
    int64_t t0;
} run;

typedef struct st_pane {
    pane base;
    char *api, *resource, *verb;
    /* the request */
    char *method, *path, *query, *headers, *body, *key_name;
    run *r;
    view v;
    int scroll, first; /* lines scrolled, first stage column shown */
} st_pane;

static void run_release(run *r) {
    if (!r || --r->refs > 0) return;
    for (size_t i = 0; i < r->n; i++) {
        free(r->a[i].stage);
        free(r->a[i].vars);
        free(r->a[i].body);
        free(r->a[i].headers);
        gateway_trace_free(&r->a[i].trace);
    }
    free(r->a);
    life_release(r->life);
    free(r);
}

/* --- what to send ---------------------------------------------------------------- */

static const cJSON *find_resource(const ui_ctx *cx, const char *api, const char *id) {
    return json_find(mirror_resources(cx->m, api), "id", id);
}

/* "/items/{ID}" -> "/items/1": a path the resource answers, to edit. */
static char *sample_path(const char *tpl) {
    buf b = BUF_INIT;
    for (const char *p = tpl; *p;) {
        if (*p == '{') {
            const char *end = strchr(p, '}');
            if (!end) break;
            buf_puts(&b, end[-1] == '+' ? "x" : "1");
            p = end + 1;
        } else {
            buf_putc(&b, *p++);
        }
    }
    return buf_steal(&b);
}

static const char *first_method(const cJSON *res) {
    const cJSON *m, *best = NULL;
    cJSON_ArrayForEach(m, json_obj(res, "resourceMethods")) {
        if (!best || strcmp(m->string, "GET") == 0) best = m;
        if (strcmp(m->string, "GET") == 0) break;
    }
    return best ? best->string : "GET";
}

static const char *key_value(const ui_ctx *cx, const char *name) {
    return json_str(json_find(mirror_api_keys(cx->m), "name", name), "value");
}

/* The request as typed: headers one "Name: value" per line. */
static http_request *build_request(const st_pane *sp, const ui_ctx *cx) {
    http_request *req = http_request_new(sp->method, sp->path[0] == '/' ? sp->path : "/");
    free(req->query);
    req->query = sp->query[0] ? xstrdup(sp->query) : NULL;
    for (const char *line = sp->headers; *line;) {
        size_t n = strcspn(line, "\n");
        const char *colon = memchr(line, ':', n);
        if (colon && colon > line) {
            char *name = xstrndup(line, (size_t)(colon - line));
            const char *v = colon + 1;
            while (*v == ' ' && v < line + n) v++;
            char *value = xstrndup(v, (size_t)(line + n - v));
            http_headers_add(&req->headers, name, value);
            free(name);
            free(value);
        }
        line += n + (line[n] == '\n');
    }
    const char *key = key_value(cx, sp->key_name);
    if (key) http_headers_set(&req->headers, "x-api-key", key);
    if (sp->body[0]) {
        http_request_set_body(req, sp->body, strlen(sp->body));
        if (!http_headers_get(&req->headers, "Content-Type"))
            http_headers_add(&req->headers, "Content-Type", "application/json");
    }
    if (cx->offline) http_headers_set(&req->headers, GATEWAY_TRACE_HEADER, "1");
    return req;
}

/* --- answers ---------------------------------------------------------------------- */

typedef struct flight {
    run *r;
    size_t i;
    int64_t t0;
} flight;

static char *pretty_body(const http_response *resp) {
    err e;
    cJSON *j = resp->body_len ? json_parse(resp->body, resp->body_len, &e) : NULL;
    if (j) {
        char *s = json_pretty(j);
        cJSON_Delete(j);
        return s;
    }
    return xstrndup(resp->body ? resp->body : "", resp->body_len);
}

static void on_answer(void *ud, const http_response *resp, const err *e) {
    flight *f = ud;
    run *r = f->r;
    answer *a = &r->a[f->i];
    a->done = true;
    a->ms = (double)(clock_mono_ms() - f->t0);
    r->pending--;
    if (!resp) {
        char text[300];
        snprintf(a->error, sizeof a->error, "%s", e ? err_text(e, text, sizeof text) : "no answer");
    } else {
        a->status = resp->status;
        const char *tv = http_headers_get(&resp->headers, GATEWAY_TRACE_HEADER);
        a->traced = tv && gateway_trace_decode(tv, &a->trace);
        buf h = BUF_INIT;
        for (size_t i = 0; i < resp->headers.n; i++) {
            if (strcasecmp(resp->headers.v[i].name, GATEWAY_TRACE_HEADER) == 0) continue;
            buf_printf(&h, "%s: %s\n", resp->headers.v[i].name, resp->headers.v[i].value);
        }
        a->headers = buf_steal(&h);
        a->body = pretty_body(resp);
    }
    if (r->life->cx) r->life->cx->host->dirty |= UI_DIRTY_CONTENT | UI_DIRTY_STATUS;
    if (r->life->cx && r->pending == 0) ui_message(r->life->cx, "Every stage answered");
    run_release(r);
    free(f);
}

static void start_run(st_pane *sp, ui_ctx *cx) {
    const cJSON *stages = mirror_stages(cx->m, sp->api);
    size_t n = (size_t)cJSON_GetArraySize(stages);
    if (!n) {
        ui_message(cx, "This API has no stages yet: D deploys it to one");
        return;
    }
    run_release(sp->r);
    run *r = xcalloc(1, sizeof *r);
    r->refs = 1;
    r->life = cx->host->life;
    r->life->refs++;
    r->a = xcalloc(n, sizeof *r->a);
    r->n = r->pending = n;
    sp->r = r;
    sp->scroll = 0;
    http_request *req = build_request(sp, cx);
    bool path_style = cx->offline || cx->endpoint_url;
    /* Signed only for IAM-authorized methods: anything else must not carry
     * the user's signature to the API (or to its backend). */
    const cJSON *res = find_resource(cx, sp->api, sp->resource);
    const cJSON *meth = json_obj(json_obj(res, "resourceMethods"), sp->method);
    bool iam = strcmp(json_str_or(meth, "authorizationType", "NONE"), "AWS_IAM") == 0;
    size_t i = 0;
    const cJSON *st;
    cJSON_ArrayForEach(st, stages) {
        answer *a = &r->a[i];
        a->stage = xstrdup(json_str_or(st, "stageName", ""));
        buf v = BUF_INIT;
        const cJSON *var;
        cJSON_ArrayForEach(var, json_obj(st, "variables")) {
            if (cJSON_IsString(var)) buf_printf(&v, "%s%s=%s", v.len ? " " : "", var->string, var->valuestring);
        }
        a->vars = buf_steal(&v);
        a->trace.throttle_remaining = a->trace.quota_remaining = -1;
        i++;
    }
    /* Every request leaves before any answer is read: N stages, one round trip. */
    for (i = 0; i < n; i++) {
        flight *f = xcalloc(1, sizeof *f);
        f->r = r;
        f->i = i;
        r->refs++;
        http_request *one = invoke_remote_request(sp->api, r->a[i].stage, cx->region, req, path_style);
        one->anonymous = !iam;
        f->t0 = clock_mono_ms();
        client_raw(cx->cl, one, on_answer, f);
    }
    http_request_free(req);
    ui_message(cx, "Sent %s %s to %zu stage%s", sp->method, sp->path, n, n == 1 ? "" : "s");
}

/* --- the request form ------------------------------------------------------------- */

typedef struct req_form {
    ui_life *life;
    st_pane *sp; /* valid while the form is open: the form is modal over this pane */
    int method, path, query, headers, body, key;
} req_form;

static const char *const verbs[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};

static void set(char **slot, const char *v) {
    free(*slot);
    *slot = xstrdup(v);
}

static bool req_submit(ui_ctx *cx, form *f, void *ud) {
    req_form *rf = ud;
    st_pane *sp = rf->sp;
    const char *path = form_value(f, rf->path);
    if (path[0] != '/') {
        form_set_error(f, "The path starts with /");
        return false;
    }
    set(&sp->method, form_value(f, rf->method));
    set(&sp->path, path);
    set(&sp->query, form_value(f, rf->query));
    set(&sp->headers, form_value(f, rf->headers));
    set(&sp->body, form_value(f, rf->body));
    size_t k = form_selected(f, rf->key);
    free(sp->key_name);
    sp->key_name = k == 0 ? NULL : xstrdup(form_value(f, rf->key));
    start_run(sp, cx);
    return true;
}

static void req_form_open(st_pane *sp, ui_ctx *cx) {
    req_form *rf = xcalloc(1, sizeof *rf);
    rf->sp = sp;
    form *f = form_new("Request to every stage");
    size_t vsel = 0;
    for (size_t i = 0; i < sizeof verbs / sizeof *verbs; i++)
        if (strcmp(verbs[i], sp->method) == 0) vsel = i;
    rf->method = form_choice(f, "Method", verbs, sizeof verbs / sizeof *verbs, vsel);
    rf->path = form_text(f, "Path", sp->path, "The resource path with values: /items/1");
    rf->query = form_text(f, "Query string", sp->query, "a=1&b=2");
    rf->headers = form_textarea(f, "Headers", sp->headers, ".txt");
    rf->body = form_textarea(f, "Body", sp->body, ".json");
    const cJSON *keys = mirror_api_keys(cx->m);
    size_t nk = (size_t)cJSON_GetArraySize(keys), ksel = 0, i = 1;
    const char **opts = xcalloc(nk + 1, sizeof *opts);
    opts[0] = "none";
    const cJSON *k;
    cJSON_ArrayForEach(k, keys) {
        opts[i] = json_str_or(k, "name", "?");
        if (sp->key_name && strcmp(opts[i], sp->key_name) == 0) ksel = i;
        i++;
    }
    rf->key = form_choice(f, "API key (x-api-key)", opts, nk + 1, ksel);
    free(opts);
    form_note(f, "Enter sends it to every stage at once.");
    form_set_action(f, "send");
    ui_form(cx, f, req_submit, NULL, rf, free);
}

/* --- drawing ------------------------------------------------------------------------ */

static void limit_text(char *out, size_t n, long v) {
    if (v < 0)
        snprintf(out, n, "-");
    else
        snprintf(out, n, "%ld", v);
}

/* The summary lines of one stage's answer. */
static void summary(const answer *a, bool offline, char lines[6][128]) {
    for (int i = 0; i < 6; i++) lines[i][0] = '\0';
    snprintf(lines[0], 128, "%s", a->stage);
    snprintf(lines[1], 128, "%s", a->vars[0] ? a->vars : "(no variables)");
    if (!a->done) {
        snprintf(lines[2], 128, "waiting...");
        return;
    }
    if (a->error[0]) {
        snprintf(lines[2], 128, "no answer: %.100s", a->error);
        return;
    }
    snprintf(lines[2], 128, "%d in %.0f ms", a->status, a->ms);
    if (!a->traced) {
        snprintf(lines[3], 128, "%s", offline ? "no trace" : "Lambda, cache: unknown over the network");
        return;
    }
    const gateway_trace *t = &a->trace;
    if (t->function[0])
        snprintf(lines[3], 128, "%.60s%s%.30s v%.10s", t->function, t->alias[0] ? ":" : "", t->alias,
                 t->version[0] ? t->version : "?");
    else
        snprintf(lines[3], 128, "no Lambda");
    snprintf(lines[4], 128, "cache %s", !t->cache_used ? "off" : t->cache_hit ? "hit" : "miss");
    char thr[24], quota[24];
    limit_text(thr, sizeof thr, t->throttle_remaining);
    limit_text(quota, sizeof quota, t->quota_remaining);
    snprintf(lines[5], 128, "throttle %s quota %s", thr, quota);
}

/* Draw text's lines from `skip` into a column, wrapping long lines. */
static void draw_lines(WINDOW *w, const ui_theme *th, const char *text, int y, int x, int h,
                       int width, int skip) {
    char *safe_all = xstrdup(text ? text : "");
    int line = 0;
    for (char *p = safe_all; *p && y < h;) {
        size_t n = strcspn(p, "\n");
        char save = p[n];
        p[n] = '\0';
        char *safe = text_sanitize(p);
        const char *s = safe;
        do {
            size_t k = draw_fit(th, s, width);
            if (k == 0 && *s) k = 1;
            if (line >= skip && y < h) {
                char *part = xstrndup(s, k);
                draw_text(w, th, y++, x, part, width);
                free(part);
            }
            line++;
            s += k;
        } while (*s);
        free(safe);
        p[n] = save;
        p += n + (save == '\n');
    }
    free(safe_all);
}

static void st_draw(pane *p, ui_ctx *cx, WINDOW *w, int h, int width, bool focused) {
    st_pane *sp = (st_pane *)p;
    const ui_theme *th = cx->th;
    char *title = xasprintf("Test every stage%s%s %s", th->sep, sp->method, sp->path);
    pane_heading(w, cx, width, true, title, NULL);
    free(title);
    wattrset(w, th->attr[UI_R_DIM]);
    char *req = xasprintf("key %s%se edit  x send  Enter %s/%s/%s", sp->key_name ? sp->key_name : "none",
                          th->dot, view_names[0], view_names[1], view_names[2]);
    draw_text(w, th, 1, 1, req, width - 2);
    free(req);
    wattrset(w, A_NORMAL);
    run *r = sp->r;
    if (!r) {
        pane_note(w, th, 4, width, "x sends the request to every stage; e edits it first");
        return;
    }
    size_t n = r->n;
    int colw = (width - 1) / (int)(n ? n : 1);
    size_t shown = n;
    if (colw < 24) {
        colw = 24;
        shown = (size_t)((width - 1) / colw);
        if (shown < 1) shown = 1;
    }
    if (sp->first > (int)(n - shown)) sp->first = (int)(n - shown);
    if (sp->first < 0) sp->first = 0;
    for (size_t c = 0; c < shown && sp->first + c < n; c++) {
        const answer *a = &r->a[(size_t)sp->first + c];
        int x = 1 + (int)c * colw, cw = colw - 2;
        char lines[6][128];
        summary(a, cx->offline, lines);
        for (int i = 0; i < 6; i++) {
            attr_t at = i == 0 ? th->attr[UI_R_HEADING] : i == 1 ? th->attr[UI_R_DIM] : A_NORMAL;
            if (i == 2 && a->done)
                at = a->error[0] || a->status >= 400 ? th->attr[UI_R_ERROR] : th->attr[UI_R_OK];
            wattrset(w, at);
            char *safe = text_sanitize(lines[i]);
            draw_text(w, th, 2 + i, x, safe, cw);
            free(safe);
        }
        wattrset(w, th->attr[UI_R_BORDER]);
        for (int y = 2; y < h && c > 0; y++) mvwaddstr(w, y, x - 1, th->vline);
        wattrset(w, th->attr[UI_R_DIM]);
        draw_text(w, th, 8, x, view_names[sp->v], cw);
        wattrset(w, A_NORMAL);
        const char *text = sp->v == V_BODY ? a->body : sp->v == V_HEADERS ? a->headers : a->trace.log;
        if (sp->v == V_LOG && !a->traced && a->done)
            text = cx->offline ? "" : "The execution log is in CloudWatch on AWS";
        if (a->done && !a->error[0] && (!text || !*text)) {
            wattrset(w, th->attr[UI_R_DIM]);
            text = sp->v == V_BODY ? "(empty body)" : "(none)";
        }
        draw_lines(w, th, text, 9, x, h, cw, sp->scroll);
    }
    if (shown < n) {
        char more[64];
        snprintf(more, sizeof more, "stages %d-%zu of %zu (h/l)", sp->first + 1,
                 (size_t)sp->first + shown, n);
        wattrset(w, th->attr[UI_R_ACCENT]);
        draw_text(w, th, 0, width - 1 - (int)strlen(more), more, (int)strlen(more));
        wattrset(w, A_NORMAL);
    }
    (void)focused;
}

static unsigned st_action(pane *p, ui_ctx *cx, ui_action a, bool *unhandled) {
    st_pane *sp = (st_pane *)p;
    switch (a) {
    case UI_ACT_EDIT: req_form_open(sp, cx); return UI_DIRTY_ALL;
    case UI_ACT_RUN:
    case UI_ACT_TEST_STAGES: start_run(sp, cx); return UI_DIRTY_ALL;
    case UI_ACT_OPEN: sp->v = (view)((sp->v + 1) % V__COUNT); sp->scroll = 0; return UI_DIRTY_CONTENT;
    case UI_ACT_DOWN: sp->scroll++; return UI_DIRTY_CONTENT;
    case UI_ACT_UP: if (sp->scroll > 0) sp->scroll--; return UI_DIRTY_CONTENT;
    case UI_ACT_PGDN: sp->scroll += 10; return UI_DIRTY_CONTENT;
    case UI_ACT_PGUP: sp->scroll = sp->scroll > 10 ? sp->scroll - 10 : 0; return UI_DIRTY_CONTENT;
    case UI_ACT_HOME: sp->scroll = 0; return UI_DIRTY_CONTENT;
    case UI_ACT_RIGHT: sp->first++; return UI_DIRTY_CONTENT;
    case UI_ACT_LEFT:
        if (sp->first == 0) {
            *unhandled = true;
            return 0;
        }
        sp->first--;
        return UI_DIRTY_CONTENT;
    default: return 0;
    }
}

static void st_destroy(pane *p) {
    st_pane *sp = (st_pane *)p;
    run_release(sp->r);
    free(sp->api);
    free(sp->resource);
    free(sp->verb);
    free(sp->method);
    free(sp->path);
    free(sp->query);
    free(sp->headers);
    free(sp->body);
    free(sp->key_name);
    free(sp);
}

/* The first sync fills the request from the resource, once it is known. */
static void st_sync(pane *p, ui_ctx *cx) {
    st_pane *sp = (st_pane *)p;
    if (sp->path) return;
    const cJSON *res = find_resource(cx, sp->api, sp->resource);
    if (!res) return;
    sp->path = sample_path(json_str_or(res, "path", "/"));
    sp->method = xstrdup(sp->verb && strcmp(sp->verb, "ANY") != 0 ? sp->verb : first_method(res));
}

static const pane_ops st_ops = {
    .sync = st_sync,
    .draw = st_draw,
    .action = st_action,
    .destroy = st_destroy,
};

pane *pane_stagetest_new(const char *api_id, const char *resource_id, const char *verb) {
    st_pane *sp = xcalloc(1, sizeof *sp);
    sp->base.ops = &st_ops;
    sp->base.title = "Test every stage";
    sp->base.scopes = UI_SC_MOVE | UI_SC_EDIT | UI_SC_RUN | UI_SC_OPEN | UI_SC_API;
    sp->api = xstrdup(api_id);
    sp->resource = xstrdup(resource_id);
    sp->verb = verb ? xstrdup(verb) : NULL;
    sp->query = xstrdup("");
    sp->headers = xstrdup("");
    sp->body = xstrdup("");
    return &sp->base;
}
