# shellcheck shell=bash
# The console's acceptance test: the whole lab walked by keystrokes on the
# emulator, from a new account to prod answering with the function's items
# for a request with the API key and 403 without it. Five sessions, each
# started from the state file the one before left (walk-*.json in $TMPD):
#   api      ItemsAPI, its models Item and Items, /items and /items/{ID}
#            with Mock GETs and the lab's templates, tested, deployed to
#            dev and prod;
#   lambda   ItemsFunction with the lab's code, a test event, versions 1
#            and 2 (the code changed in the user's editor between them),
#            aliases dev and prod;
#   backend  stage variables lambdaAlias, both GETs on
#            ItemsFunction:${stageVariables.lambdaAlias} with the
#            permissions granted from the console's dialog;
#   protect  usage plan with a key, API key required, redeploy, CORS on
#            both resources, cache and throttling on prod;
#   verify   (160x48) every stage tested with and without the key; the lab
#            guide and `apigw-console lab status` find every step done.
# Each step is checked on screen; the pieces that matter in the state file.
# shellcheck disable=SC2016 # ${stageVariables...}, $ref, $input: literal text

WALK_TOOLS=$HERE/tools
WALK_LAB=$HERE/../../assets/lab

# wk_st SESSION PYTHON-EXPRESSION: evaluate over the session's state file.
# Bound: r (the region), api (ItemsAPI), res(path), meth(path, verb),
# stage(name), fn (ItemsFunction), plan (the plan), key (LabKey).
wk_st() {
    python3 - "$TMPD/$1/state.json" "$2" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["regions"]["us-west-2"]
api = next((a for a in r.get("restapis", {}).values() if a["api"]["name"] == "ItemsAPI"), None)
def res(path):
    return next((x for x in api["resources"].values() if x["path"] == path), None)
def meth(path, verb):
    return res(path).get("resourceMethods", {}).get(verb)
def stage(name):
    return api.get("stages", {}).get(name)
fn = r.get("functions", {}).get("ItemsFunction")
plan = next(iter(r.get("usageplans", {}).values()), None)
key = next((k for k in r.get("apikeys", {}).values() if k["name"] == "LabKey"), None)
print(eval(sys.argv[2]))
PY
}

# wk_is SESSION EXPRESSION WANT: the state file comes to say WANT (a job
# may still be writing when its note shows).
wk_is() {
    local got end=$(($(now_ms) + WAIT_S * 1000))
    while got=$(wk_st "$1" "$2" 2>&1) && [ "$got" != "$3" ]; do
        [ "$(now_ms)" -ge "$end" ] && break
        sleep 0.05
    done
    [ "$got" = "$3" ] || { LAST_WHY="state: $2 gave '$got', not '$3'"; return 1; }
}

# wk_re SESSION REGEX: wait until a screen line matches.
wk_re() {
    local end=$(($(now_ms) + WAIT_S * 1000))
    while ! screen "$1" | grep -qE -- "$2"; do
        if [ "$(now_ms)" -ge "$end" ]; then
            LAST_WHY="nothing matched /$2/"
            return 1
        fi
        sleep 0.02
    done
}

# wk_needs SESSION TEXT...: every TEXT comes on screen.
wk_needs() {
    local s=$1 t
    shift
    for t in "$@"; do need "$s" "$t" || return 1; done
}

# wk_seed NAME: the state a previous walk step left, or why there is none.
wk_seed() {
    [ -f "$TMPD/walk-$1.json" ] && return 0
    LAST_WHY="no state from the walk's $1 step (it failed earlier)"
    return 1
}

# wk_fresh SESSION: no home, private state or test events left from an
# earlier run of the same session (the screens' tour walks first).
wk_fresh() { rm -rf "${TMPD:?}/$1"; }

# wk_keep SESSION NAME: the session's state becomes the next step's seed;
# the console then quits from where it is (Esc out, q) and leaves the
# terminal as it found it.
wk_keep() {
    cp "$TMPD/$1/state.json" "$TMPD/walk-$2.json"
    keys "$1" Escape Escape Escape
    keys "$1" q
    need "$1" "EXIT=0 STTY=same"
}

# --- api: the Mock API of the lab's first part ------------------------------------

# wk_mock_get SESSION PATH: c on the selected resource, Method, GET with a
# Mock integration (what the form offers first).
wk_mock_get() {
    local s=$1 path=$2
    keys "$s" c
    need "$s" "Create in $path" || return 1
    keys "$s" Right
    wk_needs "$s" "< Method >" "< GET >" "< Mock >" || return 1
    keys "$s" Enter
    need "$s" "Integration of GET $path: Mock (MOCK)"
}

