/* The console's loop: one poll() over the terminal, the resize self-pipe
 * and the transport. Input handlers only say what changed; the loop draws
 * (wnoutrefresh per window, one doupdate) and sleeps without a timeout
 * while nothing is under way. */
#include "ui/app.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app_priv.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"
#include "client/sts.h"
#include "ui/guide.h"
#include "ui/job.h"

#define SPIN_MS 100
#define MAX_POLLFDS 32

/* --- mirror ---------------------------------------------------------------- */

/* Until the lists came back once, panes say "loading" or "not loaded"
 * rather than "none yet". */
static void on_lists(void *ud, const err *e) {
    app *a = ud;
    if (e) return;
    /* A new account: the lab guide comes forward (see app_guide_shown). */
    if (!a->cx.lists_loaded)
        a->guide_fresh = !cJSON_GetArraySize(mirror_apis(a->m)) && !cJSON_GetArraySize(mirror_functions(a->m));
    a->cx.lists_loaded = true;
}

void app_reload(app *a) {
    mirror_refresh(a->m, on_lists, a);
    if (a->in_api) mirror_refresh_api(a->m, a->api_id, NULL, NULL);
    if (app_guide_shown(a)) guide_reload(a->guide, &a->cx);
}

static const cJSON *find_api(const app *a, const char *id) {
    return json_find(mirror_apis(a->m), "id", id);
}

static void set_api_name(app *a) {
    const cJSON *api = find_api(a, a->api_id);
    free(a->api_name);
    a->api_name = text_sanitize(api ? json_str_or(api, "name", a->api_id) : a->api_id);
    a->cx.api_name = a->api_name;
}

static void build_nav(app *a);

static bool section_live(const app *a, int s) {
    if (s < FIRST_API_SECTION) return true;
    if (s < FIRST_FN_SECTION) return a->ctx == CTX_API;
    return a->ctx == CTX_FUNCTION;
}

static int guide_width(const app *a) {
    if (!app_guide_beside(a)) return 0;
    return a->cols >= 160 ? 56 : a->cols >= 140 ? 44 : 40;
}

/* Rebuild the panes after the mirror changed. */
static void app_sync(app *a) {
    for (; a->pops > 0; a->pops--) {
        if (a->depth && !modal_active(a)) app_pop(a);
    }
    if (!a->small && guide_width(a) != a->guide_cols) app_layout(a); /* the guide came or went */
    a->cx.busy = mirror_busy(a->m);
    unsigned long gen = mirror_generation(a->m) + a->log.gen;
    if (a->synced && gen == a->gen) return;
    a->synced = true;
    a->gen = gen;
    if (a->ctx == CTX_API && a->cx.lists_loaded && !mirror_error(a->m) && !find_api(a, a->api_id)) {
        app_close_context(a);
        snprintf(a->cx.msg, sizeof a->cx.msg, "The API is gone: it was deleted");
    }
    if (a->ctx == CTX_API) {
        set_api_name(a);
        build_nav(a);
    }
    for (int s = 0; s < SEC__COUNT; s++)
        if (section_live(a, s)) pane_sync(a->pane[s], &a->cx);
    for (int i = 0; i < a->depth; i++) pane_sync(a->stack[i], &a->cx);
    if (app_guide_shown(a)) pane_sync(a->guide, &a->cx);
    a->dirty |= UI_DIRTY_ALL;
}

/* --- navigation -------------------------------------------------------------- */

static void build_nav(app *a) {
    nav_reset(&a->nav);
    if (a->ctx == CTX_API) {
        nav_add(&a->nav, NAV_BACK, "APIs", SEC_APIS);
        char *head = xasprintf("API: %s", a->api_name ? a->api_name : a->api_id);
        nav_add(&a->nav, NAV_HEADING, head, 0);
        free(head);
        for (int s = FIRST_API_SECTION; s < FIRST_FN_SECTION; s++)
            nav_add(&a->nav, NAV_SECTION, a->pane[s]->title, s);
    } else if (a->ctx == CTX_FUNCTION) {
        nav_add(&a->nav, NAV_BACK, "Functions", SEC_FUNCTIONS);
        char *head = xasprintf("Function: %s", a->fn_name);
        nav_add(&a->nav, NAV_HEADING, head, 0);
        free(head);
        for (int s = FIRST_FN_SECTION; s < SEC__COUNT; s++)
            nav_add(&a->nav, NAV_SECTION, a->pane[s]->title, s);
    } else {
        for (int s = 0; s < FIRST_API_SECTION; s++) nav_add(&a->nav, NAV_SECTION, a->pane[s]->title, s);
    }
    nav_select_section(&a->nav, (int)a->cur);
}

