/* The checks of step 1 (the backend), step 3 (ItemsAPI with its models,
 * resources, mock methods and stages) and step 11 (the clean-up). */
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/text.h"
#include "lab/assets.h"
#include "lab_int.h"

/* --- step 1 --------------------------------------------------------------------------- */

static lab_status connected(const lab_snapshot *s, char *m, size_t n) {
    return s->connected ? LAB_PASS : lab_fail(m, n, "the account did not answer");
}

/* --- step 3: the API -------------------------------------------------------------------- */

static lab_status api_exists(const lab_snapshot *s, char *m, size_t n) {
    return lab_need_api(s, m, n);
}

static lab_status api_alone(const lab_snapshot *s, char *m, size_t n) {
    LAB_NEED(lab_need_api(s, m, n));
    int count = lab_count_named(s->apis, "name", LAB_API_NAME);
    if (count > 1)
        return lab_fail(m, n,
                        "%d APIs are named " LAB_API_NAME "; the lab works on the oldest (%s): "
                        "delete the others",
                        count, json_str_or(lab_api(s), "id", "?"));
    return LAB_PASS;
}

static lab_status api_description(const lab_snapshot *s, char *m, size_t n) {
    LAB_NEED(lab_need_api(s, m, n));
    const char *d = json_str(lab_api(s), "description");
    if (!d || !*d) return lab_fail(m, n, LAB_API_NAME " has no description");
    if (strcmp(d, LAB_API_DESCRIPTION) != 0)
        return lab_fail(m, n, LAB_API_NAME "'s description is '%s', not '" LAB_API_DESCRIPTION "'",
                        d);
    return LAB_PASS;
}

static lab_status api_regional(const lab_snapshot *s, char *m, size_t n) {
    LAB_NEED(lab_need_api(s, m, n));
    const cJSON *types = json_arr(json_obj(lab_api(s), "endpointConfiguration"), "types");
    const cJSON *t0 = cJSON_GetArrayItem(types, 0);
    const char *type = cJSON_IsString(t0) ? t0->valuestring : "EDGE";
    if (cJSON_GetArraySize(types) == 1 && strcmp(type, LAB_ENDPOINT_TYPE) == 0) return LAB_PASS;
    return lab_fail(m, n, LAB_API_NAME "'s endpoint type is %s, not " LAB_ENDPOINT_TYPE, type);
}

/* --- step 3: models -------------------------------------------------------------------- */

static lab_status need_model(const lab_snapshot *s, const char *name, const cJSON **model,
                             cJSON **schema, char *m, size_t n) {
    LAB_NEED(lab_need_api(s, m, n));
    if (!s->models) return lab_skip(m, n, LAB_API_NAME "'s models are not loaded");
    *model = lab_named(s->models, "name", name);
    if (!*model) return lab_fail(m, n, LAB_API_NAME " has no model %s", name);
    const char *ct = json_str_or(*model, "contentType", "");
    if (strcmp(ct, "application/json") != 0)
        return lab_fail(m, n, "model %s's content type is '%s', not application/json", name, ct);
    const char *text = json_str(*model, "schema");
    *schema = text ? cJSON_Parse(text) : NULL;
    if (!cJSON_IsObject(*schema)) {
        cJSON_Delete(*schema);
        *schema = NULL;
        return lab_fail(m, n, "model %s's schema is not a JSON object", name);
    }
    return LAB_PASS;
}

static bool property_is(const cJSON *props, const char *name, const char *type) {
    return strcmp(json_str_or(json_obj(props, name), "type", ""), type) == 0;
}

static lab_status model_item(const lab_snapshot *s, char *m, size_t n) {
    const cJSON *model;
    cJSON *schema = NULL;
    LAB_NEED(need_model(s, LAB_MODEL_ITEM, &model, &schema, m, n));
    const cJSON *props = json_obj(schema, "properties");
    bool ok = strcmp(json_str_or(schema, "type", ""), "object") == 0 &&
              property_is(props, "ID", "number") && property_is(props, "name", "string") &&
              property_is(props, "price", "number");
    cJSON_Delete(schema);
    if (ok) return LAB_PASS;
    return lab_fail(m, n,
                    "model Item's schema is not an object of ID (number), name (string) and "
                    "price (number)");
}

