/* The credential chain, region and endpoint resolution. Every source is
 * exercised from fixture files (tests/testdata/credentials and files written
 * into a temporary HOME), the environment, and the fake services of
 * support/cred_fake on 127.0.0.1 (STS, the SSO portal, the container
 * endpoint, IMDSv2): the instance metadata endpoint always points at the
 * fake, so 169.254.169.254 is never tried, and it is disabled unless a test
 * is about it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <errno.h>
#include <ftw.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../../src/transport/cred_internal.h"
#include "core/buf.h"
#include "core/mem.h"
#include "cred_fake.h"
#include "transport/credentials.h"

#define FIXDIR "tests/testdata/credentials"
#define MIN_MS (60 * 1000LL)
#define HOUR_MS (3600 * 1000LL)
#define T0_MS 1714564800000LL /* 2024-05-01T12:00:00Z */

typedef cred_fake fake;
#define fake_count cred_fake_count

/* ---- per-test world: saved environment, a temporary HOME, the fake ---- */

static const char *const VARS[] = {"AWS_ACCESS_KEY_ID",
                                   "AWS_SECRET_ACCESS_KEY",
                                   "AWS_SESSION_TOKEN",
                                   "AWS_PROFILE",
                                   "AWS_SHARED_CREDENTIALS_FILE",
                                   "AWS_CONFIG_FILE",
                                   "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                                   "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                                   "AWS_CONTAINER_AUTHORIZATION_TOKEN",
                                   "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                                   "AWS_EC2_METADATA_DISABLED",
                                   "AWS_EC2_METADATA_SERVICE_ENDPOINT",
                                   "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
                                   "AWS_REGION",
                                   "AWS_DEFAULT_REGION",
                                   "AWS_ENDPOINT_URL",
                                   "AWS_ENDPOINT_URL_STS",
                                   "AWS_ENDPOINT_URL_API_GATEWAY",
                                   "AWS_ENDPOINT_URL_LAMBDA",
                                   "AWS_ENDPOINT_URL_SSO",
                                   "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
                                   "AWS_WEB_IDENTITY_TOKEN_FILE",
                                   "AWS_ROLE_ARN",
                                   "AWS_ROLE_SESSION_NAME",
                                   "HOME",
                                   "http_proxy",
                                   "HTTP_PROXY",
                                   "https_proxy",
                                   "HTTPS_PROXY",
                                   "all_proxy",
                                   "ALL_PROXY"};
#define NVARS (sizeof VARS / sizeof *VARS)

typedef struct world {
    char *saved[NVARS];
    char home[64];
    char fix[4096]; /* absolute fixture directory */
    char base[64];  /* http://127.0.0.1:PORT */
    fake_clock clock;
    fake srv;
} world;

static int setup(void **state) {
    world *w = xcalloc(1, sizeof *w);
    for (size_t i = 0; i < NVARS; i++) {
        const char *v = getenv(VARS[i]);
        w->saved[i] = v ? xstrdup(v) : NULL;
        unsetenv(VARS[i]);
    }
    snprintf(w->home, sizeof w->home, "/tmp/cred-test-XXXXXX");
    assert_non_null(mkdtemp(w->home));
    setenv("HOME", w->home, 1);
    assert_non_null(realpath(FIXDIR, w->fix));
    w->clock.ms = T0_MS;
    assert_int_equal(cred_fake_start(&w->srv, &w->clock.ms), 0);
    snprintf(w->base, sizeof w->base, "http://127.0.0.1:%d", w->srv.port);
    /* Never the real instance metadata address, even when a test enables it. */
    setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", w->base, 1);
    setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    *state = w;
    return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    return remove(path);
}

