#ifndef UI_PANE_H
#define UI_PANE_H
/* A content pane: draws part of the mirror and handles the keys of its
 * scopes. Handlers return what must be redrawn (UI_DIRTY_*); only the app
 * loop puts things on the screen. */
#include <stdbool.h>

#include <curses.h>

#include "client/client.h"
#include "client/mirror.h"
#include "ui/form.h"
#include "ui/keymap.h"
#include "ui/list.h"
#include "ui/theme.h"

enum {
    UI_DIRTY_TITLE = 1u << 0,
    UI_DIRTY_NAV = 1u << 1,
    UI_DIRTY_CONTENT = 1u << 2,
    UI_DIRTY_STATUS = 1u << 3,
    UI_DIRTY_ALL = 0xFu,
};

typedef struct pane pane;
struct app;

/* What panes see of the app, and how they ask it for things. */
typedef struct ui_ctx {
    mirror *m;
    client *cl;
    const ui_theme *th;
    const char *region;
    const char *account;  /* the account id; NULL until known */
    bool offline;         /* the backend is the embedded emulator */
    const char *endpoint_url; /* an endpoint override (invoke URLs then take the
                                 /restapis/{id}/{stage}/_user_request_ form), or NULL */
    const char *api_id;   /* the open API, or NULL */
    const char *api_name; /* its name (sanitized), or NULL */
    const char *fn_name;  /* the open Lambda function (raw), or NULL */
    bool lists_loaded;    /* the account's lists came back once */
    bool busy;            /* a refresh is under way */
    char open_api[128];   /* set by a pane: open this API */
    char msg[640];        /* set by a pane: a note for the status line */
    bool msg_error;       /* the note is a failure */
    struct app *host;     /* for the ui_* requests below */
} ui_ctx;

/* --- asking the app ------------------------------------------------------------
 * Panes never own modal state or outlive a request: they ask the app. Every
 * ud passed here is owned by the app from then on and freed with ud_free
 * (may be NULL) when the request ends, so it must hold copies (ids, names),
 * never pointers into a pane, which may be gone by then. */

