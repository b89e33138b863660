/* The emulator's Lambda function API: CreateFunction, GetFunction,
 * GetFunctionConfiguration, ListFunctions, DeleteFunction,
 * UpdateFunctionCode, UpdateFunctionConfiguration, GetAccountSettings, and
 * the deployment package helpers. */
#include "fixture.h"
#include "lab.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/zipcode.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"

#define FN "/2015-03-31/functions"
#define ACCOUNT "123456789012"
#define ARN_PREFIX "arn:aws:lambda:us-west-2:123456789012:function:"

static const char LAB_CODE[] = "items = [{\"ID\": 1, \"name\": \"Pen\", \"price\": 2.5}]\n"
                               "def lambda_handler(event, context):\n"
                               "    return items\n";

/* base64(SHA-256) computed here with OpenSSL, independently of zipcode.c. */
static void sha256_b64(const unsigned char *d, size_t n, char out[64]) {
    unsigned char md[32];
    unsigned int mdlen;
    EVP_Digest(d, n, md, &mdlen, EVP_sha256(), NULL);
    EVP_EncodeBlock((unsigned char *)out, md, (int)mdlen);
}

/* CreateFunction with the lab's settings plus extra JSON members. */
static int create_fn(fixture *fx, const char *name, const char *zip, const char *extra,
                     cJSON **out) {
    char *body = lab_function_body(name, zip, extra);
    int st = fx_call(fx, "POST", FN, body, out);
    free(body);
    return st;
}

static fixture *lab_fixture(char **zip) {
    fixture *fx = fixture_new(NULL);
    *zip = zip_one_base64("lambda_function.py", LAB_CODE, NULL, NULL);
    assert_int_equal(create_fn(fx, "ItemsFunction", *zip, NULL, NULL), 201);
    return fx;
}

/* Lambda's modelled errors carry Type "User"; the message member is
 * spelled as the model spells it. */
static void assert_lambda_body(fixture *fx, const char *member) {
    cJSON *b = cJSON_Parse(fx_body(fx));
    assert_string_equal(json_str(b, "Type"), "User");
    assert_non_null(json_str(b, member));
    cJSON_Delete(b);
}

/* --- CreateFunction ------------------------------------------------------- */

static void create_returns_every_member(void **state) {
    fixture *fx = fixture_new(NULL);
    unsigned char *raw;
    size_t rawlen;
    char *zip = zip_one_base64("lambda_function.py", LAB_CODE, &raw, &rawlen);
    cJSON *b = NULL;
    assert_int_equal(create_fn(fx, "ItemsFunction", zip, NULL, &b), 201);
    assert_string_equal(json_str(b, "FunctionName"), "ItemsFunction");
    assert_string_equal(json_str(b, "FunctionArn"), ARN_PREFIX "ItemsFunction");
    assert_string_equal(json_str(b, "Runtime"), "python3.13");
    assert_string_equal(json_str(b, "Role"), LAB_ROLE);
    assert_string_equal(json_str(b, "Handler"), "lambda_function.lambda_handler");
    assert_int_equal((size_t)json_num_or(b, "CodeSize", -1), rawlen);
    assert_string_equal(json_str(b, "Description"), "");
    assert_int_equal(json_num_or(b, "Timeout", 0), 3);
    assert_int_equal(json_num_or(b, "MemorySize", 0), 128);
    assert_string_equal(json_str(b, "LastModified"), "2026-11-30T00:00:00.000+0000");
    char sha[64];
    sha256_b64(raw, rawlen, sha);
    assert_string_equal(json_str(b, "CodeSha256"), sha);
    assert_string_equal(json_str(b, "Version"), "$LATEST");
    assert_false(json_has(b, "Environment")); /* only when one was given */
    assert_string_equal(json_str(json_obj(b, "TracingConfig"), "Mode"), "PassThrough");
    const char *rev = json_str(b, "RevisionId");
    assert_int_equal(strlen(rev), 36);
    assert_int_equal(rev[14], '4');
    assert_string_equal(json_str(b, "State"), "Active");
    assert_string_equal(json_str(b, "LastUpdateStatus"), "Successful");
    assert_string_equal(json_str(b, "PackageType"), "Zip");
    cJSON *arch = json_arr(b, "Architectures");
    assert_int_equal(cJSON_GetArraySize(arch), 1);
    assert_string_equal(cJSON_GetArrayItem(arch, 0)->valuestring, "x86_64");
    assert_int_equal(json_num_or(json_obj(b, "EphemeralStorage"), "Size", 0), 512);
    assert_string_equal(json_str(json_obj(b, "SnapStart"), "ApplyOn"), "None");
    assert_string_equal(json_str(json_obj(b, "SnapStart"), "OptimizationStatus"), "Off");
    assert_string_equal(json_str(json_obj(b, "LoggingConfig"), "LogFormat"), "Text");
    assert_string_equal(json_str(json_obj(b, "LoggingConfig"), "LogGroup"),
                        "/aws/lambda/ItemsFunction");
    const char *rv = json_str(json_obj(b, "RuntimeVersionConfig"), "RuntimeVersionArn");
    assert_non_null(rv);
    assert_true(str_starts(rv, "arn:aws:lambda:us-west-2::runtime:"));
    assert_int_equal(strlen(rv), strlen("arn:aws:lambda:us-west-2::runtime:") + 64);
    assert_no_private(b);
    assert_string_equal(fx_header(fx, "Content-Type"), "application/json");
    cJSON_Delete(b);
    free(raw);
    free(zip);
    fixture_free(fx);
}

