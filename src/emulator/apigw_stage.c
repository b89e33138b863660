/* API Gateway deployments and stages: CreateDeployment and the stage
 * lifecycle, stage variables, cache cluster, method settings, rollback by
 * pointing a stage at an older deployment, and cache flushes.
 *
 * State (see STATE LAYOUT in emu.h), with the members this module keeps
 * beyond AWS's wire shapes. They start with '_' and never leave the
 * emulator:
 *   restapis[api].deployments[id]._resources
 *       a deep copy of restapis[api].resources taken by CreateDeployment:
 *       the immutable snapshot every stage pointing at the deployment serves.
 *   restapis[api].stages[name]._cacheGeneration
 *       a counter FlushStageCache increments. The data plane keys its stage
 *       cache entries by it, so a flush invalidates every cached response.
 *
 * Where AWS's exact message for an error is not documented anywhere we
 * could find, the message is our best guess and says so in a comment. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apigw_api.h"
#include "core/mem.h"

/* --- shared helpers ------------------------------------------------------ */

static int reply_public(emu_call *c, const cJSON *v) { return emu_reply(c, 0, emu_public_copy(v)); }

static void touch(emu_call *c, cJSON *stage) {
    json_set_num(stage, "lastUpdatedDate", emu_now_s(c));
}

/* --- validation ---------------------------------------------------------- */

static const char *const cache_sizes[] = {"0.5",  "1.6",  "6.1", "13.5",
                                          "28.4", "58.2", "118", "237"};

static bool valid_cache_size(const char *s) {
    for (size_t i = 0; i < sizeof cache_sizes / sizeof *cache_sizes; i++)
        if (strcmp(s, cache_sizes[i]) == 0) return true;
    return false;
}

static int fail_cache_size(emu_call *c, const char *input, const char *value) {
    return emu_fail_apigw(c, 400, "ValidationException",
                          "1 validation error detected: Value '%s' at '%s.cacheClusterSize' failed "
                          "to satisfy constraint: Member must satisfy enum value set: [0.5, 1.6, "
                          "6.1, 13.5, 28.4, 58.2, 118, 237]",
                          value, input);
}

/* Stage names: alphanumerics, hyphens and underscores, at most 128. */
static bool valid_stage_name(const char *s) {
    size_t n = strlen(s);
    if (n == 0 || n > 128) return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-') return false;
    return true;
}

static int fail_stage_name(emu_call *c) {
    /* AWS said "Stage name only allows a-zA-Z0-9_" before hyphens were
     * allowed; the hyphen in this message is our best guess. */
    return apigw_bad_request(c, "Stage name only allows a-zA-Z0-9_-");
}

static bool valid_var_name(const char *s) {
    if (!*s) return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_') return false;
    return true;
}

/* The model documents [A-Za-z0-9-._~:/?#&=,]+; AWS's message also lists
 * the space. */
static bool valid_var_value(const char *s) {
    if (!s || !*s) return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("-._~:/?#&=, ", *s)) return false;
    return true;
}

static int check_variable(emu_call *c, const char *name, const char *value) {
    if (!valid_var_name(name))
        return emu_fail_apigw(c, 400, "BadRequestException",
                              "Invalid stage variable name: %s.  Please use names with only word "
                              "characters.",
                              name);
    if (!valid_var_value(value))
        return emu_fail_apigw(c, 400, "BadRequestException",
                              "Invalid stage variable value: %s.  Please use values with "
                              "alphanumeric characters and the symbols ' ', -', '.', '_', ':', "
                              "'/', '?', '&', '=', and ','.",
                              value ? value : "");
    return 0;
}

static int check_variables(emu_call *c, const cJSON *vars) {
    if (!vars || cJSON_IsNull(vars)) return 0;
    if (!cJSON_IsObject(vars))
        return apigw_bad_request(c, "Invalid stage variables"); /* our guess */
    const cJSON *v;
    cJSON_ArrayForEach(v, vars) {
        if (check_variable(c, v->string, cJSON_GetStringValue(v)) != 0) return -1;
    }
    return 0;
}

