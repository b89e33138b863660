/* Local Lambda workers (src/emulator/runtime*.c): the lab's ItemsFunction
 * run by a real python3, cold and warm starts, Lambda's log lines, error
 * and timeout shapes, the context object and environment, node handlers,
 * code unpacking that refuses zip slip, and processes that never outlive
 * the runtime. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/zipcode.h"
#include "core/json.h"
#include "core/mem.h"
#include "emulator/runtime.h"
#include "fixture.h"
#include "lab.h"

#define ARN_PREFIX "arn:aws:lambda:us-west-2:123456789012:function:"

/* One function version to run: its zip and runtime_fn. */
typedef struct tfn {
    unsigned char *zip;
    char sha[48];
    char arn[256];
    char name[64];
    runtime_fn f;
} tfn;

static void tfn_make(tfn *t, const char *name, const char *runtime_name, const char *file,
                     const char *code, const char *handler) {
    memset(t, 0, sizeof *t);
    size_t len;
    t->zip = zip_one(file, code, &len);
    zipcode_sha256_b64(t->zip, len, t->sha);
    snprintf(t->name, sizeof t->name, "%s", name);
    snprintf(t->arn, sizeof t->arn, ARN_PREFIX "%s:$LATEST", name);
    t->f = (runtime_fn){.arn = t->arn,
                        .name = t->name,
                        .version = "$LATEST",
                        .runtime = runtime_name,
                        .handler = handler,
                        .code_sha256 = t->sha,
                        .zip = t->zip,
                        .zip_len = len,
                        .timeout_s = 3,
                        .memory_mb = 128,
                        .region = "us-west-2",
                        .account = "123456789012"};
}

/* A python function of the given runtime with the lab's file and handler. */
static void tfn_python(tfn *t, const char *name, const char *runtime_name, const char *code) {
    tfn_make(t, name, runtime_name, "lambda_function.py", code, "lambda_function.lambda_handler");
}

static void tfn_py(tfn *t, const char *name, const char *code) {
    tfn_python(t, name, "python3.13", code);
}

static void tfn_free(tfn *t) { free(t->zip); }

/* A runtime on a fake clock, the function a test runs in it and its last
 * result. */
typedef struct env {
    runtime *rt;
    fake_clock clock;
    seeded_rand rand;
    tfn t;
    runtime_result r;
} env;

static runtime *new_runtime(env *v, int max_workers) {
    memset(v, 0, sizeof *v);
    v->clock.ms = FIXTURE_T0_MS;
    runtime_opts o = {.max_workers = max_workers,
                      .clock = clock_fake(&v->clock),
                      .rand = rand_seeded(&v->rand, 7)};
    return v->rt = runtime_new(&o);
}

/* A runtime of 8 workers, with the python3.13 function name running code. */
static void env_py(env *v, const char *name, const char *code) {
    new_runtime(v, 8);
    tfn_py(&v->t, name, code);
}

/* v's function, freed to be made again with tfn_make. */
static tfn *env_fn(env *v) {
    tfn_free(&v->t);
    return &v->t;
}

static void env_free(env *v) {
    runtime_result_free(&v->r);
    runtime_free(v->rt);
    tfn_free(&v->t);
}

/* Invoke and assert the function ran. */
static void run(runtime *rt, const runtime_fn *f, const char *event, runtime_result *r) {
    err e;
    err_clear(&e);
    int rc = runtime_invoke(rt, f, event, event ? strlen(event) : 0, r, &e);
    if (rc != 0) fprintf(stderr, "runtime_invoke: %s: %s\n", e.code, e.msg);
    assert_int_equal(rc, 0);
    assert_non_null(r->payload);
    assert_non_null(r->log);
}

/* Run v's function on event; the result stays in v->r until the next. */
static runtime_result *invoke(env *v, const char *event) {
    runtime_result_free(&v->r);
    run(v->rt, &v->t.f, event, &v->r);
    return &v->r;
}

/* The same, with the payload parsed (the caller deletes it). */
static cJSON *invoke_json(env *v, const char *event) {
    cJSON *b = cJSON_Parse(invoke(v, event)->payload);
    assert_non_null(b);
    return b;
}

/* Run v's function on event and check the payload. */
static runtime_result *expect_payload(env *v, const char *event, const char *payload) {
    runtime_result *r = invoke(v, event);
    assert_string_equal(r->payload, payload);
    return r;
}

static bool on_path(const char *name) {
    const char *path = getenv("PATH");
    char cand[4096];
    for (const char *p = path ? path : ""; *p;) {
        size_t n = strcspn(p, ":");
        snprintf(cand, sizeof cand, "%.*s/%s", (int)n, p, name);
        if (access(cand, X_OK) == 0) return true;
        p += n;
        if (*p == ':') p++;
    }
    return false;
}

