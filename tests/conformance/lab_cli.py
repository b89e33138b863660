#!/usr/bin/env python3
"""The lab's control-plane steps with the real AWS CLI against `serve`.

Starts `apigw-console serve` on a free loopback port with a fresh state file,
then walks the lab (ItemsAPI, models, /items and /items/{ID} with mock
integrations, dev and prod stages, ItemsFunction with a version and two
aliases, the Lambda integration through the lambdaAlias stage variable, a
usage plan with an API key, method settings, and the clean-up) with `aws`,
checking every answer as AWS gives it, errors included as the CLI prints
them. Standard library only; every call is a subprocess running `aws`.

Usage: lab_cli.py path/to/apigw-console
"""
import base64
import ctypes
import datetime
import hashlib
import io
import json
import os
import re
import select
import signal
import stat
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile

ACCOUNT = "123456789012"
REGION = "us-west-2"
ROLE = "arn:aws:iam::123456789012:role/lambda_basic_execution"
FUNCTION = "ItemsFunction"
FUNCTION_ARN = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{FUNCTION}"
LAMBDA_URI = (
    f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/"
    f"{FUNCTION_ARN}:${{stageVariables.lambdaAlias}}/invocations"
)

ITEM_SCHEMA = json.dumps(
    {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "title": "Item Schema",
        "type": "object",
        "properties": {
            "ID": {"type": "number"},
            "name": {"type": "string"},
            "price": {"type": "number"},
        },
    },
    indent=2,
)

ASSETS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "assets", "lab")


def _asset(name):
    with open(os.path.join(ASSETS, name), encoding="utf-8") as f:
        return f.read()


# The mock list of three items and the mock item from the ID path parameter,
# as the lab writes them (the files the program embeds).
LIST_TEMPLATE = _asset("items-list.vtl")
ITEM_TEMPLATE = _asset("item.vtl")

LAMBDA_REQUEST_TEMPLATE = '{\n"ID": $input.params("ID")\n}'

# The lab's lambda_function.py, the file the program embeds.
FUNCTION_CODE = _asset("lambda_function.py")


def dig(obj, *path):
    """obj[path[0]][path[1]]..., or None when any step is missing."""
    for p in path:
        if isinstance(obj, dict) and p in obj:
            obj = obj[p]
        elif isinstance(obj, list) and isinstance(p, int) and -len(obj) <= p < len(obj):
            obj = obj[p]
        else:
            return None
    return obj


def short(v, n=160):
    s = v if isinstance(v, str) else json.dumps(v, sort_keys=True)
    return s if len(s) <= n else s[: n - 3] + "..."


class Result:
    def __init__(self, argv, rc, out, err):
        self.argv, self.rc, self.out, self.err = argv, rc, out, err

    @property
    def what(self):
        return "aws " + " ".join(self.argv[:2])

    def last_error_line(self):
        lines = [l for l in self.err.splitlines() if l.strip()]
        return lines[-1] if lines else f"exit status {self.rc}"


def die_with_parent():
    """In the child: get SIGTERM if this runner dies without cleaning up
    (Linux), so no server is left behind even after a SIGKILL."""
    try:
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        pass