static lab_status model_items(const lab_snapshot *s, char *m, size_t n) {
    const cJSON *model;
    cJSON *schema = NULL;
    LAB_NEED(need_model(s, LAB_MODEL_ITEMS, &model, &schema, m, n));
    const char *ref = json_str(json_obj(schema, "items"), "$ref");
    bool ok = strcmp(json_str_or(schema, "type", ""), "array") == 0 && ref &&
              str_ends(ref, "/models/" LAB_MODEL_ITEM);
    cJSON_Delete(schema);
    if (ok) return LAB_PASS;
    return lab_fail(m, n,
                    "model Items's schema is not an array of Item (items: {\"$ref\": "
                    "\".../models/Item\"})");
}

/* --- step 3: resources and mock methods --------------------------------------------------- */

static lab_status resource(const lab_snapshot *s, const char *path, char *m, size_t n) {
    LAB_NEED(lab_need_api(s, m, n));
    if (!s->resources) return lab_skip(m, n, LAB_API_NAME "'s resources are not loaded");
    if (!lab_resource(s, path)) return lab_fail(m, n, LAB_API_NAME " has no resource %s", path);
    return LAB_PASS;
}

static lab_status res_items(const lab_snapshot *s, char *m, size_t n) {
    return resource(s, LAB_ITEMS_PATH, m, n);
}
static lab_status res_item(const lab_snapshot *s, char *m, size_t n) {
    return resource(s, LAB_ITEM_PATH, m, n);
}

/* A GET with a 200 method response and an integration; while that
 * integration is still the mock, its 200 response holds the lab's template
 * (a later step replaces the mock, which keeps this check passing). */
static lab_status mock_get(const lab_snapshot *s, const char *path, const char *tmpl,
                           const char *which, char *m, size_t n) {
    const cJSON *get;
    LAB_NEED(lab_need_method(s, path, "GET", &get, m, n));
    const cJSON *integ = json_obj(get, "methodIntegration");
    if (!integ) return lab_fail(m, n, "GET %s has no integration", path);
    if (!json_obj(json_obj(get, "methodResponses"), "200"))
        return lab_fail(m, n, "GET %s has no 200 method response", path);
    if (strcmp(json_str_or(integ, "type", ""), "MOCK") != 0) return LAB_PASS;
    const cJSON *ir = json_obj(json_obj(integ, "integrationResponses"), "200");
    if (!ir) return lab_fail(m, n, "GET %s's mock has no 200 integration response", path);
    const char *t = json_str(json_obj(ir, "responseTemplates"), "application/json");
    if (!t || !*t)
        return lab_fail(m, n, "GET %s's 200 integration response has no application/json template",
                        path);
    if (!lab_same_template(t, tmpl))
        return lab_fail(m, n, "GET %s's 200 mapping template is not the lab's %s template", path,
                        which);
    return LAB_PASS;
}

static lab_status mock_items(const lab_snapshot *s, char *m, size_t n) {
    return mock_get(s, LAB_ITEMS_PATH, lab_items_template, "list", m, n);
}
static lab_status mock_item(const lab_snapshot *s, char *m, size_t n) {
    return mock_get(s, LAB_ITEM_PATH, lab_item_template, "single item", m, n);
}

/* --- step 3: stages ------------------------------------------------------------------------- */

static lab_status stage_dev(const lab_snapshot *s, char *m, size_t n) {
    return lab_need_stage(s, "dev", m, n);
}
static lab_status stage_prod(const lab_snapshot *s, char *m, size_t n) {
    return lab_need_stage(s, "prod", m, n);
}

/* The stage answers with 403 Missing Authentication Token: its deployment
 * has no such route (the methods came later). */
static bool route_missing(const lab_snapshot *s, const char *stage) {
    const cJSON *r = lab_request(s, stage, "GET", LAB_ITEMS_PATH, true);
    return json_num_or(r, "status", 0) == 403 &&
           strcmp(json_str_or(json_obj(r, "body"), "message", ""),
                  "Missing Authentication Token") == 0 &&
           lab_method(s, LAB_ITEMS_PATH, "GET");
}

/* The stage answers GET /items with 200 and a JSON list (the mock's or the
 * function's). */
