/* The lab's whole control plane, step by step, through the typed client
 * operations against an in-memory emulator over the local transport: what
 * a student does in the console, checked against what AWS answers. Each
 * lab section is one test; a section whose prerequisites failed is
 * skipped, so a report names the first step that breaks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <ctype.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include "client/apigw.h"
#include "client/lambda.h"
#include "core/json.h"
#include "core/mem.h"
#include "emulator/emulator.h"
#include "lab.h"
#include "transport/local.h"

#define REGION "us-west-2"
#define ACCOUNT "123456789012"
#define T0_MS 1795996800000LL /* 2026-11-30T00:00:00Z */

/* --- the lab's material ----------------------------------------------------- */

static const char item_schema[] =
    "{\n  \"$schema\": \"http://json-schema.org/draft-04/schema#\",\n  \"title\": \"Item "
    "Schema\",\n"
    "  \"type\": \"object\",\n  \"properties\": {\n    \"ID\": { \"type\": \"number\" },\n"
    "    \"name\": { \"type\": \"string\" },\n    \"price\": { \"type\": \"number\" }\n  }\n}";

static const char item_request_template[] = "{\n\"ID\": $input.params(\"ID\")\n}";

/* The request template the console gives a Mock integration, and the
 * response model of its 200. */
#define MOCK_TEMPLATES "{\"application/json\":\"{\\\"statusCode\\\": 200}\"}"
#define EMPTY_MODEL "{\"application/json\":\"Empty\"}"

#define ROLE "arn:aws:iam::" ACCOUNT ":role/lambda_basic_execution"
#define FUNCTION_ARN "arn:aws:lambda:" REGION ":" ACCOUNT ":function:ItemsFunction"
/* The header list of the lab's Enable CORS form. */
#define CORS_HEADERS "Content-Type,X-Amz-Date,Authorization,X-API-Key,X-Amz-Security-Token"

/* --- the lab's state, shared by the steps --------------------------------------- */

typedef struct lab {
    store *st;
    emulator *emu;
    transport *t;
    client *cl;
    fake_clock clock;
    seeded_rand rand;
    err e;
    cJSON *out;
    cJSON *arena[512]; /* every result, freed at the end */
    size_t narena;
    void *zip;
    size_t zip_len;
    /* what earlier steps made; empty when a step failed */
    char api[32], root[32], items[32], item[32];
    char plan[32], key[32];
    bool mock_methods, deployed, function, aliases, lambda_wired, stage_vars, plan_bound, cors;
} lab;

static cJSON *keep(lab *L, cJSON *j) {
    assert_true(L->narena < sizeof L->arena / sizeof *L->arena);
    L->arena[L->narena++] = j;
    return j;
}

/* Failures name the step's line, not these helpers'. */
static cJSON *ok_(lab *L, const char *what, int rc, const char *file, int line) {
    cJSON *out = L->out;
    L->out = NULL;
    keep(L, out);
    if (rc != 0) {
        print_error("%s: HTTP %d %s: %s\n", what, L->e.status, L->e.code, L->e.msg);
        _fail(file, line);
    }
    return out;
}

static const char *fails_(lab *L, const char *what, int rc, int status, const char *code,
                          const char *file, int line) {
    keep(L, L->out);
    L->out = NULL;
    if (rc == 0) {
        print_error("%s succeeded; AWS answers %d %s\n", what, status, code);
        _fail(file, line);
    }
    if (L->e.status != status || strcmp(L->e.code, code) != 0) {
        print_error("%s: HTTP %d %s (%s); AWS answers %d %s\n", what, L->e.status, L->e.code,
                    L->e.msg, status, code);
        _fail(file, line);
    }
    return L->e.msg;
}

/* Run an operation that must succeed; its result (may be NULL). */
#define OK(op, ...)                                                                                \
    ok_(L, #op, CLIENT_SYNC(L->cl, &L->out, &L->e, op, __VA_ARGS__), __FILE__, __LINE__)
/* Run an operation that must fail with status and code; its message. */
#define FAILS(status, code, op, ...)                                                               \
    fails_(L, #op, CLIENT_SYNC(L->cl, &L->out, &L->e, op, __VA_ARGS__), status, code, __FILE__,    \
           __LINE__)
/* Skip a step whose prerequisites an earlier step did not make. */
#define NEED(cond)                                                                                 \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            print_message("skipped: an earlier step did not complete (%s)\n", #cond);              \
            skip();                                                                                \
        }                                                                                          \
    } while (0)

static cJSON *parse(lab *L, const char *text) {
    assert_non_null(text);
    cJSON *j = cJSON_Parse(text);
    if (!j) fail_msg("not JSON: %s", text);
    return keep(L, j);
}

static void copy_id(char *dst, size_t n, const cJSON *obj, const char *key) {
    const char *v = json_str(obj, key);
    assert_non_null(v);
    snprintf(dst, n, "%s", v);
}

static const cJSON *find_by(const cJSON *arr, const char *key, const char *value) {
    const cJSON *it;
    cJSON_ArrayForEach(it, arr) if (strcmp(json_str_or(it, key, ""), value) == 0) return it;
    return NULL;
}

