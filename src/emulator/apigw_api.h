#ifndef EMULATOR_APIGW_API_H
#define EMULATOR_APIGW_API_H
/* Private to src/emulator/: lookups into the API Gateway part of the
 * STATE LAYOUT (see emu.h) shared by the control-plane modules. Each finder
 * either returns the object or fails the call with the NotFoundException
 * AWS sends and returns NULL. */
#include "emu.h"

/* The per-API object { "api", "resources", "models", "deployments",
 * "stages" } of restapis[api_id]. Missing:
 * 404 "Invalid API identifier specified <account>:<api_id>". */
cJSON *apigw_find_api(emu_call *c, const char *api_id);

/* restapis[api_id]["resources"][resource_id] (a Resource). Missing API as
 * above; missing resource: 404 "Invalid Resource identifier specified". */
cJSON *apigw_find_resource(emu_call *c, const char *api_id, const char *resource_id);

/* The Method for verb on a resource. Missing:
 * 404 "Invalid Method identifier specified". */
cJSON *apigw_find_method(emu_call *c, const char *api_id, const char *resource_id,
                         const char *verb);

/* The Integration of a method. Missing:
 * 404 "Invalid Integration identifier specified". */
cJSON *apigw_find_integration(emu_call *c, const char *api_id, const char *resource_id,
                              const char *verb);

/* The child object named key of the per-API object, created when absent. */
cJSON *apigw_api_part(cJSON *api, const char *key);

#endif
