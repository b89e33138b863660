/* API Gateway gateway responses: GetGatewayResponses, GetGatewayResponse,
 * PutGatewayResponse, UpdateGatewayResponse and DeleteGatewayResponse.
 *
 * An API holds only the types it customized; every other type reads as
 * AWS's default for it (defaultResponse true), or as the API's DEFAULT_4XX
 * or DEFAULT_5XX customization when the type falls back on one. A stored
 * customization keeps statusCode only when it was given: without it the
 * data plane answers with the error's own status, and the control plane
 * shows the type's default status, as AWS does.
 *
 * State (see STATE LAYOUT in emu.h), with the members this module keeps
 * beyond AWS's wire shapes. They start with '_' and never leave the
 * emulator:
 *   restapis[api].deployments[id]._gatewayResponses
 *       the customizations the deployment serves. A deployment is made
 *       without it; before any change to the API's customizations this
 *       module gives every deployment still without one a copy of the
 *       customizations as they stand. So a deployment without a copy was
 *       made after the last change and serves the current ones, and a
 *       change takes effect on the next deployment, as on AWS.
 *
 * Where AWS's exact message for an error is not documented anywhere we
 * could find, the message is our best guess and says so in a comment. */
#include "apigw_gateway_response.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apigw_api.h"
#include "core/buf.h"
#include "core/mem.h"

#define API_ID(c) ((c)->param[0])
#define TYPE(c) ((c)->param[1])
#define STORED "gatewayResponses"
#define FROZEN "_gatewayResponses"

/* --- the types ------------------------------------------------------------ */

/* In the order AWS lists them (its enum message and GetGatewayResponses). */
static const struct {
    const char *type, *status;
} TYPES[] = {
    {"REQUEST_TOO_LARGE", "413"},
    {"RESOURCE_NOT_FOUND", "404"},
    {"AUTHORIZER_CONFIGURATION_ERROR", "500"},
    {"MISSING_AUTHENTICATION_TOKEN", "403"},
    {"BAD_REQUEST_BODY", "400"},
    {"INVALID_SIGNATURE", "403"},
    {"INVALID_API_KEY", "403"},
    {"BAD_REQUEST_PARAMETERS", "400"},
    {"AUTHORIZER_FAILURE", "500"},
    {"UNAUTHORIZED", "401"},
    {"INTEGRATION_TIMEOUT", "504"},
    {"ACCESS_DENIED", "403"},
    {"DEFAULT_4XX", NULL},
    {"DEFAULT_5XX", NULL},
    {"WAF_FILTERED", "403"},
    {"QUOTA_EXCEEDED", "429"},
    {"THROTTLED", "429"},
    {"API_CONFIGURATION_ERROR", "500"},
    {"UNSUPPORTED_MEDIA_TYPE", "415"},
    {"INTEGRATION_FAILURE", "504"},
    {"EXPIRED_TOKEN", "403"},
};
#define NTYPES (sizeof TYPES / sizeof *TYPES)

static int type_index(const char *type) {
    for (size_t i = 0; type && i < NTYPES; i++)
        if (strcmp(type, TYPES[i].type) == 0) return (int)i;
    return -1;
}

bool apigw_gr_known(const char *type) { return type_index(type) >= 0; }

const char *apigw_gr_default_status(const char *type) {
    int i = type_index(type);
    return i < 0 ? NULL : TYPES[i].status;
}

/* The DEFAULT_4XX or DEFAULT_5XX a type falls back on (NULL for those two). */
static const char *fallback_of(const char *type) {
    const char *st = apigw_gr_default_status(type);
    if (!st) return NULL;
    return st[0] == '5' ? "DEFAULT_5XX" : "DEFAULT_4XX";
}

void apigw_gr_resolve(const cJSON *stored, const char *type, apigw_gr *out) {
    memset(out, 0, sizeof *out);
    const cJSON *gr = json_obj(stored, type);
    out->own = gr != NULL;
    if (!gr) {
        const char *fb = fallback_of(type);
        gr = fb ? json_obj(stored, fb) : NULL;
    }
    if (!gr) return;
    out->customized = true;
    out->status = json_str(gr, "statusCode");
    out->params = json_obj(gr, "responseParameters");
    out->templates = json_obj(gr, "responseTemplates");
}

