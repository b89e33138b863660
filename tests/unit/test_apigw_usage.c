/* API Gateway usage plans, API keys, usage plan keys and GetUsage in the
 * emulator: the lab's flow (plan on dev and prod, a generated key, clean-up)
 * and every error path, as AWS answers them. */
#include "fixture.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/mem.h"

/* --- helpers ---------------------------------------------------------- */

/* The shared refusal of an unsupported patch path (emu_patch_invalid): the
 * spacing after "Invalid patch path" is the helper's business. */
static void assert_patch_refused(fixture *fx, const char *tail) {
    assert_int_equal(fx->last.status, 400);
    assert_string_equal(fx_error_type(fx), "BadRequestException");
    const char *m = fx_message(fx);
    assert_true(strncmp(m, "Invalid patch path ", 19) == 0);
    assert_true(strlen(m) > strlen(tail));
    assert_string_equal(m + strlen(m) - strlen(tail), tail);
}

/* GET /items with a MOCK integration, stored as PutMethod and
 * PutIntegration store it, so that the API can be deployed. */
static void seed_method(cJSON *reg, void *ud) {
    cJSON *api = fx_api_state(reg, ud);
    const char *root = json_str(json_obj(api, "api"), "rootResourceId");
    fx_seed_method(fx_seed_resource(api, "itm001", root, "items", "/items"), "GET", true, true);
}

/* An API deployed to dev and prod; returns its id (malloc'd). */
static char *make_api(fixture *fx) {
    char *id = fx_create_id(fx, "{\"name\":\"ItemsAPI\"}", "/restapis");
    fx_with_state(fx, seed_method, id);
    assert_int_equal(fx_callf_public(fx, NULL, "POST", "{\"stageName\":\"dev\"}",
                                     "/restapis/%s/deployments", id),
                     201);
    assert_int_equal(fx_callf_public(fx, NULL, "POST", "{\"stageName\":\"prod\"}",
                                     "/restapis/%s/deployments", id),
                     201);
    return id;
}

/* A usage plan on the given "api:stage" pairs (comma separated JSON
 * objects already written); returns its id. */
static char *make_plan(fixture *fx, const char *api, const char *stages, const char *extra) {
    char *body = xasprintf("{\"name\":\"plan\",\"apiStages\":[%s]%s}", stages, extra ? extra : "");
    (void)api;
    char *id = fx_create_id(fx, body, "/usageplans");
    free(body);
    return id;
}

static char *stage_json(const char *api, const char *stage) {
    return xasprintf("{\"apiId\":\"%s\",\"stage\":\"%s\"}", api, stage);
}

static int patch_plan(fixture *fx, cJSON **out, const char *plan, const char *ops) {
    return fx_patch(fx, out, ops, "/usageplans/%s", plan);
}

static int add_key(fixture *fx, const char *plan, const char *key) {
    char *body = xasprintf("{\"keyId\":\"%s\",\"keyType\":\"API_KEY\"}", key);
    int st = fx_callf_public(fx, NULL, "POST", body, "/usageplans/%s/keys", plan);
    free(body);
    return st;
}

static bool alnum_string(const char *s, size_t n) {
    if (!s || strlen(s) != n) return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s)) return false;
    return true;
}

/* --- the lab --------------------------------------------------------------- */

