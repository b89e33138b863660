#!/bin/sh
# AWS CLI conformance: the lab's control-plane steps, run with the real `aws`
# command against `apigw-console serve`, checked as AWS answers them; then
# the execute-api data plane through `serve` with curl, and the `invoke`
# subcommand on the same state.
#   tests/conformance/run.sh build/apigw-console
# Last, moto.sh runs the project's own client against moto_server.
# Each script prints one line per failed check and a closing count, and
# appends "passed failed" to $RESULTS when set.
set -u
bin=${1:?usage: tests/conformance/run.sh path/to/apigw-console}
here=$(dirname "$0")
if ! command -v aws >/dev/null 2>&1; then
    echo "SKIPPED: conformance (aws CLI not found)"
    exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
    echo "SKIPPED: conformance (python3 not found)"
    exit 0
fi
status=0
python3 "$here/lab_cli.py" "$bin" || status=1
python3 "$here/gateway_responses.py" "$bin" || status=1
if command -v curl >/dev/null 2>&1; then
    python3 "$here/dataplane.py" "$bin" || status=1
else
    echo "SKIPPED: data-plane conformance (curl not found)"
fi
sh "$here/cli_equiv.sh" "$bin" || status=1
# The project's own client against moto_server, built from the binary's build dir.
sh "$here/moto.sh" "$(dirname "$bin")" || status=1
sh "$here/lab_steps.sh" "$bin" || status=1
exit $status
