/* The pure helpers of usage plans (see ui/plans.h): a plan's settings
 * between the form's text and the wire, and a key's usage over the
 * current quota period. No terminal and no calls here, so tests check
 * them directly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/json.h"
#include "ui/plans.h"

static void fmt_num(char *out, size_t n, double v) { snprintf(out, n, "%.15g", v); }

plan_values plan_values_of(const cJSON *plan, plan_bufs *b) {
    memset(b, 0, sizeof *b);
    plan_values v = {
        .name = json_str_or(plan, "name", ""),
        .description = json_str_or(plan, "description", ""),
        .rate = b->rate,
        .burst = b->burst,
        .limit = b->limit,
        .offset = b->offset,
        .period = "",
    };
    const cJSON *t = json_obj(plan, "throttle");
    if (t) {
        v.throttle = true;
        fmt_num(b->rate, sizeof b->rate, json_num_or(t, "rateLimit", 0));
        fmt_num(b->burst, sizeof b->burst, json_num_or(t, "burstLimit", 0));
    }
    const cJSON *q = json_obj(plan, "quota");
    if (q) {
        v.quota = true;
        fmt_num(b->limit, sizeof b->limit, json_num_or(q, "limit", 0));
        fmt_num(b->offset, sizeof b->offset, json_num_or(q, "offset", 0));
        v.period = json_str_or(q, "period", "");
    }
    return v;
}

static bool parse_double(const char *s, double *out) {
    char *end;
    while (*s == ' ')
        s++;
    if (!*s) return false;
    *out = strtod(s, &end);
    while (*end == ' ')
        end++;
    return *end == '\0';
}

/* A whole number; empty is 0 when empty_ok. */
static bool parse_int(const char *s, bool empty_ok, int *out) {
    char *end;
    while (*s == ' ')
        s++;
    if (!*s) {
        *out = 0;
        return empty_ok;
    }
    long v = strtol(s, &end, 10);
    while (*end == ' ')
        end++;
    if (*end || v > 2147483647L || v < -2147483647L) return false;
    *out = (int)v;
    return true;
}

bool plan_create_input(const plan_values *v, apigw_usage_plan_in *in, apigw_throttle *th,
                       apigw_quota *q, char *msg, size_t n) {
    memset(in, 0, sizeof *in);
    memset(th, 0, sizeof *th);
    memset(q, 0, sizeof *q);
    in->description = v->description && *v->description ? v->description : NULL;
    if (v->throttle) {
        if (!parse_double(v->rate, &th->rate_limit)) {
            snprintf(msg, n, "Rate must be a number of requests per second");
            return false;
        }
        if (!parse_int(v->burst, false, &th->burst_limit)) {
            snprintf(msg, n, "Burst must be a whole number of requests");
            return false;
        }
        in->throttle = th;
    }
    if (v->quota) {
        if (!parse_int(v->limit, false, &q->limit)) {
            snprintf(msg, n, "Requests must be a whole number");
            return false;
        }
        if (!parse_int(v->offset, true, &q->offset)) {
            snprintf(msg, n, "Offset must be a whole number");
            return false;
        }
        q->period = v->period;
        in->quota = q;
    }
    return true;
}

static bool differ(const char *a, const char *b) { return strcmp(a ? a : "", b ? b : "") != 0; }

/* The members of one part (throttle or quota) that are new or changed. */
static int patch_part(bool was_on, bool on, const char *part, const char *const *members,
                      const char *const *old, const char *const *now, int n, apigw_patch *p) {
    char path[64];
    if (was_on && !on) {
        snprintf(path, sizeof path, "/%s", part);
        apigw_patch_remove(p, path, NULL);
        return 1;
    }
    if (!on) return 0;
    int ops = 0;
    for (int i = 0; i < n; i++) {
        if (was_on && !differ(old[i], now[i])) continue;
        snprintf(path, sizeof path, "/%s/%s", part, members[i]);
        apigw_patch_replace(p, path, now[i]);
        ops++;
    }
    return ops;
}

int plan_update_patch(const plan_values *old, const plan_values *now, apigw_patch *p) {
    int ops = 0;
    if (differ(old->name, now->name)) {
        apigw_patch_replace(p, "/name", now->name);
        ops++;
    }
    if (differ(old->description, now->description)) {
        apigw_patch_replace(p, "/description", now->description);
        ops++;
    }
    static const char *const tm[] = {"rateLimit", "burstLimit"};
    const char *to[] = {old->rate, old->burst}, *tn[] = {now->rate, now->burst};
    ops += patch_part(old->throttle, now->throttle, "throttle", tm, to, tn, 2, p);
    static const char *const qm[] = {"limit", "period", "offset"};
    const char *qo[] = {old->limit, old->period, old->offset && *old->offset ? old->offset : "0"};
    const char *qn[] = {now->limit, now->period, now->offset && *now->offset ? now->offset : "0"};
    ops += patch_part(old->quota, now->quota, "quota", qm, qo, qn, 3, p);
    return ops;
}

static void day_text(time_t t, char out[16]) {
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 16, "%Y-%m-%d", &tm);
}

void plan_usage_range(const char *period, time_t now, char start[16], char end[16]) {
    struct tm tm;
    gmtime_r(&now, &tm);
    int back = tm.tm_mday - 1; /* a month, also when there is no quota */
    if (period && !strcmp(period, "DAY")) back = 0;
    if (period && !strcmp(period, "WEEK")) back = (tm.tm_wday + 6) % 7;
    day_text(now - (time_t)back * 86400, start);
    day_text(now, end);
}

void plan_usage_text(const cJSON *days, const cJSON *quota, char *out, size_t n) {
    double used = 0, left = -1;
    const cJSON *d;
    cJSON_ArrayForEach(d, days) {
        const cJSON *u = cJSON_GetArrayItem(d, 0), *r = cJSON_GetArrayItem(d, 1);
        if (cJSON_IsNumber(u)) used += u->valuedouble;
        if (cJSON_IsNumber(r)) left = r->valuedouble;
    }
    if (!quota) {
        snprintf(out, n, "%.15g request%s", used, used == 1 ? "" : "s");
        return;
    }
    double limit = json_num_or(quota, "limit", 0);
    if (left < 0) left = limit - used > 0 ? limit - used : 0;
    snprintf(out, n, "used %.15g of %.15g, %.15g left", used, limit, left);
}
