/* Typed Lambda operations: each sends the verb, path, query, headers and
 * body the service model prescribes, and Invoke reports what Lambda's
 * response headers say. A fake transport records every request and answers
 * with canned responses. */
#include "fake_transport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/lambda.h"
#include "core/json.h"

/* 7 bytes of a package; base64 "UEsDBHppcA==". */
static const char zip[] = "PK\x03\x04zip";

static void function_operations(void **state) {
    fake_client *t = *state;
    cJSON *env = cJSON_Parse("{\"STAGE\":\"lab\"}");
    lambda_function_in in = {.runtime = "python3.13",
                             .handler = "lambda_function.lambda_handler",
                             .timeout = 30,
                             .environment = env,
                             .publish = true};
    CHECK_CALL(t, "POST", "/2015-03-31/functions", NULL,
               "{\"FunctionName\":\"ItemsFunction\",\"Role\":\"arn:aws:iam::123456789012:role/"
               "lambda_basic_execution\","
               "\"Code\":{\"ZipFile\":\"UEsDBHppcA==\"},\"Runtime\":\"python3.13\","
               "\"Handler\":\"lambda_function.lambda_handler\",\"Timeout\":30,"
               "\"Environment\":{\"Variables\":{\"STAGE\":\"lab\"}},\"Publish\":true}",
               lambda_create_function, "ItemsFunction",
               "arn:aws:iam::123456789012:role/lambda_basic_execution", zip, sizeof zip - 1, &in);
    CHECK_CALL(t, "GET", "/2015-03-31/functions/ItemsFunction", "Qualifier=prod", NULL,
               lambda_get_function, "ItemsFunction", "prod");
    CHECK_CALL(t, "GET", "/2015-03-31/functions/ItemsFunction", NULL, NULL, lambda_get_function,
               "ItemsFunction", NULL);
    CHECK_CALL(t, "GET", "/2015-03-31/functions/ItemsFunction/configuration", "Qualifier=%24LATEST",
               NULL, lambda_get_function_configuration, "ItemsFunction", "$LATEST");
    CHECK_CALL(t, "GET", "/2015-03-31/functions", "FunctionVersion=ALL&Marker=m%3D1&MaxItems=50",
               NULL, lambda_list_functions, &(lambda_page){"m=1", 50}, true);
    CHECK_CALL(t, "GET", "/2015-03-31/functions", NULL, NULL, lambda_list_functions, NULL, false);
    CHECK_CALL(t, "DELETE", "/2015-03-31/functions/ItemsFunction", "Qualifier=1", NULL,
               lambda_delete_function, "ItemsFunction", "1");
    CHECK_CALL(t, "PUT", "/2015-03-31/functions/ItemsFunction/code", NULL,
               "{\"ZipFile\":\"UEsDBHppcA==\",\"Publish\":true,\"RevisionId\":\"r1\"}",
               lambda_update_function_code, "ItemsFunction", zip, sizeof zip - 1,
               &(lambda_code_in){.publish = true, .revision_id = "r1"});
    CHECK_CALL(t, "PUT", "/2015-03-31/functions/ItemsFunction/configuration", NULL,
               "{\"Role\":\"arn:aws:iam::1:role/r\",\"MemorySize\":256,\"Description\":\"d\","
               "\"Environment\":{\"Variables\":{\"STAGE\":\"lab\"}}}",
               lambda_update_function_configuration, "ItemsFunction",
               &(lambda_function_in){.role = "arn:aws:iam::1:role/r",
                                     .memory_size = 256,
                                     .description = "d",
                                     .environment = env});
    cJSON_Delete(env);
}

