/* API Gateway deployments and stages in the emulator: the lab's flow
 * (deploy to dev, a prod stage, stage variables, rollback, throttling and
 * caching method settings) and every error path, as AWS answers them. */
#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/mem.h"

/* --- helpers ---------------------------------------------------------- */

typedef struct seed {
    const char *api_id;
    bool integrations;
} seed;

/* The lab's resources, stored as PutMethod / PutIntegration store them:
 * / (GET), /items (GET, key required) and /items/{ID} (GET). */
static void seed_resources(cJSON *reg, void *ud) {
    const seed *s = ud;
    cJSON *api = fx_api_state(reg, s->api_id);
    const char *root = json_str(json_obj(api, "api"), "rootResourceId");
    fx_seed_method(json_obj(json_obj(api, "resources"), root), "GET", false, s->integrations);
    fx_seed_method(fx_seed_resource(api, "itm001", root, "items", "/items"), "GET", true, true);
    fx_seed_method(fx_seed_resource(api, "itm002", "itm001", "{ID}", "/items/{ID}"), "GET", true,
                   true);
}

/* CreateRestApi, then the lab's methods; returns the API id (malloc'd). */
static char *make_api(fixture *fx, bool methods, bool integrations) {
    char *id = fx_create_id(fx, "{\"name\":\"ItemsAPI\"}", "/restapis");
    if (methods) {
        seed s = {id, integrations};
        fx_with_state(fx, seed_resources, &s);
    }
    return id;
}

/* CreateDeployment; returns the deployment id (malloc'd). */
static char *deploy(fixture *fx, const char *api, const char *body) {
    return fx_create_id(fx, body, "/restapis/%s/deployments", api);
}

static cJSON *get_stage(fixture *fx, const char *api, const char *stage) {
    cJSON *b = NULL;
    assert_int_equal(fx_callf_public(fx, &b, "GET", NULL, "/restapis/%s/stages/%s", api, stage),
                     200);
    return b;
}

static int patch_stage(fixture *fx, cJSON **out, const char *api, const char *stage,
                       const char *ops) {
    return fx_patch(fx, out, ops, "/restapis/%s/stages/%s", api, stage);
}

static const cJSON *setting(const cJSON *stage, const char *key) {
    return json_obj(json_obj(stage, "methodSettings"), key);
}

/* --- deployments --------------------------------------------------------- */

static void deploy_refused_without_methods(void **state) {
    fixture *fx = fixture_new(NULL);
    char *api = make_api(fx, false, false);
    assert_int_equal(fx_callf_public(fx, NULL, "POST", "{\"stageName\":\"dev\"}",
                                     "/restapis/%s/deployments", api),
                     400);
    assert_apigw_message(fx, 400, "BadRequestException",
                         "The REST API doesn't contain any methods");
    /* Nothing was created: no stage either. */
    assert_int_equal(fx_callf_public(fx, NULL, "GET", NULL, "/restapis/%s/stages/dev", api), 404);
    free(api);
    fixture_free(fx);
}

static void deploy_refused_with_method_without_integration(void **state) {
    fixture *fx = fixture_new(NULL);
    char *api = make_api(fx, true, false);
    assert_int_equal(fx_callf_public(fx, NULL, "POST", "{}", "/restapis/%s/deployments", api), 400);
    assert_apigw_message(fx, 400, "BadRequestException", "No integration defined for method");
    free(api);
    fixture_free(fx);
}

static void deploy_unknown_api(void **state) {
    fixture *fx = fixture_new(NULL);
    assert_int_equal(fx_callf_public(fx, NULL, "POST", "{}", "/restapis/nope123456/deployments"),
                     404);
    assert_apigw_message(fx, 404, "NotFoundException",
                         "Invalid API identifier specified 123456789012:nope123456");
    assert_int_equal(fx_callf_public(fx, NULL, "GET", NULL, "/restapis/nope123456/stages"), 404);
    assert_string_equal(fx_error_type(fx), "NotFoundException");
    fixture_free(fx);
}

static void snapshot_resources(cJSON *reg, void *ud) {
    char **ids = ud; /* api, deployment */
    cJSON *api = fx_api_state(reg, ids[0]);
    cJSON *snap = json_obj(json_obj(json_obj(api, "deployments"), ids[1]), "_resources");
    assert_non_null(snap);
    assert_string_equal(json_str(json_obj(snap, "itm001"), "path"), "/items");
    /* Change the live configuration: the snapshot must not follow. */
    cJSON_DeleteItemFromObject(json_obj(api, "resources"), "itm001");
    assert_non_null(json_obj(snap, "itm001"));
}

