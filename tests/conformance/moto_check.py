#!/usr/bin/env python3
"""Read back with the real `aws` CLI what moto_client created on an endpoint,
and check it against the lab.

Usage: moto_check.py ENDPOINT_URL REGION IDS_JSON CLIENT_STATUS
IDS_JSON is moto_client's output, CLIENT_STATUS its exit status. Prints one line per failed check and
"moto: N passed, N failed"; appends "passed failed" to $RESULTS when set.
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lab_cli import ITEM_TEMPLATE, LIST_TEMPLATE, dig, short  # noqa: E402

ACCOUNT = "123456789012"
FUNCTION = "ItemsFunction"


class Checks:
    def __init__(self, endpoint, region):
        self.endpoint, self.region = endpoint, region
        self.passed = self.failed = 0

    def aws(self, *argv):
        """Run aws; the parsed JSON answer, or None (a failed check) on error."""
        p = subprocess.run(["aws", "--endpoint-url", self.endpoint, "--region", self.region,
                            "--output", "json", *argv], capture_output=True, text=True)
        if p.returncode != 0:
            self.fail(" ".join(argv[:2]), p.stderr.strip().splitlines()[-1:] or p.returncode)
            return None
        return json.loads(p.stdout) if p.stdout.strip() else {}

    def fail(self, name, why):
        self.failed += 1
        print(f"FAILED: moto: {name}: {why}")

    def eq(self, name, got, want):
        if got == want:
            self.passed += 1
        else:
            self.fail(name, f"got {short(got)}, want {short(want)}")


def check_api(c, ids):
    out = c.aws("apigateway", "get-rest-apis")
    apis = [a for a in dig(out, "items") or [] if a.get("name") == "ItemsAPI"]
    c.eq("get-rest-apis holds ItemsAPI once", [a.get("id") for a in apis], [ids.get("api")])
    api = apis[0] if apis else {}
    c.eq("ItemsAPI fields",
         [api.get("description"), dig(api, "endpointConfiguration", "types"),
          api.get("rootResourceId")],
         ["Cloud Academy Lab API", ["REGIONAL"], ids.get("root")])

    out = c.aws("apigateway", "get-models", "--rest-api-id", ids["api"])
    models = {m.get("name"): m for m in dig(out, "items") or []}
    # AWS also lists the Empty and Error models of every new API; moto does
    # not create them, so only the lab's own two are checked.
    c.eq("get-models has Item and Items", sorted(set(models) & {"Item", "Items"}),
         ["Item", "Items"])
    try:
        item = json.loads(dig(models, "Item", "schema") or "")
        items = json.loads(dig(models, "Items", "schema") or "")
    except ValueError:
        item = items = None
    c.eq("model schemas",
         [dig(models, "Item", "contentType"), dig(item, "title"), dig(items, "items", "$ref")],
         ["application/json", "Item Schema",
          f"https://apigateway.amazonaws.com/restapis/{ids['api']}/models/Item"])


def check_resources(c, ids):
    out = c.aws("apigateway", "get-resources", "--rest-api-id", ids["api"], "--embed", "methods")
    by_path = {r.get("path"): r for r in dig(out, "items") or []}
    c.eq("resource paths and ids",
         sorted((p, r.get("id")) for p, r in by_path.items()),
         [("/", ids.get("root")), ("/items", ids.get("items")), ("/items/{ID}", ids.get("item"))])
    c.eq("/items/{ID} parent and pathPart",
         [dig(by_path, "/items/{ID}", k) for k in ("parentId", "pathPart")],
         [ids.get("items"), "{ID}"])
    for path, template in (("/items", LIST_TEMPLATE), ("/items/{ID}", ITEM_TEMPLATE)):
        get = dig(by_path, path, "resourceMethods", "GET") or {}
        integ = get.get("methodIntegration") or {}
        c.eq(f"GET {path} method", [get.get("httpMethod"), get.get("authorizationType")],
             ["GET", "NONE"])
        c.eq(f"GET {path} method response",
             dig(get, "methodResponses", "200", "responseModels"), {"application/json": "Empty"})
        c.eq(f"GET {path} integration",
             [integ.get("type"), integ.get("requestTemplates")],
             ["MOCK", {"application/json": '{"statusCode": 200}'}])
        c.eq(f"GET {path} integration response template",
             dig(integ, "integrationResponses", "200", "responseTemplates", "application/json"),
             template)


def check_stages(c, ids):
    out = c.aws("apigateway", "get-deployments", "--rest-api-id", ids["api"])
    c.eq("get-deployments",
         [(d.get("id"), d.get("description")) for d in dig(out, "items") or []],
         [(ids.get("deployment"), "Only mock items list")])
    out = c.aws("apigateway", "get-stages", "--rest-api-id", ids["api"])
    c.eq("get-stages names and deployments",
         sorted((s.get("stageName"), s.get("deploymentId")) for s in dig(out, "item") or []),
         [("dev", ids.get("deployment")), ("prod", ids.get("deployment"))])


def check_plan(c, ids):
    out = c.aws("apigateway", "get-usage-plans")
    plans = [p for p in dig(out, "items") or [] if p.get("id") == ids.get("plan")]
    plan = plans[0] if plans else {}
    c.eq("usage plan",
         [plan.get(k) for k in ("name", "description", "throttle", "quota")],
         ["CloudAcademyPlan", "Cloud Academy Lab Plan",
          {"burstLimit": 5000, "rateLimit": 10000.0},
          {"limit": 1000, "offset": 0, "period": "DAY"}])
    c.eq("usage plan stages",
         sorted((s.get("apiId"), s.get("stage")) for s in plan.get("apiStages") or []),
         [(ids.get("api"), "dev"), (ids.get("api"), "prod")])
    out = c.aws("apigateway", "get-api-keys")
    keys = [(k.get("id"), k.get("name"), k.get("description"), k.get("enabled"))
            for k in dig(out, "items") or []]
    c.eq("get-api-keys", keys, [(ids.get("key"), "LabKey", "Cloud Academy Lab Key", True)])
    out = c.aws("apigateway", "get-usage-plan-keys", "--usage-plan-id", ids["plan"])
    c.eq("usage plan key binding",
         [(k.get("id"), k.get("type"), k.get("name")) for k in dig(out, "items") or []],
         [(ids.get("key"), "API_KEY", "LabKey")])


def check_function(c, ids):
    arn = f"arn:aws:lambda:{c.region}:{ACCOUNT}:function:{FUNCTION}"
    out = c.aws("lambda", "list-functions")
    fns = [f for f in dig(out, "Functions") or [] if f.get("FunctionName") == FUNCTION]
    fn = fns[0] if fns else {}
    c.eq("list-functions ItemsFunction",
         [fn.get(k) for k in ("FunctionArn", "Runtime", "Handler", "Role", "CodeSha256",
                              "CodeSize")],
         [arn, "python3.12", "lambda_function.lambda_handler",
          f"arn:aws:iam::{ACCOUNT}:role/lambda_basic_execution", ids.get("code_sha256"),
          ids.get("code_size")])
    out = c.aws("lambda", "list-versions-by-function", "--function-name", FUNCTION)
    c.eq("versions", [v.get("Version") for v in dig(out, "Versions") or []], ["$LATEST", "1"])
    out = c.aws("lambda", "list-aliases", "--function-name", FUNCTION)
    c.eq("aliases",
         [(a.get("Name"), a.get("FunctionVersion"), a.get("AliasArn"), a.get("Description"))
          for a in dig(out, "Aliases") or []],
         [("dev", "$LATEST", arn + ":dev", "Development alias"),
          ("prod", "1", arn + ":prod", "Production alias")])
    for alias in ("dev", "prod"):
        out = c.aws("lambda", "get-policy", "--function-name", FUNCTION, "--qualifier", alias)
        try:
            policy = json.loads(dig(out, "Policy") or "")
        except ValueError:
            policy = None
        # moto keeps one policy per function for every qualifier, so the
        # statement is looked up by its Sid rather than expected alone.
        st = [s for s in dig(policy, "Statement") or [] if s.get("Sid") == f"apigateway-{alias}"]
        st = st[0] if st else {}
        c.eq(f"policy statement for {alias}",
             [st.get("Effect"), dig(st, "Principal", "Service"), st.get("Action"),
              st.get("Resource"), dig(st, "Condition", "ArnLike", "AWS:SourceArn")],
             ["Allow", "apigateway.amazonaws.com", "lambda:InvokeFunction", f"{arn}:{alias}",
              ids.get("source_arn")])


def main(argv):
    if len(argv) != 5:
        print("usage: moto_check.py ENDPOINT_URL REGION IDS_JSON CLIENT_STATUS", file=sys.stderr)
        return 2
    c = Checks(argv[1], argv[2])
    try:
        with open(argv[3], encoding="utf-8") as f:
            ids = json.load(f)
    except (OSError, ValueError) as e:
        ids = {}
        c.fail("moto_client output", e)
    c.eq("moto_client exits 0", argv[4], "0")
    c.eq("moto_client skipped only what moto lacks", ids.get("skipped"), ["test-invoke-method"])
    if ids.get("api"):
        check_api(c, ids)
        check_resources(c, ids)
        check_stages(c, ids)
    if ids.get("plan"):
        check_plan(c, ids)
    check_function(c, ids)
    print(f"moto: {c.passed} passed, {c.failed} failed")
    if os.environ.get("RESULTS"):
        with open(os.environ["RESULTS"], "a", encoding="utf-8") as f:
            f.write(f"{c.passed} {c.failed}\n")
    return 0 if c.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
