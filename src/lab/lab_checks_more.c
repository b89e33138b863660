/* The checks of steps 8 to 10: the usage plan and API key, CORS, and the
 * prod stage's cache and throttling with the plan's quota. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "lab_int.h"

/* --- step 8: usage plan and key ----------------------------------------------------------- */

static lab_status need_plan(const lab_snapshot *s, char *m, size_t n) {
    if (!s->usage_plans) return lab_skip(m, n, "the account's usage plans are not loaded");
    if (!lab_plan(s)) return lab_fail(m, n, "there is no usage plan named " LAB_PLAN);
    return LAB_PASS;
}

static lab_status plan_exists(const lab_snapshot *s, char *m, size_t n) {
    return need_plan(s, m, n);
}

static lab_status plan_stage(const lab_snapshot *s, const char *stage, char *m, size_t n) {
    LAB_NEED(need_plan(s, m, n));
    LAB_NEED(lab_need_api(s, m, n));
    const char *api = json_str_or(lab_api(s), "id", "");
    const cJSON *st;
    cJSON_ArrayForEach(st, json_arr(lab_plan(s), "apiStages")) {
        if (strcmp(json_str_or(st, "apiId", ""), api) == 0 &&
            strcmp(json_str_or(st, "stage", ""), stage) == 0)
            return LAB_PASS;
    }
    return lab_fail(m, n, LAB_PLAN " is not associated with " LAB_API_NAME "'s %s stage", stage);
}

static lab_status plan_dev(const lab_snapshot *s, char *m, size_t n) {
    return plan_stage(s, "dev", m, n);
}
static lab_status plan_prod(const lab_snapshot *s, char *m, size_t n) {
    return plan_stage(s, "prod", m, n);
}

static lab_status need_key(const lab_snapshot *s, char *m, size_t n) {
    if (!s->api_keys) return lab_skip(m, n, "the account's API keys are not loaded");
    if (!lab_key(s)) return lab_fail(m, n, "there is no API key named " LAB_KEY);
    return LAB_PASS;
}

static lab_status key_enabled(const lab_snapshot *s, char *m, size_t n) {
    LAB_NEED(need_key(s, m, n));
    if (json_bool_or(lab_key(s), "enabled", false)) return LAB_PASS;
    return lab_fail(m, n, "the API key " LAB_KEY " is disabled");
}

static lab_status key_in_plan(const lab_snapshot *s, char *m, size_t n) {
    LAB_NEED(need_key(s, m, n));
    LAB_NEED(need_plan(s, m, n));
    if (!s->plan_keys) return lab_skip(m, n, LAB_PLAN "'s keys are not loaded");
    if (lab_named(s->plan_keys, "id", json_str_or(lab_key(s), "id", ""))) return LAB_PASS;
    return lab_fail(m, n, "the API key " LAB_KEY " is not in " LAB_PLAN);
}

static lab_status key_required(const lab_snapshot *s, const char *path, char *m, size_t n) {
    const cJSON *get;
    LAB_NEED(lab_need_method(s, path, "GET", &get, m, n));
    if (json_bool_or(get, "apiKeyRequired", false)) return LAB_PASS;
    return lab_fail(m, n, "GET %s does not require an API key", path);
}

static lab_status keyreq_items(const lab_snapshot *s, char *m, size_t n) {
    return key_required(s, LAB_ITEMS_PATH, m, n);
}
static lab_status keyreq_item(const lab_snapshot *s, char *m, size_t n) {
    return key_required(s, LAB_ITEM_PATH, m, n);
}

/* The stage lets a keyless request through while its methods require a
 * key: the requirement is not deployed there. */
static bool lets_keyless_in(const lab_snapshot *s, const char *stage) {
    const cJSON *r = lab_request(s, stage, "GET", LAB_ITEMS_PATH, false);
    int status = (int)json_num_or(r, "status", 0);
    return status >= 200 && status < 300 &&
           json_bool_or(lab_method(s, LAB_ITEMS_PATH, "GET"), "apiKeyRequired", false);
}

/* The stage refuses a request without a key: the key requirement is deployed. */
static lab_status refuses(const lab_snapshot *s, const char *stage, char *m, size_t n) {
    LAB_NEED(lab_need_stage(s, stage, m, n));
    if (!s->requests)
        return lab_skip(m, n, "the stages have not been called yet (or cannot be: no data plane)");
    const cJSON *r = lab_request(s, stage, "GET", LAB_ITEMS_PATH, false);
    if (!r) return lab_skip(m, n, "%s was not called", stage);
    int status = (int)json_num_or(r, "status", 0);
    if (status == 403) return LAB_PASS;
    bool stale = lets_keyless_in(s, stage);
    return lab_fail(m, n, "%s answers GET /items without an API key with %d%s%s", stage, status,
                    stale ? ": deploy the API to " : "", stale ? stage : "");
}

