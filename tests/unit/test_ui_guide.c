/* The lab guide's logic without a terminal: the snapshot it builds from
 * mirror-like JSON (what is not loaded is skipped, never failed), where
 * each step is done, the prints that decide when the lab's requests go out
 * again, and, over the whole lab on the emulator, that a snapshot from the
 * mirror judges every check as the lab's own fetch does, in well under a
 * millisecond for all eleven steps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "client/mirror.h"
#include "core/json.h"
#include "test_lab_kit.h"
#include "ui/guide.h"

/* --- mirror-like parts ------------------------------------------------------------------ */

#define FN_ARN "arn:aws:lambda:us-west-2:123456789012:function:ItemsFunction"

typedef struct parts {
    cJSON *root; /* owns every part below */
    guide_parts p;
} parts;

static const cJSON *part(cJSON *root, const char *name, const char *json) {
    cJSON *v = cJSON_Parse(json);
    assert_non_null(v);
    json_set(root, name, v);
    return v;
}

/* An account with ItemsAPI (its details not loaded) and nothing else. */
static void with_api(parts *P) {
    P->root = cJSON_CreateObject();
    memset(&P->p, 0, sizeof P->p);
    P->p.loaded = true;
    P->p.apis = part(P->root, "apis",
                     "[{\"id\":\"a1b2c3d4e5\",\"name\":\"ItemsAPI\",\"createdDate\":1,"
                     "\"description\":\"Cloud Academy Lab API\","
                     "\"endpointConfiguration\":{\"types\":[\"REGIONAL\"]}}]");
    P->p.usage_plans = part(P->root, "plans", "[]");
    P->p.api_keys = part(P->root, "keys", "[]");
    P->p.functions = part(P->root, "functions", "[]");
}

/* ItemsFunction with aliases dev and prod (version 1 published), and its
 * own policy empty. */
static void with_function(parts *P) {
    P->p.functions = part(P->root, "functions",
                          "[{\"FunctionName\":\"ItemsFunction\",\"FunctionArn\":\"" FN_ARN "\","
                          "\"Runtime\":\"python3.13\",\"CodeSha256\":\"abc\"}]");
    P->p.versions = part(P->root, "versions", "[{\"Version\":\"$LATEST\"},{\"Version\":\"1\"}]");
    P->p.aliases = part(P->root, "aliases",
                        "[{\"Name\":\"dev\",\"FunctionVersion\":\"$LATEST\"},"
                        "{\"Name\":\"prod\",\"FunctionVersion\":\"1\"}]");
    P->p.policy = part(P->root, "policy", "{\"Statement\":[]}");
}

static const lab_result *result(const guide_parts *p, int step, const char *id,
                                 lab_step_result *out) {
    lab_snapshot s;
    cJSON *own = guide_snapshot(p, &s);
    lab_evaluate(&s, step, out);
    cJSON_Delete(own);
    return lab_find_result(out, id);
}

static void expect(const guide_parts *p, int step, const char *id, lab_status st, const char *msg) {
    lab_step_result r;
    const lab_result *res = result(p, step, id, &r);
    if (res->status != st) fail_msg("%s: status %d (%s), want %d", id, res->status, res->msg, st);
    if (msg) assert_string_equal(res->msg, msg);
}

/* Before the lists came back nothing is known: the account has not
 * answered (step 1), and the rest is skipped, not failed. */
static void nothing_loaded(void **state) {
    guide_parts p = {0};
    lab_snapshot s;
    cJSON *own = guide_snapshot(&p, &s);
    assert_false(s.connected);
    assert_null(s.apis);
    cJSON_Delete(own);
    expect(&p, 1, "1.connected", LAB_FAIL, "the account did not answer");
    expect(&p, 3, "3.api", LAB_SKIP, "the account's APIs are not loaded");
    expect(&p, 8, "8.plan", LAB_SKIP, "the account's usage plans are not loaded");
}

/* A new account: the first check of each step says what is missing, and
 * the clean-up has nothing left to do. */
static void new_account(void **state) {
    parts P;
    with_api(&P);
    cJSON_DeleteItemFromArray((cJSON *)P.p.apis, 0);
    expect(&P.p, 1, "1.connected", LAB_PASS, NULL);
    expect(&P.p, 3, "3.api", LAB_FAIL, "there is no API named ItemsAPI");
    expect(&P.p, 4, "4.function", LAB_FAIL, "there is no function named ItemsFunction");
    expect(&P.p, 8, "8.plan", LAB_FAIL, "there is no usage plan named CloudAcademyPlan");
    lab_step_result r;
    result(&P.p, LAB_STEP_CLEANUP, "11.api", &r);
    assert_int_equal(r.passed, r.n);
    cJSON_Delete(P.root);
}

