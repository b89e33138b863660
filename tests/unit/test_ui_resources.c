/* What the resources tree sends, without a terminal: the Enable CORS plan
 * (checked call by call, then run against the emulator and read back), and
 * the helpers Create method and Delete build their requests from. */
#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/ops.h"
#include "core/json.h"
#include "core/mem.h"
#include "ui/cors.h"
#include "ui/resources.h"

#define ORIGIN_KEY "method.response.header.Access-Control-Allow-Origin"
#define HEADERS_KEY "method.response.header.Access-Control-Allow-Headers"
#define METHODS_KEY "method.response.header.Access-Control-Allow-Methods"

/* --- values ------------------------------------------------------------------------ */

static void quote_wraps_once(void **state) {
    (void)state;
    char *s = cors_quote("*");
    assert_string_equal(s, "'*'");
    free(s);
    s = cors_quote("'https://example.com'");
    assert_string_equal(s, "'https://example.com'");
    free(s);
    s = cors_quote("");
    assert_string_equal(s, "''");
    free(s);
    s = cors_quote("'");
    assert_string_equal(s, "'''");
    free(s);
}

static void methods_value_sorted_with_options(void **state) {
    (void)state;
    const char *get[] = {"GET"};
    char *v = cors_methods_value(get, 1);
    assert_string_equal(v, "GET,OPTIONS");
    free(v);
    const char *several[] = {"POST", "GET", "OPTIONS", "GET"};
    v = cors_methods_value(several, 4);
    assert_string_equal(v, "GET,OPTIONS,POST");
    free(v);
    const char *any[] = {"GET", "ANY"};
    v = cors_methods_value(any, 2);
    assert_string_equal(v, "DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT");
    free(v);
    v = cors_methods_value(NULL, 0);
    assert_string_equal(v, "OPTIONS");
    free(v);
}

/* --- the plan, call by call ------------------------------------------------------------ */

static const char *param_str(const cJSON *body, const char *key) {
    return json_str(json_obj(body, "responseParameters"), key);
}

static void plan_for_a_bare_resource(void **state) {
    (void)state;
    const char *get[] = {"GET"};
    cors_opts o = {.methods = get, .nmethods = 1};
    cors_plan p;
    cors_plan_build(&p, NULL, &o);
    assert_int_equal(p.n, 4);
    assert_int_equal(p.steps[0].op, APIGW_PutMethod);
    assert_string_equal(p.steps[0].verb, "OPTIONS");
    assert_null(p.steps[0].status);
    assert_string_equal(json_str(p.steps[0].body, "authorizationType"), "NONE");
    assert_false(json_has(p.steps[0].body, "apiKeyRequired"));

    assert_int_equal(p.steps[1].op, APIGW_PutIntegration);
    assert_string_equal(json_str(p.steps[1].body, "type"), "MOCK");
    assert_string_equal(json_str(json_obj(p.steps[1].body, "requestTemplates"), "application/json"),
                        "{\"statusCode\": 200}");

    assert_int_equal(p.steps[2].op, APIGW_PutMethodResponse);
    assert_string_equal(p.steps[2].status, "200");
    const cJSON *mp = json_obj(p.steps[2].body, "responseParameters");
    assert_int_equal(cJSON_GetArraySize(mp), 3);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(mp, ORIGIN_KEY)));
    assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(mp, HEADERS_KEY)));
    assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(mp, METHODS_KEY)));
    assert_string_equal(json_str(json_obj(p.steps[2].body, "responseModels"), "application/json"),
                        "Empty");

    assert_int_equal(p.steps[3].op, APIGW_PutIntegrationResponse);
    assert_string_equal(param_str(p.steps[3].body, ORIGIN_KEY), "'*'");
    assert_string_equal(param_str(p.steps[3].body, METHODS_KEY), "'GET,OPTIONS'");
    assert_string_equal(param_str(p.steps[3].body, HEADERS_KEY),
                        "'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token'");
    for (size_t i = 0; i < p.n; i++)
        assert_false(p.steps[i].optional);
    cors_plan_free(&p);
    assert_int_equal(p.n, 0);
}

