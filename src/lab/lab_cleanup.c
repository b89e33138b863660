/* Step 11: deleting the lab's resources, found by name, in the order AWS
 * accepts (keys, then the stages a usage plan may hold, the plans, the
 * APIs, the function); and the emulator's reset. */
#include <stdlib.h>
#include <string.h>

#include "client/apigw.h"
#include "client/lambda.h"
#include "core/json.h"
#include "core/mem.h"
#include "emulator/store.h"
#include "lab_int.h"

static void add(lab_cleanup_plan *p, lab_doomed_kind kind, const char *id, const char *api_id,
                char *label) {
    p->v = xrealloc(p->v, (p->n + 1) * sizeof *p->v);
    p->v[p->n++] = (lab_doomed){
        .kind = kind, .id = xstrdup(id), .api_id = api_id ? xstrdup(api_id) : NULL, .label = label};
}

/* Every item of items named name, as kind. */
static void add_named(lab_cleanup_plan *p, const cJSON *items, const char *name,
                      lab_doomed_kind kind, const char *what) {
    const cJSON *it;
    cJSON_ArrayForEach(it, items) {
        const char *id = json_str(it, "id");
        if (id && strcmp(json_str_or(it, "name", ""), name) == 0)
            add(p, kind, id, NULL, xasprintf("%s %s (id %s)", what, name, id));
    }
}

static int add_stages(client *cl, lab_cleanup_plan *p, const cJSON *apis, err *e) {
    const cJSON *api;
    cJSON_ArrayForEach(api, apis) {
        const char *id = json_str(api, "id");
        if (!id || strcmp(json_str_or(api, "name", ""), LAB_API_NAME) != 0) continue;
        cJSON *out = NULL;
        if (CLIENT_SYNC(cl, &out, e, apigw_get_stages, id, NULL) != 0) return -1;
        const cJSON *st;
        cJSON_ArrayForEach(st, json_arr(out, "item")) {
            const char *name = json_str(st, "stageName");
            if (name)
                add(p, LAB_DEL_STAGE, name, id,
                    xasprintf("stage %s of " LAB_API_NAME " (id %s)", name, id));
        }
        cJSON_Delete(out);
    }
    return 0;
}

int lab_cleanup_plan_build(client *cl, lab_cleanup_plan *p, err *e) {
    memset(p, 0, sizeof *p);
    lab_data d;
    lab_fetch_opts fo = {0};
    int rc = lab_fetch(cl, &fo, &d, e);
    if (rc == 0) {
        add_named(p, d.s.api_keys, LAB_KEY, LAB_DEL_API_KEY, "API key");
        rc = add_stages(cl, p, d.s.apis, e);
    }
    if (rc == 0) {
        add_named(p, d.s.usage_plans, LAB_PLAN, LAB_DEL_PLAN, "usage plan");
        add_named(p, d.s.apis, LAB_API_NAME, LAB_DEL_API, "REST API");
        if (lab_function(&d.s))
            add(p, LAB_DEL_FUNCTION, LAB_FUNCTION, NULL,
                xstrdup("function " LAB_FUNCTION " (with its versions and aliases)"));
    }
    lab_data_free(&d);
    if (rc != 0) lab_cleanup_plan_free(p);
    return rc;
}

void lab_cleanup_plan_free(lab_cleanup_plan *p) {
    for (size_t i = 0; i < p->n; i++) {
        free(p->v[i].id);
        free(p->v[i].api_id);
        free(p->v[i].label);
    }
    free(p->v);
    memset(p, 0, sizeof *p);
}

static int delete_one(client *cl, const lab_doomed *d, err *e) {
    switch (d->kind) {
    case LAB_DEL_API_KEY: return CLIENT_SYNC(cl, NULL, e, apigw_delete_api_key, d->id);
    case LAB_DEL_STAGE: return CLIENT_SYNC(cl, NULL, e, apigw_delete_stage, d->api_id, d->id);
    case LAB_DEL_PLAN: return CLIENT_SYNC(cl, NULL, e, apigw_delete_usage_plan, d->id);
    case LAB_DEL_API: return CLIENT_SYNC(cl, NULL, e, apigw_delete_rest_api, d->id);
    case LAB_DEL_FUNCTION: return CLIENT_SYNC(cl, NULL, e, lambda_delete_function, d->id, NULL);
    }
    return err_set(e, 0, "", "unknown kind of resource");
}

int lab_cleanup_run(client *cl, const lab_cleanup_plan *p, lab_log_fn log, void *ud, err *e) {
    int deleted = 0;
    for (size_t i = 0; i < p->n; i++) {
        err why;
        int rc = delete_one(cl, &p->v[i], &why);
        /* Gone already (deleted meanwhile, or with its API): nothing to do. */
        bool gone = rc != 0 && why.status == 404;
        if (rc != 0 && !gone) {
            if (e) *e = why;
            return -1;
        }
        if (log) {
            char *line = xasprintf("  %s %s", gone ? "already gone:" : "deleted", p->v[i].label);
            log(ud, line);
            free(line);
        }
        deleted += !gone;
    }
    return deleted;
}

int lab_reset(emulator *emu, err *e) {
    store *st = emulator_store(emu);
    if (store_begin(st, true, e) != 0) return -1;
    store_reset(st);
    return store_commit(st, e);
}
