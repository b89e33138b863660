/* Local Lambda workers. A function version's code is unpacked once into a
 * private directory and served by a python3 or node process running the
 * bootstrap of assets/runtime/, which stays warm and is reused like a
 * Lambda execution environment. One invocation is one exchange of frames
 * with the worker (see the bootstraps), while its stdout and stderr are
 * read as the function's log; the log, timeouts, crashes and errors come
 * out as Lambda shapes them. */
#include "emulator/runtime.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/mem.h"
#include "runtime_int.h"

#define DEFAULT_MAX_WORKERS 8
#define INIT_LIMIT_US (10 * 1000000LL) /* Lambda's limit on the init phase */
#define RESPONSE_MAX 6291556           /* Lambda's synchronous response limit */
#define LOG_CAP (1 << 20)              /* function output kept per invocation */
#define HEAD_MAX 64

typedef enum lang { LANG_PYTHON, LANG_NODE } lang;

static const char *const INTERPRETER[] = {"python3", "node"};
static const char *const BOOT_NAME[] = {"bootstrap.py", "bootstrap.cjs"};

typedef struct worker {
    rt_proc p;
    uint64_t config; /* hash of what it was started with */
    uint64_t used;   /* for least-recently-used eviction */
    char *stream;    /* its log stream name */
} worker;

/* One function version's code (by version ARN) and its warm worker. */
typedef struct version {
    char *arn, *sha, *dir;
    worker *w;
} version;

struct runtime {
    char *root; /* private 0700 directory; NULL if it could not be made */
    int max_workers;
    clock_src clock;
    rand_src rand;
    version *v;
    size_t nv, capv;
    uint64_t tick;
    unsigned seq;
    char *interp[2]; /* found interpreters, by lang */
    char *boot[2];   /* written bootstraps, by lang */
};

/* --- set-up ------------------------------------------------------------------ */

runtime *runtime_new(const runtime_opts *o) {
    runtime *rt = xcalloc(1, sizeof *rt);
    rt->max_workers = o && o->max_workers > 0 ? o->max_workers : DEFAULT_MAX_WORKERS;
    rt->clock = o && o->clock.now_ms ? o->clock : clock_system();
    rt->rand = o && o->rand.next ? o->rand : rand_system();
    const char *base = o && o->work_dir ? o->work_dir : getenv("TMPDIR");
    char *tmpl = xasprintf("%s/apigw-lambda-XXXXXX", base && *base ? base : "/tmp");
    if (mkdtemp(tmpl))
        rt->root = tmpl;
    else
        free(tmpl);
    return rt;
}

static void drop_worker(version *v) {
    free(v->w->stream);
    free(v->w);
    v->w = NULL;
}

static void stop_worker(version *v, int *status, long *maxrss_kb) {
    if (!v->w) return;
    rt_stop(&v->w->p, status, maxrss_kb);
    drop_worker(v);
}

void runtime_free(runtime *rt) {
    if (!rt) return;
    for (size_t i = 0; i < rt->nv; i++) {
        stop_worker(&rt->v[i], NULL, NULL);
        free(rt->v[i].arn);
        free(rt->v[i].sha);
        free(rt->v[i].dir);
    }
    free(rt->v);
    for (int l = 0; l < 2; l++) {
        free(rt->interp[l]);
        free(rt->boot[l]);
    }
    if (rt->root) rt_remove_tree(rt->root);
    free(rt->root);
    free(rt);
}

void runtime_result_free(runtime_result *r) {
    free(r->payload);
    free(r->log);
    memset(r, 0, sizeof *r);
}

/* --- what to run ------------------------------------------------------------ */

static int lang_of(const char *runtime_name, lang *out, err *e) {
    const char *r = runtime_name ? runtime_name : "";
    if (strncmp(r, "python3", 7) == 0) {
        *out = LANG_PYTHON;
        return 0;
    }
    if (strncmp(r, "nodejs", 6) == 0) {
        *out = LANG_NODE;
        return 0;
    }
    return err_set(e, 502, "InvalidRuntimeException",
                   "The runtime %s cannot run in the offline emulator: only python3.x and "
                   "nodejs runtimes run locally",
                   *r ? r : "(none)");
}

