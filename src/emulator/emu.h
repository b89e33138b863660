#ifndef EMULATOR_EMU_H
#define EMULATOR_EMU_H
/* Private to src/emulator/: what a request handler sees, and the helpers
 * every handler module shares. */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>

#include "aws/ops.h"
#include "core/clock.h"
#include "core/json.h"
#include "emulator/emulator.h"
#include "transport/http.h"

struct emulator {
    store *st;
    char account[16];
    char default_region[32];
    clock_src clock;
    rand_src rand;
    struct runtime *rt;        /* local Lambda workers, made on first Invoke */
    struct gateway_state *gw;  /* data-plane memory: token buckets, stage caches */
};

/* The state of one region (store_region), in AWS's wire shapes. Members
 * whose names start with '_' are ours and never leave the emulator.
 *
 * "restapis": { apiId: {
 *     "api":       RestApi (id, name, description, createdDate, apiKeySource,
 *                  endpointConfiguration, rootResourceId, ...),
 *     "resources": { resourceId: Resource (id, parentId, pathPart, path,
 *                  "resourceMethods": { VERB: Method (httpMethod,
 *                  authorizationType, apiKeyRequired, requestParameters,
 *                  "methodResponses": { status: MethodResponse },
 *                  "methodIntegration": Integration (type, uri, ...,
 *                  "integrationResponses": { status: IntegrationResponse })) }) },
 *     "models":    { name: Model (id, name, contentType, schema, description) },
 *     "deployments": { id: Deployment (id, description, createdDate,
 *                  "_resources": copy of "resources" when it was made,
 *                  "_gatewayResponses": copy of "gatewayResponses" as it
 *                  serves them, written lazily: see apigw_gateway_response.c) },
 *     "stages":    { name: Stage (stageName, deploymentId, variables,
 *                  methodSettings, cacheClusterEnabled, ...) },
 *     "gatewayResponses": { responseType: GatewayResponse (responseType,
 *                  statusCode when given, responseParameters,
 *                  responseTemplates, defaultResponse false): only the
 *                  customized types } } }
 * "apikeys":    { id: ApiKey (id, name, value, enabled, createdDate, ...) }
 * "usageplans": { id: UsagePlan (id, name, apiStages, throttle, quota,
 *                  "_keys": [apiKeyId, ...]) }
 * "functions":  { name: {
 *     "latest":   FunctionConfiguration of $LATEST (Version "$LATEST"),
 *     "_zip":     base64 of the code zip of $LATEST,
 *     "versions": { "1": { "config": FunctionConfiguration, "_zip": base64 } },
 *     "aliases":  { name: AliasConfiguration },
 *     "policy":   { qualifier ("" for the function): [Statement, ...] },
 *     "tags":     { key: value },
 *     "_nextVersion": 1,
 *     "_revision": count of code and configuration changes (also on each
 *                  versions[N]), how publishing tells "nothing changed" } }
 * Objects keep insertion order, so lists come out in creation order. */

/* Owned by their modules; emulator_free calls these. */
void gateway_state_free(struct gateway_state *gw);

/* One API call being handled. */
typedef struct emu_call {
    emulator *emu;
    const http_request *req;
    aws_op op;
    const char *region;
    const char *account;
    const char *param[AWS_MAX_PATH_PARAMS]; /* decoded path labels, template order */
    size_t nparams;
    cJSON *body;       /* parsed JSON body, or an empty object when there is none */
    cJSON *reg;        /* this region's state (see store_region) */
    http_response *resp;
} emu_call;

/* A handler fills c->resp (through emu_reply / emu_fail_*) and returns 0 on
 * success, -1 on failure. A failed write request is rolled back. */
typedef int (*emu_handler)(emu_call *c);

typedef struct emu_route {
    aws_op op;
    emu_handler fn;
} emu_route;

