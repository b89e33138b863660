/* core: buffers, text, JSON helpers, clock and randomness, http helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/paths.h"
#include "core/text.h"
#include "transport/http.h"

static void buffer_grows_and_formats(void **state) {
    buf b = BUF_INIT;
    for (int i = 0; i < 1000; i++) buf_printf(&b, "%d,", i);
    assert_int_equal(b.len, strlen(b.data));
    assert_true(strncmp(b.data, "0,1,2,", 6) == 0);
    char *s = buf_steal(&b);
    assert_null(b.data);
    assert_non_null(strstr(s, "999,"));
    free(s);
}

static void url_coding(void **state) {
    char *d = url_decode("a%2Fb+c%zz%4", 12, true);
    assert_string_equal(d, "a/b c%zz%4");
    free(d);
    d = url_decode("a+b", 3, false);
    assert_string_equal(d, "a+b");
    free(d);
    char *e = url_encode("ItemsFunction:${stageVariables.x}/a b", false);
    assert_string_equal(e, "ItemsFunction%3A%24%7BstageVariables.x%7D%2Fa%20b");
    free(e);
    e = url_encode("/a b/c", true);
    assert_string_equal(e, "/a%20b/c");
    free(e);
}

static void sanitize_removes_control_characters(void **state) {
    char *s = text_sanitize("");
    assert_string_equal(s, "");
    free(s);
    buf b = BUF_INIT;
    buf_reserve(&b, 10);
    assert_string_equal(b.data, "");
    buf_free(&b);
    s = text_sanitize("ok\x1b[2Jbad\x07\x9b\tx");
    assert_null(strchr(s, 0x1b));
    assert_null(strchr(s, 0x07));
    assert_null(strchr(s, '\t'));
    assert_true(strncmp(s, "ok?[2Jbad?", 10) == 0);
    free(s);
    /* Valid UTF-8 stays; a UTF-8 encoded C1 control (U+009B CSI) does not. */
    s = text_sanitize("caf\xc3\xa9 \xc2\x9b");
    assert_true(strncmp(s, "caf\xc3\xa9 ", 6) == 0);
    assert_null(strstr(s, "\xc2\x9b"));
    free(s);
}

static void json_find_by_member(void **state) {
    cJSON *items = cJSON_Parse("[{\"id\":\"a\",\"n\":1},{\"n\":2},{\"id\":\"b\",\"n\":3},"
                               "{\"id\":\"b\",\"n\":4},{\"id\":5}]");
    assert_int_equal(json_num_or(json_find(items, "id", "b"), "n", 0), 3); /* the first */
    assert_int_equal(json_num_or(json_find(items, "id", "a"), "n", 0), 1);
    assert_int_equal(json_num_or(json_find(items, "id", ""), "n", 0), 2); /* missing is "" */
    assert_null(json_find(items, "id", "c"));
    assert_null(json_find(items, "id", "5")); /* not a string */
    assert_null(json_find(items, "id", NULL));
    assert_null(json_find(NULL, "id", "a"));
    cJSON_Delete(items);
}

static void json_helpers(void **state) {
    err e;
    cJSON *v = json_parse("{\"a\":\"x\",\"n\":2,\"b\":true,\"o\":{}}", 31, &e);
    assert_non_null(v);
    assert_string_equal(json_str(v, "a"), "x");
    assert_null(json_str(v, "n"));
    assert_true(json_num_or(v, "n", 0) == 2);
    assert_true(json_bool_or(v, "b", false));
    assert_non_null(json_obj(v, "o"));
    json_set_str(v, "a", "y");
    assert_string_equal(json_str(v, "a"), "y");
    char *p = json_pretty(v);
    assert_string_equal(p, "{\n  \"a\": \"y\",\n  \"n\": 2,\n  \"b\": true,\n  \"o\": {}\n}");
    free(p);
    cJSON_Delete(v);
    assert_null(json_parse("{\"a\":1} trailing", 16, &e));
    assert_non_null(strstr(e.msg, "after JSON"));
    assert_null(json_parse("{\"a\":", 5, &e));
}

static void seeded_randomness_repeats(void **state) {
    seeded_rand a, b;
    rand_src ra = rand_seeded(&a, 7), rb = rand_seeded(&b, 7);
    char x[11], y[11];
    rand_chars(&ra, "abc", 10, x);
    rand_chars(&rb, "abc", 10, y);
    assert_string_equal(x, y);
    fake_clock fc = {.ms = 1234};
    clock_src c = clock_fake(&fc);
    assert_int_equal(clock_now_ms(&c), 1234);
    fc.ms += 1000;
    assert_int_equal(clock_now_ms(&c), 2234);
}

static void query_lookup(void **state) {
    char *v = http_query_get("embed=methods&limit=500&position=a%2Bb", "position");
    assert_string_equal(v, "a+b");
    free(v);
    assert_null(http_query_get("embed=methods", "limit"));
    v = http_query_get("flag&x=1", "flag");
    assert_string_equal(v, "");
    free(v);
}

static void headers_are_case_insensitive(void **state) {
    http_headers h = {0};
    http_headers_add(&h, "Content-Type", "a");
    http_headers_set(&h, "content-type", "b");
    assert_int_equal(h.n, 1);
    assert_string_equal(http_headers_get(&h, "CONTENT-TYPE"), "b");
    http_headers_free(&h);
}

static void state_path_order(void **state) {
    setenv("APIGW_CONSOLE_STATE", "/tmp/from-env.json", 1);
    char *p = paths_state_file("/x/explicit.json");
    assert_string_equal(p, "/x/explicit.json");
    free(p);
    p = paths_state_file(NULL);
    assert_string_equal(p, "/tmp/from-env.json");
    free(p);
    unsetenv("APIGW_CONSOLE_STATE");
    setenv("XDG_STATE_HOME", "/xdg", 1);
    p = paths_state_file(NULL);
    assert_string_equal(p, "/xdg/apigw-console/state.json");
    free(p);
    unsetenv("XDG_STATE_HOME");
    setenv("HOME", "/home/u", 1);
    p = paths_state_file(NULL);
    assert_string_equal(p, "/home/u/.local/state/apigw-console/state.json");
    free(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buffer_grows_and_formats),
        cmocka_unit_test(url_coding),
        cmocka_unit_test(sanitize_removes_control_characters),
        cmocka_unit_test(json_helpers),
        cmocka_unit_test(json_find_by_member),
        cmocka_unit_test(seeded_randomness_repeats),
        cmocka_unit_test(query_lookup),
        cmocka_unit_test(headers_are_case_insensitive),
        cmocka_unit_test(state_path_order),
    };
    return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