/* Optional members of CreateStage / CreateDeployment that shape a stage. */
typedef struct stage_opts {
    const cJSON *variables;
    const cJSON *cache_enabled;
    const char *cache_size;
    const cJSON *tracing;
} stage_opts;

static int read_stage_opts(emu_call *c, const char *input, stage_opts *o) {
    o->variables = cJSON_GetObjectItemCaseSensitive(c->body, "variables");
    o->cache_enabled = cJSON_GetObjectItemCaseSensitive(c->body, "cacheClusterEnabled");
    o->cache_size = json_str(c->body, "cacheClusterSize");
    o->tracing = cJSON_GetObjectItemCaseSensitive(c->body, "tracingEnabled");
    if (o->cache_size && !valid_cache_size(o->cache_size))
        return fail_cache_size(c, input, o->cache_size);
    return check_variables(c, o->variables);
}

/* The cache cluster is there at once (AWS takes minutes); a cluster turned
 * on without a size gets AWS's default, 0.5 GB. */
static void set_cache_cluster(cJSON *stage, bool on) {
    json_set_bool(stage, "cacheClusterEnabled", on);
    json_set_str(stage, "cacheClusterStatus", on ? "AVAILABLE" : "NOT_AVAILABLE");
    if (on && !json_str(stage, "cacheClusterSize")) json_set_str(stage, "cacheClusterSize", "0.5");
}

/* Merge the options into a stage (new or existing). */
static void apply_stage_opts(cJSON *stage, const stage_opts *o) {
    if (cJSON_IsObject(o->variables) && o->variables->child) {
        cJSON *vars = json_child_obj(stage, "variables");
        const cJSON *v;
        cJSON_ArrayForEach(v, o->variables) json_set_str(vars, v->string, v->valuestring);
    }
    if (cJSON_IsBool(o->cache_enabled)) set_cache_cluster(stage, cJSON_IsTrue(o->cache_enabled));
    if (o->cache_size) json_set_str(stage, "cacheClusterSize", o->cache_size);
    if (cJSON_IsBool(o->tracing)) json_set_bool(stage, "tracingEnabled", cJSON_IsTrue(o->tracing));
}

/* --- lookups ------------------------------------------------------------- */

static cJSON *find_deployment(emu_call *c, cJSON *api, const char *id) {
    cJSON *d = json_obj(json_obj(api, "deployments"), id);
    if (!d) emu_fail_apigw(c, 404, "NotFoundException", "Invalid Deployment identifier specified");
    return d;
}

static cJSON *find_stage(emu_call *c, cJSON *api, const char *name) {
    cJSON *s = json_obj(json_obj(api, "stages"), name);
    if (!s) emu_fail_apigw(c, 404, "NotFoundException", "Invalid Stage identifier specified");
    return s;
}

/* --- stages --------------------------------------------------------------- */

static cJSON *new_stage(emu_call *c, cJSON *stages, const char *name, const char *deployment_id,
                        const char *description, const stage_opts *o) {
    cJSON *s = cJSON_CreateObject();
    cJSON_AddStringToObject(s, "deploymentId", deployment_id);
    cJSON_AddStringToObject(s, "stageName", name);
    if (description) cJSON_AddStringToObject(s, "description", description);
    cJSON_AddBoolToObject(s, "cacheClusterEnabled", false);
    cJSON_AddStringToObject(s, "cacheClusterStatus", "NOT_AVAILABLE");
    cJSON_AddItemToObject(s, "methodSettings", cJSON_CreateObject());
    cJSON_AddBoolToObject(s, "tracingEnabled", false);
    double now = emu_now_s(c);
    cJSON_AddNumberToObject(s, "createdDate", now);
    cJSON_AddNumberToObject(s, "lastUpdatedDate", now);
    cJSON_AddNumberToObject(s, "_cacheGeneration", 0);
    apply_stage_opts(s, o);
    cJSON_AddItemToObject(stages, name, s);
    return s;
}

