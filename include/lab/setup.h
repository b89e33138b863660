#ifndef LAB_SETUP_H
#define LAB_SETUP_H
/* Doing the lab's steps through the client, so that a student can catch up
 * at any step: each step makes its own checks pass and nothing more. What
 * exists is kept (found by name), what is missing is created and what
 * differs is fixed; running it again changes nothing. Then the clean-up,
 * which deletes the lab's resources (and only those, by name) in the
 * order AWS requires, and the emulator's reset. */
#include <stdbool.h>
#include <stdio.h>

#include "client/client.h"
#include "core/err.h"
#include "emulator/emulator.h"
#include "lab/fetch.h"

/* Told of each change as it is made (and of progress), one line of
 * text without a newline; may hold names from the account. */
typedef void (*lab_log_fn)(void *ud, const char *line);

typedef struct lab_setup_opts {
    lab_fetch_opts fetch;
    /* The account id, for the role and the execute-api ARNs; NULL: taken
     * from ItemsFunction's ARN when it exists, else asked from STS. */
    const char *account;
    lab_log_fn log;
    void *ud;
} lab_setup_opts;

/* Do steps 1..through (at most LAB_STEP_LAST_BUILD; the clean-up is
 * lab_cleanup_*). Returns the number of changes made, or -1 with e set
 * (the steps before the failing one stay done). *after, when not NULL,
 * gets the snapshot at the end (the caller frees it), also on failure. */
int lab_setup(client *cl, int through, const lab_setup_opts *o, lab_data *after, err *e);

/* --- clean-up (step 11) ---------------------------------------------------------------- */
typedef enum lab_doomed_kind {
    LAB_DEL_API_KEY,
    LAB_DEL_STAGE,
    LAB_DEL_PLAN,
    LAB_DEL_API,
    LAB_DEL_FUNCTION
} lab_doomed_kind;

typedef struct lab_doomed {
    lab_doomed_kind kind;
    char *id;     /* key, plan or API id; the function's name */
    char *api_id; /* LAB_DEL_STAGE: the API the stage is of */
    char *label;  /* "API key LabKey (id abc123)" */
} lab_doomed;

typedef struct lab_cleanup_plan {
    lab_doomed *v;
    size_t n;
} lab_cleanup_plan;

/* What the clean-up would delete, in the order it deletes: every API key
 * named LabKey, every stage of every API named ItemsAPI, every usage plan
 * named CloudAcademyPlan, those APIs, and ItemsFunction (with its versions
 * and aliases). Returns 0 or -1 with e set. */
int lab_cleanup_plan_build(client *cl, lab_cleanup_plan *p, err *e);
void lab_cleanup_plan_free(lab_cleanup_plan *p);
/* Delete what p lists, in order; a resource already gone is no failure.
 * Returns the number deleted, or -1 with e set at the first failure. */
int lab_cleanup_run(client *cl, const lab_cleanup_plan *p, lab_log_fn log, void *ud, err *e);

/* --- the emulator ---------------------------------------------------------------------- */
/* Start the emulator's account over: its whole state is replaced by an
 * empty one (and saved). Returns 0 or -1 with e set. */
int lab_reset(emulator *emu, err *e);

#endif
