/* Lambda's Invoke through the emulator, with the lab's ItemsFunction run
 * by a real python3: results and errors, tail logs, cold and warm starts,
 * versions and aliases (weighted ones included), Event and DryRun, the
 * errors Lambda sends, and the resource-based policy check API Gateway's
 * integrations use. */
#include "fixture.h"
#include "lab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/emulator/lambda_invoke.h"
#include "core/zipcode.h"
#include "core/json.h"
#include "core/mem.h"

#define FN "/2015-03-31/functions"
#define ITEMS FN "/ItemsFunction"
#define ARN "arn:aws:lambda:us-west-2:123456789012:function:ItemsFunction"
#define SOURCE "arn:aws:execute-api:us-west-2:123456789012:a1b2c3d4e5"

/* A fixture holding the function name running code, created with the
 * lab's settings and the extra members (NULL: none). */
static fixture *with_function(const char *name, const char *code, const char *extra) {
    fixture *fx = fixture_new(NULL);
    lab_create_function(fx, name, code, extra);
    return fx;
}

/* The lab's function, published as version 1 with the alias prod on it
 * and, when dev, the alias dev on $LATEST. */
static fixture *lab(bool published, bool dev) {
    fixture *fx = with_function("ItemsFunction", lab_function_py, NULL);
    if (!published) return fx;
    assert_int_equal(fx_call(fx, "POST", ITEMS "/versions", "{}", NULL), 201);
    assert_int_equal(fx_call(fx, "POST", ITEMS "/aliases",
                             "{\"Name\":\"prod\",\"FunctionVersion\":\"1\"}", NULL),
                     201);
    if (dev)
        assert_int_equal(fx_call(fx, "POST", ITEMS "/aliases",
                                 "{\"Name\":\"dev\",\"FunctionVersion\":\"$LATEST\"}", NULL),
                         201);
    return fx;
}

/* A read or write transaction on fx's store and a call context in it, as
 * the data plane has when it calls Lambda. */
typedef struct txn {
    http_response resp;
    emu_call c;
} txn;

static emu_call *txn_begin(fixture *fx, txn *t, bool write) {
    err e;
    assert_int_equal(store_begin(fx->st, write, &e), 0);
    http_response_init(&t->resp);
    t->c = (emu_call){
        .emu = fx->emu, .region = FIXTURE_REGION, .account = "123456789012", .resp = &t->resp};
    t->c.reg = store_region(fx->st, FIXTURE_REGION);
    return &t->c;
}

static void txn_end(fixture *fx, txn *t) {
    err e;
    http_response_free(&t->resp);
    assert_int_equal(store_commit(fx->st, &e), 0);
}

/* POST an invocation with Invoke's headers (NULL: not sent). */
static int invoke(fixture *fx, const char *path, const char *payload, const char *type,
                  const char *log_type) {
    http_request *r = http_request_new("POST", path); /* splits off the query */
    if (type) http_headers_add(&r->headers, "X-Amz-Invocation-Type", type);
    if (log_type) http_headers_add(&r->headers, "X-Amz-Log-Type", log_type);
    if (payload) http_request_set_body(r, payload, strlen(payload));
    emulator_handle(fx->emu, r, &fx->last);
    http_request_free(r);
    return fx->last.status;
}

static int invoke_ok(fixture *fx, const char *path, const char *payload) {
    return invoke(fx, path, payload, NULL, NULL);
}

static char *decoded_log(fixture *fx) {
    const char *b64 = fx_header(fx, "X-Amz-Log-Result");
    assert_non_null(b64);
    size_t n;
    unsigned char *raw = zipcode_unbase64(b64, &n);
    assert_non_null(raw);
    char *s = xstrndup((const char *)raw, n);
    free(raw);
    return s;
}

static bool contains(const char *hay, const char *needle) { return strstr(hay, needle) != NULL; }

/* --- the lab ------------------------------------------------------------------- */

