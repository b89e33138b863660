#include "aws/ops.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/mem.h"
#include "core/text.h"
#include "transport/http.h"

static const aws_op_info ops[] = {
#define OP(svc, name, verb, uri, status) {SVC_##svc, #name, verb, uri, status},
#include "aws/ops.def"
#undef OP
};

const aws_op_info *aws_op_get(aws_op op) { return op < OP__COUNT ? &ops[op] : NULL; }

const char *aws_service_name(aws_service s) { return s == SVC_LAMBDA ? "lambda" : "apigateway"; }

/* Split the template path (up to '?') and the raw path into segments and
 * compare. Score: literal matches count more, so "/x/literal" beats "/x/{y}". */
static int match_template(const char *tmpl, const char *path, aws_route_match *m) {
    const char *t = tmpl, *p = path;
    int score = 0;
    m->nparams = 0;
    while (1) {
        if (*t == '/' ) t++;
        if (*p == '/') p++;
        size_t tl = strcspn(t, "/?"), pl = strcspn(p, "/");
        if (tl == 0 && pl == 0) break;
        if (tl == 0 || pl == 0) return -1;
        if (t[0] == '{') {
            bool greedy = tl >= 2 && t[tl - 2] == '+';
            if (m->nparams == AWS_MAX_PATH_PARAMS) return -1;
            if (greedy) pl = strlen(p);
            m->params[m->nparams++] = url_decode(p, pl, false);
            score += 1;
        } else {
            if (tl != pl || memcmp(t, p, tl) != 0) return -1;
            score += 4;
        }
        t += tl;
        p += pl;
        if (*t == '?') t += strlen(t);
    }
    return score;
}

static bool query_has(const char *query, const char *cond) {
    /* cond is "k=v" (or several joined by '&'); all must be present. */
    char *c = xstrdup(cond);
    bool ok = true;
    for (char *save = NULL, *kv = strtok_r(c, "&", &save); kv && ok; kv = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(kv, '=');
        if (eq) *eq = '\0';
        char *v = http_query_get(query, kv);
        ok = v && (!eq || strcmp(v, eq + 1) == 0);
        free(v);
    }
    free(c);
    return ok;
}

void aws_route_match_free(aws_route_match *m) {
    for (size_t i = 0; i < m->nparams; i++) free(m->params[i]);
    m->nparams = 0;
}

bool aws_route(aws_service s, const char *verb, const char *path, const char *query,
               aws_route_match *m, bool *path_exists) {
    int best = -1;
    aws_route_match cur = {0};
    memset(m, 0, sizeof *m);
    if (path_exists) *path_exists = false;
    for (size_t i = 0; i < OP__COUNT; i++) {
        if (ops[i].service != s) continue;
        int sc = match_template(ops[i].uri, path, &cur);
        if (sc >= 0) {
            const char *q = strchr(ops[i].uri, '?');
            if (q && !query_has(query, q + 1)) sc = -1;
            else if (q) sc += 2;
        }
        if (sc >= 0 && path_exists) *path_exists = true;
        if (sc > best && strcmp(ops[i].verb, verb) == 0) {
            aws_route_match_free(m);
            *m = cur;
            m->op = (aws_op)i;
            cur.nparams = 0;
            best = sc;
        }
        aws_route_match_free(&cur);
    }
    return best >= 0;
}

char *aws_op_path(aws_op op, const char *const *params, size_t nparams) {
    const char *t = ops[op].uri;
    buf b = BUF_INIT;
    size_t k = 0;
    while (*t) {
        if (*t == '{') {
            const char *close = strchr(t, '}');
            bool greedy = close && close > t && close[-1] == '+';
            if (k < nparams) {
                char *enc = url_encode(params[k++], greedy);
                buf_puts(&b, enc);
                free(enc);
            }
            t = close ? close + 1 : t + strlen(t);
        } else {
            buf_putc(&b, *t++);
        }
    }
    return buf_steal(&b);
}
