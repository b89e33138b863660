/* The Lambda panes' logic without a terminal: weights, the log's REPORT
 * line, the package's files, the code's address, request inputs from form
 * values, policy rows and the saved test events' file. */
#include "fixture.h"
#include "lab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/json.h"
#include "core/mem.h"
#include "transport/http.h"

#include "../../ui/pane_fn.h"

/* --- text -------------------------------------------------------------------------- */

static cJSON *parse(const char *s) {
    cJSON *v = cJSON_Parse(s);
    assert_non_null(v);
    return v;
}

static void weights_read_as_the_console_shows_them(void **state) {
    (void)state;
    cJSON *a = parse("{\"Name\":\"prod\",\"FunctionVersion\":\"2\","
                     "\"RoutingConfig\":{\"AdditionalVersionWeights\":{\"1\":0.2}}}");
    char *t = fn_weights_text(a);
    assert_string_equal(t, "2: 80% / 1: 20%");
    free(t);
    cJSON_Delete(a);
    a = parse("{\"FunctionVersion\":\"$LATEST\"}");
    t = fn_weights_text(a);
    assert_string_equal(t, "$LATEST: 100%");
    free(t);
    cJSON_Delete(a);
    a = parse("{\"FunctionVersion\":\"3\",\"RoutingConfig\":{\"AdditionalVersionWeights\":{\"2\":0."
              "125}}}");
    t = fn_weights_text(a);
    assert_string_equal(t, "3: 87.5% / 2: 12.5%");
    free(t);
    cJSON_Delete(a);
    char pct[32];
    fn_pct_text(100.0 / 3.0, pct, sizeof pct);
    assert_string_equal(pct, "33.33");
    fn_pct_text(-0.0001, pct, sizeof pct);
    assert_string_equal(pct, "0");
}

static void weight_percentages_parse_into_lambda_weights(void **state) {
    (void)state;
    double w = -1;
    assert_int_equal(fn_weight_parse("20", &w), 0);
    assert_true(w > 0.1999 && w < 0.2001);
    assert_int_equal(fn_weight_parse(" 12.5% ", &w), 0);
    assert_true(w > 0.1249 && w < 0.1251);
    assert_int_equal(fn_weight_parse("150", &w), 0); /* Lambda judges the range */
    assert_true(w > 1.49 && w < 1.51);
    assert_int_equal(fn_weight_parse("", &w), -1);
    assert_int_equal(fn_weight_parse("%", &w), -1);
    assert_int_equal(fn_weight_parse("20x", &w), -1);
    assert_int_equal(fn_weight_parse("nan", &w), -1);
}

static void alias_forms_give_routing_configs(void **state) {
    (void)state;
    char msg[160] = "";
    cJSON *w = fn_alias_weights(false, "1", "20", msg, sizeof msg);
    assert_non_null(w);
    assert_true(cJSON_IsObject(w));
    assert_null(w->child); /* {}: UpdateAlias drops the weights */
    cJSON_Delete(w);
    w = fn_alias_weights(true, "1", "20", msg, sizeof msg);
    char *s = json_print(w);
    assert_string_equal(s, "{\"1\":0.2}");
    free(s);
    cJSON_Delete(w);
    assert_null(fn_alias_weights(true, NULL, "20", msg, sizeof msg));
    assert_non_null(strstr(msg, "additional version"));
    assert_null(fn_alias_weights(true, "1", "lots", msg, sizeof msg));
    assert_non_null(strstr(msg, "percentage"));
}

static void base64_decodes_log_results(void **state) {
    (void)state;
    size_t n = 0;
    unsigned char *b = fn_unbase64("U1RBUlQgUmVxdWVzdElkOiAx\nCg==", &n);
    assert_non_null(b);
    assert_int_equal(n, 19);
    assert_string_equal((char *)b, "START RequestId: 1\n");
    free(b);
    b = fn_unbase64("SGk", &n); /* unpadded */
    assert_non_null(b);
    assert_string_equal((char *)b, "Hi");
    free(b);
    assert_null(fn_unbase64("SGk=x", &n));
    assert_null(fn_unbase64("S@Gk", &n));
}

