/* The lab engine on the in-memory emulator, through the client over the
 * local transport: each step, done from the state the steps before it
 * leave, makes its own checks pass and keeps the earlier ones passing; the
 * whole lab passes; doing it again changes nothing; the clean-up leaves
 * nothing of the lab and nothing else is touched. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "client/apigw.h"
#include "client/lambda.h"
#include "core/json.h"
#include "lab.h"
#include "test_lab_kit.h"

/* --- one step at a time ------------------------------------------------------------- */

/* From the state after step n-1, step n's checks do not all pass; after
 * doing step n they do, and so do those of every step before. */
static void one_step(void **state) {
    int n = *(int *)*state;
    lab_env *E = lab_env_new();
    lab_data before, after;
    lab_env_setup(E, n - 1, &before);
    for (int k = 1; k < n; k++)
        assert_step_passes(&before.s, k);
    /* Before step 1 nothing answered yet: the snapshot of an account that
     * did not answer (test_lab_checks.c shows the fetch gives that). */
    lab_snapshot unreachable = {0};
    lab_step_result r;
    lab_evaluate(n == 1 ? &unreachable : &before.s, n, &r);
    size_t nchecks;
    lab_checks(n, &nchecks);
    if (nchecks) {
        if (r.failed == 0) fail_msg("step %d's checks already pass before the step", n);
    }
    int changes = lab_env_setup(E, n, &after);
    if (n >= 3) assert_true(changes > 0);
    if (n <= 2) assert_int_equal(changes, 0);
    for (int k = 1; k <= n; k++)
        assert_step_passes(&after.s, k);
    assert_true(lab_through_passes(&after.s, n));
    lab_data_free(&before);
    lab_data_free(&after);
    lab_env_free(E);
}

/* --- the whole lab ---------------------------------------------------------------------- */

static void count_writes(void *ud, const client_event *ev) {
    /* Invoke (a POST) is how the test events run, not a change. */
    if (ev->command && ev->op != LAMBDA_Invoke) (*(int *)ud)++;
}

static void whole_lab_then_again(void **state) {
    (void)state;
    lab_env *E = lab_env_new();
    lab_data first, second;
    assert_true(lab_env_setup(E, 10, &first) > 20);
    assert_non_null(strstr(E->log.data, "created the REST API ItemsAPI"));
    assert_non_null(strstr(E->log.data, "created the function ItemsFunction"));
    for (int k = 1; k <= 10; k++)
        assert_step_passes(&first.s, k);
    assert_true(lab_through_passes(&first.s, 10));
    /* The clean-up's checks are the opposite of the build's. */
    assert_false(lab_through_passes(&first.s, 11));

    int writes = 0;
    client_set_observer(E->cl, count_writes, &writes);
    assert_int_equal(lab_env_setup(E, 10, &second), 0);
    client_set_observer(E->cl, NULL, NULL);
    assert_int_equal(writes, 0);
    assert_non_null(
        strstr(E->log.data, "Step 10: Cache and throttle prod, cap the plan\n  nothing to do"));
    cJSON *a = lab_data_state(&first), *b = lab_data_state(&second);
    assert_true(cJSON_Compare(a, b, true));
    /* What the lab's requests saw is the same too. */
    assert_true(cJSON_Compare(first.s.requests, second.s.requests, true));
    /* dev's and prod's first deployments, then one for both in steps 6, 7 and 8. */
    assert_int_equal(cJSON_GetArraySize(json_arr(a, "deployments")), 5);
    cJSON_Delete(a);
    cJSON_Delete(b);
    lab_data_free(&first);
    lab_data_free(&second);
    lab_env_free(E);
}

