/* The lab guide (see ui/guide.h): the eleven steps with a mark and "N/M"
 * each, the selected one opened below its line (instructions, values to
 * enter, checks with what is missing), and Enter to go where it is done.
 *
 * The checks are pure functions over a snapshot built from the mirror and
 * the guide's own reads; they are judged again only when the mirror's
 * generation or those reads changed, at the next draw (all eleven steps
 * take a few microseconds). The reads live in a shared block with the
 * requests in flight (reference counted, as the per-stage test's run), so
 * the pane may go away while they run. */
#include "ui/guide.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_priv.h"
#include "cli/invoke.h"
#include "client/lambda.h"
#include "client/raw.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"
#include "lab/lab.h"
#include "ui/draw.h"

/* --- the snapshot -------------------------------------------------------------- */

void guide_parts_from_mirror(const mirror *m, bool loaded, guide_parts *out) {
    memset(out, 0, sizeof *out);
    out->loaded = loaded;
    if (!loaded) return;
    out->apis = mirror_apis(m);
    out->usage_plans = mirror_usage_plans(m);
    out->api_keys = mirror_api_keys(m);
    out->functions = mirror_functions(m);
    const char *api = json_str(lab_pick_api(out->apis), "id");
    if (api) {
        out->resources = mirror_resources(m, api);
        out->stages = mirror_stages(m, api);
        out->models = mirror_models(m, api);
        out->deployments = mirror_deployments(m, api);
    }
    if (lab_named(out->functions, "FunctionName", LAB_FUNCTION)) {
        out->versions = mirror_versions(m, LAB_FUNCTION);
        out->aliases = mirror_aliases(m, LAB_FUNCTION);
        out->policy = mirror_policy(m, LAB_FUNCTION);
    }
}

/* {qualifier: policy}: "" the function's own, then each alias's. NULL
 * until every one of them was read, so that a policy not read yet is a
 * skip, never a missing permission. */
static cJSON *policies_of(const guide_parts *p) {
    if (!p->policy || !p->aliases) return NULL;
    if (cJSON_GetArraySize(p->aliases) > 0 && !p->alias_policies) return NULL;
    cJSON *all = cJSON_CreateObject();
    json_set(all, "", cJSON_Duplicate(p->policy, 1));
    const cJSON *a;
    cJSON_ArrayForEach(a, p->alias_policies) {
        if (a->string && cJSON_IsObject(a)) json_set(all, a->string, cJSON_Duplicate(a, 1));
    }
    return all;
}

cJSON *guide_snapshot(const guide_parts *p, lab_snapshot *s) {
    memset(s, 0, sizeof *s);
    cJSON *own = cJSON_CreateObject();
    s->connected = p->loaded;
    if (!p->loaded) return own;
    s->apis = p->apis;
    s->usage_plans = p->usage_plans;
    s->api_keys = p->api_keys;
    s->functions = p->functions;
    if (lab_pick_api(p->apis)) {
        s->resources = p->resources;
        s->stages = p->stages;
        s->models = p->models;
        s->deployments = p->deployments;
    }
    s->plan_keys = p->plan_keys;
    if (lab_function(s)) {
        s->versions = p->versions;
        s->aliases = p->aliases;
        cJSON *pol = policies_of(p);
        if (pol) {
            json_set(own, "policies", pol);
            s->policies = pol;
        }
    }
    s->invokes = p->invokes;
    s->requests = p->requests;
    return own;
}

/* --- where a step is done --------------------------------------------------------- */

static bool has_published(const cJSON *versions) {
    const cJSON *v;
    cJSON_ArrayForEach(v, versions) {
        if (strcmp(json_str_or(v, "Version", "$LATEST"), "$LATEST") != 0) return true;
    }
    return false;
}

guide_place guide_place_of(const lab_snapshot *s, int step, const char **name) {
    *name = NULL;
    const char *api = json_str(lab_api(s), "id");
    bool fn = lab_function(s) != NULL;
    switch (step) {
    case 3:
    case 6:
    case 9:
        if (!api) return GUIDE_APIS;
        *name = api;
        return GUIDE_API_RESOURCES;
    case 7:
    case 10:
        if (!api) return GUIDE_APIS;
        *name = api;
        return GUIDE_API_STAGES;
    case 4:
    case 5:
        if (!fn) return GUIDE_FUNCTIONS;
        *name = LAB_FUNCTION;
        if (step == 4) return GUIDE_FN_CODE;
        return has_published(s->versions) ? GUIDE_FN_ALIASES : GUIDE_FN_VERSIONS;
    case 8: return GUIDE_PLANS;
    case LAB_STEP_CLEANUP: return GUIDE_APIS;
    default: return GUIDE_NOWHERE;
    }
}

