/* API Gateway usage plans, API keys, usage plan keys and usage reports.
 *
 * State (see STATE LAYOUT in emu.h), with the members this module keeps
 * beyond AWS's wire shapes. They start with '_' and never leave the
 * emulator:
 *   usageplans[id]._keys
 *       the ids of the API keys of the plan, in the order they were added
 *       (CreateUsagePlanKey appends, DeleteUsagePlanKey and DeleteApiKey
 *       remove).
 *   usageplans[id]._usage
 *       { apiKeyId: { "YYYY-MM-DD": requests } }: how many requests the data
 *       plane let through with that key on that UTC day under this plan.
 *       The data plane records; GetUsage reports it and the quota left.
 *
 * Where AWS's exact message for an error is not documented anywhere we
 * could find, the message is our best guess and says so in a comment. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apigw_api.h"
#include "quota.h"
#include "core/mem.h"

/* --- shared helpers ------------------------------------------------------ */

static bool query_true(emu_call *c, const char *name) {
    char *q = emu_query(c, name);
    bool on = apigw_parse_bool(q);
    free(q);
    return on;
}

/* Index of the string s in the array, or -1. */
static int str_index(const cJSON *arr, const char *s) {
    int i = 0;
    const cJSON *v;
    cJSON_ArrayForEach(v, arr) {
        if (cJSON_IsString(v) && strcmp(v->valuestring, s) == 0) return i;
        i++;
    }
    return -1;
}

static cJSON *find_plan(emu_call *c, const char *id) {
    cJSON *p = json_obj(emu_coll(c, "usageplans"), id);
    if (!p) apigw_not_found(c, "Invalid Usage Plan ID specified");
    return p;
}

static cJSON *find_key(emu_call *c, const char *id) {
    cJSON *k = json_obj(emu_coll(c, "apikeys"), id);
    if (!k) apigw_not_found(c, "Invalid API Key identifier specified");
    return k;
}

static bool stage_exists(emu_call *c, const char *api_id, const char *stage) {
    cJSON *api = json_obj(emu_coll(c, "restapis"), api_id);
    return json_obj(json_obj(api, "stages"), stage) != NULL;
}

/* The apiStages entry of a plan for (api, stage), or NULL. */
static cJSON *plan_stage(const cJSON *plan, const char *api_id, const char *stage) {
    cJSON *as;
    cJSON_ArrayForEach(as, json_arr(plan, "apiStages")) {
        const char *a = json_str(as, "apiId"), *s = json_str(as, "stage");
        if (a && s && !strcmp(a, api_id) && !strcmp(s, stage)) return as;
    }
    return NULL;
}

/* A key may belong to one plan per API stage. Looks for another plan that
 * holds key_id and one of stages; fails the call with a ConflictException
 * naming plan_id when there is one. */
static int check_key_stages(emu_call *c, const char *plan_id, const char *key_id,
                            const cJSON *stages) {
    const cJSON *other, *as;
    cJSON_ArrayForEach(other, emu_coll(c, "usageplans")) {
        if (!strcmp(other->string, plan_id) || str_index(json_arr(other, "_keys"), key_id) < 0)
            continue;
        cJSON_ArrayForEach(as, stages) {
            const char *a = json_str(as, "apiId"), *s = json_str(as, "stage");
            if (a && s && plan_stage(other, a, s)) /* Our best guess at AWS's message. */
                return emu_fail_apigw(c, 409, "ConflictException",
                                      "Usage Plan %s cannot be added because API Key %s cannot "
                                      "reference multiple Usage Plans with the same API Stage: "
                                      "%s:%s",
                                      plan_id, key_id, a, s);
        }
    }
    return 0;
}

/* --- API keys ------------------------------------------------------------ */

static const char key_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

static bool value_taken(emu_call *c, const char *value) {
    const cJSON *k;
    cJSON_ArrayForEach(k, emu_coll(c, "apikeys")) {
        const char *v = json_str(k, "value");
        if (v && strcmp(v, value) == 0) return true;
    }
    return false;
}