static const char *interpreter(runtime *rt, lang l, const char *runtime_name, err *e) {
    if (!rt->interp[l]) rt->interp[l] = rt_find_interpreter(INTERPRETER[l]);
    if (!rt->interp[l])
        err_set(e, 502, "InvalidRuntimeException", "%s is not installed: the %s runtime needs it",
                INTERPRETER[l], runtime_name);
    return rt->interp[l];
}

static int write_file(const char *path, const void *data, size_t len, err *e) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return err_set(e, 500, "ServiceException", "cannot write %s: %s", path, strerror(errno));
    size_t off = 0;
    while (off < len) {
        ssize_t n = write(fd, (const char *)data + off, len - off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        off += (size_t)n;
    }
    close(fd);
    return off == len ? 0 : err_set(e, 500, "ServiceException", "cannot write %s", path);
}

/* The bootstrap of a language, written into the runtime's directory once. */
static const char *bootstrap(runtime *rt, lang l, err *e) {
    if (rt->boot[l]) return rt->boot[l];
    char *path = xasprintf("%s/%s", rt->root, BOOT_NAME[l]);
    int rc = l == LANG_PYTHON ? write_file(path, asset_bootstrap_py, asset_bootstrap_py_len, e)
                              : write_file(path, asset_bootstrap_js, asset_bootstrap_js_len, e);
    if (rc != 0) {
        free(path);
        return NULL;
    }
    return rt->boot[l] = path;
}

static version *find_version(runtime *rt, const char *arn) {
    for (size_t i = 0; i < rt->nv; i++)
        if (strcmp(rt->v[i].arn, arn) == 0) return &rt->v[i];
    return NULL;
}

/* The version's unpacked code: unpacked now when new or changed. */
static version *code_for(runtime *rt, const runtime_fn *fn, err *e) {
    const char *sha = fn->code_sha256 ? fn->code_sha256 : "";
    version *v = find_version(rt, fn->arn);
    if (v && strcmp(v->sha, sha) == 0) return v;
    if (v) { /* new code under the same version ARN ($LATEST): start over */
        stop_worker(v, NULL, NULL);
        rt_remove_tree(v->dir);
        free(v->dir);
        free(v->sha);
    } else {
        if (rt->nv == rt->capv) {
            rt->capv = rt->capv ? 2 * rt->capv : 8;
            rt->v = xrealloc(rt->v, rt->capv * sizeof *rt->v);
        }
        v = &rt->v[rt->nv++];
        v->arn = xstrdup(fn->arn);
        v->w = NULL;
    }
    v->sha = xstrdup(sha);
    v->dir = xasprintf("%s/code-%u", rt->root, ++rt->seq);
    if (rt_unzip(fn->zip, fn->zip_len, v->dir, e) != 0) {
        free(v->sha);
        free(v->dir);
        free(v->arn);
        *v = rt->v[--rt->nv];
        return NULL;
    }
    return v;
}

