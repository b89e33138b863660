# shellcheck shell=bash
# Every pane and form of the console at 80x24 and at 160x48, on the state
# the lab's walk leaves (tests/e2e/t_walk.sh: ItemsAPI on Lambda aliases,
# the usage plan and its key, ItemsFunction with versions, aliases and
# permissions). One session per size tours them all; each screen must show
# its essential text whole, keep inside the terminal (no line wider than
# it, the frame and any box closed on every row). A tour goes on after a
# failed screen and reports them all. With E2E_VERBOSE=1 the screens are
# kept in $TMPD/screens/SIZE/ and the failing ones printed.

# The walk's steps, when this file runs without t_walk.sh's tests.
if ! declare -F t_walk_protect >/dev/null; then
    ts_tests=("${E2E_TESTS[@]}")
    # shellcheck source=tests/e2e/t_walk.sh
    . "$HERE/t_walk.sh"
    E2E_TESTS=("${ts_tests[@]}")
fi

# ts_seed: the walk's end state in $TMPD/walk-protect.json, walked here when
# no earlier test left it.
ts_seed() {
    [ -f "$TMPD/walk-protect.json" ] && return 0
    local t rc=0
    for t in t_walk_api t_walk_lambda t_walk_backend t_walk_protect; do
        "$t" || {
            LAST_WHY="the walk that makes the state failed at $t: $LAST_WHY"
            rc=1
            break
        }
    done
    # The walk's own tests may run later and start sessions of these names.
    for t in walk1 walk2 walk3 walk4; do tm kill-session -t "$t" 2>/dev/null; done
    return $rc
}

# ts_check W H [overlay]: the screen on stdin fits: H lines, none wider than W
# display columns; the title ends with the region; the menu's border runs
# down every row (unless an overlay covers it); a box ┌…┐ is closed by │ on
# both sides of each of its rows down to └…┘. Prints what is wrong.
ts_check() {
    python3 -c '
import sys, unicodedata
w, h, overlay = int(sys.argv[1]), int(sys.argv[2]), len(sys.argv) > 3
lines = sys.stdin.buffer.read().decode("utf-8", "replace").split("\n")
if lines and lines[-1] == "":
    lines.pop()
def cw(c):
    if unicodedata.combining(c):
        return 0
    return 2 if unicodedata.east_asian_width(c) in "WF" else 1
def cells(s):
    out = []
    for c in s:
        out.append(c)
        if cw(c) == 2:
            out.append("")
    return out
bad = []
if len(lines) != h:
    print("%d lines, not %d" % (len(lines), h))
    sys.exit(0)
for i, l in enumerate(lines):
    if len(cells(l)) > w:
        bad.append("line %d is %d columns wide" % (i + 1, len(cells(l))))
if lines and not (lines[0].startswith(" apigw-console") and lines[0].rstrip().endswith("us-west-2")):
    bad.append("title line: %r" % lines[0])
rows = [cells(l) + [" "] * (w - len(cells(l))) for l in lines]
# The menu is 22 columns wide, 30 from 140 columns on.
edge = 29 if w >= 140 else 21
if not overlay:
    for i in range(1, h - 1):
        if rows[i][edge] not in "│|":
            bad.append("row %d: the menu border is %r" % (i + 1, rows[i][edge]))
            break
for i, r in enumerate(rows):
    s = "".join(r)
    a = s.find("┌─")
    if a < 0:
        continue
    b = s.find("┐", a)
    if b < 0:
        bad.append("row %d: a box opens without its corner" % (i + 1))
        continue
    b = len(cells(s[:b]))
    a = len(cells(s[:a]))
    for j in range(i + 1, h):
        left, right = rows[j][a], rows[j][b]
        if left == "└":
            if right != "┘":
                bad.append("row %d: the box closes with %r" % (j + 1, right))
            break
        if left != "│" or right not in "│▲▼":
            bad.append("row %d: the box side is %r...%r" % (j + 1, left, right))
            break
    else:
        bad.append("row %d: the box never closes" % (i + 1))
print("; ".join(bad))' "$@"
}

