#ifndef CORE_JSON_H
#define CORE_JSON_H
/* Small helpers over cJSON for the access patterns the project repeats. */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

/* Parse exactly len bytes; on failure fill e (status 400, given code) with
 * the byte offset of the problem. */
cJSON *json_parse(const char *s, size_t len, err *e);

/* Member lookups that tolerate NULL objects and wrong types. */
const char *json_str(const cJSON *obj, const char *key);      /* NULL unless a string */
const char *json_str_or(const cJSON *obj, const char *key, const char *dflt);
bool json_has(const cJSON *obj, const char *key);
double json_num_or(const cJSON *obj, const char *key, double dflt);
bool json_bool_or(const cJSON *obj, const char *key, bool dflt);
cJSON *json_obj(const cJSON *obj, const char *key); /* NULL unless an object */
cJSON *json_arr(const cJSON *obj, const char *key); /* NULL unless an array */
/* The first item of items whose string member is value (a missing member
 * counts as ""), or NULL; value NULL finds nothing. */
const cJSON *json_find(const cJSON *items, const char *member, const char *value);

/* Get the child object named key, creating an empty one if absent. */
cJSON *json_child_obj(cJSON *obj, const char *key);
/* Set (replace or add) obj[key] = value, taking ownership of value. */
void json_set(cJSON *obj, const char *key, cJSON *value);
void json_set_str(cJSON *obj, const char *key, const char *value);
void json_set_num(cJSON *obj, const char *key, double value);
void json_set_bool(cJSON *obj, const char *key, bool value);

/* Compact text of v (malloc'd). */
char *json_print(const cJSON *v);
/* Pretty text with two-space indentation, as the console shows bodies. */
char *json_pretty(const cJSON *v);

#endif