static void deploy_to_dev_creates_stage_and_snapshot(void **state) {
    fixture *fx = fixture_new(NULL);
    char *api = make_api(fx, true, true);
    cJSON *b = NULL;
    assert_int_equal(
        fx_callf_public(fx, &b, "POST",
                        "{\"stageName\":\"dev\",\"stageDescription\":\"Development\","
                        "\"description\":\"first\",\"variables\":{\"lambdaAlias\":\"dev\"}}",
                        "/restapis/%s/deployments", api),
        201);
    const char *id = json_str(b, "id");
    assert_int_equal(strlen(id), 6);
    assert_string_equal(json_str(b, "description"), "first");
    assert_int_equal((long long)json_num_or(b, "createdDate", 0), FIXTURE_T0_MS / 1000);
    assert_null(cJSON_GetObjectItem(b, "_resources"));

    cJSON *s = get_stage(fx, api, "dev");
    assert_string_equal(json_str(s, "stageName"), "dev");
    assert_string_equal(json_str(s, "deploymentId"), id);
    assert_string_equal(json_str(s, "description"), "Development");
    assert_string_equal(json_str(json_obj(s, "variables"), "lambdaAlias"), "dev");
    assert_false(json_bool_or(s, "cacheClusterEnabled", true));
    assert_string_equal(json_str(s, "cacheClusterStatus"), "NOT_AVAILABLE");
    assert_null(cJSON_GetObjectItem(s, "cacheClusterSize"));
    assert_false(json_bool_or(s, "tracingEnabled", true));
    assert_non_null(json_obj(s, "methodSettings"));
    assert_null(json_obj(s, "methodSettings")->child);
    assert_int_equal((long long)json_num_or(s, "createdDate", 0), FIXTURE_T0_MS / 1000);
    assert_int_equal((long long)json_num_or(s, "lastUpdatedDate", 0), FIXTURE_T0_MS / 1000);
    cJSON_Delete(s);

    char *ids[2] = {api, xstrdup(id)};
    fx_with_state(fx, snapshot_resources, ids);
    free(ids[1]);
    cJSON_Delete(b);
    free(api);
    fixture_free(fx);
}

static void redeploy_points_existing_stage(void **state) {
    fixture *fx = fixture_new(NULL);
    char *api = make_api(fx, true, true);
    char *d1 = deploy(fx, api, "{\"stageName\":\"dev\",\"variables\":{\"lambdaAlias\":\"dev\"}}");
    fx->clock.ms += 60000;
    char *d2 = deploy(fx, api,
                      "{\"stageName\":\"dev\",\"stageDescription\":\"ignored\","
                      "\"variables\":{\"extra\":\"x\"}}");
    assert_string_not_equal(d1, d2);
    cJSON *s = get_stage(fx, api, "dev");
    assert_string_equal(json_str(s, "deploymentId"), d2);
    /* The existing stage keeps its variables and gains the new ones. */
    assert_string_equal(json_str(json_obj(s, "variables"), "lambdaAlias"), "dev");
    assert_string_equal(json_str(json_obj(s, "variables"), "extra"), "x");
    assert_null(cJSON_GetObjectItem(s, "description"));
    assert_int_equal((long long)json_num_or(s, "lastUpdatedDate", 0), FIXTURE_T0_MS / 1000 + 60);
    assert_int_equal((long long)json_num_or(s, "createdDate", 0), FIXTURE_T0_MS / 1000);
    cJSON_Delete(s);
    free(d1);
    free(d2);
    free(api);
    fixture_free(fx);
}

static void deploy_validates_stage_members(void **state) {
    fixture *fx = fixture_new(NULL);
    char *api = make_api(fx, true, true);
    assert_int_equal(fx_callf_public(fx, NULL, "POST", "{\"stageName\":\"bad name\"}",
                                     "/restapis/%s/deployments", api),
                     400);
    assert_apigw_message(fx, 400, "BadRequestException", "Stage name only allows a-zA-Z0-9_-");
    assert_int_equal(fx_callf_public(fx, NULL, "POST",
                                     "{\"stageName\":\"dev\",\"cacheClusterSize\":\"2\"}",
                                     "/restapis/%s/deployments", api),
                     400);
    assert_apigw_message(
        fx, 400, "ValidationException",
        "1 validation error detected: Value '2' at 'createDeploymentInput.cacheClusterSize' "
        "failed to satisfy constraint: Member must satisfy enum value set: [0.5, 1.6, 6.1, "
        "13.5, 28.4, 58.2, 118, 237]");
    assert_int_equal(fx_callf_public(fx, NULL, "POST",
                                     "{\"stageName\":\"dev\",\"variables\":{\"a-b\":\"x\"}}",
                                     "/restapis/%s/deployments", api),
                     400);
    assert_apigw_message(
        fx, 400, "BadRequestException",
        "Invalid stage variable name: a-b.  Please use names with only word characters.");
    /* Nothing was deployed by the refused calls. */
    cJSON *b = NULL;
    assert_int_equal(fx_callf_public(fx, &b, "GET", NULL, "/restapis/%s/deployments", api), 200);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "item")), 0);
    cJSON_Delete(b);
    /* With the cache on and no size, AWS provisions 0.5 GB. */
    free(deploy(fx, api,
                "{\"stageName\":\"prod\",\"cacheClusterEnabled\":true,\"tracingEnabled\":true}"));
    cJSON *s = get_stage(fx, api, "prod");
    assert_true(json_bool_or(s, "cacheClusterEnabled", false));
    assert_string_equal(json_str(s, "cacheClusterStatus"), "AVAILABLE");
    assert_string_equal(json_str(s, "cacheClusterSize"), "0.5");
    assert_true(json_bool_or(s, "tracingEnabled", false));
    cJSON_Delete(s);
    free(api);
    fixture_free(fx);
}

