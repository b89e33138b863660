#include "ui/draw.h"

#include <wchar.h>

/* Decode one UTF-8 sequence; returns its length (0 at the end), and
 * U+FFFD for anything malformed. */
static int next_cp(const char *s, wchar_t *cp) {
    const unsigned char *p = (const unsigned char *)s;
    if (!*p) return 0;
    int n = *p < 0x80             ? 1
            : (*p & 0xE0) == 0xC0 ? 2
            : (*p & 0xF0) == 0xE0 ? 3
            : (*p & 0xF8) == 0xF0 ? 4
                                  : 0;
    if (n == 0) {
        *cp = 0xFFFD;
        return 1;
    }
    unsigned long v = n == 1 ? *p : *p & (0x7F >> n);
    for (int i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return i;
        }
        v = (v << 6) | (p[i] & 0x3F);
    }
    *cp = (wchar_t)v;
    return n;
}

/* The character to show for cp and its width (1 or 2). */
static int shown(const ui_theme *th, wchar_t cp, wchar_t *out) {
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
        *out = L'?';
        return 1;
    }
    if (cp < 0x80) {
        *out = cp;
        return 1;
    }
    if (!th->utf8) {
        *out = L'?';
        return 1;
    }
    int w = wcwidth(cp);
    if (w < 1 || w > 2) { /* combining or unprintable: keep the grid simple */
        *out = L'?';
        return 1;
    }
    *out = cp;
    return w;
}

int draw_width(const ui_theme *th, const char *s) {
    int total = 0, n;
    wchar_t cp, c;
    while ((n = next_cp(s, &cp)) > 0) {
        total += shown(th, cp, &c);
        s += n;
    }
    return total;
}

static void put(WINDOW *w, wchar_t c) {
    wchar_t one[2] = {c, 0};
    waddnwstr(w, one, 1);
}

int draw_text(WINDOW *w, const ui_theme *th, int y, int x, const char *s, int maxw) {
    if (maxw <= 0 || !s) return 0;
    if (wmove(w, y, x) == ERR) return 0;
    bool fits = draw_width(th, s) <= maxw;
    int ell = fits ? 0 : draw_width(th, th->ellipsis);
    int used = 0, n;
    wchar_t cp, c;
    while ((n = next_cp(s, &cp)) > 0) {
        int cw = shown(th, cp, &c);
        if (used + cw > maxw - ell) break;
        put(w, c);
        used += cw;
        s += n;
    }
    if (!fits && used + ell <= maxw) {
        waddstr(w, th->ellipsis);
        used += ell;
    }
    return used;
}

void draw_blank(WINDOW *w, int y, int x, int width) {
    if (width <= 0 || wmove(w, y, x) == ERR) return;
    for (int i = 0; i < width; i++) waddch(w, ' ');
}

void draw_field(WINDOW *w, const ui_theme *th, int y, int x, const char *s, int width) {
    int used = draw_text(w, th, y, x, s, width);
    draw_blank(w, y, x + used, width - used);
}

size_t draw_fit(const ui_theme *th, const char *s, int maxw) {
    size_t bytes = 0;
    int used = 0, n;
    wchar_t cp, c;
    while ((n = next_cp(s + bytes, &cp)) > 0) {
        int w = shown(th, cp, &c);
        if (used + w > maxw) break;
        used += w;
        bytes += (size_t)n;
    }
    return bytes;
}

size_t draw_wrap(const ui_theme *th, const char *s, int maxw) {
    size_t n = draw_fit(th, s, maxw);
    if (n == 0) return *s ? 1 : 0;
    if (!s[n] || s[n] == ' ') return n;
    /* Break after a space, or after a comma or a slash, in the line's
     * second half; else cut where the width ends. */
    for (size_t k = n; k > n / 2; k--)
        if (s[k - 1] == ' ' || s[k - 1] == ',' || s[k - 1] == '/') return k;
    return n;
}
