/* The modal form: a column of fields in a box over the content. Values are
 * kept exactly as typed or set; only what is drawn is sanitized. */
#include "ui/form.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/mem.h"
#include "core/text.h"
#include "ui/draw.h"
#include "ui/keymap.h"

#define TA_LINES 4    /* text area lines previewed when there is room */
#define VALUE_MIN 24  /* value columns needed for labels to sit beside values */
#define VALUE_WANT 48 /* value columns the box grows to when it can */
#define VALUE_MAX 96  /* ... and, for long values, at most */
#define ERR_ROWS 3    /* error lines at most */

typedef struct field {
    form_kind kind;
    char *label, *hint, *suffix;
    char *value; /* text, secret, text area or note */
    size_t cur;  /* cursor: byte offset in value, on a character boundary */
    int scroll;  /* first column shown while focused */
    char **opt;
    size_t nopt, sel;
    bool on, hidden;
    int y0, y1, vy, vx; /* rows and value cell at the last draw; y0 < 0: not shown */
} field;

struct form {
    char *title, *error;
    char *action; /* the legend's word for Enter ("save", "send", "run") */
    field *fields;
    int n, cap, focus, top;
    unsigned long changes;
    int ix, iw;  /* the box's inner columns at the last draw */
    ui_theme th; /* of the last draw: glyph widths for clicks */
};

/* --- UTF-8 --------------------------------------------------------------- */

/* Bytes of the character at s: a valid UTF-8 sequence as a whole, anything
 * else byte by byte, as text_sanitize splits it. */
static size_t clen(const char *s) {
    const unsigned char *p = (const unsigned char *)s;
    size_t n = p[0] < 0x80             ? 1
               : (p[0] & 0xE0) == 0xC0 ? 2
               : (p[0] & 0xF0) == 0xE0 ? 3
               : (p[0] & 0xF8) == 0xF0 ? 4
                                       : 1;
    if (n == 1) return 1;
    unsigned cp = p[0] & (0x7Fu >> n);
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) return 1;
        cp = cp << 6 | (p[i] & 0x3F);
    }
    static const unsigned min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 1;
    return n;
}

static size_t prev_at(const char *s, size_t at) {
    size_t i = 0, last = 0;
    while (i < at) {
        last = i;
        i += clen(s + i);
    }
    return last;
}

/* A character that may go into a value: no C0, DEL, C1 or surrogate. */
static bool typable(int ch) {
    return ch >= 0x20 && ch != 0x7F && !(ch >= 0x80 && ch < 0xA0) &&
           !(ch >= 0xD800 && ch <= 0xDFFF) && ch <= 0x10FFFF;
}

static size_t utf8_put(unsigned cp, char *out) {
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* --- fields ---------------------------------------------------------------- */

static field *get(const form *f, int i) { return f && i >= 0 && i < f->n ? &f->fields[i] : NULL; }

static bool focusable(const field *fl) { return !fl->hidden && fl->kind != FORM_NOTE; }

static bool is_input(const field *fl) { return fl->kind == FORM_TEXT || fl->kind == FORM_SECRET; }

form *form_new(const char *title) {
    form *f = xcalloc(1, sizeof *f);
    f->title = xstrdup(title ? title : "");
    f->focus = -1;
    return f;
}

static void free_options(field *fl) {
    for (size_t i = 0; i < fl->nopt; i++)
        free(fl->opt[i]);
    free(fl->opt);
    fl->opt = NULL;
    fl->nopt = fl->sel = 0;
}

void form_free(form *f) {
    if (!f) return;
    for (int i = 0; i < f->n; i++) {
        field *fl = &f->fields[i];
        free(fl->label);
        free(fl->hint);
        free(fl->suffix);
        free(fl->value);
        free_options(fl);
    }
    free(f->fields);
    free(f->title);
    free(f->error);
    free(f->action);
    free(f);
}

void form_set_action(form *f, const char *verb) {
    free(f->action);
    f->action = verb ? xstrdup(verb) : NULL;
}

static field *add(form *f, form_kind kind, const char *label, const char *value) {
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 8;
        f->fields = xrealloc(f->fields, (size_t)f->cap * sizeof *f->fields);
    }
    field *fl = &f->fields[f->n];
    memset(fl, 0, sizeof *fl);
    fl->kind = kind;
    fl->label = xstrdup(label ? label : "");
    fl->value = xstrdup(value ? value : "");
    fl->cur = strlen(fl->value);
    fl->y0 = -1;
    if (f->focus < 0 && kind != FORM_NOTE) f->focus = f->n;
    f->n++;
    return fl;
}

