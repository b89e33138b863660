/* Resources, methods, integrations, method responses and integration
 * responses in the emulator: the lab's mock API, listing with and without
 * embedded methods, paging, patch operations and AWS's error messages. */
#include "fixture.h"
#include "lab.h"

#include <stdio.h>
#include <string.h>

#include "core/json.h"

typedef struct lab {
    fixture *fx;
    char api[11], root[11], items[8], item[8];
} lab;

/* A JSON string literal of s (malloc'd), for building bodies. */
static char *quote(const char *s) {
    cJSON *v = cJSON_CreateString(s);
    char *out = cJSON_PrintUnformatted(v);
    cJSON_Delete(v);
    return out;
}

static void create_resource(lab *l, const char *parent, const char *part, char out[8]) {
    char body[128];
    snprintf(body, sizeof body, "{\"pathPart\":\"%s\"}", part);
    cJSON *b = NULL;
    assert_int_equal(fx_callf(l->fx, &b, "POST", body, "/restapis/%s/resources/%s", l->api, parent),
                     201);
    snprintf(out, 8, "%s", json_str(b, "id"));
    cJSON_Delete(b);
}

/* The lab's mock GET method on a resource, with its 200 responses. */
static void mock_get(lab *l, const char *res, const char *vtl) {
    fixture *fx = l->fx;
    assert_int_equal(fx_callf(fx, NULL, "PUT", "{\"authorizationType\":\"NONE\"}",
                              "/restapis/%s/resources/%s/methods/GET", l->api, res),
                     201);
    assert_int_equal(fx_callf(fx, NULL, "PUT",
                              "{\"type\":\"MOCK\",\"requestTemplates\":{\"application/json\":"
                              "\"{\\\"statusCode\\\": 200}\"}}",
                              "/restapis/%s/resources/%s/methods/GET/integration", l->api, res),
                     201);
    assert_int_equal(fx_callf(fx, NULL, "PUT",
                              "{\"responseModels\":{\"application/json\":\"Empty\"}}",
                              "/restapis/%s/resources/%s/methods/GET/responses/200", l->api, res),
                     201);
    char *q = quote(vtl);
    char body[2048];
    snprintf(body, sizeof body,
             "{\"selectionPattern\":\"\",\"responseTemplates\":{\"application/json\":%s}}", q);
    cJSON_free(q);
    assert_int_equal(fx_callf(fx, NULL, "PUT", body,
                              "/restapis/%s/resources/%s/methods/GET/integration/responses/200",
                              l->api, res),
                     201);
}

/* ItemsAPI (REGIONAL) with /items and /items/{ID}; mocks when asked. */
static lab *lab_new(bool mocks) {
    lab *l = test_calloc(1, sizeof *l);
    l->fx = fixture_new(NULL);
    cJSON *b = NULL;
    assert_int_equal(
        fx_call(l->fx, "POST", "/restapis",
                "{\"name\":\"ItemsAPI\",\"endpointConfiguration\":{\"types\":[\"REGIONAL\"]}}", &b),
        201);
    snprintf(l->api, sizeof l->api, "%s", json_str(b, "id"));
    snprintf(l->root, sizeof l->root, "%s", json_str(b, "rootResourceId"));
    cJSON_Delete(b);
    assert_int_equal(fx_callf(l->fx, NULL, "POST",
                              "{\"name\":\"Item\",\"contentType\":\"application/json\",\"schema\":"
                              "\"{\\\"type\\\": \\\"object\\\"}\"}",
                              "/restapis/%s/models", l->api),
                     201);
    assert_int_equal(fx_callf(l->fx, NULL, "POST",
                              "{\"name\":\"Items\",\"contentType\":\"application/json\",\"schema\":"
                              "\"{\\\"type\\\": \\\"array\\\"}\"}",
                              "/restapis/%s/models", l->api),
                     201);
    create_resource(l, l->root, "items", l->items);
    create_resource(l, l->items, "{ID}", l->item);
    if (mocks) {
        mock_get(l, l->items, LAB_ITEMS_TEMPLATE);
        mock_get(l, l->item, LAB_ITEM_TEMPLATE);
    }
    return l;
}

static void lab_free(lab *l) {
    fixture_free(l->fx);
    test_free(l);
}

/* --- the lab's flow ---------------------------------------------------------- */

static void lab_resources_have_paths(void **state) {
    (void)state;
    lab *l = lab_new(false);
    cJSON *b = NULL;
    assert_int_equal(fx_callf(l->fx, &b, "GET", NULL, "/restapis/%s/resources/%s", l->api, l->item),
                     200);
    assert_string_equal(json_str(b, "path"), "/items/{ID}");
    assert_string_equal(json_str(b, "pathPart"), "{ID}");
    assert_string_equal(json_str(b, "parentId"), l->items);
    assert_int_equal(strlen(json_str(b, "id")), 6);
    assert_false(json_has(b, "resourceMethods"));
    cJSON_Delete(b);
    lab_free(l);
}

static void lab_mock_method_answers(void **state) {
    (void)state;
    lab *l = lab_new(false);
    fixture *fx = l->fx;
    cJSON *b = NULL;
    assert_int_equal(fx_callf(fx, &b, "PUT", "{\"authorizationType\":\"NONE\"}",
                              "/restapis/%s/resources/%s/methods/GET", l->api, l->items),
                     201);
    assert_string_equal(json_str(b, "httpMethod"), "GET");
    assert_string_equal(json_str(b, "authorizationType"), "NONE");
    assert_false(json_bool_or(b, "apiKeyRequired", true));
    assert_non_null(cJSON_GetObjectItem(b, "apiKeyRequired"));
    assert_false(json_has(b, "methodIntegration"));
    cJSON_Delete(b);

    assert_int_equal(fx_callf(fx, &b, "PUT",
                              "{\"type\":\"MOCK\",\"requestTemplates\":{\"application/json\":"
                              "\"{\\\"statusCode\\\": 200}\"}}",
                              "/restapis/%s/resources/%s/methods/GET/integration", l->api,
                              l->items),
                     201);
    assert_string_equal(json_str(b, "type"), "MOCK");
    assert_string_equal(json_str(b, "passthroughBehavior"), "WHEN_NO_MATCH");
    assert_true(json_num_or(b, "timeoutInMillis", 0) == 29000);
    assert_string_equal(json_str(b, "cacheNamespace"), l->items);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "cacheKeyParameters")), 0);
    assert_non_null(json_arr(b, "cacheKeyParameters"));
    assert_string_equal(json_str(json_obj(b, "requestTemplates"), "application/json"),
                        "{\"statusCode\": 200}");
    assert_false(json_has(b, "uri"));
    assert_false(json_has(b, "connectionType"));
    assert_false(json_has(b, "integrationResponses"));
    cJSON_Delete(b);

    assert_int_equal(fx_callf(fx, &b, "PUT", "{}",
                              "/restapis/%s/resources/%s/methods/GET/responses/200", l->api,
                              l->items),
                     201);
    assert_string_equal(json_str(b, "statusCode"), "200");
    assert_false(json_has(b, "responseModels"));
    cJSON_Delete(b);

    char *q = quote(LAB_ITEMS_TEMPLATE);
    char body[2048];
    snprintf(body, sizeof body, "{\"responseTemplates\":{\"application/json\":%s}}", q);
    cJSON_free(q);
    assert_int_equal(fx_callf(fx, &b, "PUT", body,
                              "/restapis/%s/resources/%s/methods/GET/integration/responses/200",
                              l->api, l->items),
                     201);
    assert_string_equal(json_str(b, "statusCode"), "200");
    assert_string_equal(json_str(json_obj(b, "responseTemplates"), "application/json"),
                        LAB_ITEMS_TEMPLATE);
    cJSON_Delete(b);

    /* GetMethod shows the whole chain */
    assert_int_equal(
        fx_callf(fx, &b, "GET", NULL, "/restapis/%s/resources/%s/methods/GET", l->api, l->items),
        200);
    cJSON *ir = json_obj(json_obj(json_obj(b, "methodIntegration"), "integrationResponses"), "200");
    assert_string_equal(json_str(json_obj(ir, "responseTemplates"), "application/json"),
                        LAB_ITEMS_TEMPLATE);
    assert_string_equal(json_str(json_obj(json_obj(b, "methodResponses"), "200"), "statusCode"),
                        "200");
    cJSON_Delete(b);
    lab_free(l);
}

