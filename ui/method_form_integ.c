/* The Integration request's form: the kind of backend (Lambda function,
 * HTTP, Mock, AWS service) and its settings, passthrough and request
 * templates. A new backend is a new integration (integ_apply, with the
 * Lambda permission); the rest is patched. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/mem.h"
#include "method_priv.h"
#include "ui/integ.h"
#include "ui/job.h"

/* The lab's request template of GET /items/{ID}: the ID path parameter
 * as the Lambda event. */
static const char lab_id_template[] = "{\n  \"ID\": $input.params(\"ID\")\n}\n";

static const char *const kinds[] = {"Lambda function", "HTTP", "Mock", "AWS service"};
static const integ_kind kind_of_choice[] = {INTEG_LAMBDA, INTEG_HTTP, INTEG_MOCK, INTEG_AWS};
static const char *const verbs[] = {"GET",    "POST", "PUT",     "PATCH",
                                    "DELETE", "HEAD", "OPTIONS", "ANY"};
#define NVERBS (sizeof verbs / sizeof *verbs)
static const char *const passthroughs[] = {"WHEN_NO_MATCH", "WHEN_NO_TEMPLATES", "NEVER"};
static const char *const passthrough_words[] = {"When no template matches the request content type",
                                                "When there are no templates defined", "Never"};

enum {
    IR_KIND,
    IR_LPROXY,
    IR_FN,
    IR_PICK,
    IR_HPROXY,
    IR_VERB,
    IR_URL,
    IR_ACTION,
    IR_ROLE,
    IR_PASS,
    IR_LAB,
};

static integ_kind chosen_kind(const form *f, const method_edit *e) {
    return kind_of_choice[form_selected(f, e->f[IR_KIND])];
}

static void ireq_change(ui_ctx *cx, form *f, void *ud) {
    (void)cx;
    method_edit *e = ud;
    integ_kind k = chosen_kind(f, e);
    bool lambda = k == INTEG_LAMBDA, http = k == INTEG_HTTP, aws = k == INTEG_AWS;
    bool proxy =
        (lambda && form_checked(f, e->f[IR_LPROXY])) || (http && form_checked(f, e->f[IR_HPROXY]));
    form_set_hidden(f, e->f[IR_LPROXY], !lambda);
    form_set_hidden(f, e->f[IR_FN], !lambda);
    if (e->f[IR_PICK] >= 0) form_set_hidden(f, e->f[IR_PICK], !lambda);
    form_set_hidden(f, e->f[IR_HPROXY], !http);
    form_set_hidden(f, e->f[IR_VERB], !(http || aws));
    form_set_hidden(f, e->f[IR_URL], !http);
    form_set_hidden(f, e->f[IR_ACTION], !aws);
    form_set_hidden(f, e->f[IR_ROLE], !aws);
    form_set_hidden(f, e->f[IR_PASS], proxy);
    form_set_hidden(f, e->f[IR_LAB], proxy);
    for (int i = 0; i < e->nct; i++)
        form_set_hidden(f, e->tpl[i], proxy);
    form_set_hidden(f, e->f[METHOD_T_NEWCT], proxy);
    form_set_hidden(f, e->f[METHOD_T_NEWTPL], proxy);

    /* Mock's own template goes when it stops being Mock, and comes back. */
    size_t kind = form_selected(f, e->f[IR_KIND]);
    if (kind != e->last_kind) {
        int jf = method_json_template_field(f, e);
        bool to_mock = k == INTEG_MOCK, from_mock = kind_of_choice[e->last_kind] == INTEG_MOCK;
        if (from_mock && strcmp(form_value(f, jf), INTEG_MOCK_TEMPLATE) == 0)
            form_set_value(f, jf, "");
        if (to_mock && !*form_value(f, jf)) form_set_value(f, jf, INTEG_MOCK_TEMPLATE);
        e->last_kind = kind;
    }
    if (e->f[IR_PICK] >= 0) {
        size_t pick = form_selected(f, e->f[IR_PICK]);
        if (pick != e->last_pick && pick > 0) form_set_value(f, e->f[IR_FN], e->picks[pick - 1]);
        e->last_pick = pick;
    }
    size_t lab = form_selected(f, e->f[IR_LAB]);
    if (lab != e->last_lab && lab == 1)
        form_set_value(f, method_json_template_field(f, e), lab_id_template);
    e->last_lab = lab;
}

