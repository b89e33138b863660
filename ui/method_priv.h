#ifndef UI_METHOD_PRIV_H
#define UI_METHOD_PRIV_H
/* Private to Method Execution (pane_method.c) and its Test view
 * (pane_method_test.c): finding the method in the mirror, and turning the
 * forms' text into request members and back. The text pieces are
 * unit-tested in tests/unit/test_ui_integ.c. */
#include <cjson/cJSON.h>
#include <stddef.h>

#include "ui/pane.h"

/* The resource of id in the mirror's copy of api, or NULL. */
const cJSON *method_resource(const ui_ctx *cx, const char *api, const char *res_id);
/* The resource's method (with methodIntegration, methodResponses) or NULL. */
const cJSON *method_of(const cJSON *resource, const char *verb);

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

#endif