/* stageKeys [{restApiId, stageName}] become AWS's "restApiId/stageName". */
static cJSON *read_stage_keys(emu_call *c) {
    cJSON *out = cJSON_CreateArray();
    const cJSON *sk;
    cJSON_ArrayForEach(sk, json_arr(c->body, "stageKeys")) {
        const char *api = json_str(sk, "restApiId"), *stage = json_str(sk, "stageName");
        if (!apigw_find_api(c, api)) goto fail;
        if (!stage || !stage_exists(c, api, stage)) {
            apigw_not_found(c, "Invalid Stage identifier specified");
            goto fail;
        }
        char *s = xasprintf("%s/%s", api, stage);
        cJSON_AddItemToArray(out, cJSON_CreateString(s));
        free(s);
    }
    return out;
fail:
    cJSON_Delete(out);
    return NULL;
}

static int create_api_key(emu_call *c) {
    const char *value = json_str(c->body, "value");
    if (value && strlen(value) < 20)
        return apigw_bad_request(c, "API Key value should be at least 20 characters");
    if (value && value_taken(c, value))
        return emu_fail_apigw(c, 409, "ConflictException", "API Key already exists");
    cJSON *stage_keys = read_stage_keys(c);
    if (!stage_keys) return -1;
    cJSON *keys = emu_coll(c, "apikeys");
    char id[16], gen[41];
    apigw_new_id(c, keys, 10, id);
    if (!value) {
        do rand_chars(&c->emu->rand, key_alphabet, 40, gen);
        while (value_taken(c, gen));
        value = gen;
    }
    cJSON *k = cJSON_CreateObject();
    cJSON_AddStringToObject(k, "id", id);
    cJSON_AddStringToObject(k, "value", value);
    const char *name = json_str(c->body, "name"), *cust = json_str(c->body, "customerId");
    const char *desc = json_str(c->body, "description");
    if (name) cJSON_AddStringToObject(k, "name", name);
    if (cust) cJSON_AddStringToObject(k, "customerId", cust);
    if (desc) cJSON_AddStringToObject(k, "description", desc);
    cJSON_AddBoolToObject(k, "enabled", json_bool_or(c->body, "enabled", false));
    double now = emu_now_s(c);
    cJSON_AddNumberToObject(k, "createdDate", now);
    cJSON_AddNumberToObject(k, "lastUpdatedDate", now);
    cJSON_AddItemToObject(k, "stageKeys", stage_keys);
    const cJSON *tags = json_obj(c->body, "tags");
    if (tags) cJSON_AddItemToObject(k, "tags", cJSON_Duplicate(tags, 1));
    cJSON_AddItemToObject(keys, id, k);
    return emu_reply(c, 0, emu_public_copy(k));
}

/* The ApiKey as a response shows it: the value only when asked for. */
static cJSON *key_view(const cJSON *k, bool with_value) {
    cJSON *out = emu_public_copy(k);
    if (!with_value) cJSON_DeleteItemFromObjectCaseSensitive(out, "value");
    return out;
}

static int get_api_keys(emu_call *c) {
    char *name = emu_query(c, "name"), *cust = emu_query(c, "customerId");
    bool values = query_true(c, "includeValues");
    cJSON *items = cJSON_CreateArray();
    const cJSON *k;
    cJSON_ArrayForEach(k, emu_coll(c, "apikeys")) {
        const char *n = json_str(k, "name"), *cu = json_str(k, "customerId");
        if (name && (!n || strncmp(n, name, strlen(name)) != 0)) continue;
        if (cust && (!cu || strcmp(cu, cust) != 0)) continue;
        cJSON_AddItemToArray(items, key_view(k, values));
    }
    free(name);
    free(cust);
    return emu_reply_apigw_page(c, items);
}

static int get_api_key(emu_call *c) {
    cJSON *k = find_key(c, c->param[0]);
    return k ? emu_reply(c, 0, key_view(k, query_true(c, "includeValue"))) : -1;
}