static void lab_items_function(void **state) {
    (void)state;
    fixture *fx = lab(false, false);
    assert_int_equal(invoke_ok(fx, ITEMS "/invocations", "{}"), 200);
    assert_string_equal(fx_body(fx), LAB_ITEMS_JSON);
    assert_string_equal(fx_header(fx, "Content-Type"), "application/json");
    assert_string_equal(fx_header(fx, "X-Amz-Executed-Version"), "$LATEST");
    assert_null(fx_header(fx, "X-Amz-Function-Error"));
    assert_null(fx_header(fx, "X-Amz-Log-Result"));
    assert_int_equal(strlen(fx_header(fx, "x-amzn-RequestId")), 36);

    assert_int_equal(invoke_ok(fx, ITEMS "/invocations", "{\"ID\": 1}"), 200);
    assert_string_equal(fx_body(fx), "{\"ID\": 1, \"name\": \"Pen\", \"price\": 2.5}");

    assert_int_equal(invoke_ok(fx, ITEMS "/invocations", "{\"ID\": 5}"), 200);
    assert_string_equal(fx_header(fx, "X-Amz-Function-Error"), "Unhandled");
    cJSON *b = cJSON_Parse(fx_body(fx));
    assert_string_equal(json_str(b, "errorMessage"), "NotFoundError");
    assert_string_equal(json_str(b, "errorType"), "Exception");
    assert_string_equal(json_str(b, "requestId"), fx_header(fx, "x-amzn-RequestId"));
    cJSON_Delete(b);

    /* No payload: the event is {}. */
    assert_int_equal(invoke_ok(fx, ITEMS "/invocations", NULL), 200);
    assert_string_equal(fx_body(fx), LAB_ITEMS_JSON);
    fixture_free(fx);
}

static void tail_logs_cold_then_warm(void **state) {
    (void)state;
    fixture *fx = lab(false, false);
    assert_int_equal(invoke(fx, ITEMS "/invocations", "{}", "RequestResponse", "Tail"), 200);
    char *log = decoded_log(fx);
    lab_assert_list_log(log, fx_header(fx, "x-amzn-RequestId"));
    assert_true(contains(log, "\tMemory Size: 128 MB\tMax Memory Used: "));
    assert_true(contains(log, " MB\tInit Duration: "));
    free(log);

    assert_int_equal(invoke(fx, ITEMS "/invocations", "{\"ID\": 5}", NULL, "Tail"), 200);
    log = decoded_log(fx);
    assert_true(contains(log, "Event: {'ID': 5}\n[ERROR] Exception: NotFoundError\nTraceback "
                              "(most recent call last):\n"));
    assert_false(contains(log, "Init Duration")); /* warm */
    free(log);

    /* Only the last 4 KB of a long log. */
    lab_create_function(fx, "Chatty",
                        "def lambda_handler(event, context):\n"
                        "    for i in range(500):\n"
                        "        print('line %03d of the log' % i)\n"
                        "    return 1\n",
                        NULL);
    assert_int_equal(invoke(fx, FN "/Chatty/invocations", "{}", NULL, "Tail"), 200);
    log = decoded_log(fx);
    assert_int_equal(strlen(log), 4096);
    assert_true(contains(log, "line 499 of the log\nEND RequestId: "));
    assert_false(contains(log, "START RequestId"));
    assert_int_equal(log[strlen(log) - 1], '\n');
    free(log);
    fixture_free(fx);
}

