/* The console's widgets without a terminal: the keymap, lists, the tree and
 * the menu (drawing is covered by the end-to-end tests in tmux). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "ui/keymap.h"
#include "ui/list.h"
#include "ui/nav.h"
#include "ui/tree.h"

static void keymap_maps_keys_and_characters_apart(void **state) {
    assert_int_equal(keymap_lookup('k', false), UI_ACT_UP);
    assert_int_equal(keymap_lookup(KEY_UP, true), UI_ACT_UP);
    assert_int_equal(keymap_lookup('j', false), UI_ACT_DOWN);
    assert_int_equal(keymap_lookup('\r', false), UI_ACT_OPEN);
    assert_int_equal(keymap_lookup(KEY_ENTER, true), UI_ACT_OPEN);
    assert_int_equal(keymap_lookup('\t', false), UI_ACT_NEXT_PANE);
    assert_int_equal(keymap_lookup(KEY_BTAB, true), UI_ACT_PREV_PANE);
    assert_int_equal(keymap_lookup(UI_ESC, false), UI_ACT_BACK);
    assert_int_equal(keymap_lookup('?', false), UI_ACT_HELP);
    /* U+0102 has the number of KEY_DOWN: typed as a character it is text. */
    assert_int_equal(KEY_DOWN, 0x102);
    assert_int_equal(keymap_lookup(0x102, false), UI_ACT_NONE);
    assert_int_equal(keymap_lookup(KEY_DOWN, true), UI_ACT_DOWN);
    /* 'k' as a key code would be a different key altogether. */
    assert_int_equal(keymap_lookup('k', true), UI_ACT_NONE);
    assert_int_equal(keymap_lookup('x', false), UI_ACT_RUN);
    assert_int_equal(keymap_lookup('z', false), UI_ACT_NONE);
    assert_int_equal(keymap_lookup(KEY_DC, true), UI_ACT_DELETE);
}

static bool has_action(const ui_binding *b, size_t n, ui_action a) {
    for (size_t i = 0; i < n; i++)
        if (b[i].action == a) return true;
    return false;
}

static void help_lists_only_the_scopes_asked(void **state) {
    ui_binding b[64];
    size_t n = keymap_help(UI_SC_GLOBAL | UI_SC_MOVE | UI_SC_LIST, b, 64);
    assert_true(n > 5);
    assert_true(has_action(b, n, UI_ACT_FILTER));
    assert_true(has_action(b, n, UI_ACT_HELP));
    assert_false(has_action(b, n, UI_ACT_REVEAL));
    assert_false(has_action(b, n, UI_ACT_RIGHT));
    n = keymap_help(UI_SC_GLOBAL | UI_SC_SECRET, b, 64);
    assert_true(has_action(b, n, UI_ACT_REVEAL));
    for (size_t i = 0; i < n; i++) {
        assert_non_null(b[i].keys);
        assert_true(strlen(b[i].help) > 3);
    }
    assert_int_equal(keymap_help(UI_SC_GLOBAL, b, 2), 2);
}

static const ui_col cols[] = {{"Name", 10, 1}, {"ID", 10, 0}};

static void add(ui_list *l, const char *name, const char *id) {
    const char *cells[] = {name, id};
    list_add(l, id, cells);
}

static void fill(ui_list *l) {
    list_clear(l);
    add(l, "ItemsAPI", "a1");
    add(l, "PetStore", "b2");
    add(l, "items-v2", "c3");
    list_done(l);
}

static void list_filters_case_insensitively(void **state) {
    ui_list l;
    list_init(&l, cols, 2);
    fill(&l);
    assert_int_equal(l.nvis, 3);
    list_set_filter(&l, "ITEMS");
    assert_int_equal(l.nvis, 2);
    assert_string_equal(l.rows[l.vis[0]].key, "a1");
    assert_string_equal(l.rows[l.vis[1]].key, "c3");
    list_set_filter(&l, "b2"); /* any column matches */
    assert_int_equal(l.nvis, 1);
    list_set_filter(&l, "nothing");
    assert_int_equal(l.nvis, 0);
    assert_null(list_selected(&l));
    assert_false(list_action(&l, UI_ACT_DOWN));
    list_set_filter(&l, "");
    assert_int_equal(l.nvis, 3);
    list_free(&l);
}

