/* A function's Permissions: the statements of its resource-based policy
 * and of its aliases' and versions' policies (each qualifier has a policy
 * of its own, as API Gateway's permissions for ItemsFunction:prod do),
 * with the selected statement in full below. c adds a statement (API
 * Gateway as the principal by default), d removes one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/lambda.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"
#include "pane_fn.h"
#include "ui/draw.h"

#define MAX_QUALIFIERS 128
#define FUNCTION_SCOPE "function"

/* The policies of the aliases and versions, read here (the mirror holds
 * the function's own); shared with the read. */
typedef struct policy_state {
    unsigned seq;
    bool loading;
    cJSON *rows; /* fn_policy_rows of every qualifier */
    char *error;
    unsigned long ver;
} policy_state;

static void policy_state_fini(void *p) {
    policy_state *st = p;
    cJSON_Delete(st->rows);
    free(st->error);
}

typedef struct policy_pane {
    pane base;
    policy_state *st;
    ui_list list;
    cJSON *rows; /* what the list shows */
    unsigned long listed, gen;
    bool fetched;
    unsigned long fetched_gen;
} policy_pane;

static const ui_col cols[] = {
    {"Scope", 8, 0},
    {"Statement ID", 12, 1},
    {"Principal", 10, 0},
    {"Source", 14, 3},
};

/* --- reading the qualifiers' policies --------------------------------------------------- */

typedef struct policy_read {
    policy_state *st;
    unsigned seq;
    char *fn;
    char **quals;
    size_t n, i;
    cJSON *rows;
    char *error;
} policy_read;

static void policy_read_free(void *p) {
    policy_read *r = p;
    fn_shared_unref(r->st);
    free(r->fn);
    for (size_t i = 0; i < r->n; i++)
        free(r->quals[i]);
    free(r->quals);
    cJSON_Delete(r->rows);
    free(r->error);
    free(r);
}

static void on_policy(void *ud, const cJSON *result, const err *e) {
    ui_job *j = ud;
    policy_read *r = ui_job_data(j);
    if (!e) {
        const char *text = json_str(result, "Policy");
        cJSON *doc = text ? cJSON_Parse(text) : NULL;
        fn_policy_rows(r->rows, doc, r->quals[r->i]);
        cJSON_Delete(doc);
    } else if (!(e->status == 404 && strcmp(e->code, "ResourceNotFoundException") == 0) &&
               !r->error) {
        char text[600];
        err_text(e, text, sizeof text);
        r->error = xasprintf("The policy of %s:%s did not load: %s", r->fn, r->quals[r->i], text);
    } /* a 404: that qualifier has no policy */
    r->i++;
    ui_job_done(j, result, NULL);
}

static void next_policy(ui_job *j, const cJSON *result) {
    (void)result;
    policy_read *r = ui_job_data(j);
    if (r->i < r->n && r->seq == r->st->seq) {
        lambda_get_policy(ui_job_client(j), r->fn, r->quals[r->i], on_policy,
                          ui_job_then(j, next_policy));
        return;
    }
    policy_state *st = r->st;
    if (r->seq == st->seq) {
        cJSON_Delete(st->rows);
        st->rows = r->rows;
        r->rows = NULL;
        free(st->error);
        st->error = r->error;
        r->error = NULL;
        st->loading = false;
        st->ver++;
    }
    fn_read_quiet(j);
}

