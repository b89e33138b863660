#include "ui/tree.h"

#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/text.h"
#include "ui/draw.h"

#define MAX_DEPTH 63

void tree_init(ui_tree *t) {
    memset(t, 0, sizeof *t);
    t->filter = xstrdup("");
}

static void free_nodes(ui_tree *t) {
    for (size_t i = 0; i < t->n; i++) {
        free(t->nodes[i].key);
        free(t->nodes[i].label);
        free(t->nodes[i].detail);
        free(t->nodes[i].match);
    }
    t->n = 0;
    t->nvis = 0;
}

void tree_free(ui_tree *t) {
    free_nodes(t);
    free(t->nodes);
    free(t->vis);
    free(t->guide);
    free(t->last);
    free(t->filter);
    for (size_t i = 0; i < t->nclosed; i++) free(t->closed[i]);
    free(t->closed);
    free(t->pending_key);
    memset(t, 0, sizeof *t);
}

const ui_node *tree_selected(const ui_tree *t) { return t->nvis ? &t->nodes[t->vis[t->sel]] : NULL; }

void tree_clear(ui_tree *t) {
    const ui_node *s = tree_selected(t);
    if (s && !t->pending_key) t->pending_key = xstrdup(s->key);
    free_nodes(t);
}

static bool is_closed(const ui_tree *t, const char *key) {
    for (size_t i = 0; i < t->nclosed; i++)
        if (strcmp(t->closed[i], key) == 0) return true;
    return false;
}

static void set_closed(ui_tree *t, const char *key, bool closed) {
    for (size_t i = 0; i < t->nclosed; i++)
        if (strcmp(t->closed[i], key) == 0) {
            if (!closed) {
                free(t->closed[i]);
                t->closed[i] = t->closed[--t->nclosed];
            }
            return;
        }
    if (!closed) return;
    t->closed = xrealloc(t->closed, (t->nclosed + 1) * sizeof *t->closed);
    t->closed[t->nclosed++] = xstrdup(key);
}

void tree_add(ui_tree *t, int depth, const char *key, const char *label, const char *detail,
              const char *match, int kind, int role) {
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 32;
        t->nodes = xrealloc(t->nodes, t->cap * sizeof *t->nodes);
    }
    if (depth < 0) depth = 0;
    if (depth > MAX_DEPTH) depth = MAX_DEPTH;
    if (t->n && depth > t->nodes[t->n - 1].depth + 1) depth = t->nodes[t->n - 1].depth + 1;
    ui_node *nd = &t->nodes[t->n++];
    memset(nd, 0, sizeof *nd);
    nd->key = xstrdup(key);
    nd->label = text_sanitize(label);
    nd->detail = text_sanitize(detail ? detail : "");
    nd->match = text_sanitize(match ? match : label);
    nd->depth = depth;
    nd->kind = kind;
    nd->role = role;
}

/* A node is kept by the filter when it or a descendant matches; its
 * ancestors are then kept too, so the path to a match stays visible. */
static void mark_kept(const ui_tree *t, bool *keep) {
    for (size_t i = 0; i < t->n; i++)
        keep[i] = !t->filter[0] || strcasestr(t->nodes[i].match, t->filter);
    for (size_t i = t->n; i-- > 0;) {
        if (!keep[i]) continue;
        int d = t->nodes[i].depth;
        for (size_t j = i; j-- > 0 && d > 0;)
            if (t->nodes[j].depth < d) {
                keep[j] = true;
                d = t->nodes[j].depth;
            }
    }
}

static void relayout(ui_tree *t, const char *keep_key) {
    size_t cap = t->n ? t->n : 1;
    t->vis = xrealloc(t->vis, cap * sizeof *t->vis);
    t->guide = xrealloc(t->guide, cap * sizeof *t->guide);
    t->last = xrealloc(t->last, cap * sizeof *t->last);
    bool *keep = xcalloc(cap, sizeof *keep);
    mark_kept(t, keep);
    bool filtering = t->filter[0] != '\0';
    t->nvis = 0;
    t->sel = 0;
    int hide_below = -1; /* depth under a folded node */
    for (size_t i = 0; i < t->n; i++) {
        ui_node *nd = &t->nodes[i];
        nd->kids = i + 1 < t->n && t->nodes[i + 1].depth > nd->depth;
        nd->open = filtering || !is_closed(t, nd->key);
        if (hide_below >= 0 && nd->depth > hide_below) continue;
        hide_below = -1;
        if (!keep[i]) continue;
        if (nd->kids && !nd->open) hide_below = nd->depth;
        if (keep_key && strcmp(nd->key, keep_key) == 0) t->sel = t->nvis;
        t->vis[t->nvis++] = i;
    }
    free(keep);
    /* Guides: a shown node is last when no later shown sibling follows. */
    bool open_at[MAX_DEPTH + 1] = {0};
    for (size_t v = t->nvis; v-- > 0;) {
        int d = t->nodes[t->vis[v]].depth;
        t->last[v] = !open_at[d];
        open_at[d] = true;
        for (int k = d + 1; k <= MAX_DEPTH; k++) open_at[k] = false;
    }
    uint64_t lines = 0;
    for (size_t v = 0; v < t->nvis; v++) {
        int d = t->nodes[t->vis[v]].depth;
        lines &= (d >= 64 ? ~0ull : (1ull << d) - 1);
        t->guide[v] = lines;
        if (!t->last[v] && d < 64) lines |= 1ull << d;
    }
    if (t->top > t->sel) t->top = t->sel;
}

