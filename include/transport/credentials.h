#ifndef TRANSPORT_CREDENTIALS_H
#define TRANSPORT_CREDENTIALS_H
/* The AWS credential chain, region and endpoints, resolved as the AWS SDKs
 * do. Nothing here ever prints a secret. */
#include "core/clock.h"
#include "core/err.h"
#include "transport/sigv4.h"

typedef struct cred_chain cred_chain;

typedef struct cred_opts {
    const char *profile; /* --profile; NULL: AWS_PROFILE, else "default" */
    clock_src clock;     /* default: the system clock */
} cred_opts;

/* Order: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN; the
 * profile in AWS_SHARED_CREDENTIALS_FILE (~/.aws/credentials) and
 * AWS_CONFIG_FILE (~/.aws/config), with credential_process and role_arn +
 * source_profile (STS AssumeRole, cached until expiry); container
 * credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI); EC2
 * instance role through IMDSv2 (AWS_EC2_METADATA_SERVICE_ENDPOINT, never when
 * AWS_EC2_METADATA_DISABLED=true). */
cred_chain *cred_chain_new(const cred_opts *o);
void cred_chain_free(cred_chain *c);

/* Current credentials; temporary ones are refreshed when they expire within
 * five minutes. -1 with e saying which sources were tried (no secrets). */
int cred_chain_get(cred_chain *c, aws_credentials *out, err *e);

/* Region: flag, AWS_REGION, AWS_DEFAULT_REGION, the profile's region, IMDS.
 * malloc'd, or NULL with e set. */
char *aws_region_resolve(const char *flag, const char *profile, err *e);

/* Endpoint of a service ("apigateway", "lambda") in region: the flag
 * (--endpoint-url), AWS_ENDPOINT_URL_API_GATEWAY / AWS_ENDPOINT_URL_LAMBDA,
 * AWS_ENDPOINT_URL, else https://SERVICE.REGION.amazonaws.com. malloc'd;
 * *overridden tells whether an override was used (invoke URLs then take the
 * /restapis/{id}/{stage}/_user_request_/ form). */
char *aws_endpoint_resolve(const char *service, const char *region, const char *flag,
                           int *overridden);

#endif
