/* The options every command takes, and the usage messages the subcommands
 * share (see cli/opts.h). */
#include "cli/opts.h"

#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/text.h"

void cli_set_str(char **slot, const char *v) {
    free(*slot);
    *slot = xstrdup(v);
}

bool cli_common_take(cli_common *o, int c, const char *arg) {
    switch (c) {
    case CLI_O_STATE: cli_set_str(&o->state, arg); return true;
    case CLI_O_REGION: cli_set_str(&o->region, arg); return true;
    case CLI_O_ACCOUNT: cli_set_str(&o->account, arg); return true;
    case CLI_O_AWS: o->aws = true; return true;
    case CLI_O_PROFILE:
        cli_set_str(&o->profile, arg);
        o->aws = true;
        return true;
    case CLI_O_ENDPOINT:
        cli_set_str(&o->endpoint_url, arg);
        o->aws = true;
        return true;
    default: return false;
    }
}

void cli_common_merge(cli_common *into, const cli_common *from) {
    if (from->state) cli_set_str(&into->state, from->state);
    if (from->region) cli_set_str(&into->region, from->region);
    if (from->account) cli_set_str(&into->account, from->account);
    if (from->profile) cli_set_str(&into->profile, from->profile);
    if (from->endpoint_url) cli_set_str(&into->endpoint_url, from->endpoint_url);
    if (from->aws) into->aws = true;
}

void cli_common_free(cli_common *o) {
    free(o->state);
    free(o->region);
    free(o->account);
    free(o->profile);
    free(o->endpoint_url);
    memset(o, 0, sizeof *o);
}

void cli_getopt_begin(void) {
    optind = 0; /* a fresh scan, whatever parsed argv before */
    opterr = 0; /* messages are ours, in e */
}

int cli_getopt_fail(int c, char *const *argv, err *e) {
    if (c == ':') return err_set(e, 0, "", "option '%s' wants a value", argv[optind - 1]);
    if (optopt) return err_set(e, 0, "", "unknown option '-%c'", optopt);
    return err_set(e, 0, "", "unknown option '%s'", argv[optind - 1]);
}

void cli_usage_error(FILE *f, const char *cmd, const err *e) {
    char *safe = text_sanitize(e->msg);
    fprintf(f, "apigw-console %s: %s\nTry 'apigw-console %s --help'.\n", cmd, safe, cmd);
    free(safe);
}
