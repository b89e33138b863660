#ifndef UI_APP_H
#define UI_APP_H
/* The console: ncurses panes over the mirror, one poll() loop. */
#include "client/client.h"

typedef struct ui_opts {
    const char *backend; /* status-line description: "emulator: /path/state.json" */
} ui_opts;

/* Run until the user quits; returns the process exit status. */
int ui_run(client *cl, const ui_opts *o);

#endif
