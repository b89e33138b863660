/* Velocity 1.7's grammar, hand-written. The token rules that decide which
 * white space reaches the output follow Velocity 1.7's lexer exactly:
 *  - `#set(` eats the blanks before it when they start a token, i.e. when
 *    they do not continue a run of plain text (the text before a #set on
 *    its own line keeps the indentation; a #set after another directive's
 *    line, a comment or a reference swallows it);
 *  - the `)` closing a directive (#set, #if, #elseif, #foreach, #break ...)
 *    eats following blanks and one newline, if a newline follows them;
 *  - `#else` and `#end` (and #{else}, #{end}) do the same;
 *  - `##` comments eat their newline; `#* *#` comments do not.
 * Velocity 2's "space gobbling" modes are not what API Gateway runs. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vtl_internal.h"

enum { T_EOF, T_END, T_ELSE, T_ELSEIF };

typedef struct parser {
    varena *a;
    vtl_template *t;
    const char *s; /* text being parsed: the template or a string literal's content */
    size_t n, pos;
    size_t base; /* offset of s[0] in the template, for messages */
    int depth;
    jmp_buf jb;
    err *e;
    int32_t *slot_idx; /* name → slot hash */
    size_t slot_icap;
    int slot_cap;
} parser;

__attribute__((format(printf, 3, 4))) _Noreturn static void perr(parser *p, size_t off,
                                                                    const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vtl_error_at(p->e, p->t, p->base + off, fmt, ap);
    va_end(ap);
    longjmp(p->jb, 1);
}

static void enter(parser *p) {
    if (++p->depth > VTL_MAX_NEST)
        perr(p, p->pos, "the template nests deeper than %d levels", VTL_MAX_NEST);
}

/* ---- small lexical helpers ---------------------------------------------- */

static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_ident(char c) { return is_alpha(c) || is_digit(c) || c == '_' || c == '-'; }
static bool is_dirchar(char c) { return is_alpha(c) || is_digit(c) || c == '_' || c == '@'; }

static char at(parser *p, size_t i) { return i < p->n ? p->s[i] : '\0'; }

static void skip_ws(parser *p) {
    while (p->pos < p->n && strchr(" \t\r\n", p->s[p->pos]) && p->s[p->pos]) p->pos++;
}

static void expect(parser *p, char c, const char *what) {
    skip_ws(p);
    if (at(p, p->pos) != c) {
        if (p->pos >= p->n) perr(p, p->pos, "unexpected end of template, expected %s", what);
        perr(p, p->pos, "unexpected '%c', expected %s", p->s[p->pos], what);
    }
    p->pos++;
}

/* After a directive's ')' or #else/#end: blanks then one newline, if any. */
static void gobble_newline(parser *p) {
    size_t q = p->pos;
    while (q < p->n && (p->s[q] == ' ' || p->s[q] == '\t')) q++;
    if (q < p->n && p->s[q] == '\n') {
        p->pos = q + 1;
    } else if (q < p->n && p->s[q] == '\r') {
        p->pos = q + 1 + (q + 1 < p->n && p->s[q + 1] == '\n');
    }
}

static int slot_for(parser *p, const char *name, size_t n) {
    vtl_template *t = p->t;
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)name[i]) * 1099511628211ull;
    size_t i = (size_t)h & (p->slot_icap - 1);
    while (p->slot_idx[i] >= 0) {
        int s = p->slot_idx[i];
        if (t->slot_lens[s] == n && memcmp(t->slot_names[s], name, n) == 0) return s;
        i = (i + 1) & (p->slot_icap - 1);
    }
    if (t->nslots == p->slot_cap) {
        int cap = p->slot_cap * 2;
        const char **nn = va_alloc(p->a, (size_t)cap * sizeof *nn);
        size_t *nl = va_alloc(p->a, (size_t)cap * sizeof *nl);
        memcpy(nn, t->slot_names, (size_t)t->nslots * sizeof *nn);
        memcpy(nl, t->slot_lens, (size_t)t->nslots * sizeof *nl);
        t->slot_names = nn;
        t->slot_lens = nl;
        p->slot_cap = cap;
    }
    int s = t->nslots++;
    t->slot_names[s] = va_strndup(p->a, name, n);
    t->slot_lens[s] = n;
    p->slot_idx[i] = s;
    if ((size_t)t->nslots * 2 > p->slot_icap) { /* grow and rehash */
        size_t icap = p->slot_icap * 2;
        int32_t *idx = va_alloc(p->a, icap * sizeof *idx);
        for (size_t k = 0; k < icap; k++) idx[k] = -1;
        for (int k = 0; k < t->nslots; k++) {
            uint64_t hh = 1469598103934665603ull;
            for (size_t c = 0; c < t->slot_lens[k]; c++)
                hh = (hh ^ (unsigned char)t->slot_names[k][c]) * 1099511628211ull;
            size_t j = (size_t)hh & (icap - 1);
            while (idx[j] >= 0) j = (j + 1) & (icap - 1);
            idx[j] = k;
        }
        p->slot_idx = idx;
        p->slot_icap = icap;
    }
    return s;
}

static vnode *new_node(parser *p, int kind, size_t off) {
    vnode *n = va_zalloc(p->a, sizeof *n);
    n->kind = kind;
    n->off = (int)(p->base + off);
    return n;
}