int form_text(form *f, const char *label, const char *value, const char *hint) {
    add(f, FORM_TEXT, label, value)->hint = hint ? xstrdup(hint) : NULL;
    return f->n - 1;
}

int form_secret(form *f, const char *label, const char *value, const char *hint) {
    add(f, FORM_SECRET, label, value)->hint = hint ? xstrdup(hint) : NULL;
    return f->n - 1;
}

static void copy_options(field *fl, const char *const *options, size_t n) {
    fl->opt = xcalloc(n ? n : 1, sizeof *fl->opt);
    for (size_t i = 0; i < n; i++)
        fl->opt[i] = xstrdup(options[i] ? options[i] : "");
    fl->nopt = n;
    fl->sel = 0;
}

int form_choice(form *f, const char *label, const char *const *options, size_t n, size_t selected) {
    field *fl = add(f, FORM_CHOICE, label, NULL);
    copy_options(fl, options, n);
    fl->sel = selected < n ? selected : 0;
    return f->n - 1;
}

int form_check(form *f, const char *label, bool on) {
    add(f, FORM_CHECK, label, NULL)->on = on;
    return f->n - 1;
}

int form_textarea(form *f, const char *label, const char *value, const char *suffix) {
    add(f, FORM_TEXTAREA, label, value)->suffix = xstrdup(suffix ? suffix : ".txt");
    return f->n - 1;
}

int form_note(form *f, const char *text) {
    add(f, FORM_NOTE, NULL, text);
    return f->n - 1;
}

const char *form_value(const form *f, int i) {
    const field *fl = get(f, i);
    if (!fl) return "";
    if (fl->kind == FORM_CHOICE) return fl->nopt ? fl->opt[fl->sel] : "";
    if (fl->kind == FORM_CHECK) return fl->on ? "true" : "false";
    return fl->value;
}

size_t form_selected(const form *f, int i) {
    const field *fl = get(f, i);
    return fl && fl->kind == FORM_CHOICE ? fl->sel : 0;
}

bool form_checked(const form *f, int i) {
    const field *fl = get(f, i);
    return fl && fl->kind == FORM_CHECK && fl->on;
}

void form_set_value(form *f, int i, const char *value) {
    field *fl = get(f, i);
    if (!fl) return;
    if (!value) value = "";
    if (strcmp(form_value(f, i), value) == 0) return;
    if (fl->kind == FORM_CHOICE) {
        for (size_t k = 0; k < fl->nopt; k++)
            if (strcmp(fl->opt[k], value) == 0) {
                fl->sel = k;
                f->changes++;
                break;
            }
        return;
    }
    if (fl->kind == FORM_CHECK) {
        fl->on = strcmp(value, "true") == 0;
    } else {
        free(fl->value);
        fl->value = xstrdup(value);
        fl->cur = strlen(value);
        fl->scroll = 0;
    }
    f->changes++;
}

void form_set_options(form *f, int i, const char *const *options, size_t n) {
    field *fl = get(f, i);
    if (!fl || fl->kind != FORM_CHOICE) return;
    char *was = xstrdup(form_value(f, i));
    free_options(fl);
    copy_options(fl, options, n);
    for (size_t k = 0; k < n; k++)
        if (strcmp(fl->opt[k], was) == 0) {
            fl->sel = k;
            break;
        }
    if (strcmp(was, form_value(f, i)) != 0) f->changes++;
    free(was);
}

void form_set_error(form *f, const char *msg) {
    free(f->error);
    f->error = msg && *msg ? xstrdup(msg) : NULL;
}