# wk_lab_response SESSION PATH CHOICE-RIGHTS CHOICE-TEXT: in Method
# Execution, the 200 integration response takes one of the lab's templates.
wk_lab_response() {
    local s=$1 path=$2 n=$3 i
    keys "$s" g j j Enter
    wk_needs "$s" "Integration response 200" "Use the lab's template" "< none >" || return 1
    keys "$s" Tab Tab Tab Tab
    for ((i = 0; i < n; i++)); do keys "$s" Right; done
    need "$s" "$4" || return 1
    keys "$s" Enter
    need "$s" "Done: Update the 200 integration response of GET $path" &&
        need "$s" "Template          application/json:"
}

t_walk_api() {
    local s=walk1 items=$TMPD/walk-items-schema.json
    wk_fresh "$s"
    # The user's editor gets the Items schema "pasted" (tools/replace-with.sh).
    VISUAL="$WALK_TOOLS/replace-with.sh $items" start "$s" empty || return 1
    need "$s" "No REST APIs in this region yet" || return 1
    # Create API: ItemsAPI, Regional.
    keys "$s" c
    wk_needs "$s" "Create REST API" "< Regional >" || return 1
    keys "$s" -l "ItemsAPI"
    keys "$s" Tab
    keys "$s" -l "Cloud Academy Lab API"
    keys "$s" Enter
    wk_needs "$s" "Created API ItemsAPI" "APIs (1)" "REGIONAL" || return 1
    wk_is "$s" '(api["api"]["description"], api["api"]["endpointConfiguration"]["types"])' \
        "('Cloud Academy Lab API', ['REGIONAL'])" || return 1

    # Models with the lab's schemas, pasted in the editor: Item (the form
    # offers one whose ID is an integer; the lab's is a number), then Items,
    # an array of Item, whose $ref names the API's id.
    keys "$s" Enter
    need "$s" "ItemsAPI › Resources (1)" || return 1
    keys "$s" Tab j j Enter
    wk_needs "$s" "ItemsAPI › Models (2)" "Empty" "Error" || return 1
    local id
    id=$(wk_st "$s" 'api["api"]["id"]')
    printf '%s\n' '{' '  "$schema": "http://json-schema.org/draft-04/schema#",' '  "title": "Item Schema",' \
        '  "type": "object",' '  "properties": {' '    "ID": {"type": "number"},' '    "name": {"type": "string"},' \
        '    "price": {"type": "number"}' '  }' '}' >"$items"
    keys "$s" c
    wk_needs "$s" "Create model" "Content type  application/json" '"title": "Item",' || return 1
    keys "$s" -l "Item"
    keys "$s" Tab Tab Tab Enter
    need "$s" '"title": "Item Schema",' || return 1
    keys "$s" BTab Enter
    wk_needs "$s" "Done: Create model Item" "ItemsAPI › Models (3)" || return 1
    printf '{\n  "id": "Items",\n  "title": "Items",\n  "type": "array",\n  "items": {"$ref": "https://apigateway.amazonaws.com/restapis/%s/models/Item"}\n}\n' \
        "$id" >"$items"
    keys "$s" c
    need "$s" "Create model" || return 1
    keys "$s" -l "Items"
    keys "$s" Tab Tab Tab Enter
    need "$s" '"type": "array",' || return 1
    keys "$s" BTab Enter
    wk_needs "$s" "Done: Create model Items" "ItemsAPI › Models (4)" || return 1
    wk_is "$s" '(api["models"]["Item"]["contentType"], json.loads(api["models"]["Items"]["schema"])["items"]["$ref"].split("/")[-3:])' \
        "('application/json', ['$id', 'models', 'Item'])" || return 1

    # /items, its GET (Mock) and the lab's list template, tested.
    keys "$s" Tab k k Enter
    need "$s" "ItemsAPI › Resources (1)" || return 1
    keys "$s" c
    wk_needs "$s" "Create in /" "< Resource >" || return 1
    keys "$s" Tab Tab
    keys "$s" -l "items"
    keys "$s" Enter
    wk_needs "$s" "Created resource /items" "Resources (2)" || return 1
    wk_mock_get "$s" /items || return 1
    keys "$s" Enter
    need "$s" "ItemsAPI › GET /items › Method execution" || return 1
    wk_lab_response "$s" /items 1 "< the items list" || return 1
    keys "$s" T
    wk_needs "$s" "GET /items › Test" "Not run yet" || return 1
    keys "$s" x
    wk_re "$s" 'Status +200' && need "$s" '"name": "foo1"' && need "$s" "Test GET /items: status 200" || return 1

    # /items/{ID}, its GET and the one-item template, tested with ID 3.
    keys "$s" Escape
    need "$s" "GET /items › Method execution" || return 1
    keys "$s" Escape
    need "$s" "Resource / method" || return 1
    keys "$s" k c
    wk_needs "$s" "Create in /items" "Resource path: /items/" || return 1
    keys "$s" Tab Tab
    keys "$s" -l "{ID}"
    keys "$s" Enter
    wk_needs "$s" "Created resource /items/{ID}" "Resources (3)" || return 1
    wk_mock_get "$s" "/items/{ID}" || return 1
    keys "$s" Enter
    need "$s" "ItemsAPI › GET /items/{ID} › Method execution" || return 1
    wk_lab_response "$s" "/items/{ID}" 2 "< one item (GET /items/{ID}) >" || return 1
    keys "$s" T x
    need "$s" "Give every path parameter a value" || return 1
    keys "$s" 3 Enter
    wk_re "$s" 'Status +200' && wk_needs "$s" "GET /items/3" '"name": "foo3"' '"price": 4.5' || return 1

    # Deploy to a new stage dev, then to a new stage prod.
    keys "$s" Escape Escape
    need "$s" "Resource / method" || return 1
    keys "$s" D
    wk_needs "$s" "Deploy API" "< New stage >" || return 1
    keys "$s" Tab
    keys "$s" -l "dev"
    keys "$s" Tab Tab
    keys "$s" -l "Only mock items list"
    keys "$s" Enter
    need "$s" "Deployed to dev" || return 1
    keys "$s" D
    wk_needs "$s" "Deploy API" "< New stage >" || return 1
    keys "$s" Tab
    keys "$s" -l "prod"
    keys "$s" Enter
    need "$s" "Deployed to prod" || return 1

    wk_is "$s" 'sorted(x["path"] for x in api["resources"].values())' "['/', '/items', '/items/{ID}']" &&
        wk_is "$s" '[meth(p, "GET")["methodIntegration"]["type"] for p in ("/items", "/items/{ID}")]' "['MOCK', 'MOCK']" &&
        wk_is "$s" '"#foreach" in meth("/items", "GET")["methodIntegration"]["integrationResponses"]["200"]["responseTemplates"]["application/json"]' True &&
        wk_is "$s" '"parseInt" in meth("/items/{ID}", "GET")["methodIntegration"]["integrationResponses"]["200"]["responseTemplates"]["application/json"]' True &&
        wk_is "$s" 'sorted(api["stages"]), len(api["deployments"])' "(['dev', 'prod'], 2)" || return 1
    wk_keep "$s" api
}