static void get_deployments_is_paged(void **state) {
    fixture *fx = fixture_new(NULL);
    char *api = make_api(fx, true, true);
    char *ids[3];
    for (int i = 0; i < 3; i++) ids[i] = deploy(fx, api, "{}");
    cJSON *b = NULL;
    assert_int_equal(fx_callf_public(fx, &b, "GET", NULL, "/restapis/%s/deployments?limit=2", api),
                     200);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "item")), 2);
    assert_string_equal(json_str(cJSON_GetArrayItem(json_arr(b, "item"), 0), "id"), ids[0]);
    assert_string_equal(json_str(b, "position"), "2");
    cJSON_Delete(b);
    assert_int_equal(
        fx_callf_public(fx, &b, "GET", NULL, "/restapis/%s/deployments?limit=2&position=2", api),
        200);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "item")), 1);
    assert_string_equal(json_str(cJSON_GetArrayItem(json_arr(b, "item"), 0), "id"), ids[2]);
    assert_null(json_str(b, "position"));
    cJSON_Delete(b);
    assert_int_equal(
        fx_callf_public(fx, NULL, "GET", NULL, "/restapis/%s/deployments?limit=0", api), 400);
    assert_string_equal(fx_error_type(fx), "BadRequestException");
    for (int i = 0; i < 3; i++) free(ids[i]);
    free(api);
    fixture_free(fx);
}

static void get_and_update_deployment(void **state) {
    fixture *fx = fixture_new(NULL);
    char *api = make_api(fx, true, true);
    char *d = deploy(fx, api, "{\"description\":\"v1\"}");
    cJSON *b = NULL;
    assert_int_equal(fx_callf_public(fx, &b, "GET", NULL, "/restapis/%s/deployments/%s", api, d),
                     200);
    assert_string_equal(json_str(b, "id"), d);
    assert_null(cJSON_GetObjectItem(b, "apiSummary"));
    cJSON_Delete(b);

    assert_int_equal(fx_callf_public(fx, &b, "GET", NULL,
                                     "/restapis/%s/deployments/%s?embed=apiSummary", api, d),
                     200);
    const cJSON *items = json_obj(json_obj(b, "apiSummary"), "/items");
    assert_non_null(items);
    assert_true(json_bool_or(json_obj(items, "GET"), "apiKeyRequired", false));
    assert_string_equal(json_str(json_obj(items, "GET"), "authorizationType"), "NONE");
    assert_non_null(json_obj(json_obj(b, "apiSummary"), "/"));
    cJSON_Delete(b);

    assert_int_equal(
        fx_callf_public(fx, &b, "PATCH",
                        "{\"patchOperations\":[{\"op\":\"replace\",\"path\":\"/description\","
                        "\"value\":\"v2\"}]}",
                        "/restapis/%s/deployments/%s", api, d),
        200);
    assert_string_equal(json_str(b, "description"), "v2");
    cJSON_Delete(b);
    assert_int_equal(
        fx_callf_public(
            fx, NULL, "PATCH",
            "{\"patchOperations\":[{\"op\":\"replace\",\"path\":\"/id\",\"value\":\"x\"}]}",
            "/restapis/%s/deployments/%s", api, d),
        400);
    assert_string_equal(fx_error_type(fx), "BadRequestException");
    assert_int_equal(fx_callf_public(fx, NULL, "GET", NULL, "/restapis/%s/deployments/zzzzzz", api),
                     404);
    assert_apigw_message(fx, 404, "NotFoundException", "Invalid Deployment identifier specified");
    assert_int_equal(fx_callf_public(fx, NULL, "PATCH", "{\"patchOperations\":[]}",
                                     "/restapis/%s/deployments/zzzzzz", api),
                     404);
    free(d);
    free(api);
    fixture_free(fx);
}

static void delete_deployment_refused_while_stage_points_at_it(void **state) {
    fixture *fx = fixture_new(NULL);
    char *api = make_api(fx, true, true);
    char *d = deploy(fx, api, "{\"stageName\":\"dev\"}");
    assert_int_equal(
        fx_callf_public(fx, NULL, "DELETE", NULL, "/restapis/%s/deployments/%s", api, d), 400);
    assert_apigw_message(fx, 400, "BadRequestException",
                         "Active stages pointing to this deployment must be moved or deleted");
    assert_int_equal(fx_callf_public(fx, NULL, "DELETE", NULL, "/restapis/%s/stages/dev", api),
                     202);
    assert_int_equal(
        fx_callf_public(fx, NULL, "DELETE", NULL, "/restapis/%s/deployments/%s", api, d), 202);
    assert_int_equal(fx_callf_public(fx, NULL, "GET", NULL, "/restapis/%s/deployments/%s", api, d),
                     404);
    assert_int_equal(
        fx_callf_public(fx, NULL, "DELETE", NULL, "/restapis/%s/deployments/%s", api, d), 404);
    assert_apigw_message(fx, 404, "NotFoundException", "Invalid Deployment identifier specified");
    free(d);
    free(api);
    fixture_free(fx);
}

/* --- stages -------------------------------------------------------------- */

