/* API Gateway resources, methods, integrations, method responses and
 * integration responses.
 *
 * Messages come from AWS's responses as recorded by public parity suites
 * and AWS's documentation; the few marked "best guess" could not be
 * confirmed. Members AWS leaves out when empty are left out here too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apigw_api.h"
#include "core/mem.h"
#include "emu.h"

#define RES_ID_LEN 6
#define DEFAULT_TIMEOUT_MS 29000

/* Path labels of the resource operations, in URI template order. */
#define API_ID(c) ((c)->param[0])
#define RES_ID(c) ((c)->param[1])
#define VERB(c) ((c)->param[2])
#define STATUS(c) ((c)->param[3])

/* The per-API object of the call, or NULL. */
static cJSON *api_of(emu_call *c) { return json_obj(emu_coll(c, "restapis"), API_ID(c)); }

static bool has_prefix(const char *s, const char *prefix) {
    return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* "Invalid mapping expression specified: ..." as AWS wraps its
 * validation results. */
static int fail_mapping(emu_call *c, const char *error) {
    return emu_fail_apigw(c, 400, "BadRequestException",
                          "Invalid mapping expression specified: Validation Result: warnings : "
                          "[], errors : [%s]",
                          error);
}

static const char *const MAP_OPS[] = {"add", "replace", "remove", NULL};

/* Checks an entry of a map member must pass, as the Put operation checks
 * the whole map; ctx is the check's own context. */
typedef int (*entry_check)(emu_call *c, const cJSON *map, const void *ctx);

/* One add, replace or remove of obj[member][key] by a patch: val (owned)
 * is the new value, NULL for remove; missing as apigw_patch_map. */
static int patch_entry(emu_call *c, cJSON *obj, const char *member, const char *op, const char *key,
                       cJSON *val, entry_check check, const void *ctx, const char *missing) {
    if (val && check) {
        cJSON *probe = cJSON_CreateObject();
        cJSON_AddItemToObject(probe, key, cJSON_Duplicate(val, 0));
        int rc = check(c, probe, ctx);
        cJSON_Delete(probe);
        if (rc != 0) {
            cJSON_Delete(val);
            return -1;
        }
    }
    return apigw_patch_map(c, obj, member, op, key, val, missing);
}

/* A patch value for a string map; mapping templates keep "" as null. */
static cJSON *entry_text(const char *text, bool null_empty) {
    if (null_empty && (!text || !text[0])) return cJSON_CreateNull();
    return cJSON_CreateString(text ? text : "");
}

/* Drop member when it is an empty map or list (AWS leaves those out). */
static void drop_if_empty(cJSON *dst, const char *key) {
    cJSON *m = cJSON_GetObjectItemCaseSensitive(dst, key);
    if (m && (cJSON_IsObject(m) || cJSON_IsArray(m)) && !m->child)
        cJSON_DeleteItemFromObjectCaseSensitive(dst, key);
}

/* ========================================================================
 * Resources
 * ===================================================================== */

/* A path part is a name of letters, digits, '.', '_' or '-', or such a
 * name in braces ("{id}"), or in braces with a trailing '+' ("{proxy+}"). */
static bool valid_name(const char *s, size_t n) {
    if (n == 0) return false;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-';
        if (!ok) return false;
    }
    return true;
}

static bool is_variable(const char *part) { return part && part[0] == '{'; }

static bool is_greedy(const char *part) {
    size_t n = part ? strlen(part) : 0;
    return n >= 3 && part[0] == '{' && part[n - 2] == '+' && part[n - 1] == '}';
}

static bool valid_path_part(const char *p) {
    size_t n = strlen(p);
    if (n >= 2 && p[0] == '{' && p[n - 1] == '}') {
        size_t inner = n - 2 - (is_greedy(p) ? 1 : 0);
        return valid_name(p + 1, inner);
    }
    return valid_name(p, n);
}

/* Whether pathPart may sit under parent: AWS's rules on greedy parents,
 * duplicate names and variable siblings. self is the resource being moved
 * or renamed (not a sibling of itself), or NULL. */
static int check_placement(emu_call *c, const cJSON *resources, const cJSON *parent,
                           const char *part, const char *self) {
    if (!valid_path_part(part))
        return apigw_bad_request(c,
                                 "Resource's path part only allow a-zA-Z0-9._- and curly braces at "
                                 "the beginning and the end and an optional plus sign before the "
                                 "closing brace.");
    const char *parent_part = json_str(parent, "pathPart");
    if (is_greedy(parent_part))
        return emu_fail_apigw(c, 400, "BadRequestException",
                              "Cannot create a child of a resource with a greedy path variable: %s",
                              parent_part);
    const char *pid = json_str(parent, "id");
    const cJSON *r;
    cJSON_ArrayForEach(r, resources) {
        const char *rp = json_str(r, "parentId"), *sp = json_str(r, "pathPart");
        if (!rp || strcmp(rp, pid) != 0 || (self && strcmp(r->string, self) == 0)) continue;
        if (strcmp(sp, part) == 0)
            return emu_fail_apigw(c, 409, "ConflictException",
                                  "Another resource with the same parent already has this name: %s",
                                  part);
        if (is_variable(part) && is_variable(sp))
            return emu_fail_apigw(c, 400, "BadRequestException",
                                  "A sibling (%s) of this resource already has a variable path "
                                  "part -- only one is allowed",
                                  sp);
    }
    return 0;
}

static char *child_path(const cJSON *parent, const char *part) {
    const char *pp = json_str_or(parent, "path", "/");
    return xasprintf("%s/%s", strcmp(pp, "/") == 0 ? "" : pp, part);
}

/* After a move or rename, every path below res follows. */
static void repath_subtree(cJSON *resources, cJSON *res) {
    cJSON *parent = json_obj(resources, json_str_or(res, "parentId", ""));
    if (parent) {
        char *p = child_path(parent, json_str_or(res, "pathPart", ""));
        json_set_str(res, "path", p);
        free(p);
    }
    cJSON *r;
    cJSON_ArrayForEach(r, resources) {
        const char *pid = json_str(r, "parentId");
        if (pid && strcmp(pid, res->string) == 0) repath_subtree(resources, r);
    }
}