static vexpr *new_expr(parser *p, int kind, size_t off) {
    vexpr *e = va_zalloc(p->a, sizeof *e);
    e->kind = kind;
    e->off = (int)(p->base + off);
    e->lit = p->s + off;
    return e;
}

static void end_expr(parser *p, vexpr *e) { e->litlen = (size_t)(p->s + p->pos - e->lit); }

typedef struct nlist {
    vnode *head, *tail;
} nlist;

static void append(nlist *l, vnode *n) {
    if (l->tail) l->tail->next = n;
    else l->head = n;
    l->tail = n;
}

static void add_text(parser *p, nlist *l, const char *s, size_t n, size_t off) {
    if (!n) return;
    if (l->tail && l->tail->kind == N_TEXT && l->tail->u.text.p + l->tail->u.text.n == s) {
        l->tail->u.text.n += n;
        return;
    }
    vnode *t = new_node(p, N_TEXT, off);
    t->u.text.p = s;
    t->u.text.n = n;
    append(l, t);
}

/* Text made up rather than cut from the source (escapes). */
static void add_made_text(parser *p, nlist *l, const char *s, size_t n, size_t off) {
    add_text(p, l, va_strndup(p->a, s, n), n, off);
}

/* ---- literals ------------------------------------------------------------ */

static vexpr *parse_expr(parser *p);
static vexpr *parse_parameter(parser *p);
static vref *parse_ref(parser *p, size_t dollar, int nesc);
static vnode *parse_block(parser *p, int *term, size_t *term_off);

static void put_utf8(char *o, size_t *k, unsigned cp) {
    if (cp < 0x80) {
        o[(*k)++] = (char)cp;
    } else if (cp < 0x800) {
        o[(*k)++] = (char)(0xC0 | cp >> 6);
        o[(*k)++] = (char)(0x80 | (cp & 0x3F));
    } else {
        o[(*k)++] = (char)(0xE0 | cp >> 12);
        o[(*k)++] = (char)(0x80 | (cp >> 6 & 0x3F));
        o[(*k)++] = (char)(0x80 | (cp & 0x3F));
    }
}

