/* Java regular expressions (String.matches, replaceAll, replaceFirst,
 * split) on top of POSIX extended regular expressions (glibc regcomp).
 *
 * Java's syntax is translated: \d \w \s and their negations, \t \n \r \f,
 * \xhh, \uhhhh, \Q...\E, (?:...), a leading (?i), back references, '.'
 * that stops at line ends. What POSIX cannot express (lazy and possessive
 * quantifiers, look-around, named groups, \p{...}, class intersections) fails
 * the render with a clear message instead of matching differently.
 *
 * Where the result can still differ from Java: POSIX picks the longest of
 * the leftmost matches where Java takes the first alternative that matches
 * ("a|ab" on "ab" matches "ab" here, "a" in Java), and matching works on
 * bytes, so '.' or a class matches one byte of a multi-byte character. */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vtl_internal.h"

struct vregex {
    regex_t re;
    int jgroups;    /* Java's group count */
    int gmap[10];   /* Java group → POSIX group (1..9 tracked) */
    size_t nsub;    /* POSIX groups */
};

typedef struct rx {
    vrender *rs;
    int off;
    const char *p;
    size_t n, i;
    buf out;
    int jgroups, pgroups;
    int gmap[10];
} rx;

_Noreturn static void rx_fail(rx *r, const char *what) {
    char pat[120];
    size_t n = r->n < sizeof pat - 1 ? r->n : sizeof pat - 1;
    memcpy(pat, r->p, n);
    pat[n] = '\0';
    buf_free(&r->out);
    vtl_throw(r->rs, r->off, "PatternSyntaxException: %s near index %zu: %s", what, r->i, pat);
}

static bool ere_special(char c) { return c && strchr(".[]()*+?{}|^$\\", c) != NULL; }

static void lit_char(rx *r, unsigned cp) {
    char o[4];
    size_t k = 0;
    if (cp < 0x80) {
        if (ere_special((char)cp)) buf_putc(&r->out, '\\');
        buf_putc(&r->out, (char)cp);
        return;
    }
    if (cp < 0x800) {
        o[k++] = (char)(0xC0 | cp >> 6);
    } else {
        o[k++] = (char)(0xE0 | cp >> 12);
        o[k++] = (char)(0x80 | (cp >> 6 & 0x3F));
    }
    o[k++] = (char)(0x80 | (cp & 0x3F));
    buf_add(&r->out, o, k);
}

static unsigned hex_n(rx *r, size_t digits) {
    unsigned v = 0;
    for (size_t k = 0; k < digits; k++) {
        if (r->i >= r->n) rx_fail(r, "Illegal hexadecimal escape sequence");
        char c = r->p[r->i++];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0) rx_fail(r, "Illegal hexadecimal escape sequence");
        v = v * 16 + (unsigned)d;
    }
    return v;
}

/* A class body: ] first, - last, ^ not first. */
typedef struct cls {
    buf body;
    bool close, dash, caret;
} cls;

static void cls_char(cls *c, char ch) {
    if (ch == ']') c->close = true;
    else if (ch == '-') c->dash = true;
    else if (ch == '^') c->caret = true;
    else buf_putc(&c->body, ch);
}

