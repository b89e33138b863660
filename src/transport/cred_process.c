/* credential_process: the command runs through /bin/sh -c (as the CLI's
 * shell-like split effectively does) in its own process group, with a time
 * limit after which the whole group is killed; stdout must be the Version 1
 * JSON document. stdout is never echoed (it holds secrets); a line of
 * stderr is quoted in errors, with anything that looks like a key masked. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"
#include "cred_internal.h"

#define OUT_MAX (1u << 20)
#define CANCEL_POLL_MS 200 /* how often a run notices that the chain is closing */

typedef struct run_result {
    int status; /* exit status, or -1 */
    int signal; /* the signal that ended it, or 0 */
    bool timed_out, cancelled;
} run_result;

static void child(const char *command, int out_fd, int err_fd) {
    setpgid(0, 0); /* a group of its own, so a timeout reaches its children too */
    int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0) dup2(null_fd, 0);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    execl("/bin/sh", "sh", "-c", command, (char *)NULL);
    _exit(127);
}

/* Read both pipes to their end (either may fill up first), until the
 * deadline or a cancel; false when stopped early. */
static bool drain(const cred_ctx *x, int fds[2], buf *dst[2], int64_t deadline, run_result *rr) {
    struct pollfd p[2] = {{.fd = fds[0], .events = POLLIN}, {.fd = fds[1], .events = POLLIN}};
    int open_n = 2;
    while (open_n > 0) {
        int64_t left = deadline - clock_mono_ms();
        if (left <= 0) return !(rr->timed_out = true);
        if (cred_cancelled(x)) return !(rr->cancelled = true);
        int wait_ms = (int)(left < CANCEL_POLL_MS || !x->cancel ? left : CANCEL_POLL_MS);
        int n = poll(p, 2, wait_ms);
        if (n < 0 && errno != EINTR) return false;
        for (int i = 0; i < 2 && n > 0; i++) {
            if (p[i].fd < 0 || !p[i].revents) continue;
            char chunk[4096];
            ssize_t got = read(p[i].fd, chunk, sizeof chunk);
            if (got > 0 && dst[i]->len < OUT_MAX) buf_add(dst[i], chunk, (size_t)got);
            if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN)) {
                p[i].fd = -1;
                open_n--;
            }
        }
    }
    return true;
}

/* Wait for the exit (a command may close its output and linger), killing
 * the group at the deadline or on a cancel. */
static void reap(const cred_ctx *x, pid_t pid, bool finished, int64_t deadline, run_result *rr) {
    int ws = 0;
    pid_t got = 0;
    while (finished && (got = waitpid(pid, &ws, WNOHANG)) == 0) {
        if (clock_mono_ms() >= deadline)
            finished = !(rr->timed_out = true);
        else if (cred_cancelled(x))
            finished = !(rr->cancelled = true);
        else
            poll(NULL, 0, 10);
    }
    if (got <= 0) {
        kill(-pid, SIGKILL);
        while (waitpid(pid, &ws, 0) < 0 && errno == EINTR) {
        }
    }
    rr->status = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
    rr->signal = WIFSIGNALED(ws) ? WTERMSIG(ws) : 0;
}

static int run(const cred_ctx *x, const char *command, buf *out, buf *errb, run_result *rr,
               err *e) {
    int po[2], pe[2];
    if (pipe2(po, O_CLOEXEC) != 0)
        return err_set(e, 0, "", "cannot create a pipe: %s", strerror(errno));
    if (pipe2(pe, O_CLOEXEC) != 0) {
        close(po[0]);
        close(po[1]);
        return err_set(e, 0, "", "cannot create a pipe: %s", strerror(errno));
    }
    int64_t limit = x->process_timeout_ms > 0 ? x->process_timeout_ms : CRED_PROCESS_TIMEOUT_MS;
    int64_t deadline = clock_mono_ms() + limit;
    pid_t pid = fork();
    if (pid == 0) child(command, po[1], pe[1]);
    close(po[1]);
    close(pe[1]);
    if (pid < 0) {
        close(po[0]);
        close(pe[0]);
        return err_set(e, 0, "", "cannot start a process: %s", strerror(errno));
    }
    setpgid(pid, pid); /* also here: the child may not have run yet */
    int fds[2] = {po[0], pe[0]};
    buf *dst[2] = {out, errb};
    bool finished = drain(x, fds, dst, deadline, rr);
    close(po[0]);
    close(pe[0]);
    reap(x, pid, finished, deadline, rr);
    return 0;
}

