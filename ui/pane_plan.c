/* A usage plan's details, pushed over the usage plans list as the console
 * opens a plan: its settings (e edits them), the API stages it is bound to
 * (c adds one, d removes it), its API keys (c adds an existing or a new
 * one, d takes one out) and each key's usage in the current quota period.
 * d on the settings deletes the plan; AWS refuses while stages are bound:
 * its answer shows in the view, and the console offers to take the stages
 * out first, then delete.
 *
 * The mirror has the plan itself; the plan's keys, their usage and the
 * stages of an API picked in the add-stage form come from the view's own
 * reads (plan_feed.c), read again whenever the mirror settles after a
 * change. This file lays out and draws the view and takes its keys; the
 * forms are in plan_forms.c, the jobs in plan_jobs.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/text.h"
#include "plan_priv.h"
#include "ui/draw.h"

typedef struct plan_pane {
    pane base;
    plan_feed *feed;
    char *plan_id;
    char title[200];
    char *sel; /* the selected row's key */
    int top;
    unsigned long gen;
    bool loaded;
    plan_rows rows; /* built again at each draw and key */
} plan_pane;

static const cJSON *the_plan(const plan_pane *pp, const ui_ctx *cx) {
    return plan_find(mirror_usage_plans(cx->m), "id", pp->plan_id);
}

static void build_rows(plan_pane *pp, ui_ctx *cx) {
    plan_rows_build(&pp->rows, cx, the_plan(pp, cx), pp->feed);
}

/* --- the selection ----------------------------------------------------------------- */

/* The selected row's index: the one with the kept key, else the first
 * selectable row. -1 when there is none. */
static int selected(plan_pane *pp) {
    int first = -1;
    for (size_t i = 0; i < pp->rows.n; i++) {
        if (!plan_row_selectable(&pp->rows.v[i])) continue;
        if (first < 0) first = (int)i;
        if (pp->sel && strcmp(pp->rows.v[i].key, pp->sel) == 0) return (int)i;
    }
    return first;
}

static void select_row(plan_pane *pp, int i) {
    free(pp->sel);
    pp->sel = i >= 0 ? xstrdup(pp->rows.v[i].key) : NULL;
}

/* --- drawing ------------------------------------------------------------------- */

/* Column widths of a section's cells: what the longest needs, within a share
 * of the width. */
static void section_widths(const plan_pane *pp, const ui_theme *th, plan_section s, int width,
                           int *cw) {
    cw[0] = cw[1] = 0;
    for (size_t i = 0; i < pp->rows.n; i++) {
        const plan_row *r = &pp->rows.v[i];
        if (r->s != s || (r->kind != R_STAGE && r->kind != R_KEY && r->kind != R_USAGE)) continue;
        for (int c = 0; c < 2; c++) {
            int w = r->cell[c] ? draw_width(th, r->cell[c]) : 0;
            if (w > cw[c]) cw[c] = w;
        }
    }
    int cap = width / 3 > 8 ? width / 3 : 8;
    for (int c = 0; c < 2; c++)
        if (cw[c] > cap) cw[c] = cap;
}

static void draw_row(plan_pane *pp, ui_ctx *cx, WINDOW *w, int y, int width, const plan_row *r,
                     bool sel, bool focused) {
    const ui_theme *th = cx->th;
    attr_t base = A_NORMAL;
    if (r->kind == R_HEAD) base = th->attr[UI_R_COLHEAD];
    if (r->kind == R_NOTE || r->kind == R_EMPTY) base = th->attr[UI_R_DIM];
    if (r->alert) base = th->attr[UI_R_ERROR];
    if (sel) base = th->attr[focused ? UI_R_SEL : UI_R_SEL_IDLE];
    wattrset(w, base);
    draw_blank(w, y, 0, width);
    int x = r->kind == R_HEAD ? 1 : 2, room = width - x - 1;
    if (r->kind == R_FIELD) {
        if (!sel) wattrset(w, th->attr[UI_R_DIM]);
        draw_text(w, th, y, x, r->cell[0], 12);
        wattrset(w, base);
        draw_text(w, th, y, x + 13, r->cell[1], room - 13);
    } else if (r->kind == R_STAGE || r->kind == R_KEY || r->kind == R_USAGE) {
        int cw[2];
        section_widths(pp, th, r->s, width, cw);
        for (int c = 0; c < 3 && room > 0; c++) {
            if (!r->cell[c]) continue;
            int cwid = c < 2 && (c < 1 || r->cell[2]) ? cw[c] : room;
            if (cwid > room) cwid = room;
            draw_text(w, th, y, x, r->cell[c], cwid);
            x += cwid + 2;
            room -= cwid + 2;
        }
    } else if (r->cell[0]) {
        draw_text(w, th, y, x, r->cell[0], room);
    }
    wattrset(w, A_NORMAL);
}

