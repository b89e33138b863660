/* Doing the lab's steps: the driver, and what the steps share (logging,
 * reading the snapshot again, the account id, deploying). Each step looks
 * at the snapshot, changes only what its checks want, and redeploys the
 * API when it changed methods or a stage does not serve what it should. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/apigw.h"
#include "client/sts.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/mem.h"
#include "lab_int.h"

/* --- what the steps share ------------------------------------------------------------- */

static void vsay(lab_run *r, const char *fmt, va_list ap) {
    if (!r->o->log) return;
    char *line = xvasprintf(fmt, ap);
    r->o->log(r->o->ud, line);
    free(line);
}

void lab_say(lab_run *r, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsay(r, fmt, ap);
    va_end(ap);
}

void lab_did(lab_run *r, const char *fmt, ...) {
    r->changes++;
    buf b = BUF_INIT;
    buf_puts(&b, "  ");
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    lab_say(r, "%s", b.data);
    buf_free(&b);
}

/* probes: also run the lab's requests (when the backend can). */
static int refetch(lab_run *r, bool probes) {
    lab_fetch_opts fo = r->o->fetch;
    fo.probes = fo.probes && probes;
    lab_data d;
    if (lab_fetch(r->cl, &fo, &d, r->e) != 0) {
        lab_data_free(&d);
        return -1;
    }
    lab_data_free(&r->d);
    r->d = d;
    return 0;
}

int lab_refetch(lab_run *r) { return refetch(r, false); }
int lab_refetch_probed(lab_run *r) { return refetch(r, true); }

const char *lab_account(lab_run *r) {
    if (r->account[0]) return r->account;
    const char *arn = json_str(lab_function(&r->d.s), "FunctionArn");
    if (arn) {
        /* arn:aws:lambda:REGION:ACCOUNT:function:NAME */
        const char *p = arn;
        for (int i = 0; i < 4 && p; i++) {
            p = strchr(p, ':');
            if (p) p++;
        }
        const char *e = p ? strchr(p, ':') : NULL;
        if (e && e - p < (long)sizeof r->account) {
            snprintf(r->account, sizeof r->account, "%.*s", (int)(e - p), p);
            return r->account;
        }
    }
    if (r->o->account) {
        snprintf(r->account, sizeof r->account, "%s", r->o->account);
        return r->account;
    }
    cJSON *who = NULL;
    if (sts_get_caller_identity_sync(r->cl, &who, r->e) != 0) return NULL;
    snprintf(r->account, sizeof r->account, "%s", json_str_or(who, "Account", ""));
    cJSON_Delete(who);
    if (!r->account[0]) {
        err_set(r->e, 0, "", "STS did not tell the account id");
        return NULL;
    }
    return r->account;
}

static const lab_result *find_result(const lab_step_result *sr, const char *id) {
    for (size_t i = 0; i < sr->n; i++)
        if (strcmp(sr->r[i].check->id, id) == 0) return &sr->r[i];
    return NULL;
}

bool lab_passes(const lab_run *r, int step, const char *id) {
    lab_step_result sr;
    lab_evaluate(&r->d.s, step, &sr);
    const lab_result *res = find_result(&sr, id);
    return res && res->status == LAB_PASS;
}

bool lab_stale(const lab_run *r, int step) {
    lab_step_result sr;
    lab_evaluate(&r->d.s, step, &sr);
    for (size_t i = 0; i < sr.n; i++) {
        const lab_check *c = sr.r[i].check;
        if (sr.r[i].status == LAB_FAIL && c->stale && c->stale(&r->d.s)) return true;
    }
    return false;
}

/* Point an existing stage at deployment dep. */
static int serve_deployment(lab_run *r, const char *stage, const char *dep) {
    apigw_patch *p = apigw_patch_replace(apigw_patch_new(), "/deploymentId", dep);
    if (LAB_SYNC(r, NULL, apigw_update_stage, json_str(lab_api(&r->d.s), "id"), stage, p) != 0)
        return -1;
    lab_did(r, "redeployed " LAB_API_NAME " to %s (deployment %s)", stage, dep);
    return 0;
}