static void list_keeps_selection_across_rebuilds_and_filters(void **state) {
    ui_list l;
    list_init(&l, cols, 2);
    fill(&l);
    assert_true(list_action(&l, UI_ACT_DOWN));
    assert_string_equal(list_selected(&l), "b2");
    /* A refresh that adds a row before it keeps the same row selected. */
    list_clear(&l);
    add(&l, "Another", "z0");
    add(&l, "ItemsAPI", "a1");
    add(&l, "PetStore", "b2");
    list_done(&l);
    assert_string_equal(list_selected(&l), "b2");
    list_set_filter(&l, "pet");
    assert_string_equal(list_selected(&l), "b2");
    list_set_filter(&l, "");
    assert_string_equal(list_selected(&l), "b2");
    /* When the row is gone, the selection falls back to the first. */
    fill(&l);
    list_set_filter(&l, "items");
    assert_string_equal(list_selected(&l), "a1");
    list_free(&l);
}

static void list_moves_within_bounds(void **state) {
    ui_list l;
    list_init(&l, cols, 2);
    fill(&l);
    assert_false(list_action(&l, UI_ACT_UP));
    assert_true(list_action(&l, UI_ACT_END));
    assert_string_equal(list_selected(&l), "c3");
    assert_false(list_action(&l, UI_ACT_DOWN));
    assert_true(list_action(&l, UI_ACT_HOME));
    assert_string_equal(list_selected(&l), "a1");
    assert_true(list_action(&l, UI_ACT_PGDN));
    assert_true(list_click(&l, 2)); /* row 0 is the header */
    assert_string_equal(list_selected(&l), "b2");
    assert_false(list_click(&l, 0));
    assert_false(list_click(&l, 9));
    list_free(&l);
}

static void list_sanitizes_cells(void **state) {
    ui_list l;
    list_init(&l, cols, 2);
    list_clear(&l);
    add(&l, "Evil\x1b[2J\x07Name", "h1");
    list_done(&l);
    assert_string_equal(l.rows[0].cell[0], "Evil?[2J?Name");
    list_free(&l);
}

/* The lab's tree: / → /items → GET, OPTIONS → /{ID} → GET. */
static void lab_tree(ui_tree *t) {
    tree_clear(t);
    tree_add(t, 0, "r:root", "/", "root", "/", 0, 0);
    tree_add(t, 1, "r:items", "/items", "items", "/items", 0, 0);
    tree_add(t, 2, "m:items:GET", "GET", "AWS", "/items GET", 1, 0);
    tree_add(t, 2, "m:items:OPTIONS", "OPTIONS", "MOCK", "/items OPTIONS", 1, 0);
    tree_add(t, 2, "r:id", "/{ID}", "id", "/items/{ID}", 0, 0);
    tree_add(t, 3, "m:id:GET", "GET", "MOCK", "/items/{ID} GET", 1, 0);
    tree_done(t);
}

static const char *shown(const ui_tree *t, size_t v) { return t->nodes[t->vis[v]].key; }

static void tree_guides_mark_last_children(void **state) {
    ui_tree t;
    tree_init(&t);
    lab_tree(&t);
    assert_int_equal(t.nvis, 6);
    /* GET and OPTIONS have a later sibling (/{ID}); /{ID} is the last. */
    assert_false(t.last[2]);
    assert_false(t.last[3]);
    assert_true(t.last[4]);
    assert_true(t.last[5]);
    assert_true(t.last[1]);
    /* Under /{ID} no line continues at depth 2 (it was the last child). */
    assert_int_equal(t.guide[5] >> 2 & 1, 0);
    /* Under /items nothing continues at depth 1: /items was the last too. */
    assert_int_equal(t.guide[2] >> 1 & 1, 0);
    tree_free(&t);
}

