/* Resources of the open API as a tree by path, each resource with its
 * methods first and then its child resources, as the AWS console shows.
 *
 * c opens one Create form for the selected resource (on a method row: its
 * resource) whose first field picks Resource or Method, the console's two
 * buttons: a child resource (proxy and CORS options), or a method with its
 * integration. d deletes the selected method, or the resource with all
 * below it. C is the Enable CORS wizard; Enter on a method opens Method
 * Execution, T its test, t the test against every stage. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "client/apigw.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/mem.h"
#include "ui/cors.h"
#include "ui/draw.h"
#include "ui/integ.h"
#include "ui/job.h"
#include "ui/pane.h"
#include "ui/resources.h"
#include "ui/tree.h"

enum { K_RESOURCE, K_METHOD };

/* --- helpers (ui/resources.h) ---------------------------------------------------- */

const char *const res_verbs[RES_NVERBS] = {"GET",    "POST", "PUT",     "PATCH",
                                           "DELETE", "HEAD", "OPTIONS", "ANY"};

const cJSON *res_find(const cJSON *all, const char *id) { return json_find(all, "id", id); }

size_t res_free_verbs(const cJSON *resource, const char **out) {
    const cJSON *methods = json_obj(resource, "resourceMethods");
    size_t n = 0;
    for (size_t i = 0; i < RES_NVERBS; i++)
        if (!cJSON_GetObjectItemCaseSensitive(methods, res_verbs[i])) out[n++] = res_verbs[i];
    return n;
}

/* Descendants by parentId; depth-limited so odd data with loops ends. */
static size_t count_below(const cJSON *all, const char *id, int depth) {
    size_t n = 0;
    const cJSON *r;
    if (depth > 64) return 0;
    cJSON_ArrayForEach(r, all) {
        const char *parent = json_str(r, "parentId");
        if (parent && strcmp(parent, id) == 0)
            n += 1 + count_below(all, json_str_or(r, "id", ""), depth + 1);
    }
    return n;
}

size_t res_descendants(const cJSON *all, const char *id) { return count_below(all, id, 0); }

char *res_lambda_function(const char *name, const char *qualifier, const char *stage_var) {
    if (stage_var && *stage_var) return xasprintf("%s:${stageVariables.%s}", name, stage_var);
    if (qualifier && *qualifier) return xasprintf("%s:%s", name, qualifier);
    return xstrdup(name);
}

bool res_parse_key(const char *key, char **id, char **verb) {
    *id = *verb = NULL;
    if (strncmp(key, "r:", 2) == 0 && key[2]) {
        *id = xstrdup(key + 2);
        return true;
    }
    const char *colon = strrchr(key, ':');
    if (strncmp(key, "m:", 2) != 0 || colon <= key + 2 || !colon[1]) return false;
    *id = xstrndup(key + 2, (size_t)(colon - key - 2));
    *verb = xstrdup(colon + 1);
    return true;
}

/* --- the row to select after a job ---------------------------------------------
 * Shared between the pane and the jobs it starts (either may go first):
 * a job that created something names its tree key here, and the pane
 * selects that row once the reloaded mirror has it. */

typedef struct sel_box {
    int refs;
    char *key;
} sel_box;

static sel_box *want_ref(sel_box *b) {
    b->refs++;
    return b;
}

static void want_unref(sel_box *b) {
    if (b && --b->refs == 0) {
        free(b->key);
        free(b);
    }
}

