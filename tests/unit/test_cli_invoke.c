/* `apigw-console invoke`: its arguments, how it picks the API and stages,
 * the requests it sends (in process and through a client), and its output,
 * human and JSON. The last tests run the lab's mock API through the data
 * plane. */
#include "fake_transport.h"
#include "fixture.h"
#include "lab.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "cli/invoke.h"
#include "client/raw.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"
#include "server/server.h"
#include "transport/curl.h"
#include "transport/local.h"

/* --- arguments ------------------------------------------------------------ */

/* Parse the words of a NULL-terminated list (after "invoke"). */
static int parse_words(invoke_args *a, err *e, const char *const *words) {
    char *argv[32];
    int argc = 0;
    argv[argc++] = (char *)"invoke";
    for (; *words; words++)
        argv[argc++] = (char *)*words;
    argv[argc] = NULL;
    return invoke_parse(argc, argv, a, e);
}

#define PARSE(a, e, ...) parse_words((a), (e), (const char *const[]){__VA_ARGS__, NULL})

static void parses_the_remote_options(void **state) {
    invoke_args a;
    err e;
    assert_int_equal(PARSE(&a, &e, "--aws", "GET", "/items"), 0);
    assert_true(a.aws);
    assert_null(a.profile);
    assert_null(a.endpoint_url);
    invoke_args_free(&a);
    assert_int_equal(PARSE(&a, &e, "--profile", "lab", "--endpoint-url", "http://127.0.0.1:9",
                           "GET", "/items"),
                     0);
    assert_true(a.aws);
    assert_string_equal(a.profile, "lab");
    assert_string_equal(a.endpoint_url, "http://127.0.0.1:9");
    invoke_args_free(&a);
    assert_int_equal(PARSE(&a, &e, "--endpoint-url", "GET", "/items"), -1);
    invoke_args_free(&a);
}

static void parses_every_option(void **state) {
    invoke_args a;
    err e;
    assert_int_equal(PARSE(&a, &e, "--state", "/tmp/s.json", "--region", "eu-west-1", "--api",
                           "ItemsAPI", "--stage", "prod", "-H", "x-api-key:  k3y  ", "get",
                           "--stage", "dev", "--header=Accept: application/json", "-d", "{\"a\":1}",
                           "--json", "--log", "/items/1", "--account-id", "210987654321"),
                     0);
    assert_string_equal(a.state, "/tmp/s.json");
    assert_string_equal(a.region, "eu-west-1");
    assert_string_equal(a.account, "210987654321");
    assert_string_equal(a.api, "ItemsAPI");
    assert_int_equal(a.nstages, 2);
    assert_string_equal(a.stages[0], "prod");
    assert_string_equal(a.stages[1], "dev");
    assert_int_equal(a.headers.n, 2);
    assert_string_equal(a.headers.v[0].name, "x-api-key");
    assert_string_equal(a.headers.v[0].value, "k3y");
    assert_string_equal(a.headers.v[1].name, "Accept");
    assert_string_equal(a.headers.v[1].value, "application/json");
    assert_string_equal(a.data, "{\"a\":1}");
    assert_true(a.json);
    assert_true(a.log);
    assert_false(a.all_stages);
    assert_false(a.help);
    assert_string_equal(a.method, "GET");
    assert_string_equal(a.path, "/items/1");
    assert_null(a.query);
    invoke_args_free(&a);
}

static void defaults_and_query(void **state) {
    invoke_args a;
    err e;
    assert_int_equal(PARSE(&a, &e, "--all-stages", "POST", "/items/a b?q=x y&z=%41"), 0);
    assert_null(a.state);
    assert_null(a.api);
    assert_int_equal(a.nstages, 0);
    assert_true(a.all_stages);
    assert_false(a.json);
    assert_null(a.data);
    assert_string_equal(a.method, "POST");
    /* What curl would refuse to send raw is encoded; escapes stay as given. */
    assert_string_equal(a.path, "/items/a%20b");
    assert_string_equal(a.query, "q=x%20y&z=%41");
    invoke_args_free(&a);
    /* getopt's state from the scan above must not leak into this one. */
    assert_int_equal(PARSE(&a, &e, "GET", "/"), 0);
    assert_string_equal(a.path, "/");
    assert_false(a.all_stages);
    invoke_args_free(&a);
}

static void help_wins(void **state) {
    invoke_args a;
    err e;
    assert_int_equal(PARSE(&a, &e, "--help"), 0);
    assert_true(a.help);
    invoke_args_free(&a);
    assert_int_equal(PARSE(&a, &e, "GET", "-h"), 0);
    assert_true(a.help);
    invoke_args_free(&a);
}

static void expect_usage_error(const char *const *words, const char *msg) {
    invoke_args a;
    err e;
    assert_int_equal(parse_words(&a, &e, words), -1);
    assert_string_equal(e.msg, msg);
    invoke_args_free(&a);
}

#define USAGE_ERROR(msg, ...) expect_usage_error((const char *const[]){__VA_ARGS__, NULL}, msg)

static void usage_errors(void **state) {
    USAGE_ERROR("invoke wants METHOD and PATH, e.g. GET /items", "--json");
    USAGE_ERROR("invoke wants METHOD and PATH, e.g. GET /items", "GET");
    USAGE_ERROR("unexpected argument 'extra'", "GET", "/items", "extra");
    USAGE_ERROR("PATH must start with '/' (the resource path, e.g. /items), not 'items'", "GET",
                "items");
    USAGE_ERROR("'G3T' is not an HTTP method", "G3T", "/items");
    USAGE_ERROR("-H wants 'Name: value', not 'novalue'", "-H", "novalue", "GET", "/");
    USAGE_ERROR("-H wants 'Name: value', not ': v'", "-H", ": v", "GET", "/");
    USAGE_ERROR("-H wants 'Name: value', not 'a b: v'", "-H", "a b: v", "GET", "/");
    USAGE_ERROR("--stage and --all-stages exclude each other", "--stage", "dev", "--all-stages",
                "GET", "/");
    USAGE_ERROR("-d is given twice; there is one body", "-d", "a", "-d", "b", "GET", "/");
    USAGE_ERROR("unknown option '--nope'", "--nope", "GET", "/");
    USAGE_ERROR("unknown option '-x'", "-x", "GET", "/");
    USAGE_ERROR("option '--stage' wants a value", "GET", "/", "--stage");
    USAGE_ERROR("option '-d' wants a value", "GET", "/", "-d");
}

static void usage_text_names_every_option(void **state) {
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    invoke_usage(f);
    fclose(f);
    static const char *const opts[] = {"--api",    "--stage",    "--all-stages", "-H",
                                       "-d",       "--json",     "--log",        "--state",
                                       "--region", "--undeployed", "--aws", "--profile",
                                       "--endpoint-url", "METHOD PATH"};
    for (size_t i = 0; i < sizeof opts / sizeof *opts; i++)
        if (!strstr(text, opts[i])) fail_msg("invoke --help does not mention %s", opts[i]);
    free(text);
}

/* --- the body --------------------------------------------------------------- */

static void body_literal_file_and_missing(void **state) {
    invoke_args a;
    err e;
    char *body;
    size_t len;
    assert_int_equal(PARSE(&a, &e, "GET", "/"), 0);
    assert_int_equal(invoke_body(&a, &body, &len, &e), 0);
    assert_null(body);
    assert_int_equal(len, 0);
    invoke_args_free(&a);

    assert_int_equal(PARSE(&a, &e, "-d", "{\"ID\": 1}", "POST", "/"), 0);
    assert_int_equal(invoke_body(&a, &body, &len, &e), 0);
    assert_string_equal(body, "{\"ID\": 1}");
    assert_int_equal(len, 9);
    free(body);
    invoke_args_free(&a);

    char path[] = "/tmp/invoke-body-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "a\0b\n", 4), 4);
    close(fd);
    char *arg = xasprintf("@%s", path);
    assert_int_equal(PARSE(&a, &e, "-d", arg, "POST", "/"), 0);
    assert_int_equal(invoke_body(&a, &body, &len, &e), 0);
    assert_int_equal(len, 4);
    assert_memory_equal(body, "a\0b\n", 4);
    free(body);
    invoke_args_free(&a);
    unlink(path);

    assert_int_equal(PARSE(&a, &e, "-d", arg, "POST", "/"), 0);
    assert_int_equal(invoke_body(&a, &body, &len, &e), -1);
    char *want = xasprintf("-d %s: No such file or directory", arg);
    assert_string_equal(e.msg, want);
    assert_null(body);
    free(want);
    free(arg);
    invoke_args_free(&a);
}

