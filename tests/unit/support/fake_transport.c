#include "fake_transport.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/mem.h"

static void fake_submit(transport *t, http_request *req, transport_done_fn done, void *ud) {
    fake_transport *f = (fake_transport *)t;
    assert_true(f->nreq < 64 && f->nwait < 8);
    f->req[f->nreq++] = req;
    f->wait[f->nwait].done = done;
    f->wait[f->nwait++].ud = ud;
}

/* Completions may submit more: run until none waits. */
static int fake_process(transport *t) {
    fake_transport *f = (fake_transport *)t;
    int n = 0;
    while (f->nwait) {
        transport_done_fn done = f->wait[0].done;
        void *ud = f->wait[0].ud;
        memmove(f->wait, f->wait + 1, --f->nwait * sizeof f->wait[0]);
        canned a = f->next < f->nanswer ? f->answer[f->next++] : (canned){200, "{}", {NULL}};
        http_response r;
        http_response_init(&r);
        r.status = a.status;
        if (a.body) http_response_set_body(&r, a.body, strlen(a.body));
        for (int i = 0; i < 6 && a.header[i]; i += 2)
            http_headers_add(&r.headers, a.header[i], a.header[i + 1]);
        done(ud, &r, NULL);
        http_response_free(&r);
        n++;
    }
    return n;
}

static int fake_pollfds(transport *t, struct pollfd *fds, int max) { return 0; }
static int fake_timeout(transport *t) { return 0; }
static size_t fake_pending(transport *t) { return ((fake_transport *)t)->nwait; }
static const char *fake_describe(transport *t) { return "fake"; }

static void fake_destroy(transport *t) {
    fake_transport *f = (fake_transport *)t;
    for (size_t i = 0; i < f->nreq; i++) http_request_free(f->req[i]);
    free(f);
}

static const transport_ops fake_ops = {fake_submit,  fake_pollfds, fake_timeout, fake_process,
                                       fake_pending, fake_destroy, fake_describe};

fake_transport *fake_transport_new(void) {
    fake_transport *f = xcalloc(1, sizeof *f);
    f->base.ops = &fake_ops;
    return f;
}

void fake_answer(fake_transport *f, canned a) {
    assert_true(f->nanswer < sizeof f->answer / sizeof f->answer[0]);
    f->answer[f->nanswer++] = a;
}

void fake_answers(fake_transport *f, const canned *a, size_t n) {
    for (size_t i = 0; i < n; i++) fake_answer(f, a[i]);
}

http_request *fake_last_request(fake_transport *f) {
    assert_true(f->nreq > 0);
    return f->req[f->nreq - 1];
}

void fake_expect_request(fake_transport *f, const char *verb, const char *path, const char *query,
                         const char *body) {
    http_request *r = fake_last_request(f);
    assert_string_equal(r->method, verb);
    assert_string_equal(r->path, path);
    if (query)
        assert_string_equal(r->query ? r->query : "(none)", query);
    else
        assert_null(r->query);
    if (!body) {
        assert_int_equal(r->body_len, 0);
        return;
    }
    cJSON *want = cJSON_Parse(body), *got = cJSON_ParseWithLength(r->body, r->body_len);
    assert_non_null(want);
    if (!got || !cJSON_Compare(want, got, true))
        fail_msg("body %.*s, want %s", (int)r->body_len, r->body, body);
    cJSON_Delete(want);
    cJSON_Delete(got);
}

int fake_client_setup(void **state) {
    fake_client *t = xcalloc(1, sizeof *t);
    t->f = fake_transport_new();
    t->cl = client_new(&t->f->base, "us-west-2");
    *state = t;
    return 0;
}

int fake_client_teardown(void **state) {
    fake_client *t = *state;
    client_free(t->cl);
    transport_destroy(&t->f->base);
    free(t);
    return 0;
}