static void want_set(sel_box *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void want_set(sel_box *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    free(b->key);
    b->key = xvasprintf(fmt, ap);
    va_end(ap);
}

/* --- the tree ---------------------------------------------------------------------- */

typedef struct res_pane {
    pane base;
    ui_tree tree;
    bool loaded;
    size_t nres;
    sel_box *want;
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
    return res_find(all, json_str(res, "parentId")) != NULL;
}

/* Select the row a job asked for, once it is shown. */
static void take_wanted(res_pane *rp) {
    ui_tree *t = &rp->tree;
    if (!rp->want->key) return;
    for (size_t v = 0; v < t->nvis; v++)
        if (strcmp(t->nodes[t->vis[v]].key, rp->want->key) == 0) {
            t->sel = v;
            free(rp->want->key);
            rp->want->key = NULL;
            return;
        }
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
    take_wanted(rp);
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
    if (!rp->loaded) {
        pane_missing(w, cx, 3, width);
    } else if (!rp->tree.nvis && tree_filter(&rp->tree)[0]) {
        pane_note(w, cx->th, 3, width, "Nothing matches the filter");
    } else if ((int)rp->tree.nvis + 3 < h - 2) {
        /* Room to spare: say what the keys do here. */
        wattrset(w, cx->th->attr[UI_R_DIM]);
        draw_text(w, cx->th, h - 1, 1,
                  "c create  d delete  C CORS  Enter open  T test  t stages",
                  width - 2);
        wattrset(w, A_NORMAL);
    }
}

/* --- the selection ------------------------------------------------------------------ */

typedef struct picked {
    const cJSON *res; /* NULL when nothing is selected or it is not loaded */
    char *id, *verb;  /* verb NULL on a resource row */
} picked;

static picked pick(const res_pane *rp, const ui_ctx *cx) {
    picked s = {0};
    const ui_node *nd = tree_selected(&rp->tree);
    if (!nd || !res_parse_key(nd->key, &s.id, &s.verb)) return s;
    s.res = res_find(mirror_resources(cx->m, cx->api_id), s.id);
    return s;
}

static void picked_free(picked *s) {
    free(s->id);
    free(s->verb);
}

/* --- create: the form ------------------------------------------------------------------ */

enum { T_LAMBDA, T_HTTP, T_MOCK, T_AWS };
static const char *const integ_types[] = {"Lambda function", "HTTP", "Mock", "AWS service"};
static const char *const what_labels[] = {"Resource", "Method"};

typedef struct create_ud {
    sel_box *box;
    char *api, *res, *path;
    const char *verbs[RES_NVERBS];
    size_t nverbs;
    char **fns; /* the account's functions */
    size_t nfns;
    char **quals; /* values behind the qualifier's options; NULL entry: stage variable */
    size_t nquals;
    char *asked; /* the function whose versions were asked for */
    bool proxy_filled;
    char follow[16]; /* the backend verb while it follows the method's */
    int f_what, r_path, r_proxy, r_name, r_cors;
    int m_verb, m_type, l_proxy, l_fn, l_name, l_qual, l_var, b_verb, h_proxy, h_url, a_uri, a_role;
} create_ud;

static void free_strs(char **v, size_t n) {
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static void create_free(void *p) {
    create_ud *c = p;
    want_unref(c->box);
    free(c->api);
    free(c->res);
    free(c->path);
    free_strs(c->fns, c->nfns);
    free_strs(c->quals, c->nquals);
    free(c->asked);
    free(c);
}

static bool other_function(const create_ud *c, const form *f) {
    return !c->nfns || form_selected(f, c->l_fn) >= c->nfns;
}

static bool qualifier_is_var(const create_ud *c, const form *f) {
    size_t i = form_selected(f, c->l_qual);
    return i < c->nquals && !c->quals[i];
}

/* The chosen function's aliases and versions, asked for once when the
 * mirror does not hold them; the options follow when they come. */
static void fill_qualifiers(ui_ctx *cx, form *f, create_ud *c) {
    const char *fn = c->fns[form_selected(f, c->l_fn)];
    const cJSON *aliases = mirror_aliases(cx->m, fn), *versions = mirror_versions(cx->m, fn);
    if (!aliases && (!c->asked || strcmp(c->asked, fn) != 0)) {
        free(c->asked);
        c->asked = xstrdup(fn);
        mirror_refresh_function(cx->m, fn, NULL, NULL);
    }
    size_t cap = 2 + (size_t)cJSON_GetArraySize(aliases) + (size_t)cJSON_GetArraySize(versions);
    char **opts = xcalloc(cap, sizeof *opts), **vals = xcalloc(cap, sizeof *vals);
    size_t n = 0;
    opts[n] = xstrdup("$LATEST (no qualifier)");
    vals[n++] = xstrdup("");
    const cJSON *it;
    cJSON_ArrayForEach(it, aliases) {
        const char *name = json_str(it, "Name");
        if (!name) continue;
        opts[n] = xasprintf("alias %s", name);
        vals[n++] = xstrdup(name);
    }
    cJSON_ArrayForEach(it, versions) {
        const char *v = json_str(it, "Version");
        if (!v || strcmp(v, "$LATEST") == 0) continue;
        opts[n] = xasprintf("version %s", v);
        vals[n++] = xstrdup(v);
    }
    opts[n] = xstrdup("a stage variable");
    vals[n++] = NULL;
    form_set_options(f, c->l_qual, (const char *const *)opts, n);
    free_strs(opts, n);
    free_strs(c->quals, c->nquals);
    c->quals = vals;
    c->nquals = n;
}

/* Show the fields of what is being created and of the integration type. */
static void create_changed(ui_ctx *cx, form *f, void *ud) {
    create_ud *c = ud;
    bool method = form_selected(f, c->f_what) == 1;
    form_set_hidden(f, c->r_path, method);
    form_set_hidden(f, c->r_proxy, method);
    form_set_hidden(f, c->r_name, method);
    form_set_hidden(f, c->r_cors, method);
    /* The console fills in {proxy+} when the proxy switch goes on. */
    const char *name = form_value(f, c->r_name);
    if (form_checked(f, c->r_proxy) && !*name) {
        form_set_value(f, c->r_name, "{proxy+}");
        c->proxy_filled = true;
    } else if (!form_checked(f, c->r_proxy) && c->proxy_filled && strcmp(name, "{proxy+}") == 0) {
        form_set_value(f, c->r_name, "");
        c->proxy_filled = false;
    }
    size_t type = form_selected(f, c->m_type);
    bool lam = method && type == T_LAMBDA, http = method && type == T_HTTP;
    bool aws = method && type == T_AWS, other = other_function(c, f);
    form_set_hidden(f, c->m_verb, !method);
    form_set_hidden(f, c->m_type, !method);
    form_set_hidden(f, c->l_proxy, !lam);
    form_set_hidden(f, c->l_fn, !lam || !c->nfns);
    form_set_hidden(f, c->l_name, !lam || !other);
    if (lam && !other) fill_qualifiers(cx, f, c);
    form_set_hidden(f, c->l_qual, !lam || other);
    form_set_hidden(f, c->l_var, !lam || other || !qualifier_is_var(c, f));
    form_set_hidden(f, c->h_proxy, !http);
    form_set_hidden(f, c->b_verb, !http && !aws);
    form_set_hidden(f, c->h_url, !http);
    form_set_hidden(f, c->a_uri, !aws);
    form_set_hidden(f, c->a_role, !aws);
    /* The backend's verb follows the method's until it is changed by hand. */
    if (strcmp(form_value(f, c->b_verb), c->follow) == 0) {
        form_set_value(f, c->b_verb, form_value(f, c->m_verb));
        snprintf(c->follow, sizeof c->follow, "%s", form_value(f, c->b_verb));
    }
}

/* --- create: a resource ------------------------------------------------------------------ */

typedef struct res_job {
    sel_box *box;
    char *api, *id, *path;
    bool proxy, cors;
} res_job;

static void res_job_free(void *p) {
    res_job *r = p;
    want_unref(r->box);
    free(r->api);
    free(r->id);
    free(r->path);
    free(r);
}

static char *created_note(const res_job *r) {
    return xasprintf("Created resource %s (%s)%s%s", r->path, r->id, r->proxy ? " with ANY" : "",
                     r->cors ? " and CORS" : "");
}

/* The new resource's OPTIONS method, as the CORS box on Create resource
 * makes it: every method allowed. */
static void add_cors(ui_job *j, res_job *r) {
    static const char *const any[] = {"ANY"};
    cors_opts o = {.methods = any, .nmethods = 1};
    cors_plan plan;
    cors_plan_build(&plan, NULL, &o);
    char *note = created_note(r);
    cors_job_run(j, &plan, r->api, r->id, note);
    free(note);
    cors_plan_free(&plan);
}

static void any_added(ui_job *j, const cJSON *result) {
    (void)result;
    res_job *r = ui_job_data(j);
    if (r->cors) {
        add_cors(j, r);
        return;
    }
    char *note = created_note(r);
    ui_job_set_note(j, "%s; set its integration from Method execution", note);
    free(note);
}

static void resource_created(ui_job *j, const cJSON *result) {
    res_job *r = ui_job_data(j);
    const char *id = json_str(result, "id");
    if (!id) {
        ui_job_fail(j, "the answer named no resource id");
        return;
    }
    r->id = xstrdup(id);
    r->path = xstrdup(json_str_or(result, "path", ""));
    want_set(r->box, "r:%s", id);
    char *note = created_note(r);
    ui_job_set_note(j, "%s", note);
    free(note);
    if (r->proxy) {
        /* A proxy resource comes with an ANY method; its integration is
         * the user's next step, as in the console. */
        apigw_put_method(ui_job_client(j), r->api, id, "ANY", "NONE", NULL, ui_job_done,
                         ui_job_then(j, any_added));
    } else if (r->cors) {
        add_cors(j, r);
    }
}

static void create_resource(ui_ctx *cx, const create_ud *c, const form *f) {
    const char *name = form_value(f, c->r_name);
    res_job *r = xcalloc(1, sizeof *r);
    r->box = want_ref(c->box);
    r->api = xstrdup(c->api);
    r->proxy = form_checked(f, c->r_proxy);
    r->cors = form_checked(f, c->r_cors);
    const char *sep = strcmp(c->path, "/") == 0 ? "" : "/";
    char *what = xasprintf("Create resource %s%s%s", c->path, sep, name);
    ui_job *j = ui_job_new(cx, what, UI_RELOAD_API);
    free(what);
    ui_job_set_data(j, r, res_job_free);
    apigw_create_resource(cx->cl, c->api, c->res, name, ui_job_done,
                          ui_job_then(j, resource_created));
}

/* --- create: a method -------------------------------------------------------------------- */

typedef struct method_job {
    sel_box *box;
    char *api, *res, *path, *verb;
    integ_kind kind;
    bool proxy;
    char *function, *http_method, *uri, *role;
} method_job;

static void method_job_free(void *p) {
    method_job *m = p;
    want_unref(m->box);
    free(m->api);
    free(m->res);
    free(m->path);
    free(m->verb);
    free(m->function);
    free(m->http_method);
    free(m->uri);
    free(m->role);
    free(m);
}

/* The method is there: its integration is set as the console sets it. */
static void method_created(ui_job *j, const cJSON *result) {
    (void)result;
    method_job *m = ui_job_data(j);
    want_set(m->box, "m:%s:%s", m->res, m->verb);
    ui_job_set_note(j, "Created method %s on %s", m->verb, m->path);
    integ_spec s = {
        .kind = m->kind,
        .proxy = m->proxy,
        .function = m->function,
        .http_method = m->http_method,
        .uri = m->uri,
        .role = m->role,
    };
    ui_ctx *cx = ui_job_ctx(j);
    if (cx) integ_apply(cx, m->api, m->res, m->path, m->verb, &s);
}

static char *nonempty(const char *s) { return s && *s ? xstrdup(s) : NULL; }

/* The function the integration names, from the form; NULL when none was given. */
static char *chosen_function(const create_ud *c, const form *f) {
    if (other_function(c, f)) return nonempty(form_value(f, c->l_name));
    const char *fn = c->fns[form_selected(f, c->l_fn)];
    if (qualifier_is_var(c, f)) {
        const char *var = form_value(f, c->l_var);
        return *var ? res_lambda_function(fn, NULL, var) : NULL;
    }
    size_t q = form_selected(f, c->l_qual);
    return res_lambda_function(fn, q < c->nquals ? c->quals[q] : NULL, NULL);
}

static bool create_method(ui_ctx *cx, const create_ud *c, form *f) {
    if (!c->nverbs) {
        form_set_error(f, "This resource has every method type already");
        return false;
    }
    method_job *m = xcalloc(1, sizeof *m);
    size_t type = form_selected(f, c->m_type);
    m->kind = type == T_LAMBDA ? INTEG_LAMBDA
              : type == T_HTTP ? INTEG_HTTP
              : type == T_AWS  ? INTEG_AWS
                               : INTEG_MOCK;
    if (m->kind == INTEG_LAMBDA) {
        m->proxy = form_checked(f, c->l_proxy);
        m->function = chosen_function(c, f);
        if (!m->function) {
            form_set_error(f, qualifier_is_var(c, f) && !other_function(c, f)
                                  ? "Name the stage variable that holds the alias"
                                  : "Name the Lambda function");
            method_job_free(m);
            return false;
        }
    } else if (m->kind == INTEG_HTTP) {
        m->proxy = form_checked(f, c->h_proxy);
        m->http_method = xstrdup(form_value(f, c->b_verb));
        m->uri = xstrdup(form_value(f, c->h_url));
    } else if (m->kind == INTEG_AWS) {
        m->http_method = xstrdup(form_value(f, c->b_verb));
        m->uri = xstrdup(form_value(f, c->a_uri));
        m->role = nonempty(form_value(f, c->a_role));
    }
    m->box = want_ref(c->box);
    m->api = xstrdup(c->api);
    m->res = xstrdup(c->res);
    m->path = xstrdup(c->path);
    m->verb = xstrdup(form_value(f, c->m_verb));
    char *what = xasprintf("Create method %s on %s", m->verb, m->path);
    ui_job *j = ui_job_new(cx, what, UI_RELOAD_API);
    free(what);
    ui_job_set_data(j, m, method_job_free);
    /* The console's defaults: no authorization, no API key. */
    apigw_put_method(cx->cl, m->api, m->res, m->verb, "NONE", NULL, ui_job_done,
                     ui_job_then(j, method_created));
    return true;
}

static bool create_submit(ui_ctx *cx, form *f, void *ud) {
    const create_ud *c = ud;
    if (form_selected(f, c->f_what) == 1) return create_method(cx, c, f);
    create_resource(cx, c, f);
    return true;
}

static void add_resource_fields(create_ud *c, form *f) {
    char *where = xasprintf("Resource path: %s%s", c->path, strcmp(c->path, "/") == 0 ? "" : "/");
    c->r_path = form_note(f, where);
    free(where);
    c->r_proxy = form_check(f, "Proxy resource", false);
    c->r_name =
        form_text(f, "Resource name", "", "items; {ID} takes a path parameter; {proxy+} all below");
    c->r_cors = form_check(f, "CORS (OPTIONS for all origins)", false);
}

static void add_method_fields(create_ud *c, form *f, const ui_ctx *cx) {
    static const char *const none[] = {"(every type exists)"};
    c->m_verb =
        form_choice(f, "Method type", c->nverbs ? c->verbs : none, c->nverbs ? c->nverbs : 1, 0);
    /* Lambda first as in the console, unless the account has no function. */
    c->m_type = form_choice(f, "Integration type", integ_types, 4, c->nfns ? T_LAMBDA : T_MOCK);
    c->l_proxy = form_check(f, "Lambda proxy integration", false);
    const char **fopts = xcalloc(c->nfns + 1, sizeof *fopts);
    for (size_t i = 0; i < c->nfns; i++)
        fopts[i] = c->fns[i];
    fopts[c->nfns] = "another (type it)";
    c->l_fn = form_choice(f, "Lambda function", fopts, c->nfns + 1, 0);
    free(fopts);
    c->l_name =
        form_text(f, "Function name or ARN", "", "name, name:alias or name:${stageVariables.x}");
    static const char *const latest[] = {"$LATEST (no qualifier)"};
    c->l_qual = form_choice(f, "Version or alias", latest, 1, 0);
    c->l_var = form_text(f, "Stage variable", "lambdaAlias", "each stage names its alias in it");
    c->h_proxy = form_check(f, "HTTP proxy integration", false);
    c->b_verb = form_choice(f, "HTTP method", res_verbs, RES_NVERBS, 0);
    snprintf(c->follow, sizeof c->follow, "%s", form_value(f, c->b_verb));
    c->h_url = form_text(f, "Endpoint URL", "", "https://example.com/items");
    char *hint =
        xasprintf("arn:aws:apigateway:%s:SERVICE:action/NAME", cx->region ? cx->region : "REGION");
    c->a_uri = form_text(f, "Action or path ARN", "", hint);
    free(hint);
    c->a_role = form_text(f, "Execution role ARN", "", "arn:aws:iam::ACCOUNT:role/NAME");
}

static unsigned ask_create(res_pane *rp, ui_ctx *cx) {
    picked s = pick(rp, cx);
    if (!s.res) {
        picked_free(&s);
        ui_message(cx, "Select a resource to create under");
        return UI_DIRTY_STATUS;
    }
    create_ud *c = xcalloc(1, sizeof *c);
    c->box = want_ref(rp->want);
    c->api = xstrdup(cx->api_id);
    c->res = xstrdup(s.id);
    c->path = xstrdup(json_str_or(s.res, "path", "/"));
    c->nverbs = res_free_verbs(s.res, c->verbs);
    const cJSON *fns = mirror_functions(cx->m), *fn;
    c->fns = xcalloc((size_t)cJSON_GetArraySize(fns) + 1, sizeof *c->fns);
    cJSON_ArrayForEach(fn, fns) {
        const char *name = json_str(fn, "FunctionName");
        if (name) c->fns[c->nfns++] = xstrdup(name);
    }
    char *title = xasprintf("Create in %s", c->path);
    form *f = form_new(title);
    free(title);
    /* On a method row the method's resource gets another method. */
    c->f_what = form_choice(f, "Create", what_labels, 2, s.verb ? 1 : 0);
    add_resource_fields(c, f);
    add_method_fields(c, f, cx);
    create_changed(cx, f, c);
    ui_form(cx, f, create_submit, create_changed, c, create_free);
    picked_free(&s);
    return UI_DIRTY_ALL;
}

/* --- delete ------------------------------------------------------------------------------- */

typedef struct del_ref {
    sel_box *box;
    char *api, *res, *verb, *path, *parent;
} del_ref;

static void del_free(void *p) {
    del_ref *d = p;
    want_unref(d->box);
    free(d->api);
    free(d->res);
    free(d->verb);
    free(d->path);
    free(d->parent);
    free(d);
}

static void deleted(ui_job *j, const cJSON *result) {
    (void)result;
    del_ref *d = ui_job_data(j);
    if (d->verb)
        want_set(d->box, "r:%s", d->res);
    else if (d->parent)
        want_set(d->box, "r:%s", d->parent);
    if (d->verb)
        ui_job_set_note(j, "Deleted method %s on %s", d->verb, d->path);
    else
        ui_job_set_note(j, "Deleted resource %s", d->path);
}

static void delete_yes(ui_ctx *cx, void *ud) {
    const del_ref *in = ud;
    del_ref *d = xcalloc(1, sizeof *d);
    d->box = want_ref(in->box);
    d->api = xstrdup(in->api);
    d->res = xstrdup(in->res);
    d->verb = in->verb ? xstrdup(in->verb) : NULL;
    d->path = xstrdup(in->path);
    d->parent = in->parent ? xstrdup(in->parent) : NULL;
    char *what = d->verb ? xasprintf("Delete method %s on %s", d->verb, d->path)
                         : xasprintf("Delete resource %s", d->path);
    ui_job *j = ui_job_new(cx, what, UI_RELOAD_API);
    free(what);
    ui_job_set_data(j, d, del_free);
    if (d->verb)
        apigw_delete_method(cx->cl, d->api, d->res, d->verb, ui_job_done, ui_job_then(j, deleted));
    else
        apigw_delete_resource(cx->cl, d->api, d->res, ui_job_done, ui_job_then(j, deleted));
}

static unsigned ask_delete(res_pane *rp, ui_ctx *cx) {
    picked s = pick(rp, cx);
    if (!s.res) {
        picked_free(&s);
        return 0;
    }
    del_ref *d = xcalloc(1, sizeof *d);
    d->box = want_ref(rp->want);
    d->api = xstrdup(cx->api_id);
    d->res = xstrdup(s.id);
    d->verb = s.verb ? xstrdup(s.verb) : NULL;
    d->path = xstrdup(json_str_or(s.res, "path", "/"));
    d->parent = nonempty(json_str(s.res, "parentId"));
    char *text;
    if (d->verb) {
        text = xasprintf("Delete method %s on %s, with its integration and responses?", d->verb,
                         d->path);
    } else {
        const cJSON *all = mirror_resources(cx->m, cx->api_id);
        size_t below = res_descendants(all, d->res);
        int nm = cJSON_GetArraySize(json_obj(s.res, "resourceMethods"));
        if (below)
            text =
                xasprintf("Delete resource %s with its %d method%s and the %zu resource%s under it "
                          "(and their methods)?",
                          d->path, nm, nm == 1 ? "" : "s", below, below == 1 ? "" : "s");
        else
            text = xasprintf("Delete resource %s with its %d method%s?", d->path, nm,
                             nm == 1 ? "" : "s");
    }
    ui_confirm(cx, d->verb ? "Delete method" : "Delete resource", text, NULL, delete_yes, d,
               del_free);
    free(text);
    picked_free(&s);
    return UI_DIRTY_ALL;
}

/* --- the other actions ------------------------------------------------------------------- */

static unsigned open_method(res_pane *rp, ui_ctx *cx, ui_action a) {
    picked s = pick(rp, cx);
    unsigned d = UI_DIRTY_ALL;
    if (!s.id) {
        d = 0;
    } else if (a == UI_ACT_TEST_STAGES) {
        ui_push(cx, pane_stagetest_new(cx->api_id, s.id, s.verb));
    } else if (!s.verb) {
        ui_message(cx, "Select a method under the resource first");
        d = UI_DIRTY_STATUS;
    } else if (a == UI_ACT_TEST_METHOD) {
        ui_push(cx, pane_method_test_new(cx->api_id, s.id, s.verb));
    } else {
        ui_push(cx, pane_method_new(cx->api_id, s.id, s.verb));
    }
    picked_free(&s);
    return d;
}

static unsigned cors(res_pane *rp, ui_ctx *cx) {
    picked s = pick(rp, cx);
    if (s.res) ui_enable_cors_method(cx, cx->api_id, s.id, s.verb);
    picked_free(&s);
    return UI_DIRTY_ALL;
}

static unsigned res_action(pane *p, ui_ctx *cx, ui_action a, bool *unhandled) {
    res_pane *rp = (res_pane *)p;
    switch (a) {
    case UI_ACT_OPEN: {
        const ui_node *nd = tree_selected(&rp->tree);
        if (!nd) return 0;
        if (nd->kind == K_RESOURCE)
            return tree_action(&rp->tree, nd->open ? UI_ACT_LEFT : UI_ACT_RIGHT, NULL)
                       ? UI_DIRTY_CONTENT
                       : 0;
        return open_method(rp, cx, a);
    }
    case UI_ACT_CREATE: return ask_create(rp, cx);
    case UI_ACT_DELETE: return ask_delete(rp, cx);
    case UI_ACT_CORS: return cors(rp, cx);
    case UI_ACT_TEST_METHOD:
    case UI_ACT_TEST_STAGES: return open_method(rp, cx, a);
    default: return tree_action(&rp->tree, a, unhandled) ? UI_DIRTY_CONTENT : 0;
    }
}

static unsigned res_click(pane *p, ui_ctx *cx, int y, int x, bool open) {
    res_pane *rp = (res_pane *)p;
    if (!tree_click(&rp->tree, y - 2)) return 0;
    bool dummy;
    return UI_DIRTY_CONTENT | (open ? res_action(p, cx, UI_ACT_OPEN, &dummy) : 0);
}

static void res_set_filter(pane *p, const char *text) {
    tree_set_filter(&((res_pane *)p)->tree, text);
}
static const char *res_filter(const pane *p) { return tree_filter(&((const res_pane *)p)->tree); }

static void res_destroy(pane *p) {
    res_pane *rp = (res_pane *)p;
    tree_free(&rp->tree);
    want_unref(rp->want);
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
    rp->base.scopes =
        UI_SC_MOVE | UI_SC_LIST | UI_SC_TREE | UI_SC_OPEN | UI_SC_CREATE | UI_SC_DELETE | UI_SC_API |
        UI_SC_METHOD;
    rp->want = want_ref(xcalloc(1, sizeof *rp->want));
    tree_init(&rp->tree);
    return &rp->base;
}