static void create_takes_options(void **state) {
    fixture *fx = fixture_new(NULL);
    char *zip = zip_one_base64("lambda_function.py", LAB_CODE, NULL, NULL);
    cJSON *b = NULL;
    assert_int_equal(
        create_fn(fx, "Opts", zip,
                  "\"Timeout\":10,\"MemorySize\":256,\"Description\":\"items\","
                  "\"Environment\":{\"Variables\":{\"TABLE\":\"items\"}},"
                  "\"TracingConfig\":{\"Mode\":\"Active\"},\"Architectures\":[\"arm64\"],"
                  "\"Tags\":{\"lab\":\"003\"}",
                  &b),
        201);
    assert_int_equal(json_num_or(b, "Timeout", 0), 10);
    assert_int_equal(json_num_or(b, "MemorySize", 0), 256);
    assert_string_equal(json_str(b, "Description"), "items");
    assert_string_equal(json_str(json_obj(json_obj(b, "Environment"), "Variables"), "TABLE"),
                        "items");
    assert_string_equal(json_str(json_obj(b, "TracingConfig"), "Mode"), "Active");
    assert_string_equal(cJSON_GetArrayItem(json_arr(b, "Architectures"), 0)->valuestring, "arm64");
    assert_false(json_has(b, "Tags")); /* tags are GetFunction's */
    cJSON_Delete(b);
    assert_int_equal(fx_call(fx, "GET", FN "/Opts", NULL, &b), 200);
    assert_string_equal(json_str(json_obj(b, "Tags"), "lab"), "003");
    cJSON_Delete(b);
    free(zip);
    fixture_free(fx);
}

static void create_refuses_what_lambda_refuses(void **state) {
    char *zip;
    fixture *fx = lab_fixture(&zip);
    char *body;

    assert_int_equal(create_fn(fx, "ItemsFunction", zip, NULL, NULL), 409);
    assert_fx_message(fx, 409, "ResourceConflictException",
                      "Function already exist: ItemsFunction");
    assert_lambda_body(fx, "message");

    body = xasprintf("{\"FunctionName\":\"Other\",\"Runtime\":\"python3.13\",\"Role\":"
                     "\"arn:aws:iam::123456789012:role/admin\",\"Handler\":\"h.h\",\"Code\":"
                     "{\"ZipFile\":\"%s\"}}",
                     zip);
    assert_int_equal(fx_call(fx, "POST", FN, body, NULL), 400);
    free(body);
    assert_fx_message(fx, 400, "InvalidParameterValueException",
                      "The role defined for the function cannot be assumed by Lambda.");
    assert_lambda_body(fx, "message");

    body = xasprintf("{\"FunctionName\":\"Other\",\"Runtime\":\"python3.13\",\"Role\":\"r1\","
                     "\"Handler\":\"h.h\",\"Code\":{\"ZipFile\":\"%s\"}}",
                     zip);
    fx_call(fx, "POST", FN, body, NULL);
    free(body);
    assert_fx_message(
        fx, 400, "ValidationException",
        "1 validation error detected: Value 'r1' at 'role' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: "
        "arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+");

    assert_int_equal(create_fn(fx, "Other", "UEsDBAo=", NULL, NULL), 400);
    assert_fx_message(
        fx, 400, "InvalidParameterValueException",
        "Could not unzip uploaded file. Please check your file, then try to upload again.");
    assert_int_equal(create_fn(fx, "Other", "not base64!", NULL, NULL), 400);
    assert_string_equal(fx_error_type(fx), "InvalidParameterValueException");

    assert_int_equal(fx_call(fx, "POST", FN, "{\"FunctionName\":\"Other\"}", NULL), 400);
    assert_fx_message(fx, 400, "ValidationException",
                      "2 validation errors detected: Value null at 'role' failed to satisfy "
                      "constraint: Member must not be null; Value null at 'code' failed to satisfy "
                      "constraint: Member must not be null");
    cJSON *vb = cJSON_Parse(fx_body(fx));
    assert_false(json_has(vb, "Type")); /* not one of Lambda's modelled errors */
    cJSON_Delete(vb);
    fixture_free(fx);
    free(zip);
}

