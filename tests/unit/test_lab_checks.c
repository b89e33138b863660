/* The lab's checks as pure functions over hand-made snapshots: what each
 * says when something is missing, what is skipped when the snapshot lacks
 * a part, and the matching they rest on (Lambda URIs, resource policies,
 * templates). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/json.h"
#include "core/mem.h"
#include "fake_transport.h"
#include "lab/checks.h"
#include "lab/fetch.h"
#include "lab/lab.h"

#define ACCOUNT "123456789012"
#define FN_ARN "arn:aws:lambda:us-west-2:" ACCOUNT ":function:ItemsFunction"
#define URI(fn) "arn:aws:apigateway:us-west-2:lambda:path/2015-03-31/functions/" fn "/invocations"
#define EXEC(rest) "arn:aws:execute-api:us-west-2:" ACCOUNT ":abc123/" rest

/* A snapshot over root, whose members carry the snapshot's names. */
static lab_snapshot snap(const cJSON *root) {
    return (lab_snapshot){.connected = json_bool_or(root, "connected", true),
                          .apis = json_arr(root, "apis"),
                          .usage_plans = json_arr(root, "usage_plans"),
                          .api_keys = json_arr(root, "api_keys"),
                          .functions = json_arr(root, "functions"),
                          .resources = json_arr(root, "resources"),
                          .stages = json_arr(root, "stages"),
                          .models = json_arr(root, "models"),
                          .deployments = json_arr(root, "deployments"),
                          .plan_keys = json_arr(root, "plan_keys"),
                          .versions = json_arr(root, "versions"),
                          .aliases = json_arr(root, "aliases"),
                          .policies = json_obj(root, "policies"),
                          .invokes = json_obj(root, "invokes"),
                          .requests = json_obj(root, "requests")};
}

static const lab_result *result(const lab_snapshot *s, int step, const char *id,
                                lab_step_result *r) {
    lab_evaluate(s, step, r);
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->r[i].check->id, id) == 0) return &r->r[i];
    fail_msg("no check %s", id);
    return NULL;
}

static void expect(const lab_snapshot *s, int step, const char *id, lab_status st,
                   const char *msg) {
    lab_step_result r;
    const lab_result *res = result(s, step, id, &r);
    if (res->status != st) fail_msg("%s: status %d (%s), want %d", id, res->status, res->msg, st);
    if (msg) assert_string_equal(res->msg, msg);
}

static cJSON *parse(const char *text) {
    cJSON *j = cJSON_Parse(text);
    if (!j) fail_msg("not JSON: %s", text);
    return j;
}

/* An account with ItemsAPI (stages dev and prod as given) and ItemsFunction. */
static cJSON *account(const char *stages) {
    char *text = xasprintf(
        "{\"apis\":[{\"id\":\"abc123\",\"name\":\"ItemsAPI\",\"createdDate\":10}],"
        "\"functions\":[{\"FunctionName\":\"ItemsFunction\",\"FunctionArn\":\"" FN_ARN "\"}],"
        "\"stages\":%s,\"resources\":[],\"usage_plans\":[],\"policies\":{}}",
        stages);
    cJSON *j = parse(text);
    free(text);
    return j;
}

/* --- the account did not answer -------------------------------------------------- */

static void unreachable_account(void **state) {
    (void)state;
    fake_transport *f = fake_transport_new();
    for (int i = 0; i < 4; i++)
        fake_answer(f, (canned){503,
                                "{\"message\":\"down\"}",
                                {"x-amzn-ErrorType", "ServiceUnavailableException"}});
    client *cl = client_new(&f->base, "us-west-2");
    lab_data d;
    err e;
    lab_fetch_opts o = {.probes = true};
    assert_int_equal(lab_fetch(cl, &o, &d, &e), -1);
    assert_int_equal(e.status, 503);
    assert_false(d.s.connected);
    expect(&d.s, 1, "1.connected", LAB_FAIL, "the account did not answer");
    /* What was not read is not judged. */
    expect(&d.s, 3, "3.api", LAB_SKIP, "the account's APIs are not loaded");
    expect(&d.s, 4, "4.function", LAB_SKIP, "the account's functions are not loaded");
    assert_false(lab_through_passes(&d.s, 10));
    lab_data_free(&d);
    client_free(cl);
    transport_destroy(&f->base);
}

