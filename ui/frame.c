/* The screen's frame around the panes: title bar, menu, status line, the
 * help overlay and the too-small notice. Only the loop calls frame_draw. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_priv.h"
#include "core/mem.h"
#include "core/text.h"
#include "ui/draw.h"
#include "ui/help.h"

static void draw_title(app *a) {
    WINDOW *w = a->title;
    const ui_theme *th = &a->th;
    wattrset(w, th->attr[UI_R_TITLE]);
    draw_blank(w, 0, 0, a->cols);
    int x = 1 + draw_text(w, th, 0, 1, "apigw-console", a->cols - 2);
    bool lambda = a->cur == SEC_FUNCTIONS || a->ctx == CTX_FUNCTION;
    const char *area = lambda ? "Lambda" : "API Gateway";
    /* A guide covering the content is where the user is. */
    const char *here = app_guide_shown(a) && !a->guide_cols ? a->guide->title : app_top(a)->title;
    char *crumb;
    if (a->ctx == CTX_API) {
        crumb = xasprintf("%s%sAPIs%s%s%s%s", area, th->sep, th->sep, a->api_name, th->sep, here);
    } else if (a->ctx == CTX_FUNCTION) {
        char *fn = text_sanitize(a->fn_name);
        crumb = xasprintf("%s%sFunctions%s%s%s%s", area, th->sep, th->sep, fn, th->sep, here);
        free(fn);
    } else {
        crumb = xasprintf("%s%s%s", area, th->sep, a->cur == SEC_FUNCTIONS ? "Functions" : here);
    }
    char *region = text_sanitize(client_region(a->cl));
    int rw = draw_width(th, region);
    x += draw_text(w, th, 0, x, th->dot, a->cols - x);
    draw_text(w, th, 0, x, crumb, a->cols - x - rw - 3);
    free(crumb);
    if (a->cols - rw - 1 > x) draw_text(w, th, 0, a->cols - rw - 1, region, rw);
    free(region);
    wattrset(w, A_NORMAL);
}

/* Left: the filter being typed, progress, the last error, a note or the
 * main keys. Right: the backend. */
static void draw_status(app *a) {
    WINDOW *w = a->status;
    const ui_theme *th = &a->th;
    wattrset(w, th->attr[UI_R_STATUS]);
    draw_blank(w, 0, 0, a->cols);
    const err *e = mirror_error(a->m);
    char *left;
    attr_t attr = th->attr[UI_R_STATUS];
    if (a->filtering) {
        char *typed = text_sanitize(a->filter);
        left = xasprintf("Filter: %s_   Enter keeps, Esc clears", typed);
        free(typed);
    } else if (a->cx.busy) {
        left = xasprintf("%s Loading%s", th->spinner[a->spin % th->nspinner], th->ellipsis);
    } else if (e) {
        char text[700];
        err_text(e, text, sizeof text);
        left = text_sanitize(text);
        attr = th->attr[UI_R_STATUS] | A_BOLD;
        if (th->color) attr = th->attr[UI_R_ERROR] | A_REVERSE;
    } else if (a->cx.msg[0]) {
        char *text = text_sanitize(a->cx.msg);
        left = a->jobs > 0 ? xasprintf("%s %s", th->spinner[a->spin % th->nspinner], text) : xstrdup(text);
        free(text);
        if (a->cx.msg_error)
            attr = th->color ? th->attr[UI_R_ERROR] | A_REVERSE : th->attr[UI_R_STATUS] | A_BOLD;
    } else if (a->jobs > 0) {
        left = xasprintf("%s Working%s", th->spinner[a->spin % th->nspinner], th->ellipsis);
    } else {
        left = xstrdup("? help  i guide  / filter  r refresh  q quit");
    }
    /* The left side takes what it needs; the backend keeps at least a
     * few columns of its own. */
    const char *where = a->o && a->o->backend ? a->o->backend : "";
    char *full = a->account[0] && !a->cx.offline ? xasprintf("account %s · %s", a->account, where)
                                                 : xstrdup(where);
    char *backend = text_sanitize(full);
    free(full);
    int lw = draw_width(th, left), bw = draw_width(th, backend);
    int spare = a->cols - 3 - lw;
    if (bw > spare) bw = spare > 12 ? spare : 12;
    if (bw > a->cols - 16) bw = 0;
    wattrset(w, attr);
    draw_text(w, th, 0, 1, left, a->cols - 2 - (bw ? bw + 1 : 0));
    free(left);
    wattrset(w, th->attr[UI_R_STATUS]);
    if (bw) draw_text(w, th, 0, a->cols - bw - 1, backend, bw);
    free(backend);
    wattrset(w, A_NORMAL);
}