static void create_checks_runtime_and_name(void **state) {
    char *zip;
    fixture *fx = lab_fixture(&zip);
    char *body = xasprintf("{\"FunctionName\":\"Other\",\"Runtime\":\"python9\",\"Role\":\"%s\","
                           "\"Handler\":\"h.h\",\"Code\":{\"ZipFile\":\"%s\"}}",
                           LAB_ROLE, zip);
    fx_call(fx, "POST", FN, body, NULL);
    free(body);
    assert_string_equal(fx_error_type(fx), "InvalidParameterValueException");
    assert_true(str_starts(fx_message(fx),
                           "Value python9 at 'runtime' failed to satisfy constraint: "
                           "Member must satisfy enum value set: [nodejs20.x, "));
    assert_true(str_ends(fx_message(fx), "] or be a valid ARN"));
    assert_non_null(strstr(fx_message(fx), "python3.13"));

    body = xasprintf("{\"FunctionName\":\"Other\",\"Runtime\":\"python3.7\",\"Role\":\"%s\","
                     "\"Handler\":\"h.h\",\"Code\":{\"ZipFile\":\"%s\"}}",
                     LAB_ROLE, zip);
    fx_call(fx, "POST", FN, body, NULL);
    free(body);
    assert_fx_message(fx, 400, "InvalidParameterValueException",
                      "The runtime parameter of python3.7 is no longer supported for creating or "
                      "updating AWS Lambda functions. We recommend you use the new runtime "
                      "(python3.12) while creating or updating functions.");

    body = xasprintf("{\"FunctionName\":\"Other\",\"Runtime\":\"python3.13\",\"Role\":\"%s\","
                     "\"Code\":{\"ZipFile\":\"%s\"}}",
                     LAB_ROLE, zip);
    fx_call(fx, "POST", FN, body, NULL);
    free(body);
    assert_fx_message(fx, 400, "InvalidParameterValueException",
                      "Runtime and Handler are mandatory parameters for functions created with "
                      "deployment packages.");

    create_fn(fx, "bad name!", zip, NULL, NULL);
    assert_string_equal(fx_error_type(fx), "ValidationException");
    assert_true(str_starts(fx_message(fx), "1 validation error detected: Value 'bad name!' at "
                                           "'functionName' failed to satisfy constraint: Member "
                                           "must satisfy regular expression pattern: "));

    char long_name[66];
    memset(long_name, 'f', 65);
    long_name[65] = '\0';
    create_fn(fx, long_name, zip, NULL, NULL);
    char want[300];
    snprintf(want, sizeof want,
             "1 validation error detected: Value '%s' at 'functionName' failed to satisfy "
             "constraint: Member must have length less than or equal to 64",
             long_name);
    assert_fx_message(fx, 400, "InvalidParameterValueException", want);

    /* A full ARN names the function too. */
    assert_int_equal(create_fn(fx, ARN_PREFIX "ByArn", zip, NULL, NULL), 201);
    assert_int_equal(fx_call(fx, "GET", FN "/ByArn", NULL, NULL), 200);
    fixture_free(fx);
    free(zip);
}

static void create_checks_limits_and_environment(void **state) {
    char *zip;
    fixture *fx = lab_fixture(&zip);
    create_fn(fx, "Other", zip, "\"Timeout\":0", NULL);
    assert_fx_message(fx, 400, "ValidationException",
                      "1 validation error detected: Value '0' at 'timeout' failed to satisfy "
                      "constraint: Member must have value greater than or equal to 1");
    create_fn(fx, "Other", zip, "\"Timeout\":901", NULL);
    assert_fx_message(fx, 400, "ValidationException",
                      "1 validation error detected: Value '901' at 'timeout' failed to satisfy "
                      "constraint: Member must have value less than or equal to 900");
    create_fn(fx, "Other", zip, "\"MemorySize\":64", NULL);
    assert_fx_message(fx, 400, "ValidationException",
                      "1 validation error detected: Value '64' at 'memorySize' failed to satisfy "
                      "constraint: Member must have value greater than or equal to 128");
    create_fn(fx, "Other", zip, "\"MemorySize\":20000", NULL);
    assert_fx_message(
        fx, 400, "InvalidParameterValueException",
        "'MemorySize' value failed to satisfy constraint: Member must have value less "
        "than or equal to 10240");
    create_fn(fx, "Other", zip,
              "\"Environment\":{\"Variables\":{\"AWS_REGION\":\"x\",\"OK\":\"y\"}}", NULL);
    assert_fx_message(fx, 400, "InvalidParameterValueException",
                      "Lambda was unable to configure your environment variables because the "
                      "environment variables you have provided contains reserved keys that are "
                      "currently not supported for modification. Reserved keys used in this "
                      "request: AWS_REGION");
    create_fn(fx, "Other", zip, "\"Environment\":{\"Variables\":{\"1X\":\"x\"}}", NULL);
    assert_string_equal(fx_error_type(fx), "ValidationException");
    assert_non_null(strstr(fx_message(fx), "'environment.variables'"));

    char *big = xmalloc(5000);
    memset(big, 'x', 4999);
    big[4999] = '\0';
    char *extra = xasprintf("\"Environment\":{\"Variables\":{\"LARGE\":\"%s\"}}", big);
    create_fn(fx, "Other", zip, extra, NULL);
    assert_string_equal(fx_error_type(fx), "InvalidParameterValueException");
    assert_true(str_starts(fx_message(fx),
                           "Lambda was unable to configure your environment variables because the "
                           "environment variables you have provided exceeded the 4KB limit. String "
                           "measured: {\"LARGE\":\"xxx"));
    free(extra);
    free(big);

    /* Nothing of the refused requests stayed. */
    cJSON *b = NULL;
    fx_call(fx, "GET", FN, NULL, &b);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "Functions")), 1);
    cJSON_Delete(b);
    fixture_free(fx);
    free(zip);
}