static int create_stage(emu_call *c) {
    cJSON *api = apigw_find_api(c, c->param[0]);
    if (!api) return -1;
    const char *name = json_str(c->body, "stageName");
    const char *dep = json_str(c->body, "deploymentId");
    if (!name) return apigw_fail_null(c, "createStageInput", "stageName");
    if (!dep) return apigw_fail_null(c, "createStageInput", "deploymentId");
    if (!valid_stage_name(name)) return fail_stage_name(c);
    /* The message AWS gives for an unknown deployment on stages. */
    if (!json_obj(json_obj(api, "deployments"), dep))
        return apigw_bad_request(c, "Deployment id does not exist");
    cJSON *stages = apigw_api_part(api, "stages");
    if (json_obj(stages, name))
        return emu_fail_apigw(c, 409, "ConflictException", "Stage already exists");
    stage_opts o;
    if (read_stage_opts(c, "createStageInput", &o) != 0) return -1;
    cJSON *s = new_stage(c, stages, name, dep, json_str(c->body, "description"), &o);
    return reply_public(c, s);
}

static int get_stages(emu_call *c) {
    cJSON *api = apigw_find_api(c, c->param[0]);
    if (!api) return -1;
    char *dep = emu_query(c, "deploymentId");
    cJSON *items = cJSON_CreateArray();
    const cJSON *s;
    cJSON_ArrayForEach(s, json_obj(api, "stages")) {
        const char *d = json_str(s, "deploymentId");
        if (!dep || (d && strcmp(d, dep) == 0)) cJSON_AddItemToArray(items, emu_public_copy(s));
    }
    free(dep);
    cJSON *body = cJSON_CreateObject();
    cJSON_AddItemToObject(body, "item", items);
    return emu_reply(c, 0, body);
}

static int get_stage(emu_call *c) {
    cJSON *api = apigw_find_api(c, c->param[0]);
    cJSON *s = api ? find_stage(c, api, c->param[1]) : NULL;
    return s ? reply_public(c, s) : -1;
}

/* A deleted stage leaves every usage plan it was associated with. */
static void detach_from_usage_plans(emu_call *c, const char *api_id, const char *stage) {
    cJSON *plan;
    cJSON_ArrayForEach(plan, emu_coll(c, "usageplans")) {
        cJSON *stages = json_arr(plan, "apiStages");
        for (int i = cJSON_GetArraySize(stages) - 1; i >= 0; i--) {
            const cJSON *as = cJSON_GetArrayItem(stages, i);
            const char *a = json_str(as, "apiId"), *s = json_str(as, "stage");
            if (a && s && strcmp(a, api_id) == 0 && strcmp(s, stage) == 0)
                cJSON_DeleteItemFromArray(stages, i);
        }
    }
}

static int delete_stage(emu_call *c) {
    cJSON *api = apigw_find_api(c, c->param[0]);
    if (!api || !find_stage(c, api, c->param[1])) return -1;
    cJSON_DeleteItemFromObjectCaseSensitive(json_obj(api, "stages"), c->param[1]);
    detach_from_usage_plans(c, c->param[0], c->param[1]);
    return emu_reply(c, 0, NULL);
}

static int flush_stage_cache(emu_call *c) {
    cJSON *api = apigw_find_api(c, c->param[0]);
    cJSON *s = api ? find_stage(c, api, c->param[1]) : NULL;
    if (!s) return -1;
    json_set_num(s, "_cacheGeneration", json_num_or(s, "_cacheGeneration", 0) + 1);
    return emu_reply(c, 0, NULL);
}

static int flush_stage_authorizers_cache(emu_call *c) {
    cJSON *api = apigw_find_api(c, c->param[0]);
    if (!api || !find_stage(c, api, c->param[1])) return -1;
    return emu_reply(c, 0, NULL); /* the emulator keeps no authorizer results */
}

/* --- UpdateStage ------------------------------------------------------------ */