static void create_stage_and_errors(void **state) {
    fixture *fx = fixture_new(NULL);
    char *api = make_api(fx, true, true);
    char *d = deploy(fx, api, "{\"stageName\":\"dev\"}");
    char *body = xasprintf("{\"stageName\":\"prod\",\"deploymentId\":\"%s\",\"description\":"
                           "\"Production\",\"variables\":{\"lambdaAlias\":\"prod\"}}",
                           d);
    cJSON *b = NULL;
    assert_int_equal(fx_callf_public(fx, &b, "POST", body, "/restapis/%s/stages", api), 201);
    assert_string_equal(json_str(b, "stageName"), "prod");
    assert_string_equal(json_str(b, "deploymentId"), d);
    assert_string_equal(json_str(b, "description"), "Production");
    assert_string_equal(json_str(json_obj(b, "variables"), "lambdaAlias"), "prod");
    assert_string_equal(json_str(b, "cacheClusterStatus"), "NOT_AVAILABLE");
    cJSON_Delete(b);

    assert_int_equal(fx_callf_public(fx, NULL, "POST", body, "/restapis/%s/stages", api), 409);
    assert_apigw_message(fx, 409, "ConflictException", "Stage already exists");
    free(body);

    assert_int_equal(fx_callf_public(fx, NULL, "POST",
                                     "{\"stageName\":\"qa\",\"deploymentId\":\"nope00\"}",
                                     "/restapis/%s/stages", api),
                     400);
    assert_apigw_message(fx, 400, "BadRequestException", "Deployment id does not exist");
    assert_int_equal(fx_callf_public(fx, NULL, "POST", "{\"deploymentId\":\"nope00\"}",
                                     "/restapis/%s/stages", api),
                     400);
    assert_apigw_message(
        fx, 400, "ValidationException",
        "1 validation error detected: Value null at 'createStageInput.stageName' failed "
        "to satisfy constraint: Member must not be null");
    assert_int_equal(
        fx_callf_public(fx, NULL, "POST", "{\"stageName\":\"qa\"}", "/restapis/%s/stages", api),
        400);
    assert_apigw_message(
        fx, 400, "ValidationException",
        "1 validation error detected: Value null at 'createStageInput.deploymentId' "
        "failed to satisfy constraint: Member must not be null");

    body = xasprintf("{\"stageName\":\"qa/1\",\"deploymentId\":\"%s\"}", d);
    assert_int_equal(fx_callf_public(fx, NULL, "POST", body, "/restapis/%s/stages", api), 400);
    assert_apigw_message(fx, 400, "BadRequestException", "Stage name only allows a-zA-Z0-9_-");
    free(body);
    body = xasprintf("{\"stageName\":\"qa\",\"deploymentId\":\"%s\",\"variables\":{\"v\":\"a b\","
                     "\"w\":\"bad|value\"}}",
                     d);
    assert_int_equal(fx_callf_public(fx, NULL, "POST", body, "/restapis/%s/stages", api), 400);
    assert_apigw_message(
        fx, 400, "BadRequestException",
        "Invalid stage variable value: bad|value.  Please use values with alphanumeric "
        "characters and the symbols ' ', -', '.', '_', ':', '/', '?', '&', '=', and ','.");
    free(body);
    body =
        xasprintf("{\"stageName\":\"qa\",\"deploymentId\":\"%s\",\"cacheClusterSize\":\"1\"}", d);
    assert_int_equal(fx_callf_public(fx, NULL, "POST", body, "/restapis/%s/stages", api), 400);
    assert_string_equal(fx_error_type(fx), "ValidationException");
    free(body);
    /* A stage name may hold hyphens and underscores. */
    body = xasprintf("{\"stageName\":\"qa_1-x\",\"deploymentId\":\"%s\",\"cacheClusterEnabled\":"
                     "true,\"cacheClusterSize\":\"6.1\"}",
                     d);
    assert_int_equal(fx_callf_public(fx, &b, "POST", body, "/restapis/%s/stages", api), 201);
    assert_string_equal(json_str(b, "cacheClusterSize"), "6.1");
    assert_string_equal(json_str(b, "cacheClusterStatus"), "AVAILABLE");
    cJSON_Delete(b);
    free(body);
    free(d);
    free(api);
    fixture_free(fx);
}

static void get_stages_lists_all_and_filters(void **state) {
    fixture *fx = fixture_new(NULL);
    char *api = make_api(fx, true, true);
    char *d1 = deploy(fx, api, "{\"stageName\":\"dev\"}");
    char *d2 = deploy(fx, api, "{\"stageName\":\"prod\"}");
    cJSON *b = NULL;
    assert_int_equal(fx_callf_public(fx, &b, "GET", NULL, "/restapis/%s/stages?limit=1", api), 200);
    /* Not paged: every stage in "item", no position. */
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "item")), 2);
    assert_string_equal(json_str(cJSON_GetArrayItem(json_arr(b, "item"), 0), "stageName"), "dev");
    assert_null(json_str(b, "position"));
    cJSON_Delete(b);
    assert_int_equal(
        fx_callf_public(fx, &b, "GET", NULL, "/restapis/%s/stages?deploymentId=%s", api, d2), 200);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "item")), 1);
    assert_string_equal(json_str(cJSON_GetArrayItem(json_arr(b, "item"), 0), "stageName"), "prod");
    cJSON_Delete(b);
    assert_int_equal(fx_callf_public(fx, NULL, "GET", NULL, "/restapis/%s/stages/qa", api), 404);
    assert_apigw_message(fx, 404, "NotFoundException", "Invalid Stage identifier specified");
    assert_int_equal(fx_callf_public(fx, NULL, "DELETE", NULL, "/restapis/%s/stages/qa", api), 404);
    assert_apigw_message(fx, 404, "NotFoundException", "Invalid Stage identifier specified");
    free(d1);
    free(d2);
    free(api);
    fixture_free(fx);
}

