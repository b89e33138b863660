/* A function's Code section: its configuration at a glance, then the
 * handler's file with line numbers, fetched from GetFunction's
 * Code.Location and unzipped here. e edits the file in the user's editor
 * and deploys it with UpdateFunctionCode, every other file of the package
 * kept. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/lambda.h"
#include "client/raw.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"
#include "pane_fn.h"
#include "transport/http.h"
#include "ui/draw.h"

/* What GetFunction and the package gave; shared with the reads. */
typedef struct code_state {
    unsigned seq; /* the newest read; older ones are dropped */
    bool loading;
    bool loaded;   /* a read finished once */
    cJSON *config; /* Configuration */
    unsigned char *zip;
    size_t zip_len;
    size_t nfiles;
    char *file;            /* the entry shown */
    char *text;            /* its text, or NULL */
    char *error;           /* why there is no text */
    unsigned long version; /* bumped on every change */
} code_state;

static void code_state_fini(void *p) {
    code_state *st = p;
    cJSON_Delete(st->config);
    free(st->zip);
    free(st->file);
    free(st->text);
    free(st->error);
}

typedef struct code_pane {
    pane base;
    code_state *st;
    fn_text code;
    unsigned long shown; /* st->version laid out */
    size_t top;
    int page;
    bool fetched;
    unsigned long fetched_gen; /* mirror generation of the last read */
} code_pane;

/* --- reading ---------------------------------------------------------------------- */

typedef struct code_read {
    code_state *st;
    unsigned seq;
    bool failed;
    char *location; /* Code.Location */
} code_read;

static void code_read_free(void *p) {
    code_read *r = p;
    fn_shared_unref(r->st);
    free(r->location);
    free(r);
}

static bool current(const code_read *r) { return r->seq == r->st->seq; }

static void read_failed(code_read *r, const char *fmt, const char *detail) {
    r->failed = true;
    if (!current(r)) return;
    free(r->st->error);
    r->st->error = xasprintf(fmt, detail);
    if (!r->st->file) /* e can still write the handler's file anew */
        r->st->file =
            fn_code_file(json_str(r->st->config, "Handler"), json_str(r->st->config, "Runtime"));
    r->st->loading = false;
    r->st->loaded = true;
    r->st->version++;
}

static void set_package(code_state *st, unsigned char *zip, size_t len) {
    free(st->zip);
    free(st->file);
    free(st->text);
    free(st->error);
    st->zip = zip;
    st->zip_len = len;
    st->text = st->error = NULL;
    st->nfiles = fn_zip_count(zip, len);
    const char *rt = json_str(st->config, "Runtime"), *h = json_str(st->config, "Handler");
    st->file = fn_zip_pick(zip, len, h, rt);
    err e;
    if (!st->file) {
        st->file = fn_code_file(h, rt);
        st->error = xstrdup(st->nfiles ? "The package holds no file to show"
                                       : "The package is empty or not a zip");
    } else if (fn_zip_read(zip, len, st->file, &st->text, &e) != 0) {
        st->error = xstrdup(e.msg);
    }
    st->loading = false;
    st->loaded = true;
    st->version++;
}

/* An error answer of the code's address: Lambda's or S3's message. */
static char *answer_error(const http_response *resp) {
    cJSON *body = resp->body_len ? cJSON_ParseWithLength(resp->body, resp->body_len) : NULL;
    const char *msg = json_str(body, "Message");
    if (!msg) msg = json_str(body, "message");
    char *out = msg ? xasprintf("HTTP %d: %s", resp->status, msg)
                    : xasprintf("HTTP %d from the code's address", resp->status);
    cJSON_Delete(body);
    return out;
}

static void on_zip(void *ud, const http_response *resp, const err *e) {
    ui_job *j = ud;
    code_read *r = ui_job_data(j);
    if (!resp) {
        read_failed(r, "The code could not be downloaded: %s", e ? e->msg : "no answer");
    } else if (resp->status != 200) {
        char *why = answer_error(resp);
        read_failed(r, "The code could not be downloaded: %s", why);
        free(why);
    } else if (current(r)) {
        unsigned char *zip = xmalloc(resp->body_len ? resp->body_len : 1);
        if (resp->body_len) memcpy(zip, resp->body, resp->body_len);
        set_package(r->st, zip, resp->body_len);
    }
    fn_read_quiet(j);
    ui_job_done(j, NULL, NULL);
}

static void fetch_zip(ui_job *j, const cJSON *result) {
    (void)result;
    code_read *r = ui_job_data(j);
    http_request *req = NULL;
    if (!r->failed && current(r)) {
        req = r->location ? fn_code_request(r->location) : NULL;
        if (!req)
            read_failed(r, "%s",
                        r->location ? "The code's address is not a URL"
                                    : "GetFunction gave no code location");
    }
    if (!req) {
        fn_read_quiet(j);
        return;
    }
    ui_job_then(j, NULL);
    client_raw(ui_job_client(j), req, on_zip, j);
}

