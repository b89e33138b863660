/* The lab guide's text as screen lines (see guide_priv.h): each step's
 * line with its mark, number and count, and the selected step opened
 * under it: its checks with what is missing, what to do and the values to
 * enter, word-wrapped to the guide's width. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/text.h"
#include "guide_priv.h"
#include "lab/lab.h"
#include "ui/draw.h"

static guide_line *line_add(guide_lines *L, guide_line_kind kind, int step, int x, const char *text,
                            size_t len, ui_role role) {
    if (L->n == L->cap) {
        L->cap = L->cap ? L->cap * 2 : 64;
        L->v = xrealloc(L->v, (size_t)L->cap * sizeof *L->v);
    }
    guide_line *g = &L->v[L->n++];
    *g =
        (guide_line){.kind = kind, .step = step, .x = x, .text = xstrndup(text, len), .role = role};
    return g;
}

static void blank(guide_lines *L, int step) { line_add(L, L_TEXT, step, 0, "", 0, UI_R_NORMAL); }

void guide_lines_free(guide_lines *L) {
    for (int i = 0; i < L->n; i++)
        free(L->v[i].text);
    free(L->v);
}

/* How many bytes of s go on a line of room columns: whole words when a
 * space comes late enough. */
static size_t wrap_at(const ui_theme *th, const char *s, int room) {
    size_t k = draw_fit(th, s, room > 1 ? room : 1);
    if (k == 0) return *s ? 1 : 0;
    if (!s[k]) return k;
    for (size_t j = k; j > k / 3; j--)
        if (s[j] == ' ') return j;
    return k;
}

/* raw, sanitized and wrapped from column x (later lines from x2); the
 * first dim bytes are drawn dim. Returns the index of the first line. */
static int wrapped(guide_lines *L, int step, int x, int x2, const char *raw, ui_role role,
                   size_t dim) {
    char *text = text_sanitize(raw);
    int first = L->n;
    const char *p = text;
    int at = x;
    do {
        size_t k = wrap_at(L->th, p, L->width - at - 1);
        guide_line *g = line_add(L, L_TEXT, step, at, p, k, role);
        size_t done = (size_t)(p - text);
        if (dim > done) g->dim = dim - done < k ? dim - done : k;
        p += k;
        while (*p == ' ')
            p++;
        at = x2;
    } while (*p);
    free(text);
    return first;
}

/* The lab's text: paragraphs split on new lines. */
static void paragraphs(guide_lines *L, int step, const char *text) {
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");
        if (n == 0) {
            blank(L, step);
        } else {
            char *one = xstrndup(p, n);
            wrapped(L, step, 2, 2, one, UI_R_NORMAL, 0);
            free(one);
        }
        p += n + (p[n] == '\n');
    }
}

static const char *step_mark(const ui_theme *th, const lab_step_result *r, ui_role *role) {
    if (!r->n || r->skipped == r->n) {
        *role = UI_R_DIM;
        return th->dash;
    }
    if (guide_step_complete(r)) {
        *role = UI_R_OK;
        return th->ok;
    }
    /* Nothing missing, but some checks not made yet (x makes them): a
     * dim mark of done. */
    if (r->passed && !r->failed) {
        *role = UI_R_DIM;
        return th->ok;
    }
    /* Under way (something passed, something missing), or not begun. */
    bool under_way = r->passed && r->failed;
    *role = under_way ? UI_R_ERROR : UI_R_DIM;
    return under_way ? th->fail : th->pending;
}

static void step_count(const lab_step_result *r, char *out, size_t n) {
    if (!r->n || r->skipped == r->n)
        out[0] = '\0';
    else
        snprintf(out, n, "%zu/%zu", r->passed, r->n); /* as `lab status` counts */
}

static void check_lines(guide_lines *L, const lab_step_result *r, int step) {
    const ui_theme *th = L->th;
    if (!r->n) {
        wrapped(L, step, 2, 2, "Nothing to check in this step.", UI_R_DIM, 0);
        return;
    }
    char head[96];
    int len = snprintf(head, sizeof head, "%zu out of %zu check%s passed", r->passed, r->n,
                       r->n == 1 ? "" : "s");
    if (r->skipped)
        snprintf(head + len, sizeof head - (size_t)len, ", %zu not checked", r->skipped);
    wrapped(L, step, 2, 2, head, UI_R_HEADING, 0);
    const char *said = NULL;
    for (size_t i = 0; i < r->n; i++) {
        const lab_result *c = &r->r[i];
        guide_line *g = &L->v[wrapped(L, step, 4, 4, c->check->what,
                                      c->status == LAB_SKIP ? UI_R_DIM : UI_R_NORMAL, 0)];
        g->mark = c->status == LAB_PASS ? th->ok : c->status == LAB_FAIL ? th->fail : th->dash;
        g->mark_role = c->status == LAB_PASS   ? UI_R_OK
                       : c->status == LAB_FAIL ? UI_R_ERROR
                                               : UI_R_DIM;
        if (c->status == LAB_PASS || !c->msg[0]) continue;
        /* Checks in a row that miss the same thing say it once, first. */
        if (said && strcmp(said, c->msg) == 0) continue;
        said = c->msg;
        wrapped(L, step, 6, 6, c->msg, c->status == LAB_FAIL ? UI_R_ACCENT : UI_R_DIM, 0);
    }
}

