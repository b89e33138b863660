/* Helpers shared by the Lambda handler modules: error shapes, request
 * validation, FunctionName references and their resolution in the state,
 * ARNs, revision ids and list paging. */
#include "lambda_fn.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/text.h"
#include "core/zipcode.h"

/* --- errors ------------------------------------------------------------- */

int lambda_fail_revision(emu_call *c) {
    return emu_fail_lambda(c, 412, "PreconditionFailedException",
                           "The Revision Id provided does not match the latest Revision Id. Call "
                           "the GetFunction/GetAlias API to retrieve the latest Revision Id");
}

int lambda_check_revision(emu_call *c, const char *rev, const cJSON *holder) {
    if (rev && strcmp(rev, json_str_or(holder, "RevisionId", "")) != 0)
        return lambda_fail_revision(c);
    return 0;
}

/* --- validation ---------------------------------------------------------- */

void lambda_check_add(lambda_check *k, const char *fmt, ...) {
    size_t used = strlen(k->msg);
    if (k->count > 0 && used + 2 < sizeof k->msg) {
        memcpy(k->msg + used, "; ", 3);
        used += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    if (used < sizeof k->msg) vsnprintf(k->msg + used, sizeof k->msg - used, fmt, ap);
    va_end(ap);
    k->count++;
}

void lambda_check_required(lambda_check *k, const cJSON *body, const char *key,
                           const char *member) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, key);
    if (!v || cJSON_IsNull(v))
        lambda_check_add(
            k, "Value null at '%s' failed to satisfy constraint: Member must not be null", member);
}

int lambda_check_done(emu_call *c, lambda_check *k) {
    if (k->count == 0) return 0;
    char msg[1200];
    snprintf(msg, sizeof msg, "%d validation error%s detected: %s", k->count,
             k->count == 1 ? "" : "s", k->msg);
    return emu_fail_lambda_shaped(c, 400, "ValidationException", false, msg);
}

void lambda_check_description(lambda_check *k, const char *desc) {
    if (desc && strlen(desc) > 256)
        lambda_check_add(k,
                         "Value '%s' at 'description' failed to satisfy constraint: Member must "
                         "have length less than or equal to 256",
                         desc);
}

/* --- references ---------------------------------------------------------- */

static const char PATTERN_PLAIN[] =
    "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?"
    "(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?";
static const char PATTERN_NAMESPACED[] =
    "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?"
    "(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?";
static const char PATTERN_QUALIFIER[] = "\\$(LATEST(\\.PUBLISHED)?)|[a-zA-Z0-9-_$]+";

static size_t span_lower(const char *p) {
    size_t n = 0;
    while (p[n] >= 'a' && p[n] <= 'z') n++;
    return n;
}

/* "arn:" ("aws" [a-zA-Z-]*)? ":lambda:" */
static size_t match_arn_prefix(const char *p) {
    if (strncmp(p, "arn:", 4) != 0) return 0;
    size_t n = 4;
    if (strncmp(p + n, "aws", 3) == 0) {
        n += 3;
        while (isalpha((unsigned char)p[n]) || p[n] == '-') n++;
    }
    return strncmp(p + n, ":lambda:", 8) == 0 ? n + 8 : 0;
}

/* [a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d ":" , e.g. "us-west-2:". */
static size_t match_region(const char *p) {
    if (span_lower(p) < 2 || p[2] != '-') return 0; /* two letters, then '-' */
    size_t n = 2;
    if (strncmp(p + n, "-gov-", 5) == 0) {
        n += 4;
    } else if (strncmp(p + n, "-iso", 4) == 0) {
        size_t m = n + 4;
        if (p[m] >= 'a' && p[m] <= 'z' && p[m + 1] == '-') m++;
        if (p[m] == '-') n = m;
    }
    if (p[n] != '-') return 0;
    size_t w = span_lower(p + n + 1);
    if (w == 0) return 0;
    n += 1 + w;
    if (p[n] != '-' || !isdigit((unsigned char)p[n + 1]) || p[n + 2] != ':') return 0;
    return n + 3;
}

