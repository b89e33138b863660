#include "client/apigw.h"

#include <stdarg.h>
#include <stdlib.h>

#include "core/mem.h"
#include "wire.h"

/* --- request building ----------------------------------------------------- */

static void q_page(buf *q, const apigw_page *pg) {
    if (!pg) return;
    wire_q_str(q, "position", pg->position);
    wire_q_int(q, "limit", pg->limit);
}

/* A list operation whose only query is the page. */
static void *page_call(client *c, aws_op op, const char *const *params, size_t n,
                       const apigw_page *pg, client_done_fn done, void *ud) {
    buf q = BUF_INIT;
    q_page(&q, pg);
    return wire_call(c, op, params, n, &q, NULL, done, ud);
}

/* --- patches -------------------------------------------------------------- */

struct apigw_patch {
    cJSON *ops;
    cJSON *paths; /* strings made by apigw_patch_path, owned here */
};

apigw_patch *apigw_patch_new(void) {
    apigw_patch *p = xcalloc(1, sizeof *p);
    p->ops = cJSON_CreateArray();
    p->paths = cJSON_CreateArray();
    return p;
}

void apigw_patch_free(apigw_patch *p) {
    if (!p) return;
    cJSON_Delete(p->ops);
    cJSON_Delete(p->paths);
    free(p);
}

apigw_patch *apigw_patch_op(apigw_patch *p, const char *op, const char *path, const char *value,
                            const char *from) {
    cJSON *o = cJSON_CreateObject();
    json_set_str(o, "op", op);
    json_set_str(o, "path", path);
    wire_str(o, "value", value);
    wire_str(o, "from", from);
    cJSON_AddItemToArray(p->ops, o);
    return p;
}

apigw_patch *apigw_patch_add(apigw_patch *p, const char *path, const char *value) {
    return apigw_patch_op(p, "add", path, value, NULL);
}

apigw_patch *apigw_patch_replace(apigw_patch *p, const char *path, const char *value) {
    return apigw_patch_op(p, "replace", path, value, NULL);
}

apigw_patch *apigw_patch_remove(apigw_patch *p, const char *path, const char *value) {
    return apigw_patch_op(p, "remove", path, value, NULL);
}

apigw_patch *apigw_patch_copy(apigw_patch *p, const char *from, const char *path) {
    return apigw_patch_op(p, "copy", path, NULL, from);
}

const char *apigw_patch_path(apigw_patch *p, const char *segment, ...) {
    buf b = BUF_INIT;
    va_list ap;
    va_start(ap, segment);
    for (const char *s = segment; s; s = va_arg(ap, const char *)) {
        buf_putc(&b, '/');
        for (; *s; s++) {
            if (*s == '~')
                buf_puts(&b, "~0");
            else if (*s == '/')
                buf_puts(&b, "~1");
            else
                buf_putc(&b, *s);
        }
    }
    va_end(ap);
    cJSON *str = cJSON_CreateString(b.data ? b.data : "");
    buf_free(&b);
    cJSON_AddItemToArray(p->paths, str);
    return str->valuestring;
}

const cJSON *apigw_patch_ops(const apigw_patch *p) { return p->ops; }

/* {"patchOperations": [...]}, consuming p. */
static cJSON *patch_body(apigw_patch *p) {
    cJSON *b = cJSON_CreateObject();
    cJSON_AddItemToObject(b, "patchOperations", p->ops);
    p->ops = NULL;
    apigw_patch_free(p);
    return b;
}

/* An update operation: the patch is the whole body. */
static void *patch_call(client *c, aws_op op, const char *const *params, size_t n, apigw_patch *p,
                        client_done_fn done, void *ud) {
    return wire_call(c, op, params, n, NULL, patch_body(p), done, ud);
}

/* --- ARNs ----------------------------------------------------------------- */

char *apigw_lambda_uri(const char *region, const char *function_arn) {
    return xasprintf("arn:aws:apigateway:%s:lambda:path/2015-03-31/functions/%s/invocations",
                     region, function_arn);
}

char *apigw_source_arn(const char *region, const char *account, const char *api_id,
                       const char *stage, const char *verb, const char *path) {
    if (path && *path == '/') path++;
    return xasprintf("arn:aws:execute-api:%s:%s:%s/%s/%s/%s", region, account, api_id,
                     stage ? stage : "*", verb ? verb : "*", path ? path : "*");
}