static void on_function(void *ud, const cJSON *result, const err *e) {
    ui_job *j = ud;
    code_read *r = ui_job_data(j);
    if (e) {
        char text[700];
        err_text(e, text, sizeof text);
        read_failed(r, "%s", text);
    } else {
        if (current(r)) {
            cJSON_Delete(r->st->config);
            r->st->config = cJSON_Duplicate(json_obj(result, "Configuration"), 1);
            r->st->version++;
        }
        const char *loc = json_str(json_obj(result, "Code"), "Location");
        r->location = loc ? xstrdup(loc) : NULL;
    }
    ui_job_done(j, result, NULL); /* fetch_zip goes on, or ends the read */
}

static void start_read(code_pane *cp, ui_ctx *cx) {
    code_state *st = cp->st;
    st->seq++;
    st->loading = true;
    char *what = xasprintf("Load the code of %s", cx->fn_name);
    ui_job *j = fn_read_job(cx, what);
    free(what);
    code_read *r = xcalloc(1, sizeof *r);
    r->st = fn_shared_ref(st);
    r->seq = st->seq;
    ui_job_set_data(j, r, code_read_free);
    lambda_get_function(cx->cl, cx->fn_name, NULL, on_function, ui_job_then(j, fetch_zip));
}

/* --- editing --------------------------------------------------------------------------- */

typedef struct code_edit {
    char *fn, *file, *old;
    unsigned char *zip; /* the package to keep the other files of; NULL: none */
    size_t zip_len;
} code_edit;

static void code_edit_free(void *p) {
    code_edit *ce = p;
    free(ce->fn);
    free(ce->file);
    free(ce->old);
    free(ce->zip);
    free(ce);
}

static void deployed(ui_job *j, const cJSON *result) {
    char sha[16];
    fn_short_sha(json_str(result, "CodeSha256"), sha, sizeof sha);
    const code_edit *ce = ui_job_data(j);
    ui_job_set_note(j, "Deployed %s to %s (code %s)", ce->file, ce->fn, sha);
}

static void code_edited(ui_ctx *cx, const char *text, void *ud) {
    code_edit *ce = ud;
    if (ce->old && strcmp(text, ce->old) == 0) {
        ui_message(cx, "No change to %s: nothing deployed", ce->file);
        return;
    }
    size_t len = 0;
    err e;
    unsigned char *zip = fn_zip_put(ce->zip, ce->zip_len, ce->file, text, &len, &e);
    if (!zip) {
        ui_message(cx, "%s", e.msg);
        cx->msg_error = true;
        return;
    }
    char *what = xasprintf("Deploy %s", ce->fn);
    ui_job *j = ui_job_new(cx, what, UI_RELOAD_FUNCTION | UI_RELOAD_LISTS);
    free(what);
    ui_job_set_function(j, ce->fn);
    code_edit *keep = xcalloc(1, sizeof *keep);
    keep->fn = xstrdup(ce->fn);
    keep->file = xstrdup(ce->file);
    ui_job_set_data(j, keep, code_edit_free);
    lambda_update_function_code(cx->cl, ce->fn, zip, len, NULL, ui_job_done,
                                ui_job_then(j, deployed));
    free(zip);
}

static unsigned edit_code(code_pane *cp, ui_ctx *cx) {
    code_state *st = cp->st;
    if (!st->loaded || !st->file) {
        ui_message(cx, "The code is still loading");
        return UI_DIRTY_STATUS;
    }
    code_edit *ce = xcalloc(1, sizeof *ce);
    ce->fn = xstrdup(cx->fn_name);
    ce->file = xstrdup(st->file);
    ce->old = st->text ? xstrdup(st->text) : NULL;
    if (st->zip && st->nfiles) {
        ce->zip = xmalloc(st->zip_len);
        memcpy(ce->zip, st->zip, st->zip_len);
        ce->zip_len = st->zip_len;
    }
    const char *dot = strrchr(st->file, '.');
    char *title = xasprintf("%s of %s", st->file, cx->fn_name);
    ui_edit(cx, title, st->text ? st->text : "", dot ? dot : ".txt", code_edited, ce,
            code_edit_free);
    free(title);
    return UI_DIRTY_ALL;
}

/* --- the pane ------------------------------------------------------------------------------ */

/* The configuration shown: GetFunction's once read, else the list's. */
static const cJSON *config_of(const code_pane *cp, const ui_ctx *cx) {
    if (cp->st->config) return cp->st->config;
    return json_find(mirror_functions(cx->m), "FunctionName", cx->fn_name);
}

/* Read again after the mirror changed. Not while the busy mirror is still
 * refreshing, nor while an error is on the status line: the read's end
 * would take its colour away; the next draw reads then. */
static void maybe_read(code_pane *cp, ui_ctx *cx) {
    if (!cx->fn_name || cx->busy || cx->msg_error) return;
    unsigned long gen = mirror_generation(cx->m);
    if (cp->fetched && gen == cp->fetched_gen) return;
    cp->fetched = true;
    cp->fetched_gen = gen;
    start_read(cp, cx);
}

static void code_sync(pane *p, ui_ctx *cx) { maybe_read((code_pane *)p, cx); }