static size_t match_account(const char *p) {
    for (int i = 0; i < 12; i++)
        if (!isdigit((unsigned char)p[i])) return 0;
    return p[12] == ':' ? 13 : 0;
}

static bool name_char(char ch, lambda_name_kind kind) {
    return isalnum((unsigned char)ch) || ch == '-' || ch == '_' ||
           (kind == LAMBDA_NAME_NAMESPACED && ch == '.');
}

static bool word_chars(const char *s) {
    if (!*s) return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_') return false;
    return true;
}

/* The name and qualifier at the end of a label: NAME(:QUALIFIER)?$ */
static bool match_tail(const char *p, lambda_name_kind kind, lambda_ref *out) {
    size_t n = 0;
    while (p[n] && name_char(p[n], kind)) n++;
    if (n == 0 || n >= sizeof out->name) return false;
    const char *q = p + n;
    if (*q == ':') {
        q++;
        bool ok = strcmp(q, "$LATEST") == 0 || word_chars(q) ||
                  (kind == LAMBDA_NAME_NAMESPACED && strcmp(q, "$LATEST.PUBLISHED") == 0);
        if (!ok || strlen(q) >= sizeof out->qualifier) return false;
        snprintf(out->qualifier, sizeof out->qualifier, "%s", q);
    } else if (*q) {
        return false;
    } else {
        out->qualifier[0] = '\0';
    }
    memcpy(out->name, p, n);
    out->name[n] = '\0';
    return true;
}

/* Match the label against the model's pattern the way a backtracking
 * regex would: each optional prefix is tried taken first, then skipped. */
static bool match_label(const char *label, lambda_name_kind kind, lambda_ref *out, char *region,
                        size_t rn) {
    for (int combo = 0; combo < 16; combo++) {
        bool arn = !(combo & 8), reg = !(combo & 4), acct = !(combo & 2), fun = !(combo & 1);
        const char *p = label;
        size_t n;
        if (arn) {
            if (!(n = match_arn_prefix(p))) continue;
            p += n;
        }
        const char *rp = p;
        size_t rlen = 0;
        if (reg) {
            if (!(n = match_region(p))) continue;
            rlen = n - 1;
            p += n;
        }
        const char *ap = p;
        if (acct) {
            if (!(n = match_account(p))) continue;
            p += n;
        }
        if (fun) {
            if (strncmp(p, "function:", 9) != 0) continue;
            p += 9;
        }
        if (!match_tail(p, kind, out)) continue;
        region[0] = '\0';
        if (reg && rlen < rn) {
            memcpy(region, rp, rlen);
            region[rlen] = '\0';
        }
        out->account[0] = '\0';
        if (acct) {
            memcpy(out->account, ap, 12);
            out->account[12] = '\0';
        }
        return true;
    }
    return false;
}

static int fail_name_pattern(emu_call *c, const char *label, lambda_name_kind kind) {
    lambda_check k = {0};
    size_t max = kind == LAMBDA_NAME_NAMESPACED ? 256 : 140;
    if (strlen(label) > max)
        lambda_check_add(&k,
                         "Value '%s' at 'functionName' failed to satisfy constraint: Member must "
                         "have length less than or equal to %zu",
                         label, max);
    else
        lambda_check_add(&k,
                         "Value '%s' at 'functionName' failed to satisfy constraint: Member must "
                         "satisfy regular expression pattern: %s",
                         label,
                         kind == LAMBDA_NAME_NAMESPACED ? PATTERN_NAMESPACED : PATTERN_PLAIN);
    return lambda_check_done(c, &k);
}

static bool qualifier_syntax_ok(const char *q) {
    size_t n = strlen(q);
    if (n == 0 || n > 128) return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)q[i]) && !strchr("-_$", q[i])) return false;
    return true;
}

