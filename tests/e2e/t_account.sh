# shellcheck shell=bash
# APIs, usage plans and API keys: creating an API in a new account, deleting
# one by typing its name, a usage plan's whole life (throttle and quota,
# a bound stage, a key made inside it, usage, AWS's refusal to delete it
# while a stage is bound) and API keys with generated and custom values.
# Results are checked on screen and in the state file.

# st SESSION PYTHON-EXPRESSION: evaluate over the state file's region
# (r: regions["us-west-2"]); prints the result.
st() {
    python3 - "$TMPD/$1/state.json" "$2" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["regions"]["us-west-2"]
plans, keys, apis = r.get("usageplans", {}), r.get("apikeys", {}), r.get("restapis", {})
def plan(name):
    return next((p for p in plans.values() if p.get("name") == name), None)
def key(name):
    return next((k for k in keys.values() if k.get("name") == name), None)
print(eval(sys.argv[2]))
PY
}

# is SESSION EXPRESSION WANT: the state file says WANT.
is() {
    local got
    got=$(st "$1" "$2")
    [ "$got" = "$3" ] || { LAST_WHY="state: $2 was '$got', not '$3'"; return 1; }
}

# The lab state with requests already counted today for LabKey in LabPlan.
lab_with_usage() {
    python3 - "$HERE/lab-state.json" "$1" "$2" <<'PY'
import datetime, json, sys
d = json.load(open(sys.argv[1]))
today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
d["regions"]["us-west-2"]["usageplans"]["pln0000001"]["_usage"] = {"key0000001": {today: int(sys.argv[3])}}
json.dump(d, open(sys.argv[2], "w"))
PY
}

t_account_create_api() {
    local s=acct_newapi
    start "$s" empty && need "$s" "No REST APIs in this region yet" || return 1
    keys "$s" c
    need "$s" "Create REST API" && need "$s" "API endpoint type" && need "$s" "< Regional >" || return 1
    keys "$s" -l "PetsAPI"
    keys "$s" Tab
    keys "$s" -l "Pets of the lab"
    keys "$s" Tab Right
    need "$s" "< Edge-optimized >" || return 1
    keys "$s" Enter
    need "$s" "Created API PetsAPI" && need "$s" "APIs (1)" && need "$s" "EDGE" || return 1
    is "$s" '[(a["api"]["name"], a["api"].get("description"), a["api"]["endpointConfiguration"]["types"]) for a in apis.values()]' \
        "[('PetsAPI', 'Pets of the lab', ['EDGE'])]" || return 1
    # Regional is what the form starts on.
    keys "$s" c
    need "$s" "Create REST API" || return 1
    keys "$s" -l "ShopAPI"
    keys "$s" Enter
    need "$s" "Created API ShopAPI" && need "$s" "APIs (2)" && need "$s" "REGIONAL" || return 1
    is "$s" 'sorted(a["api"]["endpointConfiguration"]["types"][0] for a in apis.values())' "['EDGE', 'REGIONAL']"
}

t_account_delete_api() {
    local s=acct_delapi
    start "$s" && need "$s" "ItemsAPI" || return 1
    keys "$s" d
    need "$s" "Delete API" && need "$s" "Type ItemsAPI to confirm" || return 1
    keys "$s" -l "Items"
    keys "$s" Enter
    need "$s" "Type ItemsAPI exactly to confirm" || return 1
    is "$s" '"a1b2c3d4e5" in apis' True || return 1
    keys "$s" C-u
    keys "$s" -l "ItemsAPI"
    keys "$s" Enter
    need "$s" "Deleted API ItemsAPI" && need "$s" "APIs (1)" || return 1
    is "$s" '"a1b2c3d4e5" in apis' False || return 1
    # The usage plan no longer names the API's stage.
    is "$s" 'plan("LabPlan")["apiStages"]' "[]"
}

