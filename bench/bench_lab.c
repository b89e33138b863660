/* The lab's figures: `lab setup --through 10` on the in-memory emulator
 * (wall time and requests), a second setup that finds everything done,
 * and judging all eleven steps, as the guide does after every change.
 * Prints "name value unit" lines. */
#include <stdio.h>
#include <stdlib.h>

#include "client/client.h"
#include "core/clock.h"
#include "emulator/emulator.h"
#include "emulator/store.h"
#include "lab/checks.h"
#include "lab/lab.h"
#include "lab/setup.h"
#include "transport/local.h"

static double setup_ms(client *cl, const lab_setup_opts *o, lab_data *d, unsigned long *requests) {
    err e;
    unsigned long before = client_requests(cl);
    int64_t t0 = clock_mono_us();
    if (lab_setup(cl, LAB_STEP_LAST_BUILD, o, d, &e) < 0) {
        fprintf(stderr, "bench_lab: setup: %s %s\n", e.code, e.msg);
        exit(1);
    }
    *requests = client_requests(cl) - before;
    return (double)(clock_mono_us() - t0) / 1000;
}

int main(void) {
    err e;
    store *st = store_open(NULL, &e);
    if (!st) {
        fprintf(stderr, "bench_lab: %s\n", e.msg);
        return 1;
    }
    emulator *emu = emulator_new(st, NULL);
    transport *t = local_transport_new(emu);
    client *cl = client_new(t, "us-west-2");
    lab_setup_opts o = {.fetch = {.probes = true, .path_style = true},
                        .account = emulator_account(emu)};
    lab_data d;
    unsigned long n;
    double ms = setup_ms(cl, &o, &d, &n);
    printf("lab_setup_through_10_memory %.0f ms (%lu requests)\n", ms, n);
    lab_data_free(&d);
    ms = setup_ms(cl, &o, &d, &n);
    printf("lab_setup_again_nothing_to_do %.0f ms (%lu requests)\n", ms, n);
    enum { ROUNDS = 2000 };
    int64_t t0 = clock_mono_us();
    for (int k = 0; k < ROUNDS; k++) {
        lab_step_result r;
        for (int s = 1; s <= LAB_STEPS; s++) lab_evaluate(&d.s, s, &r);
    }
    printf("lab_judge_all_steps %.1f us\n", (double)(clock_mono_us() - t0) / ROUNDS);
    lab_data_free(&d);
    client_free(cl);
    transport_destroy(t);
    emulator_free(emu);
    store_close(st);
    return 0;
}