static int teardown(void **state) {
    world *w = *state;
    cred_fake_stop(&w->srv);
    nftw(w->home, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    for (size_t i = 0; i < NVARS; i++) {
        if (w->saved[i])
            setenv(VARS[i], w->saved[i], 1);
        else
            unsetenv(VARS[i]);
        free(w->saved[i]);
    }
    free(w);
    return 0;
}

static void use_fixtures(const world *w) {
    char p[4200];
    snprintf(p, sizeof p, "%s/credentials", w->fix);
    setenv("AWS_SHARED_CREDENTIALS_FILE", p, 1);
    snprintf(p, sizeof p, "%s/config", w->fix);
    setenv("AWS_CONFIG_FILE", p, 1);
}

/* Write a config file into the temporary HOME and point AWS_CONFIG_FILE at it. */
static void write_config(const world *w, const char *text) {
    char p[128];
    snprintf(p, sizeof p, "%s/config", w->home);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    setenv("AWS_CONFIG_FILE", p, 1);
}

static cred_chain *chain(world *w, const char *profile) {
    cred_opts o = {.profile = profile, .clock = clock_fake(&w->clock)};
    return cred_chain_new(&o);
}

/* Write a file into the temporary HOME (creating its directories); the
 * full path goes into out. */
static void write_home_file(const world *w, const char *rel, const char *text, char *out,
                            size_t cap) {
    char p[512];
    snprintf(p, sizeof p, "%s/%s", w->home, rel);
    for (char *s = strchr(p + strlen(w->home) + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = '\0';
        mkdir(p, 0700);
        *s = '/';
    }
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    if (out) snprintf(out, cap, "%s", p);
}

/* Resolve once; 0 or -1, with the error text in e. */
static int get(world *w, const char *profile, aws_credentials *out, err *e) {
    cred_chain *c = chain(w, profile);
    int rc = cred_chain_get(c, out, e);
    cred_chain_free(c);
    return rc;
}

/* ---- environment and profiles ---- */

static void environment_comes_first(void **state) {
    world *w = *state;
    use_fixtures(w);
    setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "envSecret", 1);
    setenv("AWS_SESSION_TOKEN", "envToken", 1);
    setenv("AWS_PROFILE", "dev", 1);
    aws_credentials cr;
    err e = {0};
    assert_int_equal(get(w, NULL, &cr, &e), 0);
    assert_string_equal(cr.access_key, "AKIDENV");
    assert_string_equal(cr.secret_key, "envSecret");
    assert_string_equal(cr.session_token, "envToken");
    assert_int_equal(cr.expires_ms, 0);
    assert_string_equal(cr.source, "environment");

    /* A profile named explicitly (--profile) wins over the environment's
     * keys, as in botocore (AWS_PROFILE does not). */
    assert_int_equal(get(w, "dev", &cr, &e), 0);
    assert_string_equal(cr.access_key, "AKIDDEV");
    assert_int_equal(get(w, "nosuch", &cr, &e), -1);
    assert_non_null(strstr(
        e.msg,
        "no credentials: tried environment (skipped: a profile was named), profile nosuch ("));
    assert_null(strstr(e.msg, "web identity"));

    unsetenv("AWS_SECRET_ACCESS_KEY"); /* half set: an error, not a silent fall-through */
    assert_int_equal(get(w, NULL, &cr, &e), -1);
    assert_non_null(strstr(e.msg, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"));
    assert_null(strstr(e.msg, "AKIDENV"));
}

static void profile_from_credentials_file(void **state) {
    world *w = *state;
    use_fixtures(w);
    aws_credentials cr;
    err e = {0};
    assert_int_equal(get(w, NULL, &cr, &e), 0);
    assert_string_equal(cr.access_key, "AKIDDEFAULT");
    assert_string_equal(cr.secret_key, "defaultSecret");
    assert_string_equal(cr.session_token, "");
    assert_string_equal(cr.source, "profile default");

    setenv("AWS_PROFILE", "dev", 1);
    assert_int_equal(get(w, NULL, &cr, &e), 0);
    assert_string_equal(cr.access_key, "AKIDDEV");
    assert_string_equal(cr.session_token, "devToken"); /* key names are case-insensitive */
    assert_string_equal(cr.source, "profile dev");

    /* --profile beats AWS_PROFILE. */
    assert_int_equal(get(w, "cfgonly", &cr, &e), 0);
    assert_string_equal(cr.access_key, "AKIDCFG");
}

static void credentials_file_wins_over_config(void **state) {
    world *w = *state;
    use_fixtures(w);
    aws_credentials cr;
    err e = {0};
    assert_int_equal(get(w, "both", &cr, &e), 0);
    assert_string_equal(cr.access_key, "AKIDBOTHCREDS");

    assert_int_equal(get(w, "partial", &cr, &e), -1);
    assert_non_null(
        strstr(e.msg, "profile partial has aws_access_key_id but not aws_secret_access_key"));
    assert_null(strstr(e.msg, "AKIDPARTIAL"));

    /* "[notaprofile]" in the config file is not a profile. */
    assert_int_equal(get(w, "notaprofile", &cr, &e), -1);
    assert_non_null(strstr(e.msg, "profile notaprofile ("));
    assert_null(strstr(e.msg, "notAProfileSecret"));
}

static void no_credentials_lists_sources(void **state) {
    world *w = *state;
    aws_credentials cr;
    err e = {0};
    assert_int_equal(get(w, NULL, &cr, &e), -1);
    assert_string_equal(
        e.msg, "no credentials: tried environment, web identity (AWS_WEB_IDENTITY_TOKEN_FILE "
               "not set), profile default (~/.aws/credentials and ~/.aws/config have no such "
               "profile), container (not configured), instance metadata (disabled)");
    assert_int_equal(fake_count(&w->srv), 0); /* disabled means no request at all */

    use_fixtures(w);
    write_config(w, "[profile empty]\nregion = us-east-1\n");
    assert_int_equal(get(w, "empty", &cr, &e), -1);
    assert_non_null(strstr(e.msg, "profile empty (no credentials in it)"));
    assert_int_equal(fake_count(&w->srv), 0);
}

static void ini_parsing(void **state) {
    cred_ini ini = {0};
    cred_ini_parse(
        &ini,
        "# comment\n[default]\nregion=us-east-1\n[profile a b]\nKey : v # not a comment\n"
        "[plain]\nx = 1\n[profile  spaced ]\ns3 =\n  region = nested\nregion = top\r\n"
        "orphan\n[broken\ny = 2\n",
        true);
    assert_string_equal(cred_ini_get(cred_ini_section(&ini, "default"), "region"), "us-east-1");
    assert_string_equal(cred_ini_get(cred_ini_section(&ini, "a b"), "key"), "v # not a comment");
    assert_null(cred_ini_section(&ini, "plain")); /* config sections need "profile " */
    const cred_section *s = cred_ini_section(&ini, "spaced");
    assert_non_null(s);
    assert_string_equal(cred_ini_get(s, "region"),
                        "top"); /* the nested value is not the profile's */
    assert_string_equal(cred_ini_get(s, "s3"), "");
    assert_string_equal(cred_ini_get(s, "s3.region"), "nested"); /* kept under its parent */
    assert_null(cred_ini_section(&ini, "broken"));
    cred_ini_free(&ini);

    /* sso-session and services sections are not profiles; nested keys are
     * case-insensitive like the others. */
    cred_ini_parse(
        &ini,
        "[sso-session corp]\nsso_region = us-east-1\n[services local]\napi_gateway =\n"
        "  Endpoint_URL = http://127.0.0.1:1\nlambda =\n\tendpoint_url = http://127.0.0.1:2\n"
        "[profile corp]\nregion = x\n",
        true);
    assert_string_equal(
        cred_ini_get(cred_ini_find(&ini, CRED_SEC_SSO_SESSION, "corp"), "sso_region"), "us-east-1");
    assert_string_equal(cred_ini_get(cred_ini_section(&ini, "corp"), "region"), "x");
    assert_null(cred_ini_get(cred_ini_section(&ini, "corp"), "sso_region"));
    const cred_section *sv = cred_ini_find(&ini, CRED_SEC_SERVICES, "local");
    assert_string_equal(cred_ini_get(sv, "api_gateway.endpoint_url"), "http://127.0.0.1:1");
    assert_string_equal(cred_ini_get(sv, "lambda.endpoint_url"), "http://127.0.0.1:2");
    assert_null(cred_ini_section(&ini, "local"));
    cred_ini_free(&ini);

    cred_ini_parse(&ini, "[profile x]\na=1\n[x]\nb=2\n", false);
    assert_non_null(cred_ini_section(&ini, "profile x")); /* no prefix handling in credentials */
    assert_string_equal(cred_ini_get(cred_ini_section(&ini, "x"), "b"), "2");
    cred_ini_free(&ini);

    int64_t ms;
    assert_int_equal(cred_parse_time("2024-05-01T12:00:00Z", &ms), 0);
    assert_int_equal(ms, T0_MS);
    assert_int_equal(cred_parse_time("2024-05-01T14:00:00.250+02:00", &ms), 0);
    assert_int_equal(ms, T0_MS + 250);
    assert_int_equal(cred_parse_time("2024-05-01 12:00:00", &ms), -1);
    assert_int_equal(cred_parse_time("2024-05-01T12:00:00Zjunk", &ms), -1);
}

/* ---- credential_process ---- */

static void write_process_config(const world *w) {
    char *text =
        xasprintf("[profile proc]\ncredential_process = sh '%s/process.sh' ok\n"
                  "[profile procstatic]\ncredential_process = sh '%s/process.sh' static\n"
                  "aws_access_key_id = AKIDCONFIGLOSES\naws_secret_access_key = configLosesSecret\n"
                  "[profile procbeatsconfig]\ncredential_process = sh '%s/process.sh' static\n"
                  "aws_access_key_id = AKIDCONFIGLOSES\naws_secret_access_key = configLosesSecret\n"
                  "[profile fail]\ncredential_process = sh '%s/process.sh' fail\n"
                  "[profile bad]\ncredential_process = sh '%s/process.sh' bad\n"
                  "[profile v2]\ncredential_process = sh '%s/process.sh' v2\n"
                  "[profile missing]\ncredential_process = /nonexistent/helper --flag\n",
                  w->fix, w->fix, w->fix, w->fix, w->fix, w->fix);
    write_config(w, text);
    free(text);
    char p[4200];
    snprintf(p, sizeof p, "%s/credentials", w->fix);
    setenv("AWS_SHARED_CREDENTIALS_FILE", p, 1);
}

static void process_success(void **state) {
    world *w = *state;
    write_process_config(w);
    aws_credentials cr;
    err e = {0};
    assert_int_equal(get(w, "proc", &cr, &e), 0);
    assert_string_equal(cr.access_key, "AKIDPROC");
    assert_string_equal(cr.secret_key, "procSecret");
    assert_string_equal(cr.session_token, "procToken");
    assert_int_equal(cr.expires_ms, 1893456000000LL); /* 2030-01-01T00:00:00Z */
    assert_string_equal(cr.source, "profile proc (credential_process)");

    /* Keys in the credentials file beat the process; the process beats the config file's keys. */
    assert_int_equal(get(w, "procstatic", &cr, &e), 0);
    assert_string_equal(cr.access_key, "AKIDBEATSPROCESS");
    assert_int_equal(get(w, "procbeatsconfig", &cr, &e), 0);
    assert_string_equal(cr.access_key, "AKIDPROCSTATIC");
    assert_int_equal(cr.expires_ms, 0);
}

static void process_failures_hide_output(void **state) {
    world *w = *state;
    write_process_config(w);
    aws_credentials cr;
    err e = {0};
    assert_int_equal(get(w, "fail", &cr, &e), -1);
    assert_string_equal(e.msg,
                        "credential_process of profile fail exited with status 3; its stderr says: "
                        "token expired: run the login command");
    assert_null(strstr(e.msg, "leakedSecret"));

    assert_int_equal(get(w, "bad", &cr, &e), -1);
    assert_string_equal(
        e.msg, "credential_process of profile bad did not print a JSON document (its output "
               "is not shown: it may hold secrets)");

    assert_int_equal(get(w, "v2", &cr, &e), -1);
    assert_string_equal(
        e.msg, "credential_process of profile v2 printed an unsupported Version; the supported "
               "version is \"Version\": 1");

    assert_int_equal(get(w, "missing", &cr, &e), -1);
    assert_non_null(strstr(e.msg, "exited with status 127"));
}

/* ---- role_arn through the fake STS ---- */

static void write_role_config(const world *w) {
    write_config(
        w,
        "[profile role]\nrole_arn = arn:aws:iam::123456789012:role/console\n"
        "source_profile = dev\nrole_session_name = console-test\nexternal_id = ext-123\n"
        "duration_seconds = 900\nregion = eu-west-1\n"
        "[profile chained]\nrole_arn = arn:aws:iam::123456789012:role/second\n"
        "source_profile = role\n"
        "[profile self]\nrole_arn = arn:aws:iam::123456789012:role/self\nsource_profile = self\n"
        "aws_access_key_id = AKIDSELF\naws_secret_access_key = selfSecret\n"
        "[profile denied]\nrole_arn = arn:aws:iam::123456789012:role/denied\nsource_profile = dev\n"
        "[profile cycle-a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = cycle-b\n"
        "[profile cycle-b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = cycle-a\n"
        "[profile nosource]\nrole_arn = arn:aws:iam::1:role/x\n");
    char p[4200];
    snprintf(p, sizeof p, "%s/credentials", w->fix);
    setenv("AWS_SHARED_CREDENTIALS_FILE", p, 1);
}

static void assume_role_signed_request(void **state) {
    world *w = *state;
    write_role_config(w);
    setenv("AWS_ENDPOINT_URL_STS", w->base, 1);
    setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1", 1); /* the service-specific one wins */
    aws_credentials cr;
    err e = {0};
    assert_int_equal(get(w, "role", &cr, &e), 0);
    assert_string_equal(cr.access_key, "ASIASTS1");
    assert_string_equal(cr.secret_key, "stsSecret1");
    assert_string_equal(cr.session_token, "stsToken&1"); /* XML entities decoded */
    assert_int_equal(cr.expires_ms, T0_MS + HOUR_MS);
    assert_string_equal(cr.source, "profile role (assumed role)");

    const char *req = w->srv.last_sts;
    assert_non_null(strstr(req, "Action=AssumeRole&Version=2011-06-15"));
    assert_non_null(strstr(req, "RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fconsole"));
    assert_non_null(strstr(req, "RoleSessionName=console-test"));
    assert_non_null(strstr(req, "ExternalId=ext-123"));
    assert_non_null(strstr(req, "DurationSeconds=900"));
    /* Signed with the source profile's keys, for sts in the profile's region. */
    assert_non_null(strcasestr(req, "\r\nAuthorization: AWS4-HMAC-SHA256 "
                                    "Credential=AKIDDEV/20240501/eu-west-1/sts/aws4_request"));
    assert_non_null(strcasestr(req, "\r\nX-Amz-Security-Token: devToken\r\n"));
    assert_non_null(strcasestr(req, "\r\nX-Amz-Date: 20240501T120000Z\r\n"));
    assert_null(strstr(req, "devSecret"));
}

/* botocore's windows: more than 15 minutes left, the cache answers; 10 to
 * 15 minutes, a background refresh; under 10, the caller waits. */
static void assume_role_cached_then_refreshed(void **state) {
    world *w = *state;
    write_role_config(w);
    unsetenv("AWS_ENDPOINT_URL_STS");
    setenv("AWS_ENDPOINT_URL", w->base, 1);
    cred_chain *c = chain(w, "role");
    aws_credentials cr;
    err e = {0};
    assert_int_equal(cred_chain_get(c, &cr, &e), 0);
    assert_string_equal(cr.access_key, "ASIASTS1");
    w->clock.ms += 44 * MIN_MS; /* 16 minutes left: still good */
    assert_int_equal(cred_chain_get(c, &cr, &e), 0);
    assert_string_equal(cr.access_key, "ASIASTS1");
    assert_int_equal(cred_fake_sts_calls(&w->srv), 1);

    w->clock.ms += 2 * MIN_MS; /* 14 minutes left: the old ones now, a refresh behind */
    assert_int_equal(cred_chain_get(c, &cr, &e), 0);
    assert_string_equal(cr.access_key, "ASIASTS1");
    cred_chain_settle(c);
    assert_int_equal(cred_fake_sts_calls(&w->srv), 2);
    assert_int_equal(cred_chain_get(c, &cr, &e), 0);
    assert_string_equal(cr.access_key, "ASIASTS2");
    assert_int_equal(cr.expires_ms, w->clock.ms + HOUR_MS);
    cred_chain_settle(c);
    assert_int_equal(cred_fake_sts_calls(&w->srv), 2);

    w->clock.ms += 52 * MIN_MS; /* 8 minutes left: the caller waits for new ones */
    assert_int_equal(cred_chain_get(c, &cr, &e), 0);
    assert_string_equal(cr.access_key, "ASIASTS3");
    assert_int_equal(cred_fake_sts_calls(&w->srv), 3);

    /* STS unreachable: still valid credentials stay in use until they expire. */
    setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1", 1);
    w->clock.ms += 56 * MIN_MS;
    assert_int_equal(cred_chain_get(c, &cr, &e), 0);
    assert_string_equal(cr.access_key, "ASIASTS3");
    w->clock.ms += 5 * MIN_MS;
    assert_int_equal(cred_chain_get(c, &cr, &e), -1);
    assert_non_null(strstr(e.msg, "STS AssumeRole failed"));
    cred_chain_free(c);
}

static void role_chains_and_cycles(void **state) {
    world *w = *state;
    write_role_config(w);
    setenv("AWS_ENDPOINT_URL_STS", w->base, 1);
    aws_credentials cr;
    err e = {0};
    /* chained -> role -> dev: two AssumeRole calls, the second signed by the first's result. */
    assert_int_equal(get(w, "chained", &cr, &e), 0);
    assert_int_equal(w->srv.sts_calls, 2);
    assert_string_equal(cr.access_key, "ASIASTS2");
    assert_non_null(strstr(w->srv.last_sts, "Credential=ASIASTS1/"));
    assert_non_null(strstr(w->srv.last_sts, "role%2Fsecond"));

    /* A profile may name itself when it holds static keys. */
    assert_int_equal(get(w, "self", &cr, &e), 0);
    assert_non_null(strstr(w->srv.last_sts, "Credential=AKIDSELF/"));
    assert_int_equal(w->srv.sts_calls, 3);

    assert_int_equal(get(w, "cycle-a", &cr, &e), -1);
    assert_string_equal(e.msg, "source_profile cycle: cycle-a -> cycle-b -> cycle-a");
    assert_int_equal(get(w, "nosource", &cr, &e), -1);
    assert_non_null(strstr(e.msg, "no source_profile or credential_source"));
    assert_int_equal(w->srv.sts_calls, 3);

    assert_int_equal(get(w, "denied", &cr, &e), -1);
    assert_int_equal(e.status, 403);
    assert_string_equal(e.code, "AccessDenied");
    assert_non_null(strstr(e.msg, "User is not authorized to perform: sts:AssumeRole"));
}

/* ---- container credentials ---- */

static void container_full_uri(void **state) {
    world *w = *state;
    char uri[128];
    snprintf(uri, sizeof uri, "%s/creds/v2", w->base);
    setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri, 1);
    setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "secret-auth", 1);
    w->srv.container_token = "secret-auth";
    aws_credentials cr;
    err e = {0};
    assert_int_equal(get(w, NULL, &cr, &e), 0);
    assert_string_equal(cr.access_key, "ASIACONTAINER");
    assert_string_equal(cr.session_token, "containerToken");
    assert_int_equal(cr.expires_ms, T0_MS + HOUR_MS);
    assert_string_equal(cr.source, "container");

    /* The token file wins over the variable. */
    char p[128];
    snprintf(p, sizeof p, "%s/token", w->home);
    FILE *f = fopen(p, "w");
    fputs("file-auth\n", f);
    fclose(f);
    setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", p, 1);
    assert_int_equal(get(w, NULL, &cr, &e), -1);
    assert_int_equal(e.status, 401);
    assert_null(strstr(e.msg, "auth"));
    w->srv.container_token = "file-auth";
    assert_int_equal(get(w, NULL, &cr, &e), 0);
    assert_string_equal(cr.access_key, "ASIACONTAINER");

    /* A profile comes before the container. */
    use_fixtures(w);
    assert_int_equal(get(w, NULL, &cr, &e), 0);
    assert_string_equal(cr.access_key, "AKIDDEFAULT");
}

static void container_rejects_remote_http(void **state) {
    world *w = *state;
    setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://192.0.2.1/creds", 1);
    aws_credentials cr;
    err e = {0};
    assert_int_equal(get(w, NULL, &cr, &e), -1);
    assert_non_null(strstr(e.msg, "must use https, or http to a loopback"));
    assert_int_equal(fake_count(&w->srv), 0);
}

/* The container comes before instance metadata, which is then not asked. */
static void container_before_imds(void **state) {
    world *w = *state;
    unsetenv("AWS_EC2_METADATA_DISABLED");
    char uri[128];
    snprintf(uri, sizeof uri, "%s/creds", w->base);
    setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri, 1);
    aws_credentials cr;
    err e = {0};
    assert_int_equal(get(w, NULL, &cr, &e), 0);
    assert_string_equal(cr.source, "container");
    assert_string_equal(w->srv.trace, "GET /creds;");
}