static void start_read(policy_pane *pp, ui_ctx *cx) {
    policy_state *st = pp->st;
    policy_read *r = xcalloc(1, sizeof *r);
    r->st = fn_shared_ref(st);
    r->seq = ++st->seq;
    r->fn = xstrdup(cx->fn_name);
    r->rows = cJSON_CreateArray();
    r->quals = xcalloc(MAX_QUALIFIERS, sizeof *r->quals);
    const cJSON *it;
    cJSON_ArrayForEach(it, mirror_aliases(cx->m, cx->fn_name)) {
        const char *a = json_str(it, "Name");
        if (a && r->n < MAX_QUALIFIERS) r->quals[r->n++] = xstrdup(a);
    }
    const char *pub[MAX_QUALIFIERS];
    size_t np = fn_published(mirror_versions(cx->m, cx->fn_name), pub, MAX_QUALIFIERS - r->n);
    for (size_t i = np; i-- > 0;)
        r->quals[r->n++] = xstrdup(pub[i]); /* oldest first */
    if (!r->n) { /* only the function's own policy, which the mirror has */
        cJSON_Delete(st->rows);
        st->rows = NULL;
        free(st->error);
        st->error = NULL;
        st->ver++;
        policy_read_free(r);
        return;
    }
    st->loading = true;
    char *what = xasprintf("Load the permissions of %s", cx->fn_name);
    ui_job *j = fn_read_job(cx, what);
    free(what);
    ui_job_set_data(j, r, policy_read_free);
    lambda_get_policy(cx->cl, r->fn, r->quals[0], on_policy, ui_job_then(j, next_policy));
}

/* "arn:aws:execute-api:REGION:ACCOUNT:API/STAGE/VERB/PATH" → "STAGE/VERB/PATH":
 * the part that tells sources apart in a narrow column (the details below
 * the list show the whole ARN). */
static const char *short_source(const char *arn) {
    if (!str_starts(arn, "arn:")) return arn;
    const char *p = arn;
    for (int i = 0; i < 5 && p; i++) {
        p = strchr(p, ':');
        if (p) p++;
    }
    if (!p || !*p) return arn;
    const char *slash = strchr(p, '/');
    return slash && slash[1] ? slash + 1 : p;
}

/* --- rows ---------------------------------------------------------------------------- */

static void rebuild(policy_pane *pp, ui_ctx *cx) {
    cJSON_Delete(pp->rows);
    pp->rows = cJSON_CreateArray();
    fn_policy_rows(pp->rows, cx->fn_name ? mirror_policy(cx->m, cx->fn_name) : NULL, "");
    const cJSON *it;
    cJSON_ArrayForEach(it, pp->st->rows) cJSON_AddItemToArray(pp->rows, cJSON_Duplicate(it, 1));
    list_clear(&pp->list);
    cJSON_ArrayForEach(it, pp->rows) {
        const char *q = json_str_or(it, "Qualifier", "");
        char *key = xasprintf("%s/%s", q, json_str_or(it, "Sid", ""));
        const char *cells[] = {*q ? q : FUNCTION_SCOPE, json_str_or(it, "Sid", ""),
                               json_str_or(it, "Principal", ""),
                               short_source(json_str_or(it, "SourceArn", ""))};
        list_add(&pp->list, key, cells);
        free(key);
    }
    list_done(&pp->list);
    pp->listed = pp->st->ver;
    pp->gen = mirror_generation(cx->m);
}

static const cJSON *selected_row(const policy_pane *pp) {
    const char *key = list_selected(&pp->list);
    const cJSON *it;
    if (!key) return NULL;
    cJSON_ArrayForEach(it, pp->rows) {
        char *k = xasprintf("%s/%s", json_str_or(it, "Qualifier", ""), json_str_or(it, "Sid", ""));
        bool same = strcmp(k, key) == 0;
        free(k);
        if (same) return it;
    }
    return NULL;
}

/* Read the qualifiers' policies again after the mirror changed; not while
 * it is refreshing, nor while an error is on the status line (see
 * pane_fn_code.c): the next draw reads then. */
static void maybe_read(policy_pane *pp, ui_ctx *cx) {
    if (!cx->fn_name || cx->busy || cx->msg_error || !mirror_aliases(cx->m, cx->fn_name)) return;
    unsigned long gen = mirror_generation(cx->m);
    if (pp->fetched && gen == pp->fetched_gen) return;
    pp->fetched = true;
    pp->fetched_gen = gen;
    start_read(pp, cx);
}