/* --- picking the API and stages ----------------------------------------- */

static cJSON *parse_json(const char *s) {
    cJSON *v = cJSON_Parse(s);
    assert_non_null(v);
    return v;
}

static void picks_api_by_id_name_or_default(void **state) {
    cJSON *apis = parse_json("[{\"id\":\"aaaaaaaaaa\",\"name\":\"ItemsAPI\"},"
                             "{\"id\":\"bbbbbbbbbb\",\"name\":\"Other\"},"
                             "{\"id\":\"cccccccccc\",\"name\":\"Other\"},"
                             "{\"id\":\"dddddddddd\",\"name\":\"aaaaaaaaaa\"}]");
    const char *id;
    err e;
    assert_int_equal(invoke_pick_api(apis, "ItemsAPI", &id, &e), 0);
    assert_string_equal(id, "aaaaaaaaaa");
    assert_int_equal(invoke_pick_api(apis, "cccccccccc", &id, &e), 0);
    assert_string_equal(id, "cccccccccc");
    /* An id wins over a name that looks the same. */
    assert_int_equal(invoke_pick_api(apis, "aaaaaaaaaa", &id, &e), 0);
    assert_string_equal(id, "aaaaaaaaaa");
    assert_int_equal(invoke_pick_api(apis, "Other", &id, &e), -1);
    assert_string_equal(e.msg, "2 REST APIs are named 'Other'; pick one by id with --api: "
                               "bbbbbbbbbb, cccccccccc");
    assert_int_equal(invoke_pick_api(apis, "Missing", &id, &e), -1);
    assert_string_equal(e.msg, "no REST API has the id or name 'Missing'");
    assert_int_equal(invoke_pick_api(apis, NULL, &id, &e), -1);
    assert_string_equal(e.msg, "there are 4 REST APIs; pick one with --api NAME_OR_ID: "
                               "ItemsAPI (aaaaaaaaaa), Other (bbbbbbbbbb), Other (cccccccccc), "
                               "aaaaaaaaaa (dddddddddd)");
    cJSON_Delete(apis);

    apis = parse_json("[{\"id\":\"onlyone000\",\"name\":\"ItemsAPI\"}]");
    assert_int_equal(invoke_pick_api(apis, NULL, &id, &e), 0);
    assert_string_equal(id, "onlyone000");
    cJSON_Delete(apis);
    apis = parse_json("[]");
    assert_int_equal(invoke_pick_api(apis, NULL, &id, &e), -1);
    assert_string_equal(e.msg, "there is no REST API in this region");
    cJSON_Delete(apis);
}

static void free_names(char **names, size_t n) {
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

static void picks_stages(void **state) {
    cJSON *stages = parse_json("[{\"stageName\":\"dev\"},{\"stageName\":\"prod\"},"
                               "{\"stageName\":\"test\"}]");
    char **names;
    size_t n;
    err e;
    assert_int_equal(invoke_pick_stages(stages, NULL, 0, &names, &n, &e), 0);
    assert_int_equal(n, 3);
    assert_string_equal(names[0], "dev");
    assert_string_equal(names[2], "test");
    free_names(names, n);

    char *want[] = {"prod", "dev", "prod"};
    assert_int_equal(invoke_pick_stages(stages, want, 3, &names, &n, &e), 0);
    assert_int_equal(n, 3);
    assert_string_equal(names[0], "prod");
    assert_string_equal(names[1], "dev");
    assert_string_equal(names[2], "prod");
    free_names(names, n);

    char *bad[] = {"dev", "beta"};
    assert_int_equal(invoke_pick_stages(stages, bad, 2, &names, &n, &e), -1);
    assert_string_equal(e.msg, "the API has no stage 'beta' (its stages: dev, prod, test)");
    assert_null(names);
    cJSON_Delete(stages);

    stages = parse_json("[]");
    assert_int_equal(invoke_pick_stages(stages, NULL, 0, &names, &n, &e), -1);
    assert_string_equal(e.msg, "the API has no stages yet: deploy it to a stage first");
    cJSON_Delete(stages);
}

/* --- the request ------------------------------------------------------------ */

static void request_from_args(void **state) {
    invoke_args a;
    err e;
    assert_int_equal(PARSE(&a, &e, "-H", "x-api-key: K", "post", "/items?x=1"), 0);
    http_request *r = invoke_request(&a, "{}", 2);
    assert_string_equal(r->method, "POST");
    assert_string_equal(r->path, "/items");
    assert_string_equal(r->query, "x=1");
    assert_string_equal(http_headers_get(&r->headers, "x-api-key"), "K");
    assert_string_equal(http_headers_get(&r->headers, "Content-Type"), "application/json");
    assert_int_equal(r->body_len, 2);
    http_request_free(r);
    invoke_args_free(&a);

    assert_int_equal(PARSE(&a, &e, "-H", "content-type: text/plain", "PUT", "/"), 0);
    r = invoke_request(&a, "hi", 2);
    assert_int_equal(r->headers.n, 1);
    assert_string_equal(http_headers_get(&r->headers, "Content-Type"), "text/plain");
    http_request_free(r);
    r = invoke_request(&a, NULL, 0);
    assert_null(r->body);
    assert_null(r->query);
    http_request_free(r);
    invoke_args_free(&a);
}

/* --- output ----------------------------------------------------------------- */

static void set_body(invoke_result *x, const char *body) {
    http_response_set_body(&x->resp, body, strlen(body));
}

/* Two answered stages (one served by Lambda through an alias, from the
 * cache; one failing) and one that got no answer. */
static invoke_result *sample_results(void) {
    invoke_result *r = xcalloc(3, sizeof *r);
    for (int i = 0; i < 3; i++) {
        http_response_init(&r[i].resp);
        r[i].trace.throttle_remaining = r[i].trace.quota_remaining = -1;
    }
    r[0].stage = xstrdup("prod");
    r[0].status = r[0].resp.status = 200;
    r[0].latency_ms = 12.3456;
    r[0].traced = true;
    snprintf(r[0].trace.resource_path, sizeof r[0].trace.resource_path, "/items/{ID}");
    snprintf(r[0].trace.function, sizeof r[0].trace.function, "ItemsFunction");
    snprintf(r[0].trace.alias, sizeof r[0].trace.alias, "prod");
    snprintf(r[0].trace.version, sizeof r[0].trace.version, "1");
    r[0].trace.cache_used = r[0].trace.cache_hit = true;
    r[0].trace.throttle_remaining = 4999;
    r[0].trace.quota_remaining = 998;
    r[0].trace.integration_ms = 3.5;
    r[0].trace.log = xstrdup("Starting execution\nMethod completed with status: 200\n");
    http_headers_add(&r[0].resp.headers, "Content-Type", "application/json");
    http_headers_add(&r[0].resp.headers, "X-Multi", "a");
    http_headers_add(&r[0].resp.headers, "X-Multi", "b");
    set_body(&r[0], "{\"ID\":1,\"name\":\"Pen\",\"price\":2.5}");

    r[1].stage = xstrdup("dev\x1b[2J");
    r[1].status = r[1].resp.status = 403;
    r[1].latency_ms = 0.5;
    r[1].traced = true;
    http_headers_add(&r[1].resp.headers, "x-amzn-ErrorType", "Forbidden\x1b]0;pwned\x07");
    set_body(&r[1], "not json\r\nline\x1b[31m two");

    r[2].stage = xstrdup("test");
    snprintf(r[2].error, sizeof r[2].error, "connection refused");
    return r;
}

static char *format_text(const invoke_result *r, size_t n, bool log) {
    buf b = BUF_INIT;
    invoke_format_text(&b, r, n, log);
    return buf_steal(&b);
}

static void text_output(void **state) {
    invoke_result *r = sample_results();
    char *text = format_text(r, 3, false);
    const char *want = "=== stage prod: 200 OK in 12.3 ms ===\n"
                       "Resource:  /items/{ID}\n"
                       "Lambda:    ItemsFunction, alias prod, version 1\n"
                       "Cache:     hit\n"
                       "Throttle:  4999 requests left in the bucket\n"
                       "Quota:     998 requests left\n"
                       "< Content-Type: application/json\n"
                       "< X-Multi: a\n"
                       "< X-Multi: b\n"
                       "\n"
                       "{\n"
                       "  \"ID\": 1,\n"
                       "  \"name\": \"Pen\",\n"
                       "  \"price\": 2.5\n"
                       "}\n"
                       "\n"
                       "=== stage dev?[2J: 403 Forbidden in 0.5 ms ===\n"
                       "Lambda:    none\n"
                       "Cache:     off\n"
                       "Throttle:  no limit\n"
                       "Quota:     no quota\n"
                       "< x-amzn-ErrorType: Forbidden?]0;pwned?\n"
                       "\n"
                       "not json\n"
                       "line?[31m two\n"
                       "\n"
                       "=== stage test: no answer: connection refused ===\n";
    assert_string_equal(text, want);
    /* Nothing that could drive a terminal gets through. */
    for (const char *p = text; *p; p++)
        if ((unsigned char)*p < 0x20 && *p != '\n') fail_msg("control byte 0x%02x", *p);
    free(text);
    invoke_results_free(r, 3);
}

static void text_output_with_log_and_without_trace(void **state) {
    invoke_result *r = sample_results();
    char *text = format_text(r, 1, true);
    assert_non_null(strstr(text, "}\n\nExecution log:\nStarting execution\n"
                                 "Method completed with status: 200\n"));
    free(text);
    /* A backend that cannot tell what the data plane did says so. */
    r[0].traced = false;
    text = format_text(r, 1, true);
    assert_null(strstr(text, "ItemsFunction"));
    assert_null(strstr(text, "hit"));
    assert_null(strstr(text, "Execution log"));
    assert_true(str_starts(text, "=== stage prod: 200 OK in 12.3 ms ===\n"
                                 "Lambda:    unknown over the network\n"
                                 "Cache:     unknown over the network\n"
                                 "Throttle:  unknown over the network\n"
                                 "Quota:     unknown over the network\n"
                                 "< Content-Type"));
    free(text);
    invoke_results_free(r, 3);

    invoke_result one = {.stage = xstrdup("dev"), .status = 204};
    http_response_init(&one.resp);
    one.resp.status = 204;
    text = format_text(&one, 1, false);
    assert_true(str_ends(text, "\n(no body)\n"));
    assert_non_null(strstr(text, "204 No Content"));
    free(text);
    free(one.stage);
}

static void json_output(void **state) {
    invoke_result *r = sample_results();
    cJSON *doc = invoke_to_json(r, 3);
    const cJSON *st = json_arr(doc, "stages");
    assert_int_equal(cJSON_GetArraySize(st), 3);
    const cJSON *prod = cJSON_GetArrayItem(st, 0);
    assert_string_equal(json_str(prod, "stage"), "prod");
    assert_int_equal((int)json_num_or(prod, "status", 0), 200);
    assert_true(json_num_or(prod, "latencyMs", 0) == 12.346);
    assert_string_equal(json_str(json_obj(prod, "lambda"), "function"), "ItemsFunction");
    assert_string_equal(json_str(json_obj(prod, "lambda"), "alias"), "prod");
    assert_string_equal(json_str(json_obj(prod, "lambda"), "version"), "1");
    assert_string_equal(json_str(prod, "cache"), "hit");
    assert_int_equal((int)json_num_or(prod, "throttleRemaining", -5), 4999);
    assert_int_equal((int)json_num_or(prod, "quotaRemaining", -5), 998);
    assert_string_equal(json_str(prod, "resourcePath"), "/items/{ID}");
    assert_string_equal(json_str(json_obj(prod, "headers"), "X-Multi"), "a, b");
    /* A JSON body is embedded as JSON. */
    const cJSON *body = json_obj(prod, "body");
    assert_string_equal(json_str(body, "name"), "Pen");
    assert_non_null(strstr(json_str(prod, "log"), "Starting execution"));

    const cJSON *dev = cJSON_GetArrayItem(st, 1);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(dev, "lambda")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(dev, "cache")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(dev, "throttleRemaining")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(dev, "quotaRemaining")));
    /* Other bodies are kept as text, exactly: JSON escapes them itself. */
    assert_string_equal(json_str(dev, "body"), "not json\r\nline\x1b[31m two");
    assert_string_equal(json_str(dev, "stage"), "dev\x1b[2J");

    const cJSON *test = cJSON_GetArrayItem(st, 2);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(test, "status")));
    assert_string_equal(json_str(test, "error"), "connection refused");
    cJSON_Delete(doc);

    /* Untraced answers say nothing about Lambda, cache, throttle or quota. */
    r[0].traced = false;
    doc = invoke_to_json(r, 1);
    prod = cJSON_GetArrayItem(json_arr(doc, "stages"), 0);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(prod, "lambda")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(prod, "cache")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(prod, "quotaRemaining")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(prod, "log")));
    cJSON_Delete(doc);
    invoke_results_free(r, 3);
}

