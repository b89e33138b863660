/* The lab's steps through the project's typed client over the curl
 * transport, printing for every write request the AWS CLI command the
 * console shows for it (taken from the client's observer), so cli_equiv.sh
 * can run those commands with the real `aws` against another server.
 *
 *   cli_driver ENDPOINT REGION   run the steps; one JSON line per request:
 *       {"step", "command", "ok", "error" (when it failed), "result"}
 *       and the function's archive as ./ItemsFunction.zip (the file the
 *       commands name)
 *   cli_driver --options         "service operation member option" for every
 *       input member, the names aws_cli_option gives
 * Credentials come from the environment. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/cli.h"
#include "client/apigw.h"
#include "client/lambda.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/zipcode.h"
#include "lab/assets.h"
#include "transport/credentials.h"
#include "transport/curl.h"

#define ACCOUNT "123456789012"
#define ROLE "arn:aws:iam::" ACCOUNT ":role/lambda_basic_execution"
#define FUNCTION "ItemsFunction"

static const char ITEM_SCHEMA[] =
    "{\n  \"$schema\": \"http://json-schema.org/draft-04/schema#\",\n  \"title\": \"Item "
    "Schema\",\n  \"type\": \"object\",\n  \"properties\": {\n    \"ID\": {\"type\": "
    "\"number\"},\n    \"name\": {\"type\": \"string\"},\n    \"price\": {\"type\": "
    "\"number\"}\n  }\n}";

/* Names the shell and the CLI could both misread. */
#define HOSTILE_NAME "it's a \"test\" $HOME `id` ; rm -rf *"
#define HOSTILE_DESCRIPTION "-starts with a dash\nand has a second line \\ ! ~"

typedef struct drv {
    client *cl;
    const char *region;
    char *command; /* the command of the request being made */
    cJSON *out;    /* its answer */
    err e;         /* or why it failed */
    cJSON *ids;
    int failures;
} drv;

static void observe(void *ud, const client_event *ev) {
    drv *d = ud;
    if (ev->finished || !ev->command) return;
    free(d->command);
    d->command = xstrdup(ev->command);
}

/* One line for the request just made (rc, d->out, d->e); returns its
 * answer (the caller frees it) or NULL when it failed. */
static cJSON *record(drv *d, const char *step, int rc) {
    cJSON *out = d->out;
    d->out = NULL;
    cJSON *r = cJSON_CreateObject();
    json_set_str(r, "step", step);
    json_set_str(r, "command", d->command ? d->command : "");
    json_set_bool(r, "ok", rc == 0 && d->command);
    if (rc != 0) {
        char buf[700];
        json_set_str(r, "error", err_text(&d->e, buf, sizeof buf));
        d->failures++;
    } else if (!d->command) {
        json_set_str(r, "error", "the client reported no command for this request");
        d->failures++;
    }
    if (out) json_set(r, "result", cJSON_Duplicate(out, 1));
    char *line = json_print(r);
    puts(line);
    fflush(stdout);
    free(line);
    cJSON_Delete(r);
    free(d->command);
    d->command = NULL;
    if (rc != 0) {
        cJSON_Delete(out);
        return NULL;
    }
    return out;
}

/* Run a typed call and record it: STEP(d, "name", apigw_x, args...). */
#define STEP(d, name, op, ...)                                                                     \
    record((d), (name), CLIENT_SYNC((d)->cl, &(d)->out, &(d)->e, op, __VA_ARGS__))

static void keep(drv *d, const char *name, cJSON *out, const char *key) {
    const char *v = json_str(out, key);
    if (v) json_set_str(d->ids, name, v);
    cJSON_Delete(out);
}

static const char *id(const drv *d, const char *name) {
    const char *v = json_str(d->ids, name);
    return v ? v : "missing";
}

static void done(cJSON *out) { cJSON_Delete(out); }

static cJSON *obj1(const char *key, const char *value) {
    cJSON *o = cJSON_CreateObject();
    json_set_str(o, key, value);
    return o;
}

/* --- API Gateway ---------------------------------------------------------------- */

static void rest_api(drv *d) {
    apigw_rest_api_in in = {.description = "Cloud Academy Lab API", .endpoint_type = "REGIONAL"};
    cJSON *out = STEP(d, "create-rest-api", apigw_create_rest_api, "ItemsAPI", &in);
    if (out) json_set_str(d->ids, "root", json_str_or(out, "rootResourceId", "missing"));
    keep(d, "api", out, "id");
    apigw_model_in item = {.schema = ITEM_SCHEMA, .description = HOSTILE_DESCRIPTION};
    done(STEP(d, "create-model Item", apigw_create_model, id(d, "api"), "Item", "application/json",
              &item));
    keep(d, "items",
         STEP(d, "create-resource /items", apigw_create_resource, id(d, "api"), id(d, "root"),
              "items"),
         "id");
    keep(d, "item",
         STEP(d, "create-resource /items/{ID}", apigw_create_resource, id(d, "api"), id(d, "items"),
              "{ID}"),
         "id");
}

