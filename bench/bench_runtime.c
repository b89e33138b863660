/* Lambda figures: the time of an Invoke of the lab's ItemsFunction through
 * the emulator, on a cold start (a new python3 worker) and warm (the worker
 * reused). Prints "name value unit" lines (medians). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/zipcode.h"
#include "core/clock.h"
#include "core/mem.h"
#include "emulator/emulator.h"
#include "lab/assets.h"
#include "transport/http.h"

#define COLD_RUNS 7
#define WARM_RUNS 300

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* The lab's deployment package as base64. */
static char *lab_zip_base64(void) {
    const char *name = "lambda_function.py", *code = lab_function_py;
    size_t n;
    unsigned char *raw = zipcode_build(1, &name, &code, &n);
    if (!raw) {
        fprintf(stderr, "bench_runtime: cannot make the lab's zip\n");
        exit(1);
    }
    char *b64 = zipcode_base64(raw, n);
    free(raw);
    return b64;
}

static int call(emulator *emu, const char *method, const char *path, const char *body,
                http_response *resp) {
    http_request *r = http_request_new(method, path);
    if (body) http_request_set_body(r, body, strlen(body));
    emulator_handle(emu, r, resp);
    http_request_free(r);
    return resp->status;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp);
    return v[n / 2];
}

static double timed_invoke(emulator *emu, http_response *resp) {
    double t0 = now_ms();
    int st =
        call(emu, "POST", "/2015-03-31/functions/ItemsFunction/invocations", "{\"ID\": 1}", resp);
    double ms = now_ms() - t0;
    if (st != 200 || http_headers_get(&resp->headers, "X-Amz-Function-Error")) {
        fprintf(stderr, "bench_runtime: invoke failed (%d): %.*s\n", st, (int)resp->body_len,
                resp->body ? resp->body : "");
        exit(1);
    }
    return ms;
}

int main(void) {
    if (system("command -v python3 >/dev/null 2>&1") != 0) {
        printf("SKIPPED: lambda figures (python3 not found)\n");
        return 0;
    }
    err e;
    store *st = store_open(NULL, &e);
    emulator *emu = emulator_new(st, NULL);
    http_response resp;
    http_response_init(&resp);
    char *zip = lab_zip_base64();
    char *body = xasprintf("{\"FunctionName\":\"ItemsFunction\",\"Runtime\":\"python3.13\","
                           "\"Role\":\"arn:aws:iam::123456789012:role/lambda_basic_execution\","
                           "\"Handler\":\"lambda_function.lambda_handler\","
                           "\"Code\":{\"ZipFile\":\"%s\"}}",
                           zip);
    if (call(emu, "POST", "/2015-03-31/functions", body, &resp) != 201) {
        fprintf(stderr, "bench_runtime: CreateFunction failed: %.*s\n", (int)resp.body_len,
                resp.body ? resp.body : "");
        return 1;
    }
    double cold[COLD_RUNS], warm[WARM_RUNS];
    for (int i = 0; i < COLD_RUNS; i++) {
        /* A configuration change retires the warm worker, as in Lambda. */
        char *cfg = xasprintf("{\"Environment\":{\"Variables\":{\"RUN\":\"%d\"}}}", i);
        if (call(emu, "PUT", "/2015-03-31/functions/ItemsFunction/configuration", cfg, &resp) !=
            200) {
            fprintf(stderr, "bench_runtime: UpdateFunctionConfiguration failed\n");
            return 1;
        }
        free(cfg);
        cold[i] = timed_invoke(emu, &resp);
    }
    timed_invoke(emu, &resp);
    for (int i = 0; i < WARM_RUNS; i++)
        warm[i] = timed_invoke(emu, &resp);
    printf("lambda_cold_invoke_ms %.2f ms\n", median(cold, COLD_RUNS));
    printf("lambda_warm_invoke_ms %.3f ms\n", median(warm, WARM_RUNS));
    http_response_free(&resp);
    free(body);
    free(zip);
    emulator_free(emu);
    store_close(st);
    return 0;
}