static int lab_setup(void **state) {
    lab *L = xcalloc(1, sizeof *L);
    L->clock.ms = T0_MS;
    L->st = store_open(NULL, &L->e);
    assert_non_null(L->st);
    emulator_opts o = {.account_id = ACCOUNT,
                       .default_region = REGION,
                       .clock = clock_fake(&L->clock),
                       .rand = rand_seeded(&L->rand, 7)};
    L->emu = emulator_new(L->st, &o);
    L->t = local_transport_new(L->emu);
    L->cl = client_new(L->t, REGION);
    L->zip = zip_one("lambda_function.py", lab_function_py, &L->zip_len);
    *state = L;
    return 0;
}

static int lab_teardown(void **state) {
    lab *L = *state;
    for (size_t i = 0; i < L->narena; i++) cJSON_Delete(L->arena[i]);
    cJSON_Delete(L->out);
    free(L->zip);
    client_free(L->cl);
    transport_destroy(L->t);
    emulator_free(L->emu);
    store_close(L->st);
    free(L);
    return 0;
}

/* --- Defining New API Gateway Resources ----------------------------------------- */

static void create_items_api(void **state) {
    lab *L = *state;
    cJSON *api = OK(
        apigw_create_rest_api, "ItemsAPI",
        &(apigw_rest_api_in){.description = "Cloud Academy Lab API", .endpoint_type = "REGIONAL"});
    assert_string_equal(json_str(api, "name"), "ItemsAPI");
    assert_string_equal(json_str(api, "description"), "Cloud Academy Lab API");
    assert_string_equal(json_str(api, "apiKeySource"), "HEADER");
    cJSON *types = json_arr(json_obj(api, "endpointConfiguration"), "types");
    assert_int_equal(cJSON_GetArraySize(types), 1);
    assert_string_equal(cJSON_GetArrayItem(types, 0)->valuestring, "REGIONAL");
    assert_true(cJSON_IsNumber(cJSON_GetObjectItem(api, "createdDate")));
    const char *id = json_str(api, "id");
    assert_int_equal(strlen(id), 10); /* API Gateway ids: 10 lowercase letters and digits */
    for (const char *p = id; *p; p++)
        assert_true(islower((unsigned char)*p) || isdigit((unsigned char)*p));

    /* The console lists it, and the new API holds only "/" and the two default models. */
    cJSON *apis = OK(apigw_get_rest_apis, &(apigw_page){.limit = 500});
    assert_non_null(find_by(json_arr(apis, "item"), "id", id));
    cJSON *res = OK(apigw_get_resources, id, NULL, true);
    assert_int_equal(cJSON_GetArraySize(json_arr(res, "item")), 1);
    const cJSON *root = cJSON_GetArrayItem(json_arr(res, "item"), 0);
    assert_string_equal(json_str(root, "path"), "/");
    assert_string_equal(json_str(root, "id"), json_str(api, "rootResourceId"));
    cJSON *models = OK(apigw_get_models, id, NULL);
    assert_int_equal(cJSON_GetArraySize(json_arr(models, "item")), 2);
    assert_non_null(find_by(json_arr(models, "item"), "name", "Empty"));
    assert_non_null(find_by(json_arr(models, "item"), "name", "Error"));

    copy_id(L->api, sizeof L->api, api, "id");
    copy_id(L->root, sizeof L->root, api, "rootResourceId");
}

static void create_models(void **state) {
    lab *L = *state;
    NEED(L->api[0]);
    cJSON *item = OK(apigw_create_model, L->api, "Item", "application/json",
                     &(apigw_model_in){.schema = item_schema});
    assert_string_equal(json_str(item, "name"), "Item");
    assert_string_equal(json_str(item, "contentType"), "application/json");
    assert_string_equal(json_str(item, "schema"), item_schema);
    assert_non_null(json_str(item, "id"));

    char items_schema[512];
    snprintf(
        items_schema, sizeof items_schema,
        "{\n  \"id\": \"Items\",\n  \"title\": \"Items\",\n  \"type\": \"array\",\n"
        "  \"items\": {\"$ref\": \"https://apigateway.amazonaws.com/restapis/%s/models/Item\"}\n}",
        L->api);
    cJSON *items = OK(apigw_create_model, L->api, "Items", "application/json",
                      &(apigw_model_in){.schema = items_schema});
    assert_string_equal(json_str(items, "schema"), items_schema);
    cJSON *got = OK(apigw_get_model, L->api, "Items", false);
    assert_string_equal(json_str(got, "id"), json_str(items, "id"));
    assert_int_equal(cJSON_GetArraySize(json_arr(OK(apigw_get_models, L->api, NULL), "item")), 4);

    FAILS(409, "ConflictException", apigw_create_model, L->api, "Item", "application/json",
          &(apigw_model_in){.schema = item_schema});
    FAILS(404, "NotFoundException", apigw_get_model, L->api, "Nothing", false);
}

static void create_resources(void **state) {
    lab *L = *state;
    NEED(L->api[0]);
    cJSON *items = OK(apigw_create_resource, L->api, L->root, "items");
    assert_string_equal(json_str(items, "path"), "/items");
    assert_string_equal(json_str(items, "pathPart"), "items");
    assert_string_equal(json_str(items, "parentId"), L->root);
    cJSON *item = OK(apigw_create_resource, L->api, json_str(items, "id"), "{ID}");
    assert_string_equal(json_str(item, "path"), "/items/{ID}");
    assert_string_equal(json_str(item, "parentId"), json_str(items, "id"));

    cJSON *all = OK(apigw_get_resources_all, L->api, true);
    assert_int_equal(cJSON_GetArraySize(all), 3);
    assert_non_null(find_by(all, "path", "/items/{ID}"));

    FAILS(409, "ConflictException", apigw_create_resource, L->api, L->root, "items");
    copy_id(L->items, sizeof L->items, items, "id");
    copy_id(L->item, sizeof L->item, item, "id");
}