/* --- GetFunction / GetFunctionConfiguration -------------------------------- */

/* GetFunction's Code.Location downloads the version's zip, as a presigned
 * S3 URL does. */
static void code_location_serves_the_zip(void **state) {
    fixture *fx = fixture_new(NULL);
    unsigned char *raw;
    size_t rawlen;
    char *zip = zip_one_base64("lambda_function.py", LAB_CODE, &raw, &rawlen);
    assert_int_equal(create_fn(fx, "ItemsFunction", zip, NULL, NULL), 201);
    assert_int_equal(fx_call(fx, "POST", FN "/ItemsFunction/versions", "{}", NULL), 201);
    /* $LATEST changes after version 1 was published. */
    unsigned char *raw2;
    size_t rawlen2;
    char *zip2 = zip_one_base64("lambda_function.py", "def lambda_handler(e, c):\n    return 2\n",
                                &raw2, &rawlen2);
    char *body = xasprintf("{\"ZipFile\":\"%s\"}", zip2);
    assert_int_equal(fx_call(fx, "PUT", FN "/ItemsFunction/code", body, NULL), 200);
    struct {
        const char *qualifier;
        const unsigned char *bytes;
        size_t len;
    } cases[] = {{"1", raw, rawlen}, {NULL, raw2, rawlen2}};
    for (size_t i = 0; i < 2; i++) {
        cJSON *b = NULL;
        char path[128];
        snprintf(path, sizeof path, FN "/ItemsFunction%s%s", cases[i].qualifier ? "?Qualifier=" : "",
                 cases[i].qualifier ? cases[i].qualifier : "");
        assert_int_equal(fx_call(fx, "GET", path, NULL, &b), 200);
        const char *loc = json_str(json_obj(b, "Code"), "Location");
        assert_true(strncmp(loc, "http://127.0.0.1:4566/", 22) == 0);
        assert_int_equal(fx_call(fx, "GET", loc + strlen("http://127.0.0.1:4566"), NULL, NULL), 200);
        assert_string_equal(fx_header(fx, "Content-Type"), "application/zip");
        assert_int_equal(fx->last.body_len, cases[i].len);
        assert_memory_equal(fx->last.body, cases[i].bytes, cases[i].len);
        cJSON_Delete(b);
    }
    /* Unknown functions and malformed code paths are Lambda's not-found. */
    assert_int_equal(fx_call(fx, "GET", "/_apigw-console/lambda-code/us-west-2/Nope/%24LATEST.zip", NULL, NULL), 404);
    assert_string_equal(fx_error_type(fx), "ResourceNotFoundException");
    assert_int_equal(fx_call(fx, "GET", "/_apigw-console/lambda-code/us-west-2/ItemsFunction", NULL, NULL), 404);
    free(body);
    free(zip);
    free(zip2);
    free(raw);
    free(raw2);
    fixture_free(fx);
}

static void get_function_returns_configuration_and_code(void **state) {
    char *zip;
    fixture *fx = lab_fixture(&zip);
    cJSON *b = NULL;
    assert_int_equal(fx_call(fx, "GET", FN "/ItemsFunction", NULL, &b), 200);
    cJSON *cfg = json_obj(b, "Configuration");
    assert_string_equal(json_str(cfg, "FunctionArn"), ARN_PREFIX "ItemsFunction");
    assert_string_equal(json_str(cfg, "State"), "Active");
    cJSON *code = json_obj(b, "Code");
    assert_string_equal(json_str(code, "RepositoryType"), "S3");
    assert_string_equal(json_str(code, "Location"),
                        "http://127.0.0.1:4566/_apigw-console/lambda-code/us-west-2/ItemsFunction/"
                        "%24LATEST.zip");
    assert_false(json_has(b, "Tags"));
    assert_no_private(b);
    cJSON_Delete(b);

    /* By full ARN, partial ARN, and with $LATEST. */
    assert_int_equal(
        fx_call(fx, "GET",
                FN "/arn%3Aaws%3Alambda%3Aus-west-2%3A123456789012%3Afunction%3AItemsFunction",
                NULL, &b),
        200);
    assert_string_equal(json_str(json_obj(b, "Configuration"), "FunctionName"), "ItemsFunction");
    cJSON_Delete(b);
    assert_int_equal(
        fx_call(fx, "GET", FN "/123456789012%3Afunction%3AItemsFunction/configuration", NULL, &b),
        200);
    assert_string_equal(json_str(b, "FunctionArn"), ARN_PREFIX "ItemsFunction");
    cJSON_Delete(b);
    assert_int_equal(
        fx_call(fx, "GET", FN "/ItemsFunction/configuration?Qualifier=%24LATEST", NULL, &b), 200);
    assert_string_equal(json_str(b, "FunctionArn"), ARN_PREFIX "ItemsFunction:$LATEST");
    assert_string_equal(json_str(b, "Version"), "$LATEST");
    assert_no_private(b);
    cJSON_Delete(b);
    fixture_free(fx);
    free(zip);
}