# --- lambda: the function, its versions and aliases --------------------------------

t_walk_lambda() {
    local s=walk2
    wk_fresh "$s"
    wk_seed api || return 1
    # The user's editor adds a line to the code (tools/append-comment.sh).
    VISUAL=$WALK_TOOLS/append-comment.sh start "$s" "$TMPD/walk-api.json" || return 1
    need "$s" "ItemsAPI" || return 1
    keys "$s" Tab j j j
    need "$s" "No Lambda functions yet" || return 1
    # Create function: every default is the lab's (name, Python, the role,
    # the code).
    keys "$s" c
    wk_needs "$s" "Create function" "ItemsFunction" "< python3.13 >" "lambda_function.lambda_handler" || return 1
    # At 80x24 the role shows whole only with the cursor in it.
    keys "$s" Down Down Down
    need "$s" "role/lambda_basic_execution" || return 1
    keys "$s" Enter
    wk_needs "$s" "Created function ItemsFunction" "ItemsFunction › Code" '{"ID": 1, "name": "Pen", "price": 2.5}' ||
        return 1
    # A test event with the lab's {}: the four items come back.
    keys "$s" Tab j
    need "$s" "Test events (0)" || return 1
    keys "$s" c
    wk_needs "$s" "Create test event" "GetItems" "< Lab: all items >" || return 1
    keys "$s" Enter
    need "$s" "Created test event GetItems" || return 1
    keys "$s" x
    wk_needs "$s" "Status: Succeeded" '"name": "Pen"' "Test GetItems on \$LATEST: Succeeded" || return 1
    # Version 1.
    keys "$s" Tab j
    need "$s" "Versions (1)" || return 1
    keys "$s" x
    need "$s" "Publish new version" || return 1
    keys "$s" -l "first"
    keys "$s" Enter
    wk_needs "$s" "Published version 1 of ItemsFunction" "Versions (2)" || return 1
    # A change in the editor, deployed, then version 2.
    keys "$s" Tab k k
    need "$s" "ItemsFunction › Code" || return 1
    keys "$s" e
    wk_needs "$s" "Deployed lambda_function.py to ItemsFunction" "lambda_function.py  (20 lines)" || return 1
    keys "$s" Tab j j
    need "$s" "Versions (2)" || return 1
    keys "$s" x
    need "$s" "Publish new version" || return 1
    keys "$s" -l "second"
    keys "$s" Enter
    wk_needs "$s" "Published version 2 of ItemsFunction" "Versions (3)" || return 1
    # Aliases: dev on $LATEST, prod on the newest version.
    keys "$s" Tab j
    need "$s" "Aliases (0)" || return 1
    keys "$s" c
    need "$s" "Create alias" || return 1
    keys "$s" -l "dev"
    keys "$s" Down
    keys "$s" -l "Development alias"
    keys "$s" Down Right Right
    need "$s" "< \$LATEST >" || return 1
    keys "$s" Enter
    need "$s" "Created alias dev of ItemsFunction: \$LATEST: 100%" || return 1
    keys "$s" c
    need "$s" "Create alias" || return 1
    keys "$s" -l "prod"
    keys "$s" Down
    keys "$s" -l "Production alias"
    keys "$s" Down
    need "$s" "< 2 >" || return 1
    keys "$s" Enter
    wk_needs "$s" "Created alias prod of ItemsFunction: 2: 100%" "Aliases (2)" || return 1

    wk_is "$s" '(fn["latest"]["Runtime"], fn["latest"]["Role"].split("/")[-1])' \
        "('python3.13', 'lambda_basic_execution')" &&
        wk_is "$s" 'sorted(fn["versions"]), fn["versions"]["1"]["config"]["Description"]' "(['1', '2'], 'first')" &&
        wk_is "$s" 'fn["versions"]["1"]["config"]["CodeSha256"] != fn["versions"]["2"]["config"]["CodeSha256"]' True &&
        wk_is "$s" '{n: a["FunctionVersion"] for n, a in fn["aliases"].items()}' "{'dev': '\$LATEST', 'prod': '2'}" ||
        return 1
    # The activity log has the commands that did it.
    keys "$s" L
    wk_needs "$s" "Activity log (" "aws lambda create-alias" "aws lambda publish-version" || return 1
    keys "$s" G
    need "$s" "aws lambda create-function" || return 1
    wk_keep "$s" lambda
}

