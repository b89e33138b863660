/* Editing multi-line text: in the user's own editor on a private temp file,
 * or in a small built-in editor (an array of UTF-8 lines). */
#include "ui/editor.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wchar.h>

#include "core/buf.h"
#include "core/mem.h"
#include "core/text.h"
#include "ui/draw.h"
#include "ui/keymap.h"

extern char **environ;

/* ------------------------------------------------------------------------- */
/* The external editor                                                        */
/* ------------------------------------------------------------------------- */

/* Larger than any template, schema or inline function code AWS accepts. */
#define EDIT_MAX ((size_t)16 << 20)

static const char *env_nonempty(const char *name) {
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

const char *editor_command(void) {
    const char *v = env_nonempty("VISUAL");
    return v ? v : env_nonempty("EDITOR");
}

static int write_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Create the temp file holding text; its name goes to path (malloc'd). */
static int temp_create(const char *text, const char *suffix, char **path, err *e) {
    const char *dir = env_nonempty("TMPDIR");
    if (!dir) dir = "/tmp";
    /* A suffix is an extension: anything that could leave the directory goes. */
    if (!suffix || strchr(suffix, '/')) suffix = "";
    char *name = xasprintf("%s/apigw-console-XXXXXX%s", dir, suffix);
    int fd = mkstemps(name, (int)strlen(suffix));
    if (fd < 0) {
        int errnum = errno;
        free(name);
        return err_set(e, 0, "", "cannot create a temp file in %s: %s", dir, strerror(errnum));
    }
    int rc = fchmod(fd, 0600) == 0 ? write_all(fd, text, strlen(text)) : -1;
    int errnum = errno;
    if (close(fd) != 0 && rc == 0) rc = -1, errnum = errno;
    if (rc != 0) {
        unlink(name);
        free(name);
        return err_set(e, 0, "", "cannot write the temp file: %s", strerror(errnum));
    }
    *path = name;
    return 0;
}

/* Read the edited file back (NUL-terminated, at most EDIT_MAX bytes). */
static int temp_read(const char *path, char **out, err *e) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return err_set(e, 0, "", "cannot read the edited file: %s; the text was not changed",
                       strerror(errno));
    buf b = BUF_INIT;
    char chunk[65536];
    ssize_t r = 0;
    while (b.len <= EDIT_MAX) {
        r = read(fd, chunk, sizeof chunk);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        buf_add(&b, chunk, (size_t)r);
    }
    int errnum = errno;
    close(fd);
    int rc = 0;
    if (r < 0)
        rc = err_set(e, 0, "", "cannot read the edited file: %s; the text was not changed",
                     strerror(errnum));
    else if (b.len > EDIT_MAX)
        rc = err_set(e, 0, "", "the edited text is larger than %zu MiB; the text was not changed",
                     EDIT_MAX >> 20);
    else if (b.len && memchr(b.data, '\0', b.len))
        rc = err_set(e, 0, "", "the edited text contains a NUL byte; the text was not changed");
    if (rc) {
        buf_free(&b);
        return rc;
    }
    buf_add(&b, "", 0); /* an empty file still gives a string */
    *out = buf_steal(&b);
    return 0;
}

/* Run `sh -c 'cmd "$1"' sh path` and wait for it as system() does: the
 * parent ignores SIGINT and SIGQUIT meanwhile (^C belongs to the editor)
 * and blocks SIGCHLD; the child starts with default dispositions and an
 * empty signal mask. Returns 0 with the wait status, or -1 with e set. */
static int run_shell(const char *cmd, const char *path, int *status, err *e) {
    struct sigaction ign = {.sa_handler = SIG_IGN}, old_int, old_quit;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGINT, &ign, &old_int);
    sigaction(SIGQUIT, &ign, &old_quit);
    sigset_t chld, old_mask;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    pthread_sigmask(SIG_BLOCK, &chld, &old_mask);

    static const int dflt[] = {SIGINT,  SIGQUIT, SIGPIPE, SIGCHLD,  SIGHUP,  SIGTERM,
                               SIGTSTP, SIGTTIN, SIGTTOU, SIGWINCH, SIGUSR1, SIGUSR2};
    sigset_t def, none;
    sigemptyset(&def);
    sigemptyset(&none);
    for (size_t i = 0; i < sizeof dflt / sizeof dflt[0]; i++)
        sigaddset(&def, dflt[i]);
    posix_spawnattr_t at;
    posix_spawnattr_init(&at);
    posix_spawnattr_setsigdefault(&at, &def);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

    char *script = xasprintf("%s \"$1\"", cmd);
    char *argv[] = {"sh", "-c", script, "sh", (char *)path, NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, "/bin/sh", NULL, &at, argv, environ);
    posix_spawnattr_destroy(&at);
    free(script);
    const char *what = "start";
    if (rc == 0) {
        what = "wait for";
        while (waitpid(pid, status, 0) < 0)
            if (errno != EINTR) {
                rc = errno;
                break;
            }
    }

    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGQUIT, &old_quit, NULL);
    pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
    if (rc != 0)
        return err_set(e, 0, "", "cannot %s the editor: %s; the text was not changed", what,
                       strerror(rc));
    return 0;
}

