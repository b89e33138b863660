/* Setting integrations as the console does (ui/integ.c) and the text
 * pieces of Method Execution and its Test view (ui/pane_method_util.c):
 * first the pure functions, then integ_apply's job run against an
 * in-memory emulator through the real client, with the app reduced to
 * what jobs and forms need. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../ui/app_priv.h"
#include "../../ui/method_priv.h"
#include "client/client.h"
#include "client/mirror.h"
#include "core/json.h"
#include "core/mem.h"
#include "lab.h"
#include "transport/local.h"
#include "ui/integ.h"

#define REGION "us-west-2"
#define ACCOUNT "123456789012"
#define ITEMS_ARN "arn:aws:lambda:us-west-2:123456789012:function:ItemsFunction"
#define LAMBDA_URI(arn)                                                                            \
    "arn:aws:apigateway:us-west-2:lambda:path/2015-03-31/functions/" arn "/invocations"

/* --- integration types ------------------------------------------------------------ */

static void types_on_the_wire(void **state) {
    (void)state;
    assert_string_equal(integ_type(&(integ_spec){.kind = INTEG_LAMBDA}), "AWS");
    assert_string_equal(integ_type(&(integ_spec){.kind = INTEG_LAMBDA, .proxy = true}),
                        "AWS_PROXY");
    assert_string_equal(integ_type(&(integ_spec){.kind = INTEG_HTTP}), "HTTP");
    assert_string_equal(integ_type(&(integ_spec){.kind = INTEG_HTTP, .proxy = true}), "HTTP_PROXY");
    assert_string_equal(integ_type(&(integ_spec){.kind = INTEG_MOCK, .proxy = true}), "MOCK");
    assert_string_equal(integ_type(&(integ_spec){.kind = INTEG_AWS}), "AWS");
}

static integ_kind kind_of(const char *json, bool *proxy) {
    cJSON *in = cJSON_Parse(json);
    integ_kind k = integ_kind_of(in, proxy);
    cJSON_Delete(in);
    return k;
}

static void kinds_from_the_wire(void **state) {
    (void)state;
    bool proxy = true;
    assert_int_equal(kind_of("{\"type\":\"AWS\",\"uri\":\"" LAMBDA_URI(ITEMS_ARN) "\"}", &proxy),
                     INTEG_LAMBDA);
    assert_false(proxy);
    assert_int_equal(
        kind_of("{\"type\":\"AWS_PROXY\",\"uri\":\"" LAMBDA_URI(ITEMS_ARN) "\"}", &proxy),
        INTEG_LAMBDA);
    assert_true(proxy);
    assert_int_equal(kind_of("{\"type\":\"MOCK\"}", &proxy), INTEG_MOCK);
    assert_false(proxy);
    assert_int_equal(kind_of("{\"type\":\"HTTP_PROXY\",\"uri\":\"https://x\"}", &proxy),
                     INTEG_HTTP);
    assert_true(proxy);
    /* An AWS service that is not Lambda's invocation. */
    assert_int_equal(
        kind_of("{\"type\":\"AWS\",\"uri\":\"arn:aws:apigateway:us-west-2:dynamodb:action/Scan\"}",
                &proxy),
        INTEG_AWS);
    assert_false(proxy);
}

/* --- stage variables ------------------------------------------------------------------ */

static void stage_variables_found_and_replaced(void **state) {
    (void)state;
    char *v = integ_stage_var("ItemsFunction:${stageVariables.lambdaAlias}");
    assert_string_equal(v, "lambdaAlias");
    free(v);
    v = integ_stage_var("${stageVariables.fn}:${stageVariables.other}");
    assert_string_equal(v, "fn");
    free(v);
    assert_null(integ_stage_var("ItemsFunction:prod"));
    assert_null(integ_stage_var("x:${stageVariables.}"));
    assert_null(integ_stage_var("x:${stageVariables.open"));
    assert_null(integ_stage_var(NULL));

    char *s = integ_substitute("ItemsFunction:${stageVariables.lambdaAlias}", "lambdaAlias", "dev");
    assert_string_equal(s, "ItemsFunction:dev");
    free(s);
    s = integ_substitute("${stageVariables.a}-${stageVariables.b}-${stageVariables.a}", "a", "1");
    assert_string_equal(s, "1-${stageVariables.b}-1");
    free(s);
    s = integ_substitute("", "a", "1");
    assert_string_equal(s, "");
    free(s);
}