/* --- RestApi -------------------------------------------------------------- */

void *apigw_create_rest_api(client *c, const char *name, const apigw_rest_api_in *in,
                            client_done_fn done, void *ud) {
    cJSON *b = cJSON_CreateObject();
    json_set_str(b, "name", name);
    if (in) {
        wire_str(b, "description", in->description);
        wire_str(b, "version", in->version);
        wire_str(b, "cloneFrom", in->clone_from);
        wire_str(b, "apiKeySource", in->api_key_source);
        wire_str(b, "policy", in->policy);
        wire_json(b, "binaryMediaTypes", in->binary_media_types);
        wire_json(b, "tags", in->tags);
        wire_flag(b, "disableExecuteApiEndpoint", in->disable_execute_api_endpoint);
        if (in->endpoint_type) {
            cJSON *types = cJSON_CreateArray();
            cJSON_AddItemToArray(types, cJSON_CreateString(in->endpoint_type));
            cJSON_AddItemToObject(json_child_obj(b, "endpointConfiguration"), "types", types);
        }
    }
    return wire_call(c, APIGW_CreateRestApi, NULL, 0, NULL, b, done, ud);
}

void *apigw_get_rest_api(client *c, const char *api_id, client_done_fn done, void *ud) {
    return wire_call(c, APIGW_GetRestApi, WIRE_PARAMS(api_id), NULL, NULL, done, ud);
}

void *apigw_get_rest_apis(client *c, const apigw_page *pg, client_done_fn done, void *ud) {
    return page_call(c, APIGW_GetRestApis, NULL, 0, pg, done, ud);
}

void *apigw_update_rest_api(client *c, const char *api_id, apigw_patch *p, client_done_fn done,
                            void *ud) {
    return patch_call(c, APIGW_UpdateRestApi, WIRE_PARAMS(api_id), p, done, ud);
}

void *apigw_delete_rest_api(client *c, const char *api_id, client_done_fn done, void *ud) {
    return wire_call(c, APIGW_DeleteRestApi, WIRE_PARAMS(api_id), NULL, NULL, done, ud);
}

/* --- Model ---------------------------------------------------------------- */

void *apigw_create_model(client *c, const char *api_id, const char *name, const char *content_type,
                         const apigw_model_in *in, client_done_fn done, void *ud) {
    cJSON *b = cJSON_CreateObject();
    json_set_str(b, "name", name);
    json_set_str(b, "contentType", content_type);
    if (in) {
        wire_str(b, "description", in->description);
        wire_str(b, "schema", in->schema);
    }
    return wire_call(c, APIGW_CreateModel, WIRE_PARAMS(api_id), NULL, b, done, ud);
}

void *apigw_get_model(client *c, const char *api_id, const char *name, bool flatten,
                      client_done_fn done, void *ud) {
    buf q = BUF_INIT;
    wire_q_flag(&q, "flatten", flatten);
    return wire_call(c, APIGW_GetModel, WIRE_PARAMS(api_id, name), &q, NULL, done, ud);
}

void *apigw_get_models(client *c, const char *api_id, const apigw_page *pg, client_done_fn done,
                       void *ud) {
    return page_call(c, APIGW_GetModels, WIRE_PARAMS(api_id), pg, done, ud);
}

void *apigw_get_model_template(client *c, const char *api_id, const char *name, client_done_fn done,
                               void *ud) {
    return wire_call(c, APIGW_GetModelTemplate, WIRE_PARAMS(api_id, name), NULL, NULL, done, ud);
}

void *apigw_update_model(client *c, const char *api_id, const char *name, apigw_patch *p,
                         client_done_fn done, void *ud) {
    return patch_call(c, APIGW_UpdateModel, WIRE_PARAMS(api_id, name), p, done, ud);
}

void *apigw_delete_model(client *c, const char *api_id, const char *name, client_done_fn done,
                         void *ud) {
    return wire_call(c, APIGW_DeleteModel, WIRE_PARAMS(api_id, name), NULL, NULL, done, ud);
}

/* --- Resource ------------------------------------------------------------- */