static void exit_status(void **state) {
    invoke_result *r = sample_results();
    assert_int_equal(invoke_exit_status(r, 1), 0);
    assert_int_equal(invoke_exit_status(r, 2), 1);
    r[1].status = 299;
    assert_int_equal(invoke_exit_status(r, 2), 0);
    assert_int_equal(invoke_exit_status(r, 3), 1); /* no answer */
    r[0].status = 302;
    assert_int_equal(invoke_exit_status(r, 1), 1);
    invoke_results_free(r, 3);
}

/* --- through a client ------------------------------------------------------ */

static void client_sends_to_the_invoke_url(void **state) {
    fake_transport *f = fake_transport_new();
    fake_answer(f, (canned){429,
                            "{\"message\":\"Limit Exceeded\"}",
                            {"x-amzn-ErrorType", "LimitExceededException", "X-Other", "1"}});
    client *cl = client_new(&f->base, "eu-west-1");
    invoke_args a;
    err e;
    assert_int_equal(PARSE(&a, &e, "-H", "x-api-key: K", "-d", "[1]", "post", "/items/1?v=2"), 0);
    http_request *req = invoke_request(&a, a.data, strlen(a.data));
    char *stages[] = {"prod"};
    invoke_result *r = invoke_send_all(invoke_send_client, cl, "abcdef1234", stages, 1, req);
    http_request *sent = fake_last_request(f);
    assert_string_equal(sent->method, "POST");
    assert_string_equal(sent->path, "/restapis/abcdef1234/prod/_user_request_/items/1");
    assert_string_equal(sent->query, "v=2");
    assert_string_equal(sent->service, "execute-api");
    assert_string_equal(sent->region, "eu-west-1");
    assert_string_equal(http_headers_get(&sent->headers, "x-api-key"), "K");
    assert_memory_equal(sent->body, "[1]", 3);
    /* The error is an answer, with its headers. */
    assert_int_equal(r[0].status, 429);
    assert_false(r[0].traced);
    assert_string_equal(http_headers_get(&r[0].resp.headers, "x-amzn-ErrorType"),
                        "LimitExceededException");
    assert_string_equal(http_headers_get(&r[0].resp.headers, "X-Other"), "1");
    assert_memory_equal(r[0].resp.body, "{\"message\":\"Limit Exceeded\"}", r[0].resp.body_len);
    assert_int_equal(invoke_exit_status(r, 1), 1);
    invoke_results_free(r, 1);
    http_request_free(req);
    invoke_args_free(&a);
    client_free(cl);
    transport_destroy(&f->base);
}

/* The two forms of invoke URL: AWS's own host, or an override's path. */
static void remote_request_forms(void **state) {
    http_request *req = http_request_new("POST", "/items/1");
    req->query = xstrdup("v=2");
    http_headers_add(&req->headers, "x-api-key", "K");
    http_request_set_body(req, "[1]", 3);
    http_request *r = invoke_remote_request("abcdef1234", "prod", "eu-west-1", req, false);
    assert_string_equal(r->path, "/prod/items/1");
    assert_string_equal(r->query, "v=2");
    assert_string_equal(http_headers_get(&r->headers, "Host"),
                        "abcdef1234.execute-api.eu-west-1.amazonaws.com");
    assert_string_equal(http_headers_get(&r->headers, "x-api-key"), "K");
    assert_string_equal(r->service, "execute-api");
    assert_string_equal(r->region, "eu-west-1");
    assert_memory_equal(r->body, "[1]", 3);
    http_request_free(r);
    r = invoke_remote_request("abcdef1234", "prod", "cn-north-1", req, false);
    assert_string_equal(http_headers_get(&r->headers, "Host"),
                        "abcdef1234.execute-api.cn-north-1.amazonaws.com.cn");
    http_request_free(r);
    r = invoke_remote_request("abcdef1234", "prod", "eu-west-1", req, true);
    assert_string_equal(r->path, "/restapis/abcdef1234/prod/_user_request_/items/1");
    assert_null(http_headers_get(&r->headers, "Host"));
    assert_string_equal(r->query, "v=2");
    http_request_free(r);
    http_request_free(req);
}

