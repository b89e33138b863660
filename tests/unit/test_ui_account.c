/* Usage plans and API keys in the console without a terminal: the request
 * inputs built from form values, the patch operations of an edit (checked
 * by the emulator itself, over the client), the current quota period and
 * usage in words. */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

#include "client/apigw.h"
#include "client/client.h"
#include "core/json.h"
#include "transport/local.h"
#include "ui/plans.h"

/* --- values of a plan ---------------------------------------------------------- */

static void values_of_a_plan_with_limits(void **state) {
    cJSON *plan = cJSON_Parse("{\"id\":\"p1\",\"name\":\"LabPlan\",\"description\":\"d\","
                              "\"throttle\":{\"rateLimit\":0.5,\"burstLimit\":5},"
                              "\"quota\":{\"limit\":1000000,\"offset\":3,\"period\":\"WEEK\"}}");
    plan_bufs b;
    plan_values v = plan_values_of(plan, &b);
    assert_string_equal(v.name, "LabPlan");
    assert_string_equal(v.description, "d");
    assert_true(v.throttle);
    assert_string_equal(v.rate, "0.5");
    assert_string_equal(v.burst, "5");
    assert_true(v.quota);
    assert_string_equal(v.limit, "1000000"); /* never 1e+06 */
    assert_string_equal(v.offset, "3");
    assert_string_equal(v.period, "WEEK");
    cJSON_Delete(plan);
}

static void values_of_a_bare_plan(void **state) {
    cJSON *plan = cJSON_Parse("{\"id\":\"p1\",\"name\":\"Bare\"}");
    plan_bufs b;
    plan_values v = plan_values_of(plan, &b);
    assert_string_equal(v.description, "");
    assert_false(v.throttle);
    assert_false(v.quota);
    assert_string_equal(v.rate, "");
    assert_string_equal(v.period, "");
    cJSON_Delete(plan);
}

/* --- create input ---------------------------------------------------------------- */

static void create_input_parses_numbers(void **state) {
    plan_values v = {.name = "Gold", .description = "", .throttle = true, .rate = " 12.5",
                     .burst = "40", .quota = true, .limit = "5000", .period = "MONTH",
                     .offset = ""};
    apigw_usage_plan_in in;
    apigw_throttle th;
    apigw_quota q;
    char msg[128] = "";
    assert_true(plan_create_input(&v, &in, &th, &q, msg, sizeof msg));
    assert_null(in.description); /* an empty description is not sent */
    assert_ptr_equal(in.throttle, &th);
    assert_true(th.rate_limit == 12.5);
    assert_int_equal(th.burst_limit, 40);
    assert_ptr_equal(in.quota, &q);
    assert_int_equal(q.limit, 5000);
    assert_int_equal(q.offset, 0);
    assert_string_equal(q.period, "MONTH");
}

static void create_input_leaves_out_what_is_off(void **state) {
    plan_values v = {.name = "Free", .description = "plan", .rate = "x", .burst = "y",
                     .limit = "z", .period = "DAY", .offset = "w"};
    apigw_usage_plan_in in;
    apigw_throttle th;
    apigw_quota q;
    char msg[128] = "";
    assert_true(plan_create_input(&v, &in, &th, &q, msg, sizeof msg));
    assert_string_equal(in.description, "plan");
    assert_null(in.throttle);
    assert_null(in.quota);
}

static void create_input_refuses_what_is_no_number(void **state) {
    apigw_usage_plan_in in;
    apigw_throttle th;
    apigw_quota q;
    char msg[128] = "";
    plan_values v = {.name = "P", .throttle = true, .rate = "fast", .burst = "5"};
    assert_false(plan_create_input(&v, &in, &th, &q, msg, sizeof msg));
    assert_non_null(strstr(msg, "Rate"));
    v.rate = "10";
    v.burst = "2.5"; /* burst is a whole number */
    assert_false(plan_create_input(&v, &in, &th, &q, msg, sizeof msg));
    assert_non_null(strstr(msg, "Burst"));
    v.burst = "5";
    v.quota = true;
    v.limit = "";
    v.period = "DAY";
    v.offset = "";
    assert_false(plan_create_input(&v, &in, &th, &q, msg, sizeof msg));
    assert_non_null(strstr(msg, "Requests"));
}

/* --- patch operations ---------------------------------------------------------------- */

static char *ops_text(apigw_patch *p) { return json_print(apigw_patch_ops(p)); }

