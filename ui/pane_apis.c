/* APIs: the account's REST APIs; Enter opens one, c builds a new one, d
 * deletes one once its name is typed back. */
#include <stdio.h>
#include <stdlib.h>

#include "client/apigw.h"
#include "core/json.h"
#include "core/mem.h"
#include "ui/job.h"
#include "ui/pane.h"

static const ui_col cols[] = {
    {"Name", 12, 2}, {"ID", 10, 0}, {"Description", 10, 3}, {"Endpoint", 8, 0},
};

static const cJSON *source(const ui_ctx *cx) { return cx->lists_loaded ? mirror_apis(cx->m) : NULL; }

/* endpointConfiguration.types is a list; the console shows the first. */
static const char *endpoint_type(const cJSON *api) {
    const cJSON *types = json_arr(json_obj(api, "endpointConfiguration"), "types");
    const cJSON *first = cJSON_GetArrayItem(types, 0);
    return cJSON_IsString(first) ? first->valuestring : "";
}

static void cells(const ui_ctx *cx, const cJSON *api, bool reveal, const char **out,
                  char (*bufs)[128]) {
    out[0] = json_str_or(api, "name", "");
    out[1] = json_str_or(api, "id", "");
    out[2] = json_str_or(api, "description", "");
    out[3] = endpoint_type(api);
}

static unsigned open_api(ui_ctx *cx, const cJSON *api) {
    snprintf(cx->open_api, sizeof cx->open_api, "%s", json_str_or(api, "id", ""));
    return UI_DIRTY_ALL;
}

/* --- create ------------------------------------------------------------------- */

/* The console's endpoint types, Regional first (its default), and their
 * wire names. */
static const char *const endpoint_labels[] = {"Regional", "Edge-optimized", "Private"};
static const char *const endpoint_wire[] = {"REGIONAL", "EDGE", "PRIVATE"};

typedef struct create_ud {
    int f_name, f_desc, f_type;
} create_ud;

static void created(ui_job *j, const cJSON *api) {
    ui_job_set_note(j, "Created API %s (%s); Enter opens it", json_str_or(api, "name", ""),
                    json_str_or(api, "id", "?"));
}

static bool create_submit(ui_ctx *cx, form *f, void *ud) {
    const create_ud *c = ud;
    const char *name = form_value(f, c->f_name), *desc = form_value(f, c->f_desc);
    size_t type = form_selected(f, c->f_type);
    apigw_rest_api_in in = {
        .description = *desc ? desc : NULL,
        .endpoint_type = endpoint_wire[type < 3 ? type : 0],
    };
    char *what = xasprintf("Create API %s", name);
    ui_job *j = ui_job_new(cx, what, UI_RELOAD_LISTS);
    free(what);
    apigw_create_rest_api(cx->cl, name, &in, ui_job_done, ui_job_then(j, created));
    return true;
}

static unsigned ask_create(ui_ctx *cx) {
    create_ud *c = xcalloc(1, sizeof *c);
    form *f = form_new("Create REST API");
    c->f_name = form_text(f, "API name", "", NULL);
    c->f_desc = form_text(f, "Description (optional)", "", NULL);
    c->f_type = form_choice(f, "API endpoint type", endpoint_labels, 3, 0);
    form_note(f, "Regional: for clients in the same region.\nEdge-optimized: through CloudFront's "
                 "edge locations.\nPrivate: only from your VPCs.");
    ui_form(cx, f, create_submit, NULL, c, free);
    return UI_DIRTY_ALL;
}

/* --- delete ------------------------------------------------------------------- */

typedef struct api_ref {
    char *id, *name;
} api_ref;

static void api_ref_free(void *p) {
    api_ref *r = p;
    free(r->id);
    free(r->name);
    free(r);
}

static void deleted(ui_job *j, const cJSON *result) {
    const api_ref *r = ui_job_data(j);
    ui_job_set_note(j, "Deleted API %s (%s)", r->name, r->id);
}

static void delete_yes(ui_ctx *cx, void *ud) {
    const api_ref *in = ud;
    api_ref *r = xcalloc(1, sizeof *r);
    r->id = xstrdup(in->id);
    r->name = xstrdup(in->name);
    char *what = xasprintf("Delete API %s", r->name);
    ui_job *j = ui_job_new(cx, what, UI_RELOAD_LISTS);
    free(what);
    ui_job_set_data(j, r, api_ref_free);
    apigw_delete_rest_api(cx->cl, r->id, ui_job_done, ui_job_then(j, deleted));
}

static unsigned ask_delete(ui_ctx *cx, const cJSON *api) {
    api_ref *r = xcalloc(1, sizeof *r);
    r->id = xstrdup(json_str_or(api, "id", ""));
    r->name = xstrdup(json_str_or(api, "name", ""));
    char *text = xasprintf("Delete API %s (%s) with everything in it: resources, methods, "
                           "models, stages and their deployments. This cannot be undone.",
                           r->name, r->id);
    /* As the console does, the API's name must be typed back. */
    ui_confirm(cx, "Delete API", text, r->name, delete_yes, r, api_ref_free);
    free(text);
    return UI_DIRTY_ALL;
}

static unsigned act(ui_ctx *cx, const cJSON *api, ui_action a) {
    switch (a) {
    case UI_ACT_CREATE: return ask_create(cx);
    case UI_ACT_DELETE: return api ? ask_delete(cx, api) : 0;
    default: return 0;
    }
}

static const table_spec spec = {
    .title = "APIs",
    .empty = "No REST APIs in this region yet: c creates one",
    .cols = cols,
    .ncols = 4,
    .scopes = UI_SC_OPEN | UI_SC_CREATE | UI_SC_DELETE,
    .source = source,
    .key_member = "id",
    .cells = cells,
    .open = open_api,
    .act = act,
};

pane *pane_apis_new(void) { return table_pane_new(&spec); }
