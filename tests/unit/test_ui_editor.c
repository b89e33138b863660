/* Editing multi-line text: the external editor run on a private temp file
 * (with fake editors written as shell scripts), the built-in editor's keys
 * without a terminal, and its drawing on a curses screen read back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <errno.h>
#include <ftw.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wchar.h>

#include "core/mem.h"
#include "ui/editor.h"
#include "ui/theme.h"

/* --- fixtures ------------------------------------------------------------ */

/* A scratch tree: bin/ for fake editors, a TMPDIR whose name needs quoting,
 * and rec/ where the fake editors leave what they saw. */
typedef struct scratch {
    char root[64];
    char *bin, *tmp, *rec;
} scratch;

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f) {
    return remove(p);
}

static int scratch_up(void **state) {
    scratch *s = xcalloc(1, sizeof *s);
    strcpy(s->root, "/tmp/ui-editor-test-XXXXXX");
    if (!mkdtemp(s->root)) return -1;
    s->bin = xasprintf("%s/bin", s->root);
    s->tmp = xasprintf("%s/my tmp $HOME 'q' \"d\"", s->root);
    s->rec = xasprintf("%s/rec", s->root);
    if (mkdir(s->bin, 0700) || mkdir(s->tmp, 0700) || mkdir(s->rec, 0700)) return -1;
    setenv("TMPDIR", s->tmp, 1);
    setenv("EDITOR_TEST_REC", s->rec, 1);
    *state = s;
    return 0;
}

