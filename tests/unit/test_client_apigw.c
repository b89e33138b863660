/* Typed API Gateway operations: each sends the verb, path, query and body
 * the service model prescribes. A fake transport records every request and
 * answers with canned responses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "client/apigw.h"
#include "core/json.h"
#include "core/mem.h"

/* --- a transport that records requests and answers from a queue ----------- */

typedef struct canned {
    int status;
    const char *body;
    const char *header[6]; /* up to three extra headers: name, value, ... */
} canned;

typedef struct fake {
    transport base;
    http_request *req[64]; /* every request, in order */
    size_t nreq;
    canned answer[8]; /* next answers; when empty: 200 "{}" */
    size_t nanswer, next;
    struct {
        transport_done_fn done;
        void *ud;
    } wait[8];
    size_t nwait;
} fake;

static void fake_submit(transport *t, http_request *req, transport_done_fn done, void *ud) {
    fake *f = (fake *)t;
    assert_true(f->nreq < 64 && f->nwait < 8);
    f->req[f->nreq++] = req;
    f->wait[f->nwait].done = done;
    f->wait[f->nwait++].ud = ud;
}

static int fake_process(transport *t) {
    fake *f = (fake *)t;
    int n = 0;
    while (f->nwait) {
        transport_done_fn done = f->wait[0].done;
        void *ud = f->wait[0].ud;
        memmove(f->wait, f->wait + 1, --f->nwait * sizeof f->wait[0]);
        canned a = f->next < f->nanswer ? f->answer[f->next++] : (canned){200, "{}", {NULL}};
        http_response r;
        http_response_init(&r);
        r.status = a.status;
        if (a.body) http_response_set_body(&r, a.body, strlen(a.body));
        for (int i = 0; i < 6 && a.header[i]; i += 2)
            http_headers_add(&r.headers, a.header[i], a.header[i + 1]);
        done(ud, &r, NULL);
        http_response_free(&r);
        n++;
    }
    return n;
}

static int fake_pollfds(transport *t, struct pollfd *fds, int max) { return 0; }
static int fake_timeout(transport *t) { return 0; }
static size_t fake_pending(transport *t) { return ((fake *)t)->nwait; }
static const char *fake_describe(transport *t) { return "fake"; }

static void fake_destroy(transport *t) {
    fake *f = (fake *)t;
    for (size_t i = 0; i < f->nreq; i++) http_request_free(f->req[i]);
    free(f);
}

static const transport_ops fake_ops = {fake_submit,  fake_pollfds, fake_timeout, fake_process,
                                       fake_pending, fake_destroy, fake_describe};

static void answer(fake *f, int status, const char *body) {
    f->answer[f->nanswer++] = (canned){status, body, {NULL}};
}

typedef struct T {
    fake *f;
    client *cl;
} T;

static int setup(void **state) {
    T *t = xcalloc(1, sizeof *t);
    t->f = xcalloc(1, sizeof *t->f);
    t->f->base.ops = &fake_ops;
    t->cl = client_new(&t->f->base, "us-west-2");
    *state = t;
    return 0;
}

static int teardown(void **state) {
    T *t = *state;
    client_free(t->cl);
    transport_destroy(&t->f->base);
    free(t);
    return 0;
}

/* The last request was verb path?query with a body equal (as JSON) to body
 * (NULL: no body). */
static void expect_req(T *t, const char *verb, const char *path, const char *query,
                       const char *body) {
    assert_true(t->f->nreq > 0);
    http_request *r = t->f->req[t->f->nreq - 1];
    assert_string_equal(r->method, verb);
    assert_string_equal(r->path, path);
    if (query)
        assert_string_equal(r->query ? r->query : "(none)", query);
    else
        assert_null(r->query);
    if (!body) {
        assert_int_equal(r->body_len, 0);
        return;
    }
    cJSON *want = cJSON_Parse(body), *got = cJSON_ParseWithLength(r->body, r->body_len);
    assert_non_null(want);
    if (!got || !cJSON_Compare(want, got, true))
        fail_msg("body %.*s, want %s", (int)r->body_len, r->body, body);
    cJSON_Delete(want);
    cJSON_Delete(got);
}