static void get_resources_embed_and_not(void **state) {
    (void)state;
    lab *l = lab_new(true);
    cJSON *b = NULL;
    assert_int_equal(fx_callf(l->fx, &b, "GET", NULL, "/restapis/%s/resources", l->api), 200);
    cJSON *items = json_arr(b, "item");
    assert_int_equal(cJSON_GetArraySize(items), 3);
    cJSON *root = cJSON_GetArrayItem(items, 0), *list = cJSON_GetArrayItem(items, 1);
    assert_false(json_has(root, "resourceMethods"));
    assert_string_equal(json_str(list, "path"), "/items");
    cJSON *get = json_obj(json_obj(list, "resourceMethods"), "GET");
    assert_non_null(get);
    assert_null(get->child); /* AWS lists the verbs only: "GET": {} */
    cJSON_Delete(b);

    assert_int_equal(
        fx_callf(l->fx, &b, "GET", NULL, "/restapis/%s/resources?embed=methods", l->api), 200);
    cJSON *item = cJSON_GetArrayItem(json_arr(b, "item"), 2);
    assert_string_equal(json_str(item, "path"), "/items/{ID}");
    get = json_obj(json_obj(item, "resourceMethods"), "GET");
    assert_string_equal(json_str(get, "authorizationType"), "NONE");
    cJSON *integ = json_obj(get, "methodIntegration");
    assert_string_equal(json_str(integ, "type"), "MOCK");
    assert_string_equal(json_str(json_obj(json_obj(json_obj(integ, "integrationResponses"), "200"),
                                          "responseTemplates"),
                                 "application/json"),
                        LAB_ITEM_TEMPLATE);
    assert_string_equal(
        json_str(json_obj(json_obj(json_obj(get, "methodResponses"), "200"), "responseModels"),
                 "application/json"),
        "Empty");
    cJSON_Delete(b);

    /* GetResource follows the same rule */
    assert_int_equal(fx_callf(l->fx, &b, "GET", NULL, "/restapis/%s/resources/%s?embed=methods",
                              l->api, l->items),
                     200);
    assert_non_null(json_obj(json_obj(json_obj(b, "resourceMethods"), "GET"), "methodIntegration"));
    cJSON_Delete(b);
    lab_free(l);
}

static void get_resources_pages(void **state) {
    (void)state;
    lab *l = lab_new(false);
    cJSON *b = NULL;
    assert_int_equal(fx_callf(l->fx, &b, "GET", NULL, "/restapis/%s/resources?limit=2", l->api),
                     200);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "item")), 2);
    assert_string_equal(json_str(b, "position"), "2");
    cJSON_Delete(b);
    assert_int_equal(
        fx_callf(l->fx, &b, "GET", NULL, "/restapis/%s/resources?limit=2&position=2", l->api), 200);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "item")), 1);
    assert_string_equal(json_str(cJSON_GetArrayItem(json_arr(b, "item"), 0), "id"), l->item);
    assert_false(json_has(b, "position"));
    cJSON_Delete(b);
    assert_int_equal(fx_callf(l->fx, NULL, "GET", NULL, "/restapis/%s/resources?limit=501", l->api),
                     400);
    fx_call(l->fx, "GET", "/restapis/nope/resources", NULL, NULL);
    assert_fx_message(l->fx, 404, "NotFoundException",
                      "Invalid API identifier specified 123456789012:nope");
    lab_free(l);
}

/* --- resources ------------------------------------------------------------ */

static void create_resource_errors(void **state) {
    (void)state;
    lab *l = lab_new(false);
    fixture *fx = l->fx;
    fx_callf(fx, NULL, "POST", "{\"pathPart\":\"items\"}", "/restapis/%s/resources/%s", l->api,
             l->root);
    assert_fx_message(fx, 409, "ConflictException",
                      "Another resource with the same parent already has this name: items");
    fx_callf(fx, NULL, "POST", "{\"pathPart\":\"{other}\"}", "/restapis/%s/resources/%s", l->api,
             l->items);
    assert_fx_message(
        fx, 400, "BadRequestException",
        "A sibling ({ID}) of this resource already has a variable path part -- only one is "
        "allowed");
    fx_callf(fx, NULL, "POST", "{\"pathPart\":\"a b\"}", "/restapis/%s/resources/%s", l->api,
             l->root);
    assert_fx_message(
        fx, 400, "BadRequestException",
        "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and "
        "the end and an optional plus sign before the closing brace.");
    fx_callf(fx, NULL, "POST", "{\"pathPart\":\"{a+b}\"}", "/restapis/%s/resources/%s", l->api,
             l->root);
    assert_fx_error(fx, 400, "BadRequestException");
    fx_callf(fx, NULL, "POST", "{}", "/restapis/%s/resources/%s", l->api, l->root);
    assert_fx_message(
        fx, 400, "ValidationException",
        "1 validation error detected: Value null at 'createResourceInput.pathPart' failed to "
        "satisfy constraint: Member must not be null");
    fx_callf(fx, NULL, "POST", "{\"pathPart\":\"x\"}", "/restapis/%s/resources/nope00", l->api);
    assert_fx_message(fx, 404, "NotFoundException", "Invalid Resource identifier specified");
    fx_callf(fx, NULL, "POST", "{\"pathPart\":\"x\"}", "/restapis/nope/resources/%s", l->root);
    assert_fx_message(fx, 404, "NotFoundException",
                      "Invalid API identifier specified 123456789012:nope");

    /* a greedy variable ends a path */
    char proxy[8];
    create_resource(l, l->root, "{proxy+}", proxy);
    fx_callf(fx, NULL, "POST", "{\"pathPart\":\"x\"}", "/restapis/%s/resources/%s", l->api, proxy);
    assert_fx_message(fx, 400, "BadRequestException",
                      "Cannot create a child of a resource with a greedy path variable: {proxy+}");
    cJSON *b = NULL;
    fx_callf(fx, &b, "GET", NULL, "/restapis/%s/resources/%s", l->api, proxy);
    assert_string_equal(json_str(b, "path"), "/{proxy+}");
    cJSON_Delete(b);
    lab_free(l);
}

