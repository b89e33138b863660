#ifndef UI_PLAN_PRIV_H
#define UI_PLAN_PRIV_H
/* Private to a usage plan's detail view (pane_plan.c) and its pieces: the
 * view's own reads (plan_feed.c), its rows (plan_rows.c), the jobs that
 * change a plan (plan_jobs.c) and the forms that ask for them
 * (plan_forms.c). */
#include <stdbool.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "app_priv.h" /* ui_ctx.host: ask for a redraw when a read returns */
#include "core/json.h"
#include "ui/job.h"
#include "ui/plans.h"

typedef struct plan_stage_form plan_stage_form;

/* The view's own reads: the plan's keys, their usage and the stages of an
 * API picked in the add-stage form. Shared, by reference count, with the
 * calls in flight and the forms and jobs opened from the view, so a view
 * closed while they run is never touched. */
typedef struct plan_feed {
    int refs;
    pane *owner; /* the view, while it exists */
    ui_ctx *cx;  /* valid while owner is set */
    char *plan_id;
    unsigned seq;  /* answers of an older round are dropped */
    cJSON *keys;   /* GetUsagePlanKeys items; NULL until loaded */
    cJSON *usage;  /* GetUsage values; NULL until loaded */
    cJSON *stages; /* {apiId: [stage names]} */
    cJSON *asked;  /* {apiId: true, or AWS's answer when listing them failed} */
    char start[16], end[16];
    char keys_err[300], usage_err[300];
    char refusal[600];     /* AWS's answer to the last delete, while stages are bound */
    plan_stage_form *form; /* the open add-stage form, filled in as stages arrive */
} plan_feed;

/* A feed of the view owner (one reference, the view's). */
plan_feed *plan_feed_new(pane *owner, const char *plan_id);
plan_feed *plan_feed_ref(plan_feed *f);
void plan_feed_unref(plan_feed *f); /* NULL is fine */
/* Read the plan's keys and their usage in the current quota period. */
void plan_feed_load(plan_feed *f, ui_ctx *cx, const cJSON *plan);
/* The stage names of an API: the mirror's when it has them (*own then
 * holds them: free it), else the feed's; NULL while unknown (and then
 * asked for: the open add-stage form is filled in when they come). */
const cJSON *plan_feed_stage_names(plan_feed *f, ui_ctx *cx, const char *api, cJSON **own);

/* The item of arr whose member is value, or NULL. */
static inline const cJSON *plan_find(const cJSON *arr, const char *member, const char *value) {
    return json_find(arr, member, value);
}

static inline void plan_redraw(ui_ctx *cx) { cx->host->dirty |= UI_DIRTY_CONTENT; }

/* --- plan_rows.c ------------------------------------------------------------ */

typedef enum plan_row_kind {
    R_BLANK,
    R_HEAD,
    R_FIELD,
    R_STAGE,
    R_KEY,
    R_USAGE,
    R_EMPTY,
    R_NOTE
} plan_row_kind;
typedef enum plan_section { S_PLAN, S_STAGES, S_KEYS, S_USAGE } plan_section;

typedef struct plan_row {
    plan_row_kind kind;
    plan_section s;
    char *key;     /* what the selection follows */
    char *cell[3]; /* sanitized */
    char *a, *b;   /* raw: a stage's API id and name; a key's id and name */
    bool alert;    /* drawn in the error colour */
} plan_row;

typedef struct plan_rows {
    plan_row *v;
    size_t n, cap;
    int width; /* of the last draw: notes wrap to it */
} plan_rows;

/* The view's rows for plan (NULL: none) and what f read, in place of
 * the rows rs had. */
void plan_rows_build(plan_rows *rs, ui_ctx *cx, const cJSON *plan, const plan_feed *f);
void plan_rows_free(plan_rows *rs);

/* The rows the selection may rest on: fields, stages, keys, usage and the
 * "none yet" rows (c works there). */
static inline bool plan_row_selectable(const plan_row *r) {
    return r->kind >= R_FIELD && r->kind <= R_EMPTY;
}

/* --- plan_jobs.c ------------------------------------------------------------ */

/* What a job on a plan keeps: copies, and the feed (may be NULL). */
typedef struct plan_job {
    plan_feed *feed;
    char *plan_id, *plan_name, *a, *b;
    char *label; /* how notes name a or b: "ItemsAPI/prod", a key's name */
} plan_job;

plan_job *plan_job_new(plan_feed *f, const char *plan_id, const char *plan_name, const char *a,
                       const char *b, const char *label);
void plan_job_free(void *p);
/* The job that keeps d (taken), named "VERB LABEL PREP PLAN", e.g.
 * "Remove stage ItemsAPI/dev from LabPlan". */
ui_job *plan_job_start(ui_ctx *cx, plan_job *d, const char *verb, const char *prep);
/* UpdateUsagePlan binding (add) or unbinding the stage d->a:d->b, then. */
void plan_patch_api_stage(ui_ctx *cx, ui_job *j, const plan_job *d, bool add, ui_job_step then);

/* The view's d key, confirmed first: take stage api/stage (label
 * "ItemsAPI/dev") or key key_id out of the plan, or delete the plan. */
void plan_confirm_remove_stage(ui_ctx *cx, plan_feed *f, const char *plan_name, const char *api,
                               const char *stage, const char *label);
void plan_confirm_remove_key(ui_ctx *cx, plan_feed *f, const char *plan_name, const char *key_id,
                             const char *key_name);
void plan_confirm_delete(ui_ctx *cx, plan_feed *f, const char *plan_name);

/* --- plan_forms.c ----------------------------------------------------------- */

/* The add-stage and add-key forms of the view's c key. */
unsigned plan_ask_add_stage(ui_ctx *cx, plan_feed *f, const cJSON *plan);
unsigned plan_ask_add_key(ui_ctx *cx, plan_feed *f, const cJSON *plan);
/* Offer the stages of the API chosen in sf (again: they came in). */
void plan_stage_form_fill(plan_stage_form *sf, ui_ctx *cx);

#endif
