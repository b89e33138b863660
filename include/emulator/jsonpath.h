#ifndef EMULATOR_JSONPATH_H
#define EMULATOR_JSONPATH_H
/* The JSONPath subset API Gateway accepts in $input.json(), $input.path()
 * and in mapping expressions such as integration.response.body.errorMessage:
 * $, .name, ['name'], [index], [*], ..name. */
#include <cjson/cJSON.h>

#include "core/err.h"

/* Evaluate path against doc. Returns a new value (caller frees): the match,
 * an array of matches for wildcards and deep scans, or NULL with e unset
 * when nothing matches; NULL with e set on a malformed path. */
cJSON *jsonpath_eval(const cJSON *doc, const char *path, err *e);

#endif
