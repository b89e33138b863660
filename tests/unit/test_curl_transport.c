/* The curl transport against a fault-injecting HTTP server on 127.0.0.1
 * (a raw socket thread, so that it can stall, reset and truncate), and
 * against the project's own `serve` as a real peer. */
#include "fixture.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "client/client.h"
#include "core/json.h"
#include "core/mem.h"
#include "server/server.h"
#include "transport/credentials.h"
#include "transport/curl.h"

#define AKID "AKIDCURLTEST0001"
#define SECRET "curl/test/secret/never/printed/0001"

/* --- the fault-injecting server ------------------------------------------ */

typedef enum { A_REPLY, A_HOLD, A_STALL, A_RESET, A_SLOW, A_CLOSE } act_kind;

typedef struct action {
    act_kind kind;
    int status;
    const char *headers; /* extra header lines, each ending in \r\n */
    const char *body;
} action;

typedef struct seen {
    char method[16], path[256], query[256], auth[512], date[32], host[64];
    int conn;
    int64_t at_ms; /* monotonic arrival */
} seen;

#define MAX_SEEN 16

typedef struct fsrv {
    int lfd, port, stop[2];
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    action script[8];
    int nscript; /* request i gets script[min(i - base, nscript-1)] */
    int base;    /* hits when the script was last replaced */
    seen reqs[MAX_SEEN];
    int nreqs, conns;
    int hits;          /* every request read, past MAX_SEEN too */
    const char *greet; /* written on every new connection before reading */
    bool released;
} fsrv;

static bool stopping(fsrv *s) {
    struct pollfd p = {.fd = s->stop[0], .events = POLLIN};
    return poll(&p, 1, 0) > 0;
}

/* Wait until fd is readable or the server stops; false when stopping. */
static bool wait_readable(fsrv *s, int fd) {
    struct pollfd p[2] = {{.fd = fd, .events = POLLIN}, {.fd = s->stop[0], .events = POLLIN}};
    while (poll(p, 2, -1) < 0) {
    }
    return !(p[1].revents & POLLIN);
}

static void header_value(const char *head, const char *name, char *out, size_t n) {
    out[0] = '\0';
    size_t nl = strlen(name);
    for (const char *p = strstr(head, "\r\n"); p && p[2]; p = strstr(p + 2, "\r\n")) {
        const char *line = p + 2;
        if (strncasecmp(line, name, nl) == 0 && line[nl] == ':') {
            const char *v = line + nl + 1;
            while (*v == ' ') v++;
            snprintf(out, n, "%.*s", (int)strcspn(v, "\r"), v);
            return;
        }
    }
}

/* Read one request; false at end of connection. */
static bool read_request(fsrv *s, int fd, seen *out) {
    char b[16384];
    size_t len = 0;
    char *end = NULL;
    while (!end) {
        if (!wait_readable(s, fd)) return false;
        ssize_t k = read(fd, b + len, sizeof b - 1 - len);
        if (k <= 0) return false;
        len += (size_t)k;
        b[len] = '\0';
        end = strstr(b, "\r\n\r\n");
        if (!end && len == sizeof b - 1) return false;
    }
    end[2] = '\0';
    memset(out, 0, sizeof *out);
    char target[512] = "";
    sscanf(b, "%15s %511s", out->method, target);
    char *q = strchr(target, '?');
    if (q) {
        *q = '\0';
        snprintf(out->query, sizeof out->query, "%s", q + 1);
    }
    snprintf(out->path, sizeof out->path, "%s", target);
    header_value(b, "Authorization", out->auth, sizeof out->auth);
    header_value(b, "X-Amz-Date", out->date, sizeof out->date);
    header_value(b, "Host", out->host, sizeof out->host);
    char cl[32];
    header_value(b, "Content-Length", cl, sizeof cl);
    size_t want = (size_t)atol(cl), have = len - (size_t)(end + 4 - b);
    while (have < want) {
        if (!wait_readable(s, fd)) return false;
        ssize_t k = read(fd, b, sizeof b);
        if (k <= 0) return false;
        have += (size_t)k;
    }
    return true;
}

static void send_all(int fd, const char *p, size_t n) {
    while (n) {
        ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
        if (k <= 0) return;
        p += k;
        n -= (size_t)k;
    }
}

