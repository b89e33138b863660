/* Keys and mouse: what each does in the pane at hand, the filter being
 * typed, and going back. Handlers return UI_DIRTY_* and never draw. */
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "app_priv.h"
#include "core/clock.h"
#include "ui/guide.h"
#include "ui/keymap.h"

#define DOUBLE_CLICK_MS 400

unsigned input_close_help(app *a) {
    a->help = false;
    if (a->overlay) delwin(a->overlay);
    a->overlay = NULL;
    return UI_DIRTY_ALL;
}

static unsigned after_pane(app *a, unsigned d) {
    if (a->cx.open_api[0]) {
        char id[sizeof a->cx.open_api];
        snprintf(id, sizeof id, "%s", a->cx.open_api);
        a->cx.open_api[0] = '\0';
        app_open_api(a, id);
        d |= UI_DIRTY_ALL;
    }
    if (a->cx.msg[0]) d |= UI_DIRTY_STATUS;
    return d;
}

/* To the pane with the keys: the content's, or the lab guide. Beside the
 * content, the guide passes Left and the panes' own keys (c, d, e...) on
 * to the content, with the focus. */
static unsigned content_action(app *a, ui_action act) {
    bool unhandled, guide = app_guide_keys(a);
    unsigned d = pane_action(guide ? a->guide : app_top(a), &a->cx, act, &unhandled);
    if (unhandled && guide && app_guide_beside(a)) {
        a->focus_guide = false;
        d |= UI_DIRTY_CONTENT;
        if (act != UI_ACT_LEFT) d |= pane_action(app_top(a), &a->cx, act, &unhandled);
    } else if (unhandled && act == UI_ACT_LEFT) {
        a->focus_nav = true;
        a->focus_guide = false;
        d |= UI_DIRTY_NAV | UI_DIRTY_CONTENT;
    } else if (unhandled && guide) {
        snprintf(a->cx.msg, sizeof a->cx.msg, "The lab guide covers the panes: i hides it");
    }
    return after_pane(a, d);
}

/* Tab: the menu, the content, and the guide when it is beside them. */
static unsigned next_focus(app *a, bool forward) {
    if (!app_guide_beside(a)) {
        a->focus_nav = !a->focus_nav;
        a->focus_guide = false;
        return UI_DIRTY_NAV | UI_DIRTY_CONTENT;
    }
    int at = a->focus_nav ? 0 : a->focus_guide ? 2 : 1;
    at = (at + (forward ? 1 : 2)) % 3;
    a->focus_nav = at == 0;
    a->focus_guide = at == 2;
    return UI_DIRTY_NAV | UI_DIRTY_CONTENT;
}

static unsigned nav_follow(app *a) {
    const nav_item *it = nav_selected(&a->nav);
    if (it && it->kind == NAV_SECTION && (section)it->section != a->cur) {
        app_clear_stack(a);
        a->cur = (section)it->section;
        if (!app_guide_beside(a)) app_hide_guide(a); /* show the section chosen */
    }
    return UI_DIRTY_ALL;
}

static unsigned nav_action(app *a, ui_action act) {
    const nav_item *it = nav_selected(&a->nav);
    switch (act) {
    case UI_ACT_UP: return nav_move(&a->nav, -1) ? nav_follow(a) : 0;
    case UI_ACT_DOWN: return nav_move(&a->nav, 1) ? nav_follow(a) : 0;
    case UI_ACT_HOME:
    case UI_ACT_PGUP: return nav_home(&a->nav, false) ? nav_follow(a) : 0;
    case UI_ACT_END:
    case UI_ACT_PGDN: return nav_home(&a->nav, true) ? nav_follow(a) : 0;
    case UI_ACT_RIGHT:
    case UI_ACT_OPEN:
        if (it && it->kind == NAV_BACK) {
            app_close_context(a);
            return UI_DIRTY_ALL;
        }
        a->focus_nav = false;
        return UI_DIRTY_NAV | UI_DIRTY_CONTENT;
    default: return 0;
    }
}

/* Esc and q: leave the filter, then the detail view, then the API or
 * function; q at the top quits. */
