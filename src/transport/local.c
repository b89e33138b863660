#include "transport/local.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "core/mem.h"

typedef struct done_item {
    struct done_item *next;
    http_response resp;
    transport_done_fn done;
    void *ud;
} done_item;

typedef struct local_transport {
    transport base;
    emulator *emu;
    int efd;
    done_item *head, *tail;
    size_t pending;
    unsigned long count;
} local_transport;

static void lt_submit(transport *t, http_request *req, transport_done_fn done, void *ud) {
    local_transport *lt = (local_transport *)t;
    done_item *it = xcalloc(1, sizeof *it);
    http_response_init(&it->resp);
    emulator_handle(lt->emu, req, &it->resp);
    http_request_free(req);
    it->done = done;
    it->ud = ud;
    if (lt->tail)
        lt->tail->next = it;
    else
        lt->head = it;
    lt->tail = it;
    lt->pending++;
    lt->count++;
    uint64_t one = 1;
    if (write(lt->efd, &one, sizeof one) < 0) {
        /* The counter cannot overflow in practice; process() drains the
         * queue regardless of the counter's value. */
    }
}

static int lt_pollfds(transport *t, struct pollfd *fds, int max) {
    local_transport *lt = (local_transport *)t;
    if (max < 1) return 0;
    fds[0] = (struct pollfd){.fd = lt->efd, .events = POLLIN};
    return 1;
}

static int lt_timeout(transport *t) {
    local_transport *lt = (local_transport *)t;
    return lt->head ? 0 : -1;
}

static int lt_process(transport *t) {
    local_transport *lt = (local_transport *)t;
    uint64_t v;
    if (read(lt->efd, &v, sizeof v) < 0) {
        /* EAGAIN: nothing signalled; the queue decides. */
    }
    int n = 0;
    /* Detach the queue first: a completion may submit new requests. */
    done_item *it = lt->head;
    lt->head = lt->tail = NULL;
    while (it) {
        done_item *next = it->next;
        lt->pending--;
        if (it->done) it->done(it->ud, &it->resp, NULL);
        http_response_free(&it->resp);
        free(it);
        it = next;
        n++;
    }
    return n;
}

static size_t lt_pending(transport *t) { return ((local_transport *)t)->pending; }

static void lt_destroy(transport *t) {
    local_transport *lt = (local_transport *)t;
    /* Complete what is still queued with an error, so that whoever waits on
     * it can free what it holds. */
    err cancelled;
    err_set(&cancelled, 0, "", "the request was cancelled");
    done_item *it = lt->head;
    lt->head = lt->tail = NULL;
    while (it) {
        done_item *next = it->next;
        if (it->done) it->done(it->ud, NULL, &cancelled);
        http_response_free(&it->resp);
        free(it);
        it = next;
    }
    close(lt->efd);
    free(lt);
}

static const char *lt_describe(transport *t) {
    (void)t;
    return "emulator";
}

static const transport_ops local_ops = {
    .submit = lt_submit,
    .pollfds = lt_pollfds,
    .timeout_ms = lt_timeout,
    .process = lt_process,
    .pending = lt_pending,
    .destroy = lt_destroy,
    .describe = lt_describe,
};

transport *local_transport_new(emulator *emu) {
    local_transport *lt = xcalloc(1, sizeof *lt);
    lt->base.ops = &local_ops;
    lt->emu = emu;
    lt->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (lt->efd < 0) {
        free(lt);
        return NULL;
    }
    return &lt->base;
}

unsigned long local_transport_count(transport *t) { return ((local_transport *)t)->count; }