static void stage_values_in_order(void **state) {
    (void)state;
    cJSON *stages = cJSON_Parse(
        "[{\"stageName\":\"dev\",\"variables\":{\"lambdaAlias\":\"dev\"}},"
        "{\"stageName\":\"test\"},"
        "{\"stageName\":\"prod\",\"variables\":{\"lambdaAlias\":\"live\",\"x\":\"y\"}}]");
    cJSON *v = integ_stage_values(stages, "lambdaAlias");
    char *text = json_print(v);
    assert_string_equal(
        text, "[{\"stage\":\"dev\",\"value\":\"dev\"},{\"stage\":\"prod\",\"value\":\"live\"}]");
    free(text);
    cJSON_Delete(v);
    v = integ_stage_values(stages, "nothere");
    assert_int_equal(cJSON_GetArraySize(v), 0);
    cJSON_Delete(v);
    cJSON_Delete(stages);
}

/* --- functions and ARNs ------------------------------------------------------------------- */

static void functions_as_typed(void **state) {
    (void)state;
    integ_fn f;
    assert_int_equal(integ_fn_parse("  ItemsFunction ", &f), 0);
    assert_string_equal(f.name, "ItemsFunction");
    assert_null(f.qualifier);
    assert_null(f.account);
    integ_fn_free(&f);

    assert_int_equal(integ_fn_parse("ItemsFunction:${stageVariables.lambdaAlias}", &f), 0);
    assert_string_equal(f.name, "ItemsFunction");
    assert_string_equal(f.qualifier, "${stageVariables.lambdaAlias}");
    integ_fn_free(&f);

    assert_int_equal(integ_fn_parse("ItemsFunction:", &f), 0);
    assert_null(f.qualifier);
    integ_fn_free(&f);

    assert_int_equal(
        integ_fn_parse("arn:aws:lambda:eu-west-1:210987654321:function:Other:prod", &f), 0);
    assert_string_equal(f.name, "arn:aws:lambda:eu-west-1:210987654321:function:Other");
    assert_string_equal(f.qualifier, "prod");
    assert_string_equal(f.region, "eu-west-1");
    assert_string_equal(f.account, "210987654321");
    integ_fn_free(&f);

    assert_int_equal(integ_fn_parse(ITEMS_ARN, &f), 0);
    assert_string_equal(f.name, ITEMS_ARN);
    assert_null(f.qualifier);
    integ_fn_free(&f);

    assert_int_equal(integ_fn_parse("", &f), -1);
    assert_null(f.name);
    assert_int_equal(integ_fn_parse(":dev", &f), -1);
    assert_int_equal(integ_fn_parse("arn:aws:s3:::bucket", &f), -1);
    assert_int_equal(integ_fn_parse("arn:aws:lambda:us-west-2:123456789012:layer:x", &f), -1);
    assert_int_equal(integ_fn_parse(NULL, &f), -1);
}

static void function_arns_and_uris(void **state) {
    (void)state;
    char *s = integ_fn_arn(REGION, ACCOUNT, "ItemsFunction:dev");
    assert_string_equal(s, ITEMS_ARN ":dev");
    free(s);
    assert_null(integ_fn_arn(REGION, NULL, "ItemsFunction"));
    s = integ_fn_arn(REGION, NULL, "arn:aws:lambda:eu-west-1:210987654321:function:Other:prod");
    assert_string_equal(s, "arn:aws:lambda:eu-west-1:210987654321:function:Other:prod");
    free(s);

    integ_spec sp = {.kind = INTEG_LAMBDA,
                     .function = "ItemsFunction:${stageVariables.lambdaAlias}"};
    s = integ_uri(&sp, REGION, ACCOUNT);
    assert_string_equal(s, LAMBDA_URI(ITEMS_ARN ":${stageVariables.lambdaAlias}"));
    free(s);
    assert_null(integ_uri(&sp, REGION, NULL));
    /* A function of another region is invoked through that region's Lambda. */
    sp.function = "arn:aws:lambda:eu-west-1:210987654321:function:Other";
    s = integ_uri(&sp, REGION, ACCOUNT);
    assert_string_equal(s, "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/"
                           "arn:aws:lambda:eu-west-1:210987654321:function:Other/invocations");
    free(s);
    sp = (integ_spec){.kind = INTEG_HTTP, .uri = "https://example.com/x"};
    s = integ_uri(&sp, REGION, ACCOUNT);
    assert_string_equal(s, "https://example.com/x");
    free(s);
    sp = (integ_spec){.kind = INTEG_MOCK};
    assert_null(integ_uri(&sp, REGION, ACCOUNT));
}

