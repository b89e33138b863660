/* The data plane's backends: HTTP and HTTP_PROXY integrations against a
 * loopback server started here, and Lambda integrations (custom and proxy)
 * with the lab's function, its versions, aliases and the stage variable
 * lambdaAlias. Running functions needs python3 and the local runtime. */
#include "test_gateway_kit.h"

#include "lab.h"

/* --- HTTP ----------------------------------------------------------------------------- */

typedef struct http_api {
    char *id, *root, *things, *thing, *codes, *code;
} http_api;

static void http_api_free(http_api *h) {
    free(h->id);
    free(h->root);
    free(h->things);
    free(h->thing);
    free(h->codes);
    free(h->code);
}

/* GET /things/{id} → http://127.0.0.1:${stageVariables.port}/echo/{pid}
 * and GET /codes/{code} → .../status/{c}, non-proxy. */
static http_api make_http_api(fixture *fx, int port) {
    http_api h;
    h.id = kit_api(fx, &h.root);
    h.things = kit_resource(fx, h.id, h.root, "things");
    h.thing = kit_resource(fx, h.id, h.things, "{id}");
    kit_method(fx, h.id, h.thing, "GET",
               "\"requestParameters\":{\"method.request.path.id\":true,"
               "\"method.request.header.X-In\":false}");
    kit_integration(fx, h.id, h.thing, "GET",
                    "{\"type\":\"HTTP\",\"httpMethod\":\"GET\","
                    "\"uri\":\"http://127.0.0.1:${stageVariables.port}/echo/{pid}\","
                    "\"requestParameters\":{\"integration.request.path.pid\":"
                    "\"method.request.path.id\",\"integration.request.header.X-Probe\":"
                    "\"method.request.header.X-In\",\"integration.request.querystring.stage\":"
                    "\"stageVariables.port\"}}");
    kit_method_response(fx, h.id, h.thing, "GET", "200",
                        "{\"responseParameters\":{\"method.response.header.X-From\":false}}");
    kit_integration_response(fx, h.id, h.thing, "GET", "200",
                             "{\"responseParameters\":{\"method.response.header.X-From\":"
                             "\"integration.response.header.X-Backend\"}}");
    h.codes = kit_resource(fx, h.id, h.root, "codes");
    h.code = kit_resource(fx, h.id, h.codes, "{code}");
    kit_method(fx, h.id, h.code, "GET",
               "\"requestParameters\":{\"method.request.path.code\":true}");
    kit_integration(fx, h.id, h.code, "GET",
                    "{\"type\":\"HTTP\",\"httpMethod\":\"GET\","
                    "\"uri\":\"http://127.0.0.1:${stageVariables.port}/status/{c}\","
                    "\"requestParameters\":{\"integration.request.path.c\":"
                    "\"method.request.path.code\"}}");
    kit_method_response(fx, h.id, h.code, "GET", "200", NULL);
    kit_method_response(fx, h.id, h.code, "GET", "400", NULL);
    kit_integration_response(fx, h.id, h.code, "GET", "200", NULL);
    kit_integration_response(fx, h.id, h.code, "GET", "400",
                             "{\"selectionPattern\":\"4\\\\d{2}\",\"responseTemplates\":"
                             "{\"application/json\":\"{\\\"error\\\": true}\"}}");
    free(kit_deploy(fx, h.id, "dev"));
    char *ops =
        xasprintf("[{\"op\":\"replace\",\"path\":\"/variables/port\",\"value\":\"%d\"}]", port);
    kit_patch_stage(fx, h.id, "dev", ops);
    free(ops);
    return h;
}

