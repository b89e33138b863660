/* `serve` over real sockets on 127.0.0.1: raw paths and queries, headers
 * both ways, bodies large and too large, broken and abandoned requests, and
 * the emulator's AWS error shapes as an HTTP client sees them. */
#include "fixture.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/mem.h"
#include "server/server.h"

/* --- an echo handler: tells the client what the server handed it ------- */

typedef struct echo {
    atomic_int calls;
    atomic_int other_thread; /* calls that ran on another thread than the first */
    pthread_t first;
} echo;

static uint64_t fnv1a(const char *p, size_t n) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)p[i]) * 0x100000001b3ull;
    return h;
}

static void echo_handle(void *ctx, const http_request *req, http_response *resp) {
    echo *ec = ctx;
    if (atomic_fetch_add(&ec->calls, 1) == 0)
        ec->first = pthread_self();
    else if (!pthread_equal(ec->first, pthread_self()))
        atomic_fetch_add(&ec->other_thread, 1);
    cJSON *b = cJSON_CreateObject();
    cJSON_AddStringToObject(b, "method", req->method);
    cJSON_AddStringToObject(b, "path", req->path);
    if (req->query) cJSON_AddStringToObject(b, "query", req->query);
    const char *h = http_headers_get(&req->headers, "X-Probe");
    if (h) cJSON_AddStringToObject(b, "probe", h);
    cJSON_AddNumberToObject(b, "len", (double)req->body_len);
    char sum[24];
    snprintf(sum, sizeof sum, "%016llx", (unsigned long long)fnv1a(req->body, req->body_len));
    cJSON_AddStringToObject(b, "sum", sum);
    char *text = json_print(b);
    cJSON_Delete(b);
    resp->status = 201;
    http_headers_add(&resp->headers, "Content-Type", "application/json");
    http_headers_add(&resp->headers, "x-amzn-RequestId", "echo-request");
    http_headers_add(&resp->headers, "X-Twice", "one");
    http_headers_add(&resp->headers, "X-Twice", "two");
    /* Wrong on purpose: the server frames the body itself. */
    http_headers_add(&resp->headers, "Content-Length", "1");
    http_response_set_body(resp, text, strlen(text));
    free(text);
}

/* --- a small HTTP client ------------------------------------------------ */

typedef struct reply {
    long status;
    buf head; /* raw header lines */
    buf body;
    cJSON *json;
} reply;

static void reply_free(reply *r) {
    buf_free(&r->head);
    buf_free(&r->body);
    cJSON_Delete(r->json);
    memset(r, 0, sizeof *r);
}

static size_t on_data(char *p, size_t size, size_t n, void *ud) {
    buf_add(ud, p, size * n);
    return size * n;
}

/* Value of the last header line named name (malloc'd), or NULL. */
static char *header(const reply *r, const char *name) {
    char *found = NULL;
    size_t nlen = strlen(name);
    for (const char *line = r->head.data; line && *line;) {
        const char *end = strstr(line, "\r\n");
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (len > nlen && strncasecmp(line, name, nlen) == 0 && line[nlen] == ':') {
            const char *v = line + nlen + 1;
            while (*v == ' ') v++;
            free(found);
            found = xstrndup(v, len - (size_t)(v - line));
        }
        line = end ? end + 2 : line + len;
    }
    return found;
}

static int count_header(const reply *r, const char *name) {
    int n = 0;
    size_t nlen = strlen(name);
    for (const char *p = r->head.data; p && (p = strstr(p, "\r\n")); p += 2)
        if (strncasecmp(p + 2, name, nlen) == 0 && p[2 + nlen] == ':') n++;
    return n;
}

static void header_is(const reply *r, const char *name, const char *want) {
    char *v = header(r, name);
    assert_non_null(v);
    assert_string_equal(v, want);
    free(v);
}

typedef struct request {
    const char *method;
    const char *host; /* default 127.0.0.1 */
    const char *path;
    const char *body;
    size_t body_len;
    const char *headers[4];
    CURL *reuse; /* a handle to keep the connection alive on */
} request;

