/* The mirror over the local transport and an in-memory emulator: what a
 * refresh loads, how many requests it takes, and what failures leave. */
#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/client.h"
#include "client/mirror.h"
#include "core/json.h"
#include "core/mem.h"
#include "transport/local.h"

/* The lab's account, written straight into the store (STATE LAYOUT in
 * src/emulator/emu.h). Resources are stored out of path order on purpose. */
static const char *const LAB_REGION =
    "{\"restapis\":{\"a1b2c3d4e5\":{"
    "\"api\":{\"id\":\"a1b2c3d4e5\",\"name\":\"ItemsAPI\",\"description\":\"Lab API\","
    "\"createdDate\":1795996800,\"apiKeySource\":\"HEADER\","
    "\"endpointConfiguration\":{\"types\":[\"REGIONAL\"]},\"rootResourceId\":\"rt0000root\"},"
    "\"resources\":{"
    "\"idr9876543\":{\"id\":\"idr9876543\",\"parentId\":\"itm4567890\",\"pathPart\":\"{ID}\","
    "\"path\":\"/items/{ID}\",\"resourceMethods\":{\"GET\":{\"httpMethod\":\"GET\","
    "\"authorizationType\":\"NONE\",\"apiKeyRequired\":false}}},"
    "\"rt0000root\":{\"id\":\"rt0000root\",\"path\":\"/\"},"
    "\"itm4567890\":{\"id\":\"itm4567890\",\"parentId\":\"rt0000root\",\"pathPart\":\"items\","
    "\"path\":\"/items\",\"resourceMethods\":{"
    "\"GET\":{\"httpMethod\":\"GET\",\"authorizationType\":\"NONE\",\"apiKeyRequired\":true},"
    "\"OPTIONS\":{\"httpMethod\":\"OPTIONS\",\"authorizationType\":\"NONE\","
    "\"apiKeyRequired\":false}}}},"
    "\"models\":{"
    "\"Empty\":{\"id\":\"mdl0000001\",\"name\":\"Empty\",\"contentType\":\"application/json\"},"
    "\"Error\":{\"id\":\"mdl0000002\",\"name\":\"Error\",\"contentType\":\"application/json\"},"
    "\"Item\":{\"id\":\"mdl0000003\",\"name\":\"Item\",\"contentType\":\"application/json\"}},"
    "\"deployments\":{\"dep001\":{\"id\":\"dep001\",\"description\":\"first\","
    "\"createdDate\":1795996800,\"_resources\":{}}},"
    "\"stages\":{"
    "\"dev\":{\"stageName\":\"dev\",\"deploymentId\":\"dep001\","
    "\"variables\":{\"lambdaAlias\":\"dev\"}},"
    "\"prod\":{\"stageName\":\"prod\",\"deploymentId\":\"dep001\","
    "\"variables\":{\"lambdaAlias\":\"prod\"}}}}},"
    "\"apikeys\":{\"key0000001\":{\"id\":\"key0000001\",\"name\":\"LabKey\","
    "\"value\":\"abcdefghijklmnopqrstuvwxyz0123456789ABCD\",\"enabled\":true,"
    "\"createdDate\":1795996800}},"
    "\"usageplans\":{\"pln001\":{\"id\":\"pln001\",\"name\":\"LabPlan\","
    "\"apiStages\":[{\"apiId\":\"a1b2c3d4e5\",\"stage\":\"prod\"}],"
    "\"throttle\":{\"rateLimit\":10,\"burstLimit\":5},"
    "\"quota\":{\"limit\":1000,\"offset\":0,\"period\":\"DAY\"},\"_keys\":[\"key0000001\"]}},"
    "\"functions\":{\"ItemsFunction\":{"
    "\"latest\":{\"FunctionName\":\"ItemsFunction\","
    "\"FunctionArn\":\"arn:aws:lambda:us-west-2:123456789012:function:ItemsFunction\","
    "\"Runtime\":\"python3.12\",\"Handler\":\"lambda_function.lambda_handler\","
    "\"MemorySize\":128,\"Timeout\":3,\"Version\":\"$LATEST\","
    "\"LastModified\":\"2026-11-30T00:00:00.000+0000\"},"
    "\"versions\":{\"1\":{\"config\":{\"FunctionName\":\"ItemsFunction\","
    "\"FunctionArn\":\"arn:aws:lambda:us-west-2:123456789012:function:ItemsFunction:1\","
    "\"Runtime\":\"python3.12\",\"MemorySize\":128,\"Timeout\":3,\"Version\":\"1\","
    "\"LastModified\":\"2026-11-30T00:00:00.000+0000\"}}},"
    "\"aliases\":{\"dev\":{\"Name\":\"dev\",\"FunctionVersion\":\"$LATEST\","
    "\"AliasArn\":\"arn:aws:lambda:us-west-2:123456789012:function:ItemsFunction:dev\"}},"
    "\"policy\":{\"\":[{\"Sid\":\"apigw-items\",\"Effect\":\"Allow\","
    "\"Principal\":{\"Service\":\"apigateway.amazonaws.com\"},"
    "\"Action\":\"lambda:InvokeFunction\","
    "\"Resource\":\"arn:aws:lambda:us-west-2:123456789012:function:ItemsFunction\"}]},"
    "\"_nextVersion\":2}}}";

