#ifndef UI_SHEET_H
#define UI_SHEET_H
/* A settings sheet: the detail views' layout (a stage's settings, a usage
 * plan, Method Execution's boxes). Section headings, "label  value" fields
 * with long values wrapped, and free lines; rows with a key can be
 * selected and acted on. Rebuilt from the mirror like lists
 * (sheet_clear, adds, sheet_done), keeping the selection on its key. */
#include <stdbool.h>
#include <stddef.h>

#include <curses.h>

#include "ui/keymap.h"
#include "ui/theme.h"

typedef struct sheet_row {
    char *key;   /* NULL: not selectable */
    char *label; /* sanitized; NULL for headings and free lines */
    char *value; /* sanitized */
    ui_role role;
    bool heading;
} sheet_row;

typedef struct ui_sheet {
    sheet_row *rows;
    size_t n, cap;
    size_t sel; /* index into rows; a selectable one when any */
    int top;    /* first screen line drawn */
    char *pending_key;
    int label_w; /* widest label, for alignment */
    int page;
    long *map; /* screen line of the last draw -> row (-1: none) */
    int nmap;
} ui_sheet;

void sheet_init(ui_sheet *s);
void sheet_free(ui_sheet *s);
void sheet_clear(ui_sheet *s);
/* A heading: "Stage variables", with a hint of its keys ("c add  e edit"). */
void sheet_heading(ui_sheet *s, const char *title, const char *hint);
/* "label  value"; key NULL: not selectable. Text is sanitized here. */
void sheet_field(ui_sheet *s, const char *key, const char *label, const char *value, ui_role role);
/* A line of its own (indented under a heading). */
void sheet_line(ui_sheet *s, const char *key, const char *text, ui_role role);
void sheet_done(ui_sheet *s);

const char *sheet_selected(const ui_sheet *s);
bool sheet_select_key(ui_sheet *s, const char *key);
/* Moves; true when the selection moved. */
bool sheet_action(ui_sheet *s, ui_action a);
void sheet_draw(ui_sheet *s, WINDOW *w, const ui_theme *th, int y, int h, int width, bool focused);
/* A click on screen row `row` of the area drawn last; true when it selected. */
bool sheet_click(ui_sheet *s, int row);

#endif
