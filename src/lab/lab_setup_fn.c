/* Steps 4 to 6 done through the client: ItemsFunction, its version and
 * aliases, and the Lambda integrations of the GET methods with the
 * permissions that let API Gateway invoke the aliases. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client/apigw.h"
#include "client/lambda.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/zipcode.h"
#include "lab/assets.h"
#include "lab_int.h"

/* --- step 4 ------------------------------------------------------------------------------ */

/* The lab's code as a deployment package (malloc'd), or NULL with r->e set. */
static unsigned char *package(lab_run *r, size_t *len) {
    const char *name = "lambda_function.py", *code = lab_function_py;
    unsigned char *zip = zipcode_build(1, &name, &code, len);
    if (!zip) err_set(r->e, 0, "", "could not build the function's zip archive");
    return zip;
}

/* Lambda creates and updates functions in the background: wait until it
 * is Active and the last update finished (at once on the emulator). */
static int settle(lab_run *r) {
    for (int i = 0; i < 120; i++) {
        cJSON *cfg = NULL;
        if (LAB_SYNC(r, &cfg, lambda_get_function_configuration, LAB_FUNCTION, NULL) != 0)
            return -1;
        const char *state = json_str_or(cfg, "State", "Active");
        const char *update = json_str_or(cfg, "LastUpdateStatus", "Successful");
        bool busy = strcmp(state, "Pending") == 0 || strcmp(update, "InProgress") == 0;
        bool failed = strcmp(state, "Failed") == 0 || strcmp(update, "Failed") == 0;
        if (failed)
            err_set(
                r->e, 0, "", LAB_FUNCTION " failed to settle: %s",
                json_str_or(cfg, "StateReason", json_str_or(cfg, "LastUpdateStatusReason", "?")));
        cJSON_Delete(cfg);
        if (failed) return -1;
        if (!busy) return 0;
        nanosleep(&(struct timespec){.tv_nsec = 500 * 1000 * 1000}, NULL);
    }
    return err_set(r->e, 0, "", LAB_FUNCTION " is still being updated after a minute");
}

static int create_function(lab_run *r) {
    const char *account = lab_account(r);
    if (!account) return -1;
    char *role = xasprintf("arn:aws:iam::%s:role/" LAB_ROLE_NAME, account);
    size_t len;
    unsigned char *zip = package(r, &len);
    int rc = -1;
    if (zip) {
        lambda_function_in in = {.runtime = LAB_RUNTIME, .handler = LAB_HANDLER};
        rc = LAB_SYNC(r, NULL, lambda_create_function, LAB_FUNCTION, role, zip, len, &in);
    }
    if (rc == 0)
        lab_did(r, "created the function " LAB_FUNCTION " (" LAB_RUNTIME ", role %s)", role);
    free(zip);
    free(role);
    return rc == 0 ? settle(r) : -1;
}

static int fix_configuration(lab_run *r) {
    lambda_function_in in = {0};
    char *role = NULL;
    if (!lab_passes(r, 4, "4.runtime")) in.runtime = LAB_RUNTIME;
    if (!lab_passes(r, 4, "4.handler")) in.handler = LAB_HANDLER;
    if (!lab_passes(r, 4, "4.role")) {
        const char *account = lab_account(r);
        if (!account) return -1;
        in.role = role = xasprintf("arn:aws:iam::%s:role/" LAB_ROLE_NAME, account);
    }
    if (!in.runtime && !in.handler && !in.role) return 0;
    int rc = LAB_SYNC(r, NULL, lambda_update_function_configuration, LAB_FUNCTION, &in);
    if (rc == 0)
        lab_did(r, "set " LAB_FUNCTION "'s%s%s%s", in.runtime ? " runtime" : "",
                in.handler ? " handler" : "", in.role ? " role" : "");
    free(role);
    return rc == 0 ? settle(r) : -1;
}

/* The test events tell whether the code is the lab's (when the backend
 * runs functions); if not, it is replaced. */
static int fix_code(lab_run *r) {
    if (!r->o->fetch.probes) return 0;
    if (lab_refetch_probed(r) != 0) return -1;
    if (lab_passes(r, 4, "4.event.list") && lab_passes(r, 4, "4.event.one") &&
        lab_passes(r, 4, "4.event.missing"))
        return 0;
    size_t len;
    unsigned char *zip = package(r, &len);
    if (!zip) return -1;
    int rc = LAB_SYNC(r, NULL, lambda_update_function_code, LAB_FUNCTION, zip, len, NULL);
    free(zip);
    if (rc != 0) return -1;
    lab_did(r, "replaced " LAB_FUNCTION "'s code with the lab's lambda_function.py");
    return settle(r);
}