/* ItemsAPI listed but its details not loaded yet: what the list shows is
 * judged, what the details hold is skipped. Once they are there, judged. */
static void details_once_loaded(void **state) {
    parts P;
    with_api(&P);
    expect(&P.p, 3, "3.api.description", LAB_PASS, NULL);
    expect(&P.p, 3, "3.api.regional", LAB_PASS, NULL);
    expect(&P.p, 3, "3.res.items", LAB_SKIP, "ItemsAPI's resources are not loaded");
    expect(&P.p, 3, "3.model.item", LAB_SKIP, "ItemsAPI's models are not loaded");
    expect(&P.p, 7, "7.var.dev", LAB_SKIP, "ItemsAPI's stages are not loaded");
    P.p.resources = part(P.root, "resources", "[{\"id\":\"r0\",\"path\":\"/\"},"
                                              "{\"id\":\"r1\",\"path\":\"/items\"}]");
    P.p.stages = part(P.root, "stages", "[{\"stageName\":\"dev\",\"variables\":"
                                        "{\"lambdaAlias\":\"dev\"}}]");
    P.p.models = part(P.root, "models", "[]");
    expect(&P.p, 3, "3.res.items", LAB_PASS, NULL);
    expect(&P.p, 3, "3.res.item", LAB_FAIL, "ItemsAPI has no resource /items/{ID}");
    expect(&P.p, 3, "3.model.item", LAB_FAIL, "ItemsAPI has no model Item");
    expect(&P.p, 7, "7.var.dev", LAB_PASS, NULL);
    expect(&P.p, 7, "7.var.prod", LAB_FAIL, "ItemsAPI has no stage prod");
    /* Another API's details are not ItemsAPI's: with no ItemsAPI they
     * are not looked at. */
    cJSON_ReplaceItemInObjectCaseSensitive(cJSON_GetArrayItem(P.p.apis, 0), "name",
                                           cJSON_CreateString("PetsAPI"));
    lab_snapshot s;
    cJSON *own = guide_snapshot(&P.p, &s);
    assert_null(s.resources);
    assert_null(s.stages);
    cJSON_Delete(own);
    cJSON_Delete(P.root);
}

/* The mirror holds the function's own policy; API Gateway's permissions
 * for an alias live in the alias's policy, which the guide reads itself.
 * Until it did, the permission checks are skipped, not failed. */
static void alias_policies_before_permissions(void **state) {
    parts P;
    with_api(&P);
    with_function(&P);
    expect(&P.p, 6, "6.perm.dev", LAB_SKIP, "ItemsFunction's policies are not loaded");
    P.p.alias_policies = part(
        P.root, "alias_policies",
        "{\"dev\":{\"Statement\":[{\"Effect\":\"Allow\","
        "\"Principal\":{\"Service\":\"apigateway.amazonaws.com\"},"
        "\"Action\":\"lambda:InvokeFunction\",\"Resource\":\"" FN_ARN ":dev\","
        "\"Condition\":{\"ArnLike\":{\"AWS:SourceArn\":"
        "\"arn:aws:execute-api:us-west-2:123456789012:a1b2c3d4e5/*/GET/*\"}}}]}}");
    expect(&P.p, 6, "6.perm.dev", LAB_PASS, NULL);
    expect(&P.p, 6, "6.perm.prod", LAB_FAIL,
           "API Gateway may not invoke ItemsFunction:prod for prod's GET /items: its policy has "
           "no statement allowing a1b2c3d4e5");
    /* The function's own policy not loaded: skipped again. */
    P.p.policy = NULL;
    expect(&P.p, 6, "6.perm.dev", LAB_SKIP, NULL);
    /* A function without aliases needs no alias policy read. */
    parts Q;
    with_api(&Q);
    with_function(&Q);
    Q.p.aliases = part(Q.root, "aliases", "[]");
    lab_snapshot s;
    cJSON *own = guide_snapshot(&Q.p, &s);
    assert_non_null(s.policies);
    assert_non_null(json_obj(s.policies, ""));
    cJSON_Delete(own);
    cJSON_Delete(Q.root);
    cJSON_Delete(P.root);
}

/* The lab's requests, when the guide took them, are judged like the
 * lab's fetch judges them. */