static void functions_named_by_uris(void **state) {
    (void)state;
    char *s =
        integ_fn_of_uri(LAMBDA_URI(ITEMS_ARN ":${stageVariables.lambdaAlias}"), REGION, ACCOUNT);
    assert_string_equal(s, "ItemsFunction:${stageVariables.lambdaAlias}");
    free(s);
    s = integ_fn_of_uri(LAMBDA_URI(ITEMS_ARN), REGION, NULL);
    assert_string_equal(s, "ItemsFunction");
    free(s);
    /* Another account's function keeps its ARN, so a save keeps it too. */
    s = integ_fn_of_uri(LAMBDA_URI("arn:aws:lambda:us-west-2:210987654321:function:Other"), REGION,
                        ACCOUNT);
    assert_string_equal(s, "arn:aws:lambda:us-west-2:210987654321:function:Other");
    free(s);
    assert_null(integ_fn_of_uri("https://example.com", REGION, ACCOUNT));
    assert_null(integ_fn_of_uri(NULL, REGION, ACCOUNT));

    s = integ_arn_account(ITEMS_ARN);
    assert_string_equal(s, ACCOUNT);
    free(s);
    assert_null(integ_arn_account("arn:aws:s3:::bucket"));
    assert_null(integ_arn_account("ItemsFunction"));
}

/* --- the permission ---------------------------------------------------------------------- */

static void statement_ids_are_uuids(void **state) {
    (void)state;
    seeded_rand sr1, sr2;
    rand_src a = rand_seeded(&sr1, 7), b = rand_seeded(&sr2, 7);
    char x[37], y[37], z[37];
    integ_statement_id(&a, x);
    integ_statement_id(&b, y);
    integ_statement_id(&a, z);
    assert_string_equal(x, y);     /* the same seed, the same id */
    assert_string_not_equal(x, z); /* and a new one each time */
    assert_int_equal(strlen(x), 36);
    for (int i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23)
            assert_int_equal(x[i], '-');
        else
            assert_non_null(strchr("0123456789abcdef", x[i]));
    }
    assert_int_equal(x[14], '4');           /* version 4 */
    assert_non_null(strchr("89ab", x[19])); /* RFC 4122 variant */
}

static void the_consoles_command(void **state) {
    (void)state;
    char *c = integ_permission_command(
        "ItemsFunction:dev", "arn:aws:execute-api:us-west-2:123456789012:a1b2c3d4e5/*/GET/items",
        "0b1f3a5c-1d2e-4f60-8a7b-9c0d1e2f3a4b");
    assert_string_equal(
        c, "aws lambda add-permission --function-name \"ItemsFunction:dev\" --source-arn "
           "\"arn:aws:execute-api:us-west-2:123456789012:a1b2c3d4e5/*/GET/items\" "
           "--principal apigateway.amazonaws.com --statement-id "
           "0b1f3a5c-1d2e-4f60-8a7b-9c0d1e2f3a4b --action lambda:InvokeFunction");
    free(c);
}

/* --- the forms' text ------------------------------------------------------------------------- */

static void pairs_both_ways(void **state) {
    (void)state;
    char msg[128];
    cJSON *h = method_parse_pairs("x-api-key: abc\n\n  Accept :application/json  \nx-empty:\n", ':',
                                  NULL, msg, sizeof msg);
    char *text = json_print(h);
    assert_string_equal(text,
                        "{\"x-api-key\":\"abc\",\"Accept\":\"application/json\",\"x-empty\":\"\"}");
    free(text);
    text = method_pairs_text(h, ": ", NULL);
    assert_string_equal(text, "x-api-key: abc\nAccept: application/json\nx-empty: \n");
    free(text);
    cJSON_Delete(h);

    /* a value may hold the separator again */
    h = method_parse_pairs("Access-Control-Allow-Origin: 'https://a.b:8080'", ':',
                           "method.response.header.", msg, sizeof msg);
    assert_string_equal(json_str(h, "method.response.header.Access-Control-Allow-Origin"),
                        "'https://a.b:8080'");
    text = method_pairs_text(h, ": ", "method.response.header.");
    assert_string_equal(text, "Access-Control-Allow-Origin: 'https://a.b:8080'\n");
    free(text);
    cJSON_Delete(h);

    assert_null(method_parse_pairs("a=1\nno separator\n", '=', NULL, msg, sizeof msg));
    assert_string_equal(msg, "Line 2: write it as name=value");
    assert_null(method_parse_pairs("a=1\n\n =2", '=', NULL, msg, sizeof msg));
    assert_string_equal(msg, "Line 3: a name goes before '='");
    h = method_parse_pairs("", '=', NULL, msg, sizeof msg);
    assert_int_equal(cJSON_GetArraySize(h), 0);
    cJSON_Delete(h);
}