static void plan_gateway_responses_are_optional(void **state) {
    (void)state;
    cors_opts o = {.allow_origin = "https://example.com", .gateway_4xx = true, .gateway_5xx = true};
    cors_plan p;
    cors_plan_build(&p, NULL, &o);
    assert_int_equal(p.n, 6);
    const char *types[] = {"DEFAULT_4XX", "DEFAULT_5XX"};
    for (int i = 0; i < 2; i++) {
        const cors_step *s = &p.steps[4 + i];
        assert_int_equal(s->op, APIGW_PutGatewayResponse);
        assert_true(s->optional);
        assert_null(s->verb);
        assert_string_equal(s->status, types[i]);
        assert_string_equal(
            param_str(s->body, "gatewayresponse.header.Access-Control-Allow-Origin"),
            "'https://example.com'");
        assert_string_equal(
            param_str(s->body, "gatewayresponse.header.Access-Control-Allow-Methods"), "'OPTIONS'");
        const char *params[4];
        assert_int_equal(cors_step_params(s, "api1", "res1", params), 2);
        assert_string_equal(params[0], "api1");
        assert_string_equal(params[1], types[i]);
    }
    const char *params[4];
    assert_int_equal(cors_step_params(&p.steps[0], "api1", "res1", params), 3);
    assert_string_equal(params[1], "res1");
    assert_string_equal(params[2], "OPTIONS");
    assert_int_equal(cors_step_params(&p.steps[2], "api1", "res1", params), 4);
    assert_string_equal(params[3], "200");
    cors_plan_free(&p);
}

/* A proxy integration passes the backend's headers: only the method
 * response declares the header; a method without integration the same. */
static void plan_leaves_proxy_integrations_alone(void **state) {
    (void)state;
    cJSON *res = cJSON_Parse(
        "{\"id\":\"r1\",\"path\":\"/p\",\"resourceMethods\":{"
        "\"ANY\":{\"httpMethod\":\"ANY\",\"methodResponses\":{\"200\":{\"statusCode\":\"200\"}},"
        "\"methodIntegration\":{\"type\":\"AWS_PROXY\"}},"
        "\"POST\":{\"httpMethod\":\"POST\"}}}");
    const char *verbs[] = {"ANY", "POST"};
    cors_opts o = {.methods = verbs, .nmethods = 2};
    cors_plan p;
    cors_plan_build(&p, res, &o);
    assert_int_equal(p.n, 6);
    assert_int_equal(p.steps[4].op, APIGW_UpdateMethodResponse);
    assert_string_equal(p.steps[4].verb, "ANY");
    const cJSON *op = cJSON_GetArrayItem(json_arr(p.steps[4].body, "patchOperations"), 0);
    assert_string_equal(json_str(op, "op"), "add");
    assert_string_equal(json_str(op, "path"), "/responseParameters/" ORIGIN_KEY);
    assert_string_equal(json_str(op, "value"), "false");
    assert_int_equal(p.steps[5].op, APIGW_PutMethodResponse);
    assert_string_equal(p.steps[5].verb, "POST");
    assert_string_equal(param_str(p.steps[3].body, METHODS_KEY),
                        "'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT'");
    cors_plan_free(&p);
    cJSON_Delete(res);
}

/* --- the plan against the emulator ----------------------------------------------------- */

typedef struct api {
    fixture *fx;
    char *id, *items;
} api;

static char *create_id(fixture *fx, const char *path, const char *body) {
    cJSON *out = NULL;
    assert_int_equal(fx_call(fx, "POST", path, body, &out), 201);
    char *id = xstrdup(json_str(out, "id"));
    cJSON_Delete(out);
    return id;
}

static void put(fixture *fx, const char *body, const char *fmt, const char *a, const char *r) {
    char path[256];
    snprintf(path, sizeof path, fmt, a, r);
    assert_int_equal(fx_call(fx, "PUT", path, body, NULL), 201);
}

