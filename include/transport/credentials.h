#ifndef TRANSPORT_CREDENTIALS_H
#define TRANSPORT_CREDENTIALS_H
/* The AWS credential chain, region and endpoints, resolved as the AWS SDKs
 * do. Nothing here ever prints a secret. */
#include "core/clock.h"
#include "core/err.h"
#include "transport/sigv4.h"

typedef struct cred_chain cred_chain;

typedef struct cred_opts {
    const char *profile;    /* --profile; NULL: AWS_PROFILE, else "default" */
    clock_src clock;        /* default: the system clock */
    int process_timeout_ms; /* credential_process limit; 0: 60 s */
} cred_opts;

/* botocore's order: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN
 * (skipped when cred_opts names a profile, as --profile does in the CLI);
 * the profile's role_arn + source_profile/credential_source (STS
 * AssumeRole); web identity (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN,
 * or the profile's web_identity_token_file + role_arn: STS
 * AssumeRoleWithWebIdentity); the profile's SSO settings (a token cached by
 * `aws sso login`); the profile's keys in AWS_SHARED_CREDENTIALS_FILE
 * (~/.aws/credentials); its credential_process; its keys in AWS_CONFIG_FILE
 * (~/.aws/config); container credentials (AWS_CONTAINER_CREDENTIALS_*);
 * EC2 instance role through IMDSv2 (AWS_EC2_METADATA_SERVICE_ENDPOINT,
 * never when AWS_EC2_METADATA_DISABLED=true). */
cred_chain *cred_chain_new(const cred_opts *o);
/* Stops a background refresh (aborting its requests) and waits for it. */
void cred_chain_free(cred_chain *c);

/* Current credentials, at once while they are valid for more than ten
 * minutes; from fifteen minutes before expiry a refresh runs on a thread of
 * the chain; with none, or within ten minutes of expiry, the caller waits
 * for the refresh. -1 with e saying which sources were tried (no secrets).
 * Thread-safe. */
int cred_chain_get(cred_chain *c, aws_credentials *out, err *e);

/* Region: flag, AWS_REGION, AWS_DEFAULT_REGION, the profile's region, IMDS.
 * malloc'd, or NULL with e set. */
char *aws_region_resolve(const char *flag, const char *profile, err *e);

/* Endpoint of a service ("apigateway", "lambda") in region: the flag
 * (--endpoint-url), AWS_ENDPOINT_URL_API_GATEWAY / AWS_ENDPOINT_URL_LAMBDA,
 * AWS_ENDPOINT_URL, the profile's "services" section ("[services NAME]"
 * with "api_gateway =" / "lambda =" and a nested endpoint_url), the
 * profile's endpoint_url (profile NULL: AWS_PROFILE, else "default"); all
 * but the flag ignored when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS or the
 * profile's ignore_configured_endpoint_urls is true; else
 * https://SERVICE.REGION.amazonaws.com. malloc'd; *overridden tells whether
 * an override was used (invoke URLs then take the
 * /restapis/{id}/{stage}/_user_request_/ form). */
char *aws_endpoint_resolve(const char *service, const char *region, const char *flag,
                           const char *profile, int *overridden);

#endif