/* GET with a Mock integration whose 200 integration response holds template. */
static void mock_get(lab *L, const char *resource, const char *template) {
    cJSON *m = OK(apigw_put_method, L->api, resource, "GET", "NONE", NULL);
    assert_string_equal(json_str(m, "httpMethod"), "GET");
    assert_string_equal(json_str(m, "authorizationType"), "NONE");
    assert_false(json_bool_or(m, "apiKeyRequired", true));
    cJSON *integ = OK(apigw_put_integration, L->api, resource, "GET", "MOCK",
                      &(apigw_integration_in){.request_templates = parse(L, MOCK_TEMPLATES),
                                              .passthrough_behavior = "WHEN_NO_MATCH"});
    assert_string_equal(json_str(integ, "type"), "MOCK");
    assert_string_equal(json_str(integ, "passthroughBehavior"), "WHEN_NO_MATCH");
    OK(apigw_put_method_response, L->api, resource, "GET", "200",
       &(apigw_method_response_in){.response_models = parse(L, EMPTY_MODEL)});
    cJSON *tmpl = keep(L, cJSON_CreateObject());
    json_set_str(tmpl, "application/json", template);
    cJSON *ir = OK(apigw_put_integration_response, L->api, resource, "GET", "200",
                   &(apigw_integration_response_in){.response_templates = tmpl});
    assert_string_equal(json_str(ir, "statusCode"), "200");

    /* The method reads back with its integration and both responses. */
    cJSON *got = OK(apigw_get_method, L->api, resource, "GET");
    cJSON *mi = json_obj(got, "methodIntegration");
    assert_string_equal(json_str(mi, "type"), "MOCK");
    cJSON *ir200 = json_obj(json_obj(mi, "integrationResponses"), "200");
    assert_string_equal(json_str(json_obj(ir200, "responseTemplates"), "application/json"),
                        template);
    assert_non_null(json_obj(json_obj(got, "methodResponses"), "200"));
}

static void mock_methods(void **state) {
    lab *L = *state;
    NEED(L->items[0] && L->item[0]);
    mock_get(L, L->items, LAB_ITEMS_TEMPLATE);
    mock_get(L, L->item, LAB_ITEM_TEMPLATE);
    FAILS(404, "NotFoundException", apigw_get_method, L->api, L->items, "POST");
    L->mock_methods = true;
}

/* The console's Test button on the mock methods: the lab's exact outputs. */
static void test_mock_methods(void **state) {
    lab *L = *state;
    NEED(L->mock_methods);
    cJSON *r = OK(apigw_test_invoke_method, L->api, L->items, "GET",
                  &(apigw_test_invoke_in){.path_with_query_string = "/items"});
    assert_int_equal(json_num_or(r, "status", 0), 200);
    /* 2 * 1.5 prints as Java prints a double. */
    assert_non_null(strstr(json_str(r, "body"), "\"price\" : 3.0"));
    cJSON *list = parse(L, json_str(r, "body"));
    assert_int_equal(cJSON_GetArraySize(list), 3);
    assert_string_equal(json_str(cJSON_GetArrayItem(list, 2), "name"), "foo3");
    assert_true(json_num_or(cJSON_GetArrayItem(list, 2), "price", 0) == 4.5);

    r = OK(apigw_test_invoke_method, L->api, L->item, "GET",
           &(apigw_test_invoke_in){.path_with_query_string = "/items/1"});
    assert_int_equal(json_num_or(r, "status", 0), 200);
    cJSON *one = parse(L, json_str(r, "body"));
    assert_true(json_num_or(one, "ID", 0) == 1);
    assert_string_equal(json_str(one, "name"), "foo1");
    assert_true(json_num_or(one, "price", 0) == 1.5);
    assert_string_equal(json_str(json_obj(r, "headers"), "Content-Type"), "application/json");
    assert_non_null(json_str(r, "log"));
}

/* The lab deploys to a new stage dev, then creates prod from that deployment. */
static void deploy_dev_and_prod(void **state) {
    lab *L = *state;
    NEED(L->mock_methods);
    cJSON *d = OK(apigw_create_deployment, L->api,
                  &(apigw_deployment_in){.stage_name = "dev", .stage_description = "Development"});
    const char *dep = json_str(d, "id");
    assert_non_null(dep);
    cJSON *dev = OK(apigw_get_stage, L->api, "dev");
    assert_string_equal(json_str(dev, "deploymentId"), dep);
    cJSON *prod = OK(apigw_create_stage, L->api, "prod", dep,
                     &(apigw_stage_in){.description = "Production"});
    assert_string_equal(json_str(prod, "stageName"), "prod");
    assert_string_equal(json_str(prod, "deploymentId"), dep);
    cJSON *stages = json_arr(OK(apigw_get_stages, L->api, NULL), "item");
    assert_int_equal(cJSON_GetArraySize(stages), 2);
    FAILS(409, "ConflictException", apigw_create_stage, L->api, "prod", dep, NULL);
    L->deployed = true;
}

/* --- Creating an AWS Lambda Function Backend ------------------------------------------ */