static int key_stage_patch(emu_call *c, cJSON *k, const char *op, const char *v) {
    const char *slash = v ? strchr(v, '/') : NULL;
    if (!slash) return apigw_bad_request(c, "Invalid stage key specified"); /* our guess */
    cJSON *sk = json_arr(k, "stageKeys");
    if (!sk) {
        sk = cJSON_CreateArray();
        cJSON_AddItemToObject(k, "stageKeys", sk);
    }
    int at = str_index(sk, v);
    if (!strcmp(op, "remove")) {
        if (at >= 0) cJSON_DeleteItemFromArray(sk, at);
        return 0;
    }
    char *api = xstrndup(v, (size_t)(slash - v));
    bool ok = apigw_find_api(c, api) != NULL;
    free(api);
    if (!ok) return -1;
    char *api_id = xstrndup(v, (size_t)(slash - v));
    ok = stage_exists(c, api_id, slash + 1);
    free(api_id);
    if (!ok) return apigw_not_found(c, "Invalid Stage identifier specified");
    if (at < 0) cJSON_AddItemToArray(sk, cJSON_CreateString(v));
    return 0;
}

static int key_patch_one(emu_call *c, cJSON *k, const char *op, const char *path,
                         const cJSON *value, void *ud) {
    (void)ud;
    const char *v = cJSON_GetStringValue(value);
    if (!strcmp(path, "/stages") && (!strcmp(op, "add") || !strcmp(op, "remove")))
        return key_stage_patch(c, k, op, v);
    if (strcmp(op, "replace") != 0) return emu_patch_invalid(c, op, path);
    if (!strcmp(path, "/enabled")) {
        json_set_bool(k, "enabled", apigw_parse_bool(v));
    } else if (!strcmp(path, "/name") || !strcmp(path, "/description") ||
               !strcmp(path, "/customerId")) {
        json_set_str(k, path + 1, v ? v : "");
    } else {
        return emu_patch_invalid(c, op, path);
    }
    return 0;
}

static int update_api_key(emu_call *c) {
    cJSON *k = find_key(c, c->param[0]);
    if (!k || emu_patch_each(c, k, key_patch_one, NULL) != 0) return -1;
    json_set_num(k, "lastUpdatedDate", emu_now_s(c));
    cJSON *out = key_view(k, false);
    if (!json_obj(out, "tags")) cJSON_AddItemToObject(out, "tags", cJSON_CreateObject());
    return emu_reply(c, 0, out);
}

/* The key leaves the plan, with the usage recorded for it there. */
static void remove_plan_key(cJSON *plan, const char *key_id) {
    cJSON *keys = json_arr(plan, "_keys");
    int at = str_index(keys, key_id);
    if (at >= 0) cJSON_DeleteItemFromArray(keys, at);
    cJSON_DeleteItemFromObjectCaseSensitive(json_obj(plan, "_usage"), key_id);
}

static int delete_api_key(emu_call *c) {
    if (!find_key(c, c->param[0])) return -1;
    cJSON *plan;
    cJSON_ArrayForEach(plan, emu_coll(c, "usageplans")) remove_plan_key(plan, c->param[0]);
    cJSON_DeleteItemFromObjectCaseSensitive(emu_coll(c, "apikeys"), c->param[0]);
    return emu_reply(c, 0, NULL);
}

/* --- usage plans ---------------------------------------------------------- */

static bool valid_period(const char *p) {
    return p && (!strcmp(p, "DAY") || !strcmp(p, "WEEK") || !strcmp(p, "MONTH"));
}

static int read_api_stages(emu_call *c, cJSON *plan) {
    cJSON *out = cJSON_CreateArray();
    cJSON_AddItemToObject(plan, "apiStages", out);
    const cJSON *as;
    cJSON_ArrayForEach(as, json_arr(c->body, "apiStages")) {
        const char *a = json_str(as, "apiId"), *s = json_str(as, "stage");
        if (!a || !*a || !s || !*s || !stage_exists(c, a, s))
            /* AWS sends this message with its placeholders unfilled. */
            return apigw_bad_request(
                c, "Invalid API Stage {api: %s, stage: %s} specified for usageplan %s");
        if (plan_stage(plan, a, s)) continue;
        cJSON *entry = cJSON_CreateObject();
        cJSON_AddStringToObject(entry, "apiId", a);
        cJSON_AddStringToObject(entry, "stage", s);
        const cJSON *thr = json_obj(as, "throttle");
        if (thr) cJSON_AddItemToObject(entry, "throttle", cJSON_Duplicate(thr, 1));
        cJSON_AddItemToArray(out, entry);
    }
    return 0;
}

