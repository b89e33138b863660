/* The checks of steps 4 to 7: ItemsFunction, its versions and aliases, the
 * Lambda integrations and their permissions, and the stage variable. */
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"
#include "lab_int.h"

/* --- step 4: the function -------------------------------------------------------------- */

static lab_status fn_exists(const lab_snapshot *s, char *m, size_t n) {
    return lab_need_function(s, m, n);
}

static lab_status fn_runtime(const lab_snapshot *s, char *m, size_t n) {
    LAB_NEED(lab_need_function(s, m, n));
    const char *rt = json_str_or(lab_function(s), "Runtime", "");
    if (str_starts(rt, "python3.")) return LAB_PASS;
    return lab_fail(m, n, LAB_FUNCTION " runs on %s, not Python 3", *rt ? rt : "no runtime");
}

static lab_status fn_handler(const lab_snapshot *s, char *m, size_t n) {
    LAB_NEED(lab_need_function(s, m, n));
    const char *h = json_str_or(lab_function(s), "Handler", "");
    if (strcmp(h, LAB_HANDLER) == 0) return LAB_PASS;
    return lab_fail(m, n, LAB_FUNCTION "'s handler is '%s', not " LAB_HANDLER, h);
}

static lab_status fn_role(const lab_snapshot *s, char *m, size_t n) {
    LAB_NEED(lab_need_function(s, m, n));
    const char *role = json_str_or(lab_function(s), "Role", "");
    const char *slash = strrchr(role, '/');
    if (strstr(role, ":role/") && slash && strcmp(slash + 1, LAB_ROLE_NAME) == 0) return LAB_PASS;
    return lab_fail(m, n, LAB_FUNCTION " runs as %s, not the role " LAB_ROLE_NAME,
                    *role ? role : "no role");
}

/* The answer to test event name: LAB_PASS with *r set, or fail/skip. */
static lab_status need_invoke(const lab_snapshot *s, const char *name, const cJSON **r, char *m,
                              size_t n) {
    LAB_NEED(lab_need_function(s, m, n));
    if (!s->invokes)
        return lab_skip(m, n, "the function has not been run yet (or cannot be: no Lambda runtime)");
    *r = json_obj(s->invokes, name);
    if (!*r) return lab_skip(m, n, "the test event %s was not run", name);
    if (json_has(*r, "error"))
        return lab_fail(m, n, "the test event %s could not run: %s", name,
                        json_str_or(*r, "error", "?"));
    return LAB_PASS;
}

/* An event's JSON on one line, as a message quotes it: its line breaks
 * and the indentation after them dropped ({"ID": 1}). */
static void one_line(const char *body, char *out, size_t n) {
    size_t k = 0;
    for (const char *p = body; *p && k + 1 < n; p++) {
        if (*p == '\n') {
            while (p[1] == ' ') p++;
            continue;
        }
        out[k++] = *p;
    }
    out[k] = '\0';
}

/* fail with the event's outcome in words. */
static lab_status event_fails(const cJSON *r, const char *name, const char *json, const char *want,
                              char *m, size_t n) {
    char body[128];
    one_line(json, body, sizeof body);
    const cJSON *payload = cJSON_GetObjectItemCaseSensitive(r, "Payload");
    char *text = lab_short(payload, 90);
    lab_status st =
        json_has(r, "FunctionError")
            ? lab_fail(m, n, "%s (%s) fails with %s, where the lab %s", name, body, text, want)
            : lab_fail(m, n, "%s (%s) returns %s, where the lab %s", name, body, text, want);
    free(text);
    return st;
}

static bool is_item(const cJSON *v, int id, const char *name) {
    return cJSON_IsObject(v) && json_num_or(v, "ID", -1) == id &&
           strcmp(json_str_or(v, "name", ""), name) == 0;
}

static bool is_catalogue(const cJSON *v) {
    static const char *const names[] = {"Pen", "Pencil", "Highlighter", "Ruler"};
    if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != 4) return false;
    for (int i = 0; i < 4; i++)
        if (!is_item(cJSON_GetArrayItem(v, i), i + 1, names[i])) return false;
    return true;
}