static void http_integration_maps_request_and_response(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    kit_backend b;
    kit_backend_start(&b);
    http_api h = make_http_api(fx, b.port);
    kit_reply r;
    const char *hdr[] = {"X-In", "probe-value", NULL};
    assert_int_equal(kit_invoke(fx, &r, h.id, "dev", "GET", "/things/42", hdr, NULL), 200);
    cJSON *echo = cJSON_Parse(kit_body(&r));
    assert_non_null(echo);
    char want[64];
    snprintf(want, sizeof want, "/echo/42?stage=%d", b.port);
    assert_string_equal(json_str(echo, "target"), want);
    assert_string_equal(json_str(echo, "method"), "GET");
    assert_string_equal(json_str(echo, "header"), "probe-value");
    assert_string_equal(kit_header(&r, "X-From"), "yes");
    assert_string_equal(kit_header(&r, "Content-Type"), "application/json");
    assert_non_null(kit_header(&r, "X-Amzn-Trace-Id"));
    assert_true(kit_log_has(&r, "Endpoint request URI: http://127.0.0.1:"));
    assert_true(kit_log_has(&r, "Received response. Status: 200"));
    assert_true(r.trace.integration_ms >= 0);
    cJSON_Delete(echo);
    kit_reply_free(&r);
    /* the backend's status picks the integration response */
    assert_int_equal(kit_invoke(fx, &r, h.id, "dev", "GET", "/codes/404", NULL, NULL), 400);
    assert_string_equal(kit_body(&r), "{\"error\": true}");
    kit_reply_free(&r);
    /* no pattern matches 503: the default response passes it through as 200 */
    assert_int_equal(kit_invoke(fx, &r, h.id, "dev", "GET", "/codes/503", NULL, NULL), 200);
    assert_non_null(strstr(kit_body(&r), "/status/503"));
    kit_reply_free(&r);
    http_api_free(&h);
    kit_backend_stop(&b);
    fixture_free(fx);
}

static void http_proxy_passes_everything(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    kit_backend b;
    kit_backend_start(&b);
    char *root, *api = kit_api(fx, &root);
    char *base = kit_resource(fx, api, root, "proxy");
    char *rid = kit_resource(fx, api, base, "{proxy+}");
    kit_method(fx, api, rid, "ANY", "\"requestParameters\":{\"method.request.path.proxy\":true}");
    char *integ = xasprintf("{\"type\":\"HTTP_PROXY\",\"httpMethod\":\"ANY\","
                            "\"uri\":\"http://localhost:%d/{proxy}\",\"requestParameters\":"
                            "{\"integration.request.path.proxy\":\"method.request.path.proxy\"}}",
                            b.port);
    kit_integration(fx, api, rid, "ANY", integ);
    free(kit_deploy(fx, api, "dev"));
    kit_reply r;
    const char *hdr[] = {"X-Probe", "passed", "Content-Type", "text/plain", NULL};
    assert_int_equal(
        kit_invoke(fx, &r, api, "dev", "POST", "/proxy/status/201?a=1&a=2", hdr, "hello"), 201);
    cJSON *echo = cJSON_Parse(kit_body(&r));
    assert_non_null(echo);
    assert_string_equal(json_str(echo, "method"), "POST");
    assert_string_equal(json_str(echo, "target"), "/status/201?a=1&a=2");
    assert_string_equal(json_str(echo, "body"), "hello");
    assert_string_equal(json_str(echo, "header"), "passed");
    assert_string_equal(kit_header(&r, "X-Backend"), "yes");
    cJSON_Delete(echo);
    kit_reply_free(&r);
    free(integ);
    free(rid);
    free(base);
    free(root);
    free(api);
    kit_backend_stop(&b);
    fixture_free(fx);
}

/* An HTTP integration whose URI (after stage variables) is uri. */
static char *http_method_to(fixture *fx, const char *uri, const char *extra) {
    char *body = xasprintf("{\"type\":\"HTTP\",\"httpMethod\":\"GET\",\"uri\":\"%s\"%s%s}", uri,
                           extra ? "," : "", extra ? extra : "");
    char *api = kit_get_api(fx, "x", body, NULL);
    free(kit_deploy(fx, api, "dev"));
    free(body);
    return api;
}

/* GET path on dev fails with status and message; the execution log says
 * why. */
static void expect_failure(fixture *fx, const char *api, const char *path, int status,
                           const char *message, const char *why) {
    kit_reply r;
    kit_invoke(fx, &r, api, "dev", "GET", path, NULL, NULL);
    kit_assert_error(&r, status, "InternalServerErrorException", message);
    assert_true(kit_log_has(&r, why));
    kit_reply_free(&r);
}

/* The same for GET /x of an HTTP integration to uri. */
static void expect_http_failure(fixture *fx, const char *uri, const char *extra, int status,
                                const char *message, const char *why) {
    char *api = http_method_to(fx, uri, extra);
    expect_failure(fx, api, "/x", status, message, why);
    free(api);
}

