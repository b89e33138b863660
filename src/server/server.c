/* `serve`: the emulator over HTTP with libmicrohttpd.
 *
 * MHD runs one internal polling thread (no thread per connection), so the
 * handler only ever runs on that thread. A request's raw target is captured
 * by the URI log callback before MHD parses it, and the unescape callback
 * leaves everything percent-encoded, so aws_route sees the path and the
 * query exactly as the client sent them. */
#include "server/server.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/mem.h"
#include "core/text.h"

/* Idle keep-alive connections are closed after this long. */
#define IDLE_TIMEOUT_S 120u
/* Per-connection memory for the request line and headers. */
#define CONNECTION_MEMORY (128u * 1024u)

struct server {
    struct MHD_Daemon *daemon;
    server_handler fn;
    void *ctx;
    rand_src rand; /* request ids of the errors the server answers itself */
    int port;
};

/* One request in flight: made when its request line arrives, freed when
 * MHD is done with it (answered, or the client went away). */
typedef struct exchange {
    char *target;      /* the request target as sent: raw path and query */
    http_request *req; /* built once the headers are in */
    buf body;
    bool too_large;
} exchange;

/* --- the emulator's front doors ---------------------------------------- */

/* Tried in order; the first door that accepts a request answers it. The
 * execute-api data plane (/restapis/{id}/{stage}/_user_request_/... and
 * Host {id}.execute-api.localhost) gets its own door ahead of the control
 * plane, which takes whatever is left. */
typedef struct front_door {
    bool (*accepts)(const http_request *req);
    void (*handle)(emulator *emu, const http_request *req, http_response *resp);
} front_door;

static bool any_request(const http_request *req) { return req != NULL; }

/* --- STS: who the caller is ---------------------------------------------- */

#define STS_VERSION "2011-06-15"
#define STS_XMLNS "https://sts.amazonaws.com/doc/" STS_VERSION "/"

/* STS when the SigV4 credential scope names it (every STS call is signed). */
static bool for_sts(const http_request *req) {
    const char *auth = http_headers_get(&req->headers, "Authorization");
    return auth && strstr(auth, "Credential=") && strstr(auth, "/sts/aws4_request");
}

static void xml_escape(buf *b, const char *s) {
    for (; *s; s++) {
        switch (*s) {
        case '&': buf_puts(b, "&amp;"); break;
        case '<': buf_puts(b, "&lt;"); break;
        case '>': buf_puts(b, "&gt;"); break;
        case '"': buf_puts(b, "&quot;"); break;
        case '\'': buf_puts(b, "&apos;"); break;
        default: buf_putc(b, *s);
        }
    }
}

/* A query-protocol parameter: from the form body, else the query string. */
static char *sts_param(const http_request *req, const char *name) {
    char *v = req->body_len ? http_query_get(req->body, name) : NULL;
    return v ? v : http_query_get(req->query, name);
}

static void sts_request_id(char out[37]) {
    rand_src r = rand_system();
    uint64_t a = rand_u64(&r), b = rand_u64(&r);
    snprintf(out, 37, "%08x-%04x-4%03x-%04x-%012llx", (unsigned)(a >> 32),
             (unsigned)(a >> 16) & 0xffff, (unsigned)a & 0xfff,
             (unsigned)(0x8000 | ((b >> 48) & 0x3fff)),
             (unsigned long long)(b & 0xffffffffffffull));
}

static void sts_identity(buf *x, const char *acct, const char *rid) {
    buf_puts(x, "<GetCallerIdentityResponse xmlns=\"" STS_XMLNS "\">\n"
                "  <GetCallerIdentityResult>\n    <Arn>arn:aws:iam::");
    xml_escape(x, acct);
    buf_puts(x, ":root</Arn>\n    <UserId>");
    xml_escape(x, acct);
    buf_puts(x, "</UserId>\n    <Account>");
    xml_escape(x, acct);
    buf_printf(x, "</Account>\n  </GetCallerIdentityResult>\n  <ResponseMetadata>\n"
                  "    <RequestId>%s</RequestId>\n  </ResponseMetadata>\n"
                  "</GetCallerIdentityResponse>\n", rid);
}

/* AWS's words for an action it does not know (for a missing Action the
 * same code, our best guess at what STS sends then). */
