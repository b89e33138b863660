/* The form widget: keys and values without a terminal, then drawing into a
 * curses screen on /dev/null that is read back cell by cell. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "ui/form.h"
#include "ui/keymap.h"

static form_result key(form *f, int k) { return form_key(f, k, true); }
static form_result chr(form *f, int c) { return form_key(f, c, false); }

static void type(form *f, const char *ascii) {
    for (const char *p = ascii; *p; p++)
        chr(f, (unsigned char)*p);
}

/* --- keys and values --------------------------------------------------------- */

static void text_edits_at_the_cursor_by_characters(void **state) {
    form *f = form_new("Create resource");
    int name = form_text(f, "Resource name", "", NULL);
    assert_int_equal(form_focus(f), name);
    type(f, "items");
    assert_string_equal(form_value(f, name), "items");
    /* Wide characters arrive as code points and are stored as UTF-8. */
    chr(f, 0xE9);    /* é */
    chr(f, 0x4E16);  /* 世 */
    chr(f, 0x1F600); /* an emoji: four bytes */
    assert_string_equal(form_value(f, name), "items\xC3\xA9\xE4\xB8\x96\xF0\x9F\x98\x80");
    /* Left moves over a whole character, so insertion lands between them. */
    key(f, KEY_LEFT);
    key(f, KEY_LEFT);
    chr(f, '-');
    assert_string_equal(form_value(f, name), "items\xC3\xA9-\xE4\xB8\x96\xF0\x9F\x98\x80");
    /* Backspace removes the two-byte é; Delete the '-', then the three-byte 世. */
    key(f, KEY_LEFT);
    key(f, KEY_BACKSPACE);
    assert_string_equal(form_value(f, name), "items-\xE4\xB8\x96\xF0\x9F\x98\x80");
    key(f, KEY_DC);
    key(f, KEY_DC);
    assert_string_equal(form_value(f, name), "items\xF0\x9F\x98\x80");
    key(f, KEY_RIGHT);
    chr(f, '!');
    assert_string_equal(form_value(f, name), "items\xF0\x9F\x98\x80!");
    key(f, KEY_RIGHT); /* at the end: stays */
    chr(f, '?');
    assert_string_equal(form_value(f, name), "items\xF0\x9F\x98\x80!?");
    key(f, KEY_HOME);
    chr(f, '/');
    chr(f, UI_CTRL('e'));
    chr(f, 0x7F); /* DEL as Backspace */
    assert_string_equal(form_value(f, name), "/items\xF0\x9F\x98\x80!");
    chr(f, UI_CTRL('a'));
    chr(f, UI_CTRL('h')); /* at the start: nothing */
    key(f, KEY_END);
    assert_string_equal(form_value(f, name), "/items\xF0\x9F\x98\x80!");
    form_free(f);
}

static void text_kill_keys_and_rejected_characters(void **state) {
    form *f = form_new("t");
    int v = form_text(f, "Value", "one two  three", NULL);
    chr(f, UI_CTRL('w'));
    assert_string_equal(form_value(f, v), "one two  ");
    chr(f, UI_CTRL('w')); /* spaces, then the word before them */
    assert_string_equal(form_value(f, v), "one ");
    key(f, KEY_HOME);
    key(f, KEY_RIGHT);
    chr(f, UI_CTRL('k'));
    assert_string_equal(form_value(f, v), "o");
    type(f, "bc");
    key(f, KEY_LEFT);
    chr(f, UI_CTRL('u'));
    assert_string_equal(form_value(f, v), "c");
    /* Control characters never get in: C0, C1, surrogates, out of range. */
    unsigned long before = form_changes(f);
    chr(f, 0x01);
    chr(f, 0x07);
    chr(f, 0x9B); /* C1 CSI */
    chr(f, 0xD800);
    chr(f, 0x110000);
    chr(f, -1);
    assert_string_equal(form_value(f, v), "c");
    assert_int_equal(form_changes(f), before);
    /* A code point that happens to equal a KEY_* number is text. */
    chr(f, KEY_DOWN); /* U+0102 */
    assert_string_equal(form_value(f, v), "\u0102c");
    /* ...and an unknown key code is nothing. */
    key(f, KEY_F(5));
    assert_string_equal(form_value(f, v), "\u0102c");
    form_free(f);
}