static void create_function(void **state) {
    lab *L = *state;
    cJSON *f = OK(lambda_create_function, "ItemsFunction", ROLE, L->zip, L->zip_len,
                  &(lambda_function_in){.runtime = "python3.12",
                                        .handler = "lambda_function.lambda_handler"});
    assert_string_equal(json_str(f, "FunctionName"), "ItemsFunction");
    assert_string_equal(json_str(f, "FunctionArn"), FUNCTION_ARN);
    assert_string_equal(json_str(f, "Version"), "$LATEST");
    assert_string_equal(json_str(f, "Role"), ROLE);
    assert_true(json_num_or(f, "Timeout", 0) == 3);
    assert_true(json_num_or(f, "MemorySize", 0) == 128);
    assert_true(json_num_or(f, "CodeSize", 0) == (double)L->zip_len);
    /* CodeSha256 is the base64 SHA-256 of the zip. */
    unsigned char md[SHA256_DIGEST_LENGTH];
    SHA256(L->zip, L->zip_len, md);
    unsigned char b64[64];
    EVP_EncodeBlock(b64, md, sizeof md);
    assert_string_equal(json_str(f, "CodeSha256"), (char *)b64);
    FAILS(409, "ResourceConflictException", lambda_create_function, "ItemsFunction", ROLE, L->zip,
          L->zip_len, &(lambda_function_in){.runtime = "python3.12", .handler = "x.y"});
    const char *m = FAILS(400, "InvalidParameterValueException", lambda_create_function, "Other",
                          "arn:aws:iam::" ACCOUNT ":role/nobody", L->zip, L->zip_len,
                          &(lambda_function_in){.runtime = "python3.12", .handler = "x.y"});
    assert_string_equal(m, "The role defined for the function cannot be assumed by Lambda.");
    L->function = true;
}

static cJSON *invoke(lab *L, const char *qualifier, const char *event) {
    return OK(lambda_invoke, "ItemsFunction", event, strlen(event),
              &(lambda_invoke_in){.qualifier = qualifier, .log_type = "Tail"});
}

/* The Lambda console's test events GetItems, GetItem and GetItemNotFound. */
static void test_function(void **state) {
    lab *L = *state;
    NEED(L->function);
    cJSON *r = invoke(L, NULL, "{}");
    assert_true(json_num_or(r, "StatusCode", 0) == 200);
    assert_false(json_has(r, "FunctionError"));
    assert_string_equal(json_str(r, "ExecutedVersion"), "$LATEST");
    cJSON *all = parse(L, json_str(r, "Payload"));
    assert_int_equal(cJSON_GetArraySize(all), 4);
    assert_string_equal(json_str(cJSON_GetArrayItem(all, 3), "name"), "Ruler");
    assert_non_null(json_str(r, "LogResult"));

    cJSON *one = parse(L, json_str(invoke(L, NULL, "{\"ID\": 1}"), "Payload"));
    assert_string_equal(json_str(one, "name"), "Pen");
    assert_true(json_num_or(one, "price", 0) == 2.5);

    r = invoke(L, NULL, "{\"ID\": 5}");
    assert_string_equal(json_str(r, "FunctionError"), "Unhandled");
    cJSON *failure = parse(L, json_str(r, "Payload"));
    assert_string_equal(json_str(failure, "errorMessage"), "NotFoundError");
    assert_string_equal(json_str(failure, "errorType"), "Exception");
}

/* --- Versioning and Aliasing the Lambda Function --------------------------------- */

static void version_and_aliases(void **state) {
    lab *L = *state;
    NEED(L->function);
    cJSON *v = OK(lambda_publish_version, "ItemsFunction", NULL);
    assert_string_equal(json_str(v, "Version"), "1");
    assert_string_equal(json_str(v, "FunctionArn"), FUNCTION_ARN ":1");
    cJSON *versions =
        json_arr(OK(lambda_list_versions_by_function, "ItemsFunction", NULL), "Versions");
    assert_int_equal(cJSON_GetArraySize(versions), 2);
    assert_string_equal(json_str(cJSON_GetArrayItem(versions, 0), "Version"), "$LATEST");
    assert_string_equal(json_str(cJSON_GetArrayItem(versions, 1), "Version"), "1");

    cJSON *dev = OK(lambda_create_alias, "ItemsFunction", "dev", "$LATEST",
                    &(lambda_alias_in){.description = "Development alias"});
    assert_string_equal(json_str(dev, "AliasArn"), FUNCTION_ARN ":dev");
    assert_string_equal(json_str(dev, "FunctionVersion"), "$LATEST");
    assert_string_equal(json_str(dev, "Description"), "Development alias");
    cJSON *prod = OK(lambda_create_alias, "ItemsFunction", "prod", "1",
                     &(lambda_alias_in){.description = "Production alias"});
    assert_string_equal(json_str(prod, "FunctionVersion"), "1");
    cJSON *aliases = json_arr(OK(lambda_list_aliases, "ItemsFunction", NULL, NULL), "Aliases");
    assert_int_equal(cJSON_GetArraySize(aliases), 2);
    assert_string_equal(json_str(OK(lambda_get_alias, "ItemsFunction", "prod"), "AliasArn"),
                        FUNCTION_ARN ":prod");
    FAILS(409, "ResourceConflictException", lambda_create_alias, "ItemsFunction", "dev", "1", NULL);
    L->aliases = true;
}

