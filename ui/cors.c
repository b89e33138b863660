/* Enable CORS as the console's wizard does (see ui/cors.h): plan the calls
 * from what the resource holds, run them in a row, and the form that asks
 * which methods and headers. */
#include "ui/cors.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/mem.h"
#include "ui/resources.h"

#define H_HEADERS "method.response.header.Access-Control-Allow-Headers"
#define H_METHODS "method.response.header.Access-Control-Allow-Methods"
#define H_ORIGIN "method.response.header.Access-Control-Allow-Origin"
#define GW_PREFIX "gatewayresponse.header."
/* The request template the console gives a mock integration. */
#define MOCK_TEMPLATE "{\"statusCode\": 200}"
/* The body of API Gateway's own DEFAULT_4XX/5XX responses, kept when the
 * headers are added. */
#define GW_TEMPLATE "{\"message\":$context.error.messageString}"

/* Every verb ANY stands for, in the order the header lists them. */
static const char *const ALL_VERBS[] = {"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"};
#define NALL (sizeof ALL_VERBS / sizeof *ALL_VERBS)

/* --- values ---------------------------------------------------------------------- */

char *cors_quote(const char *value) {
    if (!value) value = "";
    size_t n = strlen(value);
    if (n >= 2 && value[0] == '\'' && value[n - 1] == '\'') return xstrdup(value);
    return xasprintf("'%s'", value);
}

static int by_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

char *cors_methods_value(const char *const *verbs, size_t n) {
    const char **all = xcalloc(n + 1, sizeof *all);
    size_t k = 0;
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(verbs[i], "ANY") == 0) any = true;
        all[k++] = verbs[i];
    }
    all[k++] = "OPTIONS";
    buf b = BUF_INIT;
    if (any) {
        for (size_t i = 0; i < NALL; i++)
            buf_printf(&b, "%s%s", i ? "," : "", ALL_VERBS[i]);
    } else {
        qsort(all, k, sizeof *all, by_str);
        for (size_t i = 0; i < k; i++)
            if (!i || strcmp(all[i], all[i - 1]) != 0)
                buf_printf(&b, "%s%s", b.len ? "," : "", all[i]);
    }
    free(all);
    return buf_steal(&b);
}

/* --- the plan ---------------------------------------------------------------------- */

static cors_step *add_step(cors_plan *p, aws_op op, const char *verb, const char *status,
                           cJSON *body) {
    p->steps = xrealloc(p->steps, (p->n + 1) * sizeof *p->steps);
    cors_step *s = &p->steps[p->n++];
    *s = (cors_step){.op = op,
                     .verb = verb ? xstrdup(verb) : NULL,
                     .status = status ? xstrdup(status) : NULL,
                     .body = body};
    return s;
}

void cors_plan_free(cors_plan *p) {
    for (size_t i = 0; i < p->n; i++) {
        free(p->steps[i].verb);
        free(p->steps[i].status);
        cJSON_Delete(p->steps[i].body);
    }
    free(p->steps);
    p->steps = NULL;
    p->n = 0;
}

size_t cors_step_params(const cors_step *s, const char *api_id, const char *resource_id,
                        const char **out) {
    size_t n = 0;
    out[n++] = api_id;
    if (!s->verb) {
        out[n++] = s->status; /* the gateway response type */
        return n;
    }
    out[n++] = resource_id;
    out[n++] = s->verb;
    if (s->status) out[n++] = s->status;
    return n;
}

static bool map_has(const cJSON *map, const char *key) {
    return map && cJSON_GetObjectItemCaseSensitive(map, key) != NULL;
}

/* {"patchOperations": [...]} with one add (absent) or replace (present) of
 * /responseParameters/<key> per entry of want. */
static cJSON *param_patch(const cJSON *have, const cJSON *want) {
    cJSON *body = cJSON_CreateObject();
    cJSON *ops = cJSON_AddArrayToObject(body, "patchOperations");
    const cJSON *w;
    cJSON_ArrayForEach(w, want) {
        cJSON *op = cJSON_CreateObject();
        json_set_str(op, "op", map_has(have, w->string) ? "replace" : "add");
        char *path = xasprintf("/responseParameters/%s", w->string);
        json_set_str(op, "path", path);
        free(path);
        json_set_str(op, "value",
                     cJSON_IsString(w) ? w->valuestring
                     : cJSON_IsTrue(w) ? "true"
                                       : "false");
        cJSON_AddItemToArray(ops, op);
    }
    return body;
}

