/* Rendering: Velocity 1.7's evaluation rules (ASTReference, ASTSetDirective,
 * Foreach, the math and comparison nodes) over the values of vtl_value.c. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vtl_internal.h"

enum { R_OK, R_BREAK, R_STOP };

struct vrender {
    varena a;
    jmp_buf jb;
    err *e;
    const vtl_template *t;
    const vtl_input *in;
    vval *slots;
    bool loaded[SLOT_BUILTIN_COUNT];
    buf *out;
    size_t out_base;
    uint64_t work;
    int call_depth;
    bool stopped;
    bool breaking;
    vscope *break_target; /* NULL: the innermost scope */
    vprint pr;
    /* $input's parsed body, made on first use */
    bool body_done;
    vval body;
    vval params;
};

varena *vtl_arena(vrender *rs) { return &rs->a; }

_Noreturn void vtl_throw(vrender *rs, int off, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vtl_error_at(rs->e, rs->t, (size_t)(off < 0 ? 0 : off), fmt, ap);
    va_end(ap);
    longjmp(rs->jb, 1);
}

void vtl_work(vrender *rs, uint64_t units) {
    rs->work += units;
    if (rs->work > VTL_MAX_WORK)
        va_fail(&rs->a, "the template needs more work than the emulator allows (%llu steps)",
                (unsigned long long)VTL_MAX_WORK);
}

/* ---- builtins ---------------------------------------------------------- */

static vval from_cjson(vrender *rs, const cJSON *j, int depth) {
    if (!j || depth > VTL_MAX_JSON_DEPTH) return v_null();
    if (cJSON_IsString(j)) return v_str(j->valuestring, strlen(j->valuestring));
    if (cJSON_IsBool(j)) return v_bool(cJSON_IsTrue(j));
    if (cJSON_IsNumber(j)) {
        double d = j->valuedouble;
        if (d == floor(d) && fabs(d) < 9007199254740992.0) return v_int((int64_t)d);
        return v_dbl(d);
    }
    if (cJSON_IsArray(j)) {
        vval l = v_list_new(&rs->a, 0, VF_JSON);
        for (const cJSON *c = j->child; c; c = c->next) v_list_push(&rs->a, l, from_cjson(rs, c, depth + 1));
        return l;
    }
    if (cJSON_IsObject(j)) {
        vval m = v_map_new(&rs->a, 0);
        for (const cJSON *c = j->child; c; c = c->next)
            if (c->string)
                v_map_put(&rs->a, m, v_str(c->string, strlen(c->string)), from_cjson(rs, c, depth + 1));
        return m;
    }
    return v_null();
}

static void load_builtin(vrender *rs, int slot) {
    rs->loaded[slot] = true;
    switch (slot) {
    case SLOT_INPUT: rs->slots[slot] = (vval){.k = VK_INPUT}; break;
    case SLOT_UTIL: rs->slots[slot] = (vval){.k = VK_UTIL}; break;
    case SLOT_CONTEXT:
        rs->slots[slot] = rs->in->context ? from_cjson(rs, rs->in->context, 0) : v_map_new(&rs->a, 0);
        break;
    case SLOT_STAGEVARS:
        rs->slots[slot] =
            rs->in->stage_variables ? from_cjson(rs, rs->in->stage_variables, 0) : v_map_new(&rs->a, 0);
        break;
    default: break;
    }
}

static vval get_slot(vrender *rs, int slot) {
    if (slot < SLOT_BUILTIN_COUNT && !rs->loaded[slot]) load_builtin(rs, slot);
    return rs->slots[slot];
}

static void set_slot(vrender *rs, int slot, vval v) {
    if (slot < SLOT_BUILTIN_COUNT) rs->loaded[slot] = true;
    rs->slots[slot] = v;
}

/* The body as JSON values. An empty body reads as {} (as API Gateway does);
 * text that is not JSON reads as one JSON string. */