/* --- Configuring the API Gateway Backend --------------------------------------------- */

/* What the console does when a Lambda function is picked for a method: the
 * integration, a 200 integration response, and a permission for the
 * function (or alias) to be invoked from that method. */
static void wire_lambda(lab *L, const char *resource, const char *path, const char *alias) {
    char *fn = lambda_function_arn(REGION, ACCOUNT, "ItemsFunction", alias);
    char *uri = apigw_lambda_uri(REGION, fn);
    bool with_id = strstr(path, "{ID}") != NULL;
    cJSON *tmpl = parse(L, "{}");
    if (with_id) json_set_str(tmpl, "application/json", item_request_template);
    cJSON *integ = OK(apigw_put_integration, L->api, resource, "GET", "AWS",
                      &(apigw_integration_in){.http_method = "POST",
                                              .uri = uri,
                                              .request_templates = with_id ? tmpl : NULL,
                                              .passthrough_behavior =
                                                  with_id ? "WHEN_NO_TEMPLATES" : "WHEN_NO_MATCH"});
    assert_string_equal(json_str(integ, "type"), "AWS");
    assert_string_equal(json_str(integ, "httpMethod"), "POST");
    assert_string_equal(json_str(integ, "uri"), uri);
    OK(apigw_put_integration_response, L->api, resource, "GET", "200", NULL);

    char *src = apigw_source_arn(REGION, ACCOUNT, L->api, NULL, "GET", path);
    char sid[96];
    snprintf(sid, sizeof sid, "apigateway-%s-%s", alias, with_id ? "item" : "items");
    cJSON *p = OK(lambda_add_permission, "ItemsFunction", sid, "lambda:InvokeFunction",
                  "apigateway.amazonaws.com",
                  &(lambda_permission_in){.qualifier = alias, .source_arn = src});
    cJSON *st = parse(L, json_str(p, "Statement"));
    assert_string_equal(json_str(st, "Sid"), sid);
    assert_string_equal(json_str(st, "Effect"), "Allow");
    assert_string_equal(json_str(json_obj(st, "Principal"), "Service"), "apigateway.amazonaws.com");
    assert_string_equal(json_str(st, "Action"), "lambda:InvokeFunction");
    assert_string_equal(json_str(st, "Resource"), fn);
    assert_string_equal(json_str(json_obj(json_obj(st, "Condition"), "ArnLike"), "AWS:SourceArn"),
                        src);
    const char *msg =
        FAILS(409, "ResourceConflictException", lambda_add_permission, "ItemsFunction", sid,
              "lambda:InvokeFunction", "apigateway.amazonaws.com",
              &(lambda_permission_in){.qualifier = alias, .source_arn = src});
    char want[256];
    snprintf(want, sizeof want,
             "The statement id (%s) provided already exists. Please provide a new statement id, or "
             "remove "
             "the existing statement.",
             sid);
    assert_string_equal(msg, want);
    free(src);
    free(uri);
    free(fn);
}

static void lambda_backend(void **state) {
    lab *L = *state;
    NEED(L->deployed && L->aliases);
    /* First ItemsFunction:dev, then :prod, for both methods. */
    wire_lambda(L, L->items, "/items", "dev");
    wire_lambda(L, L->items, "/items", "prod");
    wire_lambda(L, L->item, "/items/{ID}", "dev");
    wire_lambda(L, L->item, "/items/{ID}", "prod");

    cJSON *integ = OK(apigw_get_integration, L->api, L->item, "GET");
    assert_string_equal(json_str(json_obj(integ, "requestTemplates"), "application/json"),
                        item_request_template);
    /* The mock's list template no longer shapes the Lambda's answer. */
    cJSON *ir = json_obj(
        json_obj(OK(apigw_get_integration, L->api, L->items, "GET"), "integrationResponses"),
        "200");
    assert_null(json_str(json_obj(ir, "responseTemplates"), "application/json"));

    cJSON *pol = OK(lambda_get_policy, "ItemsFunction", "prod");
    cJSON *doc = parse(L, json_str(pol, "Policy"));
    assert_string_equal(json_str(doc, "Version"), "2012-10-17");
    assert_int_equal(cJSON_GetArraySize(json_arr(doc, "Statement")), 2);
    FAILS(404, "ResourceNotFoundException", lambda_get_policy, "ItemsFunction", NULL);

    OK(apigw_create_deployment, L->api, &(apigw_deployment_in){.stage_name = "prod"});
    OK(apigw_create_deployment, L->api, &(apigw_deployment_in){.stage_name = "dev"});
    L->lambda_wired = true;
}

/* --- Following Best Practices for Versions, Aliases, and Stages ------------------- */

