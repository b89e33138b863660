/* Deploy API: the console's dialog. A deployment is a snapshot of the
 * API's configuration; deploying to a stage makes the stage serve it (a
 * new stage is created on the way). */
#include <stdlib.h>
#include <string.h>

#include "client/apigw.h"
#include "core/json.h"
#include "core/mem.h"
#include "ui/job.h"
#include "ui/pane.h"

#define NEW_STAGE "New stage"

typedef struct deploy_form {
    char *api;
    int stage, name, stage_desc, desc;
} deploy_form;

static void deploy_form_free(void *p) {
    deploy_form *d = p;
    free(d->api);
    free(d);
}

static bool is_new(const form *f, const deploy_form *d) {
    return strcmp(form_value(f, d->stage), NEW_STAGE) == 0;
}

static void on_change(ui_ctx *cx, form *f, void *ud) {
    deploy_form *d = ud;
    bool fresh = is_new(f, d);
    form_set_hidden(f, d->name, !fresh);
    form_set_hidden(f, d->stage_desc, !fresh);
}

static void deployed(ui_job *j, const cJSON *result) {
    const char *stage = ui_job_data(j);
    ui_job_set_note(j, "Deployed to %s: deployment %s", stage, json_str_or(result, "id", "?"));
}

static bool on_submit(ui_ctx *cx, form *f, void *ud) {
    deploy_form *d = ud;
    bool fresh = is_new(f, d);
    const char *stage = fresh ? form_value(f, d->name) : form_value(f, d->stage);
    if (!*stage) {
        form_set_error(f, "Name the new stage");
        return false;
    }
    char *what = xasprintf("Deploy to %s", stage);
    ui_job *j = ui_job_new(cx, what, UI_RELOAD_API);
    free(what);
    ui_job_set_data(j, xstrdup(stage), free);
    const char *desc = form_value(f, d->desc);
    apigw_deployment_in in = {
        .stage_name = ui_job_data(j),
        .description = *desc ? desc : NULL,
        .stage_description = fresh && *form_value(f, d->stage_desc) ? form_value(f, d->stage_desc)
                                                                    : NULL,
    };
    apigw_create_deployment(cx->cl, d->api, &in, ui_job_done, ui_job_then(j, deployed));
    ui_message(cx, "Deploying to %s...", stage);
    return true;
}

void ui_deploy(ui_ctx *cx, const char *preselect) {
    if (!cx->api_id) return;
    const cJSON *stages = mirror_stages(cx->m, cx->api_id);
    size_t n = (size_t)cJSON_GetArraySize(stages), sel = n;
    const char **opts = xcalloc(n + 1, sizeof *opts);
    size_t k = 0;
    const cJSON *st;
    cJSON_ArrayForEach(st, stages) {
        const char *name = json_str_or(st, "stageName", "");
        if (preselect && strcmp(name, preselect) == 0) sel = k;
        opts[k++] = name;
    }
    opts[k++] = NEW_STAGE;
    if (sel >= k) sel = preselect ? k - 1 : 0;
    deploy_form *d = xcalloc(1, sizeof *d);
    d->api = xstrdup(cx->api_id);
    form *f = form_new("Deploy API");
    form_note(f, "A deployment is a snapshot of the API as it is now; the stage serves it at "
                 "once.");
    d->stage = form_choice(f, "Stage", opts, k, sel);
    d->name = form_text(f, "New stage name", "", "Letters, digits, - and _ (dev, prod)");
    d->stage_desc = form_text(f, "Stage description", "", NULL);
    d->desc = form_text(f, "Deployment description", "", "Shown in the stage's history");
    free(opts);
    ui_form(cx, f, on_submit, on_change, d, deploy_form_free);
    on_change(cx, f, d);
}

char *ui_invoke_url(const ui_ctx *cx, const char *api_id, const char *stage) {
    if (cx->endpoint_url)
        return xasprintf("%s/restapis/%s/%s/_user_request_", cx->endpoint_url, api_id, stage);
    const char *region = cx->region ? cx->region : "us-east-1";
    const char *suffix = strncmp(region, "cn-", 3) == 0 ? "amazonaws.com.cn" : "amazonaws.com";
    return xasprintf("https://%s.execute-api.%s.%s/%s", api_id, region, suffix, stage);
}
