#ifndef CLIENT_MIRROR_H
#define CLIENT_MIRROR_H
/* The mirror: the console's local copy of what the account holds, in AWS's
 * wire shapes. Panes draw from it; refreshes fill it with as few requests
 * as possible (limit=500, GetResources?embed=methods); responses of
 * actions update it. */
#include <cjson/cJSON.h>
#include <stdbool.h>

#include "client/client.h"
#include "core/err.h"

typedef struct mirror mirror;

/* Called when a refresh finished (e NULL) or failed (e set). */
typedef void (*mirror_done_fn)(void *ud, const err *e);

mirror *mirror_new(client *cl);
void mirror_free(mirror *m);

/* Reload the account's lists: rest APIs, usage plans, API keys, functions. */
void mirror_refresh(mirror *m, mirror_done_fn done, void *ud);
/* Reload one API's resources (with methods), stages, models, deployments. */
void mirror_refresh_api(mirror *m, const char *api_id, mirror_done_fn done, void *ud);
/* Reload one function's versions, aliases and policy. */
void mirror_refresh_function(mirror *m, const char *name, mirror_done_fn done, void *ud);
bool mirror_busy(const mirror *m);

/* Arrays of wire objects; never NULL (empty until loaded). */
const cJSON *mirror_apis(const mirror *m);
const cJSON *mirror_usage_plans(const mirror *m);
const cJSON *mirror_api_keys(const mirror *m);
const cJSON *mirror_functions(const mirror *m);
/* Per API; NULL until mirror_refresh_api loaded it. Resources are sorted by path. */
const cJSON *mirror_resources(const mirror *m, const char *api_id);
const cJSON *mirror_stages(const mirror *m, const char *api_id);
const cJSON *mirror_models(const mirror *m, const char *api_id);
const cJSON *mirror_deployments(const mirror *m, const char *api_id);
/* Per function; NULL until loaded. policy is the parsed Policy document. */
const cJSON *mirror_versions(const mirror *m, const char *fn);
const cJSON *mirror_aliases(const mirror *m, const char *fn);
const cJSON *mirror_policy(const mirror *m, const char *fn);

/* The last refresh's failure, or NULL. */
const err *mirror_error(const mirror *m);
/* Bumped on every change, so panes know when to redraw. */
unsigned long mirror_generation(const mirror *m);

#endif