/* What the whole lab leaves, as the lab's text describes it. */
static void whole_lab_values(void **state) {
    (void)state;
    lab_env *E = lab_env_new();
    lab_data d;
    lab_env_setup(E, 10, &d);
    const lab_snapshot *s = &d.s;
    const cJSON *api = lab_api(s);
    assert_string_equal(json_str(api, "description"), "Cloud Academy Lab API");
    const cJSON *integ = json_obj(lab_method(s, "/items/{ID}", "GET"), "methodIntegration");
    char *want = xasprintf("arn:aws:apigateway:us-west-2:lambda:path/2015-03-31/functions/"
                           "arn:aws:lambda:us-west-2:%s:function:ItemsFunction:"
                           "${stageVariables.lambdaAlias}/invocations",
                           emulator_account(E->fx->emu));
    assert_string_equal(json_str(integ, "uri"), want);
    free(want);
    assert_string_equal(json_str(integ, "passthroughBehavior"), "WHEN_NO_TEMPLATES");
    assert_string_equal(json_str(lab_alias(s, "prod"), "FunctionVersion"), "1");
    assert_string_equal(json_str(lab_alias(s, "dev"), "Description"), "Development alias");
    const cJSON *plan = lab_plan(s);
    assert_string_equal(json_str(plan, "description"), "Cloud Academy Lab Plan");
    assert_false(json_has(plan, "throttle"));
    assert_int_equal(cJSON_GetArraySize(json_arr(plan, "apiStages")), 2);
    assert_string_equal(json_str(lab_key(s), "description"), "Cloud Academy Lab Key");
    assert_int_equal(strlen(json_str(lab_key(s), "value")), 40);
    const cJSON *dev = lab_stage(s, "dev");
    assert_false(json_bool_or(dev, "cacheClusterEnabled", true));
    assert_string_equal(json_str(json_obj(dev, "variables"), "lambdaAlias"), "dev");
    /* The lab's requests: the key opens both stages; without it, 403. */
    const cJSON *r = lab_request(s, "prod", "GET", "/items/1", true);
    assert_int_equal(json_num_or(r, "status", 0), 200);
    assert_string_equal(json_str(json_obj(r, "body"), "name"), "Pen");
    r = lab_request(s, "dev", "GET", "/items", false);
    assert_int_equal(json_num_or(r, "status", 0), 403);
    assert_string_equal(json_str(json_obj(r, "body"), "message"), "Forbidden");
    /* The preflight is configured, not deployed: the lab does not redeploy after CORS. */
    const cJSON *opt = lab_method(s, "/items", "OPTIONS");
    const cJSON *params = json_obj(
        json_obj(json_obj(json_obj(opt, "methodIntegration"), "integrationResponses"), "200"),
        "responseParameters");
    assert_string_equal(json_str(params, "method.response.header.Access-Control-Allow-Methods"),
                        "'GET,OPTIONS'");
    lab_data_free(&d);
    lab_env_free(E);
}

/* --- the snapshot without waiting ----------------------------------------------------------- */

typedef struct got {
    int calls;
    lab_data d;
    bool failed;
} got;

static void on_fetched(void *ud, lab_data *d, const err *e) {
    got *g = ud;
    g->calls++;
    g->d = *d;
    g->failed = e != NULL;
}

/* What the console's guide pane would use: the rounds run from the
 * transport's completions, and give what lab_fetch gives. */
static void fetch_without_waiting(void **state) {
    (void)state;
    lab_env *E = lab_env_new();
    lab_env_setup(E, 10, NULL);
    got g = {0};
    unsigned long before = client_requests(E->cl);
    lab_fetch_start(E->cl, &E->o.fetch, on_fetched, &g);
    assert_int_equal(g.calls, 0);
    /* The first round is on its way: the account's four lists. */
    assert_int_equal(client_requests(E->cl) - before, 4);
    transport_drain(E->t);
    assert_int_equal(g.calls, 1);
    assert_false(g.failed);
    assert_true(lab_through_passes(&g.d.s, 10));
    lab_data d;
    lab_env_fetch(E, &d);
    cJSON *a = lab_data_state(&g.d), *b = lab_data_state(&d);
    assert_true(cJSON_Compare(a, b, true));
    cJSON_Delete(a);
    cJSON_Delete(b);
    lab_data_free(&d);
    lab_data_free(&g.d);
    lab_env_free(E);
}

/* --- clean-up ------------------------------------------------------------------------------ */

