/* API keys: values stay masked until v shows them. c creates a key (with
 * a generated or a custom value, optionally straight into a usage plan),
 * e renames it or turns it on or off, d deletes it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/mem.h"
#include "ui/job.h"
#include "ui/plans.h"

static const ui_col cols[] = {
    {"Name", 12, 2}, {"ID", 10, 0}, {"Enabled", 7, 0}, {"Value", 6, 3},
};

static const cJSON *source(const ui_ctx *cx) { return cx->lists_loaded ? mirror_api_keys(cx->m) : NULL; }

static void cells(const ui_ctx *cx, const cJSON *key, bool reveal, const char **out,
                  char (*bufs)[128]) {
    out[0] = json_str_or(key, "name", "");
    out[1] = json_str_or(key, "id", "");
    out[2] = json_bool_or(key, "enabled", false) ? "yes" : "no";
    out[3] = reveal ? json_str_or(key, "value", "") : cx->th->mask;
}

/* --- create, and add to a plan in the same job ----------------------------------- */

typedef struct key_job {
    char *name, *plan_id, *plan_name, *key_id;
} key_job;

static void key_job_free(void *p) {
    key_job *k = p;
    free(k->name);
    free(k->plan_id);
    free(k->plan_name);
    free(k->key_id);
    free(k);
}

static void key_in_plan(ui_job *j, const cJSON *r) {
    key_job *k = ui_job_data(j);
    ui_job_set_note(j, "Created API key %s (%s) and added it to %s", k->name, k->key_id,
                    k->plan_name);
}

static void key_created(ui_job *j, const cJSON *r) {
    key_job *k = ui_job_data(j);
    const char *id = json_str(r, "id");
    if (!id) {
        ui_job_fail(j, "the answer holds no key id");
        return;
    }
    k->key_id = xstrdup(id);
    ui_job_set_note(j, "Created API key %s (%s)", k->name, id);
    if (k->plan_id)
        apigw_create_usage_plan_key(ui_job_client(j), k->plan_id, id, "API_KEY", ui_job_done,
                                    ui_job_then(j, key_in_plan));
}

void plan_key_create_job(ui_ctx *cx, const char *name, const char *description,
                         const char *value, bool enabled, const char *plan_id,
                         const char *plan_name) {
    key_job *k = xcalloc(1, sizeof *k);
    k->name = xstrdup(name);
    k->plan_id = plan_id ? xstrdup(plan_id) : NULL;
    k->plan_name = xstrdup(plan_name ? plan_name : plan_id ? plan_id : "");
    char *what = plan_id ? xasprintf("Create API key %s in %s", name, k->plan_name)
                         : xasprintf("Create API key %s", name);
    ui_job *j = ui_job_new(cx, what, UI_RELOAD_LISTS);
    free(what);
    ui_job_set_data(j, k, key_job_free);
    apigw_api_key_in in = {
        .name = name,
        .description = description,
        .value = value,
        .enabled = enabled,
    };
    apigw_create_api_key(cx->cl, &in, ui_job_done, ui_job_then(j, key_created));
}

static const char *const value_kinds[] = {"Generated", "Custom"};

typedef struct create_ud {
    char **plan_ids, **plan_names; /* [0] is "none" */
    size_t nplans;
    int f_name, f_desc, f_kind, f_value, f_enabled, f_plan;
} create_ud;

static void create_free(void *p) {
    create_ud *c = p;
    for (size_t i = 0; i < c->nplans; i++) {
        free(c->plan_ids[i]);
        free(c->plan_names[i]);
    }
    free(c->plan_ids);
    free(c->plan_names);
    free(c);
}

static void create_change(ui_ctx *cx, form *f, void *ud) {
    create_ud *c = ud;
    form_set_hidden(f, c->f_value, form_selected(f, c->f_kind) == 0);
}

static bool create_submit(ui_ctx *cx, form *f, void *ud) {
    create_ud *c = ud;
    const char *desc = form_value(f, c->f_desc);
    bool custom = form_selected(f, c->f_kind) == 1;
    size_t plan = form_selected(f, c->f_plan);
    if (plan >= c->nplans) plan = 0;
    /* A custom value goes as typed, even short or empty: AWS says what it
     * accepts. */
    plan_key_create_job(cx, form_value(f, c->f_name), *desc ? desc : NULL,
                        custom ? form_value(f, c->f_value) : NULL, form_checked(f, c->f_enabled),
                        plan ? c->plan_ids[plan] : NULL, plan ? c->plan_names[plan] : NULL);
    return true;
}

static unsigned ask_create(ui_ctx *cx) {
    create_ud *c = xcalloc(1, sizeof *c);
    const cJSON *plans = mirror_usage_plans(cx->m), *p;
    size_t n = (size_t)cJSON_GetArraySize(plans) + 1;
    c->plan_ids = xcalloc(n, sizeof *c->plan_ids);
    c->plan_names = xcalloc(n, sizeof *c->plan_names);
    char **labels = xcalloc(n, sizeof *labels);
    labels[0] = xstrdup("none");
    c->plan_ids[0] = xstrdup("");
    c->plan_names[0] = xstrdup("");
    c->nplans = 1;
    cJSON_ArrayForEach(p, plans) {
        const char *id = json_str_or(p, "id", "");
        labels[c->nplans] = xasprintf("%s (%s)", json_str_or(p, "name", id), id);
        c->plan_names[c->nplans] = xstrdup(json_str_or(p, "name", id));
        c->plan_ids[c->nplans++] = xstrdup(id);
    }
    form *f = form_new("Create API key");
    c->f_name = form_text(f, "Name", "", NULL);
    c->f_desc = form_text(f, "Description (optional)", "", NULL);
    c->f_kind = form_choice(f, "Value", value_kinds, 2, 0);
    c->f_value = form_secret(f, "Custom value", "", "At least 20 characters");
    c->f_enabled = form_check(f, "Enabled", true);
    c->f_plan = form_choice(f, "Add to usage plan", (const char *const *)labels, c->nplans, 0);
    for (size_t i = 0; i < c->nplans; i++) free(labels[i]);
    free(labels);
    create_change(cx, f, c);
    ui_form(cx, f, create_submit, create_change, c, create_free);
    return UI_DIRTY_ALL;
}