/* A Resource as the API shows it: with embed=methods the whole Method
 * objects, otherwise each method as an empty object under its verb. */
static cJSON *resource_view(const cJSON *res, bool embed) {
    cJSON *out = cJSON_Duplicate(res, 1);
    cJSON *methods = json_obj(out, "resourceMethods"), *m;
    if (!embed) cJSON_ArrayForEach(m, methods) {
            while (m->child) cJSON_DeleteItemFromObjectCaseSensitive(m, m->child->string);
        }
    drop_if_empty(out, "resourceMethods");
    return out;
}

/* embed is a comma-separated list; "methods" is the one AWS knows. */
static bool wants_methods(emu_call *c) {
    char *q = emu_query(c, "embed");
    bool yes = false;
    char *save = NULL;
    for (char *tok = q ? strtok_r(q, ",", &save) : NULL; tok; tok = strtok_r(NULL, ",", &save))
        yes |= strcmp(tok, "methods") == 0;
    free(q);
    return yes;
}

static int get_resources(emu_call *c) {
    cJSON *e = apigw_find_api(c, API_ID(c));
    if (!e) return -1;
    bool embed = wants_methods(c);
    cJSON *items = cJSON_CreateArray();
    const cJSON *r;
    cJSON_ArrayForEach(r, json_obj(e, "resources"))
        cJSON_AddItemToArray(items, resource_view(r, embed));
    return emu_reply_apigw_page(c, items);
}

static int get_resource(emu_call *c) {
    cJSON *r = apigw_find_resource(c, API_ID(c), RES_ID(c));
    return r ? emu_reply(c, 0, resource_view(r, wants_methods(c))) : -1;
}

static int create_resource(emu_call *c) {
    const char *part = json_str(c->body, "pathPart");
    if (!part) return apigw_fail_null(c, "createResourceInput", "pathPart");
    cJSON *e = apigw_find_api(c, API_ID(c));
    if (!e) return -1;
    cJSON *resources = apigw_api_part(e, "resources");
    cJSON *parent = apigw_find_resource(c, API_ID(c), RES_ID(c));
    if (!parent || check_placement(c, resources, parent, part, NULL) != 0) return -1;
    char id[16];
    apigw_new_id(c, resources, RES_ID_LEN, id);
    cJSON *res = cJSON_CreateObject();
    json_set_str(res, "id", id);
    json_set_str(res, "parentId", RES_ID(c));
    json_set_str(res, "pathPart", part);
    char *path = child_path(parent, part);
    json_set_str(res, "path", path);
    free(path);
    cJSON_AddItemToObject(resources, id, res);
    return emu_reply(c, 0, cJSON_Duplicate(res, 1));
}

/* Whether candidate is res or lies below it. */
static bool in_subtree(const cJSON *resources, const char *res_id, const char *candidate) {
    for (const char *id = candidate; id;) {
        if (strcmp(id, res_id) == 0) return true;
        id = json_str(json_obj(resources, id), "parentId");
    }
    return false;
}

static int patch_resource(emu_call *c, cJSON *res, const char *op, const char *path,
                          const cJSON *value, void *ud) {
    cJSON *resources = ud;
    bool part = strcmp(path, "/pathPart") == 0;
    if (!part && strcmp(path, "/parentId") != 0)
        return emu_fail_apigw(c, 400, "BadRequestException",
                              "Invalid patch path  '%s' specified for op '%s'. Must be one of: "
                              "[/parentId, /pathPart]",
                              path, op);
    if (strcmp(op, "replace") != 0) return emu_patch_invalid(c, op, path);
    if (!json_str(res, "parentId"))
        return emu_fail_apigw(c, 400, "BadRequestException", "Root resource cannot update its %s.",
                              path + 1);
    const char *v = cJSON_IsString(value) ? value->valuestring : "";
    const char *new_part = part ? v : json_str(res, "pathPart");
    cJSON *parent = json_obj(resources, part ? json_str(res, "parentId") : v);
    if (!parent)
        return emu_fail_apigw(c, 404, "NotFoundException", "Invalid Resource identifier specified");
    if (!part && in_subtree(resources, res->string, v))
        return apigw_bad_request(c, "Resources cannot be cyclical.");
    if (check_placement(c, resources, parent, new_part, res->string) != 0) return -1;
    json_set_str(res, part ? "pathPart" : "parentId", v);
    repath_subtree(resources, res);
    return 0;
}

static int update_resource(emu_call *c) {
    cJSON *res = apigw_find_resource(c, API_ID(c), RES_ID(c));
    if (!res) return -1;
    cJSON *resources = json_obj(api_of(c), "resources");
    if (emu_patch_each(c, res, patch_resource, resources) != 0) return -1;
    return emu_reply(c, 0, resource_view(res, false));
}

static void delete_subtree(cJSON *resources, const char *id) {
    char *victim = xstrdup(id);
    cJSON *r = resources->child;
    while (r) {
        cJSON *next = r->next;
        const char *pid = json_str(r, "parentId");
        if (pid && strcmp(pid, victim) == 0) {
            delete_subtree(resources, r->string);
            next = resources->child; /* the list changed under us: rescan */
        }
        r = next;
    }
    cJSON_DeleteItemFromObjectCaseSensitive(resources, victim);
    free(victim);
}

static int delete_resource(emu_call *c) {
    cJSON *res = apigw_find_resource(c, API_ID(c), RES_ID(c));
    if (!res) return -1;
    if (!json_str(res, "parentId")) /* best guess at AWS's wording */
        return apigw_bad_request(c, "Root resource cannot be deleted.");
    delete_subtree(json_obj(api_of(c), "resources"), RES_ID(c));
    return emu_reply(c, 0, NULL);
}

/* ========================================================================
 * Methods
 * ===================================================================== */

static const char *const VERBS[] = {"GET",     "PUT",  "POST", "DELETE", "PATCH",
                                    "OPTIONS", "HEAD", "ANY",  NULL};
static const char *const AUTH_TYPES[] = {"NONE", "AWS_IAM", "CUSTOM", "COGNITO_USER_POOLS", NULL};

