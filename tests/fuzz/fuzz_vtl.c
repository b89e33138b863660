/* libFuzzer target: parse the input as a mapping template and render it
 * with a fixed request (body, parameters, context, stage variables). Any
 * crash, leak, sanitizer report or hang is a bug; syntax and runtime errors
 * are fine. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/buf.h"
#include "emulator/vtl.h"

static const char BODY[] = "{\"name\": \"x\", \"n\": 3, \"d\": 2.5, \"items\": [{\"id\": 1, \"tags\": [\"a\"]}, "
                           "{\"id\": 2}], \"s\": \"a/b \\u00e9\", \"nested\": {\"k\": {\"arr\": [1, 2, 3]}}}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static cJSON *path, *qs, *hdr, *ctx, *sv;
    if (!path) {
        path = cJSON_Parse("{\"ID\": \"1\", \"id\": \"p\"}");
        qs = cJSON_Parse("{\"q\": \"search\", \"n\": \"42\"}");
        hdr = cJSON_Parse("{\"Accept\": \"application/json\"}");
        ctx = cJSON_Parse("{\"stage\": \"dev\", \"requestId\": \"r\", \"identity\": {\"sourceIp\": \"127.0.0.1\"}}");
        sv = cJSON_Parse("{\"lambdaAlias\": \"dev\"}");
    }
    vtl_input in = {.body = BODY, .body_len = sizeof BODY - 1, .path = path, .querystring = qs,
                    .header = hdr, .context = ctx, .stage_variables = sv};
    err e = {0};
    vtl_template *t = vtl_parse((const char *)data, size, &e);
    if (!t) return 0;
    buf out = BUF_INIT;
    vtl_render(t, &in, &out, &e);
    buf_free(&out);
    vtl_free(t);
    return 0;
}
