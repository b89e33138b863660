/* Java methods callable from templates: java.lang.String, Integer, Long,
 * Double, Boolean, java.util.List and Map (and Map.Entry), Velocity's
 * $foreach scope, and API Gateway's $input and $util. Static methods are
 * reachable through any instance, as in Java ($Integer.parseInt("1") where
 * $Integer is 1). A method that does not exist, or whose arguments do not
 * fit, returns false: the reference then prints as written. A method that
 * throws in Java fails the render (vtl_throw). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vtl_internal.h"

vval vtl_input_body(vrender *rs);
vval vtl_input_params(vrender *rs);
const vtl_input *vtl_render_input(vrender *rs);
void vtl_request_break(vrender *rs, vscope *target);

#define IS(lit) (nlen == sizeof(lit) - 1 && memcmp(name, lit, nlen) == 0)

static bool is_jstr(vval v) { return v.k == VK_STR && !(v.f & VF_CHAR); }
static bool is_jint(vval v) { return v.k == VK_INT && !(v.f & VF_LONG); }
static bool is_jlong(vval v) { return v.k == VK_INT; }
static bool is_num(vval v) { return v.k == VK_INT || v.k == VK_DBL; }
static double num_d(vval v) { return v.k == VK_INT ? (double)v.u.i : v.u.d; }

static vval mk(vrender *rs, const char *p, size_t n) { return v_strdup(vtl_arena(rs), p, n); }
static vval mkbuf(vrender *rs, buf *b) {
    vval v = mk(rs, b->data ? b->data : "", b->len);
    buf_free(b);
    return v;
}
static vval mkz(const char *s) { return v_str(s, strlen(s)); }

/* What Java's "For input string" messages quote. */
static void quoted(char *dst, size_t cap, vval s) {
    size_t n = s.u.s.n < cap - 1 ? s.u.s.n : cap - 1;
    memcpy(dst, s.u.s.p, n);
    dst[n] = '\0';
}

/* ---- UTF-16 view ---------------------------------------------------------- */

static bool ascii(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80) return false;
    return true;
}

static size_t seq_len(unsigned char c) { return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4; }

size_t vtl_u16_len(const char *s, size_t n) {
    if (ascii(s, n)) return n;
    size_t u = 0;
    for (size_t i = 0; i < n;) {
        size_t l = seq_len((unsigned char)s[i]);
        u += l == 4 ? 2 : 1;
        i += l;
    }
    return u;
}

size_t vtl_u16_off(const char *s, size_t n, size_t idx) {
    size_t u = 0, i = 0;
    while (i < n && u < idx) {
        size_t l = seq_len((unsigned char)s[i]);
        if (l == 4 && u + 1 == idx) break; /* inside a surrogate pair */
        u += l == 4 ? 2 : 1;
        i += l;
    }
    return i > n ? n : i;
}

/* Decode UTF-16 unit number k of s (for charAt, hashCode, compareTo). */
static unsigned cp_at(const char *s, size_t n, size_t *i) {
    unsigned char c = (unsigned char)s[*i];
    size_t l = seq_len(c);
    if (*i + l > n) l = n - *i;
    unsigned cp = l == 1 ? c : l == 2 ? c & 0x1Fu : l == 3 ? c & 0x0Fu : c & 0x07u;
    for (size_t k = 1; k < l; k++) cp = (cp << 6) | ((unsigned char)s[*i + k] & 0x3Fu);
    *i += l ? l : 1;
    return cp;
}

typedef struct u16it {
    const char *s;
    size_t n, i;
    unsigned pending; /* low surrogate still to return */
} u16it;

static bool u16_next(u16it *it, unsigned *u) {
    if (it->pending) {
        *u = it->pending;
        it->pending = 0;
        return true;
    }
    if (it->i >= it->n) return false;
    unsigned cp = cp_at(it->s, it->n, &it->i);
    if (cp >= 0x10000) {
        cp -= 0x10000;
        *u = 0xD800 + (cp >> 10);
        it->pending = 0xDC00 + (cp & 0x3FF);
    } else {
        *u = cp;
    }
    return true;
}

static int64_t u16_index_of_off(const char *s, size_t off) { return (int64_t)vtl_u16_len(s, off); }

/* ---- numbers ---------------------------------------------------------------- */

