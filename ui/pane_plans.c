/* Usage plans: throttling and quota at a glance. */
#include <stdio.h>

#include "core/json.h"
#include "ui/pane.h"

static const ui_col cols[] = {
    {"Name", 10, 2}, {"ID", 10, 0}, {"Throttle", 18, 1}, {"Quota", 13, 1},
};

static const cJSON *source(const ui_ctx *cx) {
    return cx->lists_loaded ? mirror_usage_plans(cx->m) : NULL;
}

static void cells(const ui_ctx *cx, const cJSON *plan, bool reveal, const char **out,
                  char (*bufs)[128]) {
    out[0] = json_str_or(plan, "name", "");
    out[1] = json_str_or(plan, "id", "");
    const cJSON *t = json_obj(plan, "throttle");
    if (t)
        snprintf(bufs[2], 128, "%g req/s, burst %g", json_num_or(t, "rateLimit", 0),
                 json_num_or(t, "burstLimit", 0));
    else
        snprintf(bufs[2], 128, "%s", cx->th->dash);
    out[2] = bufs[2];
    const cJSON *q = json_obj(plan, "quota");
    if (q)
        snprintf(bufs[3], 128, "%g per %s", json_num_or(q, "limit", 0), json_str_or(q, "period", "?"));
    else
        snprintf(bufs[3], 128, "%s", cx->th->dash);
    out[3] = bufs[3];
}

static const table_spec spec = {
    .title = "Usage plans",
    .empty = "No usage plans yet",
    .cols = cols,
    .ncols = 4,
    .source = source,
    .key_member = "id",
    .cells = cells,
};

pane *pane_plans_new(void) { return table_pane_new(&spec); }
