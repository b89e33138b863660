#ifndef TEST_FIXTURE_H
#define TEST_FIXTURE_H
/* An in-memory emulator with a fake clock and seeded randomness, and calls
 * that speak its HTTP interface as the AWS CLI would. */
#include <cjson/cJSON.h>
#include <stdarg.h>
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

#endif