static int hexval(char c) {
    if (is_digit(c)) return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* A string literal: "double" (\uXXXX escapes, "" for a quote, interpolated
 * when it holds $ or #) or 'single' ('' for a quote, taken as is). Velocity
 * 1.7 has no \" or \n escapes: a backslash is an ordinary character. */
static vexpr *parse_string(parser *p) {
    size_t start = p->pos;
    char q = p->s[p->pos];
    size_t i = p->pos + 1, first_double = 0;
    for (;;) {
        if (i >= p->n) {
            if (!first_double) perr(p, start, "unterminated string literal");
            i = first_double; /* the doubled quote was an end and a start */
            break;
        }
        if (p->s[i] == q) {
            if (i + 1 < p->n && p->s[i + 1] == q) {
                if (!first_double) first_double = i;
                i += 2;
                continue;
            }
            break;
        }
        i++;
    }
    const char *raw = p->s + start + 1;
    size_t rn = i - start - 1;
    p->pos = i + 1;
    char *o = va_alloc(p->a, rn + 1);
    size_t k = 0;
    bool special = false;
    for (size_t j = 0; j < rn; j++) {
        char c = raw[j];
        if (c == q && j + 1 < rn && raw[j + 1] == q) {
            o[k++] = q;
            j++;
        } else if (q == '"' && c == '\\' && j + 5 < rn && raw[j + 1] == 'u' &&
                   hexval(raw[j + 2]) >= 0 && hexval(raw[j + 3]) >= 0 && hexval(raw[j + 4]) >= 0 &&
                   hexval(raw[j + 5]) >= 0) {
            unsigned cp = (unsigned)(hexval(raw[j + 2]) << 12 | hexval(raw[j + 3]) << 8 |
                                     hexval(raw[j + 4]) << 4 | hexval(raw[j + 5]));
            put_utf8(o, &k, cp);
            j += 5;
        } else {
            if (c == '$' || c == '#') special = true;
            o[k++] = c;
        }
    }
    o[k] = '\0';
    vexpr *e = new_expr(p, E_STR, start);
    e->u.s.p = o;
    e->u.s.n = k;
    if (q == '"' && special) {
        /* Interpolation: the content is a template of its own. */
        parser save = *p;
        p->s = o;
        p->n = k;
        p->pos = 0;
        p->base = save.base + start + 1;
        enter(p);
        int term;
        size_t toff;
        vnode *body = parse_block(p, &term, &toff);
        if (term != T_EOF) perr(p, toff, "#end, #else or #elseif without a matching directive");
        p->s = save.s;
        p->n = save.n;
        p->pos = save.pos;
        p->base = save.base;
        p->depth = save.depth;
        e->kind = E_ISTR;
        e->u.tmpl = body;
    }
    end_expr(p, e);
    return e;
}

/* Integer or floating point literal, as Velocity 1.7 lexes them: a leading
 * '-' belongs to the number, "1..3" is an integer then "..". */
static bool number_start(parser *p) {
    char c = at(p, p->pos), d = at(p, p->pos + 1);
    if (is_digit(c)) return true;
    if (c == '-' && (is_digit(d) || (d == '.' && is_digit(at(p, p->pos + 2))))) return true;
    if (c == '.' && is_digit(d)) return true;
    return false;
}

static vexpr *parse_number(parser *p) {
    size_t st = p->pos, i = p->pos;
    if (at(p, i) == '-') i++;
    bool flt = false;
    while (is_digit(at(p, i))) i++;
    if (at(p, i) == '.' && at(p, i + 1) != '.') {
        flt = true;
        i++;
        while (is_digit(at(p, i))) i++;
    }
    if ((at(p, i) == 'e' || at(p, i) == 'E') &&
        (is_digit(at(p, i + 1)) ||
         ((at(p, i + 1) == '+' || at(p, i + 1) == '-') && is_digit(at(p, i + 2))))) {
        flt = true;
        i += 2;
        while (is_digit(at(p, i))) i++;
    }
    char tmp[64];
    size_t len = i - st;
    if (len >= sizeof tmp) perr(p, st, "number literal too long");
    memcpy(tmp, p->s + st, len);
    tmp[len] = '\0';
    p->pos = i;
    vexpr *e;
    if (flt) {
        e = new_expr(p, E_DBL, st);
        e->u.d = strtod(tmp, NULL);
    } else {
        e = new_expr(p, E_INT, st);
        errno = 0;
        long long v = strtoll(tmp, NULL, 10);
        if (errno) perr(p, st, "integer literal %s is out of range", tmp);
        e->u.i = v;
    }
    end_expr(p, e);
    return e;
}

static bool word_at(parser *p, size_t i, const char *w) {
    size_t n = strlen(w);
    return i + n <= p->n && memcmp(p->s + i, w, n) == 0 && !is_ident(at(p, i + n));
}

static vexpr *parse_bool_word(parser *p) {
    vexpr *e = new_expr(p, E_BOOL, p->pos);
    if (word_at(p, p->pos, "true")) {
        e->u.b = true;
        p->pos += 4;
    } else {
        p->pos += 5;
    }
    end_expr(p, e);
    return e;
}

static vexpr *parse_ref_expr(parser *p) {
    size_t st = p->pos;
    vref *r = parse_ref(p, p->pos, 0);
    if (!r) perr(p, st, "expected a reference after $");
    vexpr *e = new_expr(p, E_REF, st);
    e->u.ref = r;
    end_expr(p, e);
    return e;
}

typedef struct evec {
    vexpr **v;
    int n, cap;
} evec;

static void evec_push(parser *p, evec *v, vexpr *e) {
    if (v->n == v->cap) {
        int cap = v->cap ? v->cap * 2 : 4;
        vexpr **nv = va_alloc(p->a, (size_t)cap * sizeof *nv);
        if (v->n) memcpy(nv, v->v, (size_t)v->n * sizeof *nv);
        v->v = nv;
        v->cap = cap;
    }
    v->v[v->n++] = e;
}

/* '[' starts a range [a..b] (a and b integer literals or references) or a
 * list of parameters. */
static vexpr *parse_bracket(parser *p) {
    size_t st = p->pos++;
    enter(p);
    skip_ws(p);
    evec items = {0};
    if (at(p, p->pos) == ']') {
        p->pos++;
    } else {
        vexpr *first = parse_parameter(p);
        if (at(p, p->pos) == '.' && at(p, p->pos + 1) == '.') {
            if (first->kind != E_INT && first->kind != E_REF)
                perr(p, (size_t)first->off - p->base, "a range needs integers or references");
            p->pos += 2;
            skip_ws(p);
            vexpr *last;
            if (at(p, p->pos) == '$') last = parse_ref_expr(p);
            else if (number_start(p)) last = parse_number(p);
            else perr(p, p->pos, "a range needs integers or references");
            if (last->kind == E_DBL) perr(p, (size_t)last->off - p->base, "a range needs integers");
            expect(p, ']', "] to close the range");
            p->depth--;
            vexpr *e = new_expr(p, E_RANGE, st);
            e->u.bin.a = first;
            e->u.bin.b = last;
            end_expr(p, e);
            return e;
        }
        evec_push(p, &items, first);
        for (;;) {
            skip_ws(p);
            if (at(p, p->pos) != ',') break;
            p->pos++;
            evec_push(p, &items, parse_parameter(p));
        }
        expect(p, ']', "] to close the list");
    }
    p->depth--;
    vexpr *e = new_expr(p, E_LIST, st);
    e->u.list.v = items.v;
    e->u.list.n = items.n;
    end_expr(p, e);
    return e;
}

static vexpr *parse_map(parser *p) {
    vexpr *e = new_expr(p, E_MAP, p->pos);
    evec items = {0};
    p->pos++;
    enter(p);
    skip_ws(p);
    if (at(p, p->pos) != '}') {
        for (;;) {
            evec_push(p, &items, parse_parameter(p));
            expect(p, ':', ": between a map key and its value");
            evec_push(p, &items, parse_parameter(p));
            skip_ws(p);
            if (at(p, p->pos) == ',') {
                p->pos++;
                continue;
            }
            break;
        }
    }
    expect(p, '}', "} to close the map");
    p->depth--;
    e->u.list.v = items.v;
    e->u.list.n = items.n;
    end_expr(p, e);
    return e;
}

/* Method arguments, list items and map entries: literals and references
 * only (Velocity 1.7 allows no arithmetic there). */
static vexpr *parse_parameter(parser *p) {
    skip_ws(p);
    char c = at(p, p->pos);
    vexpr *e;
    if (c == '"' || c == '\'') e = parse_string(p);
    else if (c == '$') e = parse_ref_expr(p);
    else if (c == '[') e = parse_bracket(p);
    else if (c == '{') e = parse_map(p);
    else if (word_at(p, p->pos, "true") || word_at(p, p->pos, "false")) e = parse_bool_word(p);
    else if (number_start(p)) e = parse_number(p);
    else if (p->pos >= p->n) perr(p, p->pos, "unexpected end of template in an argument");
    else perr(p, p->pos, "unexpected '%c' in an argument", c);
    skip_ws(p);
    return e;
}

/* ---- references ---------------------------------------------------------- */

typedef struct pvec {
    vrpart *v;
    int n, cap;
} pvec;

static vrpart *pvec_add(parser *p, pvec *v) {
    if (v->n == v->cap) {
        int cap = v->cap ? v->cap * 2 : 4;
        vrpart *nv = va_alloc(p->a, (size_t)cap * sizeof *nv);
        if (v->n) memcpy(nv, v->v, (size_t)v->n * sizeof *nv);
        v->v = nv;
        v->cap = cap;
    }
    vrpart *r = &v->v[v->n++];
    memset(r, 0, sizeof *r);
    return r;
}

static void parse_index(parser *p, vrpart *part) {
    part->kind = RP_INDEX;
    part->off = (int)(p->base + p->pos);
    p->pos++; /* [ */
    skip_ws(p);
    char c = at(p, p->pos);
    vexpr *e;
    if (c == '"' || c == '\'') e = parse_string(p);
    else if (c == '$') e = parse_ref_expr(p);
    else if (word_at(p, p->pos, "true") || word_at(p, p->pos, "false")) e = parse_bool_word(p);
    else if (number_start(p)) e = parse_number(p);
    else perr(p, p->pos, "expected an index (a number, a string or a reference) after [");
    if (e->kind == E_DBL) perr(p, (size_t)e->off - p->base, "an index must be an integer");
    expect(p, ']', "] to close the index");
    part->args = va_alloc(p->a, sizeof(vexpr *));
    part->args[0] = e;
    part->nargs = 1;
}

static void parse_method_args(parser *p, vrpart *part) {
    evec args = {0};
    p->pos++; /* ( */
    enter(p);
    skip_ws(p);
    if (at(p, p->pos) != ')') {
        for (;;) {
            evec_push(p, &args, parse_parameter(p));
            skip_ws(p);
            if (at(p, p->pos) == ',') {
                p->pos++;
                continue;
            }
            break;
        }
    }
    if (at(p, p->pos) != ')') {
        if (p->pos >= p->n) perr(p, p->pos, "unexpected end of template in a method call");
        perr(p, p->pos, "unexpected '%c' in method arguments (expected , or ))", p->s[p->pos]);
    }
    p->pos++;
    p->depth--;
    part->args = args.v;
    part->nargs = args.n;
}

/* $name, $!name, ${name}, $!{name} with .property, .method(args) and
 * [index] parts. Returns NULL (position unchanged) when the text after the $
 * is no reference, so the caller can keep it as text. */
static vref *parse_ref(parser *p, size_t dollar, int nesc) {
    size_t q = dollar + 1;
    bool quiet = false, formal = false;
    if (at(p, q) == '!') {
        quiet = true;
        q++;
    }
    if (at(p, q) == '{') {
        formal = true;
        q++;
    }
    if (!is_alpha(at(p, q)) && at(p, q) != '_') return NULL;
    size_t id = q;
    while (q < p->n && is_ident(p->s[q])) q++;
    vref *r = va_zalloc(p->a, sizeof *r);
    r->slot = slot_for(p, p->s + id, q - id);
    r->quiet = quiet;
    r->nesc = nesc;
    r->off = (int)(p->base + dollar);
    p->pos = q;
    pvec parts = {0};
    for (;;) {
        char c = at(p, p->pos);
        if (c == '[') {
            parse_index(p, pvec_add(p, &parts));
        } else if (c == '.' && is_alpha(at(p, p->pos + 1))) {
            vrpart *part = pvec_add(p, &parts);
            size_t st = p->pos + 1, e = st;
            while (e < p->n && is_ident(p->s[e])) e++;
            part->name = p->s + st;
            part->nlen = e - st;
            part->off = (int)(p->base + st);
            p->pos = e;
            if (at(p, p->pos) == '(') {
                part->kind = RP_METHOD;
                parse_method_args(p, part);
            } else {
                part->kind = RP_PROP;
            }
        } else {
            break;
        }
    }
    if (formal) {
        if (at(p, p->pos) != '}') perr(p, p->pos, "expected } to close ${ at the reference");
        p->pos++;
    }
    r->parts = parts.v;
    r->nparts = parts.n;
    r->lit = p->s + dollar;
    r->litlen = p->pos - dollar;
    return r;
}

/* ---- expressions --------------------------------------------------------- */

static vexpr *binary(parser *p, int kind, vexpr *a, vexpr *b) {
    vexpr *e = va_zalloc(p->a, sizeof *e);
    e->kind = kind;
    e->off = a->off;
    e->lit = a->lit;
    e->litlen = (size_t)(b->lit + b->litlen - a->lit);
    e->u.bin.a = a;
    e->u.bin.b = b;
    return e;
}

/* An operator at the current position (after blanks); 0 if none. */
static int op_at(parser *p, size_t *len) {
    skip_ws(p);
    const char *s = p->s + p->pos;
    size_t r = p->n - p->pos;
    static const struct {
        const char *t;
        int kind;
        bool word;
    } ops[] = {
        {"||", E_OR, 0},  {"&&", E_AND, 0}, {"==", E_EQ, 0}, {"!=", E_NE, 0}, {"<=", E_LE, 0},
        {">=", E_GE, 0},  {"<", E_LT, 0},   {">", E_GT, 0},  {"+", E_ADD, 0}, {"-", E_SUB, 0},
        {"*", E_MUL, 0},  {"/", E_DIV, 0},  {"%", E_MOD, 0}, {"or", E_OR, 1}, {"and", E_AND, 1},
        {"eq", E_EQ, 1},  {"ne", E_NE, 1},  {"lt", E_LT, 1}, {"gt", E_GT, 1}, {"le", E_LE, 1},
        {"ge", E_GE, 1},
    };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        size_t n = strlen(ops[i].t);
        if (r >= n && memcmp(s, ops[i].t, n) == 0) {
            if (ops[i].word && n < r && is_ident(s[n])) continue;
            if (ops[i].kind == E_SUB && number_start(p)) return 0; /* "-1" is a literal */
            *len = n;
            return ops[i].kind;
        }
    }
    return 0;
}

static vexpr *parse_unary(parser *p);

static vexpr *parse_primary(parser *p) {
    skip_ws(p);
    char c = at(p, p->pos);
    vexpr *e;
    if (c == '"' || c == '\'') {
        e = parse_string(p);
    } else if (c == '$') {
        e = parse_ref_expr(p);
    } else if (c == '[') {
        e = parse_bracket(p);
    } else if (c == '{') {
        e = parse_map(p);
    } else if (word_at(p, p->pos, "true") || word_at(p, p->pos, "false")) {
        e = parse_bool_word(p);
    } else if (number_start(p)) {
        e = parse_number(p);
    } else if (c == '(') {
        size_t st = p->pos++;
        enter(p);
        vexpr *in = parse_expr(p);
        expect(p, ')', ")");
        p->depth--;
        e = new_expr(p, E_PAREN, st);
        e->u.bin.a = in;
        end_expr(p, e);
    } else if (p->pos >= p->n) {
        perr(p, p->pos, "unexpected end of template in an expression");
    } else {
        perr(p, p->pos, "unexpected '%c' in an expression", c);
    }
    skip_ws(p);
    if (number_start(p)) perr(p, p->pos, "unexpected number (write a space after '-')");
    return e;
}

static vexpr *parse_unary(parser *p) {
    skip_ws(p);
    size_t st = p->pos;
    bool bang = at(p, p->pos) == '!' && at(p, p->pos + 1) != '=';
    if (bang || word_at(p, p->pos, "not")) {
        p->pos += bang ? 1 : 3;
        enter(p);
        vexpr *in = parse_unary(p);
        p->depth--;
        vexpr *e = new_expr(p, E_NOT, st);
        e->u.bin.a = in;
        end_expr(p, e);
        return e;
    }
    return parse_primary(p);
}

/* Precedence climbing over Velocity's levels: || && (== !=) (< > <= >=)
 * (+ -) (* / %). */
static int prec(int kind) {
    switch (kind) {
    case E_OR: return 1;
    case E_AND: return 2;
    case E_EQ: case E_NE: return 3;
    case E_LT: case E_GT: case E_LE: case E_GE: return 4;
    case E_ADD: case E_SUB: return 5;
    default: return 6;
    }
}

static vexpr *parse_binary(parser *p, int min) {
    vexpr *lhs = parse_unary(p);
    for (;;) {
        size_t save = p->pos, len;
        int op = op_at(p, &len);
        if (!op || prec(op) < min) {
            p->pos = save;
            return lhs;
        }
        p->pos += len;
        enter(p);
        vexpr *rhs = parse_binary(p, prec(op) + 1);
        p->depth--;
        lhs = binary(p, op, lhs, rhs);
    }
}

static vexpr *parse_expr(parser *p) {
    enter(p);
    vexpr *e = parse_binary(p, 1);
    p->depth--;
    return e;
}

/* ---- directives ---------------------------------------------------------- */

/* One argument of #foreach, #break or an unknown directive: a reference, a
 * word, a literal, a range, a list or a map. */
static vexpr *parse_directive_arg(parser *p) {
    skip_ws(p);
    char c = at(p, p->pos);
    if (c == '$') return parse_ref_expr(p);
    if (c == '"' || c == '\'') return parse_string(p);
    if (c == '[') return parse_bracket(p);
    if (c == '{') return parse_map(p);
    if (word_at(p, p->pos, "true") || word_at(p, p->pos, "false")) return parse_bool_word(p);
    if (number_start(p)) return parse_number(p);
    if (is_alpha(c) || c == '_' || c == '@') {
        vexpr *e = new_expr(p, E_WORD, p->pos);
        size_t st = p->pos;
        while (p->pos < p->n && is_dirchar(p->s[p->pos])) p->pos++;
        e->u.s.p = p->s + st;
        e->u.s.n = p->pos - st;
        end_expr(p, e);
        return e;
    }
    if (p->pos >= p->n) perr(p, p->pos, "unexpected end of template in directive arguments");
    perr(p, p->pos, "unexpected '%c' in directive arguments", c);
}

/* ( arg [,] arg ... ) with the closing paren's newline eaten. */
static int parse_directive_args(parser *p, vexpr **out, int max, const char *name) {
    int n = 0;
    expect(p, '(', "(");
    enter(p);
    for (;;) {
        skip_ws(p);
        if (at(p, p->pos) == ')') break;
        if (n && at(p, p->pos) == ',') {
            p->pos++;
            skip_ws(p);
        }
        vexpr *e = parse_directive_arg(p);
        if (n < max) out[n] = e;
        n++;
    }
    p->pos++;
    p->depth--;
    gobble_newline(p);
    (void)name;
    return n;
}

/* Whitespace (new lines included) then '(' follows: the directive has args. */
static bool paren_ahead(parser *p) {
    size_t q = p->pos;
    while (q < p->n && strchr(" \t\r\n", p->s[q]) && p->s[q]) q++;
    return at(p, q) == '(';
}

static vnode *parse_if(parser *p, size_t hash) {
    vnode *n = new_node(p, N_IF, hash);
    evec conds = {0};
    vnode **blocks = NULL;
    int nb = 0, cap = 0;
    bool seen_else = false;
    enter(p);
    for (;;) {
        vexpr *cond = NULL;
        if (!seen_else) {
            expect(p, '(', "( after #if or #elseif");
            cond = parse_expr(p);
            expect(p, ')', ") to close the condition");
            gobble_newline(p);
        }
        int term;
        size_t toff;
        vnode *blk = parse_block(p, &term, &toff);
        if (nb == cap) {
            cap = cap ? cap * 2 : 4;
            vnode **nbk = va_alloc(p->a, (size_t)cap * sizeof *nbk);
            if (nb) memcpy(nbk, blocks, (size_t)nb * sizeof *nbk);
            blocks = nbk;
        }
        blocks[nb++] = blk;
        evec_push(p, &conds, cond);
        if (term == T_END) break;
        if (term == T_EOF) perr(p, hash, "#if without a matching #end");
        if (seen_else) perr(p, toff, term == T_ELSE ? "#else after #else" : "#elseif after #else");
        if (term == T_ELSE) seen_else = true;
    }
    p->depth--;
    n->u.ifs.conds = conds.v;
    n->u.ifs.blocks = blocks;
    n->u.ifs.n = nb;
    return n;
}

static vnode *parse_body_to_end(parser *p, size_t hash, const char *what) {
    int term;
    size_t toff;
    enter(p);
    vnode *body = parse_block(p, &term, &toff);
    p->depth--;
    if (term == T_EOF) perr(p, hash, "%s without a matching #end", what);
    if (term != T_END) perr(p, toff, "%s inside %s", term == T_ELSE ? "#else" : "#elseif", what);
    return body;
}

/* The arguments of a directive that must have some: "(" must follow (the
 * error is usage otherwise); *st gets where they start. */
static int required_args(parser *p, size_t hash, vexpr **args, int max, const char *name,
                         const char *usage, size_t *st) {
    if (!paren_ahead(p)) perr(p, hash, "%s", usage);
    *st = p->pos;
    return parse_directive_args(p, args, max, name);
}

/* A bare reference: $name with no properties, methods or index. */
static bool plain_ref(const vexpr *x) { return x->kind == E_REF && !x->u.ref->nparts; }

static vnode *parse_foreach(parser *p, size_t hash) {
    static const char usage[] = "#foreach needs ($item in list)";
    vexpr *args[3];
    size_t st;
    int n = required_args(p, hash, args, 3, "foreach", usage, &st);
    if (n != 3 || !plain_ref(args[0]) || args[1]->kind != E_WORD || args[1]->u.s.n != 2 ||
        memcmp(args[1]->u.s.p, "in", 2) != 0)
        perr(p, st, "%s", usage);
    vnode *node = new_node(p, N_FOREACH, hash);
    node->u.fe.slot = args[0]->u.ref->slot;
    node->u.fe.list = args[2];
    node->u.fe.body = parse_body_to_end(p, hash, "#foreach");
    return node;
}

static vnode *parse_define(parser *p, size_t hash) {
    static const char usage[] = "#define needs a reference: #define($name)";
    vexpr *args[1];
    size_t st;
    if (required_args(p, hash, args, 1, "define", usage, &st) != 1 || !plain_ref(args[0]))
        perr(p, st, "%s", usage);
    vnode *node = new_node(p, N_DEFINE, hash);
    node->u.def.slot = args[0]->u.ref->slot;
    node->u.def.body = parse_body_to_end(p, hash, "#define");
    return node;
}

static vnode *parse_set(parser *p, size_t hash) {
    vnode *n = new_node(p, N_SET, hash);
    skip_ws(p);
    if (at(p, p->pos) != '$') perr(p, p->pos, "#set needs a reference on its left side");
    vexpr *lhs = parse_ref_expr(p);
    expect(p, '=', "= in #set");
    vexpr *rhs = parse_expr(p);
    expect(p, ')', ") to close #set");
    gobble_newline(p);
    n->u.set.lhs = lhs->u.ref;
    n->u.set.rhs = rhs;
    return n;
}

/* #set( with optional blanks before (a token's start) and spaces before (. */
static bool set_ahead(parser *p, size_t *hash, size_t *after) {
    size_t q = p->pos;
    while (q < p->n && (p->s[q] == ' ' || p->s[q] == '\t')) q++;
    if (at(p, q) != '#') return false;
    size_t h = q++;
    if (q + 3 <= p->n && memcmp(p->s + q, "set", 3) == 0) q += 3;
    else if (q + 5 <= p->n && memcmp(p->s + q, "{set}", 5) == 0) q += 5;
    else return false;
    while (at(p, q) == ' ') q++;
    if (at(p, q) != '(') return false;
    *hash = h;
    *after = q + 1;
    return true;
}

/* The directives Velocity 1.7 knows, for the escaping rules. */
static bool known_directive(const char *w, size_t n) {
    static const char *names[] = {"if",      "else",  "elseif", "end",   "set",
                                  "foreach", "include", "parse", "macro", "literal",
                                  "evaluate", "break", "define", "stop"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i]) == n && memcmp(names[i], w, n) == 0) return true;
    return false;
}