static uint64_t fnv(uint64_t h, const char *s) {
    for (; s && *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
    return (h ^ 0xff) * 0x100000001b3ull; /* a separator, so "ab","c" != "a","bc" */
}

/* What a worker was started with: a change means a new environment. */
static uint64_t config_hash(const runtime_fn *fn) {
    char nums[64];
    snprintf(nums, sizeof nums, "%d/%d", fn->timeout_s, fn->memory_mb);
    uint64_t h = 0xcbf29ce484222325ull;
    const char *parts[] = {fn->runtime, fn->handler, fn->name, fn->version,
                           fn->region,  fn->account, nums,     fn->log_group};
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
        h = fnv(h, parts[i]);
    for (const char *const *p = fn->env; p && *p; p++)
        h = fnv(h, *p);
    return h;
}

/* --- environment ---------------------------------------------------------- */

typedef struct strv {
    char **v;
    size_t n, cap;
} strv;

static void strv_add(strv *s, char *owned) {
    if (s->n + 2 > s->cap) {
        s->cap = s->cap ? 2 * s->cap : 32;
        s->v = xrealloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = owned;
    s->v[s->n] = NULL;
}

static void strv_free(strv *s) {
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
}

static bool strv_has(const strv *s, const char *name) {
    size_t n = strlen(name);
    for (size_t i = 0; i < s->n; i++)
        if (strncmp(s->v[i], name, n) == 0 && s->v[i][n] == '=') return true;
    return false;
}

bool rt_env_reserved(const char *name, size_t n) {
    static const char *const names[] = {"_HANDLER",
                                        "_X_AMZN_TRACE_ID",
                                        "AWS_DEFAULT_REGION",
                                        "AWS_REGION",
                                        "AWS_EXECUTION_ENV",
                                        "AWS_LAMBDA_FUNCTION_NAME",
                                        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
                                        "AWS_LAMBDA_FUNCTION_VERSION",
                                        "AWS_LAMBDA_INITIALIZATION_TYPE",
                                        "AWS_LAMBDA_LOG_GROUP_NAME",
                                        "AWS_LAMBDA_LOG_STREAM_NAME",
                                        "AWS_ACCESS_KEY",
                                        "AWS_ACCESS_KEY_ID",
                                        "AWS_SECRET_ACCESS_KEY",
                                        "AWS_SESSION_TOKEN",
                                        "AWS_LAMBDA_RUNTIME_API",
                                        "LAMBDA_TASK_ROOT",
                                        "LAMBDA_RUNTIME_DIR"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strlen(names[i]) == n && strncmp(name, names[i], n) == 0) return true;
    return false;
}

static char *log_group_of(const runtime_fn *fn) {
    return fn->log_group && *fn->log_group ? xstrdup(fn->log_group)
                                           : xasprintf("/aws/lambda/%s", fn->name);
}

/* The worker's whole environment: nothing of ours (no credentials), only
 * what a Lambda execution environment holds. */
static void build_env(const runtime_fn *fn, const char *dir, const char *interp, const char *stream,
                      strv *env) {
    char *group = log_group_of(fn);
    strv_add(env, xasprintf("_HANDLER=%s", fn->handler ? fn->handler : ""));
    strv_add(env, xasprintf("AWS_EXECUTION_ENV=AWS_Lambda_%s", fn->runtime));
    strv_add(env, xasprintf("AWS_REGION=%s", fn->region));
    strv_add(env, xasprintf("AWS_DEFAULT_REGION=%s", fn->region));
    strv_add(env, xasprintf("AWS_LAMBDA_FUNCTION_NAME=%s", fn->name));
    strv_add(env, xasprintf("AWS_LAMBDA_FUNCTION_VERSION=%s", fn->version));
    strv_add(env, xasprintf("AWS_LAMBDA_FUNCTION_MEMORY_SIZE=%d",
                            fn->memory_mb > 0 ? fn->memory_mb : 128));
    strv_add(env, xstrdup("AWS_LAMBDA_INITIALIZATION_TYPE=on-demand"));
    strv_add(env, xasprintf("AWS_LAMBDA_LOG_GROUP_NAME=%s", group));
    strv_add(env, xasprintf("AWS_LAMBDA_LOG_STREAM_NAME=%s", stream));
    strv_add(env, xasprintf("LAMBDA_TASK_ROOT=%s", dir));
    for (const char *const *p = fn->env; p && *p; p++)
        if (strchr(*p, '=') && **p != '=' && !rt_env_reserved(*p, strcspn(*p, "=")))
            strv_add(env, xstrdup(*p));
    const char *slash = strrchr(interp, '/');
    if (!strv_has(env, "PATH"))
        strv_add(env, xasprintf("PATH=%.*s:/usr/local/bin:/usr/bin:/bin",
                                (int)(slash ? slash - interp : 1), slash ? interp : "/"));
    if (!strv_has(env, "LANG")) strv_add(env, xstrdup("LANG=en_US.UTF-8"));
    if (!strv_has(env, "TZ")) strv_add(env, xstrdup("TZ=:UTC"));
    free(group);
}

/* --- ids and time ------------------------------------------------------------ */

static void new_uuid(runtime *rt, char out[40]) {
    uint64_t a = rand_u64(&rt->rand), b = rand_u64(&rt->rand);
    snprintf(out, 40, "%08x-%04x-4%03x-%04x-%012llx", (unsigned)(a >> 32),
             (unsigned)(a >> 16) & 0xffff, (unsigned)a & 0xfff,
             (unsigned)(0x8000 | ((b >> 48) & 0x3fff)),
             (unsigned long long)(b & 0xffffffffffffull));
}

/* "2026-11-30T00:00:00.000Z" (format "d": "2026/11/30" for stream names). */
static void stamp(runtime *rt, bool date_only, char *out, size_t n) {
    int64_t ms = clock_now_ms(&rt->clock);
    time_t s = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&s, &tm);
    if (date_only)
        strftime(out, n, "%Y/%m/%d", &tm);
    else
        snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
}

static int64_t wall_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* --- workers ---------------------------------------------------------------- */

static size_t live_workers(const runtime *rt) {
    size_t n = 0;
    for (size_t i = 0; i < rt->nv; i++)
        n += rt->v[i].w != NULL;
    return n;
}

/* Keep at most max_workers: stop the least recently used. */
static void make_room(runtime *rt) {
    while (live_workers(rt) >= (size_t)rt->max_workers) {
        version *lru = NULL;
        for (size_t i = 0; i < rt->nv; i++)
            if (rt->v[i].w && (!lru || rt->v[i].w->used < lru->w->used)) lru = &rt->v[i];
        stop_worker(lru, NULL, NULL);
    }
}

static int start_worker(runtime *rt, version *v, const runtime_fn *fn, const char *interp,
                        const char *boot, uint64_t config, err *e) {
    worker *w = xcalloc(1, sizeof *w);
    char day[80], hex[40];
    stamp(rt, true, day, sizeof day);
    uint64_t a = rand_u64(&rt->rand), b = rand_u64(&rt->rand);
    snprintf(hex, sizeof hex, "%016llx%016llx", (unsigned long long)a, (unsigned long long)b);
    w->stream = xasprintf("%s/[%s]%s", day, fn->version, hex);
    strv env = {0};
    build_env(fn, v->dir, interp, w->stream, &env);
    const char *argv_py[] = {interp, "-B", boot, NULL};
    const char *argv_js[] = {interp, boot, NULL};
    bool py = strncmp(fn->runtime, "python", 6) == 0;
    int rc = rt_spawn(py ? argv_py : argv_js, (const char *const *)env.v, v->dir, &w->p, e);
    strv_free(&env);
    if (rc != 0) {
        free(w->stream);
        free(w);
        return -1;
    }
    w->config = config;
    v->w = w;
    return 0;
}

/* --- one exchange of frames ------------------------------------------------ */

typedef struct frame {
    buf in;        /* bytes read from the worker's answer channel */
    size_t head;   /* length of the header line with its '\n'; 0: not yet */
    char kind[16]; /* "ok", "error", ... */
    size_t len;    /* payload length */
} frame;

typedef enum xrc { X_FRAME, X_TIMEOUT, X_CLOSED, X_TOO_LARGE } xrc;

typedef struct logbuf {
    buf b;
    size_t dropped; /* bytes beyond LOG_CAP */
} logbuf;

/* Read what the worker printed; false at end of file. */
static bool read_log(int fd, logbuf *log) {
    char chunk[65536];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return true; /* EAGAIN: nothing more for now */
        if (n == 0) return false;
        size_t keep = log->b.len < LOG_CAP ? LOG_CAP - log->b.len : 0;
        if (keep > (size_t)n) keep = (size_t)n;
        buf_add(&log->b, chunk, keep);
        log->dropped += (size_t)n - keep;
    }
}

