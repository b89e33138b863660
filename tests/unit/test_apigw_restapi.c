/* REST APIs and models in the emulator: defaults, validation, paging,
 * patch operations and AWS's error messages. */
#include "fixture.h"

#include <stdio.h>
#include <string.h>

#include "core/json.h"

static const char ITEM_SCHEMA[] =
    "{\\\"$schema\\\": \\\"http://json-schema.org/draft-04/schema#\\\", \\\"title\\\": \\\"Item "
    "Schema\\\", \\\"type\\\": \\\"object\\\", \\\"properties\\\": {\\\"ID\\\": {\\\"type\\\": "
    "\\\"number\\\"}, \\\"name\\\": {\\\"type\\\": \\\"string\\\"}, \\\"price\\\": {\\\"type\\\": "
    "\\\"number\\\"}}}";

/* Create an API from a JSON body; its id goes to id (11 bytes). */
static void make_api(fixture *fx, const char *body, char *id) {
    cJSON *b = NULL;
    assert_int_equal(fx_call(fx, "POST", "/restapis", body, &b), 201);
    snprintf(id, 11, "%s", json_str(b, "id"));
    cJSON_Delete(b);
}

static void assert_id(const char *id, size_t len) {
    assert_non_null(id);
    assert_int_equal(strlen(id), len);
    for (const char *p = id; *p; p++)
        assert_true((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'));
}

static void create_has_aws_defaults(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    cJSON *b = NULL;
    assert_int_equal(fx_call(fx, "POST", "/restapis", "{\"name\":\"ItemsAPI\"}", &b), 201);
    assert_id(json_str(b, "id"), 10);
    assert_id(json_str(b, "rootResourceId"), 10);
    assert_string_equal(json_str(b, "name"), "ItemsAPI");
    assert_string_equal(json_str(b, "apiKeySource"), "HEADER");
    assert_false(json_bool_or(b, "disableExecuteApiEndpoint", true));
    assert_true(json_num_or(b, "createdDate", 0) == (double)(FIXTURE_T0_MS / 1000));
    cJSON *ec = json_obj(b, "endpointConfiguration");
    assert_string_equal(cJSON_GetArrayItem(json_arr(ec, "types"), 0)->valuestring, "EDGE");
    assert_int_equal(cJSON_GetArraySize(json_arr(ec, "types")), 1);
    assert_string_equal(json_str(ec, "ipAddressType"), "ipv4");
    assert_false(json_has(b, "description"));
    assert_false(json_has(b, "tags"));
    char id[11], root[11];
    snprintf(id, sizeof id, "%s", json_str(b, "id"));
    snprintf(root, sizeof root, "%s", json_str(b, "rootResourceId"));
    cJSON_Delete(b);

    /* the root resource "/" exists, with nothing else */
    assert_int_equal(fx_callf(fx, &b, "GET", NULL, "/restapis/%s/resources", id), 200);
    cJSON *items = json_arr(b, "item");
    assert_int_equal(cJSON_GetArraySize(items), 1);
    cJSON *r = cJSON_GetArrayItem(items, 0);
    assert_string_equal(json_str(r, "id"), root);
    assert_string_equal(json_str(r, "path"), "/");
    assert_false(json_has(r, "parentId"));
    assert_false(json_has(r, "pathPart"));
    cJSON_Delete(b);
    fixture_free(fx);
}

static void default_models_match_aws(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    char id[11];
    make_api(fx, "{\"name\":\"ItemsAPI\"}", id);
    cJSON *b = NULL;
    assert_int_equal(fx_callf(fx, &b, "GET", NULL, "/restapis/%s/models", id), 200);
    cJSON *items = json_arr(b, "item");
    assert_int_equal(cJSON_GetArraySize(items), 2);
    cJSON *empty = cJSON_GetArrayItem(items, 0), *error = cJSON_GetArrayItem(items, 1);
    assert_string_equal(json_str(empty, "name"), "Empty");
    assert_string_equal(json_str(empty, "description"), "This is a default empty schema model");
    assert_string_equal(json_str(empty, "contentType"), "application/json");
    assert_string_equal(json_str(empty, "schema"),
                        "{\n  \"$schema\": \"http://json-schema.org/draft-04/schema#\",\n"
                        "  \"title\" : \"Empty Schema\",\n  \"type\" : \"object\"\n}");
    assert_id(json_str(empty, "id"), 6);
    assert_string_equal(json_str(error, "name"), "Error");
    assert_string_equal(json_str(error, "description"), "This is a default error schema model");
    assert_non_null(strstr(json_str(error, "schema"), "\"title\" : \"Error Schema\""));
    assert_non_null(strstr(json_str(error, "schema"), "\"message\" : { \"type\" : \"string\" }"));
    cJSON_Delete(b);
    fixture_free(fx);
}

static void create_regional_with_description(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    cJSON *b = NULL;
    assert_int_equal(
        fx_call(fx, "POST", "/restapis",
                "{\"name\":\"ItemsAPI\",\"description\":\"Items\",\"endpointConfiguration\":"
                "{\"types\":[\"REGIONAL\"]},\"tags\":{\"lab\":\"1\"},\"binaryMediaTypes\":[]}",
                &b),
        201);
    cJSON *ec = json_obj(b, "endpointConfiguration");
    assert_string_equal(cJSON_GetArrayItem(json_arr(ec, "types"), 0)->valuestring, "REGIONAL");
    assert_string_equal(json_str(b, "description"), "Items");
    assert_string_equal(json_str(json_obj(b, "tags"), "lab"), "1");
    assert_false(json_has(b, "binaryMediaTypes")); /* empty lists are left out */
    cJSON_Delete(b);

    assert_int_equal(fx_call(fx, "POST", "/restapis",
                             "{\"name\":\"P\",\"endpointConfiguration\":{\"types\":[\"PRIVATE\"]}}",
                             &b),
                     201);
    assert_string_equal(json_str(json_obj(b, "endpointConfiguration"), "ipAddressType"),
                        "dualstack");
    cJSON_Delete(b);
    fixture_free(fx);
}

static void create_validation_errors(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    fx_call(fx, "POST", "/restapis", "{}", NULL);
    assert_fx_message(
        fx, 400, "ValidationException",
        "1 validation error detected: Value null at 'createRestApiInput.name' failed to "
        "satisfy constraint: Member must not be null");
    fx_call(fx, "POST", "/restapis", "{\"name\":\"\"}", NULL);
    assert_fx_message(fx, 400, "BadRequestException", "Name cannot be an empty string");
    fx_call(fx, "POST", "/restapis", "{\"name\":\"a\",\"description\":\"\"}", NULL);
    assert_fx_message(fx, 400, "BadRequestException", "Description cannot be an empty string");
    fx_call(fx, "POST", "/restapis", "{\"name\":\"a\",\"minimumCompressionSize\":-1}", NULL);
    assert_fx_message(fx, 400, "BadRequestException",
                      "Invalid minimum compression size, must be between 0 and 10485760");
    fx_call(fx, "POST", "/restapis", "{\"name\":\"a\",\"apiKeySource\":\"BODY\"}", NULL);
    assert_fx_message(
        fx, 400, "ValidationException",
        "1 validation error detected: Value 'BODY' at 'createRestApiInput.apiKeySource' "
        "failed to satisfy constraint: Member must satisfy enum value set: [HEADER, "
        "AUTHORIZER]");
    fx_call(fx, "POST", "/restapis", "{\"name\":\"a\",\"endpointConfiguration\":{\"types\":[]}}",
            NULL);
    assert_fx_message(fx, 400, "BadRequestException",
                      "REGIONAL Configuration and EDGE Configuration cannot be both DISABLED.");
    fx_call(fx, "POST", "/restapis",
            "{\"name\":\"a\",\"endpointConfiguration\":{\"types\":[\"EDGE\",\"REGIONAL\"]}}", NULL);
    assert_fx_message(fx, 400, "BadRequestException",
                      "Cannot create an api with multiple Endpoint Types.");
    fx_call(fx, "POST", "/restapis",
            "{\"name\":\"a\",\"endpointConfiguration\":{\"types\":[\"wrong\"],\"ipAddressType\":"
            "\"x\"}}",
            NULL);
    assert_fx_message(
        fx, 400, "ValidationException",
        "2 validation errors detected: Value '[wrong]' at "
        "'createRestApiInput.endpointConfiguration.types' failed to satisfy constraint: "
        "Member must satisfy constraint: [Member must satisfy enum value set: [PRIVATE, "
        "EDGE, REGIONAL]]; Value 'x' at 'createRestApiInput.endpointConfiguration."
        "ipAddressType' failed to satisfy constraint: Member must satisfy enum value set: "
        "[ipv4, dualstack]");
    fx_call(fx, "POST", "/restapis",
            "{\"name\":\"a\",\"endpointConfiguration\":{\"types\":[\"PRIVATE\"],\"ipAddressType\":"
            "\"ipv4\"}}",
            NULL);
    assert_fx_message(fx, 400, "BadRequestException",
                      "Only dualstack ipAddressType is supported for Private APIs.");
    fx_call(fx, "POST", "/restapis", "{\"name\":\"a\",\"cloneFrom\":\"nope\"}", NULL);
    assert_fx_message(fx, 404, "NotFoundException",
                      "Invalid API identifier specified 123456789012:nope");
    /* nothing was created by the failed calls */
    cJSON *b = NULL;
    fx_call(fx, "GET", "/restapis", NULL, &b);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "item")), 0);
    cJSON_Delete(b);
    fixture_free(fx);
}

