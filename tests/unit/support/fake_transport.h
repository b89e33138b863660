#ifndef TEST_FAKE_TRANSPORT_H
#define TEST_FAKE_TRANSPORT_H
/* A transport that records every request and answers each, in order, with
 * a canned response; and a client over it for testing typed operations. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "client/client.h"
#include "transport/transport.h"

typedef struct canned {
    int status;
    const char *body;
    const char *header[6]; /* up to three headers: name, value, ... */
} canned;

typedef struct fake_transport {
    transport base;
    http_request *req[64]; /* every request, in order */
    size_t nreq;
    canned answer[8]; /* the answers to come; when used up: 200 "{}" */
    size_t nanswer, next;
    struct {
        transport_done_fn done;
        void *ud;
    } wait[8];
    size_t nwait;
} fake_transport;

/* Like every transport, completes nothing inside submit. transport_destroy
 * frees it and every request it saw. */
fake_transport *fake_transport_new(void);
/* Queue the answer to the next request not yet answered. */
void fake_answer(fake_transport *f, canned a);
void fake_answers(fake_transport *f, const canned *a, size_t n);
/* The last request seen (asserts there is one). */
http_request *fake_last_request(fake_transport *f);
/* The last request was verb path?query (query NULL: none) with a body equal
 * as JSON to body (NULL: no body). */
void fake_expect_request(fake_transport *f, const char *verb, const char *path, const char *query,
                         const char *body);

/* A client in us-west-2 over a fake transport, made and freed by cmocka
 * setup and teardown functions. */
typedef struct fake_client {
    fake_transport *f;
    client *cl;
} fake_client;

int fake_client_setup(void **state);
int fake_client_teardown(void **state);

/* Run one typed operation synchronously; it must succeed and send the
 * request fake_expect_request describes. */
#define CHECK_CALL(t, verb, path, query, body, op, ...)                                            \
    do {                                                                                           \
        cJSON *o_ = NULL;                                                                          \
        err e_;                                                                                    \
        if (CLIENT_SYNC((t)->cl, &o_, &e_, op, __VA_ARGS__) != 0) fail_msg("%s", e_.msg);          \
        fake_expect_request((t)->f, verb, path, query, body);                                      \
        cJSON_Delete(o_);                                                                          \
    } while (0)

#endif
