/* `apigw-console lab`: arguments, and each command's output and exit
 * status on the in-memory emulator, with the answers to its questions
 * given on a stream. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/lab.h"
#include "core/json.h"
#include "test_lab_kit.h"

typedef struct run {
    int rc;
    char *out, *err;
} run;

static void run_free(run *r) {
    free(r->out);
    free(r->err);
}

/* lab ARGS... on E's emulator (emu: reset allowed), with input on stdin. */
static int parse_words(const char *const *argv, lab_args *a, err *e);

static run lab(lab_env *E, bool emu, const char *input, const char *const *argv) {
    lab_args a;
    err e;
    if (parse_words(argv, &a, &e) != 0) fail_msg("parse: %s", e.msg);
    lab_backend b = {.cl = E->cl,
                     .emu = emu ? E->fx->emu : NULL,
                     .account = emulator_account(E->fx->emu),
                     .path_style = true,
                     .where = "emulator (memory)"};
    run r = {0};
    size_t on, en;
    FILE *out = open_memstream(&r.out, &on), *errf = open_memstream(&r.err, &en);
    FILE *in = fmemopen((void *)(input ? input : ""), input ? strlen(input) : 0, "r");
    r.rc = lab_run(&a, &b, in, out, errf);
    fclose(in);
    fclose(out);
    fclose(errf);
    lab_args_free(&a);
    return r;
}

#define LAB(E, emu, input, ...)                                                                    \
    lab((E), (emu), (input), (const char *const[]){"lab", __VA_ARGS__, NULL})

static void assert_has(const char *text, const char *part) {
    if (!strstr(text, part)) fail_msg("'%s' is not in:\n%s", part, text);
}

/* --- arguments ----------------------------------------------------------------------- */

/* getopt reorders the words: parse a copy of the array. */
static int parse_words(const char *const *argv, lab_args *a, err *e) {
    char *v[16];
    int argc = 0;
    for (; argv[argc] && argc < 15; argc++)
        v[argc] = (char *)argv[argc];
    v[argc] = NULL;
    return lab_parse(argc, v, a, e);
}

#define PARSE(a, e, ...) parse_words((const char *const[]){"lab", __VA_ARGS__, NULL}, (a), (e))

