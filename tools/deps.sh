#!/bin/sh
# Make sure the system packages the build, the tests or the console need are
# installed. As root they are installed with apt-get; otherwise the exact
# command to run is printed and the script fails.
#   tools/deps.sh build   libraries and compiler
#   tools/deps.sh test    the above plus tmux (end-to-end tests)
set -eu
want="gcc make pkg-config python3 libncurses-dev libcurl4-openssl-dev libssl-dev libcjson-dev libmicrohttpd-dev libzip-dev"
[ "${1:-build}" = test ] && want="$want libcmocka-dev tmux curl"

# The template differential suite compares with velocityjs, from the npm
# registry, when npm is there (an install step: the tests only use loopback).
install_velocityjs() {
    [ "${1:-build}" = test ] || return 0
    command -v npm >/dev/null 2>&1 || return 0
    dir=$(cd "$(dirname "$0")/.." && pwd)/tests/vtl
    [ -d "$dir/node_modules/velocityjs" ] && return 0
    npm install --no-save --no-audit --no-fund --prefix "$dir" velocityjs@2 >/dev/null 2>&1 ||
        echo "apigw-console: could not install velocityjs with npm; the template differential suite will be skipped" >&2
}

missing=""
for p in $want; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
    install_velocityjs "${1:-build}"
    exit 0
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "apigw-console: this is not a Debian/Ubuntu system; install the equivalents of:$missing" >&2
    exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
    echo "apigw-console: installing$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
    echo "apigw-console: missing system packages. Run:" >&2
    echo "  sudo apt-get install -y$missing" >&2
    exit 1
fi
install_velocityjs "${1:-build}"
