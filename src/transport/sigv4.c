/* AWS Signature Version 4 (header signing) on OpenSSL.
 *
 * The canonical request follows botocore: the path is the one on the wire
 * (already percent-encoded once by the client), dot segments and empty
 * segments removed when normalising, then encoded once more for every
 * service but S3; query parameters are re-encoded with RFC 3986 rules and
 * sorted; header values are trimmed with inner whitespace folded. */
#include "transport/sigv4.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/buf.h"
#include "core/mem.h"

#define ALGORITHM "AWS4-HMAC-SHA256"
#define EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

/* ---- hashing ------------------------------------------------------------ */

static void to_hex(const unsigned char *d, size_t n, char *out) {
    static const char hx[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hx[d[i] >> 4];
        out[2 * i + 1] = hx[d[i] & 15];
    }
    out[2 * n] = '\0';
}

static void sha256_hex(const void *p, size_t n, char out[65]) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!EVP_Digest(p, n, md, &len, EVP_sha256(), NULL)) len = 0;
    to_hex(md, len, out);
}

static void hmac256(const void *key, size_t klen, const char *msg, unsigned char out[32]) {
    unsigned int len = 32;
    if (!HMAC(EVP_sha256(), key, (int)klen, (const unsigned char *)msg, strlen(msg), out, &len))
        memset(out, 0, 32);
}

/* ---- percent-encoding ----------------------------------------------------- */

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static bool unreserved(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == '~';
}

/* Append s[0..n) percent-encoded (RFC 3986, uppercase hex). With decode,
 * valid %XX escapes are decoded first so that an already encoded text and
 * its raw form encode alike; '+' is taken literally either way. */