static void lab_flow(void **state) {
    fixture *fx = fixture_new(NULL);
    char *api = make_api(fx);
    char *dev = stage_json(api, "dev"), *prod = stage_json(api, "prod");
    char *body =
        xasprintf("{\"name\":\"CloudAcademyPlan\",\"description\":\"Cloud Academy Lab Plan\","
                  "\"apiStages\":[%s,%s],\"throttle\":{\"burstLimit\":1,\"rateLimit\":1},"
                  "\"quota\":{\"limit\":5,\"period\":\"DAY\"}}",
                  dev, prod);
    cJSON *b = NULL;
    assert_int_equal(fx_callf_public(fx, &b, "POST", body, "/usageplans"), 201);
    free(body);
    char *plan = xstrdup(json_str(b, "id"));
    assert_int_equal(strlen(plan), 6);
    assert_string_equal(json_str(b, "name"), "CloudAcademyPlan");
    assert_string_equal(json_str(b, "description"), "Cloud Academy Lab Plan");
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "apiStages")), 2);
    assert_string_equal(json_str(cJSON_GetArrayItem(json_arr(b, "apiStages"), 1), "stage"), "prod");
    assert_int_equal((int)json_num_or(json_obj(b, "throttle"), "burstLimit", 0), 1);
    assert_int_equal((int)json_num_or(json_obj(b, "throttle"), "rateLimit", 0), 1);
    assert_int_equal((int)json_num_or(json_obj(b, "quota"), "limit", 0), 5);
    assert_int_equal((int)json_num_or(json_obj(b, "quota"), "offset", -1), 0);
    assert_string_equal(json_str(json_obj(b, "quota"), "period"), "DAY");
    cJSON_Delete(b);

    assert_int_equal(
        fx_callf_public(
            fx, &b, "POST",
            "{\"name\":\"LabKey\",\"description\":\"Cloud Academy Lab Key\",\"enabled\":true}",
            "/apikeys"),
        201);
    char *key = xstrdup(json_str(b, "id"));
    char *value = xstrdup(json_str(b, "value"));
    assert_int_equal(strlen(key), 10);
    assert_true(alnum_string(value, 40));
    assert_true(json_bool_or(b, "enabled", false));
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "stageKeys")), 0);
    cJSON_Delete(b);

    body = xasprintf("{\"keyId\":\"%s\",\"keyType\":\"API_KEY\"}", key);
    assert_int_equal(fx_callf_public(fx, &b, "POST", body, "/usageplans/%s/keys", plan), 201);
    free(body);
    assert_string_equal(json_str(b, "id"), key);
    assert_string_equal(json_str(b, "type"), "API_KEY");
    assert_string_equal(json_str(b, "value"), value);
    assert_string_equal(json_str(b, "name"), "LabKey");
    cJSON_Delete(b);

    assert_int_equal(fx_callf_public(fx, &b, "GET", NULL, "/usageplans/%s/keys", plan), 200);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "item")), 1);
    cJSON_Delete(b);
    assert_int_equal(fx_callf_public(fx, &b, "GET", NULL, "/usageplans/%s/keys/%s", plan, key),
                     200);
    assert_string_equal(json_str(b, "value"), value);
    cJSON_Delete(b);
    free(make_plan(fx, api, "", NULL)); /* a plan without the key */
    assert_int_equal(fx_callf_public(fx, &b, "GET", NULL, "/usageplans?keyId=%s", key), 200);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "item")), 1);
    assert_string_equal(json_str(cJSON_GetArrayItem(json_arr(b, "item"), 0), "id"), plan);
    cJSON_Delete(b);

    /* The plan cannot go while stages are bound to it. */
    assert_int_equal(fx_callf_public(fx, NULL, "DELETE", NULL, "/usageplans/%s", plan), 400);
    char *msg = xasprintf("Cannot delete Usage Plan %s because there are API Stages associated "
                          "with it, including %s:dev",
                          plan, api);
    assert_apigw_message(fx, 400, "BadRequestException", msg);
    free(msg);

    /* Clean-up in the lab's order: key, stages, plan. */
    assert_int_equal(fx_callf_public(fx, NULL, "DELETE", NULL, "/apikeys/%s", key), 202);
    assert_int_equal(fx_callf_public(fx, &b, "GET", NULL, "/usageplans/%s/keys", plan), 200);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "item")), 0);
    cJSON_Delete(b);
    assert_int_equal(fx_callf_public(fx, NULL, "DELETE", NULL, "/restapis/%s/stages/dev", api),
                     202);
    assert_int_equal(fx_callf_public(fx, NULL, "DELETE", NULL, "/restapis/%s/stages/prod", api),
                     202);
    assert_int_equal(fx_callf_public(fx, &b, "GET", NULL, "/usageplans/%s", plan), 200);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "apiStages")), 0);
    assert_non_null(json_obj(b, "tags"));
    cJSON_Delete(b);
    assert_int_equal(fx_callf_public(fx, NULL, "DELETE", NULL, "/usageplans/%s", plan), 202);
    assert_int_equal(fx_callf_public(fx, NULL, "GET", NULL, "/usageplans/%s", plan), 404);
    assert_apigw_message(fx, 404, "NotFoundException", "Invalid Usage Plan ID specified");

    free(dev);
    free(prod);
    free(plan);
    free(key);
    free(value);
    free(api);
    fixture_free(fx);
}

/* --- API keys ---------------------------------------------------------------- */

static void api_key_values(void **state) {
    fixture *fx = fixture_new(NULL);
    cJSON *b = NULL;
    assert_int_equal(fx_callf_public(fx, &b, "POST", "{\"name\":\"k1\"}", "/apikeys"), 201);
    char *k1 = xstrdup(json_str(b, "id"));
    char *v1 = xstrdup(json_str(b, "value"));
    /* The API defaults enabled to false (the console's checkbox sets it). */
    assert_false(json_bool_or(b, "enabled", true));
    assert_int_equal((long long)json_num_or(b, "createdDate", 0), FIXTURE_T0_MS / 1000);
    cJSON_Delete(b);

    assert_int_equal(fx_callf_public(fx, NULL, "POST",
                                     "{\"name\":\"short\",\"value\":\"abcdefghij0123456789\"}",
                                     "/apikeys"),
                     201);
    assert_int_equal(fx_callf_public(fx, NULL, "POST",
                                     "{\"name\":\"short\",\"value\":\"abcdefghij012345678\"}",
                                     "/apikeys"),
                     400);
    assert_apigw_message(fx, 400, "BadRequestException",
                         "API Key value should be at least 20 characters");
    assert_int_equal(fx_callf_public(fx, NULL, "POST",
                                     "{\"name\":\"dup\",\"value\":\"abcdefghij0123456789\"}",
                                     "/apikeys"),
                     409);
    assert_apigw_message(fx, 409, "ConflictException", "API Key already exists");
    char *dup = xasprintf("{\"name\":\"dup\",\"value\":\"%s\"}", v1);
    assert_int_equal(fx_callf_public(fx, NULL, "POST", dup, "/apikeys"), 409);
    free(dup);

    assert_int_equal(fx_callf_public(fx, &b, "GET", NULL, "/apikeys/%s", k1), 200);
    assert_null(cJSON_GetObjectItem(b, "value"));
    assert_string_equal(json_str(b, "name"), "k1");
    cJSON_Delete(b);
    assert_int_equal(fx_callf_public(fx, &b, "GET", NULL, "/apikeys/%s?includeValue=true", k1),
                     200);
    assert_string_equal(json_str(b, "value"), v1);
    cJSON_Delete(b);
    assert_int_equal(fx_callf_public(fx, NULL, "GET", NULL, "/apikeys/nokey00000"), 404);
    assert_apigw_message(fx, 404, "NotFoundException", "Invalid API Key identifier specified");
    free(k1);
    free(v1);
    fixture_free(fx);
}

