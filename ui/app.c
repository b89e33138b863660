/* The console's loop: one poll() over the terminal, the resize self-pipe
 * and the transport. Input handlers only say what changed; the loop draws
 * (wnoutrefresh per window, one doupdate) and sleeps without a timeout
 * while nothing is under way. */
#include "ui/app.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/mirror.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"
#include "ui/draw.h"
#include "ui/help.h"
#include "ui/keymap.h"
#include "ui/nav.h"
#include "ui/pane.h"
#include "ui/term.h"
#include "ui/theme.h"

#define MIN_COLS 60
#define MIN_ROWS 16
#define SPIN_MS 100
#define DOUBLE_CLICK_MS 400
#define MAX_POLLFDS 32

typedef enum section {
    SEC_APIS,
    SEC_PLANS,
    SEC_KEYS,
    SEC_FUNCTIONS,
    SEC_RESOURCES,
    SEC_STAGES,
    SEC_MODELS,
    SEC__COUNT
} section;

#define FIRST_API_SECTION SEC_RESOURCES

typedef struct app {
    client *cl;
    transport *t;
    mirror *m;
    const ui_opts *o;
    ui_term term;
    ui_theme th;
    ui_ctx cx;
    pane *pane[SEC__COUNT];
    ui_nav nav;
    section cur;
    bool in_api;
    char api_id[128];
    char *api_name; /* sanitized */
    bool focus_nav;
    bool help;
    bool filtering;
    char filter[256];
    WINDOW *title, *navw, *content, *status, *input, *overlay;
    int rows, cols, nav_cols;
    bool small;
    unsigned dirty;
    unsigned long gen;
    bool synced;
    int spin;
    int64_t spin_next;
    int64_t click_ms;
    int click_y, click_x;
    bool quit;
} app;

/* --- mirror ---------------------------------------------------------------- */

/* Until the lists came back once, panes say "loading" or "not loaded"
 * rather than "none yet". */
static void on_lists(void *ud, const err *e) {
    app *a = ud;
    if (!e) a->cx.lists_loaded = true;
}

static void reload(app *a) {
    mirror_refresh(a->m, on_lists, a);
    if (a->in_api) mirror_refresh_api(a->m, a->api_id, NULL, NULL);
}

static const cJSON *find_api(const app *a, const char *id) {
    const cJSON *it;
    cJSON_ArrayForEach(it, mirror_apis(a->m)) {
        if (strcmp(json_str_or(it, "id", ""), id) == 0) return it;
    }
    return NULL;
}

static void set_api_name(app *a) {
    const cJSON *api = find_api(a, a->api_id);
    free(a->api_name);
    a->api_name = text_sanitize(api ? json_str_or(api, "name", a->api_id) : a->api_id);
    a->cx.api_name = a->api_name;
}

static void build_nav(app *a);
static void close_api(app *a);

/* Rebuild the panes after the mirror changed. */
static void sync(app *a) {
    a->cx.busy = mirror_busy(a->m);
    if (a->synced && mirror_generation(a->m) == a->gen) return;
    a->synced = true;
    a->gen = mirror_generation(a->m);
    if (a->in_api && a->cx.lists_loaded && !mirror_error(a->m) && !find_api(a, a->api_id)) {
        close_api(a);
        snprintf(a->cx.msg, sizeof a->cx.msg, "The API is gone: it was deleted");
    }
    if (a->in_api) {
        set_api_name(a);
        build_nav(a);
    }
    for (int s = 0; s < SEC__COUNT; s++)
        if (s < FIRST_API_SECTION || a->in_api) pane_sync(a->pane[s], &a->cx);
    a->dirty |= UI_DIRTY_ALL;
}

/* --- navigation -------------------------------------------------------------- */

static void build_nav(app *a) {
    nav_reset(&a->nav);
    if (a->in_api) {
        nav_add(&a->nav, NAV_BACK, "APIs", SEC_APIS);
        char *head = xasprintf("API: %s", a->api_name ? a->api_name : a->api_id);
        nav_add(&a->nav, NAV_HEADING, head, 0);
        free(head);
        for (int s = FIRST_API_SECTION; s < SEC__COUNT; s++)
            nav_add(&a->nav, NAV_SECTION, a->pane[s]->title, s);
    } else {
        for (int s = 0; s < FIRST_API_SECTION; s++) nav_add(&a->nav, NAV_SECTION, a->pane[s]->title, s);
    }
    nav_select_section(&a->nav, (int)a->cur);
}