static void list_pages_with_position_and_limit(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    char ids[3][11];
    for (int i = 0; i < 3; i++) make_api(fx, "{\"name\":\"api\"}", ids[i]);
    cJSON *b = NULL;
    assert_int_equal(fx_call(fx, "GET", "/restapis?limit=2", NULL, &b), 200);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "item")), 2);
    assert_string_equal(json_str(cJSON_GetArrayItem(json_arr(b, "item"), 0), "id"), ids[0]);
    assert_string_equal(json_str(b, "position"), "2");
    cJSON_Delete(b);
    assert_int_equal(fx_call(fx, "GET", "/restapis?limit=2&position=2", NULL, &b), 200);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "item")), 1);
    assert_string_equal(json_str(cJSON_GetArrayItem(json_arr(b, "item"), 0), "id"), ids[2]);
    assert_false(json_has(b, "position"));
    cJSON_Delete(b);
    assert_int_equal(fx_call(fx, "GET", "/restapis?limit=0", NULL, NULL), 400);
    assert_int_equal(fx_callf(fx, &b, "GET", NULL, "/restapis/%s", ids[1]), 200);
    assert_string_equal(json_str(b, "id"), ids[1]);
    cJSON_Delete(b);
    fixture_free(fx);
}

static void unknown_api_is_not_found(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    fx_call(fx, "GET", "/restapis/abc123", NULL, NULL);
    assert_fx_message(fx, 404, "NotFoundException",
                      "Invalid API identifier specified 123456789012:abc123");
    fx_call(fx, "PATCH", "/restapis/abc123", "{\"patchOperations\":[]}", NULL);
    assert_fx_message(fx, 404, "NotFoundException",
                      "Invalid API identifier specified 123456789012:abc123");
    fx_call(fx, "DELETE", "/restapis/abc123", NULL, NULL);
    assert_fx_message(fx, 404, "NotFoundException",
                      "Invalid API identifier specified 123456789012:abc123");
    fx_call(fx, "GET", "/restapis/abc123/models", NULL, NULL);
    assert_fx_message(fx, 404, "NotFoundException",
                      "Invalid API identifier specified 123456789012:abc123");
    fx_call(fx, "GET", "/restapis/abc123/models/Empty", NULL, NULL);
    assert_fx_message(fx, 404, "NotFoundException", "Invalid model name specified: Empty");
    fixture_free(fx);
}