/* A directive word after '#' at i: plain or {bracketed}. */
static bool dir_word(parser *p, size_t i, size_t *ws, size_t *wn, size_t *end, bool *bracketed) {
    if (at(p, i) == '{') {
        size_t q = i + 1;
        if (!is_alpha(at(p, q)) && at(p, q) != '_') return false;
        while (q < p->n && is_dirchar(p->s[q])) q++;
        if (at(p, q) != '}') return false;
        *ws = i + 1;
        *wn = q - i - 1;
        *end = q + 1;
        *bracketed = true;
        return true;
    }
    char c = at(p, i);
    if (!is_alpha(c) && c != '_' && c != '@') return false;
    size_t q = i;
    while (q < p->n && is_dirchar(p->s[q])) q++;
    *ws = i;
    *wn = q - i;
    *end = q;
    *bracketed = false;
    return true;
}

static bool word_is(parser *p, size_t ws, size_t wn, const char *w) {
    return strlen(w) == wn && memcmp(p->s + ws, w, wn) == 0;
}

/* '#' at p->pos. Returns true when the block ends here (#end, #else, #elseif). */
static bool parse_hash(parser *p, nlist *l, int *term, size_t *term_off) {
    size_t h = p->pos;
    if (at(p, h + 1) == '#') { /* line comment, newline included */
        size_t q = h + 2;
        while (q < p->n && p->s[q] != '\n' && p->s[q] != '\r') q++;
        if (q < p->n) q += (p->s[q] == '\r' && at(p, q + 1) == '\n') ? 2 : 1;
        p->pos = q;
        return false;
    }
    if (at(p, h + 1) == '*') {
        const char *end = NULL;
        for (size_t q = h + 2; q + 1 < p->n; q++)
            if (p->s[q] == '*' && p->s[q + 1] == '#') {
                end = p->s + q;
                break;
            }
        if (!end) perr(p, h, "unterminated #* comment");
        p->pos = (size_t)(end - p->s) + 2;
        return false;
    }
    if (at(p, h + 1) == '[' && at(p, h + 2) == '[') {
        for (size_t q = h + 3; q + 2 < p->n; q++)
            if (p->s[q] == ']' && p->s[q + 1] == ']' && p->s[q + 2] == '#') {
                add_text(p, l, p->s + h + 3, q - h - 3, h + 3);
                p->pos = q + 3;
                return false;
            }
        perr(p, h, "unterminated #[[ block (expected ]]#)");
    }
    size_t ws, wn, wend;
    bool br;
    if (!dir_word(p, h + 1, &ws, &wn, &wend, &br)) {
        add_text(p, l, p->s + h, 1, h);
        p->pos = h + 1;
        return false;
    }
    p->pos = wend;
    if (word_is(p, ws, wn, "end") || word_is(p, ws, wn, "else")) {
        gobble_newline(p);
        *term = word_is(p, ws, wn, "end") ? T_END : T_ELSE;
        *term_off = h;
        return true;
    }
    if (word_is(p, ws, wn, "elseif")) {
        *term = T_ELSEIF;
        *term_off = h;
        return true;
    }
    if (word_is(p, ws, wn, "if")) {
        append(l, parse_if(p, h));
        return false;
    }
    if (word_is(p, ws, wn, "foreach")) {
        append(l, parse_foreach(p, h));
        return false;
    }
    if (word_is(p, ws, wn, "define")) {
        append(l, parse_define(p, h));
        return false;
    }
    if (word_is(p, ws, wn, "macro")) perr(p, h, "#macro is not supported by this emulator");
    if (word_is(p, ws, wn, "break") || word_is(p, ws, wn, "stop")) {
        vnode *n = new_node(p, word_is(p, ws, wn, "break") ? N_BREAK : N_STOP, h);
        if (paren_ahead(p)) {
            vexpr *args[1] = {NULL};
            int na = parse_directive_args(p, args, 1, "break");
            if (na > 1) perr(p, h, "#%.*s takes at most one argument", (int)wn, p->s + ws);
            n->u.brk.arg = na ? args[0] : NULL;
        }
        append(l, n);
        return false;
    }
    if (word_is(p, ws, wn, "evaluate") && paren_ahead(p)) {
        vexpr *args[1];
        parse_directive_args(p, args, 1, "evaluate");
        vnode *n = new_node(p, N_FAIL, h);
        n->u.fail.msg = "#evaluate is not supported by this emulator";
        append(l, n);
        return false;
    }
    if ((word_is(p, ws, wn, "parse") || word_is(p, ws, wn, "include")) && paren_ahead(p)) {
        vexpr *args[1];
        parse_directive_args(p, args, 1, "parse");
        vnode *n = new_node(p, N_FAIL, h);
        n->u.fail.msg = word_is(p, ws, wn, "parse")
                            ? "ResourceNotFoundException: #parse has no templates to load"
                            : "ResourceNotFoundException: #include has no resources to load";
        append(l, n);
        return false;
    }
    /* Anything else is a macro call Velocity cannot resolve: it prints as
     * written, arguments and all (they must still parse). */
    if (paren_ahead(p)) {
        vexpr *args[1];
        parse_directive_args(p, args, 1, "macro");
    }
    add_text(p, l, p->s + h, p->pos - h, h);
    return false;
}