/* AWS's list, with its odd punctuation, as it sends it. */
static const char stage_paths[] =
    "[/deploymentId, /description, /cacheClusterEnabled, /cacheClusterSize, "
    "/clientCertificateId, /accessLogSettings, /accessLogSettings/destinationArn, "
    "/accessLogSettings/format, /{resourcePath}/{httpMethod}/metrics/enabled, "
    "/{resourcePath}/{httpMethod}/logging/dataTrace, "
    "/{resourcePath}/{httpMethod}/logging/loglevel, "
    "/{resourcePath}/{httpMethod}/throttling/burstLimit/{resourcePath}/{httpMethod}/throttling/"
    "rateLimit/{resourcePath}/{httpMethod}/caching/ttlInSeconds, "
    "/{resourcePath}/{httpMethod}/caching/enabled, /{resourcePath}/{httpMethod}/caching/"
    "dataEncrypted, /{resourcePath}/{httpMethod}/caching/requireAuthorizationForCacheControl, "
    "/{resourcePath}/{httpMethod}/caching/unauthorizedCacheControlHeaderStrategy, "
    "/*/*/metrics/enabled, /*/*/logging/dataTrace, /*/*/logging/loglevel, "
    "/*/*/throttling/burstLimit /*/*/throttling/rateLimit /*/*/caching/ttlInSeconds, "
    "/*/*/caching/enabled, /*/*/caching/dataEncrypted, "
    "/*/*/caching/requireAuthorizationForCacheControl, "
    "/*/*/caching/unauthorizedCacheControlHeaderStrategy, /variables/{variable_name}, "
    "/tracingEnabled]";

static int fail_stage_path(emu_call *c, const char *path) {
    char *msg = xasprintf("Invalid method setting path: %s. Must be one of: %s", path, stage_paths);
    apigw_bad_request(c, msg);
    free(msg);
    return -1;
}

typedef enum { MS_BOOL, MS_INT, MS_DOUBLE, MS_TTL, MS_LOGLEVEL, MS_STRATEGY } ms_type;

typedef struct ms_def {
    const char *path;   /* after /{resourcePath}/{httpMethod}/ */
    const char *member; /* MethodSetting member */
    ms_type type;
} ms_def;

static const ms_def method_settings[] = {
    {"metrics/enabled", "metricsEnabled", MS_BOOL},
    {"logging/loglevel", "loggingLevel", MS_LOGLEVEL},
    {"logging/dataTrace", "dataTraceEnabled", MS_BOOL},
    {"throttling/burstLimit", "throttlingBurstLimit", MS_INT},
    {"throttling/rateLimit", "throttlingRateLimit", MS_DOUBLE},
    {"caching/enabled", "cachingEnabled", MS_BOOL},
    {"caching/ttlInSeconds", "cacheTtlInSeconds", MS_TTL},
    {"caching/dataEncrypted", "cacheDataEncrypted", MS_BOOL},
    {"caching/requireAuthorizationForCacheControl", "requireAuthorizationForCacheControl", MS_BOOL},
    {"caching/unauthorizedCacheControlHeaderStrategy", "unauthorizedCacheControlHeaderStrategy",
     MS_STRATEGY},
};

static const ms_def *find_ms_def(const char *path) {
    for (size_t i = 0; i < sizeof method_settings / sizeof *method_settings; i++)
        if (strcmp(path, method_settings[i].path) == 0) return &method_settings[i];
    return NULL;
}

/* A MethodSetting as AWS fills it in: the account's throttling defaults
 * (10000 requests per second, burst 5000) and the documented cache ones. */
static cJSON *default_method_setting(void) {
    cJSON *m = cJSON_CreateObject();
    cJSON_AddBoolToObject(m, "metricsEnabled", false);
    cJSON_AddBoolToObject(m, "dataTraceEnabled", false);
    cJSON_AddNumberToObject(m, "throttlingBurstLimit", 5000);
    cJSON_AddNumberToObject(m, "throttlingRateLimit", 10000.0);
    cJSON_AddBoolToObject(m, "cachingEnabled", false);
    cJSON_AddNumberToObject(m, "cacheTtlInSeconds", 300);
    cJSON_AddBoolToObject(m, "cacheDataEncrypted", false);
    cJSON_AddBoolToObject(m, "requireAuthorizationForCacheControl", true);
    cJSON_AddStringToObject(m, "unauthorizedCacheControlHeaderStrategy",
                            "SUCCEED_WITH_RESPONSE_HEADER");
    return m;
}

/* The JSON value a method setting patch stores, or NULL after failing the
 * call. The messages for malformed values are our best guesses. */