static void raw_request_shape(void **state) {
    http_request *r =
        client_execute_api_request("a1b2c3d4e5", "dev", "GET", "/items/%7Bx%7D", NULL);
    assert_string_equal(r->path, "/restapis/a1b2c3d4e5/dev/_user_request_/items/%7Bx%7D");
    assert_null(r->query);
    assert_string_equal(r->service, "execute-api");
    assert_null(r->region);
    http_request_free(r);
}

/* --- against the emulator ------------------------------------------------- */

/* The lab's API as far as the mock step: GET /items and GET /items/{ID}
 * with MOCK integrations and the lab's templates, deployed to dev and
 * prod. Returns the API id (malloc'd). */
static char *lab_mock_api(fixture *fx, const char *name) {
    char *body = xasprintf("{\"name\":\"%s\"}", name);
    cJSON *api = NULL;
    assert_int_equal(fx_call(fx, "POST", "/restapis", body, &api), 201);
    free(body);
    char *id = xstrdup(json_str(api, "id"));
    const char *root = json_str(api, "rootResourceId");
    char *items =
        fx_create_id(fx, "{\"pathPart\":\"items\"}", "/restapis/%s/resources/%s", id, root);
    char *item =
        fx_create_id(fx, "{\"pathPart\":\"{ID}\"}", "/restapis/%s/resources/%s", id, items);
    cJSON_Delete(api);
    const char *res[] = {items, item};
    const char *tpl[] = {LAB_ITEMS_TEMPLATE, LAB_ITEM_TEMPLATE};
    for (int i = 0; i < 2; i++) {
        assert_int_equal(fx_callf(fx, NULL, "PUT", "{\"authorizationType\":\"NONE\"}",
                                  "/restapis/%s/resources/%s/methods/GET", id, res[i]),
                         201);
        assert_int_equal(fx_callf(fx, NULL, "PUT",
                                  "{\"type\":\"MOCK\",\"requestTemplates\":"
                                  "{\"application/json\":\"{\\\"statusCode\\\": 200}\"}}",
                                  "/restapis/%s/resources/%s/methods/GET/integration", id, res[i]),
                         201);
        assert_int_equal(
            fx_callf(fx, NULL, "PUT", "{\"responseModels\":{\"application/json\":\"Empty\"}}",
                     "/restapis/%s/resources/%s/methods/GET/responses/200", id, res[i]),
            201);
        cJSON *t = cJSON_CreateObject();
        json_set_str(json_child_obj(t, "responseTemplates"), "application/json", tpl[i]);
        char *tb = json_print(t);
        cJSON_Delete(t);
        assert_int_equal(fx_callf(fx, NULL, "PUT", tb,
                                  "/restapis/%s/resources/%s/methods/GET/integration/responses/200",
                                  id, res[i]),
                         201);
        free(tb);
    }
    cJSON *dep = NULL;
    assert_int_equal(
        fx_callf(fx, &dep, "POST", "{\"stageName\":\"dev\"}", "/restapis/%s/deployments", id), 201);
    char *sb = xasprintf("{\"stageName\":\"prod\",\"deploymentId\":\"%s\"}", json_str(dep, "id"));
    assert_int_equal(fx_callf(fx, NULL, "POST", sb, "/restapis/%s/stages", id), 201);
    free(sb);
    cJSON_Delete(dep);
    free(items);
    free(item);
    return id;
}

static void lookup_through_the_local_transport(void **state) {
    fixture *fx = fixture_new(NULL);
    char *id = lab_mock_api(fx, "ItemsAPI");
    char *other = lab_mock_api(fx, "Other");
    transport *t = local_transport_new(fx->emu);
    client *cl = client_new(t, FIXTURE_REGION);
    invoke_args a;
    err e;
    assert_int_equal(PARSE(&a, &e, "--api", "ItemsAPI", "--stage", "prod", "GET", "/items"), 0);
    char *api_id, **names;
    size_t n;
    assert_int_equal(invoke_lookup(cl, &a, &api_id, &names, &n, &e), 0);
    assert_string_equal(api_id, id);
    assert_int_equal(n, 1);
    assert_string_equal(names[0], "prod");
    free(api_id);
    free_names(names, n);
    invoke_args_free(&a);
    /* Two APIs and no --api: the message lists both. */
    assert_int_equal(PARSE(&a, &e, "GET", "/items"), 0);
    assert_int_equal(invoke_lookup(cl, &a, &api_id, &names, &n, &e), -1);
    assert_null(api_id);
    char *want = xasprintf("there are 2 REST APIs; pick one with --api NAME_OR_ID: "
                           "ItemsAPI (%s), Other (%s)",
                           id, other);
    assert_string_equal(e.msg, want);
    free(want);
    invoke_args_free(&a);
    client_free(cl);
    transport_destroy(t);
    free(id);
    free(other);
    fixture_free(fx);
}

/* Parse words, run the subcommand through fn, and return what it printed on
 * standard output, and on standard error into *errs (both malloc'd). */
typedef int (*run_fn)(void *ctx, const invoke_args *a, FILE *out, FILE *errf);

static char *capture(run_fn fn, void *ctx, int *rc, char **errs, const char *const *words) {
    invoke_args a;
    err e;
    assert_int_equal(parse_words(&a, &e, words), 0);
    char *out = NULL;
    size_t olen = 0, elen = 0;
    FILE *fo = open_memstream(&out, &olen), *fe = open_memstream(errs, &elen);
    *rc = fn(ctx, &a, fo, fe);
    fclose(fo);
    fclose(fe);
    invoke_args_free(&a);
    return out;
}

static int run_offline(void *ctx, const invoke_args *a, FILE *out, FILE *errf) {
    return invoke_run(((fixture *)ctx)->emu, FIXTURE_REGION, a, out, errf);
}

/* Run the subcommand on the fixture's emulator. */
static char *run_invoke(fixture *fx, int *rc, char **errs, const char *const *words) {
    return capture(run_offline, fx, rc, errs, words);
}

#define RUN_INVOKE(fx, rc, errs, ...)                                                              \
    run_invoke((fx), (rc), (errs), (const char *const[]){__VA_ARGS__, NULL})

static void run_fails_cleanly_without_api(void **state) {
    fixture *fx = fixture_new(NULL);
    int rc;
    char *errs;
    char *out = RUN_INVOKE(fx, &rc, &errs, "GET", "/items");
    assert_int_equal(rc, 1);
    assert_string_equal(out, "");
    assert_string_equal(errs, "apigw-console invoke: there is no REST API in us-west-2\n");
    free(out);
    free(errs);
    out = RUN_INVOKE(fx, &rc, &errs, "-d", "@/nonexistent/body.json", "GET", "/items");
    assert_int_equal(rc, 2);
    assert_string_equal(out, "");
    assert_string_equal(errs, "apigw-console invoke: -d @/nonexistent/body.json: No such file or "
                              "directory\n");
    free(out);
    free(errs);
    fixture_free(fx);
}

/* Needs the data plane: the lab's mock list and item on both stages. */
static void run_serves_the_mock_api(void **state) {
    fixture *fx = fixture_new(NULL);
    char *id = lab_mock_api(fx, "ItemsAPI");
    int rc;
    char *errs;
    char *out = RUN_INVOKE(fx, &rc, &errs, "--json", "GET", "/items/2");
    assert_string_equal(errs, "");
    free(errs);
    cJSON *doc = cJSON_Parse(out);
    assert_non_null(doc);
    const cJSON *st = json_arr(doc, "stages");
    assert_int_equal(cJSON_GetArraySize(st), 2);
    const char *names[] = {"dev", "prod"};
    for (int i = 0; i < 2; i++) {
        const cJSON *s = cJSON_GetArrayItem(st, i);
        assert_string_equal(json_str(s, "stage"), names[i]);
        assert_int_equal((int)json_num_or(s, "status", 0), 200);
        cJSON *want = cJSON_Parse("{\"ID\":2,\"name\":\"foo2\",\"price\":3.0}");
        assert_true(cJSON_Compare(json_obj(s, "body"), want, true));
        cJSON_Delete(want);
        assert_true(cJSON_IsNull(cJSON_GetObjectItem(s, "lambda")));
        assert_string_equal(json_str(s, "resourcePath"), "/items/{ID}");
    }
    assert_int_equal(rc, 0);
    cJSON_Delete(doc);
    free(out);

    out = RUN_INVOKE(fx, &rc, &errs, "--stage", "prod", "GET", "/nothing");
    free(errs);
    assert_int_equal(rc, 1);
    assert_true(str_starts(out, "=== stage prod: 403 Forbidden in "));
    assert_non_null(strstr(out, "\"message\": \"Missing Authentication Token\""));
    free(out);
    free(id);
    fixture_free(fx);
}