static void focus_skips_notes_and_hidden_fields(void **state) {
    form *f = form_new("Create method");
    int note = form_note(f, "Pick how the method is integrated.");
    int verb = form_choice(f, "HTTP method", (const char *const[]){"GET", "POST"}, 2, 0);
    int type_ = form_choice(f, "Integration type", (const char *const[]){"Mock", "Lambda"}, 2, 0);
    int fn = form_text(f, "Lambda function", "", NULL);
    int proxy = form_check(f, "Lambda proxy", true);
    assert_int_equal(form_focus(f), verb); /* the note is skipped from the start */
    form_set_hidden(f, fn, true);
    form_set_hidden(f, proxy, true);
    chr(f, '\t');
    assert_int_equal(form_focus(f), type_);
    chr(f, '\t'); /* wraps past the hidden fields and the note */
    assert_int_equal(form_focus(f), verb);
    key(f, KEY_BTAB);
    assert_int_equal(form_focus(f), type_);
    form_set_hidden(f, fn, false);
    form_set_hidden(f, proxy, false);
    key(f, KEY_DOWN);
    assert_int_equal(form_focus(f), fn);
    chr(f, UI_CTRL('n'));
    assert_int_equal(form_focus(f), proxy);
    key(f, KEY_UP);
    assert_int_equal(form_focus(f), fn);
    chr(f, UI_CTRL('p'));
    assert_int_equal(form_focus(f), type_);
    /* Focus cannot be set on a note or a hidden field. */
    form_set_focus(f, note);
    assert_int_equal(form_focus(f), type_);
    form_set_focus(f, fn);
    assert_int_equal(form_focus(f), fn);
    /* Hiding the focused field moves the focus on. */
    form_set_hidden(f, fn, true);
    assert_int_equal(form_focus(f), proxy);
    form_set_focus(f, fn);
    assert_int_equal(form_focus(f), proxy);
    form_free(f);
}

static void nothing_focusable_still_submits_and_cancels(void **state) {
    form *f = form_new("Delete");
    form_note(f, "Delete the stage prod?");
    assert_int_equal(form_focus(f), -1);
    assert_int_equal(chr(f, '\t'), FORM_GOING);
    assert_int_equal(form_focus(f), -1);
    assert_int_equal(chr(f, 'x'), FORM_GOING);
    assert_int_equal(chr(f, '\r'), FORM_SUBMIT);
    assert_int_equal(chr(f, UI_ESC), FORM_CANCEL);
    /* A field shown later takes the focus. */
    int c = form_check(f, "Also delete the deployment", false);
    assert_int_equal(form_focus(f), c);
    form_set_hidden(f, c, true);
    assert_int_equal(form_focus(f), -1);
    form_set_hidden(f, c, false);
    assert_int_equal(form_focus(f), c);
    form_free(f);
}

static void choices_cycle_and_checks_toggle(void **state) {
    form *f = form_new("t");
    const char *const verbs[] = {"GET", "POST", "PUT"};
    int v = form_choice(f, "Method", verbs, 3, 1);
    int c = form_check(f, "API key required", false);
    assert_string_equal(form_value(f, v), "POST");
    assert_int_equal(form_selected(f, v), 1);
    chr(f, ' ');
    assert_string_equal(form_value(f, v), "PUT");
    key(f, KEY_RIGHT); /* wraps */
    assert_string_equal(form_value(f, v), "GET");
    key(f, KEY_LEFT); /* wraps back */
    assert_string_equal(form_value(f, v), "PUT");
    key(f, KEY_LEFT);
    assert_int_equal(form_selected(f, v), 1);
    chr(f, 'x'); /* letters do not change a choice */
    assert_string_equal(form_value(f, v), "POST");
    chr(f, '\t');
    assert_false(form_checked(f, c));
    assert_string_equal(form_value(f, c), "false");
    chr(f, ' ');
    assert_true(form_checked(f, c));
    assert_string_equal(form_value(f, c), "true");
    key(f, KEY_LEFT); /* arrows do not toggle */
    key(f, KEY_RIGHT);
    assert_true(form_checked(f, c));
    chr(f, ' ');
    assert_false(form_checked(f, c));
    /* An out-of-range selection starts at the first option; no options at
     * all read as "". */
    int bad = form_choice(f, "x", verbs, 3, 7);
    assert_int_equal(form_selected(f, bad), 0);
    int none = form_choice(f, "y", NULL, 0, 0);
    assert_string_equal(form_value(f, none), "");
    form_free(f);
}

