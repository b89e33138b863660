/* Lookups and request checks shared by the API Gateway control-plane
 * modules. */
#include "apigw_api.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/mem.h"

cJSON *apigw_api_part(cJSON *api, const char *key) { return json_child_obj(api, key); }

cJSON *apigw_find_api(emu_call *c, const char *api_id) {
    const char *id = api_id ? api_id : "";
    cJSON *api = json_obj(emu_coll(c, "restapis"), id);
    if (!api)
        emu_fail_apigw(c, 404, "NotFoundException", "Invalid API identifier specified %s:%s",
                       c->account, id);
    return api;
}

cJSON *apigw_find_resource(emu_call *c, const char *api_id, const char *resource_id) {
    cJSON *api = json_obj(emu_coll(c, "restapis"), api_id ? api_id : "");
    cJSON *res = json_obj(json_obj(api, "resources"), resource_id ? resource_id : "");
    if (!res) emu_fail_apigw(c, 404, "NotFoundException", "Invalid Resource identifier specified");
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

void apigw_new_id(emu_call *c, const cJSON *taken, size_t n, char *out) {
    do {
        emu_id(c, n, out);
        out[n] = '\0';
    } while (taken && cJSON_GetObjectItemCaseSensitive(taken, out));
}

bool apigw_model_exists(const cJSON *api, const char *name) {
    return name && json_obj(json_obj(api, "models"), name) != NULL;
}

/* --- errors ------------------------------------------------------------- */

int apigw_bad_request(emu_call *c, const char *msg) {
    return emu_fail_apigw_msg(c, 400, "BadRequestException", msg);
}

int apigw_not_found(emu_call *c, const char *msg) {
    return emu_fail_apigw_msg(c, 404, "NotFoundException", msg);
}

/* --- request checks ----------------------------------------------------- */

bool apigw_str_in(const char *s, const char *const *set) {
    for (; s && *set; set++)
        if (strcmp(s, *set) == 0) return true;
    return false;
}

int apigw_fail_enum(emu_call *c, const char *value, const char *where, const char *set) {
    return emu_fail_apigw(c, 400, "ValidationException",
                          "1 validation error detected: Value '%s' at '%s' failed to satisfy "
                          "constraint: Member must satisfy enum value set: [%s]",
                          value, where, set);
}

int apigw_fail_null(emu_call *c, const char *input, const char *member) {
    return emu_fail_apigw(c, 400, "ValidationException",
                          "1 validation error detected: Value null at '%s.%s' failed to satisfy "
                          "constraint: Member must not be null",
                          input, member);
}

int apigw_check_status(emu_call *c, const char *status) {
    const char *s = status ? status : "";
    bool ok = strlen(s) == 3 && s[0] >= '1' && s[0] <= '5' && isdigit((unsigned char)s[1]) &&
              isdigit((unsigned char)s[2]);
    if (ok) return 0;
    return emu_fail_apigw(c, 400, "ValidationException",
                          "1 validation error detected: Value '%s' at 'statusCode' failed to "
                          "satisfy constraint: Member must satisfy regular expression pattern: "
                          "[1-5]\\d\\d",
                          s);
}

/* What AWS's deserializer says when a JSON value does not fit the member. */
static int fail_type(emu_call *c, const cJSON *v, const char *want) {
    if (cJSON_IsObject(v))
        return emu_fail_apigw(c, 400, "SerializationException",
                              "Start of structure or map found where not expected.");
    if (cJSON_IsArray(v))
        return emu_fail_apigw(c, 400, "SerializationException",
                              "Start of list found where not expected");
    const char *cls = cJSON_IsNumber(v) ? "com.amazon.coral.value.json.numbers.TruncatingBigNumber"
                      : cJSON_IsBool(v) ? "java.lang.Boolean"
                                        : "java.lang.String";
    return emu_fail_apigw(c, 400, "SerializationException",
                          "class %s can not be converted to an %s", cls, want);
}

/* body[key] when it is present and not null; fails when it is no object. */
static int map_member(emu_call *c, const cJSON *body, const char *key, const cJSON **out) {
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(body, key);
    *out = NULL;
    if (!m || cJSON_IsNull(m)) return 0;
    if (!cJSON_IsObject(m)) return fail_type(c, m, "Map");
    *out = m;
    return 0;
}

int apigw_copy_str_map(emu_call *c, cJSON *dst, const cJSON *body, const char *key,
                       bool null_empty) {
    const cJSON *m;
    if (map_member(c, body, key, &m) != 0) return -1;
    if (!m) return 0;
    cJSON *copy = cJSON_CreateObject();
    const cJSON *v;
    cJSON_ArrayForEach(v, m) {
        if (!cJSON_IsString(v) && !cJSON_IsNull(v)) {
            cJSON_Delete(copy);
            return fail_type(c, v, "String");
        }
        bool as_null = cJSON_IsNull(v) || (null_empty && !v->valuestring[0]);
        cJSON_AddItemToObject(copy, v->string,
                              as_null ? cJSON_CreateNull() : cJSON_CreateString(v->valuestring));
    }
    json_set(dst, key, copy);
    return 0;
}

int apigw_copy_bool_map(emu_call *c, cJSON *dst, const cJSON *body, const char *key) {
    const cJSON *m;
    if (map_member(c, body, key, &m) != 0) return -1;
    if (!m) return 0;
    const cJSON *v;
    cJSON_ArrayForEach(v, m) if (!cJSON_IsBool(v)) return fail_type(c, v, "Boolean");
    json_set(dst, key, cJSON_Duplicate(m, 1));
    return 0;
}

/* --- patch operations ---------------------------------------------------- */

char *apigw_patch_key(const char *path, const char *prefix) {
    size_t n = strlen(prefix);
    if (strncmp(path, prefix, n) != 0 || !path[n]) return NULL;
    return emu_pointer_unescape(path + n, strlen(path + n));
}

const char *apigw_patch_text(const cJSON *value, char buf[64]) {
    if (cJSON_IsString(value)) return value->valuestring;
    if (cJSON_IsBool(value)) return cJSON_IsTrue(value) ? "true" : "false";
    if (cJSON_IsNumber(value)) {
        snprintf(buf, 64, "%.17g", value->valuedouble);
        return buf;
    }
    return NULL;
}

bool apigw_patch_bool(const cJSON *value) {
    if (cJSON_IsBool(value)) return cJSON_IsTrue(value);
    return apigw_parse_bool(cJSON_GetStringValue(value));
}

bool apigw_parse_bool(const char *s) { return s && strcasecmp(s, "true") == 0; }

int apigw_patch_map(emu_call *c, cJSON *obj, const char *member, const char *op, const char *key,
                    cJSON *val, const char *missing_msg) {
    cJSON *map = json_obj(obj, member);
    bool present = map && cJSON_GetObjectItemCaseSensitive(map, key);
    if (missing_msg && !present && strcmp(op, "add") != 0) {
        cJSON_Delete(val);
        return emu_fail_apigw(c, 404, "NotFoundException", "%s", missing_msg);
    }
    if (strcmp(op, "remove") == 0) {
        cJSON_Delete(val);
        if (map) cJSON_DeleteItemFromObjectCaseSensitive(map, key);
    } else {
        json_set(json_child_obj(obj, member), key, val);
    }
    map = json_obj(obj, member);
    if (map && !map->child) cJSON_DeleteItemFromObjectCaseSensitive(obj, member);
    return 0;
}
