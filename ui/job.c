/* Jobs: chains of client calls started by the user (see ui/job.h). */
#include "ui/job.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "app_priv.h"
#include "core/mem.h"

struct ui_job {
    ui_life *life;
    client *cl;
    char *what, *note, *api, *fn;
    unsigned reload;
    void *data;
    void (*data_free)(void *);
    ui_job_step next;
    bool pending, failed;
    bool in_step; /* a step is running: the job ends when it returns */
    char error[700];
};

ui_job *ui_job_new(ui_ctx *cx, const char *what, unsigned reload) {
    ui_job *j = xcalloc(1, sizeof *j);
    j->life = cx->host->life;
    j->life->refs++;
    j->cl = cx->cl;
    j->what = xstrdup(what);
    j->reload = reload;
    j->api = cx->api_id ? xstrdup(cx->api_id) : NULL;
    j->fn = cx->fn_name ? xstrdup(cx->fn_name) : NULL;
    cx->host->jobs++;
    return j;
}

static void job_free(ui_job *j) {
    if (j->data_free) j->data_free(j->data);
    life_release(j->life);
    free(j->what);
    free(j->note);
    free(j->api);
    free(j->fn);
    free(j);
}

void ui_job_set_data(ui_job *j, void *data, void (*free_fn)(void *)) {
    if (j->data_free) j->data_free(j->data);
    j->data = data;
    j->data_free = free_fn;
}
void *ui_job_data(ui_job *j) { return j->data; }
void ui_job_set_function(ui_job *j, const char *name) {
    free(j->fn);
    j->fn = name ? xstrdup(name) : NULL;
}
const char *ui_job_api(const ui_job *j) { return j->api; }
client *ui_job_client(ui_job *j) { return j->cl; }
ui_ctx *ui_job_ctx(ui_job *j) { return j->life->cx; }

void ui_job_set_note(ui_job *j, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    free(j->note);
    j->note = s;
}

void *ui_job_then(ui_job *j, ui_job_step next) {
    j->next = next;
    j->pending = true;
    return j;
}

void ui_job_fail(ui_job *j, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(j->error, sizeof j->error, fmt, ap);
    va_end(ap);
    j->failed = true;
}

static void finish(ui_job *j) {
    ui_ctx *cx = j->life->cx;
    if (cx) {
        cx->host->jobs--;
        char *note = j->failed ? xasprintf("%s failed: %s", j->what, j->error)
                               : j->note ? xstrdup(j->note) : xasprintf("Done: %s", j->what);
        app_job_ended(cx->host, note, j->failed, j->reload, j->api, j->fn);
        free(note);
    }
    job_free(j);
}

void ui_job_done(void *job, const cJSON *result, const err *e) {
    ui_job *j = job;
    j->pending = false;
    if (!j->life->cx) { /* the console closed: calls end as cancelled */
        job_free(j);
        return;
    }
    if (e) {
        err_text(e, j->error, sizeof j->error);
        j->failed = true;
    } else if (j->next) {
        ui_job_step next = j->next;
        j->next = NULL;
        j->in_step = true;
        next(j, result);
        j->in_step = false;
    }
    if (!j->pending) finish(j);
}

void ui_job_end(ui_job *j) {
    if (!j->pending && !j->in_step) finish(j);
}
