/* Gateway responses in the emulator: the control plane (every type's
 * default, Put, Update, Delete, the fallback on DEFAULT_4XX/5XX and every
 * error as AWS answers it) and the data plane (a deployment's customized
 * responses on the gateway's own errors, CORS on a 403 included). */
#include "test_gateway_kit.h"

/* AWS's order of the types, as its enum message lists them. */
static const char *const TYPES[] = {
    "REQUEST_TOO_LARGE",
    "RESOURCE_NOT_FOUND",
    "AUTHORIZER_CONFIGURATION_ERROR",
    "MISSING_AUTHENTICATION_TOKEN",
    "BAD_REQUEST_BODY",
    "INVALID_SIGNATURE",
    "INVALID_API_KEY",
    "BAD_REQUEST_PARAMETERS",
    "AUTHORIZER_FAILURE",
    "UNAUTHORIZED",
    "INTEGRATION_TIMEOUT",
    "ACCESS_DENIED",
    "DEFAULT_4XX",
    "DEFAULT_5XX",
    "WAF_FILTERED",
    "QUOTA_EXCEEDED",
    "THROTTLED",
    "API_CONFIGURATION_ERROR",
    "UNSUPPORTED_MEDIA_TYPE",
    "INTEGRATION_FAILURE",
    "EXPIRED_TOKEN",
};
static const char *const STATUSES[] = {
    "413", "404", "500", "403", "400", "403", "403", "400", "500", "401", "504",
    "403", NULL,  NULL,  "403", "429", "429", "500", "415", "504", "403",
};
#define NTYPES (sizeof TYPES / sizeof *TYPES)

#define DEFAULT_TEMPLATE "{\"message\":$context.error.messageString}"
#define CORS_PARAMS                                                                                \
    "\"responseParameters\":{"                                                                     \
    "\"gatewayresponse.header.Access-Control-Allow-Origin\":\"'*'\","                              \
    "\"gatewayresponse.header.Access-Control-Allow-Methods\":\"'GET,OPTIONS'\"}"

/* --- helpers ---------------------------------------------------------------------- */

static cJSON *gr_call(fixture *fx, int want, const char *method, const char *body, const char *api,
                      const char *type) {
    cJSON *out = NULL;
    int st = type ? fx_callf_public(fx, &out, method, body, "/restapis/%s/gatewayresponses/%s", api,
                                    type)
                  : fx_callf_public(fx, &out, method, body, "/restapis/%s/gatewayresponses", api);
    if (st != want) fprintf(stderr, "%s %s -> %d %s\n", method, type ? type : "", st, fx_body(fx));
    assert_int_equal(st, want);
    return out;
}

static const cJSON *item_of(const cJSON *list, const char *type) {
    const cJSON *it;
    cJSON_ArrayForEach(it, json_arr(list, "item")) {
        if (!strcmp(json_str_or(it, "responseType", ""), type)) return it;
    }
    fail_msg("no item for %s", type);
    return NULL;
}

static const char *param(const cJSON *gr, const char *name) {
    return json_str(json_obj(gr, "responseParameters"), name);
}

static const char *tpl(const cJSON *gr, const char *ct) {
    return json_str(json_obj(gr, "responseTemplates"), ct);
}

static void assert_default(const cJSON *gr, const char *type, const char *status) {
    assert_string_equal(json_str(gr, "responseType"), type);
    if (status)
        assert_string_equal(json_str(gr, "statusCode"), status);
    else
        assert_false(json_has(gr, "statusCode"));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(gr, "defaultResponse")));
    assert_int_equal(cJSON_GetArraySize(json_obj(gr, "responseParameters")), 0);
    assert_int_equal(cJSON_GetArraySize(json_obj(gr, "responseTemplates")), 1);
    assert_string_equal(tpl(gr, "application/json"), DEFAULT_TEMPLATE);
}

/* UpdateGatewayResponse with the operations ops (a JSON array). */
static int gr_patch(fixture *fx, const char *api, const char *type, const char *ops, cJSON **out) {
    return fx_patch(fx, out, ops, "/restapis/%s/gatewayresponses/%s", api, type);
}