static void stage_variables(void **state) {
    lab *L = *state;
    NEED(L->lambda_wired);
    static const char *const stages[] = {"dev", "prod"};
    for (int i = 0; i < 2; i++) {
        cJSON *s = OK(apigw_update_stage, L->api, stages[i],
                      apigw_patch_replace(apigw_patch_new(), "/variables/lambdaAlias", stages[i]));
        assert_string_equal(json_str(json_obj(s, "variables"), "lambdaAlias"), stages[i]);
    }
    char *fn =
        lambda_function_arn(REGION, ACCOUNT, "ItemsFunction", "${stageVariables.lambdaAlias}");
    char *uri = apigw_lambda_uri(REGION, fn);
    const char *resources[] = {L->items, L->item};
    for (int i = 0; i < 2; i++) {
        apigw_patch *p = apigw_patch_replace(apigw_patch_new(), "/uri", uri);
        cJSON *integ = OK(apigw_update_integration, L->api, resources[i], "GET", p);
        assert_string_equal(json_str(integ, "uri"), uri);
    }
    free(uri);
    free(fn);
    OK(apigw_create_deployment, L->api, &(apigw_deployment_in){.stage_name = "dev"});
    OK(apigw_create_deployment, L->api, &(apigw_deployment_in){.stage_name = "prod"});
    cJSON *prod = OK(apigw_get_stage, L->api, "prod");
    assert_string_equal(json_str(json_obj(prod, "variables"), "lambdaAlias"), "prod");
    L->stage_vars = true;
}

/* Test on the Lambda-backed methods with the dev stage's variables. */
static void test_lambda_methods(void **state) {
    lab *L = *state;
    NEED(L->stage_vars);
    cJSON *vars = parse(L, "{\"lambdaAlias\":\"dev\"}");
    cJSON *r =
        OK(apigw_test_invoke_method, L->api, L->items, "GET",
           &(apigw_test_invoke_in){.path_with_query_string = "/items", .stage_variables = vars});
    assert_int_equal(json_num_or(r, "status", 0), 200);
    assert_int_equal(cJSON_GetArraySize(parse(L, json_str(r, "body"))), 4);
    r = OK(apigw_test_invoke_method, L->api, L->item, "GET",
           &(apigw_test_invoke_in){.path_with_query_string = "/items/2", .stage_variables = vars});
    assert_string_equal(json_str(parse(L, json_str(r, "body")), "name"), "Pencil");
    /* A raised error with no matching selection pattern passes through the default 200. */
    r = OK(apigw_test_invoke_method, L->api, L->item, "GET",
           &(apigw_test_invoke_in){.path_with_query_string = "/items/5", .stage_variables = vars});
    assert_int_equal(json_num_or(r, "status", 0), 200);
    assert_string_equal(json_str(parse(L, json_str(r, "body")), "errorMessage"), "NotFoundError");
}

/* --- Creating API Keys and Usage Plans ------------------------------------------------- */

static void usage_plan_and_key(void **state) {
    lab *L = *state;
    NEED(L->deployed);
    cJSON *plan = OK(apigw_create_usage_plan, "CloudAcademyPlan",
                     &(apigw_usage_plan_in){.description = "Cloud Academy Lab Plan"});
    assert_string_equal(json_str(plan, "name"), "CloudAcademyPlan");
    assert_false(json_has(plan, "quota"));
    copy_id(L->plan, sizeof L->plan, plan, "id");
    char stage[64];
    snprintf(stage, sizeof stage, "%s:dev", L->api);
    OK(apigw_update_usage_plan, L->plan, apigw_patch_add(apigw_patch_new(), "/apiStages", stage));
    snprintf(stage, sizeof stage, "%s:prod", L->api);
    cJSON *up = OK(apigw_update_usage_plan, L->plan,
                   apigw_patch_add(apigw_patch_new(), "/apiStages", stage));
    cJSON *st = json_arr(up, "apiStages");
    assert_int_equal(cJSON_GetArraySize(st), 2);
    assert_non_null(find_by(st, "stage", "prod"));
    assert_string_equal(json_str(cJSON_GetArrayItem(st, 0), "apiId"), L->api);
    L->plan_bound = true;

    cJSON *key = OK(apigw_create_api_key,
                    &(apigw_api_key_in){
                        .name = "LabKey", .description = "Cloud Academy Lab Key", .enabled = true});
    assert_string_equal(json_str(key, "name"), "LabKey");
    assert_true(json_bool_or(key, "enabled", false));
    copy_id(L->key, sizeof L->key, key, "id");
    cJSON *upk = OK(apigw_create_usage_plan_key, L->plan, L->key, "API_KEY");
    assert_string_equal(json_str(upk, "id"), L->key);
    assert_string_equal(json_str(upk, "type"), "API_KEY");
    assert_string_equal(json_str(upk, "name"), "LabKey");

    /* Shown on request only: 40 letters and digits. */
    assert_null(json_str(OK(apigw_get_api_key, L->key, false), "value"));
    const char *value = json_str(OK(apigw_get_api_key, L->key, true), "value");
    assert_non_null(value);
    assert_int_equal(strlen(value), 40);
    for (const char *p = value; *p; p++)
        assert_true(isalnum((unsigned char)*p));
    cJSON *keys = OK(apigw_get_api_keys, &(apigw_api_keys_in){.include_values = true});
    assert_string_equal(json_str(find_by(json_arr(keys, "item"), "id", L->key), "value"), value);
    assert_int_equal(
        cJSON_GetArraySize(json_arr(OK(apigw_get_usage_plan_keys, L->plan, NULL, NULL), "item")),
        1);
    cJSON *plans = OK(apigw_get_usage_plans, NULL, L->key);
    assert_non_null(find_by(json_arr(plans, "item"), "id", L->plan));

    cJSON *usage = OK(apigw_get_usage, L->plan, "2026-11-30", "2026-11-30", NULL);
    assert_string_equal(json_str(usage, "usagePlanId"), L->plan);
    assert_string_equal(json_str(usage, "startDate"), "2026-11-30");

    /* Both GET methods now require the key; redeploy both stages. */
    const char *resources[] = {L->items, L->item};
    for (int i = 0; i < 2; i++) {
        cJSON *m = OK(apigw_update_method, L->api, resources[i], "GET",
                      apigw_patch_replace(apigw_patch_new(), "/apiKeyRequired", "true"));
        assert_true(json_bool_or(m, "apiKeyRequired", false));
    }
    OK(apigw_create_deployment, L->api, &(apigw_deployment_in){.stage_name = "dev"});
    OK(apigw_create_deployment, L->api, &(apigw_deployment_in){.stage_name = "prod"});
}

