/* The jobs that change a usage plan from its view: take a stage or a key
 * out of it, and delete it. AWS refuses to delete a plan while stages are
 * bound: its answer goes on the status line and into the view, and the
 * console offers to remove the stages first, then delete. */
#include <stdio.h>
#include <stdlib.h>

#include "core/buf.h"
#include "core/mem.h"
#include "plan_priv.h"

/* --- a stage or a key out of the plan ------------------------------------------- */

void plan_job_free(void *p) {
    plan_job *d = p;
    plan_feed_unref(d->feed);
    free(d->plan_id);
    free(d->plan_name);
    free(d->a);
    free(d->b);
    free(d->label);
    free(d);
}

plan_job *plan_job_new(plan_feed *f, const char *plan_id, const char *plan_name, const char *a,
                       const char *b, const char *label) {
    plan_job *d = xcalloc(1, sizeof *d);
    d->feed = f ? plan_feed_ref(f) : NULL;
    d->plan_id = xstrdup(plan_id);
    d->plan_name = xstrdup(plan_name ? plan_name : plan_id);
    d->a = a ? xstrdup(a) : NULL;
    d->b = b ? xstrdup(b) : NULL;
    d->label = xstrdup(label ? label : b ? b : "");
    return d;
}

/* A confirmation frees its ud when it closes: the job gets a copy. */
static plan_job *plan_job_copy(const plan_job *d) {
    return plan_job_new(d->feed, d->plan_id, d->plan_name, d->a, d->b, d->label);
}

ui_job *plan_job_start(ui_ctx *cx, plan_job *d, const char *verb, const char *prep) {
    char *what = xasprintf("%s %s %s %s", verb, d->label, prep, d->plan_name);
    ui_job *j = ui_job_new(cx, what, UI_RELOAD_LISTS);
    free(what);
    ui_job_set_data(j, d, plan_job_free);
    return j;
}

void plan_patch_api_stage(ui_ctx *cx, ui_job *j, const plan_job *d, bool add, ui_job_step then) {
    apigw_patch *p = apigw_patch_new();
    char *value = xasprintf("%s:%s", d->a, d->b);
    if (add)
        apigw_patch_add(p, "/apiStages", value);
    else
        apigw_patch_remove(p, "/apiStages", value);
    free(value);
    apigw_update_usage_plan(cx->cl, d->plan_id, p, ui_job_done, ui_job_then(j, then));
}

/* Remove a stage. */
static void stage_removed(ui_job *j, const cJSON *r) {
    plan_job *d = ui_job_data(j);
    ui_job_set_note(j, "Removed stage %s from %s", d->label, d->plan_name);
}

static void remove_stage_yes(ui_ctx *cx, void *ud) {
    plan_job *d = plan_job_copy(ud);
    ui_job *j = plan_job_start(cx, d, "Remove stage", "from");
    plan_patch_api_stage(cx, j, d, false, stage_removed);
}

/* Take a key out of the plan. */
static void key_removed(ui_job *j, const cJSON *r) {
    plan_job *d = ui_job_data(j);
    ui_job_set_note(j, "API key %s is no longer in %s", d->label, d->plan_name);
}

static void remove_key_yes(ui_ctx *cx, void *ud) {
    plan_job *d = plan_job_copy(ud);
    ui_job *j = plan_job_start(cx, d, "Remove API key", "from");
    apigw_delete_usage_plan_key(cx->cl, d->plan_id, d->a, ui_job_done, ui_job_then(j, key_removed));
}

void plan_confirm_remove_stage(ui_ctx *cx, plan_feed *f, const char *plan_name, const char *api,
                               const char *stage, const char *label) {
    char *text = xasprintf("Take stage %s out of usage plan %s? The plan's keys no longer open it.",
                           label, plan_name);
    ui_confirm(cx, "Remove stage", text, NULL, remove_stage_yes,
               plan_job_new(f, f->plan_id, plan_name, api, stage, label), plan_job_free);
    free(text);
}

void plan_confirm_remove_key(ui_ctx *cx, plan_feed *f, const char *plan_name, const char *key_id,
                             const char *key_name) {
    char *text = xasprintf("Take API key %s out of usage plan %s? The key itself stays.", key_name,
                           plan_name);
    ui_confirm(cx, "Remove API key", text, NULL, remove_key_yes,
               plan_job_new(f, f->plan_id, plan_name, key_id, key_name, NULL), plan_job_free);
    free(text);
}

/* --- deleting the plan ---------------------------------------------------------- */

/* Delete the plan. AWS refuses while stages are bound: its answer goes on
 * the status line and into the view, and the console offers to remove the
 * stages first, then delete. */
typedef struct unbind {
    char *plan_id, *plan_name;
    char **stages; /* "apiId:stage" */
    size_t n;
    plan_feed *feed; /* the view's, or NULL */
} unbind;

static void unbind_free(void *p) {
    unbind *u = p;
    for (size_t i = 0; i < u->n; i++)
        free(u->stages[i]);
    free(u->stages);
    free(u->plan_id);
    free(u->plan_name);
    plan_feed_unref(u->feed);
    free(u);
}

static unbind *unbind_new(const char *plan_id, const char *plan_name, plan_feed *feed) {
    unbind *u = xcalloc(1, sizeof *u);
    u->plan_id = xstrdup(plan_id);
    u->plan_name = xstrdup(plan_name);
    u->feed = feed ? plan_feed_ref(feed) : NULL;
    return u;
}