static void flags_both_ways(void **state) {
    (void)state;
    char msg[128];
    cJSON *p = method_parse_flags("querystring.q=required\nheader.x-trace\n"
                                  "method.request.path.ID = optional\n",
                                  "method.request.", msg, sizeof msg);
    char *text = json_print(p);
    assert_string_equal(
        text, "{\"method.request.querystring.q\":true,\"method.request.header.x-trace\":false,"
              "\"method.request.path.ID\":false}");
    free(text);
    text = method_flags_text(p, "method.request.");
    assert_string_equal(text, "querystring.q=required\nheader.x-trace\npath.ID\n");
    free(text);
    cJSON_Delete(p);
    assert_null(method_parse_flags("querystring.q=yes", "method.request.", msg, sizeof msg));
    assert_string_equal(msg, "Line 1: write NAME, NAME=required or NAME=optional");
    assert_null(method_parse_flags("=required", NULL, msg, sizeof msg));
}

static void test_paths(void **state) {
    (void)state;
    cJSON *names = method_path_params("/items/{ID}/parts/{proxy+}");
    char *text = json_print(names);
    assert_string_equal(text, "[\"ID\",\"proxy\"]");
    free(text);
    cJSON_Delete(names);

    cJSON *v = cJSON_Parse("{\"ID\":\"a b/1\",\"proxy\":\"x/y z\"}");
    char *p = method_test_path("/items/{ID}/parts/{proxy+}", v, "?q=1&r=2");
    assert_string_equal(p, "/items/a%20b%2F1/parts/x/y%20z?q=1&r=2");
    free(p);
    p = method_test_path("/items/{ID}", NULL, "  ");
    assert_string_equal(p, "/items/{ID}"); /* no value: left for the service to judge */
    free(p);
    p = method_test_path("/", v, "a=b");
    assert_string_equal(p, "/?a=b");
    free(p);
    cJSON_Delete(v);
}

static void bodies_and_summaries(void **state) {
    (void)state;
    char *b = method_pretty_body("[{\"ID\":1}]");
    assert_non_null(strstr(b, "\n"));
    assert_non_null(strstr(b, "\"ID\":\t1") ? strstr(b, "\"ID\":\t1") : strstr(b, "\"ID\": 1"));
    free(b);
    b = method_pretty_body("not json {");
    assert_string_equal(b, "not json {");
    free(b);
    b = method_pretty_body(NULL);
    assert_string_equal(b, "");
    free(b);
    char *s = method_summary("{\n  \"ID\": 1\n}\n");
    assert_string_equal(s, "{  (3 lines)");
    free(s);
    s = method_summary("one line");
    assert_string_equal(s, "one line");
    free(s);
}

/* --- the job against the emulator
 * ----------------------------------------------------------------- */

typedef struct world {
    fixture *fx;
    transport *t;
    client *cl;
    app a;
    char *api, *items, *item;
} world;

static char *create_resource(fixture *fx, const char *api, const char *parent, const char *part) {
    char *body = xasprintf("{\"pathPart\":\"%s\"}", part);
    char *id = fx_create_id(fx, body, "/restapis/%s/resources/%s", api, parent);
    free(body);
    return id;
}

static void put_mock_method(fixture *fx, const char *api, const char *res, bool responses) {
    assert_int_equal(fx_callf(fx, NULL, "PUT", "{\"authorizationType\":\"NONE\"}",
                              "/restapis/%s/resources/%s/methods/GET", api, res),
                     201);
    assert_int_equal(fx_callf(fx, NULL, "PUT", "{\"type\":\"MOCK\"}",
                              "/restapis/%s/resources/%s/methods/GET/integration", api, res),
                     201);
    if (!responses) return;
    assert_int_equal(fx_callf(fx, NULL, "PUT", "{}",
                              "/restapis/%s/resources/%s/methods/GET/responses/200", api, res),
                     201);
}