t_account_plan_life() {
    local s=acct_plan
    start "$s" && need "$s" "ItemsAPI" || return 1
    keys "$s" Tab j Tab
    need "$s" "LabPlan" || return 1
    keys "$s" c
    need "$s" "Create usage plan" || return 1
    keys "$s" -l "GoldPlan"
    keys "$s" Tab
    keys "$s" -l "Paid tier"
    keys "$s" Tab Space
    need "$s" "Rate (requests per second)" || return 1
    keys "$s" Tab C-u
    keys "$s" -l "20"
    keys "$s" Tab C-u
    keys "$s" -l "40"
    keys "$s" Tab Space
    need "$s" "Offset" || return 1
    keys "$s" Tab C-u
    keys "$s" -l "5000"
    keys "$s" Tab Right Right
    need "$s" "< MONTH >" || return 1
    keys "$s" Enter
    need "$s" "Created usage plan GoldPlan" && need "$s" "20 req/s, burst 40" &&
        need "$s" "5000 per MONTH" && need "$s" "Usage plans (2)" || return 1
    is "$s" '(plan("GoldPlan")["description"], plan("GoldPlan")["throttle"], plan("GoldPlan")["quota"])' \
        "('Paid tier', {'burstLimit': 40, 'rateLimit': 20}, {'limit': 5000, 'offset': 0, 'period': 'MONTH'})" || return 1

    # Open it and bind the prod stage of ItemsAPI.
    keys "$s" G Enter
    need "$s" "Usage plans › GoldPlan" && need "$s" "No stages: c adds one" &&
        need "$s" "Associated stages (0)" || return 1
    keys "$s" c
    need "$s" "Add a stage to GoldPlan" && need "$s" "< ItemsAPI (a1b2c3d4e5) >" && need "$s" "< dev >" || return 1
    keys "$s" Tab Right
    need "$s" "< prod >" || return 1
    keys "$s" Enter
    need "$s" "Added stage ItemsAPI/prod to GoldPlan" && need "$s" "Associated stages (1)" && need "$s" "a1b2c3d4e5  prod" || return 1
    is "$s" 'plan("GoldPlan")["apiStages"]' "[{'apiId': 'a1b2c3d4e5', 'stage': 'prod'}]" || return 1

    # A new key, made inside the plan in one go.
    keys "$s" G c
    need "$s" "Add an API key to GoldPlan" || return 1
    need "$s" "< Existing key >" || return 1
    keys "$s" Right
    need "$s" "< New key >" && need "$s" "< Generated >" || return 1
    keys "$s" Tab
    keys "$s" -l "GoldKey"
    keys "$s" Enter
    need "$s" "Created API key GoldKey" && need "$s" "and added it to GoldPlan" || return 1
    need "$s" "API keys (1)" && need "$s" "GoldKey" && need "$s" "enabled" || return 1
    # Its usage this month: nothing yet, out of the quota.
    need "$s" "used 0 of 5000, 5000 left" || return 1
    is "$s" '(len(key("GoldKey")["value"]), key("GoldKey")["enabled"], plan("GoldPlan")["_keys"] == [key("GoldKey")["id"]])' \
        "(40, True, True)" || return 1

    # Turn the key off from the API keys list; the plan shows it.
    keys "$s" Escape
    need "$s" "Usage plans (2)" || return 1
    keys "$s" Tab j Tab
    need "$s" "API keys (2)" || return 1
    keys "$s" / G o l d Enter
    need "$s" "API keys (1 of 2)" || return 1
    keys "$s" e
    need "$s" "Edit API key GoldKey" || return 1
    keys "$s" Tab Tab Space Enter
    need "$s" "Saved API key GoldKey (disabled)" || return 1
    is "$s" 'key("GoldKey")["enabled"]' False || return 1
    keys "$s" Tab k Tab G Enter
    need "$s" "Usage plans › GoldPlan" && need "$s" "disabled" || return 1

    # AWS refuses to delete a plan with a stage bound, in its own words; the
    # console offers to remove the stage first. Declined, the view says what
    # to do.
    keys "$s" g d
    need "$s" "Delete usage plan GoldPlan" || return 1
    keys "$s" Enter
    need "$s" "Remove the stages first?" && need "$s" "Cannot delete Usage Plan" &&
        need "$s" "Take ItemsAPI/prod out of the plan" || return 1
    is "$s" 'plan("GoldPlan") is not None' True || return 1
    keys "$s" Escape
    gone "$s" "Remove the stages first?" && need "$s" "Remove every stage first" &&
        need "$s" "because there are API Stages associated" || return 1
    is "$s" 'plan("GoldPlan")["apiStages"]' "[{'apiId': 'a1b2c3d4e5', 'stage': 'prod'}]" || return 1

    # Remove the stage, then the delete goes through and the view closes.
    keys "$s" j j j j j
    need "$s" "d remove it" || return 1
    keys "$s" d
    need "$s" "Remove stage" || return 1
    keys "$s" Enter
    need "$s" "Removed stage ItemsAPI/prod from GoldPlan" && need "$s" "Associated stages (0)" && gone "$s" "Remove every stage first" || return 1
    is "$s" 'plan("GoldPlan")["apiStages"]' "[]" || return 1
    keys "$s" g d
    need "$s" "Delete usage plan GoldPlan" || return 1
    keys "$s" Enter
    need "$s" "Deleted usage plan GoldPlan" && need "$s" "Usage plans (1)" && gone "$s" "Usage plans ›" || return 1
    is "$s" 'plan("GoldPlan")' None || return 1
    # The key stays, outside any plan.
    is "$s" 'key("GoldKey") is not None' True
}

