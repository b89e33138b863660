#ifndef TRANSPORT_CURL_H
#define TRANSPORT_CURL_H
/* The transport to AWS (or any AWS-compatible endpoint): libcurl multi,
 * driven by the caller's poll loop; SigV4; retries as the SDKs' standard
 * mode; TLS always verified. */
#include "core/err.h"
#include "transport/credentials.h"
#include "transport/transport.h"

typedef struct curl_transport_opts {
    const char *region;       /* default region of requests without one */
    cred_chain *creds;        /* not owned; NULL: requests go unsigned */
    const char *endpoint_url; /* --endpoint-url, or NULL */
    const char *profile;      /* --profile (its endpoint_url settings), or NULL */
    int connect_timeout_ms;   /* 0: 5000 */
    int total_timeout_ms;     /* 0: 60000 */
    int max_attempts;         /* 0: 3, as the SDKs' standard mode */
    clock_src clock;          /* default: the system clock (signing time) */
    rand_src rand;            /* default: system randomness (backoff jitter) */
    const char *doh_url;      /* resolve host names over DNS-over-HTTPS at this
                                 URL instead of the system resolver, or NULL */
} curl_transport_opts;

/* Requests go to aws_endpoint_resolve(req->service, req->region,
 * endpoint_url), or, without an override, to https://HOST when the request
 * carries its own Host header (an execute-api invoke URL); they are signed
 * for req->service. Every attempt is signed afresh and has its own connect
 * and total timeout. Throttling error codes, 429, 500, 502, 503, 504,
 * connection failures (refused, reset, closed, a host name that does not
 * resolve) and timeouts are retried, at most max_attempts attempts in all,
 * after min(b * 2^n s, 20 s), b uniform in [0, 1), or after Retry-After
 * (seconds or an HTTP-date) when that is longer (at most 20 s); TLS
 * failures are not retried. Retries draw on the standard mode's retry
 * quota, 500 tokens per transport: a retry costs 5 (10 after a timeout), a
 * request ending in a 2xx gives back its last retry's cost (1 when it
 * needed no retry); with too few tokens the failure is returned at once (a
 * transport failure's message then says retries were stopped).
 * A transport failure completes with resp NULL and e {0,
 * "ConnectionError" | "Timeout" | "TLSError" | "InvalidEndpoint", a message
 * naming the host}; credentials and signatures never appear in any error.
 * AWS_CA_BUNDLE adds a CA file; peer and host are always verified.
 * NULL with e set for a missing region or an endpoint_url that is not http
 * or https. */
transport *curl_transport_new(const curl_transport_opts *o, err *e);

#endif