/* --- the control plane -------------------------------------------------------------- */

static void every_type_reads_as_its_default(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    char *api = kit_api(fx, NULL);
    cJSON *list = gr_call(fx, 200, "GET", NULL, api, NULL);
    assert_int_equal(cJSON_GetArraySize(json_arr(list, "item")), (int)NTYPES);
    for (size_t i = 0; i < NTYPES; i++) {
        const cJSON *it = cJSON_GetArrayItem(json_arr(list, "item"), (int)i);
        assert_default(it, TYPES[i], STATUSES[i]);
    }
    assert_false(json_has(list, "position"));
    cJSON_Delete(list);
    for (size_t i = 0; i < NTYPES; i++) {
        cJSON *one = gr_call(fx, 200, "GET", NULL, api, TYPES[i]);
        assert_default(one, TYPES[i], STATUSES[i]);
        cJSON_Delete(one);
    }
    free(api);
    fixture_free(fx);
}

static void put_get_delete(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    char *api = kit_api(fx, NULL);
    const char *body =
        "{\"statusCode\":\"404\",\"responseParameters\":{"
        "\"gatewayresponse.header.x-request-path\":\"method.request.path.petId\","
        "\"gatewayresponse.header.Access-Control-Allow-Origin\":\"'a.b.c'\"},"
        "\"responseTemplates\":{\"application/json\":\"{\\\"type\\\":\\\"$context.error."
        "responseType\\\"}\"}}";
    cJSON *put = gr_call(fx, 201, "PUT", body, api, "MISSING_AUTHENTICATION_TOKEN");
    assert_string_equal(json_str(put, "responseType"), "MISSING_AUTHENTICATION_TOKEN");
    assert_string_equal(json_str(put, "statusCode"), "404");
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(put, "defaultResponse")));
    assert_string_equal(param(put, "gatewayresponse.header.Access-Control-Allow-Origin"),
                        "'a.b.c'");
    assert_string_equal(param(put, "gatewayresponse.header.x-request-path"),
                        "method.request.path.petId");
    assert_string_equal(tpl(put, "application/json"), "{\"type\":\"$context.error.responseType\"}");
    cJSON *got = gr_call(fx, 200, "GET", NULL, api, "MISSING_AUTHENTICATION_TOKEN");
    assert_true(cJSON_Compare(put, got, true));
    cJSON *list = gr_call(fx, 200, "GET", NULL, api, NULL);
    assert_true(cJSON_Compare(item_of(list, "MISSING_AUTHENTICATION_TOKEN"), put, true));
    /* the others, DEFAULT_4XX included, are untouched */
    assert_default(item_of(list, "DEFAULT_4XX"), "DEFAULT_4XX", NULL);
    assert_default(item_of(list, "INVALID_API_KEY"), "INVALID_API_KEY", "403");
    cJSON_Delete(list);
    cJSON_Delete(got);
    cJSON_Delete(put);
    /* Delete resets it to the default; a second Delete finds nothing */
    cJSON_Delete(gr_call(fx, 202, "DELETE", NULL, api, "MISSING_AUTHENTICATION_TOKEN"));
    got = gr_call(fx, 200, "GET", NULL, api, "MISSING_AUTHENTICATION_TOKEN");
    assert_default(got, "MISSING_AUTHENTICATION_TOKEN", "403");
    cJSON_Delete(got);
    cJSON_Delete(gr_call(fx, 404, "DELETE", NULL, api, "MISSING_AUTHENTICATION_TOKEN"));
    assert_apigw_message(fx, 404, "NotFoundException", "Gateway response type not defined on api");
    free(api);
    fixture_free(fx);
}

/* Put replaces the whole customization; what it leaves out is the
 * default: the default template, no parameters, the type's status. */
