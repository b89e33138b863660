/* The API Gateway data plane in the emulator: routing, MOCK integrations
 * and their mapping, deployments and rollback, CORS, API keys, throttling,
 * quotas and usage, the stage cache, the front door and hostile input. The
 * lab's mock templates need the template engine. */
#include "test_gateway_kit.h"

#include "../../src/emulator/gateway_internal.h"
#include "lab.h"

/* --- an API ----------------------------------------------------------------------- */

/* --- routing ------------------------------------------------------------------------ */

static void unknown_stage_or_api(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    kit_items a = kit_items_api(fx, "[]", "{}", NULL);
    free(kit_deploy(fx, a.api, "dev"));
    kit_reply r;
    kit_invoke(fx, &r, a.api, "nope", "GET", "/items", NULL, NULL);
    kit_assert_error(&r, 403, "MissingAuthenticationTokenException",
                     "Missing Authentication Token");
    assert_string_equal(kit_body(&r), "{\"message\":\"Missing Authentication Token\"}");
    assert_non_null(kit_header(&r, "x-amz-apigw-id"));
    assert_true(kit_log_has(&r, "has no stage nope"));
    kit_reply_free(&r);
    kit_invoke(fx, &r, "zzzzzzzzzz", "dev", "GET", "/items", NULL, NULL);
    kit_assert_error(&r, 403, "MissingAuthenticationTokenException",
                     "Missing Authentication Token");
    kit_reply_free(&r);
    /* A stage answers even before any request of it: the deployment serves. */
    assert_int_equal(kit_invoke(fx, &r, a.api, "dev", "GET", "/items", NULL, NULL), 200);
    assert_string_equal(kit_body(&r), "[]");
    assert_string_equal(kit_header(&r, "Content-Type"), "application/json");
    assert_non_null(kit_header(&r, "x-amzn-RequestId"));
    assert_null(kit_header(&r, "x-amzn-ErrorType"));
    kit_reply_free(&r);
    kit_items_free(&a);
    fixture_free(fx);
}

