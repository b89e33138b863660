/* A function's deployment package in memory: which file the handler
 * names, reading it, and putting an edited file back with every other
 * entry kept (core/zipcode.h does the archive work). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/zipcode.h"
#include "pane_fn.h"

char *fn_code_file(const char *handler, const char *runtime) {
    const char *h = handler && *handler ? handler : "lambda_function.lambda_handler";
    const char *dot = strrchr(h, '.');
    size_t n = dot ? (size_t)(dot - h) : strlen(h);
    const char *ext = runtime && strncmp(runtime, "nodejs", 6) == 0 ? ".mjs"
                      : runtime && strncmp(runtime, "ruby", 4) == 0 ? ".rb"
                                                                    : ".py";
    return xasprintf("%.*s%s", (int)n, h, ext);
}

/* The handler's file in any of its runtime's extensions, when the archive
 * has it (malloc'd), else NULL. */
static char *handler_file(const void *zip, size_t len, const char *handler, const char *runtime) {
    char *file = fn_code_file(handler, runtime);
    if (zipcode_has_file(zip, len, file)) return file;
    char *out = NULL;
    if (runtime && strncmp(runtime, "nodejs", 6) == 0) {
        /* index.mjs, index.js or index.cjs */
        char *base = xstrndup(file, strlen(file) - 4);
        static const char *const alt[] = {".js", ".cjs"};
        for (size_t i = 0; !out && i < 2; i++) {
            char *name = xasprintf("%s%s", base, alt[i]);
            if (zipcode_has_file(zip, len, name))
                out = name;
            else
                free(name);
        }
        free(base);
    }
    free(file);
    return out;
}

char *fn_zip_pick(const void *zip, size_t len, const char *handler, const char *runtime) {
    if (!zip) return NULL;
    char *file = handler_file(zip, len, handler, runtime);
    return file ? file : zipcode_first_file(zip, len);
}

/* The rest is core/zipcode.h in the panes' terms: one text file at a time. */

size_t fn_zip_count(const void *zip, size_t len) { return zipcode_count(zip, len); }

int fn_zip_read(const void *zip, size_t len, const char *name, char **text, err *e) {
    size_t n;
    return zipcode_read_file(zip, len, name, text, &n, e);
}

unsigned char *fn_zip_put(const void *zip, size_t len, const char *name, const char *text,
                          size_t *outlen, err *e) {
    return zipcode_put(zip, len, 1, &name, &text, outlen, e);
}

unsigned char *fn_unbase64(const char *b64, size_t *len) { return zipcode_unbase64(b64, len); }
