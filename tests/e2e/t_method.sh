# shellcheck shell=bash
# Method Execution and its Test view, following the lab: GET /items moved
# from its integration to Lambda ItemsFunction (the permission added on the
# function), API key required switched, a request template written in the
# user's editor (a fake $VISUAL), the Test run showing the function's
# answer, then ItemsFunction:${stageVariables.lambdaAlias} with the
# per-stage permission dialog; and the Mock GET /items/{ID} with the lab's
# response template, tested with a path parameter. At 80x24 and 160x48.
# Results are checked on screen and in the state file.

# me_st SESSION PYTHON-EXPRESSION: evaluate over the state file (r: the
# region, get: GET of /items, item: GET of /items/{ID}, fn: ItemsFunction).
me_st() {
    python3 - "$TMPD/$1/state.json" "$2" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["regions"]["us-west-2"]
res = r["restapis"]["a1b2c3d4e5"]["resources"]
get = res["itm4567890"]["resourceMethods"]["GET"]
item = res["idr9876543"]["resourceMethods"]["GET"]
fn = r["functions"]["ItemsFunction"]
print(eval(sys.argv[2]))
PY
}

# me_is SESSION EXPRESSION WANT
me_is() {
    local got
    got=$(me_st "$1" "$2")
    [ "$got" = "$3" ] || { LAST_WHY="state: $2 was '$got', not '$3'"; return 1; }
}

# The lab state with ItemsFunction's code in place (lab-state.json holds
# none); method-slow.json: the same function taking 1.5 s per call. And an
# editor that writes {"ID": 2} as the template.
me_setup() {
    [ -f "$TMPD/method-seed.json" ] && return 0
    python3 - "$HERE/lab-state.json" "$HERE/../../assets/lab/lambda_function.py" "$TMPD" <<'PY'
import base64, hashlib, io, json, sys, zipfile
def seed(code, out):
    d = json.load(open(sys.argv[1]))
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w") as z:
        z.writestr("lambda_function.py", code)
    data = b.getvalue()
    fn = d["regions"]["us-west-2"]["functions"]["ItemsFunction"]
    fn["_zip"] = base64.b64encode(data).decode()
    fn["latest"]["CodeSize"] = len(data)
    fn["latest"]["CodeSha256"] = base64.b64encode(hashlib.sha256(data).digest()).decode()
    json.dump(d, open(out, "w"))
code = open(sys.argv[2]).read()
seed(code, sys.argv[3] + "/method-seed.json")
slow = code.replace("def lambda_handler(event, context):\n",
                    "def lambda_handler(event, context):\n    __import__('time').sleep(1.5)\n")
assert slow != code
seed(slow, sys.argv[3] + "/method-slow.json")
PY
    cat >"$TMPD/method-visual.sh" <<'SH'
#!/bin/sh
# The user's editor: writes the template into the file it is given.
printf '{"ID": 2}\n' >"$1"
SH
    chmod +x "$TMPD/method-visual.sh"
}

# me_open SESSION DOWNS: from the APIs list into ItemsAPI's tree, DOWNS
# rows down (2: GET /items, 5: GET /items/{ID}), Enter.
me_open() {
    local s=$1 i
    need "$s" "ItemsAPI" || return 1
    keys "$s" Enter
    need "$s" "ItemsAPI › Resources" && need "$s" "/{ID}" || return 1
    for ((i = 0; i < $2; i++)); do keys "$s" j; done
    keys "$s" Enter
    if ! need "$s" "Method execution" || ! need "$s" "Integration request"; then
        LAST_WHY="Method Execution did not open ($LAST_WHY)"
        return 1
    fi
}