/* ItemsAPI's /items with the lab's mock GET and its 200 responses. */
static void api_setup(api *t) {
    t->fx = fixture_new(NULL);
    t->id = create_id(t->fx, "/restapis", "{\"name\":\"ItemsAPI\"}");
    cJSON *list = NULL;
    char path[256];
    snprintf(path, sizeof path, "/restapis/%s/resources", t->id);
    assert_int_equal(fx_call(t->fx, "GET", path, NULL, &list), 200);
    const char *root = json_str(cJSON_GetArrayItem(json_arr(list, "item"), 0), "id");
    snprintf(path, sizeof path, "/restapis/%s/resources/%s", t->id, root);
    cJSON_Delete(list);
    t->items = create_id(t->fx, path, "{\"pathPart\":\"items\"}");
    const char *m = "/restapis/%s/resources/%s/methods/GET";
    put(t->fx, "{\"authorizationType\":\"NONE\"}", m, t->id, t->items);
    put(t->fx,
        "{\"type\":\"MOCK\",\"requestTemplates\":{\"application/json\":\"{\\\"statusCode\\\": "
        "200}\"}}",
        "/restapis/%s/resources/%s/methods/GET/integration", t->id, t->items);
    put(t->fx, "{\"responseModels\":{\"application/json\":\"Empty\"}}",
        "/restapis/%s/resources/%s/methods/GET/responses/200", t->id, t->items);
    put(t->fx, "{\"responseTemplates\":{\"application/json\":\"[]\"}}",
        "/restapis/%s/resources/%s/methods/GET/integration/responses/200", t->id, t->items);
}

static void api_teardown(api *t) {
    free(t->id);
    free(t->items);
    fixture_free(t->fx);
}

/* /items as GetResources?embed=methods shows it (what the mirror holds). */
static cJSON *items_resource(api *t) {
    cJSON *list = NULL;
    char path[256];
    snprintf(path, sizeof path, "/restapis/%s/resources?embed=methods", t->id);
    assert_int_equal(fx_call(t->fx, "GET", path, NULL, &list), 200);
    cJSON *found = NULL;
    const cJSON *r;
    cJSON_ArrayForEach(r, json_arr(list, "item")) {
        if (strcmp(json_str_or(r, "id", ""), t->items) == 0) found = cJSON_Duplicate(r, 1);
    }
    cJSON_Delete(list);
    assert_non_null(found);
    return found;
}

/* Every call of the plan as the client would send it; all must succeed. */
static void run_plan(api *t, const cors_plan *p) {
    for (size_t i = 0; i < p->n; i++) {
        const char *params[4];
        size_t n = cors_step_params(&p->steps[i], t->id, t->items, params);
        char *path = aws_op_path(p->steps[i].op, params, n);
        char *body = json_print(p->steps[i].body);
        int st = fx_call(t->fx, aws_op_get(p->steps[i].op)->verb, path, body, NULL);
        if (st >= 300)
            fprintf(stderr, "step %zu (%s): %d %s\n", i, aws_op_get(p->steps[i].op)->name, st,
                    fx_body(t->fx));
        assert_true(st >= 200 && st < 300);
        free(path);
        free(body);
    }
}

static cJSON *get_method(api *t, const char *verb) {
    cJSON *m = NULL;
    char path[256];
    snprintf(path, sizeof path, "/restapis/%s/resources/%s/methods/%s", t->id, t->items, verb);
    assert_int_equal(fx_call(t->fx, "GET", path, NULL, &m), 200);
    return m;
}

static const char *resp_param(const cJSON *m, bool integration, const char *key) {
    const cJSON *r =
        integration
            ? json_obj(json_obj(json_obj(m, "methodIntegration"), "integrationResponses"), "200")
            : json_obj(json_obj(m, "methodResponses"), "200");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(json_obj(r, "responseParameters"), key);
    return cJSON_IsString(v)  ? v->valuestring
           : cJSON_IsFalse(v) ? "false"
           : cJSON_IsTrue(v)  ? "true"
                              : NULL;
}