vval vtl_input_body(vrender *rs);
vval vtl_input_body(vrender *rs) {
    if (rs->body_done) return rs->body;
    rs->body_done = true;
    const char *b = rs->in->body ? rs->in->body : "";
    size_t n = rs->in->body ? rs->in->body_len : 0;
    size_t i = 0;
    while (i < n && strchr(" \t\r\n", b[i]) && b[i]) i++;
    const char *msg;
    if (i == n) rs->body = v_map_new(&rs->a, VF_JSON);
    else if (!v_json_parse(&rs->a, b, n, &rs->body, &msg)) rs->body = v_strdup(&rs->a, b, n);
    return rs->body;
}

static void params_add(vrender *rs, vval m, const char *name, const cJSON *src) {
    vval inner = v_map_new(&rs->a, 0);
    if (src)
        for (const cJSON *c = src->child; c; c = c->next)
            if (c->string && cJSON_IsString(c))
                v_map_put(&rs->a, inner, v_str(c->string, strlen(c->string)),
                          v_str(c->valuestring, strlen(c->valuestring)));
    v_map_put(&rs->a, m, v_str(name, strlen(name)), inner);
}

/* $input.params(): path, header, querystring (the order AWS's map prints). */
vval vtl_input_params(vrender *rs);
vval vtl_input_params(vrender *rs) {
    if (rs->params.k == VK_MAP) return rs->params;
    vval m = v_map_new(&rs->a, 0);
    params_add(rs, m, "path", rs->in->path);
    params_add(rs, m, "header", rs->in->header);
    params_add(rs, m, "querystring", rs->in->querystring);
    rs->params = m;
    return m;
}

const vtl_input *vtl_render_input(vrender *rs);
const vtl_input *vtl_render_input(vrender *rs) { return rs->in; }

/* ---- printing ----------------------------------------------------------- */

static int render_nodes(vrender *rs, const vnode *n, buf *out);

static void render_block_value(void *p, const vnode *blk, buf *out) {
    vrender *rs = p;
    if (++rs->call_depth > VTL_MAX_CALL_DEPTH)
        va_fail(&rs->a, "#define blocks call each other deeper than %d levels", VTL_MAX_CALL_DEPTH);
    int st = render_nodes(rs, blk, out);
    if (st == R_STOP) rs->stopped = true;
    rs->breaking = false; /* #break inside a #define stops that block only */
    rs->call_depth--;
}

static void print_value(vrender *rs, vval v, buf *out) { v_print(&rs->pr, v, out, false, 0); }

vval vtl_to_string(vrender *rs, vval v) {
    if (v.k == VK_STR) return v;
    buf *b = va_buf(vtl_arena(rs));
    print_value(rs, v, b);
    vval s = v_strdup(&rs->a, b->data ? b->data : "", b->len);
    buf_free(b);
    return s;
}

/* ---- references ------------------------------------------------------------ */

static vval eval(vrender *rs, const vexpr *e);

static vval index_get(vrender *rs, vval obj, vval idx, int off) {
    if (obj.k == VK_LIST) {
        if (idx.k != VK_INT || (idx.f & VF_LONG)) return v_null();
        int64_t i = idx.u.i, n = (int64_t)obj.u.l->n;
        if (i < 0) i += n;
        if (i < 0 || i >= n)
            vtl_throw(rs, off, "IndexOutOfBoundsException: Index: %lld, Size: %lld",
                      (long long)idx.u.i, (long long)n);
        return obj.u.l->v[i];
    }
    if (obj.k == VK_MAP) {
        vval r;
        return v_map_get(obj.u.m, idx, &r) ? r : v_null();
    }
    vval args[1] = {idx}, r;
    return vtl_call(rs, obj, "get", 3, args, 1, &r, off) ? r : v_null();
}

