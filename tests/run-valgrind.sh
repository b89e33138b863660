#!/bin/sh
# Run the unit test binaries under valgrind; any leak or memory error fails.
set -u
if ! command -v valgrind >/dev/null 2>&1; then
    echo "SKIPPED: valgrind (valgrind not found)"
    exit 0
fi
passed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
failed=0
for t in "$@"; do
    case "$t" in *test_store) extra="--trace-children=no" ;; *) extra="" ;; esac
    if valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
        $extra "$t" >/dev/null 2>"$log"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAILED under valgrind: $t"
        head -40 "$log"
    fi
done
echo "valgrind: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