static int scratch_down(void **state) {
    scratch *s = *state;
    nftw(s->root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    unsetenv("TMPDIR");
    unsetenv("EDITOR_TEST_REC");
    free(s->bin);
    free(s->tmp);
    free(s->rec);
    free(s);
    return 0;
}

/* Write an executable sh script into bin/; returns its path. */
static char *script(const scratch *s, const char *name, const char *body) {
    char *path = xasprintf("%s/%s", s->bin, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "#!/bin/sh\n%s\n", body);
    fclose(f);
    chmod(path, 0755);
    return path;
}

static char *slurp(const char *dir, const char *name) {
    char *path = xasprintf("%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    free(path);
    if (!f) return NULL;
    char *data = xcalloc(1, 4096);
    size_t n = fread(data, 1, 4095, f);
    data[n] = '\0';
    fclose(f);
    return data;
}

/* Run cmd on text; the result or NULL, and the error in *e. */
static char *run(const char *cmd, const char *text, const char *suffix, err *e) {
    char *out = NULL;
    err_clear(e);
    int rc = editor_run_external(cmd, text, suffix, &out, e);
    if (rc == 0) assert_non_null(out);
    if (rc != 0) assert_null(out);
    return out;
}

/* The temp file the fake editor was given no longer exists. */
static void assert_removed(const scratch *s) {
    char *name = slurp(s->rec, "name");
    assert_non_null(name);
    assert_int_equal(access(name, F_OK), -1);
    assert_int_equal(errno, ENOENT);
    free(name);
}

/* --- the external editor -------------------------------------------------- */

static void command_is_visual_then_editor(void **state) {
    unsetenv("VISUAL");
    unsetenv("EDITOR");
    assert_null(editor_command());
    setenv("EDITOR", "", 1);
    assert_null(editor_command());
    setenv("EDITOR", "vi", 1);
    assert_string_equal(editor_command(), "vi");
    setenv("VISUAL", "", 1);
    assert_string_equal(editor_command(), "vi");
    setenv("VISUAL", "code -w", 1);
    assert_string_equal(editor_command(), "code -w");
    unsetenv("VISUAL");
    unsetenv("EDITOR");
}

static const char recorder[] = "printf '%s' \"$1\" > \"$EDITOR_TEST_REC/name\"\n"
                               "stat -c %a \"$1\" > \"$EDITOR_TEST_REC/mode\"\n"
                               "cp \"$1\" \"$EDITOR_TEST_REC/seen\"\n"
                               "printf 'added\\n' >> \"$1\"";

static void external_edits_a_private_temp_file(void **state) {
    scratch *s = *state;
    char *ed = script(s, "append", recorder);
    setenv("VISUAL", ed, 1);
    err e;
    char *out = run(editor_command(), "hello\n", ".vtl", &e);
    assert_string_equal(out, "hello\nadded\n");
    char *mode = slurp(s->rec, "mode"), *name = slurp(s->rec, "name");
    char *seen = slurp(s->rec, "seen");
    assert_string_equal(mode, "600\n");
    assert_string_equal(seen, "hello\n");
    /* In TMPDIR (whose name holds spaces, quotes and a '$'), with the suffix. */
    assert_true(strncmp(name, s->tmp, strlen(s->tmp)) == 0);
    assert_int_equal(name[strlen(s->tmp)], '/');
    assert_true(strlen(name) > 4 && strcmp(name + strlen(name) - 4, ".vtl") == 0);
    assert_removed(s);
    unsetenv("VISUAL");
    free(out), free(mode), free(name), free(seen), free(ed);
}

/* "code -w": the command's own words come first, the file name last, and
 * the name arrives as one argument however odd it is. */
static void external_command_with_arguments(void **state) {
    scratch *s = *state;
    char *ed = script(s, "withflag",
                      "[ \"$1\" = --wait ] || exit 9\n"
                      "[ $# -eq 2 ] || exit 8\n"
                      "printf '%s' \"$2\" > \"$EDITOR_TEST_REC/name\"\n"
                      "printf 'B' > \"$2\"");
    char *cmd = xasprintf("%s --wait", ed);
    err e;
    char *out = run(cmd, "A", ".json", &e);
    assert_non_null(out);
    assert_string_equal(out, "B");
    assert_removed(s);
    free(out), free(cmd), free(ed);
}

static void external_keeps_the_final_newline_as_it_was(void **state) {
    scratch *s = *state;
    char *rewrite = script(s, "rewrite", "printf 'x\\n' > \"$1\"");
    char *touch_eol = script(s, "eol", "printf '\\n' >> \"$1\"");
    err e;
    char *out = run(rewrite, "a", ".txt", &e); /* none before: the editor's one goes */
    assert_string_equal(out, "x");
    free(out);
    out = run(rewrite, "a\n", ".txt", &e); /* one before: kept */
    assert_string_equal(out, "x\n");
    free(out);
    out = run(touch_eol, "", ".txt", &e);
    assert_string_equal(out, "");
    free(out);
    /* An editor that changes nothing gives the same text back. */
    out = run("true", "{\"a\": 1}", ".json", &e);
    assert_string_equal(out, "{\"a\": 1}");
    free(out);
    out = run(touch_eol, "line one\nline two", ".txt", &e);
    assert_string_equal(out, "line one\nline two");
    free(out);
    free(rewrite), free(touch_eol);
}

static void external_failure_keeps_the_text(void **state) {
    scratch *s = *state;
    char *ed = script(s, "fail",
                      "printf '%s' \"$1\" > \"$EDITOR_TEST_REC/name\"\n"
                      "printf 'garbage' > \"$1\"\nexit 3");
    err e;
    char *out = run(ed, "keep me", ".py", &e);
    assert_null(out);
    assert_string_equal(e.msg, "the editor exited with status 3; the text was not changed");
    assert_removed(s);

    out = run("/nonexistent/editor 2>/dev/null", "keep me", ".py", &e);
    assert_null(out);
    assert_non_null(strstr(e.msg, "status 127"));
    assert_non_null(strstr(e.msg, "/nonexistent/editor"));
    free(ed);
}

static void external_refuses_what_it_cannot_hold(void **state) {
    scratch *s = *state;
    char *big = script(s, "big",
                       "printf '%s' \"$1\" > \"$EDITOR_TEST_REC/name\"\n"
                       "head -c 16777300 /dev/zero | tr '\\000' a > \"$1\"");
    char *nul = script(s, "nul", "printf 'a\\000b' > \"$1\"");
    char *gone = script(s, "gone", "rm -f \"$1\"");
    err e;
    assert_null(run(big, "t", ".txt", &e));
    assert_string_equal(e.msg, "the edited text is larger than 16 MiB; the text was not changed");
    assert_removed(s);
    assert_null(run(nul, "t", ".txt", &e));
    assert_non_null(strstr(e.msg, "NUL byte"));
    assert_null(run(gone, "t", ".txt", &e));
    assert_non_null(strstr(e.msg, "cannot read the edited file"));
    free(big), free(nul), free(gone);
}

static void external_suffix_cannot_leave_tmpdir(void **state) {
    scratch *s = *state;
    char *ed = script(s, "rec", "printf '%s' \"$1\" > \"$EDITOR_TEST_REC/name\"");
    err e;
    char *out = run(ed, "t", "/../../escape", &e);
    assert_string_equal(out, "t");
    char *name = slurp(s->rec, "name");
    assert_true(strncmp(name, s->tmp, strlen(s->tmp)) == 0);
    assert_null(strchr(name + strlen(s->tmp) + 1, '/'));
    assert_null(strstr(name, "escape"));
    free(name), free(out), free(ed);
}

static int interrupts;
static void count_interrupt(int sig) { interrupts++; }

/* As with system(): ^C goes to the editor, not to the console, and the
 * editor starts with default dispositions. */
static void external_signals_as_system_does(void **state) {
    struct sigaction mine = {.sa_handler = count_interrupt}, now;
    sigemptyset(&mine.sa_mask);
    struct sigaction before;
    sigaction(SIGINT, &mine, &before);
    interrupts = 0;
    err e;
    /* The parent of the shell is this process: its ^C is ignored. */
    char *out = run("kill -INT $PPID; true", "t", ".txt", &e);
    assert_non_null(out);
    assert_string_equal(out, "t");
    assert_int_equal(interrupts, 0);
    sigaction(SIGINT, NULL, &now);
    assert_ptr_equal(now.sa_handler, count_interrupt);
    free(out);
    /* The editor itself is interrupted by ^C. */
    assert_null(run("kill -INT $$; true", "t", ".txt", &e));
    assert_non_null(strstr(e.msg, "killed by signal 2"));
    assert_non_null(strstr(e.msg, "the text was not changed"));
    sigaction(SIGINT, &before, NULL);
}

/* --- the built-in editor: keys -------------------------------------------- */

static void type(editor *ed, const char *s) {
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t n = strlen(s);
    while (n > 0) {
        wchar_t wc;
        size_t k = mbrtowc(&wc, s, n, &st);
        assert_true(k > 0 && k <= n);
        assert_int_equal(editor_key(ed, (int)wc, false), EDITOR_GOING);
        s += k, n -= k;
    }
}

static editor_result key(editor *ed, int k) { return editor_key(ed, k, true); }
static editor_result ch(editor *ed, int c) { return editor_key(ed, c, false); }
static void keys(editor *ed, int k, int times) {
    for (int i = 0; i < times; i++)
        key(ed, k);
}

static void assert_text(const editor *ed, const char *want) {
    char *t = editor_text(ed);
    assert_string_equal(t, want);
    free(t);
}

static void round_trips_text(void **state) {
    static const char *const same[] = {"", "a", "a\n", "a\nb\n\n", "\n\n", "a\rb", "日本\n"};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        editor *ed = editor_new("t", same[i]);
        assert_text(ed, same[i]);
        assert_false(editor_modified(ed));
        editor_free(ed);
    }
    editor *ed = editor_new("t", "a\r\nb\r\n\r\nc"); /* CRLF comes back as LF */
    assert_text(ed, "a\nb\n\nc");
    editor_free(ed);
    ed = editor_new(NULL, NULL);
    assert_text(ed, "");
    editor_free(ed);
}

static void inserts_utf8_and_tabs(void **state) {
    editor *ed = editor_new("t", "");
    type(ed, "héllo 日本");
    assert_text(ed, "héllo 日本");
    assert_true(editor_modified(ed));
    key(ed, KEY_HOME);
    type(ed, ">");
    ch(ed, '\t');
    assert_text(ed, ">  héllo 日本");
    ch(ed, 5); /* ^E */
    type(ed, "!");
    assert_text(ed, ">  héllo 日本!");
    ch(ed, 1); /* ^A */
    type(ed, "^");
    assert_text(ed, "^>  héllo 日本!");
    editor_free(ed);
}

static void ignores_other_control_characters(void **state) {
    editor *ed = editor_new("t", "abc");
    int junk[] = {0x07, 0x00, 0x1c, 0x9b, 0x85, 0xD800, 0x110000, 0x02, 0x0c};
    for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++)
        assert_int_equal(ch(ed, junk[i]), EDITOR_GOING);
    assert_int_equal(key(ed, KEY_F(5)), EDITOR_GOING);
    assert_int_equal(key(ed, KEY_IC), EDITOR_GOING);
    /* A character with the number of a key code is text. */
    assert_int_equal(ch(ed, KEY_DOWN), EDITOR_GOING);
    assert_text(ed, "\xc4\x82"
                    "abc");
    editor_free(ed);
    ed = editor_new("t", "abc");
    ch(ed, 0x07);
    assert_false(editor_modified(ed));
    assert_text(ed, "abc");
    editor_free(ed);
}