static cJSON *patch_api(fixture *fx, const char *id, const char *ops, int want) {
    char body[1024];
    snprintf(body, sizeof body, "{\"patchOperations\":%s}", ops);
    cJSON *b = NULL;
    assert_int_equal(fx_callf(fx, &b, "PATCH", body, "/restapis/%s", id), want);
    return b;
}

static void update_patch_paths(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    char id[11];
    make_api(fx, "{\"name\":\"ItemsAPI\",\"description\":\"old\"}", id);
    cJSON *b =
        patch_api(fx, id,
                  "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"Renamed\"},"
                  "{\"op\":\"replace\",\"path\":\"/description\",\"value\":\"new\"},"
                  "{\"op\":\"replace\",\"path\":\"/apiKeySource\",\"value\":\"AUTHORIZER\"},"
                  "{\"op\":\"replace\",\"path\":\"/disableExecuteApiEndpoint\",\"value\":\"true\"},"
                  "{\"op\":\"replace\",\"path\":\"/minimumCompressionSize\",\"value\":\"10\"},"
                  "{\"op\":\"add\",\"path\":\"/binaryMediaTypes/image~1png\"},"
                  "{\"op\":\"add\",\"path\":\"/binaryMediaTypes/image~1jpeg\"}]",
                  200);
    assert_string_equal(json_str(b, "name"), "Renamed");
    assert_string_equal(json_str(b, "description"), "new");
    assert_string_equal(json_str(b, "apiKeySource"), "AUTHORIZER");
    assert_true(json_bool_or(b, "disableExecuteApiEndpoint", false));
    assert_true(json_num_or(b, "minimumCompressionSize", -1) == 10);
    cJSON *types = json_arr(b, "binaryMediaTypes");
    assert_int_equal(cJSON_GetArraySize(types), 2);
    assert_string_equal(cJSON_GetArrayItem(types, 0)->valuestring, "image/png");
    assert_non_null(json_obj(b, "tags")); /* AWS returns tags on update */
    cJSON_Delete(b);

    b = patch_api(
        fx, id,
        "[{\"op\":\"replace\",\"path\":\"/binaryMediaTypes/image~1png\",\"value\":\"image/gif\"},"
        "{\"op\":\"remove\",\"path\":\"/description\"},"
        "{\"op\":\"replace\",\"path\":\"/minimumCompressionSize\",\"value\":\"\"},"
        "{\"op\":\"replace\",\"path\":\"/endpointConfiguration/types/"
        "EDGE\",\"value\":\"REGIONAL\"}]",
        200);
    types = json_arr(b, "binaryMediaTypes");
    assert_string_equal(cJSON_GetArrayItem(types, 0)->valuestring, "image/jpeg");
    assert_string_equal(cJSON_GetArrayItem(types, 1)->valuestring, "image/gif");
    assert_false(json_has(b, "description"));
    assert_false(json_has(b, "minimumCompressionSize"));
    assert_string_equal(
        cJSON_GetArrayItem(json_arr(json_obj(b, "endpointConfiguration"), "types"), 0)->valuestring,
        "REGIONAL");
    cJSON_Delete(b);

    /* the change is stored, not only answered */
    assert_int_equal(fx_callf(fx, &b, "GET", NULL, "/restapis/%s", id), 200);
    assert_string_equal(json_str(b, "name"), "Renamed");
    cJSON_Delete(b);
    fixture_free(fx);
}

