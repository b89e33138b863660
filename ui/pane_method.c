/* Method Execution: one method as the AWS console draws it, Client →
 * Method request → Integration request → backend → Integration response →
 * Method response → Client. With room (100 columns) the diagram heads the
 * view; below it, or alone on small screens, a sheet lists the four boxes'
 * settings. Enter or e edits the selected box in a form; the response
 * boxes hold one row per status (c adds, d deletes). T opens the Test
 * view (pane_method_test.c). The diagram is drawn by method_diagram.c,
 * the forms are method_forms.c's and method_form_*.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"
#include "method_priv.h"
#include "ui/draw.h"
#include "ui/integ.h"
#include "ui/sheet.h"

typedef struct method_pane {
    pane base;
    char *api, *res, *verb;
    char *path; /* from the mirror */
    ui_sheet sheet;
    bool found;
    method_rect box[NBOX]; /* where the last draw put the boxes (w 0: not drawn) */
    int sheet_y;
} method_pane;

/* Lines as one row: "a, b, c" (takes text). */
static char *one_row(char *text) {
    buf b = BUF_INIT;
    buf_puts(&b, "");
    for (char *p = text; *p;) {
        char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        if (n) buf_printf(&b, "%s%.*s", b.len ? ", " : "", (int)n, p);
        p += n + (nl ? 1 : 0);
    }
    free(text);
    return buf_steal(&b);
}

static const cJSON *the_method(const method_pane *mp, const ui_ctx *cx) {
    return method_of(method_resource(cx, mp->api, mp->res), mp->verb);
}

/* --- the sheet: what the boxes say ------------------------------------------------- */

static void add_templates(ui_sheet *sh, const cJSON *templates) {
    size_t n;
    const char **cts = method_sorted_keys(templates, &n);
    for (size_t i = 0; i < n; i++) {
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(templates, cts[i]);
        char *sum = method_summary(cJSON_IsString(t) ? t->valuestring : "");
        char *value = xasprintf("%s: %s", cts[i], *sum ? sum : "(empty)");
        sheet_field(sh, NULL, "Template", value, UI_R_NORMAL);
        free(value);
        free(sum);
    }
    free(cts);
}

static void add_method_request(ui_sheet *sh, const cJSON *m) {
    sheet_heading(sh, "Method request", "e edit");
    sheet_field(sh, "mreq", "Authorization", json_str_or(m, "authorizationType", "NONE"),
                UI_R_NORMAL);
    sheet_field(sh, NULL, "API key",
                json_bool_or(m, "apiKeyRequired", false) ? "required" : "not required",
                UI_R_NORMAL);
    char *params = one_row(method_flags_text(json_obj(m, "requestParameters"), "method.request."));
    sheet_field(sh, NULL, "Parameters", *params ? params : "none", UI_R_NORMAL);
    free(params);
    const cJSON *models = json_obj(m, "requestModels");
    if (models && models->child) {
        char *text = one_row(method_pairs_text(models, "=", NULL));
        sheet_field(sh, NULL, "Request models", text, UI_R_NORMAL);
        free(text);
    }
}

static void add_integration_request(ui_sheet *sh, const ui_ctx *cx, const cJSON *in) {
    sheet_heading(sh, "Integration request", "e edit");
    char *type = in ? xasprintf("%s (%s)", method_kind_word(in), json_str_or(in, "type", ""))
                    : xstrdup("none yet");
    sheet_field(sh, "ireq", "Integration type", type, in ? UI_R_NORMAL : UI_R_DIM);
    free(type);
    if (!in) return;
    bool proxy;
    integ_kind k = integ_kind_of(in, &proxy);
    char *backend = method_backend_text(cx, in);
    if (k != INTEG_MOCK)
        sheet_field(sh, NULL,
                    k == INTEG_LAMBDA ? "Lambda function"
                    : k == INTEG_HTTP ? "Endpoint"
                                      : "Action",
                    backend, UI_R_ACCENT);
    free(backend);
    if (proxy) return;
    sheet_field(sh, NULL, "Passthrough", json_str_or(in, "passthroughBehavior", "WHEN_NO_MATCH"),
                UI_R_NORMAL);
    const cJSON *t = json_obj(in, "requestTemplates");
    if (t && t->child)
        add_templates(sh, t);
    else
        sheet_field(sh, NULL, "Templates", "none", UI_R_DIM);
}

