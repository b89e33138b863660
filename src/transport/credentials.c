/* The credential chain in the order the AWS SDKs and CLI use. The sources
 * live in cred_*.c; this file walks them, caches the outcome, refreshes
 * temporary credentials on a thread of its own (botocore's windows: 15
 * minutes before expiry in the background, 10 minutes before expiry the
 * caller waits) and explains a failure without ever naming a secret. */
#include "transport/credentials.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/mem.h"
#include "cred_internal.h"

struct cred_chain {
    char *profile; /* explicit, or NULL */
    clock_src clock;
    int process_timeout_ms;
    atomic_bool cancel;  /* cred_chain_free: stop what runs */
    pthread_mutex_t mu;  /* guards everything below */
    pthread_cond_t idle; /* signalled when a refresh ends */
    aws_credentials cached;
    bool have;
    bool refreshing;  /* a refresh is under way (background or a caller's) */
    bool thread_live; /* th was started and is not joined yet */
    pthread_t th;
    int64_t next_try_ms; /* no refresh starts before this (see CRED_RETRY_MS) */
    fake_clock started;  /* when the background refresh started: its clock, so
                            that the thread never reads the caller's clock */
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
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &used) != 6 ||
        used != 19)
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return -1;
    const char *p = s + used;
    int64_t frac = 0, scale = 100;
    if (*p == '.')
        for (p++; isdigit((unsigned char)*p); p++, scale /= 10)
            frac += (*p - '0') * scale;
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

static void set_source(aws_credentials *c, const char *fmt, const char *arg) {
    snprintf(c->source, sizeof c->source, fmt, arg);
}

/* ---- the environment ---- */

/* 1 found, 0 not set, -1 half set (an error, as in the SDKs). */
static int from_env(aws_credentials *out, err *e) {
    const char *ak = cred_env("AWS_ACCESS_KEY_ID"), *sk = cred_env("AWS_SECRET_ACCESS_KEY");
    if (!ak && !sk) return 0;
    if (!ak || !sk)
        return err_set(e, 0, "", "%s is set but %s is not",
                       ak ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
                       ak ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID");
    const char *tok = cred_env("AWS_SESSION_TOKEN");
    aws_credentials c = {0};
    if (cred_copy(c.access_key, sizeof c.access_key, ak) != 0 ||
        cred_copy(c.secret_key, sizeof c.secret_key, sk) != 0 ||
        cred_copy(c.session_token, sizeof c.session_token, tok ? tok : "") != 0)
        return err_set(e, 0, "", "the credentials in the environment are too long");
    set_source(&c, "%s", "environment");
    *out = c;
    return 1;
}

/* ---- the chain ---- */

static int from_container(const cred_ctx *x, aws_credentials *out, err *e, buf *trail) {
    if (!cred_container_configured()) {
        buf_puts(trail, ", container (not configured)");
        return 0;
    }
    if (cred_container_get(x, out, e) != 0) return -1;
    set_source(out, "%s", "container");
    return 1;
}

static int from_imds(const cred_ctx *x, aws_credentials *out, buf *trail) {
    if (cred_imds_disabled()) {
        buf_puts(trail, ", instance metadata (disabled)");
        return 0;
    }
    err ie = {0};
    if (cred_imds_get(x, out, &ie) != 0) {
        buf_printf(trail, ", instance metadata (%s)", ie.msg);
        return 0;
    }
    set_source(out, "%s", "instance metadata");
    return 1;
}

/* One walk of the chain; the sources read x->clock (the caller's clock, or
 * the time a background refresh started). */
static int resolve(const cred_ctx *x, aws_credentials *out, err *e) {
    buf trail = BUF_INIT;
    int rc = 0;
    if (x->explicit_profile) {
        buf_puts(&trail, "environment (skipped: a profile was named)");
    } else {
        rc = from_env(out, e);
        buf_puts(&trail, "environment");
    }
    if (rc == 0) rc = cred_profile_resolve(x, out, e, &trail);
    if (rc == 0) rc = from_container(x, out, e, &trail);
    if (rc == 0) rc = from_imds(x, out, &trail);
    if (rc == 0) err_set(e, 0, "", "no credentials: tried %s", trail.data);
    int64_t now = clock_now_ms(&x->clock);
    if (rc > 0 && out->expires_ms && out->expires_ms <= now)
        rc = err_set(e, 0, "", "the credentials from %s had already expired", out->source);
    buf_free(&trail);
    return rc > 0 ? 0 : -1;
}

static cred_ctx context(cred_chain *c, clock_src clock) {
    return (cred_ctx){.clock = clock,
                      .profile = cred_profile_name(c->profile),
                      .explicit_profile = c->profile != NULL,
                      .process_timeout_ms = c->process_timeout_ms,
                      .cancel = &c->cancel};
}

cred_chain *cred_chain_new(const cred_opts *o) {
    cred_chain *c = xcalloc(1, sizeof *c);
    c->profile = o && o->profile && *o->profile ? xstrdup(o->profile) : NULL;
    c->clock = o && o->clock.now_ms ? o->clock : clock_system();
    c->process_timeout_ms =
        o && o->process_timeout_ms > 0 ? o->process_timeout_ms : CRED_PROCESS_TIMEOUT_MS;
    atomic_init(&c->cancel, false);
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->idle, NULL);
    return c;
}

