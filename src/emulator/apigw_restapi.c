/* API Gateway REST APIs and models: CreateRestApi, GetRestApis, GetRestApi,
 * UpdateRestApi, DeleteRestApi, CreateModel, GetModels, GetModel,
 * UpdateModel, DeleteModel, GetModelTemplate.
 *
 * Messages come from AWS's responses as recorded by public parity suites;
 * the few marked "best guess" could not be confirmed. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apigw_api.h"
#include "core/buf.h"
#include "core/mem.h"
#include "emu.h"

#define API_ID_LEN 10
#define MODEL_ID_LEN 6
#define RES_ID_LEN 6
#define MAX_COMPRESSION 10485760

/* The default models every new API gets, with AWS's exact schema text. */
static const char EMPTY_SCHEMA[] =
    "{\n  \"$schema\": \"http://json-schema.org/draft-04/schema#\",\n"
    "  \"title\" : \"Empty Schema\",\n  \"type\" : \"object\"\n}";
static const char ERROR_SCHEMA[] =
    "{\n  \"$schema\" : \"http://json-schema.org/draft-04/schema#\",\n"
    "  \"title\" : \"Error Schema\",\n  \"type\" : \"object\",\n  \"properties\" : {\n"
    "    \"message\" : { \"type\" : \"string\" }\n  }\n}";

static const char *const ENDPOINT_TYPES[] = {"PRIVATE", "EDGE", "REGIONAL", NULL};
static const char *const IP_TYPES[] = {"ipv4", "dualstack", NULL};
static const char *const KEY_SOURCES[] = {"HEADER", "AUTHORIZER", NULL};
static const char *const LIST_OPS[] = {"add", "remove", "replace", NULL};

/* --- CreateRestApi ------------------------------------------------------- */

/* The service framework's enum checks on endpointConfiguration; AWS
 * reports both members in one message when both are wrong. */
static int check_endpoint_enums(emu_call *c, const cJSON *ec) {
    buf why = BUF_INIT;
    int n = 0;
    const cJSON *types = cJSON_GetObjectItemCaseSensitive(ec, "types"), *t;
    bool bad = false;
    cJSON_ArrayForEach(t, types) bad |=
        !cJSON_IsString(t) || !apigw_str_in(t->valuestring, ENDPOINT_TYPES);
    if (bad) {
        buf_puts(&why, "Value '[");
        cJSON_ArrayForEach(t, types) {
            buf_puts(&why, cJSON_IsString(t) ? t->valuestring : "?");
            if (t->next) buf_puts(&why, ", ");
        }
        buf_puts(&why, "]' at 'createRestApiInput.endpointConfiguration.types' failed to satisfy "
                       "constraint: Member must satisfy constraint: [Member must satisfy enum "
                       "value set: [PRIVATE, EDGE, REGIONAL]]");
        n++;
    }
    const char *ip = json_str(ec, "ipAddressType");
    if (ip && !apigw_str_in(ip, IP_TYPES)) {
        if (n) buf_puts(&why, "; ");
        buf_printf(&why,
                   "Value '%s' at 'createRestApiInput.endpointConfiguration.ipAddressType' "
                   "failed to satisfy constraint: Member must satisfy enum value set: "
                   "[ipv4, dualstack]",
                   ip);
        n++;
    }
    int rc = 0;
    if (n)
        rc = emu_fail_apigw(c, 400, "ValidationException", "%d validation error%s detected: %s", n,
                            n > 1 ? "s" : "", why.data);
    buf_free(&why);
    return rc;
}

/* endpointConfiguration as AWS stores it: one type (EDGE unless given) and
 * an ipAddressType (dualstack for private APIs, ipv4 otherwise). */