static void enter_submits_edits_or_cancels(void **state) {
    form *f = form_new("Integration request");
    int t = form_text(f, "Content type", "application/json", NULL);
    int ta = form_textarea(f, "Template", "{}", ".vtl");
    assert_int_equal(chr(f, '\r'), FORM_SUBMIT);
    assert_int_equal(chr(f, '\n'), FORM_SUBMIT);
    assert_int_equal(key(f, KEY_ENTER), FORM_SUBMIT);
    assert_int_equal(chr(f, 'a'), FORM_GOING);
    chr(f, '\t');
    assert_int_equal(form_focus(f), ta);
    assert_int_equal(chr(f, '\r'), FORM_EDIT);
    assert_int_equal(key(f, KEY_ENTER), FORM_EDIT);
    assert_int_equal(chr(f, UI_ESC), FORM_CANCEL);
    assert_string_equal(form_suffix(f, ta), ".vtl");
    assert_string_equal(form_suffix(f, t), ".txt");
    assert_string_equal(form_title(f), "Integration request");
    /* Typing does nothing to a text area; the editor is where it changes. */
    chr(f, 'x');
    assert_string_equal(form_value(f, ta), "{}");
    form_set_value(f, ta, "{\"a\": 1}\n");
    assert_string_equal(form_value(f, ta), "{\"a\": 1}\n");
    assert_string_equal(form_value(f, t), "application/jsona");
    form_free(f);
}

static void set_options_keeps_the_selection(void **state) {
    form *f = form_new("t");
    const char *const two[] = {"dev", "prod"};
    int a = form_choice(f, "Alias", two, 2, 1);
    unsigned long c0 = form_changes(f);
    const char *const three[] = {"$LATEST", "dev", "prod"};
    form_set_options(f, a, three, 3);
    assert_int_equal(form_selected(f, a), 2);
    assert_string_equal(form_value(f, a), "prod");
    assert_int_equal(form_changes(f), c0); /* the value did not change */
    const char *const other[] = {"$LATEST", "test"};
    form_set_options(f, a, other, 2);
    assert_int_equal(form_selected(f, a), 0);
    assert_string_equal(form_value(f, a), "$LATEST");
    assert_true(form_changes(f) > c0);
    /* Setting a choice's value picks the option by its text. */
    form_set_value(f, a, "test");
    assert_int_equal(form_selected(f, a), 1);
    form_set_value(f, a, "missing");
    assert_int_equal(form_selected(f, a), 1);
    form_set_options(f, a, NULL, 0);
    assert_string_equal(form_value(f, a), "");
    form_free(f);
}

static void changes_bump_on_value_changes_only(void **state) {
    form *f = form_new("t");
    int t = form_text(f, "Name", "ab", NULL);
    int c = form_check(f, "On", false);
    unsigned long n = form_changes(f);
    key(f, KEY_LEFT);
    key(f, KEY_HOME);
    key(f, KEY_BACKSPACE); /* nothing before the cursor */
    chr(f, UI_CTRL('u'));
    assert_int_equal(form_changes(f), n);
    chr(f, 'x');
    assert_int_equal(form_changes(f), n + 1);
    key(f, KEY_DC);
    assert_int_equal(form_changes(f), n + 2);
    chr(f, '\t');
    assert_int_equal(form_changes(f), n + 2);
    chr(f, ' ');
    assert_int_equal(form_changes(f), n + 3);
    form_set_value(f, c, "true"); /* already on */
    form_set_value(f, t, "xb");   /* already that */
    assert_int_equal(form_changes(f), n + 3);
    form_set_value(f, t, "other");
    form_set_value(f, c, "false");
    assert_int_equal(form_changes(f), n + 5);
    assert_false(form_checked(f, c));
    /* Errors are not values. */
    form_set_error(f, "Invalid");
    assert_int_equal(form_changes(f), n + 5);
    form_free(f);
}

