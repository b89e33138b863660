#ifndef EMULATOR_GATEWAY_H
#define EMULATOR_GATEWAY_H
/* The API Gateway data plane: a request to a stage of an API goes through
 * the stage's deployment as API Gateway runs it (route, API key, throttling
 * and quota, cache, integration, mapping templates, method response). */
#include <stdbool.h>

#include "emulator/emulator.h"
#include "transport/http.h"

/* What happened to one request, for `invoke`, the console and tests. */
typedef struct gateway_trace {
    char resource_path[256]; /* "/items/{ID}", "" when no route matched */
    char function[160];      /* Lambda function that served it, "" if none */
    char alias[64];          /* alias or qualifier in the integration URI, "" if none */
    char version[16];        /* executed version */
    bool cache_hit, cache_used;
    long throttle_remaining; /* tokens left in the tightest bucket, -1: no throttle */
    long quota_remaining;    /* -1: no quota */
    double latency_ms, integration_ms;
    char *log; /* execution log, as TestInvokeMethod's "log"; malloc'd */
} gateway_trace;

void gateway_trace_free(gateway_trace *t);

/* A request carrying this header gets the trace of what the data plane did
 * back in the same response header (one line of JSON: resourcePath,
 * function, alias, version, cache, throttleRemaining, quotaRemaining,
 * latencyMs, integrationMs, log). Only the emulator knows it; the console
 * sends it offline, so its per-stage test goes through the client on the
 * emulator and on AWS alike. */
#define GATEWAY_TRACE_HEADER "X-Apigw-Console-Trace"

/* The header's value for t (malloc'd); the log is cut at 32 KiB. */
char *gateway_trace_encode(const gateway_trace *t);
/* Fill t (zeroed by the caller; its log is malloc'd) from a header value.
 * false when the value is not a trace. */
bool gateway_trace_decode(const char *value, gateway_trace *t);

/* Serve req at stage of api_id. req->path is the resource path ("/items/1")
 * with its raw query in req->query. trace may be NULL; a given trace is
 * filled afresh (a log it held is freed, so start from a zeroed one) and
 * its log is the caller's to free with gateway_trace_free. Runs in its own
 * store transaction (not inside a handler's). */
void gateway_handle(emulator *emu, const char *region, const char *api_id, const char *stage,
                    const http_request *req, http_response *resp, gateway_trace *trace);

/* Requests to the data plane through the emulator's front door: paths
 * /restapis/{id}/{stage}/_user_request_/{path} (region: req->region, else
 * the emulator's default) and hosts {id}.execute-api[.{region}].localhost
 * [:port] (path /{stage}/{path}). Returns false (resp untouched) when req
 * is not for the data plane. */
bool gateway_route(emulator *emu, const http_request *req, http_response *resp,
                   gateway_trace *trace);

#endif
