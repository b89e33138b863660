#ifndef TEST_FIXTURE_H
#define TEST_FIXTURE_H
/* An in-memory emulator with a fake clock and seeded randomness, and calls
 * that speak its HTTP interface as the AWS CLI would. */
#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/clock.h"
#include "emulator/emulator.h"

typedef struct fixture {
    store *st;
    emulator *emu;
    fake_clock clock;
    seeded_rand rand;
    http_response last;
} fixture;

#define FIXTURE_T0_MS 1795996800000LL /* 2026-11-30T00:00:00Z */
#define FIXTURE_REGION "us-west-2"    /* the emulator's default region */

/* path NULL: a memory-only store. */
fixture *fixture_new(const char *state_path);
void fixture_free(fixture *fx);

/* Send METHOD path (with optional ?query) and body (NULL: none). Returns the
 * status; *out (if out) gets the parsed JSON body or NULL. The service is
 * told from the path as an endpoint would (Lambda paths start with a date). */
int fx_call(fixture *fx, const char *method, const char *path, const char *body, cJSON **out);
/* Same, with a printf-style path. */
int fx_callf(fixture *fx, cJSON **out, const char *method, const char *body, const char *pathfmt,
             ...) __attribute__((format(printf, 5, 6)));
/* From the last response. */
const char *fx_header(fixture *fx, const char *name);
const char *fx_error_type(fixture *fx);
/* The error message of the last response ("message" or "Message"), or "". */
const char *fx_message(fixture *fx);
const char *fx_body(fixture *fx);

/* Assert the last call failed with status and error type. */
#define assert_fx_error(fx, st, type)                      \
    do {                                                   \
        assert_int_equal((fx)->last.status, (st));         \
        assert_string_equal(fx_error_type(fx), (type));    \
    } while (0)

/* Assert the last call failed with status, error type and message
 * (fx_message). */
void assert_fx_message(fixture *fx, int status, const char *type, const char *msg);
/* The same, with the message read whole from the member "message", as
 * API Gateway spells it. */
void assert_apigw_message(fixture *fx, int status, const char *type, const char *msg);

/* No member whose name starts with '_' may ever leave the emulator: assert
 * there is none anywhere in v. */
void assert_no_private(const cJSON *v);
/* fx_call and fx_callf that also assert_no_private on the body. */
int fx_call_public(fixture *fx, const char *method, const char *path, const char *body,
                   cJSON **out);
int fx_callf_public(fixture *fx, cJSON **out, const char *method, const char *body,
                    const char *pathfmt, ...) __attribute__((format(printf, 5, 6)));
/* POST body to the path with fx_callf_public; asserts 201 and returns the
 * new item's "id" (malloc'd). */
char *fx_create_id(fixture *fx, const char *body, const char *pathfmt, ...)
    __attribute__((format(printf, 3, 4)));
/* PATCH the path with the body {"patchOperations": ops} (fx_callf_public). */
int fx_patch(fixture *fx, cJSON **out, const char *ops, const char *pathfmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Run f on the state of FIXTURE_REGION in a write transaction: to seed or
 * inspect what the API does not show. */
void fx_with_state(fixture *fx, void (*f)(cJSON *region, void *ud), void *ud);
/* The stored state of a REST API (STATE LAYOUT in src/emulator/emu.h);
 * asserts it exists. */
cJSON *fx_api_state(cJSON *region, const char *api_id);
/* A resource as CreateResource stores it, added to the API's state. */
cJSON *fx_seed_resource(cJSON *api, const char *id, const char *parent_id, const char *path_part,
                        const char *path);
/* A method (authorization NONE) as PutMethod stores it on a resource, with
 * a MOCK integration as PutIntegration stores it when mock is set. */
void fx_seed_method(cJSON *resource, const char *verb, bool key_required, bool mock);

#endif