static void add_integration_responses(ui_sheet *sh, const cJSON *in) {
    sheet_heading(sh, "Integration response", "c add  e edit  d delete");
    const cJSON *rs = json_obj(in, "integrationResponses");
    size_t n;
    const char **st = method_sorted_keys(rs, &n);
    for (size_t i = 0; i < n; i++) {
        const cJSON *r = cJSON_GetObjectItemCaseSensitive(rs, st[i]);
        const char *pat = json_str(r, "selectionPattern");
        buf b = BUF_INIT;
        if (pat && *pat)
            buf_printf(&b, "pattern %s", pat);
        else
            buf_puts(&b, "default");
        int nt = cJSON_GetArraySize(json_obj(r, "responseTemplates"));
        int nh = cJSON_GetArraySize(json_obj(r, "responseParameters"));
        if (nt) buf_printf(&b, ", %d template%s", nt, nt == 1 ? "" : "s");
        if (nh) buf_printf(&b, ", %d header mapping%s", nh, nh == 1 ? "" : "s");
        char *key = xasprintf("iresp:%s", st[i]);
        sheet_field(sh, key, st[i], b.data, UI_R_NORMAL);
        free(key);
        buf_free(&b);
        add_templates(sh, json_obj(r, "responseTemplates"));
    }
    free(st);
    sheet_line(sh, "iresp+", in ? "+ add a response" : "(set an integration first)", UI_R_DIM);
}

static void add_method_responses(ui_sheet *sh, const cJSON *m) {
    sheet_heading(sh, "Method response", "c add  e edit  d delete");
    const cJSON *rs = json_obj(m, "methodResponses");
    size_t n;
    const char **st = method_sorted_keys(rs, &n);
    for (size_t i = 0; i < n; i++) {
        const cJSON *r = cJSON_GetObjectItemCaseSensitive(rs, st[i]);
        buf b = BUF_INIT;
        char *models = one_row(method_pairs_text(json_obj(r, "responseModels"), "=", NULL));
        char *heads = one_row(
            method_flags_text(json_obj(r, "responseParameters"), "method.response.header."));
        buf_printf(&b, "models %s", *models ? models : "none");
        if (*heads) buf_printf(&b, "; headers %s", heads);
        free(models);
        free(heads);
        char *key = xasprintf("mresp:%s", st[i]);
        sheet_field(sh, key, st[i], b.data, UI_R_NORMAL);
        free(key);
        buf_free(&b);
    }
    free(st);
    sheet_line(sh, "mresp+", "+ add a response", UI_R_DIM);
}

static void method_sync(pane *p, ui_ctx *cx) {
    method_pane *mp = (method_pane *)p;
    ui_sheet *sh = &mp->sheet;
    sheet_clear(sh);
    const cJSON *res = method_resource(cx, mp->api, mp->res), *m = method_of(res, mp->verb);
    mp->found = m != NULL;
    if (res) {
        free(mp->path);
        mp->path = xstrdup(json_str_or(res, "path", "/"));
    }
    if (m) {
        const cJSON *in = json_obj(m, "methodIntegration");
        add_method_request(sh, m);
        add_integration_request(sh, cx, in);
        add_integration_responses(sh, in);
        add_method_responses(sh, m);
    }
    sheet_done(sh);
}

static void method_draw(pane *p, ui_ctx *cx, WINDOW *w, int h, int width, bool focused) {
    method_pane *mp = (method_pane *)p;
    method_heading(w, cx, width, mp->verb, mp->path, "Method execution");
    for (int i = 0; i < NBOX; i++)
        mp->box[i].w = 0;
    if (!mp->found) {
        if (mirror_resources(cx->m, mp->api))
            pane_note(w, cx->th, 3, width, "This method is gone (deleted?); Esc goes back");
        else
            pane_missing(w, cx, 3, width);
        return;
    }
    mp->sheet_y = 1;
    if (width >= METHOD_WIDE_COLS && h >= METHOD_WIDE_ROWS) {
        method_diagram_draw(w, cx, the_method(mp, cx),
                            method_box_of_key(sheet_selected(&mp->sheet)), width, focused, mp->box);
        mp->sheet_y = METHOD_DIAGRAM_ROWS + 2;
    }
    /* Room to spare under the sheet: say what the keys do here. */
    int rows = h - mp->sheet_y, hint = 0;
    if (rows > (int)mp->sheet.n + 1) hint = 1;
    sheet_draw(&mp->sheet, w, cx->th, mp->sheet_y, h - hint, width, focused);
    if (hint) {
        wattrset(w, cx->th->attr[UI_R_DIM]);
        draw_text(w, cx->th, h - 1, 1,
                  "e edit  c add  d delete  T test  t stages  Esc back", width - 2);
        wattrset(w, A_NORMAL);
    }
}