static void get_api_keys_filters_and_pages(void **state) {
    fixture *fx = fixture_new(NULL);
    free(fx_create_id(fx, "{\"name\":\"alpha\",\"customerId\":\"c1\"}", "/apikeys"));
    free(fx_create_id(fx, "{\"name\":\"alphabet\"}", "/apikeys"));
    free(fx_create_id(fx, "{\"name\":\"beta\",\"customerId\":\"c1\"}", "/apikeys"));
    cJSON *b = NULL;
    assert_int_equal(fx_callf_public(fx, &b, "GET", NULL, "/apikeys"), 200);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "item")), 3);
    assert_null(cJSON_GetObjectItem(cJSON_GetArrayItem(json_arr(b, "item"), 0), "value"));
    cJSON_Delete(b);
    assert_int_equal(fx_callf_public(fx, &b, "GET", NULL, "/apikeys?includeValues=true"), 200);
    assert_true(alnum_string(json_str(cJSON_GetArrayItem(json_arr(b, "item"), 2), "value"), 40));
    cJSON_Delete(b);
    assert_int_equal(fx_callf_public(fx, &b, "GET", NULL, "/apikeys?name=alpha"), 200);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "item")), 2);
    cJSON_Delete(b);
    assert_int_equal(fx_callf_public(fx, &b, "GET", NULL, "/apikeys?customerId=c1"), 200);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "item")), 2);
    assert_string_equal(json_str(cJSON_GetArrayItem(json_arr(b, "item"), 1), "name"), "beta");
    cJSON_Delete(b);
    assert_int_equal(fx_callf_public(fx, &b, "GET", NULL, "/apikeys?limit=2"), 200);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "item")), 2);
    assert_string_equal(json_str(b, "position"), "2");
    cJSON_Delete(b);
    assert_int_equal(fx_callf_public(fx, &b, "GET", NULL, "/apikeys?limit=2&position=2"), 200);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "item")), 1);
    assert_string_equal(json_str(cJSON_GetArrayItem(json_arr(b, "item"), 0), "name"), "beta");
    assert_null(json_str(b, "position"));
    cJSON_Delete(b);
    assert_int_equal(fx_callf_public(fx, NULL, "GET", NULL, "/apikeys?limit=501"), 400);
    fixture_free(fx);
}

static void update_and_delete_api_key(void **state) {
    fixture *fx = fixture_new(NULL);
    char *api = make_api(fx);
    char *k = fx_create_id(fx, "{\"name\":\"k\"}", "/apikeys");
    fx->clock.ms += 5000;
    cJSON *b = NULL;
    char *ops = xasprintf(
        "{\"patchOperations\":[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"LabKey\"},"
        "{\"op\":\"replace\",\"path\":\"/description\",\"value\":\"d\"},"
        "{\"op\":\"replace\",\"path\":\"/enabled\",\"value\":\"true\"},"
        "{\"op\":\"replace\",\"path\":\"/customerId\",\"value\":\"cust\"},"
        "{\"op\":\"add\",\"path\":\"/stages\",\"value\":\"%s/dev\"}]}",
        api);
    assert_int_equal(fx_callf_public(fx, &b, "PATCH", ops, "/apikeys/%s", k), 200);
    free(ops);
    assert_string_equal(json_str(b, "name"), "LabKey");
    assert_string_equal(json_str(b, "description"), "d");
    assert_string_equal(json_str(b, "customerId"), "cust");
    assert_true(json_bool_or(b, "enabled", false));
    assert_null(cJSON_GetObjectItem(b, "value"));
    assert_non_null(json_obj(b, "tags"));
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "stageKeys")), 1);
    assert_int_equal((long long)json_num_or(b, "lastUpdatedDate", 0), FIXTURE_T0_MS / 1000 + 5);
    assert_int_equal((long long)json_num_or(b, "createdDate", 0), FIXTURE_T0_MS / 1000);
    cJSON_Delete(b);
    ops = xasprintf(
        "{\"patchOperations\":[{\"op\":\"remove\",\"path\":\"/stages\",\"value\":\"%s/dev\"}]}",
        api);
    assert_int_equal(fx_callf_public(fx, &b, "PATCH", ops, "/apikeys/%s", k), 200);
    free(ops);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "stageKeys")), 0);
    cJSON_Delete(b);
    ops = xasprintf(
        "{\"patchOperations\":[{\"op\":\"add\",\"path\":\"/stages\",\"value\":\"%s/qa\"}]}", api);
    assert_int_equal(fx_callf_public(fx, NULL, "PATCH", ops, "/apikeys/%s", k), 404);
    assert_apigw_message(fx, 404, "NotFoundException", "Invalid Stage identifier specified");
    free(ops);

    assert_int_equal(
        fx_callf_public(
            fx, NULL, "PATCH",
            "{\"patchOperations\":[{\"op\":\"replace\",\"path\":\"/value\",\"value\":\"x\"}]}",
            "/apikeys/%s", k),
        400);
    assert_patch_refused(fx,
                         "'/value' specified for op 'replace'. Please choose supported operations");
    assert_int_equal(
        fx_callf_public(fx, NULL, "PATCH", "{\"patchOperations\":[]}", "/apikeys/nokey00000"), 404);
    assert_int_equal(fx_callf_public(fx, NULL, "DELETE", NULL, "/apikeys/%s", k), 202);
    assert_int_equal(fx_callf_public(fx, NULL, "DELETE", NULL, "/apikeys/%s", k), 404);
    assert_apigw_message(fx, 404, "NotFoundException", "Invalid API Key identifier specified");
    free(k);
    free(api);
    fixture_free(fx);
}