static lab_status refuses_dev(const lab_snapshot *s, char *m, size_t n) {
    return refuses(s, "dev", m, n);
}
static lab_status refuses_prod(const lab_snapshot *s, char *m, size_t n) {
    return refuses(s, "prod", m, n);
}
static bool refuses_dev_stale(const lab_snapshot *s) { return lets_keyless_in(s, "dev"); }
static bool refuses_prod_stale(const lab_snapshot *s) { return lets_keyless_in(s, "prod"); }

/* --- step 9: CORS -------------------------------------------------------------------------------
 */

#define ALLOW(h) "method.response.header.Access-Control-Allow-" h

/* The OPTIONS method of path answers the preflight: a mock whose 200
 * response sets the three headers, declared by the method response. */
static lab_status preflight(const lab_snapshot *s, const char *path, char *m, size_t n) {
    const cJSON *opt;
    LAB_NEED(lab_need_method(s, path, "OPTIONS", &opt, m, n));
    const cJSON *integ = json_obj(opt, "methodIntegration");
    const char *type = json_str_or(integ, "type", "none");
    if (strcmp(type, "MOCK") != 0)
        return lab_fail(m, n, "OPTIONS %s's integration is %s, not a mock", path, type);
    const cJSON *set =
        json_obj(json_obj(json_obj(integ, "integrationResponses"), "200"), "responseParameters");
    const cJSON *declared =
        json_obj(json_obj(json_obj(opt, "methodResponses"), "200"), "responseParameters");
    static const char *const headers[] = {"Origin", "Methods", "Headers"};
    for (int i = 0; i < 3; i++) {
        char key[96];
        snprintf(key, sizeof key, ALLOW("%s"), headers[i]);
        if (!json_str(set, key))
            return lab_fail(m, n, "OPTIONS %s does not answer Access-Control-Allow-%s", path,
                            headers[i]);
        if (!cJSON_GetObjectItemCaseSensitive(declared, key))
            return lab_fail(m, n,
                            "OPTIONS %s's 200 method response does not declare "
                            "Access-Control-Allow-%s",
                            path, headers[i]);
    }
    const char *methods = json_str(set, ALLOW("Methods"));
    if (!strstr(methods, "GET") && !strstr(methods, "*"))
        return lab_fail(m, n, "OPTIONS %s allows the methods %s, without GET", path, methods);
    return LAB_PASS;
}

static lab_status cors_items(const lab_snapshot *s, char *m, size_t n) {
    return preflight(s, LAB_ITEMS_PATH, m, n);
}
static lab_status cors_item(const lab_snapshot *s, char *m, size_t n) {
    return preflight(s, LAB_ITEM_PATH, m, n);
}

/* GET's 200 response carries Access-Control-Allow-Origin too. */
static lab_status origin(const lab_snapshot *s, const char *path, char *m, size_t n) {
    const cJSON *get;
    LAB_NEED(lab_need_method(s, path, "GET", &get, m, n));
    const cJSON *declared =
        json_obj(json_obj(json_obj(get, "methodResponses"), "200"), "responseParameters");
    const cJSON *set = json_obj(
        json_obj(json_obj(json_obj(get, "methodIntegration"), "integrationResponses"), "200"),
        "responseParameters");
    if (cJSON_GetObjectItemCaseSensitive(declared, ALLOW("Origin")) &&
        json_str(set, ALLOW("Origin")))
        return LAB_PASS;
    return lab_fail(m, n, "GET %s's 200 response does not carry Access-Control-Allow-Origin", path);
}

static lab_status origin_items(const lab_snapshot *s, char *m, size_t n) {
    return origin(s, LAB_ITEMS_PATH, m, n);
}
static lab_status origin_item(const lab_snapshot *s, char *m, size_t n) {
    return origin(s, LAB_ITEM_PATH, m, n);
}

/* --- step 10: cache, throttling, quota ---------------------------------------------------------
 */

/* prod's settings for every method (the key "*" "/" "*"), or NULL. */
static const cJSON *all_methods(const lab_snapshot *s) {
    return json_obj(json_obj(lab_stage(s, "prod"), "methodSettings"), "*/*");
}

static lab_status cache(const lab_snapshot *s, char *m, size_t n) {
    LAB_NEED(lab_need_stage(s, "prod", m, n));
    const cJSON *st = lab_stage(s, "prod");
    if (!json_bool_or(st, "cacheClusterEnabled", false))
        return lab_fail(m, n, "prod has no API cache");
    const char *size = json_str_or(st, "cacheClusterSize", "?");
    if (strcmp(size, LAB_CACHE_SIZE) != 0)
        return lab_fail(m, n, "prod's cache holds %s GB, not " LAB_CACHE_SIZE, size);
    return LAB_PASS;
}

static lab_status cache_encrypted(const lab_snapshot *s, char *m, size_t n) {
    LAB_NEED(lab_need_stage(s, "prod", m, n));
    if (json_bool_or(all_methods(s), "cacheDataEncrypted", false)) return LAB_PASS;
    return lab_fail(m, n, "prod does not encrypt its cache data");
}