/* n backslashes at p->pos. */
static void parse_backslashes(parser *p, nlist *l) {
    size_t st = p->pos, q = st;
    while (q < p->n && p->s[q] == '\\') q++;
    size_t n = q - st;
    if (at(p, q) == '$') {
        vref *r = parse_ref(p, q, (int)n);
        if (r) {
            vnode *node = new_node(p, N_REF, st);
            node->u.ref = r;
            append(l, node);
            return;
        }
        add_text(p, l, p->s + st, q + 1 - st, st);
        p->pos = q + 1;
        return;
    }
    size_t ws, wn, wend;
    bool br;
    if (at(p, q) == '#' && dir_word(p, q + 1, &ws, &wn, &wend, &br)) {
        if (n % 2) { /* \#directive: printed, not run */
            if (known_directive(p->s + ws, wn)) {
                buf b = BUF_INIT;
                for (size_t i = 0; i < (n - 1) / 2; i++) buf_putc(&b, '\\');
                buf_add(&b, p->s + q, wend - q);
                add_made_text(p, l, b.data, b.len, st);
                buf_free(&b);
            } else {
                add_text(p, l, p->s + st, wend - st, st);
            }
            p->pos = wend;
            return;
        }
        /* \\#directive: half the backslashes, then the directive runs. */
        bool control = word_is(p, ws, wn, "if") || word_is(p, ws, wn, "else") ||
                       word_is(p, ws, wn, "elseif") || word_is(p, ws, wn, "end") ||
                       (!br && known_directive(p->s + ws, wn) && !word_is(p, ws, wn, "set"));
        if (word_is(p, ws, wn, "set") && !br) {
            size_t save = p->pos, hh, aa;
            p->pos = q;
            control = !set_ahead(p, &hh, &aa);
            p->pos = save;
        }
        add_text(p, l, p->s + st, control ? n / 2 : n, st);
        p->pos = q;
        return;
    }
    add_text(p, l, p->s + st, n, st);
    p->pos = q;
}

