/* The emulator's Lambda versions, aliases and resource-based policies, with
 * the lab's flow: ItemsFunction, version 1, aliases prod → 1 and dev →
 * $LATEST, API Gateway allowed to invoke each alias. */
#include "fixture.h"
#include "lab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"

#define FN "/2015-03-31/functions"
#define ITEMS FN "/ItemsFunction"
#define ARN "arn:aws:lambda:us-west-2:123456789012:function:ItemsFunction"
#define SOURCE_ARN "arn:aws:execute-api:us-west-2:123456789012:a1b2c3d4e5/*/GET/items"

/* Every call of these tests goes through fx_call_public, which checks the
 * body for private members. */

/* The lab's lambda_function.py as a base64 zip: the group state. */
static fixture *lab_function(void **state, bool publish) {
    const char *zip = *state;
    fixture *fx = fixture_new(NULL);
    char *body = lab_function_body("ItemsFunction", zip, publish ? "\"Publish\":true" : NULL);
    assert_int_equal(fx_call_public(fx, "POST", FN, body, NULL), 201);
    free(body);
    return fx;
}

static int setup(void **state) {
    *state =
        zip_one_base64("lambda_function.py",
                       "def lambda_handler(event, context):\n    return [1, 2, 3]\n", NULL, NULL);
    return 0;
}

static int teardown(void **state) {
    free(*state);
    return 0;
}

static const char *config_str(fixture *fx, const char *path, const char *key, char *out, size_t n) {
    cJSON *b = NULL;
    assert_int_equal(fx_call_public(fx, "GET", path, NULL, &b), 200);
    snprintf(out, n, "%s", json_str_or(b, key, ""));
    cJSON_Delete(b);
    return out;
}

/* --- the lab -------------------------------------------------------------- */

static void add_api_permission(fixture *fx, const char *alias, const char *sid, cJSON **stmt) {
    char *path = xasprintf(ITEMS "/policy?Qualifier=%s", alias);
    char *body =
        xasprintf("{\"StatementId\":\"%s\",\"Action\":\"lambda:InvokeFunction\",\"Principal\":"
                  "\"apigateway.amazonaws.com\",\"SourceArn\":\"%s\"}",
                  sid, SOURCE_ARN);
    cJSON *b = NULL;
    assert_int_equal(fx_call_public(fx, "POST", path, body, &b), 201);
    free(path);
    free(body);
    *stmt = cJSON_Parse(json_str(b, "Statement"));
    assert_non_null(*stmt);
    cJSON_Delete(b);
}

