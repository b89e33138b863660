/* STS GetCallerIdentity: the XML reader, the answer and error parsing, the
 * request as it leaves the client, and the whole call signed for "sts"
 * over the curl transport to `serve`, which answers with the emulator's
 * account. With APIGW_TEST_MOTO_URL set (a moto_server on 127.0.0.1), the
 * same call runs against moto too. */
#include "fake_transport.h"
#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/raw.h"
#include "client/sts.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"
#include "server/server.h"
#include "transport/credentials.h"
#include "transport/curl.h"

#define IDENTITY_XML                                                                               \
    "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"            \
    "  <GetCallerIdentityResult>\n"                                                                \
    "    <Arn>arn:aws:sts::111122223333:assumed-role/Lab&amp;Ops/student&#64;example</Arn>\n"      \
    "    <UserId>AROAEXAMPLE:student</UserId>\n"                                                   \
    "    <Account>111122223333</Account>\n"                                                        \
    "  </GetCallerIdentityResult>\n"                                                               \
    "  <ResponseMetadata>\n"                                                                       \
    "    <RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>\n"                            \
    "  </ResponseMetadata>\n"                                                                      \
    "</GetCallerIdentityResponse>\n"

#define ERROR_XML                                                                                  \
    "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"                        \
    "  <Error>\n"                                                                                  \
    "    <Type>Sender</Type>\n"                                                                    \
    "    <Code>InvalidClientTokenId</Code>\n"                                                      \
    "    <Message>The security token included in the request is invalid.</Message>\n"              \
    "  </Error>\n"                                                                                 \
    "  <RequestId>abc</RequestId>\n"                                                               \
    "</ErrorResponse>\n"

/* --- the XML reader --------------------------------------------------------- */

static char *xml_text(const char *xml, const char *tag) {
    return sts_xml_text(xml, strlen(xml), tag);
}

static void expect_text(const char *xml, const char *tag, const char *want) {
    char *got = xml_text(xml, tag);
    if (!want) {
        if (got) fail_msg("<%s> gave '%s', wanted none", tag, got);
        return;
    }
    if (!got) fail_msg("<%s> gave none, wanted '%s'", tag, want);
    assert_string_equal(got, want);
    free(got);
}

static void reads_elements_and_entities(void **state) {
    expect_text(IDENTITY_XML, "Account", "111122223333");
    expect_text(IDENTITY_XML, "UserId", "AROAEXAMPLE:student");
    expect_text(IDENTITY_XML, "Arn",
                "arn:aws:sts::111122223333:assumed-role/Lab&Ops/student@example");
    expect_text(IDENTITY_XML, "Code", NULL);
    expect_text("<a>&lt;b&gt; &quot;q&quot; &apos;s&apos; &amp;amp;</a>", "a",
                "<b> \"q\" 's' &amp;");
    /* Numeric references, as UTF-8; unknown or broken entities stay. */
    expect_text("<a>&#xE9;&#233;&#x1F600; &nbsp; &#; &#xZZ; & x</a>", "a",
                "\xC3\xA9\xC3\xA9\xF0\x9F\x98\x80 &nbsp; &#; &#xZZ; & x");
    expect_text("<a>&#0;&#xD800;</a>", "a", "\xEF\xBF\xBD\xEF\xBF\xBD");
    /* A name that only starts like the tag is another element. */
    expect_text("<AccountId>1</AccountId><Account>2</Account>", "Account", "2");
    expect_text("<Account\n  kind=\"x\">3</Account>", "Account", "3");
    expect_text("<r><Account/></r>", "Account", "");
    expect_text("<Account>unclosed", "Account", NULL);
    expect_text("<Account", "Account", NULL);
    expect_text("", "Account", NULL);
    /* Only the first len bytes count. */
    char *cut = sts_xml_text("<a>1</a>", 5, "a");
    assert_null(cut);
}

/* --- the answer -------------------------------------------------------------- */

static void answer(http_response *r, int status, const char *body) {
    http_response_init(r);
    r->status = status;
    http_response_set_body(r, body, strlen(body));
}

