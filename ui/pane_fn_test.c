/* A function's Test section: the saved test events (c new, e edit, d
 * delete) and the last run. x runs the selected event against the version
 * or alias chosen last ($LATEST at first); Enter asks which one first.
 * Invoke goes out with LogType Tail, so the result shows the function's
 * response, its log and the REPORT line's durations. The call is
 * asynchronous: a slow function shows "Running" while the console goes on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/lambda.h"
#include "core/json.h"
#include "core/mem.h"
#include "lab/assets.h"
#include "core/text.h"
#include "pane_fn.h"
#include "ui/draw.h"

#define LIST_ROWS_MAX 6

/* The events and the last run; shared with forms and the Invoke job. */
typedef struct test_state {
    char *fn, *path;                   /* the function, its events file */
    cJSON *events;                     /* [{"name", "event"}] */
    char *events_error;                /* the file could not be read: nothing is saved over it */
    char *select;                      /* the event to select at the next rebuild */
    char qualifier[160];               /* runs go to this version or alias */
    unsigned long events_ver, run_ver; /* bumped on every change of each */
    /* the last run */
    unsigned seq;
    bool running, ran;
    char *run_event, *run_qualifier;
    char *error; /* the Invoke call failed */
    char *function_error, *executed, *response, *log;
    fn_report report;
} test_state;

static void clear_run(test_state *st) {
    free(st->error);
    free(st->function_error);
    free(st->executed);
    free(st->response);
    free(st->log);
    st->error = st->function_error = st->executed = st->response = st->log = NULL;
}

static void test_state_fini(void *p) {
    test_state *st = p;
    clear_run(st);
    free(st->fn);
    free(st->path);
    cJSON_Delete(st->events);
    free(st->events_error);
    free(st->select);
    free(st->run_event);
    free(st->run_qualifier);
}

typedef struct test_pane {
    pane base;
    test_state *st;
    ui_list list;
    unsigned long listed; /* st->events_ver the list shows */
    fn_text out;
    unsigned long shown; /* st->run_ver the output shows */
    size_t top;
    int page;
} test_pane;

static const ui_col cols[] = {{"Event", 14, 1}, {"JSON", 20, 3}};

/* --- events ------------------------------------------------------------------------ */

static const cJSON *find_event(const cJSON *events, const char *name) {
    return json_find(events, "name", name);
}

static void load_events(test_state *st) {
    cJSON_Delete(st->events);
    free(st->events_error);
    st->events_error = NULL;
    err e;
    st->events = st->path ? fn_events_load(st->path, &e) : NULL;
    if (!st->events) {
        st->events_error = xstrdup(st->path ? e.msg : "No home directory for the saved events");
        st->events = cJSON_CreateArray();
    }
    st->events_ver++;
}

typedef struct event_change {
    const char *old_name; /* the event replaced or deleted; NULL: a new one */
    const char *name;     /* NULL: delete */
    const cJSON *event;
} event_change;

static int apply_change(cJSON *events, void *ud, err *e) {
    const event_change *c = ud;
    int at = -1, clash = -1, i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, events) {
        const char *n = json_str_or(it, "name", "");
        if (c->old_name && strcmp(n, c->old_name) == 0) at = i;
        if (c->name && strcmp(n, c->name) == 0) clash = i;
        i++;
    }
    if (c->name && clash >= 0 && clash != at)
        return err_set(e, 0, "", "An event named %s exists already", c->name);
    if (c->old_name && at < 0) return err_set(e, 0, "", "The event %s is gone", c->old_name);
    if (!c->name) {
        cJSON_DeleteItemFromArray(events, at);
        return 0;
    }
    cJSON *item = cJSON_CreateObject();
    json_set_str(item, "name", c->name);
    cJSON_AddItemToObject(item, "event", cJSON_Duplicate(c->event, 1));
    if (at >= 0)
        cJSON_ReplaceItemInArray(events, at, item);
    else
        cJSON_AddItemToArray(events, item);
    return 0;
}

