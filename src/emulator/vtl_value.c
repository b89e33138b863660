/* Template values: the arena they live in, Java's equals() and toString(),
 * Java's Double.toString, and JSON text → values. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "vtl_internal.h"

/* ---- arena ------------------------------------------------------------ */

struct va_chunk {
    va_chunk *next;
    size_t used, cap;
    _Alignas(16) char data[];
};

#define VA_CHUNK 16384

void va_init(varena *a, size_t limit) {
    memset(a, 0, sizeof *a);
    a->limit = limit;
}

void va_free(varena *a) {
    for (va_cleanup *c = a->cleanups; c; c = c->next) c->fn(c->p);
    a->cleanups = NULL;
    va_chunk *ch = a->head;
    while (ch) {
        va_chunk *next = ch->next;
        free(ch);
        ch = next;
    }
    a->head = NULL;
    a->total = 0;
}

_Noreturn void va_fail(varena *a, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    if (a->e) err_setv(a->e, 500, "", fmt, ap);
    va_end(ap);
    if (!a->jb) abort(); /* every user of a limited arena sets jb */
    longjmp(*a->jb, 1);
}

void *va_alloc(varena *a, size_t n) {
    n = (n + 15) & ~(size_t)15;
    va_chunk *ch = a->head;
    if (!ch || ch->cap - ch->used < n) {
        size_t cap = n > VA_CHUNK / 2 ? n : VA_CHUNK;
        if (a->limit && a->total + cap > a->limit)
            va_fail(a, "the template needs more than %zu MiB of memory", a->limit >> 20);
        va_chunk *nc = xmalloc(sizeof *nc + cap);
        nc->used = 0;
        nc->cap = cap;
        a->total += cap;
        if (cap == n && ch) { /* a big block: keep filling the current chunk */
            nc->next = ch->next;
            ch->next = nc;
            nc->used = n;
            return nc->data;
        }
        nc->next = ch;
        a->head = ch = nc;
    }
    void *p = ch->data + ch->used;
    ch->used += n;
    return p;
}

void *va_zalloc(varena *a, size_t n) {
    void *p = va_alloc(a, n);
    memset(p, 0, n);
    return p;
}

char *va_strndup(varena *a, const char *s, size_t n) {
    char *p = va_alloc(a, n + 1);
    if (n) memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void va_on_free(varena *a, void (*fn)(void *), void *p) {
    va_cleanup *c = va_alloc(a, sizeof *c);
    c->fn = fn;
    c->p = p;
    c->next = a->cleanups;
    a->cleanups = c;
}

static void buf_cleanup(void *p) { buf_free(p); }

buf *va_buf(varena *a) {
    buf *b = va_zalloc(a, sizeof *b);
    va_on_free(a, buf_cleanup, b);
    return b;
}

/* ---- constructors ------------------------------------------------------ */

vval v_strdup(varena *a, const char *p, size_t n) {
    if (n > VTL_MAX_STRING) va_fail(a, "a string grew past %u MiB", VTL_MAX_STRING >> 20);
    return v_str(va_strndup(a, p, n), n);
}

vval v_list_new(varena *a, size_t cap, uint8_t flags) {
    vval v = {.k = VK_LIST, .f = flags};
    v.u.l = va_zalloc(a, sizeof *v.u.l);
    if (cap) {
        v.u.l->v = va_alloc(a, cap * sizeof(vval));
        v.u.l->cap = cap;
    }
    return v;
}

void v_list_push(varena *a, vval list, vval item) {
    vlist *l = list.u.l;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4;
        vval *nv = va_alloc(a, cap * sizeof(vval));
        if (l->n) memcpy(nv, l->v, l->n * sizeof(vval));
        l->v = nv;
        l->cap = cap;
    }
    l->v[l->n++] = item;
}

vval v_map_new(varena *a, uint8_t flags) {
    vval v = {.k = VK_MAP, .f = flags};
    v.u.m = va_zalloc(a, sizeof *v.u.m);
    return v;
}