void *apigw_create_resource(client *c, const char *api_id, const char *parent_id,
                            const char *path_part, client_done_fn done, void *ud) {
    cJSON *b = cJSON_CreateObject();
    json_set_str(b, "pathPart", path_part);
    return wire_call(c, APIGW_CreateResource, WIRE_PARAMS(api_id, parent_id), NULL, b, done, ud);
}

void *apigw_get_resource(client *c, const char *api_id, const char *resource_id, bool embed_methods,
                         client_done_fn done, void *ud) {
    buf q = BUF_INIT;
    if (embed_methods) wire_q_str(&q, "embed", "methods");
    return wire_call(c, APIGW_GetResource, WIRE_PARAMS(api_id, resource_id), &q, NULL, done, ud);
}

void *apigw_get_resources(client *c, const char *api_id, const apigw_page *pg, bool embed_methods,
                          client_done_fn done, void *ud) {
    buf q = BUF_INIT;
    q_page(&q, pg);
    if (embed_methods) wire_q_str(&q, "embed", "methods");
    return wire_call(c, APIGW_GetResources, WIRE_PARAMS(api_id), &q, NULL, done, ud);
}

void *apigw_get_resources_all(client *c, const char *api_id, bool embed_methods,
                              client_done_fn done, void *ud) {
    client_list_all(c, APIGW_GetResources, WIRE_PARAMS(api_id),
                    embed_methods ? "embed=methods" : NULL, done, ud);
    return ud;
}

void *apigw_update_resource(client *c, const char *api_id, const char *resource_id, apigw_patch *p,
                            client_done_fn done, void *ud) {
    return patch_call(c, APIGW_UpdateResource, WIRE_PARAMS(api_id, resource_id), p, done, ud);
}

void *apigw_delete_resource(client *c, const char *api_id, const char *resource_id,
                            client_done_fn done, void *ud) {
    return wire_call(c, APIGW_DeleteResource, WIRE_PARAMS(api_id, resource_id), NULL, NULL, done,
                     ud);
}

/* --- Method --------------------------------------------------------------- */

void *apigw_put_method(client *c, const char *api_id, const char *resource_id, const char *verb,
                       const char *authorization_type, const apigw_method_in *in,
                       client_done_fn done, void *ud) {
    cJSON *b = cJSON_CreateObject();
    json_set_str(b, "authorizationType", authorization_type);
    if (in) {
        wire_str(b, "authorizerId", in->authorizer_id);
        wire_flag(b, "apiKeyRequired", in->api_key_required);
        wire_str(b, "operationName", in->operation_name);
        wire_json(b, "requestParameters", in->request_parameters);
        wire_json(b, "requestModels", in->request_models);
        wire_str(b, "requestValidatorId", in->request_validator_id);
        wire_json(b, "authorizationScopes", in->authorization_scopes);
    }
    return wire_call(c, APIGW_PutMethod, WIRE_PARAMS(api_id, resource_id, verb), NULL, b, done, ud);
}

void *apigw_get_method(client *c, const char *api_id, const char *resource_id, const char *verb,
                       client_done_fn done, void *ud) {
    return wire_call(c, APIGW_GetMethod, WIRE_PARAMS(api_id, resource_id, verb), NULL, NULL, done,
                     ud);
}

void *apigw_update_method(client *c, const char *api_id, const char *resource_id, const char *verb,
                          apigw_patch *p, client_done_fn done, void *ud) {
    return patch_call(c, APIGW_UpdateMethod, WIRE_PARAMS(api_id, resource_id, verb), p, done, ud);
}

void *apigw_delete_method(client *c, const char *api_id, const char *resource_id, const char *verb,
                          client_done_fn done, void *ud) {
    return wire_call(c, APIGW_DeleteMethod, WIRE_PARAMS(api_id, resource_id, verb), NULL, NULL,
                     done, ud);
}

void *apigw_test_invoke_method(client *c, const char *api_id, const char *resource_id,
                               const char *verb, const apigw_test_invoke_in *in,
                               client_done_fn done, void *ud) {
    cJSON *b = cJSON_CreateObject();
    if (in) {
        wire_str(b, "pathWithQueryString", in->path_with_query_string);
        wire_str(b, "body", in->body);
        wire_json(b, "headers", in->headers);
        wire_json(b, "multiValueHeaders", in->multi_value_headers);
        wire_str(b, "clientCertificateId", in->client_certificate_id);
        wire_json(b, "stageVariables", in->stage_variables);
    }
    return wire_call(c, APIGW_TestInvokeMethod, WIRE_PARAMS(api_id, resource_id, verb), NULL, b,
                     done, ud);
}