static void routes_literal_param_greedy(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    kit_items a = kit_items_api(fx, "list", "one", NULL);
    char *special = kit_resource(fx, a.api, a.items, "special");
    kit_mock(fx, a.api, special, "GET", NULL, "special");
    char *parts = kit_resource(fx, a.api, a.item, "parts");
    kit_mock(fx, a.api, parts, "POST", NULL, "parts");
    char *proxy = kit_resource(fx, a.api, a.root, "{proxy+}");
    kit_mock(fx, a.api, proxy, "ANY", NULL, "proxy");
    free(kit_deploy(fx, a.api, "dev"));
    static const struct {
        const char *verb, *path, *body, *resource;
    } cases[] = {
        {"GET", "/items", "list", "/items"},
        {"GET", "/items/", "list", "/items"}, /* trailing slashes are ignored */
        {"GET", "/items/7", "one", "/items/{ID}"},
        {"GET", "/items/special", "special", "/items/special"}, /* literal before {ID} */
        {"POST", "/items/7/parts", "parts", "/items/{ID}/parts"},
        {"GET", "/other/deep/path", "proxy", "/{proxy+}"},
        /* /items/{ID}/parts has no GET: back to the greedy resource */
        {"GET", "/items/7/parts", "proxy", "/{proxy+}"},
        {"DELETE", "/items", "proxy", "/{proxy+}"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        kit_reply r;
        assert_int_equal(kit_invoke(fx, &r, a.api, "dev", cases[i].verb, cases[i].path, NULL, NULL),
                         200);
        assert_string_equal(kit_body(&r), cases[i].body);
        assert_string_equal(r.trace.resource_path, cases[i].resource);
        kit_reply_free(&r);
    }
    free(special);
    free(parts);
    free(proxy);
    kit_items_free(&a);
    fixture_free(fx);
}

static void no_resource_or_method_is_missing_token(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    kit_items a = kit_items_api(fx, "list", "one", NULL);
    free(kit_deploy(fx, a.api, "dev"));
    static const char *const cases[][2] = {
        {"POST", "/items"},    {"GET", "/nothing"},   {"GET", "/"},
        {"GET", "/items/1/2"}, {"GET", "/items/%00"}, {"GET", "/items/1//x"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        kit_reply r;
        kit_invoke(fx, &r, a.api, "dev", cases[i][0], cases[i][1], NULL, NULL);
        kit_assert_error(&r, 403, "MissingAuthenticationTokenException",
                         "Missing Authentication Token");
        assert_string_equal(r.trace.resource_path, "");
        kit_reply_free(&r);
    }
    /* a percent-encoded slash stays inside its path parameter */
    kit_reply r;
    assert_int_equal(kit_invoke(fx, &r, a.api, "dev", "GET", "/items/a%2Fb", NULL, NULL), 200);
    assert_string_equal(r.trace.resource_path, "/items/{ID}");
    kit_reply_free(&r);
    kit_items_free(&a);
    fixture_free(fx);
}

/* --- MOCK ----------------------------------------------------------------------------- */

static void mock_status_picks_integration_response(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    char *root, *api = kit_api(fx, &root);
    char *rid = kit_resource(fx, api, root, "gone");
    kit_method(fx, api, rid, "GET", NULL);
    kit_integration(fx, api, rid, "GET",
                    "{\"type\":\"MOCK\",\"requestTemplates\":{\"application/json\":"
                    "\"{\\\"statusCode\\\": 404}\"}}");
    kit_method_response(fx, api, rid, "GET", "200", NULL);
    kit_method_response(fx, api, rid, "GET", "404", NULL);
    kit_integration_response(fx, api, rid, "GET", "200",
                             "{\"responseTemplates\":{\"application/json\":\"found\"}}");
    kit_integration_response(fx, api, rid, "GET", "404",
                             "{\"selectionPattern\":\"4\\\\d{2}\",\"responseTemplates\":"
                             "{\"application/json\":\"missing\"}}");
    free(kit_deploy(fx, api, "dev"));
    kit_reply r;
    assert_int_equal(kit_invoke(fx, &r, api, "dev", "GET", "/gone", NULL, NULL), 404);
    assert_string_equal(kit_body(&r), "missing");
    assert_null(kit_header(&r, "x-amzn-ErrorType"));
    assert_true(kit_log_has(&r, "Method completed with status: 404"));
    kit_reply_free(&r);
    free(rid);
    free(root);
    free(api);
    fixture_free(fx);
}

static void mock_without_template_answers_default(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    char *root, *api = kit_api(fx, &root);
    char *rid = kit_resource(fx, api, root, "plain");
    kit_method(fx, api, rid, "GET", NULL);
    kit_integration(fx, api, rid, "GET", "{\"type\":\"MOCK\"}");
    kit_method_response(fx, api, rid, "GET", "200", NULL);
    kit_integration_response(fx, api, rid, "GET", "200", NULL);
    free(kit_deploy(fx, api, "dev"));
    kit_reply r;
    assert_int_equal(kit_invoke(fx, &r, api, "dev", "GET", "/plain", NULL, NULL), 200);
    assert_string_equal(kit_body(&r), "");
    kit_reply_free(&r);
    free(rid);
    free(root);
    free(api);
    fixture_free(fx);
}

/* A configuration API Gateway cannot serve is a 500, and the log says why. */
static void mock_configuration_errors(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    char *root, *api = kit_api(fx, &root);
    char *nomr = kit_resource(fx, api, root, "nomr");
    kit_method(fx, api, nomr, "GET", NULL);
    kit_integration(fx, api, nomr, "GET", "{\"type\":\"MOCK\"}");
    kit_integration_response(fx, api, nomr, "GET", "201", NULL);
    char *noir = kit_resource(fx, api, root, "noir");
    kit_method(fx, api, noir, "GET", NULL);
    kit_integration(fx, api, noir, "GET", "{\"type\":\"MOCK\"}");
    kit_method_response(fx, api, noir, "GET", "200", NULL);
    char *badjson = kit_resource(fx, api, root, "badjson");
    kit_method(fx, api, badjson, "GET", NULL);
    kit_integration(fx, api, badjson, "GET",
                    "{\"type\":\"MOCK\",\"requestTemplates\":{\"application/json\":\"nope\"}}");
    kit_method_response(fx, api, badjson, "GET", "200", NULL);
    kit_integration_response(fx, api, badjson, "GET", "200", NULL);
    free(kit_deploy(fx, api, "dev"));
    static const struct {
        const char *path, *log;
    } cases[] = {
        {"/nomr", "Output mapping refers to an invalid method response: 201"},
        {"/noir", "No match for output mapping and no default output mapping configured. "
                  "Endpoint Response Status Code: 200"},
        {"/badjson", "Unable to parse statusCode"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        kit_reply r;
        kit_invoke(fx, &r, api, "dev", "GET", cases[i].path, NULL, NULL);
        kit_assert_error(&r, 500, "InternalServerErrorException", "Internal server error");
        assert_string_equal(kit_body(&r), "{\"message\": \"Internal server error\"}");
        assert_true(kit_log_has(&r, cases[i].log));
        assert_true(kit_log_has(&r, "Method completed with status: 500"));
        kit_reply_free(&r);
    }
    free(nomr);
    free(noir);
    free(badjson);
    free(root);
    free(api);
    fixture_free(fx);
}

static void passthrough_behaviors(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    char *root, *api = kit_api(fx, &root);
    static const char *const behaviors[] = {"WHEN_NO_MATCH", "WHEN_NO_TEMPLATES", "NEVER"};
    char *rids[3];
    for (int i = 0; i < 3; i++) {
        rids[i] = kit_resource(fx, api, root, behaviors[i]);
        kit_method(fx, api, rids[i], "POST", NULL);
        char *body = xasprintf("{\"type\":\"MOCK\",\"passthroughBehavior\":\"%s\","
                               "\"requestTemplates\":{\"application/json\":"
                               "\"{\\\"statusCode\\\": 200}\"}}",
                               behaviors[i]);
        kit_integration(fx, api, rids[i], "POST", body);
        free(body);
        kit_method_response(fx, api, rids[i], "POST", "200", NULL);
        kit_integration_response(fx, api, rids[i], "POST", "200", NULL);
    }
    free(kit_deploy(fx, api, "dev"));
    const char *text[] = {"Content-Type", "text/plain", NULL};
    const char *json[] = {"Content-Type", "application/json; charset=utf-8", NULL};
    for (int i = 0; i < 3; i++) {
        char path[64];
        snprintf(path, sizeof path, "/%s", behaviors[i]);
        kit_reply r;
        /* a matching template always serves, parameters of the type aside */
        assert_int_equal(kit_invoke(fx, &r, api, "dev", "POST", path, json, "{}"), 200);
        kit_reply_free(&r);
        int st = kit_invoke(fx, &r, api, "dev", "POST", path, text, "hello");
        if (i == 0) {
            assert_int_equal(st, 200); /* passed through: 200 by default */
        } else {
            kit_assert_error(&r, 415, "BadRequestException", "Unsupported Media Type");
            assert_string_equal(kit_body(&r), "{\"message\":\"Unsupported Media Type\"}");
        }
        kit_reply_free(&r);
    }
    for (int i = 0; i < 3; i++)
        free(rids[i]);
    free(root);
    free(api);
    fixture_free(fx);
}

static void response_template_by_accept(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    char *root, *api = kit_api(fx, &root);
    char *rid = kit_resource(fx, api, root, "doc");
    kit_method(fx, api, rid, "GET", NULL);
    kit_integration(fx, api, rid, "GET",
                    "{\"type\":\"MOCK\",\"requestTemplates\":{\"application/json\":"
                    "\"{\\\"statusCode\\\": 200}\"}}");
    kit_method_response(fx, api, rid, "GET", "200", NULL);
    kit_integration_response(fx, api, rid, "GET", "200",
                             "{\"responseTemplates\":{\"application/xml\":\"<doc/>\","
                             "\"application/json\":\"{}\"}}");
    free(kit_deploy(fx, api, "dev"));
    const char *xml[] = {"Accept", "text/html, application/xml;q=0.9", NULL};
    const char *other[] = {"Accept", "image/png", NULL};
    kit_reply r;
    assert_int_equal(kit_invoke(fx, &r, api, "dev", "GET", "/doc", xml, NULL), 200);
    assert_string_equal(kit_body(&r), "<doc/>");
    assert_string_equal(kit_header(&r, "Content-Type"), "application/xml");
    kit_reply_free(&r);
    assert_int_equal(kit_invoke(fx, &r, api, "dev", "GET", "/doc", other, NULL), 200);
    assert_string_equal(kit_body(&r), "{}");
    assert_string_equal(kit_header(&r, "Content-Type"), "application/json");
    kit_reply_free(&r);
    free(rid);
    free(root);
    free(api);
    fixture_free(fx);
}

/* The lab's mock templates (step "Defining New API Gateway Resources"). */
static void lab_mock_items(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    kit_items a = kit_items_api(fx, LAB_ITEMS_TEMPLATE, LAB_ITEM_TEMPLATE, NULL);
    free(kit_deploy(fx, a.api, "dev"));
    kit_reply r;
    assert_int_equal(kit_invoke(fx, &r, a.api, "dev", "GET", "/items/1", NULL, NULL), 200);
    cJSON *b = cJSON_Parse(kit_body(&r));
    assert_non_null(b);
    assert_int_equal((int)json_num_or(b, "ID", 0), 1);
    assert_string_equal(json_str(b, "name"), "foo1");
    assert_true(json_num_or(b, "price", 0) == 1.5);
    assert_non_null(strstr(kit_body(&r), "\"price\" : 1.5"));
    cJSON_Delete(b);
    kit_reply_free(&r);
    assert_int_equal(kit_invoke(fx, &r, a.api, "dev", "GET", "/items", NULL, NULL), 200);
    b = cJSON_Parse(kit_body(&r));
    assert_int_equal(cJSON_GetArraySize(b), 3);
    assert_string_equal(json_str(cJSON_GetArrayItem(b, 2), "name"), "foo3");
    assert_true(json_num_or(cJSON_GetArrayItem(b, 1), "price", 0) == 3.0);
    assert_non_null(strstr(kit_body(&r), "\"price\" : 3.0"));
    cJSON_Delete(b);
    kit_reply_free(&r);
    /* parseInt of something not a number throws: 500 */
    kit_invoke(fx, &r, a.api, "dev", "GET", "/items/abc", NULL, NULL);
    kit_assert_error(&r, 500, "InternalServerErrorException", "Internal server error");
    assert_true(kit_log_has(&r, "Unable to transform response"));
    kit_reply_free(&r);
    kit_items_free(&a);
    fixture_free(fx);
}

/* --- deployments ------------------------------------------------------------------------ */

static void stage_serves_its_deployment(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    char *root, *api = kit_api(fx, &root);
    char *rid = kit_resource(fx, api, root, "v");
    kit_mock(fx, api, rid, "GET", NULL, "one");
    char *d1 = kit_deploy(fx, api, "dev");
    kit_integration_response(fx, api, rid, "GET", "200",
                             "{\"responseTemplates\":{\"application/json\":\"two\"}}");
    kit_reply r;
    kit_invoke(fx, &r, api, "dev", "GET", "/v", NULL, NULL);
    assert_string_equal(kit_body(&r), "one"); /* not redeployed yet */
    kit_reply_free(&r);
    char *d2 = kit_deploy(fx, api, "dev");
    kit_invoke(fx, &r, api, "dev", "GET", "/v", NULL, NULL);
    assert_string_equal(kit_body(&r), "two");
    kit_reply_free(&r);
    /* rollback: the stage points at the older deployment */
    char *ops = xasprintf("[{\"op\":\"replace\",\"path\":\"/deploymentId\",\"value\":\"%s\"}]", d1);
    kit_patch_stage(fx, api, "dev", ops);
    kit_invoke(fx, &r, api, "dev", "GET", "/v", NULL, NULL);
    assert_string_equal(kit_body(&r), "one");
    kit_reply_free(&r);
    free(ops);
    free(d1);
    free(d2);
    free(rid);
    free(root);
    free(api);
    fixture_free(fx);
}

/* Enable CORS as the console does it: an OPTIONS MOCK whose integration
 * response maps static Access-Control-* headers. */
static void cors_headers_as_configured(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    kit_items a = kit_items_api(fx, "[]", "{}", NULL);
    kit_method(fx, a.api, a.items, "OPTIONS", NULL);
    kit_integration(fx, a.api, a.items, "OPTIONS",
                    "{\"type\":\"MOCK\",\"requestTemplates\":{\"application/json\":"
                    "\"{\\\"statusCode\\\": 200}\"}}");
    kit_method_response(fx, a.api, a.items, "OPTIONS", "200",
                        "{\"responseParameters\":{"
                        "\"method.response.header.Access-Control-Allow-Headers\":false,"
                        "\"method.response.header.Access-Control-Allow-Methods\":false,"
                        "\"method.response.header.Access-Control-Allow-Origin\":false}}");
    kit_integration_response(
        fx, a.api, a.items, "OPTIONS", "200",
        "{\"responseParameters\":{"
        "\"method.response.header.Access-Control-Allow-Headers\":"
        "\"'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token'\","
        "\"method.response.header.Access-Control-Allow-Methods\":\"'GET,OPTIONS'\","
        "\"method.response.header.Access-Control-Allow-Origin\":\"'*'\"}}");
    free(kit_deploy(fx, a.api, "dev"));
    kit_reply r;
    assert_int_equal(kit_invoke(fx, &r, a.api, "dev", "OPTIONS", "/items", NULL, NULL), 200);
    assert_string_equal(kit_header(&r, "Access-Control-Allow-Origin"), "*");
    assert_string_equal(kit_header(&r, "Access-Control-Allow-Methods"), "GET,OPTIONS");
    assert_string_equal(kit_header(&r, "Access-Control-Allow-Headers"),
                        "Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token");
    kit_reply_free(&r);
    /* The GET was not given any: no CORS header appears by itself. */
    kit_invoke(fx, &r, a.api, "dev", "GET", "/items", NULL, NULL);
    assert_null(kit_header(&r, "Access-Control-Allow-Origin"));
    kit_reply_free(&r);
    kit_items_free(&a);
    fixture_free(fx);
}

/* --- API keys, quotas and throttling ---------------------------------------------------- */

typedef struct keyed {
    kit_items a;
    char *plan, *key_id, *key_value;
} keyed;

static char *make_key(fixture *fx, const char *plan, char **value, bool enabled) {
    char *body = xasprintf("{\"name\":\"LabKey\",\"enabled\":%s}", enabled ? "true" : "false");
    cJSON *k = kit_call(fx, 201, "POST", body, "/apikeys");
    free(body);
    char *id = xstrdup(json_str(k, "id"));
    *value = xstrdup(json_str(k, "value"));
    cJSON_Delete(k);
    if (plan) {
        body = xasprintf("{\"keyId\":\"%s\",\"keyType\":\"API_KEY\"}", id);
        cJSON_Delete(kit_call(fx, 201, "POST", body, "/usageplans/%s/keys", plan));
        free(body);
    }
    return id;
}

/* The lab after "Creating API Keys and Usage Plans": both GETs require a
 * key; a plan on dev and prod with plan_extra (quota, throttle). */
static keyed make_keyed(fixture *fx, const char *plan_extra) {
    keyed k;
    k.a = kit_items_api(fx, "[]", "{}", "\"apiKeyRequired\":true");
    free(kit_deploy(fx, k.a.api, "dev"));
    free(kit_deploy(fx, k.a.api, "prod"));
    char *body = xasprintf("{\"name\":\"CloudAcademyPlan\",\"apiStages\":[{\"apiId\":\"%s\","
                           "\"stage\":\"dev\"},{\"apiId\":\"%s\",\"stage\":\"prod\"}]%s%s}",
                           k.a.api, k.a.api, plan_extra ? "," : "", plan_extra ? plan_extra : "");
    cJSON *p = kit_call(fx, 201, "POST", body, "/usageplans");
    free(body);
    k.plan = xstrdup(json_str(p, "id"));
    cJSON_Delete(p);
    k.key_id = make_key(fx, k.plan, &k.key_value, true);
    return k;
}

static void keyed_free(keyed *k) {
    kit_items_free(&k->a);
    free(k->plan);
    free(k->key_id);
    free(k->key_value);
}

static int call_with_key(fixture *fx, kit_reply *r, const keyed *k, const char *stage,
                         const char *key) {
    const char *h[] = {"x-api-key", key, NULL};
    return kit_invoke(fx, r, k->a.api, stage, "GET", "/items", key ? h : NULL, NULL);
}

static void api_key_required(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    keyed k = make_keyed(fx, NULL);
    kit_reply r;
    call_with_key(fx, &r, &k, "dev", NULL);
    kit_assert_error(&r, 403, "ForbiddenException", "Forbidden");
    assert_string_equal(kit_body(&r), "{\"message\":\"Forbidden\"}");
    kit_reply_free(&r);
    call_with_key(fx, &r, &k, "dev", "not-a-key-0123456789");
    kit_assert_error(&r, 403, "ForbiddenException", "Forbidden");
    kit_reply_free(&r);
    /* a key outside the plan, and a disabled key in it */
    char *lone_value, *lone = make_key(fx, NULL, &lone_value, true);
    call_with_key(fx, &r, &k, "dev", lone_value);
    kit_assert_error(&r, 403, "ForbiddenException", "Forbidden");
    assert_true(kit_log_has(&r, "not associated with a Usage Plan"));
    kit_reply_free(&r);
    char *off_value, *off = make_key(fx, k.plan, &off_value, false);
    call_with_key(fx, &r, &k, "dev", off_value);
    kit_assert_error(&r, 403, "ForbiddenException", "Forbidden");
    kit_reply_free(&r);
    /* the header name is case-blind; the key is in $context.identity */
    const char *h[] = {"X-API-Key", k.key_value, NULL};
    assert_int_equal(kit_invoke(fx, &r, k.a.api, "prod", "GET", "/items/1", h, NULL), 200);
    assert_true(kit_log_has(&r, "authorized because method 'GET /items/{ID}' requires API Key"));
    assert_null(strstr(r.trace.log, k.key_value)); /* the log masks the key */
    assert_true(kit_log_has(&r, "X-API-Key=****"));
    kit_reply_free(&r);
    /* through the front door as well */
    assert_int_equal(kit_front(fx, "GET", k.a.api, "dev", "/items", NULL, NULL), 403);
    assert_string_equal(fx_error_type(fx), "ForbiddenException");
    const char *ok[] = {"x-api-key", k.key_value, NULL};
    assert_int_equal(kit_front(fx, "GET", k.a.api, "dev", "/items", ok, NULL), 200);
    free(lone);
    free(lone_value);
    free(off);
    free(off_value);
    keyed_free(&k);
    fixture_free(fx);
}

static int64_t day_ms(int days) { return FIXTURE_T0_MS + (int64_t)days * 86400000; }

static void quota_per_day_and_usage(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    keyed k = make_keyed(fx, "\"quota\":{\"limit\":3,\"period\":\"DAY\"}");
    kit_reply r;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(call_with_key(fx, &r, &k, i % 2 ? "prod" : "dev", k.key_value), 200);
        assert_int_equal(r.trace.quota_remaining, 2 - i); /* shared by dev and prod */
        kit_reply_free(&r);
    }
    call_with_key(fx, &r, &k, "dev", k.key_value);
    kit_assert_error(&r, 429, "LimitExceededException", "Limit Exceeded");
    assert_string_equal(kit_body(&r), "{\"message\":\"Limit Exceeded\"}");
    kit_reply_free(&r);
    /* refused requests do not count; the next UTC day starts over */
    fx->clock.ms = day_ms(1) + 5000;
    assert_int_equal(call_with_key(fx, &r, &k, "dev", k.key_value), 200);
    assert_int_equal(r.trace.quota_remaining, 2);
    kit_reply_free(&r);
    cJSON *u = kit_call(fx, 200, "GET", NULL,
                        "/usageplans/%s/usage?startDate=2026-11-30&endDate=2026-12-01", k.plan);
    cJSON *days = json_arr(json_obj(u, "values"), k.key_id);
    assert_non_null(days);
    assert_int_equal((int)cJSON_GetArrayItem(cJSON_GetArrayItem(days, 0), 0)->valuedouble, 3);
    assert_int_equal((int)cJSON_GetArrayItem(cJSON_GetArrayItem(days, 0), 1)->valuedouble, 0);
    assert_int_equal((int)cJSON_GetArrayItem(cJSON_GetArrayItem(days, 1), 0)->valuedouble, 1);
    assert_int_equal((int)cJSON_GetArrayItem(cJSON_GetArrayItem(days, 1), 1)->valuedouble, 2);
    cJSON_Delete(u);
    keyed_free(&k);
    fixture_free(fx);
}

static void quota_per_week_and_month(void **state) {
    (void)state;
    /* 2026-11-30 is a Monday: the week runs to Sunday 2026-12-06, the month
     * ends the next day. */
    fixture *fx = fixture_new(NULL);
    keyed w = make_keyed(fx, "\"quota\":{\"limit\":2,\"period\":\"WEEK\"}");
    keyed m = make_keyed(fx, "\"quota\":{\"limit\":2,\"period\":\"MONTH\"}");
    kit_reply r;
    for (int i = 0; i < 2; i++) {
        assert_int_equal(call_with_key(fx, &r, &w, "dev", w.key_value), 200);
        kit_reply_free(&r);
        assert_int_equal(call_with_key(fx, &r, &m, "dev", m.key_value), 200);
        kit_reply_free(&r);
    }
    fx->clock.ms = day_ms(1);
    assert_int_equal(call_with_key(fx, &r, &w, "dev", w.key_value), 429);
    kit_reply_free(&r);
    assert_int_equal(call_with_key(fx, &r, &m, "dev", m.key_value), 200); /* December */
    kit_reply_free(&r);
    fx->clock.ms = day_ms(7);
    assert_int_equal(call_with_key(fx, &r, &w, "dev", w.key_value), 200); /* next week */
    kit_reply_free(&r);
    keyed_free(&w);
    keyed_free(&m);
    fixture_free(fx);
}

static void throttling_stage_method_settings(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    kit_items a = kit_items_api(fx, "[]", "{}", NULL);
    free(kit_deploy(fx, a.api, "dev"));
    kit_patch_stage(
        fx, a.api, "dev",
        "[{\"op\":\"replace\",\"path\":\"/*/*/throttling/rateLimit\",\"value\":\"1\"},"
        "{\"op\":\"replace\",\"path\":\"/*/*/throttling/burstLimit\",\"value\":\"2\"}]");
    kit_reply r;
    for (int i = 0; i < 2; i++) {
        assert_int_equal(kit_invoke(fx, &r, a.api, "dev", "GET", "/items", NULL, NULL), 200);
        assert_int_equal(r.trace.throttle_remaining, 1 - i);
        kit_reply_free(&r);
    }
    kit_invoke(fx, &r, a.api, "dev", "GET", "/items", NULL, NULL);
    kit_assert_error(&r, 429, "TooManyRequestsException", "Too Many Requests");
    assert_string_equal(kit_body(&r), "{\"message\":\"Too Many Requests\"}");
    kit_reply_free(&r);
    /* "*" "/" "*" gives each method its own bucket */
    assert_int_equal(kit_invoke(fx, &r, a.api, "dev", "GET", "/items/1", NULL, NULL), 200);
    kit_reply_free(&r);
    /* one token a second comes back */
    fx->clock.ms += 1000;
    assert_int_equal(kit_invoke(fx, &r, a.api, "dev", "GET", "/items", NULL, NULL), 200);
    kit_reply_free(&r);
    assert_int_equal(kit_invoke(fx, &r, a.api, "dev", "GET", "/items", NULL, NULL), 429);
    kit_reply_free(&r);
    /* a method's own setting wins over the stage-wide one */
    kit_patch_stage(fx, a.api, "dev",
                    "[{\"op\":\"replace\",\"path\":\"/~1items/GET/throttling/burstLimit\","
                    "\"value\":\"50\"}]");
    for (int i = 0; i < 10; i++) {
        assert_int_equal(kit_invoke(fx, &r, a.api, "dev", "GET", "/items", NULL, NULL), 200);
        kit_reply_free(&r);
    }
    /* a stage without settings reports no throttle */
    free(kit_deploy(fx, a.api, "free"));
    assert_int_equal(kit_invoke(fx, &r, a.api, "free", "GET", "/items", NULL, NULL), 200);
    assert_int_equal(r.trace.throttle_remaining, -1);
    assert_int_equal(r.trace.quota_remaining, -1);
    kit_reply_free(&r);
    kit_items_free(&a);
    fixture_free(fx);
}

static void throttling_per_key_in_plan(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    keyed k = make_keyed(fx, "\"throttle\":{\"rateLimit\":1,\"burstLimit\":1}");
    char *v2, *k2 = make_key(fx, k.plan, &v2, true);
    kit_reply r;
    assert_int_equal(call_with_key(fx, &r, &k, "dev", k.key_value), 200);
    assert_int_equal(r.trace.throttle_remaining, 0);
    kit_reply_free(&r);
    /* the plan's limit is per key and shared by the plan's stages */
    call_with_key(fx, &r, &k, "prod", k.key_value);
    kit_assert_error(&r, 429, "TooManyRequestsException", "Too Many Requests");
    kit_reply_free(&r);
    assert_int_equal(call_with_key(fx, &r, &k, "dev", v2), 200);
    kit_reply_free(&r);
    /* the plan's per-method throttle of a stage */
    char *ops = xasprintf("[{\"op\":\"replace\",\"path\":\"/apiStages/%s:dev/throttle/~1items~1{ID}"
                          "/GET/burstLimit\",\"value\":\"0\"}]",
                          k.a.api);
    char *body = xasprintf("{\"patchOperations\":%s}", ops);
    cJSON_Delete(kit_call(fx, 200, "PATCH", body, "/usageplans/%s", k.plan));
    fx->clock.ms += 10000;
    const char *h[] = {"x-api-key", k.key_value, NULL};
    assert_int_equal(kit_invoke(fx, &r, k.a.api, "dev", "GET", "/items/1", h, NULL), 429);
    kit_reply_free(&r);
    assert_int_equal(kit_invoke(fx, &r, k.a.api, "prod", "GET", "/items/1", h, NULL), 200);
    kit_reply_free(&r);
    free(body);
    free(ops);
    free(k2);
    free(v2);
    keyed_free(&k);
    fixture_free(fx);
}

/* --- the stage cache ----------------------------------------------------------------------- */

static kit_items cached_api(fixture *fx, const char *extra_ops) {
    kit_items a = kit_items_api(fx, "[]", "{}", NULL);
    kit_mock(fx, a.api, a.items, "POST", NULL, "posted");
    free(kit_deploy(fx, a.api, "prod"));
    char *ops =
        xasprintf("[{\"op\":\"replace\",\"path\":\"/cacheClusterEnabled\",\"value\":\"true\"},"
                  "{\"op\":\"replace\",\"path\":\"/*/*/caching/enabled\",\"value\":\"true\"}"
                  "%s%s]",
                  extra_ops ? "," : "", extra_ops ? extra_ops : "");
    kit_patch_stage(fx, a.api, "prod", ops);
    free(ops);
    return a;
}

static bool hit(fixture *fx, const kit_items *a, const char *path, const char *const *h) {
    kit_reply r;
    assert_int_equal(kit_invoke(fx, &r, a->api, "prod", "GET", path, h, NULL), 200);
    assert_true(r.trace.cache_used);
    bool was = r.trace.cache_hit;
    kit_reply_free(&r);
    return was;
}

static void cache_hits_expires_and_flushes(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    kit_items a = cached_api(fx, NULL);
    assert_false(hit(fx, &a, "/items", NULL));
    assert_true(hit(fx, &a, "/items", NULL));
    assert_false(hit(fx, &a, "/items/1", NULL)); /* another path, another entry */
    assert_true(hit(fx, &a, "/items/1", NULL));
    /* the TTL (300 s by default) */
    fx->clock.ms += 301 * 1000;
    assert_false(hit(fx, &a, "/items", NULL));
    assert_true(hit(fx, &a, "/items", NULL));
    /* FlushStageCache */
    assert_int_equal(
        fx_callf(fx, NULL, "DELETE", NULL, "/restapis/%s/stages/prod/cache/data", a.api), 202);
    assert_false(hit(fx, &a, "/items", NULL));
    assert_true(hit(fx, &a, "/items", NULL));
    /* the stage-wide setting caches GET methods only */
    kit_reply r;
    assert_int_equal(kit_invoke(fx, &r, a.api, "prod", "POST", "/items", NULL, "{}"), 200);
    assert_false(r.trace.cache_used);
    kit_reply_free(&r);
    /* no cache cluster: nothing is cached */
    kit_patch_stage(fx, a.api, "prod",
                    "[{\"op\":\"replace\",\"path\":\"/cacheClusterEnabled\",\"value\":\"false\"}]");
    kit_invoke(fx, &r, a.api, "prod", "GET", "/items", NULL, NULL);
    assert_false(r.trace.cache_used);
    assert_false(r.trace.cache_hit);
    kit_reply_free(&r);
    kit_items_free(&a);
    fixture_free(fx);
}

static void cache_ttl_from_method_setting(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    kit_items a = cached_api(fx, "{\"op\":\"replace\",\"path\":\"/*/*/caching/ttlInSeconds\","
                                 "\"value\":\"3600\"}");
    assert_false(hit(fx, &a, "/items", NULL));
    fx->clock.ms += 3599 * 1000;
    assert_true(hit(fx, &a, "/items", NULL));
    fx->clock.ms += 2000;
    assert_false(hit(fx, &a, "/items", NULL));
    /* TTL 0 disables caching */
    kit_patch_stage(
        fx, a.api, "prod",
        "[{\"op\":\"replace\",\"path\":\"/*/*/caching/ttlInSeconds\",\"value\":\"0\"}]");
    kit_reply r;
    kit_invoke(fx, &r, a.api, "prod", "GET", "/items", NULL, NULL);
    assert_false(r.trace.cache_used);
    kit_reply_free(&r);
    kit_items_free(&a);
    fixture_free(fx);
}

static void cache_control_invalidation(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    const char *fresh[] = {"Cache-Control", "max-age=0", NULL};
    /* Default: require authorization, ignore the header and warn. */
    kit_items a = cached_api(fx, NULL);
    assert_false(hit(fx, &a, "/items", NULL));
    kit_reply r;
    kit_invoke(fx, &r, a.api, "prod", "GET", "/items", fresh, NULL);
    assert_true(r.trace.cache_hit);
    assert_non_null(kit_header(&r, "Warning"));
    kit_reply_free(&r);
    /* FAIL_WITH_403, as the lab sets it */
    kit_patch_stage(fx, a.api, "prod",
                    "[{\"op\":\"replace\",\"path\":\"/*/*/caching/"
                    "unauthorizedCacheControlHeaderStrategy\",\"value\":\"FAIL_WITH_403\"}]");
    kit_invoke(fx, &r, a.api, "prod", "GET", "/items", fresh, NULL);
    assert_int_equal(r.resp.status, 403);
    assert_non_null(kit_header(&r, "x-amzn-ErrorType"));
    kit_reply_free(&r);
    /* SUCCEED_WITHOUT_RESPONSE_HEADER */
    kit_patch_stage(fx, a.api, "prod",
                    "[{\"op\":\"replace\",\"path\":\"/*/*/caching/"
                    "unauthorizedCacheControlHeaderStrategy\",\"value\":"
                    "\"SUCCEED_WITHOUT_RESPONSE_HEADER\"}]");
    kit_invoke(fx, &r, a.api, "prod", "GET", "/items", fresh, NULL);
    assert_true(r.trace.cache_hit);
    assert_null(kit_header(&r, "Warning"));
    kit_reply_free(&r);
    /* No authorization required: anyone may refresh the entry. */
    kit_patch_stage(fx, a.api, "prod",
                    "[{\"op\":\"replace\",\"path\":\"/*/*/caching/"
                    "requireAuthorizationForCacheControl\",\"value\":\"false\"}]");
    assert_false(hit(fx, &a, "/items", fresh));
    assert_true(hit(fx, &a, "/items", NULL));
    kit_items_free(&a);
    fixture_free(fx);
}

static void cache_key_parameters(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    char *root, *api = kit_api(fx, &root);
    char *rid = kit_resource(fx, api, root, "users");
    kit_method(fx, api, rid, "GET",
               "\"requestParameters\":{\"method.request.querystring.type\":false}");
    kit_integration(fx, api, rid, "GET",
                    "{\"type\":\"MOCK\",\"requestTemplates\":{\"application/json\":"
                    "\"{\\\"statusCode\\\": 200}\"},"
                    "\"cacheKeyParameters\":[\"method.request.querystring.type\"]}");
    kit_method_response(fx, api, rid, "GET", "200", NULL);
    kit_integration_response(fx, api, rid, "GET", "200", NULL);
    free(kit_deploy(fx, api, "prod"));
    kit_patch_stage(fx, api, "prod",
                    "[{\"op\":\"replace\",\"path\":\"/cacheClusterEnabled\",\"value\":\"true\"},"
                    "{\"op\":\"replace\",\"path\":\"/~1users/GET/caching/enabled\",\"value\":"
                    "\"true\"}]");
    kit_items a = {.api = api};
    assert_false(hit(fx, &a, "/users?type=admin", NULL));
    assert_true(hit(fx, &a, "/users?type=admin", NULL));
    assert_false(hit(fx, &a, "/users?type=regular", NULL));
    assert_true(hit(fx, &a, "/users?type=regular", NULL));
    free(rid);
    free(root);
    free(api);
    fixture_free(fx);
}

/* --- the front door ------------------------------------------------------------------------ */

static void front_door_paths_and_hosts(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    kit_items a = kit_items_api(fx, "list", "one", NULL);
    free(kit_deploy(fx, a.api, "dev"));
    assert_int_equal(kit_front(fx, "GET", a.api, "dev", "/items/3", NULL, NULL), 200);
    assert_string_equal(fx_body(fx), "one");
    assert_non_null(fx_header(fx, "x-amzn-RequestId"));
    assert_int_equal(kit_front(fx, "GET", a.api, "dev", "", NULL, NULL), 403);
    /* Host {id}.execute-api.localhost[:port], path /{stage}/{path} */
    char *host = xasprintf("%s.execute-api.localhost:4566", a.api);
    http_request *r = http_request_new("GET", "/dev/items?x=1");
    http_headers_add(&r->headers, "Host", host);
    emulator_handle(fx->emu, r, &fx->last);
    assert_int_equal(fx->last.status, 200);
    assert_string_equal(fx_body(fx), "list");
    http_request_free(r);
    free(host);
    /* a region in the host name: the API lives in the default region only */
    host = xasprintf("%s.execute-api.eu-west-1.localhost", a.api);
    r = http_request_new("GET", "/dev/items");
    http_headers_add(&r->headers, "Host", host);
    emulator_handle(fx->emu, r, &fx->last);
    assert_int_equal(fx->last.status, 403);
    assert_string_equal(fx_error_type(fx), "MissingAuthenticationTokenException");
    http_request_free(r);
    free(host);
    host = xasprintf("%s.execute-api.us-west-2.localhost", a.api);
    r = http_request_new("GET", "/dev/items");
    http_headers_add(&r->headers, "Host", host);
    emulator_handle(fx->emu, r, &fx->last);
    assert_int_equal(fx->last.status, 200);
    http_request_free(r);
    free(host);
    /* not for the data plane */
    static const char *const others[][2] = {
        {"/restapis", "localhost:4566"},
        {"/restapis/abc/stages/dev", "localhost"},
        {"/restapis/abc/dev/_user_request_x/items", NULL},
        {"/restapis/a-b/dev/_user_request_/items", NULL},
        {"/dev/items", "evil.example.com"},
        {"/dev/items", "abc.execute-api.localhost.evil.com"},
        {"/dev/items", ".execute-api.localhost"},
    };
    for (size_t i = 0; i < sizeof others / sizeof *others; i++) {
        http_request *o = http_request_new("GET", others[i][0]);
        if (others[i][1]) http_headers_add(&o->headers, "Host", others[i][1]);
        http_response resp;
        http_response_init(&resp);
        assert_false(gateway_route(fx->emu, o, &resp, NULL));
        assert_int_equal(resp.status, 0);
        http_response_free(&resp);
        http_request_free(o);
    }
    kit_items_free(&a);
    fixture_free(fx);
}

/* --- hostile input ------------------------------------------------------------------------------
 */

static void hostile_requests(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    kit_items a = kit_items_api(fx, "list", "one", NULL);
    free(kit_deploy(fx, a.api, "dev"));
    kit_reply r;
    /* a 1 MB header and a header with control characters */
    char *big = xmalloc(1u << 20);
    memset(big, 'h', (1u << 20) - 1);
    big[(1u << 20) - 1] = '\0';
    const char *h[] = {"X-Big", big, "X-Ctl", "a\r\nb\x1b[31m", NULL};
    assert_int_equal(kit_invoke(fx, &r, a.api, "dev", "GET", "/items", h, NULL), 200);
    assert_true(kit_log_has(&r, "[TRUNCATED]"));
    kit_reply_free(&r);
    free(big);
    /* a path of 20000 parts */
    buf p = BUF_INIT;
    for (int i = 0; i < 20000; i++)
        buf_puts(&p, "/items");
    kit_invoke(fx, &r, a.api, "dev", "GET", p.data, NULL, NULL);
    assert_int_equal(r.resp.status, 403);
    kit_reply_free(&r);
    buf_free(&p);
    /* broken escapes, dots, a query without values */
    static const char *const paths[] = {"/items/%zz",     "/items/%", "/items/..",
                                        "/items/a?&&=&b", "//items",  "/items/\xff\xfe"};
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
        int st = kit_invoke(fx, &r, a.api, "dev", "GET", paths[i], NULL, NULL);
        assert_true(st == 200 || st == 403);
        kit_reply_free(&r);
    }
    /* over API Gateway's 10 MB payload limit */
    size_t n = (10u << 20) + 1;
    char *body = xmalloc(n + 1);
    memset(body, 'x', n);
    body[n] = '\0';
    kit_invoke(fx, &r, a.api, "dev", "POST", "/items", NULL, body);
    assert_int_equal(r.resp.status, 413);
    kit_reply_free(&r);
    free(body);
    kit_items_free(&a);
    fixture_free(fx);
}

/* --- Java regexes
 * --------------------------------------------------------------------------------- */

static void selection_patterns_match_whole(void **state) {
    (void)state;
    assert_true(gw_regex_full("4\\d{2}", "404"));
    assert_false(gw_regex_full("4\\d{2}", "4041"));
    assert_false(gw_regex_full("4\\d{2}", "x404"));
    assert_true(gw_regex_full(".*NotFound.*", "Error: NotFound here"));
    assert_false(gw_regex_full(".*NotFound.*", "line one\nNotFound")); /* '.' stops at \n */
    assert_true(gw_regex_full("(?:a|b)+?c", "ababc"));
    assert_true(gw_regex_full("[\\w-]+\\s\\S", "a-b_1 x"));
    assert_false(gw_regex_full("Invalid*", "Invalid input"));
    assert_true(gw_regex_full("\\[BadRequest\\].*", "[BadRequest] ID missing"));
    assert_false(gw_regex_full("(", "("));
    assert_true(gw_regex_full("2\\d{2}", "200"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unknown_stage_or_api),
        cmocka_unit_test(routes_literal_param_greedy),
        cmocka_unit_test(no_resource_or_method_is_missing_token),
        cmocka_unit_test(mock_status_picks_integration_response),
        cmocka_unit_test(mock_without_template_answers_default),
        cmocka_unit_test(mock_configuration_errors),
        cmocka_unit_test(passthrough_behaviors),
        cmocka_unit_test(response_template_by_accept),
        cmocka_unit_test(lab_mock_items),
        cmocka_unit_test(stage_serves_its_deployment),
        cmocka_unit_test(cors_headers_as_configured),
        cmocka_unit_test(api_key_required),
        cmocka_unit_test(quota_per_day_and_usage),
        cmocka_unit_test(quota_per_week_and_month),
        cmocka_unit_test(throttling_stage_method_settings),
        cmocka_unit_test(throttling_per_key_in_plan),
        cmocka_unit_test(cache_hits_expires_and_flushes),
        cmocka_unit_test(cache_ttl_from_method_setting),
        cmocka_unit_test(cache_control_invalidation),
        cmocka_unit_test(cache_key_parameters),
        cmocka_unit_test(front_door_paths_and_hosts),
        cmocka_unit_test(hostile_requests),
        cmocka_unit_test(selection_patterns_match_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
