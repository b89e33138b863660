#ifndef UI_TREE_H
#define UI_TREE_H
/* A tree of rows with guides, folding, a selection and a filter. Nodes are
 * added in pre-order with their depth; folding survives rebuilds by key. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <curses.h>

#include "ui/keymap.h"
#include "ui/theme.h"

typedef struct ui_node {
    char *key;
    char *label;  /* sanitized */
    char *detail; /* sanitized, shown on the right */
    char *match;  /* what the filter looks at (sanitized) */
    int depth;
    int kind;     /* caller's: drawn with the role given at tree_add */
    int role;     /* ui_role of the label */
    bool open;
    bool kids;
} ui_node;

typedef struct ui_tree {
    ui_node *nodes;
    size_t n, cap;
    size_t *vis;     /* shown nodes, in order */
    uint64_t *guide; /* per shown node: bit d set = a line passes at depth d */
    bool *last;      /* per shown node: last shown child of its parent */
    size_t nvis;
    size_t sel, top;
    char *filter;
    char **closed; /* keys of folded nodes */
    size_t nclosed;
    char *pending_key;
    int page;
} ui_tree;

void tree_init(ui_tree *t);
void tree_free(ui_tree *t);
void tree_clear(ui_tree *t);
/* label/detail/match are sanitized here; match NULL = label. */
void tree_add(ui_tree *t, int depth, const char *key, const char *label, const char *detail,
              const char *match, int kind, int role);
void tree_done(ui_tree *t);

void tree_set_filter(ui_tree *t, const char *filter);
const char *tree_filter(const ui_tree *t);
/* Movement, and Left/Right: fold, unfold, go to the parent. Returns true
 * when something changed; *unhandled is set when Left had nowhere to go. */
bool tree_action(ui_tree *t, ui_action a, bool *unhandled);
const ui_node *tree_selected(const ui_tree *t);
void tree_draw(ui_tree *t, WINDOW *w, const ui_theme *th, int y, int x, int h, int width,
               bool focused);
/* Row 0 is the first node row of the area drawn last. */
bool tree_click(ui_tree *t, int row);

#endif