/* --- Integration ---------------------------------------------------------- */

void *apigw_put_integration(client *c, const char *api_id, const char *resource_id,
                            const char *verb, const char *type, const apigw_integration_in *in,
                            client_done_fn done, void *ud) {
    cJSON *b = cJSON_CreateObject();
    json_set_str(b, "type", type);
    if (in) {
        wire_str(b, "httpMethod", in->http_method); /* integrationHttpMethod on the wire */
        wire_str(b, "uri", in->uri);
        wire_str(b, "connectionType", in->connection_type);
        wire_str(b, "connectionId", in->connection_id);
        wire_str(b, "credentials", in->credentials);
        wire_json(b, "requestParameters", in->request_parameters);
        wire_json(b, "requestTemplates", in->request_templates);
        wire_str(b, "passthroughBehavior", in->passthrough_behavior);
        wire_str(b, "cacheNamespace", in->cache_namespace);
        wire_json(b, "cacheKeyParameters", in->cache_key_parameters);
        wire_str(b, "contentHandling", in->content_handling);
        wire_int(b, "timeoutInMillis", in->timeout_in_millis);
    }
    return wire_call(c, APIGW_PutIntegration, WIRE_PARAMS(api_id, resource_id, verb), NULL, b, done,
                     ud);
}

void *apigw_get_integration(client *c, const char *api_id, const char *resource_id,
                            const char *verb, client_done_fn done, void *ud) {
    return wire_call(c, APIGW_GetIntegration, WIRE_PARAMS(api_id, resource_id, verb), NULL, NULL,
                     done, ud);
}

void *apigw_update_integration(client *c, const char *api_id, const char *resource_id,
                               const char *verb, apigw_patch *p, client_done_fn done, void *ud) {
    return patch_call(c, APIGW_UpdateIntegration, WIRE_PARAMS(api_id, resource_id, verb), p, done,
                      ud);
}

void *apigw_delete_integration(client *c, const char *api_id, const char *resource_id,
                               const char *verb, client_done_fn done, void *ud) {
    return wire_call(c, APIGW_DeleteIntegration, WIRE_PARAMS(api_id, resource_id, verb), NULL, NULL,
                     done, ud);
}

/* --- MethodResponse ------------------------------------------------------- */

void *apigw_put_method_response(client *c, const char *api_id, const char *resource_id,
                                const char *verb, const char *status,
                                const apigw_method_response_in *in, client_done_fn done, void *ud) {
    cJSON *b = cJSON_CreateObject();
    if (in) {
        wire_json(b, "responseParameters", in->response_parameters);
        wire_json(b, "responseModels", in->response_models);
    }
    return wire_call(c, APIGW_PutMethodResponse, WIRE_PARAMS(api_id, resource_id, verb, status),
                     NULL, b, done, ud);
}

void *apigw_get_method_response(client *c, const char *api_id, const char *resource_id,
                                const char *verb, const char *status, client_done_fn done,
                                void *ud) {
    return wire_call(c, APIGW_GetMethodResponse, WIRE_PARAMS(api_id, resource_id, verb, status),
                     NULL, NULL, done, ud);
}

void *apigw_update_method_response(client *c, const char *api_id, const char *resource_id,
                                   const char *verb, const char *status, apigw_patch *p,
                                   client_done_fn done, void *ud) {
    return patch_call(c, APIGW_UpdateMethodResponse, WIRE_PARAMS(api_id, resource_id, verb, status),
                      p, done, ud);
}

void *apigw_delete_method_response(client *c, const char *api_id, const char *resource_id,
                                   const char *verb, const char *status, client_done_fn done,
                                   void *ud) {
    return wire_call(c, APIGW_DeleteMethodResponse, WIRE_PARAMS(api_id, resource_id, verb, status),
                     NULL, NULL, done, ud);
}

/* --- IntegrationResponse -------------------------------------------------- */

