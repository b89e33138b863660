/* Stage caches. A stage with cacheClusterEnabled caches the responses of
 * the methods whose caching is enabled: the method's own setting, or the
 * stage-wide one ("*" "/" "*"), which covers GET methods only, as API
 * Gateway enables caching for GET by default. Entries live for the TTL
 * (caching/ttlInSeconds, default 300; 0 disables) and are keyed by the verb,
 * the request path and the values of the integration's cacheKeyParameters.
 *
 * A FlushStageCache (the stage's _cacheGeneration) or a change of the cache
 * size empties a stage's cache. Memory is bounded by the cache size, capped
 * at 16 MiB per stage in the emulator; responses over 1 MiB are not cached
 * (API Gateway's limit); the least recently used entries go first. The
 * encryption flag changes nothing in memory.
 *
 * Cache-Control: max-age=0 asks for a fresh response. With
 * requireAuthorizationForCacheControl (the default) only an authorized
 * caller may: API Gateway wants IAM permission execute-api:InvalidateCache.
 * The emulator evaluates no IAM policies, so it takes a request as
 * authorized when the method uses AWS_IAM authorization and the request is
 * SigV4-signed (an Authorization header with AWS4-HMAC-SHA256); requests to
 * methods without IAM authorization are never authorized. Unauthorized
 * requests follow unauthorizedCacheControlHeaderStrategy: FAIL_WITH_403
 * answers 403, SUCCEED_WITH_RESPONSE_HEADER ignores the header and says so
 * in a Warning header, SUCCEED_WITHOUT_RESPONSE_HEADER ignores it quietly.
 * The 403 body, its error type and the Warning text are our best guesses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/mem.h"
#include "gateway_internal.h"

#define CACHE_STAGE_MAX (16u << 20)
#define CACHE_ENTRY_MAX (1u << 20)

typedef struct gw_cached {
    char *key;
    int64_t expires_ms;
    int status;
    http_headers headers;
    char *body;
    size_t len, bytes;
    struct gw_cached *prev, *next; /* most recently used first */
} gw_cached;

typedef struct gw_stage_cache {
    double generation;
    char size[16];
    gw_map entries;
    gw_cached *head, *tail;
    size_t bytes, capacity;
} gw_stage_cache;

static void cached_free(gw_cached *e) {
    http_headers_free(&e->headers);
    free(e->body);
    free(e->key);
    free(e);
}

static void unlink_entry(gw_stage_cache *sc, gw_cached *e) {
    if (e->prev)
        e->prev->next = e->next;
    else
        sc->head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        sc->tail = e->prev;
    e->prev = e->next = NULL;
}

static void push_front(gw_stage_cache *sc, gw_cached *e) {
    e->next = sc->head;
    e->prev = NULL;
    if (sc->head) sc->head->prev = e;
    sc->head = e;
    if (!sc->tail) sc->tail = e;
}

static void drop_entry(gw_stage_cache *sc, gw_cached *e) {
    unlink_entry(sc, e);
    gw_map_del(&sc->entries, e->key);
    sc->bytes -= e->bytes;
    cached_free(e);
}

static void stage_cache_empty(gw_stage_cache *sc) {
    while (sc->head)
        drop_entry(sc, sc->head);
}

static void stage_cache_free(void *p) {
    gw_stage_cache *sc = p;
    stage_cache_empty(sc);
    gw_map_clear(&sc->entries, NULL);
    free(sc);
}

void gw_cache_free(gw_cache *cc) { gw_map_clear(&cc->stages, stage_cache_free); }

static size_t capacity_of(const char *size_gb) {
    double gb = size_gb ? strtod(size_gb, NULL) : 0.5;
    double bytes = gb * (double)(1u << 30);
    return bytes > CACHE_STAGE_MAX || bytes <= 0 ? CACHE_STAGE_MAX : (size_t)bytes;
}

static void stage_key(const gw_ctx *g, char *out, size_t n) {
    snprintf(out, n, "%s\n%s\n%s", g->c->region, g->api_id, g->stage_name);
}

/* The stage's cache, emptied when flushed or resized since last seen. */
static gw_stage_cache *stage_cache(gw_ctx *g) {
    gw_cache *cc = &gw_state(g->c->emu)->cache;
    char key[400];
    stage_key(g, key, sizeof key);
    gw_stage_cache *sc = gw_map_get(&cc->stages, key);
    double gen = json_num_or(g->stage, "_cacheGeneration", 0);
    const char *size = json_str_or(g->stage, "cacheClusterSize", "0.5");
    if (!sc) {
        sc = xcalloc(1, sizeof *sc);
        gw_map_put(&cc->stages, key, sc);
    } else if (sc->generation != gen || strcmp(sc->size, size) != 0) {
        stage_cache_empty(sc);
    }
    sc->generation = gen;
    snprintf(sc->size, sizeof sc->size, "%s", size);
    sc->capacity = capacity_of(size);
    return sc;
}

/* A stage whose cache cluster is off keeps nothing. */
static void drop_stage(gw_ctx *g) {
    char key[400];
    stage_key(g, key, sizeof key);
    gw_stage_cache *sc = gw_map_del(&gw_state(g->c->emu)->cache.stages, key);
    if (sc) stage_cache_free(sc);
}

static char *cache_key(gw_ctx *g) {
    buf k = BUF_INIT;
    buf_printf(&k, "%s %s", g->verb, g->path);
    const cJSON *p;
    cJSON_ArrayForEach(p, json_arr(g->integration, "cacheKeyParameters")) {
        if (!cJSON_IsString(p)) continue;
        char *v = gw_request_value(g, p->valuestring);
        buf_printf(&k, "\n%s=%s", p->valuestring, v ? v : "");
        free(v);
    }
    return buf_steal(&k);
}

