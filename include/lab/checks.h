#ifndef LAB_CHECKS_H
#define LAB_CHECKS_H
/* The lab's validation checks: pure functions over a snapshot of the
 * account in AWS's wire shapes, the same JSON the console's mirror holds
 * (client/mirror.h). The guide pane builds a lab_snapshot from the mirror;
 * `apigw-console lab status` builds one through the client (lab/fetch.h).
 *
 * Each check passes, fails with a sentence saying what is missing ("prod
 * has no stage variable lambdaAlias"), or is skipped when the snapshot lacks
 * what it needs (a part not loaded, or a backend that cannot run the
 * lab's requests): a skip never counts as a failure.
 *
 * Step 1 (choosing the backend) has one check: the account answered.
 * Step 2 is reading only and has none. Steps 3 to 10 check what the lab
 * builds; step 11 (clean-up) checks that it is gone again, so it replaces
 * the checks of steps 3 to 10 (see lab_step_counts). */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

/* --- the snapshot ---------------------------------------------------------------
 * Pointers into JSON the builder owns; NULL means "not loaded" (the checks
 * that need it are skipped), an empty array means "loaded, none". */
typedef struct lab_snapshot {
    bool connected; /* the account answered the reads (step 1) */
    /* Account-wide lists: RestApi, UsagePlan, ApiKey (with "value" when
     * asked with includeValues), FunctionConfiguration items. */
    const cJSON *apis, *usage_plans, *api_keys, *functions;
    /* ItemsAPI (lab_pick_api of apis): GetResources?embed=methods items,
     * GetStages items, GetModels items, GetDeployments items. */
    const cJSON *resources, *stages, *models, *deployments;
    /* CloudAcademyPlan's GetUsagePlanKeys items. */
    const cJSON *plan_keys;
    /* ItemsFunction: ListVersionsByFunction and ListAliases items, and
     * {qualifier: policy document} from GetPolicy, "" being the function's
     * own policy and each alias under its name; a qualifier without a
     * policy is absent (or holds {"Statement": []}). */
    const cJSON *versions, *aliases, *policies;
    /* What the lab's own requests answered (lab/fetch.h takes them when the
     * backend can): NULL when not taken.
     * invokes: {event name: {"StatusCode", "FunctionError" (when it
     *   failed), "Payload" (parsed JSON, else text)}} for lab_events.
     * requests: {lab_probe_name: {"status": N, "body": parsed JSON, else
     *   text}} for lab_probes whose stage exists. */
    const cJSON *invokes, *requests;
} lab_snapshot;

/* --- the lab's requests to the stages ------------------------------------------ */
typedef struct lab_probe {
    const char *stage, *verb, *path;
    bool with_key; /* send LabKey's value as x-api-key (when there is one) */
} lab_probe;

#define LAB_PROBES 6
extern const lab_probe lab_probes[LAB_PROBES];
/* "dev GET /items/1", "prod GET /items (no key)". */
void lab_probe_name(const lab_probe *p, char *out, size_t n);

/* --- finding the lab's things in a snapshot ------------------------------------------ */
/* The first item of items whose key is name, or NULL. */
const cJSON *lab_named(const cJSON *items, const char *key, const char *name);
int lab_count_named(const cJSON *items, const char *key, const char *name);
/* The API the lab works on among apis: the oldest one named ItemsAPI. */
const cJSON *lab_pick_api(const cJSON *apis);
const cJSON *lab_api(const lab_snapshot *s);
const cJSON *lab_resource(const lab_snapshot *s, const char *path);
/* A method of the resource at path, with its integration and responses. */
const cJSON *lab_method(const lab_snapshot *s, const char *path, const char *verb);
const cJSON *lab_stage(const lab_snapshot *s, const char *name);
const cJSON *lab_plan(const lab_snapshot *s);     /* CloudAcademyPlan */
const cJSON *lab_key(const lab_snapshot *s);      /* LabKey */
const cJSON *lab_function(const lab_snapshot *s); /* ItemsFunction */
const cJSON *lab_alias(const lab_snapshot *s, const char *name);
/* The answer to a probe, or NULL (not taken). */
const cJSON *lab_request(const lab_snapshot *s, const char *stage, const char *verb,
                         const char *path, bool with_key);

/* The function ARN (without qualifier) and qualifier a Lambda integration
 * URI names: "arn:aws:apigateway:R:lambda:path/2015-03-31/functions/ARN/
 * invocations". Returns false when uri is not one. fn gets the ARN up to
 * the function name, qual the qualifier ("" when none). */
bool lab_lambda_uri_parts(const char *uri, char *fn, size_t fn_n, char *qual, size_t qual_n);
/* Whether policy (a policy document) lets apigateway.amazonaws.com invoke
 * resource (a function ARN, with qualifier) from source_arn. */
bool lab_policy_allows(const cJSON *policy, const char *resource, const char *source_arn);
/* Two templates alike but for white space. */
bool lab_same_template(const char *a, const char *b);

/* --- the checks --------------------------------------------------------------------- */
typedef enum lab_status { LAB_PASS, LAB_FAIL, LAB_SKIP } lab_status;

typedef struct lab_check {
    const char *id;   /* stable, e.g. "7.var.prod" */
    const char *what; /* what it wants, e.g. "prod's stage variable lambdaAlias is prod" */
    /* Fill msg (n bytes) with what is missing on LAB_FAIL, or why it could
     * not tell on LAB_SKIP. */
    lab_status (*fn)(const lab_snapshot *s, char *msg, size_t n);
    /* For checks of what a stage serves (else NULL): whether the stage's
     * answer shows an older deployment, so that deploying the API fixes it
     * (an answer that is wrong for another reason does not). */
    bool (*stale)(const lab_snapshot *s);
} lab_check;

/* Step n's checks (n 1..LAB_STEPS); *count gets their number. */
const lab_check *lab_checks(int step, size_t *count);

#define LAB_CHECKS_MAX 24
typedef struct lab_result {
    const lab_check *check;
    lab_status status;
    char msg[400]; /* may hold names from the account: sanitize before showing */
} lab_result;

typedef struct lab_step_result {
    int step;
    size_t n, passed, failed, skipped;
    lab_result r[LAB_CHECKS_MAX];
} lab_step_result;

void lab_evaluate(const lab_snapshot *s, int step, lab_step_result *out);
/* Whether step's checks count towards "the lab is done through step
 * through": steps 1..through, except that through = 11 (the clean-up)
 * counts steps 1, 2 and 11 only. */
bool lab_step_counts(int step, int through);
/* Whether no counted check of steps 1..through fails. */
bool lab_through_passes(const lab_snapshot *s, int through);

#endif
