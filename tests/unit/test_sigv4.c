/* Signature Version 4: every case of the AWS SigV4 test suite
 * (tests/testdata/aws-sigv4-test-suite, one cmocka test per case directory,
 * found at run time), plus the signer on requests the client builds. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "client/client.h"
#include "core/json.h"
#include "core/mem.h"
#include "fake_transport.h"
#include "transport/http.h"
#include "transport/sigv4.h"

#define SUITE "tests/testdata/aws-sigv4-test-suite"

/* ---- files ---------------------------------------------------------------- */

static char *slurp(const char *dir, const char *name, size_t *len) {
    char *path = xasprintf("%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    free(path);
    if (!f) return NULL;
    char *s = NULL;
    size_t n = 0, cap = 0, got;
    do {
        if (cap - n < 4096) s = xrealloc(s, cap = cap * 2 + 4096);
        got = fread(s + n, 1, cap - n - 1, f);
        n += got;
    } while (got);
    fclose(f);
    s[n] = '\0';
    if (len) *len = n;
    return s;
}

/* An expected text without the newline(s) the file may end with. */
static char *expected(const char *dir, const char *name) {
    char *s = slurp(dir, name, NULL);
    if (!s) fail_msg("%s/%s is missing", dir, name);
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

static bool is_dir(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The suite relative to the repository root (make runs tests there), else
 * next to this source file. malloc'd, or NULL when neither exists. */
static char *suite_dir(void) {
    if (is_dir(SUITE)) return xstrdup(SUITE);
    const char *slash = strrchr(__FILE__, '/');
    if (!slash) return NULL;
    char *p = xasprintf("%.*s/../testdata/aws-sigv4-test-suite", (int)(slash - __FILE__), __FILE__);
    if (is_dir(p)) return p;
    free(p);
    return NULL;
}

/* ---- request.txt ---------------------------------------------------------- */

/* Parse a raw HTTP/1.1 request as the suite writes them: the target may
 * hold spaces and raw UTF-8; a line starting with whitespace continues the
 * previous header (kept with its newline, as sent); repeated names stay
 * separate headers; the body follows the first empty line. */
static http_request *parse_request(const char *s, size_t n) {
    const char *end = s + n;
    const char *eol = memchr(s, '\n', n);
    if (!eol) eol = end;
    size_t l = (size_t)(eol - s);
    if (l && s[l - 1] == '\r') l--;
    const char *sp1 = memchr(s, ' ', l);
    const char *sp2 = sp1 ? memrchr(sp1 + 1, ' ', (size_t)(s + l - sp1 - 1)) : NULL;
    assert_non_null(sp1);
    assert_non_null(sp2);
    char *method = xstrndup(s, (size_t)(sp1 - s));
    char *target = xstrndup(sp1 + 1, (size_t)(sp2 - sp1 - 1));
    http_request *r = http_request_new(method, target); /* splits at '?' */
    free(method);
    free(target);
    const char *p = eol < end ? eol + 1 : end;
    while (p < end) {
        eol = memchr(p, '\n', (size_t)(end - p));
        const char *next = eol ? eol + 1 : end;
        if (!eol) eol = end;
        l = (size_t)(eol - p);
        if (l && p[l - 1] == '\r') l--;
        if (l == 0) {
            p = next;
            http_request_set_body(r, p, (size_t)(end - p));
            return r;
        }
        if ((*p == ' ' || *p == '\t') && r->headers.n) {
            http_header *h = &r->headers.v[r->headers.n - 1];
            char *v = xasprintf("%s\n%.*s", h->value, (int)l, p);
            free(h->value);
            h->value = v;
        } else {
            const char *colon = memchr(p, ':', l);
            assert_non_null(colon);
            char *name = xstrndup(p, (size_t)(colon - p));
            char *value = xstrndup(colon + 1, (size_t)(p + l - colon - 1));
            http_headers_add(&r->headers, name, value);
            free(name);
            free(value);
        }
        p = next;
    }
    return r;
}

/* Same request line, body and headers (as a multiset: the order in which
 * the signer appends its headers is not part of the protocol). */
static void assert_same_request(const http_request *got, const http_request *want,
                                const char *name) {
    assert_string_equal(got->method, want->method);
    assert_string_equal(got->path, want->path);
    assert_string_equal(got->query ? got->query : "", want->query ? want->query : "");
    assert_int_equal(got->body_len, want->body_len);
    if (want->body_len) assert_memory_equal(got->body, want->body, want->body_len);
    if (got->headers.n != want->headers.n)
        fail_msg("%s: %zu headers signed, %zu expected", name, got->headers.n, want->headers.n);
    bool *used = xcalloc(got->headers.n + 1, sizeof *used);
    for (size_t i = 0; i < want->headers.n; i++) {
        size_t j = 0;
        for (; j < got->headers.n; j++)
            if (!used[j] && strcasecmp(got->headers.v[j].name, want->headers.v[i].name) == 0 &&
                strcmp(got->headers.v[j].value, want->headers.v[i].value) == 0)
                break;
        if (j == got->headers.n) {
            free(used);
            fail_msg("%s: header %s missing or different", name, want->headers.v[i].name);
        }
        used[j] = true;
    }
    free(used);
}

/* ---- one suite case ------------------------------------------------------- */

static int64_t parse_timestamp(const char *s) {
    struct tm tm = {0};
    const char *end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
    assert_non_null(end);
    return (int64_t)timegm(&tm) * 1000;
}

static void run_case(void **state) {
    const char *dir = *state;
    const char *name = strrchr(dir, '/') + 1;
    size_t len = 0;
    char *ctx_text = slurp(dir, "context.json", &len);
    if (!ctx_text) fail_msg("%s: no context.json", name);
    err e;
    cJSON *ctx = json_parse(ctx_text, len, &e);
    free(ctx_text);
    assert_non_null(ctx);
    cJSON *creds = json_obj(ctx, "credentials");
    aws_credentials cr = {0};
    snprintf(cr.access_key, sizeof cr.access_key, "%s", json_str_or(creds, "access_key_id", ""));
    snprintf(cr.secret_key, sizeof cr.secret_key, "%s",
             json_str_or(creds, "secret_access_key", ""));
    const char *token = json_str_or(creds, "token", "");
    bool omit_token = json_bool_or(ctx, "omit_session_token", false);
    /* omit_session_token: the token is sent but added after signing. */
    if (!omit_token) snprintf(cr.session_token, sizeof cr.session_token, "%s", token);
    sigv4_opts o = {
        .service = json_str(ctx, "service"),
        .region = json_str(ctx, "region"),
        .now_ms = parse_timestamp(json_str_or(ctx, "timestamp", "")),
        .normalize_path = json_bool_or(ctx, "normalize", true),
        .double_encode = strcmp(json_str_or(ctx, "service", ""), "s3") != 0,
        .sign_body = json_bool_or(ctx, "sign_body", false),
    };
    char *raw = slurp(dir, "request.txt", &len);
    if (!raw) fail_msg("%s: no request.txt", name);
    http_request *req = parse_request(raw, len);
    free(raw);

    assert_int_equal(sigv4_sign(req, &cr, &o, &e), 0);
    /* The texts as the signed request explains them (Authorization is no
     * part of them). */
    char *want = expected(dir, "header-canonical-request.txt");
    char *got = sigv4_canonical_request(req, &o);
    if (strcmp(got, want) != 0)
        fail_msg("%s: canonical request\n%s\n--- expected\n%s", name, got, want);
    free(got);
    free(want);
    want = expected(dir, "header-string-to-sign.txt");
    got = sigv4_string_to_sign(req, &o);
    if (strcmp(got, want) != 0)
        fail_msg("%s: string to sign\n%s\n--- expected\n%s", name, got, want);
    free(got);
    free(want);
    if (omit_token && *token) http_headers_add(&req->headers, "X-Amz-Security-Token", token);

    char *signed_text = slurp(dir, "header-signed-request.txt", &len);
    assert_non_null(signed_text);
    http_request *want_req = parse_request(signed_text, len);
    free(signed_text);
    const char *auth = http_headers_get(&req->headers, "Authorization");
    assert_non_null(auth);
    assert_string_equal(auth, http_headers_get(&want_req->headers, "Authorization"));
    want = expected(dir, "header-signature.txt");
    const char *sig = strstr(auth, "Signature=");
    assert_non_null(sig);
    assert_string_equal(sig + strlen("Signature="), want);
    free(want);
    assert_null(strstr(auth, cr.secret_key));
    assert_same_request(req, want_req, name);
    http_request_free(want_req);
    http_request_free(req);
    cJSON_Delete(ctx);
}

/* Stands in for the suite when it cannot be found: that is a failure. */
static void missing_suite_fails(void **state) {
    fail_msg("the SigV4 test suite is missing (" SUITE ")");
}

/* ---- the signer on the client's requests ---------------------------------- */

static const sigv4_opts apigw_opts = {
    .service = "apigateway",
    .region = "us-west-2",
    .now_ms = 1440938160000, /* 2015-08-30T12:36:00Z */
    .normalize_path = true,
    .double_encode = true,
};

static aws_credentials test_creds(void) {
    aws_credentials cr = {0};
    strcpy(cr.access_key, "AKIDEXAMPLE");
    strcpy(cr.secret_key, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    return cr;
}

/* The second line of a canonical request (malloc'd). */
static char *canonical_uri_of(const http_request *r, const sigv4_opts *o) {
    char *c = sigv4_canonical_request(r, o);
    char *nl = strchr(c, '\n');
    assert_non_null(nl);
    char *end = strchr(nl + 1, '\n');
    assert_non_null(end);
    char *uri = xstrndup(nl + 1, (size_t)(end - nl - 1));
    free(c);
    return uri;
}

/* botocore, for GetResources with restApiId "ab c/d+e~f":
 *  - the rest-json serializer renders the non-greedy label {restapi_id}
 *    with percent_encode(value), whose safe set is "-._~": the wire path is
 *    /restapis/ab%20c%2Fd%2Be~f/resources (the client must send the same);
 *  - SigV4Auth then takes urlsplit(url).path, removes dot segments (the
 *    encoded %2F is no separator, so nothing moves) and quotes the result
 *    again with quote(path, safe='/~'): every '%' becomes %25, giving
 *    /restapis/ab%2520c%252Fd%252Be~f/resources. */
static void signs_client_request_like_botocore(void **state) {
    fake_transport *f = fake_transport_new();
    client *c = client_new(&f->base, "us-west-2");
    err e;
    const char *label = "ab c/d+e~f";
    assert_int_equal(client_call_sync(c, APIGW_GetResources, &label, 1, NULL, NULL, NULL, &e), 0);
    http_request *r = f->req[0];
    assert_string_equal(r->path, "/restapis/ab%20c%2Fd%2Be~f/resources");
    http_headers_add(&r->headers, "Host", "apigateway.us-west-2.amazonaws.com");
    aws_credentials cr = test_creds();
    assert_int_equal(sigv4_sign(r, &cr, &apigw_opts, &e), 0);
    char *uri = canonical_uri_of(r, &apigw_opts);
    assert_string_equal(uri, "/restapis/ab%2520c%252Fd%252Be~f/resources");
    free(uri);
    /* The wire path itself stays encoded once. */
    assert_string_equal(r->path, "/restapis/ab%20c%2Fd%2Be~f/resources");
    const char *auth = http_headers_get(&r->headers, "Authorization");
    assert_non_null(auth);
    assert_non_null(strstr(auth,
                           "Credential=AKIDEXAMPLE/20150830/us-west-2/apigateway/aws4_request, "
                           "SignedHeaders=accept;host;x-amz-date, Signature="));
    client_free(c);
    transport_destroy(&f->base);
}

/* S3 style: neither normalised nor encoded again. */
static void s3_path_is_left_alone(void **state) {
    http_request *r = http_request_new("GET", "/a%20b//./c");
    http_headers_add(&r->headers, "Host", "bucket.s3.amazonaws.com");
    sigv4_opts o = apigw_opts;
    o.service = "s3";
    o.normalize_path = false;
    o.double_encode = false;
    char *uri = canonical_uri_of(r, &o);
    assert_string_equal(uri, "/a%20b//./c");
    free(uri);
    o.normalize_path = true;
    o.double_encode = true;
    uri = canonical_uri_of(r, &o);
    assert_string_equal(uri, "/a%2520b/c");
    free(uri);
    http_request_free(r);
}

/* Query values are decoded then encoded again, '+' is literal, empty
 * values are kept, and pairs sort by key then value. */
static void query_is_reencoded_and_sorted(void **state) {
    http_request *r = http_request_new("GET", "/?b=%e1%88%b4&a=x+y&a=&c&d=%7E%2f");
    http_headers_add(&r->headers, "Host", "h");
    http_headers_add(&r->headers, "X-Amz-Date", "20150830T123600Z");
    char *got = sigv4_canonical_request(r, &apigw_opts);
    assert_string_equal(
        got, "GET\n/\na=&a=x%2By&b=%E1%88%B4&c=&d=~%2F\nhost:h\nx-amz-date:20150830T123600Z\n\n"
             "host;x-amz-date\n"
             "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    free(got);
    http_request_free(r);
}

/* Signing twice (a retry) keeps one Authorization and one X-Amz-Date and,
 * at the same time, the same signature; User-Agent is never signed. */
static void resigning_replaces_the_signature(void **state) {
    http_request *r = http_request_new("POST", "/restapis");
    http_headers_add(&r->headers, "Host", "apigateway.us-west-2.amazonaws.com");
    http_headers_add(&r->headers, "User-Agent", "apigw-console");
    http_request_set_body(r, "{}", 2);
    aws_credentials cr = test_creds();
    strcpy(cr.session_token, "TOKEN");
    err e;
    assert_int_equal(sigv4_sign(r, &cr, &apigw_opts, &e), 0);
    char *first = xstrdup(http_headers_get(&r->headers, "Authorization"));
    assert_int_equal(sigv4_sign(r, &cr, &apigw_opts, &e), 0);
    size_t auths = 0, dates = 0, tokens = 0;
    for (size_t i = 0; i < r->headers.n; i++) {
        auths += strcasecmp(r->headers.v[i].name, "Authorization") == 0;
        dates += strcasecmp(r->headers.v[i].name, "X-Amz-Date") == 0;
        tokens += strcasecmp(r->headers.v[i].name, "X-Amz-Security-Token") == 0;
    }
    assert_int_equal(auths, 1);
    assert_int_equal(dates, 1);
    assert_int_equal(tokens, 1);
    assert_string_equal(http_headers_get(&r->headers, "Authorization"), first);
    assert_non_null(strstr(first, "SignedHeaders=host;x-amz-date;x-amz-security-token, "));
    assert_string_equal(http_headers_get(&r->headers, "X-Amz-Date"), "20150830T123600Z");
    /* The body hash ends the canonical request: SHA-256 of "{}". */
    char *canon = sigv4_canonical_request(r, &apigw_opts);
    assert_true(
        strstr(canon, "\n44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a") !=
        NULL);
    free(canon);
    free(first);
    http_request_free(r);
}

static void refuses_without_host_or_credentials(void **state) {
    http_request *r = http_request_new("GET", "/restapis");
    aws_credentials cr = test_creds();
    err e;
    assert_int_equal(sigv4_sign(r, &cr, &apigw_opts, &e), -1);
    assert_string_equal(e.code, "SigningError");
    assert_int_equal(r->headers.n, 0);
    http_headers_add(&r->headers, "Host", "h");
    cr.secret_key[0] = '\0';
    assert_int_equal(sigv4_sign(r, &cr, &apigw_opts, &e), -1);
    assert_null(http_headers_get(&r->headers, "Authorization"));
    http_request_free(r);
}

/* ---- the test list -------------------------------------------------------- */

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void) {
    static const struct CMUnitTest fixed[] = {
        cmocka_unit_test(signs_client_request_like_botocore),
        cmocka_unit_test(s3_path_is_left_alone),
        cmocka_unit_test(query_is_reencoded_and_sorted),
        cmocka_unit_test(resigning_replaces_the_signature),
        cmocka_unit_test(refuses_without_host_or_credentials),
    };
    size_t nfixed = sizeof fixed / sizeof *fixed;
    char *root = suite_dir();
    char **dirs = NULL;
    size_t ndirs = 0;
    DIR *d = root ? opendir(root) : NULL;
    for (struct dirent *de; d && (de = readdir(d));) {
        if (de->d_name[0] == '.') continue;
        char *p = xasprintf("%s/%s", root, de->d_name);
        char *ctx = xasprintf("%s/context.json", p);
        struct stat st;
        if (stat(ctx, &st) == 0) {
            dirs = xrealloc(dirs, (ndirs + 1) * sizeof *dirs);
            dirs[ndirs++] = p;
        } else {
            free(p);
        }
        free(ctx);
    }
    if (d) closedir(d);
    if (ndirs) qsort(dirs, ndirs, sizeof *dirs, by_name);
    struct CMUnitTest *tests = xcalloc(nfixed + ndirs + 1, sizeof *tests);
    memcpy(tests, fixed, sizeof fixed);
    size_t n = nfixed;
    for (size_t i = 0; i < ndirs; i++)
        tests[n++] = (struct CMUnitTest){strrchr(dirs[i], '/') + 1, run_case, NULL, NULL, dirs[i]};
    if (!ndirs)
        tests[n++] =
            (struct CMUnitTest){"sigv4_suite_present", missing_suite_fails, NULL, NULL, NULL};
    int rc = _cmocka_run_group_tests("sigv4", tests, n, NULL, NULL);
    for (size_t i = 0; i < ndirs; i++)
        free(dirs[i]);
    free(dirs);
    free(tests);
    free(root);
    return rc;
}
