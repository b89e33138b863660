#ifndef UI_PANE_FN_H
#define UI_PANE_FN_H
/* Private to the Lambda panes (pane_functions.c, pane_fn_*.c): what the
 * sections of a function share. The pieces without a terminal (zip, log
 * report, weights, policy rows, test-event files, request inputs) are
 * unit-tested in tests/unit/test_ui_lambda.c. */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include <curses.h>

#include "core/err.h"
#include "ui/job.h"
#include "ui/pane.h"

/* --- state shared by a pane and the jobs it started ------------------------------
 * A pane may be gone when its job ends, so what both see lives in a block
 * with a reference count: the pane holds one, each job one. */
void *fn_shared_new(size_t size, void (*fini)(void *));
void *fn_shared_ref(void *p);
/* Drop a reference (NULL is fine); usable as a ud/data free function. */
void fn_shared_unref(void *p);

/* A read a pane starts (the code, alias policies): a job that reloads
 * nothing and ends without a note of its own, so the status line keeps
 * what it said; its end redraws the pane. */
ui_job *fn_read_job(ui_ctx *cx, const char *what);
/* From the read's last step: keep the status line as it is. */
void fn_read_quiet(ui_job *j);

/* --- text ------------------------------------------------------------------------ */
/* "2026-11-30T00:00:00.000+0000" → "2026-11-30 00:00". */
void fn_short_time(const char *iso, char *out, size_t n);
/* The first 8 characters of a CodeSha256, as a short fingerprint. */
void fn_short_sha(const char *sha, char *out, size_t n);
/* A number as the console shows percentages: at most two decimals, no
 * trailing zeros ("20", "12.5"). */
void fn_pct_text(double pct, char *out, size_t n);
/* An alias's routing: "2: 80% / 1: 20%", or "2: 100%" unweighted. malloc'd. */
char *fn_weights_text(const cJSON *alias);
/* "20" or "20%" → 0.2 (a Weight, 0..1 as Lambda takes it); -1 when the text
 * is not a number. The range is Lambda's to judge. */
int fn_weight_parse(const char *text, double *out);
/* Standard base64 (whitespace ignored) → bytes (malloc'd, NUL-terminated);
 * NULL when it is not base64. */
unsigned char *fn_unbase64(const char *b64, size_t *len);

/* The REPORT line Lambda ends a log with. */
typedef struct fn_report {
    bool found;
    double duration_ms, billed_ms, init_ms; /* init_ms < 0: a warm start */
    int memory_mb, max_memory_mb;
    char request_id[64];
} fn_report;
void fn_parse_report(const char *log, fn_report *out);

/* --- code --------------------------------------------------------------------------- */
/* The file a handler names: "lambda_function.lambda_handler" with a python
 * runtime → "lambda_function.py"; nodejs → "index.mjs". malloc'd. */
char *fn_code_file(const char *handler, const char *runtime);
/* The entry of the zip to show: the handler's file in any of its runtime's
 * extensions, else the first file. malloc'd, or NULL for an empty or
 * unreadable archive. */
char *fn_zip_pick(const void *zip, size_t len, const char *handler, const char *runtime);
/* Read one entry as text (malloc'd, NUL-terminated). */
int fn_zip_read(const void *zip, size_t len, const char *name, char **text, err *e);
/* The archive with name holding text (added, or replacing the entry of
 * that name); every other entry kept. zip NULL: a new archive. Returns the
 * new bytes (malloc'd) or NULL with e set. */
unsigned char *fn_zip_put(const void *zip, size_t len, const char *name, const char *text,
                          size_t *outlen, err *e);
/* How many files the archive holds (0 when unreadable). */
size_t fn_zip_count(const void *zip, size_t len);

/* GET of GetFunction's Code.Location ("http(s)://HOST/PATH?QUERY") through
 * the client's transport: the path and query, Host set, service "lambda"
 * (the emulator serves the code under its own address). NULL when the
 * location is no http(s) URL. */
struct http_request *fn_code_request(const char *location);