static void put_replaces_and_fills_defaults(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    char *api = kit_api(fx, NULL);
    cJSON *b =
        gr_call(fx, 201, "PUT", "{\"statusCode\":\"404\"}", api, "MISSING_AUTHENTICATION_TOKEN");
    assert_string_equal(json_str(b, "statusCode"), "404");
    assert_int_equal(cJSON_GetArraySize(json_obj(b, "responseParameters")), 0);
    assert_string_equal(tpl(b, "application/json"), DEFAULT_TEMPLATE);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(b, "defaultResponse")));
    cJSON_Delete(b);
    b = gr_call(fx, 201, "PUT",
                "{\"responseParameters\":{\"gatewayresponse.header.x-h\":"
                "\"method.request.header.Accept\"}}",
                api, "MISSING_AUTHENTICATION_TOKEN");
    assert_string_equal(json_str(b, "statusCode"), "403"); /* the 404 is gone */
    assert_string_equal(param(b, "gatewayresponse.header.x-h"), "method.request.header.Accept");
    cJSON_Delete(b);
    /* a minimal Put of DEFAULT_4XX: no status code at all */
    b = gr_call(fx, 201, "PUT", NULL, api, "DEFAULT_4XX");
    assert_false(json_has(b, "statusCode"));
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(b, "defaultResponse")));
    assert_string_equal(tpl(b, "application/json"), DEFAULT_TEMPLATE);
    cJSON_Delete(b);
    free(api);
    fixture_free(fx);
}

/* Types never customized show the DEFAULT_4XX/5XX customization they fall
 * back on; a customized one keeps its own. */
static void defaults_are_inherited(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    char *api = kit_api(fx, NULL);
    cJSON_Delete(gr_call(fx, 201, "PUT",
                         "{\"statusCode\":\"599\",\"responseParameters\":{"
                         "\"gatewayresponse.header.x-h\":\"'five'\"},\"responseTemplates\":{"
                         "\"application/json\":\"{\\\"oops\\\":$context.error.messageString}\"}}",
                         api, "DEFAULT_5XX"));
    cJSON_Delete(gr_call(fx, 201, "PUT",
                         "{\"responseParameters\":{\"gatewayresponse.header.foo\":\"'bar'\"}}", api,
                         "AUTHORIZER_FAILURE"));
    cJSON *list = gr_call(fx, 200, "GET", NULL, api, NULL);
    static const char *const fives[] = {"API_CONFIGURATION_ERROR", "AUTHORIZER_CONFIGURATION_ERROR",
                                        "INTEGRATION_FAILURE", "INTEGRATION_TIMEOUT"};
    for (size_t i = 0; i < 4; i++) {
        const cJSON *it = item_of(list, fives[i]);
        assert_string_equal(json_str(it, "statusCode"), "599");
        assert_string_equal(param(it, "gatewayresponse.header.x-h"), "'five'");
        assert_string_equal(tpl(it, "application/json"), "{\"oops\":$context.error.messageString}");
        assert_true(cJSON_IsTrue(cJSON_GetObjectItem(it, "defaultResponse")));
    }
    const cJSON *own = item_of(list, "AUTHORIZER_FAILURE");
    assert_string_equal(json_str(own, "statusCode"), "500");
    assert_null(param(own, "gatewayresponse.header.x-h"));
    assert_string_equal(param(own, "gatewayresponse.header.foo"), "'bar'");
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(own, "defaultResponse")));
    assert_default(item_of(list, "THROTTLED"), "THROTTLED", "429");
    assert_default(item_of(list, "DEFAULT_4XX"), "DEFAULT_4XX", NULL);
    cJSON_Delete(list);
    free(api);
    fixture_free(fx);
}

