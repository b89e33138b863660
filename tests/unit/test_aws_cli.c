/* The AWS CLI command of a request: option names as the CLI spells them,
 * values quoted so that a shell gives the CLI exactly what was sent, and
 * the lab's commands, both from request parts and from the typed client's
 * own requests (through its observer). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "aws/cli.h"
#include "client/apigw.h"
#include "client/lambda.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/mem.h"
#include "fixture.h"
#include "transport/local.h"

#define ROLE "arn:aws:iam::123456789012:role/lambda_basic_execution"

/* --- helpers ---------------------------------------------------------------- */

static cJSON *json(const char *text) {
    cJSON *j = cJSON_Parse(text);
    if (!j) fail_msg("not JSON: %s", text);
    return j;
}

/* The command for op with the body given as JSON text (NULL: none). */
static char *cmd(aws_op op, const char *const *params, size_t n, const char *query,
                 const char *body) {
    cJSON *b = body ? json(body) : NULL;
    char *c = aws_cli_command(op, params, n, query, b);
    cJSON_Delete(b);
    return c;
}

#define PARAMS(...)                                                                                \
    (const char *const[]){__VA_ARGS__}, sizeof((const char *const[]){__VA_ARGS__}) / sizeof(char *)

static void assert_cmd(char *got, const char *want) {
    assert_string_equal(got, want);
    free(got);
}

static void assert_kebab(const char *camel, const char *want) {
    char *k = aws_cli_kebab(camel);
    assert_string_equal(k, want);
    free(k);
}

typedef struct words {
    char *w[64];
    size_t n;
} words;

static void words_free(words *w) {
    for (size_t i = 0; i < w->n; i++)
        free(w->w[i]);
    w->n = 0;
}

/* The words /bin/sh makes of the command: each printed as "LEN:TEXT" by
 * the shell itself, so values with newlines or NULs-free binary survive. */
static void sh_words(const char *command, words *out) {
    assert_true(strncmp(command, "aws ", 4) == 0);
    char *script = xasprintf(
        "LC_ALL=C; set -- %s\nfor a do printf '%%d:%%s' \"${#a}\" \"$a\"; done", command + 4);
    FILE *p = popen(script, "r");
    assert_non_null(p);
    buf b = BUF_INIT;
    char chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, p)) > 0)
        buf_add(&b, chunk, got);
    assert_int_equal(pclose(p), 0);
    free(script);
    out->n = 0;
    for (const char *s = b.data, *end = b.data + b.len; s && s < end;) {
        char *colon;
        unsigned long len = strtoul(s, &colon, 10);
        assert_true(*colon == ':' && colon + 1 + len <= end);
        assert_true(out->n < 64);
        out->w[out->n++] = xstrndup(colon + 1, len);
        s = colon + 1 + len;
    }
    buf_free(&b);
}

/* The word after option opt in what the shell gives the CLI. */
static const char *word_after(const words *w, const char *opt) {
    for (size_t i = 0; i + 1 < w->n; i++)
        if (strcmp(w->w[i], opt) == 0) return w->w[i + 1];
    fail_msg("no %s among the words", opt);
    return NULL;
}

/* --- names ---------------------------------------------------------------- */

static void kebab_follows_the_cli(void **state) {
    assert_kebab("CreateResource", "create-resource");
    assert_kebab("GetSdkTypes", "get-sdk-types");
    assert_kebab("TestInvokeMethod", "test-invoke-method");
    assert_kebab("restApiId", "rest-api-id");
    assert_kebab("FunctionName", "function-name");
    assert_kebab("patchOperations", "patch-operations");
    assert_kebab("ApiKey", "api-key");
    assert_kebab("CreateApiKey", "create-api-key");
    assert_kebab("apiKeyRequired", "api-key-required");
    /* Runs of capitals: the last capital starts the next word. */
    assert_kebab("KMSKeyArn", "kms-key-arn");
    assert_kebab("DNSName", "dns-name");
    assert_kebab("PrincipalOrgID", "principal-org-id");
    /* A plural acronym at the end stays one word. */
    assert_kebab("GatewayARNs", "gateway-arns");
    assert_kebab("ListWebACLs", "list-web-acls");
    /* Digits end a word before a capital, not after one. */
    assert_kebab("CodeSha256", "code-sha256");
    assert_kebab("S3Bucket", "s3-bucket");
    assert_kebab("X509Certificate", "x509-certificate");
    /* What has a '-' already is left as it is. */
    assert_kebab("already-kebab", "already-kebab");
    assert_kebab("", "");
}