static vval eval_part(vrender *rs, vval cur, const vrpart *p) {
    vval r;
    if (p->kind == RP_PROP) return vtl_prop(rs, cur, p->name, p->nlen, &r) ? r : v_null();
    if (p->kind == RP_INDEX) return index_get(rs, cur, eval(rs, p->args[0]), p->off);
    vval stackargs[8], *args = stackargs;
    if (p->nargs > 8) args = va_alloc(&rs->a, (size_t)p->nargs * sizeof(vval));
    for (int i = 0; i < p->nargs; i++) args[i] = eval(rs, p->args[i]);
    return vtl_call(rs, cur, p->name, p->nlen, args, p->nargs, &r, p->off) ? r : v_null();
}

static vval eval_ref(vrender *rs, const vref *r) {
    vval v = get_slot(rs, r->slot);
    for (int i = 0; i < r->nparts && v.k != VK_NULL; i++) v = eval_part(rs, v, &r->parts[i]);
    return v;
}

static void render_ref(vrender *rs, const vref *r, buf *out) {
    vval v = eval_ref(rs, r);
    int half = r->nesc / 2;
    for (int i = 0; i < half; i++) buf_putc(out, '\\');
    if (r->nesc % 2) { /* \$x: the reference as written, escaped once */
        if (v.k == VK_NULL) buf_putc(out, '\\');
        buf_add(out, r->lit, r->litlen);
        return;
    }
    if (v.k == VK_NULL) {
        for (int i = 0; i < half; i++) buf_putc(out, '\\');
        if (!r->quiet) buf_add(out, r->lit, r->litlen);
        return;
    }
    print_value(rs, v, out);
}

/* ---- expressions ----------------------------------------------------------- */

static bool is_num(vval v) { return v.k == VK_INT || v.k == VK_DBL; }
static double num_d(vval v) { return v.k == VK_INT ? (double)v.u.i : v.u.d; }

/* MathUtils.compare: -1, 0, 1. */
static int num_cmp(vval a, vval b) {
    if (a.k == VK_INT && b.k == VK_INT) return a.u.i < b.u.i ? -1 : a.u.i > b.u.i;
    double x = num_d(a), y = num_d(b);
    return x > y ? 1 : x < y ? -1 : 0;
}

static bool is_zero(vval v) { return v.k == VK_INT ? v.u.i == 0 : v.u.d == 0; }

static vval math(vrender *rs, const vexpr *e, vval l, vval r) {
    int op = e->kind;
    if (op == E_ADD && ((l.k == VK_STR && !(l.f & VF_CHAR)) || (r.k == VK_STR && !(r.f & VF_CHAR)))) {
        /* String concatenation; a null side prints as written. */
        vval ls = l.k == VK_NULL ? v_str(e->u.bin.a->lit, e->u.bin.a->litlen) : vtl_to_string(rs, l);
        vval rsv = r.k == VK_NULL ? v_str(e->u.bin.b->lit, e->u.bin.b->litlen) : vtl_to_string(rs, r);
        size_t n = ls.u.s.n + rsv.u.s.n;
        if (n > VTL_MAX_STRING) va_fail(&rs->a, "a string grew past %u MiB", VTL_MAX_STRING >> 20);
        char *p = va_alloc(&rs->a, n + 1);
        memcpy(p, ls.u.s.p, ls.u.s.n);
        memcpy(p + ls.u.s.n, rsv.u.s.p, rsv.u.s.n);
        p[n] = '\0';
        vtl_work(rs, n / 64);
        return v_str(p, n);
    }
    if (!is_num(l) || !is_num(r)) return v_null(); /* Velocity logs and yields null */
    if ((op == E_DIV || op == E_MOD) && is_zero(r)) return v_null();
    if (l.k == VK_INT && r.k == VK_INT) {
        int64_t a = l.u.i, b = r.u.i, x = 0;
        bool ovf = false;
        switch (op) {
        case E_ADD: ovf = __builtin_add_overflow(a, b, &x); break;
        case E_SUB: ovf = __builtin_sub_overflow(a, b, &x); break;
        case E_MUL: ovf = __builtin_mul_overflow(a, b, &x); break;
        case E_DIV: x = (a == INT64_MIN && b == -1) ? INT64_MIN : a / b; break;
        case E_MOD: x = b == -1 ? 0 : a % b; break;
        }
        /* Velocity would continue in BigInteger; we stop at 64 bits. */
        if (ovf) vtl_throw(rs, e->off, "integer overflow beyond 64 bits is not supported");
        vval v = v_int(x);
        if ((l.f | r.f) & VF_LONG) v.f |= VF_LONG;
        return v;
    }
    double a = num_d(l), b = num_d(r);
    switch (op) {
    case E_ADD: return v_dbl(a + b);
    case E_SUB: return v_dbl(a - b);
    case E_MUL: return v_dbl(a * b);
    case E_DIV: return v_dbl(a / b);
    default: return v_dbl(fmod(a, b));
    }
}

