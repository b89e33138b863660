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

void assert_fx_message(fixture *fx, int status, const char *type, const char *msg) {
    assert_fx_error(fx, status, type);
    assert_string_equal(fx_message(fx), msg);
}

void assert_apigw_message(fixture *fx, int status, const char *type, const char *msg) {
    assert_fx_error(fx, status, type);
    cJSON *b = cJSON_ParseWithLength(fx->last.body, fx->last.body_len);
    assert_non_null(b);
    assert_string_equal(json_str(b, "message"), msg);
    cJSON_Delete(b);
}

void assert_no_private(const cJSON *v) {
    const cJSON *it;
    cJSON_ArrayForEach(it, v) {
        if (cJSON_IsObject(v) && it->string && it->string[0] == '_') {
            fprintf(stderr, "private member %s in response\n", it->string);
            fail();
        }
        assert_no_private(it);
    }
}

int fx_call_public(fixture *fx, const char *method, const char *path, const char *body,
                   cJSON **out) {
    cJSON *b = NULL;
    int st = fx_call(fx, method, path, body, &b);
    assert_no_private(b);
    if (out)
        *out = b;
    else
        cJSON_Delete(b);
    return st;
}

/* fx_call_public on a path from a printf-style format. */
static int vcall_public(fixture *fx, cJSON **out, const char *method, const char *body,
                        const char *pathfmt, va_list ap) {
    char path[2048];
    vsnprintf(path, sizeof path, pathfmt, ap);
    return fx_call_public(fx, method, path, body, out);
}

int fx_callf_public(fixture *fx, cJSON **out, const char *method, const char *body,
                    const char *pathfmt, ...) {
    va_list ap;
    va_start(ap, pathfmt);
    int st = vcall_public(fx, out, method, body, pathfmt, ap);
    va_end(ap);
    return st;
}

char *fx_create_id(fixture *fx, const char *body, const char *pathfmt, ...) {
    cJSON *b = NULL;
    va_list ap;
    va_start(ap, pathfmt);
    int st = vcall_public(fx, &b, "POST", body, pathfmt, ap);
    va_end(ap);
    assert_int_equal(st, 201);
    char *id = xstrdup(json_str(b, "id"));
    cJSON_Delete(b);
    return id;
}

int fx_patch(fixture *fx, cJSON **out, const char *ops, const char *pathfmt, ...) {
    char *body = xasprintf("{\"patchOperations\":%s}", ops);
    va_list ap;
    va_start(ap, pathfmt);
    int st = vcall_public(fx, out, "PATCH", body, pathfmt, ap);
    va_end(ap);
    free(body);
    return st;
}

void fx_with_state(fixture *fx, void (*f)(cJSON *region, void *ud), void *ud) {
    err e;
    assert_int_equal(store_begin(fx->st, true, &e), 0);
    f(store_region(fx->st, FIXTURE_REGION), ud);
    assert_int_equal(store_commit(fx->st, &e), 0);
}

cJSON *fx_api_state(cJSON *region, const char *api_id) {
    cJSON *api = json_obj(json_obj(region, "restapis"), api_id);
    assert_non_null(api);
    return api;
}

cJSON *fx_seed_resource(cJSON *api, const char *id, const char *parent_id, const char *path_part,
                        const char *path) {
    cJSON *r = cJSON_CreateObject();
    json_set_str(r, "id", id);
    json_set_str(r, "parentId", parent_id);
    json_set_str(r, "pathPart", path_part);
    json_set_str(r, "path", path);
    json_set(json_obj(api, "resources"), id, r);
    return r;
}

void fx_seed_method(cJSON *resource, const char *verb, bool key_required, bool mock) {
    cJSON *m = cJSON_CreateObject();
    json_set_str(m, "httpMethod", verb);
    json_set_str(m, "authorizationType", "NONE");
    json_set_bool(m, "apiKeyRequired", key_required);
    if (mock) json_set_str(json_child_obj(m, "methodIntegration"), "type", "MOCK");
    json_set(json_child_obj(resource, "resourceMethods"), verb, m);
}