void *apigw_put_integration_response(client *c, const char *api_id, const char *resource_id,
                                     const char *verb, const char *status,
                                     const apigw_integration_response_in *in, client_done_fn done,
                                     void *ud) {
    cJSON *b = cJSON_CreateObject();
    if (in) {
        wire_str(b, "selectionPattern", in->selection_pattern);
        wire_json(b, "responseParameters", in->response_parameters);
        wire_json(b, "responseTemplates", in->response_templates);
        wire_str(b, "contentHandling", in->content_handling);
    }
    return wire_call(c, APIGW_PutIntegrationResponse,
                     WIRE_PARAMS(api_id, resource_id, verb, status), NULL, b, done, ud);
}

void *apigw_get_integration_response(client *c, const char *api_id, const char *resource_id,
                                     const char *verb, const char *status, client_done_fn done,
                                     void *ud) {
    return wire_call(c, APIGW_GetIntegrationResponse,
                     WIRE_PARAMS(api_id, resource_id, verb, status), NULL, NULL, done, ud);
}

void *apigw_update_integration_response(client *c, const char *api_id, const char *resource_id,
                                        const char *verb, const char *status, apigw_patch *p,
                                        client_done_fn done, void *ud) {
    return patch_call(c, APIGW_UpdateIntegrationResponse,
                      WIRE_PARAMS(api_id, resource_id, verb, status), p, done, ud);
}

void *apigw_delete_integration_response(client *c, const char *api_id, const char *resource_id,
                                        const char *verb, const char *status, client_done_fn done,
                                        void *ud) {
    return wire_call(c, APIGW_DeleteIntegrationResponse,
                     WIRE_PARAMS(api_id, resource_id, verb, status), NULL, NULL, done, ud);
}

/* --- Deployment ----------------------------------------------------------- */

void *apigw_create_deployment(client *c, const char *api_id, const apigw_deployment_in *in,
                              client_done_fn done, void *ud) {
    cJSON *b = cJSON_CreateObject();
    if (in) {
        wire_str(b, "stageName", in->stage_name);
        wire_str(b, "stageDescription", in->stage_description);
        wire_str(b, "description", in->description);
        wire_flag(b, "cacheClusterEnabled", in->cache_cluster_enabled);
        wire_str(b, "cacheClusterSize", in->cache_cluster_size);
        wire_json(b, "variables", in->variables);
        wire_flag(b, "tracingEnabled", in->tracing_enabled);
    }
    return wire_call(c, APIGW_CreateDeployment, WIRE_PARAMS(api_id), NULL, b, done, ud);
}

void *apigw_get_deployment(client *c, const char *api_id, const char *deployment_id,
                           client_done_fn done, void *ud) {
    return wire_call(c, APIGW_GetDeployment, WIRE_PARAMS(api_id, deployment_id), NULL, NULL, done,
                     ud);
}

void *apigw_get_deployments(client *c, const char *api_id, const apigw_page *pg,
                            client_done_fn done, void *ud) {
    return page_call(c, APIGW_GetDeployments, WIRE_PARAMS(api_id), pg, done, ud);
}

void *apigw_update_deployment(client *c, const char *api_id, const char *deployment_id,
                              apigw_patch *p, client_done_fn done, void *ud) {
    return patch_call(c, APIGW_UpdateDeployment, WIRE_PARAMS(api_id, deployment_id), p, done, ud);
}

void *apigw_delete_deployment(client *c, const char *api_id, const char *deployment_id,
                              client_done_fn done, void *ud) {
    return wire_call(c, APIGW_DeleteDeployment, WIRE_PARAMS(api_id, deployment_id), NULL, NULL,
                     done, ud);
}

/* --- Stage ---------------------------------------------------------------- */

void *apigw_create_stage(client *c, const char *api_id, const char *stage_name,
                         const char *deployment_id, const apigw_stage_in *in, client_done_fn done,
                         void *ud) {
    cJSON *b = cJSON_CreateObject();
    json_set_str(b, "stageName", stage_name);
    json_set_str(b, "deploymentId", deployment_id);
    if (in) {
        wire_str(b, "description", in->description);
        wire_flag(b, "cacheClusterEnabled", in->cache_cluster_enabled);
        wire_str(b, "cacheClusterSize", in->cache_cluster_size);
        wire_json(b, "variables", in->variables);
        wire_str(b, "documentationVersion", in->documentation_version);
        wire_flag(b, "tracingEnabled", in->tracing_enabled);
        wire_json(b, "tags", in->tags);
    }
    return wire_call(c, APIGW_CreateStage, WIRE_PARAMS(api_id), NULL, b, done, ud);
}