static bool parse_integer(vval s, int radix, int64_t min, int64_t max, int64_t *out) {
    const char *p = s.u.s.p;
    size_t n = s.u.s.n, i = 0;
    if (!n || radix < 2 || radix > 36) return false;
    bool neg = false;
    if (p[0] == '-' || p[0] == '+') {
        neg = p[0] == '-';
        if (++i == n) return false;
    }
    uint64_t limit = neg ? (uint64_t)(-(min + 1)) + 1 : (uint64_t)max, v = 0;
    for (; i < n; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'z' ? c - 'a' + 10
                : c >= 'A' && c <= 'Z' ? c - 'A' + 10 : 99;
        if (d >= radix) return false;
        if (v > (limit - (uint64_t)d) / (uint64_t)radix) return false;
        v = v * (uint64_t)radix + (uint64_t)d;
    }
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

_Noreturn static void nfe(vrender *rs, int off, vval s) {
    char q[200];
    quoted(q, sizeof q, s);
    vtl_throw(rs, off, "NumberFormatException: For input string: \"%s\"", q);
}

static vval parse_int_or_throw(vrender *rs, vval s, int radix, bool is_long, int off) {
    if (s.k == VK_NULL) vtl_throw(rs, off, "NumberFormatException: null");
    int64_t v;
    if (!parse_integer(s, radix, is_long ? INT64_MIN : INT32_MIN, is_long ? INT64_MAX : INT32_MAX, &v))
        nfe(rs, off, s);
    vval r = v_int(v);
    if (is_long) r.f |= VF_LONG;
    return r;
}

/* Java's Double.parseDouble grammar (decimal and the two special words). */
static vval parse_double_or_throw(vrender *rs, vval s, int off) {
    if (s.k == VK_NULL) vtl_throw(rs, off, "NullPointerException");
    const char *p = s.u.s.p;
    size_t b = 0, e = s.u.s.n;
    while (b < e && (unsigned char)p[b] <= ' ') b++;
    while (e > b && (unsigned char)p[e - 1] <= ' ') e--;
    if (b == e) vtl_throw(rs, off, "NumberFormatException: empty String");
    char tmp[400];
    size_t n = e - b;
    if (n >= sizeof tmp) nfe(rs, off, s);
    memcpy(tmp, p + b, n);
    tmp[n] = '\0';
    size_t i = 0;
    if (tmp[i] == '+' || tmp[i] == '-') i++;
    if (!strcmp(tmp + i, "NaN")) return v_dbl(NAN);
    if (!strcmp(tmp + i, "Infinity")) return v_dbl(tmp[0] == '-' ? -INFINITY : INFINITY);
    size_t digits = 0;
    while (tmp[i] >= '0' && tmp[i] <= '9') i++, digits++;
    if (tmp[i] == '.') {
        i++;
        while (tmp[i] >= '0' && tmp[i] <= '9') i++, digits++;
    }
    if (!digits) nfe(rs, off, s);
    if (tmp[i] == 'e' || tmp[i] == 'E') {
        i++;
        if (tmp[i] == '+' || tmp[i] == '-') i++;
        if (tmp[i] < '0' || tmp[i] > '9') nfe(rs, off, s);
        while (tmp[i] >= '0' && tmp[i] <= '9') i++;
    }
    if (tmp[i] && strchr("fFdD", tmp[i])) tmp[i++] = '\0';
    if (tmp[i]) nfe(rs, off, s);
    return v_dbl(strtod(tmp, NULL));
}

static int32_t to_int32(double d) {
    if (isnan(d)) return 0;
    if (d >= 2147483647.0) return INT32_MAX;
    if (d <= -2147483648.0) return INT32_MIN;
    return (int32_t)d;
}

static int64_t to_int64(double d) {
    if (isnan(d)) return 0;
    if (d >= 9223372036854775807.0) return INT64_MAX;
    if (d <= -9223372036854775808.0) return INT64_MIN;
    return (int64_t)d;
}

static vval radix_string(vrender *rs, uint64_t v, int shift_bits, bool neg_signed, int64_t sv, int radix) {
    char tmp[80];
    size_t k = sizeof tmp;
    tmp[--k] = '\0';
    const char *dg = "0123456789abcdefghijklmnopqrstuvwxyz";
    if (shift_bits) { /* toHexString & co: unsigned two's complement */
        do {
            tmp[--k] = dg[v & ((1u << shift_bits) - 1)];
            v >>= shift_bits;
        } while (v);
    } else {
        uint64_t u = neg_signed ? (uint64_t)0 - (uint64_t)sv : (uint64_t)sv;
        do {
            tmp[--k] = dg[u % (uint64_t)radix];
            u /= (uint64_t)radix;
        } while (u);
        if (neg_signed) tmp[--k] = '-';
    }
    return mk(rs, tmp + k, sizeof tmp - 1 - k);
}

static vval num_to_string(vrender *rs, vval v) {
    buf *b = va_buf(vtl_arena(rs));
    if (v.k == VK_INT) buf_printf(b, "%lld", (long long)v.u.i);
    else v_java_double(v.u.d, b);
    return mkbuf(rs, b);
}

static int32_t java_str_hash(vval s) {
    uint32_t h = 0;
    u16it it = {s.u.s.p, s.u.s.n, 0, 0};
    unsigned u;
    while (u16_next(&it, &u)) h = 31 * h + u;
    return (int32_t)h;
}

/* Integer and Long (statics included). */
static bool int_method(vrender *rs, vval self, const char *name, size_t nlen, vval *a, int n,
                       vval *out, int off) {
    bool lng = (self.f & VF_LONG) != 0;
    if ((IS("parseInt") && !lng) || (IS("parseLong") && lng) || IS("valueOf")) {
        if (IS("valueOf") && n == 1 && a[0].k == VK_INT) {
            *out = a[0];
            return true;
        }
        if (n == 1 && (a[0].k == VK_NULL || is_jstr(a[0]))) {
            *out = parse_int_or_throw(rs, a[0], 10, lng, off);
            return true;
        }
        if (n == 2 && (a[0].k == VK_NULL || is_jstr(a[0])) && is_jint(a[1])) {
            *out = parse_int_or_throw(rs, a[0], (int)a[1].u.i, lng, off);
            return true;
        }
        return false;
    }
    if (IS("toString")) {
        if (n == 0) *out = num_to_string(rs, self);
        else if (n == 1 && is_jlong(a[0])) *out = num_to_string(rs, a[0]);
        else if (n == 2 && is_jlong(a[0]) && is_jint(a[1]))
            *out = radix_string(rs, 0, 0, a[0].u.i < 0, a[0].u.i,
                                a[1].u.i >= 2 && a[1].u.i <= 36 ? (int)a[1].u.i : 10);
        else return false;
        return true;
    }
    if (n == 0) {
        if (IS("intValue")) *out = v_int((int32_t)(uint32_t)(uint64_t)self.u.i);
        else if (IS("longValue")) { *out = self; out->f |= VF_LONG; }
        else if (IS("doubleValue")) *out = v_dbl((double)self.u.i);
        else if (IS("hashCode")) *out = v_int(lng ? (int32_t)(self.u.i ^ (int64_t)((uint64_t)self.u.i >> 32)) : self.u.i);
        else return false;
        return true;
    }
    if (n == 1 && (IS("toHexString") || IS("toBinaryString") || IS("toOctalString")) && is_jlong(a[0])) {
        uint64_t v = lng ? (uint64_t)a[0].u.i : (uint64_t)(uint32_t)(int32_t)a[0].u.i;
        *out = radix_string(rs, v, IS("toHexString") ? 4 : IS("toOctalString") ? 3 : 1, false, 0, 0);
        return true;
    }
    if (n == 1 && IS("signum") && is_jlong(a[0])) {
        *out = v_int(a[0].u.i > 0 ? 1 : a[0].u.i < 0 ? -1 : 0);
        return true;
    }
    if (n == 1 && IS("compareTo") && a[0].k == VK_INT) {
        *out = v_int(self.u.i < a[0].u.i ? -1 : self.u.i > a[0].u.i);
        return true;
    }
    if (n == 2 && (IS("max") || IS("min") || IS("sum") || IS("compare")) && is_jlong(a[0]) && is_jlong(a[1])) {
        int64_t x = a[0].u.i, y = a[1].u.i, r;
        if (IS("max")) r = x > y ? x : y;
        else if (IS("min")) r = x < y ? x : y;
        else if (IS("compare")) r = x < y ? -1 : x > y;
        else {
            r = (int64_t)((uint64_t)x + (uint64_t)y);
            if (!lng) r = (int32_t)(uint32_t)(uint64_t)r; /* int arithmetic wraps */
        }
        *out = v_int(r);
        return true;
    }
    return false;
}

static bool dbl_method(vrender *rs, vval self, const char *name, size_t nlen, vval *a, int n,
                       vval *out, int off) {
    double d = self.u.d;
    if ((IS("parseDouble") || IS("valueOf")) && n == 1) {
        if (IS("valueOf") && a[0].k == VK_DBL) {
            *out = a[0];
            return true;
        }
        if (a[0].k != VK_NULL && !is_jstr(a[0])) {
            if (IS("valueOf") && a[0].k == VK_INT) { /* valueOf(double) by widening */
                *out = v_dbl((double)a[0].u.i);
                return true;
            }
            return false;
        }
        *out = parse_double_or_throw(rs, a[0], off);
        return true;
    }
    if (IS("toString")) {
        if (n == 0) *out = num_to_string(rs, self);
        else if (n == 1 && is_num(a[0])) *out = num_to_string(rs, v_dbl(num_d(a[0])));
        else return false;
        return true;
    }
    if (n == 0) {
        if (IS("intValue")) *out = v_int(to_int32(d));
        else if (IS("longValue")) { *out = v_int(to_int64(d)); out->f |= VF_LONG; }
        else if (IS("doubleValue")) *out = self;
        else if (IS("isNaN")) *out = v_bool(isnan(d));
        else if (IS("isInfinite")) *out = v_bool(isinf(d));
        else return false;
        return true;
    }
    if (n == 1 && (IS("isNaN") || IS("isInfinite")) && is_num(a[0])) {
        double x = num_d(a[0]);
        *out = v_bool(IS("isNaN") ? isnan(x) : isinf(x));
        return true;
    }
    if (n == 1 && IS("compareTo") && a[0].k == VK_DBL) {
        *out = v_int(d < a[0].u.d ? -1 : d > a[0].u.d);
        return true;
    }
    if (n == 2 && (IS("max") || IS("min") || IS("sum")) && is_num(a[0]) && is_num(a[1])) {
        double x = num_d(a[0]), y = num_d(a[1]);
        *out = v_dbl(IS("max") ? fmax(x, y) : IS("min") ? fmin(x, y) : x + y);
        return true;
    }
    return false;
}

static bool bool_method(vrender *rs, vval self, const char *name, size_t nlen, vval *a, int n,
                        vval *out) {
    if (n == 0 && IS("booleanValue")) *out = self;
    else if (n == 0 && IS("toString")) *out = mkz(self.u.b ? "true" : "false");
    else if (n == 1 && (IS("parseBoolean") || IS("valueOf")) && (a[0].k == VK_NULL || is_jstr(a[0])))
        *out = v_bool(a[0].k == VK_STR && a[0].u.s.n == 4 && strncasecmp(a[0].u.s.p, "true", 4) == 0);
    else if (n == 1 && IS("valueOf") && a[0].k == VK_BOOL) *out = a[0];
    else return false;
    (void)rs;
    return true;
}

/* ---- String ------------------------------------------------------------------ */

static vval substr(vrender *rs, vval s, int64_t b, int64_t e, int off) {
    int64_t len = (int64_t)vtl_u16_len(s.u.s.p, s.u.s.n);
    if (b < 0 || e > len || b > e)
        vtl_throw(rs, off, "StringIndexOutOfBoundsException: begin %lld, end %lld, length %lld",
                  (long long)b, (long long)e, (long long)len);
    size_t bo = vtl_u16_off(s.u.s.p, s.u.s.n, (size_t)b), eo = vtl_u16_off(s.u.s.p, s.u.s.n, (size_t)e);
    return v_str(s.u.s.p + bo, eo - bo);
}

static const char *find(const char *h, size_t hn, const char *nd, size_t nn, size_t from) {
    if (nn == 0) return from <= hn ? h + from : NULL;
    if (hn < nn) return NULL;
    for (size_t i = from; i + nn <= hn; i++)
        if (h[i] == nd[0] && memcmp(h + i, nd, nn) == 0) return h + i;
    return NULL;
}

static vval case_map(vrender *rs, vval s, bool upper) {
    char *p = va_alloc(vtl_arena(rs), s.u.s.n + 1);
    const unsigned char *q = (const unsigned char *)s.u.s.p;
    for (size_t i = 0; i < s.u.s.n; i++) {
        unsigned char c = q[i];
        if (upper && c >= 'a' && c <= 'z') c = (unsigned char)(c - 32);
        else if (!upper && c >= 'A' && c <= 'Z') c = (unsigned char)(c + 32);
        else if (c == 0xC3 && i + 1 < s.u.s.n) { /* Latin-1 letters: À-Þ ↔ à-þ */
            unsigned char d = q[i + 1];
            if (upper && d >= 0xA0 && d <= 0xBE && d != 0xB7) d = (unsigned char)(d - 0x20);
            else if (!upper && d >= 0x80 && d <= 0x9E && d != 0x97) d = (unsigned char)(d + 0x20);
            p[i++] = (char)c;
            c = d;
        }
        p[i] = (char)c;
    }
    p[s.u.s.n] = '\0';
    vtl_work(rs, s.u.s.n / 64);
    return v_str(p, s.u.s.n);
}

/* Literal replace of every occurrence (String.replace(CharSequence, ...)). */
static vval replace_lit(vrender *rs, vval s, vval t, vval r) {
    buf *b = va_buf(vtl_arena(rs));
    if (t.u.s.n == 0) { /* Java puts the replacement around every char */
        buf_add(b, r.u.s.p, r.u.s.n);
        for (size_t i = 0; i < s.u.s.n;) {
            size_t l = seq_len((unsigned char)s.u.s.p[i]);
            if (i + l > s.u.s.n) l = s.u.s.n - i;
            buf_add(b, s.u.s.p + i, l);
            buf_add(b, r.u.s.p, r.u.s.n);
            i += l;
            if (b->len > VTL_MAX_STRING) break;
        }
    } else {
        size_t i = 0;
        const char *hit;
        while ((hit = find(s.u.s.p, s.u.s.n, t.u.s.p, t.u.s.n, i))) {
            buf_add(b, s.u.s.p + i, (size_t)(hit - s.u.s.p) - i);
            buf_add(b, r.u.s.p, r.u.s.n);
            i = (size_t)(hit - s.u.s.p) + t.u.s.n;
            if (b->len > VTL_MAX_STRING) break;
        }
        buf_add(b, s.u.s.p + i, s.u.s.n - i);
    }
    vtl_work(rs, (s.u.s.n + b->len) / 16);
    if (b->len > VTL_MAX_STRING) {
        buf_free(b);
        va_fail(vtl_arena(rs), "a string grew past %u MiB", VTL_MAX_STRING >> 20);
    }
    return mkbuf(rs, b);
}

static int u16_compare(vval a, vval b, bool icase) {
    u16it x = {a.u.s.p, a.u.s.n, 0, 0}, y = {b.u.s.p, b.u.s.n, 0, 0};
    int64_t la = 0, lb = 0;
    for (;;) {
        unsigned cx, cy;
        bool hx = u16_next(&x, &cx), hy = u16_next(&y, &cy);
        if (!hx || !hy) {
            la = (int64_t)vtl_u16_len(a.u.s.p, a.u.s.n);
            lb = (int64_t)vtl_u16_len(b.u.s.p, b.u.s.n);
            return (int)(la - lb);
        }
        if (icase) {
            if (cx < 128) cx = (unsigned)tolower((int)cx);
            if (cy < 128) cy = (unsigned)tolower((int)cy);
        }
        if (cx != cy) return (int)cx - (int)cy;
    }
}

_Noreturn static void npe(vrender *rs, int off) { vtl_throw(rs, off, "NullPointerException"); }

static bool str_method(vrender *rs, vval self, const char *name, size_t nlen, vval *a, int n,
                       vval *out, int off) {
    const char *p = self.u.s.p;
    size_t len = self.u.s.n;
    vtl_work(rs, len / 64 + 1);
    if (n == 0) {
        if (IS("length")) *out = v_int((int64_t)vtl_u16_len(p, len));
        else if (IS("isEmpty")) *out = v_bool(len == 0);
        else if (IS("toString") || IS("intern")) { *out = self; out->f &= (uint8_t)~VF_CHAR; }
        else if (IS("toLowerCase")) *out = case_map(rs, self, false);
        else if (IS("toUpperCase")) *out = case_map(rs, self, true);
        else if (IS("trim")) {
            size_t b = 0, e = len;
            while (b < e && (unsigned char)p[b] <= ' ') b++;
            while (e > b && (unsigned char)p[e - 1] <= ' ') e--;
            *out = v_str(p + b, e - b);
        } else if (IS("hashCode")) *out = v_int(java_str_hash(self));
        else if (IS("toCharArray")) {
            vval l = v_list_new(vtl_arena(rs), 0, VF_ARRAY);
            for (size_t i = 0; i < len;) {
                size_t st = i, k = seq_len((unsigned char)p[i]);
                i += k;
                vval c = v_str(p + st, (i > len ? len : i) - st);
                c.f |= VF_CHAR;
                v_list_push(vtl_arena(rs), l, c);
            }
            *out = l;
        } else return false;
        return true;
    }
    /* Arguments that must be a String (a null one throws in Java). */
    bool s0 = n >= 1 && (a[0].k == VK_NULL || is_jstr(a[0]));
    bool s1 = n >= 2 && (a[1].k == VK_NULL || is_jstr(a[1]));
    if (IS("charAt") && n == 1 && is_jint(a[0])) {
        int64_t i = a[0].u.i, l16 = (int64_t)vtl_u16_len(p, len);
        if (i < 0 || i >= l16)
            vtl_throw(rs, off, "StringIndexOutOfBoundsException: index %lld, length %lld", (long long)i,
                      (long long)l16);
        size_t bo = vtl_u16_off(p, len, (size_t)i), k = seq_len((unsigned char)p[bo]);
        *out = v_str(p + bo, bo + k > len ? len - bo : k);
        out->f |= VF_CHAR;
        return true;
    }
    if (IS("substring") && ((n == 1 && is_jint(a[0])) || (n == 2 && is_jint(a[0]) && is_jint(a[1])))) {
        int64_t e = n == 2 ? a[1].u.i : (int64_t)vtl_u16_len(p, len);
        *out = substr(rs, self, a[0].u.i, e, off);
        return true;
    }
    if ((IS("indexOf") || IS("lastIndexOf")) && s0 && (n == 1 || (n == 2 && is_jint(a[1])))) {
        if (a[0].k == VK_NULL) npe(rs, off);
        int64_t l16 = (int64_t)vtl_u16_len(p, len);
        const char *nd = a[0].u.s.p;
        size_t nn = a[0].u.s.n;
        int64_t r = -1;
        if (IS("indexOf")) {
            int64_t from = n == 2 ? a[1].u.i : 0;
            if (from < 0) from = 0;
            if (from <= l16) {
                const char *hit = find(p, len, nd, nn, vtl_u16_off(p, len, (size_t)from));
                if (hit) r = u16_index_of_off(p, (size_t)(hit - p));
            }
        } else {
            int64_t from = n == 2 ? a[1].u.i : l16;
            if (from >= 0) {
                size_t limit = vtl_u16_off(p, len, (size_t)(from > l16 ? l16 : from));
                for (size_t i = 0;; i++) {
                    const char *hit = find(p, len, nd, nn, i);
                    if (!hit || (size_t)(hit - p) > limit) break;
                    r = u16_index_of_off(p, (size_t)(hit - p));
                    i = (size_t)(hit - p);
                }
            }
        }
        *out = v_int(r);
        return true;
    }
    if ((IS("contains") || IS("startsWith") || IS("endsWith") || IS("equalsIgnoreCase") ||
         IS("concat") || IS("compareTo") || IS("compareToIgnoreCase") || IS("matches") ||
         IS("split")) && n == 1 && s0) {
        if (a[0].k == VK_NULL) {
            if (IS("equalsIgnoreCase")) {
                *out = v_bool(false);
                return true;
            }
            npe(rs, off);
        }
        vval t = a[0];
        if (IS("contains")) *out = v_bool(find(p, len, t.u.s.p, t.u.s.n, 0) != NULL);
        else if (IS("startsWith")) *out = v_bool(t.u.s.n <= len && memcmp(p, t.u.s.p, t.u.s.n) == 0);
        else if (IS("endsWith"))
            *out = v_bool(t.u.s.n <= len && memcmp(p + len - t.u.s.n, t.u.s.p, t.u.s.n) == 0);
        else if (IS("equalsIgnoreCase")) *out = v_bool(vtl_u16_len(p, len) == vtl_u16_len(t.u.s.p, t.u.s.n) && u16_compare(self, t, true) == 0);
        else if (IS("compareTo")) *out = v_int(u16_compare(self, t, false));
        else if (IS("compareToIgnoreCase")) *out = v_int(u16_compare(self, t, true));
        else if (IS("matches")) *out = v_bool(vtl_regex_matches(rs, vtl_regex(rs, t.u.s.p, t.u.s.n, off), self));
        else if (IS("split")) *out = vtl_regex_split(rs, vtl_regex(rs, t.u.s.p, t.u.s.n, off), self, 0);
        else {
            buf *b = va_buf(vtl_arena(rs));
            buf_add(b, p, len);
            buf_add(b, t.u.s.p, t.u.s.n);
            if (b->len > VTL_MAX_STRING) {
                buf_free(b);
                va_fail(vtl_arena(rs), "a string grew past %u MiB", VTL_MAX_STRING >> 20);
            }
            *out = mkbuf(rs, b);
        }
        return true;
    }
    if (IS("startsWith") && n == 2 && s0 && is_jint(a[1])) {
        if (a[0].k == VK_NULL) npe(rs, off);
        int64_t o = a[1].u.i, l16 = (int64_t)vtl_u16_len(p, len);
        bool r = false;
        if (o >= 0 && o <= l16) {
            size_t bo = vtl_u16_off(p, len, (size_t)o);
            r = a[0].u.s.n <= len - bo && memcmp(p + bo, a[0].u.s.p, a[0].u.s.n) == 0;
        }
        *out = v_bool(r);
        return true;
    }
    if (IS("split") && n == 2 && s0 && is_jint(a[1])) {
        if (a[0].k == VK_NULL) npe(rs, off);
        *out = vtl_regex_split(rs, vtl_regex(rs, a[0].u.s.p, a[0].u.s.n, off), self, a[1].u.i);
        return true;
    }
    if (IS("replace") && n == 2) {
        if ((a[0].k == VK_STR && (a[0].f & VF_CHAR)) && (a[1].k == VK_STR && (a[1].f & VF_CHAR))) {
            *out = replace_lit(rs, self, a[0], a[1]); /* replace(char, char) */
            return true;
        }
        if (!s0 || !s1) return false;
        if (a[0].k == VK_NULL || a[1].k == VK_NULL) npe(rs, off);
        *out = replace_lit(rs, self, a[0], a[1]);
        return true;
    }
    if ((IS("replaceAll") || IS("replaceFirst")) && n == 2 && s0 && s1) {
        if (a[0].k == VK_NULL || a[1].k == VK_NULL) npe(rs, off);
        vregex *re = vtl_regex(rs, a[0].u.s.p, a[0].u.s.n, off);
        *out = vtl_regex_replace(rs, re, self, a[1], IS("replaceAll"), off);
        return true;
    }
    return false;
}

/* Statics of String reachable through any value: valueOf, join. */
static bool string_statics(vrender *rs, const char *name, size_t nlen, vval *a, int n, vval *out) {
    if (IS("valueOf") && n == 1) {
        *out = a[0].k == VK_NULL ? mkz("null") : vtl_to_string(rs, a[0]);
        out->f &= (uint8_t)~VF_CHAR;
        return true;
    }
    if (IS("join") && n == 2 && is_jstr(a[0]) && a[1].k == VK_LIST) {
        buf *b = va_buf(vtl_arena(rs));
        for (size_t i = 0; i < a[1].u.l->n; i++) {
            if (i) buf_add(b, a[0].u.s.p, a[0].u.s.n);
            vval s = a[1].u.l->v[i].k == VK_NULL ? mkz("null") : vtl_to_string(rs, a[1].u.l->v[i]);
            buf_add(b, s.u.s.p, s.u.s.n);
            if (b->len > VTL_MAX_STRING) {
                buf_free(b);
                va_fail(vtl_arena(rs), "a string grew past %u MiB", VTL_MAX_STRING >> 20);
            }
        }
        *out = mkbuf(rs, b);
        return true;
    }
    return false;
}

/* ---- List and Map ------------------------------------------------------------ */

_Noreturn static void ioobe(vrender *rs, int off, int64_t i, size_t n) {
    vtl_throw(rs, off, "IndexOutOfBoundsException: Index: %lld, Size: %zu", (long long)i, n);
}

static bool list_method(vrender *rs, vval self, const char *name, size_t nlen, vval *a, int n,
                        vval *out, int off) {
    varena *ar = vtl_arena(rs);
    vlist *l = self.u.l;
    bool fixed = (self.f & VF_ARRAY) != 0; /* Arrays.asList: no add or remove */
    if (n == 0) {
        if (IS("size")) *out = v_int((int64_t)l->n);
        else if (IS("isEmpty")) *out = v_bool(l->n == 0);
        else if (IS("toString")) *out = vtl_to_string(rs, self);
        else if (IS("clear")) {
            if (fixed) vtl_throw(rs, off, "UnsupportedOperationException");
            l->n = 0;
            *out = mkz("");
        } else if (IS("hashCode")) {
            *out = v_int(0);
            return false;
        } else return false;
        return true;
    }
    if (IS("get") && n == 1) {
        if (!is_jint(a[0])) return false;
        if (a[0].u.i < 0 || (size_t)a[0].u.i >= l->n) ioobe(rs, off, a[0].u.i, l->n);
        *out = l->v[a[0].u.i];
        return true;
    }
    if ((IS("contains") || IS("indexOf") || IS("lastIndexOf")) && n == 1) {
        int64_t r = -1;
        for (size_t i = 0; i < l->n; i++)
            if (v_java_equals(l->v[i], a[0])) {
                r = (int64_t)i;
                if (!IS("lastIndexOf")) break;
            }
        vtl_work(rs, l->n);
        *out = IS("contains") ? v_bool(r >= 0) : v_int(r);
        return true;
    }
    if (IS("add") && (n == 1 || (n == 2 && is_jint(a[0])))) {
        if (fixed) vtl_throw(rs, off, "UnsupportedOperationException");
        if (n == 1) {
            v_list_push(ar, self, a[0]);
            *out = v_bool(true);
            return true;
        }
        int64_t i = a[0].u.i;
        if (i < 0 || (size_t)i > l->n) ioobe(rs, off, i, l->n);
        v_list_push(ar, self, v_null());
        memmove(l->v + i + 1, l->v + i, (l->n - 1 - (size_t)i) * sizeof(vval));
        l->v[i] = a[1];
        *out = mkz(""); /* void */
        return true;
    }
    if (IS("set") && n == 2 && is_jint(a[0])) {
        int64_t i = a[0].u.i;
        if (i < 0 || (size_t)i >= l->n) ioobe(rs, off, i, l->n);
        *out = l->v[i];
        l->v[i] = a[1];
        return true;
    }
    if (IS("remove") && n == 1) {
        if (fixed) vtl_throw(rs, off, "UnsupportedOperationException");
        if (is_jint(a[0])) {
            int64_t i = a[0].u.i;
            if (i < 0 || (size_t)i >= l->n) ioobe(rs, off, i, l->n);
            *out = l->v[i];
            memmove(l->v + i, l->v + i + 1, (l->n - (size_t)i - 1) * sizeof(vval));
            l->n--;
            return true;
        }
        for (size_t i = 0; i < l->n; i++)
            if (v_java_equals(l->v[i], a[0])) {
                memmove(l->v + i, l->v + i + 1, (l->n - i - 1) * sizeof(vval));
                l->n--;
                *out = v_bool(true);
                return true;
            }
        *out = v_bool(false);
        return true;
    }
    if (IS("addAll") && n == 1 && a[0].k == VK_LIST) {
        if (fixed) vtl_throw(rs, off, "UnsupportedOperationException");
        size_t k = a[0].u.l->n;
        vval *src = va_alloc(ar, (k ? k : 1) * sizeof(vval));
        if (k) memcpy(src, a[0].u.l->v, k * sizeof(vval));
        for (size_t i = 0; i < k; i++) v_list_push(ar, self, src[i]);
        *out = v_bool(k > 0);
        return true;
    }
    if (IS("subList") && n == 2 && is_jint(a[0]) && is_jint(a[1])) {
        int64_t b = a[0].u.i, e = a[1].u.i;
        if (b < 0 || (size_t)e > l->n || b > e)
            vtl_throw(rs, off, "IndexOutOfBoundsException: fromIndex %lld, toIndex %lld, size %zu",
                      (long long)b, (long long)e, l->n);
        vval r = v_list_new(ar, (size_t)(e - b), self.f & VF_JSON);
        for (int64_t i = b; i < e; i++) v_list_push(ar, r, l->v[i]);
        *out = r;
        return true;
    }
    return false;
}

static bool map_method(vrender *rs, vval self, const char *name, size_t nlen, vval *a, int n,
                       vval *out) {
    varena *ar = vtl_arena(rs);
    vmap *m = self.u.m;
    if (n == 0) {
        if (IS("size")) *out = v_int((int64_t)m->n);
        else if (IS("isEmpty")) *out = v_bool(m->n == 0);
        else if (IS("toString")) *out = vtl_to_string(rs, self);
        else if (IS("keySet") || IS("values") || IS("entrySet")) {
            vval l = v_list_new(ar, m->n, 0);
            for (size_t i = 0; i < m->n; i++) {
                if (IS("keySet")) {
                    v_list_push(ar, l, m->k[i]);
                } else if (IS("values")) {
                    v_list_push(ar, l, m->v[i]);
                } else {
                    vval en = {.k = VK_ENTRY};
                    en.u.en = va_alloc(ar, sizeof *en.u.en);
                    en.u.en->k = m->k[i];
                    en.u.en->v = m->v[i];
                    v_list_push(ar, l, en);
                }
            }
            vtl_work(rs, m->n);
            *out = l;
        } else if (IS("clear")) {
            m->n = 0;
            m->idx = NULL;
            *out = mkz("");
        } else return false;
        return true;
    }
    if (n == 1 && IS("get")) {
        if (!v_map_get(m, a[0], out)) *out = v_null();
        return true;
    }
    if (n == 1 && IS("containsKey")) {
        vval tmp;
        *out = v_bool(v_map_get(m, a[0], &tmp));
        return true;
    }
    if (n == 1 && IS("containsValue")) {
        bool r = false;
        for (size_t i = 0; i < m->n && !r; i++) r = v_java_equals(m->v[i], a[0]);
        *out = v_bool(r);
        return true;
    }
    if (n == 1 && IS("remove")) {
        *out = v_map_remove(ar, self, a[0]);
        return true;
    }
    if (n == 1 && IS("putAll") && a[0].k == VK_MAP) {
        vmap *o = a[0].u.m;
        size_t k = o->n;
        for (size_t i = 0; i < k; i++) v_map_put(ar, self, o->k[i], o->v[i]);
        *out = mkz("");
        return true;
    }
    if (n == 2 && IS("put")) {
        *out = v_map_put(ar, self, a[0], a[1]);
        return true;
    }
    if (n == 2 && IS("getOrDefault")) {
        if (!v_map_get(m, a[0], out)) *out = a[1];
        return true;
    }
    return false;
}

/* ---- $foreach ---------------------------------------------------------------- */

static bool scope_get(vscope *sc, const char *name, size_t nlen, vval *out) {
    if (IS("index") || IS("getIndex")) *out = v_int(sc->index);
    else if (IS("count") || IS("getCount")) *out = v_int(sc->index + 1);
    else if (IS("hasNext") || IS("getHasNext")) *out = v_bool(sc->has_next);
    else if (IS("first") || IS("isFirst") || IS("getFirst")) *out = v_bool(sc->index < 1);
    else if (IS("last") || IS("isLast") || IS("getLast")) *out = v_bool(!sc->has_next);
    else if (IS("parent") || IS("getParent") || IS("topmost") || IS("getTopmost")) {
        vscope *t = sc->parent;
        if (IS("topmost") || IS("getTopmost")) {
            t = sc;
            while (t->parent) t = t->parent;
        }
        if (!t) {
            *out = v_null();
        } else {
            vval v = {.k = VK_SCOPE};
            v.u.sc = t;
            *out = v;
        }
    } else return false;
    return true;
}

/* ---- $util -------------------------------------------------------------------- */

/* commons-lang StringEscapeUtils.escapeJavaScript. */
static vval escape_js(vrender *rs, vval s) {
    static const char hex[] = "0123456789ABCDEF";
    buf *b = va_buf(vtl_arena(rs));
    u16it it = {s.u.s.p, s.u.s.n, 0, 0};
    unsigned c;
    while (u16_next(&it, &c)) {
        if (c > 0x7f) {
            char u[7] = {'\\', 'u', hex[c >> 12 & 15], hex[c >> 8 & 15], hex[c >> 4 & 15], hex[c & 15], 0};
            buf_puts(b, u);
        } else if (c < 32) {
            switch (c) {
            case '\b': buf_puts(b, "\\b"); break;
            case '\n': buf_puts(b, "\\n"); break;
            case '\t': buf_puts(b, "\\t"); break;
            case '\f': buf_puts(b, "\\f"); break;
            case '\r': buf_puts(b, "\\r"); break;
            default: {
                char u[7] = {'\\', 'u', '0', '0', hex[c >> 4 & 15], hex[c & 15], 0};
                buf_puts(b, u);
            }
            }
        } else if (c == '\'' || c == '"' || c == '\\' || c == '/') {
            buf_putc(b, '\\');
            buf_putc(b, (char)c);
        } else {
            buf_putc(b, (char)c);
        }
    }
    vtl_work(rs, s.u.s.n / 16);
    if (b->len > VTL_MAX_STRING) {
        buf_free(b);
        va_fail(vtl_arena(rs), "a string grew past %u MiB", VTL_MAX_STRING >> 20);
    }
    return mkbuf(rs, b);
}

/* java.net.URLEncoder.encode(s, "UTF-8"). */
static vval url_encode(vrender *rs, vval s) {
    buf *b = va_buf(vtl_arena(rs));
    for (size_t i = 0; i < s.u.s.n; i++) {
        unsigned char c = (unsigned char)s.u.s.p[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
            c == '-' || c == '*' || c == '_')
            buf_putc(b, (char)c);
        else if (c == ' ') buf_putc(b, '+');
        else buf_printf(b, "%%%02X", c);
    }
    vtl_work(rs, s.u.s.n / 16);
    return mkbuf(rs, b);
}

static int hexd(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* java.net.URLDecoder.decode(s, "UTF-8"). */
static vval url_decode(vrender *rs, vval s, int off) {
    buf *b = va_buf(vtl_arena(rs));
    for (size_t i = 0; i < s.u.s.n; i++) {
        char c = s.u.s.p[i];
        if (c == '+') {
            buf_putc(b, ' ');
        } else if (c == '%') {
            if (i + 2 >= s.u.s.n) {
                buf_free(b);
                vtl_throw(rs, off, "IllegalArgumentException: URLDecoder: Incomplete trailing escape (%%) pattern");
            }
            int h = hexd(s.u.s.p[i + 1]), l = hexd(s.u.s.p[i + 2]);
            if (h < 0 || l < 0) {
                buf_free(b);
                vtl_throw(rs, off,
                          "IllegalArgumentException: URLDecoder: Illegal hex characters in escape (%%) pattern");
            }
            buf_putc(b, (char)(h * 16 + l));
            i += 2;
        } else {
            buf_putc(b, c);
        }
    }
    return mkbuf(rs, b);
}

static vval b64_encode(vrender *rs, vval s) {
    static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    buf *b = va_buf(vtl_arena(rs));
    const unsigned char *p = (const unsigned char *)s.u.s.p;
    size_t n = s.u.s.n, i = 0;
    for (; i + 2 < n; i += 3) {
        char o[4] = {tbl[p[i] >> 2], tbl[(p[i] & 3) << 4 | p[i + 1] >> 4],
                     tbl[(p[i + 1] & 15) << 2 | p[i + 2] >> 6], tbl[p[i + 2] & 63]};
        buf_add(b, o, 4);
    }
    if (n - i == 1) {
        char o[4] = {tbl[p[i] >> 2], tbl[(p[i] & 3) << 4], '=', '='};
        buf_add(b, o, 4);
    } else if (n - i == 2) {
        char o[4] = {tbl[p[i] >> 2], tbl[(p[i] & 3) << 4 | p[i + 1] >> 4], tbl[(p[i + 1] & 15) << 2], '='};
        buf_add(b, o, 4);
    }
    vtl_work(rs, n / 16);
    return mkbuf(rs, b);
}

/* java.util.Base64.getDecoder(): padding optional, anything else throws. */
static vval b64_decode(vrender *rs, vval s, int off) {
    buf *b = va_buf(vtl_arena(rs));
    unsigned acc = 0;
    int bits = 0;
    size_t n = s.u.s.n;
    while (n && s.u.s.p[n - 1] == '=') n--;
    if (s.u.s.n - n > 2) goto bad;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s.u.s.p[i];
        int v = c >= 'A' && c <= 'Z' ? c - 'A' : c >= 'a' && c <= 'z' ? c - 'a' + 26
                : c >= '0' && c <= '9' ? c - '0' + 52 : c == '+' ? 62 : c == '/' ? 63 : -1;
        if (v < 0) {
            buf_free(b);
            vtl_throw(rs, off, "IllegalArgumentException: Illegal base64 character %x", c);
        }
        acc = acc << 6 | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            buf_putc(b, (char)(acc >> bits & 0xFF));
        }
    }
    if (n % 4 == 1) goto bad;
    return mkbuf(rs, b);
bad:
    buf_free(b);
    vtl_throw(rs, off, "IllegalArgumentException: Last unit does not have enough valid bits");
}