/* Each handler module exports a table ending with {OP__COUNT, NULL}. */
extern const emu_route apigw_restapi_routes[];   /* rest APIs, models */
extern const emu_route apigw_resource_routes[];  /* resources, methods, integrations, responses */
extern const emu_route apigw_stage_routes[];     /* deployments, stages, cache */
extern const emu_route apigw_usage_routes[];     /* usage plans, API keys, usage */
extern const emu_route lambda_function_routes[]; /* functions, code, configuration */
extern const emu_route lambda_version_routes[];  /* versions, aliases, permissions */
extern const emu_route lambda_invoke_routes[];   /* Invoke */
extern const emu_route apigw_test_routes[];      /* TestInvokeMethod */
extern const emu_route apigw_gateway_response_routes[]; /* gateway responses */

/* --- replies ---------------------------------------------------------- */
/* Reply with the op's success status (or status when > 0) and a JSON body,
 * taking ownership of body (NULL: no body). Returns 0. */
int emu_reply(emu_call *c, int status, cJSON *body);
/* API Gateway error: {"message": ...} + x-amzn-ErrorType. Returns -1. */
int emu_fail_apigw(emu_call *c, int status, const char *type, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The same with the message ready, of any length (the formatting variants
 * stop at 4095 bytes). */
int emu_fail_apigw_msg(emu_call *c, int status, const char *type, const char *msg);
/* Lambda error: {"Type":"User","Message": ...} + x-amzn-ErrorType, with the
 * message member spelled as Lambda's model spells it for that type ("message"
 * for most modelled errors). Returns -1. */
int emu_fail_lambda(emu_call *c, int status, const char *type, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The same with the message ready and Type present or not. */
int emu_fail_lambda_shaped(emu_call *c, int status, const char *type, bool typed, const char *msg);

/* --- request access ----------------------------------------------------- */
/* Decoded query parameter (malloc'd) or NULL. */
char *emu_query(const emu_call *c, const char *name);
/* s read whole as a number (strtol base 10, strtod): false when anything
 * follows it, and for NULL and "". */
bool emu_parse_long(const char *s, long *out);
bool emu_parse_double(const char *s, double *out);
/* Paging of API Gateway lists: limit (1..500, default 25) and position.
 * Fails the call with BadRequestException on a bad limit. */
int emu_apigw_limit(emu_call *c, int *limit);

/* --- ids and time ------------------------------------------------------- */
/* Random id of n lowercase letters and digits, as API Gateway makes them. */
void emu_id(emu_call *c, size_t n, char *out);
int64_t emu_now_ms(const emu_call *c);
/* Seconds since the epoch, as API Gateway's rest-json timestamps. */
double emu_now_s(const emu_call *c);
/* "2026-11-24T00:31:09.000+0000", as Lambda's LastModified. */
void emu_iso8601(const emu_call *c, char out[32]);

/* --- collections ------------------------------------------------------ */
/* The child object of the region named coll ("restapis", ...). */
cJSON *emu_coll(emu_call *c, const char *coll);
/* A deep copy of a stored object fit to leave the emulator: without the
 * '_' members (see STATE LAYOUT), at any depth. */
cJSON *emu_public_copy(const cJSON *v);
/* An API Gateway list page: {"item":[...]} plus "position" when more follow.
 * items is an array of objects already in order; takes ownership. Applies
 * position/limit from the query; position is the index of the next item as
 * a decimal string. Returns 0 or fails the call on a bad position/limit. */
int emu_reply_apigw_page(emu_call *c, cJSON *items);

/* --- patch operations -------------------------------------------------- */
/* Iterate {"patchOperations":[{"op","path","value","from"}]}. The callback
 * applies one; it fails the call itself and returns -1 to stop. */
typedef int (*emu_patch_fn)(emu_call *c, cJSON *target, const char *op, const char *path,
                            const cJSON *value, void *ud);
int emu_patch_each(emu_call *c, cJSON *target, emu_patch_fn fn, void *ud);
/* Unescape one JSON-pointer path segment (~1 → '/', ~0 → '~'), malloc'd. */
char *emu_pointer_unescape(const char *seg, size_t n);
/* The standard error for a path a resource does not support. */
int emu_patch_invalid(emu_call *c, const char *op, const char *path);

#endif
