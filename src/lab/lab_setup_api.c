/* Step 3 done through the client: ItemsAPI, its models, /items and
 * /items/{ID} with mock GET methods, and the dev and prod stages. */
#include <stdlib.h>
#include <string.h>

#include "client/apigw.h"
#include "core/json.h"
#include "core/mem.h"
#include "lab/assets.h"
#include "lab_int.h"

/* The request template the console gives a mock integration. */
#define MOCK_REQUEST "{\"statusCode\": 200}"

static const char *api_id(lab_run *r) { return json_str(lab_api(&r->d.s), "id"); }

static int create_api(lab_run *r) {
    cJSON *out = NULL;
    apigw_rest_api_in in = {.description = LAB_API_DESCRIPTION, .endpoint_type = LAB_ENDPOINT_TYPE};
    if (LAB_SYNC(r, &out, apigw_create_rest_api, LAB_API_NAME, &in) != 0) return -1;
    lab_did(r, "created the REST API " LAB_API_NAME " (id %s), Regional",
            json_str_or(out, "id", "?"));
    cJSON_Delete(out);
    return lab_refetch(r);
}

/* Description and endpoint type as the lab has them. */
static int fix_api(lab_run *r) {
    const cJSON *api = lab_api(&r->d.s);
    apigw_patch *p = apigw_patch_new();
    bool any = false;
    if (!lab_passes(r, 3, "3.api.description")) {
        apigw_patch_replace(p, "/description", LAB_API_DESCRIPTION);
        lab_did(r, "set " LAB_API_NAME "'s description to '" LAB_API_DESCRIPTION "'");
        any = true;
    }
    if (!lab_passes(r, 3, "3.api.regional")) {
        const cJSON *types = json_arr(json_obj(api, "endpointConfiguration"), "types");
        const cJSON *t0 = cJSON_GetArrayItem(types, 0);
        const char *old = cJSON_IsString(t0) ? t0->valuestring : "EDGE";
        char *path = xasprintf("/endpointConfiguration/types/%s", old);
        apigw_patch_replace(p, path, LAB_ENDPOINT_TYPE);
        free(path);
        lab_did(r, "made " LAB_API_NAME "'s endpoint Regional (it was %s)", old);
        any = true;
    }
    if (!any) {
        apigw_patch_free(p);
        return 0;
    }
    return LAB_SYNC(r, NULL, apigw_update_rest_api, json_str(api, "id"), p);
}

static int ensure_model(lab_run *r, const char *name, const char *check, const char *schema) {
    if (lab_passes(r, 3, check)) return 0;
    const char *api = api_id(r);
    if (!lab_named(r->d.s.models, "name", name)) {
        apigw_model_in in = {.schema = schema};
        if (LAB_SYNC(r, NULL, apigw_create_model, api, name, "application/json", &in) != 0)
            return -1;
        lab_did(r, "created the model %s", name);
        return 0;
    }
    apigw_patch *p = apigw_patch_replace(apigw_patch_new(), "/schema", schema);
    if (LAB_SYNC(r, NULL, apigw_update_model, api, name, p) != 0) return -1;
    lab_did(r, "replaced the schema of the model %s", name);
    return 0;
}

static int ensure_models(lab_run *r) {
    char *items = lab_items_schema(api_id(r));
    int rc = ensure_model(r, LAB_MODEL_ITEM, "3.model.item", lab_item_schema);
    if (rc == 0) rc = ensure_model(r, LAB_MODEL_ITEMS, "3.model.items", items);
    free(items);
    return rc;
}

/* The resource at path, created under parent_path when missing; its id
 * into id (n bytes). */
static int ensure_resource(lab_run *r, const char *path, const char *parent_id, const char *part,
                           char *id, size_t n) {
    const cJSON *res = lab_resource(&r->d.s, path);
    if (res) {
        snprintf(id, n, "%s", json_str_or(res, "id", ""));
        return 0;
    }
    cJSON *out = NULL;
    if (LAB_SYNC(r, &out, apigw_create_resource, api_id(r), parent_id, part) != 0) return -1;
    snprintf(id, n, "%s", json_str_or(out, "id", ""));
    lab_did(r, "created the resource %s (id %s)", path, id);
    cJSON_Delete(out);
    return 0;
}

