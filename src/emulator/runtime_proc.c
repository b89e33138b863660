/* Worker processes: finding the interpreter, starting a worker with its
 * channels on fds 3 and 4 and its log on 1 and 2, stopping and reaping it.
 * Between fork and exec the child only makes async-signal-safe calls: the
 * emulator may run on any thread. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/mem.h"
#include "runtime_int.h"

int64_t rt_mono_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* --- interpreters ---------------------------------------------------------- */

static bool executable_file(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

static char *on_path(const char *name) {
    const char *path = getenv("PATH");
    if (!path) path = "/usr/local/bin:/usr/bin:/bin";
    for (const char *p = path; *p;) {
        size_t n = strcspn(p, ":");
        char *cand = xasprintf("%.*s/%s", (int)n, n ? p : ".", name);
        if (executable_file(cand)) return cand;
        free(cand);
        p += n;
        if (*p == ':') p++;
    }
    return NULL;
}

static bool is_script(const char *path) {
    char head[2] = {0};
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    ssize_t n = read(fd, head, 2);
    close(fd);
    return n == 2 && head[0] == '#' && head[1] == '!';
}

/* Run argv with our environment and return what it prints (at most 4 KB,
 * within 10 s), or NULL. */
static char *run_capture(const char *const *argv) {
    int out[2];
    if (pipe2(out, O_CLOEXEC) != 0) return NULL;
    pid_t pid = fork();
    if (pid < 0) {
        close(out[0]);
        close(out[1]);
        return NULL;
    }
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDWR);
        if (devnull >= 0) {
            dup2(devnull, 0);
            dup2(devnull, 2);
        }
        dup2(out[1], 1);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(out[1]);
    char buf[4096];
    size_t len = 0;
    int64_t deadline = rt_mono_us() + 10000000;
    for (;;) {
        int64_t left = (deadline - rt_mono_us()) / 1000;
        struct pollfd pfd = {.fd = out[0], .events = POLLIN};
        if (left <= 0 || poll(&pfd, 1, (int)left) <= 0) break;
        ssize_t n = read(out[0], buf + len, sizeof buf - 1 - len);
        if (n <= 0 || (len += (size_t)n) >= sizeof buf - 1) break;
    }
    close(out[0]);
    kill(pid, SIGKILL);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    buf[len] = '\0';
    return len ? xstrdup(buf) : NULL;
}

char *rt_find_interpreter(const char *name) {
    char *path = on_path(name);
    if (!path || !is_script(path)) return path;
    /* A shim (pyenv, asdf, ...) needs its manager's environment to pick the
     * interpreter; ask the interpreter where it really lives. */
    bool python = strncmp(name, "python", 6) == 0;
    const char *argv[] = {path, python ? "-c" : "-e",
                          python ? "import sys; sys.stdout.write(sys.executable)"
                                 : "process.stdout.write(process.execPath)",
                          NULL};
    char *real = run_capture(argv);
    if (real && real[0] == '/' && executable_file(real)) {
        free(path);
        return real;
    }
    free(real);
    return path;
}

/* --- workers --------------------------------------------------------------- */

static void close_from(int lowfd) {
#ifdef SYS_close_range
    if (syscall(SYS_close_range, (unsigned)lowfd, ~0U, 0) == 0) return;
#endif
    long max = sysconf(_SC_OPEN_MAX);
    for (long fd = lowfd; fd < (max > 0 ? max : 1024); fd++)
        close((int)fd);
}

