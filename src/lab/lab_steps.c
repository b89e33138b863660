/* The lab's steps: titles, instructions in the project's own words, and the
 * values a student enters. */
#include <stddef.h>

#include "core/mem.h"
#include "lab/assets.h"
#include "lab/lab.h"

const char lab_item_request_template[] = "{\n  \"ID\": $input.params(\"ID\")\n}";

const char lab_item_schema[] =
    "{\n  \"$schema\": \"http://json-schema.org/draft-04/schema#\",\n"
    "  \"title\": \"Item Schema\",\n  \"type\": \"object\",\n  \"properties\": {\n"
    "    \"ID\": { \"type\": \"number\" },\n    \"name\": { \"type\": \"string\" },\n"
    "    \"price\": { \"type\": \"number\" }\n  }\n}";

char *lab_items_schema(const char *api_id) {
    return xasprintf("{\n  \"id\": \"Items\",\n  \"title\": \"Items\",\n  \"type\": \"array\",\n"
                     "  \"items\": {\"$ref\": "
                     "\"https://apigateway.amazonaws.com/restapis/%s/models/Item\"}\n}",
                     api_id);
}

const lab_event lab_events[LAB_EVENTS] = {
    {"GetItems", lab_event_get_items},
    {"GetItem", lab_event_get_item},
    {"GetItemNotFound", lab_event_get_item_not_found},
};

#define VALUES(a) a, sizeof a / sizeof *a

static const lab_value backend_values[] = {
    {"Offline", "apigw-console (the embedded emulator)"},
    {"On AWS", "apigw-console --aws [--profile P]"},
    {"Region", "us-west-2"},
};

static const lab_value api_values[] = {
    {"API name", LAB_API_NAME},
    {"Description", LAB_API_DESCRIPTION},
    {"API endpoint type", "Regional"},
    {"Model", LAB_MODEL_ITEM " (application/json): an object with ID, name, price"},
    {"Model", LAB_MODEL_ITEMS " (application/json): an array of Item"},
    {"Resource", LAB_ITEMS_PATH},
    {"Resource", LAB_ITEM_PATH},
    {"Method", "GET on both, integration type Mock"},
    {"Integration response", "200, application/json template: assets/lab/*.vtl"},
    {"Stage", "dev (new), deployment description: " LAB_DEPLOY_DESCRIPTION},
    {"Stage", "prod (new)"},
};

static const lab_value function_values[] = {
    {"Function name", LAB_FUNCTION},
    {"Runtime", "the latest Python 3 (" LAB_RUNTIME ")"},
    {"Execution role", "existing role " LAB_ROLE_NAME},
    {"Code", "lambda_function.py (assets/lab/lambda_function.py)"},
    {"Test event GetItems", "{}"},
    {"Test event", "{\"ID\": 1} and {\"ID\": 5}"},
};

static const lab_value alias_values[] = {
    {"Version", "publish a new version (1)"},
    {"Alias", "dev, " LAB_ALIAS_DEV_DESCRIPTION ", version $LATEST"},
    {"Alias", "prod, " LAB_ALIAS_PROD_DESCRIPTION ", the published version"},
};

static const lab_value integration_values[] = {
    {"Integration type", "Lambda function, proxy integration off"},
    {"Lambda function", LAB_FUNCTION ":dev, then " LAB_FUNCTION ":prod"},
    {"GET /items/{ID} request template", "application/json: { \"ID\": $input.params(\"ID\") }"},
    {"Request body passthrough", "When there are no templates defined"},
    {"Deploy", "prod, then dev"},
};

static const lab_value variable_values[] = {
    {"dev stage variable", LAB_STAGE_VARIABLE " = dev"},
    {"prod stage variable", LAB_STAGE_VARIABLE " = prod"},
    {"Lambda function (both GETs)", LAB_FUNCTION ":${stageVariables." LAB_STAGE_VARIABLE "}"},
    {"Deploy", "dev and prod"},
};

