/* Placeholder until JSONPath lands. */
#include "emulator/jsonpath.h"

cJSON *jsonpath_eval(const cJSON *doc, const char *path, err *e) {
    (void)doc;
    (void)path;
    err_set(e, 500, "", "JSONPath is not supported yet");
    return NULL;
}
