#!/bin/sh
# The whole suite: unit tests (plain and under sanitizers), end-to-end tests
# of the console in tmux, and the AWS CLI conformance run against `serve`.
set -u
cd "$(dirname "$0")/.."
RESULTS=$(mktemp)
export RESULTS
# Tests talk to loopback only; never let an AWS SDK reach for instance metadata.
export AWS_EC2_METADATA_DISABLED=true
status=0
make --no-print-directory unit || status=1
make --no-print-directory unit-san || status=1
tests/vtl/run.sh build || status=1
make --no-print-directory e2e || status=1
make --no-print-directory conformance || status=1
total=$(awk '{p+=$1; f+=$2} END {print p+0, f+0}' "$RESULTS")
rm -f "$RESULTS"
set -- $total
echo
echo "$1 passed, $2 failed"
[ "$2" -eq 0 ] && [ "$status" -eq 0 ]