/* The Java class families that Velocity's == compares with equals(). */
static bool same_family(vval a, vval b) {
    if (a.k != b.k) return false;
    if (a.k == VK_STR) return (a.f & VF_CHAR) == (b.f & VF_CHAR);
    if (a.k == VK_LIST) return (a.f & VF_ARRAY) == (b.f & VF_ARRAY);
    return true;
}

static bool eq(vrender *rs, vval l, vval r) {
    if (is_num(l) && is_num(r)) return num_cmp(l, r) == 0;
    if (l.k != VK_NULL && r.k != VK_NULL && same_family(l, r)) return v_java_equals(l, r);
    if (l.k == VK_NULL || r.k == VK_NULL) return l.k == r.k;
    vval a = vtl_to_string(rs, l), b = vtl_to_string(rs, r);
    return a.u.s.n == b.u.s.n && memcmp(a.u.s.p, b.u.s.p, a.u.s.n) == 0;
}

static bool truthy(vrender *rs, const vexpr *e);

static bool compare(vrender *rs, const vexpr *e) {
    vval l = eval(rs, e->u.bin.a), r = eval(rs, e->u.bin.b);
    if (e->kind == E_EQ) return eq(rs, l, r);
    if (e->kind == E_NE) return !eq(rs, l, r);
    if (!is_num(l) || !is_num(r)) return false; /* Velocity 1.7 orders numbers only */
    int c = num_cmp(l, r);
    switch (e->kind) {
    case E_LT: return c < 0;
    case E_GT: return c > 0;
    case E_LE: return c <= 0;
    default: return c >= 0;
    }
}

/* Node.evaluate(): references by value, comparisons and logic; any other
 * node (a literal, arithmetic) is false, as in Velocity 1.7. */
static bool truthy(vrender *rs, const vexpr *e) {
    vtl_work(rs, 1);
    switch (e->kind) {
    case E_REF: {
        vval v = eval_ref(rs, e->u.ref);
        if (v.k == VK_NULL) return false;
        if (v.k == VK_BOOL) return v.u.b;
        return true;
    }
    case E_BOOL: return e->u.b;
    case E_PAREN: return truthy(rs, e->u.bin.a);
    case E_OR: return truthy(rs, e->u.bin.a) || truthy(rs, e->u.bin.b);
    case E_AND: return truthy(rs, e->u.bin.a) && truthy(rs, e->u.bin.b);
    case E_NOT: return !truthy(rs, e->u.bin.a);
    case E_EQ: case E_NE: case E_LT: case E_GT: case E_LE: case E_GE: return compare(rs, e);
    default: return false;
    }
}

static int32_t java_int(vval v) {
    if (v.k == VK_INT) return (int32_t)(uint32_t)(uint64_t)v.u.i;
    double d = v.u.d;
    if (isnan(d)) return 0;
    if (d >= 2147483647.0) return INT32_MAX;
    if (d <= -2147483648.0) return INT32_MIN;
    return (int32_t)d;
}