static void add_throttle(cJSON *plan, const cJSON *thr) {
    cJSON *t = cJSON_CreateObject();
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(thr, "burstLimit");
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(thr, "rateLimit");
    if (cJSON_IsNumber(b)) cJSON_AddNumberToObject(t, "burstLimit", (double)(long)b->valuedouble);
    if (cJSON_IsNumber(r)) cJSON_AddNumberToObject(t, "rateLimit", r->valuedouble);
    cJSON_AddItemToObject(plan, "throttle", t);
}

static int add_quota(emu_call *c, cJSON *plan, const cJSON *q) {
    const char *period = json_str(q, "period");
    if (!valid_period(period))
        return emu_fail_apigw(c, 400, "ValidationException",
                              "1 validation error detected: Value '%s' at "
                              "'createUsagePlanInput.quota.period' failed to satisfy constraint: "
                              "Member must satisfy enum value set: [DAY, WEEK, MONTH]",
                              period ? period : "null");
    cJSON *out = cJSON_CreateObject();
    cJSON_AddNumberToObject(out, "limit", (double)(long)json_num_or(q, "limit", 0));
    cJSON_AddNumberToObject(out, "offset", (double)(long)json_num_or(q, "offset", 0));
    cJSON_AddStringToObject(out, "period", period);
    cJSON_AddItemToObject(plan, "quota", out);
    return 0;
}

static int create_usage_plan(emu_call *c) {
    const char *name = json_str(c->body, "name");
    if (!name) return apigw_fail_null(c, "createUsagePlanInput", "name");
    cJSON *plans = emu_coll(c, "usageplans");
    char id[16];
    apigw_new_id(c, plans, 6, id);
    cJSON *p = cJSON_CreateObject();
    cJSON_AddItemToObject(plans, id, p); /* rolled back if a check below fails */
    cJSON_AddStringToObject(p, "id", id);
    cJSON_AddStringToObject(p, "name", name);
    const char *desc = json_str(c->body, "description");
    if (desc) cJSON_AddStringToObject(p, "description", desc);
    if (read_api_stages(c, p) != 0) return -1;
    const cJSON *thr = json_obj(c->body, "throttle"), *q = json_obj(c->body, "quota");
    if (thr) add_throttle(p, thr);
    if (q && add_quota(c, p, q) != 0) return -1;
    const char *pc = json_str(c->body, "productCode");
    if (pc) cJSON_AddStringToObject(p, "productCode", pc);
    const cJSON *tags = json_obj(c->body, "tags");
    if (tags) cJSON_AddItemToObject(p, "tags", cJSON_Duplicate(tags, 1));
    cJSON_AddItemToObject(p, "_keys", cJSON_CreateArray());
    cJSON_AddItemToObject(p, "_usage", cJSON_CreateObject());
    return emu_reply(c, 0, emu_public_copy(p));
}

static int get_usage_plans(emu_call *c) {
    char *key = emu_query(c, "keyId");
    cJSON *items = cJSON_CreateArray();
    const cJSON *p;
    cJSON_ArrayForEach(p, emu_coll(c, "usageplans")) {
        if (key && str_index(json_arr(p, "_keys"), key) < 0) continue;
        cJSON_AddItemToArray(items, emu_public_copy(p));
    }
    free(key);
    return emu_reply_apigw_page(c, items);
}

/* GetUsagePlan and UpdateUsagePlan show the tags even when there are none. */
static int reply_plan(emu_call *c, const cJSON *p) {
    cJSON *out = emu_public_copy(p);
    if (!json_obj(out, "tags")) cJSON_AddItemToObject(out, "tags", cJSON_CreateObject());
    return emu_reply(c, 0, out);
}

static int get_usage_plan(emu_call *c) {
    cJSON *p = find_plan(c, c->param[0]);
    return p ? reply_plan(c, p) : -1;
}

static int delete_usage_plan(emu_call *c) {
    cJSON *p = find_plan(c, c->param[0]);
    if (!p) return -1;
    const cJSON *first = cJSON_GetArrayItem(json_arr(p, "apiStages"), 0);
    if (first)
        return emu_fail_apigw(c, 400, "BadRequestException",
                              "Cannot delete Usage Plan %s because there are API Stages associated "
                              "with it, including %s:%s",
                              c->param[0], json_str_or(first, "apiId", ""),
                              json_str_or(first, "stage", ""));
    cJSON_DeleteItemFromObjectCaseSensitive(emu_coll(c, "usageplans"), c->param[0]);
    return emu_reply(c, 0, NULL);
}