/* Parse "<kind> <len>\n" once it is complete. -1: malformed. */
static int parse_head(frame *f) {
    const char *nl = f->in.len ? memchr(f->in.data, '\n', f->in.len) : NULL;
    if (!nl) return f->in.len > HEAD_MAX ? -1 : 0;
    size_t hl = (size_t)(nl - f->in.data);
    size_t k = 0;
    while (k < hl && k < sizeof f->kind - 1 && f->in.data[k] != ' ')
        k++;
    if (k == 0 || k >= hl || f->in.data[k] != ' ') return -1;
    memcpy(f->kind, f->in.data, k);
    f->kind[k] = '\0';
    size_t len = 0;
    for (size_t i = k + 1; i < hl; i++) {
        if (f->in.data[i] < '0' || f->in.data[i] > '9' || len > RESPONSE_MAX) return -1;
        len = len * 10 + (size_t)(f->in.data[i] - '0');
    }
    f->len = len;
    f->head = hl + 1;
    return 0;
}

static bool frame_done(const frame *f) { return f->head && f->in.len >= f->head + f->len; }

/* Read the answer channel; X_FRAME when a frame is complete, X_CLOSED at
 * end of file, X_TOO_LARGE for an oversized or malformed frame, else -1. */
static int read_frame(int fd, frame *f) {
    char chunk[65536];
    for (;;) {
        if (!f->head && parse_head(f) != 0) return X_TOO_LARGE;
        if (f->head && f->len > RESPONSE_MAX) return X_TOO_LARGE;
        if (frame_done(f)) return X_FRAME;
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return -1;
        if (n == 0) return X_CLOSED;
        buf_add(&f->in, chunk, (size_t)n);
    }
}