static void translate_class(rx *r) {
    r->i++; /* [ */
    bool neg = r->i < r->n && r->p[r->i] == '^';
    if (neg) r->i++;
    cls c = {BUF_INIT, false, false, false};
    bool first = true;
    for (;;) {
        if (r->i >= r->n) {
            buf_free(&c.body);
            rx_fail(r, "Unclosed character class");
        }
        char ch = r->p[r->i];
        if (ch == ']' && !first) {
            r->i++;
            break;
        }
        first = false;
        if (ch == '[' || (ch == '&' && r->i + 1 < r->n && r->p[r->i + 1] == '&')) {
            buf_free(&c.body);
            rx_fail(r, "nested classes and intersections are not supported");
        }
        if (ch == '\\') {
            if (r->i + 1 >= r->n) {
                buf_free(&c.body);
                rx_fail(r, "Unexpected internal error");
            }
            char e = r->p[r->i + 1];
            r->i += 2;
            switch (e) {
            case 'd': buf_puts(&c.body, "0-9"); continue;
            case 'w': buf_puts(&c.body, "A-Za-z0-9_"); continue;
            case 's': buf_puts(&c.body, " \t\n\v\f\r"); continue;
            case 't': cls_char(&c, '\t'); continue;
            case 'n': cls_char(&c, '\n'); continue;
            case 'r': cls_char(&c, '\r'); continue;
            case 'f': cls_char(&c, '\f'); continue;
            default:
                if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9')) {
                    buf_free(&c.body);
                    rx_fail(r, "this escape inside [] is not supported");
                }
                cls_char(&c, e);
                continue;
            }
        }
        /* a range a-z (with plain endpoints) */
        if (r->i + 2 < r->n && r->p[r->i + 1] == '-' && r->p[r->i + 2] != ']' && r->p[r->i + 2] != '\\' &&
            ch != '-') {
            if ((unsigned char)r->p[r->i + 2] < (unsigned char)ch) {
                buf_free(&c.body);
                rx_fail(r, "Illegal character range");
            }
            buf_add(&c.body, r->p + r->i, 3);
            r->i += 3;
            continue;
        }
        cls_char(&c, ch);
        r->i++;
    }
    if (!neg && !c.close && !c.dash && c.body.len == 0 && c.caret) {
        buf_puts(&r->out, "\\^");
    } else {
        buf_putc(&r->out, '[');
        if (neg) buf_putc(&r->out, '^');
        if (c.close) buf_putc(&r->out, ']');
        if (c.body.len) buf_add(&r->out, c.body.data, c.body.len);
        if (c.caret) buf_putc(&r->out, '^');
        if (c.dash) buf_putc(&r->out, '-');
        buf_putc(&r->out, ']');
    }
    buf_free(&c.body);
}

static void quantifier_suffix(rx *r) {
    if (r->i < r->n && r->p[r->i] == '?') rx_fail(r, "lazy quantifiers are not supported");
    if (r->i < r->n && r->p[r->i] == '+') rx_fail(r, "possessive quantifiers are not supported");
}

static void translate_escape(rx *r) {
    if (r->i + 1 >= r->n) rx_fail(r, "Unexpected internal error");
    char e = r->p[r->i + 1];
    r->i += 2;
    switch (e) {
    case 'd': buf_puts(&r->out, "[0-9]"); return;
    case 'D': buf_puts(&r->out, "[^0-9]"); return;
    case 'w': buf_puts(&r->out, "[A-Za-z0-9_]"); return;
    case 'W': buf_puts(&r->out, "[^A-Za-z0-9_]"); return;
    case 's': buf_puts(&r->out, "[ \t\n\v\f\r]"); return;
    case 'S': buf_puts(&r->out, "[^ \t\n\v\f\r]"); return;
    case 't': lit_char(r, '\t'); return;
    case 'n': lit_char(r, '\n'); return;
    case 'r': lit_char(r, '\r'); return;
    case 'f': lit_char(r, '\f'); return;
    case 'a': lit_char(r, 7); return;
    case 'e': lit_char(r, 27); return;
    case 'b': buf_puts(&r->out, "\\b"); return;
    case 'B': buf_puts(&r->out, "\\B"); return;
    case 'A': buf_putc(&r->out, '^'); return;
    case 'z': case 'Z': buf_putc(&r->out, '$'); return;
    case 'x': lit_char(r, hex_n(r, 2)); return;
    case 'u': lit_char(r, hex_n(r, 4)); return;
    case 'Q': {
        while (r->i < r->n) {
            if (r->p[r->i] == '\\' && r->i + 1 < r->n && r->p[r->i + 1] == 'E') {
                r->i += 2;
                return;
            }
            lit_char(r, (unsigned char)r->p[r->i++]);
        }
        return;
    }
    default: break;
    }
    if (e >= '1' && e <= '9') {
        int g = e - '0';
        if (g > r->jgroups) rx_fail(r, "back reference to a group that does not exist");
        if (r->gmap[g] > 9) rx_fail(r, "back references past group 9 are not supported");
        buf_printf(&r->out, "\\%d", r->gmap[g]);
        return;
    }
    if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9'))
        rx_fail(r, "this escape sequence is not supported");
    lit_char(r, (unsigned char)e);
}