static void patch_of_nothing_changed_is_empty(void **state) {
    plan_values v = {.name = "P", .description = "", .throttle = true, .rate = "10",
                     .burst = "5", .quota = false, .limit = "", .period = "", .offset = ""};
    plan_values now = v;
    now.limit = "1000"; /* quota still off: its fields do not count */
    apigw_patch *p = apigw_patch_new();
    assert_int_equal(plan_update_patch(&v, &now, p), 0);
    assert_int_equal(cJSON_GetArraySize(apigw_patch_ops(p)), 0);
    apigw_patch_free(p);
}

static void patch_turns_limits_on_off_and_changes_one(void **state) {
    plan_values old = {.name = "P", .description = "a", .throttle = true, .rate = "10",
                       .burst = "5", .quota = false, .limit = "", .period = "", .offset = ""};
    plan_values now = {.name = "Q", .description = "a", .throttle = false, .rate = "10",
                       .burst = "5", .quota = true, .limit = "1000", .period = "DAY",
                       .offset = ""};
    apigw_patch *p = apigw_patch_new();
    assert_int_equal(plan_update_patch(&old, &now, p), 5);
    char *got = ops_text(p);
    assert_string_equal(got,
                        "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"Q\"},"
                        "{\"op\":\"remove\",\"path\":\"/throttle\"},"
                        "{\"op\":\"replace\",\"path\":\"/quota/limit\",\"value\":\"1000\"},"
                        "{\"op\":\"replace\",\"path\":\"/quota/period\",\"value\":\"DAY\"},"
                        "{\"op\":\"replace\",\"path\":\"/quota/offset\",\"value\":\"0\"}]");
    free(got);
    apigw_patch_free(p);
    /* Only the period changed: one operation. */
    plan_values q1 = now, q2 = now;
    q2.period = "WEEK";
    p = apigw_patch_new();
    assert_int_equal(plan_update_patch(&q1, &q2, p), 1);
    got = ops_text(p);
    assert_string_equal(got, "[{\"op\":\"replace\",\"path\":\"/quota/period\",\"value\":\"WEEK\"}]");
    free(got);
    apigw_patch_free(p);
}

/* The emulator, which answers as AWS does, accepts what the form builds. */
typedef struct world {
    fixture *fx;
    transport *t;
    client *cl;
} world;

static int world_setup(void **state) {
    world *w = calloc(1, sizeof *w);
    w->fx = fixture_new(NULL);
    w->t = local_transport_new(w->fx->emu);
    w->cl = client_new(w->t, FIXTURE_REGION);
    *state = w;
    return 0;
}

static int world_teardown(void **state) {
    world *w = *state;
    client_free(w->cl);
    transport_destroy(w->t);
    fixture_free(w->fx);
    free(w);
    return 0;
}

static void form_values_round_trip_through_the_service(void **state) {
    world *w = *state;
    plan_values v = {.name = "Gold", .description = "paid", .throttle = true, .rate = "10",
                     .burst = "20", .quota = true, .limit = "5000", .period = "MONTH",
                     .offset = "0"};
    apigw_usage_plan_in in;
    apigw_throttle th;
    apigw_quota q;
    char msg[128];
    assert_true(plan_create_input(&v, &in, &th, &q, msg, sizeof msg));
    cJSON *plan = NULL;
    err e;
    assert_int_equal(CLIENT_SYNC(w->cl, &plan, &e, apigw_create_usage_plan, "Gold", &in), 0);
    assert_true(json_num_or(json_obj(plan, "throttle"), "rateLimit", 0) == 10);
    assert_true(json_num_or(json_obj(plan, "quota"), "limit", 0) == 5000);
    char *id = strdup(json_str_or(plan, "id", ""));

    /* Edit as the form would: throttle off, a daily quota, a new name. */
    plan_bufs b;
    plan_values old = plan_values_of(plan, &b);
    plan_values now = old;
    now.name = "Gold daily";
    now.throttle = false;
    now.limit = "1000";
    now.period = "DAY";
    apigw_patch *p = apigw_patch_new();
    assert_int_equal(plan_update_patch(&old, &now, p), 4);
    cJSON *after = NULL;
    assert_int_equal(CLIENT_SYNC(w->cl, &after, &e, apigw_update_usage_plan, id, p), 0);
    assert_string_equal(json_str_or(after, "name", ""), "Gold daily");
    assert_null(json_obj(after, "throttle"));
    assert_true(json_num_or(json_obj(after, "quota"), "limit", 0) == 1000);
    assert_string_equal(json_str_or(json_obj(after, "quota"), "period", ""), "DAY");

    /* And back on: the throttle comes back from nothing. */
    plan_values old2 = plan_values_of(after, &b);
    plan_values now2 = old2;
    now2.throttle = true;
    now2.rate = "2.5";
    now2.burst = "4";
    p = apigw_patch_new();
    assert_int_equal(plan_update_patch(&old2, &now2, p), 2);
    cJSON *again = NULL;
    assert_int_equal(CLIENT_SYNC(w->cl, &again, &e, apigw_update_usage_plan, id, p), 0);
    assert_true(json_num_or(json_obj(again, "throttle"), "rateLimit", 0) == 2.5);
    assert_true(json_num_or(json_obj(again, "throttle"), "burstLimit", 0) == 4);

    /* A quota period AWS does not know is AWS's to refuse. */
    plan_values old3 = plan_values_of(again, &b), now3 = old3;
    now3.period = "YEAR";
    p = apigw_patch_new();
    plan_update_patch(&old3, &now3, p);
    cJSON *none = NULL;
    assert_int_equal(CLIENT_SYNC(w->cl, &none, &e, apigw_update_usage_plan, id, p), -1);
    assert_string_equal(e.code, "BadRequestException");
    cJSON_Delete(plan);
    cJSON_Delete(after);
    cJSON_Delete(again);
    free(id);
}