/* --- matching ---------------------------------------------------------------------- */

static void lambda_uris(void **state) {
    (void)state;
    char fn[256], q[128];
    assert_true(lab_lambda_uri_parts(URI(FN_ARN ":${stageVariables.lambdaAlias}"), fn, sizeof fn, q,
                                     sizeof q));
    assert_string_equal(fn, FN_ARN);
    assert_string_equal(q, "${stageVariables.lambdaAlias}");
    assert_true(lab_lambda_uri_parts(URI(FN_ARN), fn, sizeof fn, q, sizeof q));
    assert_string_equal(fn, FN_ARN);
    assert_string_equal(q, "");
    assert_true(lab_lambda_uri_parts(URI(FN_ARN ":prod"), fn, sizeof fn, q, sizeof q));
    assert_string_equal(q, "prod");
    assert_false(lab_lambda_uri_parts("https://example.com/items", fn, sizeof fn, q, sizeof q));
    assert_false(lab_lambda_uri_parts(NULL, fn, sizeof fn, q, sizeof q));
    assert_false(lab_lambda_uri_parts("arn:aws:apigateway:us-west-2:s3:path/bucket/key", fn,
                                      sizeof fn, q, sizeof q));
}

static cJSON *policy(const char *statement) {
    char *text = xasprintf("{\"Version\":\"2012-10-17\",\"Statement\":[%s]}", statement);
    cJSON *p = parse(text);
    free(text);
    return p;
}

#define ALLOW_APIGW(resource, condition)                                                           \
    "{\"Sid\":\"s\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"apigateway.amazonaws.com\"}" \
    ","                                                                                            \
    "\"Action\":\"lambda:InvokeFunction\",\"Resource\":\"" resource "\"" condition "}"
#define ARN_LIKE(v) ",\"Condition\":{\"ArnLike\":{\"AWS:SourceArn\":\"" v "\"}}"

static void policies(void **state) {
    (void)state;
    const char *dev = FN_ARN ":dev";
    cJSON *p = policy(ALLOW_APIGW(FN_ARN ":dev", ARN_LIKE(EXEC("*/GET/items"))));
    assert_true(lab_policy_allows(p, dev, EXEC("dev/GET/items")));
    assert_true(lab_policy_allows(p, dev, EXEC("prod/GET/items")));
    assert_false(lab_policy_allows(p, dev, EXEC("dev/GET/items/{ID}")));
    assert_false(lab_policy_allows(p, dev, EXEC("dev/POST/items")));
    assert_false(lab_policy_allows(p, FN_ARN ":prod", EXEC("dev/GET/items")));
    assert_false(lab_policy_allows(
        p, dev, "arn:aws:execute-api:us-west-2:" ACCOUNT ":other9/dev/GET/items"));
    cJSON_Delete(p);
    /* '*' stays within its part of the ARN, but spans the resource's slashes. */
    p = policy(ALLOW_APIGW(FN_ARN ":*", ARN_LIKE("arn:aws:execute-api:*:" ACCOUNT ":abc123/*")));
    assert_true(lab_policy_allows(p, dev, EXEC("dev/GET/items/{ID}")));
    assert_false(lab_policy_allows(
        p, dev, "arn:aws:execute-api:us-west-2:999999999999:abc123/dev/GET/items"));
    cJSON_Delete(p);
    /* No condition: any source. */
    p = policy(ALLOW_APIGW(FN_ARN ":dev", ""));
    assert_true(lab_policy_allows(p, dev, EXEC("dev/GET/items")));
    cJSON_Delete(p);
    /* Another principal, a condition it cannot tell, a Deny that wins. */
    p = policy("{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"events.amazonaws.com\"},"
               "\"Action\":\"lambda:InvokeFunction\",\"Resource\":\"" FN_ARN ":dev\"}");
    assert_false(lab_policy_allows(p, dev, EXEC("dev/GET/items")));
    cJSON_Delete(p);
    p = policy(ALLOW_APIGW(FN_ARN ":dev",
                           ",\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-1\"}}"));
    assert_false(lab_policy_allows(p, dev, EXEC("dev/GET/items")));
    cJSON_Delete(p);
    p = policy(ALLOW_APIGW(FN_ARN ":dev",
                           ",\"Condition\":{\"StringEquals\":{\"AWS:SourceAccount\":\"" ACCOUNT
                           "\"}}"));
    assert_true(lab_policy_allows(p, dev, EXEC("dev/GET/items")));
    cJSON_Delete(p);
    p = policy(ALLOW_APIGW(FN_ARN ":dev", "") ",{\"Effect\":\"Deny\",\"Principal\":\"*\","
                                              "\"Action\":\"lambda:*\",\"Resource\":\"*\"}");
    assert_false(lab_policy_allows(p, dev, EXEC("dev/GET/items")));
    cJSON_Delete(p);
    assert_false(lab_policy_allows(NULL, dev, EXEC("dev/GET/items")));
}