/* Move the focus dir steps' worth to the next focusable field, wrapping;
 * -1 when there is none. */
static void step_focus(form *f, int dir) {
    if (!f->n) return;
    int start = f->focus >= 0 ? f->focus : dir > 0 ? f->n - 1 : 0;
    for (int k = 1; k <= f->n; k++) {
        int i = ((start + dir * k) % f->n + f->n) % f->n;
        if (focusable(&f->fields[i])) {
            f->focus = i;
            return;
        }
    }
    f->focus = -1;
}

void form_set_hidden(form *f, int i, bool hidden) {
    field *fl = get(f, i);
    if (!fl) return;
    fl->hidden = hidden;
    if (hidden && f->focus == i) step_focus(f, 1);
    if (!hidden && f->focus < 0 && focusable(fl)) f->focus = i;
}

unsigned long form_changes(const form *f) { return f->changes; }
int form_focus(const form *f) { return f->focus; }

void form_set_focus(form *f, int i) {
    field *fl = get(f, i);
    if (fl && focusable(fl)) f->focus = i;
}

const char *form_suffix(const form *f, int i) {
    const field *fl = get(f, i);
    return fl && fl->suffix ? fl->suffix : ".txt";
}

const char *form_title(const form *f) { return f->title; }

/* --- keys ------------------------------------------------------------------ */

/* Replace value[at, at + del) with ins[0, n); the cursor goes after it. */
static void splice(form *f, field *fl, size_t at, size_t del, const char *ins, size_t n) {
    fl->cur = at + n;
    if (!del && !n) return;
    size_t len = strlen(fl->value);
    char *v = xmalloc(len - del + n + 1);
    memcpy(v, fl->value, at);
    memcpy(v + at, ins, n);
    memcpy(v + at + n, fl->value + at + del, len - at - del + 1);
    free(fl->value);
    fl->value = v;
    f->changes++;
}

static void edit_key(form *f, field *fl, int ch) {
    const char *v = fl->value;
    size_t c = fl->cur, len = strlen(v);
    switch (ch) {
    case KEY_LEFT: fl->cur = prev_at(v, c); break;
    case KEY_RIGHT: fl->cur = c < len ? c + clen(v + c) : c; break;
    case KEY_HOME: fl->cur = 0; break;
    case KEY_END: fl->cur = len; break;
    case KEY_BACKSPACE: splice(f, fl, prev_at(v, c), c - prev_at(v, c), "", 0); break;
    case KEY_DC:
        if (c < len) splice(f, fl, c, clen(v + c), "", 0);
        break;
    default: break;
    }
}

static void edit_char(form *f, field *fl, int ch) {
    const char *v = fl->value;
    size_t c = fl->cur, len = strlen(v), s = c;
    switch (ch) {
    case UI_CTRL('a'): edit_key(f, fl, KEY_HOME); return;
    case UI_CTRL('e'): edit_key(f, fl, KEY_END); return;
    case UI_CTRL('h'):
    case 0x7F: edit_key(f, fl, KEY_BACKSPACE); return;
    case UI_CTRL('u'): splice(f, fl, 0, c, "", 0); return;
    case UI_CTRL('k'): splice(f, fl, c, len - c, "", 0); return;
    case UI_CTRL('w'): /* the word before the cursor and the spaces after it */
        while (s && v[s - 1] == ' ')
            s--;
        while (s && v[s - 1] != ' ')
            s--;
        splice(f, fl, s, c - s, "", 0);
        return;
    default: break;
    }
    if (!typable(ch)) return;
    char b[4];
    splice(f, fl, c, 0, b, utf8_put((unsigned)ch, b));
}

static void cycle(form *f, field *fl, int dir) {
    if (fl->nopt < 2) return;
    fl->sel = (dir > 0 ? fl->sel + 1 : fl->sel + fl->nopt - 1) % fl->nopt;
    f->changes++;
}

static void toggle(form *f, field *fl) {
    fl->on = !fl->on;
    f->changes++;
}

static form_result enter(const form *f) {
    const field *fl = get(f, f->focus);
    return fl && fl->kind == FORM_TEXTAREA ? FORM_EDIT : FORM_SUBMIT;
}