static void http_only_loopback(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    static const char *const uris[] = {"http://example.com/x", "https://10.0.0.1/x",
                                       "http://127.0.0.1@example.com/x",
                                       "http://localhost.example.com/x"};
    for (size_t i = 0; i < sizeof uris / sizeof *uris; i++)
        expect_http_failure(fx, uris[i], NULL, 500, "Internal server error",
                            "only calls loopback endpoints");
    fixture_free(fx);
}

static void http_timeout_and_refused(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    kit_backend b;
    kit_backend_start(&b);
    char *uri = xasprintf("http://127.0.0.1:%d/slow", b.port);
    expect_http_failure(fx, uri, "\"timeoutInMillis\":100", 504, "Endpoint request timed out",
                        "timeout error");
    free(uri);
    kit_backend_stop(&b);
    /* nobody listens on the port the backend had */
    uri = xasprintf("http://127.0.0.1:%d/x", b.port);
    expect_http_failure(fx, uri, NULL, 500, "Internal server error", "Invalid endpoint address");
    free(uri);
    fixture_free(fx);
}

static void cache_spares_the_backend(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    kit_backend b;
    kit_backend_start(&b);
    http_api h = make_http_api(fx, b.port);
    kit_patch_stage(fx, h.id, "dev",
                    "[{\"op\":\"replace\",\"path\":\"/cacheClusterEnabled\",\"value\":\"true\"},"
                    "{\"op\":\"replace\",\"path\":\"/*/*/caching/enabled\",\"value\":\"true\"}]");
    kit_reply r;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(kit_invoke(fx, &r, h.id, "dev", "GET", "/things/7", NULL, NULL), 200);
        assert_string_equal(kit_header(&r, "X-From"), "yes"); /* cached with its headers */
        assert_int_equal(r.trace.cache_hit, i > 0);
        kit_reply_free(&r);
    }
    assert_int_equal(kit_backend_count(&b), 1);
    assert_int_equal(kit_invoke(fx, &r, h.id, "dev", "GET", "/things/8", NULL, NULL), 200);
    kit_reply_free(&r);
    assert_int_equal(kit_backend_count(&b), 2);
    http_api_free(&h);
    kit_backend_stop(&b);
    fixture_free(fx);
}

/* --- Lambda --------------------------------------------------------------------------------- */

/* AddPermission for API Gateway on every method of api (qualifier may be NULL). */
static void allow_apigw(fixture *fx, const char *fn, const char *qualifier, const char *api) {
    char *body = xasprintf("{\"StatementId\":\"apigw-%s\",\"Action\":\"lambda:InvokeFunction\","
                           "\"Principal\":\"apigateway.amazonaws.com\",\"SourceArn\":"
                           "\"arn:aws:execute-api:us-west-2:" KIT_ACCOUNT ":%s/*\"}",
                           qualifier ? qualifier : "all", api);
    cJSON_Delete(kit_call(fx, 201, "POST", body, "/2015-03-31/functions/%s/policy%s%s", fn,
                          qualifier ? "?Qualifier=" : "", qualifier ? qualifier : ""));
    free(body);
}

static char *lambda_uri(const char *fn) {
    return xasprintf("arn:aws:apigateway:us-west-2:lambda:path/2015-03-31/functions/"
                     "arn:aws:lambda:us-west-2:" KIT_ACCOUNT ":function:%s/invocations",
                     fn);
}

/* GET /items with a custom Lambda integration of uri_fn (a function name,
 * maybe with ":${stageVariables.lambdaAlias}"). */
static char *lambda_items_api(fixture *fx, const char *uri_fn, char **items_out) {
    char *uri = lambda_uri(uri_fn);
    char *body = xasprintf("{\"type\":\"AWS\",\"httpMethod\":\"POST\",\"uri\":\"%s\"}", uri);
    char *api = kit_get_api(fx, "items", body, items_out);
    free(body);
    free(uri);
    return api;
}

