# shellcheck shell=bash
# Helpers of the end-to-end tests (sourced by run.sh and measure.sh): a
# private tmux server, sessions that run the console once, and waiting for
# screen text with a deadline.

e2e_setup() {
    TMPD=$(mktemp -d "${TMPDIR:-/tmp}/apigw-e2e.XXXXXX")
    SOCK="apigw-e2e-$$"
    UTF8=$(locale -a 2>/dev/null | grep -iE '^c\.utf-?8$' | head -n 1)
    [ -n "$UTF8" ] || UTF8=$(locale -a 2>/dev/null | grep -iE 'utf-?8$' | head -n 1)
    UTF8=${UTF8:-C}
    # tmux itself must print UTF-8 when the screens are captured.
    export LC_ALL=$UTF8
    if infocmp tmux-256color >/dev/null 2>&1; then TERMNAME=tmux-256color; else TERMNAME=screen; fi
    WAIT_S=${E2E_WAIT_S:-5}
}

e2e_teardown() {
    tm kill-server >/dev/null 2>&1
    rm -rf "$TMPD"
}

# A private server (-L) with no configuration: never the user's tmux.
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# start SESSION [SEED]: run the console at 80x24 (SIZE=160x48 in the
# caller's environment for another size) on a fresh copy of SEED (default
# the lab state; "empty" for a new account), with HOME and XDG_STATE_HOME
# inside the test's directory. LOCALE, NO_COLOR, VISUAL and EDITOR in the
# caller's environment are passed on. When the console exits the pane
# prints "EXIT=<status> STTY=<same|changed>" and stays.
start() {
    local s=$1 dir=$TMPD/$1 seed=${2:-$HERE/lab-state.json} size=${SIZE:-80x24}
    mkdir -p "$dir/home" "$dir/xdg"
    rm -f "$dir/state.json"
    [ "$seed" = empty ] || cp "$seed" "$dir/state.json"
    LAST_SESSION=$s
    local nc=
    [ -n "${NO_COLOR:-}" ] && nc="NO_COLOR=$NO_COLOR"
    [ -n "${VISUAL:-}" ] && nc="$nc VISUAL='$VISUAL'"
    [ -n "${EDITOR:-}" ] && nc="$nc EDITOR='$EDITOR'"
    cat >"$dir/run.sh" <<SCRIPT
cd '$dir' || exit 1
stty -g >stty.before
env -u NO_COLOR -u VISUAL -u EDITOR HOME='$dir/home' XDG_STATE_HOME='$dir/xdg' LC_ALL='${LOCALE:-$UTF8}' \\
    TERM='$TERMNAME' $nc '$BIN' --state '$dir/state.json'
rc=\$?
stty -g >stty.after
if cmp -s stty.before stty.after; then t=same; else t=changed; fi
echo "EXIT=\$rc STTY=\$t"
exec sleep 3600
SCRIPT
    tm new-session -d -s "$s" -x "${size%x*}" -y "${size#*x}" "sh '$dir/run.sh'"
}

screen() { tm capture-pane -p -t "$1"; }

# need SESSION TEXT: wait until TEXT is on screen.
need() {
    local end=$(($(now_ms) + WAIT_S * 1000))
    while ! screen "$1" | grep -qF -- "$2"; do
        if [ "$(now_ms)" -ge "$end" ]; then
            LAST_WHY="'$2' never appeared"
            return 1
        fi
        sleep 0.02
    done
}

# need_re SESSION REGEX: wait until a line matches (extended regex).
need_re() {
    local end=$(($(now_ms) + WAIT_S * 1000))
    while ! screen "$1" | grep -qE -- "$2"; do
        if [ "$(now_ms)" -ge "$end" ]; then
            LAST_WHY="nothing matched /$2/"
            return 1
        fi
        sleep 0.02
    done
}

# gone SESSION TEXT: wait until TEXT is off the screen.
gone() {
    local end=$(($(now_ms) + WAIT_S * 1000))
    while screen "$1" | grep -qF -- "$2"; do
        if [ "$(now_ms)" -ge "$end" ]; then
            LAST_WHY="'$2' stayed on screen"
            return 1
        fi
        sleep 0.02
    done
}

keys() {
    local s=$1
    shift
    tm send-keys -t "$s" "$@"
}

# click SESSION COL ROW [TIMES] (1-based): left presses and releases as X10
# mouse reports, the format the terminal description asks for; all in one
# write, so a double click arrives as one.
click() {
    local s=$1 x=$(($2 + 32)) y=$(($3 + 32)) n=${4:-1}
    local cx cy seq=
    cx=$(printf "\\$(printf %03o "$x")")
    cy=$(printf "\\$(printf %03o "$y")")
    while [ "$n" -gt 0 ]; do
        seq="$seq"$'\e[M '"$cx$cy"$'\e[M#'"$cx$cy"
        n=$((n - 1))
    done
    tm send-keys -t "$s" -l "$seq"
}

# The console's pid: the child of the pane's shell.
app_pid() {
    local sh pid
    sh=$(tm display -p -t "$1" '#{pane_pid}')
    if command -v pgrep >/dev/null 2>&1; then
        pid=$(pgrep -P "$sh" | head -n 1)
    else
        pid=$(cut -d' ' -f1 "/proc/$sh/task/$sh/children" 2>/dev/null)
    fi
    [ -n "$pid" ] && echo "$pid"
}

# User plus system CPU ticks of a process.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
