/* Steps 7 to 10 done through the client: the stage variable and the
 * integrations that use it, the usage plan and API key, CORS, and the prod
 * stage's cache and throttling with the plan's quota. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/apigw.h"
#include "core/json.h"
#include "core/mem.h"
#include "lab_int.h"

static const char *const lab_stages[] = {"dev", "prod"};
static const char *const get_paths[] = {LAB_ITEMS_PATH, LAB_ITEM_PATH};

static const char *api_id(lab_run *r) { return json_str(lab_api(&r->d.s), "id"); }
static const char *res_id(lab_run *r, const char *path) {
    return json_str_or(lab_resource(&r->d.s, path), "id", "");
}

/* --- step 7 ------------------------------------------------------------------------------- */

static int set_variables(lab_run *r) {
    for (int i = 0; i < 2; i++) {
        const char *stage = lab_stages[i];
        const char *v =
            json_str(json_obj(lab_stage(&r->d.s, stage), "variables"), LAB_STAGE_VARIABLE);
        if (v && strcmp(v, stage) == 0) continue;
        apigw_patch *p =
            apigw_patch_replace(apigw_patch_new(), "/variables/" LAB_STAGE_VARIABLE, stage);
        if (LAB_SYNC(r, NULL, apigw_update_stage, api_id(r), stage, p) != 0) return -1;
        lab_did(r, "set %s's stage variable " LAB_STAGE_VARIABLE " to %s", stage, stage);
    }
    return 0;
}

static int use_variable(lab_run *r, const char *path) {
    const cJSON *integ = json_obj(lab_method(&r->d.s, path, "GET"), "methodIntegration");
    char fn[512], q[256];
    if (!lab_lambda_uri_parts(json_str(integ, "uri"), fn, sizeof fn, q, sizeof q))
        return err_set(r->e, 0, "", "GET %s does not call a Lambda function: do step 6 first",
                       path);
    if (strcmp(q, "${stageVariables." LAB_STAGE_VARIABLE "}") == 0) return 0;
    char *arn = xasprintf("%s:${stageVariables." LAB_STAGE_VARIABLE "}", fn);
    char *uri = apigw_lambda_uri(client_region(r->cl), arn);
    int rc = lab_reput_integration(r, path, "GET", uri, NULL);
    if (rc == 0)
        lab_did(r, "made GET %s call " LAB_FUNCTION ":${stageVariables." LAB_STAGE_VARIABLE "}",
                path);
    free(uri);
    free(arn);
    return rc;
}

int lab_setup_variables(lab_run *r) {
    if (set_variables(r) != 0) return -1;
    int before = r->changes;
    if (use_variable(r, LAB_ITEMS_PATH) != 0 || use_variable(r, LAB_ITEM_PATH) != 0) return -1;
    r->api_changed = r->changes > before;
    if (r->changes && lab_refetch(r) != 0) return -1;
    for (int i = 0; i < 2; i++) {
        const char *alias =
            json_str(json_obj(lab_stage(&r->d.s, lab_stages[i]), "variables"), LAB_STAGE_VARIABLE);
        if (alias && lab_permit_alias(r, alias, lab_stages[i]) != 0) return -1;
    }
    /* Whether a stage serves the new integration cannot be told from its
     * answers (both aliases run the same code): redeploy on change only. */
    if (r->api_changed && (lab_refetch(r) != 0 || lab_redeploy(r) != 0)) return -1;
    r->api_changed = false;
    return 0;
}

/* --- step 8 ------------------------------------------------------------------------------- */

static int create_plan(lab_run *r) {
    apigw_api_stage st[2];
    size_t n = 0;
    for (int i = 0; i < 2; i++)
        if (lab_stage(&r->d.s, lab_stages[i]))
            st[n++] = (apigw_api_stage){api_id(r), lab_stages[i]};
    apigw_usage_plan_in in = {
        .description = LAB_PLAN_DESCRIPTION, .api_stages = st, .n_api_stages = n};
    cJSON *out = NULL;
    if (LAB_SYNC(r, &out, apigw_create_usage_plan, LAB_PLAN, &in) != 0) return -1;
    lab_did(r, "created the usage plan " LAB_PLAN " (id %s) for dev and prod",
            json_str_or(out, "id", "?"));
    cJSON_Delete(out);
    return 0;
}