static void values_come_back_exactly(void **state) {
    form *f = form_new("t");
    const char *raw = "a\x1b[2J\tb\x07\xff\xc2\x85";
    int t = form_text(f, "Raw", raw, NULL);
    assert_string_equal(form_value(f, t), raw);
    /* The cursor starts at the end and moves over invalid bytes one by one. */
    key(f, KEY_LEFT); /* over U+0085 (two bytes) */
    key(f, KEY_LEFT); /* over the lone 0xFF */
    chr(f, 'Z');
    assert_string_equal(form_value(f, t), "a\x1b[2J\tb\x07Z\xff\xc2\x85");
    assert_string_equal(form_value(f, 99), "");
    assert_string_equal(form_value(f, -1), "");
    form_set_value(f, 99, "x"); /* out of range: ignored */
    form_set_value(f, t, NULL);
    assert_string_equal(form_value(f, t), "");
    form_free(f);
}

/* --- drawing ------------------------------------------------------------------ */

typedef struct screen_fx {
    SCREEN *s;
    FILE *out, *in;
} screen_fx;

static int screen_up(void **state) {
    static screen_fx fx;
    if (!setlocale(LC_ALL, "C.UTF-8")) setlocale(LC_ALL, "C.utf8");
    setenv("LINES", "24", 1);
    setenv("COLUMNS", "80", 1);
    fx.out = fopen("/dev/null", "w");
    fx.in = fopen("/dev/null", "r");
    if (!fx.out || !fx.in) return -1;
    fx.s = newterm("xterm", fx.out, fx.in);
    if (!fx.s) return -1;
    *state = &fx;
    return 0;
}

static int screen_down(void **state) {
    screen_fx *fx = *state;
    endwin();
    delscreen(fx->s);
    fclose(fx->out);
    fclose(fx->in);
    return 0;
}

/* Row y of w as UTF-8 text. */
static const char *row(WINDOW *w, int y, char *out, int n) {
    if (mvwinnstr(w, y, 0, out, n - 1) == ERR) out[0] = '\0';
    return out;
}

/* The first row of w holding s, or -1. */
static int find_row(WINDOW *w, const char *s) {
    char b[512];
    for (int y = 0; y < getmaxy(w); y++)
        if (strstr(row(w, y, b, sizeof b), s)) return y;
    return -1;
}

/* The column of s on row y (ASCII rows), or -1. */
static int find_col(WINDOW *w, int y, const char *s) {
    char b[512];
    const char *p = strstr(row(w, y, b, sizeof b), s);
    return p ? (int)(p - b) : -1;
}

/* Draw f over all of w; returns where the cursor was left (reading the
 * screen back moves it). */
typedef struct at {
    int y, x;
} at;

static at draw(form *f, WINDOW *w, const ui_theme *th) {
    form_draw(f, w, th, getmaxy(w), getmaxx(w));
    return (at){getcury(w), getcurx(w)};
}

/* Whether the box's right border (the window's last column) shows mark. */
static bool border_mark(WINDOW *w, chtype mark) {
    for (int y = 0; y < getmaxy(w); y++)
        if ((mvwinch(w, y, getmaxx(w) - 1) & A_CHARTEXT) == mark) return true;
    return false;
}

static bool clean_screen(WINDOW *w) {
    for (int y = 0; y < getmaxy(w); y++)
        for (int x = 0; x < getmaxx(w); x++) {
            chtype c = mvwinch(w, y, x) & A_CHARTEXT;
            if (c < 0x20 || c == 0x7F) return false;
        }
    return true;
}

static form *create_method(int *ids) {
    form *f = form_new("Create method");
    ids[0] = form_note(f, "Adds a method to /items.");
    ids[1] = form_choice(f, "HTTP method", (const char *const[]){"GET", "POST", "DELETE"}, 3, 0);
    ids[2] = form_text(f, "Lambda function", "ItemsFunction", "The name, ARN or alias ARN");
    ids[3] = form_secret(f, "API key", "s3cretKEY", NULL);
    ids[4] = form_check(f, "Lambda proxy", true);
    ids[5] = form_textarea(f, "Template", "l1\nl2\nl3\nl4\nl5\nl6\n", ".vtl");
    return f;
}

