#include "ui/help.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/mem.h"
#include "ui/draw.h"
#include "ui/keymap.h"

#define KEYW 8 /* columns for the keys of an entry */
#define GAP 2  /* between two columns */

static void frame(WINDOW *w, const ui_theme *th, int h, int wd, const char *title) {
    wattrset(w, th->attr[UI_R_BORDER]);
    for (int x = 1; x < wd - 1; x++) {
        mvwaddstr(w, 0, x, th->hline);
        mvwaddstr(w, h - 1, x, th->hline);
    }
    for (int y = 1; y < h - 1; y++) {
        mvwaddstr(w, y, 0, th->vline);
        mvwaddstr(w, y, wd - 1, th->vline);
    }
    mvwaddstr(w, 0, 0, th->tl);
    mvwaddstr(w, 0, wd - 1, th->tr);
    mvwaddstr(w, h - 1, 0, th->bl);
    mvwaddstr(w, h - 1, wd - 1, th->br);
    wattrset(w, th->attr[UI_R_HEADING]);
    char *t = xasprintf(" %s ", title);
    draw_text(w, th, 0, 2, t, wd - 4);
    free(t);
    wattrset(w, th->attr[UI_R_DIM]);
    const char *close = " Esc closes ";
    int cw = draw_width(th, close);
    if (wd > cw + 4) draw_text(w, th, h - 1, wd - 2 - cw, close, cw);
    wattrset(w, A_NORMAL);
}

WINDOW *help_window(const ui_theme *th, unsigned scopes, const char *title, int rows, int cols) {
    size_t max = keymap_count();
    ui_binding *b = xcalloc(max, sizeof *b);
    int n = (int)keymap_help(scopes, b, max);
    int descw = 0;
    for (int i = 0; i < n; i++) {
        int dw = draw_width(th, b[i].help);
        if (dw > descw) descw = dw;
    }
    int entryw = KEYW + descw;
    int ncol = n + 4 <= rows - 2 ? 1 : 2;
    int per = (n + ncol - 1) / ncol;
    int h = per + 4, wd = ncol * entryw + (ncol - 1) * GAP + 4;
    if (wd > cols - 2) wd = cols - 2;
    if (h > rows - 2) h = rows - 2;
    WINDOW *w = NULL;
    if (h >= 5 && wd >= 20) w = newwin(h, wd, (rows - h) / 2, (cols - wd) / 2);
    if (!w) {
        free(b);
        return NULL;
    }
    werase(w);
    frame(w, th, h, wd, title);
    int colw = (wd - 4 - (ncol - 1) * GAP) / ncol;
    for (int i = 0; i < n; i++) {
        int c = i / per, r = i % per;
        int y = 2 + r, x = 2 + c * (colw + GAP);
        if (y >= h - 1) continue;
        wattrset(w, th->attr[UI_R_ACCENT]);
        draw_text(w, th, y, x, b[i].keys, KEYW - 1);
        wattrset(w, A_NORMAL);
        draw_text(w, th, y, x + KEYW, b[i].help, colw - KEYW);
    }
    free(b);
    return w;
}
