#ifndef UI_APP_PRIV_H
#define UI_APP_PRIV_H
/* Private to ui/: the app root shared by the loop (app.c), the screen
 * frame (frame.c) and input handling (input.c). */
#include <stdbool.h>
#include <stdint.h>

#include <curses.h>

#include "client/client.h"
#include "client/mirror.h"
#include "ui/app.h"
#include "ui/nav.h"
#include "ui/pane.h"
#include "ui/term.h"
#include "ui/theme.h"

#define MIN_COLS 60
#define MIN_ROWS 16

typedef enum section {
    SEC_APIS,
    SEC_PLANS,
    SEC_KEYS,
    SEC_FUNCTIONS,
    SEC_RESOURCES,
    SEC_STAGES,
    SEC_MODELS,
    SEC__COUNT
} section;

#define FIRST_API_SECTION SEC_RESOURCES

typedef struct app {
    client *cl;
    transport *t;
    mirror *m;
    const ui_opts *o;
    ui_term term;
    ui_theme th;
    ui_ctx cx;
    pane *pane[SEC__COUNT];
    ui_nav nav;
    section cur;
    bool in_api;
    char api_id[128];
    char *api_name; /* sanitized */
    bool focus_nav;
    bool help;
    bool filtering;
    char filter[256];
    WINDOW *title, *navw, *content, *status, *input, *overlay;
    int rows, cols, nav_cols;
    bool small;
    unsigned dirty;
    unsigned long gen;
    bool synced;
    int spin;
    int64_t spin_next;
    int64_t click_ms;
    int click_y, click_x;
    bool quit;
} app;

/* app.c */
void app_reload(app *a);
void app_open_api(app *a, const char *id);
void app_close_api(app *a);
/* Make the windows for the current terminal size. */
void app_layout(app *a);

/* frame.c: draw what a->dirty names, then one doupdate. */
void frame_draw(app *a);

/* input.c: one key (ch is a KEY_* code when is_key); returns UI_DIRTY_*. */
unsigned input_key(app *a, int ch, bool is_key);
/* Close the help overlay. */
unsigned input_close_help(app *a);

#endif