static vnode *parse_block(parser *p, int *term, size_t *term_off) {
    nlist l = {0};
    *term = T_EOF;
    *term_off = p->n;
    while (p->pos < p->n) {
        size_t hash, after;
        if (set_ahead(p, &hash, &after)) {
            p->pos = after;
            append(&l, parse_set(p, hash));
            continue;
        }
        char c = p->s[p->pos];
        if (c == '#') {
            if (parse_hash(p, &l, term, term_off)) break;
            continue;
        }
        if (c == '$') {
            size_t st = p->pos;
            vref *r = parse_ref(p, st, 0);
            if (r) {
                vnode *node = new_node(p, N_REF, st);
                node->u.ref = r;
                append(&l, node);
            } else {
                add_text(p, &l, p->s + st, 1, st);
                p->pos = st + 1;
            }
            continue;
        }
        if (c == '\\') {
            parse_backslashes(p, &l);
            continue;
        }
        size_t st = p->pos;
        while (p->pos < p->n && p->s[p->pos] != '#' && p->s[p->pos] != '$' &&
               p->s[p->pos] != '\\')
            p->pos++;
        add_text(p, &l, p->s + st, p->pos - st, st);
    }
    return l.head;
}

/* ---- public entry points ------------------------------------------------------ */

static const char *const builtin_names[SLOT_BUILTIN_COUNT] = {
    "input", "util", "context", "stageVariables", "foreach", "velocityCount", "velocityHasNext"};