static void versions_and_aliases(void **state) {
    (void)state;
    fixture *fx = lab(true, true);
    char *pricier = lab_function_edit("\"price\": 2.5", "\"price\": 3.5");
    lab_update_code(fx, "ItemsFunction", pricier);
    free(pricier);

    assert_int_equal(invoke_ok(fx, ITEMS "/invocations?Qualifier=prod", "{\"ID\": 1}"), 200);
    assert_string_equal(fx_body(fx), "{\"ID\": 1, \"name\": \"Pen\", \"price\": 2.5}");
    assert_string_equal(fx_header(fx, "X-Amz-Executed-Version"), "1");
    assert_int_equal(invoke_ok(fx, ITEMS "/invocations?Qualifier=dev", "{\"ID\": 1}"), 200);
    assert_string_equal(fx_body(fx), "{\"ID\": 1, \"name\": \"Pen\", \"price\": 3.5}");
    assert_string_equal(fx_header(fx, "X-Amz-Executed-Version"), "$LATEST");
    assert_int_equal(invoke_ok(fx, ITEMS "/invocations", "{\"ID\": 1}"), 200);
    assert_string_equal(fx_body(fx), "{\"ID\": 1, \"name\": \"Pen\", \"price\": 3.5}");
    /* The qualifier in the name, and a full ARN. */
    assert_int_equal(invoke_ok(fx, FN "/ItemsFunction:prod/invocations", "{\"ID\": 1}"), 200);
    assert_string_equal(fx_header(fx, "X-Amz-Executed-Version"), "1");
    assert_int_equal(invoke_ok(fx, FN "/" ARN ":1/invocations", "{\"ID\": 1}"), 200);
    assert_string_equal(fx_body(fx), "{\"ID\": 1, \"name\": \"Pen\", \"price\": 2.5}");
    assert_int_equal(invoke_ok(fx, FN "/" ARN "/invocations?Qualifier=%24LATEST", "{}"), 200);
    assert_string_equal(fx_header(fx, "X-Amz-Executed-Version"), "$LATEST");

    /* prod stays on 1 as $LATEST changes again; dev follows. */
    lab_update_code(fx, "ItemsFunction", "def lambda_handler(event, context):\n    return 'new'\n");
    assert_int_equal(invoke_ok(fx, ITEMS "/invocations?Qualifier=dev", "{}"), 200);
    assert_string_equal(fx_body(fx), "\"new\"");
    assert_int_equal(invoke_ok(fx, ITEMS "/invocations?Qualifier=prod", "{}"), 200);
    assert_string_equal(fx_body(fx), LAB_ITEMS_JSON);
    fixture_free(fx);
}

/* The run API that API Gateway's integrations call. */
static void run_api_for_integrations(void **state) {
    (void)state;
    fixture *fx = lab(true, false);
    txn t;
    emu_call *c = txn_begin(fx, &t, true);
    lambda_run run;
    assert_int_equal(lambda_invoke_run(c, ARN ":prod", NULL, "{\"ID\": 2}", 9, &run), 0);
    assert_string_equal(run.r.payload, "{\"ID\": 2, \"name\": \"Pencil\", \"price\": 1.5}");
    assert_string_equal(run.executed_version, "1");
    assert_string_equal(run.function_arn, ARN ":prod");
    assert_true(contains(run.r.log, "START RequestId: "));
    lambda_run_free(&run);
    assert_int_equal(lambda_invoke_run(c, "ItemsFunction", "staging", "{}", 2, &run), -1);
    assert_int_equal(t.resp.status, 404);
    txn_end(fx, &t);
    fixture_free(fx);
}

/* --- errors as Lambda sends them ----------------------------------------------------- */

/* What Lambda's message for a payload that is not JSON starts with. */
#define BAD_JSON "Could not parse request body into json: Could not parse payload into json: "

/* Invoke ItemsFunction with a payload that is not JSON: 400
 * InvalidRequestContentException; returns the message. */
static const char *bad_json(fixture *fx, const char *payload) {
    invoke_ok(fx, ITEMS "/invocations", payload);
    assert_fx_error(fx, 400, "InvalidRequestContentException");
    return fx_message(fx);
}

