#include "transport/transport.h"

#include <errno.h>

void transport_submit(transport *t, http_request *req, transport_done_fn done, void *ud) {
    t->ops->submit(t, req, done, ud);
}
int transport_pollfds(transport *t, struct pollfd *fds, int max) { return t->ops->pollfds(t, fds, max); }
int transport_timeout_ms(transport *t) { return t->ops->timeout_ms(t); }
int transport_process(transport *t) { return t->ops->process(t); }
size_t transport_pending(transport *t) { return t->ops->pending(t); }
void transport_destroy(transport *t) {
    if (t) t->ops->destroy(t);
}
const char *transport_describe(transport *t) { return t->ops->describe(t); }

void transport_drain(transport *t) {
    while (transport_pending(t)) {
        if (transport_process(t) > 0) continue;
        struct pollfd fds[64];
        int n = transport_pollfds(t, fds, 64);
        int r = poll(fds, (nfds_t)n, transport_timeout_ms(t));
        if (r < 0 && errno != EINTR) break;
    }
}
