# shellcheck shell=bash
# The lab guide: shown beside the panes on a new account at 160x48, the i
# key hides and shows it, its checks turn green as ItemsAPI is created by
# keys, Enter takes a step to the pane where it is done, at 80x24 it takes
# the content's place and stays readable, its counts agree with
# `apigw-console lab status`, and it costs no CPU while idle. Sourced by
# run.sh.

# guide_steps SESSION: "N a/b" for every step line of the guide on screen
# (the guide is the rightmost column: its lines end with the count).
guide_steps() {
    screen "$1" | python3 -c '
import re, sys
for line in sys.stdin:
    part = line.rstrip("\n").split("\u2502")[-1]
    m = re.match(r"^\s?\S\s+(\d+) \S.*?\s(\d+/\d+)\s*$", part)
    if m:
        print(m.group(1), m.group(2))
'
}

# guide_row SESSION TEXT: the screen line holding TEXT.
guide_row() { screen "$1" | grep -F -- "$2" | head -n 1; }

t_guide_fresh_beside() {
    local s=guide_fresh
    SIZE=160x48 start "$s" empty && need "$s" "APIs (0)" || return 1
    need "$s" "Lab guide" && need "$s" "Build ItemsAPI with mock methods" && need "$s" "0/14" ||
        return 1
    # Beside the content: the APIs list and the guide share their rows,
    # the guide on the right.
    local row
    row=$(guide_row "$s" "Lab guide")
    case $row in
    *"APIs (0)"*"Lab guide"*) ;;
    *) LAST_WHY="the guide is not right of the content: '$row'"; return 1 ;;
    esac
    # The first unfinished step is open: its first failing check says
    # what is missing.
    need "$s" "✗ an API named ItemsAPI" && need "$s" "there is no API named ItemsAPI" || return 1
    # The menu still works beside it.
    keys "$s" BTab j
    need "$s" "Usage plans (0)" && need "$s" "Lab guide"
}

t_guide_toggle() {
    local s=guide_toggle
    SIZE=160x48 start "$s" empty && need "$s" "Lab guide" || return 1
    keys "$s" i
    gone "$s" "Lab guide" && need "$s" "APIs (0)" || return 1
    keys "$s" i
    need "$s" "Lab guide" && need "$s" "0/14" || return 1
    # An account that is not new starts without it; i shows it.
    local t=guide_toggle_lab
    SIZE=160x48 start "$t" && need "$t" "ItemsAPI" || return 1
    need "$t" "APIs (2)" && gone "$t" "Lab guide" || return 1
    keys "$t" i
    need "$t" "Lab guide" && need "$t" "Build ItemsAPI with mock methods"
}