static lab_status event_list(const lab_snapshot *s, char *m, size_t n) {
    const cJSON *r;
    LAB_NEED(need_invoke(s, lab_events[0].name, &r, m, n));
    if (!json_has(r, "FunctionError") &&
        is_catalogue(cJSON_GetObjectItemCaseSensitive(r, "Payload")))
        return LAB_PASS;
    return event_fails(r, lab_events[0].name, lab_events[0].body, "returns the four items", m, n);
}

static lab_status event_one(const lab_snapshot *s, char *m, size_t n) {
    const cJSON *r;
    LAB_NEED(need_invoke(s, lab_events[1].name, &r, m, n));
    if (!json_has(r, "FunctionError") &&
        is_item(cJSON_GetObjectItemCaseSensitive(r, "Payload"), 1, "Pen"))
        return LAB_PASS;
    return event_fails(r, lab_events[1].name, lab_events[1].body, "returns the item Pen", m, n);
}

static lab_status event_missing(const lab_snapshot *s, char *m, size_t n) {
    const cJSON *r;
    LAB_NEED(need_invoke(s, lab_events[2].name, &r, m, n));
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(r, "Payload");
    if (json_has(r, "FunctionError") &&
        strcmp(json_str_or(p, "errorMessage", ""), "NotFoundError") == 0)
        return LAB_PASS;
    return event_fails(r, lab_events[2].name, lab_events[2].body, "raises NotFoundError", m, n);
}

/* --- step 5: versions and aliases ------------------------------------------------------------ */

static lab_status version(const lab_snapshot *s, char *m, size_t n) {
    LAB_NEED(lab_need_function(s, m, n));
    if (!s->versions) return lab_skip(m, n, LAB_FUNCTION "'s versions are not loaded");
    const cJSON *v;
    cJSON_ArrayForEach(v, s->versions) if (strcmp(json_str_or(v, "Version", "$LATEST"),
                                                  "$LATEST") != 0) return LAB_PASS;
    return lab_fail(m, n, LAB_FUNCTION " has no published version");
}

static lab_status need_alias(const lab_snapshot *s, const char *name, const cJSON **a, char *m,
                             size_t n) {
    LAB_NEED(lab_need_function(s, m, n));
    if (!s->aliases) return lab_skip(m, n, LAB_FUNCTION "'s aliases are not loaded");
    *a = lab_alias(s, name);
    if (!*a) return lab_fail(m, n, LAB_FUNCTION " has no alias %s", name);
    return LAB_PASS;
}

static lab_status alias_dev(const lab_snapshot *s, char *m, size_t n) {
    const cJSON *a;
    LAB_NEED(need_alias(s, "dev", &a, m, n));
    const char *v = json_str_or(a, "FunctionVersion", "");
    if (strcmp(v, "$LATEST") == 0) return LAB_PASS;
    return lab_fail(m, n, "alias dev points at version %s, not $LATEST", v);
}

static lab_status alias_prod(const lab_snapshot *s, char *m, size_t n) {
    const cJSON *a;
    LAB_NEED(need_alias(s, "prod", &a, m, n));
    const char *v = json_str_or(a, "FunctionVersion", "");
    if (strcmp(v, "$LATEST") == 0)
        return lab_fail(m, n, "alias prod points at $LATEST, not a published version");
    if (s->versions && !lab_named(s->versions, "Version", v))
        return lab_fail(m, n, "alias prod points at version %s, which does not exist", v);
    return LAB_PASS;
}

/* --- step 6: Lambda integrations ----------------------------------------------------------------
 */

/* GET path calls ItemsFunction through a non-proxy Lambda integration with a
 * 200 integration response; qual gets the qualifier it names. */
