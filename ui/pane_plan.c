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
 * reads (a "feed" shared, by reference count, with the calls in flight, so
 * a view closed while they run is never touched). They are read again
 * whenever the mirror settles after a change. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app_priv.h" /* ui_ctx.host: ask for a redraw when a read returns */
#include "core/buf.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"
#include "ui/draw.h"
#include "ui/job.h"
#include "ui/plans.h"

/* --- pure helpers ---------------------------------------------------------- */

static void fmt_num(char *out, size_t n, double v) { snprintf(out, n, "%.15g", v); }

plan_values plan_values_of(const cJSON *plan, plan_bufs *b) {
    memset(b, 0, sizeof *b);
    plan_values v = {
        .name = json_str_or(plan, "name", ""),
        .description = json_str_or(plan, "description", ""),
        .rate = b->rate,
        .burst = b->burst,
        .limit = b->limit,
        .offset = b->offset,
        .period = "",
    };
    const cJSON *t = json_obj(plan, "throttle");
    if (t) {
        v.throttle = true;
        fmt_num(b->rate, sizeof b->rate, json_num_or(t, "rateLimit", 0));
        fmt_num(b->burst, sizeof b->burst, json_num_or(t, "burstLimit", 0));
    }
    const cJSON *q = json_obj(plan, "quota");
    if (q) {
        v.quota = true;
        fmt_num(b->limit, sizeof b->limit, json_num_or(q, "limit", 0));
        fmt_num(b->offset, sizeof b->offset, json_num_or(q, "offset", 0));
        v.period = json_str_or(q, "period", "");
    }
    return v;
}

static bool parse_double(const char *s, double *out) {
    char *end;
    while (*s == ' ') s++;
    if (!*s) return false;
    *out = strtod(s, &end);
    while (*end == ' ') end++;
    return *end == '\0';
}

/* A whole number; empty is 0 when empty_ok. */
static bool parse_int(const char *s, bool empty_ok, int *out) {
    char *end;
    while (*s == ' ') s++;
    if (!*s) {
        *out = 0;
        return empty_ok;
    }
    long v = strtol(s, &end, 10);
    while (*end == ' ') end++;
    if (*end || v > 2147483647L || v < -2147483647L) return false;
    *out = (int)v;
    return true;
}

bool plan_create_input(const plan_values *v, apigw_usage_plan_in *in, apigw_throttle *th,
                       apigw_quota *q, char *msg, size_t n) {
    memset(in, 0, sizeof *in);
    memset(th, 0, sizeof *th);
    memset(q, 0, sizeof *q);
    in->description = v->description && *v->description ? v->description : NULL;
    if (v->throttle) {
        if (!parse_double(v->rate, &th->rate_limit)) {
            snprintf(msg, n, "Rate must be a number of requests per second");
            return false;
        }
        if (!parse_int(v->burst, false, &th->burst_limit)) {
            snprintf(msg, n, "Burst must be a whole number of requests");
            return false;
        }
        in->throttle = th;
    }
    if (v->quota) {
        if (!parse_int(v->limit, false, &q->limit)) {
            snprintf(msg, n, "Requests must be a whole number");
            return false;
        }
        if (!parse_int(v->offset, true, &q->offset)) {
            snprintf(msg, n, "Offset must be a whole number");
            return false;
        }
        q->period = v->period;
        in->quota = q;
    }
    return true;
}

static bool differ(const char *a, const char *b) { return strcmp(a ? a : "", b ? b : "") != 0; }

/* The members of one part (throttle or quota) that are new or changed. */
static int patch_part(bool was_on, bool on, const char *part, const char *const *members,
                      const char *const *old, const char *const *now, int n, apigw_patch *p) {
    char path[64];
    if (was_on && !on) {
        snprintf(path, sizeof path, "/%s", part);
        apigw_patch_remove(p, path, NULL);
        return 1;
    }
    if (!on) return 0;
    int ops = 0;
    for (int i = 0; i < n; i++) {
        if (was_on && !differ(old[i], now[i])) continue;
        snprintf(path, sizeof path, "/%s/%s", part, members[i]);
        apigw_patch_replace(p, path, now[i]);
        ops++;
    }
    return ops;
}

int plan_update_patch(const plan_values *old, const plan_values *now, apigw_patch *p) {
    int ops = 0;
    if (differ(old->name, now->name)) {
        apigw_patch_replace(p, "/name", now->name);
        ops++;
    }
    if (differ(old->description, now->description)) {
        apigw_patch_replace(p, "/description", now->description);
        ops++;
    }
    static const char *const tm[] = {"rateLimit", "burstLimit"};
    const char *to[] = {old->rate, old->burst}, *tn[] = {now->rate, now->burst};
    ops += patch_part(old->throttle, now->throttle, "throttle", tm, to, tn, 2, p);
    static const char *const qm[] = {"limit", "period", "offset"};
    const char *qo[] = {old->limit, old->period, old->offset && *old->offset ? old->offset : "0"};
    const char *qn[] = {now->limit, now->period, now->offset && *now->offset ? now->offset : "0"};
    ops += patch_part(old->quota, now->quota, "quota", qm, qo, qn, 3, p);
    return ops;
}

static void day_text(time_t t, char out[16]) {
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 16, "%Y-%m-%d", &tm);
}

void plan_usage_range(const char *period, time_t now, char start[16], char end[16]) {
    struct tm tm;
    gmtime_r(&now, &tm);
    int back = tm.tm_mday - 1; /* a month, also when there is no quota */
    if (period && !strcmp(period, "DAY")) back = 0;
    if (period && !strcmp(period, "WEEK")) back = (tm.tm_wday + 6) % 7;
    day_text(now - (time_t)back * 86400, start);
    day_text(now, end);
}

void plan_usage_text(const cJSON *days, const cJSON *quota, char *out, size_t n) {
    double used = 0, left = -1;
    const cJSON *d;
    cJSON_ArrayForEach(d, days) {
        const cJSON *u = cJSON_GetArrayItem(d, 0), *r = cJSON_GetArrayItem(d, 1);
        if (cJSON_IsNumber(u)) used += u->valuedouble;
        if (cJSON_IsNumber(r)) left = r->valuedouble;
    }
    if (!quota) {
        snprintf(out, n, "%.15g request%s", used, used == 1 ? "" : "s");
        return;
    }
    double limit = json_num_or(quota, "limit", 0);
    if (left < 0) left = limit - used > 0 ? limit - used : 0;
    snprintf(out, n, "used %.15g of %.15g, %.15g left", used, limit, left);
}