static void options_carry_the_cli_renames(void **state) {
    char *o = aws_cli_option(APIGW_CreateRestApi, "version");
    assert_string_equal(o, "api-version");
    free(o);
    o = aws_cli_option(LAMBDA_PublishVersion, "CodeSha256");
    assert_string_equal(o, "code-sha-256");
    free(o);
    o = aws_cli_option(APIGW_UpdateStage, "patchOperations");
    assert_string_equal(o, "patch-operations");
    free(o);
    o = aws_cli_option(APIGW_PutIntegration, "integrationHttpMethod");
    assert_string_equal(o, "integration-http-method");
    free(o);
    assert_null(aws_cli_option(APIGW_CreateResource, "noSuchMember"));
    assert_null(aws_cli_option(APIGW_CreateResource, "FunctionName"));
}

/* --- values ----------------------------------------------------------------- */

static void quotes_only_what_needs_it(void **state) {
    assert_cmd(
        cmd(APIGW_CreateResource, PARAMS("a1b2c3", "r00t"), NULL, "{\"pathPart\":\"items\"}"),
        "aws apigateway create-resource --rest-api-id a1b2c3 --parent-id r00t --path-part "
        "items");
    assert_cmd(cmd(APIGW_CreateResource, PARAMS("a1b2c3", "r00t"), NULL, "{\"pathPart\":\"{ID}\"}"),
               "aws apigateway create-resource --rest-api-id a1b2c3 --parent-id r00t --path-part "
               "'{ID}'");
    assert_cmd(cmd(APIGW_CreateRestApi, NULL, 0, NULL, "{\"name\":\"it's mine\"}"),
               "aws apigateway create-rest-api --name 'it'\\''s mine'");
    assert_cmd(cmd(APIGW_CreateRestApi, NULL, 0, NULL, "{\"name\":\"\"}"),
               "aws apigateway create-rest-api --name ''");
    /* zsh expands a word starting with '='. */
    assert_cmd(cmd(APIGW_CreateRestApi, NULL, 0, NULL, "{\"name\":\"=ls\"}"),
               "aws apigateway create-rest-api --name '=ls'");
    /* argparse takes "-x" for an option: such values go after '='. */
    assert_cmd(cmd(APIGW_CreateRestApi, NULL, 0, NULL, "{\"name\":\"-x\",\"description\":\"- a\"}"),
               "aws apigateway create-rest-api --name=-x --description='- a'");
}

/* Hostile values reach the CLI exactly as sent, through a real shell. */
static void hostile_values_survive_the_shell(void **state) {
    static const char *const hostile[] = {
        "it's",       "$HOME", "`id`",  "$(id)",  "a b\tc",   "line1\nline2",
        "\"q\" \\ '", "*",     "~root", "a;b|c&", "!event",   "{a,b}",
        "'",          "''",    "-dash", "--x=y",  "#comment", "caf\xc3\xa9",
        "[\"json\"]", "%s%n",  " lead", "=eq",    "",         "\\",
    };
    for (size_t i = 0; i < sizeof hostile / sizeof *hostile; i++) {
        const char *v = hostile[i];
        cJSON *b = cJSON_CreateObject();
        json_set_str(b, "pathPart", v);
        char *c = aws_cli_command(APIGW_CreateResource, PARAMS(v, "r00t"), NULL, b);
        cJSON_Delete(b);
        words w;
        sh_words(c, &w);
        assert_true(w.n >= 4);
        const char *api = w.w[3];
        /* "--rest-api-id VALUE" or "--rest-api-id=VALUE" */
        if (strncmp(w.w[2], "--rest-api-id=", 14) == 0)
            assert_string_equal(w.w[2] + 14, v);
        else
            assert_string_equal(api, v);
        const char *last = w.w[w.n - 1];
        if (strncmp(last, "--path-part=", 12) == 0)
            assert_string_equal(last + 12, v);
        else
            assert_string_equal(word_after(&w, "--path-part"), v);
        words_free(&w);
        free(c);
    }
}