static void tree_folds_and_goes_to_parent(void **state) {
    ui_tree t;
    tree_init(&t);
    lab_tree(&t);
    bool unhandled;
    assert_true(tree_action(&t, UI_ACT_DOWN, &unhandled)); /* /items */
    assert_true(tree_action(&t, UI_ACT_LEFT, &unhandled)); /* fold it */
    assert_int_equal(t.nvis, 2);
    assert_false(t.nodes[t.vis[1]].open);
    /* Folding survives a rebuild from fresh data. */
    lab_tree(&t);
    assert_int_equal(t.nvis, 2);
    assert_string_equal(tree_selected(&t)->key, "r:items");
    assert_true(tree_action(&t, UI_ACT_RIGHT, &unhandled));
    assert_int_equal(t.nvis, 6);
    /* Left on a method goes to its resource; on the root, nowhere. */
    assert_true(tree_action(&t, UI_ACT_END, &unhandled));
    assert_string_equal(tree_selected(&t)->key, "m:id:GET");
    assert_true(tree_action(&t, UI_ACT_LEFT, &unhandled));
    assert_string_equal(tree_selected(&t)->key, "r:id");
    tree_action(&t, UI_ACT_HOME, &unhandled);
    assert_true(tree_action(&t, UI_ACT_LEFT, &unhandled)); /* fold the root */
    assert_int_equal(t.nvis, 1);
    assert_false(tree_action(&t, UI_ACT_LEFT, &unhandled));
    assert_true(unhandled);
    tree_free(&t);
}

static void tree_filter_keeps_the_path_to_matches(void **state) {
    ui_tree t;
    tree_init(&t);
    lab_tree(&t);
    tree_set_filter(&t, "options");
    assert_int_equal(t.nvis, 3);
    assert_string_equal(shown(&t, 0), "r:root");
    assert_string_equal(shown(&t, 1), "r:items");
    assert_string_equal(shown(&t, 2), "m:items:OPTIONS");
    /* Matches by full path, so the {ID} subtree is found by "{id}". */
    tree_set_filter(&t, "{id}");
    assert_int_equal(t.nvis, 4);
    assert_string_equal(shown(&t, 3), "m:id:GET");
    tree_set_filter(&t, "nothing");
    assert_int_equal(t.nvis, 0);
    assert_null(tree_selected(&t));
    tree_set_filter(&t, "");
    assert_int_equal(t.nvis, 6);
    tree_free(&t);
}

static void tree_sanitizes_labels(void **state) {
    ui_tree t;
    tree_init(&t);
    tree_clear(&t);
    tree_add(&t, 0, "r:x", "/\x1b]0;pwn\x07", "\x1b[31m", NULL, 0, 0);
    tree_done(&t);
    assert_string_equal(t.nodes[0].label, "/?]0;pwn?");
    assert_string_equal(t.nodes[0].detail, "?[31m");
    assert_string_equal(t.nodes[0].match, "/?]0;pwn?");
    tree_free(&t);
}

static void nav_skips_headings(void **state) {
    ui_nav nv;
    nav_reset(&nv);
    nav_add(&nv, NAV_BACK, "APIs", 0);
    nav_add(&nv, NAV_HEADING, "API: Items\x1b[2J", 0);
    nav_add(&nv, NAV_SECTION, "Resources", 4);
    nav_add(&nv, NAV_SECTION, "Stages", 5);
    assert_string_equal(nv.item[1].label, "API: Items?[2J");
    assert_int_equal(nav_selected(&nv)->kind, NAV_BACK);
    assert_true(nav_move(&nv, 1));
    assert_string_equal(nav_selected(&nv)->label, "Resources");
    assert_true(nav_move(&nv, -1));
    assert_int_equal(nav_selected(&nv)->kind, NAV_BACK);
    assert_false(nav_move(&nv, -1));
    nav_select_section(&nv, 5);
    assert_string_equal(nav_selected(&nv)->label, "Stages");
    assert_false(nav_click(&nv, 2)); /* the heading's row */
    assert_true(nav_click(&nv, 3));
    assert_string_equal(nav_selected(&nv)->label, "Resources");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(keymap_maps_keys_and_characters_apart),
        cmocka_unit_test(help_lists_only_the_scopes_asked),
        cmocka_unit_test(list_filters_case_insensitively),
        cmocka_unit_test(list_keeps_selection_across_rebuilds_and_filters),
        cmocka_unit_test(list_moves_within_bounds),
        cmocka_unit_test(list_sanitizes_cells),
        cmocka_unit_test(tree_guides_mark_last_children),
        cmocka_unit_test(tree_folds_and_goes_to_parent),
        cmocka_unit_test(tree_filter_keeps_the_path_to_matches),
        cmocka_unit_test(tree_sanitizes_labels),
        cmocka_unit_test(nav_skips_headings),
    };
    return cmocka_run_group_tests_name("ui widgets", tests, NULL, NULL);
}