static void open_api(app *a, const char *id) {
    snprintf(a->api_id, sizeof a->api_id, "%s", id);
    a->in_api = true;
    a->cx.api_id = a->api_id;
    set_api_name(a);
    /* Fresh panes: folding and filters belong to the API they were set on. */
    pane *(*const make[])(void) = {pane_resources_new, pane_stages_new, pane_models_new};
    for (int s = FIRST_API_SECTION; s < SEC__COUNT; s++) {
        pane_destroy(a->pane[s]);
        a->pane[s] = make[s - FIRST_API_SECTION]();
    }
    a->cur = SEC_RESOURCES;
    build_nav(a);
    a->focus_nav = false;
    mirror_refresh_api(a->m, a->api_id, NULL, NULL);
    a->synced = false;
}

static void close_api(app *a) {
    a->in_api = false;
    a->cx.api_id = NULL;
    a->cx.api_name = NULL;
    a->cur = SEC_APIS;
    build_nav(a);
    a->focus_nav = false;
}

/* --- drawing ------------------------------------------------------------------ */

static void draw_title(app *a) {
    WINDOW *w = a->title;
    const ui_theme *th = &a->th;
    wattrset(w, th->attr[UI_R_TITLE]);
    draw_blank(w, 0, 0, a->cols);
    int x = 1 + draw_text(w, th, 0, 1, "apigw-console", a->cols - 2);
    const char *area = a->cur == SEC_FUNCTIONS ? "Lambda" : "API Gateway";
    char *crumb;
    if (a->in_api)
        crumb = xasprintf("%s%sAPIs%s%s%s%s", area, th->sep, th->sep, a->api_name, th->sep,
                          a->pane[a->cur]->title);
    else
        crumb = xasprintf("%s%s%s", area, th->sep, a->cur == SEC_FUNCTIONS ? "Functions" : a->pane[a->cur]->title);
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
    char *backend = text_sanitize(a->o && a->o->backend ? a->o->backend : "");
    int bw = draw_width(th, backend);
    if (bw > a->cols / 2) bw = a->cols / 2;
    int room = a->cols - bw - 3;
    const err *e = mirror_error(a->m);
    char *left;
    attr_t attr = th->attr[UI_R_STATUS];
    if (a->filtering) {
        char *typed = text_sanitize(a->filter);
        left = xasprintf("Filter: %s_", typed);
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
        left = text_sanitize(a->cx.msg);
    } else {
        left = xstrdup("? help  / filter  r refresh  q quit");
    }
    wattrset(w, attr);
    draw_text(w, th, 0, 1, left, room);
    free(left);
    wattrset(w, th->attr[UI_R_STATUS]);
    draw_text(w, th, 0, a->cols - bw - 1, backend, bw);
    free(backend);
    wattrset(w, A_NORMAL);
}

static void draw_small(app *a) {
    char text[64];
    snprintf(text, sizeof text, "terminal too small (need %dx%d)", MIN_COLS, MIN_ROWS);
    werase(stdscr);
    int len = (int)strlen(text);
    int x = a->cols > len ? (a->cols - len) / 2 : 0;
    mvwaddnstr(stdscr, a->rows / 2, x, text, a->cols);
    wnoutrefresh(stdscr);
}

