/* API keys, throttling and quotas on the data plane, in API Gateway's order:
 *
 * 1. A method with apiKeyRequired takes the key from the x-api-key header
 *    (apiKeySource HEADER; the emulator has no authorizers, so AUTHORIZER
 *    finds no key). The key must exist, be enabled and belong to a usage
 *    plan bound to this API and stage; otherwise 403 Forbidden.
 * 2. Token buckets (capacity = burst, refilled at rate per second), the
 *    tightest first failing the request with 429 Too Many Requests:
 *    - the plan's throttle, per API key, shared by every stage of the plan;
 *    - the plan's per-method throttle of this stage ("/path/VERB"), per key;
 *    - the stage's method settings (the method's own or "*" "/" "*"), one
 *      bucket per method: "*" "/" "*" gives every method its own bucket.
 *    The account-level limit (10000 rps, burst 5000) is not modelled.
 * 3. The plan's quota per key over the UTC day, ISO week (Monday first) or
 *    calendar month: past it, 429 Limit Exceeded.
 * Requests that pass all three count as used, whatever the backend then
 * answers (API Gateway counts them; gateway errors before this point do
 * not). The count goes to usageplans[id]._usage[keyId]["YYYY-MM-DD"] in the
 * state, where GetUsage reads it; buckets live in memory only.
 *
 * The log lines for keys follow CloudWatch's execution logs; the wording of
 * the failure lines is our best guess. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "gateway_internal.h"
#include "quota.h"

typedef struct gw_bucket {
    double tokens, rate, burst;
    int64_t last_ms;
} gw_bucket;

/* --- API keys ------------------------------------------------------------------- */

static void masked(const char *value, char out[24]) {
    size_t n = strlen(value);
    snprintf(out, 24, "**********%s", n > 4 ? value + n - 4 : "");
}

static const cJSON *key_by_value(gw_ctx *g, const char *value) {
    const cJSON *k;
    cJSON_ArrayForEach(k, emu_coll(g->c, "apikeys")) {
        const char *v = json_str(k, "value");
        if (v && strcmp(v, value) == 0) return k;
    }
    return NULL;
}

static bool str_in(const cJSON *arr, const char *s) {
    const cJSON *v;
    cJSON_ArrayForEach(v, arr) {
        if (cJSON_IsString(v) && strcmp(v->valuestring, s) == 0) return true;
    }
    return false;
}

/* The plan's apiStages entry for this API and stage, or NULL. */
static const cJSON *plan_stage(const cJSON *plan, const char *api, const char *stage) {
    const cJSON *s;
    cJSON_ArrayForEach(s, json_arr(plan, "apiStages")) {
        if (!strcmp(json_str_or(s, "apiId", ""), api) &&
            !strcmp(json_str_or(s, "stage", ""), stage))
            return s;
    }
    return NULL;
}

/* The usage plan that lets key_id call this stage, or NULL. */
static cJSON *plan_for(gw_ctx *g, const char *key_id) {
    cJSON *p;
    cJSON_ArrayForEach(p, emu_coll(g->c, "usageplans")) {
        if (plan_stage(p, g->api_id, g->stage_name) && str_in(json_arr(p, "_keys"), key_id))
            return p;
    }
    return NULL;
}

static const char *request_header(const gw_ctx *g, const char *name) {
    const cJSON *vals = cJSON_GetObjectItem(g->headers, name);
    return cJSON_GetStringValue(cJSON_GetArrayItem(vals, 0));
}

static int forbidden(gw_ctx *g, const char *why) {
    return gw_fail(g, 403, "ForbiddenException", "Forbidden", why);
}

