/* Changing one thing of an integration or a response by putting it again
 * whole, with everything else as the snapshot has it. Put replaces what is
 * there on API Gateway, and every endpoint that speaks the API has it
 * (moto_server has no UpdateIntegration, UpdateIntegrationResponse or
 * UpdateMethodResponse), where a patch would not be. */
#include <string.h>

#include "client/apigw.h"
#include "core/json.h"
#include "lab_int.h"

static const char *api_id(lab_run *r) { return json_str(lab_api(&r->d.s), "id"); }
static const char *res_id(lab_run *r, const char *path) {
    return json_str_or(lab_resource(&r->d.s, path), "id", "");
}

/* Put an integration response as ir has it, with params in place of its
 * responseParameters when not NULL. */
static int put_ir(lab_run *r, const char *path, const char *verb, const char *status,
                  const cJSON *ir, const cJSON *params) {
    apigw_integration_response_in in = {.selection_pattern = json_str(ir, "selectionPattern"),
                                        .content_handling = json_str(ir, "contentHandling"),
                                        .response_parameters =
                                            params ? params : json_obj(ir, "responseParameters"),
                                        .response_templates = json_obj(ir, "responseTemplates")};
    return LAB_SYNC(r, NULL, apigw_put_integration_response, api_id(r), res_id(r, path), verb,
                    status, &in);
}

int lab_reput_integration(lab_run *r, const char *path, const char *verb, const char *uri,
                          const char *json_template) {
    const cJSON *integ = json_obj(lab_method(&r->d.s, path, verb), "methodIntegration");
    cJSON *templates = cJSON_Duplicate(json_obj(integ, "requestTemplates"), 1);
    if (json_template) {
        if (!templates) templates = cJSON_CreateObject();
        json_set_str(templates, "application/json", json_template);
    }
    apigw_integration_in in = {.http_method = json_str(integ, "httpMethod"),
                               .uri = uri ? uri : json_str(integ, "uri"),
                               .connection_type = json_str(integ, "connectionType"),
                               .connection_id = json_str(integ, "connectionId"),
                               .credentials = json_str(integ, "credentials"),
                               .passthrough_behavior = json_str(integ, "passthroughBehavior"),
                               .cache_namespace = json_str(integ, "cacheNamespace"),
                               .content_handling = json_str(integ, "contentHandling"),
                               .request_parameters = json_obj(integ, "requestParameters"),
                               .request_templates = templates,
                               .cache_key_parameters = json_arr(integ, "cacheKeyParameters"),
                               .timeout_in_millis = (int)json_num_or(integ, "timeoutInMillis", 0)};
    int rc = LAB_SYNC(r, NULL, apigw_put_integration, api_id(r), res_id(r, path), verb,
                      json_str_or(integ, "type", "MOCK"), &in);
    cJSON_Delete(templates);
    /* The responses of the integration are put back as they were. */
    const cJSON *ir;
    cJSON_ArrayForEach(ir, json_obj(integ, "integrationResponses")) {
        if (rc == 0) rc = put_ir(r, path, verb, ir->string, ir, NULL);
    }
    return rc;
}

int lab_put_integration_param(lab_run *r, const char *path, const char *verb, const char *status,
                              const char *param, const char *value) {
    const cJSON *ir =
        json_obj(json_obj(json_obj(lab_method(&r->d.s, path, verb), "methodIntegration"),
                          "integrationResponses"),
                 status);
    cJSON *params = cJSON_Duplicate(json_obj(ir, "responseParameters"), 1);
    if (!params) params = cJSON_CreateObject();
    json_set_str(params, param, value);
    int rc = put_ir(r, path, verb, status, ir, params);
    cJSON_Delete(params);
    return rc;
}

int lab_put_method_param(lab_run *r, const char *path, const char *verb, const char *status,
                         const char *param) {
    const cJSON *mr =
        json_obj(json_obj(lab_method(&r->d.s, path, verb), "methodResponses"), status);
    cJSON *params = cJSON_Duplicate(json_obj(mr, "responseParameters"), 1);
    if (!params) params = cJSON_CreateObject();
    json_set_bool(params, param, false);
    apigw_method_response_in in = {.response_parameters = params,
                                   .response_models = json_obj(mr, "responseModels")};
    int rc =
        LAB_SYNC(r, NULL, apigw_put_method_response, api_id(r), res_id(r, path), verb, status, &in);
    cJSON_Delete(params);
    return rc;
}