static int bind_stages(lab_run *r) {
    const char *plan = json_str_or(lab_plan(&r->d.s), "id", "");
    for (int i = 0; i < 2; i++) {
        char id[32];
        snprintf(id, sizeof id, "8.plan.%s", lab_stages[i]);
        if (lab_passes(r, 8, id) || !lab_stage(&r->d.s, lab_stages[i])) continue;
        char *value = xasprintf("%s:%s", api_id(r), lab_stages[i]);
        apigw_patch *p = apigw_patch_add(apigw_patch_new(), "/apiStages", value);
        int rc = LAB_SYNC(r, NULL, apigw_update_usage_plan, plan, p);
        free(value);
        if (rc != 0) return -1;
        lab_did(r, "associated " LAB_PLAN " with " LAB_API_NAME "'s %s stage", lab_stages[i]);
    }
    return 0;
}

static int ensure_key(lab_run *r) {
    const cJSON *key = lab_key(&r->d.s);
    if (!key) {
        apigw_api_key_in in = {
            .name = LAB_KEY, .description = LAB_KEY_DESCRIPTION, .enabled = true};
        cJSON *out = NULL;
        if (LAB_SYNC(r, &out, apigw_create_api_key, &in) != 0) return -1;
        lab_did(r, "created the API key " LAB_KEY " (id %s) with a generated value",
                json_str_or(out, "id", "?"));
        cJSON_Delete(out);
        return 0;
    }
    if (json_bool_or(key, "enabled", false)) return 0;
    apigw_patch *p = apigw_patch_replace(apigw_patch_new(), "/enabled", "true");
    if (LAB_SYNC(r, NULL, apigw_update_api_key, json_str_or(key, "id", ""), p) != 0) return -1;
    lab_did(r, "enabled the API key " LAB_KEY);
    return 0;
}

static int key_to_plan(lab_run *r) {
    if (lab_passes(r, 8, "8.key.plan")) return 0;
    const char *plan = json_str_or(lab_plan(&r->d.s), "id", "");
    const char *key = json_str_or(lab_key(&r->d.s), "id", "");
    if (LAB_SYNC(r, NULL, apigw_create_usage_plan_key, plan, key, "API_KEY") != 0) return -1;
    lab_did(r, "added the API key " LAB_KEY " to " LAB_PLAN);
    return 0;
}

static int require_keys(lab_run *r) {
    for (int i = 0; i < 2; i++) {
        if (json_bool_or(lab_method(&r->d.s, get_paths[i], "GET"), "apiKeyRequired", false))
            continue;
        apigw_patch *p = apigw_patch_replace(apigw_patch_new(), "/apiKeyRequired", "true");
        if (LAB_SYNC(r, NULL, apigw_update_method, api_id(r), res_id(r, get_paths[i]), "GET", p) !=
            0)
            return -1;
        lab_did(r, "made GET %s require an API key", get_paths[i]);
        r->api_changed = true;
    }
    return 0;
}

int lab_setup_plan(lab_run *r) {
    if (!lab_plan(&r->d.s) ? create_plan(r) != 0 : bind_stages(r) != 0) return -1;
    if (ensure_key(r) != 0) return -1;
    if (r->changes && lab_refetch(r) != 0) return -1;
    if (key_to_plan(r) != 0 || require_keys(r) != 0) return -1;
    return lab_finish_deploy(r, 8);
}

/* --- step 9 ------------------------------------------------------------------------------- */

#define ALLOW(h) "method.response.header.Access-Control-Allow-" h