static void hostile_json_survives_the_shell(void **state) {
    const char *tpl = "#set($x = 'it''s')\n{\"a\": \"$input.params('ID')\", \"b\": `x`}";
    cJSON *b = cJSON_CreateObject();
    json_set_str(b, "type", "MOCK");
    cJSON *t = json_child_obj(b, "requestTemplates");
    json_set_str(t, "application/json", tpl);
    char *c = aws_cli_command(APIGW_PutIntegration, PARAMS("a1", "r1", "GET"), NULL, b);
    words w;
    sh_words(c, &w);
    cJSON *back = json(word_after(&w, "--request-templates"));
    assert_string_equal(json_str(back, "application/json"), tpl);
    /* The command is one line: the template's newline is inside JSON. */
    assert_null(strchr(c, '\n'));
    cJSON_Delete(back);
    cJSON_Delete(b);
    words_free(&w);
    free(c);
}

static void hostile_list_elements_survive_the_shell(void **state) {
    static const char *const elems[] = {"it's", "$x `y`", "a b", "*/*", "line\nnext", ""};
    cJSON *b = cJSON_CreateObject();
    json_set_str(b, "name", "A");
    cJSON *list = cJSON_AddArrayToObject(b, "binaryMediaTypes");
    for (size_t i = 0; i < 6; i++)
        cJSON_AddItemToArray(list, cJSON_CreateString(elems[i]));
    char *c = aws_cli_command(APIGW_CreateRestApi, NULL, 0, NULL, b);
    words w;
    sh_words(c, &w);
    /* apigateway create-rest-api --name A --binary-media-types e0 ... e5 */
    assert_int_equal(w.n, 11);
    assert_string_equal(w.w[4], "--binary-media-types");
    for (size_t i = 0; i < 6; i++)
        assert_string_equal(w.w[5 + i], elems[i]);
    cJSON_Delete(b);
    words_free(&w);
    free(c);
}

static void booleans_are_flags(void **state) {
    assert_cmd(cmd(APIGW_CreateApiKey, NULL, 0, NULL,
                   "{\"name\":\"LabKey\",\"enabled\":true,\"generateDistinctId\":false}"),
               "aws apigateway create-api-key --name LabKey --enabled --no-generate-distinct-id");
    /* From the query string too. */
    assert_cmd(cmd(APIGW_GetApiKey, PARAMS("k1"), "includeValue=true", NULL),
               "aws apigateway get-api-key --api-key k1 --include-value");
    assert_cmd(cmd(APIGW_GetApiKey, PARAMS("k1"), "includeValue=false", NULL),
               "aws apigateway get-api-key --api-key k1 --no-include-value");
}

static void numbers_are_plain(void **state) {
    assert_cmd(cmd(APIGW_GetRestApis, NULL, 0, "limit=500&position=abc%3D%3D", NULL),
               "aws apigateway get-rest-apis --position abc== --limit 500");
    assert_cmd(
        cmd(LAMBDA_UpdateFunctionConfiguration, PARAMS("ItemsFunction"), NULL,
            "{\"Timeout\":30,\"MemorySize\":256}"),
        "aws lambda update-function-configuration --function-name ItemsFunction --timeout 30 "
        "--memory-size 256");
    /* Text where a number is wanted is given as text, quoted when it needs it. */
    assert_cmd(cmd(APIGW_GetRestApis, NULL, 0, "limit=1e3", NULL),
               "aws apigateway get-rest-apis --limit 1e3");
    assert_cmd(cmd(APIGW_GetRestApis, NULL, 0, "limit=5%3B%20ls", NULL),
               "aws apigateway get-rest-apis --limit '5; ls'");
}

static void lists_of_strings_go_word_by_word(void **state) {
    assert_cmd(cmd(APIGW_CreateRestApi, NULL, 0, NULL,
                   "{\"name\":\"A\",\"binaryMediaTypes\":[\"image/png\",\"*/*\"]}"),
               "aws apigateway create-rest-api --name A --binary-media-types image/png '*/*'");
    /* Repeated query keys make one list. */
    assert_cmd(cmd(APIGW_UntagResource, PARAMS("arn:aws:apigateway:us-west-2::/restapis/a1"),
                   "tagKeys=team&tagKeys=cost%20center", NULL),
               "aws apigateway untag-resource --resource-arn "
               "arn:aws:apigateway:us-west-2::/restapis/a1 --tag-keys team 'cost center'");
    /* Where the CLI would misread the words, JSON. */
    assert_cmd(cmd(APIGW_CreateRestApi, NULL, 0, NULL, "{\"name\":\"A\",\"binaryMediaTypes\":[]}"),
               "aws apigateway create-rest-api --name A --binary-media-types '[]'");
    assert_cmd(cmd(APIGW_CreateRestApi, NULL, 0, NULL,
                   "{\"name\":\"A\",\"binaryMediaTypes\":[\"-x\",\"b\"]}"),
               "aws apigateway create-rest-api --name A --binary-media-types '[\"-x\",\"b\"]'");
    assert_cmd(
        cmd(APIGW_CreateRestApi, NULL, 0, NULL, "{\"name\":\"A\",\"binaryMediaTypes\":[\" [x]\"]}"),
        "aws apigateway create-rest-api --name A --binary-media-types '[\" [x]\"]'");
}