/* Whether the form asks for another backend than the integration has: a
 * new PutIntegration (and permission) rather than a patch. */
static bool backend_changed(const method_edit *e, const integ_spec *s) {
    const cJSON *in = e->was;
    if (!in || strcmp(json_str_or(in, "type", ""), integ_type(s)) != 0) return true;
    bool proxy;
    if (integ_kind_of(in, &proxy) != s->kind) return true;
    const char *uri = json_str_or(in, "uri", "");
    switch (s->kind) {
    case INTEG_MOCK: return false;
    case INTEG_LAMBDA: {
        char *fn = integ_fn_of_uri(uri, e->region, e->account);
        bool same = fn && strcmp(fn, s->function) == 0;
        free(fn);
        return !same;
    }
    case INTEG_AWS:
        if (strcmp(json_str_or(in, "credentials", ""), s->role ? s->role : "") != 0) return true;
        break;
    case INTEG_HTTP: break;
    }
    return strcmp(uri, s->uri ? s->uri : "") != 0 ||
           strcmp(json_str_or(in, "httpMethod", ""), s->http_method ? s->http_method : "") != 0;
}

static bool ireq_submit(ui_ctx *cx, form *f, void *ud) {
    method_edit *e = ud;
    integ_kind k = chosen_kind(f, e);
    char *fn = method_trim(form_value(f, e->f[IR_FN]));
    char *url = method_trim(form_value(f, k == INTEG_AWS ? e->f[IR_ACTION] : e->f[IR_URL]));
    char *role = method_trim(form_value(f, e->f[IR_ROLE]));
    integ_fn parsed;
    if (k == INTEG_LAMBDA && integ_fn_parse(fn, &parsed) != 0) {
        form_set_error(f, "Name the Lambda function: a name, name:alias or its ARN");
        free(fn), free(url), free(role);
        return false;
    }
    if (k == INTEG_LAMBDA) integ_fn_free(&parsed);
    bool proxy = (k == INTEG_LAMBDA && form_checked(f, e->f[IR_LPROXY])) ||
                 (k == INTEG_HTTP && form_checked(f, e->f[IR_HPROXY]));
    cJSON *templates = method_templates_of(f, e);
    const char *pass = passthroughs[form_selected(f, e->f[IR_PASS])];
    integ_spec s = {
        .kind = k,
        .proxy = proxy,
        .function = fn,
        .http_method = k == INTEG_HTTP || k == INTEG_AWS ? form_value(f, e->f[IR_VERB]) : NULL,
        .uri = url,
        .role = *role ? role : NULL,
        .passthrough = pass,
        .request_templates = templates->child ? templates : NULL,
    };
    if (backend_changed(e, &s)) {
        integ_apply(cx, e->api, e->res, e->path, e->verb, &s);
    } else if (!proxy) {
        apigw_patch *p = apigw_patch_new();
        if (strcmp(pass, json_str_or(e->was, "passthroughBehavior", "WHEN_NO_MATCH")) != 0)
            apigw_patch_replace(p, "/passthroughBehavior", pass);
        method_patch_templates(p, "requestTemplates", json_obj(e->was, "requestTemplates"),
                               templates);
        char *var = k == INTEG_LAMBDA ? integ_stage_var(fn) : NULL;
        bool ask = var && cJSON_GetArraySize(apigw_patch_ops(p)) == 0;
        free(var);
        if (ask) { /* unchanged: the per-stage permission dialog again */
            apigw_patch_free(p);
            integ_permissions(cx, e->api, e->res, e->path, e->verb, fn);
        } else if (!method_no_ops(cx, p)) {
            char *what = xasprintf("Update the integration request of %s %s", e->verb, e->path);
            ui_job *j = ui_job_new(cx, what, UI_RELOAD_API);
            free(what);
            apigw_update_integration(cx->cl, e->api, e->res, e->verb, p, ui_job_done,
                                     ui_job_then(j, NULL));
        }
    } else if (k == INTEG_LAMBDA && strstr(fn, "${stageVariables.")) {
        /* Saved again unchanged with a stage variable: the per-stage
         * permission dialog again (stages may have got the variable since). */
        integ_permissions(cx, e->api, e->res, e->path, e->verb, fn);
    } else {
        ui_message(cx, "Nothing changed");
    }
    cJSON_Delete(templates);
    free(fn), free(url), free(role);
    return true;
}