static bool contains(const char *hay, const char *needle) { return strstr(hay, needle) != NULL; }

/* The REPORT line of a log, checked field by field. */
typedef struct report {
    double duration, init;
    long billed;
    int mem, used;
    bool has_init;
} report;

static report parse_report(const char *log, const char *id) {
    char head[80];
    snprintf(head, sizeof head, "REPORT RequestId: %s\t", id);
    const char *p = strstr(log, head);
    assert_non_null(p);
    report r = {0};
    p += strlen(head);
    assert_int_equal(sscanf(p,
                            "Duration: %lf ms\tBilled Duration: %ld ms\tMemory Size: %d "
                            "MB\tMax Memory Used: %d MB\t",
                            &r.duration, &r.billed, &r.mem, &r.used),
                     4);
    const char *init = strstr(p, "Init Duration: ");
    r.has_init = init != NULL;
    if (init) assert_int_equal(sscanf(init, "Init Duration: %lf ms\t\n", &r.init), 1);
    assert_true(log[strlen(log) - 1] == '\n');
    assert_true(log[strlen(log) - 2] == '\t'); /* Lambda ends REPORT with a tab */
    return r;
}

/* Whether v's last invocation started a worker (its REPORT has an Init
 * Duration). */
static bool was_cold(const env *v) { return parse_report(v->r.log, v->r.request_id).has_init; }

/* --- the lab's function ------------------------------------------------------ */

static void lab_items_cold_then_warm(void **state) {
    (void)state;
    env v;
    env_py(&v, "ItemsFunction", lab_function_py);
    runtime_result *r = expect_payload(&v, "{}", LAB_ITEMS_JSON);
    assert_int_equal(r->payload_len, strlen(LAB_ITEMS_JSON));
    assert_string_equal(r->function_error, "");
    assert_int_equal(strlen(r->request_id), 36);
    /* A v4 UUID; nothing in the log before START. */
    assert_int_equal(r->request_id[14], '4');
    assert_string_equal(strstr(r->log, "START"), r->log);
    lab_assert_list_log(r->log, r->request_id);
    report rep = parse_report(r->log, r->request_id);
    assert_true(rep.has_init);
    assert_true(r->init_ms > 0);
    assert_true(rep.init > 0);
    assert_int_equal(rep.mem, 128);
    assert_true(rep.used > 0 && rep.used == r->max_memory_mb);
    assert_true(rep.billed >= 1 && rep.billed >= (long)(rep.duration + rep.init));
    char first_id[40];
    snprintf(first_id, sizeof first_id, "%s", r->request_id);

    /* Warm: the same worker, no Init Duration. */
    r = expect_payload(&v, "{\"ID\": 1}", "{\"ID\": 1, \"name\": \"Pen\", \"price\": 2.5}");
    assert_string_not_equal(r->request_id, first_id);
    assert_false(was_cold(&v));
    assert_true(r->init_ms == 0);
    assert_true(contains(r->log, "Event: {'ID': 1}\n"));
    env_free(&v);
}

static void lab_items_not_found_error(void **state) {
    (void)state;
    env v;
    env_py(&v, "ItemsFunction", lab_function_py);
    cJSON *b = invoke_json(&v, "{\"ID\": 5}");
    runtime_result *r = &v.r;
    assert_string_equal(r->function_error, "Unhandled");
    assert_string_equal(json_str(b, "errorMessage"), "NotFoundError");
    assert_string_equal(json_str(b, "errorType"), "Exception");
    assert_string_equal(json_str(b, "requestId"), r->request_id);
    cJSON *trace = json_arr(b, "stackTrace");
    assert_int_equal(cJSON_GetArraySize(trace), 1);
    /* The raise is on line 19 of assets/lab/lambda_function.py. */
    assert_string_equal(cJSON_GetArrayItem(trace, 0)->valuestring,
                        "  File \"/var/task/lambda_function.py\", line 19, in lambda_handler\n"
                        "    raise Exception(\"NotFoundError\")\n");
    /* The payload's members in Lambda's order. */
    assert_string_equal(b->child->string, "errorMessage");
    cJSON_Delete(b);
    /* The log, as Lambda prints the traceback (indented with no-break spaces). */
    assert_true(contains(r->log, "Event: {'ID': 5}\n[ERROR] Exception: NotFoundError\n"
                                 "Traceback (most recent call last):\n"
                                 "\xc2\xa0\xc2\xa0"
                                 "File \"/var/task/lambda_function.py\", line 19, "
                                 "in lambda_handler\n"
                                 "\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0"
                                 "raise Exception(\"NotFoundError\")\n"
                                 "END RequestId: "));
    /* An exception leaves the environment warm. */
    expect_payload(&v, "{\"ID\": 2}", "{\"ID\": 2, \"name\": \"Pencil\", \"price\": 1.5}");
    assert_false(was_cold(&v));
    env_free(&v);
}