static void query_maps_take_the_other_parameters(void **state) {
    /* ImportRestApi's URI fixes mode=import; parameters gets the rest. */
    assert_cmd(cmd(APIGW_ImportRestApi, NULL, 0,
                   "failonwarnings=true&mode=import&endpointConfigurationTypes=REGIONAL",
                   "{\"openapi\":\"3.0.1\"}"),
               "aws apigateway import-rest-api --fail-on-warnings --parameters "
               "'{\"endpointConfigurationTypes\":\"REGIONAL\"}' --body '{\"openapi\":\"3.0.1\"}' "
               "--cli-binary-format raw-in-base64-out");
}

static void header_members_are_left_out(void **state) {
    assert_cmd(cmd(LAMBDA_Invoke, PARAMS("ItemsFunction"), NULL, "{\"ID\":1}"),
               "aws lambda invoke --function-name ItemsFunction --payload '{\"ID\":1}' "
               "--cli-binary-format raw-in-base64-out response.json");
}

static void zip_files_are_named_after_the_function(void **state) {
    assert_cmd(cmd(LAMBDA_UpdateFunctionCode, PARAMS("ItemsFunction"), NULL,
                   "{\"ZipFile\":\"UEsDBA==\",\"Publish\":true}"),
               "aws lambda update-function-code --function-name ItemsFunction --zip-file "
               "fileb://ItemsFunction.zip --publish");
    assert_cmd(cmd(LAMBDA_UpdateFunctionCode,
                   PARAMS("arn:aws:lambda:us-west-2:123456789012:function:Items"), NULL,
                   "{\"ZipFile\":\"UEsDBA==\"}"),
               "aws lambda update-function-code --function-name "
               "arn:aws:lambda:us-west-2:123456789012:function:Items --zip-file fileb://Items.zip");
    /* A name the shell would read otherwise is quoted with its file. */
    assert_cmd(cmd(LAMBDA_UpdateFunctionCode, PARAMS("my fn"), NULL, "{\"ZipFile\":\"UEsDBA==\"}"),
               "aws lambda update-function-code --function-name 'my fn' --zip-file "
               "'fileb://my fn.zip'");
    /* Code's other members stay under --code. */
    assert_cmd(cmd(LAMBDA_CreateFunction, NULL, 0, NULL,
                   "{\"FunctionName\":\"F\",\"Role\":\"r\",\"Code\":{\"S3Bucket\":\"b\",\"S3Key\":"
                   "\"k\"}}"),
               "aws lambda create-function --function-name F --role r --code "
               "'{\"S3Bucket\":\"b\",\"S3Key\":\"k\"}'");
    assert_cmd(cmd(LAMBDA_CreateFunction, NULL, 0, NULL, "{\"Code\":{\"ZipFile\":\"UEsDBA==\"}}"),
               "aws lambda create-function --zip-file fileb://function.zip");
}

static void unknown_operation_gives_bare_aws(void **state) {
    assert_cmd(aws_cli_command(OP__COUNT, NULL, 0, NULL, NULL), "aws");
}

/* --- the lab's commands, from the request parts -------------------------------- */