static cJSON *method_setting_value(emu_call *c, const ms_def *d, const char *v) {
    long n;
    double x;
    switch (d->type) {
    case MS_BOOL: return cJSON_CreateBool(apigw_parse_bool(v));
    case MS_INT:
        if (!emu_parse_long(v, &n) || n < 0) break;
        return cJSON_CreateNumber((double)n);
    case MS_DOUBLE:
        if (!emu_parse_double(v, &x) || x < 0) break;
        return cJSON_CreateNumber(x);
    case MS_TTL:
        if (!emu_parse_long(v, &n)) break;
        if (n < 0 || n > 3600) {
            emu_fail_apigw(c, 400, "BadRequestException",
                           "Cache ttl must be between 0 and 3600 seconds");
            return NULL;
        }
        return cJSON_CreateNumber((double)n);
    case MS_LOGLEVEL:
        if (v && (!strcmp(v, "OFF") || !strcmp(v, "ERROR") || !strcmp(v, "INFO")))
            return cJSON_CreateString(v);
        emu_fail_apigw(c, 400, "BadRequestException",
                       "Invalid logging level specified: %s. Must be one of: [OFF, ERROR, INFO]",
                       v ? v : "null");
        return NULL;
    case MS_STRATEGY:
        if (v && (!strcmp(v, "FAIL_WITH_403") || !strcmp(v, "SUCCEED_WITH_RESPONSE_HEADER") ||
                  !strcmp(v, "SUCCEED_WITHOUT_RESPONSE_HEADER")))
            return cJSON_CreateString(v);
        emu_fail_apigw(c, 400, "BadRequestException",
                       "Invalid unauthorized cache control header strategy specified: %s. Must be "
                       "one of: [FAIL_WITH_403, SUCCEED_WITH_RESPONSE_HEADER, "
                       "SUCCEED_WITHOUT_RESPONSE_HEADER]",
                       v ? v : "null");
        return NULL;
    }
    emu_fail_apigw(c, 400, "BadRequestException", "Invalid value for %s: %s", d->path,
                   v ? v : "null");
    return NULL;
}

/* Does the API have a resource at path (current or deployed) with the
 * method (or any method for "*")? */
static bool resource_has(const cJSON *resources, const char *path, const char *method) {
    const cJSON *r;
    cJSON_ArrayForEach(r, resources) {
        const char *p = json_str(r, "path");
        if (!p || strcmp(p, path) != 0) continue;
        return strcmp(method, "*") == 0 || json_obj(json_obj(r, "resourceMethods"), method) != NULL;
    }
    return false;
}

/* Whether "/{res}/{method}" names something the stage can serve. AWS keeps
 * no setting for paths that match no method of the API (it drops them
 * without an error). */
static bool method_target_exists(cJSON *api, cJSON *stage, const char *res, const char *method) {
    if (strcmp(res, "*") == 0) return strcmp(method, "*") == 0;
    char *path = emu_pointer_unescape(res, strlen(res));
    const cJSON *dep =
        json_obj(json_obj(api, "deployments"), json_str_or(stage, "deploymentId", ""));
    bool ok = path[0] == '/' && (resource_has(json_obj(api, "resources"), path, method) ||
                                 resource_has(json_obj(dep, "_resources"), path, method));
    free(path);
    return ok;
}

typedef struct stage_patch {
    cJSON *api;
} stage_patch;

/* Split "/{res}/{method}[/{setting...}]" into its parts (malloc'd). */
static bool split_method_path(const char *path, char **res, char **method, const char **rest) {
    if (path[0] != '/') return false;
    const char *a = path + 1, *b = strchr(a, '/');
    if (!b || b == a) return false;
    const char *m = b + 1, *e = strchr(m, '/');
    size_t mlen = e ? (size_t)(e - m) : strlen(m);
    if (mlen == 0) return false;
    *res = xstrndup(a, (size_t)(b - a));
    *method = xstrndup(m, mlen);
    *rest = e ? e + 1 : NULL;
    return true;
}