static bool needs_authorizer(const char *auth) {
    return auth && (strcmp(auth, "CUSTOM") == 0 || strcmp(auth, "COGNITO_USER_POOLS") == 0);
}

static int fail_authorizer(emu_call *c) {
    return apigw_bad_request(c,
                             "Invalid authorizer ID specified. Setting the authorization type to "
                             "CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.");
}

static int check_models(emu_call *c, const cJSON *map, const void *ctx) {
    (void)ctx;
    const cJSON *m;
    cJSON_ArrayForEach(m, map) {
        if (cJSON_IsString(m) && !apigw_model_exists(api_of(c), m->valuestring))
            return emu_fail_apigw(c, 400, "BadRequestException",
                                  "Invalid model identifier specified: %s", m->valuestring);
    }
    return 0;
}

/* method.request.{path,querystring,header,...}.NAME with names unique
 * across locations. */
static int check_method_params(emu_call *c, const cJSON *params, const void *ctx) {
    (void)ctx;
    static const char *const where[] = {"method.request.path.",
                                        "method.request.querystring.",
                                        "method.request.header.",
                                        "method.request.multivalueheader.",
                                        "method.request.multivaluequerystring.",
                                        NULL};
    const cJSON *p, *q;
    cJSON_ArrayForEach(p, params) {
        bool ok = false;
        for (size_t i = 0; where[i] && !ok; i++)
            ok = has_prefix(p->string, where[i]) && p->string[strlen(where[i])];
        if (!ok) {
            char msg[600];
            snprintf(msg, sizeof msg, "Invalid mapping expression specified: %s", p->string);
            return fail_mapping(c, msg);
        }
        for (q = params->child; q != p; q = q->next)
            if (strcmp(strrchr(q->string, '.'), strrchr(p->string, '.')) == 0)
                return apigw_bad_request(
                    c, "Parameter names must be unique across querystring, header "
                       "and path");
    }
    return 0;
}

static int put_method(emu_call *c) {
    const cJSON *b = c->body;
    const char *auth = json_str(b, "authorizationType");
    if (!auth) return apigw_fail_null(c, "putMethodInput", "authorizationType");
    cJSON *res = apigw_find_resource(c, API_ID(c), RES_ID(c));
    if (!res) return -1;
    if (!apigw_str_in(VERB(c), VERBS))
        return apigw_bad_request(c, "Invalid HttpMethod specified. Valid options are "
                                    "GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY");
    if (!apigw_str_in(auth, AUTH_TYPES)) /* best guess */
        return apigw_bad_request(c, "Invalid authorization type specified. Valid options are "
                                    "NONE,AWS_IAM,CUSTOM,COGNITO_USER_POOLS");
    if (json_obj(json_obj(res, "resourceMethods"), VERB(c)))
        return emu_fail_apigw(c, 409, "ConflictException",
                              "Method already exists for this resource");

    cJSON *m = cJSON_CreateObject();
    json_set_str(m, "httpMethod", VERB(c));
    json_set_str(m, "authorizationType", auth);
    json_set_bool(m, "apiKeyRequired", json_bool_or(b, "apiKeyRequired", false));
    const char *opname = json_str(b, "operationName");
    if (opname) json_set_str(m, "operationName", opname);
    const cJSON *scopes = json_arr(b, "authorizationScopes");
    if (scopes && scopes->child) json_set(m, "authorizationScopes", cJSON_Duplicate(scopes, 1));
    int rc = apigw_copy_bool_map(c, m, b, "requestParameters");
    if (rc == 0) rc = check_method_params(c, json_obj(m, "requestParameters"), NULL);
    if (rc == 0 && needs_authorizer(auth)) rc = fail_authorizer(c); /* no authorizers here */
    if (rc == 0 && json_str(b, "requestValidatorId"))
        rc = apigw_bad_request(c, "Invalid Request Validator identifier specified");
    if (rc == 0) rc = apigw_copy_str_map(c, m, b, "requestModels", false);
    if (rc == 0) rc = check_models(c, json_obj(m, "requestModels"), NULL);
    if (rc != 0) {
        cJSON_Delete(m);
        return -1;
    }
    cJSON_AddItemToObject(json_child_obj(res, "resourceMethods"), VERB(c), m);
    return emu_reply(c, 0, cJSON_Duplicate(m, 1));
}

static int get_method(emu_call *c) {
    cJSON *m = apigw_find_method(c, API_ID(c), RES_ID(c), VERB(c));
    return m ? emu_reply(c, 0, cJSON_Duplicate(m, 1)) : -1;
}

/* Which operations UpdateMethod allows on a path: AWS's table. */
typedef struct method_path {
    const char *path; /* exact, or a prefix ending in '/' for map members */
    bool add, remove, replace;
} method_path;

static const method_path METHOD_PATHS[] = {
    {"/authorizationScopes", true, true, false}, {"/authorizationType", false, false, true},
    {"/authorizerId", false, false, true},       {"/apiKeyRequired", false, false, true},
    {"/operationName", false, false, true},      {"/requestParameters/", true, true, true},
    {"/requestModels/", true, true, true},       {"/requestValidatorId", false, false, true},
};

static const method_path *method_path_of(const char *path) {
    /* a map key holding '/' unescaped makes the path too deep */
    int depth = 0;
    for (const char *p = path; *p; p++) depth += *p == '/';
    for (size_t i = 0; depth <= 2 && i < sizeof METHOD_PATHS / sizeof *METHOD_PATHS; i++) {
        const char *mp = METHOD_PATHS[i].path;
        size_t n = strlen(mp);
        bool map = mp[n - 1] == '/';
        if (map ? strncmp(path, mp, n) == 0 && path[n] : strcmp(path, mp) == 0)
            return &METHOD_PATHS[i];
    }
    return NULL;
}

static int check_method_op(emu_call *c, const method_path *mp, const char *op) {
    bool add = strcmp(op, "add") == 0, rm = strcmp(op, "remove") == 0,
         rep = strcmp(op, "replace") == 0;
    if ((add && mp->add) || (rm && mp->remove) || (rep && mp->replace)) return 0;
    /* AWS lists the other operations that would do, among add and replace */
    char list[32] = "";
    if (mp->add && !add) strcat(list, "add");
    if (mp->replace && !rep) strcat(strcat(list, list[0] ? ", " : ""), "replace");
    return emu_fail_apigw(c, 400, "BadRequestException",
                          "Invalid patch operation specified. Must be one of: [%s]", list);
}

