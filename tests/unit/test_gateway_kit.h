#ifndef TEST_GATEWAY_KIT_H
#define TEST_GATEWAY_KIT_H
/* What the data-plane tests share: building APIs through the control
 * plane (as the console or the CLI would), calling a stage, and a tiny
 * HTTP backend on 127.0.0.1 for HTTP integrations. */
#include "fixture.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/json.h"
#include "core/mem.h"
#include "emulator/gateway.h"

#define KIT_ACCOUNT "123456789012"

/* --- control plane ---------------------------------------------------------- */

/* Call the control plane and assert the status; returns the parsed body
 * when out is wanted (caller frees). */
static inline cJSON *kit_call(fixture *fx, int want, const char *method, const char *body,
                              const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static inline cJSON *kit_call(fixture *fx, int want, const char *method, const char *body,
                              const char *fmt, ...) {
    char path[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(path, sizeof path, fmt, ap);
    va_end(ap);
    cJSON *out = NULL;
    int st = fx_call(fx, method, path, body, &out);
    if (st != want) fprintf(stderr, "%s %s -> %d %s\n", method, path, st, fx_body(fx));
    assert_int_equal(st, want);
    return out;
}

/* CreateRestApi; *root gets the root resource id. Both malloc'd. */
static inline char *kit_api(fixture *fx, char **root) {
    cJSON *b = kit_call(fx, 201, "POST", "{\"name\":\"ItemsAPI\"}", "/restapis");
    char *id = xstrdup(json_str(b, "id"));
    if (root) *root = xstrdup(json_str(b, "rootResourceId"));
    cJSON_Delete(b);
    return id;
}

static inline char *kit_resource(fixture *fx, const char *api, const char *parent,
                                 const char *part) {
    char *body = xasprintf("{\"pathPart\":\"%s\"}", part);
    cJSON *b = kit_call(fx, 201, "POST", body, "/restapis/%s/resources/%s", api, parent);
    char *id = xstrdup(json_str(b, "id"));
    cJSON_Delete(b);
    free(body);
    return id;
}

/* PutMethod with authorization NONE and extra members (may be NULL). */
static inline void kit_method(fixture *fx, const char *api, const char *rid, const char *verb,
                              const char *extra) {
    char *body =
        xasprintf("{\"authorizationType\":\"NONE\"%s%s}", extra ? "," : "", extra ? extra : "");
    cJSON_Delete(
        kit_call(fx, 201, "PUT", body, "/restapis/%s/resources/%s/methods/%s", api, rid, verb));
    free(body);
}

static inline void kit_integration(fixture *fx, const char *api, const char *rid, const char *verb,
                                   const char *body) {
    cJSON_Delete(kit_call(fx, 201, "PUT", body, "/restapis/%s/resources/%s/methods/%s/integration",
                          api, rid, verb));
}

static inline void kit_method_response(fixture *fx, const char *api, const char *rid,
                                       const char *verb, const char *status, const char *body) {
    cJSON_Delete(kit_call(fx, 201, "PUT", body ? body : "{}",
                          "/restapis/%s/resources/%s/methods/%s/responses/%s", api, rid, verb,
                          status));
}

static inline void kit_integration_response(fixture *fx, const char *api, const char *rid,
                                            const char *verb, const char *status,
                                            const char *body) {
    cJSON_Delete(kit_call(fx, 201, "PUT", body ? body : "{}",
                          "/restapis/%s/resources/%s/methods/%s/integration/responses/%s", api, rid,
                          verb, status));
}

/* A JSON string literal of text (malloc'd). */
static inline char *kit_json_str(const char *text) {
    cJSON *s = cJSON_CreateString(text);
    char *out = cJSON_PrintUnformatted(s);
    cJSON_Delete(s);
    return out;
}

/* A method with a MOCK integration answering 200 with the response
 * template text (NULL: none), as the console's Mock integration makes it. */
static inline void kit_mock(fixture *fx, const char *api, const char *rid, const char *verb,
                            const char *method_extra, const char *response_template) {
    kit_method(fx, api, rid, verb, method_extra);
    kit_integration(fx, api, rid, verb,
                    "{\"type\":\"MOCK\",\"requestTemplates\":{\"application/json\":"
                    "\"{\\\"statusCode\\\": 200}\"}}");
    kit_method_response(fx, api, rid, verb, "200", NULL);
    char *t = response_template ? kit_json_str(response_template) : NULL;
    char *b = t ? xasprintf("{\"responseTemplates\":{\"application/json\":%s}}", t) : xstrdup("{}");
    kit_integration_response(fx, api, rid, verb, "200", b);
    free(b);
    free(t);
}

/* A new API with GET /part integrated by the PutIntegration body integ,
 * and 200 method and integration responses. Returns the API id; *rid gets
 * the resource id when rid is not NULL. Both malloc'd. */
static inline char *kit_get_api(fixture *fx, const char *part, const char *integ, char **rid) {
    char *root, *api = kit_api(fx, &root);
    char *id = kit_resource(fx, api, root, part);
    kit_method(fx, api, id, "GET", NULL);
    kit_integration(fx, api, id, "GET", integ);
    kit_method_response(fx, api, id, "GET", "200", NULL);
    kit_integration_response(fx, api, id, "GET", "200", NULL);
    free(root);
    if (rid)
        *rid = id;
    else
        free(id);
    return api;
}

/* The ids of an API shaped as the lab's ItemsAPI: the API, its root,
 * /items and /items/{ID} (malloc'd; kit_items_free frees them). */
typedef struct kit_items {
    char *api, *root, *items, *item;
} kit_items;

/* A new such API whose GET methods are MOCKs answering list_tpl and
 * item_tpl, with method_extra in both PutMethods (NULL: none). */
static inline kit_items kit_items_api(fixture *fx, const char *list_tpl, const char *item_tpl,
                                      const char *method_extra) {
    kit_items a;
    a.api = kit_api(fx, &a.root);
    a.items = kit_resource(fx, a.api, a.root, "items");
    a.item = kit_resource(fx, a.api, a.items, "{ID}");
    kit_mock(fx, a.api, a.items, "GET", method_extra, list_tpl);
    kit_mock(fx, a.api, a.item, "GET", method_extra, item_tpl);
    return a;
}

static inline void kit_items_free(kit_items *a) {
    free(a->api);
    free(a->root);
    free(a->items);
    free(a->item);
}

/* CreateDeployment to stage; returns the deployment id (malloc'd). */
static inline char *kit_deploy(fixture *fx, const char *api, const char *stage) {
    char *body = xasprintf("{\"stageName\":\"%s\"}", stage);
    cJSON *b = kit_call(fx, 201, "POST", body, "/restapis/%s/deployments", api);
    char *id = xstrdup(json_str(b, "id"));
    cJSON_Delete(b);
    free(body);
    return id;
}

/* UpdateStage with the patch operations ops (a JSON array). */
static inline void kit_patch_stage(fixture *fx, const char *api, const char *stage,
                                   const char *ops) {
    char *body = xasprintf("{\"patchOperations\":%s}", ops);
    cJSON_Delete(kit_call(fx, 200, "PATCH", body, "/restapis/%s/stages/%s", api, stage));
    free(body);
}

/* --- the data plane ----------------------------------------------------------- */

typedef struct kit_reply {
    http_response resp;
    gateway_trace trace;
} kit_reply;

static inline void kit_reply_free(kit_reply *r) {
    http_response_free(&r->resp);
    gateway_trace_free(&r->trace);
}

/* A request to a stage through gateway_handle (so the trace is seen).
 * headers: name, value pairs ending with NULL (may be NULL). */
static inline int kit_invoke(fixture *fx, kit_reply *out, const char *api, const char *stage,
                             const char *method, const char *path, const char *const *headers,
                             const char *body) {
    memset(out, 0, sizeof *out);
    http_response_init(&out->resp);
    http_request *r = http_request_new(method, path);
    for (size_t i = 0; headers && headers[i]; i += 2)
        http_headers_add(&r->headers, headers[i], headers[i + 1]);
    if (body) http_request_set_body(r, body, strlen(body));
    gateway_handle(fx->emu, FIXTURE_REGION, api, stage, r, &out->resp, &out->trace);
    http_request_free(r);
    return out->resp.status;
}

/* The same through the emulator's front door, by the _user_request_ path:
 * the answer goes to fx->last like fx_call's. */
static inline int kit_front(fixture *fx, const char *method, const char *api, const char *stage,
                            const char *path, const char *const *headers, const char *body) {
    char *full = xasprintf("/restapis/%s/%s/_user_request_%s", api, stage, path);
    http_request *r = http_request_new(method, full);
    for (size_t i = 0; headers && headers[i]; i += 2)
        http_headers_add(&r->headers, headers[i], headers[i + 1]);
    if (body) http_request_set_body(r, body, strlen(body));
    emulator_handle(fx->emu, r, &fx->last);
    http_request_free(r);
    free(full);
    return fx->last.status;
}

static inline const char *kit_body(const kit_reply *r) { return r->resp.body ? r->resp.body : ""; }

static inline const char *kit_header(const kit_reply *r, const char *name) {
    return http_headers_get(&r->resp.headers, name);
}

/* Assert a gateway error: status, body {"message": msg} and error type. */
static inline void kit_assert_error(const kit_reply *r, int status, const char *type,
                                    const char *msg) {
    assert_int_equal(r->resp.status, status);
    assert_string_equal(kit_header(r, "x-amzn-ErrorType"), type);
    cJSON *b = cJSON_ParseWithLength(r->resp.body, r->resp.body_len);
    assert_non_null(b);
    assert_string_equal(json_str(b, "message"), msg);
    cJSON_Delete(b);
    assert_non_null(kit_header(r, "x-amzn-RequestId"));
}

static inline bool kit_log_has(const kit_reply *r, const char *s) {
    bool ok = r->trace.log && strstr(r->trace.log, s);
    if (!ok) fprintf(stderr, "log lacks \"%s\":\n%s\n", s, r->trace.log ? r->trace.log : "(none)");
    return ok;
}

/* --- a loopback HTTP backend ----------------------------------------------------- */

/* Answers one request per connection: /status/N with status N, /slow after
 * 400 ms, anything else 200 with {"method","target","body","header"}
 * where header is the value of X-Probe. It keeps the last request. */
typedef struct kit_backend {
    int fd, port;
    pthread_t thread;
    pthread_mutex_t mu;
    int count;
    char method[16], target[2048], headers[16384], body[16384];
} kit_backend;

static inline const char *kit_find_header(const char *headers, const char *name, char *out,
                                          size_t n) {
    out[0] = '\0';
    for (const char *p = headers; p && *p;) {
        const char *eol = strstr(p, "\r\n");
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        size_t nl = strlen(name);
        if (len > nl && !strncasecmp(p, name, nl) && p[nl] == ':') {
            const char *v = p + nl + 1;
            while (*v == ' ')
                v++;
            snprintf(out, n, "%.*s", (int)(len - (size_t)(v - p)), v);
            return out;
        }
        p = eol ? eol + 2 : NULL;
    }
    return NULL;
}

static inline void kit_backend_serve(kit_backend *b, int c) {
    char req[65536];
    size_t got = 0;
    char *end = NULL;
    while (got < sizeof req - 1) {
        ssize_t n = read(c, req + got, sizeof req - 1 - got);
        if (n <= 0) return;
        got += (size_t)n;
        req[got] = '\0';
        if ((end = strstr(req, "\r\n\r\n"))) break;
    }
    if (!end) return;
    char cl[32];
    *end = '\0';
    const char *hdrs = strstr(req, "\r\n") ? strstr(req, "\r\n") + 2 : "";
    size_t want = kit_find_header(hdrs, "Content-Length", cl, sizeof cl) ? (size_t)atol(cl) : 0;
    size_t have = got - (size_t)(end + 4 - req);
    while (have < want && got < sizeof req - 1) {
        ssize_t n = read(c, req + got, sizeof req - 1 - got);
        if (n <= 0) break;
        got += (size_t)n;
        have += (size_t)n;
    }
    req[got] = '\0';
    pthread_mutex_lock(&b->mu);
    b->count++;
    sscanf(req, "%15s %2047s", b->method, b->target);
    snprintf(b->headers, sizeof b->headers, "%s", hdrs);
    snprintf(b->body, sizeof b->body, "%.*s", (int)(have < want ? have : want), end + 4);
    pthread_mutex_unlock(&b->mu);
    int status = 200;
    if (!strncmp(b->target, "/status/", 8)) status = atoi(b->target + 8);
    if (!strncmp(b->target, "/slow", 5)) usleep(400 * 1000);
    char probe[256];
    kit_find_header(hdrs, "X-Probe", probe, sizeof probe);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "method", b->method);
    cJSON_AddStringToObject(o, "target", b->target);
    cJSON_AddStringToObject(o, "body", b->body);
    cJSON_AddStringToObject(o, "header", probe);
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    char head[512];
    int hl = snprintf(head, sizeof head,
                      "HTTP/1.1 %d X\r\nContent-Type: application/json\r\nX-Backend: yes\r\n"
                      "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                      status, strlen(text));
    /* MSG_NOSIGNAL: a client that gave up must not kill the test with SIGPIPE */
    if (send(c, head, (size_t)hl, MSG_NOSIGNAL) < 0 ||
        send(c, text, strlen(text), MSG_NOSIGNAL) < 0) {
        /* the client went away */
    }
    free(text);
}

static inline void *kit_backend_main(void *arg) {
    kit_backend *b = arg;
    for (;;) {
        int c = accept(b->fd, NULL, NULL);
        if (c < 0) break; /* shut down */
        kit_backend_serve(b, c);
        close(c);
    }
    return NULL;
}

static inline void kit_backend_start(kit_backend *b) {
    memset(b, 0, sizeof *b);
    pthread_mutex_init(&b->mu, NULL);
    b->fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(b->fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(b->fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(b->fd, 16), 0);
    socklen_t len = sizeof a;
    assert_int_equal(getsockname(b->fd, (struct sockaddr *)&a, &len), 0);
    b->port = ntohs(a.sin_port);
    assert_int_equal(pthread_create(&b->thread, NULL, kit_backend_main, b), 0);
}

static inline void kit_backend_stop(kit_backend *b) {
    shutdown(b->fd, SHUT_RDWR);
    pthread_join(b->thread, NULL);
    close(b->fd);
    pthread_mutex_destroy(&b->mu);
}

static inline int kit_backend_count(kit_backend *b) {
    pthread_mutex_lock(&b->mu);
    int n = b->count;
    pthread_mutex_unlock(&b->mu);
    return n;
}

#endif