vtl_template *vtl_parse(const char *src, size_t len, err *e) {
    vtl_template *volatile t = calloc(1, sizeof *t);
    if (!t) abort();
    va_init(&t->arena, 0);
    parser p = {.a = &t->arena, .t = t, .e = e};
    p.slot_cap = 16;
    t->slot_names = va_alloc(p.a, (size_t)p.slot_cap * sizeof *t->slot_names);
    t->slot_lens = va_alloc(p.a, (size_t)p.slot_cap * sizeof *t->slot_lens);
    p.slot_icap = 32;
    p.slot_idx = va_alloc(p.a, p.slot_icap * sizeof *p.slot_idx);
    for (size_t i = 0; i < p.slot_icap; i++) p.slot_idx[i] = -1;
    char *copy = va_strndup(p.a, src ? src : "", src ? len : 0);
    t->src = copy;
    t->len = src ? len : 0;
    p.s = copy;
    p.n = t->len;
    if (setjmp(p.jb)) {
        vtl_free(t);
        return NULL;
    }
    for (int i = 0; i < SLOT_BUILTIN_COUNT; i++)
        slot_for(&p, builtin_names[i], strlen(builtin_names[i]));
    int term;
    size_t toff;
    t->root = parse_block(&p, &term, &toff);
    if (term != T_EOF)
        perr(&p, toff, "%s without a matching #if, #foreach or #define",
             term == T_END ? "#end" : term == T_ELSE ? "#else" : "#elseif");
    return t;
}

