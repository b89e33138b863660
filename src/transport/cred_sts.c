/* STS for role_arn profiles (AssumeRole: a SigV4-signed form POST) and web
 * identity (AssumeRoleWithWebIdentity: the same, unsigned, the token in the
 * form), to the regional endpoint or the configured one (AWS_ENDPOINT_URL_STS,
 * AWS_ENDPOINT_URL, the profile's settings); the XML answer is read for its
 * Credentials element. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/text.h"
#include "cred_internal.h"
#include "transport/http.h"

/* Retries of an IdP that did not answer STS, as the SDKs do. */
#define IDP_ATTEMPTS 3

static char *sts_endpoint(const cred_ctx *x, const char *region) {
    char *v = cred_configured_endpoint("sts", x->profile);
    if (v) return v;
    if (!region) return xstrdup("https://sts.amazonaws.com");
    const char *suffix = strncmp(region, "cn-", 3) == 0 ? "amazonaws.com.cn" : "amazonaws.com";
    return xasprintf("https://sts.%s.%s", region, suffix);
}

/* "scheme://host[:port][/path]" → host[:port] and path ("/" when none). */
static int split_url(const char *url, char **host, char **path) {
    const char *p = strstr(url, "://");
    if (!p) return -1;
    p += 3;
    size_t n = strcspn(p, "/?#");
    if (n == 0) return -1;
    *host = xstrndup(p, n);
    const char *rest = p + n;
    *path = *rest == '/' ? xstrndup(rest, strcspn(rest, "?#")) : xstrdup("/");
    return 0;
}

static void form_add(buf *b, const char *name, const char *value) {
    char *v = url_encode(value, false);
    buf_printf(b, "&%s=%s", name, v);
    free(v);
}

/* The form of either action; token NULL for AssumeRole. */
static char *form_body(const cred_sts_args *a, const char *token, int64_t now_ms) {
    buf b = BUF_INIT;
    buf_printf(&b, "Action=%s&Version=2011-06-15",
               token ? "AssumeRoleWithWebIdentity" : "AssumeRole");
    form_add(&b, "RoleArn", a->role_arn);
    char gen[64];
    snprintf(gen, sizeof gen, "apigw-console-%lld", (long long)(now_ms / 1000));
    form_add(&b, "RoleSessionName", a->session_name && *a->session_name ? a->session_name : gen);
    if (a->external_id && *a->external_id) form_add(&b, "ExternalId", a->external_id);
    if (a->duration && *a->duration) form_add(&b, "DurationSeconds", a->duration);
    if (token) form_add(&b, "WebIdentityToken", token);
    return buf_steal(&b);
}

/* Text of the first <tag>...</tag> after from, entities decoded (malloc'd). */
static char *xml_text(const char *doc, const char *tag) {
    char open[64], close[64];
    snprintf(open, sizeof open, "<%s>", tag);
    snprintf(close, sizeof close, "</%s>", tag);
    const char *s = strstr(doc, open);
    if (!s) return NULL;
    s += strlen(open);
    const char *end = strstr(s, close);
    if (!end) return NULL;
    static const char *const ent[][2] = {
        {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}};
    buf b = BUF_INIT;
    buf_puts(&b, "");
    while (s < end) {
        size_t i = 0;
        for (; i < 5; i++)
            if (strncmp(s, ent[i][0], strlen(ent[i][0])) == 0) break;
        if (i < 5) {
            buf_puts(&b, ent[i][1]);
            s += strlen(ent[i][0]);
        } else {
            buf_putc(&b, *s++);
        }
    }
    return buf_steal(&b);
}

static int sts_error(const char *action, const char *body, int status, err *e) {
    char *code = body ? xml_text(body, "Code") : NULL,
         *msg = body ? xml_text(body, "Message") : NULL;
    char *scode = text_sanitize(code ? code : ""), *smsg = text_sanitize(msg ? msg : "");
    int rc = err_set(e, status, "", "STS %s failed (HTTP %d)%s%s%s%s", action, status,
                     *scode ? ": " : "", scode, *smsg ? ": " : "", smsg);
    if (e && code) snprintf(e->code, sizeof e->code, "%s", scode);
    free(code);
    free(msg);
    free(scode);
    free(smsg);
    return rc;
}

