/* Typed API Gateway operations: each sends the verb, path, query and body
 * the service model prescribes. A fake transport records every request and
 * answers with canned responses. */
#include "fake_transport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/apigw.h"
#include "core/json.h"

static void rest_api_operations(void **state) {
    fake_client *t = *state;
    cJSON *tags = cJSON_Parse("{\"team\":\"lab\"}");
    apigw_rest_api_in in = {
        .description = "Cloud Academy Lab API", .endpoint_type = "REGIONAL", .tags = tags};
    CHECK_CALL(t, "POST", "/restapis", NULL,
               "{\"name\":\"ItemsAPI\",\"description\":\"Cloud Academy Lab API\","
               "\"endpointConfiguration\":{\"types\":[\"REGIONAL\"]},\"tags\":{\"team\":\"lab\"}}",
               apigw_create_rest_api, "ItemsAPI", &in);
    cJSON_Delete(tags);
    CHECK_CALL(t, "POST", "/restapis", NULL, "{\"name\":\"Bare\"}", apigw_create_rest_api, "Bare",
               NULL);
    CHECK_CALL(t, "GET", "/restapis/a1b2", NULL, NULL, apigw_get_rest_api, "a1b2");
    CHECK_CALL(t, "GET", "/restapis", NULL, NULL, apigw_get_rest_apis, NULL);
    CHECK_CALL(t, "GET", "/restapis", "position=p%2F1&limit=500", NULL, apigw_get_rest_apis,
               &(apigw_page){.position = "p/1", .limit = 500});
    CHECK_CALL(t, "PATCH", "/restapis/a1b2", NULL,
               "{\"patchOperations\":[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"New\"}]}",
               apigw_update_rest_api, "a1b2",
               apigw_patch_replace(apigw_patch_new(), "/name", "New"));
    CHECK_CALL(t, "DELETE", "/restapis/a1b2", NULL, NULL, apigw_delete_rest_api, "a1b2");
}

static void model_operations(void **state) {
    fake_client *t = *state;
    CHECK_CALL(t, "POST", "/restapis/a1/models", NULL,
               "{\"name\":\"Item\",\"contentType\":\"application/json\",\"schema\":\"{}\"}",
               apigw_create_model, "a1", "Item", "application/json",
               &(apigw_model_in){.schema = "{}"});
    CHECK_CALL(t, "GET", "/restapis/a1/models/Items", "flatten=true", NULL, apigw_get_model, "a1",
               "Items", true);
    CHECK_CALL(t, "GET", "/restapis/a1/models/Items", NULL, NULL, apigw_get_model, "a1", "Items",
               false);
    CHECK_CALL(t, "GET", "/restapis/a1/models", "limit=10", NULL, apigw_get_models, "a1",
               &(apigw_page){.limit = 10});
    CHECK_CALL(t, "GET", "/restapis/a1/models/Item/default_template", NULL, NULL,
               apigw_get_model_template, "a1", "Item");
    CHECK_CALL(t, "PATCH", "/restapis/a1/models/Item", NULL,
               "{\"patchOperations\":[{\"op\":\"replace\",\"path\":\"/schema\",\"value\":\"{}\"}]}",
               apigw_update_model, "a1", "Item",
               apigw_patch_replace(apigw_patch_new(), "/schema", "{}"));
    CHECK_CALL(t, "DELETE", "/restapis/a1/models/Item", NULL, NULL, apigw_delete_model, "a1",
               "Item");
}

static void resource_operations(void **state) {
    fake_client *t = *state;
    CHECK_CALL(t, "POST", "/restapis/a1/resources/root1", NULL, "{\"pathPart\":\"{ID}\"}",
               apigw_create_resource, "a1", "root1", "{ID}");
    CHECK_CALL(t, "GET", "/restapis/a1/resources/r1", "embed=methods", NULL, apigw_get_resource,
               "a1", "r1", true);
    CHECK_CALL(t, "GET", "/restapis/a1/resources/r1", NULL, NULL, apigw_get_resource, "a1", "r1",
               false);
    CHECK_CALL(t, "GET", "/restapis/a1/resources", "position=x&limit=2&embed=methods", NULL,
               apigw_get_resources, "a1", &(apigw_page){"x", 2}, true);
    CHECK_CALL(
        t, "PATCH", "/restapis/a1/resources/r1", NULL,
        "{\"patchOperations\":[{\"op\":\"replace\",\"path\":\"/pathPart\",\"value\":\"things\"}]}",
        apigw_update_resource, "a1", "r1",
        apigw_patch_replace(apigw_patch_new(), "/pathPart", "things"));
    CHECK_CALL(t, "DELETE", "/restapis/a1/resources/r1", NULL, NULL, apigw_delete_resource, "a1",
               "r1");
}

