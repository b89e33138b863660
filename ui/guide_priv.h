#ifndef UI_GUIDE_PRIV_H
#define UI_GUIDE_PRIV_H
/* Private to the lab guide: the pane (pane_guide.c), the snapshot its
 * checks judge (guide_snapshot.c), its own reads and the lab's requests
 * (guide_probes.c), and its text laid out as screen lines (guide_lines.c). */
#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "app_priv.h"
#include "lab/checks.h"
#include "ui/guide.h"

/* --- guide_snapshot.c ---------------------------------------------------------- */

/* ItemsAPI's id in the mirror's APIs, or NULL. */
const char *guide_lab_api_id(const mirror *m);
/* Whether the mirror lists ItemsFunction. */
bool guide_lab_has_function(const mirror *m);

/* --- guide_probes.c -------------------------------------------------------------- */

/* Three kinds of rounds, each newer one replacing what an older one in
 * flight would bring. */
enum { GUIDE_ROUND_READS, GUIDE_ROUND_REQUESTS, GUIDE_ROUND_INVOKES, GUIDE_ROUNDS };

/* What the guide read on its own, shared by the pane and the requests in
 * flight (reference counted), so the pane may go away while they run. */
typedef struct guide_reads {
    int refs;
    ui_life *life; /* what the requests check the app by; set at the first sync */
    unsigned ver;  /* bumped when a round brought something */
    cJSON *plan_keys, *alias_policies, *requests, *invokes;
    unsigned seq[GUIDE_ROUNDS];
    bool busy[GUIDE_ROUNDS];
} guide_reads;

guide_reads *guide_reads_new(void);
void guide_reads_release(guide_reads *rd); /* NULL is fine */
/* CloudAcademyPlan's keys and the aliases' policies: what the mirror does
 * not hold. */
void guide_start_reads(guide_reads *rd, ui_ctx *cx);
/* The lab's GET requests to the stages that exist in s. */
void guide_start_requests(guide_reads *rd, ui_ctx *cx, const lab_snapshot *s);
/* The lab's test events on ItemsFunction. */
void guide_start_invokes(guide_reads *rd, ui_ctx *cx);

/* The snapshot over the mirror and rd; *own as guide_snapshot's answer. */
void guide_build_snapshot(const ui_ctx *cx, const guide_reads *rd, lab_snapshot *s, cJSON **own);

/* --- guide_lines.c ---------------------------------------------------------------- */

/* Every check passed: one that could not be judged yet (a part still
 * loading) leaves the step open. */
static inline bool guide_step_complete(const lab_step_result *r) {
    return r->n && r->passed == r->n;
}

/* The text of the guide as screen lines for one width, rebuilt at each
 * draw (only the selected step is open, so a few dozen lines). x is from
 * the text's origin; text never reaches the last column. */
typedef enum guide_line_kind { L_HEAD, L_HEAD_MORE, L_TEXT } guide_line_kind;

typedef struct guide_line {
    guide_line_kind kind;
    int step;
    int x;
    char *text; /* sanitized */
    size_t dim; /* bytes at the start drawn dim (a value's field) */
    ui_role role;
    const char *mark; /* a check's mark, two columns before x */
    ui_role mark_role;
} guide_line;

typedef struct guide_lines {
    guide_line *v;
    int n, cap;
    const ui_theme *th;
    int width;
} guide_lines;

/* The eleven steps' lines into L (th and width set), step sel open, from
 * the results res (LAB_STEPS of them). */
void guide_lines_build(guide_lines *L, int sel, const lab_step_result *res);
void guide_lines_free(guide_lines *L);
/* Line g on row y from column x0, r the results of its step; sel: the
 * selection's attribute on a step's line, 0 when not selected. */
void guide_line_draw(WINDOW *w, const ui_theme *th, const guide_line *g, const lab_step_result *r,
                     int y, int x0, int width, attr_t sel);

#endif