/* Save a change and show the file as it is now. */
static int change_events(test_state *st, const event_change *c, err *e) {
    if (st->events_error) return err_set(e, 0, "", "%s", st->events_error);
    if (!st->path) return err_set(e, 0, "", "No home directory for the saved events");
    int rc = fn_events_update(st->path, apply_change, (void *)c, e);
    load_events(st);
    if (rc == 0 && c->name) {
        free(st->select);
        st->select = xstrdup(c->name);
    }
    return rc;
}

/* --- create and edit -------------------------------------------------------------------- */

typedef struct event_template {
    const char *label, *name, *json;
} event_template;

/* The lab's events first (assets/lab/events/, named as the lab names them). */
static const event_template TEMPLATES[] = {
    {"Lab: all items", "GetItems", lab_event_get_items},
    {"Lab: one item", "GetItem", lab_event_get_item},
    {"Lab: no such item", "GetItemNotFound", lab_event_get_item_not_found},
    {"Hello World", "HelloWorld",
     "{\n  \"key1\": \"value1\",\n  \"key2\": \"value2\",\n  \"key3\": \"value3\"\n}"},
};
#define NTEMPLATES (sizeof TEMPLATES / sizeof *TEMPLATES)

typedef struct event_form {
    test_state *st;
    char *old_name; /* editing this event; NULL: a new one */
    int name, tmpl, json;
    size_t last_tmpl;
} event_form;

static void event_form_free(void *p) {
    event_form *ef = p;
    fn_shared_unref(ef->st);
    free(ef->old_name);
    free(ef);
}

/* A new template fills the JSON, and the name while it is a template's. */
static void event_changed(ui_ctx *cx, form *f, void *ud) {
    (void)cx;
    event_form *ef = ud;
    if (ef->tmpl < 0) return;
    size_t t = form_selected(f, ef->tmpl);
    if (t == ef->last_tmpl || t >= NTEMPLATES) return;
    const event_template *old = &TEMPLATES[ef->last_tmpl];
    ef->last_tmpl = t;
    if (strcmp(form_value(f, ef->json), old->json) == 0)
        form_set_value(f, ef->json, TEMPLATES[t].json);
    if (strcmp(form_value(f, ef->name), old->name) == 0)
        form_set_value(f, ef->name, TEMPLATES[t].name);
}

static bool event_submit(ui_ctx *cx, form *f, void *ud) {
    event_form *ef = ud;
    char msg[256];
    const char *name = form_value(f, ef->name);
    if (!fn_event_name_ok(name, msg, sizeof msg)) {
        form_set_error(f, msg);
        return false;
    }
    cJSON *event = fn_event_parse(form_value(f, ef->json), msg, sizeof msg);
    if (!event) {
        form_set_error(f, msg);
        return false;
    }
    event_change c = {.old_name = ef->old_name, .name = name, .event = event};
    err e;
    int rc = change_events(ef->st, &c, &e);
    cJSON_Delete(event);
    if (rc != 0) {
        form_set_error(f, e.msg);
        return false;
    }
    ui_message(cx, "%s test event %s", ef->old_name ? "Saved" : "Created", name);
    return true;
}

static size_t first_unused_template(const test_state *st) {
    for (size_t i = 0; i < NTEMPLATES; i++)
        if (!find_event(st->events, TEMPLATES[i].name)) return i;
    return NTEMPLATES - 1;
}

static void create_event(test_state *st, ui_ctx *cx) {
    event_form *ef = xcalloc(1, sizeof *ef);
    ef->st = fn_shared_ref(st);
    ef->last_tmpl = first_unused_template(st);
    const event_template *t = &TEMPLATES[ef->last_tmpl];
    form *f = form_new("Create test event");
    ef->name = form_text(f, "Event name", t->name, "Letters, digits, . - _ (25 at most)");
    const char *labels[NTEMPLATES];
    for (size_t i = 0; i < NTEMPLATES; i++)
        labels[i] = TEMPLATES[i].label;
    ef->tmpl = form_choice(f, "Template", labels, NTEMPLATES, ef->last_tmpl);
    ef->json = form_textarea(f, "Event JSON", t->json, ".json");
    form_note(f, "Saved in this console's state for you only, as a private event.");
    ui_form(cx, f, event_submit, event_changed, ef, event_form_free);
}

