/* `apigw-console invoke --undeployed`: the API's current configuration,
 * run by TestInvokeMethod once per stage with that stage's variables (see
 * cli/invoke.h). The resource is found from the path as the data plane
 * finds it, so the request reads the same as a normal invoke. */
#include "cli/invoke.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/apigw.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"
#include "invoke_int.h"

/* --- which resource the path reaches ---------------------------------------- */

typedef struct segs {
    char **v;
    size_t n;
} segs;

/* "/a/b%2Fc/" → its decoded parts, trailing slashes dropped. */
static segs split(const char *path) {
    segs s = {0};
    size_t len = strlen(path);
    while (len && path[len - 1] == '/')
        len--;
    const char *p = path, *end = path + len;
    while (p < end && *p == '/')
        p++;
    while (p < end) {
        const char *q = memchr(p, '/', (size_t)(end - p));
        size_t n = q ? (size_t)(q - p) : (size_t)(end - p);
        s.v = xrealloc(s.v, (s.n + 1) * sizeof *s.v);
        s.v[s.n++] = url_decode(p, n, false);
        p += n + (q ? 1 : 0);
    }
    return s;
}

static void segs_free(segs *s) {
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
}

enum { PART_LITERAL, PART_PARAM, PART_GREEDY, PART_NONE };

static int part_kind(const char *part) {
    size_t n = strlen(part);
    if (n >= 3 && part[0] == '{' && part[n - 1] == '}')
        return n >= 4 && part[n - 2] == '+' ? PART_GREEDY : PART_PARAM;
    return PART_LITERAL;
}

/* Whether template tpl matches the request's parts; rank[i] gets the kind
 * of the part that took request part i (PART_NONE past the end). */
static bool template_matches(const segs *tpl, const segs *req, int *rank) {
    for (size_t i = 0; i < req->n; i++)
        rank[i] = PART_NONE;
    size_t i = 0;
    for (; i < tpl->n; i++) {
        int k = part_kind(tpl->v[i]);
        if (i >= req->n) return false;
        if (k == PART_GREEDY) { /* the rest, one part at least; only last */
            if (i + 1 != tpl->n) return false;
            for (size_t j = i; j < req->n; j++)
                rank[j] = PART_GREEDY;
            return true;
        }
        if (k == PART_PARAM ? !req->v[i][0] : strcmp(tpl->v[i], req->v[i]) != 0) return false;
        rank[i] = k;
    }
    return i == req->n;
}

/* API Gateway's search tries literal before param before greedy at each
 * depth, taking the first branch that ends in a method: among templates
 * that match, the one whose kinds come first, part by part. */
static bool ranks_before(const int *a, const int *b, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i]) return a[i] < b[i];
    return false;
}

static const char *method_of(const cJSON *resource, const char *verb) {
    const cJSON *methods = json_obj(resource, "resourceMethods");
    if (json_obj(methods, verb)) return verb;
    return json_obj(methods, "ANY") ? "ANY" : NULL;
}

const cJSON *invoke_match_resource(const cJSON *resources, const char *path, const char *verb,
                                   const char **method) {
    *method = NULL;
    segs req = split(path ? path : "/");
    int *rank = xcalloc(req.n + 1, sizeof *rank), *best_rank = xcalloc(req.n + 1, sizeof *rank);
    const cJSON *best = NULL, *r;
    cJSON_ArrayForEach(r, resources) {
        const char *m = method_of(r, verb);
        const char *tp = json_str(r, "path");
        if (!m || !tp) continue;
        segs tpl = split(tp);
        bool ok = template_matches(&tpl, &req, rank);
        segs_free(&tpl);
        if (!ok || (best && !ranks_before(rank, best_rank, req.n))) continue;
        best = r;
        *method = m;
        memcpy(best_rank, rank, (req.n + 1) * sizeof *rank);
    }
    free(rank);
    free(best_rank);
    segs_free(&req);
    return best;
}

/* --- one TestInvokeMethod per stage ------------------------------------------- */