static void lab_versions_aliases_and_permissions(void **state) {
    fixture *fx = lab_function(state, false);
    cJSON *b = NULL;

    assert_int_equal(fx_call_public(fx, "POST", ITEMS "/versions", "{}", &b), 201);
    assert_string_equal(json_str(b, "Version"), "1");
    assert_string_equal(json_str(b, "FunctionArn"), ARN ":1");
    assert_string_equal(json_str(b, "State"), "Active");
    assert_string_equal(json_str(b, "LastUpdateStatus"), "Successful");
    cJSON_Delete(b);

    assert_int_equal(fx_call_public(fx, "POST", ITEMS "/aliases",
                                    "{\"Name\":\"dev\",\"Description\":\"Development alias\","
                                    "\"FunctionVersion\":\"$LATEST\"}",
                                    &b),
                     201);
    assert_string_equal(json_str(b, "AliasArn"), ARN ":dev");
    assert_string_equal(json_str(b, "Name"), "dev");
    assert_string_equal(json_str(b, "FunctionVersion"), "$LATEST");
    assert_string_equal(json_str(b, "Description"), "Development alias");
    assert_int_equal(strlen(json_str_or(b, "RevisionId", "")), 36);
    assert_false(json_has(b, "RoutingConfig"));
    cJSON_Delete(b);
    assert_int_equal(fx_call_public(fx, "POST", ITEMS "/aliases",
                                    "{\"Name\":\"prod\",\"Description\":\"Production alias\","
                                    "\"FunctionVersion\":\"1\"}",
                                    NULL),
                     201);

    /* The configuration each alias reaches. */
    assert_int_equal(fx_call_public(fx, "GET", ITEMS "/configuration?Qualifier=prod", NULL, &b),
                     200);
    assert_string_equal(json_str(b, "FunctionArn"), ARN ":prod");
    assert_string_equal(json_str(b, "Version"), "1");
    cJSON_Delete(b);
    assert_int_equal(fx_call_public(fx, "GET", FN "/ItemsFunction%3Adev", NULL, &b), 200);
    assert_string_equal(json_str(json_obj(b, "Configuration"), "FunctionArn"), ARN ":dev");
    assert_string_equal(json_str(json_obj(b, "Configuration"), "Version"), "$LATEST");
    cJSON_Delete(b);

    /* API Gateway may invoke each alias. */
    cJSON *stmt;
    add_api_permission(fx, "prod", "apigateway-prod", &stmt);
    assert_string_equal(json_str(stmt, "Sid"), "apigateway-prod");
    assert_string_equal(json_str(stmt, "Effect"), "Allow");
    assert_string_equal(json_str(json_obj(stmt, "Principal"), "Service"),
                        "apigateway.amazonaws.com");
    assert_string_equal(json_str(stmt, "Action"), "lambda:InvokeFunction");
    assert_string_equal(json_str(stmt, "Resource"), ARN ":prod");
    assert_string_equal(json_str(json_obj(json_obj(stmt, "Condition"), "ArnLike"), "AWS:SourceArn"),
                        SOURCE_ARN);
    /* The statement's members come in the order Lambda writes them. */
    const char *order[] = {"Sid", "Effect", "Principal", "Action", "Resource", "Condition"};
    int i = 0;
    const cJSON *m;
    cJSON_ArrayForEach(m, stmt) assert_string_equal(m->string, order[i++]);
    cJSON_Delete(stmt);
    add_api_permission(fx, "dev", "apigateway-dev", &stmt);
    assert_string_equal(json_str(stmt, "Resource"), ARN ":dev");
    cJSON_Delete(stmt);

    /* get-policy, per alias. */
    assert_int_equal(fx_call_public(fx, "GET", ITEMS "/policy?Qualifier=prod", NULL, &b), 200);
    cJSON *policy = cJSON_Parse(json_str(b, "Policy"));
    assert_string_equal(json_str(policy, "Version"), "2012-10-17");
    assert_string_equal(json_str(policy, "Id"), "default");
    cJSON *stmts = json_arr(policy, "Statement");
    assert_int_equal(cJSON_GetArraySize(stmts), 1);
    assert_string_equal(json_str(cJSON_GetArrayItem(stmts, 0), "Sid"), "apigateway-prod");
    char rev[64];
    assert_string_equal(json_str(b, "RevisionId"),
                        config_str(fx, ITEMS "/aliases/prod", "RevisionId", rev, sizeof rev));
    cJSON_Delete(policy);
    cJSON_Delete(b);
    assert_int_equal(fx_call_public(fx, "GET", ITEMS "/policy?Qualifier=dev", NULL, &b), 200);
    policy = cJSON_Parse(json_str(b, "Policy"));
    assert_string_equal(json_str(cJSON_GetArrayItem(json_arr(policy, "Statement"), 0), "Resource"),
                        ARN ":dev");
    cJSON_Delete(policy);
    cJSON_Delete(b);
    /* The function itself has no policy of its own. */
    fx_call_public(fx, "GET", ITEMS "/policy", NULL, NULL);
    assert_fx_message(fx, 404, "ResourceNotFoundException",
                      "The resource you requested does not exist.");

    assert_int_equal(fx_call_public(fx, "GET", ITEMS "/aliases", NULL, &b), 200);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "Aliases")), 2);
    assert_string_equal(json_str(cJSON_GetArrayItem(json_arr(b, "Aliases"), 0), "Name"), "dev");
    cJSON_Delete(b);
    fixture_free(fx);
}

/* --- versions -------------------------------------------------------------- */

static void versions_are_immutable_snapshots(void **state) {
    fixture *fx = lab_function(state, false);
    char sha1[64], sha2[64], tmp[64];
    config_str(fx, ITEMS "/configuration", "CodeSha256", sha1, sizeof sha1);
    assert_int_equal(
        fx_call_public(fx, "POST", ITEMS "/versions", "{\"Description\":\"first\"}", NULL), 201);

    char *zip2 = zip_one_base64(
        "lambda_function.py", "def lambda_handler(event, context):\n    return 'v2'\n", NULL, NULL);
    char *body = xasprintf("{\"ZipFile\":\"%s\"}", zip2);
    assert_int_equal(fx_call_public(fx, "PUT", ITEMS "/code", body, NULL), 200);
    free(body);
    free(zip2);
    assert_int_equal(fx_call_public(fx, "PUT", ITEMS "/configuration", "{\"Timeout\":20}", NULL),
                     200);
    config_str(fx, ITEMS "/configuration", "CodeSha256", sha2, sizeof sha2);
    assert_string_not_equal(sha1, sha2);

    cJSON *v1 = NULL;
    assert_int_equal(fx_call_public(fx, "GET", ITEMS "/configuration?Qualifier=1", NULL, &v1), 200);
    assert_string_equal(json_str(v1, "CodeSha256"), sha1);
    assert_int_equal(json_num_or(v1, "Timeout", 0), 3);
    assert_string_equal(json_str(v1, "Description"), "first");
    assert_string_equal(json_str(v1, "FunctionArn"), ARN ":1");
    cJSON_Delete(v1);
    cJSON *g = NULL;
    assert_int_equal(fx_call_public(fx, "GET", ITEMS "?Qualifier=1", NULL, &g), 200);
    assert_string_equal(json_str(json_obj(g, "Code"), "Location"),
                        "http://127.0.0.1:4566/_apigw-console/lambda-code/us-west-2/ItemsFunction/"
                        "1.zip");
    cJSON_Delete(g);

    cJSON *v2 = NULL;
    assert_int_equal(fx_call_public(fx, "POST", ITEMS "/versions", "{}", &v2), 201);
    assert_string_equal(json_str(v2, "Version"), "2");
    assert_string_equal(json_str(v2, "CodeSha256"), sha2);
    assert_int_equal(json_num_or(v2, "Timeout", 0), 20);
    assert_string_equal(json_str(v2, "Description"), "");
    assert_string_equal(
        config_str(fx, ITEMS "/configuration?Qualifier=1", "CodeSha256", tmp, sizeof tmp), sha1);
    cJSON_Delete(v2);
    fixture_free(fx);
}

