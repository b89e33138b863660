#ifndef CLIENT_APIGW_H
#define CLIENT_APIGW_H
/* Typed API Gateway (REST API) operations over the generic client: one
 * function per operation, named after it. The operation table supplies the
 * verb and path; these functions only place each member where the service
 * model says (path label, query string or body, under its wire name).
 *
 * Conventions shared with client/lambda.h:
 * - Required members are plain parameters. Optional members go into a small
 *   input struct (the pointer may be NULL: nothing optional is sent); a lone
 *   optional qualifier or flag may be a parameter of its own.
 * - In input structs, NULL strings and JSON values are not sent, numbers are
 *   sent when > 0, flags are sent only when true (false is what the service
 *   assumes when a flag is absent). So a zero-initialised struct sends
 *   nothing, and designated initialisers name just what the caller sets.
 * - Maps and lists the caller already holds as JSON (request templates,
 *   stage variables, tags, ...) are `const cJSON *` and copied.
 * - Every operation is asynchronous: done(ud, result, err) runs from
 *   transport_process(). It returns ud, which is what lets CLIENT_SYNC wait
 *   on any operation without a second, blocking copy of each function. */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "client/client.h"

/* --- patch operations ------------------------------------------------------
 * Update* operations take a list of JSON-patch-like operations, e.g.
 *   apigw_patch *p = apigw_patch_new();
 *   apigw_patch_replace(p, "/variables/lambdaAlias", "dev");
 *   apigw_patch_replace(p, apigw_patch_path(p, "/items", "GET", "caching", "enabled", NULL),
 * "true"); apigw_update_stage(cl, api, "prod", p, done, ud);   (takes p) Values are strings on the
 * wire, even numbers and flags ("3600", "true"). */
typedef struct apigw_patch apigw_patch;

apigw_patch *apigw_patch_new(void);
void apigw_patch_free(apigw_patch *p);
/* Append {op, path[, value][, from]}; NULL value/from are not sent. The
 * appenders return p so that calls can be chained. */
apigw_patch *apigw_patch_op(apigw_patch *p, const char *op, const char *path, const char *value,
                            const char *from);
apigw_patch *apigw_patch_add(apigw_patch *p, const char *path, const char *value);
apigw_patch *apigw_patch_replace(apigw_patch *p, const char *path, const char *value);
/* value: the element to remove from a list member (e.g. "/apiStages"), or NULL. */
apigw_patch *apigw_patch_remove(apigw_patch *p, const char *path, const char *value);
apigw_patch *apigw_patch_copy(apigw_patch *p, const char *from, const char *path);
/* A JSON pointer made of the given segments (NULL-terminated), each escaped
 * ('~' as "~0", '/' as "~1"): ("/items/{ID}", "GET", "caching", "enabled")
 * gives "/~1items~1{ID}/GET/caching/enabled". Owned by p. */
const char *apigw_patch_path(apigw_patch *p, const char *segment, ...) __attribute__((sentinel));
/* The operations as the body carries them (a JSON array), e.g. to show the
 * equivalent command line. */
const cJSON *apigw_patch_ops(const apigw_patch *p);

/* --- ARNs -------------------------------------------------------------------- */
/* The integration URI that makes API Gateway call a Lambda function:
 * arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/FUNCTION_ARN/invocations
 * function_arn may hold ${stageVariables.x}. malloc'd. */
char *apigw_lambda_uri(const char *region, const char *function_arn);
/* The execute-api ARN API Gateway presents to Lambda when it invokes a
 * function, for AddPermission's SourceArn:
 * arn:aws:execute-api:REGION:ACCOUNT:API_ID/STAGE/VERB/PATH. stage and verb
 * NULL mean "*"; path is the resource path ("/items/{ID}"; NULL: "*").
 * malloc'd. */
char *apigw_source_arn(const char *region, const char *account, const char *api_id,
                       const char *stage, const char *verb, const char *path);

/* --- paging ----------------------------------------------------------------- */
/* A page of a list operation: position from the previous page's "position"
 * (NULL: the first page), limit 1..500 (0: the service's default, 25). */
typedef struct apigw_page {
    const char *position;
    int limit;
} apigw_page;

/* --- RestApi ------------------------------------------------------------------ */
typedef struct apigw_rest_api_in {
    const char *description, *version, *clone_from, *api_key_source, *policy;
    const char *endpoint_type; /* "REGIONAL", "EDGE" or "PRIVATE" → endpointConfiguration.types */
    const cJSON *binary_media_types; /* array of strings */
    const cJSON *tags;
    bool disable_execute_api_endpoint;
} apigw_rest_api_in;

