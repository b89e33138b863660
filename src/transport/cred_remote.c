/* Credentials served over HTTP: the container endpoint (ECS/EKS) and the EC2
 * instance metadata service, IMDSv2 (session token first). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"
#include "cred_internal.h"

#define CONTAINER_HOST "http://169.254.170.2"

bool cred_container_configured(void) {
    return cred_env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") ||
           cred_env("AWS_CONTAINER_CREDENTIALS_FULL_URI");
}

/* Plain http only to the loopback or the container agents' addresses, as
 * the SDKs allow; https to any host. */
static bool full_uri_allowed(const char *uri) {
    if (strncasecmp(uri, "https://", 8) == 0) return true;
    if (strncasecmp(uri, "http://", 7) != 0) return false;
    const char *h = uri + 7;
    size_t n = strcspn(h, "/?#");
    char host[128];
    snprintf(host, sizeof host, "%.*s", (int)(n < sizeof host - 1 ? n : sizeof host - 1), h);
    char *colon = host[0] == '[' ? strchr(host, ']') : strrchr(host, ':');
    if (colon && host[0] == '[')
        colon[1] = '\0';
    else if (colon)
        *colon = '\0';
    static const char *const ok[] = {"localhost", "[::1]", "169.254.170.2", "169.254.170.23",
                                     "[fd00:ec2::23]"};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        if (strcasecmp(host, ok[i]) == 0) return true;
    return strncmp(host, "127.", 4) == 0;
}

/* AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE wins over _TOKEN (malloc'd, "" when none). */
static char *container_token(err *e) {
    const char *file = cred_env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    if (!file)
        return xstrdup(cred_env("AWS_CONTAINER_AUTHORIZATION_TOKEN")
                           ? cred_env("AWS_CONTAINER_AUTHORIZATION_TOKEN")
                           : "");
    FILE *f = fopen(file, "r");
    if (!f) {
        err_set(e, 0, "", "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
        return NULL;
    }
    char tok[4096] = "";
    size_t n = fread(tok, 1, sizeof tok - 1, f);
    fclose(f);
    tok[n] = '\0';
    while (n > 0 && (tok[n - 1] == '\n' || tok[n - 1] == '\r' || tok[n - 1] == ' '))
        tok[--n] = '\0';
    return xstrdup(tok);
}

int cred_container_get(const cred_ctx *x, aws_credentials *out, err *e) {
    const char *rel = cred_env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    char *url = rel ? xasprintf("%s%s%s", CONTAINER_HOST, rel[0] == '/' ? "" : "/", rel)
                    : xstrdup(cred_env("AWS_CONTAINER_CREDENTIALS_FULL_URI"));
    if (!rel && !full_uri_allowed(url)) {
        free(url);
        return err_set(e, 0, "",
                       "AWS_CONTAINER_CREDENTIALS_FULL_URI must use https, or http to a "
                       "loopback or container agent address");
    }
    char *tok = container_token(e);
    if (!tok || strpbrk(tok, "\r\n")) {
        free(url);
        free(tok);
        return tok ? err_set(e, 0, "", "the container authorization token contains a line break")
                   : -1;
    }
    char *auth = *tok ? xasprintf("Authorization: %s", tok) : NULL;
    const char *hdrs[] = {"Accept: application/json", auth, NULL};
    cred_http_req r = {.method = "GET",
                       .url = url,
                       .headers = hdrs,
                       .connect_timeout_ms = 1000,
                       .total_timeout_ms = 2000,
                       .attempts = 2,
                       .no_proxy = true,
                       .cancel = x ? x->cancel : NULL};
    buf body = BUF_INIT;
    int status = 0, rc = cred_http(&r, &status, &body, e);
    if (rc == 0 && status != 200)
        rc = err_set(e, status, "", "the container credentials endpoint answered HTTP %d", status);
    else if (rc == 0 && cred_from_json(body.data, body.len, "Token", out) != 0)
        rc = err_set(e, 0, "", "the container credentials endpoint returned no usable credentials");
    if (auth) memset(auth, 0, strlen(auth));
    memset(tok, 0, strlen(tok));
    if (body.data) memset(body.data, 0, body.len);
    free(auth);
    free(tok);
    free(url);
    buf_free(&body);
    return rc;
}

bool cred_imds_disabled(void) {
    const char *v = getenv("AWS_EC2_METADATA_DISABLED");
    return v && strcasecmp(v, "true") == 0;
}

static char *imds_base(void) {
    const char *v = cred_env("AWS_EC2_METADATA_SERVICE_ENDPOINT");
    const char *mode = cred_env("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE");
    if (!v)
        v = mode && strcasecmp(mode, "IPv6") == 0 ? "http://[fd00:ec2::254]"
                                                  : "http://169.254.169.254";
    size_t n = strlen(v);
    while (n > 0 && v[n - 1] == '/')
        n--;
    return xstrndup(v, n);
}

/* One IMDS call: 1 s timeouts and two attempts, as the SDKs. */
static int imds_call(const cred_ctx *x, const char *method, const char *path, const char *header,
                     buf *out, err *e) {
    char *base = imds_base(), *url = xasprintf("%s%s", base, path);
    const char *hdrs[] = {header, NULL};
    cred_http_req r = {.method = method,
                       .url = url,
                       .headers = hdrs,
                       .connect_timeout_ms = 1000,
                       .total_timeout_ms = 1000,
                       .attempts = 2,
                       .no_proxy = true,
                       .cancel = x ? x->cancel : NULL};
    int status = 0, rc = cred_http(&r, &status, out, e);
    if (rc == 0 && status != 200)
        rc = err_set(e, status, "", "instance metadata answered HTTP %d", status);
    free(base);
    free(url);
    return rc;
}

/* The session token header for the calls that follow (malloc'd), or NULL. */
static char *imds_token(const cred_ctx *x, err *e) {
    buf tok = BUF_INIT;
    char *hdr = NULL;
    if (imds_call(x, "PUT", "/latest/api/token", "X-aws-ec2-metadata-token-ttl-seconds: 21600",
                  &tok, e) == 0) {
        if (tok.data && tok.len && !strpbrk(tok.data, "\r\n"))
            hdr = xasprintf("X-aws-ec2-metadata-token: %s", tok.data);
        else
            err_set(e, 0, "", "instance metadata returned no session token");
    }
    buf_free(&tok);
    return hdr;
}

static int imds_role_credentials(const cred_ctx *x, const char *hdr, aws_credentials *out, err *e) {
    buf b = BUF_INIT;
    int rc = imds_call(x, "GET", "/latest/meta-data/iam/security-credentials/", hdr, &b, e);
    char *role = NULL;
    if (rc == 0) {
        role = xstrndup(b.data ? b.data : "", b.data ? strcspn(b.data, "\r\n") : 0);
        if (!*role || strpbrk(role, "/?#% "))
            rc = err_set(e, 0, "", "the instance has no IAM role");
    }
    if (rc == 0) {
        char *path = xasprintf("/latest/meta-data/iam/security-credentials/%s", role);
        rc = imds_call(x, "GET", path, hdr, &b, e);
        free(path);
    }
    if (rc == 0) {
        cJSON *doc = cJSON_ParseWithLength(b.data ? b.data : "", b.len);
        const char *code = json_str(doc, "Code");
        if ((code && strcmp(code, "Success") != 0) ||
            cred_from_json(b.data, b.len, "Token", out) != 0)
            rc = err_set(e, 0, "", "instance metadata returned no usable credentials");
        cJSON_Delete(doc);
    }
    if (b.data) memset(b.data, 0, b.len);
    buf_free(&b);
    free(role);
    return rc;
}

int cred_imds_get(const cred_ctx *x, aws_credentials *out, err *e) {
    char *hdr = imds_token(x, e);
    if (!hdr) return -1;
    int rc = imds_role_credentials(x, hdr, out, e);
    free(hdr);
    return rc;
}

char *cred_imds_region(err *e) {
    char *hdr = imds_token(NULL, e);
    if (!hdr) return NULL;
    buf b = BUF_INIT;
    char *region = NULL;
    if (imds_call(NULL, "GET", "/latest/meta-data/placement/region", hdr, &b, e) == 0 && b.data &&
        b.len) {
        region = text_sanitize(b.data);
        region[strcspn(region, "\r\n ")] = '\0';
    }
    free(hdr);
    buf_free(&b);
    return region;
}