/* --- timeouts, crashes, init errors -------------------------------------------- */

static void timeout_kills_the_worker(void **state) {
    (void)state;
    env v;
    env_py(&v, "Sleepy",
           "import time\n"
           "def lambda_handler(event, context):\n"
           "    print('going to sleep')\n"
           "    time.sleep(event.get('sleep', 0))\n"
           "    return 'awake'\n");
    v.t.f.timeout_s = 1;
    expect_payload(&v, "{}", "\"awake\""); /* warm it up */

    runtime_result *r = invoke(&v, "{\"sleep\": 30}");
    assert_string_equal(r->function_error, "Unhandled");
    char msg[200], payload[300];
    snprintf(msg, sizeof msg, "2026-11-30T00:00:00.000Z %s Task timed out after 1.00 seconds",
             r->request_id);
    snprintf(payload, sizeof payload, "{\"errorMessage\":\"%s\"}", msg);
    assert_string_equal(r->payload, payload);
    assert_true(r->duration_ms >= 1000 && r->duration_ms < 2500);
    char lines[400];
    snprintf(lines, sizeof lines, "going to sleep\n%s\n\nEND RequestId: %s\n", msg, r->request_id);
    assert_true(contains(r->log, lines));
    report rep = parse_report(r->log, r->request_id);
    assert_int_equal(rep.billed, 1000);

    /* The worker was killed: the next invocation is a cold start. */
    expect_payload(&v, "{}", "\"awake\"");
    assert_true(was_cold(&v));
    env_free(&v);
}

static void syntax_error_is_an_init_error(void **state) {
    (void)state;
    env v;
    env_py(&v, "Broken", "def lambda_handler(event, context)\n    return 1\n");
    cJSON *b = invoke_json(&v, "{}");
    runtime_result *r = &v.r;
    assert_string_equal(r->function_error, "Unhandled");
    assert_string_equal(json_str(b, "errorType"), "Runtime.UserCodeSyntaxError");
    assert_true(strncmp(json_str(b, "errorMessage"),
                        "Syntax error in module 'lambda_function': ", 42) == 0);
    assert_string_equal(json_str(b, "requestId"), ""); /* init errors name no request */
    const char *trace = cJSON_GetArrayItem(json_arr(b, "stackTrace"), 0)->valuestring;
    assert_true(strncmp(trace, "  File \"/var/task/lambda_function.py\" Line 1\n", 45) == 0);
    cJSON_Delete(b);
    /* The init phase's lines come before START; no Init Duration. */
    const char *start = strstr(r->log, "START RequestId: ");
    const char *err_line = strstr(r->log, "[ERROR] Runtime.UserCodeSyntaxError: Syntax error in "
                                          "module 'lambda_function': ");
    const char *warning = strstr(r->log, "\t\tLAMBDA_WARNING: Unhandled exception.");
    assert_non_null(start);
    assert_non_null(err_line);
    assert_non_null(warning);
    assert_true(warning < err_line && err_line < start);
    assert_true(strncmp(r->log, "[WARNING]\t2", 11) == 0);
    assert_false(was_cold(&v));
    env_free(&v);
}

/* The error payload of an invocation: type, message and, when trace_n is
 * not negative, the stack trace's length. */
static void expect_error(env *v, const char *type, const char *message, int trace_n) {
    cJSON *b = invoke_json(v, "{}");
    assert_string_equal(json_str(b, "errorType"), type);
    assert_string_equal(json_str(b, "errorMessage"), message);
    if (trace_n >= 0) assert_int_equal(cJSON_GetArraySize(json_arr(b, "stackTrace")), trace_n);
    cJSON_Delete(b);
}

static void import_and_handler_errors(void **state) {
    (void)state;
    env v;
    new_runtime(&v, 8);
    tfn_make(env_fn(&v), "NoModule", "python3.12", "lambda_function.py", lab_function_py,
             "missing.lambda_handler");
    expect_error(&v, "Runtime.ImportModuleError",
                 "Unable to import module 'missing': No module named 'missing'", 0);

    tfn_make(env_fn(&v), "NoHandler", "python3.12", "lambda_function.py", lab_function_py,
             "lambda_function.nope");
    expect_error(&v, "Runtime.HandlerNotFound",
                 "Handler 'nope' missing on module 'lambda_function'", -1);

    /* Python runtimes before 3.12 leave requestId out. */
    tfn_python(env_fn(&v), "Old", "python3.9", "raise ValueError('bad config')\n");
    expect_error(&v, "ValueError", "bad config", -1);
    cJSON *b = cJSON_Parse(v.r.payload);
    assert_false(json_has(b, "requestId"));
    char *trace = json_print(json_arr(b, "stackTrace"));
    assert_true(contains(trace, "File \\\"/var/task/lambda_function.py\\\", line 1, in <module>"));
    free(trace);
    cJSON_Delete(b);
    env_free(&v);
}