static void plan_runs_on_the_emulator_and_again(void **state) {
    (void)state;
    api t;
    api_setup(&t);
    const char *get[] = {"GET"};
    cors_opts o = {.methods = get, .nmethods = 1};
    cJSON *res = items_resource(&t);
    cors_plan p;
    cors_plan_build(&p, res, &o);
    /* OPTIONS: method, integration, two responses; GET: two responses. */
    assert_int_equal(p.n, 6);
    assert_int_equal(p.steps[4].op, APIGW_UpdateMethodResponse);
    assert_int_equal(p.steps[5].op, APIGW_UpdateIntegrationResponse);
    run_plan(&t, &p);
    cors_plan_free(&p);
    cJSON_Delete(res);

    cJSON *opt = get_method(&t, "OPTIONS");
    assert_string_equal(json_str(opt, "authorizationType"), "NONE");
    assert_false(json_bool_or(opt, "apiKeyRequired", true));
    const cJSON *in = json_obj(opt, "methodIntegration");
    assert_string_equal(json_str(in, "type"), "MOCK");
    assert_string_equal(json_str(json_obj(in, "requestTemplates"), "application/json"),
                        "{\"statusCode\": 200}");
    assert_string_equal(resp_param(opt, false, ORIGIN_KEY), "false");
    assert_string_equal(resp_param(opt, false, METHODS_KEY), "false");
    assert_string_equal(resp_param(opt, true, ORIGIN_KEY), "'*'");
    assert_string_equal(resp_param(opt, true, METHODS_KEY), "'GET,OPTIONS'");
    assert_string_equal(resp_param(opt, true, HEADERS_KEY),
                        "'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token'");
    cJSON_Delete(opt);
    cJSON *g = get_method(&t, "GET");
    assert_string_equal(resp_param(g, false, ORIGIN_KEY), "false");
    assert_string_equal(resp_param(g, true, ORIGIN_KEY), "'*'");
    /* What the GET responses held before stays. */
    assert_string_equal(
        json_str(json_obj(json_obj(json_obj(g, "methodResponses"), "200"), "responseModels"),
                 "application/json"),
        "Empty");
    cJSON_Delete(g);

    /* Again with another origin: nothing is created twice, values change. */
    res = items_resource(&t);
    o.allow_origin = "https://example.com";
    o.allow_headers = "'X-Custom'";
    cors_plan_build(&p, res, &o);
    for (size_t i = 0; i < p.n; i++) {
        assert_int_not_equal(p.steps[i].op, APIGW_PutMethod);
        assert_int_not_equal(p.steps[i].op, APIGW_PutIntegration);
        assert_int_not_equal(p.steps[i].op, APIGW_PutMethodResponse);
    }
    run_plan(&t, &p);
    cors_plan_free(&p);
    cJSON_Delete(res);
    opt = get_method(&t, "OPTIONS");
    assert_string_equal(resp_param(opt, true, ORIGIN_KEY), "'https://example.com'");
    assert_string_equal(resp_param(opt, true, HEADERS_KEY), "'X-Custom'");
    cJSON_Delete(opt);
    g = get_method(&t, "GET");
    assert_string_equal(resp_param(g, true, ORIGIN_KEY), "'https://example.com'");
    cJSON_Delete(g);
    api_teardown(&t);
}

/* An OPTIONS method that is not a mock gets one, with fresh responses. */
static void plan_replaces_a_non_mock_options(void **state) {
    (void)state;
    api t;
    api_setup(&t);
    put(t.fx, "{\"authorizationType\":\"NONE\"}", "/restapis/%s/resources/%s/methods/OPTIONS", t.id,
        t.items);
    put(t.fx, "{\"type\":\"HTTP\",\"httpMethod\":\"GET\",\"uri\":\"https://example.com\"}",
        "/restapis/%s/resources/%s/methods/OPTIONS/integration", t.id, t.items);
    put(t.fx, "{}", "/restapis/%s/resources/%s/methods/OPTIONS/integration/responses/200", t.id,
        t.items);
    cJSON *res = items_resource(&t);
    cors_opts o = {0};
    cors_plan p;
    cors_plan_build(&p, res, &o);
    assert_int_equal(p.steps[0].op, APIGW_PutIntegration);
    assert_int_equal(p.steps[1].op, APIGW_PutMethodResponse);
    assert_int_equal(p.steps[2].op, APIGW_PutIntegrationResponse);
    assert_int_equal(p.n, 3); /* GET was not chosen */
    run_plan(&t, &p);
    cors_plan_free(&p);
    cJSON_Delete(res);
    cJSON *opt = get_method(&t, "OPTIONS");
    assert_string_equal(json_str(json_obj(opt, "methodIntegration"), "type"), "MOCK");
    assert_string_equal(resp_param(opt, true, METHODS_KEY), "'OPTIONS'");
    cJSON_Delete(opt);
    cJSON *g = get_method(&t, "GET");
    assert_null(resp_param(g, true, ORIGIN_KEY));
    cJSON_Delete(g);
    api_teardown(&t);
}