/* --- prints ------------------------------------------------------------------------ */

/* FNV-1a over the compact text of v, then a separator, so that two parts
 * cannot run into each other. */
static unsigned long long mix(unsigned long long h, const cJSON *v) {
    char *text = v ? cJSON_PrintUnformatted(v) : NULL;
    for (const char *c = text ? text : "-"; *c; c++) h = (h ^ (unsigned char)*c) * 1099511628211ULL;
    free(text);
    return (h ^ 0x1e) * 1099511628211ULL;
}

#define FNV_START 14695981039346656037ULL

unsigned long long guide_stage_print(const lab_snapshot *s) {
    const cJSON *api = lab_api(s);
    if (!api || cJSON_GetArraySize(s->stages) == 0) return 0;
    unsigned long long h = FNV_START;
    h = mix(h, cJSON_GetObjectItemCaseSensitive(api, "id"));
    h = mix(h, s->stages);
    h = mix(h, lab_key(s));
    h = mix(h, lab_plan(s));
    h = mix(h, s->plan_keys);
    h = mix(h, lab_function(s));
    h = mix(h, s->aliases);
    h = mix(h, s->policies);
    return h ? h : 1;
}

unsigned long long guide_function_print(const lab_snapshot *s) {
    const cJSON *fn = lab_function(s);
    if (!fn) return 0;
    unsigned long long h = mix(FNV_START, fn);
    return h ? h : 1;
}

/* --- the guide's own reads ------------------------------------------------------------ */

/* Three kinds of rounds, each newer one replacing what an older one in
 * flight would bring. */
enum { R_READS, R_REQUESTS, R_INVOKES, R__COUNT };

typedef struct shared {
    int refs;
    ui_life *life;
    unsigned ver; /* bumped when a round brought something */
    cJSON *plan_keys, *alias_policies, *requests, *invokes;
    unsigned seq[R__COUNT];
    bool busy[R__COUNT];
} shared;

static void shared_release(shared *sh) {
    if (!sh || --sh->refs > 0) return;
    cJSON_Delete(sh->plan_keys);
    cJSON_Delete(sh->alias_policies);
    cJSON_Delete(sh->requests);
    cJSON_Delete(sh->invokes);
    if (sh->life) life_release(sh->life);
    free(sh);
}