/* --- UpdateUsagePlan -------------------------------------------------------- */

static int fail_remove_path(emu_call *c, const char *path) {
    return emu_fail_apigw(c, 400, "BadRequestException",
                          "Invalid patch path  '%s' specified for op 'remove'. Must be one of: "
                          "[/apiStages, /quota, /throttle, /productCode, "
                          "/apiStages/<apidId:stageName>/throttle/<resourcePath>/<httpMethod>, "
                          "/apiStages/<apidId:stageName>/throttle]",
                          path);
}

static int fail_plan_stage(emu_call *c, const char *api, const char *stage, const char *plan_id) {
    return emu_fail_apigw(c, 404, "NotFoundException",
                          "Invalid API Stage {api: %s, stage: %s} specified for usageplan %s", api,
                          stage, plan_id);
}

/* "apiId:stage" → its two halves (malloc'd), false when malformed. */
static bool split_api_stage(const char *v, size_t n, char **api, char **stage) {
    const char *colon = v ? memchr(v, ':', n) : NULL;
    if (!colon || colon == v || colon + 1 == v + n) return false;
    *api = xstrndup(v, (size_t)(colon - v));
    *stage = xstrndup(colon + 1, n - (size_t)(colon - v) - 1);
    return true;
}

static int patch_api_stages(emu_call *c, cJSON *plan, const char *op, const char *v) {
    char *api = NULL, *stage = NULL;
    if (!v || !split_api_stage(v, strlen(v), &api, &stage))
        return apigw_bad_request(c, "Invalid API Stage specified");
    const char *plan_id = json_str(plan, "id");
    int rc = 0;
    cJSON *stages = json_arr(plan, "apiStages");
    cJSON *entry = plan_stage(plan, api, stage);
    if (!strcmp(op, "remove")) {
        if (!entry)
            rc = fail_plan_stage(c, api, stage, plan_id);
        else
            cJSON_Delete(cJSON_DetachItemViaPointer(stages, entry));
    } else if (!stage_exists(c, api, stage)) {
        rc = fail_plan_stage(c, api, stage, plan_id);
    } else if (!entry) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "apiId", api);
        cJSON_AddStringToObject(e, "stage", stage);
        cJSON *one = cJSON_CreateArray();
        cJSON_AddItemReferenceToArray(one, e);
        const cJSON *k;
        cJSON_ArrayForEach(k, json_arr(plan, "_keys")) {
            if (rc == 0) rc = check_key_stages(c, plan_id, k->valuestring, one);
        }
        cJSON_Delete(one);
        if (rc == 0)
            cJSON_AddItemToArray(stages, e);
        else
            cJSON_Delete(e);
    }
    free(api);
    free(stage);
    return rc;
}

/* The throttle map of an API stage: keys "/path/METHOD" (the path
 * unescaped, so the root's is "//GET"), values ThrottleSettings. */
