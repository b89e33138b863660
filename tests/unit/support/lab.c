#include "lab.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <stdio.h>

#include "core/zipcode.h"
#include "core/mem.h"

const char LAB_ITEMS_JSON[] =
    "[{\"ID\": 1, \"name\": \"Pen\", \"price\": 2.5}, {\"ID\": 2, \"name\": \"Pencil\", \"price\": "
    "1.5}, {\"ID\": 3, \"name\": \"Highlighter\", \"price\": 3.0}, {\"ID\": 4, \"name\": "
    "\"Ruler\", \"price\": 5.0}]";

void lab_assert_list_log(const char *log, const char *request_id) {
    char expect[400];
    snprintf(expect, sizeof expect,
             "START RequestId: %s Version: $LATEST\nEvent: {}\nEND RequestId: %s\nREPORT "
             "RequestId: %s\tDuration: ",
             request_id, request_id, request_id);
    assert_true(strlen(log) >= strlen(expect));
    assert_memory_equal(log, expect, strlen(expect));
}

char *lab_function_edit(const char *from, const char *to) {
    const char *at = strstr(lab_function_py, from);
    assert_non_null(at);
    return xasprintf("%.*s%s%s", (int)(at - lab_function_py), lab_function_py, to,
                     at + strlen(from));
}

unsigned char *zip_one(const char *name, const char *content, size_t *len) {
    unsigned char *zip = zipcode_build(1, &name, &content, len);
    assert_non_null(zip);
    return zip;
}

char *zip_one_base64(const char *name, const char *content, unsigned char **raw, size_t *rawlen) {
    size_t len;
    unsigned char *buf = zip_one(name, content, &len);
    char *b64 = zipcode_base64(buf, len);
    if (raw) {
        *raw = buf;
        *rawlen = len;
    } else {
        free(buf);
    }
    return b64;
}

char *lab_function_body(const char *name, const char *zip_b64, const char *extra) {
    return xasprintf(
        "{\"FunctionName\":\"%s\",\"Runtime\":\"python3.13\",\"Role\":\"%s\","
        "\"Handler\":\"lambda_function.lambda_handler\",\"Code\":{\"ZipFile\":\"%s\"}%s%s}",
        name, LAB_ROLE, zip_b64, extra ? "," : "", extra ? extra : "");
}

void lab_create_function(fixture *fx, const char *name, const char *code, const char *extra) {
    char *zip = zip_one_base64("lambda_function.py", code, NULL, NULL);
    char *body = lab_function_body(name, zip, extra);
    int st = fx_call(fx, "POST", "/2015-03-31/functions", body, NULL);
    if (st != 201) fprintf(stderr, "CreateFunction %s -> %d %s\n", name, st, fx_body(fx));
    assert_int_equal(st, 201);
    free(body);
    free(zip);
}

void lab_update_code(fixture *fx, const char *name, const char *code) {
    char *zip = zip_one_base64("lambda_function.py", code, NULL, NULL);
    char *body = xasprintf("{\"ZipFile\":\"%s\"}", zip);
    int st = fx_callf(fx, NULL, "PUT", body, "/2015-03-31/functions/%s/code", name);
    if (st != 200) fprintf(stderr, "UpdateFunctionCode %s -> %d %s\n", name, st, fx_body(fx));
    assert_int_equal(st, 200);
    free(body);
    free(zip);
}
