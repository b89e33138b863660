/* Placeholder until Invoke lands. */
#include "lambda_invoke.h"

#include <stdio.h>
#include <string.h>

int lambda_invoke_run(emu_call *c, const char *function, const char *qualifier, const char *event,
                      size_t len, lambda_run *out) {
    (void)function;
    (void)qualifier;
    (void)event;
    (void)len;
    memset(out, 0, sizeof *out);
    return emu_fail_lambda(c, 501, "NotImplemented", "Invoke is not supported yet");
}

void lambda_run_free(lambda_run *r) { runtime_result_free(&r->r); }

bool lambda_policy_allows(emu_call *c, const char *function, const char *qualifier,
                          const char *principal, const char *source_arn, char *why, size_t n) {
    (void)c;
    (void)function;
    (void)qualifier;
    (void)principal;
    (void)source_arn;
    snprintf(why, n, "permissions are not checked yet");
    return false;
}

const emu_route lambda_invoke_routes[] = {
    {OP__COUNT, NULL},
};