static void edit_event(test_state *st, ui_ctx *cx, const cJSON *ev) {
    event_form *ef = xcalloc(1, sizeof *ef);
    ef->st = fn_shared_ref(st);
    ef->old_name = xstrdup(json_str_or(ev, "name", ""));
    ef->tmpl = -1;
    char *title = xasprintf("Edit test event %s", ef->old_name);
    form *f = form_new(title);
    free(title);
    ef->name = form_text(f, "Event name", ef->old_name, "Letters, digits, . - _ (25 at most)");
    char *json = json_pretty(cJSON_GetObjectItemCaseSensitive(ev, "event"));
    ef->json = form_textarea(f, "Event JSON", json, ".json");
    free(json);
    form_set_focus(f, ef->json);
    ui_form(cx, f, event_submit, NULL, ef, event_form_free);
}

typedef struct event_delete {
    test_state *st;
    char *name;
} event_delete;

static void event_delete_free(void *p) {
    event_delete *d = p;
    fn_shared_unref(d->st);
    free(d->name);
    free(d);
}

static void delete_yes(ui_ctx *cx, void *ud) {
    event_delete *d = ud;
    event_change c = {.old_name = d->name};
    err e;
    if (change_events(d->st, &c, &e) != 0) {
        ui_message(cx, "Test event %s not deleted: %s", d->name, e.msg);
        cx->msg_error = true;
        return;
    }
    ui_message(cx, "Deleted test event %s", d->name);
}

static void delete_event(test_state *st, ui_ctx *cx, const cJSON *ev) {
    event_delete *d = xcalloc(1, sizeof *d);
    d->st = fn_shared_ref(st);
    d->name = xstrdup(json_str_or(ev, "name", ""));
    char *text = xasprintf("Delete the test event %s?", d->name);
    ui_confirm(cx, "Delete test event", text, NULL, delete_yes, d, event_delete_free);
    free(text);
}

/* --- running ------------------------------------------------------------------------------ */

typedef struct test_job {
    test_state *st;
    unsigned seq;
} test_job;

static void test_job_free(void *p) {
    test_job *tj = p;
    fn_shared_unref(tj->st);
    free(tj);
}

static char *pretty_payload(const char *payload) {
    cJSON *v = payload ? cJSON_Parse(payload) : NULL;
    char *out = v ? json_pretty(v) : xstrdup(payload ? payload : "");
    cJSON_Delete(v);
    return out;
}

static char *decode_log(const char *b64) {
    size_t len = 0;
    unsigned char *raw = b64 ? fn_unbase64(b64, &len) : NULL;
    return raw ? (char *)raw : xstrdup("");
}

static void on_invoke(void *ud, const cJSON *result, const err *e) {
    ui_job *j = ud;
    test_job *tj = ui_job_data(j);
    test_state *st = tj->st;
    if (tj->seq == st->seq) {
        st->running = false;
        st->ran = true;
        clear_run(st);
        if (e) {
            char text[700];
            err_text(e, text, sizeof text);
            st->error = xstrdup(text);
        } else {
            const char *fe = json_str(result, "FunctionError");
            st->function_error = fe ? xstrdup(fe) : NULL;
            const char *ev = json_str(result, "ExecutedVersion");
            st->executed = ev ? xstrdup(ev) : NULL;
            st->response = pretty_payload(json_str(result, "Payload"));
            st->log = decode_log(json_str(result, "LogResult"));
            fn_parse_report(st->log, &st->report);
            char took[64] = "";
            if (st->report.found)
                snprintf(took, sizeof took, " in %.2f ms", st->report.duration_ms);
            ui_job_set_note(j, "Test %s on %s: %s%s", st->run_event, st->run_qualifier,
                            st->function_error ? "Failed" : "Succeeded", took);
        }
        st->run_ver++;
    }
    ui_job_done(j, result, e);
}

