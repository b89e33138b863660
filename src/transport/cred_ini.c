/* The shared config and credentials files, parsed as botocore does: full-line
 * comments only ('#' or ';'), keys case-insensitive, indented lines under an
 * empty value are nested settings ("s3 =\n  region = x" is kept as the key
 * "s3.region", so it never passes for the profile's own region). */
#include <ctype.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/mem.h"
#include "cred_internal.h"

static char *trim(char *s) {
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

static cred_section *add_section(cred_ini *ini, cred_sec_kind kind, const char *name) {
    for (size_t i = 0; i < ini->n; i++)
        if (ini->sec[i].kind == kind && strcmp(ini->sec[i].name, name) == 0)
            return &ini->sec[i]; /* merged */
    if (ini->n == ini->cap) {
        ini->cap = ini->cap ? ini->cap * 2 : 8;
        ini->sec = xrealloc(ini->sec, ini->cap * sizeof *ini->sec);
    }
    cred_section *s = &ini->sec[ini->n++];
    *s = (cred_section){.kind = kind, .name = xstrdup(name)};
    return s;
}

static void set_kv(cred_section *s, const char *key, const char *value) {
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->kv[i].key, key) == 0) {
            free(s->kv[i].value);
            s->kv[i].value = xstrdup(value);
            return;
        }
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 8;
        s->kv = xrealloc(s->kv, s->cap * sizeof *s->kv);
    }
    char *k = xstrdup(key);
    for (char *p = k; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    s->kv[s->n++] = (cred_kv){k, xstrdup(value)};
}

/* What a section header names: a profile, an sso-session or a services
 * section (config file only); NULL for anything else ("[name]" without
 * "profile " in the config file). */
static char *section_name(char *hdr, bool is_config, cred_sec_kind *kind) {
    static const struct {
        const char *prefix;
        cred_sec_kind kind;
    } kinds[] = {{"profile", CRED_SEC_PROFILE},
                 {"sso-session", CRED_SEC_SSO_SESSION},
                 {"services", CRED_SEC_SERVICES}};
    hdr = trim(hdr);
    *kind = CRED_SEC_PROFILE;
    if (!is_config || strcmp(hdr, "default") == 0) return hdr;
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        size_t n = strlen(kinds[i].prefix);
        if (strncmp(hdr, kinds[i].prefix, n) == 0 && (hdr[n] == ' ' || hdr[n] == '\t')) {
            *kind = kinds[i].kind;
            return trim(hdr + n + 1);
        }
    }
    return NULL;
}

typedef struct parse_state {
    cred_section *cur;
    char parent[128]; /* the key whose nested settings follow, or "" */
} parse_state;

static void header_line(cred_ini *ini, char *t, bool is_config, parse_state *st) {
    char *end = strrchr(t, ']');
    st->parent[0] = '\0';
    st->cur = NULL;
    if (!end) return;
    *end = '\0';
    cred_sec_kind kind;
    char *name = section_name(t + 1, is_config, &kind);
    if (name && *name) st->cur = add_section(ini, kind, name);
}

static void parse_line(cred_ini *ini, char *line, bool is_config, parse_state *st) {
    bool indented = line[0] == ' ' || line[0] == '\t';
    char *t = trim(line);
    if (*t == '\0' || *t == '#' || *t == ';') return;
    if (*t == '[') {
        header_line(ini, t, is_config, st);
        return;
    }
    char *eq = strpbrk(t, "=:");
    if (!eq || !st->cur) return;
    *eq = '\0';
    char *key = trim(t), *value = trim(eq + 1);
    if (!*key) return;
    if (indented && st->parent[0]) { /* "s3 =\n  region = x": kept as "s3.region" */
        char *k = xasprintf("%s.%s", st->parent, key);
        set_kv(st->cur, k, value);
        free(k);
        return;
    }
    st->parent[0] = '\0';
    if (*value == '\0' && strlen(key) < sizeof st->parent)
        snprintf(st->parent, sizeof st->parent, "%s", key);
    set_kv(st->cur, key, value);
}

void cred_ini_parse(cred_ini *ini, const char *text, bool is_config) {
    char *copy = xstrdup(text), *save = NULL;
    parse_state st = {0};
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        parse_line(ini, line, is_config, &st);
    free(copy);
}

void cred_ini_load(cred_ini *ini, const char *path, bool is_config) {
    ini->path = xstrdup(path);
    char *full = cred_expand_home(path);
    FILE *f = full ? fopen(full, "r") : NULL;
    free(full);
    if (!f) return;
    buf b = BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len < (1u << 22))
        buf_add(&b, chunk, n);
    fclose(f);
    ini->exists = true;
    cred_ini_parse(ini, b.data ? b.data : "", is_config);
    buf_free(&b);
}

void cred_ini_free(cred_ini *ini) {
    for (size_t i = 0; i < ini->n; i++) {
        for (size_t j = 0; j < ini->sec[i].n; j++) {
            free(ini->sec[i].kv[j].key);
            free(ini->sec[i].kv[j].value);
        }
        free(ini->sec[i].kv);
        free(ini->sec[i].name);
    }
    free(ini->sec);
    free(ini->path);
    *ini = (cred_ini){0};
}

const cred_section *cred_ini_find(const cred_ini *ini, cred_sec_kind kind, const char *name) {
    for (size_t i = 0; i < ini->n; i++)
        if (ini->sec[i].kind == kind && strcmp(ini->sec[i].name, name) == 0) return &ini->sec[i];
    return NULL;
}

const cred_section *cred_ini_section(const cred_ini *ini, const char *name) {
    return cred_ini_find(ini, CRED_SEC_PROFILE, name);
}

const char *cred_ini_get(const cred_section *s, const char *key) {
    if (!s) return NULL;
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->kv[i].key, key) == 0) return s->kv[i].value;
    return NULL;
}

static const char *home_dir(void) {
    const char *h = getenv("HOME");
    if (h && *h) return h;
    struct passwd *pw = getpwuid(getuid());
    return pw ? pw->pw_dir : NULL;
}

char *cred_expand_home(const char *path) {
    if (strncmp(path, "~/", 2) != 0) return xstrdup(path);
    const char *h = home_dir();
    return h ? xasprintf("%s/%s", h, path + 2) : NULL;
}

static char *env_path(const char *var, const char *dflt) {
    const char *v = getenv(var);
    return xstrdup(v && *v ? v : dflt);
}

char *cred_credentials_path(void) {
    return env_path("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials");
}
char *cred_config_path(void) { return env_path("AWS_CONFIG_FILE", "~/.aws/config"); }

const char *cred_env(const char *name) {
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

const char *cred_profile_name(const char *explicit_name) {
    if (explicit_name && *explicit_name) return explicit_name;
    const char *v = cred_env("AWS_PROFILE");
    return v ? v : "default";
}
