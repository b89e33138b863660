#ifndef CLI_OPTS_H
#define CLI_OPTS_H
/* The options every command takes, wherever it is on the line: --state,
 * --region, --account-id (the emulator's), --aws, --profile and
 * --endpoint-url (a real account). One getopt_long table and one way to
 * take them, for the console's own words (main), invoke and lab; and the
 * usage messages the subcommands share. */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "core/err.h"

/* The fields, written once: in cli_common and, by name, in a command's
 * arguments (CLI_COMMON_MEMBER). NULL / false: not given. */
#define CLI_COMMON_FIELDS                                                                          \
    char *state, *region, *account; /* account: --account-id */                                    \
    char *profile, *endpoint_url;                                                                  \
    bool aws /* --aws, --profile or --endpoint-url: a real account */

typedef struct cli_common {
    CLI_COMMON_FIELDS;
} cli_common;

/* In a command's arguments: the common options by name (a->state) and as
 * one cli_common (&a->common) for the functions below. */
#define CLI_COMMON_MEMBER                                                                          \
    union {                                                                                        \
        cli_common common;                                                                         \
        struct {                                                                                   \
            CLI_COMMON_FIELDS;                                                                     \
        };                                                                                         \
    }

/* getopt_long's values for them, above any command's own options. */
enum { CLI_O_STATE = 0x400, CLI_O_REGION, CLI_O_ACCOUNT, CLI_O_AWS, CLI_O_PROFILE, CLI_O_ENDPOINT };

/* Their entries of a getopt_long table. */
/* clang-format off */
#define CLI_COMMON_OPTIONS                                                                         \
    {"state", required_argument, 0, CLI_O_STATE},                                                  \
    {"region", required_argument, 0, CLI_O_REGION},                                                \
    {"account-id", required_argument, 0, CLI_O_ACCOUNT},                                           \
    {"aws", no_argument, 0, CLI_O_AWS},                                                            \
    {"profile", required_argument, 0, CLI_O_PROFILE},                                              \
    {"endpoint-url", required_argument, 0, CLI_O_ENDPOINT}
/* clang-format on */

/* Take getopt_long's answer c (with its arg) into o when it is one of the
 * common options: true; false for any other answer. A later value
 * replaces an earlier one; --profile and --endpoint-url imply --aws. */
bool cli_common_take(cli_common *o, int c, const char *arg);
/* What from gives (strings copied) replaces what into holds; the rest of
 * into stays. */
void cli_common_merge(cli_common *into, const cli_common *from);
void cli_common_free(cli_common *o);

/* *slot = a copy of v, what it held freed. */
void cli_set_str(char **slot, const char *v);

/* A fresh getopt_long scan of a subcommand's words, whatever parsed argv
 * before, with the messages left to cli_getopt_fail. */
void cli_getopt_begin(void);
/* The usage message for getopt_long's ':' (an option without its value)
 * or '?' (an option it does not know), in e. Returns -1. */
int cli_getopt_fail(int c, char *const *argv, err *e);

/* "apigw-console CMD: MESSAGE" and the pointer to CMD's help, on f: what
 * a subcommand says of words it cannot parse (exit status 2). */
void cli_usage_error(FILE *f, const char *cmd, const err *e);

#endif
