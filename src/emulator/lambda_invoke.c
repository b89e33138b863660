/* Lambda's Invoke, and running functions for API Gateway's integrations:
 * resolving the function, its alias and (for a weighted alias) the version
 * that serves, running that version's code in a local worker (runtime.c),
 * and answering as Lambda does. Also the resource-based policy check that
 * decides whether a service may invoke a function. */
#include "lambda_invoke.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/text.h"
#include "core/zipcode.h"
#include "lambda_fn.h"

#define SYNC_PAYLOAD_MAX 6291456  /* RequestResponse request limit */
#define ASYNC_PAYLOAD_MAX 1048576 /* Event request limit (1 MB since 2025) */
#define LOG_TAIL 4096             /* X-Amz-Log-Result: the last 4 KB */
#define WORKERS 8

/* --- running ------------------------------------------------------------ */

static runtime *runtime_of(emulator *emu) {
    if (!emu->rt) {
        runtime_opts o = {.max_workers = WORKERS, .clock = emu->clock, .rand = emu->rand};
        emu->rt = runtime_new(&o);
    }
    return emu->rt;
}

/* The version a weighted alias sends this invocation to: each additional
 * version gets its weight's share of invocations, the alias's own version
 * the rest. */
static const char *pick_version(emu_call *c, const cJSON *alias) {
    const char *primary = json_str(alias, "FunctionVersion");
    const cJSON *weights = json_obj(json_obj(alias, "RoutingConfig"), "AdditionalVersionWeights");
    if (!weights || !weights->child) return primary;
    double r = (double)(rand_u64(&c->emu->rand) >> 11) / 9007199254740992.0; /* [0, 1) */
    double acc = 0;
    const cJSON *w;
    cJSON_ArrayForEach(w, weights) {
        if (!cJSON_IsNumber(w)) continue;
        acc += w->valuedouble;
        if (r < acc) return w->string;
    }
    return primary;
}

/* "KEY=value" strings of the configuration's variables (NULL-terminated). */
static char **env_of(const cJSON *config) {
    const cJSON *vars = json_obj(json_obj(config, "Environment"), "Variables");
    int n = vars ? cJSON_GetArraySize(vars) : 0;
    char **env = xcalloc((size_t)n + 1, sizeof *env);
    int i = 0;
    const cJSON *v;
    cJSON_ArrayForEach(v, vars) {
        if (cJSON_IsString(v) && v->string)
            env[i++] = xasprintf("%s=%s", v->string, v->valuestring);
    }
    return env;
}

static void env_free(char **env) {
    for (char **p = env; p && *p; p++)
        free(*p);
    free(env);
}

/* Run the configuration reached (version `version` of fn) on the event. */
static int run_version(emu_call *c, const lambda_ref *r, cJSON *fn, const char *version,
                       const char *event, size_t len, lambda_run *out) {
    const cJSON *config = lambda_version_config(fn, version);
    const char *zip = strcmp(version, "$LATEST") == 0
                          ? json_str(fn, "_zip")
                          : json_str(json_obj(json_obj(fn, "versions"), version), "_zip");
    if (!config || !zip) return lambda_fail_not_found_arn(c, r, "Function not found: ", true);
    size_t zip_len = 0;
    unsigned char *bytes = zipcode_unbase64(zip, &zip_len);
    if (!bytes)
        return emu_fail_lambda(c, 502, "InvalidZipFileException",
                               "Lambda could not unzip the deployment package.");
    char *arn = lambda_arn(c, c->account, r->name, version);
    char **env = env_of(config);
    runtime_fn f = {
        .arn = arn,
        .name = r->name,
        .version = version,
        .runtime = json_str_or(config, "Runtime", ""),
        .handler = json_str_or(config, "Handler", ""),
        .code_sha256 = json_str_or(config, "CodeSha256", ""),
        .zip = bytes,
        .zip_len = zip_len,
        .timeout_s = (int)json_num_or(config, "Timeout", 3),
        .memory_mb = (int)json_num_or(config, "MemorySize", 128),
        .env = (const char *const *)env,
        .region = c->region,
        .account = c->account,
        .invoked_arn = out->function_arn,
        .log_group = json_str(json_obj(config, "LoggingConfig"), "LogGroup"),
    };
    err e;
    err_clear(&e);
    int rc = runtime_invoke(runtime_of(c->emu), &f, event, len, &out->r, &e);
    if (rc != 0)
        emu_fail_lambda(c, e.status ? e.status : 500, e.code[0] ? e.code : "ServiceException", "%s",
                        e.msg);
    else
        snprintf(out->executed_version, sizeof out->executed_version, "%s", version);
    env_free(env);
    free(arn);
    free(bytes);
    return rc;
}