static void crash_is_runtime_exit_error(void **state) {
    (void)state;
    env v;
    env_py(&v, "Crashy",
           "import os, signal\n"
           "def lambda_handler(event, context):\n"
           "    if event.get('kill'):\n"
           "        os.kill(os.getpid(), signal.SIGKILL)\n"
           "    if event.get('exit') is not None:\n"
           "        os._exit(event['exit'])\n"
           "    return 'fine'\n");
    runtime_result *r = invoke(&v, "{\"exit\": 3}");
    assert_string_equal(r->function_error, "Unhandled");
    char payload[300], lines[300];
    snprintf(payload, sizeof payload,
             "{\"errorType\":\"Runtime.ExitError\",\"errorMessage\":\"RequestId: %s Error: Runtime "
             "exited with error: exit status 3\"}",
             r->request_id);
    assert_string_equal(r->payload, payload);
    snprintf(
        lines, sizeof lines,
        "RequestId: %s Error: Runtime exited with error: exit status 3\nRuntime.ExitError\nEND",
        r->request_id);
    assert_true(contains(r->log, lines));

    r = invoke(&v, "{\"kill\": true}");
    assert_true(contains(r->payload, "Error: Runtime exited with error: signal: killed\""));

    r = invoke(&v, "{\"exit\": 0}");
    assert_true(contains(r->payload, "Error: Runtime exited without providing a reason\""));

    /* The next invocation gets a fresh worker. */
    expect_payload(&v, "{}", "\"fine\"");
    assert_true(was_cold(&v));
    env_free(&v);
}

/* --- context and environment ------------------------------------------------------ */

static const char CONTEXT_PY[] =
    "import os\n"
    "def lambda_handler(event, context):\n"
    "    keys = ['MYVAR', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_LAMBDA_FUNCTION_NAME',\n"
    "            'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',\n"
    "            'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME', 'LAMBDA_TASK_ROOT',\n"
    "            '_HANDLER', 'AWS_EXECUTION_ENV', 'TZ']\n"
    "    return {\n"
    "        'env': {k: os.environ.get(k) for k in keys},\n"
    "        'secrets': [k for k in os.environ if k.startswith('AWS_SECRET') or\n"
    "                    k in ('AWS_ACCESS_KEY_ID', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'HOME')],\n"
    "        'cwd': os.getcwd(),\n"
    "        'function_name': context.function_name,\n"
    "        'function_version': context.function_version,\n"
    "        'invoked_function_arn': context.invoked_function_arn,\n"
    "        'memory_limit_in_mb': context.memory_limit_in_mb,\n"
    "        'aws_request_id': context.aws_request_id,\n"
    "        'log_group_name': context.log_group_name,\n"
    "        'log_stream_name': context.log_stream_name,\n"
    "        'remaining': context.get_remaining_time_in_millis(),\n"
    "    }\n";

