/* credential_process: the command runs through /bin/sh -c (as the CLI's
 * shell-like split effectively does), stdout must be the Version 1 JSON
 * document. Its output is never echoed: it holds secrets. */
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

static void child(const char *command, int out_fd, int err_fd) {
    int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0) dup2(null_fd, 0);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    execl("/bin/sh", "sh", "-c", command, (char *)NULL);
    _exit(127);
}

/* Read both pipes to their end (either may fill up first). */
static void drain(int out_fd, int err_fd, buf *out, buf *errb) {
    struct pollfd p[2] = {{.fd = out_fd, .events = POLLIN}, {.fd = err_fd, .events = POLLIN}};
    buf *dst[2] = {out, errb};
    int open_n = 2;
    while (open_n > 0) {
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        for (int i = 0; i < 2; i++) {
            if (p[i].fd < 0 || !p[i].revents) continue;
            char chunk[4096];
            ssize_t n = read(p[i].fd, chunk, sizeof chunk);
            if (n > 0 && dst[i]->len < OUT_MAX) buf_add(dst[i], chunk, (size_t)n);
            if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
                p[i].fd = -1;
                open_n--;
            }
        }
    }
}

static int run(const char *command, buf *out, buf *errb, int *status, err *e) {
    int po[2], pe[2];
    if (pipe2(po, O_CLOEXEC) != 0) return err_set(e, 0, "", "cannot create a pipe: %s", strerror(errno));
    if (pipe2(pe, O_CLOEXEC) != 0) {
        close(po[0]);
        close(po[1]);
        return err_set(e, 0, "", "cannot create a pipe: %s", strerror(errno));
    }
    pid_t pid = fork();
    if (pid == 0) child(command, po[1], pe[1]);
    close(po[1]);
    close(pe[1]);
    if (pid < 0) {
        close(po[0]);
        close(pe[0]);
        return err_set(e, 0, "", "cannot start a process: %s", strerror(errno));
    }
    drain(po[0], pe[0], out, errb);
    close(po[0]);
    close(pe[0]);
    int ws = 0;
    while (waitpid(pid, &ws, 0) < 0 && errno == EINTR) {
    }
    *status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + (WIFSIGNALED(ws) ? WTERMSIG(ws) : 0);
    return 0;
}

/* The first line of stderr, sanitized and short: the command's own words
 * about why it failed (stdout is never shown). */
static char *first_line(const buf *b) {
    if (!b->data || !b->len) return xstrdup("");
    size_t n = strcspn(b->data, "\n");
    if (n > 160) n = 160;
    char *line = xstrndup(b->data, n), *s = text_sanitize(line);
    free(line);
    return s;
}

int cred_process_run(const char *profile, const char *command, aws_credentials *out, err *e) {
    buf o = BUF_INIT, eb = BUF_INIT;
    int status = 0, rc = run(command, &o, &eb, &status, e);
    if (rc == 0 && status != 0) {
        char *why = first_line(&eb);
        rc = err_set(e, 0, "", "credential_process of profile %s exited with status %d%s%s", profile,
                     status, *why ? ": " : "", why);
        free(why);
    } else if (rc == 0) {
        cJSON *doc = cJSON_ParseWithLength(o.data ? o.data : "", o.len);
        double version = json_num_or(doc, "Version", 0);
        cJSON_Delete(doc);
        if (version != 1)
            rc = err_set(e, 0, "", "credential_process of profile %s did not print a JSON document "
                                   "with \"Version\": 1", profile);
        else if (cred_from_json(o.data, o.len, "SessionToken", out) != 0)
            rc = err_set(e, 0, "", "credential_process of profile %s printed a document without "
                                   "valid AccessKeyId, SecretAccessKey or Expiration", profile);
    }
    if (o.data) memset(o.data, 0, o.len); /* the document held secrets */
    buf_free(&o);
    buf_free(&eb);
    return rc;
}
