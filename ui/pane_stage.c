/* One stage of the open API, as the console's Stage details: invoke URL,
 * the deployment it serves, stage variables, cache and throttling, and the
 * deployment history with rollback. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client/apigw.h"
#include "core/json.h"
#include "core/mem.h"
#include "ui/draw.h"
#include "ui/job.h"
#include "ui/pane.h"
#include "ui/sheet.h"

typedef struct stage_pane {
    pane base;
    char *api, *name;
    ui_sheet sheet;
    bool found;
} stage_pane;

static const char *const cache_sizes[] = {"0.5", "1.6", "6.1", "13.5", "28.4", "58.2", "118", "237"};
static const char *const strategies[] = {"FAIL_WITH_403", "SUCCEED_WITH_RESPONSE_HEADER",
                                         "SUCCEED_WITHOUT_RESPONSE_HEADER"};
static const char *const strategy_words[] = {
    "Fail the request with 403", "Ignore it, add a warning header", "Ignore it, no header"};

static const cJSON *find_stage(const ui_ctx *cx, const char *api, const char *name) {
    return json_find(mirror_stages(cx->m, api), "stageName", name);
}

static const cJSON *find_deployment(const ui_ctx *cx, const char *api, const char *id) {
    return json_find(mirror_deployments(cx->m, api), "id", id);
}

/* The stage-wide method settings (the star-slash-star key), or NULL. */
static const cJSON *all_methods(const cJSON *st) {
    return json_obj(json_obj(st, "methodSettings"), "*/*");
}

static const char *strategy_text(const char *wire) {
    for (size_t i = 0; i < 3; i++)
        if (strcmp(wire, strategies[i]) == 0) return strategy_words[i];
    return wire;
}

static void add_cache(ui_sheet *sh, const cJSON *st) {
    const cJSON *ms = all_methods(st);
    char v[256];
    sheet_heading(sh, "Cache", "e edit cache and throttling");
    bool on = json_bool_or(st, "cacheClusterEnabled", false);
    snprintf(v, sizeof v, "%s", on ? "provisioned" : "off");
    if (on) snprintf(v, sizeof v, "provisioned, %s GB (%s)", json_str_or(st, "cacheClusterSize", "0.5"),
                     json_str_or(st, "cacheClusterStatus", "?"));
    sheet_field(sh, "cache", "API cache", v, UI_R_NORMAL);
    if (!ms) {
        sheet_field(sh, "cache", "Method caching", "off (no stage-wide method settings)", UI_R_DIM);
        return;
    }
    snprintf(v, sizeof v, "%s, TTL %g s%s", json_bool_or(ms, "cachingEnabled", false) ? "on" : "off",
             json_num_or(ms, "cacheTtlInSeconds", 300),
             json_bool_or(ms, "cacheDataEncrypted", false) ? ", encrypted" : "");
    sheet_field(sh, "cache", "Method caching", v, UI_R_NORMAL);
    snprintf(v, sizeof v, "%s; %s",
             json_bool_or(ms, "requireAuthorizationForCacheControl", false) ? "authorization required"
                                                                           : "anyone may invalidate",
             strategy_text(json_str_or(ms, "unauthorizedCacheControlHeaderStrategy", "")));
    sheet_field(sh, "cache", "Invalidation", v, UI_R_NORMAL);
}

static void add_throttle(ui_sheet *sh, const cJSON *st) {
    const cJSON *ms = all_methods(st);
    char v[128];
    sheet_heading(sh, "Throttling", "e edit");
    if (ms)
        snprintf(v, sizeof v, "%g requests/s, burst %g", json_num_or(ms, "throttlingRateLimit", 10000),
                 json_num_or(ms, "throttlingBurstLimit", 5000));
    else
        snprintf(v, sizeof v, "the account's limits (10000 requests/s, burst 5000)");
    sheet_field(sh, "throttle", "Rate, burst", v, UI_R_NORMAL);
}

