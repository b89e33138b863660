#ifndef UI_HELP_H
#define UI_HELP_H
/* The help overlay: every key of the pane at hand, from the keymap. */
#include <curses.h>

#include "ui/theme.h"

/* A new window centered on a rows x cols screen listing the bindings of
 * scopes, headed by title; in two columns when one does not fit. The
 * caller deletes it. NULL when the screen is too small for any. */
WINDOW *help_window(const ui_theme *th, unsigned scopes, const char *title, int rows, int cols);

#endif