static void context_and_environment(void **state) {
    (void)state;
    setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "secret", 1);
    setenv("AWS_SESSION_TOKEN", "token", 1);
    env v;
    env_py(&v, "Ctx", CONTEXT_PY);
    const char *vars[] = {"MYVAR=hello world", "AWS_REGION=eu-west-1", NULL};
    v.t.f.env = vars;
    v.t.f.memory_mb = 256;
    v.t.f.timeout_s = 5;
    v.t.f.invoked_arn = ARN_PREFIX "Ctx:dev";
    cJSON *b = invoke_json(&v, "{}");
    assert_string_equal(v.r.function_error, "");
    cJSON *en = json_obj(b, "env");
    assert_string_equal(json_str(en, "MYVAR"), "hello world");
    assert_string_equal(json_str(en, "AWS_REGION"), "us-west-2"); /* reserved: ours */
    assert_string_equal(json_str(en, "AWS_DEFAULT_REGION"), "us-west-2");
    assert_string_equal(json_str(en, "AWS_LAMBDA_FUNCTION_NAME"), "Ctx");
    assert_string_equal(json_str(en, "AWS_LAMBDA_FUNCTION_VERSION"), "$LATEST");
    assert_string_equal(json_str(en, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE"), "256");
    assert_string_equal(json_str(en, "AWS_LAMBDA_LOG_GROUP_NAME"), "/aws/lambda/Ctx");
    assert_string_equal(json_str(en, "_HANDLER"), "lambda_function.lambda_handler");
    assert_string_equal(json_str(en, "AWS_EXECUTION_ENV"), "AWS_Lambda_python3.13");
    assert_string_equal(json_str(en, "TZ"), ":UTC");
    assert_string_equal(json_str(en, "LAMBDA_TASK_ROOT"), json_str(b, "cwd"));
    assert_int_equal(cJSON_GetArraySize(json_arr(b, "secrets")), 0);
    assert_string_equal(json_str(b, "function_name"), "Ctx");
    assert_string_equal(json_str(b, "function_version"), "$LATEST");
    assert_string_equal(json_str(b, "invoked_function_arn"), ARN_PREFIX "Ctx:dev");
    assert_string_equal(json_str(b, "memory_limit_in_mb"), "256");
    assert_string_equal(json_str(b, "aws_request_id"), v.r.request_id);
    assert_string_equal(json_str(b, "log_group_name"), "/aws/lambda/Ctx");
    const char *stream = json_str(b, "log_stream_name");
    assert_true(strncmp(stream, "2026/11/30/[$LATEST]", 20) == 0);
    assert_int_equal(strlen(stream), 20 + 32);
    assert_string_equal(json_str(en, "AWS_LAMBDA_LOG_STREAM_NAME"), stream);
    double left = json_num_or(b, "remaining", -1);
    assert_true(left > 3000 && left <= 5000);
    /* The unpacked code is private. */
    struct stat st;
    char *root = xstrdup(json_str(b, "cwd"));
    *strrchr(root, '/') = '\0';
    assert_int_equal(stat(root, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    cJSON_Delete(b);
    env_free(&v);
    assert_int_equal(stat(root, &st), -1); /* removed with the runtime */
    free(root);
    unsetenv("AWS_ACCESS_KEY_ID");
    unsetenv("AWS_SECRET_ACCESS_KEY");
    unsetenv("AWS_SESSION_TOKEN");
}

/* --- workers kept warm --------------------------------------------------------------- */

static bool cold(runtime *rt, const runtime_fn *f) {
    runtime_result r;
    run(rt, f, "{}", &r);
    bool c = parse_report(r.log, r.request_id).has_init;
    runtime_result_free(&r);
    return c;
}

static void least_recently_used_worker_is_stopped(void **state) {
    (void)state;
    env v;
    runtime *rt = new_runtime(&v, 2);
    tfn a, b, c;
    tfn_py(&a, "A", "def lambda_handler(e, c):\n    return 'a'\n");
    tfn_py(&b, "B", "def lambda_handler(e, c):\n    return 'b'\n");
    tfn_py(&c, "C", "def lambda_handler(e, c):\n    return 'c'\n");
    assert_true(cold(rt, &a.f));
    assert_true(cold(rt, &b.f));
    assert_false(cold(rt, &a.f)); /* two fit */
    assert_true(cold(rt, &c.f));  /* stops B, the least recently used */
    assert_false(cold(rt, &a.f));
    assert_true(cold(rt, &b.f));
    env_free(&v);
    tfn_free(&a);
    tfn_free(&b);
    tfn_free(&c);
}

static void new_code_or_configuration_means_a_new_worker(void **state) {
    (void)state;
    env v;
    env_py(&v, "F",
           "import os\ndef lambda_handler(e, c):\n    return os.environ.get('X', 'one')\n");
    assert_true(cold(v.rt, &v.t.f));
    assert_false(cold(v.rt, &v.t.f));
    const char *vars[] = {"X=two", NULL};
    v.t.f.env = vars;
    expect_payload(&v, "{}", "\"two\"");
    assert_true(was_cold(&v));
    /* New code under the same version ARN ($LATEST after an update). */
    tfn_py(env_fn(&v), "F", "def lambda_handler(e, c):\n    return 'three'\n");
    expect_payload(&v, "{}", "\"three\"");
    assert_true(was_cold(&v));
    env_free(&v);
}

/* --- payloads and output ------------------------------------------------------------- */

static void large_payloads_and_output(void **state) {
    (void)state;
    env v;
    env_py(&v, "Echo",
           "def lambda_handler(event, context):\n"
           "    print('x' * event['print'])\n"
           "    if event.get('huge'):\n"
           "        return 'y' * (7 * 1024 * 1024)\n"
           "    return {'echo': event['data'], 'text': 'h\\u00e9 \\u2603'}\n");
    size_t n = 1024 * 1024;
    char *event = xmalloc(n + 64);
    int len = snprintf(event, 64, "{\"print\": 200000, \"data\": \"");
    memset(event + len, 'a', n);
    strcpy(event + len + n, "\"}");
    cJSON *b = invoke_json(&v, event);
    assert_string_equal(v.r.function_error, "");
    assert_int_equal(strlen(json_str(b, "echo")), n);
    assert_string_equal(json_str(b, "text"), "h\xc3\xa9 \xe2\x98\x83");
    cJSON_Delete(b);
    assert_true(v.r.payload_len > n);
    assert_true(strlen(v.r.log) > 200000); /* read while the function ran */

    runtime_result *r = expect_payload(&v, "{\"print\": 1, \"huge\": true}",
                                       "{\"errorMessage\":\"Response payload size exceeded maximum "
                                       "allowed payload size (6291556 bytes).\",\"errorType\":"
                                       "\"Function.ResponseSizeTooLarge\"}");
    assert_string_equal(r->function_error, "Unhandled");
    free(event);
    env_free(&v);
}

/* --- what cannot run ---------------------------------------------------------------- */

/* Invoking f fails before it runs; e gets the error. */
static void refused(runtime *rt, const runtime_fn *f, err *e) {
    runtime_result r;
    assert_int_equal(runtime_invoke(rt, f, "{}", 2, &r, e), -1);
    assert_null(r.payload);
}

static void zip_slip_is_refused(void **state) {
    (void)state;
    char base[] = "/tmp/apigw-rt-test-XXXXXX";
    assert_non_null(mkdtemp(base));
    runtime_opts o = {.work_dir = base};
    runtime *rt = runtime_new(&o);
    const char *bad[] = {"../evil.py", "/tmp/evil-abs.py", "sub/../../evil.py"};
    for (size_t i = 0; i < 3; i++) {
        tfn t;
        tfn_py(&t, "Slip", "def lambda_handler(e, c):\n    return 1\n");
        free(t.zip);
        const char *names[] = {"lambda_function.py", bad[i]};
        const char *files[] = {"def lambda_handler(e, c):\n    return 1\n", "print('pwned')\n"};
        t.zip = zipcode_build(2, names, files, &t.f.zip_len);
        assert_non_null(t.zip);
        t.f.zip = t.zip;
        err e;
        refused(rt, &t.f, &e);
        assert_string_equal(e.code, "InvalidZipFileException");
        assert_int_equal(e.status, 502);
        assert_true(contains(e.msg, bad[i]));
        tfn_free(&t);
    }
    char path[200];
    snprintf(path, sizeof path, "%s/evil.py", base);
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(access("/tmp/evil.py", F_OK), -1);
    assert_int_equal(access("/tmp/evil-abs.py", F_OK), -1);
    runtime_free(rt);
    assert_int_equal(rmdir(base), 0); /* the runtime left nothing behind */
}

static void missing_interpreter_and_unknown_runtime(void **state) {
    (void)state;
    char *saved = xstrdup(getenv("PATH"));
    char empty[] = "/tmp/apigw-rt-path-XXXXXX";
    assert_non_null(mkdtemp(empty));
    setenv("PATH", empty, 1);
    env v;
    new_runtime(&v, 8);
    tfn_python(&v.t, "P", "python3.12", lab_function_py);
    err e;
    refused(v.rt, &v.t.f, &e);
    assert_string_equal(e.code, "InvalidRuntimeException");
    assert_string_equal(e.msg, "python3 is not installed: the python3.12 runtime needs it");
    v.t.f.runtime = "nodejs20.x";
    refused(v.rt, &v.t.f, &e);
    assert_string_equal(e.msg, "node is not installed: the nodejs20.x runtime needs it");
    setenv("PATH", saved, 1);
    v.t.f.runtime = "java21";
    refused(v.rt, &v.t.f, &e);
    assert_string_equal(e.code, "InvalidRuntimeException");
    assert_true(contains(e.msg, "java21"));
    env_free(&v);
    rmdir(empty);
    free(saved);
}

/* --- processes ------------------------------------------------------------------------ */

static int count_fds(void) {
    DIR *d = opendir("/proc/self/fd");
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)))
        n += de->d_name[0] != '.';
    closedir(d);
    return n;
}