static void api_key_stage_keys(void **state) {
    fixture *fx = fixture_new(NULL);
    char *api = make_api(fx);
    char *body = xasprintf(
        "{\"name\":\"k\",\"stageKeys\":[{\"restApiId\":\"%s\",\"stageName\":\"dev\"}]}", api);
    cJSON *b = NULL;
    assert_int_equal(fx_callf_public(fx, &b, "POST", body, "/apikeys"), 201);
    free(body);
    char *want = xasprintf("%s/dev", api);
    assert_string_equal(cJSON_GetArrayItem(json_arr(b, "stageKeys"), 0)->valuestring, want);
    free(want);
    cJSON_Delete(b);
    body = xasprintf("{\"name\":\"k\",\"stageKeys\":[{\"restApiId\":\"%s\",\"stageName\":\"qa\"}]}",
                     api);
    assert_int_equal(fx_callf_public(fx, NULL, "POST", body, "/apikeys"), 404);
    assert_apigw_message(fx, 404, "NotFoundException", "Invalid Stage identifier specified");
    free(body);
    assert_int_equal(
        fx_callf_public(fx, NULL, "POST",
                        "{\"stageKeys\":[{\"restApiId\":\"none000000\",\"stageName\":\"qa\"}]}",
                        "/apikeys"),
        404);
    assert_apigw_message(fx, 404, "NotFoundException",
                         "Invalid API identifier specified 123456789012:none000000");
    /* The refused keys were not created. */
    assert_int_equal(fx_callf_public(fx, &b, "GET", NULL, "/apikeys"), 200);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "item")), 1);
    cJSON_Delete(b);
    free(api);
    fixture_free(fx);
}

/* --- usage plans -------------------------------------------------------------- */

static void create_usage_plan_errors(void **state) {
    fixture *fx = fixture_new(NULL);
    char *api = make_api(fx);
    assert_int_equal(fx_callf_public(fx, NULL, "POST", "{\"description\":\"x\"}", "/usageplans"),
                     400);
    assert_apigw_message(
        fx, 400, "ValidationException",
        "1 validation error detected: Value null at 'createUsagePlanInput.name' failed to "
        "satisfy constraint: Member must not be null");
    char *body =
        xasprintf("{\"name\":\"p\",\"apiStages\":[{\"apiId\":\"%s\",\"stage\":\"qa\"}]}", api);
    assert_int_equal(fx_callf_public(fx, NULL, "POST", body, "/usageplans"), 400);
    /* AWS leaves the placeholders of this message unfilled. */
    assert_apigw_message(fx, 400, "BadRequestException",
                         "Invalid API Stage {api: %s, stage: %s} specified for usageplan %s");
    free(body);
    assert_int_equal(
        fx_callf_public(fx, NULL, "POST",
                        "{\"name\":\"p\",\"apiStages\":[{\"apiId\":\"\",\"stage\":\"dev\"}]}",
                        "/usageplans"),
        400);
    assert_string_equal(fx_error_type(fx), "BadRequestException");
    assert_int_equal(fx_callf_public(fx, NULL, "POST",
                                     "{\"name\":\"p\",\"quota\":{\"limit\":1,\"period\":\"YEAR\"}}",
                                     "/usageplans"),
                     400);
    assert_apigw_message(
        fx, 400, "ValidationException",
        "1 validation error detected: Value 'YEAR' at 'createUsagePlanInput.quota.period' "
        "failed to satisfy constraint: Member must satisfy enum value set: [DAY, WEEK, "
        "MONTH]");
    cJSON *b = NULL;
    assert_int_equal(fx_callf_public(fx, &b, "GET", NULL, "/usageplans"), 200);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "item")), 0); /* nothing half-made */
    cJSON_Delete(b);
    assert_int_equal(
        fx_callf_public(fx, NULL, "PATCH", "{\"patchOperations\":[]}", "/usageplans/nopln0"), 404);
    assert_apigw_message(fx, 404, "NotFoundException", "Invalid Usage Plan ID specified");
    assert_int_equal(fx_callf_public(fx, NULL, "DELETE", NULL, "/usageplans/nopln0"), 404);
    assert_apigw_message(fx, 404, "NotFoundException", "Invalid Usage Plan ID specified");
    free(api);
    fixture_free(fx);
}

static void get_usage_plans_paged(void **state) {
    fixture *fx = fixture_new(NULL);
    char *ids[3];
    for (int i = 0; i < 3; i++)
        ids[i] = fx_create_id(fx, "{\"name\":\"p\"}", "/usageplans");
    cJSON *b = NULL;
    assert_int_equal(fx_callf_public(fx, &b, "GET", NULL, "/usageplans?limit=2"), 200);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "item")), 2);
    assert_string_equal(json_str(b, "position"), "2");
    /* The list leaves out tags nobody set. */
    assert_null(cJSON_GetObjectItem(cJSON_GetArrayItem(json_arr(b, "item"), 0), "tags"));
    assert_int_equal(
        cJSON_GetArraySize(json_arr(cJSON_GetArrayItem(json_arr(b, "item"), 0), "apiStages")), 0);
    cJSON_Delete(b);
    assert_int_equal(fx_callf_public(fx, &b, "GET", NULL, "/usageplans?position=2"), 200);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "item")), 1);
    assert_string_equal(json_str(cJSON_GetArrayItem(json_arr(b, "item"), 0), "id"), ids[2]);
    cJSON_Delete(b);
    assert_int_equal(fx_callf_public(fx, NULL, "GET", NULL, "/usageplans?position=x"), 400);
    for (int i = 0; i < 3; i++) free(ids[i]);
    fixture_free(fx);
}