# --- backend: the GETs on the function's alias through a stage variable ------------

# wk_stage_var SESSION STAGE: lambdaAlias=STAGE in the selected stage's
# details (opened with Enter), then back to the list.
wk_stage_var() {
    local s=$1 name=$2
    keys "$s" Enter
    wk_needs "$s" "ItemsAPI › Stage $name" "none yet; + add a variable" || return 1
    keys "$s" c
    need "$s" "Add stage variable" || return 1
    keys "$s" -l "lambdaAlias"
    keys "$s" Tab
    keys "$s" -l "$name"
    keys "$s" Enter
    need "$s" "Done: Set lambdaAlias=$name on $name" || return 1
    keys "$s" Escape
    need "$s" "lambdaAlias=$name"
}

# wk_to_alias SESSION PATH TABS-TO-LAB: in Method Execution, the
# integration request becomes the function's stage-variable alias (with
# the lab's template when TABS-TO-LAB > 0); the dialog grants both aliases.
wk_to_alias() {
    local s=$1 path=$2 n=$3 i
    keys "$s" g j Enter
    wk_needs "$s" "Integration request settings" "< Mock >" || return 1
    keys "$s" Left Left
    wk_needs "$s" "< Lambda function >" "Functions here" || return 1
    keys "$s" Tab Tab
    keys "$s" -l 'ItemsFunction:${stageVariables.lambdaAlias}'
    if [ "$n" -gt 0 ]; then
        for ((i = 0; i < n; i++)); do keys "$s" Tab; done
        keys "$s" Right
        wk_needs "$s" "< the ID path parameter" '"ID": $input.params("ID")' || return 1
    fi
    keys "$s" Enter
    wk_needs "$s" "Lambda function permissions" "Stage dev (lambdaAlias=dev):" '"ItemsFunction:dev"' \
        "aws lambda add-permission" "Grant it for dev   [x]" || return 1
    keys "$s" Tab
    wk_needs "$s" "Stage prod (lambdaAlias=prod):" '"ItemsFunction:prod"' "Grant it for prod  [x]" \
        "Enter runs the checked ones" || return 1
    keys "$s" Enter
    gone "$s" "Lambda function permissions" && need "$s" "API Gateway may invoke ItemsFunction" || return 1
    need "$s" "GET $path › Method execution" && need "$s" "Lambda function (AWS)"
}