static uint64_t v_hash(vval k) {
    uint64_t h = 1469598103934665603ull;
    switch (k.k) {
    case VK_STR:
        for (size_t i = 0; i < k.u.s.n; i++) h = (h ^ (unsigned char)k.u.s.p[i]) * 1099511628211ull;
        return h;
    case VK_INT: return (uint64_t)k.u.i * 0x9E3779B97F4A7C15ull;
    case VK_DBL: {
        uint64_t b;
        memcpy(&b, &k.u.d, sizeof b);
        return b * 0x9E3779B97F4A7C15ull;
    }
    case VK_BOOL: return k.u.b ? 1231 : 1237;
    default: return 7; /* lists and maps as keys: rare, found by scanning */
    }
}

static void map_reindex(varena *a, vmap *m) {
    size_t icap = 64;
    while (icap < m->n * 2) icap *= 2;
    m->idx = va_alloc(a, icap * sizeof(int32_t));
    for (size_t i = 0; i < icap; i++) m->idx[i] = -1;
    m->icap = icap;
    for (size_t i = 0; i < m->n; i++) {
        size_t h = (size_t)v_hash(m->k[i]) & (icap - 1);
        while (m->idx[h] >= 0) h = (h + 1) & (icap - 1);
        m->idx[h] = (int32_t)i;
    }
}

static long map_find(const vmap *m, vval key) {
    if (m->idx) {
        size_t h = (size_t)v_hash(key) & (m->icap - 1);
        while (m->idx[h] >= 0) {
            if (v_java_equals(m->k[m->idx[h]], key)) return m->idx[h];
            h = (h + 1) & (m->icap - 1);
        }
        return -1;
    }
    for (size_t i = 0; i < m->n; i++)
        if (v_java_equals(m->k[i], key)) return (long)i;
    return -1;
}

vval v_map_put(varena *a, vval map, vval key, vval value) {
    vmap *m = map.u.m;
    long i = map_find(m, key);
    if (i >= 0) {
        vval old = m->v[i];
        m->v[i] = value;
        return old;
    }
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 4;
        vval *nk = va_alloc(a, cap * sizeof(vval)), *nv = va_alloc(a, cap * sizeof(vval));
        if (m->n) {
            memcpy(nk, m->k, m->n * sizeof(vval));
            memcpy(nv, m->v, m->n * sizeof(vval));
        }
        m->k = nk;
        m->v = nv;
        m->cap = cap;
    }
    m->k[m->n] = key;
    m->v[m->n] = value;
    m->n++;
    if (m->n > 16 && (!m->idx || m->n * 2 > m->icap)) {
        map_reindex(a, m);
    } else if (m->idx) {
        size_t h = (size_t)v_hash(key) & (m->icap - 1);
        while (m->idx[h] >= 0) h = (h + 1) & (m->icap - 1);
        m->idx[h] = (int32_t)(m->n - 1);
    }
    return v_null();
}

bool v_map_get(const vmap *m, vval key, vval *out) {
    long i = map_find(m, key);
    if (i < 0) return false;
    *out = m->v[i];
    return true;
}

bool v_map_get_str(const vmap *m, const char *k, size_t n, vval *out) {
    return v_map_get(m, v_str(k, n), out);
}

vval v_map_remove(varena *a, vval map, vval key) {
    vmap *m = map.u.m;
    long i = map_find(m, key);
    if (i < 0) return v_null();
    vval old = m->v[i];
    memmove(m->k + i, m->k + i + 1, (m->n - (size_t)i - 1) * sizeof(vval));
    memmove(m->v + i, m->v + i + 1, (m->n - (size_t)i - 1) * sizeof(vval));
    m->n--;
    if (m->idx) map_reindex(a, m);
    return old;
}

/* ---- equals -------------------------------------------------------------- */

static bool is_list(vval v) { return v.k == VK_LIST; }

bool v_java_equals(vval a, vval b) {
    if (a.k != b.k) return false;
    switch (a.k) {
    case VK_NULL: return true;
    case VK_BOOL: return a.u.b == b.u.b;
    case VK_INT: return a.u.i == b.u.i && (a.f & VF_LONG) == (b.f & VF_LONG);
    case VK_DBL: return a.u.d == b.u.d || (isnan(a.u.d) && isnan(b.u.d));
    case VK_STR:
        return (a.f & VF_CHAR) == (b.f & VF_CHAR) && a.u.s.n == b.u.s.n &&
               memcmp(a.u.s.p, b.u.s.p, a.u.s.n) == 0;
    case VK_LIST:
        if (!is_list(b) || a.u.l->n != b.u.l->n) return false;
        if (a.u.l == b.u.l) return true;
        for (size_t i = 0; i < a.u.l->n; i++)
            if (!v_java_equals(a.u.l->v[i], b.u.l->v[i])) return false;
        return true;
    case VK_MAP:
        if (a.u.m->n != b.u.m->n) return false;
        if (a.u.m == b.u.m) return true;
        for (size_t i = 0; i < a.u.m->n; i++) {
            vval o;
            if (!v_map_get(b.u.m, a.u.m->k[i], &o) || !v_java_equals(a.u.m->v[i], o)) return false;
        }
        return true;
    case VK_ENTRY: return v_java_equals(a.u.en->k, b.u.en->k) && v_java_equals(a.u.en->v, b.u.en->v);
    case VK_SCOPE: return a.u.sc == b.u.sc;
    case VK_BLOCK: return a.u.blk == b.u.blk;
    default: return true; /* $input, $util: one object each */
    }
}

