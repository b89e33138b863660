/* The modal layers over the panes: one form at a time, and the editor for
 * a form's text area or for text on its own. An external editor
 * ($VISUAL/$EDITOR) runs synchronously with curses suspended, as git
 * does; the built-in one is a widget fed by the loop like everything else. */
#include <stdlib.h>
#include <string.h>

#include "app_priv.h"
#include "core/mem.h"
#include "core/text.h"

bool modal_active(const app *a) { return a->mf.f || a->me.ed; }

/* Callbacks run on a detached copy of the layer, so they may open a new
 * form or editor (which then takes the slot) without freeing what runs. */
static void form_drop(modal_form *mf) {
    form_free(mf->f);
    if (mf->ud_free) mf->ud_free(mf->ud);
    memset(mf, 0, sizeof *mf);
}

static void form_close(app *a) { form_drop(&a->mf); }

static void editor_drop(modal_editor *me) {
    editor_free(me->ed);
    if (me->ud_free) me->ud_free(me->ud);
    memset(me, 0, sizeof *me);
    me->field = -1;
}

static void editor_close(app *a) {
    editor_drop(&a->me);
    if (a->edw) {
        delwin(a->edw);
        a->edw = NULL;
    }
}

void modal_close_all(app *a) {
    if (a->me.ed) editor_close(a);
    if (a->mf.f) form_close(a);
}

void ui_form(ui_ctx *cx, form *f, ui_submit_fn submit, ui_change_fn change, void *ud,
             void (*ud_free)(void *)) {
    app *a = cx->host;
    if (a->mf.f) form_close(a); /* one at a time: the newest wins */
    a->mf = (modal_form){f, submit, change, ud, ud_free, form_changes(f)};
    a->dirty |= UI_DIRTY_ALL;
}

/* Text edited: into the form's field, or to whoever asked. */
static void edited(app *a, const modal_editor *me, const char *text) {
    if (me->field >= 0 && a->mf.f) {
        form_set_value(a->mf.f, me->field, text);
    } else if (me->done) {
        me->done(&a->cx, text, me->ud);
    }
}

/* Start editing: the external editor at once, or the built-in widget. */
static void edit_start(app *a, const char *title, const char *text, const char *suffix) {
    const char *cmd = editor_command();
    if (cmd) {
        char *out = NULL;
        err e;
        int rc = editor_run_external(cmd, text, suffix, &out, &e);
        clearok(curscr, TRUE);
        a->dirty |= UI_DIRTY_ALL;
        modal_editor me = a->me;
        a->me = (modal_editor){.field = -1};
        if (rc == 0) {
            edited(a, &me, out);
            free(out);
        } else {
            snprintf(a->cx.msg, sizeof a->cx.msg, "%.250s", e.msg);
            a->cx.msg_error = true;
        }
        editor_drop(&me);
        return;
    }
    a->me.ed = editor_new(title, text);
    a->dirty |= UI_DIRTY_ALL;
}

void ui_edit(ui_ctx *cx, const char *title, const char *text, const char *suffix,
             ui_edited_fn done, void *ud, void (*ud_free)(void *)) {
    app *a = cx->host;
    if (a->me.ed) editor_close(a);
    a->me = (modal_editor){.field = -1, .done = done, .ud = ud, .ud_free = ud_free};
    edit_start(a, title, text ? text : "", suffix ? suffix : ".txt");
}

static void form_edit_field(app *a) {
    form *f = a->mf.f;
    int field = form_focus(f);
    a->me = (modal_editor){.field = field};
    edit_start(a, form_title(f), form_value(f, field), form_suffix(f, field));
}

/* --- confirmation -------------------------------------------------------------- */

typedef struct confirm {
    char *name;
    ui_yes_fn yes;
    void *ud;
    void (*ud_free)(void *);
    int field; /* the typed name, or -1 */
} confirm;

static void confirm_free(void *p) {
    confirm *c = p;
    if (c->ud_free) c->ud_free(c->ud);
    free(c->name);
    free(c);
}