static void policy_sync(pane *p, ui_ctx *cx) {
    policy_pane *pp = (policy_pane *)p;
    rebuild(pp, cx);
    maybe_read(pp, cx);
}

/* --- drawing ---------------------------------------------------------------------------- */

static void draw_details(const cJSON *row, ui_ctx *cx, WINDOW *w, int y, int h, int width) {
    wattrset(w, cx->th->attr[UI_R_COLHEAD]);
    draw_blank(w, y, 0, width);
    draw_text(w, cx->th, y, 1, "Statement", width - 2);
    wattrset(w, A_NORMAL);
    const char *q = json_str_or(row, "Qualifier", "");
    const char *labels[] = {"Statement ID", "Scope",      "Effect",  "Principal",
                            "Action",       "Source ARN", "Resource"};
    const char *values[] = {json_str_or(row, "Sid", ""),     *q ? q : FUNCTION_SCOPE,
                            json_str_or(row, "Effect", ""),  json_str_or(row, "Principal", ""),
                            json_str_or(row, "Action", ""),  json_str_or(row, "SourceArn", ""),
                            json_str_or(row, "Resource", "")};
    int r = y + 1;
    for (size_t i = 0; i < sizeof labels / sizeof *labels && r < h; i++) {
        if (!*values[i]) continue;
        wattrset(w, cx->th->attr[UI_R_DIM]);
        draw_text(w, cx->th, r, 1, labels[i], 13);
        wattrset(w, A_NORMAL);
        /* Long ARNs wrap under their label rather than lose their end. */
        fn_text t = {0};
        fn_text_set(&t, values[i], true);
        fn_text_layout(&t, width - 16);
        for (size_t k = 0; k < t.n && r < h; k++)
            draw_text(w, cx->th, r++, 15, t.line[k], width - 16);
        fn_text_free(&t);
    }
}

static void policy_draw(pane *p, ui_ctx *cx, WINDOW *w, int h, int width, bool focused) {
    policy_pane *pp = (policy_pane *)p;
    maybe_read(pp, cx);
    if (pp->listed != pp->st->ver || pp->gen != mirror_generation(cx->m)) rebuild(pp, cx);
    char title[64];
    snprintf(title, sizeof title, "Permissions (%zu)", pp->list.nrows);
    fn_heading(w, cx, width, title, list_filter(&pp->list));
    bool loaded = cx->fn_name && mirror_policy(cx->m, cx->fn_name);
    int rows = (int)pp->list.nvis < 1 ? 1 : (int)pp->list.nvis;
    if (rows > (h - 1) / 2 - 1) rows = (h - 1) / 2 - 1 > 1 ? (h - 1) / 2 - 1 : 1;
    list_draw(&pp->list, w, cx->th, 1, 0, rows + 1, width, focused);
    int y = rows + 2;
    if (!loaded) {
        pane_missing(w, cx, 3, width);
        return;
    }
    if (!pp->list.nrows) {
        char *note = pp->st->loading ? xasprintf("Loading%s", cx->th->ellipsis)
                                     : xstrdup("No permissions: c adds one");
        pane_note(w, cx->th, 2, width, note);
        free(note);
    }
    if (pp->st->error) {
        char *why = text_sanitize(pp->st->error);
        wattrset(w, cx->th->attr[UI_R_ERROR]);
        draw_text(w, cx->th, y++, 1, why, width - 2);
        wattrset(w, A_NORMAL);
        free(why);
    }
    const cJSON *row = selected_row(pp);
    if (row) draw_details(row, cx, w, y, h, width);
}

/* --- add and remove ------------------------------------------------------------------------ */

typedef struct perm_form {
    char *fn;
    int scope, sid, principal, source, action;
} perm_form;

static void perm_form_free(void *p) {
    perm_form *pf = p;
    free(pf->fn);
    free(pf);
}

typedef struct perm_job {
    char *fn, *sid, *scope;
} perm_job;

