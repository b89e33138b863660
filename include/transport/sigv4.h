#ifndef TRANSPORT_SIGV4_H
#define TRANSPORT_SIGV4_H
/* AWS Signature Version 4 on OpenSSL (HMAC-SHA256, SHA-256). */
#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "transport/http.h"

/* Credentials as the chain resolves them. Never printed or logged. */
typedef struct aws_credentials {
    char access_key[128];
    char secret_key[128];
    char session_token[4096]; /* "" when none */
    int64_t expires_ms;       /* 0: does not expire */
    char source[64];          /* where they came from: "environment", "profile dev", ... */
} aws_credentials;

typedef struct sigv4_opts {
    const char *service; /* signing name: "apigateway", "lambda", "execute-api", "sts" */
    const char *region;
    int64_t now_ms;      /* the signing time */
    bool normalize_path; /* true for every service but S3 */
    bool double_encode;  /* encode each path segment again (true but for S3) */
    bool sign_body;      /* also send and sign X-Amz-Content-Sha256 (S3 style) */
} sigv4_opts;

/* Sign req in place: adds X-Amz-Date, X-Amz-Security-Token (with a session
 * token) and Authorization. req must carry a Host header. */
int sigv4_sign(http_request *req, const aws_credentials *cr, const sigv4_opts *o, err *e);

/* The intermediate texts, for tests and for explaining a signature error
 * (malloc'd). */
char *sigv4_canonical_request(const http_request *req, const sigv4_opts *o);
char *sigv4_string_to_sign(const http_request *req, const sigv4_opts *o);

#endif