static int patch_stage_throttle(emu_call *c, cJSON *plan, const char *op, const char *path,
                                const char *v) {
    const char *p = path + strlen("/apiStages/");
    const char *slash = strchr(p, '/');
    char *api = NULL, *stage = NULL;
    if (!slash || strncmp(slash, "/throttle", 9) != 0 || (slash[9] && slash[9] != '/') ||
        !split_api_stage(p, (size_t)(slash - p), &api, &stage))
        return !strcmp(op, "remove") ? fail_remove_path(c, path) : emu_patch_invalid(c, op, path);
    int rc = 0;
    cJSON *entry = plan_stage(plan, api, stage);
    const char *rest = slash[9] ? slash + 10 : NULL; /* "{res}/{METHOD}[/member]" */
    if (!entry) {
        rc = fail_plan_stage(c, api, stage, json_str(plan, "id"));
    } else if (!rest) {
        if (!strcmp(op, "remove")) {
            cJSON_DeleteItemFromObjectCaseSensitive(entry, "throttle");
        } else {
            cJSON *map = v ? cJSON_Parse(v) : NULL;
            if (!cJSON_IsObject(map)) {
                cJSON_Delete(map);
                rc = apigw_bad_request(c, "Invalid throttle settings specified"); /* our guess */
            } else {
                json_set(entry, "throttle", map);
            }
        }
    } else {
        const char *s1 = strchr(rest, '/');
        const char *s2 = s1 ? strchr(s1 + 1, '/') : NULL;
        const char *member = s2 ? s2 + 1 : NULL;
        size_t mlen = s1 ? (size_t)((s2 ? s2 : s1 + strlen(s1)) - (s1 + 1)) : 0;
        bool is_remove = !strcmp(op, "remove");
        if (!s1 || s1 == rest || mlen == 0 || (is_remove != !member) ||
            (member && strcmp(member, "rateLimit") && strcmp(member, "burstLimit"))) {
            rc = is_remove ? fail_remove_path(c, path) : emu_patch_invalid(c, op, path);
        } else {
            char *res = emu_pointer_unescape(rest, (size_t)(s1 - rest));
            char *key = xasprintf("%s/%.*s", res, (int)mlen, s1 + 1);
            cJSON *thr = json_child_obj(entry, "throttle");
            double x;
            if (is_remove) {
                cJSON_DeleteItemFromObjectCaseSensitive(thr, key);
            } else if (!emu_parse_double(v, &x) || x < 0) {
                rc = apigw_bad_request(c, "Invalid throttle settings specified"); /* our guess */
            } else {
                json_set_num(json_child_obj(thr, key), member,
                             strcmp(member, "burstLimit") ? x : (double)(long)x);
            }
            free(key);
            free(res);
        }
    }
    free(api);
    free(stage);
    return rc;
}

static int patch_limit(emu_call *c, cJSON *plan, const char *path, const char *v) {
    const char *part = strncmp(path, "/quota/", 7) == 0 ? "quota" : "throttle";
    const char *member = path + strlen(part) + 2;
    cJSON *obj = json_child_obj(plan, part);
    if (!strcmp(part, "quota") && !json_has(obj, "offset")) json_set_num(obj, "offset", 0);
    if (!strcmp(member, "period")) {
        if (!valid_period(v)) /* Our best guess at AWS's message. */
            return emu_fail_apigw(c, 400, "BadRequestException",
                                  "Invalid quota period specified: %s. Must be one of: [DAY, "
                                  "WEEK, MONTH]",
                                  v ? v : "null");
        json_set_str(obj, "period", v);
        return 0;
    }
    double x;
    long n;
    bool is_rate = !strcmp(member, "rateLimit");
    if (is_rate ? !emu_parse_double(v, &x) : !emu_parse_long(v, &n))
        return emu_fail_apigw(c, 400, "BadRequestException", "Invalid value for %s: %s", path,
                              v ? v : "null"); /* our guess */
    json_set_num(obj, member, is_rate ? x : (double)n);
    return 0;
}

static int plan_patch_one(emu_call *c, cJSON *plan, const char *op, const char *path,
                          const cJSON *value, void *ud) {
    (void)ud;
    const char *v = cJSON_GetStringValue(value);
    bool set = !strcmp(op, "replace") || !strcmp(op, "add");
    if (!strcmp(path, "/apiStages") && (!strcmp(op, "add") || !strcmp(op, "remove")))
        return patch_api_stages(c, plan, op, v);
    if (!strncmp(path, "/apiStages/", 11)) return patch_stage_throttle(c, plan, op, path, v);
    if (!strcmp(op, "remove")) {
        if (strcmp(path, "/quota") && strcmp(path, "/throttle") && strcmp(path, "/productCode"))
            return fail_remove_path(c, path);
        cJSON_DeleteItemFromObjectCaseSensitive(plan, path + 1);
        return 0;
    }
    static const char *const limits[] = {"/throttle/rateLimit", "/throttle/burstLimit",
                                         "/quota/limit", "/quota/offset", "/quota/period"};
    for (size_t i = 0; i < sizeof limits / sizeof *limits; i++)
        if (set && !strcmp(path, limits[i])) return patch_limit(c, plan, path, v);
    if (set && !strcmp(path, "/productCode")) {
        json_set_str(plan, "productCode", v ? v : "");
    } else if (!strcmp(op, "replace") &&
               (!strcmp(path, "/name") || !strcmp(path, "/description"))) {
        json_set_str(plan, path + 1, v ? v : "");
    } else {
        return emu_patch_invalid(c, op, path);
    }
    return 0;
}

