/* What a usage plan's view shows, as rows: the plan's settings, the
 * stages bound to it, its keys and their usage (from the view's feed),
 * each under its section's heading. pane_plan.c selects and draws them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/text.h"
#include "plan_priv.h"

static void rows_clear(plan_rows *rs) {
    for (size_t i = 0; i < rs->n; i++) {
        plan_row *r = &rs->v[i];
        free(r->key);
        for (int c = 0; c < 3; c++)
            free(r->cell[c]);
        free(r->a);
        free(r->b);
    }
    rs->n = 0;
}

void plan_rows_free(plan_rows *rs) {
    rows_clear(rs);
    free(rs->v);
}

static plan_row *add_row(plan_rows *rs, plan_row_kind k, plan_section s, const char *key,
                         const char *c0, const char *c1, const char *c2) {
    if (rs->n == rs->cap) {
        rs->cap = rs->cap ? rs->cap * 2 : 32;
        rs->v = xrealloc(rs->v, rs->cap * sizeof *rs->v);
    }
    plan_row *r = &rs->v[rs->n++];
    memset(r, 0, sizeof *r);
    r->kind = k;
    r->s = s;
    r->key = xstrdup(key ? key : "");
    const char *cells[3] = {c0, c1, c2};
    for (int c = 0; c < 3; c++)
        r->cell[c] = cells[c] ? text_sanitize(cells[c]) : NULL;
    return r;
}

/* A note, word-wrapped to the pane's width over as many rows as it needs. */
static void add_note(plan_rows *rs, plan_section s, const char *text, bool alert) {
    int room = (rs->width > 20 ? rs->width : 80) - 4;
    const char *p = text;
    while (*p) {
        /* Up to room characters (not bytes: UTF-8), cut after a space when one is there. */
        const char *q = p, *cut = NULL;
        int cols = 0;
        while (*q && cols < room) {
            if (*q == ' ') cut = q;
            q++;
            while (((unsigned char)*q & 0xC0) == 0x80)
                q++;
            cols++;
        }
        if (!*q || !cut) cut = q;
        char *line = xstrndup(p, (size_t)(cut - p));
        add_row(rs, R_NOTE, s, NULL, line, NULL, NULL)->alert = alert;
        free(line);
        p = cut;
        while (*p == ' ')
            p++;
    }
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
    int len =
        snprintf(out, n, "%.15g per %s", json_num_or(q, "limit", 0), json_str_or(q, "period", "?"));
    if (off && len > 0 && (size_t)len < n)
        snprintf(out + len, n - (size_t)len, ", offset %.15g", off);
}

static void settings_rows(plan_rows *rs, ui_ctx *cx, const cJSON *plan, const plan_feed *f) {
    char thr[96], quota[96];
    throttle_text(plan, thr, sizeof thr);
    quota_text(plan, quota, sizeof quota);
    const char *desc = json_str_or(plan, "description", "");
    add_row(rs, R_FIELD, S_PLAN, "p:name", "Name", json_str_or(plan, "name", ""), NULL);
    add_row(rs, R_FIELD, S_PLAN, "p:id", "ID", f->plan_id, NULL);
    add_row(rs, R_FIELD, S_PLAN, "p:desc", "Description", *desc ? desc : cx->th->dash, NULL);
    add_row(rs, R_FIELD, S_PLAN, "p:throttle", "Throttling", thr, NULL);
    add_row(rs, R_FIELD, S_PLAN, "p:quota", "Quota", quota, NULL);
}