static void update_errors(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    char id[11];
    make_api(fx, "{\"name\":\"ItemsAPI\"}", id);
    cJSON_Delete(patch_api(
        fx, id, "[{\"op\":\"add\",\"path\":\"/minimumCompressionSize\",\"value\":\"1\"}]", 400));
    assert_fx_message(fx, 400, "BadRequestException",
                      "Invalid patch operation specified. Must be one of: [replace]");
    cJSON_Delete(patch_api(
        fx, id, "[{\"op\":\"replace\",\"path\":\"/minimumCompressionSize\",\"value\":\"x\"}]",
        400));
    assert_fx_message(fx, 400, "BadRequestException",
                      "Invalid minimum compression size, must be between 0 and 10485760");
    cJSON_Delete(patch_api(
        fx, id, "[{\"op\":\"add\",\"path\":\"/binaryMediaTypes\",\"value\":\"a/b\"}]", 400));
    assert_fx_message(fx, 400, "BadRequestException", "Invalid patch path /binaryMediaTypes");
    cJSON_Delete(patch_api(
        fx, id,
        "[{\"op\":\"replace\",\"path\":\"/endpointConfiguration/ipAddressType\",\"value\":\"v6\"}]",
        400));
    assert_fx_message(fx, 400, "BadRequestException",
                      "ipAddressType must be either ipv4 or dualstack.");
    cJSON_Delete(patch_api(
        fx, id,
        "[{\"op\":\"replace\",\"path\":\"/endpointConfiguration/types/EDGE\",\"value\":\"X\"}]",
        400));
    assert_fx_message(fx, 400, "BadRequestException",
                      "Invalid EndpointTypes specified. Valid options are REGIONAL,EDGE,PRIVATE");
    cJSON_Delete(patch_api(
        fx, id, "[{\"op\":\"replace\",\"path\":\"/apiKeySource\",\"value\":\"BODY\"}]", 400));
    assert_fx_error(fx, 400, "BadRequestException");
    cJSON_Delete(patch_api(fx, id,
                           "[{\"op\":\"replace\",\"path\":\"/endpointConfiguration/types/"
                           "EDGE\",\"value\":\"PRIVATE\"},"
                           "{\"op\":\"replace\",\"path\":\"/endpointConfiguration/"
                           "ipAddressType\",\"value\":\"ipv4\"}]",
                           400));
    assert_fx_message(fx, 400, "BadRequestException",
                      "Only dualstack ipAddressType is supported for Private APIs.");
    cJSON_Delete(patch_api(fx, id, "[{\"op\":\"replace\",\"path\":\"/id\",\"value\":\"x\"}]", 400));
    assert_fx_error(fx, 400, "BadRequestException");
    assert_non_null(strstr(fx_message(fx), "'/id'"));
    /* a failed patch changes nothing, even the operations before it */
    cJSON_Delete(patch_api(fx, id,
                           "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"X\"},"
                           "{\"op\":\"replace\",\"path\":\"/nope\",\"value\":\"x\"}]",
                           400));
    cJSON *b = NULL;
    fx_callf(fx, &b, "GET", NULL, "/restapis/%s", id);
    assert_string_equal(json_str(b, "name"), "ItemsAPI");
    cJSON_Delete(b);
    fixture_free(fx);
}

