/* The per-stage test's wall time: one request to 1, 2, 4 and 8 stages
 * through the curl transport, against a loopback server that takes 200 ms
 * to answer each request. Sent at once, N stages should cost one round
 * trip. Prints "name value unit" lines. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli/invoke.h"
#include "core/clock.h"
#include "core/mem.h"
#include "transport/curl.h"

#define DELAY_US 200000

static void *answer(void *arg) {
    int fd = (int)(intptr_t)arg;
    char head[4096];
    size_t got = 0;
    /* Read the request head; GETs have no body. */
    while (got < sizeof head - 1) {
        ssize_t n = read(fd, head + got, sizeof head - 1 - got);
        if (n <= 0) break;
        got += (size_t)n;
        head[got] = 0;
        if (strstr(head, "\r\n\r\n")) break;
    }
    usleep(DELAY_US);
    static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             "Content-Length: 2\r\nConnection: close\r\n\r\n{}";
    if (write(fd, ok, sizeof ok - 1) < 0) perror("bench_stages: write");
    close(fd);
    return NULL;
}

static void *serve(void *arg) {
    int ls = (int)(intptr_t)arg;
    for (;;) {
        int fd = accept(ls, NULL, NULL);
        if (fd < 0) return NULL;
        pthread_t t;
        pthread_create(&t, NULL, answer, (void *)(intptr_t)fd);
        pthread_detach(t);
    }
}

int main(void) {
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof a) != 0 || listen(ls, 64) != 0 ||
        getsockname(ls, (struct sockaddr *)&a, &len) != 0) {
        perror("bench_stages: listen");
        return 1;
    }
    pthread_t srv;
    pthread_create(&srv, NULL, serve, (void *)(intptr_t)ls);
    pthread_detach(srv);
    char *url = xasprintf("http://127.0.0.1:%d", ntohs(a.sin_port));
    err e;
    curl_transport_opts o = {.region = "us-west-2", .endpoint_url = url, .max_attempts = 1};
    transport *t = curl_transport_new(&o, &e);
    if (!t) {
        fprintf(stderr, "bench_stages: %s\n", e.msg);
        return 1;
    }
    client *cl = client_new(t, "us-west-2");
    char *names[] = {"s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"};
    http_request *req = http_request_new("GET", "/items");
    size_t counts[] = {1, 2, 4, 8};
    for (size_t k = 0; k < sizeof counts / sizeof *counts; k++) {
        int64_t best = -1;
        for (int run = 0; run < 3; run++) {
            int64_t t0 = clock_mono_us();
            invoke_result *r = invoke_send_concurrent(cl, "abcdef1234", names, counts[k], req, true);
            int64_t dt = clock_mono_us() - t0;
            for (size_t i = 0; i < counts[k]; i++)
                if (r[i].status != 200) fprintf(stderr, "bench_stages: stage %zu: %s\n", i, r[i].error);
            invoke_results_free(r, counts[k]);
            if (best < 0 || dt < best) best = dt;
        }
        printf("per_stage_test_%zu_stages_200ms_backend %.0f ms\n", counts[k], (double)best / 1000);
    }
    http_request_free(req);
    client_free(cl);
    transport_destroy(t);
    free(url);
    close(ls);
    return 0;
}
