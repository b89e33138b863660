#ifndef UI_NAV_H
#define UI_NAV_H
/* The navigation pane on the left, like the AWS console's menu: the
 * account's sections at the top level; inside an API, a way back, the
 * API's name and its sections. */
#include <stdbool.h>

#include <curses.h>

#include "ui/theme.h"

typedef enum nav_kind { NAV_HEADING, NAV_BACK, NAV_SECTION } nav_kind;

#define NAV_MAX 12

typedef struct nav_item {
    nav_kind kind;
    char label[128]; /* sanitized */
    int section;     /* NAV_SECTION: which one */
} nav_item;

typedef struct ui_nav {
    nav_item item[NAV_MAX];
    int n;
    int sel; /* index into item; never a heading */
} ui_nav;

void nav_reset(ui_nav *nv);
/* label is sanitized here. */
void nav_add(ui_nav *nv, nav_kind kind, const char *label, int section);
/* Select the item of section s. */
void nav_select_section(ui_nav *nv, int s);
const nav_item *nav_selected(const ui_nav *nv);
/* Move by delta over selectable items; true when the selection moved. */
bool nav_move(ui_nav *nv, int delta);
bool nav_home(ui_nav *nv, bool end);
/* Row y of the pane (as drawn): select it when selectable. */
bool nav_click(ui_nav *nv, int y);
void nav_draw(const ui_nav *nv, WINDOW *w, const ui_theme *th, int h, int width, bool focused);

#endif