static void enter_splits_and_backspace_joins(void **state) {
    editor *ed = editor_new("t", "abcd");
    keys(ed, KEY_RIGHT, 2);
    ch(ed, '\r');
    assert_text(ed, "ab\ncd");
    type(ed, "X");
    assert_text(ed, "ab\nXcd");
    key(ed, KEY_ENTER);
    ch(ed, '\n');
    assert_text(ed, "ab\nX\n\ncd");
    key(ed, KEY_BACKSPACE);
    ch(ed, 0x7F);
    ch(ed, '\b');
    assert_text(ed, "ab\ncd");
    key(ed, KEY_BACKSPACE);
    assert_text(ed, "abcd"); /* cursor after "ab" */
    type(ed, "-");
    assert_text(ed, "ab-cd");
    editor_free(ed);

    ed = editor_new("t", "a");
    key(ed, KEY_BACKSPACE); /* at the very start: nothing */
    assert_false(editor_modified(ed));
    key(ed, KEY_END);
    ch(ed, '\r');
    assert_text(ed, "a\n");
    editor_free(ed);
}

static void delete_removes_characters_and_line_ends(void **state) {
    editor *ed = editor_new("t", "é日x\ncd");
    key(ed, KEY_DC);
    assert_text(ed, "日x\ncd");
    key(ed, KEY_DC);
    assert_text(ed, "x\ncd");
    key(ed, KEY_END);
    key(ed, KEY_DC);
    assert_text(ed, "xcd");
    key(ed, KEY_END);
    keys(ed, KEY_DC, 5); /* past the end: nothing */
    assert_text(ed, "xcd");
    editor_free(ed);
}

