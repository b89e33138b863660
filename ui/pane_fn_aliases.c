/* A function's Aliases: each with the version it points at and how its
 * traffic splits. c creates one, e (or Enter) edits one, d deletes one;
 * the form's weighted option sends part of the traffic to a second
 * version (RoutingConfig.AdditionalVersionWeights). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/lambda.h"
#include "core/json.h"
#include "core/mem.h"
#include "pane_fn.h"

#define NO_VERSION "(none published)"
#define MAX_CHOICES 128

static const ui_col cols[] = {
    {"Name", 8, 1},
    {"Version", 7, 0},
    {"Traffic", 15, 2},
    {"Description", 11, 2},
};

static const cJSON *source(const ui_ctx *cx) {
    return cx->fn_name ? mirror_aliases(cx->m, cx->fn_name) : NULL;
}

static void cells(const ui_ctx *cx, const cJSON *a, bool reveal, const char **out,
                  char (*bufs)[128]) {
    (void)cx, (void)reveal;
    out[0] = json_str_or(a, "Name", "");
    out[1] = json_str_or(a, "FunctionVersion", "");
    char *w = fn_weights_text(a);
    snprintf(bufs[2], 128, "%s", w);
    free(w);
    out[2] = bufs[2];
    out[3] = json_str_or(a, "Description", "");
}

/* --- create and edit -------------------------------------------------------------------- */

typedef struct alias_form {
    char *fn;
    char *alias;      /* editing this alias; NULL: a new one */
    bool had_weights; /* the alias had a second version */
    int name, desc, version, weighted, extra, weight;
} alias_form;

static void alias_form_free(void *p) {
    alias_form *af = p;
    free(af->fn);
    free(af->alias);
    free(af);
}

static void alias_changed(ui_ctx *cx, form *f, void *ud) {
    (void)cx;
    alias_form *af = ud;
    bool on = form_checked(f, af->weighted);
    form_set_hidden(f, af->extra, !on);
    form_set_hidden(f, af->weight, !on);
}

typedef struct alias_job {
    char *fn, *alias;
    bool created;
} alias_job;

static void alias_job_free(void *p) {
    alias_job *aj = p;
    free(aj->fn);
    free(aj->alias);
    free(aj);
}

static void alias_saved(ui_job *j, const cJSON *result) {
    alias_job *aj = ui_job_data(j);
    char *w = fn_weights_text(result);
    ui_job_set_note(j, "%s alias %s of %s: %s", aj->created ? "Created" : "Saved", aj->alias,
                    aj->fn, w);
    free(w);
}

static bool alias_submit(ui_ctx *cx, form *f, void *ud) {
    alias_form *af = ud;
    const char *name = af->alias ? af->alias : form_value(f, af->name);
    bool weighted = form_checked(f, af->weighted);
    const char *extra = form_value(f, af->extra);
    if (strcmp(extra, NO_VERSION) == 0) extra = NULL;
    char msg[160];
    cJSON *weights = fn_alias_weights(weighted, extra, form_value(f, af->weight), msg, sizeof msg);
    if (!weights) {
        form_set_error(f, msg);
        return false;
    }
    const char *version = form_value(f, af->version);
    alias_job *aj = xcalloc(1, sizeof *aj);
    aj->fn = xstrdup(af->fn);
    aj->alias = xstrdup(name);
    aj->created = !af->alias;
    char *what = xasprintf("%s alias %s", af->alias ? "Save" : "Create", name);
    ui_job *j = ui_job_new(cx, what, UI_RELOAD_FUNCTION);
    free(what);
    ui_job_set_data(j, aj, alias_job_free);
    ui_job_set_function(j, af->fn);
    /* Unweighted: no RoutingConfig on create; an empty one on update drops
     * the weights the alias had. */
    lambda_alias_in in = {.description = form_value(f, af->desc),
                          .weights = weighted || af->had_weights ? weights : NULL};
    if (af->alias) {
        in.function_version = version;
        lambda_update_alias(cx->cl, af->fn, af->alias, &in, ui_job_done,
                            ui_job_then(j, alias_saved));
    } else {
        lambda_create_alias(cx->cl, af->fn, name, version, &in, ui_job_done,
                            ui_job_then(j, alias_saved));
    }
    cJSON_Delete(weights);
    return true;
}

static size_t index_of(const char *const *opts, size_t n, const char *want, size_t dflt) {
    for (size_t i = 0; want && i < n; i++)
        if (strcmp(opts[i], want) == 0) return i;
    return dflt;
}