void *apigw_get_stage(client *c, const char *api_id, const char *stage_name, client_done_fn done,
                      void *ud) {
    return wire_call(c, APIGW_GetStage, WIRE_PARAMS(api_id, stage_name), NULL, NULL, done, ud);
}

void *apigw_get_stages(client *c, const char *api_id, const char *deployment_id,
                       client_done_fn done, void *ud) {
    buf q = BUF_INIT;
    wire_q_str(&q, "deploymentId", deployment_id);
    return wire_call(c, APIGW_GetStages, WIRE_PARAMS(api_id), &q, NULL, done, ud);
}

void *apigw_update_stage(client *c, const char *api_id, const char *stage_name, apigw_patch *p,
                         client_done_fn done, void *ud) {
    return patch_call(c, APIGW_UpdateStage, WIRE_PARAMS(api_id, stage_name), p, done, ud);
}

void *apigw_delete_stage(client *c, const char *api_id, const char *stage_name, client_done_fn done,
                         void *ud) {
    return wire_call(c, APIGW_DeleteStage, WIRE_PARAMS(api_id, stage_name), NULL, NULL, done, ud);
}

void *apigw_flush_stage_cache(client *c, const char *api_id, const char *stage_name,
                              client_done_fn done, void *ud) {
    return wire_call(c, APIGW_FlushStageCache, WIRE_PARAMS(api_id, stage_name), NULL, NULL, done,
                     ud);
}

/* --- UsagePlan ------------------------------------------------------------ */