/* --- the current period and usage in words ------------------------------------------ */

static void usage_range_follows_the_quota_period(void **state) {
    char s[16], e[16];
    time_t mon = (time_t)(FIXTURE_T0_MS / 1000); /* 2026-11-30, a Monday */
    time_t thu = mon + 3 * 86400 + 5000;         /* 2026-12-03, a Thursday */
    plan_usage_range("DAY", thu, s, e);
    assert_string_equal(s, "2026-12-03");
    assert_string_equal(e, "2026-12-03");
    plan_usage_range("WEEK", thu, s, e);
    assert_string_equal(s, "2026-11-30");
    assert_string_equal(e, "2026-12-03");
    plan_usage_range("WEEK", mon, s, e);
    assert_string_equal(s, "2026-11-30");
    plan_usage_range("WEEK", mon - 1, s, e); /* Sunday: the week began on Monday the 23rd */
    assert_string_equal(s, "2026-11-23");
    assert_string_equal(e, "2026-11-29");
    plan_usage_range("MONTH", thu, s, e);
    assert_string_equal(s, "2026-12-01");
    plan_usage_range(NULL, mon, s, e); /* no quota: the month so far */
    assert_string_equal(s, "2026-11-01");
    assert_string_equal(e, "2026-11-30");
}

static void usage_in_words(void **state) {
    cJSON *quota = cJSON_Parse("{\"limit\":1000,\"period\":\"WEEK\"}");
    cJSON *days = cJSON_Parse("[[3,997],[2,995]]");
    char out[96];
    plan_usage_text(days, quota, out, sizeof out);
    assert_string_equal(out, "used 5 of 1000, 995 left");
    plan_usage_text(days, NULL, out, sizeof out);
    assert_string_equal(out, "5 requests");
    plan_usage_text(NULL, quota, out, sizeof out);
    assert_string_equal(out, "used 0 of 1000, 1000 left");
    cJSON *one = cJSON_Parse("[[1,0]]");
    plan_usage_text(one, NULL, out, sizeof out);
    assert_string_equal(out, "1 request");
    cJSON_Delete(one);
    cJSON_Delete(days);
    cJSON_Delete(quota);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(values_of_a_plan_with_limits),
        cmocka_unit_test(values_of_a_bare_plan),
        cmocka_unit_test(create_input_parses_numbers),
        cmocka_unit_test(create_input_leaves_out_what_is_off),
        cmocka_unit_test(create_input_refuses_what_is_no_number),
        cmocka_unit_test(patch_of_nothing_changed_is_empty),
        cmocka_unit_test(patch_turns_limits_on_off_and_changes_one),
        cmocka_unit_test_setup_teardown(form_values_round_trip_through_the_service, world_setup,
                                        world_teardown),
        cmocka_unit_test(usage_range_follows_the_quota_period),
        cmocka_unit_test(usage_in_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