static void templates(void **state) {
    (void)state;
    assert_true(lab_same_template("{\n  \"ID\": $input.params(\"ID\")\n}",
                                  "{\"ID\":$input.params(\"ID\")}"));
    assert_true(lab_same_template(" a\tb\r\n", "ab"));
    assert_false(
        lab_same_template("{\"ID\": $input.params('ID')}", "{\"ID\": $input.params(\"ID\")}"));
    assert_false(lab_same_template("ab", "abc"));
    assert_false(lab_same_template(NULL, "ab"));
}

static void counted_steps(void **state) {
    (void)state;
    for (int s = 1; s <= 10; s++)
        assert_true(lab_step_counts(s, 10));
    assert_false(lab_step_counts(11, 10));
    assert_true(lab_step_counts(3, 3));
    assert_false(lab_step_counts(4, 3));
    assert_true(lab_step_counts(1, 11));
    assert_true(lab_step_counts(2, 11));
    assert_false(lab_step_counts(3, 11));
    assert_false(lab_step_counts(10, 11));
    assert_true(lab_step_counts(11, 11));
    assert_false(lab_step_counts(0, 10));
    assert_false(lab_step_counts(12, 12));
    /* Every step has a title and instructions; step 2 alone has no checks. */
    for (int s = 1; s <= LAB_STEPS; s++) {
        const lab_step *st = lab_step_get(s);
        assert_non_null(st);
        assert_int_equal(st->n, s);
        assert_true(strlen(st->instructions) > 100);
        size_t n;
        lab_checks(s, &n);
        assert_true(s == 2 ? n == 0 : n > 0);
        assert_true(n <= LAB_CHECKS_MAX);
    }
    assert_null(lab_step_get(0));
    assert_null(lab_step_get(12));
}

/* --- what the checks say ------------------------------------------------------------- */