/* The lab's API (a mock GET /items with its 200, a GET /items/{ID}
 * without responses), dev and prod stages setting lambdaAlias, and
 * ItemsFunction with version 1 behind the aliases dev and prod. */
static int world_setup(void **state) {
    world *w = xcalloc(1, sizeof *w);
    w->fx = fixture_new(NULL);
    fixture *fx = w->fx;
    w->api = fx_create_id(fx, "{\"name\":\"ItemsAPI\"}", "/restapis");
    cJSON *res = NULL;
    fx_callf(fx, &res, "GET", NULL, "/restapis/%s/resources", w->api);
    char *root = xstrdup(json_str(cJSON_GetArrayItem(json_arr(res, "item"), 0), "id"));
    cJSON_Delete(res);
    w->items = create_resource(fx, w->api, root, "items");
    w->item = create_resource(fx, w->api, w->items, "{ID}");
    free(root);
    put_mock_method(fx, w->api, w->items, true);
    put_mock_method(fx, w->api, w->item, false);
    assert_int_equal(fx_callf(fx, NULL, "POST",
                              "{\"stageName\":\"dev\",\"variables\":{\"lambdaAlias\":\"dev\"}}",
                              "/restapis/%s/deployments", w->api),
                     201);
    assert_int_equal(fx_callf(fx, NULL, "POST",
                              "{\"stageName\":\"prod\",\"variables\":{\"lambdaAlias\":\"prod\"}}",
                              "/restapis/%s/deployments", w->api),
                     201);
    lab_create_function(fx, "ItemsFunction", lab_function_py, NULL);
    assert_int_equal(
        fx_call(fx, "POST", "/2015-03-31/functions/ItemsFunction/versions", "{}", NULL), 201);
    assert_int_equal(fx_call(fx, "POST", "/2015-03-31/functions/ItemsFunction/aliases",
                             "{\"Name\":\"dev\",\"FunctionVersion\":\"1\"}", NULL),
                     201);
    assert_int_equal(fx_call(fx, "POST", "/2015-03-31/functions/ItemsFunction/aliases",
                             "{\"Name\":\"prod\",\"FunctionVersion\":\"1\"}", NULL),
                     201);

    w->t = local_transport_new(fx->emu);
    w->cl = client_new(w->t, REGION);
    app *a = &w->a;
    a->cl = w->cl;
    a->m = mirror_new(w->cl);
    a->life = xcalloc(1, sizeof *a->life);
    a->life->cx = &a->cx;
    a->life->refs = 1;
    a->cx = (ui_ctx){.m = a->m,
                     .cl = w->cl,
                     .th = &a->th,
                     .region = REGION,
                     .account = ACCOUNT,
                     .offline = true,
                     .api_id = w->api,
                     .host = a};
    *state = w;
    return 0;
}

static int world_teardown(void **state) {
    world *w = *state;
    modal_close_all(&w->a);
    transport_drain(w->t);
    w->a.life->cx = NULL;
    life_release(w->a.life);
    mirror_free(w->a.m);
    client_free(w->cl);
    transport_destroy(w->t);
    fixture_free(w->fx);
    free(w->api);
    free(w->items);
    free(w->item);
    free(w);
    return 0;
}

/* Run the jobs to their end (and the reloads they start). */
static void settle(world *w) { transport_drain(w->t); }

static cJSON *get_method(world *w, const char *res) {
    cJSON *m = NULL;
    assert_int_equal(
        fx_callf(w->fx, &m, "GET", NULL, "/restapis/%s/resources/%s/methods/GET", w->api, res),
        200);
    return m;
}

/* The statements of ItemsFunction's policy (of an alias with qualifier). */
static cJSON *policy_statements(world *w, const char *qualifier) {
    cJSON *out = NULL;
    int st = qualifier
                 ? fx_callf(w->fx, &out, "GET", NULL,
                            "/2015-03-31/functions/ItemsFunction/policy?Qualifier=%s", qualifier)
                 : fx_call(w->fx, "GET", "/2015-03-31/functions/ItemsFunction/policy", NULL, &out);
    assert_int_equal(st, 200);
    cJSON *doc = cJSON_Parse(json_str_or(out, "Policy", "{}"));
    cJSON_Delete(out);
    cJSON *sts = cJSON_DetachItemFromObjectCaseSensitive(doc, "Statement");
    cJSON_Delete(doc);
    return sts;
}