static int draw_config(const code_pane *cp, ui_ctx *cx, WINDOW *w, int y, int width, int maxrows) {
    const cJSON *c = config_of(cp, cx);
    if (!c) return 0;
    char mem[32], timeout[32], modified[32], sha[16];
    snprintf(mem, sizeof mem, "%g MB", json_num_or(c, "MemorySize", 128));
    snprintf(timeout, sizeof timeout, "%g s", json_num_or(c, "Timeout", 3));
    fn_short_time(json_str(c, "LastModified"), modified, sizeof modified);
    fn_short_sha(json_str(c, "CodeSha256"), sha, sizeof sha);
    /* A role ARN wider than the pane shows from "role/": the account is
     * the one at hand anyway. */
    const char *role = json_str_or(c, "Role", "-"), *short_role = strstr(role, ":role/");
    if (short_role && (int)strlen(role) + 8 > width) role = short_role + 1;
    const char *pairs[] = {
        "Runtime",  json_str_or(c, "Runtime", "-"),
        "Memory",   mem,
        "Timeout",  timeout,
        "State",    json_str_or(c, "State", "-"),
        "Handler",  json_str_or(c, "Handler", "-"),
        "Modified", modified,
        "Code",     sha,
        "Role",     role,
    };
    return fn_draw_pairs(w, cx->th, y, width, maxrows, pairs, sizeof pairs / sizeof *pairs / 2);
}

static void draw_file_bar(const code_pane *cp, ui_ctx *cx, WINDOW *w, int y, int width) {
    const code_state *st = cp->st;
    char *file = text_sanitize(st->file ? st->file : "code");
    char *bar;
    if (st->text)
        bar = st->nfiles > 1 ? xasprintf("%s  (%zu lines; %zu files in the package)  e edits", file,
                                         cp->code.n, st->nfiles)
                             : xasprintf("%s  (%zu lines)  e edits", file, cp->code.n);
    else
        bar = xstrdup(file);
    wattrset(w, cx->th->attr[UI_R_COLHEAD]);
    draw_blank(w, y, 0, width);
    draw_text(w, cx->th, y, 1, bar, width - 2);
    wattrset(w, A_NORMAL);
    free(bar);
    free(file);
}

static void code_draw(pane *p, ui_ctx *cx, WINDOW *w, int h, int width, bool focused) {
    (void)focused;
    code_pane *cp = (code_pane *)p;
    code_state *st = cp->st;
    maybe_read(cp, cx);
    fn_heading(w, cx, width, "Code", NULL);
    int y = 1 + draw_config(cp, cx, w, 1, width, 4);
    if (st->version != cp->shown) {
        /* A reload keeps the place in the same file. */
        bool same = cp->code.src && st->text && strcmp(cp->code.src, st->text) == 0;
        cp->shown = st->version;
        fn_text_set(&cp->code, st->text ? st->text : "", false);
        if (!same) cp->top = 0;
    }
    if (!st->loaded) {
        if (st->loading) {
            char *note = xasprintf("Loading the code%s", cx->th->ellipsis);
            pane_note(w, cx->th, y + 2, width, note);
            free(note);
        } else {
            pane_missing(w, cx, y + 2, width);
        }
        return;
    }
    fn_text_layout(&cp->code, width);
    draw_file_bar(cp, cx, w, y++, width);
    if (!st->text) {
        fn_text why = {0};
        fn_text_set(&why, st->error ? st->error : "No code", true);
        wattrset(w, cx->th->attr[UI_R_ERROR]);
        fn_text_draw(&why, w, cx->th, y + 1, h - y - 1, width, 0, false);
        wattrset(w, A_NORMAL);
        pane_note(w, cx->th, y + 2 + (int)why.n, width, "e writes the file anew");
        fn_text_free(&why);
        return;
    }
    cp->page = h - y;
    fn_text_draw(&cp->code, w, cx->th, y, h - y, width, cp->top, true);
}

static unsigned code_action(pane *p, ui_ctx *cx, ui_action a, bool *unhandled) {
    code_pane *cp = (code_pane *)p;
    if (a == UI_ACT_EDIT) return edit_code(cp, cx);
    if (a == UI_ACT_LEFT) {
        *unhandled = true;
        return 0;
    }
    return fn_text_scroll(&cp->code, &cp->top, cp->page, a) ? UI_DIRTY_CONTENT : 0;
}

static void code_destroy(pane *p) {
    code_pane *cp = (code_pane *)p;
    fn_text_free(&cp->code);
    fn_shared_unref(cp->st);
    free(cp);
}

static const pane_ops code_ops = {
    .sync = code_sync,
    .draw = code_draw,
    .action = code_action,
    .destroy = code_destroy,
};

pane *pane_fn_code_new(void) {
    code_pane *cp = xcalloc(1, sizeof *cp);
    cp->base.ops = &code_ops;
    cp->base.title = "Code";
    cp->base.scopes = UI_SC_MOVE | UI_SC_EDIT;
    cp->st = fn_shared_new(sizeof(code_state), code_state_fini);
    return &cp->base;
}