typedef struct env {
    fixture *fx;
    transport *t;
    client *cl;
    mirror *m;
    char path[64];
} env;

typedef struct outcome {
    int calls;
    bool failed;
    err e;
} outcome;

static void on_done(void *ud, const err *e) {
    outcome *o = ud;
    o->calls++;
    o->failed = e != NULL;
    if (e) o->e = *e;
}

/* Replace the region's contents by the JSON text region_json. */
static void seed(store *st, const char *region_json) {
    err e;
    assert_int_equal(store_begin(st, true, &e), 0);
    cJSON *regions = json_child_obj(store_root(st), "regions");
    cJSON *r = cJSON_Parse(region_json);
    assert_non_null(r);
    json_set(regions, "us-west-2", r);
    assert_int_equal(store_commit(st, &e), 0);
}

static env *env_new(bool on_disk) {
    env *v = xcalloc(1, sizeof *v);
    if (on_disk) {
        snprintf(v->path, sizeof v->path, "/tmp/test_mirror_XXXXXX");
        int fd = mkstemp(v->path);
        assert_true(fd >= 0);
        close(fd);
        unlink(v->path); /* the store creates it on the first write */
    }
    v->fx = fixture_new(on_disk ? v->path : NULL);
    v->t = local_transport_new(v->fx->emu);
    v->cl = client_new(v->t, "us-west-2");
    v->m = mirror_new(v->cl);
    return v;
}

static void env_free(env *v) {
    mirror_free(v->m);
    client_free(v->cl);
    transport_destroy(v->t);
    fixture_free(v->fx);
    if (v->path[0]) {
        unlink(v->path);
        char lock[80];
        snprintf(lock, sizeof lock, "%s.lock", v->path);
        unlink(lock);
    }
    free(v);
}

/* Run one refresh to completion; returns the requests it made. */
static unsigned long run(env *v, void (*start)(mirror *, const char *, mirror_done_fn, void *),
                         const char *target, outcome *o) {
    unsigned long before = client_requests(v->cl);
    start(v->m, target, on_done, o);
    assert_true(mirror_busy(v->m));
    transport_drain(v->t);
    assert_false(mirror_busy(v->m));
    assert_int_equal(o->calls, 1);
    return client_requests(v->cl) - before;
}

static void refresh_account(mirror *m, const char *unused, mirror_done_fn done, void *ud) {
    (void)unused;
    mirror_refresh(m, done, ud);
}

static const cJSON *find_by(const cJSON *arr, const char *key, const char *value) {
    const cJSON *it;
    cJSON_ArrayForEach(it, arr) if (strcmp(json_str_or(it, key, ""), value) == 0) return it;
    return NULL;
}

static void empty_until_loaded(void **state) {
    env *v = env_new(false);
    assert_int_equal(cJSON_GetArraySize(mirror_apis(v->m)), 0);
    assert_true(cJSON_IsArray(mirror_functions(v->m)));
    assert_null(mirror_resources(v->m, "a1b2c3d4e5"));
    assert_null(mirror_error(v->m));
    assert_false(mirror_busy(v->m));
    env_free(v);
}