static void api_messages(void **state) {
    (void)state;
    cJSON *root =
        parse("{\"apis\":[{\"id\":\"new1\",\"name\":\"ItemsAPI\",\"createdDate\":20,"
              "\"endpointConfiguration\":{\"types\":[\"EDGE\"]}},"
              "{\"id\":\"old1\",\"name\":\"ItemsAPI\",\"createdDate\":10,"
              "\"description\":\"mine\",\"endpointConfiguration\":{\"types\":[\"EDGE\"]}},"
              "{\"id\":\"x\",\"name\":\"Other\",\"createdDate\":1}],"
              "\"resources\":[{\"id\":\"r\",\"path\":\"/\"},{\"id\":\"i\",\"path\":\"/items\","
              "\"resourceMethods\":{\"GET\":{\"methodResponses\":{\"200\":{}},"
              "\"methodIntegration\":{\"type\":\"MOCK\",\"integrationResponses\":{\"200\":"
              "{\"responseTemplates\":{\"application/json\":\"[]\"}}}}}}}],"
              "\"models\":[{\"name\":\"Item\",\"contentType\":\"text/plain\",\"schema\":\"{}\"}],"
              "\"stages\":[]}");
    lab_snapshot s = snap(root);
    assert_string_equal(json_str(lab_api(&s), "id"), "old1");
    expect(&s, 3, "3.api", LAB_PASS, NULL);
    expect(&s, 3, "3.api.one", LAB_FAIL,
           "2 APIs are named ItemsAPI; the lab works on the oldest (old1): delete the others");
    expect(&s, 3, "3.api.description", LAB_FAIL,
           "ItemsAPI's description is 'mine', not 'Cloud Academy Lab API'");
    expect(&s, 3, "3.api.regional", LAB_FAIL, "ItemsAPI's endpoint type is EDGE, not REGIONAL");
    expect(&s, 3, "3.model.item", LAB_FAIL,
           "model Item's content type is 'text/plain', not application/json");
    expect(&s, 3, "3.model.items", LAB_FAIL, "ItemsAPI has no model Items");
    expect(&s, 3, "3.res.item", LAB_FAIL, "ItemsAPI has no resource /items/{ID}");
    expect(&s, 3, "3.get.items", LAB_FAIL,
           "GET /items's 200 mapping template is not the lab's list template");
    expect(&s, 3, "3.get.item", LAB_FAIL, "ItemsAPI has no resource /items/{ID}");
    expect(&s, 3, "3.stage.dev", LAB_FAIL, "ItemsAPI has no stage dev");
    /* The stages were not called: nothing to say about what they serve. */
    expect(&s, 3, "3.serve.dev", LAB_FAIL, "ItemsAPI has no stage dev");
    cJSON_Delete(root);
}

static void serve_messages(void **state) {
    (void)state;
    cJSON *root = account("[{\"stageName\":\"dev\"},{\"stageName\":\"prod\"}]");
    lab_snapshot s = snap(root);
    expect(&s, 3, "3.serve.dev", LAB_SKIP,
           "the stages have not been called yet (or cannot be: no data plane)");
    json_set(
        root, "requests",
        parse("{\"dev GET /items\":{\"status\":403,\"body\":{\"message\":\"Missing "
              "Authentication Token\"}},"
              "\"prod GET /items\":{\"status\":200,\"body\":[{\"ID\":1,\"name\":\"foo1\"}]},"
              "\"prod GET /items/1\":{\"status\":200,\"body\":{\"ID\":1,\"name\":\"foo1\"}}}"));
    s = snap(root);
    expect(&s, 3, "3.serve.dev", LAB_FAIL,
           "dev answers GET /items with 403 {\"message\":\"Missing Authentication Token\"}");
    expect(&s, 3, "3.serve.prod", LAB_PASS, NULL);
    /* The mock's list is not the function's. */
    expect(&s, 6, "6.serve.prod", LAB_FAIL,
           "prod answers GET /items with 200 [{\"ID\":1,\"name\":\"foo1\"}], not ItemsFunction's "
           "answer: deploy the API to prod");
    expect(&s, 8, "8.deployed.prod", LAB_SKIP, "prod was not called");
    cJSON_Delete(root);
}

static void variable_messages(void **state) {
    (void)state;
    cJSON *root = account("[{\"stageName\":\"dev\",\"variables\":{\"lambdaAlias\":\"dev\"}},"
                          "{\"stageName\":\"prod\"}]");
    lab_snapshot s = snap(root);
    expect(&s, 7, "7.var.dev", LAB_PASS, NULL);
    expect(&s, 7, "7.var.prod", LAB_FAIL, "prod has no stage variable lambdaAlias");
    expect(&s, 7, "7.perm", LAB_FAIL,
           "API Gateway may not invoke ItemsFunction:dev for dev's GET /items: its policy has no "
           "statement allowing abc123");
    cJSON_Delete(root);
    root = account("[{\"stageName\":\"dev\",\"variables\":{\"lambdaAlias\":\"dev\"}},"
                   "{\"stageName\":\"prod\",\"variables\":{\"lambdaAlias\":\"dev\"}}]");
    s = snap(root);
    expect(&s, 7, "7.var.prod", LAB_FAIL, "prod's stage variable lambdaAlias is 'dev', not 'prod'");
    cJSON_Delete(root);
}