static bool util_method(vrender *rs, const char *name, size_t nlen, vval *a, int n, vval *out, int off) {
    if (n != 1) return false;
    vval s = a[0];
    if (s.k == VK_NULL) { /* the Java methods return null for null */
        if (IS("escapeJavaScript") || IS("urlEncode") || IS("urlDecode") || IS("base64Encode") ||
            IS("base64Decode") || IS("parseJson")) {
            if (IS("urlEncode") || IS("urlDecode") || IS("base64Encode") || IS("base64Decode") ||
                IS("parseJson"))
                npe(rs, off);
            *out = v_null();
            return true;
        }
        return false;
    }
    if (s.k != VK_STR) s = vtl_to_string(rs, s);
    if (IS("escapeJavaScript")) *out = escape_js(rs, s);
    else if (IS("urlEncode")) *out = url_encode(rs, s);
    else if (IS("urlDecode")) *out = url_decode(rs, s, off);
    else if (IS("base64Encode")) *out = b64_encode(rs, s);
    else if (IS("base64Decode")) *out = b64_decode(rs, s, off);
    else if (IS("parseJson")) {
        const char *msg;
        vtl_work(rs, s.u.s.n / 16);
        if (!v_json_parse(vtl_arena(rs), s.u.s.p, s.u.s.n, out, &msg))
            vtl_throw(rs, off, "Invalid JSON passed to $util.parseJson: %s", msg);
    } else return false;
    return true;
}