static void errors(void **state) {
    (void)state;
    fixture *fx = lab(false, false);
    invoke_ok(fx, FN "/Nope/invocations", "{}");
    assert_fx_message(fx, 404, "ResourceNotFoundException",
                      "Function not found: arn:aws:lambda:us-west-2:123456789012:function:Nope");
    invoke_ok(fx, ITEMS "/invocations?Qualifier=staging", "{}");
    assert_fx_message(fx, 404, "ResourceNotFoundException", "Function not found: " ARN ":staging");
    invoke_ok(fx, ITEMS "/invocations?Qualifier=7", "{}");
    assert_fx_message(fx, 404, "ResourceNotFoundException", "Function not found: " ARN ":7");

    assert_string_equal(bad_json(fx, "not json"),
                        BAD_JSON "Unrecognized token 'not': was expecting (JSON String, Number, "
                                 "Array, Object or token 'null', 'true' or 'false')");
    assert_string_equal(bad_json(fx, "{\"ID\": 1"), BAD_JSON "Unexpected end-of-input");
    assert_string_equal(bad_json(fx, "{'ID': 1}"),
                        BAD_JSON "Unexpected character (''' (code 39)): was expecting "
                                 "double-quote to start field name");
    assert_true(contains(bad_json(fx, "{\"ID\": 1,}"),
                         "Unexpected character ('}' (code 125)): was expecting double-quote to "
                         "start field name"));
    assert_true(contains(bad_json(fx, "{\"ID\" 1}"),
                         "was expecting a colon to separate field name and value"));
    assert_true(contains(bad_json(fx, "[1 2]"), "Unexpected character ('2' (code 50)): was "
                                                "expecting comma to separate Array entries"));
    bad_json(fx, "{} {}");
    /* Any JSON value is an event. */
    assert_int_equal(invoke_ok(fx, ITEMS "/invocations", "[1, 2]"), 200);
    assert_string_equal(fx_header(fx, "X-Amz-Function-Error"), "Unhandled"); /* list.get */

    invoke(fx, ITEMS "/invocations", "{}", "Sometimes", NULL);
    assert_fx_message(fx, 400, "ValidationException",
                      "1 validation error detected: Value 'Sometimes' at 'invocationType' failed "
                      "to satisfy constraint: Member must satisfy enum value set: [Event, "
                      "RequestResponse, DryRun]");
    invoke(fx, ITEMS "/invocations", "{}", NULL, "Head");
    assert_fx_error(fx, 400, "ValidationException");

    size_t big = 6291456 + 10;
    char *payload = xmalloc(big + 1);
    memset(payload, ' ', big);
    payload[0] = '1';
    payload[big] = '\0';
    invoke_ok(fx, ITEMS "/invocations", payload);
    assert_fx_message(
        fx, 413, "RequestEntityTooLargeException",
        "Request must be smaller than 6291456 bytes for the InvokeFunction operation");
    free(payload);
    fixture_free(fx);
}

static void event_and_dry_run(void **state) {
    (void)state;
    fixture *fx = with_function("Toucher",
                                "def lambda_handler(event, context):\n"
                                "    open(event['path'], 'w').write('ran')\n"
                                "    return 'done'\n",
                                NULL);
    char dir[] = "/tmp/apigw-invoke-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128], event[200];
    snprintf(path, sizeof path, "%s/ran", dir);
    snprintf(event, sizeof event, "{\"path\": \"%s\"}", path);

    assert_int_equal(invoke(fx, FN "/Toucher/invocations", event, "DryRun", NULL), 204);
    assert_int_equal(fx->last.body_len, 0);
    assert_int_equal(access(path, F_OK), -1);
    invoke(fx, FN "/Nope/invocations", event, "DryRun", NULL);
    assert_fx_error(fx, 404, "ResourceNotFoundException");

    assert_int_equal(invoke(fx, FN "/Toucher/invocations", event, "Event", NULL), 202);
    assert_int_equal(fx->last.body_len, 0);
    assert_int_equal(access(path, F_OK), 0); /* it ran */
    unlink(path);
    rmdir(dir);
    fixture_free(fx);
}

static void timeout_through_invoke(void **state) {
    (void)state;
    fixture *fx = with_function(
        "Sleepy", "import time\ndef lambda_handler(event, context):\n    time.sleep(10)\n",
        "\"Timeout\":1");
    assert_int_equal(invoke(fx, FN "/Sleepy/invocations", "{}", NULL, "Tail"), 200);
    assert_string_equal(fx_header(fx, "X-Amz-Function-Error"), "Unhandled");
    const char *id = fx_header(fx, "x-amzn-RequestId");
    char msg[200];
    snprintf(msg, sizeof msg,
             "{\"errorMessage\":\"2026-11-30T00:00:00.000Z %s Task timed out after 1.00 seconds\"}",
             id);
    assert_string_equal(fx_body(fx), msg);
    char *log = decoded_log(fx);
    assert_true(contains(log, "Task timed out after 1.00 seconds\n\nEND RequestId: "));
    assert_true(contains(log, "\tBilled Duration: 1000 ms\t"));
    free(log);
    fixture_free(fx);
}

/* --- weighted aliases ------------------------------------------------------------------- */

/* 200 invocations of an alias on 1 with 25% to version 2: the versions
 * that served, in order ('1' or '2'). */