static void version_and_alias_operations(void **state) {
    fake_client *t = *state;
    CHECK_CALL(t, "POST", "/2015-03-31/functions/ItemsFunction/versions", NULL, "{}",
               lambda_publish_version, "ItemsFunction", NULL);
    CHECK_CALL(t, "POST", "/2015-03-31/functions/ItemsFunction/versions", NULL,
               "{\"CodeSha256\":\"abc=\",\"Description\":\"first\"}", lambda_publish_version,
               "ItemsFunction",
               &(lambda_publish_in){.code_sha256 = "abc=", .description = "first"});
    CHECK_CALL(t, "GET", "/2015-03-31/functions/ItemsFunction/versions", "MaxItems=10", NULL,
               lambda_list_versions_by_function, "ItemsFunction", &(lambda_page){.max_items = 10});

    CHECK_CALL(
        t, "POST", "/2015-03-31/functions/ItemsFunction/aliases", NULL,
        "{\"Name\":\"dev\",\"FunctionVersion\":\"$LATEST\",\"Description\":\"Development alias\"}",
        lambda_create_alias, "ItemsFunction", "dev", "$LATEST",
        &(lambda_alias_in){.description = "Development alias"});
    CHECK_CALL(t, "GET", "/2015-03-31/functions/ItemsFunction/aliases/prod", NULL, NULL,
               lambda_get_alias, "ItemsFunction", "prod");
    CHECK_CALL(t, "GET", "/2015-03-31/functions/ItemsFunction/aliases", "FunctionVersion=1", NULL,
               lambda_list_aliases, "ItemsFunction", "1", NULL);
    cJSON *w = cJSON_Parse("{\"2\":0.1}");
    CHECK_CALL(
        t, "PUT", "/2015-03-31/functions/ItemsFunction/aliases/prod", NULL,
        "{\"FunctionVersion\":\"1\",\"RoutingConfig\":{\"AdditionalVersionWeights\":{\"2\":0.1}}}",
        lambda_update_alias, "ItemsFunction", "prod",
        &(lambda_alias_in){.function_version = "1", .weights = w});
    cJSON_Delete(w);
    CHECK_CALL(t, "DELETE", "/2015-03-31/functions/ItemsFunction/aliases/dev", NULL, NULL,
               lambda_delete_alias, "ItemsFunction", "dev");
}

static void policy_operations(void **state) {
    fake_client *t = *state;
    lambda_permission_in in = {.qualifier = "prod",
                               .source_arn =
                                   "arn:aws:execute-api:us-west-2:123456789012:a1b2/*/GET/items"};
    CHECK_CALL(t, "POST", "/2015-03-31/functions/ItemsFunction/policy", "Qualifier=prod",
               "{\"StatementId\":\"apigw-items\",\"Action\":\"lambda:InvokeFunction\","
               "\"Principal\":\"apigateway.amazonaws.com\","
               "\"SourceArn\":\"arn:aws:execute-api:us-west-2:123456789012:a1b2/*/GET/items\"}",
               lambda_add_permission, "ItemsFunction", "apigw-items", "lambda:InvokeFunction",
               "apigateway.amazonaws.com", &in);
    CHECK_CALL(t, "GET", "/2015-03-31/functions/ItemsFunction/policy", "Qualifier=prod", NULL,
               lambda_get_policy, "ItemsFunction", "prod");
    CHECK_CALL(t, "DELETE", "/2015-03-31/functions/ItemsFunction/policy/apigw-items",
               "Qualifier=prod&RevisionId=r2", NULL, lambda_remove_permission, "ItemsFunction",
               "apigw-items", "prod", "r2");
    CHECK_CALL(t, "DELETE", "/2015-03-31/functions/ItemsFunction/policy/apigw-items", NULL, NULL,
               lambda_remove_permission, "ItemsFunction", "apigw-items", NULL, NULL);
}

static void invoke_sends_raw_payload_and_headers(void **state) {
    fake_client *t = *state;
    fake_answer(t->f,
                (canned){200,
                         "{\"ID\": 1, \"name\": \"Pen\", \"price\": 2.5}",
                         {"X-Amz-Executed-Version", "1", "X-Amz-Log-Result", "U1RBUlQ=", NULL}});
    cJSON *out = NULL;
    err e;
    const char ev[] = "{\"ID\": 1}";
    assert_int_equal(CLIENT_SYNC(t->cl, &out, &e, lambda_invoke, "ItemsFunction", ev, sizeof ev - 1,
                                 &(lambda_invoke_in){.qualifier = "prod", .log_type = "Tail"}),
                     0);
    http_request *r = fake_last_request(t->f);
    assert_string_equal(r->method, "POST");
    assert_string_equal(r->path, "/2015-03-31/functions/ItemsFunction/invocations");
    assert_string_equal(r->query, "Qualifier=prod");
    assert_string_equal(r->service, "lambda");
    assert_string_equal(http_headers_get(&r->headers, "X-Amz-Log-Type"), "Tail");
    assert_null(http_headers_get(&r->headers, "X-Amz-Invocation-Type"));
    assert_int_equal(r->body_len, sizeof ev - 1);
    assert_memory_equal(r->body, ev, sizeof ev - 1);

    assert_int_equal(json_num_or(out, "StatusCode", 0), 200);
    assert_string_equal(json_str(out, "Payload"), "{\"ID\": 1, \"name\": \"Pen\", \"price\": 2.5}");
    assert_string_equal(json_str(out, "ExecutedVersion"), "1");
    assert_string_equal(json_str(out, "LogResult"), "U1RBUlQ=");
    assert_false(json_has(out, "FunctionError"));
    cJSON_Delete(out);
}

