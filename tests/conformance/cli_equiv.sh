#!/bin/sh
# The CLI commands the console shows, run for real: cli_driver walks the
# lab's steps through the project's client against one `serve`, printing
# the AWS CLI command of every write request (aws_cli_command, as the
# console shows it); each command is then run with the real `aws` against a
# second, fresh `serve` (ids from the first server replaced by the second's
# as its answers come) and must exit 0 and answer as the client's request
# did (the members both answers hold, ids and dates aside). Also checks that
# every option name the console uses is the one the installed CLI knows.
# Prints "PASS: ..." / "FAIL: ..." per check, "cli_equiv: N passed, N
# failed", and appends "N M" to $RESULTS when set.
#   tests/conformance/cli_equiv.sh path/to/apigw-console
set -u
bin=${1:?usage: tests/conformance/cli_equiv.sh path/to/apigw-console}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
case "$bin" in /*) ;; *) bin="$(pwd)/$bin" ;; esac
build=$(dirname "$bin")
if ! command -v aws >/dev/null 2>&1; then
    echo "SKIPPED: cli_equiv (aws CLI not found)"
    exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
    echo "SKIPPED: cli_equiv (python3 not found)"
    exit 0
fi
tmp=$(mktemp -d)
pids=""
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
. "$here/moto_lib.sh" # free_port, wait_answering

fail_setup() {
    echo "FAIL: cli_equiv: $1"
    echo "cli_equiv: 0 passed, 1 failed"
    [ -n "${RESULTS:-}" ] && echo "0 1" >>"$RESULTS"
    exit 1
}

# The driver is built with the project's flags against its library.
[ -f "$build/libapigw.a" ] ||
    make -C "$root" --no-print-directory BUILD="$build" "$build/libapigw.a" >/dev/null ||
    fail_setup "cannot build $build/libapigw.a"
pkgs="ncursesw libcurl libcrypto libcjson libmicrohttpd libzip"
${CC:-cc} -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter -O1 -g \
    -I"$root/include" $(pkg-config --cflags $pkgs 2>/dev/null) -o "$tmp/cli_driver" \
    "$here/cli_driver.c" "$build/libapigw.a" $(pkg-config --libs $pkgs 2>/dev/null) \
    -lpthread -lm || fail_setup "cannot build cli_driver"

export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_EC2_METADATA_DISABLED=true
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_ENDPOINT_URL
# Serve answers locally; the second server's state is separate from the first's.
start_serve() { # NAME -> sets url
    port=$(free_port)
    url="http://127.0.0.1:$port"
    "$bin" serve --host 127.0.0.1 --port "$port" --state "$tmp/$1.json" >"$tmp/$1.log" 2>&1 &
    pids="$pids $!"
    wait_answering "$url/restapis" "$!" || {
        tail -5 "$tmp/$1.log"
        fail_setup "serve ($1) did not answer on $url"
    }
}
start_serve first
first=$url
start_serve second
second=$url

mkdir "$tmp/work"
(cd "$tmp/work" && "$tmp/cli_driver" "$first" us-west-2) >"$tmp/steps.jsonl" 2>"$tmp/driver.err"
driver=$? # 1: some step failed (each is in steps.jsonl); anything else: it broke off
grep -v '^$' "$tmp/driver.err"
"$tmp/cli_driver" --options >"$tmp/options.txt" || fail_setup "cli_driver --options failed"

python3 - "$tmp/steps.jsonl" "$tmp/options.txt" "$second" "$tmp/work" "$driver" <<'PY'
import json, os, re, subprocess, sys

steps_file, options_file, url, work, driver_status = sys.argv[1:6]
REGION = "us-west-2"
passed = failed = 0

def ok(label):
    global passed
    passed += 1
    print(f"PASS: cli_equiv: {label}", flush=True)

def fail(label, why, command=None):
    global failed
    failed += 1
    print(f"FAIL: cli_equiv: {label}: {why}", flush=True)
    if command is not None:
        print("    command: " + command.replace("\\", "\\\\").replace("\n", "\\n"), flush=True)

config = os.path.join(work, "aws-config")
with open(config, "w") as f:
    # CLI v1 would fetch http:// and https:// values; v2 never does.
    f.write("[default]\ncli_follow_urlparam = false\n")
env = dict(os.environ, AWS_CONFIG_FILE=config, AWS_SHARED_CREDENTIALS_FILE="/dev/null",
           AWS_PAGER="", AWS_MAX_ATTEMPTS="1", AWS_DEFAULT_REGION=REGION)
for k in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_CA_BUNDLE",
          "AWS_RETRY_MODE", "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
    env.pop(k, None)

version = subprocess.run(["aws", "--version"], capture_output=True, text=True, env=env)
v1 = (version.stdout + version.stderr).startswith("aws-cli/1.")
if v1:
    print("note: aws-cli/1 reads blob values raw; --cli-binary-format (CLI v2) is left out")

# --- option names -------------------------------------------------------------
try:
    from awscli.clidriver import create_clidriver
    table = create_clidriver()._get_command_table()
except Exception as e:  # the CLI's own Python may not be this python3
    table = None
    print(f"SKIPPED: cli_equiv option names (awscli not importable from python3: {e})")
if table is not None:
    ours = {}
    for line in open(options_file):
        svc, op, member, option = line.split()
        ours.setdefault((svc, op), []).append((member, option))
    for svc in ("apigateway", "lambda"):
        cmds = table[svc]._get_command_table()
        bad, n = [], 0
        for (s, op), members in sorted(ours.items()):
            if s != svc or op not in cmds:
                continue  # the installed CLI's model may lack newer operations
            names = {}
            for name, arg in cmds[op].arg_table.items():
                names.setdefault(getattr(arg, "_serialized_name", None), set()).add(name)
            for member, option in members:
                if member not in names:
                    continue
                n += 1
                if option not in names[member]:
                    bad.append(f"{op} {member}: ours --{option}, the CLI's "
                               + " ".join("--" + x for x in sorted(names[member])))
        label = f"option names of {svc} ({n} members)"
        if bad:
            fail(label, "; ".join(bad))
        elif n == 0:
            fail(label, "no member of ours is known to the installed CLI")
        else:
            ok(label)

# --- the commands ---------------------------------------------------------------
VOLATILE = {"id", "rootResourceId", "createdDate", "lastUpdatedDate", "LastModified",
            "RevisionId", "value", "deploymentId", "latency", "log", "headers",
            "multiValueHeaders"}
ids = {}  # first server's id -> second server's

def swap(text):
    for old, new in ids.items():
        text = re.sub(r"(?<![A-Za-z0-9])" + re.escape(old) + r"(?![A-Za-z0-9])",
                      lambda _m: new, text)
    return text

def learn(mine, theirs):
    """Pair the ids of the two answers."""
    if not isinstance(mine, dict) or not isinstance(theirs, dict):
        return
    for key in ("id", "rootResourceId", "Version"):
        a, b = mine.get(key), theirs.get(key)
        if isinstance(a, str) and isinstance(b, str) and a != b and len(a) >= 4:
            ids[a] = b

def differences(mine, theirs):
    if not isinstance(mine, dict) or not isinstance(theirs, dict):
        return []
    mine = json.loads(swap(json.dumps(mine)))
    return [k for k in sorted(set(mine) & set(theirs) - VOLATILE) if mine[k] != theirs[k]]

for line in open(steps_file):
    rec = json.loads(line)
    step, command = rec["step"], rec.get("command", "")
    if not rec.get("ok"):
        fail(step, "the client's request failed on the first server: " + rec.get("error", "?"),
             command or None)
        continue
    if not command.startswith("aws "):
        fail(step, "not an aws command", command)
        continue
    run = swap(command)
    if v1:
        run = run.replace(" --cli-binary-format raw-in-base64-out", "")
    full = f"aws --endpoint-url {url} --region {REGION} --output json " + run[4:]
    p = subprocess.run(["sh", "-c", full], cwd=work, env=env, capture_output=True, text=True,
                       timeout=120)
    if p.returncode != 0:
        err = [l for l in p.stderr.splitlines() if l.strip()]
        fail(step, f"exit {p.returncode}: " + (err[-1] if err else "no message"), run)
        continue
    out = None
    if p.stdout.strip():
        try:
            out = json.loads(p.stdout)
        except ValueError:
            fail(step, "the CLI's answer is not JSON: " + p.stdout[:200], run)
            continue
    mine = rec.get("result")
    learn(mine, out)
    diff = differences(mine, out)
    if isinstance(mine, dict) and "Payload" in mine and run.endswith(" response.json"):
        try:
            with open(os.path.join(work, "response.json")) as f:
                if json.loads(f.read()) != json.loads(mine["Payload"]):
                    diff.append("Payload (response.json)")
        except (OSError, ValueError) as e:
            diff.append(f"Payload (response.json: {e})")
    if diff:
        fail(step, "answered otherwise than the client's request: " + ", ".join(diff), run)
    else:
        ok(step)

if driver_status not in ("0", "1"):
    fail("cli_driver", f"it stopped with status {driver_status} before the end of the steps")
elif passed + failed == 0:
    fail("cli_driver", "no step was run")

print(f"cli_equiv: {passed} passed, {failed} failed")
results = os.environ.get("RESULTS")
if results:
    with open(results, "a") as f:
        f.write(f"{passed} {failed}\n")
sys.exit(1 if failed else 0)
PY