int lambda_invoke_run(emu_call *c, const char *function, const char *qualifier, const char *event,
                      size_t len, lambda_run *out) {
    memset(out, 0, sizeof *out);
    lambda_ref r;
    if (lambda_parse_name(c, function, LAMBDA_NAME_NAMESPACED, qualifier, &r) != 0) return -1;
    lambda_target t;
    if (lambda_resolve(c, &r, false, &t) != 0) return -1;
    char *asked = lambda_ref_arn(c, &r, true);
    snprintf(out->function_arn, sizeof out->function_arn, "%s", asked);
    free(asked);
    const char *version = t.alias ? pick_version(c, t.alias) : json_str(t.config, "Version");
    return run_version(c, &r, t.fn, version ? version : "$LATEST", event, len, out);
}

void lambda_run_free(lambda_run *r) { runtime_result_free(&r->r); }

/* --- Invoke --------------------------------------------------------------- */

static bool one_of(const char *v, const char *const *set) {
    for (; *set; set++)
        if (strcmp(v, *set) == 0) return true;
    return false;
}

/* --- payload validation ---------------------------------------------------
 * Lambda's front end reads the payload with Jackson and reports the first
 * problem in Jackson's words; this scanner finds that place and says it
 * the same way (the source location Jackson appends is left out: our best
 * guess at the messages, from the ones users quote). */

#define EXPECT_VALUE                                                                               \
    "expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or "       \
    "'false')"

typedef struct jscan {
    const char *s;
    size_t n, i;
    char msg[400];
} jscan;

static void skip_ws(jscan *j) {
    while (j->i < j->n &&
           (j->s[j->i] == ' ' || j->s[j->i] == '\t' || j->s[j->i] == '\r' || j->s[j->i] == '\n'))
        j->i++;
}

static bool unexpected(jscan *j, const char *expect) {
    if (j->i >= j->n) {
        snprintf(j->msg, sizeof j->msg, "Unexpected end-of-input");
    } else {
        unsigned char ch = (unsigned char)j->s[j->i];
        snprintf(j->msg, sizeof j->msg, "Unexpected character ('%c' (code %u)): %s",
                 isprint(ch) ? ch : '?', ch, expect);
    }
    return false;
}

static bool scan_string(jscan *j) {
    for (j->i++; j->i < j->n; j->i++) {
        unsigned char ch = (unsigned char)j->s[j->i];
        if (ch == '"') {
            j->i++;
            return true;
        }
        if (ch == '\\') {
            j->i++;
        } else if (ch < 0x20) {
            snprintf(j->msg, sizeof j->msg,
                     "Illegal unquoted character ((CTRL-CHAR, code %u)): has to be escaped using "
                     "backslash to be included in string value",
                     ch);
            return false;
        }
    }
    return unexpected(j, "");
}

static size_t digits(jscan *j) {
    size_t k = 0;
    while (j->i < j->n && isdigit((unsigned char)j->s[j->i]))
        j->i++, k++;
    return k;
}

static bool scan_number(jscan *j) {
    if (j->s[j->i] == '-') j->i++;
    if (!digits(j))
        return unexpected(j, "expected digit (0-9) to follow minus sign, for valid numeric value");
    if (j->i < j->n && j->s[j->i] == '.') {
        j->i++;
        if (!digits(j)) return unexpected(j, "Decimal point not followed by a digit");
    }
    if (j->i < j->n && (j->s[j->i] == 'e' || j->s[j->i] == 'E')) {
        j->i++;
        if (j->i < j->n && (j->s[j->i] == '+' || j->s[j->i] == '-')) j->i++;
        if (!digits(j)) return unexpected(j, "Exponent indicator not followed by a digit");
    }
    return true;
}