static void perm_job_free(void *p) {
    perm_job *pj = p;
    free(pj->fn);
    free(pj->sid);
    free(pj->scope);
    free(pj);
}

static perm_job *perm_job_new(const char *fn, const char *sid, const char *scope) {
    perm_job *pj = xcalloc(1, sizeof *pj);
    pj->fn = xstrdup(fn);
    pj->sid = xstrdup(sid);
    pj->scope = scope && *scope ? xstrdup(scope) : NULL;
    return pj;
}

static void added(ui_job *j, const cJSON *result) {
    (void)result;
    perm_job *pj = ui_job_data(j);
    ui_job_set_note(j, "Added permission %s to %s%s%s", pj->sid, pj->fn, pj->scope ? ":" : "",
                    pj->scope ? pj->scope : "");
}

static bool perm_submit(ui_ctx *cx, form *f, void *ud) {
    perm_form *pf = ud;
    const char *scope = form_value(f, pf->scope);
    bool fn_scope = strcmp(scope, FUNCTION_SCOPE) == 0;
    const char *sid = form_value(f, pf->sid), *source = form_value(f, pf->source);
    char *what = xasprintf("Add permission %s", sid);
    ui_job *j = ui_job_new(cx, what, UI_RELOAD_FUNCTION);
    free(what);
    ui_job_set_data(j, perm_job_new(pf->fn, sid, fn_scope ? NULL : scope), perm_job_free);
    ui_job_set_function(j, pf->fn);
    lambda_permission_in in = {.source_arn = *source ? source : NULL,
                               .qualifier = fn_scope ? NULL : scope};
    lambda_add_permission(cx->cl, pf->fn, sid, form_value(f, pf->action),
                          form_value(f, pf->principal), &in, ui_job_done, ui_job_then(j, added));
    return true;
}

/* An API's execute-api ARN for the source: ItemsAPI's when the account has
 * it, else the first API's, else any API. */
static char *default_source(const ui_ctx *cx) {
    const cJSON *apis = mirror_apis(cx->m), *pick = NULL, *it;
    cJSON_ArrayForEach(it, apis) {
        if (!pick || strcmp(json_str_or(it, "name", ""), "ItemsAPI") == 0) pick = it;
    }
    char *account = fn_account(cx);
    char *arn =
        xasprintf("arn:aws:execute-api:%s:%s:%s/*", cx->region, account ? account : "ACCOUNT_ID",
                  pick ? json_str_or(pick, "id", "*") : "*");
    free(account);
    return arn;
}

static char *unique_sid(const policy_pane *pp) {
    for (int n = 1;; n++) {
        char *sid = xasprintf("apigateway-invoke-%d", n);
        bool used = false;
        const cJSON *it;
        cJSON_ArrayForEach(it, pp->rows) used =
            used || strcmp(json_str_or(it, "Sid", ""), sid) == 0;
        if (!used) return sid;
        free(sid);
    }
}

static void add_permission(policy_pane *pp, ui_ctx *cx) {
    perm_form *pf = xcalloc(1, sizeof *pf);
    pf->fn = xstrdup(cx->fn_name);
    const char *scopes[MAX_QUALIFIERS];
    size_t n = 0;
    scopes[n++] = FUNCTION_SCOPE;
    const cJSON *it;
    cJSON_ArrayForEach(it, mirror_aliases(cx->m, cx->fn_name)) {
        const char *a = json_str(it, "Name");
        if (a && n < MAX_QUALIFIERS) scopes[n++] = a;
    }
    n += fn_published(mirror_versions(cx->m, cx->fn_name), scopes + n, MAX_QUALIFIERS - n);
    form *f = form_new("Add permission");
    pf->scope = form_choice(f, "For", scopes, n, 0);
    char *sid = unique_sid(pp);
    pf->sid = form_text(f, "Statement ID", sid, "Unique within the policy");
    free(sid);
    pf->principal = form_text(f, "Principal", "apigateway.amazonaws.com", "The service that calls");
    char *source = default_source(cx);
    pf->source = form_text(f, "Source ARN", source, "The API/stage/method/path that may call");
    free(source);
    pf->action = form_text(f, "Action", "lambda:InvokeFunction", NULL);
    ui_form(cx, f, perm_submit, NULL, pf, perm_form_free);
}