/* ---- Java's Double.toString ---------------------------------------------- */

/* Shortest decimal digits that read back as d (what Java 19+ prints; older
 * Javas print the same except for rare values). */
static int shortest_digits(double d, char *digits, int *exp10) {
    char tmp[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, d);
        if (strtod(tmp, NULL) == d || prec == 17) {
            int n = 0;
            const char *p = tmp;
            for (; *p && *p != 'e'; p++)
                if (*p >= '0' && *p <= '9') digits[n++] = *p;
            while (n > 1 && digits[n - 1] == '0') n--;
            digits[n] = '\0';
            *exp10 = atoi(p + 1);
            return n;
        }
    }
    return 0;
}

void v_java_double(double d, buf *out) {
    if (isnan(d)) { buf_puts(out, "NaN"); return; }
    if (isinf(d)) { buf_puts(out, d > 0 ? "Infinity" : "-Infinity"); return; }
    if (d == 0) { buf_puts(out, signbit(d) ? "-0.0" : "0.0"); return; }
    if (d < 0) {
        buf_putc(out, '-');
        d = -d;
    }
    char dg[24];
    int e, n = shortest_digits(d, dg, &e); /* d = 0.d1d2... × 10^(e+1) */
    if (d >= 1e-3 && d < 1e7) {
        if (e >= 0) {
            for (int i = 0; i <= e; i++) buf_putc(out, i < n ? dg[i] : '0');
            buf_putc(out, '.');
            if (n > e + 1) buf_add(out, dg + e + 1, (size_t)(n - e - 1));
            else buf_putc(out, '0');
        } else {
            buf_puts(out, "0.");
            for (int i = 0; i < -e - 1; i++) buf_putc(out, '0');
            buf_add(out, dg, (size_t)n);
        }
        return;
    }
    buf_putc(out, dg[0]);
    buf_putc(out, '.');
    if (n > 1) buf_add(out, dg + 1, (size_t)(n - 1));
    else buf_putc(out, '0');
    buf_printf(out, "E%d", e);
}

/* ---- toString ------------------------------------------------------------ */

void v_json_escape(const char *s, size_t n, buf *out) {
    static const char hex[] = "0123456789ABCDEF";
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        case '/': esc = "\\/"; break;
        default: break;
        }
        if (esc) {
            buf_puts(out, esc);
            i++;
            continue;
        }
        /* json-smart's "web" protection: C0, DEL..C1 and U+2000..U+20FF. */
        unsigned cp = c;
        size_t len = 1;
        if (c >= 0xC0 && c < 0xE0 && i + 1 < n) {
            cp = ((c & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu);
            len = 2;
        } else if (c >= 0xE0 && c < 0xF0 && i + 2 < n) {
            cp = ((c & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
            len = 3;
        }
        if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x2000 && cp <= 0x20FF)) {
            char u[7] = {'\\', 'u', hex[cp >> 12 & 15], hex[cp >> 8 & 15], hex[cp >> 4 & 15],
                         hex[cp & 15], 0};
            buf_puts(out, u);
        } else {
            buf_add(out, s + i, len);
        }
        i += len;
    }
}

static void print_check(vprint *pr, buf *out) {
    if (pr->limit && out->len > pr->limit)
        va_fail(pr->a, "the template's output is larger than %zu MiB", pr->limit >> 20);
}