/* Send out (may be empty) to the worker while reading its log and its
 * answer, until a frame arrives, the worker closes its answer channel or
 * the deadline (monotonic microseconds) passes. */
static xrc exchange(worker *w, const char *out, size_t outlen, int64_t deadline, logbuf *log,
                    frame *f) {
    size_t sent = 0;
    bool log_open = w->p.log >= 0;
    xrc rc;
    for (;;) {
        int64_t left = deadline - rt_mono_us();
        if (left <= 0) {
            rc = X_TIMEOUT;
            break;
        }
        struct pollfd pfd[3] = {{.fd = w->p.resp, .events = POLLIN},
                                {.fd = log_open ? w->p.log : -1, .events = POLLIN},
                                {.fd = sent < outlen ? w->p.req : -1, .events = POLLOUT}};
        int n = poll(pfd, 3, (int)((left + 999) / 1000));
        if (n < 0 && errno != EINTR) {
            rc = X_CLOSED;
            break;
        }
        if (n <= 0) continue;
        if (pfd[1].revents && !read_log(w->p.log, log)) log_open = false;
        if (pfd[2].revents) {
            ssize_t s = send(w->p.req, out + sent, outlen - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (s > 0)
                sent += (size_t)s;
            else if (s < 0 && errno != EAGAIN && errno != EINTR)
                sent = outlen; /* the worker is gone: its answer channel will say so */
        }
        if (pfd[0].revents) {
            int r = read_frame(w->p.resp, f);
            if (r >= 0) {
                rc = (xrc)r;
                break;
            }
        }
    }
    if (log_open) read_log(w->p.log, log); /* what it printed before answering */
    return rc;
}

/* Drop anything a worker wrote outside an invocation. */
static void discard_answers(worker *w) {
    char chunk[4096];
    while (read(w->p.resp, chunk, sizeof chunk) > 0) {
    }
}

/* --- one invocation --------------------------------------------------------- */

typedef struct call {
    runtime *rt;
    version *v;
    const runtime_fn *fn;
    runtime_result *out;
    logbuf init_log, log;
    buf extra; /* platform lines after the function's output */
    frame f;
    int64_t billed_fixed; /* > 0: billed duration (timeouts) */
    long peak_kb;
} call;

static int timeout_s(const runtime_fn *fn) { return fn->timeout_s > 0 ? fn->timeout_s : 3; }

static void set_payload(call *k, const char *data, size_t len, bool unhandled) {
    free(k->out->payload);
    k->out->payload = xstrndup(data, len);
    k->out->payload_len = len;
    snprintf(k->out->function_error, sizeof k->out->function_error, "%s",
             unhandled ? "Unhandled" : "");
}

static void set_json_payload(call *k, cJSON *obj) {
    char *text = json_print(obj);
    set_payload(k, text, strlen(text), true);
    free(text);
    cJSON_Delete(obj);
}

/* Stop the worker, noting its peak memory and how it ended. */
static void retire(call *k, int *status) {
    if (!k->v->w) return;
    long kb = rt_peak_kb(k->v->w->p.pid), rss = 0;
    stop_worker(k->v, status, &rss);
    k->peak_kb = kb > rss ? kb : rss;
}

static void on_timeout(call *k) {
    char ts[80], msg[200];
    stamp(k->rt, false, ts, sizeof ts);
    snprintf(msg, sizeof msg, "%s %s Task timed out after %.2f seconds", ts, k->out->request_id,
             (double)timeout_s(k->fn));
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "errorMessage", msg);
    set_json_payload(k, o);
    buf_printf(&k->extra, "%s\n\n", msg);
    k->billed_fixed = (int64_t)timeout_s(k->fn) * 1000;
    retire(k, NULL);
}

