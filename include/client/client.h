#ifndef CLIENT_CLIENT_H
#define CLIENT_CLIENT_H
/* The AWS client: builds API Gateway and Lambda requests from the operation
 * table (aws/ops.h), sends them through a transport, and turns responses
 * into JSON results or AWS errors. Asynchronous: every call completes
 * through a callback run from transport_process(). */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "aws/ops.h"
#include "core/err.h"
#include "transport/transport.h"

typedef struct client client;

/* region: where requests go ("us-west-2"). t is not owned. */
client *client_new(transport *t, const char *region);
void client_free(client *c);
transport *client_transport(client *c);
const char *client_region(const client *c);
/* Requests submitted so far. */
unsigned long client_requests(const client *c);

/* --- watching what the client does ---------------------------------------
 * The console's activity log: every call that is not a read (any verb but
 * GET) is reported when it is sent, with the equivalent AWS CLI command,
 * and again when it completes (e NULL on success). id pairs the two. */
typedef struct client_event {
    unsigned long id;
    aws_op op;
    const char *command; /* when sent; NULL on completion */
    bool finished;
    const err *e; /* on completion: NULL when it succeeded */
} client_event;

typedef void (*client_observer_fn)(void *ud, const client_event *ev);
/* One observer (NULL removes it). */
void client_set_observer(client *c, client_observer_fn fn, void *ud);
/* For calls sent around client_call (Lambda Invoke): report the start
 * (returns the event id, 0 when nobody watches) and the end. */
unsigned long client_observe_start(client *c, aws_op op, const char *const *params, size_t nparams,
                                   const char *query, const cJSON *body);
void client_observe_end(client *c, unsigned long id, aws_op op, const err *e);

/* result: the parsed JSON body (NULL when empty), owned by the client and
 * freed after the callback returns. e: NULL on success; otherwise the AWS
 * error (code from x-amzn-ErrorType, message from the body) or a transport
 * failure (status 0). */
typedef void (*client_done_fn)(void *ud, const cJSON *result, const err *e);

/* Call op with its path labels in template order, an extra query string
 * ("k=v&k2=v2", already encoded, or NULL) and a body (taken; NULL: none). */
void client_call(client *c, aws_op op, const char *const *params, size_t nparams,
                 const char *query, cJSON *body, client_done_fn done, void *ud);

/* --- waiting for one call -------------------------------------------------
 *   cJSON *api; err e;
 *   if (CLIENT_SYNC(cl, &api, &e, apigw_get_rest_api, id) != 0) ...
 * expands to the operation called with (cl, args..., client_sync_done, w)
 * where w is a fresh waiter, then to client_sync_wait on it. Returns 0 and
 * sets *out (caller frees; NULL for empty answers) or -1 with e set.
 * c is evaluated twice. */
typedef struct client_sync {
    bool finished, failed;
    cJSON *out;
    err e;
} client_sync;

void client_sync_done(void *sync, const cJSON *result, const err *e);
int client_sync_wait(client *c, void *sync, cJSON **out, err *e);

#define CLIENT_SYNC(c, out, e, op, ...)                                                            \
    client_sync_wait((c), op((c), __VA_ARGS__, client_sync_done, &(client_sync){0}), (out), (e))

/* client_call, waiting for the answer: for command-line subcommands and
 * tests. Returns 0 and sets *out (caller frees; may be NULL) or -1 with e set. */
int client_call_sync(client *c, aws_op op, const char *const *params, size_t nparams,
                     const char *query, cJSON *body, cJSON **out, err *e);

/* List every item of a paged list operation, following API Gateway's
 * position (items under "item", limit=500) or Lambda's NextMarker (items
 * under "Functions", "Aliases", "Versions" or "Statements" as the
 * operation names them; MaxItems asks for the largest page). done gets a
 * JSON array of all items. query holds extra parameters (or NULL). */
void client_list_all(client *c, aws_op op, const char *const *params, size_t nparams,
                     const char *query, client_done_fn done, void *ud);

#endif