static void moves_by_characters(void **state) {
    editor *ed = editor_new("t", "aé日b\nz");
    key(ed, KEY_END);
    key(ed, KEY_LEFT);
    key(ed, KEY_BACKSPACE);
    assert_text(ed, "aéb\nz");
    key(ed, KEY_LEFT);
    key(ed, KEY_BACKSPACE);
    assert_text(ed, "éb\nz");
    key(ed, KEY_RIGHT);
    key(ed, KEY_RIGHT);
    key(ed, KEY_RIGHT); /* wraps to the next line */
    type(ed, "|");
    assert_text(ed, "éb\n|z");
    keys(ed, KEY_LEFT, 2); /* back over '|' and the line end */
    type(ed, "#");
    assert_text(ed, "éb#\n|z");
    editor_free(ed);
    /* Invalid bytes are one character each and survive untouched. */
    ed = editor_new("t", "a\xff\xfe"
                         "b");
    key(ed, KEY_END);
    keys(ed, KEY_LEFT, 2);
    key(ed, KEY_BACKSPACE);
    assert_text(ed, "a\xfe"
                    "b");
    editor_free(ed);
}

static void up_and_down_keep_the_column(void **state) {
    editor *ed = editor_new("t", "abcdef\nxy\n日本語x");
    keys(ed, KEY_RIGHT, 5);
    key(ed, KEY_DOWN); /* "xy" is shorter: its end */
    key(ed, KEY_DOWN); /* column 5 falls inside 語: before it */
    type(ed, "|");
    assert_text(ed, "abcdef\nxy\n日本|語x");
    keys(ed, KEY_UP, 2); /* the column is now 5 again ("日本|") */
    type(ed, "#");
    assert_text(ed, "abcde#f\nxy\n日本|語x");
    keys(ed, KEY_UP, 3); /* stays on the first line */
    key(ed, KEY_HOME);
    keys(ed, KEY_DOWN, 9); /* and on the last */
    type(ed, "$");
    assert_text(ed, "abcde#f\nxy\n$日本|語x");
    editor_free(ed);
}

