/* Running the checks of a step over a snapshot. */
#include <string.h>

#include "lab_int.h"

const lab_check *lab_checks(int step, size_t *count) {
    const lab_check_table *t = NULL;
    if (step == 1 || step == 3 || step == LAB_STEP_CLEANUP) t = &lab_checks_api[step];
    if (step >= 4 && step <= 7) t = &lab_checks_fn[step];
    if (step >= 8 && step <= 10) t = &lab_checks_more[step];
    *count = t ? t->n : 0;
    return t ? t->v : NULL;
}

void lab_evaluate(const lab_snapshot *s, int step, lab_step_result *out) {
    memset(out, 0, sizeof *out);
    out->step = step;
    size_t n;
    const lab_check *c = lab_checks(step, &n);
    for (size_t i = 0; i < n && i < LAB_CHECKS_MAX; i++) {
        lab_result *r = &out->r[out->n++];
        r->check = &c[i];
        r->status = c[i].fn(s, r->msg, sizeof r->msg);
        if (r->status == LAB_PASS) r->msg[0] = '\0';
        out->passed += r->status == LAB_PASS;
        out->failed += r->status == LAB_FAIL;
        out->skipped += r->status == LAB_SKIP;
    }
}

bool lab_step_counts(int step, int through) {
    if (step < 1 || step > LAB_STEPS || through < 1) return false;
    if (through >= LAB_STEP_CLEANUP) return step <= 2 || step == LAB_STEP_CLEANUP;
    return step <= through;
}

bool lab_through_passes(const lab_snapshot *s, int through) {
    for (int step = 1; step <= LAB_STEPS; step++) {
        if (!lab_step_counts(step, through)) continue;
        lab_step_result r;
        lab_evaluate(s, step, &r);
        if (r.failed) return false;
    }
    return true;
}