/* Run one typed operation synchronously and check the request it sent. */
#define CHECK(t, verb, path, query, body, op, ...)                                                 \
    do {                                                                                           \
        cJSON *o_ = NULL;                                                                          \
        err e_;                                                                                    \
        if (CLIENT_SYNC((t)->cl, &o_, &e_, op, __VA_ARGS__) != 0) fail_msg("%s", e_.msg);          \
        expect_req((t), verb, path, query, body);                                                  \
        cJSON_Delete(o_);                                                                          \
    } while (0)

/* --- tests -------------------------------------------------------------------- */

static void rest_api_operations(void **state) {
    T *t = *state;
    cJSON *tags = cJSON_Parse("{\"team\":\"lab\"}");
    apigw_rest_api_in in = {
        .description = "Cloud Academy Lab API", .endpoint_type = "REGIONAL", .tags = tags};
    CHECK(t, "POST", "/restapis", NULL,
          "{\"name\":\"ItemsAPI\",\"description\":\"Cloud Academy Lab API\","
          "\"endpointConfiguration\":{\"types\":[\"REGIONAL\"]},\"tags\":{\"team\":\"lab\"}}",
          apigw_create_rest_api, "ItemsAPI", &in);
    cJSON_Delete(tags);
    CHECK(t, "POST", "/restapis", NULL, "{\"name\":\"Bare\"}", apigw_create_rest_api, "Bare", NULL);
    CHECK(t, "GET", "/restapis/a1b2", NULL, NULL, apigw_get_rest_api, "a1b2");
    CHECK(t, "GET", "/restapis", NULL, NULL, apigw_get_rest_apis, NULL);
    CHECK(t, "GET", "/restapis", "position=p%2F1&limit=500", NULL, apigw_get_rest_apis,
          &(apigw_page){.position = "p/1", .limit = 500});
    CHECK(t, "PATCH", "/restapis/a1b2", NULL,
          "{\"patchOperations\":[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"New\"}]}",
          apigw_update_rest_api, "a1b2", apigw_patch_replace(apigw_patch_new(), "/name", "New"));
    CHECK(t, "DELETE", "/restapis/a1b2", NULL, NULL, apigw_delete_rest_api, "a1b2");
}

static void model_operations(void **state) {
    T *t = *state;
    CHECK(t, "POST", "/restapis/a1/models", NULL,
          "{\"name\":\"Item\",\"contentType\":\"application/json\",\"schema\":\"{}\"}",
          apigw_create_model, "a1", "Item", "application/json", &(apigw_model_in){.schema = "{}"});
    CHECK(t, "GET", "/restapis/a1/models/Items", "flatten=true", NULL, apigw_get_model, "a1",
          "Items", true);
    CHECK(t, "GET", "/restapis/a1/models/Items", NULL, NULL, apigw_get_model, "a1", "Items", false);
    CHECK(t, "GET", "/restapis/a1/models", "limit=10", NULL, apigw_get_models, "a1",
          &(apigw_page){.limit = 10});
    CHECK(t, "GET", "/restapis/a1/models/Item/default_template", NULL, NULL,
          apigw_get_model_template, "a1", "Item");
    CHECK(t, "PATCH", "/restapis/a1/models/Item", NULL,
          "{\"patchOperations\":[{\"op\":\"replace\",\"path\":\"/schema\",\"value\":\"{}\"}]}",
          apigw_update_model, "a1", "Item",
          apigw_patch_replace(apigw_patch_new(), "/schema", "{}"));
    CHECK(t, "DELETE", "/restapis/a1/models/Item", NULL, NULL, apigw_delete_model, "a1", "Item");
}

static void resource_operations(void **state) {
    T *t = *state;
    CHECK(t, "POST", "/restapis/a1/resources/root1", NULL, "{\"pathPart\":\"{ID}\"}",
          apigw_create_resource, "a1", "root1", "{ID}");
    CHECK(t, "GET", "/restapis/a1/resources/r1", "embed=methods", NULL, apigw_get_resource, "a1",
          "r1", true);
    CHECK(t, "GET", "/restapis/a1/resources/r1", NULL, NULL, apigw_get_resource, "a1", "r1", false);
    CHECK(t, "GET", "/restapis/a1/resources", "position=x&limit=2&embed=methods", NULL,
          apigw_get_resources, "a1", &(apigw_page){"x", 2}, true);
    CHECK(
        t, "PATCH", "/restapis/a1/resources/r1", NULL,
        "{\"patchOperations\":[{\"op\":\"replace\",\"path\":\"/pathPart\",\"value\":\"things\"}]}",
        apigw_update_resource, "a1", "r1",
        apigw_patch_replace(apigw_patch_new(), "/pathPart", "things"));
    CHECK(t, "DELETE", "/restapis/a1/resources/r1", NULL, NULL, apigw_delete_resource, "a1", "r1");
}