static void perform(int port, const request *rq, reply *r) {
    memset(r, 0, sizeof *r);
    CURL *c = rq->reuse ? rq->reuse : curl_easy_init();
    char url[600];
    const char *host = rq->host ? rq->host : "127.0.0.1";
    snprintf(url, sizeof url, strchr(host, ':') ? "http://[%s]:%d%s" : "http://%s:%d%s", host,
             port, rq->path);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    if (strcmp(rq->method, "HEAD") == 0)
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    else
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, rq->method);
    if (rq->body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, rq->body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)rq->body_len);
    }
    struct curl_slist *hl = NULL;
    for (size_t i = 0; i < 4 && rq->headers[i]; i++) hl = curl_slist_append(hl, rq->headers[i]);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &r->body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &r->head);
    CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK) fail_msg("curl: %s (%s)", curl_easy_strerror(rc), url);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
    curl_slist_free_all(hl);
    if (!rq->reuse) curl_easy_cleanup(c);
    if (r->body.len) r->json = cJSON_ParseWithLength(r->body.data, r->body.len);
}

/* Send raw bytes on a fresh connection; optionally hang up after sending.
 * Returns what came back until the server closed or went quiet. */
static char *raw_exchange(int port, const char *bytes, size_t n, bool hang_up) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    struct timeval tv = {.tv_sec = 5};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    assert_int_equal(send(fd, bytes, n, MSG_NOSIGNAL), (ssize_t)n);
    buf got = BUF_INIT;
    if (!hang_up) {
        char chunk[4096];
        ssize_t k;
        while ((k = recv(fd, chunk, sizeof chunk, 0)) > 0) {
            buf_add(&got, chunk, (size_t)k);
            /* Stop once a whole response with its Content-Length is in. */
            char *end = got.data ? strstr(got.data, "\r\n\r\n") : NULL;
            char *cl = got.data ? strcasestr(got.data, "\r\nContent-Length:") : NULL;
            if (end && cl && cl < end &&
                got.len >= (size_t)(end + 4 - got.data) + strtoul(cl + 17, NULL, 10))
                break;
        }
    }
    close(fd);
    return buf_steal(&got);
}

/* --- set-up ------------------------------------------------------------- */

typedef struct env {
    echo ec;
    server *srv;
    int port;
    fixture *fx; /* for the emulator-backed servers */
} env;

static int echo_up(void **state) {
    env *v = xcalloc(1, sizeof *v);
    err e;
    v->srv = server_start_with(echo_handle, &v->ec, "127.0.0.1", 0, &e);
    if (!v->srv) {
        fprintf(stderr, "server_start_with: %s\n", e.msg);
        free(v);
        return -1;
    }
    v->port = server_port(v->srv);
    *state = v;
    return 0;
}

static int emulator_up(void **state) {
    env *v = xcalloc(1, sizeof *v);
    v->fx = fixture_new(NULL);
    err e;
    v->srv = server_start(v->fx->emu, "127.0.0.1", 0, &e);
    if (!v->srv) {
        fprintf(stderr, "server_start: %s\n", e.msg);
        fixture_free(v->fx);
        free(v);
        return -1;
    }
    v->port = server_port(v->srv);
    *state = v;
    return 0;
}

static int down(void **state) {
    env *v = *state;
    server_stop(v->srv);
    if (v->fx) fixture_free(v->fx);
    free(v);
    return 0;
}

/* --- the echo server -------------------------------------------------- */

static void binds_a_real_port(void **state) {
    env *v = *state;
    assert_true(v->port > 0 && v->port <= 65535);
}

static void path_and_query_arrive_raw_and_in_order(void **state) {
    env *v = *state;
    reply r;
    perform(v->port,
            &(request){.method = "GET",
                       .path = "/restapis/a%2Fb/resources/%7BID%7D?z=1&a=x%20y&a=b+c&flag"},
            &r);
    assert_int_equal(r.status, 201);
    assert_string_equal(json_str(r.json, "method"), "GET");
    assert_string_equal(json_str(r.json, "path"), "/restapis/a%2Fb/resources/%7BID%7D");
    assert_string_equal(json_str(r.json, "query"), "z=1&a=x%20y&a=b+c&flag");
    reply_free(&r);
}

static void no_query_means_null_query(void **state) {
    env *v = *state;
    reply r;
    perform(v->port, &(request){.method = "GET", .path = "/2015-03-31/functions/"}, &r);
    assert_string_equal(json_str(r.json, "path"), "/2015-03-31/functions/");
    assert_false(json_has(r.json, "query"));
    reply_free(&r);
    perform(v->port, &(request){.method = "GET", .path = "/restapis?"}, &r);
    assert_string_equal(json_str(r.json, "path"), "/restapis");
    assert_false(json_has(r.json, "query"));
    reply_free(&r);
}