static const lab_value plan_values[] = {
    {"Usage plan name", LAB_PLAN},
    {"Description", LAB_PLAN_DESCRIPTION},
    {"Throttling, Quota", "off for now"},
    {"Associated stages", LAB_API_NAME " dev and " LAB_API_NAME " prod"},
    {"API key", LAB_KEY ", " LAB_KEY_DESCRIPTION ", generated"},
    {"Both GET methods", "API key required"},
    {"Deploy", "dev and prod"},
};

static const lab_value cors_values[] = {
    {"Resources", LAB_ITEMS_PATH " and " LAB_ITEM_PATH},
    {"Access-Control-Allow-Methods", "GET (OPTIONS comes with it)"},
    {"Access-Control-Allow-Headers", LAB_CORS_HEADERS},
    {"Access-Control-Allow-Origin", "*"},
};

static const lab_value cache_values[] = {
    {"prod: Provision API cache", "on, capacity 0.5 GB, encrypted"},
    {"prod: Cache time-to-live", "3600 seconds"},
    {"prod: Per-key cache invalidation", "require authorization, fail with 403"},
    {"prod: Throttling", "on, rate 10000, burst 5000"},
    {"CloudAcademyPlan: Quota", "1000 requests per day"},
};

static const lab_value cleanup_values[] = {
    {"Delete, in order", "API key LabKey, stages dev and prod, usage plan CloudAcademyPlan, "
                         "API ItemsAPI, function ItemsFunction"},
    {"From the command line", "apigw-console lab cleanup"},
};