t_walk_backend() {
    local s=walk3 src
    wk_fresh "$s"
    wk_seed lambda || return 1
    start "$s" "$TMPD/walk-lambda.json" || return 1
    need "$s" "ItemsAPI" || return 1
    keys "$s" Enter
    need "$s" "ItemsAPI › Resources (3)" || return 1
    # Stage variables first, so that the permissions can name each alias.
    keys "$s" Tab j Enter
    wk_needs "$s" "ItemsAPI › Stages (2)" "dev" "prod" || return 1
    wk_stage_var "$s" dev || return 1
    keys "$s" j
    wk_stage_var "$s" prod || return 1
    wk_is "$s" '[stage(n)["variables"] for n in ("dev", "prod")]' "[{'lambdaAlias': 'dev'}, {'lambdaAlias': 'prod'}]" ||
        return 1

    # GET /items, then GET /items/{ID} with the lab's ID template (six
    # fields below the function's name).
    keys "$s" Tab k Enter
    wk_needs "$s" "ItemsAPI › Resources (3)" "/{ID}" || return 1
    keys "$s" g j j Enter
    need "$s" "ItemsAPI › GET /items › Method execution" || return 1
    wk_to_alias "$s" /items 0 || return 1
    keys "$s" Escape
    need "$s" "Resource / method" || return 1
    keys "$s" G Enter
    need "$s" "ItemsAPI › GET /items/{ID} › Method execution" || return 1
    wk_to_alias "$s" "/items/{ID}" 6 || return 1

    keys "$s" L
    wk_needs "$s" "aws lambda add-permission" "--qualifier prod" "aws apigateway put-integration" || return 1
    src=$(wk_st "$s" 'api["api"]["id"]')
    wk_is "$s" 'sorted({meth(p, "GET")["methodIntegration"]["uri"].split(":function:")[1] for p in ("/items", "/items/{ID}")})' \
        "['ItemsFunction:\${stageVariables.lambdaAlias}/invocations']" &&
        wk_is "$s" 'meth("/items/{ID}", "GET")["methodIntegration"]["requestTemplates"]["application/json"].split()' \
            "['{', '\"ID\":', '\$input.params(\"ID\")', '}']" &&
        wk_is "$s" 'sorted((q, s["Principal"]["Service"], s["Condition"]["ArnLike"]["AWS:SourceArn"].split(":")[-1]) for q, l in fn["policy"].items() for s in l)' \
            "[('dev', 'apigateway.amazonaws.com', '$src/*/GET/items'), ('dev', 'apigateway.amazonaws.com', '$src/*/GET/items/{ID}'), ('prod', 'apigateway.amazonaws.com', '$src/*/GET/items'), ('prod', 'apigateway.amazonaws.com', '$src/*/GET/items/{ID}')]" ||
        return 1
    wk_keep "$s" backend
}

# --- protect: usage plan and key, API key required, CORS, cache ------------------