static void draw(app *a) {
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
            werase(a->content);
            pane_draw(a->pane[a->cur], &a->cx, a->content, a->rows - 2, a->cols - a->nav_cols,
                      !a->focus_nav);
            wnoutrefresh(a->content);
        }
        if (d & UI_DIRTY_STATUS) {
            draw_status(a);
            wnoutrefresh(a->status);
        }
        if (a->help) {
            if (!a->overlay) {
                unsigned scopes = UI_SC_GLOBAL | (a->focus_nav ? UI_SC_NAV | UI_SC_MOVE : a->pane[a->cur]->scopes);
                char *title = xasprintf("Keys%s%s", a->th.sep, a->focus_nav ? "Menu" : a->pane[a->cur]->title);
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

/* --- layout ------------------------------------------------------------------- */

static void drop_windows(app *a) {
    WINDOW **ws[] = {&a->title, &a->navw, &a->content, &a->status, &a->overlay};
    for (size_t i = 0; i < sizeof ws / sizeof *ws; i++)
        if (*ws[i]) {
            delwin(*ws[i]);
            *ws[i] = NULL;
        }
}

static void layout(app *a) {
    drop_windows(a);
    getmaxyx(stdscr, a->rows, a->cols);
    a->small = a->cols < MIN_COLS || a->rows < MIN_ROWS;
    a->dirty = UI_DIRTY_ALL;
    if (a->small) return;
    a->nav_cols = a->cols >= 80 ? 22 : 20;
    a->title = newwin(1, a->cols, 0, 0);
    a->navw = newwin(a->rows - 2, a->nav_cols, 1, 0);
    a->content = newwin(a->rows - 2, a->cols - a->nav_cols, 1, a->nav_cols);
    a->status = newwin(1, a->cols, a->rows - 1, 0);
    if (!a->title || !a->navw || !a->content || !a->status) {
        drop_windows(a);
        a->small = true;
    }
}

/* --- input -------------------------------------------------------------------- */

static unsigned close_help(app *a) {
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
        open_api(a, id);
        d |= UI_DIRTY_ALL;
    }
    if (a->cx.msg[0]) d |= UI_DIRTY_STATUS;
    return d;
}

static unsigned content_action(app *a, ui_action act) {
    bool unhandled;
    unsigned d = pane_action(a->pane[a->cur], &a->cx, act, &unhandled);
    if (unhandled && act == UI_ACT_LEFT) {
        a->focus_nav = true;
        d |= UI_DIRTY_NAV | UI_DIRTY_CONTENT;
    }
    return after_pane(a, d);
}

static unsigned nav_follow(app *a) {
    const nav_item *it = nav_selected(&a->nav);
    if (it && it->kind == NAV_SECTION) a->cur = (section)it->section;
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
            close_api(a);
            return UI_DIRTY_ALL;
        }
        a->focus_nav = false;
        return UI_DIRTY_NAV | UI_DIRTY_CONTENT;
    default: return 0;
    }
}

/* Esc and q: leave the filter, then the API; q at the top quits. */
static unsigned go_back(app *a, bool quit_at_top) {
    pane *p = a->pane[a->cur];
    if (!quit_at_top && pane_filter(p)[0]) {
        pane_set_filter(p, "");
        return UI_DIRTY_CONTENT;
    }
    if (a->in_api) {
        close_api(a); /* the APIs list still has it selected */
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
    pane *p = a->pane[a->cur];
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
    if (a->help) return close_help(a);
    if (a->small || ev.y < 1 || ev.y >= a->rows - 1) return 0;
    bool in_nav = ev.x < a->nav_cols;
    if (ev.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
        ui_action act = ev.bstate & BUTTON4_PRESSED ? UI_ACT_UP : UI_ACT_DOWN;
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
            close_api(a);
            return UI_DIRTY_ALL;
        }
        a->focus_nav = true;
        return nav_follow(a);
    }
    unsigned d = a->focus_nav ? UI_DIRTY_NAV | UI_DIRTY_CONTENT : 0;
    a->focus_nav = false;
    d |= pane_click(a->pane[a->cur], &a->cx, ev.y - 1, ev.x - a->nav_cols, dbl);
    return after_pane(a, d);
}

static unsigned key(app *a, int ch, bool is_key) {
    if (is_key && ch == KEY_RESIZE) {
        layout(a);
        return UI_DIRTY_ALL;
    }
    unsigned d = 0;
    if (a->cx.msg[0]) {
        a->cx.msg[0] = '\0';
        d |= UI_DIRTY_STATUS;
    }
    if (a->help) return ch == KEY_MOUSE && is_key ? mouse(a) : close_help(a);
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
    case UI_ACT_REFRESH: reload(a); a->cx.busy = true; return d | UI_DIRTY_ALL;
    case UI_ACT_REDRAW: clearok(curscr, TRUE); return UI_DIRTY_ALL;
    case UI_ACT_NEXT_PANE:
    case UI_ACT_PREV_PANE: a->focus_nav = !a->focus_nav; return d | UI_DIRTY_NAV | UI_DIRTY_CONTENT;
    case UI_ACT_CLICK: return d | mouse(a);
    case UI_ACT_FILTER:
        if (!a->pane[a->cur]->ops->set_filter) return d;
        a->focus_nav = false;
        a->filtering = true;
        snprintf(a->filter, sizeof a->filter, "%s", pane_filter(a->pane[a->cur]));
        return d | UI_DIRTY_ALL;
    default: break;
    }
    return d | (a->focus_nav ? nav_action(a, act) : content_action(a, act));
}

