/* The forms of the responses in Method Execution: an integration response
 * (selection pattern, header mappings, templates) and a method response
 * (headers, models) of one status, added, edited or deleted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"
#include "lab/assets.h"
#include "method_priv.h"
#include "ui/integ.h"
#include "ui/job.h"

/* --- Integration responses -------------------------------------------------------------- */

enum { XR_STATUS, XR_PATTERN, XR_HEADERS, XR_LAB };

static bool iresp_submit(ui_ctx *cx, form *f, void *ud) {
    method_edit *e = ud;
    const char *status = e->status ? e->status : form_value(f, e->f[XR_STATUS]);
    char msg[160];
    cJSON *heads = method_parse_pairs(form_value(f, e->f[XR_HEADERS]), ':',
                                      "method.response.header.", msg, sizeof msg);
    if (!heads) {
        form_set_error(f, msg);
        return false;
    }
    cJSON *templates = method_templates_of(f, e);
    apigw_integration_response_in in = {
        .selection_pattern = form_value(f, e->f[XR_PATTERN]),
        .content_handling = json_str(e->was, "contentHandling"),
        .response_parameters = heads,
        .response_templates = templates,
    };
    char *what = xasprintf("%s the %s integration response of %s %s", e->was ? "Update" : "Add",
                           status, e->verb, e->path);
    ui_job *j = ui_job_new(cx, what, UI_RELOAD_API);
    free(what);
    apigw_put_integration_response(cx->cl, e->api, e->res, e->verb, status, &in, ui_job_done,
                                   ui_job_then(j, NULL));
    cJSON_Delete(heads);
    cJSON_Delete(templates);
    return true;
}

static void iresp_change(ui_ctx *cx, form *f, void *ud) {
    (void)cx;
    method_edit *e = ud;
    size_t lab = form_selected(f, e->f[XR_LAB]);
    if (lab != e->last_lab && lab > 0)
        form_set_value(f, method_json_template_field(f, e),
                       lab == 1 ? lab_items_template : lab_item_template);
    e->last_lab = lab;
}

void method_iresp_form(const method_ref *ref, ui_ctx *cx, const cJSON *m, const char *status) {
    const cJSON *in = json_obj(m, "methodIntegration");
    if (!in) {
        ui_message(cx, "Set the integration request first");
        return;
    }
    const cJSON *r = status ? json_obj(json_obj(in, "integrationResponses"), status) : NULL;
    method_edit *e = method_edit_new(ref, cx, r, status);
    char *title = status ? xasprintf("Integration response %s", status)
                         : xstrdup("Add an integration response");
    form *f = form_new(title);
    free(title);
    if (!status) {
        /* Each maps to a method response that has none yet, as the console offers. */
        size_t n, k = 0;
        const char **st = method_sorted_keys(json_obj(m, "methodResponses"), &n);
        for (size_t i = 0; i < n; i++)
            if (!json_obj(json_obj(in, "integrationResponses"), st[i])) st[k++] = st[i];
        if (!k) {
            free(st);
            form_free(f);
            method_edit_free(e);
            ui_message(
                cx,
                "Every method response has an integration response; add a method response first");
            return;
        }
        e->f[XR_STATUS] = form_choice(f, "Method response status", st, k, 0);
        free(st);
    }
    bool proxy;
    const char *hint = integ_kind_of(in, &proxy) == INTEG_LAMBDA
                           ? "A regex over the Lambda error message; empty: the default response"
                           : "A regex over the backend's status code; empty: the default response";
    e->f[XR_PATTERN] =
        form_text(f, "Selection pattern", json_str_or(r, "selectionPattern", ""), hint);
    char *heads =
        method_pairs_text(json_obj(r, "responseParameters"), ": ", "method.response.header.");
    e->f[XR_HEADERS] = form_textarea(f, "Header mappings", heads, ".txt");
    free(heads);
    method_template_fields(f, e, json_obj(r, "responseTemplates"), "response");
    static const char *const labs[] = {"none", "the items list (GET /items)",
                                       "one item (GET /items/{ID})"};
    e->f[XR_LAB] = form_choice(f, "Use the lab's template", labs, 3, 0);
    form_note(f, "Header mappings: one per line, Header-Name: 'a value' or "
                 "integration.response.header.NAME.");
    ui_form(cx, f, iresp_submit, iresp_change, e, method_edit_free);
}

