/* The console's plumbing without the app: the activity log's ring, the
 * settings sheet (selection, wrapping, clicks) and the data plane's trace
 * header that the per-stage test reads. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"
#include "emulator/gateway.h"
#include "ui/activity.h"
#include "ui/sheet.h"

/* --- the activity log ------------------------------------------------------- */

static void send(activity *l, unsigned long id, const char *cmd) {
    client_event ev = {.id = id, .command = cmd};
    activity_observe(l, &ev);
}

static void finish(activity *l, unsigned long id, const err *e) {
    client_event ev = {.id = id, .finished = true, .e = e};
    activity_observe(l, &ev);
}

static void activity_pairs_starts_and_ends(void **state) {
    activity *l = xcalloc(1, sizeof *l);
    activity_init(l);
    send(l, 1, "aws apigateway create-rest-api --name ItemsAPI");
    send(l, 2, "aws apigateway create-resource --path-part items");
    unsigned long gen = l->gen;
    err e;
    err_set(&e, 409, "ConflictException", "Another resource with the same parent already has this name");
    finish(l, 2, &e);
    finish(l, 1, NULL);
    assert_true(l->gen > gen);
    assert_int_equal(l->n, 2);
    assert_int_equal(activity_at(l, 0)->state, ACT_OK);
    assert_int_equal(activity_at(l, 1)->state, ACT_FAILED);
    assert_non_null(strstr(activity_at(l, 1)->error, "same parent"));
    assert_string_equal(activity_at(l, 0)->command, "aws apigateway create-rest-api --name ItemsAPI");
    /* An end nobody started changes nothing. */
    gen = l->gen;
    finish(l, 99, NULL);
    assert_int_equal(l->gen, gen);
    assert_null(activity_at(l, 2));
    activity_free(l);
    free(l);
}

static void activity_drops_the_oldest_when_full(void **state) {
    activity *l = xcalloc(1, sizeof *l);
    activity_init(l);
    char cmd[32];
    for (unsigned long i = 1; i <= ACTIVITY_MAX + 3; i++) {
        snprintf(cmd, sizeof cmd, "aws lambda invoke %lu", i);
        send(l, i, cmd);
    }
    assert_int_equal(l->n, ACTIVITY_MAX);
    assert_string_equal(activity_at(l, 0)->command, "aws lambda invoke 4");
    snprintf(cmd, sizeof cmd, "aws lambda invoke %d", ACTIVITY_MAX + 3);
    assert_string_equal(activity_at(l, ACTIVITY_MAX - 1)->command, cmd);
    finish(l, ACTIVITY_MAX + 3, NULL); /* the newest is still found */
    assert_int_equal(activity_at(l, ACTIVITY_MAX - 1)->state, ACT_OK);
    finish(l, 2, NULL); /* dropped: ignored */
    activity_free(l);
    free(l);
}

/* --- the sheet ----------------------------------------------------------------- */

static void fill(ui_sheet *s) {
    sheet_clear(s);
    sheet_field(s, "url", "Invoke URL", "https://a1b2c3d4e5.execute-api.us-west-2.amazonaws.com/prod",
                UI_R_ACCENT);
    sheet_heading(s, "Stage variables", "c add");
    sheet_field(s, "var:lambdaAlias", "lambdaAlias", "prod", UI_R_NORMAL);
    sheet_line(s, NULL, "not selectable", UI_R_DIM);
    sheet_line(s, "var+", "+ add a variable", UI_R_DIM);
    sheet_done(s);
}

static void sheet_moves_over_selectable_rows(void **state) {
    ui_sheet s;
    sheet_init(&s);
    fill(&s);
    assert_string_equal(sheet_selected(&s), "url");
    assert_true(sheet_action(&s, UI_ACT_DOWN)); /* over the heading */
    assert_string_equal(sheet_selected(&s), "var:lambdaAlias");
    assert_true(sheet_action(&s, UI_ACT_DOWN)); /* over the plain line */
    assert_string_equal(sheet_selected(&s), "var+");
    assert_false(sheet_action(&s, UI_ACT_DOWN));
    assert_true(sheet_action(&s, UI_ACT_HOME));
    assert_string_equal(sheet_selected(&s), "url");
    /* A rebuild keeps the selection on its key. */
    assert_true(sheet_select_key(&s, "var:lambdaAlias"));
    fill(&s);
    assert_string_equal(sheet_selected(&s), "var:lambdaAlias");
    sheet_free(&s);
}