static void account_refresh_loads_lists_in_four_requests(void **state) {
    env *v = env_new(false);
    seed(v->fx->st, LAB_REGION);
    outcome o = {0};
    unsigned long gen = mirror_generation(v->m);
    assert_int_equal(run(v, refresh_account, NULL, &o), 4);
    assert_false(o.failed);
    assert_null(mirror_error(v->m));
    assert_true(mirror_generation(v->m) > gen);

    const cJSON *api = find_by(mirror_apis(v->m), "id", "a1b2c3d4e5");
    assert_non_null(api);
    assert_string_equal(json_str(api, "name"), "ItemsAPI");
    const cJSON *plan = find_by(mirror_usage_plans(v->m), "id", "pln001");
    assert_non_null(plan);
    assert_int_equal((int)json_num_or(json_obj(plan, "throttle"), "rateLimit", 0), 10);
    assert_null(cJSON_GetObjectItem(plan, "_keys")); /* ours, never on the wire */
    const cJSON *key = find_by(mirror_api_keys(v->m), "id", "key0000001");
    assert_non_null(key);
    /* includeValues=true was asked for: the value comes with the key. */
    assert_string_equal(json_str(key, "value"), "abcdefghijklmnopqrstuvwxyz0123456789ABCD");
    const cJSON *fn = find_by(mirror_functions(v->m), "FunctionName", "ItemsFunction");
    assert_non_null(fn);
    assert_string_equal(json_str(fn, "Runtime"), "python3.12");
    env_free(v);
}

static void api_refresh_loads_tree_stages_models_in_four_requests(void **state) {
    env *v = env_new(false);
    seed(v->fx->st, LAB_REGION);
    outcome o = {0};
    assert_int_equal(run(v, mirror_refresh_api, "a1b2c3d4e5", &o), 4);
    assert_false(o.failed);

    const cJSON *res = mirror_resources(v->m, "a1b2c3d4e5");
    assert_int_equal(cJSON_GetArraySize(res), 3);
    /* Sorted by path, whatever order the service answered in. */
    assert_string_equal(json_str(cJSON_GetArrayItem(res, 0), "path"), "/");
    assert_string_equal(json_str(cJSON_GetArrayItem(res, 1), "path"), "/items");
    assert_string_equal(json_str(cJSON_GetArrayItem(res, 2), "path"), "/items/{ID}");
    /* embed=methods: the methods come inline. */
    const cJSON *items = cJSON_GetArrayItem(res, 1);
    const cJSON *get = json_obj(json_obj(items, "resourceMethods"), "GET");
    assert_non_null(get);
    assert_true(json_bool_or(get, "apiKeyRequired", false));
    assert_non_null(json_obj(json_obj(items, "resourceMethods"), "OPTIONS"));

    assert_int_equal(cJSON_GetArraySize(mirror_stages(v->m, "a1b2c3d4e5")), 2);
    assert_non_null(find_by(mirror_stages(v->m, "a1b2c3d4e5"), "stageName", "prod"));
    assert_int_equal(cJSON_GetArraySize(mirror_models(v->m, "a1b2c3d4e5")), 3);
    assert_non_null(find_by(mirror_models(v->m, "a1b2c3d4e5"), "name", "Item"));
    const cJSON *deps = mirror_deployments(v->m, "a1b2c3d4e5");
    assert_int_equal(cJSON_GetArraySize(deps), 1);
    assert_null(cJSON_GetObjectItem(cJSON_GetArrayItem(deps, 0), "_resources"));
    assert_null(mirror_resources(v->m, "zzzzzzzzzz"));
    env_free(v);
}

static void large_api_pages_through_resources(void **state) {
    env *v = env_new(false);
    /* 600 resources: GetResources takes two pages of at most 500. */
    cJSON *region = cJSON_Parse(LAB_REGION);
    cJSON *res = json_obj(json_obj(json_obj(region, "restapis"), "a1b2c3d4e5"), "resources");
    for (int i = 0; i < 597; i++) {
        char id[16], part[16], path[24];
        snprintf(id, sizeof id, "gen%07d", i);
        snprintf(part, sizeof part, "p%03d", 596 - i);
        snprintf(path, sizeof path, "/%s", part);
        cJSON *r = cJSON_CreateObject();
        json_set_str(r, "id", id);
        json_set_str(r, "parentId", "rt0000root");
        json_set_str(r, "pathPart", part);
        json_set_str(r, "path", path);
        json_set(res, id, r);
    }
    char *text = json_print(region);
    cJSON_Delete(region);
    seed(v->fx->st, text);
    free(text);
    outcome o = {0};
    assert_int_equal(run(v, mirror_refresh_api, "a1b2c3d4e5", &o), 5);
    assert_false(o.failed);
    const cJSON *all = mirror_resources(v->m, "a1b2c3d4e5");
    assert_int_equal(cJSON_GetArraySize(all), 600);
    const char *prev = "";
    const cJSON *it;
    cJSON_ArrayForEach(it, all) {
        assert_true(strcmp(prev, json_str(it, "path")) < 0);
        prev = json_str(it, "path");
    }
    env_free(v);
}