typedef struct method_patch {
    bool custom_auth;   /* authorizationType set to CUSTOM or COGNITO_USER_POOLS */
    bool authorizer_id; /* authorizerId given */
} method_patch;

static int patch_method_map(emu_call *c, cJSON *m, const char *op, const char *path,
                            const cJSON *value) {
    bool params = has_prefix(path, "/requestParameters/");
    const char *member = params ? "requestParameters" : "requestModels";
    char *key = apigw_patch_key(path, params ? "/requestParameters/" : "/requestModels/");
    cJSON *val = NULL;
    if (strcmp(op, "remove") != 0)
        val = params ? cJSON_CreateBool(apigw_patch_bool(value))
                     : cJSON_CreateString(cJSON_IsString(value) ? value->valuestring : "");
    int rc = patch_entry(c, m, member, op, key, val, params ? check_method_params : check_models,
                         NULL, NULL);
    free(key);
    return rc;
}

static int patch_method(emu_call *c, cJSON *m, const char *op, const char *path, const cJSON *value,
                        void *ud) {
    method_patch *st = ud;
    const method_path *mp = method_path_of(path);
    if (!mp) return emu_fail_apigw(c, 400, "BadRequestException", "Invalid patch path %s", path);
    if (check_method_op(c, mp, op) != 0) return -1;
    char nb[64];
    const char *text = apigw_patch_text(value, nb);
    if (mp->path[strlen(mp->path) - 1] == '/') return patch_method_map(c, m, op, path, value);
    if (strcmp(path, "/apiKeyRequired") == 0) {
        json_set_bool(m, "apiKeyRequired", apigw_patch_bool(value));
    } else if (strcmp(path, "/authorizationType") == 0) {
        if (!apigw_str_in(text, AUTH_TYPES)) /* best guess, as PutMethod */
            return apigw_bad_request(c, "Invalid authorization type specified. Valid options are "
                                        "NONE,AWS_IAM,CUSTOM,COGNITO_USER_POOLS");
        st->custom_auth = needs_authorizer(text);
        json_set_str(m, "authorizationType", text);
        if (!st->custom_auth) cJSON_DeleteItemFromObjectCaseSensitive(m, "authorizerId");
    } else if (strcmp(path, "/authorizerId") == 0) {
        /* AWS ignores an authorizer on a method that does not use one */
        st->authorizer_id = text && text[0];
    } else if (strcmp(path, "/requestValidatorId") == 0) {
        if (text && text[0])
            return apigw_bad_request(c, "Invalid Request Validator identifier specified");
        cJSON_DeleteItemFromObjectCaseSensitive(m, "requestValidatorId");
    } else if (strcmp(path, "/operationName") == 0) {
        if (text && text[0])
            json_set_str(m, "operationName", text);
        else
            cJSON_DeleteItemFromObjectCaseSensitive(m, "operationName");
    } else { /* /authorizationScopes: the value is the scope */
        cJSON *scopes = json_arr(m, "authorizationScopes");
        if (strcmp(op, "add") == 0 && text) {
            if (!scopes) scopes = cJSON_AddArrayToObject(m, "authorizationScopes");
            cJSON_AddItemToArray(scopes, cJSON_CreateString(text));
        } else {
            for (int i = cJSON_GetArraySize(scopes) - 1; i >= 0; i--) {
                cJSON *s = cJSON_GetArrayItem(scopes, i);
                if (!text || (cJSON_IsString(s) && strcmp(s->valuestring, text) == 0))
                    cJSON_DeleteItemFromArray(scopes, i);
            }
            drop_if_empty(m, "authorizationScopes");
        }
    }
    return 0;
}

static int update_method(emu_call *c) {
    cJSON *m = apigw_find_method(c, API_ID(c), RES_ID(c), VERB(c));
    if (!m) return -1;
    method_patch st = {0};
    if (emu_patch_each(c, m, patch_method, &st) != 0) return -1;
    /* the emulator has no authorizers, so none can be valid */
    if (st.custom_auth) return fail_authorizer(c);
    return emu_reply(c, 0, cJSON_Duplicate(m, 1));
}

static int delete_method(emu_call *c) {
    cJSON *res = apigw_find_resource(c, API_ID(c), RES_ID(c));
    if (!res || !apigw_find_method(c, API_ID(c), RES_ID(c), VERB(c))) return -1;
    cJSON_DeleteItemFromObjectCaseSensitive(json_obj(res, "resourceMethods"), VERB(c));
    drop_if_empty(res, "resourceMethods");
    return emu_reply(c, 0, NULL);
}

/* ========================================================================
 * Integrations
 * ===================================================================== */

static const char *const PASSTHROUGH[] = {"WHEN_NO_MATCH", "WHEN_NO_TEMPLATES", "NEVER", NULL};
static const char *const CONNECTION_TYPES[] = {"INTERNET", "VPC_LINK", NULL};
static const char *const CONTENT_HANDLING[] = {"CONVERT_TO_BINARY", "CONVERT_TO_TEXT", NULL};
static const char *const INTEGRATION_TYPES[] = {"HTTP",       "MOCK", "AWS_PROXY",
                                                "HTTP_PROXY", "AWS",  NULL};

static int check_passthrough(emu_call *c, const char *v) {
    if (!v || apigw_str_in(v, PASSTHROUGH)) return 0;
    /* best guess at the wording */
    return emu_fail_apigw(c, 400, "BadRequestException",
                          "Invalid passthrough behavior specified: %s. Valid options are "
                          "WHEN_NO_MATCH,WHEN_NO_TEMPLATES,NEVER",
                          v);
}

static int check_timeout(emu_call *c, double ms) {
    if (ms >= 50 && ms <= DEFAULT_TIMEOUT_MS) return 0;
    return apigw_bad_request(c, "Timeout should be between 50 ms and 29000 ms");
}

