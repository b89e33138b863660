/* Lambda functions. */
#include <stdio.h>
#include <string.h>

#include "core/json.h"
#include "ui/pane.h"

static const ui_col cols[] = {
    {"Name", 13, 3}, {"Runtime", 10, 1}, {"Memory", 6, 0}, {"Timeout", 7, 0}, {"Last modified", 16, 0},
};

static const cJSON *source(const ui_ctx *cx) {
    return cx->lists_loaded ? mirror_functions(cx->m) : NULL;
}

/* "2026-11-30T00:00:00.000+0000" → "2026-11-30 00:00". */
static void short_time(const char *iso, char *out, size_t n) {
    if (strlen(iso) >= 16 && iso[10] == 'T')
        snprintf(out, n, "%.10s %.5s", iso, iso + 11);
    else
        snprintf(out, n, "%s", iso);
}

static void cells(const ui_ctx *cx, const cJSON *fn, bool reveal, const char **out,
                  char (*bufs)[128]) {
    out[0] = json_str_or(fn, "FunctionName", "");
    out[1] = json_str_or(fn, "Runtime", json_str_or(fn, "PackageType", ""));
    snprintf(bufs[2], 128, "%g MB", json_num_or(fn, "MemorySize", 128));
    out[2] = bufs[2];
    snprintf(bufs[3], 128, "%g s", json_num_or(fn, "Timeout", 3));
    out[3] = bufs[3];
    short_time(json_str_or(fn, "LastModified", ""), bufs[4], 128);
    out[4] = bufs[4];
}

static const table_spec spec = {
    .title = "Lambda functions",
    .empty = "No Lambda functions yet",
    .cols = cols,
    .ncols = 5,
    .source = source,
    .key_member = "FunctionName",
    .cells = cells,
};

pane *pane_functions_new(void) { return table_pane_new(&spec); }