/* The method response 200 of verb declaring the headers of want (a map of
 * header → false): created, or the missing declarations added. */
static void plan_method_response(cors_plan *p, const cJSON *method, const char *verb, cJSON *want,
                                 bool with_model) {
    const cJSON *mr = json_obj(json_obj(method, "methodResponses"), "200");
    if (!mr) {
        cJSON *body = cJSON_CreateObject();
        json_set(body, "responseParameters", want);
        if (with_model)
            json_set(json_child_obj(body, "responseModels"), "application/json",
                     cJSON_CreateString("Empty"));
        add_step(p, APIGW_PutMethodResponse, verb, "200", body);
        return;
    }
    const cJSON *have = json_obj(mr, "responseParameters");
    cJSON *missing = cJSON_CreateObject();
    const cJSON *w;
    cJSON_ArrayForEach(w, want) {
        if (!map_has(have, w->string)) json_set(missing, w->string, cJSON_CreateFalse());
    }
    if (missing->child)
        add_step(p, APIGW_UpdateMethodResponse, verb, "200", param_patch(have, missing));
    cJSON_Delete(missing);
    cJSON_Delete(want);
}

/* The integration response 200 of verb mapping the headers of want (a map
 * of header → 'literal'); ir is the one there, or NULL. */
static void plan_integration_response(cors_plan *p, const cJSON *ir, const char *verb,
                                      cJSON *want) {
    if (!ir) {
        cJSON *body = cJSON_CreateObject();
        json_set(body, "responseParameters", want);
        add_step(p, APIGW_PutIntegrationResponse, verb, "200", body);
        return;
    }
    add_step(p, APIGW_UpdateIntegrationResponse, verb, "200",
             param_patch(json_obj(ir, "responseParameters"), want));
    cJSON_Delete(want);
}

static cJSON *three(const char *headers, const char *methods, const char *origin,
                    const char *prefix) {
    cJSON *m = cJSON_CreateObject();
    char *k;
    k = xasprintf("%sAccess-Control-Allow-Headers", prefix);
    json_set(m, k, headers ? cJSON_CreateString(headers) : cJSON_CreateFalse());
    free(k);
    k = xasprintf("%sAccess-Control-Allow-Methods", prefix);
    json_set(m, k, methods ? cJSON_CreateString(methods) : cJSON_CreateFalse());
    free(k);
    k = xasprintf("%sAccess-Control-Allow-Origin", prefix);
    json_set(m, k, origin ? cJSON_CreateString(origin) : cJSON_CreateFalse());
    free(k);
    return m;
}

/* OPTIONS: the method, its MOCK integration and the 200 responses. */
static void plan_options(cors_plan *p, const cJSON *opt, const char *hdr, const char *mth,
                         const char *org) {
    if (!opt) {
        cJSON *body = cJSON_CreateObject();
        json_set_str(body, "authorizationType", "NONE");
        add_step(p, APIGW_PutMethod, "OPTIONS", NULL, body);
    }
    const cJSON *in = json_obj(opt, "methodIntegration");
    const char *type = json_str(in, "type");
    bool fresh = !type || strcmp(type, "MOCK") != 0;
    if (fresh) {
        cJSON *body = cJSON_CreateObject();
        json_set_str(body, "type", "MOCK");
        json_set_str(json_child_obj(body, "requestTemplates"), "application/json", MOCK_TEMPLATE);
        add_step(p, APIGW_PutIntegration, "OPTIONS", NULL, body);
    }
    plan_method_response(p, opt, "OPTIONS", three(NULL, NULL, NULL, "method.response.header."),
                         true);
    /* A new integration starts without responses. */
    const cJSON *ir = fresh ? NULL : json_obj(json_obj(in, "integrationResponses"), "200");
    plan_integration_response(p, ir, "OPTIONS", three(hdr, mth, org, "method.response.header."));
}

static bool chosen(const cors_opts *o, const char *verb) {
    for (size_t i = 0; i < o->nmethods; i++)
        if (strcmp(o->methods[i], verb) == 0) return true;
    return false;
}

/* A chosen method: Access-Control-Allow-Origin on its 200 responses. Proxy
 * integrations pass the backend's headers through: only the method
 * response is declared there, as the console leaves the rest to the backend. */