static void update_usage_plan_limits(void **state) {
    fixture *fx = fixture_new(NULL);
    char *plan = fx_create_id(fx, "{\"name\":\"p\"}", "/usageplans");
    cJSON *b = NULL;
    assert_int_equal(
        patch_plan(fx, &b, plan,
                   "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"CloudAcademyPlan\"},"
                   "{\"op\":\"replace\",\"path\":\"/description\",\"value\":\"d\"},"
                   "{\"op\":\"replace\",\"path\":\"/throttle/rateLimit\",\"value\":\"10.5\"},"
                   "{\"op\":\"replace\",\"path\":\"/throttle/burstLimit\",\"value\":\"20\"},"
                   "{\"op\":\"replace\",\"path\":\"/quota/limit\",\"value\":\"1000\"},"
                   "{\"op\":\"replace\",\"path\":\"/quota/period\",\"value\":\"DAY\"}]"),
        200);
    assert_string_equal(json_str(b, "name"), "CloudAcademyPlan");
    assert_string_equal(json_str(b, "description"), "d");
    assert_true(json_num_or(json_obj(b, "throttle"), "rateLimit", 0) == 10.5);
    assert_int_equal((int)json_num_or(json_obj(b, "throttle"), "burstLimit", 0), 20);
    assert_int_equal((int)json_num_or(json_obj(b, "quota"), "limit", 0), 1000);
    assert_int_equal((int)json_num_or(json_obj(b, "quota"), "offset", -1), 0);
    assert_string_equal(json_str(json_obj(b, "quota"), "period"), "DAY");
    assert_non_null(json_obj(b, "tags"));
    cJSON_Delete(b);

    assert_int_equal(
        patch_plan(fx, NULL, plan,
                   "[{\"op\":\"replace\",\"path\":\"/quota/period\",\"value\":\"YEAR\"}]"),
        400);
    assert_string_equal(fx_error_type(fx), "BadRequestException");
    assert_int_equal(
        patch_plan(fx, NULL, plan,
                   "[{\"op\":\"replace\",\"path\":\"/quota/limit\",\"value\":\"lots\"}]"),
        400);
    assert_int_equal(patch_plan(fx, NULL, plan, "[{\"op\":\"remove\",\"path\":\"/name\"}]"), 400);
    assert_apigw_message(fx, 400, "BadRequestException",
                         "Invalid patch path  '/name' specified for op 'remove'. Must be one of: "
                         "[/apiStages, /quota, /throttle, /productCode, "
                         "/apiStages/<apidId:stageName>/throttle/<resourcePath>/<httpMethod>, "
                         "/apiStages/<apidId:stageName>/throttle]");
    assert_int_equal(
        patch_plan(fx, NULL, plan, "[{\"op\":\"replace\",\"path\":\"/id\",\"value\":\"x\"}]"), 400);
    assert_patch_refused(fx,
                         "'/id' specified for op 'replace'. Please choose supported operations");

    assert_int_equal(
        patch_plan(
            fx, &b, plan,
            "[{\"op\":\"remove\",\"path\":\"/throttle\"},{\"op\":\"remove\",\"path\":\"/quota\"}]"),
        200);
    assert_null(cJSON_GetObjectItem(b, "throttle"));
    assert_null(cJSON_GetObjectItem(b, "quota"));
    cJSON_Delete(b);
    free(plan);
    fixture_free(fx);
}

static void update_usage_plan_api_stages(void **state) {
    fixture *fx = fixture_new(NULL);
    char *api = make_api(fx);
    char *plan = fx_create_id(fx, "{\"name\":\"p\"}", "/usageplans");
    cJSON *b = NULL;
    char *ops = xasprintf("[{\"op\":\"add\",\"path\":\"/apiStages\",\"value\":\"%s:dev\"},"
                          "{\"op\":\"add\",\"path\":\"/apiStages\",\"value\":\"%s:prod\"}]",
                          api, api);
    assert_int_equal(patch_plan(fx, &b, plan, ops), 200);
    free(ops);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "apiStages")), 2);
    cJSON_Delete(b);

    /* Method throttling of an API stage, keyed "/path/METHOD". */
    ops = xasprintf("[{\"op\":\"replace\",\"path\":\"/apiStages/%s:dev/throttle/~1items/GET/"
                    "rateLimit\",\"value\":\"0.1\"},"
                    "{\"op\":\"replace\",\"path\":\"/apiStages/%s:dev/throttle/~1items/GET/"
                    "burstLimit\",\"value\":\"1\"},"
                    "{\"op\":\"replace\",\"path\":\"/apiStages/%s:dev/throttle/~1/GET/"
                    "burstLimit\",\"value\":\"2\"}]",
                    api, api, api);
    assert_int_equal(patch_plan(fx, &b, plan, ops), 200);
    free(ops);
    const cJSON *thr = json_obj(cJSON_GetArrayItem(json_arr(b, "apiStages"), 0), "throttle");
    assert_true(json_num_or(json_obj(thr, "/items/GET"), "rateLimit", 0) == 0.1);
    assert_int_equal((int)json_num_or(json_obj(thr, "/items/GET"), "burstLimit", 0), 1);
    assert_int_equal((int)json_num_or(json_obj(thr, "//GET"), "burstLimit", 0), 2);
    cJSON_Delete(b);
    ops =
        xasprintf("[{\"op\":\"remove\",\"path\":\"/apiStages/%s:dev/throttle/~1items/GET\"}]", api);
    assert_int_equal(patch_plan(fx, &b, plan, ops), 200);
    free(ops);
    thr = json_obj(cJSON_GetArrayItem(json_arr(b, "apiStages"), 0), "throttle");
    assert_null(json_obj(thr, "/items/GET"));
    assert_non_null(json_obj(thr, "//GET"));
    cJSON_Delete(b);
    ops = xasprintf(
        "[{\"op\":\"replace\",\"path\":\"/apiStages/%s:prod/throttle\","
        "\"value\":\"{\\\"/items/GET\\\":{\\\"rateLimit\\\":1.0,\\\"burstLimit\\\":1}}\"},"
        "{\"op\":\"remove\",\"path\":\"/apiStages/%s:dev/throttle\"}]",
        api, api);
    assert_int_equal(patch_plan(fx, &b, plan, ops), 200);
    free(ops);
    assert_null(cJSON_GetObjectItem(cJSON_GetArrayItem(json_arr(b, "apiStages"), 0), "throttle"));
    thr = json_obj(cJSON_GetArrayItem(json_arr(b, "apiStages"), 1), "throttle");
    assert_int_equal((int)json_num_or(json_obj(thr, "/items/GET"), "burstLimit", 0), 1);
    cJSON_Delete(b);

    /* Removing needs the "apiId:stage" value. */
    assert_int_equal(patch_plan(fx, NULL, plan, "[{\"op\":\"remove\",\"path\":\"/apiStages\"}]"),
                     400);
    assert_apigw_message(fx, 400, "BadRequestException", "Invalid API Stage specified");
    ops = xasprintf("[{\"op\":\"remove\",\"path\":\"/apiStages/%s:dev\"}]", api);
    assert_int_equal(patch_plan(fx, NULL, plan, ops), 400);
    char *msg =
        xasprintf("Invalid patch path  '/apiStages/%s:dev' specified for op 'remove'. Must be "
                  "one of: [/apiStages, /quota, /throttle, /productCode, "
                  "/apiStages/<apidId:stageName>/throttle/<resourcePath>/<httpMethod>, "
                  "/apiStages/<apidId:stageName>/throttle]",
                  api);
    assert_apigw_message(fx, 400, "BadRequestException", msg);
    free(msg);
    free(ops);
    ops = xasprintf("[{\"op\":\"add\",\"path\":\"/apiStages\",\"value\":\"%s:qa\"}]", api);
    assert_int_equal(patch_plan(fx, NULL, plan, ops), 404);
    msg = xasprintf("Invalid API Stage {api: %s, stage: qa} specified for usageplan %s", api, plan);
    assert_apigw_message(fx, 404, "NotFoundException", msg);
    free(msg);
    free(ops);

    ops = xasprintf("[{\"op\":\"remove\",\"path\":\"/apiStages\",\"value\":\"%s:dev\"},"
                    "{\"op\":\"remove\",\"path\":\"/apiStages\",\"value\":\"%s:prod\"}]",
                    api, api);
    assert_int_equal(patch_plan(fx, &b, plan, ops), 200);
    free(ops);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "apiStages")), 0);
    cJSON_Delete(b);
    ops = xasprintf("[{\"op\":\"remove\",\"path\":\"/apiStages\",\"value\":\"%s:dev\"}]", api);
    assert_int_equal(patch_plan(fx, NULL, plan, ops), 404);
    assert_string_equal(fx_error_type(fx), "NotFoundException");
    free(ops);
    ops = xasprintf("[{\"op\":\"replace\",\"path\":\"/apiStages/%s:dev/throttle/~1items/GET/"
                    "rateLimit\",\"value\":\"1\"}]",
                    api);
    assert_int_equal(patch_plan(fx, NULL, plan, ops), 404);
    free(ops);
    assert_int_equal(fx_callf_public(fx, NULL, "DELETE", NULL, "/usageplans/%s", plan), 202);
    free(plan);
    free(api);
    fixture_free(fx);
}

