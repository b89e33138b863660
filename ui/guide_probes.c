/* The lab guide's own reads (see ui/guide.h): what the mirror never holds
 * (CloudAcademyPlan's keys, the aliases' policies) and the lab's requests
 * (GET to the stages, the test events on ItemsFunction). Each kind goes
 * out in rounds; a round's answers replace the shared ones when its last
 * call returns, unless a newer round of its kind started meanwhile. */
#include <stdlib.h>
#include <string.h>

#include "client/lambda.h"
#include "client/raw.h"
#include "core/json.h"
#include "core/mem.h"
#include "guide_priv.h"
#include "lab/fetch.h"
#include "lab/lab.h"

guide_reads *guide_reads_new(void) {
    guide_reads *rd = xcalloc(1, sizeof *rd);
    rd->refs = 1;
    return rd;
}

void guide_reads_release(guide_reads *rd) {
    if (!rd || --rd->refs > 0) return;
    cJSON_Delete(rd->plan_keys);
    cJSON_Delete(rd->alias_policies);
    cJSON_Delete(rd->requests);
    cJSON_Delete(rd->invokes);
    if (rd->life) life_release(rd->life);
    free(rd);
}

/* One round of a kind: its calls' answers gathered in out (and items). */
typedef struct round {
    guide_reads *rd;
    int kind;
    unsigned seq;
    int left;
    bool failed;
    cJSON *items; /* plan keys; NULL when not asked */
    cJSON *out;   /* {alias: policy}, {probe: answer} or {event: answer} */
} round;

typedef struct slot {
    round *r;
    bool plan_keys;
    char *key;
} slot;

static round *round_new(guide_reads *rd, int kind) {
    round *r = xcalloc(1, sizeof *r);
    r->rd = rd;
    rd->refs++;
    r->kind = kind;
    r->seq = ++rd->seq[kind];
    r->out = cJSON_CreateObject();
    rd->busy[kind] = true;
    return r;
}

static slot *slot_new(round *r, const char *key, bool plan_keys) {
    slot *s = xcalloc(1, sizeof *s);
    s->r = r;
    s->plan_keys = plan_keys;
    s->key = xstrdup(key ? key : "");
    r->left++;
    return s;
}

static void take(cJSON **dst, cJSON **src) {
    cJSON_Delete(*dst);
    *dst = *src;
    *src = NULL;
}

/* The round is complete: what it read replaces the shared parts, unless a
 * newer round of its kind started meanwhile. */
static void round_finish(round *r) {
    guide_reads *rd = r->rd;
    if (r->seq == rd->seq[r->kind]) {
        if (r->kind == GUIDE_ROUND_READS) {
            if (r->failed) { /* the policies stay unread: skipped */
                cJSON_Delete(r->out);
                r->out = NULL;
            }
            take(&rd->plan_keys, &r->items);
            take(&rd->alias_policies, &r->out);
        } else {
            take(r->kind == GUIDE_ROUND_REQUESTS ? &rd->requests : &rd->invokes, &r->out);
        }
        rd->busy[r->kind] = false;
        rd->ver++;
        if (rd->life->cx) rd->life->cx->host->dirty |= UI_DIRTY_CONTENT;
    }
    cJSON_Delete(r->items);
    cJSON_Delete(r->out);
    guide_reads_release(rd);
    free(r);
}

static void slot_done(slot *s) {
    round *r = s->r;
    free(s->key);
    free(s);
    if (--r->left == 0) round_finish(r);
}

static cJSON *items_of(const cJSON *result) {
    if (cJSON_IsArray(result)) return cJSON_Duplicate(result, 1);
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(result, "item");
    return cJSON_IsArray(item) ? cJSON_Duplicate(item, 1) : cJSON_CreateArray();
}

/* A plan's keys, or an alias's policy: a policy that is not there (404)
 * is no policy; any other failure leaves the policies unread (skipped). */
static void on_read(void *ud, const cJSON *result, const err *e) {
    slot *s = ud;
    round *r = s->r;
    if (s->plan_keys) {
        if (!e) r->items = items_of(result);
    } else if (!e) {
        const char *text = json_str(result, "Policy");
        cJSON *doc = text ? cJSON_Parse(text) : NULL;
        if (cJSON_IsObject(doc))
            json_set(r->out, s->key, doc);
        else
            cJSON_Delete(doc);
    } else if (e->status != 404) {
        r->failed = true;
    }
    slot_done(s);
}

static void on_request(void *ud, const http_response *resp, const err *e) {
    slot *s = ud;
    json_set(s->r->out, s->key, lab_request_answer(resp, e));
    slot_done(s);
}

static void on_invoke(void *ud, const cJSON *result, const err *e) {
    slot *s = ud;
    json_set(s->r->out, s->key, lab_invoke_answer(result, e));
    slot_done(s);
}

/* A round with nothing to ask finishes at once. */
void guide_start_reads(guide_reads *rd, ui_ctx *cx) {
    round *r = round_new(rd, GUIDE_ROUND_READS);
    r->left = 1; /* held until every request left */
    const char *plan = json_str(lab_named(mirror_usage_plans(cx->m), "name", LAB_PLAN), "id");
    if (plan) {
        const char *p[] = {plan};
        client_list_all(cx->cl, APIGW_GetUsagePlanKeys, p, 1, NULL, on_read,
                        slot_new(r, NULL, true));
    }
    const cJSON *aliases =
        guide_lab_has_function(cx->m) ? mirror_aliases(cx->m, LAB_FUNCTION) : NULL;
    if (!aliases) r->failed = true; /* not loaded: the policies stay unread */
    const cJSON *a;
    cJSON_ArrayForEach(a, aliases) {
        const char *name = json_str(a, "Name");
        if (name) lambda_get_policy(cx->cl, LAB_FUNCTION, name, on_read, slot_new(r, name, false));
    }
    if (--r->left == 0) round_finish(r);
}

/* With LabKey's value where the lab sends it. */
void guide_start_requests(guide_reads *rd, ui_ctx *cx, const lab_snapshot *s) {
    const char *api = json_str(lab_api(s), "id");
    const char *key = json_str(lab_key(s), "value");
    bool path_style = cx->offline || cx->endpoint_url;
    round *r = round_new(rd, GUIDE_ROUND_REQUESTS);
    r->left = 1;
    for (int i = 0; i < LAB_PROBES && api; i++) {
        const lab_probe *p = &lab_probes[i];
        if (!lab_stage(s, p->stage)) continue;
        http_request *one = lab_probe_request(p, api, cx->region, key, path_style);
        one->anonymous = true; /* the lab's methods take no IAM signature */
        char name[128];
        lab_probe_name(p, name, sizeof name);
        client_raw(cx->cl, one, on_request, slot_new(r, name, false));
    }
    if (--r->left == 0) round_finish(r);
}

void guide_start_invokes(guide_reads *rd, ui_ctx *cx) {
    round *r = round_new(rd, GUIDE_ROUND_INVOKES);
    r->left = 1;
    for (int i = 0; i < LAB_EVENTS; i++) {
        const lab_event *ev = &lab_events[i];
        lambda_invoke(cx->cl, LAB_FUNCTION, ev->body, strlen(ev->body), NULL, on_invoke,
                      slot_new(r, ev->name, false));
    }
    if (--r->left == 0) round_finish(r);
}