static void plan_method(cors_plan *p, const cJSON *m, const char *verb, const char *org) {
    cJSON *want = cJSON_CreateObject();
    json_set(want, H_ORIGIN, cJSON_CreateFalse());
    plan_method_response(p, m, verb, want, false);
    const cJSON *in = json_obj(m, "methodIntegration");
    const char *type = json_str(in, "type");
    if (!type || strcmp(type, "AWS_PROXY") == 0 || strcmp(type, "HTTP_PROXY") == 0) return;
    cJSON *map = cJSON_CreateObject();
    json_set_str(map, H_ORIGIN, org);
    plan_integration_response(p, json_obj(json_obj(in, "integrationResponses"), "200"), verb, map);
}

static void plan_gateway(cors_plan *p, const char *type, const char *hdr, const char *mth,
                         const char *org) {
    cJSON *body = cJSON_CreateObject();
    json_set(body, "responseParameters", three(hdr, mth, org, GW_PREFIX));
    json_set_str(json_child_obj(body, "responseTemplates"), "application/json", GW_TEMPLATE);
    cors_step *s = add_step(p, APIGW_PutGatewayResponse, NULL, type, body);
    s->optional = true;
}

void cors_plan_build(cors_plan *p, const cJSON *resource, const cors_opts *o) {
    memset(p, 0, sizeof *p);
    const cJSON *methods = json_obj(resource, "resourceMethods");
    char *hdr = cors_quote(o->allow_headers ? o->allow_headers : CORS_DEFAULT_HEADERS);
    char *org = cors_quote(o->allow_origin ? o->allow_origin : CORS_DEFAULT_ORIGIN);
    char *list = cors_methods_value(o->methods, o->nmethods);
    char *mth = cors_quote(list);
    free(list);
    plan_options(p, json_obj(methods, "OPTIONS"), hdr, mth, org);
    /* In the order the resource lists its methods. */
    const cJSON *m;
    cJSON_ArrayForEach(m, methods) {
        if (strcmp(m->string, "OPTIONS") != 0 && chosen(o, m->string))
            plan_method(p, m, m->string, org);
    }
    if (o->gateway_4xx) plan_gateway(p, "DEFAULT_4XX", hdr, mth, org);
    if (o->gateway_5xx) plan_gateway(p, "DEFAULT_5XX", hdr, mth, org);
    free(hdr);
    free(org);
    free(mth);
}

/* --- running it ---------------------------------------------------------------------- */

typedef struct runner {
    ui_job *j;
    cors_plan plan;
    size_t next;
    char *api, *res, *note;
    buf skipped; /* what optional steps could not do */
} runner;

static void runner_free(runner *r) {
    cors_plan_free(&r->plan);
    free(r->api);
    free(r->res);
    free(r->note);
    buf_free(&r->skipped);
    free(r);
}

static void runner_end(runner *r, const err *e) {
    ui_job *j = r->j;
    if (!e && r->skipped.len)
        ui_job_set_note(j, "%s; gateway responses not changed: %s", r->note, r->skipped.data);
    else if (!e)
        ui_job_set_note(j, "%s", r->note);
    runner_free(r);
    ui_job_done(j, NULL, e);
}

static void run_next(runner *r);

static void step_done(void *ud, const cJSON *result, const err *e) {
    (void)result;
    runner *r = ud;
    const cors_step *s = &r->plan.steps[r->next - 1];
    if (e && s->optional) {
        char msg[300];
        buf_printf(&r->skipped, "%s%s (%s)", r->skipped.len ? "; " : "", s->status,
                   err_text(e, msg, sizeof msg));
        e = NULL;
    }
    if (e || r->next == r->plan.n || !ui_job_ctx(r->j)) {
        runner_end(r, e);
        return;
    }
    run_next(r);
}

static void run_next(runner *r) {
    const cors_step *s = &r->plan.steps[r->next++];
    const char *params[4];
    size_t n = cors_step_params(s, r->api, r->res, params);
    client_call(ui_job_client(r->j), s->op, params, n, NULL, cJSON_Duplicate(s->body, 1), step_done,
                r);
}