pane *app_top(app *a) { return a->depth ? a->stack[a->depth - 1] : a->pane[a->cur]; }

void app_pop(app *a) {
    if (!a->depth) return;
    pane_destroy(a->stack[--a->depth]);
    a->dirty |= UI_DIRTY_ALL;
}

/* Leaving the views also drops a form or editor opened over them. */
void app_clear_stack(app *a) {
    if (a->depth) modal_close_all(a);
    while (a->depth) app_pop(a);
}

/* Replace the panes of sections [from, to) with fresh ones: folding,
 * filters and selections belong to what they were set on. */
static void fresh_panes(app *a, int from, int to, pane *(*const *make)(void)) {
    for (int s = from; s < to; s++) {
        pane_destroy(a->pane[s]);
        a->pane[s] = make[s - from]();
    }
}

void app_open_api(app *a, const char *id) {
    app_clear_stack(a);
    snprintf(a->api_id, sizeof a->api_id, "%s", id);
    a->in_api = true;
    a->ctx = CTX_API;
    a->cx.api_id = a->api_id;
    set_api_name(a);
    pane *(*const make[])(void) = {pane_resources_new, pane_stages_new, pane_models_new};
    fresh_panes(a, FIRST_API_SECTION, FIRST_FN_SECTION, make);
    a->cur = SEC_RESOURCES;
    build_nav(a);
    a->focus_nav = false;
    mirror_refresh_api(a->m, a->api_id, NULL, NULL);
    a->synced = false;
}

void app_open_function(app *a, const char *name) {
    app_clear_stack(a);
    app_close_context(a);
    free(a->fn_name);
    a->fn_name = xstrdup(name);
    a->cx.fn_name = a->fn_name;
    a->ctx = CTX_FUNCTION;
    pane *(*const make[])(void) = {pane_fn_code_new, pane_fn_test_new, pane_fn_versions_new,
                                   pane_fn_aliases_new, pane_fn_policy_new};
    fresh_panes(a, FIRST_FN_SECTION, SEC__COUNT, make);
    a->cur = SEC_FN_CODE;
    build_nav(a);
    a->focus_nav = false;
    mirror_refresh_function(a->m, a->fn_name, NULL, NULL);
    a->synced = false;
}

void app_close_context(app *a) {
    app_clear_stack(a);
    a->cur = a->ctx == CTX_FUNCTION ? SEC_FUNCTIONS : SEC_APIS;
    a->ctx = CTX_ACCOUNT;
    a->in_api = false;
    a->cx.api_id = NULL;
    a->cx.api_name = NULL;
    a->cx.fn_name = NULL;
    build_nav(a);
    a->focus_nav = false;
}

void app_close_api(app *a) { app_close_context(a); }

/* --- the lab guide -------------------------------------------------------------- */

bool app_guide_shown(const app *a) {
    return a->guide_chosen ? a->guide_on : a->guide_fresh && a->cols >= GUIDE_MIN_COLS;
}

bool app_guide_beside(const app *a) { return app_guide_shown(a) && a->cols >= GUIDE_MIN_COLS; }

/* Covering the content, the guide has the keys the content would. */
bool app_guide_keys(const app *a) {
    return app_guide_shown(a) && !a->focus_nav && (a->focus_guide || !app_guide_beside(a));
}

void app_toggle_guide(app *a) {
    bool show = !app_guide_shown(a);
    a->guide_chosen = true;
    a->guide_on = show;
    a->focus_guide = show;
    if (a->guide_on) a->focus_nav = false;
    a->synced = false; /* the guide catches up with the mirror */
    a->dirty |= UI_DIRTY_ALL;
}

void app_hide_guide(app *a) {
    if (!app_guide_shown(a)) return;
    a->guide_chosen = true;
    a->guide_on = false;
    a->focus_guide = false;
    a->dirty |= UI_DIRTY_ALL;
}