/* Needs the data plane wired into the emulator's front door: the same
 * request through a client and the local transport. */
static void client_path_reaches_the_data_plane(void **state) {
    fixture *fx = fixture_new(NULL);
    char *id = lab_mock_api(fx, "ItemsAPI");
    transport *t = local_transport_new(fx->emu);
    client *cl = client_new(t, FIXTURE_REGION);
    http_request *req = client_execute_api_request(id, "dev", "GET", "/items", NULL);
    http_response resp;
    err e;
    assert_int_equal(client_raw_sync(cl, req, &resp, &e), 0);
    assert_int_equal(resp.status, 200);
    cJSON *got = cJSON_ParseWithLength(resp.body, resp.body_len);
    cJSON *want = cJSON_Parse("[{\"ID\":1,\"name\":\"foo1\",\"price\":1.5},"
                              "{\"ID\":2,\"name\":\"foo2\",\"price\":3.0},"
                              "{\"ID\":3,\"name\":\"foo3\",\"price\":4.5}]");
    assert_true(cJSON_Compare(got, want, true));
    cJSON_Delete(got);
    cJSON_Delete(want);
    http_response_free(&resp);
    client_free(cl);
    transport_destroy(t);
    free(id);
    fixture_free(fx);
}

/* --- against an endpoint, over HTTP --------------------------------------- */

/* Static credentials from the environment, and nothing else consulted. */
static void env_credentials(void) {
    setenv("AWS_ACCESS_KEY_ID", "AKIDINVOKETEST", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "invoke-test-secret", 1);
    unsetenv("AWS_SESSION_TOKEN");
    unsetenv("AWS_PROFILE");
    setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials", 1);
    setenv("AWS_CONFIG_FILE", "/nonexistent/config", 1);
    unsetenv("AWS_ENDPOINT_URL");
    unsetenv("AWS_ENDPOINT_URL_API_GATEWAY");
    unsetenv("AWS_ENDPOINT_URL_EXECUTE_API");
}

typedef struct remote {
    fixture *fx;
    server *srv;
    cred_chain *cc;
    transport *t;
    client *cl;
    char *url, *id;
} remote;

/* The lab's mock API on an emulator served on 127.0.0.1, and a client on a
 * curl transport pointed at it. The API is built before the server starts:
 * from then on only the server's thread touches the emulator. */
static void remote_start_with(remote *v, void (*setup)(fixture *fx, const char *id)) {
    env_credentials();
    v->fx = fixture_new(NULL);
    v->id = lab_mock_api(v->fx, "ItemsAPI");
    if (setup) setup(v->fx, v->id);
    err e;
    v->srv = server_start(v->fx->emu, "127.0.0.1", 0, &e);
    assert_non_null(v->srv);
    v->url = xasprintf("http://127.0.0.1:%d", server_port(v->srv));
    v->cc = cred_chain_new(&(cred_opts){0});
    curl_transport_opts o = {.region = FIXTURE_REGION, .creds = v->cc, .endpoint_url = v->url,
                             .max_attempts = 1};
    v->t = curl_transport_new(&o, &e);
    assert_non_null(v->t);
    v->cl = client_new(v->t, FIXTURE_REGION);
}

static void remote_start(remote *v) { remote_start_with(v, NULL); }

static void remote_stop(remote *v) {
    client_free(v->cl);
    transport_destroy(v->t);
    cred_chain_free(v->cc);
    server_stop(v->srv);
    fixture_free(v->fx);
    free(v->url);
    free(v->id);
}

static int run_online(void *ctx, const invoke_args *a, FILE *out, FILE *errf) {
    return invoke_run_remote(((remote *)ctx)->cl, a->endpoint_url, a->profile, a, out, errf);
}

/* Run the subcommand over the curl transport to the test's server. */
static char *run_remote(remote *v, int *rc, char **errs, const char *const *words) {
    return capture(run_online, v, rc, errs, words);
}

#define RUN_REMOTE(v, rc, errs, ...)                                                               \
    run_remote((v), (rc), (errs), (const char *const[]){__VA_ARGS__, NULL})

static void remote_run_calls_every_stage_over_http(void **state) {
    remote v;
    remote_start(&v);
    int rc;
    char *errs;
    char *out = RUN_REMOTE(&v, &rc, &errs, "--endpoint-url", v.url, "--json", "GET", "/items/2");
    assert_string_equal(errs, "");
    free(errs);
    assert_int_equal(rc, 0);
    cJSON *doc = cJSON_Parse(out);
    assert_non_null(doc);
    const cJSON *st = json_arr(doc, "stages");
    assert_int_equal(cJSON_GetArraySize(st), 2);
    const char *names[] = {"dev", "prod"};
    for (int i = 0; i < 2; i++) {
        const cJSON *s = cJSON_GetArrayItem(st, i);
        assert_string_equal(json_str(s, "stage"), names[i]);
        assert_int_equal((int)json_num_or(s, "status", 0), 200);
        assert_true(json_num_or(s, "latencyMs", -1) > 0);
        cJSON *want = cJSON_Parse("{\"ID\":2,\"name\":\"foo2\",\"price\":3.0}");
        assert_true(cJSON_Compare(json_obj(s, "body"), want, true));
        cJSON_Delete(want);
        /* What only the data plane knows is null, not a guess. */
        const char *unknown[] = {"lambda", "cache", "throttleRemaining", "quotaRemaining",
                                 "resourcePath", "log"};
        for (size_t k = 0; k < sizeof unknown / sizeof *unknown; k++)
            assert_true(cJSON_IsNull(cJSON_GetObjectItem(s, unknown[k])));
        assert_non_null(json_obj(s, "headers"));
    }
    cJSON_Delete(doc);
    free(out);

    /* Human output, one stage, and a path the API does not have. */
    out = RUN_REMOTE(&v, &rc, &errs, "--endpoint-url", v.url, "--stage", "prod", "GET", "/items");
    assert_string_equal(errs, "");
    free(errs);
    assert_int_equal(rc, 0);
    assert_true(str_starts(out, "=== stage prod: 200 OK in "));
    assert_non_null(strstr(out, " ms ===\nLambda:    unknown over the network\n"
                                "Cache:     unknown over the network\n"
                                "Throttle:  unknown over the network\n"
                                "Quota:     unknown over the network\n"));
    assert_non_null(strstr(out, "\"name\": \"foo3\""));
    assert_null(strstr(out, "=== stage dev"));
    free(out);

    out = RUN_REMOTE(&v, &rc, &errs, "--endpoint-url", v.url, "GET", "/nothing");
    free(errs);
    assert_int_equal(rc, 1);
    assert_true(str_starts(out, "=== stage dev: 403 Forbidden in "));
    assert_non_null(strstr(out, "\n=== stage prod: 403 Forbidden in "));
    assert_non_null(strstr(out, "\"message\": \"Missing Authentication Token\""));
    free(out);
    remote_stop(&v);
}

/* Several stages in flight at once, each answered into its own slot; the
 * same stage twice is two requests. */
static void remote_send_is_concurrent_and_in_order(void **state) {
    remote v;
    remote_start(&v);
    http_request *req = http_request_new("GET", "/items/1");
    char *stages[] = {"prod", "dev", "nosuch", "prod"};
    invoke_result *r = invoke_send_concurrent(v.cl, v.id, stages, 4, req, true);
    for (int i = 0; i < 4; i++) {
        assert_string_equal(r[i].stage, stages[i]);
        assert_false(r[i].traced);
        assert_string_equal(r[i].error, "");
    }
    assert_int_equal(r[0].status, 200);
    assert_int_equal(r[1].status, 200);
    assert_int_equal(r[3].status, 200);
    assert_memory_equal(r[0].resp.body, "{", 1);
    assert_int_equal(r[2].status, 403); /* a stage that does not exist */
    invoke_results_free(r, 4);
    http_request_free(req);
    remote_stop(&v);
}

/* A refused connection is a per-stage "no answer", not a crash. */
static void remote_send_without_server(void **state) {
    env_credentials();
    cred_chain *cc = cred_chain_new(&(cred_opts){0});
    err e;
    curl_transport_opts o = {.region = FIXTURE_REGION, .creds = cc,
                             .endpoint_url = "http://127.0.0.1:1", .max_attempts = 1};
    transport *t = curl_transport_new(&o, &e);
    assert_non_null(t);
    client *cl = client_new(t, FIXTURE_REGION);
    http_request *req = http_request_new("GET", "/items");
    char *stages[] = {"dev", "prod"};
    invoke_result *r = invoke_send_concurrent(cl, "abcdef1234", stages, 2, req, true);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(r[i].status, 0);
        assert_non_null(strstr(r[i].error, "127.0.0.1"));
    }
    assert_int_equal(invoke_exit_status(r, 2), 1);
    invoke_results_free(r, 2);
    http_request_free(req);
    client_free(cl);
    transport_destroy(t);
    cred_chain_free(cc);
}

