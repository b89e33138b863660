#ifndef EMULATOR_RUNTIME_H
#define EMULATOR_RUNTIME_H
/* Local Lambda workers: a function version's code runs in a python3 or
 * node process that stays warm and is reused, like a Lambda execution
 * environment. Calls block the calling thread (the emulator's), never the
 * console's. */
#include <stdbool.h>
#include <stddef.h>

#include "core/clock.h"
#include "core/err.h"

typedef struct runtime runtime;

typedef struct runtime_opts {
    const char *work_dir; /* where code is unpacked; NULL: a private temp dir */
    int max_workers;      /* warm workers kept; the least recently used is stopped */
    /* Optional (zero: the system's): the time in Lambda's timeout messages
     * and log stream names, and the randomness of request ids. */
    clock_src clock;
    rand_src rand;
} runtime_opts;

runtime *runtime_new(const runtime_opts *o);
/* Stops every worker and removes the unpacked code. */
void runtime_free(runtime *rt);

/* One function version to run. */
typedef struct runtime_fn {
    const char *arn;           /* the version's ARN (worker identity) */
    const char *name, *version;
    const char *runtime;       /* "python3.12", "nodejs20.x" */
    const char *handler;       /* "lambda_function.lambda_handler" */
    const char *code_sha256;   /* a changed sha means new code: a new worker */
    const void *zip;
    size_t zip_len;
    int timeout_s, memory_mb;
    const char *const *env;    /* "KEY=value" strings, NULL-terminated, or NULL */
    const char *region, *account;
    /* Optional: the ARN the caller used (an alias ARN, ...) for the context
     * object (NULL: arn), and the log group (NULL: /aws/lambda/<name>). */
    const char *invoked_arn;
    const char *log_group;
} runtime_fn;

typedef struct runtime_result {
    char *payload; /* the result JSON text, or Lambda's error object */
    size_t payload_len;
    char function_error[16]; /* "" or "Unhandled" */
    char *log;               /* START ... END ... REPORT ... lines */
    char request_id[40];
    double duration_ms, billed_ms, init_ms; /* init_ms > 0 only on a cold start */
    int max_memory_mb;
} runtime_result;

/* Run event through fn. Returns 0 when the function ran (even if it raised:
 * function_error says so), -1 when it could not be run (e: a missing
 * interpreter, unreadable code, ...). */
int runtime_invoke(runtime *rt, const runtime_fn *fn, const char *event, size_t len,
                   runtime_result *out, err *e);
void runtime_result_free(runtime_result *r);

#endif
