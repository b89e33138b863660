/* API keys: values stay masked until v shows them. */
#include <stdio.h>

#include "core/json.h"
#include "ui/pane.h"

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

static const table_spec spec = {
    .title = "API keys",
    .empty = "No API keys yet",
    .cols = cols,
    .ncols = 4,
    .scopes = UI_SC_SECRET,
    .source = source,
    .key_member = "id",
    .cells = cells,
};

pane *pane_keys_new(void) { return table_pane_new(&spec); }