static void lambda_needs_permission(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    lab_create_function(fx, "ItemsFunction", lab_function_py, NULL);
    char *api = lambda_items_api(fx, "ItemsFunction", NULL);
    free(kit_deploy(fx, api, "dev"));
    kit_reply r;
    kit_invoke(fx, &r, api, "dev", "GET", "/items", NULL, NULL);
    kit_assert_error(&r, 500, "InternalServerErrorException", "Internal server error");
    assert_string_equal(kit_body(&r), "{\"message\": \"Internal server error\"}");
    assert_true(kit_log_has(&r, "Execution failed due to configuration error: Invalid permissions "
                                "on Lambda function"));
    assert_true(kit_log_has(&r, "X-Amz-Source-Arn=arn:aws:execute-api:us-west-2:" KIT_ACCOUNT ":"));
    assert_true(kit_log_has(&r, "/dev/GET/items"));
    assert_string_equal(r.trace.function, "ItemsFunction");
    kit_reply_free(&r);
    free(api);
    /* a function that does not exist */
    api = lambda_items_api(fx, "Nope", NULL);
    free(kit_deploy(fx, api, "dev"));
    kit_invoke(fx, &r, api, "dev", "GET", "/items", NULL, NULL);
    kit_assert_error(&r, 500, "InternalServerErrorException", "Internal server error");
    assert_true(kit_log_has(&r, "Lambda invocation failed with status: 404"));
    assert_true(kit_log_has(&r, "Function not found: arn:aws:lambda:us-west-2:" KIT_ACCOUNT
                                ":function:Nope"));
    kit_reply_free(&r);
    free(api);
    fixture_free(fx);
}

static void aws_service_other_than_lambda(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    char *api = kit_get_api(fx, "s3",
                            "{\"type\":\"AWS\",\"httpMethod\":\"GET\",\"uri\":"
                            "\"arn:aws:apigateway:us-west-2:s3:path/bucket/key\"}",
                            NULL);
    free(kit_deploy(fx, api, "dev"));
    expect_failure(fx, api, "/s3", 500, "Internal server error", "AWS Lambda only");
    free(api);
    fixture_free(fx);
}

/* The lab after "Following Best Practices for Versions, Aliases, and
 * Stages": version 1 has the four items, $LATEST a fifth; prod's alias is
 * on 1, dev's on $LATEST; both GETs go to ItemsFunction:${stageVariables.
 * lambdaAlias}. */
static kit_items make_lab_lambda(fixture *fx) {
    kit_items l = {0};
    lab_create_function(fx, "ItemsFunction", lab_function_py, NULL);
    cJSON_Delete(kit_call(fx, 201, "POST", "{}", "/2015-03-31/functions/ItemsFunction/versions"));
    cJSON_Delete(kit_call(fx, 201, "POST", "{\"Name\":\"dev\",\"FunctionVersion\":\"$LATEST\"}",
                          "/2015-03-31/functions/ItemsFunction/aliases"));
    cJSON_Delete(kit_call(fx, 201, "POST", "{\"Name\":\"prod\",\"FunctionVersion\":\"1\"}",
                          "/2015-03-31/functions/ItemsFunction/aliases"));
    /* $LATEST gets a fifth item after the Ruler. */
    char *code = lab_function_edit(
        "5.0},\n", "5.0},\n    {\"ID\": 5, \"name\": \"Eraser\", \"price\": 0.5},\n");
    lab_update_code(fx, "ItemsFunction", code);
    free(code);
    l.api = lambda_items_api(fx, "ItemsFunction:${stageVariables.lambdaAlias}", &l.items);
    l.item = kit_resource(fx, l.api, l.items, "{ID}");
    kit_method(fx, l.api, l.item, "GET", NULL);
    char *uri = lambda_uri("ItemsFunction:${stageVariables.lambdaAlias}");
    char *body =
        xasprintf("{\"type\":\"AWS\",\"httpMethod\":\"POST\",\"uri\":\"%s\","
                  "\"passthroughBehavior\":\"WHEN_NO_TEMPLATES\",\"requestTemplates\":"
                  "{\"application/json\":\"{\\n\\\"ID\\\": $input.params(\\\"ID\\\")\\n}\"}}",
                  uri);
    kit_integration(fx, l.api, l.item, "GET", body);
    free(body);
    free(uri);
    kit_method_response(fx, l.api, l.item, "GET", "200", NULL);
    kit_integration_response(fx, l.api, l.item, "GET", "200", NULL);
    allow_apigw(fx, "ItemsFunction", "dev", l.api);
    allow_apigw(fx, "ItemsFunction", "prod", l.api);
    free(kit_deploy(fx, l.api, "dev"));
    free(kit_deploy(fx, l.api, "prod"));
    kit_patch_stage(fx, l.api, "dev",
                    "[{\"op\":\"replace\",\"path\":\"/variables/lambdaAlias\",\"value\":\"dev\"}]");
    kit_patch_stage(
        fx, l.api, "prod",
        "[{\"op\":\"replace\",\"path\":\"/variables/lambdaAlias\",\"value\":\"prod\"}]");
    return l;
}

