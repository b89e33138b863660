#ifndef CORE_ERR_H
#define CORE_ERR_H
/* An error as AWS reports it: HTTP status, error code (the x-amzn-ErrorType),
 * and a human message. Functions return -1 and fill the caller's err. */
#include <stdarg.h>

typedef struct err {
    int status;     /* HTTP status, or 0 for local failures */
    char code[64];  /* e.g. "NotFoundException"; "" for local failures */
    char msg[512];
} err;

void err_clear(err *e);
/* Always returns -1 so callers can `return err_set(...)`. NULL e is allowed. */
int err_set(err *e, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
int err_setv(err *e, int status, const char *code, const char *fmt, va_list ap);
/* "Code: message" or just the message when there is no code. */
const char *err_text(const err *e, char *buf, unsigned long n);

#endif