static lab_status lambda_get(const lab_snapshot *s, const char *path, char *qual, size_t qn,
                             char *m, size_t n) {
    const cJSON *get;
    LAB_NEED(lab_need_method(s, path, "GET", &get, m, n));
    const cJSON *integ = json_obj(get, "methodIntegration");
    const char *type = json_str_or(integ, "type", "none");
    if (strcmp(type, "AWS_PROXY") == 0)
        return lab_fail(m, n, "GET %s uses a Lambda proxy integration; the lab turns proxy off",
                        path);
    char fn[512];
    if (strcmp(type, "AWS") != 0 ||
        !lab_lambda_uri_parts(json_str(integ, "uri"), fn, sizeof fn, qual, qn))
        return lab_fail(m, n, "GET %s's integration is %s, not a Lambda function", path, type);
    const char *want = json_str(lab_function(s), "FunctionArn");
    bool same = want ? strcmp(fn, want) == 0 : str_ends(fn, ":function:" LAB_FUNCTION);
    if (!same) return lab_fail(m, n, "GET %s calls %s, not " LAB_FUNCTION, path, fn);
    if (!json_obj(json_obj(integ, "integrationResponses"), "200"))
        return lab_fail(m, n, "GET %s's Lambda integration has no 200 integration response", path);
    return LAB_PASS;
}

static lab_status integ_items(const lab_snapshot *s, char *m, size_t n) {
    char q[256];
    return lambda_get(s, LAB_ITEMS_PATH, q, sizeof q, m, n);
}

static lab_status integ_item(const lab_snapshot *s, char *m, size_t n) {
    char q[256];
    LAB_NEED(lambda_get(s, LAB_ITEM_PATH, q, sizeof q, m, n));
    const cJSON *integ = json_obj(lab_method(s, LAB_ITEM_PATH, "GET"), "methodIntegration");
    const char *t = json_str(json_obj(integ, "requestTemplates"), "application/json");
    if (lab_same_template(t, lab_item_request_template)) return LAB_PASS;
    return lab_fail(m, n,
                    "GET /items/{ID}'s integration request has no application/json template "
                    "passing the ID: { \"ID\": $input.params(\"ID\") }");
}

/* API Gateway may invoke ItemsFunction:qual from stage's GET methods. */
static lab_status invocable(const lab_snapshot *s, const char *stage, const char *qual, char *m,
                            size_t n) {
    LAB_NEED(lab_need_function(s, m, n));
    LAB_NEED(lab_need_api(s, m, n));
    if (!s->policies) return lab_skip(m, n, LAB_FUNCTION "'s policies are not loaded");
    const char *fn = json_str_or(lab_function(s), "FunctionArn", "");
    char *resource = xasprintf("%s:%s", fn, qual);
    const cJSON *policy = json_obj(s->policies, qual);
    static const char *const paths[] = {LAB_ITEMS_PATH, LAB_ITEM_PATH};
    lab_status st = LAB_PASS;
    for (int i = 0; i < 2 && st == LAB_PASS; i++) {
        char *src = lab_method_arn(s, stage, "GET", paths[i]);
        if (!src || !lab_policy_allows(policy, resource, src))
            st = lab_fail(m, n,
                          "API Gateway may not invoke " LAB_FUNCTION
                          ":%s for %s's GET %s: its policy has no statement allowing %s",
                          qual, stage, paths[i], json_str_or(lab_api(s), "id", "the API"));
        free(src);
    }
    free(resource);
    return st;
}

static lab_status perm_dev(const lab_snapshot *s, char *m, size_t n) {
    return invocable(s, "dev", "dev", m, n);
}
static lab_status perm_prod(const lab_snapshot *s, char *m, size_t n) {
    return invocable(s, "prod", "prod", m, n);
}

/* The mock's made-up items are named foo1, foo2, ... */
static bool mock_item(const cJSON *v) {
    return cJSON_IsObject(v) && str_starts(json_str_or(v, "name", ""), "foo");
}

/* The stage still answers with the mock of step 3: the Lambda integration
 * is not deployed there. */
