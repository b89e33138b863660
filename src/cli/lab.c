/* `apigw-console lab`: arguments, and the status, setup, clean-up, reset
 * and steps commands over the lab engine (lab/). Everything that comes
 * from the account is made terminal-safe before it is printed. */
#include "cli/lab.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"
#include "lab/checks.h"
#include "lab/fetch.h"
#include "lab/lab.h"
#include "lab/setup.h"

/* --- arguments ------------------------------------------------------------------------ */

void lab_usage(FILE *f) {
    fputs("Usage: apigw-console lab status [--through N] [--json]\n"
          "       apigw-console lab setup --through N [--yes]\n"
          "       apigw-console lab cleanup [--yes]\n"
          "       apigw-console lab reset [--yes]\n"
          "       apigw-console lab steps [N]\n"
          "\n"
          "The lab 'Build RESTful Microservices with AWS Lambda and API Gateway', step by\n"
          "step, on the offline emulator or (with --aws, --profile, --endpoint-url) on AWS.\n"
          "\n"
          "  status    check each step; exit 0 when every check of steps 1..N passes\n"
          "            (default 10; 11 checks that the clean-up removed everything)\n"
          "  setup     do steps 1..N: what exists is kept, what is missing is made,\n"
          "            what differs is fixed; run it again and nothing changes.\n"
          "            --through 11 is the clean-up\n"
          "  cleanup   delete the lab's resources, found by name, in the order AWS\n"
          "            needs (API key, stages, usage plan, API, function); asks first\n"
          "  reset     empty the offline emulator's account; asks first\n"
          "  steps     what to do in each step (or in step N), and the values to enter\n"
          "\n"
          "Options:\n"
          "  --through N   the last step (1..11)\n"
          "  --json        status as JSON\n"
          "  -y, --yes     do not ask before deleting\n"
          "  --no-probes   do not call the stages or run the function (for endpoints\n"
          "                without a data plane, such as moto_server); those checks skip\n"
          "  --state, --region, --account-id, --aws, --profile, --endpoint-url: as for\n"
          "  the console (see apigw-console --help)\n",
          f);
}

static int parse_number(const char *s, int lo, int hi, int *out) {
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi) return -1;
    *out = (int)v;
    return 0;
}

static int set_command(lab_args *a, const char *word, err *e) {
    static const struct {
        const char *word;
        lab_cmd cmd;
    } cmds[] = {{"status", LAB_CMD_STATUS},
                {"setup", LAB_CMD_SETUP},
                {"cleanup", LAB_CMD_CLEANUP},
                {"reset", LAB_CMD_RESET},
                {"steps", LAB_CMD_STEPS}};
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++)
        if (strcmp(word, cmds[i].word) == 0) {
            a->cmd = cmds[i].cmd;
            return 0;
        }
    return err_set(e, 0, "", "unknown lab command '%s' (status, setup, cleanup, reset, steps)",
                   word);
}

static int positionals(lab_args *a, int argc, char **argv, int first, err *e) {
    if (first >= argc)
        return err_set(e, 0, "", "a command is needed: status, setup, cleanup, reset or steps");
    if (set_command(a, argv[first], e) != 0) return -1;
    if (first + 1 < argc) {
        if (a->cmd != LAB_CMD_STEPS || first + 2 < argc)
            return err_set(e, 0, "", "unexpected argument '%s'",
                           argv[first + 1 + (a->cmd == LAB_CMD_STEPS)]);
        if (parse_number(argv[first + 1], 1, LAB_STEPS, &a->step) != 0)
            return err_set(e, 0, "", "steps wants a step number from 1 to %d, not '%s'", LAB_STEPS,
                           argv[first + 1]);
    }
    if (a->through && a->cmd != LAB_CMD_STATUS && a->cmd != LAB_CMD_SETUP)
        return err_set(e, 0, "", "--through is for status and setup");
    if (a->json && a->cmd != LAB_CMD_STATUS) return err_set(e, 0, "", "--json is for status");
    if (a->cmd == LAB_CMD_SETUP && !a->through)
        return err_set(e, 0, "", "setup wants --through N: the last step to do (1..%d)", LAB_STEPS);
    return 0;
}

