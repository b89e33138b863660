/* The fake services of cred_fake.h. Answers are shaped like AWS's: STS's
 * query-protocol XML, the SSO portal's rest-json, the container and IMDS
 * JSON documents. */
#include "cred_fake.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define HOUR_MS (3600 * 1000LL)

static void iso(int64_t ms, char out[32]) {
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* send() without SIGPIPE: a client that gave up has closed its end. */
static void put(int fd, const char *s, size_t n) {
    while (n > 0) {
        ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
        if (w <= 0) return;
        s += w;
        n -= (size_t)w;
    }
}

static void reply(int fd, int status, const char *type, const char *body) {
    char head[256];
    int n = snprintf(
        head, sizeof head,
        "HTTP/1.1 %d X\r\nContent-Type: %s\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
        status, type, strlen(body));
    put(fd, head, (size_t)n);
    put(fd, body, strlen(body));
}

static bool has_header(const char *req, const char *line) {
    const char *end = strstr(req, "\r\n\r\n");
    const char *p = strcasestr(req, line);
    return p && (!end || p < end);
}

static void sts_fault(int fd, int status, const char *code, const char *msg) {
    char body[512];
    snprintf(
        body, sizeof body,
        "<ErrorResponse "
        "xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>"
        "<Code>%s</Code><Message>%s</Message></Error><RequestId>r-1</RequestId></ErrorResponse>",
        code, msg);
    reply(fd, status, "text/xml", body);
}

static void hold_back(cred_fake *f) {
    if (!f->hold) return;
    f->held = true;
    pthread_cond_broadcast(&f->cv);
    while (f->hold)
        pthread_cond_wait(&f->cv, &f->mu);
    f->held = false;
}

static void serve_sts(cred_fake *f, int fd, const char *req) {
    f->sts_calls++;
    snprintf(f->last_sts, sizeof f->last_sts, "%s", req);
    hold_back(f);
    bool web = strstr(req, "Action=AssumeRoleWithWebIdentity") != NULL;
    if (f->sts_deny || strstr(req, "role%2Fdenied")) {
        sts_fault(fd, 403, "AccessDenied", "User is not authorized to perform: sts:AssumeRole");
        return;
    }
    if (web && strstr(req, "WebIdentityToken=bad-token")) {
        sts_fault(fd, 400, "InvalidIdentityToken", "Incorrect token audience");
        return;
    }
    if (web && f->idp_failures > 0) {
        f->idp_failures--;
        sts_fault(fd, 400, "IDPCommunicationError", "The identity provider could not be reached");
        return;
    }
    const char *action = web ? "AssumeRoleWithWebIdentity" : "AssumeRole";
    char exp[32], body[2048];
    iso(*f->now_ms + HOUR_MS, exp);
    snprintf(
        body, sizeof body,
        "<%sResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><%sResult>%s"
        "<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn></AssumedRoleUser>"
        "<Credentials><AccessKeyId>ASIASTS%d</AccessKeyId><SecretAccessKey>stsSecret%d</"
        "SecretAccessKey>"
        "<SessionToken>stsToken&amp;%d</SessionToken><Expiration>%s</Expiration></Credentials>"
        "</%sResult></%sResponse>",
        action, action, web ? "<SubjectFromWebIdentityToken>sub</SubjectFromWebIdentityToken>" : "",
        f->sts_calls, f->sts_calls, f->sts_calls, exp, action, action);
    reply(fd, 200, "text/xml", body);
}

/* GetRoleCredentials: the bearer token of one of the two fixture logins. */
static void serve_sso(cred_fake *f, int fd, const char *path, const char *req) {
    f->sso_calls++;
    size_t n = strlen(req) < sizeof f->last_sso - 1 ? strlen(req) : sizeof f->last_sso - 1;
    memcpy(f->last_sso, req, n);
    f->last_sso[n] = '\0';
    if (!has_header(req, "\r\nx-amz-sso_bearer_token: corp-token\r\n") &&
        !has_header(req, "\r\nx-amz-sso_bearer_token: legacy-token\r\n")) {
        f->unauthorized++;
        reply(fd, 401, "application/json", "{\"message\":\"Session token not found or invalid\"}");
        return;
    }
    if (strstr(path, "role_name=Forbidden")) {
        reply(fd, 403, "application/json", "{\"message\":\"No access\"}");
        return;
    }
    char body[512];
    snprintf(
        body, sizeof body,
        "{\"roleCredentials\":{\"accessKeyId\":\"ASIASSO%d\",\"secretAccessKey\":\"ssoSecret\","
        "\"sessionToken\":\"ssoToken\",\"expiration\":%lld}}",
        f->sso_calls, (long long)(*f->now_ms + HOUR_MS));
    reply(fd, 200, "application/json", body);
}

static void serve_container(cred_fake *f, int fd, const char *req) {
    char line[256];
    snprintf(line, sizeof line, "\r\nAuthorization: %s\r\n",
             f->container_token ? f->container_token : "");
    if (f->container_token && !has_header(req, line)) {
        f->unauthorized++;
        reply(fd, 401, "application/json", "{\"message\":\"unauthorized\"}");
        return;
    }
    char exp[32], body[512];
    iso(*f->now_ms + HOUR_MS, exp);
    snprintf(body, sizeof body,
             "{\"AccessKeyId\":\"ASIACONTAINER\",\"SecretAccessKey\":\"containerSecret\","
             "\"Token\":\"containerToken\",\"Expiration\":\"%s\",\"RoleArn\":\"arn:aws:iam::1:role/"
             "task\"}",
             exp);
    reply(fd, 200, "application/json", body);
}

static void serve_imds(cred_fake *f, int fd, const char *method, const char *path,
                       const char *req) {
    if (strcmp(method, "PUT") == 0 && strcmp(path, "/latest/api/token") == 0) {
        if (has_header(req, "\r\nX-aws-ec2-metadata-token-ttl-seconds: 21600\r\n"))
            reply(fd, 200, "text/plain", "IMDSTOKEN");
        else
            reply(fd, 400, "text/plain", "");
        return;
    }
    if (!has_header(req, "\r\nX-aws-ec2-metadata-token: IMDSTOKEN\r\n")) {
        f->unauthorized++;
        reply(fd, 401, "text/plain", "");
        return;
    }
    char exp[32], body[512];
    iso(*f->now_ms + 6 * HOUR_MS, exp);
    snprintf(
        body, sizeof body,
        "{\"Code\":\"Success\",\"LastUpdated\":\"2024-05-01T11:00:00Z\",\"Type\":\"AWS-HMAC\","
        "\"AccessKeyId\":\"ASIAIMDS\",\"SecretAccessKey\":\"imdsSecret\",\"Token\":\"imdsToken\","
        "\"Expiration\":\"%s\"}",
        exp);
    if (strcmp(path, "/latest/meta-data/iam/security-credentials/") == 0)
        reply(fd, 200, "text/plain", "imds-role\n");
    else if (strcmp(path, "/latest/meta-data/iam/security-credentials/imds-role") == 0)
        reply(fd, 200, "text/plain", body);
    else if (strcmp(path, "/latest/meta-data/placement/region") == 0)
        reply(fd, 200, "text/plain", "eu-west-3");
    else
        reply(fd, 404, "text/plain", "");
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

static void serve(cred_fake *f, int fd) {
    char req[16384], method[16] = "", path[1024] = "";
    read_request(fd, req, sizeof req);
    sscanf(req, "%15s %1023s", method, path);
    pthread_mutex_lock(&f->mu);
    f->count++;
    size_t n = strlen(f->trace);
    snprintf(f->trace + n, sizeof f->trace - n, "%s %s;", method, path);
    if (strcmp(method, "POST") == 0 && strcmp(path, "/") == 0)
        serve_sts(f, fd, req);
    else if (strncmp(path, "/federation/credentials", 23) == 0)
        serve_sso(f, fd, path, req);
    else if (strncmp(path, "/creds", 6) == 0)
        serve_container(f, fd, req);
    else
        serve_imds(f, fd, method, path, req);
    pthread_mutex_unlock(&f->mu);
}

static void *fake_main(void *arg) {
    cred_fake *f = arg;
    for (;;) {
        struct pollfd p[2] = {{.fd = f->lfd, .events = POLLIN},
                              {.fd = f->wake[0], .events = POLLIN}};
        if (poll(p, 2, -1) < 0) continue;
        if (p[1].revents) break;
        int c = accept(f->lfd, NULL, NULL);
        if (c < 0) continue;
        serve(f, c);
        close(c);
    }
    return NULL;
}

int cred_fake_start(cred_fake *f, const int64_t *now_ms) {
    memset(f, 0, sizeof *f);
    f->now_ms = now_ms;
    f->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    if (f->lfd < 0 || bind(f->lfd, (struct sockaddr *)&a, sizeof a) != 0 ||
        listen(f->lfd, 16) != 0 || getsockname(f->lfd, (struct sockaddr *)&a, &len) != 0 ||
        pipe2(f->wake, O_CLOEXEC) != 0) {
        if (f->lfd >= 0) close(f->lfd);
        return -1;
    }
    f->port = ntohs(a.sin_port);
    pthread_mutex_init(&f->mu, NULL);
    pthread_cond_init(&f->cv, NULL);
    if (pthread_create(&f->th, NULL, fake_main, f) != 0) return -1;
    return 0;
}

void cred_fake_stop(cred_fake *f) {
    cred_fake_release(f);
    ssize_t w = write(f->wake[1], "x", 1);
    (void)w;
    pthread_join(f->th, NULL);
    close(f->lfd);
    close(f->wake[0]);
    close(f->wake[1]);
    pthread_cond_destroy(&f->cv);
    pthread_mutex_destroy(&f->mu);
}

int cred_fake_count(cred_fake *f) {
    pthread_mutex_lock(&f->mu);
    int n = f->count;
    pthread_mutex_unlock(&f->mu);
    return n;
}

int cred_fake_sts_calls(cred_fake *f) {
    pthread_mutex_lock(&f->mu);
    int n = f->sts_calls;
    pthread_mutex_unlock(&f->mu);
    return n;
}

void cred_fake_hold(cred_fake *f) {
    pthread_mutex_lock(&f->mu);
    f->hold = true;
    pthread_mutex_unlock(&f->mu);
}

bool cred_fake_wait_held(cred_fake *f, int timeout_ms) {
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&f->mu);
    int rc = 0;
    while (!f->held && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&f->cv, &f->mu, &until);
    bool held = f->held;
    pthread_mutex_unlock(&f->mu);
    return held;
}

void cred_fake_release(cred_fake *f) {
    pthread_mutex_lock(&f->mu);
    f->hold = false;
    pthread_cond_broadcast(&f->cv);
    pthread_mutex_unlock(&f->mu);
}