/* ---- IMDSv2 ---- */

static void imds_v2_credentials(void **state) {
    world *w = *state;
    unsetenv("AWS_EC2_METADATA_DISABLED");
    cred_chain *c = chain(w, NULL);
    aws_credentials cr;
    err e = {0};
    assert_int_equal(cred_chain_get(c, &cr, &e), 0);
    assert_string_equal(cr.access_key, "ASIAIMDS");
    assert_string_equal(cr.secret_key, "imdsSecret");
    assert_string_equal(cr.session_token, "imdsToken");
    assert_int_equal(cr.expires_ms, T0_MS + 6 * HOUR_MS);
    assert_string_equal(cr.source, "instance metadata");
    assert_string_equal(w->srv.trace,
                        "PUT /latest/api/token;GET /latest/meta-data/iam/security-credentials/;"
                        "GET /latest/meta-data/iam/security-credentials/imds-role;");
    assert_int_equal(w->srv.unauthorized, 0);

    /* Cached for hours; refreshed in the background fifteen minutes before the end. */
    w->clock.ms += 5 * HOUR_MS + 44 * MIN_MS;
    assert_int_equal(cred_chain_get(c, &cr, &e), 0);
    assert_int_equal(fake_count(&w->srv), 3);
    w->clock.ms += 2 * MIN_MS;
    assert_int_equal(cred_chain_get(c, &cr, &e), 0);
    assert_int_equal(cr.expires_ms, T0_MS + 6 * HOUR_MS);
    cred_chain_settle(c);
    assert_int_equal(fake_count(&w->srv), 6);
    assert_int_equal(cred_chain_get(c, &cr, &e), 0);
    assert_int_equal(cr.expires_ms, w->clock.ms + 6 * HOUR_MS);
    cred_chain_free(c);

    /* The fake insists on the token, as IMDSv2 does. */
    char url[128];
    snprintf(url, sizeof url, "%s/latest/meta-data/iam/security-credentials/", w->base);
    cred_http_req r = {
        .method = "GET", .url = url, .connect_timeout_ms = 1000, .total_timeout_ms = 2000};
    buf b = BUF_INIT;
    int status = 0;
    assert_int_equal(cred_http(&r, &status, &b, &e), 0);
    assert_int_equal(status, 401);
    buf_free(&b);
}