static void publishing_nothing_new_returns_last_version(void **state) {
    fixture *fx = lab_function(state, false);
    char latest_rev[64], after_rev[64];
    config_str(fx, ITEMS "/configuration", "RevisionId", latest_rev, sizeof latest_rev);
    cJSON *a = NULL, *b = NULL;
    assert_int_equal(fx_call_public(fx, "POST", ITEMS "/versions", "{}", &a), 201);
    /* Publishing gives $LATEST a new RevisionId, as Lambda does. */
    config_str(fx, ITEMS "/configuration", "RevisionId", after_rev, sizeof after_rev);
    assert_string_not_equal(latest_rev, after_rev);
    assert_int_equal(fx_call_public(fx, "POST", ITEMS "/versions", "{}", &b), 201);
    assert_string_equal(json_str(b, "Version"), "1");
    assert_string_equal(json_str(b, "RevisionId"), json_str(a, "RevisionId"));
    cJSON_Delete(a);
    cJSON_Delete(b);
    /* A change makes the next publish a new version. */
    fx_call_public(fx, "PUT", ITEMS "/configuration", "{\"Description\":\"changed\"}", NULL);
    assert_int_equal(fx_call_public(fx, "POST", ITEMS "/versions", "{}", &b), 201);
    assert_string_equal(json_str(b, "Version"), "2");
    cJSON_Delete(b);
    fixture_free(fx);
}

static void publish_preconditions(void **state) {
    fixture *fx = lab_function(state, false);
    char sha[64];
    config_str(fx, ITEMS "/configuration", "CodeSha256", sha, sizeof sha);
    fx_call_public(fx, "POST", ITEMS "/versions", "{\"CodeSha256\":\"abc\"}", NULL);
    char want[256];
    snprintf(want, sizeof want,
             "CodeSHA256 (abc) is different from current CodeSHA256 in $LATEST (%s). Please try "
             "again with the CodeSHA256 in $LATEST.",
             sha);
    assert_fx_message(fx, 400, "InvalidParameterValueException", want);
    fx_call_public(fx, "POST", ITEMS "/versions",
                   "{\"RevisionId\":\"00000000-0000-4000-8000-000000000000\"}", NULL);
    assert_fx_message(fx, 412, "PreconditionFailedException",
                      "The Revision Id provided does not match the latest Revision Id. Call the "
                      "GetFunction/GetAlias API to retrieve the latest Revision Id");
    fx_call_public(fx, "POST", FN "/Nope/versions", "{}", NULL);
    assert_fx_message(fx, 404, "ResourceNotFoundException",
                      "Function not found: arn:aws:lambda:us-west-2:123456789012:function:Nope");
    char *body = xasprintf("{\"CodeSha256\":\"%s\"}", sha);
    assert_int_equal(fx_call_public(fx, "POST", ITEMS "/versions", body, NULL), 201);
    free(body);
    fixture_free(fx);
}

static void publish_on_create(void **state) {
    fixture *fx = fixture_new(NULL);
    char *body = lab_function_body("ItemsFunction", *state, "\"Publish\":true");
    cJSON *b = NULL;
    assert_int_equal(fx_call_public(fx, "POST", FN, body, &b), 201);
    free(body);
    /* Lambda answers with version 1, under the unqualified ARN. */
    assert_string_equal(json_str(b, "Version"), "1");
    assert_string_equal(json_str(b, "FunctionArn"), ARN);
    cJSON_Delete(b);
    assert_int_equal(fx_call_public(fx, "GET", ITEMS "/configuration?Qualifier=1", NULL, &b), 200);
    assert_string_equal(json_str(b, "FunctionArn"), ARN ":1");
    cJSON_Delete(b);
    fixture_free(fx);
}

