/* The data plane's trace as a response header (see emulator/gateway.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/mem.h"
#include "emulator/gateway.h"

#define LOG_MAX (32 * 1024)

char *gateway_trace_encode(const gateway_trace *t) {
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "resourcePath", t->resource_path);
    cJSON_AddStringToObject(j, "function", t->function);
    cJSON_AddStringToObject(j, "alias", t->alias);
    cJSON_AddStringToObject(j, "version", t->version);
    cJSON_AddStringToObject(j, "cache", !t->cache_used ? "off" : t->cache_hit ? "hit" : "miss");
    cJSON_AddNumberToObject(j, "throttleRemaining", (double)t->throttle_remaining);
    cJSON_AddNumberToObject(j, "quotaRemaining", (double)t->quota_remaining);
    cJSON_AddNumberToObject(j, "latencyMs", t->latency_ms);
    cJSON_AddNumberToObject(j, "integrationMs", t->integration_ms);
    if (t->log) {
        size_t n = strlen(t->log);
        char *cut = xstrndup(t->log, n > LOG_MAX ? LOG_MAX : n);
        cJSON_AddStringToObject(j, "log", cut);
        free(cut);
    }
    /* Unformatted JSON escapes every control character: one header line. */
    char *s = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    char *out = xstrdup(s);
    cJSON_free(s);
    return out;
}

static void copy(char *dst, size_t n, const cJSON *j, const char *key) {
    snprintf(dst, n, "%s", json_str_or(j, key, ""));
}

bool gateway_trace_decode(const char *value, gateway_trace *t) {
    err e;
    cJSON *j = value ? json_parse(value, strlen(value), &e) : NULL;
    if (!cJSON_IsObject(j) || !json_str(j, "cache")) {
        cJSON_Delete(j);
        return false;
    }
    copy(t->resource_path, sizeof t->resource_path, j, "resourcePath");
    copy(t->function, sizeof t->function, j, "function");
    copy(t->alias, sizeof t->alias, j, "alias");
    copy(t->version, sizeof t->version, j, "version");
    const char *cache = json_str(j, "cache");
    t->cache_used = strcmp(cache, "off") != 0;
    t->cache_hit = strcmp(cache, "hit") == 0;
    t->throttle_remaining = (long)json_num_or(j, "throttleRemaining", -1);
    t->quota_remaining = (long)json_num_or(j, "quotaRemaining", -1);
    t->latency_ms = json_num_or(j, "latencyMs", 0);
    t->integration_ms = json_num_or(j, "integrationMs", 0);
    const char *log = json_str(j, "log");
    free(t->log);
    t->log = log ? xstrdup(log) : NULL;
    cJSON_Delete(j);
    return true;
}
