#ifndef UI_CORS_H
#define UI_CORS_H
/* Enable CORS on a resource as the AWS console's wizard does: an OPTIONS
 * method with a MOCK integration answering the preflight with the three
 * Access-Control-Allow-* headers, Access-Control-Allow-Origin on the 200
 * responses of the chosen methods, and optionally on the DEFAULT_4XX and
 * DEFAULT_5XX gateway responses.
 *
 * The calls are planned first from the resource as the mirror holds it
 * (GetResources?embed=methods), creating what is missing and patching what
 * is there, then run in a row inside a job. */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "aws/ops.h"
#include "ui/job.h"
#include "ui/pane.h"

/* The console's defaults. */
#define CORS_DEFAULT_HEADERS "Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token"
#define CORS_DEFAULT_ORIGIN "*"

typedef struct cors_opts {
    const char *const *methods; /* verbs allowed (OPTIONS is always added; ANY means all) */
    size_t nmethods;
    const char *allow_headers; /* as typed: bare or already in single quotes */
    const char *allow_origin;
    bool gateway_4xx, gateway_5xx;
} cors_opts;

/* One call: op with path labels api, resource (or response type), verb,
 * status as the operation's path takes them, and its JSON body. */
typedef struct cors_step {
    aws_op op;
    char *verb;   /* NULL for gateway responses */
    char *status; /* status code, or the gateway response type; NULL for methods */
    cJSON *body;
    bool optional; /* a failure is reported, not fatal (gateway responses) */
} cors_step;

typedef struct cors_plan {
    cors_step *steps;
    size_t n;
} cors_plan;

/* The calls for resource (a wire Resource with resourceMethods embedded;
 * NULL: a resource without methods). */
void cors_plan_build(cors_plan *p, const cJSON *resource, const cors_opts *o);
void cors_plan_free(cors_plan *p);
/* The path labels of step s in the order its operation's path takes them;
 * returns how many (at most 4). Pointers into s or the arguments. */
size_t cors_step_params(const cors_step *s, const char *api_id, const char *resource_id,
                        const char **out);

/* A header value as a mapping takes a literal: 'value' (kept when already
 * quoted). malloc'd. */
char *cors_quote(const char *value);
/* The Access-Control-Allow-Methods list: the verbs and OPTIONS, sorted and
 * without repeats; ANY stands for every verb. malloc'd ("GET,OPTIONS"). */
char *cors_methods_value(const char *const *verbs, size_t n);

/* Run plan (taken) on resource_id of api_id as the job's next calls; the
 * job then ends with note (plus what optional steps could not do). The
 * caller's step returns right after. */
void cors_job_run(ui_job *j, cors_plan *plan, const char *api_id, const char *resource_id,
                  const char *note);

/* The Enable CORS form for a resource of the open API (every method
 * checked), or for one method of it (only that one checked; verb NULL: all). */
void ui_enable_cors(ui_ctx *cx, const char *api_id, const char *resource_id);
void ui_enable_cors_method(ui_ctx *cx, const char *api_id, const char *resource_id,
                           const char *verb);

#endif