static void sts_unknown_action(buf *x, const char *action, const char *version, const char *rid) {
    buf_puts(x, "<ErrorResponse xmlns=\"" STS_XMLNS "\">\n  <Error>\n"
                "    <Type>Sender</Type>\n    <Code>InvalidAction</Code>\n"
                "    <Message>Could not find operation ");
    xml_escape(x, action);
    buf_puts(x, " for version ");
    xml_escape(x, version);
    buf_printf(x, "</Message>\n  </Error>\n  <RequestId>%s</RequestId>\n</ErrorResponse>\n",
               rid);
}

/* GetCallerIdentity answers with the emulator's account, as its root user;
 * any other action (or API version) is one this STS does not have. */
static void sts_handle(emulator *emu, const http_request *req, http_response *resp) {
    char *action = sts_param(req, "Action"), *version = sts_param(req, "Version");
    const char *v = version ? version : STS_VERSION;
    char rid[37];
    sts_request_id(rid);
    buf x = BUF_INIT;
    bool known = action && strcmp(action, "GetCallerIdentity") == 0 && strcmp(v, STS_VERSION) == 0;
    if (known)
        sts_identity(&x, emulator_account(emu), rid);
    else
        sts_unknown_action(&x, action ? action : "", v, rid);
    resp->status = known ? 200 : 400;
    http_headers_set(&resp->headers, "Content-Type", "text/xml");
    http_headers_set(&resp->headers, "x-amzn-RequestId", rid);
    http_response_set_body(resp, x.data, x.len);
    buf_free(&x);
    free(action);
    free(version);
}

static const front_door front_doors[] = {
    {for_sts, sts_handle},          /* GetCallerIdentity: the emulator's account */
    {any_request, emulator_handle}, /* API Gateway and Lambda management APIs */
};

static void emulator_front(void *ctx, const http_request *req, http_response *resp) {
    for (size_t i = 0; i < sizeof front_doors / sizeof *front_doors; i++) {
        if (front_doors[i].accepts(req)) {
            front_doors[i].handle(ctx, req, resp);
            return;
        }
    }
}

/* --- errors the server answers itself --------------------------------- */

/* Lambda when the SigV4 scope names it, or, unsigned, when the path starts
 * with Lambda's API date: the same rule as the emulator's. */
static bool for_lambda(const http_request *req) {
    const char *auth = http_headers_get(&req->headers, "Authorization");
    if (auth && strstr(auth, "Credential=")) return strstr(auth, "/lambda/aws4_request") != NULL;
    return strncmp(req->path, "/20", 3) == 0;
}

static void request_id(server *s, char out[37]) {
    uint64_t a = rand_u64(&s->rand), b = rand_u64(&s->rand);
    snprintf(out, 37, "%08x-%04x-4%03x-%04x-%012llx", (unsigned)(a >> 32),
             (unsigned)(a >> 16) & 0xffff, (unsigned)a & 0xfff,
             (unsigned)(0x8000 | ((b >> 48) & 0x3fff)),
             (unsigned long long)(b & 0xffffffffffffull));
}

/* An error in the shape of the service the request was for. */
static void fail(server *s, const http_request *req, http_response *resp, int status,
                 const char *type, const char *msg) {
    cJSON *b = cJSON_CreateObject();
    if (for_lambda(req)) {
        /* Lambda tells its own faults ("Service") from the caller's. */
        cJSON_AddStringToObject(b, "Type", status >= 500 ? "Service" : "User");
        cJSON_AddStringToObject(b, "Message", msg);
    } else {
        cJSON_AddStringToObject(b, "message", msg);
    }
    char *text = cJSON_PrintUnformatted(b);
    cJSON_Delete(b);
    char rid[37];
    request_id(s, rid);
    resp->status = status;
    http_headers_set(&resp->headers, "Content-Type", "application/json");
    http_headers_set(&resp->headers, "x-amzn-RequestId", rid);
    http_headers_set(&resp->headers, "x-amzn-ErrorType", type);
    http_response_set_body(resp, text, strlen(text));
    free(text);
}

/* --- from MHD to http_request and back --------------------------------- */

static bool hop_by_hop(const char *name) {
    /* MHD frames the message itself. */
    return strcasecmp(name, "Content-Length") == 0 || strcasecmp(name, "Transfer-Encoding") == 0 ||
           strcasecmp(name, "Connection") == 0;
}