static int check_status(int status, const char *cmd, err *e) {
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return 0;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
        return err_set(e, 0, "",
                       "the editor exited with status 127 (is \"%.200s\" installed?); "
                       "the text was not changed",
                       cmd);
    if (WIFEXITED(status))
        return err_set(e, 0, "", "the editor exited with status %d; the text was not changed",
                       WEXITSTATUS(status));
    if (WIFSIGNALED(status))
        return err_set(e, 0, "",
                       "the editor was killed by signal %d (%s); the text was not changed",
                       WTERMSIG(status), strsignal(WTERMSIG(status)));
    return err_set(e, 0, "", "the editor stopped unexpectedly; the text was not changed");
}

int editor_run_external(const char *cmd, const char *text, const char *suffix, char **out, err *e) {
    if (!cmd || !*cmd) return err_set(e, 0, "", "no editor command");
    if (!text) text = "";
    char *path = NULL;
    if (temp_create(text, suffix, &path, e)) return -1;

    /* Only a live curses screen is suspended: without one (tests, the CLI)
     * the editor simply runs. */
    bool active = stdscr != NULL && !isendwin();
    if (active) {
        def_prog_mode();
        endwin();
    }
    int status = 0;
    int rc = run_shell(cmd, path, &status, e);
    if (active) {
        reset_prog_mode();
        refresh();
    }
    if (rc == 0) rc = check_status(status, cmd, e);
    char *got = NULL;
    if (rc == 0) rc = temp_read(path, &got, e);
    unlink(path);
    free(path);
    if (rc) return -1;

    /* Editors end the file with a newline when saving. When the text had
     * none (a one-line template, an inline value), exactly one is taken
     * off again so that an unchanged text comes back unchanged. */
    size_t n = strlen(text), m = strlen(got);
    if ((n == 0 || text[n - 1] != '\n') && m > 0 && got[m - 1] == '\n') got[m - 1] = '\0';
    *out = got;
    return 0;
}

/* ------------------------------------------------------------------------- */
/* The built-in editor                                                        */
/* ------------------------------------------------------------------------- */

struct editor {
    char *title;
    char **line; /* UTF-8, without the line end */
    size_t n, cap;
    size_t cy, cx; /* cursor: line, byte offset in it */
    int want;      /* display column kept by up/down; -1 when none */
    size_t top;    /* first line shown */
    int left;      /* first display column shown */
    int page;      /* text rows at the last draw, for PgUp/PgDn */
    bool utf8;     /* the theme's, at the last draw */
    buf clip;      /* cut lines, each ending in '\n' */
    bool cutting;  /* the last key was ^K: another ^K adds to clip */
    bool modified;
    bool armed; /* Esc once with unsaved changes: the next Esc discards */
    bool drawn;
    int cur_y, cur_x; /* where the last draw put the cursor */
};

