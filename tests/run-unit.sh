#!/bin/sh
# Run cmocka test binaries; print each failure and one closing line.
# Appends "passed failed" to $RESULTS when set.
set -u
passed=0
failed=0
log=$(mktemp)
for t in "$@"; do
    "$t" >"$log" 2>&1
    rc=$?
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\./\1/p' "$log" | awk '{s+=$1} END {print s+0}')
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed below:/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1 # crashed or exited early: count it
    fi
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$f" -ne 0 ]; then
        echo "FAILED: $t (exit $rc)"
        sed -n '/FAILED\|ERROR\|error\|Sanitizer\|runtime error/p' "$log" | head -40
    fi
done
rm -f "$log"
echo "unit ($(basename "$(dirname "$(dirname "${1:-x/x/x}")")")): $passed passed, $failed failed"
[ -n "${RESULTS:-}" ] && echo "$passed $failed" >>"$RESULTS"
[ "$failed" -eq 0 ]