static void print_list(vprint *pr, vval v, buf *out, bool json, int depth) {
    const vlist *l = v.u.l;
    buf_putc(out, '[');
    for (size_t i = 0; i < l->n; i++) {
        if (i) buf_puts(out, json ? "," : ", ");
        if (!json && l->v[i].k == VK_LIST && l->v[i].u.l == l) buf_puts(out, "(this Collection)");
        else v_print(pr, l->v[i], out, json, depth + 1);
        print_check(pr, out);
    }
    buf_putc(out, ']');
}

static void print_map(vprint *pr, vval v, buf *out, bool json, int depth) {
    const vmap *m = v.u.m;
    buf_putc(out, '{');
    for (size_t i = 0; i < m->n; i++) {
        if (i) buf_puts(out, json ? "," : ", ");
        if (json) {
            buf_putc(out, '"');
            if (m->k[i].k == VK_STR) {
                v_json_escape(m->k[i].u.s.p, m->k[i].u.s.n, out);
            } else {
                buf *tmp = va_buf(pr->a);
                v_print(pr, m->k[i], tmp, false, depth + 1);
                v_json_escape(tmp->data ? tmp->data : "", tmp->len, out);
                buf_free(tmp);
            }
            buf_puts(out, "\":");
            v_print(pr, m->v[i], out, true, depth + 1);
        } else {
            v_print(pr, m->k[i], out, false, depth + 1);
            buf_putc(out, '=');
            if (m->v[i].k == VK_MAP && m->v[i].u.m == m) buf_puts(out, "(this Map)");
            else v_print(pr, m->v[i], out, false, depth + 1);
        }
        print_check(pr, out);
    }
    buf_putc(out, '}');
}

void v_print(vprint *pr, vval v, buf *out, bool json, int depth) {
    if (depth > VTL_MAX_PRINT_DEPTH)
        va_fail(pr->a, "StackOverflowError: lists or maps nested more than %d deep",
                VTL_MAX_PRINT_DEPTH);
    switch (v.k) {
    case VK_NULL: buf_puts(out, "null"); break;
    case VK_BOOL: buf_puts(out, v.u.b ? "true" : "false"); break;
    case VK_INT: buf_printf(out, "%lld", (long long)v.u.i); break;
    case VK_DBL:
        if (json && isinf(v.u.d)) buf_puts(out, "null");
        else v_java_double(v.u.d, out);
        break;
    case VK_STR:
        if (json) {
            buf_putc(out, '"');
            v_json_escape(v.u.s.p, v.u.s.n, out);
            buf_putc(out, '"');
        } else {
            buf_add(out, v.u.s.p, v.u.s.n);
        }
        break;
    case VK_LIST:
        /* A Java array prints its type and identity, never its elements. */
        if ((v.f & VF_ARRAY) && !json) buf_puts(out, "[Ljava.lang.String;@1b6d3586");
        else print_list(pr, v, out, json || (v.f & VF_JSON), depth);
        break;
    case VK_MAP: print_map(pr, v, out, json, depth); break;
    case VK_ENTRY:
        v_print(pr, v.u.en->k, out, json, depth + 1);
        buf_putc(out, '=');
        v_print(pr, v.u.en->v, out, json, depth + 1);
        break;
    case VK_INPUT: buf_puts(out, "$input"); break; /* a Java object's identity in AWS */
    case VK_UTIL: buf_puts(out, "$util"); break;
    case VK_SCOPE: buf_puts(out, "$foreach"); break;
    case VK_BLOCK:
        if (pr->block) pr->block(pr->rs, v.u.blk, out);
        break;
    }
    print_check(pr, out);
}

/* ---- JSON text → values ----------------------------------------------- */

typedef struct jparse {
    varena *a;
    const char *s, *end;
    const char *msg;
    int depth;
} jparse;

