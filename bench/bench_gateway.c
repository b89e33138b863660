/* Data-plane figures: requests per second through the emulator's front door
 * (/restapis/{id}/{stage}/_user_request_/...) for a MOCK method with a
 * response template, and for a warm Lambda function (the lab's, on python3)
 * when the local runtime can run it. Prints "name value unit" lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/json.h"
#include "core/mem.h"
#include "emulator/emulator.h"
#include "emulator/store.h"
#include "core/zipcode.h"

static emulator *emu;

static int call(const char *method, const char *path, const char *body, cJSON **out) {
    http_request *r = http_request_new(method, path);
    http_headers_add(&r->headers, "Accept", "application/json");
    if (body) {
        http_request_set_body(r, body, strlen(body));
        http_headers_add(&r->headers, "Content-Type", "application/json");
    }
    http_response resp;
    http_response_init(&resp);
    emulator_handle(emu, r, &resp);
    int st = resp.status;
    if (out) *out = resp.body_len ? cJSON_ParseWithLength(resp.body, resp.body_len) : NULL;
    if (st >= 400 && !strstr(path, "_user_request_"))
        fprintf(stderr, "bench: %s %s -> %d %.*s\n", method, path, st, (int)resp.body_len,
                resp.body ? resp.body : "");
    http_response_free(&resp);
    http_request_free(r);
    return st;
}

static char *create(const char *path, const char *body, const char *member) {
    cJSON *b = NULL;
    if (call("POST", path, body, &b) >= 300) exit(1);
    char *v = xstrdup(json_str_or(b, member, ""));
    cJSON_Delete(b);
    return v;
}

static void put(const char *path, const char *body) {
    if (call("PUT", path, body, NULL) >= 300) exit(1);
}

/* GET /items with integration (a PutIntegration body) on a new API
 * deployed to dev; returns the API id. */
static char *make_api(const char *integration, const char *response_template) {
    cJSON *api = NULL;
    if (call("POST", "/restapis", "{\"name\":\"BenchAPI\"}", &api) != 201) exit(1);
    char *id = xstrdup(json_str(api, "id"));
    char *p = xasprintf("/restapis/%s/resources/%s", id, json_str(api, "rootResourceId"));
    char *items = create(p, "{\"pathPart\":\"items\"}", "id");
    free(p);
    cJSON_Delete(api);
    char *m = xasprintf("/restapis/%s/resources/%s/methods/GET", id, items);
    put(m, "{\"authorizationType\":\"NONE\"}");
    char *x = xasprintf("%s/integration", m);
    put(x, integration);
    free(x);
    x = xasprintf("%s/responses/200", m);
    put(x, "{}");
    free(x);
    x = xasprintf("%s/integration/responses/200", m);
    put(x, response_template);
    free(x);
    free(m);
    free(items);
    p = xasprintf("/restapis/%s/deployments", id);
    free(create(p, "{\"stageName\":\"dev\"}", "id"));
    free(p);
    return id;
}

/* Requests per second of GET path for about a second. */
static double measure(const char *path, int want_status) {
    int n = 0;
    int64_t t0 = clock_mono_ms(), t;
    do {
        for (int i = 0; i < 64; i++, n++)
            if (call("GET", path, NULL, NULL) != want_status) {
                fprintf(stderr, "bench: %s did not answer %d\n", path, want_status);
                return -1;
            }
        t = clock_mono_ms() - t0;
    } while (t < 1000);
    return n * 1000.0 / (double)t;
}

static const char MOCK_TEMPLATE[] =
    "{\"responseTemplates\":{\"application/json\":\"[\\n#foreach($ID in [1, 2, 3])\\n"
    "#set($price = $ID * 1.5)\\n{\\\"ID\\\" : $ID, \\\"price\\\" : $price}"
    "#if($foreach.hasNext),#end\\n#end\\n]\"}}";

static const char FUNCTION[] = "items = [{'ID': 1, 'name': 'Pen', 'price': 2.5}]\n"
                               "def lambda_handler(event, context):\n"
                               "    return items\n";

static void bench_mock(void) {
    char *id = make_api("{\"type\":\"MOCK\",\"requestTemplates\":{\"application/json\":"
                        "\"{\\\"statusCode\\\": 200}\"}}",
                        MOCK_TEMPLATE);
    char *path = xasprintf("/restapis/%s/dev/_user_request_/items", id);
    double rps = measure(path, 200);
    if (rps >= 0) printf("dataplane_mock_rps %.0f req/s\n", rps);
    free(path);
    free(id);
}

/* A zip holding FUNCTION as lambda_function.py, as base64. */
static char *function_zip(void) {
    const char *name = "lambda_function.py", *code = FUNCTION;
    size_t n;
    unsigned char *raw = zipcode_build(1, &name, &code, &n);
    if (!raw) return NULL;
    char *b64 = zipcode_base64(raw, n);
    free(raw);
    return b64;
}

static void bench_lambda(void) {
    char *zip = function_zip();
    if (!zip) return;
    char *body = xasprintf("{\"FunctionName\":\"BenchFunction\",\"Runtime\":\"python3.12\","
                           "\"Role\":\"arn:aws:iam::123456789012:role/lambda_basic_execution\","
                           "\"Handler\":\"lambda_function.lambda_handler\",\"Code\":{\"ZipFile\":"
                           "\"%s\"}}",
                           zip);
    free(create("/2015-03-31/functions", body, "FunctionName"));
    free(body);
    free(zip);
    char *integ =
        xasprintf("{\"type\":\"AWS\",\"httpMethod\":\"POST\",\"uri\":\"arn:aws:apigateway:"
                  "us-west-2:lambda:path/2015-03-31/functions/arn:aws:lambda:us-west-2:"
                  "123456789012:function:BenchFunction/invocations\"}");
    char *id = make_api(integ, "{}");
    free(integ);
    body = xasprintf("{\"StatementId\":\"apigw\",\"Action\":\"lambda:InvokeFunction\","
                     "\"Principal\":\"apigateway.amazonaws.com\",\"SourceArn\":"
                     "\"arn:aws:execute-api:us-west-2:123456789012:%s/*\"}",
                     id);
    free(create("/2015-03-31/functions/BenchFunction/policy", body, "Statement"));
    free(body);
    char *path = xasprintf("/restapis/%s/dev/_user_request_/items", id);
    if (call("GET", path, NULL, NULL) == 200) { /* the cold start */
        double rps = measure(path, 200);
        if (rps >= 0) printf("dataplane_lambda_warm_rps %.0f req/s\n", rps);
    } else {
        fprintf(stderr, "bench: the Lambda integration did not answer (no local runtime?)\n");
    }
    free(path);
    free(id);
}

int main(void) {
    err e;
    store *st = store_open(NULL, &e);
    if (!st) {
        fprintf(stderr, "bench: %s\n", e.msg);
        return 1;
    }
    emu = emulator_new(st, NULL);
    bench_mock();
    bench_lambda();
    emulator_free(emu);
    store_close(st);
    return 0;
}