void *apigw_create_rest_api(client *c, const char *name, const apigw_rest_api_in *in,
                            client_done_fn done, void *ud);
void *apigw_get_rest_api(client *c, const char *api_id, client_done_fn done, void *ud);
void *apigw_get_rest_apis(client *c, const apigw_page *pg, client_done_fn done, void *ud);
void *apigw_update_rest_api(client *c, const char *api_id, apigw_patch *p, client_done_fn done,
                            void *ud);
void *apigw_delete_rest_api(client *c, const char *api_id, client_done_fn done, void *ud);

/* --- Model ---------------------------------------------------------------------- */
typedef struct apigw_model_in {
    const char *description;
    const char *schema; /* JSON Schema text */
} apigw_model_in;

void *apigw_create_model(client *c, const char *api_id, const char *name, const char *content_type,
                         const apigw_model_in *in, client_done_fn done, void *ud);
/* flatten: resolve $ref to other models in the returned schema. */
void *apigw_get_model(client *c, const char *api_id, const char *name, bool flatten,
                      client_done_fn done, void *ud);
void *apigw_get_models(client *c, const char *api_id, const apigw_page *pg, client_done_fn done,
                       void *ud);
/* The mapping template the console offers to "Generate" from a model. */
void *apigw_get_model_template(client *c, const char *api_id, const char *name, client_done_fn done,
                               void *ud);
void *apigw_update_model(client *c, const char *api_id, const char *name, apigw_patch *p,
                         client_done_fn done, void *ud);
void *apigw_delete_model(client *c, const char *api_id, const char *name, client_done_fn done,
                         void *ud);

/* --- Resource --------------------------------------------------------------------- */
void *apigw_create_resource(client *c, const char *api_id, const char *parent_id,
                            const char *path_part, client_done_fn done, void *ud);
/* embed_methods: ask for the resource's methods inline (embed=methods). */
void *apigw_get_resource(client *c, const char *api_id, const char *resource_id, bool embed_methods,
                         client_done_fn done, void *ud);
void *apigw_get_resources(client *c, const char *api_id, const apigw_page *pg, bool embed_methods,
                          client_done_fn done, void *ud);
/* Every page (limit=500); done gets a JSON array of all resources. */
void *apigw_get_resources_all(client *c, const char *api_id, bool embed_methods,
                              client_done_fn done, void *ud);
void *apigw_update_resource(client *c, const char *api_id, const char *resource_id, apigw_patch *p,
                            client_done_fn done, void *ud);
void *apigw_delete_resource(client *c, const char *api_id, const char *resource_id,
                            client_done_fn done, void *ud);

/* --- Method ------------------------------------------------------------------------- */
typedef struct apigw_method_in {
    const char *authorizer_id, *operation_name, *request_validator_id;
    bool api_key_required;
    const cJSON *request_parameters; /* {"method.request.path.ID": true, ...} */
    const cJSON *request_models;     /* {"application/json": "Item"} */
    const cJSON *authorization_scopes;
} apigw_method_in;

void *apigw_put_method(client *c, const char *api_id, const char *resource_id, const char *verb,
                       const char *authorization_type, const apigw_method_in *in,
                       client_done_fn done, void *ud);
void *apigw_get_method(client *c, const char *api_id, const char *resource_id, const char *verb,
                       client_done_fn done, void *ud);
void *apigw_update_method(client *c, const char *api_id, const char *resource_id, const char *verb,
                          apigw_patch *p, client_done_fn done, void *ud);
void *apigw_delete_method(client *c, const char *api_id, const char *resource_id, const char *verb,
                          client_done_fn done, void *ud);

/* The console's Test button: run the method without deploying it. */
typedef struct apigw_test_invoke_in {
    const char *path_with_query_string; /* "/items/1?x=y" */
    const char *body, *client_certificate_id;
    const cJSON *headers, *multi_value_headers, *stage_variables;
} apigw_test_invoke_in;

void *apigw_test_invoke_method(client *c, const char *api_id, const char *resource_id,
                               const char *verb, const apigw_test_invoke_in *in,
                               client_done_fn done, void *ud);

/* --- Integration ------------------------------------------------------------------------ */
typedef struct apigw_integration_in {
    const char *http_method; /* the backend's verb (integrationHttpMethod): "POST" for Lambda */
    const char *uri, *connection_type, *connection_id, *credentials;
    const char *passthrough_behavior; /* WHEN_NO_MATCH, WHEN_NO_TEMPLATES, NEVER */
    const char *cache_namespace, *content_handling;
    const cJSON *request_parameters, *request_templates, *cache_key_parameters;
    int timeout_in_millis;
} apigw_integration_in;