/* Children of this process (any thread), from /proc. */
static int count_children(void) {
    DIR *d = opendir("/proc/self/task");
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.') continue;
        char path[300], buf[4096];
        snprintf(path, sizeof path, "/proc/self/task/%s/children", de->d_name);
        FILE *f = fopen(path, "r");
        if (!f) continue;
        size_t len = fread(buf, 1, sizeof buf - 1, f);
        buf[len] = '\0';
        fclose(f);
        for (char *p = strtok(buf, " \n"); p; p = strtok(NULL, " \n"))
            n++;
    }
    closedir(d);
    return n;
}

static void no_zombie_no_leaked_fd(void **state) {
    (void)state;
    int fds = count_fds();
    env v;
    env_py(&v, "B", "import os\ndef lambda_handler(e, c):\n    return os.getpid()\n");
    tfn a;
    tfn_py(&a, "A", lab_function_py);
    assert_true(cold(v.rt, &a.f));
    pid_t worker = (pid_t)atoi(invoke(&v, "{}")->payload);
    assert_int_equal(count_children(), 2);
    /* A worker killed behind our back is noticed, reaped and replaced; the
     * write to its closed channel raises no SIGPIPE. */
    assert_int_equal(kill(worker, SIGKILL), 0);
    assert_int_not_equal(atoi(invoke(&v, "{}")->payload), worker);
    env_free(&v);
    assert_int_equal(count_children(), 0);
    errno = 0;
    assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
    assert_int_equal(errno, ECHILD);
    assert_int_equal(count_fds(), fds);
    tfn_free(&a);
}

