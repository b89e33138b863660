/* The lab's control-plane steps through the project's typed client over the
 * curl transport, against any endpoint that speaks the AWS APIs (moto_server,
 * `apigw-console serve`). Credentials come from the environment.
 *
 *   moto_client ENDPOINT REGION         run the lab; print the ids as JSON
 *   moto_client --load ENDPOINT REGION  time the mirror loading ItemsAPI;
 *                                       print {"requests", "ms", ...} as JSON
 *
 * A step that fails is reported on stderr ("FAIL: step: error") and makes the
 * exit status 1; the steps after it still run when they can. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client/apigw.h"
#include "client/lambda.h"
#include "client/mirror.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"
#include "core/zipcode.h"
#include "lab/assets.h"
#include "transport/credentials.h"
#include "transport/curl.h"

#define ROLE "arn:aws:iam::123456789012:role/lambda_basic_execution"
#define FUNCTION "ItemsFunction"


static const char ITEM_SCHEMA[] =
    "{\n  \"$schema\": \"http://json-schema.org/draft-04/schema#\",\n  \"title\": \"Item "
    "Schema\",\n  \"type\": \"object\",\n  \"properties\": {\n    \"ID\": {\n      \"type\": "
    "\"number\"\n    },\n    \"name\": {\n      \"type\": \"string\"\n    },\n    \"price\": {\n"
    "      \"type\": \"number\"\n    }\n  }\n}";

typedef struct run {
    client *cl;
    const char *region;
    cJSON *ids;     /* what is printed at the end */
    cJSON *skipped; /* steps the endpoint does not support */
    int failures;
} run;

/* Record a step's outcome; returns 0 when it succeeded. */
static int check(run *r, const char *step, int rc, const err *e) {
    if (rc == 0) return 0;
    char buf[700];
    char *safe = text_sanitize(err_text(e, buf, sizeof buf));
    fprintf(stderr, "FAIL: %s: %s\n", step, safe);
    free(safe);
    r->failures++;
    return -1;
}

/* A step left out because the endpoint lacks it: said on stderr and listed
 * under "skipped" in the output, never pretended. */
static void skip(run *r, const char *step, const char *why) {
    fprintf(stderr, "SKIPPED step: %s (%s)\n", step, why);
    cJSON_AddItemToArray(r->skipped, cJSON_CreateString(step));
}

/* Keep out[key] as ids[name] when it is a string. */
static const char *keep(run *r, const char *name, const cJSON *out, const char *key) {
    const char *v = json_str(out, key);
    if (v) cJSON_AddStringToObject(r->ids, name, v);
    return json_str(r->ids, name);
}

static const char *id(const run *r, const char *name) { return json_str(r->ids, name); }

static void rest_api(run *r) {
    cJSON *out = NULL;
    err e;
    apigw_rest_api_in in = {.description = "Cloud Academy Lab API", .endpoint_type = "REGIONAL"};
    if (check(r, "create-rest-api",
              CLIENT_SYNC(r->cl, &out, &e, apigw_create_rest_api, "ItemsAPI", &in), &e) == 0) {
        keep(r, "api", out, "id");
        keep(r, "root", out, "rootResourceId");
    }
    cJSON_Delete(out);
}

static void models(run *r) {
    cJSON *out = NULL;
    err e;
    apigw_model_in item = {.schema = ITEM_SCHEMA};
    check(r, "create-model Item",
          CLIENT_SYNC(r->cl, &out, &e, apigw_create_model, id(r, "api"), "Item", "application/json",
                      &item),
          &e);
    cJSON_Delete(out);
    out = NULL;
    char *schema = xasprintf("{\n  \"id\": \"Items\",\n  \"title\": \"Items\",\n  \"type\": "
                             "\"array\",\n  \"items\": {\n    \"$ref\": "
                             "\"https://apigateway.amazonaws.com/restapis/%s/models/Item\"\n  }\n}",
                             id(r, "api"));
    apigw_model_in items = {.schema = schema};
    check(r, "create-model Items",
          CLIENT_SYNC(r->cl, &out, &e, apigw_create_model, id(r, "api"), "Items",
                      "application/json", &items),
          &e);
    cJSON_Delete(out);
    free(schema);
}