/* --- every stage at once, proven by a server that waits for all of them --- */

/* A loopback HTTP server that holds each request until `want` of them are
 * open at the same time, then answers them all 200. Should they never all
 * arrive together, each waits at most 10 s and is answered 503, so a
 * sequential client fails the test instead of hanging it. */
enum { GATE_MAX_CONNS = 16 };

typedef struct gate {
    int fd, port, want;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int held, max_held, conns;
    bool open, stop;
    pthread_t listener, conn[GATE_MAX_CONNS];
    int conn_fd[GATE_MAX_CONNS];
} gate;

typedef struct gate_conn {
    gate *g;
    int fd;
} gate_conn;

/* Read up to the end of the request head (the requests carry no body). */
static void gate_read_head(int fd) {
    char b[8192];
    size_t n = 0;
    while (n < sizeof b - 1) {
        ssize_t k = recv(fd, b + n, sizeof b - 1 - n, 0);
        if (k <= 0)
            return;
        n += (size_t)k;
        b[n] = '\0';
        if (strstr(b, "\r\n\r\n"))
            return;
    }
}

/* Count this request in, wait for the gate to open or the deadline, and
 * say whether it opened. */
static bool gate_wait(gate *g) {
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 10;
    pthread_mutex_lock(&g->mu);
    g->held++;
    if (g->held > g->max_held)
        g->max_held = g->held;
    if (g->held >= g->want) {
        g->open = true;
        pthread_cond_broadcast(&g->cv);
    }
    int rc = 0;
    while (!g->open && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&g->cv, &g->mu, &until);
    bool opened = g->open;
    g->held--;
    pthread_mutex_unlock(&g->mu);
    return opened;
}

static void *gate_serve(void *arg) {
    gate_conn *c = arg;
    gate_read_head(c->fd);
    const char *ok = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                     "Content-Length: 11\r\nConnection: close\r\n\r\n{\"ok\":true}";
    const char *late = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
                       "Connection: close\r\n\r\n";
    const char *msg = gate_wait(c->g) ? ok : late;
    ssize_t w = send(c->fd, msg, strlen(msg), MSG_NOSIGNAL);
    (void)w;
    shutdown(c->fd, SHUT_WR);
    free(c);
    return NULL;
}

static bool gate_stopping(gate *g) {
    pthread_mutex_lock(&g->mu);
    bool s = g->stop;
    pthread_mutex_unlock(&g->mu);
    return s;
}

/* Accept until told to stop; a thread per connection, so that every
 * request can be held at once. */
static void *gate_listen(void *arg) {
    gate *g = arg;
    while (!gate_stopping(g)) {
        struct pollfd p = {.fd = g->fd, .events = POLLIN};
        if (poll(&p, 1, 50) <= 0)
            continue;
        int fd = accept(g->fd, NULL, NULL);
        if (fd < 0)
            continue;
        struct timeval tv = {.tv_sec = 10};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        if (g->conns == GATE_MAX_CONNS) {
            close(fd);
            continue;
        }
        gate_conn *c = xmalloc(sizeof *c);
        *c = (gate_conn){.g = g, .fd = fd};
        g->conn_fd[g->conns] = fd;
        if (pthread_create(&g->conn[g->conns], NULL, gate_serve, c) != 0) {
            close(fd);
            free(c);
            continue;
        }
        g->conns++;
    }
    return NULL;
}

