#ifndef CLI_INVOKE_INT_H
#define CLI_INVOKE_INT_H
/* What invoke's senders share (invoke.c, invoke_undeployed.c): one result
 * per stage, and requests to every stage in flight at once over a client,
 * waited for together. */
#include "cli/invoke.h"

/* A result before its answer: the stage named, nothing known yet. */
void invoke_result_init(invoke_result *x, const char *stage);

/* One request in flight: where its answer goes, when it left, and the
 * count of answers in. */
typedef struct invoke_pending {
    invoke_result *x;
    double t0;
    size_t *done;
} invoke_pending;

/* n results (invoke_result_init, in the order of stages) and their pending
 * slots (*p, malloc'd), counting answers into *done. */
invoke_result *invoke_results_new(char *const *stages, size_t n, invoke_pending **p,
                                  size_t *done);
/* p's request leaves now. */
void invoke_pending_start(invoke_pending *p);
/* p's answer came: its latency taken and counted. Returns its result. */
invoke_result *invoke_pending_done(invoke_pending *p);
/* Drive cl's transport until n answers are in (or nothing is pending); a
 * result without one says the transport dropped it. Frees p. */
void invoke_wait_all(client *cl, invoke_result *r, size_t n, invoke_pending *p,
                     const size_t *done);

#endif