static void stage_variables_and_rollback(void **state) {
    fixture *fx = fixture_new(NULL);
    char *api = make_api(fx, true, true);
    char *d1 = deploy(fx, api, "{\"stageName\":\"dev\",\"variables\":{\"lambdaAlias\":\"dev\"}}");
    char *d2 = deploy(fx, api, "{\"stageName\":\"dev\"}");
    cJSON *b = NULL;
    char *ops =
        xasprintf("[{\"op\":\"replace\",\"path\":\"/variables/lambdaAlias\",\"value\":\"prod\"},"
                  "{\"op\":\"add\",\"path\":\"/variables/url\",\"value\":\"example.com/a?b=c\"},"
                  "{\"op\":\"replace\",\"path\":\"/description\",\"value\":\"rolled back\"},"
                  "{\"op\":\"replace\",\"path\":\"/deploymentId\",\"value\":\"%s\"}]",
                  d1);
    assert_int_equal(patch_stage(fx, &b, api, "dev", ops), 200);
    free(ops);
    assert_string_equal(json_str(b, "deploymentId"), d1);
    assert_string_equal(json_str(b, "description"), "rolled back");
    assert_string_equal(json_str(json_obj(b, "variables"), "lambdaAlias"), "prod");
    assert_string_equal(json_str(json_obj(b, "variables"), "url"), "example.com/a?b=c");
    cJSON_Delete(b);

    assert_int_equal(patch_stage(fx, &b, api, "dev",
                                 "[{\"op\":\"remove\",\"path\":\"/variables/lambdaAlias\"},"
                                 "{\"op\":\"remove\",\"path\":\"/variables/url\"}]"),
                     200);
    /* No variables left: the member goes, as AWS omits it. */
    assert_null(cJSON_GetObjectItem(b, "variables"));
    cJSON_Delete(b);

    assert_int_equal(
        patch_stage(fx, NULL, api, "dev",
                    "[{\"op\":\"replace\",\"path\":\"/deploymentId\",\"value\":\"zzzzzz\"}]"),
        400);
    assert_apigw_message(fx, 400, "BadRequestException", "Deployment id does not exist");
    assert_int_equal(
        patch_stage(fx, NULL, api, "dev",
                    "[{\"op\":\"replace\",\"path\":\"/variables/a.b\",\"value\":\"x\"}]"),
        400);
    assert_apigw_message(
        fx, 400, "BadRequestException",
        "Invalid stage variable name: a.b.  Please use names with only word characters.");
    /* A failed patch leaves the stage as it was (every operation or none). */
    char *ops2 = xasprintf("[{\"op\":\"replace\",\"path\":\"/deploymentId\",\"value\":\"%s\"},"
                           "{\"op\":\"replace\",\"path\":\"/variables/x\",\"value\":\"\"}]",
                           d2);
    assert_int_equal(patch_stage(fx, NULL, api, "dev", ops2), 400);
    free(ops2);
    b = get_stage(fx, api, "dev");
    assert_string_equal(json_str(b, "deploymentId"), d1);
    cJSON_Delete(b);
    assert_int_equal(patch_stage(fx, NULL, api, "nope", "[]"), 404);
    assert_apigw_message(fx, 404, "NotFoundException", "Invalid Stage identifier specified");
    free(d1);
    free(d2);
    free(api);
    fixture_free(fx);
}

static void cache_cluster_and_tracing(void **state) {
    fixture *fx = fixture_new(NULL);
    char *api = make_api(fx, true, true);
    free(deploy(fx, api, "{\"stageName\":\"prod\"}"));
    cJSON *b = NULL;
    assert_int_equal(
        patch_stage(fx, &b, api, "prod",
                    "[{\"op\":\"replace\",\"path\":\"/cacheClusterEnabled\",\"value\":\"true\"},"
                    "{\"op\":\"replace\",\"path\":\"/tracingEnabled\",\"value\":\"TRUE\"}]"),
        200);
    assert_true(json_bool_or(b, "cacheClusterEnabled", false));
    assert_string_equal(json_str(b, "cacheClusterStatus"), "AVAILABLE");
    assert_string_equal(json_str(b, "cacheClusterSize"), "0.5");
    assert_true(json_bool_or(b, "tracingEnabled", false));
    cJSON_Delete(b);
    assert_int_equal(
        patch_stage(fx, &b, api, "prod",
                    "[{\"op\":\"replace\",\"path\":\"/cacheClusterSize\",\"value\":\"237\"}]"),
        200);
    assert_string_equal(json_str(b, "cacheClusterSize"), "237");
    cJSON_Delete(b);
    assert_int_equal(
        patch_stage(fx, NULL, api, "prod",
                    "[{\"op\":\"replace\",\"path\":\"/cacheClusterSize\",\"value\":\"1.0\"}]"),
        400);
    assert_string_equal(fx_error_type(fx), "BadRequestException");
    assert_int_equal(
        patch_stage(fx, &b, api, "prod",
                    "[{\"op\":\"replace\",\"path\":\"/cacheClusterEnabled\",\"value\":\"false\"}]"),
        200);
    assert_false(json_bool_or(b, "cacheClusterEnabled", true));
    assert_string_equal(json_str(b, "cacheClusterStatus"), "NOT_AVAILABLE");
    cJSON_Delete(b);
    free(api);
    fixture_free(fx);
}