/* The account's functions as choices: "(as typed above)" first. */
static void function_picks(form *f, method_edit *e, const ui_ctx *cx) {
    const cJSON *fns = mirror_functions(cx->m), *it;
    int n = cJSON_GetArraySize(fns);
    if (n <= 0) return;
    e->picks = xcalloc((size_t)n, sizeof *e->picks);
    const char **opts = xcalloc((size_t)n + 1, sizeof *opts);
    opts[0] = "(as typed above)";
    cJSON_ArrayForEach(it, fns) {
        const char *name = json_str(it, "FunctionName");
        if (!name) continue;
        e->picks[e->npicks] = xstrdup(name);
        opts[1 + e->npicks] = e->picks[e->npicks];
        e->npicks++;
    }
    e->f[IR_PICK] = form_choice(f, "Functions here", opts, e->npicks + 1, 0);
    free(opts);
}

void method_ireq_form(const method_ref *ref, ui_ctx *cx, const cJSON *m) {
    const cJSON *in = json_obj(m, "methodIntegration");
    method_edit *e = method_edit_new(ref, cx, in, NULL);
    form *f = form_new("Integration request settings");
    bool proxy = false;
    integ_kind k = in ? integ_kind_of(in, &proxy) : INTEG_LAMBDA;
    size_t ki = 0;
    while (kind_of_choice[ki] != k)
        ki++;
    e->last_kind = ki;
    e->f[IR_KIND] = form_choice(f, "Integration type", kinds, 4, ki);
    e->f[IR_LPROXY] = form_check(f, "Lambda proxy integration", k == INTEG_LAMBDA && proxy);
    char *fn =
        k == INTEG_LAMBDA ? integ_fn_of_uri(json_str(in, "uri"), cx->region, cx->account) : NULL;
    e->f[IR_FN] = form_text(f, "Lambda function", fn ? fn : "", "name, name:alias or ARN");
    free(fn);
    function_picks(f, e, cx);
    e->f[IR_HPROXY] = form_check(f, "HTTP proxy integration", k == INTEG_HTTP && proxy);
    const char *backend_verb =
        in && k != INTEG_MOCK && k != INTEG_LAMBDA ? json_str(in, "httpMethod") : NULL;
    e->f[IR_VERB] =
        form_choice(f, "HTTP method", verbs, NVERBS,
                    method_index_of(verbs, NVERBS, backend_verb ? backend_verb : ref->verb));
    e->f[IR_URL] = form_text(f, "Endpoint URL", k == INTEG_HTTP ? json_str_or(in, "uri", "") : "",
                             "https://example.com/items");
    e->f[IR_ACTION] = form_text(f, "Action ARN", k == INTEG_AWS ? json_str_or(in, "uri", "") : "",
                                "arn:aws:apigateway:REGION:SERVICE:action/ACTION (or path/...)");
    e->f[IR_ROLE] = form_text(f, "Execution role ARN", json_str_or(in, "credentials", ""), NULL);
    e->f[IR_PASS] =
        form_choice(f, "Request body passthrough", passthrough_words, 3,
                    method_index_of(passthroughs, 3, json_str(in, "passthroughBehavior")));
    method_template_fields(f, e, json_obj(in, "requestTemplates"), "request");
    static const char *const labs[] = {"none", "the ID path parameter as the event"};
    e->f[IR_LAB] = form_choice(f, "Use the lab's template", labs, 2, 0);
    ui_form(cx, f, ireq_submit, ireq_change, e, method_edit_free);
    ireq_change(cx, f, e);
}