static void parses_identity_and_errors(void **state) {
    http_response r;
    cJSON *who;
    err e;
    answer(&r, 200, IDENTITY_XML);
    assert_int_equal(sts_parse_identity(&r, &who, &e), 0);
    assert_string_equal(json_str(who, "Account"), "111122223333");
    assert_string_equal(json_str(who, "UserId"), "AROAEXAMPLE:student");
    assert_string_equal(json_str(who, "Arn"),
                        "arn:aws:sts::111122223333:assumed-role/Lab&Ops/student@example");
    assert_int_equal(cJSON_GetArraySize(who), 3);
    cJSON_Delete(who);
    http_response_free(&r);

    answer(&r, 403, ERROR_XML);
    assert_int_equal(sts_parse_identity(&r, &who, &e), -1);
    assert_null(who);
    assert_int_equal(e.status, 403);
    assert_string_equal(e.code, "InvalidClientTokenId");
    assert_string_equal(e.msg, "The security token included in the request is invalid.");
    http_response_free(&r);

    /* An endpoint without STS answers in its own (JSON) shape. */
    answer(&r, 404, "{\"message\":\"Unknown operation\"}");
    http_headers_add(&r.headers, "x-amzn-ErrorType", "UnknownOperationException:http://x");
    assert_int_equal(sts_parse_identity(&r, &who, &e), -1);
    assert_int_equal(e.status, 404);
    assert_string_equal(e.code, "UnknownOperationException");
    assert_string_equal(e.msg, "Unknown operation");
    http_response_free(&r);

    answer(&r, 502, "Bad gateway");
    assert_int_equal(sts_parse_identity(&r, &who, &e), -1);
    assert_string_equal(e.code, "");
    assert_string_equal(e.msg, "HTTP 502: Bad gateway");
    http_response_free(&r);

    answer(&r, 200, "<html>a captive portal</html>");
    assert_int_equal(sts_parse_identity(&r, &who, &e), -1);
    assert_string_equal(e.code, "MalformedResponse");
    assert_string_equal(e.msg, "the GetCallerIdentity answer holds no Account");
    http_response_free(&r);
}

/* --- the request ---------------------------------------------------------------- */

static void sends_the_query_protocol_request(void **state) {
    fake_transport *f = fake_transport_new();
    fake_answer(f, (canned){200, IDENTITY_XML, {"Content-Type", "text/xml"}});
    fake_answer(f, (canned){403, ERROR_XML, {"Content-Type", "text/xml"}});
    client *cl = client_new(&f->base, "eu-central-1");
    cJSON *who = NULL;
    err e;
    assert_int_equal(sts_get_caller_identity_sync(cl, &who, &e), 0);
    http_request *req = fake_last_request(f);
    assert_string_equal(req->method, "POST");
    assert_string_equal(req->path, "/");
    assert_null(req->query);
    assert_string_equal(req->service, "sts");
    assert_string_equal(req->region, "eu-central-1");
    assert_true(str_starts(http_headers_get(&req->headers, "Content-Type"),
                           "application/x-www-form-urlencoded"));
    assert_int_equal(req->body_len, strlen("Action=GetCallerIdentity&Version=2011-06-15"));
    assert_memory_equal(req->body, "Action=GetCallerIdentity&Version=2011-06-15", req->body_len);
    assert_string_equal(json_str(who, "Account"), "111122223333");
    cJSON_Delete(who);

    who = NULL;
    assert_int_equal(sts_get_caller_identity_sync(cl, &who, &e), -1);
    assert_null(who);
    assert_string_equal(e.code, "InvalidClientTokenId");
    client_free(cl);
    transport_destroy(&f->base);
}

/* --- signed, over HTTP ------------------------------------------------------------- */

static void fixed_credentials(void) {
    setenv("AWS_ACCESS_KEY_ID", "AKIDSTSTEST", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "sts-test-secret", 1);
    unsetenv("AWS_SESSION_TOKEN");
    unsetenv("AWS_PROFILE");
    setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials", 1);
    setenv("AWS_CONFIG_FILE", "/nonexistent/config", 1);
    unsetenv("AWS_ENDPOINT_URL");
    unsetenv("AWS_ENDPOINT_URL_STS");
}

typedef struct remote {
    cred_chain *cc;
    transport *t;
    client *cl;
} remote;

static void remote_open(remote *v, const char *url) {
    fixed_credentials();
    v->cc = cred_chain_new(&(cred_opts){0});
    err e;
    curl_transport_opts o = {
        .region = "us-west-2", .creds = v->cc, .endpoint_url = url, .max_attempts = 1};
    v->t = curl_transport_new(&o, &e);
    assert_non_null(v->t);
    v->cl = client_new(v->t, "us-west-2");
}

static void remote_close(remote *v) {
    client_free(v->cl);
    transport_destroy(v->t);
    cred_chain_free(v->cc);
}

/* An emulator of account 210987654321 served on 127.0.0.1. */
typedef struct served {
    store *st;
    emulator *emu;
    server *srv;
    char *url;
} served;

static void serve_start(served *s) {
    err e;
    s->st = store_open(NULL, &e);
    assert_non_null(s->st);
    emulator_opts o = {.account_id = "210987654321"};
    s->emu = emulator_new(s->st, &o);
    s->srv = server_start(s->emu, "127.0.0.1", 0, &e);
    assert_non_null(s->srv);
    s->url = xasprintf("http://127.0.0.1:%d", server_port(s->srv));
}

