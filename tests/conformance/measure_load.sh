#!/bin/sh
# Figures for the report (not part of make test): what loading the lab's API
# costs the console's mirror (mirror_refresh + mirror_refresh_api over the
# curl transport: HTTP requests and wall time) against `apigw-console serve`
# and against moto_server, next to the aws CLI calls and wall time needed to
# read the same things. Each endpoint first gets the lab through moto_client.
#   tests/conformance/measure_load.sh [BUILD_DIR] [RUNS]
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-build}
runs=${2:-5}
case "$build" in /*) ;; *) build="$root/$build" ;; esac
for tool in moto_server aws python3; do
    command -v "$tool" >/dev/null 2>&1 || { echo "measure_load: $tool not found"; exit 1; }
done
[ -x "$build/apigw-console" ] ||
    make -C "$root" --no-print-directory BUILD="$build" "$build/apigw-console" >/dev/null || exit 1
tmp=$(mktemp -d)
serve_pid=""
moto_pid=""
cleanup() {
    [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null
    [ -n "$moto_pid" ] && kill "$moto_pid" 2>/dev/null && wait "$moto_pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
. "$here/moto_lib.sh"
build_moto_client || exit 1
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_EC2_METADATA_DISABLED=true
unset AWS_SESSION_TOKEN AWS_PROFILE

# serve announces its port on its first line.
"$build/apigw-console" serve --host 127.0.0.1 --port 0 --state "$tmp/state.json" >"$tmp/serve.out" 2>&1 &
serve_pid=$!
serve_url=""
i=0
while [ -z "$serve_url" ] && [ $i -lt 300 ]; do
    serve_url=$(sed -n 's|^apigw-console: serving the emulator on \(http://[0-9.:]*\) .*|\1|p' "$tmp/serve.out")
    [ -z "$serve_url" ] && sleep 0.02
    i=$((i + 1))
done
[ -n "$serve_url" ] && wait_answering "$serve_url/restapis" "$serve_pid" ||
    { echo "measure_load: serve did not start"; cat "$tmp/serve.out"; exit 1; }

moto_url="http://127.0.0.1:$(free_port)"
moto_server -H 127.0.0.1 -p "${moto_url##*:}" >"$tmp/moto.log" 2>&1 &
moto_pid=$!
wait_answering "$moto_url/" "$moto_pid" || { echo "measure_load: moto_server did not start"; exit 1; }
create_lab_role "$moto_url" || exit 1

ms_now() { python3 -c 'import time; print(int(time.monotonic() * 1000))'; }

# The eight reads the aws CLI needs for what the mirror loads.
aws_reads() {
    api=$(aws --endpoint-url "$1" --region us-west-2 apigateway get-rest-apis \
        --query "items[?name=='ItemsAPI'].id | [0]" --output text)
    for op in "get-resources --embed methods" get-stages get-models get-deployments; do
        aws --endpoint-url "$1" --region us-west-2 apigateway $op --rest-api-id "$api" >/dev/null
    done
    for op in "apigateway get-usage-plans" "apigateway get-api-keys" "lambda list-functions"; do
        aws --endpoint-url "$1" --region us-west-2 $op >/dev/null
    done
}

measure() { # NAME URL
    "$tmp/moto_client" "$1" us-west-2 >/dev/null 2>"$tmp/lab.err" ||
        { echo "measure_load: the lab failed on $2:"; cat "$tmp/lab.err"; exit 1; }
    echo "$2 ($1), $runs runs each:"
    n=0
    while [ $n -lt "$runs" ]; do
        "$tmp/moto_client" --load "$1" us-west-2 || exit 1
        n=$((n + 1))
    done | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
ms = sorted(r["ms"] for r in rows)
first = rows[0]
n = first["requests"]
print(f"  mirror: {n} HTTP requests, wall {ms[len(ms) // 2]:.1f} ms median "
      f"(min {ms[0]:.1f}, max {ms[-1]:.1f})")
print("  loaded:", json.dumps(first))'
    n=0
    best=""
    total=0
    while [ $n -lt "$runs" ]; do
        t0=$(ms_now)
        aws_reads "$1"
        t=$(($(ms_now) - t0))
        total=$((total + t))
        { [ -z "$best" ] || [ "$t" -lt "$best" ]; } && best=$t
        n=$((n + 1))
    done
    echo "  aws CLI: 8 calls, wall $((total / runs)) ms mean (min $best ms)"
}

measure "$serve_url" "apigw-console serve"
measure "$moto_url" "moto_server"
