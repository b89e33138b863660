/* The profile part of the chain, in botocore's order (its AssumeRole
 * provider, then ProfileProviderBuilder): role_arn with source_profile or
 * credential_source (a profile that also has web_identity_token_file is a
 * web identity profile instead); web identity, each setting from the
 * environment first (AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN,
 * AWS_ROLE_SESSION_NAME; not with an explicit profile) then the profile;
 * SSO; the credentials file's keys; credential_process; the config file's
 * keys. A source_profile runs the same providers (without the environment). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "cred_internal.h"

#define MAX_ROLE_HOPS 16
#define WEB_TOKEN_MAX (64 * 1024)

typedef struct prof_ctx {
    const cred_ctx *x;
    cred_ini creds, config;
    const char *region; /* the session's region, for STS */
    const char *hops[MAX_ROLE_HOPS];
    int n_hops;
} prof_ctx;

static void set_source(aws_credentials *c, const char *fmt, const char *arg) {
    snprintf(c->source, sizeof c->source, fmt, arg);
}

/* A profile setting: the credentials file wins over the config file. */
static const char *pget(const prof_ctx *p, const char *profile, const char *key) {
    const char *v = cred_ini_get(cred_ini_section(&p->creds, profile), key);
    if (!v) v = cred_ini_get(cred_ini_section(&p->config, profile), key);
    return v && *v ? v : NULL;
}

static bool exists(const prof_ctx *p, const char *profile) {
    return cred_ini_section(&p->creds, profile) || cred_ini_section(&p->config, profile);
}

/* botocore's "assume role" profile: role_arn without web identity. */
static bool is_role(const prof_ctx *p, const char *profile) {
    return pget(p, profile, "role_arn") && !pget(p, profile, "web_identity_token_file");
}

/* Static keys of one section: 1 found, 0 none, -1 only one of the two. */
static int static_keys(const cred_section *s, const char *profile, aws_credentials *out, err *e) {
    const char *ak = cred_ini_get(s, "aws_access_key_id"),
               *sk = cred_ini_get(s, "aws_secret_access_key");
    if ((!ak || !*ak) && (!sk || !*sk)) return 0;
    if (!ak || !*ak || !sk || !*sk)
        return err_set(e, 0, "", "profile %s has %s but not %s", profile,
                       ak && *ak ? "aws_access_key_id" : "aws_secret_access_key",
                       ak && *ak ? "aws_secret_access_key" : "aws_access_key_id");
    const char *tok = cred_ini_get(s, "aws_session_token");
    aws_credentials c = {0};
    if (cred_copy(c.access_key, sizeof c.access_key, ak) != 0 ||
        cred_copy(c.secret_key, sizeof c.secret_key, sk) != 0 ||
        cred_copy(c.session_token, sizeof c.session_token, tok ? tok : "") != 0)
        return err_set(e, 0, "", "the credentials of profile %s are too long", profile);
    set_source(&c, "profile %s", profile);
    *out = c;
    return 1;
}

static bool has_static(const prof_ctx *p, const char *profile) {
    return pget(p, profile, "aws_access_key_id") || pget(p, profile, "aws_secret_access_key");
}

static int process(const prof_ctx *p, const char *profile, const char *cmd, aws_credentials *out,
                   err *e) {
    if (cred_process_run(p->x, profile, cmd, out, e) != 0) return -1;
    set_source(out, "profile %s (credential_process)", profile);
    return 1;
}

/* ---- web identity ---- */

typedef struct web_cfg {
    const char *token_file, *role_arn, *session_name;
    bool from_env; /* the token file came from the environment */
} web_cfg;

/* botocore's lookup: each setting from the environment when allowed, else
 * from the profile. */
static const char *web_get(const prof_ctx *p, const char *profile, bool use_env, const char *var,
                           const char *key) {
    const char *v = use_env ? cred_env(var) : NULL;
    return v ? v : profile ? pget(p, profile, key) : NULL;
}