static void list_versions_latest_first_and_paged(void **state) {
    fixture *fx = lab_function(state, true);
    fx_call_public(fx, "PUT", ITEMS "/configuration", "{\"Timeout\":9}", NULL);
    fx_call_public(fx, "POST", ITEMS "/versions", "{}", NULL);
    cJSON *b = NULL;
    assert_int_equal(fx_call_public(fx, "GET", ITEMS "/versions", NULL, &b), 200);
    cJSON *vs = json_arr(b, "Versions");
    assert_int_equal(cJSON_GetArraySize(vs), 3);
    assert_string_equal(json_str(cJSON_GetArrayItem(vs, 0), "FunctionArn"), ARN ":$LATEST");
    assert_string_equal(json_str(cJSON_GetArrayItem(vs, 1), "Version"), "1");
    assert_string_equal(json_str(cJSON_GetArrayItem(vs, 2), "Version"), "2");
    assert_false(json_has(cJSON_GetArrayItem(vs, 1), "State"));
    assert_false(json_has(b, "NextMarker"));
    cJSON_Delete(b);

    assert_int_equal(fx_call_public(fx, "GET", ITEMS "/versions?MaxItems=2", NULL, &b), 200);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "Versions")), 2);
    char *marker = url_encode(json_str_or(b, "NextMarker", ""), false);
    assert_string_equal(json_str(b, "NextMarker"), ARN ":2");
    cJSON_Delete(b);
    char *path = xasprintf(ITEMS "/versions?MaxItems=2&Marker=%s", marker);
    assert_int_equal(fx_call_public(fx, "GET", path, NULL, &b), 200);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "Versions")), 1);
    assert_string_equal(json_str(cJSON_GetArrayItem(json_arr(b, "Versions"), 0), "Version"), "2");
    assert_false(json_has(b, "NextMarker"));
    cJSON_Delete(b);
    free(path);
    free(marker);
    fx_call_public(fx, "GET", FN "/Nope/versions", NULL, NULL);
    assert_fx_message(fx, 404, "ResourceNotFoundException",
                      "Function not found: arn:aws:lambda:us-west-2:123456789012:function:Nope");
    fixture_free(fx);
}

/* --- aliases ----------------------------------------------------------------- */

static void alias_routing_and_updates(void **state) {
    fixture *fx = lab_function(state, true);
    fx_call_public(fx, "PUT", ITEMS "/configuration", "{\"Timeout\":9}", NULL);
    fx_call_public(fx, "POST", ITEMS "/versions", "{}", NULL);
    cJSON *b = NULL;
    assert_int_equal(
        fx_call_public(fx, "POST", ITEMS "/aliases",
                       "{\"Name\":\"prod\",\"FunctionVersion\":\"1\",\"RoutingConfig\":"
                       "{\"AdditionalVersionWeights\":{\"2\":0.1}}}",
                       &b),
        201);
    assert_string_equal(json_str(b, "Description"), "");
    cJSON *w = json_obj(json_obj(b, "RoutingConfig"), "AdditionalVersionWeights");
    assert_float_equal(json_num_or(w, "2", 0), 0.1, 1e-12);
    char rev[64];
    snprintf(rev, sizeof rev, "%s", json_str(b, "RevisionId"));
    cJSON_Delete(b);
    assert_int_equal(fx_call_public(fx, "GET", ITEMS "/aliases/prod", NULL, &b), 200);
    assert_float_equal(
        json_num_or(json_obj(json_obj(b, "RoutingConfig"), "AdditionalVersionWeights"), "2", 0),
        0.1, 1e-12);
    cJSON_Delete(b);

    /* A stale RevisionId is refused; an empty RoutingConfig removes it. */
    fx_call_public(fx, "PUT", ITEMS "/aliases/prod",
                   "{\"RevisionId\":\"0-0\",\"Description\":\"x\"}", NULL);
    assert_string_equal(fx_error_type(fx), "PreconditionFailedException");
    char *body =
        xasprintf("{\"RevisionId\":\"%s\",\"RoutingConfig\":{},\"Description\":\"stable\"}", rev);
    assert_int_equal(fx_call_public(fx, "PUT", ITEMS "/aliases/prod", body, &b), 200);
    free(body);
    assert_false(json_has(b, "RoutingConfig"));
    assert_string_equal(json_str(b, "Description"), "stable");
    assert_string_not_equal(json_str(b, "RevisionId"), rev);
    cJSON_Delete(b);
    assert_int_equal(
        fx_call_public(fx, "PUT", ITEMS "/aliases/prod", "{\"FunctionVersion\":\"2\"}", &b), 200);
    assert_string_equal(json_str(b, "FunctionVersion"), "2");
    cJSON_Delete(b);
    assert_int_equal(fx_call_public(fx, "GET", ITEMS "/configuration?Qualifier=prod", NULL, &b),
                     200);
    assert_int_equal(json_num_or(b, "Timeout", 0), 9);
    cJSON_Delete(b);
    fx_call_public(fx, "PUT", ITEMS "/aliases/prod", "{\"FunctionVersion\":\"5\"}", NULL);
    assert_fx_message(fx, 404, "ResourceNotFoundException", "Function not found: " ARN ":5");
    fx_call_public(fx, "PUT", ITEMS "/aliases/nope", "{\"Description\":\"x\"}", NULL);
    assert_fx_message(fx, 404, "ResourceNotFoundException", "Cannot find alias arn: " ARN ":nope");

    assert_int_equal(fx_call_public(fx, "DELETE", ITEMS "/aliases/prod", NULL, NULL), 204);
    fx_call_public(fx, "GET", ITEMS "/aliases/prod", NULL, NULL);
    assert_fx_message(fx, 404, "ResourceNotFoundException", "Cannot find alias arn: " ARN ":prod");
    assert_int_equal(fx_call_public(fx, "DELETE", ITEMS "/aliases/prod", NULL, NULL), 204);
    fixture_free(fx);
}

