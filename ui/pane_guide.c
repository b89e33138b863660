/* The lab guide (see ui/guide.h): the eleven steps with a mark and "N/M"
 * each, the selected one opened below its line (instructions, values to
 * enter, checks with what is missing), and Enter to go where it is done.
 *
 * The checks are pure functions over a snapshot built from the mirror and
 * the guide's own reads; they are judged again only when the mirror's
 * generation or those reads changed, at the next draw (all eleven steps
 * take a few microseconds). The reads live in a shared block with the
 * requests in flight (reference counted, as the per-stage test's run), so
 * the pane may go away while they run.
 *
 * Here: the pane, when it judges and what it asks for, and drawing. The
 * snapshot is guide_snapshot.c's, the reads guide_probes.c's, the text's
 * lines guide_lines.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "guide_priv.h"
#include "lab/lab.h"
#include "ui/draw.h"

/* --- the pane ------------------------------------------------------------------------ */

typedef struct guide_pane {
    pane base;
    guide_reads *rd;
    /* the checks, and what they were judged on */
    lab_step_result *res; /* LAB_STEPS of them, step n at n - 1 */
    bool judged, loaded;
    unsigned long judged_gen;
    unsigned judged_ver;
    bool placed; /* the selection went to the first unfinished step */
    /* what the guide asked for */
    char api_asked[128];
    bool fn_asked;
    bool read_once;
    unsigned long read_gen;
    unsigned long long stage_print, fn_print;
    /* The lab's own requests (calling the stages, running the test events)
     * count against quotas and show in the activity log: they run only
     * when the user asks (x), then again while what they answer changes. */
    bool probing;
    /* the view */
    int sel; /* 1..LAB_STEPS */
    int top;
    bool follow;
    int *line_step; /* the last draw's screen rows -> step (0: none) */
    int nrows;
    int page;
} guide_pane;

/* --- judging, and what the guide asks for ------------------------------------------ */

/* The lab's requests again when what they answer from changed; not before
 * the mirror and the guide's reads settled, so one change sends them once. */
static void maybe_probe(guide_pane *gp, ui_ctx *cx, const lab_snapshot *s) {
    if (!gp->probing || !gp->rd->life || mirror_busy(cx->m) || gp->rd->busy[GUIDE_ROUND_READS] || !gp->read_once ||
        gp->read_gen != mirror_generation(cx->m))
        return;
    unsigned long long sp = guide_stage_print(s), fp = guide_function_print(s);
    if (sp && sp != gp->stage_print) {
        gp->stage_print = sp;
        guide_start_requests(gp->rd, cx, s);
    }
    if (fp && fp != gp->fn_print) {
        gp->fn_print = fp;
        guide_start_invokes(gp->rd, cx);
    }
}

/* Judge every step again when the mirror or the reads changed. The
 * selection follows the user: first to the first unfinished step, then
 * on to the next one when the selected step is completed (a part still
 * loading leaves a step unfinished, so the selection walks on as the
 * account's details come in). */
static void judge(guide_pane *gp, ui_ctx *cx) {
    unsigned long gen = mirror_generation(cx->m);
    if (gp->judged && gen == gp->judged_gen && gp->rd->ver == gp->judged_ver &&
        cx->lists_loaded == gp->loaded)
        return;
    bool was_complete = gp->judged && guide_step_complete(&gp->res[gp->sel - 1]);
    lab_snapshot s;
    cJSON *own;
    guide_build_snapshot(cx, gp->rd, &s, &own);
    for (int n = 1; n <= LAB_STEPS; n++)
        lab_evaluate(&s, n, &gp->res[n - 1]);
    gp->judged = true;
    gp->judged_gen = gen;
    gp->judged_ver = gp->rd->ver;
    gp->loaded = cx->lists_loaded;
    maybe_probe(gp, cx, &s);
    cJSON_Delete(own);
    if (!cx->lists_loaded) return;
    /* The first unfinished step at first; then the next unfinished one
     * after the selected step when it was just completed. */
    int from = 1;
    if (gp->placed) {
        if (was_complete || !guide_step_complete(&gp->res[gp->sel - 1])) return;
        from = gp->sel + 1;
    }
    gp->placed = true;
    int n = from;
    while (n < LAB_STEP_CLEANUP && (!gp->res[n - 1].n || guide_step_complete(&gp->res[n - 1])))
        n++;
    if (n != gp->sel) {
        gp->sel = n; /* the clean-up when every step is done */
        gp->follow = true;
    }
}

/* Ask the mirror for ItemsAPI's and ItemsFunction's details once, when
 * nothing else did (the open API or function loads its own). */
static void ask_details(guide_pane *gp, ui_ctx *cx) {
    if (!cx->lists_loaded) return;
    const char *api = guide_lab_api_id(cx->m);
    if (!api) {
        gp->api_asked[0] = '\0';
    } else if (!mirror_resources(cx->m, api) && strcmp(gp->api_asked, api) != 0) {
        snprintf(gp->api_asked, sizeof gp->api_asked, "%s", api);
        if (!cx->api_id || strcmp(cx->api_id, api) != 0) mirror_refresh_api(cx->m, api, NULL, NULL);
    }
    bool fn = guide_lab_has_function(cx->m);
    if (!fn) {
        gp->fn_asked = false;
    } else if (!mirror_versions(cx->m, LAB_FUNCTION) && !gp->fn_asked) {
        gp->fn_asked = true;
        if (!cx->fn_name || strcmp(cx->fn_name, LAB_FUNCTION) != 0)
            mirror_refresh_function(cx->m, LAB_FUNCTION, NULL, NULL);
    }
}