static void report_lines_give_durations(void **state) {
    (void)state;
    const char *log = "START RequestId: 5f7e Version: $LATEST\nEvent: {}\nEND RequestId: 5f7e\n"
                      "REPORT RequestId: 5f7e\tDuration: 1.37 ms\tBilled Duration: 2 ms\t"
                      "Memory Size: 128 MB\tMax Memory Used: 37 MB\tInit Duration: 120.50 ms\t\n";
    fn_report r;
    fn_parse_report(log, &r);
    assert_true(r.found);
    assert_string_equal(r.request_id, "5f7e");
    assert_true(r.duration_ms > 1.36 && r.duration_ms < 1.38);
    assert_true(r.billed_ms > 1.9 && r.billed_ms < 2.1);
    assert_int_equal(r.memory_mb, 128);
    assert_int_equal(r.max_memory_mb, 37);
    assert_true(r.init_ms > 120.4 && r.init_ms < 120.6);
    fn_parse_report("REPORT RequestId: x\tDuration: 3.00 ms\tBilled Duration: 3 ms", &r);
    assert_true(r.found);
    assert_true(r.init_ms < 0); /* warm */
    fn_parse_report("Event: {}\n", &r);
    assert_false(r.found);
    fn_parse_report(NULL, &r);
    assert_false(r.found);
}

/* --- the package ---------------------------------------------------------------------- */

static void handlers_name_their_files(void **state) {
    (void)state;
    char *f = fn_code_file("lambda_function.lambda_handler", "python3.13");
    assert_string_equal(f, "lambda_function.py");
    free(f);
    f = fn_code_file("index.handler", "nodejs22.x");
    assert_string_equal(f, "index.mjs");
    free(f);
    f = fn_code_file("src/app.main", "python3.12");
    assert_string_equal(f, "src/app.py");
    free(f);
}

static void edits_keep_the_other_files(void **state) {
    (void)state;
    err e;
    size_t n1 = 0, n2 = 0, n3 = 0;
    unsigned char *z1 = fn_zip_put(NULL, 0, "lambda_function.py", "print(1)\n", &n1, &e);
    assert_non_null(z1);
    assert_int_equal(fn_zip_count(z1, n1), 1);
    unsigned char *z2 = fn_zip_put(z1, n1, "util.py", "X = 2\n", &n2, &e);
    assert_non_null(z2);
    assert_int_equal(fn_zip_count(z2, n2), 2);
    unsigned char *z3 = fn_zip_put(z2, n2, "lambda_function.py", "print(3)\n", &n3, &e);
    assert_non_null(z3);
    assert_int_equal(fn_zip_count(z3, n3), 2);
    char *text = NULL;
    assert_int_equal(fn_zip_read(z3, n3, "lambda_function.py", &text, &e), 0);
    assert_string_equal(text, "print(3)\n");
    free(text);
    assert_int_equal(fn_zip_read(z3, n3, "util.py", &text, &e), 0);
    assert_string_equal(text, "X = 2\n");
    free(text);
    assert_int_equal(fn_zip_read(z3, n3, "missing.py", &text, &e), -1);
    assert_null(text);
    /* The first archive is untouched. */
    assert_int_equal(fn_zip_read(z1, n1, "lambda_function.py", &text, &e), 0);
    assert_string_equal(text, "print(1)\n");
    free(text);
    char *pick = fn_zip_pick(z3, n3, "lambda_function.lambda_handler", "python3.13");
    assert_string_equal(pick, "lambda_function.py");
    free(pick);
    pick = fn_zip_pick(z3, n3, "app.handler", "python3.13"); /* not there: the first file */
    assert_non_null(pick);
    free(pick);
    free(z1);
    free(z2);
    free(z3);
    size_t nj = 0;
    unsigned char *zj = fn_zip_put(NULL, 0, "index.js", "exports.handler = 1;\n", &nj, &e);
    pick = fn_zip_pick(zj, nj, "index.handler", "nodejs20.x");
    assert_string_equal(pick, "index.js");
    free(pick);
    free(zj);
    assert_null(fn_zip_pick("not a zip", 9, "index.handler", "nodejs20.x"));
    assert_int_equal(fn_zip_read("not a zip", 9, "a.py", &text, &e), -1);
    assert_null(fn_zip_put("not a zip", 9, "a.py", "x", &n1, &e));
    assert_int_equal(fn_zip_count("not a zip", 9), 0);
}

static void code_locations_become_requests(void **state) {
    (void)state;
    http_request *r = fn_code_request(
        "http://127.0.0.1:4566/_apigw-console/lambda-code/us-west-2/ItemsFunction/%24LATEST.zip");
    assert_non_null(r);
    assert_string_equal(r->method, "GET");
    assert_string_equal(r->path,
                        "/_apigw-console/lambda-code/us-west-2/ItemsFunction/%24LATEST.zip");
    assert_null(r->query);
    assert_string_equal(http_headers_get(&r->headers, "Host"), "127.0.0.1:4566");
    assert_string_equal(r->service, "lambda");
    http_request_free(r);
    r = fn_code_request("https://awslambda-us-west-2-tasks.s3.us-west-2.amazonaws.com/snapshots/1/"
                        "ItemsFunction-abc?versionId=x&X-Amz-Signature=f00#frag");
    assert_non_null(r);
    assert_string_equal(r->path, "/snapshots/1/ItemsFunction-abc");
    assert_string_equal(r->query, "versionId=x&X-Amz-Signature=f00");
    http_request_free(r);
    assert_null(fn_code_request("ftp://example.com/code.zip"));
    assert_null(fn_code_request("http:///nohost"));
}