static void cut_and_paste_lines(void **state) {
    editor *ed = editor_new("t", "one\ntwo\nthree");
    key(ed, KEY_DOWN);
    ch(ed, 11); /* ^K */
    assert_text(ed, "one\nthree");
    ch(ed, 21); /* ^U */
    assert_text(ed, "one\ntwo\nthree");
    /* Cuts in a row gather; pasting twice gives them twice. */
    keys(ed, KEY_UP, 2);
    ch(ed, 11);
    ch(ed, 11);
    assert_text(ed, "three");
    ch(ed, 21);
    ch(ed, 21);
    assert_text(ed, "one\ntwo\none\ntwo\nthree");
    /* A cut after another key starts afresh. */
    key(ed, KEY_DOWN);
    key(ed, KEY_UP);
    ch(ed, 11);
    ch(ed, 21);
    ch(ed, 21);
    assert_text(ed, "one\ntwo\none\ntwo\ntwo\nthree");
    editor_free(ed);

    ed = editor_new("t", "solo");
    ch(ed, 11);
    assert_text(ed, "");
    assert_true(editor_modified(ed));
    ch(ed, 21);
    assert_text(ed, "solo\n");
    editor_free(ed);
    ed = editor_new("t", "x");
    ch(ed, 21); /* nothing cut yet */
    assert_text(ed, "x");
    editor_free(ed);
}

static void save_and_the_double_escape(void **state) {
    editor *ed = editor_new("t", "x");
    assert_int_equal(ch(ed, 27), EDITOR_CANCEL); /* nothing changed: one Esc */
    editor_free(ed);
    ed = editor_new("t", "x");
    assert_int_equal(ch(ed, 17), EDITOR_CANCEL); /* ^Q alike */
    editor_free(ed);

    ed = editor_new("t", "x");
    type(ed, "y");
    assert_int_equal(ch(ed, 27), EDITOR_GOING);
    assert_int_equal(key(ed, KEY_RESIZE), EDITOR_GOING); /* not a key pressed */
    assert_int_equal(ch(ed, 27), EDITOR_CANCEL);
    editor_free(ed);

    ed = editor_new("t", "x");
    type(ed, "y");
    assert_int_equal(ch(ed, 27), EDITOR_GOING);
    key(ed, KEY_LEFT); /* any other key disarms */
    assert_int_equal(ch(ed, 27), EDITOR_GOING);
    assert_int_equal(ch(ed, 17), EDITOR_CANCEL);
    editor_free(ed);

    ed = editor_new("t", "x");
    type(ed, "y");
    assert_int_equal(ch(ed, 27), EDITOR_GOING);
    assert_int_equal(ch(ed, 19), EDITOR_SAVE); /* ^S */
    assert_text(ed, "yx");
    assert_int_equal(key(ed, KEY_F(2)), EDITOR_SAVE);
    editor_free(ed);
}

static void page_keys_move_by_a_screen(void **state) {
    char big[2048] = "";
    for (int i = 1; i <= 100; i++)
        sprintf(big + strlen(big), "%sL%d", i > 1 ? "\n" : "", i);
    editor *ed = editor_new("t", big);
    /* Before any drawing a page is ten lines. */
    key(ed, KEY_NPAGE);
    type(ed, "*");
    char *t = editor_text(ed);
    assert_non_null(strstr(t, "\n*L10\n"));
    free(t);
    key(ed, KEY_PPAGE);
    key(ed, KEY_HOME);
    type(ed, "^");
    t = editor_text(ed);
    assert_true(strncmp(t, "^L1\n", 4) == 0);
    free(t);
    keys(ed, KEY_NPAGE, 50);
    key(ed, KEY_HOME);
    type(ed, "@");
    t = editor_text(ed);
    assert_non_null(strstr(t, "\n@L100"));
    free(t);
    editor_free(ed);
}

