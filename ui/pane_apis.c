/* APIs: the account's REST APIs; Enter opens one. */
#include <stdio.h>

#include "core/json.h"
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

static const table_spec spec = {
    .title = "APIs",
    .empty = "No REST APIs in this region yet",
    .cols = cols,
    .ncols = 4,
    .scopes = UI_SC_OPEN,
    .source = source,
    .key_member = "id",
    .cells = cells,
    .open = open_api,
};

pane *pane_apis_new(void) { return table_pane_new(&spec); }
