/* Pane calls, shared drawing, and the table pane that most lists use. */
#include "ui/pane.h"

#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"
#include "ui/draw.h"

void pane_sync(pane *p, ui_ctx *cx) {
    if (p->ops->sync) p->ops->sync(p, cx);
}
void pane_draw(pane *p, ui_ctx *cx, WINDOW *w, int h, int width, bool focused) {
    p->ops->draw(p, cx, w, h, width, focused);
}
unsigned pane_action(pane *p, ui_ctx *cx, ui_action a, bool *unhandled) {
    *unhandled = false;
    return p->ops->action ? p->ops->action(p, cx, a, unhandled) : 0;
}
unsigned pane_click(pane *p, ui_ctx *cx, int y, int x, bool open) {
    return p->ops->click ? p->ops->click(p, cx, y, x, open) : 0;
}
void pane_set_filter(pane *p, const char *text) {
    if (p->ops->set_filter) p->ops->set_filter(p, text);
}
const char *pane_filter(const pane *p) { return p->ops->filter ? p->ops->filter(p) : ""; }
void pane_destroy(pane *p) {
    if (p) p->ops->destroy(p);
}

void pane_heading(WINDOW *w, const ui_ctx *cx, int width, bool per_api, const char *title,
                  const char *filter) {
    const ui_theme *th = cx->th;
    wattrset(w, th->attr[UI_R_HEADING]);
    draw_blank(w, 0, 0, width);
    char *full = per_api && cx->api_name ? xasprintf("%s%s%s", cx->api_name, th->sep, title)
                                         : xstrdup(title);
    int used = 1 + draw_text(w, th, 0, 1, full, width - 2);
    free(full);
    if (filter && *filter) {
        char *typed = text_sanitize(filter);
        char *note = xasprintf("filter: %s", typed);
        free(typed);
        int nw = draw_width(th, note);
        int x = width - 1 - nw;
        if (x < used + 2) x = used + 2;
        wattrset(w, th->attr[UI_R_ACCENT]);
        draw_text(w, th, 0, x, note, width - 1 - x);
        free(note);
    }
    wattrset(w, A_NORMAL);
}

void pane_note(WINDOW *w, const ui_theme *th, int y, int width, const char *text) {
    int tw = draw_width(th, text);
    int x = tw < width ? (width - tw) / 2 : 0;
    wattrset(w, th->attr[UI_R_DIM]);
    draw_text(w, th, y, x, text, width);
    wattrset(w, A_NORMAL);
}

void pane_missing(WINDOW *w, const ui_ctx *cx, int y, int width) {
    char *text = cx->busy ? xasprintf("Loading%s", cx->th->ellipsis)
                          : xstrdup("Not loaded (see the status line); r tries again");
    pane_note(w, cx->th, y, width, text);
    free(text);
}

/* --- the table pane --------------------------------------------------------- */

typedef struct table_pane {
    pane base;
    const table_spec *spec;
    ui_list list;
    bool loaded;
    bool reveal;
} table_pane;

static void table_sync(pane *p, ui_ctx *cx) {
    table_pane *tp = (table_pane *)p;
    const cJSON *src = tp->spec->source(cx);
    tp->loaded = src != NULL;
    list_clear(&tp->list);
    const cJSON *it;
    cJSON_ArrayForEach(it, src) {
        const char *cells[UI_LIST_MAXCOLS] = {0};
        char bufs[UI_LIST_MAXCOLS][128];
        tp->spec->cells(cx, it, tp->reveal, cells, bufs);
        list_add(&tp->list, json_str_or(it, tp->spec->key_member, ""), cells);
    }
    list_done(&tp->list);
}

static void table_draw(pane *p, ui_ctx *cx, WINDOW *w, int h, int width, bool focused) {
    table_pane *tp = (table_pane *)p;
    char title[256];
    if (tp->loaded && tp->list.nvis != tp->list.nrows)
        snprintf(title, sizeof title, "%s (%zu of %zu)", tp->spec->title, tp->list.nvis, tp->list.nrows);
    else if (tp->loaded)
        snprintf(title, sizeof title, "%s (%zu)", tp->spec->title, tp->list.nrows);
    else
        snprintf(title, sizeof title, "%s", tp->spec->title);
    pane_heading(w, cx, width, tp->spec->per_api, title, list_filter(&tp->list));
    list_draw(&tp->list, w, cx->th, 1, 0, h - 1, width, focused);
    if (!tp->loaded)
        pane_missing(w, cx, 3, width);
    else if (!tp->list.nrows)
        pane_note(w, cx->th, 3, width, tp->spec->empty);
    else if (!tp->list.nvis)
        pane_note(w, cx->th, 3, width, "Nothing matches the filter");
}

static const cJSON *selected_item(table_pane *tp, ui_ctx *cx) {
    return json_find(tp->spec->source(cx), tp->spec->key_member, list_selected(&tp->list));
}

static unsigned table_action(pane *p, ui_ctx *cx, ui_action a, bool *unhandled) {
    table_pane *tp = (table_pane *)p;
    if (a == UI_ACT_OPEN) {
        const cJSON *it = selected_item(tp, cx);
        return it && tp->spec->open ? tp->spec->open(cx, it) : 0;
    }
    if (a == UI_ACT_REVEAL && (tp->spec->scopes & UI_SC_SECRET)) {
        tp->reveal = !tp->reveal;
        table_sync(p, cx);
        snprintf(cx->msg, sizeof cx->msg, "%s",
                 tp->reveal ? "Key values shown (v masks them)" : "Key values masked");
        return UI_DIRTY_CONTENT | UI_DIRTY_STATUS;
    }
    if (a == UI_ACT_LEFT) {
        *unhandled = true;
        return 0;
    }
    if (tp->spec->act && UI_ACT_IS_PANE(a))
        return tp->spec->act(cx, selected_item(tp, cx), a) | UI_DIRTY_STATUS;
    return list_action(&tp->list, a) ? UI_DIRTY_CONTENT : 0;
}

static unsigned table_click(pane *p, ui_ctx *cx, int y, int x, bool open) {
    table_pane *tp = (table_pane *)p;
    /* Row 0 is the heading, row 1 the column header. */
    if (!list_click(&tp->list, y - 1)) return 0;
    bool dummy;
    if (open) return UI_DIRTY_CONTENT | table_action(p, cx, UI_ACT_OPEN, &dummy);
    return UI_DIRTY_CONTENT;
}

static void table_set_filter(pane *p, const char *text) {
    list_set_filter(&((table_pane *)p)->list, text);
}
static const char *table_filter(const pane *p) { return list_filter(&((const table_pane *)p)->list); }

static void table_destroy(pane *p) {
    table_pane *tp = (table_pane *)p;
    list_free(&tp->list);
    free(tp);
}

static const pane_ops table_ops = {
    .sync = table_sync,
    .draw = table_draw,
    .action = table_action,
    .click = table_click,
    .set_filter = table_set_filter,
    .filter = table_filter,
    .destroy = table_destroy,
};

pane *table_pane_new(const table_spec *spec) {
    table_pane *tp = xcalloc(1, sizeof *tp);
    tp->base.ops = &table_ops;
    tp->base.title = spec->title;
    tp->base.scopes = UI_SC_MOVE | UI_SC_LIST | spec->scopes;
    tp->spec = spec;
    list_init(&tp->list, spec->cols, spec->ncols);
    return &tp->base;
}