static cJSON *endpoint_config(emu_call *c, const cJSON *ec) {
    const cJSON *types = cJSON_GetObjectItemCaseSensitive(ec, "types");
    const char *type = "EDGE";
    if (cJSON_IsArray(types)) {
        int n = cJSON_GetArraySize(types);
        if (n == 0) {
            emu_fail_apigw(
                c, 400, "BadRequestException",
                "REGIONAL Configuration and EDGE Configuration cannot be both DISABLED.");
            return NULL;
        }
        if (n > 1) {
            emu_fail_apigw(c, 400, "BadRequestException",
                           "Cannot create an api with multiple Endpoint Types.");
            return NULL;
        }
        type = cJSON_GetArrayItem(types, 0)->valuestring;
    }
    bool private = strcmp(type, "PRIVATE") == 0;
    const char *ip = json_str_or(ec, "ipAddressType", private ? "dualstack" : "ipv4");
    if (private && strcmp(ip, "ipv4") == 0) {
        emu_fail_apigw(c, 400, "BadRequestException",
                       "Only dualstack ipAddressType is supported for Private APIs.");
        return NULL;
    }
    cJSON *out = cJSON_CreateObject();
    json_set_str(out, "ipAddressType", ip);
    cJSON *arr = cJSON_AddArrayToObject(out, "types");
    cJSON_AddItemToArray(arr, cJSON_CreateString(type));
    const cJSON *vpce = cJSON_GetObjectItemCaseSensitive(ec, "vpcEndpointIds");
    if (cJSON_IsArray(vpce) && cJSON_GetArraySize(vpce) > 0)
        json_set(out, "vpcEndpointIds", cJSON_Duplicate(vpce, 1));
    return out;
}

/* Checks of the request that come before anything is created, in the order
 * AWS applies them: the framework's shape checks, then the service's. */
static int check_create_api(emu_call *c) {
    const cJSON *b = c->body;
    const char *name = json_str(b, "name");
    if (!name) return apigw_fail_null(c, "createRestApiInput", "name");
    const char *src = json_str(b, "apiKeySource");
    if (src && !apigw_str_in(src, KEY_SOURCES))
        return apigw_fail_enum(c, src, "createRestApiInput.apiKeySource", "HEADER, AUTHORIZER");
    const cJSON *ec = json_obj(b, "endpointConfiguration");
    if (ec && check_endpoint_enums(c, ec) != 0) return -1;
    /* best guess: worded like the description check below */
    if (!name[0])
        return emu_fail_apigw(c, 400, "BadRequestException", "Name cannot be an empty string");
    const char *desc = json_str(b, "description");
    if (desc && !desc[0])
        return emu_fail_apigw(c, 400, "BadRequestException",
                              "Description cannot be an empty string");
    const cJSON *mcs = cJSON_GetObjectItemCaseSensitive(b, "minimumCompressionSize");
    if (mcs && !cJSON_IsNull(mcs) &&
        (!cJSON_IsNumber(mcs) || mcs->valuedouble < 0 || mcs->valuedouble > MAX_COMPRESSION))
        return emu_fail_apigw(c, 400, "BadRequestException",
                              "Invalid minimum compression size, must be between 0 and 10485760");
    return 0;
}

/* Copy member key of the request into the API when it is a non-empty
 * string, list or map (AWS leaves empty ones out). */
static void copy_if_set(cJSON *api, const cJSON *body, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, key);
    bool set = (cJSON_IsString(v) && v->valuestring[0]) ||
               ((cJSON_IsArray(v) || cJSON_IsObject(v)) && v->child) || cJSON_IsNumber(v);
    if (set) json_set(api, key, cJSON_Duplicate(v, 1));
}

static cJSON *new_model(emu_call *c, cJSON *models, const char *name, const char *ctype,
                        const char *schema, const char *desc) {
    char id[16];
    apigw_new_id(c, NULL, MODEL_ID_LEN, id);
    cJSON *m = cJSON_CreateObject();
    json_set_str(m, "id", id);
    json_set_str(m, "name", name);
    if (desc && desc[0]) json_set_str(m, "description", desc);
    json_set_str(m, "schema", schema);
    json_set_str(m, "contentType", ctype);
    cJSON_AddItemToObject(models, name, m);
    return m;
}

/* cloneFrom: the source's models and resources under fresh ids, parents
 * and cache namespaces remapped to the copies. */