/* --- usage plan keys ------------------------------------------------------------ */

static void usage_plan_key_errors(void **state) {
    fixture *fx = fixture_new(NULL);
    char *api = make_api(fx);
    char *dev = stage_json(api, "dev"), *prod = stage_json(api, "prod");
    char *a = make_plan(fx, api, dev, NULL);
    char *both = xasprintf("%s,%s", dev, prod);
    char *b_plan = make_plan(fx, api, both, NULL);
    char *c_plan = make_plan(fx, api, prod, NULL);
    char *key = fx_create_id(fx, "{\"name\":\"LabKey\"}", "/apikeys");

    assert_int_equal(add_key(fx, "nopln0", key), 404);
    assert_apigw_message(fx, 404, "NotFoundException", "Invalid Usage Plan ID specified");
    assert_int_equal(add_key(fx, a, "nokey00000"), 404);
    assert_apigw_message(fx, 404, "NotFoundException", "Invalid API Key identifier specified");
    assert_int_equal(
        fx_callf_public(fx, NULL, "POST", "{\"keyType\":\"API_KEY\"}", "/usageplans/%s/keys", a),
        400);
    assert_apigw_message(
        fx, 400, "ValidationException",
        "1 validation error detected: Value null at 'createUsagePlanKeyInput.keyId' "
        "failed to satisfy constraint: Member must not be null");
    char *body = xasprintf("{\"keyId\":\"%s\"}", key);
    assert_int_equal(fx_callf_public(fx, NULL, "POST", body, "/usageplans/%s/keys", a), 400);
    assert_string_equal(fx_error_type(fx), "ValidationException");
    free(body);
    body = xasprintf("{\"keyId\":\"%s\",\"keyType\":\"OTHER\"}", key);
    assert_int_equal(fx_callf_public(fx, NULL, "POST", body, "/usageplans/%s/keys", a), 400);
    assert_string_equal(fx_error_type(fx), "BadRequestException");
    free(body);

    assert_int_equal(add_key(fx, a, key), 201);
    assert_int_equal(add_key(fx, a, key), 409);
    assert_string_equal(fx_error_type(fx), "ConflictException");
    /* b shares dev with a: one key cannot be in both. */
    assert_int_equal(add_key(fx, b_plan, key), 409);
    char *msg = xasprintf("Usage Plan %s cannot be added because API Key %s cannot reference "
                          "multiple Usage Plans with the same API Stage: %s:dev",
                          b_plan, key, api);
    assert_apigw_message(fx, 409, "ConflictException", msg);
    free(msg);
    /* c only has prod: fine. Then c may not take dev. */
    assert_int_equal(add_key(fx, c_plan, key), 201);
    char *ops = xasprintf("[{\"op\":\"add\",\"path\":\"/apiStages\",\"value\":\"%s:dev\"}]", api);
    assert_int_equal(patch_plan(fx, NULL, c_plan, ops), 409);
    assert_string_equal(fx_error_type(fx), "ConflictException");
    free(ops);

    cJSON *b = NULL;
    assert_int_equal(fx_callf_public(fx, &b, "GET", NULL, "/usageplans?keyId=%s", key), 200);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "item")), 2);
    cJSON_Delete(b);
    assert_int_equal(fx_callf_public(fx, NULL, "GET", NULL, "/usageplans/%s/keys/%s", b_plan, key),
                     404);
    assert_apigw_message(fx, 404, "NotFoundException", "Invalid Usage Plan ID specified");
    assert_int_equal(fx_callf_public(fx, NULL, "GET", NULL, "/usageplans/%s/keys/nokey00000", a),
                     404);
    assert_apigw_message(fx, 404, "NotFoundException", "Invalid API Key identifier specified");
    assert_int_equal(fx_callf_public(fx, NULL, "DELETE", NULL, "/usageplans/%s/keys/%s", a, key),
                     202);
    assert_int_equal(fx_callf_public(fx, NULL, "GET", NULL, "/usageplans/%s/keys/%s", a, key), 404);
    assert_int_equal(fx_callf_public(fx, NULL, "DELETE", NULL, "/usageplans/%s/keys/%s", a, key),
                     404);
    /* Out of a, the key may now join b. */
    assert_int_equal(
        fx_callf_public(fx, NULL, "DELETE", NULL, "/usageplans/%s/keys/%s", c_plan, key), 202);
    assert_int_equal(add_key(fx, b_plan, key), 201);

    free(dev);
    free(prod);
    free(both);
    free(a);
    free(b_plan);
    free(c_plan);
    free(key);
    free(api);
    fixture_free(fx);
}