static int parse_response(const char *action, const char *body, aws_credentials *out, err *e) {
    const char *cr = strstr(body, "<Credentials>");
    char *ak = cr ? xml_text(cr, "AccessKeyId") : NULL,
         *sk = cr ? xml_text(cr, "SecretAccessKey") : NULL;
    char *tok = cr ? xml_text(cr, "SessionToken") : NULL,
         *exp = cr ? xml_text(cr, "Expiration") : NULL;
    int rc = 0;
    if (!ak || !sk || !tok || !exp || !*ak || !*sk || cred_parse_time(exp, &out->expires_ms) != 0 ||
        cred_copy(out->access_key, sizeof out->access_key, ak) != 0 ||
        cred_copy(out->secret_key, sizeof out->secret_key, sk) != 0 ||
        cred_copy(out->session_token, sizeof out->session_token, tok) != 0)
        rc = err_set(e, 0, "", "STS %s returned no usable Credentials", action);
    free(ak);
    if (sk) memset(sk, 0, strlen(sk));
    free(sk);
    if (tok) memset(tok, 0, strlen(tok));
    free(tok);
    free(exp);
    return rc;
}

static http_request *build(const cred_sts_args *a, const char *token, const char *host,
                           const char *path, int64_t now) {
    http_request *req = http_request_new("POST", path);
    http_headers_set(&req->headers, "Host", host);
    http_headers_set(&req->headers, "Content-Type",
                     "application/x-www-form-urlencoded; charset=utf-8");
    char *body = form_body(a, token, now);
    http_request_set_body(req, body, strlen(body));
    memset(body, 0, strlen(body)); /* a web identity token */
    free(body);
    return req;
}

static const char **curl_headers(const http_request *req) {
    const char **h = xcalloc(req->headers.n + 1, sizeof *h);
    for (size_t i = 0; i < req->headers.n; i++)
        h[i] = xasprintf("%s: %s", req->headers.v[i].name, req->headers.v[i].value);
    return h;
}

/* "<Code>IDPCommunicationError</Code>": the identity provider did not
 * answer STS; worth another try. */
static bool idp_unreachable(int status, const buf *body) {
    return status == 400 && body->data && strstr(body->data, "<Code>IDPCommunicationError</Code>");
}

static int exchange(const cred_ctx *x, const char *action, const char *url, const http_request *req,
                    aws_credentials *out, err *e) {
    const char **hdrs = curl_headers(req);
    cred_http_req r = {.method = "POST",
                       .url = url,
                       .headers = hdrs,
                       .body = req->body,
                       .connect_timeout_ms = 3000,
                       .total_timeout_ms = 10000,
                       .attempts = 3,
                       .cancel = x->cancel};
    buf body = BUF_INIT;
    int status = 0, rc = -1;
    for (int i = 0; i < IDP_ATTEMPTS; i++) {
        rc = cred_http(&r, &status, &body, e);
        if (rc != 0 || !idp_unreachable(status, &body) || cred_cancelled(x)) break;
    }
    if (rc != 0) {
        char *why = xstrdup(e ? e->msg : "");
        rc = err_set(e, 0, "", "STS %s failed: %s", action, why);
        free(why);
    } else if (status != 200) {
        rc = sts_error(action, body.data, status, e);
    } else {
        rc = parse_response(action, body.data ? body.data : "", out, e);
    }
    for (size_t i = 0; hdrs[i]; i++) {
        memset((char *)hdrs[i], 0, strlen(hdrs[i]));
        free((char *)hdrs[i]);
    }
    free(hdrs);
    if (body.data) memset(body.data, 0, body.len);
    buf_free(&body);
    return rc;
}

/* Build, sign when source is given, send. */
static int call(const cred_ctx *x, const cred_sts_args *a, const char *token,
                const aws_credentials *source, aws_credentials *out, err *e) {
    const char *action = token ? "AssumeRoleWithWebIdentity" : "AssumeRole";
    char *url = sts_endpoint(x, a->region), *host = NULL, *path = NULL;
    if (split_url(url, &host, &path) != 0) {
        free(url);
        return err_set(e, 0, "", "the STS endpoint is not a URL");
    }
    int64_t now = clock_now_ms(&x->clock);
    http_request *req = build(a, token, host, path, now);
    sigv4_opts so = {.service = "sts",
                     .region = a->region ? a->region : "us-east-1",
                     .now_ms = now,
                     .normalize_path = true,
                     .double_encode = true};
    int rc = source ? sigv4_sign(req, source, &so, e) : 0;
    if (rc == 0) rc = exchange(x, action, url, req, out, e);
    if (req->body) memset(req->body, 0, req->body_len);
    http_request_free(req);
    free(url);
    free(host);
    free(path);
    return rc;
}

int cred_sts_assume_role(const cred_ctx *x, const cred_sts_args *a, const aws_credentials *source,
                         aws_credentials *out, err *e) {
    return call(x, a, NULL, source, out, e);
}

int cred_sts_web_identity(const cred_ctx *x, const cred_sts_args *a, const char *token,
                          aws_credentials *out, err *e) {
    return call(x, a, token, NULL, out, e);
}
