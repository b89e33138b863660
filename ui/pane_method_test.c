/* The console's Test of one method (TestInvokeMethod): the request (path
 * parameters, query string, headers, stage variables, body) edited in a
 * form, run with x, and the answer: status, latency, the body (JSON
 * pretty-printed), headers and the execution log, scrolled with the usual
 * moves. The call is asynchronous; the view says "Running" meanwhile. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/apigw.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"
#include "method_priv.h"
#include "ui/draw.h"
#include "ui/job.h"
#include "ui/pane.h"

/* What the view and a running test share. The view may be closed (Esc)
 * while TestInvokeMethod runs, so the job never touches the pane: both hold
 * a reference to this block; the job's step writes the answer here and the
 * pane, at its next draw, sees gen moved and lays its text out again.
 * Whoever drops the last reference frees the block. Everything runs on
 * the console's one thread, so a plain count is enough. */
typedef struct test_state {
    int refs;
    /* the request, as last entered */
    cJSON *path_values; /* {"ID": "1"} */
    char *query, *headers, *vars, *body;
    /* the last run */
    bool running, has_result;
    unsigned long gen; /* bumped on every change above */
    int status;
    double latency;
    char *sent, *resp_body, *log, *error;
    cJSON *resp_headers;
} test_state;

static test_state *state_ref(test_state *st) {
    st->refs++;
    return st;
}

static void state_clear_result(test_state *st) {
    free(st->sent);
    free(st->resp_body);
    free(st->log);
    free(st->error);
    cJSON_Delete(st->resp_headers);
    st->sent = st->resp_body = st->log = st->error = NULL;
    st->resp_headers = NULL;
    st->has_result = false;
}

static void state_unref(void *p) {
    test_state *st = p;
    if (!st || --st->refs > 0) return;
    state_clear_result(st);
    cJSON_Delete(st->path_values);
    free(st->query);
    free(st->headers);
    free(st->vars);
    free(st->body);
    free(st);
}

static void set_str(char **dst, const char *v) {
    free(*dst);
    *dst = xstrdup(v ? v : "");
}

/* --- the view ------------------------------------------------------------------------ */

typedef struct tline {
    char *text; /* sanitized */
    ui_role role;
    int indent;
} tline;

typedef struct test_pane {
    pane base;
    char *api, *res, *verb, *path;
    test_state *st;
    tline *lines;
    size_t n, cap;
    int laid_width;
    unsigned long laid_gen;
    size_t top;
    int page;
} test_pane;

static void lines_clear(test_pane *tp) {
    for (size_t i = 0; i < tp->n; i++)
        free(tp->lines[i].text);
    tp->n = 0;
}

static void push_line(test_pane *tp, const char *sanitized, size_t len, ui_role role, int indent) {
    if (tp->n == tp->cap) {
        tp->cap = tp->cap ? tp->cap * 2 : 64;
        tp->lines = xrealloc(tp->lines, tp->cap * sizeof *tp->lines);
    }
    tp->lines[tp->n++] = (tline){xstrndup(sanitized, len), role, indent};
}

/* Raw text (several lines maybe), sanitized and wrapped at the width. */
static void add_text(test_pane *tp, const ui_theme *th, const char *raw, ui_role role, int indent) {
    int room = tp->laid_width - indent - 2; /* as test_draw draws */
    if (room < 8) room = 8;
    for (const char *p = raw ? raw : "";;) {
        const char *nl = strchr(p, '\n');
        char *one = xstrndup(p, nl ? (size_t)(nl - p) : strlen(p));
        /* tabs would be drawn as '?': four spaces instead */
        buf b = BUF_INIT;
        buf_puts(&b, "");
        for (const char *q = one; *q; q++) {
            if (*q == '\t')
                buf_puts(&b, "    ");
            else if (*q != '\r')
                buf_putc(&b, *q);
        }
        char *s = text_sanitize(b.data);
        buf_free(&b);
        free(one);
        const char *v = s;
        do {
            size_t take = draw_fit(th, v, room);
            if (!take && *v) take = 1;
            push_line(tp, v, take, role, indent);
            v += take;
        } while (*v);
        free(s);
        if (!nl || !nl[1]) break; /* a final newline ends the text */
        p = nl + 1;
    }
}

