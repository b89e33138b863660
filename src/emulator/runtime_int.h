#ifndef EMULATOR_RUNTIME_INT_H
#define EMULATOR_RUNTIME_INT_H
/* Private to src/emulator/runtime*.c: unpacking code, finding interpreters,
 * starting and stopping worker processes; and, for lambda_function.c too,
 * the environment variables Lambda keeps for itself. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/err.h"

/* The bootstraps (runtime_assets.c, generated from assets/runtime/ by
 * tools/embed.sh). */
extern const unsigned char asset_bootstrap_py[];
extern const size_t asset_bootstrap_py_len;
extern const unsigned char asset_bootstrap_js[];
extern const size_t asset_bootstrap_js_len;

/* Whether the environment variable name (its first n bytes) is one Lambda
 * sets itself: a function's configuration cannot set it (CreateFunction
 * refuses it) and a worker never takes it from there. */
bool rt_env_reserved(const char *name, size_t n);

/* Lambda's limit on the unpacked size of a function's code. */
#define RT_UNZIPPED_MAX 262144000ULL

/* Unpack a zip held in memory into dir (created 0700, must not exist).
 * Entries with absolute paths or ".." components are refused, as are
 * symbolic links that would point outside. On failure dir is removed. */
int rt_unzip(const void *zip, size_t len, const char *dir, err *e);
/* rm -rf path (never following symbolic links). */
void rt_remove_tree(const char *path);

/* The interpreter a language needs: the first `name` on PATH, resolved
 * through version-manager shims (a script that starts with "#!") to the
 * real executable, so that it runs in a clean environment. malloc'd, or
 * NULL when there is none on PATH. */
char *rt_find_interpreter(const char *name);

/* A started worker process and our ends of its channels. */
typedef struct rt_proc {
    pid_t pid;
    int req;  /* socket: what we write reaches its fd 3 */
    int resp; /* pipe: its fd 4 */
    int log;  /* pipe: its fd 1 and 2 */
} rt_proc;

/* fork + exec argv[0] with envp in dir, as a process group of its own that
 * dies with its parent. Our ends are non-blocking and close-on-exec. */
int rt_spawn(const char *const *argv, const char *const *envp, const char *dir, rt_proc *p, err *e);
/* Kill the process group, close our ends, reap the process. *status gets
 * its wait status and *maxrss_kb its peak resident size (either may be
 * NULL). Safe on a stopped proc (pid 0). */
void rt_stop(rt_proc *p, int *status, long *maxrss_kb);
/* Has the process exited? Reaps it (and closes the ends) when it has. */
bool rt_exited(rt_proc *p, int *status, long *maxrss_kb);
/* Peak resident memory of a live process in kB (VmHWM), or 0. */
long rt_peak_kb(pid_t pid);

/* Microseconds of CLOCK_MONOTONIC. */
int64_t rt_mono_us(void);

#endif