static void arguments(void **state) {
    (void)state;
    lab_args a;
    err e;
    assert_int_equal(PARSE(&a, &e, "status", "--through", "7", "--json"), 0);
    assert_int_equal(a.cmd, LAB_CMD_STATUS);
    assert_int_equal(a.through, 7);
    assert_true(a.json);
    lab_args_free(&a);
    /* The options main takes are kept for it, on either side of the word. */
    assert_int_equal(PARSE(&a, &e, "--state", "/tmp/s.json", "setup", "--through", "11", "-y",
                           "--region", "eu-west-1"),
                     0);
    assert_int_equal(a.cmd, LAB_CMD_SETUP);
    assert_int_equal(a.through, 11);
    assert_true(a.yes);
    assert_string_equal(a.state, "/tmp/s.json");
    assert_string_equal(a.region, "eu-west-1");
    assert_false(a.aws);
    lab_args_free(&a);
    assert_int_equal(PARSE(&a, &e, "--endpoint-url", "http://127.0.0.1:1", "cleanup"), 0);
    assert_true(a.aws);
    assert_string_equal(a.endpoint_url, "http://127.0.0.1:1");
    lab_args_free(&a);
    assert_int_equal(PARSE(&a, &e, "steps", "4"), 0);
    assert_int_equal(a.step, 4);
    lab_args_free(&a);
    assert_int_equal(PARSE(&a, &e, "--help"), 0);
    assert_true(a.help);
    lab_args_free(&a);

    static const struct {
        const char *const argv[6];
        const char *msg;
    } bad[] = {
        {{"lab", NULL}, "a command is needed: status, setup, cleanup, reset or steps"},
        {{"lab", "build", NULL},
         "unknown lab command 'build' (status, setup, cleanup, reset, steps)"},
        {{"lab", "setup", NULL}, "setup wants --through N: the last step to do (1..11)"},
        {{"lab", "status", "--through", "12", NULL},
         "--through wants a step from 1 to 11, not '12'"},
        {{"lab", "status", "--through", "x", NULL}, "--through wants a step from 1 to 11, not 'x'"},
        {{"lab", "cleanup", "--through", "3", NULL}, "--through is for status and setup"},
        {{"lab", "setup", "--through", "3", "--json", NULL}, "--json is for status"},
        {{"lab", "steps", "0", NULL}, "steps wants a step number from 1 to 11, not '0'"},
        {{"lab", "status", "now", NULL}, "unexpected argument 'now'"},
        {{"lab", "status", "--frobnicate", NULL}, "unknown option '--frobnicate'"},
        {{"lab", "status", "--through", NULL}, "option '--through' wants a value"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(parse_words(bad[i].argv, &a, &e), -1);
        assert_string_equal(e.msg, bad[i].msg);
        lab_args_free(&a);
    }
}

/* --- status ---------------------------------------------------------------------------- */

static void status_of_an_empty_account(void **state) {
    (void)state;
    lab_env *E = lab_env_new();
    run r = LAB(E, true, NULL, "status");
    assert_int_equal(r.rc, 1);
    assert_has(r.out, "On:  emulator (memory)\n");
    assert_has(r.out, " 1  Choose where to work                            1/1\n");
    assert_has(r.out, " 2  What a REST API is                               -  reading only\n");
    assert_has(r.out, "      x there is no API named ItemsAPI\n");
    assert_has(r.out, "      x there is no function named ItemsFunction\n");
    assert_has(r.out, "Through step 10: 1 check pass, ");
    assert_string_equal(r.err, "");
    run_free(&r);
    /* Nothing of the lab is there, which is what the clean-up wants. */
    r = LAB(E, true, NULL, "status", "--through", "11");
    assert_int_equal(r.rc, 0);
    assert_has(r.out, "(steps 3 to 10 are undone by the clean-up: not checked)");
    assert_has(r.out, "11  Clean up                                        4/4\n");
    assert_has(r.out, "Through step 11: 5 checks pass, 0 fail. Done.\n");
    run_free(&r);
    lab_env_free(E);
}

static void status_as_json(void **state) {
    (void)state;
    lab_env *E = lab_env_new();
    lab_env_setup(E, 3, NULL);
    run r = LAB(E, true, NULL, "status", "--through", "4", "--json");
    assert_int_equal(r.rc, 1);
    cJSON *j = cJSON_Parse(r.out);
    assert_non_null(j);
    assert_int_equal(json_num_or(j, "through", 0), 4);
    assert_false(json_bool_or(j, "passed", true));
    cJSON *steps = json_arr(j, "steps");
    assert_int_equal(cJSON_GetArraySize(steps), 4);
    cJSON *s3 = cJSON_GetArrayItem(steps, 2);
    assert_int_equal(json_num_or(s3, "passed", 0), 14);
    assert_int_equal(json_num_or(s3, "failed", -1), 0);
    cJSON *s4 = cJSON_GetArrayItem(steps, 3);
    cJSON *c0 = cJSON_GetArrayItem(json_arr(s4, "checks"), 0);
    assert_string_equal(json_str(c0, "id"), "4.function");
    assert_string_equal(json_str(c0, "status"), "fail");
    assert_string_equal(json_str(c0, "message"), "there is no function named ItemsFunction");
    cJSON_Delete(j);
    run_free(&r);
    r = LAB(E, true, NULL, "status", "--through", "3");
    assert_int_equal(r.rc, 0);
    assert_has(r.out, " 3  Build ItemsAPI with mock methods               14/14\n");
    run_free(&r);
    /* Without the lab's requests, what they would tell is skipped, not failed. */
    r = LAB(E, true, NULL, "status", "--through", "3", "--no-probes");
    assert_int_equal(r.rc, 0);
    assert_has(r.out, " 3  Build ItemsAPI with mock methods               12/14 (2 skipped)\n"
                      "      ? dev answers GET /items with a list: skipped, the stages have not "
                      "been called yet (or cannot be: no data plane)\n");
    assert_has(r.out, "Through step 3: 13 checks pass, 0 fail, 2 skipped. Done.\n");
    run_free(&r);
    lab_env_free(E);
}

/* Names from the account reach the terminal made safe. */
static void status_is_terminal_safe(void **state) {
    (void)state;
    lab_env *E = lab_env_new();
    assert_int_equal(fx_call(E->fx, "POST", "/restapis",
                             "{\"name\":\"ItemsAPI\",\"description\":\"\\u001b[2Jgone\"}", NULL),
                     201);
    run r = LAB(E, true, NULL, "status", "--through", "3");
    assert_null(strchr(r.out, '\x1b'));
    assert_has(r.out, "x ItemsAPI's description is '?[2Jgone', not 'Cloud Academy Lab API'");
    run_free(&r);
    r = LAB(E, true, NULL, "status", "--through", "3", "--json");
    assert_null(strstr(r.out, "\\u001b"));
    run_free(&r);
    lab_env_free(E);
}

/* --- setup, clean-up, reset ------------------------------------------------------------------ */

static void setup_then_status(void **state) {
    (void)state;
    lab_env *E = lab_env_new();
    run r = LAB(E, true, NULL, "setup", "--through", "10");
    assert_int_equal(r.rc, 0);
    assert_has(r.out,
               "Step 3: Build ItemsAPI with mock methods\n  created the REST API ItemsAPI (id ");
    assert_has(r.out, "  deployed ItemsAPI to dev, a new stage (deployment ");
    assert_has(r.out, "  created the API key LabKey (id ");
    assert_has(r.out, " changes. The checks now:\n");
    assert_has(r.out, "Through step 10: 55 checks pass, 0 fail. Done.\n");
    run_free(&r);
    r = LAB(E, true, NULL, "status");
    assert_int_equal(r.rc, 0);
    assert_has(r.out, "cap the plan           6/6\n");
    run_free(&r);
    r = LAB(E, true, NULL, "setup", "--through", "10");
    assert_int_equal(r.rc, 0);
    assert_has(r.out, "\n0 changes. The checks now:\n");
    run_free(&r);
    lab_env_free(E);
}

static void cleanup_asks_first(void **state) {
    (void)state;
    lab_env *E = lab_env_new();
    lab_env_setup(E, 8, NULL);
    run r = LAB(E, false, "n\n", "cleanup");
    assert_int_equal(r.rc, 1);
    assert_has(r.out, "The clean-up deletes, in this order:\n  API key LabKey (id ");
    assert_has(r.out, "\n  function ItemsFunction (with its versions and aliases)\n"
                      "Delete these 6 resources? [y/N] \nNothing deleted.\n");
    run_free(&r);
    /* No answer at all is no too. */
    r = LAB(E, false, NULL, "cleanup");
    assert_int_equal(r.rc, 1);
    assert_has(r.out, "Nothing deleted.\n");
    run_free(&r);
    lab_data d;
    lab_env_fetch(E, &d);
    assert_non_null(lab_api(&d.s));
    lab_data_free(&d);

    /* setup --through 11 is the clean-up. */
    r = LAB(E, false, "yes\n", "setup", "--through", "11");
    assert_int_equal(r.rc, 0);
    assert_has(r.out, "  deleted usage plan CloudAcademyPlan (id ");
    assert_has(r.out, "Deleted 6 resources.\n");
    run_free(&r);
    r = LAB(E, false, NULL, "status", "--through", "11");
    assert_int_equal(r.rc, 0);
    run_free(&r);
    r = LAB(E, false, NULL, "cleanup", "--yes");
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.out, "Nothing of the lab is left to delete.\n");
    run_free(&r);
    lab_env_free(E);
}