static void method_settings_throttling_and_caching(void **state) {
    fixture *fx = fixture_new(NULL);
    char *api = make_api(fx, true, true);
    free(deploy(fx, api, "{\"stageName\":\"prod\"}"));
    cJSON *b = NULL;
    assert_int_equal(
        patch_stage(
            fx, &b, api, "prod",
            "[{\"op\":\"replace\",\"path\":\"/*/*/throttling/rateLimit\",\"value\":\"1\"},"
            "{\"op\":\"replace\",\"path\":\"/*/*/throttling/burstLimit\",\"value\":\"1\"},"
            "{\"op\":\"replace\",\"path\":\"/*/*/caching/dataEncrypted\",\"value\":\"true\"},"
            "{\"op\":\"replace\",\"path\":\"/*/*/caching/unauthorizedCacheControlHeaderStrategy\","
            "\"value\":\"FAIL_WITH_403\"}]"),
        200);
    const cJSON *all = setting(b, "*/*");
    assert_non_null(all);
    assert_int_equal((int)json_num_or(all, "throttlingRateLimit", 0), 1);
    assert_int_equal((int)json_num_or(all, "throttlingBurstLimit", 0), 1);
    assert_true(json_bool_or(all, "cacheDataEncrypted", false));
    assert_string_equal(json_str(all, "unauthorizedCacheControlHeaderStrategy"), "FAIL_WITH_403");
    /* AWS's defaults for what was not set. */
    assert_int_equal((int)json_num_or(all, "cacheTtlInSeconds", 0), 300);
    assert_false(json_bool_or(all, "cachingEnabled", true));
    assert_false(json_bool_or(all, "metricsEnabled", true));
    assert_false(json_bool_or(all, "dataTraceEnabled", true));
    assert_true(json_bool_or(all, "requireAuthorizationForCacheControl", false));
    assert_null(cJSON_GetObjectItem(all, "loggingLevel"));
    cJSON_Delete(b);

    /* A method's own settings start from the stage-wide ones. */
    assert_int_equal(
        patch_stage(
            fx, &b, api, "prod",
            "[{\"op\":\"replace\",\"path\":\"/~1items/GET/caching/enabled\",\"value\":\"true\"},"
            "{\"op\":\"replace\",\"path\":\"/~1items/GET/caching/"
            "ttlInSeconds\",\"value\":\"3600\"},"
            "{\"op\":\"replace\",\"path\":\"/~1items~1{ID}/GET/logging/"
            "loglevel\",\"value\":\"INFO\"},"
            "{\"op\":\"replace\",\"path\":\"/~1items/GET/metrics/enabled\",\"value\":\"true\"}]"),
        200);
    const cJSON *items = setting(b, "~1items/GET");
    assert_non_null(items);
    assert_true(json_bool_or(items, "cachingEnabled", false));
    assert_int_equal((int)json_num_or(items, "cacheTtlInSeconds", 0), 3600);
    assert_true(json_bool_or(items, "metricsEnabled", false));
    assert_int_equal((int)json_num_or(items, "throttlingRateLimit", 0), 1);
    assert_string_equal(json_str(setting(b, "~1items~1{ID}/GET"), "loggingLevel"), "INFO");
    /* Changing the stage-wide setting later leaves a method's own value alone. */
    cJSON_Delete(b);
    assert_int_equal(
        patch_stage(
            fx, &b, api, "prod",
            "[{\"op\":\"replace\",\"path\":\"/*/*/throttling/rateLimit\",\"value\":\"5.5\"}]"),
        200);
    assert_int_equal((int)json_num_or(setting(b, "~1items/GET"), "throttlingRateLimit", 0), 1);
    assert_true(json_num_or(setting(b, "*/*"), "throttlingRateLimit", 0) == 5.5);
    cJSON_Delete(b);

    /* Paths that match no method of the API are dropped, as AWS does. */
    assert_int_equal(
        patch_stage(
            fx, &b, api, "prod",
            "[{\"op\":\"replace\",\"path\":\"/test/GET/throttling/burstLimit\",\"value\":\"124\"},"
            "{\"op\":\"replace\",\"path\":\"/~1items/POST/throttling/"
            "burstLimit\",\"value\":\"9\"}]"),
        200);
    assert_int_equal(cJSON_GetArraySize(json_obj(b, "methodSettings")), 3);
    cJSON_Delete(b);

    /* Removing a method's settings. */
    assert_int_equal(
        patch_stage(fx, &b, api, "prod", "[{\"op\":\"remove\",\"path\":\"/~1items/GET\"}]"), 200);
    assert_null(setting(b, "~1items/GET"));
    cJSON_Delete(b);
    assert_int_equal(
        patch_stage(fx, NULL, api, "prod", "[{\"op\":\"remove\",\"path\":\"/~1items/GET\"}]"), 400);
    assert_apigw_message(
        fx, 400, "BadRequestException",
        "Cannot remove method setting ~1items/GET because there is no method setting for "
        "this method ");
    free(api);
    fixture_free(fx);
}