/* GetFunction's Code.Location, fetched as the Code section does, gives
 * the package the function was created with. */
static void the_emulator_serves_the_code_location(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    char *zip = zip_one_base64("lambda_function.py", lab_function_py, NULL, NULL);
    char *body = lab_function_body("ItemsFunction", zip, NULL);
    assert_int_equal(fx_call(fx, "POST", "/2015-03-31/functions", body, NULL), 201);
    cJSON *fn = NULL;
    assert_int_equal(fx_call(fx, "GET", "/2015-03-31/functions/ItemsFunction", NULL, &fn), 200);
    const char *loc = json_str(json_obj(fn, "Code"), "Location");
    assert_non_null(loc);
    http_request *req = fn_code_request(loc);
    assert_non_null(req);
    http_response resp;
    http_response_init(&resp);
    emulator_handle(fx->emu, req, &resp);
    assert_int_equal(resp.status, 200);
    const cJSON *cfg = json_obj(fn, "Configuration");
    char *file =
        fn_zip_pick(resp.body, resp.body_len, json_str(cfg, "Handler"), json_str(cfg, "Runtime"));
    assert_string_equal(file, "lambda_function.py");
    char *text = NULL;
    err e;
    assert_int_equal(fn_zip_read(resp.body, resp.body_len, file, &text, &e), 0);
    assert_string_equal(text, lab_function_py);
    free(text);
    free(file);
    http_response_free(&resp);
    http_request_free(req);
    cJSON_Delete(fn);
    free(body);
    free(zip);
    fixture_free(fx);
}

/* --- choices and policy ------------------------------------------------------------------ */

static void published_versions_come_newest_first(void **state) {
    (void)state;
    cJSON *v = parse(
        "[{\"Version\":\"$LATEST\"},{\"Version\":\"1\"},{\"Version\":\"10\"},{\"Version\":\"2\"}]");
    const char *out[8];
    assert_int_equal(fn_published(v, out, 8), 3);
    assert_string_equal(out[0], "10");
    assert_string_equal(out[1], "2");
    assert_string_equal(out[2], "1");
    assert_int_equal(fn_published(v, out, 1), 1);
    assert_int_equal(fn_published(NULL, out, 8), 0);
    cJSON_Delete(v);
}

static void policy_statements_become_rows(void **state) {
    (void)state;
    cJSON *doc = parse(
        "{\"Version\":\"2012-10-17\",\"Id\":\"default\",\"Statement\":["
        "{\"Sid\":\"apigw-prod\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"apigateway."
        "amazonaws.com\"},"
        "\"Action\":\"lambda:InvokeFunction\","
        "\"Resource\":\"arn:aws:lambda:us-west-2:123456789012:function:ItemsFunction:prod\","
        "\"Condition\":{\"ArnLike\":{\"AWS:SourceArn\":\"arn:aws:execute-api:us-west-2:"
        "123456789012:a1/*/GET/items\"}}},"
        "{\"Sid\":\"acct\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"arn:aws:iam::"
        "111122223333:root\"]},"
        "\"Action\":[\"lambda:GetFunction\",\"lambda:InvokeFunction\"],\"Resource\":\"x\"}]}");
    cJSON *rows = cJSON_CreateArray();
    fn_policy_rows(rows, doc, "prod");
    assert_int_equal(cJSON_GetArraySize(rows), 2);
    const cJSON *r0 = cJSON_GetArrayItem(rows, 0), *r1 = cJSON_GetArrayItem(rows, 1);
    assert_string_equal(json_str(r0, "Qualifier"), "prod");
    assert_string_equal(json_str(r0, "Sid"), "apigw-prod");
    assert_string_equal(json_str(r0, "Principal"), "apigateway.amazonaws.com");
    assert_string_equal(json_str(r0, "Action"), "lambda:InvokeFunction");
    assert_string_equal(json_str(r0, "SourceArn"),
                        "arn:aws:execute-api:us-west-2:123456789012:a1/*/GET/items");
    assert_string_equal(json_str(r1, "Principal"), "arn:aws:iam::111122223333:root");
    assert_string_equal(json_str(r1, "Action"), "lambda:GetFunction, lambda:InvokeFunction");
    assert_string_equal(json_str(r1, "SourceArn"), "");
    cJSON_Delete(doc);
    /* A lone statement object, and no policy at all. */
    doc = parse("{\"Statement\":{\"Sid\":\"one\",\"Principal\":\"*\",\"Action\":\"lambda:*\"}}");
    fn_policy_rows(rows, doc, "");
    fn_policy_rows(rows, NULL, "");
    assert_int_equal(cJSON_GetArraySize(rows), 3);
    assert_string_equal(json_str(cJSON_GetArrayItem(rows, 2), "Principal"), "*");
    cJSON_Delete(doc);
    cJSON_Delete(rows);
}