static void serve_stop(served *s) {
    server_stop(s->srv);
    emulator_free(s->emu);
    store_close(s->st);
    free(s->url);
}

static void serve_answers_with_the_emulators_account(void **state) {
    served s;
    serve_start(&s);
    remote v;
    remote_open(&v, s.url);
    cJSON *who = NULL;
    err e;
    if (sts_get_caller_identity_sync(v.cl, &who, &e) != 0) fail_msg("%s: %s", e.code, e.msg);
    assert_string_equal(json_str(who, "Account"), "210987654321");
    assert_string_equal(json_str(who, "Arn"), "arn:aws:iam::210987654321:root");
    assert_string_equal(json_str(who, "UserId"), "210987654321");
    cJSON_Delete(who);

    /* The same client still reaches the emulator's own APIs. */
    cJSON *apis = NULL;
    assert_int_equal(client_call_sync(v.cl, APIGW_GetRestApis, NULL, 0, NULL, NULL, &apis, &e), 0);
    assert_non_null(json_arr(apis, "item"));
    cJSON_Delete(apis);
    remote_close(&v);
    serve_stop(&s);
}

/* Other STS actions are not there, in STS's words and shape. */
static void serve_refuses_other_actions(void **state) {
    served s;
    serve_start(&s);
    remote v;
    remote_open(&v, s.url);
    static const char *const bodies[][2] = {
        {"Action=AssumeRole&Version=2011-06-15&RoleArn=x&RoleSessionName=y",
         "Could not find operation AssumeRole for version 2011-06-15"},
        {"Action=GetCallerIdentity&Version=2010-01-01",
         "Could not find operation GetCallerIdentity for version 2010-01-01"},
        {"Action=%3Cscript%3E", "Could not find operation <script> for version 2011-06-15"},
    };
    for (size_t i = 0; i < sizeof bodies / sizeof *bodies; i++) {
        http_request *req = http_request_new("POST", "/");
        req->service = xstrdup("sts");
        http_headers_add(&req->headers, "Content-Type", "application/x-www-form-urlencoded");
        http_request_set_body(req, bodies[i][0], strlen(bodies[i][0]));
        http_response resp;
        err e;
        assert_int_equal(client_raw_sync(v.cl, req, &resp, &e), 0);
        assert_int_equal(resp.status, 400);
        assert_string_equal(http_headers_get(&resp.headers, "Content-Type"), "text/xml");
        assert_non_null(http_headers_get(&resp.headers, "x-amzn-RequestId"));
        cJSON *who;
        assert_int_equal(sts_parse_identity(&resp, &who, &e), -1);
        assert_int_equal(e.status, 400);
        assert_string_equal(e.code, "InvalidAction");
        assert_string_equal(e.msg, bodies[i][1]);
        char *type = sts_xml_text(resp.body, resp.body_len, "Type");
        assert_string_equal(type, "Sender");
        free(type);
        http_response_free(&resp);
    }
    remote_close(&v);
    serve_stop(&s);
}

/* A moto_server the caller started (tests/conformance/moto.sh can): moto
 * answers for its fixed account. */
static void moto_answers_its_account(void **state) {
    const char *url = getenv("APIGW_TEST_MOTO_URL");
    if (!url || !str_starts(url, "http://127.0.0.1:")) {
        skip();
        return;
    }
    remote v;
    remote_open(&v, url);
    cJSON *who = NULL;
    err e;
    if (sts_get_caller_identity_sync(v.cl, &who, &e) != 0) fail_msg("%s: %s", e.code, e.msg);
    assert_string_equal(json_str(who, "Account"), "123456789012");
    assert_true(str_starts(json_str(who, "Arn"), "arn:aws:"));
    cJSON_Delete(who);
    remote_close(&v);
}

/* No server at all: a transport failure, status 0. */
static void no_server_is_a_transport_error(void **state) {
    remote v;
    remote_open(&v, "http://127.0.0.1:1");
    cJSON *who = NULL;
    err e;
    assert_int_equal(sts_get_caller_identity_sync(v.cl, &who, &e), -1);
    assert_null(who);
    assert_int_equal(e.status, 0);
    assert_non_null(strstr(e.msg, "127.0.0.1"));
    remote_close(&v);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_elements_and_entities),
        cmocka_unit_test(parses_identity_and_errors),
        cmocka_unit_test(sends_the_query_protocol_request),
        cmocka_unit_test(serve_answers_with_the_emulators_account),
        cmocka_unit_test(serve_refuses_other_actions),
        cmocka_unit_test(moto_answers_its_account),
        cmocka_unit_test(no_server_is_a_transport_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
