#ifndef EMULATOR_APIGW_API_H
#define EMULATOR_APIGW_API_H
/* Private to src/emulator/: lookups into the API Gateway part of the STATE
 * LAYOUT (see emu.h) and the request checks the control-plane modules
 * share. Finders return the object or fail the call with the error AWS
 * sends and return NULL; checks return 0 or fail the call and return -1. */
#include <stdbool.h>

#include "emu.h"

/* The per-API object { "api", "resources", "models", "deployments",
 * "stages" } of restapis[api_id]. Missing:
 * 404 "Invalid API identifier specified <account>:<api_id>". */
cJSON *apigw_find_api(emu_call *c, const char *api_id);

/* A Resource. AWS answers a missing API here with the resource message:
 * 404 "Invalid Resource identifier specified". */
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

/* A fresh id of n lowercase letters and digits (n < 16) that is not yet a
 * key of taken (may be NULL). */
void apigw_new_id(emu_call *c, const cJSON *taken, size_t n, char *out);

/* Whether the API (per-API object) has a model of that name. */
bool apigw_model_exists(const cJSON *api, const char *name);

/* --- errors ------------------------------------------------------------- */
/* 400 BadRequestException and 404 NotFoundException with a ready message. */
int apigw_bad_request(emu_call *c, const char *msg);
int apigw_not_found(emu_call *c, const char *msg);

/* --- request checks ----------------------------------------------------- */
/* Whether s is one of the NULL-terminated set. */
bool apigw_str_in(const char *s, const char *const *set);
/* ValidationException for a value outside an enum, as the service
 * framework words it; where is e.g. "putIntegrationInput.type" and set the
 * members as AWS lists them ("HTTP, MOCK, ..."). */
int apigw_fail_enum(emu_call *c, const char *value, const char *where, const char *set);
/* ValidationException for a required member the request left out, as the
 * service framework words it: "Value null at '<input>.<member>' ...". */
int apigw_fail_null(emu_call *c, const char *input, const char *member);
/* Status codes must match [1-5]\d\d (ValidationException otherwise). */
int apigw_check_status(emu_call *c, const char *status);
/* Copy body[key] into dst[key] when present: an object whose values are
 * strings (null allowed). null_empty stores "" as null, as AWS does with
 * mapping templates. Values of other types fail as AWS's deserializer
 * does (SerializationException). */
int apigw_copy_str_map(emu_call *c, cJSON *dst, const cJSON *body, const char *key,
                       bool null_empty);
/* Same for maps of booleans (requestParameters of methods, ...). */
int apigw_copy_bool_map(emu_call *c, cJSON *dst, const cJSON *body, const char *key);

/* --- patch operations ---------------------------------------------------- */
/* When path is prefix followed by a non-empty key ("/requestTemplates/" +
 * "application~1json"), the unescaped key (malloc'd); NULL otherwise. */
char *apigw_patch_key(const char *path, const char *prefix);
/* A patch value as text: strings as they are, numbers and booleans
 * printed, NULL when absent or null. */
const char *apigw_patch_text(const cJSON *value, char buf[64]);
/* A patch value as a boolean the way AWS reads it: "true" in any case. */
bool apigw_patch_bool(const cJSON *value);
/* Text as a boolean the same way (Java's Boolean.parseBoolean); NULL is
 * false. */
bool apigw_parse_bool(const char *s);
/* add/replace/remove obj[member][key]; set takes ownership of val (NULL
 * for remove). A map left empty is removed. When missing_msg is given, a
 * replace or remove of a key that is not there fails with 404 and it. */
int apigw_patch_map(emu_call *c, cJSON *obj, const char *member, const char *op, const char *key,
                    cJSON *val, const char *missing_msg);

#endif
