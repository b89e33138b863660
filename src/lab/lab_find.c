/* Finding the lab's things in a snapshot, and the matching the checks need:
 * Lambda integration URIs, resource policies, mapping templates. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"
#include "lab_int.h"

const lab_probe lab_probes[LAB_PROBES] = {
    {"dev", "GET", LAB_ITEMS_PATH, true},  {"dev", "GET", "/items/1", true},
    {"dev", "GET", LAB_ITEMS_PATH, false}, {"prod", "GET", LAB_ITEMS_PATH, true},
    {"prod", "GET", "/items/1", true},     {"prod", "GET", LAB_ITEMS_PATH, false},
};

void lab_probe_name(const lab_probe *p, char *out, size_t n) {
    snprintf(out, n, "%s %s %s%s", p->stage, p->verb, p->path, p->with_key ? "" : " (no key)");
}

/* --- lookups -------------------------------------------------------------------------- */

const cJSON *lab_named(const cJSON *items, const char *key, const char *name) {
    const cJSON *it;
    cJSON_ArrayForEach(it, items) {
        const char *v = json_str(it, key);
        if (v && strcmp(v, name) == 0) return it;
    }
    return NULL;
}

int lab_count_named(const cJSON *items, const char *key, const char *name) {
    int n = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, items) {
        const char *v = json_str(it, key);
        if (v && strcmp(v, name) == 0) n++;
    }
    return n;
}

const cJSON *lab_pick_api(const cJSON *apis) {
    const cJSON *best = NULL, *it;
    cJSON_ArrayForEach(it, apis) {
        const char *v = json_str(it, "name");
        if (!v || strcmp(v, LAB_API_NAME) != 0) continue;
        if (!best || json_num_or(it, "createdDate", 0) < json_num_or(best, "createdDate", 0))
            best = it;
    }
    return best;
}

const cJSON *lab_api(const lab_snapshot *s) { return lab_pick_api(s->apis); }

const cJSON *lab_resource(const lab_snapshot *s, const char *path) {
    return lab_named(s->resources, "path", path);
}

const cJSON *lab_method(const lab_snapshot *s, const char *path, const char *verb) {
    return json_obj(json_obj(lab_resource(s, path), "resourceMethods"), verb);
}

const cJSON *lab_stage(const lab_snapshot *s, const char *name) {
    return lab_named(s->stages, "stageName", name);
}

const cJSON *lab_plan(const lab_snapshot *s) { return lab_named(s->usage_plans, "name", LAB_PLAN); }
const cJSON *lab_key(const lab_snapshot *s) { return lab_named(s->api_keys, "name", LAB_KEY); }
const cJSON *lab_function(const lab_snapshot *s) {
    return lab_named(s->functions, "FunctionName", LAB_FUNCTION);
}
const cJSON *lab_alias(const lab_snapshot *s, const char *name) {
    return lab_named(s->aliases, "Name", name);
}

const cJSON *lab_request(const lab_snapshot *s, const char *stage, const char *verb,
                         const char *path, bool with_key) {
    lab_probe p = {stage, verb, path, with_key};
    char name[128];
    lab_probe_name(&p, name, sizeof name);
    return json_obj(s->requests, name);
}

/* --- Lambda integration URIs ------------------------------------------------------------ */

bool lab_lambda_uri_parts(const char *uri, char *fn, size_t fn_n, char *qual, size_t qual_n) {
    static const char fns[] = "/functions/", tail[] = "/invocations";
    if (!uri || strncmp(uri, "arn:", 4) != 0 || !strstr(uri, ":lambda:path/")) return false;
    const char *a = strstr(uri, fns);
    size_t len = strlen(uri);
    if (!a || len < sizeof tail || strcmp(uri + len - (sizeof tail - 1), tail) != 0) return false;
    a += sizeof fns - 1;
    const char *end = uri + len - (sizeof tail - 1);
    if (end <= a) return false;
    /* arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER] */
    const char *p = a;
    for (int colons = 0; p < end; p++)
        if (*p == ':' && ++colons == 7) break;
    snprintf(fn, fn_n, "%.*s", (int)(p - a), a);
    snprintf(qual, qual_n, "%.*s", p < end ? (int)(end - p - 1) : 0, p < end ? p + 1 : "");
    return strncmp(fn, "arn:", 4) == 0 && strstr(fn, ":function:") != NULL;
}

/* --- policies --------------------------------------------------------------------------- */