static void add_history(ui_sheet *sh, const ui_ctx *cx, const char *api, const cJSON *st) {
    const cJSON *deps = mirror_deployments(cx->m, api);
    sheet_heading(sh, "Deployment history", "x roll back to the selected one");
    if (!cJSON_GetArraySize(deps)) {
        sheet_line(sh, NULL, "none", UI_R_DIM);
        return;
    }
    const char *cur = json_str_or(st, "deploymentId", "");
    const cJSON *d;
    cJSON_ArrayForEach(d, deps) {
        const char *id = json_str_or(d, "id", "");
        char *key = xasprintf("dep:%s", id);
        double at = json_num_or(d, "createdDate", 0);
        char when[32] = "";
        time_t t = (time_t)at;
        struct tm tm;
        if (at > 0 && gmtime_r(&t, &tm)) strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
        char *line = xasprintf("%s %-10s %s  %s", strcmp(id, cur) == 0 ? "*" : " ", id, when,
                               json_str_or(d, "description", ""));
        sheet_line(sh, key, line, strcmp(id, cur) == 0 ? UI_R_OK : UI_R_NORMAL);
        free(line);
        free(key);
    }
}

static void stage_sync(pane *p, ui_ctx *cx) {
    stage_pane *sp = (stage_pane *)p;
    ui_sheet *sh = &sp->sheet;
    sheet_clear(sh);
    const cJSON *st = find_stage(cx, sp->api, sp->name);
    sp->found = st != NULL;
    if (!st) {
        sheet_done(sh);
        return;
    }
    char *url = ui_invoke_url(cx, sp->api, sp->name);
    sheet_field(sh, "url", "Invoke URL", url, UI_R_ACCENT);
    free(url);
    const char *dep = json_str_or(st, "deploymentId", "");
    const cJSON *d = find_deployment(cx, sp->api, dep);
    char *v = d && json_str(d, "description") ? xasprintf("%s (%s)", dep, json_str(d, "description"))
                                              : xstrdup(dep);
    sheet_field(sh, "deployment", "Deployment", v, UI_R_NORMAL);
    free(v);
    sheet_field(sh, "description", "Description", json_str_or(st, "description", "-"), UI_R_NORMAL);
    sheet_heading(sh, "Stage variables", "c add  e edit  d remove");
    const cJSON *var;
    int nvars = 0;
    cJSON_ArrayForEach(var, json_obj(st, "variables")) {
        if (!cJSON_IsString(var)) continue;
        char *key = xasprintf("var:%s", var->string);
        sheet_field(sh, key, var->string, var->valuestring, UI_R_NORMAL);
        free(key);
        nvars++;
    }
    sheet_line(sh, "var+", nvars ? "+ add a variable" : "none yet; + add a variable", UI_R_DIM);
    add_cache(sh, st);
    add_throttle(sh, st);
    add_history(sh, cx, sp->api, st);
    sheet_done(sh);
}

static void stage_draw(pane *p, ui_ctx *cx, WINDOW *w, int h, int width, bool focused) {
    stage_pane *sp = (stage_pane *)p;
    char *title = xasprintf("Stage %s", sp->name);
    pane_heading(w, cx, width, true, title, NULL);
    free(title);
    if (!sp->found) {
        if (mirror_stages(cx->m, sp->api))
            pane_note(w, cx->th, 3, width, "This stage is gone (deleted?); Esc goes back");
        else
            pane_missing(w, cx, 3, width);
        return;
    }
    sheet_draw(&sp->sheet, w, cx->th, 1, h, width, focused);
}

/* --- actions -------------------------------------------------------------------- */

typedef struct stage_ref {
    char *api, *stage, *var;
    int name, value;
} stage_ref;

static void ref_free(void *p) {
    stage_ref *r = p;
    free(r->api);
    free(r->stage);
    free(r->var);
    free(r);
}

static stage_ref *ref_new(const stage_pane *sp, const char *var) {
    stage_ref *r = xcalloc(1, sizeof *r);
    r->api = xstrdup(sp->api);
    r->stage = xstrdup(sp->name);
    r->var = var ? xstrdup(var) : NULL;
    return r;
}

static void update(ui_ctx *cx, const stage_ref *r, const char *what, apigw_patch *p) {
    ui_job *j = ui_job_new(cx, what, UI_RELOAD_API);
    apigw_update_stage(cx->cl, r->api, r->stage, p, ui_job_done, ui_job_then(j, NULL));
}

static bool var_submit(ui_ctx *cx, form *f, void *ud) {
    stage_ref *r = ud;
    const char *name = form_value(f, r->name), *value = form_value(f, r->value);
    if (!*name) {
        form_set_error(f, "A variable needs a name");
        return false;
    }
    apigw_patch *p = apigw_patch_new();
    /* Renaming: the old name goes, the new one comes. */
    if (r->var && strcmp(r->var, name) != 0)
        apigw_patch_remove(p, apigw_patch_path(p, "variables", r->var, NULL), NULL);
    apigw_patch_replace(p, apigw_patch_path(p, "variables", name, NULL), value);
    char *what = xasprintf("Set %s=%s on %s", name, value, r->stage);
    update(cx, r, what, p);
    free(what);
    return true;
}