/* --- the feed: the view's own reads ------------------------------------------ */

typedef struct stage_form stage_form;

typedef struct plan_feed {
    int refs;
    pane *owner; /* the view, while it exists */
    ui_ctx *cx;  /* valid while owner is set */
    char *plan_id;
    unsigned seq; /* answers of an older round are dropped */
    cJSON *keys;  /* GetUsagePlanKeys items; NULL until loaded */
    cJSON *usage; /* GetUsage values; NULL until loaded */
    cJSON *stages; /* {apiId: [stage names]} */
    cJSON *asked;  /* {apiId: true, or AWS's answer when listing them failed} */
    char start[16], end[16];
    char keys_err[300], usage_err[300];
    char refusal[600]; /* AWS's answer to the last delete, while stages are bound */
    stage_form *form;  /* the open add-stage form, filled in as stages arrive */
} plan_feed;

enum { F_KEYS, F_USAGE, F_STAGES };

typedef struct feed_call {
    plan_feed *f;
    unsigned seq;
    int kind;
    char *api;
} feed_call;

static plan_feed *feed_ref(plan_feed *f) {
    f->refs++;
    return f;
}

static void feed_unref(plan_feed *f) {
    if (!f || --f->refs > 0) return;
    cJSON_Delete(f->keys);
    cJSON_Delete(f->usage);
    cJSON_Delete(f->stages);
    cJSON_Delete(f->asked);
    free(f->plan_id);
    free(f);
}

static void redraw(ui_ctx *cx) { cx->host->dirty |= UI_DIRTY_CONTENT; }

static void stage_form_fill(stage_form *sf, ui_ctx *cx);

static void feed_store(plan_feed *f, feed_call *c, const cJSON *result, const err *e) {
    char text[300] = "";
    if (e) err_text(e, text, sizeof text);
    if (c->kind == F_STAGES && e) {
        json_set_str(f->asked, c->api, text);
        if (f->form) stage_form_fill(f->form, f->cx);
    } else if (c->kind == F_STAGES) {
        cJSON *names = cJSON_CreateArray();
        const cJSON *st;
        cJSON_ArrayForEach(st, json_arr(result, "item")) {
            const char *n = json_str(st, "stageName");
            if (n) cJSON_AddItemToArray(names, cJSON_CreateString(n));
        }
        json_set(f->stages, c->api, names);
        if (f->form) stage_form_fill(f->form, f->cx);
    } else if (c->seq != f->seq) {
        return;
    } else if (c->kind == F_KEYS) {
        snprintf(f->keys_err, sizeof f->keys_err, "%s", text);
        cJSON_Delete(f->keys);
        f->keys = e ? NULL : cJSON_Duplicate(json_arr(result, "item"), 1);
        if (!e && !f->keys) f->keys = cJSON_CreateArray();
    } else {
        snprintf(f->usage_err, sizeof f->usage_err, "%s", text);
        cJSON_Delete(f->usage);
        f->usage = e ? NULL : cJSON_Duplicate(json_obj(result, "values"), 1);
        if (!e && !f->usage) f->usage = cJSON_CreateObject();
    }
}

static void on_feed(void *ud, const cJSON *result, const err *e) {
    feed_call *c = ud;
    plan_feed *f = c->f;
    if (f->owner) {
        feed_store(f, c, result, e);
        redraw(f->cx);
    }
    free(c->api);
    free(c);
    feed_unref(f);
}

static feed_call *feed_call_new(plan_feed *f, int kind, const char *api) {
    feed_call *c = xcalloc(1, sizeof *c);
    c->f = feed_ref(f);
    c->seq = f->seq;
    c->kind = kind;
    c->api = api ? xstrdup(api) : NULL;
    return c;
}

/* The stage names of an API: the mirror's when it has them, else ours;
 * NULL while unknown (and then asked for). */
static const cJSON *feed_stage_names(plan_feed *f, ui_ctx *cx, const char *api, cJSON **own) {
    *own = NULL;
    const cJSON *ms = mirror_stages(cx->m, api);
    if (ms) {
        *own = cJSON_CreateArray();
        const cJSON *st;
        cJSON_ArrayForEach(st, ms) {
            const char *n = json_str(st, "stageName");
            if (n) cJSON_AddItemToArray(*own, cJSON_CreateString(n));
        }
        return *own;
    }
    const cJSON *mine = json_arr(f->stages, api);
    if (mine) return mine;
    if (!json_has(f->asked, api)) {
        json_set_bool(f->asked, api, true);
        apigw_get_stages(cx->cl, api, NULL, on_feed, feed_call_new(f, F_STAGES, api));
    }
    return NULL;
}

static void feed_load(plan_feed *f, ui_ctx *cx, const cJSON *plan) {
    f->seq++;
    plan_usage_range(json_str(json_obj(plan, "quota"), "period"), time(NULL), f->start, f->end);
    apigw_page pg = {.limit = 500};
    apigw_get_usage_plan_keys(cx->cl, f->plan_id, &pg, NULL, on_feed, feed_call_new(f, F_KEYS, NULL));
    apigw_usage_in in = {.page = pg};
    apigw_get_usage(cx->cl, f->plan_id, f->start, f->end, &in, on_feed,
                    feed_call_new(f, F_USAGE, NULL));
}

/* --- rows ---------------------------------------------------------------------- */

typedef enum row_kind { R_BLANK, R_HEAD, R_FIELD, R_STAGE, R_KEY, R_USAGE, R_EMPTY, R_NOTE } row_kind;
typedef enum plan_section { S_PLAN, S_STAGES, S_KEYS, S_USAGE } section_t;

typedef struct row {
    row_kind kind;
    section_t s;
    char *key;     /* what the selection follows */
    char *cell[3]; /* sanitized */
    char *a, *b;   /* raw: a stage's API id and name; a key's id and name */
    bool alert;    /* drawn in the error colour */
} row;

typedef struct plan_pane {
    pane base;
    int width; /* of the last draw: notes wrap to it */
    plan_feed *feed;
    char *plan_id;
    char title[200];
    char *sel; /* the selected row's key */
    int top;
    unsigned long gen;
    bool loaded;
    row *rows;
    size_t nrows, cap;
} plan_pane;

static bool selectable(const row *r) { return r->kind >= R_FIELD && r->kind <= R_EMPTY; }

static void rows_free(plan_pane *pp) {
    for (size_t i = 0; i < pp->nrows; i++) {
        row *r = &pp->rows[i];
        free(r->key);
        for (int c = 0; c < 3; c++) free(r->cell[c]);
        free(r->a);
        free(r->b);
    }
    pp->nrows = 0;
}