/* Step 1; *plan gets the key's usage plan. */
static int check_key(gw_ctx *g, cJSON **plan) {
    *plan = NULL;
    char who[80];
    snprintf(who, sizeof who, "%s %s", json_str_or(g->method, "httpMethod", g->verb),
             json_str_or(g->resource, "path", "/"));
    const char *source = json_str_or(json_obj(g->api, "api"), "apiKeySource", "HEADER");
    const char *value = strcmp(source, "HEADER") == 0 ? request_header(g, "x-api-key") : NULL;
    char line[512];
    if (!value || !*value) {
        snprintf(line, sizeof line,
                 "API Key not found: method '%s' requires an API Key, taken from the %s", who,
                 strcmp(source, "HEADER") == 0 ? "x-api-key header" : "authorizer");
        return forbidden(g, line);
    }
    char mask[24];
    masked(value, mask);
    gw_log(g, "Verifying Usage Plan for request: %s. API Key: %s API Stage: %s/%s", g->request_id,
           mask, g->api_id, g->stage_name);
    const cJSON *key = key_by_value(g, value);
    cJSON *p =
        key && json_bool_or(key, "enabled", false) ? plan_for(g, json_str_or(key, "id", "")) : NULL;
    if (!p) {
        snprintf(line, sizeof line,
                 "API Key %s not authorized because method '%s' requires API Key and API Key is %s",
                 mask, who,
                 !key ? "not valid"
                 : !json_bool_or(key, "enabled", false)
                     ? "disabled"
                     : "not associated with a Usage Plan for this API Stage");
        return forbidden(g, line);
    }
    gw_log(g,
           "API Key %s authorized because method '%s' requires API Key and API Key is associated "
           "with a Usage Plan for API Stage %s/%s.",
           mask, who, g->api_id, g->stage_name);
    g->api_key = key;
    *plan = p;
    return GW_OK;
}

/* --- token buckets --------------------------------------------------------------- */

typedef struct limit {
    char key[600];
    double rate, burst;
} limit;

typedef struct limits {
    limit v[3];
    size_t n;
} limits;

static void add_limit(limits *l, const cJSON *settings, const char *rate_key, const char *burst_key,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void add_limit(limits *l, const cJSON *settings, const char *rate_key, const char *burst_key,
                      const char *fmt, ...) {
    if (!settings || l->n == 3) return;
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(settings, rate_key);
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(settings, burst_key);
    if (!cJSON_IsNumber(r) && !cJSON_IsNumber(b)) return;
    limit *x = &l->v[l->n++];
    x->rate = cJSON_IsNumber(r) ? r->valuedouble : 0;
    x->burst = cJSON_IsNumber(b) ? b->valuedouble : 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->key, sizeof x->key, fmt, ap);
    va_end(ap);
}

/* JSON-pointer escaping of a resource path, as method settings are keyed:
 * "/items/{ID}" → "~1items~1{ID}". */
static void escape_path(const char *path, char *out, size_t n) {
    size_t j = 0;
    for (; *path && j + 3 < n; path++) {
        if (*path == '/' || *path == '~') {
            out[j++] = '~';
            out[j++] = *path == '/' ? '1' : '0';
        } else {
            out[j++] = *path;
        }
    }
    out[j] = '\0';
}

const cJSON *gw_method_setting(const gw_ctx *g, bool *own) {
    const cJSON *all = json_obj(g->stage, "methodSettings");
    char esc[600], key[640];
    escape_path(json_str_or(g->resource, "path", "/"), esc, sizeof esc);
    snprintf(key, sizeof key, "%s/%s", esc, json_str_or(g->method, "httpMethod", g->verb));
    const cJSON *ms = json_obj(all, key);
    if (own) *own = ms != NULL;
    return ms ? ms : json_obj(all, "*/*");
}