/* The worker ended without answering: Lambda's Runtime.ExitError. */
static void on_exit_error(call *k) {
    int status = 0;
    long rss = 0;
    if (!rt_exited(&k->v->w->p, &status, &rss)) {
        retire(k, &status); /* it closed its channel but lingers */
    } else {
        k->peak_kb = rss;
        drop_worker(k->v);
    }
    char why[96];
    if (WIFSIGNALED(status)) {
        const char *name = strsignal(WTERMSIG(status));
        snprintf(why, sizeof why, "Runtime exited with error: signal: %s", name ? name : "unknown");
        why[strlen("Runtime exited with error: signal: ")] |= 0x20; /* Go's lowercase names */
    } else if (WEXITSTATUS(status) != 0) {
        snprintf(why, sizeof why, "Runtime exited with error: exit status %d", WEXITSTATUS(status));
    } else {
        snprintf(why, sizeof why, "Runtime exited without providing a reason");
    }
    char msg[200];
    snprintf(msg, sizeof msg, "RequestId: %s Error: %s", k->out->request_id, why);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "errorType", "Runtime.ExitError");
    cJSON_AddStringToObject(o, "errorMessage", msg);
    set_json_payload(k, o);
    buf_printf(&k->extra, "%s\nRuntime.ExitError\n", msg);
}

static void on_too_large(call *k) {
    cJSON *o = cJSON_CreateObject();
    char msg[120];
    snprintf(msg, sizeof msg,
             "Response payload size exceeded maximum allowed payload size (%d bytes).",
             RESPONSE_MAX);
    cJSON_AddStringToObject(o, "errorMessage", msg);
    cJSON_AddStringToObject(o, "errorType", "Function.ResponseSizeTooLarge");
    set_json_payload(k, o);
    retire(k, NULL);
}

/* Turn how an exchange ended into the result. */
static void outcome(call *k, xrc rc) {
    if (rc == X_TIMEOUT) return on_timeout(k);
    if (rc == X_TOO_LARGE) return on_too_large(k);
    bool ok = rc == X_FRAME && strcmp(k->f.kind, "ok") == 0;
    bool failed =
        rc == X_FRAME && (strcmp(k->f.kind, "error") == 0 || strcmp(k->f.kind, "fatal") == 0 ||
                          strcmp(k->f.kind, "init-error") == 0);
    if (!ok && !failed) return on_exit_error(k);
    set_payload(k, k->f.in.data + k->f.head, k->f.len, failed);
    if (strcmp(k->f.kind, "ok") != 0 && strcmp(k->f.kind, "error") != 0) retire(k, NULL);
}

static void add_lines(buf *b, const logbuf *l) {
    if (!l->b.len) return;
    buf_add(b, l->b.data, l->b.len);
    if (l->b.data[l->b.len - 1] != '\n') buf_putc(b, '\n');
    if (l->dropped)
        buf_printf(b, "[the offline emulator dropped %zu more bytes of output]\n", l->dropped);
}

static void write_log(call *k, double duration_ms) {
    runtime_result *o = k->out;
    const char *id = o->request_id;
    buf b = BUF_INIT;
    add_lines(&b, &k->init_log);
    buf_printf(&b, "START RequestId: %s Version: %s\n", id, k->fn->version);
    add_lines(&b, &k->log);
    buf_add(&b, k->extra.data ? k->extra.data : "", k->extra.len);
    buf_printf(&b, "END RequestId: %s\n", id);
    /* Since August 2025 Lambda bills the init phase of managed runtimes. */
    int64_t billed =
        k->billed_fixed > 0 ? k->billed_fixed : (int64_t)ceil(duration_ms + o->init_ms);
    if (billed < 1) billed = 1;
    int mem = k->fn->memory_mb > 0 ? k->fn->memory_mb : 128;
    o->duration_ms = duration_ms;
    o->billed_ms = (double)billed;
    o->max_memory_mb = (int)((k->peak_kb + 1023) / 1024);
    buf_printf(&b,
               "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %lld ms\tMemory Size: "
               "%d MB\tMax Memory Used: %d MB\t",
               id, duration_ms, (long long)billed, mem, o->max_memory_mb);
    if (o->init_ms > 0) buf_printf(&b, "Init Duration: %.2f ms\t", o->init_ms);
    buf_putc(&b, '\n');
    o->log = buf_steal(&b);
}