/* GET with a MOCK integration answering 200 through template. */
static void mock_get(drv *d, const char *res, const char *label, const char *template,
                     bool path_id) {
    char step[96];
    cJSON *params = path_id ? cJSON_Parse("{\"method.request.path.ID\": true}") : NULL;
    apigw_method_in m = {.request_parameters = params};
    snprintf(step, sizeof step, "put-method GET %s", label);
    done(STEP(d, step, apigw_put_method, id(d, "api"), res, "GET", "NONE", &m));
    cJSON_Delete(params);

    cJSON *req = obj1("application/json", "{\"statusCode\": 200}");
    apigw_integration_in in = {.request_templates = req};
    snprintf(step, sizeof step, "put-integration MOCK %s", label);
    done(STEP(d, step, apigw_put_integration, id(d, "api"), res, "GET", "MOCK", &in));
    cJSON_Delete(req);

    cJSON *models = obj1("application/json", "Empty");
    apigw_method_response_in mr = {.response_models = models};
    snprintf(step, sizeof step, "put-method-response 200 %s", label);
    done(STEP(d, step, apigw_put_method_response, id(d, "api"), res, "GET", "200", &mr));
    cJSON_Delete(models);

    cJSON *tpl = obj1("application/json", template);
    apigw_integration_response_in ir = {.response_templates = tpl};
    snprintf(step, sizeof step, "put-integration-response 200 %s", label);
    done(STEP(d, step, apigw_put_integration_response, id(d, "api"), res, "GET", "200", &ir));
    cJSON_Delete(tpl);
}

static void deploy(drv *d) {
    apigw_test_invoke_in t = {.path_with_query_string = "/items"};
    done(STEP(d, "test-invoke-method GET /items", apigw_test_invoke_method, id(d, "api"),
              id(d, "items"), "GET", &t));
    apigw_deployment_in dep = {.stage_name = "dev", .description = "Only mock items list"};
    keep(d, "deployment",
         STEP(d, "create-deployment dev", apigw_create_deployment, id(d, "api"), &dep), "id");
    cJSON *vars = obj1("note", "a b & c=d? x,y");
    apigw_stage_in st = {.description = "Production", .variables = vars};
    done(STEP(d, "create-stage prod", apigw_create_stage, id(d, "api"), "prod", id(d, "deployment"),
              &st));
    cJSON_Delete(vars);
}

static void usage_plan(drv *d) {
    apigw_api_stage st[] = {{id(d, "api"), "dev"}, {id(d, "api"), "prod"}};
    apigw_usage_plan_in in = {.description = "Cloud Academy Lab Plan",
                              .api_stages = st,
                              .n_api_stages = 2,
                              .throttle =
                                  &(apigw_throttle){.rate_limit = 10000, .burst_limit = 5000},
                              .quota = &(apigw_quota){.limit = 1000, .period = "DAY"}};
    keep(d, "plan", STEP(d, "create-usage-plan", apigw_create_usage_plan, "CloudAcademyPlan", &in),
         "id");
    apigw_api_key_in key = {
        .name = "LabKey", .description = "Cloud Academy Lab Key", .enabled = true};
    keep(d, "key", STEP(d, "create-api-key", apigw_create_api_key, &key), "id");
    done(STEP(d, "create-usage-plan-key", apigw_create_usage_plan_key, id(d, "plan"), id(d, "key"),
              "API_KEY"));
    apigw_patch *p = apigw_patch_replace(apigw_patch_new(), "/apiKeyRequired", "true");
    done(STEP(d, "update-method apiKeyRequired", apigw_update_method, id(d, "api"), id(d, "items"),
              "GET", p));
}

static void caching_and_throttling(drv *d) {
    apigw_patch *p = apigw_patch_new();
    apigw_patch_replace(p, "/cacheClusterEnabled", "true");
    apigw_patch_replace(p, "/cacheClusterSize", "0.5");
    apigw_patch_replace(p, "/*/*/caching/ttlInSeconds", "3600");
    apigw_patch_replace(p, "/*/*/throttling/rateLimit", "10000");
    apigw_patch_replace(p, "/*/*/throttling/burstLimit", "5000");
    done(STEP(d, "update-stage prod cache and throttling", apigw_update_stage, id(d, "api"), "prod",
              p));
    done(STEP(d, "flush-stage-cache prod", apigw_flush_stage_cache, id(d, "api"), "prod"));
}

/* --- Lambda ------------------------------------------------------------------------ */