static void imds_unreachable_is_not_fatal(void **state) {
    world *w = *state;
    unsetenv("AWS_EC2_METADATA_DISABLED");
    setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1/", 1);
    aws_credentials cr;
    err e = {0};
    assert_int_equal(get(w, NULL, &cr, &e), -1);
    assert_non_null(strstr(e.msg, "container (not configured), instance metadata ("));
    assert_null(strstr(e.msg, "(disabled)"));
}

/* ---- region and endpoints ---- */

static void region_order(void **state) {
    world *w = *state;
    use_fixtures(w);
    err e = {0};
    char *r = aws_region_resolve("ap-south-1", NULL, &e);
    assert_string_equal(r, "ap-south-1");
    free(r);
    setenv("AWS_REGION", "sa-east-1", 1);
    setenv("AWS_DEFAULT_REGION", "us-east-2", 1);
    r = aws_region_resolve(NULL, NULL, &e);
    assert_string_equal(r, "sa-east-1");
    free(r);
    unsetenv("AWS_REGION");
    r = aws_region_resolve(NULL, NULL, &e);
    assert_string_equal(r, "us-east-2");
    free(r);
    unsetenv("AWS_DEFAULT_REGION");
    r = aws_region_resolve(NULL, NULL, &e);
    assert_string_equal(r, "us-west-2");
    free(r);
    r = aws_region_resolve(NULL, "dev", &e);
    assert_string_equal(r, "eu-central-1"); /* not the nested s3 region */
    free(r);
    setenv("AWS_PROFILE", "cfgonly", 1);
    r = aws_region_resolve(NULL, NULL, &e);
    assert_string_equal(r, "ap-southeast-2");
    free(r);

    /* Nowhere, with instance metadata disabled: no request. */
    assert_null(aws_region_resolve(NULL, "both", &e));
    assert_non_null(strstr(
        e.msg, "no region: tried --region, AWS_REGION, AWS_DEFAULT_REGION, profile both in "));
    assert_non_null(strstr(e.msg, "instance metadata (disabled)"));
    assert_int_equal(fake_count(&w->srv), 0);

    unsetenv("AWS_EC2_METADATA_DISABLED");
    r = aws_region_resolve(NULL, "both", &e);
    assert_string_equal(r, "eu-west-3");
    free(r);
    assert_int_equal(w->srv.unauthorized, 0);

    assert_null(aws_region_resolve("evil.example.com/", NULL, &e));
    assert_non_null(strstr(e.msg, "--region is not a region name"));
}

static void endpoint_order(void **state) {
    int over = -1;
    char *u = aws_endpoint_resolve("apigateway", "eu-west-1", NULL, NULL, &over);
    assert_string_equal(u, "https://apigateway.eu-west-1.amazonaws.com");
    assert_int_equal(over, 0);
    free(u);
    u = aws_endpoint_resolve("lambda", "cn-north-1", NULL, NULL, &over);
    assert_string_equal(u, "https://lambda.cn-north-1.amazonaws.com.cn");
    free(u);

    setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566/", 1);
    u = aws_endpoint_resolve("lambda", "eu-west-1", NULL, NULL, &over);
    assert_string_equal(u, "http://127.0.0.1:4566");
    assert_int_equal(over, 1);
    free(u);
    setenv("AWS_ENDPOINT_URL_API_GATEWAY", "http://127.0.0.1:9000", 1);
    setenv("AWS_ENDPOINT_URL_LAMBDA", "http://127.0.0.1:9001", 1);
    u = aws_endpoint_resolve("apigateway", "eu-west-1", NULL, NULL, &over);
    assert_string_equal(u, "http://127.0.0.1:9000");
    free(u);
    u = aws_endpoint_resolve("lambda", "eu-west-1", NULL, NULL, &over);
    assert_string_equal(u, "http://127.0.0.1:9001");
    free(u);
    u = aws_endpoint_resolve("lambda", "eu-west-1", "http://127.0.0.1:7000", NULL, &over);
    assert_string_equal(u, "http://127.0.0.1:7000");
    assert_int_equal(over, 1);
    free(u);

    setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true", 1);
    u = aws_endpoint_resolve("apigateway", "eu-west-1", NULL, NULL, &over);
    assert_string_equal(u, "https://apigateway.eu-west-1.amazonaws.com");
    assert_int_equal(over, 0);
    free(u);
}