static lab_status serves(const lab_snapshot *s, const char *stage, char *m, size_t n) {
    LAB_NEED(lab_need_stage(s, stage, m, n));
    if (!s->requests)
        return lab_skip(m, n, "the stages have not been called yet (or cannot be: no data plane)");
    const cJSON *r = lab_request(s, stage, "GET", LAB_ITEMS_PATH, true);
    if (!r) return lab_skip(m, n, "%s was not called", stage);
    int status = (int)json_num_or(r, "status", 0);
    const cJSON *body = cJSON_GetObjectItemCaseSensitive(r, "body");
    if (status == 200 && cJSON_IsArray(body)) return LAB_PASS;
    if (status == 0)
        return lab_fail(m, n, "%s did not answer GET /items: %s", stage,
                        json_str_or(r, "error", "no answer"));
    char *text = lab_short(body, 80);
    lab_status st = lab_fail(m, n, "%s answers GET /items with %d %s%s%s", stage, status, text,
                             route_missing(s, stage) ? ": deploy the API to " : "",
                             route_missing(s, stage) ? stage : "");
    free(text);
    return st;
}

static lab_status serves_dev(const lab_snapshot *s, char *m, size_t n) {
    return serves(s, "dev", m, n);
}
static lab_status serves_prod(const lab_snapshot *s, char *m, size_t n) {
    return serves(s, "prod", m, n);
}
static bool serves_dev_stale(const lab_snapshot *s) { return route_missing(s, "dev"); }
static bool serves_prod_stale(const lab_snapshot *s) { return route_missing(s, "prod"); }

/* --- step 11 ---------------------------------------------------------------------------------- */

static lab_status gone(const cJSON *items, const char *key, const char *name, const char *what,
                       char *m, size_t n) {
    if (!items) return lab_skip(m, n, "the account's %ss are not loaded", what);
    int count = lab_count_named(items, key, name);
    if (count == 0) return LAB_PASS;
    return lab_fail(m, n, "%s %s still exists%s", what, name, count > 1 ? " (more than one)" : "");
}

static lab_status gone_key(const lab_snapshot *s, char *m, size_t n) {
    return gone(s->api_keys, "name", LAB_KEY, "API key", m, n);
}
static lab_status gone_plan(const lab_snapshot *s, char *m, size_t n) {
    return gone(s->usage_plans, "name", LAB_PLAN, "usage plan", m, n);
}
static lab_status gone_api(const lab_snapshot *s, char *m, size_t n) {
    return gone(s->apis, "name", LAB_API_NAME, "API", m, n);
}
static lab_status gone_fn(const lab_snapshot *s, char *m, size_t n) {
    return gone(s->functions, "FunctionName", LAB_FUNCTION, "function", m, n);
}

/* --- the tables ------------------------------------------------------------------------------ */

static const lab_check step1[] = {
    {"1.connected", "the account answers (API Gateway and Lambda)", connected, NULL},
};

static const lab_check step3[] = {
    {"3.api", "an API named " LAB_API_NAME, api_exists, NULL},
    {"3.api.one", "only one API is named " LAB_API_NAME, api_alone, NULL},
    {"3.api.description", LAB_API_NAME "'s description is " LAB_API_DESCRIPTION, api_description,
     NULL},
    {"3.api.regional", LAB_API_NAME " has a Regional endpoint", api_regional, NULL},
    {"3.model.item", "model Item: an object of ID, name and price", model_item, NULL},
    {"3.model.items", "model Items: an array of Item", model_items, NULL},
    {"3.res.items", "resource /items", res_items, NULL},
    {"3.res.item", "resource /items/{ID}", res_item, NULL},
    {"3.get.items", "GET /items, first a mock answering the lab's list template", mock_items, NULL},
    {"3.get.item", "GET /items/{ID}, first a mock answering the lab's item template", mock_item,
     NULL},
    {"3.stage.dev", "stage dev", stage_dev, NULL},
    {"3.stage.prod", "stage prod", stage_prod, NULL},
    {"3.serve.dev", "dev answers GET /items with a list", serves_dev, serves_dev_stale},
    {"3.serve.prod", "prod answers GET /items with a list", serves_prod, serves_prod_stale},
};

static const lab_check step11[] = {
    {"11.key", "no API key named " LAB_KEY, gone_key, NULL},
    {"11.plan", "no usage plan named " LAB_PLAN, gone_plan, NULL},
    {"11.api", "no API named " LAB_API_NAME, gone_api, NULL},
    {"11.function", "no function named " LAB_FUNCTION, gone_fn, NULL},
};

#define TABLE(a)                                                                                   \
    { a, sizeof a / sizeof *a }
const lab_check_table lab_checks_api[LAB_STEPS + 1] = {
    [1] = TABLE(step1), [3] = TABLE(step3), [LAB_STEP_CLEANUP] = TABLE(step11)};
