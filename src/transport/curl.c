/* The transport to AWS: one libcurl multi handle driven by the caller's
 * poll loop through the socket and timer callbacks. Each request is signed
 * afresh for every attempt; failed attempts are retried as the SDKs'
 * standard mode does, the backoff waits being timers, never sleeps.
 * Completions run from process() only. Nothing here ever writes credentials
 * or signatures anywhere but into the request itself. */
#include "transport/curl.h"

#include <curl/curl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"
#include "transport/sigv4.h"

#define MAX_BACKOFF_MS 20000 /* the standard mode's cap, also for Retry-After */

/* The standard mode's retry quota: a bucket shared by every request of the
 * transport. A retry takes RETRY_COST tokens (TIMEOUT_RETRY_COST after a
 * timeout); a request that ends in a 2xx gives back what its last retry
 * took, or NO_RETRY_INCREMENT when it needed no retry; an empty bucket
 * stops retrying, so a failing endpoint is not hammered. */
#define QUOTA_MAX 500
#define RETRY_COST 5
#define TIMEOUT_RETRY_COST 10
#define NO_RETRY_INCREMENT 1

typedef struct sockent {
    curl_socket_t fd;
    int what; /* CURL_POLL_IN / _OUT / _INOUT */
} sockent;

typedef struct curl_transport curl_transport;

/* One request over all its attempts. */
typedef struct creq {
    struct creq *next;
    curl_transport *ct;
    http_request *req; /* as submitted: unsigned */
    transport_done_fn done;
    void *ud;
    char *base;      /* scheme://authority of the endpoint */
    char *host;      /* the authority, for Host and messages */
    char *base_path; /* path of the endpoint ("" or "/prefix") */
    char *service;   /* signing name */
    char *region;
    CURL *easy; /* the attempt in flight, or NULL */
    struct curl_slist *hdrs;
    char *url;
    char errbuf[CURL_ERROR_SIZE];
    http_response resp;
    buf body;
    int attempt;     /* attempts started */
    int retry_cost;  /* tokens the last retry took; 0: no retry yet */
    bool quota_out;  /* a retry was refused for want of tokens */
    int64_t wake_at; /* monotonic ms of the next attempt; 0: none waiting */
    bool finished;   /* the outcome is known; completion not yet run */
    bool failed;
    err e;
} creq;

/* A resolved endpoint: resolving reads the profile's configuration, so
 * it is done once per service and region, not per request. */
typedef struct endpoint_memo {
    char *service, *region, *url;
    int overridden;
} endpoint_memo;

#define ENDPOINT_MEMOS 8

struct curl_transport {
    transport base;
    CURLM *multi;
    endpoint_memo memo[ENDPOINT_MEMOS];
    size_t nmemo;
    char *region;
    char *endpoint_url;
    char *profile;
    char *ca_bundle;
    char *doh_url;
    cred_chain *creds;
    int connect_ms, total_ms, max_attempts;
    int quota; /* retry tokens left, 0..QUOTA_MAX */
    clock_src clock;
    rand_src rand;
    sockent *socks;
    size_t nsocks, capsocks;
    int64_t timer_at; /* monotonic ms when curl wants its timeout; -1: none */
    creq *reqs;       /* every pending request, in submission order */
    size_t pending;
    char *desc;
};

/* --- curl's callbacks: sockets and timer ---------------------------------- */

static int on_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp) {
    (void)easy;
    (void)socketp;
    curl_transport *ct = userp;
    size_t i = 0;
    while (i < ct->nsocks && ct->socks[i].fd != fd) i++;
    if (what == CURL_POLL_REMOVE) {
        if (i < ct->nsocks) ct->socks[i] = ct->socks[--ct->nsocks];
        return 0;
    }
    if (i == ct->nsocks) {
        if (ct->nsocks == ct->capsocks) {
            ct->capsocks = ct->capsocks ? ct->capsocks * 2 : 8;
            ct->socks = xrealloc(ct->socks, ct->capsocks * sizeof *ct->socks);
        }
        ct->nsocks++;
    }
    ct->socks[i] = (sockent){.fd = fd, .what = what};
    return 0;
}

