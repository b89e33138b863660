#!/usr/bin/env python3
"""Gateway responses with the real AWS CLI against `serve`.

Starts `apigw-console serve` on a free loopback port with a fresh state file,
then with `aws apigateway`: reads every type's default (get-gateway-responses,
get-gateway-response), customizes DEFAULT_4XX as the console's Enable CORS does
(put-gateway-response), sees the other 4XX types inherit it, updates and
deletes it, and checks the errors as the CLI prints them. On the data plane
(urllib, loopback only) a 403 for a missing API key carries the CORS headers
only once the API is deployed again.

Usage: gateway_responses.py path/to/apigw-console
"""
import json
import os
import sys
import urllib.error
import urllib.request

sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# lab_cli.py holds serve's runner and the check helpers.
from lab_cli import ACCOUNT, Suite, dig, patch, serve_main  # noqa: E402

# AWS's order of the types and their default status codes.
TYPES = [
    ("REQUEST_TOO_LARGE", "413"), ("RESOURCE_NOT_FOUND", "404"),
    ("AUTHORIZER_CONFIGURATION_ERROR", "500"), ("MISSING_AUTHENTICATION_TOKEN", "403"),
    ("BAD_REQUEST_BODY", "400"), ("INVALID_SIGNATURE", "403"), ("INVALID_API_KEY", "403"),
    ("BAD_REQUEST_PARAMETERS", "400"), ("AUTHORIZER_FAILURE", "500"), ("UNAUTHORIZED", "401"),
    ("INTEGRATION_TIMEOUT", "504"), ("ACCESS_DENIED", "403"), ("DEFAULT_4XX", None),
    ("DEFAULT_5XX", None), ("WAF_FILTERED", "403"), ("QUOTA_EXCEEDED", "429"),
    ("THROTTLED", "429"), ("API_CONFIGURATION_ERROR", "500"), ("UNSUPPORTED_MEDIA_TYPE", "415"),
    ("INTEGRATION_FAILURE", "504"), ("EXPIRED_TOKEN", "403"),
]
TEMPLATE = {"application/json": '{"message":$context.error.messageString}'}
CORS = {
    "gatewayresponse.header.Access-Control-Allow-Origin": "'*'",
    "gatewayresponse.header.Access-Control-Allow-Headers":
        "'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token'",
    "gatewayresponse.header.Access-Control-Allow-Methods": "'GET,OPTIONS'",
}
BAD_TYPE = ("1 validation error detected: Value 'FAKE_TYPE' at 'responseType' failed to satisfy "
            "constraint: Member must satisfy enum value set: ["
            + ", ".join(t for t, _ in TYPES) + "]")


def default_of(rtype, status):
    d = {"responseType": rtype, "responseParameters": {}, "responseTemplates": TEMPLATE,
         "defaultResponse": True}
    if status:
        d["statusCode"] = status
    return d


def call_stage(url, api, stage, path):
    """GET a stage through serve's _user_request_ path: (status, headers, body)."""
    target = f"{url}/restapis/{api}/{stage}/_user_request_{path}"
    if not target.startswith("http://127.0.0.1:"):
        return 0, {}, f"not a loopback URL: {target!r}"
    try:
        with urllib.request.urlopen(target, timeout=10) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()
    except OSError as e:
        return 0, {}, str(e)