typedef struct round {
    shared *sh;
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

static round *round_new(shared *sh, int kind) {
    round *r = xcalloc(1, sizeof *r);
    r->sh = sh;
    sh->refs++;
    r->kind = kind;
    r->seq = ++sh->seq[kind];
    r->out = cJSON_CreateObject();
    sh->busy[kind] = true;
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
    shared *sh = r->sh;
    if (r->seq == sh->seq[r->kind]) {
        if (r->kind == R_READS) {
            if (r->failed) { /* the policies stay unread: skipped */
                cJSON_Delete(r->out);
                r->out = NULL;
            }
            take(&sh->plan_keys, &r->items);
            take(&sh->alias_policies, &r->out);
        } else {
            take(r->kind == R_REQUESTS ? &sh->requests : &sh->invokes, &r->out);
        }
        sh->busy[r->kind] = false;
        sh->ver++;
        if (sh->life->cx) sh->life->cx->host->dirty |= UI_DIRTY_CONTENT;
    }
    cJSON_Delete(r->items);
    cJSON_Delete(r->out);
    shared_release(sh);
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

/* A text that is JSON as JSON, else as a string (the lab's answers). */
static cJSON *parsed_or_text(const char *text, size_t len) {
    cJSON *v = text && len ? cJSON_ParseWithLength(text, len) : NULL;
    if (!v) {
        char *copy = xstrndup(text ? text : "", len);
        v = cJSON_CreateString(copy);
        free(copy);
    }
    return v;
}

static cJSON *error_answer(const err *e) {
    cJSON *a = cJSON_CreateObject();
    char text[700];
    json_set_num(a, "status", e ? e->status : 0);
    json_set_str(a, "error", e ? err_text(e, text, sizeof text) : "no answer");
    return a;
}

static void on_request(void *ud, const http_response *resp, const err *e) {
    slot *s = ud;
    cJSON *a;
    if (resp) {
        a = cJSON_CreateObject();
        json_set_num(a, "status", resp->status);
        json_set(a, "body", parsed_or_text(resp->body, resp->body_len));
    } else {
        a = error_answer(e);
    }
    json_set(s->r->out, s->key, a);
    slot_done(s);
}

static void on_invoke(void *ud, const cJSON *result, const err *e) {
    slot *s = ud;
    cJSON *a;
    if (e) {
        a = error_answer(e);
    } else {
        a = cJSON_CreateObject();
        json_set_num(a, "StatusCode", json_num_or(result, "StatusCode", 0));
        const char *fe = json_str(result, "FunctionError");
        if (fe) json_set_str(a, "FunctionError", fe);
        const char *payload = json_str(result, "Payload");
        json_set(a, "Payload", parsed_or_text(payload, payload ? strlen(payload) : 0));
    }
    json_set(s->r->out, s->key, a);
    slot_done(s);
}

/* CloudAcademyPlan's keys and the aliases' policies: what the mirror does
 * not hold. A round with nothing to ask finishes at once. */
static void start_reads(shared *sh, ui_ctx *cx) {
    round *r = round_new(sh, R_READS);
    r->left = 1; /* held until every request left */
    const char *plan = json_str(lab_named(mirror_usage_plans(cx->m), "name", LAB_PLAN), "id");
    if (plan) {
        const char *p[] = {plan};
        client_list_all(cx->cl, APIGW_GetUsagePlanKeys, p, 1, NULL, on_read, slot_new(r, NULL, true));
    }
    const cJSON *aliases = lab_named(mirror_functions(cx->m), "FunctionName", LAB_FUNCTION)
                               ? mirror_aliases(cx->m, LAB_FUNCTION)
                               : NULL;
    if (!aliases) r->failed = true; /* not loaded: the policies stay unread */
    const cJSON *a;
    cJSON_ArrayForEach(a, aliases) {
        const char *name = json_str(a, "Name");
        if (name) lambda_get_policy(cx->cl, LAB_FUNCTION, name, on_read, slot_new(r, name, false));
    }
    if (--r->left == 0) round_finish(r);
}

/* The lab's GET requests to the stages that exist, with LabKey's value
 * where the lab sends it. */
static void start_requests(shared *sh, ui_ctx *cx, const lab_snapshot *s) {
    const char *api = json_str(lab_api(s), "id");
    const char *key = json_str(lab_key(s), "value");
    bool path_style = cx->offline || cx->endpoint_url;
    round *r = round_new(sh, R_REQUESTS);
    r->left = 1;
    for (int i = 0; i < LAB_PROBES && api; i++) {
        const lab_probe *p = &lab_probes[i];
        if (!lab_stage(s, p->stage)) continue;
        http_request *base = http_request_new(p->verb, p->path);
        http_headers_set(&base->headers, "Accept", "application/json");
        if (p->with_key && key) http_headers_set(&base->headers, "x-api-key", key);
        http_request *one = invoke_remote_request(api, p->stage, cx->region, base, path_style);
        http_request_free(base);
        one->anonymous = true; /* the lab's methods take no IAM signature */
        char name[128];
        lab_probe_name(p, name, sizeof name);
        client_raw(cx->cl, one, on_request, slot_new(r, name, false));
    }
    if (--r->left == 0) round_finish(r);
}

static void start_invokes(shared *sh, ui_ctx *cx) {
    round *r = round_new(sh, R_INVOKES);
    r->left = 1;
    for (int i = 0; i < LAB_EVENTS; i++) {
        const lab_event *ev = &lab_events[i];
        lambda_invoke(cx->cl, LAB_FUNCTION, ev->body, strlen(ev->body), NULL, on_invoke,
                      slot_new(r, ev->name, false));
    }
    if (--r->left == 0) round_finish(r);
}

/* --- the pane ------------------------------------------------------------------------ */

typedef struct guide_pane {
    pane base;
    shared *sh;
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
    /* the view */
    int sel; /* 1..LAB_STEPS */
    int top;
    bool follow;
    int *line_step; /* the last draw's screen rows -> step (0: none) */
    int nrows;
    int page;
} guide_pane;

/* Every check passed: one that could not be judged yet (a part still
 * loading) leaves the step open. */
static bool step_complete(const lab_step_result *r) { return r->n && r->passed == r->n; }

static void build_snapshot(const ui_ctx *cx, const shared *sh, lab_snapshot *s, cJSON **own) {
    guide_parts p;
    guide_parts_from_mirror(cx->m, cx->lists_loaded, &p);
    p.plan_keys = sh->plan_keys;
    p.alias_policies = sh->alias_policies;
    p.requests = sh->requests;
    p.invokes = sh->invokes;
    *own = guide_snapshot(&p, s);
}

/* The lab's requests again when what they answer from changed; not before
 * the mirror and the guide's reads settled, so one change sends them once. */
static void maybe_probe(guide_pane *gp, ui_ctx *cx, const lab_snapshot *s) {
    if (!gp->sh->life || mirror_busy(cx->m) || gp->sh->busy[R_READS] || !gp->read_once ||
        gp->read_gen != mirror_generation(cx->m))
        return;
    unsigned long long sp = guide_stage_print(s), fp = guide_function_print(s);
    if (sp && sp != gp->stage_print) {
        gp->stage_print = sp;
        start_requests(gp->sh, cx, s);
    }
    if (fp && fp != gp->fn_print) {
        gp->fn_print = fp;
        start_invokes(gp->sh, cx);
    }
}

/* Judge every step again when the mirror or the reads changed. The
 * selection follows the user: first to the first unfinished step, then
 * on to the next one when the selected step is completed (a part still
 * loading leaves a step unfinished, so the selection walks on as the
 * account's details come in). */
static void judge(guide_pane *gp, ui_ctx *cx) {
    unsigned long gen = mirror_generation(cx->m);
    if (gp->judged && gen == gp->judged_gen && gp->sh->ver == gp->judged_ver &&
        cx->lists_loaded == gp->loaded)
        return;
    bool was_complete = gp->judged && step_complete(&gp->res[gp->sel - 1]);
    lab_snapshot s;
    cJSON *own;
    build_snapshot(cx, gp->sh, &s, &own);
    for (int n = 1; n <= LAB_STEPS; n++) lab_evaluate(&s, n, &gp->res[n - 1]);
    gp->judged = true;
    gp->judged_gen = gen;
    gp->judged_ver = gp->sh->ver;
    gp->loaded = cx->lists_loaded;
    maybe_probe(gp, cx, &s);
    cJSON_Delete(own);
    if (!cx->lists_loaded) return;
    /* The first unfinished step at first; then the next unfinished one
     * after the selected step when it was just completed. */
    int from = 1;
    if (gp->placed) {
        if (was_complete || !step_complete(&gp->res[gp->sel - 1])) return;
        from = gp->sel + 1;
    }
    gp->placed = true;
    int n = from;
    while (n < LAB_STEP_CLEANUP && (!gp->res[n - 1].n || step_complete(&gp->res[n - 1]))) n++;
    if (n != gp->sel) {
        gp->sel = n; /* the clean-up when every step is done */
        gp->follow = true;
    }
}

/* Ask the mirror for ItemsAPI's and ItemsFunction's details once, when
 * nothing else did (the open API or function loads its own). */
static void ask_details(guide_pane *gp, ui_ctx *cx) {
    if (!cx->lists_loaded) return;
    const char *api = json_str(lab_pick_api(mirror_apis(cx->m)), "id");
    if (!api) {
        gp->api_asked[0] = '\0';
    } else if (!mirror_resources(cx->m, api) && strcmp(gp->api_asked, api) != 0) {
        snprintf(gp->api_asked, sizeof gp->api_asked, "%s", api);
        if (!cx->api_id || strcmp(cx->api_id, api) != 0) mirror_refresh_api(cx->m, api, NULL, NULL);
    }
    bool fn = lab_named(mirror_functions(cx->m), "FunctionName", LAB_FUNCTION) != NULL;
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
    start_reads(gp->sh, cx);
}

static void guide_sync(pane *p, ui_ctx *cx) {
    guide_pane *gp = (guide_pane *)p;
    if (!gp->sh->life) { /* what the requests in flight check the app by */
        gp->sh->life = cx->host->life;
        gp->sh->life->refs++;
    }
    ask_details(gp, cx);
    maybe_read(gp, cx);
}

void guide_reload(pane *p, ui_ctx *cx) {
    guide_pane *gp = (guide_pane *)p;
    const char *api = json_str(lab_pick_api(mirror_apis(cx->m)), "id");
    if (api && (!cx->api_id || strcmp(cx->api_id, api) != 0)) mirror_refresh_api(cx->m, api, NULL, NULL);
    if (lab_named(mirror_functions(cx->m), "FunctionName", LAB_FUNCTION))
        mirror_refresh_function(cx->m, LAB_FUNCTION, NULL, NULL);
    /* Read and ask again once the mirror settles. */
    gp->read_once = false;
    gp->stage_print = gp->fn_print = 0;
}

/* --- lines ------------------------------------------------------------------------------ */

/* The text of the guide as screen lines for one width, rebuilt at each
 * draw (only the selected step is open, so a few dozen lines). x is from
 * the text's origin; text never reaches the last column. */
typedef enum line_kind { L_HEAD, L_HEAD_MORE, L_TEXT } line_kind;

typedef struct gline {
    line_kind kind;
    int step;
    int x;
    char *text; /* sanitized */
    size_t dim; /* bytes at the start drawn dim (a value's field) */
    ui_role role;
    const char *mark; /* a check's mark, two columns before x */
    ui_role mark_role;
} gline;

typedef struct lines {
    gline *v;
    int n, cap;
    const ui_theme *th;
    int width;
} lines;

static gline *line_add(lines *L, line_kind kind, int step, int x, const char *text, size_t len,
                       ui_role role) {
    if (L->n == L->cap) {
        L->cap = L->cap ? L->cap * 2 : 64;
        L->v = xrealloc(L->v, (size_t)L->cap * sizeof *L->v);
    }
    gline *g = &L->v[L->n++];
    *g = (gline){.kind = kind, .step = step, .x = x, .text = xstrndup(text, len), .role = role};
    return g;
}

static void blank(lines *L, int step) { line_add(L, L_TEXT, step, 0, "", 0, UI_R_NORMAL); }

static void lines_free(lines *L) {
    for (int i = 0; i < L->n; i++) free(L->v[i].text);
    free(L->v);
}

/* How many bytes of s go on a line of room columns: whole words when a
 * space comes late enough. */
static size_t wrap_at(const ui_theme *th, const char *s, int room) {
    size_t k = draw_fit(th, s, room > 1 ? room : 1);
    if (k == 0) return *s ? 1 : 0;
    if (!s[k]) return k;
    for (size_t j = k; j > k / 3; j--)
        if (s[j] == ' ') return j;
    return k;
}

/* raw, sanitized and wrapped from column x (later lines from x2); the
 * first dim bytes are drawn dim. Returns the index of the first line. */
static int wrapped(lines *L, int step, int x, int x2, const char *raw, ui_role role, size_t dim) {
    char *text = text_sanitize(raw);
    int first = L->n;
    const char *p = text;
    int at = x;
    do {
        size_t k = wrap_at(L->th, p, L->width - at - 1);
        gline *g = line_add(L, L_TEXT, step, at, p, k, role);
        size_t done = (size_t)(p - text);
        if (dim > done) g->dim = dim - done < k ? dim - done : k;
        p += k;
        while (*p == ' ') p++;
        at = x2;
    } while (*p);
    free(text);
    return first;
}

/* The lab's text: paragraphs split on new lines. */
static void paragraphs(lines *L, int step, const char *text) {
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");
        if (n == 0) {
            blank(L, step);
        } else {
            char *one = xstrndup(p, n);
            wrapped(L, step, 2, 2, one, UI_R_NORMAL, 0);
            free(one);
        }
        p += n + (p[n] == '\n');
    }
}

static const char *step_mark(const ui_theme *th, const lab_step_result *r, ui_role *role) {
    if (!r->n || r->skipped == r->n) {
        *role = UI_R_DIM;
        return th->dash;
    }
    if (step_complete(r)) {
        *role = UI_R_OK;
        return th->ok;
    }
    /* Under way (something passed, something missing), or not begun. */
    bool under_way = r->passed && r->failed;
    *role = under_way ? UI_R_ERROR : UI_R_DIM;
    return under_way ? th->fail : th->pending;
}

static void step_count(const lab_step_result *r, char *out, size_t n) {
    if (!r->n || r->skipped == r->n)
        out[0] = '\0';
    else
        snprintf(out, n, "%zu/%zu", r->passed, r->n); /* as `lab status` counts */
}

static void check_lines(lines *L, const lab_step_result *r, int step) {
    const ui_theme *th = L->th;
    if (!r->n) {
        wrapped(L, step, 2, 2, "Nothing to check in this step.", UI_R_DIM, 0);
        return;
    }
    char head[96];
    int len = snprintf(head, sizeof head, "%zu out of %zu check%s passed", r->passed, r->n,
                       r->n == 1 ? "" : "s");
    if (r->skipped) snprintf(head + len, sizeof head - (size_t)len, ", %zu not checked", r->skipped);
    wrapped(L, step, 2, 2, head, UI_R_HEADING, 0);
    const char *said = NULL;
    for (size_t i = 0; i < r->n; i++) {
        const lab_result *c = &r->r[i];
        gline *g = &L->v[wrapped(L, step, 4, 4, c->check->what,
                                 c->status == LAB_SKIP ? UI_R_DIM : UI_R_NORMAL, 0)];
        g->mark = c->status == LAB_PASS ? th->ok : c->status == LAB_FAIL ? th->fail : th->dash;
        g->mark_role = c->status == LAB_PASS ? UI_R_OK : c->status == LAB_FAIL ? UI_R_ERROR : UI_R_DIM;
        if (c->status == LAB_PASS || !c->msg[0]) continue;
        /* Checks in a row that miss the same thing say it once, first. */
        if (said && strcmp(said, c->msg) == 0) continue;
        said = c->msg;
        wrapped(L, step, 6, 6, c->msg, c->status == LAB_FAIL ? UI_R_ACCENT : UI_R_DIM, 0);
    }
}

/* The selected step, open: its checks first (they change as the user
 * works; the text does not), then what to do and the values to enter. */
static void body_lines(lines *L, const lab_step *st, const lab_step_result *r) {
    blank(L, st->n);
    check_lines(L, r, st->n);
    blank(L, st->n);
    wrapped(L, st->n, 2, 2, "What to do", UI_R_HEADING, 0);
    paragraphs(L, st->n, st->instructions);
    if (st->nvalues) {
        blank(L, st->n);
        wrapped(L, st->n, 2, 2, "Values to enter", UI_R_HEADING, 0);
        for (size_t i = 0; i < st->nvalues; i++) {
            char *one = xasprintf("%s: %s", st->values[i].field, st->values[i].value);
            wrapped(L, st->n, 2, 4, one, UI_R_NORMAL, strlen(st->values[i].field) + 1);
            free(one);
        }
    }
    blank(L, st->n);
}

#define TITLE_X 6 /* mark, space, two digits, space */

/* A step's line: its title, cut short; wrapped whole when open. The
 * mark, number and count are drawn from the results. */
static void head_lines(lines *L, const lab_step *st, const lab_step_result *r, bool open) {
    char count[32];
    step_count(r, count, sizeof count);
    int room = L->width - TITLE_X - 1 - (count[0] ? (int)strlen(count) + 1 : 0);
    char *title = text_sanitize(st->title);
    if (!open || room < 8) {
        line_add(L, L_HEAD, st->n, TITLE_X, title, strlen(title), UI_R_NORMAL);
    } else {
        line_kind kind = L_HEAD;
        for (const char *p = title; *p; kind = L_HEAD_MORE) {
            size_t k = wrap_at(L->th, p, room);
            line_add(L, kind, st->n, TITLE_X, p, k, UI_R_NORMAL);
            p += k;
            while (*p == ' ') p++;
        }
    }
    free(title);
}

static void build_lines(const guide_pane *gp, lines *L) {
    for (int n = 1; n <= LAB_STEPS; n++) {
        const lab_step *st = lab_step_get(n);
        if (!st) continue;
        head_lines(L, st, &gp->res[n - 1], n == gp->sel);
        if (n == gp->sel) body_lines(L, st, &gp->res[n - 1]);
    }
}

/* --- drawing ------------------------------------------------------------------------------ */

/* Keep top in range; after the selection moved, show its step: its line
 * with two lines of the steps before it, and all of it when it fits. */
static void place_view(guide_pane *gp, const lines *L, int avail) {
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

static void draw_head(WINDOW *w, const ui_theme *th, const gline *g, const lab_step_result *r,
                      int y, int x0, int width, attr_t sel) {
    char count[32] = "";
    if (g->kind == L_HEAD) step_count(r, count, sizeof count);
    int cw = count[0] ? (int)strlen(count) : 0;
    if (g->kind == L_HEAD) {
        ui_role mr;
        const char *mark = step_mark(th, r, &mr);
        wattrset(w, sel ? sel : th->attr[mr]);
        draw_text(w, th, y, x0 + 1, mark, 1);
        char num[8];
        snprintf(num, sizeof num, "%2d", g->step);
        wattrset(w, sel ? sel : th->attr[UI_R_DIM]);
        draw_text(w, th, y, x0 + 3, num, 2);
    }
    int room = width - x0 - TITLE_X - 1 - (cw ? cw + 1 : 0);
    wattrset(w, sel ? sel | A_BOLD : A_NORMAL);
    draw_text(w, th, y, x0 + TITLE_X, g->text, room);
    if (cw) {
        wattrset(w, sel ? sel : th->attr[step_complete(r) ? UI_R_OK : UI_R_DIM]);
        draw_text(w, th, y, width - 1 - cw, count, cw);
    }
}

static void draw_text_line(WINDOW *w, const ui_theme *th, const gline *g, int y, int x0, int width) {
    int x = x0 + g->x, room = width - 1 - x;
    if (g->mark) {
        wattrset(w, th->attr[g->mark_role]);
        draw_text(w, th, y, x - 2, g->mark, 1);
    }
    if (g->dim) {
        char *part = xstrndup(g->text, g->dim);
        wattrset(w, th->attr[UI_R_DIM]);
        int used = draw_text(w, th, y, x, part, room);
        free(part);
        x += used;
        room -= used;
    }
    wattrset(w, th->attr[g->role]);
    draw_text(w, th, y, x, g->text + g->dim, room);
}

/* The heading: the guide's name, and what is under way or the key. */
static void draw_heading(WINDOW *w, const ui_ctx *cx, const guide_pane *gp, int x0, int width) {
    const ui_theme *th = cx->th;
    wattrset(w, th->attr[UI_R_HEADING]);
    draw_blank(w, 0, x0, width - x0);
    int used = draw_text(w, th, 0, x0 + 1, "Lab guide", width - x0 - 2);
    const shared *sh = gp->sh;
    bool loading = !cx->lists_loaded && cx->busy;
    bool checking = loading || sh->busy[R_READS] || sh->busy[R_REQUESTS] || sh->busy[R_INVOKES];
    char *hint = checking ? xasprintf("%s%s", loading ? "loading" : "checking", th->ellipsis)
                          : xstrdup("Enter: go there");
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
        for (int y = 0; y < h; y++) mvwaddstr(w, y, 0, th->vline);
    }
    draw_heading(w, cx, gp, x0, width);
    lines L = {.th = th, .width = width - x0};
    build_lines(gp, &L);
    int avail = h - 1;
    gp->page = avail;
    place_view(gp, &L, avail);
    free(gp->line_step);
    gp->nrows = avail > 0 ? avail : 0;
    gp->line_step = xcalloc((size_t)gp->nrows + 1, sizeof *gp->line_step);
    for (int i = gp->top, y = 1; i < L.n && y < h; i++, y++) {
        const gline *g = &L.v[i];
        gp->line_step[y - 1] = g->kind == L_TEXT ? 0 : g->step;
        if (g->kind == L_TEXT) {
            wattrset(w, A_NORMAL);
            draw_text_line(w, th, g, y, x0, width);
        } else {
            attr_t sel = g->step == gp->sel ? th->attr[focused ? UI_R_SEL : UI_R_SEL_IDLE] : 0;
            if (sel) {
                wattrset(w, sel);
                draw_blank(w, y, x0, width - x0);
            }
            draw_head(w, th, g, &gp->res[g->step - 1], y, x0, width, sel);
        }
    }
    wattrset(w, A_NORMAL);
    lines_free(&L);
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
    build_snapshot(cx, gp->sh, &s, &own);
    const char *name;
    guide_place pl = guide_place_of(&s, gp->sel, &name);
    char *copy = name ? xstrdup(name) : NULL;
    cJSON_Delete(own);
    if (pl == GUIDE_NOWHERE) {
        ui_message(cx, "Step %d is done outside the console's panes: the text above says how", gp->sel);
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
    shared_release(gp->sh);
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
    gp->base.scopes = UI_SC_MOVE | UI_SC_OPEN;
    gp->res = xcalloc(LAB_STEPS, sizeof *gp->res);
    gp->sel = 1;
    gp->sh = xcalloc(1, sizeof *gp->sh);
    gp->sh->refs = 1;
    return &gp->base;
}