form_result form_key(form *f, int ch, bool is_key) {
    field *fl = get(f, f->focus);
    if (is_key) {
        if (ch == KEY_ENTER) return enter(f);
        if (ch == KEY_BTAB || ch == KEY_UP)
            step_focus(f, -1);
        else if (ch == KEY_DOWN)
            step_focus(f, 1);
        else if (fl && is_input(fl))
            edit_key(f, fl, ch);
        else if (fl && fl->kind == FORM_CHOICE && (ch == KEY_LEFT || ch == KEY_RIGHT))
            cycle(f, fl, ch == KEY_LEFT ? -1 : 1);
        return FORM_GOING;
    }
    switch (ch) {
    case UI_ESC: return FORM_CANCEL;
    case '\r':
    case '\n': return enter(f);
    case '\t':
    case UI_CTRL('n'): step_focus(f, 1); return FORM_GOING;
    case UI_CTRL('p'): step_focus(f, -1); return FORM_GOING;
    default: break;
    }
    if (!fl) return FORM_GOING;
    if (is_input(fl))
        edit_char(f, fl, ch);
    else if (ch == ' ' && fl->kind == FORM_CHOICE)
        cycle(f, fl, 1);
    else if (ch == ' ' && fl->kind == FORM_CHECK)
        toggle(f, fl);
    return FORM_GOING;
}

/* --- measuring ------------------------------------------------------------- */

static int char_cols(const ui_theme *th, const char *p, size_t n) {
    char one[8];
    memcpy(one, p, n);
    one[n] = '\0';
    return draw_width(th, one);
}

/* Bytes of (sanitized) s that fit in maxw columns, whole characters only. */
static size_t fit(const ui_theme *th, const char *s, int maxw) {
    size_t i = 0;
    for (int cols = 0; s[i];) {
        size_t n = clen(s + i);
        cols += char_cols(th, s + i, n);
        if (cols > maxw) break;
        i += n;
    }
    return i;
}

/* Byte offset of the first character of s at or after column col; *gap is
 * what is left of a wide character cut in two there. */
static size_t skip_cols(const ui_theme *th, const char *s, int col, int *gap) {
    size_t i = 0;
    int c = 0;
    while (s[i] && c < col) {
        size_t n = clen(s + i);
        c += char_cols(th, s + i, n);
        i += n;
    }
    *gap = c > col ? c - col : 0;
    return i;
}

/* The columns of value[i, i + n) as a text field shows it. */
static int value_cols(const ui_theme *th, const field *fl, size_t i, size_t n) {
    if (fl->kind == FORM_SECRET) return char_cols(th, th->mask, clen(th->mask));
    char *raw = xstrndup(fl->value + i, n), *s = text_sanitize(raw);
    int w = draw_width(th, s);
    free(raw);
    free(s);
    return w;
}

/* What a text field shows of value[0, n): the text sanitized, or one mask
 * character per character of a secret. */
static char *shown(const field *fl, const ui_theme *th, size_t n) {
    if (fl->kind != FORM_SECRET) {
        char *raw = xstrndup(fl->value, n), *s = text_sanitize(raw);
        free(raw);
        return s;
    }
    buf b = BUF_INIT;
    for (size_t i = 0; i < n; i += clen(fl->value + i))
        buf_add(&b, th->mask, clen(th->mask));
    return buf_steal(&b);
}

/* One line of multi-line text ready to draw: tabs as spaces, no CR at the
 * end, sanitized. */
static char *line_text(const char *p, size_t n) {
    if (n && p[n - 1] == '\r') n--;
    buf b = BUF_INIT;
    for (size_t i = 0; i < n; i++)
        if (p[i] == '\t')
            buf_puts(&b, "    "); /* '?' would read as a typo in code */
        else
            buf_putc(&b, p[i]);
    char *raw = buf_steal(&b), *s = text_sanitize(raw);
    free(raw);
    return s;
}

static int count_lines(const char *v) {
    if (!*v) return 0;
    int n = 1;
    for (const char *p = v; *p; p++)
        if (*p == '\n' && p[1]) n++;
    return n;
}

