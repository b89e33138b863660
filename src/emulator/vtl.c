/* Template engine: what the parser and the renderer share. The parser is in
 * vtl_parse.c, the renderer in vtl_render.c, values in vtl_value.c, Java's
 * methods in vtl_methods.c and regular expressions in vtl_regex.c. */
#include <stdio.h>
#include <stdlib.h>

#include "vtl_internal.h"

void vtl_position(const char *src, size_t len, size_t off, int *line, int *col) {
    int l = 1, c = 1;
    if (off > len) off = len;
    for (size_t i = 0; i < off; i++) {
        unsigned char ch = (unsigned char)src[i];
        if (ch == '\n' || (ch == '\r' && (i + 1 >= len || src[i + 1] != '\n'))) {
            l++;
            c = 1;
        } else if ((ch & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

void vtl_error_at(err *e, const vtl_template *t, size_t off, const char *fmt, va_list ap) {
    char msg[400];
    vsnprintf(msg, sizeof msg, fmt, ap);
    int line, col;
    vtl_position(t->src, t->len, off, &line, &col);
    err_set(e, 500, "", "line %d, column %d: %s", line, col, msg);
}

void vtl_free(vtl_template *t) {
    if (!t) return;
    va_free(&t->arena);
    free(t);
}
