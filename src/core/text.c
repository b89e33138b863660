#include "core/text.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/mem.h"

static int hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

char *url_decode(const char *s, size_t n, bool plus_is_space) {
    char *out = xmalloc(n + 1);
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            out[j++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else if (s[i] == '+' && plus_is_space) {
            out[j++] = ' ';
        } else {
            out[j++] = s[i];
        }
    }
    out[j] = '\0';
    return out;
}

char *url_encode(const char *s, bool keep_slash) {
    static const char hex[] = "0123456789ABCDEF";
    buf b = BUF_INIT;
    buf_reserve(&b, strlen(s));
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.' || *p == '~' ||
            (keep_slash && *p == '/')) {
            buf_putc(&b, (char)*p);
        } else {
            char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            buf_add(&b, e, 3);
        }
    }
    return buf_steal(&b);
}

bool str_starts(const char *s, const char *prefix) {
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool str_ends(const char *s, const char *suffix) {
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

int str_casecmp(const char *a, const char *b) { return strcasecmp(a, b); }

/* Length of the valid UTF-8 sequence at p (1-4), or 0 when invalid. */
static size_t utf8_len(const unsigned char *p) {
    if (p[0] < 0x80) return 1;
    size_t n;
    unsigned cp;
    if ((p[0] & 0xE0) == 0xC0) n = 2, cp = p[0] & 0x1F;
    else if ((p[0] & 0xF0) == 0xE0) n = 3, cp = p[0] & 0x0F;
    else if ((p[0] & 0xF8) == 0xF0) n = 4, cp = p[0] & 0x07;
    else return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0;
        cp = cp << 6 | (p[i] & 0x3F);
    }
    static const unsigned min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    if (cp >= 0x80 && cp < 0xA0) return 0; /* C1 controls */
    return n;
}

char *text_sanitize(const char *s) {
    buf b = BUF_INIT;
    buf_reserve(&b, strlen(s));
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (*p < 0x20 || *p == 0x7F) {
            buf_putc(&b, '?');
            p++;
            continue;
        }
        size_t n = utf8_len(p);
        if (!n) {
            buf_puts(&b, "\xEF\xBF\xBD");
            p++;
            continue;
        }
        buf_add(&b, p, n);
        p += n;
    }
    return buf_steal(&b);
}