static int ensure_resources(lab_run *r) {
    char items[64], item[64];
    const char *root = json_str_or(lab_api(&r->d.s), "rootResourceId", "");
    if (ensure_resource(r, LAB_ITEMS_PATH, root, "items", items, sizeof items) != 0 ||
        ensure_resource(r, LAB_ITEM_PATH, items, "{ID}", item, sizeof item) != 0)
        return -1;
    return r->changes ? lab_refetch(r) : 0;
}

/* GET with a mock integration answering 200 through tmpl; an integration
 * a later step made is kept. */
static int ensure_mock(lab_run *r, const char *path, const char *tmpl) {
    const char *api = api_id(r);
    const char *res = json_str_or(lab_resource(&r->d.s, path), "id", "");
    const cJSON *get = lab_method(&r->d.s, path, "GET");
    if (!get) {
        if (LAB_SYNC(r, NULL, apigw_put_method, api, res, "GET", "NONE", NULL) != 0) return -1;
        lab_did(r, "created the method GET %s", path);
    }
    const cJSON *integ = json_obj(get, "methodIntegration");
    if (!integ) {
        cJSON *req = cJSON_CreateObject();
        json_set_str(req, "application/json", MOCK_REQUEST);
        apigw_integration_in in = {.request_templates = req,
                                   .passthrough_behavior = "WHEN_NO_MATCH"};
        int rc = LAB_SYNC(r, NULL, apigw_put_integration, api, res, "GET", "MOCK", &in);
        cJSON_Delete(req);
        if (rc != 0) return -1;
        lab_did(r, "gave GET %s a mock integration", path);
    }
    if (!json_obj(json_obj(get, "methodResponses"), "200")) {
        cJSON *models = cJSON_CreateObject();
        json_set_str(models, "application/json", "Empty");
        apigw_method_response_in in = {.response_models = models};
        int rc = LAB_SYNC(r, NULL, apigw_put_method_response, api, res, "GET", "200", &in);
        cJSON_Delete(models);
        if (rc != 0) return -1;
        lab_did(r, "added the 200 method response of GET %s", path);
    }
    bool mock = !integ || strcmp(json_str_or(integ, "type", ""), "MOCK") == 0;
    const char *have = json_str(
        json_obj(json_obj(json_obj(integ, "integrationResponses"), "200"), "responseTemplates"),
        "application/json");
    if (mock && !lab_same_template(have, tmpl)) {
        cJSON *t = cJSON_CreateObject();
        json_set_str(t, "application/json", tmpl);
        apigw_integration_response_in in = {.response_templates = t};
        int rc = LAB_SYNC(r, NULL, apigw_put_integration_response, api, res, "GET", "200", &in);
        cJSON_Delete(t);
        if (rc != 0) return -1;
        lab_did(r, "set the mapping template of GET %s's 200 integration response", path);
    }
    return 0;
}

int lab_setup_api(lab_run *r) {
    if (!lab_api(&r->d.s) && create_api(r) != 0) return -1;
    if (fix_api(r) != 0 || ensure_models(r) != 0 || ensure_resources(r) != 0) return -1;
    int before = r->changes;
    if (ensure_mock(r, LAB_ITEMS_PATH, lab_items_template) != 0 ||
        ensure_mock(r, LAB_ITEM_PATH, lab_item_template) != 0)
        return -1;
    r->api_changed = r->changes > before;
    if (r->api_changed && lab_refetch(r) != 0) return -1;
    /* New stages serve what is there now; existing ones are redeployed
     * when the methods changed. */
    bool had_dev = lab_stage(&r->d.s, "dev"), had_prod = lab_stage(&r->d.s, "prod");
    if (!had_dev && lab_deploy(r, "dev", LAB_DEPLOY_DESCRIPTION) != 0) return -1;
    if (!had_prod && lab_deploy(r, "prod", NULL) != 0) return -1;
    if (!had_dev || !had_prod) {
        if (lab_refetch(r) != 0) return -1;
        if (!had_dev && !had_prod) r->api_changed = false;
    }
    if (had_dev != had_prod && r->api_changed) {
        /* Only the older stage needs the new methods. */
        r->api_changed = false;
        if (lab_deploy(r, had_dev ? "dev" : "prod", NULL) != 0) return -1;
    }
    return lab_finish_deploy(r, 3);
}
