#ifndef UI_KEYMAP_H
#define UI_KEYMAP_H
/* Every key of the console in one table. The X-macro gives the action
 * enum, the key bindings (up to three per action) and the help screen.
 * Scopes say where an action applies, so help shows only the keys of the
 * pane at hand. */
#include <stdbool.h>
#include <stddef.h>

#include <curses.h>

enum {
    UI_SC_GLOBAL = 1u << 0, /* everywhere */
    UI_SC_MOVE = 1u << 1,   /* any pane with a selection */
    UI_SC_LIST = 1u << 2,   /* filterable lists and trees */
    UI_SC_TREE = 1u << 3,   /* the resources tree */
    UI_SC_NAV = 1u << 4,    /* the navigation pane */
    UI_SC_OPEN = 1u << 5,   /* rows that open something */
    UI_SC_SECRET = 1u << 6, /* panes showing masked values */
    UI_SC_CREATE = 1u << 7, /* panes that create things */
    UI_SC_DELETE = 1u << 8, /* panes that delete things */
    UI_SC_EDIT = 1u << 9,   /* panes whose rows can be edited */
    UI_SC_API = 1u << 10,   /* inside an API: deploy, CORS, tests */
    UI_SC_RUN = 1u << 11,   /* panes that run something (tests, publish) */
    UI_SC_METHOD = 1u << 12, /* panes with a method at hand: CORS, tests */
};

#define UI_CTRL(c) ((c) & 0x1f)
#define UI_ESC 27

/* X(action, scopes, keys as shown in help, what it does, key1, key2, key3).
 * Keys below KEY_MIN are characters; KEY_* are function keys; 0 = none. */
#define UI_KEYMAP(X)                                                                        \
    X(UI_ACT_UP, UI_SC_MOVE, "k  Up", "Move up", 'k', KEY_UP, 0)                            \
    X(UI_ACT_DOWN, UI_SC_MOVE, "j  Down", "Move down", 'j', KEY_DOWN, 0)                    \
    X(UI_ACT_PGUP, UI_SC_MOVE, "PgUp ^B", "Page up", KEY_PPAGE, UI_CTRL('b'), 0)            \
    X(UI_ACT_PGDN, UI_SC_MOVE, "PgDn ^F", "Page down", KEY_NPAGE, UI_CTRL('f'), 0)          \
    X(UI_ACT_HOME, UI_SC_MOVE, "g  Home", "First row", 'g', KEY_HOME, 0)                    \
    X(UI_ACT_END, UI_SC_MOVE, "G  End", "Last row", 'G', KEY_END, 0)                        \
    X(UI_ACT_LEFT, UI_SC_MOVE, "h  Left", "Fold; to the menu", 'h', KEY_LEFT, 0)     \
    X(UI_ACT_RIGHT, UI_SC_TREE | UI_SC_NAV, "l Right", "Unfold; to content", 'l', \
      KEY_RIGHT, 0)                                                                         \
    X(UI_ACT_OPEN, UI_SC_OPEN | UI_SC_NAV, "Enter", "Open", '\r', '\n', KEY_ENTER)          \
    X(UI_ACT_NEXT_PANE, UI_SC_GLOBAL, "Tab", "Next pane", '\t', 0, 0)                       \
    X(UI_ACT_PREV_PANE, UI_SC_GLOBAL, "S-Tab", "Previous pane", KEY_BTAB, 0, 0)             \
    X(UI_ACT_BACK, UI_SC_GLOBAL, "Esc", "Back; drop filter", UI_ESC, 0, 0)             \
    X(UI_ACT_QUIT, UI_SC_GLOBAL, "q", "Back; quit at top", 'q', 0, 0)                   \
    X(UI_ACT_FILTER, UI_SC_LIST, "/", "Filter the list", '/', 0, 0)        \
    X(UI_ACT_REVEAL, UI_SC_SECRET, "v", "Show/mask values", 'v', 0, 0)               \
    X(UI_ACT_CREATE, UI_SC_CREATE, "c", "Create", 'c', 0, 0)                                \
    X(UI_ACT_DELETE, UI_SC_DELETE, "d  Del", "Delete", 'd', KEY_DC, 0)                      \
    X(UI_ACT_EDIT, UI_SC_EDIT, "e", "Edit", 'e', 0, 0)                                      \
    X(UI_ACT_RUN, UI_SC_RUN, "x", "Run (test, publish)", 'x', 0, 0)                         \
    X(UI_ACT_DEPLOY, UI_SC_API, "D", "Deploy the API", 'D', 0, 0)                           \
    X(UI_ACT_CORS, UI_SC_METHOD, "C", "Enable CORS", 'C', 0, 0)                             \
    X(UI_ACT_TEST_METHOD, UI_SC_METHOD, "T", "Test the method", 'T', 0, 0)                  \
    X(UI_ACT_TEST_STAGES, UI_SC_METHOD, "t", "Test every stage", 't', 0, 0)                 \
    X(UI_ACT_ACTIVITY, UI_SC_GLOBAL, "L", "Activity log", 'L', 0, 0)                        \
    X(UI_ACT_GUIDE, UI_SC_GLOBAL, "i", "Lab guide: show/hide", 'i', 0, 0)                  \
    X(UI_ACT_REFRESH, UI_SC_GLOBAL, "r", "Reload the data", 'r', 0, 0)              \
    X(UI_ACT_HELP, UI_SC_GLOBAL, "?", "This help", '?', 0, 0)                               \
    X(UI_ACT_REDRAW, UI_SC_GLOBAL, "^L", "Redraw the screen", UI_CTRL('l'), 0, 0)           \
    X(UI_ACT_CLICK, UI_SC_MOVE, "Mouse", "Select (2x: open)", KEY_MOUSE, 0, 0)

typedef enum ui_action {
    UI_ACT_NONE,
#define UI_KEYMAP_ENUM(id, sc, keys, help, k1, k2, k3) id,
    UI_KEYMAP(UI_KEYMAP_ENUM)
#undef UI_KEYMAP_ENUM
        UI_ACT__COUNT
} ui_action;

/* The actions a pane acts on by itself (create ... test every stage). */
#define UI_ACT_IS_PANE(a) ((a) >= UI_ACT_CREATE && (a) <= UI_ACT_TEST_STAGES)

typedef struct ui_binding {
    ui_action action;
    unsigned scopes;
    const char *keys;
    const char *help;
} ui_binding;

/* The action of a key: ch is a character when is_key is false, a KEY_*
 * code when true (so wide characters never collide with key codes). */
ui_action keymap_lookup(int ch, bool is_key);
/* The bindings whose scopes meet scopes, in table order; returns how many
 * were written to out (at most max). */
size_t keymap_help(unsigned scopes, ui_binding *out, size_t max);
/* Total number of actions, for sizing. */
size_t keymap_count(void);

#endif