static void delete_returns_202_and_forgets(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    char a[11], b_id[11];
    make_api(fx, "{\"name\":\"a\"}", a);
    make_api(fx, "{\"name\":\"b\"}", b_id);
    assert_int_equal(fx_callf(fx, NULL, "DELETE", NULL, "/restapis/%s", a), 202);
    assert_int_equal(fx->last.body_len, 0);
    assert_int_equal(fx_callf(fx, NULL, "GET", NULL, "/restapis/%s", a), 404);
    cJSON *b = NULL;
    fx_call(fx, "GET", "/restapis", NULL, &b);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "item")), 1);
    assert_string_equal(json_str(cJSON_GetArrayItem(json_arr(b, "item"), 0), "id"), b_id);
    cJSON_Delete(b);
    fixture_free(fx);
}

/* --- models ------------------------------------------------------------------ */

static void lab_models(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    char id[11];
    make_api(fx, "{\"name\":\"ItemsAPI\",\"endpointConfiguration\":{\"types\":[\"REGIONAL\"]}}",
             id);
    char body[2048];
    snprintf(body, sizeof body,
             "{\"name\":\"Item\",\"contentType\":\"application/json\",\"schema\":\"%s\"}",
             ITEM_SCHEMA);
    cJSON *b = NULL;
    assert_int_equal(fx_callf(fx, &b, "POST", body, "/restapis/%s/models", id), 201);
    assert_string_equal(json_str(b, "name"), "Item");
    assert_string_equal(json_str(b, "contentType"), "application/json");
    assert_id(json_str(b, "id"), 6);
    assert_non_null(strstr(json_str(b, "schema"), "\"title\": \"Item Schema\""));
    assert_false(json_has(b, "description"));
    cJSON_Delete(b);
    snprintf(body, sizeof body,
             "{\"name\":\"Items\",\"contentType\":\"application/json\",\"description\":\"list\","
             "\"schema\":\"{\\\"id\\\": \\\"Items\\\", \\\"title\\\": \\\"Items\\\", \\\"type\\\": "
             "\\\"array\\\", \\\"items\\\": {\\\"$ref\\\": "
             "\\\"https://apigateway.amazonaws.com/restapis/%s/models/Item\\\"}}\"}",
             id);
    assert_int_equal(fx_callf(fx, &b, "POST", body, "/restapis/%s/models", id), 201);
    assert_string_equal(json_str(b, "description"), "list");
    cJSON_Delete(b);

    assert_int_equal(fx_callf(fx, &b, "GET", NULL, "/restapis/%s/models", id), 200);
    cJSON *items = json_arr(b, "item");
    assert_int_equal(cJSON_GetArraySize(items), 4);
    assert_string_equal(json_str(cJSON_GetArrayItem(items, 2), "name"), "Item");
    assert_string_equal(json_str(cJSON_GetArrayItem(items, 3), "name"), "Items");
    cJSON_Delete(b);
    assert_int_equal(fx_callf(fx, &b, "GET", NULL, "/restapis/%s/models?limit=1&position=3", id),
                     200);
    assert_string_equal(json_str(cJSON_GetArrayItem(json_arr(b, "item"), 0), "name"), "Items");
    cJSON_Delete(b);
    assert_int_equal(fx_callf(fx, &b, "GET", NULL, "/restapis/%s/models/Items", id), 200);
    assert_non_null(strstr(json_str(b, "schema"), "models/Item"));
    cJSON_Delete(b);
    fixture_free(fx);
}