static void translate(rx *r, int *cflags) {
    if (r->n >= 4 && memcmp(r->p, "(?i)", 4) == 0) {
        *cflags |= REG_ICASE;
        r->i = 4;
    }
    int depth = 0;
    while (r->i < r->n) {
        char c = r->p[r->i];
        switch (c) {
        case '\\': translate_escape(r); break;
        case '[': translate_class(r); break;
        case '(':
            if (r->i + 1 < r->n && r->p[r->i + 1] == '?') {
                if (r->i + 2 < r->n && r->p[r->i + 2] == ':') {
                    r->pgroups++;
                    r->i += 3;
                    buf_putc(&r->out, '(');
                } else {
                    rx_fail(r, "look-around, named groups and inline flags are not supported");
                }
            } else {
                r->jgroups++;
                r->pgroups++;
                if (r->jgroups < 10) r->gmap[r->jgroups] = r->pgroups;
                r->i++;
                buf_putc(&r->out, '(');
            }
            depth++;
            break;
        case ')':
            if (--depth < 0) rx_fail(r, "Unmatched closing ')'");
            r->i++;
            buf_putc(&r->out, ')');
            break;
        case '*': case '+': case '?':
            r->i++;
            buf_putc(&r->out, c);
            quantifier_suffix(r);
            break;
        case '{': {
            size_t j = r->i + 1;
            while (j < r->n && ((r->p[j] >= '0' && r->p[j] <= '9') || r->p[j] == ',')) j++;
            if (j >= r->n || r->p[j] != '}' || j == r->i + 1) rx_fail(r, "Illegal repetition");
            buf_add(&r->out, r->p + r->i, j + 1 - r->i);
            r->i = j + 1;
            quantifier_suffix(r);
            break;
        }
        case '.':
            r->i++;
            buf_puts(&r->out, "[^\n\r]");
            break;
        case '^': case '$': case '|':
            r->i++;
            buf_putc(&r->out, c);
            break;
        default:
            r->i++;
            if (c == ']' || c == '}') buf_putc(&r->out, '\\');
            buf_putc(&r->out, c);
            break;
        }
    }
    if (depth) rx_fail(r, "Unclosed group");
}

static void regex_free(void *p) { regfree(&((vregex *)p)->re); }

vregex *vtl_regex(vrender *rs, const char *pat, size_t n, int off) {
    rx r = {.rs = rs, .off = off, .p = pat, .n = n, .out = BUF_INIT};
    int cflags = REG_EXTENDED;
    translate(&r, &cflags);
    vregex *re = va_zalloc(vtl_arena(rs), sizeof *re);
    int rc = regcomp(&re->re, r.out.data ? r.out.data : "", cflags);
    buf_free(&r.out);
    if (rc != 0) {
        char msg[160];
        regerror(rc, &re->re, msg, sizeof msg);
        vtl_throw(rs, off, "PatternSyntaxException: %s", msg);
    }
    va_on_free(vtl_arena(rs), regex_free, re);
    re->jgroups = r.jgroups;
    memcpy(re->gmap, r.gmap, sizeof re->gmap);
    re->nsub = re->re.re_nsub;
    vtl_work(rs, n * 8);
    return re;
}

int vtl_regex_groups(vregex *re) { return re->jgroups; }

/* Search s[start..n); fills the match and (Java-numbered) groups. */
bool vtl_regex_match(vregex *re, const char *s, size_t n, size_t start, size_t *ms, size_t *me,
                     size_t *gs, size_t *ge, int ngroups) {
    regmatch_t m[32];
    size_t nm = re->nsub + 1 < 32 ? re->nsub + 1 : 32;
    m[0].rm_so = (regoff_t)start;
    m[0].rm_eo = (regoff_t)n;
    if (regexec(&re->re, s ? s : "", nm, m, REG_STARTEND) != 0) return false;
    *ms = (size_t)m[0].rm_so;
    *me = (size_t)m[0].rm_eo;
    for (int g = 1; g <= ngroups && g < 10; g++) {
        int pg = re->gmap[g];
        if (pg > 0 && (size_t)pg < nm && m[pg].rm_so >= 0) {
            gs[g] = (size_t)m[pg].rm_so;
            ge[g] = (size_t)m[pg].rm_eo;
        } else {
            gs[g] = ge[g] = (size_t)-1;
        }
    }
    return true;
}

static size_t char_len(const char *s, size_t n, size_t i) {
    unsigned char c = (unsigned char)s[i];
    size_t l = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    return i + l > n ? n - i : l;
}