static void integration_messages(void **state) {
    (void)state;
    cJSON *root = account("[]");
    json_set(root, "resources",
             parse("[{\"path\":\"/items\",\"resourceMethods\":{\"GET\":{\"methodIntegration\":"
                   "{\"type\":\"AWS\",\"uri\":\"" URI(
                       FN_ARN ":prod") "\","
                                       "\"integrationResponses\":{\"200\":{}}}}}},"
                                       "{\"path\":\"/items/"
                                       "{ID}\",\"resourceMethods\":{\"GET\":{\"methodIntegration\":"
                                       "{\"type\":\"AWS_PROXY\",\"uri\":\"" URI(FN_ARN) "\"}}}}]"));
    lab_snapshot s = snap(root);
    expect(&s, 6, "6.integ.items", LAB_PASS, NULL);
    expect(&s, 6, "6.integ.item", LAB_FAIL,
           "GET /items/{ID} uses a Lambda proxy integration; the lab turns proxy off");
    expect(&s, 7, "7.uri.items", LAB_FAIL,
           "GET /items calls ItemsFunction:prod, not ItemsFunction:${stageVariables.lambdaAlias}");
    expect(&s, 9, "9.cors.items", LAB_FAIL, "/items has no OPTIONS method");
    expect(&s, 8, "8.keyreq.items", LAB_FAIL, "GET /items does not require an API key");
    /* Another function behind the URI. */
    json_set(root, "functions",
             parse("[{\"FunctionName\":\"ItemsFunction\",\"FunctionArn\":\"arn:aws:lambda:us-west-"
                   "2:" ACCOUNT ":function:ItemsFunction2\"}]"));
    s = snap(root);
    expect(&s, 6, "6.integ.items", LAB_FAIL, "GET /items calls " FN_ARN ", not ItemsFunction");
    cJSON_Delete(root);
}

static void cache_and_plan_messages(void **state) {
    (void)state;
    cJSON *root = account("[{\"stageName\":\"prod\"}]");
    json_set(root, "usage_plans",
             parse("[{\"id\":\"p1\",\"name\":\"CloudAcademyPlan\","
                   "\"quota\":{\"limit\":500,\"period\":\"WEEK\"}}]"));
    json_set(root, "api_keys", parse("[{\"id\":\"k1\",\"name\":\"LabKey\",\"enabled\":false}]"));
    lab_snapshot s = snap(root);
    expect(&s, 10, "10.cache", LAB_FAIL, "prod has no API cache");
    expect(&s, 10, "10.cache.ttl", LAB_FAIL, "prod's cache time-to-live is 300 seconds, not 3600");
    expect(&s, 10, "10.throttle", LAB_FAIL, "prod has no throttling set (rate 10000, burst 5000)");
    expect(&s, 10, "10.quota", LAB_FAIL,
           "CloudAcademyPlan's quota is 500 per WEEK, not 1000 per DAY");
    expect(&s, 8, "8.plan.prod", LAB_FAIL,
           "CloudAcademyPlan is not associated with ItemsAPI's prod stage");
    expect(&s, 8, "8.key", LAB_FAIL, "the API key LabKey is disabled");
    /* The plan's keys were not loaded (the console's mirror may lack them). */
    expect(&s, 8, "8.key.plan", LAB_SKIP, "CloudAcademyPlan's keys are not loaded");
    cJSON_Delete(root);
    root = account(
        "[{\"stageName\":\"prod\",\"cacheClusterEnabled\":true,\"cacheClusterSize\":\"1.6\","
        "\"methodSettings\":{\"*/*\":{\"cacheTtlInSeconds\":3600,"
        "\"requireAuthorizationForCacheControl\":true,"
        "\"unauthorizedCacheControlHeaderStrategy\":\"SUCCEED_WITH_RESPONSE_HEADER\","
        "\"throttlingRateLimit\":100,\"throttlingBurstLimit\":50}}}]");
    s = snap(root);
    expect(&s, 10, "10.cache", LAB_FAIL, "prod's cache holds 1.6 GB, not 0.5");
    expect(&s, 10, "10.cache.ttl", LAB_PASS, NULL);
    expect(&s, 10, "10.cache.auth", LAB_FAIL,
           "prod handles unauthorized invalidation with SUCCEED_WITH_RESPONSE_HEADER, not "
           "FAIL_WITH_403");
    expect(&s, 10, "10.throttle", LAB_FAIL,
           "prod throttles at rate 100 and burst 50, not 10000 and 5000");
    cJSON_Delete(root);
}

