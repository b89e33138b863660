#include "core/json.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/mem.h"

cJSON *json_parse(const char *s, size_t len, err *e) {
    const char *end = NULL;
    cJSON *v = cJSON_ParseWithLengthOpts(s, len, &end, 0);
    if (!v) {
        size_t off = end && end >= s ? (size_t)(end - s) : 0;
        err_set(e, 400, "SerializationException", "malformed JSON at byte %zu", off);
        return NULL;
    }
    /* Only white space may follow the value. */
    size_t off = (size_t)(end - s);
    while (off < len && strchr(" \t\r\n", s[off]) && s[off]) off++;
    if (off < len) {
        cJSON_Delete(v);
        err_set(e, 400, "SerializationException", "unexpected data after JSON at byte %zu", off);
        return NULL;
    }
    return v;
}

const char *json_str(const cJSON *obj, const char *key) {
    const cJSON *v = obj ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

const char *json_str_or(const cJSON *obj, const char *key, const char *dflt) {
    const char *s = json_str(obj, key);
    return s ? s : dflt;
}

bool json_has(const cJSON *obj, const char *key) {
    const cJSON *v = obj ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
    return v && !cJSON_IsNull(v);
}

double json_num_or(const cJSON *obj, const char *key, double dflt) {
    const cJSON *v = obj ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
    return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

bool json_bool_or(const cJSON *obj, const char *key, bool dflt) {
    const cJSON *v = obj ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
    return cJSON_IsBool(v) ? cJSON_IsTrue(v) : dflt;
}

cJSON *json_obj(const cJSON *obj, const char *key) {
    cJSON *v = obj ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
    return cJSON_IsObject(v) ? v : NULL;
}

cJSON *json_arr(const cJSON *obj, const char *key) {
    cJSON *v = obj ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
    return cJSON_IsArray(v) ? v : NULL;
}

const cJSON *json_find(const cJSON *items, const char *member, const char *value) {
    const cJSON *it;
    if (!value) return NULL;
    cJSON_ArrayForEach(it, items) {
        if (strcmp(json_str_or(it, member, ""), value) == 0) return it;
    }
    return NULL;
}

cJSON *json_child_obj(cJSON *obj, const char *key) {
    cJSON *v = json_obj(obj, key);
    if (!v) {
        v = cJSON_CreateObject();
        json_set(obj, key, v);
    }
    return v;
}

void json_set(cJSON *obj, const char *key, cJSON *value) {
    if (cJSON_GetObjectItemCaseSensitive(obj, key))
        cJSON_ReplaceItemInObjectCaseSensitive(obj, key, value);
    else
        cJSON_AddItemToObject(obj, key, value);
}

void json_set_str(cJSON *obj, const char *key, const char *value) {
    json_set(obj, key, cJSON_CreateString(value));
}

void json_set_num(cJSON *obj, const char *key, double value) {
    json_set(obj, key, cJSON_CreateNumber(value));
}

void json_set_bool(cJSON *obj, const char *key, bool value) {
    json_set(obj, key, cJSON_CreateBool(value));
}

char *json_print(const cJSON *v) {
    char *s = cJSON_PrintUnformatted(v);
    if (!s) return xstrdup("null");
    return s;
}

/* cJSON's formatted printer uses tabs; the console and files use two spaces. */
static void pretty(buf *b, const cJSON *v, int depth) {
    if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
        bool obj = cJSON_IsObject(v);
        if (!v->child) {
            buf_puts(b, obj ? "{}" : "[]");
            return;
        }
        buf_puts(b, obj ? "{\n" : "[\n");
        for (const cJSON *c = v->child; c; c = c->next) {
            for (int i = 0; i < depth + 1; i++) buf_puts(b, "  ");
            if (obj) {
                cJSON *k = cJSON_CreateString(c->string ? c->string : "");
                char *ks = cJSON_PrintUnformatted(k);
                buf_puts(b, ks);
                buf_puts(b, ": ");
                free(ks);
                cJSON_Delete(k);
            }
            pretty(b, c, depth + 1);
            buf_puts(b, c->next ? ",\n" : "\n");
        }
        for (int i = 0; i < depth; i++) buf_puts(b, "  ");
        buf_putc(b, obj ? '}' : ']');
        return;
    }
    char *s = cJSON_PrintUnformatted(v);
    buf_puts(b, s ? s : "null");
    free(s);
}

char *json_pretty(const cJSON *v) {
    buf b = BUF_INIT;
    pretty(&b, v, 0);
    return buf_steal(&b);
}