/* Mapping template maps are keyed by content type. */
static int check_content_types(emu_call *c, const cJSON *templates, const void *ctx) {
    (void)ctx;
    const cJSON *t;
    cJSON_ArrayForEach(t, templates) {
        if (!strchr(t->string, '/')) {
            char msg[600];
            snprintf(msg, sizeof msg, "Invalid content type specified: %s", t->string);
            return emu_fail_apigw(c, 400, "BadRequestException",
                                  "Validation Result: warnings : [], errors : [%s]", msg);
        }
    }
    return 0;
}

/* Where an integration's URI may point for its type. */
static int check_target(emu_call *c, const char *type, const char *verb, const char *uri) {
    if (strcmp(type, "MOCK") == 0) return 0;
    if (!verb || !verb[0])
        return apigw_bad_request(c, "Enumeration value for HttpMethod must be non-empty");
    if (has_prefix(type, "HTTP")) {
        if (!has_prefix(uri, "http://") && !has_prefix(uri, "https://"))
            return apigw_bad_request(c, "Invalid HTTP endpoint specified for URI");
        return 0;
    }
    /* arn:partition:service:region:account-or-service:resource */
    const char *p = uri;
    for (int i = 0; p && i < 5; i++) p = strchr(p, ':') ? strchr(p, ':') + 1 : NULL;
    if (!has_prefix(uri, "arn:") || !p)
        return apigw_bad_request(c, "Invalid ARN specified in the request");
    if (!has_prefix(p, "path") && !has_prefix(p, "action"))
        return apigw_bad_request(c, "AWS ARN for integration must contain path or action");
    if (strcmp(type, "AWS_PROXY") == 0 &&
        (!strstr(uri, ":lambda:path/") || !strstr(p, "2015-03-31/functions/")))
        return apigw_bad_request(c,
                                 "Integrations of type 'AWS_PROXY' currently only supports Lambda "
                                 "function and Firehose stream invocations.");
    return 0;
}

/* integration.request.X.NAME mapped from a method request parameter the
 * method declares, a 'static' value or a context/stage variable. */
static int check_integration_params(emu_call *c, const cJSON *params, const void *method) {
    static const char *const where[] = {"integration.request.path.",
                                        "integration.request.querystring.",
                                        "integration.request.header.",
                                        "integration.request.multivalueheader.",
                                        "integration.request.multivaluequerystring.",
                                        NULL};
    const cJSON *p;
    char msg[600];
    cJSON_ArrayForEach(p, params) {
        bool ok = false;
        for (size_t i = 0; where[i] && !ok; i++)
            ok = has_prefix(p->string, where[i]) && p->string[strlen(where[i])];
        const char *v = cJSON_IsString(p) ? p->valuestring : "";
        const cJSON *declared = json_obj(method, "requestParameters");
        bool bad_src = has_prefix(v, "method.request.") && !has_prefix(v, "method.request.body") &&
                       !cJSON_GetObjectItemCaseSensitive(declared, v);
        if (ok && !bad_src) continue;
        snprintf(msg, sizeof msg, "Invalid mapping expression parameter specified: %s",
                 ok ? v : p->string);
        return fail_mapping(c, msg);
    }
    return 0;
}

/* The framework's checks on PutIntegration's enums. */
static int check_integration_enums(emu_call *c, const cJSON *b) {
    const char *type = json_str(b, "type");
    if (!type) return apigw_fail_null(c, "putIntegrationInput", "type");
    if (!apigw_str_in(type, INTEGRATION_TYPES))
        return apigw_fail_enum(c, type, "putIntegrationInput.type",
                               "HTTP, MOCK, AWS_PROXY, HTTP_PROXY, AWS");
    const char *ch = json_str(b, "contentHandling");
    if (ch && !apigw_str_in(ch, CONTENT_HANDLING))
        return apigw_fail_enum(c, ch, "putIntegrationInput.contentHandling",
                               "CONVERT_TO_BINARY, CONVERT_TO_TEXT");
    const char *ct = json_str(b, "connectionType");
    if (ct && !apigw_str_in(ct, CONNECTION_TYPES))
        return apigw_fail_enum(c, ct, "putIntegrationInput.connectionType", "INTERNET, VPC_LINK");
    return 0;
}

static void copy_str(cJSON *dst, const cJSON *src, const char *key) {
    const char *v = json_str(src, key);
    if (v) json_set_str(dst, key, v);
}

/* The Integration a PutIntegration describes, with the defaults AWS fills
 * in; NULL after failing the call. */
static cJSON *build_integration(emu_call *c, const cJSON *method, const char *res_id) {
    const cJSON *b = c->body;
    const char *type = json_str(b, "type"), *verb = json_str(b, "httpMethod"),
               *uri = json_str(b, "uri");
    if (check_target(c, type, verb, uri) != 0 ||
        check_passthrough(c, json_str(b, "passthroughBehavior")) != 0)
        return NULL;
    const cJSON *tmo = cJSON_GetObjectItemCaseSensitive(b, "timeoutInMillis");
    if (cJSON_IsNumber(tmo) && check_timeout(c, tmo->valuedouble) != 0) return NULL;

    cJSON *in = cJSON_CreateObject();
    json_set_str(in, "type", type);
    copy_str(in, b, "httpMethod");
    copy_str(in, b, "uri");
    const char *conn = json_str(b, "connectionType");
    if (conn || has_prefix(type, "HTTP"))
        json_set_str(in, "connectionType", conn ? conn : "INTERNET");
    copy_str(in, b, "connectionId");
    copy_str(in, b, "credentials");
    int rc = apigw_copy_str_map(c, in, b, "requestParameters", false);
    if (rc == 0) rc = check_integration_params(c, json_obj(in, "requestParameters"), method);
    if (rc == 0) rc = apigw_copy_str_map(c, in, b, "requestTemplates", true);
    if (rc == 0) rc = check_content_types(c, json_obj(in, "requestTemplates"), NULL);
    if (rc != 0) {
        cJSON_Delete(in);
        return NULL;
    }
    json_set_str(in, "passthroughBehavior", json_str_or(b, "passthroughBehavior", "WHEN_NO_MATCH"));
    copy_str(in, b, "contentHandling");
    json_set_num(in, "timeoutInMillis",
                 cJSON_IsNumber(tmo) ? tmo->valuedouble : DEFAULT_TIMEOUT_MS);
    json_set_str(in, "cacheNamespace", json_str_or(b, "cacheNamespace", res_id));
    const cJSON *keys = json_arr(b, "cacheKeyParameters");
    json_set(in, "cacheKeyParameters", keys ? cJSON_Duplicate(keys, 1) : cJSON_CreateArray());
    const cJSON *tls = json_obj(b, "tlsConfig");
    if (tls) json_set(in, "tlsConfig", cJSON_Duplicate(tls, 1));
    return in;
}