# The lab's steps on GET /items at the current SIZE.
me_lab_flow() {
    local s=$1 src="arn:aws:execute-api:us-west-2:123456789012:a1b2c3d4e5/*/GET/items"
    me_setup
    VISUAL="$TMPD/method-visual.sh" start "$s" "$TMPD/method-seed.json" || return 1
    me_open "$s" 2 || return 1
    need "$s" "Lambda function (AWS)" || return 1

    # Integration request → Lambda ItemsFunction.
    keys "$s" g j Enter
    need "$s" "Integration request settings" && need "$s" "Functions here" || return 1
    keys "$s" Tab Tab C-u
    keys "$s" -l "ItemsFunction"
    keys "$s" Enter
    need "$s" "ItemsFunction (AWS); permission added" || return 1
    me_is "$s" 'get["methodIntegration"]["type"]' "AWS" &&
        me_is "$s" 'get["methodIntegration"]["uri"]' \
            "arn:aws:apigateway:us-west-2:lambda:path/2015-03-31/functions/arn:aws:lambda:us-west-2:123456789012:function:ItemsFunction/invocations" &&
        me_is "$s" '[(x["Principal"]["Service"], x["Action"], x["Condition"]["ArnLike"]["AWS:SourceArn"]) for x in fn["policy"][""]]' \
            "[('apigateway.amazonaws.com', 'lambda:InvokeFunction', '$src')]" || return 1

    # Method request: API key required off, then on again.
    keys "$s" g Enter
    need "$s" "Method request settings" || return 1
    keys "$s" Tab Space Enter
    need "$s" "not required" || return 1
    me_is "$s" 'get["apiKeyRequired"]' "False" || return 1
    keys "$s" g Enter
    need "$s" "Method request settings" || return 1
    keys "$s" Tab Space Enter
    gone "$s" "not required" && need "$s" "API key           required" || return 1
    me_is "$s" 'get["apiKeyRequired"]' "True" || return 1

    # A request template from the editor: the new template is the 7th field.
    keys "$s" g j Enter
    need "$s" "Integration request settings" || return 1
    keys "$s" Tab Tab Tab Tab Tab Tab Enter
    need "$s" '{"ID": 2}' || return 1
    keys "$s" Tab Enter
    need "$s" "Done: Update the integration request of GET /items" || return 1
    me_is "$s" 'get["methodIntegration"]["requestTemplates"]' "{'application/json': '{\"ID\": 2}'}" || return 1
    need "$s" 'application/json: {"ID": 2}' || return 1

    # Test: the function gets {"ID": 2} and answers with the Pencil.
    keys "$s" T
    need "$s" "GET /items › Test" && need "$s" "Not run yet" || return 1
    keys "$s" x
    need_re "$s" 'Status +200' && need "$s" '"name": "Pencil"' && need "$s" "Latency" || return 1
    screen "$s" | grep -qF "Ruler" && { LAST_WHY="the template did not reach the function"; return 1; }
    need "$s" "Test GET /items: status 200" || return 1
    # The log scrolls into view.
    keys "$s" G
    need "$s" "Method completed with" || return 1

    # Back: the function through the stage variable, and the dialog.
    keys "$s" Escape
    need "$s" "Method execution" || return 1
    keys "$s" g j Enter
    need "$s" "Integration request settings" || return 1
    keys "$s" Tab Tab C-u
    # shellcheck disable=SC2016 # the stage variable is literal text
    keys "$s" -l 'ItemsFunction:${stageVariables.lambdaAlias}'
    keys "$s" Enter
    need "$s" "Lambda function permissions" && need "$s" "Stage dev (lambdaAlias=dev):" &&
        need "$s" '"ItemsFunction:dev"' && need "$s" "aws lambda add-permission" &&
        need "$s" "apigateway.amazonaws.com" || return 1
    # prod's command further down.
    keys "$s" Tab
    need "$s" "Stage prod (lambdaAlias=prod):" && need "$s" '"ItemsFunction:prod"' || return 1
    # shellcheck disable=SC2016
    me_is "$s" 'get["methodIntegration"]["uri"].split("/")[-2]' \
        'arn:aws:lambda:us-west-2:123456789012:function:ItemsFunction:${stageVariables.lambdaAlias}' || return 1
    keys "$s" Escape
    gone "$s" "Lambda function permissions" || return 1
    # Nothing was granted for the aliases.
    me_is "$s" 'sorted(fn["policy"].keys())' "['']"
}

t_method_lab() { me_lab_flow mlab; }

t_method_lab_wide() {
    SIZE=160x48 me_lab_flow mwide || return 1
    # The diagram, drawn with the theme's boxes, names the function.
    need mwide "Client ───▶" && need mwide "◀───" && need mwide "│ Lambda function" || return 1
}