static void delete_resource_takes_subtree(void **state) {
    (void)state;
    lab *l = lab_new(true);
    fixture *fx = l->fx;
    fx_callf(fx, NULL, "DELETE", NULL, "/restapis/%s/resources/%s", l->api, l->root);
    assert_fx_message(fx, 400, "BadRequestException", "Root resource cannot be deleted.");
    assert_int_equal(
        fx_callf(fx, NULL, "DELETE", NULL, "/restapis/%s/resources/%s", l->api, l->items), 202);
    fx_callf(fx, NULL, "GET", NULL, "/restapis/%s/resources/%s", l->api, l->item);
    assert_fx_message(fx, 404, "NotFoundException", "Invalid Resource identifier specified");
    cJSON *b = NULL;
    fx_callf(fx, &b, "GET", NULL, "/restapis/%s/resources", l->api);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "item")), 1);
    cJSON_Delete(b);
    fx_callf(fx, NULL, "DELETE", NULL, "/restapis/%s/resources/%s", l->api, l->items);
    assert_fx_message(fx, 404, "NotFoundException", "Invalid Resource identifier specified");
    lab_free(l);
}

static int patch(fixture *fx, cJSON **out, const char *ops, const char *fmt, const char *a,
                 const char *b, const char *c, const char *d) {
    char body[4096], path[512];
    snprintf(body, sizeof body, "{\"patchOperations\":%s}", ops);
    snprintf(path, sizeof path, fmt, a, b, c, d);
    return fx_call(fx, "PATCH", path, body, out);
}

#define RES_PATH "/restapis/%s/resources/%s%s%s"

static void update_resource_paths(void **state) {
    (void)state;
    lab *l = lab_new(false);
    fixture *fx = l->fx;
    cJSON *b = NULL;
    assert_int_equal(patch(fx, &b,
                           "[{\"op\":\"replace\",\"path\":\"/pathPart\",\"value\":\"things\"}]",
                           RES_PATH, l->api, l->items, "", ""),
                     200);
    assert_string_equal(json_str(b, "path"), "/things");
    cJSON_Delete(b);
    fx_callf(fx, &b, "GET", NULL, "/restapis/%s/resources/%s", l->api, l->item);
    assert_string_equal(json_str(b, "path"), "/things/{ID}");
    cJSON_Delete(b);

    /* move /things/{ID} under the root */
    char body[256];
    snprintf(body, sizeof body, "[{\"op\":\"replace\",\"path\":\"/parentId\",\"value\":\"%s\"}]",
             l->root);
    assert_int_equal(patch(fx, &b, body, RES_PATH, l->api, l->item, "", ""), 200);
    assert_string_equal(json_str(b, "path"), "/{ID}");
    assert_string_equal(json_str(b, "parentId"), l->root);
    cJSON_Delete(b);

    /* errors */
    snprintf(body, sizeof body, "[{\"op\":\"replace\",\"path\":\"/parentId\",\"value\":\"%s\"}]",
             l->item);
    patch(fx, NULL, body, RES_PATH, l->api, l->item, "", "");
    assert_fx_message(fx, 400, "BadRequestException", "Resources cannot be cyclical.");
    patch(fx, NULL, "[{\"op\":\"replace\",\"path\":\"/pathPart\",\"value\":\"x\"}]", RES_PATH,
          l->api, l->root, "", "");
    assert_fx_message(fx, 400, "BadRequestException", "Root resource cannot update its pathPart.");
    patch(fx, NULL, body, RES_PATH, l->api, l->root, "", "");
    assert_fx_message(fx, 400, "BadRequestException", "Root resource cannot update its parentId.");
    patch(fx, NULL, "[{\"op\":\"replace\",\"path\":\"/invalid\",\"value\":\"x\"}]", RES_PATH,
          l->api, l->items, "", "");
    assert_fx_message(fx, 400, "BadRequestException",
                      "Invalid patch path  '/invalid' specified for op 'replace'. Must be one of: "
                      "[/parentId, /pathPart]");
    patch(fx, NULL, "[{\"op\":\"remove\",\"path\":\"/pathPart\"}]", RES_PATH, l->api, l->items, "",
          "");
    assert_fx_message(
        fx, 400, "BadRequestException",
        "Invalid patch path  '/pathPart' specified for op 'remove'. Please choose supported "
        "operations");
    patch(fx, NULL, "[{\"op\":\"replace\",\"path\":\"/pathPart\",\"value\":\"things\"}]", RES_PATH,
          l->api, l->item, "", "");
    assert_fx_message(fx, 409, "ConflictException",
                      "Another resource with the same parent already has this name: things");
    patch(fx, NULL, "[{\"op\":\"replace\",\"path\":\"/parentId\",\"value\":\"nope00\"}]", RES_PATH,
          l->api, l->items, "", "");
    assert_fx_message(fx, 404, "NotFoundException", "Invalid Resource identifier specified");
    patch(fx, NULL, "[]", RES_PATH, "nope", l->items, "", "");
    assert_fx_message(fx, 404, "NotFoundException", "Invalid Resource identifier specified");
    lab_free(l);
}

/* --- methods ----------------------------------------------------------------- */

#define METHOD_PATH "/restapis/%s/resources/%s/methods/%s%s"