static unsigned char *function_zip(size_t *len) {
    const char *name = "lambda_function.py";
    const char *code = lab_function_py;
    return zipcode_build(1, &name, &code, len);
}

static void function(drv *d, const unsigned char *zip, size_t len) {
    lambda_function_in in = {.runtime = "python3.12", .handler = "lambda_function.lambda_handler"};
    done(STEP(d, "create-function", lambda_create_function, FUNCTION, ROLE, zip, len, &in));
    keep(d, "version", STEP(d, "publish-version", lambda_publish_version, FUNCTION, NULL),
         "Version");
    lambda_alias_in dev = {.description = "Development alias"};
    done(STEP(d, "create-alias dev", lambda_create_alias, FUNCTION, "dev", "$LATEST", &dev));
    lambda_function_in cfg = {.description = "Items catalogue, v2"};
    done(STEP(d, "update-function-configuration", lambda_update_function_configuration, FUNCTION,
              &cfg));
    keep(d, "version2", STEP(d, "publish-version 2", lambda_publish_version, FUNCTION, NULL),
         "Version");
    cJSON *weights = cJSON_CreateObject();
    json_set_num(weights, id(d, "version2"), 0.25);
    lambda_alias_in prod = {.description = "Production alias", .weights = weights};
    done(STEP(d, "create-alias prod", lambda_create_alias, FUNCTION, "prod", id(d, "version"),
              &prod));
    /* Version 2 becomes the primary: its weight goes. */
    cJSON *none = cJSON_CreateObject();
    lambda_alias_in to2 = {.function_version = id(d, "version2"), .weights = none};
    done(STEP(d, "update-alias prod", lambda_update_alias, FUNCTION, "prod", &to2));
    cJSON_Delete(none);
    cJSON_Delete(weights);
}

static void permissions(drv *d) {
    char *source = apigw_source_arn(d->region, ACCOUNT, id(d, "api"), NULL, "GET", "/items/{ID}");
    for (int i = 0; i < 2; i++) {
        const char *alias = i == 0 ? "dev" : "prod";
        char sid[32], step[64];
        snprintf(sid, sizeof sid, "apigateway-%s", alias);
        snprintf(step, sizeof step, "add-permission %s", alias);
        lambda_permission_in in = {.source_arn = source, .qualifier = alias};
        done(STEP(d, step, lambda_add_permission, FUNCTION, sid, "lambda:InvokeFunction",
                  "apigateway.amazonaws.com", &in));
    }
    free(source);
}

static void lambda_integration(drv *d) {
    char *arn = lambda_function_arn(d->region, ACCOUNT, FUNCTION, "${stageVariables.lambdaAlias}");
    char *uri = apigw_lambda_uri(d->region, arn);
    cJSON *tpl = obj1("application/json", "{\n\"ID\": $input.params(\"ID\")\n}");
    apigw_integration_in in = {.http_method = "POST",
                               .uri = uri,
                               .request_templates = tpl,
                               .passthrough_behavior = "WHEN_NO_TEMPLATES"};
    done(STEP(d, "put-integration AWS /items/{ID}", apigw_put_integration, id(d, "api"),
              id(d, "item"), "GET", "AWS", &in));
    cJSON_Delete(tpl);
    free(uri);
    free(arn);
    apigw_integration_response_in ir = {.selection_pattern = ""};
    done(STEP(d, "put-integration-response 200 /items/{ID} (Lambda)",
              apigw_put_integration_response, id(d, "api"), id(d, "item"), "GET", "200", &ir));
    for (int i = 0; i < 2; i++) {
        const char *stage = i == 0 ? "dev" : "prod";
        char step[64];
        snprintf(step, sizeof step, "update-stage %s lambdaAlias", stage);
        apigw_patch *p = apigw_patch_replace(apigw_patch_new(), "/variables/lambdaAlias", stage);
        done(STEP(d, step, apigw_update_stage, id(d, "api"), stage, p));
    }
    apigw_deployment_in dep = {.stage_name = "prod", .description = "Lambda backend"};
    done(STEP(d, "create-deployment prod", apigw_create_deployment, id(d, "api"), &dep));
}

/* Invoke goes to the transport directly, not through the observer: its
 * command is built here from the same parts. */
static void invoke(drv *d) {
    const char *payload = "{\"ID\": 2}";
    cJSON *body = cJSON_Parse(payload);
    const char *name = FUNCTION;
    d->command = aws_cli_command(LAMBDA_Invoke, &name, 1, "Qualifier=dev", body);
    cJSON_Delete(body);
    lambda_invoke_in in = {.qualifier = "dev"};
    done(STEP(d, "invoke dev", lambda_invoke, FUNCTION, payload, strlen(payload), &in));
}