static const char unsaved_note[] = "Unsaved changes: Esc again to discard, ^S to save";

/* Decode the character at s (len bytes left, len > 0). Anything that is
 * not valid UTF-8 is one byte of U+FFFD, as text_sanitize sees it. */
static size_t cp_at(const char *s, size_t len, wchar_t *cp) {
    const unsigned char *p = (const unsigned char *)s;
    size_t n = p[0] < 0x80             ? 1
               : (p[0] & 0xE0) == 0xC0 ? 2
               : (p[0] & 0xF0) == 0xE0 ? 3
               : (p[0] & 0xF8) == 0xF0 ? 4
                                       : 0;
    *cp = 0xFFFD;
    if (n == 0 || n > len) return 1;
    unsigned long v = n == 1 ? p[0] : p[0] & (0x7F >> n);
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) return 1;
        v = v << 6 | (p[i] & 0x3F);
    }
    static const unsigned long min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (v < min[n] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 1;
    *cp = (wchar_t)v;
    return n;
}

/* How cp shows (the same rule as draw.c): control characters, and in a
 * UTF-8 locale anything without a width of 1 or 2, as '?'. */
static wchar_t cp_shown(wchar_t cp, bool utf8, int *cols) {
    *cols = 1;
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) return L'?';
    if (cp < 0x80) return cp;
    if (!utf8) return L'?';
    int w = wcwidth(cp);
    if (w < 1 || w > 2) return L'?';
    *cols = w;
    return cp;
}

static int cp_cols(const editor *ed, wchar_t cp) {
    int w;
    cp_shown(cp, ed->utf8, &w);
    return w;
}

/* Display column of byte offset off in s. */
static int col_of(const editor *ed, const char *s, size_t off) {
    int col = 0;
    wchar_t cp;
    for (size_t i = 0; i < off;) {
        i += cp_at(s + i, off - i, &cp);
        col += cp_cols(ed, cp);
    }
    return col;
}

/* Byte offset of the last character boundary at or before column col. */
static size_t off_of(const editor *ed, const char *s, int col) {
    size_t len = strlen(s), i = 0;
    int c = 0;
    wchar_t cp;
    while (i < len) {
        size_t k = cp_at(s + i, len - i, &cp);
        int w = cp_cols(ed, cp);
        if (c + w > col) break;
        c += w;
        i += k;
    }
    return i;
}

static size_t next_off(const char *s, size_t off) {
    size_t len = strlen(s);
    wchar_t cp;
    return off < len ? off + cp_at(s + off, len - off, &cp) : off;
}

static size_t prev_off(const char *s, size_t off) {
    if (off == 0) return 0;
    /* Step back over continuation bytes, then make sure the character
     * found really ends at off (invalid bytes are one character each). */
    size_t start = off - 1;
    while (start > 0 && off - start < 4 && ((unsigned char)s[start] & 0xC0) == 0x80)
        start--;
    wchar_t cp;
    return start + cp_at(s + start, off - start, &cp) == off ? start : off - 1;
}

static void line_insert(editor *ed, size_t at, char *s) {
    if (ed->n == ed->cap) {
        ed->cap = ed->cap ? ed->cap * 2 : 16;
        ed->line = xrealloc(ed->line, ed->cap * sizeof *ed->line);
    }
    memmove(ed->line + at + 1, ed->line + at, (ed->n - at) * sizeof *ed->line);
    ed->line[at] = s;
    ed->n++;
}

static void line_remove(editor *ed, size_t at) {
    free(ed->line[at]);
    memmove(ed->line + at, ed->line + at + 1, (ed->n - at - 1) * sizeof *ed->line);
    ed->n--;
}

