/* The forms of Method Execution's boxes: what they share (the state each
 * keeps while open, the template fields), the Method request's form, and
 * which form a row of the sheet opens. The Integration request's form is
 * in method_form_integ.c, the responses' in method_form_resp.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"
#include "method_priv.h"
#include "ui/job.h"

/* --- what the forms share ---------------------------------------------------------- */

void method_edit_free(void *p) {
    method_edit *e = p;
    free(e->api);
    free(e->res);
    free(e->verb);
    free(e->path);
    free(e->status);
    free(e->region);
    free(e->account);
    cJSON_Delete(e->was);
    for (int i = 0; i < e->nct; i++)
        free(e->ct[i]);
    for (size_t i = 0; i < e->npicks; i++)
        free(e->picks[i]);
    free(e->picks);
    free(e);
}

method_edit *method_edit_new(const method_ref *ref, const ui_ctx *cx, const cJSON *was,
                             const char *status) {
    method_edit *e = xcalloc(1, sizeof *e);
    e->api = xstrdup(ref->api);
    e->res = xstrdup(ref->res);
    e->verb = xstrdup(ref->verb);
    e->path = xstrdup(ref->path ? ref->path : "/");
    e->status = status ? xstrdup(status) : NULL;
    e->region = xstrdup(cx->region);
    e->account = cx->account ? xstrdup(cx->account) : NULL;
    e->was = was ? cJSON_Duplicate(was, 1) : NULL;
    for (int i = 0; i < METHOD_F_MAX; i++)
        e->f[i] = -1;
    return e;
}

void method_template_fields(form *f, method_edit *e, const cJSON *templates, const char *what) {
    size_t n;
    const char **cts = method_sorted_keys(templates, &n);
    for (size_t i = 0; i < n && e->nct < METHOD_T_MAX; i++) {
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(templates, cts[i]);
        char *label = xasprintf("Template %s", cts[i]);
        e->ct[e->nct] = xstrdup(cts[i]);
        e->tpl[e->nct++] = form_textarea(f, label, cJSON_IsString(t) ? t->valuestring : "", ".vtl");
        free(label);
    }
    free(cts);
    char *hint = xasprintf("content type of a new %s template", what);
    e->f[METHOD_T_NEWCT] = form_text(f, "New template for", n ? "" : "application/json", hint);
    free(hint);
    e->f[METHOD_T_NEWTPL] = form_textarea(f, "New template", "", ".vtl");
}

cJSON *method_templates_of(const form *f, const method_edit *e) {
    cJSON *out = cJSON_CreateObject();
    for (int i = 0; i < e->nct; i++) {
        const char *v = form_value(f, e->tpl[i]);
        if (*v) json_set_str(out, e->ct[i], v);
    }
    const char *ct = form_value(f, e->f[METHOD_T_NEWCT]), *v = form_value(f, e->f[METHOD_T_NEWTPL]);
    if (*ct && *v) json_set_str(out, ct, v);
    return out;
}

int method_json_template_field(form *f, const method_edit *e) {
    for (int i = 0; i < e->nct; i++)
        if (strcmp(e->ct[i], "application/json") == 0) return e->tpl[i];
    form_set_value(f, e->f[METHOD_T_NEWCT], "application/json");
    return e->f[METHOD_T_NEWTPL];
}

void method_patch_templates(apigw_patch *p, const char *member, const cJSON *was,
                            const cJSON *now) {
    const cJSON *it;
    cJSON_ArrayForEach(it, was) {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(now, it->string);
        const char *path = apigw_patch_path(p, member, it->string, NULL);
        if (!n)
            apigw_patch_remove(p, path, NULL);
        else if (!cJSON_IsString(it) || strcmp(it->valuestring, n->valuestring) != 0)
            apigw_patch_replace(p, path, n->valuestring);
    }
    cJSON_ArrayForEach(it, now) {
        if (!cJSON_GetObjectItemCaseSensitive(was, it->string))
            apigw_patch_add(p, apigw_patch_path(p, member, it->string, NULL), it->valuestring);
    }
}

bool method_no_ops(ui_ctx *cx, apigw_patch *p) {
    if (cJSON_GetArraySize(apigw_patch_ops(p)) > 0) return false;
    apigw_patch_free(p);
    ui_message(cx, "Nothing changed");
    return true;
}

