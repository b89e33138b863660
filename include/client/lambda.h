#ifndef CLIENT_LAMBDA_H
#define CLIENT_LAMBDA_H
/* Typed Lambda operations over the generic client: one function per
 * operation, named after it. Conventions (input structs, asynchronous calls
 * that return ud, CLIENT_SYNC) are those of client/apigw.h. */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "client/apigw.h" /* client_sync, CLIENT_SYNC */
#include "client/client.h"

/* A page of a list operation: marker from the previous page's NextMarker
 * (NULL: the first page), max_items 1..10000 (0: the service's default). */
typedef struct lambda_page {
    const char *marker;
    int max_items;
} lambda_page;

/* arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]; qualifier may be
 * a version, an alias or ${stageVariables.x}. malloc'd. */
char *lambda_function_arn(const char *region, const char *account, const char *name,
                          const char *qualifier);

/* --- functions ------------------------------------------------------------------ */
typedef struct lambda_function_in {
    const char *runtime, *handler, *description;
    const char *role; /* UpdateFunctionConfiguration (CreateFunction takes it as a parameter) */
    int timeout, memory_size;
    const cJSON *environment; /* {"KEY": "value"} → Environment.Variables */
    bool publish;             /* CreateFunction: publish version 1 at once */
    const cJSON *tags;        /* CreateFunction */
    const char *revision_id;  /* UpdateFunctionConfiguration: only if still this revision */
} lambda_function_in;

/* zip: the deployment package (sent base64-encoded as Code.ZipFile). */
void *lambda_create_function(client *c, const char *name, const char *role, const void *zip,
                             size_t zip_len, const lambda_function_in *in, client_done_fn done,
                             void *ud);
/* qualifier: a version or alias (NULL: $LATEST). */
void *lambda_get_function(client *c, const char *name, const char *qualifier, client_done_fn done,
                          void *ud);
void *lambda_get_function_configuration(client *c, const char *name, const char *qualifier,
                                        client_done_fn done, void *ud);
/* all_versions: list every published version too (FunctionVersion=ALL). */
void *lambda_list_functions(client *c, const lambda_page *pg, bool all_versions,
                            client_done_fn done, void *ud);
/* qualifier: delete only that version (NULL: the function with everything). */
void *lambda_delete_function(client *c, const char *name, const char *qualifier,
                             client_done_fn done, void *ud);

typedef struct lambda_code_in {
    bool publish, dry_run;
    const char *revision_id;
} lambda_code_in;

void *lambda_update_function_code(client *c, const char *name, const void *zip, size_t zip_len,
                                  const lambda_code_in *in, client_done_fn done, void *ud);
void *lambda_update_function_configuration(client *c, const char *name,
                                           const lambda_function_in *in, client_done_fn done,
                                           void *ud);

/* --- versions -------------------------------------------------------------------- */
typedef struct lambda_publish_in {
    const char *code_sha256; /* publish only if $LATEST still has this code */
    const char *description, *revision_id;
} lambda_publish_in;

void *lambda_publish_version(client *c, const char *name, const lambda_publish_in *in,
                             client_done_fn done, void *ud);
void *lambda_list_versions_by_function(client *c, const char *name, const lambda_page *pg,
                                       client_done_fn done, void *ud);

/* --- aliases ---------------------------------------------------------------------- */
typedef struct lambda_alias_in {
    const char *function_version; /* UpdateAlias (CreateAlias takes it as a parameter) */
    const char *description;
    const cJSON *weights;    /* {"2": 0.1} → RoutingConfig.AdditionalVersionWeights */
    const char *revision_id; /* UpdateAlias */
} lambda_alias_in;

void *lambda_create_alias(client *c, const char *name, const char *alias, const char *version,
                          const lambda_alias_in *in, client_done_fn done, void *ud);
void *lambda_get_alias(client *c, const char *name, const char *alias, client_done_fn done,
                       void *ud);
/* function_version: only aliases pointing at it (NULL: all). */
void *lambda_list_aliases(client *c, const char *name, const char *function_version,
                          const lambda_page *pg, client_done_fn done, void *ud);
void *lambda_update_alias(client *c, const char *name, const char *alias, const lambda_alias_in *in,
                          client_done_fn done, void *ud);
void *lambda_delete_alias(client *c, const char *name, const char *alias, client_done_fn done,
                          void *ud);

/* --- resource-based policy ----------------------------------------------------------- */
typedef struct lambda_permission_in {
    const char *source_arn, *source_account, *event_source_token;
    const char *qualifier; /* the version or alias the statement is for */
    const char *revision_id, *principal_org_id, *function_url_auth_type;
} lambda_permission_in;

/* action: "lambda:InvokeFunction"; principal: "apigateway.amazonaws.com". */
void *lambda_add_permission(client *c, const char *name, const char *statement_id,
                            const char *action, const char *principal,
                            const lambda_permission_in *in, client_done_fn done, void *ud);
/* The result's "Policy" is the policy document as a JSON string. */
void *lambda_get_policy(client *c, const char *name, const char *qualifier, client_done_fn done,
                        void *ud);
void *lambda_remove_permission(client *c, const char *name, const char *statement_id,
                               const char *qualifier, const char *revision_id, client_done_fn done,
                               void *ud);

/* --- invoking ------------------------------------------------------------------------ */
typedef struct lambda_invoke_in {
    const char *qualifier;
    const char *invocation_type; /* RequestResponse (default), Event, DryRun */
    const char *log_type;        /* "Tail": the last 4 KB of the log in LogResult */
    const char *client_context;  /* base64 */
} lambda_invoke_in;

/* The result is {"StatusCode", "Payload" (the function's output as text),
 * and when sent "FunctionError", "LogResult" (base64), "ExecutedVersion"}:
 * the members of botocore's InvocationResponse. A function that raised is
 * a success with FunctionError set, as in the Lambda API. */
void *lambda_invoke(client *c, const char *name, const void *payload, size_t len,
                    const lambda_invoke_in *in, client_done_fn done, void *ud);

#endif