/* --- choices ---------------------------------------------------------------------- */
/* The published versions of ListVersionsByFunction ($LATEST left out),
 * newest first: pointers into versions, at most max. */
size_t fn_published(const cJSON *versions, const char **out, size_t max);
/* The account: the context's, else that of a function ARN the mirror
 * holds. malloc'd, or NULL when nothing tells. */
char *fn_account(const ui_ctx *cx);

/* --- resource-based policy ----------------------------------------------------------- */
/* Append to rows one object per statement of policy (a parsed policy
 * document; NULL is fine): {"Qualifier" (given, or "" for the function),
 * "Sid", "Principal", "Action", "Effect", "SourceArn", "Resource"}. The
 * principal is the service or AWS value as written; the source ARN that
 * of an ArnLike/ArnEquals AWS:SourceArn condition. */
void fn_policy_rows(cJSON *rows, const cJSON *policy, const char *qualifier);

/* --- request inputs from forms ------------------------------------------------------- */
/* RoutingConfig.AdditionalVersionWeights for an alias form: {version:
 * weight} when weighted, {} when not (UpdateAlias then drops any weights
 * the alias had). Returns NULL with msg set when the percentage is not a
 * number or no version is chosen. */
cJSON *fn_alias_weights(bool weighted, const char *version, const char *percent, char *msg,
                        size_t n);

/* --- saved test events ----------------------------------------------------------------
 * Kept by the console per region and function, as the AWS console keeps
 * them for a user: $XDG_STATE_HOME/apigw-console/test-events/REGION/
 * FUNCTION.json (else ~/.local/state/...), mode 0600, written atomically.
 * The file holds {"events": [{"name": ..., "event": <JSON value>}]}. */
char *fn_events_path(const char *region, const char *function);
/* The events (an array; empty when there is no file yet), or NULL with e
 * set when the file is unreadable or not ours. */
cJSON *fn_events_load(const char *path, err *e);
int fn_events_save(const char *path, const cJSON *events, err *e);
/* Change the saved events under a lock (PATH.lock), so two consoles lose
 * nothing: load, change (returns 0, or -1 with e set to refuse), save. */
typedef int (*fn_events_change)(cJSON *events, void *ud, err *e);
int fn_events_update(const char *path, fn_events_change change, void *ud, err *e);
/* The AWS console's rule for event names: 1 to 25 letters, digits, '.',
 * '-' or '_'. Returns false with msg set otherwise. */
bool fn_event_name_ok(const char *name, char *msg, size_t n);
/* Parse an event's JSON text; NULL with msg ("The event is not valid JSON:
 * ... at line L, column C") when it is not JSON. */
cJSON *fn_event_parse(const char *text, char *msg, size_t n);

/* --- drawing ------------------------------------------------------------------------------ */
/* Text split into display lines: sanitized, tabs expanded, wrapped at the
 * width last laid out when wrap is set (else cut with an ellipsis). */
typedef struct fn_text {
    char *src;
    bool wrap;
    int width; /* of the last layout */
    char **line;
    size_t n;
} fn_text;
void fn_text_set(fn_text *t, const char *text, bool wrap);
void fn_text_free(fn_text *t);
void fn_text_layout(fn_text *t, int width);
/* Draw lines [top, top + h) at row y; numbered: line numbers in a gutter. */
void fn_text_draw(fn_text *t, WINDOW *w, const ui_theme *th, int y, int h, int width, size_t top,
                  bool numbered);
/* Scroll for movement actions; returns true when top changed. */
bool fn_text_scroll(const fn_text *t, size_t *top, int page, ui_action a);

/* "Label: value" pairs (label dim) flowing over rows from y, wrapping
 * between pairs; values are raw (sanitized here). Returns the rows used. */
int fn_draw_pairs(WINDOW *w, const ui_theme *th, int y, int width, int maxrows,
                  const char *const *pairs, size_t npairs);

/* A heading that names the open function: "ItemsFunction › Versions (3)". */
void fn_heading(WINDOW *w, const ui_ctx *cx, int width, const char *title, const char *filter);

#endif