static void resource(run *r, const char *name, const char *parent, const char *part) {
    cJSON *out = NULL;
    err e;
    char step[64];
    snprintf(step, sizeof step, "create-resource %s", part);
    if (parent &&
        check(r, step,
              CLIENT_SYNC(r->cl, &out, &e, apigw_create_resource, id(r, "api"), parent, part),
              &e) == 0)
        keep(r, name, out, "id");
    cJSON_Delete(out);
}

/* GET with a MOCK integration answering 200 through the lab's template. */
static void mock_get(run *r, const char *res_name, const char *template) {
    const char *res = id(r, res_name);
    if (!res) return;
    const char *api = id(r, "api");
    cJSON *out = NULL;
    err e;
    char step[96];
    snprintf(step, sizeof step, "put-method GET %s", res_name);
    check(r, step, CLIENT_SYNC(r->cl, &out, &e, apigw_put_method, api, res, "GET", "NONE", NULL),
          &e);
    cJSON_Delete(out);

    cJSON *req = cJSON_CreateObject();
    cJSON_AddStringToObject(req, "application/json", "{\"statusCode\": 200}");
    apigw_integration_in in = {.request_templates = req};
    snprintf(step, sizeof step, "put-integration MOCK %s", res_name);
    check(r, step,
          CLIENT_SYNC(r->cl, &out, &e, apigw_put_integration, api, res, "GET", "MOCK", &in), &e);
    cJSON_Delete(out);
    cJSON_Delete(req);

    cJSON *models = cJSON_CreateObject();
    cJSON_AddStringToObject(models, "application/json", "Empty");
    apigw_method_response_in mr = {.response_models = models};
    snprintf(step, sizeof step, "put-method-response 200 %s", res_name);
    check(r, step,
          CLIENT_SYNC(r->cl, &out, &e, apigw_put_method_response, api, res, "GET", "200", &mr), &e);
    cJSON_Delete(out);
    cJSON_Delete(models);

    cJSON *tpl = cJSON_CreateObject();
    cJSON_AddStringToObject(tpl, "application/json", template);
    apigw_integration_response_in ir = {.response_templates = tpl};
    snprintf(step, sizeof step, "put-integration-response 200 %s", res_name);
    check(r, step,
          CLIENT_SYNC(r->cl, &out, &e, apigw_put_integration_response, api, res, "GET", "200", &ir),
          &e);
    cJSON_Delete(out);
    cJSON_Delete(tpl);
}

static void stages(run *r) {
    cJSON *out = NULL;
    err e;
    apigw_deployment_in d = {.stage_name = "dev", .description = "Only mock items list"};
    if (check(r, "create-deployment dev",
              CLIENT_SYNC(r->cl, &out, &e, apigw_create_deployment, id(r, "api"), &d), &e) == 0)
        keep(r, "deployment", out, "id");
    cJSON_Delete(out);
    out = NULL;
    if (!id(r, "deployment")) return;
    check(r, "create-stage prod",
          CLIENT_SYNC(r->cl, &out, &e, apigw_create_stage, id(r, "api"), "prod",
                      id(r, "deployment"), NULL),
          &e);
    cJSON_Delete(out);
}

static void usage_plan(run *r) {
    cJSON *out = NULL;
    err e;
    apigw_api_stage st[] = {{id(r, "api"), "dev"}, {id(r, "api"), "prod"}};
    apigw_usage_plan_in in = {.description = "Cloud Academy Lab Plan",
                              .api_stages = st,
                              .n_api_stages = 2,
                              .throttle =
                                  &(apigw_throttle){.rate_limit = 10000, .burst_limit = 5000},
                              .quota = &(apigw_quota){.limit = 1000, .period = "DAY"}};
    if (check(r, "create-usage-plan",
              CLIENT_SYNC(r->cl, &out, &e, apigw_create_usage_plan, "CloudAcademyPlan", &in),
              &e) == 0)
        keep(r, "plan", out, "id");
    cJSON_Delete(out);
    out = NULL;
    apigw_api_key_in key = {
        .name = "LabKey", .description = "Cloud Academy Lab Key", .enabled = true};
    if (check(r, "create-api-key", CLIENT_SYNC(r->cl, &out, &e, apigw_create_api_key, &key), &e) ==
        0)
        keep(r, "key", out, "id");
    cJSON_Delete(out);
    out = NULL;
    if (id(r, "plan") && id(r, "key"))
        check(r, "create-usage-plan-key",
              CLIENT_SYNC(r->cl, &out, &e, apigw_create_usage_plan_key, id(r, "plan"), id(r, "key"),
                          "API_KEY"),
              &e);
    cJSON_Delete(out);
}