static void model_validation(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    char id[11];
    make_api(fx, "{\"name\":\"ItemsAPI\"}", id);
    const char *ok = "{\"name\":\"Item\",\"contentType\":\"application/json\",\"schema\":\"{}\"}";
    assert_int_equal(fx_callf(fx, NULL, "POST", ok, "/restapis/%s/models", id), 201);
    fx_callf(fx, NULL, "POST", ok, "/restapis/%s/models", id);
    assert_fx_message(fx, 409, "ConflictException", "Model name already exists for this REST API");
    fx_callf(fx, NULL, "POST",
             "{\"name\":\"\",\"contentType\":\"application/json\",\"schema\":\"{}\"}",
             "/restapis/%s/models", id);
    assert_fx_message(fx, 400, "BadRequestException", "Model name must be non-empty");
    fx_callf(fx, NULL, "POST",
             "{\"name\":\"body_1\",\"contentType\":\"application/json\",\"schema\":\"{}\"}",
             "/restapis/%s/models", id);
    assert_fx_message(fx, 400, "BadRequestException", "Model name must be alphanumeric: body_1");
    fx_callf(fx, NULL, "POST", "{\"name\":\"NoSchema\",\"contentType\":\"application/json\"}",
             "/restapis/%s/models", id);
    assert_fx_message(fx, 400, "BadRequestException",
                      "Model schema must have at least 1 property or array items defined");
    fx_callf(fx, NULL, "POST", "{\"name\":\"NoType\",\"schema\":\"{}\"}", "/restapis/%s/models",
             id);
    assert_fx_message(
        fx, 400, "ValidationException",
        "1 validation error detected: Value null at 'createModelInput.contentType' failed "
        "to satisfy constraint: Member must not be null");
    fx_call(fx, "POST", "/restapis/abcde0/models", ok, NULL);
    assert_fx_message(fx, 404, "NotFoundException",
                      "Invalid API identifier specified 123456789012:abcde0");
    fx_callf(fx, NULL, "GET", NULL, "/restapis/%s/models/MySchema", id);
    assert_fx_message(fx, 404, "NotFoundException", "Invalid model name specified: MySchema");
    fx_callf(fx, NULL, "DELETE", NULL, "/restapis/%s/models/MySchema", id);
    assert_fx_message(fx, 404, "NotFoundException", "Invalid model name specified: MySchema");
    fixture_free(fx);
}