static void var_form(stage_pane *sp, ui_ctx *cx, const char *var) {
    const cJSON *st = find_stage(cx, sp->api, sp->name);
    stage_ref *r = ref_new(sp, var);
    form *f = form_new(var ? "Edit stage variable" : "Add stage variable");
    r->name = form_text(f, "Name", var ? var : "", "Letters, digits and _ (lambdaAlias)");
    r->value = form_text(f, "Value", var ? json_str_or(json_obj(st, "variables"), var, "") : "",
                         "Read in mappings as ${stageVariables.name}");
    if (var) form_set_focus(f, r->value);
    ui_form(cx, f, var_submit, NULL, r, ref_free);
}

static void var_remove(ui_ctx *cx, void *ud) {
    stage_ref *r = ud;
    apigw_patch *p = apigw_patch_new();
    apigw_patch_remove(p, apigw_patch_path(p, "variables", r->var, NULL), NULL);
    char *what = xasprintf("Remove variable %s from %s", r->var, r->stage);
    update(cx, r, what, p);
    free(what);
}

/* --- editing cache and throttling, as the console's Edit stage -------------------- */

typedef struct settings_form {
    stage_ref *r;
    int desc, cache, size, method_cache, encrypt, ttl, auth, strategy, throttle, rate, burst;
    /* what was there, to send only what changed */
    bool was_cache, was_method_cache, was_encrypt, was_auth, was_throttle;
    char was_desc[256], was_size[8], was_ttl[16], was_strategy[48], was_rate[24], was_burst[24];
} settings_form;

static void settings_free(void *p) {
    settings_form *s = p;
    ref_free(s->r);
    free(s);
}

static size_t index_of(const char *const *opts, size_t n, const char *v) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(opts[i], v) == 0) return i;
    return 0;
}

static void settings_change(ui_ctx *cx, form *f, void *ud) {
    settings_form *s = ud;
    bool cache = form_checked(f, s->cache), thr = form_checked(f, s->throttle);
    form_set_hidden(f, s->size, !cache);
    int deps[] = {s->method_cache, s->encrypt, s->ttl, s->auth, s->strategy};
    for (size_t i = 0; i < sizeof deps / sizeof *deps; i++) form_set_hidden(f, deps[i], !cache);
    form_set_hidden(f, s->strategy, !cache || !form_checked(f, s->auth));
    form_set_hidden(f, s->rate, !thr);
    form_set_hidden(f, s->burst, !thr);
}

static bool is_number(const char *s, bool integer) {
    char *end;
    if (!*s) return false;
    double v = strtod(s, &end);
    return !*end && v >= 0 && (!integer || v == (double)(long)v);
}

static void put_flag(apigw_patch *p, const char *path, bool was, bool now) {
    if (was != now) apigw_patch_replace(p, path, now ? "true" : "false");
}

static void put_text(apigw_patch *p, const char *path, const char *was, const char *now) {
    if (strcmp(was, now) != 0) apigw_patch_replace(p, path, now);
}

