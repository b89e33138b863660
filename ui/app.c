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

#include "app_priv.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"

#define SPIN_MS 100
#define MAX_POLLFDS 32

/* --- mirror ---------------------------------------------------------------- */

/* Until the lists came back once, panes say "loading" or "not loaded"
 * rather than "none yet". */
static void on_lists(void *ud, const err *e) {
    app *a = ud;
    if (!e) a->cx.lists_loaded = true;
}

void app_reload(app *a) {
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

/* Rebuild the panes after the mirror changed. */
static void sync(app *a) {
    a->cx.busy = mirror_busy(a->m);
    if (a->synced && mirror_generation(a->m) == a->gen) return;
    a->synced = true;
    a->gen = mirror_generation(a->m);
    if (a->in_api && a->cx.lists_loaded && !mirror_error(a->m) && !find_api(a, a->api_id)) {
        app_close_api(a);
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

void app_open_api(app *a, const char *id) {
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

void app_close_api(app *a) {
    a->in_api = false;
    a->cx.api_id = NULL;
    a->cx.api_name = NULL;
    a->cur = SEC_APIS;
    build_nav(a);
    a->focus_nav = false;
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

void app_layout(app *a) {
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

static void read_keys(app *a) {
    for (;;) {
        wint_t wc;
        int r = wget_wch(a->input, &wc);
        if (r == ERR) break;
        a->dirty |= input_key(a, (int)wc, r == KEY_CODE_YES);
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
        app_layout(a);
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
    pane *(*const make[])(void) = {pane_apis_new,      pane_plans_new,  pane_keys_new,
                                   pane_functions_new, pane_resources_new, pane_stages_new,
                                   pane_models_new};
    for (int s = 0; s < SEC__COUNT; s++) a.pane[s] = make[s]();
    a.input = newwin(1, 1, 0, 0);
    keypad(a.input, TRUE);
    nodelay(a.input, TRUE);
    untouchwin(a.input);
    build_nav(&a);
    app_layout(&a);
    mirror_refresh(a.m, on_lists, &a);
    a.spin_next = clock_mono_ms() + SPIN_MS;
    while (!a.quit) {
        sync(&a);
        if (a.dirty) frame_draw(&a);
        wait_once(&a);
    }
    app_free(&a);
    term_close(&a.term);
    /* Requests still in flight complete with an error when the transport is
     * destroyed; the mirror's completions then only free what they hold. */
    mirror_free(a.m);
    return 0;
}