static void errors_as_aws_sends_them(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    char *api = kit_api(fx, NULL);
    static const char bad_type[] =
        "1 validation error detected: Value 'FAKE_RESPONSE_TYPE' at 'responseType' failed to "
        "satisfy constraint: Member must satisfy enum value set: [REQUEST_TOO_LARGE, "
        "RESOURCE_NOT_FOUND, AUTHORIZER_CONFIGURATION_ERROR, MISSING_AUTHENTICATION_TOKEN, "
        "BAD_REQUEST_BODY, INVALID_SIGNATURE, INVALID_API_KEY, BAD_REQUEST_PARAMETERS, "
        "AUTHORIZER_FAILURE, UNAUTHORIZED, INTEGRATION_TIMEOUT, ACCESS_DENIED, DEFAULT_4XX, "
        "DEFAULT_5XX, WAF_FILTERED, QUOTA_EXCEEDED, THROTTLED, API_CONFIGURATION_ERROR, "
        "UNSUPPORTED_MEDIA_TYPE, INTEGRATION_FAILURE, EXPIRED_TOKEN]";
    static const struct {
        const char *method, *body;
    } ops[] = {{"GET", NULL},
               {"PUT", "{\"statusCode\":\"404\"}"},
               {"PATCH", "{\"patchOperations\":[]}"},
               {"DELETE", NULL}};
    for (size_t i = 0; i < 4; i++) {
        cJSON_Delete(gr_call(fx, 400, ops[i].method, ops[i].body, api, "FAKE_RESPONSE_TYPE"));
        assert_apigw_message(fx, 400, "ValidationException", bad_type);
        /* the type is checked before the API */
        cJSON_Delete(gr_call(fx, 400, ops[i].method, ops[i].body, "nope", "FAKE_RESPONSE_TYPE"));
        assert_apigw_message(fx, 400, "ValidationException", bad_type);
        cJSON_Delete(gr_call(fx, 404, ops[i].method, ops[i].body, "nope", "DEFAULT_4XX"));
        assert_apigw_message(fx, 404, "NotFoundException",
                             "Invalid API identifier specified " KIT_ACCOUNT ":nope");
    }
    cJSON_Delete(gr_call(fx, 404, "GET", NULL, "nope", NULL));
    assert_apigw_message(fx, 404, "NotFoundException",
                         "Invalid API identifier specified " KIT_ACCOUNT ":nope");
    cJSON_Delete(gr_call(fx, 400, "PUT", "{\"statusCode\":\"wrong\"}", api, "DEFAULT_4XX"));
    assert_apigw_message(fx, 400, "ValidationException",
                         "1 validation error detected: Value 'wrong' at 'statusCode' failed to "
                         "satisfy constraint: Member must satisfy regular expression pattern: "
                         "[1-5]\\d\\d");
    cJSON_Delete(
        gr_call(fx, 400, "PUT", "{\"responseParameters\":{\"a\":true}}", api, "DEFAULT_4XX"));
    assert_fx_error(fx, 400, "SerializationException");
    /* nothing was stored by the failed calls */
    cJSON *got = gr_call(fx, 200, "GET", NULL, api, "DEFAULT_4XX");
    assert_default(got, "DEFAULT_4XX", NULL);
    cJSON_Delete(got);
    free(api);
    fixture_free(fx);
}

static void update_applies_patch_operations(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    char *api = kit_api(fx, NULL);
    /* an update of a type never customized starts from its default */
    cJSON *b = NULL;
    assert_int_equal(gr_patch(fx, api, "DEFAULT_4XX",
                              "[{\"op\":\"replace\",\"path\":\"/statusCode\",\"value\":\"444\"}]",
                              &b),
                     200);
    assert_string_equal(json_str(b, "statusCode"), "444");
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(b, "defaultResponse")));
    assert_string_equal(tpl(b, "application/json"), DEFAULT_TEMPLATE);
    assert_int_equal(cJSON_GetArraySize(json_obj(b, "responseParameters")), 0);
    cJSON_Delete(b);
    cJSON_Delete(
        gr_call(fx, 201, "PUT", "{\"statusCode\":\"404\"," CORS_PARAMS "}", api, "DEFAULT_4XX"));
    assert_int_equal(
        gr_patch(fx, api, "DEFAULT_4XX",
                 "[{\"op\":\"replace\",\"path\":\"/statusCode\",\"value\":\"444\"},"
                 "{\"op\":\"replace\",\"path\":\"/responseParameters/gatewayresponse.header."
                 "Access-Control-Allow-Origin\",\"value\":\"'example.com'\"},"
                 "{\"op\":\"remove\",\"path\":\"/responseParameters/gatewayresponse.header."
                 "Access-Control-Allow-Methods\"},"
                 "{\"op\":\"add\",\"path\":\"/responseTemplates/application~1xml\","
                 "\"value\":\"<m>$context.error.messageString</m>\"}]",
                 &b),
        200);
    assert_string_equal(json_str(b, "statusCode"), "444");
    assert_string_equal(param(b, "gatewayresponse.header.Access-Control-Allow-Origin"),
                        "'example.com'");
    assert_null(param(b, "gatewayresponse.header.Access-Control-Allow-Methods"));
    assert_string_equal(tpl(b, "application/xml"), "<m>$context.error.messageString</m>");
    assert_string_equal(tpl(b, "application/json"), DEFAULT_TEMPLATE);
    cJSON *got = gr_call(fx, 200, "GET", NULL, api, "DEFAULT_4XX");
    assert_true(cJSON_Compare(b, got, true));
    cJSON_Delete(got);
    cJSON_Delete(b);
    free(api);
    fixture_free(fx);
}

