#ifndef LAB_LAB_INT_H
#define LAB_LAB_INT_H
/* Private to src/lab/: what the check tables, the fetcher and the steps of
 * the setup share. */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "client/client.h"
#include "lab/checks.h"
#include "lab/fetch.h"
#include "lab/lab.h"
#include "lab/setup.h"

/* --- checks ------------------------------------------------------------------------ */
/* Fill m (n bytes) and return LAB_FAIL / LAB_SKIP. */
lab_status lab_fail(char *m, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
lab_status lab_skip(char *m, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Pass, or fail/skip with m filled, when a prerequisite is missing. */
lab_status lab_need_api(const lab_snapshot *s, char *m, size_t n);
lab_status lab_need_function(const lab_snapshot *s, char *m, size_t n);
lab_status lab_need_stage(const lab_snapshot *s, const char *stage, char *m, size_t n);
/* The method at path (needs the API and its resources loaded). */
lab_status lab_need_method(const lab_snapshot *s, const char *path, const char *verb,
                           const cJSON **method, char *m, size_t n);

#define LAB_NEED(call)                                                                             \
    do {                                                                                           \
        lab_status need_ = (call);                                                                 \
        if (need_ != LAB_PASS) return need_;                                                       \
    } while (0)

/* The short text of a JSON value for a message: at most max characters,
 * "..." when cut (malloc'd). */
char *lab_short(const cJSON *v, size_t max);

/* The execute-api ARN of verb path of ItemsAPI at stage, with the region
 * and account of ItemsFunction's ARN (malloc'd), or NULL when either is
 * unknown. */
char *lab_method_arn(const lab_snapshot *s, const char *stage, const char *verb, const char *path);

/* The check tables of each step, in lab_checks_*.c. */
typedef struct lab_check_table {
    const lab_check *v;
    size_t n;
} lab_check_table;

extern const lab_check_table lab_checks_api[];  /* steps 1, 3 and 11, by step */
extern const lab_check_table lab_checks_fn[];   /* steps 4 to 7 */
extern const lab_check_table lab_checks_more[]; /* steps 8 to 10 */

/* --- setup ------------------------------------------------------------------------- */
typedef struct lab_run {
    client *cl;
    const lab_setup_opts *o;
    lab_data d; /* the current snapshot */
    char account[16];
    int changes;      /* in the current step */
    bool api_changed; /* the current step changed ItemsAPI's methods or integrations */
    err *e;
} lab_run;

/* Log one line through the options' log function. */
void lab_say(lab_run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A change made: counted and logged. */
void lab_did(lab_run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Read the snapshot again after changes. */
int lab_refetch(lab_run *r);
/* The account id (options, ItemsFunction's ARN, else STS). */
const char *lab_account(lab_run *r);

/* Run one operation and wait: 0 with *out set (NULL out: the result is
 * dropped), or -1 with r->e set. */
#define LAB_SYNC(r, out, op, ...) CLIENT_SYNC((r)->cl, (out), (r)->e, op, __VA_ARGS__)

/* Whether a check of step passes in the current snapshot. */
bool lab_passes(const lab_run *r, int step, const char *id);
/* Whether a check of step fails because a stage serves an older
 * deployment (its stale function says so). */
bool lab_stale(const lab_run *r, int step);

/* The steps, in lab_setup_*.c: 0 or -1 with r->e set. */
int lab_setup_api(lab_run *r);       /* 3 */
int lab_setup_function(lab_run *r);  /* 4 */
int lab_setup_aliases(lab_run *r);   /* 5 */
int lab_setup_lambda(lab_run *r);    /* 6 */
int lab_setup_variables(lab_run *r); /* 7 */
int lab_setup_plan(lab_run *r);      /* 8 */
int lab_setup_cors(lab_run *r);      /* 9 */
int lab_setup_cache(lab_run *r);     /* 10 */

/* Let API Gateway invoke ItemsFunction:alias from stage's GET methods,
 * unless its policy already does (step 6, and step 7 for each stage's
 * lambdaAlias). */
int lab_permit_alias(lab_run *r, const char *alias, const char *stage);

/* Put verb path's integration again as it is, with uri and the
 * application/json request template replaced when not NULL, and its
 * integration responses back as they were (lab_put.c). */
int lab_reput_integration(lab_run *r, const char *path, const char *verb, const char *uri,
                          const char *json_template);
/* Put a response again with the response parameter param added: value in
 * the integration response, declared (not required) in the method
 * response. */
int lab_put_integration_param(lab_run *r, const char *path, const char *verb, const char *status,
                              const char *param, const char *value);
int lab_put_method_param(lab_run *r, const char *path, const char *verb, const char *status,
                         const char *param);

/* Deploy ItemsAPI to stage (created when missing), description or NULL. */
int lab_deploy(lab_run *r, const char *stage, const char *description);
/* Deploy to every lab stage that exists (dev, prod). */
int lab_redeploy(lab_run *r);
/* The end of a step that redeploys: when it changed the API, or when a
 * stage serves an older deployment (lab_stale: the lab's requests tell). */
int lab_finish_deploy(lab_run *r, int step);
/* Read the snapshot again, with the lab's requests when the backend can. */
int lab_refetch_probed(lab_run *r);

#endif