static unsigned go_back(app *a, bool quit_at_top) {
    pane *p = app_top(a);
    if (app_guide_keys(a)) { /* out of the guide: to the content beside, or away */
        if (app_guide_beside(a))
            a->focus_guide = false;
        else
            app_hide_guide(a);
        return UI_DIRTY_ALL;
    }
    if (!quit_at_top && pane_filter(p)[0]) {
        pane_set_filter(p, "");
        return UI_DIRTY_CONTENT;
    }
    if (a->depth) {
        app_pop(a);
        return UI_DIRTY_ALL;
    }
    if (a->ctx != CTX_ACCOUNT) {
        app_close_context(a); /* the list still has it selected */
        return UI_DIRTY_ALL;
    }
    if (quit_at_top) a->quit = true;
    return 0;
}

static void utf8_append(char *s, size_t cap, wint_t wc) {
    char enc[8];
    size_t n;
    if (wc < 0x80) {
        enc[0] = (char)wc;
        n = 1;
    } else if (wc < 0x800) {
        enc[0] = (char)(0xC0 | (wc >> 6));
        enc[1] = (char)(0x80 | (wc & 0x3F));
        n = 2;
    } else if (wc < 0x10000) {
        enc[0] = (char)(0xE0 | (wc >> 12));
        enc[1] = (char)(0x80 | ((wc >> 6) & 0x3F));
        enc[2] = (char)(0x80 | (wc & 0x3F));
        n = 3;
    } else {
        enc[0] = (char)(0xF0 | (wc >> 18));
        enc[1] = (char)(0x80 | ((wc >> 12) & 0x3F));
        enc[2] = (char)(0x80 | ((wc >> 6) & 0x3F));
        enc[3] = (char)(0x80 | (wc & 0x3F));
        n = 4;
    }
    size_t len = strlen(s);
    if (len + n + 1 > cap) return;
    memcpy(s + len, enc, n);
    s[len + n] = '\0';
}

static void utf8_pop(char *s) {
    size_t len = strlen(s);
    while (len > 0 && ((unsigned char)s[len - 1] & 0xC0) == 0x80) len--;
    if (len > 0) len--;
    s[len] = '\0';
}

/* Keys while typing a filter: the list narrows with every key. */
static unsigned filter_key(app *a, int ch, bool is_key) {
    pane *p = app_top(a);
    if ((!is_key && (ch == '\r' || ch == '\n')) || (is_key && ch == KEY_ENTER)) {
        a->filtering = false;
        return UI_DIRTY_STATUS | UI_DIRTY_CONTENT;
    }
    if (!is_key && ch == UI_ESC) {
        a->filtering = false;
        pane_set_filter(p, "");
        return UI_DIRTY_STATUS | UI_DIRTY_CONTENT;
    }
    if ((is_key && ch == KEY_BACKSPACE) || (!is_key && (ch == 127 || ch == 8)))
        utf8_pop(a->filter);
    else if (!is_key && ch == UI_CTRL('u'))
        a->filter[0] = '\0';
    else if (!is_key && ch >= 0x20 && ch != 0x7F)
        utf8_append(a->filter, sizeof a->filter, (wint_t)ch);
    else if (is_key) {
        ui_action act = keymap_lookup(ch, true);
        if (act == UI_ACT_UP || act == UI_ACT_DOWN || act == UI_ACT_PGUP || act == UI_ACT_PGDN)
            return content_action(a, act);
        return 0;
    } else
        return 0;
    pane_set_filter(p, a->filter);
    return UI_DIRTY_STATUS | UI_DIRTY_CONTENT;
}

