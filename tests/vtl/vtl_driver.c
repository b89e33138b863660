/* Render one template with one input, for the differential suite and by
 * hand: vtl_driver TEMPLATE.vtl [INPUT.json]. The input holds "body" (text,
 * or any JSON value written out compactly), "path", "querystring",
 * "header", "stageVariables" and "context". Prints the output; on an error
 * prints "ERROR: message" and exits 2 (syntax) or 3 (runtime). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "emulator/vtl.h"

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    buf b = BUF_INIT;
    char tmp[4096];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) buf_add(&b, tmp, n);
    fclose(f);
    *len = b.len;
    return buf_steal(&b);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s TEMPLATE [INPUT.json]\n", argv[0]);
        return 1;
    }
    size_t tlen, ilen = 0;
    char *tsrc = slurp(argv[1], &tlen);
    if (!tsrc) {
        perror(argv[1]);
        return 1;
    }
    cJSON *input = NULL;
    if (argc > 2) {
        char *isrc = slurp(argv[2], &ilen);
        input = isrc ? cJSON_Parse(isrc) : NULL;
        free(isrc);
        if (!input) {
            fprintf(stderr, "%s: not JSON\n", argv[2]);
            return 1;
        }
    }
    vtl_input in = {0};
    char *body = NULL;
    cJSON *jb = cJSON_GetObjectItem(input, "body");
    if (cJSON_IsString(jb)) body = strdup(jb->valuestring);
    else if (jb) body = cJSON_PrintUnformatted(jb);
    in.body = body;
    in.body_len = body ? strlen(body) : 0;
    in.path = cJSON_GetObjectItem(input, "path");
    in.querystring = cJSON_GetObjectItem(input, "querystring");
    in.header = cJSON_GetObjectItem(input, "header");
    in.stage_variables = cJSON_GetObjectItem(input, "stageVariables");
    in.context = cJSON_GetObjectItem(input, "context");
    err e = {0};
    int rc = 0;
    vtl_template *t = vtl_parse(tsrc, tlen, &e);
    if (!t) {
        printf("ERROR: %s\n", e.msg);
        rc = 2;
    } else {
        buf out = BUF_INIT;
        if (vtl_render(t, &in, &out, &e) != 0) {
            printf("ERROR: %s\n", e.msg);
            rc = 3;
        } else {
            fwrite(out.data ? out.data : "", 1, out.len, stdout);
        }
        buf_free(&out);
        vtl_free(t);
    }
    free(body);
    free(tsrc);
    cJSON_Delete(input);
    return rc;
}
