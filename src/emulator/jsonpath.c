/* The JSONPath that API Gateway evaluates (Jayway JsonPath semantics):
 *   $            the root ("name" alone means "$.name", as Jayway reads it)
 *   .name        a member;  ['name'] ["name"] ['a','b'] members by quoted name
 *   [2] [-1]     an element, counted from the end when negative; [0,2] several
 *   [1:3] [:2] [-2:]  slices;  [*] .*  every element or member
 *   ..name ..*   deep scan (the node itself first, then its children)
 * A path of names and single indexes is "definite": it yields one value or
 * none. Anything else yields a list of every match, in document order.
 * Filters ([?(...)]) and functions are refused with a clear message. */
#include "emulator/jsonpath.h"

#include <stdlib.h>
#include <string.h>

#include "vtl_internal.h"

enum { S_NAMES, S_INDEXES, S_SLICE, S_WILD, S_SCAN_NAME, S_SCAN_WILD };

typedef struct seg {
    int kind;
    char **names; /* S_NAMES, S_SCAN_NAME */
    size_t *nlens;
    long *idx; /* S_INDEXES */
    int count;
    long from, to, step;
    bool has_from, has_to;
} seg;

typedef struct jpp {
    const char *s;
    size_t i, n;
    seg *segs;
    int nsegs, cap;
    const char *msg;
} jpp;

static seg *seg_add(jpp *p) {
    if (p->nsegs == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 8;
        p->segs = realloc(p->segs, (size_t)p->cap * sizeof *p->segs);
        if (!p->segs) abort();
    }
    seg *s = &p->segs[p->nsegs++];
    memset(s, 0, sizeof *s);
    return s;
}

static void segs_free(jpp *p) {
    for (int k = 0; k < p->nsegs; k++) {
        for (int j = 0; p->segs[k].names && j < p->segs[k].count; j++) free(p->segs[k].names[j]);
        free(p->segs[k].names);
        free(p->segs[k].nlens);
        free(p->segs[k].idx);
    }
    free(p->segs);
}

static void add_name(seg *s, const char *name, size_t n) {
    s->names = realloc(s->names, (size_t)(s->count + 1) * sizeof *s->names);
    s->nlens = realloc(s->nlens, (size_t)(s->count + 1) * sizeof *s->nlens);
    if (!s->names || !s->nlens) abort();
    char *c = malloc(n + 1);
    if (!c) abort();
    memcpy(c, name, n);
    c[n] = '\0';
    s->names[s->count] = c;
    s->nlens[s->count++] = n;
}

static void ws(jpp *p) {
    while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t')) p->i++;
}

static bool parse_long(jpp *p, long *out) {
    size_t st = p->i;
    if (p->i < p->n && p->s[p->i] == '-') p->i++;
    if (p->i >= p->n || p->s[p->i] < '0' || p->s[p->i] > '9') {
        p->i = st;
        return false;
    }
    long v = 0;
    while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9') {
        if (v > 100000000) { /* far past any array we could hold */
            p->msg = "index out of range";
            return false;
        }
        v = v * 10 + (p->s[p->i++] - '0');
    }
    *out = p->s[st] == '-' ? -v : v;
    return true;
}

static bool parse_quoted(jpp *p, seg *s) {
    char q = p->s[p->i++];
    buf b = BUF_INIT;
    while (p->i < p->n && p->s[p->i] != q) {
        if (p->s[p->i] == '\\' && p->i + 1 < p->n) p->i++;
        buf_putc(&b, p->s[p->i++]);
    }
    if (p->i >= p->n) {
        buf_free(&b);
        p->msg = "unterminated quoted name";
        return false;
    }
    p->i++;
    add_name(s, b.data ? b.data : "", b.len);
    buf_free(&b);
    return true;
}

