#ifndef UI_LIST_H
#define UI_LIST_H
/* A table with a header, a selection, scrolling and a filter. Rows are
 * rebuilt from the mirror (list_clear, list_add..., list_done) and keep the
 * selection on the same key across rebuilds. */
#include <stdbool.h>
#include <stddef.h>

#include <curses.h>

#include "ui/keymap.h"
#include "ui/theme.h"

#define UI_LIST_MAXCOLS 8

typedef struct ui_col {
    const char *title;
    int width; /* minimum columns */
    int flex;  /* share of the columns left over */
} ui_col;

typedef struct ui_row {
    char *key;
    char *cell[UI_LIST_MAXCOLS]; /* sanitized */
} ui_row;

typedef struct ui_list {
    const ui_col *cols;
    int ncols;
    ui_row *rows;
    size_t nrows, cap;
    size_t *vis; /* rows that pass the filter */
    size_t nvis;
    size_t sel, top; /* positions in vis */
    char *filter;    /* "" when none */
    int page;        /* rows shown at the last draw, for paging */
    char *pending_key;
} ui_list;

void list_init(ui_list *l, const ui_col *cols, int ncols);
void list_free(ui_list *l);
/* Start a rebuild; the selected key is remembered. */
void list_clear(ui_list *l);
/* Append a row; cells are sanitized copies of text (NULL shows as ""). */
void list_add(ui_list *l, const char *key, const char *const *text);
/* End a rebuild: filter again and put the selection back on its key. */
void list_done(ui_list *l);

void list_set_filter(ui_list *l, const char *filter);
const char *list_filter(const ui_list *l);
/* Movement actions; true when something changed. */
bool list_action(ui_list *l, ui_action a);
/* The selected row's key, or NULL when the list shows nothing. */
const char *list_selected(const ui_list *l);
bool list_select_key(ui_list *l, const char *key);

/* Draw in the h x width area at (y, x): a header row, then rows. */
void list_draw(ui_list *l, WINDOW *w, const ui_theme *th, int y, int x, int h, int width,
               bool focused);
/* A click on screen row `row` of the area drawn last (0 = header). Returns
 * true when a row was selected. */
bool list_click(ui_list *l, int row);

#endif
