/* Region and endpoint resolution, with the SDKs' "service-specific
 * endpoints": AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, then in the
 * config file the profile's "services = NAME" section
 *
 *     [services local]
 *     api_gateway =
 *       endpoint_url = http://127.0.0.1:4566
 *
 * and the profile's own endpoint_url. AWS_IGNORE_CONFIGURED_ENDPOINT_URLS
 * (or ignore_configured_endpoint_urls in the profile) turns all of them off;
 * an explicit --endpoint-url always wins. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/mem.h"
#include "cred_internal.h"

/* ---- region ---- */

bool cred_region_valid(const char *r) {
    if (!*r || strlen(r) > 40) return false;
    for (; *r; r++)
        if (!islower((unsigned char)*r) && !isdigit((unsigned char)*r) && *r != '-') return false;
    return true;
}

static char *checked_region(const char *r, const char *from, err *e) {
    if (cred_region_valid(r)) return xstrdup(r);
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
    if (cred_env("AWS_REGION")) return checked_region(cred_env("AWS_REGION"), "AWS_REGION", e);
    if (cred_env("AWS_DEFAULT_REGION"))
        return checked_region(cred_env("AWS_DEFAULT_REGION"), "AWS_DEFAULT_REGION", e);
    char *cfg = NULL, *r = profile_region(profile, &cfg);
    char *out = r ? checked_region(r, "the config file", e) : NULL;
    free(r);
    if (!out && !r) {
        err ie = {0};
        bool off = cred_imds_disabled();
        out = off ? NULL : cred_imds_region(&ie);
        if (out && !cred_region_valid(out)) {
            free(out);
            out = NULL;
            err_set(&ie, 0, "", "not a region name");
        }
        if (!out)
            err_set(e, 0, "",
                    "no region: tried --region, AWS_REGION, AWS_DEFAULT_REGION, profile %s in %s, "
                    "instance metadata (%s)",
                    cred_profile_name(profile), cfg, off ? "disabled" : ie.msg);
    }
    free(cfg);
    return out;
}

/* ---- endpoints ---- */

/* The service's key in a services section: its service id in snake case
 * ("API Gateway" is api_gateway); the environment variable is the same
 * upper-cased after AWS_ENDPOINT_URL_. */
static char *service_key(const char *service) {
    if (strcmp(service, "apigateway") == 0) return xstrdup("api_gateway");
    char *k = xstrdup(service);
    for (char *p = k; *p; p++)
        *p = *p == ' ' || *p == '-' ? '_' : (char)tolower((unsigned char)*p);
    return k;
}

static char *strip_slash(const char *u) {
    size_t n = strlen(u);
    while (n > 0 && u[n - 1] == '/')
        n--;
    return xstrndup(u, n);
}

static bool is_true(const char *v) { return v && strcasecmp(v, "true") == 0; }

/* The environment's answer to "ignore configured endpoints?" wins over the
 * profile's, as for every setting that has both. */
static bool ignored(const cred_section *prof) {
    const char *v = cred_env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
    return v ? is_true(v) : is_true(cred_ini_get(prof, "ignore_configured_endpoint_urls"));
}

static const char *from_config(const cred_ini *cfg, const cred_section *prof, const char *key) {
    const char *services = cred_ini_get(prof, "services");
    if (services && *services) {
        char *nested = xasprintf("%s.endpoint_url", key);
        const char *v = cred_ini_get(cred_ini_find(cfg, CRED_SEC_SERVICES, services), nested);
        free(nested);
        if (v && *v) return v;
    }
    const char *v = cred_ini_get(prof, "endpoint_url");
    return v && *v ? v : NULL;
}

char *cred_configured_endpoint(const char *service, const char *profile) {
    cred_ini cfg = {0};
    char *path = cred_config_path();
    cred_ini_load(&cfg, path, true);
    free(path);
    const cred_section *prof = cred_ini_section(&cfg, cred_profile_name(profile));
    char *out = NULL;
    if (!ignored(prof)) {
        char *key = service_key(service), *var = xasprintf("AWS_ENDPOINT_URL_%s", key);
        for (char *p = var; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        const char *v = cred_env(var);
        if (!v) v = cred_env("AWS_ENDPOINT_URL");
        if (!v) v = from_config(&cfg, prof, key);
        if (v) out = strip_slash(v);
        free(var);
        free(key);
    }
    cred_ini_free(&cfg);
    return out;
}

char *aws_endpoint_resolve(const char *service, const char *region, const char *flag,
                           const char *profile, int *overridden) {
    if (overridden) *overridden = 1;
    if (flag && *flag) return strip_slash(flag);
    char *v = cred_configured_endpoint(service, profile);
    if (v) return v;
    if (overridden) *overridden = 0;
    if (!region || !*region) region = "us-east-1";
    const char *suffix = strncmp(region, "cn-", 3) == 0 ? "amazonaws.com.cn" : "amazonaws.com";
    return xasprintf("https://%s.%s.%s", service, region, suffix);
}