/* Word-wrap raw (lines split at '\n') to width columns in at most maxrows
 * rows, the last cut one ending in an ellipsis; draws from (y, x) when w is
 * given. Returns the rows. */
static int wrap(WINDOW *w, const ui_theme *th, const char *raw, int y, int x, int width,
                int maxrows) {
    int rows = 0;
    for (const char *p = raw; rows < maxrows;) {
        const char *nl = strchr(p, '\n');
        char *line = line_text(p, nl ? (size_t)(nl - p) : strlen(p));
        const char *s = line;
        do {
            size_t take = strlen(s);
            if (draw_width(th, s) > width && rows + 1 < maxrows) {
                take = fit(th, s, width);
                size_t sp = take;
                while (sp && s[sp] != ' ')
                    sp--;
                if (sp) take = sp;
                if (!take) take = clen(s); /* not even one character fits */
            }
            char *part = xstrndup(s, take);
            if (w) draw_text(w, th, y + rows, x, part, width);
            free(part);
            rows++;
            s += take;
            while (*s == ' ')
                s++;
        } while (*s && rows < maxrows);
        free(line);
        if (!nl || !nl[1]) break;
        p = nl + 1;
    }
    return rows;
}

/* --- layout ---------------------------------------------------------------- */

typedef struct layout {
    int bx, by, bw, bh;
    int ix, iw;  /* inside the border and a column of padding */
    bool side;   /* labels beside values, else over them */
    int labw;    /* label columns: beside the value, or the whole row */
    int vx, vw;  /* the value column */
    int pad;     /* blank rows above and below the fields */
    int tarows;  /* text area lines previewed */
    int errrows; /* rows of the error */
    int avail;   /* rows for the fields */
} layout;

static int sanitized_width(const ui_theme *th, const char *raw) {
    char *s = text_sanitize(raw);
    int w = draw_width(th, s);
    free(s);
    return w;
}

static char *legend(const form *f, const ui_theme *th) {
    const field *fl = get(f, f->focus);
    bool edit = fl && fl->kind == FORM_TEXTAREA;
    return xasprintf("Enter %s%sEsc cancel%sTab next", edit ? "edit" : f->action ? f->action : "save",
                     th->dot, th->dot);
}

static int field_rows(const field *fl, const ui_theme *th, const layout *L) {
    if (fl->kind == FORM_NOTE) return wrap(NULL, th, fl->value, 0, 0, L->iw, INT_MAX);
    int r = L->side ? 1 : 2;
    if (fl->kind == FORM_TEXTAREA) {
        int lines = count_lines(fl->value), preview = lines < L->tarows ? lines : L->tarows;
        r += preview ? preview : 1; /* more preview rows (or "(empty)"), then "Enter to edit" */
    }
    return r + (fl->hint ? 1 : 0);
}

/* Rows of the shown fields among [from, to]. */
static int rows_of(const form *f, const ui_theme *th, const layout *L, int from, int to) {
    int r = 0;
    for (int i = from; i <= to && i < f->n; i++)
        if (!f->fields[i].hidden) r += field_rows(&f->fields[i], th, L);
    return r;
}