static void update_errors(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    char *api = kit_api(fx, NULL);
    cJSON_Delete(
        gr_call(fx, 201, "PUT", "{\"statusCode\":\"404\"," CORS_PARAMS "}", api, "DEFAULT_4XX"));
    static const struct {
        const char *type, *ops;
        int status;
        const char *error, *msg;
    } cases[] = {
        {"DEFAULT_4XX", "[{\"op\":\"add\",\"path\":\"/statusCode\",\"value\":\"444\"}]", 400,
         "BadRequestException", "Invalid patch path /statusCode"},
        {"DEFAULT_4XX", "[{\"op\":\"remove\",\"path\":\"/statusCode\"}]", 400,
         "BadRequestException", "Invalid patch path /statusCode"},
        {"DEFAULT_5XX",
         "[{\"op\":\"replace\",\"path\":\"/responseParameters/gatewayresponse.header."
         "Access-Control-Allow-Origin\",\"value\":\"'example.com'\"}]",
         404, "NotFoundException", "Invalid parameter name specified"},
        {"DEFAULT_4XX", "[{\"op\":\"add\",\"value\":\"'example.com'\"}]", 400,
         "BadRequestException", "Invalid patch path null"},
        {"DEFAULT_4XX", "[{\"op\":\"wrong-op\",\"path\":\"/statusCode\",\"value\":\"x\"}]", 400,
         "ValidationException",
         "1 validation error detected: Value 'wrong-op' at "
         "'updateGatewayResponseInput.patchOperations.1.member.op' failed to satisfy "
         "constraint: Member must satisfy enum value set: [add, remove, move, test, replace, "
         "copy]"},
        {"DEFAULT_4XX",
         "[{\"op\":\"bad\",\"path\":\"/statusCode\"},{\"op\":\"add\",\"path\":\"/x\"},"
         "{\"op\":\"worse\",\"path\":\"/statusCode\"}]",
         400, "ValidationException",
         "2 validation errors detected: Value 'bad' at "
         "'updateGatewayResponseInput.patchOperations.1.member.op' failed to satisfy "
         "constraint: Member must satisfy enum value set: [add, remove, move, test, replace, "
         "copy]; Value 'worse' at 'updateGatewayResponseInput.patchOperations.3.member.op' "
         "failed to satisfy constraint: Member must satisfy enum value set: [add, remove, "
         "move, test, replace, copy]"},
        {"DEFAULT_4XX", "[{\"op\":\"add\",\"path\":\"/wrongPath\",\"value\":\"x\"}]", 400,
         "BadRequestException", "Invalid patch path /wrongPath"},
        {"DEFAULT_4XX",
         "[{\"op\":\"replace\",\"path\":\"/responseTemplates/application~1json\",\"value\":null}]",
         400, "BadRequestException", "Invalid null or empty value in responseTemplates"},
        {"DEFAULT_4XX",
         "[{\"op\":\"replace\",\"path\":\"/responseParameters/gatewayresponse.header."
         "Access-Control-Allow-Origin\",\"value\":null}]",
         400, "BadRequestException", "Invalid null or empty value in responseParameters"},
        {"DEFAULT_4XX", "[{\"op\":\"replace\",\"path\":\"/statusCode\",\"value\":\"wrong\"}]", 400,
         "ValidationException",
         "1 validation error detected: Value 'wrong' at 'statusCode' failed to satisfy "
         "constraint: Member must satisfy regular expression pattern: [1-5]\\d\\d"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        assert_int_equal(gr_patch(fx, api, cases[i].type, cases[i].ops, NULL), cases[i].status);
        assert_apigw_message(fx, cases[i].status, cases[i].error, cases[i].msg);
    }
    /* an update failing part way changes nothing */
    assert_int_equal(gr_patch(fx, api, "DEFAULT_4XX",
                              "[{\"op\":\"replace\",\"path\":\"/statusCode\",\"value\":\"444\"},"
                              "{\"op\":\"add\",\"path\":\"/wrongPath\",\"value\":\"x\"}]",
                              NULL),
                     400);
    cJSON *got = gr_call(fx, 200, "GET", NULL, api, "DEFAULT_4XX");
    assert_string_equal(json_str(got, "statusCode"), "404");
    cJSON_Delete(got);
    got = gr_call(fx, 200, "GET", NULL, api, "DEFAULT_5XX");
    assert_default(got, "DEFAULT_5XX", NULL);
    cJSON_Delete(got);
    free(api);
    fixture_free(fx);
}

/* --- the data plane ------------------------------------------------------------------ */

/* The console's Enable CORS puts Access-Control-Allow-* on DEFAULT_4XX: a
 * 403 for a missing API key carries them once the API is deployed again,
 * and only on the stages serving that deployment. */
static void cors_on_forbidden_after_deploy(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    kit_items a = kit_items_api(fx, "[]", "{}", "\"apiKeyRequired\":true");
    free(kit_deploy(fx, a.api, "dev"));
    free(kit_deploy(fx, a.api, "prod"));
    cJSON_Delete(gr_call(fx, 201, "PUT", "{" CORS_PARAMS "}", a.api, "DEFAULT_4XX"));
    kit_reply r;
    /* not deployed yet: the 403 is API Gateway's own */
    kit_invoke(fx, &r, a.api, "dev", "GET", "/items", NULL, NULL);
    kit_assert_error(&r, 403, "ForbiddenException", "Forbidden");
    assert_null(kit_header(&r, "Access-Control-Allow-Origin"));
    kit_reply_free(&r);
    free(kit_deploy(fx, a.api, "dev"));
    kit_invoke(fx, &r, a.api, "dev", "GET", "/items", NULL, NULL);
    kit_assert_error(&r, 403, "ForbiddenException", "Forbidden");
    assert_string_equal(kit_body(&r), "{\"message\":\"Forbidden\"}");
    assert_string_equal(kit_header(&r, "Access-Control-Allow-Origin"), "*");
    assert_string_equal(kit_header(&r, "Access-Control-Allow-Methods"), "GET,OPTIONS");
    assert_string_equal(kit_header(&r, "Content-Type"), "application/json");
    assert_true(kit_log_has(&r, "Method completed with status: 403"));
    kit_reply_free(&r);
    /* prod still serves the deployment made before the change */
    kit_invoke(fx, &r, a.api, "prod", "GET", "/items", NULL, NULL);
    kit_assert_error(&r, 403, "ForbiddenException", "Forbidden");
    assert_null(kit_header(&r, "Access-Control-Allow-Origin"));
    kit_reply_free(&r);
    /* a path no resource serves falls back on DEFAULT_4XX too */
    assert_int_equal(kit_front(fx, "GET", a.api, "dev", "/nothing", NULL, NULL), 403);
    assert_string_equal(fx_error_type(fx), "MissingAuthenticationTokenException");
    assert_string_equal(fx_header(fx, "Access-Control-Allow-Origin"), "*");
    /* an unknown stage has no deployment: nothing applies */
    assert_int_equal(kit_front(fx, "GET", a.api, "nostage", "/items", NULL, NULL), 403);
    assert_null(fx_header(fx, "Access-Control-Allow-Origin"));
    /* Delete takes effect on the next deployment as well */
    cJSON_Delete(gr_call(fx, 202, "DELETE", NULL, a.api, "DEFAULT_4XX"));
    kit_invoke(fx, &r, a.api, "dev", "GET", "/items", NULL, NULL);
    assert_string_equal(kit_header(&r, "Access-Control-Allow-Origin"), "*");
    kit_reply_free(&r);
    free(kit_deploy(fx, a.api, "dev"));
    kit_invoke(fx, &r, a.api, "dev", "GET", "/items", NULL, NULL);
    kit_assert_error(&r, 403, "ForbiddenException", "Forbidden");
    assert_null(kit_header(&r, "Access-Control-Allow-Origin"));
    kit_reply_free(&r);
    kit_items_free(&a);
    fixture_free(fx);
}

/* A type's own customization: status code, mapped headers and a body
 * template of simple substitutions (not VTL). */
static void customized_type_status_headers_and_template(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    kit_items a = kit_items_api(fx, "[]", "{}", NULL);
    char *body = xasprintf(
        "{\"statusCode\":\"404\",\"responseParameters\":{"
        "\"gatewayresponse.header.x-accept\":\"method.request.header.Accept\","
        "\"gatewayresponse.header.x-q\":\"method.request.querystring.q\","
        "\"gatewayresponse.header.x-stage\":\"context.stage\","
        "\"gatewayresponse.header.x-lit\":\"'a.b.c'\"},"
        "\"responseTemplates\":{\"application/json\":%s}}",
        "\"{\\\"message\\\": $context.error.messageString, \\\"type\\\": "
        "\\\"$context.error.responseType\\\", \\\"raw\\\": \\\"$context.error.message\\\", "
        "\\\"stage\\\": \\\"${context.stage}\\\", \\\"a\\\": \\\"$stageVariables.a\\\", "
        "\\\"none\\\": \\\"$stageVariables.none\\\", \\\"kept\\\": \\\"$input.body $ 5\\\" "
        "#if(true)x#end}\"");
    cJSON_Delete(gr_call(fx, 201, "PUT", body, a.api, "MISSING_AUTHENTICATION_TOKEN"));
    free(body);
    free(kit_deploy(fx, a.api, "dev"));
    kit_patch_stage(fx, a.api, "dev",
                    "[{\"op\":\"replace\",\"path\":\"/variables/a\",\"value\":\"va\"}]");
    kit_reply r;
    const char *h[] = {"Accept", "application/json", NULL};
    assert_int_equal(kit_invoke(fx, &r, a.api, "dev", "GET", "/nothing?q=1", h, NULL), 404);
    assert_string_equal(kit_header(&r, "x-amzn-ErrorType"), "MissingAuthenticationTokenException");
    assert_string_equal(kit_body(&r),
                        "{\"message\": \"Missing Authentication Token\", \"type\": "
                        "\"MISSING_AUTHENTICATION_TOKEN\", \"raw\": \"Missing Authentication "
                        "Token\", \"stage\": \"dev\", \"a\": \"va\", \"none\": \"\", \"kept\": "
                        "\"$input.body $ 5\" #if(true)x#end}");
    assert_string_equal(kit_header(&r, "x-accept"), "application/json");
    assert_string_equal(kit_header(&r, "x-q"), "1");
    assert_string_equal(kit_header(&r, "x-stage"), "dev");
    assert_string_equal(kit_header(&r, "x-lit"), "a.b.c");
    assert_true(kit_log_has(&r, "Method completed with status: 404"));
    kit_reply_free(&r);
    kit_items_free(&a);
    fixture_free(fx);
}

/* 5XX errors fall back on DEFAULT_5XX: its status code replaces theirs,
 * and an unchanged default template keeps API Gateway's own body. */
static void server_errors_fall_back_on_default_5xx(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    char *root, *api = kit_api(fx, &root);
    char *nomr = kit_resource(fx, api, root, "nomr");
    kit_method(fx, api, nomr, "GET", NULL);
    kit_integration(fx, api, nomr, "GET", "{\"type\":\"MOCK\"}");
    kit_integration_response(fx, api, nomr, "GET", "201", NULL);
    cJSON_Delete(gr_call(fx, 201, "PUT", "{" CORS_PARAMS "}", api, "DEFAULT_5XX"));
    free(kit_deploy(fx, api, "dev"));
    kit_reply r;
    kit_invoke(fx, &r, api, "dev", "GET", "/nomr", NULL, NULL);
    kit_assert_error(&r, 500, "InternalServerErrorException", "Internal server error");
    assert_string_equal(kit_body(&r), "{\"message\": \"Internal server error\"}");
    assert_string_equal(kit_header(&r, "Access-Control-Allow-Origin"), "*");
    kit_reply_free(&r);
    /* a 4XX does not take DEFAULT_5XX's headers */
    kit_invoke(fx, &r, api, "dev", "GET", "/none", NULL, NULL);
    assert_int_equal(r.resp.status, 403);
    assert_null(kit_header(&r, "Access-Control-Allow-Origin"));
    kit_reply_free(&r);
    /* the configuration error's own type wins over DEFAULT_5XX */
    cJSON_Delete(gr_call(fx, 201, "PUT",
                         "{\"statusCode\":\"503\",\"responseTemplates\":{\"text/plain\":"
                         "\"$context.error.responseType\"}}",
                         api, "API_CONFIGURATION_ERROR"));
    cJSON_Delete(gr_call(fx, 201, "PUT", "{\"statusCode\":\"599\"}", api, "DEFAULT_5XX"));
    free(kit_deploy(fx, api, "dev"));
    kit_invoke(fx, &r, api, "dev", "GET", "/nomr", NULL, NULL);
    assert_int_equal(r.resp.status, 503);
    assert_string_equal(kit_body(&r), "API_CONFIGURATION_ERROR");
    assert_string_equal(kit_header(&r, "Content-Type"), "text/plain");
    assert_null(kit_header(&r, "Access-Control-Allow-Origin"));
    assert_true(kit_log_has(&r, "Method completed with status: 503"));
    kit_reply_free(&r);
    cJSON_Delete(gr_call(fx, 202, "DELETE", NULL, api, "API_CONFIGURATION_ERROR"));
    free(kit_deploy(fx, api, "dev"));
    kit_invoke(fx, &r, api, "dev", "GET", "/nomr", NULL, NULL);
    assert_int_equal(r.resp.status, 599);
    assert_string_equal(kit_body(&r), "{\"message\": \"Internal server error\"}");
    kit_reply_free(&r);
    free(nomr);
    free(root);
    free(api);
    fixture_free(fx);
}

/* Deployments never show the copy they keep; GetDeployment and the
 * control plane stay as AWS shows them. */
static void deployments_keep_their_copy_private(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    kit_items a = kit_items_api(fx, "[]", "{}", NULL);
    char *dep = kit_deploy(fx, a.api, "dev");
    cJSON_Delete(gr_call(fx, 201, "PUT", "{" CORS_PARAMS "}", a.api, "DEFAULT_4XX"));
    cJSON *d = NULL;
    assert_int_equal(
        fx_callf_public(fx, &d, "GET", NULL, "/restapis/%s/deployments/%s", a.api, dep), 200);
    assert_string_equal(json_str(d, "id"), dep);
    cJSON_Delete(d);
    assert_int_equal(fx_callf_public(fx, &d, "GET", NULL, "/restapis/%s/deployments", a.api), 200);
    cJSON_Delete(d);
    free(dep);
    kit_items_free(&a);
    fixture_free(fx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_type_reads_as_its_default),
        cmocka_unit_test(put_get_delete),
        cmocka_unit_test(put_replaces_and_fills_defaults),
        cmocka_unit_test(defaults_are_inherited),
        cmocka_unit_test(errors_as_aws_sends_them),
        cmocka_unit_test(update_applies_patch_operations),
        cmocka_unit_test(update_errors),
        cmocka_unit_test(cors_on_forbidden_after_deploy),
        cmocka_unit_test(customized_type_status_headers_and_template),
        cmocka_unit_test(server_errors_fall_back_on_default_5xx),
        cmocka_unit_test(deployments_keep_their_copy_private),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