static void headers_go_both_ways(void **state) {
    env *v = *state;
    reply r;
    perform(v->port,
            &(request){.method = "PATCH", .path = "/x", .body = "{}", .body_len = 2,
                       .headers = {"X-Probe: probe value", "Content-Type: application/json"}},
            &r);
    assert_int_equal(r.status, 201);
    assert_string_equal(json_str(r.json, "method"), "PATCH");
    assert_string_equal(json_str(r.json, "probe"), "probe value");
    assert_int_equal((int)json_num_or(r.json, "len", -1), 2);
    header_is(&r, "x-amzn-RequestId", "echo-request");
    header_is(&r, "Content-Type", "application/json");
    assert_int_equal(count_header(&r, "X-Twice"), 2);
    /* The handler's bogus Content-Length is replaced by the real one. */
    char len[24];
    snprintf(len, sizeof len, "%zu", r.body.len);
    header_is(&r, "Content-Length", len);
    assert_int_equal(count_header(&r, "Content-Length"), 1);
    reply_free(&r);
}

static void connection_is_kept_alive(void **state) {
    env *v = *state;
    CURL *c = curl_easy_init();
    reply r;
    perform(v->port, &(request){.method = "GET", .path = "/one", .reuse = c}, &r);
    reply_free(&r);
    perform(v->port, &(request){.method = "GET", .path = "/two", .reuse = c}, &r);
    long fresh = -1;
    curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &fresh);
    assert_int_equal(fresh, 0);
    assert_string_equal(json_str(r.json, "path"), "/two");
    reply_free(&r);
    curl_easy_cleanup(c);
}

static void large_body_arrives_whole(void **state) {
    env *v = *state;
    size_t n = 12u * 1024u * 1024u;
    char *big = xmalloc(n);
    for (size_t i = 0; i < n; i++) big[i] = (char)(i * 7 + i / 4096);
    big[100] = '\0'; /* NUL bytes travel too */
    reply r;
    perform(v->port, &(request){.method = "PUT", .path = "/big", .body = big, .body_len = n}, &r);
    assert_int_equal(r.status, 201);
    assert_int_equal((size_t)json_num_or(r.json, "len", -1), n);
    char sum[24];
    snprintf(sum, sizeof sum, "%016llx", (unsigned long long)fnv1a(big, n));
    assert_string_equal(json_str(r.json, "sum"), sum);
    reply_free(&r);
    free(big);
}

static void declared_oversize_body_is_refused_unread(void **state) {
    env *v = *state;
    char req[256];
    snprintf(req, sizeof req,
             "POST /restapis HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
             "Content-Length: %u\r\n\r\n",
             SERVER_MAX_BODY + 1);
    char *got = raw_exchange(v->port, req, strlen(req), false);
    assert_true(strncmp(got, "HTTP/1.1 413", 12) == 0);
    assert_non_null(strcasestr(got, "\r\nx-amzn-ErrorType: BadRequestException\r\n"));
    assert_non_null(strcasestr(got, "\r\nx-amzn-RequestId: "));
    assert_non_null(strstr(got, "{\"message\":\"Request must be smaller than 73400320 bytes\"}"));
    assert_int_equal(atomic_load(&v->ec.calls), 0);
    free(got);
}

static void oversize_lambda_body_gets_lambda_shape(void **state) {
    env *v = *state;
    char req[256];
    snprintf(req, sizeof req,
             "POST /2015-03-31/functions/f/invocations HTTP/1.1\r\nHost: 127.0.0.1\r\n"
             "Content-Length: %u\r\n\r\n",
             SERVER_MAX_BODY + 100);
    char *got = raw_exchange(v->port, req, strlen(req), false);
    assert_true(strncmp(got, "HTTP/1.1 413", 12) == 0);
    assert_non_null(strcasestr(got, "\r\nx-amzn-ErrorType: RequestEntityTooLargeException\r\n"));
    assert_non_null(strstr(got, "\"Type\":\"User\""));
    assert_non_null(strstr(got, "\"Message\":\"Request must be smaller than"));
    free(got);
}

typedef struct feed {
    size_t left;
} feed;

static size_t feed_read(char *p, size_t size, size_t n, void *ud) {
    feed *f = ud;
    size_t k = size * n < f->left ? size * n : f->left;
    memset(p, 'x', k);
    f->left -= k;
    return k;
}

