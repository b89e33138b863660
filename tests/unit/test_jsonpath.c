/* JSONPath as API Gateway evaluates it: definite paths give one value,
 * wildcards and deep scans give every match, malformed paths are errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "emulator/jsonpath.h"

static const char *DOC = "{\"name\": \"top\", \"n\": 1.5, \"items\": [{\"id\": 1, \"name\": \"a\"}, "
                         "{\"id\": 2, \"name\": \"b\"}, {\"id\": 3}], \"a.b\": {\"c\": true}, "
                         "\"deep\": {\"x\": {\"name\": \"deeper\"}}}";

/* Compact text of the result, "NULL" for no match, "ERR" for an error. */
static char *eval(const char *path) {
    cJSON *doc = cJSON_Parse(DOC);
    err e = {0};
    cJSON *r = jsonpath_eval(doc, path, &e);
    char *s;
    if (r) s = cJSON_PrintUnformatted(r);
    else s = strdup(e.msg[0] ? "ERR" : "NULL");
    cJSON_Delete(r);
    cJSON_Delete(doc);
    return s;
}

#define EXPECT(path, want)                                                                         \
    do {                                                                                           \
        char *got_ = eval(path);                                                                   \
        assert_string_equal(got_, want);                                                           \
        free(got_);                                                                                \
    } while (0)

static void definite_paths(void **state) {
    EXPECT("$", DOC[0] ? "{\"name\":\"top\",\"n\":1.5,\"items\":[{\"id\":1,\"name\":\"a\"},{\"id\":2,"
                        "\"name\":\"b\"},{\"id\":3}],\"a.b\":{\"c\":true},\"deep\":{\"x\":{\"name\":\"deeper\"}}}"
                      : "");
    EXPECT("$.name", "\"top\"");
    EXPECT("name", "\"top\""); /* read as $.name */
    EXPECT("$['name']", "\"top\"");
    EXPECT("$[\"n\"]", "1.5");
    EXPECT("$['a.b'].c", "true");
    EXPECT("$.items[1].id", "2");
    EXPECT("$.items[-1]", "{\"id\":3}");
    EXPECT("$.items[ 0 ]['name']", "\"a\"");
}

static void missing_paths(void **state) {
    EXPECT("$.nope", "NULL");
    EXPECT("$.items[7]", "NULL");
    EXPECT("$.name.x", "NULL");
    EXPECT("$.items.id", "NULL");
    EXPECT("$.items[*].nope", "NULL");
}

static void indefinite_paths(void **state) {
    EXPECT("$.items[*].id", "[1,2,3]");
    EXPECT("$.items.*.id", "[1,2,3]");
    EXPECT("$..name", "[\"top\",\"a\",\"b\",\"deeper\"]");
    EXPECT("$.items[0,2].id", "[1,3]");
    EXPECT("$.items[1:].id", "[2,3]");
    EXPECT("$.items[:2].id", "[1,2]");
    EXPECT("$.items[-2:].id", "[2,3]");
    EXPECT("$.items[0:3:2].id", "[1,3]");
    EXPECT("$['name','n']", "[\"top\",1.5]");
    EXPECT("$.deep..*", "[{\"name\":\"deeper\"},\"deeper\"]");
}

static void malformed_paths(void **state) {
    EXPECT("", "ERR");
    EXPECT("$.", "ERR");
    EXPECT("$[", "ERR");
    EXPECT("$['open", "ERR");
    EXPECT("$.items[?(@.id > 1)]", "ERR");
    EXPECT("$.items.length()", "ERR");
    EXPECT("$x", "ERR");
    EXPECT("@.a", "ERR");
    err e = {0};
    assert_null(jsonpath_eval(NULL, "$.a", &e));
    assert_string_equal(e.msg, "");
    assert_null(jsonpath_eval(NULL, NULL, &e));
    assert_true(e.msg[0] != '\0');
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(definite_paths),
        cmocka_unit_test(missing_paths),
        cmocka_unit_test(indefinite_paths),
        cmocka_unit_test(malformed_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
