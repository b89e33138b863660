/* Method Execution: one method as the AWS console draws it, Client →
 * Method request → Integration request → backend → Integration response →
 * Method response → Client. With room (100 columns) the diagram heads the
 * view; below it, or alone on small screens, a sheet lists the four boxes'
 * settings. Enter or e edits the selected box in a form; the response
 * boxes hold one row per status (c adds, d deletes). T opens the Test
 * view (pane_method_test.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/apigw.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"
#include "lab/assets.h"
#include "method_priv.h"
#include "ui/draw.h"
#include "ui/integ.h"
#include "ui/job.h"
#include "ui/pane.h"
#include "ui/sheet.h"

#define WIDE_COLS 100 /* the diagram needs this much */
#define WIDE_ROWS 22
#define DIAGRAM_ROWS 12

enum { BOX_MREQ, BOX_IREQ, BOX_IRESP, BOX_MRESP, BOX_BACKEND, NBOX };

typedef struct rect {
    int y, x, h, w;
} rect;

typedef struct method_pane {
    pane base;
    char *api, *res, *verb;
    char *path; /* from the mirror */
    ui_sheet sheet;
    bool found;
    rect box[NBOX]; /* where the last draw put the boxes (w 0: not drawn) */
    int sheet_y;
} method_pane;

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

static size_t index_of(const char *const *opts, size_t n, const char *v) {
    for (size_t i = 0; v && i < n; i++)
        if (strcmp(opts[i], v) == 0) return i;
    return 0;
}

static int by_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The member names of obj, sorted (pointers into obj). */
static const char **sorted_keys(const cJSON *obj, size_t *n) {
    *n = (size_t)cJSON_GetArraySize(obj);
    const char **keys = xcalloc(*n + 1, sizeof *keys);
    size_t k = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, obj) keys[k++] = it->string;
    qsort(keys, k, sizeof *keys, by_str);
    return keys;
}

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

/* --- what the boxes say ---------------------------------------------------------- */

static const char *kind_word(const cJSON *in) {
    bool proxy;
    if (!in) return "none";
    switch (integ_kind_of(in, &proxy)) {
    case INTEG_LAMBDA: return proxy ? "Lambda proxy" : "Lambda function";
    case INTEG_HTTP: return proxy ? "HTTP proxy" : "HTTP";
    case INTEG_MOCK: return "Mock";
    case INTEG_AWS: break;
    }
    return "AWS service";
}

/* What the integration calls: the function, the URL, or the action. malloc'd. */
static char *backend_text(const ui_ctx *cx, const cJSON *in) {
    bool proxy;
    if (!in) return xstrdup("no integration yet");
    const char *uri = json_str_or(in, "uri", "");
    switch (integ_kind_of(in, &proxy)) {
    case INTEG_LAMBDA: {
        char *fn = integ_fn_of_uri(uri, cx->region, cx->account);
        return fn ? fn : xstrdup(uri);
    }
    case INTEG_MOCK: return xstrdup("Mock endpoint");
    default: break;
    }
    return xasprintf("%s %s", json_str_or(in, "httpMethod", ""), uri);
}