static void sleep_ms(int ms) {
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static char *head_of(const action *a, size_t body_len) {
    return xasprintf("HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n%s\r\n",
                     a->status, body_len, a->headers ? a->headers : "");
}

/* Answer as the action says; false: the connection is done. */
static bool act(fsrv *s, int fd, const action *a) {
    const char *body = a->body ? a->body : "";
    size_t blen = strlen(body);
    switch (a->kind) {
    case A_HOLD:
        pthread_mutex_lock(&s->mu);
        while (!s->released) pthread_cond_wait(&s->cv, &s->mu);
        pthread_mutex_unlock(&s->mu);
        break;
    case A_STALL:
        while (wait_readable(s, fd)) {
            char c;
            if (read(fd, &c, 1) <= 0) break;
        }
        return false;
    case A_CLOSE: return false;
    case A_RESET: {
        char *h = xasprintf("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                            "Content-Length: 200\r\n\r\n{\"items\": [");
        send_all(fd, h, strlen(h));
        free(h);
        sleep_ms(20);
        struct linger lg = {1, 0}; /* close with RST */
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
        return false;
    }
    case A_SLOW: {
        char *h = head_of(a, blen);
        send_all(fd, h, strlen(h));
        free(h);
        for (size_t i = 0; i < blen; i += 8) {
            send_all(fd, body + i, blen - i < 8 ? blen - i : 8);
            sleep_ms(15);
        }
        return true;
    }
    case A_REPLY: break;
    }
    char *h = head_of(a, blen);
    send_all(fd, h, strlen(h));
    send_all(fd, body, blen);
    free(h);
    return true;
}

static void serve_conn(fsrv *s, int fd, int conn) {
    for (;;) {
        seen r;
        if (!read_request(s, fd, &r)) return;
        r.conn = conn;
        r.at_ms = clock_mono_ms();
        pthread_mutex_lock(&s->mu);
        int i = s->hits++ - s->base;
        if (s->nreqs < MAX_SEEN) s->reqs[s->nreqs++] = r;
        action a = s->script[i < s->nscript ? i : s->nscript - 1];
        pthread_mutex_unlock(&s->mu);
        if (!act(s, fd, &a)) return;
    }
}

static void *srv_main(void *arg) {
    fsrv *s = arg;
    while (wait_readable(s, s->lfd)) {
        int fd = accept(s->lfd, NULL, NULL);
        if (fd < 0) continue;
        pthread_mutex_lock(&s->mu);
        int conn = ++s->conns;
        pthread_mutex_unlock(&s->mu);
        if (s->greet) send_all(fd, s->greet, strlen(s->greet));
        serve_conn(s, fd, conn);
        close(fd);
        if (stopping(s)) break;
    }
    return NULL;
}

static int listen_any(int *port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t al = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &al);
    *port = ntohs(a.sin_port);
    return fd;
}

static fsrv *srv_start_greeting(const action *script, int n, const char *greet) {
    fsrv *s = xcalloc(1, sizeof *s);
    s->greet = greet;
    memcpy(s->script, script, (size_t)n * sizeof *script);
    s->nscript = n;
    s->lfd = listen_any(&s->port);
    assert_int_equal(listen(s->lfd, 16), 0);
    assert_int_equal(pipe(s->stop), 0);
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    pthread_create(&s->th, NULL, srv_main, s);
    return s;
}

/* From the next request on, answer with this script instead. */
static void srv_script(fsrv *s, const action *script, int n) {
    pthread_mutex_lock(&s->mu);
    memcpy(s->script, script, (size_t)n * sizeof *script);
    s->nscript = n;
    s->base = s->hits;
    pthread_mutex_unlock(&s->mu);
}

static void srv_release(fsrv *s) {
    pthread_mutex_lock(&s->mu);
    s->released = true;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

static int srv_conns(fsrv *s) {
    pthread_mutex_lock(&s->mu);
    int n = s->conns;
    pthread_mutex_unlock(&s->mu);
    return n;
}

static int srv_count(fsrv *s) {
    pthread_mutex_lock(&s->mu);
    int n = s->hits;
    pthread_mutex_unlock(&s->mu);
    return n;
}

static void srv_stop(fsrv *s) {
    srv_release(s);
    assert_int_equal(write(s->stop[1], "x", 1), 1);
    pthread_join(s->th, NULL);
    close(s->lfd);
    close(s->stop[0]);
    close(s->stop[1]);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    free(s);
}

/* --- the transport under test ---------------------------------------------- */

static uint64_t zero_rand(void *ctx) {
    (void)ctx;
    return 0; /* no backoff jitter: retries follow at once */
}

/* A signing clock that moves one second per signature, so that every
 * attempt carries a different X-Amz-Date. */
static int64_t ticking_now(void *ctx) {
    int64_t *t = ctx;
    return *t += 1000;
}

typedef struct env {
    fsrv *srv;
    cred_chain *creds;
    transport *t;
    int64_t now;
    fake_clock fc;
    char url[96];
} env;

static void set_env(void) {
    setenv("AWS_ACCESS_KEY_ID", AKID, 1);
    setenv("AWS_SECRET_ACCESS_KEY", SECRET, 1);
    unsetenv("AWS_SESSION_TOKEN");
    setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials", 1);
    setenv("AWS_CONFIG_FILE", "/nonexistent/config", 1);
    unsetenv("AWS_ENDPOINT_URL");
    unsetenv("AWS_ENDPOINT_URL_API_GATEWAY");
    unsetenv("AWS_ENDPOINT_URL_LAMBDA");
    unsetenv("AWS_CA_BUNDLE");
    unsetenv("AWS_PROFILE");
}

typedef struct env_cfg {
    int port;             /* without a script: the port to talk to */
    const action *script; /* a fault server to start, or NULL */
    int nscript;
    const char *greet;  /* the fault server's greeting, or NULL */
    const char *url;    /* the endpoint, instead of http://127.0.0.1:PORT */
    const char *scheme; /* NULL: http */
    int total_ms, attempts;
    bool fixed_clock; /* the fake clock at FIXTURE_T0_MS, instead of ticking */
    const char *doh_url;
} env_cfg;

static env *env_new_cfg(const env_cfg *c) {
    set_env();
    env *v = xcalloc(1, sizeof *v);
    int port = c->port;
    if (c->script) {
        v->srv = srv_start_greeting(c->script, c->nscript, c->greet);
        port = v->srv->port;
    }
    if (c->url)
        snprintf(v->url, sizeof v->url, "%s", c->url);
    else
        snprintf(v->url, sizeof v->url, "%s://127.0.0.1:%d", c->scheme ? c->scheme : "http", port);
    v->creds = cred_chain_new(&(cred_opts){0});
    v->now = FIXTURE_T0_MS;
    v->fc.ms = FIXTURE_T0_MS;
    curl_transport_opts o = {
        .region = "us-west-2",
        .creds = v->creds,
        .endpoint_url = v->url,
        .connect_timeout_ms = 2000,
        .total_timeout_ms = c->total_ms,
        .max_attempts = c->attempts,
        .clock = c->fixed_clock ? clock_fake(&v->fc) : (clock_src){ticking_now, &v->now},
        .rand = {zero_rand, NULL},
        .doh_url = c->doh_url,
    };
    err e;
    v->t = curl_transport_new(&o, &e);
    assert_non_null(v->t);
    return v;
}

static env *env_new_at(int port, const action *script, int n, int total_ms, int attempts) {
    return env_new_cfg(&(env_cfg){.port = port, .script = script, .nscript = n,
                                  .total_ms = total_ms, .attempts = attempts});
}

static env *env_new(const action *script, int n) { return env_new_at(0, script, n, 0, 0); }

static void env_free(env *v) {
    transport_destroy(v->t);
    cred_chain_free(v->creds);
    if (v->srv) srv_stop(v->srv);
    free(v);
}

typedef struct result {
    bool done;
    int status;
    char *body;
    char *retry_after;
    bool failed;
    err e;
} result;

static void on_done(void *ud, const http_response *resp, const err *e) {
    result *r = ud;
    r->done = true;
    if (!resp) {
        r->failed = true;
        r->e = *e;
        return;
    }
    r->status = resp->status;
    r->body = xstrndup(resp->body ? resp->body : "", resp->body_len);
}

static http_request *get_req(const char *service, const char *region, const char *path,
                             const char *query) {
    http_request *q = http_request_new("GET", path);
    if (query) q->query = xstrdup(query);
    q->service = xstrdup(service);
    q->region = xstrdup(region);
    http_headers_add(&q->headers, "Accept", "application/json");
    return q;
}

static void call(env *v, http_request *q, result *r) {
    memset(r, 0, sizeof *r);
    transport_submit(v->t, q, on_done, r);
    assert_false(r->done); /* never inside submit */
    transport_drain(v->t);
    assert_true(r->done);
}

static void assert_no_secret(const char *s) {
    assert_null(strstr(s, SECRET));
    assert_null(strstr(s, AKID));
    assert_null(strstr(s, "Signature="));
}

#define JSON_OK {A_REPLY, 200, NULL, "{\"items\": []}"}

/* --- tests ----------------------------------------------------------------- */

static void success_and_signature(void **state) {
    (void)state;
    const action ok[] = {JSON_OK};
    env *v = env_new(ok, 1);
    result r;
    call(v, get_req("apigateway", "us-west-2", "/restapis", "limit=25&position=a%2Fb"), &r);
    assert_false(r.failed);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "{\"items\": []}");
    free(r.body);
    call(v, get_req("lambda", "eu-west-1", "/2015-03-31/functions/", NULL), &r);
    assert_int_equal(r.status, 200);
    free(r.body);

    assert_int_equal(srv_count(v->srv), 2);
    seen *a = &v->srv->reqs[0], *b = &v->srv->reqs[1];
    assert_string_equal(a->method, "GET");
    assert_string_equal(a->path, "/restapis");
    assert_string_equal(a->query, "limit=25&position=a%2Fb");
    char host[64];
    snprintf(host, sizeof host, "127.0.0.1:%d", v->srv->port);
    assert_string_equal(a->host, host);
    /* 2026-11-30 is the signing day of the ticking clock. */
    assert_non_null(strstr(a->auth, "AWS4-HMAC-SHA256 Credential=" AKID "/20261130/us-west-2/"
                                    "apigateway/aws4_request"));
    assert_non_null(strstr(a->auth, "Signature="));
    assert_int_equal(strlen(a->date), 16);
    assert_non_null(strstr(b->auth, "/20261130/eu-west-1/lambda/aws4_request"));
    assert_int_equal(v->srv->conns, 1); /* keep-alive: one connection for both */
    env_free(v);
}

static void retried_500_is_resigned(void **state) {
    (void)state;
    const action script[] = {{A_REPLY, 500, "x-amzn-ErrorType: InternalFailure\r\n", "{}"}, JSON_OK};
    env *v = env_new(script, 2);
    result r;
    call(v, get_req("apigateway", "us-west-2", "/restapis", NULL), &r);
    assert_false(r.failed);
    assert_int_equal(r.status, 200);
    free(r.body);
    assert_int_equal(srv_count(v->srv), 2);
    assert_string_not_equal(v->srv->reqs[0].date, v->srv->reqs[1].date);
    assert_string_not_equal(v->srv->reqs[0].auth, v->srv->reqs[1].auth);
    assert_int_equal(v->srv->conns, 1);
    env_free(v);
}

static void throttled_400_is_retried(void **state) {
    (void)state;
    const action script[] = {
        {A_REPLY, 400, "x-amzn-ErrorType: ThrottlingException\r\n", "{\"message\":\"Rate exceeded\"}"},
        JSON_OK};
    env *v = env_new(script, 2);
    result r;
    call(v, get_req("lambda", "us-west-2", "/2015-03-31/functions/", NULL), &r);
    assert_int_equal(r.status, 200);
    free(r.body);
    assert_int_equal(srv_count(v->srv), 2);
    env_free(v);
}

static void not_found_is_not_retried(void **state) {
    (void)state;
    const action script[] = {
        {A_REPLY, 404, "x-amzn-ErrorType: NotFoundException\r\n", "{\"message\":\"Invalid API identifier specified\"}"}};
    env *v = env_new(script, 1);
    result r;
    call(v, get_req("apigateway", "us-west-2", "/restapis/nope", NULL), &r);
    assert_int_equal(r.status, 404);
    free(r.body);
    assert_int_equal(srv_count(v->srv), 1);
    env_free(v);
}

static void retry_after_is_honoured(void **state) {
    (void)state;
    const action script[] = {{A_REPLY, 429, "Retry-After: 1\r\n", "{\"message\":\"Too Many Requests\"}"},
                             JSON_OK};
    env *v = env_new(script, 2);
    result r;
    call(v, get_req("apigateway", "us-west-2", "/restapis", NULL), &r);
    assert_int_equal(r.status, 200);
    free(r.body);
    assert_int_equal(srv_count(v->srv), 2);
    /* The jitter is zero here: only Retry-After can hold the retry back, and
     * the server answered the first request as soon as it arrived. */
    assert_true(v->srv->reqs[1].at_ms - v->srv->reqs[0].at_ms >= 950);
    env_free(v);
}

static void three_503_give_up(void **state) {
    (void)state;
    const action script[] = {{A_REPLY, 503, "x-amzn-ErrorType: ServiceUnavailableException\r\n",
                              "{\"message\":\"Service Unavailable\"}"}};
    env *v = env_new(script, 1);
    result r;
    call(v, get_req("apigateway", "us-west-2", "/restapis", NULL), &r);
    assert_false(r.failed);
    assert_int_equal(r.status, 503);
    free(r.body);
    assert_int_equal(srv_count(v->srv), 3);
    env_free(v);
}

static void connection_refused(void **state) {
    (void)state;
    int port;
    int fd = listen_any(&port); /* bound, never listening: connections are refused */
    env *v = env_new_at(port, NULL, 0, 0, 0);
    result r;
    call(v, get_req("apigateway", "us-west-2", "/restapis", NULL), &r);
    close(fd);
    assert_true(r.failed);
    assert_int_equal(r.e.status, 0);
    assert_string_equal(r.e.code, "ConnectionError");
    char host[64];
    snprintf(host, sizeof host, "127.0.0.1:%d", port);
    assert_non_null(strstr(r.e.msg, host));
    assert_non_null(strstr(r.e.msg, "after 3 attempts"));
    assert_no_secret(r.e.msg);
    env_free(v);
}

static void stall_times_out(void **state) {
    (void)state;
    const action script[] = {{A_STALL, 0, NULL, NULL}};
    env *v = env_new_at(0, script, 1, 200, 2);
    result r;
    call(v, get_req("apigateway", "us-west-2", "/restapis", NULL), &r);
    assert_true(r.failed);
    assert_string_equal(r.e.code, "Timeout");
    assert_non_null(strstr(r.e.msg, "127.0.0.1"));
    assert_no_secret(r.e.msg);
    assert_int_equal(srv_count(v->srv), 2);
    env_free(v);
}

static void reset_mid_body(void **state) {
    (void)state;
    const action script[] = {{A_RESET, 0, NULL, NULL}};
    env *v = env_new(script, 1);
    result r;
    call(v, get_req("apigateway", "us-west-2", "/restapis", NULL), &r);
    assert_true(r.failed);
    assert_string_equal(r.e.code, "ConnectionError");
    assert_no_secret(r.e.msg);
    assert_int_equal(srv_count(v->srv), 3);
    env_free(v);
}

static void reset_then_success(void **state) {
    (void)state;
    const action script[] = {{A_RESET, 0, NULL, NULL}, {A_CLOSE, 0, NULL, NULL}, JSON_OK};
    env *v = env_new(script, 3);
    result r;
    call(v, get_req("apigateway", "us-west-2", "/restapis", NULL), &r);
    assert_false(r.failed);
    assert_int_equal(r.status, 200);
    free(r.body);
    assert_int_equal(srv_count(v->srv), 3);
    env_free(v);
}

static void client_sees(const char *body, const char *code) {
    const action script[] = {{A_REPLY, 200, NULL, body}};
    env *v = env_new(script, 1);
    client *cl = client_new(v->t, "us-west-2");
    cJSON *out = NULL;
    err e;
    assert_int_equal(client_call_sync(cl, APIGW_GetRestApis, NULL, 0, NULL, NULL, &out, &e), -1);
    assert_string_equal(e.code, code);
    assert_null(out);
    client_free(cl);
    env_free(v);
}

static void truncated_and_malformed_json(void **state) {
    (void)state;
    client_sees("{\"items\": [{\"id\": \"ab", "MalformedResponse");
    client_sees("<html>oops</html>", "MalformedResponse");
}

static void slow_body_completes(void **state) {
    (void)state;
    const char *body = "{\"items\": [{\"id\": \"a1b2c3\", \"name\": \"SlowAPI\"}]}";
    const action script[] = {{A_SLOW, 200, NULL, body}};
    env *v = env_new(script, 1);
    result r;
    call(v, get_req("apigateway", "us-west-2", "/restapis", NULL), &r);
    assert_false(r.failed);
    assert_string_equal(r.body, body);
    free(r.body);
    assert_int_equal(srv_count(v->srv), 1);
    env_free(v);
}

/* One turn of a UI-style loop: wait at most 20 ms on the transport's fds. */
static void loop_turn(transport *t) {
    struct pollfd fds[16];
    int n = transport_pollfds(t, fds, 16);
    int to = transport_timeout_ms(t);
    poll(fds, (nfds_t)n, to < 0 || to > 20 ? 20 : to);
    transport_process(t);
}

static void ui_loop_never_blocks(void **state) {
    (void)state;
    const action script[] = {{A_HOLD, 200, NULL, "{\"items\": []}"}};
    env *v = env_new(script, 1);
    result r = {0};
    transport_submit(v->t, get_req("apigateway", "us-west-2", "/restapis", NULL), on_done, &r);
    assert_false(r.done);
    assert_int_equal(transport_pending(v->t), 1);
    int turns = 0;
    while (srv_count(v->srv) < 1 && turns < 500) {
        loop_turn(v->t);
        turns++;
    }
    assert_int_equal(srv_count(v->srv), 1); /* the server has it and holds the answer */
    for (int i = 0; i < 5; i++) loop_turn(v->t);
    assert_false(r.done);
    srv_release(v->srv);
    while (!r.done && turns++ < 1000) loop_turn(v->t);
    assert_true(r.done);
    assert_int_equal(r.status, 200);
    assert_int_equal(transport_pending(v->t), 0);
    free(r.body);
    /* Idle: no timer; the kept-alive connection is not polled. */
    for (int i = 0; i < 3; i++) transport_process(v->t);
    struct pollfd fds[4];
    assert_int_equal(transport_timeout_ms(v->t), -1);
    assert_int_equal(transport_pollfds(v->t, fds, 4), 0);
    env_free(v);
}

static void destroy_cancels_pending(void **state) {
    (void)state;
    const action script[] = {{A_HOLD, 200, NULL, "{}"}};
    env *v = env_new(script, 1);
    result r = {0};
    transport_submit(v->t, get_req("apigateway", "us-west-2", "/restapis", NULL), on_done, &r);
    for (int i = 0; i < 500 && srv_count(v->srv) < 1; i++) loop_turn(v->t);
    transport_destroy(v->t);
    v->t = NULL;
    assert_true(r.done);
    assert_true(r.failed);
    assert_string_equal(r.e.msg, "the request was cancelled");
    env_free(v);
}

static void bad_endpoint_is_refused(void **state) {
    (void)state;
    set_env();
    curl_transport_opts o = {.region = "us-west-2", .endpoint_url = "ftp://127.0.0.1:21"};
    err e;
    assert_null(curl_transport_new(&o, &e));
    assert_non_null(strstr(e.msg, "ftp://127.0.0.1:21"));
}

/* --- Retry-After as an HTTP-date ------------------------------------------ */

static void retry_after_date_is_honoured(void **state) {
    (void)state;
    /* The transport's clock stands at FIXTURE_T0_MS: one second later is
     * one second to wait, a minute earlier is no wait at all. */
    char later[96], earlier[96];
    time_t t0 = (time_t)(FIXTURE_T0_MS / 1000);
    struct tm tm;
    time_t t = t0 + 1;
    strftime(later, sizeof later, "Retry-After: %a, %d %b %Y %H:%M:%S GMT\r\n", gmtime_r(&t, &tm));
    t = t0 - 60;
    strftime(earlier, sizeof earlier, "Retry-After: %a, %d %b %Y %H:%M:%S GMT\r\n", gmtime_r(&t, &tm));
    const action script[] = {{A_REPLY, 503, later, "{\"message\":\"Service Unavailable\"}"}, JSON_OK};
    env *v = env_new_cfg(&(env_cfg){.script = script, .nscript = 2, .fixed_clock = true});
    result r;
    call(v, get_req("apigateway", "us-west-2", "/restapis", NULL), &r);
    assert_int_equal(r.status, 200);
    free(r.body);
    assert_int_equal(srv_count(v->srv), 2);
    int64_t gap = v->srv->reqs[1].at_ms - v->srv->reqs[0].at_ms;
    assert_true(gap >= 950);
    assert_true(gap < 5000);

    const action past[] = {{A_REPLY, 503, earlier, "{\"message\":\"Service Unavailable\"}"}, JSON_OK};
    srv_script(v->srv, past, 2);
    call(v, get_req("apigateway", "us-west-2", "/restapis", NULL), &r);
    assert_int_equal(r.status, 200);
    free(r.body);
    assert_int_equal(srv_count(v->srv), 4);
    assert_true(v->srv->reqs[3].at_ms - v->srv->reqs[2].at_ms < 500);
    env_free(v);
}

/* --- the retry quota -------------------------------------------------------- */

#define CLOSE_UNANSWERED {A_CLOSE, 0, NULL, NULL}
#define QUOTA_STOP "retries stopped because too many requests failed recently"

/* One GET; the server hits it took. */
static int hits_of(env *v, result *r) {
    int before = srv_count(v->srv);
    call(v, get_req("apigateway", "us-west-2", "/restapis", NULL), r);
    return srv_count(v->srv) - before;
}

/* One GET against a server that closes every connection unanswered, with
 * attempts enough that only the quota ends it; the server hits it took. */
static int failing_hits(env *v) {
    const action close_all[] = {CLOSE_UNANSWERED};
    srv_script(v->srv, close_all, 1);
    result r;
    int n = hits_of(v, &r);
    assert_true(r.failed);
    assert_string_equal(r.e.code, "ConnectionError");
    assert_non_null(strstr(r.e.msg, QUOTA_STOP));
    assert_no_secret(r.e.msg);
    return n;
}

/* A success that does not keep the connection: curl resends by itself,
 * once, a request whose kept-alive connection closes unanswered, which
 * would blur the count of hits. */
#define OK_AND_CLOSE {A_REPLY, 200, "Connection: close\r\n", "{\"items\": []}"}

/* n requests that succeed at once, one hit each. */
static void succeed(env *v, int n) {
    const action ok[] = {OK_AND_CLOSE};
    srv_script(v->srv, ok, 1);
    for (int i = 0; i < n; i++) {
        result r;
        assert_int_equal(hits_of(v, &r), 1);
        assert_int_equal(r.status, 200);
        free(r.body);
    }
}

static void quota_drains_then_fails_fast(void **state) {
    (void)state;
    const action close_all[] = {CLOSE_UNANSWERED};
    env *v = env_new(close_all, 1);
    result r;
    /* 50 requests of 3 attempts: 100 retries at 5 tokens empty the 500. */
    for (int i = 0; i < 50; i++) {
        assert_int_equal(hits_of(v, &r), 3);
        assert_true(r.failed);
        assert_non_null(strstr(r.e.msg, "(after 3 attempts)"));
    }
    /* Then the first failure comes back at once, and says why. */
    assert_int_equal(hits_of(v, &r), 1);
    assert_true(r.failed);
    assert_int_equal(r.e.status, 0);
    assert_string_equal(r.e.code, "ConnectionError");
    char host[64];
    snprintf(host, sizeof host, "127.0.0.1:%d/restapis", v->srv->port);
    assert_non_null(strstr(r.e.msg, host));
    assert_non_null(strstr(r.e.msg, "(after 1 attempt; " QUOTA_STOP ")"));
    assert_no_secret(r.e.msg);

    /* A retryable answer is handed over as it came, without a retry. */
    const action unavailable[] = {{A_REPLY, 503, "x-amzn-ErrorType: ServiceUnavailableException\r\n",
                                   "{\"message\":\"Service Unavailable\"}"}};
    srv_script(v->srv, unavailable, 1);
    assert_int_equal(hits_of(v, &r), 1);
    assert_false(r.failed);
    assert_int_equal(r.status, 503);
    free(r.body);

    /* The bucket is the transport's: another transport retries as before
     * (the server answers one connection at a time: close this one's). */
    transport_destroy(v->t);
    v->t = NULL;
    env *w = env_new_at(v->srv->port, NULL, 0, 0, 0);
    int before = srv_count(v->srv);
    call(w, get_req("apigateway", "us-west-2", "/restapis", NULL), &r);
    assert_int_equal(r.status, 503);
    free(r.body);
    assert_int_equal(srv_count(v->srv) - before, 3);
    env_free(w);
    env_free(v);
}

static void quota_refills_on_success(void **state) {
    (void)state;
    const action ok[] = {JSON_OK};
    env *v = env_new_at(0, ok, 1, 0, 1000);
    /* The bucket never holds more than 500: 100 retries at 5 tokens. */
    succeed(v, 10);
    assert_int_equal(failing_hits(v), 101);
    /* A first-attempt success gives 1 token: 4 pay no retry (and stay)... */
    succeed(v, 4);
    assert_int_equal(failing_hits(v), 1);
    /* ...and with a fifth, one retry, which empties the bucket again. */
    succeed(v, 1);
    assert_int_equal(failing_hits(v), 2);

    /* A success after a retry gives back what that retry took (5), not 1. */
    succeed(v, 5);
    const action flaky[] = {CLOSE_UNANSWERED, OK_AND_CLOSE};
    srv_script(v->srv, flaky, 2);
    result r;
    assert_int_equal(hits_of(v, &r), 2);
    assert_false(r.failed);
    assert_int_equal(r.status, 200);
    free(r.body);
    assert_int_equal(failing_hits(v), 2); /* 5 again: one retry, then 0 */
    succeed(v, 4); /* exactly 4: no token was left over */
    assert_int_equal(failing_hits(v), 1);

    /* An answer that is not a 2xx gives nothing back: still 4. */
    const action missing[] = {{A_REPLY, 404, "Connection: close\r\nx-amzn-ErrorType: NotFoundException\r\n",
                               "{\"message\":\"Invalid API identifier specified\"}"}};
    srv_script(v->srv, missing, 1);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(hits_of(v, &r), 1);
        assert_int_equal(r.status, 404);
        free(r.body);
    }
    assert_int_equal(failing_hits(v), 1);
    env_free(v);
}

