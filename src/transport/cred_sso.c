/* IAM Identity Center (SSO) profiles: the access token that `aws sso login`
 * cached in ~/.aws/sso/cache/<sha1 hex of the sso_session name, or of the
 * start URL for the legacy form>.json is traded for role credentials with
 * the portal's GetRoleCredentials (an unsigned GET, the token in the
 * x-amz-sso_bearer_token header). The token is never refreshed here: when
 * it is missing or expired the user is told to log in again. */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"
#include "cred_internal.h"

#define TOKEN_FILE_MAX (1u << 20)

static char *sha1_hex(const char *s) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_Digest(s, strlen(s), md, &n, EVP_sha1(), NULL);
    char *hex = xcalloc(2 * n + 1, 1);
    for (unsigned int i = 0; i < n; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    return hex;
}

static char *read_file(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    buf b = BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len < TOKEN_FILE_MAX)
        buf_add(&b, chunk, n);
    fclose(f);
    buf_puts(&b, "");
    return buf_steal(&b);
}

/* expiresAt as the CLI writes it: ISO 8601, or "...UTC" from CLI v1. */
static int parse_expiry(const char *s, int64_t *ms) {
    if (cred_parse_time(s, ms) == 0) return 0;
    size_t n = strlen(s);
    if (n < 4 || strcmp(s + n - 3, "UTC") != 0) return -1;
    char *z = xasprintf("%.*sZ", (int)(n - 3), s);
    int rc = cred_parse_time(z, ms);
    free(z);
    return rc;
}

static int login_hint(const cred_sso_args *a, err *e, const char *why) {
    return err_set(e, 0, "", "profile %s: %s; run `aws sso login --profile %s`", a->profile, why,
                   a->profile);
}

/* The cached access token (malloc'd), or NULL with e telling how to log in. */
static char *cached_token(const cred_ctx *x, const cred_sso_args *a, err *e) {
    char *hash = sha1_hex(a->session ? a->session : a->start_url);
    char *rel = xasprintf("~/.aws/sso/cache/%s.json", hash), *path = cred_expand_home(rel);
    char *text = path ? read_file(path) : NULL, *token = NULL;
    cJSON *doc = text ? cJSON_Parse(text) : NULL;
    const char *tok = json_str(doc, "accessToken"), *exp = json_str(doc, "expiresAt");
    int64_t exp_ms = 0;
    if (!text)
        login_hint(a, e,
                   "no SSO token is cached (no ~/.aws/sso/cache/<sha1>.json for this session)");
    else if (!tok || !*tok || !exp || parse_expiry(exp, &exp_ms) != 0)
        login_hint(a, e, "the cached SSO token has no accessToken or expiresAt");
    else if (exp_ms <= clock_now_ms(&x->clock))
        login_hint(a, e, "the cached SSO token has expired");
    else if (strpbrk(tok, "\r\n"))
        login_hint(a, e, "the cached SSO token is malformed");
    else
        token = xstrdup(tok);
    if (text) memset(text, 0, strlen(text));
    cJSON_Delete(doc);
    free(text);
    free(path);
    free(rel);
    free(hash);
    return token;
}

static char *portal_url(const cred_ctx *x, const cred_sso_args *a) {
    char *base = cred_configured_endpoint("sso", x->profile);
    if (!base) {
        const char *suffix =
            strncmp(a->region, "cn-", 3) == 0 ? "amazonaws.com.cn" : "amazonaws.com";
        base = xasprintf("https://portal.sso.%s.%s", a->region, suffix);
    }
    char *acct = url_encode(a->account_id, false), *role = url_encode(a->role_name, false);
    char *url = xasprintf("%s/federation/credentials?account_id=%s&role_name=%s", base, acct, role);
    free(base);
    free(acct);
    free(role);
    return url;
}

/* {"roleCredentials": {accessKeyId, secretAccessKey, sessionToken,
 * expiration (ms since the epoch)}} */
static int parse_role_credentials(const buf *body, aws_credentials *out, err *e) {
    cJSON *doc = cJSON_ParseWithLength(body->data ? body->data : "", body->len);
    const cJSON *rc_obj = json_obj(doc, "roleCredentials");
    const char *ak = json_str(rc_obj, "accessKeyId"), *sk = json_str(rc_obj, "secretAccessKey");
    const char *tok = json_str(rc_obj, "sessionToken");
    double exp = json_num_or(rc_obj, "expiration", 0);
    aws_credentials c = {0};
    int rc = 0;
    if (!ak || !sk || !*ak || !*sk || exp <= 0 ||
        cred_copy(c.access_key, sizeof c.access_key, ak) != 0 ||
        cred_copy(c.secret_key, sizeof c.secret_key, sk) != 0 ||
        cred_copy(c.session_token, sizeof c.session_token, tok ? tok : "") != 0)
        rc = err_set(e, 0, "", "SSO GetRoleCredentials returned no usable roleCredentials");
    else {
        c.expires_ms = (int64_t)exp;
        *out = c;
    }
    memset(&c, 0, sizeof c);
    cJSON_Delete(doc);
    return rc;
}

/* A rest-json error: {"message": ...}; 401 means the token is no longer
 * accepted, which a new login fixes. */
static int portal_error(const cred_sso_args *a, int status, const buf *body, err *e) {
    if (status == 401)
        return login_hint(a, e,
                          "the SSO session has expired or is invalid (HTTP 401 from the portal)");
    cJSON *doc = cJSON_ParseWithLength(body->data ? body->data : "", body->len);
    const char *m = json_str(doc, "message");
    if (!m) m = json_str(doc, "Message");
    char *safe = text_sanitize(m ? m : "");
    int rc = err_set(e, status, "", "SSO GetRoleCredentials for profile %s failed (HTTP %d)%s%s",
                     a->profile, status, *safe ? ": " : "", safe);
    free(safe);
    cJSON_Delete(doc);
    return rc;
}

int cred_sso_get(const cred_ctx *x, const cred_sso_args *a, aws_credentials *out, err *e) {
    if (!cred_region_valid(a->region))
        return err_set(e, 0, "", "profile %s: sso_region is not a region name", a->profile);
    char *token = cached_token(x, a, e);
    if (!token) return -1;
    char *url = portal_url(x, a), *hdr = xasprintf("x-amz-sso_bearer_token: %s", token);
    const char *hdrs[] = {"Accept: application/json", hdr, NULL};
    cred_http_req r = {.method = "GET",
                       .url = url,
                       .headers = hdrs,
                       .connect_timeout_ms = 3000,
                       .total_timeout_ms = 10000,
                       .attempts = 3,
                       .cancel = x->cancel};
    buf body = BUF_INIT;
    int status = 0, rc = cred_http(&r, &status, &body, e);
    if (rc != 0) {
        char *why = xstrdup(e ? e->msg : "");
        rc = err_set(e, 0, "", "SSO GetRoleCredentials for profile %s failed: %s", a->profile, why);
        free(why);
    } else if (status != 200) {
        rc = portal_error(a, status, &body, e);
    } else {
        rc = parse_role_credentials(&body, out, e);
    }
    memset(token, 0, strlen(token));
    memset(hdr, 0, strlen(hdr));
    if (body.data) memset(body.data, 0, body.len);
    buf_free(&body);
    free(token);
    free(hdr);
    free(url);
    return rc;
}