static void get_function_not_found_as_aws(void **state) {
    char *zip;
    fixture *fx = lab_fixture(&zip);
    fx_call(fx, "GET", FN "/Nope", NULL, NULL);
    assert_fx_message(fx, 404, "ResourceNotFoundException",
                      "Function not found: " ARN_PREFIX "Nope");
    assert_lambda_body(fx, "Message");
    fx_call(fx, "GET", FN "/ItemsFunction?Qualifier=7", NULL, NULL);
    assert_fx_message(fx, 404, "ResourceNotFoundException",
                      "Function not found: " ARN_PREFIX "ItemsFunction:7");
    fx_call(fx, "GET", FN "/ItemsFunction%3Aprod/configuration", NULL, NULL);
    assert_fx_message(fx, 404, "ResourceNotFoundException",
                      "Function not found: " ARN_PREFIX "ItemsFunction:prod");
    fx_call(fx, "GET", FN "/ItemsFunction%3A1/configuration?Qualifier=2", NULL, NULL);
    assert_fx_message(fx, 400, "InvalidParameterValueException",
                      "The derived qualifier from the function name does not match the specified "
                      "qualifier.");
    fx_call(fx, "GET",
            FN "/arn%3Aaws%3Alambda%3Aeu-west-1%3A123456789012%3Afunction%3AItemsFunction", NULL,
            NULL);
    assert_fx_message(fx, 404, "ResourceNotFoundException",
                      "Functions from 'eu-west-1' are not reachable in this region ('us-west-2')");
    fx_call(fx, "GET", FN "/bad%20name", NULL, NULL);
    assert_string_equal(fx_error_type(fx), "ValidationException");
    fx_call(fx, "GET", FN "/ItemsFunction?Qualifier=a%21b", NULL, NULL);
    assert_string_equal(fx_error_type(fx), "ValidationException");
    fixture_free(fx);
    free(zip);
}

/* --- ListFunctions ------------------------------------------------------- */

static void list_functions_pages(void **state) {
    char *zip;
    fixture *fx = lab_fixture(&zip);
    for (int i = 1; i <= 4; i++) {
        char name[16];
        snprintf(name, sizeof name, "Fn%d", i);
        assert_int_equal(create_fn(fx, name, zip, NULL, NULL), 201);
    }
    char seen[5][64];
    int count = 0;
    char *marker = NULL;
    do {
        cJSON *b = NULL;
        char path[512];
        if (marker)
            snprintf(path, sizeof path, FN "?MaxItems=2&Marker=%s", marker);
        else
            snprintf(path, sizeof path, FN "?MaxItems=2");
        free(marker);
        marker = NULL;
        assert_int_equal(fx_call(fx, "GET", path, NULL, &b), 200);
        cJSON *f;
        assert_true(cJSON_GetArraySize(json_arr(b, "Functions")) <= 2);
        cJSON_ArrayForEach(f, json_arr(b, "Functions")) {
            assert_true(count < 5);
            snprintf(seen[count++], 64, "%s", json_str(f, "FunctionName"));
            assert_false(json_has(f, "State"));
            assert_false(json_has(f, "LastUpdateStatus"));
            assert_false(json_has(f, "RuntimeVersionConfig"));
            assert_non_null(json_str(f, "CodeSha256"));
        }
        if (json_str(b, "NextMarker")) marker = url_encode(json_str(b, "NextMarker"), false);
        assert_no_private(b);
        cJSON_Delete(b);
    } while (marker);
    assert_int_equal(count, 5);
    assert_string_equal(seen[0], "ItemsFunction");
    assert_string_equal(seen[4], "Fn4");

    cJSON *b = NULL;
    fx_call(fx, "GET", FN "?Marker=nothing-like-this", NULL, &b);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "Functions")), 0);
    assert_false(json_has(b, "NextMarker"));
    cJSON_Delete(b);
    fx_call(fx, "GET", FN "?MaxItems=0", NULL, NULL);
    assert_fx_message(fx, 400, "ValidationException",
                      "1 validation error detected: Value '0' at 'maxItems' failed to satisfy "
                      "constraint: Member must have value greater than or equal to 1");
    fx_call(fx, "GET", FN "?FunctionVersion=invalid", NULL, NULL);
    assert_fx_message(fx, 400, "ValidationException",
                      "1 validation error detected: Value 'invalid' at 'functionVersion' failed to "
                      "satisfy constraint: Member must satisfy enum value set: [ALL]");
    fixture_free(fx);
    free(zip);
}