static bool wants_fresh(const gw_ctx *g) {
    const cJSON *cc = cJSON_GetObjectItem(g->headers, "Cache-Control");
    const cJSON *v;
    cJSON_ArrayForEach(v, cc) {
        const char *s = cJSON_GetStringValue(v);
        const char *m = s ? strcasestr(s, "max-age") : NULL;
        if (!m) continue;
        m += 7;
        while (*m == ' ')
            m++;
        if (*m++ != '=') continue;
        while (*m == ' ')
            m++;
        if (*m == '0' && (m[1] == '\0' || m[1] == ',' || m[1] == ' ')) return true;
    }
    return false;
}

static bool authorized_to_invalidate(const gw_ctx *g, const cJSON *ms) {
    if (!json_bool_or(ms, "requireAuthorizationForCacheControl", true)) return true;
    const char *auth = cJSON_GetStringValue(
        cJSON_GetArrayItem(cJSON_GetObjectItem(g->headers, "Authorization"), 0));
    return !strcmp(json_str_or(g->method, "authorizationType", "NONE"), "AWS_IAM") && auth &&
           strstr(auth, "AWS4-HMAC-SHA256") != NULL;
}

static bool caching_enabled(const gw_ctx *g, const cJSON **ms) {
    bool own = false;
    *ms = gw_method_setting(g, &own);
    if (!*ms) return false;
    if (!own && strcmp(json_str_or(g->method, "httpMethod", g->verb), "GET") != 0) return false;
    return json_bool_or(*ms, "cachingEnabled", false);
}

int gw_cache_lookup(gw_ctx *g) {
    if (g->test_invoke || !g->stage) return GW_CACHE_MISS;
    if (!json_bool_or(g->stage, "cacheClusterEnabled", false)) {
        drop_stage(g);
        return GW_CACHE_MISS;
    }
    const cJSON *ms;
    if (!caching_enabled(g, &ms)) return GW_CACHE_MISS;
    long ttl = (long)json_num_or(ms, "cacheTtlInSeconds", 300);
    if (ttl <= 0) return GW_CACHE_MISS;
    gw_stage_cache *sc = stage_cache(g);
    g->trace->cache_used = true;
    g->cache_key = cache_key(g);
    g->cache_ttl_s = ttl;
    if (wants_fresh(g)) {
        if (authorized_to_invalidate(g, ms)) {
            gw_log(g, "Cache-Control: max-age=0 from an authorized caller: invalidating the "
                      "cache entry");
            return GW_CACHE_MISS;
        }
        const char *strategy = json_str_or(ms, "unauthorizedCacheControlHeaderStrategy",
                                           "SUCCEED_WITH_RESPONSE_HEADER");
        if (!strcmp(strategy, "FAIL_WITH_403")) {
            free(g->cache_key);
            g->cache_key = NULL;
            gw_fail(g, 403, "AccessDeniedException", "Unauthorized",
                    "Cache-Control: max-age=0 from a caller not authorized to invalidate the "
                    "cache (FAIL_WITH_403)");
            return GW_CACHE_FAIL;
        }
        g->cache_warning = !strcmp(strategy, "SUCCEED_WITH_RESPONSE_HEADER");
        gw_log(g, "Cache-Control: max-age=0 ignored: the caller is not authorized to invalidate "
                  "the cache");
    }
    gw_cached *e = gw_map_get(&sc->entries, g->cache_key);
    if (e && e->expires_ms <= g->now_ms) {
        drop_entry(sc, e);
        e = NULL;
    }
    if (!e) return GW_CACHE_MISS;
    unlink_entry(sc, e);
    push_front(sc, e);
    http_response *r = g->resp;
    r->status = e->status;
    for (size_t i = 0; i < e->headers.n; i++)
        http_headers_add(&r->headers, e->headers.v[i].name, e->headers.v[i].value);
    http_response_set_body(r, e->body, e->len);
    g->trace->cache_hit = true;
    gw_log(g, "Sending response from the stage cache");
    return GW_CACHE_HIT;
}

void gw_cache_store(gw_ctx *g) {
    if (!g->cache_key || g->failed || g->resp->body_len > CACHE_ENTRY_MAX) return;
    gw_stage_cache *sc = stage_cache(g);
    gw_cached *old = gw_map_get(&sc->entries, g->cache_key);
    if (old) drop_entry(sc, old);
    gw_cached *e = xcalloc(1, sizeof *e);
    e->key = xstrdup(g->cache_key);
    e->expires_ms = g->now_ms + g->cache_ttl_s * 1000;
    e->status = g->resp->status;
    e->len = g->resp->body_len;
    e->body = xmalloc(e->len + 1);
    if (e->len) memcpy(e->body, g->resp->body, e->len);
    e->body[e->len] = '\0';
    e->bytes = e->len + strlen(e->key) + sizeof *e;
    for (size_t i = 0; i < g->resp->headers.n; i++) {
        const http_header *h = &g->resp->headers.v[i];
        http_headers_add(&e->headers, h->name, h->value);
        e->bytes += strlen(h->name) + strlen(h->value);
    }
    gw_map_put(&sc->entries, e->key, e);
    push_front(sc, e);
    sc->bytes += e->bytes;
    while (sc->bytes > sc->capacity && sc->tail && sc->tail != e)
        drop_entry(sc, sc->tail);
    if (sc->bytes > sc->capacity) drop_entry(sc, e);
}