/* The profile's endpoint settings: its services section, then its own
 * endpoint_url, after the flag and the environment. */
static void endpoint_from_profile(void **state) {
    world *w = *state;
    write_config(w,
                 "[default]\nendpoint_url = http://127.0.0.1:5000\n"
                 "[profile local]\nservices = local-svcs\nendpoint_url = http://127.0.0.1:5001/\n"
                 "[services local-svcs]\napi_gateway =\n  endpoint_url = http://127.0.0.1:5002\n"
                 "lambda =\n  Endpoint_URL = http://127.0.0.1:5003\n"
                 "[profile ignoring]\nendpoint_url = http://127.0.0.1:5004\n"
                 "ignore_configured_endpoint_urls = true\n"
                 "[profile dangling]\nservices = nowhere\nendpoint_url = http://127.0.0.1:5005\n");
    int over = -1;
    char *u = aws_endpoint_resolve("apigateway", "eu-west-1", NULL, NULL, &over);
    assert_string_equal(u, "http://127.0.0.1:5000"); /* profile NULL: default */
    assert_int_equal(over, 1);
    free(u);
    u = aws_endpoint_resolve("apigateway", "eu-west-1", NULL, "local", &over);
    assert_string_equal(u, "http://127.0.0.1:5002");
    free(u);
    u = aws_endpoint_resolve("lambda", "eu-west-1", NULL, "local", &over);
    assert_string_equal(u, "http://127.0.0.1:5003");
    free(u);
    u = aws_endpoint_resolve("execute-api", "eu-west-1", NULL, "local", &over);
    assert_string_equal(u, "http://127.0.0.1:5001"); /* not in the section: the profile's own */
    free(u);
    u = aws_endpoint_resolve("lambda", "eu-west-1", NULL, "dangling", &over);
    assert_string_equal(u, "http://127.0.0.1:5005");
    free(u);
    setenv("AWS_PROFILE", "local", 1);
    u = aws_endpoint_resolve("lambda", "eu-west-1", NULL, NULL, &over);
    assert_string_equal(u, "http://127.0.0.1:5003");
    free(u);

    /* The profile's own switch; the environment's answer wins over it. */
    u = aws_endpoint_resolve("lambda", "eu-west-1", NULL, "ignoring", &over);
    assert_string_equal(u, "https://lambda.eu-west-1.amazonaws.com");
    assert_int_equal(over, 0);
    free(u);
    setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false", 1);
    u = aws_endpoint_resolve("lambda", "eu-west-1", NULL, "ignoring", &over);
    assert_string_equal(u, "http://127.0.0.1:5004");
    free(u);
    setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true", 1);
    u = aws_endpoint_resolve("lambda", "eu-west-1", NULL, "local", &over);
    assert_string_equal(u, "https://lambda.eu-west-1.amazonaws.com");
    free(u);
    u = aws_endpoint_resolve("lambda", "eu-west-1", "http://127.0.0.1:7000", "local", &over);
    assert_string_equal(u, "http://127.0.0.1:7000"); /* the flag is never ignored */
    assert_int_equal(over, 1);
    free(u);
    unsetenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");

    /* The environment beats the config file: global, then per service. */
    setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:6000", 1);
    u = aws_endpoint_resolve("apigateway", "eu-west-1", NULL, "local", &over);
    assert_string_equal(u, "http://127.0.0.1:6000");
    free(u);
    setenv("AWS_ENDPOINT_URL_API_GATEWAY", "http://127.0.0.1:6001", 1);
    u = aws_endpoint_resolve("apigateway", "eu-west-1", NULL, "local", &over);
    assert_string_equal(u, "http://127.0.0.1:6001");
    free(u);
    u = aws_endpoint_resolve("apigateway", "eu-west-1", NULL, "ignoring", &over);
    assert_string_equal(u,
                        "https://apigateway.eu-west-1.amazonaws.com"); /* the environment's too */
    free(u);
}

/* STS follows the profile's services section as well. */
static void sts_endpoint_from_profile(void **state) {
    world *w = *state;
    char *text = xasprintf("[profile role]\nrole_arn = arn:aws:iam::123456789012:role/console\n"
                           "source_profile = dev\nservices = here\n"
                           "[services here]\nsts =\n  endpoint_url = %s\n",
                           w->base);
    write_config(w, text);
    free(text);
    char p[4200];
    snprintf(p, sizeof p, "%s/credentials", w->fix);
    setenv("AWS_SHARED_CREDENTIALS_FILE", p, 1);
    aws_credentials cr;
    err e = {0};
    assert_int_equal(get(w, "role", &cr, &e), 0);
    assert_string_equal(cr.access_key, "ASIASTS1");
    /* No region anywhere: signed for us-east-1. */
    assert_non_null(
        strstr(w->srv.last_sts, "Credential=AKIDDEV/20240501/us-east-1/sts/aws4_request"));
}

/* ---- credential_process: limits and messages ---- */

static cred_chain *chain_timeout(world *w, const char *profile, int timeout_ms) {
    cred_opts o = {
        .profile = profile, .clock = clock_fake(&w->clock), .process_timeout_ms = timeout_ms};
    return cred_chain_new(&o);
}

/* True once pid is gone or a zombie. */
static bool process_gone(pid_t pid) {
    for (int i = 0; i < 200; i++) {
        char path[64], stat[256] = "";
        snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
        FILE *f = fopen(path, "r");
        if (!f) return true;
        size_t n = fread(stat, 1, sizeof stat - 1, f);
        fclose(f);
        stat[n] = '\0';
        const char *close_paren = strrchr(stat, ')');
        if (close_paren && close_paren[1] == ' ' && close_paren[2] == 'Z') return true;
        usleep(10 * 1000);
    }
    return false;
}

static void process_timeout_kills_group(void **state) {
    world *w = *state;
    char script[512], pidfile[512];
    write_home_file(w, "slow.sh",
                    "echo 'waiting for the token broker' >&2\nsleep 30 &\necho $! > \"$1\"\nwait\n",
                    script, sizeof script);
    snprintf(pidfile, sizeof pidfile, "%s/sleep.pid", w->home);
    char *text = xasprintf("[profile slow]\ncredential_process = sh '%s' '%s'\n", script, pidfile);
    write_config(w, text);
    free(text);
    cred_chain *c = chain_timeout(w, "slow", 300);
    aws_credentials cr;
    err e = {0};
    int64_t t0 = clock_mono_ms();
    assert_int_equal(cred_chain_get(c, &cr, &e), -1);
    int64_t took = clock_mono_ms() - t0;
    cred_chain_free(c);
    assert_true(took >= 300 && took < 5000);
    assert_string_equal(
        e.msg, "credential_process of profile slow did not finish within 300 ms and was killed "
               "(with its process group); its stderr says: waiting for the token broker");
    /* The helper's own child went with it. */
    FILE *f = fopen(pidfile, "r");
    assert_non_null(f);
    int pid = 0;
    assert_int_equal(fscanf(f, "%d", &pid), 1);
    fclose(f);
    assert_true(pid > 0);
    assert_true(process_gone(pid));
}