static void list_functions_all_versions_and_page_cap(void **state) {
    char *zip;
    fixture *fx = lab_fixture(&zip);
    assert_int_equal(fx_call(fx, "POST", FN "/ItemsFunction/versions", "{}", NULL), 201);
    cJSON *b = NULL;
    fx_call(fx, "GET", FN "?FunctionVersion=ALL", NULL, &b);
    cJSON *fs = json_arr(b, "Functions");
    assert_int_equal(cJSON_GetArraySize(fs), 2);
    assert_string_equal(json_str(cJSON_GetArrayItem(fs, 0), "FunctionArn"),
                        ARN_PREFIX "ItemsFunction:$LATEST");
    assert_string_equal(json_str(cJSON_GetArrayItem(fs, 1), "FunctionArn"),
                        ARN_PREFIX "ItemsFunction:1");
    assert_string_equal(json_str(cJSON_GetArrayItem(fs, 1), "Version"), "1");
    cJSON_Delete(b);
    fx_call(fx, "GET", FN, NULL, &b);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "Functions")), 1);
    assert_string_equal(json_str(cJSON_GetArrayItem(json_arr(b, "Functions"), 0), "FunctionArn"),
                        ARN_PREFIX "ItemsFunction");
    cJSON_Delete(b);

    for (int i = 0; i < 55; i++) {
        char name[16];
        snprintf(name, sizeof name, "F%02d", i);
        assert_int_equal(create_fn(fx, name, zip, NULL, NULL), 201);
    }
    fx_call(fx, "GET", FN "?MaxItems=100", NULL, &b);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "Functions")), 50);
    assert_non_null(json_str(b, "NextMarker"));
    cJSON_Delete(b);
    fixture_free(fx);
    free(zip);
}

/* --- DeleteFunction -------------------------------------------------------- */

static void delete_function_and_versions(void **state) {
    char *zip;
    fixture *fx = lab_fixture(&zip);
    fx_call(fx, "DELETE", FN "/ItemsFunction?Qualifier=%24LATEST", NULL, NULL);
    assert_fx_message(fx, 400, "InvalidParameterValueException",
                      "$LATEST version cannot be deleted without deleting the function.");
    assert_int_equal(fx_call(fx, "POST", FN "/ItemsFunction/versions", "{}", NULL), 201);
    assert_int_equal(fx_call(fx, "POST", FN "/ItemsFunction/aliases",
                             "{\"Name\":\"prod\",\"FunctionVersion\":\"1\"}", NULL),
                     201);
    fx_call(fx, "DELETE", FN "/ItemsFunction?Qualifier=1", NULL, NULL);
    assert_fx_message(
        fx, 409, "ResourceConflictException",
        "Unable to delete version because the following aliases reference it: [prod]");
    assert_int_equal(fx_call(fx, "DELETE", FN "/ItemsFunction/aliases/prod", NULL, NULL), 204);
    assert_int_equal(fx_call(fx, "DELETE", FN "/ItemsFunction?Qualifier=1", NULL, NULL), 204);
    assert_int_equal(fx->last.body_len, 0);
    fx_call(fx, "GET", FN "/ItemsFunction?Qualifier=1", NULL, NULL);
    assert_int_equal(fx->last.status, 404);
    assert_int_equal(fx_call(fx, "GET", FN "/ItemsFunction", NULL, NULL), 200);

    assert_int_equal(fx_call(fx, "DELETE", FN "/ItemsFunction", NULL, NULL), 204);
    fx_call(fx, "GET", FN "/ItemsFunction", NULL, NULL);
    assert_fx_message(fx, 404, "ResourceNotFoundException",
                      "Function not found: " ARN_PREFIX "ItemsFunction");
    fx_call(fx, "DELETE", FN "/ItemsFunction?Qualifier=1", NULL, NULL);
    assert_fx_message(fx, 404, "ResourceNotFoundException",
                      "Function not found: " ARN_PREFIX "ItemsFunction");
    /* The name is free again. */
    assert_int_equal(create_fn(fx, "ItemsFunction", zip, NULL, NULL), 201);
    fixture_free(fx);
    free(zip);
}

/* --- UpdateFunctionCode / UpdateFunctionConfiguration ---------------------- */