/* An error too long for the status line is shown whole, wrapped in a box
 * over the bottom of the content, until the next key. */
static void draw_long_error(app *a) {
    const ui_theme *th = &a->th;
    char *text = text_sanitize(a->cx.msg);
    int width = a->content_cols, room = width - 4;
    if (room < 10 || draw_width(th, text) <= a->cols - 4) {
        free(text);
        return;
    }
    const char *lines[6];
    size_t lens[6];
    int n = 0;
    for (const char *p = text; *p && n < 6; n++) {
        size_t k = draw_wrap(th, p, room);
        lines[n] = p;
        lens[n] = k;
        p += k;
        while (*p == ' ') p++;
    }
    int h = n + 2;
    WINDOW *w = newwin(h, width, a->rows - 1 - h, a->nav_cols);
    if (w) {
        attr_t at = th->color ? th->attr[UI_R_ERROR] : A_BOLD;
        wattrset(w, at);
        werase(w);
        box(w, 0, 0);
        for (int i = 0; i < n; i++) {
            char *part = xstrndup(lines[i], lens[i]);
            draw_text(w, th, 1 + i, 2, part, room);
            free(part);
        }
        wnoutrefresh(w);
        delwin(w);
    }
    free(text);
}

/* A form fits the content's width, which the guide beside it narrows
 * (modal_draw sizes forms to the whole width right of the menu). */
static void draw_small(app *a) {
    char text[64];
    snprintf(text, sizeof text, "terminal too small (need %dx%d)", MIN_COLS, MIN_ROWS);
    werase(stdscr);
    int len = (int)strlen(text);
    int x = a->cols > len ? (a->cols - len) / 2 : 0;
    mvwaddnstr(stdscr, a->rows / 2, x, text, a->cols);
    wnoutrefresh(stdscr);
}

void frame_draw(app *a) {
    if (a->small) {
        draw_small(a);
    } else {
        unsigned d = a->dirty;
        if (d & UI_DIRTY_TITLE) {
            draw_title(a);
            wnoutrefresh(a->title);
        }
        if (d & UI_DIRTY_NAV) {
            nav_draw(&a->nav, a->navw, &a->th, a->rows - 2, a->nav_cols, a->focus_nav);
            wnoutrefresh(a->navw);
        }
        if (d & UI_DIRTY_CONTENT) {
            /* On a narrow screen the guide, when shown, takes the content's place. */
            bool cover = app_guide_shown(a) && !a->guide_cols;
            werase(a->content);
            pane_draw(cover ? a->guide : app_top(a), &a->cx, a->content, a->rows - 2, a->content_cols,
                      cover ? app_guide_keys(a) : !a->focus_nav && !a->focus_guide);
            wnoutrefresh(a->content);
            if (a->guidew) {
                werase(a->guidew);
                pane_draw(a->guide, &a->cx, a->guidew, a->rows - 2, a->guide_cols, app_guide_keys(a));
                wnoutrefresh(a->guidew);
            }
        }
        if (d & UI_DIRTY_STATUS) {
            draw_status(a);
            wnoutrefresh(a->status);
        }
        if (d & (UI_DIRTY_CONTENT | UI_DIRTY_STATUS)) modal_draw(a);
        if (a->cx.msg_error && a->cx.msg[0] && !modal_active(a)) draw_long_error(a);
        if (a->help) {
            if (!a->overlay) {
                const pane *p = app_guide_keys(a) ? a->guide : app_top(a);
                unsigned scopes = UI_SC_GLOBAL | (a->focus_nav ? UI_SC_NAV | UI_SC_MOVE : p->scopes);
                char *title = xasprintf("Keys%s%s", a->th.sep, a->focus_nav ? "Menu" : p->title);
                a->overlay = help_window(&a->th, scopes, title, a->rows, a->cols);
                free(title);
            }
            if (a->overlay) {
                touchwin(a->overlay);
                wnoutrefresh(a->overlay);
            }
        }
    }
    doupdate();
    a->dirty = 0;
}