static enum MHD_Result send_response(struct MHD_Connection *conn, http_response *r) {
    struct MHD_Response *mr =
        MHD_create_response_from_buffer(r->body_len, r->body, MHD_RESPMEM_MUST_FREE);
    if (!mr) return MHD_NO;
    r->body = NULL; /* MHD frees it now */
    r->body_len = 0;
    for (size_t i = 0; i < r->headers.n; i++) {
        /* A value MHD refuses (CR or LF in it) is dropped, never sent. */
        if (!hop_by_hop(r->headers.v[i].name))
            (void)MHD_add_response_header(mr, r->headers.v[i].name, r->headers.v[i].value);
    }
    enum MHD_Result rc = MHD_queue_response(conn, (unsigned)r->status, mr);
    MHD_destroy_response(mr);
    return rc;
}

static enum MHD_Result add_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value) {
    http_headers_add(&((http_request *)cls)->headers, key, value ? value : "");
    return MHD_YES;
}

/* "http://host:port/p?q" (absolute form, from proxies) → "/p?q". */
static const char *origin_form(const char *target) {
    const char *scheme_end = strstr(target, "://");
    if (target[0] == '/' || !scheme_end) return target;
    const char *path = strchr(scheme_end + 3, '/');
    return path ? path : "/";
}

static http_request *request_new(struct MHD_Connection *conn, const char *method,
                                 const char *target) {
    http_request *req = http_request_new(method, origin_form(target));
    if (req->query && !req->query[0]) {
        free(req->query);
        req->query = NULL;
    }
    MHD_get_connection_values(conn, MHD_HEADER_KIND, add_header, req);
    return req;
}

static unsigned long long declared_length(struct MHD_Connection *conn) {
    const char *v = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
    return v ? strtoull(v, NULL, 10) : 0;
}

static void take_chunk(exchange *x, const char *data, size_t n) {
    if (x->too_large) return;
    if (n > SERVER_MAX_BODY - x->body.len) {
        x->too_large = true; /* read the rest and drop it */
        buf_free(&x->body);
        return;
    }
    buf_add(&x->body, data, n);
}

static enum MHD_Result refuse_too_large(server *s, struct MHD_Connection *conn, exchange *x) {
    http_response resp;
    http_response_init(&resp);
    char msg[96];
    /* Our own limit, so no AWS message to copy: the wording follows Lambda's
     * size errors, the type the service's usual one (best guess). */
    snprintf(msg, sizeof msg, "Request must be smaller than %u bytes", SERVER_MAX_BODY);
    fail(s, x->req, &resp, 413,
         for_lambda(x->req) ? "RequestEntityTooLargeException" : "BadRequestException", msg);
    enum MHD_Result rc = send_response(conn, &resp);
    http_response_free(&resp);
    return rc;
}

static enum MHD_Result answer(server *s, struct MHD_Connection *conn, exchange *x) {
    http_request *req = x->req;
    if (x->body.len) {
        req->body_len = x->body.len;
        req->body = buf_steal(&x->body);
    }
    http_response resp;
    http_response_init(&resp);
    s->fn(s->ctx, req, &resp);
    if (resp.status < 100 || resp.status > 599) {
        http_response_free(&resp);
        http_response_init(&resp);
        fail(s, req, &resp, 500, for_lambda(req) ? "ServiceException" : "InternalFailure",
             "The handler gave no response");
    }
    enum MHD_Result rc = send_response(conn, &resp);
    http_response_free(&resp);
    return rc;
}

/* --- MHD callbacks ------------------------------------------------------- */

static void exchange_free(exchange *x) {
    if (!x) return;
    free(x->target);
    http_request_free(x->req);
    buf_free(&x->body);
    free(x);
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn) {
    exchange *x = xcalloc(1, sizeof *x);
    x->target = xstrdup(uri);
    return x;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                         enum MHD_RequestTerminationCode toe) {
    exchange_free(*req_cls);
    *req_cls = NULL;
}

/* Keep percent-escapes: labels are decoded by aws_route, once. */
static size_t keep_escaped(void *cls, struct MHD_Connection *conn, char *s) { return strlen(s); }

