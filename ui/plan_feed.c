/* The usage plan view's own reads (see plan_priv.h): what the mirror does
 * not hold. Each call keeps a reference to the feed and drops its answer
 * when the view is gone, or when a newer round of reads started. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/mem.h"
#include "plan_priv.h"

enum { F_KEYS, F_USAGE, F_STAGES };

typedef struct feed_call {
    plan_feed *f;
    unsigned seq;
    int kind;
    char *api;
} feed_call;

plan_feed *plan_feed_new(pane *owner, const char *plan_id) {
    plan_feed *f = xcalloc(1, sizeof *f);
    f->refs = 1;
    f->owner = owner;
    f->plan_id = xstrdup(plan_id);
    f->stages = cJSON_CreateObject();
    f->asked = cJSON_CreateObject();
    return f;
}

plan_feed *plan_feed_ref(plan_feed *f) {
    f->refs++;
    return f;
}

void plan_feed_unref(plan_feed *f) {
    if (!f || --f->refs > 0) return;
    cJSON_Delete(f->keys);
    cJSON_Delete(f->usage);
    cJSON_Delete(f->stages);
    cJSON_Delete(f->asked);
    free(f->plan_id);
    free(f);
}

/* The names of GetStages' items or of the mirror's stages. */
static cJSON *stage_names(const cJSON *stages) {
    cJSON *names = cJSON_CreateArray();
    const cJSON *st;
    cJSON_ArrayForEach(st, stages) {
        const char *n = json_str(st, "stageName");
        if (n) cJSON_AddItemToArray(names, cJSON_CreateString(n));
    }
    return names;
}

static void feed_store(plan_feed *f, feed_call *c, const cJSON *result, const err *e) {
    char text[300] = "";
    if (e) err_text(e, text, sizeof text);
    if (c->kind == F_STAGES && e) {
        json_set_str(f->asked, c->api, text);
        if (f->form) plan_stage_form_fill(f->form, f->cx);
    } else if (c->kind == F_STAGES) {
        json_set(f->stages, c->api, stage_names(json_arr(result, "item")));
        if (f->form) plan_stage_form_fill(f->form, f->cx);
    } else if (c->seq != f->seq) {
        return;
    } else if (c->kind == F_KEYS) {
        snprintf(f->keys_err, sizeof f->keys_err, "%s", text);
        cJSON_Delete(f->keys);
        f->keys = e ? NULL : cJSON_Duplicate(json_arr(result, "item"), 1);
        if (!e && !f->keys) f->keys = cJSON_CreateArray();
    } else {
        snprintf(f->usage_err, sizeof f->usage_err, "%s", text);
        cJSON_Delete(f->usage);
        f->usage = e ? NULL : cJSON_Duplicate(json_obj(result, "values"), 1);
        if (!e && !f->usage) f->usage = cJSON_CreateObject();
    }
}

static void on_feed(void *ud, const cJSON *result, const err *e) {
    feed_call *c = ud;
    plan_feed *f = c->f;
    if (f->owner) {
        feed_store(f, c, result, e);
        plan_redraw(f->cx);
    }
    free(c->api);
    free(c);
    plan_feed_unref(f);
}

static feed_call *feed_call_new(plan_feed *f, int kind, const char *api) {
    feed_call *c = xcalloc(1, sizeof *c);
    c->f = plan_feed_ref(f);
    c->seq = f->seq;
    c->kind = kind;
    c->api = api ? xstrdup(api) : NULL;
    return c;
}

const cJSON *plan_feed_stage_names(plan_feed *f, ui_ctx *cx, const char *api, cJSON **own) {
    *own = NULL;
    const cJSON *ms = mirror_stages(cx->m, api);
    if (ms) return *own = stage_names(ms);
    const cJSON *mine = json_arr(f->stages, api);
    if (mine) return mine;
    if (!json_has(f->asked, api)) {
        json_set_bool(f->asked, api, true);
        apigw_get_stages(cx->cl, api, NULL, on_feed, feed_call_new(f, F_STAGES, api));
    }
    return NULL;
}

void plan_feed_load(plan_feed *f, ui_ctx *cx, const cJSON *plan) {
    f->seq++;
    plan_usage_range(json_str(json_obj(plan, "quota"), "period"), time(NULL), f->start, f->end);
    apigw_page pg = {.limit = 500};
    apigw_get_usage_plan_keys(cx->cl, f->plan_id, &pg, NULL, on_feed,
                              feed_call_new(f, F_KEYS, NULL));
    apigw_usage_in in = {.page = pg};
    apigw_get_usage(cx->cl, f->plan_id, f->start, f->end, &in, on_feed,
                    feed_call_new(f, F_USAGE, NULL));
}