static bool confirm_submit(ui_ctx *cx, form *f, void *ud) {
    confirm *c = ud;
    if (c->field >= 0 && strcmp(form_value(f, c->field), c->name) != 0) {
        char *shown = text_sanitize(c->name);
        char *m = xasprintf("Type %s exactly to confirm", shown);
        form_set_error(f, m);
        free(m);
        free(shown);
        return false;
    }
    c->yes(cx, c->ud);
    return true;
}

void ui_confirm(ui_ctx *cx, const char *title, const char *text, const char *type_name,
                ui_yes_fn yes, void *ud, void (*ud_free)(void *)) {
    confirm *c = xcalloc(1, sizeof *c);
    c->yes = yes;
    c->ud = ud;
    c->ud_free = ud_free;
    c->field = -1;
    form *f = form_new(title);
    form_note(f, text);
    if (type_name) {
        c->name = xstrdup(type_name);
        char *shown = text_sanitize(type_name);
        char *label = xasprintf("Type %s to confirm", shown);
        c->field = form_text(f, label, "", NULL);
        free(label);
        free(shown);
    } else {
        form_note(f, "Enter confirms; Esc keeps everything as it is.");
    }
    ui_form(cx, f, confirm_submit, NULL, c, confirm_free);
}

/* --- keys and drawing ------------------------------------------------------------ */

static unsigned editor_key_in(app *a, int ch, bool is_key) {
    switch (editor_key(a->me.ed, ch, is_key)) {
    case EDITOR_SAVE: {
        char *text = editor_text(a->me.ed);
        modal_editor me = a->me;
        a->me = (modal_editor){.field = -1};
        if (a->edw) {
            delwin(a->edw);
            a->edw = NULL;
        }
        edited(a, &me, text);
        free(text);
        editor_drop(&me);
        return UI_DIRTY_ALL;
    }
    case EDITOR_CANCEL: editor_close(a); return UI_DIRTY_ALL;
    case EDITOR_GOING: break;
    }
    return UI_DIRTY_CONTENT;
}

static void form_changed(app *a) {
    modal_form *mf = &a->mf;
    unsigned long now = form_changes(mf->f);
    if (now == mf->seen) return;
    mf->seen = now;
    if (mf->change) mf->change(&a->cx, mf->f, mf->ud);
}

static unsigned form_result_in(app *a, form_result r) {
    switch (r) {
    case FORM_SUBMIT: {
        modal_form cur = a->mf;
        memset(&a->mf, 0, sizeof a->mf);
        bool close = cur.submit(&a->cx, cur.f, cur.ud);
        if (close || a->mf.f) /* done, or a new form took over */
            form_drop(&cur);
        else
            a->mf = cur;
        return UI_DIRTY_ALL;
    }
    case FORM_CANCEL: form_close(a); return UI_DIRTY_ALL;
    case FORM_EDIT: form_edit_field(a); return UI_DIRTY_ALL;
    case FORM_GOING: form_changed(a); break;
    }
    return UI_DIRTY_CONTENT;
}

unsigned modal_key(app *a, int ch, bool is_key) {
    if (a->me.ed) return editor_key_in(a, ch, is_key);
    return form_result_in(a, form_key(a->mf.f, ch, is_key));
}

unsigned modal_click(app *a, int y, int x) {
    if (a->me.ed || !a->mf.f) return 0;
    return form_result_in(a, form_click(a->mf.f, y, x));
}

/* After the panes: the form over the content, or the editor over the
 * menu and the content. Returns with the cursor where typing goes. */
void modal_draw(app *a) {
    if (a->me.ed) {
        if (!a->edw) a->edw = newwin(a->rows - 2, a->cols, 1, 0);
        if (!a->edw) return;
        werase(a->edw);
        editor_draw(a->me.ed, a->edw, &a->th, a->rows - 2, a->cols);
        int cy, cx;
        bool at = editor_cursor(a->me.ed, &cy, &cx);
        if (at) wmove(a->edw, cy, cx);
        wnoutrefresh(a->edw);
        curs_set(at ? 1 : 0);
    } else if (a->mf.f) {
        form_draw(a->mf.f, a->content, &a->th, a->rows - 2, a->content_cols);
        wnoutrefresh(a->content);
        curs_set(1);
    } else {
        curs_set(0);
    }
}