static void clone_api(emu_call *c, cJSON *dst, const cJSON *src, const char *root_id) {
    cJSON *models = json_child_obj(dst, "models");
    const cJSON *m;
    cJSON_ArrayForEach(m, json_obj(src, "models"))
        new_model(c, models, m->string, json_str_or(m, "contentType", ""),
                  json_str_or(m, "schema", ""), json_str(m, "description"));
    const cJSON *sres = json_obj(src, "resources");
    cJSON *ids = cJSON_CreateObject(); /* old id -> new id */
    cJSON *dres = json_child_obj(dst, "resources");
    const cJSON *r;
    cJSON_ArrayForEach(r, sres) {
        char id[16];
        if (!json_str(r, "parentId"))
            snprintf(id, sizeof id, "%s", root_id);
        else
            apigw_new_id(c, dres, RES_ID_LEN, id);
        json_set_str(ids, r->string, id);
        cJSON *placeholder = cJSON_CreateObject();
        cJSON_AddItemToObject(dres, id, placeholder);
    }
    cJSON_ArrayForEach(r, sres) {
        const char *id = json_str(ids, r->string);
        cJSON *copy = cJSON_Duplicate(r, 1);
        json_set_str(copy, "id", id);
        const char *parent = json_str(r, "parentId");
        if (parent) json_set_str(copy, "parentId", json_str_or(ids, parent, parent));
        cJSON *verb;
        cJSON_ArrayForEach(verb, json_obj(copy, "resourceMethods")) {
            cJSON *integ = json_obj(verb, "methodIntegration");
            const char *ns = json_str(integ, "cacheNamespace");
            if (ns && strcmp(ns, r->string) == 0) json_set_str(integ, "cacheNamespace", id);
        }
        json_set(dres, id, copy);
    }
    cJSON_Delete(ids);
}

static int create_rest_api(emu_call *c) {
    if (check_create_api(c) != 0) return -1;
    const cJSON *b = c->body;
    const char *clone_from = json_str(b, "cloneFrom");
    cJSON *src = NULL;
    if (clone_from && !(src = apigw_find_api(c, clone_from))) return -1;
    const cJSON *ec_in = json_obj(b, "endpointConfiguration");
    cJSON *ec = endpoint_config(c, ec_in);
    if (!ec) return -1;

    cJSON *apis = emu_coll(c, "restapis");
    char id[16], root[16];
    apigw_new_id(c, apis, API_ID_LEN, id);
    apigw_new_id(c, NULL, API_ID_LEN, root); /* a root resource id is as long as an API id */

    cJSON *api = cJSON_CreateObject();
    json_set_str(api, "id", id);
    json_set_str(api, "name", json_str(b, "name"));
    copy_if_set(api, b, "description");
    json_set_num(api, "createdDate", emu_now_s(c));
    copy_if_set(api, b, "version");
    copy_if_set(api, b, "binaryMediaTypes");
    copy_if_set(api, b, "minimumCompressionSize");
    json_set_str(api, "apiKeySource", json_str_or(b, "apiKeySource", "HEADER"));
    json_set(api, "endpointConfiguration", ec);
    copy_if_set(api, b, "policy");
    copy_if_set(api, b, "tags");
    json_set_bool(api, "disableExecuteApiEndpoint",
                  json_bool_or(b, "disableExecuteApiEndpoint", false));
    json_set_str(api, "rootResourceId", root);

    cJSON *entry = cJSON_CreateObject();
    cJSON_AddItemToObject(entry, "api", api);
    if (src) {
        clone_api(c, entry, src, root);
    } else {
        cJSON *res = cJSON_CreateObject();
        json_set_str(res, "id", root);
        json_set_str(res, "path", "/");
        cJSON_AddItemToObject(json_child_obj(entry, "resources"), root, res);
        cJSON *models = json_child_obj(entry, "models");
        new_model(c, models, "Empty", "application/json", EMPTY_SCHEMA,
                  "This is a default empty schema model");
        new_model(c, models, "Error", "application/json", ERROR_SCHEMA,
                  "This is a default error schema model");
    }
    json_child_obj(entry, "deployments");
    json_child_obj(entry, "stages");
    cJSON_AddItemToObject(apis, id, entry);
    return emu_reply(c, 0, cJSON_Duplicate(api, 1));
}

/* --- Get / Update / Delete RestApi --------------------------------------- */