static void encode_into(buf *b, const char *s, size_t n, bool decode, bool keep_slash) {
    static const char hx[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (decode && c == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            c = (unsigned char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        }
        if (unreserved(c) || (keep_slash && c == '/')) {
            buf_putc(b, (char)c);
        } else {
            char e[3] = {'%', hx[c >> 4], hx[c & 15]};
            buf_add(b, e, 3);
        }
    }
}

/* ---- canonical URI -------------------------------------------------------- */

/* botocore's remove_dot_segments: drop empty and "." segments, let ".."
 * pop one, keep a trailing slash when something is left. */
static char *normalize_path(const char *p) {
    size_t n = strlen(p);
    const char **seg = xcalloc(n / 2 + 2, sizeof *seg);
    size_t *len = xcalloc(n / 2 + 2, sizeof *len);
    size_t k = 0;
    for (const char *s = p; *s;) {
        const char *slash = strchr(s, '/');
        size_t l = slash ? (size_t)(slash - s) : strlen(s);
        if (l == 2 && s[0] == '.' && s[1] == '.') {
            if (k) k--;
        } else if (l && !(l == 1 && s[0] == '.')) {
            seg[k] = s;
            len[k++] = l;
        }
        s += l + (slash ? 1 : 0);
    }
    buf b = BUF_INIT;
    buf_putc(&b, '/');
    for (size_t i = 0; i < k; i++) {
        if (i) buf_putc(&b, '/');
        buf_add(&b, seg[i], len[i]);
    }
    if (k && n && p[n - 1] == '/') buf_putc(&b, '/');
    free(seg);
    free(len);
    return buf_steal(&b);
}

static void canonical_uri(buf *out, const char *path, const sigv4_opts *o) {
    if (!path || !*path) path = "/";
    char *p = o->normalize_path ? normalize_path(path) : xstrdup(path);
    if (o->double_encode)
        encode_into(out, p, strlen(p), false, true);
    else
        buf_puts(out, p);
    free(p);
}

/* ---- canonical query ------------------------------------------------------ */

typedef struct qparam {
    char *key, *value;
} qparam;

static int qparam_cmp(const void *a, const void *b) {
    const qparam *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : strcmp(x->value, y->value);
}

static char *encode_part(const char *s, size_t n) {
    buf b = BUF_INIT;
    encode_into(&b, s, n, true, false);
    return buf_steal(&b);
}

static void canonical_query(buf *out, const char *q) {
    if (!q || !*q) return;
    size_t cap = 1;
    for (const char *s = q; *s; s++)
        cap += *s == '&';
    qparam *v = xcalloc(cap, sizeof *v);
    size_t n = 0;
    for (const char *s = q;;) {
        const char *amp = strchr(s, '&');
        size_t l = amp ? (size_t)(amp - s) : strlen(s);
        if (l) {
            const char *eq = memchr(s, '=', l);
            size_t kl = eq ? (size_t)(eq - s) : l;
            v[n].key = encode_part(s, kl);
            v[n].value = eq ? encode_part(eq + 1, l - kl - 1) : xstrdup("");
            n++;
        }
        if (!amp) break;
        s = amp + 1;
    }
    qsort(v, n, sizeof *v, qparam_cmp);
    for (size_t i = 0; i < n; i++) {
        buf_printf(out, "%s%s=%s", i ? "&" : "", v[i].key, v[i].value);
        free(v[i].key);
        free(v[i].value);
    }
    free(v);
}

/* ---- canonical headers ---------------------------------------------------- */

typedef struct chdr {
    char *name;  /* lowercase */
    char *value; /* trimmed, whitespace folded */
    size_t order;
} chdr;

static int chdr_cmp(const void *a, const void *b) {
    const chdr *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c) return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Headers botocore never signs (a proxy may change them), and the
 * signature itself. */
static bool unsigned_header(const char *name) {
    static const char *const skip[] = {"authorization", "expect", "transfer-encoding", "user-agent",
                                       "x-amzn-trace-id"};
    for (size_t i = 0; i < sizeof skip / sizeof *skip; i++)
        if (strcasecmp(name, skip[i]) == 0) return true;
    return false;
}

static bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static char *fold_value(const char *s) {
    buf b = BUF_INIT;
    bool pending = false;
    for (; *s; s++) {
        if (is_space(*s)) {
            pending = b.len > 0;
        } else {
            if (pending) buf_putc(&b, ' ');
            pending = false;
            buf_putc(&b, *s);
        }
    }
    return buf_steal(&b);
}

/* Append the canonical header block to out and the signed header list to
 * signed_list. */
static void canonical_headers(buf *out, buf *signed_list, const http_headers *h) {
    chdr *v = xcalloc(h->n + 1, sizeof *v);
    size_t n = 0;
    for (size_t i = 0; i < h->n; i++) {
        if (unsigned_header(h->v[i].name)) continue;
        char *name = xstrdup(h->v[i].name);
        for (char *p = name; *p; p++)
            if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
        v[n] = (chdr){name, fold_value(h->v[i].value), i};
        n++;
    }
    qsort(v, n, sizeof *v, chdr_cmp);
    for (size_t i = 0; i < n; i++) {
        bool same = i && strcmp(v[i].name, v[i - 1].name) == 0;
        if (same) {
            buf_printf(out, ",%s", v[i].value);
        } else {
            if (i) buf_putc(out, '\n');
            buf_printf(out, "%s:%s", v[i].name, v[i].value);
            buf_printf(signed_list, "%s%s", signed_list->len ? ";" : "", v[i].name);
        }
    }
    if (n) buf_putc(out, '\n');
    for (size_t i = 0; i < n; i++) {
        free(v[i].name);
        free(v[i].value);
    }
    free(v);
}

/* ---- the texts ------------------------------------------------------------ */

static void amz_date(int64_t ms, char out[17]) {
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm);
}

/* The request's own X-Amz-Date when it has a well-formed one (so that the
 * texts explain a request already signed), else the signing time. */
static void request_date(const http_request *req, const sigv4_opts *o, char out[17]) {
    const char *d = http_headers_get(&req->headers, "X-Amz-Date");
    if (d && strlen(d) == 16 && d[8] == 'T' && d[15] == 'Z')
        memcpy(out, d, 17);
    else
        amz_date(o->now_ms, out);
}

static void payload_hash(const http_request *req, char out[65]) {
    const char *h = http_headers_get(&req->headers, "X-Amz-Content-Sha256");
    if (h && strlen(h) < 65) {
        strcpy(out, h);
    } else if (req->body && req->body_len) {
        sha256_hex(req->body, req->body_len, out);
    } else {
        strcpy(out, EMPTY_SHA256);
    }
}