void tree_done(ui_tree *t) {
    char *keep = t->pending_key;
    t->pending_key = NULL;
    relayout(t, keep);
    free(keep);
}

static char *selected_key(const ui_tree *t) {
    const ui_node *s = tree_selected(t);
    return s ? xstrdup(s->key) : NULL;
}

void tree_set_filter(ui_tree *t, const char *filter) {
    char *keep = selected_key(t);
    free(t->filter);
    t->filter = xstrdup(filter ? filter : "");
    relayout(t, keep);
    free(keep);
}

const char *tree_filter(const ui_tree *t) { return t->filter; }

static bool fold(ui_tree *t, bool open, bool *unhandled) {
    const ui_node *s = tree_selected(t);
    if (!s) return false;
    if (s->kids && s->open != open && !t->filter[0]) {
        set_closed(t, s->key, !open);
        char *keep = xstrdup(s->key);
        relayout(t, keep);
        free(keep);
        return true;
    }
    if (open) return false;
    /* Left on a leaf or folded node: go to the parent. */
    for (size_t v = t->sel; v-- > 0;)
        if (t->nodes[t->vis[v]].depth < s->depth) {
            t->sel = v;
            return true;
        }
    if (unhandled) *unhandled = true;
    return false;
}

bool tree_action(ui_tree *t, ui_action a, bool *unhandled) {
    if (unhandled) *unhandled = false;
    if (!t->nvis) {
        if (unhandled && a == UI_ACT_LEFT) *unhandled = true;
        return false;
    }
    size_t old = t->sel, last = t->nvis - 1, page = t->page > 1 ? (size_t)t->page - 1 : 1;
    switch (a) {
    case UI_ACT_UP: t->sel = t->sel ? t->sel - 1 : 0; break;
    case UI_ACT_DOWN: t->sel = t->sel < last ? t->sel + 1 : last; break;
    case UI_ACT_PGUP: t->sel = t->sel > page ? t->sel - page : 0; break;
    case UI_ACT_PGDN: t->sel = t->sel + page < last ? t->sel + page : last; break;
    case UI_ACT_HOME: t->sel = 0; break;
    case UI_ACT_END: t->sel = last; break;
    case UI_ACT_LEFT: return fold(t, false, unhandled);
    case UI_ACT_RIGHT: return fold(t, true, unhandled);
    default: return false;
    }
    return t->sel != old;
}

/* The guide columns of shown row v: "│  " or "   " per ancestor level,
 * then "├─ " or "└─ " for the node itself. */
static int draw_guides(const ui_tree *t, WINDOW *w, const ui_theme *th, size_t v, int maxw) {
    const ui_node *nd = &t->nodes[t->vis[v]];
    int used = 0;
    for (int d = 1; d <= nd->depth && used + 3 <= maxw; d++) {
        const char *g;
        if (d < nd->depth)
            g = d < 64 && (t->guide[v] >> d & 1) ? th->tree_pipe : th->tree_gap;
        else
            g = t->last[v] ? th->tree_last : th->tree_mid;
        wattrset(w, th->attr[UI_R_BORDER]);
        waddstr(w, g);
        used += 3;
    }
    return used;
}

static void draw_node(ui_tree *t, WINDOW *w, const ui_theme *th, size_t v, int y, int x, int width,
                      bool sel, bool focused) {
    const ui_node *nd = &t->nodes[t->vis[v]];
    attr_t row = sel ? th->attr[focused ? UI_R_SEL : UI_R_SEL_IDLE] : A_NORMAL;
    wattrset(w, row);
    draw_blank(w, y, x, width);
    wmove(w, y, x + 1);
    int used = 1 + draw_guides(t, w, th, v, width - 1);
    const char *fold = nd->kids ? (nd->open ? th->fold_open : th->fold_closed) : "";
    wattrset(w, sel ? row : th->attr[UI_R_DIM]);
    used += draw_text(w, th, y, x + used, fold, width - used);
    wattrset(w, sel ? row : (attr_t)th->attr[nd->role]);
    used += draw_text(w, th, y, x + used, nd->label, width - used);
    int dw = draw_width(th, nd->detail);
    int room = width - used - 3;
    if (room > 4) {
        int dx = dw < room ? x + width - 1 - dw : x + used + 2;
        wattrset(w, sel ? row : th->attr[UI_R_DIM]);
        draw_text(w, th, y, dx, nd->detail, x + width - 1 - dx);
    }
    wattrset(w, A_NORMAL);
}

void tree_draw(ui_tree *t, WINDOW *w, const ui_theme *th, int y, int x, int h, int width,
               bool focused) {
    t->page = h;
    if (h < 1 || width < 1) return;
    if (t->sel < t->top) t->top = t->sel;
    if (t->sel >= t->top + (size_t)h) t->top = t->sel - (size_t)h + 1;
    for (int i = 0; i < h; i++) {
        size_t v = t->top + (size_t)i;
        if (v < t->nvis)
            draw_node(t, w, th, v, y + i, x, width, v == t->sel, focused);
        else
            draw_blank(w, y + i, x, width);
    }
}

bool tree_click(ui_tree *t, int row) {
    if (row < 0) return false;
    size_t v = t->top + (size_t)row;
    if (v >= t->nvis) return false;
    t->sel = v;
    return true;
}