static void lab_api_gateway_commands(void **state) {
    assert_cmd(cmd(APIGW_CreateRestApi, NULL, 0, NULL,
                   "{\"name\":\"ItemsAPI\",\"description\":\"Cloud Academy Lab "
                   "API\",\"endpointConfiguration\":{\"types\":[\"REGIONAL\"]}}"),
               "aws apigateway create-rest-api --name ItemsAPI --description 'Cloud Academy Lab "
               "API' --endpoint-configuration '{\"types\":[\"REGIONAL\"]}'");
    assert_cmd(
        cmd(APIGW_PutMethod, PARAMS("a1b2c3", "res1", "GET"), NULL,
            "{\"authorizationType\":\"NONE\",\"apiKeyRequired\":true,"
            "\"requestParameters\":{\"method.request.path.ID\":true}}"),
        "aws apigateway put-method --rest-api-id a1b2c3 --resource-id res1 --http-method GET "
        "--authorization-type NONE --api-key-required --request-parameters "
        "'{\"method.request.path.ID\":true}'");
    assert_cmd(
        cmd(APIGW_PutIntegration, PARAMS("a1b2c3", "res1", "GET"), NULL,
            "{\"type\":\"MOCK\",\"requestTemplates\":{\"application/json\":\"{\\\"statusCode\\\": "
            "200}\"}}"),
        "aws apigateway put-integration --rest-api-id a1b2c3 --resource-id res1 --http-method "
        "GET --type MOCK --request-templates "
        "'{\"application/json\":\"{\\\"statusCode\\\": 200}\"}'");
    /* The backend's verb travels as httpMethod in the body. */
    assert_cmd(
        cmd(APIGW_PutIntegration, PARAMS("a1b2c3", "res2", "GET"), NULL,
            "{\"type\":\"AWS\",\"httpMethod\":\"POST\",\"uri\":\"arn:aws:apigateway:us-west-2:"
            "lambda:path/2015-03-31/functions/arn:aws:lambda:us-west-2:123456789012:function:"
            "ItemsFunction:${stageVariables.lambdaAlias}/invocations\"}"),
        "aws apigateway put-integration --rest-api-id a1b2c3 --resource-id res2 --http-method "
        "GET --type AWS --integration-http-method POST --uri "
        "'arn:aws:apigateway:us-west-2:lambda:path/2015-03-31/functions/"
        "arn:aws:lambda:us-west-2:123456789012:function:ItemsFunction:${stageVariables."
        "lambdaAlias}/invocations'");
    assert_cmd(cmd(APIGW_CreateDeployment, PARAMS("a1b2c3"), NULL,
                   "{\"stageName\":\"dev\",\"description\":\"Only mock items list\"}"),
               "aws apigateway create-deployment --rest-api-id a1b2c3 --stage-name dev "
               "--description 'Only mock items list'");
    assert_cmd(cmd(APIGW_UpdateStage, PARAMS("a1b2c3", "prod"), NULL,
                   "{\"patchOperations\":[{\"op\":\"replace\",\"path\":\"/variables/lambdaAlias\","
                   "\"value\":\"prod\"}]}"),
               "aws apigateway update-stage --rest-api-id a1b2c3 --stage-name prod "
               "--patch-operations '[{\"op\":\"replace\",\"path\":\"/variables/lambdaAlias\","
               "\"value\":\"prod\"}]'");
    assert_cmd(
        cmd(APIGW_CreateUsagePlan, NULL, 0, NULL,
            "{\"name\":\"CloudAcademyPlan\",\"apiStages\":[{\"apiId\":\"a1b2c3\",\"stage\":"
            "\"dev\"}],\"throttle\":{\"rateLimit\":10,\"burstLimit\":5},\"quota\":{\"limit\":"
            "1000,\"period\":\"DAY\"}}"),
        "aws apigateway create-usage-plan --name CloudAcademyPlan --api-stages "
        "'[{\"apiId\":\"a1b2c3\",\"stage\":\"dev\"}]' --throttle "
        "'{\"rateLimit\":10,\"burstLimit\":5}' --quota '{\"limit\":1000,\"period\":\"DAY\"}'");
    assert_cmd(cmd(APIGW_CreateUsagePlanKey, PARAMS("plan1"), NULL,
                   "{\"keyId\":\"key1\",\"keyType\":\"API_KEY\"}"),
               "aws apigateway create-usage-plan-key --usage-plan-id plan1 --key-id key1 "
               "--key-type API_KEY");
    assert_cmd(cmd(APIGW_TestInvokeMethod, PARAMS("a1b2c3", "res2", "GET"), NULL,
                   "{\"pathWithQueryString\":\"/items/1\"}"),
               "aws apigateway test-invoke-method --rest-api-id a1b2c3 --resource-id res2 "
               "--http-method GET --path-with-query-string /items/1");
    assert_cmd(cmd(APIGW_DeleteRestApi, PARAMS("a1b2c3"), NULL, NULL),
               "aws apigateway delete-rest-api --rest-api-id a1b2c3");
}