/* The token file's text without trailing white space (malloc'd), or NULL. */
static char *read_token(const char *path, err *e) {
    char *full = cred_expand_home(path);
    FILE *f = full ? fopen(full, "r") : NULL;
    free(full);
    if (!f) {
        err_set(e, 0, "", "cannot read the web identity token file %s: %s", path, strerror(errno));
        return NULL;
    }
    char *tok = xcalloc(WEB_TOKEN_MAX + 1, 1);
    size_t n = fread(tok, 1, WEB_TOKEN_MAX, f);
    fclose(f);
    while (n > 0 &&
           (tok[n - 1] == '\n' || tok[n - 1] == '\r' || tok[n - 1] == ' ' || tok[n - 1] == '\t'))
        tok[--n] = '\0';
    if (n == 0) {
        free(tok);
        err_set(e, 0, "", "the web identity token file %s is empty", path);
        return NULL;
    }
    return tok;
}

static int web_identity(prof_ctx *p, const char *profile, bool use_env, aws_credentials *out,
                        err *e) {
    web_cfg w = {
        .token_file =
            web_get(p, profile, use_env, "AWS_WEB_IDENTITY_TOKEN_FILE", "web_identity_token_file"),
        .role_arn = web_get(p, profile, use_env, "AWS_ROLE_ARN", "role_arn"),
        .session_name = web_get(p, profile, use_env, "AWS_ROLE_SESSION_NAME", "role_session_name"),
        .from_env = use_env && cred_env("AWS_WEB_IDENTITY_TOKEN_FILE")};
    if (!w.token_file) return 0;
    if (!w.role_arn)
        return err_set(
            e, 0, "",
            "web identity: %s is set but there is no role ARN (AWS_ROLE_ARN, or role_arn "
            "in profile %s)",
            w.from_env ? "AWS_WEB_IDENTITY_TOKEN_FILE" : "web_identity_token_file", profile);
    char *token = read_token(w.token_file, e);
    if (!token) return -1;
    cred_sts_args a = {.role_arn = w.role_arn, .session_name = w.session_name, .region = p->region};
    int rc = cred_sts_web_identity(p->x, &a, token, out, e) == 0 ? 1 : -1;
    memset(token, 0, strlen(token));
    free(token);
    if (rc > 0 && w.from_env)
        set_source(out, "%s", "web identity (environment)");
    else if (rc > 0)
        set_source(out, "profile %s (web identity)", profile);
    return rc;
}

/* ---- SSO ---- */

/* A setting of the sso-session that must agree with the profile's. */
static int sso_setting(const prof_ctx *p, const char *profile, const cred_section *sess,
                       const char *key, const char **v, err *e) {
    const char *mine = pget(p, profile, key), *theirs = cred_ini_get(sess, key);
    if (mine && theirs && *theirs && strcmp(mine, theirs) != 0)
        return err_set(e, 0, "", "profile %s: %s differs between the profile and its sso-session",
                       profile, key);
    *v = theirs && *theirs ? theirs : mine;
    return 0;
}

static int sso(prof_ctx *p, const char *profile, aws_credentials *out, err *e) {
    cred_sso_args a = {.profile = profile,
                       .account_id = pget(p, profile, "sso_account_id"),
                       .role_name = pget(p, profile, "sso_role_name"),
                       .session = pget(p, profile, "sso_session")};
    if (!a.account_id && !a.role_name) return 0; /* not an SSO profile */
    if (a.session) {
        const cred_section *sess = cred_ini_find(&p->config, CRED_SEC_SSO_SESSION, a.session);
        if (!sess)
            return err_set(e, 0, "",
                           "profile %s: sso_session %s has no [sso-session %s] section in %s",
                           profile, a.session, a.session, p->config.path);
        if (sso_setting(p, profile, sess, "sso_start_url", &a.start_url, e) != 0 ||
            sso_setting(p, profile, sess, "sso_region", &a.region, e) != 0)
            return -1;
    } else {
        a.start_url = pget(p, profile, "sso_start_url");
        a.region = pget(p, profile, "sso_region");
    }
    const char *names[] = {"sso_start_url", "sso_region", "sso_account_id", "sso_role_name"};
    const char *vals[] = {a.start_url, a.region, a.account_id, a.role_name};
    char missing[128] = "";
    for (int i = 0; i < 4; i++)
        if (!vals[i])
            snprintf(missing + strlen(missing), sizeof missing - strlen(missing), "%s%s",
                     *missing ? ", " : "", names[i]);
    if (*missing)
        return err_set(e, 0, "", "profile %s is configured for SSO but is missing %s", profile,
                       missing);
    if (cred_sso_get(p->x, &a, out, e) != 0) return -1;
    set_source(out, "profile %s (sso)", profile);
    return 1;
}