/* A worker whose request channel is closed (its own doing) while warm. */
static void closed_channel_is_an_exit_error(void **state) {
    (void)state;
    void (*old)(int) = signal(SIGPIPE, SIG_DFL); /* a SIGPIPE would end this test */
    env v;
    env_py(&v, "Closer", "import os\ndef lambda_handler(e, c):\n    os.close(3)\n    return 1\n");
    expect_payload(&v, "{}", "1");
    assert_true(contains(invoke(&v, "{}")->payload, "Runtime.ExitError"));
    expect_payload(&v, "{}", "1");
    env_free(&v);
    signal(SIGPIPE, old);
}

static int remove_cb(const char *p, const struct stat *s, int f, struct FTW *w) {
    (void)s;
    (void)f;
    (void)w;
    return remove(p);
}

static bool gone(pid_t pid) {
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f) return true;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *close_paren = strrchr(buf, ')');
    return close_paren && close_paren[2] == 'Z'; /* a zombie of someone else's */
}

/* Workers die with the emulator even when it is killed and never calls
 * runtime_free. */
static void workers_die_with_the_emulator(void **state) {
    (void)state;
    char base[] = "/tmp/apigw-rt-death-XXXXXX";
    assert_non_null(mkdtemp(base));
    int p[2];
    assert_int_equal(pipe(p), 0);
    pid_t emu = fork();
    assert_true(emu >= 0);
    if (emu == 0) {
        close(p[0]);
        runtime_opts o = {.work_dir = base};
        runtime *rt = runtime_new(&o);
        tfn t;
        tfn_py(&t, "Pid", "import os\ndef lambda_handler(e, c):\n    return os.getpid()\n");
        runtime_result r;
        err e;
        if (runtime_invoke(rt, &t.f, "{}", 2, &r, &e) != 0) _exit(2);
        if (write(p[1], r.payload, strlen(r.payload)) < 0) _exit(3);
        raise(SIGKILL); /* the emulator dies: no runtime_free */
        _exit(4);
    }
    close(p[1]);
    char buf[32] = {0};
    assert_true(read(p[0], buf, sizeof buf - 1) > 0);
    close(p[0]);
    int status;
    assert_int_equal(waitpid(emu, &status, 0), emu);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    pid_t worker = (pid_t)atoi(buf);
    assert_true(worker > 0);
    for (int i = 0; i < 200 && !gone(worker); i++)
        usleep(10000);
    assert_true(gone(worker));
    nftw(base, remove_cb, 16, FTW_DEPTH | FTW_PHYS);
}

/* --- node ------------------------------------------------------------------------------ */