static void get_resources_all_follows_position(void **state) {
    fake_client *t = *state;
    fake_answer(t->f,
                (canned){200, "{\"item\":[{\"id\":\"r1\"}],\"position\":\"next/1\"}", {NULL}});
    fake_answer(t->f, (canned){200, "{\"item\":[{\"id\":\"r2\"}]}", {NULL}});
    cJSON *all = NULL;
    err e;
    assert_int_equal(CLIENT_SYNC(t->cl, &all, &e, apigw_get_resources_all, "a1", true), 0);
    assert_int_equal(t->f->nreq, 2);
    assert_string_equal(t->f->req[0]->query, "limit=500&embed=methods");
    assert_string_equal(t->f->req[1]->query, "limit=500&embed=methods&position=next%2F1");
    assert_int_equal(cJSON_GetArraySize(all), 2);
    assert_string_equal(json_str(cJSON_GetArrayItem(all, 1), "id"), "r2");
    cJSON_Delete(all);
}

static void method_operations(void **state) {
    fake_client *t = *state;
    cJSON *params = cJSON_Parse("{\"method.request.path.ID\":true}");
    apigw_method_in in = {.api_key_required = true, .request_parameters = params};
    CHECK_CALL(t, "PUT", "/restapis/a1/resources/r1/methods/GET", NULL,
               "{\"authorizationType\":\"NONE\",\"apiKeyRequired\":true,"
               "\"requestParameters\":{\"method.request.path.ID\":true}}",
               apigw_put_method, "a1", "r1", "GET", "NONE", &in);
    cJSON_Delete(params);
    CHECK_CALL(t, "GET", "/restapis/a1/resources/r1/methods/GET", NULL, NULL, apigw_get_method,
               "a1", "r1", "GET");
    CHECK_CALL(t, "PATCH", "/restapis/a1/resources/r1/methods/GET", NULL,
               "{\"patchOperations\":[{\"op\":\"replace\",\"path\":\"/"
               "apiKeyRequired\",\"value\":\"true\"}]}",
               apigw_update_method, "a1", "r1", "GET",
               apigw_patch_replace(apigw_patch_new(), "/apiKeyRequired", "true"));
    CHECK_CALL(t, "DELETE", "/restapis/a1/resources/r1/methods/OPTIONS", NULL, NULL,
               apigw_delete_method, "a1", "r1", "OPTIONS");
    cJSON *vars = cJSON_Parse("{\"lambdaAlias\":\"dev\"}");
    apigw_test_invoke_in ti = {.path_with_query_string = "/items/1", .stage_variables = vars};
    CHECK_CALL(
        t, "POST", "/restapis/a1/resources/r1/methods/GET", NULL,
        "{\"pathWithQueryString\":\"/items/1\",\"stageVariables\":{\"lambdaAlias\":\"dev\"}}",
        apigw_test_invoke_method, "a1", "r1", "GET", &ti);
    cJSON_Delete(vars);
}

static void integration_operations(void **state) {
    fake_client *t = *state;
    cJSON *tmpl = cJSON_Parse("{\"application/json\":\"{\\\"ID\\\": $input.params(\\\"ID\\\")}\"}");
    apigw_integration_in in = {.http_method = "POST",
                               .uri = "arn:aws:apigateway:us-west-2:lambda:path/x",
                               .passthrough_behavior = "WHEN_NO_TEMPLATES",
                               .request_templates = tmpl,
                               .timeout_in_millis = 29000};
    /* integrationHttpMethod travels as "httpMethod". */
    CHECK_CALL(
        t, "PUT", "/restapis/a1/resources/r1/methods/GET/integration", NULL,
        "{\"type\":\"AWS\",\"httpMethod\":\"POST\",\"uri\":\"arn:aws:apigateway:us-west-2:lambda:"
        "path/x\","
        "\"passthroughBehavior\":\"WHEN_NO_TEMPLATES\",\"timeoutInMillis\":29000,"
        "\"requestTemplates\":{\"application/json\":\"{\\\"ID\\\": $input.params(\\\"ID\\\")}\"}}",
        apigw_put_integration, "a1", "r1", "GET", "AWS", &in);
    cJSON_Delete(tmpl);
    CHECK_CALL(t, "PUT", "/restapis/a1/resources/r1/methods/GET/integration", NULL,
               "{\"type\":\"MOCK\"}", apigw_put_integration, "a1", "r1", "GET", "MOCK", NULL);
    CHECK_CALL(t, "GET", "/restapis/a1/resources/r1/methods/GET/integration", NULL, NULL,
               apigw_get_integration, "a1", "r1", "GET");
    apigw_patch *p = apigw_patch_new();
    apigw_patch_replace(p, apigw_patch_path(p, "requestTemplates", "application/json", NULL), "{}");
    CHECK_CALL(t, "PATCH", "/restapis/a1/resources/r1/methods/GET/integration", NULL,
               "{\"patchOperations\":[{\"op\":\"replace\",\"path\":\"/requestTemplates/"
               "application~1json\","
               "\"value\":\"{}\"}]}",
               apigw_update_integration, "a1", "r1", "GET", p);
    CHECK_CALL(t, "DELETE", "/restapis/a1/resources/r1/methods/GET/integration", NULL, NULL,
               apigw_delete_integration, "a1", "r1", "GET");
}