t_walk_protect() {
    local s=walk4
    wk_fresh "$s"
    wk_seed backend || return 1
    start "$s" "$TMPD/walk-backend.json" || return 1
    need "$s" "ItemsAPI" || return 1
    # A usage plan with a daily quota of 1000, on dev and prod.
    keys "$s" Tab j Enter
    need "$s" "No usage plans yet" || return 1
    keys "$s" c
    need "$s" "Create usage plan" || return 1
    keys "$s" -l "CloudAcademyPlan"
    keys "$s" Tab
    keys "$s" -l "Cloud Academy Lab Plan"
    keys "$s" Tab Tab Space
    need "$s" "Offset" || return 1
    keys "$s" Tab C-u
    keys "$s" -l "1000"
    need "$s" "< DAY >" || return 1
    keys "$s" Enter
    wk_needs "$s" "Created usage plan CloudAcademyPlan" "Usage plans (1)" "1000 per DAY" || return 1
    keys "$s" Enter
    wk_needs "$s" "Usage plans › CloudAcademyPlan" "No stages: c adds one" || return 1
    keys "$s" c
    wk_needs "$s" "Add a stage to CloudAcademyPlan" "< ItemsAPI (" "< dev >" || return 1
    keys "$s" Enter
    need "$s" "Added stage ItemsAPI/dev to CloudAcademyPlan" || return 1
    keys "$s" c
    need "$s" "Add a stage to CloudAcademyPlan" || return 1
    keys "$s" Tab Right
    need "$s" "< prod >" || return 1
    keys "$s" Enter
    wk_needs "$s" "Added stage ItemsAPI/prod to CloudAcademyPlan" "Associated stages (2)" || return 1
    # A new key made inside the plan.
    keys "$s" G c
    wk_needs "$s" "Add an API key to CloudAcademyPlan" "< New key >" "< Generated >" || return 1
    keys "$s" Tab
    keys "$s" -l "LabKey"
    keys "$s" Tab
    keys "$s" -l "Cloud Academy Lab Key"
    keys "$s" Enter
    wk_needs "$s" "Created API key LabKey" "API keys (1)" "LabKey  used 0 of 1000" || return 1
    wk_is "$s" '(plan["name"], plan["quota"]["limit"], plan["quota"]["period"], sorted(x["stage"] for x in plan["apiStages"]))' \
        "('CloudAcademyPlan', 1000, 'DAY', ['dev', 'prod'])" &&
        wk_is "$s" '(plan["_keys"] == [key["id"]], key["enabled"], len(key["value"]))' "(True, True, 40)" || return 1

    # Back in ItemsAPI: the API key required on both GETs.
    keys "$s" Escape
    need "$s" "Usage plans (1)" || return 1
    keys "$s" Tab k Enter
    need "$s" "APIs (1)" || return 1
    keys "$s" Enter
    need "$s" "ItemsAPI › Resources (3)" || return 1
    local path
    for path in /items "/items/{ID}"; do
        if [ "$path" = /items ]; then keys "$s" g j j Enter; else keys "$s" G Enter; fi
        need "$s" "GET $path › Method execution" || return 1
        keys "$s" g Enter
        wk_needs "$s" "Method request settings" "API key required    [ ]" || return 1
        keys "$s" Tab Space Enter
        need "$s" "Done: Update the method request of GET $path" && need "$s" "API key           required" ||
            return 1
        keys "$s" Escape
        need "$s" "Resource / method" || return 1
    done
    wk_is "$s" '[meth(p, "GET")["apiKeyRequired"] for p in ("/items", "/items/{ID}")]' "[True, True]" || return 1

    # Redeploy prod, then dev.
    keys "$s" D
    need "$s" "Deploy API" || return 1
    keys "$s" Right Right
    need "$s" "< prod >" || return 1
    keys "$s" Tab
    keys "$s" -l "Lambda through lambdaAlias, API key"
    keys "$s" Enter
    need "$s" "Deployed to prod" || return 1
    keys "$s" D
    need "$s" "Deploy API" || return 1
    keys "$s" Right
    need "$s" "< dev >" || return 1
    keys "$s" Enter
    need "$s" "Deployed to dev" || return 1

    # Enable CORS on /items.
    keys "$s" g j C
    need "$s" "Enable CORS on /items" && wk_re "$s" 'GET +\[x\]' || return 1
    keys "$s" Enter
    wk_needs "$s" "Enabled CORS on /items" "OPTIONS" || return 1
    # And on /items/{ID}: the last row is its GET, its resource above.
    keys "$s" G k C
    need "$s" "Enable CORS on /items/{ID}" || return 1
    keys "$s" Enter
    need "$s" "Enabled CORS on /items/{ID}" || return 1
    wk_is "$s" '[meth(p, "OPTIONS")["methodIntegration"]["integrationResponses"]["200"]["responseParameters"]["method.response.header.Access-Control-Allow-Origin"] for p in ("/items", "/items/{ID}")]' \
        "[\"'*'\", \"'*'\"]" || return 1

    # Cache and throttling on prod: its details, the cache row, e.
    keys "$s" Tab j Enter
    need "$s" "ItemsAPI › Stages (2)" || return 1
    keys "$s" j Enter
    need "$s" "ItemsAPI › Stage prod" || return 1
    keys "$s" j j j j j
    keys "$s" e
    wk_needs "$s" "Edit stage prod" "Provision API cache  [ ]" "Throttling           [x]" || return 1
    keys "$s" Tab Space
    wk_needs "$s" "Cache capacity (GB)" "< 0.5 >" "Encrypt cache data" || return 1
    keys "$s" Tab Tab Tab Space Tab C-u
    keys "$s" -l "3600"
    keys "$s" Tab Space Tab
    need "$s" "Unauthorized invalidation" || return 1
    keys "$s" Left
    need "$s" "< Fail the request with 403 >" || return 1
    keys "$s" Enter
    wk_needs "$s" "Done: Update stage prod" "provisioned, 0.5 GB" "TTL 3600 s, encrypted" "10000 requests/s, burst 5000" ||
        return 1
    wk_is "$s" '(stage("prod")["cacheClusterEnabled"], stage("prod")["cacheClusterSize"], stage("dev")["cacheClusterEnabled"])' \
        "(True, '0.5', False)" &&
        wk_is "$s" '[stage("prod")["methodSettings"]["*/*"][k] for k in ("cacheTtlInSeconds", "cacheDataEncrypted", "requireAuthorizationForCacheControl", "unauthorizedCacheControlHeaderStrategy", "throttlingRateLimit", "throttlingBurstLimit")]' \
            "[3600, True, True, 'FAIL_WITH_403', 10000, 5000]" || return 1

    keys "$s" L
    wk_needs "$s" "Activity log (" "aws apigateway update-stage" || return 1
    keys "$s" G
    need "$s" "aws apigateway create-usage-plan" || return 1
    wk_keep "$s" protect
}