static void model_update_and_delete(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    char id[11];
    make_api(fx, "{\"name\":\"ItemsAPI\"}", id);
    fx_callf(fx, NULL, "POST",
             "{\"name\":\"Item\",\"contentType\":\"application/"
             "json\",\"schema\":\"{}\",\"description\":\"d\"}",
             "/restapis/%s/models", id);
    cJSON *b = NULL;
    assert_int_equal(
        fx_callf(fx, &b, "PATCH",
                 "{\"patchOperations\":[{\"op\":\"replace\",\"path\":\"/schema\",\"value\":"
                 "\"{\\\"type\\\":\\\"object\\\"}\"},{\"op\":\"replace\",\"path\":"
                 "\"/description\",\"value\":\"\"}]}",
                 "/restapis/%s/models/Item", id),
        200);
    assert_string_equal(json_str(b, "schema"), "{\"type\":\"object\"}");
    assert_false(json_has(b, "description"));
    cJSON_Delete(b);
    fx_callf(fx, NULL, "PATCH",
             "{\"patchOperations\":[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"x\"}]}",
             "/restapis/%s/models/Item", id);
    assert_fx_message(fx, 400, "BadRequestException",
                      "Invalid patch path  '/name' specified for op 'replace'. Must be one of: "
                      "[/description, /schema]");
    fx_callf(fx, NULL, "PATCH",
             "{\"patchOperations\":[{\"op\":\"add\",\"path\":\"/wrong-path\",\"value\":\"x\"}]}",
             "/restapis/%s/models/Item", id);
    assert_fx_message(
        fx, 400, "BadRequestException",
        "Invalid patch path  '/wrong-path' specified for op 'add'. Please choose supported "
        "operations");
    fx_callf(fx, NULL, "PATCH",
             "{\"patchOperations\":[{\"op\":\"replace\",\"path\":\"/schema\",\"value\":\"\"}]}",
             "/restapis/%s/models/Item", id);
    assert_fx_message(fx, 400, "BadRequestException",
                      "Model schema must have at least 1 property or array items defined");
    fx_callf(fx, NULL, "PATCH", "{\"patchOperations\":[]}", "/restapis/%s/models/Nope", id);
    assert_fx_message(fx, 404, "NotFoundException", "Invalid model name specified: Nope");

    /* a model a method request uses cannot be deleted */
    fx_callf(fx, &b, "GET", NULL, "/restapis/%s", id);
    char root[11];
    snprintf(root, sizeof root, "%s", json_str(b, "rootResourceId"));
    cJSON_Delete(b);
    assert_int_equal(
        fx_callf(
            fx, NULL, "PUT",
            "{\"authorizationType\":\"NONE\",\"requestModels\":{\"application/json\":\"Item\"}}",
            "/restapis/%s/resources/%s/methods/ANY", id, root),
        201);
    fx_callf(fx, NULL, "DELETE", NULL, "/restapis/%s/models/Item", id);
    assert_fx_message(fx, 409, "ConflictException",
                      "Cannot delete model 'Item', is referenced in method request: //ANY");
    assert_int_equal(
        fx_callf(fx, NULL, "DELETE", NULL, "/restapis/%s/resources/%s/methods/ANY", id, root), 204);
    assert_int_equal(fx_callf(fx, NULL, "DELETE", NULL, "/restapis/%s/models/Item", id), 202);
    assert_int_equal(fx_callf(fx, NULL, "GET", NULL, "/restapis/%s/models/Item", id), 404);
    fixture_free(fx);
}

static void model_templates(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    char id[11];
    make_api(fx, "{\"name\":\"ItemsAPI\"}", id);
    cJSON *b = NULL;
    assert_int_equal(
        fx_callf(fx, &b, "GET", NULL, "/restapis/%s/models/Empty/default_template", id), 200);
    assert_string_equal(json_str(b, "value"), "#set($inputRoot = $input.path('$'))\n{ }");
    cJSON_Delete(b);
    char body[2048];
    snprintf(body, sizeof body,
             "{\"name\":\"Item\",\"contentType\":\"application/json\",\"schema\":\"%s\"}",
             ITEM_SCHEMA);
    fx_callf(fx, NULL, "POST", body, "/restapis/%s/models", id);
    assert_int_equal(fx_callf(fx, &b, "GET", NULL, "/restapis/%s/models/Item/default_template", id),
                     200);
    assert_string_equal(json_str(b, "value"), "#set($inputRoot = $input.path('$'))\n{\n"
                                              "  \"ID\" : $inputRoot.ID,\n"
                                              "  \"name\" : \"$inputRoot.name\",\n"
                                              "  \"price\" : $inputRoot.price\n}");
    cJSON_Delete(b);
    fx_callf(fx, NULL, "POST",
             "{\"name\":\"List\",\"contentType\":\"application/json\",\"schema\":\"{\\\"type\\\": "
             "\\\"array\\\", \\\"items\\\": {\\\"type\\\": \\\"object\\\", \\\"properties\\\": "
             "{\\\"id\\\": {\\\"type\\\": \\\"integer\\\"}}}}\"}",
             "/restapis/%s/models", id);
    assert_int_equal(fx_callf(fx, &b, "GET", NULL, "/restapis/%s/models/List/default_template", id),
                     200);
    assert_string_equal(json_str(b, "value"), "#set($inputRoot = $input.path('$'))\n[\n"
                                              "#foreach($elem in $inputRoot)\n  {\n"
                                              "    \"id\" : $elem.id\n"
                                              "  }#if($foreach.hasNext),#end\n\n#end\n]");
    cJSON_Delete(b);
    fx_callf(fx, NULL, "GET", NULL, "/restapis/%s/models/Nope/default_template", id);
    assert_fx_message(fx, 404, "NotFoundException", "Invalid model name specified: Nope");
    fixture_free(fx);
}

