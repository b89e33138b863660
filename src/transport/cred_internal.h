#ifndef TRANSPORT_CRED_INTERNAL_H
#define TRANSPORT_CRED_INTERNAL_H
/* Private pieces of the credential chain (credentials.c and cred_*.c). */
#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "transport/sigv4.h"

/* Five minutes: temporary credentials are refreshed this long before expiry. */
#define CRED_REFRESH_MS (5 * 60 * 1000LL)

/* ---- cred_ini.c: the shared config and credentials files ---- */

typedef struct cred_kv {
    char *key; /* lower case */
    char *value;
} cred_kv;

typedef struct cred_section {
    char *name; /* profile name ("profile " prefix removed in the config file) */
    cred_kv *kv;
    size_t n, cap;
} cred_section;

typedef struct cred_ini {
    char *path;   /* the file as given (for messages: may start with "~/") */
    bool exists;  /* false when it could not be read */
    cred_section *sec;
    size_t n, cap;
} cred_ini;

/* Parse text as the config file (is_config: "[profile NAME]" and
 * "[default]") or the credentials file ("[NAME]"). */
void cred_ini_parse(cred_ini *ini, const char *text, bool is_config);
/* Load a file (path may start with "~/"); a missing file is an empty one. */
void cred_ini_load(cred_ini *ini, const char *path, bool is_config);
void cred_ini_free(cred_ini *ini);
const cred_section *cred_ini_section(const cred_ini *ini, const char *name);
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

/* ---- cred_http.c: small blocking HTTP exchanges over libcurl ---- */

typedef struct cred_http_req {
    const char *method;
    const char *url;
    const char *const *headers; /* "Name: value" strings, NULL-terminated */
    const char *body;           /* NULL: none */
    long connect_timeout_ms;
    long total_timeout_ms;
    int attempts;  /* tries on connection failures and 5xx */
    bool no_proxy; /* link-local services never go through a proxy */
} cred_http_req;

/* 0 with *status and the body in out; -1 when no response came (e says why). */
int cred_http(const cred_http_req *r, int *status, buf *out, err *e);

/* ---- the sources (each fills out; -1 with e on failure) ---- */

/* ISO 8601 ("2024-05-01T12:00:00Z", fractions and offsets allowed) to ms. */
int cred_parse_time(const char *s, int64_t *ms);
/* Fill out from a JSON document with the given member names; expiration may
 * be absent (static credentials). */
int cred_from_json(const char *text, size_t len, const char *token_key, aws_credentials *out);
/* Copy into a fixed field, failing when it does not fit. */
int cred_copy(char *dst, size_t cap, const char *src);

int cred_process_run(const char *profile, const char *command, aws_credentials *out, err *e);

typedef struct cred_sts_args {
    const char *role_arn;
    const char *session_name; /* NULL: generated */
    const char *external_id;  /* NULL: none */
    const char *duration;     /* NULL: STS default */
    const char *region;       /* NULL: the global endpoint */
    clock_src clock;
} cred_sts_args;
int cred_sts_assume_role(const cred_sts_args *a, const aws_credentials *source,
                         aws_credentials *out, err *e);

/* 1 when the container variables are set (then 0/-1 is the outcome): */
bool cred_container_configured(void);
int cred_container_get(aws_credentials *out, err *e);

bool cred_imds_disabled(void);
int cred_imds_get(aws_credentials *out, err *e);
char *cred_imds_region(err *e);

#endif