/* '*' any run of characters, '?' one; case-insensitive when nocase. */
static bool glob(const char *p, const char *s, bool nocase) {
    if (!*p) return !*s;
    if (*p == '*') {
        for (const char *t = s;; t++) {
            if (glob(p + 1, t, nocase)) return true;
            if (!*t) return false;
        }
    }
    if (!*s) return false;
    bool same = nocase ? tolower((unsigned char)*p) == tolower((unsigned char)*s) : *p == *s;
    return (*p == '?' || same) && glob(p + 1, s + 1, nocase);
}

/* ArnLike: the six parts of an ARN matched one by one, so '*' stays within
 * its part (the last part holds the rest, colons included). */
static bool arn_like(const char *pattern, const char *arn) {
    if (strcmp(pattern, "*") == 0) return true;
    const char *p = pattern, *a = arn;
    for (int i = 0; i < 6; i++) {
        const char *pe = i < 5 ? strchr(p, ':') : p + strlen(p);
        const char *ae = i < 5 ? strchr(a, ':') : a + strlen(a);
        if (!pe || !ae) return false;
        char *pp = xstrndup(p, (size_t)(pe - p)), *ap = xstrndup(a, (size_t)(ae - a));
        bool ok = glob(pp, ap, false);
        free(pp);
        free(ap);
        if (!ok) return false;
        if (i < 5) p = pe + 1, a = ae + 1;
    }
    return true;
}

/* Does v (a string or an array of strings) match s? */
static bool any(const cJSON *v, const char *s, bool (*match)(const char *, const char *)) {
    if (cJSON_IsString(v)) return match(v->valuestring, s);
    const cJSON *it;
    cJSON_ArrayForEach(it, v) if (cJSON_IsString(it) && match(it->valuestring, s)) return true;
    return false;
}

static bool eq(const char *a, const char *b) { return strcmp(a, b) == 0; }
static bool like(const char *a, const char *b) { return glob(a, b, false); }
static bool action_like(const char *a, const char *b) { return glob(a, b, true); }

static bool principal_ok(const cJSON *p) {
    if (cJSON_IsString(p)) return strcmp(p->valuestring, "*") == 0;
    const cJSON *aws = cJSON_GetObjectItemCaseSensitive(p, "AWS");
    if (cJSON_IsString(aws) && strcmp(aws->valuestring, "*") == 0) return true;
    return any(cJSON_GetObjectItemCaseSensitive(p, "Service"), "apigateway.amazonaws.com", eq);
}

/* The account of an ARN (its fifth part) into out. */
static void arn_account(const char *arn, char *out, size_t n) {
    const char *p = arn;
    for (int i = 0; i < 4 && p; i++) {
        p = strchr(p, ':');
        if (p) p++;
    }
    const char *e = p ? strchr(p, ':') : NULL;
    snprintf(out, n, "%.*s", e ? (int)(e - p) : 0, e ? p : "");
}

/* The conditions API Gateway's invocation meets: SourceArn and
 * SourceAccount; any other key is taken as not met. */
static bool conditions_ok(const cJSON *cond, const char *source_arn) {
    char account[16];
    arn_account(source_arn, account, sizeof account);
    const cJSON *op, *kv;
    cJSON_ArrayForEach(op, cond) {
        cJSON_ArrayForEach(kv, op) {
            const char *have = str_casecmp(kv->string, "AWS:SourceArn") == 0       ? source_arn
                               : str_casecmp(kv->string, "AWS:SourceAccount") == 0 ? account
                                                                                   : NULL;
            if (!have) return false;
            bool ok;
            if (strcmp(op->string, "ArnLike") == 0 || strcmp(op->string, "ArnEquals") == 0)
                ok = any(kv, have, arn_like);
            else if (strcmp(op->string, "StringLike") == 0)
                ok = any(kv, have, like);
            else if (strcmp(op->string, "StringEquals") == 0)
                ok = any(kv, have, eq);
            else
                ok = false;
            if (!ok) return false;
        }
    }
    return true;
}

static bool statement_matches(const cJSON *st, const char *resource, const char *source_arn) {
    return principal_ok(cJSON_GetObjectItemCaseSensitive(st, "Principal")) &&
           any(cJSON_GetObjectItemCaseSensitive(st, "Action"), "lambda:InvokeFunction",
               action_like) &&
           any(cJSON_GetObjectItemCaseSensitive(st, "Resource"), resource, arn_like) &&
           conditions_ok(json_obj(st, "Condition"), source_arn);
}