/* true, false, null or an unrecognized token. */
static bool scan_word(jscan *j) {
    size_t w = 0;
    while (j->i + w < j->n && w < 256 &&
           (isalnum((unsigned char)j->s[j->i + w]) || j->s[j->i + w] == '_'))
        w++;
    const char *t = j->s + j->i;
    if ((w == 4 && (!memcmp(t, "true", 4) || !memcmp(t, "null", 4))) ||
        (w == 5 && !memcmp(t, "false", 5))) {
        j->i += w;
        return true;
    }
    snprintf(j->msg, sizeof j->msg,
             "Unrecognized token '%.*s': was expecting (JSON String, Number, Array, Object or "
             "token 'null', 'true' or 'false')",
             (int)w, t);
    return false;
}

static bool scan_value(jscan *j, int depth);

static bool scan_members(jscan *j, bool object, int depth) {
    char close = object ? '}' : ']';
    j->i++;
    skip_ws(j);
    if (j->i < j->n && j->s[j->i] == close) {
        j->i++;
        return true;
    }
    for (;;) {
        if (object) {
            if (j->i >= j->n || j->s[j->i] != '"')
                return unexpected(j, "was expecting double-quote to start field name");
            if (!scan_string(j)) return false;
            skip_ws(j);
            if (j->i >= j->n || j->s[j->i] != ':')
                return unexpected(j, "was expecting a colon to separate field name and value");
            j->i++;
        }
        if (!scan_value(j, depth + 1)) return false;
        skip_ws(j);
        if (j->i < j->n && j->s[j->i] == close) {
            j->i++;
            return true;
        }
        if (j->i >= j->n || j->s[j->i] != ',')
            return unexpected(j, object ? "was expecting comma to separate Object entries"
                                        : "was expecting comma to separate Array entries");
        j->i++;
        skip_ws(j);
    }
}

static bool scan_value(jscan *j, int depth) {
    skip_ws(j);
    if (depth > 1000) {
        snprintf(j->msg, sizeof j->msg,
                 "Document nesting depth exceeds the maximum allowed (1000)");
        return false;
    }
    if (j->i >= j->n) return unexpected(j, "");
    char ch = j->s[j->i];
    if (ch == '{' || ch == '[') return scan_members(j, ch == '{', depth);
    if (ch == '"') return scan_string(j);
    if (ch == '-' || isdigit((unsigned char)ch)) return scan_number(j);
    if (isalpha((unsigned char)ch)) return scan_word(j);
    return unexpected(j, EXPECT_VALUE);
}

/* 0 when the payload is one JSON value (or empty: the event is then {}),
 * else Lambda's message in msg. */
static int check_payload(const char *s, size_t n, char *msg, size_t msgn) {
    jscan j = {.s = s, .n = n};
    skip_ws(&j);
    if (j.i == n) return 0;
    bool ok = scan_value(&j, 0);
    if (ok) {
        skip_ws(&j);
        ok = j.i == n || unexpected(&j, "expected end-of-input");
    }
    if (ok) return 0;
    snprintf(msg, msgn,
             "Could not parse request body into json: Could not parse payload into json: %s",
             j.msg);
    return -1;
}

/* The headers and payload, checked in the order Lambda's front end does. */
static int check_request(emu_call *c, const char *type, const char *log_type) {
    static const char *const types[] = {"Event", "RequestResponse", "DryRun", NULL};
    static const char *const logs[] = {"None", "Tail", NULL};
    lambda_check k = {0};
    if (!one_of(type, types))
        lambda_check_add(&k,
                         "Value '%s' at 'invocationType' failed to satisfy constraint: Member must "
                         "satisfy enum value set: [Event, RequestResponse, DryRun]",
                         type);
    if (!one_of(log_type, logs))
        lambda_check_add(&k,
                         "Value '%s' at 'logType' failed to satisfy constraint: Member must "
                         "satisfy enum value set: [None, Tail]",
                         log_type);
    if (lambda_check_done(c, &k) != 0) return -1;
    size_t len = c->req->body_len,
           max = strcmp(type, "Event") == 0 ? ASYNC_PAYLOAD_MAX : SYNC_PAYLOAD_MAX;
    if (len > max)
        return emu_fail_lambda(c, 413, "RequestEntityTooLargeException",
                               "Request must be smaller than %zu bytes for the InvokeFunction "
                               "operation",
                               max);
    char msg[600];
    if (check_payload(c->req->body, len, msg, sizeof msg) != 0)
        return emu_fail_lambda(c, 400, "InvalidRequestContentException", "%s", msg);
    return 0;
}