/* A note on the status line (printf-style). */
void ui_message(ui_ctx *cx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Something a pane shows changed outside the mirror (its own reads came
 * back): draw the content again. */
void ui_redraw(ui_ctx *cx);
/* Show p over the current pane (a detail view: Method Execution, a stage's
 * settings); Esc or q goes back to the pane below. The app owns p. */
void ui_push(ui_ctx *cx, pane *p);
/* Close the pushed pane on top (e.g. after deleting what it showed). */
void ui_pop(ui_ctx *cx);
/* Open a Lambda function's sections (Code, Test, Versions, Aliases, ...). */
void ui_open_function(ui_ctx *cx, const char *name);

/* A modal form over the content. submit runs on Enter: return true to
 * close the form (the app frees it), false to keep it open (set an error
 * with form_set_error). change (may be NULL) runs after every key that
 * changed a value, e.g. to show or hide fields. Text areas open in the
 * user's editor. */
typedef bool (*ui_submit_fn)(ui_ctx *cx, form *f, void *ud);
typedef void (*ui_change_fn)(ui_ctx *cx, form *f, void *ud);
void ui_form(ui_ctx *cx, form *f, ui_submit_fn submit, ui_change_fn change, void *ud,
             void (*ud_free)(void *));

/* Edit text in $VISUAL/$EDITOR or the built-in editor; done runs with the
 * new text when it was saved (not when the user backed out). */
typedef void (*ui_edited_fn)(ui_ctx *cx, const char *text, void *ud);
void ui_edit(ui_ctx *cx, const char *title, const char *text, const char *suffix,
             ui_edited_fn done, void *ud, void (*ud_free)(void *));

/* Ask before doing something that cannot be undone. With type_name set,
 * the user must type it (deleting an API, as the AWS console asks); else
 * Enter confirms. */
typedef void (*ui_yes_fn)(ui_ctx *cx, void *ud);
void ui_confirm(ui_ctx *cx, const char *title, const char *text, const char *type_name,
                ui_yes_fn yes, void *ud, void (*ud_free)(void *));

typedef struct pane_ops {
    /* Rebuild rows from the mirror (called when it changed). */
    void (*sync)(pane *p, ui_ctx *cx);
    void (*draw)(pane *p, ui_ctx *cx, WINDOW *w, int h, int width, bool focused);
    /* UI_DIRTY_* bits; UI_ACT_LEFT that the pane does not use returns 0
     * with *unhandled set so the app can move focus instead. */
    unsigned (*action)(pane *p, ui_ctx *cx, ui_action a, bool *unhandled);
    /* A click at (y, x) of the pane's window; open: a double click. */
    unsigned (*click)(pane *p, ui_ctx *cx, int y, int x, bool open);
    void (*set_filter)(pane *p, const char *text);
    const char *(*filter)(const pane *p);
    void (*destroy)(pane *p);
} pane_ops;

struct pane {
    const pane_ops *ops;
    const char *title; /* as the menu names it */
    unsigned scopes;   /* keymap scopes, for help */
};

/* Calls through ops that tolerate missing members. */
void pane_sync(pane *p, ui_ctx *cx);
void pane_draw(pane *p, ui_ctx *cx, WINDOW *w, int h, int width, bool focused);
unsigned pane_action(pane *p, ui_ctx *cx, ui_action a, bool *unhandled);
unsigned pane_click(pane *p, ui_ctx *cx, int y, int x, bool open);
void pane_set_filter(pane *p, const char *text);
const char *pane_filter(const pane *p);
void pane_destroy(pane *p);

/* The heading line of a content pane: title on the left (after the open
 * API's name when per_api), the kept filter on the right. */
void pane_heading(WINDOW *w, const ui_ctx *cx, int width, bool per_api, const char *title,
                  const char *filter);
/* A centered note in the pane body (loading, empty). */
void pane_note(WINDOW *w, const ui_theme *th, int y, int width, const char *text);
/* The note for data that is not there: loading, or failed to load. */
void pane_missing(WINDOW *w, const ui_ctx *cx, int y, int width);

/* Deploy the open API (the Deploy API dialog); preselect a stage or NULL. */
void ui_deploy(ui_ctx *cx, const char *preselect);
/* The invoke URL of a stage of the open API, as AWS shows it (or, with an
 * endpoint override, the /restapis/{id}/{stage}/_user_request_ form).
 * malloc'd. */
char *ui_invoke_url(const ui_ctx *cx, const char *api_id, const char *stage);

/* --- tables: one row per wire object ---------------------------------------- */

typedef struct table_spec {
    const char *title;
    const char *empty; /* shown when the list is empty */
    bool per_api;      /* part of the open API: its name heads the pane */
    const ui_col *cols;
    int ncols;
    unsigned scopes;
    /* The wire objects; NULL while not loaded. */
    const cJSON *(*source)(const ui_ctx *cx);
    const char *key_member; /* the member that identifies a row ("id") */
    /* Cell texts of one object (raw: the table sanitizes them). bufs holds
     * UI_LIST_MAXCOLS scratch buffers of 128 bytes for computed cells. */
    void (*cells)(const ui_ctx *cx, const cJSON *item, bool reveal, const char **out,
                  char (*bufs)[128]);
    /* Enter on a row (NULL: nothing to open). */
    unsigned (*open)(ui_ctx *cx, const cJSON *item);
    /* The pane's own actions (create, delete, edit, run...: every action
     * from UI_ACT_CREATE on), with the selected row or NULL. */
    unsigned (*act)(ui_ctx *cx, const cJSON *item, ui_action a);
} table_spec;

pane *table_pane_new(const table_spec *spec);

/* The panes. */
pane *pane_apis_new(void);
pane *pane_plans_new(void);
pane *pane_keys_new(void);
pane *pane_functions_new(void);
pane *pane_resources_new(void);
pane *pane_stages_new(void);
pane *pane_models_new(void);
pane *pane_activity_new(void);
/* A method's Method Execution view (pushed from the resources tree). */
pane *pane_method_new(const char *api_id, const char *resource_id, const char *verb);
/* The console's Test of one method, without deploying (TestInvokeMethod). */
pane *pane_method_test_new(const char *api_id, const char *resource_id, const char *verb);
/* One request to every stage of the API at once, side by side. verb NULL:
 * the resource's first method. */
pane *pane_stagetest_new(const char *api_id, const char *resource_id, const char *verb);
/* One stage's details (pushed from the Stages list). */
pane *pane_stage_new(const char *api_id, const char *stage);
/* Ask, then delete a stage (and leave its details view). */
void stage_confirm_delete(ui_ctx *cx, const char *api_id, const char *stage);
/* The sections of an open Lambda function (cx->fn_name). */
pane *pane_fn_code_new(void);
pane *pane_fn_test_new(void);
pane *pane_fn_versions_new(void);
pane *pane_fn_aliases_new(void);
pane *pane_fn_policy_new(void);

#endif