static void draws_labels_beside_values_at_80x24(void **state) {
    ui_theme th;
    theme_init(&th, false, false);
    WINDOW *w = newwin(22, 58, 1, 22);
    at c;
    int id[6];
    form *f = create_method(id);
    form_set_error(f, "Invalid function name");
    c = draw(f, w, &th);
    int y = find_row(w, "HTTP method");
    assert_true(y > 0);
    int vx = find_col(w, y, "< GET >");
    assert_true(vx > find_col(w, y, "HTTP method")); /* on the same row, to the right */
    int fy = find_row(w, "Lambda function");
    assert_true(fy > y);
    assert_int_equal(find_col(w, fy, "ItemsFunction"), vx);
    assert_int_equal(find_row(w, "The name, ARN or alias ARN"), fy + 1);
    int sy = find_row(w, "API key");
    assert_int_equal(find_col(w, sy, "*********"), vx); /* one mask per character */
    assert_int_equal(find_row(w, "s3cret"), -1);
    assert_int_equal(find_col(w, find_row(w, "Lambda proxy"), "[x]"), vx);
    /* The text area: four lines, what is left and how to edit. */
    int ty = find_row(w, "Template");
    assert_int_equal(find_col(w, ty, "l1"), vx);
    assert_int_equal(find_row(w, "l4"), ty + 3);
    assert_int_equal(find_row(w, "l5"), -1);
    assert_int_equal(find_row(w, "~ 2 more lines - Enter to edit"), ty + 4);
    /* The note, the error above the legend, the title in the border. */
    assert_true(find_row(w, "Adds a method to /items.") > 0);
    int ey = find_row(w, "Invalid function name");
    assert_true(ey > ty + 4);
    assert_int_equal(find_row(w, "Enter save - Esc cancel - Tab next"), ey + 1);
    assert_true(mvwinch(w, ey, find_col(w, ey, "Invalid")) & A_BOLD); /* the error's look */
    int top = find_row(w, "+- Create method -");
    assert_true(top >= 0 && top < y);
    assert_true(find_row(w, "+-----") > ey); /* the bottom border */
    assert_true(clean_screen(w));
    /* The cursor waits on the focused choice; then on the text, at the end. */
    assert_int_equal(c.y, y);
    chr(f, '\t');
    c = draw(f, w, &th);
    assert_int_equal(c.y, fy);
    assert_int_equal(c.x, vx + (int)strlen("ItemsFunction"));
    key(f, KEY_HOME);
    c = draw(f, w, &th);
    assert_int_equal(c.x, vx);
    form_free(f);
    delwin(w);
}

static void stacks_labels_over_values_at_60x16(void **state) {
    ui_theme th;
    theme_init(&th, false, false);
    WINDOW *w = newwin(14, 40, 1, 20);
    at c;
    int id[6];
    form *f = create_method(id);
    form_set_hidden(f, id[5], true);
    c = draw(f, w, &th);
    int ly = find_row(w, "Lambda function");
    assert_true(ly > 0);
    int lx = find_col(w, ly, "Lambda function");
    assert_int_equal(find_row(w, "ItemsFunction"), ly + 1);
    assert_int_equal(find_col(w, ly + 1, "ItemsFunction"), lx);
    assert_int_equal(find_row(w, "The name, ARN or alias ARN"), ly + 2);
    int hy = find_row(w, "HTTP method");
    assert_int_equal(find_col(w, hy + 1, "< GET >"), lx);
    assert_int_equal(c.y, hy + 1); /* the cursor rests on the focused choice's value */
    assert_int_equal(c.x, lx + 2);
    assert_int_equal(find_row(w, "Template"), -1); /* hidden */
    assert_true(find_row(w, "Enter save - Esc cancel - Tab next") > 0);
    /* Everything stays inside the 40 columns: the right border is there. */
    int by = find_row(w, "Lambda proxy");
    assert_true(by > 0);
    char b[128];
    assert_int_equal(strlen(row(w, by, b, sizeof b)), 40);
    assert_int_equal(b[39], '|');
    assert_true(clean_screen(w));
    form_free(f);
    delwin(w);
}

