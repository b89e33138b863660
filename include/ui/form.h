#ifndef UI_FORM_H
#define UI_FORM_H
/* A modal form: the console's dialogs for creating and editing things
 * (create resource, create method, stage variables, confirm a delete by
 * typing a name). A form is a column of fields drawn in a box over the
 * content; the app owns the open form and feeds it keys. The widget knows
 * nothing of AWS: callers read the values back and act on them.
 *
 * Keys: Tab / Down / ^N next field, Shift-Tab / Up / ^P previous; in a text
 * field printable characters insert at the cursor, Left/Right/Home/End/^A/^E
 * move, Backspace/Delete/^U/^K/^W edit; Space or Left/Right change a choice
 * and Space toggles a check box; Enter on a text area asks for an editor
 * (FORM_EDIT), elsewhere submits; Esc cancels. Values are UTF-8; what is
 * drawn goes through text_sanitize. */
#include <stdbool.h>
#include <stddef.h>

#include <curses.h>

#include "ui/theme.h"

typedef enum form_kind {
    FORM_TEXT,     /* one line of text */
    FORM_SECRET,   /* one line drawn masked (API key values) */
    FORM_CHOICE,   /* one of a fixed list */
    FORM_CHECK,    /* on or off */
    FORM_TEXTAREA, /* multi-line text, edited in an editor */
    FORM_NOTE,     /* read-only text, may span lines; not focusable */
} form_kind;

typedef enum form_result {
    FORM_GOING,  /* still open */
    FORM_SUBMIT, /* Enter: the caller validates and closes or sets an error */
    FORM_CANCEL, /* Esc */
    FORM_EDIT,   /* the focused text area wants an editor (form_focus) */
} form_result;

typedef struct form form;

/* title: the box's heading ("Create resource"). */
form *form_new(const char *title);
void form_free(form *f);

/* Adders return the field's index. Strings are copied. hint: a dim line
 * under the field ("Use {name} for a path parameter"), or NULL. */
int form_text(form *f, const char *label, const char *value, const char *hint);
int form_secret(form *f, const char *label, const char *value, const char *hint);
int form_choice(form *f, const char *label, const char *const *options, size_t n, size_t selected);
int form_check(form *f, const char *label, bool on);
/* suffix: the temp file's extension for the editor (".json", ".vtl", ".py"). */
int form_textarea(form *f, const char *label, const char *value, const char *suffix);
int form_note(form *f, const char *text);

/* Values: a text/secret/textarea field's text, a choice's option text, a
 * check box's "true"/"false"; never NULL. */
const char *form_value(const form *f, int field);
size_t form_selected(const form *f, int field);
bool form_checked(const form *f, int field);
void form_set_value(form *f, int field, const char *value);
/* Replace a choice's options (e.g. aliases once a function is picked);
 * keeps the selection when the old option is among the new ones. */
void form_set_options(form *f, int field, const char *const *options, size_t n);
/* The legend's word for Enter: "save" unless set ("send", "run", "delete"). */
void form_set_action(form *f, const char *verb);
/* A message shown at the bottom of the box in the error colour (NULL
 * clears). The form stays open. */
void form_set_error(form *f, const char *msg);
/* Hide or show a field (e.g. the Lambda fields when the integration type is
 * Mock); hidden fields are skipped by focus and not drawn. */
void form_set_hidden(form *f, int field, bool hidden);
/* Bump on every change of any value, so callers can react to a choice
 * changing (show or hide fields) after form_key. */
unsigned long form_changes(const form *f);

/* The focused field, or -1 when no field can take the focus. */
int form_focus(const form *f);
void form_set_focus(form *f, int field);
const char *form_suffix(const form *f, int field);
const char *form_title(const form *f);

/* One key: ch is a character when is_key is false, a KEY_* code when true. */
form_result form_key(form *f, int ch, bool is_key);
/* A click at (y, x) of the window form_draw drew into: focuses the field
 * there (a click on a check box toggles it, on a choice cycles it: back on
 * its '<', else forward; in a text field it moves the cursor there; on the
 * text area already focused it returns FORM_EDIT). */
form_result form_click(form *f, int y, int x);
/* Draw the box centred in w (h rows, width columns), as large as the
 * fields need and w allows; with no room for every field, the focused one
 * is kept in view. Leaves the cursor on the focused text field (on another
 * focused field, at its value). Labels sit left of the values when the box
 * is wide enough, over them otherwise. */
void form_draw(form *f, WINDOW *w, const ui_theme *th, int h, int width);

#endif
