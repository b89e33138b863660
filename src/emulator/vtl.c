/* Placeholder until the template engine lands: every template is refused. */
#include "emulator/vtl.h"

#include <stdlib.h>

struct vtl_template {
    int unused;
};

vtl_template *vtl_parse(const char *src, size_t len, err *e) {
    (void)src;
    (void)len;
    err_set(e, 500, "", "mapping templates are not supported yet");
    return NULL;
}

void vtl_free(vtl_template *t) { free(t); }

int vtl_render(const vtl_template *t, const vtl_input *in, buf *out, err *e) {
    (void)t;
    (void)in;
    (void)out;
    return err_set(e, 500, "", "mapping templates are not supported yet");
}