int lab_parse(int argc, char **argv, lab_args *a, err *e) {
    enum { O_THROUGH = 256, O_JSON, O_NO_PROBES };
    static const struct option longopts[] = {
        {"through", required_argument, 0, O_THROUGH},
        {"json", no_argument, 0, O_JSON},
        {"yes", no_argument, 0, 'y'},
        {"no-probes", no_argument, 0, O_NO_PROBES},
        CLI_COMMON_OPTIONS,
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    memset(a, 0, sizeof *a);
    err_clear(e);
    cli_getopt_begin();
    int c;
    while ((c = getopt_long(argc, argv, ":hy", longopts, NULL)) != -1) {
        if (cli_common_take(&a->common, c, optarg)) continue;
        switch (c) {
        case O_THROUGH:
            if (parse_number(optarg, 1, LAB_STEPS, &a->through) != 0)
                return err_set(e, 0, "", "--through wants a step from 1 to %d, not '%s'", LAB_STEPS,
                               optarg);
            break;
        case O_JSON: a->json = true; break;
        case 'y': a->yes = true; break;
        case O_NO_PROBES: a->no_probes = true; break;
        case 'h': a->help = true; return 0;
        default: return cli_getopt_fail(c, argv, e);
        }
    }
    /* argv[0] is the word "lab" itself. */
    return positionals(a, argc, argv, optind < 1 ? 1 : optind, e);
}

void lab_args_free(lab_args *a) {
    cli_common_free(&a->common);
    memset(a, 0, sizeof *a);
}

/* --- printing ---------------------------------------------------------------------------- */

static void put_safe(FILE *f, const char *prefix, const char *s, const char *suffix) {
    char *safe = text_sanitize(s);
    fprintf(f, "%s%s%s", prefix, safe, suffix);
    free(safe);
}

static void say_error(FILE *errf, const char *what, const err *e) {
    char text[700];
    char *safe = text_sanitize(err_text(e, text, sizeof text));
    fprintf(errf, "apigw-console lab: %s%s%s\n", what ? what : "", what ? ": " : "", safe);
    free(safe);
}

static void log_line(void *ud, const char *line) { put_safe(ud, "", line, "\n"); }

static void headline(FILE *out, const lab_backend *b) {
    fputs("Lab: Build RESTful Microservices with AWS Lambda and API Gateway\n", out);
    if (b->where) put_safe(out, "On:  ", b->where, "\n");
}

static const char *status_word(lab_status st) {
    return st == LAB_PASS ? "pass" : st == LAB_FAIL ? "fail" : "skip";
}

static void print_step(FILE *out, const lab_step_result *r) {
    const lab_step *st = lab_step_get(r->step);
    fprintf(out, "%2d  %-46s", r->step, st->title);
    if (!r->n) {
        fputs("   -  reading only\n", out);
        return;
    }
    /* passed / all of the step's checks; those skipped are said. */
    fprintf(out, "%3zu/%zu", r->passed, r->n);
    if (r->skipped) fprintf(out, " (%zu skipped)", r->skipped);
    fputc('\n', out);
    if (r->skipped == r->n) {
        /* Nothing of it could be checked: one line says why. */
        put_safe(out, "      ? not checked: ", r->r[0].msg, "\n");
        return;
    }
    for (size_t i = 0; i < r->n; i++) {
        const lab_result *c = &r->r[i];
        if (c->status == LAB_FAIL) put_safe(out, "      x ", c->msg, "\n");
        if (c->status == LAB_SKIP) {
            put_safe(out, "      ? ", c->check->what, "");
            put_safe(out, ": skipped, ", c->msg, "\n");
        }
    }
}

static cJSON *step_json(const lab_step_result *r) {
    cJSON *j = cJSON_CreateObject();
    json_set_num(j, "step", r->step);
    json_set_str(j, "title", lab_step_get(r->step)->title);
    json_set_num(j, "passed", (double)r->passed);
    json_set_num(j, "failed", (double)r->failed);
    json_set_num(j, "skipped", (double)r->skipped);
    json_set_num(j, "total", (double)r->n);
    cJSON *checks = cJSON_CreateArray();
    for (size_t i = 0; i < r->n; i++) {
        cJSON *c = cJSON_CreateObject();
        json_set_str(c, "id", r->r[i].check->id);
        json_set_str(c, "what", r->r[i].check->what);
        json_set_str(c, "status", status_word(r->r[i].status));
        if (r->r[i].msg[0]) {
            char *safe = text_sanitize(r->r[i].msg);
            json_set_str(c, "message", safe);
            free(safe);
        }
        cJSON_AddItemToArray(checks, c);
    }
    json_set(j, "checks", checks);
    return j;
}

/* Print the counted steps of through; true when none fails. */
static bool report(FILE *out, const lab_snapshot *s, int through, bool json) {
    bool ok = true;
    size_t passed = 0, failed = 0, skipped = 0;
    cJSON *steps = cJSON_CreateArray();
    for (int step = 1; step <= LAB_STEPS; step++) {
        if (!lab_step_counts(step, through)) continue;
        lab_step_result r;
        lab_evaluate(s, step, &r);
        ok = ok && r.failed == 0;
        passed += r.passed, failed += r.failed, skipped += r.skipped;
        if (json)
            cJSON_AddItemToArray(steps, step_json(&r));
        else
            print_step(out, &r);
        if (!json && step == 2 && through >= LAB_STEP_CLEANUP)
            fputs("    (steps 3 to 10 are undone by the clean-up: not checked)\n", out);
    }
    if (json) {
        cJSON *j = cJSON_CreateObject();
        json_set_num(j, "through", through);
        json_set_bool(j, "passed", ok);
        json_set(j, "steps", steps);
        char *text = json_pretty(j);
        fprintf(out, "%s\n", text);
        free(text);
        cJSON_Delete(j);
        return ok;
    }
    cJSON_Delete(steps);
    fprintf(out, "\nThrough step %d: %zu check%s pass, %zu fail", through, passed,
            passed == 1 ? "" : "s", failed);
    if (skipped) fprintf(out, ", %zu skipped", skipped);
    fputs(ok ? ". Done.\n" : ".\n", out);
    return ok;
}

static lab_fetch_opts fetch_opts(const lab_args *a, const lab_backend *b) {
    return (lab_fetch_opts){.probes = !a->no_probes, .path_style = b->path_style};
}

/* --- commands ------------------------------------------------------------------------------ */

static int cmd_status(const lab_args *a, const lab_backend *b, FILE *out, FILE *errf) {
    int through = a->through ? a->through : LAB_STEP_LAST_BUILD;
    lab_fetch_opts fo = fetch_opts(a, b);
    lab_data d;
    err e;
    int rc = lab_fetch(b->cl, &fo, &d, &e);
    if (rc != 0) say_error(errf, "cannot read the account", &e);
    if (!a->json) headline(out, b);
    bool ok = report(out, &d.s, through, a->json);
    lab_data_free(&d);
    return rc == 0 && ok ? 0 : 1;
}

/* y or yes on in; anything else (or end of input) is no. */
static bool confirm(FILE *in, FILE *out, const char *question) {
    fprintf(out, "%s [y/N] ", question);
    fflush(out);
    char line[64];
    if (!in || !fgets(line, sizeof line, in)) {
        fputc('\n', out);
        return false;
    }
    /* Typed on a terminal, the answer ended its line; read from a pipe, not. */
    int fd = fileno(in);
    if (fd < 0 || !isatty(fd)) fputc('\n', out);
    line[strcspn(line, "\r\n")] = '\0';
    return strcasecmp(line, "y") == 0 || strcasecmp(line, "yes") == 0;
}

static int cmd_cleanup(const lab_args *a, const lab_backend *b, FILE *in, FILE *out, FILE *errf) {
    lab_cleanup_plan p;
    err e;
    if (lab_cleanup_plan_build(b->cl, &p, &e) != 0) {
        say_error(errf, "cannot read the account", &e);
        return 1;
    }
    if (!p.n) {
        fputs("Nothing of the lab is left to delete.\n", out);
        return 0;
    }
    fputs("The clean-up deletes, in this order:\n", out);
    for (size_t i = 0; i < p.n; i++)
        put_safe(out, "  ", p.v[i].label, "\n");
    char question[64];
    snprintf(question, sizeof question, "Delete these %zu resource%s?", p.n, p.n == 1 ? "" : "s");
    if (!a->yes && !confirm(in, out, question)) {
        fputs("Nothing deleted.\n", out);
        lab_cleanup_plan_free(&p);
        return 1;
    }
    int n = lab_cleanup_run(b->cl, &p, log_line, out, &e);
    lab_cleanup_plan_free(&p);
    if (n < 0) {
        say_error(errf, "the clean-up stopped", &e);
        return 1;
    }
    fprintf(out, "Deleted %d resource%s.\n", n, n == 1 ? "" : "s");
    return 0;
}

static int cmd_setup(const lab_args *a, const lab_backend *b, FILE *in, FILE *out, FILE *errf) {
    if (a->through >= LAB_STEP_CLEANUP) return cmd_cleanup(a, b, in, out, errf);
    headline(out, b);
    lab_setup_opts o = {
        .fetch = fetch_opts(a, b), .account = b->account, .log = log_line, .ud = out};
    lab_data d;
    err e;
    int n = lab_setup(b->cl, a->through, &o, &d, &e);
    if (n < 0) {
        say_error(errf, "setup stopped", &e);
        lab_data_free(&d);
        return 1;
    }
    fprintf(out, "\n%d change%s. The checks now:\n", n, n == 1 ? "" : "s");
    bool ok = report(out, &d.s, a->through, false);
    lab_data_free(&d);
    return ok ? 0 : 1;
}

static int cmd_reset(const lab_args *a, const lab_backend *b, FILE *in, FILE *out, FILE *errf) {
    if (!b->emu) {
        fputs("apigw-console lab: reset empties the offline emulator and does nothing on AWS; "
              "to delete the lab's resources there, use 'apigw-console lab cleanup'\n",
              errf);
        return 2;
    }
    char *q = xasprintf("Empty the emulator's account%s%s? Everything in it is deleted.",
                        b->state_path ? " in " : "", b->state_path ? b->state_path : "");
    char *safe = text_sanitize(q);
    bool go = a->yes || confirm(in, out, safe);
    free(safe);
    free(q);
    if (!go) {
        fputs("Nothing deleted.\n", out);
        return 1;
    }
    err e;
    if (lab_reset(b->emu, &e) != 0) {
        say_error(errf, "reset failed", &e);
        return 1;
    }
    fputs("The emulator's account is empty: the lab starts over at step 1.\n", out);
    return 0;
}

/* text wrapped at width columns, each line indented. */
static void wrap(FILE *out, const char *text, int indent, int width) {
    const char *p = text;
    while (*p) {
        if (*p == '\n') {
            fputc('\n', out);
            p++;
            continue;
        }
        int col = indent;
        fprintf(out, "%*s", indent, "");
        while (*p && *p != '\n') {
            size_t w = strcspn(p, " \n");
            if (col > indent && col + 1 + (int)w > width) break;
            if (col > indent) fputc(' ', out), col++;
            fprintf(out, "%.*s", (int)w, p);
            col += (int)w;
            p += w;
            while (*p == ' ')
                p++;
        }
        fputc('\n', out);
        if (*p == '\n') p++;
    }
}

static void print_instructions(FILE *out, const lab_step *st) {
    fprintf(out, "Step %d: %s\n\n", st->n, st->title);
    wrap(out, st->instructions, 2, 78);
    if (st->nvalues) fputc('\n', out);
    for (size_t i = 0; i < st->nvalues; i++)
        fprintf(out, "  %-28s %s\n", st->values[i].field, st->values[i].value);
    size_t n;
    const lab_check *c = lab_checks(st->n, &n);
    if (n) fputs("\n  Checked:\n", out);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "  - %s\n", c[i].what);
}

