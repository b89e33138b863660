/* The mirror: refreshes run as batches of list requests sent at once; a
 * batch replaces the mirror's contents only when every request of it
 * succeeded, so a failure leaves what was shown before. */
#include "client/mirror.h"

#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/mem.h"

enum { PARTS_MAX = 4 };
typedef enum batch_kind { B_ACCOUNT, B_API, B_FUNCTION } batch_kind;

typedef struct api_entry {
    struct api_entry *next;
    char *id;
    cJSON *resources, *stages, *models, *deployments;
} api_entry;

typedef struct fn_entry {
    struct fn_entry *next;
    char *name;
    cJSON *versions, *aliases, *policy;
} fn_entry;

typedef struct batch batch;
typedef struct slot {
    batch *b;
    int i;
} slot;

struct batch {
    batch *next;
    mirror *m; /* NULL once the mirror is gone: the batch only cleans up */
    batch_kind kind;
    char *target;
    int waiting;
    cJSON *part[PARTS_MAX];
    slot slots[PARTS_MAX];
    bool failed;
    err e;
    mirror_done_fn done;
    void *ud;
};

struct mirror {
    client *cl;
    cJSON *apis, *plans, *keys, *functions;
    api_entry *api_list;
    fn_entry *fn_list;
    batch *batches;
    bool has_error;
    err error;
    unsigned long gen;
};

mirror *mirror_new(client *cl) {
    mirror *m = xcalloc(1, sizeof *m);
    m->cl = cl;
    m->apis = cJSON_CreateArray();
    m->plans = cJSON_CreateArray();
    m->keys = cJSON_CreateArray();
    m->functions = cJSON_CreateArray();
    return m;
}

static void api_entry_free(api_entry *a) {
    free(a->id);
    cJSON_Delete(a->resources);
    cJSON_Delete(a->stages);
    cJSON_Delete(a->models);
    cJSON_Delete(a->deployments);
    free(a);
}

static void fn_entry_free(fn_entry *f) {
    free(f->name);
    cJSON_Delete(f->versions);
    cJSON_Delete(f->aliases);
    cJSON_Delete(f->policy);
    free(f);
}

static void batch_free(batch *b) {
    for (int i = 0; i < PARTS_MAX; i++) cJSON_Delete(b->part[i]);
    free(b->target);
    free(b);
}

void mirror_free(mirror *m) {
    if (!m) return;
    /* Requests still in flight complete later: their batches free
     * themselves then, without touching the mirror. */
    for (batch *b = m->batches; b; b = b->next) b->m = NULL;
    for (api_entry *a = m->api_list, *n; a; a = n) {
        n = a->next;
        api_entry_free(a);
    }
    for (fn_entry *f = m->fn_list, *n; f; f = n) {
        n = f->next;
        fn_entry_free(f);
    }
    cJSON_Delete(m->apis);
    cJSON_Delete(m->plans);
    cJSON_Delete(m->keys);
    cJSON_Delete(m->functions);
    free(m);
}

/* --- lookups ---------------------------------------------------------------- */

static api_entry *find_api(const mirror *m, const char *id) {
    for (api_entry *a = m->api_list; a; a = a->next)
        if (strcmp(a->id, id) == 0) return a;
    return NULL;
}

static fn_entry *find_fn(const mirror *m, const char *name) {
    for (fn_entry *f = m->fn_list; f; f = f->next)
        if (strcmp(f->name, name) == 0) return f;
    return NULL;
}

const cJSON *mirror_apis(const mirror *m) { return m->apis; }
const cJSON *mirror_usage_plans(const mirror *m) { return m->plans; }
const cJSON *mirror_api_keys(const mirror *m) { return m->keys; }
const cJSON *mirror_functions(const mirror *m) { return m->functions; }

#define API_GETTER(field)                                             \
    const cJSON *mirror_##field(const mirror *m, const char *api_id) { \
        const api_entry *a = api_id ? find_api(m, api_id) : NULL;     \
        return a ? a->field : NULL;                                   \
    }
API_GETTER(resources)
API_GETTER(stages)
API_GETTER(models)
API_GETTER(deployments)

#define FN_GETTER(field)                                          \
    const cJSON *mirror_##field(const mirror *m, const char *fn) { \
        const fn_entry *f = fn ? find_fn(m, fn) : NULL;           \
        return f ? f->field : NULL;                               \
    }