const cJSON *apigw_gr_deployed(const cJSON *api, const cJSON *deployment) {
    const cJSON *frozen = cJSON_GetObjectItemCaseSensitive(deployment, FROZEN);
    return frozen ? frozen : json_obj(api, STORED);
}

/* Give every deployment without a frozen copy the current customizations:
 * called before each change to them (see the top of this file). */
static void freeze_deployments(cJSON *api) {
    const cJSON *now = json_obj(api, STORED);
    cJSON *d;
    cJSON_ArrayForEach(d, json_obj(api, "deployments")) {
        if (!cJSON_GetObjectItemCaseSensitive(d, FROZEN))
            cJSON_AddItemToObject(d, FROZEN, now ? cJSON_Duplicate(now, 1) : cJSON_CreateObject());
    }
}

/* --- the wire shape ----------------------------------------------------------- */

static cJSON *default_templates(void) {
    cJSON *t = cJSON_CreateObject();
    cJSON_AddStringToObject(t, "application/json", APIGW_GR_TEMPLATE);
    return t;
}

static cJSON *map_or_empty(const cJSON *m) {
    return m ? cJSON_Duplicate(m, 1) : cJSON_CreateObject();
}

/* The GatewayResponse AWS shows for type. */
static cJSON *view(const cJSON *stored, const char *type) {
    apigw_gr r;
    apigw_gr_resolve(stored, type, &r);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "responseType", type);
    const char *status = r.status ? r.status : apigw_gr_default_status(type);
    if (status) cJSON_AddStringToObject(o, "statusCode", status);
    cJSON_AddItemToObject(o, "responseParameters", map_or_empty(r.params));
    cJSON_AddItemToObject(o, "responseTemplates",
                          r.templates || r.own ? map_or_empty(r.templates) : default_templates());
    cJSON_AddBoolToObject(o, "defaultResponse", !r.own);
    return o;
}

/* --- request checks -------------------------------------------------------------- */

/* The response type in the path: AWS's enum check comes before any
 * lookup, so a bad type fails even on an unknown API. */
static int check_type(emu_call *c) {
    if (apigw_gr_known(TYPE(c))) return 0;
    buf set = BUF_INIT;
    for (size_t i = 0; i < NTYPES; i++)
        buf_printf(&set, "%s%s", i ? ", " : "", TYPES[i].type);
    int rc = apigw_fail_enum(c, TYPE(c) ? TYPE(c) : "", "responseType", set.data);
    buf_free(&set);
    return rc;
}

/* The API for a call whose type passed check_type, or NULL after failing. */
static cJSON *typed_api(emu_call *c) {
    if (check_type(c) != 0) return NULL;
    return apigw_find_api(c, API_ID(c));
}

/* statusCode of a request body: NULL when absent or null. The value must
 * be a status code as the StatusCode shape demands. */
static int body_status(emu_call *c, const char **out) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(c->body, "statusCode");
    *out = NULL;
    if (!v || cJSON_IsNull(v)) return 0;
    if (!cJSON_IsString(v)) {
        /* AWS's deserializer refuses other JSON types; this is its wording
         * for a number where a string belongs. */
        return emu_fail_apigw(c, 400, "SerializationException",
                              "class %s can not be converted to an String",
                              cJSON_IsBool(v) ? "java.lang.Boolean"
                                              : "com.amazon.coral.value.json.numbers."
                                                "TruncatingBigNumber");
    }
    if (apigw_check_status(c, v->valuestring) != 0) return -1;
    *out = v->valuestring;
    return 0;
}

/* --- the handlers ------------------------------------------------------------------ */

static int get_gateway_responses(emu_call *c) {
    cJSON *api = apigw_find_api(c, API_ID(c));
    if (!api) return -1;
    const cJSON *stored = json_obj(api, STORED);
    cJSON *items = cJSON_CreateArray();
    for (size_t i = 0; i < NTYPES; i++)
        cJSON_AddItemToArray(items, view(stored, TYPES[i].type));
    /* The collection has no paging: limit and position do not apply. */
    cJSON *body = cJSON_CreateObject();
    cJSON_AddItemToObject(body, "item", items);
    return emu_reply(c, 0, body);
}

