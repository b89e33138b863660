#ifndef EMULATOR_GATEWAY_INTERNAL_H
#define EMULATOR_GATEWAY_INTERNAL_H
/* Private to the data-plane modules (gateway_*.c and apigw_test.c): one
 * request on its way through the pipeline, and the memory the data plane
 * keeps between requests (token buckets, stage caches, parsed templates).
 *
 *   gateway.c        front door, the pipeline's order, responses and errors
 *   gateway_match.c  which resource and method a path reaches
 *   gateway_limits.c API keys, token buckets, quotas and usage
 *   gateway_cache.c  stage caches
 *   gateway_integ.c  integration requests: templates, parameters, MOCK, Lambda
 *   gateway_http.c   HTTP and HTTP_PROXY integrations (loopback only)
 *   gateway_resp.c   integration responses and method responses
 *   gateway_log.c    the execution log and small shared helpers
 *   gateway_map.c    a string-keyed hash map */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "emu.h"
#include "emulator/gateway.h"
#include "emulator/vtl.h"

/* --- a string-keyed hash map --------------------------------------------- */

typedef struct gw_map_item {
    char *key;
    void *val;
    struct gw_map_item *next;
} gw_map_item;

typedef struct gw_map {
    gw_map_item **slot;
    size_t nslot, count;
} gw_map;

void *gw_map_get(const gw_map *m, const char *key);
/* Insert or replace; returns the value it replaced (the caller frees it). */
void *gw_map_put(gw_map *m, const char *key, void *val);
/* Remove key; returns its value or NULL. */
void *gw_map_del(gw_map *m, const char *key);
/* Free every item, calling free_val on each value (may be NULL). */
void gw_map_clear(gw_map *m, void (*free_val)(void *));

/* --- memory between requests ---------------------------------------------- */

/* The caches of stages, by "region\napi\nstage". */
typedef struct gw_cache {
    gw_map stages; /* → gw_stage_cache */
} gw_cache;

struct gateway_state {
    gw_map buckets; /* throttle key → gw_bucket */
    gw_cache cache;
    gw_map templates; /* template text → vtl_template (parsed once) */
};

struct gateway_state *gw_state(emulator *emu);
void gw_cache_free(gw_cache *cc);

/* --- one request ------------------------------------------------------------ */

/* What the integration returned, before the integration response. */
typedef struct gw_endpoint {
    int status;
    http_headers headers;
    buf body;
    bool function_error; /* the Lambda function raised */
    char *error_message; /* its errorMessage, when it had one */
} gw_endpoint;

/* What API Gateway sends to the backend. */
typedef struct gw_ireq {
    char *uri; /* stage variables and path parameters substituted */
    char verb[16];
    http_headers headers;
    cJSON *query; /* {"name": ["value", ...]} */
    buf body;
} gw_ireq;

typedef struct gw_ctx {
    emu_call *c;      /* emulator, region, account, region state */
    bool test_invoke; /* TestInvokeMethod: the live configuration, no checks */
    bool write;       /* the store transaction may record usage */
    /* the method request */
    const char *api_id;
    const char *stage_name; /* "test-invoke-stage" for TestInvokeMethod */
    char verb[16];
    char *path;               /* decoded resource path as asked, "/items/1" */
    cJSON *query;             /* {"name": ["value", ...]}, decoded */
    cJSON *headers;           /* {"Name": ["value", ...]}, names as first sent */
    cJSON *query1, *headers1; /* single-valued views (the last value of each) */
    const char *body;
    size_t body_len;
    cJSON *stage_vars; /* {"name": "value"} */
    const char *host;  /* Host header or NULL */
    /* what the request reached */
    cJSON *api;   /* restapis[api_id] */
    cJSON *stage; /* NULL for TestInvokeMethod */
    const cJSON *resource;
    const cJSON *method;
    const cJSON *integration; /* NULL when the method has none */
    cJSON *path_params;       /* {"ID": "1"} */
    /* identity */
    char request_id[40];
    char apigw_id[24];    /* x-amz-apigw-id, $context.extendedRequestId */
    char trace_id[64];    /* X-Amzn-Trace-Id */
    const cJSON *api_key; /* ApiKey when the method required one */
    cJSON *context;       /* $context */
    /* the answer */
    http_response *resp;
    gateway_trace *trace; /* never NULL */
    buf log;
    int64_t t0_mono;
    int64_t now_ms; /* the emulator's clock at the start */
    bool failed;    /* a gateway error has been answered */
    /* what caching decided (gateway_cache.c) */
    char *cache_key;
    long cache_ttl_s;
    bool cache_warning; /* Cache-Control ignored: say so in a header */
} gw_ctx;

/* Status codes the pipeline steps return. */
enum { GW_OK = 0, GW_FAIL = -1, GW_NEED_WRITE = 1 };

/* --- gateway.c ---------------------------------------------------------------- */

/* Answer a gateway error: status, {"message": msg} (5XX bodies with a
 * space after the colon, as API Gateway spells them) and x-amzn-ErrorType;
 * every line of why goes to the execution log. Returns GW_FAIL. */
int gw_fail(gw_ctx *g, int status, const char *type, const char *msg, const char *why);
int gw_fail_internal(gw_ctx *g, const char *why); /* 500 Internal server error */
/* Run the method: integration request, integration, integration and
 * method responses, logging as API Gateway does. Fills g->resp. */
