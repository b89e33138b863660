#!/bin/sh
# The project's own client against moto_server: moto_client runs the lab's
# control-plane steps through the typed client over the curl transport
# (--endpoint-url, static credentials from the environment), then
# moto_check.py reads everything back with the real aws CLI and checks it.
# Prints "moto: N passed, N failed" and appends "N M" to $RESULTS when set.
#   tests/conformance/moto.sh [BUILD_DIR]
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-build}
case "$build" in /*) ;; *) build="$root/$build" ;; esac
for tool in moto_server aws python3; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "SKIPPED: moto ($tool not found)"
        exit 0
    fi
done
tmp=$(mktemp -d)
pid=""
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
. "$here/moto_lib.sh"
build_moto_client || exit 1

export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_EC2_METADATA_DISABLED=true
unset AWS_SESSION_TOKEN AWS_PROFILE
port=$(free_port)
url="http://127.0.0.1:$port"
moto_server -H 127.0.0.1 -p "$port" >"$tmp/moto.log" 2>&1 &
pid=$!
if ! wait_answering "$url/" "$pid"; then
    echo "FAILED: moto: moto_server did not answer on $url"
    tail -5 "$tmp/moto.log"
    echo "moto: 0 passed, 1 failed"
    [ -n "${RESULTS:-}" ] && echo "0 1" >>"$RESULTS"
    exit 1
fi
create_lab_role "$url" || echo "moto: could not create the lab's IAM role"
"$tmp/moto_client" "$url" us-west-2 >"$tmp/ids.json" 2>"$tmp/client.err"
status=$?
# Skipped steps are expected; anything else on stderr is a failure to show.
grep -v '^SKIPPED step:' "$tmp/client.err"
python3 "$here/moto_check.py" "$url" us-west-2 "$tmp/ids.json" "$status"