static void usage_plan_keys_listed(void **state) {
    fixture *fx = fixture_new(NULL);
    char *plan = fx_create_id(fx, "{\"name\":\"p\"}", "/usageplans");
    const char *names[] = {"alpha", "alphabet", "beta"};
    for (int i = 0; i < 3; i++) {
        char *body = xasprintf("{\"name\":\"%s\"}", names[i]);
        char *k = fx_create_id(fx, body, "/apikeys");
        assert_int_equal(add_key(fx, plan, k), 201);
        free(k);
        free(body);
    }
    cJSON *b = NULL;
    assert_int_equal(fx_callf_public(fx, &b, "GET", NULL, "/usageplans/%s/keys?limit=2", plan),
                     200);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "item")), 2);
    assert_string_equal(json_str(b, "position"), "2");
    assert_true(alnum_string(json_str(cJSON_GetArrayItem(json_arr(b, "item"), 0), "value"), 40));
    cJSON_Delete(b);
    assert_int_equal(fx_callf_public(fx, &b, "GET", NULL, "/usageplans/%s/keys?name=alpha", plan),
                     200);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "item")), 2);
    cJSON_Delete(b);
    assert_int_equal(fx_callf_public(fx, NULL, "GET", NULL, "/usageplans/nopln0/keys"), 404);
    free(plan);
    fixture_free(fx);
}

/* --- GetUsage ------------------------------------------------------------------ */

typedef struct usage_seed {
    const char *plan, *key;
    int sun, mon, tue; /* requests on 2026-11-29, -30 and 2026-12-01 */
} usage_seed;

static void seed_usage(cJSON *reg, void *ud) {
    const usage_seed *u = ud;
    cJSON *plan = json_obj(json_obj(reg, "usageplans"), u->plan);
    assert_non_null(plan);
    cJSON *days = json_child_obj(json_child_obj(plan, "_usage"), u->key);
    json_set_num(days, "2026-11-29", u->sun);
    json_set_num(days, "2026-11-30", u->mon);
    json_set_num(days, "2026-12-01", u->tue);
}

/* values[key] as "used/left used/left ..." for compact assertions. */
static char *usage_text(const cJSON *body, const char *key) {
    char buf[256] = "";
    const cJSON *day;
    cJSON_ArrayForEach(day, json_arr(json_obj(body, "values"), key)) {
        char one[32];
        snprintf(one, sizeof one, "%s%d/%d", buf[0] ? " " : "",
                 (int)cJSON_GetArrayItem(day, 0)->valuedouble,
                 (int)cJSON_GetArrayItem(day, 1)->valuedouble);
        strncat(buf, one, sizeof buf - strlen(buf) - 1);
    }
    return xstrdup(buf);
}

static void expect_usage(fixture *fx, const char *quota, const char *want) {
    char *body = xasprintf("{\"name\":\"p\"%s}", quota);
    char *plan = fx_create_id(fx, body, "/usageplans");
    free(body);
    char *key = fx_create_id(fx, "{\"name\":\"k\"}", "/apikeys");
    assert_int_equal(add_key(fx, plan, key), 201);
    usage_seed u = {plan, key, 2, 3, 4};
    fx_with_state(fx, seed_usage, &u);
    cJSON *b = NULL;
    assert_int_equal(fx_callf_public(fx, &b, "GET", NULL,
                                     "/usageplans/%s/usage?startDate=2026-11-29&endDate=2026-12-01",
                                     plan),
                     200);
    assert_string_equal(json_str(b, "usagePlanId"), plan);
    assert_string_equal(json_str(b, "startDate"), "2026-11-29");
    assert_string_equal(json_str(b, "endDate"), "2026-12-01");
    char *got = usage_text(b, key);
    assert_string_equal(got, want);
    free(got);
    cJSON_Delete(b);
    free(plan);
    free(key);
}

static void get_usage_per_quota_period(void **state) {
    fixture *fx = fixture_new(NULL);
    /* 2026-11-29 is a Sunday, 2026-11-30 the Monday a week starts on, and
     * 2026-12-01 the first of a month. */
    expect_usage(fx, ",\"quota\":{\"limit\":5,\"period\":\"DAY\"}", "2/3 3/2 4/1");
    expect_usage(fx, ",\"quota\":{\"limit\":10,\"period\":\"WEEK\"}", "2/8 3/7 4/3");
    expect_usage(fx, ",\"quota\":{\"limit\":10,\"period\":\"MONTH\"}", "2/8 3/5 4/6");
    expect_usage(fx, ",\"quota\":{\"limit\":3,\"period\":\"DAY\"}", "2/1 3/0 4/0");
    expect_usage(fx, "", "2/0 3/0 4/0");
    fixture_free(fx);
}

