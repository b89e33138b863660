# shellcheck shell=bash
# End-to-end tests of the Lambda part of the console (sourced by run.sh):
# creating ItemsFunction from an empty account, test events and their runs,
# code edits, versions, aliases with weights, and permissions, checked on
# screen and in the state file.

LAMBDA_ROLE=arn:aws:iam::123456789012:role/lambda_basic_execution

# lambda_state SESSION PYTHON-EXPRESSION: evaluate the expression with f
# bound to the state's ItemsFunction (us-west-2); prints what it gives.
lambda_state() {
    python3 - "$TMPD/$1/state.json" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
f = d["regions"]["us-west-2"]["functions"].get("ItemsFunction")
print(eval(sys.argv[2]))
PY
}

# lambda_expect SESSION EXPRESSION WANT: the expression must print WANT.
lambda_expect() {
    local got
    got=$(lambda_state "$1" "$2" 2>&1)
    [ "$got" = "$3" ] || { LAST_WHY="state: $2 gave '$got', not '$3'"; return 1; }
}

# An editor for the tests ($VISUAL): writes the lab's function into an
# empty file, else renames the Pencil item to Marker.
lambda_editor() {
    local ed=$TMPD/lambda-editor.sh
    cp "$HERE/../../assets/lab/lambda_function.py" "$TMPD/lambda_function.py"
    cat >"$ed" <<SH
#!/bin/sh
if grep -q Pencil "\$1"; then sed -i 's/Pencil/Marker/' "\$1"; else cp '$TMPD/lambda_function.py' "\$1"; fi
SH
    chmod +x "$ed"
    echo "$ed"
}

# Open ItemsFunction from the first screen (the lab's state).
lambda_open() {
    local s=$1
    need "$s" "ItemsAPI" || return 1
    keys "$s" Tab j j j
    need "$s" "ItemsFunction" || return 1
    keys "$s" Enter Enter
    need "$s" "Function: ItemsFunc" && need "$s" "ItemsFunction › Code"
}

# From a new account: create ItemsFunction with the lab's code, then save
# and run the lab's test events.
t_lambda_create_and_test() {
    local s=lcreate
    start "$s" empty || return 1
    need "$s" "APIs (0)" || return 1
    keys "$s" Tab j j j
    need "$s" "No Lambda functions yet" || return 1
    keys "$s" c
    need "$s" "Create function" && need "$s" "python3.13" && need "$s" "lambda_function.lambda_handler" ||
        return 1
    # The role must be one that exists: this account's lambda_basic_execution.
    keys "$s" Down Down Down C-u
    keys "$s" -l "$LAMBDA_ROLE"
    keys "$s" Enter
    need "$s" "Function: ItemsFunc" && need "$s" "Created function ItemsFunction" || return 1
    need "$s" "def lambda_handler(event, context):" && need "$s" "lambda_function.py  (19 lines)" &&
        need "$s" "Runtime: python3.13" && need "$s" "Handler: lambda_function.lambda_handler" || return 1
    lambda_expect "$s" 'f["latest"]["Runtime"], f["latest"]["Handler"], f["latest"]["Role"]' \
        "('python3.13', 'lambda_function.lambda_handler', '$LAMBDA_ROLE')" || return 1
    # Test: the lab's first event is offered; x runs it.
    keys "$s" Tab j
    need "$s" "Test events (0)" && need "$s" "No saved test events" || return 1
    keys "$s" c
    need "$s" "Create test event" && need "$s" "Lab: all items" || return 1
    keys "$s" Enter
    need "$s" "Created test event GetItems" && need "$s" "Test events (1)" || return 1
    keys "$s" x
    need "$s" "Status: Succeeded" && need "$s" '"name": "Pencil"' && need "$s" "Duration:" &&
        need "$s" "Billed:" && need "$s" "Test GetItems on \$LATEST: Succeeded" || return 1
    # The log is further down: pages scroll the output.
    keys "$s" NPage NPage
    need "$s" "Function logs" && need "$s" "Event: {}" && need "$s" "END RequestId:" || return 1
    # The next template is the lab's second event, {"ID": 1}.
    keys "$s" c
    need "$s" "Lab: one item" || return 1
    keys "$s" Enter
    need "$s" "Created test event GetItem" || return 1
    keys "$s" x
    need "$s" "Test GetItem on \$LATEST: Succeeded" && need "$s" '"name": "Pen"' || return 1
    screen "$s" | grep -qF '"name": "Pencil"' && { LAST_WHY="one item asked, several shown"; return 1; }
    # {"ID": 5} makes the function raise: the run succeeds, the function fails.
    keys "$s" c
    need "$s" "Lab: no such item" || return 1
    keys "$s" Enter
    need "$s" "Created test event GetItemNotFound" || return 1
    keys "$s" x
    need "$s" "Status: Failed (Unhandled)" && need "$s" '"errorMessage": "NotFoundError"' || return 1
    # The events live in the console's private state, one file per function.
    local ev=$TMPD/$s/xdg/apigw-console/test-events/us-west-2/ItemsFunction.json
    [ "$(stat -c %a "$ev" 2>/dev/null)" = 600 ] || { LAST_WHY="events file $ev is not mode 600"; return 1; }
    local names
    names=$(python3 -c 'import json,sys; print(",".join(e["name"] for e in json.load(open(sys.argv[1]))["events"]))' "$ev")
    [ "$names" = "GetItems,GetItem,GetItemNotFound" ] || { LAST_WHY="saved events: $names"; return 1; }
}