static void plan(const form *f, const ui_theme *th, int h, int width, layout *L) {
    memset(L, 0, sizeof *L);
    int labw = 0;
    for (int i = 0; i < f->n; i++) {
        const field *fl = &f->fields[i];
        int lw = sanitized_width(th, fl->label);
        if (!fl->hidden && fl->kind != FORM_NOTE && lw > labw) labw = lw;
    }
    /* Values grow the box when the screen has room, so that a long value
     * (a role ARN, a URL) shows whole on wide terminals. */
    int valw = VALUE_WANT;
    for (int i = 0; i < f->n; i++) {
        const field *fl = &f->fields[i];
        if (fl->hidden || (fl->kind != FORM_TEXT && fl->kind != FORM_SECRET)) continue;
        int vw = sanitized_width(th, fl->value);
        if (vw + 2 > valw) valw = vw + 2 < VALUE_MAX ? vw + 2 : VALUE_MAX;
    }
    char *leg = legend(f, th);
    int want = labw + 2 + valw, legw = draw_width(th, leg),
        titlew = sanitized_width(th, f->title) + 4;
    free(leg);
    if (legw > want) want = legw;
    if (titlew > want) want = titlew;
    L->iw = want < width - 4 ? want : width - 4;
    L->side = L->iw - labw - 2 >= VALUE_MIN;
    L->labw = L->side ? labw : L->iw;
    L->bw = L->iw + 4;
    L->bx = (width - L->bw) / 2;
    L->ix = L->bx + 2;
    L->vx = L->side ? L->ix + labw + 2 : L->ix;
    L->vw = L->side ? L->iw - labw - 2 : L->iw;

    L->errrows = f->error ? wrap(NULL, th, f->error, 0, 0, L->iw, ERR_ROWS) : 0;
    if (L->errrows > h - 4) L->errrows = h > 4 ? h - 4 : 0; /* the frame and legend first */
    int fixed = 3 + L->errrows; /* the borders, the legend and the error */
    L->pad = 1;
    L->tarows = TA_LINES;
    int need = fixed + 2 + rows_of(f, th, L, 0, f->n - 1);
    if (need > h) {
        L->pad = 0;
        need -= 2;
    }
    while (need > h && L->tarows > 1) { /* shorter previews before scrolling */
        L->tarows /= 2;
        need = fixed + rows_of(f, th, L, 0, f->n - 1);
    }
    L->bh = need < h ? need : h;
    L->by = (h - L->bh) / 2;
    L->avail = L->bh - fixed - 2 * L->pad;
}

/* Keep the focused field in view, scrolling no more than needed. */
static void scroll_fields(form *f, const ui_theme *th, const layout *L) {
    if (f->top < 0 || f->top >= f->n || rows_of(f, th, L, 0, f->n - 1) <= L->avail) f->top = 0;
    if (f->focus < 0) return;
    if (f->focus < f->top) f->top = f->focus;
    while (f->top < f->focus && rows_of(f, th, L, f->top, f->focus) > L->avail)
        f->top++;
    while (f->top > 0 && rows_of(f, th, L, f->top - 1, f->n - 1) <= L->avail)
        f->top--;
}

/* --- drawing --------------------------------------------------------------- */

static int put(WINDOW *w, const ui_theme *th, int y, int x, const char *raw, int maxw, attr_t a) {
    char *s = text_sanitize(raw);
    wattrset(w, a);
    int used = draw_text(w, th, y, x, s, maxw);
    free(s);
    return used;
}

static void frame(WINDOW *w, const ui_theme *th, const layout *L, const char *title) {
    int top = L->by, bot = L->by + L->bh - 1, left = L->bx, right = L->bx + L->bw - 1;
    wattrset(w, A_NORMAL);
    for (int y = top + 1; y < bot; y++)
        draw_blank(w, y, left + 1, L->bw - 2);
    wattrset(w, th->attr[UI_R_BORDER]);
    for (int x = left + 1; x < right; x++) {
        mvwaddstr(w, top, x, th->hline);
        mvwaddstr(w, bot, x, th->hline);
    }
    for (int y = top + 1; y < bot; y++) {
        mvwaddstr(w, y, left, th->vline);
        mvwaddstr(w, y, right, th->vline);
    }
    mvwaddstr(w, top, left, th->tl);
    mvwaddstr(w, top, right, th->tr);
    mvwaddstr(w, bot, left, th->bl);
    mvwaddstr(w, bot, right, th->br);
    char *t = text_sanitize(title), *shown_title = xasprintf(" %s ", t);
    wattrset(w, th->attr[UI_R_HEADING]);
    draw_text(w, th, top, left + 2, shown_title, L->bw - 4);
    free(t);
    free(shown_title);
}

/* A text or secret field; the focused one scrolls to keep the cursor in
 * view and reports where the cursor goes. */
