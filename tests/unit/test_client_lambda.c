/* Typed Lambda operations: each sends the verb, path, query, headers and
 * body the service model prescribes, and Invoke reports what Lambda's
 * response headers say. A fake transport records every request and answers
 * with canned responses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "client/lambda.h"
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

/* --- tests ---------------------------------------------------------------------- */

/* 7 bytes of a package; base64 "UEsDBHppcA==". */
static const char zip[] = "PK\x03\x04zip";

static void function_operations(void **state) {
    T *t = *state;
    cJSON *env = cJSON_Parse("{\"STAGE\":\"lab\"}");
    lambda_function_in in = {.runtime = "python3.13",
                             .handler = "lambda_function.lambda_handler",
                             .timeout = 30,
                             .environment = env,
                             .publish = true};
    CHECK(t, "POST", "/2015-03-31/functions", NULL,
          "{\"FunctionName\":\"ItemsFunction\",\"Role\":\"arn:aws:iam::123456789012:role/"
          "lambda_basic_execution\","
          "\"Code\":{\"ZipFile\":\"UEsDBHppcA==\"},\"Runtime\":\"python3.13\","
          "\"Handler\":\"lambda_function.lambda_handler\",\"Timeout\":30,"
          "\"Environment\":{\"Variables\":{\"STAGE\":\"lab\"}},\"Publish\":true}",
          lambda_create_function, "ItemsFunction",
          "arn:aws:iam::123456789012:role/lambda_basic_execution", zip, sizeof zip - 1, &in);
    CHECK(t, "GET", "/2015-03-31/functions/ItemsFunction", "Qualifier=prod", NULL,
          lambda_get_function, "ItemsFunction", "prod");
    CHECK(t, "GET", "/2015-03-31/functions/ItemsFunction", NULL, NULL, lambda_get_function,
          "ItemsFunction", NULL);
    CHECK(t, "GET", "/2015-03-31/functions/ItemsFunction/configuration", "Qualifier=%24LATEST",
          NULL, lambda_get_function_configuration, "ItemsFunction", "$LATEST");
    CHECK(t, "GET", "/2015-03-31/functions", "FunctionVersion=ALL&Marker=m%3D1&MaxItems=50", NULL,
          lambda_list_functions, &(lambda_page){"m=1", 50}, true);
    CHECK(t, "GET", "/2015-03-31/functions", NULL, NULL, lambda_list_functions, NULL, false);
    CHECK(t, "DELETE", "/2015-03-31/functions/ItemsFunction", "Qualifier=1", NULL,
          lambda_delete_function, "ItemsFunction", "1");
    CHECK(t, "PUT", "/2015-03-31/functions/ItemsFunction/code", NULL,
          "{\"ZipFile\":\"UEsDBHppcA==\",\"Publish\":true,\"RevisionId\":\"r1\"}",
          lambda_update_function_code, "ItemsFunction", zip, sizeof zip - 1,
          &(lambda_code_in){.publish = true, .revision_id = "r1"});
    CHECK(t, "PUT", "/2015-03-31/functions/ItemsFunction/configuration", NULL,
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
    T *t = *state;
    CHECK(t, "POST", "/2015-03-31/functions/ItemsFunction/versions", NULL, "{}",
          lambda_publish_version, "ItemsFunction", NULL);
    CHECK(t, "POST", "/2015-03-31/functions/ItemsFunction/versions", NULL,
          "{\"CodeSha256\":\"abc=\",\"Description\":\"first\"}", lambda_publish_version,
          "ItemsFunction", &(lambda_publish_in){.code_sha256 = "abc=", .description = "first"});
    CHECK(t, "GET", "/2015-03-31/functions/ItemsFunction/versions", "MaxItems=10", NULL,
          lambda_list_versions_by_function, "ItemsFunction", &(lambda_page){.max_items = 10});

    CHECK(
        t, "POST", "/2015-03-31/functions/ItemsFunction/aliases", NULL,
        "{\"Name\":\"dev\",\"FunctionVersion\":\"$LATEST\",\"Description\":\"Development alias\"}",
        lambda_create_alias, "ItemsFunction", "dev", "$LATEST",
        &(lambda_alias_in){.description = "Development alias"});
    CHECK(t, "GET", "/2015-03-31/functions/ItemsFunction/aliases/prod", NULL, NULL,
          lambda_get_alias, "ItemsFunction", "prod");
    CHECK(t, "GET", "/2015-03-31/functions/ItemsFunction/aliases", "FunctionVersion=1", NULL,
          lambda_list_aliases, "ItemsFunction", "1", NULL);
    cJSON *w = cJSON_Parse("{\"2\":0.1}");
    CHECK(
        t, "PUT", "/2015-03-31/functions/ItemsFunction/aliases/prod", NULL,
        "{\"FunctionVersion\":\"1\",\"RoutingConfig\":{\"AdditionalVersionWeights\":{\"2\":0.1}}}",
        lambda_update_alias, "ItemsFunction", "prod",
        &(lambda_alias_in){.function_version = "1", .weights = w});
    cJSON_Delete(w);
    CHECK(t, "DELETE", "/2015-03-31/functions/ItemsFunction/aliases/dev", NULL, NULL,
          lambda_delete_alias, "ItemsFunction", "dev");
}

static void policy_operations(void **state) {
    T *t = *state;
    lambda_permission_in in = {.qualifier = "prod",
                               .source_arn =
                                   "arn:aws:execute-api:us-west-2:123456789012:a1b2/*/GET/items"};
    CHECK(t, "POST", "/2015-03-31/functions/ItemsFunction/policy", "Qualifier=prod",
          "{\"StatementId\":\"apigw-items\",\"Action\":\"lambda:InvokeFunction\","
          "\"Principal\":\"apigateway.amazonaws.com\","
          "\"SourceArn\":\"arn:aws:execute-api:us-west-2:123456789012:a1b2/*/GET/items\"}",
          lambda_add_permission, "ItemsFunction", "apigw-items", "lambda:InvokeFunction",
          "apigateway.amazonaws.com", &in);
    CHECK(t, "GET", "/2015-03-31/functions/ItemsFunction/policy", "Qualifier=prod", NULL,
          lambda_get_policy, "ItemsFunction", "prod");
    CHECK(t, "DELETE", "/2015-03-31/functions/ItemsFunction/policy/apigw-items",
          "Qualifier=prod&RevisionId=r2", NULL, lambda_remove_permission, "ItemsFunction",
          "apigw-items", "prod", "r2");
    CHECK(t, "DELETE", "/2015-03-31/functions/ItemsFunction/policy/apigw-items", NULL, NULL,
          lambda_remove_permission, "ItemsFunction", "apigw-items", NULL, NULL);
}

static void invoke_sends_raw_payload_and_headers(void **state) {
    T *t = *state;
    t->f->answer[t->f->nanswer++] =
        (canned){200,
                 "{\"ID\": 1, \"name\": \"Pen\", \"price\": 2.5}",
                 {"X-Amz-Executed-Version", "1", "X-Amz-Log-Result", "U1RBUlQ=", NULL}};
    cJSON *out = NULL;
    err e;
    const char ev[] = "{\"ID\": 1}";
    assert_int_equal(CLIENT_SYNC(t->cl, &out, &e, lambda_invoke, "ItemsFunction", ev, sizeof ev - 1,
                                 &(lambda_invoke_in){.qualifier = "prod", .log_type = "Tail"}),
                     0);
    http_request *r = t->f->req[t->f->nreq - 1];
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
    T *t = *state;
    t->f->answer[t->f->nanswer++] =
        (canned){200,
                 "{\"errorMessage\": \"NotFoundError\", \"errorType\": \"Exception\"}",
                 {"X-Amz-Function-Error", "Unhandled", "X-Amz-Executed-Version", "$LATEST", NULL}};
    cJSON *out = NULL;
    err e;
    assert_int_equal(CLIENT_SYNC(t->cl, &out, &e, lambda_invoke, "ItemsFunction", "{\"ID\": 5}", 9,
                                 &(lambda_invoke_in){.invocation_type = "RequestResponse"}),
                     0);
    http_request *r = t->f->req[t->f->nreq - 1];
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
    T *t = *state;
    t->f->answer[t->f->nanswer++] =
        (canned){404,
                 "{\"Type\":\"User\",\"Message\":\"Function not found: "
                 "arn:aws:lambda:us-west-2:123456789012:function:Nope\"}",
                 {"x-amzn-ErrorType", "ResourceNotFoundException", NULL}};
    cJSON *out = NULL;
    err e;
    assert_int_equal(CLIENT_SYNC(t->cl, &out, &e, lambda_invoke, "Nope", NULL, 0, NULL), -1);
    assert_null(out);
    assert_int_equal(e.status, 404);
    assert_string_equal(e.code, "ResourceNotFoundException");
    assert_string_equal(e.msg,
                        "Function not found: arn:aws:lambda:us-west-2:123456789012:function:Nope");
    assert_int_equal(t->f->req[t->f->nreq - 1]->body_len, 0);
}

static void service_errors_carry_type_and_message(void **state) {
    T *t = *state;
    t->f->answer[t->f->nanswer++] =
        (canned){409,
                 "{\"Type\":\"User\",\"Message\":\"Alias already exists: dev\"}",
                 {"x-amzn-ErrorType", "ResourceConflictException", NULL}};
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
    T *t = *state;
    CHECK(t, "GET", "/2015-03-31/functions/ItemsFunction%3Adev/policy", NULL, NULL,
          lambda_get_policy, "ItemsFunction:dev", NULL);
}

int main(void) {
#define T_(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
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
