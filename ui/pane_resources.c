/* Resources of the open API as a tree by path, each resource with its
 * methods first and then its child resources, as the AWS console shows. */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/mem.h"
#include "ui/draw.h"
#include "ui/pane.h"
#include "ui/tree.h"

enum { K_RESOURCE, K_METHOD };

typedef struct res_pane {
    pane base;
    ui_tree tree;
    bool loaded;
    size_t nres;
} res_pane;

static int by_name(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "MOCK · API key · AWS_IAM": what sets a method apart at a glance. */
static char *method_detail(const cJSON *m, const ui_theme *th) {
    buf b = BUF_INIT;
    const char *itype = json_str(json_obj(m, "methodIntegration"), "type");
    buf_puts(&b, itype ? itype : "no integration");
    if (json_bool_or(m, "apiKeyRequired", false)) buf_printf(&b, "%sAPI key", th->dot);
    const char *auth = json_str(m, "authorizationType");
    if (auth && strcmp(auth, "NONE") != 0) buf_printf(&b, "%s%s", th->dot, auth);
    return buf_steal(&b);
}

static void add_methods(res_pane *rp, const cJSON *res, int depth, const ui_theme *th) {
    const cJSON *methods = json_obj(res, "resourceMethods");
    int n = cJSON_GetArraySize(methods);
    if (n <= 0) return;
    const char **verbs = xcalloc((size_t)n, sizeof *verbs);
    int k = 0;
    const cJSON *m;
    cJSON_ArrayForEach(m, methods) verbs[k++] = m->string;
    qsort(verbs, (size_t)k, sizeof *verbs, by_name);
    const char *id = json_str_or(res, "id", ""), *path = json_str_or(res, "path", "");
    for (int i = 0; i < k; i++) {
        const cJSON *meth = cJSON_GetObjectItemCaseSensitive(methods, verbs[i]);
        char *key = xasprintf("m:%s:%s", id, verbs[i]);
        char *match = xasprintf("%s %s", path, verbs[i]);
        char *detail = method_detail(meth, th);
        tree_add(&rp->tree, depth, key, verbs[i], detail, match, K_METHOD, UI_R_METHOD);
        free(key);
        free(match);
        free(detail);
    }
    free(verbs);
}

/* Depth-first from res; seen guards against parent loops in odd data. */
static void add_resource(res_pane *rp, const cJSON *all, const cJSON *res, int depth, bool *seen,
                         const ui_theme *th) {
    int idx = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, all) {
        if (it == res) break;
        idx++;
    }
    if (seen[idx]) return;
    seen[idx] = true;
    const char *id = json_str_or(res, "id", ""), *part = json_str(res, "pathPart");
    char *label = part ? xasprintf("/%s", part) : xstrdup(json_str_or(res, "path", "/"));
    char *key = xasprintf("r:%s", id);
    tree_add(&rp->tree, depth, key, label, id, json_str_or(res, "path", label), K_RESOURCE,
             UI_R_NORMAL);
    free(label);
    free(key);
    add_methods(rp, res, depth + 1, th);
    cJSON_ArrayForEach(it, all) {
        const char *parent = json_str(it, "parentId");
        if (parent && strcmp(parent, id) == 0) add_resource(rp, all, it, depth + 1, seen, th);
    }
}

static bool has_parent_in(const cJSON *all, const cJSON *res) {
    const char *parent = json_str(res, "parentId");
    const cJSON *it;
    if (!parent) return false;
    cJSON_ArrayForEach(it, all) {
        if (strcmp(json_str_or(it, "id", ""), parent) == 0) return true;
    }
    return false;
}

static void res_sync(pane *p, ui_ctx *cx) {
    res_pane *rp = (res_pane *)p;
    const cJSON *all = mirror_resources(cx->m, cx->api_id);
    rp->loaded = all != NULL;
    rp->nres = (size_t)cJSON_GetArraySize(all);
    tree_clear(&rp->tree);
    bool *seen = xcalloc(rp->nres + 1, sizeof *seen);
    const cJSON *it;
    cJSON_ArrayForEach(it, all) {
        if (!has_parent_in(all, it)) add_resource(rp, all, it, 0, seen, cx->th);
    }
    free(seen);
    tree_done(&rp->tree);
}

static void res_draw(pane *p, ui_ctx *cx, WINDOW *w, int h, int width, bool focused) {
    res_pane *rp = (res_pane *)p;
    char title[64];
    snprintf(title, sizeof title, rp->loaded ? "Resources (%zu)" : "Resources", rp->nres);
    pane_heading(w, cx, width, true, title, tree_filter(&rp->tree));
    wattrset(w, cx->th->attr[UI_R_COLHEAD]);
    draw_blank(w, 1, 0, width);
    draw_text(w, cx->th, 1, 1, "Resource / method", width - 2);
    const char *right = "Integration / id";
    int rw = draw_width(cx->th, right);
    if (width > rw + 22) draw_text(w, cx->th, 1, width - 1 - rw, right, rw);
    wattrset(w, A_NORMAL);
    tree_draw(&rp->tree, w, cx->th, 2, 0, h - 2, width, focused);
    if (!rp->loaded)
        pane_missing(w, cx, 3, width);
    else if (!rp->tree.nvis && tree_filter(&rp->tree)[0])
        pane_note(w, cx->th, 3, width, "Nothing matches the filter");
}

static unsigned res_action(pane *p, ui_ctx *cx, ui_action a, bool *unhandled) {
    res_pane *rp = (res_pane *)p;
    if (a == UI_ACT_OPEN) {
        const ui_node *nd = tree_selected(&rp->tree);
        if (!nd) return 0;
        if (nd->kind == K_RESOURCE)
            return tree_action(&rp->tree, nd->open ? UI_ACT_LEFT : UI_ACT_RIGHT, NULL) ? UI_DIRTY_CONTENT
                                                                                       : 0;
        snprintf(cx->msg, sizeof cx->msg, "%s: %s", nd->match, nd->detail);
        return UI_DIRTY_STATUS;
    }
    return tree_action(&rp->tree, a, unhandled) ? UI_DIRTY_CONTENT : 0;
}

static unsigned res_click(pane *p, ui_ctx *cx, int y, int x, bool open) {
    res_pane *rp = (res_pane *)p;
    if (!tree_click(&rp->tree, y - 2)) return 0;
    bool dummy;
    return UI_DIRTY_CONTENT | (open ? res_action(p, cx, UI_ACT_OPEN, &dummy) : 0);
}

static void res_set_filter(pane *p, const char *text) { tree_set_filter(&((res_pane *)p)->tree, text); }
static const char *res_filter(const pane *p) { return tree_filter(&((const res_pane *)p)->tree); }

static void res_destroy(pane *p) {
    res_pane *rp = (res_pane *)p;
    tree_free(&rp->tree);
    free(rp);
}

static const pane_ops res_ops = {
    .sync = res_sync,
    .draw = res_draw,
    .action = res_action,
    .click = res_click,
    .set_filter = res_set_filter,
    .filter = res_filter,
    .destroy = res_destroy,
};

pane *pane_resources_new(void) {
    res_pane *rp = xcalloc(1, sizeof *rp);
    rp->base.ops = &res_ops;
    rp->base.title = "Resources";
    rp->base.scopes = UI_SC_MOVE | UI_SC_LIST | UI_SC_TREE | UI_SC_OPEN;
    tree_init(&rp->tree);
    return &rp->base;
}
