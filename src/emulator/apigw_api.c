/* Lookups into the API Gateway state shared by the control-plane modules. */
#include "apigw_api.h"

cJSON *apigw_api_part(cJSON *api, const char *key) { return json_child_obj(api, key); }

cJSON *apigw_find_api(emu_call *c, const char *api_id) {
    cJSON *api = json_obj(emu_coll(c, "restapis"), api_id ? api_id : "");
    if (!api)
        emu_fail_apigw(c, 404, "NotFoundException", "Invalid API identifier specified %s:%s",
                       c->account, api_id ? api_id : "");
    return api;
}

cJSON *apigw_find_resource(emu_call *c, const char *api_id, const char *resource_id) {
    cJSON *api = apigw_find_api(c, api_id);
    if (!api) return NULL;
    cJSON *res = json_obj(json_obj(api, "resources"), resource_id ? resource_id : "");
    if (!res)
        emu_fail_apigw(c, 404, "NotFoundException", "Invalid Resource identifier specified");
    return res;
}

cJSON *apigw_find_method(emu_call *c, const char *api_id, const char *resource_id,
                         const char *verb) {
    cJSON *res = apigw_find_resource(c, api_id, resource_id);
    if (!res) return NULL;
    cJSON *m = json_obj(json_obj(res, "resourceMethods"), verb ? verb : "");
    if (!m) emu_fail_apigw(c, 404, "NotFoundException", "Invalid Method identifier specified");
    return m;
}

cJSON *apigw_find_integration(emu_call *c, const char *api_id, const char *resource_id,
                              const char *verb) {
    cJSON *m = apigw_find_method(c, api_id, resource_id, verb);
    if (!m) return NULL;
    cJSON *integ = json_obj(m, "methodIntegration");
    if (!integ)
        emu_fail_apigw(c, 404, "NotFoundException", "Invalid Integration identifier specified");
    return integ;
}