static int create_function(run *r) {
    const char *name = "lambda_function.py";
    const char *code = lab_function_py;
    size_t len = 0;
    unsigned char *zip = zipcode_build(1, &name, &code, &len);
    if (!zip) {
        fprintf(stderr, "FAIL: zipcode_build\n");
        r->failures++;
        return -1;
    }
    char sha[48];
    zipcode_sha256_b64(zip, len, sha);
    cJSON_AddStringToObject(r->ids, "code_sha256", sha);
    cJSON_AddNumberToObject(r->ids, "code_size", (double)len);
    cJSON *out = NULL;
    err e;
    lambda_function_in in = {.runtime = "python3.12", .handler = "lambda_function.lambda_handler"};
    int rc = check(
        r, "create-function",
        CLIENT_SYNC(r->cl, &out, &e, lambda_create_function, FUNCTION, ROLE, zip, len, &in), &e);
    if (rc == 0) keep(r, "function_arn", out, "FunctionArn");
    cJSON_Delete(out);
    free(zip);
    return rc;
}

static void function(run *r) {
    if (create_function(r) != 0) return;
    cJSON *out = NULL;
    err e;
    if (check(r, "publish-version",
              CLIENT_SYNC(r->cl, &out, &e, lambda_publish_version, FUNCTION, NULL), &e) == 0)
        keep(r, "version", out, "Version");
    cJSON_Delete(out);
    static const struct {
        const char *name, *version, *description;
    } aliases[] = {{"dev", "$LATEST", "Development alias"}, {"prod", NULL, "Production alias"}};
    for (size_t i = 0; i < 2; i++) {
        const char *version = aliases[i].version ? aliases[i].version : id(r, "version");
        char step[64];
        snprintf(step, sizeof step, "create-alias %s", aliases[i].name);
        out = NULL;
        lambda_alias_in in = {.description = aliases[i].description};
        if (version)
            check(r, step,
                  CLIENT_SYNC(r->cl, &out, &e, lambda_create_alias, FUNCTION, aliases[i].name,
                              version, &in),
                  &e);
        cJSON_Delete(out);
    }
}

static void permissions(run *r) {
    char *source = apigw_source_arn(r->region, "123456789012", id(r, "api"), NULL, "GET", "/items");
    cJSON_AddStringToObject(r->ids, "source_arn", source);
    for (int i = 0; i < 2; i++) {
        const char *alias = i == 0 ? "dev" : "prod";
        char sid[32], step[64];
        snprintf(sid, sizeof sid, "apigateway-%s", alias);
        snprintf(step, sizeof step, "add-permission %s", alias);
        cJSON *out = NULL;
        err e;
        lambda_permission_in in = {.source_arn = source, .qualifier = alias};
        check(r, step,
              CLIENT_SYNC(r->cl, &out, &e, lambda_add_permission, FUNCTION, sid,
                          "lambda:InvokeFunction", "apigateway.amazonaws.com", &in),
              &e);
        cJSON_Delete(out);
    }
    free(source);
}

