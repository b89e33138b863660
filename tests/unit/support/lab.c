#include "lab.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zip.h>

#include "../../../src/emulator/zipcode.h"
#include "core/mem.h"

const char LAB_ITEMS_TEMPLATE[] = "[\n"
                                  "#foreach($ID in [1, 2, 3])\n"
                                  "#set($price = $ID * 1.5)\n"
                                  "#set($name = \"foo\" + $ID)\n"
                                  "{\n"
                                  "\"ID\" : $ID,\n"
                                  "\"name\" : \"$name\",\n"
                                  "\"price\" : $price\n"
                                  "}\n"
                                  "#if($foreach.hasNext),#end\n"
                                  "#end\n"
                                  "]";

const char LAB_ITEM_TEMPLATE[] = "#set($Integer = 1)\n"
                                 "#set($ID = $Integer.parseInt($input.params(\"ID\")))\n"
                                 "#set($name = \"foo\" + $ID)\n"
                                 "#set($price = $ID * 1.5)\n"
                                 "{\n"
                                 "\"ID\" : $ID,\n"
                                 "\"name\" : \"$name\",\n"
                                 "\"price\" : $price\n"
                                 "}";

unsigned char *zip_one(const char *name, const char *content, size_t *len) {
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    assert_non_null(src);
    zip_source_keep(src);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    assert_non_null(za);
    zip_source_t *fs = zip_source_buffer(za, content, strlen(content), 0);
    assert_true(zip_file_add(za, name, fs, ZIP_FL_ENC_UTF_8) >= 0);
    assert_int_equal(zip_close(za), 0);
    assert_int_equal(zip_source_open(src), 0);
    zip_source_seek(src, 0, SEEK_END);
    zip_int64_t n = zip_source_tell(src);
    zip_source_seek(src, 0, SEEK_SET);
    unsigned char *buf = xmalloc((size_t)n);
    assert_int_equal(zip_source_read(src, buf, (zip_uint64_t)n), n);
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&ze);
    *len = (size_t)n;
    return buf;
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