static void clone_copies_resources_under_new_ids(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    char src[11];
    make_api(fx, "{\"name\":\"ItemsAPI\"}", src);
    cJSON *b = NULL;
    fx_callf(fx, &b, "GET", NULL, "/restapis/%s", src);
    char root[11];
    snprintf(root, sizeof root, "%s", json_str(b, "rootResourceId"));
    cJSON_Delete(b);
    fx_callf(fx, &b, "POST", "{\"pathPart\":\"items\"}", "/restapis/%s/resources/%s", src, root);
    char items[8];
    snprintf(items, sizeof items, "%s", json_str(b, "id"));
    cJSON_Delete(b);
    fx_callf(fx, NULL, "PUT", "{\"authorizationType\":\"NONE\"}",
             "/restapis/%s/resources/%s/methods/GET", src, items);
    fx_callf(fx, NULL, "PUT", "{\"type\":\"MOCK\"}",
             "/restapis/%s/resources/%s/methods/GET/integration", src, items);

    char body[64];
    snprintf(body, sizeof body, "{\"name\":\"Copy\",\"cloneFrom\":\"%s\"}", src);
    assert_int_equal(fx_call(fx, "POST", "/restapis", body, &b), 201);
    char copy[11], croot[11];
    snprintf(copy, sizeof copy, "%s", json_str(b, "id"));
    snprintf(croot, sizeof croot, "%s", json_str(b, "rootResourceId"));
    cJSON_Delete(b);
    assert_string_not_equal(croot, root);
    assert_int_equal(fx_callf(fx, &b, "GET", NULL, "/restapis/%s/resources?embed=methods", copy),
                     200);
    cJSON *list = json_arr(b, "item");
    assert_int_equal(cJSON_GetArraySize(list), 2);
    cJSON *r = cJSON_GetArrayItem(list, 1);
    assert_string_equal(json_str(r, "path"), "/items");
    assert_string_equal(json_str(r, "parentId"), croot);
    assert_string_not_equal(json_str(r, "id"), items);
    cJSON *integ = json_obj(json_obj(json_obj(r, "resourceMethods"), "GET"), "methodIntegration");
    assert_string_equal(json_str(integ, "cacheNamespace"), json_str(r, "id"));
    cJSON_Delete(b);
    assert_int_equal(fx_callf(fx, &b, "GET", NULL, "/restapis/%s/models", copy), 200);
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "item")), 2);
    cJSON_Delete(b);
    fixture_free(fx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_has_aws_defaults),
        cmocka_unit_test(default_models_match_aws),
        cmocka_unit_test(create_regional_with_description),
        cmocka_unit_test(create_validation_errors),
        cmocka_unit_test(list_pages_with_position_and_limit),
        cmocka_unit_test(unknown_api_is_not_found),
        cmocka_unit_test(update_patch_paths),
        cmocka_unit_test(update_errors),
        cmocka_unit_test(delete_returns_202_and_forgets),
        cmocka_unit_test(lab_models),
        cmocka_unit_test(model_validation),
        cmocka_unit_test(model_update_and_delete),
        cmocka_unit_test(model_templates),
        cmocka_unit_test(clone_copies_resources_under_new_ids),
    };
    return cmocka_run_group_tests_name("apigw_restapi", tests, NULL, NULL);
}