# ts_reset SESSION: back to the APIs list from anywhere, to start a leg of
# the tour: Esc leaves forms, views and the open API or function; the
# menu's first row, clicked, is APIs (or, inside an API or function, the
# way out of it).
ts_reset() {
    TS_SKIP=""
    local _
    for _ in 1 2 3; do
        keys "$1" Escape Escape Escape
        sleep 0.05
        click "$1" 4 3
        sleep 0.05
        click "$1" 4 3
        keys "$1" Enter
        WAIT_S=1 need "$1" "APIs (1)" && WAIT_S=1 need "$1" "API Gateway › APIs  " && return 0
    done
    TS_BAD="$TS_BAD${TS_BAD:+; }could not get back to the APIs list"
    TS_SKIP=reset
    return 1
}

# ts_visit SESSION NAME KEYS TEXT...: press KEYS (one send-keys line,
# words split) and wait for every TEXT (~TEXT: an extended regex, for a
# table's row whose spacing follows the width); then check the screen. A
# failure is added to TS_BAD; the screen is kept when verbose.
ts_visit() {
    local s=$1 name=$2 k=$3 t why="" shot
    shift 3
    TS_SEEN=$((TS_SEEN + 1))
    # After a failure the leg's place is unknown: its other screens wait
    # for the next reset.
    [ -n "$TS_SKIP" ] && return 1
    # shellcheck disable=SC2086 # KEYS are words on purpose
    [ -n "$k" ] && keys "$s" $k
    for t in "$@"; do
        if [ "${t:0:1}" = "~" ]; then
            wk_re "$s" "${t:1}" && continue
        else
            need "$s" "$t" && continue
        fi
        why="'$t' never showed"
        break
    done
    shot=$TS_DIR/$name.txt
    screen "$s" >"$shot"
    if [ -z "$why" ]; then
        local flags=()
        case $name in help_*) flags=(overlay) ;; esac
        why=$(ts_check "${TS_SIZE%x*}" "${TS_SIZE#*x}" "${flags[@]}" <"$shot")
    fi
    if [ -n "$why" ]; then
        TS_BAD="$TS_BAD${TS_BAD:+; }$name: $why"
        TS_SKIP=$name
        if [ "${E2E_VERBOSE:-}" = 1 ]; then
            echo "screen $TS_SIZE $name: $why"
            sed 's/^/    | /' "$shot"
        fi
        return 1
    fi
}

# ts_go SESSION KEYS TEXT: a step between screens (KEYS, then TEXT shows);
# a failure skips the rest of the leg like a failed screen.
ts_go() {
    [ -n "$TS_SKIP" ] && return 1
    # shellcheck disable=SC2086
    keys "$1" $2
    need "$1" "$3" && return 0
    TS_BAD="$TS_BAD${TS_BAD:+; }after '$2': $LAST_WHY"
    TS_SKIP=$2
    return 1
}