static bool serves_mock(const lab_snapshot *s, const char *stage) {
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(
        lab_request(s, stage, "GET", LAB_ITEMS_PATH, true), "body");
    const cJSON *one =
        cJSON_GetObjectItemCaseSensitive(lab_request(s, stage, "GET", "/items/1", true), "body");
    return mock_item(cJSON_GetArrayItem(list, 0)) || mock_item(one);
}

/* The stage serves both GETs from ItemsFunction: the four items, and Pen. */
static lab_status serves_lambda(const lab_snapshot *s, const char *stage, char *m, size_t n) {
    LAB_NEED(lab_need_stage(s, stage, m, n));
    if (!s->requests)
        return lab_skip(m, n, "the stages have not been called yet (or cannot be: no data plane)");
    const cJSON *list = lab_request(s, stage, "GET", LAB_ITEMS_PATH, true);
    const cJSON *one = lab_request(s, stage, "GET", "/items/1", true);
    if (!list || !one) return lab_skip(m, n, "%s was not called", stage);
    const cJSON *lb = cJSON_GetObjectItemCaseSensitive(list, "body");
    const cJSON *ob = cJSON_GetObjectItemCaseSensitive(one, "body");
    bool list_ok = json_num_or(list, "status", 0) == 200 && is_catalogue(lb);
    bool one_ok = json_num_or(one, "status", 0) == 200 && is_item(ob, 1, "Pen");
    if (list_ok && one_ok) return LAB_PASS;
    const cJSON *bad = list_ok ? one : list;
    char *text = lab_short(cJSON_GetObjectItemCaseSensitive(bad, "body"), 80);
    bool mock = serves_mock(s, stage);
    lab_status st =
        lab_fail(m, n, "%s answers GET %s with %d %s, not " LAB_FUNCTION "'s answer%s%s", stage,
                 list_ok ? "/items/1" : LAB_ITEMS_PATH, (int)json_num_or(bad, "status", 0), text,
                 mock ? ": deploy the API to " : "", mock ? stage : "");
    free(text);
    return st;
}

static lab_status serves_dev(const lab_snapshot *s, char *m, size_t n) {
    return serves_lambda(s, "dev", m, n);
}
static lab_status serves_prod(const lab_snapshot *s, char *m, size_t n) {
    return serves_lambda(s, "prod", m, n);
}
static bool serves_dev_stale(const lab_snapshot *s) { return serves_mock(s, "dev"); }
static bool serves_prod_stale(const lab_snapshot *s) { return serves_mock(s, "prod"); }

/* --- step 7: the stage variable ------------------------------------------------------------------
 */

/* The stage's lambdaAlias, or NULL with m filled. */
static const char *alias_variable(const lab_snapshot *s, const char *stage, lab_status *st, char *m,
                                  size_t n) {
    *st = lab_need_stage(s, stage, m, n);
    if (*st != LAB_PASS) return NULL;
    const char *v = json_str(json_obj(lab_stage(s, stage), "variables"), LAB_STAGE_VARIABLE);
    if (!v) *st = lab_fail(m, n, "%s has no stage variable " LAB_STAGE_VARIABLE, stage);
    return v;
}

static lab_status variable(const lab_snapshot *s, const char *stage, char *m, size_t n) {
    lab_status st;
    const char *v = alias_variable(s, stage, &st, m, n);
    if (!v) return st;
    if (strcmp(v, stage) == 0) return LAB_PASS;
    return lab_fail(m, n, "%s's stage variable " LAB_STAGE_VARIABLE " is '%s', not '%s'", stage, v,
                    stage);
}

static lab_status var_dev(const lab_snapshot *s, char *m, size_t n) {
    return variable(s, "dev", m, n);
}
static lab_status var_prod(const lab_snapshot *s, char *m, size_t n) {
    return variable(s, "prod", m, n);
}

#define BY_VARIABLE "${stageVariables." LAB_STAGE_VARIABLE "}"