static void alias_errors_as_aws(void **state) {
    fixture *fx = lab_function(state, true);
    fx_call_public(fx, "PUT", ITEMS "/configuration", "{\"Timeout\":9}", NULL);
    fx_call_public(fx, "POST", ITEMS "/versions", "{}", NULL);

    fx_call_public(fx, "POST", ITEMS "/aliases", "{\"Name\":\"123\",\"FunctionVersion\":\"1\"}",
                   NULL);
    assert_fx_message(
        fx, 400, "ValidationException",
        "1 validation error detected: Value '123' at 'name' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)");
    fx_call_public(fx, "POST", ITEMS "/aliases", "{\"Name\":\"prod\"}", NULL);
    assert_fx_message(
        fx, 400, "ValidationException",
        "1 validation error detected: Value null at 'functionVersion' failed to satisfy "
        "constraint: Member must not be null");
    fx_call_public(fx, "POST", ITEMS "/aliases", "{\"Name\":\"prod\",\"FunctionVersion\":\"9\"}",
                   NULL);
    assert_fx_message(fx, 404, "ResourceNotFoundException", "Function not found: " ARN ":9");
    fx_call_public(fx, "POST", FN "/Nope/aliases", "{\"Name\":\"prod\",\"FunctionVersion\":\"1\"}",
                   NULL);
    assert_fx_message(fx, 404, "ResourceNotFoundException",
                      "Function not found: arn:aws:lambda:us-west-2:123456789012:function:Nope:1");
    assert_int_equal(fx_call_public(fx, "POST", ITEMS "/aliases",
                                    "{\"Name\":\"prod\",\"FunctionVersion\":\"1\"}", NULL),
                     201);
    fx_call_public(fx, "POST", ITEMS "/aliases", "{\"Name\":\"prod\",\"FunctionVersion\":\"2\"}",
                   NULL);
    assert_fx_message(fx, 409, "ResourceConflictException", "Alias already exists: " ARN ":prod");

    fx_call_public(
        fx, "POST", ITEMS "/aliases",
        "{\"Name\":\"a\",\"FunctionVersion\":\"1\",\"RoutingConfig\":{\"AdditionalVersionWeights\":"
        "{\"2\":0.1,\"3\":0.2}}}",
        NULL);
    assert_fx_message(fx, 400, "InvalidParameterValueException",
                      "Number of items in AdditionalVersionWeights cannot be greater than 1");
    fx_call_public(fx, "POST", ITEMS "/aliases",
                   "{\"Name\":\"a\",\"FunctionVersion\":\"1\",\"RoutingConfig\":{"
                   "\"AdditionalVersionWeights\":{\"2\":2}}}",
                   NULL);
    assert_fx_message(
        fx, 400, "ValidationException",
        "1 validation error detected: Value '{2=2.0}' at "
        "'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value "
        "must satisfy constraint: [Member must have value less than or equal to 1.0, Member "
        "must have value greater than or equal to 0.0, Member must not be null]");
    fx_call_public(fx, "POST", ITEMS "/aliases",
                   "{\"Name\":\"a\",\"FunctionVersion\":\"1\",\"RoutingConfig\":{"
                   "\"AdditionalVersionWeights\":{\"1\":0.5}}}",
                   NULL);
    assert_fx_message(
        fx, 400, "InvalidParameterValueException",
        "Invalid function version 1. Function version 1 is already included in routing "
        "configuration.");
    fx_call_public(fx, "POST", ITEMS "/aliases",
                   "{\"Name\":\"a\",\"FunctionVersion\":\"$LATEST\",\"RoutingConfig\":{"
                   "\"AdditionalVersionWeights\":{\"1\":0.5}}}",
                   NULL);
    assert_fx_message(fx, 400, "InvalidParameterValueException",
                      "$LATEST is not supported for an alias pointing to more than 1 version");
    cJSON *eb = cJSON_Parse(fx_body(fx));
    assert_false(json_has(eb, "Type")); /* Lambda sends this one without it */
    cJSON_Delete(eb);
    fx_call_public(fx, "POST", ITEMS "/aliases",
                   "{\"Name\":\"a\",\"FunctionVersion\":\"1\",\"RoutingConfig\":{"
                   "\"AdditionalVersionWeights\":{\"$LATEST\":0.5}}}",
                   NULL);
    assert_string_equal(fx_error_type(fx), "ValidationException");
    assert_true(str_starts(fx_message(fx), "1 validation error detected: Value '{$LATEST=0.5}' at "
                                           "'routingConfig.additionalVersionWeights' failed to "
                                           "satisfy constraint: Map keys must satisfy constraint"));
    fx_call_public(fx, "POST", ITEMS "/aliases",
                   "{\"Name\":\"a\",\"FunctionVersion\":\"1\",\"RoutingConfig\":{"
                   "\"AdditionalVersionWeights\":{\"7\":0.5}}}",
                   NULL);
    assert_fx_message(fx, 404, "ResourceNotFoundException", "Function not found: " ARN ":7");
    fx_call_public(fx, "GET", ITEMS "/aliases/1", NULL, NULL);
    assert_string_equal(fx_error_type(fx), "ValidationException");
    fixture_free(fx);
}

