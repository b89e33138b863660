/* The settings sheet (see ui/sheet.h). */
#include "ui/sheet.h"

#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/text.h"
#include "ui/draw.h"

#define MAX_LABEL 24

void sheet_init(ui_sheet *s) { memset(s, 0, sizeof *s); }

static void rows_free(ui_sheet *s) {
    for (size_t i = 0; i < s->n; i++) {
        free(s->rows[i].key);
        free(s->rows[i].label);
        free(s->rows[i].value);
    }
    s->n = 0;
}

void sheet_free(ui_sheet *s) {
    rows_free(s);
    free(s->rows);
    free(s->pending_key);
    free(s->map);
    memset(s, 0, sizeof *s);
}

void sheet_clear(ui_sheet *s) {
    const char *k = sheet_selected(s);
    if (k) {
        free(s->pending_key);
        s->pending_key = xstrdup(k);
    }
    rows_free(s);
}

static sheet_row *add(ui_sheet *s) {
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 32;
        s->rows = xrealloc(s->rows, s->cap * sizeof *s->rows);
    }
    sheet_row *r = &s->rows[s->n++];
    memset(r, 0, sizeof *r);
    return r;
}

void sheet_heading(ui_sheet *s, const char *title, const char *hint) {
    sheet_row *r = add(s);
    r->heading = true;
    r->label = text_sanitize(title);
    r->value = text_sanitize(hint ? hint : "");
    r->role = UI_R_HEADING;
}

void sheet_field(ui_sheet *s, const char *key, const char *label, const char *value, ui_role role) {
    sheet_row *r = add(s);
    r->key = key ? xstrdup(key) : NULL;
    r->label = text_sanitize(label ? label : "");
    r->value = text_sanitize(value ? value : "");
    r->role = role;
}

void sheet_line(ui_sheet *s, const char *key, const char *text, ui_role role) {
    sheet_row *r = add(s);
    r->key = key ? xstrdup(key) : NULL;
    r->value = text_sanitize(text ? text : "");
    r->role = role;
}

static bool selectable(const ui_sheet *s, size_t i) { return i < s->n && s->rows[i].key; }

void sheet_done(ui_sheet *s) {
    s->label_w = 0;
    for (size_t i = 0; i < s->n; i++) {
        const sheet_row *r = &s->rows[i];
        if (r->heading || !r->label) continue;
        int w = (int)strlen(r->label);
        if (w > s->label_w) s->label_w = w;
    }
    if (s->label_w > MAX_LABEL) s->label_w = MAX_LABEL;
    if (s->pending_key && sheet_select_key(s, s->pending_key)) {
        free(s->pending_key);
        s->pending_key = NULL;
        return;
    }
    if (s->sel >= s->n || !selectable(s, s->sel)) {
        s->sel = 0;
        while (s->sel < s->n && !selectable(s, s->sel)) s->sel++;
    }
}

const char *sheet_selected(const ui_sheet *s) { return selectable(s, s->sel) ? s->rows[s->sel].key : NULL; }

bool sheet_select_key(ui_sheet *s, const char *key) {
    for (size_t i = 0; i < s->n; i++)
        if (s->rows[i].key && strcmp(s->rows[i].key, key) == 0) {
            s->sel = i;
            return true;
        }
    return false;
}

static bool step(ui_sheet *s, int dir, int count) {
    size_t at = s->sel, best = s->sel;
    for (int moved = 0; moved < count;) {
        if ((dir < 0 && at == 0) || (dir > 0 && at + 1 >= s->n)) break;
        at = (size_t)((long)at + dir);
        if (selectable(s, at)) {
            best = at;
            moved++;
        }
    }
    if (best == s->sel) return false;
    s->sel = best;
    return true;
}

bool sheet_action(ui_sheet *s, ui_action a) {
    int page = s->page > 2 ? s->page - 1 : 1;
    switch (a) {
    case UI_ACT_UP: return step(s, -1, 1);
    case UI_ACT_DOWN: return step(s, 1, 1);
    case UI_ACT_PGUP: return step(s, -1, page);
    case UI_ACT_PGDN: return step(s, 1, page);
    case UI_ACT_HOME: return step(s, -1, (int)s->n);
    case UI_ACT_END: return step(s, 1, (int)s->n);
    default: return false;
    }
}

