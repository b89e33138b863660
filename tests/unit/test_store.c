/* The state file: atomic saves, mode 0600, refusal of bad files, and no lost
 * updates between two processes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/json.h"
#include "core/mem.h"
#include "emulator/store.h"

typedef struct tmp {
    char dir[64];
    char *path;
} tmp;

static int setup(void **state) {
    tmp *t = xcalloc(1, sizeof *t);
    snprintf(t->dir, sizeof t->dir, "/tmp/apigw-store-XXXXXX");
    assert_non_null(mkdtemp(t->dir));
    t->path = xasprintf("%s/sub/state.json", t->dir);
    *state = t;
    return 0;
}

static int teardown(void **state) {
    tmp *t = *state;
    char *cmd = xasprintf("rm -rf '%s'", t->dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(t->path);
    free(t);
    return 0;
}

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static char *read_all(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    char *s = xcalloc(1, 1 << 20);
    size_t n = fread(s, 1, (1 << 20) - 1, f);
    s[n] = '\0';
    fclose(f);
    return s;
}

/* Add one API named name in us-west-2, in its own write transaction. */
static void add_api(store *s, const char *name) {
    err e;
    assert_int_equal(store_begin(s, true, &e), 0);
    cJSON *apis = json_obj(store_region(s, "us-west-2"), "restapis");
    cJSON *api = cJSON_CreateObject();
    json_set_str(api, "name", name);
    cJSON_AddItemToObject(apis, name, api);
    assert_int_equal(store_commit(s, &e), 0);
}

static int count_apis(store *s) {
    err e;
    assert_int_equal(store_begin(s, false, &e), 0);
    int n = cJSON_GetArraySize(json_obj(store_region(s, "us-west-2"), "restapis"));
    store_commit(s, &e);
    return n;
}

