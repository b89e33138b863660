#!/bin/sh
# AWS CLI conformance: the lab's control-plane steps, run with the real `aws`
# command against `apigw-console serve`, checked as AWS answers them.
#   tests/conformance/run.sh build/apigw-console
# Prints one line per failed check and a closing count; appends
# "passed failed" to $RESULTS when set.
set -u
bin=${1:?usage: tests/conformance/run.sh path/to/apigw-console}
if ! command -v aws >/dev/null 2>&1; then
    echo "SKIPPED: conformance (aws CLI not found)"
    exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
    echo "SKIPPED: conformance (python3 not found)"
    exit 0
fi
exec python3 "$(dirname "$0")/lab_cli.py" "$bin"
