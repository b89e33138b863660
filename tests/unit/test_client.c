/* The generic client over a transport: requests it builds, errors it reads,
 * paging it follows, and the local transport's asynchrony. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "client/client.h"
#include "core/json.h"
#include "core/mem.h"
#include "transport/local.h"

/* A transport that records requests and answers from a script of canned
 * responses, one per request. */
typedef struct canned {
    int status;
    const char *type; /* x-amzn-ErrorType or NULL */
    const char *body;
} canned;

typedef struct fake {
    transport base;
    const canned *script;
    size_t next, n;
    http_request *seen[8];
    size_t nseen;
    struct {
        transport_done_fn done;
        void *ud;
        http_response resp;
    } q[8];
    size_t nq;
} fake;

static void f_submit(transport *t, http_request *req, transport_done_fn done, void *ud) {
    fake *f = (fake *)t;
    f->seen[f->nseen++] = req;
    const canned *c = &f->script[f->next++];
    http_response *r = &f->q[f->nq].resp;
    http_response_init(r);
    r->status = c->status;
    if (c->type) http_headers_add(&r->headers, "x-amzn-ErrorType", c->type);
    if (c->body) http_response_set_body(r, c->body, strlen(c->body));
    f->q[f->nq].done = done;
    f->q[f->nq].ud = ud;
    f->nq++;
}
static int f_pollfds(transport *t, struct pollfd *fds, int max) { return 0; }
static int f_timeout(transport *t) { return 0; }
static int f_process(transport *t) {
    fake *f = (fake *)t;
    int n = 0;
    /* Completions may submit more: run until the queue stays empty. */
    for (size_t i = 0; i < f->nq; i++, n++) {
        f->q[i].done(f->q[i].ud, &f->q[i].resp, NULL);
        http_response_free(&f->q[i].resp);
    }
    f->nq = 0;
    return n;
}
static size_t f_pending(transport *t) { return ((fake *)t)->nq; }
static void f_destroy(transport *t) {
    fake *f = (fake *)t;
    for (size_t i = 0; i < f->nseen; i++) http_request_free(f->seen[i]);
}
static const char *f_describe(transport *t) { return "fake"; }
static const transport_ops fake_ops = {f_submit, f_pollfds, f_timeout, f_process,
                                       f_pending, f_destroy, f_describe};

static void init_fake(fake *f, const canned *script, size_t n) {
    memset(f, 0, sizeof *f);
    f->base.ops = &fake_ops;
    f->script = script;
    f->n = n;
}

static void builds_request_from_op_table(void **state) {
    static const canned script[] = {{201, NULL, "{\"id\":\"abc\",\"name\":\"ItemsAPI\"}"}};
    fake f;
    init_fake(&f, script, 1);
    client *c = client_new(&f.base, "eu-west-1");
    cJSON *body = cJSON_CreateObject();
    json_set_str(body, "name", "ItemsAPI");
    cJSON *out = NULL;
    err e;
    assert_int_equal(client_call_sync(c, APIGW_CreateRestApi, NULL, 0, NULL, body, &out, &e), 0);
    assert_string_equal(json_str(out, "id"), "abc");
    http_request *r = f.seen[0];
    assert_string_equal(r->method, "POST");
    assert_string_equal(r->path, "/restapis");
    assert_string_equal(r->service, "apigateway");
    assert_string_equal(r->region, "eu-west-1");
    assert_string_equal(http_headers_get(&r->headers, "Accept"), "application/json");
    assert_string_equal(r->body, "{\"name\":\"ItemsAPI\"}");
    cJSON_Delete(out);
    client_free(c);
    f_destroy(&f.base);
}

static void reads_aws_errors(void **state) {
    static const canned script[] = {
        {404, "NotFoundException:http://internal.amazon.com/coral/x/", "{\"message\":\"Invalid API identifier specified 123456789012:nope\"}"},
        {409, "ResourceConflictException", "{\"Type\":\"User\",\"Message\":\"Function already exist: F\"}"},
        {502, NULL, "<html>bad gateway</html>"},
        {200, NULL, "{not json"},
    };
    fake f;
    init_fake(&f, script, 4);
    client *c = client_new(&f.base, NULL);
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
    assert_string_equal(f.seen[1]->service, "lambda");
    assert_string_equal(f.seen[1]->region, "us-west-2");
    client_free(c);
    f_destroy(&f.base);
}

static void list_result(void *ud, const cJSON *result, const err *e) {
    assert_null(e);
    *(cJSON **)ud = cJSON_Duplicate(result, 1);
}

static void follows_apigw_position(void **state) {
    static const canned script[] = {
        {200, NULL, "{\"item\":[{\"id\":\"a\"},{\"id\":\"b\"}],\"position\":\"2\"}"},
        {200, NULL, "{\"item\":[{\"id\":\"c\"}]}"},
    };
    fake f;
    init_fake(&f, script, 2);
    client *c = client_new(&f.base, NULL);
    cJSON *all = NULL;
    client_list_all(c, APIGW_GetResources, (const char *[]){"api1"}, 1, "embed=methods", list_result, &all);
    transport_drain(&f.base);
    assert_int_equal(cJSON_GetArraySize(all), 3);
    assert_string_equal(f.seen[0]->query, "limit=500&embed=methods");
    assert_string_equal(f.seen[1]->query, "limit=500&embed=methods&position=2");
    assert_string_equal(f.seen[1]->path, "/restapis/api1/resources");
    assert_int_equal(client_requests(c), 2);
    cJSON_Delete(all);
    client_free(c);
    f_destroy(&f.base);
}

static void follows_lambda_marker(void **state) {
    static const canned script[] = {
        {200, NULL, "{\"Functions\":[{\"FunctionName\":\"a\"}],\"NextMarker\":\"m/1\"}"},
        {200, NULL, "{\"Functions\":[{\"FunctionName\":\"b\"}]}"},
    };
    fake f;
    init_fake(&f, script, 2);
    client *c = client_new(&f.base, NULL);
    cJSON *all = NULL;
    client_list_all(c, LAMBDA_ListFunctions, NULL, 0, NULL, list_result, &all);
    transport_drain(&f.base);
    assert_int_equal(cJSON_GetArraySize(all), 2);
    assert_string_equal(f.seen[1]->query, "MaxItems=10000&Marker=m%2F1");
    cJSON_Delete(all);
    client_free(c);
    f_destroy(&f.base);
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
    assert_int_equal(poll(fds, 1, 0), 1);
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
    assert_int_equal(status, -1); /* completed, without a response */
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