/* ---- $input ------------------------------------------------------------------- */

static vval json_path(vrender *rs, vval path, bool as_json, int off) {
    if (path.k == VK_NULL) vtl_throw(rs, off, "IllegalArgumentException: path can not be null");
    char *p = va_strndup(vtl_arena(rs), path.u.s.p, path.u.s.n);
    vval root = vtl_input_body(rs);
    jp_result r = {0};
    const char *msg = NULL;
    int rc = jp_eval(&vtl_jp_ops, &root, p, &r, &msg);
    if (r.v) va_on_free(vtl_arena(rs), free, r.v);
    if (rc != 0) vtl_throw(rs, off, "InvalidPathException: %s", msg ? msg : "invalid JSONPath");
    vval v;
    if (r.definite) {
        v = r.n ? *(const vval *)r.v[0] : v_null();
    } else {
        v = v_list_new(vtl_arena(rs), r.n, VF_JSON);
        for (size_t i = 0; i < r.n; i++) v_list_push(vtl_arena(rs), v, *(const vval *)r.v[i]);
    }
    bool missing = r.definite && r.n == 0;
    vtl_work(rs, 16);
    if (missing) return mkz(""); /* a path that matches nothing: an empty string */
    if (!as_json) return v;
    buf *b = va_buf(vtl_arena(rs));
    vprint pr = {.a = vtl_arena(rs), .limit = VTL_MAX_STRING};
    v_print(&pr, v, b, true, 0);
    return mkbuf(rs, b);
}