static int put_integration(emu_call *c) {
    if (check_integration_enums(c, c->body) != 0) return -1;
    cJSON *m = apigw_find_method(c, API_ID(c), RES_ID(c), VERB(c));
    if (!m) return -1;
    cJSON *in = build_integration(c, m, RES_ID(c));
    if (!in) return -1;
    /* a put replaces the whole integration, its responses included */
    json_set(m, "methodIntegration", in);
    return emu_reply(c, 0, cJSON_Duplicate(in, 1));
}

static int get_integration(emu_call *c) {
    cJSON *in = apigw_find_integration(c, API_ID(c), RES_ID(c), VERB(c));
    return in ? emu_reply(c, 0, cJSON_Duplicate(in, 1)) : -1;
}

static int delete_integration(emu_call *c) {
    cJSON *m = apigw_find_method(c, API_ID(c), RES_ID(c), VERB(c));
    if (!m || !apigw_find_integration(c, API_ID(c), RES_ID(c), VERB(c))) return -1;
    cJSON_DeleteItemFromObjectCaseSensitive(m, "methodIntegration");
    return emu_reply(c, 0, NULL);
}

/* Scalar members of an Integration that a replace may set. */
static const char *const INTEGRATION_SCALARS[] = {"/type",
                                                  "/uri",
                                                  "/httpMethod",
                                                  "/passthroughBehavior",
                                                  "/timeoutInMillis",
                                                  "/contentHandling",
                                                  "/credentials",
                                                  "/cacheNamespace",
                                                  "/connectionType",
                                                  "/connectionId",
                                                  NULL};

/* The ones a remove may clear. */
static const char *const OPTIONAL_SCALARS[] = {"/contentHandling", "/credentials", "/connectionId",
                                               NULL};

static int patch_integration_scalar(emu_call *c, cJSON *in, const char *op, const char *path,
                                    const char *text) {
    const char *key = path + 1;
    bool optional = apigw_str_in(path, OPTIONAL_SCALARS);
    if (strcmp(op, "remove") == 0 && optional) {
        cJSON_DeleteItemFromObjectCaseSensitive(in, key);
        return 0;
    }
    if (strcmp(op, "replace") != 0) return emu_patch_invalid(c, op, path);
    if (!text) text = "";
    if (strcmp(key, "type") == 0 && !apigw_str_in(text, INTEGRATION_TYPES))
        return apigw_fail_enum(c, text, "type",
                               "HTTP, MOCK, AWS_PROXY, HTTP_PROXY, AWS"); /* best guess */
    if (strcmp(key, "passthroughBehavior") == 0 && check_passthrough(c, text) != 0) return -1;
    if (strcmp(key, "contentHandling") == 0 && text[0] && !apigw_str_in(text, CONTENT_HANDLING))
        return apigw_fail_enum(c, text, "contentHandling", "CONVERT_TO_BINARY, CONVERT_TO_TEXT");
    if (strcmp(key, "timeoutInMillis") == 0) {
        double ms;
        if (!emu_parse_double(text, &ms)) ms = 0; /* not a number: out of range too */
        if (check_timeout(c, ms) != 0) return -1;
        json_set_num(in, key, ms);
        return 0;
    }
    if (!text[0] && optional)
        cJSON_DeleteItemFromObjectCaseSensitive(in, key);
    else
        json_set_str(in, key, text);
    return 0;
}

static int patch_cache_key(emu_call *c, cJSON *in, const char *op, const char *path) {
    char *key = apigw_patch_key(path, "/cacheKeyParameters/");
    cJSON *keys = json_arr(in, "cacheKeyParameters");
    if (!keys) keys = cJSON_AddArrayToObject(in, "cacheKeyParameters");
    int at = -1, i = 0;
    const cJSON *k;
    cJSON_ArrayForEach(k, keys) {
        if (cJSON_IsString(k) && strcmp(k->valuestring, key) == 0) at = i;
        i++;
    }
    int rc = 0;
    if (strcmp(op, "add") == 0) {
        if (at < 0) cJSON_AddItemToArray(keys, cJSON_CreateString(key));
    } else if (strcmp(op, "remove") == 0) {
        if (at >= 0) cJSON_DeleteItemFromArray(keys, at);
    } else {
        rc = emu_patch_invalid(c, op, path);
    }
    free(key);
    return rc;
}

/* A patch of one entry of the mapping templates (keyed by content type,
 * "" kept as null) or of the parameter mappings, the two maps that
 * integrations and integration responses both have; params_check checks a
 * parameter against method. Other paths and ops are not supported. */
static int patch_mapping(emu_call *c, cJSON *obj, const char *op, const char *path,
                         const char *text, const char *templates, const char *params,
                         entry_check params_check, const cJSON *method) {
    char tprefix[32], pprefix[32];
    snprintf(tprefix, sizeof tprefix, "/%s/", templates);
    snprintf(pprefix, sizeof pprefix, "/%s/", params);
    bool is_template = has_prefix(path, tprefix);
    char *key = apigw_patch_key(path, is_template ? tprefix : pprefix);
    if (!key || !apigw_str_in(op, MAP_OPS)) {
        free(key);
        return emu_patch_invalid(c, op, path);
    }
    cJSON *val = strcmp(op, "remove") != 0 ? entry_text(text, is_template) : NULL;
    int rc = patch_entry(c, obj, is_template ? templates : params, op, key, val,
                         is_template ? check_content_types : params_check, method, NULL);
    free(key);
    return rc;
}