static void function_messages(void **state) {
    (void)state;
    cJSON *root = parse(
        "{\"functions\":[{\"FunctionName\":\"ItemsFunction\",\"Runtime\":\"nodejs20.x\","
        "\"Handler\":\"index.handler\",\"Role\":\"arn:aws:iam::" ACCOUNT ":role/admin\"}],"
        "\"versions\":[{\"Version\":\"$LATEST\"}],"
        "\"aliases\":[{\"Name\":\"prod\",\"FunctionVersion\":\"$LATEST\"}],"
        "\"invokes\":{\"GetItems\":{\"StatusCode\":200,\"Payload\":[]},"
        "\"GetItem\":{\"StatusCode\":200,\"FunctionError\":\"Unhandled\",\"Payload\":"
        "{\"errorMessage\":\"boom\"}},\"GetItemNotFound\":{\"StatusCode\":200,\"Payload\":null}}}");
    lab_snapshot s = snap(root);
    expect(&s, 4, "4.runtime", LAB_FAIL, "ItemsFunction runs on nodejs20.x, not Python 3");
    expect(&s, 4, "4.handler", LAB_FAIL,
           "ItemsFunction's handler is 'index.handler', not lambda_function.lambda_handler");
    expect(&s, 4, "4.role", LAB_FAIL,
           "ItemsFunction runs as arn:aws:iam::" ACCOUNT
           ":role/admin, not the role lambda_basic_execution");
    expect(&s, 4, "4.event.list", LAB_FAIL,
           "GetItems ({}) returns [], where the lab returns the four items");
    expect(
        &s, 4, "4.event.one", LAB_FAIL,
        "GetItem ({\"ID\": 1}) fails with {\"errorMessage\":\"boom\"}, where the lab returns the "
        "item Pen");
    expect(&s, 4, "4.event.missing", LAB_FAIL,
           "GetItemNotFound ({\"ID\": 5}) returns null, where the lab raises NotFoundError");
    expect(&s, 5, "5.version", LAB_FAIL, "ItemsFunction has no published version");
    expect(&s, 5, "5.alias.dev", LAB_FAIL, "ItemsFunction has no alias dev");
    expect(&s, 5, "5.alias.prod", LAB_FAIL,
           "alias prod points at $LATEST, not a published version");
    cJSON_Delete(root);
}

static void cleanup_messages(void **state) {
    (void)state;
    cJSON *root =
        parse("{\"apis\":[{\"name\":\"ItemsAPI\"},{\"name\":\"ItemsAPI\"}],"
              "\"api_keys\":[],\"usage_plans\":[{\"name\":\"OtherPlan\"}],\"functions\":[]}");
    lab_snapshot s = snap(root);
    expect(&s, 11, "11.api", LAB_FAIL, "API ItemsAPI still exists (more than one)");
    expect(&s, 11, "11.plan", LAB_PASS, NULL);
    expect(&s, 11, "11.key", LAB_PASS, NULL);
    expect(&s, 11, "11.function", LAB_PASS, NULL);
    assert_false(lab_through_passes(&s, 11));
    cJSON_DeleteItemFromObject(root, "apis");
    json_set(root, "apis", cJSON_CreateArray());
    s = snap(root);
    assert_true(lab_through_passes(&s, 11));
    cJSON_Delete(root);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unreachable_account),
        cmocka_unit_test(lambda_uris),
        cmocka_unit_test(policies),
        cmocka_unit_test(templates),
        cmocka_unit_test(counted_steps),
        cmocka_unit_test(api_messages),
        cmocka_unit_test(serve_messages),
        cmocka_unit_test(variable_messages),
        cmocka_unit_test(integration_messages),
        cmocka_unit_test(cache_and_plan_messages),
        cmocka_unit_test(function_messages),
        cmocka_unit_test(cleanup_messages),
    };
    return cmocka_run_group_tests_name("lab_checks", tests, NULL, NULL);
}
