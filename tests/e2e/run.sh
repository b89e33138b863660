#!/usr/bin/env bash
# End-to-end tests of the console: the real binary in tmux at 80x24, keys
# sent, screens captured as text. Each test gets its own session, home and
# state file (seeded from lab-state.json), on a private tmux socket.
#
#   tests/e2e/run.sh build/apigw-console
#
# Prints one line per failure, then "e2e: N passed, N failed"; appends
# "N M" to $RESULTS when set. E2E_VERBOSE=1 also prints failing screens.
set -u

BIN=${1:?usage: tests/e2e/run.sh path/to/apigw-console}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/lib.sh
. "$HERE/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
    echo "SKIPPED: e2e (tmux not found)"
    exit 0
fi
if [ ! -x "$BIN" ]; then
    echo "e2e: $BIN is not built"
    exit 1
fi

e2e_setup
trap e2e_teardown EXIT

passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() {
    failed=$((failed + 1))
    echo "FAIL: $1: $2"
    if [ "${E2E_VERBOSE:-}" = 1 ] && [ -n "${3:-}" ]; then screen "$3" | sed 's/^/    | /'; fi
}
# check NAME FUNCTION: one result per test.
check() {
    LAST_WHY="?"
    LAST_SESSION=
    if "$2"; then pass; else fail "$1" "$LAST_WHY" "$LAST_SESSION"; fi
}

# --- tests -------------------------------------------------------------------

t_first_frame() {
    local s=first
    start "$s" || { LAST_WHY="could not start"; return 1; }
    need "$s" "ItemsAPI" && need "$s" "Usage plans" && need "$s" "API keys" &&
        need "$s" "Lambda functions" && need "$s" "APIs (2)" && need "$s" "REGIONAL" &&
        need "$s" "emulator" || return 1
    # The status line names the backend and the state file.
    screen "$s" | tail -n 1 | grep -qF "emulator" || { LAST_WHY="status line lacks the backend"; return 1; }
}

t_resources_tree() {
    local s=tree
    start "$s" && need "$s" "ItemsAPI" || return 1
    keys "$s" Enter
    need "$s" "ItemsAPI › Resources (3)" && need "$s" "/{ID}" || return 1
    # Order and nesting: / → /items → GET, OPTIONS → /{ID} → GET.
    local got
    got=$(screen "$s" | sed -n 's/^[^│]*│ //p' | grep -E '/|GET|OPTIONS' | grep -v 'Resource / method' |
        sed -E 's/^[│├└─▾▸ ]+//; s/ {2,}.*$//' | tr '\n' ',')
    [ "$got" = "/,/items,GET,OPTIONS,/{ID},GET," ] || { LAST_WHY="tree rows were '$got'"; return 1; }
    # Methods sit one level under their resource, with guides.
    if ! screen "$s" | grep -qE '├─ GET' || ! screen "$s" | grep -qE '└─ GET'; then
        LAST_WHY="no tree guides before methods"
        return 1
    fi
    need "$s" "AWS · API key" || return 1
    # Left folds /items; Right unfolds it.
    keys "$s" j Left
    gone "$s" "OPTIONS" || return 1
    keys "$s" Right
    need "$s" "OPTIONS"
}

t_api_sections() {
    local s=sections
    start "$s" && need "$s" "ItemsAPI" || return 1
    keys "$s" Enter
    need "$s" "API: ItemsAPI" || return 1
    keys "$s" Tab j
    need "$s" "ItemsAPI › Stages (2)" && need "$s" "lambdaAlias=prod" && need "$s" "0.5 GB" || return 1
    keys "$s" j
    need "$s" "ItemsAPI › Models (3)" && need "$s" "application/json" || return 1
    # The menu's first item leads back to the APIs list.
    keys "$s" g Enter
    need "$s" "APIs (2)" && gone "$s" "API: ItemsAPI" || return 1
    # q inside an API goes back too, with the API still selected: Enter
    # opens the same one again.
    keys "$s" Enter
    need "$s" "ItemsAPI › Resources" || return 1
    keys "$s" q
    need "$s" "APIs (2)" || return 1
    keys "$s" Enter
    need "$s" "ItemsAPI › Resources"
}

