#!/bin/sh
# The lab engine (`apigw-console lab`) over HTTP: a small driver runs the lab
# subcommand through the project's client on the curl transport, as main
# does for --endpoint-url, against
#   1. moto_server: every control-plane step, one at a time (status fails
#      before the step and passes after it), setup again changes nothing,
#      then the clean-up. moto has no data plane and runs no functions, so
#      the checks that call the stages or run the test events are skipped
#      there (--no-probes), and said so;
#   2. `apigw-console serve`: the whole lab with every check, data plane
#      included, and the time `lab setup --through 10` takes over HTTP.
# Prints one line per failed check and "lab_steps: N passed, N failed";
# appends "N M" to $RESULTS when set.
#   tests/conformance/lab_steps.sh path/to/apigw-console
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${1:?usage: tests/conformance/lab_steps.sh path/to/apigw-console}
case "$bin" in /*) ;; *) bin="$root/$bin" ;; esac
build=$(dirname "$bin")
for tool in python3 aws; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "SKIPPED: lab_steps ($tool not found)"
        exit 0
    fi
done
tmp=$(mktemp -d)
moto_pid=""
serve_pid=""
cleanup() {
    [ -n "$moto_pid" ] && kill "$moto_pid" 2>/dev/null && wait "$moto_pid" 2>/dev/null
    [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
. "$here/moto_lib.sh"

export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_EC2_METADATA_DISABLED=true
unset AWS_SESSION_TOKEN AWS_PROFILE

passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() {
    failed=$((failed + 1))
    echo "FAILED: lab_steps: $*"
}

# The driver: `lab_driver ENDPOINT REGION lab ARGS...`, what main does for
# `apigw-console --endpoint-url ENDPOINT lab ARGS...`.
cat >"$tmp/lab_driver.c" <<'EOF'
#include <stdio.h>
#include <string.h>

#include "cli/lab.h"
#include "transport/credentials.h"
#include "transport/curl.h"

int main(int argc, char **argv) {
    if (argc < 4 || strcmp(argv[3], "lab") != 0) {
        fputs("usage: lab_driver ENDPOINT REGION lab ARGS...\n", stderr);
        return 2;
    }
    cred_chain *cc = cred_chain_new(&(cred_opts){0});
    err e;
    curl_transport_opts co = {.region = argv[2], .creds = cc, .endpoint_url = argv[1]};
    transport *t = curl_transport_new(&co, &e);
    if (!t) {
        fprintf(stderr, "lab_driver: %s\n", e.msg);
        cred_chain_free(cc);
        return 1;
    }
    client *cl = client_new(t, argv[2]);
    lab_backend b = {.cl = cl, .path_style = true, .where = argv[1]};
    int rc = lab_main(argc - 3, argv + 3, &b);
    client_free(cl);
    transport_destroy(t);
    cred_chain_free(cc);
    return rc;
}
EOF
[ -f "$build/libapigw.a" ] ||
    make -C "$root" --no-print-directory BUILD="$build" "$build/libapigw.a" >/dev/null || exit 1
pkgs="ncursesw libcurl libcrypto libcjson libmicrohttpd libzip"
if ! ${CC:-cc} -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O1 -g -I"$root/include" \
    $(pkg-config --cflags $pkgs 2>/dev/null) -o "$tmp/lab_driver" "$tmp/lab_driver.c" \
    "$build/libapigw.a" $(pkg-config --libs $pkgs 2>/dev/null) -lpthread -lm; then
    echo "FAILED: lab_steps: the driver did not build"
    echo "lab_steps: 0 passed, 1 failed"
    [ -n "${RESULTS:-}" ] && echo "0 1" >>"$RESULTS"
    exit 1
fi

# lab ENDPOINT ARGS...: run the driver, output in $tmp/out; its exit status.
lab() {
    url=$1
    shift
    "$tmp/lab_driver" "$url" us-west-2 lab "$@" >"$tmp/out" 2>&1 </dev/null
}

# expect STATUS WHAT ENDPOINT ARGS...: the driver exits with STATUS.
expect() {
    want=$1 what=$2
    shift 2
    lab "$@"
    got=$?
    if [ "$got" -eq "$want" ]; then
        ok
    else
        bad "$what: exit $got, want $want"
        sed 's/^/    /' "$tmp/out" | grep -v '^    [ 0-9][0-9]  \|^$' | head -20
    fi
}

# contains WHAT TEXT: the last output holds TEXT.
contains() {
    if grep -qF -- "$2" "$tmp/out"; then ok; else bad "$1: '$2' not in the output"; fi
}

# json_passed WHAT: the last output is status --json with "passed": true.
json_passed() {
    if python3 -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))["passed"] else 1)' \
        "$tmp/out" 2>/dev/null; then
        ok
    else
        bad "$1: status --json does not pass"
        head -c 2000 "$tmp/out" | sed 's/^/    /'
    fi
}

# steps FIRST LAST ENDPOINT [--no-probes]: for each step from FIRST to LAST,
# status fails before it and passes after `setup --through` it.
steps() {
    first=$1 last=$2 where=$3
    shift 3
    n=$first
    while [ "$n" -le "$last" ]; do
        expect 1 "$where: status --through $n before step $n" "$url" status --through $n "$@"
        expect 0 "$where: setup --through $n" "$url" setup --through $n "$@"
        contains "$where: setup --through $n" "Through step $n: "
        expect 0 "$where: status --through $n after step $n" "$url" status --through $n --json "$@"
        json_passed "$where: step $n"
        n=$((n + 1))
    done
}

# --- 1. moto_server --------------------------------------------------------------------
if command -v moto_server >/dev/null 2>&1; then
    url="http://127.0.0.1:$(free_port)"
    moto_server -H 127.0.0.1 -p "${url##*:}" >"$tmp/moto.log" 2>&1 &
    moto_pid=$!
    if wait_answering "$url/" "$moto_pid" && create_lab_role "$url"; then
        echo "SKIPPED: lab_steps on moto: the checks that call the dev and prod stages or run" \
            "the test events (moto_server has no data plane and runs no functions)"
        expect 0 "moto: steps 1 and 2 pass at once" "$url" status --through 2 --no-probes
        steps 3 7 moto --no-probes
        expect 0 "moto: setup again" "$url" setup --through 7 --no-probes
        contains "moto: setup again changes nothing" "0 changes. The checks now:"
        # Step 8 marks the GET methods 'API key required' with UpdateMethod,
        # which moto_server does not implement (PutMethod cannot change a
        # method that exists): steps 8 to 10 are checked through serve below.
        expect 1 "moto: setup --through 8 stops at UpdateMethod" "$url" setup --through 8 --no-probes
        contains "moto: step 8 made the plan first" "created the usage plan CloudAcademyPlan"
        if grep -q "The update_method action has not been implemented" "$tmp/moto.log"; then
            ok
            echo "SKIPPED: lab_steps on moto: steps 8 to 10 (moto_server lacks UpdateMethod)"
        else
            bad "moto: step 8 stopped for another reason than moto's missing UpdateMethod"
        fi
        expect 1 "moto: clean-up checks before the clean-up" "$url" status --through 11 --no-probes
        expect 0 "moto: setup --through 11 (the clean-up)" "$url" setup --through 11 --yes
        contains "moto: the clean-up deletes the key" "deleted API key LabKey"
        contains "moto: the clean-up deletes the function" "deleted function ItemsFunction"
        expect 0 "moto: nothing of the lab is left" "$url" status --through 11 --no-probes
        expect 2 "moto: reset is refused off the emulator" "$url" reset --yes
        contains "moto: reset says why" "use 'apigw-console lab cleanup'"
    else
        bad "moto_server did not start, or the lab's role could not be made"
        tail -5 "$tmp/moto.log"
    fi
else
    echo "SKIPPED: lab_steps on moto (moto_server not found)"
fi

# --- 2. apigw-console serve, with the data plane ----------------------------------------
ms_now() { python3 -c 'import time; print(int(time.monotonic() * 1000))'; }
if [ -x "$bin" ]; then
    "$bin" serve --host 127.0.0.1 --port 0 --state "$tmp/state.json" >"$tmp/serve.out" 2>&1 &
    serve_pid=$!
    url=""
    i=0
    while [ -z "$url" ] && [ $i -lt 300 ]; do
        url=$(sed -n 's|^apigw-console: serving the emulator on \(http://[0-9.:]*\) .*|\1|p' \
            "$tmp/serve.out")
        [ -z "$url" ] && sleep 0.02
        i=$((i + 1))
    done
    if [ -n "$url" ] && wait_answering "$url/restapis" "$serve_pid"; then
        t0=$(ms_now)
        expect 0 "serve: setup --through 10" "$url" setup --through 10
        t1=$(ms_now)
        contains "serve: every check, data plane included" \
            "Through step 10: 55 checks pass, 0 fail. Done."
        echo "lab_steps: 'lab setup --through 10' through serve took $((t1 - t0)) ms"
        expect 0 "serve: status" "$url" status --json
        json_passed "serve: status"
        expect 0 "serve: setup again" "$url" setup --through 10
        contains "serve: setup again changes nothing" "0 changes. The checks now:"
        expect 0 "serve: the clean-up" "$url" cleanup --yes
        expect 0 "serve: nothing of the lab is left" "$url" status --through 11
        steps 3 10 serve
        expect 0 "serve: setup --through 11 (the clean-up)" "$url" setup --through 11 --yes
        expect 0 "serve: nothing of the lab is left again" "$url" status --through 11
    else
        bad "serve did not start"
        cat "$tmp/serve.out"
    fi
else
    echo "SKIPPED: lab_steps through serve ($bin not built)"
fi

echo "lab_steps: $passed passed, $failed failed"
[ -n "${RESULTS:-}" ] && echo "$passed $failed" >>"$RESULTS"
[ "$failed" -eq 0 ]