# A test event must have a name the AWS console allows and be JSON: the
# form says what is wrong, with the place, and saves nothing.
t_lambda_event_checked() {
    local s=levent ed=$TMPD/bad-json.sh
    cat >"$ed" <<'SH'
#!/bin/sh
printf '{\n  "ID": \n' >"$1"
SH
    chmod +x "$ed"
    VISUAL=$ed start "$s" || return 1
    lambda_open "$s" || return 1
    keys "$s" Tab j c
    need "$s" "Create test event" || return 1
    keys "$s" C-u
    keys "$s" -l "Bad name"
    keys "$s" Enter
    need "$s" "Event name: 1 to 25 letters" || return 1
    keys "$s" C-u
    keys "$s" -l "Broken"
    keys "$s" Down Down Enter
    need "$s" '"ID":' || return 1
    keys "$s" Up Up Enter
    need "$s" "The event is not valid JSON (line 3" && need "$s" "Create test event" || return 1
    [ ! -e "$TMPD/$s/xdg/apigw-console/test-events/us-west-2/ItemsFunction.json" ] ||
        { LAST_WHY="an invalid event was saved"; return 1; }
}

# The lab's versioning: new code, versions 1 and 2, aliases dev ($LATEST)
# and prod, prod weighted 80/20, a run through prod, and a permission for
# prod added and removed.
t_lambda_versions_aliases() {
    local s=lvers ed
    ed=$(lambda_editor)
    VISUAL=$ed start "$s" || return 1
    lambda_open "$s" || return 1
    # The seeded function has no code yet: e writes the file.
    need "$s" "could not be downloaded" || return 1
    keys "$s" e
    need "$s" "Deployed lambda_function.py to ItemsFunction" && need "$s" '"Pencil"' || return 1
    keys "$s" Tab j j x
    need "$s" "Publish new version" || return 1
    keys "$s" -l "first"
    keys "$s" Enter
    need "$s" "Published version 1 of ItemsFunction" && need "$s" "Versions (2)" || return 1
    # Publishing again without a change gives no new version.
    keys "$s" x
    need "$s" "Publish new version" || return 1
    keys "$s" Enter
    need "$s" "Nothing changed since version 1" || return 1
    keys "$s" Tab k k e
    need "$s" '"Marker"' || return 1
    keys "$s" Tab j j x
    need "$s" "Publish new version" || return 1
    keys "$s" Enter
    need "$s" "Published version 2 of ItemsFunction" && need "$s" "Versions (3)" || return 1
    lambda_expect "$s" 'sorted(f["versions"]), f["versions"]["1"]["config"]["Description"]' \
        "(['1', '2'], 'first')" || return 1
    # Aliases: dev on $LATEST, prod on version 1 (versions come newest first).
    keys "$s" Tab j c
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
    keys "$s" Down Right
    need "$s" "< 1 >" || return 1
    keys "$s" Enter
    need "$s" "Created alias prod of ItemsFunction: 1: 100%" && need "$s" "Aliases (2)" || return 1
    # prod moves to 2 with 20% of the traffic left on 1.
    keys "$s" G e
    need "$s" "Edit alias prod" || return 1
    keys "$s" Down Left Down Space
    need "$s" "Second version" || return 1
    keys "$s" Down Down C-u 2 0 Enter
    need "$s" "Saved alias prod of ItemsFunction: 2: 80% / 1: 20%" || return 1
    local a='f["aliases"]'
    lambda_expect "$s" "$a[\"prod\"][\"FunctionVersion\"], $a[\"prod\"][\"RoutingConfig\"]" \
        "('2', {'AdditionalVersionWeights': {'1': 0.2}})" || return 1
    lambda_expect "$s" "$a[\"dev\"][\"FunctionVersion\"]" "\$LATEST" || return 1
    # A test run through prod: Enter asks for the version or alias.
    keys "$s" Tab k k c
    need "$s" "Create test event" || return 1
    keys "$s" Enter
    need "$s" "Created test event GetItems" || return 1
    keys "$s" Enter
    need "$s" "Run test event GetItems" || return 1
    keys "$s" Right Right
    need "$s" "< prod >" || return 1
    keys "$s" Enter
    need "$s" "Test GetItems on prod: Succeeded" && need "$s" "x runs on prod" || return 1
    # Permissions: one for prod, shown from prod's own policy, then removed.
    keys "$s" Tab j j j c
    need "$s" "Add permission" || return 1
    keys "$s" Right Right
    need "$s" "< prod >" || return 1
    keys "$s" Enter
    need "$s" "Added permission apigateway-invoke-1 to ItemsFunction:prod" || return 1
    need "$s" "Permissions (1)" && need_re "$s" "prod +apigateway-invoke-1" || return 1
    lambda_expect "$s" '[s["Sid"] for s in f["policy"]["prod"]]' "['apigateway-invoke-1']" || return 1
    keys "$s" d
    need "$s" "Remove permission" || return 1
    keys "$s" Enter
    need "$s" "Removed permission apigateway-invoke-1 from ItemsFunction:prod" &&
        need "$s" "Permissions (0)" || return 1
    lambda_expect "$s" 'f["policy"].get("prod", [])' "[]"
}