static void list_aliases_filter_and_pages(void **state) {
    fixture *fx = lab_function(state, true);
    const char *names[] = {"a1", "a2", "a3"};
    const char *targets[] = {"1", "$LATEST", "1"};
    for (int i = 0; i < 3; i++) {
        char *body =
            xasprintf("{\"Name\":\"%s\",\"FunctionVersion\":\"%s\"}", names[i], targets[i]);
        assert_int_equal(fx_call_public(fx, "POST", ITEMS "/aliases", body, NULL), 201);
        free(body);
    }
    cJSON *b = NULL;
    assert_int_equal(fx_call_public(fx, "GET", ITEMS "/aliases?FunctionVersion=1", NULL, &b), 200);
    cJSON *as = json_arr(b, "Aliases");
    assert_int_equal(cJSON_GetArraySize(as), 2);
    assert_string_equal(json_str(cJSON_GetArrayItem(as, 1), "Name"), "a3");
    cJSON_Delete(b);
    assert_int_equal(fx_call_public(fx, "GET", ITEMS "/aliases?MaxItems=1", NULL, &b), 200);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "Aliases")), 1);
    assert_string_equal(json_str(b, "NextMarker"), ARN ":a2");
    cJSON_Delete(b);
    assert_int_equal(
        fx_call_public(fx, "GET", ITEMS "/aliases?MaxItems=5&Marker=" ARN ":a2", NULL, &b), 200);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "Aliases")), 2);
    assert_string_equal(json_str(cJSON_GetArrayItem(json_arr(b, "Aliases"), 0), "Name"), "a2");
    cJSON_Delete(b);
    fx_call_public(fx, "GET", ITEMS "/aliases?FunctionVersion=x", NULL, NULL);
    assert_string_equal(fx_error_type(fx), "ValidationException");
    fx_call_public(fx, "GET", FN "/Nope/aliases", NULL, NULL);
    assert_int_equal(fx->last.status, 404);
    fixture_free(fx);
}

/* --- permissions -------------------------------------------------------------- */

#define PERM(sid, principal)                                                                       \
    "{\"StatementId\":\"" sid "\",\"Action\":\"lambda:InvokeFunction\",\"Principal\":\"" principal \
    "\"}"