static bool key_char(char c) { return c && (isalnum((unsigned char)c) || strchr("+/=_-", c)); }

/* Mask runs that look like keys or tokens (20+ characters of base64 or
 * identifier alphabet), so a helper that echoes its secrets on stderr does
 * not put them on the screen. */
static void mask_secrets(char *s) {
    for (char *p = s; *p;) {
        size_t n = 0;
        while (key_char(p[n]))
            n++;
        if (n >= 20) {
            memset(p, '*', n);
            p += n;
        } else {
            p += n ? n : 1;
        }
    }
}

/* The first non-empty line of stderr, short, sanitized and masked: the
 * command's own words about why it failed. */
static char *stderr_line(const buf *b) {
    const char *s = b->data ? b->data : "";
    while (*s == '\n' || *s == '\r' || *s == ' ' || *s == '\t')
        s++;
    size_t n = strcspn(s, "\r\n");
    if (n > 200) n = 200;
    char *line = xstrndup(s, n), *safe = text_sanitize(line);
    free(line);
    mask_secrets(safe);
    return safe;
}

static int failure(const cred_ctx *x, const char *profile, const run_result *rr, const buf *eb,
                   err *e) {
    char *why = stderr_line(eb), *what;
    if (rr->cancelled)
        what = xstrdup("was stopped: the credential chain was closed");
    else if (rr->timed_out)
        what =
            xasprintf("did not finish within %d ms and was killed (with its process group)",
                      x->process_timeout_ms > 0 ? x->process_timeout_ms : CRED_PROCESS_TIMEOUT_MS);
    else if (rr->signal)
        what = xasprintf("was killed by signal %d", rr->signal);
    else
        what = xasprintf("exited with status %d", rr->status);
    int rc = err_set(e, 0, "", "credential_process of profile %s %s%s%s", profile, what,
                     *why ? "; its stderr says: " : "", why);
    free(what);
    free(why);
    return rc;
}

/* botocore's checks, one message each: a JSON object, "Version": 1, both
 * keys, a readable Expiration. */
static int parse_document(const char *profile, const buf *o, aws_credentials *out, err *e) {
    cJSON *doc = cJSON_ParseWithLength(o->data ? o->data : "", o->len);
    int rc = 0;
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(doc, "Version");
    if (!cJSON_IsObject(doc))
        rc = err_set(e, 0, "",
                     "credential_process of profile %s did not print a JSON document "
                     "(its output is not shown: it may hold secrets)",
                     profile);
    else if (!ver)
        rc = err_set(e, 0, "",
                     "credential_process of profile %s printed no \"Version\": it must be "
                     "\"Version\": 1",
                     profile);
    else if (!cJSON_IsNumber(ver) || ver->valuedouble != 1)
        rc = err_set(e, 0, "",
                     "credential_process of profile %s printed an unsupported Version; "
                     "the supported version is \"Version\": 1",
                     profile);
    else if (!json_str(doc, "AccessKeyId") || !*json_str(doc, "AccessKeyId"))
        rc = err_set(e, 0, "", "credential_process of profile %s printed no AccessKeyId", profile);
    else if (!json_str(doc, "SecretAccessKey") || !*json_str(doc, "SecretAccessKey"))
        rc = err_set(e, 0, "", "credential_process of profile %s printed no SecretAccessKey",
                     profile);
    else if (json_has(doc, "Expiration") && json_str(doc, "Expiration") == NULL)
        rc = err_set(e, 0, "",
                     "credential_process of profile %s printed an Expiration that is not a "
                     "string",
                     profile);
    else if (cred_from_json(o->data, o->len, "SessionToken", out) != 0)
        rc = err_set(e, 0, "",
                     "credential_process of profile %s printed an Expiration that is not an "
                     "ISO 8601 time, or a value too long",
                     profile);
    cJSON_Delete(doc);
    return rc;
}

int cred_process_run(const cred_ctx *x, const char *profile, const char *command,
                     aws_credentials *out, err *e) {
    buf o = BUF_INIT, eb = BUF_INIT;
    run_result rr = {0};
    int rc = run(x, command, &o, &eb, &rr, e);
    if (rc == 0 && (rr.timed_out || rr.cancelled || rr.signal || rr.status != 0))
        rc = failure(x, profile, &rr, &eb, e);
    else if (rc == 0)
        rc = parse_document(profile, &o, out, e);
    if (o.data) memset(o.data, 0, o.len); /* the document held secrets */
    if (eb.data) memset(eb.data, 0, eb.len);
    buf_free(&o);
    buf_free(&eb);
    return rc;
}