static void read_keys(app *a) {
    for (;;) {
        wint_t wc;
        int r = wget_wch(a->input, &wc);
        if (r == ERR) break;
        a->dirty |= key(a, (int)wc, r == KEY_CODE_YES);
        if (a->quit) break;
    }
}

/* --- the loop ----------------------------------------------------------------- */

static int wait_timeout(app *a) {
    int t = transport_timeout_ms(a->t);
    if (!mirror_busy(a->m)) return t; /* -1 when idle: sleep until something happens */
    int64_t left = a->spin_next - clock_mono_ms();
    int spin = left < 0 ? 0 : (int)left;
    return t < 0 || spin < t ? spin : t;
}

static void wait_once(app *a) {
    struct pollfd fds[MAX_POLLFDS];
    fds[0] = (struct pollfd){.fd = 0, .events = POLLIN};
    fds[1] = (struct pollfd){.fd = a->term.wake_fd, .events = POLLIN};
    int n = 2 + transport_pollfds(a->t, fds + 2, MAX_POLLFDS - 2);
    int r = poll(fds, (nfds_t)n, wait_timeout(a));
    if (r < 0 && errno != EINTR) {
        a->quit = true;
        return;
    }
    if (term_take_resize(&a->term)) {
        layout(a);
    }
    if (r > 0 && fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
        a->quit = true; /* the terminal went away */
        return;
    }
    if (r > 0 && fds[0].revents & POLLIN) read_keys(a);
    transport_process(a->t);
    if (mirror_busy(a->m) && clock_mono_ms() >= a->spin_next) {
        a->spin++;
        a->spin_next = clock_mono_ms() + SPIN_MS;
        a->dirty |= UI_DIRTY_STATUS;
    }
}

/* Let requests still in flight finish for a moment, so their completions
 * free what they hold; a slow network does not hold up quitting long. */
static void settle(transport *t, int budget_ms) {
    int64_t end = clock_mono_ms() + budget_ms;
    while (transport_pending(t)) {
        if (transport_process(t) > 0) continue;
        int64_t left = end - clock_mono_ms();
        if (left <= 0) break;
        struct pollfd fds[MAX_POLLFDS];
        int n = transport_pollfds(t, fds, MAX_POLLFDS);
        int to = transport_timeout_ms(t);
        if (to < 0 || to > left) to = (int)left;
        if (poll(fds, (nfds_t)n, to) < 0 && errno != EINTR) break;
    }
}

static void app_free(app *a) {
    drop_windows(a);
    if (a->input) delwin(a->input);
    for (int s = 0; s < SEC__COUNT; s++) pane_destroy(a->pane[s]);
    free(a->api_name);
}

int ui_run(client *cl, const ui_opts *o) {
    app a;
    memset(&a, 0, sizeof a);
    a.cl = cl;
    a.t = client_transport(cl);
    a.o = o;
    err e;
    if (term_open(&a.term, &e) != 0) {
        fprintf(stderr, "apigw-console: %s\n", e.msg);
        return 1;
    }
    theme_init(&a.th, a.term.utf8, true);
    a.m = mirror_new(cl);
    a.cx.m = a.m;
    a.cx.th = &a.th;
    pane *(*const make[])(void) = {pane_apis_new,      pane_plans_new,  pane_keys_new, pane_functions_new,
                                   pane_resources_new, pane_stages_new, pane_models_new};
    for (int s = 0; s < SEC__COUNT; s++) a.pane[s] = make[s]();
    a.input = newwin(1, 1, 0, 0);
    keypad(a.input, TRUE);
    nodelay(a.input, TRUE);
    untouchwin(a.input);
    build_nav(&a);
    layout(&a);
    mirror_refresh(a.m, on_lists, &a);
    a.spin_next = clock_mono_ms() + SPIN_MS;
    while (!a.quit) {
        sync(&a);
        if (a.dirty) draw(&a);
        wait_once(&a);
    }
    app_free(&a);
    term_close(&a.term);
    mirror_free(a.m);
    settle(a.t, 1000);
    return 0;
}