static void put_method_options_and_errors(void **state) {
    (void)state;
    lab *l = lab_new(true);
    fixture *fx = l->fx;
    cJSON *b = NULL;
    assert_int_equal(
        fx_callf(fx, &b, "PUT",
                 "{\"authorizationType\":\"AWS_IAM\",\"apiKeyRequired\":true,\"operationName\":"
                 "\"ListItems\",\"requestParameters\":{\"method.request.path.ID\":true,"
                 "\"method.request.querystring.q\":false},\"requestModels\":{\"application/"
                 "json\":\"Item\"}}",
                 "/restapis/%s/resources/%s/methods/POST", l->api, l->item),
        201);
    assert_string_equal(json_str(b, "authorizationType"), "AWS_IAM");
    assert_true(json_bool_or(b, "apiKeyRequired", false));
    assert_string_equal(json_str(b, "operationName"), "ListItems");
    assert_true(json_bool_or(json_obj(b, "requestParameters"), "method.request.path.ID", false));
    assert_false(
        json_bool_or(json_obj(b, "requestParameters"), "method.request.querystring.q", true));
    assert_string_equal(json_str(json_obj(b, "requestModels"), "application/json"), "Item");
    cJSON_Delete(b);

    fx_callf(fx, NULL, "PUT", "{\"authorizationType\":\"NONE\"}",
             "/restapis/%s/resources/%s/methods/GET", l->api, l->items);
    assert_fx_message(fx, 409, "ConflictException", "Method already exists for this resource");
    fx_callf(fx, NULL, "PUT", "{}", "/restapis/%s/resources/%s/methods/PUT", l->api, l->items);
    assert_fx_message(
        fx, 400, "ValidationException",
        "1 validation error detected: Value null at 'putMethodInput.authorizationType' failed "
        "to satisfy constraint: Member must not be null");
    fx_callf(fx, NULL, "PUT", "{\"authorizationType\":\"NONE\"}",
             "/restapis/%s/resources/%s/methods/FETCH", l->api, l->items);
    assert_fx_message(fx, 400, "BadRequestException",
                      "Invalid HttpMethod specified. Valid options are "
                      "GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY");
    fx_callf(fx, NULL, "PUT", "{\"authorizationType\":\"CUSTOM\"}",
             "/restapis/%s/resources/%s/methods/PUT", l->api, l->items);
    assert_fx_message(
        fx, 400, "BadRequestException",
        "Invalid authorizer ID specified. Setting the authorization type to CUSTOM or "
        "COGNITO_USER_POOLS requires a valid authorizer.");
    fx_callf(
        fx, NULL, "PUT",
        "{\"authorizationType\":\"NONE\",\"requestParameters\":{\"method.request.header.id\":true,"
        "\"method.request.querystring.id\":true}}",
        "/restapis/%s/resources/%s/methods/PUT", l->api, l->items);
    assert_fx_message(fx, 400, "BadRequestException",
                      "Parameter names must be unique across querystring, header and path");
    fx_callf(
        fx, NULL, "PUT",
        "{\"authorizationType\":\"NONE\",\"requestModels\":{\"application/json\":\"petModel\"}}",
        "/restapis/%s/resources/%s/methods/PUT", l->api, l->items);
    assert_fx_message(fx, 400, "BadRequestException",
                      "Invalid model identifier specified: petModel");
    fx_callf(fx, NULL, "PUT", "{\"authorizationType\":\"NONE\",\"requestValidatorId\":\"abc\"}",
             "/restapis/%s/resources/%s/methods/PUT", l->api, l->items);
    assert_fx_message(fx, 400, "BadRequestException",
                      "Invalid Request Validator identifier specified");
    fx_callf(fx, NULL, "PUT",
             "{\"authorizationType\":\"NONE\",\"requestParameters\":{\"method.request.path.ID\":"
             "\"yes\"}}",
             "/restapis/%s/resources/%s/methods/PUT", l->api, l->items);
    assert_fx_error(fx, 400, "SerializationException");
    fx_callf(fx, NULL, "PUT", "{\"authorizationType\":\"NONE\"}",
             "/restapis/nope/resources/%s/methods/GET", l->items);
    assert_fx_message(fx, 404, "NotFoundException", "Invalid Resource identifier specified");
    fx_callf(fx, NULL, "PUT", "{\"authorizationType\":\"NONE\"}",
             "/restapis/%s/resources/nope00/methods/GET", l->api);
    assert_fx_message(fx, 404, "NotFoundException", "Invalid Resource identifier specified");
    /* none of the failed puts left a method behind */
    fx_callf(fx, NULL, "GET", NULL, "/restapis/%s/resources/%s/methods/PUT", l->api, l->items);
    assert_fx_message(fx, 404, "NotFoundException", "Invalid Method identifier specified");
    lab_free(l);
}

static void update_method_patch_paths(void **state) {
    (void)state;
    lab *l = lab_new(true);
    fixture *fx = l->fx;
    cJSON *b = NULL;
    assert_int_equal(
        patch(fx, &b,
              "[{\"op\":\"replace\",\"path\":\"/apiKeyRequired\",\"value\":\"true\"},"
              "{\"op\":\"replace\",\"path\":\"/authorizationType\",\"value\":\"AWS_IAM\"},"
              "{\"op\":\"replace\",\"path\":\"/operationName\",\"value\":\"GetItem\"},"
              "{\"op\":\"add\",\"path\":\"/requestParameters/"
              "method.request.header.X-Trace\",\"value\":\"true\"},"
              "{\"op\":\"add\",\"path\":\"/requestParameters/"
              "method.request.path.ID\",\"value\":\"false\"},"
              "{\"op\":\"add\",\"path\":\"/requestModels/application~1json\",\"value\":\"Item\"}]",
              METHOD_PATH, l->api, l->item, "GET", ""),
        200);
    assert_true(json_bool_or(b, "apiKeyRequired", false));
    assert_string_equal(json_str(b, "authorizationType"), "AWS_IAM");
    assert_string_equal(json_str(b, "operationName"), "GetItem");
    assert_true(
        json_bool_or(json_obj(b, "requestParameters"), "method.request.header.X-Trace", false));
    assert_false(json_bool_or(json_obj(b, "requestParameters"), "method.request.path.ID", true));
    assert_string_equal(json_str(json_obj(b, "requestModels"), "application/json"), "Item");
    assert_non_null(json_obj(b, "methodIntegration")); /* the update answers the whole method */
    cJSON_Delete(b);

    assert_int_equal(
        patch(fx, &b,
              "[{\"op\":\"remove\",\"path\":\"/requestParameters/method.request.header.X-Trace\"},"
              "{\"op\":\"remove\",\"path\":\"/requestParameters/method.request.path.ID\"},"
              "{\"op\":\"remove\",\"path\":\"/requestModels/application~1json\"},"
              "{\"op\":\"replace\",\"path\":\"/apiKeyRequired\",\"value\":\"whatever\"}]",
              METHOD_PATH, l->api, l->item, "GET", ""),
        200);
    assert_false(json_has(b, "requestParameters"));
    assert_false(json_has(b, "requestModels"));
    assert_false(json_bool_or(b, "apiKeyRequired", true));
    cJSON_Delete(b);

    patch(fx, NULL, "[{\"op\":\"add\",\"path\":\"/httpMethod\",\"value\":\"PUT\"}]", METHOD_PATH,
          l->api, l->item, "GET", "");
    assert_fx_message(fx, 400, "BadRequestException", "Invalid patch path /httpMethod");
    patch(fx, NULL, "[{\"op\":\"replace\",\"path\":\"/requestParameters\",\"value\":\"x\"}]",
          METHOD_PATH, l->api, l->item, "GET", "");
    assert_fx_message(fx, 400, "BadRequestException", "Invalid patch path /requestParameters");
    patch(fx, NULL,
          "[{\"op\":\"add\",\"path\":\"/requestModels/application/json\",\"value\":\"Empty\"}]",
          METHOD_PATH, l->api, l->item, "GET", "");
    assert_fx_message(fx, 400, "BadRequestException",
                      "Invalid patch path /requestModels/application/json");
    patch(fx, NULL, "[{\"op\":\"add\",\"path\":\"/operationName\",\"value\":\"x\"}]", METHOD_PATH,
          l->api, l->item, "GET", "");
    assert_fx_message(fx, 400, "BadRequestException",
                      "Invalid patch operation specified. Must be one of: [replace]");
    patch(fx, NULL, "[{\"op\":\"replace\",\"path\":\"/authorizationType\",\"value\":\"CUSTOM\"}]",
          METHOD_PATH, l->api, l->item, "GET", "");
    assert_fx_error(fx, 400, "BadRequestException");
    assert_non_null(strstr(fx_message(fx), "Invalid authorizer ID specified"));
    patch(fx, NULL,
          "[{\"op\":\"add\",\"path\":\"/requestModels/application~1json\",\"value\":\"Nope\"}]",
          METHOD_PATH, l->api, l->item, "GET", "");
    assert_fx_message(fx, 400, "BadRequestException", "Invalid model identifier specified: Nope");
    patch(fx, NULL, "[]", METHOD_PATH, l->api, l->item, "PUT", "");
    assert_fx_message(fx, 404, "NotFoundException", "Invalid Method identifier specified");
    lab_free(l);
}

