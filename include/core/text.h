#ifndef CORE_TEXT_H
#define CORE_TEXT_H
/* String utilities: percent-encoding, ASCII case, terminal-safe text. */
#include <stdbool.h>
#include <stddef.h>

/* Percent-decode s[0..n) into a new string; '+' stays '+' (paths) unless
 * plus_is_space (query strings). Invalid escapes are kept literally. */
char *url_decode(const char *s, size_t n, bool plus_is_space);
/* Percent-encode everything but RFC 3986 unreserved characters; keep '/'
 * when keep_slash. */
char *url_encode(const char *s, bool keep_slash);

bool str_starts(const char *s, const char *prefix);
bool str_ends(const char *s, const char *suffix);
int str_casecmp(const char *a, const char *b);

/* Copy s into a new string where every control character (C0, DEL, C1 and
 * ESC sequences) is replaced by '?' and invalid UTF-8 by U+FFFD, so that
 * text from outside can never drive the terminal. */
char *text_sanitize(const char *s);

#endif