static const char *hint_of(plan_section s) {
    switch (s) {
    case S_PLAN: return "e edit  d delete the plan  c add a stage  Esc back";
    case S_STAGES: return "c add a stage  d remove it  Enter open its API  e edit";
    default: return "c add a key  d take it out of the plan  e edit";
    }
}

static void plan_draw(pane *p, ui_ctx *cx, WINDOW *w, int h, int width, bool focused) {
    plan_pane *pp = (plan_pane *)p;
    pp->rows.width = width;
    build_rows(pp, cx);
    pane_heading(w, cx, width, false, pp->title, NULL);
    if (!pp->rows.n) {
        if (!cx->lists_loaded)
            pane_missing(w, cx, 3, width);
        else
            pane_note(w, cx->th, 3, width, "This usage plan is gone; Esc goes back");
        return;
    }
    int sel = selected(pp);
    int body = h - 2 > 1 ? h - 2 : h - 1;
    /* Scroll so the selection shows, with its section's heading when it
     * is the first row of a section. */
    if (sel >= 0 && sel < pp->top) pp->top = sel >= 2 ? sel - 2 : 0;
    if (sel >= pp->top + body) pp->top = sel - body + 1;
    int most = (int)pp->rows.n - body > 0 ? (int)pp->rows.n - body : 0;
    if (pp->top > most) pp->top = most;
    if (pp->top < 0) pp->top = 0;
    for (int i = 0; i < body; i++) {
        int at = pp->top + i;
        if (at >= (int)pp->rows.n) break;
        draw_row(pp, cx, w, 1 + i, width, &pp->rows.v[at], at == sel, focused);
    }
    if (h - 2 > 1 && sel >= 0) {
        wattrset(w, cx->th->attr[UI_R_DIM]);
        draw_text(w, cx->th, h - 1, 1, hint_of(pp->rows.v[sel].s), width - 2);
        wattrset(w, A_NORMAL);
    }
}

/* --- keys ------------------------------------------------------------------------ */

/* d: what it removes depends on the row; each is confirmed first. */
static unsigned ask_delete(plan_pane *pp, ui_ctx *cx, const cJSON *plan, const plan_row *r) {
    const char *name = json_str_or(plan, "name", pp->plan_id);
    if (r->kind == R_STAGE) {
        char *label = xasprintf("%s/%s", r->cell[0], r->b);
        plan_confirm_remove_stage(cx, pp->feed, name, r->a, r->b, label);
        free(label);
    } else if (r->kind == R_KEY || r->kind == R_USAGE) {
        plan_confirm_remove_key(cx, pp->feed, name, r->a, r->b);
    } else if (r->kind == R_FIELD) {
        plan_confirm_delete(cx, pp->feed, name);
    } else {
        ui_message(cx, "Nothing selected to remove here");
        return UI_DIRTY_STATUS;
    }
    return UI_DIRTY_ALL;
}

/* --- the pane -------------------------------------------------------------------- */

static void plan_sync(pane *p, ui_ctx *cx) {
    plan_pane *pp = (plan_pane *)p;
    pp->feed->cx = cx;
    const cJSON *plan = the_plan(pp, cx);
    char *name = text_sanitize(json_str_or(plan, "name", pp->plan_id));
    snprintf(pp->title, sizeof pp->title, "Usage plans%s%s", cx->th->sep, name);
    free(name);
    if (!plan) return;
    if (!json_arr(plan, "apiStages") || !cJSON_GetArraySize(json_arr(plan, "apiStages")))
        pp->feed->refusal[0] = '\0';
    /* Read again once the mirror settled after a change (a job's reload). */
    unsigned long gen = mirror_generation(cx->m);
    if (pp->loaded && (gen == pp->gen || mirror_busy(cx->m))) return;
    pp->loaded = true;
    pp->gen = gen;
    plan_feed_load(pp->feed, cx, plan);
}