static void chunked_body_over_the_cap_is_refused(void **state) {
    env *v = *state;
    CURL *c = curl_easy_init();
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/restapis", v->port);
    feed f = {.left = (size_t)SERVER_MAX_BODY + 4096};
    struct curl_slist *hl = curl_slist_append(NULL, "Transfer-Encoding: chunked");
    reply r = {0};
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, feed_read);
    curl_easy_setopt(c, CURLOPT_READDATA, &f);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &r.head);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
    assert_int_equal(curl_easy_perform(c), CURLE_OK);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    curl_slist_free_all(hl);
    curl_easy_cleanup(c);
    assert_int_equal(r.status, 413);
    header_is(&r, "x-amzn-ErrorType", "BadRequestException");
    r.json = cJSON_ParseWithLength(r.body.data, r.body.len);
    assert_string_equal(json_str(r.json, "message"), "Request must be smaller than 73400320 bytes");
    assert_int_equal(atomic_load(&v->ec.calls), 0);
    reply_free(&r);
}

static void malformed_request_is_refused_and_server_lives(void **state) {
    env *v = *state;
    const char *junk = "THIS IS NOT HTTP\r\n\r\n";
    char *got = raw_exchange(v->port, junk, strlen(junk), false);
    assert_true(strncmp(got, "HTTP/1.1 400", 12) == 0);
    free(got);
    const char *bad_line = "GET /x HTTP/1.1\r\nHost: a\r\nno colon here\r\n\r\n";
    got = raw_exchange(v->port, bad_line, strlen(bad_line), false);
    assert_true(strncmp(got, "HTTP/1.1 400", 12) == 0);
    free(got);
    assert_int_equal(atomic_load(&v->ec.calls), 0);
    reply r;
    perform(v->port, &(request){.method = "GET", .path = "/after"}, &r);
    assert_int_equal(r.status, 201);
    reply_free(&r);
}

static void client_hanging_up_mid_body_is_forgotten(void **state) {
    env *v = *state;
    buf req = BUF_INIT;
    buf_puts(&req, "POST /restapis HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n");
    for (int i = 0; i < 5000; i++) buf_putc(&req, 'y');
    for (int round = 0; round < 3; round++) free(raw_exchange(v->port, req.data, req.len, true));
    buf_free(&req);
    /* The abandoned requests never reached the handler; the server goes on. */
    reply r;
    perform(v->port, &(request){.method = "GET", .path = "/still-here"}, &r);
    assert_int_equal(r.status, 201);
    assert_string_equal(json_str(r.json, "path"), "/still-here");
    assert_int_equal(atomic_load(&v->ec.calls), 1);
    reply_free(&r);
}

static void other_verbs_pass_through(void **state) {
    env *v = *state;
    reply r;
    perform(v->port, &(request){.method = "PURGE", .path = "/restapis"}, &r);
    assert_int_equal(r.status, 201);
    assert_string_equal(json_str(r.json, "method"), "PURGE");
    reply_free(&r);
    perform(v->port, &(request){.method = "HEAD", .path = "/restapis"}, &r);
    assert_int_equal(r.status, 201);
    assert_int_equal(r.body.len, 0); /* HEAD: headers only */
    header_is(&r, "x-amzn-RequestId", "echo-request");
    reply_free(&r);
}

static void every_request_runs_on_one_thread(void **state) {
    env *v = *state;
    for (int i = 0; i < 6; i++) {
        reply r;
        perform(v->port, &(request){.method = "GET", .path = "/t"}, &r);
        reply_free(&r);
    }
    assert_int_equal(atomic_load(&v->ec.calls), 6);
    assert_int_equal(atomic_load(&v->ec.other_thread), 0);
    assert_false(pthread_equal(v->ec.first, pthread_self()));
}

static void silent_handle(void *ctx, const http_request *req, http_response *resp) {}

static void handler_without_answer_gives_aws_500(void **state) {
    err e;
    server *s = server_start_with(silent_handle, NULL, "127.0.0.1", 0, &e);
    assert_non_null(s);
    reply r;
    perform(server_port(s), &(request){.method = "GET", .path = "/restapis"}, &r);
    assert_int_equal(r.status, 500);
    header_is(&r, "x-amzn-ErrorType", "InternalFailure");
    assert_non_null(json_str(r.json, "message"));
    reply_free(&r);
    perform(server_port(s), &(request){.method = "GET", .path = "/2015-03-31/functions/"}, &r);
    assert_int_equal(r.status, 500);
    header_is(&r, "x-amzn-ErrorType", "ServiceException");
    assert_string_equal(json_str(r.json, "Type"), "Service");
    reply_free(&r);
    server_stop(s);
}