static void delete_method_then_not_found(void **state) {
    (void)state;
    lab *l = lab_new(true);
    fixture *fx = l->fx;
    assert_int_equal(fx_callf(fx, NULL, "DELETE", NULL, "/restapis/%s/resources/%s/methods/GET",
                              l->api, l->items),
                     204);
    fx_callf(fx, NULL, "DELETE", NULL, "/restapis/%s/resources/%s/methods/GET", l->api, l->items);
    assert_fx_message(fx, 404, "NotFoundException", "Invalid Method identifier specified");
    fx_callf(fx, NULL, "GET", NULL, "/restapis/%s/resources/%s/methods/GET/integration", l->api,
             l->items);
    assert_fx_message(fx, 404, "NotFoundException", "Invalid Method identifier specified");
    cJSON *b = NULL;
    fx_callf(fx, &b, "GET", NULL, "/restapis/%s/resources/%s", l->api, l->items);
    assert_false(json_has(b, "resourceMethods"));
    cJSON_Delete(b);
    lab_free(l);
}

/* --- integrations ------------------------------------------------------------ */

static const char LAMBDA_URI[] =
    "arn:aws:apigateway:us-west-2:lambda:path/2015-03-31/functions/arn:aws:lambda:us-west-2:"
    "123456789012:function:ItemsFunction:${stageVariables.lambdaAlias}/invocations";

static void put_integration_validation(void **state) {
    (void)state;
    lab *l = lab_new(true);
    fixture *fx = l->fx;
    char path[256];
    snprintf(path, sizeof path, "/restapis/%s/resources/%s/methods/GET/integration", l->api,
             l->items);
    fx_call(fx, "PUT", path, "{\"type\":\"HTTPS_PROXY\"}", NULL);
    assert_fx_message(
        fx, 400, "ValidationException",
        "1 validation error detected: Value 'HTTPS_PROXY' at 'putIntegrationInput.type' failed "
        "to satisfy constraint: Member must satisfy enum value set: [HTTP, MOCK, AWS_PROXY, "
        "HTTP_PROXY, AWS]");
    fx_call(fx, "PUT", path, "{}", NULL);
    assert_fx_error(fx, 400, "ValidationException");
    fx_call(fx, "PUT", path,
            "{\"type\":\"AWS\",\"uri\":\"arn:aws:apigateway:us-west-2:lambda:path/x\"}", NULL);
    assert_fx_message(fx, 400, "BadRequestException",
                      "Enumeration value for HttpMethod must be non-empty");
    fx_call(fx, "PUT", path, "{\"type\":\"AWS\",\"httpMethod\":\"POST\",\"uri\":\"ItemsFunction\"}",
            NULL);
    assert_fx_message(fx, 400, "BadRequestException", "Invalid ARN specified in the request");
    fx_call(fx, "PUT", path,
            "{\"type\":\"AWS\",\"httpMethod\":\"POST\",\"uri\":\"arn:aws:apigateway:us-west-2:"
            "lambda:fn\"}",
            NULL);
    assert_fx_message(fx, 400, "BadRequestException",
                      "AWS ARN for integration must contain path or action");
    fx_call(fx, "PUT", path,
            "{\"type\":\"AWS_PROXY\",\"httpMethod\":\"POST\",\"uri\":\"arn:aws:apigateway:us-west-"
            "2:sqs:path/1/q\"}",
            NULL);
    assert_fx_message(
        fx, 400, "BadRequestException",
        "Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose "
        "stream invocations.");
    fx_call(fx, "PUT", path, "{\"type\":\"HTTP\",\"httpMethod\":\"GET\",\"uri\":\"ftp://x\"}",
            NULL);
    assert_fx_message(fx, 400, "BadRequestException", "Invalid HTTP endpoint specified for URI");
    fx_call(fx, "PUT", path, "{\"type\":\"MOCK\",\"timeoutInMillis\":10}", NULL);
    assert_fx_message(fx, 400, "BadRequestException",
                      "Timeout should be between 50 ms and 29000 ms");
    fx_call(fx, "PUT", path, "{\"type\":\"MOCK\",\"requestTemplates\":{\"json\":\"x\"}}", NULL);
    assert_fx_message(
        fx, 400, "BadRequestException",
        "Validation Result: warnings : [], errors : [Invalid content type specified: json]");
    fx_call(fx, "PUT", path, "{\"type\":\"MOCK\",\"requestTemplates\":{\"application/json\":123}}",
            NULL);
    assert_fx_message(
        fx, 400, "SerializationException",
        "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted "
        "to an String");
    fx_call(fx, "PUT", path,
            "{\"type\":\"MOCK\",\"requestParameters\":{\"integration.request.path.id\":\"method."
            "request.path.ID\"}}",
            NULL);
    assert_fx_message(
        fx, 400, "BadRequestException",
        "Invalid mapping expression specified: Validation Result: warnings : [], errors : "
        "[Invalid mapping expression parameter specified: method.request.path.ID]");
    /* the failed puts kept the mock and its responses */
    cJSON *b = NULL;
    fx_call(fx, "GET", path, NULL, &b);
    assert_string_equal(json_str(b, "type"), "MOCK");
    assert_non_null(json_obj(b, "integrationResponses"));
    cJSON_Delete(b);
    snprintf(path, sizeof path, "/restapis/%s/resources/%s/methods/PUT/integration", l->api,
             l->items);
    fx_call(fx, "PUT", path, "{\"type\":\"MOCK\"}", NULL);
    assert_fx_message(fx, 404, "NotFoundException", "Invalid Method identifier specified");
    lab_free(l);
}