/* Called once when the headers are in, once per body chunk, and once more
 * when the request is complete. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **req_cls) {
    server *s = cls;
    exchange *x = *req_cls;
    if (!x) { /* on_uri always runs first; be safe all the same */
        x = on_uri(s, url, conn);
        *req_cls = x;
    }
    if (!x->req) {
        x->req = request_new(conn, method, x->target);
        /* Refuse before reading (and before any 100 Continue). */
        if (declared_length(conn) > SERVER_MAX_BODY) return refuse_too_large(s, conn, x);
        return MHD_YES;
    }
    if (*upload_size) {
        take_chunk(x, upload_data, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    if (x->too_large) return refuse_too_large(s, conn, x);
    return answer(s, conn, x);
}

/* --- listening ------------------------------------------------------------ */

static void address_text(const char *host, int port, char *out, size_t n) {
    if (strchr(host, ':'))
        snprintf(out, n, "[%s]:%d", host, port);
    else
        snprintf(out, n, "%s:%d", host, port);
}

static int bound_port(int fd) {
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0) return -1;
    if (ss.ss_family == AF_INET6) return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

static int try_listen(const struct addrinfo *a, int *saved_errno) {
    int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) {
        *saved_errno = errno;
        return -1;
    }
    int one = 1; /* restart at once on a port left in TIME_WAIT */
    (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, a->ai_addr, a->ai_addrlen) != 0 || listen(fd, SOMAXCONN) != 0) {
        *saved_errno = errno;
        close(fd);
        return -1;
    }
    return fd;
}

/* A listening socket for host:port; tries every address host resolves to. */
static int listen_on(const char *host, int port, err *e) {
    char addr[300];
    address_text(host, port, addr, sizeof addr);
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV | AI_ADDRCONFIG};
    struct addrinfo *res = NULL;
    char service[8];
    snprintf(service, sizeof service, "%d", port);
    int rc = getaddrinfo(host, service, &hints, &res);
    if (rc == EAI_NONAME || rc == EAI_ADDRFAMILY) { /* e.g. ::1 on a host without IPv6 set up */
        hints.ai_flags &= ~AI_ADDRCONFIG;
        rc = getaddrinfo(host, service, &hints, &res);
    }
    if (rc != 0) return err_set(e, 0, "", "cannot listen on %s: %s", addr, gai_strerror(rc));
    int fd = -1, saved = 0;
    for (const struct addrinfo *a = res; a && fd < 0; a = a->ai_next) fd = try_listen(a, &saved);
    freeaddrinfo(res);
    if (fd < 0)
        return err_set(e, 0, "", "cannot listen on %s: %s%s", addr, strerror(saved),
                       saved == EADDRINUSE
                           ? " (is another server running there? pick another --port)"
                           : "");
    return fd;
}

server *server_start_with(server_handler fn, void *ctx, const char *host, int port, err *e) {
    if (port < 0 || port > 65535) {
        err_set(e, 0, "", "port %d is out of range (0 to 65535)", port);
        return NULL;
    }
    int fd = listen_on(host, port, e);
    if (fd < 0) return NULL;
    server *s = xcalloc(1, sizeof *s);
    s->fn = fn;
    s->ctx = ctx;
    s->rand = rand_system();
    s->port = bound_port(fd);
    /* Signals stay with the caller: the thread MHD starts inherits our mask. */
    s->daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ITC, 0, NULL, NULL, on_request, s,
        MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd, MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_UNESCAPE_CALLBACK, keep_escaped,
        s, MHD_OPTION_CONNECTION_TIMEOUT, IDLE_TIMEOUT_S, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)CONNECTION_MEMORY, MHD_OPTION_END);
    if (!s->daemon) {
        /* MHD owns the socket once it is handed over, so it is not closed here. */
        char addr[300];
        address_text(host, port, addr, sizeof addr);
        err_set(e, 0, "", "cannot start the HTTP server on %s", addr);
        free(s);
        return NULL;
    }
    return s;
}

server *server_start(emulator *emu, const char *host, int port, err *e) {
    return server_start_with(emulator_front, emu, host, port, e);
}

int server_port(const server *s) { return s->port; }

void server_stop(server *s) {
    if (!s) return;
    MHD_stop_daemon(s->daemon); /* joins the thread, closes the listening socket */
    free(s);
}

/* --- `apigw-console serve` ------------------------------------------------ */

int server_run(emulator *emu, const char *host, int port, err *e) {
    sigset_t stop, old;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    /* Block before MHD's thread exists, so only sigwait below sees them. */
    pthread_sigmask(SIG_BLOCK, &stop, &old);
    server *s = server_start(emu, host, port, e);
    if (!s) {
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        return -1;
    }
    char addr[300];
    address_text(host, server_port(s), addr, sizeof addr);
    const char *path = store_path(emulator_store(emu));
    char *safe_addr = text_sanitize(addr), *safe_path = text_sanitize(path ? path : "in memory");
    printf("apigw-console: serving the emulator on http://%s (state: %s)\n", safe_addr, safe_path);
    fflush(stdout);
    free(safe_addr);
    free(safe_path);
    int sig = 0;
    while (sigwait(&stop, &sig) != 0) {
    }
    server_stop(s);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return 0;
}