static int get_rest_apis(emu_call *c) {
    cJSON *items = cJSON_CreateArray();
    const cJSON *e;
    cJSON_ArrayForEach(e, emu_coll(c, "restapis")) {
        const cJSON *api = json_obj(e, "api");
        if (api) cJSON_AddItemToArray(items, cJSON_Duplicate(api, 1));
    }
    return emu_reply_apigw_page(c, items);
}

static int get_rest_api(emu_call *c) {
    cJSON *e = apigw_find_api(c, c->param[0]);
    if (!e) return -1;
    return emu_reply(c, 0, cJSON_Duplicate(json_obj(e, "api"), 1));
}

static int fail_replace_only(emu_call *c) {
    return emu_fail_apigw(c, 400, "BadRequestException",
                          "Invalid patch operation specified. Must be one of: [replace]");
}

static int patch_compression(emu_call *c, cJSON *api, const char *op, const cJSON *value) {
    if (strcmp(op, "replace") != 0) return fail_replace_only(c);
    char nb[64];
    const char *t = apigw_patch_text(value, nb);
    if (!t || !t[0]) { /* null, absent or "": compression off */
        cJSON_DeleteItemFromObjectCaseSensitive(api, "minimumCompressionSize");
        return 0;
    }
    long v;
    if (!emu_parse_long(t, &v) || v < 0 || v > MAX_COMPRESSION)
        return emu_fail_apigw(c, 400, "BadRequestException",
                              "Invalid minimum compression size, must be between 0 and 10485760");
    json_set_num(api, "minimumCompressionSize", (double)v);
    return 0;
}

/* /binaryMediaTypes/{type}: the list is edited like a map keyed by type;
 * a replace removes the old type and appends the new one. */
static int patch_media_type(emu_call *c, cJSON *api, const char *op, const char *path,
                            const cJSON *value) {
    char *type = apigw_patch_key(path, "/binaryMediaTypes/");
    if (!type) return emu_fail_apigw(c, 400, "BadRequestException", "Invalid patch path %s", path);
    cJSON *list = json_arr(api, "binaryMediaTypes");
    int idx = -1, i = 0;
    const cJSON *t;
    cJSON_ArrayForEach(t, list) {
        if (cJSON_IsString(t) && strcmp(t->valuestring, type) == 0) idx = i;
        i++;
    }
    int rc = 0;
    if (strcmp(op, "add") == 0) {
        if (idx < 0) {
            if (!list) list = cJSON_AddArrayToObject(api, "binaryMediaTypes");
            cJSON_AddItemToArray(list, cJSON_CreateString(type));
        }
    } else if (strcmp(op, "remove") == 0 || strcmp(op, "replace") == 0) {
        if (idx >= 0) cJSON_DeleteItemFromArray(list, idx);
        if (strcmp(op, "replace") == 0 && cJSON_IsString(value)) {
            if (!list) list = cJSON_AddArrayToObject(api, "binaryMediaTypes");
            cJSON_AddItemToArray(list, cJSON_CreateString(value->valuestring));
        }
    } else {
        rc = emu_patch_invalid(c, op, path);
    }
    free(type);
    list = json_arr(api, "binaryMediaTypes");
    if (list && !list->child) cJSON_DeleteItemFromObjectCaseSensitive(api, "binaryMediaTypes");
    return rc;
}