static void creates_file_with_mode_0600(void **state) {
    tmp *t = *state;
    err e;
    store *s = store_open(t->path, &e);
    assert_non_null(s);
    add_api(s, "one");
    struct stat st;
    assert_int_equal(stat(t->path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    char *text = read_all(t->path);
    assert_non_null(strstr(text, "\"format\":\"apigw-console-state\""));
    assert_non_null(strstr(text, "\"one\""));
    free(text);
    store_close(s);
    /* Reopened, the state is still there. */
    s = store_open(t->path, &e);
    assert_int_equal(count_apis(s), 1);
    store_close(s);
}

static void abort_restores_state(void **state) {
    tmp *t = *state;
    err e;
    store *s = store_open(t->path, &e);
    add_api(s, "kept");
    assert_int_equal(store_begin(s, true, &e), 0);
    cJSON *apis = json_obj(store_region(s, "us-west-2"), "restapis");
    cJSON_AddItemToObject(apis, "dropped", cJSON_CreateObject());
    store_abort(s);
    assert_int_equal(count_apis(s), 1);
    store_close(s);
    store *m = store_open(NULL, &e);
    add_api(m, "mem");
    assert_int_equal(store_begin(m, true, &e), 0);
    cJSON_DeleteItemFromObject(json_obj(store_region(m, "us-west-2"), "restapis"), "mem");
    store_abort(m);
    assert_int_equal(count_apis(m), 1);
    store_close(m);
}

static void refuses_bad_files_and_keeps_them(void **state) {
    tmp *t = *state;
    static const char *const bad[] = {
        "{\"format\":\"apigw-console-state\",\"version\":1,\"regions\":{\"us-w", /* truncated */
        "not json at all",
        "{\"some\":\"other program's file\"}",
        "{\"format\":\"apigw-console-state\",\"version\":99,\"regions\":{}}",
        "[1,2,3]",
        "",
    };
    err e;
    store *probe = store_open(t->path, &e); /* creates the directory */
    store_close(probe);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        write_file(t->path, bad[i]);
        store *s = store_open(t->path, &e);
        assert_null(s);
        assert_non_null(strstr(e.msg, "refusing"));
        char *after = read_all(t->path);
        assert_string_equal(after, bad[i]); /* never overwritten */
        free(after);
    }
}

static void notices_file_replaced_under_it(void **state) {
    tmp *t = *state;
    err e;
    store *s = store_open(t->path, &e);
    add_api(s, "a");
    /* Another program corrupts the file while we run: the next transaction
     * fails with a clear error and the file is left alone. */
    write_file(t->path, "garbage");
    assert_int_equal(store_begin(s, true, &e), -1);
    assert_non_null(strstr(e.msg, "corrupt"));
    char *after = read_all(t->path);
    assert_string_equal(after, "garbage");
    free(after);
    store_close(s);
}

static void two_handles_see_each_other(void **state) {
    tmp *t = *state;
    err e;
    store *a = store_open(t->path, &e), *b = store_open(t->path, &e);
    add_api(a, "from-a");
    add_api(b, "from-b"); /* b reloads before writing: a's API survives */
    assert_int_equal(count_apis(a), 2);
    assert_int_equal(count_apis(b), 2);
    store_close(a);
    store_close(b);
}

static void two_processes_lose_no_update(void **state) {
    tmp *t = *state;
    err e;
    store *s = store_open(t->path, &e);
    add_api(s, "seed");
    store_close(s);
    enum { PER_CHILD = 60 };
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        kids[k] = fork();
        assert_true(kids[k] >= 0);
        if (kids[k] == 0) {
            store *c = store_open(t->path, &e);
            if (!c) _exit(1);
            for (int i = 0; i < PER_CHILD; i++) {
                char name[32];
                snprintf(name, sizeof name, "p%d-%d", k, i);
                if (store_begin(c, true, &e) != 0) _exit(2);
                cJSON *apis = json_obj(store_region(c, "us-west-2"), "restapis");
                cJSON_AddItemToObject(apis, name, cJSON_CreateObject());
                if (store_commit(c, &e) != 0) _exit(3);
            }
            store_close(c);
            _exit(0);
        }
    }
    for (int k = 0; k < 2; k++) {
        int st;
        assert_int_equal(waitpid(kids[k], &st, 0), kids[k]);
        assert_true(WIFEXITED(st));
        assert_int_equal(WEXITSTATUS(st), 0);
    }
    s = store_open(t->path, &e);
    assert_int_equal(count_apis(s), 1 + 2 * PER_CHILD);
    store_close(s);
}

static void no_temp_files_left(void **state) {
    tmp *t = *state;
    err e;
    store *s = store_open(t->path, &e);
    for (int i = 0; i < 5; i++) {
        char name[8];
        snprintf(name, sizeof name, "n%d", i);
        add_api(s, name);
    }
    store_close(s);
    char *cmd = xasprintf("ls '%s/sub' | grep -c tmp", t->dir);
    FILE *p = popen(cmd, "r");
    int n = -1;
    assert_int_equal(fscanf(p, "%d", &n), 1);
    pclose(p);
    free(cmd);
    assert_int_equal(n, 0);
}

static void reset_empties_state(void **state) {
    tmp *t = *state;
    err e;
    store *s = store_open(t->path, &e);
    add_api(s, "x");
    assert_int_equal(store_begin(s, true, &e), 0);
    store_reset(s);
    assert_int_equal(store_commit(s, &e), 0);
    assert_int_equal(count_apis(s), 0);
    store_close(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(creates_file_with_mode_0600, setup, teardown),
        cmocka_unit_test_setup_teardown(abort_restores_state, setup, teardown),
        cmocka_unit_test_setup_teardown(refuses_bad_files_and_keeps_them, setup, teardown),
        cmocka_unit_test_setup_teardown(notices_file_replaced_under_it, setup, teardown),
        cmocka_unit_test_setup_teardown(two_handles_see_each_other, setup, teardown),
        cmocka_unit_test_setup_teardown(two_processes_lose_no_update, setup, teardown),
        cmocka_unit_test_setup_teardown(no_temp_files_left, setup, teardown),
        cmocka_unit_test_setup_teardown(reset_empties_state, setup, teardown),
    };
    return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