static lab_status cache_ttl(const lab_snapshot *s, char *m, size_t n) {
    LAB_NEED(lab_need_stage(s, "prod", m, n));
    double ttl = json_num_or(all_methods(s), "cacheTtlInSeconds", 300);
    if (ttl == LAB_CACHE_TTL) return LAB_PASS;
    return lab_fail(m, n, "prod's cache time-to-live is %.0f seconds, not %d", ttl, LAB_CACHE_TTL);
}

static lab_status cache_auth(const lab_snapshot *s, char *m, size_t n) {
    LAB_NEED(lab_need_stage(s, "prod", m, n));
    const cJSON *all = all_methods(s);
    if (!json_bool_or(all, "requireAuthorizationForCacheControl", false))
        return lab_fail(m, n, "prod does not require authorization to invalidate a cache entry");
    const char *how = json_str_or(all, "unauthorizedCacheControlHeaderStrategy", "");
    if (strcmp(how, LAB_CACHE_UNAUTHORIZED) == 0) return LAB_PASS;
    return lab_fail(m, n,
                    "prod handles unauthorized invalidation with %s, not " LAB_CACHE_UNAUTHORIZED,
                    *how ? how : "the default");
}

static lab_status throttle(const lab_snapshot *s, char *m, size_t n) {
    LAB_NEED(lab_need_stage(s, "prod", m, n));
    const cJSON *all = all_methods(s);
    if (!json_has(all, "throttlingRateLimit") || !json_has(all, "throttlingBurstLimit"))
        return lab_fail(m, n, "prod has no throttling set (rate %d, burst %d)", LAB_THROTTLE_RATE,
                        LAB_THROTTLE_BURST);
    double rate = json_num_or(all, "throttlingRateLimit", 0);
    double burst = json_num_or(all, "throttlingBurstLimit", 0);
    if (rate == LAB_THROTTLE_RATE && burst == LAB_THROTTLE_BURST) return LAB_PASS;
    return lab_fail(m, n, "prod throttles at rate %g and burst %g, not %d and %d", rate, burst,
                    LAB_THROTTLE_RATE, LAB_THROTTLE_BURST);
}

static lab_status quota(const lab_snapshot *s, char *m, size_t n) {
    LAB_NEED(need_plan(s, m, n));
    const cJSON *q = json_obj(lab_plan(s), "quota");
    if (!q) return lab_fail(m, n, LAB_PLAN " has no quota");
    double limit = json_num_or(q, "limit", 0);
    const char *period = json_str_or(q, "period", "?");
    if (limit == LAB_QUOTA_LIMIT && strcmp(period, LAB_QUOTA_PERIOD) == 0) return LAB_PASS;
    return lab_fail(m, n, LAB_PLAN "'s quota is %g per %s, not %d per " LAB_QUOTA_PERIOD, limit,
                    period, LAB_QUOTA_LIMIT);
}

/* --- the tables
 * -------------------------------------------------------------------------------------- */

static const lab_check step8[] = {
    {"8.plan", "a usage plan named " LAB_PLAN, plan_exists, NULL},
    {"8.plan.dev", LAB_PLAN " covers " LAB_API_NAME "'s dev stage", plan_dev, NULL},
    {"8.plan.prod", LAB_PLAN " covers " LAB_API_NAME "'s prod stage", plan_prod, NULL},
    {"8.key", "an enabled API key named " LAB_KEY, key_enabled, NULL},
    {"8.key.plan", LAB_KEY " belongs to " LAB_PLAN, key_in_plan, NULL},
    {"8.keyreq.items", "GET /items requires an API key", keyreq_items, NULL},
    {"8.keyreq.item", "GET /items/{ID} requires an API key", keyreq_item, NULL},
    {"8.deployed.dev", "dev refuses GET /items without a key", refuses_dev, refuses_dev_stale},
    {"8.deployed.prod", "prod refuses GET /items without a key", refuses_prod, refuses_prod_stale},
};

static const lab_check step9[] = {
    {"9.cors.items", "OPTIONS /items answers the CORS preflight", cors_items, NULL},
    {"9.cors.item", "OPTIONS /items/{ID} answers the CORS preflight", cors_item, NULL},
    {"9.origin.items", "GET /items returns Access-Control-Allow-Origin", origin_items, NULL},
    {"9.origin.item", "GET /items/{ID} returns Access-Control-Allow-Origin", origin_item, NULL},
};

static const lab_check step10[] = {
    {"10.cache", "prod has a 0.5 GB API cache", cache, NULL},
    {"10.cache.encrypted", "prod encrypts its cache data", cache_encrypted, NULL},
    {"10.cache.ttl", "prod caches for 3600 seconds", cache_ttl, NULL},
    {"10.cache.auth", "invalidating prod's cache needs authorization, else 403", cache_auth, NULL},
    {"10.throttle", "prod throttles at rate 10000, burst 5000", throttle, NULL},
    {"10.quota", LAB_PLAN " allows 1000 requests per day", quota, NULL},
};

#define TABLE(a)                                                                                   \
    { a, sizeof a / sizeof *a }
const lab_check_table lab_checks_more[LAB_STEPS + 1] = {
    [8] = TABLE(step8), [9] = TABLE(step9), [10] = TABLE(step10)};