static row *add_row(plan_pane *pp, row_kind k, section_t s, const char *key, const char *c0,
                    const char *c1, const char *c2) {
    if (pp->nrows == pp->cap) {
        pp->cap = pp->cap ? pp->cap * 2 : 32;
        pp->rows = xrealloc(pp->rows, pp->cap * sizeof *pp->rows);
    }
    row *r = &pp->rows[pp->nrows++];
    memset(r, 0, sizeof *r);
    r->kind = k;
    r->s = s;
    r->key = xstrdup(key ? key : "");
    const char *cells[3] = {c0, c1, c2};
    for (int c = 0; c < 3; c++) r->cell[c] = cells[c] ? text_sanitize(cells[c]) : NULL;
    return r;
}

/* A note, word-wrapped to the pane's width over as many rows as it needs. */
static void add_note(plan_pane *pp, section_t s, const char *text, bool alert) {
    int room = (pp->width > 20 ? pp->width : 80) - 4;
    const char *p = text;
    while (*p) {
        /* Up to room characters (not bytes: UTF-8), cut after a space when one is there. */
        const char *q = p, *cut = NULL;
        int cols = 0;
        while (*q && cols < room) {
            if (*q == ' ') cut = q;
            q++;
            while (((unsigned char)*q & 0xC0) == 0x80) q++;
            cols++;
        }
        if (!*q || !cut) cut = q;
        char *line = xstrndup(p, (size_t)(cut - p));
        add_row(pp, R_NOTE, s, NULL, line, NULL, NULL)->alert = alert;
        free(line);
        p = cut;
        while (*p == ' ') p++;
    }
}

static const cJSON *find_by(const cJSON *arr, const char *member, const char *value) {
    const cJSON *it;
    cJSON_ArrayForEach(it, arr) {
        if (value && strcmp(json_str_or(it, member, ""), value) == 0) return it;
    }
    return NULL;
}

static const cJSON *the_plan(const plan_pane *pp, const ui_ctx *cx) {
    return find_by(mirror_usage_plans(cx->m), "id", pp->plan_id);
}

static void throttle_text(const cJSON *plan, char *out, size_t n) {
    const cJSON *t = json_obj(plan, "throttle");
    if (t)
        snprintf(out, n, "%.15g req/s, burst %.15g", json_num_or(t, "rateLimit", 0),
                 json_num_or(t, "burstLimit", 0));
    else
        snprintf(out, n, "off");
}

static void quota_text(const cJSON *plan, char *out, size_t n) {
    const cJSON *q = json_obj(plan, "quota");
    if (!q) {
        snprintf(out, n, "off");
        return;
    }
    double off = json_num_or(q, "offset", 0);
    int len = snprintf(out, n, "%.15g per %s", json_num_or(q, "limit", 0), json_str_or(q, "period", "?"));
    if (off && len > 0 && (size_t)len < n) snprintf(out + len, n - (size_t)len, ", offset %.15g", off);
}

static void settings_rows(plan_pane *pp, ui_ctx *cx, const cJSON *plan) {
    char thr[96], quota[96];
    throttle_text(plan, thr, sizeof thr);
    quota_text(plan, quota, sizeof quota);
    const char *desc = json_str_or(plan, "description", "");
    add_row(pp, R_FIELD, S_PLAN, "p:name", "Name", json_str_or(plan, "name", ""), NULL);
    add_row(pp, R_FIELD, S_PLAN, "p:id", "ID", pp->plan_id, NULL);
    add_row(pp, R_FIELD, S_PLAN, "p:desc", "Description", *desc ? desc : cx->th->dash, NULL);
    add_row(pp, R_FIELD, S_PLAN, "p:throttle", "Throttling", thr, NULL);
    add_row(pp, R_FIELD, S_PLAN, "p:quota", "Quota", quota, NULL);
}

static void stage_rows(plan_pane *pp, ui_ctx *cx, const cJSON *plan) {
    const cJSON *stages = json_arr(plan, "apiStages");
    char head[64];
    snprintf(head, sizeof head, "Associated stages (%d)", cJSON_GetArraySize(stages));
    add_row(pp, R_BLANK, S_STAGES, NULL, NULL, NULL, NULL);
    add_row(pp, R_HEAD, S_STAGES, NULL, head, NULL, NULL);
    if (pp->feed->refusal[0] && cJSON_GetArraySize(stages) > 0) {
        add_note(pp, S_STAGES, pp->feed->refusal, true);
        add_note(pp, S_STAGES, "Remove every stage first (d on each), then delete the plan again",
                 false);
    }
    const cJSON *as;
    cJSON_ArrayForEach(as, stages) {
        const char *api = json_str_or(as, "apiId", ""), *stage = json_str_or(as, "stage", "");
        const cJSON *a = find_by(mirror_apis(cx->m), "id", api);
        char *key = xasprintf("s:%s:%s", api, stage);
        row *r = add_row(pp, R_STAGE, S_STAGES, key, json_str_or(a, "name", "?"), api, stage);
        free(key);
        r->a = xstrdup(api);
        r->b = xstrdup(stage);
    }
    if (!cJSON_GetArraySize(stages))
        add_row(pp, R_EMPTY, S_STAGES, "s:", "No stages: c adds one", NULL, NULL);
}

static void key_rows(plan_pane *pp, ui_ctx *cx) {
    plan_feed *f = pp->feed;
    char head[64];
    if (f->keys)
        snprintf(head, sizeof head, "API keys (%d)", cJSON_GetArraySize(f->keys));
    else
        snprintf(head, sizeof head, "API keys");
    add_row(pp, R_BLANK, S_KEYS, NULL, NULL, NULL, NULL);
    add_row(pp, R_HEAD, S_KEYS, NULL, head, NULL, NULL);
    if (!f->keys) {
        bool failed = f->keys_err[0] != '\0';
        char *loading = xasprintf("Loading%s", cx->th->ellipsis);
        add_row(pp, R_EMPTY, S_KEYS, "k:", failed ? f->keys_err : loading, NULL, NULL)->alert = failed;
        free(loading);
        return;
    }
    const cJSON *k;
    cJSON_ArrayForEach(k, f->keys) {
        const char *id = json_str_or(k, "id", "");
        const cJSON *full = find_by(mirror_api_keys(cx->m), "id", id);
        const char *state = !full ? "" : json_bool_or(full, "enabled", false) ? "enabled" : "disabled";
        char *key = xasprintf("k:%s", id);
        row *r = add_row(pp, R_KEY, S_KEYS, key, json_str_or(k, "name", id), id, state);
        free(key);
        r->a = xstrdup(id);
        r->b = xstrdup(json_str_or(k, "name", id));
    }
    if (!cJSON_GetArraySize(f->keys))
        add_row(pp, R_EMPTY, S_KEYS, "k:", "No API keys: c adds one", NULL, NULL);
}