static void gate_start(gate *g, int want) {
    *g = (gate){.want = want};
    pthread_mutex_init(&g->mu, NULL);
    pthread_cond_init(&g->cv, NULL);
    g->fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(g->fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(g->fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(g->fd, 64), 0);
    socklen_t len = sizeof a;
    assert_int_equal(getsockname(g->fd, (struct sockaddr *)&a, &len), 0);
    g->port = ntohs(a.sin_port);
    assert_int_equal(pthread_create(&g->listener, NULL, gate_listen, g), 0);
}

static void gate_stop(gate *g) {
    pthread_mutex_lock(&g->mu);
    g->stop = true;
    pthread_mutex_unlock(&g->mu);
    pthread_join(g->listener, NULL);
    for (int i = 0; i < g->conns; i++) {
        pthread_join(g->conn[i], NULL);
        close(g->conn_fd[i]);
    }
    close(g->fd);
    pthread_cond_destroy(&g->cv);
    pthread_mutex_destroy(&g->mu);
}

/* Four stages: the server only answers once it holds all four requests,
 * so each stage's 200 proves they were all in flight together. */
static void remote_send_holds_every_stage_at_once(void **state) {
    gate g;
    gate_start(&g, 4);
    env_credentials();
    cred_chain *cc = cred_chain_new(&(cred_opts){0});
    char *url = xasprintf("http://127.0.0.1:%d", g.port);
    err e;
    curl_transport_opts o = {.region = FIXTURE_REGION, .creds = cc, .endpoint_url = url,
                             .max_attempts = 1, .total_timeout_ms = 20000};
    transport *t = curl_transport_new(&o, &e);
    assert_non_null(t);
    client *cl = client_new(t, FIXTURE_REGION);
    http_request *req = http_request_new("GET", "/items");
    char *stages[] = {"dev", "prod", "test", "beta"};
    invoke_result *r = invoke_send_concurrent(cl, "abcdef1234", stages, 4, req, true);
    /* The server's threads are joined before anything is asserted, so that
     * a failure cannot leave them running on this frame's gate. */
    client_free(cl);
    transport_destroy(t);
    gate_stop(&g);
    for (int i = 0; i < 4; i++) {
        assert_string_equal(r[i].stage, stages[i]);
        assert_string_equal(r[i].error, "");
        assert_int_equal(r[i].status, 200);
    }
    invoke_results_free(r, 4);
    http_request_free(req);
    cred_chain_free(cc);
    free(url);
    assert_int_equal(g.max_held, 4);
    assert_int_equal(g.conns, 4);
}

/* --- the current configuration: --undeployed ------------------------------ */

static void parses_undeployed(void **state) {
    invoke_args a;
    err e;
    assert_int_equal(PARSE(&a, &e, "--undeployed", "--stage", "dev", "GET", "/items/1"), 0);
    assert_true(a.undeployed);
    invoke_args_free(&a);
    assert_int_equal(PARSE(&a, &e, "GET", "/items/1"), 0);
    assert_false(a.undeployed);
    invoke_args_free(&a);
}

/* A resource as GetResources?embed=methods lists it, with methods verbs. */
static void add_resource(cJSON *list, const char *id, const char *path, const char *verbs) {
    cJSON *r = cJSON_CreateObject();
    json_set_str(r, "id", id);
    json_set_str(r, "path", path);
    if (verbs) {
        cJSON *m = json_child_obj(r, "resourceMethods");
        char *copy = xstrdup(verbs), *save = NULL;
        for (char *v = strtok_r(copy, ",", &save); v; v = strtok_r(NULL, ",", &save))
            json_set_str(json_child_obj(m, v), "httpMethod", v);
        free(copy);
    }
    cJSON_AddItemToArray(list, r);
}

static void expect_match(const cJSON *list, const char *verb, const char *path, const char *id,
                         const char *method) {
    const char *m = "unset";
    const cJSON *r = invoke_match_resource(list, path, verb, &m);
    if (!id) {
        if (r) fail_msg("%s %s reached %s", verb, path, json_str(r, "path"));
        assert_null(m);
        return;
    }
    if (!r) fail_msg("%s %s reached nothing", verb, path);
    if (strcmp(json_str(r, "id"), id) != 0)
        fail_msg("%s %s reached %s, not %s", verb, path, json_str(r, "id"), id);
    assert_string_equal(m, method);
}

static void matches_resources_as_the_gateway_does(void **state) {
    cJSON *list = cJSON_CreateArray();
    add_resource(list, "proxy", "/{proxy+}", "ANY");
    add_resource(list, "root", "/", NULL);
    add_resource(list, "item", "/items/{ID}", "GET");
    add_resource(list, "items", "/items", "GET");
    add_resource(list, "special", "/items/special", "POST");
    add_resource(list, "tags", "/items/{ID}/tags", "ANY");
    add_resource(list, "files", "/files/{path+}", "GET");
    expect_match(list, "GET", "/items", "items", "GET");
    expect_match(list, "GET", "/items/", "items", "GET"); /* trailing slash */
    expect_match(list, "GET", "/items/7", "item", "GET");
    /* A literal part first, but it has no GET: back to the parameter. */
    expect_match(list, "GET", "/items/special", "item", "GET");
    expect_match(list, "POST", "/items/special", "special", "POST");
    expect_match(list, "PUT", "/items/1/tags", "tags", "ANY");
    /* An escaped slash stays inside its part. */
    expect_match(list, "GET", "/items/a%2Fb", "item", "GET");
    expect_match(list, "GET", "/files/a/b/c", "files", "GET");
    /* No DELETE on /items: the greedy proxy at the root takes it. */
    expect_match(list, "DELETE", "/items", "proxy", "ANY");
    expect_match(list, "GET", "/other/x", "proxy", "ANY");
    /* The root has no method and a greedy part wants one part at least. */
    expect_match(list, "GET", "/", NULL, NULL);
    cJSON_Delete(list);

    list = cJSON_CreateArray();
    add_resource(list, "item", "/items/{ID}", "GET");
    expect_match(list, "GET", "/items", NULL, NULL);
    expect_match(list, "GET", "/items/1/2", NULL, NULL);
    expect_match(list, "POST", "/items/1", NULL, NULL);
    cJSON_Delete(list);
}

/* One TestInvokeMethod per stage, as the service model places its
 * members, and each answer turned into that stage's result. */
static void undeployed_sends_one_test_per_stage(void **state) {
    fake_transport *f = fake_transport_new();
    fake_answer(f, (canned){200,
                            "{\"status\":201,\"body\":\"{\\\"a\\\":1}\",\"headers\":"
                            "{\"Content-Type\":\"application/json\"},\"multiValueHeaders\":"
                            "{\"Content-Type\":[\"application/json\"],\"X-M\":[\"1\",\"2\"]},"
                            "\"log\":\"Execution log for request x\\n\",\"latency\":7}",
                            {"Content-Type", "application/json"}});
    fake_answer(f, (canned){404,
                            "{\"message\":\"Invalid Method identifier specified\"}",
                            {"x-amzn-ErrorType", "NotFoundException"}});
    client *cl = client_new(&f->base, "eu-west-1");
    invoke_args a;
    err e;
    assert_int_equal(PARSE(&a, &e, "-H", "x-api-key: K", "-H", "X-Twice: 1", "-H", "X-Twice: 2",
                           "-d", "[1]", "post", "/items/1?v=2"),
                     0);
    http_request *req = invoke_request(&a, a.data, strlen(a.data));
    cJSON *stages = cJSON_Parse("[{\"stageName\":\"dev\",\"variables\":{\"who\":\"alpha\"}},"
                                "{\"stageName\":\"prod\"}]");
    char *names[] = {"dev", "prod"};
    invoke_result *r = invoke_send_undeployed(cl, "abcdef1234", "r1d2", "/items/{ID}", "POST",
                                              names, 2, stages, req);
    assert_int_equal(f->nreq, 2);
    const char *want_vars[] = {"{\"who\":\"alpha\"}", NULL};
    for (int i = 0; i < 2; i++) {
        http_request *sent = f->req[i];
        assert_string_equal(sent->method, "POST");
        assert_string_equal(sent->path, "/restapis/abcdef1234/resources/r1d2/methods/POST");
        assert_string_equal(sent->service, "apigateway");
        cJSON *b = cJSON_ParseWithLength(sent->body, sent->body_len);
        assert_string_equal(json_str(b, "pathWithQueryString"), "/items/1?v=2");
        assert_string_equal(json_str(b, "body"), "[1]");
        const cJSON *h = json_obj(b, "headers");
        assert_string_equal(json_str(h, "x-api-key"), "K");
        assert_string_equal(json_str(h, "Content-Type"), "application/json");
        const cJSON *twice = json_arr(json_obj(b, "multiValueHeaders"), "X-Twice");
        assert_int_equal(cJSON_GetArraySize(twice), 2);
        assert_string_equal(cJSON_GetArrayItem(twice, 1)->valuestring, "2");
        assert_null(json_arr(json_obj(b, "multiValueHeaders"), "x-api-key"));
        if (want_vars[i]) {
            cJSON *want = cJSON_Parse(want_vars[i]);
            assert_true(cJSON_Compare(json_obj(b, "stageVariables"), want, true));
            cJSON_Delete(want);
        } else {
            assert_false(json_has(b, "stageVariables"));
        }
        cJSON_Delete(b);
    }
    assert_true(r[0].undeployed);
    assert_string_equal(r[0].stage, "dev");
    assert_int_equal(r[0].status, 201);
    assert_int_equal(r[0].resp.status, 201);
    assert_memory_equal(r[0].resp.body, "{\"a\":1}", r[0].resp.body_len);
    assert_int_equal(r[0].resp.headers.n, 3); /* multiValueHeaders, each value */
    assert_string_equal(r[0].resp.headers.v[2].value, "2");
    assert_string_equal(r[0].trace.log, "Execution log for request x\n");
    assert_string_equal(r[0].trace.resource_path, "/items/{ID}");
    assert_true(r[0].trace.latency_ms == 7);
    assert_true(r[0].latency_ms >= 0);
    /* A refused call is that stage's "no answer", with AWS's words. */
    assert_true(r[1].undeployed);
    assert_int_equal(r[1].status, 0);
    assert_string_equal(r[1].error, "NotFoundException: Invalid Method identifier specified");
    assert_int_equal(invoke_exit_status(r, 2), 1);
    invoke_results_free(r, 2);
    cJSON_Delete(stages);
    http_request_free(req);
    invoke_args_free(&a);
    client_free(cl);
    transport_destroy(&f->base);
}

static void undeployed_output(void **state) {
    invoke_result *r = xcalloc(2, sizeof *r);
    for (int i = 0; i < 2; i++) {
        http_response_init(&r[i].resp);
        r[i].undeployed = true;
        r[i].trace.throttle_remaining = r[i].trace.quota_remaining = -1;
    }
    r[0].stage = xstrdup("dev");
    r[0].status = r[0].resp.status = 200;
    r[0].latency_ms = 4.25;
    r[0].trace.latency_ms = 3;
    snprintf(r[0].trace.resource_path, sizeof r[0].trace.resource_path, "/items/{ID}");
    r[0].trace.log = xstrdup("Execution log for request 1\nMethod completed with status: 200\n");
    http_headers_add(&r[0].resp.headers, "Content-Type", "application/json");
    set_body(&r[0], "{\"who\":\"alpha\"}");
    r[1].stage = xstrdup("prod");
    snprintf(r[1].error, sizeof r[1].error, "NotFoundException: Invalid Resource identifier");

    char *text = format_text(r, 2, true);
    const char *want = "=== stage dev: 200 OK in 4.2 ms ===\n"
                       "Config:    current, not deployed (TestInvokeMethod with stage dev's "
                       "variables)\n"
                       "Resource:  /items/{ID}\n"
                       "< Content-Type: application/json\n"
                       "\n"
                       "{\n"
                       "  \"who\": \"alpha\"\n"
                       "}\n"
                       "\n"
                       "Execution log:\n"
                       "Execution log for request 1\n"
                       "Method completed with status: 200\n"
                       "\n"
                       "=== stage prod: no answer: NotFoundException: Invalid Resource "
                       "identifier ===\n";
    assert_string_equal(text, want);
    free(text);
    text = format_text(r, 1, false);
    assert_null(strstr(text, "Execution log"));
    free(text);

    cJSON *doc = invoke_to_json(r, 2);
    const cJSON *dev = cJSON_GetArrayItem(json_arr(doc, "stages"), 0);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(dev, "undeployed")));
    assert_int_equal((int)json_num_or(dev, "status", 0), 200);
    assert_true(json_num_or(dev, "testLatencyMs", 0) == 3);
    assert_string_equal(json_str(dev, "resourcePath"), "/items/{ID}");
    assert_string_equal(json_str(json_obj(dev, "body"), "who"), "alpha");
    assert_non_null(strstr(json_str(dev, "log"), "Method completed"));
    const char *unknown[] = {"lambda", "cache", "throttleRemaining", "quotaRemaining"};
    for (size_t k = 0; k < sizeof unknown / sizeof *unknown; k++)
        assert_true(cJSON_IsNull(cJSON_GetObjectItem(dev, unknown[k])));
    const cJSON *prod = cJSON_GetArrayItem(json_arr(doc, "stages"), 1);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(prod, "status")));
    assert_string_equal(json_str(prod, "error"), "NotFoundException: Invalid Resource identifier");
    cJSON_Delete(doc);
    /* A normal run says it is not one. */
    r[0].undeployed = false;
    doc = invoke_to_json(r, 1);
    dev = cJSON_GetArrayItem(json_arr(doc, "stages"), 0);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(dev, "undeployed")));
    cJSON_Delete(doc);
    invoke_results_free(r, 2);
}