t_help() {
    local s=help
    start "$s" && need "$s" "ItemsAPI" || return 1
    keys "$s" '?'
    need "$s" "Keys › APIs" && need "$s" "Move up" && need "$s" "Filter the list" &&
        need "$s" "Reload the data" || return 1
    # The list pane has nothing to reveal: no key for it in its help.
    screen "$s" | grep -qF "Show/mask" && { LAST_WHY="help lists keys of another pane"; return 1; }
    keys "$s" Escape
    gone "$s" "Move up" && need "$s" "APIs (2)"
}

t_filter() {
    local s=filter
    start "$s" && need "$s" "ItemsAPI" || return 1
    keys "$s" / E v i
    need "$s" "Filter: Evi" && gone "$s" "ItemsAPI" && need "$s" "h0st1le000" &&
        need "$s" "APIs (1 of 2)" || return 1
    keys "$s" Enter
    need "$s" "filter: Evi" && gone "$s" "Filter: Evi" && gone "$s" "ItemsAPI" || return 1
    keys "$s" Escape
    need "$s" "ItemsAPI" && need "$s" "h0st1le000" && gone "$s" "filter: Evi"
}

t_resize() {
    local s=resize
    start "$s" && need "$s" "ItemsAPI" || return 1
    tm resize-window -t "$s" -x 50 -y 12
    need "$s" "terminal too small (need 60x16)" && gone "$s" "ItemsAPI" || return 1
    tm resize-window -t "$s" -x 80 -y 24
    need "$s" "ItemsAPI" && need "$s" "Lambda functions" && gone "$s" "terminal too small"
}

t_hostile_name() {
    local s=hostile
    start "$s" && need "$s" "ItemsAPI" || return 1
    # ESC [2J and BEL arrive as '?': the screen was not cleared, no bell rang.
    need "$s" "Evil?[2J?Name" && need "$s" "apigw-console" || return 1
    [ "$(tm display -p -t "$s" '#{window_bell_flag}')" = 0 ] || { LAST_WHY="the bell rang"; return 1; }
    # Opened, the name shows safely in the title and the menu too.
    keys "$s" j Enter
    need "$s" "API: Evil?[2J?Name" && need "$s" "Resources (1)"
}

t_quit_restores() {
    local s=quit
    start "$s" && need "$s" "ItemsAPI" || return 1
    keys "$s" q
    need "$s" "EXIT=0" || return 1
    need "$s" "STTY=same" || return 1
    local flags
    flags=$(tm display -p -t "$s" '#{alternate_on} #{cursor_flag} #{keypad_cursor_flag} #{mouse_any_flag}')
    [ "$flags" = "0 1 0 0" ] || { LAST_WHY="terminal modes after exit: $flags (alt cursor keypad mouse)"; return 1; }
}

t_sigterm_restores() {
    local s=sigterm
    start "$s" && need "$s" "ItemsAPI" || return 1
    local pid
    pid=$(app_pid "$s") || { LAST_WHY="no process"; return 1; }
    kill -TERM "$pid"
    need "$s" "EXIT=143" && need "$s" "STTY=same" || return 1
    local flags
    flags=$(tm display -p -t "$s" '#{alternate_on} #{cursor_flag} #{mouse_any_flag}')
    [ "$flags" = "0 1 0" ] || { LAST_WHY="terminal modes after SIGTERM: $flags"; return 1; }
}

t_crash_restores() {
    local s=segv
    start "$s" && need "$s" "ItemsAPI" || return 1
    local pid
    pid=$(app_pid "$s") || { LAST_WHY="no process"; return 1; }
    # The handler ends curses and re-raises: the shell sees death by SIGSEGV.
    kill -SEGV "$pid"
    need "$s" "EXIT=139" && need "$s" "STTY=same" || return 1
    local flags
    flags=$(tm display -p -t "$s" '#{alternate_on} #{cursor_flag} #{mouse_any_flag}')
    [ "$flags" = "0 1 0" ] || { LAST_WHY="terminal modes after SIGSEGV: $flags"; return 1; }
}

t_api_keys_masked() {
    local s=keys
    start "$s" && need "$s" "ItemsAPI" || return 1
    keys "$s" Tab j j
    need "$s" "API keys (1)" && need "$s" "LabKey" && need "$s" "••••" || return 1
    screen "$s" | grep -qF "Xk9sQ2Vj" && { LAST_WHY="the key value is on screen while masked"; return 1; }
    keys "$s" Tab v
    need "$s" "Xk9sQ2VjcmV0" && gone "$s" "••••" || return 1
    keys "$s" v
    need "$s" "••••" && gone "$s" "Xk9sQ2Vj"
}