static void collect_limits(gw_ctx *g, const cJSON *plan, limits *l) {
    const char *path = json_str_or(g->resource, "path", "/");
    const char *verb = json_str_or(g->method, "httpMethod", g->verb);
    if (plan) {
        const char *pid = json_str_or(plan, "id", ""), *kid = json_str_or(g->api_key, "id", "");
        add_limit(l, json_obj(plan, "throttle"), "rateLimit", "burstLimit", "plan\n%s\n%s", pid,
                  kid);
        char mkey[600];
        snprintf(mkey, sizeof mkey, "%s/%s", path, verb);
        const cJSON *thr = json_obj(plan_stage(plan, g->api_id, g->stage_name), "throttle");
        add_limit(l, json_obj(thr, mkey), "rateLimit", "burstLimit", "plan\n%s\n%s\n%s\n%s\n%s",
                  pid, kid, g->api_id, g->stage_name, mkey);
    }
    add_limit(l, gw_method_setting(g, NULL), "throttlingRateLimit", "throttlingBurstLimit",
              "stage\n%s\n%s\n%s\n%s/%s", g->c->region, g->api_id, g->stage_name, path, verb);
}

static gw_bucket *bucket_for(gw_ctx *g, const limit *x) {
    gw_map *m = &gw_state(g->c->emu)->buckets;
    gw_bucket *b = gw_map_get(m, x->key);
    if (!b || b->rate != x->rate || b->burst != x->burst) { /* new or reconfigured: full */
        if (!b) {
            b = xcalloc(1, sizeof *b);
            gw_map_put(m, x->key, b);
        }
        b->rate = x->rate;
        b->burst = x->burst;
        b->tokens = x->burst;
        b->last_ms = g->now_ms;
    }
    if (g->now_ms > b->last_ms) {
        b->tokens = fmin(b->burst, b->tokens + b->rate * (double)(g->now_ms - b->last_ms) / 1000.0);
        b->last_ms = g->now_ms;
    }
    return b;
}

/* --- quota ------------------------------------------------------------------------ */

static void record_usage(gw_ctx *g, cJSON *plan) {
    cJSON *usage =
        json_child_obj(json_child_obj(plan, "_usage"), json_str_or(g->api_key, "id", ""));
    quota_count(usage, quota_day(g->now_ms));
}

int gw_check_limits(gw_ctx *g) {
    g->trace->throttle_remaining = -1;
    g->trace->quota_remaining = -1;
    if (g->test_invoke) return GW_OK;
    cJSON *plan = NULL;
    if (json_bool_or(g->method, "apiKeyRequired", false)) {
        if (check_key(g, &plan) != GW_OK) return GW_FAIL;
        if (!g->write) return GW_NEED_WRITE;
    }
    limits l = {0};
    collect_limits(g, plan, &l);
    gw_bucket *b[3];
    for (size_t i = 0; i < l.n; i++) {
        b[i] = bucket_for(g, &l.v[i]);
        if (b[i]->tokens < 1.0)
            return gw_fail(g, 429, "TooManyRequestsException", "Too Many Requests",
                           "Execution failed: the request exceeded the throttling limit "
                           "(token bucket empty)");
    }
    const cJSON *quota = json_obj(plan, "quota");
    long limit_n = (long)json_num_or(quota, "limit", -1);
    long left = -1;
    if (quota && limit_n >= 0) {
        const cJSON *usage = json_obj(json_obj(plan, "_usage"), json_str_or(g->api_key, "id", ""));
        long used =
            quota_used_in_period(usage, json_str_or(quota, "period", "DAY"), quota_day(g->now_ms));
        if (used >= limit_n)
            return gw_fail(g, 429, "LimitExceededException", "Limit Exceeded",
                           "Execution failed: the API Key exceeded the quota of its usage plan");
        left = limit_n - used - 1;
    }
    double tightest = -1;
    for (size_t i = 0; i < l.n; i++) {
        b[i]->tokens -= 1.0;
        if (tightest < 0 || b[i]->tokens < tightest) tightest = b[i]->tokens;
    }
    g->trace->throttle_remaining = tightest < 0 ? -1 : (long)floor(fmin(tightest, 1e15));
    g->trace->quota_remaining = left;
    if (plan) {
        record_usage(g, plan);
        char mask[24];
        masked(json_str_or(g->api_key, "value", ""), mask);
        gw_log(g, "Usage Plan check succeeded for API Key %s and API Stage %s/%s", mask, g->api_id,
               g->stage_name);
    }
    return GW_OK;
}
