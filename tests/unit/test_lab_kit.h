#ifndef TEST_LAB_KIT_H
#define TEST_LAB_KIT_H
/* What the lab's tests share: an in-memory emulator (fake clock, seeded
 * randomness) with a client over the local transport, the lab engine's
 * options for it, and assertions over a step's checks that name the
 * failing ones. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/client.h"
#include "core/buf.h"
#include "core/mem.h"
#include "fixture.h"
#include "lab/checks.h"
#include "lab/fetch.h"
#include "lab/lab.h"
#include "lab/setup.h"
#include "transport/local.h"

typedef struct lab_env {
    fixture *fx;
    transport *t;
    client *cl;
    buf log; /* what the setup said it did */
    lab_setup_opts o;
} lab_env;

static inline void lab_env_log(void *ud, const char *line) {
    buf_puts(ud, line);
    buf_putc(ud, '\n');
}

static inline lab_env *lab_env_new(void) {
    lab_env *E = xcalloc(1, sizeof *E);
    E->fx = fixture_new(NULL);
    E->t = local_transport_new(E->fx->emu);
    E->cl = client_new(E->t, FIXTURE_REGION);
    E->o = (lab_setup_opts){.fetch = {.probes = true, .path_style = true},
                            .account = emulator_account(E->fx->emu),
                            .log = lab_env_log,
                            .ud = &E->log};
    return E;
}

static inline void lab_env_free(lab_env *E) {
    client_free(E->cl);
    transport_destroy(E->t);
    fixture_free(E->fx);
    buf_free(&E->log);
    free(E);
}

/* lab_setup through; asserts it worked; returns the number of changes.
 * after (may be NULL) gets the snapshot at the end. */
static inline int lab_env_setup(lab_env *E, int through, lab_data *after) {
    err e;
    lab_data d;
    buf_reset(&E->log);
    int n = lab_setup(E->cl, through, &E->o, &d, &e);
    if (n < 0)
        fail_msg("setup through %d: %s %s (HTTP %d)\n%s", through, e.code, e.msg, e.status,
                 E->log.data);
    if (after)
        *after = d;
    else
        lab_data_free(&d);
    return n;
}

static inline void lab_env_fetch(lab_env *E, lab_data *d) {
    err e;
    if (lab_fetch(E->cl, &E->o.fetch, d, &e) != 0) fail_msg("fetch: %s %s", e.code, e.msg);
}

/* Print step's results that are not passes. */
static inline void lab_print_step(const lab_snapshot *s, int step) {
    lab_step_result r;
    lab_evaluate(s, step, &r);
    for (size_t i = 0; i < r.n; i++)
        if (r.r[i].status != LAB_PASS)
            print_message("  step %d %s %s: %s\n", step,
                          r.r[i].status == LAB_FAIL ? "FAIL" : "skip", r.r[i].check->id,
                          r.r[i].msg);
}

/* Every check of step passes (none fails, none is skipped: the emulator
 * can run everything). */
static inline void assert_step_passes(const lab_snapshot *s, int step) {
    lab_step_result r;
    lab_evaluate(s, step, &r);
    if (r.passed != r.n) {
        lab_print_step(s, step);
        fail_msg("step %d: %zu of %zu checks pass", step, r.passed, r.n);
    }
}

/* The result of check id in step. */
static inline const lab_result *lab_find_result(const lab_step_result *r, const char *id) {
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->r[i].check->id, id) == 0) return &r->r[i];
    fail_msg("no check %s in step %d", id, r->step);
    return NULL;
}

/* Check id of step fails with exactly msg. */
static inline void assert_check_fails(const lab_snapshot *s, int step, const char *id,
                                      const char *msg) {
    lab_step_result r;
    lab_evaluate(s, step, &r);
    const lab_result *res = lab_find_result(&r, id);
    if (res->status != LAB_FAIL)
        fail_msg("%s: %s, not a failure", id, res->status ? "skip" : "pass");
    assert_string_equal(res->msg, msg);
}

static inline void assert_check_status(const lab_snapshot *s, int step, const char *id,
                                       lab_status want) {
    lab_step_result r;
    lab_evaluate(s, step, &r);
    const lab_result *res = lab_find_result(&r, id);
    if (res->status != want)
        fail_msg("%s: status %d (%s), want %d", id, res->status, res->msg, want);
}

#endif