int lambda_parse_name(emu_call *c, const char *label, lambda_name_kind kind, const char *query,
                      lambda_ref *out) {
    memset(out, 0, sizeof *out);
    char region[40];
    if (!label || !match_label(label, kind, out, region, sizeof region))
        return fail_name_pattern(c, label ? label : "", kind);
    out->has_region = region[0] != '\0';
    if (out->has_region && strcmp(region, c->region) != 0)
        return lambda_fail_not_found(
            c, "Functions from '%s' are not reachable in this region ('%s')", region, c->region);
    if (!out->account[0]) snprintf(out->account, sizeof out->account, "%s", c->account);
    if (query && *query) {
        if (!qualifier_syntax_ok(query)) {
            lambda_check k = {0};
            lambda_check_add(&k,
                             "Value '%s' at 'qualifier' failed to satisfy constraint: Member must "
                             "satisfy regular expression pattern: %s",
                             query, PATTERN_QUALIFIER);
            return lambda_check_done(c, &k);
        }
        if (out->qualifier[0] && strcmp(out->qualifier, query) != 0)
            return lambda_fail_param(
                c, "The derived qualifier from the function name does not match the specified "
                   "qualifier.");
        snprintf(out->qualifier, sizeof out->qualifier, "%s", query);
    }
    return 0;
}

int lambda_parse_call(emu_call *c, lambda_name_kind kind, lambda_ref *out) {
    char *q = emu_query(c, "Qualifier");
    int rc = lambda_parse_name(c, c->nparams ? c->param[0] : NULL, kind, q, out);
    free(q);
    return rc;
}

char *lambda_arn(const emu_call *c, const char *account, const char *name, const char *qualifier) {
    if (qualifier && *qualifier)
        return xasprintf("arn:aws:lambda:%s:%s:function:%s:%s", c->region, account, name,
                         qualifier);
    return xasprintf("arn:aws:lambda:%s:%s:function:%s", c->region, account, name);
}

char *lambda_ref_arn(const emu_call *c, const lambda_ref *r, bool qualified) {
    return lambda_arn(c, r->account, r->name, qualified ? r->qualifier : NULL);
}

bool lambda_is_version(const char *q) {
    if (!q || !*q) return false;
    for (; *q; q++)
        if (!isdigit((unsigned char)*q)) return false;
    return true;
}

bool lambda_is_alias_name(const char *q) { return word_chars(q ? q : "") && !lambda_is_version(q); }

/* --- state --------------------------------------------------------------- */

cJSON *lambda_function(emu_call *c, const lambda_ref *r) {
    if (strcmp(r->account, c->account) != 0) return NULL;
    return json_obj(emu_coll(c, "functions"), r->name);
}

cJSON *lambda_version_config(cJSON *fn, const char *version) {
    if (!version || strcmp(version, "$LATEST") == 0) return json_obj(fn, "latest");
    return json_obj(json_obj(json_obj(fn, "versions"), version), "config");
}

int lambda_fail_not_found_arn(emu_call *c, const lambda_ref *r, const char *prefix,
                              bool qualified) {
    char *arn = lambda_ref_arn(c, r, qualified);
    lambda_fail_not_found(c, "%s%s", prefix, arn);
    free(arn);
    return -1;
}

cJSON *lambda_named_function(emu_call *c, lambda_name_kind kind, lambda_ref *r) {
    if (lambda_parse_call(c, kind, r) != 0) return NULL;
    cJSON *fn = lambda_function(c, r);
    if (!fn) lambda_fail_not_found_arn(c, r, "Function not found: ", false);
    return fn;
}

/* Point t at a version ("$LATEST" or "N") of t->fn; false if absent. */
static bool reach_version(lambda_target *t, const char *version) {
    if (strcmp(version, "$LATEST") == 0) {
        t->config = json_obj(t->fn, "latest");
        t->zip = json_str(t->fn, "_zip");
        return t->config != NULL;
    }
    t->version = json_obj(json_obj(t->fn, "versions"), version);
    t->config = json_obj(t->version, "config");
    t->zip = json_str(t->version, "_zip");
    return t->config != NULL;
}