# The tour, in legs that each start from the APIs list: every pane, its
# create form, the help. $TS_A, $TS_P and $TS_K are the API's, the plan's
# and the key's ids; wide adds what only 160 columns show.
ts_tour() {
    local s=$1 wide=$2 w1="" w3="" w4=""
    # What 160 columns must show whole (80 cannot: see t_screens_whole).
    if [ "$wide" = wide ]; then
        w1=CloudAcademyPlan w3=" */GET/items/{ID}" w4="key LabKey"
    fi
    ts_visit "$s" apis "" "APIs (1)" "ItemsAPI" "$TS_A" "REGIONAL"
    ts_visit "$s" apis_create "c" "Create REST API" "API name" "Description (optional)" \
        "API endpoint type" "< Regional >" "Private: only from your VPCs." "Enter save · Esc cancel · Tab next"
    ts_visit "$s" help_apis "Escape ?" "Keys › APIs" "Move up" "Filter the list" "Create" "Esc closes"
    ts_reset "$s"

    ts_visit "$s" plans "Tab j Enter" "Usage plans (1)" "$TS_P" "1000 per DAY" "$w1"
    ts_visit "$s" plans_create "c" "Create usage plan" "Description (optional)" \
        "Throttling: limit the request rate of each key" "Quota: cap the requests of each key per period"
    ts_visit "$s" plan "Escape Enter" "Usage plans › CloudAcademyPlan" "Cloud Academy Lab Plan" \
        "Quota        1000 per DAY" "Associated stages (2)" "ItemsAPI  $TS_A  dev" "ItemsAPI  $TS_A  prod" \
        "API keys (1)" "LabKey  $TS_K  enabled" "LabKey  used 0 of 1000, 1000 left" \
        "e edit  d delete the plan  c add a stage  Esc back"
    ts_visit "$s" plan_add_stage "c" "Add a stage to CloudAcademyPlan" "< ItemsAPI ($TS_A) >" "< dev >"
    ts_visit "$s" plan_add_key "Escape G c" "Add an API key to CloudAcademyPlan" "< New key >" "< Generated >" \
        "Description (optional)"
    ts_reset "$s"

    ts_visit "$s" keys "Tab j j Enter" "API keys (1)" "LabKey" "$TS_K" "••••"
    ts_visit "$s" keys_create "c" "Create API key" "Description (optional)" "< Generated >" "Enabled" \
        "Add to usage plan       < none >"
    ts_reset "$s"

    ts_visit "$s" functions "Tab j j j Enter" "Lambda functions (1)" "ItemsFunction" "python3.13" "128 MB" "3 s"
    ts_visit "$s" functions_create "c" "Create function" "Function name" "< python3.13 >" \
        "lambda_function.lambda_handler" "Execution role" "An existing role Lambda can assume" "Enter to edit"
    ts_visit "$s" fn_code "Escape Enter" "ItemsFunction › Code" "Runtime: python3.13" "Memory: 128 MB" \
        "Handler: lambda_function.lambda_handler" "role/lambda_basic_execution" \
        "lambda_function.py  (20 lines)" '{"ID": 4, "name": "Ruler", "price": 5.0},' \
        "def lambda_handler(event, context):"
    ts_reset "$s"

    # The function's sections: Functions, Enter (Code), then the menu.
    local fn="Tab j j j Enter Enter Tab"
    ts_visit "$s" fn_test "$fn j Enter" "ItemsFunction › Test events (0)" "x runs on \$LATEST" \
        "No saved test events: c creates one"
    ts_visit "$s" fn_test_create "c" "Create test event" "Event name  GetItems" "< Lab: all items >" \
        "Event JSON  {}"
    ts_visit "$s" fn_test_saved "Enter" "Created test event GetItems" "Test events (1)"
    ts_visit "$s" fn_test_run "x" "Status: Succeeded" "Event: GetItems" "Version: \$LATEST" "Memory used:" \
        '"name": "Pen"'
    ts_visit "$s" activity "L" "Activity log (1)" "aws lambda invoke --function-name"
    ts_reset "$s"
    ts_visit "$s" fn_versions "$fn j j Enter" "Versions (3)" "~\\\$LATEST +dev " "~│ 1 +first " "~│ 2 +prod +second "
    ts_visit "$s" fn_versions_publish "x" "Publish new version" "Version description" \
        "The version is a copy of \$LATEST's code"
    ts_reset "$s"
    ts_visit "$s" fn_aliases "$fn j j j Enter" "Aliases (2)" \
        "~│ dev +\\\$LATEST +\\\$LATEST: 100% +Development alias" "~│ prod +2 +2: 100% +Production alias"
    ts_visit "$s" fn_aliases_create "c" "Create alias" "Description" "< 2 >" "Weighted alias  [ ]"
    ts_reset "$s"
    ts_visit "$s" fn_perms "$fn j j j j Enter" "ItemsFunction › Permissions (4)" "Statement ID" \
        "Principal     apigateway.amazonaws.com" "Action        lambda:InvokeFunction" "Source ARN" "Scope         dev" \
        "$w3"
    ts_visit "$s" fn_perms_add "c" "Add permission" "< function >" "apigateway-invoke-1" \
        "apigateway.amazonaws.com" "lambda:InvokeFunction"
    ts_reset "$s"

    # Inside ItemsAPI.
    ts_visit "$s" resources "Enter" "ItemsAPI › Resources (3)" "/items" "├─ GET" "OPTIONS" "/{ID}" \
        "AWS · API key" "MOCK"
    ts_visit "$s" resources_create "c" "Create in /" "< Resource >" "Proxy resource" "Resource name" \
        "CORS (OPTIONS for all origins)"
    ts_visit "$s" help_resources "Escape ?" "Keys › Resources" "Deploy the API" "Enable CORS" "Test the method" \
        "Test every stage" "Unfold; to content"
    ts_visit "$s" deploy "Escape D" "Deploy API" "< New stage >" "New stage name" "Deployment description"
    ts_visit "$s" cors "Escape g j C" "Enable CORS on /items" "Gateway response DEFAULT 4XX" \
        "Access-Control-Allow-Methods (OPTIONS always):" "Access-Control-Allow-Origin   *"
    ts_reset "$s"
    ts_go "$s" Enter "AWS · API key"
    ts_visit "$s" method "g j j Enter" "ItemsAPI › GET /items › Method execution" \
        "API key           required" "Integration type  Lambda function (AWS)" "WHEN_NO_MATCH" \
        "Access-Control-Allow-Origin" "models application/json=Empty"
    ts_visit "$s" method_integ "g j Enter" "Integration request settings" "< Lambda function >" \
        "Lambda proxy integration" "< (as typed above) >" "Use the lab's template"
    ts_visit "$s" method_add "Escape G c" "Add a method response" "HTTP status code" "Response headers" \
        "application/json=Empty"
    ts_visit "$s" test_method "Escape T" "ItemsAPI › GET /items › Test" "Request          GET /items" \
        "Not run yet: x runs the method without deploying it"
    ts_visit "$s" test_method_form "e" "Test GET /items" "Query string" "Stage variables" "Request body"
    ts_reset "$s"
    ts_go "$s" Enter "AWS · API key"
    ts_visit "$s" stagetest "g j j t" "ItemsAPI › Test every stage › GET /items" \
        "x sends the request to every stage; e edits it first"
    ts_visit "$s" stagetest_form "e" "Request to every stage" "Path                 /items" \
        "API key (x-api-key)  < none >"
    if [ "$wide" = wide ]; then
        ts_visit "$s" stagetest_run "BTab Right Enter" "Every stage answered" "lambdaAlias=prod" \
            "ItemsFunction:prod v2" "ItemsFunction:dev v\$LATEST" '"name": "Highlighter",' '"name": "Ruler",' "$w4"
    else
        ts_visit "$s" stagetest_run "BTab Right Enter" "Every stage answered" "lambdaAlias=prod" \
            "ItemsFunction:prod v2" '"name": "Pen",'
    fi
    ts_reset "$s"
    ts_visit "$s" stages "Enter Tab j Enter" "ItemsAPI › Stages (2)" "lambdaAlias=dev" "lambdaAlias=prod" "0.5 GB"
    ts_visit "$s" stage "j Enter" "ItemsAPI › Stage prod" "Invoke URL" "lambdaAlias     prod" \
        "provisioned, 0.5 GB (AVAILABLE)" "TTL 3600 s, encrypted" "10000 requests/s, burst 5000" \
        "Deployment history  x roll back to the selected one"
    ts_visit "$s" stage_var "c" "Add stage variable" "Read in mappings as \${stageVariables.name}"
    ts_visit "$s" stage_edit "Escape j j j j j e" "Edit stage prod" "Provision API cache" "< 0.5 >" \
        "Encrypt cache data" "< Fail the request with 403 >"
    ts_reset "$s"
    ts_visit "$s" models "Enter Tab j j Enter" "ItemsAPI › Models (4)" "~│ Empty +application/json" \
        "~│ Item +application/json" "~│ Items +application/json"
    ts_visit "$s" models_create "c" "Create model" "Content type  application/json" "Schema" "Enter to edit"
    ts_visit "$s" help_models "Escape ?" "Keys › Models" "Esc closes"
    ts_reset "$s"

    # Last, as its checks call the stages and run the function (x): the
    # lab guide (i), every step done, the clean-up still to do.
    ts_visit "$s" guide "i x" "Lab guide" "Enable CORS" "10 Cache and throttle prod" "11 Clean up" \
        "no API key named LabKey" "What to do"
    ts_go "$s" i "REGIONAL"
}