static void usage_rows(plan_pane *pp, ui_ctx *cx, const cJSON *plan) {
    plan_feed *f = pp->feed;
    char head[96];
    snprintf(head, sizeof head, "Usage from %s to %s", f->start, f->end);
    add_row(pp, R_BLANK, S_USAGE, NULL, NULL, NULL, NULL);
    add_row(pp, R_HEAD, S_USAGE, NULL, head, NULL, NULL);
    if (!f->usage || !f->keys) {
        bool failed = f->usage_err[0] != '\0';
        char *loading = xasprintf("Loading%s", cx->th->ellipsis);
        add_note(pp, S_USAGE, failed ? f->usage_err : loading, failed);
        free(loading);
        return;
    }
    const cJSON *k;
    cJSON_ArrayForEach(k, f->keys) {
        const char *id = json_str_or(k, "id", "");
        char words[128];
        plan_usage_text(json_arr(f->usage, id), json_obj(plan, "quota"), words, sizeof words);
        char *key = xasprintf("u:%s", id);
        row *r = add_row(pp, R_USAGE, S_USAGE, key, json_str_or(k, "name", id), words, NULL);
        free(key);
        r->a = xstrdup(id);
        r->b = xstrdup(json_str_or(k, "name", id));
    }
    if (!cJSON_GetArraySize(f->keys))
        add_row(pp, R_NOTE, S_USAGE, NULL, "No keys, so no usage to show", NULL, NULL);
}

static void build_rows(plan_pane *pp, ui_ctx *cx) {
    rows_free(pp);
    const cJSON *plan = the_plan(pp, cx);
    if (!plan) return;
    settings_rows(pp, cx, plan);
    stage_rows(pp, cx, plan);
    key_rows(pp, cx);
    usage_rows(pp, cx, plan);
}

/* The selected row's index: the one with the kept key, else the first
 * selectable row. -1 when there is none. */
static int selected(plan_pane *pp) {
    int first = -1;
    for (size_t i = 0; i < pp->nrows; i++) {
        if (!selectable(&pp->rows[i])) continue;
        if (first < 0) first = (int)i;
        if (pp->sel && strcmp(pp->rows[i].key, pp->sel) == 0) return (int)i;
    }
    return first;
}

static void select_row(plan_pane *pp, int i) {
    free(pp->sel);
    pp->sel = i >= 0 ? xstrdup(pp->rows[i].key) : NULL;
}

/* --- drawing ------------------------------------------------------------------- */

/* Column widths of a section's cells: what the longest needs, within a share
 * of the width. */