editor *editor_new(const char *title, const char *text) {
    editor *ed = xcalloc(1, sizeof *ed);
    ed->title = xstrdup(title ? title : "");
    ed->want = -1;
    ed->page = 10;
    ed->utf8 = true;
    if (!text) text = "";
    /* Lines split at '\n'; a '\r' right before it is part of the line end,
     * so CRLF text comes back from editor_text with plain '\n' endings. A
     * final newline gives a last, empty line, so it round-trips. */
    for (const char *p = text;;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (nl && len > 0 && p[len - 1] == '\r') len--;
        line_insert(ed, ed->n, xstrndup(p, len));
        if (!nl) break;
        p = nl + 1;
    }
    return ed;
}

void editor_free(editor *ed) {
    if (!ed) return;
    for (size_t i = 0; i < ed->n; i++)
        free(ed->line[i]);
    free(ed->line);
    free(ed->title);
    buf_free(&ed->clip);
    free(ed);
}

char *editor_text(const editor *ed) {
    buf b = BUF_INIT;
    for (size_t i = 0; i < ed->n; i++) {
        if (i) buf_putc(&b, '\n');
        buf_puts(&b, ed->line[i]);
    }
    buf_add(&b, "", 0);
    return buf_steal(&b);
}

bool editor_modified(const editor *ed) { return ed->modified; }

bool editor_cursor(const editor *ed, int *y, int *x) {
    if (!ed->drawn) return false;
    *y = ed->cur_y;
    *x = ed->cur_x;
    return true;
}

/* --- editing ------------------------------------------------------------- */

static void insert_bytes(editor *ed, const char *s, size_t k) {
    char *l = ed->line[ed->cy];
    size_t len = strlen(l);
    l = xrealloc(l, len + k + 1);
    memmove(l + ed->cx + k, l + ed->cx, len - ed->cx + 1);
    memcpy(l + ed->cx, s, k);
    ed->line[ed->cy] = l;
    ed->cx += k;
    ed->modified = true;
}

static void split_line(editor *ed) {
    char *l = ed->line[ed->cy];
    line_insert(ed, ed->cy + 1, xstrdup(l + ed->cx));
    l[ed->cx] = '\0';
    ed->cy++;
    ed->cx = 0;
    ed->modified = true;
}

/* Insert text that may hold newlines (a paste). */
static void insert_text(editor *ed, const char *s) {
    for (;;) {
        const char *nl = strchr(s, '\n');
        size_t k = nl ? (size_t)(nl - s) : strlen(s);
        if (k) insert_bytes(ed, s, k);
        if (!nl) return;
        split_line(ed);
        s = nl + 1;
    }
}

/* Join line at+1 onto line at. */
static void join_next(editor *ed, size_t at) {
    char *a = ed->line[at], *b = ed->line[at + 1];
    size_t la = strlen(a), lb = strlen(b);
    a = xrealloc(a, la + lb + 1);
    memcpy(a + la, b, lb + 1);
    ed->line[at] = a;
    line_remove(ed, at + 1);
    ed->modified = true;
}

static void delete_range(editor *ed, size_t from, size_t to) {
    char *l = ed->line[ed->cy];
    memmove(l + from, l + to, strlen(l + to) + 1);
    ed->cx = from;
    ed->modified = true;
}

static void backspace(editor *ed) {
    if (ed->cx > 0) {
        const char *l = ed->line[ed->cy];
        delete_range(ed, prev_off(l, ed->cx), ed->cx);
    } else if (ed->cy > 0) {
        ed->cy--;
        ed->cx = strlen(ed->line[ed->cy]);
        join_next(ed, ed->cy);
    }
}

static void delete_forward(editor *ed) {
    const char *l = ed->line[ed->cy];
    if (l[ed->cx])
        delete_range(ed, ed->cx, next_off(l, ed->cx));
    else if (ed->cy + 1 < ed->n)
        join_next(ed, ed->cy);
}

