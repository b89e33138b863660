/* Placeholder until the local workers land. */
#include "emulator/runtime.h"

#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

struct runtime {
    int unused;
};

runtime *runtime_new(const runtime_opts *o) {
    (void)o;
    return xcalloc(1, sizeof(runtime));
}

void runtime_free(runtime *rt) { free(rt); }

int runtime_invoke(runtime *rt, const runtime_fn *fn, const char *event, size_t len,
                   runtime_result *out, err *e) {
    (void)rt;
    (void)fn;
    (void)event;
    (void)len;
    memset(out, 0, sizeof *out);
    return err_set(e, 500, "ServiceException", "running functions is not supported yet");
}

void runtime_result_free(runtime_result *r) {
    free(r->payload);
    free(r->log);
    memset(r, 0, sizeof *r);
}