int lab_setup_function(lab_run *r) {
    if (!lab_function(&r->d.s)) return create_function(r);
    return fix_configuration(r) == 0 && fix_code(r) == 0 ? 0 : -1;
}

/* --- step 5 --------------------------------------------------------------------------------- */

/* The newest published version into v (n bytes), publishing one when
 * there is none. */
static int published(lab_run *r, char *v, size_t n) {
    long best = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, r->d.s.versions) {
        long num = strtol(json_str_or(it, "Version", "0"), NULL, 10);
        if (num > best) best = num;
    }
    if (best > 0) {
        snprintf(v, n, "%ld", best);
        return 0;
    }
    cJSON *out = NULL;
    if (LAB_SYNC(r, &out, lambda_publish_version, LAB_FUNCTION, NULL) != 0) return -1;
    snprintf(v, n, "%s", json_str_or(out, "Version", "1"));
    lab_did(r, "published version %s of " LAB_FUNCTION, v);
    cJSON_Delete(out);
    return 0;
}

static int ensure_alias(lab_run *r, const char *name, const char *version, const char *desc,
                        const char *check) {
    if (lab_passes(r, 5, check)) return 0;
    if (!lab_alias(&r->d.s, name)) {
        lambda_alias_in in = {.description = desc};
        if (LAB_SYNC(r, NULL, lambda_create_alias, LAB_FUNCTION, name, version, &in) != 0)
            return -1;
        lab_did(r, "created the alias %s on %s", name, version);
        return 0;
    }
    lambda_alias_in in = {.function_version = version};
    if (LAB_SYNC(r, NULL, lambda_update_alias, LAB_FUNCTION, name, &in) != 0) return -1;
    lab_did(r, "pointed the alias %s at %s", name, version);
    return 0;
}

int lab_setup_aliases(lab_run *r) {
    char v[32];
    if (published(r, v, sizeof v) != 0) return -1;
    if (ensure_alias(r, "dev", "$LATEST", LAB_ALIAS_DEV_DESCRIPTION, "5.alias.dev") != 0) return -1;
    return ensure_alias(r, "prod", v, LAB_ALIAS_PROD_DESCRIPTION, "5.alias.prod");
}

/* --- step 6 --------------------------------------------------------------------------------- */

static const char *api_id(lab_run *r) { return json_str(lab_api(&r->d.s), "id"); }
static const char *res_id(lab_run *r, const char *path) {
    return json_str_or(lab_resource(&r->d.s, path), "id", "");
}

/* The integration URI of ItemsFunction:qualifier (malloc'd). */
static char *function_uri(lab_run *r, const char *qualifier) {
    const char *fn = json_str_or(lab_function(&r->d.s), "FunctionArn", "");
    char *arn = xasprintf("%s:%s", fn, qualifier);
    char *uri = apigw_lambda_uri(client_region(r->cl), arn);
    free(arn);
    return uri;
}

static bool calls_function(lab_run *r, const cJSON *integ) {
    char fn[512], q[256];
    return strcmp(json_str_or(integ, "type", ""), "AWS") == 0 &&
           lab_lambda_uri_parts(json_str(integ, "uri"), fn, sizeof fn, q, sizeof q) &&
           strcmp(fn, json_str_or(lab_function(&r->d.s), "FunctionArn", "")) == 0;
}

static int put_lambda(lab_run *r, const char *path, bool with_id) {
    char *uri = function_uri(r, "prod");
    cJSON *tmpl = NULL;
    if (with_id) {
        tmpl = cJSON_CreateObject();
        json_set_str(tmpl, "application/json", lab_item_request_template);
    }
    apigw_integration_in in = {.http_method = "POST",
                               .uri = uri,
                               .request_templates = tmpl,
                               .passthrough_behavior =
                                   with_id ? "WHEN_NO_TEMPLATES" : "WHEN_NO_MATCH"};
    int rc =
        LAB_SYNC(r, NULL, apigw_put_integration, api_id(r), res_id(r, path), "GET", "AWS", &in);
    if (rc == 0) lab_did(r, "pointed GET %s at " LAB_FUNCTION ":prod (Lambda, proxy off)", path);
    cJSON_Delete(tmpl);
    free(uri);
    return rc;
}

