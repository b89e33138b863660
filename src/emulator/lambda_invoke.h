#ifndef EMULATOR_LAMBDA_INVOKE_H
#define EMULATOR_LAMBDA_INVOKE_H
/* Running functions, for Lambda's Invoke and for API Gateway's Lambda
 * integrations. Private to src/emulator/. */
#include <stdbool.h>
#include <stddef.h>

#include "emu.h"
#include "emulator/runtime.h"

typedef struct lambda_run {
    runtime_result r;
    char executed_version[16]; /* "$LATEST", "1", ... */
    char function_arn[256];    /* the ARN that was invoked (qualified as asked) */
} lambda_run;

/* Invoke function (a name, name:qualifier or ARN, as Invoke's path label)
 * with qualifier (NULL: none) as Lambda does: resolve the alias (weighted
 * aliases pick a version by their weights), run the version's code. Returns
 * 0 when it ran (out->r.function_error says whether it raised); -1 with the
 * call failed with Lambda's error (not found, ...) otherwise. Must run in a
 * store transaction (any emu_call handler is in one). */
int lambda_invoke_run(emu_call *c, const char *function, const char *qualifier, const char *event,
                      size_t len, lambda_run *out);
void lambda_run_free(lambda_run *r);

/* Does the resource policy of function[:qualifier] let principal invoke it
 * from source_arn (wildcards as IAM matches ArnLike)? When not, why says
 * what is missing, in words fit for an execution log. */
bool lambda_policy_allows(emu_call *c, const char *function, const char *qualifier,
                          const char *principal, const char *source_arn, char *why, size_t n);

#endif