static void response_operations(void **state) {
    fake_client *t = *state;
    cJSON *mp = cJSON_Parse("{\"method.response.header.Access-Control-Allow-Origin\":false}");
    cJSON *models = cJSON_Parse("{\"application/json\":\"Empty\"}");
    CHECK_CALL(
        t, "PUT", "/restapis/a1/resources/r1/methods/OPTIONS/responses/200", NULL,
        "{\"responseParameters\":{\"method.response.header.Access-Control-Allow-Origin\":false},"
        "\"responseModels\":{\"application/json\":\"Empty\"}}",
        apigw_put_method_response, "a1", "r1", "OPTIONS", "200",
        &(apigw_method_response_in){mp, models});
    CHECK_CALL(t, "GET", "/restapis/a1/resources/r1/methods/GET/responses/200", NULL, NULL,
               apigw_get_method_response, "a1", "r1", "GET", "200");
    CHECK_CALL(t, "PATCH", "/restapis/a1/resources/r1/methods/GET/responses/200", NULL,
               "{\"patchOperations\":[{\"op\":\"remove\",\"path\":\"/responseModels/"
               "application~1json\"}]}",
               apigw_update_method_response, "a1", "r1", "GET", "200",
               apigw_patch_remove(apigw_patch_new(), "/responseModels/application~1json", NULL));
    CHECK_CALL(t, "DELETE", "/restapis/a1/resources/r1/methods/GET/responses/400", NULL, NULL,
               apigw_delete_method_response, "a1", "r1", "GET", "400");
    cJSON *ip = cJSON_Parse("{\"method.response.header.Access-Control-Allow-Origin\":\"'*'\"}");
    apigw_integration_response_in in = {.selection_pattern = ".*NotFound.*",
                                        .response_parameters = ip};
    CHECK_CALL(
        t, "PUT", "/restapis/a1/resources/r1/methods/GET/integration/responses/404", NULL,
        "{\"selectionPattern\":\".*NotFound.*\","
        "\"responseParameters\":{\"method.response.header.Access-Control-Allow-Origin\":\"'*'\"}}",
        apigw_put_integration_response, "a1", "r1", "GET", "404", &in);
    CHECK_CALL(t, "PUT", "/restapis/a1/resources/r1/methods/GET/integration/responses/200", NULL,
               "{}", apigw_put_integration_response, "a1", "r1", "GET", "200", NULL);
    CHECK_CALL(t, "GET", "/restapis/a1/resources/r1/methods/GET/integration/responses/200", NULL,
               NULL, apigw_get_integration_response, "a1", "r1", "GET", "200");
    CHECK_CALL(
        t, "PATCH", "/restapis/a1/resources/r1/methods/GET/integration/responses/200", NULL,
        "{\"patchOperations\":[{\"op\":\"add\",\"path\":\"/selectionPattern\",\"value\":\"\"}]}",
        apigw_update_integration_response, "a1", "r1", "GET", "200",
        apigw_patch_add(apigw_patch_new(), "/selectionPattern", ""));
    CHECK_CALL(t, "DELETE", "/restapis/a1/resources/r1/methods/GET/integration/responses/404", NULL,
               NULL, apigw_delete_integration_response, "a1", "r1", "GET", "404");
    cJSON_Delete(mp);
    cJSON_Delete(models);
    cJSON_Delete(ip);
}