static void hostile(drv *d) {
    apigw_rest_api_in in = {.description = HOSTILE_DESCRIPTION};
    keep(d, "hostile",
         STEP(d, "create-rest-api with a hostile name", apigw_create_rest_api, HOSTILE_NAME, &in),
         "id");
    apigw_patch *p = apigw_patch_replace(apigw_patch_new(), "/description", "'quoted' & $(id)");
    done(STEP(d, "update-rest-api with a hostile description", apigw_update_rest_api,
              id(d, "hostile"), p));
    done(STEP(d, "delete-rest-api with a hostile name", apigw_delete_rest_api, id(d, "hostile")));
}

static void clean_up(drv *d, const unsigned char *zip, size_t len) {
    lambda_code_in code = {.publish = false};
    done(STEP(d, "update-function-code", lambda_update_function_code, FUNCTION, zip, len, &code));
    done(STEP(d, "delete-api-key", apigw_delete_api_key, id(d, "key")));
    apigw_patch *p = apigw_patch_new();
    char *dev = xasprintf("%s:dev", id(d, "api")), *prod = xasprintf("%s:prod", id(d, "api"));
    apigw_patch_remove(p, "/apiStages", dev);
    apigw_patch_remove(p, "/apiStages", prod);
    done(
        STEP(d, "update-usage-plan removes the stages", apigw_update_usage_plan, id(d, "plan"), p));
    free(dev);
    free(prod);
    done(STEP(d, "delete-usage-plan", apigw_delete_usage_plan, id(d, "plan")));
    done(STEP(d, "delete-stage dev", apigw_delete_stage, id(d, "api"), "dev"));
    done(STEP(d, "delete-rest-api", apigw_delete_rest_api, id(d, "api")));
    done(STEP(d, "remove-permission prod", lambda_remove_permission, FUNCTION, "apigateway-prod",
              "prod", NULL));
    done(STEP(d, "delete-alias dev", lambda_delete_alias, FUNCTION, "dev"));
    done(STEP(d, "delete-function version 1", lambda_delete_function, FUNCTION, id(d, "version")));
    done(STEP(d, "delete-function", lambda_delete_function, FUNCTION, NULL));
}

static int write_file(const char *path, const void *data, size_t len) {
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    size_t put = fwrite(data, 1, len, f);
    return fclose(f) == 0 && put == len ? 0 : -1;
}

static int run(client *cl, const char *region) {
    drv d = {.cl = cl, .region = region, .ids = cJSON_CreateObject()};
    client_set_observer(cl, observe, &d);
    size_t len = 0;
    unsigned char *zip = function_zip(&len);
    if (!zip || write_file(FUNCTION ".zip", zip, len) != 0) {
        fputs("cli_driver: cannot write " FUNCTION ".zip\n", stderr);
        free(zip);
        cJSON_Delete(d.ids);
        return 1;
    }
    rest_api(&d);
    mock_get(&d, id(&d, "items"), "/items", lab_items_template, false);
    mock_get(&d, id(&d, "item"), "/items/{ID}", lab_item_template, true);
    deploy(&d);
    function(&d, zip, len);
    permissions(&d);
    lambda_integration(&d);
    usage_plan(&d);
    caching_and_throttling(&d);
    invoke(&d);
    hostile(&d);
    clean_up(&d, zip, len);
    free(zip);
    free(d.command);
    cJSON_Delete(d.ids);
    return d.failures ? 1 : 0;
}

static int options(void) {
#define OUTFILE(op_)
#define M(op_, member_, loc_, wire_, type_, req_)                                                  \
    {                                                                                              \
        const aws_op_info *i_ = aws_op_get(op_);                                                   \
        char *k_ = aws_cli_kebab(i_->name), *o_ = aws_cli_option(op_, member_);                    \
        printf("%s %s %s %s\n", aws_service_name(i_->service), k_, member_, o_ ? o_ : "-");        \
        free(k_);                                                                                  \
        free(o_);                                                                                  \
    }
#include "aws/cli_members.def"
#undef M
#undef OUTFILE
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "--options") == 0) return options();
    if (argc != 3) {
        fputs("usage: cli_driver ENDPOINT_URL REGION | cli_driver --options\n", stderr);
        return 2;
    }
    cred_chain *cc = cred_chain_new(&(cred_opts){0});
    err e;
    curl_transport_opts co = {.region = argv[2], .creds = cc, .endpoint_url = argv[1]};
    transport *t = curl_transport_new(&co, &e);
    if (!t) {
        char buf[700];
        fprintf(stderr, "cli_driver: %s\n", err_text(&e, buf, sizeof buf));
        cred_chain_free(cc);
        return 1;
    }
    client *cl = client_new(t, argv[2]);
    int rc = run(cl, argv[2]);
    client_free(cl);
    transport_destroy(t);
    cred_chain_free(cc);
    return rc;
}