static bool settings_submit(ui_ctx *cx, form *f, void *ud) {
    settings_form *s = ud;
    bool cache = form_checked(f, s->cache), thr = form_checked(f, s->throttle);
    if (cache && !is_number(form_value(f, s->ttl), true)) {
        form_set_error(f, "The TTL is a whole number of seconds (0 to 3600)");
        return false;
    }
    if (thr && (!is_number(form_value(f, s->rate), false) || !is_number(form_value(f, s->burst), true))) {
        form_set_error(f, "Rate and burst are numbers (burst a whole one)");
        return false;
    }
    apigw_patch *p = apigw_patch_new();
    put_text(p, "/description", s->was_desc, form_value(f, s->desc));
    put_flag(p, "/cacheClusterEnabled", s->was_cache, cache);
    if (cache) {
        put_text(p, "/cacheClusterSize", s->was_size, form_value(f, s->size));
        put_flag(p, "/*/*/caching/enabled", s->was_method_cache, form_checked(f, s->method_cache));
        put_flag(p, "/*/*/caching/dataEncrypted", s->was_encrypt, form_checked(f, s->encrypt));
        put_text(p, "/*/*/caching/ttlInSeconds", s->was_ttl, form_value(f, s->ttl));
        put_flag(p, "/*/*/caching/requireAuthorizationForCacheControl", s->was_auth,
                 form_checked(f, s->auth));
        if (form_checked(f, s->auth))
            put_text(p, "/*/*/caching/unauthorizedCacheControlHeaderStrategy", s->was_strategy,
                     strategies[form_selected(f, s->strategy)]);
    } else if (s->was_method_cache) {
        put_flag(p, "/*/*/caching/enabled", true, false);
    }
    if (thr) {
        put_text(p, "/*/*/throttling/rateLimit", s->was_rate, form_value(f, s->rate));
        put_text(p, "/*/*/throttling/burstLimit", s->was_burst, form_value(f, s->burst));
    } else if (s->was_throttle) {
        /* Off: back to the account's limits. */
        apigw_patch_replace(p, "/*/*/throttling/rateLimit", "10000");
        apigw_patch_replace(p, "/*/*/throttling/burstLimit", "5000");
    }
    int n = cJSON_GetArraySize(apigw_patch_ops(p));
    if (n == 0) {
        apigw_patch_free(p);
        ui_message(cx, "Nothing changed");
        return true;
    }
    char *what = xasprintf("Update stage %s (%d setting%s)", s->r->stage, n, n == 1 ? "" : "s");
    update(cx, s->r, what, p);
    free(what);
    return true;
}

static void settings_form_open(stage_pane *sp, ui_ctx *cx) {
    const cJSON *st = find_stage(cx, sp->api, sp->name);
    if (!st) return;
    const cJSON *ms = all_methods(st);
    settings_form *s = xcalloc(1, sizeof *s);
    s->r = ref_new(sp, NULL);
    snprintf(s->was_desc, sizeof s->was_desc, "%s", json_str_or(st, "description", ""));
    s->was_cache = json_bool_or(st, "cacheClusterEnabled", false);
    snprintf(s->was_size, sizeof s->was_size, "%s", json_str_or(st, "cacheClusterSize", "0.5"));
    s->was_method_cache = json_bool_or(ms, "cachingEnabled", false);
    s->was_encrypt = json_bool_or(ms, "cacheDataEncrypted", false);
    snprintf(s->was_ttl, sizeof s->was_ttl, "%g", json_num_or(ms, "cacheTtlInSeconds", 300));
    s->was_auth = json_bool_or(ms, "requireAuthorizationForCacheControl", false);
    snprintf(s->was_strategy, sizeof s->was_strategy, "%s",
             json_str_or(ms, "unauthorizedCacheControlHeaderStrategy", "SUCCEED_WITH_RESPONSE_HEADER"));
    s->was_throttle = ms != NULL;
    snprintf(s->was_rate, sizeof s->was_rate, "%g", json_num_or(ms, "throttlingRateLimit", 10000));
    snprintf(s->was_burst, sizeof s->was_burst, "%g", json_num_or(ms, "throttlingBurstLimit", 5000));

    char *title = xasprintf("Edit stage %s", sp->name);
    form *f = form_new(title);
    free(title);
    s->desc = form_text(f, "Description", s->was_desc, NULL);
    s->cache = form_check(f, "Provision API cache", s->was_cache);
    s->size = form_choice(f, "Cache capacity (GB)", cache_sizes, 8, index_of(cache_sizes, 8, s->was_size));
    s->method_cache = form_check(f, "Cache every method", s->was_method_cache);
    s->encrypt = form_check(f, "Encrypt cache data", s->was_encrypt);
    s->ttl = form_text(f, "Cache TTL (seconds)", s->was_ttl, "0 to 3600");
    s->auth = form_check(f, "Invalidation needs authorization", s->was_auth);
    s->strategy = form_choice(f, "Unauthorized invalidation", strategy_words, 3,
                              index_of(strategies, 3, s->was_strategy));
    /* New stages have the account's limits in force; the console shows
     * throttling on for them. */
    s->throttle = form_check(f, "Throttling", true);
    s->rate = form_text(f, "Rate (requests/s)", s->was_rate, NULL);
    s->burst = form_text(f, "Burst (requests)", s->was_burst, NULL);
    ui_form(cx, f, settings_submit, settings_change, s, settings_free);
    settings_change(cx, f, s);
}

/* --- rollback and delete --------------------------------------------------------- */