static void removed(ui_job *j, const cJSON *result) {
    (void)result;
    perm_job *pj = ui_job_data(j);
    ui_job_set_note(j, "Removed permission %s from %s%s%s", pj->sid, pj->fn, pj->scope ? ":" : "",
                    pj->scope ? pj->scope : "");
}

static void remove_yes(ui_ctx *cx, void *ud) {
    perm_job *r = ud;
    char *what = xasprintf("Remove permission %s", r->sid);
    ui_job *j = ui_job_new(cx, what, UI_RELOAD_FUNCTION);
    free(what);
    ui_job_set_data(j, perm_job_new(r->fn, r->sid, r->scope), perm_job_free);
    ui_job_set_function(j, r->fn);
    lambda_remove_permission(cx->cl, r->fn, r->sid, r->scope, NULL, ui_job_done,
                             ui_job_then(j, removed));
}

static void remove_permission(ui_ctx *cx, const cJSON *row) {
    const char *q = json_str_or(row, "Qualifier", "");
    perm_job *r = perm_job_new(cx->fn_name, json_str_or(row, "Sid", ""), q);
    char *text =
        xasprintf("Remove statement %s from the policy of %s%s%s? %s can no longer call it.",
                  r->sid, r->fn, *q ? ":" : "", q, json_str_or(row, "Principal", "Its principal"));
    ui_confirm(cx, "Remove permission", text, NULL, remove_yes, r, perm_job_free);
    free(text);
}

static unsigned policy_action(pane *p, ui_ctx *cx, ui_action a, bool *unhandled) {
    policy_pane *pp = (policy_pane *)p;
    const cJSON *row = selected_row(pp);
    switch (a) {
    case UI_ACT_CREATE: add_permission(pp, cx); return UI_DIRTY_ALL;
    case UI_ACT_DELETE:
        if (row) remove_permission(cx, row);
        return row ? UI_DIRTY_ALL : 0;
    case UI_ACT_LEFT: *unhandled = true; return 0;
    default: return list_action(&pp->list, a) ? UI_DIRTY_CONTENT : 0;
    }
}

static unsigned policy_click(pane *p, ui_ctx *cx, int y, int x, bool open) {
    (void)cx, (void)x, (void)open;
    return list_click(&((policy_pane *)p)->list, y - 1) ? UI_DIRTY_CONTENT : 0;
}

static void policy_set_filter(pane *p, const char *text) {
    list_set_filter(&((policy_pane *)p)->list, text);
}
static const char *policy_filter(const pane *p) {
    return list_filter(&((const policy_pane *)p)->list);
}

static void policy_destroy(pane *p) {
    policy_pane *pp = (policy_pane *)p;
    list_free(&pp->list);
    cJSON_Delete(pp->rows);
    fn_shared_unref(pp->st);
    free(pp);
}

static const pane_ops policy_ops = {
    .sync = policy_sync,
    .draw = policy_draw,
    .action = policy_action,
    .click = policy_click,
    .set_filter = policy_set_filter,
    .filter = policy_filter,
    .destroy = policy_destroy,
};

pane *pane_fn_policy_new(void) {
    policy_pane *pp = xcalloc(1, sizeof *pp);
    pp->base.ops = &policy_ops;
    pp->base.title = "Permissions";
    pp->base.scopes = UI_SC_MOVE | UI_SC_LIST | UI_SC_CREATE | UI_SC_DELETE;
    pp->st = fn_shared_new(sizeof(policy_state), policy_state_fini);
    pp->listed = (unsigned long)-1;
    list_init(&pp->list, cols, 4);
    return &pp->base;
}
