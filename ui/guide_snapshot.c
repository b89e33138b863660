/* The account as the lab guide's checks see it (see ui/guide.h): the
 * snapshot built from the mirror and the guide's own reads, where each
 * step is done, and the prints that tell when the lab's requests must go
 * out again. */
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "guide_priv.h"
#include "lab/lab.h"

const char *guide_lab_api_id(const mirror *m) {
    return json_str(lab_pick_api(mirror_apis(m)), "id");
}

bool guide_lab_has_function(const mirror *m) {
    return lab_named(mirror_functions(m), "FunctionName", LAB_FUNCTION) != NULL;
}

/* --- the snapshot -------------------------------------------------------------- */

void guide_parts_from_mirror(const mirror *m, bool loaded, guide_parts *out) {
    memset(out, 0, sizeof *out);
    out->loaded = loaded;
    if (!loaded) return;
    out->apis = mirror_apis(m);
    out->usage_plans = mirror_usage_plans(m);
    out->api_keys = mirror_api_keys(m);
    out->functions = mirror_functions(m);
    const char *api = guide_lab_api_id(m);
    if (api) {
        out->resources = mirror_resources(m, api);
        out->stages = mirror_stages(m, api);
        out->models = mirror_models(m, api);
        out->deployments = mirror_deployments(m, api);
    }
    if (guide_lab_has_function(m)) {
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

void guide_build_snapshot(const ui_ctx *cx, const guide_reads *rd, lab_snapshot *s, cJSON **own) {
    guide_parts p;
    guide_parts_from_mirror(cx->m, cx->lists_loaded, &p);
    p.plan_keys = rd->plan_keys;
    p.alias_policies = rd->alias_policies;
    p.requests = rd->requests;
    p.invokes = rd->invokes;
    *own = guide_snapshot(&p, s);
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
    for (const char *c = text ? text : "-"; *c; c++)
        h = (h ^ (unsigned char)*c) * 1099511628211ULL;
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