/* The guide's reads follow the mirror: once per generation, when it is
 * not refreshing. */
static void maybe_read(guide_pane *gp, ui_ctx *cx) {
    if (!cx->lists_loaded || mirror_busy(cx->m)) return;
    unsigned long gen = mirror_generation(cx->m);
    if (gp->read_once && gen == gp->read_gen) return;
    gp->read_once = true;
    gp->read_gen = gen;
    guide_start_reads(gp->rd, cx);
}

static void guide_sync(pane *p, ui_ctx *cx) {
    guide_pane *gp = (guide_pane *)p;
    if (!gp->rd->life) { /* what the requests in flight check the app by */
        gp->rd->life = cx->host->life;
        gp->rd->life->refs++;
    }
    ask_details(gp, cx);
    maybe_read(gp, cx);
}

void guide_reload(pane *p, ui_ctx *cx) {
    guide_pane *gp = (guide_pane *)p;
    const char *api = guide_lab_api_id(cx->m);
    if (api && (!cx->api_id || strcmp(cx->api_id, api) != 0))
        mirror_refresh_api(cx->m, api, NULL, NULL);
    if (guide_lab_has_function(cx->m)) mirror_refresh_function(cx->m, LAB_FUNCTION, NULL, NULL);
    /* Read and ask again once the mirror settles. */
    gp->read_once = false;
    gp->stage_print = gp->fn_print = 0;
}

/* --- drawing ------------------------------------------------------------------------------ */

/* Keep top in range; after the selection moved, show its step: its line
 * with two lines of the steps before it, and all of it when it fits. */
static void place_view(guide_pane *gp, const guide_lines *L, int avail) {
    int head = -1, end = -1; /* the selected step's first and last lines */
    for (int i = 0; i < L->n; i++) {
        if (L->v[i].step != gp->sel) continue;
        if (head < 0) head = i;
        end = i;
    }
    if (gp->follow && head >= 0) {
        int from = head > 2 ? head - 2 : 0;
        if (from < gp->top) gp->top = from;
        if (end >= gp->top + avail) gp->top = end - avail + 1 < from ? end - avail + 1 : from;
        gp->follow = false;
    }
    if (gp->top > L->n - avail) gp->top = L->n - avail;
    if (gp->top < 0) gp->top = 0;
}

/* The heading: the guide's name, and what is under way or the key. */
static void draw_heading(WINDOW *w, const ui_ctx *cx, const guide_pane *gp, int x0, int width) {
    const ui_theme *th = cx->th;
    wattrset(w, th->attr[UI_R_HEADING]);
    draw_blank(w, 0, x0, width - x0);
    int used = draw_text(w, th, 0, x0 + 1, "Lab guide", width - x0 - 2);
    const guide_reads *rd = gp->rd;
    bool loading = !cx->lists_loaded && cx->busy;
    bool checking = loading || rd->busy[GUIDE_ROUND_READS] || rd->busy[GUIDE_ROUND_REQUESTS] ||
                    rd->busy[GUIDE_ROUND_INVOKES];
    char *hint = checking ? xasprintf("%s%s", loading ? "loading" : "checking", th->ellipsis)
                          : xstrdup(gp->probing ? "Enter: go there" : "x: call stages");
    int hw = draw_width(th, hint);
    if (x0 + 1 + used + 2 + hw < width) {
        wattrset(w, th->attr[checking ? UI_R_ACCENT : UI_R_DIM]);
        draw_text(w, th, 0, width - 1 - hw, hint, hw);
    }
    free(hint);
}

static void guide_draw(pane *p, ui_ctx *cx, WINDOW *w, int h, int width, bool focused) {
    guide_pane *gp = (guide_pane *)p;
    const ui_theme *th = cx->th;
    judge(gp, cx);
    /* Beside the content, column 0 is the border between them. */
    bool beside = cx->host->guide_cols > 0;
    int x0 = beside ? 1 : 0;
    if (beside) {
        wattrset(w, th->attr[UI_R_BORDER]);
        for (int y = 0; y < h; y++)
            mvwaddstr(w, y, 0, th->vline);
    }
    draw_heading(w, cx, gp, x0, width);
    guide_lines L = {.th = th, .width = width - x0};
    guide_lines_build(&L, gp->sel, gp->res);
    int avail = h - 1;
    gp->page = avail;
    place_view(gp, &L, avail);
    free(gp->line_step);
    gp->nrows = avail > 0 ? avail : 0;
    gp->line_step = xcalloc((size_t)gp->nrows + 1, sizeof *gp->line_step);
    for (int i = gp->top, y = 1; i < L.n && y < h; i++, y++) {
        const guide_line *g = &L.v[i];
        bool head = g->kind != L_TEXT;
        gp->line_step[y - 1] = head ? g->step : 0;
        attr_t sel = head && g->step == gp->sel ? th->attr[focused ? UI_R_SEL : UI_R_SEL_IDLE] : 0;
        guide_line_draw(w, th, g, &gp->res[g->step - 1], y, x0, width, sel);
    }
    wattrset(w, A_NORMAL);
    guide_lines_free(&L);
}