static void process_messages(void **state) {
    world *w = *state;
    char script[512];
    write_home_file(
        w, "helper.sh",
        "case \"$1\" in\n"
        "noversion) printf '{\"AccessKeyId\":\"AKIDNOVER\",\"SecretAccessKey\":\"noVerSecret\"}' "
        ";;\n"
        "nokey) printf '{\"Version\":1,\"SecretAccessKey\":\"noKeySecret\"}' ;;\n"
        "nosecret) printf '{\"Version\":1,\"AccessKeyId\":\"AKIDNOSECRET\"}' ;;\n"
        "badtime) printf '{\"Version\":1,\"AccessKeyId\":\"AKIDT\",\"SecretAccessKey\":\"s\","
        "\"Expiration\":\"tomorrow\"}' ;;\n"
        "expired) printf '{\"Version\":1,\"AccessKeyId\":\"AKIDOLD\",\"SecretAccessKey\":\"s\","
        "\"Expiration\":\"2020-01-01T00:00:00Z\"}' ;;\n"
        "chatty) echo 'denied for AKIAABCDEFGHIJKLMNOP with "
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'"
        " >&2; exit 1 ;;\n"
        "silent) exit 2 ;;\n"
        "esac\n",
        script, sizeof script);
    buf cfg = BUF_INIT;
    const char *modes[] = {"noversion", "nokey",  "nosecret", "badtime",
                           "expired",   "chatty", "silent"};
    for (size_t i = 0; i < sizeof modes / sizeof *modes; i++)
        buf_printf(&cfg, "[profile %s]\ncredential_process = sh '%s' %s\n", modes[i], script,
                   modes[i]);
    buf_puts(&cfg, "[profile signal]\ncredential_process = kill -TERM $$\n"); /* the shell itself */
    write_config(w, cfg.data);
    buf_free(&cfg);
    static const char *const want[][2] = {
        {"noversion", "credential_process of profile noversion printed no \"Version\": it must be "
                      "\"Version\": 1"},
        {"nokey", "credential_process of profile nokey printed no AccessKeyId"},
        {"nosecret", "credential_process of profile nosecret printed no SecretAccessKey"},
        {"badtime", "credential_process of profile badtime printed an Expiration that is not an "
                    "ISO 8601 time, "
                    "or a value too long"},
        {"expired",
         "the credentials from profile expired (credential_process) had already expired"},
        {"chatty",
         "credential_process of profile chatty exited with status 1; its stderr says: denied for "
         "******************** with ****************************************"},
        {"silent", "credential_process of profile silent exited with status 2"},
        {"signal", "credential_process of profile signal was killed by signal 15"},
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        aws_credentials cr;
        err e = {0};
        assert_int_equal(get(w, want[i][0], &cr, &e), -1);
        assert_string_equal(e.msg, want[i][1]);
    }
}

/* ---- web identity ---- */

static void web_identity_env(world *w, const char *token) {
    char path[512];
    write_home_file(w, "web-token", token, path, sizeof path);
    setenv("AWS_WEB_IDENTITY_TOKEN_FILE", path, 1);
    setenv("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/web", 1);
    setenv("AWS_ROLE_SESSION_NAME", "ci-run", 1);
    setenv("AWS_ENDPOINT_URL_STS", w->base, 1);
}

static void web_identity_from_environment(void **state) {
    world *w = *state;
    web_identity_env(w, "eyJhbGciOi.web-token.sig\n");
    setenv("AWS_REGION", "eu-west-1", 1);
    aws_credentials cr;
    err e = {0};
    assert_int_equal(get(w, NULL, &cr, &e), 0);
    assert_string_equal(cr.access_key, "ASIASTS1");
    assert_string_equal(cr.secret_key, "stsSecret1");
    assert_string_equal(cr.session_token, "stsToken&1");
    assert_int_equal(cr.expires_ms, T0_MS + HOUR_MS);
    assert_string_equal(cr.source, "web identity (environment)");
    const char *req = w->srv.last_sts;
    assert_non_null(strstr(req, "Action=AssumeRoleWithWebIdentity&Version=2011-06-15"));
    assert_non_null(strstr(req, "RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fweb"));
    assert_non_null(strstr(req, "RoleSessionName=ci-run"));
    assert_non_null(strstr(req, "WebIdentityToken=eyJhbGciOi.web-token.sig"));
    assert_null(strstr(req, "sig%0A")); /* the file's newline is not part of the token */
    /* Unsigned: the token is the proof. */
    assert_null(strcasestr(req, "\r\nAuthorization:"));
    assert_null(strcasestr(req, "\r\nX-Amz-Security-Token:"));

    /* Without a session name one is made up. */
    unsetenv("AWS_ROLE_SESSION_NAME");
    assert_int_equal(get(w, NULL, &cr, &e), 0);
    assert_non_null(strstr(w->srv.last_sts, "RoleSessionName=apigw-console-1714564800"));
}

/* botocore's order: environment keys, a role_arn profile, web identity,
 * then the profile's own keys; an explicit profile ignores the variables. */
static void web_identity_order(void **state) {
    world *w = *state;
    web_identity_env(w, "tok");
    write_role_config(w);
    aws_credentials cr;
    err e = {0};
    setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "envSecret", 1);
    assert_int_equal(get(w, NULL, &cr, &e), 0);
    assert_string_equal(cr.source, "environment");
    unsetenv("AWS_ACCESS_KEY_ID");
    unsetenv("AWS_SECRET_ACCESS_KEY");
    assert_int_equal(cred_fake_sts_calls(&w->srv), 0);

    setenv("AWS_PROFILE", "role", 1);
    assert_int_equal(get(w, NULL, &cr, &e), 0);
    assert_string_equal(cr.source, "profile role (assumed role)");
    assert_non_null(strstr(w->srv.last_sts, "Action=AssumeRole&"));

    setenv("AWS_PROFILE", "dev", 1); /* keys in the credentials file: web identity first */
    assert_int_equal(get(w, NULL, &cr, &e), 0);
    assert_string_equal(cr.source, "web identity (environment)");

    assert_int_equal(get(w, "dev", &cr, &e), 0);
    assert_string_equal(cr.source, "profile dev");
    assert_int_equal(cred_fake_sts_calls(&w->srv), 2);
}

static void web_identity_from_profile(void **state) {
    world *w = *state;
    char tok[512];
    write_home_file(w, "prof-token", "profile-jwt", tok, sizeof tok);
    char *text = xasprintf(
        "[profile web]\nweb_identity_token_file = %s\nrole_arn = arn:aws:iam::1:role/prof\n"
        "role_session_name = prof-session\n"
        "[profile chained]\nrole_arn = arn:aws:iam::1:role/next\nsource_profile = web\n"
        "[profile norole]\nweb_identity_token_file = %s\n"
        "[profile unreadable]\nweb_identity_token_file = %s/missing\n"
        "role_arn = arn:aws:iam::1:role/x\n"
        "[profile bad]\nweb_identity_token_file = %s/bad-token\nrole_arn = arn:aws:iam::1:role/x\n"
        "[profile flaky]\nweb_identity_token_file = %s\nrole_arn = arn:aws:iam::1:role/flaky\n",
        tok, tok, w->home, w->home, tok);
    write_config(w, text);
    free(text);
    write_home_file(w, "bad-token", "bad-token", NULL, 0);
    setenv("AWS_ENDPOINT_URL_STS", w->base, 1);
    aws_credentials cr;
    err e = {0};
    assert_int_equal(get(w, "web", &cr, &e), 0);
    assert_string_equal(cr.source, "profile web (web identity)");
    assert_non_null(strstr(w->srv.last_sts, "WebIdentityToken=profile-jwt"));
    assert_non_null(strstr(w->srv.last_sts, "RoleSessionName=prof-session"));

    /* A web identity profile as the source of a role: two calls, the second signed by the first. */
    assert_int_equal(get(w, "chained", &cr, &e), 0);
    assert_string_equal(cr.access_key, "ASIASTS3");
    assert_non_null(strstr(w->srv.last_sts, "Action=AssumeRole&"));
    assert_non_null(strstr(w->srv.last_sts, "Credential=ASIASTS2/"));

    assert_int_equal(get(w, "norole", &cr, &e), -1);
    assert_string_equal(e.msg,
                        "web identity: web_identity_token_file is set but there is no role ARN "
                        "(AWS_ROLE_ARN, or role_arn in profile norole)");
    assert_int_equal(get(w, "unreadable", &cr, &e), -1);
    assert_non_null(strstr(e.msg, "cannot read the web identity token file "));
    assert_non_null(strstr(e.msg, "/missing: No such file or directory"));
    assert_int_equal(cred_fake_sts_calls(&w->srv), 3);

    assert_int_equal(get(w, "bad", &cr, &e), -1);
    assert_int_equal(e.status, 400);
    assert_string_equal(e.code, "InvalidIdentityToken");
    assert_string_equal(e.msg,
                        "STS AssumeRoleWithWebIdentity failed (HTTP 400): InvalidIdentityToken: "
                        "Incorrect token audience");
    assert_null(strstr(e.msg, "bad-token"));

    /* An identity provider STS could not reach is asked again, as the SDKs do. */
    w->srv.idp_failures = 2;
    int before = cred_fake_sts_calls(&w->srv);
    assert_int_equal(get(w, "flaky", &cr, &e), 0);
    assert_int_equal(cred_fake_sts_calls(&w->srv), before + 3);
    w->srv.idp_failures = 3;
    assert_int_equal(get(w, "flaky", &cr, &e), -1);
    assert_string_equal(e.code, "IDPCommunicationError");
}