FN_GETTER(versions)
FN_GETTER(aliases)
FN_GETTER(policy)

bool mirror_busy(const mirror *m) { return m->batches != NULL; }
const err *mirror_error(const mirror *m) { return m->has_error ? &m->error : NULL; }
unsigned long mirror_generation(const mirror *m) { return m->gen; }

/* --- applying a finished batch ---------------------------------------------- */

static void replace(cJSON **dst, cJSON **src) {
    cJSON_Delete(*dst);
    *dst = *src ? *src : cJSON_CreateArray();
    *src = NULL;
}

static int by_path(const void *a, const void *b) {
    const char *pa = json_str_or(*(cJSON *const *)a, "path", "");
    const char *pb = json_str_or(*(cJSON *const *)b, "path", "");
    return strcmp(pa, pb);
}

static void sort_by_path(cJSON *arr) {
    int n = cJSON_GetArraySize(arr);
    if (n < 2) return;
    cJSON **v = xcalloc((size_t)n, sizeof *v);
    for (int i = 0; i < n; i++) v[i] = cJSON_DetachItemFromArray(arr, 0);
    qsort(v, (size_t)n, sizeof *v, by_path);
    for (int i = 0; i < n; i++) cJSON_AddItemToArray(arr, v[i]);
    free(v);
}

static bool listed(const cJSON *arr, const char *key, const char *value) {
    const cJSON *it;
    cJSON_ArrayForEach(it, arr) {
        const char *s = json_str(it, key);
        if (s && strcmp(s, value) == 0) return true;
    }
    return false;
}

/* Forget the details of APIs and functions the account no longer has. */
static void prune(mirror *m) {
    for (api_entry **pp = &m->api_list; *pp;) {
        api_entry *a = *pp;
        if (listed(m->apis, "id", a->id)) {
            pp = &a->next;
        } else {
            *pp = a->next;
            api_entry_free(a);
        }
    }
    for (fn_entry **pp = &m->fn_list; *pp;) {
        fn_entry *f = *pp;
        if (listed(m->functions, "FunctionName", f->name)) {
            pp = &f->next;
        } else {
            *pp = f->next;
            fn_entry_free(f);
        }
    }
}

static void apply_account(mirror *m, batch *b) {
    replace(&m->apis, &b->part[0]);
    replace(&m->plans, &b->part[1]);
    replace(&m->keys, &b->part[2]);
    replace(&m->functions, &b->part[3]);
    prune(m);
}

static void apply_api(mirror *m, batch *b) {
    api_entry *a = find_api(m, b->target);
    if (!a) {
        a = xcalloc(1, sizeof *a);
        a->id = xstrdup(b->target);
        a->next = m->api_list;
        m->api_list = a;
    }
    sort_by_path(b->part[0]);
    replace(&a->resources, &b->part[0]);
    replace(&a->stages, &b->part[1]);
    replace(&a->models, &b->part[2]);
    replace(&a->deployments, &b->part[3]);
}

static void apply_function(mirror *m, batch *b) {
    fn_entry *f = find_fn(m, b->target);
    if (!f) {
        f = xcalloc(1, sizeof *f);
        f->name = xstrdup(b->target);
        f->next = m->fn_list;
        m->fn_list = f;
    }
    replace(&f->versions, &b->part[0]);
    replace(&f->aliases, &b->part[1]);
    cJSON_Delete(f->policy);
    f->policy = b->part[2];
    b->part[2] = NULL;
}

static void unlink_batch(mirror *m, batch *b) {
    for (batch **pp = &m->batches; *pp; pp = &(*pp)->next)
        if (*pp == b) {
            *pp = b->next;
            return;
        }
}

static void finish(batch *b) {
    mirror *m = b->m;
    if (!m) {
        batch_free(b);
        return;
    }
    unlink_batch(m, b);
    if (b->failed) {
        m->error = b->e;
        m->has_error = true;
    } else {
        if (b->kind == B_ACCOUNT) apply_account(m, b);
        if (b->kind == B_API) apply_api(m, b);
        if (b->kind == B_FUNCTION) apply_function(m, b);
        m->has_error = false;
    }
    m->gen++;
    if (b->done) b->done(b->ud, b->failed ? &b->e : NULL);
    batch_free(b);
}