/* ^K: the cursor's line goes to the clip; cuts in a row gather there. */
static void cut_line(editor *ed, bool again) {
    if (!again) buf_reset(&ed->clip);
    buf_puts(&ed->clip, ed->line[ed->cy]);
    buf_putc(&ed->clip, '\n');
    if (ed->n > 1) {
        line_remove(ed, ed->cy);
        if (ed->cy >= ed->n) ed->cy = ed->n - 1;
    } else {
        ed->line[0][0] = '\0';
    }
    ed->cx = 0;
    ed->modified = true;
}

/* UTF-8 for c (a valid code point) into u; returns its length. */
static size_t utf8_put(char *u, unsigned long c) {
    if (c < 0x80) {
        u[0] = (char)c;
        return 1;
    }
    size_t k = c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    static const unsigned char lead[] = {0, 0, 0xC0, 0xE0, 0xF0};
    for (size_t i = k - 1; i > 0; i--, c >>= 6)
        u[i] = (char)(0x80 | (c & 0x3F));
    u[0] = (char)(lead[k] | c);
    return k;
}

static void insert_char(editor *ed, wchar_t wc) {
    char u[4];
    insert_bytes(ed, u, utf8_put(u, (unsigned long)wc));
}

static bool typable(int ch) {
    return ch >= 0x20 && ch != 0x7F && !(ch >= 0x80 && ch < 0xA0) &&
           !(ch >= 0xD800 && ch <= 0xDFFF) && ch <= 0x10FFFF;
}

/* --- moving ------------------------------------------------------------- */

static void move_vertical(editor *ed, long by) {
    if (ed->want < 0) ed->want = col_of(ed, ed->line[ed->cy], ed->cx);
    long to = (long)ed->cy + by;
    if (to < 0) to = 0;
    if (to >= (long)ed->n) to = (long)ed->n - 1;
    ed->cy = (size_t)to;
    ed->cx = off_of(ed, ed->line[ed->cy], ed->want);
}

static void move_page(editor *ed, int dir) {
    size_t page = ed->page > 1 ? (size_t)ed->page - 1 : 1;
    if (dir > 0) {
        size_t last = ed->n > page ? ed->n - page : 0;
        ed->top = ed->top + page < last ? ed->top + page : last;
    } else {
        ed->top = ed->top > page ? ed->top - page : 0;
    }
    move_vertical(ed, dir > 0 ? (long)page : -(long)page);
}

/* Keys that move the cursor; true when ch was one. */
static bool move_key(editor *ed, int ch, bool is_key) {
    const char *l = ed->line[ed->cy];
    bool vertical =
        is_key && (ch == KEY_UP || ch == KEY_DOWN || ch == KEY_PPAGE || ch == KEY_NPAGE);
    if (is_key && ch == KEY_LEFT) {
        if (ed->cx > 0)
            ed->cx = prev_off(l, ed->cx);
        else if (ed->cy > 0)
            ed->cy--, ed->cx = strlen(ed->line[ed->cy]);
    } else if (is_key && ch == KEY_RIGHT) {
        if (l[ed->cx])
            ed->cx = next_off(l, ed->cx);
        else if (ed->cy + 1 < ed->n)
            ed->cy++, ed->cx = 0;
    } else if ((is_key && ch == KEY_HOME) || (!is_key && ch == UI_CTRL('a'))) {
        ed->cx = 0;
    } else if ((is_key && ch == KEY_END) || (!is_key && ch == UI_CTRL('e'))) {
        ed->cx = strlen(l);
    } else if (is_key && ch == KEY_UP) {
        move_vertical(ed, -1);
    } else if (is_key && ch == KEY_DOWN) {
        move_vertical(ed, 1);
    } else if (is_key && ch == KEY_PPAGE) {
        move_page(ed, -1);
    } else if (is_key && ch == KEY_NPAGE) {
        move_page(ed, 1);
    } else {
        return false;
    }
    if (!vertical) ed->want = -1;
    return true;
}