static int move_sel(plan_pane *pp, int from, int step, int count) {
    int at = from, last = from;
    for (int i = at + step; i >= 0 && i < (int)pp->rows.n && count > 0; i += step) {
        if (!plan_row_selectable(&pp->rows.v[i])) continue;
        last = i;
        count--;
    }
    return last;
}

static unsigned plan_action(pane *p, ui_ctx *cx, ui_action a, bool *unhandled) {
    plan_pane *pp = (plan_pane *)p;
    build_rows(pp, cx);
    const cJSON *plan = the_plan(pp, cx);
    int sel = selected(pp);
    if (a == UI_ACT_LEFT) {
        *unhandled = true;
        return 0;
    }
    if (!plan || sel < 0) return 0;
    const plan_row *r = &pp->rows.v[sel];
    int page = 10, next = sel;
    switch (a) {
    case UI_ACT_UP: next = move_sel(pp, sel, -1, 1); break;
    case UI_ACT_DOWN: next = move_sel(pp, sel, 1, 1); break;
    case UI_ACT_PGUP: next = move_sel(pp, sel, -1, page); break;
    case UI_ACT_PGDN: next = move_sel(pp, sel, 1, page); break;
    case UI_ACT_HOME: next = move_sel(pp, sel, -1, (int)pp->rows.n); break;
    case UI_ACT_END: next = move_sel(pp, sel, 1, (int)pp->rows.n); break;
    case UI_ACT_EDIT: plan_settings_form(cx, plan); return UI_DIRTY_ALL;
    case UI_ACT_CREATE:
        return r->s == S_PLAN || r->s == S_STAGES ? plan_ask_add_stage(cx, pp->feed, plan)
                                                  : plan_ask_add_key(cx, pp->feed, plan);
    case UI_ACT_DELETE: return ask_delete(pp, cx, plan, r);
    case UI_ACT_OPEN:
        if (r->kind == R_STAGE) {
            snprintf(cx->open_api, sizeof cx->open_api, "%s", r->a);
            return UI_DIRTY_ALL;
        }
        if (r->kind == R_FIELD) {
            plan_settings_form(cx, plan);
            return UI_DIRTY_ALL;
        }
        return 0;
    default: return 0;
    }
    if (next == sel) return 0;
    select_row(pp, next);
    return UI_DIRTY_CONTENT;
}

static unsigned plan_click(pane *p, ui_ctx *cx, int y, int x, bool open) {
    plan_pane *pp = (plan_pane *)p;
    build_rows(pp, cx);
    int at = pp->top + y - 1;
    if (y < 1 || at >= (int)pp->rows.n || !plan_row_selectable(&pp->rows.v[at])) return 0;
    select_row(pp, at);
    bool dummy;
    return UI_DIRTY_CONTENT | (open ? plan_action(p, cx, UI_ACT_OPEN, &dummy) : 0);
}

static void plan_destroy(pane *p) {
    plan_pane *pp = (plan_pane *)p;
    pp->feed->owner = NULL;
    plan_feed_unref(pp->feed);
    plan_rows_free(&pp->rows);
    free(pp->sel);
    free(pp->plan_id);
    free(pp);
}

static const pane_ops plan_ops = {
    .sync = plan_sync,
    .draw = plan_draw,
    .action = plan_action,
    .click = plan_click,
    .destroy = plan_destroy,
};

pane *pane_plan_new(const char *plan_id) {
    plan_pane *pp = xcalloc(1, sizeof *pp);
    pp->base.ops = &plan_ops;
    snprintf(pp->title, sizeof pp->title, "Usage plan");
    pp->base.title = pp->title;
    pp->base.scopes = UI_SC_MOVE | UI_SC_OPEN | UI_SC_CREATE | UI_SC_DELETE | UI_SC_EDIT;
    pp->plan_id = xstrdup(plan_id);
    pp->feed = plan_feed_new(&pp->base, plan_id);
    return &pp->base;
}