/* --- keys and clicks ---------------------------------------------------------------------- */

static method_ref ref_of(const method_pane *mp) {
    return (method_ref){mp->api, mp->res, mp->verb, mp->path};
}

static unsigned open_key(method_pane *mp, ui_ctx *cx, const char *key) {
    const cJSON *m = the_method(mp, cx);
    if (!m || !key) return 0;
    method_ref ref = ref_of(mp);
    method_open_form(&ref, cx, m, key);
    return UI_DIRTY_ALL;
}

static unsigned method_action(pane *p, ui_ctx *cx, ui_action a, bool *unhandled) {
    method_pane *mp = (method_pane *)p;
    const char *key = sheet_selected(&mp->sheet);
    if (a == UI_ACT_LEFT) {
        *unhandled = true;
        return 0;
    }
    if (sheet_action(&mp->sheet, a)) return UI_DIRTY_CONTENT;
    if (!mp->found) return 0;
    switch (a) {
    case UI_ACT_OPEN:
    case UI_ACT_EDIT: return open_key(mp, cx, key);
    case UI_ACT_CREATE:
        if (key && str_starts(key, "iresp")) return open_key(mp, cx, "iresp+");
        if (key && str_starts(key, "mresp")) return open_key(mp, cx, "mresp+");
        ui_message(cx, "c adds a response: select the integration or method responses first");
        return UI_DIRTY_STATUS;
    case UI_ACT_DELETE:
        if (key && (str_starts(key, "iresp:") || str_starts(key, "mresp:"))) {
            method_ref ref = ref_of(mp);
            method_confirm_delete(&ref, cx, key);
            return UI_DIRTY_ALL;
        }
        ui_message(cx, "d deletes a response: select one first");
        return UI_DIRTY_STATUS;
    case UI_ACT_RUN:
    case UI_ACT_TEST_METHOD:
        ui_push(cx, pane_method_test_new(mp->api, mp->res, mp->verb));
        return UI_DIRTY_ALL;
    case UI_ACT_TEST_STAGES:
        ui_push(cx, pane_stagetest_new(mp->api, mp->res, mp->verb));
        return UI_DIRTY_ALL;
    default: break;
    }
    return 0;
}

static bool in_rect(method_rect r, int y, int x) {
    return r.w && y >= r.y && y < r.y + r.h && x >= r.x && x < r.x + r.w;
}

static unsigned method_click(pane *p, ui_ctx *cx, int y, int x, bool open) {
    method_pane *mp = (method_pane *)p;
    static const char *const first[NBOX] = {"mreq", "ireq", "iresp", "mresp", "ireq"};
    for (int b = 0; b < NBOX; b++) {
        if (!in_rect(mp->box[b], y, x)) continue;
        bool hit = false;
        for (size_t i = 0; i < mp->sheet.n && !hit; i++) {
            const char *k = mp->sheet.rows[i].key;
            if (k && str_starts(k, first[b])) hit = sheet_select_key(&mp->sheet, k);
        }
        if (!hit) return 0;
        return UI_DIRTY_CONTENT | (open ? open_key(mp, cx, sheet_selected(&mp->sheet)) : 0);
    }
    if (!sheet_click(&mp->sheet, y - mp->sheet_y)) return 0;
    return UI_DIRTY_CONTENT | (open ? open_key(mp, cx, sheet_selected(&mp->sheet)) : 0);
}

static void method_destroy(pane *p) {
    method_pane *mp = (method_pane *)p;
    sheet_free(&mp->sheet);
    free(mp->api);
    free(mp->res);
    free(mp->verb);
    free(mp->path);
    free(mp);
}

static const pane_ops method_ops = {
    .sync = method_sync,
    .draw = method_draw,
    .action = method_action,
    .click = method_click,
    .destroy = method_destroy,
};

pane *pane_method_new(const char *api_id, const char *resource_id, const char *verb) {
    method_pane *mp = xcalloc(1, sizeof *mp);
    mp->base.ops = &method_ops;
    mp->base.title = "Method execution";
    mp->base.scopes =
        UI_SC_MOVE | UI_SC_OPEN | UI_SC_EDIT | UI_SC_CREATE | UI_SC_DELETE | UI_SC_API |
        UI_SC_METHOD;
    mp->api = xstrdup(api_id);
    mp->res = xstrdup(resource_id);
    mp->verb = xstrdup(verb);
    sheet_init(&mp->sheet);
    return &mp->base;
}