class GatewayResponses:
    def __init__(self, suite, url):
        self.s = suite
        self.url = url
        self.api = "missingapi"
        self.root = "missingroot"

    def gr(self, verb, rtype, *extra):
        return self.s.aws("apigateway", verb, "--rest-api-id", self.api, "--response-type", rtype,
                          *extra)

    def run(self):
        s = self.s
        r = s.aws("apigateway", "create-rest-api", "--name", "CorsAPI")
        if s.ok("create-rest-api", r):
            self.api = dig(r.out, "id") or self.api
            self.root = dig(r.out, "rootResourceId") or self.root
        self.defaults()
        self.put_and_inherit()
        self.update_and_delete()
        self.errors()
        self.data_plane()

    def defaults(self):
        s = self.s
        r = s.aws("apigateway", "get-gateway-responses", "--rest-api-id", self.api)
        if s.ok("get-gateway-responses", r):
            s.eq("get-gateway-responses: every type, as its default", dig(r.out, "items"),
                 [default_of(t, st) for t, st in TYPES])
        r = self.gr("get-gateway-response", "MISSING_AUTHENTICATION_TOKEN")
        if s.ok("get-gateway-response", r):
            s.eq("get-gateway-response: the default", r.out,
                 default_of("MISSING_AUTHENTICATION_TOKEN", "403"))

    def put_and_inherit(self):
        s = self.s
        r = self.gr("put-gateway-response", "DEFAULT_4XX",
                    "--response-parameters", json.dumps(CORS),
                    "--response-templates", json.dumps(TEMPLATE))
        if s.ok("put-gateway-response DEFAULT_4XX", r):
            s.eq("put-gateway-response: what it answers", r.out,
                 {"responseType": "DEFAULT_4XX", "responseParameters": CORS,
                  "responseTemplates": TEMPLATE, "defaultResponse": False})
        r = s.aws("apigateway", "get-gateway-responses", "--rest-api-id", self.api)
        if s.ok("get-gateway-responses after the put", r):
            items = {i.get("responseType"): i for i in dig(r.out, "items") or []}
            s.eq("INVALID_API_KEY inherits DEFAULT_4XX", items.get("INVALID_API_KEY"),
                 {"responseType": "INVALID_API_KEY", "statusCode": "403",
                  "responseParameters": CORS, "responseTemplates": TEMPLATE,
                  "defaultResponse": True})
            s.eq("INTEGRATION_FAILURE does not", items.get("INTEGRATION_FAILURE"),
                 default_of("INTEGRATION_FAILURE", "504"))
        r = self.gr("put-gateway-response", "MISSING_AUTHENTICATION_TOKEN", "--status-code", "404")
        if s.ok("put-gateway-response with a status code only", r):
            s.eq("put-gateway-response: defaults filled in", r.out,
                 {"responseType": "MISSING_AUTHENTICATION_TOKEN", "statusCode": "404",
                  "responseParameters": {}, "responseTemplates": TEMPLATE,
                  "defaultResponse": False})

    def update_and_delete(self):
        s = self.s
        r = self.gr("update-gateway-response", "MISSING_AUTHENTICATION_TOKEN",
                    "--patch-operations",
                    patch(("replace", "/statusCode", "444"),
                          ("add", "/responseParameters/gatewayresponse.header.x-why",
                           "'no route'")))
        if s.ok("update-gateway-response", r):
            s.eq("update-gateway-response: status and header",
                 [dig(r.out, "statusCode"),
                  dig(r.out, "responseParameters", "gatewayresponse.header.x-why")],
                 ["444", "'no route'"])
        r = self.gr("update-gateway-response", "MISSING_AUTHENTICATION_TOKEN",
                    "--patch-operations", patch(("add", "/statusCode", "444")))
        s.error("update-gateway-response add /statusCode", r, "BadRequestException",
                "UpdateGatewayResponse", "Invalid patch path /statusCode")
        s.ok("delete-gateway-response",
             self.gr("delete-gateway-response", "MISSING_AUTHENTICATION_TOKEN"))
        r = self.gr("get-gateway-response", "MISSING_AUTHENTICATION_TOKEN")
        if s.ok("get-gateway-response after delete", r):
            # back to its default, which now falls back on the DEFAULT_4XX put above
            s.eq("delete-gateway-response resets to the default", r.out,
                 {"responseType": "MISSING_AUTHENTICATION_TOKEN", "statusCode": "403",
                  "responseParameters": CORS, "responseTemplates": TEMPLATE,
                  "defaultResponse": True})
        r = self.gr("delete-gateway-response", "MISSING_AUTHENTICATION_TOKEN")
        s.error("delete-gateway-response of a type not customized", r, "NotFoundException",
                "DeleteGatewayResponse", "Gateway response type not defined on api")

    def errors(self):
        s = self.s
        r = self.gr("get-gateway-response", "FAKE_TYPE")
        s.error("get-gateway-response of an unknown type", r, "ValidationException",
                "GetGatewayResponse", BAD_TYPE)
        r = self.gr("put-gateway-response", "FAKE_TYPE")
        s.error("put-gateway-response of an unknown type", r, "ValidationException",
                "PutGatewayResponse", BAD_TYPE)
        r = s.aws("apigateway", "get-gateway-responses", "--rest-api-id", "nope")
        s.error("get-gateway-responses of an unknown API", r, "NotFoundException",
                "GetGatewayResponses", f"Invalid API identifier specified {ACCOUNT}:nope")
        r = s.aws("apigateway", "put-gateway-response", "--rest-api-id", "nope",
                  "--response-type", "DEFAULT_4XX")
        s.error("put-gateway-response on an unknown API", r, "NotFoundException",
                "PutGatewayResponse", f"Invalid API identifier specified {ACCOUNT}:nope")

    def data_plane(self):
        s = self.s
        steps = [
            ("put-method", "--resource-id", self.root, "--http-method", "GET",
             "--authorization-type", "NONE", "--api-key-required"),
            ("put-integration", "--resource-id", self.root, "--http-method", "GET",
             "--type", "MOCK", "--request-templates",
             json.dumps({"application/json": '{"statusCode": 200}'})),
            ("put-method-response", "--resource-id", self.root, "--http-method", "GET",
             "--status-code", "200"),
            ("put-integration-response", "--resource-id", self.root, "--http-method", "GET",
             "--status-code", "200", "--selection-pattern", ""),
        ]
        for verb, *args in steps:
            s.ok(verb, s.aws("apigateway", verb, "--rest-api-id", self.api, *args))
        # The CORS customization was made before this deployment's stage
        # existed; delete it, deploy, then put it back: not served yet.
        s.ok("delete-gateway-response DEFAULT_4XX", self.gr("delete-gateway-response",
                                                            "DEFAULT_4XX"))
        s.ok("create-deployment", s.aws("apigateway", "create-deployment", "--rest-api-id",
                                        self.api, "--stage-name", "dev"))
        s.ok("put-gateway-response DEFAULT_4XX again",
             self.gr("put-gateway-response", "DEFAULT_4XX",
                     "--response-parameters", json.dumps(CORS)))
        st, hdrs, body = call_stage(self.url, self.api, "dev", "/")
        s.eq("403 without a key, before deploying",
             [st, body, hdrs.get("x-amzn-errortype"), hdrs.get("access-control-allow-origin")],
             [403, b'{"message":"Forbidden"}', "ForbiddenException", None])
        s.ok("create-deployment again", s.aws("apigateway", "create-deployment", "--rest-api-id",
                                              self.api, "--stage-name", "dev"))
        st, hdrs, body = call_stage(self.url, self.api, "dev", "/")
        s.eq("403 without a key carries the CORS headers once deployed",
             [st, body, hdrs.get("x-amzn-errortype"), hdrs.get("access-control-allow-origin"),
              hdrs.get("access-control-allow-methods")],
             [403, b'{"message":"Forbidden"}', "ForbiddenException", "*", "GET,OPTIONS"])
        st, hdrs, body = call_stage(self.url, self.api, "dev", "/nothing")
        s.eq("403 Missing Authentication Token carries them too",
             [st, body, hdrs.get("access-control-allow-origin")],
             [403, b'{"message":"Missing Authentication Token"}', "*"])


def run(binary, server, tmp, state):
    suite = Suite(server.url)
    GatewayResponses(suite, server.url).run()
    return suite, lambda: suite.calls


def main(argv):
    return serve_main(argv, "gateway_responses.py", "gateway-responses", run)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
