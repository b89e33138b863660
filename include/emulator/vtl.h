#ifndef EMULATOR_VTL_H
#define EMULATOR_VTL_H
/* Velocity Template Language as API Gateway runs it (Java Velocity 1.7 with
 * API Gateway's $input, $util, $context and $stageVariables). Parse once,
 * render many times; a template is immutable after parsing and may be
 * rendered from any thread. */
#include <cjson/cJSON.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/err.h"

typedef struct vtl_template vtl_template;

/* What a mapping template sees. Every member may be NULL (treated as empty). */
typedef struct vtl_input {
    const char *body; /* $input.body: the request (or integration response) body */
    size_t body_len;
    const cJSON *path;        /* path parameters: {"ID": "1"} */
    const cJSON *querystring; /* query parameters: {"q": "x"} */
    const cJSON *header;      /* headers: {"Accept": "..."} */
    const cJSON *stage_variables; /* $stageVariables */
    const cJSON *context;     /* $context: requestId, stage, httpMethod, resourcePath,
                                 identity {sourceIp, apiKey, ...}, ... */
} vtl_input;

/* Parse src[0..len). On a syntax error: NULL, e says where (line, column). */
vtl_template *vtl_parse(const char *src, size_t len, err *e);
void vtl_free(vtl_template *t);

/* Render into out (appended). A runtime error (a method that throws in
 * Java, such as Integer.parseInt("")) returns -1 with e set; out then holds
 * what was rendered so far. */
int vtl_render(const vtl_template *t, const vtl_input *in, buf *out, err *e);

#endif