/* type: MOCK, AWS, AWS_PROXY, HTTP or HTTP_PROXY. */
void *apigw_put_integration(client *c, const char *api_id, const char *resource_id,
                            const char *verb, const char *type, const apigw_integration_in *in,
                            client_done_fn done, void *ud);
void *apigw_get_integration(client *c, const char *api_id, const char *resource_id,
                            const char *verb, client_done_fn done, void *ud);
void *apigw_update_integration(client *c, const char *api_id, const char *resource_id,
                               const char *verb, apigw_patch *p, client_done_fn done, void *ud);
void *apigw_delete_integration(client *c, const char *api_id, const char *resource_id,
                               const char *verb, client_done_fn done, void *ud);

/* --- MethodResponse ------------------------------------------------------------------------- */
typedef struct apigw_method_response_in {
    const cJSON *response_parameters; /* {"method.response.header.X": false} */
    const cJSON *response_models;     /* {"application/json": "Empty"} */
} apigw_method_response_in;

void *apigw_put_method_response(client *c, const char *api_id, const char *resource_id,
                                const char *verb, const char *status,
                                const apigw_method_response_in *in, client_done_fn done, void *ud);
void *apigw_get_method_response(client *c, const char *api_id, const char *resource_id,
                                const char *verb, const char *status, client_done_fn done,
                                void *ud);
void *apigw_update_method_response(client *c, const char *api_id, const char *resource_id,
                                   const char *verb, const char *status, apigw_patch *p,
                                   client_done_fn done, void *ud);
void *apigw_delete_method_response(client *c, const char *api_id, const char *resource_id,
                                   const char *verb, const char *status, client_done_fn done,
                                   void *ud);

/* --- IntegrationResponse ------------------------------------------------------------------------
 */
typedef struct apigw_integration_response_in {
    const char *selection_pattern, *content_handling;
    const cJSON *response_parameters; /* {"method.response.header.X": "'value'"} */
    const cJSON *response_templates;  /* {"application/json": "template"} */
} apigw_integration_response_in;

void *apigw_put_integration_response(client *c, const char *api_id, const char *resource_id,
                                     const char *verb, const char *status,
                                     const apigw_integration_response_in *in, client_done_fn done,
                                     void *ud);
void *apigw_get_integration_response(client *c, const char *api_id, const char *resource_id,
                                     const char *verb, const char *status, client_done_fn done,
                                     void *ud);
void *apigw_update_integration_response(client *c, const char *api_id, const char *resource_id,
                                        const char *verb, const char *status, apigw_patch *p,
                                        client_done_fn done, void *ud);
void *apigw_delete_integration_response(client *c, const char *api_id, const char *resource_id,
                                        const char *verb, const char *status, client_done_fn done,
                                        void *ud);

/* --- Deployment ----------------------------------------------------------------------------------
 */
typedef struct apigw_deployment_in {
    const char *stage_name; /* create or update this stage to serve the deployment */
    const char *stage_description, *description, *cache_cluster_size;
    bool cache_cluster_enabled, tracing_enabled;
    const cJSON *variables;
} apigw_deployment_in;

void *apigw_create_deployment(client *c, const char *api_id, const apigw_deployment_in *in,
                              client_done_fn done, void *ud);
void *apigw_get_deployment(client *c, const char *api_id, const char *deployment_id,
                           client_done_fn done, void *ud);
void *apigw_get_deployments(client *c, const char *api_id, const apigw_page *pg,
                            client_done_fn done, void *ud);
void *apigw_update_deployment(client *c, const char *api_id, const char *deployment_id,
                              apigw_patch *p, client_done_fn done, void *ud);
void *apigw_delete_deployment(client *c, const char *api_id, const char *deployment_id,
                              client_done_fn done, void *ud);

/* --- Stage
 * ------------------------------------------------------------------------------------------ */
typedef struct apigw_stage_in {
    const char *description, *cache_cluster_size, *documentation_version;
    bool cache_cluster_enabled, tracing_enabled;
    const cJSON *variables, *tags;
} apigw_stage_in;

void *apigw_create_stage(client *c, const char *api_id, const char *stage_name,
                         const char *deployment_id, const apigw_stage_in *in, client_done_fn done,
                         void *ud);
void *apigw_get_stage(client *c, const char *api_id, const char *stage_name, client_done_fn done,
                      void *ud);