void app_guide_goto(app *a, section s, const char *name) {
    if (s >= FIRST_FN_SECTION) {
        if (a->ctx != CTX_FUNCTION || strcmp(a->fn_name, name) != 0) app_open_function(a, name);
    } else if (s >= FIRST_API_SECTION) {
        if (a->ctx != CTX_API || strcmp(a->api_id, name) != 0) app_open_api(a, name);
    } else if (a->ctx != CTX_ACCOUNT) {
        app_close_context(a);
    }
    app_clear_stack(a);
    a->cur = s;
    nav_select_section(&a->nav, (int)s);
    a->focus_nav = false;
    a->focus_guide = false;
    if (!app_guide_beside(a)) app_hide_guide(a);
    a->synced = false;
    a->dirty |= UI_DIRTY_ALL;
}

/* --- what panes ask of the app ------------------------------------------------ */

void ui_message(ui_ctx *cx, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cx->msg, sizeof cx->msg, fmt, ap);
    va_end(ap);
    cx->host->dirty |= UI_DIRTY_STATUS;
}

void ui_redraw(ui_ctx *cx) { cx->host->dirty |= UI_DIRTY_CONTENT | UI_DIRTY_STATUS; }

void ui_push(ui_ctx *cx, pane *p) {
    app *a = cx->host;
    if (a->depth == STACK_MAX) app_pop(a); /* keep the newest */
    a->stack[a->depth++] = p;
    a->focus_nav = false;
    a->focus_guide = false;
    pane_sync(p, cx);
    a->dirty |= UI_DIRTY_ALL;
}

/* Deferred to the loop: the caller may be the pane on top, or a form's
 * callback over it. */
void ui_pop(ui_ctx *cx) {
    cx->host->pops++;
    cx->host->dirty |= UI_DIRTY_ALL;
}

void ui_open_function(ui_ctx *cx, const char *name) { app_open_function(cx->host, name); }

void app_job_ended(app *a, const char *note, bool failed, unsigned reload, const char *api,
                   const char *fn) {
    snprintf(a->cx.msg, sizeof a->cx.msg, "%s", note);
    a->cx.msg_error = failed;
    if (reload & UI_RELOAD_LISTS) mirror_refresh(a->m, on_lists, a);
    if ((reload & UI_RELOAD_API) && api) mirror_refresh_api(a->m, api, NULL, NULL);
    if ((reload & UI_RELOAD_FUNCTION) && fn) mirror_refresh_function(a->m, fn, NULL, NULL);
    a->dirty |= UI_DIRTY_ALL;
}

void life_release(ui_life *l) {
    if (--l->refs == 0) free(l);
}

/* --- layout ------------------------------------------------------------------- */