static const lab_step steps[LAB_STEPS] = {
    {1, "Choose where to work",
     "The lab needs an account that speaks API Gateway and Lambda. Started without options, the "
     "console uses its built-in emulator: nothing to sign in to, nothing billed, and "
     "'apigw-console "
     "lab reset' empties it when you want a fresh start.\n\n"
     "To do the lab on AWS itself, start the console with --aws (or --profile NAME): it signs "
     "requests with the credentials and region the AWS CLI would use. The lab is written for "
     "us-west-2.",
     VALUES(backend_values)},
    {2, "What a REST API is",
     "A REST API names things (resources) with paths and acts on them with the verbs of HTTP: GET "
     "reads, POST creates, PUT and PATCH change, DELETE removes. Bodies are usually JSON, and each "
     "request carries everything the server needs to answer it.\n\n"
     "The API of this lab only reads: /items answers the whole list, /items/{ID} one item picked "
     "by the ID in its path. API Gateway holds the resources and methods; a Lambda function will "
     "produce the data. This step is reading only: there is nothing to check.",
     NULL, 0},
    {3, "Build ItemsAPI with mock methods",
     "Create a REST API named ItemsAPI with a Regional endpoint. Describe its data with two "
     "models: Item, a JSON Schema object with a numeric ID, a string name and a numeric price, and "
     "Items, an array whose elements refer to Item (put your API's id in the $ref).\n\n"
     "Add the resource /items, and under it the resource {ID}, which makes /items/{ID}: the braces "
     "turn that part of the path into a parameter.\n\n"
     "Give each resource a GET method with a Mock integration: no backend yet, API Gateway answers "
     "by itself. In the 200 integration response, add an application/json mapping template: for "
     "/items one that loops over 1..3 and writes three made-up items; for /items/{ID} one that "
     "reads the ID parameter as a number and writes one item from it. Try both with Test (an ID "
     "is needed for the second).\n\n"
     "Deploy the API to a new stage named dev (description: Only mock items list), then deploy it "
     "again to a new stage named prod.",
     VALUES(api_values)},
    {4, "Write the ItemsFunction backend",
     "Create a Lambda function from scratch named ItemsFunction (the name must match exactly), on "
     "the newest Python 3 runtime, running as the existing role lambda_basic_execution.\n\n"
     "Replace lambda_function.py with the lab's code: a fixed list of four items; without an ID "
     "in the event it returns the list, with one it returns that item, and an unknown ID raises "
     "NotFoundError. Deploy it.\n\n"
     "Make a test event GetItems with the body {} and run it: the four items come back, and the "
     "log shows the event. Try {\"ID\": 1} (one item) and {\"ID\": 5} (the error) as well.",
     VALUES(function_values)},
    {5, "Publish a version, add dev and prod aliases",
     "A published version freezes the function's code and settings under a number; only $LATEST "
     "can still be edited. An alias is a name that points at a version, so callers need not "
     "change when you publish again.\n\n"
     "Publish a new version of ItemsFunction. Create the alias dev (Development alias) on "
     "$LATEST, so development always runs the newest code, and the alias prod (Production alias) "
     "on the version you just published.",
     VALUES(alias_values)},
    {6, "Point the GET methods at ItemsFunction",
     "In ItemsAPI, change the integration of GET /items to a Lambda function integration (proxy "
     "off) calling ItemsFunction:dev, save, then change it to ItemsFunction:prod and save again: "
     "each save lets API Gateway invoke that alias.\n\n"
     "Do the same for GET /items/{ID}, and give its integration request an application/json "
     "mapping template that puts the path's ID into the event: { \"ID\": $input.params(\"ID\") }, "
     "with passthrough only when no template matches.\n\n"
     "Deploy the API to prod and to dev: both stages now answer with the function's items.",
     VALUES(integration_values)},
    {7, "Choose the alias with a stage variable",
     "Hard-coding an alias ties every stage to it. Give the dev stage a stage variable "
     "lambdaAlias = dev and the prod stage lambdaAlias = prod, then set the Lambda function of "
     "both GET integrations to ItemsFunction:${stageVariables.lambdaAlias}.\n\n"
     "API Gateway cannot grant itself permission on a name it only learns per stage; the dev and "
     "prod aliases were allowed in the previous step, so nothing more is needed. Deploy dev and "
     "prod, and open the prod invoke URL with /items to see the list.",
     VALUES(variable_values)},
    {8, "Require an API key through a usage plan",
     "Create the usage plan CloudAcademyPlan (description: Cloud Academy Lab Plan) with "
     "throttling and quota off for now. Associate it with ItemsAPI's dev stage and its prod "
     "stage.\n\n"
     "From the plan, create and add a new API key named LabKey (description: Cloud Academy Lab "
     "Key) with a generated value; show the value and note it.\n\n"
     "Mark both GET methods 'API key required' in their method request, and deploy to both "
     "stages. Calls without the x-api-key header now get 403 Forbidden; with the key they "
     "pass.",
     VALUES(plan_values)},
    {9, "Enable CORS",
     "A browser will only call the API from another site if the API says so in CORS headers, "
     "first in answer to an OPTIONS preflight.\n\n"
     "Select /items and use Enable CORS with GET checked and the default headers. The console adds "
     "an OPTIONS method with a Mock integration that answers with the Access-Control-Allow-Origin, "
     "-Methods and -Headers headers, and adds Access-Control-Allow-Origin to GET's response. Do "
     "the same for /items/{ID}.",
     VALUES(cors_values)},
    {10, "Cache and throttle prod, cap the plan",
     "Edit the prod stage: provision an API cache of 0.5 GB, encrypted, with a time-to-live of "
     "3600 seconds; for per-key cache invalidation, require authorization and fail unauthorized "
     "requests with 403. Keep throttling on with its defaults (rate 10000, burst 5000) and "
     "save.\n\n"
     "Then edit CloudAcademyPlan: turn on a quota of 1000 requests per day, so one key cannot use "
     "up the stage for everyone.",
     VALUES(cache_values)},
    {11, "Clean up",
     "Delete what the lab made, in an order AWS accepts: the API key LabKey, the stages dev and "
     "prod (a usage plan cannot go while stages are bound to it), the usage plan "
     "CloudAcademyPlan, the API ItemsAPI, and the function ItemsFunction, which takes its "
     "versions and aliases with it.\n\n"
     "'apigw-console lab cleanup' does this and asks before deleting; on AWS it touches only the "
     "lab's resources, found by name.",
     VALUES(cleanup_values)},
};

const lab_step *lab_step_get(int n) { return n >= 1 && n <= LAB_STEPS ? &steps[n - 1] : NULL; }
