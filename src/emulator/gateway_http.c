/* HTTP and HTTP_PROXY integrations. The offline emulator calls loopback
 * endpoints only (127.0.0.0/8, localhost, ::1), with libcurl's easy
 * interface on the emulator's thread: no proxies, no redirects, HTTP and
 * HTTPS only, "localhost" pinned to 127.0.0.1, the integration's timeout,
 * and responses up to API Gateway's 10 MB payload limit. */
#include <arpa/inet.h>
#include <ctype.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/mem.h"
#include "core/text.h"
#include "gateway_internal.h"

#define MAX_RESPONSE (10u << 20)

typedef struct url_parts {
    char host[256];
    long port;
} url_parts;

/* Host and port of an http(s) URL; false when it is not one. */
static bool split_url(const char *url, url_parts *u) {
    memset(u, 0, sizeof *u);
    size_t skip;
    long dflt;
    if (!strncasecmp(url, "http://", 7)) {
        skip = 7;
        dflt = 80;
    } else if (!strncasecmp(url, "https://", 8)) {
        skip = 8;
        dflt = 443;
    } else {
        return false;
    }
    const char *a = url + skip;
    size_t alen = strcspn(a, "/?#");
    const char *at = NULL;
    for (size_t i = 0; i < alen; i++)
        if (a[i] == '@') at = a + i;
    if (at) {
        alen -= (size_t)(at + 1 - a);
        a = at + 1;
    }
    const char *hend;
    if (alen && a[0] == '[') {
        const char *close = memchr(a, ']', alen);
        if (!close) return false;
        snprintf(u->host, sizeof u->host, "%.*s", (int)(close - a - 1), a + 1);
        hend = close + 1;
    } else {
        size_t hl = 0;
        while (hl < alen && a[hl] != ':')
            hl++;
        if (hl >= sizeof u->host) return false;
        snprintf(u->host, sizeof u->host, "%.*s", (int)hl, a);
        hend = a + hl;
    }
    u->port = dflt;
    if (hend < a + alen) {
        if (*hend != ':') return false;
        char *end;
        long p = strtol(hend + 1, &end, 10);
        if (end != a + alen || p <= 0 || p > 65535) return false;
        u->port = p;
    }
    return u->host[0] != '\0';
}

static bool host_is_loopback(const char *host) {
    if (!strcasecmp(host, "localhost")) return true;
    struct in_addr v4;
    if (inet_pton(AF_INET, host, &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
    struct in6_addr v6;
    if (inet_pton(AF_INET6, host, &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
    return false;
}

bool gw_url_is_loopback(const char *url, char *host, size_t n) {
    url_parts u;
    bool ok = split_url(url, &u);
    snprintf(host, n, "%s", ok ? u.host : "");
    return ok && host_is_loopback(u.host);
}

typedef struct sink {
    gw_endpoint *ep;
    bool too_big;
} sink;

static size_t on_body(char *p, size_t size, size_t n, void *ud) {
    sink *s = ud;
    size_t len = size * n;
    if (s->ep->body.len + len > MAX_RESPONSE) {
        s->too_big = true;
        return 0;
    }
    buf_add(&s->ep->body, p, len);
    return len;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud) {
    sink *s = ud;
    size_t len = size * n;
    if (len >= 5 && !strncmp(p, "HTTP/", 5)) { /* a new response (after 100 Continue) */
        http_headers_free(&s->ep->headers);
        return len;
    }
    const char *colon = memchr(p, ':', len);
    if (!colon || colon == p) return len;
    char *name = xstrndup(p, (size_t)(colon - p));
    const char *v = colon + 1;
    const char *end = p + len;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    char *value = xstrndup(v, (size_t)(end - v));
    http_headers_add(&s->ep->headers, name, value);
    free(name);
    free(value);
    return len;
}

static struct curl_slist *request_headers(const gw_ireq *r) {
    struct curl_slist *l = NULL;
    bool has_ct = false;
    for (size_t i = 0; i < r->headers.n; i++) {
        const http_header *h = &r->headers.v[i];
        if (strpbrk(h->name, "\r\n:") || strpbrk(h->value, "\r\n")) continue;
        if (!strcasecmp(h->name, "Content-Type")) has_ct = true;
        char *line = xasprintf("%s: %s", h->name, h->value);
        l = curl_slist_append(l, line);
        free(line);
    }
    l = curl_slist_append(l, "Expect:");
    if (!has_ct) l = curl_slist_append(l, "Content-Type:");
    return l;
}

int gw_http_send(const gw_ireq *r, long timeout_ms, gw_endpoint *ep, char *why, size_t n) {
    url_parts u;
    if (!split_url(r->uri, &u) || !host_is_loopback(u.host)) {
        snprintf(why, n, "not a loopback URL");
        return -1;
    }
    CURL *h = curl_easy_init();
    if (!h) {
        snprintf(why, n, "libcurl could not start");
        return -1;
    }
    sink s = {.ep = ep};
    struct curl_slist *hdrs = request_headers(r);
    struct curl_slist *pin = NULL;
    if (!strcasecmp(u.host, "localhost")) {
        char *e = xasprintf("%s:%ld:127.0.0.1", u.host, u.port);
        pin = curl_slist_append(NULL, e);
        free(e);
    }
    curl_easy_setopt(h, CURLOPT_URL, r->uri);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    if (pin) curl_easy_setopt(h, CURLOPT_RESOLVE, pin);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &s);
    if (!strcmp(r->verb, "HEAD")) {
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else {
        if (r->body.len || !strcmp(r->verb, "POST") || !strcmp(r->verb, "PUT") ||
            !strcmp(r->verb, "PATCH")) {
            curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->body.len);
            curl_easy_setopt(h, CURLOPT_POSTFIELDS, r->body.data ? r->body.data : "");
        }
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, r->verb);
    }
    CURLcode rc = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(h);
    curl_slist_free_all(hdrs);
    curl_slist_free_all(pin);
    if (rc == CURLE_OPERATION_TIMEDOUT) return -2;
    if (rc != CURLE_OK) {
        snprintf(why, n, "%s", s.too_big ? "the response is over 10 MB" : curl_easy_strerror(rc));
        return -1;
    }
    ep->status = (int)status;
    return 0;
}