/* ---- the providers of one profile (after role_arn) ---- */

/* SSO, the credentials file, credential_process, the config file. */
static int profile_chain(prof_ctx *p, const char *profile, aws_credentials *out, err *e) {
    int rc = sso(p, profile, out, e);
    if (rc == 0) rc = static_keys(cred_ini_section(&p->creds, profile), profile, out, e);
    const char *cmd = pget(p, profile, "credential_process");
    if (rc == 0 && cmd) rc = process(p, profile, cmd, out, e);
    if (rc == 0) rc = static_keys(cred_ini_section(&p->config, profile), profile, out, e);
    return rc;
}

/* ---- roles ---- */

static int assume_role(prof_ctx *p, const char *profile, aws_credentials *out, err *e);

static int credential_source(const prof_ctx *p, const char *profile, const char *src,
                             aws_credentials *out, err *e) {
    if (strcmp(src, "Environment") == 0) {
        const char *ak = cred_env("AWS_ACCESS_KEY_ID"), *sk = cred_env("AWS_SECRET_ACCESS_KEY");
        const char *tok = cred_env("AWS_SESSION_TOKEN");
        if (!ak || !sk)
            return err_set(e, 0, "", "profile %s: no credentials in the environment", profile);
        aws_credentials c = {0};
        if (cred_copy(c.access_key, sizeof c.access_key, ak) != 0 ||
            cred_copy(c.secret_key, sizeof c.secret_key, sk) != 0 ||
            cred_copy(c.session_token, sizeof c.session_token, tok ? tok : "") != 0)
            return err_set(e, 0, "", "the credentials in the environment are too long");
        *out = c;
        return 1;
    }
    if (strcmp(src, "EcsContainer") == 0) return cred_container_get(p->x, out, e) == 0 ? 1 : -1;
    if (strcmp(src, "Ec2InstanceMetadata") == 0) {
        if (cred_imds_disabled())
            return err_set(e, 0, "", "profile %s: instance metadata is disabled", profile);
        return cred_imds_get(p->x, out, e) == 0 ? 1 : -1;
    }
    return err_set(e, 0, "", "profile %s: unknown credential_source %s", profile, src);
}

/* Credentials of a source_profile: its own role, unless it holds keys or is
 * not a role profile; then the providers of a profile (web identity from
 * the profile only, SSO, keys, credential_process). */
static int source_profile(prof_ctx *p, const char *name, aws_credentials *out, err *e) {
    if (!exists(p, name)) return err_set(e, 0, "", "source_profile %s does not exist", name);
    if (is_role(p, name) && !has_static(p, name)) return assume_role(p, name, out, e);
    int rc = web_identity(p, name, false, out, e);
    if (rc == 0) rc = profile_chain(p, name, out, e);
    return rc != 0 ? rc : err_set(e, 0, "", "source_profile %s has no credentials", name);
}

static bool visited(const prof_ctx *p, const char *profile) {
    for (int i = 0; i < p->n_hops; i++)
        if (strcmp(p->hops[i], profile) == 0) return true;
    return false;
}

static int cycle_error(const prof_ctx *p, const char *profile, err *e) {
    char path[256] = "";
    for (int i = 0; i < p->n_hops; i++) {
        size_t n = strlen(path);
        snprintf(path + n, sizeof path - n, "%s -> ", p->hops[i]);
    }
    return err_set(e, 0, "", "source_profile cycle: %s%s", path, profile);
}

