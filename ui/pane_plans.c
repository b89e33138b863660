/* Usage plans: throttling, quota and bound stages at a glance; c creates a
 * plan, Enter opens its details (stages, keys, usage), d deletes it. */
#include <stdio.h>
#include <stdlib.h>

#include "core/json.h"
#include "core/mem.h"
#include "ui/job.h"
#include "ui/plans.h"

/* Columns take what their cells need; when that is too much at 80
 * columns, each keeps at least its minimum: AWS's 6-character ids and
 * "20 req/s, burst 40" fit whole. */
static const ui_col cols[] = {
    {"Name", 8, 2}, {"ID", 6, 1}, {"Throttle", 18, 1}, {"Quota", 14, 1}, {"Stages", 6, 0},
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
        snprintf(bufs[2], 128, "%.15g req/s, burst %.15g", json_num_or(t, "rateLimit", 0),
                 json_num_or(t, "burstLimit", 0));
    else
        snprintf(bufs[2], 128, "%s", cx->th->dash);
    out[2] = bufs[2];
    const cJSON *q = json_obj(plan, "quota");
    if (q)
        snprintf(bufs[3], 128, "%.15g per %s", json_num_or(q, "limit", 0), json_str_or(q, "period", "?"));
    else
        snprintf(bufs[3], 128, "%s", cx->th->dash);
    out[3] = bufs[3];
    snprintf(bufs[4], 128, "%d", cJSON_GetArraySize(json_arr(plan, "apiStages")));
    out[4] = bufs[4];
}

static unsigned open_plan(ui_ctx *cx, const cJSON *plan) {
    ui_push(cx, pane_plan_new(json_str_or(plan, "id", "")));
    return UI_DIRTY_ALL;
}

/* --- delete ------------------------------------------------------------------- */

typedef struct plan_ref {
    char *id, *name;
} plan_ref;

static void plan_ref_free(void *p) {
    plan_ref *r = p;
    free(r->id);
    free(r->name);
    free(r);
}

static void delete_yes(ui_ctx *cx, void *ud) {
    const plan_ref *r = ud;
    plan_delete_job(cx, r->id, r->name);
}

static unsigned ask_delete(ui_ctx *cx, const cJSON *plan) {
    plan_ref *r = xcalloc(1, sizeof *r);
    r->id = xstrdup(json_str_or(plan, "id", ""));
    r->name = xstrdup(json_str_or(plan, "name", r->id));
    char *text = xasprintf("Delete usage plan %s (%s)? Its keys stay, outside any plan. This "
                           "cannot be undone.",
                           r->name, r->id);
    ui_confirm(cx, "Delete usage plan", text, NULL, delete_yes, r, plan_ref_free);
    free(text);
    return UI_DIRTY_ALL;
}

static unsigned act(ui_ctx *cx, const cJSON *plan, ui_action a) {
    switch (a) {
    case UI_ACT_CREATE: plan_settings_form(cx, NULL); return UI_DIRTY_ALL;
    case UI_ACT_EDIT:
        if (!plan) return 0;
        plan_settings_form(cx, plan);
        return UI_DIRTY_ALL;
    case UI_ACT_DELETE: return plan ? ask_delete(cx, plan) : 0;
    default: return 0;
    }
}

static const table_spec spec = {
    .title = "Usage plans",
    .empty = "No usage plans yet: c creates one",
    .cols = cols,
    .ncols = 5,
    .scopes = UI_SC_OPEN | UI_SC_CREATE | UI_SC_DELETE | UI_SC_EDIT,
    .source = source,
    .key_member = "id",
    .cells = cells,
    .open = open_plan,
    .act = act,
};

pane *pane_plans_new(void) { return table_pane_new(&spec); }
