#ifndef UI_TERM_H
#define UI_TERM_H
/* The terminal's life: locale, curses modes, signals. The terminal is put
 * back on every way out: a normal close, exit() (an atexit hook), and
 * fatal signals (the handler ends curses, then re-raises the signal).
 * SIGWINCH arrives through a self-pipe that the poll loop watches. */
#include <stdbool.h>

#include <curses.h>

#include "core/err.h"

typedef struct ui_term {
    bool utf8;   /* the locale's codeset is UTF-8 */
    int wake_fd; /* readable after SIGWINCH */
    int pipe_wr;
    SCREEN *screen;
} ui_term;

/* Start curses on the controlling terminal. -1 with e set when stdin or
 * stdout is not a terminal or the terminal type is unknown. */
int term_open(ui_term *t, err *e);
/* Restore the terminal and the signal dispositions. */
void term_close(ui_term *t);
/* Drain the self-pipe; true when the window size changed (curses has been
 * told the new size then). */
bool term_take_resize(ui_term *t);

#endif