static bool parse_bracket(jpp *p, bool scan) {
    p->i++; /* [ */
    ws(p);
    if (p->i >= p->n) {
        p->msg = "unterminated [";
        return false;
    }
    char c = p->s[p->i];
    seg *s = seg_add(p);
    if (c == '?' || c == '(') {
        p->msg = "filters and script expressions are not supported";
        return false;
    }
    if (c == '*') {
        p->i++;
        s->kind = scan ? S_SCAN_WILD : S_WILD;
    } else if (c == '\'' || c == '"') {
        s->kind = scan ? S_SCAN_NAME : S_NAMES;
        for (;;) {
            ws(p);
            if (p->i >= p->n || (p->s[p->i] != '\'' && p->s[p->i] != '"')) {
                p->msg = "expected a quoted name";
                return false;
            }
            if (!parse_quoted(p, s)) return false;
            ws(p);
            if (p->i < p->n && p->s[p->i] == ',') {
                p->i++;
                continue;
            }
            break;
        }
    } else {
        if (scan) {
            p->msg = "deep scan of indexes is not supported";
            return false;
        }
        long a = 0;
        bool has_a = parse_long(p, &a);
        if (p->msg) return false;
        ws(p);
        if (p->i < p->n && p->s[p->i] == ':') {
            s->kind = S_SLICE;
            s->from = a;
            s->has_from = has_a;
            p->i++;
            ws(p);
            s->has_to = parse_long(p, &s->to);
            s->step = 1;
            ws(p);
            if (p->i < p->n && p->s[p->i] == ':') {
                p->i++;
                ws(p);
                if (!parse_long(p, &s->step) || s->step <= 0) {
                    p->msg = "a slice step must be a positive integer";
                    return false;
                }
            }
        } else {
            if (!has_a) {
                p->msg = "expected an index, a quoted name or *";
                return false;
            }
            s->kind = S_INDEXES;
            for (;;) {
                s->idx = realloc(s->idx, (size_t)(s->count + 1) * sizeof *s->idx);
                if (!s->idx) abort();
                s->idx[s->count++] = a;
                ws(p);
                if (p->i < p->n && p->s[p->i] == ',') {
                    p->i++;
                    ws(p);
                    if (!parse_long(p, &a)) {
                        p->msg = "expected an index";
                        return false;
                    }
                    continue;
                }
                break;
            }
        }
    }
    ws(p);
    if (p->i >= p->n || p->s[p->i] != ']') {
        p->msg = "expected ]";
        return false;
    }
    p->i++;
    return true;
}

static bool parse_path(jpp *p) {
    if (p->n == 0) {
        p->msg = "the path is empty";
        return false;
    }
    if (p->s[0] == '$') p->i = 1;
    else if (p->s[0] == '@') {
        p->msg = "paths must start with $";
        return false;
    } else {
        p->i = 0; /* Jayway reads "a.b" as "$.a.b" */
        goto name;
    }
    while (p->i < p->n) {
        char c = p->s[p->i];
        if (c == '[') {
            if (!parse_bracket(p, false)) return false;
            continue;
        }
        if (c != '.') {
            p->msg = "expected . or [";
            return false;
        }
        p->i++;
        if (p->i < p->n && p->s[p->i] == '.') { /* deep scan */
            p->i++;
            if (p->i < p->n && p->s[p->i] == '[') {
                if (!parse_bracket(p, true)) return false;
                continue;
            }
            if (p->i < p->n && p->s[p->i] == '*') {
                p->i++;
                seg_add(p)->kind = S_SCAN_WILD;
                continue;
            }
            size_t st = p->i;
            while (p->i < p->n && p->s[p->i] != '.' && p->s[p->i] != '[') p->i++;
            if (p->i == st) {
                p->msg = "expected a name after ..";
                return false;
            }
            seg *s = seg_add(p);
            s->kind = S_SCAN_NAME;
            add_name(s, p->s + st, p->i - st);
            continue;
        }
    name:
        if (p->i < p->n && p->s[p->i] == '*') {
            p->i++;
            seg_add(p)->kind = S_WILD;
            continue;
        }
        {
            size_t st = p->i;
            while (p->i < p->n && p->s[p->i] != '.' && p->s[p->i] != '[') p->i++;
            if (p->i == st) {
                p->msg = "expected a name after .";
                return false;
            }
            if (memchr(p->s + st, '(', p->i - st)) {
                p->msg = "functions are not supported";
                return false;
            }
            seg *s = seg_add(p);
            s->kind = S_NAMES;
            add_name(s, p->s + st, p->i - st);
        }
    }
    return true;
}

/* ---- evaluation ------------------------------------------------------------ */

typedef struct nodes {
    const void **v;
    size_t n, cap;
} nodes;

static void push(nodes *s, const void *v) {
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 8;
        s->v = realloc(s->v, s->cap * sizeof *s->v);
        if (!s->v) abort();
    }
    s->v[s->n++] = v;
}

static const void *member(const jp_ops *ops, const void *obj, const char *name, size_t nl) {
    size_t cnt = ops->count(obj);
    const void *c = NULL;
    for (size_t i = 0; i < cnt; i++) {
        c = ops->child(obj, i, c);
        size_t kl;
        const char *k = ops->key(obj, i, c, &kl);
        if (kl == nl && memcmp(k, name, nl) == 0) return c;
    }
    return NULL;
}

static const void *element(const jp_ops *ops, const void *arr, long i) {
    long cnt = (long)ops->count(arr);
    if (i < 0) i += cnt;
    if (i < 0 || i >= cnt) return NULL;
    const void *c = NULL;
    for (long k = 0; k <= i; k++) c = ops->child(arr, (size_t)k, c);
    return c;
}