/* ---- SSO ---- */

#define CORP_CACHE ".aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json" /* sha1("corp")  \
                                                                                   */
#define LEGACY_CACHE                                                                               \
    ".aws/sso/cache/79e435d7a515078e81c9dffc35f38d5687ebd3a7.json" /* of the start URL */

static void write_sso_config(world *w) {
    char *text = xasprintf(
        "[profile sso-new]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = "
        "Developer\n"
        "region = eu-west-1\n"
        "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = "
        "us-east-1\n"
        "sso_registration_scopes = sso:account:access\n"
        "[profile sso-legacy]\nsso_start_url = https://legacy.awsapps.com/start\nsso_region = "
        "eu-west-1\n"
        "sso_account_id = 444455556666\nsso_role_name = Read Only\nservices = portal\n"
        "[services portal]\nsso =\n  endpoint_url = %s\n"
        "[profile sso-forbidden]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = "
        "Forbidden\n"
        "[profile sso-partial]\nsso_account_id = 111122223333\nsso_region = us-east-1\n"
        "[profile sso-nosession]\nsso_session = nope\nsso_account_id = 1\nsso_role_name = x\n"
        "[profile sso-mismatch]\nsso_session = corp\nsso_region = eu-west-2\nsso_account_id = 1\n"
        "sso_role_name = x\n"
        "[profile sso-badregion]\nsso_start_url = https://x\nsso_region = evil.example.com/\n"
        "sso_account_id = 1\nsso_role_name = x\n"
        "[profile via-sso]\nrole_arn = arn:aws:iam::1:role/from-sso\nsource_profile = sso-new\n",
        w->base);
    write_config(w, text);
    free(text);
}

static void sso_session_profile(void **state) {
    world *w = *state;
    write_sso_config(w);
    setenv("AWS_ENDPOINT_URL_SSO", w->base, 1);
    write_home_file(w, CORP_CACHE,
                    "{\"startUrl\":\"https://corp.awsapps.com/start\",\"region\":\"us-east-1\","
                    "\"accessToken\":\"corp-token\",\"expiresAt\":\"2024-05-01T20:00:00Z\","
                    "\"refreshToken\":\"r\"}",
                    NULL, 0);
    aws_credentials cr;
    err e = {0};
    assert_int_equal(get(w, "sso-new", &cr, &e), 0);
    assert_string_equal(cr.access_key, "ASIASSO1");
    assert_string_equal(cr.secret_key, "ssoSecret");
    assert_string_equal(cr.session_token, "ssoToken");
    assert_int_equal(cr.expires_ms, T0_MS + HOUR_MS); /* expiration is in milliseconds */
    assert_string_equal(cr.source, "profile sso-new (sso)");
    assert_non_null(
        strstr(w->srv.last_sso,
               "GET /federation/credentials?account_id=111122223333&role_name=Developer "));
    assert_null(strcasestr(w->srv.last_sso, "\r\nAuthorization:")); /* unsigned */
    assert_int_equal(w->srv.unauthorized, 0);

    /* As the source of a role. */
    setenv("AWS_ENDPOINT_URL_STS", w->base, 1);
    assert_int_equal(get(w, "via-sso", &cr, &e), 0);
    assert_string_equal(cr.source, "profile via-sso (assumed role)");
    assert_non_null(strstr(w->srv.last_sts, "Credential=ASIASSO2/"));

    assert_int_equal(get(w, "sso-forbidden", &cr, &e), -1);
    assert_int_equal(e.status, 403);
    assert_string_equal(
        e.msg, "SSO GetRoleCredentials for profile sso-forbidden failed (HTTP 403): No access");
}

static void sso_legacy_profile(void **state) {
    world *w = *state;
    write_sso_config(w); /* its portal endpoint comes from the profile's services section */
    write_home_file(w, LEGACY_CACHE,
                    "{\"startUrl\":\"https://legacy.awsapps.com/start\",\"region\":\"eu-west-1\","
                    "\"accessToken\":\"legacy-token\",\"expiresAt\":\"2024-05-01T12:30:00UTC\"}",
                    NULL, 0);
    aws_credentials cr;
    err e = {0};
    assert_int_equal(get(w, "sso-legacy", &cr, &e), 0);
    assert_string_equal(cr.access_key, "ASIASSO1");
    assert_non_null(strstr(w->srv.last_sso, "?account_id=444455556666&role_name=Read%20Only "));

    /* The CLI v1 "UTC" form is read as a time: half an hour later it has expired. */
    w->clock.ms += 30 * MIN_MS;
    assert_int_equal(get(w, "sso-legacy", &cr, &e), -1);
    assert_string_equal(e.msg, "profile sso-legacy: the cached SSO token has expired; run "
                               "`aws sso login --profile sso-legacy`");
    assert_int_equal(w->srv.sso_calls, 1);
}

static void sso_needs_login(void **state) {
    world *w = *state;
    write_sso_config(w);
    setenv("AWS_ENDPOINT_URL_SSO", w->base, 1);
    aws_credentials cr;
    err e = {0};
    assert_int_equal(get(w, "sso-new", &cr, &e), -1);
    assert_string_equal(
        e.msg, "profile sso-new: no SSO token is cached (no ~/.aws/sso/cache/<sha1>.json for "
               "this session); run `aws sso login --profile sso-new`");
    write_home_file(w, CORP_CACHE,
                    "{\"accessToken\":\"corp-token\",\"expiresAt\":\"2024-05-01T11:59:59Z\"}", NULL,
                    0);
    assert_int_equal(get(w, "sso-new", &cr, &e), -1);
    assert_non_null(
        strstr(e.msg, "the cached SSO token has expired; run `aws sso login --profile sso-new`"));
    write_home_file(w, CORP_CACHE, "{\"accessToken\":\"corp-token\"}", NULL, 0);
    assert_int_equal(get(w, "sso-new", &cr, &e), -1);
    assert_non_null(strstr(e.msg, "has no accessToken or expiresAt"));
    assert_int_equal(w->srv.sso_calls, 0);

    /* A token the portal no longer accepts. */
    write_home_file(w, CORP_CACHE,
                    "{\"accessToken\":\"revoked\",\"expiresAt\":\"2024-05-01T20:00:00Z\"}", NULL,
                    0);
    assert_int_equal(get(w, "sso-new", &cr, &e), -1);
    assert_string_equal(
        e.msg, "profile sso-new: the SSO session has expired or is invalid (HTTP 401 from the "
               "portal); run `aws sso login --profile sso-new`");
    assert_null(strstr(e.msg, "revoked"));
    assert_int_equal(w->srv.unauthorized, 1);
}

static void sso_config_errors(void **state) {
    world *w = *state;
    write_sso_config(w);
    setenv("AWS_ENDPOINT_URL_SSO", w->base, 1);
    aws_credentials cr;
    err e = {0};
    assert_int_equal(get(w, "sso-partial", &cr, &e), -1);
    assert_string_equal(e.msg,
                        "profile sso-partial is configured for SSO but is missing sso_start_url, "
                        "sso_role_name");
    assert_int_equal(get(w, "sso-nosession", &cr, &e), -1);
    assert_non_null(strstr(
        e.msg, "profile sso-nosession: sso_session nope has no [sso-session nope] section in "));
    assert_int_equal(get(w, "sso-mismatch", &cr, &e), -1);
    assert_string_equal(
        e.msg, "profile sso-mismatch: sso_region differs between the profile and its sso-session");
    assert_int_equal(get(w, "sso-badregion", &cr, &e), -1);
    assert_string_equal(e.msg, "profile sso-badregion: sso_region is not a region name");
    assert_int_equal(fake_count(&w->srv), 0);
}

