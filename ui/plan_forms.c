/* The forms of usage plans: a plan's settings (create and edit, also from
 * the usage plans list), and the view's add-stage and add-key forms. The
 * add-stage form offers the stages of the API chosen, which the view's
 * feed reads when the mirror does not hold them. */
#include <stdio.h>
#include <stdlib.h>

#include "core/mem.h"
#include "plan_priv.h"

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

struct plan_stage_form {
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
    plan_stage_form *sf = p;
    if (sf->feed->form == sf) sf->feed->form = NULL;
    plan_feed_unref(sf->feed);
    for (size_t i = 0; i < sf->napis; i++)
        free(sf->apis[i]);
    for (size_t i = 0; i < sf->nstages; i++)
        free(sf->stages[i]);
    free(sf->apis);
    free(sf->stages);
    free(sf->plan_id);
    free(sf->plan_name);
    free(sf);
}

void plan_stage_form_fill(plan_stage_form *sf, ui_ctx *cx) {
    for (size_t i = 0; i < sf->nstages; i++)
        free(sf->stages[i]);
    sf->nstages = 0;
    size_t at = sf->napis ? form_selected(sf->f, sf->f_api) : 0;
    cJSON *own;
    const cJSON *names =
        at < sf->napis ? plan_feed_stage_names(sf->feed, cx, sf->apis[at], &own) : NULL;
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
    plan_redraw(cx);
}

static void stage_form_change(ui_ctx *cx, form *f, void *ud) { plan_stage_form_fill(ud, cx); }

static void stage_added(ui_job *j, const cJSON *r) {
    plan_job *d = ui_job_data(j);
    ui_job_set_note(j, "Added stage %s to %s", d->label, d->plan_name);
}

static bool stage_form_submit(ui_ctx *cx, form *f, void *ud) {
    plan_stage_form *sf = ud;
    if (!sf->napis || !sf->nstages) {
        form_set_error(f, sf->napis ? "Pick an API with a stage" : "There is no API yet");
        return false;
    }
    const char *api = sf->apis[form_selected(f, sf->f_api)];
    size_t si = form_selected(f, sf->f_stage);
    const char *stage = sf->stages[si < sf->nstages ? si : 0];
    const cJSON *a = plan_find(mirror_apis(cx->m), "id", api);
    char *label = xasprintf("%s/%s", json_str_or(a, "name", api), stage);
    plan_job *d = plan_job_new(sf->feed, sf->plan_id, sf->plan_name, api, stage, label);
    free(label);
    ui_job *j = plan_job_start(cx, d, "Add stage", "to");
    plan_patch_api_stage(cx, j, d, true, stage_added);
    return true;
}

unsigned plan_ask_add_stage(ui_ctx *cx, plan_feed *feed, const cJSON *plan) {
    plan_stage_form *sf = xcalloc(1, sizeof *sf);
    sf->feed = plan_feed_ref(feed);
    sf->plan_id = xstrdup(feed->plan_id);
    sf->plan_name = xstrdup(json_str_or(plan, "name", feed->plan_id));
    const cJSON *apis = mirror_apis(cx->m), *a;
    size_t n = (size_t)cJSON_GetArraySize(apis);
    sf->apis = xcalloc(n ? n : 1, sizeof *sf->apis);
    char **labels = xcalloc(n ? n : 1, sizeof *labels);
    cJSON_ArrayForEach(a, apis) {
        labels[sf->napis] =
            xasprintf("%s (%s)", json_str_or(a, "name", ""), json_str_or(a, "id", ""));
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
    for (size_t i = 0; i < sf->napis; i++)
        free(labels[i]);
    free(labels);
    sf->f = f;
    feed->form = sf;
    plan_stage_form_fill(sf, cx);
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

unsigned plan_ask_add_key(ui_ctx *cx, plan_feed *feed, const cJSON *plan) {
    key_form *kf = xcalloc(1, sizeof *kf);
    kf->plan_id = xstrdup(feed->plan_id);
    kf->plan_name = xstrdup(json_str_or(plan, "name", feed->plan_id));
    const cJSON *all = mirror_api_keys(cx->m), *k;
    size_t n = (size_t)cJSON_GetArraySize(all);
    kf->ids = xcalloc(n ? n : 1, sizeof *kf->ids);
    kf->names = xcalloc(n ? n : 1, sizeof *kf->names);
    char **labels = xcalloc(n ? n : 1, sizeof *labels);
    cJSON_ArrayForEach(k, all) {
        const char *id = json_str_or(k, "id", "");
        if (plan_find(feed->keys, "id", id)) continue;
        const char *name = json_str_or(k, "name", id);
        labels[kf->nkeys] =
            xasprintf("%s (%s)%s", name, id, json_bool_or(k, "enabled", false) ? "" : ", disabled");
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
    for (size_t i = 0; i < kf->nkeys; i++)
        free(labels[i]);
    free(labels);
    key_form_change(cx, f, kf);
    ui_form(cx, f, key_form_submit, key_form_change, kf, key_form_free);
    return UI_DIRTY_ALL;
}