void cors_job_run(ui_job *j, cors_plan *plan, const char *api_id, const char *resource_id,
                  const char *note) {
    if (!plan->n) {
        ui_job_set_note(j, "%s", note);
        ui_job_end(j);
        return;
    }
    runner *r = xcalloc(1, sizeof *r);
    r->j = j;
    r->plan = *plan;
    memset(plan, 0, sizeof *plan);
    r->api = xstrdup(api_id);
    r->res = xstrdup(resource_id);
    r->note = xstrdup(note);
    /* The job waits for the runner, which ends it through ui_job_done. */
    ui_job_then(j, NULL);
    run_next(r);
}

/* --- the form ---------------------------------------------------------------------- */

#define MAX_VERBS 8

typedef struct cors_form {
    char *api, *res, *path;
    char *verbs[MAX_VERBS];
    int f_verb[MAX_VERBS];
    size_t nverbs;
    int f_4xx, f_5xx, f_headers, f_origin;
} cors_form;

static void cors_form_free(void *p) {
    cors_form *c = p;
    free(c->api);
    free(c->res);
    free(c->path);
    for (size_t i = 0; i < c->nverbs; i++)
        free(c->verbs[i]);
    free(c);
}

static bool cors_submit(ui_ctx *cx, form *f, void *ud) {
    const cors_form *c = ud;
    const cJSON *res = res_find(mirror_resources(cx->m, c->api), c->res);
    if (!res) {
        form_set_error(f, "The resource is gone (deleted?); Esc closes");
        return false;
    }
    const char *verbs[MAX_VERBS];
    size_t n = 0;
    for (size_t i = 0; i < c->nverbs; i++)
        if (form_checked(f, c->f_verb[i])) verbs[n++] = c->verbs[i];
    cors_opts o = {
        .methods = verbs,
        .nmethods = n,
        .allow_headers = form_value(f, c->f_headers),
        .allow_origin = form_value(f, c->f_origin),
        .gateway_4xx = form_checked(f, c->f_4xx),
        .gateway_5xx = form_checked(f, c->f_5xx),
    };
    cors_plan plan;
    cors_plan_build(&plan, res, &o);
    char *what = xasprintf("Enable CORS on %s", c->path);
    ui_job *j = ui_job_new(cx, what, UI_RELOAD_API);
    free(what);
    char *note = xasprintf("Enabled CORS on %s; deploy the API for it to take effect", c->path);
    cors_job_run(j, &plan, c->api, c->res, note);
    free(note);
    cors_plan_free(&plan);
    return true;
}

void ui_enable_cors_method(ui_ctx *cx, const char *api_id, const char *resource_id,
                           const char *verb) {
    const cJSON *res = api_id ? res_find(mirror_resources(cx->m, api_id), resource_id) : NULL;
    if (!res) {
        ui_message(cx, "Select a resource to enable CORS on");
        return;
    }
    cors_form *c = xcalloc(1, sizeof *c);
    c->api = xstrdup(api_id);
    c->res = xstrdup(resource_id);
    c->path = xstrdup(json_str_or(res, "path", "/"));
    char *title = xasprintf("Enable CORS on %s", c->path);
    form *f = form_new(title);
    free(title);
    form_note(f, "A mock OPTIONS answers the preflight; the methods checked return "
                 "Access-Control-Allow-Origin too.");
    c->f_4xx = form_check(f, "Gateway response DEFAULT 4XX", false);
    c->f_5xx = form_check(f, "Gateway response DEFAULT 5XX", false);
    form_note(f, "Access-Control-Allow-Methods (OPTIONS always):");
    const cJSON *m;
    cJSON_ArrayForEach(m, json_obj(res, "resourceMethods")) {
        if (strcmp(m->string, "OPTIONS") == 0 || c->nverbs == MAX_VERBS) continue;
        c->verbs[c->nverbs] = xstrdup(m->string);
        c->f_verb[c->nverbs] = form_check(f, m->string, !verb || strcmp(verb, m->string) == 0);
        c->nverbs++;
    }
    c->f_headers = form_text(f, "Access-Control-Allow-Headers", CORS_DEFAULT_HEADERS, NULL);
    c->f_origin = form_text(f, "Access-Control-Allow-Origin", CORS_DEFAULT_ORIGIN,
                            "* for every origin, or one like https://example.com");
    ui_form(cx, f, cors_submit, NULL, c, cors_form_free);
}

void ui_enable_cors(ui_ctx *cx, const char *api_id, const char *resource_id) {
    ui_enable_cors_method(cx, api_id, resource_id, NULL);
}