/* --- the emulator over HTTP --------------------------------------------- */

static void emulator_errors_keep_aws_shape(void **state) {
    env *v = *state;
    reply r;
    perform(v->port, &(request){.method = "GET", .path = "/nothing/here"}, &r);
    assert_int_equal(r.status, 404);
    header_is(&r, "x-amzn-ErrorType", "UnknownOperationException");
    header_is(&r, "Content-Type", "application/json");
    char *rid = header(&r, "x-amzn-RequestId");
    assert_non_null(rid);
    assert_int_equal(strlen(rid), 36);
    free(rid);
    assert_non_null(json_str(r.json, "message"));
    reply_free(&r);

    perform(v->port,
            &(request){.method = "POST", .path = "/2015-03-31/functions", .body = "[1,",
                       .body_len = 3, .headers = {"Content-Type: application/json"}},
            &r);
    assert_int_equal(r.status, 400);
    header_is(&r, "x-amzn-ErrorType", "InvalidRequestContentException");
    assert_string_equal(json_str(r.json, "Type"), "User");
    assert_non_null(json_str(r.json, "message"));
    reply_free(&r);
}

static void service_comes_from_the_credential_scope(void **state) {
    env *v = *state;
    reply r;
    /* A path that is not Lambda's, signed for Lambda: Lambda's error shape. */
    perform(v->port,
            &(request){.method = "GET", .path = "/nothing",
                       .headers = {"Authorization: AWS4-HMAC-SHA256 "
                                   "Credential=testing/20261124/eu-west-1/lambda/aws4_request, "
                                   "SignedHeaders=host, Signature=00"}},
            &r);
    assert_int_equal(r.status, 404);
    assert_string_equal(json_str(r.json, "Type"), "User");
    reply_free(&r);
    /* And the other way round. */
    perform(v->port,
            &(request){.method = "GET", .path = "/2015-03-31/nothing",
                       .headers = {"Authorization: AWS4-HMAC-SHA256 "
                                   "Credential=testing/20261124/us-west-2/apigateway/aws4_request, "
                                   "SignedHeaders=host, Signature=00"}},
            &r);
    assert_int_equal(r.status, 404);
    assert_non_null(json_str(r.json, "message"));
    assert_false(json_has(r.json, "Type"));
    reply_free(&r);
}

static void head_and_unknown_verbs_get_aws_errors(void **state) {
    env *v = *state;
    reply r;
    perform(v->port, &(request){.method = "HEAD", .path = "/restapis"}, &r);
    assert_int_equal(r.status, 404);
    assert_int_equal(r.body.len, 0);
    header_is(&r, "x-amzn-ErrorType", "UnknownOperationException");
    reply_free(&r);
    perform(v->port, &(request){.method = "BREW", .path = "/restapis"}, &r);
    assert_int_equal(r.status, 404);
    header_is(&r, "x-amzn-ErrorType", "UnknownOperationException");
    assert_non_null(json_str(r.json, "message"));
    reply_free(&r);
}

static void emulator_sees_the_raw_path(void **state) {
    env *v = *state;
    reply r;
    /* Labels are decoded once, by the router: "%2561" names the API "%61". */
    perform(v->port, &(request){.method = "GET", .path = "/restapis/%2561"}, &r);
    assert_int_equal(r.status, 404);
    header_is(&r, "x-amzn-ErrorType", "NotFoundException");
    assert_string_equal(json_str(r.json, "message"),
                        "Invalid API identifier specified 123456789012:%61");
    reply_free(&r);
    /* An encoded slash stays inside one label: this is GetFunction of a
     * function named "a/b", not a longer path. */
    perform(v->port, &(request){.method = "GET", .path = "/2015-03-31/functions/a%2Fb"}, &r);
    char *type = header(&r, "x-amzn-ErrorType");
    assert_non_null(type);
    assert_string_not_equal(type, "UnknownOperationException");
    free(type);
    reply_free(&r);
}

/* --- listening -------------------------------------------------------------- */