static void permission_errors_as_aws(void **state) {
    fixture *fx = lab_function(state, true);
    fx_call_public(fx, "POST", ITEMS "/aliases", "{\"Name\":\"prod\",\"FunctionVersion\":\"1\"}",
                   NULL);
    assert_int_equal(fx_call_public(fx, "POST", ITEMS "/policy?Qualifier=prod",
                                    PERM("api", "apigateway.amazonaws.com"), NULL),
                     201);
    fx_call_public(fx, "POST", ITEMS "/policy?Qualifier=prod",
                   PERM("api", "apigateway.amazonaws.com"), NULL);
    assert_fx_message(
        fx, 409, "ResourceConflictException",
        "The statement id (api) provided already exists. Please provide a new statement "
        "id, or remove the existing statement.");
    /* The same id is free on another qualifier. */
    assert_int_equal(
        fx_call_public(fx, "POST", ITEMS "/policy", PERM("api", "apigateway.amazonaws.com"), NULL),
        201);
    fx_call_public(fx, "POST", ITEMS "/policy?Qualifier=%24LATEST",
                   PERM("x", "apigateway.amazonaws.com"), NULL);
    assert_fx_message(fx, 400, "InvalidParameterValueException",
                      "We currently do not support adding policies for $LATEST.");
    fx_call_public(fx, "POST", ITEMS "/policy?Qualifier=beta",
                   PERM("x", "apigateway.amazonaws.com"), NULL);
    assert_fx_message(fx, 404, "ResourceNotFoundException", "Cannot find alias arn: " ARN ":beta");
    fx_call_public(fx, "POST", ITEMS "/policy?Qualifier=4", PERM("x", "apigateway.amazonaws.com"),
                   NULL);
    assert_fx_message(fx, 404, "ResourceNotFoundException", "Function not found: " ARN ":4");
    fx_call_public(fx, "POST", FN "/Nope/policy", PERM("x", "apigateway.amazonaws.com"), NULL);
    assert_fx_message(fx, 404, "ResourceNotFoundException",
                      "Function not found: arn:aws:lambda:us-west-2:123456789012:function:Nope");
    fx_call_public(fx, "POST", ITEMS "/policy", PERM("bad sid!", "apigateway.amazonaws.com"), NULL);
    assert_fx_message(
        fx, 400, "ValidationException",
        "1 validation error detected: Value 'bad sid!' at 'statementId' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+)");
    fx_call_public(fx, "POST", ITEMS "/policy", PERM("x", "nobody"), NULL);
    assert_fx_message(
        fx, 400, "InvalidParameterValueException",
        "The provided principal was invalid. Please check the principal and try again.");
    fx_call_public(fx, "POST", ITEMS "/policy",
                   "{\"StatementId\":\"x\",\"Action\":\"invoke\",\"Principal\":\"*\"}", NULL);
    assert_fx_message(fx, 400, "ValidationException",
                      "1 validation error detected: Value 'invoke' at 'action' failed to satisfy "
                      "constraint: Member must satisfy regular expression pattern: "
                      "(lambda:[*]|lambda:[a-zA-Z]+|[*])");
    fx_call_public(fx, "POST", ITEMS "/policy", "{\"StatementId\":\"x\"}", NULL);
    assert_fx_message(
        fx, 400, "ValidationException",
        "2 validation errors detected: Value null at 'action' failed to satisfy "
        "constraint: Member must not be null; Value null at 'principal' failed to satisfy "
        "constraint: Member must not be null");
    fx_call_public(fx, "POST", ITEMS "/policy",
                   "{\"StatementId\":\"x\",\"Action\":\"lambda:InvokeFunction\","
                   "\"Principal\":\"*\",\"RevisionId\":\"stale\"}",
                   NULL);
    assert_string_equal(fx_error_type(fx), "PreconditionFailedException");

    fx_call_public(fx, "DELETE", ITEMS "/policy/nope?Qualifier=prod", NULL, NULL);
    assert_fx_message(fx, 404, "ResourceNotFoundException",
                      "Statement nope is not found in resource policy.");
    fx_call_public(fx, "DELETE", ITEMS "/policy/api?Qualifier=1", NULL, NULL);
    assert_fx_message(fx, 404, "ResourceNotFoundException",
                      "No policy is associated with the given resource.");
    fx_call_public(fx, "DELETE", ITEMS "/policy/api?Qualifier=prod&RevisionId=stale", NULL, NULL);
    assert_string_equal(fx_error_type(fx), "PreconditionFailedException");
    fx_call_public(fx, "GET", FN "/Nope/policy", NULL, NULL);
    assert_fx_message(fx, 404, "ResourceNotFoundException",
                      "Function not found: arn:aws:lambda:us-west-2:123456789012:function:Nope");
    fixture_free(fx);
}