static void set_log_result(http_response *resp, const char *log) {
    size_t n = strlen(log);
    const char *tail = n > LOG_TAIL ? log + n - LOG_TAIL : log;
    char *b64 = zipcode_base64(tail, strlen(tail));
    http_headers_set(&resp->headers, "X-Amz-Log-Result", b64);
    free(b64);
}

static int reply_run(emu_call *c, const lambda_run *run, bool tail) {
    http_response *resp = c->resp;
    resp->status = 200;
    http_response_set_body(resp, run->r.payload ? run->r.payload : "",
                           run->r.payload ? run->r.payload_len : 0);
    http_headers_set(&resp->headers, "Content-Type", "application/json");
    http_headers_set(&resp->headers, "X-Amz-Executed-Version", run->executed_version);
    if (run->r.function_error[0])
        http_headers_set(&resp->headers, "X-Amz-Function-Error", run->r.function_error);
    if (tail && run->r.log) set_log_result(resp, run->r.log);
    http_headers_set(&resp->headers, "x-amzn-RequestId", run->r.request_id);
    return 0;
}

static int invoke(emu_call *c) {
    const http_headers *h = &c->req->headers;
    const char *type = http_headers_get(h, "X-Amz-Invocation-Type");
    const char *log_type = http_headers_get(h, "X-Amz-Log-Type");
    if (!type || !*type) type = "RequestResponse";
    if (!log_type || !*log_type) log_type = "None";
    if (check_request(c, type, log_type) != 0) return -1;
    lambda_ref r;
    if (lambda_parse_call(c, LAMBDA_NAME_NAMESPACED, &r) != 0) return -1;
    if (strcmp(type, "DryRun") == 0) {
        lambda_target t;
        if (lambda_resolve(c, &r, false, &t) != 0) return -1;
        return emu_reply(c, 204, NULL);
    }
    lambda_run run;
    char *q = emu_query(c, "Qualifier");
    int rc = lambda_invoke_run(c, c->param[0], q, c->req->body, c->req->body_len, &run);
    free(q);
    if (rc != 0) return -1;
    if (strcmp(type, "Event") == 0) {
        /* Lambda queues the event and answers at once; the emulator has
         * already run it, and answers the same. */
        emu_reply(c, 202, NULL);
        http_headers_set(&c->resp->headers, "x-amzn-RequestId", run.r.request_id);
    } else {
        reply_run(c, &run, strcmp(log_type, "Tail") == 0);
    }
    lambda_run_free(&run);
    return 0;
}

const emu_route lambda_invoke_routes[] = {
    {LAMBDA_Invoke, invoke},
    {OP__COUNT, NULL},
};

/* --- resource-based policies ------------------------------------------------ */

static bool same_char(char a, char b, bool nocase) {
    return nocase ? tolower((unsigned char)a) == tolower((unsigned char)b) : a == b;
}

/* IAM's wildcard match: '*' any run of characters, '?' any one. */
static bool wild(const char *p, const char *s, bool nocase) {
    const char *star = NULL, *retry = NULL;
    while (*s) {
        if (*p == '*') {
            star = p++;
            retry = s;
        } else if (*p && (*p == '?' || same_char(*p, *s, nocase))) {
            p++;
            s++;
        } else if (star) {
            p = star + 1;
            s = ++retry;
        } else {
            return false;
        }
    }
    while (*p == '*')
        p++;
    return !*p;
}

/* Component n (0..5) of an ARN; the sixth takes the rest. */
static bool arn_part(const char *arn, int n, char *out, size_t outn) {
    const char *p = arn;
    for (int i = 0; i < n; i++) {
        p = strchr(p, ':');
        if (!p) return false;
        p++;
    }
    size_t len = n < 5 ? strcspn(p, ":") : strlen(p);
    if (n < 5 && p[len] != ':') return false;
    snprintf(out, outn, "%.*s", (int)len, p);
    return true;
}

