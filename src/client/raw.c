/* Raw requests through the client's transport (see client/raw.h). */
#include "client/raw.h"

#include <stdbool.h>
#include <stdlib.h>

#include "core/mem.h"
#include "core/text.h"

typedef struct raw_call {
    client_raw_fn done;
    void *ud;
} raw_call;

static void on_raw(void *ud, const http_response *resp, const err *e) {
    raw_call *k = ud;
    k->done(k->ud, resp, e);
    free(k);
}

void client_raw(client *c, http_request *req, client_raw_fn done, void *ud) {
    if (!req->service) req->service = xstrdup("execute-api");
    if (!req->region) req->region = xstrdup(client_region(c));
    raw_call *k = xcalloc(1, sizeof *k);
    k->done = done;
    k->ud = ud;
    transport_submit(client_transport(c), req, on_raw, k);
}

typedef struct raw_wait {
    bool finished, failed;
    http_response *resp;
    err e;
} raw_wait;

/* The transport frees its response after the completion: keep a copy. */
static void raw_sync_done(void *ud, const http_response *resp, const err *e) {
    raw_wait *w = ud;
    w->finished = true;
    if (!resp) {
        w->failed = true;
        if (e)
            w->e = *e;
        else
            err_set(&w->e, 0, "", "the request got no response");
        return;
    }
    w->resp->status = resp->status;
    for (size_t i = 0; i < resp->headers.n; i++)
        http_headers_add(&w->resp->headers, resp->headers.v[i].name, resp->headers.v[i].value);
    http_response_set_body(w->resp, resp->body ? resp->body : "", resp->body_len);
}

int client_raw_sync(client *c, http_request *req, http_response *resp, err *e) {
    http_response_init(resp);
    raw_wait w = {.resp = resp};
    transport *t = client_transport(c);
    client_raw(c, req, raw_sync_done, &w);
    while (!w.finished) {
        transport_drain(t);
        if (!w.finished && !transport_pending(t)) {
            err_set(&w.e, 0, "", "the request was dropped by the transport");
            w.failed = true;
            break;
        }
    }
    if (w.failed) {
        if (e) *e = w.e;
        return -1;
    }
    return 0;
}

http_request *client_execute_api_request(const char *api_id, const char *stage, const char *method,
                                         const char *path, const char *query) {
    char *api = url_encode(api_id, false), *st = url_encode(stage, false);
    char *full = xasprintf("/restapis/%s/%s/_user_request_%s", api, st, path);
    http_request *req = http_request_new(method, full);
    free(full);
    free(api);
    free(st);
    free(req->query);
    req->query = query && *query ? xstrdup(query) : NULL;
    req->service = xstrdup("execute-api");
    return req;
}