static void method_settings_errors(void **state) {
    fixture *fx = fixture_new(NULL);
    char *api = make_api(fx, true, true);
    free(deploy(fx, api, "{\"stageName\":\"prod\"}"));
    assert_int_equal(
        patch_stage(
            fx, NULL, api, "prod",
            "[{\"op\":\"replace\",\"path\":\"/*/*/caching/ttlInSeconds\",\"value\":\"3601\"}]"),
        400);
    assert_string_equal(fx_error_type(fx), "BadRequestException");
    assert_int_equal(
        patch_stage(
            fx, NULL, api, "prod",
            "[{\"op\":\"replace\",\"path\":\"/*/*/caching/ttlInSeconds\",\"value\":\"-1\"}]"),
        400);
    assert_int_equal(
        patch_stage(
            fx, NULL, api, "prod",
            "[{\"op\":\"replace\",\"path\":\"/*/*/throttling/rateLimit\",\"value\":\"fast\"}]"),
        400);
    assert_int_equal(
        patch_stage(
            fx, NULL, api, "prod",
            "[{\"op\":\"replace\",\"path\":\"/*/*/caching/unauthorizedCacheControlHeaderStrategy\","
            "\"value\":\"IGNORE\"}]"),
        400);
    assert_int_equal(
        patch_stage(
            fx, NULL, api, "prod",
            "[{\"op\":\"replace\",\"path\":\"/*/*/logging/loglevel\",\"value\":\"DEBUG\"}]"),
        400);
    /* None of the refused values was stored. */
    cJSON *s = get_stage(fx, api, "prod");
    assert_null(json_obj(s, "methodSettings")->child);
    cJSON_Delete(s);

    assert_int_equal(patch_stage(fx, NULL, api, "prod",
                                 "[{\"op\":\"replace\",\"path\":\"/tags/tag1\",\"value\":\"v\"}]"),
                     400);
    assert_apigw_message(
        fx, 400, "BadRequestException",
        "Invalid method setting path: /tags/tag1. Must be one of: [/deploymentId, /description, "
        "/cacheClusterEnabled, /cacheClusterSize, /clientCertificateId, /accessLogSettings, "
        "/accessLogSettings/destinationArn, /accessLogSettings/format, "
        "/{resourcePath}/{httpMethod}/metrics/enabled, "
        "/{resourcePath}/{httpMethod}/logging/dataTrace, "
        "/{resourcePath}/{httpMethod}/logging/loglevel, "
        "/{resourcePath}/{httpMethod}/throttling/burstLimit/{resourcePath}/{httpMethod}/throttling/"
        "rateLimit/{resourcePath}/{httpMethod}/caching/ttlInSeconds, "
        "/{resourcePath}/{httpMethod}/caching/enabled, /{resourcePath}/{httpMethod}/caching/"
        "dataEncrypted, /{resourcePath}/{httpMethod}/caching/requireAuthorizationForCacheControl, "
        "/{resourcePath}/{httpMethod}/caching/unauthorizedCacheControlHeaderStrategy, "
        "/*/*/metrics/enabled, /*/*/logging/dataTrace, /*/*/logging/loglevel, "
        "/*/*/throttling/burstLimit /*/*/throttling/rateLimit /*/*/caching/ttlInSeconds, "
        "/*/*/caching/enabled, /*/*/caching/dataEncrypted, "
        "/*/*/caching/requireAuthorizationForCacheControl, "
        "/*/*/caching/unauthorizedCacheControlHeaderStrategy, /variables/{variable_name}, "
        "/tracingEnabled]");
    assert_int_equal(
        patch_stage(fx, NULL, api, "prod",
                    "[{\"op\":\"replace\",\"path\":\"/*/*/caching/size\",\"value\":\"1\"}]"),
        400);
    const char *want = "Invalid method setting path: /*/*/caching/size. Must be one of: [";
    assert_true(strncmp(fx_message(fx), want, strlen(want)) == 0);
    assert_int_equal(patch_stage(fx, NULL, api, "prod", "[{\"op\":\"remove\",\"path\":\"/*/*\"}]"),
                     400);
    assert_apigw_message(
        fx, 400, "BadRequestException",
        "Cannot remove method setting */* because there is no method setting for this "
        "method ");
    assert_int_equal(patch_stage(fx, NULL, api, "prod",
                                 "[{\"op\":\"move\",\"path\":\"/description\",\"from\":\"/x\"}]"),
                     400);
    assert_string_equal(fx_error_type(fx), "BadRequestException");
    free(api);
    fixture_free(fx);
}

static void cache_generation(cJSON *reg, void *ud) {
    char *api = ud;
    cJSON *stage = json_obj(json_obj(fx_api_state(reg, api), "stages"), "prod");
    assert_int_equal((int)json_num_or(stage, "_cacheGeneration", -1), 2);
}

static void flush_caches(void **state) {
    fixture *fx = fixture_new(NULL);
    char *api = make_api(fx, true, true);
    free(deploy(fx, api, "{\"stageName\":\"prod\",\"cacheClusterEnabled\":true}"));
    assert_int_equal(
        fx_callf_public(fx, NULL, "DELETE", NULL, "/restapis/%s/stages/prod/cache/data", api), 202);
    assert_int_equal(fx->last.body_len, 0);
    assert_int_equal(
        fx_callf_public(fx, NULL, "DELETE", NULL, "/restapis/%s/stages/prod/cache/data", api), 202);
    fx_with_state(fx, cache_generation, api);
    assert_int_equal(fx_callf_public(fx, NULL, "DELETE", NULL,
                                     "/restapis/%s/stages/prod/cache/authorizers", api),
                     202);
    assert_int_equal(
        fx_callf_public(fx, NULL, "DELETE", NULL, "/restapis/%s/stages/qa/cache/data", api), 404);
    assert_apigw_message(fx, 404, "NotFoundException", "Invalid Stage identifier specified");
    assert_int_equal(
        fx_callf_public(fx, NULL, "DELETE", NULL, "/restapis/%s/stages/qa/cache/authorizers", api),
        404);
    free(api);
    fixture_free(fx);
}