/* --- the built-in editor: drawing ----------------------------------------- */

typedef struct screen {
    SCREEN *sp;
    FILE *out, *in;
    ui_theme th;
} screen;

static int screen_up(void **state) {
    if (!setlocale(LC_ALL, "C.UTF-8")) return -1;
    screen *s = xcalloc(1, sizeof *s);
    s->out = fopen("/dev/null", "w");
    s->in = fopen("/dev/null", "r");
    s->sp = newterm("xterm", s->out, s->in);
    if (!s->sp) return -1;
    set_term(s->sp);
    theme_init(&s->th, true, false);
    *state = s;
    return 0;
}

static int screen_down(void **state) {
    screen *s = *state;
    endwin();
    delscreen(s->sp);
    fclose(s->out);
    fclose(s->in);
    free(s);
    return 0;
}

/* Row y of w as UTF-8 (a wide character once). Fails on any cell holding
 * a control character. */
static char *row(WINDOW *w, int y) {
    char *out = xcalloc(1, 4 * (size_t)getmaxx(w) + 1);
    size_t n = 0;
    for (int x = 0; x < getmaxx(w);) {
        cchar_t cc;
        wchar_t wch[CCHARW_MAX + 1] = {0};
        attr_t a;
        short pair;
        assert_int_equal(mvwin_wch(w, y, x, &cc), OK);
        getcchar(&cc, wch, &a, &pair, NULL);
        wchar_t c = wch[0] ? wch[0] : L' ';
        assert_true(c >= 0x20 && c != 0x7F && !(c >= 0x80 && c < 0xA0));
        mbstate_t st;
        memset(&st, 0, sizeof st);
        size_t k = wcrtomb(out + n, c, &st);
        assert_true(k != (size_t)-1);
        n += k;
        int cw = wcwidth(c);
        x += cw > 1 ? cw : 1;
    }
    out[n] = '\0';
    return out;
}

static bool row_has(WINDOW *w, int y, const char *what) {
    char *r = row(w, y);
    bool yes = strstr(r, what) != NULL;
    if (!yes) print_message("row %d: [%s] lacks [%s]\n", y, r, what);
    free(r);
    return yes;
}

static wchar_t cell(WINDOW *w, int y, int x) {
    cchar_t cc;
    wchar_t wch[CCHARW_MAX + 1] = {0};
    attr_t a;
    short pair;
    mvwin_wch(w, y, x, &cc);
    getcchar(&cc, wch, &a, &pair, NULL);
    return wch[0];
}

static void draws_title_text_gutter_and_legend(void **state) {
    screen *s = *state;
    WINDOW *w = newwin(10, 60, 0, 0);
    editor *ed = editor_new("Mapping template application/json", "{\n  \"a\": 1\n}\n");
    editor_draw(ed, w, &s->th, 10, 60);
    /* The window's cursor first: reading cells back moves it. */
    assert_int_equal(getcury(w), 1);
    assert_int_equal(getcurx(w), 4);
    assert_true(row_has(w, 0, " Mapping template application/json"));
    char *title = row(w, 0);
    assert_null(strstr(title, "modified"));
    free(title);
    assert_true(row_has(w, 0, "Ln 1/4, Col 1"));
    assert_true(row_has(w, 1, "  1 {"));
    assert_true(row_has(w, 2, "  2   \"a\": 1"));
    assert_true(row_has(w, 3, "  3 }"));
    assert_true(row_has(w, 9, "^S save · Esc close · ^K cut line · ^U paste"));
    int y, x;
    assert_true(editor_cursor(ed, &y, &x));
    assert_int_equal(y, 1);
    assert_int_equal(x, 4);
    key(ed, KEY_DOWN);
    keys(ed, KEY_RIGHT, 3);
    type(ed, "b");
    editor_draw(ed, w, &s->th, 10, 60);
    assert_int_equal(getcury(w), 2);
    assert_int_equal(getcurx(w), 8);
    assert_true(row_has(w, 0, "[modified]"));
    assert_true(row_has(w, 0, "Ln 2/4, Col 5"));
    assert_true(row_has(w, 2, "  2   \"ba\": 1"));
    /* The first Esc with changes asks again at the bottom. */
    assert_int_equal(ch(ed, 27), EDITOR_GOING);
    editor_draw(ed, w, &s->th, 10, 60);
    assert_true(row_has(w, 9, "Unsaved changes: Esc again to discard, ^S to save"));
    editor_free(ed);
    delwin(w);
}