static int patch_integration(emu_call *c, cJSON *in, const char *op, const char *path,
                             const cJSON *value, void *ud) {
    const cJSON *method = ud;
    char nb[64];
    const char *text = apigw_patch_text(value, nb);
    if (apigw_str_in(path, INTEGRATION_SCALARS))
        return patch_integration_scalar(c, in, op, path, text);
    if (strcmp(path, "/tlsConfig/insecureSkipVerification") == 0 && strcmp(op, "replace") == 0) {
        json_set_bool(json_child_obj(in, "tlsConfig"), "insecureSkipVerification",
                      apigw_patch_bool(value));
        return 0;
    }
    if (has_prefix(path, "/cacheKeyParameters/") && path[20])
        return patch_cache_key(c, in, op, path);
    return patch_mapping(c, in, op, path, text, "requestTemplates", "requestParameters",
                         check_integration_params, method);
}

static int update_integration(emu_call *c) {
    cJSON *m = apigw_find_method(c, API_ID(c), RES_ID(c), VERB(c));
    cJSON *in = m ? apigw_find_integration(c, API_ID(c), RES_ID(c), VERB(c)) : NULL;
    if (!in || emu_patch_each(c, in, patch_integration, m) != 0) return -1;
    const char *type = json_str(in, "type");
    if (check_target(c, type, json_str(in, "httpMethod"), json_str(in, "uri")) != 0) return -1;
    return emu_reply(c, 0, cJSON_Duplicate(in, 1));
}

/* ========================================================================
 * Method responses
 * ===================================================================== */

static const char NO_STATUS[] = "Invalid Response status code specified";

static cJSON *find_method_response(emu_call *c) {
    if (apigw_check_status(c, STATUS(c)) != 0) return NULL;
    cJSON *m = apigw_find_method(c, API_ID(c), RES_ID(c), VERB(c));
    if (!m) return NULL;
    cJSON *r = json_obj(json_obj(m, "methodResponses"), STATUS(c));
    if (!r) emu_fail_apigw(c, 404, "NotFoundException", NO_STATUS);
    return r;
}

static int put_method_response(emu_call *c) {
    if (apigw_check_status(c, STATUS(c)) != 0) return -1;
    cJSON *m = apigw_find_method(c, API_ID(c), RES_ID(c), VERB(c));
    if (!m) return -1;
    cJSON *r = cJSON_CreateObject();
    json_set_str(r, "statusCode", STATUS(c));
    int rc = apigw_copy_bool_map(c, r, c->body, "responseParameters");
    if (rc == 0) rc = apigw_copy_str_map(c, r, c->body, "responseModels", false);
    if (rc == 0) rc = check_models(c, json_obj(r, "responseModels"), NULL);
    if (rc != 0) {
        cJSON_Delete(r);
        return -1;
    }
    json_set(json_child_obj(m, "methodResponses"), STATUS(c), r);
    return emu_reply(c, 0, cJSON_Duplicate(r, 1));
}

static int get_method_response(emu_call *c) {
    cJSON *r = find_method_response(c);
    return r ? emu_reply(c, 0, cJSON_Duplicate(r, 1)) : -1;
}

static int patch_method_response(emu_call *c, cJSON *r, const char *op, const char *path,
                                 const cJSON *value, void *ud) {
    (void)ud;
    bool params = has_prefix(path, "/responseParameters/");
    char *key = params ? apigw_patch_key(path, "/responseParameters/")
                       : apigw_patch_key(path, "/responseModels/");
    if (!key) return emu_fail_apigw(c, 400, "BadRequestException", "Invalid patch path %s", path);
    if (!apigw_str_in(op, MAP_OPS)) {
        free(key);
        return emu_patch_invalid(c, op, path);
    }
    cJSON *val = NULL;
    if (strcmp(op, "remove") != 0)
        val = params ? cJSON_CreateBool(apigw_patch_bool(value))
                     : cJSON_CreateString(cJSON_IsString(value) ? value->valuestring : "");
    int rc = patch_entry(c, r, params ? "responseParameters" : "responseModels", op, key, val,
                         params ? NULL : check_models, NULL,
                         params ? "Invalid parameter name specified"
                                : "Content-Type specified was not found");
    free(key);
    return rc;
}

static int update_method_response(emu_call *c) {
    cJSON *r = find_method_response(c);
    if (!r || emu_patch_each(c, r, patch_method_response, NULL) != 0) return -1;
    return emu_reply(c, 0, cJSON_Duplicate(r, 1));
}

static int delete_method_response(emu_call *c) {
    if (!find_method_response(c)) return -1;
    cJSON *m = apigw_find_method(c, API_ID(c), RES_ID(c), VERB(c));
    cJSON_DeleteItemFromObjectCaseSensitive(json_obj(m, "methodResponses"), STATUS(c));
    drop_if_empty(m, "methodResponses");
    return emu_reply(c, 0, NULL);
}

/* ========================================================================
 * Integration responses
 * ===================================================================== */

/* method.response.header.X keys need the method response of that status
 * to declare them. */
static int check_response_params(emu_call *c, const cJSON *params, const void *method) {
    if (!params || !params->child) return 0;
    const cJSON *mr = json_obj(json_obj(method, "methodResponses"), STATUS(c));
    if (!mr) return fail_mapping(c, "No method response exists for method.");
    const cJSON *p;
    cJSON_ArrayForEach(p, params) {
        if (!cJSON_GetObjectItemCaseSensitive(json_obj(mr, "responseParameters"), p->string)) {
            char msg[600];
            snprintf(msg, sizeof msg, "Invalid mapping expression parameter specified: %s",
                     p->string);
            return fail_mapping(c, msg);
        }
    }
    return 0;
}

/* Only one integration response may be the default (no selection
 * pattern). */
static int check_default_pattern(emu_call *c, const cJSON *in, const cJSON *resp) {
    const char *pat = json_str(resp, "selectionPattern");
    if (pat && pat[0]) return 0;
    const cJSON *r;
    cJSON_ArrayForEach(r, json_obj(in, "integrationResponses")) {
        const char *other = json_str(r, "selectionPattern");
        if (strcmp(r->string, STATUS(c)) != 0 && (!other || !other[0]))
            return emu_fail_apigw(c, 409, "ConflictException",
                                  "Integration response with selection pattern default already "
                                  "exists");
    }
    return 0;
}