static void reset_is_for_the_emulator(void **state) {
    (void)state;
    lab_env *E = lab_env_new();
    lab_env_setup(E, 4, NULL);
    run r = LAB(E, false, "y\n", "reset");
    assert_int_equal(r.rc, 2);
    assert_string_equal(r.err, "apigw-console lab: reset empties the offline emulator and does "
                               "nothing on AWS; to delete the lab's resources there, use "
                               "'apigw-console lab cleanup'\n");
    assert_string_equal(r.out, "");
    run_free(&r);
    r = LAB(E, true, "\n", "reset");
    assert_int_equal(r.rc, 1);
    assert_has(r.out, "Empty the emulator's account? Everything in it is deleted. [y/N] ");
    run_free(&r);
    r = LAB(E, true, NULL, "reset", "--yes");
    assert_int_equal(r.rc, 0);
    assert_has(r.out, "The emulator's account is empty");
    run_free(&r);
    lab_data d;
    lab_env_fetch(E, &d);
    assert_int_equal(cJSON_GetArraySize(d.s.apis), 0);
    assert_int_equal(cJSON_GetArraySize(d.s.functions), 0);
    lab_data_free(&d);
    lab_env_free(E);
}

static void steps_text(void **state) {
    (void)state;
    lab_env *E = lab_env_new();
    run r = LAB(E, true, NULL, "steps", "7");
    assert_int_equal(r.rc, 0);
    assert_has(r.out, "Step 7: Choose the alias with a stage variable\n\n  Hard-coding an alias");
    assert_has(r.out,
               "  Lambda function (both GETs)  ItemsFunction:${stageVariables.lambdaAlias}\n");
    assert_has(r.out, "\n  Checked:\n  - dev's stage variable lambdaAlias is dev\n");
    assert_null(strstr(r.out, "Step 8"));
    /* Wrapped to the terminal's usual width. */
    for (const char *line = r.out; *line;) {
        size_t n = strcspn(line, "\n");
        assert_true(n <= 78);
        line += n + (line[n] == '\n');
    }
    run_free(&r);
    r = LAB(E, true, NULL, "steps");
    for (int n = 1; n <= LAB_STEPS; n++) {
        char head[16];
        snprintf(head, sizeof head, "Step %d: ", n);
        assert_has(r.out, head);
    }
    run_free(&r);
    lab_env_free(E);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arguments),
        cmocka_unit_test(status_of_an_empty_account),
        cmocka_unit_test(status_as_json),
        cmocka_unit_test(status_is_terminal_safe),
        cmocka_unit_test(setup_then_status),
        cmocka_unit_test(cleanup_asks_first),
        cmocka_unit_test(reset_is_for_the_emulator),
        cmocka_unit_test(steps_text),
    };
    return cmocka_run_group_tests_name("lab_cli", tests, NULL, NULL);
}
