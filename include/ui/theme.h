#ifndef UI_THEME_H
#define UI_THEME_H
/* How things look: attributes per role (colour when the terminal has it and
 * NO_COLOR is unset, plain attributes otherwise) and the glyphs for lines,
 * tree guides, masks and the spinner (ASCII when the locale is not UTF-8). */
#include <stdbool.h>

#include <curses.h>

typedef enum ui_role {
    UI_R_NORMAL,
    UI_R_TITLE,
    UI_R_HEADING,   /* pane headings */
    UI_R_COLHEAD,   /* column headers */
    UI_R_SEL,       /* selected row, pane focused */
    UI_R_SEL_IDLE,  /* selected row, pane not focused */
    UI_R_DIM,
    UI_R_BORDER,
    UI_R_STATUS,
    UI_R_ERROR,
    UI_R_METHOD,    /* HTTP verbs in the resources tree */
    UI_R_ACCENT,    /* spinner, filter prompt */
    UI_R_OK,        /* passed checks, succeeded actions */
    UI_R__COUNT
} ui_role;

typedef struct ui_theme {
    bool color; /* colours in use */
    bool utf8;  /* the locale's codeset is UTF-8 */
    attr_t attr[UI_R__COUNT];
    const char *vline, *hline, *tl, *tr, *bl, *br;
    const char *tree_mid, *tree_last, *tree_pipe, *tree_gap; /* each 3 columns */
    const char *mask, *ellipsis, *back, *dash, *sep, *dot;
    const char *ok, *fail, *pending; /* one column each */
    const char *fold_open, *fold_closed; /* 2 columns each */
    const char *spinner[10];
    int nspinner;
} ui_theme;

/* Decide glyphs from the locale (call after setlocale) and attributes from
 * the terminal (call after the screen is started). NO_COLOR set to a
 * non-empty value turns colour off, as no-color.org asks. */
void theme_init(ui_theme *th, bool utf8, bool want_color);
/* Whether the current locale's codeset is UTF-8. */
bool theme_locale_utf8(void);

#endif