static int either_static(const prof_ctx *p, const char *profile, aws_credentials *out, err *e) {
    int rc = static_keys(cred_ini_section(&p->creds, profile), profile, out, e);
    return rc != 0 ? rc : static_keys(cred_ini_section(&p->config, profile), profile, out, e);
}

static int role_source(prof_ctx *p, const char *profile, aws_credentials *src, err *e) {
    const char *sp = pget(p, profile, "source_profile"),
               *cs = pget(p, profile, "credential_source");
    if (sp && cs)
        return err_set(e, 0, "", "profile %s has both source_profile and credential_source",
                       profile);
    if (!sp && !cs)
        return err_set(e, 0, "",
                       "profile %s has role_arn but no source_profile or credential_source",
                       profile);
    if (pget(p, profile, "mfa_serial"))
        return err_set(
            e, 0, "", "profile %s needs an MFA code (mfa_serial), which is not supported", profile);
    if (cs) return credential_source(p, profile, cs, src, e);
    if (strcmp(sp, profile) == 0) { /* a profile may name itself to use its own keys */
        int rc = either_static(p, sp, src, e);
        return rc != 0 ? rc : cycle_error(p, sp, e);
    }
    if (visited(p, sp)) return cycle_error(p, sp, e);
    return source_profile(p, sp, src, e);
}

static int assume_role(prof_ctx *p, const char *profile, aws_credentials *out, err *e) {
    if (visited(p, profile)) return cycle_error(p, profile, e);
    if (p->n_hops == MAX_ROLE_HOPS)
        return err_set(e, 0, "", "too many chained roles at profile %s", profile);
    p->hops[p->n_hops++] = profile;
    aws_credentials src = {0};
    int rc = role_source(p, profile, &src, e);
    if (rc > 0) {
        cred_sts_args a = {.role_arn = pget(p, profile, "role_arn"),
                           .session_name = pget(p, profile, "role_session_name"),
                           .external_id = pget(p, profile, "external_id"),
                           .duration = pget(p, profile, "duration_seconds"),
                           .region = p->region};
        rc = cred_sts_assume_role(p->x, &a, &src, out, e) == 0 ? 1 : -1;
        if (rc > 0) set_source(out, "profile %s (assumed role)", profile);
    }
    memset(&src, 0, sizeof src);
    p->n_hops--;
    return rc;
}

/* ---- the selected profile ---- */

static const char *session_region(const prof_ctx *p, const char *profile) {
    const char *r = cred_env("AWS_REGION");
    if (!r) r = cred_env("AWS_DEFAULT_REGION");
    if (!r) r = cred_ini_get(cred_ini_section(&p->config, profile), "region");
    return r && *r ? r : NULL;
}

static int resolve_profile(prof_ctx *p, const char *profile, aws_credentials *out, err *e,
                           buf *trail) {
    p->region = session_region(p, profile);
    if (is_role(p, profile)) return assume_role(p, profile, out, e);
    bool use_env = !p->x->explicit_profile;
    int rc = web_identity(p, profile, use_env, out, e);
    if (rc != 0) return rc;
    if (use_env) buf_puts(trail, ", web identity (AWS_WEB_IDENTITY_TOKEN_FILE not set)");
    if (!exists(p, profile)) {
        buf_printf(trail, ", profile %s (%s and %s have no such profile)", profile, p->creds.path,
                   p->config.path);
        return 0;
    }
    rc = profile_chain(p, profile, out, e);
    if (rc == 0) buf_printf(trail, ", profile %s (no credentials in it)", profile);
    return rc;
}

int cred_profile_resolve(const cred_ctx *x, aws_credentials *out, err *e, buf *trail) {
    prof_ctx p = {.x = x};
    char *cp = cred_credentials_path(), *fp = cred_config_path();
    cred_ini_load(&p.creds, cp, false);
    cred_ini_load(&p.config, fp, true);
    free(cp);
    free(fp);
    int rc = resolve_profile(&p, x->profile, out, e, trail);
    cred_ini_free(&p.creds);
    cred_ini_free(&p.config);
    return rc;
}