static int on_timer(CURLM *multi, long timeout_ms, void *userp) {
    (void)multi;
    curl_transport *ct = userp;
    ct->timer_at = timeout_ms < 0 ? -1 : clock_mono_ms() + timeout_ms;
    return 0;
}

/* --- curl's callbacks: the response --------------------------------------- */

static size_t on_header(char *p, size_t size, size_t n, void *ud) {
    creq *r = ud;
    size_t len = size * n;
    if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
        /* A new status line (after 100 Continue): start over. */
        http_headers_free(&r->resp.headers);
        return len;
    }
    const char *colon = memchr(p, ':', len);
    if (!colon) return len;
    const char *v = colon + 1, *end = p + len;
    while (v < end && (*v == ' ' || *v == '\t')) v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' ')) end--;
    char *name = xstrndup(p, (size_t)(colon - p));
    char *value = xstrndup(v, (size_t)(end - v));
    http_headers_add(&r->resp.headers, name, value);
    free(name);
    free(value);
    return len;
}

static size_t on_body(char *p, size_t size, size_t n, void *ud) {
    creq *r = ud;
    buf_add(&r->body, p, size * n);
    return size * n;
}

/* --- endpoints ------------------------------------------------------------- */

/* Split "scheme://authority/path" into its parts; -1 for anything but
 * http and https. */
static int split_endpoint(creq *r, const char *url, err *e) {
    const char *s = strstr(url, "://");
    if (!s || !((s - url == 4 && strncmp(url, "http", 4) == 0) ||
                (s - url == 5 && strncmp(url, "https", 5) == 0)))
        return err_set(e, 0, "InvalidEndpoint", "the endpoint '%.200s' is not an http or https URL",
                       url);
    const char *auth = s + 3;
    size_t alen = strcspn(auth, "/?#");
    if (alen == 0) return err_set(e, 0, "InvalidEndpoint", "the endpoint '%.200s' names no host", url);
    r->base = xstrndup(url, (size_t)(auth + alen - url));
    r->host = xstrndup(auth, alen);
    const char *path = auth + alen;
    size_t plen = strcspn(path, "?#");
    while (plen && path[plen - 1] == '/') plen--;
    r->base_path = xstrndup(path, plen);
    return 0;
}

/* Where the request goes: the override or the service's regional endpoint;
 * without an override a request that carries its own Host (an execute-api
 * invoke URL) goes there over https. */
static char *resolve_endpoint(curl_transport *ct, const char *service, const char *region,
                              int *overridden) {
    for (size_t i = 0; i < ct->nmemo; i++) {
        endpoint_memo *m = &ct->memo[i];
        if (strcmp(m->service, service) == 0 && strcmp(m->region, region) == 0) {
            *overridden = m->overridden;
            return xstrdup(m->url);
        }
    }
    char *url = aws_endpoint_resolve(service, region, ct->endpoint_url, ct->profile, overridden);
    if (url && ct->nmemo < ENDPOINT_MEMOS)
        ct->memo[ct->nmemo++] = (endpoint_memo){xstrdup(service), xstrdup(region), xstrdup(url),
                                                *overridden};
    return url;
}

static int pick_endpoint(curl_transport *ct, creq *r, err *e) {
    int overridden = 0;
    char *url = resolve_endpoint(ct, r->service, r->region, &overridden);
    const char *own = http_headers_get(&r->req->headers, "Host");
    if (!overridden && own && *own) {
        free(url);
        url = xasprintf("https://%s", own);
    }
    if (!url) return err_set(e, 0, "InvalidEndpoint", "no endpoint for %s in %s", r->service, r->region);
    int rc = split_endpoint(r, url, e);
    free(url);
    return rc;
}

/* --- one attempt ----------------------------------------------------------- */

static http_request *signing_copy(const creq *r) {
    const http_request *q = r->req;
    char *path = xasprintf("%s%s", r->base_path, q->path);
    http_request *c = http_request_new(q->method, path);
    free(path);
    if (q->query) c->query = xstrdup(q->query);
    for (size_t i = 0; i < q->headers.n; i++)
        if (str_casecmp(q->headers.v[i].name, "Host") != 0)
            http_headers_add(&c->headers, q->headers.v[i].name, q->headers.v[i].value);
    http_headers_set(&c->headers, "Host", r->host);
    if (q->body_len) http_request_set_body(c, q->body, q->body_len);
    return c;
}