static void add_pair(test_pane *tp, const ui_theme *th, const char *label, const char *value,
                     ui_role role) {
    char *line = xasprintf("%-16s %s", label, value);
    add_text(tp, th, line, role, 2);
    free(line);
}

static void add_request(test_pane *tp, const ui_theme *th) {
    const test_state *st = tp->st;
    add_text(tp, th, "Request", UI_R_HEADING, 0);
    char *path = method_test_path(tp->path, st->path_values, st->query);
    char *line = xasprintf("%s %s", tp->verb, path);
    add_pair(tp, th, "Request", line, UI_R_ACCENT);
    free(line);
    free(path);
    char *heads = xstrdup(st->headers ? st->headers : "");
    char *vars = xstrdup(st->vars ? st->vars : "");
    for (char *p = heads; (p = strchr(p, '\n'));)
        *p = p[1] ? ';' : '\0';
    for (char *p = vars; (p = strchr(p, '\n'));)
        *p = p[1] ? ';' : '\0';
    add_pair(tp, th, "Headers", *heads ? heads : "none", *heads ? UI_R_NORMAL : UI_R_DIM);
    add_pair(tp, th, "Stage variables", *vars ? vars : "none", *vars ? UI_R_NORMAL : UI_R_DIM);
    char *sum = method_summary(st->body);
    add_pair(tp, th, "Body", *sum ? sum : "none", *sum ? UI_R_NORMAL : UI_R_DIM);
    free(sum);
    free(heads);
    free(vars);
    add_text(tp, th, "e edit the request  x run the test", UI_R_DIM, 2);
}

static void add_response(test_pane *tp, const ui_theme *th) {
    const test_state *st = tp->st;
    add_text(tp, th, "", UI_R_NORMAL, 0);
    add_text(tp, th, "Response", UI_R_HEADING, 0);
    if (st->running) {
        char *s = xasprintf("Running%s", th->ellipsis);
        add_text(tp, th, s, UI_R_ACCENT, 2);
        free(s);
        return;
    }
    if (st->error) {
        add_text(tp, th, st->error, UI_R_ERROR, 2);
        return;
    }
    if (!st->has_result) {
        add_text(tp, th, "Not run yet: x runs the method without deploying it", UI_R_DIM, 2);
        return;
    }
    char v[64];
    snprintf(v, sizeof v, "%d", st->status);
    add_pair(tp, th, "Status", v, st->status >= 200 && st->status < 300 ? UI_R_OK : UI_R_ERROR);
    snprintf(v, sizeof v, "%.0f ms", st->latency);
    add_pair(tp, th, "Latency", v, UI_R_NORMAL);
    add_pair(tp, th, "Sent", st->sent ? st->sent : "", UI_R_DIM);
    add_text(tp, th, "Response body", UI_R_HEADING, 1);
    char *body = method_pretty_body(st->resp_body);
    add_text(tp, th, *body ? body : "(empty)", *body ? UI_R_NORMAL : UI_R_DIM, 2);
    free(body);
    add_text(tp, th, "Response headers", UI_R_HEADING, 1);
    char *heads = method_pairs_text(st->resp_headers, ": ", NULL);
    add_text(tp, th, *heads ? heads : "(none)", UI_R_NORMAL, 2);
    free(heads);
    add_text(tp, th, "Log", UI_R_HEADING, 1);
    add_text(tp, th, st->log && *st->log ? st->log : "(empty)", UI_R_DIM, 2);
}

static void layout(test_pane *tp, const ui_theme *th, int width) {
    if (width == tp->laid_width && tp->laid_gen == tp->st->gen && tp->n) return;
    lines_clear(tp);
    tp->laid_width = width;
    tp->laid_gen = tp->st->gen;
    add_request(tp, th);
    add_response(tp, th);
    /* drop the trailing empty line a final newline leaves */
    while (tp->n && !*tp->lines[tp->n - 1].text)
        free(tp->lines[--tp->n].text);
}

