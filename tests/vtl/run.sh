#!/bin/sh
# The differential suite: every tests/vtl/corpus/NAME.vtl (with NAME.json as
# its input when present) is rendered by our engine and must equal
# NAME.expected; unless NAME is listed in java-only.txt it must also equal
# what velocityjs renders. Prints "vtl-differential: N passed, N failed" and
# appends "N M" to $RESULTS when set. Usage: tests/vtl/run.sh [BUILD_DIR]
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-build}
case "$build" in /*) ;; *) build="$root/$build" ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# The driver is built with the project's flags against its library.
[ -f "$build/libapigw.a" ] || make -C "$root" --no-print-directory BUILD="$build" "$build/libapigw.a" >/dev/null || exit 1
pkgs="ncursesw libcurl libcrypto libcjson libmicrohttpd libzip"
driver="$tmp/vtl_driver"
${CC:-cc} -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter -O1 -g \
    -I"$root/include" $(pkg-config --cflags $pkgs 2>/dev/null) -o "$driver" "$here/vtl_driver.c" \
    "$build/libapigw.a" $(pkg-config --libs $pkgs 2>/dev/null) -lpthread -lm || exit 1

js=yes
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "SKIPPED: vtl differential (node not found)"
    js=no
elif [ ! -d "$here/node_modules/velocityjs" ]; then
    # Installed by `make test-deps` (tools/deps.sh): tests themselves only talk to loopback.
    echo "SKIPPED: vtl differential (velocityjs not installed: run make test-deps)"
    js=no
fi

passed=0
failed=0
for tpl in "$here"/corpus/*.vtl; do
    name=$(basename "$tpl" .vtl)
    input=""
    [ -f "$here/corpus/$name.json" ] && input="$here/corpus/$name.json"
    "$driver" "$tpl" $input >"$tmp/ours" 2>&1
    ok=yes
    if ! cmp -s "$tmp/ours" "$here/corpus/$name.expected"; then
        ok=no
        echo "FAILED: $name differs from $name.expected"
        diff "$here/corpus/$name.expected" "$tmp/ours" | head -20
    fi
    if [ "$js" = yes ] && ! grep -qx "$name" "$here/java-only.txt"; then
        node "$here/render.js" "$tpl" $input >"$tmp/js" 2>&1
        if ! cmp -s "$tmp/ours" "$tmp/js"; then
            ok=no
            echo "FAILED: $name differs from velocityjs"
            diff "$tmp/js" "$tmp/ours" | head -20
        fi
    fi
    if [ "$ok" = yes ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "vtl-differential: $passed passed, $failed failed"
[ -n "${RESULTS:-}" ] && echo "$passed $failed" >>"$RESULTS"
[ "$failed" -eq 0 ]