t_guide_checks_turn_green() {
    local s=guide_green
    SIZE=160x48 start "$s" empty && need "$s" "0/14" || return 1
    keys "$s" c
    need "$s" "Create REST API" || return 1
    keys "$s" -l "ItemsAPI"
    keys "$s" Tab
    keys "$s" -l "Cloud Academy Lab API"
    keys "$s" Enter
    need "$s" "Created API ItemsAPI" || return 1
    # The list's checks pass; the details (which the guide loaded itself,
    # ItemsAPI not being open) say what comes next.
    need "$s" "4/14" && need "$s" "✓ an API named ItemsAPI" && need "$s" "✓ only one API is named" &&
        need "$s" "✓ ItemsAPI has a Regional endpoint" && need "$s" "ItemsAPI has no model Item" ||
        return 1
    local names
    names=$(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(sorted(a["api"]["name"] for a in d["regions"]["us-west-2"]["restapis"].values()))' \
        "$TMPD/$s/state.json")
    [ "$names" = "['ItemsAPI']" ] || { LAST_WHY="APIs in the state: $names"; return 1; }
    # And without leaving the APIs list.
    need "$s" "APIs (1)"
}

t_guide_enter_jumps() {
    local s=guide_jump
    SIZE=160x48 start "$s" empty && need "$s" "0/14" || return 1
    # Tab moves the keys from the content to the guide.
    keys "$s" Tab j j j j j
    need "$s" "0 out of 9 checks passed" && need "$s" "there is no usage plan named" || return 1
    keys "$s" Enter
    need "$s" "Usage plans (0)" && need "$s" "API Gateway › Usage plans" || return 1
    # The guide stays beside, on the same step; the keys went to the pane.
    need "$s" "0 out of 9 checks passed" || return 1
    keys "$s" c
    need "$s" "Create usage plan" || return 1
    # Quitting with the guide's reads done frees everything (sanitizer
    # builds fail the exit otherwise).
    keys "$s" Escape q
    need "$s" "EXIT=0"
}

t_guide_narrow() {
    local s=guide_narrow
    start "$s" empty && need "$s" "APIs (0)" || return 1
    # At 80x24 a new account keeps its list; the status line names the key.
    gone "$s" "Lab guide" && need "$s" "i guide" || return 1
    keys "$s" i
    need "$s" "Lab guide" && need "$s" "API Gateway › Lab guide" && gone "$s" "APIs (0)" || return 1
    need "$s" "Build ItemsAPI with mock methods" && need "$s" "there is no API named ItemsAPI" ||
        return 1
    # Long check names wrap at a word, under themselves.
    need "$s" "✗ GET /items, first a mock answering the lab's list" && need "$s" "    template" ||
        return 1
    # The text further down, a page at a time.
    keys "$s" PgDn
    need "$s" "What to do" && need "$s" "Create a REST API named ItemsAPI with a Regional" || return 1
    keys "$s" PgDn
    need "$s" "Values to enter" && need "$s" "API name: ItemsAPI" || return 1
    # Enter on step 8: the guide steps aside for the usage plans.
    keys "$s" j j j j j
    need "$s" "0 out of 9 checks passed" || return 1
    keys "$s" Enter
    need "$s" "Usage plans (0)" && gone "$s" "Lab guide" || return 1
    keys "$s" i
    need "$s" "0 out of 9 checks passed" || return 1
    # Esc puts it away again.
    keys "$s" Escape
    need "$s" "Usage plans (0)" && gone "$s" "Lab guide"
}

# The guide judges as the lab's own command does: the same count for
# every step of the lab state, stage requests included.
t_guide_agrees_with_lab_status() {
    local s=guide_status
    cp "$HERE/lab-state.json" "$TMPD/guide-status-cli.json"
    local want
    want=$(env -u NO_COLOR HOME="$TMPD" XDG_STATE_HOME="$TMPD" "$BIN" --state "$TMPD/guide-status-cli.json" \
        lab status 2>&1 | python3 -c '
import re, sys
for line in sys.stdin:
    m = re.match(r"^\s*(\d+)\s+\S.*?\s(\d+/\d+)\s*$", line)
    if m:
        print(m.group(1), m.group(2))
')
    [ "$(echo "$want" | wc -l)" -ge 9 ] || { LAST_WHY="lab status gave '$want'"; return 1; }
    SIZE=160x48 start "$s" && need "$s" "ItemsAPI" || return 1
    keys "$s" i
    # x calls the stages and runs the test events (never by itself: they
    # count against quotas); the stages answered, then every step on screen.
    need "$s" "x: call stages" || return 1
    keys "$s" x
    need "$s" "Missing Authentication" || return 1
    keys "$s" G
    need "$s" "Clean up" || return 1
    local end=$(($(now_ms) + WAIT_S * 1000)) got
    while :; do
        got=$(guide_steps "$s" | grep -vE '^11 ')
        [ "$got" = "$want" ] && break
        if [ "$(now_ms)" -ge "$end" ]; then
            LAST_WHY="guide '$(echo "$got" | tr '\n' ',')' vs lab status '$(echo "$want" | tr '\n' ',')'"
            return 1
        fi
        sleep 0.05
    done
    # q leaves the guide first, then quits.
    keys "$s" q
    need "$s" "Lab guide" || return 1
    keys "$s" q
    need "$s" "EXIT=0"
}

t_guide_idle_cpu() {
    local s=guide_idle
    SIZE=160x48 start "$s" && need "$s" "ItemsAPI" || return 1
    keys "$s" i x
    need "$s" "Missing Authentication" && gone "$s" "checking" || return 1
    local pid a b
    pid=$(app_pid "$s") || { LAST_WHY="no process"; return 1; }
    a=$(cpu_ticks "$pid")
    sleep 1 # a measuring window, not a wait for the screen
    b=$(cpu_ticks "$pid")
    [ "$a" = "$b" ] || { LAST_WHY="used $((b - a)) CPU ticks in 1 s while idle"; return 1; }
}

E2E_TESTS+=(t_guide_fresh_beside t_guide_toggle t_guide_checks_turn_green t_guide_enter_jumps
    t_guide_narrow t_guide_agrees_with_lab_status t_guide_idle_cpu)
