#ifndef CLI_LAB_H
#define CLI_LAB_H
/* `apigw-console lab`: the lab's steps from the command line.
 *   lab status [--through N] [--json]   each step's checks; exit 0 when every
 *                                      check of steps 1..N (default 10) passes
 *   lab setup --through N [--yes]       do steps 1..N, keeping what exists;
 *                                      N = 11 is the clean-up
 *   lab cleanup [--yes]                 delete the lab's resources (asks first)
 *   lab reset [--yes]                   empty the offline emulator (asks first)
 *   lab steps [N]                       the instructions of every step, or of N
 * It works through a client on whichever backend main built: the offline
 * emulator over the local transport, or AWS (or an endpoint) over curl. */
#include <stdbool.h>
#include <stdio.h>

#include "cli/opts.h"
#include "client/client.h"
#include "core/err.h"
#include "emulator/emulator.h"

typedef struct lab_backend {
    client *cl;
    emulator *emu;          /* offline: the emulator (reset works); NULL on AWS */
    const char *state_path; /* offline: its state file, for messages; or NULL */
    const char *account;    /* the account id when known (offline); NULL: asked */
    bool path_style;        /* stage requests as /restapis/{id}/{stage}/_user_request_ */
    const char *where;      /* where requests go, for the headline; or NULL */
} lab_backend;

typedef enum lab_cmd {
    LAB_CMD_NONE,
    LAB_CMD_STATUS,
    LAB_CMD_SETUP,
    LAB_CMD_CLEANUP,
    LAB_CMD_RESET,
    LAB_CMD_STEPS
} lab_cmd;

typedef struct lab_args {
    lab_cmd cmd;
    int through; /* 0: not given */
    int step;    /* lab steps N; 0: all */
    bool json, yes, help;
    bool no_probes;    /* do not call the stages or run the function (moto_server) */
    CLI_COMMON_MEMBER; /* the options every mode takes, for main */
} lab_args;

/* Parse the words after the program name, argv[0] being "lab". Returns 0
 * (a->help set for --help) or -1 with a usage message in e. Free a with
 * lab_args_free either way. */
int lab_parse(int argc, char **argv, lab_args *a, err *e);
void lab_args_free(lab_args *a);
void lab_usage(FILE *f);

/* Run the parsed command on b, asking on in and writing to out (errors to
 * errf). Returns the exit status: 0 done (status: every counted check
 * passes), 1 not done or failed, 2 misuse (reset on AWS). */
int lab_run(const lab_args *a, const lab_backend *b, FILE *in, FILE *out, FILE *errf);

/* lab_parse and lab_run on the standard streams: the whole subcommand for
 * main, argv[0] being "lab". Options main has already taken are accepted
 * and ignored here. */
int lab_main(int argc, char **argv, const lab_backend *b);

#endif
