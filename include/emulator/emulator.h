#ifndef EMULATOR_EMULATOR_H
#define EMULATOR_EMULATOR_H
/* The offline AWS: answers API Gateway and Lambda management API requests
 * as AWS does (rest-json: same paths, bodies, status codes, error shapes). */
#include "core/clock.h"
#include "core/err.h"
#include "emulator/store.h"
#include "transport/http.h"

typedef struct emulator emulator;

typedef struct emulator_opts {
    const char *account_id;     /* default "123456789012" */
    const char *default_region; /* default "us-west-2": when the request names none */
    clock_src clock;            /* default: the system clock */
    rand_src rand;              /* default: the system's randomness */
} emulator_opts;

/* The emulator uses st (not owned). */
emulator *emulator_new(store *st, const emulator_opts *opts);
void emulator_free(emulator *emu);

/* Handle one request; always fills resp (errors included). The service and
 * region come from req->service / req->region when set, otherwise from the
 * SigV4 credential scope of the Authorization header, otherwise from the
 * path (Lambda paths start with a date) and the default region. */
void emulator_handle(emulator *emu, const http_request *req, http_response *resp);

const char *emulator_account(const emulator *emu);
store *emulator_store(emulator *emu);

#endif