static void invoke_reports_function_errors_as_results(void **state) {
    fake_client *t = *state;
    fake_answer(
        t->f,
        (canned){200,
                 "{\"errorMessage\": \"NotFoundError\", \"errorType\": \"Exception\"}",
                 {"X-Amz-Function-Error", "Unhandled", "X-Amz-Executed-Version", "$LATEST", NULL}});
    cJSON *out = NULL;
    err e;
    assert_int_equal(CLIENT_SYNC(t->cl, &out, &e, lambda_invoke, "ItemsFunction", "{\"ID\": 5}", 9,
                                 &(lambda_invoke_in){.invocation_type = "RequestResponse"}),
                     0);
    http_request *r = fake_last_request(t->f);
    assert_null(r->query);
    assert_string_equal(http_headers_get(&r->headers, "X-Amz-Invocation-Type"), "RequestResponse");
    assert_string_equal(json_str(out, "FunctionError"), "Unhandled");
    assert_string_equal(json_str(out, "ExecutedVersion"), "$LATEST");
    cJSON *payload = cJSON_Parse(json_str(out, "Payload"));
    assert_string_equal(json_str(payload, "errorMessage"), "NotFoundError");
    cJSON_Delete(payload);
    cJSON_Delete(out);
}

static void invoke_service_errors_fail_the_call(void **state) {
    fake_client *t = *state;
    fake_answer(t->f, (canned){404,
                               "{\"Type\":\"User\",\"Message\":\"Function not found: "
                               "arn:aws:lambda:us-west-2:123456789012:function:Nope\"}",
                               {"x-amzn-ErrorType", "ResourceNotFoundException", NULL}});
    cJSON *out = NULL;
    err e;
    assert_int_equal(CLIENT_SYNC(t->cl, &out, &e, lambda_invoke, "Nope", NULL, 0, NULL), -1);
    assert_null(out);
    assert_int_equal(e.status, 404);
    assert_string_equal(e.code, "ResourceNotFoundException");
    assert_string_equal(e.msg,
                        "Function not found: arn:aws:lambda:us-west-2:123456789012:function:Nope");
    assert_int_equal(fake_last_request(t->f)->body_len, 0);
}

static void service_errors_carry_type_and_message(void **state) {
    fake_client *t = *state;
    fake_answer(t->f, (canned){409,
                               "{\"Type\":\"User\",\"Message\":\"Alias already exists: dev\"}",
                               {"x-amzn-ErrorType", "ResourceConflictException", NULL}});
    err e;
    assert_int_equal(CLIENT_SYNC(t->cl, NULL, &e, lambda_create_alias, "F", "dev", "1", NULL), -1);
    assert_int_equal(e.status, 409);
    assert_string_equal(e.code, "ResourceConflictException");
    assert_string_equal(e.msg, "Alias already exists: dev");
}

static void function_arns(void **state) {
    char *a = lambda_function_arn("us-west-2", "123456789012", "ItemsFunction", NULL);
    assert_string_equal(a, "arn:aws:lambda:us-west-2:123456789012:function:ItemsFunction");
    free(a);
    a = lambda_function_arn("us-west-2", "123456789012", "ItemsFunction",
                            "${stageVariables.lambdaAlias}");
    assert_string_equal(a, "arn:aws:lambda:us-west-2:123456789012:function:ItemsFunction:"
                           "${stageVariables.lambdaAlias}");
    free(a);
}

static void names_with_qualifiers_are_encoded_in_the_path(void **state) {
    fake_client *t = *state;
    CHECK_CALL(t, "GET", "/2015-03-31/functions/ItemsFunction%3Adev/policy", NULL, NULL,
               lambda_get_policy, "ItemsFunction:dev", NULL);
}

int main(void) {
#define T_(f) cmocka_unit_test_setup_teardown(f, fake_client_setup, fake_client_teardown)
    const struct CMUnitTest tests[] = {
        T_(function_operations),
        T_(version_and_alias_operations),
        T_(policy_operations),
        T_(invoke_sends_raw_payload_and_headers),
        T_(invoke_reports_function_errors_as_results),
        T_(invoke_service_errors_fail_the_call),
        T_(service_errors_carry_type_and_message),
        cmocka_unit_test(function_arns),
        T_(names_with_qualifiers_are_encoded_in_the_path),
    };
    return cmocka_run_group_tests_name("client_lambda", tests, NULL, NULL);
}
