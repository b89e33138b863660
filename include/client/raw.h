#ifndef CLIENT_RAW_H
#define CLIENT_RAW_H
/* Requests that are not operations of the service models: calls to an
 * API's invoke URL (the execute-api data plane), sent through the client's
 * transport as they are, with the whole response (status, headers, body)
 * handed back. A 4xx or 5xx is an answer here, not an error: the caller
 * wants to see it. */
#include "client/client.h"
#include "transport/http.h"

/* resp: the answer (NULL when none came; e says why then). */
typedef void (*client_raw_fn)(void *ud, const http_response *resp, const err *e);

/* Send req (taken) through the client's transport. An unset service
 * becomes "execute-api" and an unset region the client's. */
void client_raw(client *c, http_request *req, client_raw_fn done, void *ud);

/* client_raw, waiting for the answer. Returns 0 with *resp filled (the
 * caller frees it with http_response_free), or -1 with e set when no
 * response came. *resp is initialised either way. */
int client_raw_sync(client *c, http_request *req, http_response *resp, err *e);

/* METHOD path (percent-encoded, starting with '/') with the raw query
 * (NULL: none) at stage of api_id, in the form an emulator's front door
 * takes: /restapis/{api_id}/{stage}/_user_request_{path}, service
 * "execute-api". Headers and body are the caller's to add. */
http_request *client_execute_api_request(const char *api_id, const char *stage, const char *method,
                                         const char *path, const char *query);

#endif
