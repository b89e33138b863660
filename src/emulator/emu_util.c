/* Helpers shared by the handler modules: replies, errors, ids, time,
 * paging and patch operations. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/mem.h"
#include "emu.h"

static void set_json_body(emu_call *c, int status, cJSON *body) {
    http_response *r = c->resp;
    r->status = status;
    free(r->body);
    r->body = NULL;
    r->body_len = 0;
    if (body) {
        char *s = json_print(body);
        r->body = s;
        r->body_len = strlen(s);
        cJSON_Delete(body);
    }
    http_headers_set(&r->headers, "Content-Type", "application/json");
}

int emu_reply(emu_call *c, int status, cJSON *body) {
    set_json_body(c, status > 0 ? status : aws_op_get(c->op)->status, body);
    return 0;
}

int emu_fail_apigw_msg(emu_call *c, int status, const char *type, const char *msg) {
    cJSON *b = cJSON_CreateObject();
    cJSON_AddStringToObject(b, "message", msg);
    set_json_body(c, status, b);
    http_headers_set(&c->resp->headers, "x-amzn-ErrorType", type);
    if (status == 429) http_headers_set(&c->resp->headers, "Retry-After", "1");
    return -1;
}

/* Lambda's modelled errors whose message member is spelled "message"; the
 * others (ResourceNotFoundException, ServiceException, ...) use "Message". */
static bool lambda_lowercase_message(const char *type) {
    static const char *const lower[] = {
        "InvalidParameterValueException",
        "ResourceConflictException",
        "PreconditionFailedException",
        "TooManyRequestsException",
        "InvalidRequestContentException",
        "PolicyLengthExceededException",
        "RequestTooLargeException",
        "CodeStorageExceededException",
        "ResourceNotReadyException",
        "UnsupportedMediaTypeException",
        "ProvisionedConcurrencyConfigNotFoundException",
        "SerializedRequestEntityTooLargeException",
        "ValidationException",
    };
    for (size_t i = 0; i < sizeof lower / sizeof *lower; i++)
        if (strcmp(type, lower[i]) == 0) return true;
    return false;
}

int emu_fail_lambda_shaped(emu_call *c, int status, const char *type, bool typed, const char *msg) {
    cJSON *b = cJSON_CreateObject();
    if (typed) cJSON_AddStringToObject(b, "Type", status >= 500 ? "Service" : "User");
    cJSON_AddStringToObject(b, lambda_lowercase_message(type) ? "message" : "Message", msg);
    set_json_body(c, status, b);
    http_headers_set(&c->resp->headers, "x-amzn-ErrorType", type);
    return -1;
}

/* The formatting half of emu_fail_apigw and emu_fail_lambda. */
static int fail_v(emu_call *c, bool lambda, int status, const char *type, const char *fmt,
                  va_list ap) {
    char msg[4096];
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (!lambda) return emu_fail_apigw_msg(c, status, type, msg);
    /* Lambda's ValidationException carries no Type. */
    return emu_fail_lambda_shaped(c, status, type, strcmp(type, "ValidationException") != 0, msg);
}

int emu_fail_apigw(emu_call *c, int status, const char *type, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int rc = fail_v(c, false, status, type, fmt, ap);
    va_end(ap);
    return rc;
}

int emu_fail_lambda(emu_call *c, int status, const char *type, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int rc = fail_v(c, true, status, type, fmt, ap);
    va_end(ap);
    return rc;
}

char *emu_query(const emu_call *c, const char *name) { return http_query_get(c->req->query, name); }

bool emu_parse_long(const char *s, long *out) {
    if (!s || !*s) return false;
    char *end;
    long v = strtol(s, &end, 10);
    if (*end) return false;
    *out = v;
    return true;
}

bool emu_parse_double(const char *s, double *out) {
    if (!s || !*s) return false;
    char *end;
    double v = strtod(s, &end);
    if (*end) return false;
    *out = v;
    return true;
}

int emu_apigw_limit(emu_call *c, int *limit) {
    char *q = emu_query(c, "limit");
    long v = 25;
    if (q && !emu_parse_long(q, &v)) {
        free(q);
        return emu_fail_apigw(c, 400, "BadRequestException",
                              "Invalid limit: must be an integer between 1 and 500");
    }
    free(q);
    if (v < 1 || v > 500)
        return emu_fail_apigw(c, 400, "BadRequestException",
                              "1 validation error detected: Value '%ld' at 'limit' failed to satisfy "
                              "constraint: Member must have value less than or equal to 500",
                              v);
    *limit = (int)v;
    return 0;
}

