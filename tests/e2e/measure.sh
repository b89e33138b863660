#!/usr/bin/env bash
# Figures of the console, measured in tmux at 80x24 on the seeded lab:
# start to first frame, start to the lab's data on screen, resident memory
# with the lab API open, and CPU used while idle.
#
#   tests/e2e/measure.sh build/apigw-console [runs]
set -u
BIN=${1:?usage: tests/e2e/measure.sh path/to/apigw-console [runs]}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
RUNS=${2:-5}
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/lib.sh
. "$HERE/lib.sh"
command -v tmux >/dev/null 2>&1 || { echo "SKIPPED: measure (tmux not found)"; exit 0; }
e2e_setup
trap e2e_teardown EXIT

# Poll as fast as capture-pane allows: the figure's resolution is a few ms.
until_on() {
    local end=$(($(now_ms) + 5000))
    while ! screen "$1" | grep -qF -- "$2"; do [ "$(now_ms)" -lt "$end" ] || return 1; done
}

median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

frames=()
datas=()
for i in $(seq "$RUNS"); do
    s=run$i
    t0=$(date +%s%N)
    start "$s"
    until_on "$s" "Lambda functions" || { echo "run $i: no first frame"; exit 1; }
    t1=$(date +%s%N)
    until_on "$s" "ItemsAPI" || { echo "run $i: no data"; exit 1; }
    t2=$(date +%s%N)
    frames+=($(((t1 - t0) / 1000)))
    datas+=($(((t2 - t0) / 1000)))
    if [ "$i" = 1 ]; then
        keys "$s" Enter
        until_on "$s" "Resources (3)" || { echo "API did not open"; exit 1; }
        pid=$(app_pid "$s")
        rss=$(awk '/^VmRSS/ {print $2 " " $3}' "/proc/$pid/status")
        hwm=$(awk '/^VmHWM/ {print $2 " " $3}' "/proc/$pid/status")
        a=$(cpu_ticks "$pid")
        sleep 2
        b=$(cpu_ticks "$pid")
        idle=$((b - a))
    fi
    tm kill-session -t "$s"
done

# Baseline: how long tmux takes to start a pane that prints one line.
bases=()
for i in $(seq "$RUNS"); do
    t0=$(date +%s%N)
    tm new-session -d -s "base$i" -x 80 -y 24 "echo READY; exec sleep 60"
    until_on "base$i" READY
    t1=$(date +%s%N)
    bases+=($(((t1 - t0) / 1000)))
    tm kill-session -t "base$i"
done

ms() { awk -v us="$1" 'BEGIN {printf "%.1f ms", us / 1000}'; }
printf '%-44s %s\n' "start to first frame (median of $RUNS)" "$(ms "$(printf '%s\n' "${frames[@]}" | median)")"
printf '%-44s %s\n' "start to lab data on screen (median)" "$(ms "$(printf '%s\n' "${datas[@]}" | median)")"
printf '%-44s %s\n' "tmux pane start alone, same method (median)" "$(ms "$(printf '%s\n' "${bases[@]}" | median)")"
printf '%-44s %s\n' "resident memory, lab API open (VmRSS)" "$rss"
printf '%-44s %s\n' "peak resident memory (VmHWM)" "$hwm"
printf '%-44s %s\n' "CPU while idle for 2 s" "$idle ticks"
