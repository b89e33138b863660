/* A string-keyed hash map with separate chaining (FNV-1a), grown when the
 * load passes one item per slot. */
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "gateway_internal.h"

static size_t hash_of(const char *s) {
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return (size_t)h;
}

static void grow(gw_map *m) {
    size_t n = m->nslot ? m->nslot * 2 : 64;
    gw_map_item **slot = xcalloc(n, sizeof *slot);
    for (size_t i = 0; i < m->nslot; i++) {
        gw_map_item *it = m->slot[i];
        while (it) {
            gw_map_item *next = it->next;
            size_t k = hash_of(it->key) % n;
            it->next = slot[k];
            slot[k] = it;
            it = next;
        }
    }
    free(m->slot);
    m->slot = slot;
    m->nslot = n;
}

static gw_map_item **find(const gw_map *m, const char *key) {
    if (!m->nslot) return NULL;
    gw_map_item **p = &m->slot[hash_of(key) % m->nslot];
    while (*p && strcmp((*p)->key, key) != 0)
        p = &(*p)->next;
    return p;
}

void *gw_map_get(const gw_map *m, const char *key) {
    gw_map_item **p = find(m, key);
    return p && *p ? (*p)->val : NULL;
}

void *gw_map_put(gw_map *m, const char *key, void *val) {
    gw_map_item **p = find(m, key);
    if (p && *p) {
        void *old = (*p)->val;
        (*p)->val = val;
        return old;
    }
    if (m->count + 1 > m->nslot) grow(m);
    gw_map_item *it = xcalloc(1, sizeof *it);
    it->key = xstrdup(key);
    it->val = val;
    size_t k = hash_of(key) % m->nslot;
    it->next = m->slot[k];
    m->slot[k] = it;
    m->count++;
    return NULL;
}

void *gw_map_del(gw_map *m, const char *key) {
    gw_map_item **p = find(m, key);
    if (!p || !*p) return NULL;
    gw_map_item *it = *p;
    void *val = it->val;
    *p = it->next;
    free(it->key);
    free(it);
    m->count--;
    return val;
}

void gw_map_clear(gw_map *m, void (*free_val)(void *)) {
    for (size_t i = 0; i < m->nslot; i++) {
        gw_map_item *it = m->slot[i];
        while (it) {
            gw_map_item *next = it->next;
            if (free_val) free_val(it->val);
            free(it->key);
            free(it);
            it = next;
        }
    }
    free(m->slot);
    m->slot = NULL;
    m->nslot = m->count = 0;
}