/* --- test events --------------------------------------------------------------------------- */

typedef struct ev_env {
    char dir[64];
} ev_env;

static int events_setup(void **state) {
    ev_env *env = xcalloc(1, sizeof *env);
    snprintf(env->dir, sizeof env->dir, "/tmp/ui-lambda-XXXXXX");
    assert_non_null(mkdtemp(env->dir));
    setenv("XDG_STATE_HOME", env->dir, 1);
    *state = env;
    return 0;
}

static int events_teardown(void **state) {
    ev_env *env = *state;
    char *cmd = xasprintf("rm -rf '%s'", env->dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(env);
    return 0;
}

typedef struct add_one {
    const char *name, *json;
} add_one;

static int add_event(cJSON *events, void *ud, err *e) {
    const add_one *a = ud;
    const cJSON *it;
    cJSON_ArrayForEach(it, events) {
        if (strcmp(json_str_or(it, "name", ""), a->name) == 0) return err_set(e, 0, "", "exists");
    }
    cJSON *item = cJSON_CreateObject();
    json_set_str(item, "name", a->name);
    cJSON_AddItemToObject(item, "event", cJSON_Parse(a->json));
    cJSON_AddItemToArray(events, item);
    return 0;
}

static void events_live_in_a_private_file(void **state) {
    ev_env *env = *state;
    char *path = fn_events_path("us-west-2", "ItemsFunction");
    char *want = xasprintf("%s/apigw-console/test-events/us-west-2/ItemsFunction.json", env->dir);
    assert_string_equal(path, want);
    free(want);
    err e;
    cJSON *events = fn_events_load(path, &e); /* no file yet: none */
    assert_non_null(events);
    assert_int_equal(cJSON_GetArraySize(events), 0);
    cJSON_Delete(events);
    add_one a = {"GetItems", "{}"}, b = {"GetItem", "{\"ID\": 1}"};
    assert_int_equal(fn_events_update(path, add_event, &a, &e), 0);
    assert_int_equal(fn_events_update(path, add_event, &b, &e), 0);
    assert_int_equal(fn_events_update(path, add_event, &a, &e), -1); /* refused: unchanged */
    assert_string_equal(e.msg, "exists");
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    events = fn_events_load(path, &e);
    assert_int_equal(cJSON_GetArraySize(events), 2);
    assert_string_equal(json_str(cJSON_GetArrayItem(events, 1), "name"), "GetItem");
    assert_int_equal(json_num_or(json_obj(cJSON_GetArrayItem(events, 1), "event"), "ID", 0), 1);
    cJSON_Delete(events);
    /* No temp file is left next to it. */
    char *dir = xasprintf("%s/apigw-console/test-events/us-west-2", env->dir);
    char *cmd = xasprintf("test $(ls -A '%s' | grep -v '\\.lock$' | wc -l) -eq 1", dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(dir);
    free(path);
}

static void hostile_names_stay_inside_the_directory(void **state) {
    ev_env *env = *state;
    char *path = fn_events_path("../..", "../etc/passwd");
    char *prefix = xasprintf("%s/apigw-console/test-events/", env->dir);
    assert_true(strncmp(path, prefix, strlen(prefix)) == 0);
    assert_null(strstr(path + strlen(prefix), "/../"));
    assert_null(strstr(path + strlen(prefix), "/etc/"));
    assert_int_equal(strchr(path + strlen(prefix), '/') - (path + strlen(prefix)), 5); /* ".._.." */
    free(prefix);
    free(path);
}

static void a_foreign_file_is_never_overwritten(void **state) {
    (void)state;
    char *path = fn_events_path("us-west-2", "Other");
    add_one a = {"GetItems", "{}"};
    err e;
    assert_int_equal(fn_events_update(path, add_event, &a, &e), 0); /* makes the directories */
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("[1, 2", f);
    fclose(f);
    assert_null(fn_events_load(path, &e));
    assert_non_null(strstr(e.msg, "not a test events file"));
    assert_int_equal(fn_events_update(path, add_event, &a, &e), -1);
    f = fopen(path, "r");
    char got[16] = "";
    assert_non_null(fgets(got, sizeof got, f));
    fclose(f);
    assert_string_equal(got, "[1, 2");
    free(path);
}

static void event_names_and_bodies_are_checked(void **state) {
    (void)state;
    char msg[200];
    assert_true(fn_event_name_ok("GetItems", msg, sizeof msg));
    assert_true(fn_event_name_ok("get-item_1.v2", msg, sizeof msg));
    assert_false(fn_event_name_ok("", msg, sizeof msg));
    assert_false(fn_event_name_ok("Get Items", msg, sizeof msg));
    assert_false(fn_event_name_ok("abcdefghijklmnopqrstuvwxyz", msg, sizeof msg)); /* 26 */
    assert_non_null(strstr(msg, "25"));
    cJSON *v = fn_event_parse("{\"ID\": 1}", msg, sizeof msg);
    assert_non_null(v);
    cJSON_Delete(v);
    assert_null(fn_event_parse("{\n  \"ID\": \n}", msg, sizeof msg));
    assert_non_null(strstr(msg, "not valid JSON"));
    assert_non_null(strstr(msg, "line 3"));
    assert_null(fn_event_parse("{} trailing", msg, sizeof msg));
    assert_null(fn_event_parse("  \n", msg, sizeof msg));
    assert_non_null(strstr(msg, "empty"));
}

/* --- display text and shared state ---------------------------------------------------------- */

static void text_is_made_safe_and_wrapped(void **state) {
    (void)state;
    fn_text t = {0};
    fn_text_set(&t, "abcdefghij\nxy\tz\nbad\x1b[2Jend\n", true);
    fn_text_layout(&t, 4);
    assert_int_equal(t.n, 8);
    assert_string_equal(t.line[0], "abcd");
    assert_string_equal(t.line[2], "ij");
    assert_string_equal(t.line[3], "xy  ");
    assert_string_equal(t.line[4], "z");
    assert_null(strchr(t.line[5], '\x1b'));
    fn_text_set(&t, "one\ntwo\nthree\n", false);
    fn_text_layout(&t, 2);
    assert_int_equal(t.n, 3); /* cut when drawn, not wrapped */
    size_t top = 0;
    assert_true(fn_text_scroll(&t, &top, 2, UI_ACT_END));
    assert_int_equal(top, 1);
    assert_false(fn_text_scroll(&t, &top, 2, UI_ACT_DOWN));
    assert_true(fn_text_scroll(&t, &top, 2, UI_ACT_HOME));
    assert_int_equal(top, 0);
    fn_text_free(&t);
}

static int finis;
static void count_fini(void *p) {
    (void)p;
    finis++;
}

static void shared_state_outlives_its_pane(void **state) {
    (void)state;
    finis = 0;
    int *p = fn_shared_new(sizeof(int), count_fini);
    *p = 7;
    int *job = fn_shared_ref(p);
    fn_shared_unref(p); /* the pane goes */
    assert_int_equal(finis, 0);
    assert_int_equal(*job, 7);
    fn_shared_unref(job); /* then the job */
    assert_int_equal(finis, 1);
    fn_shared_unref(NULL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(weights_read_as_the_console_shows_them),
        cmocka_unit_test(weight_percentages_parse_into_lambda_weights),
        cmocka_unit_test(alias_forms_give_routing_configs),
        cmocka_unit_test(base64_decodes_log_results),
        cmocka_unit_test(report_lines_give_durations),
        cmocka_unit_test(handlers_name_their_files),
        cmocka_unit_test(edits_keep_the_other_files),
        cmocka_unit_test(code_locations_become_requests),
        cmocka_unit_test(the_emulator_serves_the_code_location),
        cmocka_unit_test(published_versions_come_newest_first),
        cmocka_unit_test(policy_statements_become_rows),
        cmocka_unit_test_setup_teardown(events_live_in_a_private_file, events_setup,
                                        events_teardown),
        cmocka_unit_test_setup_teardown(hostile_names_stay_inside_the_directory, events_setup,
                                        events_teardown),
        cmocka_unit_test_setup_teardown(a_foreign_file_is_never_overwritten, events_setup,
                                        events_teardown),
        cmocka_unit_test(event_names_and_bodies_are_checked),
        cmocka_unit_test(text_is_made_safe_and_wrapped),
        cmocka_unit_test(shared_state_outlives_its_pane),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