static cJSON *api_stages_json(const apigw_api_stage *st, size_t n) {
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        json_set_str(o, "apiId", st[i].api_id);
        json_set_str(o, "stage", st[i].stage);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

void *apigw_create_usage_plan(client *c, const char *name, const apigw_usage_plan_in *in,
                              client_done_fn done, void *ud) {
    cJSON *b = cJSON_CreateObject();
    json_set_str(b, "name", name);
    if (in) {
        wire_str(b, "description", in->description);
        if (in->n_api_stages)
            json_set(b, "apiStages", api_stages_json(in->api_stages, in->n_api_stages));
        if (in->throttle) {
            cJSON *t = json_child_obj(b, "throttle");
            json_set_num(t, "burstLimit", in->throttle->burst_limit);
            json_set_num(t, "rateLimit", in->throttle->rate_limit);
        }
        if (in->quota) {
            cJSON *q = json_child_obj(b, "quota");
            json_set_num(q, "limit", in->quota->limit);
            json_set_num(q, "offset", in->quota->offset);
            wire_str(q, "period", in->quota->period);
        }
        wire_json(b, "tags", in->tags);
    }
    return wire_call(c, APIGW_CreateUsagePlan, NULL, 0, NULL, b, done, ud);
}

void *apigw_get_usage_plan(client *c, const char *plan_id, client_done_fn done, void *ud) {
    return wire_call(c, APIGW_GetUsagePlan, WIRE_PARAMS(plan_id), NULL, NULL, done, ud);
}

void *apigw_get_usage_plans(client *c, const apigw_page *pg, const char *key_id,
                            client_done_fn done, void *ud) {
    buf q = BUF_INIT;
    q_page(&q, pg);
    wire_q_str(&q, "keyId", key_id);
    return wire_call(c, APIGW_GetUsagePlans, NULL, 0, &q, NULL, done, ud);
}

void *apigw_update_usage_plan(client *c, const char *plan_id, apigw_patch *p, client_done_fn done,
                              void *ud) {
    return patch_call(c, APIGW_UpdateUsagePlan, WIRE_PARAMS(plan_id), p, done, ud);
}

void *apigw_delete_usage_plan(client *c, const char *plan_id, client_done_fn done, void *ud) {
    return wire_call(c, APIGW_DeleteUsagePlan, WIRE_PARAMS(plan_id), NULL, NULL, done, ud);
}

/* --- ApiKey --------------------------------------------------------------- */

void *apigw_create_api_key(client *c, const apigw_api_key_in *in, client_done_fn done, void *ud) {
    cJSON *b = cJSON_CreateObject();
    if (in) {
        wire_str(b, "name", in->name);
        wire_str(b, "description", in->description);
        wire_flag(b, "enabled", in->enabled);
        wire_flag(b, "generateDistinctId", in->generate_distinct_id);
        wire_str(b, "value", in->value);
        wire_str(b, "customerId", in->customer_id);
        wire_json(b, "tags", in->tags);
    }
    return wire_call(c, APIGW_CreateApiKey, NULL, 0, NULL, b, done, ud);
}

void *apigw_get_api_key(client *c, const char *key_id, bool include_value, client_done_fn done,
                        void *ud) {
    buf q = BUF_INIT;
    wire_q_flag(&q, "includeValue", include_value);
    return wire_call(c, APIGW_GetApiKey, WIRE_PARAMS(key_id), &q, NULL, done, ud);
}

void *apigw_get_api_keys(client *c, const apigw_api_keys_in *in, client_done_fn done, void *ud) {
    buf q = BUF_INIT;
    if (in) {
        q_page(&q, &in->page);
        wire_q_str(&q, "name", in->name_query);
        wire_q_str(&q, "customerId", in->customer_id);
        wire_q_flag(&q, "includeValues", in->include_values);
    }
    return wire_call(c, APIGW_GetApiKeys, NULL, 0, &q, NULL, done, ud);
}

void *apigw_update_api_key(client *c, const char *key_id, apigw_patch *p, client_done_fn done,
                           void *ud) {
    return patch_call(c, APIGW_UpdateApiKey, WIRE_PARAMS(key_id), p, done, ud);
}

void *apigw_delete_api_key(client *c, const char *key_id, client_done_fn done, void *ud) {
    return wire_call(c, APIGW_DeleteApiKey, WIRE_PARAMS(key_id), NULL, NULL, done, ud);
}

/* --- UsagePlanKey --------------------------------------------------------- */

void *apigw_create_usage_plan_key(client *c, const char *plan_id, const char *key_id,
                                  const char *key_type, client_done_fn done, void *ud) {
    cJSON *b = cJSON_CreateObject();
    json_set_str(b, "keyId", key_id);
    json_set_str(b, "keyType", key_type);
    return wire_call(c, APIGW_CreateUsagePlanKey, WIRE_PARAMS(plan_id), NULL, b, done, ud);
}

void *apigw_get_usage_plan_key(client *c, const char *plan_id, const char *key_id,
                               client_done_fn done, void *ud) {
    return wire_call(c, APIGW_GetUsagePlanKey, WIRE_PARAMS(plan_id, key_id), NULL, NULL, done, ud);
}

void *apigw_get_usage_plan_keys(client *c, const char *plan_id, const apigw_page *pg,
                                const char *name_query, client_done_fn done, void *ud) {
    buf q = BUF_INIT;
    q_page(&q, pg);
    wire_q_str(&q, "name", name_query);
    return wire_call(c, APIGW_GetUsagePlanKeys, WIRE_PARAMS(plan_id), &q, NULL, done, ud);
}

void *apigw_delete_usage_plan_key(client *c, const char *plan_id, const char *key_id,
                                  client_done_fn done, void *ud) {
    return wire_call(c, APIGW_DeleteUsagePlanKey, WIRE_PARAMS(plan_id, key_id), NULL, NULL, done,
                     ud);
}

/* --- Usage ---------------------------------------------------------------- */

void *apigw_get_usage(client *c, const char *plan_id, const char *start_date, const char *end_date,
                      const apigw_usage_in *in, client_done_fn done, void *ud) {
    buf q = BUF_INIT;
    wire_q_str(&q, "startDate", start_date);
    wire_q_str(&q, "endDate", end_date);
    if (in) {
        wire_q_str(&q, "keyId", in->key_id);
        q_page(&q, &in->page);
    }
    return wire_call(c, APIGW_GetUsage, WIRE_PARAMS(plan_id), &q, NULL, done, ud);
}

void *apigw_update_usage(client *c, const char *plan_id, const char *key_id, apigw_patch *p,
                         client_done_fn done, void *ud) {
    return patch_call(c, APIGW_UpdateUsage, WIRE_PARAMS(plan_id, key_id), p, done, ud);
}