static void get_resources_all_follows_position(void **state) {
    T *t = *state;
    answer(t->f, 200, "{\"item\":[{\"id\":\"r1\"}],\"position\":\"next/1\"}");
    answer(t->f, 200, "{\"item\":[{\"id\":\"r2\"}]}");
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
    T *t = *state;
    cJSON *params = cJSON_Parse("{\"method.request.path.ID\":true}");
    apigw_method_in in = {.api_key_required = true, .request_parameters = params};
    CHECK(t, "PUT", "/restapis/a1/resources/r1/methods/GET", NULL,
          "{\"authorizationType\":\"NONE\",\"apiKeyRequired\":true,"
          "\"requestParameters\":{\"method.request.path.ID\":true}}",
          apigw_put_method, "a1", "r1", "GET", "NONE", &in);
    cJSON_Delete(params);
    CHECK(t, "GET", "/restapis/a1/resources/r1/methods/GET", NULL, NULL, apigw_get_method, "a1",
          "r1", "GET");
    CHECK(t, "PATCH", "/restapis/a1/resources/r1/methods/GET", NULL,
          "{\"patchOperations\":[{\"op\":\"replace\",\"path\":\"/"
          "apiKeyRequired\",\"value\":\"true\"}]}",
          apigw_update_method, "a1", "r1", "GET",
          apigw_patch_replace(apigw_patch_new(), "/apiKeyRequired", "true"));
    CHECK(t, "DELETE", "/restapis/a1/resources/r1/methods/OPTIONS", NULL, NULL, apigw_delete_method,
          "a1", "r1", "OPTIONS");
    cJSON *vars = cJSON_Parse("{\"lambdaAlias\":\"dev\"}");
    apigw_test_invoke_in ti = {.path_with_query_string = "/items/1", .stage_variables = vars};
    CHECK(t, "POST", "/restapis/a1/resources/r1/methods/GET", NULL,
          "{\"pathWithQueryString\":\"/items/1\",\"stageVariables\":{\"lambdaAlias\":\"dev\"}}",
          apigw_test_invoke_method, "a1", "r1", "GET", &ti);
    cJSON_Delete(vars);
}

static void integration_operations(void **state) {
    T *t = *state;
    cJSON *tmpl = cJSON_Parse("{\"application/json\":\"{\\\"ID\\\": $input.params(\\\"ID\\\")}\"}");
    apigw_integration_in in = {.http_method = "POST",
                               .uri = "arn:aws:apigateway:us-west-2:lambda:path/x",
                               .passthrough_behavior = "WHEN_NO_TEMPLATES",
                               .request_templates = tmpl,
                               .timeout_in_millis = 29000};
    /* integrationHttpMethod travels as "httpMethod". */
    CHECK(
        t, "PUT", "/restapis/a1/resources/r1/methods/GET/integration", NULL,
        "{\"type\":\"AWS\",\"httpMethod\":\"POST\",\"uri\":\"arn:aws:apigateway:us-west-2:lambda:"
        "path/x\","
        "\"passthroughBehavior\":\"WHEN_NO_TEMPLATES\",\"timeoutInMillis\":29000,"
        "\"requestTemplates\":{\"application/json\":\"{\\\"ID\\\": $input.params(\\\"ID\\\")}\"}}",
        apigw_put_integration, "a1", "r1", "GET", "AWS", &in);
    cJSON_Delete(tmpl);
    CHECK(t, "PUT", "/restapis/a1/resources/r1/methods/GET/integration", NULL,
          "{\"type\":\"MOCK\"}", apigw_put_integration, "a1", "r1", "GET", "MOCK", NULL);
    CHECK(t, "GET", "/restapis/a1/resources/r1/methods/GET/integration", NULL, NULL,
          apigw_get_integration, "a1", "r1", "GET");
    apigw_patch *p = apigw_patch_new();
    apigw_patch_replace(p, apigw_patch_path(p, "requestTemplates", "application/json", NULL), "{}");
    CHECK(t, "PATCH", "/restapis/a1/resources/r1/methods/GET/integration", NULL,
          "{\"patchOperations\":[{\"op\":\"replace\",\"path\":\"/requestTemplates/"
          "application~1json\","
          "\"value\":\"{}\"}]}",
          apigw_update_integration, "a1", "r1", "GET", p);
    CHECK(t, "DELETE", "/restapis/a1/resources/r1/methods/GET/integration", NULL, NULL,
          apigw_delete_integration, "a1", "r1", "GET");
}

