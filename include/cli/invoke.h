#ifndef CLI_INVOKE_H
#define CLI_INVOKE_H
/* `apigw-console invoke`: one request sent to every chosen stage of a REST
 * API through the data plane, and each stage's answer shown side by side:
 * status, latency, the Lambda function, alias and version that served it,
 * cache hit or miss, throttle and quota left, headers and body.
 *
 * The pieces are separate so that tests can drive each one: parsing the
 * arguments, resolving the API and stages from listings, sending, and
 * formatting (into a buffer, never straight to a terminal). */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cli/opts.h"
#include "client/client.h"
#include "core/buf.h"
#include "core/err.h"
#include "emulator/emulator.h"
#include "emulator/gateway.h"
#include "transport/http.h"

/* --- arguments ------------------------------------------------------------ */

typedef struct invoke_args {
    CLI_COMMON_MEMBER; /* NULL / false: not given (main's defaults) */
    char *api;         /* name or id; NULL: the region's only API */
    char **stages;     /* --stage, in the order given */
    size_t nstages;
    bool all_stages, json, log, help;
    bool undeployed;      /* TestInvokeMethod with each stage's variables */
    http_headers headers; /* -H, in the order given */
    char *data;           /* -d as given: BODY, or @FILE */
    char *method;         /* upper case */
    char *path;           /* percent-encoded, starts with '/', no query */
    char *query;          /* raw query from PATH's '?', or NULL */
} invoke_args;

/* Parse the words after the program name, argv[0] being "invoke". Returns 0
 * (a->help set for --help: nothing else is checked then) or -1 with a usage
 * message in e. a is filled either way; free it with invoke_args_free. */
int invoke_parse(int argc, char **argv, invoke_args *a, err *e);
void invoke_args_free(invoke_args *a);
/* The subcommand's --help text. */
void invoke_usage(FILE *f);

/* The request body: -d BODY as it is, -d @FILE read whole (- is standard
 * input), none without -d. Returns 0 (*body malloc'd, NULL when none) or -1
 * with e set. */
int invoke_body(const invoke_args *a, char **body, size_t *len, err *e);

/* --- resolving the API and stages ---------------------------------------- */

/* The API named want (its id, else its name) among apis (an array of
 * RestApi); want NULL: the only API there is. Returns 0 with *id pointing
 * into apis, or -1 with e set: none found, or a name several APIs share
 * (the message lists their ids). */
int invoke_pick_api(const cJSON *apis, const char *want, const char **id, err *e);

/* The stages to call among stages (an array of Stage): those named (in
 * that order), else every stage (in the listing's order). Returns 0 with
 * *names (malloc'd array of malloc'd names) and *n, or -1 with e set: a
 * named stage that does not exist, or an API without stages. */
int invoke_pick_stages(const cJSON *stages, char *const *want, size_t nwant, char ***names,
                       size_t *n, err *e);

/* Both, through the client (typed operations, paging): works on any
 * transport. Returns 0 with *api_id and *names malloc'd, or -1 with e. */
int invoke_lookup(client *cl, const invoke_args *a, char **api_id, char ***names, size_t *n,
                  err *e);

/* invoke_lookup that also hands back GetStages' items (*stages: a JSON
 * array the caller frees; NULL on failure). */
int invoke_lookup_stages(client *cl, const invoke_args *a, char **api_id, char ***names,
                         size_t *n, cJSON **stages, err *e);

/* --- sending -------------------------------------------------------------- */

/* One stage's answer. */
typedef struct invoke_result {
    char *stage;
    int status; /* 0: no answer; error says why */
    char error[512];
    double latency_ms; /* round trip as the caller saw it */
    bool traced;       /* trace holds what the data plane did */
    /* --undeployed: the answer of TestInvokeMethod, which runs the current
     * configuration; trace.resource_path, trace.log and trace.latency_ms
     * (the answer's own "latency") are set, the rest of trace is not. */
    bool undeployed;
    gateway_trace trace;
    http_response resp;
} invoke_result;

void invoke_results_free(invoke_result *r, size_t n);

/* Send req (not taken) to one stage: fill resp (initialised by the caller)
 * and, when the backend can tell, trace; return 1 when trace was filled, 0
 * when not, -1 with e set when no answer came. */
typedef int (*invoke_send_fn)(void *ctx, const char *api_id, const char *stage,
                              const http_request *req, http_response *resp, gateway_trace *trace,
                              err *e);

/* The in-process data plane (ctx: the emulator): gateway_handle, with its
 * trace. req->path is the resource path. */
int invoke_send_emulator(void *ctx, const char *api_id, const char *stage, const http_request *req,
                         http_response *resp, gateway_trace *trace, err *e);
/* Through a client (ctx) and its transport, to the stage's invoke URL:
 * what works against any endpoint; no trace. */