static void section_widths(const plan_pane *pp, const ui_theme *th, section_t s, int width, int *cw) {
    cw[0] = cw[1] = 0;
    for (size_t i = 0; i < pp->nrows; i++) {
        const row *r = &pp->rows[i];
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

static void draw_row(plan_pane *pp, ui_ctx *cx, WINDOW *w, int y, int width, const row *r, bool sel,
                     bool focused) {
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

static const char *hint_of(section_t s) {
    switch (s) {
    case S_PLAN: return "e edit  d delete the plan  c add a stage  Esc back";
    case S_STAGES: return "c add a stage  d remove it  Enter open its API  e edit";
    default: return "c add a key  d take it out of the plan  e edit";
    }
}

static void plan_draw(pane *p, ui_ctx *cx, WINDOW *w, int h, int width, bool focused) {
    plan_pane *pp = (plan_pane *)p;
    pp->width = width;
    build_rows(pp, cx);
    pane_heading(w, cx, width, false, pp->title, NULL);
    if (!pp->nrows) {
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
    int most = (int)pp->nrows - body > 0 ? (int)pp->nrows - body : 0;
    if (pp->top > most) pp->top = most;
    if (pp->top < 0) pp->top = 0;
    for (int i = 0; i < body; i++) {
        int at = pp->top + i;
        if (at >= (int)pp->nrows) break;
        draw_row(pp, cx, w, 1 + i, width, &pp->rows[at], at == sel, focused);
    }
    if (h - 2 > 1 && sel >= 0) {
        wattrset(w, cx->th->attr[UI_R_DIM]);
        draw_text(w, cx->th, h - 1, 1, hint_of(pp->rows[sel].s), width - 2);
        wattrset(w, A_NORMAL);
    }
}

/* --- asking and doing ---------------------------------------------------------- */

/* What the jobs of the view keep: copies, and the feed. */
typedef struct plan_job {
    plan_feed *feed;
    char *plan_id, *plan_name, *a, *b;
    char *label; /* how notes name a or b: "ItemsAPI/prod", a key's name */
} plan_job;

static void plan_job_free(void *p) {
    plan_job *d = p;
    feed_unref(d->feed);
    free(d->plan_id);
    free(d->plan_name);
    free(d->a);
    free(d->b);
    free(d->label);
    free(d);
}

static plan_job *plan_job_new(plan_feed *f, const char *plan_id, const char *plan_name,
                              const char *a, const char *b, const char *label) {
    plan_job *d = xcalloc(1, sizeof *d);
    d->feed = f ? feed_ref(f) : NULL;
    d->plan_id = xstrdup(plan_id);
    d->plan_name = xstrdup(plan_name ? plan_name : plan_id);
    d->a = a ? xstrdup(a) : NULL;
    d->b = b ? xstrdup(b) : NULL;
    d->label = xstrdup(label ? label : b ? b : "");
    return d;
}

/* A confirmation frees its ud when it closes: the job gets a copy. */
static plan_job *plan_job_copy(const plan_job *d) {
    return plan_job_new(d->feed, d->plan_id, d->plan_name, d->a, d->b, d->label);
}

/* The job that keeps d (taken), named "VERB LABEL PREP PLAN", e.g.
 * "Remove stage ItemsAPI/dev from LabPlan". */
static ui_job *plan_job_start(ui_ctx *cx, plan_job *d, const char *verb, const char *prep) {
    char *what = xasprintf("%s %s %s %s", verb, d->label, prep, d->plan_name);
    ui_job *j = ui_job_new(cx, what, UI_RELOAD_LISTS);
    free(what);
    ui_job_set_data(j, d, plan_job_free);
    return j;
}

/* UpdateUsagePlan binding (add) or unbinding the stage d->a:d->b, then. */
static void patch_api_stage(ui_ctx *cx, ui_job *j, const plan_job *d, bool add,
                            ui_job_step then) {
    apigw_patch *p = apigw_patch_new();
    char *value = xasprintf("%s:%s", d->a, d->b);
    if (add)
        apigw_patch_add(p, "/apiStages", value);
    else
        apigw_patch_remove(p, "/apiStages", value);
    free(value);
    apigw_update_usage_plan(cx->cl, d->plan_id, p, ui_job_done, ui_job_then(j, then));
}

/* Remove a stage. */
static void stage_removed(ui_job *j, const cJSON *r) {
    plan_job *d = ui_job_data(j);
    ui_job_set_note(j, "Removed stage %s from %s", d->label, d->plan_name);
}

static void remove_stage_yes(ui_ctx *cx, void *ud) {
    plan_job *d = plan_job_copy(ud);
    ui_job *j = plan_job_start(cx, d, "Remove stage", "from");
    patch_api_stage(cx, j, d, false, stage_removed);
}

/* Take a key out of the plan. */
static void key_removed(ui_job *j, const cJSON *r) {
    plan_job *d = ui_job_data(j);
    ui_job_set_note(j, "API key %s is no longer in %s", d->label, d->plan_name);
}

static void remove_key_yes(ui_ctx *cx, void *ud) {
    plan_job *d = plan_job_copy(ud);
    ui_job *j = plan_job_start(cx, d, "Remove API key", "from");
    apigw_delete_usage_plan_key(cx->cl, d->plan_id, d->a, ui_job_done, ui_job_then(j, key_removed));
}

/* Delete the plan. AWS refuses while stages are bound: its answer goes on
 * the status line and into the view, and the console offers to remove the
 * stages first, then delete. */
typedef struct unbind {
    char *plan_id, *plan_name;
    char **stages; /* "apiId:stage" */
    size_t n;
    plan_feed *feed; /* the view's, or NULL */
} unbind;

static void unbind_free(void *p) {
    unbind *u = p;
    for (size_t i = 0; i < u->n; i++) free(u->stages[i]);
    free(u->stages);
    free(u->plan_id);
    free(u->plan_name);
    feed_unref(u->feed);
    free(u);
}

static unbind *unbind_new(const char *plan_id, const char *plan_name, plan_feed *feed) {
    unbind *u = xcalloc(1, sizeof *u);
    u->plan_id = xstrdup(plan_id);
    u->plan_name = xstrdup(plan_name);
    u->feed = feed ? feed_ref(feed) : NULL;
    return u;
}

/* Close the plan's view when it is what the user looks at. */
static void close_view(ui_ctx *cx, plan_feed *f) {
    if (cx && f && f->owner && app_top(cx->host) == f->owner) ui_pop(cx);
}

static void plan_deleted(ui_job *j, const cJSON *r) {
    unbind *u = ui_job_data(j);
    if (u->n)
        ui_job_set_note(j, "Removed %zu stage%s from usage plan %s and deleted it", u->n,
                        u->n == 1 ? "" : "s", u->plan_name);
    else
        ui_job_set_note(j, "Deleted usage plan %s", u->plan_name);
    close_view(ui_job_ctx(j), u->feed);
}

static void unbound(ui_job *j, const cJSON *r) {
    unbind *u = ui_job_data(j);
    apigw_delete_usage_plan(ui_job_client(j), u->plan_id, ui_job_done, ui_job_then(j, plan_deleted));
}

static void unbind_yes(ui_ctx *cx, void *ud) {
    const unbind *in = ud;
    unbind *u = unbind_new(in->plan_id, in->plan_name, in->feed);
    u->stages = xcalloc(in->n ? in->n : 1, sizeof *u->stages);
    apigw_patch *p = apigw_patch_new();
    for (size_t i = 0; i < in->n; i++) {
        u->stages[u->n++] = xstrdup(in->stages[i]);
        apigw_patch_remove(p, "/apiStages", in->stages[i]);
    }
    char *what = xasprintf("Remove the stages of %s and delete it", u->plan_name);
    ui_job *j = ui_job_new(cx, what, UI_RELOAD_LISTS);
    free(what);
    ui_job_set_data(j, u, unbind_free);
    apigw_update_usage_plan(cx->cl, u->plan_id, p, ui_job_done, ui_job_then(j, unbound));
}

/* After AWS refused: offer to take the stages out first, unless the user
 * is already in another dialog. */
static void offer_unbind(ui_ctx *cx, const unbind *d, const char *refusal) {
    const cJSON *plan = find_by(mirror_usage_plans(cx->m), "id", d->plan_id);
    const cJSON *stages = json_arr(plan, "apiStages"), *as;
    if (!cJSON_GetArraySize(stages) || modal_active(cx->host)) return;
    unbind *u = unbind_new(d->plan_id, d->plan_name, d->feed);
    u->stages = xcalloc((size_t)cJSON_GetArraySize(stages), sizeof *u->stages);
    buf names = BUF_INIT;
    cJSON_ArrayForEach(as, stages) {
        const char *api = json_str_or(as, "apiId", ""), *st = json_str_or(as, "stage", "");
        const cJSON *a = find_by(mirror_apis(cx->m), "id", api);
        buf_printf(&names, "%s%s/%s", u->n ? ", " : "", json_str_or(a, "name", api), st);
        u->stages[u->n++] = xasprintf("%s:%s", api, st);
    }
    char *text = xasprintf("AWS keeps usage plan %s while API stages are bound to it:\n%s\n\n"
                           "Take %s out of the plan, then delete the plan?",
                           d->plan_name, refusal, names.data ? names.data : "");
    ui_confirm(cx, "Remove the stages first?", text, NULL, unbind_yes, u, unbind_free);
    free(text);
    buf_free(&names);
}

static void plan_delete_done(void *job, const cJSON *result, const err *e) {
    unbind *d = ui_job_data(job);
    ui_ctx *cx = ui_job_ctx(job);
    if (e && cx) {
        char text[600];
        err_text(e, text, sizeof text);
        if (d->feed && d->feed->owner) snprintf(d->feed->refusal, sizeof d->feed->refusal, "%s", text);
        offer_unbind(cx, d, text);
        redraw(cx);
    }
    ui_job_done(job, result, e);
}

static void delete_job(ui_ctx *cx, plan_feed *f, const char *plan_id, const char *plan_name) {
    unbind *d = unbind_new(plan_id, plan_name, f);
    if (f) f->refusal[0] = '\0';
    char *what = xasprintf("Delete usage plan %s", plan_name);
    ui_job *j = ui_job_new(cx, what, UI_RELOAD_LISTS);
    free(what);
    ui_job_set_data(j, d, unbind_free);
    apigw_delete_usage_plan(cx->cl, plan_id, plan_delete_done, ui_job_then(j, plan_deleted));
}

void plan_delete_job(ui_ctx *cx, const char *plan_id, const char *plan_name) {
    delete_job(cx, NULL, plan_id, plan_name);
}

static void delete_plan_yes(ui_ctx *cx, void *ud) {
    const plan_job *d = ud;
    delete_job(cx, d->feed, d->plan_id, d->plan_name);
}

static unsigned ask_delete(plan_pane *pp, ui_ctx *cx, const cJSON *plan, const row *r) {
    const char *name = json_str_or(plan, "name", pp->plan_id);
    char *text;
    if (r->kind == R_STAGE) {
        char *label = xasprintf("%s/%s", r->cell[0], r->b);
        text = xasprintf("Take stage %s out of usage plan %s? The plan's keys no longer open it.",
                         label, name);
        ui_confirm(cx, "Remove stage", text, NULL, remove_stage_yes,
                   plan_job_new(pp->feed, pp->plan_id, name, r->a, r->b, label), plan_job_free);
        free(label);
    } else if (r->kind == R_KEY || r->kind == R_USAGE) {
        text = xasprintf("Take API key %s out of usage plan %s? The key itself stays.", r->b, name);
        ui_confirm(cx, "Remove API key", text, NULL, remove_key_yes,
                   plan_job_new(pp->feed, pp->plan_id, name, r->a, r->b, NULL), plan_job_free);
    } else if (r->kind == R_FIELD) {
        text = xasprintf("Delete usage plan %s (%s)? Its keys stay, outside any plan. This cannot "
                         "be undone.",
                         name, pp->plan_id);
        ui_confirm(cx, "Delete usage plan", text, NULL, delete_plan_yes,
                   plan_job_new(pp->feed, pp->plan_id, name, NULL, NULL, NULL), plan_job_free);
    } else {
        ui_message(cx, "Nothing selected to remove here");
        return UI_DIRTY_STATUS;
    }
    free(text);
    return UI_DIRTY_ALL;
}

/* --- the settings form (create and edit) ------------------------------------------ */

static const char *const periods[] = {"DAY", "WEEK", "MONTH"};

typedef struct settings_ud {
    char *plan_id; /* NULL: create */
    char *name, *description, *period;
    plan_bufs b;
    plan_values old;
    int f_name, f_desc, f_thr, f_rate, f_burst, f_quota, f_limit, f_period, f_offset;
} settings_ud;

static void settings_free(void *p) {
    settings_ud *s = p;
    free(s->plan_id);
    free(s->name);
    free(s->description);
    free(s->period);
    free(s);
}

static plan_values settings_read(const settings_ud *s, const form *f) {
    return (plan_values){
        .name = form_value(f, s->f_name),
        .description = form_value(f, s->f_desc),
        .throttle = form_checked(f, s->f_thr),
        .rate = form_value(f, s->f_rate),
        .burst = form_value(f, s->f_burst),
        .quota = form_checked(f, s->f_quota),
        .limit = form_value(f, s->f_limit),
        .period = form_value(f, s->f_period),
        .offset = form_value(f, s->f_offset),
    };
}

static void settings_change(ui_ctx *cx, form *f, void *ud) {
    settings_ud *s = ud;
    bool thr = form_checked(f, s->f_thr), q = form_checked(f, s->f_quota);
    form_set_hidden(f, s->f_rate, !thr);
    form_set_hidden(f, s->f_burst, !thr);
    form_set_hidden(f, s->f_limit, !q);
    form_set_hidden(f, s->f_period, !q);
    form_set_hidden(f, s->f_offset, !q);
}

static void plan_created(ui_job *j, const cJSON *r) {
    ui_job_set_note(j, "Created usage plan %s (%s); Enter opens it", json_str_or(r, "name", ""),
                    json_str_or(r, "id", "?"));
}

static void plan_saved(ui_job *j, const cJSON *r) {
    ui_job_set_note(j, "Saved usage plan %s", json_str_or(r, "name", ""));
}

static bool settings_submit(ui_ctx *cx, form *f, void *ud) {
    settings_ud *s = ud;
    plan_values now = settings_read(s, f);
    if (!s->plan_id) {
        apigw_usage_plan_in in;
        apigw_throttle th;
        apigw_quota q;
        char msg[128];
        if (!plan_create_input(&now, &in, &th, &q, msg, sizeof msg)) {
            form_set_error(f, msg);
            return false;
        }
        char *what = xasprintf("Create usage plan %s", now.name);
        ui_job *j = ui_job_new(cx, what, UI_RELOAD_LISTS);
        free(what);
        apigw_create_usage_plan(cx->cl, now.name, &in, ui_job_done, ui_job_then(j, plan_created));
        return true;
    }
    apigw_patch *p = apigw_patch_new();
    if (plan_update_patch(&s->old, &now, p) == 0) {
        apigw_patch_free(p);
        ui_message(cx, "Nothing changed");
        return true;
    }
    char *what = xasprintf("Edit usage plan %s", s->old.name);
    ui_job *j = ui_job_new(cx, what, UI_RELOAD_LISTS);
    free(what);
    apigw_update_usage_plan(cx->cl, s->plan_id, p, ui_job_done, ui_job_then(j, plan_saved));
    return true;
}

static size_t period_index(const char *p) {
    for (size_t i = 0; i < 3; i++)
        if (p && !strcmp(p, periods[i])) return i;
    return 0;
}

void plan_settings_form(ui_ctx *cx, const cJSON *plan) {
    settings_ud *s = xcalloc(1, sizeof *s);
    plan_values v = plan_values_of(plan, &s->b);
    s->name = xstrdup(v.name);
    s->description = xstrdup(v.description);
    s->period = xstrdup(v.period);
    s->old = v;
    s->old.name = s->name;
    s->old.description = s->description;
    s->old.period = s->period;
    char *title = plan ? xasprintf("Edit usage plan %s", v.name) : xstrdup("Create usage plan");
    if (plan) s->plan_id = xstrdup(json_str_or(plan, "id", ""));
    form *f = form_new(title);
    free(title);
    s->f_name = form_text(f, "Name", v.name, NULL);
    s->f_desc = form_text(f, "Description (optional)", v.description, NULL);
    s->f_thr = form_check(f, "Throttling: limit the request rate of each key", v.throttle);
    s->f_rate = form_text(f, "Rate (requests per second)", v.throttle ? v.rate : "10", NULL);
    s->f_burst = form_text(f, "Burst (requests at once)", v.throttle ? v.burst : "20", NULL);
    s->f_quota = form_check(f, "Quota: cap the requests of each key per period", v.quota);
    s->f_limit = form_text(f, "Requests", v.quota ? v.limit : "1000", NULL);
    s->f_period = form_choice(f, "Per", periods, 3, period_index(v.period));
    s->f_offset = form_text(f, "Offset", v.quota ? v.offset : "0",
                            "Requests taken off the limit in the first period");
    settings_change(cx, f, s);
    ui_form(cx, f, settings_submit, settings_change, s, settings_free);
}

/* --- the add-stage form ------------------------------------------------------------ */

struct stage_form {
    plan_feed *feed;
    form *f; /* valid while this lives: the app frees the form, then this */
    char *plan_id, *plan_name;
    char **apis; /* ids, in the order of the API choice */
    size_t napis;
    char **stages; /* the stage choice's names; nstages 0: none to offer */
    size_t nstages;
    int f_api, f_stage;
};

static void stage_form_free(void *p) {
    stage_form *sf = p;
    if (sf->feed->form == sf) sf->feed->form = NULL;
    feed_unref(sf->feed);
    for (size_t i = 0; i < sf->napis; i++) free(sf->apis[i]);
    for (size_t i = 0; i < sf->nstages; i++) free(sf->stages[i]);
    free(sf->apis);
    free(sf->stages);
    free(sf->plan_id);
    free(sf->plan_name);
    free(sf);
}

/* The stage choice for the API chosen. */
static void stage_form_fill(stage_form *sf, ui_ctx *cx) {
    for (size_t i = 0; i < sf->nstages; i++) free(sf->stages[i]);
    sf->nstages = 0;
    size_t at = sf->napis ? form_selected(sf->f, sf->f_api) : 0;
    cJSON *own;
    const cJSON *names = at < sf->napis ? feed_stage_names(sf->feed, cx, sf->apis[at], &own) : NULL;
    size_t n = (size_t)cJSON_GetArraySize(names);
    sf->stages = xrealloc(sf->stages, (n ? n : 1) * sizeof *sf->stages);
    const cJSON *it;
    cJSON_ArrayForEach(it, names) sf->stages[sf->nstages++] = xstrdup(it->valuestring);
    cJSON_Delete(own);
    if (sf->nstages) {
        form_set_options(sf->f, sf->f_stage, (const char *const *)sf->stages, sf->nstages);
    } else {
        const char *failed = at < sf->napis ? json_str(sf->feed->asked, sf->apis[at]) : NULL;
        char *none = names || !sf->napis ? xstrdup("(no stages: deploy the API first)")
                     : failed            ? xasprintf("(%s)", failed)
                                         : xasprintf("(loading%s)", cx->th->ellipsis);
        const char *opts[] = {none};
        form_set_options(sf->f, sf->f_stage, opts, 1);
        free(none);
    }
    redraw(cx);
}

static void stage_form_change(ui_ctx *cx, form *f, void *ud) { stage_form_fill(ud, cx); }

static void stage_added(ui_job *j, const cJSON *r) {
    plan_job *d = ui_job_data(j);
    ui_job_set_note(j, "Added stage %s to %s", d->label, d->plan_name);
}

static bool stage_form_submit(ui_ctx *cx, form *f, void *ud) {
    stage_form *sf = ud;
    if (!sf->napis || !sf->nstages) {
        form_set_error(f, sf->napis ? "Pick an API with a stage" : "There is no API yet");
        return false;
    }
    const char *api = sf->apis[form_selected(f, sf->f_api)];
    size_t si = form_selected(f, sf->f_stage);
    const char *stage = sf->stages[si < sf->nstages ? si : 0];
    const cJSON *a = find_by(mirror_apis(cx->m), "id", api);
    char *label = xasprintf("%s/%s", json_str_or(a, "name", api), stage);
    plan_job *d = plan_job_new(sf->feed, sf->plan_id, sf->plan_name, api, stage, label);
    free(label);
    ui_job *j = plan_job_start(cx, d, "Add stage", "to");
    patch_api_stage(cx, j, d, true, stage_added);
    return true;
}

static unsigned ask_add_stage(plan_pane *pp, ui_ctx *cx, const cJSON *plan) {
    stage_form *sf = xcalloc(1, sizeof *sf);
    sf->feed = feed_ref(pp->feed);
    sf->plan_id = xstrdup(pp->plan_id);
    sf->plan_name = xstrdup(json_str_or(plan, "name", pp->plan_id));
    const cJSON *apis = mirror_apis(cx->m), *a;
    size_t n = (size_t)cJSON_GetArraySize(apis);
    sf->apis = xcalloc(n ? n : 1, sizeof *sf->apis);
    char **labels = xcalloc(n ? n : 1, sizeof *labels);
    cJSON_ArrayForEach(a, apis) {
        labels[sf->napis] = xasprintf("%s (%s)", json_str_or(a, "name", ""), json_str_or(a, "id", ""));
        sf->apis[sf->napis++] = xstrdup(json_str_or(a, "id", ""));
    }
    /* Start on the open API, when there is one. */
    size_t first = 0;
    for (size_t i = 0; cx->api_id && i < sf->napis; i++)
        if (!strcmp(sf->apis[i], cx->api_id)) first = i;
    char *title = xasprintf("Add a stage to %s", sf->plan_name);
    form *f = form_new(title);
    free(title);
    const char *none[] = {"(no APIs)"};
    sf->f_api = sf->napis ? form_choice(f, "API", (const char *const *)labels, sf->napis, first)
                          : form_choice(f, "API", none, 1, 0);
    sf->f_stage = form_choice(f, "Stage", none, 1, 0);
    form_note(f, "Keys of the plan open the stage, within the plan's throttling and quota.");
    for (size_t i = 0; i < sf->napis; i++) free(labels[i]);
    free(labels);
    sf->f = f;
    pp->feed->form = sf;
    stage_form_fill(sf, cx);
    ui_form(cx, f, stage_form_submit, stage_form_change, sf, stage_form_free);
    return UI_DIRTY_ALL;
}

/* --- the add-key form ---------------------------------------------------------------- */

static const char *const key_types[] = {"Existing key", "New key"};
static const char *const key_values[] = {"Generated", "Custom"};

typedef struct key_form {
    char *plan_id, *plan_name;
    char **ids, **names; /* keys not in the plan yet */
    size_t nkeys;
    int f_type, f_key, f_name, f_desc, f_gen, f_value;
} key_form;

static void key_form_free(void *p) {
    key_form *kf = p;
    for (size_t i = 0; i < kf->nkeys; i++) {
        free(kf->ids[i]);
        free(kf->names[i]);
    }
    free(kf->ids);
    free(kf->names);
    free(kf->plan_id);
    free(kf->plan_name);
    free(kf);
}

static void key_form_change(ui_ctx *cx, form *f, void *ud) {
    key_form *kf = ud;
    bool fresh = form_selected(f, kf->f_type) == 1;
    form_set_hidden(f, kf->f_key, fresh);
    form_set_hidden(f, kf->f_name, !fresh);
    form_set_hidden(f, kf->f_desc, !fresh);
    form_set_hidden(f, kf->f_gen, !fresh);
    form_set_hidden(f, kf->f_value, !fresh || form_selected(f, kf->f_gen) == 0);
}

static void key_added(ui_job *j, const cJSON *r) {
    plan_job *d = ui_job_data(j);
    ui_job_set_note(j, "Added API key %s to %s", d->label, d->plan_name);
}

static bool key_form_submit(ui_ctx *cx, form *f, void *ud) {
    key_form *kf = ud;
    if (form_selected(f, kf->f_type) == 1) {
        bool custom = form_selected(f, kf->f_gen) == 1;
        const char *desc = form_value(f, kf->f_desc);
        plan_key_create_job(cx, form_value(f, kf->f_name), *desc ? desc : NULL,
                            custom ? form_value(f, kf->f_value) : NULL, true, kf->plan_id,
                            kf->plan_name);
        return true;
    }
    if (!kf->nkeys) {
        form_set_error(f, "Every API key is in this plan already: choose New key");
        return false;
    }
    size_t at = form_selected(f, kf->f_key);
    plan_job *d = plan_job_new(NULL, kf->plan_id, kf->plan_name, kf->ids[at], kf->names[at], NULL);
    ui_job *j = plan_job_start(cx, d, "Add API key", "to");
    apigw_create_usage_plan_key(cx->cl, d->plan_id, d->a, "API_KEY", ui_job_done,
                                ui_job_then(j, key_added));
    return true;
}

static unsigned ask_add_key(plan_pane *pp, ui_ctx *cx, const cJSON *plan) {
    key_form *kf = xcalloc(1, sizeof *kf);
    kf->plan_id = xstrdup(pp->plan_id);
    kf->plan_name = xstrdup(json_str_or(plan, "name", pp->plan_id));
    const cJSON *all = mirror_api_keys(cx->m), *k;
    size_t n = (size_t)cJSON_GetArraySize(all);
    kf->ids = xcalloc(n ? n : 1, sizeof *kf->ids);
    kf->names = xcalloc(n ? n : 1, sizeof *kf->names);
    char **labels = xcalloc(n ? n : 1, sizeof *labels);
    cJSON_ArrayForEach(k, all) {
        const char *id = json_str_or(k, "id", "");
        if (find_by(pp->feed->keys, "id", id)) continue;
        const char *name = json_str_or(k, "name", id);
        labels[kf->nkeys] = xasprintf("%s (%s)%s", name, id,
                                      json_bool_or(k, "enabled", false) ? "" : ", disabled");
        kf->names[kf->nkeys] = xstrdup(name);
        kf->ids[kf->nkeys++] = xstrdup(id);
    }
    char *title = xasprintf("Add an API key to %s", kf->plan_name);
    form *f = form_new(title);
    free(title);
    kf->f_type = form_choice(f, "Key", key_types, 2, kf->nkeys ? 0 : 1);
    const char *none[] = {"(every key is in the plan)"};
    kf->f_key = kf->nkeys ? form_choice(f, "API key", (const char *const *)labels, kf->nkeys, 0)
                          : form_choice(f, "API key", none, 1, 0);
    kf->f_name = form_text(f, "Name", "", NULL);
    kf->f_desc = form_text(f, "Description (optional)", "", NULL);
    kf->f_gen = form_choice(f, "Value", key_values, 2, 0);
    kf->f_value = form_secret(f, "Custom value", "", "At least 20 characters");
    for (size_t i = 0; i < kf->nkeys; i++) free(labels[i]);
    free(labels);
    key_form_change(cx, f, kf);
    ui_form(cx, f, key_form_submit, key_form_change, kf, key_form_free);
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
    feed_load(pp->feed, cx, plan);
}

static int move_sel(plan_pane *pp, int from, int step, int count) {
    int at = from, last = from;
    for (int i = at + step; i >= 0 && i < (int)pp->nrows && count > 0; i += step) {
        if (!selectable(&pp->rows[i])) continue;
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
    const row *r = &pp->rows[sel];
    int page = 10, next = sel;
    switch (a) {
    case UI_ACT_UP: next = move_sel(pp, sel, -1, 1); break;
    case UI_ACT_DOWN: next = move_sel(pp, sel, 1, 1); break;
    case UI_ACT_PGUP: next = move_sel(pp, sel, -1, page); break;
    case UI_ACT_PGDN: next = move_sel(pp, sel, 1, page); break;
    case UI_ACT_HOME: next = move_sel(pp, sel, -1, (int)pp->nrows); break;
    case UI_ACT_END: next = move_sel(pp, sel, 1, (int)pp->nrows); break;
    case UI_ACT_EDIT: plan_settings_form(cx, plan); return UI_DIRTY_ALL;
    case UI_ACT_CREATE:
        return r->s == S_PLAN || r->s == S_STAGES ? ask_add_stage(pp, cx, plan) : ask_add_key(pp, cx, plan);
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
    if (y < 1 || at >= (int)pp->nrows || !selectable(&pp->rows[at])) return 0;
    select_row(pp, at);
    bool dummy;
    return UI_DIRTY_CONTENT | (open ? plan_action(p, cx, UI_ACT_OPEN, &dummy) : 0);
}

static void plan_destroy(pane *p) {
    plan_pane *pp = (plan_pane *)p;
    pp->feed->owner = NULL;
    feed_unref(pp->feed);
    rows_free(pp);
    free(pp->rows);
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
    plan_feed *f = xcalloc(1, sizeof *f);
    f->refs = 1;
    f->owner = &pp->base;
    f->plan_id = xstrdup(plan_id);
    f->stages = cJSON_CreateObject();
    f->asked = cJSON_CreateObject();
    pp->feed = f;
    return &pp->base;
}