/* The answer's headers: multiValueHeaders when given, else headers. */
static void take_headers(http_headers *h, const cJSON *result) {
    const cJSON *multi = json_obj(result, "multiValueHeaders"), *it;
    if (multi && cJSON_GetArraySize(multi) > 0) {
        cJSON_ArrayForEach(it, multi) {
            const cJSON *v;
            cJSON_ArrayForEach(v, it) {
                if (cJSON_IsString(v)) http_headers_add(h, it->string, v->valuestring);
            }
        }
        return;
    }
    cJSON_ArrayForEach(it, json_obj(result, "headers")) {
        if (cJSON_IsString(it)) http_headers_add(h, it->string, it->valuestring);
    }
}

static void on_tested(void *ud, const cJSON *result, const err *e) {
    invoke_result *x = invoke_pending_done(ud);
    if (e) {
        err_text(e, x->error, sizeof x->error);
        if (!x->error[0]) snprintf(x->error, sizeof x->error, "no answer");
        return;
    }
    x->status = (int)json_num_or(result, "status", 0);
    if (x->status == 0) {
        snprintf(x->error, sizeof x->error, "TestInvokeMethod's answer holds no status");
        return;
    }
    x->resp.status = x->status;
    take_headers(&x->resp.headers, result);
    const char *body = json_str(result, "body");
    if (body && *body) http_response_set_body(&x->resp, body, strlen(body));
    free(x->trace.log);
    x->trace.log = xstrdup(json_str_or(result, "log", ""));
    x->trace.latency_ms = json_num_or(result, "latency", 0);
}

/* The request's headers as TestInvokeMethod takes them: every name in
 * headers (a repeated one keeps its last value), the repeated ones also in
 * multiValueHeaders with all their values. */
static void request_headers(const http_request *req, cJSON **single, cJSON **multi) {
    *single = cJSON_CreateObject();
    *multi = cJSON_CreateObject();
    for (size_t i = 0; i < req->headers.n; i++) {
        const http_header *h = &req->headers.v[i];
        json_set_str(*single, h->name, h->value);
        size_t count = 0;
        for (size_t j = 0; j < req->headers.n; j++)
            if (str_casecmp(req->headers.v[j].name, h->name) == 0) count++;
        if (count < 2) continue;
        cJSON *vals = cJSON_GetObjectItemCaseSensitive(*multi, h->name);
        if (!vals) vals = cJSON_AddArrayToObject(*multi, h->name);
        cJSON_AddItemToArray(vals, cJSON_CreateString(h->value));
    }
}

static const cJSON *stage_variables(const cJSON *stages, const char *name) {
    return json_obj(json_find(stages, "stageName", name), "variables");
}

invoke_result *invoke_send_undeployed(client *cl, const char *api_id, const char *resource_id,
                                      const char *resource_path, const char *method,
                                      char *const *names, size_t n, const cJSON *stages,
                                      const http_request *req) {
    invoke_pending *p;
    size_t done;
    invoke_result *r = invoke_results_new(names, n, &p, &done);
    char *pq =
        req->query && *req->query ? xasprintf("%s?%s", req->path, req->query) : xstrdup(req->path);
    char *body = req->body ? xstrndup(req->body, req->body_len) : NULL;
    cJSON *single, *multi;
    request_headers(req, &single, &multi);
    for (size_t i = 0; i < n; i++) {
        r[i].undeployed = true;
        snprintf(r[i].trace.resource_path, sizeof r[i].trace.resource_path, "%s", resource_path);
    }
    /* Every call is on its way before any answer is waited for. */
    for (size_t i = 0; i < n; i++) {
        apigw_test_invoke_in in = {
            .path_with_query_string = pq,
            .body = body,
            .headers = cJSON_GetArraySize(single) ? single : NULL,
            .multi_value_headers = cJSON_GetArraySize(multi) ? multi : NULL,
            .stage_variables = stage_variables(stages, names[i]),
        };
        invoke_pending_start(&p[i]);
        apigw_test_invoke_method(cl, api_id, resource_id, method, &in, on_tested, &p[i]);
    }
    invoke_wait_all(cl, r, n, p, &done);
    cJSON_Delete(single);
    cJSON_Delete(multi);
    free(body);
    free(pq);
    return r;
}