void gw_execute(gw_ctx *g);
/* The single-valued view of {"name": ["v", ...]}: the last value of each. */
cJSON *gw_single_values(const cJSON *multi);
/* Build g->context ($context) once the method is known. */
void gw_build_context(gw_ctx *g);
/* Prepare g for a request: ids, clock; free with gw_ctx_free. */
void gw_ctx_init(gw_ctx *g, emu_call *c, http_response *resp, gateway_trace *trace);
void gw_ctx_free(gw_ctx *g);
/* Parse "a=1&b=2&a=3" into {"a": ["1", "3"], "b": ["2"]}. */
cJSON *gw_parse_query(const char *q);
/* Copy request headers into {"Name": ["v", ...]} (case-insensitive names). */
void gw_add_header(cJSON *headers, const char *name, const char *value);
/* The final response headers every answer carries. */
void gw_finish(gw_ctx *g);

/* --- gateway_match.c ------------------------------------------------------------ */

/* The resource of resources (a "resources" object) that path reaches with
 * verb (or ANY), preferring literal parts over {param} over {proxy+};
 * *params gets the path parameters. NULL when none. */
const cJSON *gw_match(const cJSON *resources, const char *path, const char *verb, cJSON **params);
/* Path parameters of path read against the resource's own template (for
 * TestInvokeMethod, where the resource is given): positional, lenient. */
cJSON *gw_params_for(const cJSON *resource, const char *path);
/* The method of a resource for verb, falling back to ANY. */
const cJSON *gw_method_of(const cJSON *resource, const char *verb);

/* --- gateway_limits.c --------------------------------------------------------- */

/* API key, throttling and quota, in API Gateway's order. GW_OK to go on,
 * GW_FAIL after answering, GW_NEED_WRITE when usage must be recorded and
 * the transaction is read-only (nothing was consumed yet). */
int gw_check_limits(gw_ctx *g);
/* The stage's method setting for the request's method: its own (*own set)
 * or the stage-wide "*" "/" "*" one; NULL when neither exists. */
const cJSON *gw_method_setting(const gw_ctx *g, bool *own);

/* --- gateway_cache.c ------------------------------------------------------------- */

/* Whether the stage cache serves this request: GW_CACHE_HIT with g->resp
 * filled from the cache (trace->cache_hit set), GW_CACHE_FAIL after
 * answering (403 for an unauthorized invalidation), GW_CACHE_MISS when the
 * integration must run (g->cache_key set when its answer is to be kept). */
enum { GW_CACHE_HIT = 0, GW_CACHE_FAIL = -1, GW_CACHE_MISS = 2 };
int gw_cache_lookup(gw_ctx *g);
/* Keep the answer in g->resp for the request's cache key, if any. */
void gw_cache_store(gw_ctx *g);

/* --- gateway_integ.c --------------------------------------------------------------- */

/* Render the template text with the request's view and body as
 * $input.body (the method request's, or the integration response's).
 * Returns 0, or -1 with e set. */
int gw_render(gw_ctx *g, const char *tpl, const char *body, size_t body_len, buf *out, err *e);
/* JSONPath "$.<expr>" on a JSON text: the match as text (strings as they
 * are), NULL when the text is not JSON or nothing matches. */
char *gw_json_value(const char *text, size_t len, const char *expr);
/* Substitute ${stageVariables.x} in s (malloc'd). */
char *gw_stage_vars_subst(const gw_ctx *g, const char *s);
/* The value of a mapping expression ("method.request.path.ID",
 * "context.requestId", "stageVariables.x", "'literal'"); NULL when it
 * names nothing. malloc'd. */
char *gw_request_value(gw_ctx *g, const char *expr);
/* Run the integration: fills ep (for proxies, the answer itself). Returns
 * GW_OK, or GW_FAIL after answering. */
int gw_integrate(gw_ctx *g, gw_endpoint *ep);
void gw_endpoint_free(gw_endpoint *ep);
void gw_ireq_free(gw_ireq *r);

/* --- gateway_http.c ----------------------------------------------------------------- */

/* Whether the URL's host is loopback (127.0.0.0/8, localhost, ::1). */
bool gw_url_is_loopback(const char *url, char *host, size_t n);
/* Send r; fills ep. Returns 0, -1 with why set on a connection failure,
 * -2 on a timeout. */
int gw_http_send(const gw_ireq *r, long timeout_ms, gw_endpoint *ep, char *why, size_t n);

/* --- gateway_resp.c ------------------------------------------------------------------- */

/* Java-style whole-string regex match (selectionPattern). */
bool gw_regex_full(const char *pattern, const char *s);
/* Integration response → method response, into g->resp. */
int gw_respond(gw_ctx *g, gw_endpoint *ep);
/* The answer to a gateway error (gw_fail's): status, error type and
 * {"message": msg}, or the gateway response of its type the stage's
 * deployment customized. Replaces g->resp's headers and body; returns the
 * status sent. */
int gw_error_answer(gw_ctx *g, int status, const char *error_type, const char *msg,
                    const char *why);

/* --- gateway_log.c -------------------------------------------------------------------- */

/* Append "<date> : <line>" to the execution log. */
void gw_log(gw_ctx *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same with a value that is truncated as API Gateway's logs do. */
void gw_log_value(gw_ctx *g, const char *label, const char *v, size_t len);
/* Java's Map.toString of single-valued objects and headers:
 * "{a=1, b=2}" (malloc'd). */
char *gw_map_text(const cJSON *obj);
char *gw_headers_text(const http_headers *h);
/* "Tue Jun 11 03:30:06 UTC 2024" for ms since the epoch. */
void gw_java_date(int64_t ms, char out[40]);
/* The JSON text of a value for a header or a template: strings as they
 * are, other values printed (malloc'd). */
char *gw_value_text(const cJSON *v);
/* A random request id (v4 UUID) and a base64-looking apigw id. */
void gw_uuid(emulator *emu, char out[40]);
/* Media type without parameters, lowercased ("application/json"). */
void gw_media_type(const char *ct, char *out, size_t n);

#endif