/* Close the plan's view when it is what the user looks at. */
static void close_view(ui_ctx *cx, plan_feed *f) {
    if (cx && f && f->owner && app_top(cx->host) == f->owner) ui_pop(cx);
}

static void plan_deleted(ui_job *j, const cJSON *r) {
    unbind *u = ui_job_data(j);
    if (u->n)
        ui_job_set_note(j, "Removed %zu stage%s from usage plan %s and deleted it", u->n,
                        u->n == 1 ? "" : "s", u->plan_name);
    else
        ui_job_set_note(j, "Deleted usage plan %s", u->plan_name);
    close_view(ui_job_ctx(j), u->feed);
}

static void unbound(ui_job *j, const cJSON *r) {
    unbind *u = ui_job_data(j);
    apigw_delete_usage_plan(ui_job_client(j), u->plan_id, ui_job_done,
                            ui_job_then(j, plan_deleted));
}

static void unbind_yes(ui_ctx *cx, void *ud) {
    const unbind *in = ud;
    unbind *u = unbind_new(in->plan_id, in->plan_name, in->feed);
    u->stages = xcalloc(in->n ? in->n : 1, sizeof *u->stages);
    apigw_patch *p = apigw_patch_new();
    for (size_t i = 0; i < in->n; i++) {
        u->stages[u->n++] = xstrdup(in->stages[i]);
        apigw_patch_remove(p, "/apiStages", in->stages[i]);
    }
    char *what = xasprintf("Remove the stages of %s and delete it", u->plan_name);
    ui_job *j = ui_job_new(cx, what, UI_RELOAD_LISTS);
    free(what);
    ui_job_set_data(j, u, unbind_free);
    apigw_update_usage_plan(cx->cl, u->plan_id, p, ui_job_done, ui_job_then(j, unbound));
}

/* After AWS refused: offer to take the stages out first, unless the user
 * is already in another dialog. */
static void offer_unbind(ui_ctx *cx, const unbind *d, const char *refusal) {
    const cJSON *plan = plan_find(mirror_usage_plans(cx->m), "id", d->plan_id);
    const cJSON *stages = json_arr(plan, "apiStages"), *as;
    if (!cJSON_GetArraySize(stages) || modal_active(cx->host)) return;
    unbind *u = unbind_new(d->plan_id, d->plan_name, d->feed);
    u->stages = xcalloc((size_t)cJSON_GetArraySize(stages), sizeof *u->stages);
    buf names = BUF_INIT;
    cJSON_ArrayForEach(as, stages) {
        const char *api = json_str_or(as, "apiId", ""), *st = json_str_or(as, "stage", "");
        const cJSON *a = plan_find(mirror_apis(cx->m), "id", api);
        buf_printf(&names, "%s%s/%s", u->n ? ", " : "", json_str_or(a, "name", api), st);
        u->stages[u->n++] = xasprintf("%s:%s", api, st);
    }
    char *text = xasprintf("AWS keeps usage plan %s while API stages are bound to it:\n%s\n\n"
                           "Take %s out of the plan, then delete the plan?",
                           d->plan_name, refusal, names.data ? names.data : "");
    ui_confirm(cx, "Remove the stages first?", text, NULL, unbind_yes, u, unbind_free);
    free(text);
    buf_free(&names);
}

static void plan_delete_done(void *job, const cJSON *result, const err *e) {
    unbind *d = ui_job_data(job);
    ui_ctx *cx = ui_job_ctx(job);
    if (e && cx) {
        char text[600];
        err_text(e, text, sizeof text);
        if (d->feed && d->feed->owner)
            snprintf(d->feed->refusal, sizeof d->feed->refusal, "%s", text);
        offer_unbind(cx, d, text);
        plan_redraw(cx);
    }
    ui_job_done(job, result, e);
}

static void delete_job(ui_ctx *cx, plan_feed *f, const char *plan_id, const char *plan_name) {
    unbind *d = unbind_new(plan_id, plan_name, f);
    if (f) f->refusal[0] = '\0';
    char *what = xasprintf("Delete usage plan %s", plan_name);
    ui_job *j = ui_job_new(cx, what, UI_RELOAD_LISTS);
    free(what);
    ui_job_set_data(j, d, unbind_free);
    apigw_delete_usage_plan(cx->cl, plan_id, plan_delete_done, ui_job_then(j, plan_deleted));
}

void plan_delete_job(ui_ctx *cx, const char *plan_id, const char *plan_name) {
    delete_job(cx, NULL, plan_id, plan_name);
}

static void delete_plan_yes(ui_ctx *cx, void *ud) {
    const plan_job *d = ud;
    delete_job(cx, d->feed, d->plan_id, d->plan_name);
}

void plan_confirm_delete(ui_ctx *cx, plan_feed *f, const char *plan_name) {
    char *text =
        xasprintf("Delete usage plan %s (%s)? Its keys stay, outside any plan. This cannot "
                  "be undone.",
                  plan_name, f->plan_id);
    ui_confirm(cx, "Delete usage plan", text, NULL, delete_plan_yes,
               plan_job_new(f, f->plan_id, plan_name, NULL, NULL, NULL), plan_job_free);
    free(text);
}
