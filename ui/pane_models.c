/* Models of the open API: JSON schemas for request and response bodies. */
#include <stdlib.h>
#include <string.h>

#include "client/apigw.h"
#include "core/json.h"
#include "core/mem.h"
#include "ui/job.h"
#include "ui/pane.h"

static const ui_col cols[] = {
    {"Name", 10, 1}, {"Content type", 16, 1}, {"ID", 10, 0}, {"Description", 10, 2},
};

static const cJSON *source(const ui_ctx *cx) { return mirror_models(cx->m, cx->api_id); }

static void cells(const ui_ctx *cx, const cJSON *md, bool reveal, const char **out,
                  char (*bufs)[128]) {
    out[0] = json_str_or(md, "name", "");
    out[1] = json_str_or(md, "contentType", "");
    out[2] = json_str_or(md, "id", "");
    out[3] = json_str_or(md, "description", "");
}

static const char default_schema[] = "{\n"
                                     "  \"$schema\": \"http://json-schema.org/draft-04/schema#\",\n"
                                     "  \"title\": \"Item\",\n"
                                     "  \"type\": \"object\",\n"
                                     "  \"properties\": {\n"
                                     "    \"ID\": {\"type\": \"number\"},\n"
                                     "    \"name\": {\"type\": \"string\"},\n"
                                     "    \"price\": {\"type\": \"number\"}\n"
                                     "  }\n"
                                     "}\n";

typedef struct model_ref {
    char *api, *name;
    int f_name, f_type, f_desc, f_schema;
} model_ref;

static void ref_free(void *p) {
    model_ref *r = p;
    free(r->api);
    free(r->name);
    free(r);
}

static model_ref *ref_new(const ui_ctx *cx, const char *name) {
    model_ref *r = xcalloc(1, sizeof *r);
    r->api = xstrdup(cx->api_id);
    r->name = name ? xstrdup(name) : NULL;
    return r;
}

/* The schema must at least be JSON; AWS checks the rest and says so. */
static bool schema_ok(const char *text, char *why, size_t n) {
    err e;
    cJSON *j = json_parse(text, strlen(text), &e);
    if (!j) {
        snprintf(why, n, "The schema is not JSON: %.200s", e.msg);
        return false;
    }
    cJSON_Delete(j);
    return true;
}

static bool create_submit(ui_ctx *cx, form *f, void *ud) {
    model_ref *r = ud;
    const char *name = form_value(f, r->f_name), *schema = form_value(f, r->f_schema);
    char why[300];
    if (!*name) {
        form_set_error(f, "A model needs a name");
        return false;
    }
    if (!schema_ok(schema, why, sizeof why)) {
        form_set_error(f, why);
        return false;
    }
    char *what = xasprintf("Create model %s", name);
    ui_job *j = ui_job_new(cx, what, UI_RELOAD_API);
    free(what);
    const char *desc = form_value(f, r->f_desc);
    apigw_model_in in = {.schema = schema, .description = *desc ? desc : NULL};
    apigw_create_model(cx->cl, r->api, name, form_value(f, r->f_type), &in, ui_job_done,
                       ui_job_then(j, NULL));
    return true;
}

static void create_form(ui_ctx *cx) {
    model_ref *r = ref_new(cx, NULL);
    form *f = form_new("Create model");
    r->f_name = form_text(f, "Name", "", "Letters and digits (Item, ItemList)");
    r->f_type = form_text(f, "Content type", "application/json", NULL);
    r->f_desc = form_text(f, "Description", "", NULL);
    r->f_schema = form_textarea(f, "Schema", default_schema, ".json");
    ui_form(cx, f, create_submit, NULL, r, ref_free);
}

static void schema_edited(ui_ctx *cx, const char *text, void *ud) {
    model_ref *r = ud;
    char why[300];
    if (!schema_ok(text, why, sizeof why)) {
        ui_message(cx, "%s; the model was not changed", why);
        cx->msg_error = true;
        return;
    }
    apigw_patch *p = apigw_patch_new();
    apigw_patch_replace(p, "/schema", text);
    char *what = xasprintf("Update model %s", r->name);
    ui_job *j = ui_job_new(cx, what, UI_RELOAD_API);
    free(what);
    apigw_update_model(cx->cl, r->api, r->name, p, ui_job_done, ui_job_then(j, NULL));
}

static void delete_model(ui_ctx *cx, void *ud) {
    model_ref *r = ud;
    char *what = xasprintf("Delete model %s", r->name);
    ui_job *j = ui_job_new(cx, what, UI_RELOAD_API);
    free(what);
    apigw_delete_model(cx->cl, r->api, r->name, ui_job_done, ui_job_then(j, NULL));
}

static unsigned edit(ui_ctx *cx, const cJSON *md) {
    const char *name = json_str_or(md, "name", "");
    char *title = xasprintf("Model %s schema", name);
    ui_edit(cx, title, json_str_or(md, "schema", "{}"), ".json", schema_edited, ref_new(cx, name),
            ref_free);
    free(title);
    return UI_DIRTY_ALL;
}

static unsigned act(ui_ctx *cx, const cJSON *md, ui_action a) {
    switch (a) {
    case UI_ACT_CREATE: create_form(cx); return UI_DIRTY_ALL;
    case UI_ACT_EDIT: return md ? edit(cx, md) : 0;
    case UI_ACT_DELETE: {
        if (!md) return 0;
        const char *name = json_str_or(md, "name", "");
        char *text = xasprintf("Delete model %s? Methods that use it must let go of it first.", name);
        ui_confirm(cx, "Delete model", text, NULL, delete_model, ref_new(cx, name), ref_free);
        free(text);
        return UI_DIRTY_ALL;
    }
    default: return 0;
    }
}

static const table_spec spec = {
    .title = "Models",
    .empty = "No models; c creates one",
    .per_api = true,
    .cols = cols,
    .ncols = 4,
    .source = source,
    .key_member = "name",
    .cells = cells,
    .open = edit,
    .act = act,
    .scopes = UI_SC_OPEN | UI_SC_CREATE | UI_SC_EDIT | UI_SC_DELETE | UI_SC_API,
};

pane *pane_models_new(void) { return table_pane_new(&spec); }
