/* The credential chain, region and endpoint resolution, in the order the AWS
 * SDKs and CLI use. The sources live in cred_*.c; this file walks them,
 * caches the outcome (temporary credentials until five minutes before they
 * expire) and explains a failure without ever naming a secret. */
#include "transport/credentials.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/json.h"
#include "core/mem.h"
#include "cred_internal.h"

#define MAX_ROLE_HOPS 16

struct cred_chain {
    char *profile; /* explicit, or NULL */
    clock_src clock;
    pthread_mutex_t mu; /* transports may ask from several threads */
    aws_credentials cached;
    bool have;
};

/* ---- small shared helpers ---- */

int cred_copy(char *dst, size_t cap, const char *src) {
    size_t n = strlen(src);
    if (n >= cap) return -1;
    memcpy(dst, src, n + 1);
    return 0;
}

static int64_t days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400, doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

int cred_parse_time(const char *s, int64_t *ms) {
    int y, mo, d, h, mi, sec, used = 0;
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &used) != 6 || used != 19)
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return -1;
    const char *p = s + used;
    int64_t frac = 0, scale = 100;
    if (*p == '.')
        for (p++; isdigit((unsigned char)*p); p++, scale /= 10) frac += (*p - '0') * scale;
    int64_t off = 0;
    if (*p == '+' || *p == '-') {
        int oh, om;
        if (sscanf(p + 1, "%2d:%2d", &oh, &om) != 2 || strlen(p) != 6) return -1;
        off = (oh * 60 + om) * 60 * (*p == '+' ? 1 : -1);
    } else if ((*p != 'Z' && *p != 'z') || p[1]) {
        return -1;
    }
    int64_t t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
    *ms = t * 1000 + frac;
    return 0;
}

int cred_from_json(const char *text, size_t len, const char *token_key, aws_credentials *out) {
    cJSON *doc = cJSON_ParseWithLength(text ? text : "", text ? len : 0);
    const char *ak = json_str(doc, "AccessKeyId"), *sk = json_str(doc, "SecretAccessKey");
    const char *tok = json_str(doc, token_key), *exp = json_str(doc, "Expiration");
    aws_credentials c = {0};
    int rc = -1;
    if (ak && sk && *ak && *sk && cred_copy(c.access_key, sizeof c.access_key, ak) == 0 &&
        cred_copy(c.secret_key, sizeof c.secret_key, sk) == 0 &&
        cred_copy(c.session_token, sizeof c.session_token, tok ? tok : "") == 0 &&
        (!exp || cred_parse_time(exp, &c.expires_ms) == 0)) {
        *out = c;
        rc = 0;
    }
    memset(&c, 0, sizeof c);
    cJSON_Delete(doc);
    return rc;
}

