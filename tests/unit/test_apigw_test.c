/* TestInvokeMethod in the emulator: the console's Test button. It runs the
 * method's current configuration (not a deployment) with the given path,
 * query, headers, body and stage variables, skips API keys, throttling,
 * quotas and the cache, and answers {status, body, headers,
 * multiValueHeaders, log, latency} with API Gateway's execution log. The
 * lab's mock templates need the template engine, its Lambda cases the
 * local runtime. */
#include "test_gateway_kit.h"

#include "lab.h"

/* TestInvokeMethod; returns the answer (caller frees). */
static cJSON *test_invoke(fixture *fx, const char *api, const char *rid, const char *verb,
                          const char *body) {
    return kit_call(fx, 200, "POST", body ? body : "{}", "/restapis/%s/resources/%s/methods/%s",
                    api, rid, verb);
}

static const char *log_of(const cJSON *t) { return json_str_or(t, "log", ""); }

static bool has(const cJSON *t, const char *s) {
    bool ok = strstr(log_of(t), s) != NULL;
    if (!ok) fprintf(stderr, "log lacks \"%s\":\n%s\n", s, log_of(t));
    return ok;
}

/* The lab's step 22: /items/{ID} tested with ID 1, then blank. */
static void lab_mock_item(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    kit_items a = kit_items_api(fx, LAB_ITEMS_TEMPLATE, LAB_ITEM_TEMPLATE, NULL);
    cJSON *t = test_invoke(fx, a.api, a.item, "GET", "{\"pathWithQueryString\":\"/items/1\"}");
    assert_int_equal((int)json_num_or(t, "status", 0), 200);
    cJSON *b = cJSON_Parse(json_str_or(t, "body", ""));
    assert_non_null(b);
    assert_int_equal((int)json_num_or(b, "ID", 0), 1);
    assert_string_equal(json_str(b, "name"), "foo1");
    assert_true(json_num_or(b, "price", 0) == 1.5);
    cJSON_Delete(b);
    const cJSON *h = json_obj(t, "headers");
    assert_int_equal(cJSON_GetArraySize(h), 1);
    assert_string_equal(json_str(h, "Content-Type"), "application/json");
    const cJSON *mv = json_arr(json_obj(t, "multiValueHeaders"), "Content-Type");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetArrayItem(mv, 0)), "application/json");
    assert_true(cJSON_IsNumber(cJSON_GetObjectItem(t, "latency")));
    assert_true(has(t, "Execution log for request "));
    assert_true(has(t, " : Starting execution for request: "));
    assert_true(has(t, " : HTTP Method: GET, Resource Path: /items/1\n"));
    assert_true(has(t, " : Method request path: {ID=1}\n"));
    assert_true(has(t, " : Method request query string: {}\n"));
    assert_true(has(t, " : Method response headers: {Content-Type=application/json}\n"));
    assert_true(has(t, " : Successfully completed execution\n"));
    assert_true(has(t, " : Method completed with status: 200\n"));
    /* the fixture's clock, as Java prints a Date */
    assert_true(has(t, "Mon Nov 30 00:00:00 UTC 2026 : Starting execution"));
    cJSON_Delete(t);
    /* a blank ID: Integer.parseInt("") throws, the answer is a 500 */
    t = test_invoke(fx, a.api, a.item, "GET", "{\"pathWithQueryString\":\"/items/\"}");
    assert_int_equal((int)json_num_or(t, "status", 0), 500);
    assert_string_equal(json_str(t, "body"), "{\"message\": \"Internal server error\"}");
    assert_true(has(t, "Method request path: {ID=}"));
    assert_true(has(t, "Method completed with status: 500"));
    cJSON_Delete(t);
    /* the list */
    t = test_invoke(fx, a.api, a.items, "GET", NULL);
    assert_int_equal((int)json_num_or(t, "status", 0), 200);
    b = cJSON_Parse(json_str_or(t, "body", ""));
    assert_int_equal(cJSON_GetArraySize(b), 3);
    cJSON_Delete(b);
    assert_true(has(t, "HTTP Method: GET, Resource Path: /items\n"));
    cJSON_Delete(t);
    kit_items_free(&a);
    fixture_free(fx);
}

/* The live configuration serves, deployed or not; no key is asked. */
static void runs_current_configuration_without_checks(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    char *root, *api = kit_api(fx, &root);
    char *rid = kit_resource(fx, api, root, "v");
    kit_mock(fx, api, rid, "GET", "\"apiKeyRequired\":true", "one");
    free(kit_deploy(fx, api, "dev"));
    kit_integration_response(fx, api, rid, "GET", "200",
                             "{\"responseTemplates\":{\"application/json\":\"two\"}}");
    cJSON *t = test_invoke(fx, api, rid, "GET",
                           "{\"pathWithQueryString\":\"/v?a=1&a=2&b=x%20y\",\"headers\":"
                           "{\"h1\":\"v1\"},\"multiValueHeaders\":{\"h2\":[\"a\",\"b\"]},"
                           "\"body\":\"payload\"}");
    assert_int_equal((int)json_num_or(t, "status", 0), 200);
    assert_string_equal(json_str(t, "body"), "two");
    assert_true(has(t, "Method request query string: {a=2, b=x y}"));
    assert_true(has(t, "Method request headers: {h2=b, h1=v1}"));
    assert_true(has(t, "Method request body before transformations: payload\n"));
    cJSON_Delete(t);
    /* no quota or throttle applies either: many calls in the same instant */
    kit_patch_stage(
        fx, api, "dev",
        "[{\"op\":\"replace\",\"path\":\"/*/*/throttling/burstLimit\",\"value\":\"0\"}]");
    for (int i = 0; i < 5; i++) {
        t = test_invoke(fx, api, rid, "GET", NULL);
        assert_int_equal((int)json_num_or(t, "status", 0), 200);
        cJSON_Delete(t);
    }
    free(rid);
    free(root);
    free(api);
    fixture_free(fx);
}