t_account_plan_usage() {
    local s=acct_usage
    lab_with_usage "$TMPD/usage-seed.json" 7
    start "$s" "$TMPD/usage-seed.json" && need "$s" "ItemsAPI" || return 1
    keys "$s" Tab j Tab Enter
    need "$s" "Usage plans › LabPlan" && need "$s" "LabKey  used 7 of 1000, 993 left" || return 1
    local today
    today=$(date -u +%Y-%m-%d)
    need "$s" "Usage from $today to $today" || return 1
    # Every section fits at 80x24, with the keys of the selection below.
    need "$s" "Associated stages (1)" && need "$s" "API keys (1)" && need "$s" "e edit" || return 1
    # Edit the quota: weekly now; the usage range follows.
    keys "$s" e
    need "$s" "Edit usage plan LabPlan" || return 1
    keys "$s" Tab Tab Tab Tab Tab Tab Tab Right
    need "$s" "< WEEK >" || return 1
    keys "$s" Enter
    need "$s" "Saved usage plan LabPlan" && need "$s" "1000 per WEEK" || return 1
    is "$s" 'plan("LabPlan")["quota"]["period"]' WEEK || return 1
    local monday
    monday=$(python3 -c 'import datetime as d; t=d.datetime.now(d.timezone.utc).date(); print(t - d.timedelta(days=t.weekday()))')
    need "$s" "Usage from $monday to $today" && need "$s" "used 7 of 1000, 993 left"
}

t_account_plan_refusal_in_list() {
    local s=acct_refuse
    start "$s" && need "$s" "ItemsAPI" || return 1
    keys "$s" Tab j Tab d
    need "$s" "Delete usage plan LabPlan" || return 1
    keys "$s" Enter
    # AWS's refusal, whole, and the offer.
    need "$s" "Remove the stages first?" && need "$s" "Cannot delete Usage Plan" &&
        need "$s" "Take ItemsAPI/prod out of the plan" || return 1
    screen "$s" | tr -d '│\n ' | grep -qF "CannotdeleteUsagePlanpln0000001becausethereareAPIStagesassociatedwithit,includinga1b2c3d4e5:prod" ||
        { LAST_WHY="AWS's message is not whole on screen"; return 1; }
    is "$s" 'plan("LabPlan")["apiStages"]' "[{'apiId': 'a1b2c3d4e5', 'stage': 'prod'}]" || return 1
    keys "$s" Enter
    need "$s" "Removed 1 stage from usage plan LabPlan and deleted it" && need "$s" "Usage plans (0)" || return 1
    is "$s" 'plan("LabPlan")' None
}

t_account_wide() {
    local s=acct_wide
    SIZE=160x48 start "$s" && need "$s" "ItemsAPI" || return 1
    keys "$s" Tab j Tab
    need "$s" "pln0000001" && need "$s" "10 req/s, burst 5" || return 1
    keys "$s" Enter
    need "$s" "Usage plans › LabPlan" && need "$s" "LabKey  used 0 of 1000, 1000 left" &&
        need "$s" "e edit  d delete the plan  c add a stage  Esc back" || return 1
    keys "$s" c
    need "$s" "Add a stage to LabPlan" && need "$s" "< ItemsAPI (a1b2c3d4e5) >" || return 1
    keys "$s" Escape
    gone "$s" "Add a stage to LabPlan"
}

t_account_keys() {
    local s=acct_keys
    # Wide, so that AWS's whole answer fits on the status line.
    SIZE=160x48 start "$s" && need "$s" "ItemsAPI" || return 1
    keys "$s" Tab j j Tab
    need "$s" "API keys (1)" || return 1
    # A custom value shorter than AWS accepts: AWS says so.
    keys "$s" c
    need "$s" "Create API key" && need "$s" "< none >" || return 1
    keys "$s" -l "ShortKey"
    keys "$s" Tab Tab Right
    need "$s" "Custom value" || return 1
    keys "$s" Tab
    keys "$s" -l "tooshort"
    keys "$s" Enter
    need "$s" "API Key value should be at least 20 characters" || return 1
    is "$s" 'key("ShortKey")' None || return 1
    # A good one, disabled, straight into LabPlan.
    keys "$s" c
    need "$s" "Create API key" || return 1
    keys "$s" -l "PartnerKey"
    keys "$s" Tab Tab Right Tab
    keys "$s" -l "partner-key-0123456789-abcdef"
    keys "$s" Tab Space Tab Right
    need "$s" "< LabPlan (pln0000001) >" || return 1
    keys "$s" Enter
    need "$s" "Created API key PartnerKey" && need "$s" "and added it to LabPlan" &&
        need "$s" "API keys (2)" || return 1
    is "$s" '(key("PartnerKey")["value"], key("PartnerKey")["enabled"], key("PartnerKey")["id"] in plan("LabPlan")["_keys"])' \
        "('partner-key-0123456789-abcdef', False, True)" || return 1
    # Masked until v.
    screen "$s" | grep -qF "partner-key-0123" && { LAST_WHY="a key value shows while masked"; return 1; }
    keys "$s" v
    need "$s" "partner-key-0123" || return 1
    keys "$s" v
    # Delete it.
    keys "$s" / P a r t Enter
    need "$s" "API keys (1 of 2)" || return 1
    keys "$s" d
    need "$s" "Delete API key PartnerKey" || return 1
    keys "$s" Enter
    need "$s" "Deleted API key PartnerKey" || return 1
    is "$s" '(key("PartnerKey"), plan("LabPlan")["_keys"])' "(None, ['key0000001'])"
}

E2E_TESTS+=(t_account_create_api t_account_delete_api t_account_plan_life t_account_plan_usage
    t_account_plan_refusal_in_list t_account_wide t_account_keys)
