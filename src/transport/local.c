/* The in-process transport. Requests run on one worker thread that owns
 * the emulator, so a slow Lambda function never blocks the caller's poll
 * loop; finished requests are queued back and announced on an eventfd. */
#include "transport/local.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "core/mem.h"

typedef struct item {
    struct item *next;
    http_request *req;
    http_response resp;
    transport_done_fn done;
    void *ud;
} item;

typedef struct queue {
    item *head, *tail;
} queue;

typedef struct local_transport {
    transport base;
    emulator *emu;
    int efd;
    pthread_t worker;
    pthread_mutex_t mu;
    pthread_cond_t wake;
    queue todo; /* submitted, not yet handled (worker side) */
    queue done; /* handled, completion not yet run (caller side) */
    bool stopping;
    size_t pending; /* submitted and not yet completed; caller's thread only */
    unsigned long count;
} local_transport;

static void push(queue *q, item *it) {
    it->next = NULL;
    if (q->tail)
        q->tail->next = it;
    else
        q->head = it;
    q->tail = it;
}

static item *take_all(queue *q) {
    item *it = q->head;
    q->head = q->tail = NULL;
    return it;
}

static void *worker_main(void *arg) {
    local_transport *lt = arg;
    pthread_mutex_lock(&lt->mu);
    for (;;) {
        while (!lt->todo.head && !lt->stopping) pthread_cond_wait(&lt->wake, &lt->mu);
        if (lt->stopping) break;
        item *it = lt->todo.head;
        lt->todo.head = it->next;
        if (!lt->todo.head) lt->todo.tail = NULL;
        pthread_mutex_unlock(&lt->mu);

        emulator_handle(lt->emu, it->req, &it->resp);

        pthread_mutex_lock(&lt->mu);
        push(&lt->done, it);
        lt->count++;
        uint64_t one = 1;
        if (write(lt->efd, &one, sizeof one) < 0) {
            /* An eventfd write fails only when the counter would overflow;
             * process() drains the queue whatever the counter says. */
        }
    }
    pthread_mutex_unlock(&lt->mu);
    return NULL;
}

static void lt_submit(transport *t, http_request *req, transport_done_fn done, void *ud) {
    local_transport *lt = (local_transport *)t;
    item *it = xcalloc(1, sizeof *it);
    http_response_init(&it->resp);
    it->req = req;
    it->done = done;
    it->ud = ud;
    lt->pending++;
    pthread_mutex_lock(&lt->mu);
    push(&lt->todo, it);
    pthread_cond_signal(&lt->wake);
    pthread_mutex_unlock(&lt->mu);
}

static int lt_pollfds(transport *t, struct pollfd *fds, int max) {
    local_transport *lt = (local_transport *)t;
    if (max < 1) return 0;
    fds[0] = (struct pollfd){.fd = lt->efd, .events = POLLIN};
    return 1;
}

/* Completions arrive through the eventfd: no timer is ever needed. */
static int lt_timeout(transport *t) {
    (void)t;
    return -1;
}

static void finish(item *it, const err *e) {
    if (it->done) it->done(it->ud, e ? NULL : &it->resp, e);
    http_request_free(it->req);
    http_response_free(&it->resp);
    free(it);
}

static int lt_process(transport *t) {
    local_transport *lt = (local_transport *)t;
    uint64_t v;
    if (read(lt->efd, &v, sizeof v) < 0) {
        /* EAGAIN: nothing was signalled; the queue decides. */
    }
    pthread_mutex_lock(&lt->mu);
    item *it = take_all(&lt->done);
    pthread_mutex_unlock(&lt->mu);
    int n = 0;
    /* The queue is detached first: a completion may submit new requests. */
    while (it) {
        item *next = it->next;
        lt->pending--;
        finish(it, NULL);
        it = next;
        n++;
    }
    return n;
}

static size_t lt_pending(transport *t) { return ((local_transport *)t)->pending; }

static void lt_destroy(transport *t) {
    local_transport *lt = (local_transport *)t;
    pthread_mutex_lock(&lt->mu);
    lt->stopping = true;
    pthread_cond_signal(&lt->wake);
    pthread_mutex_unlock(&lt->mu);
    pthread_join(lt->worker, NULL);
    /* What finished is delivered; what never ran completes with an error,
     * so that whoever waits on it can free what it holds. */
    lt_process(t);
    err cancelled;
    err_set(&cancelled, 0, "", "the request was cancelled");
    for (item *it = take_all(&lt->todo), *next; it; it = next) {
        next = it->next;
        finish(it, &cancelled);
    }
    pthread_mutex_destroy(&lt->mu);
    pthread_cond_destroy(&lt->wake);
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
    pthread_mutex_init(&lt->mu, NULL);
    pthread_cond_init(&lt->wake, NULL);
    if (pthread_create(&lt->worker, NULL, worker_main, lt) != 0) {
        close(lt->efd);
        free(lt);
        return NULL;
    }
    return &lt->base;
}

unsigned long local_transport_count(transport *t) {
    local_transport *lt = (local_transport *)t;
    pthread_mutex_lock(&lt->mu);
    unsigned long n = lt->count;
    pthread_mutex_unlock(&lt->mu);
    return n;
}