static vval eval_range(vrender *rs, const vexpr *e) {
    vval l = eval(rs, e->u.bin.a), r = eval(rs, e->u.bin.b);
    if (!is_num(l) || !is_num(r)) return v_null();
    int64_t a = java_int(l), b = java_int(r);
    int64_t n = (a > b ? a - b : b - a) + 1;
    if (n > VTL_MAX_RANGE)
        vtl_throw(rs, e->off, "the range [%lld..%lld] has more than %d elements", (long long)a,
                  (long long)b, VTL_MAX_RANGE);
    vval list = v_list_new(&rs->a, (size_t)n, 0);
    int64_t step = a <= b ? 1 : -1;
    for (int64_t i = 0, x = a; i < n; i++, x += step) list.u.l->v[i] = v_int(x);
    list.u.l->n = (size_t)n;
    vtl_work(rs, (uint64_t)n);
    return list;
}

static vval eval(vrender *rs, const vexpr *e) {
    vtl_work(rs, 1);
    switch (e->kind) {
    case E_STR: return v_str(e->u.s.p, e->u.s.n);
    case E_ISTR: {
        buf *b = va_buf(vtl_arena(rs));
        int st = render_nodes(rs, e->u.tmpl, b);
        if (st == R_STOP) rs->stopped = true;
        rs->breaking = false;
        vval v = v_strdup(&rs->a, b->data ? b->data : "", b->len);
        buf_free(b);
        return v;
    }
    case E_INT: return v_int(e->u.i);
    case E_DBL: return v_dbl(e->u.d);
    case E_BOOL: return v_bool(e->u.b);
    case E_REF: return eval_ref(rs, e->u.ref);
    case E_LIST: {
        vval l = v_list_new(&rs->a, (size_t)e->u.list.n, 0);
        for (int i = 0; i < e->u.list.n; i++) v_list_push(&rs->a, l, eval(rs, e->u.list.v[i]));
        return l;
    }
    case E_MAP: {
        vval m = v_map_new(&rs->a, 0);
        for (int i = 0; i + 1 < e->u.list.n; i += 2) {
            vval k = eval(rs, e->u.list.v[i]);
            v_map_put(&rs->a, m, k, eval(rs, e->u.list.v[i + 1]));
        }
        return m;
    }
    case E_RANGE: return eval_range(rs, e);
    case E_PAREN: return eval(rs, e->u.bin.a);
    case E_WORD: return v_null();
    case E_OR: case E_AND: case E_NOT: case E_EQ: case E_NE: case E_LT: case E_GT: case E_LE:
    case E_GE:
        return v_bool(truthy(rs, e));
    default: return math(rs, e, eval(rs, e->u.bin.a), eval(rs, e->u.bin.b));
    }
}

/* ---- directives ------------------------------------------------------------- */

/* #set($a.b.c = v) and #set($a[i] = v): a map's put or a list's set. */
static void set_deep(vrender *rs, const vref *lhs, vval v) {
    vval cur = get_slot(rs, lhs->slot);
    for (int i = 0; i + 1 < lhs->nparts && cur.k != VK_NULL; i++)
        cur = eval_part(rs, cur, &lhs->parts[i]);
    if (cur.k == VK_NULL) return; /* "reference set is not a valid reference": ignored */
    const vrpart *last = &lhs->parts[lhs->nparts - 1];
    if (last->kind == RP_INDEX) {
        vval idx = eval(rs, last->args[0]);
        if (cur.k == VK_LIST && idx.k == VK_INT) {
            int64_t i = idx.u.i, n = (int64_t)cur.u.l->n;
            if (i < 0) i += n;
            if (i < 0 || i >= n)
                vtl_throw(rs, last->off, "IndexOutOfBoundsException: Index: %lld, Size: %lld",
                          (long long)idx.u.i, (long long)n);
            cur.u.l->v[i] = v;
        } else if (cur.k == VK_MAP) {
            v_map_put(&rs->a, cur, idx, v);
        }
        return;
    }
    if (cur.k == VK_MAP) v_map_put(&rs->a, cur, v_strdup(&rs->a, last->name, last->nlen), v);
}