static void requests_and_invokes(void **state) {
    parts P;
    with_api(&P);
    with_function(&P);
    P.p.stages = part(P.root, "stages", "[{\"stageName\":\"dev\"},{\"stageName\":\"prod\"}]");
    expect(&P.p, 3, "3.serve.dev", LAB_SKIP, NULL);
    expect(&P.p, 4, "4.event.list", LAB_SKIP, NULL);
    P.p.requests = part(P.root, "requests",
                        "{\"dev GET /items\":{\"status\":200,\"body\":[{\"id\":1}]},"
                        "\"prod GET /items\":{\"status\":403,"
                        "\"body\":{\"message\":\"Forbidden\"}}}");
    P.p.invokes = part(P.root, "invokes",
                       "{\"GetItemNotFound\":{\"StatusCode\":200,\"FunctionError\":\"Unhandled\","
                       "\"Payload\":{\"errorMessage\":\"NotFoundError\"}}}");
    expect(&P.p, 3, "3.serve.dev", LAB_PASS, NULL);
    expect(&P.p, 3, "3.serve.prod", LAB_FAIL, "prod answers GET /items with 403 {\"message\":\"Forbidden\"}");
    expect(&P.p, 4, "4.event.missing", LAB_PASS, NULL);
    expect(&P.p, 4, "4.event.list", LAB_SKIP, "the test event GetItems was not run");
    cJSON_Delete(P.root);
}

/* --- where each step is done ------------------------------------------------------------ */

static guide_place place(const guide_parts *p, int step, const char **name) {
    lab_snapshot s;
    cJSON *own = guide_snapshot(p, &s);
    guide_place pl = guide_place_of(&s, step, name); /* *name points into p */
    cJSON_Delete(own);
    return pl;
}

static void places(void **state) {
    parts P;
    with_api(&P);
    const char *name;
    /* Nothing to open for the backend and the reading. */
    assert_int_equal(place(&P.p, 1, &name), GUIDE_NOWHERE);
    assert_int_equal(place(&P.p, 2, &name), GUIDE_NOWHERE);
    assert_null(name);
    /* The API's sections once it exists. */
    assert_int_equal(place(&P.p, 3, &name), GUIDE_API_RESOURCES);
    assert_string_equal(name, "a1b2c3d4e5");
    assert_int_equal(place(&P.p, 7, &name), GUIDE_API_STAGES);
    assert_int_equal(place(&P.p, 9, &name), GUIDE_API_RESOURCES);
    assert_int_equal(place(&P.p, 10, &name), GUIDE_API_STAGES);
    /* No function yet: the list where it is created. */
    assert_int_equal(place(&P.p, 4, &name), GUIDE_FUNCTIONS);
    assert_null(name);
    assert_int_equal(place(&P.p, 8, &name), GUIDE_PLANS);
    assert_int_equal(place(&P.p, LAB_STEP_CLEANUP, &name), GUIDE_APIS);
    /* With the function: its code, then versions until one is published,
     * then aliases. */
    with_function(&P);
    assert_int_equal(place(&P.p, 4, &name), GUIDE_FN_CODE);
    assert_string_equal(name, LAB_FUNCTION);
    assert_int_equal(place(&P.p, 5, &name), GUIDE_FN_ALIASES);
    P.p.versions = part(P.root, "versions", "[{\"Version\":\"$LATEST\"}]");
    assert_int_equal(place(&P.p, 5, &name), GUIDE_FN_VERSIONS);
    /* No API: the APIs list. */
    cJSON_DeleteItemFromArray((cJSON *)P.p.apis, 0);
    assert_int_equal(place(&P.p, 3, &name), GUIDE_APIS);
    assert_int_equal(place(&P.p, 7, &name), GUIDE_APIS);
    cJSON_Delete(P.root);
}

/* --- prints ---------------------------------------------------------------------------------- */

static unsigned long long stage_print(const guide_parts *p) {
    lab_snapshot s;
    cJSON *own = guide_snapshot(p, &s);
    unsigned long long h = guide_stage_print(&s);
    cJSON_Delete(own);
    return h;
}

static unsigned long long fn_print(const guide_parts *p) {
    lab_snapshot s;
    cJSON *own = guide_snapshot(p, &s);
    unsigned long long h = guide_function_print(&s);
    cJSON_Delete(own);
    return h;
}

/* The stages are asked again when what they answer from changed: a new
 * deployment, the key, the function; not when an undeployed method
 * changed, nor when their own answers came back. */