unsigned guide_scroll(pane *p, int lines_by) {
    guide_pane *gp = (guide_pane *)p;
    int top = gp->top + lines_by;
    if (top < 0) top = 0;
    if (top == gp->top) return 0;
    gp->top = top; /* the draw keeps it in range */
    return UI_DIRTY_CONTENT;
}

/* --- keys -------------------------------------------------------------------------------- */

static section section_of(guide_place pl) {
    switch (pl) {
    case GUIDE_API_RESOURCES: return SEC_RESOURCES;
    case GUIDE_API_STAGES: return SEC_STAGES;
    case GUIDE_FUNCTIONS: return SEC_FUNCTIONS;
    case GUIDE_FN_CODE: return SEC_FN_CODE;
    case GUIDE_FN_VERSIONS: return SEC_FN_VERSIONS;
    case GUIDE_FN_ALIASES: return SEC_FN_ALIASES;
    case GUIDE_PLANS: return SEC_PLANS;
    default: return SEC_APIS;
    }
}

/* Enter: to the pane where the selected step is done. */
static unsigned open_step(guide_pane *gp, ui_ctx *cx) {
    lab_snapshot s;
    cJSON *own;
    guide_build_snapshot(cx, gp->rd, &s, &own);
    const char *name;
    guide_place pl = guide_place_of(&s, gp->sel, &name);
    char *copy = name ? xstrdup(name) : NULL;
    cJSON_Delete(own);
    if (pl == GUIDE_NOWHERE) {
        ui_message(cx, "Step %d is done outside the console's panes: the text above says how",
                   gp->sel);
        free(copy);
        return UI_DIRTY_STATUS;
    }
    app_guide_goto(cx->host, section_of(pl), copy);
    free(copy);
    return UI_DIRTY_ALL;
}

static unsigned select_step(guide_pane *gp, int n) {
    if (n < 1) n = 1;
    if (n > LAB_STEPS) n = LAB_STEPS;
    if (n == gp->sel) return 0;
    gp->sel = n;
    gp->follow = true;
    return UI_DIRTY_CONTENT;
}

static unsigned guide_action(pane *p, ui_ctx *cx, ui_action a, bool *unhandled) {
    guide_pane *gp = (guide_pane *)p;
    int page = gp->page > 2 ? gp->page - 1 : 1;
    switch (a) {
    case UI_ACT_UP: return select_step(gp, gp->sel - 1);
    case UI_ACT_DOWN: return select_step(gp, gp->sel + 1);
    case UI_ACT_HOME: return select_step(gp, 1);
    case UI_ACT_END: return select_step(gp, LAB_STEPS);
    case UI_ACT_PGUP: return guide_scroll(p, -page);
    case UI_ACT_PGDN: return guide_scroll(p, page);
    case UI_ACT_OPEN: return open_step(gp, cx);
    case UI_ACT_RUN:
        /* Call the stages and run the test events now, and from now on
         * whenever what they answer from changes. */
        gp->probing = true;
        gp->stage_print = gp->fn_print = 0;
        gp->judged = false;
        ui_message(cx, "Checking the stages and running the lab's test events");
        return UI_DIRTY_CONTENT | UI_DIRTY_STATUS;
    default:
        /* Left and the panes' own keys are the app's to pass on. */
        *unhandled = a == UI_ACT_LEFT || UI_ACT_IS_PANE(a);
        return 0;
    }
}

static unsigned guide_click(pane *p, ui_ctx *cx, int y, int x, bool open) {
    guide_pane *gp = (guide_pane *)p;
    (void)x;
    if (y < 1 || y > gp->nrows || !gp->line_step || !gp->line_step[y - 1]) return 0;
    unsigned d = select_step(gp, gp->line_step[y - 1]) | UI_DIRTY_CONTENT;
    return open ? d | open_step(gp, cx) : d;
}

static void guide_destroy(pane *p) {
    guide_pane *gp = (guide_pane *)p;
    guide_reads_release(gp->rd);
    free(gp->res);
    free(gp->line_step);
    free(gp);
}

static const pane_ops guide_ops = {
    .sync = guide_sync,
    .draw = guide_draw,
    .action = guide_action,
    .click = guide_click,
    .destroy = guide_destroy,
};

pane *pane_guide_new(void) {
    guide_pane *gp = xcalloc(1, sizeof *gp);
    gp->base.ops = &guide_ops;
    gp->base.title = "Lab guide";
    gp->base.scopes = UI_SC_MOVE | UI_SC_OPEN | UI_SC_RUN;
    gp->res = xcalloc(LAB_STEPS, sizeof *gp->res);
    gp->sel = 1;
    gp->rd = guide_reads_new();
    return &gp->base;
}