static void do_set(vrender *rs, const vnode *n) {
    vval v = eval(rs, n->u.set.rhs);
    if (v.k == VK_NULL) return; /* Velocity 1.7 leaves the left side unchanged */
    if (n->u.set.lhs->nparts == 0) set_slot(rs, n->u.set.lhs->slot, v);
    else set_deep(rs, n->u.set.lhs, v);
}

/* #foreach over a list, a map's values, or nothing at all (null, a string,
 * a number: Velocity skips what it cannot iterate). API Gateway stops every
 * loop after 1,000 iterations without an error (Velocity's
 * directive.foreach.maxloops), so do we. */
static int do_foreach(vrender *rs, const vnode *n) {
    const vexpr *src = n->u.fe.list;
    const vval *items = NULL;
    size_t count, total;
    int64_t from = 0, step = 1;
    bool numeric = false;
    if (src->kind == E_RANGE) { /* a literal range: counted, never built */
        vval l = eval(rs, src->u.bin.a), r = eval(rs, src->u.bin.b);
        if (l.k != VK_INT && l.k != VK_DBL) return R_OK;
        if (r.k != VK_INT && r.k != VK_DBL) return R_OK;
        int64_t a = java_int(l), b = java_int(r);
        total = (size_t)((a > b ? a - b : b - a) + 1);
        if (total > VTL_MAX_RANGE)
            vtl_throw(rs, src->off, "the range [%lld..%lld] has more than %d elements", (long long)a,
                      (long long)b, VTL_MAX_RANGE);
        from = a;
        step = a <= b ? 1 : -1;
        numeric = true;
    } else {
        vval coll = eval(rs, src);
        if (coll.k == VK_LIST) {
            items = coll.u.l->v;
            total = coll.u.l->n;
        } else if (coll.k == VK_MAP) {
            items = coll.u.m->v;
            total = coll.u.m->n;
        } else {
            return R_OK;
        }
    }
    count = total > VTL_FOREACH_MAX ? VTL_FOREACH_MAX : total;
    /* The collection may change under us ($list.add in the body): iterate a
     * copy of its items, where Java's iterator would fail instead. */
    vval *copy = NULL;
    if (!numeric && src->kind != E_LIST && count) {
        copy = va_alloc(&rs->a, count * sizeof(vval));
        memcpy(copy, items, count * sizeof(vval));
        items = copy;
    }
    int slot = n->u.fe.slot;
    vval saved_item = get_slot(rs, slot), saved_count = rs->slots[SLOT_VCOUNT],
         saved_next = rs->slots[SLOT_VHASNEXT], saved_scope = rs->slots[SLOT_FOREACH];
    vscope *sc = va_zalloc(&rs->a, sizeof *sc);
    sc->index = -1;
    sc->parent = saved_scope.k == VK_SCOPE ? saved_scope.u.sc : NULL;
    vval scope = {.k = VK_SCOPE};
    scope.u.sc = sc;
    int status = R_OK;
    for (size_t i = 0; i < count; i++) {
        vtl_work(rs, 1);
        sc->index = (int64_t)i;
        sc->has_next = i + 1 < total;
        set_slot(rs, SLOT_FOREACH, scope);
        set_slot(rs, SLOT_VCOUNT, v_int((int64_t)i + 1));
        set_slot(rs, SLOT_VHASNEXT, v_bool(i + 1 < total));
        set_slot(rs, slot, numeric ? v_int(from + step * (int64_t)i) : items[i]);
        int st = render_nodes(rs, n->u.fe.body, rs->out);
        if (st == R_STOP) {
            status = R_STOP;
            break;
        }
        if (st == R_BREAK) {
            if (!rs->break_target || rs->break_target == sc) {
                rs->breaking = false;
                rs->break_target = NULL;
            } else {
                status = R_BREAK;
            }
            break;
        }
    }
    set_slot(rs, slot, saved_item);
    rs->slots[SLOT_VCOUNT] = saved_count;
    rs->slots[SLOT_VHASNEXT] = saved_next;
    rs->slots[SLOT_FOREACH] = saved_scope;
    return status;
}