static void stage_rows(plan_rows *rs, ui_ctx *cx, const cJSON *plan, const plan_feed *f) {
    const cJSON *stages = json_arr(plan, "apiStages");
    char head[64];
    snprintf(head, sizeof head, "Associated stages (%d)", cJSON_GetArraySize(stages));
    add_row(rs, R_BLANK, S_STAGES, NULL, NULL, NULL, NULL);
    add_row(rs, R_HEAD, S_STAGES, NULL, head, NULL, NULL);
    if (f->refusal[0] && cJSON_GetArraySize(stages) > 0) {
        add_note(rs, S_STAGES, f->refusal, true);
        add_note(rs, S_STAGES, "Remove every stage first (d on each), then delete the plan again",
                 false);
    }
    const cJSON *as;
    cJSON_ArrayForEach(as, stages) {
        const char *api = json_str_or(as, "apiId", ""), *stage = json_str_or(as, "stage", "");
        const cJSON *a = plan_find(mirror_apis(cx->m), "id", api);
        char *key = xasprintf("s:%s:%s", api, stage);
        plan_row *r = add_row(rs, R_STAGE, S_STAGES, key, json_str_or(a, "name", "?"), api, stage);
        free(key);
        r->a = xstrdup(api);
        r->b = xstrdup(stage);
    }
    if (!cJSON_GetArraySize(stages))
        add_row(rs, R_EMPTY, S_STAGES, "s:", "No stages: c adds one", NULL, NULL);
}

static void key_rows(plan_rows *rs, ui_ctx *cx, const plan_feed *f) {
    char head[64];
    if (f->keys)
        snprintf(head, sizeof head, "API keys (%d)", cJSON_GetArraySize(f->keys));
    else
        snprintf(head, sizeof head, "API keys");
    add_row(rs, R_BLANK, S_KEYS, NULL, NULL, NULL, NULL);
    add_row(rs, R_HEAD, S_KEYS, NULL, head, NULL, NULL);
    if (!f->keys) {
        bool failed = f->keys_err[0] != '\0';
        char *loading = xasprintf("Loading%s", cx->th->ellipsis);
        add_row(rs, R_EMPTY, S_KEYS, "k:", failed ? f->keys_err : loading, NULL, NULL)->alert =
            failed;
        free(loading);
        return;
    }
    const cJSON *k;
    cJSON_ArrayForEach(k, f->keys) {
        const char *id = json_str_or(k, "id", "");
        const cJSON *full = plan_find(mirror_api_keys(cx->m), "id", id);
        const char *state = !full                                  ? ""
                            : json_bool_or(full, "enabled", false) ? "enabled"
                                                                   : "disabled";
        char *key = xasprintf("k:%s", id);
        plan_row *r = add_row(rs, R_KEY, S_KEYS, key, json_str_or(k, "name", id), id, state);
        free(key);
        r->a = xstrdup(id);
        r->b = xstrdup(json_str_or(k, "name", id));
    }
    if (!cJSON_GetArraySize(f->keys))
        add_row(rs, R_EMPTY, S_KEYS, "k:", "No API keys: c adds one", NULL, NULL);
}

static void usage_rows(plan_rows *rs, ui_ctx *cx, const cJSON *plan, const plan_feed *f) {
    char head[96];
    snprintf(head, sizeof head, "Usage from %s to %s", f->start, f->end);
    add_row(rs, R_BLANK, S_USAGE, NULL, NULL, NULL, NULL);
    add_row(rs, R_HEAD, S_USAGE, NULL, head, NULL, NULL);
    if (!f->usage || !f->keys) {
        bool failed = f->usage_err[0] != '\0';
        char *loading = xasprintf("Loading%s", cx->th->ellipsis);
        add_note(rs, S_USAGE, failed ? f->usage_err : loading, failed);
        free(loading);
        return;
    }
    const cJSON *k;
    cJSON_ArrayForEach(k, f->keys) {
        const char *id = json_str_or(k, "id", "");
        char words[128];
        plan_usage_text(json_arr(f->usage, id), json_obj(plan, "quota"), words, sizeof words);
        char *key = xasprintf("u:%s", id);
        plan_row *r = add_row(rs, R_USAGE, S_USAGE, key, json_str_or(k, "name", id), words, NULL);
        free(key);
        r->a = xstrdup(id);
        r->b = xstrdup(json_str_or(k, "name", id));
    }
    if (!cJSON_GetArraySize(f->keys))
        add_row(rs, R_NOTE, S_USAGE, NULL, "No keys, so no usage to show", NULL, NULL);
}

void plan_rows_build(plan_rows *rs, ui_ctx *cx, const cJSON *plan, const plan_feed *f) {
    rows_clear(rs);
    if (!plan) return;
    settings_rows(rs, cx, plan, f);
    stage_rows(rs, cx, plan, f);
    key_rows(rs, cx, f);
    usage_rows(rs, cx, plan, f);
}