/* --- requests ------------------------------------------------------------- */

/* GetStages answers {"item": [...]} in one piece (it does not page). */
static cJSON *items_of(const cJSON *result) {
    if (cJSON_IsArray(result)) return cJSON_Duplicate(result, 1);
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(result, "item");
    return cJSON_IsArray(item) ? cJSON_Duplicate(item, 1) : cJSON_CreateArray();
}

/* GetPolicy: the policy is a JSON document inside a string. A function
 * without one answers 404 ResourceNotFoundException, which is no failure. */
static bool policy_of(const cJSON *result, const err *e, cJSON **out) {
    if (e) {
        if (e->status != 404 || strcmp(e->code, "ResourceNotFoundException") != 0) return false;
        *out = NULL;
    } else {
        const char *text = json_str(result, "Policy");
        *out = text ? cJSON_Parse(text) : NULL;
    }
    if (!cJSON_IsObject(*out)) {
        cJSON_Delete(*out);
        *out = cJSON_CreateObject();
        cJSON_AddItemToObject(*out, "Statement", cJSON_CreateArray());
    }
    return true;
}

static void on_part(void *ud, const cJSON *result, const err *e) {
    slot *s = ud;
    batch *b = s->b;
    bool is_policy = b->kind == B_FUNCTION && s->i == 2;
    if (is_policy && policy_of(result, e, &b->part[s->i])) {
        /* handled */
    } else if (e) {
        if (!b->failed) b->e = *e;
        b->failed = true;
    } else {
        b->part[s->i] = items_of(result);
    }
    if (--b->waiting == 0) finish(b);
}

static batch *batch_start(mirror *m, batch_kind kind, const char *target, int parts,
                          mirror_done_fn done, void *ud) {
    batch *b = xcalloc(1, sizeof *b);
    b->m = m;
    b->kind = kind;
    b->target = target ? xstrdup(target) : NULL;
    b->waiting = parts;
    b->done = done;
    b->ud = ud;
    for (int i = 0; i < PARTS_MAX; i++) b->slots[i] = (slot){.b = b, .i = i};
    b->next = m->batches;
    m->batches = b;
    return b;
}

void mirror_refresh(mirror *m, mirror_done_fn done, void *ud) {
    batch *b = batch_start(m, B_ACCOUNT, NULL, 4, done, ud);
    client_list_all(m->cl, APIGW_GetRestApis, NULL, 0, NULL, on_part, &b->slots[0]);
    client_list_all(m->cl, APIGW_GetUsagePlans, NULL, 0, NULL, on_part, &b->slots[1]);
    client_list_all(m->cl, APIGW_GetApiKeys, NULL, 0, "includeValues=true", on_part, &b->slots[2]);
    client_list_all(m->cl, LAMBDA_ListFunctions, NULL, 0, NULL, on_part, &b->slots[3]);
}

void mirror_refresh_api(mirror *m, const char *api_id, mirror_done_fn done, void *ud) {
    batch *b = batch_start(m, B_API, api_id, 4, done, ud);
    const char *p[] = {api_id};
    client_list_all(m->cl, APIGW_GetResources, p, 1, "embed=methods", on_part, &b->slots[0]);
    client_call(m->cl, APIGW_GetStages, p, 1, NULL, NULL, on_part, &b->slots[1]);
    client_list_all(m->cl, APIGW_GetModels, p, 1, NULL, on_part, &b->slots[2]);
    client_list_all(m->cl, APIGW_GetDeployments, p, 1, NULL, on_part, &b->slots[3]);
}

void mirror_refresh_function(mirror *m, const char *name, mirror_done_fn done, void *ud) {
    batch *b = batch_start(m, B_FUNCTION, name, 3, done, ud);
    const char *p[] = {name};
    client_list_all(m->cl, LAMBDA_ListVersionsByFunction, p, 1, NULL, on_part, &b->slots[0]);
    client_list_all(m->cl, LAMBDA_ListAliases, p, 1, NULL, on_part, &b->slots[1]);
    client_call(m->cl, LAMBDA_GetPolicy, p, 1, NULL, NULL, on_part, &b->slots[2]);
}
