#!/bin/sh
# Print the project's figures as a table: emulator throughput, mirror load
# requests, console start-to-first-frame, resident memory, idle CPU and bytes
# sent to the terminal per keystroke. Usage: bench/run.sh BUILD_DIR
set -u
build=${1:-build}
tmp=$(mktemp -d)
sock="apigw-bench-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
export AWS_EC2_METADATA_DISABLED=true

printf '%-48s %s\n' "figure" "value"
for b in bench_emulator bench_runtime bench_gateway bench_vtl bench_stages bench_lab; do
    "$build/bench/$b" "$tmp" | while read -r name value unit; do
        printf '%-48s %s %s\n' "$name" "$value" "$unit"
    done
done

if ! command -v tmux >/dev/null 2>&1; then
    echo "SKIPPED: console figures (tmux not found)"
    exit 0
fi
state="$tmp/state.json"
"$build/bench/bench_emulator" --make-state "$state" || exit 1

now_ms() { date +%s%3N; }
# Start the console in a fresh 80x24 tmux and wait until it shows the lab API.
# Each run gets its own tmux server: reusing one races with its shutdown.
first_frame() {
    tmux -L "$sock" kill-server 2>/dev/null
    sock="apigw-bench-$$-$1"
    t0=$(now_ms)
    tmux -L "$sock" new-session -d -x 80 -y 24 \
        "env HOME=$tmp TERM=xterm-256color $build/apigw-console --state $state"
    while ! tmux -L "$sock" capture-pane -p 2>/dev/null | grep -q ItemsAPI; do
        [ $(($(now_ms) - t0)) -gt 10000 ] && { echo "timeout" ; return 1; }
    done
    echo $(($(now_ms) - t0))
}
best=""
for i in 1 2 3 4 5; do
    first_frame "$i" >"$tmp/ms" || { echo "console did not show its first frame"; exit 1; }
    ms=$(cat "$tmp/ms")
    [ -z "$best" ] || [ "$ms" -lt "$best" ] && best=$ms
done
printf '%-48s %s ms (best of 5, includes tmux start)\n' "start_to_first_frame" "$best"

pid=$(tmux -L "$sock" list-panes -F '#{pane_pid}')
rss=$(awk '/VmRSS/ {print $2}' /proc/"$pid"/status)
printf '%-48s %s KiB\n' "resident_memory_lab_loaded" "$rss"

ticks() { awk '{print $14 + $15}' /proc/"$pid"/stat; }
t_before=$(ticks)
sleep 10
t_after=$(ticks)
hz=$(getconf CLK_TCK)
printf '%-48s %s ms\n' "cpu_while_idle_10s" "$(( (t_after - t_before) * 1000 / hz ))"

# Open the API and move the selection up and down its resources tree.
tmux -L "$sock" send-keys Enter
while ! tmux -L "$sock" capture-pane -p | grep -q '/items'; do :; done
out="$tmp/pane.out"
: >"$out"
tmux -L "$sock" pipe-pane -o "cat >> $out"
for i in 1 2 3 4; do tmux -L "$sock" send-keys j; done
for i in 1 2 3 4; do tmux -L "$sock" send-keys k; done
sleep 1
bytes=$(wc -c <"$out")
printf '%-48s %s bytes\n' "terminal_bytes_per_cursor_move" "$((bytes / 8))"

# Switch panes from the menu: each move shows another section's pane.
tmux -L "$sock" send-keys Tab
sleep 0.5
: >"$out"
for i in 1 2; do tmux -L "$sock" send-keys j; tmux -L "$sock" send-keys k; done
sleep 1
bytes=$(wc -c <"$out")
printf '%-48s %s bytes\n' "terminal_bytes_per_pane_switch" "$((bytes / 4))"
tmux -L "$sock" pipe-pane

# Key to screen: the console notes, per batch of keys read, the time from
# reading them to the frame drawn (APIGW_CONSOLE_TIMING).
timing="$tmp/timing"
tmux -L "$sock" kill-server 2>/dev/null
sock="apigw-bench-$$-timing"
tmux -L "$sock" new-session -d -x 80 -y 24 \
    "env HOME=$tmp TERM=xterm-256color APIGW_CONSOLE_TIMING=$timing $build/apigw-console --state $state"
while ! tmux -L "$sock" capture-pane -p 2>/dev/null | grep -q ItemsAPI; do :; done
: >"$timing"
tmux -L "$sock" send-keys Enter
while ! tmux -L "$sock" capture-pane -p | grep -q '/items'; do :; done
for i in $(seq 20); do
    tmux -L "$sock" send-keys j
    tmux -L "$sock" send-keys k
    tmux -L "$sock" send-keys Tab
done
sleep 1
sort -n "$timing" | awk '{v[NR] = $1} END {
    if (NR == 0) { print "key_to_screen                                    no samples"; exit }
    printf "%-48s %.2f ms median, %.2f ms max (%d keys)\n", "key_to_screen", v[int((NR + 1) / 2)] / 1000, v[NR] / 1000, NR }'