static void put_integration_lambda_replaces(void **state) {
    (void)state;
    lab *l = lab_new(true);
    fixture *fx = l->fx;
    char path[256], body[1024];
    snprintf(path, sizeof path, "/restapis/%s/resources/%s/methods/GET/integration", l->api,
             l->items);
    snprintf(body, sizeof body,
             "{\"type\":\"AWS\",\"httpMethod\":\"POST\",\"uri\":\"%s\",\"passthroughBehavior\":"
             "\"WHEN_NO_TEMPLATES\",\"contentHandling\":\"CONVERT_TO_TEXT\"}",
             LAMBDA_URI);
    cJSON *b = NULL;
    assert_int_equal(fx_call(fx, "PUT", path, body, &b), 201);
    assert_string_equal(json_str(b, "httpMethod"), "POST");
    assert_string_equal(json_str(b, "uri"), LAMBDA_URI);
    assert_string_equal(json_str(b, "passthroughBehavior"), "WHEN_NO_TEMPLATES");
    assert_string_equal(json_str(b, "contentHandling"), "CONVERT_TO_TEXT");
    assert_false(json_has(b, "integrationResponses")); /* a put starts over */
    cJSON_Delete(b);
    fx_callf(fx, NULL, "GET", NULL,
             "/restapis/%s/resources/%s/methods/GET/integration/responses/200", l->api, l->items);
    assert_fx_message(fx, 404, "NotFoundException", "Invalid Response status code specified");

    snprintf(body, sizeof body, "{\"type\":\"AWS_PROXY\",\"httpMethod\":\"POST\",\"uri\":\"%s\"}",
             LAMBDA_URI);
    assert_int_equal(fx_call(fx, "PUT", path, body, &b), 201);
    assert_string_equal(json_str(b, "type"), "AWS_PROXY");
    cJSON_Delete(b);
    assert_int_equal(fx_call(fx, "PUT", path,
                             "{\"type\":\"HTTP_PROXY\",\"httpMethod\":\"ANY\",\"uri\":\"https://"
                             "example.com/{proxy}\"}",
                             &b),
                     201);
    assert_string_equal(json_str(b, "connectionType"), "INTERNET");
    cJSON_Delete(b);
    lab_free(l);
}

static void update_integration_patch_paths(void **state) {
    (void)state;
    lab *l = lab_new(true);
    fixture *fx = l->fx;
    fx_callf(
        fx, NULL, "PUT",
        "{\"authorizationType\":\"NONE\",\"requestParameters\":{\"method.request.path.ID\":true}}",
        "/restapis/%s/resources/%s/methods/PUT", l->api, l->item);
    fx_callf(fx, NULL, "PUT", "{\"type\":\"MOCK\"}",
             "/restapis/%s/resources/%s/methods/PUT/integration", l->api, l->item);
    char ops[2048];
    snprintf(ops, sizeof ops,
             "[{\"op\":\"replace\",\"path\":\"/type\",\"value\":\"AWS\"},"
             "{\"op\":\"replace\",\"path\":\"/httpMethod\",\"value\":\"POST\"},"
             "{\"op\":\"replace\",\"path\":\"/uri\",\"value\":\"%s\"},"
             "{\"op\":\"replace\",\"path\":\"/passthroughBehavior\",\"value\":\"NEVER\"},"
             "{\"op\":\"replace\",\"path\":\"/timeoutInMillis\",\"value\":\"5000\"},"
             "{\"op\":\"add\",\"path\":\"/requestTemplates/"
             "application~1json\",\"value\":\"{\\\"ID\\\": $input.params(\\\"ID\\\")}\"},"
             "{\"op\":\"add\",\"path\":\"/requestTemplates/text~1plain\"},"
             "{\"op\":\"add\",\"path\":\"/requestParameters/"
             "integration.request.header.x-id\",\"value\":\"method.request.path.ID\"},"
             "{\"op\":\"add\",\"path\":\"/cacheKeyParameters/method.request.path.ID\"}]",
             LAMBDA_URI);
    cJSON *b = NULL;
    assert_int_equal(patch(fx, &b, ops, METHOD_PATH, l->api, l->item, "PUT", "/integration"), 200);
    assert_string_equal(json_str(b, "type"), "AWS");
    assert_string_equal(json_str(b, "httpMethod"), "POST");
    assert_string_equal(json_str(b, "uri"), LAMBDA_URI);
    assert_string_equal(json_str(b, "passthroughBehavior"), "NEVER");
    assert_true(cJSON_IsNumber(cJSON_GetObjectItem(b, "timeoutInMillis")));
    assert_true(json_num_or(b, "timeoutInMillis", 0) == 5000);
    assert_string_equal(json_str(json_obj(b, "requestTemplates"), "application/json"),
                        "{\"ID\": $input.params(\"ID\")}");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(json_obj(b, "requestTemplates"), "text/plain")));
    assert_string_equal(
        json_str(json_obj(b, "requestParameters"), "integration.request.header.x-id"),
        "method.request.path.ID");
    assert_string_equal(cJSON_GetArrayItem(json_arr(b, "cacheKeyParameters"), 0)->valuestring,
                        "method.request.path.ID");
    cJSON_Delete(b);

    assert_int_equal(
        patch(fx, &b,
              "[{\"op\":\"remove\",\"path\":\"/requestTemplates/application~1json\"},"
              "{\"op\":\"remove\",\"path\":\"/requestTemplates/text~1plain\"},"
              "{\"op\":\"remove\",\"path\":\"/cacheKeyParameters/method.request.path.ID\"}]",
              METHOD_PATH, l->api, l->item, "PUT", "/integration"),
        200);
    assert_false(json_has(b, "requestTemplates"));
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "cacheKeyParameters")), 0);
    cJSON_Delete(b);

    patch(fx, NULL, "[{\"op\":\"replace\",\"path\":\"/nope\",\"value\":\"x\"}]", METHOD_PATH,
          l->api, l->item, "PUT", "/integration");
    assert_fx_error(fx, 400, "BadRequestException");
    assert_non_null(strstr(fx_message(fx), "'/nope' specified for op 'replace'"));
    patch(fx, NULL, "[{\"op\":\"replace\",\"path\":\"/timeoutInMillis\",\"value\":\"40000\"}]",
          METHOD_PATH, l->api, l->item, "PUT", "/integration");
    assert_fx_message(fx, 400, "BadRequestException",
                      "Timeout should be between 50 ms and 29000 ms");
    patch(fx, NULL, "[{\"op\":\"replace\",\"path\":\"/uri\",\"value\":\"nope\"}]", METHOD_PATH,
          l->api, l->item, "PUT", "/integration");
    assert_fx_message(fx, 400, "BadRequestException", "Invalid ARN specified in the request");
    lab_free(l);
}