static void weighted_run(char out[201]) {
    fixture *fx = with_function("Canary", "def lambda_handler(e, c):\n    return 'v1'\n", NULL);
    assert_int_equal(fx_call(fx, "POST", FN "/Canary/versions", "{}", NULL), 201);
    lab_update_code(fx, "Canary", "def lambda_handler(e, c):\n    return 'v2'\n");
    assert_int_equal(fx_call(fx, "POST", FN "/Canary/versions", "{}", NULL), 201);
    assert_int_equal(fx_call(fx, "POST", FN "/Canary/aliases",
                             "{\"Name\":\"live\",\"FunctionVersion\":\"1\",\"RoutingConfig\":"
                             "{\"AdditionalVersionWeights\":{\"2\":0.25}}}",
                             NULL),
                     201);
    for (int i = 0; i < 200; i++) {
        assert_int_equal(invoke_ok(fx, FN "/Canary/invocations?Qualifier=live", "{}"), 200);
        const char *v = fx_header(fx, "X-Amz-Executed-Version");
        assert_string_equal(fx_body(fx), strcmp(v, "2") == 0 ? "\"v2\"" : "\"v1\"");
        out[i] = v[0];
    }
    out[200] = '\0';
    fixture_free(fx);
}

static void weighted_alias_distribution(void **state) {
    (void)state;
    char a[201], b[201];
    weighted_run(a);
    int twos = 0;
    for (int i = 0; i < 200; i++)
        twos += a[i] == '2';
    assert_true(twos >= 30 && twos <= 70); /* 25% of 200, give or take */
    weighted_run(b);
    assert_string_equal(a, b); /* the seeded randomness makes it repeatable */
}

/* --- resource-based policies ------------------------------------------------------------ */

static void permit(fixture *fx, const char *qualifier, const char *body) {
    int st = qualifier ? fx_callf(fx, NULL, "POST", body, ITEMS "/policy?Qualifier=%s", qualifier)
                       : fx_call(fx, "POST", ITEMS "/policy", body, NULL);
    assert_int_equal(st, 201);
}

static bool allows(fixture *fx, const char *fn, const char *q, const char *principal,
                   const char *source, char *why, size_t n) {
    txn t;
    emu_call *c = txn_begin(fx, &t, false);
    why[0] = '\0';
    bool ok = lambda_policy_allows(c, fn, q, principal, source, why, n);
    assert_int_equal(t.resp.status, 0); /* a check, not an answer */
    txn_end(fx, &t);
    return ok;
}

#define APIGW "apigateway.amazonaws.com"