static void run_event(test_state *st, ui_ctx *cx, const cJSON *ev) {
    const char *name = json_str_or(ev, "name", "");
    char *payload = json_print(cJSON_GetObjectItemCaseSensitive(ev, "event"));
    st->seq++;
    st->running = true;
    free(st->run_event);
    free(st->run_qualifier);
    st->run_event = xstrdup(name);
    st->run_qualifier = xstrdup(st->qualifier);
    st->run_ver++;
    char *what = xasprintf("Test %s", name);
    ui_job *j = ui_job_new(cx, what, 0);
    free(what);
    test_job *tj = xcalloc(1, sizeof *tj);
    tj->st = fn_shared_ref(st);
    tj->seq = st->seq;
    ui_job_set_data(j, tj, test_job_free);
    bool latest = strcmp(st->qualifier, "$LATEST") == 0;
    lambda_invoke_in in = {.qualifier = latest ? NULL : st->qualifier, .log_type = "Tail"};
    lambda_invoke(cx->cl, st->fn, payload, strlen(payload), &in, on_invoke, ui_job_then(j, NULL));
    free(payload);
}

/* Enter: which version or alias, then run. */
typedef struct run_form {
    test_state *st;
    char *event;
    int field;
} run_form;

static void run_form_free(void *p) {
    run_form *rf = p;
    fn_shared_unref(rf->st);
    free(rf->event);
    free(rf);
}

static bool run_submit(ui_ctx *cx, form *f, void *ud) {
    run_form *rf = ud;
    snprintf(rf->st->qualifier, sizeof rf->st->qualifier, "%s", form_value(f, rf->field));
    const cJSON *ev = find_event(rf->st->events, rf->event);
    if (!ev) {
        form_set_error(f, "The event is gone");
        return false;
    }
    run_event(rf->st, cx, ev);
    return true;
}

/* $LATEST, the aliases, then the versions, newest first. */
static size_t qualifiers(const ui_ctx *cx, const char **out, size_t max) {
    size_t n = 0;
    out[n++] = "$LATEST";
    const cJSON *it;
    cJSON_ArrayForEach(it, mirror_aliases(cx->m, cx->fn_name)) {
        const char *a = json_str(it, "Name");
        if (a && n < max) out[n++] = a;
    }
    return n + fn_published(mirror_versions(cx->m, cx->fn_name), out + n, max - n);
}

static void ask_run(test_state *st, ui_ctx *cx, const cJSON *ev) {
    run_form *rf = xcalloc(1, sizeof *rf);
    rf->st = fn_shared_ref(st);
    rf->event = xstrdup(json_str_or(ev, "name", ""));
    const char *opts[128];
    size_t n = qualifiers(cx, opts, 128), sel = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(opts[i], st->qualifier) == 0) sel = i;
    char *title = xasprintf("Run test event %s", rf->event);
    form *f = form_new(title);
    free(title);
    rf->field = form_choice(f, "Version or alias", opts, n, sel);
    form_note(f, "x runs the next events on the same one.");
    ui_form(cx, f, run_submit, NULL, rf, run_form_free);
}

/* --- the pane ------------------------------------------------------------------------------- */

static void test_sync(pane *p, ui_ctx *cx) {
    test_pane *tp = (test_pane *)p;
    test_state *st = tp->st;
    if (!cx->fn_name || (st->fn && strcmp(st->fn, cx->fn_name) == 0)) return;
    free(st->fn);
    free(st->path);
    st->fn = xstrdup(cx->fn_name);
    st->path = fn_events_path(cx->region, cx->fn_name);
    load_events(st);
}

static void rebuild_list(test_pane *tp) {
    test_state *st = tp->st;
    list_clear(&tp->list);
    const cJSON *it;
    cJSON_ArrayForEach(it, st->events) {
        char *json = json_print(cJSON_GetObjectItemCaseSensitive(it, "event"));
        const char *name = json_str_or(it, "name", "");
        const char *cells[] = {name, json};
        list_add(&tp->list, name, cells);
        free(json);
    }
    list_done(&tp->list);
    if (st->select) {
        list_select_key(&tp->list, st->select);
        free(st->select);
        st->select = NULL;
    }
    tp->listed = st->events_ver;
}