/* --- Method request ---------------------------------------------------------------- */

enum { MQ_AUTH, MQ_KEY, MQ_PARAMS };
static const char *const auths[] = {"NONE", "AWS_IAM", "CUSTOM", "COGNITO_USER_POOLS"};

static bool mreq_submit(ui_ctx *cx, form *f, void *ud) {
    method_edit *e = ud;
    char msg[160];
    cJSON *params =
        method_parse_flags(form_value(f, e->f[MQ_PARAMS]), "method.request.", msg, sizeof msg);
    if (!params) {
        form_set_error(f, msg);
        return false;
    }
    apigw_patch *p = apigw_patch_new();
    const char *auth = form_value(f, e->f[MQ_AUTH]);
    if (strcmp(auth, json_str_or(e->was, "authorizationType", "NONE")) != 0)
        apigw_patch_replace(p, "/authorizationType", auth);
    bool key = form_checked(f, e->f[MQ_KEY]);
    if (key != json_bool_or(e->was, "apiKeyRequired", false))
        apigw_patch_replace(p, "/apiKeyRequired", key ? "true" : "false");
    const cJSON *was = json_obj(e->was, "requestParameters"), *it;
    cJSON_ArrayForEach(it, was) {
        const cJSON *now = cJSON_GetObjectItemCaseSensitive(params, it->string);
        const char *path = apigw_patch_path(p, "requestParameters", it->string, NULL);
        if (!now)
            apigw_patch_remove(p, path, NULL);
        else if (cJSON_IsTrue(now) != cJSON_IsTrue(it))
            apigw_patch_replace(p, path, cJSON_IsTrue(now) ? "true" : "false");
    }
    cJSON_ArrayForEach(it, params) {
        if (!cJSON_GetObjectItemCaseSensitive(was, it->string))
            apigw_patch_add(p, apigw_patch_path(p, "requestParameters", it->string, NULL),
                            cJSON_IsTrue(it) ? "true" : "false");
    }
    cJSON_Delete(params);
    if (method_no_ops(cx, p)) return true;
    char *what = xasprintf("Update the method request of %s %s", e->verb, e->path);
    ui_job *j = ui_job_new(cx, what, UI_RELOAD_API);
    free(what);
    apigw_update_method(cx->cl, e->api, e->res, e->verb, p, ui_job_done, ui_job_then(j, NULL));
    return true;
}

static void mreq_form(const method_ref *ref, ui_ctx *cx, const cJSON *m) {
    method_edit *e = method_edit_new(ref, cx, m, NULL);
    form *f = form_new("Method request settings");
    const char *auth = json_str_or(m, "authorizationType", "NONE");
    /* Authorizers are not offered; a method that has one keeps it listed. */
    size_t nauth = method_index_of(auths, 4, auth) >= 2 ? 4 : 2;
    e->f[MQ_AUTH] = form_choice(f, "Authorization", auths, nauth, method_index_of(auths, 4, auth));
    e->f[MQ_KEY] = form_check(f, "API key required", json_bool_or(m, "apiKeyRequired", false));
    char *params = method_flags_text(json_obj(m, "requestParameters"), "method.request.");
    e->f[MQ_PARAMS] = form_textarea(f, "Request parameters", params, ".txt");
    free(params);
    form_note(f, "Parameters: one per line, querystring.NAME, header.NAME or path.NAME, "
                 "followed by =required when the request must have it.");
    ui_form(cx, f, mreq_submit, NULL, e, method_edit_free);
}

/* --- which form a row opens --------------------------------------------------------- */

void method_open_form(const method_ref *ref, ui_ctx *cx, const cJSON *m, const char *key) {
    if (strcmp(key, "mreq") == 0)
        mreq_form(ref, cx, m);
    else if (strcmp(key, "ireq") == 0)
        method_ireq_form(ref, cx, m);
    else if (strcmp(key, "iresp+") == 0)
        method_iresp_form(ref, cx, m, NULL);
    else if (str_starts(key, "iresp:"))
        method_iresp_form(ref, cx, m, key + 6);
    else if (strcmp(key, "mresp+") == 0)
        method_mresp_form(ref, cx, m, NULL);
    else if (str_starts(key, "mresp:"))
        method_mresp_form(ref, cx, m, key + 6);
}