static int sign(curl_transport *ct, creq *r, http_request *c, err *e) {
    if (!ct->creds || r->req->anonymous) return 0; /* an endpoint or URL that wants no signature */
    aws_credentials cr;
    err ce;
    err_clear(&ce);
    int rc = cred_chain_get(ct->creds, &cr, &ce);
    if (rc == 0) {
        sigv4_opts so = {.service = r->service,
                         .region = r->region,
                         .now_ms = clock_now_ms(&ct->clock),
                         .normalize_path = true,
                         .double_encode = true};
        rc = sigv4_sign(c, &cr, &so, &ce);
    }
    explicit_bzero(&cr, sizeof cr);
    if (rc != 0) err_set(e, 0, ce.code[0] ? ce.code : "CredentialsError", "%s", ce.msg);
    return rc;
}

/* Headers as curl wants them; "Name;" sends a header with an empty value,
 * and curl's own Content-Type and Expect are suppressed so that what goes
 * out is what was signed. */
static struct curl_slist *curl_headers(const http_request *c) {
    struct curl_slist *l = NULL;
    for (size_t i = 0; i < c->headers.n; i++) {
        const http_header *h = &c->headers.v[i];
        char *line = *h->value ? xasprintf("%s: %s", h->name, h->value) : xasprintf("%s;", h->name);
        l = curl_slist_append(l, line);
        free(line);
    }
    if (!http_headers_get(&c->headers, "Content-Type")) l = curl_slist_append(l, "Content-Type:");
    l = curl_slist_append(l, "Expect:");
    if (!http_headers_get(&c->headers, "Accept")) l = curl_slist_append(l, "Accept:");
    return l;
}

static void set_method(CURL *h, const http_request *q) {
    if (strcmp(q->method, "HEAD") == 0) {
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
        return;
    }
    if (q->body_len || strcmp(q->method, "POST") == 0 || strcmp(q->method, "PUT") == 0 ||
        strcmp(q->method, "PATCH") == 0) {
        /* The submitted request keeps the body alive for every attempt. */
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)q->body_len);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, q->body_len ? q->body : "");
    }
    if (strcmp(q->method, "GET") == 0 && !q->body_len)
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    else if (strcmp(q->method, "POST") != 0)
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, q->method);
}

static void set_easy(curl_transport *ct, creq *r) {
    CURL *h = r->easy;
    curl_easy_setopt(h, CURLOPT_URL, r->url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L); /* send the path that was signed */
    curl_easy_setopt(h, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (ct->ca_bundle) curl_easy_setopt(h, CURLOPT_CAINFO, ct->ca_bundle);
    if (ct->doh_url) curl_easy_setopt(h, CURLOPT_DOH_URL, ct->doh_url);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)ct->connect_ms);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)ct->total_ms);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, r->hdrs);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, r->errbuf);
    curl_easy_setopt(h, CURLOPT_PRIVATE, r);
    set_method(h, r->req);
}

static void fail(creq *r, const err *e) {
    r->failed = true;
    r->e = *e;
    r->finished = true;
    r->wake_at = 0;
}

static void start_attempt(curl_transport *ct, creq *r) {
    r->attempt++;
    r->wake_at = 0;
    http_request *c = signing_copy(r);
    err e;
    if (sign(ct, r, c, &e) != 0) {
        http_request_free(c);
        fail(r, &e);
        return;
    }
    free(r->url);
    r->url = c->query && *c->query ? xasprintf("%s%s?%s", r->base, c->path, c->query)
                                   : xasprintf("%s%s", r->base, c->path);
    curl_slist_free_all(r->hdrs);
    r->hdrs = curl_headers(c);
    http_request_free(c);
    http_response_free(&r->resp);
    http_response_init(&r->resp);
    buf_reset(&r->body);
    r->errbuf[0] = '\0';
    r->easy = curl_easy_init();
    set_easy(ct, r);
    curl_multi_add_handle(ct->multi, r->easy);
}