static const char *source_arn_of(const cJSON *statement) {
    return json_str(json_obj(json_obj(statement, "Condition"), "ArnLike"), "AWS:SourceArn");
}

static void lambda_by_name_adds_responses_and_permission(void **state) {
    world *w = *state;
    integ_spec s = {.kind = INTEG_LAMBDA, .function = "ItemsFunction"};
    integ_apply(&w->a.cx, w->api, w->item, "/items/{ID}", "GET", &s);
    settle(w);
    assert_false(w->a.cx.msg_error);
    assert_non_null(strstr(
        w->a.cx.msg, "Integration of GET /items/{ID}: ItemsFunction (AWS); permission added"));

    cJSON *m = get_method(w, w->item);
    const cJSON *in = json_obj(m, "methodIntegration");
    assert_string_equal(json_str(in, "type"), "AWS");
    assert_string_equal(json_str(in, "httpMethod"), "POST");
    assert_string_equal(json_str(in, "uri"), LAMBDA_URI(ITEMS_ARN));
    /* The default responses a non-proxy integration needs. */
    assert_string_equal(
        json_str(json_obj(json_obj(json_obj(m, "methodResponses"), "200"), "responseModels"),
                 "application/json"),
        "Empty");
    const cJSON *ir = json_obj(json_obj(in, "integrationResponses"), "200");
    assert_non_null(ir);
    assert_string_equal(json_str_or(ir, "selectionPattern", "?"), "");
    cJSON_Delete(m);

    cJSON *sts = policy_statements(w, NULL);
    assert_int_equal(cJSON_GetArraySize(sts), 1);
    const cJSON *st = cJSON_GetArrayItem(sts, 0);
    char *want =
        xasprintf("arn:aws:execute-api:us-west-2:123456789012:%s/*/GET/items/{ID}", w->api);
    assert_string_equal(source_arn_of(st), want);
    free(want);
    assert_string_equal(json_str(json_obj(st, "Principal"), "Service"), "apigateway.amazonaws.com");
    assert_string_equal(json_str(st, "Action"), "lambda:InvokeFunction");
    assert_int_equal(strlen(json_str_or(st, "Sid", "")), 36);
    cJSON_Delete(sts);
}

static void an_alias_without_the_account_asks_lambda(void **state) {
    world *w = *state;
    w->a.cx.account = NULL;
    integ_spec s = {.kind = INTEG_LAMBDA, .function = "ItemsFunction:dev"};
    integ_apply(&w->a.cx, w->api, w->items, "/items", "GET", &s);
    settle(w);
    assert_false(w->a.cx.msg_error);
    cJSON *m = get_method(w, w->items);
    assert_string_equal(json_str(json_obj(m, "methodIntegration"), "uri"),
                        LAMBDA_URI(ITEMS_ARN ":dev"));
    /* The 200 method response was there: kept as it was (no models). */
    assert_null(json_obj(json_obj(json_obj(m, "methodResponses"), "200"), "responseModels"));
    cJSON_Delete(m);
    cJSON *sts = policy_statements(w, "dev");
    assert_int_equal(cJSON_GetArraySize(sts), 1);
    char *want = xasprintf("arn:aws:execute-api:us-west-2:123456789012:%s/*/GET/items", w->api);
    assert_string_equal(source_arn_of(cJSON_GetArrayItem(sts, 0)), want);
    free(want);
    cJSON_Delete(sts);
}