static void jp_ws(jparse *p) {
    while (p->s < p->end && (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r'))
        p->s++;
}

static void put_utf8(buf *b, unsigned cp) {
    char o[4];
    if (cp < 0x80) {
        buf_putc(b, (char)cp);
    } else if (cp < 0x800) {
        o[0] = (char)(0xC0 | cp >> 6);
        o[1] = (char)(0x80 | (cp & 0x3F));
        buf_add(b, o, 2);
    } else if (cp < 0x10000) {
        o[0] = (char)(0xE0 | cp >> 12);
        o[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        buf_add(b, o, 3);
    } else {
        o[0] = (char)(0xF0 | cp >> 18);
        o[1] = (char)(0x80 | (cp >> 12 & 0x3F));
        o[2] = (char)(0x80 | (cp >> 6 & 0x3F));
        o[3] = (char)(0x80 | (cp & 0x3F));
        buf_add(b, o, 4);
    }
}

static int hex4(const char *s, const char *end, unsigned *out) {
    if (end - s < 4) return -1;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
        else return -1;
    }
    *out = v;
    return 0;
}

static bool jp_string(jparse *p, vval *out) {
    p->s++; /* opening quote */
    const char *start = p->s;
    while (p->s < p->end && *p->s != '"' && *p->s != '\\' && (unsigned char)*p->s >= 0x20) p->s++;
    if (p->s < p->end && *p->s == '"') { /* no escapes: point into a copy */
        *out = v_strdup(p->a, start, (size_t)(p->s - start));
        p->s++;
        return true;
    }
    buf *b = va_buf(p->a);
    buf_add(b, start, (size_t)(p->s - start));
    while (p->s < p->end && *p->s != '"') {
        unsigned char c = (unsigned char)*p->s;
        if (c < 0x20) goto bad;
        if (c != '\\') {
            buf_putc(b, (char)c);
            p->s++;
            continue;
        }
        if (++p->s >= p->end) goto bad;
        char e = *p->s++;
        switch (e) {
        case '"': buf_putc(b, '"'); break;
        case '\\': buf_putc(b, '\\'); break;
        case '/': buf_putc(b, '/'); break;
        case 'b': buf_putc(b, '\b'); break;
        case 'f': buf_putc(b, '\f'); break;
        case 'n': buf_putc(b, '\n'); break;
        case 'r': buf_putc(b, '\r'); break;
        case 't': buf_putc(b, '\t'); break;
        case 'u': {
            unsigned cp, lo;
            if (hex4(p->s, p->end, &cp)) goto bad;
            p->s += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && p->end - p->s >= 6 && p->s[0] == '\\' &&
                p->s[1] == 'u' && !hex4(p->s + 2, p->end, &lo) && lo >= 0xDC00 && lo < 0xE000) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                p->s += 6;
            } else if (cp >= 0xD800 && cp < 0xE000) {
                cp = 0xFFFD; /* a lone surrogate cannot be UTF-8 */
            }
            put_utf8(b, cp);
            break;
        }
        default: goto bad;
        }
    }
    if (p->s >= p->end) goto bad;
    p->s++;
    *out = v_strdup(p->a, b->data ? b->data : "", b->len);
    buf_free(b);
    return true;
bad:
    buf_free(b);
    p->msg = "invalid string";
    return false;
}

static bool jp_number(jparse *p, vval *out) {
    const char *st = p->s;
    bool integral = true;
    if (p->s < p->end && *p->s == '-') p->s++;
    if (p->s >= p->end || *p->s < '0' || *p->s > '9') goto bad;
    if (*p->s == '0') p->s++;
    else
        while (p->s < p->end && *p->s >= '0' && *p->s <= '9') p->s++;
    if (p->s < p->end && *p->s == '.') {
        integral = false;
        p->s++;
        if (p->s >= p->end || *p->s < '0' || *p->s > '9') goto bad;
        while (p->s < p->end && *p->s >= '0' && *p->s <= '9') p->s++;
    }
    if (p->s < p->end && (*p->s == 'e' || *p->s == 'E')) {
        integral = false;
        p->s++;
        if (p->s < p->end && (*p->s == '+' || *p->s == '-')) p->s++;
        if (p->s >= p->end || *p->s < '0' || *p->s > '9') goto bad;
        while (p->s < p->end && *p->s >= '0' && *p->s <= '9') p->s++;
    }
    char tmp[64];
    size_t n = (size_t)(p->s - st);
    if (n >= sizeof tmp) { /* very long numbers: as a double, like BigDecimal's value */
        char *big = va_strndup(p->a, st, n);
        *out = v_dbl(strtod(big, NULL));
        return true;
    }
    memcpy(tmp, st, n);
    tmp[n] = '\0';
    if (integral) {
        errno = 0;
        long long v = strtoll(tmp, NULL, 10);
        if (errno == 0) {
            *out = v_int(v);
            return true;
        }
    }
    *out = v_dbl(strtod(tmp, NULL));
    return true;
bad:
    p->msg = "invalid number";
    return false;
}

static bool jp_value(jparse *p, vval *out);