/* --- edit: name, description, on or off -------------------------------------------- */

typedef struct edit_ud {
    char *id, *name, *description;
    bool enabled;
    int f_name, f_desc, f_enabled;
} edit_ud;

static void edit_free(void *p) {
    edit_ud *e = p;
    free(e->id);
    free(e->name);
    free(e->description);
    free(e);
}

static void saved(ui_job *j, const cJSON *r) {
    ui_job_set_note(j, "Saved API key %s (%s)", json_str_or(r, "name", ""),
                    json_bool_or(r, "enabled", false) ? "enabled" : "disabled");
}

static bool edit_submit(ui_ctx *cx, form *f, void *ud) {
    edit_ud *e = ud;
    const char *name = form_value(f, e->f_name), *desc = form_value(f, e->f_desc);
    bool on = form_checked(f, e->f_enabled);
    apigw_patch *p = apigw_patch_new();
    if (strcmp(name, e->name)) apigw_patch_replace(p, "/name", name);
    if (strcmp(desc, e->description)) apigw_patch_replace(p, "/description", desc);
    if (on != e->enabled) apigw_patch_replace(p, "/enabled", on ? "true" : "false");
    if (!cJSON_GetArraySize(apigw_patch_ops(p))) {
        apigw_patch_free(p);
        ui_message(cx, "Nothing changed");
        return true;
    }
    char *what = xasprintf("Edit API key %s", e->name);
    ui_job *j = ui_job_new(cx, what, UI_RELOAD_LISTS);
    free(what);
    apigw_update_api_key(cx->cl, e->id, p, ui_job_done, ui_job_then(j, saved));
    return true;
}

static unsigned ask_edit(ui_ctx *cx, const cJSON *key) {
    edit_ud *e = xcalloc(1, sizeof *e);
    e->id = xstrdup(json_str_or(key, "id", ""));
    e->name = xstrdup(json_str_or(key, "name", ""));
    e->description = xstrdup(json_str_or(key, "description", ""));
    e->enabled = json_bool_or(key, "enabled", false);
    char *title = xasprintf("Edit API key %s", e->name);
    form *f = form_new(title);
    free(title);
    e->f_name = form_text(f, "Name", e->name, NULL);
    e->f_desc = form_text(f, "Description (optional)", e->description, NULL);
    e->f_enabled = form_check(f, "Enabled: requests with this key are let through", e->enabled);
    ui_form(cx, f, edit_submit, NULL, e, edit_free);
    return UI_DIRTY_ALL;
}

/* --- delete ----------------------------------------------------------------------- */

static void deleted(ui_job *j, const cJSON *r) {
    key_job *k = ui_job_data(j);
    ui_job_set_note(j, "Deleted API key %s", k->name);
}

static void delete_yes(ui_ctx *cx, void *ud) {
    const key_job *in = ud;
    key_job *k = xcalloc(1, sizeof *k);
    k->name = xstrdup(in->name);
    k->key_id = xstrdup(in->key_id);
    char *what = xasprintf("Delete API key %s", k->name);
    ui_job *j = ui_job_new(cx, what, UI_RELOAD_LISTS);
    free(what);
    ui_job_set_data(j, k, key_job_free);
    apigw_delete_api_key(cx->cl, k->key_id, ui_job_done, ui_job_then(j, deleted));
}

static unsigned ask_delete(ui_ctx *cx, const cJSON *key) {
    key_job *k = xcalloc(1, sizeof *k);
    k->key_id = xstrdup(json_str_or(key, "id", ""));
    k->name = xstrdup(json_str_or(key, "name", k->key_id));
    char *text = xasprintf("Delete API key %s (%s)? It leaves every usage plan, and requests "
                           "that send it are refused. This cannot be undone.",
                           k->name, k->key_id);
    ui_confirm(cx, "Delete API key", text, NULL, delete_yes, k, key_job_free);
    free(text);
    return UI_DIRTY_ALL;
}

static unsigned act(ui_ctx *cx, const cJSON *key, ui_action a) {
    switch (a) {
    case UI_ACT_CREATE: return ask_create(cx);
    case UI_ACT_EDIT: return key ? ask_edit(cx, key) : 0;
    case UI_ACT_DELETE: return key ? ask_delete(cx, key) : 0;
    default: return 0;
    }
}

static const table_spec spec = {
    .title = "API keys",
    .empty = "No API keys yet: c creates one",
    .cols = cols,
    .ncols = 4,
    .scopes = UI_SC_SECRET | UI_SC_CREATE | UI_SC_DELETE | UI_SC_EDIT,
    .source = source,
    .key_member = "id",
    .cells = cells,
    .act = act,
};

pane *pane_keys_new(void) { return table_pane_new(&spec); }