static char *build_canonical(const http_request *req, const sigv4_opts *o, char **signed_out) {
    buf b = BUF_INIT, sl = BUF_INIT;
    buf_printf(&b, "%s\n", req->method ? req->method : "GET");
    canonical_uri(&b, req->path, o);
    buf_putc(&b, '\n');
    canonical_query(&b, req->query);
    buf_putc(&b, '\n');
    canonical_headers(&b, &sl, &req->headers);
    char *signed_list = buf_steal(&sl);
    char hash[65];
    payload_hash(req, hash);
    buf_printf(&b, "\n%s\n%s", signed_list, hash);
    if (signed_out)
        *signed_out = signed_list;
    else
        free(signed_list);
    return buf_steal(&b);
}

char *sigv4_canonical_request(const http_request *req, const sigv4_opts *o) {
    return build_canonical(req, o, NULL);
}

static char *scope_of(const char date[17], const sigv4_opts *o) {
    return xasprintf("%.8s/%s/%s/aws4_request", date, o->region ? o->region : "",
                     o->service ? o->service : "");
}

static char *string_to_sign(const char *canonical, const char date[17], const char *scope) {
    char hash[65];
    sha256_hex(canonical, strlen(canonical), hash);
    return xasprintf(ALGORITHM "\n%s\n%s\n%s", date, scope, hash);
}

char *sigv4_string_to_sign(const http_request *req, const sigv4_opts *o) {
    char date[17];
    request_date(req, o, date);
    char *canonical = build_canonical(req, o, NULL);
    char *scope = scope_of(date, o);
    char *sts = string_to_sign(canonical, date, scope);
    free(canonical);
    free(scope);
    return sts;
}

/* ---- signing -------------------------------------------------------------- */

static void signature_of(const aws_credentials *cr, const sigv4_opts *o, const char date[17],
                         const char *sts, char out[65]) {
    char day[9];
    memcpy(day, date, 8);
    day[8] = '\0';
    char *secret = xasprintf("AWS4%s", cr->secret_key);
    unsigned char k[32], sig[32];
    hmac256(secret, strlen(secret), day, k);
    OPENSSL_cleanse(secret, strlen(secret));
    free(secret);
    hmac256(k, 32, o->region, k);
    hmac256(k, 32, o->service, k);
    hmac256(k, 32, "aws4_request", k);
    hmac256(k, 32, sts, sig);
    OPENSSL_cleanse(k, sizeof k);
    to_hex(sig, 32, out);
}

int sigv4_sign(http_request *req, const aws_credentials *cr, const sigv4_opts *o, err *e) {
    if (!o->service || !*o->service || !o->region || !*o->region)
        return err_set(e, 0, "SigningError", "cannot sign: no service or region");
    if (!cr || !*cr->access_key || !*cr->secret_key)
        return err_set(e, 0, "SigningError", "cannot sign: no credentials");
    if (!http_headers_get(&req->headers, "Host"))
        return err_set(e, 0, "SigningError", "cannot sign: the request has no Host header");
    http_headers_remove(&req->headers, "Authorization");
    if (*cr->session_token)
        http_headers_set(&req->headers, "X-Amz-Security-Token", cr->session_token);
    char date[17];
    amz_date(o->now_ms, date);
    http_headers_set(&req->headers, "X-Amz-Date", date);
    if (o->sign_body) {
        char hash[65];
        if (req->body && req->body_len)
            sha256_hex(req->body, req->body_len, hash);
        else
            strcpy(hash, EMPTY_SHA256);
        http_headers_set(&req->headers, "x-amz-content-sha256", hash);
    }
    char *signed_list = NULL;
    char *canonical = build_canonical(req, o, &signed_list);
    char *scope = scope_of(date, o);
    char *sts = string_to_sign(canonical, date, scope);
    char sig[65];
    signature_of(cr, o, date, sts, sig);
    char *auth = xasprintf(ALGORITHM " Credential=%s/%s, SignedHeaders=%s, Signature=%s",
                           cr->access_key, scope, signed_list, sig);
    http_headers_add(&req->headers, "Authorization", auth);
    free(auth);
    free(sts);
    free(scope);
    free(canonical);
    free(signed_list);
    return 0;
}
