/* Which resource of a deployment a request path reaches. API Gateway tries
 * a literal path part before a {param} part before a greedy {proxy+} part,
 * and goes back to the next candidate when a branch leads nowhere (no
 * resource, or no method for the verb and no ANY). Trailing slashes are
 * ignored; parameters are percent-decoded segment by segment. */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/mem.h"
#include "core/text.h"
#include "gateway_internal.h"

typedef struct segs {
    char **v;
    size_t n;
} segs;

/* Split "/a/b%2Fc/" into decoded parts; keep_trailing keeps the empty part
 * a trailing slash leaves. */
static void push(segs *s, size_t *cap, char *v) {
    if (s->n == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        s->v = xrealloc(s->v, *cap * sizeof *s->v);
    }
    s->v[s->n++] = v;
}

/* Split "/a/b%2Fc/" into decoded parts. Trailing slashes are dropped
 * unless keep_trailing, which keeps the empty part one leaves. */
static segs split_path(const char *path, bool keep_trailing) {
    segs s = {0};
    size_t cap = 0, len = strlen(path);
    if (!keep_trailing)
        while (len && path[len - 1] == '/')
            len--;
    const char *p = path, *end = path + len;
    while (p < end && *p == '/')
        p++;
    if (p >= end) return s;
    for (;;) {
        const char *q = memchr(p, '/', (size_t)(end - p));
        size_t n = q ? (size_t)(q - p) : (size_t)(end - p);
        push(&s, &cap, url_decode(p, n, false));
        if (!q) break;
        p = q + 1;
        if (p == end) {
            push(&s, &cap, xstrdup(""));
            break;
        }
    }
    return s;
}

static void segs_free(segs *s) {
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
}

const cJSON *gw_method_of(const cJSON *resource, const char *verb) {
    const cJSON *methods = json_obj(resource, "resourceMethods");
    const cJSON *m = json_obj(methods, verb);
    return m ? m : json_obj(methods, "ANY");
}

typedef enum { PART_LITERAL, PART_PARAM, PART_GREEDY } part_kind;

/* The kind of a path part and, for parameters, the name's span. */
static part_kind part_of(const char *part, size_t *name_len) {
    size_t n = strlen(part);
    if (n >= 3 && part[0] == '{' && part[n - 1] == '}') {
        if (n >= 4 && part[n - 2] == '+') {
            *name_len = n - 3;
            return PART_GREEDY;
        }
        *name_len = n - 2;
        return PART_PARAM;
    }
    return PART_LITERAL;
}

typedef struct matcher {
    const cJSON *resources;
    const char *verb;
    segs s;
    cJSON *params;
} matcher;

static void set_param(cJSON *params, const char *part, size_t name_len, const char *value) {
    char *name = xstrndup(part + 1, name_len);
    json_set_str(params, name, value);
    free(name);
}

static void unset_param(cJSON *params, const char *part, size_t name_len) {
    char *name = xstrndup(part + 1, name_len);
    cJSON_DeleteItemFromObjectCaseSensitive(params, name);
    free(name);
}

static const cJSON *match_from(matcher *m, const cJSON *node, size_t i);

/* Try the children of node of one kind for segment i. */
static const cJSON *try_children(matcher *m, const cJSON *node, size_t i, part_kind want) {
    const char *id = json_str(node, "id");
    const cJSON *r;
    cJSON_ArrayForEach(r, m->resources) {
        const char *parent = json_str(r, "parentId");
        const char *part = json_str(r, "pathPart");
        if (!parent || !part || !id || strcmp(parent, id) != 0) continue;
        size_t nl = 0;
        if (part_of(part, &nl) != want) continue;
        const cJSON *found = NULL;
        if (want == PART_LITERAL) {
            if (strcmp(part, m->s.v[i]) == 0) found = match_from(m, r, i + 1);
        } else if (want == PART_PARAM) {
            if (!m->s.v[i][0]) continue;
            set_param(m->params, part, nl, m->s.v[i]);
            found = match_from(m, r, i + 1);
            if (!found) unset_param(m->params, part, nl);
        } else {
            buf rest = BUF_INIT;
            for (size_t k = i; k < m->s.n; k++) {
                if (k > i) buf_putc(&rest, '/');
                buf_puts(&rest, m->s.v[k]);
            }
            if (gw_method_of(r, m->verb)) {
                set_param(m->params, part, nl, rest.data ? rest.data : "");
                found = r;
            }
            buf_free(&rest);
        }
        if (found) return found;
    }
    return NULL;
}

static const cJSON *match_from(matcher *m, const cJSON *node, size_t i) {
    if (i == m->s.n) return gw_method_of(node, m->verb) ? node : NULL;
    const cJSON *r = try_children(m, node, i, PART_LITERAL);
    if (!r) r = try_children(m, node, i, PART_PARAM);
    if (!r) r = try_children(m, node, i, PART_GREEDY);
    return r;
}

static const cJSON *root_of(const cJSON *resources) {
    const cJSON *r;
    cJSON_ArrayForEach(r, resources) {
        const char *p = json_str(r, "path");
        if (p && strcmp(p, "/") == 0) return r;
    }
    return NULL;
}

const cJSON *gw_match(const cJSON *resources, const char *path, const char *verb, cJSON **params) {
    *params = cJSON_CreateObject();
    const cJSON *root = root_of(resources);
    if (!root) return NULL;
    matcher m = {
        .resources = resources, .verb = verb, .s = split_path(path, false), .params = *params};
    const cJSON *r = match_from(&m, root, 0);
    segs_free(&m.s);
    return r;
}

cJSON *gw_params_for(const cJSON *resource, const char *path) {
    cJSON *params = cJSON_CreateObject();
    segs tpl = split_path(json_str_or(resource, "path", "/"), false);
    segs s = split_path(path ? path : "", true);
    for (size_t i = 0; i < tpl.n && i < s.n; i++) {
        size_t nl = 0;
        part_kind k = part_of(tpl.v[i], &nl);
        if (k == PART_PARAM) {
            set_param(params, tpl.v[i], nl, s.v[i]);
        } else if (k == PART_GREEDY) {
            buf rest = BUF_INIT;
            for (size_t j = i; j < s.n; j++) {
                if (j > i) buf_putc(&rest, '/');
                buf_puts(&rest, s.v[j]);
            }
            set_param(params, tpl.v[i], nl, rest.data ? rest.data : "");
            buf_free(&rest);
            break;
        }
    }
    segs_free(&tpl);
    segs_free(&s);
    return params;
}