static void drop_windows(app *a) {
    WINDOW **ws[] = {&a->title, &a->navw, &a->content, &a->status, &a->overlay, &a->edw, &a->guidew};
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
    a->nav_cols = a->cols >= 140 ? 30 : a->cols >= 80 ? 22 : 20; /* room for long names when wide */
    a->guide_cols = guide_width(a);
    a->content_cols = a->cols - a->nav_cols - a->guide_cols;
    a->title = newwin(1, a->cols, 0, 0);
    a->navw = newwin(a->rows - 2, a->nav_cols, 1, 0);
    a->content = newwin(a->rows - 2, a->content_cols, 1, a->nav_cols);
    if (a->guide_cols) a->guidew = newwin(a->rows - 2, a->guide_cols, 1, a->nav_cols + a->content_cols);
    a->status = newwin(1, a->cols, a->rows - 1, 0);
    if (!a->title || !a->navw || !a->content || !a->status || (a->guide_cols && !a->guidew)) {
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

static bool spinning(const app *a) { return mirror_busy(a->m) || a->jobs > 0; }

static int wait_timeout(app *a) {
    int t = transport_timeout_ms(a->t);
    if (!spinning(a)) return t; /* -1 when idle: sleep until something happens */
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
    if (r > 0 && fds[0].revents & POLLIN) {
        if (a->timing_fd >= 0 && !a->key_at_us) a->key_at_us = clock_mono_us();
        read_keys(a);
    }
    transport_process(a->t);
    if (spinning(a) && clock_mono_ms() >= a->spin_next) {
        a->spin++;
        a->spin_next = clock_mono_ms() + SPIN_MS;
        a->dirty |= UI_DIRTY_STATUS;
    }
}

/* The account the credentials belong to, for the status line; the
 * console may have closed by the time STS answers. */
static void on_identity(void *ud, const cJSON *result, const err *e) {
    ui_life *l = ud;
    if (l->cx && result) {
        app *a = l->cx->host;
        snprintf(a->account, sizeof a->account, "%s", json_str_or(result, "Account", ""));
        a->cx.account = a->account[0] ? a->account : NULL;
        a->dirty |= UI_DIRTY_STATUS;
    } else if (l->cx && e) {
        char text[300];
        snprintf(l->cx->msg, sizeof l->cx->msg, "Could not tell the account: %s",
                 err_text(e, text, sizeof text));
        l->cx->host->dirty |= UI_DIRTY_STATUS;
    }
    life_release(l);
}

static void note_timing(app *a) {
    char line[32];
    int n = snprintf(line, sizeof line, "%lld\n", (long long)(clock_mono_us() - a->key_at_us));
    if (write(a->timing_fd, line, (size_t)n) < 0) { /* a figure lost, nothing more */
    }
    a->key_at_us = 0;
}

static void app_free(app *a) {
    modal_close_all(a);
    app_clear_stack(a);
    drop_windows(a);
    if (a->input) delwin(a->input);
    for (int s = 0; s < SEC__COUNT; s++) pane_destroy(a->pane[s]);
    pane_destroy(a->guide);
    free(a->api_name);
    free(a->fn_name);
    client_set_observer(a->cl, NULL, NULL);
    activity_free(&a->log);
    a->life->cx = NULL; /* jobs still running end quietly */
    life_release(a->life);
}

int ui_run(client *cl, const ui_opts *o) {
    app a;
    memset(&a, 0, sizeof a);
    a.cl = cl;
    a.t = client_transport(cl);
    a.o = o;
    a.me.field = -1;
    /* For make bench: microseconds from reading keys to the screen drawn. */
    const char *timing = getenv("APIGW_CONSOLE_TIMING");
    a.timing_fd = timing && *timing ? open(timing, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600) : -1;
    err e;
    if (term_open(&a.term, &e) != 0) {
        fprintf(stderr, "apigw-console: %s\n", e.msg);
        return 1;
    }
    theme_init(&a.th, a.term.utf8, true);
    a.m = mirror_new(cl);
    a.life = xcalloc(1, sizeof *a.life);
    a.life->cx = &a.cx;
    a.life->refs = 1;
    a.cx.m = a.m;
    a.cx.cl = cl;
    a.cx.th = &a.th;
    a.cx.host = &a;
    a.cx.region = client_region(cl);
    a.cx.offline = o && o->offline;
    a.cx.endpoint_url = o ? o->endpoint_url : NULL;
    if (o && o->account) {
        snprintf(a.account, sizeof a.account, "%s", o->account);
        a.cx.account = a.account;
    }
    activity_init(&a.log);
    client_set_observer(cl, activity_observe, &a.log);
    pane *(*const make[])(void) = {pane_apis_new, pane_plans_new, pane_keys_new, pane_functions_new,
                                   pane_activity_new};
    for (int s = 0; s < SEC__COUNT; s++) a.pane[s] = s < FIRST_API_SECTION ? make[s]() : NULL;
    a.guide = pane_guide_new();
    a.input = newwin(1, 1, 0, 0);
    keypad(a.input, TRUE);
    nodelay(a.input, TRUE);
    untouchwin(a.input);
    build_nav(&a);
    app_layout(&a);
    mirror_refresh(a.m, on_lists, &a);
    if (!a.cx.account && !a.cx.offline) {
        a.life->refs++;
        sts_get_caller_identity(cl, on_identity, a.life);
    }
    a.spin_next = clock_mono_ms() + SPIN_MS;
    while (!a.quit) {
        app_sync(&a);
        if (a.dirty) frame_draw(&a);
        if (a.key_at_us) note_timing(&a);
        wait_once(&a);
    }
    if (a.timing_fd >= 0) close(a.timing_fd);
    app_free(&a);
    term_close(&a.term);
    /* Requests still in flight complete with an error when the transport is
     * destroyed; the mirror's completions then only free what they hold. */
    mirror_free(a.m);
    return 0;
}