/* ArnLike: each of the six components matched on its own. */
static bool arn_like(const char *pattern, const char *arn) {
    if (strcmp(pattern, "*") == 0) return true;
    for (int i = 0; i < 6; i++) {
        char pp[512], ap[512];
        if (!arn_part(pattern, i, pp, sizeof pp) || !arn_part(arn, i, ap, sizeof ap)) return false;
        if (!wild(pp, ap, false)) return false;
    }
    return true;
}

/* v: a string or an array of strings; does any satisfy match(pattern, s)? */
static bool any_value(const cJSON *v, const char *s, bool (*match)(const char *, const char *)) {
    if (cJSON_IsString(v)) return match(v->valuestring, s);
    const cJSON *it;
    cJSON_ArrayForEach(it, v) {
        if (cJSON_IsString(it) && match(it->valuestring, s)) return true;
    }
    return false;
}

static bool eq(const char *a, const char *b) { return strcmp(a, b) == 0; }
static bool eq_nocase(const char *a, const char *b) { return str_casecmp(a, b) == 0; }
static bool like(const char *a, const char *b) { return wild(a, b, false); }
static bool action_like(const char *a, const char *b) { return wild(a, b, true); }

/* One condition operator on one value the request has (NULL: absent). */
static bool condition_holds(const char *op, const cJSON *values, const char *have) {
    size_t n = strlen(op);
    bool if_exists = n > 8 && strcmp(op + n - 8, "IfExists") == 0;
    char base[64];
    snprintf(base, sizeof base, "%.*s", (int)(if_exists ? n - 8 : n), op);
    if (!have) return if_exists;
    if (strcmp(base, "StringEquals") == 0) return any_value(values, have, eq);
    if (strcmp(base, "StringNotEquals") == 0) return !any_value(values, have, eq);
    if (strcmp(base, "StringEqualsIgnoreCase") == 0) return any_value(values, have, eq_nocase);
    if (strcmp(base, "StringLike") == 0) return any_value(values, have, like);
    if (strcmp(base, "StringNotLike") == 0) return !any_value(values, have, like);
    if (strcmp(base, "ArnLike") == 0 || strcmp(base, "ArnEquals") == 0)
        return any_value(values, have, arn_like);
    if (strcmp(base, "ArnNotLike") == 0 || strcmp(base, "ArnNotEquals") == 0)
        return !any_value(values, have, arn_like);
    return false; /* an operator the emulator does not know never matches */
}

typedef struct request_ctx {
    const char *principal, *source_arn;
    char source_account[16];
    const char *resource; /* the function ARN being invoked */
} request_ctx;

static const char *context_value(const request_ctx *q, const char *key) {
    if (str_casecmp(key, "aws:SourceArn") == 0) return q->source_arn;
    if (str_casecmp(key, "aws:SourceAccount") == 0)
        return q->source_account[0] ? q->source_account : NULL;
    return NULL;
}

static bool principal_matches(const cJSON *p, const char *principal) {
    if (cJSON_IsString(p)) return strcmp(p->valuestring, "*") == 0;
    const cJSON *aws = cJSON_GetObjectItemCaseSensitive(p, "AWS");
    if (cJSON_IsString(aws) && strcmp(aws->valuestring, "*") == 0) return true;
    return any_value(cJSON_GetObjectItemCaseSensitive(p, "Service"), principal, eq);
}

/* How far a statement got: what matched, and the first thing that did not. */
typedef struct verdict {
    int stage; /* 0 principal, 1 action, 2 resource, 3 condition, 4 all */
    char reason[512];
} verdict;

static void first_value(const cJSON *v, char *out, size_t n) {
    const cJSON *s = cJSON_IsArray(v) ? cJSON_GetArrayItem(v, 0) : v;
    snprintf(out, n, "%s", cJSON_IsString(s) ? s->valuestring : "?");
}

static bool conditions_hold(const cJSON *cond, const request_ctx *q, verdict *vd, const char *sid) {
    const cJSON *op;
    cJSON_ArrayForEach(op, cond) {
        const cJSON *kv;
        cJSON_ArrayForEach(kv, op) {
            const char *have = context_value(q, kv->string);
            if (condition_holds(op->string, kv, have)) continue;
            char want[300];
            first_value(kv, want, sizeof want);
            snprintf(vd->reason, sizeof vd->reason, "statement %s requires %s %s %s", sid,
                     kv->string, op->string, want);
            return false;
        }
    }
    return true;
}