/* Java's appendReplacement: $n groups, \x literal. */
static void append_replacement(vrender *rs, vregex *re, vval rep, const char *s, size_t *gs,
                               size_t *ge, buf *b, int off) {
    const char *p = rep.u.s.p;
    size_t n = rep.u.s.n;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c == '\\') {
            if (++i >= n) {
                buf_free(b);
                vtl_throw(rs, off, "IllegalArgumentException: character to be escaped is missing");
            }
            buf_putc(b, p[i]);
        } else if (c == '$') {
            if (++i >= n || p[i] < '0' || p[i] > '9') {
                buf_free(b);
                vtl_throw(rs, off, "IllegalArgumentException: Illegal group reference");
            }
            int g = p[i] - '0';
            if (g > re->jgroups) {
                buf_free(b);
                vtl_throw(rs, off, "IndexOutOfBoundsException: No group %d", g);
            }
            while (i + 1 < n && p[i + 1] >= '0' && p[i + 1] <= '9' && g * 10 + (p[i + 1] - '0') <= re->jgroups) {
                g = g * 10 + (p[++i] - '0');
            }
            if (g == 0) {
                buf_add(b, s + gs[0], ge[0] - gs[0]);
            } else if (g < 10 && gs[g] != (size_t)-1) {
                buf_add(b, s + gs[g], ge[g] - gs[g]);
            } else if (g >= 10) {
                buf_free(b);
                vtl_throw(rs, off, "groups past 9 are not supported in replacements");
            }
        } else {
            buf_putc(b, c);
        }
    }
}

vval vtl_regex_replace(vrender *rs, vregex *re, vval sv, vval rep, bool all, int off) {
    const char *s = sv.u.s.p;
    size_t n = sv.u.s.n, from = 0, last = 0;
    size_t gs[10], ge[10];
    buf *b = va_buf(vtl_arena(rs));
    while (from <= n) {
        size_t ms, me;
        if (!vtl_regex_match(re, s, n, from, &ms, &me, gs, ge, re->jgroups)) break;
        gs[0] = ms;
        ge[0] = me;
        buf_add(b, s + last, ms - last);
        append_replacement(rs, re, rep, s, gs, ge, b, off);
        last = me;
        vtl_work(rs, 8 + (me - from));
        if (b->len > VTL_MAX_STRING) {
            buf_free(b);
            va_fail(vtl_arena(rs), "a string grew past %u MiB", VTL_MAX_STRING >> 20);
        }
        if (!all) break;
        if (me == ms) {
            if (me >= n) break;
            from = me + char_len(s, n, me);
        } else {
            from = me;
        }
    }
    buf_add(b, s + last, n - last);
    vval r = v_strdup(vtl_arena(rs), b->data ? b->data : "", b->len);
    buf_free(b);
    return r;
}

bool vtl_regex_matches(vrender *rs, vregex *re, vval s) {
    size_t ms, me, gs[10], ge[10];
    vtl_work(rs, s.u.s.n);
    /* POSIX takes the longest match at the leftmost position: a whole-string
     * match exists exactly when that one spans the string. */
    return vtl_regex_match(re, s.u.s.p, s.u.s.n, 0, &ms, &me, gs, ge, 0) && ms == 0 && me == s.u.s.n;
}

/* Pattern.split(input, limit). */
vval vtl_regex_split(vrender *rs, vregex *re, vval sv, int64_t limit) {
    varena *a = vtl_arena(rs);
    const char *s = sv.u.s.p;
    size_t n = sv.u.s.n, index = 0, from = 0, gs[10], ge[10];
    vval list = v_list_new(a, 0, VF_ARRAY);
    bool limited = limit > 0, any = false;
    while (from <= n) {
        size_t ms, me;
        if (!vtl_regex_match(re, s, n, from, &ms, &me, gs, ge, 0)) break;
        vtl_work(rs, 8 + (me - from));
        if (!limited || (int64_t)list.u.l->n < limit - 1) {
            if (!(index == 0 && ms == 0 && me == 0)) {
                v_list_push(a, list, v_str(s + index, ms - index));
                index = me;
                any = true;
            }
        } else {
            break;
        }
        if (me == ms) {
            if (me >= n) break;
            from = me + char_len(s, n, me);
        } else {
            from = me;
        }
    }
    if (!any) {
        vval only = v_list_new(a, 1, VF_ARRAY);
        v_list_push(a, only, sv);
        return only;
    }
    v_list_push(a, list, v_str(s + index, n - index));
    if (limit == 0)
        while (list.u.l->n > 0 && list.u.l->v[list.u.l->n - 1].u.s.n == 0) list.u.l->n--;
    return list;
}