static void wide_characters_line_up(void **state) {
    screen *s = *state;
    WINDOW *w = newwin(6, 40, 0, 0);
    editor *ed = editor_new("t", "abcdef\n日本x");
    key(ed, KEY_DOWN);
    key(ed, KEY_END);
    editor_draw(ed, w, &s->th, 6, 40);
    assert_int_equal(getcury(w), 2);
    assert_int_equal(getcurx(w), 9);
    assert_int_equal(cell(w, 2, 4), L'日');
    assert_int_equal(cell(w, 2, 6), L'本');
    assert_int_equal(cell(w, 2, 8), L'x');
    assert_int_equal(cell(w, 1, 8), L'e');
    key(ed, KEY_LEFT);
    key(ed, KEY_LEFT);
    editor_draw(ed, w, &s->th, 6, 40);
    assert_int_equal(getcurx(w), 6); /* on 本 */
    key(ed, KEY_UP);
    editor_draw(ed, w, &s->th, 6, 40);
    assert_int_equal(getcury(w), 1);
    assert_int_equal(getcurx(w), 6); /* column 2: on 'c' */
    editor_free(ed);
    delwin(w);
}

static void control_characters_never_reach_the_screen(void **state) {
    screen *s = *state;
    WINDOW *w = newwin(6, 60, 0, 0);
    const char *evil = "evil\x1b[2J\x07"
                       "bell\xc2\x9b"
                       "c1\xff end\r\nnext\rline";
    editor *ed = editor_new("title\x1b]0;owned\x07 here", evil);
    editor_draw(ed, w, &s->th, 6, 60);
    for (int y = 0; y < 6; y++)
        free(row(w, y)); /* row() fails on a raw control */
    assert_true(row_has(w, 0, "title?]0;owned? here"));
    assert_true(row_has(w, 1, "evil?[2J?bell?c1\xef\xbf\xbd end"));
    assert_true(row_has(w, 2, "next?line"));
    /* The text itself is kept as it was (bar the CRLF). */
    assert_text(ed, "evil\x1b[2J\x07"
                    "bell\xc2\x9b"
                    "c1\xff end\nnext\rline");
    editor_free(ed);
    delwin(w);
}

static void long_lines_scroll_sideways(void **state) {
    screen *s = *state;
    WINDOW *w = newwin(6, 40, 0, 0);
    char line[300] = "start";
    memset(line + 5, 'x', 200);
    strcpy(line + 205, "END");
    char *text = xasprintf("%s\nshort", line);
    editor *ed = editor_new("t", text);
    editor_draw(ed, w, &s->th, 6, 40);
    assert_true(row_has(w, 1, "  1 startxxx"));
    key(ed, KEY_END);
    editor_draw(ed, w, &s->th, 6, 40);
    assert_int_equal(getcury(w), 1);
    assert_int_equal(getcurx(w), 39); /* just after "END", at the right edge */
    assert_true(row_has(w, 1, "xxxEND"));
    char *r = row(w, 1);
    assert_null(strstr(r, "start"));
    free(r);
    assert_int_equal(cell(w, 1, 36), L'E');
    key(ed, KEY_HOME);
    editor_draw(ed, w, &s->th, 6, 40);
    assert_int_equal(getcurx(w), 4);
    assert_true(row_has(w, 1, "  1 startxxx"));
    editor_free(ed);
    free(text);
    delwin(w);
}

