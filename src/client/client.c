#include "client/client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/mem.h"

struct client {
    transport *t;
    char *region;
    unsigned long requests;
};

client *client_new(transport *t, const char *region) {
    client *c = xcalloc(1, sizeof *c);
    c->t = t;
    c->region = xstrdup(region ? region : "us-west-2");
    return c;
}

void client_free(client *c) {
    if (!c) return;
    free(c->region);
    free(c);
}

transport *client_transport(client *c) { return c->t; }
const char *client_region(const client *c) { return c->region; }
unsigned long client_requests(const client *c) { return c->requests; }

typedef struct call {
    client_done_fn done;
    void *ud;
} call;

/* Turn an error response into an err: the type comes from x-amzn-ErrorType
 * (AWS may append ":url" to it), the message from the body. */
static void error_of(const http_response *r, const cJSON *body, err *e) {
    const char *type = http_headers_get(&r->headers, "x-amzn-ErrorType");
    char code[64] = "";
    if (type) snprintf(code, sizeof code, "%.*s", (int)strcspn(type, ":"), type);
    if (!code[0] && body) snprintf(code, sizeof code, "%s", json_str_or(body, "__type", ""));
    const char *msg = json_str(body, "message");
    if (!msg) msg = json_str(body, "Message");
    if (!msg) msg = json_str(body, "errorMessage");
    if (msg)
        err_set(e, r->status, code, "%s", msg);
    else if (r->body_len)
        err_set(e, r->status, code, "HTTP %d: %.200s", r->status, r->body);
    else
        err_set(e, r->status, code, "HTTP %d with no body", r->status);
}

static void on_response(void *ud, const http_response *r, const err *terr) {
    call *k = ud;
    if (!r) {
        k->done(k->ud, NULL, terr);
        free(k);
        return;
    }
    cJSON *body = NULL;
    err perr;
    if (r->body_len) body = json_parse(r->body, r->body_len, &perr);
    if (r->status >= 300) {
        err e;
        error_of(r, body, &e);
        k->done(k->ud, NULL, &e);
    } else if (r->body_len && !body) {
        err e;
        err_set(&e, r->status, "MalformedResponse", "the service sent a response that is not JSON (%s)",
                perr.msg);
        k->done(k->ud, NULL, &e);
    } else {
        k->done(k->ud, body, NULL);
    }
    cJSON_Delete(body);
    free(k);
}

void client_call(client *c, aws_op op, const char *const *params, size_t nparams,
                 const char *query, cJSON *body, client_done_fn done, void *ud) {
    const aws_op_info *info = aws_op_get(op);
    char *path = aws_op_path(op, params, nparams);
    http_request *req = http_request_new(info->verb, path);
    free(path);
    if (query && *query) {
        char *q = req->query ? xasprintf("%s&%s", req->query, query) : xstrdup(query);
        free(req->query);
        req->query = q;
    }
    req->service = xstrdup(aws_service_name(info->service));
    req->region = xstrdup(c->region);
    http_headers_add(&req->headers, "Accept", "application/json");
    if (body) {
        char *s = json_print(body);
        http_request_set_body(req, s, strlen(s));
        free(s);
        cJSON_Delete(body);
        http_headers_add(&req->headers, "Content-Type", "application/json");
    }
    call *k = xcalloc(1, sizeof *k);
    k->done = done;
    k->ud = ud;
    c->requests++;
    transport_submit(c->t, req, on_response, k);
}

typedef struct sync_result {
    bool finished;
    cJSON *out;
    err e;
    bool failed;
} sync_result;

static void on_sync(void *ud, const cJSON *result, const err *e) {
    sync_result *s = ud;
    s->finished = true;
    if (e) {
        s->e = *e;
        s->failed = true;
    } else if (result) {
        s->out = cJSON_Duplicate(result, 1);
    }
}

int client_call_sync(client *c, aws_op op, const char *const *params, size_t nparams,
                     const char *query, cJSON *body, cJSON **out, err *e) {
    sync_result s = {0};
    client_call(c, op, params, nparams, query, body, on_sync, &s);
    while (!s.finished) {
        transport_drain(c->t);
        if (!s.finished && !transport_pending(c->t)) {
            err_set(&s.e, 0, "", "the request was dropped by the transport");
            s.failed = true;
            break;
        }
    }
    if (s.failed) {
        if (e) *e = s.e;
        cJSON_Delete(s.out);
        return -1;
    }
    if (out)
        *out = s.out;
    else
        cJSON_Delete(s.out);
    return 0;
}
