#include "ui/list.h"

#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/text.h"
#include "ui/draw.h"

void list_init(ui_list *l, const ui_col *cols, int ncols) {
    memset(l, 0, sizeof *l);
    l->cols = cols;
    l->ncols = ncols < UI_LIST_MAXCOLS ? ncols : UI_LIST_MAXCOLS;
    l->filter = xstrdup("");
}

static void free_rows(ui_list *l) {
    for (size_t i = 0; i < l->nrows; i++) {
        free(l->rows[i].key);
        for (int c = 0; c < l->ncols; c++) free(l->rows[i].cell[c]);
    }
    l->nrows = 0;
}

void list_free(ui_list *l) {
    free_rows(l);
    free(l->rows);
    free(l->vis);
    free(l->filter);
    free(l->pending_key);
    memset(l, 0, sizeof *l);
}

const char *list_selected(const ui_list *l) {
    return l->nvis ? l->rows[l->vis[l->sel]].key : NULL;
}

void list_clear(ui_list *l) {
    const char *k = list_selected(l);
    if (k && !l->pending_key) l->pending_key = xstrdup(k);
    free_rows(l);
    l->nvis = 0;
}

void list_add(ui_list *l, const char *key, const char *const *text) {
    if (l->nrows == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->rows = xrealloc(l->rows, l->cap * sizeof *l->rows);
    }
    ui_row *r = &l->rows[l->nrows++];
    memset(r, 0, sizeof *r);
    r->key = xstrdup(key ? key : "");
    for (int c = 0; c < l->ncols; c++) r->cell[c] = text_sanitize(text[c] ? text[c] : "");
}

/* Case-insensitive substring match on any cell. */
static bool matches(const ui_list *l, const ui_row *r) {
    if (!l->filter[0]) return true;
    for (int c = 0; c < l->ncols; c++)
        if (strcasestr(r->cell[c], l->filter)) return true;
    return false;
}

static void refilter(ui_list *l, const char *keep) {
    l->vis = xrealloc(l->vis, (l->nrows ? l->nrows : 1) * sizeof *l->vis);
    l->nvis = 0;
    l->sel = 0;
    for (size_t i = 0; i < l->nrows; i++) {
        if (!matches(l, &l->rows[i])) continue;
        if (keep && strcmp(l->rows[i].key, keep) == 0) l->sel = l->nvis;
        l->vis[l->nvis++] = i;
    }
    if (l->top > l->sel) l->top = l->sel;
}

void list_done(ui_list *l) {
    char *keep = l->pending_key;
    l->pending_key = NULL;
    refilter(l, keep);
    free(keep);
}

void list_set_filter(ui_list *l, const char *filter) {
    char *keep = list_selected(l) ? xstrdup(list_selected(l)) : NULL;
    free(l->filter);
    l->filter = xstrdup(filter ? filter : "");
    refilter(l, keep);
    free(keep);
}

const char *list_filter(const ui_list *l) { return l->filter; }

bool list_select_key(ui_list *l, const char *key) {
    for (size_t i = 0; i < l->nvis; i++)
        if (strcmp(l->rows[l->vis[i]].key, key) == 0) {
            l->sel = i;
            return true;
        }
    return false;
}

bool list_action(ui_list *l, ui_action a) {
    if (!l->nvis) return false;
    size_t old = l->sel, last = l->nvis - 1, page = l->page > 1 ? (size_t)l->page - 1 : 1;
    switch (a) {
    case UI_ACT_UP: l->sel = l->sel ? l->sel - 1 : 0; break;
    case UI_ACT_DOWN: l->sel = l->sel < last ? l->sel + 1 : last; break;
    case UI_ACT_PGUP: l->sel = l->sel > page ? l->sel - page : 0; break;
    case UI_ACT_PGDN: l->sel = l->sel + page < last ? l->sel + page : last; break;
    case UI_ACT_HOME: l->sel = 0; break;
    case UI_ACT_END: l->sel = last; break;
    default: return false;
    }
    return l->sel != old;
}