static void tall_text_scrolls_and_small_windows_hold(void **state) {
    screen *s = *state;
    WINDOW *w = newwin(8, 50, 0, 0);
    char big[1024] = "";
    for (int i = 1; i <= 50; i++)
        sprintf(big + strlen(big), "%sline %d", i > 1 ? "\n" : "", i);
    editor *ed = editor_new("t", big);
    keys(ed, KEY_DOWN, 30);
    editor_draw(ed, w, &s->th, 8, 50);
    assert_int_equal(getcury(w), 6);
    assert_true(row_has(w, 6, " 31 line 31")); /* the last text row */
    keys(ed, KEY_UP, 30);
    editor_draw(ed, w, &s->th, 8, 50);
    assert_true(row_has(w, 1, "  1 line 1"));
    /* Narrow: no gutter. Tiny: whatever fits, without harm. */
    editor_draw(ed, w, &s->th, 8, 20);
    assert_true(row_has(w, 1, "line 1 "));
    assert_int_equal(cell(w, 1, 0), L'l');
    editor_draw(ed, w, &s->th, 1, 5);
    editor_draw(ed, w, &s->th, 2, 1);
    editor_draw(ed, w, &s->th, 0, 0);
    editor_free(ed);
    delwin(w);
}

/* With a live screen the editor suspends curses and brings it back. */
static void external_suspends_and_resumes_curses(void **state) {
    assert_false(isendwin());
    char *out = NULL;
    err e;
    assert_int_equal(editor_run_external("true", "t", ".txt", &out, &e), 0);
    assert_string_equal(out, "t");
    assert_false(isendwin());
    free(out);
}

int main(void) {
    if (!setlocale(LC_ALL, "C.UTF-8")) {
        fprintf(stderr, "the C.UTF-8 locale is missing\n");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(command_is_visual_then_editor),
        cmocka_unit_test_setup_teardown(external_edits_a_private_temp_file, scratch_up,
                                        scratch_down),
        cmocka_unit_test_setup_teardown(external_command_with_arguments, scratch_up, scratch_down),
        cmocka_unit_test_setup_teardown(external_keeps_the_final_newline_as_it_was, scratch_up,
                                        scratch_down),
        cmocka_unit_test_setup_teardown(external_failure_keeps_the_text, scratch_up, scratch_down),
        cmocka_unit_test_setup_teardown(external_refuses_what_it_cannot_hold, scratch_up,
                                        scratch_down),
        cmocka_unit_test_setup_teardown(external_suffix_cannot_leave_tmpdir, scratch_up,
                                        scratch_down),
        cmocka_unit_test_setup_teardown(external_signals_as_system_does, scratch_up, scratch_down),
        cmocka_unit_test(round_trips_text),
        cmocka_unit_test(inserts_utf8_and_tabs),
        cmocka_unit_test(ignores_other_control_characters),
        cmocka_unit_test(enter_splits_and_backspace_joins),
        cmocka_unit_test(delete_removes_characters_and_line_ends),
        cmocka_unit_test(moves_by_characters),
        cmocka_unit_test(up_and_down_keep_the_column),
        cmocka_unit_test(cut_and_paste_lines),
        cmocka_unit_test(save_and_the_double_escape),
        cmocka_unit_test(page_keys_move_by_a_screen),
    };
    const struct CMUnitTest drawing[] = {
        cmocka_unit_test(draws_title_text_gutter_and_legend),
        cmocka_unit_test(wide_characters_line_up),
        cmocka_unit_test(control_characters_never_reach_the_screen),
        cmocka_unit_test(long_lines_scroll_sideways),
        cmocka_unit_test(tall_text_scrolls_and_small_windows_hold),
        cmocka_unit_test(external_suspends_and_resumes_curses),
    };
    int failed = cmocka_run_group_tests_name("ui_editor", tests, NULL, NULL);
    failed += cmocka_run_group_tests_name("ui_editor_draw", drawing, screen_up, screen_down);
    return failed ? 1 : 0;
}