/* The output under the summary: the response and the log. */
static void rebuild_output(test_pane *tp) {
    test_state *st = tp->st;
    char *text = NULL;
    if (st->error)
        text = xasprintf("The test could not run:\n%s", st->error);
    else if (st->response || st->log)
        text = xasprintf("Response\n%s\n\nFunction logs\n%s", st->response ? st->response : "",
                         st->log && *st->log ? st->log : "(no log came back)");
    fn_text_set(&tp->out, text ? text : "", true);
    free(text);
    tp->top = 0;
    tp->shown = st->run_ver;
}

static int draw_summary(test_pane *tp, ui_ctx *cx, WINDOW *w, int y, int width) {
    test_state *st = tp->st;
    const ui_theme *th = cx->th;
    char *ev = text_sanitize(st->run_event ? st->run_event : "");
    char *q = text_sanitize(st->running    ? st->run_qualifier
                            : st->executed ? st->executed
                                           : st->run_qualifier);
    char *line;
    attr_t attr;
    if (st->running) {
        line = xasprintf("%s Running %s on %s%s", th->spinner[0], ev, q, th->ellipsis);
        attr = th->attr[UI_R_ACCENT];
    } else if (st->error) {
        line = xasprintf("Status: Not run   Event: %s", ev);
        attr = th->attr[UI_R_ERROR];
    } else {
        char *fe = text_sanitize(st->function_error ? st->function_error : "");
        line = st->function_error
                   ? xasprintf("Status: Failed (%s)   Event: %s   Version: %s", fe, ev, q)
                   : xasprintf("Status: Succeeded   Event: %s   Version: %s", ev, q);
        free(fe);
        attr = st->function_error ? th->attr[UI_R_ERROR] : th->attr[UI_R_OK];
    }
    wattrset(w, attr | A_BOLD);
    draw_text(w, th, y, 1, line, width - 2);
    wattrset(w, A_NORMAL);
    free(line);
    free(ev);
    free(q);
    if (st->running || st->error || !st->report.found) return 1;
    const fn_report *r = &st->report;
    char dur[32], billed[32], mem[48], init[32];
    snprintf(dur, sizeof dur, "%.2f ms", r->duration_ms);
    snprintf(billed, sizeof billed, "%g ms", r->billed_ms);
    snprintf(mem, sizeof mem, "%d of %d MB", r->max_memory_mb, r->memory_mb);
    snprintf(init, sizeof init, "%.2f ms", r->init_ms);
    const char *pairs[] = {"Duration", dur,    "Billed", billed,       "Memory used",
                           mem,        "Init", init,     "Request ID", r->request_id};
    size_t n = sizeof pairs / sizeof *pairs / 2;
    if (r->init_ms < 0) { /* a warm start: no Init Duration */
        pairs[6] = pairs[8];
        pairs[7] = pairs[9];
        n--;
    }
    return 1 + fn_draw_pairs(w, th, y + 1, width, 2, pairs, n);
}

static void test_draw(pane *p, ui_ctx *cx, WINDOW *w, int h, int width, bool focused) {
    test_pane *tp = (test_pane *)p;
    test_state *st = tp->st;
    const ui_theme *th = cx->th;
    if (tp->listed != st->events_ver) rebuild_list(tp);
    if (tp->shown != st->run_ver) rebuild_output(tp);
    char title[64];
    snprintf(title, sizeof title, "Test events (%zu)", tp->list.nrows);
    fn_heading(w, cx, width, title, list_filter(&tp->list));
    char *q = text_sanitize(st->qualifier);
    char *hint = xasprintf("x runs on %s%sEnter: another version or alias", q, th->dot);
    wattrset(w, th->attr[UI_R_DIM]);
    draw_text(w, th, 1, 1, hint, width - 2);
    wattrset(w, A_NORMAL);
    free(hint);
    free(q);
    int y = 2;
    if (st->events_error) {
        char *why = text_sanitize(st->events_error);
        wattrset(w, th->attr[UI_R_ERROR]);
        draw_text(w, th, y++, 1, why, width - 2);
        wattrset(w, A_NORMAL);
        free(why);
    }
    int rows = (int)tp->list.nrows;
    if (rows < 1) rows = 1;
    if (rows > LIST_ROWS_MAX) rows = LIST_ROWS_MAX;
    if (rows > (h - y) / 3) rows = (h - y) / 3 > 1 ? (h - y) / 3 : 1;
    list_draw(&tp->list, w, th, y, 0, rows + 1, width, focused);
    if (!tp->list.nrows) pane_note(w, th, y + 1, width, "No saved test events: c creates one");
    y += rows + 2;
    if (!st->running && !st->ran) return;
    y += draw_summary(tp, cx, w, y, width);
    if (st->running) return;
    tp->page = h - y;
    fn_text_draw(&tp->out, w, th, y, h - y, width, tp->top, false);
}

