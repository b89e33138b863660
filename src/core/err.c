#include "core/err.h"

#include <stdio.h>
#include <string.h>

void err_clear(err *e) {
    if (e) memset(e, 0, sizeof *e);
}

int err_setv(err *e, int status, const char *code, const char *fmt, va_list ap) {
    if (!e) return -1;
    e->status = status;
    snprintf(e->code, sizeof e->code, "%s", code ? code : "");
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    return -1;
}

int err_set(err *e, int status, const char *code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    err_setv(e, status, code, fmt, ap);
    va_end(ap);
    return -1;
}

const char *err_text(const err *e, char *buf, unsigned long n) {
    if (e->code[0])
        snprintf(buf, n, "%s: %s", e->code, e->msg);
    else
        snprintf(buf, n, "%s", e->msg);
    return buf;
}
