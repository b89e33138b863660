/* Models of the open API. */
#include "core/json.h"
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

static const table_spec spec = {
    .title = "Models",
    .empty = "No models",
    .per_api = true,
    .cols = cols,
    .ncols = 4,
    .source = source,
    .key_member = "name",
    .cells = cells,
};

pane *pane_models_new(void) { return table_pane_new(&spec); }
