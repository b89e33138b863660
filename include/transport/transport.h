#ifndef TRANSPORT_TRANSPORT_H
#define TRANSPORT_TRANSPORT_H
/* The asynchronous transport: submit a request, get a completion later.
 * The console's poll loop waits on transport_pollfds() and calls
 * transport_process(), which runs the completions that are ready. The
 * client is written against this interface only: the local transport (to
 * the in-process emulator) and the curl transport (to AWS) both fit it. */
#include <poll.h>
#include <stddef.h>

#include "core/err.h"
#include "transport/http.h"

typedef struct transport transport;

/* resp is NULL when the request could not be carried (e is set then); the
 * callee owns neither. */
typedef void (*transport_done_fn)(void *ud, const http_response *resp, const err *e);

typedef struct transport_ops {
    /* Takes ownership of req. The completion never runs inside submit. */
    void (*submit)(transport *t, http_request *req, transport_done_fn done, void *ud);
    /* Fill up to max pollfds to wait on; returns how many. */
    int (*pollfds)(transport *t, struct pollfd *fds, int max);
    /* Milliseconds until the transport needs process() without any fd
     * activity (timers, retries), or -1 for none. */
    int (*timeout_ms)(transport *t);
    /* Run ready completions; returns how many ran. */
    int (*process)(transport *t);
    size_t (*pending)(transport *t);
    /* Requests still pending complete (resp NULL, e set) before it returns. */
    void (*destroy)(transport *t);
    /* Short description of where requests go, for the status line. */
    const char *(*describe)(transport *t);
} transport_ops;

struct transport {
    const transport_ops *ops;
};

void transport_submit(transport *t, http_request *req, transport_done_fn done, void *ud);
int transport_pollfds(transport *t, struct pollfd *fds, int max);
int transport_timeout_ms(transport *t);
int transport_process(transport *t);
size_t transport_pending(transport *t);
void transport_destroy(transport *t);
const char *transport_describe(transport *t);

/* Block until nothing is pending (for command-line subcommands and tests). */
void transport_drain(transport *t);

#endif