static void rollback(ui_ctx *cx, void *ud) {
    stage_ref *r = ud;
    apigw_patch *p = apigw_patch_new();
    apigw_patch_replace(p, "/deploymentId", r->var);
    char *what = xasprintf("Roll %s back to deployment %s", r->stage, r->var);
    update(cx, r, what, p);
    free(what);
}

static void stage_delete(ui_ctx *cx, void *ud) {
    stage_ref *r = ud;
    char *what = xasprintf("Delete stage %s", r->stage);
    ui_job *j = ui_job_new(cx, what, UI_RELOAD_API);
    free(what);
    apigw_delete_stage(cx->cl, r->api, r->stage, ui_job_done, ui_job_then(j, NULL));
    ui_pop(cx);
}

void stage_confirm_delete(ui_ctx *cx, const char *api, const char *stage) {
    stage_ref *r = xcalloc(1, sizeof *r);
    r->api = xstrdup(api);
    r->stage = xstrdup(stage);
    char *text = xasprintf("Delete stage %s? Its invoke URL stops working at once; the API's "
                           "deployments stay.", stage);
    ui_confirm(cx, "Delete stage", text, NULL, stage_delete, r, ref_free);
    free(text);
}

static unsigned stage_action(pane *p, ui_ctx *cx, ui_action a, bool *unhandled) {
    stage_pane *sp = (stage_pane *)p;
    const char *key = sheet_selected(&sp->sheet);
    if (a == UI_ACT_LEFT) {
        *unhandled = true;
        return 0;
    }
    if (sheet_action(&sp->sheet, a)) return UI_DIRTY_CONTENT;
    if (!sp->found || !key) return 0;
    bool is_var = strncmp(key, "var:", 4) == 0, is_dep = strncmp(key, "dep:", 4) == 0;
    switch (a) {
    case UI_ACT_CREATE: var_form(sp, cx, NULL); break;
    case UI_ACT_OPEN:
    case UI_ACT_EDIT:
        if (is_var)
            var_form(sp, cx, key + 4);
        else if (strcmp(key, "var+") == 0)
            var_form(sp, cx, NULL);
        else if (is_dep && a == UI_ACT_OPEN)
            return stage_action(p, cx, UI_ACT_RUN, unhandled);
        else if (strcmp(key, "deployment") == 0 || strcmp(key, "url") == 0)
            ui_deploy(cx, sp->name);
        else
            settings_form_open(sp, cx);
        break;
    case UI_ACT_DELETE:
        if (is_var) {
            stage_ref *r = ref_new(sp, key + 4);
            char *text = xasprintf("Remove variable %s from stage %s?", key + 4, sp->name);
            ui_confirm(cx, "Remove stage variable", text, NULL, var_remove, r, ref_free);
            free(text);
        } else {
            stage_confirm_delete(cx, sp->api, sp->name);
        }
        break;
    case UI_ACT_RUN:
        if (is_dep) {
            stage_ref *r = ref_new(sp, key + 4);
            char *text = xasprintf("Make %s serve deployment %s?", sp->name, key + 4);
            ui_confirm(cx, "Roll back", text, NULL, rollback, r, ref_free);
            free(text);
        }
        break;
    default: return 0;
    }
    return UI_DIRTY_ALL;
}

static unsigned stage_click(pane *p, ui_ctx *cx, int y, int x, bool open) {
    stage_pane *sp = (stage_pane *)p;
    if (!sheet_click(&sp->sheet, y - 1)) return 0;
    bool dummy;
    return UI_DIRTY_CONTENT | (open ? stage_action(p, cx, UI_ACT_OPEN, &dummy) : 0);
}

static void stage_destroy(pane *p) {
    stage_pane *sp = (stage_pane *)p;
    sheet_free(&sp->sheet);
    free(sp->api);
    free(sp->name);
    free(sp);
}

static const pane_ops stage_ops = {
    .sync = stage_sync,
    .draw = stage_draw,
    .action = stage_action,
    .click = stage_click,
    .destroy = stage_destroy,
};

pane *pane_stage_new(const char *api_id, const char *stage) {
    stage_pane *sp = xcalloc(1, sizeof *sp);
    sp->base.ops = &stage_ops;
    sp->base.title = "Stage details";
    sp->base.scopes = UI_SC_MOVE | UI_SC_OPEN | UI_SC_CREATE | UI_SC_EDIT | UI_SC_DELETE |
                      UI_SC_RUN | UI_SC_API;
    sp->api = xstrdup(api_id);
    sp->name = xstrdup(stage);
    sheet_init(&sp->sheet);
    return &sp->base;
}