/* --- outcomes and retries -------------------------------------------------- */

static bool is_throttling(const char *code) {
    static const char *const codes[] = {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException",
        "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
        "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException", "RequestTimeout", "RequestTimeoutException",
    };
    for (size_t i = 0; i < sizeof codes / sizeof *codes; i++)
        if (strcmp(code, codes[i]) == 0) return true;
    return false;
}

/* The error code of a response: x-amzn-ErrorType (up to ':'), else the
 * body's __type (after '#'), code or Code. */
static void error_code(const creq *r, char *out, size_t n) {
    out[0] = '\0';
    const char *t = http_headers_get(&r->resp.headers, "x-amzn-ErrorType");
    if (t) {
        snprintf(out, n, "%.*s", (int)strcspn(t, ":"), t);
        return;
    }
    cJSON *b = r->body.len ? cJSON_ParseWithLength(r->body.data, r->body.len) : NULL;
    const char *c = json_str(b, "__type");
    if (!c) c = json_str(b, "code");
    if (!c) c = json_str(b, "Code");
    if (c) {
        const char *hash = strrchr(c, '#');
        snprintf(out, n, "%s", hash ? hash + 1 : c);
    }
    cJSON_Delete(b);
}

static bool retryable_status(const creq *r) {
    int s = r->resp.status;
    if (s == 429 || s == 500 || s == 502 || s == 503 || s == 504) return true;
    if (s < 400) return false;
    char code[64];
    error_code(r, code, sizeof code);
    return is_throttling(code);
}

/* Failures where no usable response arrived and another attempt may well
 * succeed: no connection (refused, or the name did not resolve: DNS can
 * fail for a moment too), a connection reset or closed mid-exchange, a
 * timeout. TLS failures are not among them: retrying a certificate that
 * does not verify only fails again. */
static bool retryable_curl(CURLcode rc) {
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE: return true;
    default: return false;
    }
}

static bool tls_failure(CURLcode rc) {
    switch (rc) {
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CLIENTCERT:
    case CURLE_USE_SSL_FAILED: return true;
    default: return false;
    }
}

/* What went wrong, in curl's words; a name that did not resolve is named
 * even when curl's resolver (DNS-over-HTTPS) left no words. */
static char *failure_reason(const creq *r, CURLcode rc) {
    if (r->errbuf[0]) return xstrdup(r->errbuf);
    if (rc == CURLE_COULDNT_RESOLVE_HOST) {
        const char *h = r->host, *colon = strrchr(h, ':');
        size_t n = colon && !strchr(colon, ']') ? (size_t)(colon - h) : strlen(h);
        return xasprintf("Could not resolve host: %.*s", (int)n, h);
    }
    return xstrdup(curl_easy_strerror(rc));
}

/* A transport failure: the request line's host and path and what went
 * wrong, nothing else; the whole message is sanitized, since the path may
 * carry names from outside. */
static void curl_failure(const creq *r, CURLcode rc, err *e) {
    char *why = failure_reason(r, rc);
    const char *code = "ConnectionError";
    if (rc == CURLE_OPERATION_TIMEDOUT)
        code = "Timeout";
    else if (tls_failure(rc))
        code = "TLSError";
    char *m = xasprintf("%s %s%s: %s (after %d attempt%s%s)", r->req->method, r->host, r->req->path,
                        why, r->attempt, r->attempt == 1 ? "" : "s",
                        r->quota_out ? "; retries stopped because too many requests failed recently"
                                     : "");
    char *safe = text_sanitize(m);
    err_set(e, 0, code, "%s", safe);
    free(safe);
    free(m);
    free(why);
}

/* Retry-After in milliseconds (delay-seconds or an HTTP-date, against the
 * transport's clock), or -1 without a usable one. */
static int64_t retry_after_ms(const curl_transport *ct, const creq *r) {
    const char *v = http_headers_get(&r->resp.headers, "Retry-After");
    if (!v || !*v) return -1;
    char *end;
    long s = strtol(v, &end, 10);
    if (end != v && *end == '\0' && s >= 0)
        return s > MAX_BACKOFF_MS / 1000 ? MAX_BACKOFF_MS : (int64_t)s * 1000;
    time_t when = curl_getdate(v, NULL);
    if (when < 0) return -1;
    int64_t d = (int64_t)when * 1000 - clock_now_ms(&ct->clock);
    return d > 0 ? d : 0;
}