static void test_draw(pane *p, ui_ctx *cx, WINDOW *w, int h, int width, bool focused) {
    (void)focused;
    test_pane *tp = (test_pane *)p;
    const ui_theme *th = cx->th;
    method_heading(w, cx, width, tp->verb, tp->path, "Test");
    layout(tp, th, width);
    tp->page = h - 1;
    size_t max_top = tp->n > (size_t)tp->page ? tp->n - (size_t)tp->page : 0;
    if (tp->top > max_top) tp->top = max_top;
    for (int y = 1; y < h; y++) {
        size_t i = tp->top + (size_t)(y - 1);
        wattrset(w, A_NORMAL);
        draw_blank(w, y, 0, width);
        if (i >= tp->n) continue;
        const tline *l = &tp->lines[i];
        wattrset(w, th->attr[l->role]);
        draw_text(w, th, y, 1 + l->indent, l->text, width - 2 - l->indent);
    }
    wattrset(w, A_NORMAL);
    if (tp->top > 0 || tp->top < max_top) {
        char *more = xasprintf(
            "%zu-%zu of %zu", tp->top + 1,
            tp->top + (size_t)tp->page < tp->n ? tp->top + (size_t)tp->page : tp->n, tp->n);
        int mw = draw_width(th, more);
        wattrset(w, th->attr[UI_R_DIM]);
        if (width > mw + 30) draw_text(w, th, 0, width - 1 - mw, more, mw);
        wattrset(w, A_NORMAL);
        free(more);
    }
}

static bool scroll_by(test_pane *tp, ui_action a) {
    size_t page = tp->page > 2 ? (size_t)tp->page - 1 : 1, old = tp->top;
    size_t max_top = tp->n > (size_t)tp->page ? tp->n - (size_t)tp->page : 0;
    switch (a) {
    case UI_ACT_UP: tp->top = tp->top ? tp->top - 1 : 0; break;
    case UI_ACT_DOWN: tp->top++; break;
    case UI_ACT_PGUP: tp->top = tp->top > page ? tp->top - page : 0; break;
    case UI_ACT_PGDN: tp->top += page; break;
    case UI_ACT_HOME: tp->top = 0; break;
    case UI_ACT_END: tp->top = max_top; break;
    default: return false;
    }
    if (tp->top > max_top) tp->top = max_top;
    return tp->top != old;
}

/* --- running ---------------------------------------------------------------------- */

typedef struct run_ref {
    test_state *st;
    char *what;
} run_ref;

static void run_free(void *p) {
    run_ref *r = p;
    if (r->st->running) { /* the job ended without an answer (the console closing) */
        r->st->running = false;
        r->st->gen++;
    }
    state_unref(r->st);
    free(r->what);
    free(r);
}

/* TestInvokeMethod failed (the call itself, not the method): keep why. */
static void test_done(void *job, const cJSON *result, const err *e) {
    if (e) {
        run_ref *r = ui_job_data(job);
        char text[700];
        free(r->st->error);
        r->st->error = xstrdup(err_text(e, text, sizeof text));
        r->st->running = false;
        r->st->gen++;
    }
    ui_job_done(job, result, e);
}

static void got_answer(ui_job *j, const cJSON *res) {
    run_ref *r = ui_job_data(j);
    test_state *st = r->st;
    st->running = false;
    st->has_result = true;
    st->status = (int)json_num_or(res, "status", 0);
    st->latency = json_num_or(res, "latency", 0);
    set_str(&st->resp_body, json_str(res, "body"));
    set_str(&st->log, json_str(res, "log"));
    const cJSON *h = json_obj(res, "headers");
    st->resp_headers = h ? cJSON_Duplicate(h, 1) : cJSON_CreateObject();
    st->gen++;
    ui_job_set_note(j, "%s: status %d in %.0f ms", r->what, st->status, st->latency);
}

static cJSON *nonempty(cJSON *obj) {
    if (obj && obj->child) return obj;
    cJSON_Delete(obj);
    return NULL;
}