static int patch_method_setting(emu_call *c, cJSON *stage, cJSON *api, const char *op,
                                const char *path, const cJSON *value) {
    char *res = NULL, *method = NULL;
    const char *rest = NULL;
    if (!split_method_path(path, &res, &method, &rest)) return fail_stage_path(c, path);
    int rc = 0;
    char *key = xasprintf("%s/%s", res, method);
    cJSON *settings = json_child_obj(stage, "methodSettings");
    if (!rest) { /* the whole setting of one method */
        if (strcmp(op, "remove") != 0) {
            rc = fail_stage_path(c, path);
        } else if (!json_obj(settings, key)) {
            /* The trailing space is AWS's. */
            rc = emu_fail_apigw(c, 400, "BadRequestException",
                                "Cannot remove method setting %s because there is no method "
                                "setting for this method ",
                                key);
        } else {
            cJSON_DeleteItemFromObjectCaseSensitive(settings, key);
        }
        goto out;
    }
    const ms_def *d = find_ms_def(rest);
    if (!d) {
        rc = fail_stage_path(c, path);
        goto out;
    }
    if (strcmp(op, "replace") != 0 && strcmp(op, "add") != 0) {
        rc = emu_patch_invalid(c, op, path);
        goto out;
    }
    cJSON *v = method_setting_value(c, d, cJSON_GetStringValue(value));
    if (!v) {
        rc = -1;
        goto out;
    }
    if (!method_target_exists(api, stage, res, method)) {
        cJSON_Delete(v);
        goto out;
    }
    cJSON *ms = json_obj(settings, key);
    if (!ms) {
        /* A new method's settings start from the stage-wide ones. */
        const cJSON *all = json_obj(settings, "*/*");
        ms = all ? cJSON_Duplicate(all, 1) : default_method_setting();
        cJSON_AddItemToObject(settings, key, ms);
    }
    json_set(ms, d->member, v);
out:
    free(key);
    free(res);
    free(method);
    return rc;
}

static int patch_variable(emu_call *c, cJSON *stage, const char *op, const char *path,
                          const cJSON *value) {
    const char *name = path + strlen("/variables/");
    if (strcmp(op, "remove") == 0) {
        cJSON_DeleteItemFromObjectCaseSensitive(json_obj(stage, "variables"), name);
        if (!json_obj(stage, "variables") || !json_obj(stage, "variables")->child)
            cJSON_DeleteItemFromObjectCaseSensitive(stage, "variables");
        return 0;
    }
    if (strcmp(op, "replace") != 0 && strcmp(op, "add") != 0) return emu_patch_invalid(c, op, path);
    if (check_variable(c, name, cJSON_GetStringValue(value)) != 0) return -1;
    json_set_str(json_child_obj(stage, "variables"), name, cJSON_GetStringValue(value));
    return 0;
}

static int patch_cache_size(emu_call *c, cJSON *stage, const char *v) {
    if (!v || !valid_cache_size(v)) /* Our best guess at AWS's message. */
        return emu_fail_apigw(c, 400, "BadRequestException",
                              "Invalid cache cluster size specified: %s. Must be one of: [0.5, "
                              "1.6, 6.1, 13.5, 28.4, 58.2, 118, 237]",
                              v ? v : "null");
    json_set_str(stage, "cacheClusterSize", v);
    return 0;
}

static int patch_access_log(emu_call *c, cJSON *stage, const char *op, const char *path,
                            const char *v) {
    if (strcmp(path, "/accessLogSettings") == 0) {
        if (strcmp(op, "remove") != 0) return emu_patch_invalid(c, op, path);
        cJSON_DeleteItemFromObjectCaseSensitive(stage, "accessLogSettings");
        return 0;
    }
    if (strcmp(op, "replace") != 0) return emu_patch_invalid(c, op, path);
    json_set_str(json_child_obj(stage, "accessLogSettings"), path + strlen("/accessLogSettings/"),
                 v ? v : "");
    return 0;
}