static void get_and_delete_integration(void **state) {
    (void)state;
    lab *l = lab_new(true);
    fixture *fx = l->fx;
    fx_callf(fx, NULL, "PUT", "{\"authorizationType\":\"NONE\"}",
             "/restapis/%s/resources/%s/methods/POST", l->api, l->items);
    fx_callf(fx, NULL, "GET", NULL, "/restapis/%s/resources/%s/methods/POST/integration", l->api,
             l->items);
    assert_fx_message(fx, 404, "NotFoundException", "Invalid Integration identifier specified");
    fx_callf(fx, NULL, "GET", NULL, "/restapis/nope/resources/%s/methods/POST/integration",
             l->items);
    assert_fx_message(fx, 404, "NotFoundException", "Invalid Resource identifier specified");
    assert_int_equal(fx_callf(fx, NULL, "DELETE", NULL,
                              "/restapis/%s/resources/%s/methods/GET/integration", l->api,
                              l->items),
                     204);
    cJSON *b = NULL;
    fx_callf(fx, &b, "GET", NULL, "/restapis/%s/resources/%s/methods/GET", l->api, l->items);
    assert_false(json_has(b, "methodIntegration"));
    assert_non_null(json_obj(b, "methodResponses")); /* method responses stay */
    cJSON_Delete(b);
    lab_free(l);
}

/* --- method responses ---------------------------------------------------------- */

#define MR_PATH "/restapis/%s/resources/%s/methods/GET/responses/%s%s"

static void method_responses(void **state) {
    (void)state;
    lab *l = lab_new(true);
    fixture *fx = l->fx;
    cJSON *b = NULL;
    fx_callf(fx, NULL, "PUT", "{}", "/restapis/%s/resources/%s/methods/GET/responses/wrong", l->api,
             l->items);
    assert_fx_message(
        fx, 400, "ValidationException",
        "1 validation error detected: Value 'wrong' at 'statusCode' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: [1-5]\\d\\d");
    fx_callf(fx, NULL, "PUT", "{}", "/restapis/%s/resources/%s/methods/GET/responses/600", l->api,
             l->items);
    assert_fx_error(fx, 400, "ValidationException");
    fx_callf(fx, NULL, "GET", NULL, "/restapis/%s/resources/%s/methods/GET/responses/404", l->api,
             l->items);
    assert_fx_message(fx, 404, "NotFoundException", "Invalid Response status code specified");
    assert_int_equal(fx_callf(fx, &b, "PUT",
                              "{\"responseParameters\":{\"method.response.header.Access-Control-"
                              "Allow-Origin\":false},"
                              "\"responseModels\":{}}",
                              "/restapis/%s/resources/%s/methods/GET/responses/400", l->api,
                              l->items),
                     201);
    assert_false(json_bool_or(json_obj(b, "responseParameters"),
                              "method.response.header.Access-Control-Allow-Origin", true));
    assert_non_null(json_obj(b, "responseModels")); /* given empty, kept empty */
    cJSON_Delete(b);

    /* UpdateMethodResponse answers 201, as its model says */
    assert_int_equal(patch(fx, &b,
                           "[{\"op\":\"add\",\"path\":\"/responseParameters/"
                           "method.response.header.X-Id\",\"value\":\"true\"},"
                           "{\"op\":\"replace\",\"path\":\"/responseModels/"
                           "application~1json\",\"value\":\"Error\"}]",
                           MR_PATH, l->api, l->items, "200", ""),
                     201);
    assert_true(
        json_bool_or(json_obj(b, "responseParameters"), "method.response.header.X-Id", false));
    assert_string_equal(json_str(json_obj(b, "responseModels"), "application/json"), "Error");
    cJSON_Delete(b);
    assert_int_equal(
        patch(fx, &b,
              "[{\"op\":\"remove\",\"path\":\"/responseParameters/method.response.header.X-Id\"},"
              "{\"op\":\"remove\",\"path\":\"/responseModels/application~1json\"}]",
              MR_PATH, l->api, l->items, "200", ""),
        201);
    assert_false(json_has(b, "responseParameters"));
    assert_false(json_has(b, "responseModels"));
    cJSON_Delete(b);
    patch(fx, NULL,
          "[{\"op\":\"remove\",\"path\":\"/responseParameters/method.response.header.none\"}]",
          MR_PATH, l->api, l->items, "200", "");
    assert_fx_message(fx, 404, "NotFoundException", "Invalid parameter name specified");
    patch(fx, NULL,
          "[{\"op\":\"replace\",\"path\":\"/responseModels/text~1xml\",\"value\":\"Empty\"}]",
          MR_PATH, l->api, l->items, "200", "");
    assert_fx_message(fx, 404, "NotFoundException", "Content-Type specified was not found");
    patch(fx, NULL,
          "[{\"op\":\"add\",\"path\":\"/wrong/"
          "method.response.header.my-header\",\"value\":\"true\"}]",
          MR_PATH, l->api, l->items, "200", "");
    assert_fx_message(fx, 400, "BadRequestException",
                      "Invalid patch path /wrong/method.response.header.my-header");
    patch(fx, NULL, "[]", MR_PATH, l->api, l->items, "201", "");
    assert_fx_message(fx, 404, "NotFoundException", "Invalid Response status code specified");

    assert_int_equal(fx_callf(fx, NULL, "DELETE", NULL,
                              "/restapis/%s/resources/%s/methods/GET/responses/400", l->api,
                              l->items),
                     204);
    fx_callf(fx, NULL, "DELETE", NULL, "/restapis/%s/resources/%s/methods/GET/responses/400",
             l->api, l->items);
    assert_fx_message(fx, 404, "NotFoundException", "Invalid Response status code specified");
    lab_free(l);
}

/* --- integration responses -------------------------------------------------------- */

#define IR_PATH "/restapis/%s/resources/%s/methods/%s/integration/responses/%s"

static void integration_response_rules(void **state) {
    (void)state;
    lab *l = lab_new(true);
    fixture *fx = l->fx;
    char path[256];
    fx_callf(fx, NULL, "PUT", "{\"authorizationType\":\"NONE\"}",
             "/restapis/%s/resources/%s/methods/POST", l->api, l->items);
    snprintf(path, sizeof path, IR_PATH, l->api, l->items, "POST", "200");
    fx_call(fx, "PUT", path, "{}", NULL);
    assert_fx_message(fx, 404, "NotFoundException", "No integration defined for method");

    snprintf(path, sizeof path, IR_PATH, l->api, l->items, "GET", "400");
    fx_call(fx, "PUT", path, "{\"selectionPattern\":\"\"}", NULL);
    assert_fx_message(fx, 409, "ConflictException",
                      "Integration response with selection pattern default already exists");
    fx_call(fx, "PUT", path,
            "{\"selectionPattern\":\"4\\\\d{2}\",\"responseParameters\":{\"method.response.header."
            "X\":\"'1'\"}}",
            NULL);
    assert_fx_message(
        fx, 400, "BadRequestException",
        "Invalid mapping expression specified: Validation Result: warnings : [], errors : [No "
        "method response exists for method.]");
    fx_callf(fx, NULL, "PUT", "{\"responseParameters\":{\"method.response.header.X\":false}}",
             "/restapis/%s/resources/%s/methods/GET/responses/400", l->api, l->items);
    fx_call(fx, "PUT", path,
            "{\"selectionPattern\":\"4\\\\d{2}\",\"responseParameters\":{\"method.response.header."
            "Y\":\"'1'\"}}",
            NULL);
    assert_fx_message(
        fx, 400, "BadRequestException",
        "Invalid mapping expression specified: Validation Result: warnings : [], errors : "
        "[Invalid mapping expression parameter specified: method.response.header.Y]");
    cJSON *b = NULL;
    assert_int_equal(
        fx_call(fx, "PUT", path,
                "{\"selectionPattern\":\"4\\\\d{2}\",\"contentHandling\":\"CONVERT_TO_TEXT\","
                "\"responseParameters\":{\"method.response.header.X\":\"'1'\"},"
                "\"responseTemplates\":{\"application/json\":\"\"}}",
                &b),
        201);
    assert_string_equal(json_str(b, "selectionPattern"), "4\\d{2}");
    assert_string_equal(json_str(b, "contentHandling"), "CONVERT_TO_TEXT");
    assert_true(
        cJSON_IsNull(cJSON_GetObjectItem(json_obj(b, "responseTemplates"), "application/json")));
    cJSON_Delete(b);

    /* a response without a method response of its status is accepted */
    snprintf(path, sizeof path, IR_PATH, l->api, l->items, "GET", "500");
    assert_int_equal(fx_call(fx, "PUT", path, "{\"selectionPattern\":\"5\\\\d{2}\"}", NULL), 201);
    snprintf(path, sizeof path, IR_PATH, l->api, l->items, "GET", "abc");
    fx_call(fx, "PUT", path, "{}", NULL);
    assert_fx_error(fx, 400, "ValidationException");
    lab_free(l);
}