static void run_test(ui_ctx *cx, test_state *st, const char *api, const char *res, const char *verb,
                     const char *path) {
    if (st->running) {
        ui_message(cx, "The test is still running");
        return;
    }
    char msg[160];
    /* the texts were checked when entered; a failure here leaves them out */
    cJSON *heads = nonempty(method_parse_pairs(st->headers, ':', NULL, msg, sizeof msg));
    cJSON *vars = nonempty(method_parse_pairs(st->vars, '=', NULL, msg, sizeof msg));
    state_clear_result(st);
    st->sent = method_test_path(path, st->path_values, st->query);
    apigw_test_invoke_in in = {
        .path_with_query_string = st->sent,
        .body = st->body && *st->body ? st->body : NULL,
        .headers = heads,
        .stage_variables = vars,
    };
    run_ref *r = xcalloc(1, sizeof *r);
    r->st = state_ref(st);
    r->what = xasprintf("Test %s %s", verb, path);
    ui_job *j = ui_job_new(cx, r->what, 0);
    ui_job_set_data(j, r, run_free);
    st->running = true;
    st->gen++;
    apigw_test_invoke_method(cx->cl, api, res, verb, &in, test_done, ui_job_then(j, got_answer));
    cJSON_Delete(heads);
    cJSON_Delete(vars);
}

/* --- the request form ---------------------------------------------------------------- */

enum { MAX_PARAMS = 8 };

typedef struct req_form {
    test_state *st;
    char *api, *res, *verb, *path;
    cJSON *names; /* the path parameters */
    int param[MAX_PARAMS], query, headers, vars, body;
} req_form;

static void req_free(void *p) {
    req_form *rf = p;
    state_unref(rf->st);
    free(rf->api);
    free(rf->res);
    free(rf->verb);
    free(rf->path);
    cJSON_Delete(rf->names);
    free(rf);
}

static bool req_submit(ui_ctx *cx, form *f, void *ud) {
    req_form *rf = ud;
    char msg[160];
    cJSON *h = method_parse_pairs(form_value(f, rf->headers), ':', NULL, msg, sizeof msg);
    cJSON *v = h ? method_parse_pairs(form_value(f, rf->vars), '=', NULL, msg, sizeof msg) : NULL;
    cJSON_Delete(h);
    cJSON_Delete(v);
    if (!h || !v) {
        char *m = xasprintf("%s: %s", !h ? "Headers" : "Stage variables", msg);
        form_set_error(f, m);
        free(m);
        return false;
    }
    test_state *st = rf->st;
    cJSON *values = cJSON_CreateObject();
    int i = 0;
    const cJSON *name;
    cJSON_ArrayForEach(name, rf->names) {
        if (i < MAX_PARAMS) json_set_str(values, name->valuestring, form_value(f, rf->param[i++]));
    }
    cJSON_Delete(st->path_values);
    st->path_values = values;
    set_str(&st->query, form_value(f, rf->query));
    set_str(&st->headers, form_value(f, rf->headers));
    set_str(&st->vars, form_value(f, rf->vars));
    set_str(&st->body, form_value(f, rf->body));
    st->gen++;
    run_test(cx, st, rf->api, rf->res, rf->verb, rf->path);
    return true;
}

/* The stages' variables, as a hint for the stage variables field. */
static char *stage_hint(const ui_ctx *cx, const char *api) {
    buf b = BUF_INIT;
    buf_puts(&b, "name=value per line");
    const cJSON *st;
    int shown = 0;
    cJSON_ArrayForEach(st, mirror_stages(cx->m, api)) {
        const cJSON *var;
        cJSON_ArrayForEach(var, json_obj(st, "variables")) {
            if (!cJSON_IsString(var) || shown >= 3) continue;
            buf_printf(&b, "%s %s: %s=%s", shown ? "," : "; stages have",
                       json_str_or(st, "stageName", ""), var->string, var->valuestring);
            shown++;
        }
    }
    return buf_steal(&b);
}