static int patch_endpoint(emu_call *c, cJSON *api, const char *op, const char *path,
                          const cJSON *value) {
    cJSON *ec = json_child_obj(api, "endpointConfiguration");
    cJSON *types = json_arr(ec, "types");
    const char *cur = cJSON_IsString(cJSON_GetArrayItem(types, 0))
                          ? cJSON_GetArrayItem(types, 0)->valuestring
                          : "EDGE";
    const char *v = cJSON_IsString(value) ? value->valuestring : "";
    if (strcmp(path, "/endpointConfiguration/ipAddressType") == 0) {
        if (strcmp(op, "replace") != 0) return fail_replace_only(c);
        if (!apigw_str_in(v, IP_TYPES))
            return emu_fail_apigw(c, 400, "BadRequestException",
                                  "ipAddressType must be either ipv4 or dualstack.");
        if (strcmp(cur, "PRIVATE") == 0 && strcmp(v, "ipv4") == 0)
            return emu_fail_apigw(c, 400, "BadRequestException",
                                  "Only dualstack ipAddressType is supported for Private APIs.");
        json_set_str(ec, "ipAddressType", v);
        return 0;
    }
    if (strncmp(path, "/endpointConfiguration/types/", 29) != 0)
        return emu_patch_invalid(c, op, path);
    if (!apigw_str_in(op, LIST_OPS))
        return emu_fail_apigw(
            c, 400, "BadRequestException",
            "Invalid patch operation specified. Must be 'add'|'remove'|'replace'");
    if (strcmp(op, "replace") != 0) return emu_patch_invalid(c, op, path);
    if (!apigw_str_in(v, ENDPOINT_TYPES))
        return emu_fail_apigw(
            c, 400, "BadRequestException",
            "Invalid EndpointTypes specified. Valid options are REGIONAL,EDGE,PRIVATE");
    cJSON *arr = cJSON_CreateArray();
    cJSON_AddItemToArray(arr, cJSON_CreateString(v));
    json_set(ec, "types", arr);
    /* private APIs are dual-stack only */
    if (strcmp(v, "PRIVATE") == 0) json_set_str(ec, "ipAddressType", "dualstack");
    return 0;
}

/* One patch operation on a RestApi. */
static int patch_api(emu_call *c, cJSON *api, const char *op, const char *path, const cJSON *value,
                     void *ud) {
    (void)ud;
    bool replace = strcmp(op, "replace") == 0;
    char nb[64];
    const char *text = apigw_patch_text(value, nb);
    if (strcmp(path, "/name") == 0 && replace) {
        if (!text || !text[0]) /* best guess, as CreateRestApi words it */
            return emu_fail_apigw(c, 400, "BadRequestException", "Name cannot be an empty string");
        json_set_str(api, "name", text);
        return 0;
    }
    if (strcmp(path, "/description") == 0 || strcmp(path, "/version") == 0 ||
        strcmp(path, "/policy") == 0) {
        if (!replace && strcmp(op, "remove") != 0) return emu_patch_invalid(c, op, path);
        if (replace && text && text[0])
            json_set_str(api, path + 1, text);
        else
            cJSON_DeleteItemFromObjectCaseSensitive(api, path + 1);
        return 0;
    }
    if (strcmp(path, "/apiKeySource") == 0 && replace) {
        if (!apigw_str_in(text, KEY_SOURCES)) /* best guess */
            return emu_fail_apigw(
                c, 400, "BadRequestException",
                "Invalid API Key source specified. Valid options are HEADER,AUTHORIZER");
        json_set_str(api, "apiKeySource", text);
        return 0;
    }
    if (strcmp(path, "/disableExecuteApiEndpoint") == 0 && replace) {
        json_set_bool(api, "disableExecuteApiEndpoint", apigw_patch_bool(value));
        return 0;
    }
    if (strcmp(path, "/minimumCompressionSize") == 0) return patch_compression(c, api, op, value);
    if (strncmp(path, "/binaryMediaTypes", 17) == 0)
        return patch_media_type(c, api, op, path, value);
    if (strncmp(path, "/endpointConfiguration/", 23) == 0)
        return patch_endpoint(c, api, op, path, value);
    return emu_patch_invalid(c, op, path);
}

static int update_rest_api(emu_call *c) {
    cJSON *e = apigw_find_api(c, c->param[0]);
    if (!e) return -1;
    cJSON *api = json_obj(e, "api");
    if (emu_patch_each(c, api, patch_api, NULL) != 0) return -1;
    cJSON *out = cJSON_Duplicate(api, 1);
    /* AWS answers an update with the tags map even when it is empty */
    if (!json_obj(out, "tags")) cJSON_AddItemToObject(out, "tags", cJSON_CreateObject());
    return emu_reply(c, 0, out);
}