/* --- Method responses --------------------------------------------------------------------- */

enum { MR_STATUS, MR_HEADERS, MR_MODELS };

static bool mresp_submit(ui_ctx *cx, form *f, void *ud) {
    method_edit *e = ud;
    const char *status = e->status ? e->status : form_value(f, e->f[MR_STATUS]);
    char msg[160];
    cJSON *heads = method_parse_flags(form_value(f, e->f[MR_HEADERS]), "method.response.header.",
                                      msg, sizeof msg);
    cJSON *models =
        heads ? method_parse_pairs(form_value(f, e->f[MR_MODELS]), '=', NULL, msg, sizeof msg)
              : NULL;
    if (!models) {
        form_set_error(f, msg);
        cJSON_Delete(heads);
        return false;
    }
    apigw_method_response_in in = {.response_parameters = heads, .response_models = models};
    char *what = xasprintf("%s the %s method response of %s %s", e->was ? "Update" : "Add", status,
                           e->verb, e->path);
    ui_job *j = ui_job_new(cx, what, UI_RELOAD_API);
    free(what);
    apigw_put_method_response(cx->cl, e->api, e->res, e->verb, status, &in, ui_job_done,
                              ui_job_then(j, NULL));
    cJSON_Delete(heads);
    cJSON_Delete(models);
    return true;
}

void method_mresp_form(const method_ref *ref, ui_ctx *cx, const cJSON *m, const char *status) {
    const cJSON *r = status ? json_obj(json_obj(m, "methodResponses"), status) : NULL;
    method_edit *e = method_edit_new(ref, cx, r, status);
    char *title =
        status ? xasprintf("Method response %s", status) : xstrdup("Add a method response");
    form *f = form_new(title);
    free(title);
    if (!status) e->f[MR_STATUS] = form_text(f, "HTTP status code", "", "e.g. 400");
    char *heads = method_flags_text(json_obj(r, "responseParameters"), "method.response.header.");
    e->f[MR_HEADERS] = form_textarea(f, "Response headers", heads, ".txt");
    free(heads);
    char *models = status ? method_pairs_text(json_obj(r, "responseModels"), "=", NULL)
                          : xstrdup("application/json=Empty\n");
    e->f[MR_MODELS] = form_textarea(f, "Response models", models, ".txt");
    free(models);
    form_note(f, "Headers: one name per line. Models: content/type=Model per line.");
    ui_form(cx, f, mresp_submit, NULL, e, method_edit_free);
}

/* --- deleting a response ---------------------------------------------------------------- */

/* f[0] tells which: 1 for an integration response, 0 for a method one. */
static void delete_response(ui_ctx *cx, void *ud) {
    method_edit *e = ud;
    bool integ = e->f[0] == 1;
    char *what = xasprintf("Delete the %s %s response of %s %s", e->status,
                           integ ? "integration" : "method", e->verb, e->path);
    ui_job *j = ui_job_new(cx, what, UI_RELOAD_API);
    free(what);
    if (integ)
        apigw_delete_integration_response(cx->cl, e->api, e->res, e->verb, e->status, ui_job_done,
                                          ui_job_then(j, NULL));
    else
        apigw_delete_method_response(cx->cl, e->api, e->res, e->verb, e->status, ui_job_done,
                                     ui_job_then(j, NULL));
}

void method_confirm_delete(const method_ref *ref, ui_ctx *cx, const char *key) {
    bool integ = str_starts(key, "iresp:");
    const char *status = strchr(key, ':') + 1;
    method_edit *e = method_edit_new(ref, cx, NULL, status);
    e->f[0] = integ ? 1 : 0;
    char *text =
        xasprintf("Delete the %s response for status %s of %s %s?",
                  integ ? "integration" : "method", status, ref->verb, ref->path ? ref->path : "");
    ui_confirm(cx, integ ? "Delete integration response" : "Delete method response", text, NULL,
               delete_response, e, method_edit_free);
    free(text);
}
