#ifndef TRANSPORT_HTTP_H
#define TRANSPORT_HTTP_H
/* HTTP requests and responses as the client, transports, emulator and server
 * exchange them. Header names compare case-insensitively. */
#include <stdbool.h>
#include <stddef.h>

typedef struct http_header {
    char *name;
    char *value;
} http_header;

typedef struct http_headers {
    http_header *v;
    size_t n, cap;
} http_headers;

typedef struct http_request {
    char *method;  /* "GET", "POST", ... */
    char *path;    /* raw, still percent-encoded, starts with '/' */
    char *query;   /* raw query string without '?', or NULL */
    http_headers headers;
    char *body;    /* may contain NUL bytes; NUL-terminated for convenience */
    size_t body_len;
    /* Routing hints: which AWS service and region the request is for
     * ("apigateway", "lambda", "execute-api"). Transports use them to pick
     * an endpoint (curl) or to skip endpoint detection (local). */
    char *service;
    char *region;
    /* Send unsigned, as it is: a presigned URL (Lambda's Code.Location)
     * already carries its authorization, and a second one is refused. */
    bool anonymous;
} http_request;

typedef struct http_response {
    int status;
    http_headers headers;
    char *body;
    size_t body_len;
} http_response;

void http_headers_free(http_headers *h);
/* Append a header (copies name and value). */
void http_headers_add(http_headers *h, const char *name, const char *value);
/* Drop every header of that name. */
void http_headers_remove(http_headers *h, const char *name);
/* Replace all headers of that name by one. */
void http_headers_set(http_headers *h, const char *name, const char *value);
/* First value of a header, or NULL. */
const char *http_headers_get(const http_headers *h, const char *name);

http_request *http_request_new(const char *method, const char *path);
void http_request_free(http_request *r);
void http_request_set_body(http_request *r, const char *body, size_t len);

void http_response_init(http_response *r);
void http_response_free(http_response *r); /* frees members, not r */
void http_response_set_body(http_response *r, const char *body, size_t len);
/* Move the contents of src into dst (dst is freed first; src left empty). */
void http_response_move(http_response *dst, http_response *src);

/* First value of a query parameter (decoded, malloc'd), or NULL. */
char *http_query_get(const char *query, const char *name);

#endif