static void permission_lifecycle_and_revisions(void **state) {
    fixture *fx = lab_function(state, false);
    char before[64], after[64];
    config_str(fx, ITEMS "/configuration", "RevisionId", before, sizeof before);
    cJSON *b = NULL;
    assert_int_equal(
        fx_call_public(fx, "POST", ITEMS "/policy",
                       "{\"StatementId\":\"s3\",\"Action\":\"lambda:InvokeFunction\",\"Principal\":"
                       "\"s3.amazonaws.com\",\"SourceArn\":\"arn:aws:s3:::items-bucket\","
                       "\"SourceAccount\":\"123456789012\"}",
                       &b),
        201);
    cJSON *st = cJSON_Parse(json_str(b, "Statement"));
    cJSON_Delete(b);
    assert_string_equal(json_str(st, "Resource"), ARN);
    cJSON *cond = json_obj(st, "Condition");
    assert_string_equal(json_str(json_obj(cond, "StringEquals"), "AWS:SourceAccount"),
                        "123456789012");
    assert_string_equal(json_str(json_obj(cond, "ArnLike"), "AWS:SourceArn"),
                        "arn:aws:s3:::items-bucket");
    cJSON_Delete(st);
    /* A policy change moves the function's RevisionId; GetPolicy reports it. */
    config_str(fx, ITEMS "/configuration", "RevisionId", after, sizeof after);
    assert_string_not_equal(before, after);
    char rev[64];
    assert_string_equal(config_str(fx, ITEMS "/policy", "RevisionId", rev, sizeof rev), after);

    assert_int_equal(fx_call_public(fx, "POST", ITEMS "/policy", PERM("acct", "210987654321"), &b),
                     201);
    st = cJSON_Parse(json_str(b, "Statement"));
    assert_string_equal(json_str(json_obj(st, "Principal"), "AWS"),
                        "arn:aws:iam::210987654321:root");
    assert_false(json_has(st, "Condition"));
    cJSON_Delete(st);
    cJSON_Delete(b);
    assert_int_equal(fx_call_public(fx, "POST", ITEMS "/policy", PERM("all", "*"), &b), 201);
    st = cJSON_Parse(json_str(b, "Statement"));
    assert_string_equal(json_str(st, "Principal"), "*");
    cJSON_Delete(st);
    cJSON_Delete(b);

    assert_int_equal(fx_call_public(fx, "GET", ITEMS "/policy", NULL, &b), 200);
    cJSON *policy = cJSON_Parse(json_str(b, "Policy"));
    assert_int_equal(cJSON_GetArraySize(json_arr(policy, "Statement")), 3);
    cJSON_Delete(policy);
    cJSON_Delete(b);

    char *path = xasprintf(ITEMS "/policy/s3?RevisionId=%s",
                           config_str(fx, ITEMS "/configuration", "RevisionId", rev, sizeof rev));
    assert_int_equal(fx_call_public(fx, "DELETE", path, NULL, NULL), 204);
    free(path);
    assert_int_equal(fx->last.body_len, 0);
    assert_int_equal(fx_call_public(fx, "DELETE", ITEMS "/policy/acct", NULL, NULL), 204);
    assert_int_equal(fx_call_public(fx, "DELETE", ITEMS "/policy/all", NULL, NULL), 204);
    fx_call_public(fx, "GET", ITEMS "/policy", NULL, NULL);
    assert_fx_message(fx, 404, "ResourceNotFoundException",
                      "The resource you requested does not exist.");
    fx_call_public(fx, "DELETE", ITEMS "/policy/all", NULL, NULL);
    assert_fx_message(fx, 404, "ResourceNotFoundException",
                      "No policy is associated with the given resource.");
    fixture_free(fx);
}

static void deleting_alias_drops_its_policy(void **state) {
    fixture *fx = lab_function(state, true);
    fx_call_public(fx, "POST", ITEMS "/aliases", "{\"Name\":\"prod\",\"FunctionVersion\":\"1\"}",
                   NULL);
    assert_int_equal(fx_call_public(fx, "POST", ITEMS "/policy?Qualifier=prod",
                                    PERM("api", "apigateway.amazonaws.com"), NULL),
                     201);
    assert_int_equal(fx_call_public(fx, "DELETE", ITEMS "/aliases/prod", NULL, NULL), 204);
    fx_call_public(fx, "POST", ITEMS "/aliases", "{\"Name\":\"prod\",\"FunctionVersion\":\"1\"}",
                   NULL);
    fx_call_public(fx, "GET", ITEMS "/policy?Qualifier=prod", NULL, NULL);
    assert_fx_message(fx, 404, "ResourceNotFoundException",
                      "The resource you requested does not exist.");
    fixture_free(fx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lab_versions_aliases_and_permissions),
        cmocka_unit_test(versions_are_immutable_snapshots),
        cmocka_unit_test(publishing_nothing_new_returns_last_version),
        cmocka_unit_test(publish_preconditions),
        cmocka_unit_test(publish_on_create),
        cmocka_unit_test(list_versions_latest_first_and_paged),
        cmocka_unit_test(alias_routing_and_updates),
        cmocka_unit_test(alias_errors_as_aws),
        cmocka_unit_test(list_aliases_filter_and_pages),
        cmocka_unit_test(permission_errors_as_aws),
        cmocka_unit_test(permission_lifecycle_and_revisions),
        cmocka_unit_test(deleting_alias_drops_its_policy),
    };
    return cmocka_run_group_tests_name("lambda_version", tests, setup, teardown);
}