static int lab(run *r) {
    rest_api(r);
    if (!id(r, "api")) return 1;
    models(r);
    resource(r, "items", id(r, "root"), "items");
    resource(r, "item", id(r, "items"), "{ID}");
    mock_get(r, "items", lab_items_template);
    mock_get(r, "item", lab_item_template);
    /* The lab's TestInvokeMethod and every execute-api call need a data
     * plane, which moto does not have. */
    skip(r, "test-invoke-method", "no data plane");
    stages(r);
    usage_plan(r);
    function(r);
    permissions(r);
    return 0;
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void mirror_done(void *ud, const err *e) {
    err *out = ud;
    if (e) *out = *e;
}

/* Wait for one mirror refresh; -1 with *e set when it failed. */
static int mirror_wait(client *cl, mirror *m, err *e) {
    while (mirror_busy(m))
        transport_drain(client_transport(cl));
    return e->code[0] || e->msg[0] ? -1 : 0;
}

static const char *api_named(const mirror *m, const char *name) {
    const cJSON *a;
    cJSON_ArrayForEach(a, mirror_apis(m)) {
        const char *n = json_str(a, "name");
        if (n && strcmp(n, name) == 0) return json_str(a, "id");
    }
    return NULL;
}

/* What the console does on opening ItemsAPI: the account's lists, then the
 * API's resources, stages, models and deployments. */
static int load(client *cl) {
    mirror *m = mirror_new(cl);
    err e;
    err_clear(&e);
    unsigned long before = client_requests(cl);
    double t0 = now_ms();
    mirror_refresh(m, mirror_done, &e);
    int rc = mirror_wait(cl, m, &e);
    const char *api = rc == 0 ? api_named(m, "ItemsAPI") : NULL;
    if (rc == 0 && !api) rc = err_set(&e, 0, "", "ItemsAPI is not in the account");
    if (rc == 0) {
        mirror_refresh_api(m, api, mirror_done, &e);
        rc = mirror_wait(cl, m, &e);
    }
    double ms = now_ms() - t0;
    if (rc == 0) {
        printf("{\"requests\": %lu, \"ms\": %.1f, \"apis\": %d, \"resources\": %d, \"stages\": %d, "
               "\"models\": %d, \"deployments\": %d, \"plans\": %d, \"keys\": %d, "
               "\"functions\": %d}\n",
               client_requests(cl) - before, ms, cJSON_GetArraySize(mirror_apis(m)),
               cJSON_GetArraySize(mirror_resources(m, api)),
               cJSON_GetArraySize(mirror_stages(m, api)), cJSON_GetArraySize(mirror_models(m, api)),
               cJSON_GetArraySize(mirror_deployments(m, api)),
               cJSON_GetArraySize(mirror_usage_plans(m)), cJSON_GetArraySize(mirror_api_keys(m)),
               cJSON_GetArraySize(mirror_functions(m)));
    } else {
        char buf[700];
        char *safe = text_sanitize(err_text(&e, buf, sizeof buf));
        fprintf(stderr, "FAIL: mirror load: %s\n", safe);
        free(safe);
    }
    mirror_free(m);
    return rc == 0 ? 0 : 1;
}

static int run_lab(client *cl, const char *region) {
    run r = {
        .cl = cl, .region = region, .ids = cJSON_CreateObject(), .skipped = cJSON_CreateArray()};
    int rc = lab(&r);
    cJSON_AddItemToObject(r.ids, "skipped", r.skipped);
    cJSON_AddNumberToObject(r.ids, "requests", (double)client_requests(cl));
    char *text = json_print(r.ids);
    puts(text);
    free(text);
    cJSON_Delete(r.ids);
    return rc || r.failures ? 1 : 0;
}

int main(int argc, char **argv) {
    int measure = argc == 4 && strcmp(argv[1], "--load") == 0;
    if (argc != 3 && !measure) {
        fputs("usage: moto_client [--load] ENDPOINT_URL REGION\n", stderr);
        return 2;
    }
    const char *endpoint = argv[1 + measure], *region = argv[2 + measure];
    cred_chain *cc = cred_chain_new(&(cred_opts){0});
    err e;
    curl_transport_opts co = {.region = region, .creds = cc, .endpoint_url = endpoint};
    transport *t = curl_transport_new(&co, &e);
    if (!t) {
        char buf[700];
        fprintf(stderr, "moto_client: %s\n", err_text(&e, buf, sizeof buf));
        cred_chain_free(cc);
        return 1;
    }
    client *cl = client_new(t, region);
    int rc = measure ? load(cl) : run_lab(cl, region);
    client_free(cl);
    transport_destroy(t);
    cred_chain_free(cc);
    return rc;
}