static int get_gateway_response(emu_call *c) {
    cJSON *api = typed_api(c);
    if (!api) return -1;
    return emu_reply(c, 0, view(json_obj(api, STORED), TYPE(c)));
}

/* Store gr (owned) as the API's customization of its type. */
static void keep(cJSON *api, const char *type, cJSON *gr) {
    freeze_deployments(api);
    json_set(apigw_api_part(api, STORED), type, gr);
}

static int put_gateway_response(emu_call *c) {
    cJSON *api = typed_api(c);
    if (!api) return -1;
    const char *status;
    if (body_status(c, &status) != 0) return -1;
    cJSON *gr = cJSON_CreateObject();
    cJSON_AddStringToObject(gr, "responseType", TYPE(c));
    if (status) cJSON_AddStringToObject(gr, "statusCode", status);
    if (apigw_copy_str_map(c, gr, c->body, "responseParameters", false) != 0 ||
        apigw_copy_str_map(c, gr, c->body, "responseTemplates", false) != 0) {
        cJSON_Delete(gr);
        return -1;
    }
    if (!json_obj(gr, "responseParameters"))
        cJSON_AddItemToObject(gr, "responseParameters", cJSON_CreateObject());
    /* Without templates (or with none) the default one is stored. */
    const cJSON *t = json_obj(gr, "responseTemplates");
    if (!t || !t->child) json_set(gr, "responseTemplates", default_templates());
    cJSON_AddBoolToObject(gr, "defaultResponse", false);
    keep(api, TYPE(c), gr);
    return emu_reply(c, 0, view(json_obj(api, STORED), TYPE(c)));
}

/* --- UpdateGatewayResponse ---------------------------------------------------------- */

/* The op of every patch operation must be one of JSON Patch's, checked
 * for all of them at once as AWS's framework does. */
static int check_ops(emu_call *c, const cJSON *ops) {
    static const char *const valid[] = {"add", "remove", "move", "test", "replace", "copy", NULL};
    buf msg = BUF_INIT;
    int bad = 0, i = 0;
    const cJSON *po;
    cJSON_ArrayForEach(po, ops) {
        i++;
        const char *op = json_str(po, "op");
        if (op && apigw_str_in(op, valid)) continue;
        buf_printf(&msg, "%s", bad++ ? "; " : "");
        if (op)
            buf_printf(&msg,
                       "Value '%s' at 'updateGatewayResponseInput.patchOperations.%d.member.op' "
                       "failed to satisfy constraint: Member must satisfy enum value set: [add, "
                       "remove, move, test, replace, copy]",
                       op, i);
        else
            buf_printf(&msg,
                       "Value null at 'updateGatewayResponseInput.patchOperations.%d.member.op' "
                       "failed to satisfy constraint: Member must not be null",
                       i);
    }
    int rc = 0;
    if (bad) {
        char *full =
            xasprintf("%d validation error%s detected: %s", bad, bad > 1 ? "s" : "", msg.data);
        rc = emu_fail_apigw_msg(c, 400, "ValidationException", full);
        free(full);
    }
    buf_free(&msg);
    return rc;
}

static int bad_path(emu_call *c, const char *path) {
    return emu_fail_apigw(c, 400, "BadRequestException", "Invalid patch path %s",
                          path ? path : "null");
}

static int patch_status(emu_call *c, cJSON *gr, const char *op, const cJSON *value) {
    if (strcmp(op, "replace") != 0) return bad_path(c, "/statusCode");
    const char *v = cJSON_GetStringValue(value);
    if (!v) { /* null: back to the status of the error (our reading of AWS) */
        cJSON_DeleteItemFromObjectCaseSensitive(gr, "statusCode");
        return 0;
    }
    if (apigw_check_status(c, v) != 0) return -1;
    json_set_str(gr, "statusCode", v);
    return 0;
}