static void integration_response_get_update_delete(void **state) {
    (void)state;
    lab *l = lab_new(true);
    fixture *fx = l->fx;
    cJSON *b = NULL;
    char path[256];
    snprintf(path, sizeof path, IR_PATH, l->api, l->item, "GET", "200");
    assert_int_equal(fx_call(fx, "GET", path, NULL, &b), 200);
    assert_string_equal(json_str(json_obj(b, "responseTemplates"), "application/json"),
                        LAB_ITEM_TEMPLATE);
    assert_string_equal(json_str(b, "selectionPattern"), "");
    cJSON_Delete(b);

    fx_callf(
        fx, NULL, "PUT",
        "{\"responseParameters\":{\"method.response.header.Access-Control-Allow-Origin\":true}}",
        "/restapis/%s/resources/%s/methods/GET/responses/200", l->api, l->item);
    assert_int_equal(
        patch(
            fx, &b,
            "[{\"op\":\"replace\",\"path\":\"/selectionPattern\",\"value\":\"updated-pattern\"},"
            "{\"op\":\"replace\",\"path\":\"/responseTemplates/"
            "application~1json\",\"value\":\"{}\"},"
            "{\"op\":\"add\",\"path\":\"/responseTemplates/application~1xml\",\"value\":\"<a/>\"},"
            "{\"op\":\"add\",\"path\":\"/responseParameters/"
            "method.response.header.Access-Control-Allow-Origin\","
            "\"value\":\"'*'\"}]",
            IR_PATH, l->api, l->item, "GET", "200"),
        200);
    assert_string_equal(json_str(b, "selectionPattern"), "updated-pattern");
    assert_string_equal(json_str(json_obj(b, "responseTemplates"), "application/json"), "{}");
    assert_string_equal(json_str(json_obj(b, "responseTemplates"), "application/xml"), "<a/>");
    assert_string_equal(json_str(json_obj(b, "responseParameters"),
                                 "method.response.header.Access-Control-Allow-Origin"),
                        "'*'");
    cJSON_Delete(b);
    assert_int_equal(patch(fx, &b,
                           "[{\"op\":\"remove\",\"path\":\"/responseTemplates/application~1xml\"},"
                           "{\"op\":\"remove\",\"path\":\"/responseParameters/"
                           "method.response.header.Access-Control-Allow-Origin\"}]",
                           IR_PATH, l->api, l->item, "GET", "200"),
                     200);
    assert_false(json_has(json_obj(b, "responseTemplates"), "application/xml"));
    assert_false(json_has(b, "responseParameters"));
    cJSON_Delete(b);
    patch(fx, NULL,
          "[{\"op\":\"add\",\"path\":\"/responseParameters/"
          "method.response.header.Nope\",\"value\":\"'x'\"}]",
          IR_PATH, l->api, l->item, "GET", "200");
    assert_fx_error(fx, 400, "BadRequestException");
    patch(fx, NULL, "[{\"op\":\"add\",\"path\":\"/statusCode\",\"value\":\"201\"}]", IR_PATH,
          l->api, l->item, "GET", "200");
    assert_fx_error(fx, 400, "BadRequestException");

    snprintf(path, sizeof path, IR_PATH, l->api, l->item, "GET", "404");
    fx_call(fx, "GET", path, NULL, NULL);
    assert_fx_message(fx, 404, "NotFoundException", "Invalid Response status code specified");
    snprintf(path, sizeof path, IR_PATH, l->api, l->item, "PUT", "200");
    fx_call(fx, "GET", path, NULL, NULL);
    assert_fx_message(fx, 404, "NotFoundException", "Invalid Method identifier specified");
    fx_call(fx, "DELETE", path, NULL, NULL); /* AWS names the integration here */
    assert_fx_message(fx, 404, "NotFoundException", "Invalid Integration identifier specified");
    snprintf(path, sizeof path, IR_PATH, "nope", l->item, "GET", "200");
    fx_call(fx, "DELETE", path, NULL, NULL);
    assert_fx_message(fx, 404, "NotFoundException", "Invalid Resource identifier specified");
    snprintf(path, sizeof path, IR_PATH, l->api, l->item, "GET", "200");
    assert_int_equal(fx_call(fx, "DELETE", path, NULL, NULL), 204);
    fx_call(fx, "DELETE", path, NULL, NULL);
    assert_fx_message(fx, 404, "NotFoundException", "Invalid Response status code specified");
    fx_callf(fx, &b, "GET", NULL, "/restapis/%s/resources/%s/methods/GET/integration", l->api,
             l->item);
    assert_false(json_has(b, "integrationResponses"));
    cJSON_Delete(b);
    lab_free(l);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lab_resources_have_paths),
        cmocka_unit_test(lab_mock_method_answers),
        cmocka_unit_test(get_resources_embed_and_not),
        cmocka_unit_test(get_resources_pages),
        cmocka_unit_test(create_resource_errors),
        cmocka_unit_test(delete_resource_takes_subtree),
        cmocka_unit_test(update_resource_paths),
        cmocka_unit_test(put_method_options_and_errors),
        cmocka_unit_test(update_method_patch_paths),
        cmocka_unit_test(delete_method_then_not_found),
        cmocka_unit_test(put_integration_validation),
        cmocka_unit_test(put_integration_lambda_replaces),
        cmocka_unit_test(update_integration_patch_paths),
        cmocka_unit_test(get_and_delete_integration),
        cmocka_unit_test(method_responses),
        cmocka_unit_test(integration_response_rules),
        cmocka_unit_test(integration_response_get_update_delete),
    };
    return cmocka_run_group_tests_name("apigw_resource", tests, NULL, NULL);
}
