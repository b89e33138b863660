#!/usr/bin/env python3
"""The execute-api data plane through `serve`, checked with curl, and the
`invoke` subcommand on the same state.

Starts `apigw-console serve` on a free loopback port with a fresh state file
and builds the lab with the AWS CLI step by step, reusing lab_cli.py's steps
(their own checks are lab_cli.py's to count: here a failing step is reported
as a set-up failure). Between the steps it calls the API as the lab does and
checks what comes back, as AWS answers it:
  - the mock list and item, on both stages, through the three ways a local
    endpoint can be addressed: /restapis/{id}/{stage}/_user_request_/...,
    Host: {id}.execute-api.localhost:PORT, and curl --resolve;
  - 403 Missing Authentication Token for an unknown path, stage or method;
  - the Lambda backend through the stage variable, and stages that keep
    serving their own deployment;
  - 403 Forbidden without an API key once apiKeyRequired is deployed;
  - a cache miss then a hit on the cached prod stage;
  - 429 Limit Exceeded past a usage plan's quota;
  - `apigw-console invoke` (--json parsed, and its human output) on the
    state file serve is using.
Every request goes to 127.0.0.1. Standard library only, plus curl and aws.

Usage: dataplane.py path/to/apigw-console
"""
import json
import os
import subprocess
import sys

sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# lab_cli.py holds the lab's steps, serve's runner and the check helpers.
from lab_cli import (ACCOUNT, FUNCTION, REGION, Lab, Server, Suite, dig, patch,  # noqa: E402
                     serve_main, short)

# What the lab's mock templates render.
MOCK_LIST = [{"ID": i, "name": f"foo{i}", "price": i * 1.5} for i in (1, 2, 3)]


def mock_item(i):
    return {"ID": i, "name": f"foo{i}", "price": i * 1.5}


# What ItemsFunction returns.
LAMBDA_ITEMS = [
    {"ID": 1, "name": "Pen", "price": 2.5},
    {"ID": 2, "name": "Pencil", "price": 1.5},
    {"ID": 3, "name": "Highlighter", "price": 3.0},
    {"ID": 4, "name": "Ruler", "price": 5.0},
]

MISSING_TOKEN = {"message": "Missing Authentication Token"}
FORBIDDEN = {"message": "Forbidden"}
LIMIT_EXCEEDED = {"message": "Limit Exceeded"}


class SetUp(Suite):
    """The lab's control-plane steps, run to build the state: lab_cli.py
    counts their checks; here a failure is shown and counted once at the
    end, as one failed set-up."""

    def _pass(self):
        return True

    def _fail(self, label, detail):
        self.failed += 1
        print(f"FAIL: set-up: {label}: {detail}", flush=True)
        return False


class Answer:
    def __init__(self, status, headers, body, error=None):
        self.status, self.headers, self.body, self.error = status, headers, body, error

    @property
    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def header(self, name):
        return self.headers.get(name.lower())

    def __repr__(self):
        return self.error or f"{self.status} {short(self.body, 200)}"


class Caller:
    """curl against serve, on loopback only."""

    def __init__(self, url, tmp):
        self.url = url
        self.port = int(url.rsplit(":", 1)[1])
        self.tmp = tmp

    def curl(self, url, *extra, method="GET", headers=()):
        """One request; url must be on 127.0.0.1 unless --resolve maps it there."""
        body_file = os.path.join(self.tmp, "curl-body")
        cmd = ["curl", "-sS", "--noproxy", "*", "--max-time", "60", "-X", method,
               "-D", "-", "-o", body_file, *extra]
        for h in headers:
            cmd += ["-H", h]
        cmd.append(url)
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=90)
        except subprocess.TimeoutExpired:
            return Answer(0, {}, "", "curl timed out")
        if p.returncode != 0:
            return Answer(0, {}, "", f"curl failed ({p.returncode}): {p.stderr.strip()}")
        status, hdrs = 0, {}
        for line in p.stdout.splitlines():
            line = line.rstrip("\r")
            if line.startswith("HTTP/"):
                status, hdrs = int(line.split()[1]), {}  # the last block is the answer
            elif ":" in line:
                k, v = line.split(":", 1)
                hdrs[k.strip().lower()] = v.strip()
        with open(body_file, encoding="utf-8", errors="replace") as f:
            body = f.read()
        return Answer(status, hdrs, body)

    def path_form(self, api, stage, path, **kw):
        return self.curl(f"{self.url}/restapis/{api}/{stage}/_user_request_{path}", **kw)

    def host_form(self, api, stage, path, **kw):
        host = f"{api}.execute-api.localhost:{self.port}"
        headers = (f"Host: {host}",) + tuple(kw.pop("headers", ()))
        return self.curl(f"{self.url}/{stage}{path}", headers=headers, **kw)

    def resolve_form(self, api, stage, path, **kw):
        host = f"{api}.execute-api.localhost"
        return self.curl(f"http://{host}:{self.port}/{stage}{path}",
                         "--resolve", f"{host}:{self.port}:127.0.0.1", **kw)


