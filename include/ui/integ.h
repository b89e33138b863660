#ifndef UI_INTEG_H
#define UI_INTEG_H
/* Setting a method's integration as the AWS console does, shared by
 * Create method (the resources tree) and Method Execution's Integration
 * request: PutIntegration, the default 200 method and integration
 * responses for non-proxy integrations, and the Lambda permission — added
 * at once for a function named directly ("ItemsFunction",
 * "ItemsFunction:prod"), or, for a name holding ${stageVariables.x}, a
 * dialog listing the `aws lambda add-permission` command for each stage's
 * value of x and offering to run them. */
#include <cjson/cJSON.h>
#include <stdbool.h>

#include "core/clock.h"
#include "ui/pane.h"

typedef enum integ_kind { INTEG_LAMBDA, INTEG_MOCK, INTEG_HTTP, INTEG_AWS } integ_kind;

typedef struct integ_spec {
    integ_kind kind;
    bool proxy;           /* Lambda proxy (AWS_PROXY) / HTTP proxy (HTTP_PROXY) */
    const char *function; /* INTEG_LAMBDA: name, name:alias, name:${stageVariables.x} or an ARN */
    const char *http_method; /* INTEG_HTTP / INTEG_AWS: the backend's verb (NULL: the method's) */
    const char *uri;         /* INTEG_HTTP: the endpoint URL; INTEG_AWS: the action/path ARN */
    const char *role;        /* INTEG_AWS: the execution role ARN, or NULL */
    /* Non-proxy integrations only (both may stay NULL): */
    const char *passthrough;        /* WHEN_NO_MATCH, WHEN_NO_TEMPLATES or NEVER (NULL: the
                                       service's default, WHEN_NO_MATCH) */
    const cJSON *request_templates; /* {"application/json": "..."}; NULL: none, or for
                                       MOCK the console's {"statusCode": 200} */
} integ_spec;

/* Start the job; api/resource/verb name the method, path is the resource's
 * path (for the permission's source ARN). Values are copied. */
void integ_apply(ui_ctx *cx, const char *api_id, const char *resource_id, const char *path,
                 const char *verb, const integ_spec *s);

/* --- the pieces without a terminal (unit-tested) -------------------------------- */

/* The request template the console gives a new Mock integration. */
#define INTEG_MOCK_TEMPLATE "{\"statusCode\": 200}"

/* The integration type on the wire: MOCK, AWS, AWS_PROXY, HTTP or HTTP_PROXY. */
const char *integ_type(const integ_spec *s);
/* What an Integration (wire object) is, as the console's choices name it:
 * AWS or AWS_PROXY with a Lambda invocation URI is a Lambda function. */
integ_kind integ_kind_of(const cJSON *integration, bool *proxy);

/* The x of the first ${stageVariables.x} in text (malloc'd), or NULL. */
char *integ_stage_var(const char *text);
/* text with every ${stageVariables.var} replaced by value. malloc'd. */
char *integ_substitute(const char *text, const char *var, const char *value);

/* A Lambda function as typed: "NAME", "NAME:QUALIFIER" or a function ARN
 * ("arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]"). */
typedef struct integ_fn {
    char *name;      /* NAME, or the unqualified ARN: what Lambda calls take */
    char *qualifier; /* alias, version or ${stageVariables.x}; NULL when none */
    char *region;    /* from an ARN, else NULL */
    char *account;   /* from an ARN, else NULL */
} integ_fn;
/* 0, or -1 when text names no function (empty, or an ARN that is not a
 * Lambda function's); out is zeroed then. */
int integ_fn_parse(const char *text, integ_fn *out);
void integ_fn_free(integ_fn *f);
/* The function's ARN (an ARN as typed; a name in region and account), or
 * NULL for a name when account is NULL. malloc'd. */
char *integ_fn_arn(const char *region, const char *account, const char *text);
/* The integration URI of s (Lambda: the invocation URI, in the region of
 * the function's ARN when it has one; HTTP/AWS: s->uri; MOCK: NULL). NULL
 * too for a Lambda function named without an ARN while account is NULL. */
char *integ_uri(const integ_spec *s, const char *region, const char *account);
/* The function a Lambda invocation URI names, as the console shows it:
 * "NAME[:QUALIFIER]" when it lives in region and account (account NULL:
 * any), else its ARN. NULL when uri is not a Lambda invocation. */
char *integ_fn_of_uri(const char *uri, const char *region, const char *account);
/* The account field of an ARN (malloc'd), or NULL. */
char *integ_arn_account(const char *arn);

/* A statement id as the console makes them: a random (version 4) UUID. */
void integ_statement_id(const rand_src *r, char out[37]);
/* The command the console's warning shows for a function it cannot grant
 * itself; function as it should be named ("ItemsFunction:dev"). malloc'd. */
char *integ_permission_command(const char *function, const char *source_arn,
                               const char *statement_id);
/* [{"stage": NAME, "value": V}] for each stage (GetStages items, in
 * order) whose variables set var. */
cJSON *integ_stage_values(const cJSON *stages, const char *var);

/* Only the Lambda permission of a method whose integration is saved
 * already (saving it unchanged): AddPermission, or the per-stage dialog
 * when function holds ${stageVariables.x}. */
void integ_permissions(ui_ctx *cx, const char *api_id, const char *resource_id, const char *path,
                       const char *verb, const char *function);

#endif