static void prints(void **state) {
    parts P;
    with_api(&P);
    assert_int_equal(stage_print(&P.p), 0); /* no stages: nothing to ask */
    assert_int_equal(fn_print(&P.p), 0);    /* no function */
    P.p.stages = part(P.root, "stages", "[{\"stageName\":\"dev\",\"deploymentId\":\"d1\"}]");
    P.p.resources = part(P.root, "resources", "[{\"id\":\"r0\",\"path\":\"/\"}]");
    unsigned long long a = stage_print(&P.p);
    assert_true(a != 0);
    assert_true(stage_print(&P.p) == a);
    P.p.resources = part(P.root, "resources", "[{\"id\":\"r0\",\"path\":\"/\"},{\"id\":\"r1\"}]");
    P.p.requests = part(P.root, "requests", "{\"dev GET /items\":{\"status\":200}}");
    assert_true(stage_print(&P.p) == a);
    P.p.stages = part(P.root, "stages", "[{\"stageName\":\"dev\",\"deploymentId\":\"d2\"}]");
    unsigned long long b = stage_print(&P.p);
    assert_true(b != a);
    P.p.api_keys = part(P.root, "keys", "[{\"id\":\"k1\",\"name\":\"LabKey\",\"enabled\":false}]");
    unsigned long long c = stage_print(&P.p);
    assert_true(c != b);
    with_function(&P);
    unsigned long long f = fn_print(&P.p);
    assert_true(f != 0);
    assert_true(stage_print(&P.p) != c);
    cJSON_ReplaceItemInObjectCaseSensitive(cJSON_GetArrayItem(P.p.functions, 0), "CodeSha256",
                                           cJSON_CreateString("def"));
    assert_true(fn_print(&P.p) != f);
    cJSON_Delete(P.root);
}

/* --- the whole lab from the mirror ---------------------------------------------------------- */

static void drained(lab_env *E, mirror *m) {
    transport_drain(E->t);
    assert_false(mirror_busy(m));
    assert_null(mirror_error(m));
}

/* After the lab's setup through step 10, the mirror loaded as the guide
 * loads it (the lists, then ItemsAPI's and ItemsFunction's details) with
 * the guide's own reads judges every check of every step as the lab's
 * fetch does: the same status and the same words. */
static void mirror_judges_as_the_lab(void **state) {
    lab_env *E = lab_env_new();
    lab_data d;
    lab_env_setup(E, LAB_STEP_LAST_BUILD, &d);
    mirror *m = mirror_new(E->cl);
    mirror_refresh(m, NULL, NULL);
    drained(E, m);
    const char *api = json_str(lab_pick_api(mirror_apis(m)), "id");
    assert_non_null(api);
    mirror_refresh_api(m, api, NULL, NULL);
    mirror_refresh_function(m, LAB_FUNCTION, NULL, NULL);
    drained(E, m);

    guide_parts p;
    guide_parts_from_mirror(m, true, &p);
    /* The guide's reads: the plan's keys and the aliases' policies (the
     * fetch's policies without the function's own), and the requests. */
    cJSON *alias_policies = cJSON_Duplicate(d.s.policies, 1);
    cJSON_DeleteItemFromObjectCaseSensitive(alias_policies, "");
    assert_int_equal(cJSON_GetArraySize(alias_policies), 2);
    p.plan_keys = d.s.plan_keys;
    p.alias_policies = alias_policies;
    p.requests = d.s.requests;
    p.invokes = d.s.invokes;
    lab_snapshot s;
    cJSON *own = guide_snapshot(&p, &s);

    size_t compared = 0;
    for (int n = 1; n <= LAB_STEPS; n++) {
        lab_step_result mine, theirs;
        lab_evaluate(&s, n, &mine);
        lab_evaluate(&d.s, n, &theirs);
        assert_int_equal(mine.n, theirs.n);
        for (size_t i = 0; i < mine.n; i++, compared++) {
            if (mine.r[i].status != theirs.r[i].status || strcmp(mine.r[i].msg, theirs.r[i].msg) != 0)
                fail_msg("%s: %d '%s', the lab's fetch: %d '%s'", mine.r[i].check->id,
                         mine.r[i].status, mine.r[i].msg, theirs.r[i].status, theirs.r[i].msg);
        }
        if (n <= LAB_STEP_LAST_BUILD) assert_step_passes(&s, n);
    }
    assert_true(compared > 50);

    cJSON_Delete(own);
    cJSON_Delete(alias_policies);
    mirror_free(m);
    lab_data_free(&d);
    lab_env_free(E);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nothing_loaded),
        cmocka_unit_test(new_account),
        cmocka_unit_test(details_once_loaded),
        cmocka_unit_test(alias_policies_before_permissions),
        cmocka_unit_test(requests_and_invokes),
        cmocka_unit_test(places),
        cmocka_unit_test(prints),
        cmocka_unit_test(mirror_judges_as_the_lab),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
