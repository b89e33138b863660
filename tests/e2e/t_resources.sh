# shellcheck shell=bash
# The resources tree: the lab's /items and /items/{ID} with mock GET
# methods built by keystrokes from a new account, a method and a resource
# deleted, and CORS enabled on /items — checked on screen and in the state
# file. Sourced by run.sh.

# res_state SESSION: the first API's resources as lines
#   "<path> <VERB> <integration type>" and, for OPTIONS and GET, the 200
#   responses' CORS headers: "<path> <VERB> mr <header>=<value>" and
#   "<path> <VERB> ir <header>=<value>".
res_state() {
    python3 - "$TMPD/$1/state.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
apis = d["regions"]["us-west-2"]["restapis"]
api = next(iter(apis.values()))
for r in sorted(api["resources"].values(), key=lambda r: r["path"]):
    print(r["path"])
    for verb, m in sorted(r.get("resourceMethods", {}).items()):
        integ = m.get("methodIntegration", {})
        print(r["path"], verb, integ.get("type", "none"), json.dumps(integ.get("requestTemplates", {})))
        pre = "method.response.header."
        for k, v in m.get("methodResponses", {}).get("200", {}).get("responseParameters", {}).items():
            print(r["path"], verb, "mr", k[len(pre):] + "=" + json.dumps(v))
        for k, v in integ.get("integrationResponses", {}).get("200", {}).get("responseParameters", {}).items():
            print(r["path"], verb, "ir", k[len(pre):] + "=" + v)
PY
}

# has_line SESSION LINE: the state comes to hold that exact line (jobs
# may still be saving when the screen shows their first step).
has_line() {
    local end=$(($(now_ms) + WAIT_S * 1000))
    until res_state "$1" | grep -xF -- "$2" >/dev/null; do
        if [ "$(now_ms)" -ge "$end" ]; then
            LAST_WHY="state lacks '$2'; it has: $(res_state "$1" | tr '\n' '|')"
            return 1
        fi
        sleep 0.05
    done
}

lacks_line() {
    local end=$(($(now_ms) + WAIT_S * 1000))
    while res_state "$1" | grep -xF -- "$2" >/dev/null; do
        if [ "$(now_ms)" -ge "$end" ]; then
            LAST_WHY="state still has '$2'"
            return 1
        fi
        sleep 0.05
    done
}

# need_rows SESSION TEXT N: wait until N screen lines hold TEXT.
need_rows() {
    local end=$(($(now_ms) + WAIT_S * 1000))
    until [ "$(screen "$1" | grep -cF -- "$2")" = "$3" ]; do
        if [ "$(now_ms)" -ge "$end" ]; then
            LAST_WHY="'$2' is not on $3 lines"
            return 1
        fi
        sleep 0.02
    done
}

# The lab's resources, step by step, in a new account.
res_build() {
    local s=$1
    start "$s" empty && need "$s" "No REST APIs" || return 1
    # A new API (the APIs list's c), then into its resources.
    keys "$s" c
    need "$s" "Create REST API" || return 1
    keys "$s" -l ItemsAPI
    keys "$s" Enter
    need "$s" "Created API ItemsAPI" || return 1
    keys "$s" Enter
    need "$s" "ItemsAPI › Resources (1)" || return 1

    # /items under the root: Create is on Resource; Tab past the proxy box.
    keys "$s" c
    need "$s" "Create in /" && need "$s" "Resource path: /" || return 1
    keys "$s" Tab Tab
    keys "$s" -l items
    keys "$s" Enter
    need "$s" "Created resource /items" && need "$s" "Resources (2)" || return 1
    has_line "$s" "/items" || return 1

    # GET with a mock integration on the new /items (selected after the
    # create): Method, then Mock is the default in an account without
    # functions.
    keys "$s" c
    need "$s" "Create in /items" || return 1
    keys "$s" Right
    need "$s" "Method type" && need "$s" "< Mock >" || return 1
    keys "$s" Enter
    need "$s" "MOCK" || return 1
    has_line "$s" '/items GET MOCK {"application/json": "{\"statusCode\": 200}"}' || return 1

    # /items/{ID}: up from GET to /items, then Create resource.
    keys "$s" k c
    need "$s" "Create in /items" && need "$s" "Resource path: /items/" || return 1
    keys "$s" Tab Tab
    keys "$s" -l '{ID}'
    keys "$s" Enter
    need "$s" "/{ID}" && need "$s" "Resources (3)" || return 1
    # Its GET, the same way.
    keys "$s" c
    need "$s" "Create in /items/{ID}" || return 1
    keys "$s" Right Enter
    need_rows "$s" "─ GET" 2 || return 1
    has_line "$s" '/items/{ID} GET MOCK {"application/json": "{\"statusCode\": 200}"}' || return 1
}

