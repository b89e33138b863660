#ifndef UI_APP_PRIV_H
#define UI_APP_PRIV_H
/* Private to ui/: the app root shared by the loop (app.c), the screen
 * frame (frame.c) and input handling (input.c). */
#include <stdbool.h>
#include <stdint.h>

#include <curses.h>

#include "client/client.h"
#include "client/mirror.h"
#include "ui/activity.h"
#include "ui/app.h"
#include "ui/editor.h"
#include "ui/form.h"
#include "ui/nav.h"
#include "ui/pane.h"
#include "ui/term.h"
#include "ui/theme.h"

#define MIN_COLS 60
#define MIN_ROWS 16
/* From this width the lab guide is a column beside the content; below it
 * takes the content's place while shown. */
#define GUIDE_MIN_COLS 120

/* The sections of the menu, by context: the account's, an open API's and
 * an open Lambda function's. */
typedef enum section {
    SEC_APIS,
    SEC_PLANS,
    SEC_KEYS,
    SEC_FUNCTIONS,
    SEC_ACTIVITY,
    SEC_RESOURCES,
    SEC_STAGES,
    SEC_MODELS,
    SEC_FN_CODE,
    SEC_FN_TEST,
    SEC_FN_VERSIONS,
    SEC_FN_ALIASES,
    SEC_FN_POLICY,
    SEC__COUNT
} section;

#define FIRST_API_SECTION SEC_RESOURCES
#define FIRST_FN_SECTION SEC_FN_CODE

typedef enum ctx_kind { CTX_ACCOUNT, CTX_API, CTX_FUNCTION } ctx_kind;

#define STACK_MAX 8

/* What outlives the app: jobs hold it, and find cx NULL once the console
 * closed. */
typedef struct ui_life {
    ui_ctx *cx;
    int refs;
} ui_life;

void life_release(ui_life *l);

/* The modal layers over the panes: a form, and an editor (for a form's
 * text area, or on its own). */
typedef struct modal_form {
    form *f;
    ui_submit_fn submit;
    ui_change_fn change;
    void *ud;
    void (*ud_free)(void *);
    unsigned long seen; /* form_changes when change last ran */
} modal_form;

typedef struct modal_editor {
    editor *ed;
    int field;        /* the form's text area being edited, or -1 */
    ui_edited_fn done; /* on its own: where the text goes */
    void *ud;
    void (*ud_free)(void *);
} modal_editor;

typedef struct app {
    client *cl;
    transport *t;
    mirror *m;
    const ui_opts *o;
    ui_term term;
    ui_theme th;
    ui_ctx cx;
    pane *pane[SEC__COUNT];
    pane *stack[STACK_MAX]; /* pushed detail views over pane[cur] */
    int depth;
    int pops; /* ui_pop requests, done by the loop */
    int jobs; /* ui_jobs under way: the spinner turns */
    ui_nav nav;
    section cur;
    ctx_kind ctx;
    bool in_api;
    char api_id[128];
    char *api_name; /* sanitized */
    char *fn_name;  /* the open function, raw */
    char account[32];
    activity log;
    ui_life *life;
    modal_form mf;
    modal_editor me;
    WINDOW *edw; /* the built-in editor's window */
    bool focus_nav;
    /* The lab guide (ui/guide.h): shown by default when the first lists
     * found a new account (no APIs, no functions) and the screen has room
     * for it beside the content; once the user toggled it, their choice. */
    pane *guide;
    bool guide_fresh, guide_chosen, guide_on;
    bool focus_guide; /* beside the content, the guide has the keys */
    bool help;
    bool filtering;
    char filter[256];
    WINDOW *title, *navw, *content, *status, *input, *overlay, *guidew;
    int rows, cols, nav_cols;
    int content_cols, guide_cols; /* guide_cols: 0 unless the guide is beside */
    bool small;
    unsigned dirty;
    unsigned long gen;
    bool synced;
    int spin;
    int64_t spin_next;
    int64_t click_ms;
    int click_y, click_x;
    bool quit;
    int timing_fd;     /* APIGW_CONSOLE_TIMING: key-to-screen times go here, or -1 */
    int64_t key_at_us; /* when the keys being handled were read; 0: none */
} app;

/* app.c */
void app_reload(app *a);
void app_open_api(app *a, const char *id);
void app_close_api(app *a);
void app_open_function(app *a, const char *name);
/* Back to the account's sections from an API or a function. */
void app_close_context(app *a);
/* The pane on screen: the top pushed view, else the section's pane. */
pane *app_top(app *a);
void app_pop(app *a);
void app_clear_stack(app *a);
/* A job ended: note and reloads (see ui/job.h). */
void app_job_ended(app *a, const char *note, bool failed, unsigned reload, const char *api,
                   const char *fn);

/* The lab guide: shown at all; in a column of its own; has the keys. */
bool app_guide_shown(const app *a);
bool app_guide_beside(const app *a);
bool app_guide_keys(const app *a);
/* The guide key: show (with the keys) or hide it; the user's choice wins
 * over the default from then on. */
void app_toggle_guide(app *a);
void app_hide_guide(app *a);
/* Show section s (of the API with id name, or the function name, when it
 * is one of theirs) with the keys in it; a guide covering the content
 * steps aside. */
void app_guide_goto(app *a, section s, const char *name);

/* modal.c: forms and editors over the panes. */
bool modal_active(const app *a);
unsigned modal_key(app *a, int ch, bool is_key);
unsigned modal_click(app *a, int y, int x);
void modal_draw(app *a);
void modal_close_all(app *a);
/* Make the windows for the current terminal size. */
void app_layout(app *a);

/* frame.c: draw what a->dirty names, then one doupdate. */
void frame_draw(app *a);

/* input.c: one key (ch is a KEY_* code when is_key); returns UI_DIRTY_*. */
unsigned input_key(app *a, int ch, bool is_key);
/* Close the help overlay. */
unsigned input_close_help(app *a);

#endif