static int put_integration_response(emu_call *c) {
    const cJSON *b = c->body;
    if (apigw_check_status(c, STATUS(c)) != 0) return -1;
    const char *ch = json_str(b, "contentHandling");
    if (ch && !apigw_str_in(ch, CONTENT_HANDLING))
        return apigw_fail_enum(c, ch, "putIntegrationResponseInput.contentHandling",
                               "CONVERT_TO_BINARY, CONVERT_TO_TEXT");
    cJSON *m = apigw_find_method(c, API_ID(c), RES_ID(c), VERB(c));
    if (!m) return -1;
    cJSON *in = json_obj(m, "methodIntegration");
    if (!in)
        return emu_fail_apigw(c, 404, "NotFoundException", "No integration defined for method");
    cJSON *r = cJSON_CreateObject();
    json_set_str(r, "statusCode", STATUS(c));
    copy_str(r, b, "selectionPattern");
    int rc = apigw_copy_str_map(c, r, b, "responseParameters", false);
    if (rc == 0) rc = check_response_params(c, json_obj(r, "responseParameters"), m);
    if (rc == 0) rc = apigw_copy_str_map(c, r, b, "responseTemplates", true);
    if (rc == 0) rc = check_content_types(c, json_obj(r, "responseTemplates"), NULL);
    if (rc == 0) rc = check_default_pattern(c, in, r);
    if (rc != 0) {
        cJSON_Delete(r);
        return -1;
    }
    copy_str(r, b, "contentHandling");
    json_set(json_child_obj(in, "integrationResponses"), STATUS(c), r);
    return emu_reply(c, 0, cJSON_Duplicate(r, 1));
}

/* The integration response of the call; on Delete a missing method reads
 * as a missing integration, as AWS reports it. */
static cJSON *find_integration_response(emu_call *c, bool method_as_integration) {
    if (apigw_check_status(c, STATUS(c)) != 0) return NULL;
    cJSON *in;
    if (method_as_integration) {
        cJSON *res = apigw_find_resource(c, API_ID(c), RES_ID(c));
        if (!res) return NULL;
        in = json_obj(json_obj(json_obj(res, "resourceMethods"), VERB(c)), "methodIntegration");
        if (!in)
            emu_fail_apigw(c, 404, "NotFoundException", "Invalid Integration identifier specified");
    } else {
        in = apigw_find_integration(c, API_ID(c), RES_ID(c), VERB(c));
    }
    if (!in) return NULL;
    cJSON *r = json_obj(json_obj(in, "integrationResponses"), STATUS(c));
    if (!r) emu_fail_apigw(c, 404, "NotFoundException", NO_STATUS);
    return r;
}

static int get_integration_response(emu_call *c) {
    cJSON *r = find_integration_response(c, false);
    return r ? emu_reply(c, 0, cJSON_Duplicate(r, 1)) : -1;
}

static int patch_integration_response(emu_call *c, cJSON *r, const char *op, const char *path,
                                      const cJSON *value, void *ud) {
    const cJSON *method = ud;
    char nb[64];
    const char *text = apigw_patch_text(value, nb);
    if (strcmp(path, "/selectionPattern") == 0 || strcmp(path, "/contentHandling") == 0) {
        bool sel = path[1] == 's';
        if (strcmp(op, "remove") == 0 && !sel) {
            cJSON_DeleteItemFromObjectCaseSensitive(r, "contentHandling");
            return 0;
        }
        if (strcmp(op, "replace") != 0) return emu_patch_invalid(c, op, path);
        if (!sel && text && !apigw_str_in(text, CONTENT_HANDLING))
            return apigw_fail_enum(c, text, "contentHandling",
                                   "CONVERT_TO_BINARY, CONVERT_TO_TEXT");
        json_set_str(r, path + 1, text ? text : "");
        return 0;
    }
    return patch_mapping(c, r, op, path, text, "responseTemplates", "responseParameters",
                         check_response_params, method);
}

static int update_integration_response(emu_call *c) {
    cJSON *r = find_integration_response(c, false);
    if (!r) return -1;
    cJSON *m = apigw_find_method(c, API_ID(c), RES_ID(c), VERB(c));
    if (emu_patch_each(c, r, patch_integration_response, m) != 0) return -1;
    if (check_default_pattern(c, json_obj(m, "methodIntegration"), r) != 0) return -1;
    return emu_reply(c, 0, cJSON_Duplicate(r, 1));
}

static int delete_integration_response(emu_call *c) {
    if (!find_integration_response(c, true)) return -1;
    cJSON *in = apigw_find_integration(c, API_ID(c), RES_ID(c), VERB(c));
    cJSON_DeleteItemFromObjectCaseSensitive(json_obj(in, "integrationResponses"), STATUS(c));
    drop_if_empty(in, "integrationResponses");
    return emu_reply(c, 0, NULL);
}

const emu_route apigw_resource_routes[] = {
    {APIGW_GetResources, get_resources},
    {APIGW_GetResource, get_resource},
    {APIGW_CreateResource, create_resource},
    {APIGW_UpdateResource, update_resource},
    {APIGW_DeleteResource, delete_resource},
    {APIGW_PutMethod, put_method},
    {APIGW_GetMethod, get_method},
    {APIGW_UpdateMethod, update_method},
    {APIGW_DeleteMethod, delete_method},
    {APIGW_PutIntegration, put_integration},
    {APIGW_GetIntegration, get_integration},
    {APIGW_UpdateIntegration, update_integration},
    {APIGW_DeleteIntegration, delete_integration},
    {APIGW_PutMethodResponse, put_method_response},
    {APIGW_GetMethodResponse, get_method_response},
    {APIGW_UpdateMethodResponse, update_method_response},
    {APIGW_DeleteMethodResponse, delete_method_response},
    {APIGW_PutIntegrationResponse, put_integration_response},
    {APIGW_GetIntegrationResponse, get_integration_response},
    {APIGW_UpdateIntegrationResponse, update_integration_response},
    {APIGW_DeleteIntegrationResponse, delete_integration_response},
    {OP__COUNT, NULL},
};