bool lab_policy_allows(const cJSON *policy, const char *resource, const char *source_arn) {
    bool allowed = false;
    const cJSON *st;
    cJSON_ArrayForEach(st, json_arr(policy, "Statement")) {
        if (!statement_matches(st, resource, source_arn)) continue;
        if (strcmp(json_str_or(st, "Effect", "Allow"), "Deny") == 0) return false;
        allowed = true;
    }
    return allowed;
}

/* --- templates ------------------------------------------------------------------------------ */

bool lab_same_template(const char *a, const char *b) {
    if (!a || !b) return false;
    for (;;) {
        while (*a && isspace((unsigned char)*a))
            a++;
        while (*b && isspace((unsigned char)*b))
            b++;
        if (!*a || !*b) return !*a && !*b;
        if (*a++ != *b++) return false;
    }
}

/* --- messages ------------------------------------------------------------------------------- */

static lab_status say(lab_status st, char *m, size_t n, const char *fmt, va_list ap) {
    vsnprintf(m, n, fmt, ap);
    return st;
}

lab_status lab_fail(char *m, size_t n, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    lab_status st = say(LAB_FAIL, m, n, fmt, ap);
    va_end(ap);
    return st;
}

lab_status lab_skip(char *m, size_t n, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    lab_status st = say(LAB_SKIP, m, n, fmt, ap);
    va_end(ap);
    return st;
}

char *lab_short(const cJSON *v, size_t max) {
    char *text = cJSON_IsString(v) ? xstrdup(v->valuestring) : v ? json_print(v) : xstrdup("");
    if (strlen(text) > max && max > 3) {
        /* Cut on a character boundary so the text stays valid UTF-8. */
        size_t cut = max - 3;
        while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
            cut--;
        memcpy(text + cut, "...", 4);
    }
    return text;
}

char *lab_method_arn(const lab_snapshot *s, const char *stage, const char *verb, const char *path) {
    const cJSON *api = lab_api(s);
    const char *fn = json_str(lab_function(s), "FunctionArn");
    if (!api || !fn || !json_str(api, "id")) return NULL;
    /* arn:aws:lambda:REGION:ACCOUNT:function:NAME */
    char region[64] = "", account[32] = "";
    const char *p = fn;
    for (int i = 0; i < 3 && p; i++) {
        p = strchr(p, ':');
        if (p) p++;
    }
    const char *e = p ? strchr(p, ':') : NULL;
    if (!e) return NULL;
    snprintf(region, sizeof region, "%.*s", (int)(e - p), p);
    arn_account(fn, account, sizeof account);
    return xasprintf("arn:aws:execute-api:%s:%s:%s/%s/%s/%s", region, account, json_str(api, "id"),
                     stage, verb, path[0] == '/' ? path + 1 : path);
}

/* --- prerequisites ------------------------------------------------------------------------ */

lab_status lab_need_api(const lab_snapshot *s, char *m, size_t n) {
    if (!s->apis) return lab_skip(m, n, "the account's APIs are not loaded");
    if (!lab_api(s)) return lab_fail(m, n, "there is no API named " LAB_API_NAME);
    return LAB_PASS;
}

lab_status lab_need_function(const lab_snapshot *s, char *m, size_t n) {
    if (!s->functions) return lab_skip(m, n, "the account's functions are not loaded");
    if (!lab_function(s)) return lab_fail(m, n, "there is no function named " LAB_FUNCTION);
    return LAB_PASS;
}

lab_status lab_need_stage(const lab_snapshot *s, const char *stage, char *m, size_t n) {
    LAB_NEED(lab_need_api(s, m, n));
    if (!s->stages) return lab_skip(m, n, LAB_API_NAME "'s stages are not loaded");
    if (!lab_stage(s, stage)) return lab_fail(m, n, LAB_API_NAME " has no stage %s", stage);
    return LAB_PASS;
}

lab_status lab_need_method(const lab_snapshot *s, const char *path, const char *verb,
                           const cJSON **method, char *m, size_t n) {
    LAB_NEED(lab_need_api(s, m, n));
    if (!s->resources) return lab_skip(m, n, LAB_API_NAME "'s resources are not loaded");
    if (!lab_resource(s, path)) return lab_fail(m, n, LAB_API_NAME " has no resource %s", path);
    *method = lab_method(s, path, verb);
    if (!*method) return lab_fail(m, n, "%s has no %s method", path, verb);
    return LAB_PASS;
}