static bool has(const cJSON *params, const char *key) {
    return cJSON_GetObjectItemCaseSensitive(params, key) != NULL;
}

/* What Enable CORS makes for OPTIONS: the method, its 200 response
 * declaring the headers, the mock, and the 200 answer setting them. */
static int preflight(lab_run *r, const char *path) {
    const char *api = api_id(r), *res = res_id(r, path);
    const cJSON *opt = lab_method(&r->d.s, path, "OPTIONS");
    if (!opt) {
        if (LAB_SYNC(r, NULL, apigw_put_method, api, res, "OPTIONS", "NONE", NULL) != 0) return -1;
        lab_did(r, "created the method OPTIONS %s", path);
    }
    const cJSON *declared =
        json_obj(json_obj(json_obj(opt, "methodResponses"), "200"), "responseParameters");
    if (!has(declared, ALLOW("Headers")) || !has(declared, ALLOW("Methods")) ||
        !has(declared, ALLOW("Origin"))) {
        cJSON *params = cJSON_CreateObject(), *models = cJSON_CreateObject();
        json_set_bool(params, ALLOW("Headers"), false);
        json_set_bool(params, ALLOW("Methods"), false);
        json_set_bool(params, ALLOW("Origin"), false);
        json_set_str(models, "application/json", "Empty");
        apigw_method_response_in in = {.response_parameters = params, .response_models = models};
        int rc = LAB_SYNC(r, NULL, apigw_put_method_response, api, res, "OPTIONS", "200", &in);
        cJSON_Delete(params);
        cJSON_Delete(models);
        if (rc != 0) return -1;
        lab_did(r, "declared the CORS headers in OPTIONS %s's 200 method response", path);
    }
    const cJSON *integ = json_obj(opt, "methodIntegration");
    bool put = strcmp(json_str_or(integ, "type", ""), "MOCK") != 0;
    if (put) {
        cJSON *req = cJSON_CreateObject();
        json_set_str(req, "application/json", "{\"statusCode\": 200}");
        apigw_integration_in in = {.request_templates = req,
                                   .passthrough_behavior = "WHEN_NO_MATCH"};
        int rc = LAB_SYNC(r, NULL, apigw_put_integration, api, res, "OPTIONS", "MOCK", &in);
        cJSON_Delete(req);
        if (rc != 0) return -1;
        lab_did(r, "gave OPTIONS %s a mock integration", path);
    }
    const cJSON *set =
        json_obj(json_obj(json_obj(integ, "integrationResponses"), "200"), "responseParameters");
    const char *methods = json_str(set, ALLOW("Methods"));
    if (put || !json_str(set, ALLOW("Headers")) || !json_str(set, ALLOW("Origin")) || !methods ||
        (!strstr(methods, "GET") && !strstr(methods, "*"))) {
        cJSON *values = cJSON_CreateObject();
        json_set_str(values, ALLOW("Headers"), "'" LAB_CORS_HEADERS "'");
        json_set_str(values, ALLOW("Methods"), "'" LAB_CORS_METHODS "'");
        json_set_str(values, ALLOW("Origin"), "'*'");
        apigw_integration_response_in in = {.response_parameters = values};
        int rc = LAB_SYNC(r, NULL, apigw_put_integration_response, api, res, "OPTIONS", "200", &in);
        cJSON_Delete(values);
        if (rc != 0) return -1;
        lab_did(r, "made OPTIONS %s answer the CORS headers", path);
    }
    return 0;
}