static vval param_lookup(vrender *rs, vval name) {
    const vtl_input *in = vtl_render_input(rs);
    const cJSON *srcs[3] = {in->path, in->querystring, in->header};
    char *key = va_strndup(vtl_arena(rs), name.u.s.p, name.u.s.n);
    for (int i = 0; i < 3; i++) {
        const cJSON *v = srcs[i] ? cJSON_GetObjectItemCaseSensitive(srcs[i], key) : NULL;
        if (!v && i == 2 && srcs[i]) v = cJSON_GetObjectItem(srcs[i], key); /* header names */
        if (cJSON_IsString(v)) return v_str(v->valuestring, strlen(v->valuestring));
    }
    return mkz("");
}

static vval input_body_text(vrender *rs) {
    const vtl_input *in = vtl_render_input(rs);
    if (!in->body || !in->body_len) return mkz("{}");
    return v_str(in->body, in->body_len);
}

static bool input_method(vrender *rs, const char *name, size_t nlen, vval *a, int n, vval *out, int off) {
    if (IS("params") && n == 0) *out = vtl_input_params(rs);
    else if (IS("params") && n == 1 && (is_jstr(a[0]) || a[0].k == VK_NULL))
        *out = a[0].k == VK_NULL ? mkz("") : param_lookup(rs, a[0]);
    else if ((IS("json") || IS("path")) && n == 1 && (is_jstr(a[0]) || a[0].k == VK_NULL))
        *out = json_path(rs, a[0], IS("json"), off);
    else if (IS("getBody") && n == 0) *out = input_body_text(rs);
    else return false;
    return true;
}

