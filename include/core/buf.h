#ifndef CORE_BUF_H
#define CORE_BUF_H
/* A growable byte buffer, always NUL-terminated so it can be used as a string. */
#include <stdarg.h>
#include <stddef.h>

typedef struct buf {
    char *data;
    size_t len, cap;
} buf;

#define BUF_INIT {0}

void buf_free(buf *b);
void buf_reset(buf *b);
/* Grow to hold n more bytes; aborts only on allocation failure (out of memory). */
void buf_reserve(buf *b, size_t n);
void buf_add(buf *b, const void *p, size_t n);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, char c);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf *b, const char *fmt, va_list ap);
/* Hand the contents to the caller (malloc'd, NUL-terminated) and reset. */
char *buf_steal(buf *b);

#endif