static void function_refresh_loads_versions_aliases_policy(void **state) {
    env *v = env_new(false);
    seed(v->fx->st, LAB_REGION);
    outcome o = {0};
    assert_int_equal(run(v, mirror_refresh_function, "ItemsFunction", &o), 3);
    assert_false(o.failed);
    /* ListVersionsByFunction lists $LATEST and the published versions. */
    const cJSON *vers = mirror_versions(v->m, "ItemsFunction");
    assert_non_null(find_by(vers, "Version", "$LATEST"));
    assert_non_null(find_by(vers, "Version", "1"));
    assert_non_null(find_by(mirror_aliases(v->m, "ItemsFunction"), "Name", "dev"));
    const cJSON *policy = mirror_policy(v->m, "ItemsFunction");
    assert_non_null(find_by(json_arr(policy, "Statement"), "Sid", "apigw-items"));
    env_free(v);
}

static void function_without_policy_is_not_an_error(void **state) {
    env *v = env_new(false);
    cJSON *region = cJSON_Parse(LAB_REGION);
    cJSON *fn = json_obj(json_obj(region, "functions"), "ItemsFunction");
    cJSON_DeleteItemFromObject(fn, "policy");
    json_set(fn, "policy", cJSON_CreateObject());
    char *text = json_print(region);
    cJSON_Delete(region);
    seed(v->fx->st, text);
    free(text);
    outcome o = {0};
    run(v, mirror_refresh_function, "ItemsFunction", &o);
    assert_false(o.failed);
    assert_null(mirror_error(v->m));
    assert_int_equal(cJSON_GetArraySize(json_arr(mirror_policy(v->m, "ItemsFunction"), "Statement")),
                     0);
    env_free(v);
}

static void unknown_api_reports_not_found(void **state) {
    env *v = env_new(false);
    seed(v->fx->st, LAB_REGION);
    outcome o = {0};
    run(v, mirror_refresh_api, "nosuchapi0", &o);
    assert_true(o.failed);
    const err *e = mirror_error(v->m);
    assert_non_null(e);
    assert_int_equal(e->status, 404);
    assert_string_equal(e->code, "NotFoundException");
    assert_string_equal(o.e.code, "NotFoundException");
    assert_null(mirror_resources(v->m, "nosuchapi0"));
    env_free(v);
}

/* The state file is damaged behind the emulator's back: every request then
 * fails, and the mirror keeps what it had. */
static void emulator_failure_keeps_previous_contents(void **state) {
    env *v = env_new(true);
    seed(v->fx->st, LAB_REGION);
    outcome o = {0};
    run(v, refresh_account, NULL, &o);
    assert_false(o.failed);
    FILE *f = fopen(v->path, "w");
    assert_non_null(f);
    fputs("{\"format\": \"apigw-console-state\", \"regions\": {", f);
    fclose(f);

    outcome o2 = {0};
    unsigned long gen = mirror_generation(v->m);
    run(v, refresh_account, NULL, &o2);
    assert_true(o2.failed);
    const err *e = mirror_error(v->m);
    assert_non_null(e);
    assert_int_equal(e->status, 500);
    assert_non_null(strstr(e->msg, "corrupt"));
    assert_true(mirror_generation(v->m) > gen); /* the status line must show it */
    assert_non_null(find_by(mirror_apis(v->m), "name", "ItemsAPI"));
    assert_int_equal(cJSON_GetArraySize(mirror_functions(v->m)), 1);
    env_free(v);
}

/* --- a transport that can be told to fail every request ---------------------- */

typedef struct failing {
    transport base;
    transport *inner;
    bool broken;
    struct fail_item {
        transport_done_fn done;
        void *ud;
    } q[16];
    int nq;
} failing;

static void fl_submit(transport *t, http_request *req, transport_done_fn done, void *ud) {
    failing *f = (failing *)t;
    if (!f->broken) {
        transport_submit(f->inner, req, done, ud);
        return;
    }
    http_request_free(req);
    assert_true(f->nq < 16);
    f->q[f->nq++] = (struct fail_item){done, ud};
}
static int fl_pollfds(transport *t, struct pollfd *fds, int max) {
    return transport_pollfds(((failing *)t)->inner, fds, max);
}
static int fl_timeout(transport *t) {
    failing *f = (failing *)t;
    return f->nq ? 0 : transport_timeout_ms(f->inner);
}
static int fl_process(transport *t) {
    failing *f = (failing *)t;
    int n = transport_process(f->inner);
    int k = f->nq;
    f->nq = 0;
    err e;
    err_set(&e, 0, "", "could not connect to 127.0.0.1:9: Connection refused");
    for (int i = 0; i < k; i++) f->q[i].done(f->q[i].ud, NULL, &e);
    return n + k;
}
static size_t fl_pending(transport *t) {
    failing *f = (failing *)t;
    return transport_pending(f->inner) + (size_t)f->nq;
}
static void fl_destroy(transport *t) { free(t); }
static const char *fl_describe(transport *t) { return "failing"; }
static const transport_ops failing_ops = {fl_submit, fl_pollfds, fl_timeout, fl_process,
                                          fl_pending, fl_destroy, fl_describe};