/* A new stage is made by the deployment itself; a stage that exists is
 * pointed at a new deployment afterwards, which keeps its settings as they
 * are on every endpoint (moto_server's CreateDeployment with the name of a
 * stage that exists starts that stage over). */
int lab_deploy(lab_run *r, const char *stage, const char *description) {
    const char *api = json_str(lab_api(&r->d.s), "id");
    bool exists = lab_stage(&r->d.s, stage) != NULL;
    cJSON *out = NULL;
    apigw_deployment_in in = {.stage_name = exists ? NULL : stage, .description = description};
    if (LAB_SYNC(r, &out, apigw_create_deployment, api, &in) != 0) return -1;
    int rc = 0;
    if (exists)
        rc = serve_deployment(r, stage, json_str_or(out, "id", ""));
    else
        lab_did(r, "deployed " LAB_API_NAME " to %s, a new stage (deployment %s)", stage,
                json_str_or(out, "id", "?"));
    cJSON_Delete(out);
    return rc;
}

/* One new deployment that every lab stage there is then serves: what
 * "Deploy API" to dev and then to prod comes to. */
int lab_redeploy(lab_run *r) {
    static const char *const stages[] = {"dev", "prod"};
    bool any = false;
    for (int i = 0; i < 2; i++)
        any = any || lab_stage(&r->d.s, stages[i]);
    if (!any) return 0;
    cJSON *out = NULL;
    if (LAB_SYNC(r, &out, apigw_create_deployment, json_str(lab_api(&r->d.s), "id"), NULL) != 0)
        return -1;
    int rc = 0;
    for (int i = 0; i < 2 && rc == 0; i++)
        if (lab_stage(&r->d.s, stages[i]))
            rc = serve_deployment(r, stages[i], json_str_or(out, "id", ""));
    cJSON_Delete(out);
    return rc;
}

int lab_finish_deploy(lab_run *r, int step) {
    if (r->api_changed) {
        if (lab_refetch(r) != 0 || lab_redeploy(r) != 0) return -1;
        r->api_changed = false;
        return 0;
    }
    if (!r->o->fetch.probes) return 0;
    if (refetch(r, true) != 0) return -1;
    return lab_stale(r, step) ? lab_redeploy(r) : 0;
}

/* --- the driver ------------------------------------------------------------------------ */

typedef int (*step_fn)(lab_run *r);

static const step_fn step_fns[LAB_STEPS + 1] = {
    [3] = lab_setup_api,    [4] = lab_setup_function,  [5] = lab_setup_aliases,
    [6] = lab_setup_lambda, [7] = lab_setup_variables, [8] = lab_setup_plan,
    [9] = lab_setup_cors,   [10] = lab_setup_cache,
};

static int run_step(lab_run *r, int step) {
    const lab_step *st = lab_step_get(step);
    lab_say(r, "Step %d: %s", step, st->title);
    r->changes = 0;
    r->api_changed = false;
    if (step_fns[step] && step_fns[step](r) != 0) {
        char text[700];
        lab_say(r, "  stopped: %s", err_text(r->e, text, sizeof text));
        return -1;
    }
    if (!r->changes) lab_say(r, "  %s", step_fns[step] ? "nothing to do" : "nothing to build");
    return r->changes && lab_refetch(r) != 0 ? -1 : r->changes;
}

int lab_setup(client *cl, int through, const lab_setup_opts *o, lab_data *after, err *e) {
    static const lab_setup_opts none = {0};
    err scratch;
    lab_run r = {.cl = cl, .o = o ? o : &none, .e = e ? e : &scratch};
    int total = 0, rc = refetch(&r, false);
    for (int step = 1; rc == 0 && step <= through && step <= LAB_STEP_LAST_BUILD; step++) {
        int n = run_step(&r, step);
        if (n < 0)
            rc = -1;
        else
            total += n;
    }
    /* The state at the end, with the lab's requests, for the caller to check. */
    if (rc == 0 && after) rc = refetch(&r, true);
    if (after) {
        *after = r.d;
    } else {
        lab_data_free(&r.d);
    }
    return rc == 0 ? total : -1;
}