/* Under mu: join a background refresh that has ended. */
static void reap(cred_chain *c) {
    if (c->thread_live && !c->refreshing) {
        pthread_join(c->th, NULL);
        c->thread_live = false;
    }
}

void cred_chain_free(cred_chain *c) {
    if (!c) return;
    atomic_store(&c->cancel, true);
    pthread_mutex_lock(&c->mu);
    while (c->refreshing)
        pthread_cond_wait(&c->idle, &c->mu);
    reap(c);
    pthread_mutex_unlock(&c->mu);
    explicit_bzero(&c->cached, sizeof c->cached);
    pthread_cond_destroy(&c->idle);
    pthread_mutex_destroy(&c->mu);
    free(c->profile);
    free(c);
}

void cred_chain_settle(cred_chain *c) {
    pthread_mutex_lock(&c->mu);
    while (c->refreshing)
        pthread_cond_wait(&c->idle, &c->mu);
    reap(c);
    pthread_mutex_unlock(&c->mu);
}

/* Under mu: the outcome of a refresh that started at now. */
static void settle(cred_chain *c, int rc, aws_credentials *got, int64_t now) {
    if (rc == 0) {
        c->cached = *got;
        c->have = true;
    }
    c->next_try_ms = now + CRED_RETRY_MS;
    c->refreshing = false;
    pthread_cond_broadcast(&c->idle);
    explicit_bzero(got, sizeof *got);
}

static void *background(void *arg) {
    cred_chain *c = arg;
    cred_ctx x = context(c, clock_fake(&c->started));
    aws_credentials got = {0};
    err e = {0}; /* a failed early refresh only means: try again later */
    int rc = resolve(&x, &got, &e);
    pthread_mutex_lock(&c->mu);
    settle(c, atomic_load(&c->cancel) ? -1 : rc, &got, c->started.ms);
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

/* Under mu: start a background refresh, unless one cannot be started. */
static void start_background(cred_chain *c, int64_t now) {
    reap(c);
    c->started.ms = now;
    c->refreshing = true;
    if (pthread_create(&c->th, NULL, background, c) == 0) {
        c->thread_live = true;
        return;
    }
    c->refreshing = false;
    c->next_try_ms = now + CRED_RETRY_MS;
}

/* Under mu: refresh on the caller's thread (mu released meanwhile). */
static int refresh_here(cred_chain *c, int64_t now, err *e) {
    c->refreshing = true;
    pthread_mutex_unlock(&c->mu);
    cred_ctx x = context(c, c->clock);
    aws_credentials got = {0};
    int rc = resolve(&x, &got, e);
    pthread_mutex_lock(&c->mu);
    settle(c, rc, &got, now);
    return rc;
}

int cred_chain_get(cred_chain *c, aws_credentials *out, err *e) {
    pthread_mutex_lock(&c->mu);
    reap(c);
    int rc = -1;
    for (bool tried = false;;) {
        int64_t now = clock_now_ms(&c->clock), left = c->cached.expires_ms - now;
        bool dated = c->have && c->cached.expires_ms != 0;
        bool valid = c->have && (!dated || left > 0), may_try = now >= c->next_try_ms;
        if (valid && (!dated || left > CRED_MANDATORY_MS || !may_try || tried)) {
            if (dated && left <= CRED_ADVISORY_MS && may_try && !c->refreshing)
                start_background(c, now);
            rc = 0;
            break;
        }
        if (tried) break; /* expired or none, and the refresh failed: e says why */
        if (c->refreshing) {
            pthread_cond_wait(&c->idle, &c->mu);
            continue;
        }
        rc = refresh_here(c, now, e);
        tried = true;
    }
    if (rc == 0) *out = c->cached;
    pthread_mutex_unlock(&c->mu);
    return rc;
}