static void port_in_use_names_the_address(void **state) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(listen(fd, 1), 0);
    socklen_t len = sizeof sa;
    getsockname(fd, (struct sockaddr *)&sa, &len);
    int port = ntohs(sa.sin_port);
    echo ec = {0};
    err e;
    assert_null(server_start_with(echo_handle, &ec, "127.0.0.1", port, &e));
    char want[64];
    snprintf(want, sizeof want, "127.0.0.1:%d", port);
    assert_non_null(strstr(e.msg, want));
    assert_non_null(strstr(e.msg, "in use"));
    close(fd);
}

static void unknown_host_is_reported(void **state) {
    echo ec = {0};
    err e;
    assert_null(server_start_with(echo_handle, &ec, "no.such.host.invalid", 0, &e));
    assert_non_null(strstr(e.msg, "no.such.host.invalid"));
}

static void listens_on_ipv6_loopback_and_any(void **state) {
    echo ec = {0};
    err e;
    server *s = server_start_with(echo_handle, &ec, "::1", 0, &e);
    if (!s) {
        /* Only a host without IPv6 gets here. */
        assert_non_null(strstr(e.msg, "[::1]:0"));
        skip();
    }
    reply r;
    perform(server_port(s), &(request){.method = "GET", .host = "::1", .path = "/six"}, &r);
    assert_int_equal(r.status, 201);
    assert_string_equal(json_str(r.json, "path"), "/six");
    reply_free(&r);
    server_stop(s);

    s = server_start_with(echo_handle, &ec, "0.0.0.0", 0, &e);
    assert_non_null(s);
    perform(server_port(s), &(request){.method = "GET", .path = "/any"}, &r);
    assert_string_equal(json_str(r.json, "path"), "/any");
    reply_free(&r);
    server_stop(s);
}

/* server_run in a child: prints its address, serves, and ends with 0 on
 * SIGTERM. */
static void run_prints_address_and_stops_on_sigterm(void **state) {
    int out[2];
    assert_int_equal(pipe(out), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(out[0]);
        dup2(out[1], STDOUT_FILENO);
        fixture *fx = fixture_new(NULL);
        err e;
        int rc = server_run(fx->emu, "127.0.0.1", 0, &e);
        fixture_free(fx);
        _exit(rc == 0 ? 0 : 3);
    }
    close(out[1]);
    char line[256] = {0};
    size_t got = 0;
    while (got < sizeof line - 1 && !strchr(line, '\n')) {
        ssize_t k = read(out[0], line + got, sizeof line - 1 - got);
        if (k <= 0) break;
        got += (size_t)k;
    }
    close(out[0]);
    int port = 0;
    assert_int_equal(
        sscanf(line, "apigw-console: serving the emulator on http://127.0.0.1:%d", &port), 1);
    assert_non_null(strstr(line, " (state: in memory)\n"));
    reply r;
    perform(port, &(request){.method = "GET", .path = "/nothing"}, &r);
    assert_int_equal(r.status, 404);
    reply_free(&r);
    assert_int_equal(kill(pid, SIGTERM), 0);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

/* STS, when the credential scope names it: GetCallerIdentity answers with
 * the emulator's account in STS's XML, from a form body or a query
 * string; other actions get STS's InvalidAction. */
#define STS_AUTH                                                                                   \
    "Authorization: AWS4-HMAC-SHA256 Credential=testing/20261124/us-east-1/sts/aws4_request, "     \
    "SignedHeaders=host, Signature=00"

static void sts_answers_for_the_emulator(void **state) {
    env *v = *state;
    reply r;
    const char *form = "Action=GetCallerIdentity&Version=2011-06-15";
    perform(v->port,
            &(request){.method = "POST", .path = "/", .body = form, .body_len = strlen(form),
                       .headers = {STS_AUTH,
                                   "Content-Type: application/x-www-form-urlencoded; "
                                   "charset=utf-8"}},
            &r);
    assert_int_equal(r.status, 200);
    header_is(&r, "Content-Type", "text/xml");
    char *rid = header(&r, "x-amzn-RequestId");
    assert_non_null(rid);
    assert_int_equal(strlen(rid), 36);
    char *want = xasprintf(
        "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
        "  <GetCallerIdentityResult>\n"
        "    <Arn>arn:aws:iam::%s:root</Arn>\n"
        "    <UserId>%s</UserId>\n"
        "    <Account>%s</Account>\n"
        "  </GetCallerIdentityResult>\n"
        "  <ResponseMetadata>\n"
        "    <RequestId>%s</RequestId>\n"
        "  </ResponseMetadata>\n"
        "</GetCallerIdentityResponse>\n",
        emulator_account(v->fx->emu), emulator_account(v->fx->emu),
        emulator_account(v->fx->emu), rid);
    assert_string_equal(r.body.data, want);
    free(want);
    free(rid);
    reply_free(&r);

    /* The query protocol takes its parameters from the query string too. */
    perform(v->port,
            &(request){.method = "GET", .path = "/?Action=GetCallerIdentity&Version=2011-06-15",
                       .headers = {STS_AUTH}},
            &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body.data, "<Account>123456789012</Account>"));
    reply_free(&r);

    const char *other = "Action=AssumeRole&Version=2011-06-15";
    perform(v->port,
            &(request){.method = "POST", .path = "/", .body = other, .body_len = strlen(other),
                       .headers = {STS_AUTH}},
            &r);
    assert_int_equal(r.status, 400);
    header_is(&r, "Content-Type", "text/xml");
    assert_true(strstr(r.body.data, "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/"
                                    "2011-06-15/\">\n  <Error>\n    <Type>Sender</Type>\n"
                                    "    <Code>InvalidAction</Code>\n    <Message>Could not find "
                                    "operation AssumeRole for version 2011-06-15</Message>\n"
                                    "  </Error>\n  <RequestId>") == r.body.data);
    reply_free(&r);

    /* Signed for API Gateway, the same body is the emulator's business. */
    perform(v->port,
            &(request){.method = "POST", .path = "/", .body = form, .body_len = strlen(form),
                       .headers = {"Authorization: AWS4-HMAC-SHA256 "
                                   "Credential=testing/20261124/us-west-2/apigateway/aws4_request, "
                                   "SignedHeaders=host, Signature=00"}},
            &r);
    assert_int_equal(r.status, 404);
    header_is(&r, "x-amzn-ErrorType", "UnknownOperationException");
    reply_free(&r);
}