static lab_status uri_variable(const lab_snapshot *s, const char *path, char *m, size_t n) {
    char q[256];
    LAB_NEED(lambda_get(s, path, q, sizeof q, m, n));
    if (strcmp(q, BY_VARIABLE) == 0) return LAB_PASS;
    return lab_fail(m, n, "GET %s calls " LAB_FUNCTION "%s%s, not " LAB_FUNCTION ":" BY_VARIABLE,
                    path, *q ? ":" : "", q);
}

static lab_status uri_items(const lab_snapshot *s, char *m, size_t n) {
    return uri_variable(s, LAB_ITEMS_PATH, m, n);
}
static lab_status uri_item(const lab_snapshot *s, char *m, size_t n) {
    return uri_variable(s, LAB_ITEM_PATH, m, n);
}

/* Each stage's lambdaAlias names an alias API Gateway may invoke from it. */
static lab_status perm_variable(const lab_snapshot *s, char *m, size_t n) {
    static const char *const stages[] = {"dev", "prod"};
    for (int i = 0; i < 2; i++) {
        lab_status st;
        const char *alias = alias_variable(s, stages[i], &st, m, n);
        if (!alias) return st;
        LAB_NEED(invocable(s, stages[i], alias, m, n));
    }
    return LAB_PASS;
}

/* --- the tables
 * ------------------------------------------------------------------------------------ */

static const lab_check step4[] = {
    {"4.function", "a function named " LAB_FUNCTION, fn_exists, NULL},
    {"4.runtime", LAB_FUNCTION " runs on Python 3", fn_runtime, NULL},
    {"4.handler", "its handler is " LAB_HANDLER, fn_handler, NULL},
    {"4.role", "it runs as the role " LAB_ROLE_NAME, fn_role, NULL},
    {"4.event.list", "test event GetItems ({}) returns the four items", event_list, NULL},
    {"4.event.one", "test event {\"ID\": 1} returns the item Pen", event_one, NULL},
    {"4.event.missing", "test event {\"ID\": 5} raises NotFoundError", event_missing, NULL},
};

static const lab_check step5[] = {
    {"5.version", LAB_FUNCTION " has a published version", version, NULL},
    {"5.alias.dev", "alias dev points at $LATEST", alias_dev, NULL},
    {"5.alias.prod", "alias prod points at a published version", alias_prod, NULL},
};

static const lab_check step6[] = {
    {"6.integ.items", "GET /items calls " LAB_FUNCTION " (Lambda, proxy off)", integ_items, NULL},
    {"6.integ.item", "GET /items/{ID} calls " LAB_FUNCTION " and passes it the ID", integ_item,
     NULL},
    {"6.perm.dev", "API Gateway may invoke " LAB_FUNCTION ":dev for both GET methods", perm_dev,
     NULL},
    {"6.perm.prod", "API Gateway may invoke " LAB_FUNCTION ":prod for both GET methods", perm_prod,
     NULL},
    {"6.serve.dev", "dev answers both GET methods from " LAB_FUNCTION, serves_dev,
     serves_dev_stale},
    {"6.serve.prod", "prod answers both GET methods from " LAB_FUNCTION, serves_prod,
     serves_prod_stale},
};

static const lab_check step7[] = {
    {"7.var.dev", "dev's stage variable " LAB_STAGE_VARIABLE " is dev", var_dev, NULL},
    {"7.var.prod", "prod's stage variable " LAB_STAGE_VARIABLE " is prod", var_prod, NULL},
    {"7.uri.items", "GET /items calls " LAB_FUNCTION ":" BY_VARIABLE, uri_items, NULL},
    {"7.uri.item", "GET /items/{ID} calls " LAB_FUNCTION ":" BY_VARIABLE, uri_item, NULL},
    {"7.perm", "API Gateway may invoke the alias each stage's " LAB_STAGE_VARIABLE " names",
     perm_variable, NULL},
};

#define TABLE(a)                                                                                   \
    { a, sizeof a / sizeof *a }
const lab_check_table lab_checks_fn[LAB_STEPS + 1] = {
    [4] = TABLE(step4), [5] = TABLE(step5), [6] = TABLE(step6), [7] = TABLE(step7)};
