/* Blocking HTTP for the credential sources (IMDS, container, STS): libcurl's
 * easy interface with short timeouts, since each call sits on the path of
 * the first request the console makes. */
#include <curl/curl.h>
#include <string.h>

#include "cred_internal.h"

static size_t collect(char *p, size_t size, size_t n, void *ctx) {
    buf *b = ctx;
    if (b->len + size * n > (1u << 20)) return 0; /* no credential document is this big */
    buf_add(b, p, size * n);
    return size * n;
}

/* Progress callback: a non-zero return aborts the transfer (the chain is
 * being freed). libcurl calls it at least once a second, connecting too. */
static int check_cancel(void *ctx, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un) {
    (void)dt, (void)dn, (void)ut, (void)un;
    return atomic_load((atomic_bool *)ctx) ? 1 : 0;
}

static int once(CURL *h, const cred_http_req *r, struct curl_slist *hdrs, int *status, buf *out,
                err *e) {
    buf_reset(out);
    curl_easy_setopt(h, CURLOPT_URL, r->url);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, r->method);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, r->connect_timeout_ms);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, r->total_timeout_ms);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, out);
    if (r->no_proxy) curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
    if (r->cancel) {
        curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, check_cancel);
        curl_easy_setopt(h, CURLOPT_XFERINFODATA, r->cancel);
        curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    }
    if (r->body) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, r->body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(r->body));
    } else if (strcmp(r->method, "PUT") == 0) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, "");
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, 0L);
    }
    CURLcode rc = curl_easy_perform(h);
    if (rc == CURLE_ABORTED_BY_CALLBACK)
        return err_set(e, 0, "", "stopped: the credential chain was closed");
    if (rc != CURLE_OK) return err_set(e, 0, "", "%s", curl_easy_strerror(rc));
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    *status = (int)code;
    return 0;
}

int cred_http(const cred_http_req *r, int *status, buf *out, err *e) {
    CURL *h = curl_easy_init();
    if (!h) return err_set(e, 0, "", "cannot start an HTTP request");
    struct curl_slist *hdrs = curl_slist_append(NULL, "Expect:"); /* no 100-continue wait */
    for (const char *const *p = r->headers; p && *p; p++)
        hdrs = curl_slist_append(hdrs, *p);
    int rc = -1, tries = r->attempts > 0 ? r->attempts : 1;
    for (int i = 0; i < tries; i++) {
        rc = once(h, r, hdrs, status, out, e);
        if ((rc == 0 && *status < 500) || (r->cancel && atomic_load(r->cancel))) break;
    }
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(h);
    return rc;
}