/* ---- refreshing off the caller's thread ---- */

/* A slow STS: the get returns the old credentials at once while the fake
 * still holds the refresh; later gets see the new ones. */
static void background_refresh_does_not_block(void **state) {
    world *w = *state;
    write_role_config(w);
    setenv("AWS_ENDPOINT_URL_STS", w->base, 1);
    cred_chain *c = chain(w, "role");
    aws_credentials cr;
    err e = {0};
    assert_int_equal(cred_chain_get(c, &cr, &e), 0);
    assert_string_equal(cr.access_key, "ASIASTS1");

    w->clock.ms += 46 * MIN_MS; /* 14 minutes left */
    cred_fake_hold(&w->srv);
    assert_int_equal(cred_chain_get(c, &cr, &e), 0);
    assert_string_equal(cr.access_key, "ASIASTS1");
    assert_true(cred_fake_wait_held(&w->srv, 5000)); /* the refresh is in flight */
    assert_int_equal(cred_chain_get(c, &cr, &e), 0); /* still at once, and no second refresh */
    assert_string_equal(cr.access_key, "ASIASTS1");
    assert_int_equal(cred_fake_sts_calls(&w->srv), 2);
    cred_fake_release(&w->srv);
    cred_chain_settle(c);
    assert_int_equal(cred_chain_get(c, &cr, &e), 0);
    assert_string_equal(cr.access_key, "ASIASTS2");
    assert_int_equal(cr.expires_ms, T0_MS + 46 * MIN_MS + HOUR_MS);

    /* A failed background refresh keeps the old ones, and is not retried on
     * every get but after a pause. */
    w->clock.ms += 46 * MIN_MS;
    w->srv.sts_deny = true;
    assert_int_equal(cred_chain_get(c, &cr, &e), 0);
    cred_chain_settle(c);
    assert_int_equal(cred_fake_sts_calls(&w->srv), 3);
    w->clock.ms += 10 * 1000;
    assert_int_equal(cred_chain_get(c, &cr, &e), 0);
    assert_string_equal(cr.access_key, "ASIASTS2");
    cred_chain_settle(c);
    assert_int_equal(cred_fake_sts_calls(&w->srv), 3);
    w->clock.ms += 30 * 1000;
    assert_int_equal(cred_chain_get(c, &cr, &e), 0);
    cred_chain_settle(c);
    assert_int_equal(cred_fake_sts_calls(&w->srv), 4);

    /* Into the last ten minutes: the get itself refreshes (and waits). */
    w->srv.sts_deny = false;
    w->clock.ms += 5 * MIN_MS;
    assert_int_equal(cred_chain_get(c, &cr, &e), 0);
    assert_string_equal(cr.access_key, "ASIASTS5");
    cred_chain_free(c);
}

/* A second thread asking while the first one waits for a mandatory refresh
 * gets the same new credentials from one STS call. */
typedef struct getter {
    cred_chain *c;
    aws_credentials cr;
    int rc;
} getter;

static void *get_thread(void *arg) {
    getter *g = arg;
    err e = {0};
    g->rc = cred_chain_get(g->c, &g->cr, &e);
    return NULL;
}

static void waiting_callers_share_one_refresh(void **state) {
    world *w = *state;
    write_role_config(w);
    setenv("AWS_ENDPOINT_URL_STS", w->base, 1);
    cred_chain *c = chain(w, "role");
    cred_fake_hold(&w->srv);
    getter a = {.c = c}, b = {.c = c};
    pthread_t ta, tb;
    assert_int_equal(pthread_create(&ta, NULL, get_thread, &a), 0);
    assert_true(cred_fake_wait_held(&w->srv, 5000));
    assert_int_equal(pthread_create(&tb, NULL, get_thread, &b), 0);
    usleep(50 * 1000);
    cred_fake_release(&w->srv);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    assert_int_equal(a.rc, 0);
    assert_int_equal(b.rc, 0);
    assert_string_equal(a.cr.access_key, "ASIASTS1");
    assert_string_equal(b.cr.access_key, "ASIASTS1");
    assert_int_equal(cred_fake_sts_calls(&w->srv), 1);
    cred_chain_free(c);
}

/* Freeing the chain aborts a refresh that hangs rather than waiting for it. */
static void free_stops_background_refresh(void **state) {
    world *w = *state;
    write_role_config(w);
    setenv("AWS_ENDPOINT_URL_STS", w->base, 1);
    cred_chain *c = chain(w, "role");
    aws_credentials cr;
    err e = {0};
    assert_int_equal(cred_chain_get(c, &cr, &e), 0);
    w->clock.ms += 47 * MIN_MS;
    cred_fake_hold(&w->srv);
    int64_t t0 = clock_mono_ms();
    assert_int_equal(cred_chain_get(c, &cr, &e), 0);
    assert_true(clock_mono_ms() - t0 < 1000); /* the get did not wait for the held answer */
    assert_true(cred_fake_wait_held(&w->srv, 5000));
    t0 = clock_mono_ms();
    cred_chain_free(c);
    assert_true(clock_mono_ms() - t0 < 5000); /* STS would have waited 10 s, three times */
    cred_fake_release(&w->srv);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(environment_comes_first, setup, teardown),
        cmocka_unit_test_setup_teardown(profile_from_credentials_file, setup, teardown),
        cmocka_unit_test_setup_teardown(credentials_file_wins_over_config, setup, teardown),
        cmocka_unit_test_setup_teardown(no_credentials_lists_sources, setup, teardown),
        cmocka_unit_test_setup_teardown(ini_parsing, setup, teardown),
        cmocka_unit_test_setup_teardown(process_success, setup, teardown),
        cmocka_unit_test_setup_teardown(process_failures_hide_output, setup, teardown),
        cmocka_unit_test_setup_teardown(process_timeout_kills_group, setup, teardown),
        cmocka_unit_test_setup_teardown(process_messages, setup, teardown),
        cmocka_unit_test_setup_teardown(assume_role_signed_request, setup, teardown),
        cmocka_unit_test_setup_teardown(assume_role_cached_then_refreshed, setup, teardown),
        cmocka_unit_test_setup_teardown(role_chains_and_cycles, setup, teardown),
        cmocka_unit_test_setup_teardown(web_identity_from_environment, setup, teardown),
        cmocka_unit_test_setup_teardown(web_identity_order, setup, teardown),
        cmocka_unit_test_setup_teardown(web_identity_from_profile, setup, teardown),
        cmocka_unit_test_setup_teardown(sso_session_profile, setup, teardown),
        cmocka_unit_test_setup_teardown(sso_legacy_profile, setup, teardown),
        cmocka_unit_test_setup_teardown(sso_needs_login, setup, teardown),
        cmocka_unit_test_setup_teardown(sso_config_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(container_full_uri, setup, teardown),
        cmocka_unit_test_setup_teardown(container_rejects_remote_http, setup, teardown),
        cmocka_unit_test_setup_teardown(container_before_imds, setup, teardown),
        cmocka_unit_test_setup_teardown(imds_v2_credentials, setup, teardown),
        cmocka_unit_test_setup_teardown(imds_unreachable_is_not_fatal, setup, teardown),
        cmocka_unit_test_setup_teardown(background_refresh_does_not_block, setup, teardown),
        cmocka_unit_test_setup_teardown(waiting_callers_share_one_refresh, setup, teardown),
        cmocka_unit_test_setup_teardown(free_stops_background_refresh, setup, teardown),
        cmocka_unit_test_setup_teardown(region_order, setup, teardown),
        cmocka_unit_test_setup_teardown(endpoint_order, setup, teardown),
        cmocka_unit_test_setup_teardown(endpoint_from_profile, setup, teardown),
        cmocka_unit_test_setup_teardown(sts_endpoint_from_profile, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