static void transport_failure_keeps_previous_contents(void **state) {
    fixture *fx = fixture_new(NULL);
    seed(fx->st, LAB_REGION);
    transport *local = local_transport_new(fx->emu);
    failing *f = xcalloc(1, sizeof *f);
    f->base.ops = &failing_ops;
    f->inner = local;
    client *cl = client_new(&f->base, "us-west-2");
    mirror *m = mirror_new(cl);

    outcome o = {0};
    mirror_refresh(m, on_done, &o);
    mirror_refresh_api(m, "a1b2c3d4e5", on_done, &o);
    transport_drain(&f->base);
    assert_int_equal(o.calls, 2);
    assert_false(o.failed);

    f->broken = true;
    outcome o2 = {0};
    mirror_refresh_api(m, "a1b2c3d4e5", on_done, &o2);
    transport_drain(&f->base);
    assert_int_equal(o2.calls, 1);
    assert_true(o2.failed);
    const err *e = mirror_error(m);
    assert_non_null(e);
    assert_int_equal(e->status, 0);
    assert_non_null(strstr(e->msg, "Connection refused"));
    assert_int_equal(cJSON_GetArraySize(mirror_resources(m, "a1b2c3d4e5")), 3);
    assert_int_equal(cJSON_GetArraySize(mirror_stages(m, "a1b2c3d4e5")), 2);

    /* A later success clears the error. */
    f->broken = false;
    outcome o3 = {0};
    mirror_refresh(m, on_done, &o3);
    transport_drain(&f->base);
    assert_false(o3.failed);
    assert_null(mirror_error(m));

    mirror_free(m);
    client_free(cl);
    transport_destroy(&f->base);
    transport_destroy(local);
    fixture_free(fx);
}

static void deleted_api_details_are_forgotten(void **state) {
    env *v = env_new(false);
    seed(v->fx->st, LAB_REGION);
    outcome o = {0};
    run(v, mirror_refresh_api, "a1b2c3d4e5", &o);
    assert_non_null(mirror_resources(v->m, "a1b2c3d4e5"));
    seed(v->fx->st, "{\"restapis\":{},\"apikeys\":{},\"usageplans\":{},\"functions\":{}}");
    outcome o2 = {0};
    run(v, refresh_account, NULL, &o2);
    assert_false(o2.failed);
    assert_int_equal(cJSON_GetArraySize(mirror_apis(v->m)), 0);
    assert_null(mirror_resources(v->m, "a1b2c3d4e5"));
    env_free(v);
}

/* Freed with requests in flight: the completions arrive later and must
 * neither touch the mirror nor leak (the sanitizer build checks). */
static void free_while_loading_is_safe(void **state) {
    env *v = env_new(false);
    seed(v->fx->st, LAB_REGION);
    outcome o = {0};
    mirror_refresh(v->m, on_done, &o);
    mirror_refresh_api(v->m, "a1b2c3d4e5", on_done, &o);
    mirror_free(v->m);
    v->m = NULL;
    transport_drain(v->t);
    assert_int_equal(o.calls, 0);
    env_free(v);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(empty_until_loaded),
        cmocka_unit_test(account_refresh_loads_lists_in_four_requests),
        cmocka_unit_test(api_refresh_loads_tree_stages_models_in_four_requests),
        cmocka_unit_test(large_api_pages_through_resources),
        cmocka_unit_test(function_refresh_loads_versions_aliases_policy),
        cmocka_unit_test(function_without_policy_is_not_an_error),
        cmocka_unit_test(unknown_api_reports_not_found),
        cmocka_unit_test(emulator_failure_keeps_previous_contents),
        cmocka_unit_test(transport_failure_keeps_previous_contents),
        cmocka_unit_test(deleted_api_details_are_forgotten),
        cmocka_unit_test(free_while_loading_is_safe),
    };
    return cmocka_run_group_tests_name("mirror", tests, NULL, NULL);
}