static void draw_input(field *fl, bool focused, WINDOW *w, const ui_theme *th, int y, int x, int wd,
                       int *cy, int *cx) {
    char *all = shown(fl, th, strlen(fl->value));
    wattrset(w, focused ? th->attr[UI_R_SEL] : A_UNDERLINE);
    if (!focused || wd < 1) {
        draw_field(w, th, y, x, all, wd);
        free(all);
        return;
    }
    char *pre = shown(fl, th, fl->cur);
    int cc = draw_width(th, pre), total = draw_width(th, all), lo = total - wd + 1;
    free(pre);
    if (cc < fl->scroll) fl->scroll = cc;
    if (cc > fl->scroll + wd - 1) fl->scroll = cc - wd + 1;
    if (fl->scroll > (lo > 0 ? lo : 0)) fl->scroll = lo > 0 ? lo : 0; /* no blank tail */
    int gap;
    size_t off = skip_cols(th, all, fl->scroll, &gap);
    char *vis = xstrndup(all + off, fit(th, all + off, wd - gap));
    draw_blank(w, y, x, gap);
    draw_field(w, th, y, x + gap, vis, wd - gap);
    free(vis);
    free(all);
    *cy = y;
    *cx = x + cc - fl->scroll;
}

static void draw_choice(const field *fl, bool focused, WINDOW *w, const ui_theme *th, int y, int x,
                        int wd) {
    attr_t a = focused ? th->attr[UI_R_SEL] : A_NORMAL;
    x += put(w, th, y, x, "< ", wd, a);
    x += put(w, th, y, x, fl->nopt ? fl->opt[fl->sel] : th->dash, wd - 4, a);
    put(w, th, y, x, " >", 2, a);
}

/* A text area's first lines, then what is left and how to edit it.
 * Returns the row after it. */
static int draw_textarea(const field *fl, bool focused, WINDOW *w, const ui_theme *th,
                         const layout *L, int y, int ymax) {
    int total = count_lines(fl->value), show = total < L->tarows ? total : L->tarows;
    const char *p = fl->value;
    if (!total && y < ymax) put(w, th, y++, L->vx, "(empty)", L->vw, th->attr[UI_R_DIM]);
    for (int k = 0; k < show && y < ymax; k++) {
        const char *nl = strchr(p, '\n');
        char *line = line_text(p, nl ? (size_t)(nl - p) : strlen(p));
        wattrset(w, A_NORMAL);
        draw_text(w, th, y++, L->vx, line, L->vw);
        free(line);
        p = nl ? nl + 1 : p + strlen(p);
    }
    if (y >= ymax) return y;
    char *more = total > show ? xasprintf("%s %d more line%s%sEnter to edit", th->ellipsis,
                                          total - show, total - show == 1 ? "" : "s", th->dot)
                              : xstrdup("Enter to edit");
    put(w, th, y++, L->vx, more, L->vw, th->attr[focused ? UI_R_ACCENT : UI_R_DIM]);
    free(more);
    return y;
}

static void draw_one(form *f, int i, WINDOW *w, const ui_theme *th, const layout *L, int y,
                     int ymax, int *cy, int *cx) {
    field *fl = &f->fields[i];
    bool focused = i == f->focus;
    int rows = field_rows(fl, th, L);
    fl->y0 = y;
    fl->y1 = y + rows < ymax ? y + rows : ymax;
    if (fl->kind == FORM_NOTE) {
        wattrset(w, A_NORMAL);
        wrap(w, th, fl->value, y, L->ix, L->iw, ymax - y);
        return;
    }
    char *label = text_sanitize(fl->label);
    wattrset(w, focused ? th->attr[UI_R_ACCENT] : A_NORMAL);
    draw_field(w, th, y, L->ix, label, L->labw);
    free(label);
    fl->vy = L->side ? y : y + 1;
    fl->vx = L->vx;
    int next = fl->vy + 1;
    if (fl->vy >= ymax) return;
    switch (fl->kind) {
    case FORM_TEXT:
    case FORM_SECRET: draw_input(fl, focused, w, th, fl->vy, L->vx, L->vw, cy, cx); break;
    case FORM_CHOICE: draw_choice(fl, focused, w, th, fl->vy, L->vx, L->vw); break;
    case FORM_CHECK:
        put(w, th, fl->vy, L->vx, fl->on ? "[x]" : "[ ]", L->vw,
            focused ? th->attr[UI_R_SEL] : A_NORMAL);
        break;
    default: next = draw_textarea(fl, focused, w, th, L, fl->vy, ymax); break;
    }
    if (focused && !is_input(fl)) { /* a visible cursor rests on the value */
        *cy = fl->vy;
        *cx = L->vx + (fl->kind == FORM_CHECK ? 1 : fl->kind == FORM_CHOICE ? 2 : 0);
    }
    if (fl->hint && next < ymax) put(w, th, next, L->vx, fl->hint, L->vw, th->attr[UI_R_DIM]);
}

