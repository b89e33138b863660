/* Lambda functions: the account's list; Enter opens a function, c creates
 * one from scratch (the lab's code by default), d deletes one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/lambda.h"
#include "core/json.h"
#include "core/mem.h"
#include "lab/assets.h"
#include "pane_fn.h"
#include "ui/job.h"
#include "ui/pane.h"

static const ui_col cols[] = {
    {"Name", 13, 3},   {"Runtime", 10, 1},       {"Memory", 6, 0},
    {"Timeout", 7, 0}, {"Last modified", 16, 0},
};

static const cJSON *source(const ui_ctx *cx) {
    return cx->lists_loaded ? mirror_functions(cx->m) : NULL;
}

static void cells(const ui_ctx *cx, const cJSON *fn, bool reveal, const char **out,
                  char (*bufs)[128]) {
    out[0] = json_str_or(fn, "FunctionName", "");
    out[1] = json_str_or(fn, "Runtime", json_str_or(fn, "PackageType", ""));
    snprintf(bufs[2], 128, "%g MB", json_num_or(fn, "MemorySize", 128));
    out[2] = bufs[2];
    snprintf(bufs[3], 128, "%g s", json_num_or(fn, "Timeout", 3));
    out[3] = bufs[3];
    fn_short_time(json_str_or(fn, "LastModified", ""), bufs[4], 128);
    out[4] = bufs[4];
}

static unsigned open_fn(ui_ctx *cx, const cJSON *fn) {
    const char *name = json_str(fn, "FunctionName");
    if (!name) return 0;
    ui_open_function(cx, name);
    return UI_DIRTY_ALL;
}

/* --- create ------------------------------------------------------------------------ */

/* Runtimes that both Lambda and the offline emulator run, newest first
 * per language. The lab asks for Python 3 and shows 3.13: the default. */
static const char *const RUNTIMES[] = {"python3.14", "python3.13", "python3.12", "python3.11",
                                       "python3.10", "nodejs24.x", "nodejs22.x", "nodejs20.x"};
#define NRUNTIMES (sizeof RUNTIMES / sizeof *RUNTIMES)
#define DEFAULT_RUNTIME 1

#define PY_HANDLER "lambda_function.lambda_handler"
#define NODE_HANDLER "index.handler"

/* What the AWS console starts a Node.js function with. */
static const char NODE_CODE[] = "export const handler = async (event) => {\n"
                                "  const response = {\n"
                                "    statusCode: 200,\n"
                                "    body: JSON.stringify('Hello from Lambda!'),\n"
                                "  };\n"
                                "  return response;\n"
                                "};\n";

enum { F_NAME, F_RUNTIME, F_HANDLER, F_ROLE, F_CODE, F__COUNT };

typedef struct create_form {
    int field[F__COUNT];
    bool node; /* the runtime chosen last is Node.js */
} create_form;

static bool is_node(const char *runtime) { return strncmp(runtime, "nodejs", 6) == 0; }

/* Switching between Python and Node.js swaps the handler and the code
 * while they are still the defaults of the other language. */
static void create_changed(ui_ctx *cx, form *f, void *ud) {
    create_form *cf = ud;
    bool node = is_node(form_value(f, cf->field[F_RUNTIME]));
    if (node == cf->node) return;
    cf->node = node;
    const char *h = form_value(f, cf->field[F_HANDLER]);
    if (strcmp(h, node ? PY_HANDLER : NODE_HANDLER) == 0)
        form_set_value(f, cf->field[F_HANDLER], node ? NODE_HANDLER : PY_HANDLER);
    const char *code = form_value(f, cf->field[F_CODE]);
    if (strcmp(code, node ? lab_function_py : NODE_CODE) == 0)
        form_set_value(f, cf->field[F_CODE], node ? NODE_CODE : lab_function_py);
}

typedef struct create_job {
    char *name;
} create_job;

static void create_job_free(void *p) {
    create_job *cj = p;
    free(cj->name);
    free(cj);
}

static void created(ui_job *j, const cJSON *result) {
    create_job *cj = ui_job_data(j);
    ui_job_set_note(j, "Created function %s", json_str_or(result, "FunctionName", cj->name));
    ui_ctx *cx = ui_job_ctx(j);
    if (cx) ui_open_function(cx, cj->name); /* as the AWS console goes on to the function */
}

