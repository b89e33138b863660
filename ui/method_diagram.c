/* Method Execution's diagram, as the AWS console draws it: Client →
 * Method request → Integration request → backend, and back through
 * Integration response → Method response → Client. Each box sums up its
 * part; the sheet under it (pane_method.c) has the details. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"
#include "method_priv.h"
#include "ui/draw.h"
#include "ui/integ.h"

int method_box_of_key(const char *key) {
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
static void draw_box(WINDOW *w, const ui_theme *th, method_rect r, const char *title,
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

void method_diagram_draw(WINDOW *w, const ui_ctx *cx, const cJSON *m, int sel, int width,
                         bool focused, method_rect box[NBOX]) {
    const ui_theme *th = cx->th;
    const cJSON *in = json_obj(m, "methodIntegration");
    int y0 = 2, cx0 = 1, bx0 = 12, gap = 6;
    int bw = (width - 1 - bx0 - 2 * gap) / 3;
    int bx1 = bx0 + bw + gap, bx2 = bx1 + bw + gap, bbw = width - 1 - bx2;
    box[BOX_MREQ] = (method_rect){y0, bx0, 5, bw};
    box[BOX_IREQ] = (method_rect){y0, bx1, 5, bw};
    box[BOX_MRESP] = (method_rect){y0 + 6, bx0, 5, bw};
    box[BOX_IRESP] = (method_rect){y0 + 6, bx1, 5, bw};
    box[BOX_BACKEND] = (method_rect){y0, bx2, 11, bbw};

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
    draw_box(w, th, box[BOX_MREQ], "Method request", t, 2, sel == BOX_MREQ, focused);

    bool proxy = false;
    integ_kind k = in ? integ_kind_of(in, &proxy) : INTEG_MOCK;
    snprintf(l1, sizeof l1, "%s%s%s%s", method_kind_word(in), in ? " (" : "",
             in ? json_str_or(in, "type", "") : "", in ? ")" : "");
    if (!in || proxy)
        snprintf(l2, sizeof l2, "%s", in ? "the request as it comes" : "e sets one");
    else
        snprintf(l2, sizeof l2, "%d template%s, %s",
                 cJSON_GetArraySize(json_obj(in, "requestTemplates")),
                 cJSON_GetArraySize(json_obj(in, "requestTemplates")) == 1 ? "" : "s",
                 json_str_or(in, "passthroughBehavior", "WHEN_NO_MATCH"));
    draw_box(w, th, box[BOX_IREQ], "Integration request", t, 2, sel == BOX_IREQ, focused);

    size_t n;
    const cJSON *irs = json_obj(in, "integrationResponses");
    const char **st = method_sorted_keys(irs, &n);
    snprintf(l1, sizeof l1, "%s", n ? "" : "none");
    snprintf(l2, sizeof l2, "%s", proxy ? "the backend's, as it is" : "");
    for (size_t i = 0; i < n && strlen(l1) < 60; i++) {
        snprintf(l1 + strlen(l1), sizeof l1 - strlen(l1), "%s%s", i ? ", " : "", st[i]);
        const char *pat =
            json_str(cJSON_GetObjectItemCaseSensitive(irs, st[i]), "selectionPattern");
        if (!pat || !*pat) snprintf(l2, sizeof l2, "default: %s", st[i]);
    }
    free(st);
    draw_box(w, th, box[BOX_IRESP], "Integration response", t, 2, sel == BOX_IRESP, focused);

    const cJSON *mr = json_obj(m, "methodResponses");
    st = method_sorted_keys(mr, &n);
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
    draw_box(w, th, box[BOX_MRESP], "Method response", t, 2, sel == BOX_MRESP, focused);

    const char *btitle = !in                 ? "Backend"
                         : k == INTEG_LAMBDA ? "Lambda function"
                         : k == INTEG_MOCK   ? "Mock"
                         : k == INTEG_HTTP   ? "HTTP endpoint"
                                             : "AWS service";
    char *bt = method_backend_text(cx, in), *rows[8] = {0};
    int nr = split_rows(th, bt, bbw - 3, rows, 8);
    free(bt);
    draw_box(w, th, box[BOX_BACKEND], btitle, (const char *const *)rows, nr, false, focused);
    for (int i = 0; i < nr; i++)
        free(rows[i]);
}