static void add_templates(ui_sheet *sh, const cJSON *templates) {
    size_t n;
    const char **cts = sorted_keys(templates, &n);
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
    char *type =
        in ? xasprintf("%s (%s)", kind_word(in), json_str_or(in, "type", "")) : xstrdup("none yet");
    sheet_field(sh, "ireq", "Integration type", type, in ? UI_R_NORMAL : UI_R_DIM);
    free(type);
    if (!in) return;
    bool proxy;
    integ_kind k = integ_kind_of(in, &proxy);
    char *backend = backend_text(cx, in);
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
    const char **st = sorted_keys(rs, &n);
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
    const char **st = sorted_keys(rs, &n);
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

/* --- the diagram ------------------------------------------------------------------ */

static int box_of_key(const char *key) {
    if (!key) return -1;
    if (strcmp(key, "mreq") == 0) return BOX_MREQ;
    if (strcmp(key, "ireq") == 0) return BOX_IREQ;
    if (str_starts(key, "iresp")) return BOX_IRESP;
    if (str_starts(key, "mresp")) return BOX_MRESP;
    return -1;
}

static void rule(WINDOW *w, const ui_theme *th, int y, int x, int n) {
    for (int i = 0; i < n; i++)
        mvwaddstr(w, y, x + i, th->hline);
}

/* A box with a title row and up to `lines` rows of text under it. */
static void draw_box(WINDOW *w, const ui_theme *th, rect r, const char *title,
                     const char *const *text, int lines, bool sel, bool focused) {
    wattrset(w, sel ? th->attr[UI_R_ACCENT] : th->attr[UI_R_BORDER]);
    rule(w, th, r.y, r.x + 1, r.w - 2);
    rule(w, th, r.y + r.h - 1, r.x + 1, r.w - 2);
    for (int y = r.y + 1; y < r.y + r.h - 1; y++) {
        mvwaddstr(w, y, r.x, th->vline);
        mvwaddstr(w, y, r.x + r.w - 1, th->vline);
    }
    mvwaddstr(w, r.y, r.x, th->tl);
    mvwaddstr(w, r.y, r.x + r.w - 1, th->tr);
    mvwaddstr(w, r.y + r.h - 1, r.x, th->bl);
    mvwaddstr(w, r.y + r.h - 1, r.x + r.w - 1, th->br);
    wattrset(w, sel ? th->attr[focused ? UI_R_SEL : UI_R_SEL_IDLE] : th->attr[UI_R_HEADING]);
    char *padded = xasprintf(" %s", title);
    draw_field(w, th, r.y + 1, r.x + 1, padded, r.w - 2);
    free(padded);
    for (int i = 0; i < lines && i < r.h - 3; i++) {
        char *s = text_sanitize(text[i] ? text[i] : "");
        wattrset(w, A_NORMAL);
        draw_field(w, th, r.y + 2 + i, r.x + 2, s, r.w - 3);
        free(s);
    }
    wattrset(w, A_NORMAL);
}

/* An arrow from x0 to x1 (inclusive) on row y, pointing right or left. */
static void arrow(WINDOW *w, const ui_theme *th, int y, int x0, int x1, bool right) {
    if (x1 < x0) return;
    wattrset(w, th->attr[UI_R_BORDER]);
    rule(w, th, y, x0, x1 - x0 + 1);
    const char *head = right ? (th->utf8 ? "▶" : ">") : (th->utf8 ? "◀" : "<");
    mvwaddstr(w, y, right ? x1 : x0, head);
    wattrset(w, A_NORMAL);
}

/* The backend's text cut into rows of w columns (at most max). */
static int split_rows(const ui_theme *th, const char *raw, int w, char **out, int max) {
    char *s = text_sanitize(raw);
    int n = 0;
    for (const char *p = s; *p && n < max;) {
        size_t take = draw_fit(th, p, w);
        if (!take) take = 1;
        out[n++] = xstrndup(p, take);
        p += take;
    }
    free(s);
    return n;
}

static void draw_diagram(method_pane *mp, ui_ctx *cx, WINDOW *w, int width, bool focused) {
    const ui_theme *th = cx->th;
    const cJSON *m = the_method(mp, cx), *in = json_obj(m, "methodIntegration");
    int sel = box_of_key(sheet_selected(&mp->sheet));
    int y0 = 2, cx0 = 1, bx0 = 12, gap = 6;
    int bw = (width - 1 - bx0 - 2 * gap) / 3;
    int bx1 = bx0 + bw + gap, bx2 = bx1 + bw + gap, bbw = width - 1 - bx2;
    mp->box[BOX_MREQ] = (rect){y0, bx0, 5, bw};
    mp->box[BOX_IREQ] = (rect){y0, bx1, 5, bw};
    mp->box[BOX_MRESP] = (rect){y0 + 6, bx0, 5, bw};
    mp->box[BOX_IRESP] = (rect){y0 + 6, bx1, 5, bw};
    mp->box[BOX_BACKEND] = (rect){y0, bx2, 11, bbw};

    wattrset(w, th->attr[UI_R_HEADING]);
    draw_text(w, th, y0 + 2, cx0, "Client", bx0 - cx0 - 1);
    draw_text(w, th, y0 + 8, cx0, "Client", bx0 - cx0 - 1);
    arrow(w, th, y0 + 2, cx0 + 7, bx0 - 1, true);
    arrow(w, th, y0 + 2, bx0 + bw, bx1 - 1, true);
    arrow(w, th, y0 + 2, bx1 + bw, bx2 - 1, true);
    arrow(w, th, y0 + 8, bx1 + bw, bx2 - 1, false);
    arrow(w, th, y0 + 8, bx0 + bw, bx1 - 1, false);
    arrow(w, th, y0 + 8, cx0 + 7, bx0 - 1, false);

    char l1[160], l2[160];
    const char *t[2] = {l1, l2};
    snprintf(l1, sizeof l1, "Authorization: %s", json_str_or(m, "authorizationType", "NONE"));
    snprintf(l2, sizeof l2, "API key: %s",
             json_bool_or(m, "apiKeyRequired", false) ? "required" : "not required");
    draw_box(w, th, mp->box[BOX_MREQ], "Method request", t, 2, sel == BOX_MREQ, focused);

    bool proxy = false;
    integ_kind k = in ? integ_kind_of(in, &proxy) : INTEG_MOCK;
    snprintf(l1, sizeof l1, "%s%s%s%s", kind_word(in), in ? " (" : "",
             in ? json_str_or(in, "type", "") : "", in ? ")" : "");
    if (!in || proxy)
        snprintf(l2, sizeof l2, "%s", in ? "the request as it comes" : "e sets one");
    else
        snprintf(l2, sizeof l2, "%d template%s, %s",
                 cJSON_GetArraySize(json_obj(in, "requestTemplates")),
                 cJSON_GetArraySize(json_obj(in, "requestTemplates")) == 1 ? "" : "s",
                 json_str_or(in, "passthroughBehavior", "WHEN_NO_MATCH"));
    draw_box(w, th, mp->box[BOX_IREQ], "Integration request", t, 2, sel == BOX_IREQ, focused);

    size_t n;
    const cJSON *irs = json_obj(in, "integrationResponses");
    const char **st = sorted_keys(irs, &n);
    snprintf(l1, sizeof l1, "%s", n ? "" : "none");
    snprintf(l2, sizeof l2, "%s", proxy ? "the backend's, as it is" : "");
    for (size_t i = 0; i < n && strlen(l1) < 60; i++) {
        snprintf(l1 + strlen(l1), sizeof l1 - strlen(l1), "%s%s", i ? ", " : "", st[i]);
        const char *pat =
            json_str(cJSON_GetObjectItemCaseSensitive(irs, st[i]), "selectionPattern");
        if (!pat || !*pat) snprintf(l2, sizeof l2, "default: %s", st[i]);
    }
    free(st);
    draw_box(w, th, mp->box[BOX_IRESP], "Integration response", t, 2, sel == BOX_IRESP, focused);

    const cJSON *mr = json_obj(m, "methodResponses");
    st = sorted_keys(mr, &n);
    snprintf(l1, sizeof l1, "%s", n ? "" : "none");
    for (size_t i = 0; i < n && strlen(l1) < 60; i++)
        snprintf(l1 + strlen(l1), sizeof l1 - strlen(l1), "%s%s", i ? ", " : "", st[i]);
    const cJSON *first = n ? cJSON_GetObjectItemCaseSensitive(mr, st[0]) : NULL;
    char *models = method_pairs_text(json_obj(first, "responseModels"), "=", NULL);
    char *nl = strchr(models, '\n');
    if (nl) *nl = '\0';
    snprintf(l2, sizeof l2, "%s", models);
    free(models);
    free(st);
    draw_box(w, th, mp->box[BOX_MRESP], "Method response", t, 2, sel == BOX_MRESP, focused);

    const char *btitle = !in                 ? "Backend"
                         : k == INTEG_LAMBDA ? "Lambda function"
                         : k == INTEG_MOCK   ? "Mock"
                         : k == INTEG_HTTP   ? "HTTP endpoint"
                                             : "AWS service";
    char *bt = backend_text(cx, in), *rows[8] = {0};
    int nr = split_rows(th, bt, bbw - 3, rows, 8);
    free(bt);
    draw_box(w, th, mp->box[BOX_BACKEND], btitle, (const char *const *)rows, nr, false, focused);
    for (int i = 0; i < nr; i++)
        free(rows[i]);
}

static void method_draw(pane *p, ui_ctx *cx, WINDOW *w, int h, int width, bool focused) {
    method_pane *mp = (method_pane *)p;
    /* the path comes from the service: made safe before it is drawn */
    char *raw = xasprintf("%s %s", mp->verb, mp->path ? mp->path : ""), *safe = text_sanitize(raw);
    char *title = xasprintf("%s%sMethod execution", safe, cx->th->sep);
    pane_heading(w, cx, width, true, title, NULL);
    free(title);
    free(safe);
    free(raw);
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
    if (width >= WIDE_COLS && h >= WIDE_ROWS) {
        draw_diagram(mp, cx, w, width, focused);
        mp->sheet_y = DIAGRAM_ROWS + 2;
    }
    /* Room to spare under the sheet: say what the keys do here. */
    int rows = h - mp->sheet_y, hint = 0;
    if (rows > (int)mp->sheet.n + 1) hint = 1;
    sheet_draw(&mp->sheet, w, cx->th, mp->sheet_y, h - hint, width, focused);
    if (hint) {
        wattrset(w, cx->th->attr[UI_R_DIM]);
        draw_text(w, cx->th, h - 1, 1,
                  "Enter/e edit  c add  d delete  T test  t every stage  Esc back", width - 2);
        wattrset(w, A_NORMAL);
    }
}

/* --- forms: what they share ---------------------------------------------------------- */

enum { F_MAX = 32, T_MAX = 8 };

typedef struct edit {
    char *api, *res, *verb, *path, *status; /* status: the response's, or NULL */
    char *region, *account;
    cJSON *was; /* the wire object being edited, or NULL */
    int f[F_MAX];
    char *ct[T_MAX]; /* content types of the template text areas */
    int tpl[T_MAX];
    int nct;
    size_t last_kind, last_pick, last_lab; /* choices when change last ran */
    char **picks;                          /* the function names offered */
    size_t npicks;
} edit;

static void edit_free(void *p) {
    edit *e = p;
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

static edit *edit_new(const method_pane *mp, const ui_ctx *cx, const cJSON *was,
                      const char *status) {
    edit *e = xcalloc(1, sizeof *e);
    e->api = xstrdup(mp->api);
    e->res = xstrdup(mp->res);
    e->verb = xstrdup(mp->verb);
    e->path = xstrdup(mp->path ? mp->path : "/");
    e->status = status ? xstrdup(status) : NULL;
    e->region = xstrdup(cx->region);
    e->account = cx->account ? xstrdup(cx->account) : NULL;
    e->was = was ? cJSON_Duplicate(was, 1) : NULL;
    for (int i = 0; i < F_MAX; i++)
        e->f[i] = -1;
    return e;
}

/* A text area per content type of templates, then a pair to add one. */
enum { T_NEWCT = F_MAX - 2, T_NEWTPL = F_MAX - 1 };
static void template_fields(form *f, edit *e, const cJSON *templates, const char *what) {
    size_t n;
    const char **cts = sorted_keys(templates, &n);
    for (size_t i = 0; i < n && e->nct < T_MAX; i++) {
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(templates, cts[i]);
        char *label = xasprintf("Template %s", cts[i]);
        e->ct[e->nct] = xstrdup(cts[i]);
        e->tpl[e->nct++] = form_textarea(f, label, cJSON_IsString(t) ? t->valuestring : "", ".vtl");
        free(label);
    }
    free(cts);
    char *hint = xasprintf("content type of a new %s template", what);
    e->f[T_NEWCT] = form_text(f, "New template for", n ? "" : "application/json", hint);
    free(hint);
    e->f[T_NEWTPL] = form_textarea(f, "New template", "", ".vtl");
}

/* The templates as the form holds them: {content type: text}, empty ones
 * left out. */
static cJSON *templates_of(const form *f, const edit *e) {
    cJSON *out = cJSON_CreateObject();
    for (int i = 0; i < e->nct; i++) {
        const char *v = form_value(f, e->tpl[i]);
        if (*v) json_set_str(out, e->ct[i], v);
    }
    const char *ct = form_value(f, e->f[T_NEWCT]), *v = form_value(f, e->f[T_NEWTPL]);
    if (*ct && *v) json_set_str(out, ct, v);
    return out;
}

/* The text area holding application/json's template (the new one when
 * there is none yet, with its content type filled in). */
static int json_template_field(form *f, const edit *e) {
    for (int i = 0; i < e->nct; i++)
        if (strcmp(e->ct[i], "application/json") == 0) return e->tpl[i];
    form_set_value(f, e->f[T_NEWCT], "application/json");
    return e->f[T_NEWTPL];
}

/* Patch operations that turn templates `was` into `now` under member. */
static void patch_templates(apigw_patch *p, const char *member, const cJSON *was,
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

static bool no_ops(ui_ctx *cx, apigw_patch *p) {
    if (cJSON_GetArraySize(apigw_patch_ops(p)) > 0) return false;
    apigw_patch_free(p);
    ui_message(cx, "Nothing changed");
    return true;
}

/* --- Method request ---------------------------------------------------------------- */

enum { MQ_AUTH, MQ_KEY, MQ_PARAMS };
static const char *const auths[] = {"NONE", "AWS_IAM", "CUSTOM", "COGNITO_USER_POOLS"};

static bool mreq_submit(ui_ctx *cx, form *f, void *ud) {
    edit *e = ud;
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
    if (no_ops(cx, p)) return true;
    char *what = xasprintf("Update the method request of %s %s", e->verb, e->path);
    ui_job *j = ui_job_new(cx, what, UI_RELOAD_API);
    free(what);
    apigw_update_method(cx->cl, e->api, e->res, e->verb, p, ui_job_done, ui_job_then(j, NULL));
    return true;
}

static void mreq_form(method_pane *mp, ui_ctx *cx, const cJSON *m) {
    edit *e = edit_new(mp, cx, m, NULL);
    form *f = form_new("Method request settings");
    const char *auth = json_str_or(m, "authorizationType", "NONE");
    /* Authorizers are not offered; a method that has one keeps it listed. */
    size_t nauth = index_of(auths, 4, auth) >= 2 ? 4 : 2;
    e->f[MQ_AUTH] = form_choice(f, "Authorization", auths, nauth, index_of(auths, 4, auth));
    e->f[MQ_KEY] = form_check(f, "API key required", json_bool_or(m, "apiKeyRequired", false));
    char *params = method_flags_text(json_obj(m, "requestParameters"), "method.request.");
    e->f[MQ_PARAMS] = form_textarea(f, "Request parameters", params, ".txt");
    free(params);
    form_note(f, "Parameters: one per line, querystring.NAME, header.NAME or path.NAME, "
                 "followed by =required when the request must have it.");
    ui_form(cx, f, mreq_submit, NULL, e, edit_free);
}

/* --- Integration request --------------------------------------------------------------- */

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

static integ_kind chosen_kind(const form *f, const edit *e) {
    return kind_of_choice[form_selected(f, e->f[IR_KIND])];
}

static void ireq_change(ui_ctx *cx, form *f, void *ud) {
    (void)cx;
    edit *e = ud;
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
    form_set_hidden(f, e->f[T_NEWCT], proxy);
    form_set_hidden(f, e->f[T_NEWTPL], proxy);

    /* Mock's own template goes when it stops being Mock, and comes back. */
    size_t kind = form_selected(f, e->f[IR_KIND]);
    if (kind != e->last_kind) {
        int jf = json_template_field(f, e);
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
        form_set_value(f, json_template_field(f, e), lab_id_template);
    e->last_lab = lab;
}

/* Whether the form asks for another backend than the integration has: a
 * new PutIntegration (and permission) rather than a patch. */
static bool backend_changed(const edit *e, const integ_spec *s) {
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

static char *trim_copy(const char *s) {
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return xstrndup(s, n);
}

static bool ireq_submit(ui_ctx *cx, form *f, void *ud) {
    edit *e = ud;
    integ_kind k = chosen_kind(f, e);
    char *fn = trim_copy(form_value(f, e->f[IR_FN]));
    char *url = trim_copy(form_value(f, k == INTEG_AWS ? e->f[IR_ACTION] : e->f[IR_URL]));
    char *role = trim_copy(form_value(f, e->f[IR_ROLE]));
    integ_fn parsed;
    if (k == INTEG_LAMBDA && integ_fn_parse(fn, &parsed) != 0) {
        form_set_error(f, "Name the Lambda function: a name, name:alias or its ARN");
        free(fn), free(url), free(role);
        return false;
    }
    if (k == INTEG_LAMBDA) integ_fn_free(&parsed);
    bool proxy = (k == INTEG_LAMBDA && form_checked(f, e->f[IR_LPROXY])) ||
                 (k == INTEG_HTTP && form_checked(f, e->f[IR_HPROXY]));
    cJSON *templates = templates_of(f, e);
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
        patch_templates(p, "requestTemplates", json_obj(e->was, "requestTemplates"), templates);
        if (!no_ops(cx, p)) {
            char *what = xasprintf("Update the integration request of %s %s", e->verb, e->path);
            ui_job *j = ui_job_new(cx, what, UI_RELOAD_API);
            free(what);
            apigw_update_integration(cx->cl, e->api, e->res, e->verb, p, ui_job_done,
                                     ui_job_then(j, NULL));
        }
    } else {
        ui_message(cx, "Nothing changed");
    }
    cJSON_Delete(templates);
    free(fn), free(url), free(role);
    return true;
}

/* The account's functions as choices: "(as typed above)" first. */
static void function_picks(form *f, edit *e, const ui_ctx *cx) {
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

static void ireq_form(method_pane *mp, ui_ctx *cx, const cJSON *m) {
    const cJSON *in = json_obj(m, "methodIntegration");
    edit *e = edit_new(mp, cx, in, NULL);
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
    e->f[IR_VERB] = form_choice(f, "HTTP method", verbs, NVERBS,
                                index_of(verbs, NVERBS, backend_verb ? backend_verb : mp->verb));
    e->f[IR_URL] = form_text(f, "Endpoint URL", k == INTEG_HTTP ? json_str_or(in, "uri", "") : "",
                             "https://example.com/items");
    e->f[IR_ACTION] = form_text(f, "Action ARN", k == INTEG_AWS ? json_str_or(in, "uri", "") : "",
                                "arn:aws:apigateway:REGION:SERVICE:action/ACTION (or path/...)");
    e->f[IR_ROLE] = form_text(f, "Execution role ARN", json_str_or(in, "credentials", ""), NULL);
    e->f[IR_PASS] = form_choice(f, "Request body passthrough", passthrough_words, 3,
                                index_of(passthroughs, 3, json_str(in, "passthroughBehavior")));
    template_fields(f, e, json_obj(in, "requestTemplates"), "request");
    static const char *const labs[] = {"none", "the ID path parameter as the event"};
    e->f[IR_LAB] = form_choice(f, "Use the lab's template", labs, 2, 0);
    ui_form(cx, f, ireq_submit, ireq_change, e, edit_free);
    ireq_change(cx, f, e);
}

/* --- Integration responses -------------------------------------------------------------- */

enum { XR_STATUS, XR_PATTERN, XR_HEADERS, XR_LAB };

static bool iresp_submit(ui_ctx *cx, form *f, void *ud) {
    edit *e = ud;
    const char *status = e->status ? e->status : form_value(f, e->f[XR_STATUS]);
    char msg[160];
    cJSON *heads = method_parse_pairs(form_value(f, e->f[XR_HEADERS]), ':',
                                      "method.response.header.", msg, sizeof msg);
    if (!heads) {
        form_set_error(f, msg);
        return false;
    }
    cJSON *templates = templates_of(f, e);
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
    edit *e = ud;
    size_t lab = form_selected(f, e->f[XR_LAB]);
    if (lab != e->last_lab && lab > 0)
        form_set_value(f, json_template_field(f, e),
                       lab == 1 ? lab_items_template : lab_item_template);
    e->last_lab = lab;
}

static void iresp_form(method_pane *mp, ui_ctx *cx, const cJSON *m, const char *status) {
    const cJSON *in = json_obj(m, "methodIntegration");
    if (!in) {
        ui_message(cx, "Set the integration request first");
        return;
    }
    const cJSON *r = status ? json_obj(json_obj(in, "integrationResponses"), status) : NULL;
    edit *e = edit_new(mp, cx, r, status);
    char *title = status ? xasprintf("Integration response %s", status)
                         : xstrdup("Add an integration response");
    form *f = form_new(title);
    free(title);
    if (!status) {
        /* Each maps to a method response that has none yet, as the console offers. */
        size_t n, k = 0;
        const char **st = sorted_keys(json_obj(m, "methodResponses"), &n);
        for (size_t i = 0; i < n; i++)
            if (!json_obj(json_obj(in, "integrationResponses"), st[i])) st[k++] = st[i];
        if (!k) {
            free(st);
            form_free(f);
            edit_free(e);
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
    template_fields(f, e, json_obj(r, "responseTemplates"), "response");
    static const char *const labs[] = {"none", "the items list (GET /items)",
                                       "one item (GET /items/{ID})"};
    e->f[XR_LAB] = form_choice(f, "Use the lab's template", labs, 3, 0);
    form_note(f, "Header mappings: one per line, Header-Name: 'a value' or "
                 "integration.response.header.NAME.");
    ui_form(cx, f, iresp_submit, iresp_change, e, edit_free);
}

/* --- Method responses --------------------------------------------------------------------- */

enum { MR_STATUS, MR_HEADERS, MR_MODELS };

static bool mresp_submit(ui_ctx *cx, form *f, void *ud) {
    edit *e = ud;
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

static void mresp_form(method_pane *mp, ui_ctx *cx, const cJSON *m, const char *status) {
    const cJSON *r = status ? json_obj(json_obj(m, "methodResponses"), status) : NULL;
    edit *e = edit_new(mp, cx, r, status);
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
    ui_form(cx, f, mresp_submit, NULL, e, edit_free);
}

/* --- deleting a response ---------------------------------------------------------------- */

/* f[0] tells which: 1 for an integration response, 0 for a method one. */
static void delete_response(ui_ctx *cx, void *ud) {
    edit *e = ud;
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

static void confirm_delete(method_pane *mp, ui_ctx *cx, const char *key) {
    bool integ = str_starts(key, "iresp:");
    const char *status = strchr(key, ':') + 1;
    edit *e = edit_new(mp, cx, NULL, status);
    e->f[0] = integ ? 1 : 0;
    char *text =
        xasprintf("Delete the %s response for status %s of %s %s?",
                  integ ? "integration" : "method", status, mp->verb, mp->path ? mp->path : "");
    ui_confirm(cx, integ ? "Delete integration response" : "Delete method response", text, NULL,
               delete_response, e, edit_free);
    free(text);
}

/* --- keys and clicks ---------------------------------------------------------------------- */

static unsigned open_key(method_pane *mp, ui_ctx *cx, const char *key) {
    const cJSON *m = the_method(mp, cx);
    if (!m || !key) return 0;
    if (strcmp(key, "mreq") == 0)
        mreq_form(mp, cx, m);
    else if (strcmp(key, "ireq") == 0)
        ireq_form(mp, cx, m);
    else if (strcmp(key, "iresp+") == 0)
        iresp_form(mp, cx, m, NULL);
    else if (str_starts(key, "iresp:"))
        iresp_form(mp, cx, m, key + 6);
    else if (strcmp(key, "mresp+") == 0)
        mresp_form(mp, cx, m, NULL);
    else if (str_starts(key, "mresp:"))
        mresp_form(mp, cx, m, key + 6);
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
            confirm_delete(mp, cx, key);
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

static bool in_rect(rect r, int y, int x) {
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
        UI_SC_MOVE | UI_SC_OPEN | UI_SC_EDIT | UI_SC_CREATE | UI_SC_DELETE | UI_SC_API;
    mp->api = xstrdup(api_id);
    mp->res = xstrdup(resource_id);
    mp->verb = xstrdup(verb);
    sheet_init(&mp->sheet);
    return &mp->base;
}