int lambda_resolve(emu_call *c, const lambda_ref *r, bool alias_msg, lambda_target *t) {
    memset(t, 0, sizeof *t);
    const char *q = r->qualifier[0] ? r->qualifier : NULL;
    t->qualifier = q;
    t->fn = lambda_function(c, r);
    if (!t->fn) return lambda_fail_not_found_arn(c, r, "Function not found: ", q != NULL);
    if (!q) {
        reach_version(t, "$LATEST");
        return 0;
    }
    if (strcmp(q, "$LATEST") == 0 || lambda_is_version(q)) {
        if (!reach_version(t, q))
            return lambda_fail_not_found_arn(c, r, "Function not found: ", true);
        return 0;
    }
    t->alias = lambda_is_alias_name(q) ? json_obj(json_obj(t->fn, "aliases"), q) : NULL;
    if (!t->alias)
        return lambda_fail_not_found_arn(c, r,
                                         alias_msg && lambda_is_alias_name(q)
                                             ? "Cannot find alias arn: "
                                             : "Function not found: ",
                                         true);
    const char *v = json_str(t->alias, "FunctionVersion");
    if (!v || !reach_version(t, v))
        return lambda_fail_not_found_arn(c, r, "Function not found: ", true);
    return 0;
}

void lambda_uuid(emu_call *c, char out[37]) {
    uint64_t a = rand_u64(&c->emu->rand), b = rand_u64(&c->emu->rand);
    snprintf(out, 37, "%08x-%04x-4%03x-%04x-%012llx", (unsigned)(a >> 32),
             (unsigned)(a >> 16) & 0xffff, (unsigned)a & 0xfff,
             (unsigned)(0x8000 | ((b >> 48) & 0x3fff)),
             (unsigned long long)(b & 0xffffffffffffull));
}

void lambda_new_revision(emu_call *c, cJSON *obj) {
    char id[37];
    lambda_uuid(c, id);
    json_set_str(obj, "RevisionId", id);
}

cJSON *lambda_out(const cJSON *stored, const char *arn) {
    cJSON *out = emu_public_copy(stored);
    if (arn) json_set_str(out, "FunctionArn", arn);
    return out;
}

cJSON *lambda_list_view(cJSON *config) {
    static const char *const drop[] = {"State",
                                       "StateReason",
                                       "StateReasonCode",
                                       "LastUpdateStatus",
                                       "LastUpdateStatusReason",
                                       "LastUpdateStatusReasonCode",
                                       "RuntimeVersionConfig"};
    for (size_t i = 0; i < sizeof drop / sizeof *drop; i++)
        cJSON_DeleteItemFromObjectCaseSensitive(config, drop[i]);
    return config;
}

/* --- lists --------------------------------------------------------------- */

static int parse_max_items(emu_call *c, long *out) {
    char *q = emu_query(c, "MaxItems");
    *out = 50;
    if (!q) return 0;
    char *end;
    long v = strtol(q, &end, 10);
    lambda_check k = {0};
    if (!*q || *end || v < 1)
        lambda_check_add(&k,
                         "Value '%s' at 'maxItems' failed to satisfy constraint: Member must have "
                         "value greater than or equal to 1",
                         q);
    else if (v > 10000)
        lambda_check_add(&k,
                         "Value '%s' at 'maxItems' failed to satisfy constraint: Member must have "
                         "value less than or equal to 10000",
                         q);
    free(q);
    *out = v;
    return lambda_check_done(c, &k);
}

int lambda_reply_page(emu_call *c, cJSON *items, const char *list_key, const char *key, int cap) {
    long max;
    if (parse_max_items(c, &max) != 0) {
        cJSON_Delete(items);
        return -1;
    }
    if (max > cap) max = cap;
    int n = cJSON_GetArraySize(items), start = 0;
    char *marker = emu_query(c, "Marker");
    if (marker && *marker) {
        start = n; /* an unknown marker: nothing more to list */
        for (int i = 0; i < n; i++) {
            const char *k = json_str(cJSON_GetArrayItem(items, i), key);
            if (k && strcmp(k, marker) == 0) {
                start = i;
                break;
            }
        }
    }
    free(marker);
    cJSON *page = cJSON_CreateArray();
    for (int i = start; i < n && i < start + max; i++)
        cJSON_AddItemToArray(page, cJSON_Duplicate(cJSON_GetArrayItem(items, i), 1));
    cJSON *body = cJSON_CreateObject();
    cJSON_AddItemToObject(body, list_key, page);
    if (start + max < n) {
        const char *next = json_str(cJSON_GetArrayItem(items, (int)(start + max)), key);
        cJSON_AddStringToObject(body, "NextMarker", next ? next : "");
    }
    cJSON_Delete(items);
    return emu_reply(c, 0, body);
}