/* Full jitter: b * 2^(n-1) seconds, b uniform in [0, 1), at most 20 s. */
static int64_t backoff_ms(curl_transport *ct, int attempts_made) {
    double b = (double)(rand_u64(&ct->rand) >> 11) / 9007199254740992.0;
    double ms = b * 1000.0 * (double)(1ull << (attempts_made - 1 < 20 ? attempts_made - 1 : 20));
    return ms > MAX_BACKOFF_MS ? MAX_BACKOFF_MS : (int64_t)ms;
}

static void schedule_retry(curl_transport *ct, creq *r, int64_t at_least_ms) {
    int64_t d = backoff_ms(ct, r->attempt);
    if (at_least_ms > d) d = at_least_ms > MAX_BACKOFF_MS ? MAX_BACKOFF_MS : at_least_ms;
    r->wake_at = clock_mono_ms() + d;
    if (r->wake_at == 0) r->wake_at = 1;
}

/* Pay for one more attempt from the retry quota; false (and the request
 * marked) when the bucket cannot pay. */
static bool take_quota(curl_transport *ct, creq *r, int cost) {
    if (ct->quota < cost) {
        r->quota_out = true;
        return false;
    }
    ct->quota -= cost;
    r->retry_cost = cost;
    return true;
}

/* A 2xx ends the request well: its last retry's tokens come back, or one
 * token when it needed none. */
static void refund_quota(curl_transport *ct, const creq *r) {
    ct->quota += r->retry_cost ? r->retry_cost : NO_RETRY_INCREMENT;
    if (ct->quota > QUOTA_MAX) ct->quota = QUOTA_MAX;
}

static void attempt_done(curl_transport *ct, creq *r, CURLcode rc) {
    long status = 0;
    curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_multi_remove_handle(ct->multi, r->easy);
    curl_easy_cleanup(r->easy);
    r->easy = NULL;
    bool more = r->attempt < ct->max_attempts;
    if (rc != CURLE_OK) {
        int cost = rc == CURLE_OPERATION_TIMEDOUT ? TIMEOUT_RETRY_COST : RETRY_COST;
        if (more && retryable_curl(rc) && take_quota(ct, r, cost)) {
            schedule_retry(ct, r, 0);
            return;
        }
        err e;
        curl_failure(r, rc, &e);
        fail(r, &e);
        return;
    }
    r->resp.status = (int)status;
    if (more && retryable_status(r) && take_quota(ct, r, RETRY_COST)) {
        schedule_retry(ct, r, retry_after_ms(ct, r));
        return;
    }
    if (status >= 200 && status < 300) refund_quota(ct, r);
    http_response_set_body(&r->resp, r->body.data ? r->body.data : "", r->body.len);
    buf_free(&r->body);
    r->finished = true;
}

/* --- driving --------------------------------------------------------------- */

/* Hand curl the sockets that are ready now (a zero-timeout poll: the caller
 * has already waited). */
static void drive_sockets(curl_transport *ct) {
    size_t n = ct->nsocks;
    if (!n) return;
    struct pollfd *fds = xcalloc(n, sizeof *fds);
    for (size_t i = 0; i < n; i++) {
        fds[i].fd = ct->socks[i].fd;
        fds[i].events = (short)(((ct->socks[i].what & CURL_POLL_IN) ? POLLIN : 0) |
                                ((ct->socks[i].what & CURL_POLL_OUT) ? POLLOUT : 0));
    }
    int running;
    if (poll(fds, (nfds_t)n, 0) > 0) {
        for (size_t i = 0; i < n; i++) {
            short re = fds[i].revents;
            if (!re) continue;
            int ev = ((re & (POLLIN | POLLHUP)) ? CURL_CSELECT_IN : 0) |
                     ((re & POLLOUT) ? CURL_CSELECT_OUT : 0) | ((re & POLLERR) ? CURL_CSELECT_ERR : 0);
            curl_multi_socket_action(ct->multi, fds[i].fd, ev, &running);
        }
    }
    free(fds);
}

