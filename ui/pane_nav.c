#include <stdio.h>
#include <stdlib.h>

#include "core/text.h"
#include "ui/draw.h"
#include "ui/nav.h"

/* The menu starts one row down, under a blank line that lines it up with
 * the content's heading. */
#define NAV_TOP 1

void nav_reset(ui_nav *nv) {
    nv->n = 0;
    nv->sel = 0;
}

void nav_add(ui_nav *nv, nav_kind kind, const char *label, int section) {
    if (nv->n >= NAV_MAX) return;
    nav_item *it = &nv->item[nv->n];
    it->kind = kind;
    char *safe = text_sanitize(label);
    snprintf(it->label, sizeof it->label, "%s", safe);
    free(safe);
    it->section = section;
    if (nv->item[nv->sel].kind == NAV_HEADING || nv->n == 0) nv->sel = nv->n;
    nv->n++;
}

void nav_select_section(ui_nav *nv, int s) {
    for (int i = 0; i < nv->n; i++)
        if (nv->item[i].kind == NAV_SECTION && nv->item[i].section == s) nv->sel = i;
}

const nav_item *nav_selected(const ui_nav *nv) { return nv->n ? &nv->item[nv->sel] : NULL; }

bool nav_move(ui_nav *nv, int delta) {
    int i = nv->sel;
    for (;;) {
        i += delta;
        if (i < 0 || i >= nv->n) return false;
        if (nv->item[i].kind != NAV_HEADING) break;
    }
    nv->sel = i;
    return true;
}

bool nav_home(ui_nav *nv, bool end) {
    int old = nv->sel;
    nv->sel = end ? nv->n : -1;
    if (!nav_move(nv, end ? -1 : 1)) nv->sel = old;
    return nv->sel != old;
}

bool nav_click(ui_nav *nv, int y) {
    int i = y - NAV_TOP;
    if (i < 0 || i >= nv->n || nv->item[i].kind == NAV_HEADING) return false;
    nv->sel = i;
    return true;
}

void nav_draw(const ui_nav *nv, WINDOW *w, const ui_theme *th, int h, int width, bool focused) {
    int inner = width - 1; /* the last column holds the border */
    for (int y = 0; y < h; y++) {
        int i = y - NAV_TOP;
        wattrset(w, A_NORMAL);
        draw_blank(w, y, 0, inner);
        if (i >= 0 && i < nv->n) {
            const nav_item *it = &nv->item[i];
            bool sel = i == nv->sel;
            attr_t a = it->kind == NAV_HEADING ? th->attr[UI_R_HEADING]
                       : sel                   ? th->attr[focused ? UI_R_SEL : UI_R_SEL_IDLE]
                                               : A_NORMAL;
            wattrset(w, a);
            int indent = it->kind == NAV_SECTION && i > 0 && nv->item[0].kind == NAV_BACK ? 3 : 1;
            draw_blank(w, y, 0, inner);
            if (it->kind == NAV_BACK) {
                int used = draw_text(w, th, y, 1, th->back, inner - 1);
                draw_text(w, th, y, 1 + used + 1, it->label, inner - used - 2);
            } else {
                draw_text(w, th, y, indent, it->label, inner - indent);
            }
        }
        wattrset(w, th->attr[UI_R_BORDER]);
        mvwaddstr(w, y, inner, th->vline);
    }
    wattrset(w, A_NORMAL);
}