/* A 200 answer to GET path on a stage, and its body parsed. */
typedef struct got {
    kit_reply r;
    cJSON *b;
} got;

static cJSON *get_ok(fixture *fx, got *g, const char *api, const char *stage, const char *path) {
    assert_int_equal(kit_invoke(fx, &g->r, api, stage, "GET", path, NULL, NULL), 200);
    g->b = cJSON_Parse(kit_body(&g->r));
    assert_non_null(g->b);
    return g->b;
}

static void got_free(got *g) {
    cJSON_Delete(g->b);
    kit_reply_free(&g->r);
}

static void lab_lambda_stages_and_aliases(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    kit_items l = make_lab_lambda(fx);
    got g;
    cJSON *b = get_ok(fx, &g, l.api, "prod", "/items");
    assert_int_equal(cJSON_GetArraySize(b), 4);
    assert_string_equal(json_str(cJSON_GetArrayItem(b, 3), "name"), "Ruler");
    assert_string_equal(g.r.trace.function, "ItemsFunction");
    assert_string_equal(g.r.trace.alias, "prod");
    assert_string_equal(g.r.trace.version, "1");
    assert_true(kit_log_has(&g.r, "function:ItemsFunction:prod/invocations"));
    got_free(&g);
    b = get_ok(fx, &g, l.api, "dev", "/items");
    assert_int_equal(cJSON_GetArraySize(b), 5);
    assert_string_equal(g.r.trace.alias, "dev");
    assert_string_equal(g.r.trace.version, "$LATEST");
    got_free(&g);
    /* the item by ID through the request template */
    b = get_ok(fx, &g, l.api, "prod", "/items/1");
    assert_string_equal(json_str(b, "name"), "Pen");
    assert_true(json_num_or(b, "price", 0) == 2.5);
    assert_true(kit_log_has(&g.r, "Endpoint request body after transformations: {\n\"ID\": 1\n}"));
    got_free(&g);
    /* NotFoundError has no selectionPattern: the default 200 carries it */
    b = get_ok(fx, &g, l.api, "prod", "/items/5");
    assert_string_equal(json_str(b, "errorMessage"), "NotFoundError");
    assert_string_equal(json_str(b, "errorType"), "Exception");
    got_free(&g);
    b = get_ok(fx, &g, l.api, "dev", "/items/5");
    assert_string_equal(json_str(b, "name"), "Eraser");
    got_free(&g);
    kit_items_free(&l);
    fixture_free(fx);
}

static void lambda_error_selection_pattern(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    kit_items l = make_lab_lambda(fx);
    kit_method_response(fx, l.api, l.item, "GET", "404",
                        "{\"responseParameters\":{\"method.response.header.X-Error\":false}}");
    kit_integration_response(fx, l.api, l.item, "GET", "404",
                             "{\"selectionPattern\":\".*NotFound.*\",\"responseParameters\":"
                             "{\"method.response.header.X-Error\":"
                             "\"integration.response.body.errorType\"},"
                             "\"responseTemplates\":{\"application/json\":"
                             "\"{\\\"message\\\": \\\"$input.path('$.errorMessage')\\\"}\"}}");
    free(kit_deploy(fx, l.api, "prod"));
    kit_reply r;
    assert_int_equal(kit_invoke(fx, &r, l.api, "prod", "GET", "/items/9", NULL, NULL), 404);
    assert_string_equal(kit_body(&r), "{\"message\": \"NotFoundError\"}");
    assert_string_equal(kit_header(&r, "X-Error"), "Exception");
    kit_reply_free(&r);
    /* a result that is no error still takes the default */
    assert_int_equal(kit_invoke(fx, &r, l.api, "prod", "GET", "/items/2", NULL, NULL), 200);
    kit_reply_free(&r);
    kit_items_free(&l);
    fixture_free(fx);
}