static void drive_timer(curl_transport *ct) {
    if (ct->timer_at < 0 || clock_mono_ms() < ct->timer_at) return;
    ct->timer_at = -1;
    int running;
    curl_multi_socket_action(ct->multi, CURL_SOCKET_TIMEOUT, 0, &running);
}

static void collect(curl_transport *ct) {
    CURLMsg *m;
    int left;
    while ((m = curl_multi_info_read(ct->multi, &left))) {
        if (m->msg != CURLMSG_DONE) continue;
        creq *r = NULL;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
        CURLcode rc = m->data.result; /* m is invalid once the handle is removed */
        if (r) attempt_done(ct, r, rc);
    }
}

static void wake_retries(curl_transport *ct) {
    int64_t now = clock_mono_ms();
    for (creq *r = ct->reqs; r; r = r->next)
        if (!r->finished && r->wake_at && r->wake_at <= now) start_attempt(ct, r);
}

static void free_req(creq *r) {
    if (r->easy) {
        curl_multi_remove_handle(r->ct->multi, r->easy);
        curl_easy_cleanup(r->easy);
    }
    curl_slist_free_all(r->hdrs);
    http_request_free(r->req);
    http_response_free(&r->resp);
    buf_free(&r->body);
    free(r->base);
    free(r->host);
    free(r->base_path);
    free(r->service);
    free(r->region);
    free(r->url);
    free(r);
}

static void complete(curl_transport *ct, creq *r) {
    ct->pending--;
    if (r->done) r->done(r->ud, r->failed ? NULL : &r->resp, r->failed ? &r->e : NULL);
    free_req(r);
}

/* Run the completions that are ready, in submission order. The finished
 * requests are unlinked first: a completion may submit new ones. */
static int deliver(curl_transport *ct) {
    creq *ready = NULL, **tail = &ready;
    for (creq **pp = &ct->reqs; *pp;) {
        creq *r = *pp;
        if (r->finished) {
            *pp = r->next;
            r->next = NULL;
            *tail = r;
            tail = &r->next;
        } else {
            pp = &r->next;
        }
    }
    int n = 0;
    for (creq *r = ready, *next; r; r = next, n++) {
        next = r->next;
        complete(ct, r);
    }
    return n;
}

/* --- the transport interface ---------------------------------------------- */

static void ct_submit(transport *t, http_request *req, transport_done_fn done, void *ud) {
    curl_transport *ct = (curl_transport *)t;
    creq *r = xcalloc(1, sizeof *r);
    r->ct = ct;
    r->req = req;
    r->done = done;
    r->ud = ud;
    http_response_init(&r->resp);
    r->service = xstrdup(req->service && *req->service ? req->service : "apigateway");
    r->region = xstrdup(req->region && *req->region ? req->region : ct->region);
    creq **pp = &ct->reqs;
    while (*pp) pp = &(*pp)->next;
    *pp = r;
    ct->pending++;
    err e;
    if (pick_endpoint(ct, r, &e) != 0)
        fail(r, &e); /* delivered by the next process() */
    else
        start_attempt(ct, r);
}

static int ct_pollfds(transport *t, struct pollfd *fds, int max) {
    curl_transport *ct = (curl_transport *)t;
    int n = 0;
    for (size_t i = 0; i < ct->nsocks && n < max; i++) {
        int w = ct->socks[i].what;
        fds[n++] = (struct pollfd){
            .fd = ct->socks[i].fd,
            .events = (short)(((w & CURL_POLL_IN) ? POLLIN : 0) | ((w & CURL_POLL_OUT) ? POLLOUT : 0)),
        };
    }
    return n;
}

static int ct_timeout(transport *t) {
    curl_transport *ct = (curl_transport *)t;
    int64_t now = clock_mono_ms(), best = -1;
    if (ct->timer_at >= 0) best = ct->timer_at > now ? ct->timer_at - now : 0;
    for (creq *r = ct->reqs; r; r = r->next) {
        int64_t d = -1;
        if (r->finished)
            d = 0;
        else if (r->wake_at)
            d = r->wake_at > now ? r->wake_at - now : 0;
        if (d >= 0 && (best < 0 || d < best)) best = d;
    }
    return best > 0x7fffffff ? 0x7fffffff : (int)best;
}