static void timeout_retry_costs_ten(void **state) {
    (void)state;
    const action stall[] = {{A_STALL, 0, NULL, NULL}};
    env *v = env_new_at(0, stall, 1, 25, 1000);
    result r;
    call(v, get_req("apigateway", "us-west-2", "/restapis", NULL), &r);
    assert_true(r.failed);
    assert_string_equal(r.e.code, "Timeout");
    /* 50 retries at 10 tokens empty the bucket: 51 attempts in all. */
    assert_non_null(strstr(r.e.msg, "(after 51 attempts; " QUOTA_STOP ")"));
    assert_no_secret(r.e.msg);
    env_free(v);
}

/* --- DNS and TLS failures ----------------------------------------------------- */

#define NOT_HTTP_OR_TLS "HTTP/1.1 400 Bad Request\r\n\r\n"

static void dns_failure_is_retried_and_named(void **state) {
    (void)state;
    /* The name is looked up over DNS-over-HTTPS at a loopback "resolver"
     * that answers every TLS hello with plain text, so every lookup fails
     * and none leaves 127.0.0.1: the system resolver, which here would send
     * the query to a name server, is never asked. */
    const action never[] = {CLOSE_UNANSWERED};
    fsrv *doh = srv_start_greeting(never, 1, NOT_HTTP_OR_TLS);
    char doh_url[64];
    snprintf(doh_url, sizeof doh_url, "https://127.0.0.1:%d/dns-query", doh->port);
    env *v = env_new_cfg(&(env_cfg){.url = "http://no-such-host.invalid:1", .doh_url = doh_url});
    result r;
    call(v, get_req("apigateway", "us-west-2", "/restapis", NULL), &r);
    assert_true(r.failed);
    assert_int_equal(r.e.status, 0);
    assert_string_equal(r.e.code, "ConnectionError");
    assert_non_null(strstr(r.e.msg, "GET no-such-host.invalid:1/restapis: "));
    assert_non_null(strstr(r.e.msg, "Could not resolve host: no-such-host.invalid "));
    assert_non_null(strstr(r.e.msg, "(after 3 attempts)"));
    assert_no_secret(r.e.msg);
    /* Every attempt looked the name up afresh. */
    assert_true(srv_conns(doh) >= 3);
    assert_int_equal(srv_count(doh), 0);
    env_free(v);
    srv_stop(doh);
}