/* A deleted API leaves the usage plans it was attached to. */
static void detach_usage_plans(emu_call *c, const char *api_id) {
    cJSON *plan;
    cJSON_ArrayForEach(plan, emu_coll(c, "usageplans")) {
        cJSON *stages = json_arr(plan, "apiStages");
        for (int i = cJSON_GetArraySize(stages) - 1; i >= 0; i--) {
            const char *id = json_str(cJSON_GetArrayItem(stages, i), "apiId");
            if (id && strcmp(id, api_id) == 0) cJSON_DeleteItemFromArray(stages, i);
        }
    }
}

static int delete_rest_api(emu_call *c) {
    if (!apigw_find_api(c, c->param[0])) return -1;
    cJSON_DeleteItemFromObjectCaseSensitive(emu_coll(c, "restapis"), c->param[0]);
    detach_usage_plans(c, c->param[0]);
    return emu_reply(c, 0, NULL);
}

/* --- models ---------------------------------------------------------------- */

static int fail_schema(emu_call *c) {
    return emu_fail_apigw(c, 400, "BadRequestException",
                          "Model schema must have at least 1 property or array items defined");
}

static bool alnum_only(const char *s) {
    for (; *s; s++)
        if (!isalnum((unsigned char)*s)) return false;
    return true;
}

static int create_model(emu_call *c) {
    const cJSON *b = c->body;
    const char *name = json_str(b, "name"), *ctype = json_str(b, "contentType");
    if (!name) return apigw_fail_null(c, "createModelInput", "name");
    if (!ctype) return apigw_fail_null(c, "createModelInput", "contentType");
    cJSON *e = apigw_find_api(c, c->param[0]);
    if (!e) return -1;
    if (!name[0])
        return emu_fail_apigw(c, 400, "BadRequestException", "Model name must be non-empty");
    if (!alnum_only(name))
        return emu_fail_apigw(c, 400, "BadRequestException", "Model name must be alphanumeric: %s",
                              name);
    cJSON *models = apigw_api_part(e, "models");
    if (json_obj(models, name))
        return emu_fail_apigw(c, 409, "ConflictException",
                              "Model name already exists for this REST API");
    const char *schema = json_str(b, "schema");
    if (!schema || !schema[0]) return fail_schema(c);
    cJSON *m = new_model(c, models, name, ctype, schema, json_str(b, "description"));
    return emu_reply(c, 0, cJSON_Duplicate(m, 1));
}

static int get_models(emu_call *c) {
    cJSON *e = apigw_find_api(c, c->param[0]);
    if (!e) return -1;
    cJSON *items = cJSON_CreateArray();
    const cJSON *m;
    cJSON_ArrayForEach(m, json_obj(e, "models")) cJSON_AddItemToArray(items, cJSON_Duplicate(m, 1));
    return emu_reply_apigw_page(c, items);
}

/* A model by name; AWS reports a missing API the same way as a missing
 * model. */
static cJSON *find_model(emu_call *c) {
    const char *name = c->param[1] ? c->param[1] : "";
    cJSON *e = json_obj(emu_coll(c, "restapis"), c->param[0] ? c->param[0] : "");
    cJSON *m = json_obj(json_obj(e, "models"), name);
    if (!m) emu_fail_apigw(c, 404, "NotFoundException", "Invalid model name specified: %s", name);
    return m;
}

static int get_model(emu_call *c) {
    cJSON *m = find_model(c);
    return m ? emu_reply(c, 0, cJSON_Duplicate(m, 1)) : -1;
}

static int patch_model(emu_call *c, cJSON *m, const char *op, const char *path, const cJSON *value,
                       void *ud) {
    (void)ud;
    if (strcmp(op, "replace") != 0) return emu_patch_invalid(c, op, path);
    bool schema = strcmp(path, "/schema") == 0;
    if (!schema && strcmp(path, "/description") != 0)
        return emu_fail_apigw(c, 400, "BadRequestException",
                              "Invalid patch path  '%s' specified for op 'replace'. Must be one "
                              "of: [/description, /schema]",
                              path);
    const char *v = cJSON_IsString(value) ? value->valuestring : "";
    if (schema && !v[0]) return fail_schema(c);
    if (v[0])
        json_set_str(m, path + 1, v);
    else
        cJSON_DeleteItemFromObjectCaseSensitive(m, "description");
    return 0;
}

