#!/bin/sh
# Build the libFuzzer targets with clang (fuzzer, address and undefined
# sanitizers) and run each for a bounded time. Usage:
#   tests/fuzz/run.sh [SECONDS]      (default 60 per target)
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
secs=${1:-60}
out=${FUZZ_BUILD:-$root/build-fuzz}
if ! command -v clang >/dev/null 2>&1; then
    echo "SKIPPED: fuzz (clang not found)"
    exit 0
fi
mkdir -p "$out"
probe="$out/probe.c"
printf '#include <stdint.h>\n#include <stddef.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' >"$probe"
if ! clang -fsanitize=fuzzer "$probe" -o "$out/probe" >/dev/null 2>&1; then
    echo "SKIPPED: fuzz (clang lacks libFuzzer)"
    exit 0
fi
flags="-std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
-I$root/include $(pkg-config --cflags libcjson 2>/dev/null)"
libs="$(pkg-config --libs libcjson 2>/dev/null) -lm"
src="$root/src/emulator/vtl.c $root/src/emulator/vtl_parse.c $root/src/emulator/vtl_render.c \
$root/src/emulator/vtl_value.c $root/src/emulator/vtl_methods.c $root/src/emulator/vtl_regex.c \
$root/src/emulator/jsonpath.c $root/src/core/buf.c $root/src/core/err.c $root/src/core/mem.c"
# shellcheck disable=SC2086
clang $flags -o "$out/fuzz_vtl" "$here/fuzz_vtl.c" $src $libs || exit 1
work="$out/corpus_vtl"
mkdir -p "$work"
status=0
"$out/fuzz_vtl" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
    -dict="$here/vtl.dict" -artifact_prefix="$out/" "$work" "$here/corpus_vtl" "$root/tests/vtl/corpus" \
    >"$out/fuzz_vtl.log" 2>&1 || status=1
tail -n 3 "$out/fuzz_vtl.log"
if [ "$status" -ne 0 ]; then
    echo "FAILED: fuzz_vtl found a problem (see $out/fuzz_vtl.log)"
    exit 1
fi
echo "fuzz_vtl: ran ${secs}s without a finding"