static bool create_submit(ui_ctx *cx, form *f, void *ud) {
    create_form *cf = ud;
    const char *name = form_value(f, cf->field[F_NAME]);
    const char *runtime = form_value(f, cf->field[F_RUNTIME]);
    const char *handler = form_value(f, cf->field[F_HANDLER]);
    char *file = fn_code_file(handler, runtime);
    size_t len = 0;
    err e;
    unsigned char *zip = fn_zip_put(NULL, 0, file, form_value(f, cf->field[F_CODE]), &len, &e);
    free(file);
    if (!zip) {
        form_set_error(f, e.msg);
        return false;
    }
    char *what = xasprintf("Create function %s", name);
    ui_job *j = ui_job_new(cx, what, UI_RELOAD_LISTS | UI_RELOAD_FUNCTION);
    free(what);
    create_job *cj = xcalloc(1, sizeof *cj);
    cj->name = xstrdup(name);
    ui_job_set_data(j, cj, create_job_free);
    ui_job_set_function(j, name);
    lambda_function_in in = {.runtime = runtime, .handler = handler};
    lambda_create_function(cx->cl, name, form_value(f, cf->field[F_ROLE]), zip, len, &in,
                           ui_job_done, ui_job_then(j, created));
    free(zip);
    return true;
}

static bool has_function(const ui_ctx *cx, const char *name) {
    return json_find(mirror_functions(cx->m), "FunctionName", name) != NULL;
}

static void create_function(ui_ctx *cx) {
    create_form *cf = xcalloc(1, sizeof *cf);
    form *f = form_new("Create function");
    cf->field[F_NAME] =
        form_text(f, "Function name", has_function(cx, "ItemsFunction") ? "" : "ItemsFunction",
                  "Letters, digits, - and _");
    cf->field[F_RUNTIME] = form_choice(f, "Runtime", RUNTIMES, NRUNTIMES, DEFAULT_RUNTIME);
    cf->field[F_HANDLER] = form_text(f, "Handler", PY_HANDLER, "file.function that Lambda calls");
    char *account = fn_account(cx);
    char *role =
        xasprintf("arn:aws:iam::%s:role/lambda_basic_execution", account ? account : "ACCOUNT_ID");
    cf->field[F_ROLE] = form_text(f, "Execution role", role, "An existing role Lambda can assume");
    free(role);
    free(account);
    cf->field[F_CODE] = form_textarea(f, "Code", lab_function_py, ".py");
    ui_form(cx, f, create_submit, create_changed, cf, free);
}

/* --- delete ---------------------------------------------------------------------------- */

static void deleted(ui_job *j, const cJSON *result) {
    (void)result;
    ui_job_set_note(j, "Deleted function %s", (const char *)ui_job_data(j));
}

static void delete_yes(ui_ctx *cx, void *ud) {
    const char *name = ud;
    char *what = xasprintf("Delete function %s", name);
    ui_job *j = ui_job_new(cx, what, UI_RELOAD_LISTS);
    free(what);
    ui_job_set_data(j, xstrdup(name), free);
    lambda_delete_function(cx->cl, name, NULL, ui_job_done, ui_job_then(j, deleted));
}

static void delete_function(ui_ctx *cx, const char *name) {
    char *text = xasprintf("Delete %s with its code, versions, aliases and permissions? "
                           "Its logs and execution role stay.",
                           name);
    ui_confirm(cx, "Delete function", text, "confirm", delete_yes, xstrdup(name), free);
    free(text);
}

static unsigned act(ui_ctx *cx, const cJSON *fn, ui_action a) {
    switch (a) {
    case UI_ACT_CREATE: create_function(cx); return UI_DIRTY_ALL;
    case UI_ACT_DELETE:
        if (!fn) return 0;
        delete_function(cx, json_str_or(fn, "FunctionName", ""));
        return UI_DIRTY_ALL;
    default: return 0;
    }
}

static const table_spec spec = {
    .title = "Lambda functions",
    .empty = "No Lambda functions yet: c creates one",
    .cols = cols,
    .ncols = 5,
    .scopes = UI_SC_OPEN | UI_SC_CREATE | UI_SC_DELETE,
    .source = source,
    .key_member = "FunctionName",
    .cells = cells,
    .open = open_fn,
    .act = act,
};

pane *pane_functions_new(void) { return table_pane_new(&spec); }
