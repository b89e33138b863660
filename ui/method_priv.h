#ifndef UI_METHOD_PRIV_H
#define UI_METHOD_PRIV_H
/* Private to Method Execution: the view (pane_method.c), its diagram
 * (method_diagram.c), the forms of its boxes (method_forms.c,
 * method_form_integ.c, method_form_resp.c) and its Test view
 * (pane_method_test.c). What they share lives in pane_method_util.c: finding
 * the method in the mirror, and turning the forms' text into request
 * members and back (those text pieces are unit-tested in
 * tests/unit/test_ui_integ.c). */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "client/apigw.h"
#include "ui/pane.h"

/* --- pane_method_util.c ------------------------------------------------------ */

/* The resource of id in the mirror's copy of api, or NULL. */
const cJSON *method_resource(const ui_ctx *cx, const char *api, const char *res_id);
/* The resource's method (with methodIntegration, methodResponses) or NULL. */
const cJSON *method_of(const cJSON *resource, const char *verb);

/* The views' heading: "VERB /path › what" (the path comes from the service:
 * sanitized here; NULL while not loaded). */
void method_heading(WINDOW *w, const ui_ctx *cx, int width, const char *verb, const char *path,
                    const char *what);

/* The member names of obj, sorted (pointers into obj; free the array). */
const char **method_sorted_keys(const cJSON *obj, size_t *n);
/* The index of v among opts; 0 when it is not there. */
size_t method_index_of(const char *const *opts, size_t n, const char *v);
/* s without white space around it. malloc'd. */
char *method_trim(const char *s);

/* An integration (NULL: none) in words: "Lambda proxy", "Mock"... */
const char *method_kind_word(const cJSON *integration);
/* What the integration calls: the function, the URL, or the action. malloc'd. */
char *method_backend_text(const ui_ctx *cx, const cJSON *integration);

/* "name<sep>value" lines (blank ones skipped; spaces around both trimmed)
 * → {"PREFIXname": "value"} (prefix may be NULL). NULL with msg set
 * ("Line 2: ...") when a line has no separator or no name. */
cJSON *method_parse_pairs(const char *text, char sep, const char *prefix, char *msg, size_t n);
/* The reverse: "name<sep>value" per string member, prefix taken off the
 * names that have it. sep is written as given (": ", "="). malloc'd. */
char *method_pairs_text(const cJSON *obj, const char *sep, const char *prefix);

/* Flags by name, as method request parameters and method response headers
 * are: lines "NAME", "NAME=required" or "NAME=optional" → {"PREFIXNAME":
 * true when required}. A NAME that already starts with prefix keeps it.
 * NULL with msg set for any other ending. */
cJSON *method_parse_flags(const char *text, const char *prefix, char *msg, size_t n);
/* The reverse: "NAME=required" / "NAME" lines, prefix taken off. malloc'd. */
char *method_flags_text(const cJSON *flags, const char *prefix);

/* The {name} and {name+} parameters of a resource path, in order (a JSON
 * array of names without braces or '+'). */
cJSON *method_path_params(const char *path);
/* The path to test: each {name} replaced by values[name] URL-encoded (a
 * greedy {name+} keeps its slashes; a missing value leaves the braces),
 * then "?query" when query is not empty. malloc'd. */
char *method_test_path(const char *path, const cJSON *values, const char *query);
/* A response body for the screen: JSON pretty-printed when it parses, else
 * as it is (raw: sanitize before drawing). malloc'd. */
char *method_pretty_body(const char *body);
/* "first line  (N lines)" of a multi-line text, for one row. malloc'd. */
char *method_summary(const char *text);

/* --- method_diagram.c -------------------------------------------------------- */

#define METHOD_WIDE_COLS 100 /* the diagram needs this much */
#define METHOD_WIDE_ROWS 22
#define METHOD_DIAGRAM_ROWS 12

enum { BOX_MREQ, BOX_IREQ, BOX_IRESP, BOX_MRESP, BOX_BACKEND, NBOX };

typedef struct method_rect {
    int y, x, h, w;
} method_rect;

/* The box of a sheet row's key ("mreq", "iresp:200"...), or -1. */
int method_box_of_key(const char *key);
/* Client → boxes → backend → boxes → Client for method m, box sel (-1:
 * none) selected; box[] gets where each box went. */
void method_diagram_draw(WINDOW *w, const ui_ctx *cx, const cJSON *m, int sel, int width,
                         bool focused, method_rect box[NBOX]);

/* --- the forms ---------------------------------------------------------------- */

/* The method the forms change (path NULL while not loaded). */
typedef struct method_ref {
    const char *api, *res, *verb, *path;
} method_ref;

/* The form of the sheet row key: "mreq", "ireq", "iresp+" (add),
 * "iresp:STATUS", "mresp+" or "mresp:STATUS" of method m. */
void method_open_form(const method_ref *ref, ui_ctx *cx, const cJSON *m, const char *key);
/* Confirm, then delete the response of key ("iresp:STATUS", "mresp:STATUS"). */
void method_confirm_delete(const method_ref *ref, ui_ctx *cx, const char *key);

/* What the forms keep while open (method_forms.c), one per form. */
enum { METHOD_F_MAX = 32, METHOD_T_MAX = 8 };
/* The fields of template_fields' pair that adds a template. */
enum { METHOD_T_NEWCT = METHOD_F_MAX - 2, METHOD_T_NEWTPL = METHOD_F_MAX - 1 };

typedef struct method_edit {
    char *api, *res, *verb, *path, *status; /* status: the response's, or NULL */
    char *region, *account;
    cJSON *was; /* the wire object being edited, or NULL */
    int f[METHOD_F_MAX];
    char *ct[METHOD_T_MAX]; /* content types of the template text areas */
    int tpl[METHOD_T_MAX];
    int nct;
    size_t last_kind, last_pick, last_lab; /* choices when change last ran */
    char **picks;                          /* the function names offered */
    size_t npicks;
} method_edit;

method_edit *method_edit_new(const method_ref *ref, const ui_ctx *cx, const cJSON *was,
                             const char *status);
void method_edit_free(void *p);
/* A text area per content type of templates, then a pair to add one. */
void method_template_fields(form *f, method_edit *e, const cJSON *templates, const char *what);
/* The templates as the form holds them: {content type: text}, empty ones
 * left out. */
cJSON *method_templates_of(const form *f, const method_edit *e);
/* The text area holding application/json's template (the new one when
 * there is none yet, with its content type filled in). */
int method_json_template_field(form *f, const method_edit *e);
/* Patch operations that turn templates `was` into `now` under member. */
void method_patch_templates(apigw_patch *p, const char *member, const cJSON *was, const cJSON *now);
/* No operation in p: p is freed and "Nothing changed" said. */
bool method_no_ops(ui_ctx *cx, apigw_patch *p);

/* The forms of the boxes (method_form_integ.c, method_form_resp.c). */
void method_ireq_form(const method_ref *ref, ui_ctx *cx, const cJSON *m);
void method_iresp_form(const method_ref *ref, ui_ctx *cx, const cJSON *m, const char *status);
void method_mresp_form(const method_ref *ref, ui_ctx *cx, const cJSON *m, const char *status);

#endif