# --- verify: prod answers with the key, refuses without -----------------------------

# wk_column SESSION N: the Nth answer column (1: the first stage) of the
# per-stage test, from the view's name ("body") to its end, as text.
wk_column() {
    screen "$1" | python3 -c '
import sys
n = int(sys.argv[1])
out, on = [], False
for line in sys.stdin.read().split("\n"):
    cols = line.split("│")
    if len(cols) < 1 + n:
        continue
    cell = cols[n]
    if cell.strip() in ("body", "headers", "log"):
        on = True
        continue
    if on:
        out.append(cell.rstrip())
print("\n".join(out).strip())' "$2"
}

# wk_prod_is SESSION PYTHON-CHECK: prod's column (the second) passes the
# check, with b its body as text; waits for the answer to come in.
wk_prod_is() {
    local end=$(($(now_ms) + WAIT_S * 1000)) body
    while :; do
        body=$(wk_column "$1" 2)
        python3 -c "import json, sys; b = sys.argv[1]; sys.exit(0 if ($2) else 1)" "$body" 2>/dev/null && return 0
        if [ "$(now_ms)" -ge "$end" ]; then
            LAST_WHY="prod answered '$body', which fails: $2"
            return 1
        fi
        sleep 0.05
    done
}

t_walk_verify() {
    local s=walk5
    wk_fresh "$s"
    wk_seed protect || return 1
    SIZE=160x48 start "$s" "$TMPD/walk-protect.json" || return 1
    need "$s" "ItemsAPI" || return 1
    keys "$s" Enter
    need "$s" "ItemsAPI › Resources (3)" || return 1
    # t on GET /items: e picks the key, Enter sends to every stage.
    keys "$s" g j j t
    wk_needs "$s" "ItemsAPI › Test every stage › GET /items" "x sends the request to every stage" || return 1
    keys "$s" e
    wk_needs "$s" "Request to every stage" "API key (x-api-key)  < none >" || return 1
    keys "$s" BTab Right
    need "$s" "< LabKey >" || return 1
    keys "$s" Enter
    wk_needs "$s" "Every stage answered" "lambdaAlias=prod" "ItemsFunction:prod v2" "ItemsFunction:dev v\$LATEST" ||
        return 1
    wk_re "$s" '│ *200 in [0-9]+ ms +│ *200 in [0-9]+ ms' || return 1
    # prod's body is the function's list, item for item.
    local items
    items=$(python3 -c 'import json, runpy, sys; print(json.dumps(runpy.run_path(sys.argv[1])["items"]))' \
        "$WALK_LAB/lambda_function.py") || { LAST_WHY="cannot read the lab's items"; return 1; }
    wk_prod_is "$s" "json.loads(b) == json.loads('$items') and [i['name'] for i in json.loads(b)] == ['Pen', 'Pencil', 'Highlighter', 'Ruler']" ||
        return 1

    # Without the key: 403 Forbidden from every stage, no Lambda called.
    keys "$s" e
    need "$s" "< LabKey >" || return 1
    keys "$s" BTab Left
    need "$s" "API key (x-api-key)  < none >" || return 1
    keys "$s" Enter
    wk_re "$s" '│ *403 in [0-9]+ ms +│ *403 in [0-9]+ ms' || return 1
    wk_prod_is "$s" "json.loads(b) == {'message': 'Forbidden'}" || return 1
    need "$s" "no Lambda" || return 1

    # GET /items/{ID} (above its OPTIONS) through the lab's template: ID 3
    # is the Highlighter.
    keys "$s" Escape
    need "$s" "Resource / method" || return 1
    keys "$s" G k t
    need "$s" "Test every stage › GET /items/1" || return 1
    keys "$s" e
    need "$s" "Request to every stage" || return 1
    keys "$s" Tab C-u
    keys "$s" -l "/items/3"
    keys "$s" Tab Tab Tab Tab Right
    need "$s" "< LabKey >" || return 1
    keys "$s" Enter
    wk_re "$s" '│ *200 in [0-9]+ ms +│ *200 in [0-9]+ ms' || return 1
    wk_prod_is "$s" "json.loads(b) == {'ID': 3, 'name': 'Highlighter', 'price': 3.0}" || return 1
    # The plan counted prod's and dev's keyed requests.
    wk_is "$s" 'sum(sum(d.values()) for d in plan["_usage"].values())' 4 || return 1
    wk_final "$s" || return 1

    # The lab guide (i) finds every step done, and so does `lab status`
    # (on a copy: its probes call the stages too).
    keys "$s" Escape Escape
    need "$s" "APIs (1)" || return 1
    keys "$s" i
    need "$s" "x: call stages" || return 1
    keys "$s" x # the checks that call the stages and run the test events
    wk_needs "$s" "Lab guide" "Build ItemsAPI with mock methods" "10 Cache and throttle prod" "11 Clean up" || return 1
    local steps
    steps=$(screen "$s" | python3 -c '
import re, sys
for line in sys.stdin:
    part = line.rstrip("\n").split("\u2502")[-1]
    m = re.match(r"^\s?(\S)\s+(\d+) \S.*?\s(\d+)/(\d+)\s*$", part)
    if m and int(m.group(2)) <= 10:  # 11 is the clean-up, after the lab
        print(m.group(2) + (" done" if m.group(1) == "\u2713" and m.group(3) == m.group(4) else " open"))')
    if [ "$(echo "$steps" | grep -c ' done$')" != 9 ] || echo "$steps" | grep -q ' open$'; then
        LAST_WHY="the guide's steps: $(echo "$steps" | tr '\n' ',')"
        return 1
    fi
    cp "$TMPD/$s/state.json" "$TMPD/walk-status.json"
    "$BIN" --state "$TMPD/walk-status.json" lab status >"$TMPD/walk-status.txt" 2>&1 ||
        { LAST_WHY="lab status: $(grep -E '^ +x |checks pass' "$TMPD/walk-status.txt" | tr '\n' ' ')"; return 1; }
    grep -q "Through step 10: [0-9]* checks pass, 0 fail" "$TMPD/walk-status.txt" ||
        { LAST_WHY="lab status said: $(tail -n 1 "$TMPD/walk-status.txt")"; return 1; }
    wk_keep "$s" final
}

# The end state has every piece of the lab.
wk_final() {
    python3 - "$TMPD/$1/state.json" <<'PY' >"$TMPD/walk-final.txt" 2>&1 && return 0
import json, sys
r = json.load(open(sys.argv[1]))["regions"]["us-west-2"]
(api,) = r["restapis"].values()
assert api["api"]["name"] == "ItemsAPI", api["api"]
assert api["api"]["endpointConfiguration"]["types"] == ["REGIONAL"]
paths = {x["path"]: x.get("resourceMethods", {}) for x in api["resources"].values()}
assert sorted(paths) == ["/", "/items", "/items/{ID}"], sorted(paths)
for p in ("/items", "/items/{ID}"):
    assert sorted(paths[p]) == ["GET", "OPTIONS"], (p, sorted(paths[p]))
assert sorted(api["models"]) == ["Empty", "Error", "Item", "Items"], sorted(api["models"])
for p in ("/items", "/items/{ID}"):
    m = paths[p]["GET"]
    assert m["apiKeyRequired"] is True, p
    i = m["methodIntegration"]
    assert i["type"] == "AWS" and i["httpMethod"] == "POST", i
    assert i["uri"].endswith(":function:ItemsFunction:${stageVariables.lambdaAlias}/invocations"), i["uri"]
assert '$input.params("ID")' in paths["/items/{ID}"]["GET"]["methodIntegration"]["requestTemplates"]["application/json"]
st = api["stages"]
assert {n: s["variables"] for n, s in st.items()} == {"dev": {"lambdaAlias": "dev"}, "prod": {"lambdaAlias": "prod"}}
assert st["prod"]["cacheClusterEnabled"] and st["prod"]["cacheClusterSize"] == "0.5"
assert st["prod"]["methodSettings"]["*/*"]["cacheTtlInSeconds"] == 3600
assert not st["dev"]["cacheClusterEnabled"]
# prod serves the deployment made once the key was required.
dep = api["deployments"][st["prod"]["deploymentId"]]
assert len(api["deployments"]) == 4 and dep["description"] == "Lambda through lambdaAlias, API key", dep
(plan,) = r["usageplans"].values()
(key,) = r["apikeys"].values()
assert {"apiId": api["api"]["id"], "stage": "prod"} in plan["apiStages"]
assert plan["_keys"] == [key["id"]] and key["name"] == "LabKey" and key["enabled"]
fn = r["functions"]["ItemsFunction"]
assert fn["latest"]["Runtime"].startswith("python3")
assert sorted(fn["versions"]) == ["1", "2"]
assert {n: a["FunctionVersion"] for n, a in fn["aliases"].items()} == {"dev": "$LATEST", "prod": "2"}
for alias in ("dev", "prod"):
    arns = {s["Condition"]["ArnLike"]["AWS:SourceArn"] for s in fn["policy"][alias]}
    assert any(a.endswith(api["api"]["id"] + "/*/GET/items") for a in arns), arns
PY
    LAST_WHY="end state: $(tail -n 1 "$TMPD/walk-final.txt")"
    return 1
}

E2E_TESTS+=(t_walk_api t_walk_lambda t_walk_backend t_walk_protect t_walk_verify)