# ts_run SIZE [wide]: the tour at that size on the walk's end state.
ts_run() {
    ts_seed || return 1
    local s=scr_${1/x/_}
    TS_SIZE=$1 TS_DIR=$TMPD/screens/$1 TS_BAD="" TS_SEEN=0 TS_SKIP=""
    mkdir -p "$TS_DIR"
    mkdir -p "$TMPD/scr_ids"
    cp "$TMPD/walk-protect.json" "$TMPD/scr_ids/state.json"
    TS_A=$(wk_st scr_ids 'api["api"]["id"]') TS_P=$(wk_st scr_ids 'plan["id"]') TS_K=$(wk_st scr_ids 'key["id"]')
    SIZE=$1 start "$s" "$TMPD/walk-protect.json" || return 1
    need "$s" "ItemsAPI" || return 1
    ts_tour "$s" "${2:-}"
    # After all that, q quits cleanly from the APIs list.
    ts_reset "$s" && ts_go "$s" q "EXIT=0 STTY=same"
    [ "${E2E_VERBOSE:-}" = 1 ] || rm -rf "$TS_DIR"
    [ "$TS_SEEN" = 45 ] || TS_BAD="$TS_BAD${TS_BAD:+; }only $TS_SEEN screens were visited"
    [ -z "$TS_BAD" ] || { LAST_WHY=$TS_BAD; return 1; }
}

