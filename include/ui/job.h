#ifndef UI_JOB_H
#define UI_JOB_H
/* An action the user started (create a resource, deploy, publish a
 * version): one or more client calls in a row, then a note on the status
 * line and a reload of what changed. Jobs belong to the app, not to the
 * pane that started them, so a pane may go away while its job runs; a job
 * ending after the console closed only frees itself.
 *
 *   ui_job *j = ui_job_new(cx, "Create resource /items", UI_RELOAD_API);
 *   apigw_create_resource(cx->cl, api, parent, "items", ui_job_done,
 *                         ui_job_then(j, put_method));
 *
 * put_method(j, result) runs when the call succeeded; it may start the next
 * call the same way (ui_job_then), or return to end the job. A failed call
 * ends the job with the error on the status line. */
#include <cjson/cJSON.h>

#include "client/client.h"
#include "ui/pane.h"

enum {
    UI_RELOAD_LISTS = 1u << 0,    /* APIs, usage plans, API keys, functions */
    UI_RELOAD_API = 1u << 1,      /* the API that was open when the job started */
    UI_RELOAD_FUNCTION = 1u << 2, /* the function named with ui_job_set_function */
};

typedef struct ui_job ui_job;
typedef void (*ui_job_step)(ui_job *j, const cJSON *result);

/* what: how the status line names the action. reload: UI_RELOAD_* done when
 * the job ends (also after a failure part-way, since earlier calls changed
 * things). */
ui_job *ui_job_new(ui_ctx *cx, const char *what, unsigned reload);
/* Data the steps need (copied values); freed with free_fn when the job ends. */
void ui_job_set_data(ui_job *j, void *data, void (*free_fn)(void *));
void *ui_job_data(ui_job *j);
void ui_job_set_function(ui_job *j, const char *name);
/* The API the job works on (that of the context when it started, or NULL). */
const char *ui_job_api(const ui_job *j);
client *ui_job_client(ui_job *j);
/* The context, for steps that read the mirror; NULL once the console closed
 * (steps never run then). */
ui_ctx *ui_job_ctx(ui_job *j);
/* Replace the success note ("Created resource /items: a1b2c3"). */
void ui_job_set_note(ui_job *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Arm the job for one call: next (NULL: none) runs on its success. Returns
 * j, to pass as the call's ud with ui_job_done as its callback. */
void *ui_job_then(ui_job *j, ui_job_step next);
void ui_job_done(void *job, const cJSON *result, const err *e);
/* End a job that has no call under way (its work turned out to be done
 * already): note and reloads as usual. Inside a step this does nothing:
 * the job ends when the step returns without starting a call. */
void ui_job_end(ui_job *j);
/* End the job from a step with an error of its own (e.g. a value the first
 * call returned is missing). */
void ui_job_fail(ui_job *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