t_plans_and_functions() {
    local s=lists
    start "$s" && need "$s" "ItemsAPI" || return 1
    keys "$s" Tab j
    need "$s" "LabPlan" && need "$s" "10 req/s, burst 5" && need "$s" "1000 per DAY" || return 1
    keys "$s" j j
    need "$s" "ItemsFunction" && need "$s" "python3.12" && need "$s" "128 MB" && need "$s" "3 s" &&
        need "$s" "2026-11-30 00:00" && need "$s" "Lambda › Functions"
}

t_mouse() {
    local s=mouse
    start "$s" && need "$s" "ItemsAPI" || return 1
    # X10 mouse report: ESC [ M, then button, column, row, each + 32 (1-based).
    click "$s" 4 6 # "Lambda functions" in the menu
    need "$s" "ItemsFunction" || return 1
    click "$s" 4 3 # back to "APIs"
    need "$s" "ItemsAPI" || return 1
    click "$s" 30 4 2 # a double click on the first API opens it
    need "$s" "ItemsAPI › Resources"
}

t_ascii_locale() {
    local s=ascii
    LOCALE=C start "$s" && need "$s" "ItemsAPI" || return 1
    need "$s" "|" || return 1
    screen "$s" | grep -qF "│" && { LAST_WHY="UTF-8 line drawing in the C locale"; return 1; }
    keys "$s" Enter
    need "$s" "|- GET" && need "$s" "\`- GET" && need "$s" "AWS - API key"
}

t_no_color() {
    local s=nocolor
    NO_COLOR=1 start "$s" && need "$s" "ItemsAPI" || return 1
    # Attributes (reverse, bold) remain; colours must not.
    if tm capture-pane -p -e -t "$s" | grep -qE $'\e\\[[0-9;]*(3[0-7]|4[0-7]|38;|48;|9[0-7])[;m]'; then
        LAST_WHY="colour escapes on screen with NO_COLOR set"
        return 1
    fi
    local c=color
    start "$c" && need "$c" "ItemsAPI" || return 1
    tm capture-pane -p -e -t "$c" | grep -qE $'\e\\[[0-9;]*(3[0-7]|4[0-7]|38;|48;)' ||
        { LAST_WHY="no colour without NO_COLOR (control case)"; return 1; }
}

t_error_in_words() {
    local s=error
    start "$s" && need "$s" "ItemsAPI" || return 1
    # The state file breaks behind the console's back; r reloads.
    printf '{"format": "apigw-console-state", "regions": {' >"$TMPD/$s/state.json"
    keys "$s" r
    need "$s" "InternalFailure: state file" || return 1
    # What was loaded stays on screen.
    need "$s" "ItemsAPI" && need "$s" "h0st1le000"
}

t_idle_cpu() {
    local s=idle
    start "$s" && need "$s" "ItemsAPI" || return 1
    local pid a b
    pid=$(app_pid "$s") || { LAST_WHY="no process"; return 1; }
    a=$(cpu_ticks "$pid")
    sleep 1 # a measuring window, not a wait for the screen
    b=$(cpu_ticks "$pid")
    [ "$a" = "$b" ] || { LAST_WHY="used $((b - a)) CPU ticks in 1 s while idle"; return 1; }
}

E2E_TESTS=(t_first_frame t_resources_tree t_api_sections t_help t_filter t_resize t_hostile_name
    t_quit_restores t_sigterm_restores t_crash_restores t_api_keys_masked t_plans_and_functions t_mouse
    t_ascii_locale t_no_color t_error_in_words t_idle_cpu)

# More tests by area: each tests/e2e/t_AREA.sh defines t_* functions and
# appends their names to E2E_TESTS. E2E_ONLY=AREA runs just that file's.
[ -n "${E2E_ONLY:-}" ] && E2E_TESTS=()
for f in "$HERE"/t_*.sh; do
    [ -e "$f" ] || continue
    if [ -n "${E2E_ONLY:-}" ] && [ "$(basename "$f" .sh)" != "t_$E2E_ONLY" ]; then continue; fi
    # shellcheck source=/dev/null
    . "$f"
done

for t in "${E2E_TESTS[@]}"; do
    check "${t#t_}" "$t"
done

echo "e2e: $passed passed, $failed failed"
[ -n "${RESULTS:-}" ] && echo "$passed $failed" >>"$RESULTS"
[ "$failed" -eq 0 ]