/* The child between fork and exec: async-signal-safe calls only. */
static void child(const char *const *argv, const char *const *envp, const char *dir, pid_t parent,
                  int req, int resp, int log) {
    /* Move our ends out of the way of 0..4 first, then put them in place. */
    req = fcntl(req, F_DUPFD_CLOEXEC, 10);
    resp = fcntl(resp, F_DUPFD_CLOEXEC, 10);
    log = fcntl(log, F_DUPFD_CLOEXEC, 10);
    int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (req < 0 || resp < 0 || log < 0 || devnull < 0) _exit(126);
    if (dup2(devnull, 0) < 0 || dup2(log, 1) < 0 || dup2(log, 2) < 0 || dup2(req, 3) < 0 ||
        dup2(resp, 4) < 0)
        _exit(126);
    close_from(5);
    /* Die with the emulator; it may already be gone. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(126);
    setpgid(0, 0);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
    if (chdir(dir) != 0) _exit(126);
    execve(argv[0], (char *const *)argv, (char *const *)envp);
    _exit(127);
}

static void close_pair(int fds[2]) {
    if (fds[0] >= 0) close(fds[0]);
    if (fds[1] >= 0) close(fds[1]);
}

int rt_spawn(const char *const *argv, const char *const *envp, const char *dir, rt_proc *p,
             err *e) {
    int req[2] = {-1, -1}, resp[2] = {-1, -1}, log[2] = {-1, -1};
    memset(p, 0, sizeof *p);
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, req) != 0 ||
        pipe2(resp, O_CLOEXEC) != 0 || pipe2(log, O_CLOEXEC) != 0) {
        int saved = errno;
        close_pair(req);
        close_pair(resp);
        close_pair(log);
        return err_set(e, 500, "ServiceException", "cannot make a worker's channels: %s",
                       strerror(saved));
    }
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) child(argv, envp, dir, parent, req[1], resp[1], log[1]);
    int saved = errno;
    close(req[1]);
    close(resp[1]);
    close(log[1]);
    if (pid < 0) {
        close(req[0]);
        close(resp[0]);
        close(log[0]);
        return err_set(e, 500, "ServiceException", "cannot start a worker: %s", strerror(saved));
    }
    setpgid(pid, pid); /* also done by the child: whichever runs first */
    fcntl(req[0], F_SETFL, O_NONBLOCK);
    fcntl(resp[0], F_SETFL, O_NONBLOCK);
    fcntl(log[0], F_SETFL, O_NONBLOCK);
    *p = (rt_proc){.pid = pid, .req = req[0], .resp = resp[0], .log = log[0]};
    return 0;
}

static void close_ends(rt_proc *p) {
    if (p->req >= 0) close(p->req);
    if (p->resp >= 0) close(p->resp);
    if (p->log >= 0) close(p->log);
    p->req = p->resp = p->log = -1;
}

static void note_exit(rt_proc *p, int st, const struct rusage *ru, int *status, long *maxrss_kb) {
    if (status) *status = st;
    if (maxrss_kb) *maxrss_kb = ru->ru_maxrss;
    close_ends(p);
    p->pid = 0;
}

void rt_stop(rt_proc *p, int *status, long *maxrss_kb) {
    if (p->pid <= 0) {
        close_ends(p);
        return;
    }
    kill(-p->pid, SIGKILL); /* the function's own children too */
    kill(p->pid, SIGKILL);
    int st = 0;
    struct rusage ru = {0};
    while (wait4(p->pid, &st, 0, &ru) < 0 && errno == EINTR) {
    }
    note_exit(p, st, &ru, status, maxrss_kb);
}

bool rt_exited(rt_proc *p, int *status, long *maxrss_kb) {
    if (p->pid <= 0) return true;
    int st = 0;
    struct rusage ru = {0};
    pid_t r = wait4(p->pid, &st, WNOHANG, &ru);
    if (r == 0) return false;
    if (r < 0 && errno == EINTR) return false;
    kill(-p->pid, SIGKILL); /* what the function left behind */
    note_exit(p, st, &ru, status, maxrss_kb);
    return true;
}

long rt_peak_kb(pid_t pid) {
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "re");
    long kb = 0;
    if (!f) return 0;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0) {
            kb = strtol(line + 6, NULL, 10);
            break;
        }
    fclose(f);
    return kb;
}