static void policy_matching(void **state) {
    (void)state;
    fixture *fx = lab(true, true);
    char why[1024];

    assert_false(
        allows(fx, "ItemsFunction:dev", NULL, APIGW, SOURCE "/dev/GET/items", why, sizeof why));
    assert_string_equal(why, "ItemsFunction:dev has no resource-based policy, so nothing allows "
                             "apigateway.amazonaws.com to invoke it");

    /* The lab's permission: any stage, GET /items, on the dev alias. */
    permit(fx, "dev",
           "{\"StatementId\":\"apigw-dev\",\"Action\":\"lambda:InvokeFunction\",\"Principal\":"
           "\"" APIGW "\",\"SourceArn\":\"" SOURCE "/*/GET/items\"}");
    assert_true(
        allows(fx, "ItemsFunction:dev", NULL, APIGW, SOURCE "/dev/GET/items", why, sizeof why));
    assert_true(allows(fx, ARN ":dev", NULL, APIGW, SOURCE "/test-invoke-stage/GET/items", why,
                       sizeof why));
    assert_true(
        allows(fx, "ItemsFunction", "dev", APIGW, SOURCE "/dev/GET/items", why, sizeof why));
    /* '*' does not cross the ARN's ':' components, the path must match. */
    assert_false(
        allows(fx, "ItemsFunction:dev", NULL, APIGW, SOURCE "/dev/POST/items", why, sizeof why));
    assert_string_equal(why, "no statement of ItemsFunction:dev's policy allows "
                             "apigateway.amazonaws.com to invoke it from " SOURCE
                             "/dev/POST/items (statement apigw-dev requires AWS:SourceArn "
                             "ArnLike " SOURCE "/*/GET/items)");
    assert_false(allows(fx, "ItemsFunction:dev", NULL, APIGW,
                        "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/dev/GET/items", why,
                        sizeof why));
    /* Wrong principal. */
    assert_false(allows(fx, "ItemsFunction:dev", NULL, "events.amazonaws.com",
                        SOURCE "/dev/GET/items", why, sizeof why));
    assert_true(contains(why, "(statement apigw-dev is for the principal "
                              "{\"Service\":\"apigateway.amazonaws.com\"})"));

    /* The alias's policy does not cover the function or another alias. */
    assert_false(
        allows(fx, "ItemsFunction", NULL, APIGW, SOURCE "/dev/GET/items", why, sizeof why));
    assert_false(
        allows(fx, "ItemsFunction:prod", NULL, APIGW, SOURCE "/prod/GET/items", why, sizeof why));
    /* A function policy covers unqualified invocations only. */
    permit(fx, NULL,
           "{\"StatementId\":\"fn\",\"Action\":\"lambda:*\",\"Principal\":\"" APIGW
           "\",\"SourceArn\":\"" SOURCE "/*/*/items/*\"}");
    assert_true(
        allows(fx, "ItemsFunction", NULL, APIGW, SOURCE "/prod/GET/items/3", why, sizeof why));
    assert_false(
        allows(fx, "ItemsFunction:prod", NULL, APIGW, SOURCE "/prod/GET/items/3", why, sizeof why));

    /* '?' wildcards and the source account. */
    permit(fx, "prod",
           "{\"StatementId\":\"acct\",\"Action\":\"lambda:InvokeFunction\",\"Principal\":\"" APIGW
           "\",\"SourceArn\":\"arn:aws:execute-api:us-west-2:123456789012:a1b2c3d4e?/prod/GET/"
           "items\",\"SourceAccount\":\"111122223333\"}");
    assert_false(
        allows(fx, "ItemsFunction:prod", NULL, APIGW, SOURCE "/prod/GET/items", why, sizeof why));
    assert_true(contains(why, "(statement acct requires AWS:SourceAccount StringEquals "
                              "111122223333)"));
    permit(fx, "prod",
           "{\"StatementId\":\"acct2\",\"Action\":\"lambda:InvokeFunction\",\"Principal\":\"" APIGW
           "\",\"SourceArn\":\"arn:aws:execute-api:us-west-2:123456789012:a1b2c3d4e?/prod/GET/"
           "items\",\"SourceAccount\":\"123456789012\"}");
    assert_true(
        allows(fx, "ItemsFunction:prod", NULL, APIGW, SOURCE "/prod/GET/items", why, sizeof why));
    assert_false(allows(fx, "ItemsFunction:prod", NULL, APIGW,
                        "arn:aws:execute-api:us-west-2:123456789012:a1b2c3d4/prod/GET/items", why,
                        sizeof why));

    /* An action that is not InvokeFunction. */
    permit(fx, "1",
           "{\"StatementId\":\"get\",\"Action\":\"lambda:GetFunction\",\"Principal\":\"" APIGW
           "\"}");
    assert_false(
        allows(fx, "ItemsFunction:1", NULL, APIGW, SOURCE "/x/GET/items", why, sizeof why));
    assert_true(
        contains(why, "statement get allows lambda:GetFunction, not lambda:InvokeFunction"));

    assert_false(allows(fx, "Nope", NULL, APIGW, SOURCE "/dev/GET/items", why, sizeof why));
    assert_string_equal(why, "the function Nope does not exist");
    fixture_free(fx);
}

int main(void) {
    if (access("/usr/bin/env", X_OK) != 0 || system("command -v python3 >/dev/null 2>&1") != 0) {
        printf("SKIPPED: Invoke tests (python3 not found)\n");
        return 0;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lab_items_function),
        cmocka_unit_test(tail_logs_cold_then_warm),
        cmocka_unit_test(versions_and_aliases),
        cmocka_unit_test(run_api_for_integrations),
        cmocka_unit_test(errors),
        cmocka_unit_test(event_and_dry_run),
        cmocka_unit_test(timeout_through_invoke),
        cmocka_unit_test(weighted_alias_distribution),
        cmocka_unit_test(policy_matching),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