static void response_operations(void **state) {
    T *t = *state;
    cJSON *mp = cJSON_Parse("{\"method.response.header.Access-Control-Allow-Origin\":false}");
    cJSON *models = cJSON_Parse("{\"application/json\":\"Empty\"}");
    CHECK(t, "PUT", "/restapis/a1/resources/r1/methods/OPTIONS/responses/200", NULL,
          "{\"responseParameters\":{\"method.response.header.Access-Control-Allow-Origin\":false},"
          "\"responseModels\":{\"application/json\":\"Empty\"}}",
          apigw_put_method_response, "a1", "r1", "OPTIONS", "200",
          &(apigw_method_response_in){mp, models});
    CHECK(t, "GET", "/restapis/a1/resources/r1/methods/GET/responses/200", NULL, NULL,
          apigw_get_method_response, "a1", "r1", "GET", "200");
    CHECK(t, "PATCH", "/restapis/a1/resources/r1/methods/GET/responses/200", NULL,
          "{\"patchOperations\":[{\"op\":\"remove\",\"path\":\"/responseModels/"
          "application~1json\"}]}",
          apigw_update_method_response, "a1", "r1", "GET", "200",
          apigw_patch_remove(apigw_patch_new(), "/responseModels/application~1json", NULL));
    CHECK(t, "DELETE", "/restapis/a1/resources/r1/methods/GET/responses/400", NULL, NULL,
          apigw_delete_method_response, "a1", "r1", "GET", "400");
    cJSON *ip = cJSON_Parse("{\"method.response.header.Access-Control-Allow-Origin\":\"'*'\"}");
    apigw_integration_response_in in = {.selection_pattern = ".*NotFound.*",
                                        .response_parameters = ip};
    CHECK(
        t, "PUT", "/restapis/a1/resources/r1/methods/GET/integration/responses/404", NULL,
        "{\"selectionPattern\":\".*NotFound.*\","
        "\"responseParameters\":{\"method.response.header.Access-Control-Allow-Origin\":\"'*'\"}}",
        apigw_put_integration_response, "a1", "r1", "GET", "404", &in);
    CHECK(t, "PUT", "/restapis/a1/resources/r1/methods/GET/integration/responses/200", NULL, "{}",
          apigw_put_integration_response, "a1", "r1", "GET", "200", NULL);
    CHECK(t, "GET", "/restapis/a1/resources/r1/methods/GET/integration/responses/200", NULL, NULL,
          apigw_get_integration_response, "a1", "r1", "GET", "200");
    CHECK(t, "PATCH", "/restapis/a1/resources/r1/methods/GET/integration/responses/200", NULL,
          "{\"patchOperations\":[{\"op\":\"add\",\"path\":\"/selectionPattern\",\"value\":\"\"}]}",
          apigw_update_integration_response, "a1", "r1", "GET", "200",
          apigw_patch_add(apigw_patch_new(), "/selectionPattern", ""));
    CHECK(t, "DELETE", "/restapis/a1/resources/r1/methods/GET/integration/responses/404", NULL,
          NULL, apigw_delete_integration_response, "a1", "r1", "GET", "404");
    cJSON_Delete(mp);
    cJSON_Delete(models);
    cJSON_Delete(ip);
}