/* --- Enabling CORS on API Gateway Resources ----------------------------------------- */

#define H(name) "method.response.header.Access-Control-Allow-" name

/* What the console's Enable CORS does for a resource with a GET method. */
static void enable_cors(lab *L, const char *resource) {
    OK(apigw_put_method, L->api, resource, "OPTIONS", "NONE", NULL);
    cJSON *declared = keep(L, cJSON_CreateObject());
    json_set_bool(declared, H("Headers"), false);
    json_set_bool(declared, H("Methods"), false);
    json_set_bool(declared, H("Origin"), false);
    OK(apigw_put_method_response, L->api, resource, "OPTIONS", "200",
       &(apigw_method_response_in){.response_parameters = declared,
                                   .response_models = parse(L, EMPTY_MODEL)});
    OK(apigw_put_integration, L->api, resource, "OPTIONS", "MOCK",
       &(apigw_integration_in){.request_templates = parse(L, MOCK_TEMPLATES),
                               .passthrough_behavior = "WHEN_NO_MATCH"});
    cJSON *values = keep(L, cJSON_CreateObject());
    json_set_str(values, H("Headers"), "'" CORS_HEADERS "'");
    json_set_str(values, H("Methods"), "'GET,OPTIONS'");
    json_set_str(values, H("Origin"), "'*'");
    cJSON *ir = OK(apigw_put_integration_response, L->api, resource, "OPTIONS", "200",
                   &(apigw_integration_response_in){.response_parameters = values});
    assert_true(cJSON_Compare(json_obj(ir, "responseParameters"), values, true));
    /* The GET method returns the origin header too. */
    apigw_patch *p = apigw_patch_new();
    apigw_patch_add(p, apigw_patch_path(p, "responseParameters", H("Origin"), NULL), "false");
    OK(apigw_update_method_response, L->api, resource, "GET", "200", p);
    p = apigw_patch_new();
    apigw_patch_add(p, apigw_patch_path(p, "responseParameters", H("Origin"), NULL), "'*'");
    cJSON *gir = OK(apigw_update_integration_response, L->api, resource, "GET", "200", p);
    assert_string_equal(json_str(json_obj(gir, "responseParameters"), H("Origin")), "'*'");
}

static void cors(void **state) {
    lab *L = *state;
    NEED(L->mock_methods);
    enable_cors(L, L->items);
    enable_cors(L, L->item);
    cJSON *res = OK(apigw_get_resource, L->api, L->item, true);
    cJSON *methods = json_obj(res, "resourceMethods");
    assert_non_null(json_obj(methods, "GET"));
    assert_non_null(json_obj(methods, "OPTIONS"));
    cJSON *mr = OK(apigw_get_method_response, L->api, L->items, "GET", "200");
    assert_true(
        cJSON_IsFalse(cJSON_GetObjectItem(json_obj(mr, "responseParameters"), H("Origin"))));
    L->cors = true;
}

/* The preflight the browser sends answers with the three headers. */
static void test_cors_preflight(void **state) {
    lab *L = *state;
    NEED(L->cors);
    cJSON *r = OK(apigw_test_invoke_method, L->api, L->items, "OPTIONS",
                  &(apigw_test_invoke_in){.path_with_query_string = "/items"});
    assert_int_equal(json_num_or(r, "status", 0), 200);
    cJSON *h = json_obj(r, "headers");
    assert_string_equal(json_str(h, "Access-Control-Allow-Origin"), "*");
    assert_string_equal(json_str(h, "Access-Control-Allow-Methods"), "GET,OPTIONS");
    assert_string_equal(json_str(h, "Access-Control-Allow-Headers"), CORS_HEADERS);
}

/* --- Enabling API Gateway Caching and Throttling ---------------------------------- */