/* --- versions ------------------------------------------------------------- */

void lambda_touch(cJSON *fn) { json_set_num(fn, "_revision", json_num_or(fn, "_revision", 0) + 1); }

cJSON *lambda_publish(emu_call *c, cJSON *fn, const char *description) {
    cJSON *versions = json_child_obj(fn, "versions");
    int next = (int)json_num_or(fn, "_nextVersion", 1);
    double rev = json_num_or(fn, "_revision", 0);
    char id[24];
    if (next > 1) {
        snprintf(id, sizeof id, "%d", next - 1);
        cJSON *prev = json_obj(versions, id);
        if (prev && json_num_or(prev, "_revision", -1) == rev) return prev;
    }
    snprintf(id, sizeof id, "%d", next);
    cJSON *latest = json_obj(fn, "latest");
    cJSON *cfg = lambda_out(latest, NULL);
    const char *name = json_str(latest, "FunctionName");
    char *arn = lambda_arn(c, c->account, name ? name : "", id);
    json_set_str(cfg, "FunctionArn", arn);
    free(arn);
    json_set_str(cfg, "Version", id);
    if (description) json_set_str(cfg, "Description", description);
    lambda_new_revision(c, cfg);
    json_set_str(cfg, "State", "Active");
    json_set_str(cfg, "LastUpdateStatus", "Successful");
    cJSON *snap = json_obj(cfg, "SnapStart");
    if (snap && strcmp(json_str_or(snap, "ApplyOn", "None"), "PublishedVersions") == 0)
        json_set_str(snap, "OptimizationStatus", "On");
    cJSON *v = cJSON_CreateObject();
    cJSON_AddItemToObject(v, "config", cfg);
    cJSON_AddStringToObject(v, "_zip", json_str_or(fn, "_zip", ""));
    cJSON_AddNumberToObject(v, "_revision", rev);
    json_set(versions, id, v);
    json_set_num(fn, "_nextVersion", next + 1);
    lambda_new_revision(c, latest);
    return v;
}

char *lambda_code_location(const emu_call *c, const char *name, const char *version) {
    /* Lambda answers with a presigned S3 URL. The emulator serves the zip
     * itself, under the address the request came to (see
     * lambda_serve_code), so `curl -o code.zip "$LOCATION"` works. */
    const char *host = http_headers_get(&c->req->headers, "Host");
    char *n = url_encode(name, false);
    char *v = url_encode(version && *version ? version : "$LATEST", false);
    char *loc = xasprintf("http://%s" LAMBDA_CODE_PREFIX "%s/%s/%s.zip",
                          host && *host ? host : "127.0.0.1:4566", c->region, n, v);
    free(n);
    free(v);
    return loc;
}

int lambda_serve_code(emu_call *c, const char *name, const char *version) {
    lambda_ref r = {0};
    snprintf(r.name, sizeof r.name, "%s", name);
    snprintf(r.qualifier, sizeof r.qualifier, "%s", strcmp(version, "$LATEST") ? version : "");
    snprintf(r.account, sizeof r.account, "%s", c->account);
    lambda_target t;
    if (lambda_resolve(c, &r, false, &t) != 0) return -1;
    size_t len = 0;
    unsigned char *zip = t.zip ? zipcode_unbase64(t.zip, &len) : NULL;
    if (!zip) return emu_fail_lambda(c, 500, "ServiceException", "The function's code is unreadable");
    http_response *resp = c->resp;
    resp->status = 200;
    free(resp->body);
    resp->body = (char *)zip;
    resp->body_len = len;
    http_headers_set(&resp->headers, "Content-Type", "application/zip");
    return 0;
}