static void deployment_and_stage_operations(void **state) {
    T *t = *state;
    CHECK(t, "POST", "/restapis/a1/deployments", NULL,
          "{\"stageName\":\"dev\",\"description\":\"Only mock items list\"}",
          apigw_create_deployment, "a1",
          &(apigw_deployment_in){.stage_name = "dev", .description = "Only mock items list"});
    CHECK(t, "GET", "/restapis/a1/deployments/d1", NULL, NULL, apigw_get_deployment, "a1", "d1");
    CHECK(t, "GET", "/restapis/a1/deployments", NULL, NULL, apigw_get_deployments, "a1", NULL);
    CHECK(t, "PATCH", "/restapis/a1/deployments/d1", NULL,
          "{\"patchOperations\":[{\"op\":\"replace\",\"path\":\"/description\",\"value\":\"x\"}]}",
          apigw_update_deployment, "a1", "d1",
          apigw_patch_replace(apigw_patch_new(), "/description", "x"));
    CHECK(t, "DELETE", "/restapis/a1/deployments/d1", NULL, NULL, apigw_delete_deployment, "a1",
          "d1");

    cJSON *vars = cJSON_Parse("{\"lambdaAlias\":\"prod\"}");
    CHECK(t, "POST", "/restapis/a1/stages", NULL,
          "{\"stageName\":\"prod\",\"deploymentId\":\"d1\",\"cacheClusterEnabled\":true,"
          "\"cacheClusterSize\":\"0.5\",\"variables\":{\"lambdaAlias\":\"prod\"}}",
          apigw_create_stage, "a1", "prod", "d1",
          &(apigw_stage_in){
              .cache_cluster_enabled = true, .cache_cluster_size = "0.5", .variables = vars});
    cJSON_Delete(vars);
    CHECK(t, "GET", "/restapis/a1/stages/prod", NULL, NULL, apigw_get_stage, "a1", "prod");
    CHECK(t, "GET", "/restapis/a1/stages", NULL, NULL, apigw_get_stages, "a1", NULL);
    CHECK(t, "GET", "/restapis/a1/stages", "deploymentId=d1", NULL, apigw_get_stages, "a1", "d1");
    apigw_patch *p = apigw_patch_new();
    apigw_patch_replace(p, "/variables/lambdaAlias", "dev");
    apigw_patch_replace(p, apigw_patch_path(p, "*", "*", "throttling", "rateLimit", NULL), "10000");
    CHECK(t, "PATCH", "/restapis/a1/stages/dev", NULL,
          "{\"patchOperations\":[{\"op\":\"replace\",\"path\":\"/variables/"
          "lambdaAlias\",\"value\":\"dev\"},"
          "{\"op\":\"replace\",\"path\":\"/*/*/throttling/rateLimit\",\"value\":\"10000\"}]}",
          apigw_update_stage, "a1", "dev", p);
    CHECK(t, "DELETE", "/restapis/a1/stages/dev", NULL, NULL, apigw_delete_stage, "a1", "dev");
    CHECK(t, "DELETE", "/restapis/a1/stages/prod/cache/data", NULL, NULL, apigw_flush_stage_cache,
          "a1", "prod");
}