static void deployment_and_stage_operations(void **state) {
    fake_client *t = *state;
    CHECK_CALL(t, "POST", "/restapis/a1/deployments", NULL,
               "{\"stageName\":\"dev\",\"description\":\"Only mock items list\"}",
               apigw_create_deployment, "a1",
               &(apigw_deployment_in){.stage_name = "dev", .description = "Only mock items list"});
    CHECK_CALL(t, "GET", "/restapis/a1/deployments/d1", NULL, NULL, apigw_get_deployment, "a1",
               "d1");
    CHECK_CALL(t, "GET", "/restapis/a1/deployments", NULL, NULL, apigw_get_deployments, "a1", NULL);
    CHECK_CALL(
        t, "PATCH", "/restapis/a1/deployments/d1", NULL,
        "{\"patchOperations\":[{\"op\":\"replace\",\"path\":\"/description\",\"value\":\"x\"}]}",
        apigw_update_deployment, "a1", "d1",
        apigw_patch_replace(apigw_patch_new(), "/description", "x"));
    CHECK_CALL(t, "DELETE", "/restapis/a1/deployments/d1", NULL, NULL, apigw_delete_deployment,
               "a1", "d1");

    cJSON *vars = cJSON_Parse("{\"lambdaAlias\":\"prod\"}");
    CHECK_CALL(t, "POST", "/restapis/a1/stages", NULL,
               "{\"stageName\":\"prod\",\"deploymentId\":\"d1\",\"cacheClusterEnabled\":true,"
               "\"cacheClusterSize\":\"0.5\",\"variables\":{\"lambdaAlias\":\"prod\"}}",
               apigw_create_stage, "a1", "prod", "d1",
               &(apigw_stage_in){
                   .cache_cluster_enabled = true, .cache_cluster_size = "0.5", .variables = vars});
    cJSON_Delete(vars);
    CHECK_CALL(t, "GET", "/restapis/a1/stages/prod", NULL, NULL, apigw_get_stage, "a1", "prod");
    CHECK_CALL(t, "GET", "/restapis/a1/stages", NULL, NULL, apigw_get_stages, "a1", NULL);
    CHECK_CALL(t, "GET", "/restapis/a1/stages", "deploymentId=d1", NULL, apigw_get_stages, "a1",
               "d1");
    apigw_patch *p = apigw_patch_new();
    apigw_patch_replace(p, "/variables/lambdaAlias", "dev");
    apigw_patch_replace(p, apigw_patch_path(p, "*", "*", "throttling", "rateLimit", NULL), "10000");
    CHECK_CALL(t, "PATCH", "/restapis/a1/stages/dev", NULL,
               "{\"patchOperations\":[{\"op\":\"replace\",\"path\":\"/variables/"
               "lambdaAlias\",\"value\":\"dev\"},"
               "{\"op\":\"replace\",\"path\":\"/*/*/throttling/rateLimit\",\"value\":\"10000\"}]}",
               apigw_update_stage, "a1", "dev", p);
    CHECK_CALL(t, "DELETE", "/restapis/a1/stages/dev", NULL, NULL, apigw_delete_stage, "a1", "dev");
    CHECK_CALL(t, "DELETE", "/restapis/a1/stages/prod/cache/data", NULL, NULL,
               apigw_flush_stage_cache, "a1", "prod");
}