/* Screen lines of row r at this width: values wrap under themselves. */
static int row_lines(const ui_sheet *s, const ui_theme *th, const sheet_row *r, int width) {
    if (r->heading) return 1;
    int x = r->label ? 2 + s->label_w + 2 : 2;
    int room = width - x - 1;
    if (room < 8) return 1;
    int lines = 0;
    const char *v = r->value;
    do {
        v += draw_wrap(th, v, room);
        while (*v == ' ') v++;
        lines++;
    } while (*v && lines < 20);
    return lines;
}

static void draw_row(const ui_sheet *s, WINDOW *w, const ui_theme *th, const sheet_row *r, int y,
                     int skip, int h, int width, bool sel) {
    attr_t base = sel ? th->attr[UI_R_SEL] : A_NORMAL;
    if (r->heading) {
        wattrset(w, th->attr[UI_R_HEADING]);
        draw_blank(w, y, 0, width);
        int used = draw_text(w, th, y, 1, r->label, width - 2);
        if (r->value[0] && used + 4 < width) {
            wattrset(w, th->attr[UI_R_DIM]);
            draw_text(w, th, y, used + 3, r->value, width - used - 4);
        }
        wattrset(w, A_NORMAL);
        return;
    }
    int x = r->label ? 2 + s->label_w + 2 : 2;
    int room = width - x - 1;
    const char *v = r->value;
    for (int line = 0; y < h; line++) {
        size_t n = room >= 8 ? draw_wrap(th, v, room) : strlen(v);
        if (line >= skip) {
            wattrset(w, base);
            draw_blank(w, y, 0, width);
            if (line == 0 && r->label) {
                wattrset(w, base | th->attr[UI_R_DIM]);
                draw_text(w, th, y, 2, r->label, s->label_w);
            }
            wattrset(w, base | (sel ? 0 : th->attr[r->role]));
            char *part = xstrndup(v, n);
            draw_text(w, th, y, x, part, room < 1 ? 1 : room);
            free(part);
            y++;
        }
        v += n;
        while (*v == ' ') v++;
        if (!*v || line >= 19) break;
    }
    wattrset(w, A_NORMAL);
}

void sheet_draw(ui_sheet *s, WINDOW *w, const ui_theme *th, int y, int h, int width, bool focused) {
    int avail = h - y;
    s->page = avail;
    /* Lines before each row, to scroll the selection into view. */
    int *start = xcalloc(s->n + 1, sizeof *start);
    for (size_t i = 0; i < s->n; i++) start[i + 1] = start[i] + row_lines(s, th, &s->rows[i], width);
    if (s->n && selectable(s, s->sel)) {
        int a = start[s->sel], b = start[s->sel + 1];
        /* Show the heading above the first selectable row of a section. */
        if (s->sel > 0 && s->rows[s->sel - 1].heading) a = start[s->sel - 1];
        if (a < s->top) s->top = a;
        if (b > s->top + avail) s->top = b - avail;
    }
    if (s->top > start[s->n] - avail) s->top = start[s->n] - avail;
    if (s->top < 0) s->top = 0;
    free(s->map);
    s->nmap = avail > 0 ? avail : 0;
    s->map = xcalloc((size_t)s->nmap + 1, sizeof *s->map);
    for (int k = 0; k < s->nmap; k++) s->map[k] = -1;
    int line = y;
    for (size_t i = 0; i < s->n && line < h; i++) {
        if (start[i + 1] <= s->top) continue;
        int skip = start[i] < s->top ? s->top - start[i] : 0;
        draw_row(s, w, th, &s->rows[i], line, skip, h, width, focused && i == s->sel && s->rows[i].key);
        int next = line + start[i + 1] - start[i] - skip;
        for (int k = line; k < next && k < h; k++) s->map[k - y] = (long)i;
        line = next;
    }
    free(start);
}

bool sheet_click(ui_sheet *s, int row) {
    if (row < 0 || row >= s->nmap || s->map[row] < 0) return false;
    size_t i = (size_t)s->map[row];
    if (!selectable(s, i)) return false;
    s->sel = i;
    return true;
}