static void keeps_the_focused_field_in_view_when_short(void **state) {
    ui_theme th;
    theme_init(&th, false, false);
    WINDOW *w = newwin(14, 40, 1, 20);
    at c;
    form *f = form_new("Stage variables");
    char label[32];
    int last = -1;
    for (int i = 0; i < 14; i++) {
        snprintf(label, sizeof label, "Var %02d", i);
        last = form_text(f, label, "value", NULL);
    }
    c = draw(f, w, &th);
    assert_true(find_row(w, "Var 00") > 0);
    assert_int_equal(find_row(w, "Var 13"), -1);
    assert_true(border_mark(w, 'v')); /* more below */
    assert_false(border_mark(w, '^'));
    form_set_focus(f, last);
    c = draw(f, w, &th);
    int y = find_row(w, "Var 13");
    assert_true(y > 0);
    assert_int_equal(find_row(w, "Var 00"), -1);
    assert_true(border_mark(w, '^'));
    assert_false(border_mark(w, 'v'));
    assert_int_equal(c.y, y);                   /* the cursor on its value, beside the label */
    assert_true(find_row(w, "Enter save") > y); /* the legend is still there */
    /* Tab wraps to the top, which comes back into view. */
    chr(f, '\t');
    c = draw(f, w, &th);
    assert_true(find_row(w, "Var 00") > 0);
    form_free(f);
    delwin(w);
}

static void control_characters_are_not_drawn_raw(void **state) {
    ui_theme th;
    theme_init(&th, false, false);
    WINDOW *w = newwin(22, 58, 1, 22);
    form *f = form_new("Evil\x1b]0;x\x07");
    int t = form_text(f, "Na\x1bme", "ab\x1b[2Jcd", "hint\r\n");
    form_note(f, "note\x1b[31m red");
    form_set_error(f, "bad\2331m value");
    draw(f, w, &th);
    assert_string_equal(form_value(f, t), "ab\x1b[2Jcd");
    assert_true(find_row(w, "ab?[2Jcd") > 0);
    assert_true(find_row(w, "Na?me") > 0);
    assert_true(find_row(w, " Evil?]0;x? ") >= 0);
    assert_true(find_row(w, "note?[31m red") > 0);
    assert_true(find_row(w, "hint??") > 0);
    assert_true(find_row(w, "bad") > 0);
    assert_int_equal(find_row(w, "^["), -1); /* curses would spell a raw ESC so */
    assert_true(clean_screen(w));
    form_free(f);
    delwin(w);
}

static void long_text_scrolls_to_keep_the_cursor_in_view(void **state) {
    ui_theme th;
    theme_init(&th, false, false);
    WINDOW *w = newwin(14, 40, 1, 20);
    at c;
    form *f = form_new("Create function");
    char longv[121];
    for (int i = 0; i < 120; i++)
        longv[i] = (char)('a' + i % 26);
    longv[120] = '\0';
    int t = form_text(f, "Role ARN", longv, NULL);
    c = draw(f, w, &th);
    int y = c.y, x = c.x;
    assert_int_equal(find_row(w, "Role ARN"), y);
    assert_true(x < 38); /* inside the box */
    char b[128];
    row(w, y, b, sizeof b);
    assert_int_equal(b[x - 1], longv[119]); /* the end is shown, before the cursor */
    key(f, KEY_HOME);
    c = draw(f, w, &th);
    assert_true(find_row(w, "abcdefghij") == y);
    assert_int_equal(c.x, find_col(w, y, "abcdefghij"));
    /* Unfocused, a long value starts at its beginning and ends in "~". */
    form_text(f, "Other", "", NULL);
    key(f, KEY_END);
    chr(f, '\t');
    c = draw(f, w, &th);
    y = find_row(w, "Role ARN");
    assert_true(find_col(w, y, "abcdefghij") >= 0);
    assert_true(find_col(w, y, "~") > 0);
    assert_string_equal(form_value(f, t), longv);
    form_free(f);
    delwin(w);
}

