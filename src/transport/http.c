#include "transport/http.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/mem.h"
#include "core/text.h"

void http_headers_free(http_headers *h) {
    for (size_t i = 0; i < h->n; i++) {
        free(h->v[i].name);
        free(h->v[i].value);
    }
    free(h->v);
    h->v = NULL;
    h->n = h->cap = 0;
}

void http_headers_add(http_headers *h, const char *name, const char *value) {
    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 8;
        h->v = xrealloc(h->v, h->cap * sizeof *h->v);
    }
    h->v[h->n].name = xstrdup(name);
    h->v[h->n].value = xstrdup(value);
    h->n++;
}

void http_headers_remove(http_headers *h, const char *name) {
    size_t j = 0;
    for (size_t i = 0; i < h->n; i++) {
        if (strcasecmp(h->v[i].name, name) == 0) {
            free(h->v[i].name);
            free(h->v[i].value);
        } else {
            h->v[j++] = h->v[i];
        }
    }
    h->n = j;
}

void http_headers_set(http_headers *h, const char *name, const char *value) {
    http_headers_remove(h, name);
    http_headers_add(h, name, value);
}

const char *http_headers_get(const http_headers *h, const char *name) {
    for (size_t i = 0; i < h->n; i++)
        if (strcasecmp(h->v[i].name, name) == 0) return h->v[i].value;
    return NULL;
}

http_request *http_request_new(const char *method, const char *path) {
    http_request *r = xcalloc(1, sizeof *r);
    r->method = xstrdup(method);
    const char *q = strchr(path, '?');
    if (q) {
        r->path = xstrndup(path, (size_t)(q - path));
        r->query = xstrdup(q + 1);
    } else {
        r->path = xstrdup(path);
    }
    return r;
}

void http_request_free(http_request *r) {
    if (!r) return;
    free(r->method);
    free(r->path);
    free(r->query);
    free(r->body);
    free(r->service);
    free(r->region);
    http_headers_free(&r->headers);
    free(r);
}

static char *dup_body(const char *body, size_t len) {
    char *p = xmalloc(len + 1);
    if (len) memcpy(p, body, len);
    p[len] = '\0';
    return p;
}

void http_request_set_body(http_request *r, const char *body, size_t len) {
    free(r->body);
    r->body = dup_body(body, len);
    r->body_len = len;
}

void http_response_init(http_response *r) { memset(r, 0, sizeof *r); }

void http_response_free(http_response *r) {
    http_headers_free(&r->headers);
    free(r->body);
    r->body = NULL;
    r->body_len = 0;
}

void http_response_set_body(http_response *r, const char *body, size_t len) {
    free(r->body);
    r->body = dup_body(body, len);
    r->body_len = len;
}

void http_response_move(http_response *dst, http_response *src) {
    http_response_free(dst);
    *dst = *src;
    memset(src, 0, sizeof *src);
}

char *http_query_get(const char *query, const char *name) {
    if (!query) return NULL;
    size_t nlen = strlen(name);
    const char *p = query;
    while (*p) {
        const char *amp = strchr(p, '&');
        size_t len = amp ? (size_t)(amp - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        size_t klen = eq ? (size_t)(eq - p) : len;
        char *key = url_decode(p, klen, true);
        int match = strlen(key) == nlen && memcmp(key, name, nlen) == 0;
        free(key);
        if (match) return eq ? url_decode(eq + 1, len - klen - 1, true) : xstrdup("");
        if (!amp) break;
        p = amp + 1;
    }
    return NULL;
}