/* deployment_id: only the stages serving it (NULL: all). */
void *apigw_get_stages(client *c, const char *api_id, const char *deployment_id,
                       client_done_fn done, void *ud);
void *apigw_update_stage(client *c, const char *api_id, const char *stage_name, apigw_patch *p,
                         client_done_fn done, void *ud);
void *apigw_delete_stage(client *c, const char *api_id, const char *stage_name, client_done_fn done,
                         void *ud);
void *apigw_flush_stage_cache(client *c, const char *api_id, const char *stage_name,
                              client_done_fn done, void *ud);

/* --- UsagePlan
 * ----------------------------------------------------------------------------------------- */
typedef struct apigw_api_stage {
    const char *api_id, *stage;
} apigw_api_stage;

typedef struct apigw_throttle {
    double rate_limit;
    int burst_limit;
} apigw_throttle;

typedef struct apigw_quota {
    int limit, offset;
    const char *period; /* DAY, WEEK or MONTH */
} apigw_quota;

typedef struct apigw_usage_plan_in {
    const char *description;
    const apigw_api_stage *api_stages;
    size_t n_api_stages;
    const apigw_throttle *throttle; /* sent whole when not NULL */
    const apigw_quota *quota;       /* sent whole when not NULL */
    const cJSON *tags;
} apigw_usage_plan_in;

void *apigw_create_usage_plan(client *c, const char *name, const apigw_usage_plan_in *in,
                              client_done_fn done, void *ud);
void *apigw_get_usage_plan(client *c, const char *plan_id, client_done_fn done, void *ud);
/* key_id: only the plans holding that API key (NULL: all). */
void *apigw_get_usage_plans(client *c, const apigw_page *pg, const char *key_id,
                            client_done_fn done, void *ud);
void *apigw_update_usage_plan(client *c, const char *plan_id, apigw_patch *p, client_done_fn done,
                              void *ud);
void *apigw_delete_usage_plan(client *c, const char *plan_id, client_done_fn done, void *ud);

/* --- ApiKey
 * --------------------------------------------------------------------------------------------- */
typedef struct apigw_api_key_in {
    const char *name, *description, *customer_id;
    const char *value; /* NULL: the service generates one */
    bool enabled, generate_distinct_id;
    const cJSON *tags;
} apigw_api_key_in;

void *apigw_create_api_key(client *c, const apigw_api_key_in *in, client_done_fn done, void *ud);
/* include_value: return the key's secret value too. */
void *apigw_get_api_key(client *c, const char *key_id, bool include_value, client_done_fn done,
                        void *ud);

typedef struct apigw_api_keys_in {
    apigw_page page;
    const char *name_query, *customer_id;
    bool include_values;
} apigw_api_keys_in;

void *apigw_get_api_keys(client *c, const apigw_api_keys_in *in, client_done_fn done, void *ud);
void *apigw_update_api_key(client *c, const char *key_id, apigw_patch *p, client_done_fn done,
                           void *ud);
void *apigw_delete_api_key(client *c, const char *key_id, client_done_fn done, void *ud);

/* --- UsagePlanKey
 * --------------------------------------------------------------------------------------- */
/* key_type: "API_KEY". */
void *apigw_create_usage_plan_key(client *c, const char *plan_id, const char *key_id,
                                  const char *key_type, client_done_fn done, void *ud);
void *apigw_get_usage_plan_key(client *c, const char *plan_id, const char *key_id,
                               client_done_fn done, void *ud);
/* name_query: only keys whose name starts with it (NULL: all). */
void *apigw_get_usage_plan_keys(client *c, const char *plan_id, const apigw_page *pg,
                                const char *name_query, client_done_fn done, void *ud);
void *apigw_delete_usage_plan_key(client *c, const char *plan_id, const char *key_id,
                                  client_done_fn done, void *ud);

/* --- Usage
 * ---------------------------------------------------------------------------------------------- */
typedef struct apigw_usage_in {
    const char *key_id; /* one key's usage (NULL: every key of the plan) */
    apigw_page page;
} apigw_usage_in;

/* Dates are "YYYY-MM-DD", both included. */
void *apigw_get_usage(client *c, const char *plan_id, const char *start_date, const char *end_date,
                      const apigw_usage_in *in, client_done_fn done, void *ud);
/* Grant extra requests or reset the remaining quota of one key. */
void *apigw_update_usage(client *c, const char *plan_id, const char *key_id, apigw_patch *p,
                         client_done_fn done, void *ud);

#endif