static int cmd_steps(const lab_args *a, FILE *out) {
    for (int n = 1; n <= LAB_STEPS; n++) {
        if (a->step && n != a->step) continue;
        if (n > 1 && !a->step) fputc('\n', out);
        print_instructions(out, lab_step_get(n));
    }
    return 0;
}

int lab_run(const lab_args *a, const lab_backend *b, FILE *in, FILE *out, FILE *errf) {
    switch (a->cmd) {
    case LAB_CMD_STATUS: return cmd_status(a, b, out, errf);
    case LAB_CMD_SETUP: return cmd_setup(a, b, in, out, errf);
    case LAB_CMD_CLEANUP: return cmd_cleanup(a, b, in, out, errf);
    case LAB_CMD_RESET: return cmd_reset(a, b, in, out, errf);
    case LAB_CMD_STEPS: return cmd_steps(a, out);
    case LAB_CMD_NONE: break;
    }
    lab_usage(errf);
    return 2;
}

int lab_main(int argc, char **argv, const lab_backend *b) {
    lab_args a;
    err e;
    int rc;
    if (lab_parse(argc, argv, &a, &e) != 0) {
        cli_usage_error(stderr, "lab", &e);
        rc = 2;
    } else if (a.help) {
        lab_usage(stdout);
        rc = 0;
    } else {
        rc = lab_run(&a, b, stdin, stdout, stderr);
    }
    lab_args_free(&a);
    return rc;
}
