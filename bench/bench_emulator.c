/* Emulator and client figures: control-plane requests per second through
 * the local transport (memory and file-backed state), and how many requests
 * loading the lab's API into the mirror takes. Prints "name value unit". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/client.h"
#include "client/mirror.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/mem.h"
#include "transport/local.h"

static client *cl;

static cJSON *call(aws_op op, const char *const *p, size_t n, const char *q, const char *body) {
    cJSON *out = NULL;
    err e;
    cJSON *b = body ? cJSON_Parse(body) : NULL;
    if (client_call_sync(cl, op, p, n, q, b, &out, &e) != 0) {
        fprintf(stderr, "bench: %s failed: %s %s\n", aws_op_get(op)->name, e.code, e.msg);
        exit(1);
    }
    return out;
}

/* The lab's API after step 3: /items and /items/{ID} with mock GETs, dev and prod. */
static char *make_lab_api(void) {
    cJSON *api = call(APIGW_CreateRestApi, NULL, 0, NULL,
                      "{\"name\":\"ItemsAPI\",\"endpointConfiguration\":{\"types\":[\"REGIONAL\"]}}");
    char *id = xstrdup(json_str(api, "id"));
    const char *root = json_str(api, "rootResourceId");
    cJSON *items = call(APIGW_CreateResource, (const char *[]){id, root}, 2, NULL, "{\"pathPart\":\"items\"}");
    const char *items_id = json_str(items, "id");
    cJSON *item = call(APIGW_CreateResource, (const char *[]){id, items_id}, 2, NULL, "{\"pathPart\":\"{ID}\"}");
    const char *rids[] = {items_id, json_str(item, "id")};
    for (int i = 0; i < 2; i++) {
        const char *m[] = {id, rids[i], "GET"};
        cJSON_Delete(call(APIGW_PutMethod, m, 3, NULL, "{\"authorizationType\":\"NONE\"}"));
        cJSON_Delete(call(APIGW_PutIntegration, m, 3, NULL,
                          "{\"type\":\"MOCK\",\"requestTemplates\":{\"application/json\":\"{\\\"statusCode\\\": 200}\"}}"));
        const char *r[] = {id, rids[i], "GET", "200"};
        cJSON_Delete(call(APIGW_PutMethodResponse, r, 4, NULL, "{}"));
        cJSON_Delete(call(APIGW_PutIntegrationResponse, r, 4, NULL,
                          "{\"responseTemplates\":{\"application/json\":\"[]\"}}"));
    }
    cJSON_Delete(call(APIGW_CreateDeployment, (const char *[]){id}, 1, NULL, "{\"stageName\":\"dev\"}"));
    cJSON_Delete(items);
    cJSON_Delete(item);
    cJSON_Delete(api);
    return id;
}

static double rate(int n, int64_t t0) {
    int64_t ms = clock_mono_ms() - t0;
    return ms > 0 ? n * 1000.0 / (double)ms : n * 1000.0;
}

static void mirror_done(void *ud, const err *e) {
    if (e) {
        fprintf(stderr, "bench: mirror: %s\n", e->msg);
        exit(1);
    }
    (*(int *)ud)++;
}

/* --make-state FILE: write the lab's API into FILE and stop (for the
 * console figures of bench/run.sh). */
static int make_state(const char *file) {
    err e;
    store *st = store_open(file, &e);
    if (!st) {
        fprintf(stderr, "bench: %s\n", e.msg);
        return 1;
    }
    emulator *emu = emulator_new(st, NULL);
    transport *t = local_transport_new(emu);
    cl = client_new(t, "us-west-2");
    free(make_lab_api());
    client_free(cl);
    transport_destroy(t);
    emulator_free(emu);
    store_close(st);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "--make-state") == 0) return make_state(argv[2]);
    const char *dir = argc > 1 ? argv[1] : "/tmp";
    char *path = xasprintf("%s/bench-state-%ld.json", dir, (long)getpid());
    for (int file = 0; file < 2; file++) {
        err e;
        store *st = store_open(file ? path : NULL, &e);
        if (!st) {
            fprintf(stderr, "bench: %s\n", e.msg);
            return 1;
        }
        emulator *emu = emulator_new(st, NULL);
        transport *t = local_transport_new(emu);
        cl = client_new(t, "us-west-2");
        char *api = make_lab_api();
        const char *where = file ? "file" : "memory";

        int n = file ? 2000 : 20000;
        int64_t t0 = clock_mono_ms();
        for (int i = 0; i < n; i++)
            cJSON_Delete(call(APIGW_GetResources, (const char *[]){api}, 1, "embed=methods", NULL));
        printf("control_plane_reads_per_s_%s %.0f req/s\n", where, rate(n, t0));

        n = file ? 200 : 5000;
        t0 = clock_mono_ms();
        for (int i = 0; i < n; i++)
            cJSON_Delete(call(APIGW_UpdateStage, (const char *[]){api, "dev"}, 2, NULL,
                              "{\"patchOperations\":[{\"op\":\"replace\",\"path\":\"/description\",\"value\":\"x\"}]}"));
        printf("control_plane_writes_per_s_%s %.0f req/s\n", where, rate(n, t0));

        if (!file) {
            mirror *m = mirror_new(cl);
            int done = 0;
            unsigned long before = client_requests(cl);
            mirror_refresh(m, mirror_done, &done);
            transport_drain(t);
            mirror_refresh_api(m, api, mirror_done, &done);
            transport_drain(t);
            printf("mirror_requests_to_load_account_and_lab_api %lu requests\n", client_requests(cl) - before);
            mirror_free(m);
        }
        free(api);
        client_free(cl);
        transport_destroy(t);
        emulator_free(emu);
        store_close(st);
    }
    unlink(path);
    char *lock = xasprintf("%s.lock", path);
    unlink(lock);
    free(lock);
    free(path);
    return 0;
}