/* Keys that change the text; true when ch was one. */
static bool edit_key(editor *ed, int ch, bool is_key) {
    bool cut = !is_key && ch == UI_CTRL('k');
    bool again = ed->cutting;
    ed->cutting = cut;
    if (cut)
        cut_line(ed, again);
    else if (!is_key && ch == UI_CTRL('u')) {
        if (ed->clip.len) insert_text(ed, ed->clip.data);
    } else if ((is_key && ch == KEY_ENTER) || (!is_key && (ch == '\r' || ch == '\n')))
        split_line(ed);
    else if ((is_key && ch == KEY_BACKSPACE) || (!is_key && (ch == 0x7F || ch == '\b')))
        backspace(ed);
    else if (is_key && ch == KEY_DC)
        delete_forward(ed);
    else if (!is_key && ch == '\t')
        insert_bytes(ed, "  ", 2);
    else if (!is_key && typable(ch))
        insert_char(ed, (wchar_t)ch);
    else
        return false;
    ed->want = -1;
    return true;
}

editor_result editor_key(editor *ed, int ch, bool is_key) {
    /* Not keys the person pressed: they change nothing, not even the
     * pending "Esc again". */
    if (is_key && (ch == KEY_RESIZE || ch == KEY_MOUSE)) return EDITOR_GOING;
    if ((!is_key && ch == UI_CTRL('s')) || (is_key && ch == KEY_F(2))) return EDITOR_SAVE;
    if (!is_key && (ch == UI_ESC || ch == UI_CTRL('q'))) {
        ed->cutting = false;
        if (!ed->modified || ed->armed) return EDITOR_CANCEL;
        ed->armed = true;
        return EDITOR_GOING;
    }
    ed->armed = false;
    if (move_key(ed, ch, is_key))
        ed->cutting = false;
    else
        edit_key(ed, ch, is_key); /* anything else (other control keys) is ignored */
    return EDITOR_GOING;
}

/* --- drawing ------------------------------------------------------------ */

/* The part of s from display column left, at most width columns, as
 * printable text (a wide character cut by the left edge shows as spaces). */
static char *visible(const editor *ed, const char *s, int left, int width) {
    buf b = BUF_INIT;
    size_t len = strlen(s);
    int col = 0, used = 0;
    wchar_t cp;
    for (size_t i = 0; i < len;) {
        i += cp_at(s + i, len - i, &cp);
        int w;
        wchar_t c = cp_shown(cp, ed->utf8, &w);
        int start = col;
        col += w;
        if (col <= left) continue;
        if (start < left) { /* straddles the left edge */
            for (; used < col - left && used < width; used++)
                buf_putc(&b, ' ');
            continue;
        }
        if (used + w > width) break;
        char u[4];
        buf_add(&b, u, utf8_put(u, (unsigned long)c));
        used += w;
    }
    buf_add(&b, "", 0);
    char *safe = text_sanitize(b.data);
    buf_free(&b);
    return safe;
}

static void fill_row(WINDOW *w, const ui_theme *th, ui_role role, int y, int width) {
    wattron(w, th->attr[role]);
    draw_blank(w, y, 0, width);
    wattroff(w, th->attr[role]);
}

/* " title [modified]" on the left, the cursor's place on the right; the
 * title gives way first, then the place. */
static void draw_title(editor *ed, WINDOW *w, const ui_theme *th, int y, int width) {
    char *t = text_sanitize(ed->title);
    char *title = xasprintf(" %s", t);
    const char *mark = ed->modified ? " [modified]" : "";
    char *place = xasprintf("Ln %zu/%zu, Col %d ", ed->cy + 1, ed->n,
                            col_of(ed, ed->line[ed->cy], ed->cx) + 1);
    int pw = draw_width(th, place), mw = draw_width(th, mark);
    if (width - pw - mw - 1 < 12) pw = 0;
    int tw = width - pw - mw - (pw ? 1 : 0);
    fill_row(w, th, UI_R_TITLE, y, width);
    wattron(w, th->attr[UI_R_TITLE]);
    int x = draw_text(w, th, y, 0, title, tw > 0 ? tw : width);
    draw_text(w, th, y, x, mark, width - x);
    if (pw) draw_text(w, th, y, width - pw, place, pw);
    wattroff(w, th->attr[UI_R_TITLE]);
    free(t);
    free(title);
    free(place);
}

