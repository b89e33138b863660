/* The emulator's entry point: routing, service detection, error shapes. */
#include "fixture.h"

#include <string.h>

#include "core/json.h"

static void unknown_path_is_apigw_error(void **state) {
    fixture *fx = fixture_new(NULL);
    cJSON *b = NULL;
    assert_int_equal(fx_call(fx, "GET", "/nothing/here", NULL, &b), 404);
    assert_string_equal(fx_error_type(fx), "UnknownOperationException");
    assert_non_null(json_str(b, "message"));
    assert_non_null(fx_header(fx, "x-amzn-RequestId"));
    cJSON_Delete(b);
    fixture_free(fx);
}

static void lambda_paths_get_lambda_errors(void **state) {
    fixture *fx = fixture_new(NULL);
    cJSON *b = NULL;
    assert_int_equal(fx_call(fx, "GET", "/2015-03-31/nothing", NULL, &b), 404);
    assert_string_equal(json_str(b, "Type"), "User");
    assert_non_null(json_str(b, "Message"));
    cJSON_Delete(b);
    fixture_free(fx);
}

static void unsupported_operation_says_so(void **state) {
    fixture *fx = fixture_new(NULL);
    /* Domain names are outside what the emulator models. */
    assert_int_equal(fx_call(fx, "GET", "/domainnames", NULL, NULL), 501);
    assert_string_equal(fx_error_type(fx), "NotImplemented");
    assert_non_null(strstr(fx_message(fx), "GetDomainNames"));
    fixture_free(fx);
}

static void malformed_body_is_refused(void **state) {
    fixture *fx = fixture_new(NULL);
    assert_int_equal(fx_call(fx, "POST", "/restapis", "{\"name\": ", NULL), 400);
    assert_string_equal(fx_error_type(fx), "BadRequestException");
    assert_int_equal(fx_call(fx, "POST", "/2015-03-31/functions", "[1,", NULL), 400);
    assert_string_equal(fx_error_type(fx), "InvalidRequestContentException");
    fixture_free(fx);
}

static void request_ids_are_deterministic_with_seeded_rand(void **state) {
    fixture *a = fixture_new(NULL), *b = fixture_new(NULL);
    fx_call(a, "GET", "/nothing", NULL, NULL);
    fx_call(b, "GET", "/nothing", NULL, NULL);
    assert_string_equal(fx_header(a, "x-amzn-RequestId"), fx_header(b, "x-amzn-RequestId"));
    assert_int_equal(strlen(fx_header(a, "x-amzn-RequestId")), 36);
    fixture_free(a);
    fixture_free(b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unknown_path_is_apigw_error),
        cmocka_unit_test(lambda_paths_get_lambda_errors),
        cmocka_unit_test(unsupported_operation_says_so),
        cmocka_unit_test(malformed_body_is_refused),
        cmocka_unit_test(request_ids_are_deterministic_with_seeded_rand),
    };
    return cmocka_run_group_tests_name("dispatch", tests, NULL, NULL);
}