/* ---- dispatch ------------------------------------------------------------------ */

bool vtl_call(vrender *rs, vval self, const char *name, size_t nlen, vval *a, int n, vval *out,
              int off) {
    vtl_work(rs, 1 + (uint64_t)n);
    switch (self.k) {
    case VK_INPUT: return input_method(rs, name, nlen, a, n, out, off);
    case VK_UTIL: return util_method(rs, name, nlen, a, n, out, off);
    case VK_SCOPE:
        if (n == 0 && IS("stop")) {
            vtl_request_break(rs, self.u.sc);
            *out = mkz("");
            return true;
        }
        return n == 0 && scope_get(self.u.sc, name, nlen, out);
    case VK_ENTRY:
        if (n == 0 && IS("getKey")) *out = self.u.en->k;
        else if (n == 0 && IS("getValue")) *out = self.u.en->v;
        else if (n == 1 && IS("setValue")) {
            *out = self.u.en->v;
            self.u.en->v = a[0];
        } else break;
        return true;
    case VK_LIST:
        if (list_method(rs, self, name, nlen, a, n, out, off)) return true;
        break;
    case VK_MAP:
        if (map_method(rs, self, name, nlen, a, n, out)) return true;
        break;
    case VK_STR:
        if (!(self.f & VF_CHAR) && str_method(rs, self, name, nlen, a, n, out, off)) return true;
        if ((self.f & VF_CHAR) && n == 0 && IS("charValue")) {
            *out = self;
            return true;
        }
        if ((self.f & VF_CHAR) && n == 0 && IS("toString")) {
            *out = self;
            out->f &= (uint8_t)~VF_CHAR;
            return true;
        }
        break;
    case VK_INT:
        if (int_method(rs, self, name, nlen, a, n, out, off)) return true;
        break;
    case VK_DBL:
        if (dbl_method(rs, self, name, nlen, a, n, out, off)) return true;
        break;
    case VK_BOOL:
        if (bool_method(rs, self, name, nlen, a, n, out)) return true;
        break;
    default: break;
    }
    if (self.k == VK_STR && !(self.f & VF_CHAR) && string_statics(rs, name, nlen, a, n, out)) return true;
    /* Object's methods. */
    if (n == 1 && IS("equals")) {
        *out = v_bool(v_java_equals(self, a[0]));
        return true;
    }
    if (n == 0 && IS("toString")) {
        *out = vtl_to_string(rs, self);
        return true;
    }
    return false;
}

bool vtl_prop(vrender *rs, vval self, const char *name, size_t nlen, vval *out) {
    vtl_work(rs, 1);
    switch (self.k) {
    case VK_MAP:
        if (!v_map_get_str(self.u.m, name, nlen, out)) *out = v_null();
        return true;
    case VK_INPUT:
        if (IS("body")) {
            *out = input_body_text(rs);
            return true;
        }
        return false;
    case VK_SCOPE: return scope_get(self.u.sc, name, nlen, out);
    case VK_ENTRY:
        if (IS("key")) *out = self.u.en->k;
        else if (IS("value")) *out = self.u.en->v;
        else return false;
        return true;
    case VK_LIST:
        if (IS("empty")) {
            *out = v_bool(self.u.l->n == 0);
            return true;
        }
        return false;
    case VK_STR:
        if (IS("empty") && !(self.f & VF_CHAR)) {
            *out = v_bool(self.u.s.n == 0);
            return true;
        }
        return false;
    case VK_DBL:
        if (IS("naN") || IS("infinite")) {
            *out = v_bool(IS("naN") ? isnan(self.u.d) : isinf(self.u.d));
            return true;
        }
        return false;
    default: return false;
    }
}