static int update_usage_plan(emu_call *c) {
    cJSON *p = find_plan(c, c->param[0]);
    if (!p || emu_patch_each(c, p, plan_patch_one, NULL) != 0) return -1;
    return reply_plan(c, p);
}

/* --- usage plan keys ------------------------------------------------------ */

static cJSON *plan_key_view(const cJSON *k) {
    cJSON *out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "id", json_str_or(k, "id", ""));
    cJSON_AddStringToObject(out, "type", "API_KEY");
    cJSON_AddStringToObject(out, "value", json_str_or(k, "value", ""));
    const char *name = json_str(k, "name");
    if (name) cJSON_AddStringToObject(out, "name", name);
    return out;
}

static int create_usage_plan_key(emu_call *c) {
    cJSON *p = find_plan(c, c->param[0]);
    if (!p) return -1;
    const char *key_id = json_str(c->body, "keyId"), *type = json_str(c->body, "keyType");
    if (!key_id) return apigw_fail_null(c, "createUsagePlanKeyInput", "keyId");
    if (!type) return apigw_fail_null(c, "createUsagePlanKeyInput", "keyType");
    if (strcmp(type, "API_KEY") != 0)
        return emu_fail_apigw(c, 400, "BadRequestException", "Invalid key type specified: %s",
                              type); /* our guess */
    cJSON *k = find_key(c, key_id);
    if (!k) return -1;
    cJSON *keys = json_arr(p, "_keys");
    if (!keys) {
        keys = cJSON_CreateArray();
        cJSON_AddItemToObject(p, "_keys", keys);
    }
    if (str_index(keys, key_id) >= 0)
        return emu_fail_apigw(c, 409, "ConflictException",
                              "Usage Plan Key already exists"); /* our guess */
    if (check_key_stages(c, c->param[0], key_id, json_arr(p, "apiStages")) != 0) return -1;
    cJSON_AddItemToArray(keys, cJSON_CreateString(key_id));
    return emu_reply(c, 0, plan_key_view(k));
}

static int get_usage_plan_keys(emu_call *c) {
    cJSON *p = find_plan(c, c->param[0]);
    if (!p) return -1;
    char *name = emu_query(c, "name");
    cJSON *items = cJSON_CreateArray();
    const cJSON *id;
    cJSON_ArrayForEach(id, json_arr(p, "_keys")) {
        const cJSON *k = json_obj(emu_coll(c, "apikeys"), id->valuestring);
        const char *n = json_str(k, "name");
        if (!k || (name && (!n || strncmp(n, name, strlen(name)) != 0))) continue;
        cJSON_AddItemToArray(items, plan_key_view(k));
    }
    free(name);
    return emu_reply_apigw_page(c, items);
}

/* The key of a plan: an unknown key is reported first, then a key that is
 * not in the plan (as AWS does, reporting the plan). */
static cJSON *find_plan_key(emu_call *c, cJSON **plan) {
    *plan = find_plan(c, c->param[0]);
    if (!*plan) return NULL;
    cJSON *k = find_key(c, c->param[1]);
    if (!k) return NULL;
    if (str_index(json_arr(*plan, "_keys"), c->param[1]) < 0) {
        apigw_not_found(c, "Invalid Usage Plan ID specified");
        return NULL;
    }
    return k;
}

static int get_usage_plan_key(emu_call *c) {
    cJSON *plan;
    cJSON *k = find_plan_key(c, &plan);
    return k ? emu_reply(c, 0, plan_key_view(k)) : -1;
}

static int delete_usage_plan_key(emu_call *c) {
    cJSON *plan;
    if (!find_plan_key(c, &plan)) return -1;
    remove_plan_key(plan, c->param[1]);
    return emu_reply(c, 0, NULL);
}

/* --- GetUsage ---------------------------------------------------------------- */

/* [[used, remaining], ...] for each day of [from, to]. Remaining is what
 * the quota leaves at the end of the day within its period (0 when the
 * plan has no quota). */