static bool jp_array(jparse *p, vval *out) {
    p->s++;
    vval l = v_list_new(p->a, 0, VF_JSON);
    jp_ws(p);
    if (p->s < p->end && *p->s == ']') {
        p->s++;
        *out = l;
        return true;
    }
    for (;;) {
        vval item;
        if (!jp_value(p, &item)) return false;
        v_list_push(p->a, l, item);
        jp_ws(p);
        if (p->s < p->end && *p->s == ',') {
            p->s++;
            continue;
        }
        if (p->s < p->end && *p->s == ']') {
            p->s++;
            *out = l;
            return true;
        }
        p->msg = "expected , or ]";
        return false;
    }
}

static bool jp_object(jparse *p, vval *out) {
    p->s++;
    vval m = v_map_new(p->a, VF_JSON);
    jp_ws(p);
    if (p->s < p->end && *p->s == '}') {
        p->s++;
        *out = m;
        return true;
    }
    for (;;) {
        vval k, v;
        jp_ws(p);
        if (p->s >= p->end || *p->s != '"') {
            p->msg = "expected a member name";
            return false;
        }
        if (!jp_string(p, &k)) return false;
        jp_ws(p);
        if (p->s >= p->end || *p->s != ':') {
            p->msg = "expected :";
            return false;
        }
        p->s++;
        if (!jp_value(p, &v)) return false;
        v_map_put(p->a, m, k, v);
        jp_ws(p);
        if (p->s < p->end && *p->s == ',') {
            p->s++;
            continue;
        }
        if (p->s < p->end && *p->s == '}') {
            p->s++;
            *out = m;
            return true;
        }
        p->msg = "expected , or }";
        return false;
    }
}

static bool jp_word(jparse *p, const char *w, vval v, vval *out) {
    size_t n = strlen(w);
    if ((size_t)(p->end - p->s) < n || memcmp(p->s, w, n) != 0) {
        p->msg = "unexpected character";
        return false;
    }
    p->s += n;
    *out = v;
    return true;
}

static bool jp_value(jparse *p, vval *out) {
    jp_ws(p);
    if (p->s >= p->end) {
        p->msg = "unexpected end of JSON";
        return false;
    }
    if (++p->depth > VTL_MAX_JSON_DEPTH) {
        p->msg = "JSON nested too deeply";
        return false;
    }
    bool ok;
    switch (*p->s) {
    case '{': ok = jp_object(p, out); break;
    case '[': ok = jp_array(p, out); break;
    case '"': ok = jp_string(p, out); break;
    case 't': ok = jp_word(p, "true", v_bool(true), out); break;
    case 'f': ok = jp_word(p, "false", v_bool(false), out); break;
    case 'n': ok = jp_word(p, "null", v_null(), out); break;
    default: ok = jp_number(p, out); break;
    }
    p->depth--;
    return ok;
}

bool v_json_parse(varena *a, const char *s, size_t n, vval *out, const char **msg) {
    jparse p = {.a = a, .s = s, .end = s + n};
    if (!jp_value(&p, out)) {
        *msg = p.msg;
        return false;
    }
    jp_ws(&p);
    if (p.s != p.end) {
        *msg = "unexpected data after the JSON value";
        return false;
    }
    return true;
}

/* ---- JSONPath over values -------------------------------------------------- */

static int vj_kind(const void *n) {
    const vval *v = n;
    return v->k == VK_MAP ? JP_OBJ : v->k == VK_LIST ? JP_ARR : JP_OTHER;
}
static size_t vj_count(const void *n) {
    const vval *v = n;
    return v->k == VK_MAP ? v->u.m->n : v->k == VK_LIST ? v->u.l->n : 0;
}
static const void *vj_child(const void *n, size_t i, const void *prev) {
    const vval *v = n;
    (void)prev;
    return v->k == VK_MAP ? (const void *)&v->u.m->v[i] : (const void *)&v->u.l->v[i];
}
static const char *vj_key(const void *n, size_t i, const void *child, size_t *len) {
    const vval *v = n;
    (void)child;
    const vval *k = &v->u.m->k[i];
    if (k->k != VK_STR) {
        *len = 0;
        return "";
    }
    *len = k->u.s.n;
    return k->u.s.p;
}

const jp_ops vtl_jp_ops = {vj_kind, vj_count, vj_child, vj_key};