static unsigned mouse(app *a) {
    MEVENT ev;
    if (getmouse(&ev) != OK) return 0;
    if (a->help) return input_close_help(a);
    if (a->small || ev.y < 1 || ev.y >= a->rows - 1) return 0;
    if (modal_active(a)) {
        if (ev.x < a->nav_cols || ev.x >= a->nav_cols + a->content_cols ||
            !(ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)))
            return 0;
        return modal_click(a, ev.y - 1, ev.x - a->nav_cols);
    }
    bool in_nav = ev.x < a->nav_cols;
    int guide_x = a->guide_cols ? a->nav_cols + a->content_cols : app_guide_shown(a) ? a->nav_cols : -1;
    bool in_guide = !in_nav && guide_x >= 0 && ev.x >= guide_x;
    if (ev.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
        ui_action act = ev.bstate & BUTTON4_PRESSED ? UI_ACT_UP : UI_ACT_DOWN;
        if (in_guide) return guide_scroll(a->guide, act == UI_ACT_UP ? -3 : 3);
        unsigned d = 0;
        for (int i = 0; i < 3; i++) d |= in_nav ? nav_action(a, act) : content_action(a, act);
        return d;
    }
    if (!(ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED))) return 0;
    int64_t now = clock_mono_ms();
    bool dbl = (ev.bstate & BUTTON1_DOUBLE_CLICKED) ||
               (now - a->click_ms < DOUBLE_CLICK_MS && ev.y == a->click_y && ev.x / 4 == a->click_x / 4);
    a->click_ms = dbl ? 0 : now;
    a->click_y = ev.y;
    a->click_x = ev.x;
    if (in_nav) {
        if (!nav_click(&a->nav, ev.y - 1)) return 0;
        const nav_item *it = nav_selected(&a->nav);
        if (it->kind == NAV_BACK) {
            app_close_context(a);
            return UI_DIRTY_ALL;
        }
        a->focus_nav = true;
        return nav_follow(a);
    }
    unsigned d = a->focus_nav || a->focus_guide != in_guide ? UI_DIRTY_NAV | UI_DIRTY_CONTENT : 0;
    a->focus_nav = false;
    a->focus_guide = in_guide;
    if (in_guide) return after_pane(a, d | pane_click(a->guide, &a->cx, ev.y - 1, ev.x - guide_x, dbl));
    d |= pane_click(app_top(a), &a->cx, ev.y - 1, ev.x - a->nav_cols, dbl);
    return after_pane(a, d);
}

unsigned input_key(app *a, int ch, bool is_key) {
    if (is_key && ch == KEY_RESIZE) {
        app_layout(a);
        return UI_DIRTY_ALL;
    }
    unsigned d = 0;
    if (a->cx.msg[0]) {
        d |= a->cx.msg_error ? UI_DIRTY_ALL : UI_DIRTY_STATUS; /* an error box may cover the content */
        a->cx.msg[0] = '\0';
        a->cx.msg_error = false;
    }
    if (a->help) return ch == KEY_MOUSE && is_key ? mouse(a) : input_close_help(a);
    if (modal_active(a) && !a->small) {
        if (is_key && ch == KEY_MOUSE) return d | mouse(a);
        return d | after_pane(a, modal_key(a, ch, is_key));
    }
    if (a->filtering) return d | filter_key(a, ch, is_key);
    ui_action act = keymap_lookup(ch, is_key);
    if (a->small) {
        if (act == UI_ACT_QUIT) a->quit = true;
        return d;
    }
    switch (act) {
    case UI_ACT_NONE: return d;
    case UI_ACT_QUIT: return d | go_back(a, true);
    case UI_ACT_BACK: return d | go_back(a, false);
    case UI_ACT_HELP: a->help = true; return d | UI_DIRTY_ALL;
    case UI_ACT_REFRESH: app_reload(a); a->cx.busy = true; return d | UI_DIRTY_ALL;
    case UI_ACT_REDRAW: clearok(curscr, TRUE); return UI_DIRTY_ALL;
    case UI_ACT_NEXT_PANE:
    case UI_ACT_PREV_PANE: return d | next_focus(a, act == UI_ACT_NEXT_PANE);
    case UI_ACT_GUIDE: app_toggle_guide(a); return d | UI_DIRTY_ALL;
    case UI_ACT_CLICK: return d | mouse(a);
    case UI_ACT_FILTER:
        if (!app_top(a)->ops->set_filter || (app_guide_keys(a) && !app_guide_beside(a))) return d;
        a->focus_nav = false;
        a->focus_guide = false;
        a->filtering = true;
        snprintf(a->filter, sizeof a->filter, "%s", pane_filter(app_top(a)));
        return d | UI_DIRTY_ALL;
    case UI_ACT_ACTIVITY:
        if (!app_guide_beside(a)) app_hide_guide(a); /* the log goes where the guide covers */
        if (a->depth && app_top(a)->ops == a->pane[SEC_ACTIVITY]->ops) {
            app_pop(a); /* L again closes it */
            return d | UI_DIRTY_ALL;
        }
        ui_push(&a->cx, pane_activity_new());
        return d | UI_DIRTY_ALL;
    default: break;
    }
    if (act == UI_ACT_DEPLOY && a->ctx == CTX_API) {
        ui_deploy(&a->cx, NULL);
        return d | UI_DIRTY_ALL;
    }
    /* A pane's own actions go to the content even from the menu. */
    if (UI_ACT_IS_PANE(act)) {
        a->focus_nav = false;
        return d | UI_DIRTY_NAV | content_action(a, act);
    }
    return d | (a->focus_nav ? nav_action(a, act) : content_action(a, act));
}