static void sheet_wraps_values_and_maps_clicks(void **state) {
    if (!setlocale(LC_ALL, "C.UTF-8")) setlocale(LC_ALL, "C.utf8");
    FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
    assert_non_null(out);
    assert_non_null(in);
    setenv("LINES", "24", 1);
    setenv("COLUMNS", "80", 1);
    SCREEN *scr = newterm("xterm", out, in);
    assert_non_null(scr);
    ui_theme th;
    theme_init(&th, false, false);
    WINDOW *w = newwin(20, 40, 0, 0);
    ui_sheet s;
    sheet_init(&s);
    fill(&s);
    sheet_draw(&s, w, &th, 1, 20, 40, true);
    /* The URL does not fit in 40 columns: it goes on under itself. */
    char row[64];
    mvwinnstr(w, 1, 0, row, 40);
    assert_non_null(strstr(row, "Invoke URL"));
    assert_non_null(strstr(row, "https://"));
    mvwinnstr(w, 2, 0, row, 40);
    assert_null(strstr(row, "Invoke URL"));
    assert_true(strlen(row) > 0 && row[2] == ' ');
    /* Screen rows of the wrapped value, the heading and the plain line. */
    int url_rows = 0, y = 1;
    for (; y < 20; y++) {
        mvwinnstr(w, y, 0, row, 40);
        if (strstr(row, "Stage variables")) break;
        url_rows++;
    }
    assert_true(url_rows >= 2);
    assert_true(sheet_click(&s, url_rows - 1)); /* the URL's last line */
    assert_string_equal(sheet_selected(&s), "url");
    assert_false(sheet_click(&s, url_rows)); /* the heading */
    assert_true(sheet_click(&s, url_rows + 1));
    assert_string_equal(sheet_selected(&s), "var:lambdaAlias");
    assert_false(sheet_click(&s, url_rows + 2)); /* not selectable */
    assert_false(sheet_click(&s, 19));           /* below everything */
    sheet_free(&s);
    delwin(w);
    endwin();
    delscreen(scr);
    fclose(out);
    fclose(in);
}

/* --- the trace header --------------------------------------------------------- */

static void trace_travels_in_one_header_line(void **state) {
    gateway_trace t = {0};
    snprintf(t.resource_path, sizeof t.resource_path, "/items/{ID}");
    snprintf(t.function, sizeof t.function, "ItemsFunction");
    snprintf(t.alias, sizeof t.alias, "prod");
    snprintf(t.version, sizeof t.version, "2");
    t.cache_used = true;
    t.cache_hit = true;
    t.throttle_remaining = 4999;
    t.quota_remaining = 998;
    t.latency_ms = 12.5;
    t.log = xstrdup("Execution log\r\nline two\x1b[2J\n");
    char *v = gateway_trace_encode(&t);
    assert_null(strchr(v, '\n'));
    assert_null(strchr(v, '\r'));
    gateway_trace back = {0};
    assert_true(gateway_trace_decode(v, &back));
    assert_string_equal(back.resource_path, "/items/{ID}");
    assert_string_equal(back.function, "ItemsFunction");
    assert_string_equal(back.alias, "prod");
    assert_string_equal(back.version, "2");
    assert_true(back.cache_used && back.cache_hit);
    assert_int_equal(back.throttle_remaining, 4999);
    assert_int_equal(back.quota_remaining, 998);
    assert_string_equal(back.log, t.log);
    gateway_trace_free(&back);
    gateway_trace_free(&t);
    free(v);
    /* Not a trace: refused, nothing filled. */
    gateway_trace none = {0};
    assert_false(gateway_trace_decode("{\"message\":\"Forbidden\"}", &none));
    assert_false(gateway_trace_decode("not json", &none));
    assert_false(gateway_trace_decode(NULL, &none));
    assert_null(none.log);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(activity_pairs_starts_and_ends),
        cmocka_unit_test(activity_drops_the_oldest_when_full),
        cmocka_unit_test(sheet_moves_over_selectable_rows),
        cmocka_unit_test(sheet_wraps_values_and_maps_clicks),
        cmocka_unit_test(trace_travels_in_one_header_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