static void draws_utf8_by_columns(void **state) {
    ui_theme th;
    theme_init(&th, true, false);
    WINDOW *w = newwin(22, 58, 1, 22);
    at c;
    form *f = form_new("Créer");
    int t = form_text(f, "Nom", "h\xC3\xA9llo \xE4\xB8\x96\xE7\x95\x8C", NULL);
    form_secret(f, "Clé", "abc", NULL);
    c = draw(f, w, &th);
    assert_true(find_row(w, " Créer ") >= 0);
    assert_int_equal(find_row(w, "┌─ Créer ─"), find_row(w, " Créer "));
    int y = find_row(w, "héllo 世界");
    assert_true(y > 0);
    assert_true(find_row(w, "•••") > y);
    /* The cursor counts columns: 7 narrow ones and two wide ones. */
    wchar_t wb[64];
    mvwinnwstr(w, y, 0, wb, 63);
    int vx = (int)(wcsstr(wb, L"h\u00e9llo") - wb);
    assert_int_equal(c.x, vx + 6 + 4);
    key(f, KEY_LEFT);
    c = draw(f, w, &th);
    assert_int_equal(c.x, vx + 6 + 2);
    assert_string_equal(form_value(f, t), "h\xC3\xA9llo \xE4\xB8\x96\xE7\x95\x8C");
    form_free(f);
    delwin(w);
}

static void clicks_focus_toggle_cycle_and_place(void **state) {
    ui_theme th;
    theme_init(&th, false, false);
    WINDOW *w = newwin(22, 58, 1, 22);
    int id[6];
    form *f = create_method(id);
    draw(f, w, &th);
    int py = find_row(w, "Lambda proxy"), vx = find_col(w, py, "[x]");
    assert_int_equal(form_click(f, py, vx + 1), FORM_GOING);
    assert_int_equal(form_focus(f), id[4]);
    assert_false(form_checked(f, id[4]));
    int cy = find_row(w, "HTTP method");
    form_click(f, cy, vx + 4);
    assert_string_equal(form_value(f, id[1]), "POST");
    form_click(f, cy, vx); /* on '<': back */
    assert_string_equal(form_value(f, id[1]), "GET");
    int ty = find_row(w, "ItemsFunction");
    form_click(f, ty, vx + 5); /* between "Items" and "Function" */
    assert_int_equal(form_focus(f), id[2]);
    chr(f, '-');
    assert_string_equal(form_value(f, id[2]), "Items-Function");
    int ay = find_row(w, "Template");
    assert_int_equal(form_click(f, ay, vx), FORM_GOING);
    assert_int_equal(form_focus(f), id[5]);
    assert_int_equal(form_click(f, ay + 1, vx), FORM_EDIT); /* a second click edits */
    /* The note and the space outside the box do nothing. */
    form_click(f, find_row(w, "Adds a method"), vx);
    assert_int_equal(form_focus(f), id[5]);
    form_click(f, py, 0);
    assert_true(form_checked(f, id[4]) == false);
    form_free(f);
    delwin(w);
}

int main(void) {
    const struct CMUnitTest keys[] = {
        cmocka_unit_test(text_edits_at_the_cursor_by_characters),
        cmocka_unit_test(text_kill_keys_and_rejected_characters),
        cmocka_unit_test(focus_skips_notes_and_hidden_fields),
        cmocka_unit_test(nothing_focusable_still_submits_and_cancels),
        cmocka_unit_test(choices_cycle_and_checks_toggle),
        cmocka_unit_test(enter_submits_edits_or_cancels),
        cmocka_unit_test(set_options_keeps_the_selection),
        cmocka_unit_test(changes_bump_on_value_changes_only),
        cmocka_unit_test(values_come_back_exactly),
    };
    const struct CMUnitTest drawing[] = {
        cmocka_unit_test(draws_labels_beside_values_at_80x24),
        cmocka_unit_test(stacks_labels_over_values_at_60x16),
        cmocka_unit_test(keeps_the_focused_field_in_view_when_short),
        cmocka_unit_test(control_characters_are_not_drawn_raw),
        cmocka_unit_test(long_text_scrolls_to_keep_the_cursor_in_view),
        cmocka_unit_test(draws_utf8_by_columns),
        cmocka_unit_test(clicks_focus_toggle_cycle_and_place),
    };
    int failed = cmocka_run_group_tests_name("ui form keys", keys, NULL, NULL);
    return failed | cmocka_run_group_tests_name("ui form drawing", drawing, screen_up, screen_down);
}
