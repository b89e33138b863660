#ifndef UI_APP_H
#define UI_APP_H
/* The console: ncurses panes over the mirror, one poll() loop. */
#include <stdbool.h>

#include "client/client.h"

typedef struct ui_opts {
    const char *backend; /* status-line description: "emulator: /path/state.json" */
    bool offline;        /* the backend is the embedded emulator */
    const char *endpoint_url; /* an API Gateway endpoint override, or NULL */
    const char *account; /* the account id when known up front (the emulator's) */
} ui_opts;

/* Run until the user quits; returns the process exit status. */
int ui_run(client *cl, const ui_opts *o);

#endif