static void update_code_changes_code_revision_and_time(void **state) {
    char *zip;
    fixture *fx = lab_fixture(&zip);
    cJSON *before = NULL, *after = NULL;
    fx_call(fx, "GET", FN "/ItemsFunction/configuration", NULL, &before);
    fx->clock.ms += 60000;
    unsigned char *raw;
    size_t rawlen;
    char *zip2 = zip_one_base64("lambda_function.py", "def lambda_handler(e, c):\n    return 2\n",
                                &raw, &rawlen);
    char *body = xasprintf("{\"ZipFile\":\"%s\"}", zip2);
    assert_int_equal(fx_call(fx, "PUT", FN "/ItemsFunction/code", body, &after), 200);
    free(body);
    char sha[64];
    sha256_b64(raw, rawlen, sha);
    assert_string_equal(json_str(after, "CodeSha256"), sha);
    assert_int_equal((size_t)json_num_or(after, "CodeSize", 0), rawlen);
    assert_string_not_equal(json_str(after, "RevisionId"), json_str(before, "RevisionId"));
    assert_string_equal(json_str(after, "LastModified"), "2026-11-30T00:01:00.000+0000");
    assert_string_equal(json_str(after, "FunctionArn"), ARN_PREFIX "ItemsFunction");
    assert_no_private(after);

    /* The stale RevisionId is refused. */
    body = xasprintf("{\"ZipFile\":\"%s\",\"RevisionId\":\"%s\"}", zip,
                     json_str(before, "RevisionId"));
    fx_call(fx, "PUT", FN "/ItemsFunction/code", body, NULL);
    free(body);
    assert_fx_message(fx, 412, "PreconditionFailedException",
                      "The Revision Id provided does not match the latest Revision Id. Call the "
                      "GetFunction/GetAlias API to retrieve the latest Revision Id");
    assert_lambda_body(fx, "message");

    fx_call(fx, "PUT", FN "/ItemsFunction/code", "{\"ZipFile\":\"aGVsbG8=\"}", NULL);
    assert_fx_message(
        fx, 400, "InvalidParameterValueException",
        "Could not unzip uploaded file. Please check your file, then try to upload again.");
    fx_call(fx, "PUT", FN "/Nope/code", "{\"ZipFile\":\"aGVsbG8=\"}", NULL);
    assert_fx_message(fx, 404, "ResourceNotFoundException",
                      "Function not found: " ARN_PREFIX "Nope");

    /* Publish=true answers with the new version. */
    body = xasprintf("{\"ZipFile\":\"%s\",\"Publish\":true}", zip);
    cJSON *pub = NULL;
    assert_int_equal(fx_call(fx, "PUT", FN "/ItemsFunction/code", body, &pub), 200);
    free(body);
    assert_string_equal(json_str(pub, "Version"), "1");
    assert_string_equal(json_str(pub, "FunctionArn"), ARN_PREFIX "ItemsFunction:1");
    assert_string_equal(json_str(pub, "CodeSha256"), json_str(before, "CodeSha256"));
    cJSON_Delete(pub);
    cJSON_Delete(before);
    cJSON_Delete(after);
    free(raw);
    free(zip2);
    fixture_free(fx);
    free(zip);
}

static void update_configuration_applies_members(void **state) {
    char *zip;
    fixture *fx = lab_fixture(&zip);
    cJSON *before = NULL, *b = NULL;
    fx_call(fx, "GET", FN "/ItemsFunction/configuration", NULL, &before);
    fx->clock.ms += 1500;
    assert_int_equal(fx_call(fx, "PUT", FN "/ItemsFunction/configuration",
                             "{\"Handler\":\"app.main\",\"Runtime\":\"python3.12\",\"Timeout\":30,"
                             "\"MemorySize\":512,\"Description\":\"v2\",\"Environment\":"
                             "{\"Variables\":{\"STAGE\":\"dev\"}}}",
                             &b),
                     200);
    assert_string_equal(json_str(b, "Handler"), "app.main");
    assert_string_equal(json_str(b, "Runtime"), "python3.12");
    assert_int_equal(json_num_or(b, "Timeout", 0), 30);
    assert_int_equal(json_num_or(b, "MemorySize", 0), 512);
    assert_string_equal(json_str(b, "Description"), "v2");
    assert_string_equal(json_str(json_obj(json_obj(b, "Environment"), "Variables"), "STAGE"),
                        "dev");
    assert_string_equal(json_str(b, "LastModified"), "2026-11-30T00:00:01.500+0000");
    assert_string_not_equal(json_str(b, "RevisionId"), json_str(before, "RevisionId"));
    assert_string_equal(json_str(b, "CodeSha256"), json_str(before, "CodeSha256"));
    assert_string_not_equal(
        json_str(json_obj(b, "RuntimeVersionConfig"), "RuntimeVersionArn"),
        json_str(json_obj(before, "RuntimeVersionConfig"), "RuntimeVersionArn"));
    assert_no_private(b);
    cJSON_Delete(b);

    char *body = xasprintf("{\"Timeout\":5,\"RevisionId\":\"%s\"}", json_str(before, "RevisionId"));
    fx_call(fx, "PUT", FN "/ItemsFunction/configuration", body, NULL);
    free(body);
    assert_string_equal(fx_error_type(fx), "PreconditionFailedException");
    fx_call(fx, "PUT", FN "/ItemsFunction/configuration", "{\"Runtime\":\"cobol\"}", NULL);
    assert_string_equal(fx_error_type(fx), "InvalidParameterValueException");
    fx_call(fx, "PUT", FN "/ItemsFunction/configuration",
            "{\"Role\":\"arn:aws:iam::123456789012:role/other\"}", NULL);
    assert_fx_message(fx, 400, "InvalidParameterValueException",
                      "The role defined for the function cannot be assumed by Lambda.");
    fx_call(fx, "PUT", FN "/ItemsFunction/configuration", "{\"Handler\":\"has space\"}", NULL);
    assert_string_equal(fx_error_type(fx), "ValidationException");
    /* None of the refused updates changed anything. */
    fx_call(fx, "GET", FN "/ItemsFunction/configuration", NULL, &b);
    assert_int_equal(json_num_or(b, "Timeout", 0), 30);
    assert_string_equal(json_str(b, "Runtime"), "python3.12");
    cJSON_Delete(b);
    cJSON_Delete(before);
    fixture_free(fx);
    free(zip);
}