static void mock_and_proxy_integrations(void **state) {
    world *w = *state;
    integ_spec s = {.kind = INTEG_LAMBDA, .proxy = true, .function = "ItemsFunction"};
    integ_apply(&w->a.cx, w->api, w->item, "/items/{ID}", "GET", &s);
    settle(w);
    assert_false(w->a.cx.msg_error);
    cJSON *m = get_method(w, w->item);
    assert_string_equal(json_str(json_obj(m, "methodIntegration"), "type"), "AWS_PROXY");
    /* A proxy integration answers for itself: no responses are added. */
    assert_null(json_obj(m, "methodResponses"));
    assert_null(json_obj(json_obj(m, "methodIntegration"), "integrationResponses"));
    cJSON_Delete(m);

    s = (integ_spec){.kind = INTEG_MOCK};
    integ_apply(&w->a.cx, w->api, w->item, "/items/{ID}", "GET", &s);
    settle(w);
    m = get_method(w, w->item);
    const cJSON *in = json_obj(m, "methodIntegration");
    assert_string_equal(json_str(in, "type"), "MOCK");
    assert_string_equal(json_str(json_obj(in, "requestTemplates"), "application/json"),
                        INTEG_MOCK_TEMPLATE);
    assert_non_null(json_obj(json_obj(in, "integrationResponses"), "200"));
    assert_non_null(json_obj(json_obj(m, "methodResponses"), "200"));
    cJSON_Delete(m);

    /* Templates and passthrough given with the integration go with it. */
    cJSON *t = cJSON_Parse("{\"application/json\":\"{\\\"ID\\\": $input.params(\\\"ID\\\")}\"}");
    s = (integ_spec){.kind = INTEG_HTTP,
                     .uri = "https://example.com/items",
                     .passthrough = "NEVER",
                     .request_templates = t};
    integ_apply(&w->a.cx, w->api, w->item, "/items/{ID}", "GET", &s);
    settle(w);
    cJSON_Delete(t);
    m = get_method(w, w->item);
    in = json_obj(m, "methodIntegration");
    assert_string_equal(json_str(in, "type"), "HTTP");
    assert_string_equal(json_str(in, "httpMethod"), "GET"); /* the method's verb */
    assert_string_equal(json_str(in, "passthroughBehavior"), "NEVER");
    assert_string_equal(json_str(json_obj(in, "requestTemplates"), "application/json"),
                        "{\"ID\": $input.params(\"ID\")}");
    cJSON_Delete(m);
}

static void a_failure_is_the_services_words(void **state) {
    world *w = *state;
    integ_spec s = {.kind = INTEG_LAMBDA, .function = "NoSuchFunction"};
    w->a.cx.account = NULL; /* GetFunction first, which fails */
    integ_apply(&w->a.cx, w->api, w->items, "/items", "GET", &s);
    settle(w);
    assert_true(w->a.cx.msg_error);
    assert_non_null(strstr(w->a.cx.msg, "ResourceNotFoundException"));
    /* Nothing was put. */
    cJSON *m = get_method(w, w->items);
    assert_string_equal(json_str(json_obj(m, "methodIntegration"), "type"), "MOCK");
    cJSON_Delete(m);
    /* Nothing to name: no job at all. */
    w->a.cx.msg[0] = '\0';
    s.function = "  ";
    integ_apply(&w->a.cx, w->api, w->items, "/items", "GET", &s);
    assert_string_equal(w->a.cx.msg, "Name the Lambda function (a name, name:alias or an ARN)");
}

/* The form's fields in order: intro, then per stage a note and a check
 * box, then the closing note. */
static void a_stage_variable_asks_per_stage(void **state) {
    world *w = *state;
    integ_spec s = {.kind = INTEG_LAMBDA,
                    .function = "ItemsFunction:${stageVariables.lambdaAlias}"};
    integ_apply(&w->a.cx, w->api, w->items, "/items", "GET", &s);
    settle(w);
    assert_false(w->a.cx.msg_error);
    cJSON *m = get_method(w, w->items);
    assert_string_equal(json_str(json_obj(m, "methodIntegration"), "uri"),
                        LAMBDA_URI(ITEMS_ARN ":${stageVariables.lambdaAlias}"));
    cJSON_Delete(m);
    /* No permission was added on its own. */
    assert_int_equal(fx_call(w->fx, "GET",
                             "/2015-03-31/functions/ItemsFunction/policy?Qualifier=dev", NULL,
                             NULL),
                     404);

    form *f = w->a.mf.f;
    assert_non_null(f);
    assert_string_equal(form_title(f), "Lambda function permissions");
    char *src = xasprintf(
        "--source-arn \"arn:aws:execute-api:us-west-2:123456789012:%s/*/GET/items\"", w->api);
    const char *dev = form_value(f, 1), *prod = form_value(f, 3);
    assert_non_null(strstr(dev, "Stage dev (lambdaAlias=dev):\naws lambda add-permission "
                                "--function-name \"ItemsFunction:dev\" "));
    assert_non_null(strstr(dev, src));
    assert_non_null(strstr(dev, "--principal apigateway.amazonaws.com --statement-id "));
    assert_non_null(strstr(prod, "--function-name \"ItemsFunction:prod\""));
    free(src);
    assert_true(form_checked(f, 2));
    assert_true(form_checked(f, 4));

    /* Run them all: one statement per alias. */
    assert_true(w->a.mf.submit(&w->a.cx, f, w->a.mf.ud));
    modal_close_all(&w->a);
    settle(w);
    assert_false(w->a.cx.msg_error);
    assert_string_equal(
        w->a.cx.msg,
        "API Gateway may invoke ItemsFunction:${stageVariables.lambdaAlias} for 2 stages");
    for (int i = 0; i < 2; i++) {
        cJSON *sts = policy_statements(w, i ? "prod" : "dev");
        assert_int_equal(cJSON_GetArraySize(sts), 1);
        const char *res = json_str(cJSON_GetArrayItem(sts, 0), "Resource");
        assert_string_equal(res, i ? ITEMS_ARN ":prod" : ITEMS_ARN ":dev");
        cJSON_Delete(sts);
    }
}