/* Column widths: what the header and the cells need, so that short
 * columns give their room to long ones; when that is more than the width,
 * the widest columns give way first, down to their minimums; what is left
 * over is shared by flex. */
static void widths(const ui_list *l, const ui_theme *th, int width, int *out) {
    int used = 0, flex = 0;
    for (int c = 0; c < l->ncols; c++) {
        int need = draw_width(th, l->cols[c].title);
        for (size_t r = 0; r < l->nrows; r++) {
            int cw = draw_width(th, l->rows[r].cell[c] ? l->rows[r].cell[c] : "");
            if (cw > need) need = cw;
        }
        out[c] = need;
        used += out[c] + (c ? 1 : 0);
        flex += l->cols[c].flex;
    }
    while (used > width) {
        int best = -1, excess = 0;
        for (int c = 0; c < l->ncols; c++) {
            int over = out[c] - l->cols[c].width;
            if (over > excess) {
                excess = over;
                best = c;
            }
        }
        if (best < 0) break; /* every column at its minimum: the row is cut */
        out[best]--;
        used--;
    }
    int extra = width - used;
    if (extra > 0 && flex > 0) {
        int given = 0, lastflex = -1;
        for (int c = 0; c < l->ncols; c++) {
            if (!l->cols[c].flex) continue;
            int add = extra * l->cols[c].flex / flex;
            out[c] += add;
            given += add;
            lastflex = c;
        }
        out[lastflex] += extra - given;
    }
}

static void draw_row(const ui_list *l, WINDOW *w, const ui_theme *th, int y, int x, int width,
                     const int *cw, char *const *cells) {
    int cx = x;
    for (int c = 0; c < l->ncols && cx < x + width; c++) {
        int room = x + width - cx;
        int cwid = cw[c] < room ? cw[c] : room;
        draw_field(w, th, y, cx, cells[c], cwid);
        cx += cwid;
        if (cx < x + width) draw_blank(w, y, cx++, 1);
    }
    if (cx < x + width) draw_blank(w, y, cx, x + width - cx);
}

void list_draw(ui_list *l, WINDOW *w, const ui_theme *th, int y, int x, int h, int width,
               bool focused) {
    if (h < 1 || width < 1) return;
    int cw[UI_LIST_MAXCOLS];
    widths(l, th, width - 2, cw);
    char *head[UI_LIST_MAXCOLS];
    for (int c = 0; c < l->ncols; c++) head[c] = (char *)l->cols[c].title;
    wattrset(w, th->attr[UI_R_COLHEAD]);
    draw_blank(w, y, x, 1);
    draw_row(l, w, th, y, x + 1, width - 1, cw, head);
    wattrset(w, A_NORMAL);
    int rows = h - 1;
    l->page = rows;
    if (rows < 1) return;
    if (l->sel < l->top) l->top = l->sel;
    if (l->sel >= l->top + (size_t)rows) l->top = l->sel - (size_t)rows + 1;
    for (int i = 0; i < rows; i++) {
        size_t v = l->top + (size_t)i;
        if (v >= l->nvis) {
            draw_blank(w, y + 1 + i, x, width);
            continue;
        }
        bool sel = v == l->sel;
        wattrset(w, sel ? th->attr[focused ? UI_R_SEL : UI_R_SEL_IDLE] : A_NORMAL);
        draw_blank(w, y + 1 + i, x, 1);
        draw_row(l, w, th, y + 1 + i, x + 1, width - 1, cw, l->rows[l->vis[v]].cell);
        wattrset(w, A_NORMAL);
    }
}

bool list_click(ui_list *l, int row) {
    if (row < 1) return false;
    size_t v = l->top + (size_t)(row - 1);
    if (v >= l->nvis) return false;
    l->sel = v;
    return true;
}