class Server:
    """`apigw-console serve` on a free loopback port (--port 0, then the
    address it prints)."""

    def __init__(self, binary, state):
        self.proc = subprocess.Popen(
            [binary, "serve", "--host", "127.0.0.1", "--port", "0", "--state", state],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=die_with_parent,
        )
        line = self._first_line(10.0)
        m = re.match(
            r"apigw-console: serving the emulator on http://127\.0\.0\.1:(\d+) \(state: (.*)\)$", line
        )
        if not m:
            self.stop()
            raise RuntimeError(f"serve did not announce its address; it printed {line!r}, "
                               f"stderr {self.proc.stderr.read()!r}")
        self.announced_state = m.group(2)
        self.url = f"http://127.0.0.1:{m.group(1)}"
        self._wait_until_answering(10.0)

    def _first_line(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.proc.stdout], [], [], deadline - time.monotonic())
            if ready:
                return self.proc.stdout.readline().rstrip("\n")
        return ""

    def _wait_until_answering(self, timeout):
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(self.url + "/restapis", timeout=2).close()
                return
            except urllib.error.HTTPError:
                return  # any HTTP answer will do
            except OSError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("serve does not answer on " + self.url)
                time.sleep(0.02)

    def stop(self):
        """SIGTERM, then the exit status (None if it had to be killed)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                return None
        return self.proc.returncode


class Suite:
    def __init__(self, url):
        self.url = url
        self.passed = 0
        self.failed = 0
        self.calls = 0
        self.env = dict(os.environ)
        self.env.update(
            AWS_ACCESS_KEY_ID="testing",
            AWS_SECRET_ACCESS_KEY="testing",
            AWS_DEFAULT_REGION=REGION,
            AWS_EC2_METADATA_DISABLED="true",
            AWS_CONFIG_FILE="/dev/null",
            AWS_SHARED_CREDENTIALS_FILE="/dev/null",
            AWS_PAGER="",
            # One attempt: a 5xx or 429 is an answer to check, not to retry.
            # (The legacy retry mode, the CLI's default, keeps AWS's error
            # lines as they are; the standard mode appends a retry count.)
            AWS_MAX_ATTEMPTS="1",
        )
        for k in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ENDPOINT_URL",
                  "AWS_CA_BUNDLE", "AWS_RETRY_MODE", "HTTP_PROXY", "HTTPS_PROXY", "http_proxy",
                  "https_proxy"):
            self.env.pop(k, None)

    # --- running aws -----------------------------------------------------
    def aws(self, *argv):
        cmd = ["aws", "--endpoint-url", self.url, "--output", "json", *argv]
        self.calls += 1
        try:
            p = subprocess.run(cmd, env=self.env, capture_output=True, text=True, timeout=60)
        except subprocess.TimeoutExpired:
            return Result(argv, -1, None, "timed out after 60 s")
        out = None
        if p.returncode == 0 and p.stdout.strip():
            try:
                out = json.loads(p.stdout)
            except ValueError:
                out = p.stdout
        return Result(argv, p.returncode, out, p.stderr.strip())

    # --- checks ------------------------------------------------------------
    def _pass(self):
        self.passed += 1
        return True

    def _fail(self, label, detail):
        self.failed += 1
        print(f"FAIL: {label}: {detail}", flush=True)
        return False

    def ok(self, label, res):
        """The call succeeded."""
        if res.rc == 0:
            return self._pass()
        return self._fail(label, f"{res.what} failed: {short(res.last_error_line(), 300)}")

    def eq(self, label, got, want):
        if got == want:
            return self._pass()
        return self._fail(label, f"got {short(got)}, want {short(want)}")

    def true(self, label, cond, detail):
        return self._pass() if cond else self._fail(label, detail)

    def error(self, label, res, code, operation, message=None):
        """The call failed as the CLI shows AWS errors:
        'An error occurred (CODE) when calling the OPERATION operation: MESSAGE'."""
        if res.rc == 0:
            return self._fail(label, f"{res.what} succeeded; want {code}")
        line = res.last_error_line()
        head = f"An error occurred ({code}) when calling the {operation} operation: "
        if not line.startswith(head):
            return self._fail(label, f"got {short(line, 300)!r}, want it to start with {head!r}")
        if message is not None and line[len(head):] != message:
            return self._fail(label, f"message {line[len(head):]!r}, want {message!r}")
        if message is None and not line[len(head):].strip():
            return self._fail(label, "the error has no message")
        return self._pass()


def fetch(url):
    """The bytes at url (loopback only), or the error as text."""
    if not isinstance(url, str) or not url.startswith("http://127.0.0.1:"):
        return f"not a loopback URL: {url!r}"
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.read()
    except Exception as exc:  # the check reports what went wrong
        return f"{type(exc).__name__}: {exc}"


def function_zip():
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as z:
        info = zipfile.ZipInfo("lambda_function.py", date_time=(2024, 1, 1, 0, 0, 0))
        info.external_attr = 0o644 << 16
        z.writestr(info, FUNCTION_CODE)
    return data.getvalue()


def patch(*ops):
    return json.dumps([{"op": op, "path": path, "value": value} for op, path, value in ops])


class Lab:
    def __init__(self, suite, tmpdir):
        self.s = suite
        self.tmp = tmpdir
        # Placeholders keep later steps running (and failing visibly) when
        # an earlier one could not create what they need.
        self.api = "missingapi"
        self.root = "missingroot"
        self.items = "missingitems"
        self.item = "missingitem"
        self.dev_deployment = None
        self.plan = "missingplan"
        self.key = "missingkey"

    def run(self):
        self.rest_api()
        self.models()
        self.resources()
        self.mock_methods()
        self.deploy()
        self.function()
        self.versions_and_aliases()
        self.permissions()
        self.lambda_integration()
        self.usage_plan()
        self.caching_and_throttling()
        self.clean_up()

    # --- Defining new API Gateway resources --------------------------------
    def rest_api(self):
        s = self.s
        r = s.aws("apigateway", "create-rest-api", "--name", "ItemsAPI",
                  "--description", "Cloud Academy Lab API",
                  "--endpoint-configuration", "types=REGIONAL")
        if s.ok("create-rest-api", r):
            self.api = dig(r.out, "id") or self.api
            self.root = dig(r.out, "rootResourceId") or self.root
            s.true("create-rest-api id", re.fullmatch(r"[a-z0-9]{10}", str(dig(r.out, "id"))),
                   f"id {dig(r.out, 'id')!r} is not 10 lowercase letters and digits")
            s.eq("create-rest-api name", dig(r.out, "name"), "ItemsAPI")
            s.eq("create-rest-api description", dig(r.out, "description"), "Cloud Academy Lab API")
            s.eq("create-rest-api endpoint types", dig(r.out, "endpointConfiguration", "types"),
                 ["REGIONAL"])
            s.eq("create-rest-api apiKeySource", dig(r.out, "apiKeySource"), "HEADER")
            s.true("create-rest-api createdDate", dig(r.out, "createdDate") is not None,
                   "no createdDate")
            s.true("create-rest-api rootResourceId", bool(dig(r.out, "rootResourceId")),
                   "no rootResourceId")

        r = s.aws("apigateway", "get-rest-api", "--rest-api-id", self.api)
        if s.ok("get-rest-api", r):
            s.eq("get-rest-api reads back", [dig(r.out, k) for k in ("id", "name", "description")],
                 [self.api, "ItemsAPI", "Cloud Academy Lab API"])

        r = s.aws("apigateway", "get-rest-apis")
        if s.ok("get-rest-apis", r):
            s.eq("get-rest-apis lists ItemsAPI",
                 [(i.get("id"), i.get("name")) for i in dig(r.out, "items") or []],
                 [(self.api, "ItemsAPI")])

        r = s.aws("apigateway", "get-rest-api", "--rest-api-id", "nosuchapi0")
        s.error("get-rest-api of an unknown API", r, "NotFoundException", "GetRestApi",
                f"Invalid API identifier specified {ACCOUNT}:nosuchapi0")

        r = s.aws("apigateway", "get-resources", "--rest-api-id", self.api)
        if s.ok("get-resources", r):
            s.eq("get-resources of a new API is the root alone",
                 [(i.get("id"), i.get("path")) for i in dig(r.out, "items") or []],
                 [(self.root, "/")])

    def models(self):
        s = self.s
        r = s.aws("apigateway", "create-model", "--rest-api-id", self.api, "--name", "Item",
                  "--content-type", "application/json", "--schema", ITEM_SCHEMA)
        if s.ok("create-model Item", r):
            s.eq("create-model Item fields",
                 [dig(r.out, k) for k in ("name", "contentType", "schema")],
                 ["Item", "application/json", ITEM_SCHEMA])
            s.true("create-model Item id", bool(dig(r.out, "id")), "no id")

        items_schema = json.dumps({
            "id": "Items", "title": "Items", "type": "array",
            "items": {"$ref": f"https://apigateway.amazonaws.com/restapis/{self.api}/models/Item"},
        }, indent=2)
        r = s.aws("apigateway", "create-model", "--rest-api-id", self.api, "--name", "Items",
                  "--content-type", "application/json", "--schema", items_schema)
        if s.ok("create-model Items", r):
            s.eq("create-model Items schema", dig(r.out, "schema"), items_schema)

        r = s.aws("apigateway", "get-models", "--rest-api-id", self.api)
        if s.ok("get-models", r):
            names = sorted(i.get("name") for i in dig(r.out, "items") or [])
            # Every new REST API comes with the Empty and Error models.
            s.eq("get-models names", names, ["Empty", "Error", "Item", "Items"])

        r = s.aws("apigateway", "get-model", "--rest-api-id", self.api, "--model-name", "Item")
        if s.ok("get-model Item", r):
            s.eq("get-model Item schema", dig(r.out, "schema"), ITEM_SCHEMA)

    def resources(self):
        s = self.s
        r = s.aws("apigateway", "create-resource", "--rest-api-id", self.api,
                  "--parent-id", self.root, "--path-part", "items")
        if s.ok("create-resource items", r):
            self.items = dig(r.out, "id") or self.items
            s.eq("create-resource items fields",
                 [dig(r.out, k) for k in ("parentId", "pathPart", "path")],
                 [self.root, "items", "/items"])

        r = s.aws("apigateway", "create-resource", "--rest-api-id", self.api,
                  "--parent-id", self.root, "--path-part", "items")
        s.error("create-resource items again", r, "ConflictException", "CreateResource",
                "Another resource with the same parent already has this name: items")

        r = s.aws("apigateway", "create-resource", "--rest-api-id", self.api,
                  "--parent-id", self.items, "--path-part", "{ID}")
        if s.ok("create-resource {ID}", r):
            self.item = dig(r.out, "id") or self.item
            s.eq("create-resource {ID} fields",
                 [dig(r.out, k) for k in ("parentId", "pathPart", "path")],
                 [self.items, "{ID}", "/items/{ID}"])

        r = s.aws("apigateway", "get-resource", "--rest-api-id", self.api,
                  "--resource-id", self.item)
        if s.ok("get-resource {ID}", r):
            s.eq("get-resource {ID} path", dig(r.out, "path"), "/items/{ID}")

    def mock_method(self, resource, label, template):
        s = self.s
        r = s.aws("apigateway", "put-method", "--rest-api-id", self.api, "--resource-id", resource,
                  "--http-method", "GET", "--authorization-type", "NONE")
        if s.ok(f"put-method GET {label}", r):
            s.eq(f"put-method GET {label} fields",
                 [dig(r.out, k) for k in ("httpMethod", "authorizationType", "apiKeyRequired")],
                 ["GET", "NONE", False])

        r = s.aws("apigateway", "put-integration", "--rest-api-id", self.api,
                  "--resource-id", resource, "--http-method", "GET", "--type", "MOCK",
                  "--request-templates", json.dumps({"application/json": '{"statusCode": 200}'}))
        if s.ok(f"put-integration MOCK {label}", r):
            s.eq(f"put-integration MOCK {label} fields",
                 [dig(r.out, k) for k in ("type", "requestTemplates", "passthroughBehavior",
                                          "timeoutInMillis", "cacheNamespace")],
                 ["MOCK", {"application/json": '{"statusCode": 200}'}, "WHEN_NO_MATCH", 29000,
                  resource])

        r = s.aws("apigateway", "put-method-response", "--rest-api-id", self.api,
                  "--resource-id", resource, "--http-method", "GET", "--status-code", "200",
                  "--response-models", json.dumps({"application/json": "Empty"}))
        if s.ok(f"put-method-response 200 {label}", r):
            s.eq(f"put-method-response 200 {label} fields",
                 [dig(r.out, "statusCode"), dig(r.out, "responseModels")],
                 ["200", {"application/json": "Empty"}])

        r = s.aws("apigateway", "put-integration-response", "--rest-api-id", self.api,
                  "--resource-id", resource, "--http-method", "GET", "--status-code", "200",
                  "--response-templates", json.dumps({"application/json": template}))
        if s.ok(f"put-integration-response 200 {label}", r):
            s.eq(f"put-integration-response 200 {label} fields",
                 [dig(r.out, "statusCode"), dig(r.out, "responseTemplates")],
                 ["200", {"application/json": template}])

    def mock_methods(self):
        s = self.s
        self.mock_method(self.items, "/items", LIST_TEMPLATE)
        r = s.aws("apigateway", "get-method", "--rest-api-id", self.api,
                  "--resource-id", self.items, "--http-method", "GET")
        if s.ok("get-method GET /items", r):
            s.eq("get-method GET /items integration",
                 [dig(r.out, "methodIntegration", "type"),
                  dig(r.out, "methodIntegration", "integrationResponses", "200", "responseTemplates",
                      "application/json"),
                  dig(r.out, "methodResponses", "200", "statusCode")],
                 ["MOCK", LIST_TEMPLATE, "200"])
        self.mock_method(self.item, "/items/{ID}", ITEM_TEMPLATE)

    def deploy(self):
        s = self.s
        r = s.aws("apigateway", "create-deployment", "--rest-api-id", self.api,
                  "--stage-name", "dev", "--description", "Only mock items list")
        if s.ok("create-deployment dev", r):
            self.dev_deployment = dig(r.out, "id")
            s.eq("create-deployment description", dig(r.out, "description"),
                 "Only mock items list")
            s.true("create-deployment id", bool(self.dev_deployment), "no id")

        r = s.aws("apigateway", "get-stage", "--rest-api-id", self.api, "--stage-name", "dev")
        if s.ok("get-stage dev", r):
            s.eq("get-stage dev serves the deployment",
                 [dig(r.out, "stageName"), dig(r.out, "deploymentId")], ["dev", self.dev_deployment])

        r = s.aws("apigateway", "create-stage", "--rest-api-id", self.api, "--stage-name", "prod",
                  "--deployment-id", str(self.dev_deployment))
        if s.ok("create-stage prod", r):
            s.eq("create-stage prod fields", [dig(r.out, "stageName"), dig(r.out, "deploymentId")],
                 ["prod", self.dev_deployment])

        r = s.aws("apigateway", "create-stage", "--rest-api-id", self.api, "--stage-name", "prod",
                  "--deployment-id", str(self.dev_deployment))
        s.error("create-stage prod again", r, "ConflictException", "CreateStage",
                "Stage already exists")

        r = s.aws("apigateway", "get-stages", "--rest-api-id", self.api)
        if s.ok("get-stages", r):
            s.eq("get-stages names", sorted(i.get("stageName") for i in dig(r.out, "item") or []),
                 ["dev", "prod"])

    # --- Creating an AWS Lambda function backend -------------------------
    def function(self):
        s = self.s
        code = function_zip()
        path = os.path.join(self.tmp, "function.zip")
        with open(path, "wb") as f:
            f.write(code)
        sha = base64.b64encode(hashlib.sha256(code).digest()).decode()
        self.code_sha = sha
        create = ("lambda", "create-function", "--function-name", FUNCTION, "--runtime",
                  "python3.12", "--role", ROLE, "--handler", "lambda_function.lambda_handler",
                  "--zip-file", "fileb://" + path)
        r = s.aws(*create)
        if s.ok("create-function", r):
            s.eq("create-function fields",
                 [dig(r.out, k) for k in ("FunctionName", "FunctionArn", "Runtime", "Role",
                                          "Handler", "Version", "CodeSize", "CodeSha256",
                                          "Timeout", "MemorySize", "PackageType")],
                 [FUNCTION, FUNCTION_ARN, "python3.12", ROLE, "lambda_function.lambda_handler",
                  "$LATEST", len(code), sha, 3, 128, "Zip"])

        r = s.aws(*create)
        s.error("create-function again", r, "ResourceConflictException", "CreateFunction",
                f"Function already exist: {FUNCTION}")

        r = s.aws("lambda", "get-function", "--function-name", FUNCTION)
        if s.ok("get-function", r):
            s.eq("get-function configuration",
                 [dig(r.out, "Configuration", k) for k in ("FunctionName", "CodeSha256", "Version")],
                 [FUNCTION, sha, "$LATEST"])
            s.eq("get-function code repository", dig(r.out, "Code", "RepositoryType"), "S3")
            s.eq("get-function code location downloads the zip",
                 fetch(dig(r.out, "Code", "Location")), code)

        r = s.aws("lambda", "get-function", "--function-name", "NoSuchFunction")
        s.error("get-function of an unknown function", r, "ResourceNotFoundException",
                "GetFunction",
                f"Function not found: arn:aws:lambda:{REGION}:{ACCOUNT}:function:NoSuchFunction")

    # --- Versioning and aliasing the Lambda function -----------------------
    def versions_and_aliases(self):
        s = self.s
        r = s.aws("lambda", "publish-version", "--function-name", FUNCTION)
        if s.ok("publish-version", r):
            s.eq("publish-version fields",
                 [dig(r.out, k) for k in ("Version", "FunctionArn", "CodeSha256")],
                 ["1", FUNCTION_ARN + ":1", self.code_sha])

        r = s.aws("lambda", "list-versions-by-function", "--function-name", FUNCTION)
        if s.ok("list-versions-by-function", r):
            s.eq("list-versions-by-function versions",
                 [v.get("Version") for v in dig(r.out, "Versions") or []], ["$LATEST", "1"])

        for name, version, description in (("dev", "$LATEST", "Development alias"),
                                           ("prod", "1", "Production alias")):
            r = s.aws("lambda", "create-alias", "--function-name", FUNCTION, "--name", name,
                      "--function-version", version, "--description", description)
            if s.ok(f"create-alias {name}", r):
                s.eq(f"create-alias {name} fields",
                     [dig(r.out, k) for k in ("AliasArn", "Name", "FunctionVersion", "Description")],
                     [f"{FUNCTION_ARN}:{name}", name, version, description])
                s.true(f"create-alias {name} RevisionId", bool(dig(r.out, "RevisionId")),
                       "no RevisionId")

        r = s.aws("lambda", "create-alias", "--function-name", FUNCTION, "--name", "dev",
                  "--function-version", "$LATEST")
        s.error("create-alias dev again", r, "ResourceConflictException", "CreateAlias",
                f"Alias already exists: {FUNCTION_ARN}:dev")

        r = s.aws("lambda", "list-aliases", "--function-name", FUNCTION)
        if s.ok("list-aliases", r):
            s.eq("list-aliases names and versions",
                 [(a.get("Name"), a.get("FunctionVersion")) for a in dig(r.out, "Aliases") or []],
                 [("dev", "$LATEST"), ("prod", "1")])

    def permissions(self):
        s = self.s
        for alias in ("dev", "prod"):
            source = f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{self.api}/*/GET/items"
            r = s.aws("lambda", "add-permission", "--function-name", FUNCTION, "--qualifier", alias,
                      "--statement-id", f"apigateway-{alias}", "--action", "lambda:InvokeFunction",
                      "--principal", "apigateway.amazonaws.com", "--source-arn", source)
            if s.ok(f"add-permission {alias}", r):
                try:
                    st = json.loads(dig(r.out, "Statement") or "")
                except ValueError:
                    st = None
                s.eq(f"add-permission {alias} statement",
                     [dig(st, "Sid"), dig(st, "Effect"), dig(st, "Principal", "Service"),
                      dig(st, "Action"), dig(st, "Resource"),
                      dig(st, "Condition", "ArnLike", "AWS:SourceArn")],
                     [f"apigateway-{alias}", "Allow", "apigateway.amazonaws.com",
                      "lambda:InvokeFunction", f"{FUNCTION_ARN}:{alias}", source])

        r = s.aws("lambda", "add-permission", "--function-name", FUNCTION, "--qualifier", "dev",
                  "--statement-id", "apigateway-dev", "--action", "lambda:InvokeFunction",
                  "--principal", "apigateway.amazonaws.com")
        s.error("add-permission with a statement id in use", r, "ResourceConflictException",
                "AddPermission",
                "The statement id (apigateway-dev) provided already exists. Please provide a new "
                "statement id, or remove the existing statement.")

        r = s.aws("lambda", "get-policy", "--function-name", FUNCTION, "--qualifier", "dev")
        if s.ok("get-policy dev", r):
            try:
                policy = json.loads(dig(r.out, "Policy") or "")
            except ValueError:
                policy = None
            s.eq("get-policy dev document",
                 [dig(policy, "Version"), [st.get("Sid") for st in dig(policy, "Statement") or []]],
                 ["2012-10-17", ["apigateway-dev"]])
            s.true("get-policy RevisionId", bool(dig(r.out, "RevisionId")), "no RevisionId")

    # --- Configuring the API Gateway backend --------------------------------
    def lambda_integration(self):
        s = self.s
        for resource, label, templates in ((self.items, "/items", None),
                                           (self.item, "/items/{ID}",
                                            {"application/json": LAMBDA_REQUEST_TEMPLATE})):
            argv = ["apigateway", "put-integration", "--rest-api-id", self.api,
                    "--resource-id", resource, "--http-method", "GET", "--type", "AWS",
                    "--integration-http-method", "POST", "--uri", LAMBDA_URI]
            if templates:
                argv += ["--request-templates", json.dumps(templates),
                         "--passthrough-behavior", "WHEN_NO_TEMPLATES"]
            r = s.aws(*argv)
            if s.ok(f"put-integration AWS {label}", r):
                s.eq(f"put-integration AWS {label} fields",
                     [dig(r.out, k) for k in ("type", "httpMethod", "uri")],
                     ["AWS", "POST", LAMBDA_URI])
                if templates:
                    s.eq(f"put-integration AWS {label} templates",
                         [dig(r.out, "requestTemplates"), dig(r.out, "passthroughBehavior")],
                         [templates, "WHEN_NO_TEMPLATES"])
            r = s.aws("apigateway", "put-integration-response", "--rest-api-id", self.api,
                      "--resource-id", resource, "--http-method", "GET", "--status-code", "200")
            s.ok(f"put-integration-response 200 {label} (Lambda)", r)

        for stage in ("dev", "prod"):
            r = s.aws("apigateway", "update-stage", "--rest-api-id", self.api,
                      "--stage-name", stage,
                      "--patch-operations", patch(("replace", "/variables/lambdaAlias", stage)))
            if s.ok(f"update-stage {stage} lambdaAlias", r):
                s.eq(f"update-stage {stage} variables", dig(r.out, "variables"),
                     {"lambdaAlias": stage})

        r = s.aws("apigateway", "create-deployment", "--rest-api-id", self.api,
                  "--stage-name", "prod", "--description", "Lambda backend")
        new_deployment = dig(r.out, "id") if s.ok("create-deployment prod", r) else None
        r = s.aws("apigateway", "get-stage", "--rest-api-id", self.api, "--stage-name", "prod")
        if s.ok("get-stage prod", r):
            s.eq("get-stage prod after redeploying",
                 [dig(r.out, "deploymentId"), dig(r.out, "variables")],
                 [new_deployment, {"lambdaAlias": "prod"}])
            s.true("redeploying makes a new deployment", new_deployment != self.dev_deployment,
                   "prod got the dev deployment id again")

        r = s.aws("apigateway", "get-resources", "--rest-api-id", self.api, "--embed", "methods")
        if s.ok("get-resources --embed methods", r):
            by_path = {i.get("path"): i for i in dig(r.out, "items") or []}
            s.eq("get-resources paths", sorted(by_path), ["/", "/items", "/items/{ID}"])
            s.eq("get-resources embeds the integration",
                 dig(by_path, "/items/{ID}", "resourceMethods", "GET", "methodIntegration", "uri"),
                 LAMBDA_URI)

    # --- Creating API keys and usage plans ----------------------------------
    def usage_plan(self):
        s = self.s
        r = s.aws("apigateway", "create-usage-plan", "--name", "CloudAcademyPlan",
                  "--description", "Cloud Academy Lab Plan",
                  "--throttle", "burstLimit=5000,rateLimit=10000",
                  "--quota", "limit=1000,period=DAY",
                  "--api-stages", f"apiId={self.api},stage=dev", f"apiId={self.api},stage=prod")
        want_stages = [{"apiId": self.api, "stage": "dev"}, {"apiId": self.api, "stage": "prod"}]
        if s.ok("create-usage-plan", r):
            self.plan = dig(r.out, "id") or self.plan
            s.eq("create-usage-plan fields",
                 [dig(r.out, k) for k in ("name", "description", "throttle", "quota", "apiStages")],
                 ["CloudAcademyPlan", "Cloud Academy Lab Plan",
                  {"burstLimit": 5000, "rateLimit": 10000.0},
                  {"limit": 1000, "offset": 0, "period": "DAY"}, want_stages])

        r = s.aws("apigateway", "get-usage-plan", "--usage-plan-id", self.plan)
        if s.ok("get-usage-plan", r):
            s.eq("get-usage-plan reads back",
                 [dig(r.out, k) for k in ("id", "name", "apiStages")],
                 [self.plan, "CloudAcademyPlan", want_stages])

        r = s.aws("apigateway", "create-api-key", "--name", "LabKey",
                  "--description", "Cloud Academy Lab Key", "--enabled")
        if s.ok("create-api-key", r):
            self.key = dig(r.out, "id") or self.key
            s.eq("create-api-key fields", [dig(r.out, k) for k in ("name", "description", "enabled")],
                 ["LabKey", "Cloud Academy Lab Key", True])

        r = s.aws("apigateway", "get-api-key", "--api-key", self.key, "--include-value")
        if s.ok("get-api-key --include-value", r):
            s.true("get-api-key value is 40 letters and digits",
                   re.fullmatch(r"[A-Za-z0-9]{40}", str(dig(r.out, "value"))),
                   f"value {dig(r.out, 'value')!r}")

        r = s.aws("apigateway", "create-usage-plan-key", "--usage-plan-id", self.plan,
                  "--key-id", self.key, "--key-type", "API_KEY")
        if s.ok("create-usage-plan-key", r):
            s.eq("create-usage-plan-key fields", [dig(r.out, k) for k in ("id", "type", "name")],
                 [self.key, "API_KEY", "LabKey"])

        r = s.aws("apigateway", "get-usage-plan-keys", "--usage-plan-id", self.plan)
        if s.ok("get-usage-plan-keys", r):
            s.eq("get-usage-plan-keys ids", [i.get("id") for i in dig(r.out, "items") or []],
                 [self.key])

        for resource, label in ((self.items, "/items"), (self.item, "/items/{ID}")):
            r = s.aws("apigateway", "update-method", "--rest-api-id", self.api,
                      "--resource-id", resource, "--http-method", "GET",
                      "--patch-operations", patch(("replace", "/apiKeyRequired", "true")))
            if s.ok(f"update-method {label} apiKeyRequired", r):
                s.eq(f"update-method {label} apiKeyRequired value", dig(r.out, "apiKeyRequired"),
                     True)

    # --- Enabling API Gateway caching and throttling --------------------------
    def caching_and_throttling(self):
        s = self.s
        r = s.aws("apigateway", "update-stage", "--rest-api-id", self.api, "--stage-name", "prod",
                  "--patch-operations", patch(
                      ("replace", "/cacheClusterEnabled", "true"),
                      ("replace", "/cacheClusterSize", "0.5"),
                      ("replace", "/*/*/caching/ttlInSeconds", "3600"),
                      ("replace", "/*/*/caching/dataEncrypted", "true"),
                      ("replace", "/*/*/caching/requireAuthorizationForCacheControl", "true"),
                      ("replace", "/*/*/caching/unauthorizedCacheControlHeaderStrategy",
                       "FAIL_WITH_403"),
                      ("replace", "/*/*/throttling/rateLimit", "10000"),
                      ("replace", "/*/*/throttling/burstLimit", "5000")))
        want = {"cacheTtlInSeconds": 3600, "cacheDataEncrypted": True,
                "requireAuthorizationForCacheControl": True,
                "unauthorizedCacheControlHeaderStrategy": "FAIL_WITH_403",
                "throttlingRateLimit": 10000.0, "throttlingBurstLimit": 5000}
        if s.ok("update-stage prod cache and throttling", r):
            s.eq("update-stage prod cache cluster",
                 [dig(r.out, "cacheClusterEnabled"), dig(r.out, "cacheClusterSize")], [True, "0.5"])
            got = dig(r.out, "methodSettings", "*/*") or {}
            s.eq("update-stage prod method settings */*", {k: got.get(k) for k in want}, want)

        r = s.aws("apigateway", "get-stage", "--rest-api-id", self.api, "--stage-name", "prod")
        if s.ok("get-stage prod settings", r):
            got = dig(r.out, "methodSettings", "*/*") or {}
            s.eq("get-stage prod keeps the method settings", {k: got.get(k) for k in want}, want)

        today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
        r = s.aws("apigateway", "get-usage", "--usage-plan-id", self.plan, "--start-date", today,
                  "--end-date", today)
        if s.ok("get-usage", r):
            s.eq("get-usage range", [dig(r.out, k) for k in ("usagePlanId", "startDate", "endDate")],
                 [self.plan, today, today])

        r = s.aws("apigateway", "flush-stage-cache", "--rest-api-id", self.api,
                  "--stage-name", "prod")
        s.ok("flush-stage-cache prod", r)

    # --- Cleaning up --------------------------------------------------------------
    def clean_up(self):
        s = self.s
        r = s.aws("apigateway", "delete-api-key", "--api-key", self.key)
        s.ok("delete-api-key", r)
        r = s.aws("apigateway", "get-api-key", "--api-key", self.key)
        s.error("get-api-key after deleting it", r, "NotFoundException", "GetApiKey",
                "Invalid API Key identifier specified")

        r = s.aws("apigateway", "delete-usage-plan", "--usage-plan-id", self.plan)
        s.error("delete-usage-plan with stages still associated", r, "BadRequestException",
                "DeleteUsagePlan")

        r = s.aws("apigateway", "update-usage-plan", "--usage-plan-id", self.plan,
                  "--patch-operations", patch(("remove", "/apiStages", f"{self.api}:dev"),
                                              ("remove", "/apiStages", f"{self.api}:prod")))
        if s.ok("update-usage-plan removes the stages", r):
            s.eq("update-usage-plan apiStages left", dig(r.out, "apiStages") or [], [])

        r = s.aws("apigateway", "delete-usage-plan", "--usage-plan-id", self.plan)
        s.ok("delete-usage-plan", r)
        r = s.aws("apigateway", "get-usage-plan", "--usage-plan-id", self.plan)
        s.error("get-usage-plan after deleting it", r, "NotFoundException", "GetUsagePlan",
                "Invalid Usage Plan ID specified")

        r = s.aws("apigateway", "delete-rest-api", "--rest-api-id", self.api)
        s.ok("delete-rest-api", r)
        r = s.aws("apigateway", "get-rest-api", "--rest-api-id", self.api)
        s.error("get-rest-api after deleting it", r, "NotFoundException", "GetRestApi",
                f"Invalid API identifier specified {ACCOUNT}:{self.api}")

        for alias in ("dev", "prod"):
            s.ok(f"delete-alias {alias}",
                 s.aws("lambda", "delete-alias", "--function-name", FUNCTION, "--name", alias))
        r = s.aws("lambda", "list-aliases", "--function-name", FUNCTION)
        if s.ok("list-aliases after deleting them", r):
            s.eq("no aliases left", dig(r.out, "Aliases"), [])
        s.ok("delete-function", s.aws("lambda", "delete-function", "--function-name", FUNCTION))
        r = s.aws("lambda", "get-function", "--function-name", FUNCTION)
        s.error("get-function after deleting it", r, "ResourceNotFoundException", "GetFunction",
                f"Function not found: {FUNCTION_ARN}")


def serve_main(argv, script, label, run):
    """The scripts' common main: serve on a fresh state file in a temporary
    folder, run(binary, server, tmp, state) -> (suite, calls) with the Suite
    that counts and a function giving how many aws commands ran, then the
    checks that serve stops cleanly and the closing count "<label>: ..."."""
    if len(argv) != 2:
        print(f"usage: {script} path/to/apigw-console", file=sys.stderr)
        return 2
    binary = os.path.abspath(argv[1])
    # A signal ends the run through the finally below, so serve is stopped.
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda *_: sys.exit(130))
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix=f"apigw-{label}-") as tmp:
        state = os.path.join(tmp, "state.json")
        try:
            server = Server(binary, state)
        except (OSError, RuntimeError) as e:
            print(f"FAIL: start serve: {e}")
            print(f"{label}: 0 passed, 1 failed")
            return report(0, 1)
        try:
            suite, calls = run(binary, server, tmp, state)
        finally:
            status = server.stop()
        suite.eq("serve exits 0 on SIGTERM", status, 0)
        leftovers = server.proc.stderr.read().strip()
        if leftovers:
            print("serve wrote to stderr:\n" + leftovers)
    print(f"({calls()} aws commands in {time.monotonic() - started:.0f} s)")
    print(f"{label}: {suite.passed} passed, {suite.failed} failed")
    return report(suite.passed, suite.failed)


def run_lab(binary, server, tmp, state):
    suite = Suite(server.url)
    Lab(suite, tmp).run()
    suite.eq("serve announces its state file", server.announced_state, state)
    mode = stat.S_IMODE(os.stat(state).st_mode) if os.path.exists(state) else None
    suite.eq("state file is private (0600)", oct(mode) if mode is not None else None, oct(0o600))
    return suite, lambda: suite.calls


def main(argv):
    return serve_main(argv, "lab_cli.py", "conformance", run_lab)


def report(passed, failed):
    results = os.environ.get("RESULTS")
    if results:
        with open(results, "a") as f:
            f.write(f"{passed} {failed}\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