class DataPlane:
    def __init__(self, binary, server, tmp, state):
        self.binary, self.tmp, self.state = binary, tmp, state
        self.setup = SetUp(server.url)
        self.s = Suite(server.url)
        self.lab = Lab(self.setup, tmp)
        self.http = Caller(server.url, tmp)
        self.key_value = "missingkeyvalue"

    # --- checks ----------------------------------------------------------
    def answer(self, label, got, status, body=None, error_type=None):
        """got has status, the JSON body (when given) and x-amzn-ErrorType."""
        s = self.s
        if not s.eq(f"{label}: status", got.status, status):
            if got.error or got.body:
                print(f"      ({got!r})")
            return False
        ok = True
        if body is not None:
            ok = s.eq(f"{label}: body", got.json, body) and ok
        if error_type is not None:
            ok = s.eq(f"{label}: x-amzn-ErrorType", got.header("x-amzn-ErrorType"), error_type) and ok
        return ok

    def invoke(self, *argv):
        """apigw-console invoke on serve's state file: (exit status, stdout, stderr)."""
        cmd = [self.binary, "invoke", "--state", self.state, "--region", REGION, *argv]
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        except subprocess.TimeoutExpired:
            return -1, "", "timed out"
        return p.returncode, p.stdout, p.stderr

    def invoke_json(self, label, *argv):
        """invoke --json; returns {stage name: stage object} (empty on failure)."""
        rc, out, err = self.invoke("--json", *argv)
        try:
            doc = json.loads(out)
        except ValueError:
            self.s.true(f"{label}: --json prints JSON", False,
                        f"exit {rc}, stdout {short(out)!r}, stderr {short(err)!r}")
            return rc, {}
        self.s.true(f"{label}: --json prints JSON", True, "")
        stages = dig(doc, "stages") or []
        return rc, {st.get("stage"): st for st in stages}

    # --- the lab, step by step -------------------------------------------------
    def run(self):
        lab = self.lab
        lab.rest_api()
        lab.models()
        lab.resources()
        lab.mock_methods()
        lab.deploy()
        self.mock_backend()
        self.unknown_routes()
        self.invoke_mock()

        lab.function()
        lab.versions_and_aliases()
        lab.permissions()
        self.item_permissions()
        lab.lambda_integration()
        self.lambda_backend()

        lab.usage_plan()
        self.key_required()
        lab.caching_and_throttling()
        self.cache()
        self.quota()
        self.s.eq("lab set-up steps all succeeded (failures above)", self.setup.failed, 0)

    # --- Defining new API Gateway resources (mock integrations) ---------------
    def mock_backend(self):
        api, h = self.lab.api, self.http
        for stage in ("dev", "prod"):
            r = h.path_form(api, stage, "/items")
            if self.answer(f"mock GET {stage} /items (path form)", r, 200, MOCK_LIST):
                self.s.eq(f"mock GET {stage} /items Content-Type",
                          (r.header("Content-Type") or "").split(";")[0], "application/json")
                self.s.true(f"mock GET {stage} /items x-amzn-RequestId",
                            bool(r.header("x-amzn-RequestId")), "no x-amzn-RequestId")
            for i in (1, 3):
                self.answer(f"mock GET {stage} /items/{i} (path form)",
                            h.path_form(api, stage, f"/items/{i}"), 200, mock_item(i))
        self.answer("mock GET dev /items (Host header)", h.host_form(api, "dev", "/items"),
                    200, MOCK_LIST)
        self.answer("mock GET prod /items/2 (Host header)", h.host_form(api, "prod", "/items/2"),
                    200, mock_item(2))
        self.answer("mock GET prod /items/2 (curl --resolve)",
                    h.resolve_form(api, "prod", "/items/2"), 200, mock_item(2))
        self.answer("mock GET dev /items (curl --resolve)", h.resolve_form(api, "dev", "/items"),
                    200, MOCK_LIST)

    def unknown_routes(self):
        api, h = self.lab.api, self.http
        mat = "MissingAuthenticationTokenException"
        self.answer("unknown path", h.path_form(api, "dev", "/nothing"), 403, MISSING_TOKEN, mat)
        self.answer("unknown path below a resource", h.path_form(api, "prod", "/items/1/more"),
                    403, MISSING_TOKEN, mat)
        self.answer("unknown stage", h.path_form(api, "beta", "/items"), 403, MISSING_TOKEN, mat)
        self.answer("method the resource does not have",
                    h.path_form(api, "dev", "/items", method="POST"), 403, MISSING_TOKEN, mat)
        self.answer("unknown path (Host header)", h.host_form(api, "dev", "/nothing"), 403,
                    MISSING_TOKEN, mat)

    def invoke_mock(self):
        s = self.s
        rc, stages = self.invoke_json("invoke GET /items/2 on the mock API", "GET", "/items/2")
        s.eq("invoke GET /items/2: exit status", rc, 0)
        s.eq("invoke GET /items/2: stages", sorted(stages), ["dev", "prod"])
        for name, st in sorted(stages.items()):
            s.eq(f"invoke {name}: status and body", [st.get("status"), st.get("body")],
                 [200, mock_item(2)])
            s.eq(f"invoke {name}: no Lambda behind a mock", st.get("lambda"), None)
            s.eq(f"invoke {name}: resource", st.get("resourcePath"), "/items/{ID}")
            s.true(f"invoke {name}: latency", isinstance(st.get("latencyMs"), (int, float)),
                   f"latencyMs {st.get('latencyMs')!r}")

        rc, out, err = self.invoke("--api", "ItemsAPI", "--stage", "prod", "GET", "/items")
        s.eq("invoke (human) exit status", rc, 0)
        s.true("invoke (human) header line", out.startswith("=== stage prod: 200 OK in "),
               f"stdout starts {short(out, 80)!r}")
        s.true("invoke (human) pretty body", '"name": "foo3"' in out, f"stdout {short(out)!r}")

        rc, stages = self.invoke_json("invoke of an unknown path", "GET", "/nothing")
        s.eq("invoke of an unknown path: exit status", rc, 1)
        s.eq("invoke of an unknown path: answers",
             [(n, st.get("status"), st.get("body")) for n, st in sorted(stages.items())],
             [("dev", 403, MISSING_TOKEN), ("prod", 403, MISSING_TOKEN)])

        rc, out, err = self.invoke("--api", "NoSuchAPI", "GET", "/items")
        s.eq("invoke --api of an unknown API", [rc, out, err.strip()],
             [1, "", "apigw-console invoke: no REST API has the id or name 'NoSuchAPI'"])
        rc, out, err = self.invoke("GET", "items")
        s.eq("invoke with a bad PATH is a usage error", rc, 2)

    # --- Configuring the API Gateway backend (Lambda) ---------------------------
    def item_permissions(self):
        """What the console adds when /items/{ID} is pointed at each alias."""
        for alias in ("dev", "prod"):
            source = f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{self.lab.api}/*/GET/items/*"
            r = self.setup.aws("lambda", "add-permission", "--function-name", FUNCTION,
                               "--qualifier", alias, "--statement-id", f"apigateway-{alias}-item",
                               "--action", "lambda:InvokeFunction",
                               "--principal", "apigateway.amazonaws.com", "--source-arn", source)
            self.setup.ok(f"add-permission {alias} for /items/*", r)

    def lambda_backend(self):
        api, h, s = self.lab.api, self.http, self.s
        self.answer("Lambda GET prod /items", h.path_form(api, "prod", "/items"), 200, LAMBDA_ITEMS)
        self.answer("Lambda GET prod /items/1", h.path_form(api, "prod", "/items/1"), 200,
                    LAMBDA_ITEMS[0])
        self.answer("Lambda GET prod /items/4 (Host header)", h.host_form(api, "prod", "/items/4"),
                    200, LAMBDA_ITEMS[3])
        # dev was not redeployed: it still serves the mock deployment.
        self.answer("dev keeps its deployment", h.path_form(api, "dev", "/items"), 200, MOCK_LIST)

        rc, stages = self.invoke_json("invoke on the Lambda backend", "--stage", "prod",
                                      "GET", "/items/2")
        prod = stages.get("prod", {})
        s.eq("invoke prod: status and body", [rc, prod.get("status"), prod.get("body")],
             [0, 200, LAMBDA_ITEMS[1]])
        s.eq("invoke prod: Lambda function, alias and version", prod.get("lambda"),
             {"function": FUNCTION, "alias": "prod", "version": "1"})

    # --- Creating API keys and usage plans ------------------------------------------
    def deploy(self, stage, description):
        r = self.setup.aws("apigateway", "create-deployment", "--rest-api-id", self.lab.api,
                           "--stage-name", stage, "--description", description)
        self.setup.ok(f"create-deployment {stage}", r)

    def key_required(self):
        api, h, s = self.lab.api, self.http, self.s
        r = self.setup.aws("apigateway", "get-api-key", "--api-key", self.lab.key, "--include-value")
        if self.setup.ok("get-api-key --include-value", r):
            self.key_value = dig(r.out, "value") or self.key_value
        # apiKeyRequired is in the configuration, not yet in any deployment.
        self.answer("no key needed before redeploying", h.path_form(api, "prod", "/items"), 200,
                    LAMBDA_ITEMS)
        self.deploy("prod", "API key required")
        self.deploy("dev", "API key required")
        for stage in ("dev", "prod"):
            self.answer(f"GET {stage} /items without a key", h.path_form(api, stage, "/items"),
                        403, FORBIDDEN, "ForbiddenException")
        self.answer("GET prod /items with a wrong key",
                    h.path_form(api, "prod", "/items", headers=("x-api-key: not-a-key",)),
                    403, FORBIDDEN, "ForbiddenException")
        key = f"x-api-key: {self.key_value}"
        self.answer("GET prod /items with the key", h.path_form(api, "prod", "/items",
                                                                headers=(key,)), 200, LAMBDA_ITEMS)
        self.answer("GET prod /items/3 with the key (Host header)",
                    h.host_form(api, "prod", "/items/3", headers=(key,)), 200, LAMBDA_ITEMS[2])
        # The lab's redeployed dev stage calls the dev alias ($LATEST).
        self.answer("GET dev /items/1 with the key (curl --resolve)",
                    h.resolve_form(api, "dev", "/items/1", headers=(key,)), 200, LAMBDA_ITEMS[0])

        rc, stages = self.invoke_json("invoke without a key", "GET", "/items")
        s.eq("invoke without a key", [rc] + [(n, st.get("status"), st.get("body"))
                                            for n, st in sorted(stages.items())],
             [1, ("dev", 403, FORBIDDEN), ("prod", 403, FORBIDDEN)])
        rc, stages = self.invoke_json("invoke with the key", "-H", key, "GET", "/items/1")
        s.eq("invoke with the key: exit status", rc, 0)
        for name, version in (("dev", "$LATEST"), ("prod", "1")):
            st = stages.get(name, {})
            s.eq(f"invoke {name} with the key: answer", [st.get("status"), st.get("body")],
                 [200, LAMBDA_ITEMS[0]])
            s.eq(f"invoke {name} with the key: Lambda", st.get("lambda"),
                 {"function": FUNCTION, "alias": name, "version": version})
            quota = st.get("quotaRemaining")
            s.true(f"invoke {name}: quota left under the plan's 1000",
                   isinstance(quota, int) and 0 <= quota < 1000, f"quotaRemaining {quota!r}")
            throttle = st.get("throttleRemaining")
            s.true(f"invoke {name}: throttle bucket", isinstance(throttle, int) and throttle >= 0,
                   f"throttleRemaining {throttle!r}")

    # --- Enabling API Gateway caching and throttling ------------------------------------
    def cache(self):
        s = self.s
        r = self.setup.aws("apigateway", "update-stage", "--rest-api-id", self.lab.api,
                           "--stage-name", "prod", "--patch-operations",
                           patch(("replace", "/*/*/caching/enabled", "true")))
        self.setup.ok("update-stage prod caching enabled", r)
        key = f"x-api-key: {self.key_value}"
        # The same stage twice in one run: the first fills the cache.
        rc, out, err = self.invoke("--json", "--stage", "prod", "--stage", "prod", "-H", key,
                                   "GET", "/items/4")
        try:
            stages = json.loads(out)["stages"]
        except (ValueError, KeyError, TypeError):
            stages = []
        s.eq("invoke prod twice: cache miss then hit",
             [rc] + [(st.get("stage"), st.get("status"), st.get("cache"), st.get("body"))
                     for st in stages],
             [0, ("prod", 200, "miss", LAMBDA_ITEMS[3]), ("prod", 200, "hit", LAMBDA_ITEMS[3])])
        rc, stages = self.invoke_json("invoke dev (no cache)", "--stage", "dev", "-H", key,
                                      "GET", "/items/4")
        s.eq("invoke dev: no cache", [rc, dig(stages, "dev", "cache")], [0, None])

    # --- a quota the lab's plan reaches ---------------------------------------------------
    def quota(self):
        s, setup, api, h = self.s, self.setup, self.lab.api, self.http
        r = setup.aws("apigateway", "update-usage-plan", "--usage-plan-id", self.lab.plan,
                      "--patch-operations", patch(("replace", "/quota/limit", "3")))
        setup.ok("update-usage-plan quota limit 3", r)
        r = setup.aws("apigateway", "create-api-key", "--name", "QuotaKey", "--enabled")
        key_id = dig(r.out, "id") if setup.ok("create-api-key QuotaKey", r) else "missingkey"
        value = dig(r.out, "value") or "missingvalue"
        r = setup.aws("apigateway", "create-usage-plan-key", "--usage-plan-id", self.lab.plan,
                      "--key-id", key_id, "--key-type", "API_KEY")
        setup.ok("create-usage-plan-key QuotaKey", r)
        key = f"x-api-key: {value}"
        self.answer("quota: request 1 of 3", h.path_form(api, "dev", "/items/1", headers=(key,)),
                    200, LAMBDA_ITEMS[0])
        rc, stages = self.invoke_json("quota: invoke as request 2 of 3", "--stage", "dev",
                                      "-H", key, "GET", "/items/1")
        s.eq("quota: invoke as request 2 of 3",
             [rc, dig(stages, "dev", "status"), dig(stages, "dev", "quotaRemaining")], [0, 200, 1])
        self.answer("quota: request 3 of 3", h.host_form(api, "dev", "/items/2", headers=(key,)),
                    200, LAMBDA_ITEMS[1])
        r = h.path_form(api, "dev", "/items/1", headers=(key,))
        if self.answer("quota: request 4 is refused", r, 429, LIMIT_EXCEEDED):
            # The type is our best guess at what AWS sends with this message.
            s.eq("quota: x-amzn-ErrorType", r.header("x-amzn-ErrorType"), "LimitExceededException")
        rc, stages = self.invoke_json("quota: invoke past the quota", "--stage", "dev", "-H", key,
                                      "GET", "/items/1")
        s.eq("quota: invoke past the quota",
             [rc, dig(stages, "dev", "status"), dig(stages, "dev", "body")],
             [1, 429, LIMIT_EXCEEDED])


def run_dataplane(binary, server, tmp, state):
    dp = DataPlane(binary, server, tmp, state)
    dp.run()
    return dp.s, lambda: dp.s.calls + dp.setup.calls


def main(argv):
    return serve_main(argv, "dataplane.py", "dataplane", run_dataplane)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