static int update_model(emu_call *c) {
    cJSON *m = find_model(c);
    if (!m || emu_patch_each(c, m, patch_model, NULL) != 0) return -1;
    return emu_reply(c, 0, cJSON_Duplicate(m, 1));
}

/* A model a method request still uses cannot go. */
static int check_model_unused(emu_call *c, const cJSON *e, const char *name) {
    const cJSON *r, *m, *ref;
    cJSON_ArrayForEach(r, json_obj(e, "resources")) {
        cJSON_ArrayForEach(m, json_obj(r, "resourceMethods")) {
            cJSON_ArrayForEach(ref, json_obj(m, "requestModels")) {
                if (cJSON_IsString(ref) && strcmp(ref->valuestring, name) == 0)
                    return emu_fail_apigw(c, 409, "ConflictException",
                                          "Cannot delete model '%s', is referenced in method "
                                          "request: %s/%s",
                                          name, json_str_or(r, "path", ""), m->string);
            }
        }
    }
    return 0;
}

static int delete_model(emu_call *c) {
    if (!find_model(c)) return -1;
    cJSON *e = json_obj(emu_coll(c, "restapis"), c->param[0]);
    if (check_model_unused(c, e, c->param[1]) != 0) return -1;
    cJSON_DeleteItemFromObjectCaseSensitive(json_obj(e, "models"), c->param[1]);
    return emu_reply(c, 0, NULL);
}

/* --- GetModelTemplate -------------------------------------------------------- */

/* One "name" : value line per property; strings are quoted. */
static void template_props(buf *t, const cJSON *props, const char *var, const char *indent) {
    const cJSON *p;
    cJSON_ArrayForEach(p, props) {
        const char *type = json_str_or(p, "type", "string");
        bool quote = strcmp(type, "string") == 0;
        buf_printf(t, "%s\"%s\" : %s$%s.%s%s%s\n", indent, p->string, quote ? "\"" : "", var,
                   p->string, quote ? "\"" : "", p->next ? "," : "");
    }
}

/* The mapping template the console offers for a JSON schema: objects list
 * their properties, arrays loop over their items (best guess at AWS's
 * layout beyond the documented empty case). */
static char *model_template(const cJSON *schema) {
    buf t = BUF_INIT;
    buf_puts(&t, "#set($inputRoot = $input.path('$'))\n");
    const char *type = json_str_or(schema, "type", "object");
    const cJSON *items = json_obj(schema, "items");
    if (strcmp(type, "array") == 0 && json_obj(items, "properties")) {
        buf_puts(&t, "[\n#foreach($elem in $inputRoot)\n  {\n");
        template_props(&t, json_obj(items, "properties"), "elem", "    ");
        buf_puts(&t, "  }#if($foreach.hasNext),#end\n\n#end\n]");
    } else if (json_obj(schema, "properties") && json_obj(schema, "properties")->child) {
        buf_puts(&t, "{\n");
        template_props(&t, json_obj(schema, "properties"), "inputRoot", "  ");
        buf_puts(&t, "}");
    } else {
        buf_puts(&t, "{ }");
    }
    return buf_steal(&t);
}

static int get_model_template(emu_call *c) {
    cJSON *m = find_model(c);
    if (!m) return -1;
    const char *s = json_str_or(m, "schema", "");
    cJSON *schema = cJSON_Parse(s);
    char *text = model_template(schema);
    cJSON_Delete(schema);
    cJSON *out = cJSON_CreateObject();
    json_set_str(out, "value", text);
    free(text);
    return emu_reply(c, 0, out);
}

const emu_route apigw_restapi_routes[] = {
    {APIGW_CreateRestApi, create_rest_api},
    {APIGW_GetRestApis, get_rest_apis},
    {APIGW_GetRestApi, get_rest_api},
    {APIGW_UpdateRestApi, update_rest_api},
    {APIGW_DeleteRestApi, delete_rest_api},
    {APIGW_CreateModel, create_model},
    {APIGW_GetModels, get_models},
    {APIGW_GetModel, get_model},
    {APIGW_UpdateModel, update_model},
    {APIGW_DeleteModel, delete_model},
    {APIGW_GetModelTemplate, get_model_template},
    {OP__COUNT, NULL},
};