static void check_output(vrender *rs, buf *out) {
    if (out == rs->out && out->len - rs->out_base > VTL_MAX_OUTPUT)
        va_fail(&rs->a, "the template's output is larger than %u MiB", VTL_MAX_OUTPUT >> 20);
    if (out->len > VTL_MAX_STRING + VTL_MAX_OUTPUT)
        va_fail(&rs->a, "a string grew past %u MiB", VTL_MAX_STRING >> 20);
}

static int render_nodes(vrender *rs, const vnode *n, buf *out) {
    for (; n; n = n->next) {
        vtl_work(rs, 1);
        switch (n->kind) {
        case N_TEXT: buf_add(out, n->u.text.p, n->u.text.n); break;
        case N_REF: render_ref(rs, n->u.ref, out); break;
        case N_SET: do_set(rs, n); break;
        case N_IF:
            for (int i = 0; i < n->u.ifs.n; i++) {
                const vexpr *c = n->u.ifs.conds[i];
                if (!c || truthy(rs, c)) {
                    int st = render_nodes(rs, n->u.ifs.blocks[i], out);
                    if (st != R_OK) return st;
                    break;
                }
            }
            break;
        case N_FOREACH: {
            buf *saved = rs->out;
            rs->out = out;
            int st = do_foreach(rs, n);
            rs->out = saved;
            if (st != R_OK) return st;
            break;
        }
        case N_BREAK: {
            rs->break_target = NULL;
            if (n->u.brk.arg) {
                vval t = eval(rs, n->u.brk.arg);
                if (t.k == VK_SCOPE) rs->break_target = t.u.sc;
            }
            rs->breaking = true;
            return R_BREAK;
        }
        case N_STOP: return R_STOP;
        case N_DEFINE: {
            vval b = {.k = VK_BLOCK};
            b.u.blk = n->u.def.body;
            set_slot(rs, n->u.def.slot, b);
            break;
        }
        case N_FAIL: vtl_throw(rs, n->off, "%s", n->u.fail.msg);
        }
        check_output(rs, out);
        if (rs->stopped) return R_STOP;
        if (rs->breaking) return R_BREAK;
    }
    return R_OK;
}

/* $foreach.stop() and friends ask the renderer to leave a loop. */
void vtl_request_break(vrender *rs, vscope *target);
void vtl_request_break(vrender *rs, vscope *target) {
    rs->breaking = true;
    rs->break_target = target;
}

/* ---- entry point --------------------------------------------------------------- */

int vtl_render(const vtl_template *t, const vtl_input *in, buf *out, err *e) {
    if (!t) return err_set(e, 500, "", "no template");
    static const vtl_input empty = {0};
    vrender *rs = calloc(1, sizeof *rs);
    if (!rs) abort();
    va_init(&rs->a, VTL_MAX_MEMORY);
    rs->a.jb = &rs->jb;
    rs->a.e = e;
    rs->e = e;
    rs->t = t;
    rs->in = in ? in : &empty;
    rs->out = out;
    buf_reserve(out, 0);
    rs->out_base = out->len;
    rs->pr.block = render_block_value;
    rs->pr.rs = rs;
    rs->pr.a = &rs->a;
    rs->pr.limit = VTL_MAX_OUTPUT + rs->out_base;
    int rc = 0;
    if (setjmp(rs->jb) == 0) {
        rs->slots = va_zalloc(&rs->a, (size_t)t->nslots * sizeof(vval));
        render_nodes(rs, t->root, out);
    } else {
        rc = -1;
    }
    va_free(&rs->a);
    free(rs);
    return rc;
}