int emu_reply_apigw_page(emu_call *c, cJSON *items) {
    int limit;
    if (emu_apigw_limit(c, &limit) != 0) {
        cJSON_Delete(items);
        return -1;
    }
    long start = 0;
    char *pos = emu_query(c, "position");
    if (pos && (!emu_parse_long(pos, &start) || start < 0)) {
        free(pos);
        cJSON_Delete(items);
        return emu_fail_apigw(c, 400, "BadRequestException", "Invalid position parameter");
    }
    free(pos);
    cJSON *page = cJSON_CreateArray();
    int n = cJSON_GetArraySize(items), taken = 0;
    for (int i = (int)start; i < n && taken < limit; i++, taken++)
        cJSON_AddItemToArray(page, cJSON_DetachItemFromArray(items, (int)start));
    cJSON *body = cJSON_CreateObject();
    if (start + taken < n) {
        char next[24];
        snprintf(next, sizeof next, "%ld", start + taken);
        cJSON_AddStringToObject(body, "position", next);
    }
    cJSON_AddItemToObject(body, "item", page);
    cJSON_Delete(items);
    return emu_reply(c, 0, body);
}

void emu_id(emu_call *c, size_t n, char *out) {
    rand_chars(&c->emu->rand, "abcdefghijklmnopqrstuvwxyz0123456789", n, out);
}

int64_t emu_now_ms(const emu_call *c) { return clock_now_ms(&c->emu->clock); }

double emu_now_s(const emu_call *c) { return (double)(emu_now_ms(c) / 1000); }

void emu_iso8601(const emu_call *c, char out[32]) {
    int64_t ms = emu_now_ms(c);
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 32 - n, ".%03d+0000", (int)(ms % 1000));
}

cJSON *emu_coll(emu_call *c, const char *coll) { return json_child_obj(c->reg, coll); }

static void strip_private(cJSON *v) {
    cJSON *it = v ? v->child : NULL;
    while (it) {
        cJSON *next = it->next;
        if (cJSON_IsObject(v) && it->string && it->string[0] == '_')
            cJSON_Delete(cJSON_DetachItemViaPointer(v, it));
        else
            strip_private(it);
        it = next;
    }
}

cJSON *emu_public_copy(const cJSON *v) {
    cJSON *copy = cJSON_Duplicate(v, 1);
    strip_private(copy);
    return copy;
}

int emu_patch_each(emu_call *c, cJSON *target, emu_patch_fn fn, void *ud) {
    cJSON *ops = cJSON_GetObjectItemCaseSensitive(c->body, "patchOperations");
    if (ops && !cJSON_IsArray(ops))
        return emu_fail_apigw(c, 400, "BadRequestException", "Invalid patch operations");
    const cJSON *po;
    cJSON_ArrayForEach(po, ops) {
        const char *op = json_str(po, "op"), *path = json_str(po, "path");
        if (!op || !path)
            return emu_fail_apigw(c, 400, "BadRequestException",
                                  "Invalid patch operation: op and path are required");
        static const char *const valid[] = {"add", "remove", "replace", "move", "copy", "test"};
        bool known = false;
        for (size_t i = 0; i < 6; i++) known |= strcmp(op, valid[i]) == 0;
        if (!known)
            return emu_fail_apigw(c, 400, "BadRequestException",
                                  "Invalid patch operation specified. Must be one of: [add, "
                                  "remove, move, test, replace, copy]");
        if (fn(c, target, op, path, cJSON_GetObjectItemCaseSensitive(po, "value"), ud) != 0)
            return -1;
    }
    return 0;
}

char *emu_pointer_unescape(const char *seg, size_t n) {
    char *out = xmalloc(n + 1);
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (seg[i] == '~' && i + 1 < n && (seg[i + 1] == '1' || seg[i + 1] == '0')) {
            out[j++] = seg[i + 1] == '1' ? '/' : '~';
            i++;
        } else {
            out[j++] = seg[i];
        }
    }
    out[j] = '\0';
    return out;
}

int emu_patch_invalid(emu_call *c, const char *op, const char *path) {
    return emu_fail_apigw(c, 400, "BadRequestException",
                          "Invalid patch path  '%s' specified for op '%s'. Please choose supported "
                          "operations",
                          path, op);
}
