#include "client/client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/cli.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"

struct client {
    transport *t;
    char *region;
    unsigned long requests;
    client_observer_fn observer;
    void *observer_ud;
    unsigned long events; /* observer event ids */
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

void client_set_observer(client *c, client_observer_fn fn, void *ud) {
    c->observer = fn;
    c->observer_ud = ud;
}

typedef struct call {
    client_done_fn done;
    void *ud;
    client *c;
    aws_op op;
    unsigned long watched; /* the observer's event id; 0: not watched */
} call;

unsigned long client_observe_start(client *c, aws_op op, const char *const *params, size_t nparams,
                                   const char *query, const cJSON *body) {
    if (!c->observer) return 0;
    char *cmd = aws_cli_command(op, params, nparams, query, body);
    client_event ev = {.id = ++c->events, .op = op, .command = cmd};
    c->observer(c->observer_ud, &ev);
    free(cmd);
    return ev.id;
}

void client_observe_end(client *c, unsigned long id, aws_op op, const err *e) {
    if (!id || !c->observer) return;
    client_event ev = {.id = id, .op = op, .finished = true, .e = e};
    c->observer(c->observer_ud, &ev);
}

/* The completion half of the observer's pair, before the caller's callback
 * (which may free what the observer looks at). */
static void observe_end(call *k, const err *e) { client_observe_end(k->c, k->watched, k->op, e); }

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
        observe_end(k, terr);
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
        observe_end(k, &e);
        k->done(k->ud, NULL, &e);
    } else if (r->body_len && !body) {
        err e;
        err_set(&e, r->status, "MalformedResponse", "the service sent a response that is not JSON (%s)",
                perr.msg);
        observe_end(k, &e);
        k->done(k->ud, NULL, &e);
    } else {
        observe_end(k, NULL);
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
    call *k = xcalloc(1, sizeof *k);
    k->done = done;
    k->ud = ud;
    k->c = c;
    k->op = op;
    c->requests++;
    if (strcmp(info->verb, "GET") != 0) k->watched = client_observe_start(c, op, params, nparams, query, body);
    if (body) {
        char *s = json_print(body);
        http_request_set_body(req, s, strlen(s));
        free(s);
        cJSON_Delete(body);
        http_headers_add(&req->headers, "Content-Type", "application/json");
    }
    transport_submit(c->t, req, on_response, k);
}

void client_sync_done(void *sync, const cJSON *result, const err *e) {
    client_sync *s = sync;
    s->finished = true;
    if (e) {
        s->e = *e;
        s->failed = true;
    } else if (result) {
        s->out = cJSON_Duplicate(result, 1);
    }
}

int client_sync_wait(client *c, void *sync, cJSON **out, err *e) {
    client_sync *s = sync;
    transport *t = client_transport(c);
    while (!s->finished) {
        transport_drain(t);
        if (!s->finished && !transport_pending(t)) {
            err_set(&s->e, 0, "", "the request was dropped by the transport");
            s->failed = true;
            break;
        }
    }
    if (s->failed) {
        if (e) *e = s->e;
        cJSON_Delete(s->out);
        return -1;
    }
    if (out)
        *out = s->out;
    else
        cJSON_Delete(s->out);
    return 0;
}

int client_call_sync(client *c, aws_op op, const char *const *params, size_t nparams,
                     const char *query, cJSON *body, cJSON **out, err *e) {
    client_sync s = {0};
    client_call(c, op, params, nparams, query, body, client_sync_done, &s);
    return client_sync_wait(c, &s, out, e);
}

/* --- paging --------------------------------------------------------------- */

typedef struct lister {
    client *c;
    aws_op op;
    char *params[AWS_MAX_PATH_PARAMS];
    size_t nparams;
    char *query;
    cJSON *items;
    client_done_fn done;
    void *ud;
} lister;

static void lister_free(lister *l) {
    for (size_t i = 0; i < l->nparams; i++) free(l->params[i]);
    free(l->query);
    cJSON_Delete(l->items);
    free(l);
}

/* Lambda names its list member after the operation. */
static const char *lambda_items_key(aws_op op) {
    switch (op) {
    case LAMBDA_ListAliases: return "Aliases";
    case LAMBDA_ListVersionsByFunction: return "Versions";
    case LAMBDA_ListFunctions: return "Functions";
    case LAMBDA_ListEventSourceMappings: return "EventSourceMappings";
    case LAMBDA_ListLayers: return "Layers";
    case LAMBDA_ListFunctionUrlConfigs: return "FunctionUrlConfigs";
    default: return "Items";
    }
}

static void lister_next(lister *l, const char *token);

static void on_page(void *ud, const cJSON *result, const err *e) {
    lister *l = ud;
    if (e) {
        l->done(l->ud, NULL, e);
        lister_free(l);
        return;
    }
    bool lambda = aws_op_get(l->op)->service == SVC_LAMBDA;
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(result, lambda ? lambda_items_key(l->op) : "item");
    const cJSON *it;
    cJSON_ArrayForEach(it, arr) cJSON_AddItemToArray(l->items, cJSON_Duplicate(it, 1));
    const char *next = json_str(result, lambda ? "NextMarker" : "position");
    if (next && *next) {
        lister_next(l, next);
        return;
    }
    l->done(l->ud, l->items, NULL);
    lister_free(l);
}

static void lister_next(lister *l, const char *token) {
    bool lambda = aws_op_get(l->op)->service == SVC_LAMBDA;
    buf q = BUF_INIT;
    buf_puts(&q, lambda ? "MaxItems=10000" : "limit=500");
    if (l->query && *l->query) buf_printf(&q, "&%s", l->query);
    if (token) {
        char *enc = url_encode(token, false);
        buf_printf(&q, "&%s=%s", lambda ? "Marker" : "position", enc);
        free(enc);
    }
    client_call(l->c, l->op, (const char *const *)l->params, l->nparams, q.data, NULL, on_page, l);
    buf_free(&q);
}

void client_list_all(client *c, aws_op op, const char *const *params, size_t nparams,
                     const char *query, client_done_fn done, void *ud) {
    lister *l = xcalloc(1, sizeof *l);
    l->c = c;
    l->op = op;
    for (size_t i = 0; i < nparams && i < AWS_MAX_PATH_PARAMS; i++) l->params[l->nparams++] = xstrdup(params[i]);
    l->query = query ? xstrdup(query) : NULL;
    l->items = cJSON_CreateArray();
    l->done = done;
    l->ud = ud;
    lister_next(l, NULL);
}