static void lab_lambda_commands(void **state) {
    assert_cmd(cmd(LAMBDA_CreateFunction, NULL, 0, NULL,
                   "{\"FunctionName\":\"ItemsFunction\",\"Role\":\"" ROLE
                   "\",\"Code\":{\"ZipFile\":"
                   "\"UEsDBA==\"},\"Runtime\":\"python3.12\",\"Handler\":\"lambda_function.lambda_"
                   "handler\"}"),
               "aws lambda create-function --function-name ItemsFunction --runtime python3.12 "
               "--role " ROLE " --handler lambda_function.lambda_handler --zip-file "
               "fileb://ItemsFunction.zip");
    assert_cmd(cmd(LAMBDA_PublishVersion, PARAMS("ItemsFunction"), NULL,
                   "{\"CodeSha256\":\"abc+/=\",\"Description\":\"v1\"}"),
               "aws lambda publish-version --function-name ItemsFunction --code-sha-256 abc+/= "
               "--description v1");
    assert_cmd(
        cmd(LAMBDA_CreateAlias, PARAMS("ItemsFunction"), NULL,
            "{\"Name\":\"prod\",\"FunctionVersion\":\"1\",\"Description\":\"Production "
            "alias\",\"RoutingConfig\":{\"AdditionalVersionWeights\":{\"2\":0.1}}}"),
        "aws lambda create-alias --function-name ItemsFunction --name prod --function-version "
        "1 --description 'Production alias' --routing-config "
        "'{\"AdditionalVersionWeights\":{\"2\":0.1}}'");
    assert_cmd(
        cmd(LAMBDA_CreateAlias, PARAMS("ItemsFunction"), NULL,
            "{\"Name\":\"dev\",\"FunctionVersion\":\"$LATEST\"}"),
        "aws lambda create-alias --function-name ItemsFunction --name dev --function-version "
        "'$LATEST'");
    assert_cmd(cmd(LAMBDA_AddPermission, PARAMS("ItemsFunction"), "Qualifier=dev",
                   "{\"StatementId\":\"apigateway-dev\",\"Action\":\"lambda:InvokeFunction\","
                   "\"Principal\":\"apigateway.amazonaws.com\",\"SourceArn\":\"arn:aws:execute-api:"
                   "us-west-2:123456789012:a1b2c3/*/GET/items\"}"),
               "aws lambda add-permission --function-name ItemsFunction --statement-id "
               "apigateway-dev --action lambda:InvokeFunction --principal apigateway.amazonaws.com "
               "--source-arn 'arn:aws:execute-api:us-west-2:123456789012:a1b2c3/*/GET/items' "
               "--qualifier dev");
    assert_cmd(cmd(LAMBDA_Invoke, PARAMS("ItemsFunction"), "Qualifier=prod", "{\"ID\":\"1\"}"),
               "aws lambda invoke --function-name ItemsFunction --payload '{\"ID\":\"1\"}' "
               "--cli-binary-format raw-in-base64-out --qualifier prod response.json");
    assert_cmd(cmd(LAMBDA_DeleteFunction, PARAMS("ItemsFunction"), "Qualifier=1", NULL),
               "aws lambda delete-function --function-name ItemsFunction --qualifier 1");
    assert_cmd(cmd(LAMBDA_RemovePermission, PARAMS("ItemsFunction", "apigateway-dev"),
                   "Qualifier=dev", NULL),
               "aws lambda remove-permission --function-name ItemsFunction --statement-id "
               "apigateway-dev --qualifier dev");
}

/* --- the lab's commands, from the typed client's requests --------------------------- */

typedef struct watch {
    fixture *fx;
    transport *t;
    client *cl;
    char *last;     /* the last command sent */
    int sent, done; /* events seen */
} watch;

static void observe(void *ud, const client_event *ev) {
    watch *w = ud;
    if (ev->finished) {
        w->done++;
        return;
    }
    w->sent++;
    free(w->last);
    w->last = xstrdup(ev->command);
}

static int watch_setup(void **state) {
    watch *w = xcalloc(1, sizeof *w);
    w->fx = fixture_new(NULL);
    w->t = local_transport_new(w->fx->emu);
    w->cl = client_new(w->t, FIXTURE_REGION);
    client_set_observer(w->cl, observe, w);
    *state = w;
    return 0;
}

