/* The credential chain, region and endpoint resolution. Every source is
 * exercised from fixture files, the environment, and fake servers on
 * 127.0.0.1 (STS, container endpoint, IMDSv2): the instance metadata
 * endpoint always points at the fake, so 169.254.169.254 is never tried. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <ftw.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../../src/transport/cred_internal.h"
#include "core/buf.h"
#include "core/mem.h"
#include "transport/credentials.h"

#define FIXDIR "tests/testdata/credentials"
#define HOUR_MS (3600 * 1000LL)
#define T0_MS 1714564800000LL /* 2024-05-01T12:00:00Z */

/* ---- a fake HTTP server: STS (POST /), container (/creds), IMDSv2 ---- */

typedef struct fake {
    int lfd, port, wake[2];
    pthread_t th;
    pthread_mutex_t mu;
    int count;        /* every request */
    int unauthorized; /* requests answered 401 */
    int sts_calls;
    char last_sts[16384]; /* the last STS request, headers and body */
    char trace[512];     /* "METHOD path" of each request */
    const int64_t *now_ms; /* the test's clock, for Expiration */
    const char *container_token;
} fake;

static void iso(int64_t ms, char out[32]) {
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void reply(int fd, int status, const char *body) {
    char head[256];
    int n = snprintf(head, sizeof head, "HTTP/1.1 %d X\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
                     status, strlen(body));
    ssize_t w = write(fd, head, (size_t)n);
    if (w >= 0) w = write(fd, body, strlen(body));
    (void)w;
}

static bool has_header(const char *req, const char *line) {
    const char *end = strstr(req, "\r\n\r\n");
    const char *p = strcasestr(req, line);
    return p && (!end || p < end);
}

static void serve_sts(fake *f, int fd, const char *req) {
    f->sts_calls++;
    snprintf(f->last_sts, sizeof f->last_sts, "%s", req);
    if (strstr(req, "role%2Fdenied")) {
        reply(fd, 403, "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>"
                       "<Message>User is not authorized to perform: sts:AssumeRole</Message>"
                       "</Error></ErrorResponse>");
        return;
    }
    char exp[32], body[1024];
    iso(*f->now_ms + HOUR_MS, exp);
    snprintf(body, sizeof body,
             "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult>"
             "<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn></AssumedRoleUser>"
             "<Credentials><AccessKeyId>ASIASTS%d</AccessKeyId><SecretAccessKey>stsSecret%d</SecretAccessKey>"
             "<SessionToken>stsToken&amp;%d</SessionToken><Expiration>%s</Expiration></Credentials>"
             "</AssumeRoleResult></AssumeRoleResponse>",
             f->sts_calls, f->sts_calls, f->sts_calls, exp);
    reply(fd, 200, body);
}

static void serve_container(fake *f, int fd, const char *req) {
    char line[256];
    snprintf(line, sizeof line, "\r\nAuthorization: %s\r\n", f->container_token ? f->container_token : "");
    if (f->container_token && !has_header(req, line)) {
        f->unauthorized++;
        reply(fd, 401, "{\"message\":\"unauthorized\"}");
        return;
    }
    char exp[32], body[512];
    iso(*f->now_ms + HOUR_MS, exp);
    snprintf(body, sizeof body,
             "{\"AccessKeyId\":\"ASIACONTAINER\",\"SecretAccessKey\":\"containerSecret\","
             "\"Token\":\"containerToken\",\"Expiration\":\"%s\",\"RoleArn\":\"arn:aws:iam::1:role/task\"}",
             exp);
    reply(fd, 200, body);
}

static void serve_imds(fake *f, int fd, const char *method, const char *path, const char *req) {
    if (strcmp(method, "PUT") == 0 && strcmp(path, "/latest/api/token") == 0) {
        if (has_header(req, "\r\nX-aws-ec2-metadata-token-ttl-seconds: 21600\r\n")) reply(fd, 200, "IMDSTOKEN");
        else reply(fd, 400, "");
        return;
    }
    if (!has_header(req, "\r\nX-aws-ec2-metadata-token: IMDSTOKEN\r\n")) {
        f->unauthorized++;
        reply(fd, 401, "");
        return;
    }
    char exp[32], body[512];
    iso(*f->now_ms + 6 * HOUR_MS, exp);
    snprintf(body, sizeof body,
             "{\"Code\":\"Success\",\"LastUpdated\":\"2024-05-01T11:00:00Z\",\"Type\":\"AWS-HMAC\","
             "\"AccessKeyId\":\"ASIAIMDS\",\"SecretAccessKey\":\"imdsSecret\",\"Token\":\"imdsToken\","
             "\"Expiration\":\"%s\"}",
             exp);
    if (strcmp(path, "/latest/meta-data/iam/security-credentials/") == 0) reply(fd, 200, "imds-role\n");
    else if (strcmp(path, "/latest/meta-data/iam/security-credentials/imds-role") == 0) reply(fd, 200, body);
    else if (strcmp(path, "/latest/meta-data/placement/region") == 0) reply(fd, 200, "eu-west-3");
    else reply(fd, 404, "");
}

/* Read one request: headers, then Content-Length bytes of body. */
static size_t read_request(int fd, char *req, size_t cap) {
    size_t len = 0;
    while (len < cap - 1) {
        ssize_t n = read(fd, req + len, cap - 1 - len);
        if (n <= 0) break;
        len += (size_t)n;
        req[len] = '\0';
        char *end = strstr(req, "\r\n\r\n");
        if (!end) continue;
        const char *cl = strcasestr(req, "\r\nContent-Length:");
        size_t want = (size_t)(end + 4 - req) + (cl && cl < end ? strtoul(cl + 17, NULL, 10) : 0);
        if (len >= want) break;
    }
    req[len] = '\0';
    return len;
}

static void serve(fake *f, int fd) {
    char req[16384], method[16] = "", path[1024] = "";
    read_request(fd, req, sizeof req);
    sscanf(req, "%15s %1023s", method, path);
    pthread_mutex_lock(&f->mu);
    f->count++;
    size_t n = strlen(f->trace);
    snprintf(f->trace + n, sizeof f->trace - n, "%s %s;", method, path);
    if (strcmp(method, "POST") == 0 && strcmp(path, "/") == 0) serve_sts(f, fd, req);
    else if (strncmp(path, "/creds", 6) == 0) serve_container(f, fd, req);
    else serve_imds(f, fd, method, path, req);
    pthread_mutex_unlock(&f->mu);
}

static void *fake_main(void *arg) {
    fake *f = arg;
    for (;;) {
        struct pollfd p[2] = {{.fd = f->lfd, .events = POLLIN}, {.fd = f->wake[0], .events = POLLIN}};
        if (poll(p, 2, -1) < 0) continue;
        if (p[1].revents) break;
        int c = accept(f->lfd, NULL, NULL);
        if (c < 0) continue;
        serve(f, c);
        close(c);
    }
    return NULL;
}

static void fake_start(fake *f, const int64_t *now_ms) {
    memset(f, 0, sizeof *f);
    f->now_ms = now_ms;
    pthread_mutex_init(&f->mu, NULL);
    f->lfd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(f->lfd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(f->lfd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(f->lfd, 16), 0);
    socklen_t len = sizeof a;
    getsockname(f->lfd, (struct sockaddr *)&a, &len);
    f->port = ntohs(a.sin_port);
    assert_int_equal(pipe(f->wake), 0);
    assert_int_equal(pthread_create(&f->th, NULL, fake_main, f), 0);
}

static void fake_stop(fake *f) {
    ssize_t w = write(f->wake[1], "x", 1);
    (void)w;
    pthread_join(f->th, NULL);
    close(f->lfd);
    close(f->wake[0]);
    close(f->wake[1]);
    pthread_mutex_destroy(&f->mu);
}

static int fake_count(fake *f) {
    pthread_mutex_lock(&f->mu);
    int n = f->count;
    pthread_mutex_unlock(&f->mu);
    return n;
}

/* ---- per-test world: saved environment, a temporary HOME, the fake ---- */

static const char *const VARS[] = {
    "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
    "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "AWS_EC2_METADATA_DISABLED",
    "AWS_EC2_METADATA_SERVICE_ENDPOINT", "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "AWS_REGION",
    "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_API_GATEWAY",
    "AWS_ENDPOINT_URL_LAMBDA", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "HOME", "http_proxy",
    "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"};
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
    fake_start(&w->srv, &w->clock.ms);
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
    fake_stop(&w->srv);
    nftw(w->home, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    for (size_t i = 0; i < NVARS; i++) {
        if (w->saved[i]) setenv(VARS[i], w->saved[i], 1);
        else unsetenv(VARS[i]);
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
    aws_credentials cr;
    err e = {0};
    assert_int_equal(get(w, "dev", &cr, &e), 0);
    assert_string_equal(cr.access_key, "AKIDENV");
    assert_string_equal(cr.secret_key, "envSecret");
    assert_string_equal(cr.session_token, "envToken");
    assert_int_equal(cr.expires_ms, 0);
    assert_string_equal(cr.source, "environment");

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
    assert_non_null(strstr(e.msg, "profile partial has aws_access_key_id but not aws_secret_access_key"));
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
    assert_string_equal(e.msg, "no credentials: tried environment, profile default (~/.aws/credentials and "
                               "~/.aws/config have no such profile), container (not configured), instance "
                               "metadata (disabled)");
    assert_int_equal(fake_count(&w->srv), 0); /* disabled means no request at all */

    use_fixtures(w);
    write_config(w, "[profile empty]\nregion = us-east-1\n");
    assert_int_equal(get(w, "empty", &cr, &e), -1);
    assert_non_null(strstr(e.msg, "profile empty (no credentials in it)"));
    assert_int_equal(fake_count(&w->srv), 0);
}

static void ini_parsing(void **state) {
    cred_ini ini = {0};
    cred_ini_parse(&ini,
                   "# comment\n[default]\nregion=us-east-1\n[profile a b]\nKey : v # not a comment\n"
                   "[plain]\nx = 1\n[profile  spaced ]\ns3 =\n  region = nested\nregion = top\r\n"
                   "orphan\n[broken\ny = 2\n",
                   true);
    assert_string_equal(cred_ini_get(cred_ini_section(&ini, "default"), "region"), "us-east-1");
    assert_string_equal(cred_ini_get(cred_ini_section(&ini, "a b"), "key"), "v # not a comment");
    assert_null(cred_ini_section(&ini, "plain")); /* config sections need "profile " */
    const cred_section *s = cred_ini_section(&ini, "spaced");
    assert_non_null(s);
    assert_string_equal(cred_ini_get(s, "region"), "top"); /* the nested value is not the profile's */
    assert_string_equal(cred_ini_get(s, "s3"), "");
    assert_null(cred_ini_section(&ini, "broken"));
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
    char *text = xasprintf(
             "[profile proc]\ncredential_process = sh '%s/process.sh' ok\n"
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
    assert_string_equal(e.msg, "credential_process of profile fail exited with status 3: token expired: "
                               "run the login command");
    assert_null(strstr(e.msg, "leakedSecret"));

    assert_int_equal(get(w, "bad", &cr, &e), -1);
    assert_non_null(strstr(e.msg, "did not print a JSON document"));
    assert_null(strstr(e.msg, "notJsonSecret"));
    assert_null(strstr(e.msg, "AKIDNOTJSON"));

    assert_int_equal(get(w, "v2", &cr, &e), -1);
    assert_non_null(strstr(e.msg, "\"Version\": 1"));
    assert_null(strstr(e.msg, "v2Secret"));

    assert_int_equal(get(w, "missing", &cr, &e), -1);
    assert_non_null(strstr(e.msg, "exited with status 127"));
}

/* ---- role_arn through the fake STS ---- */

static void write_role_config(const world *w) {
    write_config(w, "[profile role]\nrole_arn = arn:aws:iam::123456789012:role/console\n"
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
    assert_non_null(strcasestr(req, "\r\nAuthorization: AWS4-HMAC-SHA256 Credential=AKIDDEV/20240501/eu-west-1/sts/aws4_request"));
    assert_non_null(strcasestr(req, "\r\nX-Amz-Security-Token: devToken\r\n"));
    assert_non_null(strcasestr(req, "\r\nX-Amz-Date: 20240501T120000Z\r\n"));
    assert_null(strstr(req, "devSecret"));
}

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
    w->clock.ms += 54 * 60 * 1000; /* 6 minutes left: still good */
    assert_int_equal(cred_chain_get(c, &cr, &e), 0);
    assert_string_equal(cr.access_key, "ASIASTS1");
    assert_int_equal(w->srv.sts_calls, 1);
    w->clock.ms += 90 * 1000; /* 4.5 minutes left: refresh */
    assert_int_equal(cred_chain_get(c, &cr, &e), 0);
    assert_string_equal(cr.access_key, "ASIASTS2");
    assert_int_equal(cr.expires_ms, w->clock.ms + HOUR_MS);
    assert_int_equal(w->srv.sts_calls, 2);
    assert_int_equal(cred_chain_get(c, &cr, &e), 0);
    assert_int_equal(w->srv.sts_calls, 2);

    /* STS unreachable: still valid credentials stay in use until they expire. */
    setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1", 1);
    w->clock.ms += 56 * 60 * 1000;
    assert_int_equal(cred_chain_get(c, &cr, &e), 0);
    assert_string_equal(cr.access_key, "ASIASTS2");
    w->clock.ms += 5 * 60 * 1000;
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
    assert_string_equal(w->srv.trace, "PUT /latest/api/token;GET /latest/meta-data/iam/security-credentials/;"
                                      "GET /latest/meta-data/iam/security-credentials/imds-role;");
    assert_int_equal(w->srv.unauthorized, 0);

    /* Cached for hours; refreshed five minutes before the end. */
    w->clock.ms += 5 * HOUR_MS + 54 * 60 * 1000;
    assert_int_equal(cred_chain_get(c, &cr, &e), 0);
    assert_int_equal(fake_count(&w->srv), 3);
    w->clock.ms += 2 * 60 * 1000;
    assert_int_equal(cred_chain_get(c, &cr, &e), 0);
    assert_int_equal(fake_count(&w->srv), 6);
    cred_chain_free(c);

    /* The fake insists on the token, as IMDSv2 does. */
    char url[128];
    snprintf(url, sizeof url, "%s/latest/meta-data/iam/security-credentials/", w->base);
    cred_http_req r = {.method = "GET", .url = url, .connect_timeout_ms = 1000, .total_timeout_ms = 2000};
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
    assert_non_null(strstr(e.msg, "no region: tried --region, AWS_REGION, AWS_DEFAULT_REGION, profile both in "));
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
    char *u = aws_endpoint_resolve("apigateway", "eu-west-1", NULL, &over);
    assert_string_equal(u, "https://apigateway.eu-west-1.amazonaws.com");
    assert_int_equal(over, 0);
    free(u);
    u = aws_endpoint_resolve("lambda", "cn-north-1", NULL, &over);
    assert_string_equal(u, "https://lambda.cn-north-1.amazonaws.com.cn");
    free(u);

    setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566/", 1);
    u = aws_endpoint_resolve("lambda", "eu-west-1", NULL, &over);
    assert_string_equal(u, "http://127.0.0.1:4566");
    assert_int_equal(over, 1);
    free(u);
    setenv("AWS_ENDPOINT_URL_API_GATEWAY", "http://127.0.0.1:9000", 1);
    setenv("AWS_ENDPOINT_URL_LAMBDA", "http://127.0.0.1:9001", 1);
    u = aws_endpoint_resolve("apigateway", "eu-west-1", NULL, &over);
    assert_string_equal(u, "http://127.0.0.1:9000");
    free(u);
    u = aws_endpoint_resolve("lambda", "eu-west-1", NULL, &over);
    assert_string_equal(u, "http://127.0.0.1:9001");
    free(u);
    u = aws_endpoint_resolve("lambda", "eu-west-1", "http://127.0.0.1:7000", &over);
    assert_string_equal(u, "http://127.0.0.1:7000");
    assert_int_equal(over, 1);
    free(u);

    setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true", 1);
    u = aws_endpoint_resolve("apigateway", "eu-west-1", NULL, &over);
    assert_string_equal(u, "https://apigateway.eu-west-1.amazonaws.com");
    assert_int_equal(over, 0);
    free(u);
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
        cmocka_unit_test_setup_teardown(assume_role_signed_request, setup, teardown),
        cmocka_unit_test_setup_teardown(assume_role_cached_then_refreshed, setup, teardown),
        cmocka_unit_test_setup_teardown(role_chains_and_cycles, setup, teardown),
        cmocka_unit_test_setup_teardown(container_full_uri, setup, teardown),
        cmocka_unit_test_setup_teardown(container_rejects_remote_http, setup, teardown),
        cmocka_unit_test_setup_teardown(imds_v2_credentials, setup, teardown),
        cmocka_unit_test_setup_teardown(imds_unreachable_is_not_fatal, setup, teardown),
        cmocka_unit_test_setup_teardown(region_order, setup, teardown),
        cmocka_unit_test_setup_teardown(endpoint_order, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