/* The selected step, open: its checks first (they change as the user
 * works; the text does not), then what to do and the values to enter. */
static void body_lines(guide_lines *L, const lab_step *st, const lab_step_result *r) {
    blank(L, st->n);
    check_lines(L, r, st->n);
    blank(L, st->n);
    wrapped(L, st->n, 2, 2, "What to do", UI_R_HEADING, 0);
    paragraphs(L, st->n, st->instructions);
    if (st->nvalues) {
        blank(L, st->n);
        wrapped(L, st->n, 2, 2, "Values to enter", UI_R_HEADING, 0);
        for (size_t i = 0; i < st->nvalues; i++) {
            char *one = xasprintf("%s: %s", st->values[i].field, st->values[i].value);
            wrapped(L, st->n, 2, 4, one, UI_R_NORMAL, strlen(st->values[i].field) + 1);
            free(one);
        }
    }
    blank(L, st->n);
}

#define TITLE_X 6 /* mark, space, two digits, space */

/* A step's line: its title, cut short; wrapped whole when open. The
 * mark, number and count are drawn from the results. */
static void head_lines(guide_lines *L, const lab_step *st, const lab_step_result *r, bool open) {
    char count[32];
    step_count(r, count, sizeof count);
    int room = L->width - TITLE_X - 1 - (count[0] ? (int)strlen(count) + 1 : 0);
    char *title = text_sanitize(st->title);
    if (!open || room < 8) {
        line_add(L, L_HEAD, st->n, TITLE_X, title, strlen(title), UI_R_NORMAL);
    } else {
        guide_line_kind kind = L_HEAD;
        for (const char *p = title; *p; kind = L_HEAD_MORE) {
            size_t k = wrap_at(L->th, p, room);
            line_add(L, kind, st->n, TITLE_X, p, k, UI_R_NORMAL);
            p += k;
            while (*p == ' ')
                p++;
        }
    }
    free(title);
}

void guide_lines_build(guide_lines *L, int sel, const lab_step_result *res) {
    for (int n = 1; n <= LAB_STEPS; n++) {
        const lab_step *st = lab_step_get(n);
        if (!st) continue;
        head_lines(L, st, &res[n - 1], n == sel);
        if (n == sel) body_lines(L, st, &res[n - 1]);
    }
}

/* --- drawing a line -------------------------------------------------------------------- */

static void draw_head(WINDOW *w, const ui_theme *th, const guide_line *g, const lab_step_result *r,
                      int y, int x0, int width, attr_t sel) {
    char count[32] = "";
    if (g->kind == L_HEAD) step_count(r, count, sizeof count);
    int cw = count[0] ? (int)strlen(count) : 0;
    if (g->kind == L_HEAD) {
        ui_role mr;
        const char *mark = step_mark(th, r, &mr);
        wattrset(w, sel ? sel : th->attr[mr]);
        draw_text(w, th, y, x0 + 1, mark, 1);
        char num[8];
        snprintf(num, sizeof num, "%2d", g->step);
        wattrset(w, sel ? sel : th->attr[UI_R_DIM]);
        draw_text(w, th, y, x0 + 3, num, 2);
    }
    int room = width - x0 - TITLE_X - 1 - (cw ? cw + 1 : 0);
    wattrset(w, sel ? sel | A_BOLD : A_NORMAL);
    draw_text(w, th, y, x0 + TITLE_X, g->text, room);
    if (cw) {
        wattrset(w, sel ? sel : th->attr[guide_step_complete(r) ? UI_R_OK : UI_R_DIM]);
        draw_text(w, th, y, width - 1 - cw, count, cw);
    }
}

static void draw_text_line(WINDOW *w, const ui_theme *th, const guide_line *g, int y, int x0,
                           int width) {
    int x = x0 + g->x, room = width - 1 - x;
    if (g->mark) {
        wattrset(w, th->attr[g->mark_role]);
        draw_text(w, th, y, x - 2, g->mark, 1);
    }
    if (g->dim) {
        char *part = xstrndup(g->text, g->dim);
        wattrset(w, th->attr[UI_R_DIM]);
        int used = draw_text(w, th, y, x, part, room);
        free(part);
        x += used;
        room -= used;
    }
    wattrset(w, th->attr[g->role]);
    draw_text(w, th, y, x, g->text + g->dim, room);
}

void guide_line_draw(WINDOW *w, const ui_theme *th, const guide_line *g, const lab_step_result *r,
                     int y, int x0, int width, attr_t sel) {
    if (g->kind == L_TEXT) {
        wattrset(w, A_NORMAL);
        draw_text_line(w, th, g, y, x0, width);
        return;
    }
    if (sel) {
        wattrset(w, sel);
        draw_blank(w, y, x0, width - x0);
    }
    draw_head(w, th, g, r, y, x0, width, sel);
}