static void account_settings_count_functions(void **state) {
    char *zip;
    fixture *fx = lab_fixture(&zip);
    cJSON *cfg = NULL, *b = NULL;
    fx_call(fx, "GET", FN "/ItemsFunction/configuration", NULL, &cfg);
    fx_call(fx, "POST", FN "/ItemsFunction/versions", "{}", NULL);
    assert_int_equal(fx_call(fx, "GET", "/2016-08-19/account-settings", NULL, &b), 200);
    assert_int_equal(json_num_or(json_obj(b, "AccountUsage"), "FunctionCount", 0), 1);
    assert_int_equal(json_num_or(json_obj(b, "AccountUsage"), "TotalCodeSize", 0),
                     2 * json_num_or(cfg, "CodeSize", 0));
    assert_int_equal(json_num_or(json_obj(b, "AccountLimit"), "ConcurrentExecutions", 0), 1000);
    cJSON_Delete(b);
    cJSON_Delete(cfg);
    fixture_free(fx);
    free(zip);
}

/* --- deployment packages ------------------------------------------------- */

static void zipcode_reads_and_checks(void **state) {
    unsigned char *raw;
    size_t rawlen;
    char *b64 = zip_one_base64("lambda_function.py", LAB_CODE, &raw, &rawlen);
    zipcode z;
    err e;
    assert_int_equal(zipcode_from_base64(b64, &z, &e), 0);
    assert_int_equal(z.len, rawlen);
    assert_memory_equal(z.data, raw, rawlen);
    assert_int_equal(z.unzipped, strlen(LAB_CODE));
    char sha[64];
    sha256_b64(raw, rawlen, sha);
    assert_string_equal(z.sha256, sha);
    zipcode_free(&z);

    char *text;
    size_t len;
    assert_int_equal(zipcode_read_file_b64(b64, "lambda_function.py", &text, &len, &e), 0);
    assert_int_equal(len, strlen(LAB_CODE));
    assert_string_equal(text, LAB_CODE);
    free(text);
    assert_true(zipcode_has_file(raw, rawlen, "lambda_function.py"));
    assert_false(zipcode_has_file(raw, rawlen, "index.js"));
    assert_int_equal(zipcode_read_file(raw, rawlen, "index.js", &text, &len, &e), -1);
    assert_string_equal(e.code, "NotFound");
    assert_null(text);

    assert_int_equal(zipcode_from_base64("aGVsbG8=", &z, &e), -1); /* "hello" */
    assert_string_equal(e.code, "InvalidZip");
    assert_int_equal(zipcode_from_base64("a$b", &z, &e), -1);
    assert_int_equal(zipcode_read_file_b64("???", "x", &text, &len, &e), -1);

    size_t n;
    unsigned char *d = zipcode_unbase64("aGVs\nbG8=", &n);
    assert_int_equal(n, 5);
    assert_memory_equal(d, "hello", 5);
    free(d);
    assert_null(zipcode_unbase64("aGVsbG8=x", &n));
    char *enc = zipcode_base64("hello", 5);
    assert_string_equal(enc, "aGVsbG8=");
    free(enc);
    free(raw);
    free(b64);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_returns_every_member),
        cmocka_unit_test(create_takes_options),
        cmocka_unit_test(create_refuses_what_lambda_refuses),
        cmocka_unit_test(create_checks_runtime_and_name),
        cmocka_unit_test(create_checks_limits_and_environment),
        cmocka_unit_test(get_function_returns_configuration_and_code),
        cmocka_unit_test(code_location_serves_the_zip),
        cmocka_unit_test(get_function_not_found_as_aws),
        cmocka_unit_test(list_functions_pages),
        cmocka_unit_test(list_functions_all_versions_and_page_cap),
        cmocka_unit_test(delete_function_and_versions),
        cmocka_unit_test(update_code_changes_code_revision_and_time),
        cmocka_unit_test(update_configuration_applies_members),
        cmocka_unit_test(account_settings_count_functions),
        cmocka_unit_test(zipcode_reads_and_checks),
    };
    return cmocka_run_group_tests_name("lambda_function", tests, NULL, NULL);
}