static void node_handlers(void **state) {
    (void)state;
    if (!on_path("node")) {
        print_message("SKIPPED: node runtime tests (node not found)\n");
        return;
    }
    env v;
    new_runtime(&v, 8);
    tfn_make(
        &v.t, "Async", "nodejs20.x", "index.mjs",
        "export const handler = async (event, context) => {\n"
        "  console.log('hello', event.name);\n"
        "  return { greeting: `hi ${event.name}`, fn: context.functionName,\n"
        "           id: context.awsRequestId, left: context.getRemainingTimeInMillis() > 0 };\n"
        "};\n",
        "index.handler");
    cJSON *b = invoke_json(&v, "{\"name\":\"Ann\"}");
    runtime_result *r = &v.r;
    assert_string_equal(r->function_error, "");
    assert_string_equal(json_str(b, "greeting"), "hi Ann");
    assert_string_equal(json_str(b, "fn"), "Async");
    assert_string_equal(json_str(b, "id"), r->request_id);
    assert_true(json_bool_or(b, "left", false));
    cJSON_Delete(b);
    char line[120];
    snprintf(line, sizeof line, "Z\t%s\tINFO\thello Ann\n", r->request_id);
    assert_true(contains(r->log, line));
    assert_true(was_cold(&v));
    invoke(&v, "{\"name\":\"Bo\"}");
    assert_false(was_cold(&v));
    /* An event in many reads of the channel. */
    size_t n = 3 * 1024 * 1024;
    char *big = xmalloc(n + 32);
    int len = snprintf(big, 32, "{\"name\":\"");
    memset(big + len, 'z', n);
    strcpy(big + len + n, "\"}");
    b = invoke_json(&v, big);
    assert_int_equal(strlen(json_str(b, "greeting")), n + 3);
    cJSON_Delete(b);
    free(big);

    tfn_make(env_fn(&v), "Callback", "nodejs18.x", "index.js",
             "exports.handler = function (event, context, callback) {\n"
             "  if (event.fail) return callback(new Error('boom'));\n"
             "  setTimeout(() => callback(null, { n: event.n + 1 }), 10);\n"
             "};\n",
             "index.handler");
    expect_payload(&v, "{\"n\":41}", "{\"n\":42}");
    b = invoke_json(&v, "{\"fail\":true}");
    assert_string_equal(r->function_error, "Unhandled");
    assert_string_equal(json_str(b, "errorType"), "Error");
    assert_string_equal(json_str(b, "errorMessage"), "boom");
    assert_string_equal(cJSON_GetArrayItem(json_arr(b, "trace"), 0)->valuestring, "Error: boom");
    assert_true(contains(cJSON_GetArrayItem(json_arr(b, "trace"), 1)->valuestring,
                         "/var/task/index.js:2:"));
    cJSON_Delete(b);
    snprintf(line, sizeof line,
             "\t%s\tERROR\tInvoke Error \t{\"errorType\":\"Error\","
             "\"errorMessage\":\"boom\"",
             r->request_id);
    assert_true(contains(r->log, line));

    /* A plain function that neither returns a promise nor calls back: null
     * once its event loop is empty. */
    tfn_make(env_fn(&v), "Plain", "nodejs20.x", "index.js", "exports.handler = () => {};\n",
             "index.handler");
    expect_payload(&v, "{}", "null");
    assert_string_equal(r->function_error, "");

    tfn_make(env_fn(&v), "Missing", "nodejs20.x", "index.js", "exports.handler = () => 1;\n",
             "app.handler");
    expect_error(&v, "Runtime.ImportModuleError",
                 "Error: Cannot find module 'app'\nRequire stack:\n- /var/runtime/index.mjs", -1);
    assert_true(contains(r->log, "\tundefined\tERROR\tUncaught Exception \t{\"errorType\":"
                                 "\"Runtime.ImportModuleError\""));

    tfn_make(env_fn(&v), "Syntax", "nodejs20.x", "index.js", "exports.handler = ) => 1;\n",
             "index.handler");
    b = invoke_json(&v, "{}");
    assert_string_equal(json_str(b, "errorType"), "Runtime.UserCodeSyntaxError");
    assert_true(strncmp(json_str(b, "errorMessage"), "SyntaxError: ", 13) == 0);
    cJSON_Delete(b);
    env_free(&v);
}

int main(void) {
    signal(SIGPIPE, SIG_IGN);
    if (!on_path("python3")) {
        printf("SKIPPED: runtime tests (python3 not found)\n");
        return 0;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lab_items_cold_then_warm),
        cmocka_unit_test(lab_items_not_found_error),
        cmocka_unit_test(timeout_kills_the_worker),
        cmocka_unit_test(syntax_error_is_an_init_error),
        cmocka_unit_test(import_and_handler_errors),
        cmocka_unit_test(crash_is_runtime_exit_error),
        cmocka_unit_test(context_and_environment),
        cmocka_unit_test(least_recently_used_worker_is_stopped),
        cmocka_unit_test(new_code_or_configuration_means_a_new_worker),
        cmocka_unit_test(large_payloads_and_output),
        cmocka_unit_test(zip_slip_is_refused),
        cmocka_unit_test(missing_interpreter_and_unknown_runtime),
        cmocka_unit_test(no_zombie_no_leaked_fd),
        cmocka_unit_test(closed_channel_is_an_exit_error),
        cmocka_unit_test(workers_die_with_the_emulator),
        cmocka_unit_test(node_handlers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
