/* The operation table: routing requests to operations and building paths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "aws/ops.h"

static aws_op route(aws_service s, const char *verb, const char *path, const char *query) {
    aws_route_match m;
    if (!aws_route(s, verb, path, query, &m, NULL)) return OP__COUNT;
    aws_route_match_free(&m);
    return m.op;
}

static void routes_apigw_paths(void **state) {
    assert_int_equal(route(SVC_APIGW, "POST", "/restapis", NULL), APIGW_CreateRestApi);
    assert_int_equal(route(SVC_APIGW, "GET", "/restapis", NULL), APIGW_GetRestApis);
    assert_int_equal(route(SVC_APIGW, "GET", "/restapis/abc/resources", "embed=methods"),
                     APIGW_GetResources);
    assert_int_equal(route(SVC_APIGW, "PUT", "/restapis/abc/resources/r1/methods/GET/integration",
                           NULL),
                     APIGW_PutIntegration);
    assert_int_equal(route(SVC_APIGW, "PUT",
                           "/restapis/abc/resources/r1/methods/GET/integration/responses/200", NULL),
                     APIGW_PutIntegrationResponse);
    assert_int_equal(route(SVC_APIGW, "PATCH", "/restapis/abc/stages/dev", NULL), APIGW_UpdateStage);
    assert_int_equal(route(SVC_APIGW, "DELETE", "/restapis/abc/stages/dev/cache/data", NULL),
                     APIGW_FlushStageCache);
    assert_int_equal(route(SVC_APIGW, "POST", "/usageplans/p1/keys", NULL), APIGW_CreateUsagePlanKey);
    assert_int_equal(route(SVC_APIGW, "GET", "/usageplans/p1/usage", "startDate=a&endDate=b"),
                     APIGW_GetUsage);
}

static void query_conditions_pick_the_operation(void **state) {
    /* POST /apikeys is CreateApiKey; with ?mode=import it is ImportApiKeys. */
    assert_int_equal(route(SVC_APIGW, "POST", "/apikeys", NULL), APIGW_CreateApiKey);
    assert_int_equal(route(SVC_APIGW, "POST", "/apikeys", "mode=import&format=csv"),
                     APIGW_ImportApiKeys);
    assert_int_equal(route(SVC_APIGW, "POST", "/restapis", "mode=import"), APIGW_ImportRestApi);
}

static void routes_lambda_paths_and_decodes_labels(void **state) {
    aws_route_match m;
    assert_true(aws_route(SVC_LAMBDA, "GET",
                          "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-west-2%3A123456789012%3Afunction%3AItemsFunction/configuration",
                          "Qualifier=dev", &m, NULL));
    assert_int_equal(m.op, LAMBDA_GetFunctionConfiguration);
    assert_int_equal(m.nparams, 1);
    assert_string_equal(m.params[0], "arn:aws:lambda:us-west-2:123456789012:function:ItemsFunction");
    aws_route_match_free(&m);
    assert_int_equal(route(SVC_LAMBDA, "GET", "/2015-03-31/functions/f", NULL), LAMBDA_GetFunction);
    assert_int_equal(route(SVC_LAMBDA, "POST", "/2015-03-31/functions/f/invocations", NULL),
                     LAMBDA_Invoke);
    assert_int_equal(route(SVC_LAMBDA, "DELETE", "/2015-03-31/functions/f/policy/sid-1", NULL),
                     LAMBDA_RemovePermission);
}

static void wrong_verb_or_path(void **state) {
    aws_route_match m;
    bool exists = false;
    assert_false(aws_route(SVC_APIGW, "PATCH", "/restapis", NULL, &m, &exists));
    assert_true(exists);
    assert_false(aws_route(SVC_APIGW, "GET", "/nope", NULL, &m, &exists));
    assert_false(exists);
    /* A service's paths do not route in the other. */
    assert_int_equal(route(SVC_LAMBDA, "GET", "/restapis", NULL), OP__COUNT);
}

static void builds_paths_with_encoded_labels(void **state) {
    const char *p[] = {"abc", "r/1", "GET"};
    char *path = aws_op_path(APIGW_GetMethod, p, 3);
    assert_string_equal(path, "/restapis/abc/resources/r%2F1/methods/GET");
    free(path);
    const char *f[] = {"ItemsFunction:dev"};
    path = aws_op_path(LAMBDA_GetAlias, (const char *[]){"fn", "prod"}, 2);
    assert_string_equal(path, "/2015-03-31/functions/fn/aliases/prod");
    free(path);
    path = aws_op_path(LAMBDA_GetFunction, f, 1);
    assert_string_equal(path, "/2015-03-31/functions/ItemsFunction%3Adev");
    free(path);
    path = aws_op_path(APIGW_ImportApiKeys, NULL, 0);
    assert_string_equal(path, "/apikeys?mode=import");
    free(path);
}

static void op_info_matches_models(void **state) {
    const aws_op_info *i = aws_op_get(APIGW_CreateRestApi);
    assert_string_equal(i->name, "CreateRestApi");
    assert_int_equal(i->status, 201);
    assert_int_equal(aws_op_get(APIGW_DeleteRestApi)->status, 202);
    assert_int_equal(aws_op_get(LAMBDA_DeleteAlias)->status, 204);
    assert_int_equal(aws_op_get(LAMBDA_CreateFunction)->service, SVC_LAMBDA);
    assert_null(aws_op_get(OP__COUNT));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(routes_apigw_paths),
        cmocka_unit_test(query_conditions_pick_the_operation),
        cmocka_unit_test(routes_lambda_paths_and_decodes_labels),
        cmocka_unit_test(wrong_verb_or_path),
        cmocka_unit_test(builds_paths_with_encoded_labels),
        cmocka_unit_test(op_info_matches_models),
    };
    return cmocka_run_group_tests_name("ops", tests, NULL, NULL);
}
