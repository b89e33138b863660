/* Reading the lab's snapshot through the client, in three rounds whose
 * requests are all sent before any answer is waited for: the account's
 * lists; the details of ItemsAPI, CloudAcademyPlan and ItemsFunction; then
 * the aliases' policies and the lab's own requests (test events and calls
 * to the stages). */
#include <stdlib.h>
#include <string.h>

#include "client/apigw.h"
#include "client/lambda.h"
#include "client/raw.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"
#include "lab_int.h"

typedef enum slot_kind { K_ITEMS, K_POLICY, K_INVOKE, K_REQUEST } slot_kind;

typedef struct fetch fetch;

/* Where one answer goes: parent[key]. Slots live until the round ends
 * (their address is the callbacks' ud). */
typedef struct slot {
    struct slot *next;
    fetch *f;
    slot_kind kind;
    cJSON *parent;
    char *key;
} slot;

struct fetch {
    client *cl;
    lab_fetch_opts o;
    cJSON *root;
    slot *slots; /* this round's */
    int pending;
    int round;     /* the round in flight, 1 to 3 */
    bool starting; /* a round's requests are being sent */
    bool failed;
    err e;
    lab_fetch_fn done;
    void *ud;
};

static void advance(fetch *f);

static slot *slot_new(fetch *f, slot_kind kind, cJSON *parent, const char *key) {
    slot *s = xcalloc(1, sizeof *s);
    *s = (slot){.next = f->slots, .f = f, .kind = kind, .parent = parent, .key = xstrdup(key)};
    f->slots = s;
    f->pending++;
    return s;
}

static void slots_free(fetch *f) {
    for (slot *s = f->slots, *n; s; s = n) {
        n = s->next;
        free(s->key);
        free(s);
    }
    f->slots = NULL;
}

/* A list's items: the answer of client_list_all is the array itself; a
 * single page (GetStages) holds it under "item". */
static cJSON *items_of(const cJSON *result) {
    if (cJSON_IsArray(result)) return cJSON_Duplicate(result, 1);
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(result, "item");
    return cJSON_IsArray(item) ? cJSON_Duplicate(item, 1) : cJSON_CreateArray();
}

/* A text that is JSON as JSON, else as a string. */
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
    cJSON *r = cJSON_CreateObject();
    char text[700];
    json_set_num(r, "status", e ? e->status : 0);
    json_set_str(r, "error", e ? err_text(e, text, sizeof text) : "no answer");
    return r;
}

cJSON *lab_invoke_answer(const cJSON *result, const err *e) {
    if (e) return error_answer(e);
    cJSON *r = cJSON_CreateObject();
    json_set_num(r, "StatusCode", json_num_or(result, "StatusCode", 0));
    const char *fe = json_str(result, "FunctionError");
    if (fe) json_set_str(r, "FunctionError", fe);
    const char *payload = json_str(result, "Payload");
    json_set(r, "Payload", parsed_or_text(payload, payload ? strlen(payload) : 0));
    return r;
}

cJSON *lab_request_answer(const http_response *resp, const err *e) {
    if (!resp) return error_answer(e);
    cJSON *r = cJSON_CreateObject();
    json_set_num(r, "status", resp->status);
    json_set(r, "body", parsed_or_text(resp->body, resp->body_len));
    return r;
}

/* The last answer of a round starts the next one. */
static void slot_done(slot *s) {
    fetch *f = s->f;
    if (--f->pending == 0 && !f->starting) advance(f);
}

static void on_answer(void *ud, const cJSON *result, const err *e) {
    slot *s = ud;
    fetch *f = s->f;
    cJSON *value = NULL;
    if (s->kind == K_POLICY) {
        /* A function or alias without a policy answers 404: no statements. */
        if (!e) {
            const char *text = json_str(result, "Policy");
            value = text ? cJSON_Parse(text) : NULL;
        } else if (e->status != 404) {
            if (!f->failed) f->e = *e;
            f->failed = true;
        }
    } else if (s->kind == K_INVOKE) {
        value = lab_invoke_answer(result, e);
    } else if (e) {
        if (!f->failed) f->e = *e;
        f->failed = true;
    } else {
        value = items_of(result);
    }
    if (value) json_set(s->parent, s->key, value);
    slot_done(s);
}

static void on_raw(void *ud, const http_response *resp, const err *e) {
    slot *s = ud;
    json_set(s->parent, s->key, lab_request_answer(resp, e));
    slot_done(s);
}

