/* TestInvokeMethod: run a method's current configuration (the live
 * resources, not a deployment) as the console's Test button does, with the
 * stage variables the request gives, in the stage "test-invoke-stage", and
 * without API key, throttling, quota or cache checks, as API Gateway does.
 * The answer is {status, body, headers, multiValueHeaders, log, latency}:
 * the method response and the execution log (gateway.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apigw_api.h"
#include "core/mem.h"
#include "gateway_internal.h"

/* headers and multiValueHeaders merged; a name in both keeps the
 * multi-valued list, as API Gateway merges them. */
static cJSON *request_headers(const cJSON *body) {
    cJSON *h = cJSON_CreateObject();
    const cJSON *it;
    cJSON_ArrayForEach(it, json_obj(body, "multiValueHeaders")) {
        const cJSON *v;
        cJSON_ArrayForEach(v, it) {
            if (cJSON_IsString(v)) gw_add_header(h, it->string, v->valuestring);
        }
    }
    cJSON_ArrayForEach(it, json_obj(body, "headers")) {
        if (cJSON_IsString(it) && !cJSON_GetObjectItem(h, it->string))
            gw_add_header(h, it->string, it->valuestring);
    }
    return h;
}

static cJSON *string_map(const cJSON *m) {
    cJSON *out = cJSON_CreateObject();
    const cJSON *it;
    cJSON_ArrayForEach(it, m) {
        if (cJSON_IsString(it)) cJSON_AddStringToObject(out, it->string, it->valuestring);
    }
    return out;
}

static cJSON *answer(const http_response *r, const char *log, long latency) {
    cJSON *out = cJSON_CreateObject();
    cJSON_AddNumberToObject(out, "status", r->status);
    char *body = xstrndup(r->body ? r->body : "", r->body_len);
    cJSON_AddStringToObject(out, "body", body);
    free(body);
    cJSON *single = cJSON_AddObjectToObject(out, "headers");
    cJSON *multi = cJSON_AddObjectToObject(out, "multiValueHeaders");
    for (size_t i = 0; i < r->headers.n; i++) {
        const http_header *h = &r->headers.v[i];
        json_set_str(single, h->name, h->value);
        cJSON *vals = cJSON_GetObjectItemCaseSensitive(multi, h->name);
        if (!vals) vals = cJSON_AddArrayToObject(multi, h->name);
        cJSON_AddItemToArray(vals, cJSON_CreateString(h->value));
    }
    cJSON_AddStringToObject(out, "log", log ? log : "");
    cJSON_AddNumberToObject(out, "latency", (double)latency);
    return out;
}

static void read_request(gw_ctx *g, const cJSON *b, const cJSON *resource) {
    const char *pq = json_str(b, "pathWithQueryString");
    if (!pq || !*pq) pq = json_str_or(resource, "path", "/");
    size_t plen = strcspn(pq, "?");
    g->path = pq[0] == '/' ? xstrndup(pq, plen) : xasprintf("/%.*s", (int)plen, pq);
    g->query = gw_parse_query(pq[plen] ? pq + plen + 1 : NULL);
    g->headers = request_headers(b);
    g->query1 = gw_single_values(g->query);
    g->headers1 = gw_single_values(g->headers);
    g->body = json_str(b, "body");
    g->body_len = g->body ? strlen(g->body) : 0;
    g->stage_vars = string_map(json_obj(b, "stageVariables"));
}

static int test_invoke_method(emu_call *c) {
    const char *api_id = c->param[0], *res_id = c->param[1], *verb = c->param[2];
    cJSON *method = apigw_find_method(c, api_id, res_id, verb);
    if (!method) return -1;
    cJSON *resource = apigw_find_resource(c, api_id, res_id);
    if (!resource) return -1;
    http_response out;
    http_response_init(&out);
    gateway_trace trace = {0};
    gw_ctx g;
    gw_ctx_init(&g, c, &out, &trace);
    g.test_invoke = true;
    g.api_id = api_id;
    g.stage_name = "test-invoke-stage";
    g.api = json_obj(emu_coll(c, "restapis"), api_id);
    snprintf(g.verb, sizeof g.verb, "%s", verb);
    read_request(&g, c->body, resource);
    g.resource = resource;
    g.method = method;
    g.integration = json_obj(method, "methodIntegration");
    g.path_params = gw_params_for(resource, g.path);
    snprintf(trace.resource_path, sizeof trace.resource_path, "%s",
             json_str_or(resource, "path", "/"));
    gw_build_context(&g);
    gw_execute(&g);
    long latency = (long)(clock_mono_ms() - g.t0_mono);
    cJSON *reply = answer(&out, g.log.data, latency);
    gw_ctx_free(&g);
    gateway_trace_free(&trace);
    http_response_free(&out);
    return emu_reply(c, 200, reply);
}

const emu_route apigw_test_routes[] = {
    {APIGW_TestInvokeMethod, test_invoke_method},
    {OP__COUNT, NULL},
};