/* One patch operation on a stage; see stage_paths for what AWS accepts. */
static int stage_patch_one(emu_call *c, cJSON *stage, const char *op, const char *path,
                           const cJSON *value, void *ud) {
    cJSON *api = ((stage_patch *)ud)->api;
    const char *v = cJSON_GetStringValue(value);
    if (strncmp(path, "/variables/", 11) == 0 && path[11])
        return patch_variable(c, stage, op, path, value);
    if (!strcmp(path, "/accessLogSettings") || !strcmp(path, "/accessLogSettings/format") ||
        !strcmp(path, "/accessLogSettings/destinationArn"))
        return patch_access_log(c, stage, op, path, v);
    static const char *const scalar[] = {"/description",         "/deploymentId",
                                         "/cacheClusterEnabled", "/cacheClusterSize",
                                         "/tracingEnabled",      "/clientCertificateId"};
    bool is_scalar = false;
    for (size_t i = 0; i < sizeof scalar / sizeof *scalar; i++)
        is_scalar |= !strcmp(path, scalar[i]);
    if (!is_scalar) return patch_method_setting(c, stage, api, op, path, value);
    if (strcmp(op, "replace") != 0) return emu_patch_invalid(c, op, path);
    if (!strcmp(path, "/description")) {
        json_set_str(stage, "description", v ? v : "");
    } else if (!strcmp(path, "/deploymentId")) {
        if (!v || !json_obj(json_obj(api, "deployments"), v))
            return apigw_bad_request(c, "Deployment id does not exist");
        json_set_str(stage, "deploymentId", v);
    } else if (!strcmp(path, "/cacheClusterEnabled")) {
        set_cache_cluster(stage, apigw_parse_bool(v));
    } else if (!strcmp(path, "/cacheClusterSize")) {
        return patch_cache_size(c, stage, v);
    } else if (!strcmp(path, "/tracingEnabled")) {
        json_set_bool(stage, "tracingEnabled", apigw_parse_bool(v));
    } else {
        json_set_str(stage, "clientCertificateId", v ? v : "");
    }
    return 0;
}

static int update_stage(emu_call *c) {
    cJSON *api = apigw_find_api(c, c->param[0]);
    cJSON *s = api ? find_stage(c, api, c->param[1]) : NULL;
    if (!s) return -1;
    stage_patch ud = {.api = api};
    if (emu_patch_each(c, s, stage_patch_one, &ud) != 0) return -1;
    touch(c, s);
    return reply_public(c, s);
}

/* --- deployments ---------------------------------------------------------- */

/* AWS refuses to deploy an API without methods, or with a method that has
 * no integration. */
static int check_deployable(emu_call *c, const cJSON *resources) {
    int methods = 0;
    const cJSON *r, *m;
    cJSON_ArrayForEach(r, resources) {
        cJSON_ArrayForEach(m, json_obj(r, "resourceMethods")) {
            methods++;
            if (!json_obj(m, "methodIntegration"))
                return apigw_bad_request(c, "No integration defined for method");
        }
    }
    return methods ? 0 : apigw_bad_request(c, "The REST API doesn't contain any methods");
}

static cJSON *new_deployment(emu_call *c, cJSON *api) {
    cJSON *deps = apigw_api_part(api, "deployments");
    char id[16];
    apigw_new_id(c, deps, 6, id);
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "id", id);
    const char *desc = json_str(c->body, "description");
    if (desc) cJSON_AddStringToObject(d, "description", desc);
    cJSON_AddNumberToObject(d, "createdDate", emu_now_s(c));
    const cJSON *res = json_obj(api, "resources");
    cJSON_AddItemToObject(d, "_resources", res ? cJSON_Duplicate(res, 1) : cJSON_CreateObject());
    cJSON_AddItemToObject(deps, id, d);
    return d;
}

static int create_deployment(emu_call *c) {
    cJSON *api = apigw_find_api(c, c->param[0]);
    if (!api) return -1;
    const char *stage_name = json_str(c->body, "stageName");
    if (stage_name && !*stage_name) stage_name = NULL;
    if (stage_name && !valid_stage_name(stage_name)) return fail_stage_name(c);
    stage_opts o;
    if (read_stage_opts(c, "createDeploymentInput", &o) != 0) return -1;
    if (check_deployable(c, json_obj(api, "resources")) != 0) return -1;
    cJSON *d = new_deployment(c, api);
    const char *id = json_str(d, "id");
    if (stage_name) {
        cJSON *stages = apigw_api_part(api, "stages");
        cJSON *s = json_obj(stages, stage_name);
        if (s) { /* redeploying points the stage at the new snapshot */
            json_set_str(s, "deploymentId", id);
            apply_stage_opts(s, &o);
            touch(c, s);
        } else {
            new_stage(c, stages, stage_name, id, json_str(c->body, "stageDescription"), &o);
        }
    }
    return reply_public(c, d);
}