static int watch_teardown(void **state) {
    watch *w = *state;
    client_free(w->cl);
    transport_destroy(w->t);
    fixture_free(w->fx);
    free(w->last);
    free(w);
    return 0;
}

/* The command of the client's last request, checked and the answer freed. */
static void assert_sent(watch *w, cJSON *out, const char *want) {
    cJSON_Delete(out);
    assert_non_null(w->last);
    assert_string_equal(w->last, want);
}

static char *keep_str(const cJSON *out, const char *key) {
    const char *v = json_str(out, key);
    assert_non_null(v);
    return xstrdup(v);
}

static void client_requests_show_the_lab_commands(void **state) {
    watch *w = *state;
    cJSON *out = NULL;
    err e;
    apigw_rest_api_in api_in = {.description = "Cloud Academy Lab API",
                                .endpoint_type = "REGIONAL"};
    assert_int_equal(CLIENT_SYNC(w->cl, &out, &e, apigw_create_rest_api, "ItemsAPI", &api_in), 0);
    char *api = keep_str(out, "id"), *root = keep_str(out, "rootResourceId");
    assert_sent(w, out,
                "aws apigateway create-rest-api --name ItemsAPI --description 'Cloud Academy Lab "
                "API' --endpoint-configuration '{\"types\":[\"REGIONAL\"]}'");

    assert_int_equal(CLIENT_SYNC(w->cl, &out, &e, apigw_create_resource, api, root, "items"), 0);
    char *res = keep_str(out, "id");
    char *want = xasprintf("aws apigateway create-resource --rest-api-id %s --parent-id %s "
                           "--path-part items",
                           api, root);
    assert_sent(w, out, want);
    free(want);

    assert_int_equal(CLIENT_SYNC(w->cl, &out, &e, apigw_put_method, api, res, "GET", "NONE", NULL),
                     0);
    want =
        xasprintf("aws apigateway put-method --rest-api-id %s --resource-id %s --http-method GET "
                  "--authorization-type NONE",
                  api, res);
    assert_sent(w, out, want);
    free(want);

    cJSON *tpl = json("{\"application/json\":\"{\\\"statusCode\\\": 200}\"}");
    apigw_integration_in in = {.request_templates = tpl};
    assert_int_equal(
        CLIENT_SYNC(w->cl, &out, &e, apigw_put_integration, api, res, "GET", "MOCK", &in), 0);
    cJSON_Delete(tpl);
    want = xasprintf("aws apigateway put-integration --rest-api-id %s --resource-id %s "
                     "--http-method GET --type MOCK --request-templates "
                     "'{\"application/json\":\"{\\\"statusCode\\\": 200}\"}'",
                     api, res);
    assert_sent(w, out, want);
    free(want);

    apigw_deployment_in d = {.stage_name = "dev"};
    assert_int_equal(CLIENT_SYNC(w->cl, &out, &e, apigw_create_deployment, api, &d), 0);
    want = xasprintf("aws apigateway create-deployment --rest-api-id %s --stage-name dev", api);
    assert_sent(w, out, want);
    free(want);

    apigw_patch *p = apigw_patch_new();
    apigw_patch_replace(p, "/variables/lambdaAlias", "dev");
    assert_int_equal(CLIENT_SYNC(w->cl, &out, &e, apigw_update_stage, api, "dev", p), 0);
    want =
        xasprintf("aws apigateway update-stage --rest-api-id %s --stage-name dev "
                  "--patch-operations "
                  "'[{\"op\":\"replace\",\"path\":\"/variables/lambdaAlias\",\"value\":\"dev\"}]'",
                  api);
    assert_sent(w, out, want);
    free(want);

    apigw_api_key_in key = {.name = "LabKey", .enabled = true};
    assert_int_equal(CLIENT_SYNC(w->cl, &out, &e, apigw_create_api_key, &key), 0);
    assert_sent(w, out, "aws apigateway create-api-key --name LabKey --enabled");

    /* Reads are not reported; every write was, sent and finished. */
    assert_int_equal(CLIENT_SYNC(w->cl, &out, &e, apigw_get_rest_api, api), 0);
    cJSON_Delete(out);
    assert_int_equal(w->sent, 7);
    assert_int_equal(w->done, 7);
    free(api);
    free(root);
    free(res);
}