static void unknown_targets(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    kit_items a = kit_items_api(fx, "[]", "{}", NULL);
    assert_int_equal(
        fx_callf(fx, NULL, "POST", "{}", "/restapis/%s/resources/nope/methods/GET", a.api), 404);
    assert_apigw_message(fx, 404, "NotFoundException", "Invalid Resource identifier specified");
    assert_int_equal(
        fx_callf(fx, NULL, "POST", "{}", "/restapis/%s/resources/%s/methods/PUT", a.api, a.items),
        404);
    assert_apigw_message(fx, 404, "NotFoundException", "Invalid Method identifier specified");
    /* a method without an integration runs into a 500 */
    kit_method(fx, a.api, a.items, "POST", NULL);
    cJSON *t = test_invoke(fx, a.api, a.items, "POST", NULL);
    assert_int_equal((int)json_num_or(t, "status", 0), 500);
    assert_true(has(t, "No integration defined for method"));
    cJSON_Delete(t);
    kit_items_free(&a);
    fixture_free(fx);
}

/* The stage variables of the request reach the integration URI, and the
 * source ARN names the test stage. */
static void stage_variables_and_test_stage(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    char *b64 =
        zip_one_base64("lambda_function.py",
                       "def lambda_handler(event, context):\n    return event\n", NULL, NULL);
    char *fn = lab_function_body("ItemsFunction", b64, NULL);
    cJSON_Delete(kit_call(fx, 201, "POST", fn, "/2015-03-31/functions"));
    cJSON_Delete(kit_call(fx, 201, "POST", "{\"Name\":\"dev\",\"FunctionVersion\":\"$LATEST\"}",
                          "/2015-03-31/functions/ItemsFunction/aliases"));
    char *root, *api = kit_api(fx, &root);
    char *rid = kit_resource(fx, api, root, "items");
    kit_method(fx, api, rid, "GET", NULL);
    kit_integration(
        fx, api, rid, "GET",
        "{\"type\":\"AWS\",\"httpMethod\":\"POST\",\"uri\":\"arn:aws:apigateway:"
        "us-west-2:lambda:path/2015-03-31/functions/arn:aws:lambda:us-west-2:" KIT_ACCOUNT
        ":function:ItemsFunction:${stageVariables.lambdaAlias}/"
        "invocations\"}");
    kit_method_response(fx, api, rid, "GET", "200", NULL);
    kit_integration_response(fx, api, rid, "GET", "200", NULL);
    /* no permission yet: 500, and the log says why */
    const char *req = "{\"stageVariables\":{\"lambdaAlias\":\"dev\"}}";
    cJSON *t = test_invoke(fx, api, rid, "GET", req);
    assert_int_equal((int)json_num_or(t, "status", 0), 500);
    assert_string_equal(json_str(t, "body"), "{\"message\": \"Internal server error\"}");
    assert_true(has(t, "Endpoint request URI: https://lambda.us-west-2.amazonaws.com/2015-03-31/"
                       "functions/arn:aws:lambda:us-west-2:" KIT_ACCOUNT
                       ":function:ItemsFunction:dev/invocations"));
    assert_true(has(t, "/test-invoke-stage/GET/items"));
    assert_true(has(t, "Execution failed due to configuration error: Invalid permissions on Lambda "
                       "function"));
    cJSON_Delete(t);
    /* the permission the console would add for the alias */
    char *perm = xasprintf("{\"StatementId\":\"apigw\",\"Action\":\"lambda:InvokeFunction\","
                           "\"Principal\":\"apigateway.amazonaws.com\",\"SourceArn\":"
                           "\"arn:aws:execute-api:us-west-2:" KIT_ACCOUNT ":%s/*/GET/items\"}",
                           api);
    cJSON_Delete(kit_call(fx, 201, "POST", perm,
                          "/2015-03-31/functions/ItemsFunction/policy?Qualifier=dev"));
    t = test_invoke(fx, api, rid, "GET",
                    "{\"stageVariables\":{\"lambdaAlias\":\"dev\"},"
                    "\"body\":\"{\\\"ID\\\": 3}\"}");
    assert_int_equal((int)json_num_or(t, "status", 0), 200);
    cJSON *b = cJSON_Parse(json_str_or(t, "body", ""));
    assert_int_equal((int)json_num_or(b, "ID", 0), 3);
    cJSON_Delete(b);
    assert_true(has(t, "X-Amz-Executed-Version=$LATEST"));
    assert_non_null(json_str(json_obj(t, "headers"), "X-Amzn-Trace-Id"));
    cJSON_Delete(t);
    free(perm);
    free(rid);
    free(root);
    free(api);
    free(fn);
    free(b64);
    fixture_free(fx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lab_mock_item),
        cmocka_unit_test(runs_current_configuration_without_checks),
        cmocka_unit_test(unknown_targets),
        cmocka_unit_test(stage_variables_and_test_stage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