static int ct_process(transport *t) {
    curl_transport *ct = (curl_transport *)t;
    drive_sockets(ct);
    drive_timer(ct);
    collect(ct);
    wake_retries(ct);
    return deliver(ct);
}

static size_t ct_pending(transport *t) { return ((curl_transport *)t)->pending; }

static void ct_destroy(transport *t) {
    curl_transport *ct = (curl_transport *)t;
    deliver(ct);
    err cancelled;
    err_set(&cancelled, 0, "", "the request was cancelled");
    /* A cancelled completion may submit again: loop until nothing is left. */
    while (ct->reqs) {
        creq *r = ct->reqs;
        ct->reqs = r->next;
        r->failed = true;
        r->e = cancelled;
        complete(ct, r);
    }
    curl_multi_cleanup(ct->multi);
    free(ct->socks);
    free(ct->region);
    free(ct->endpoint_url);
    free(ct->profile);
    for (size_t i = 0; i < ct->nmemo; i++) {
        free(ct->memo[i].service);
        free(ct->memo[i].region);
        free(ct->memo[i].url);
    }
    free(ct->ca_bundle);
    free(ct->doh_url);
    free(ct->desc);
    free(ct);
}

static const char *ct_describe(transport *t) { return ((curl_transport *)t)->desc; }

static const transport_ops curl_ops = {
    .submit = ct_submit,
    .pollfds = ct_pollfds,
    .timeout_ms = ct_timeout,
    .process = ct_process,
    .pending = ct_pending,
    .destroy = ct_destroy,
    .describe = ct_describe,
};

transport *curl_transport_new(const curl_transport_opts *o, err *e) {
    if (!o->region || !*o->region) {
        err_set(e, 0, "", "no region: pass --region or set AWS_REGION");
        return NULL;
    }
    if (o->endpoint_url) {
        creq probe = {0};
        if (split_endpoint(&probe, o->endpoint_url, e) != 0) return NULL;
        free(probe.base);
        free(probe.host);
        free(probe.base_path);
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        err_set(e, 0, "", "libcurl could not be initialised");
        return NULL;
    }
    curl_transport *ct = xcalloc(1, sizeof *ct);
    ct->base.ops = &curl_ops;
    ct->multi = curl_multi_init();
    ct->region = xstrdup(o->region);
    ct->endpoint_url = o->endpoint_url ? xstrdup(o->endpoint_url) : NULL;
    ct->profile = o->profile ? xstrdup(o->profile) : NULL;
    const char *ca = getenv("AWS_CA_BUNDLE");
    ct->ca_bundle = ca && *ca ? xstrdup(ca) : NULL;
    ct->creds = o->creds;
    ct->connect_ms = o->connect_timeout_ms > 0 ? o->connect_timeout_ms : 5000;
    ct->total_ms = o->total_timeout_ms > 0 ? o->total_timeout_ms : 60000;
    ct->max_attempts = o->max_attempts > 0 ? o->max_attempts : 3;
    ct->quota = QUOTA_MAX;
    ct->doh_url = o->doh_url && *o->doh_url ? xstrdup(o->doh_url) : NULL;
    ct->clock = o->clock.now_ms ? o->clock : clock_system();
    ct->rand = o->rand.next ? o->rand : rand_system();
    ct->timer_at = -1;
    char *d = o->endpoint_url ? xasprintf("endpoint %s · %s", o->endpoint_url, o->region)
                              : xasprintf("aws · %s", o->region);
    ct->desc = text_sanitize(d);
    free(d);
    curl_multi_setopt(ct->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
    curl_multi_setopt(ct->multi, CURLMOPT_SOCKETDATA, ct);
    curl_multi_setopt(ct->multi, CURLMOPT_TIMERFUNCTION, on_timer);
    curl_multi_setopt(ct->multi, CURLMOPT_TIMERDATA, ct);
    return &ct->base;
}