/* After lab_mock_api's deployment: a stage variable "who" on each stage
 * (dev alpha, prod beta), then GET /items/{ID} answers differently in the
 * current configuration only: nothing is deployed again. */
static void undeployed_change(fixture *fx, const char *id) {
    assert_int_equal(fx_patch(fx, NULL, "[{\"op\":\"replace\",\"path\":\"/variables/who\","
                                        "\"value\":\"alpha\"}]",
                              "/restapis/%s/stages/dev", id),
                     200);
    assert_int_equal(fx_patch(fx, NULL, "[{\"op\":\"replace\",\"path\":\"/variables/who\","
                                        "\"value\":\"beta\"}]",
                              "/restapis/%s/stages/prod", id),
                     200);
    cJSON *res = NULL;
    assert_int_equal(fx_callf(fx, &res, "GET", NULL, "/restapis/%s/resources", id), 200);
    const char *item = NULL;
    const cJSON *it;
    cJSON_ArrayForEach(it, json_arr(res, "item")) {
        if (strcmp(json_str_or(it, "path", ""), "/items/{ID}") == 0) item = json_str(it, "id");
    }
    assert_non_null(item);
    cJSON *t = cJSON_CreateObject();
    json_set_str(json_child_obj(t, "responseTemplates"), "application/json",
                 "{\"changed\": true, \"who\": \"$stageVariables.who\", "
                 "\"id\": \"$input.params('ID')\"}");
    char *tb = json_print(t);
    cJSON_Delete(t);
    assert_int_equal(fx_callf(fx, NULL, "PUT", tb,
                              "/restapis/%s/resources/%s/methods/GET/integration/responses/200",
                              id, item),
                     201);
    free(tb);
    cJSON_Delete(res);
}

/* Both runs of GET /items/2: the deployed one still answers the lab's item,
 * the --undeployed one the changed template, with each stage's variable. */
static void check_both_runs(run_fn fn, void *ctx, const char *url) {
    int rc;
    char *errs;
    const char *deployed[] = {"--json", "GET", "/items/2", NULL, NULL, NULL};
    const char *undeployed[] = {"--undeployed", "--json", "GET", "/items/2", NULL, NULL, NULL};
    if (url) {
        deployed[3] = undeployed[4] = "--endpoint-url";
        deployed[4] = undeployed[5] = url;
    }
    char *out = capture(fn, ctx, &rc, &errs, deployed);
    assert_string_equal(errs, "");
    free(errs);
    assert_int_equal(rc, 0);
    cJSON *doc = cJSON_Parse(out);
    free(out);
    const cJSON *st = json_arr(doc, "stages");
    assert_int_equal(cJSON_GetArraySize(st), 2);
    for (int i = 0; i < 2; i++) {
        const cJSON *s = cJSON_GetArrayItem(st, i);
        assert_true(cJSON_IsFalse(cJSON_GetObjectItem(s, "undeployed")));
        assert_string_equal(json_str(json_obj(s, "body"), "name"), "foo2");
        assert_false(json_has(json_obj(s, "body"), "changed"));
    }
    cJSON_Delete(doc);

    out = capture(fn, ctx, &rc, &errs, undeployed);
    assert_string_equal(errs, "");
    free(errs);
    assert_int_equal(rc, 0);
    doc = cJSON_Parse(out);
    assert_non_null(doc);
    free(out);
    st = json_arr(doc, "stages");
    assert_int_equal(cJSON_GetArraySize(st), 2);
    const char *names[] = {"dev", "prod"}, *who[] = {"alpha", "beta"};
    for (int i = 0; i < 2; i++) {
        const cJSON *s = cJSON_GetArrayItem(st, i);
        assert_string_equal(json_str(s, "stage"), names[i]);
        assert_true(cJSON_IsTrue(cJSON_GetObjectItem(s, "undeployed")));
        assert_int_equal((int)json_num_or(s, "status", 0), 200);
        assert_string_equal(json_str(s, "resourcePath"), "/items/{ID}");
        const cJSON *b = json_obj(s, "body");
        assert_true(cJSON_IsTrue(cJSON_GetObjectItem(b, "changed")));
        assert_string_equal(json_str(b, "who"), who[i]);
        assert_string_equal(json_str(b, "id"), "2"); /* the path parameter, from the path */
        const char *log = json_str(s, "log");
        assert_non_null(log);
        assert_non_null(strstr(log, "Method request path: {ID=2}"));
        assert_non_null(strstr(log, "Method completed with status: 200"));
    }
    cJSON_Delete(doc);

    /* Human output, one stage, with its log. */
    const char *text_words[] = {"--undeployed", "--log", "--stage", "prod", "GET", "/items/5",
                                NULL, NULL, NULL};
    if (url) {
        text_words[6] = "--endpoint-url";
        text_words[7] = url;
    }
    out = capture(fn, ctx, &rc, &errs, text_words);
    assert_string_equal(errs, "");
    free(errs);
    assert_int_equal(rc, 0);
    assert_true(str_starts(out, "=== stage prod: 200 OK in "));
    assert_non_null(strstr(out, " ms ===\nConfig:    current, not deployed (TestInvokeMethod "
                                "with stage prod's variables)\nResource:  /items/{ID}\n"));
    assert_non_null(strstr(out, "\"who\": \"beta\""));
    assert_non_null(strstr(out, "\"id\": \"5\""));
    assert_non_null(strstr(out, "\nExecution log:\n"));
    assert_null(strstr(out, "=== stage dev"));
    free(out);

    /* A path no method serves: nothing to test, said plainly. */
    const char *none[] = {"--undeployed", "DELETE", "/items", NULL, NULL, NULL};
    if (url) {
        none[3] = "--endpoint-url";
        none[4] = url;
    }
    out = capture(fn, ctx, &rc, &errs, none);
    assert_int_equal(rc, 1);
    assert_string_equal(out, "");
    assert_string_equal(errs, "apigw-console invoke: no resource of the API has a DELETE method "
                              "for /items (nor ANY), so there is nothing to test\n");
    free(out);
    free(errs);
}

static void undeployed_offline(void **state) {
    fixture *fx = fixture_new(NULL);
    char *id = lab_mock_api(fx, "ItemsAPI");
    undeployed_change(fx, id);
    check_both_runs(run_offline, fx, NULL);
    free(id);
    fixture_free(fx);
}

static void undeployed_through_serve(void **state) {
    remote v;
    remote_start_with(&v, undeployed_change);
    check_both_runs(run_online, &v, v.url);
    remote_stop(&v);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_every_option),
        cmocka_unit_test(parses_the_remote_options),
        cmocka_unit_test(defaults_and_query),
        cmocka_unit_test(help_wins),
        cmocka_unit_test(usage_errors),
        cmocka_unit_test(usage_text_names_every_option),
        cmocka_unit_test(body_literal_file_and_missing),
        cmocka_unit_test(picks_api_by_id_name_or_default),
        cmocka_unit_test(picks_stages),
        cmocka_unit_test(request_from_args),
        cmocka_unit_test(text_output),
        cmocka_unit_test(text_output_with_log_and_without_trace),
        cmocka_unit_test(json_output),
        cmocka_unit_test(exit_status),
        cmocka_unit_test(client_sends_to_the_invoke_url),
        cmocka_unit_test(raw_request_shape),
        cmocka_unit_test(remote_request_forms),
        cmocka_unit_test(lookup_through_the_local_transport),
        cmocka_unit_test(run_fails_cleanly_without_api),
        cmocka_unit_test(run_serves_the_mock_api),
        cmocka_unit_test(client_path_reaches_the_data_plane),
        cmocka_unit_test(remote_run_calls_every_stage_over_http),
        cmocka_unit_test(remote_send_is_concurrent_and_in_order),
        cmocka_unit_test(remote_send_without_server),
        cmocka_unit_test(remote_send_holds_every_stage_at_once),
        cmocka_unit_test(parses_undeployed),
        cmocka_unit_test(matches_resources_as_the_gateway_does),
        cmocka_unit_test(undeployed_sends_one_test_per_stage),
        cmocka_unit_test(undeployed_output),
        cmocka_unit_test(undeployed_offline),
        cmocka_unit_test(undeployed_through_serve),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
