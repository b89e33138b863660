#ifndef UI_DRAW_H
#define UI_DRAW_H
/* Putting text on screen by display columns. Strings are UTF-8 that has
 * been through text_sanitize; as a second guard, anything that is not
 * printable in the current locale is drawn as '?'. */
#include <stddef.h>

#include <curses.h>

#include "ui/theme.h"

/* Display columns of s. */
int draw_width(const ui_theme *th, const char *s);
/* Draw s at (y, x) in at most maxw columns, ending with an ellipsis when it
 * does not fit. Returns the columns used. */
int draw_text(WINDOW *w, const ui_theme *th, int y, int x, const char *s, int maxw);
/* How many bytes of s fit in maxw columns (whole characters), for wrapping. */
size_t draw_fit(const ui_theme *th, const char *s, int maxw);
/* The bytes of s that make its next line when wrapped at maxw columns:
 * words stay whole when they can. The caller skips the spaces that follow. */
size_t draw_wrap(const ui_theme *th, const char *s, int maxw);
/* Draw s in exactly width columns (padded with spaces). */
void draw_field(WINDOW *w, const ui_theme *th, int y, int x, const char *s, int width);
/* Fill width columns of row y from x with spaces. */
void draw_blank(WINDOW *w, int y, int x, int width);

#endif