static void judge(const cJSON *st, const request_ctx *q, verdict *vd) {
    const char *sid = json_str_or(st, "Sid", "(no Sid)");
    char what[300];
    vd->stage = 0;
    if (!principal_matches(cJSON_GetObjectItemCaseSensitive(st, "Principal"), q->principal)) {
        char *p = json_print(cJSON_GetObjectItemCaseSensitive(st, "Principal"));
        snprintf(vd->reason, sizeof vd->reason, "statement %s is for the principal %s", sid,
                 p ? p : "null");
        free(p);
        return;
    }
    vd->stage = 1;
    if (!any_value(cJSON_GetObjectItemCaseSensitive(st, "Action"), "lambda:InvokeFunction",
                   action_like)) {
        first_value(cJSON_GetObjectItemCaseSensitive(st, "Action"), what, sizeof what);
        snprintf(vd->reason, sizeof vd->reason, "statement %s allows %s, not lambda:InvokeFunction",
                 sid, what);
        return;
    }
    vd->stage = 2;
    if (!any_value(cJSON_GetObjectItemCaseSensitive(st, "Resource"), q->resource, arn_like)) {
        first_value(cJSON_GetObjectItemCaseSensitive(st, "Resource"), what, sizeof what);
        snprintf(vd->reason, sizeof vd->reason, "statement %s is for %s, not %s", sid, what,
                 q->resource);
        return;
    }
    vd->stage = 3;
    if (!conditions_hold(json_obj(st, "Condition"), q, vd, sid)) return;
    vd->stage = 4;
}

/* policy_allows with the function resolved: the statements of its policy
 * for that qualifier ("" for the function itself). */
static bool statements_allow(const cJSON *stmts, const char *label, const request_ctx *q, char *why,
                             size_t n) {
    verdict best = {.stage = -1};
    bool allowed = false;
    const cJSON *st;
    cJSON_ArrayForEach(st, stmts) {
        verdict vd = {0};
        judge(st, q, &vd);
        bool deny = strcmp(json_str_or(st, "Effect", "Allow"), "Deny") == 0;
        if (vd.stage == 4 && deny) {
            snprintf(why, n, "statement %s of %s's policy denies %s the invocation",
                     json_str_or(st, "Sid", "(no Sid)"), label, q->principal);
            return false;
        }
        if (vd.stage == 4) allowed = true;
        if (!deny && vd.stage > best.stage) best = vd;
    }
    if (allowed) {
        snprintf(why, n, "allowed");
        return true;
    }
    if (best.stage < 0) {
        snprintf(why, n, "%s has no resource-based policy, so nothing allows %s to invoke it",
                 label, q->principal);
        return false;
    }
    snprintf(why, n, "no statement of %s's policy allows %s to invoke it from %s (%s)", label,
             q->principal, q->source_arn ? q->source_arn : "an unknown source", best.reason);
    return false;
}

bool lambda_policy_allows(emu_call *c, const char *function, const char *qualifier,
                          const char *principal, const char *source_arn, char *why, size_t n) {
    /* Parsing fails calls by writing an error response: use a scratch one,
     * this is a check, not the caller's answer. */
    http_response scratch;
    http_response_init(&scratch);
    emu_call tmp = *c;
    tmp.resp = &scratch;
    lambda_ref r;
    bool ok = false;
    if (lambda_parse_name(&tmp, function, LAMBDA_NAME_NAMESPACED, qualifier, &r) != 0) {
        snprintf(why, n, "%s is not a valid function name", function ? function : "(none)");
    } else {
        cJSON *fn = lambda_function(&tmp, &r);
        char label[330];
        snprintf(label, sizeof label, "%s%s%s", r.name, r.qualifier[0] ? ":" : "", r.qualifier);
        if (!fn) {
            snprintf(why, n, "the function %s does not exist", label);
        } else {
            char *resource = lambda_ref_arn(&tmp, &r, true);
            request_ctx q = {.principal = principal ? principal : "",
                             .source_arn = source_arn,
                             .resource = resource};
            if (source_arn) arn_part(source_arn, 4, q.source_account, sizeof q.source_account);
            ok = statements_allow(json_arr(json_obj(fn, "policy"), r.qualifier), label, &q, why, n);
            free(resource);
        }
    }
    http_response_free(&scratch);
    return ok;
}