static void cleanup_leaves_nothing_but_others(void **state) {
    (void)state;
    lab_env *E = lab_env_new();
    lab_env_setup(E, 10, NULL);
    /* Things of the same kinds that are not the lab's. */
    assert_int_equal(fx_call(E->fx, "POST", "/restapis", "{\"name\":\"OtherAPI\"}", NULL), 201);
    assert_int_equal(fx_call(E->fx, "POST", "/apikeys", "{\"name\":\"OtherKey\"}", NULL), 201);
    assert_int_equal(fx_call(E->fx, "POST", "/usageplans", "{\"name\":\"OtherPlan\"}", NULL), 201);
    lab_create_function(E->fx, "OtherFunction", lab_function_py, NULL);

    lab_cleanup_plan p;
    err e;
    assert_int_equal(lab_cleanup_plan_build(E->cl, &p, &e), 0);
    /* key, two stages, plan, API, function: in the order AWS accepts. */
    assert_int_equal(p.n, 6);
    static const lab_doomed_kind order[] = {LAB_DEL_API_KEY, LAB_DEL_STAGE, LAB_DEL_STAGE,
                                            LAB_DEL_PLAN,    LAB_DEL_API,   LAB_DEL_FUNCTION};
    for (size_t i = 0; i < p.n; i++)
        assert_int_equal(p.v[i].kind, order[i]);
    assert_non_null(strstr(p.v[0].label, "API key LabKey (id "));
    assert_string_equal(p.v[5].label, "function ItemsFunction (with its versions and aliases)");
    assert_int_equal(lab_cleanup_run(E->cl, &p, NULL, NULL, &e), 6);
    /* Again: each is gone already, which is no failure. */
    assert_int_equal(lab_cleanup_run(E->cl, &p, NULL, NULL, &e), 0);
    lab_cleanup_plan_free(&p);

    lab_data d;
    lab_env_fetch(E, &d);
    assert_step_passes(&d.s, 11);
    assert_true(lab_through_passes(&d.s, 11));
    assert_non_null(lab_named(d.s.apis, "name", "OtherAPI"));
    assert_non_null(lab_named(d.s.api_keys, "name", "OtherKey"));
    assert_non_null(lab_named(d.s.usage_plans, "name", "OtherPlan"));
    assert_non_null(lab_named(d.s.functions, "FunctionName", "OtherFunction"));
    assert_int_equal(cJSON_GetArraySize(d.s.apis), 1);
    assert_int_equal(cJSON_GetArraySize(d.s.functions), 1);
    lab_data_free(&d);
    assert_int_equal(lab_cleanup_plan_build(E->cl, &p, &e), 0);
    assert_int_equal(p.n, 0);
    lab_cleanup_plan_free(&p);
    lab_env_free(E);
}

/* Deleting the plan first is what AWS refuses: the clean-up's order avoids it. */
static void plan_with_stages_cannot_go_first(void **state) {
    (void)state;
    lab_env *E = lab_env_new();
    lab_data d;
    lab_env_setup(E, 8, &d);
    err e;
    assert_int_not_equal(
        CLIENT_SYNC(E->cl, NULL, &e, apigw_delete_usage_plan, json_str(lab_plan(&d.s), "id")), 0);
    assert_int_equal(e.status, 400);
    lab_data_free(&d);
    lab_env_free(E);
}

static void reset_empties_the_account(void **state) {
    (void)state;
    lab_env *E = lab_env_new();
    lab_env_setup(E, 5, NULL);
    err e;
    assert_int_equal(lab_reset(E->fx->emu, &e), 0);
    lab_data d;
    lab_env_fetch(E, &d);
    assert_int_equal(cJSON_GetArraySize(d.s.apis), 0);
    assert_int_equal(cJSON_GetArraySize(d.s.functions), 0);
    lab_data_free(&d);
    /* The lab starts over from there. */
    lab_env_setup(E, 3, &d);
    assert_step_passes(&d.s, 3);
    lab_data_free(&d);
    lab_env_free(E);
}

int main(void) {
    static int n[LAB_STEP_LAST_BUILD + 1];
    struct CMUnitTest tests[LAB_STEP_LAST_BUILD + 6];
    size_t k = 0;
    for (int i = 1; i <= LAB_STEP_LAST_BUILD; i++) {
        n[i] = i;
        static char names[LAB_STEP_LAST_BUILD + 1][32];
        snprintf(names[i], sizeof names[i], "step_%d", i);
        tests[k++] = (struct CMUnitTest){names[i], one_step, NULL, NULL, &n[i]};
    }
    tests[k++] = (struct CMUnitTest)cmocka_unit_test(whole_lab_then_again);
    tests[k++] = (struct CMUnitTest)cmocka_unit_test(whole_lab_values);
    tests[k++] = (struct CMUnitTest)cmocka_unit_test(fetch_without_waiting);
    tests[k++] = (struct CMUnitTest)cmocka_unit_test(cleanup_leaves_nothing_but_others);
    tests[k++] = (struct CMUnitTest)cmocka_unit_test(plan_with_stages_cannot_go_first);
    tests[k++] = (struct CMUnitTest)cmocka_unit_test(reset_empties_the_account);
    return _cmocka_run_group_tests("lab_steps", tests, k, NULL, NULL);
}
