#ifndef LAB_LAB_H
#define LAB_LAB_H
/* The lab the console follows ("Build RESTful Microservices with AWS Lambda
 * and API Gateway"): the names and values a student enters, and its eleven
 * steps with instructions in the project's own words.
 *
 * The engine around it:
 *   lab/checks.h  the account as a snapshot of wire objects, and each
 *                 step's validation checks (pure functions over it);
 *   lab/fetch.h   building that snapshot through the client;
 *   lab/setup.h   doing the steps through the client (idempotent), the
 *                 clean-up and the emulator's reset;
 *   cli/lab.h     the `apigw-console lab` subcommand. */
#include <stddef.h>

/* --- the lab's names and values ---------------------------------------------- */
#define LAB_API_NAME "ItemsAPI"
#define LAB_API_DESCRIPTION "Cloud Academy Lab API"
#define LAB_ENDPOINT_TYPE "REGIONAL"
#define LAB_MODEL_ITEM "Item"
#define LAB_MODEL_ITEMS "Items"
#define LAB_ITEMS_PATH "/items"
#define LAB_ITEM_PATH "/items/{ID}"
#define LAB_DEPLOY_DESCRIPTION "Only mock items list"
#define LAB_FUNCTION "ItemsFunction"
#define LAB_RUNTIME "python3.13" /* the latest Python 3 the lab's screenshots show */
#define LAB_HANDLER "lambda_function.lambda_handler"
#define LAB_ROLE_NAME "lambda_basic_execution"
#define LAB_ALIAS_DEV_DESCRIPTION "Development alias"
#define LAB_ALIAS_PROD_DESCRIPTION "Production alias"
#define LAB_STAGE_VARIABLE "lambdaAlias"
#define LAB_PLAN "CloudAcademyPlan"
#define LAB_PLAN_DESCRIPTION "Cloud Academy Lab Plan"
#define LAB_KEY "LabKey"
#define LAB_KEY_DESCRIPTION "Cloud Academy Lab Key"
/* The header list of the lab's Enable CORS form. */
#define LAB_CORS_HEADERS "Content-Type,X-Amz-Date,Authorization,X-API-Key,X-Amz-Security-Token"
#define LAB_CORS_METHODS "GET,OPTIONS"
#define LAB_CACHE_SIZE "0.5"
#define LAB_CACHE_TTL 3600
#define LAB_CACHE_UNAUTHORIZED "FAIL_WITH_403"
#define LAB_THROTTLE_RATE 10000
#define LAB_THROTTLE_BURST 5000
#define LAB_QUOTA_LIMIT 1000
#define LAB_QUOTA_PERIOD "DAY"

/* The request template of GET /items/{ID}'s Lambda integration. */
extern const char lab_item_request_template[];
/* The JSON Schema of the model Item. */
extern const char lab_item_schema[];
/* The JSON Schema of the model Items for API api_id (malloc'd). */
char *lab_items_schema(const char *api_id);

/* The Lambda console's test events of the lab: name and JSON body. */
typedef struct lab_event {
    const char *name, *body;
} lab_event;
#define LAB_EVENTS 3
extern const lab_event lab_events[LAB_EVENTS]; /* GetItems, GetItem, GetItemNotFound */

/* --- the steps ------------------------------------------------------------------ */
#define LAB_STEPS 11
#define LAB_STEP_CLEANUP 11
#define LAB_STEP_LAST_BUILD 10 /* the last step that builds something */

/* One field of a form and what to type in it. */
typedef struct lab_value {
    const char *field, *value;
} lab_value;

typedef struct lab_step {
    int n;
    const char *title;
    /* What to do, in paragraphs separated by blank lines (no markup). */
    const char *instructions;
    const lab_value *values;
    size_t nvalues;
} lab_step;

/* Step n (1..LAB_STEPS), or NULL. */
const lab_step *lab_step_get(int n);

#endif
