#ifndef CLIENT_WIRE_H
#define CLIENT_WIRE_H
/* Private to src/client/: placing optional members of typed operations on
 * the wire. A NULL string or JSON value is not sent, a number is sent when
 * > 0, a flag only when true. */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdlib.h>

#include "client/client.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/text.h"

/* Path labels of a call, in the template's order: expands to (array, count). */
#define WIRE_PARAMS(...)                                                                           \
    (const char *const[]){__VA_ARGS__}, sizeof((const char *const[]){__VA_ARGS__}) / sizeof(char *)

static inline void wire_q_str(buf *q, const char *key, const char *v) {
    if (!v) return;
    char *enc = url_encode(v, false);
    buf_printf(q, "%s%s=%s", q->len ? "&" : "", key, enc);
    free(enc);
}

static inline void wire_q_int(buf *q, const char *key, int v) {
    if (v > 0) buf_printf(q, "%s%s=%d", q->len ? "&" : "", key, v);
}

static inline void wire_q_flag(buf *q, const char *key, bool v) {
    if (v) wire_q_str(q, key, "true");
}

static inline void wire_str(cJSON *b, const char *key, const char *v) {
    if (v) json_set_str(b, key, v);
}

static inline void wire_json(cJSON *b, const char *key, const cJSON *v) {
    if (v) json_set(b, key, cJSON_Duplicate(v, 1));
}

static inline void wire_int(cJSON *b, const char *key, int v) {
    if (v > 0) json_set_num(b, key, v);
}

static inline void wire_flag(cJSON *b, const char *key, bool v) {
    if (v) json_set_bool(b, key, true);
}

/* client_call that frees the query buffer (may be NULL), takes the body
 * and returns ud, as every typed operation does. */
static inline void *wire_call(client *c, aws_op op, const char *const *params, size_t n, buf *q,
                              cJSON *body, client_done_fn done, void *ud) {
    client_call(c, op, params, n, q && q->len ? q->data : NULL, body, done, ud);
    if (q) buf_free(q);
    return ud;
}

#endif