static void list(fetch *f, aws_op op, const char *param, const char *query, cJSON *parent,
                 const char *key) {
    const char *p[] = {param};
    client_list_all(f->cl, op, p, param ? 1 : 0, query, on_answer,
                    slot_new(f, K_ITEMS, parent, key));
}

/* --- the rounds ---------------------------------------------------------------------- */

static void round_account(fetch *f) {
    list(f, APIGW_GetRestApis, NULL, NULL, f->root, "apis");
    list(f, APIGW_GetUsagePlans, NULL, NULL, f->root, "usage_plans");
    list(f, APIGW_GetApiKeys, NULL, "includeValues=true", f->root, "api_keys");
    list(f, LAMBDA_ListFunctions, NULL, NULL, f->root, "functions");
}

static void empty(cJSON *root, const char *key) { json_set(root, key, cJSON_CreateArray()); }

static void round_details(fetch *f) {
    const char *api = json_str(lab_pick_api(json_arr(f->root, "apis")), "id");
    static const char *const api_parts[] = {"resources", "stages", "models", "deployments"};
    for (int i = 0; i < 4; i++)
        empty(f->root, api_parts[i]);
    if (api) {
        list(f, APIGW_GetResources, api, "embed=methods", f->root, "resources");
        const char *p[] = {api};
        client_call(f->cl, APIGW_GetStages, p, 1, NULL, NULL, on_answer,
                    slot_new(f, K_ITEMS, f->root, "stages"));
        list(f, APIGW_GetModels, api, NULL, f->root, "models");
        list(f, APIGW_GetDeployments, api, NULL, f->root, "deployments");
    }
    const char *plan =
        json_str(lab_named(json_arr(f->root, "usage_plans"), "name", LAB_PLAN), "id");
    empty(f->root, "plan_keys");
    if (plan) list(f, APIGW_GetUsagePlanKeys, plan, NULL, f->root, "plan_keys");

    bool fn = lab_named(json_arr(f->root, "functions"), "FunctionName", LAB_FUNCTION) != NULL;
    empty(f->root, "versions");
    empty(f->root, "aliases");
    cJSON *policies = cJSON_CreateObject();
    json_set(f->root, "policies", policies);
    if (fn) {
        list(f, LAMBDA_ListVersionsByFunction, LAB_FUNCTION, NULL, f->root, "versions");
        list(f, LAMBDA_ListAliases, LAB_FUNCTION, NULL, f->root, "aliases");
        lambda_get_policy(f->cl, LAB_FUNCTION, NULL, on_answer,
                          slot_new(f, K_POLICY, policies, ""));
    }
}

static void round_policies(fetch *f) {
    cJSON *policies = json_obj(f->root, "policies");
    const cJSON *a;
    cJSON_ArrayForEach(a, json_arr(f->root, "aliases")) {
        const char *name = json_str(a, "Name");
        if (name)
            lambda_get_policy(f->cl, LAB_FUNCTION, name, on_answer,
                              slot_new(f, K_POLICY, policies, name));
    }
}

static void invoke_events(fetch *f) {
    cJSON *invokes = cJSON_CreateObject();
    json_set(f->root, "invokes", invokes);
    if (!lab_named(json_arr(f->root, "functions"), "FunctionName", LAB_FUNCTION)) return;
    for (int i = 0; i < LAB_EVENTS; i++) {
        const lab_event *ev = &lab_events[i];
        lambda_invoke(f->cl, LAB_FUNCTION, ev->body, strlen(ev->body), NULL, on_answer,
                      slot_new(f, K_INVOKE, invokes, ev->name));
    }
}

/* One GET to a stage, path-style or to the invoke URL's host. */
http_request *lab_probe_request(const lab_probe *p, const char *api_id, const char *region,
                                const char *key, bool path_style) {
    http_request *r;
    if (path_style) {
        r = client_execute_api_request(api_id, p->stage, p->verb, p->path, NULL);
    } else {
        char *path = xasprintf("/%s%s", p->stage, p->path);
        r = http_request_new(p->verb, path);
        free(path);
        r->service = xstrdup("execute-api");
        const char *suffix = strncmp(region, "cn-", 3) == 0 ? "amazonaws.com.cn" : "amazonaws.com";
        char *host = xasprintf("%s.execute-api.%s.%s", api_id, region, suffix);
        http_headers_set(&r->headers, "Host", host);
        free(host);
    }
    http_headers_set(&r->headers, "Accept", "application/json");
    if (p->with_key && key) http_headers_set(&r->headers, "x-api-key", key);
    return r;
}