static void scan(const jp_ops *ops, const void *node, const seg *s, nodes *out, int depth) {
    if (depth > 2000) return;
    int kind = ops->kind(node);
    if (kind == JP_OTHER) return;
    if (s->kind == S_SCAN_NAME && kind == JP_OBJ) {
        for (int j = 0; j < s->count; j++) {
            const void *m = member(ops, node, s->names[j], s->nlens[j]);
            if (m) push(out, m);
        }
    }
    size_t cnt = ops->count(node);
    const void *c = NULL;
    for (size_t i = 0; i < cnt; i++) {
        c = ops->child(node, i, c);
        if (s->kind == S_SCAN_WILD) push(out, c);
        scan(ops, c, s, out, depth + 1);
    }
}

static void step(const jp_ops *ops, const seg *s, const void *node, nodes *out) {
    int kind = ops->kind(node);
    switch (s->kind) {
    case S_NAMES:
        if (kind != JP_OBJ) return;
        for (int j = 0; j < s->count; j++) {
            const void *m = member(ops, node, s->names[j], s->nlens[j]);
            if (m) push(out, m);
        }
        return;
    case S_INDEXES:
        if (kind != JP_ARR) return;
        for (int j = 0; j < s->count; j++) {
            const void *e = element(ops, node, s->idx[j]);
            if (e) push(out, e);
        }
        return;
    case S_SLICE: {
        if (kind != JP_ARR) return;
        long cnt = (long)ops->count(node);
        long from = s->has_from ? s->from : 0, to = s->has_to ? s->to : cnt;
        if (from < 0) from = from + cnt < 0 ? 0 : from + cnt;
        if (to < 0) to += cnt;
        if (to > cnt) to = cnt;
        const void *c = NULL;
        for (long i = 0; i < to; i++) {
            c = ops->child(node, (size_t)i, c);
            if (i >= from && (i - from) % s->step == 0) push(out, c);
        }
        return;
    }
    case S_WILD: {
        if (kind == JP_OTHER) return;
        size_t cnt = ops->count(node);
        const void *c = NULL;
        for (size_t i = 0; i < cnt; i++) push(out, c = ops->child(node, i, c));
        return;
    }
    default: scan(ops, node, s, out, 0); return;
    }
}

int jp_eval(const jp_ops *ops, const void *root, const char *path, jp_result *r, const char **msg) {
    jpp p = {.s = path, .n = path ? strlen(path) : 0};
    memset(r, 0, sizeof *r);
    if (!path || !parse_path(&p)) {
        *msg = p.msg ? p.msg : "the path is empty";
        segs_free(&p);
        return -1;
    }
    bool definite = true;
    for (int k = 0; k < p.nsegs; k++) {
        const seg *s = &p.segs[k];
        if ((s->kind != S_NAMES && s->kind != S_INDEXES) || s->count > 1) definite = false;
    }
    nodes cur = {0};
    if (root) push(&cur, root);
    for (int k = 0; k < p.nsegs && cur.n; k++) {
        nodes next = {0};
        for (size_t i = 0; i < cur.n; i++) step(ops, &p.segs[k], cur.v[i], &next);
        free(cur.v);
        cur = next;
    }
    segs_free(&p);
    r->v = cur.v;
    r->n = cur.n;
    r->cap = cur.cap;
    r->definite = definite;
    return 0;
}

/* ---- over cJSON ------------------------------------------------------------ */

static int cj_kind(const void *n) {
    const cJSON *j = n;
    return cJSON_IsObject(j) ? JP_OBJ : cJSON_IsArray(j) ? JP_ARR : JP_OTHER;
}
static size_t cj_count(const void *n) {
    size_t k = 0;
    for (const cJSON *c = ((const cJSON *)n)->child; c; c = c->next) k++;
    return k;
}
static const void *cj_child(const void *n, size_t i, const void *prev) {
    if (prev) return ((const cJSON *)prev)->next;
    const cJSON *c = ((const cJSON *)n)->child;
    while (c && i--) c = c->next;
    return c;
}
static const char *cj_key(const void *n, size_t i, const void *child, size_t *len) {
    (void)n;
    (void)i;
    const char *k = ((const cJSON *)child)->string;
    *len = k ? strlen(k) : 0;
    return k ? k : "";
}

static const jp_ops cjson_ops = {cj_kind, cj_count, cj_child, cj_key};

cJSON *jsonpath_eval(const cJSON *doc, const char *path, err *e) {
    jp_result r;
    const char *msg = NULL;
    if (jp_eval(&cjson_ops, doc, path, &r, &msg) != 0) {
        err_set(e, 500, "", "invalid JSONPath %s: %s", path ? path : "(null)", msg);
        return NULL;
    }
    cJSON *out = NULL;
    if (!doc) {
        /* nothing to match */
    } else if (r.definite) {
        if (r.n) out = cJSON_Duplicate((const cJSON *)r.v[0], 1);
    } else if (r.n) {
        out = cJSON_CreateArray();
        for (size_t i = 0; i < r.n; i++) cJSON_AddItemToArray(out, cJSON_Duplicate((const cJSON *)r.v[i], 1));
    }
    free(r.v);
    return out;
}