/* The lab from deploy to clean-up, stage side. */
static void lab_flow(void **state) {
    fixture *fx = fixture_new(NULL);
    char *api = make_api(fx, true, true);
    char *d1 = deploy(fx, api, "{\"stageName\":\"dev\",\"variables\":{\"lambdaAlias\":\"dev\"}}");
    char *body = xasprintf("{\"stageName\":\"prod\",\"deploymentId\":\"%s\",\"variables\":"
                           "{\"lambdaAlias\":\"prod\"}}",
                           d1);
    assert_int_equal(fx_callf_public(fx, NULL, "POST", body, "/restapis/%s/stages", api), 201);
    free(body);
    /* Re-deploy both stages after changing the API. */
    char *d2 = deploy(fx, api, "{\"stageName\":\"dev\"}");
    char *d3 = deploy(fx, api, "{\"stageName\":\"prod\"}");
    /* Caching and throttling on prod, as the lab sets them. */
    assert_int_equal(
        patch_stage(
            fx, NULL, api, "prod",
            "[{\"op\":\"replace\",\"path\":\"/cacheClusterEnabled\",\"value\":\"true\"},"
            "{\"op\":\"replace\",\"path\":\"/cacheClusterSize\",\"value\":\"0.5\"},"
            "{\"op\":\"replace\",\"path\":\"/*/*/caching/ttlInSeconds\",\"value\":\"3600\"},"
            "{\"op\":\"replace\",\"path\":\"/*/*/caching/dataEncrypted\",\"value\":\"true\"},"
            "{\"op\":\"replace\",\"path\":\"/*/*/caching/requireAuthorizationForCacheControl\","
            "\"value\":\"true\"},"
            "{\"op\":\"replace\",\"path\":\"/*/*/caching/unauthorizedCacheControlHeaderStrategy\","
            "\"value\":\"FAIL_WITH_403\"}]"),
        200);
    cJSON *s = get_stage(fx, api, "prod");
    assert_string_equal(json_str(s, "deploymentId"), d3);
    assert_string_equal(json_str(json_obj(s, "variables"), "lambdaAlias"), "prod");
    assert_int_equal((int)json_num_or(setting(s, "*/*"), "cacheTtlInSeconds", 0), 3600);
    cJSON_Delete(s);
    /* Roll dev back to its first deployment. */
    char *ops = xasprintf("[{\"op\":\"replace\",\"path\":\"/deploymentId\",\"value\":\"%s\"}]", d1);
    assert_int_equal(patch_stage(fx, NULL, api, "dev", ops), 200);
    free(ops);
    s = get_stage(fx, api, "dev");
    assert_string_equal(json_str(s, "deploymentId"), d1);
    assert_string_equal(json_str(json_obj(s, "variables"), "lambdaAlias"), "dev");
    cJSON_Delete(s);
    /* d2 has no stage any more and can go; d1 cannot. */
    assert_int_equal(
        fx_callf_public(fx, NULL, "DELETE", NULL, "/restapis/%s/deployments/%s", api, d2), 202);
    assert_int_equal(
        fx_callf_public(fx, NULL, "DELETE", NULL, "/restapis/%s/deployments/%s", api, d1), 400);
    /* Clean-up. */
    assert_int_equal(fx_callf_public(fx, NULL, "DELETE", NULL, "/restapis/%s/stages/dev", api),
                     202);
    assert_int_equal(fx_callf_public(fx, NULL, "DELETE", NULL, "/restapis/%s/stages/prod", api),
                     202);
    cJSON *b = NULL;
    assert_int_equal(fx_callf_public(fx, &b, "GET", NULL, "/restapis/%s/stages", api), 200);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "item")), 0);
    cJSON_Delete(b);
    free(d1);
    free(d2);
    free(d3);
    free(api);
    fixture_free(fx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(deploy_refused_without_methods),
        cmocka_unit_test(deploy_refused_with_method_without_integration),
        cmocka_unit_test(deploy_unknown_api),
        cmocka_unit_test(deploy_to_dev_creates_stage_and_snapshot),
        cmocka_unit_test(redeploy_points_existing_stage),
        cmocka_unit_test(deploy_validates_stage_members),
        cmocka_unit_test(get_deployments_is_paged),
        cmocka_unit_test(get_and_update_deployment),
        cmocka_unit_test(delete_deployment_refused_while_stage_points_at_it),
        cmocka_unit_test(create_stage_and_errors),
        cmocka_unit_test(get_stages_lists_all_and_filters),
        cmocka_unit_test(stage_variables_and_rollback),
        cmocka_unit_test(cache_cluster_and_tracing),
        cmocka_unit_test(method_settings_throttling_and_caching),
        cmocka_unit_test(method_settings_errors),
        cmocka_unit_test(flush_caches),
        cmocka_unit_test(lab_flow),
    };
    return cmocka_run_group_tests_name("apigw_stage", tests, NULL, NULL);
}