static void usage_plan_operations(void **state) {
    fake_client *t = *state;
    apigw_api_stage stages[] = {{"a1", "dev"}, {"a1", "prod"}};
    apigw_usage_plan_in in = {.description = "Cloud Academy Lab Plan",
                              .api_stages = stages,
                              .n_api_stages = 2,
                              .throttle = &(apigw_throttle){.rate_limit = 10.5, .burst_limit = 20},
                              .quota = &(apigw_quota){.limit = 1000, .period = "DAY"}};
    CHECK_CALL(t, "POST", "/usageplans", NULL,
               "{\"name\":\"CloudAcademyPlan\",\"description\":\"Cloud Academy Lab Plan\","
               "\"apiStages\":[{\"apiId\":\"a1\",\"stage\":\"dev\"},{\"apiId\":\"a1\",\"stage\":"
               "\"prod\"}],"
               "\"throttle\":{\"burstLimit\":20,\"rateLimit\":10.5},"
               "\"quota\":{\"limit\":1000,\"offset\":0,\"period\":\"DAY\"}}",
               apigw_create_usage_plan, "CloudAcademyPlan", &in);
    CHECK_CALL(t, "GET", "/usageplans/u1", NULL, NULL, apigw_get_usage_plan, "u1");
    CHECK_CALL(t, "GET", "/usageplans", "keyId=k1", NULL, apigw_get_usage_plans, NULL, "k1");
    CHECK_CALL(
        t, "PATCH", "/usageplans/u1", NULL,
        "{\"patchOperations\":[{\"op\":\"add\",\"path\":\"/apiStages\",\"value\":\"a1:dev\"}]}",
        apigw_update_usage_plan, "u1", apigw_patch_add(apigw_patch_new(), "/apiStages", "a1:dev"));
    CHECK_CALL(t, "DELETE", "/usageplans/u1", NULL, NULL, apigw_delete_usage_plan, "u1");

    CHECK_CALL(t, "POST", "/usageplans/u1/keys", NULL, "{\"keyId\":\"k1\",\"keyType\":\"API_KEY\"}",
               apigw_create_usage_plan_key, "u1", "k1", "API_KEY");
    CHECK_CALL(t, "GET", "/usageplans/u1/keys/k1", NULL, NULL, apigw_get_usage_plan_key, "u1",
               "k1");
    CHECK_CALL(t, "GET", "/usageplans/u1/keys", "name=Lab", NULL, apigw_get_usage_plan_keys, "u1",
               NULL, "Lab");
    CHECK_CALL(t, "DELETE", "/usageplans/u1/keys/k1", NULL, NULL, apigw_delete_usage_plan_key, "u1",
               "k1");

    CHECK_CALL(t, "GET", "/usageplans/u1/usage", "startDate=2026-11-01&endDate=2026-11-30&keyId=k1",
               NULL, apigw_get_usage, "u1", "2026-11-01", "2026-11-30",
               &(apigw_usage_in){.key_id = "k1"});
    CHECK_CALL(
        t, "PATCH", "/usageplans/u1/keys/k1/usage", NULL,
        "{\"patchOperations\":[{\"op\":\"replace\",\"path\":\"/remaining\",\"value\":\"50\"}]}",
        apigw_update_usage, "u1", "k1", apigw_patch_replace(apigw_patch_new(), "/remaining", "50"));
}

static void api_key_operations(void **state) {
    fake_client *t = *state;
    CHECK_CALL(t, "POST", "/apikeys", NULL,
               "{\"name\":\"LabKey\",\"description\":\"Cloud Academy Lab Key\",\"enabled\":true}",
               apigw_create_api_key,
               &(apigw_api_key_in){
                   .name = "LabKey", .description = "Cloud Academy Lab Key", .enabled = true});
    CHECK_CALL(t, "GET", "/apikeys/k1", "includeValue=true", NULL, apigw_get_api_key, "k1", true);
    CHECK_CALL(t, "GET", "/apikeys/k1", NULL, NULL, apigw_get_api_key, "k1", false);
    CHECK_CALL(
        t, "GET", "/apikeys", "limit=500&name=Lab%20Key&includeValues=true", NULL,
        apigw_get_api_keys,
        &(apigw_api_keys_in){.page.limit = 500, .name_query = "Lab Key", .include_values = true});
    CHECK_CALL(t, "GET", "/apikeys", NULL, NULL, apigw_get_api_keys, NULL);
    CHECK_CALL(
        t, "PATCH", "/apikeys/k1", NULL,
        "{\"patchOperations\":[{\"op\":\"replace\",\"path\":\"/enabled\",\"value\":\"false\"}]}",
        apigw_update_api_key, "k1", apigw_patch_replace(apigw_patch_new(), "/enabled", "false"));
    CHECK_CALL(t, "DELETE", "/apikeys/k1", NULL, NULL, apigw_delete_api_key, "k1");
}

static void path_labels_are_percent_encoded(void **state) {
    fake_client *t = *state;
    CHECK_CALL(t, "GET", "/restapis/a1/models/My%20Model", NULL, NULL, apigw_get_model, "a1",
               "My Model", false);
    http_request *r = fake_last_request(t->f);
    assert_string_equal(http_headers_get(&r->headers, "Accept"), "application/json");
    assert_string_equal(r->service, "apigateway");
    assert_string_equal(r->region, "us-west-2");
}