static const char *env(const char *name) {
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

static void set_source(aws_credentials *c, const char *fmt, const char *arg) {
    snprintf(c->source, sizeof c->source, fmt, arg);
}

/* ---- the environment ---- */

/* 1 found, 0 not set, -1 half set (an error, as in the SDKs). */
static int from_env(aws_credentials *out, err *e) {
    const char *ak = env("AWS_ACCESS_KEY_ID"), *sk = env("AWS_SECRET_ACCESS_KEY");
    if (!ak && !sk) return 0;
    if (!ak || !sk)
        return err_set(e, 0, "", "%s is set but %s is not", ak ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
                       ak ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID");
    const char *tok = env("AWS_SESSION_TOKEN");
    aws_credentials c = {0};
    if (cred_copy(c.access_key, sizeof c.access_key, ak) != 0 ||
        cred_copy(c.secret_key, sizeof c.secret_key, sk) != 0 ||
        cred_copy(c.session_token, sizeof c.session_token, tok ? tok : "") != 0)
        return err_set(e, 0, "", "the credentials in the environment are too long");
    set_source(&c, "%s", "environment");
    *out = c;
    return 1;
}

/* ---- profiles ---- */

typedef struct prof_ctx {
    cred_ini creds, config;
    clock_src clock;
    const char *region; /* the session's region, for STS */
    const char *hops[MAX_ROLE_HOPS];
    int n_hops;
} prof_ctx;

/* A profile setting: the credentials file wins over the config file. */
static const char *pget(const prof_ctx *p, const char *profile, const char *key) {
    const char *v = cred_ini_get(cred_ini_section(&p->creds, profile), key);
    if (!v) v = cred_ini_get(cred_ini_section(&p->config, profile), key);
    return v && *v ? v : NULL;
}

/* Static keys of one section: 1 found, 0 none, -1 only one of the two. */
static int static_keys(const cred_section *s, const char *profile, aws_credentials *out, err *e) {
    const char *ak = cred_ini_get(s, "aws_access_key_id"), *sk = cred_ini_get(s, "aws_secret_access_key");
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

static int either_static(const prof_ctx *p, const char *profile, aws_credentials *out, err *e) {
    int rc = static_keys(cred_ini_section(&p->creds, profile), profile, out, e);
    return rc != 0 ? rc : static_keys(cred_ini_section(&p->config, profile), profile, out, e);
}

static int process(const char *profile, const char *cmd, aws_credentials *out, err *e) {
    if (cred_process_run(profile, cmd, out, e) != 0) return -1;
    set_source(out, "profile %s (credential_process)", profile);
    return 1;
}

static int assume_role(prof_ctx *p, const char *profile, aws_credentials *out, err *e);

/* Credentials of a source_profile: its static keys first (so a role profile
 * may name itself), then its own role, then its credential_process. */
static int source_profile(prof_ctx *p, const char *name, aws_credentials *out, err *e) {
    if (!cred_ini_section(&p->creds, name) && !cred_ini_section(&p->config, name))
        return err_set(e, 0, "", "source_profile %s does not exist", name);
    int rc = either_static(p, name, out, e);
    if (rc != 0) return rc;
    if (pget(p, name, "role_arn")) return assume_role(p, name, out, e);
    const char *cmd = pget(p, name, "credential_process");
    if (cmd) return process(name, cmd, out, e);
    return err_set(e, 0, "", "source_profile %s has no credentials", name);
}

static int credential_source(const char *profile, const char *src, aws_credentials *out, err *e) {
    if (strcmp(src, "Environment") == 0) {
        int rc = from_env(out, e);
        return rc != 0 ? rc : err_set(e, 0, "", "profile %s: no credentials in the environment", profile);
    }
    if (strcmp(src, "EcsContainer") == 0) return cred_container_get(out, e) == 0 ? 1 : -1;
    if (strcmp(src, "Ec2InstanceMetadata") == 0) {
        if (cred_imds_disabled()) return err_set(e, 0, "", "profile %s: instance metadata is disabled", profile);
        return cred_imds_get(out, e) == 0 ? 1 : -1;
    }
    return err_set(e, 0, "", "profile %s: unknown credential_source %s", profile, src);
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

static int role_source(prof_ctx *p, const char *profile, aws_credentials *src, err *e) {
    const char *sp = pget(p, profile, "source_profile"), *cs = pget(p, profile, "credential_source");
    if (sp && cs)
        return err_set(e, 0, "", "profile %s has both source_profile and credential_source", profile);
    if (!sp && !cs)
        return err_set(e, 0, "", "profile %s has role_arn but no source_profile or credential_source", profile);
    if (pget(p, profile, "mfa_serial"))
        return err_set(e, 0, "", "profile %s needs an MFA code (mfa_serial), which is not supported", profile);
    if (cs) return credential_source(profile, cs, src, e);
    if (strcmp(sp, profile) != 0 && visited(p, sp) && either_static(p, sp, src, NULL) == 0)
        return cycle_error(p, sp, e);
    if (strcmp(sp, profile) == 0) {
        int rc = either_static(p, sp, src, e);
        return rc != 0 ? rc : cycle_error(p, sp, e);
    }
    return source_profile(p, sp, src, e);
}

static int assume_role(prof_ctx *p, const char *profile, aws_credentials *out, err *e) {
    if (visited(p, profile)) return cycle_error(p, profile, e);
    if (p->n_hops == MAX_ROLE_HOPS) return err_set(e, 0, "", "too many chained roles at profile %s", profile);
    p->hops[p->n_hops++] = profile;
    aws_credentials src = {0};
    int rc = role_source(p, profile, &src, e);
    if (rc > 0) {
        cred_sts_args a = {.role_arn = pget(p, profile, "role_arn"),
                           .session_name = pget(p, profile, "role_session_name"),
                           .external_id = pget(p, profile, "external_id"),
                           .duration = pget(p, profile, "duration_seconds"),
                           .region = p->region,
                           .clock = p->clock};
        rc = cred_sts_assume_role(&a, &src, out, e) == 0 ? 1 : -1;
        if (rc > 0) set_source(out, "profile %s (assumed role)", profile);
    }
    memset(&src, 0, sizeof src);
    p->n_hops--;
    return rc;
}

static const char *session_region(const prof_ctx *p, const char *profile) {
    const char *r = env("AWS_REGION");
    if (!r) r = env("AWS_DEFAULT_REGION");
    if (!r) r = cred_ini_get(cred_ini_section(&p->config, profile), "region");
    return r && *r ? r : NULL;
}

/* The profile's own order (botocore's): role_arn, the credentials file's
 * keys, credential_process, the config file's keys. */
static int profile_creds(prof_ctx *p, const char *profile, aws_credentials *out, err *e, buf *trail) {
    const cred_section *cs = cred_ini_section(&p->creds, profile), *fs = cred_ini_section(&p->config, profile);
    if (!cs && !fs) {
        buf_printf(trail, ", profile %s (%s and %s have no such profile)", profile, p->creds.path, p->config.path);
        return 0;
    }
    p->region = session_region(p, profile);
    if (pget(p, profile, "role_arn")) return assume_role(p, profile, out, e);
    int rc = static_keys(cs, profile, out, e);
    if (rc != 0) return rc;
    const char *cmd = pget(p, profile, "credential_process");
    if (cmd) return process(profile, cmd, out, e);
    rc = static_keys(fs, profile, out, e);
    if (rc == 0) buf_printf(trail, ", profile %s (no credentials in it)", profile);
    return rc;
}

static int from_profile(const cred_chain *c, aws_credentials *out, err *e, buf *trail) {
    prof_ctx p = {.clock = c->clock};
    char *cp = cred_credentials_path(), *fp = cred_config_path();
    cred_ini_load(&p.creds, cp, false);
    cred_ini_load(&p.config, fp, true);
    free(cp);
    free(fp);
    int rc = profile_creds(&p, cred_profile_name(c->profile), out, e, trail);
    cred_ini_free(&p.creds);
    cred_ini_free(&p.config);
    return rc;
}

/* ---- the chain ---- */

static int from_container(aws_credentials *out, err *e, buf *trail) {
    if (!cred_container_configured()) {
        buf_puts(trail, ", container (not configured)");
        return 0;
    }
    if (cred_container_get(out, e) != 0) return -1;
    set_source(out, "%s", "container");
    return 1;
}

static int from_imds(aws_credentials *out, buf *trail) {
    if (cred_imds_disabled()) {
        buf_puts(trail, ", instance metadata (disabled)");
        return 0;
    }
    err ie = {0};
    if (cred_imds_get(out, &ie) != 0) {
        buf_printf(trail, ", instance metadata (%s)", ie.msg);
        return 0;
    }
    set_source(out, "%s", "instance metadata");
    return 1;
}

static int resolve(const cred_chain *c, aws_credentials *out, err *e) {
    buf trail = BUF_INIT;
    int rc = from_env(out, e);
    if (rc == 0) {
        buf_puts(&trail, "environment");
        rc = from_profile(c, out, e, &trail);
    }
    if (rc == 0) rc = from_container(out, e, &trail);
    if (rc == 0) rc = from_imds(out, &trail);
    if (rc == 0) err_set(e, 0, "", "no credentials: tried %s", trail.data);
    buf_free(&trail);
    return rc > 0 ? 0 : -1;
}

cred_chain *cred_chain_new(const cred_opts *o) {
    cred_chain *c = xcalloc(1, sizeof *c);
    c->profile = o && o->profile ? xstrdup(o->profile) : NULL;
    c->clock = o && o->clock.now_ms ? o->clock : clock_system();
    pthread_mutex_init(&c->mu, NULL);
    return c;
}

void cred_chain_free(cred_chain *c) {
    if (!c) return;
    memset(&c->cached, 0, sizeof c->cached);
    pthread_mutex_destroy(&c->mu);
    free(c->profile);
    free(c);
}

static bool fresh(const cred_chain *c) {
    if (!c->have) return false;
    return c->cached.expires_ms == 0 || c->cached.expires_ms - clock_now_ms(&c->clock) > CRED_REFRESH_MS;
}

int cred_chain_get(cred_chain *c, aws_credentials *out, err *e) {
    pthread_mutex_lock(&c->mu);
    int rc = 0;
    if (!fresh(c)) {
        aws_credentials got = {0};
        rc = resolve(c, &got, e);
        if (rc == 0) {
            c->cached = got;
            c->have = true;
        } else if (c->have && c->cached.expires_ms > clock_now_ms(&c->clock)) {
            rc = 0; /* a failed early refresh keeps the still valid credentials */
        }
        memset(&got, 0, sizeof got);
    }
    if (rc == 0) *out = c->cached;
    pthread_mutex_unlock(&c->mu);
    return rc;
}

/* ---- region ---- */

static bool region_valid(const char *r) {
    if (!*r || strlen(r) > 40) return false;
    for (; *r; r++)
        if (!islower((unsigned char)*r) && !isdigit((unsigned char)*r) && *r != '-') return false;
    return true;
}

static char *checked_region(const char *r, const char *from, err *e) {
    if (region_valid(r)) return xstrdup(r);
    err_set(e, 0, "", "the region from %s is not a region name", from);
    return NULL;
}

static char *profile_region(const char *profile, char **cfg_path) {
    cred_ini ini = {0};
    *cfg_path = cred_config_path();
    cred_ini_load(&ini, *cfg_path, true);
    const char *r = cred_ini_get(cred_ini_section(&ini, cred_profile_name(profile)), "region");
    char *out = r && *r ? xstrdup(r) : NULL;
    cred_ini_free(&ini);
    return out;
}

char *aws_region_resolve(const char *flag, const char *profile, err *e) {
    if (flag && *flag) return checked_region(flag, "--region", e);
    if (env("AWS_REGION")) return checked_region(env("AWS_REGION"), "AWS_REGION", e);
    if (env("AWS_DEFAULT_REGION")) return checked_region(env("AWS_DEFAULT_REGION"), "AWS_DEFAULT_REGION", e);
    char *cfg = NULL, *r = profile_region(profile, &cfg);
    char *out = r ? checked_region(r, "the config file", e) : NULL;
    free(r);
    if (!out && !r) {
        err ie = {0};
        bool off = cred_imds_disabled();
        out = off ? NULL : cred_imds_region(&ie);
        if (out && !region_valid(out)) {
            free(out);
            out = NULL;
            err_set(&ie, 0, "", "not a region name");
        }
        if (!out)
            err_set(e, 0, "", "no region: tried --region, AWS_REGION, AWS_DEFAULT_REGION, profile %s in %s, "
                              "instance metadata (%s)",
                    cred_profile_name(profile), cfg, off ? "disabled" : ie.msg);
    }
    free(cfg);
    return out;
}

/* ---- endpoints ---- */

/* AWS_ENDPOINT_URL_<SERVICE ID>: the service id upper-cased, spaces as '_'. */
static char *service_env_name(const char *service) {
    if (strcmp(service, "apigateway") == 0) return xstrdup("AWS_ENDPOINT_URL_API_GATEWAY");
    char *n = xasprintf("AWS_ENDPOINT_URL_%s", service);
    for (char *p = n; *p; p++) *p = *p == ' ' || *p == '-' ? '_' : (char)toupper((unsigned char)*p);
    return n;
}

static char *strip_slash(const char *u) {
    size_t n = strlen(u);
    while (n > 0 && u[n - 1] == '/') n--;
    return xstrndup(u, n);
}

char *aws_endpoint_resolve(const char *service, const char *region, const char *flag, int *overridden) {
    if (overridden) *overridden = 1;
    if (flag && *flag) return strip_slash(flag);
    const char *ignore = getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
    if (!ignore || strcasecmp(ignore, "true") != 0) {
        char *name = service_env_name(service);
        const char *v = env(name);
        free(name);
        if (!v) v = env("AWS_ENDPOINT_URL");
        if (v) return strip_slash(v);
    }
    if (overridden) *overridden = 0;
    if (!region || !*region) region = "us-east-1";
    const char *suffix = strncmp(region, "cn-", 3) == 0 ? "amazonaws.com.cn" : "amazonaws.com";
    return xasprintf("https://%s.%s.%s", service, region, suffix);
}