static int fix_request_template(lab_run *r, const char *path) {
    if (lab_reput_integration(r, path, "GET", NULL, lab_item_request_template) != 0) return -1;
    lab_did(r, "set GET %s's request template to pass the ID", path);
    return 0;
}

static int ensure_lambda(lab_run *r, const char *path, bool with_id) {
    const cJSON *get = lab_method(&r->d.s, path, "GET");
    const cJSON *integ = json_obj(get, "methodIntegration");
    bool put = !calls_function(r, integ);
    if (put && put_lambda(r, path, with_id) != 0) return -1;
    const char *t = json_str(json_obj(integ, "requestTemplates"), "application/json");
    if (!put && with_id && !lab_same_template(t, lab_item_request_template) &&
        fix_request_template(r, path) != 0)
        return -1;
    if (put || !json_obj(json_obj(integ, "integrationResponses"), "200")) {
        if (LAB_SYNC(r, NULL, apigw_put_integration_response, api_id(r), res_id(r, path), "GET",
                     "200", NULL) != 0)
            return -1;
        lab_did(r, "added GET %s's 200 integration response", path);
    }
    if (!json_obj(json_obj(get, "methodResponses"), "200")) {
        if (LAB_SYNC(r, NULL, apigw_put_method_response, api_id(r), res_id(r, path), "GET", "200",
                     NULL) != 0)
            return -1;
        lab_did(r, "added GET %s's 200 method response", path);
    }
    return 0;
}

/* A permission for API Gateway to invoke ItemsFunction:alias from GET path
 * of any stage, as the console adds it. A statement of that id that does
 * not fit (an earlier API) is replaced. */
static int permit(lab_run *r, const char *alias, const char *path) {
    const char *account = lab_account(r);
    if (!account) return -1;
    char *src = apigw_source_arn(client_region(r->cl), account, api_id(r), NULL, "GET", path);
    char sid[96];
    snprintf(sid, sizeof sid, "lab-%s-get-%s", alias,
             strcmp(path, LAB_ITEMS_PATH) ? "item" : "items");
    lambda_permission_in in = {.qualifier = alias, .source_arn = src};
    int rc = LAB_SYNC(r, NULL, lambda_add_permission, LAB_FUNCTION, sid, "lambda:InvokeFunction",
                      "apigateway.amazonaws.com", &in);
    if (rc != 0 && r->e->status == 409) {
        rc = LAB_SYNC(r, NULL, lambda_remove_permission, LAB_FUNCTION, sid, alias, NULL);
        if (rc == 0)
            rc = LAB_SYNC(r, NULL, lambda_add_permission, LAB_FUNCTION, sid,
                          "lambda:InvokeFunction", "apigateway.amazonaws.com", &in);
    }
    if (rc == 0) lab_did(r, "let API Gateway invoke " LAB_FUNCTION ":%s from %s", alias, src);
    free(src);
    return rc;
}

/* The permissions of alias, for its own stage's calls to both methods. */
int lab_permit_alias(lab_run *r, const char *alias, const char *stage) {
    static const char *const paths[] = {LAB_ITEMS_PATH, LAB_ITEM_PATH};
    const char *fn = json_str_or(lab_function(&r->d.s), "FunctionArn", "");
    char *resource = xasprintf("%s:%s", fn, alias);
    const cJSON *policy = json_obj(r->d.s.policies, alias);
    int rc = 0;
    for (int i = 0; i < 2 && rc == 0; i++) {
        char *arn = lab_method_arn(&r->d.s, stage, "GET", paths[i]);
        if (!arn || !lab_policy_allows(policy, resource, arn)) rc = permit(r, alias, paths[i]);
        free(arn);
    }
    free(resource);
    return rc;
}

int lab_setup_lambda(lab_run *r) {
    int before = r->changes;
    if (ensure_lambda(r, LAB_ITEMS_PATH, false) != 0 || ensure_lambda(r, LAB_ITEM_PATH, true) != 0)
        return -1;
    r->api_changed = r->changes > before;
    /* As the lab does, both aliases: first dev, then prod. */
    if (lab_permit_alias(r, "dev", "dev") != 0 || lab_permit_alias(r, "prod", "prod") != 0)
        return -1;
    return lab_finish_deploy(r, 6);
}