void form_draw(form *f, WINDOW *w, const ui_theme *th, int h, int width) {
    f->th = *th;
    f->iw = 0;
    for (int i = 0; i < f->n; i++)
        f->fields[i].y0 = -1;
    if (h < 4 || width < 12) return;
    layout L;
    plan(f, th, h, width, &L);
    scroll_fields(f, th, &L);
    f->ix = L.ix;
    f->iw = L.iw;
    frame(w, th, &L, f->title);
    int y0 = L.by + 1 + L.pad, y = y0, ymax = y + L.avail, cy = -1, cx = -1, i;
    for (i = f->top; i < f->n && y < ymax; i++) {
        if (f->fields[i].hidden) continue;
        int rows = field_rows(&f->fields[i], th, &L);
        if (y + rows > ymax && y > y0) break; /* whole fields, but one at least */
        draw_one(f, i, w, th, &L, y, ymax, &cy, &cx);
        y += rows;
    }
    /* Marks on the right border when fields are out of view. */
    wattrset(w, th->attr[UI_R_BORDER]);
    if (rows_of(f, th, &L, 0, f->top - 1) > 0 && L.avail > 0)
        mvwaddstr(w, y0, L.bx + L.bw - 1, th->utf8 ? "▲" : "^");
    if (rows_of(f, th, &L, i, f->n - 1) > 0 && L.avail > 1)
        mvwaddstr(w, ymax - 1, L.bx + L.bw - 1, th->utf8 ? "▼" : "v");
    int bottom = L.by + L.bh - 2;
    if (f->error) {
        wattrset(w, th->attr[UI_R_ERROR]);
        wrap(w, th, f->error, bottom - L.errrows, L.ix, L.iw, L.errrows);
    }
    char *leg = legend(f, th);
    put(w, th, bottom, L.ix, leg, L.iw, th->attr[UI_R_DIM]);
    free(leg);
    wattrset(w, A_NORMAL);
    if (cy >= 0) wmove(w, cy, cx);
}

/* --- mouse ----------------------------------------------------------------- */

/* Put the cursor of a text field at the character drawn at column col. */
static void place_cursor(field *fl, const ui_theme *th, int col) {
    size_t i = 0;
    for (int c = 0; fl->value[i];) {
        size_t n = clen(fl->value + i);
        c += value_cols(th, fl, i, n);
        if (c > col) break;
        i += n;
    }
    fl->cur = i;
}

form_result form_click(form *f, int y, int x) {
    if (x < f->ix || x >= f->ix + f->iw) return FORM_GOING;
    for (int i = 0; i < f->n; i++) {
        field *fl = &f->fields[i];
        if (fl->y0 < 0 || y < fl->y0 || y >= fl->y1) continue;
        if (!focusable(fl)) return FORM_GOING;
        bool again = f->focus == i;
        f->focus = i;
        if (fl->kind == FORM_CHECK)
            toggle(f, fl);
        else if (fl->kind == FORM_CHOICE)
            cycle(f, fl, y == fl->vy && x < fl->vx + 2 ? -1 : 1);
        else if (fl->kind == FORM_TEXTAREA && again)
            return FORM_EDIT;
        else if (is_input(fl) && y == fl->vy && x >= fl->vx)
            place_cursor(fl, &f->th, x - fl->vx + (again ? fl->scroll : 0));
        return FORM_GOING;
    }
    return FORM_GOING;
}