static void patch_paths_escape_slash_and_tilde(void **state) {
    apigw_patch *p = apigw_patch_new();
    assert_string_equal(apigw_patch_path(p, "/items/{ID}", "GET", "caching", "enabled", NULL),
                        "/~1items~1{ID}/GET/caching/enabled");
    assert_string_equal(apigw_patch_path(p, "a~b/c", NULL), "/a~0b~1c");
    assert_string_equal(apigw_patch_path(p, "*", "*", "throttling", "burstLimit", NULL),
                        "/*/*/throttling/burstLimit");
    apigw_patch_copy(p, "/canarySettings/deploymentId", "/deploymentId");
    apigw_patch_remove(p, "/apiStages", "a1:dev");
    cJSON *want = cJSON_Parse(
        "[{\"op\":\"copy\",\"path\":\"/deploymentId\",\"from\":\"/canarySettings/deploymentId\"},"
        "{\"op\":\"remove\",\"path\":\"/apiStages\",\"value\":\"a1:dev\"}]");
    assert_true(cJSON_Compare(want, apigw_patch_ops(p), true));
    cJSON_Delete(want);
    apigw_patch_free(p);
}

static void arn_helpers(void **state) {
    char *uri = apigw_lambda_uri("us-west-2", "arn:aws:lambda:us-west-2:123456789012:function:"
                                              "ItemsFunction:${stageVariables.lambdaAlias}");
    assert_string_equal(uri, "arn:aws:apigateway:us-west-2:lambda:path/2015-03-31/functions/"
                             "arn:aws:lambda:us-west-2:123456789012:function:ItemsFunction:"
                             "${stageVariables.lambdaAlias}/invocations");
    free(uri);
    char *arn = apigw_source_arn("us-west-2", "123456789012", "a1b2", NULL, "GET", "/items/{ID}");
    assert_string_equal(arn, "arn:aws:execute-api:us-west-2:123456789012:a1b2/*/GET/items/{ID}");
    free(arn);
    arn = apigw_source_arn("us-west-2", "123456789012", "a1b2", "prod", NULL, NULL);
    assert_string_equal(arn, "arn:aws:execute-api:us-west-2:123456789012:a1b2/prod/*/*");
    free(arn);
}

static void errors_carry_type_and_message(void **state) {
    fake_client *t = *state;
    fake_answer(
        t->f,
        (canned){404,
                 "{\"message\":\"Invalid API identifier specified 123456789012:nope\"}",
                 {"x-amzn-ErrorType", "NotFoundException:http://internal.amazon.com/coral/"}});
    cJSON *out = (cJSON *)1;
    err e;
    assert_int_equal(CLIENT_SYNC(t->cl, &out, &e, apigw_get_rest_api, "nope"), -1);
    assert_int_equal(e.status, 404);
    assert_string_equal(e.code, "NotFoundException");
    assert_string_equal(e.msg, "Invalid API identifier specified 123456789012:nope");
}

typedef struct seen {
    int calls;
    char id[16];
} seen;

static void on_done(void *ud, const cJSON *result, const err *e) {
    seen *s = ud;
    s->calls++;
    snprintf(s->id, sizeof s->id, "%s", e ? "error" : json_str_or(result, "id", "?"));
}

static void calls_complete_asynchronously_and_return_ud(void **state) {
    fake_client *t = *state;
    fake_answer(t->f, (canned){201, "{\"id\":\"api1\"}", {NULL}});
    seen s = {0};
    assert_ptr_equal(apigw_create_rest_api(t->cl, "A", NULL, on_done, &s), &s);
    assert_int_equal(s.calls, 0); /* nothing runs inside submit */
    assert_int_equal(transport_process(client_transport(t->cl)), 1);
    assert_int_equal(s.calls, 1);
    assert_string_equal(s.id, "api1");
}

int main(void) {
#define T_(f) cmocka_unit_test_setup_teardown(f, fake_client_setup, fake_client_teardown)
    const struct CMUnitTest tests[] = {
        T_(rest_api_operations),
        T_(model_operations),
        T_(resource_operations),
        T_(get_resources_all_follows_position),
        T_(method_operations),
        T_(integration_operations),
        T_(response_operations),
        T_(deployment_and_stage_operations),
        T_(usage_plan_operations),
        T_(api_key_operations),
        T_(path_labels_are_percent_encoded),
        cmocka_unit_test(patch_paths_escape_slash_and_tilde),
        cmocka_unit_test(arn_helpers),
        T_(errors_carry_type_and_message),
        T_(calls_complete_asynchronously_and_return_ud),
    };
    return cmocka_run_group_tests_name("client_apigw", tests, NULL, NULL);
}