# A method comes and goes: POST on /items (GET exists: POST is first).
res_delete_method() {
    local s=$1
    keys "$s" g j c
    need "$s" "Create in /items" || return 1
    keys "$s" Right
    need "$s" "< POST >" || return 1
    keys "$s" Enter
    need "$s" "POST" || return 1
    has_line "$s" '/items POST MOCK {"application/json": "{\"statusCode\": 200}"}' || return 1
    # The new POST is selected: d asks, Enter deletes.
    keys "$s" d
    need "$s" "Delete method POST on /items" || return 1
    keys "$s" Enter
    need "$s" "Deleted method POST on /items" && gone "$s" "─ POST" || return 1
    lacks_line "$s" '/items POST MOCK {"application/json": "{\"statusCode\": 200}"}'
}

# Enable CORS on /items (selected after the delete): OPTIONS as the
# console makes it, and Access-Control-Allow-Origin on GET's 200.
res_cors() {
    local s=$1
    keys "$s" C
    need "$s" "Enable CORS on /items" && need "$s" "Access-Control-Allow-Origin" || return 1
    keys "$s" Enter
    need "$s" "Enabled CORS on /items" && need "$s" "OPTIONS" || return 1
    has_line "$s" '/items OPTIONS MOCK {"application/json": "{\"statusCode\": 200}"}' &&
        has_line "$s" "/items OPTIONS ir Access-Control-Allow-Origin='*'" &&
        has_line "$s" "/items OPTIONS ir Access-Control-Allow-Methods='GET,OPTIONS'" &&
        has_line "$s" "/items OPTIONS ir Access-Control-Allow-Headers='Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token'" &&
        has_line "$s" "/items OPTIONS mr Access-Control-Allow-Origin=false" &&
        has_line "$s" "/items OPTIONS mr Access-Control-Allow-Methods=false" &&
        has_line "$s" "/items OPTIONS mr Access-Control-Allow-Headers=false" &&
        has_line "$s" "/items GET mr Access-Control-Allow-Origin=false" &&
        has_line "$s" "/items GET ir Access-Control-Allow-Origin='*'" || return 1
    # /items/{ID} was left alone: CORS does not reach child resources.
    lacks_line "$s" "/items/{ID} GET mr Access-Control-Allow-Origin=false"
}

t_resources_lab_80() {
    local s=res80
    res_build "$s" && res_delete_method "$s" && res_cors "$s"
}

t_resources_lab_160() {
    local s=res160
    SIZE=160x48 res_build "$s" && res_delete_method "$s" && res_cors "$s"
}

# Deleting a resource says what goes with it; the parent is selected after.
t_resources_delete_resource() {
    local s=resdel
    start "$s" && need "$s" "ItemsAPI" || return 1
    keys "$s" Enter
    need "$s" "ItemsAPI › Resources (3)" || return 1
    keys "$s" j d
    need "$s" "Delete resource /items with its 2 methods and the" && need "$s" "1 resource under it" ||
        return 1
    # Esc keeps everything.
    keys "$s" Escape
    gone "$s" "Delete resource" && need "$s" "Resources (3)" || return 1
    keys "$s" G
    need "$s" "GET" || return 1
    keys "$s" k d
    need "$s" "Delete resource /items/{ID} with its 1 method?" || return 1
    keys "$s" Enter
    need "$s" "Deleted resource /items/{ID}" && need "$s" "Resources (2)" && gone "$s" "▾ /{ID}" || return 1
    lacks_line "$s" "/items/{ID}"
}

# A proxy resource: {proxy+} filled in, an ANY method without integration,
# and CORS from the Create form.
t_resources_proxy() {
    local s=resproxy
    start "$s" && need "$s" "ItemsAPI" || return 1
    keys "$s" Enter
    need "$s" "ItemsAPI › Resources (3)" || return 1
    keys "$s" c
    need "$s" "Create in /" || return 1
    keys "$s" Tab Space
    need "$s" "{proxy+}" || return 1
    keys "$s" Tab Tab Space Enter
    need "$s" "Created resource /{proxy+}" && need "$s" "ANY" || return 1
    has_line "$s" "/{proxy+} ANY none {}" &&
        has_line "$s" "/{proxy+} OPTIONS ir Access-Control-Allow-Methods='DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT'"
}

# Enter on a method opens Method Execution; Esc comes back to the tree.
t_resources_open_method() {
    local s=resopen
    start "$s" && need "$s" "ItemsAPI" || return 1
    keys "$s" Enter
    need "$s" "ItemsAPI › Resources (3)" || return 1
    keys "$s" j j Enter
    gone "$s" "Resource / method" || return 1
    keys "$s" Escape
    need "$s" "Resource / method"
}

E2E_TESTS+=(t_resources_lab_80 t_resources_lab_160 t_resources_delete_resource t_resources_proxy
    t_resources_open_method)