# The Mock GET /items/{ID}: the lab's one-item template, then a Test with
# the ID path parameter, and the boxes clicked.
me_mock_flow() {
    local s=$1
    start "$s" || return 1
    me_open "$s" 5 || return 1
    need "$s" "Mock" || return 1
    # The 200 integration response: the lab's template for one item.
    keys "$s" g j j Enter
    need "$s" "Integration response 200" && need "$s" "Use the lab's template" || return 1
    keys "$s" Tab Tab Tab Tab Right Right
    need "$s" 'parseInt' || return 1
    keys "$s" Enter
    need "$s" "Done: Update the 200 integration response of GET /items/{ID}" || return 1
    me_is "$s" '"parseInt" in item["methodIntegration"]["integrationResponses"]["200"]["responseTemplates"]["application/json"]' \
        "True" || return 1
    # Test with ID 3: foo3 at 4.5.
    keys "$s" T
    need "$s" "GET /items/{ID} › Test" || return 1
    keys "$s" x
    need "$s" "Test GET /items/{ID}" && need "$s" "Give every path parameter a value" || return 1
    keys "$s" 3 Enter
    need_re "$s" 'Status +200' && need "$s" '"name": "foo3"' && need "$s" '"price": 4.5' &&
        need "$s" "GET /items/3" || return 1
    keys "$s" Escape
    need "$s" "Method execution"
}

t_method_mock() { me_mock_flow mmock; }

# At 160x48 a click on a box selects it; a double click opens its form.
t_method_mock_wide() {
    local s=mmockw
    SIZE=160x48 start "$s" || return 1
    me_open "$s" 5 || return 1
    need "$s" "Mock endpoint" && need "$s" "Client ◀───" || return 1
    # Where the box's title is on screen (1-based, in characters).
    local at
    at=$(screen "$s" | python3 -c '
import sys
for y, line in enumerate(sys.stdin.read().split("\n")):
    x = line.find("│ Method request")
    if x >= 0:
        print(x + 3, y + 1)
        break')
    [ -n "$at" ] || { LAST_WHY="no Method request box"; return 1; }
    # shellcheck disable=SC2086
    click "$s" $at 2
    need "$s" "Method request settings" || return 1
    keys "$s" Tab Space Enter
    need "$s" "Done: Update the method request of GET /items/{ID}" || return 1
    me_is "$s" 'item["apiKeyRequired"]' "True" || return 1
    # A 400 method response, then its deletion.
    keys "$s" G
    keys "$s" c
    need "$s" "Add a method response" || return 1
    keys "$s" -l 400
    keys "$s" Enter
    need "$s" "Done: Add the 400 method response of GET /items/{ID}" || return 1
    me_is "$s" 'item["methodResponses"]["400"]["responseModels"]' "{'application/json': 'Empty'}" || return 1
    keys "$s" G k
    keys "$s" d
    need "$s" "Delete the method response for status 400" || return 1
    keys "$s" Enter
    need "$s" "Done: Delete the 400 method response of GET /items/{ID}" || return 1
    me_is "$s" 'sorted(item["methodResponses"])' "['200']"
}

# A test that takes a while: "Running" meanwhile, the console answering
# keys, and the answer still reported after its view was closed.
t_method_running() {
    local s=mrun
    me_setup
    start "$s" "$TMPD/method-slow.json" || return 1
    me_open "$s" 2 || return 1
    keys "$s" g j Enter
    need "$s" "Integration request settings" || return 1
    keys "$s" Tab Tab C-u
    keys "$s" -l "ItemsFunction"
    keys "$s" Enter
    need "$s" "permission added" || return 1
    keys "$s" T x
    need "$s" "Running…" || return 1
    local t0
    t0=$(now_ms)
    keys "$s" Escape
    need "$s" "Method execution" || return 1
    [ $(($(now_ms) - t0)) -lt 1000 ] || { LAST_WHY="the console did not answer while the test ran"; return 1; }
    gone "$s" "Running…" && need "$s" "Test GET /items: status 200" || return 1
    # Opened again, the view starts afresh.
    keys "$s" T
    need "$s" "Not run yet"
}

# Without UTF-8 the diagram is drawn in ASCII.
t_method_ascii() {
    local s=mascii
    LOCALE=C SIZE=160x48 start "$s" || return 1
    need "$s" "ItemsAPI" && keys "$s" Enter && need "$s" "/{ID}" || return 1
    keys "$s" j j j j j Enter
    need "$s" "Client --->|" && need "$s" "|<-----|" && need "$s" "+-----" && need "$s" "| Mock endpoint" || return 1
    screen "$s" | grep -qE '│|─|▶' && { LAST_WHY="UTF-8 line drawing in the C locale"; return 1; }
    return 0
}

E2E_TESTS+=(t_method_lab t_method_lab_wide t_method_mock t_method_mock_wide t_method_running t_method_ascii)
