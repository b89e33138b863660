/* Stages of the open API. */
#include <stdio.h>

#include "core/buf.h"
#include "core/json.h"
#include "ui/pane.h"

static const ui_col cols[] = {
    {"Stage", 8, 1}, {"Deployment", 10, 0}, {"Variables", 10, 3}, {"Cache", 6, 0},
};

static const cJSON *source(const ui_ctx *cx) { return mirror_stages(cx->m, cx->api_id); }

static void cells(const ui_ctx *cx, const cJSON *st, bool reveal, const char **out,
                  char (*bufs)[128]) {
    out[0] = json_str_or(st, "stageName", "");
    out[1] = json_str_or(st, "deploymentId", "");
    buf b = BUF_INIT;
    const cJSON *v;
    cJSON_ArrayForEach(v, json_obj(st, "variables")) {
        if (cJSON_IsString(v)) buf_printf(&b, "%s%s=%s", b.len ? " " : "", v->string, v->valuestring);
    }
    snprintf(bufs[2], 128, "%s", b.len ? b.data : "");
    buf_free(&b);
    out[2] = bufs[2];
    if (json_bool_or(st, "cacheClusterEnabled", false))
        snprintf(bufs[3], 128, "%s GB", json_str_or(st, "cacheClusterSize", "0.5"));
    else
        snprintf(bufs[3], 128, "off");
    out[3] = bufs[3];
}

static unsigned open(ui_ctx *cx, const cJSON *st) {
    ui_push(cx, pane_stage_new(cx->api_id, json_str_or(st, "stageName", "")));
    return UI_DIRTY_ALL;
}

static unsigned act(ui_ctx *cx, const cJSON *st, ui_action a) {
    switch (a) {
    case UI_ACT_CREATE: ui_deploy(cx, "New stage"); return UI_DIRTY_ALL;
    case UI_ACT_EDIT: return st ? open(cx, st) : 0;
    case UI_ACT_DELETE:
        if (st) stage_confirm_delete(cx, cx->api_id, json_str_or(st, "stageName", ""));
        return UI_DIRTY_ALL;
    default: return 0;
    }
}

static const table_spec spec = {
    .title = "Stages",
    .empty = "No stages yet: D deploys the API to a new one",
    .per_api = true,
    .cols = cols,
    .ncols = 4,
    .source = source,
    .key_member = "stageName",
    .cells = cells,
    .open = open,
    .act = act,
    .scopes = UI_SC_OPEN | UI_SC_CREATE | UI_SC_EDIT | UI_SC_DELETE | UI_SC_API,
};

pane *pane_stages_new(void) { return table_pane_new(&spec); }