static const char ECHO_FUNCTION[] =
    "import json\n"
    "def lambda_handler(event, context):\n"
    "    if event['path'] == '/bad':\n"
    "        return {'statusCode': 200, 'weird': 1}\n"
    "    if event['path'] == '/boom':\n"
    "        raise Exception('boom')\n"
    "    return {'statusCode': 201, 'headers': {'X-Echo': '1'},\n"
    "            'multiValueHeaders': {'X-Multi': ['a', 'b']},\n"
    "            'body': json.dumps({'resource': event['resource'], 'path': event['path'],\n"
    "                                'qs': event['multiValueQueryStringParameters'],\n"
    "                                'pp': event['pathParameters'], 'sv': "
    "event['stageVariables'],\n"
    "                                'stage': event['requestContext']['stage'],\n"
    "                                'method': event['httpMethod'], 'body': event['body']})}\n";

static void lambda_proxy_event_and_result(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    lab_create_function(fx, "EchoFunction", ECHO_FUNCTION, NULL);
    char *root, *api = kit_api(fx, &root);
    char *rid = kit_resource(fx, api, root, "{proxy+}");
    kit_method(fx, api, rid, "ANY", NULL);
    char *uri = lambda_uri("EchoFunction");
    char *body = xasprintf("{\"type\":\"AWS_PROXY\",\"httpMethod\":\"POST\",\"uri\":\"%s\"}", uri);
    kit_integration(fx, api, rid, "ANY", body);
    allow_apigw(fx, "EchoFunction", NULL, api);
    free(kit_deploy(fx, api, "dev"));
    kit_patch_stage(fx, api, "dev",
                    "[{\"op\":\"replace\",\"path\":\"/variables/v\",\"value\":\"1\"}]");
    kit_reply r;
    assert_int_equal(kit_invoke(fx, &r, api, "dev", "POST", "/hello/there?x=1&x=2", NULL, "hi"),
                     201);
    assert_string_equal(kit_header(&r, "X-Echo"), "1");
    int multi = 0;
    for (size_t i = 0; i < r.resp.headers.n; i++)
        multi += !strcmp(r.resp.headers.v[i].name, "X-Multi");
    assert_int_equal(multi, 2);
    cJSON *b = cJSON_Parse(kit_body(&r));
    assert_non_null(b);
    assert_string_equal(json_str(b, "resource"), "/{proxy+}");
    assert_string_equal(json_str(b, "path"), "/hello/there");
    assert_string_equal(json_str(b, "method"), "POST");
    assert_string_equal(json_str(json_obj(b, "pp"), "proxy"), "hello/there");
    assert_int_equal(cJSON_GetArraySize(json_arr(json_obj(b, "qs"), "x")), 2);
    assert_string_equal(json_str(json_obj(b, "sv"), "v"), "1");
    assert_string_equal(json_str(b, "stage"), "dev");
    assert_string_equal(json_str(b, "body"), "hi");
    cJSON_Delete(b);
    kit_reply_free(&r);
    kit_invoke(fx, &r, api, "dev", "GET", "/bad", NULL, NULL);
    kit_assert_error(&r, 502, "InternalServerErrorException", "Internal server error");
    assert_true(kit_log_has(&r, "Malformed Lambda proxy response"));
    kit_reply_free(&r);
    kit_invoke(fx, &r, api, "dev", "GET", "/boom", NULL, NULL);
    kit_assert_error(&r, 502, "InternalServerErrorException", "Internal server error");
    assert_true(kit_log_has(&r, "due to customer function error: boom"));
    kit_reply_free(&r);
    free(body);
    free(uri);
    free(rid);
    free(root);
    free(api);
    fixture_free(fx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(http_integration_maps_request_and_response),
        cmocka_unit_test(http_proxy_passes_everything),
        cmocka_unit_test(http_only_loopback),
        cmocka_unit_test(http_timeout_and_refused),
        cmocka_unit_test(cache_spares_the_backend),
        cmocka_unit_test(lambda_needs_permission),
        cmocka_unit_test(aws_service_other_than_lambda),
        cmocka_unit_test(lab_lambda_stages_and_aliases),
        cmocka_unit_test(lambda_error_selection_pattern),
        cmocka_unit_test(lambda_proxy_event_and_result),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
