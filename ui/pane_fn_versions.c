/* A function's Versions: $LATEST and the published versions, with the
 * aliases that lead to each. x or c publishes $LATEST as a new version
 * (with a description); d deletes a published version. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/lambda.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/mem.h"
#include "pane_fn.h"

static const ui_col cols[] = {
    {"Version", 7, 0}, {"Aliases", 7, 1},        {"Description", 11, 3},
    {"Code", 8, 0},    {"Last modified", 16, 0},
};

static const cJSON *source(const ui_ctx *cx) {
    return cx->fn_name ? mirror_versions(cx->m, cx->fn_name) : NULL;
}

/* The aliases whose traffic goes (in part) to version v. */
static void aliases_of(const ui_ctx *cx, const char *v, char *out, size_t n) {
    buf b = BUF_INIT;
    const cJSON *it;
    cJSON_ArrayForEach(it, mirror_aliases(cx->m, cx->fn_name)) {
        const cJSON *w = json_obj(json_obj(it, "RoutingConfig"), "AdditionalVersionWeights");
        if (strcmp(json_str_or(it, "FunctionVersion", ""), v) == 0 ||
            cJSON_GetObjectItemCaseSensitive(w, v))
            buf_printf(&b, "%s%s", b.len ? ", " : "", json_str_or(it, "Name", ""));
    }
    snprintf(out, n, "%s", b.data ? b.data : "");
    buf_free(&b);
}

static void cells(const ui_ctx *cx, const cJSON *v, bool reveal, const char **out,
                  char (*bufs)[128]) {
    (void)reveal;
    const char *ver = json_str_or(v, "Version", "");
    out[0] = ver;
    aliases_of(cx, ver, bufs[1], 128);
    out[1] = bufs[1];
    out[2] = json_str_or(v, "Description", "");
    fn_short_sha(json_str(v, "CodeSha256"), bufs[3], 128);
    out[3] = bufs[3];
    fn_short_time(json_str(v, "LastModified"), bufs[4], 128);
    out[4] = bufs[4];
}

/* --- publish -------------------------------------------------------------------------- */

typedef struct publish_job {
    char *fn;
    long newest; /* the newest version before publishing; 0: none */
} publish_job;

static void publish_job_free(void *p) {
    publish_job *pj = p;
    free(pj->fn);
    free(pj);
}

static void published(ui_job *j, const cJSON *result) {
    publish_job *pj = ui_job_data(j);
    const char *v = json_str_or(result, "Version", "?");
    if (strtol(v, NULL, 10) <= pj->newest) /* Lambda hands back the version $LATEST still is */
        ui_job_set_note(j, "Nothing changed since version %s of %s: no new version", v, pj->fn);
    else
        ui_job_set_note(j, "Published version %s of %s", v, pj->fn);
}

static bool publish_submit(ui_ctx *cx, form *f, void *ud) {
    (void)ud;
    const char *latest[1];
    publish_job *pj = xcalloc(1, sizeof *pj);
    pj->fn = xstrdup(cx->fn_name);
    if (fn_published(mirror_versions(cx->m, cx->fn_name), latest, 1))
        pj->newest = strtol(latest[0], NULL, 10);
    char *what = xasprintf("Publish a version of %s", cx->fn_name);
    ui_job *j = ui_job_new(cx, what, UI_RELOAD_FUNCTION);
    free(what);
    ui_job_set_data(j, pj, publish_job_free);
    const char *desc = form_value(f, 0);
    lambda_publish_in in = {.description = *desc ? desc : NULL};
    lambda_publish_version(cx->cl, cx->fn_name, &in, ui_job_done, ui_job_then(j, published));
    return true;
}

static void publish(ui_ctx *cx) {
    form *f = form_new("Publish new version");
    form_text(f, "Version description", "", "Optional");
    form_note(f, "The version is a copy of $LATEST's code and settings that cannot change.");
    ui_form(cx, f, publish_submit, NULL, NULL, NULL);
}

/* --- delete ------------------------------------------------------------------------------- */

typedef struct version_ref {
    char *fn, *version;
} version_ref;

static void version_ref_free(void *p) {
    version_ref *r = p;
    free(r->fn);
    free(r->version);
    free(r);
}

static void deleted(ui_job *j, const cJSON *result) {
    (void)result;
    version_ref *r = ui_job_data(j);
    ui_job_set_note(j, "Deleted version %s of %s", r->version, r->fn);
}

static void delete_yes(ui_ctx *cx, void *ud) {
    version_ref *r = ud;
    char *what = xasprintf("Delete version %s of %s", r->version, r->fn);
    ui_job *j = ui_job_new(cx, what, UI_RELOAD_FUNCTION);
    free(what);
    version_ref *keep = xcalloc(1, sizeof *keep);
    keep->fn = xstrdup(r->fn);
    keep->version = xstrdup(r->version);
    ui_job_set_data(j, keep, version_ref_free);
    ui_job_set_function(j, r->fn);
    lambda_delete_function(cx->cl, r->fn, r->version, ui_job_done, ui_job_then(j, deleted));
}

static unsigned delete_version(ui_ctx *cx, const cJSON *v) {
    const char *ver = json_str_or(v, "Version", "");
    if (strcmp(ver, "$LATEST") == 0) {
        ui_message(cx, "$LATEST goes only with the function (Lambda functions, d)");
        return UI_DIRTY_STATUS;
    }
    version_ref *r = xcalloc(1, sizeof *r);
    r->fn = xstrdup(cx->fn_name);
    r->version = xstrdup(ver);
    char *text = xasprintf("Delete version %s of %s? Aliases that use it must move first.", ver,
                           cx->fn_name);
    ui_confirm(cx, "Delete version", text, NULL, delete_yes, r, version_ref_free);
    free(text);
    return UI_DIRTY_ALL;
}

static unsigned act(ui_ctx *cx, const cJSON *v, ui_action a) {
    switch (a) {
    case UI_ACT_CREATE:
    case UI_ACT_RUN: publish(cx); return UI_DIRTY_ALL;
    case UI_ACT_DELETE: return v ? delete_version(cx, v) : 0;
    default: return 0;
    }
}

static const table_spec spec = {
    .title = "Versions",
    .empty = "No versions",
    .cols = cols,
    .ncols = 5,
    .scopes = UI_SC_CREATE | UI_SC_RUN | UI_SC_DELETE,
    .source = source,
    .key_member = "Version",
    .cells = cells,
    .act = act,
};

pane *pane_fn_versions_new(void) { return table_pane_new(&spec); }
