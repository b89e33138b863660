# Shared by moto.sh and measure_load.sh (sourced, POSIX sh): build
# moto_client against the project's library, find a free loopback port, and
# wait for a server to answer. Expects $here, $root, $build and $tmp.

# The driver is built with the project's flags, as tests/vtl/run.sh builds its own.
build_moto_client() {
    [ -f "$build/libapigw.a" ] ||
        make -C "$root" --no-print-directory BUILD="$build" "$build/libapigw.a" >/dev/null || return 1
    pkgs="ncursesw libcurl libcrypto libcjson libmicrohttpd libzip"
    ${CC:-cc} -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter -O1 -g \
        -I"$root/include" $(pkg-config --cflags $pkgs 2>/dev/null) -o "$tmp/moto_client" \
        "$here/moto_client.c" "$build/libapigw.a" $(pkg-config --libs $pkgs 2>/dev/null) \
        -lpthread -lm
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_answering URL PID: until any HTTP answer comes from URL (polling, 15 s
# at most); fails at once when process PID has gone.
wait_answering() {
    python3 - "$1" "$2" <<'PY'
import os, sys, time, urllib.error, urllib.request
url, pid = sys.argv[1], int(sys.argv[2])
deadline = time.monotonic() + 15
while time.monotonic() < deadline:
    try:
        urllib.request.urlopen(url, timeout=2).close()
        sys.exit(0)
    except urllib.error.HTTPError:
        sys.exit(0)
    except OSError:
        try:
            os.kill(pid, 0)
        except OSError:
            sys.exit(1)
        time.sleep(0.02)
sys.exit(1)
PY
}

# The IAM role the lab's function runs as: Lambda (and moto) refuse a
# CreateFunction whose role does not exist; the project's client has no IAM.
create_lab_role() {
    aws --endpoint-url "$1" --region us-west-2 iam create-role --role-name lambda_basic_execution \
        --assume-role-policy-document '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}' >/dev/null
}