static void alias_form_open(ui_ctx *cx, const cJSON *alias) {
    alias_form *af = xcalloc(1, sizeof *af);
    af->fn = xstrdup(cx->fn_name);
    const char *published[MAX_CHOICES];
    size_t np = fn_published(mirror_versions(cx->m, cx->fn_name), published, MAX_CHOICES - 1);
    /* Version: the published ones newest first, then $LATEST. */
    const char *versions[MAX_CHOICES];
    memcpy(versions, published, np * sizeof *published);
    versions[np] = "$LATEST";
    const char *extras[MAX_CHOICES];
    size_t ne = np ? np : 1;
    if (np)
        memcpy(extras, published, np * sizeof *published);
    else
        extras[0] = NO_VERSION;
    const cJSON *w = json_obj(json_obj(alias, "RoutingConfig"), "AdditionalVersionWeights");
    const cJSON *first = w ? w->child : NULL;
    af->had_weights = first != NULL;
    char pct[32] = "10";
    if (cJSON_IsNumber(first)) fn_pct_text(first->valuedouble * 100.0, pct, sizeof pct);

    form *f;
    if (alias) {
        af->alias = xstrdup(json_str_or(alias, "Name", ""));
        char *title = xasprintf("Edit alias %s", af->alias);
        f = form_new(title);
        free(title);
        af->name = -1;
    } else {
        f = form_new("Create alias");
        af->name = form_text(f, "Name", "", "e.g. dev or prod");
    }
    af->desc = form_text(f, "Description", json_str_or(alias, "Description", ""), "Optional");
    af->version = form_choice(f, "Version", versions, np + 1,
                              index_of(versions, np + 1, json_str(alias, "FunctionVersion"), 0));
    af->weighted = form_check(f, "Weighted alias", af->had_weights);
    /* The second version defaults to the one before the newest. */
    af->extra = form_choice(f, "Second version", extras, ne,
                            index_of(extras, ne, first ? first->string : NULL, np > 1 ? 1 : 0));
    af->weight = form_text(f, "Its weight (%)", pct, "Share of the traffic, 0 to 100");
    form_set_hidden(f, af->extra, !af->had_weights);
    form_set_hidden(f, af->weight, !af->had_weights);
    ui_form(cx, f, alias_submit, alias_changed, af, alias_form_free);
}

/* --- delete ------------------------------------------------------------------------------- */

typedef struct alias_ref {
    char *fn, *alias;
} alias_ref;

static void alias_ref_free(void *p) {
    alias_ref *r = p;
    free(r->fn);
    free(r->alias);
    free(r);
}

static void deleted(ui_job *j, const cJSON *result) {
    (void)result;
    alias_ref *r = ui_job_data(j);
    ui_job_set_note(j, "Deleted alias %s of %s", r->alias, r->fn);
}

static void delete_yes(ui_ctx *cx, void *ud) {
    alias_ref *r = ud;
    char *what = xasprintf("Delete alias %s", r->alias);
    ui_job *j = ui_job_new(cx, what, UI_RELOAD_FUNCTION);
    free(what);
    alias_ref *keep = xcalloc(1, sizeof *keep);
    keep->fn = xstrdup(r->fn);
    keep->alias = xstrdup(r->alias);
    ui_job_set_data(j, keep, alias_ref_free);
    ui_job_set_function(j, r->fn);
    lambda_delete_alias(cx->cl, r->fn, r->alias, ui_job_done, ui_job_then(j, deleted));
}

static void delete_alias(ui_ctx *cx, const cJSON *alias) {
    alias_ref *r = xcalloc(1, sizeof *r);
    r->fn = xstrdup(cx->fn_name);
    r->alias = xstrdup(json_str_or(alias, "Name", ""));
    char *text =
        xasprintf("Delete alias %s? Whatever calls %s:%s (an API stage) fails from then on.",
                  r->alias, r->fn, r->alias);
    ui_confirm(cx, "Delete alias", text, NULL, delete_yes, r, alias_ref_free);
    free(text);
}

static unsigned open_alias(ui_ctx *cx, const cJSON *alias) {
    alias_form_open(cx, alias);
    return UI_DIRTY_ALL;
}

static unsigned act(ui_ctx *cx, const cJSON *alias, ui_action a) {
    switch (a) {
    case UI_ACT_CREATE: alias_form_open(cx, NULL); return UI_DIRTY_ALL;
    case UI_ACT_EDIT: return alias ? open_alias(cx, alias) : 0;
    case UI_ACT_DELETE:
        if (!alias) return 0;
        delete_alias(cx, alias);
        return UI_DIRTY_ALL;
    default: return 0;
    }
}

static const table_spec spec = {
    .title = "Aliases",
    .empty = "No aliases yet: c creates one (dev, prod)",
    .cols = cols,
    .ncols = 4,
    .scopes = UI_SC_OPEN | UI_SC_CREATE | UI_SC_EDIT | UI_SC_DELETE,
    .source = source,
    .key_member = "Name",
    .cells = cells,
    .open = open_alias,
    .act = act,
};

pane *pane_fn_aliases_new(void) { return table_pane_new(&spec); }