static void get_usage_keys_paging_and_errors(void **state) {
    fixture *fx = fixture_new(NULL);
    char *plan = fx_create_id(fx, "{\"name\":\"p\",\"quota\":{\"limit\":5,\"period\":\"DAY\"}}",
                              "/usageplans");
    char *k1 = fx_create_id(fx, "{\"name\":\"k1\"}", "/apikeys");
    char *k2 = fx_create_id(fx, "{\"name\":\"k2\"}", "/apikeys");
    assert_int_equal(add_key(fx, plan, k1), 201);
    assert_int_equal(add_key(fx, plan, k2), 201);
    usage_seed u = {plan, k2, 0, 1, 0};
    fx_with_state(fx, seed_usage, &u);
    cJSON *b = NULL;
    assert_int_equal(fx_callf_public(fx, &b, "GET", NULL,
                                     "/usageplans/%s/usage?startDate=2026-11-30&endDate=2026-11-30",
                                     plan),
                     200);
    assert_int_equal(cJSON_GetArraySize(json_obj(b, "values")), 2);
    char *t = usage_text(b, k1);
    assert_string_equal(t, "0/5"); /* a key without usage has the whole quota */
    free(t);
    t = usage_text(b, k2);
    assert_string_equal(t, "1/4");
    free(t);
    cJSON_Delete(b);
    assert_int_equal(
        fx_callf_public(fx, &b, "GET", NULL,
                        "/usageplans/%s/usage?startDate=2026-11-30&endDate=2026-11-30&keyId=%s",
                        plan, k2),
        200);
    assert_int_equal(cJSON_GetArraySize(json_obj(b, "values")), 1);
    assert_non_null(json_arr(json_obj(b, "values"), k2));
    cJSON_Delete(b);
    assert_int_equal(
        fx_callf_public(fx, &b, "GET", NULL,
                        "/usageplans/%s/usage?startDate=2026-11-30&endDate=2026-11-30&limit=1",
                        plan),
        200);
    assert_int_equal(cJSON_GetArraySize(json_obj(b, "values")), 1);
    assert_non_null(json_arr(json_obj(b, "values"), k1));
    assert_string_equal(json_str(b, "position"), "1");
    cJSON_Delete(b);
    assert_int_equal(
        fx_callf_public(
            fx, &b, "GET", NULL,
            "/usageplans/%s/usage?startDate=2026-11-30&endDate=2026-11-30&limit=1&position=1",
            plan),
        200);
    assert_non_null(json_arr(json_obj(b, "values"), k2));
    assert_null(json_str(b, "position"));
    cJSON_Delete(b);

    assert_int_equal(
        fx_callf_public(fx, NULL, "GET", NULL, "/usageplans/%s/usage?endDate=2026-11-30", plan),
        400);
    assert_apigw_message(
        fx, 400, "ValidationException",
        "1 validation error detected: Value null at 'getUsageInput.startDate' failed to "
        "satisfy constraint: Member must not be null");
    assert_int_equal(
        fx_callf_public(fx, NULL, "GET", NULL, "/usageplans/%s/usage?startDate=2026-11-30", plan),
        400);
    assert_string_equal(fx_error_type(fx), "ValidationException");
    assert_int_equal(fx_callf_public(fx, NULL, "GET", NULL,
                                     "/usageplans/%s/usage?startDate=2026-02-30&endDate=2026-11-30",
                                     plan),
                     400);
    assert_string_equal(fx_error_type(fx), "BadRequestException");
    assert_int_equal(fx_callf_public(fx, NULL, "GET", NULL,
                                     "/usageplans/%s/usage?startDate=2026-11-30&endDate=30-11-2026",
                                     plan),
                     400);
    assert_int_equal(fx_callf_public(fx, NULL, "GET", NULL,
                                     "/usageplans/%s/usage?startDate=2026-12-01&endDate=2026-11-30",
                                     plan),
                     400);
    assert_string_equal(fx_error_type(fx), "BadRequestException");
    assert_int_equal(
        fx_callf_public(fx, NULL, "GET", NULL,
                        "/usageplans/nopln0/usage?startDate=2026-11-30&endDate=2026-11-30"),
        404);
    assert_apigw_message(fx, 404, "NotFoundException", "Invalid Usage Plan ID specified");

    /* A deleted key takes its usage with it. */
    assert_int_equal(fx_callf_public(fx, NULL, "DELETE", NULL, "/apikeys/%s", k2), 202);
    assert_int_equal(fx_callf_public(fx, &b, "GET", NULL,
                                     "/usageplans/%s/usage?startDate=2026-11-30&endDate=2026-11-30",
                                     plan),
                     200);
    assert_int_equal(cJSON_GetArraySize(json_obj(b, "values")), 1);
    cJSON_Delete(b);
    free(plan);
    free(k1);
    free(k2);
    fixture_free(fx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lab_flow),
        cmocka_unit_test(api_key_values),
        cmocka_unit_test(get_api_keys_filters_and_pages),
        cmocka_unit_test(update_and_delete_api_key),
        cmocka_unit_test(api_key_stage_keys),
        cmocka_unit_test(create_usage_plan_errors),
        cmocka_unit_test(get_usage_plans_paged),
        cmocka_unit_test(update_usage_plan_limits),
        cmocka_unit_test(update_usage_plan_api_stages),
        cmocka_unit_test(usage_plan_key_errors),
        cmocka_unit_test(usage_plan_keys_listed),
        cmocka_unit_test(get_usage_per_quota_period),
        cmocka_unit_test(get_usage_keys_paging_and_errors),
    };
    return cmocka_run_group_tests_name("apigw_usage", tests, NULL, NULL);
}
