#ifndef UI_GUIDE_H
#define UI_GUIDE_H
/* The lab guide: the lab's eleven steps (lab/lab.h) beside the panes, each
 * with its instructions, the values to enter and its validation checks
 * (lab/checks.h), judged live over the mirror so they work on any backend.
 *
 * The mirror holds the account's lists, and an API's or a function's
 * details once something loaded them: the guide asks for ItemsAPI's and
 * ItemsFunction's details itself (mirror_refresh_api/_function, which fill
 * the mirror's cache by id and name whatever pane is open). What the mirror
 * never holds the guide reads on its own, quietly and only while shown:
 * CloudAcademyPlan's keys, the aliases' resource policies, and the lab's
 * own requests (GET to the dev and prod stages, the test events run on
 * ItemsFunction). Those requests go out again only when what their answers
 * depend on changed (the stages, the key and plan, the function and its
 * aliases and policies: see guide_stage_print), or when the user reloads
 * with r; nothing runs while the account stays as it is. */
#include <cjson/cJSON.h>
#include <stdbool.h>

#include "client/mirror.h"
#include "lab/checks.h"
#include "ui/pane.h"

/* The account as the checks read it. NULL: not loaded (checks that need it
 * are skipped). */
typedef struct guide_parts {
    bool loaded; /* the account's lists came back */
    const cJSON *apis, *usage_plans, *api_keys, *functions;
    /* ItemsAPI's, as the mirror holds them for its id. */
    const cJSON *resources, *stages, *models, *deployments;
    /* ItemsFunction's; policy is the function's own (unqualified) one. */
    const cJSON *versions, *aliases, *policy;
    /* Read by the guide: CloudAcademyPlan's GetUsagePlanKeys items;
     * {alias: policy document} of ItemsFunction's aliases (an alias without
     * a policy is absent); the lab's requests (lab_snapshot's shapes). */
    const cJSON *plan_keys, *alias_policies, *invokes, *requests;
} guide_parts;

/* The mirror's parts; the guide's own (plan_keys ... requests) are left
 * NULL for the caller. */
void guide_parts_from_mirror(const mirror *m, bool loaded, guide_parts *out);
/* A snapshot over p. Returns the JSON that s points into besides p (free
 * it with cJSON_Delete after the snapshot's last use). The policies are
 * NULL (skipped) until the function's own and, when it has aliases, the
 * aliases' policies are read. */
cJSON *guide_snapshot(const guide_parts *p, lab_snapshot *s);

/* Where a step is done. */
typedef enum guide_place {
    GUIDE_NOWHERE,      /* steps 1 and 2: nothing to open */
    GUIDE_APIS,         /* the APIs list */
    GUIDE_API_RESOURCES, /* ItemsAPI's resources */
    GUIDE_API_STAGES,   /* ItemsAPI's stages */
    GUIDE_FUNCTIONS,    /* the Lambda functions list */
    GUIDE_FN_CODE,      /* ItemsFunction's sections */
    GUIDE_FN_VERSIONS,
    GUIDE_FN_ALIASES,
    GUIDE_PLANS, /* the usage plans list */
} guide_place;

/* Where step is done given the account: ItemsAPI's or ItemsFunction's
 * sections once they exist (*name gets the API's id or the function's
 * name, pointing into s), else the list where they are created. */
guide_place guide_place_of(const lab_snapshot *s, int step, const char **name);

/* Prints (hashes) of what the lab's requests answer from: the stages
 * answer from ItemsAPI's stages, LabKey, CloudAcademyPlan and its keys,
 * ItemsFunction with its aliases and policies; the test events from the
 * function's configuration. 0: nothing to ask (no stage / no function). */
unsigned long long guide_stage_print(const lab_snapshot *s);
unsigned long long guide_function_print(const lab_snapshot *s);

/* The pane. Its app draws it beside the content (or in its place on a
 * narrow screen) and hands it the keys while it has the focus. */
pane *pane_guide_new(void);
/* Read everything again (r): ItemsAPI's and ItemsFunction's details, the
 * guide's own reads and the lab's requests. */
void guide_reload(pane *p, ui_ctx *cx);
/* Scroll the text by lines (the mouse wheel); returns UI_DIRTY_*. */
unsigned guide_scroll(pane *p, int lines);

#endif