static cJSON *key_usage(const cJSON *plan, const char *key_id, long from, long to) {
    const cJSON *usage = json_obj(json_obj(plan, "_usage"), key_id);
    const cJSON *quota = json_obj(plan, "quota");
    const char *period = json_str_or(quota, "period", "DAY");
    long limit = (long)json_num_or(quota, "limit", 0);
    cJSON *days = cJSON_CreateArray();
    for (long day = from; day <= to; day++) {
        long used = quota_used_on(usage, day);
        long spent = quota_used_in_period(usage, period, day);
        long left = quota && limit > spent ? limit - spent : 0;
        cJSON *pair = cJSON_CreateArray();
        cJSON_AddItemToArray(pair, cJSON_CreateNumber((double)used));
        cJSON_AddItemToArray(pair, cJSON_CreateNumber((double)left));
        cJSON_AddItemToArray(days, pair);
    }
    return days;
}

static int read_usage_range(emu_call *c, long *from, long *to, char **start, char **end) {
    *start = emu_query(c, "startDate");
    *end = emu_query(c, "endDate");
    if (!*start) return apigw_fail_null(c, "getUsageInput", "startDate");
    if (!*end) return apigw_fail_null(c, "getUsageInput", "endDate");
    /* Our best guesses at AWS's messages. */
    if (!quota_parse_day(*start, from))
        return emu_fail_apigw(c, 400, "BadRequestException", "Invalid start date: %s", *start);
    if (!quota_parse_day(*end, to))
        return emu_fail_apigw(c, 400, "BadRequestException", "Invalid end date: %s", *end);
    if (*to < *from) return apigw_bad_request(c, "The start date must not be after the end date");
    return 0;
}

static int get_usage(emu_call *c) {
    cJSON *p = find_plan(c, c->param[0]);
    if (!p) return -1;
    long from, to;
    char *start = NULL, *end = NULL, *key = NULL, *pos = NULL;
    int limit, rc = -1;
    if (read_usage_range(c, &from, &to, &start, &end) != 0 || emu_apigw_limit(c, &limit) != 0)
        goto out;
    long first = 0;
    pos = emu_query(c, "position");
    if (pos && (!emu_parse_long(pos, &first) || first < 0)) {
        rc = apigw_bad_request(c, "Invalid position parameter");
        goto out;
    }
    key = emu_query(c, "keyId");
    cJSON *values = cJSON_CreateObject();
    long index = 0, shown = 0;
    const cJSON *id;
    bool more = false;
    cJSON_ArrayForEach(id, json_arr(p, "_keys")) {
        if (key && strcmp(id->valuestring, key) != 0) continue;
        if (index++ < first) continue;
        if (shown == limit) {
            more = true;
            break;
        }
        cJSON_AddItemToObject(values, id->valuestring, key_usage(p, id->valuestring, from, to));
        shown++;
    }
    cJSON *body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "usagePlanId", c->param[0]);
    cJSON_AddStringToObject(body, "startDate", start);
    cJSON_AddStringToObject(body, "endDate", end);
    if (more) {
        char next[24];
        snprintf(next, sizeof next, "%ld", first + shown);
        cJSON_AddStringToObject(body, "position", next);
    }
    /* The model names the member items; its wire name is "values". */
    cJSON_AddItemToObject(body, "values", values);
    rc = emu_reply(c, 0, body);
out:
    free(start);
    free(end);
    free(key);
    free(pos);
    return rc;
}

const emu_route apigw_usage_routes[] = {
    {APIGW_CreateUsagePlan, create_usage_plan},
    {APIGW_GetUsagePlans, get_usage_plans},
    {APIGW_GetUsagePlan, get_usage_plan},
    {APIGW_UpdateUsagePlan, update_usage_plan},
    {APIGW_DeleteUsagePlan, delete_usage_plan},
    {APIGW_CreateApiKey, create_api_key},
    {APIGW_GetApiKeys, get_api_keys},
    {APIGW_GetApiKey, get_api_key},
    {APIGW_UpdateApiKey, update_api_key},
    {APIGW_DeleteApiKey, delete_api_key},
    {APIGW_CreateUsagePlanKey, create_usage_plan_key},
    {APIGW_GetUsagePlanKeys, get_usage_plan_keys},
    {APIGW_GetUsagePlanKey, get_usage_plan_key},
    {APIGW_DeleteUsagePlanKey, delete_usage_plan_key},
    {APIGW_GetUsage, get_usage},
    {OP__COUNT, NULL},
};
