#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/mem.h"

fixture *fixture_new(const char *state_path) {
    fixture *fx = xcalloc(1, sizeof *fx);
    fx->clock.ms = FIXTURE_T0_MS;
    err e;
    fx->st = store_open(state_path, &e);
    if (!fx->st) {
        fprintf(stderr, "fixture: %s\n", e.msg);
        abort();
    }
    emulator_opts o = {.clock = clock_fake(&fx->clock), .rand = rand_seeded(&fx->rand, 42)};
    fx->emu = emulator_new(fx->st, &o);
    http_response_init(&fx->last);
    return fx;
}

void fixture_free(fixture *fx) {
    http_response_free(&fx->last);
    emulator_free(fx->emu);
    store_close(fx->st);
    free(fx);
}

int fx_call(fixture *fx, const char *method, const char *path, const char *body, cJSON **out) {
    http_request *r = http_request_new(method, path);
    http_headers_add(&r->headers, "Accept", "application/json");
    if (body) {
        http_request_set_body(r, body, strlen(body));
        http_headers_add(&r->headers, "Content-Type", "application/json");
    }
    emulator_handle(fx->emu, r, &fx->last);
    http_request_free(r);
    if (out) {
        *out = fx->last.body_len ? cJSON_ParseWithLength(fx->last.body, fx->last.body_len) : NULL;
    }
    return fx->last.status;
}

int fx_callf(fixture *fx, cJSON **out, const char *method, const char *body, const char *pathfmt,
             ...) {
    char path[2048];
    va_list ap;
    va_start(ap, pathfmt);
    vsnprintf(path, sizeof path, pathfmt, ap);
    va_end(ap);
    return fx_call(fx, method, path, body, out);
}

const char *fx_header(fixture *fx, const char *name) { return http_headers_get(&fx->last.headers, name); }

const char *fx_error_type(fixture *fx) {
    const char *t = fx_header(fx, "x-amzn-ErrorType");
    return t ? t : "";
}

const char *fx_message(fixture *fx) {
    static char msg[4096];
    msg[0] = '\0';
    cJSON *b = fx->last.body_len ? cJSON_ParseWithLength(fx->last.body, fx->last.body_len) : NULL;
    const char *m = json_str(b, "message");
    if (!m) m = json_str(b, "Message");
    if (m) snprintf(msg, sizeof msg, "%s", m);
    cJSON_Delete(b);
    return msg;
}

const char *fx_body(fixture *fx) { return fx->last.body ? fx->last.body : ""; }
