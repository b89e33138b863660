#ifndef AWS_CLI_H
#define AWS_CLI_H
/* The AWS CLI command that does what a request does, so users learn the
 * commands while they work: "aws apigateway create-resource --rest-api-id
 * a1b2c3 --parent-id r00t --path-part items". Built from the operation's
 * members in botocore's model (aws/cli_members.def): path labels, query
 * parameters and body members become --kebab-case options under the CLI's
 * names; booleans become --flag / --no-flag; lists of strings are given
 * word by word, other lists, maps and structures as JSON; blobs (a
 * function's zip) as fileb://NAME.zip. Values are
 * quoted for a POSIX shell only when they need it.
 *
 * The command is exact: a value holding a newline keeps it between its
 * quotes (a shell takes that as it is). Showing it on one line is the
 * display's job: pass it through text_sanitize like any outside text. */
#include <cjson/cJSON.h>
#include <stddef.h>

#include "aws/ops.h"

/* params: the path labels in template order (as client_call takes them);
 * query: the extra query string ("k=v&k2=v2", percent-encoded) or NULL;
 * body: the request body or NULL. malloc'd. */
char *aws_cli_command(aws_op op, const char *const *params, size_t nparams, const char *query,
                      const cJSON *body);

/* "create-resource" from "CreateResource" (the CLI's rule, including runs
 * of capitals: "GetSdkTypes" -> "get-sdk-types", "TestInvokeMethod" ->
 * "test-invoke-method"). malloc'd. */
char *aws_cli_kebab(const char *camel);

/* The option name (without "--") the CLI gives member member_name of op's
 * input: aws_cli_kebab of it, except where the CLI renames it
 * (create-rest-api's version is "api-version"). NULL when op has no such
 * member. malloc'd. */
char *aws_cli_option(aws_op op, const char *member_name);

#endif