static void req_form_open(test_pane *tp, ui_ctx *cx, const char *why) {
    test_state *st = tp->st;
    req_form *rf = xcalloc(1, sizeof *rf);
    rf->st = state_ref(st);
    rf->api = xstrdup(tp->api);
    rf->res = xstrdup(tp->res);
    rf->verb = xstrdup(tp->verb);
    rf->path = xstrdup(tp->path ? tp->path : "/");
    rf->names = method_path_params(rf->path);
    char *title = xasprintf("Test %s %s", tp->verb, rf->path);
    form *f = form_new(title);
    free(title);
    int i = 0;
    const cJSON *name;
    cJSON_ArrayForEach(name, rf->names) {
        if (i >= MAX_PARAMS) break;
        char *label = xasprintf("{%s}", name->valuestring);
        rf->param[i++] =
            form_text(f, label, json_str_or(st->path_values, name->valuestring, ""), NULL);
        free(label);
    }
    rf->query = form_text(f, "Query string", st->query ? st->query : "", "name=value&other=value");
    rf->headers = form_textarea(f, "Headers", st->headers ? st->headers : "", ".txt");
    char *hint = stage_hint(cx, tp->api);
    rf->vars = form_textarea(f, "Stage variables", st->vars ? st->vars : "", ".txt");
    form_note(f, hint);
    free(hint);
    rf->body = form_textarea(f, "Request body", st->body ? st->body : "", ".json");
    form_note(f, "Headers: name: value per line. Enter on a text field runs the test.");
    if (why) form_set_error(f, why);
    form_set_action(f, "run");
    ui_form(cx, f, req_submit, NULL, rf, req_free);
}

/* Every path parameter has a value. */
static bool params_filled(const test_pane *tp) {
    cJSON *names = method_path_params(tp->path);
    bool ok = true;
    const cJSON *name;
    cJSON_ArrayForEach(name, names) {
        const char *v = json_str(tp->st->path_values, name->valuestring);
        if (!v || !*v) ok = false;
    }
    cJSON_Delete(names);
    return ok;
}

/* --- the pane ---------------------------------------------------------------------------- */

static void test_sync(pane *p, ui_ctx *cx) {
    test_pane *tp = (test_pane *)p;
    const cJSON *res = method_resource(cx, tp->api, tp->res);
    if (!res) return;
    const char *path = json_str_or(res, "path", "/");
    if (!tp->path || strcmp(tp->path, path) != 0) {
        set_str(&tp->path, path);
        tp->st->gen++;
    }
}

static unsigned test_action(pane *p, ui_ctx *cx, ui_action a, bool *unhandled) {
    test_pane *tp = (test_pane *)p;
    if (a == UI_ACT_LEFT) {
        *unhandled = true;
        return 0;
    }
    if (scroll_by(tp, a)) return UI_DIRTY_CONTENT;
    switch (a) {
    case UI_ACT_OPEN:
    case UI_ACT_EDIT: req_form_open(tp, cx, NULL); return UI_DIRTY_ALL;
    case UI_ACT_RUN:
    case UI_ACT_TEST_METHOD:
        if (!params_filled(tp)) {
            req_form_open(tp, cx, "Give every path parameter a value");
            return UI_DIRTY_ALL;
        }
        run_test(cx, tp->st, tp->api, tp->res, tp->verb, tp->path ? tp->path : "/");
        return UI_DIRTY_ALL;
    case UI_ACT_TEST_STAGES:
        ui_push(cx, pane_stagetest_new(tp->api, tp->res, tp->verb));
        return UI_DIRTY_ALL;
    default: break;
    }
    return 0;
}

static void test_destroy(pane *p) {
    test_pane *tp = (test_pane *)p;
    lines_clear(tp);
    free(tp->lines);
    state_unref(tp->st);
    free(tp->api);
    free(tp->res);
    free(tp->verb);
    free(tp->path);
    free(tp);
}

static const pane_ops test_ops = {
    .sync = test_sync,
    .draw = test_draw,
    .action = test_action,
    .destroy = test_destroy,
};

pane *pane_method_test_new(const char *api_id, const char *resource_id, const char *verb) {
    test_pane *tp = xcalloc(1, sizeof *tp);
    tp->base.ops = &test_ops;
    tp->base.title = "Test method";
    tp->base.scopes = UI_SC_MOVE | UI_SC_OPEN | UI_SC_EDIT | UI_SC_RUN | UI_SC_API;
    tp->api = xstrdup(api_id);
    tp->res = xstrdup(resource_id);
    tp->verb = xstrdup(verb);
    tp->st = xcalloc(1, sizeof *tp->st);
    tp->st->refs = 1;
    tp->st->path_values = cJSON_CreateObject();
    return &tp->base;
}
