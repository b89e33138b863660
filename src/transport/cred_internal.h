#ifndef TRANSPORT_CRED_INTERNAL_H
#define TRANSPORT_CRED_INTERNAL_H
/* Private pieces of the credential chain (credentials.c and cred_*.c). */
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "transport/credentials.h"
#include "transport/sigv4.h"

/* botocore's RefreshableCredentials windows: within 15 minutes of expiry a
 * refresh starts in the background and the cached credentials stay in use;
 * within 10 minutes the caller waits for fresh ones. */
#define CRED_ADVISORY_MS (15 * 60 * 1000LL)
#define CRED_MANDATORY_MS (10 * 60 * 1000LL)
/* After a refresh, no other one starts for this long (a failing source is
 * not asked again on every request). */
#define CRED_RETRY_MS (30 * 1000LL)
/* credential_process gets this long unless cred_opts says otherwise. */
#define CRED_PROCESS_TIMEOUT_MS (60 * 1000)

/* What every source may need from the chain. */
typedef struct cred_ctx {
    clock_src clock;
    const char *profile;   /* the selected profile: explicit, AWS_PROFILE or "default" */
    bool explicit_profile; /* given in cred_opts: environment credentials are skipped */
    int process_timeout_ms;
    atomic_bool *cancel; /* set when the chain is freed; NULL: never */
} cred_ctx;

static inline bool cred_cancelled(const cred_ctx *x) {
    return x && x->cancel && atomic_load(x->cancel);
}

/* ---- cred_ini.c: the shared config and credentials files ---- */

typedef struct cred_kv {
    char *key; /* lower case; a nested setting is "parent.child" */
    char *value;
} cred_kv;

typedef enum cred_sec_kind {
    CRED_SEC_PROFILE,
    CRED_SEC_SSO_SESSION,
    CRED_SEC_SERVICES
} cred_sec_kind;

typedef struct cred_section {
    cred_sec_kind kind;
    char *name; /* profile name ("profile " prefix removed in the config file) */
    cred_kv *kv;
    size_t n, cap;
} cred_section;

typedef struct cred_ini {
    char *path;  /* the file as given (for messages: may start with "~/") */
    bool exists; /* false when it could not be read */
    cred_section *sec;
    size_t n, cap;
} cred_ini;

/* Parse text as the config file (is_config: "[profile NAME]", "[default]",
 * "[sso-session NAME]", "[services NAME]") or the credentials file ("[NAME]"). */
void cred_ini_parse(cred_ini *ini, const char *text, bool is_config);
/* Load a file (path may start with "~/"); a missing file is an empty one. */
void cred_ini_load(cred_ini *ini, const char *path, bool is_config);
void cred_ini_free(cred_ini *ini);
/* A profile section. */
const cred_section *cred_ini_section(const cred_ini *ini, const char *name);
/* A section of another kind. */
const cred_section *cred_ini_find(const cred_ini *ini, cred_sec_kind kind, const char *name);
/* Value of key in a section (NULL section allowed), or NULL. */
const char *cred_ini_get(const cred_section *s, const char *key);

/* The files the environment points at (malloc'd): AWS_SHARED_CREDENTIALS_FILE
 * or "~/.aws/credentials"; AWS_CONFIG_FILE or "~/.aws/config". */
char *cred_credentials_path(void);
char *cred_config_path(void);
/* path with a leading "~/" replaced by the home directory (malloc'd). */
char *cred_expand_home(const char *path);
/* The profile name: explicit, else AWS_PROFILE, else "default". */
const char *cred_profile_name(const char *explicit_name);
/* A non-empty environment variable, or NULL. */
const char *cred_env(const char *name);

/* ---- cred_http.c: small blocking HTTP exchanges over libcurl ---- */

typedef struct cred_http_req {
    const char *method;
    const char *url;
    const char *const *headers; /* "Name: value" strings, NULL-terminated */
    const char *body;           /* NULL: none */
    long connect_timeout_ms;
    long total_timeout_ms;
    int attempts;        /* tries on connection failures and 5xx */
    bool no_proxy;       /* link-local services never go through a proxy */
    atomic_bool *cancel; /* aborts the exchange when set; NULL: never */
} cred_http_req;

/* 0 with *status and the body in out; -1 when no response came (e says why). */
int cred_http(const cred_http_req *r, int *status, buf *out, err *e);

/* ---- cred_endpoint.c: configured endpoints ---- */

/* The endpoint configured for a service ("apigateway", "lambda", "sts",
 * "sso"): AWS_ENDPOINT_URL_<ID>, AWS_ENDPOINT_URL, the profile's
 * "services" section, the profile's endpoint_url; NULL when none or when
 * configured endpoints are ignored. profile NULL: AWS_PROFILE or "default".
 * malloc'd, without a trailing '/'. */
char *cred_configured_endpoint(const char *service, const char *profile);
bool cred_region_valid(const char *r);

/* ---- the sources (each fills out; -1 with e on failure) ---- */

/* ISO 8601 ("2024-05-01T12:00:00Z", fractions and offsets allowed) to ms. */
int cred_parse_time(const char *s, int64_t *ms);
/* Fill out from a JSON document with the given member names; expiration may
 * be absent (static credentials). */
int cred_from_json(const char *text, size_t len, const char *token_key, aws_credentials *out);
/* Copy into a fixed field, failing when it does not fit. */
int cred_copy(char *dst, size_t cap, const char *src);

/* cred_profile.c: botocore's profile providers for x->profile (role_arn,
 * web identity from the environment and the profile, SSO, the credentials
 * file, credential_process, the config file). 1 found, 0 nothing there (the
 * trail says why), -1 a configured source failed. */
int cred_profile_resolve(const cred_ctx *x, aws_credentials *out, err *e, buf *trail);

int cred_process_run(const cred_ctx *x, const char *profile, const char *command,
                     aws_credentials *out, err *e);

typedef struct cred_sts_args {
    const char *role_arn;
    const char *session_name; /* NULL: generated */
    const char *external_id;  /* NULL: none */
    const char *duration;     /* NULL: STS default */
    const char *region;       /* NULL: the global endpoint */
} cred_sts_args;
/* AssumeRole, signed with source. */
int cred_sts_assume_role(const cred_ctx *x, const cred_sts_args *a, const aws_credentials *source,
                         aws_credentials *out, err *e);
/* AssumeRoleWithWebIdentity: unsigned, the token in the form. */
int cred_sts_web_identity(const cred_ctx *x, const cred_sts_args *a, const char *token,
                          aws_credentials *out, err *e);

typedef struct cred_sso_args {
    const char *profile; /* the profile holding the settings, for messages */
    const char *session; /* sso_session, or NULL for the legacy form */
    const char *start_url;
    const char *region;
    const char *account_id;
    const char *role_name;
} cred_sso_args;
/* The cached token (~/.aws/sso/cache/<sha1 of the session or start URL>.json)
 * traded for role credentials (GetRoleCredentials). */
int cred_sso_get(const cred_ctx *x, const cred_sso_args *a, aws_credentials *out, err *e);

/* 1 when the container variables are set (then 0/-1 is the outcome): */
bool cred_container_configured(void);
int cred_container_get(const cred_ctx *x, aws_credentials *out, err *e);

bool cred_imds_disabled(void);
int cred_imds_get(const cred_ctx *x, aws_credentials *out, err *e);
char *cred_imds_region(err *e);

/* ---- credentials.c, for tests ---- */

/* Wait until no refresh is under way (a background one included). */
void cred_chain_settle(cred_chain *c);

#endif