static void tls_failure_is_not_retried(void **state) {
    (void)state;
    const action never[] = {CLOSE_UNANSWERED};
    env *v = env_new_cfg(&(env_cfg){.script = never, .nscript = 1, .greet = NOT_HTTP_OR_TLS,
                                    .scheme = "https"});
    result r;
    call(v, get_req("apigateway", "us-west-2", "/restapis", NULL), &r);
    assert_true(r.failed);
    assert_string_equal(r.e.code, "TLSError");
    char host[64];
    snprintf(host, sizeof host, "127.0.0.1:%d/restapis", v->srv->port);
    assert_non_null(strstr(r.e.msg, host));
    assert_non_null(strstr(r.e.msg, "(after 1 attempt)"));
    assert_no_secret(r.e.msg);
    assert_int_equal(srv_conns(v->srv), 1);
    env_free(v);
}

/* --- our own serve as the peer ---------------------------------------------- */

static void serve_is_a_peer(void **state) {
    (void)state;
    fixture *fx = fixture_new(NULL);
    err e;
    server *srv = server_start(fx->emu, "127.0.0.1", 0, &e);
    assert_non_null(srv);
    env *v = env_new_at(server_port(srv), NULL, 0, 0, 0);
    client *cl = client_new(v->t, "us-west-2");
    cJSON *out = NULL;
    cJSON *body = cJSON_CreateObject();
    json_set_str(body, "name", "PeerAPI");
    assert_int_equal(client_call_sync(cl, APIGW_CreateRestApi, NULL, 0, NULL, body, &out, &e), 0);
    char *id = xstrdup(json_str_or(out, "id", ""));
    assert_string_equal(json_str_or(out, "name", ""), "PeerAPI");
    cJSON_Delete(out);

    assert_int_equal(client_call_sync(cl, APIGW_GetRestApis, NULL, 0, NULL, NULL, &out, &e), 0);
    cJSON *items = cJSON_GetObjectItem(out, "item");
    assert_int_equal(cJSON_GetArraySize(items), 1);
    assert_string_equal(json_str_or(cJSON_GetArrayItem(items, 0), "id", ""), id);
    cJSON_Delete(out);

    const char *params[] = {"nope12"};
    assert_int_equal(client_call_sync(cl, APIGW_GetRestApi, params, 1, NULL, NULL, &out, &e), -1);
    assert_int_equal(e.status, 404);
    assert_string_equal(e.code, "NotFoundException");

    /* The region comes from the signature's scope: another region is empty. */
    client *eu = client_new(v->t, "eu-west-1");
    assert_int_equal(client_call_sync(eu, APIGW_GetRestApis, NULL, 0, NULL, NULL, &out, &e), 0);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(out, "item")), 0);
    cJSON_Delete(out);
    client_free(eu);

    free(id);
    client_free(cl);
    env_free(v);
    server_stop(srv);
    fixture_free(fx);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(success_and_signature),
        cmocka_unit_test(retried_500_is_resigned),
        cmocka_unit_test(throttled_400_is_retried),
        cmocka_unit_test(not_found_is_not_retried),
        cmocka_unit_test(retry_after_is_honoured),
        cmocka_unit_test(three_503_give_up),
        cmocka_unit_test(connection_refused),
        cmocka_unit_test(stall_times_out),
        cmocka_unit_test(reset_mid_body),
        cmocka_unit_test(reset_then_success),
        cmocka_unit_test(truncated_and_malformed_json),
        cmocka_unit_test(slow_body_completes),
        cmocka_unit_test(ui_loop_never_blocks),
        cmocka_unit_test(destroy_cancels_pending),
        cmocka_unit_test(bad_endpoint_is_refused),
        cmocka_unit_test(retry_after_date_is_honoured),
        cmocka_unit_test(quota_drains_then_fails_fast),
        cmocka_unit_test(quota_refills_on_success),
        cmocka_unit_test(timeout_retry_costs_ten),
        cmocka_unit_test(dns_failure_is_retried_and_named),
        cmocka_unit_test(tls_failure_is_not_retried),
        cmocka_unit_test(serve_is_a_peer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