static void caching_and_throttling(void **state) {
    lab *L = *state;
    NEED(L->deployed);
    apigw_patch *p = apigw_patch_new();
    apigw_patch_replace(p, "/cacheClusterEnabled", "true");
    apigw_patch_replace(p, "/cacheClusterSize", "0.5");
    apigw_patch_replace(p, apigw_patch_path(p, "*", "*", "caching", "dataEncrypted", NULL), "true");
    apigw_patch_replace(p, apigw_patch_path(p, "*", "*", "caching", "ttlInSeconds", NULL), "3600");
    apigw_patch_replace(
        p, apigw_patch_path(p, "*", "*", "caching", "requireAuthorizationForCacheControl", NULL),
        "true");
    apigw_patch_replace(
        p, apigw_patch_path(p, "*", "*", "caching", "unauthorizedCacheControlHeaderStrategy", NULL),
        "FAIL_WITH_403");
    apigw_patch_replace(p, apigw_patch_path(p, "*", "*", "throttling", "rateLimit", NULL), "10000");
    apigw_patch_replace(p, apigw_patch_path(p, "*", "*", "throttling", "burstLimit", NULL), "5000");
    cJSON *s = OK(apigw_update_stage, L->api, "prod", p);
    assert_true(json_bool_or(s, "cacheClusterEnabled", false));
    assert_string_equal(json_str(s, "cacheClusterSize"), "0.5");
    cJSON *all = json_obj(json_obj(s, "methodSettings"), "*/*");
    assert_non_null(all);
    assert_true(json_bool_or(all, "cacheDataEncrypted", false));
    assert_true(json_num_or(all, "cacheTtlInSeconds", 0) == 3600);
    assert_true(json_bool_or(all, "requireAuthorizationForCacheControl", false));
    assert_string_equal(json_str(all, "unauthorizedCacheControlHeaderStrategy"), "FAIL_WITH_403");
    assert_true(json_num_or(all, "throttlingRateLimit", 0) == 10000);
    assert_true(json_num_or(all, "throttlingBurstLimit", 0) == 5000);
    /* The dev stage keeps no cache. */
    assert_false(json_bool_or(OK(apigw_get_stage, L->api, "dev"), "cacheClusterEnabled", true));
    OK(apigw_flush_stage_cache, L->api, "prod");

    /* A TTL above an hour is refused. */
    p = apigw_patch_new();
    apigw_patch_replace(p, apigw_patch_path(p, "*", "*", "caching", "ttlInSeconds", NULL), "3601");
    FAILS(400, "BadRequestException", apigw_update_stage, L->api, "prod", p);
}

static void usage_plan_quota(void **state) {
    lab *L = *state;
    NEED(L->plan[0]);
    apigw_patch *p = apigw_patch_new();
    apigw_patch_replace(p, "/quota/limit", "1000");
    apigw_patch_replace(p, "/quota/period", "DAY");
    cJSON *plan = OK(apigw_update_usage_plan, L->plan, p);
    cJSON *q = json_obj(plan, "quota");
    assert_true(json_num_or(q, "limit", 0) == 1000);
    assert_string_equal(json_str(q, "period"), "DAY");
    assert_true(json_num_or(q, "offset", -1) == 0);
    assert_false(json_has(plan, "throttle"));
}

/* --- Cleaning up API Resources and Lambda Functions --------------------------------- */

static void clean_up(void **state) {
    lab *L = *state;
    NEED(L->api[0] && L->function);
    char msg[160];
    if (L->plan_bound) {
        /* Not while stages are bound to it. */
        const char *m = FAILS(400, "BadRequestException", apigw_delete_usage_plan, L->plan);
        snprintf(msg, sizeof msg,
                 "Cannot delete Usage Plan %s because there are API Stages associated with it",
                 L->plan);
        assert_true(strncmp(m, msg, strlen(msg)) == 0);
    }
    if (L->key[0]) OK(apigw_delete_api_key, L->key);
    if (L->deployed) {
        OK(apigw_delete_stage, L->api, "dev");
        OK(apigw_delete_stage, L->api, "prod");
    }
    if (L->plan[0]) OK(apigw_delete_usage_plan, L->plan);
    OK(apigw_delete_rest_api, L->api);
    OK(lambda_delete_function, "ItemsFunction", NULL);

    const char *m = FAILS(404, "NotFoundException", apigw_get_rest_api, L->api);
    snprintf(msg, sizeof msg, "Invalid API identifier specified %s:%s", ACCOUNT, L->api);
    assert_string_equal(m, msg);
    m = FAILS(404, "ResourceNotFoundException", lambda_get_function, "ItemsFunction", NULL);
    assert_string_equal(m, "Function not found: " FUNCTION_ARN);
    if (L->key[0]) {
        m = FAILS(404, "NotFoundException", apigw_get_api_key, L->key, false);
        assert_string_equal(m, "Invalid API Key identifier specified");
    }
    if (L->plan[0]) {
        m = FAILS(404, "NotFoundException", apigw_get_usage_plan, L->plan);
        assert_string_equal(m, "Invalid Usage Plan ID specified");
    }
    assert_int_equal(cJSON_GetArraySize(json_arr(OK(apigw_get_rest_apis, NULL), "item")), 0);
    assert_int_equal(
        cJSON_GetArraySize(json_arr(OK(lambda_list_functions, NULL, false), "Functions")), 0);
}

int main(void) {
    const struct CMUnitTest steps[] = {
        cmocka_unit_test(create_items_api),    cmocka_unit_test(create_models),
        cmocka_unit_test(create_resources),    cmocka_unit_test(mock_methods),
        cmocka_unit_test(test_mock_methods),   cmocka_unit_test(deploy_dev_and_prod),
        cmocka_unit_test(create_function),     cmocka_unit_test(test_function),
        cmocka_unit_test(version_and_aliases), cmocka_unit_test(lambda_backend),
        cmocka_unit_test(stage_variables),     cmocka_unit_test(test_lambda_methods),
        cmocka_unit_test(usage_plan_and_key),  cmocka_unit_test(cors),
        cmocka_unit_test(test_cors_preflight), cmocka_unit_test(caching_and_throttling),
        cmocka_unit_test(usage_plan_quota),    cmocka_unit_test(clean_up),
    };
    return cmocka_run_group_tests_name("client_lab", steps, lab_setup, lab_teardown);
}
