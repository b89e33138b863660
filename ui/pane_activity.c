/* The activity log: each change the console made as the AWS CLI command
 * that does the same, newest first, wrapped to the pane's width so the
 * whole command can be read (and copied with the terminal's selection). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app_priv.h"
#include "core/mem.h"
#include "core/text.h"
#include "ui/draw.h"
#include "ui/pane.h"

typedef struct act_pane {
    pane base;
    int sel; /* entries from the newest: 0 is the newest */
    int top; /* first entry drawn */
} act_pane;

static const activity *log_of(const ui_ctx *cx) { return &cx->host->log; }

static const activity_entry *nth_newest(const activity *l, int k) {
    return activity_at(l, l->n - 1 - k);
}

static int wrap_rows(const ui_theme *th, const char *s, int width) {
    int rows = 0;
    do {
        s += draw_wrap(th, s, width);
        while (*s == ' ') s++;
        rows++;
    } while (*s && width > 0);
    return rows;
}

static int entry_rows(const ui_theme *th, const activity_entry *en, const char *cmd, int width) {
    return wrap_rows(th, cmd, width - 12) + (en->state == ACT_FAILED ? 1 : 0);
}

static void draw_entry(WINDOW *w, const ui_theme *th, int y, int h, int width,
                       const activity_entry *en, const char *cmd, bool sel) {
    char when[16];
    struct tm tm;
    localtime_r(&en->at, &tm);
    strftime(when, sizeof when, "%H:%M:%S", &tm);
    const char *mark = en->state == ACT_OK ? th->ok : en->state == ACT_FAILED ? th->fail : th->pending;
    attr_t base = sel ? th->attr[UI_R_SEL] : A_NORMAL;
    int textw = width - 12;
    int row = 0;
    const char *rest = cmd;
    for (bool first = true; (first || *rest) && y + row < h; first = false, row++) {
        size_t n = textw > 0 ? draw_wrap(th, rest, textw) : strlen(rest);
        wattrset(w, base);
        draw_blank(w, y + row, 0, width);
        if (first) {
            wattrset(w, base | th->attr[UI_R_DIM]);
            draw_text(w, th, y, 1, when, 8);
            wattrset(w, base | (en->state == ACT_FAILED  ? th->attr[UI_R_ERROR]
                                : en->state == ACT_OK    ? th->attr[UI_R_OK]
                                                         : th->attr[UI_R_ACCENT]));
            draw_text(w, th, y, 10, mark, 1);
        }
        wattrset(w, base);
        char *part = xstrndup(rest, n);
        draw_text(w, th, y + row, 12, part, textw);
        free(part);
        rest += n;
        while (*rest == ' ') rest++;
        if (textw <= 0) break;
    }
    if (en->state == ACT_FAILED && y + row < h) {
        char *msg = text_sanitize(en->error ? en->error : "");
        wattrset(w, th->attr[UI_R_ERROR]);
        draw_blank(w, y + row, 0, width);
        draw_text(w, th, y + row, 12, msg, textw);
        free(msg);
    }
    wattrset(w, A_NORMAL);
}

static void act_draw(pane *p, ui_ctx *cx, WINDOW *w, int h, int width, bool focused) {
    act_pane *ap = (act_pane *)p;
    const activity *l = log_of(cx);
    char title[64];
    snprintf(title, sizeof title, "Activity log (%d)", l->n);
    pane_heading(w, cx, width, false, title, NULL);
    if (!l->n) {
        pane_note(w, cx->th, 3, width, "Nothing changed yet. Each change shows here as its aws command.");
        return;
    }
    if (ap->sel >= l->n) ap->sel = l->n - 1;
    if (ap->top > ap->sel) ap->top = ap->sel;
    /* Keep the selected entry on screen: move top down until it fits. */
    for (;;) {
        int y = 1;
        for (int k = ap->top; k <= ap->sel; k++) {
            char *cmd = text_sanitize(nth_newest(l, k)->command);
            y += entry_rows(cx->th, nth_newest(l, k), cmd, width);
            free(cmd);
        }
        if (y <= h || ap->top == ap->sel) break;
        ap->top++;
    }
    int y = 1;
    for (int k = ap->top; k < l->n && y < h; k++) {
        const activity_entry *en = nth_newest(l, k);
        char *cmd = text_sanitize(en->command);
        draw_entry(w, cx->th, y, h, width, en, cmd, focused && k == ap->sel);
        y += entry_rows(cx->th, en, cmd, width);
        free(cmd);
    }
}

static unsigned act_action(pane *p, ui_ctx *cx, ui_action a, bool *unhandled) {
    act_pane *ap = (act_pane *)p;
    int n = log_of(cx)->n, old = ap->sel;
    switch (a) {
    case UI_ACT_UP: ap->sel--; break;
    case UI_ACT_DOWN: ap->sel++; break;
    case UI_ACT_PGUP: ap->sel -= 5; break;
    case UI_ACT_PGDN: ap->sel += 5; break;
    case UI_ACT_HOME: ap->sel = 0; break;
    case UI_ACT_END: ap->sel = n - 1; break;
    case UI_ACT_LEFT: *unhandled = true; return 0;
    default: return 0;
    }
    if (ap->sel >= n) ap->sel = n - 1;
    if (ap->sel < 0) ap->sel = 0;
    return ap->sel != old ? UI_DIRTY_CONTENT : 0;
}

static void act_destroy(pane *p) { free(p); }

static const pane_ops act_ops = {
    .draw = act_draw,
    .action = act_action,
    .destroy = act_destroy,
};

pane *pane_activity_new(void) {
    act_pane *ap = xcalloc(1, sizeof *ap);
    ap->base.ops = &act_ops;
    ap->base.title = "Activity log";
    ap->base.scopes = UI_SC_MOVE;
    return &ap->base;
}