static void call_stages(fetch *f) {
    cJSON *requests = cJSON_CreateObject();
    json_set(f->root, "requests", requests);
    const char *api = json_str(lab_pick_api(json_arr(f->root, "apis")), "id");
    const char *key = json_str(lab_named(json_arr(f->root, "api_keys"), "name", LAB_KEY), "value");
    if (!api) return;
    for (int i = 0; i < LAB_PROBES; i++) {
        const lab_probe *p = &lab_probes[i];
        if (!lab_named(json_arr(f->root, "stages"), "stageName", p->stage)) continue;
        http_request *r = lab_probe_request(p, api, client_region(f->cl), key, f->o.path_style);
        char name[128];
        lab_probe_name(p, name, sizeof name);
        client_raw(f->cl, r, on_raw, slot_new(f, K_REQUEST, requests, name));
    }
}

/* --- the snapshot ---------------------------------------------------------------------- */

static void point(lab_data *d) {
    cJSON *r = d->root;
    lab_snapshot *s = &d->s;
    s->connected = json_bool_or(r, "connected", false);
    s->apis = json_arr(r, "apis");
    s->usage_plans = json_arr(r, "usage_plans");
    s->api_keys = json_arr(r, "api_keys");
    s->functions = json_arr(r, "functions");
    s->resources = json_arr(r, "resources");
    s->stages = json_arr(r, "stages");
    s->models = json_arr(r, "models");
    s->deployments = json_arr(r, "deployments");
    s->plan_keys = json_arr(r, "plan_keys");
    s->versions = json_arr(r, "versions");
    s->aliases = json_arr(r, "aliases");
    s->policies = json_obj(r, "policies");
    s->invokes = json_obj(r, "invokes");
    s->requests = json_obj(r, "requests");
}

static void finish(fetch *f) {
    lab_data d = {.root = f->root};
    point(&d);
    slots_free(f);
    lab_fetch_fn done = f->done;
    void *ud = f->ud;
    err e = f->e;
    bool failed = f->failed;
    free(f);
    done(ud, &d, failed ? &e : NULL);
}

/* The next round, once every answer of the one before is in: the account's
 * lists, then the details they name, then policies and the lab's requests. */
static void advance(fetch *f) {
    for (;;) {
        slots_free(f);
        if (f->failed || f->round == 3) {
            finish(f);
            return;
        }
        f->round++;
        f->starting = true;
        if (f->round == 2) {
            json_set_bool(f->root, "connected", true);
            round_details(f);
        } else {
            round_policies(f);
            if (f->o.probes) {
                invoke_events(f);
                call_stages(f);
            }
        }
        f->starting = false;
        if (f->pending > 0) return;
    }
}

void lab_fetch_start(client *cl, const lab_fetch_opts *o, lab_fetch_fn done, void *ud) {
    fetch *f = xcalloc(1, sizeof *f);
    *f = (fetch){.cl = cl, .root = cJSON_CreateObject(), .round = 1, .done = done, .ud = ud};
    if (o) f->o = *o;
    f->starting = true;
    round_account(f);
    f->starting = false;
}

typedef struct waiter {
    bool finished, failed;
    lab_data d;
    err e;
} waiter;

static void on_fetched(void *ud, lab_data *d, const err *e) {
    waiter *w = ud;
    w->finished = true;
    w->d = *d;
    if (e) {
        w->failed = true;
        w->e = *e;
    }
}

int lab_fetch(client *cl, const lab_fetch_opts *o, lab_data *out, err *e) {
    waiter w = {0};
    lab_fetch_start(cl, o, on_fetched, &w);
    transport *t = client_transport(cl);
    while (!w.finished) {
        transport_drain(t);
        if (!w.finished && !transport_pending(t)) {
            /* Nothing left to wait for: the answers were lost. */
            err_set(&w.e, 0, "", "the requests were dropped by the transport");
            w.failed = true;
            w.d = (lab_data){.root = cJSON_CreateObject()};
            point(&w.d);
            break;
        }
    }
    *out = w.d;
    if (w.failed && e) *e = w.e;
    return w.failed ? -1 : 0;
}

void lab_data_free(lab_data *d) {
    if (!d) return;
    cJSON_Delete(d->root);
    memset(d, 0, sizeof *d);
}

cJSON *lab_data_state(const lab_data *d) {
    cJSON *copy = d->root ? cJSON_Duplicate(d->root, 1) : cJSON_CreateObject();
    cJSON_DeleteItemFromObjectCaseSensitive(copy, "invokes");
    cJSON_DeleteItemFromObjectCaseSensitive(copy, "requests");
    return copy;
}