/* --- helpers of the tree ------------------------------------------------------------- */

static void free_verbs_in_console_order(void **state) {
    (void)state;
    const char *out[RES_NVERBS];
    assert_int_equal(res_free_verbs(NULL, out), 8);
    assert_string_equal(out[0], "GET");
    assert_string_equal(out[7], "ANY");
    cJSON *r = cJSON_Parse("{\"resourceMethods\":{\"GET\":{},\"OPTIONS\":{}}}");
    size_t n = res_free_verbs(r, out);
    assert_int_equal(n, 6);
    const char *want[] = {"POST", "PUT", "PATCH", "DELETE", "HEAD", "ANY"};
    for (size_t i = 0; i < n; i++)
        assert_string_equal(out[i], want[i]);
    cJSON_Delete(r);
}

static void lambda_function_names(void **state) {
    (void)state;
    char *s = res_lambda_function("ItemsFunction", NULL, NULL);
    assert_string_equal(s, "ItemsFunction");
    free(s);
    s = res_lambda_function("ItemsFunction", "", "");
    assert_string_equal(s, "ItemsFunction");
    free(s);
    s = res_lambda_function("ItemsFunction", "prod", NULL);
    assert_string_equal(s, "ItemsFunction:prod");
    free(s);
    s = res_lambda_function("ItemsFunction", "2", "lambdaAlias");
    assert_string_equal(s, "ItemsFunction:${stageVariables.lambdaAlias}");
    free(s);
}

static void tree_keys(void **state) {
    (void)state;
    char *id, *verb;
    assert_true(res_parse_key("r:abc123", &id, &verb));
    assert_string_equal(id, "abc123");
    assert_null(verb);
    free(id);
    assert_true(res_parse_key("m:abc123:GET", &id, &verb));
    assert_string_equal(id, "abc123");
    assert_string_equal(verb, "GET");
    free(id);
    free(verb);
    assert_false(res_parse_key("m:abc123", &id, &verb));
    assert_false(res_parse_key("m::GET", &id, &verb));
    assert_false(res_parse_key("r:", &id, &verb));
    assert_false(res_parse_key("x:1", &id, &verb));
    assert_null(id);
}

static void descendants_and_find(void **state) {
    (void)state;
    cJSON *all = cJSON_Parse("[{\"id\":\"root\",\"path\":\"/\"},"
                             "{\"id\":\"a\",\"parentId\":\"root\",\"path\":\"/items\"},"
                             "{\"id\":\"b\",\"parentId\":\"a\",\"path\":\"/items/{ID}\"},"
                             "{\"id\":\"c\",\"parentId\":\"b\",\"path\":\"/items/{ID}/x\"},"
                             "{\"id\":\"d\",\"parentId\":\"root\",\"path\":\"/other\"}]");
    assert_int_equal(res_descendants(all, "root"), 4);
    assert_int_equal(res_descendants(all, "a"), 2);
    assert_int_equal(res_descendants(all, "c"), 0);
    assert_string_equal(json_str(res_find(all, "b"), "path"), "/items/{ID}");
    assert_null(res_find(all, "zz"));
    assert_null(res_find(all, NULL));
    cJSON_Delete(all);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quote_wraps_once),
        cmocka_unit_test(methods_value_sorted_with_options),
        cmocka_unit_test(plan_for_a_bare_resource),
        cmocka_unit_test(plan_gateway_responses_are_optional),
        cmocka_unit_test(plan_leaves_proxy_integrations_alone),
        cmocka_unit_test(plan_runs_on_the_emulator_and_again),
        cmocka_unit_test(plan_replaces_a_non_mock_options),
        cmocka_unit_test(free_verbs_in_console_order),
        cmocka_unit_test(lambda_function_names),
        cmocka_unit_test(tree_keys),
        cmocka_unit_test(descendants_and_find),
    };
    return cmocka_run_group_tests_name("ui_resources", tests, NULL, NULL);
}