static void usage_plan_operations(void **state) {
    T *t = *state;
    apigw_api_stage stages[] = {{"a1", "dev"}, {"a1", "prod"}};
    apigw_usage_plan_in in = {.description = "Cloud Academy Lab Plan",
                              .api_stages = stages,
                              .n_api_stages = 2,
                              .throttle = &(apigw_throttle){.rate_limit = 10.5, .burst_limit = 20},
                              .quota = &(apigw_quota){.limit = 1000, .period = "DAY"}};
    CHECK(t, "POST", "/usageplans", NULL,
          "{\"name\":\"CloudAcademyPlan\",\"description\":\"Cloud Academy Lab Plan\","
          "\"apiStages\":[{\"apiId\":\"a1\",\"stage\":\"dev\"},{\"apiId\":\"a1\",\"stage\":"
          "\"prod\"}],"
          "\"throttle\":{\"burstLimit\":20,\"rateLimit\":10.5},"
          "\"quota\":{\"limit\":1000,\"offset\":0,\"period\":\"DAY\"}}",
          apigw_create_usage_plan, "CloudAcademyPlan", &in);
    CHECK(t, "GET", "/usageplans/u1", NULL, NULL, apigw_get_usage_plan, "u1");
    CHECK(t, "GET", "/usageplans", "keyId=k1", NULL, apigw_get_usage_plans, NULL, "k1");
    CHECK(t, "PATCH", "/usageplans/u1", NULL,
          "{\"patchOperations\":[{\"op\":\"add\",\"path\":\"/apiStages\",\"value\":\"a1:dev\"}]}",
          apigw_update_usage_plan, "u1",
          apigw_patch_add(apigw_patch_new(), "/apiStages", "a1:dev"));
    CHECK(t, "DELETE", "/usageplans/u1", NULL, NULL, apigw_delete_usage_plan, "u1");

    CHECK(t, "POST", "/usageplans/u1/keys", NULL, "{\"keyId\":\"k1\",\"keyType\":\"API_KEY\"}",
          apigw_create_usage_plan_key, "u1", "k1", "API_KEY");
    CHECK(t, "GET", "/usageplans/u1/keys/k1", NULL, NULL, apigw_get_usage_plan_key, "u1", "k1");
    CHECK(t, "GET", "/usageplans/u1/keys", "name=Lab", NULL, apigw_get_usage_plan_keys, "u1", NULL,
          "Lab");
    CHECK(t, "DELETE", "/usageplans/u1/keys/k1", NULL, NULL, apigw_delete_usage_plan_key, "u1",
          "k1");

    CHECK(t, "GET", "/usageplans/u1/usage", "startDate=2026-11-01&endDate=2026-11-30&keyId=k1",
          NULL, apigw_get_usage, "u1", "2026-11-01", "2026-11-30",
          &(apigw_usage_in){.key_id = "k1"});
    CHECK(t, "PATCH", "/usageplans/u1/keys/k1/usage", NULL,
          "{\"patchOperations\":[{\"op\":\"replace\",\"path\":\"/remaining\",\"value\":\"50\"}]}",
          apigw_update_usage, "u1", "k1",
          apigw_patch_replace(apigw_patch_new(), "/remaining", "50"));
}

static void api_key_operations(void **state) {
    T *t = *state;
    CHECK(t, "POST", "/apikeys", NULL,
          "{\"name\":\"LabKey\",\"description\":\"Cloud Academy Lab Key\",\"enabled\":true}",
          apigw_create_api_key,
          &(apigw_api_key_in){
              .name = "LabKey", .description = "Cloud Academy Lab Key", .enabled = true});
    CHECK(t, "GET", "/apikeys/k1", "includeValue=true", NULL, apigw_get_api_key, "k1", true);
    CHECK(t, "GET", "/apikeys/k1", NULL, NULL, apigw_get_api_key, "k1", false);
    CHECK(t, "GET", "/apikeys", "limit=500&name=Lab%20Key&includeValues=true", NULL,
          apigw_get_api_keys,
          &(apigw_api_keys_in){.page.limit = 500, .name_query = "Lab Key", .include_values = true});
    CHECK(t, "GET", "/apikeys", NULL, NULL, apigw_get_api_keys, NULL);
    CHECK(t, "PATCH", "/apikeys/k1", NULL,
          "{\"patchOperations\":[{\"op\":\"replace\",\"path\":\"/enabled\",\"value\":\"false\"}]}",
          apigw_update_api_key, "k1", apigw_patch_replace(apigw_patch_new(), "/enabled", "false"));
    CHECK(t, "DELETE", "/apikeys/k1", NULL, NULL, apigw_delete_api_key, "k1");
}

static void path_labels_are_percent_encoded(void **state) {
    T *t = *state;
    CHECK(t, "GET", "/restapis/a1/models/My%20Model", NULL, NULL, apigw_get_model, "a1", "My Model",
          false);
    http_request *r = t->f->req[t->f->nreq - 1];
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
    T *t = *state;
    t->f->answer[t->f->nanswer++] =
        (canned){404,
                 "{\"message\":\"Invalid API identifier specified 123456789012:nope\"}",
                 {"x-amzn-ErrorType", "NotFoundException:http://internal.amazon.com/coral/"}};
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
    T *t = *state;
    answer(t->f, 201, "{\"id\":\"api1\"}");
    seen s = {0};
    assert_ptr_equal(apigw_create_rest_api(t->cl, "A", NULL, on_done, &s), &s);
    assert_int_equal(s.calls, 0); /* nothing runs inside submit */
    assert_int_equal(transport_process(client_transport(t->cl)), 1);
    assert_int_equal(s.calls, 1);
    assert_string_equal(s.id, "api1");
}

int main(void) {
#define T_(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
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