static void client_usage_plan_and_lambda_commands(void **state) {
    watch *w = *state;
    cJSON *out = NULL;
    err e;
    apigw_api_stage st[] = {{"a1b2c3", "dev"}};
    apigw_usage_plan_in in = {.api_stages = st,
                              .n_api_stages = 1,
                              .throttle =
                                  &(apigw_throttle){.rate_limit = 10000, .burst_limit = 5000},
                              .quota = &(apigw_quota){.limit = 1000, .period = "DAY"}};
    /* The API does not exist: the command is shown all the same. */
    CLIENT_SYNC(w->cl, &out, &e, apigw_create_usage_plan, "CloudAcademyPlan", &in);
    assert_sent(w, out,
                "aws apigateway create-usage-plan --name CloudAcademyPlan --api-stages "
                "'[{\"apiId\":\"a1b2c3\",\"stage\":\"dev\"}]' --throttle "
                "'{\"burstLimit\":5000,\"rateLimit\":10000}' --quota "
                "'{\"limit\":1000,\"offset\":0,\"period\":\"DAY\"}'");

    CLIENT_SYNC(w->cl, &out, &e, apigw_create_usage_plan_key, "plan1", "key1", "API_KEY");
    assert_sent(w, out,
                "aws apigateway create-usage-plan-key --usage-plan-id plan1 --key-id key1 "
                "--key-type API_KEY");

    static const unsigned char zip[] = "PK\3\4";
    lambda_function_in fn = {.runtime = "python3.12", .handler = "lambda_function.lambda_handler"};
    CLIENT_SYNC(w->cl, &out, &e, lambda_create_function, "ItemsFunction", ROLE, zip, 4, &fn);
    assert_sent(w, out,
                "aws lambda create-function --function-name ItemsFunction --runtime python3.12 "
                "--role " ROLE " --handler lambda_function.lambda_handler --zip-file "
                "fileb://ItemsFunction.zip");

    CLIENT_SYNC(w->cl, &out, &e, lambda_publish_version, "ItemsFunction", NULL);
    assert_sent(w, out, "aws lambda publish-version --function-name ItemsFunction");

    cJSON *weights = json("{\"2\":0.1}");
    lambda_alias_in al = {.weights = weights};
    CLIENT_SYNC(w->cl, &out, &e, lambda_create_alias, "ItemsFunction", "prod", "1", &al);
    cJSON_Delete(weights);
    assert_sent(w, out,
                "aws lambda create-alias --function-name ItemsFunction --name prod "
                "--function-version 1 --routing-config "
                "'{\"AdditionalVersionWeights\":{\"2\":0.1}}'");

    lambda_permission_in pin = {.source_arn =
                                    "arn:aws:execute-api:us-west-2:123456789012:a1b2c3/*/GET/items",
                                .qualifier = "prod"};
    CLIENT_SYNC(w->cl, &out, &e, lambda_add_permission, "ItemsFunction", "apigateway-prod",
                "lambda:InvokeFunction", "apigateway.amazonaws.com", &pin);
    assert_sent(w, out,
                "aws lambda add-permission --function-name ItemsFunction --statement-id "
                "apigateway-prod --action lambda:InvokeFunction --principal "
                "apigateway.amazonaws.com --source-arn "
                "'arn:aws:execute-api:us-west-2:123456789012:a1b2c3/*/GET/items' --qualifier prod");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kebab_follows_the_cli),
        cmocka_unit_test(options_carry_the_cli_renames),
        cmocka_unit_test(quotes_only_what_needs_it),
        cmocka_unit_test(hostile_values_survive_the_shell),
        cmocka_unit_test(hostile_json_survives_the_shell),
        cmocka_unit_test(hostile_list_elements_survive_the_shell),
        cmocka_unit_test(booleans_are_flags),
        cmocka_unit_test(numbers_are_plain),
        cmocka_unit_test(lists_of_strings_go_word_by_word),
        cmocka_unit_test(query_maps_take_the_other_parameters),
        cmocka_unit_test(header_members_are_left_out),
        cmocka_unit_test(zip_files_are_named_after_the_function),
        cmocka_unit_test(unknown_operation_gives_bare_aws),
        cmocka_unit_test(lab_api_gateway_commands),
        cmocka_unit_test(lab_lambda_commands),
        cmocka_unit_test_setup_teardown(client_requests_show_the_lab_commands, watch_setup,
                                        watch_teardown),
        cmocka_unit_test_setup_teardown(client_usage_plan_and_lambda_commands, watch_setup,
                                        watch_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