/* GET's 200 response carries Access-Control-Allow-Origin: '*'. */
static int origin(lab_run *r, const char *path) {
    const cJSON *get = lab_method(&r->d.s, path, "GET");
    const cJSON *declared =
        json_obj(json_obj(json_obj(get, "methodResponses"), "200"), "responseParameters");
    if (!has(declared, ALLOW("Origin"))) {
        if (lab_put_method_param(r, path, "GET", "200", ALLOW("Origin")) != 0) return -1;
        lab_did(r, "declared Access-Control-Allow-Origin in GET %s's 200 method response", path);
    }
    const cJSON *set = json_obj(
        json_obj(json_obj(json_obj(get, "methodIntegration"), "integrationResponses"), "200"),
        "responseParameters");
    if (!json_str(set, ALLOW("Origin"))) {
        if (lab_put_integration_param(r, path, "GET", "200", ALLOW("Origin"), "'*'") != 0)
            return -1;
        lab_did(r, "made GET %s answer Access-Control-Allow-Origin: *", path);
    }
    return 0;
}

int lab_setup_cors(lab_run *r) {
    /* As the lab does, no deployment: the console's Enable CORS does not deploy. */
    for (int i = 0; i < 2; i++)
        if (preflight(r, get_paths[i]) != 0 || origin(r, get_paths[i]) != 0) return -1;
    return 0;
}

/* --- step 10 ------------------------------------------------------------------------------ */

/* Add a replace to p when the check does not pass. */
static void want(lab_run *r, apigw_patch *p, const char *check, const char *path, const char *value,
                 int *n) {
    if (lab_passes(r, 10, check)) return;
    apigw_patch_replace(p, path, value);
    (*n)++;
}

#define ALL(p, ...) apigw_patch_path(p, "*", "*", __VA_ARGS__, NULL)

static int stage_settings(lab_run *r) {
    apigw_patch *p = apigw_patch_new();
    int n = 0;
    char num[32];
    want(r, p, "10.cache", "/cacheClusterEnabled", "true", &n);
    want(r, p, "10.cache", "/cacheClusterSize", LAB_CACHE_SIZE, &n);
    want(r, p, "10.cache.encrypted", ALL(p, "caching", "dataEncrypted"), "true", &n);
    snprintf(num, sizeof num, "%d", LAB_CACHE_TTL);
    want(r, p, "10.cache.ttl", ALL(p, "caching", "ttlInSeconds"), num, &n);
    want(r, p, "10.cache.auth", ALL(p, "caching", "requireAuthorizationForCacheControl"), "true",
         &n);
    want(r, p, "10.cache.auth", ALL(p, "caching", "unauthorizedCacheControlHeaderStrategy"),
         LAB_CACHE_UNAUTHORIZED, &n);
    snprintf(num, sizeof num, "%d", LAB_THROTTLE_RATE);
    want(r, p, "10.throttle", ALL(p, "throttling", "rateLimit"), num, &n);
    snprintf(num, sizeof num, "%d", LAB_THROTTLE_BURST);
    want(r, p, "10.throttle", ALL(p, "throttling", "burstLimit"), num, &n);
    if (!n) {
        apigw_patch_free(p);
        return 0;
    }
    if (LAB_SYNC(r, NULL, apigw_update_stage, api_id(r), "prod", p) != 0) return -1;
    lab_did(r,
            "set prod's cache (0.5 GB, encrypted, 3600 s, invalidation needs authorization) "
            "and throttling (10000/5000): %d setting%s",
            n, n == 1 ? "" : "s");
    return 0;
}

static int plan_quota(lab_run *r) {
    if (lab_passes(r, 10, "10.quota")) return 0;
    char num[32];
    snprintf(num, sizeof num, "%d", LAB_QUOTA_LIMIT);
    apigw_patch *p = apigw_patch_new();
    apigw_patch_replace(p, "/quota/limit", num);
    apigw_patch_replace(p, "/quota/period", LAB_QUOTA_PERIOD);
    if (LAB_SYNC(r, NULL, apigw_update_usage_plan, json_str_or(lab_plan(&r->d.s), "id", ""), p) !=
        0)
        return -1;
    lab_did(r, "gave " LAB_PLAN " a quota of %d requests per day", LAB_QUOTA_LIMIT);
    return 0;
}

int lab_setup_cache(lab_run *r) { return stage_settings(r) == 0 && plan_quota(r) == 0 ? 0 : -1; }
