#ifndef UI_PLANS_H
#define UI_PLANS_H
/* Usage plans and API keys in the console: the plan's detail view, the
 * forms and jobs the usage plans, plan and API keys panes share, and the
 * pure helpers behind them (request inputs from form values, the current
 * quota period, usage in words), which tests check without a terminal. */
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "client/apigw.h"
#include "ui/pane.h"

/* A usage plan's details (settings, stages, API keys, usage), pushed over
 * the usage plans list. */
pane *pane_plan_new(const char *plan_id);

/* The create (plan NULL) or edit form of a usage plan's settings. */
void plan_settings_form(ui_ctx *cx, const cJSON *plan);

/* Delete a usage plan. When AWS refuses because stages are bound, its
 * answer is shown and the console offers to remove them, then delete. */
void plan_delete_job(ui_ctx *cx, const char *plan_id, const char *plan_name);

/* Create an API key, and add it to a usage plan (plan_id not NULL) in the
 * same job. value NULL: the service generates one. */
void plan_key_create_job(ui_ctx *cx, const char *name, const char *description,
                         const char *value, bool enabled, const char *plan_id,
                         const char *plan_name);

/* --- pure helpers ---------------------------------------------------------- */

/* A usage plan's settings as a form holds them (text as typed). */
typedef struct plan_values {
    const char *name, *description;
    bool throttle;
    const char *rate, *burst;
    bool quota;
    const char *limit, *period, *offset;
} plan_values;

/* The settings of a plan as the wire object holds them; strings point into
 * bufs (a throttle off gives empty texts). */
typedef struct plan_bufs {
    char rate[32], burst[32], limit[32], offset[32];
} plan_bufs;
plan_values plan_values_of(const cJSON *plan, plan_bufs *bufs);

/* CreateUsagePlan's input from the form: numbers parsed into th and q.
 * Returns false with a note in msg when a number is not one. */
bool plan_create_input(const plan_values *v, apigw_usage_plan_in *in, apigw_throttle *th,
                       apigw_quota *q, char *msg, size_t n);

/* UpdateUsagePlan's patch operations that turn old into new (only what
 * changed). Returns the number of operations appended to p. */
int plan_update_patch(const plan_values *old, const plan_values *now, apigw_patch *p);

/* The current quota period holding `now` (UTC) as GetUsage's dates
 * "YYYY-MM-DD": a day, an ISO week (Monday first) or a calendar month
 * (also when period is NULL: no quota), up to and including today. */
void plan_usage_range(const char *period, time_t now, char start[16], char end[16]);

/* One key's usage in words from GetUsage's [[used, remaining], ...] and the
 * plan's quota (may be NULL): "used 3 of 1000, 997 left" or "3 requests". */
void plan_usage_text(const cJSON *days, const cJSON *quota, char *out, size_t n);

#endif
