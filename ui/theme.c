#include "ui/theme.h"

#include <langinfo.h>
#include <stdlib.h>
#include <string.h>

bool theme_locale_utf8(void) {
    const char *cs = nl_langinfo(CODESET);
    return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

static void glyphs(ui_theme *th) {
    static const char *const braille[] = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
    static const char *const ascii[] = {"|", "/", "-", "\\"};
    if (th->utf8) {
        th->vline = "│", th->hline = "─", th->tl = "┌", th->tr = "┐", th->bl = "└", th->br = "┘";
        th->tree_mid = "├─ ", th->tree_last = "└─ ", th->tree_pipe = "│  ", th->tree_gap = "   ";
        th->mask = "••••", th->ellipsis = "…", th->back = "‹", th->dash = "—";
        th->sep = " › ", th->dot = " · ";
        th->ok = "✓", th->fail = "✗", th->pending = "…";
        th->fold_open = "▾ ", th->fold_closed = "▸ ";
        th->nspinner = 10;
        for (int i = 0; i < 10; i++) th->spinner[i] = braille[i];
    } else {
        th->vline = "|", th->hline = "-", th->tl = "+", th->tr = "+", th->bl = "+", th->br = "+";
        th->tree_mid = "|- ", th->tree_last = "`- ", th->tree_pipe = "|  ", th->tree_gap = "   ";
        th->mask = "****", th->ellipsis = "~", th->back = "<", th->dash = "-";
        th->sep = " > ", th->dot = " - ";
        th->ok = "+", th->fail = "x", th->pending = ".";
        th->fold_open = "- ", th->fold_closed = "+ ";
        th->nspinner = 4;
        for (int i = 0; i < 4; i++) th->spinner[i] = ascii[i];
    }
}

enum { P_TITLE = 1, P_SEL, P_DIM, P_ERROR, P_METHOD, P_ACCENT, P_HEADING, P_BORDER };

static void colors(ui_theme *th) {
    use_default_colors();
    init_pair(P_TITLE, COLOR_WHITE, COLOR_BLUE);
    init_pair(P_SEL, COLOR_BLACK, COLOR_CYAN);
    init_pair(P_DIM, COLOR_BLUE, -1);
    init_pair(P_ERROR, COLOR_RED, -1);
    init_pair(P_METHOD, COLOR_GREEN, -1);
    init_pair(P_ACCENT, COLOR_YELLOW, -1);
    init_pair(P_HEADING, COLOR_CYAN, -1);
    init_pair(P_BORDER, COLOR_BLUE, -1);
    th->attr[UI_R_TITLE] = COLOR_PAIR(P_TITLE) | A_BOLD;
    th->attr[UI_R_HEADING] = COLOR_PAIR(P_HEADING) | A_BOLD;
    th->attr[UI_R_COLHEAD] = A_BOLD | A_UNDERLINE;
    th->attr[UI_R_SEL] = COLOR_PAIR(P_SEL);
    th->attr[UI_R_SEL_IDLE] = A_REVERSE;
    th->attr[UI_R_DIM] = COLOR_PAIR(P_DIM);
    th->attr[UI_R_BORDER] = COLOR_PAIR(P_BORDER);
    th->attr[UI_R_STATUS] = A_REVERSE;
    th->attr[UI_R_ERROR] = COLOR_PAIR(P_ERROR) | A_BOLD;
    th->attr[UI_R_METHOD] = COLOR_PAIR(P_METHOD) | A_BOLD;
    th->attr[UI_R_ACCENT] = COLOR_PAIR(P_ACCENT) | A_BOLD;
    th->attr[UI_R_OK] = COLOR_PAIR(P_METHOD);
}

static void monochrome(ui_theme *th) {
    th->attr[UI_R_TITLE] = A_REVERSE | A_BOLD;
    th->attr[UI_R_HEADING] = A_BOLD;
    th->attr[UI_R_COLHEAD] = A_BOLD | A_UNDERLINE;
    th->attr[UI_R_SEL] = A_REVERSE;
    th->attr[UI_R_SEL_IDLE] = A_UNDERLINE;
    th->attr[UI_R_DIM] = A_DIM;
    th->attr[UI_R_BORDER] = A_NORMAL;
    th->attr[UI_R_STATUS] = A_REVERSE;
    th->attr[UI_R_ERROR] = A_BOLD;
    th->attr[UI_R_METHOD] = A_BOLD;
    th->attr[UI_R_ACCENT] = A_BOLD;
}

void theme_init(ui_theme *th, bool utf8, bool want_color) {
    memset(th, 0, sizeof *th);
    th->utf8 = utf8;
    glyphs(th);
    const char *no_color = getenv("NO_COLOR");
    th->color = want_color && has_colors() && !(no_color && *no_color);
    if (th->color && start_color() == OK)
        colors(th);
    else {
        th->color = false;
        monochrome(th);
    }
}