static void unchecked_stages_and_missing_aliases(void **state) {
    world *w = *state;
    /* prod's alias is gone: its grant fails, dev's still happens. */
    assert_int_equal(
        fx_call(w->fx, "DELETE", "/2015-03-31/functions/ItemsFunction/aliases/prod", NULL, NULL),
        204);
    integ_spec s = {.kind = INTEG_LAMBDA,
                    .function = "ItemsFunction:${stageVariables.lambdaAlias}"};
    integ_apply(&w->a.cx, w->api, w->items, "/items", "GET", &s);
    settle(w);
    form *f = w->a.mf.f;
    assert_non_null(f);
    assert_true(w->a.mf.submit(&w->a.cx, f, w->a.mf.ud));
    modal_close_all(&w->a);
    settle(w);
    assert_true(w->a.cx.msg_error);
    assert_non_null(strstr(w->a.cx.msg, "prod (ResourceNotFoundException"));
    cJSON *sts = policy_statements(w, "dev");
    assert_int_equal(cJSON_GetArraySize(sts), 1);
    cJSON_Delete(sts);

    /* Again with dev unchecked: nothing runs. */
    integ_apply(&w->a.cx, w->api, w->items, "/items", "GET", &s);
    settle(w);
    f = w->a.mf.f;
    assert_non_null(f);
    form_set_focus(f, 2);
    form_key(f, ' ', false); /* Space unchecks dev */
    form_set_focus(f, 4);
    form_key(f, ' ', false);
    assert_false(form_checked(f, 2));
    w->a.cx.msg[0] = '\0';
    assert_true(w->a.mf.submit(&w->a.cx, f, w->a.mf.ud));
    modal_close_all(&w->a);
    settle(w);
    assert_string_equal(w->a.cx.msg, "");
    sts = policy_statements(w, "dev");
    assert_int_equal(cJSON_GetArraySize(sts), 1);
    cJSON_Delete(sts);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(types_on_the_wire),
        cmocka_unit_test(kinds_from_the_wire),
        cmocka_unit_test(stage_variables_found_and_replaced),
        cmocka_unit_test(stage_values_in_order),
        cmocka_unit_test(functions_as_typed),
        cmocka_unit_test(function_arns_and_uris),
        cmocka_unit_test(functions_named_by_uris),
        cmocka_unit_test(statement_ids_are_uuids),
        cmocka_unit_test(the_consoles_command),
        cmocka_unit_test(pairs_both_ways),
        cmocka_unit_test(flags_both_ways),
        cmocka_unit_test(test_paths),
        cmocka_unit_test(bodies_and_summaries),
        cmocka_unit_test_setup_teardown(lambda_by_name_adds_responses_and_permission, world_setup,
                                        world_teardown),
        cmocka_unit_test_setup_teardown(an_alias_without_the_account_asks_lambda, world_setup,
                                        world_teardown),
        cmocka_unit_test_setup_teardown(mock_and_proxy_integrations, world_setup, world_teardown),
        cmocka_unit_test_setup_teardown(a_failure_is_the_services_words, world_setup,
                                        world_teardown),
        cmocka_unit_test_setup_teardown(a_stage_variable_asks_per_stage, world_setup,
                                        world_teardown),
        cmocka_unit_test_setup_teardown(unchecked_stages_and_missing_aliases, world_setup,
                                        world_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
