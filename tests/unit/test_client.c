/* The generic client over a transport: requests it builds, errors it reads,
 * paging it follows, and the local transport's asynchrony. */
#include "fake_transport.h"

#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "client/client.h"
#include "core/json.h"
#include "core/mem.h"
#include "transport/local.h"

static void builds_request_from_op_table(void **state) {
    static const canned script[] = {{201, "{\"id\":\"abc\",\"name\":\"ItemsAPI\"}", {NULL}}};
    fake_transport *f = fake_transport_new();
    fake_answers(f, script, 1);
    client *c = client_new(&f->base, "eu-west-1");
    cJSON *body = cJSON_CreateObject();
    json_set_str(body, "name", "ItemsAPI");
    cJSON *out = NULL;
    err e;
    assert_int_equal(client_call_sync(c, APIGW_CreateRestApi, NULL, 0, NULL, body, &out, &e), 0);
    assert_string_equal(json_str(out, "id"), "abc");
    http_request *r = f->req[0];
    assert_string_equal(r->method, "POST");
    assert_string_equal(r->path, "/restapis");
    assert_string_equal(r->service, "apigateway");
    assert_string_equal(r->region, "eu-west-1");
    assert_string_equal(http_headers_get(&r->headers, "Accept"), "application/json");
    assert_string_equal(r->body, "{\"name\":\"ItemsAPI\"}");
    cJSON_Delete(out);
    client_free(c);
    transport_destroy(&f->base);
}

static void reads_aws_errors(void **state) {
    static const canned script[] = {
        {404,
         "{\"message\":\"Invalid API identifier specified 123456789012:nope\"}",
         {"x-amzn-ErrorType", "NotFoundException:http://internal.amazon.com/coral/x/"}},
        {409,
         "{\"Type\":\"User\",\"Message\":\"Function already exist: F\"}",
         {"x-amzn-ErrorType", "ResourceConflictException"}},
        {502, "<html>bad gateway</html>", {NULL}},
        {200, "{not json", {NULL}},
    };
    fake_transport *f = fake_transport_new();
    fake_answers(f, script, 4);
    client *c = client_new(&f->base, NULL);
    err e;
    assert_int_equal(client_call_sync(c, APIGW_GetRestApi, (const char *[]){"nope"}, 1, NULL, NULL, NULL, &e), -1);
    assert_int_equal(e.status, 404);
    assert_string_equal(e.code, "NotFoundException");
    assert_string_equal(e.msg, "Invalid API identifier specified 123456789012:nope");
    assert_int_equal(client_call_sync(c, LAMBDA_GetFunction, (const char *[]){"F"}, 1, NULL, NULL, NULL, &e), -1);
    assert_string_equal(e.code, "ResourceConflictException");
    assert_string_equal(e.msg, "Function already exist: F");
    assert_int_equal(client_call_sync(c, APIGW_GetRestApis, NULL, 0, NULL, NULL, NULL, &e), -1);
    assert_int_equal(e.status, 502);
    assert_non_null(strstr(e.msg, "bad gateway"));
    assert_int_equal(client_call_sync(c, APIGW_GetRestApis, NULL, 0, NULL, NULL, NULL, &e), -1);
    assert_string_equal(e.code, "MalformedResponse");
    assert_string_equal(f->req[1]->service, "lambda");
    assert_string_equal(f->req[1]->region, "us-west-2");
    client_free(c);
    transport_destroy(&f->base);
}

static void list_result(void *ud, const cJSON *result, const err *e) {
    assert_null(e);
    *(cJSON **)ud = cJSON_Duplicate(result, 1);
}

static void follows_apigw_position(void **state) {
    static const canned script[] = {
        {200, "{\"item\":[{\"id\":\"a\"},{\"id\":\"b\"}],\"position\":\"2\"}", {NULL}},
        {200, "{\"item\":[{\"id\":\"c\"}]}", {NULL}},
    };
    fake_transport *f = fake_transport_new();
    fake_answers(f, script, 2);
    client *c = client_new(&f->base, NULL);
    cJSON *all = NULL;
    client_list_all(c, APIGW_GetResources, (const char *[]){"api1"}, 1, "embed=methods", list_result, &all);
    transport_drain(&f->base);
    assert_int_equal(cJSON_GetArraySize(all), 3);
    assert_string_equal(f->req[0]->query, "limit=500&embed=methods");
    assert_string_equal(f->req[1]->query, "limit=500&embed=methods&position=2");
    assert_string_equal(f->req[1]->path, "/restapis/api1/resources");
    assert_int_equal(client_requests(c), 2);
    cJSON_Delete(all);
    client_free(c);
    transport_destroy(&f->base);
}

static void follows_lambda_marker(void **state) {
    static const canned script[] = {
        {200, "{\"Functions\":[{\"FunctionName\":\"a\"}],\"NextMarker\":\"m/1\"}", {NULL}},
        {200, "{\"Functions\":[{\"FunctionName\":\"b\"}]}", {NULL}},
    };
    fake_transport *f = fake_transport_new();
    fake_answers(f, script, 2);
    client *c = client_new(&f->base, NULL);
    cJSON *all = NULL;
    client_list_all(c, LAMBDA_ListFunctions, NULL, 0, NULL, list_result, &all);
    transport_drain(&f->base);
    assert_int_equal(cJSON_GetArraySize(all), 2);
    assert_string_equal(f->req[1]->query, "MaxItems=10000&Marker=m%2F1");
    cJSON_Delete(all);
    client_free(c);
    transport_destroy(&f->base);
}

static void mark_done(void *ud, const http_response *r, const err *e) {
    *(int *)ud = r ? r->status : -1;
}

static void local_transport_completes_through_poll(void **state) {
    err e;
    store *st = store_open(NULL, &e);
    emulator *emu = emulator_new(st, NULL);
    transport *t = local_transport_new(emu);
    int status = 0;
    transport_submit(t, http_request_new("GET", "/no/such/path"), mark_done, &status);
    /* Never completes inside submit... */
    assert_int_equal(status, 0);
    assert_int_equal(transport_pending(t), 1);
    /* ...but the fd it gives becomes readable. */
    struct pollfd fds[4];
    int n = transport_pollfds(t, fds, 4);
    assert_int_equal(n, 1);
    assert_int_equal(poll(fds, 1, 10000), 1); /* the worker thread answers */
    assert_int_equal(transport_process(t), 1);
    assert_int_equal(status, 404);
    assert_int_equal(transport_pending(t), 0);
    assert_int_equal(transport_timeout_ms(t), -1); /* idle: nothing to wake for */
    assert_string_equal(transport_describe(t), "emulator");
    transport_destroy(t);
    emulator_free(emu);
    store_close(st);
}

static void destroy_completes_pending_with_error(void **state) {
    err e;
    store *st = store_open(NULL, &e);
    emulator *emu = emulator_new(st, NULL);
    transport *t = local_transport_new(emu);
    int status = 0;
    transport_submit(t, http_request_new("GET", "/restapis"), mark_done, &status);
    transport_destroy(t);
    /* Completed: answered if the worker got to it, else cancelled. */
    assert_true(status == 200 || status == -1);
    emulator_free(emu);
    store_close(st);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(builds_request_from_op_table),
        cmocka_unit_test(reads_aws_errors),
        cmocka_unit_test(follows_apigw_position),
        cmocka_unit_test(follows_lambda_marker),
        cmocka_unit_test(local_transport_completes_through_poll),
        cmocka_unit_test(destroy_completes_pending_with_error),
    };
    return cmocka_run_group_tests_name("client", tests, NULL, NULL);
}
