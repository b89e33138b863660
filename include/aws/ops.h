#ifndef AWS_OPS_H
#define AWS_OPS_H
/* Every operation of the API Gateway and Lambda management APIs, with its
 * HTTP verb, request URI template and success status, generated from
 * botocore's models (aws/ops.def). The client builds requests from this
 * table and the emulator routes requests with it, so both agree on the wire. */
#include <stdbool.h>
#include <stddef.h>

typedef enum aws_service { SVC_APIGW, SVC_LAMBDA } aws_service;

/* Operations are named by service: APIGW_CreateRestApi, LAMBDA_CreateFunction. */
typedef enum aws_op {
#define OP(svc, name, verb, uri, status) svc##_##name,
#include "aws/ops.def"
#undef OP
    OP__COUNT
} aws_op;

typedef struct aws_op_info {
    aws_service service;
    const char *name;   /* "CreateRestApi" */
    const char *verb;   /* "POST" */
    const char *uri;    /* "/restapis/{restapi_id}/resources", may hold "?k=v" */
    int status;         /* success status code */
} aws_op_info;

const aws_op_info *aws_op_get(aws_op op);
/* Signing name and endpoint prefix of a service ("apigateway", "lambda"). */
const char *aws_service_name(aws_service s);

#define AWS_MAX_PATH_PARAMS 6

typedef struct aws_route_match {
    aws_op op;
    size_t nparams;
    char *params[AWS_MAX_PATH_PARAMS]; /* percent-decoded, malloc'd */
} aws_route_match;

/* Find the operation of service s that serves (verb, raw path, raw query).
 * Literal segments win over {labels}; a URI with "?k=v" matches only when
 * the query has it. Returns false when nothing matches (the path may still
 * exist with another verb: *path_exists says so). */
bool aws_route(aws_service s, const char *verb, const char *path, const char *query,
               aws_route_match *m, bool *path_exists);
void aws_route_match_free(aws_route_match *m);

/* Build the path of op with the given parameters (percent-encoded into the
 * path) — the client's side of aws_route. Returns malloc'd "/path?fixedquery". */
char *aws_op_path(aws_op op, const char *const *params, size_t nparams);

#endif