/* The init phase of a new worker: 0 when the handler is loaded, else the
 * result (init error, crash or timeout) is complete. */
static int init_phase(call *k) {
    int64_t t0 = rt_mono_us();
    xrc rc = exchange(k->v->w, NULL, 0, t0 + INIT_LIMIT_US, &k->init_log, &k->f);
    double ms = (double)(rt_mono_us() - t0) / 1000.0;
    if (rc == X_FRAME && strcmp(k->f.kind, "init-ok") == 0) {
        k->out->init_ms = ms;
        buf_reset(&k->f.in);
        k->f.head = 0;
        return 0;
    }
    /* A failed init is retried within the invocation in Lambda, so its time
     * is the invocation's and there is no Init Duration. */
    outcome(k, rc);
    if (k->v->w) retire(k, NULL); /* the next invocation starts afresh */
    write_log(k, ms);
    return -1;
}

static char *request_frame(call *k, const char *event, size_t len, size_t *outlen) {
    cJSON *head = cJSON_CreateObject();
    cJSON_AddStringToObject(head, "id", k->out->request_id);
    cJSON_AddStringToObject(head, "arn", k->fn->invoked_arn ? k->fn->invoked_arn : k->fn->arn);
    cJSON_AddNumberToObject(head, "deadline", (double)(wall_ms() + timeout_s(k->fn) * 1000LL));
    char *h = json_print(head);
    cJSON_Delete(head);
    buf b = BUF_INIT;
    buf_printf(&b, "invoke %zu %zu\n", strlen(h), len);
    buf_puts(&b, h);
    buf_add(&b, event, len);
    free(h);
    *outlen = b.len;
    return buf_steal(&b);
}

static void invoke_phase(call *k, const char *event, size_t len) {
    size_t n;
    char *req = request_frame(k, event, len, &n);
    worker *w = k->v->w;
    w->used = ++k->rt->tick;
    discard_answers(w);
    int64_t t0 = rt_mono_us();
    xrc rc = exchange(w, req, n, t0 + timeout_s(k->fn) * 1000000LL, &k->log, &k->f);
    double ms = (double)(rt_mono_us() - t0) / 1000.0;
    free(req);
    if (k->v->w) k->peak_kb = rt_peak_kb(k->v->w->p.pid);
    outcome(k, rc);
    write_log(k, ms);
}

static void call_free(call *k) {
    buf_free(&k->init_log.b);
    buf_free(&k->log.b);
    buf_free(&k->extra);
    buf_free(&k->f.in);
}

/* A warm worker that may serve this invocation, or none. */
static void check_warm(version *v, uint64_t config) {
    if (!v->w) return;
    if (v->w->config != config) {
        stop_worker(v, NULL, NULL);
        return;
    }
    if (rt_exited(&v->w->p, NULL, NULL)) drop_worker(v); /* it died since: start afresh */
}

int runtime_invoke(runtime *rt, const runtime_fn *fn, const char *event, size_t len,
                   runtime_result *out, err *e) {
    memset(out, 0, sizeof *out);
    if (!rt->root)
        return err_set(e, 500, "ServiceException", "no private directory for function code");
    lang l = LANG_PYTHON;
    if (lang_of(fn->runtime, &l, e) != 0) return -1;
    const char *interp = interpreter(rt, l, fn->runtime, e);
    const char *boot = interp ? bootstrap(rt, l, e) : NULL;
    version *v = boot ? code_for(rt, fn, e) : NULL;
    if (!v) return -1;
    uint64_t config = config_hash(fn);
    check_warm(v, config);
    call k = {.rt = rt, .v = v, .fn = fn, .out = out};
    new_uuid(rt, out->request_id);
    if (!v->w) {
        make_room(rt);
        if (start_worker(rt, v, fn, interp, boot, config, e) != 0) return -1;
        if (init_phase(&k) != 0) {
            call_free(&k);
            return 0;
        }
    }
    invoke_phase(&k, event && len ? event : "{}", event && len ? len : 2);
    call_free(&k);
    return 0;
}