int invoke_send_client(void *ctx, const char *api_id, const char *stage, const http_request *req,
                       http_response *resp, gateway_trace *trace, err *e);

/* The request a invoke_args describes, with body (copied; NULL: none).
 * Content-Type defaults to application/json when there is a body. */
http_request *invoke_request(const invoke_args *a, const char *body, size_t len);

/* Send req to each stage in turn. Returns the results (malloc'd, n of them). */
invoke_result *invoke_send_all(invoke_send_fn send, void *ctx, const char *api_id,
                               char *const *stages, size_t n, const http_request *req);

/* req (not taken) as sent to stage of api_id over the network. path_style
 * (an endpoint override): /restapis/{id}/{stage}/_user_request_{path};
 * else /{stage}{path} with Host {id}.execute-api.{region}.amazonaws.com. */
http_request *invoke_remote_request(const char *api_id, const char *stage, const char *region,
                                    const http_request *req, bool path_style);

/* Every stage at once: one request per stage submitted through the
 * client's transport, which is then driven until all have completed, so N
 * stages cost one round trip of wall time. Each latency runs from that
 * request's submit to its completion. Nothing is traced. Returns the
 * results (malloc'd, n of them, in the order of stages). */
invoke_result *invoke_send_concurrent(client *cl, const char *api_id, char *const *stages,
                                      size_t n, const http_request *req, bool path_style);

/* --- the current configuration (--undeployed) ----------------------------- */

/* The resource of resources (GetResources with embedded methods) that a
 * request for verb at path (percent-encoded, no query) reaches, as API
 * Gateway matches it: a literal path part before a {param} part before a
 * greedy {proxy+} part, passing over branches that lead nowhere (no such
 * resource, or no method for verb and no ANY). Trailing slashes are
 * ignored. Returns the resource (inside resources) with *method set to
 * the method to test (verb, or "ANY" when only ANY serves it), or NULL. */
const cJSON *invoke_match_resource(const cJSON *resources, const char *path, const char *verb,
                                   const char **method);

/* TestInvokeMethod on resource_id's method once per stage, all submitted
 * at once through the client, which is then driven until every one has
 * completed: req's path and query (as pathWithQueryString, from which the
 * service takes the path parameters), headers and body, with that stage's
 * variables (stages: the Stage objects of GetStages, whose "variables" are
 * sent as stageVariables). Results are in the order of names, marked
 * undeployed: status, headers, body and log from the answer, latency from
 * submit to completion; resource_path is copied into each trace. A call
 * that fails is a "no answer" with the error's code and message. */
invoke_result *invoke_send_undeployed(client *cl, const char *api_id, const char *resource_id,
                                      const char *resource_path, const char *method,
                                      char *const *names, size_t n, const cJSON *stages,
                                      const http_request *req);

/* --undeployed, whole: the API and stages, the resource the path reaches
 * (GetResources), then invoke_send_undeployed, through cl on any
 * transport. Exit status as invoke_run. */
int invoke_run_undeployed(client *cl, const invoke_args *a, FILE *out, FILE *errf);

/* --- output ----------------------------------------------------------------- */

/* Human-readable: a header line per stage, what the data plane did, the
 * response headers and the body (JSON pretty-printed when it parses). Every
 * name, header and body line is made terminal-safe (text_sanitize). With
 * log, the execution log follows each stage. */
void invoke_format_text(buf *out, const invoke_result *r, size_t n, bool log);
/* {"stages":[{stage, status, latencyMs, lambda:{function,alias,version},
 * cache, throttleRemaining, quotaRemaining, headers, body, ...}]}: body is
 * the parsed JSON when the response body parses, else its text. */
cJSON *invoke_to_json(const invoke_result *r, size_t n);
/* 0 when every stage answered 2xx, else 1. */
int invoke_exit_status(const invoke_result *r, size_t n);

/* --- the whole subcommand ------------------------------------------------- */

/* Resolve through the client over the local transport, send through the
 * in-process data plane, print to out (errors to errf). Returns the exit
 * status: 0 all 2xx, 1 otherwise or on failure, 2 on a usage error. With
 * a->undeployed, invoke_run_undeployed over the local transport. */
int invoke_run(emulator *emu, const char *region, const invoke_args *a, FILE *out, FILE *errf);

/* The same against an account: resolve and send through cl (a curl
 * transport to AWS or to endpoint_url, NULL: none given; profile: the
 * --profile whose endpoint settings count, NULL: AWS_PROFILE's), all
 * stages at once. What only the data plane knows (Lambda, cache, throttle,
 * quota) is shown as unknown. With a->undeployed, invoke_run_undeployed. */
int invoke_run_remote(client *cl, const char *endpoint_url, const char *profile,
                      const invoke_args *a, FILE *out, FILE *errf);

#endif
