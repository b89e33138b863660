#ifndef UI_PANE_H
#define UI_PANE_H
/* A content pane: draws part of the mirror and handles the keys of its
 * scopes. Handlers return what must be redrawn (UI_DIRTY_*); only the app
 * loop puts things on the screen. */
#include <stdbool.h>

#include <curses.h>

#include "client/mirror.h"
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

/* What panes see of the app, and how they ask it for things. */
typedef struct ui_ctx {
    mirror *m;
    const ui_theme *th;
    const char *api_id;   /* the open API, or NULL */
    const char *api_name; /* its name (sanitized), or NULL */
    bool lists_loaded;    /* the account's lists came back once */
    bool busy;            /* a refresh is under way */
    char open_api[128];   /* set by a pane: open this API */
    char msg[256];        /* set by a pane: a note for the status line */
} ui_ctx;

typedef struct pane pane;

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

#endif