# A statement the account has (API Gateway for GET /items) shows in full and
# is removed with d.
t_lambda_permission_removed() {
    local s=lperm seed=$TMPD/lambda-perm-seed.json
    python3 - "$HERE/lab-state.json" "$seed" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
f = d["regions"]["us-west-2"]["functions"]["ItemsFunction"]
f["policy"] = {"": [{
    "Sid": "lab-apigw-items", "Effect": "Allow",
    "Principal": {"Service": "apigateway.amazonaws.com"},
    "Action": "lambda:InvokeFunction",
    "Resource": "arn:aws:lambda:us-west-2:123456789012:function:ItemsFunction",
    "Condition": {"ArnLike": {"AWS:SourceArn":
        "arn:aws:execute-api:us-west-2:123456789012:a1b2c3d4e5/*/GET/items"}}}]}
json.dump(d, open(sys.argv[2], "w"))
PY
    start "$s" "$seed" || return 1
    lambda_open "$s" || return 1
    keys "$s" Tab j j j j
    need "$s" "Permissions (1)" && need "$s" "lab-apigw-items" && need "$s" "a1b2c3d4e5/*/GET/items" &&
        need "$s" "lambda:InvokeFunction" && need "$s" "Allow" || return 1
    keys "$s" d
    need "$s" "Remove statement lab-apigw-items" || return 1
    keys "$s" Enter
    need "$s" "Removed permission lab-apigw-items from ItemsFunction" && need "$s" "No permissions" ||
        return 1
    lambda_expect "$s" 'f["policy"].get("", [])' "[]"
}

# Deleting a function asks for "confirm", as the AWS console does.
t_lambda_delete_function() {
    local s=ldelete
    start "$s" || return 1
    need "$s" "ItemsAPI" || return 1
    keys "$s" Tab j j j
    need "$s" "ItemsFunction" || return 1
    keys "$s" d
    need "$s" "Delete function" && need "$s" "Type confirm to confirm" || return 1
    keys "$s" Enter
    need "$s" "Type confirm exactly" || return 1
    keys "$s" -l "confirm"
    keys "$s" Enter
    need "$s" "Deleted function ItemsFunction" && need "$s" "No Lambda functions yet" || return 1
    lambda_expect "$s" 'f' "None"
}

# At 160x48 the whole response and the run's figures fit.
t_lambda_large_screen() {
    local s=llarge ed
    ed=$(lambda_editor)
    SIZE=160x48 VISUAL=$ed start "$s" || return 1
    lambda_open "$s" || return 1
    keys "$s" e
    need "$s" "Deployed lambda_function.py" && need "$s" "Role: arn:aws:iam::123456789012:role/lambda-role" ||
        return 1
    need "$s" 'raise Exception("NotFoundError")' || return 1
    keys "$s" Tab j c
    need "$s" "Create test event" || return 1
    keys "$s" Enter
    need "$s" "Created test event GetItems" || return 1
    keys "$s" x
    need "$s" "Status: Succeeded" && need "$s" '"name": "Ruler"' && need "$s" "Request ID:" &&
        need "$s" "Function logs" && need "$s" "REPORT RequestId:"
}

E2E_TESTS+=(t_lambda_create_and_test t_lambda_event_checked t_lambda_versions_aliases
    t_lambda_permission_removed t_lambda_delete_function t_lambda_large_screen)