/* add, replace or remove one entry of responseParameters/responseTemplates. */
static int patch_entry(emu_call *c, cJSON *gr, const char *member, const char *op, const char *path,
                       const char *key, const cJSON *value) {
    bool add = strcmp(op, "add") == 0, replace = strcmp(op, "replace") == 0;
    if (!add && !replace && strcmp(op, "remove") != 0) return bad_path(c, path);
    cJSON *map = json_child_obj(gr, member);
    const char *v = cJSON_GetStringValue(value);
    if ((add || replace) && (!v || !*v))
        return emu_fail_apigw(c, 400, "BadRequestException", "Invalid null or empty value in %s",
                              member);
    bool present = cJSON_GetObjectItemCaseSensitive(map, key) != NULL;
    if (!add && !present) {
        /* Templates: our best guess, AWS's wording for a missing content
         * type of method response models. */
        return apigw_not_found(c, strcmp(member, "responseParameters") == 0
                                      ? "Invalid parameter name specified"
                                      : "Content-Type specified was not found");
    }
    if (add || replace)
        json_set_str(map, key, v);
    else
        cJSON_DeleteItemFromObjectCaseSensitive(map, key);
    return 0;
}

static int patch_one(emu_call *c, cJSON *gr, const cJSON *po) {
    const char *op = json_str(po, "op"), *path = json_str(po, "path");
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(po, "value");
    if (!path) return bad_path(c, NULL);
    if (strcmp(path, "/statusCode") == 0) return patch_status(c, gr, op, value);
    static const char *const members[] = {"responseParameters", "responseTemplates"};
    for (size_t i = 0; i < 2; i++) {
        char prefix[32];
        snprintf(prefix, sizeof prefix, "/%s/", members[i]);
        char *key = apigw_patch_key(path, prefix);
        if (!key) continue;
        int rc = patch_entry(c, gr, members[i], op, path, key, value);
        free(key);
        return rc;
    }
    return bad_path(c, path);
}

/* What an update starts from when the type is not customized yet: what
 * the type shows now, as a customization of its own. */
static cJSON *base_of(const cJSON *stored, const char *type) {
    const cJSON *own = json_obj(stored, type);
    if (own) return cJSON_Duplicate(own, 1);
    apigw_gr r;
    apigw_gr_resolve(stored, type, &r);
    cJSON *gr = cJSON_CreateObject();
    cJSON_AddStringToObject(gr, "responseType", type);
    if (r.status) cJSON_AddStringToObject(gr, "statusCode", r.status);
    cJSON_AddItemToObject(gr, "responseParameters", map_or_empty(r.params));
    cJSON_AddItemToObject(gr, "responseTemplates",
                          r.templates ? cJSON_Duplicate(r.templates, 1) : default_templates());
    cJSON_AddBoolToObject(gr, "defaultResponse", false);
    return gr;
}

static int update_gateway_response(emu_call *c) {
    cJSON *api = typed_api(c);
    if (!api) return -1;
    const cJSON *ops = cJSON_GetObjectItemCaseSensitive(c->body, "patchOperations");
    if (ops && !cJSON_IsNull(ops) && !cJSON_IsArray(ops))
        return emu_fail_apigw(c, 400, "SerializationException",
                              "Start of structure or map found where not expected.");
    if (check_ops(c, ops) != 0) return -1;
    cJSON *gr = base_of(json_obj(api, STORED), TYPE(c));
    const cJSON *po;
    cJSON_ArrayForEach(po, ops) {
        if (patch_one(c, gr, po) != 0) {
            cJSON_Delete(gr);
            return -1;
        }
    }
    keep(api, TYPE(c), gr);
    return emu_reply(c, 0, view(json_obj(api, STORED), TYPE(c)));
}

static int delete_gateway_response(emu_call *c) {
    cJSON *api = typed_api(c);
    if (!api) return -1;
    cJSON *stored = json_obj(api, STORED);
    if (!json_obj(stored, TYPE(c)))
        return apigw_not_found(c, "Gateway response type not defined on api");
    freeze_deployments(api);
    cJSON_DeleteItemFromObjectCaseSensitive(stored, TYPE(c));
    return emu_reply(c, 0, NULL);
}

const emu_route apigw_gateway_response_routes[] = {
    {APIGW_GetGatewayResponses, get_gateway_responses},
    {APIGW_GetGatewayResponse, get_gateway_response},
    {APIGW_PutGatewayResponse, put_gateway_response},
    {APIGW_UpdateGatewayResponse, update_gateway_response},
    {APIGW_DeleteGatewayResponse, delete_gateway_response},
    {OP__COUNT, NULL},
};