static void draw_legend(editor *ed, WINDOW *w, const ui_theme *th, int y, int width) {
    if (ed->armed) {
        fill_row(w, th, UI_R_ERROR, y, width);
        wattron(w, th->attr[UI_R_ERROR]);
        draw_text(w, th, y, 1, unsaved_note, width - 1);
        wattroff(w, th->attr[UI_R_ERROR]);
        return;
    }
    char *legend =
        xasprintf(" ^S save%sEsc close%s^K cut line%s^U paste", th->dot, th->dot, th->dot);
    fill_row(w, th, UI_R_STATUS, y, width);
    wattron(w, th->attr[UI_R_STATUS]);
    draw_text(w, th, y, 0, legend, width);
    wattroff(w, th->attr[UI_R_STATUS]);
    free(legend);
}

static int digits(size_t n) {
    int d = 1;
    while (n >= 10)
        n /= 10, d++;
    return d;
}

/* Scroll so that the cursor is in view. */
static void follow_cursor(editor *ed, int rows, int tw) {
    if (ed->top >= ed->n) ed->top = ed->n - 1;
    if (ed->cy < ed->top) ed->top = ed->cy;
    if (ed->cy >= ed->top + (size_t)rows) ed->top = ed->cy - (size_t)rows + 1;
    const char *l = ed->line[ed->cy];
    int col = col_of(ed, l, ed->cx), cw = 1;
    if (l[ed->cx]) {
        wchar_t cp;
        cp_at(l + ed->cx, strlen(l + ed->cx), &cp);
        cw = cp_cols(ed, cp);
    }
    if (col < ed->left) ed->left = col;
    if (col + cw > ed->left + tw) ed->left = cw > tw ? col : col + cw - tw;
    if (ed->left < 0) ed->left = 0;
}

void editor_draw(editor *ed, WINDOW *w, const ui_theme *th, int h, int width) {
    if (h <= 0 || width <= 0) return;
    ed->utf8 = th->utf8;
    int y0 = h >= 2 ? 1 : 0;              /* the title bar, when there is room */
    int rows = h - y0 - (h >= 3 ? 1 : 0); /* and the legend */
    int gutter = width >= 30 ? (digits(ed->n) < 3 ? 3 : digits(ed->n)) + 1 : 0;
    int tw = width - gutter;
    ed->page = rows;
    follow_cursor(ed, rows, tw);

    if (y0) draw_title(ed, w, th, 0, width);
    if (h >= 3) draw_legend(ed, w, th, h - 1, width);
    for (int r = 0; r < rows; r++) {
        size_t i = ed->top + (size_t)r;
        int y = y0 + r;
        if (gutter) {
            char num[32] = "";
            int k = i < ed->n ? snprintf(num, sizeof num, "%zu", i + 1) : 0;
            wattron(w, th->attr[UI_R_DIM]);
            draw_blank(w, y, 0, gutter);
            draw_text(w, th, y, gutter - 1 - k, num, k); /* right-aligned */
            wattroff(w, th->attr[UI_R_DIM]);
        }
        char *seg = visible(ed, i < ed->n ? ed->line[i] : "", ed->left, tw);
        draw_field(w, th, y, gutter, seg, tw);
        free(seg);
    }
    ed->cur_y = y0 + (int)(ed->cy - ed->top);
    ed->cur_x = gutter + col_of(ed, ed->line[ed->cy], ed->cx) - ed->left;
    ed->drawn = true;
    wmove(w, ed->cur_y, ed->cur_x);
}
