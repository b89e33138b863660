#ifndef UI_EDITOR_H
#define UI_EDITOR_H
/* Editing multi-line text (mapping templates, model schemas, function code,
 * test events): in $VISUAL or $EDITOR as git does, or in the built-in
 * editor when neither is set. */
#include <stdbool.h>

#include <curses.h>

#include "core/err.h"
#include "ui/theme.h"

/* The external editor's command: $VISUAL, else $EDITOR (non-empty), else
 * NULL (use the built-in editor). */
const char *editor_command(void);

/* Run cmd on a private temp file (mode 0600, name ending in suffix) holding
 * text, with curses suspended (def_prog_mode/endwin ... reset_prog_mode),
 * and read the file back. The command runs through /bin/sh, so "code -w"
 * works; the file name is passed as an argument, never spliced into the
 * command. Returns 0 with *out (malloc'd; the same text when nothing
 * changed) or -1 with e set (the editor failed or exited non-zero: the
 * caller keeps the old text). The temp file is removed in every case. */
int editor_run_external(const char *cmd, const char *text, const char *suffix, char **out, err *e);

/* --- the built-in editor ------------------------------------------------------
 * A full-screen modal widget driven by the app's loop: arrows, Home/End,
 * PgUp/PgDn, ^A/^E, Backspace/Delete, Enter, Tab (two spaces), ^K cut line
 * and ^U paste (cuts in a row gather), ^S or F2 save and close, Esc or ^Q
 * close (with unsaved changes the first one only warns; a second Esc or ^Q
 * discards). Other control characters are ignored. UTF-8 aware: the cursor moves by
 * characters and columns are display columns. Text is kept as lines: a
 * '\r' right before a '\n' counts as part of the line end, so CRLF text
 * comes back from editor_text with '\n' endings; a final newline (or its
 * absence) is kept. */
typedef struct editor editor;

typedef enum editor_result { EDITOR_GOING, EDITOR_SAVE, EDITOR_CANCEL } editor_result;

/* title: what is edited ("Mapping template application/json"). */
editor *editor_new(const char *title, const char *text);
void editor_free(editor *ed);
editor_result editor_key(editor *ed, int ch, bool is_key);
void editor_draw(editor *ed, WINDOW *w, const ui_theme *th, int h, int width);
/* The current text (malloc'd). */
char *editor_text(const editor *ed);
bool editor_modified(const editor *ed);
/* Where the last editor_draw put the cursor (window coordinates), for the
 * loop to place the terminal cursor after drawing everything else; false
 * before the first draw. */
bool editor_cursor(const editor *ed, int *y, int *x);

#endif