int main(void) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(binds_a_real_port, echo_up, down),
        cmocka_unit_test_setup_teardown(path_and_query_arrive_raw_and_in_order, echo_up, down),
        cmocka_unit_test_setup_teardown(no_query_means_null_query, echo_up, down),
        cmocka_unit_test_setup_teardown(headers_go_both_ways, echo_up, down),
        cmocka_unit_test_setup_teardown(connection_is_kept_alive, echo_up, down),
        cmocka_unit_test_setup_teardown(large_body_arrives_whole, echo_up, down),
        cmocka_unit_test_setup_teardown(declared_oversize_body_is_refused_unread, echo_up, down),
        cmocka_unit_test_setup_teardown(oversize_lambda_body_gets_lambda_shape, echo_up, down),
        cmocka_unit_test_setup_teardown(chunked_body_over_the_cap_is_refused, echo_up, down),
        cmocka_unit_test_setup_teardown(malformed_request_is_refused_and_server_lives, echo_up,
                                        down),
        cmocka_unit_test_setup_teardown(client_hanging_up_mid_body_is_forgotten, echo_up, down),
        cmocka_unit_test_setup_teardown(other_verbs_pass_through, echo_up, down),
        cmocka_unit_test_setup_teardown(every_request_runs_on_one_thread, echo_up, down),
        cmocka_unit_test(handler_without_answer_gives_aws_500),
        cmocka_unit_test_setup_teardown(emulator_errors_keep_aws_shape, emulator_up, down),
        cmocka_unit_test_setup_teardown(service_comes_from_the_credential_scope, emulator_up, down),
        cmocka_unit_test_setup_teardown(head_and_unknown_verbs_get_aws_errors, emulator_up, down),
        cmocka_unit_test_setup_teardown(emulator_sees_the_raw_path, emulator_up, down),
        cmocka_unit_test_setup_teardown(sts_answers_for_the_emulator, emulator_up, down),
        cmocka_unit_test(port_in_use_names_the_address),
        cmocka_unit_test(unknown_host_is_reported),
        cmocka_unit_test(listens_on_ipv6_loopback_and_any),
        cmocka_unit_test(run_prints_address_and_stops_on_sigterm),
    };
    int failed = cmocka_run_group_tests_name("server", tests, NULL, NULL);
    curl_global_cleanup();
    return failed;
}