static const cJSON *selected_event(test_pane *tp) {
    const char *key = list_selected(&tp->list);
    return key ? find_event(tp->st->events, key) : NULL;
}

static unsigned test_action(pane *p, ui_ctx *cx, ui_action a, bool *unhandled) {
    test_pane *tp = (test_pane *)p;
    test_state *st = tp->st;
    const cJSON *ev = selected_event(tp);
    switch (a) {
    case UI_ACT_CREATE: create_event(st, cx); return UI_DIRTY_ALL;
    case UI_ACT_EDIT:
        if (ev) edit_event(st, cx, ev);
        return ev ? UI_DIRTY_ALL : 0;
    case UI_ACT_DELETE:
        if (ev) delete_event(st, cx, ev);
        return ev ? UI_DIRTY_ALL : 0;
    case UI_ACT_RUN:
        if (!ev) {
            ui_message(cx, "No test event is selected: c creates one");
            return UI_DIRTY_STATUS;
        }
        run_event(st, cx, ev);
        return UI_DIRTY_ALL;
    case UI_ACT_OPEN:
        if (!ev)
            create_event(st, cx);
        else
            ask_run(st, cx, ev);
        return UI_DIRTY_ALL;
    case UI_ACT_PGUP:
    case UI_ACT_PGDN:
        /* Pages scroll the output; rows move the selection. */
        if (tp->out.n)
            return fn_text_scroll(&tp->out, &tp->top, tp->page, a) ? UI_DIRTY_CONTENT : 0;
        break;
    case UI_ACT_LEFT: *unhandled = true; return 0;
    default: break;
    }
    return list_action(&tp->list, a) ? UI_DIRTY_CONTENT : 0;
}

static unsigned test_click(pane *p, ui_ctx *cx, int y, int x, bool open) {
    (void)x;
    test_pane *tp = (test_pane *)p;
    int first = tp->st->events_error ? 3 : 2; /* the list's header row */
    if (!list_click(&tp->list, y - first)) return 0;
    bool dummy;
    return UI_DIRTY_CONTENT | (open ? test_action(p, cx, UI_ACT_OPEN, &dummy) : 0);
}

static void test_set_filter(pane *p, const char *text) {
    list_set_filter(&((test_pane *)p)->list, text);
}
static const char *test_filter(const pane *p) { return list_filter(&((const test_pane *)p)->list); }

static void test_destroy(pane *p) {
    test_pane *tp = (test_pane *)p;
    list_free(&tp->list);
    fn_text_free(&tp->out);
    fn_shared_unref(tp->st);
    free(tp);
}

static const pane_ops test_ops = {
    .sync = test_sync,
    .draw = test_draw,
    .action = test_action,
    .click = test_click,
    .set_filter = test_set_filter,
    .filter = test_filter,
    .destroy = test_destroy,
};

pane *pane_fn_test_new(void) {
    test_pane *tp = xcalloc(1, sizeof *tp);
    tp->base.ops = &test_ops;
    tp->base.title = "Test";
    tp->base.scopes =
        UI_SC_MOVE | UI_SC_LIST | UI_SC_OPEN | UI_SC_CREATE | UI_SC_EDIT | UI_SC_DELETE | UI_SC_RUN;
    tp->st = fn_shared_new(sizeof(test_state), test_state_fini);
    snprintf(tp->st->qualifier, sizeof tp->st->qualifier, "$LATEST");
    list_init(&tp->list, cols, 2);
    tp->listed = (unsigned long)-1;
    tp->shown = (unsigned long)-1;
    return &tp->base;
}