static int get_deployments(emu_call *c) {
    cJSON *api = apigw_find_api(c, c->param[0]);
    if (!api) return -1;
    cJSON *items = cJSON_CreateArray();
    const cJSON *d;
    cJSON_ArrayForEach(d, json_obj(api, "deployments"))
        cJSON_AddItemToArray(items, emu_public_copy(d));
    return emu_reply_apigw_page(c, items);
}

/* apiSummary: { path: { METHOD: { authorizationType, apiKeyRequired } } }
 * of the deployed snapshot. */
static cJSON *api_summary(const cJSON *resources) {
    cJSON *sum = cJSON_CreateObject();
    const cJSON *r, *m;
    cJSON_ArrayForEach(r, resources) {
        const cJSON *methods = json_obj(r, "resourceMethods");
        const char *path = json_str(r, "path");
        if (!methods || !methods->child || !path) continue;
        cJSON *p = json_child_obj(sum, path);
        cJSON_ArrayForEach(m, methods) {
            cJSON *snap = cJSON_CreateObject();
            cJSON_AddStringToObject(snap, "authorizationType",
                                    json_str_or(m, "authorizationType", "NONE"));
            cJSON_AddBoolToObject(snap, "apiKeyRequired", json_bool_or(m, "apiKeyRequired", false));
            json_set(p, m->string, snap);
        }
    }
    return sum;
}

static int get_deployment(emu_call *c) {
    cJSON *api = apigw_find_api(c, c->param[0]);
    cJSON *d = api ? find_deployment(c, api, c->param[1]) : NULL;
    if (!d) return -1;
    cJSON *out = emu_public_copy(d);
    char *embed = emu_query(c, "embed");
    if (embed && strstr(embed, "apiSummary"))
        cJSON_AddItemToObject(out, "apiSummary", api_summary(json_obj(d, "_resources")));
    free(embed);
    return emu_reply(c, 0, out);
}

static int deployment_patch_one(emu_call *c, cJSON *d, const char *op, const char *path,
                                const cJSON *value, void *ud) {
    (void)ud;
    if (strcmp(path, "/description") != 0 || strcmp(op, "replace") != 0)
        return emu_patch_invalid(c, op, path);
    const char *v = cJSON_GetStringValue(value);
    json_set_str(d, "description", v ? v : "");
    return 0;
}

static int update_deployment(emu_call *c) {
    cJSON *api = apigw_find_api(c, c->param[0]);
    cJSON *d = api ? find_deployment(c, api, c->param[1]) : NULL;
    if (!d || emu_patch_each(c, d, deployment_patch_one, NULL) != 0) return -1;
    return reply_public(c, d);
}

static int delete_deployment(emu_call *c) {
    cJSON *api = apigw_find_api(c, c->param[0]);
    if (!api || !find_deployment(c, api, c->param[1])) return -1;
    const cJSON *s;
    cJSON_ArrayForEach(s, json_obj(api, "stages")) {
        const char *d = json_str(s, "deploymentId");
        if (d && strcmp(d, c->param[1]) == 0)
            return apigw_bad_request(
                c, "Active stages pointing to this deployment must be moved or deleted");
    }
    cJSON_DeleteItemFromObjectCaseSensitive(json_obj(api, "deployments"), c->param[1]);
    return emu_reply(c, 0, NULL);
}

const emu_route apigw_stage_routes[] = {
    {APIGW_CreateDeployment, create_deployment},
    {APIGW_GetDeployments, get_deployments},
    {APIGW_GetDeployment, get_deployment},
    {APIGW_UpdateDeployment, update_deployment},
    {APIGW_DeleteDeployment, delete_deployment},
    {APIGW_CreateStage, create_stage},
    {APIGW_GetStages, get_stages},
    {APIGW_GetStage, get_stage},
    {APIGW_UpdateStage, update_stage},
    {APIGW_DeleteStage, delete_stage},
    {APIGW_FlushStageCache, flush_stage_cache},
    {APIGW_FlushStageAuthorizersCache, flush_stage_authorizers_cache},
    {OP__COUNT, NULL},
};