t_screens_80() { ts_run 80x24; }

t_screens_160() { ts_run 160x48 wide; }

# Values the lab relies on must show whole, at 80x24 too.
ts_whole() {
    local s=$1 what=$2 k=$3 t=$4
    [ -n "$TS_SKIP" ] && return 1
    # shellcheck disable=SC2086
    [ -n "$k" ] && keys "$s" $k
    need "$s" "$t" && return 0
    TS_BAD="$TS_BAD${TS_BAD:+; }$what: '$t' is not whole"
    return 1
}

t_screens_whole() {
    ts_seed || return 1
    local s=scr_whole w=scr_whole_w
    TS_BAD="" TS_SKIP=""
    start "$s" "$TMPD/walk-protect.json" && need "$s" "ItemsAPI" || return 1
    ts_go "$s" "Tab j Enter" "Usage plans (1)"
    ts_whole "$s" "the plan's name in Usage plans at 80x24" "" "CloudAcademyPlan"
    ts_reset "$s"
    ts_go "$s" "Tab j j j Enter Enter Tab j j j j Enter" "Permissions (4)"
    ts_whole "$s" "the source of each permission in the list at 80x24" "" " */GET/items/{ID}"
    ts_reset "$s"
    ts_go "$s" Enter "AWS · API key"
    ts_go "$s" "g j j t e" "Request to every stage"
    ts_go "$s" "BTab Right Enter" "Every stage answered"
    ts_whole "$s" "the key the per-stage test sends, at 80x24" "" "key LabKey"
    SIZE=160x48 start "$w" "$TMPD/walk-protect.json" && need "$w" "ItemsAPI" || return 1
    TS_SKIP=""
    ts_go "$w" "Tab j j j Enter c" "Create function"
    ts_whole "$w" "the default role in Create function at 160x48" "" "role/lambda_basic_execution"
    ts_reset "$w"
    ts_whole "$w" "the function's name in the menu at 160x48" "Tab j j j Enter Enter" "Function: ItemsFunction"
    [ -z "$TS_BAD" ] || { LAST_WHY=$TS_BAD; return 1; }
}

E2E_TESTS+=(t_screens_80 t_screens_160 t_screens_whole)
