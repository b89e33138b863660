#ifndef UI_RESOURCES_H
#define UI_RESOURCES_H
/* What the resources tree builds its requests from, kept apart from the
 * pane so it can be tested without a terminal. Resources are wire objects
 * of GetResources?embed=methods, as the mirror holds them. */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

/* The console's method types, in its order. */
#define RES_NVERBS 8
extern const char *const res_verbs[RES_NVERBS];

/* The resource with that id among all, or NULL. */
const cJSON *res_find(const cJSON *all, const char *id);
/* The method types the resource does not have yet, in the console's order;
 * returns how many were written to out (room for RES_NVERBS). */
size_t res_free_verbs(const cJSON *resource, const char **out);
/* The resources under the one with that id (children, theirs, ...). */
size_t res_descendants(const cJSON *all, const char *id);
/* The function an integration names: name, name:qualifier, or with a
 * stage variable name:${stageVariables.var}. qualifier/var NULL or "":
 * none. malloc'd. */
char *res_lambda_function(const char *name, const char *qualifier, const char *stage_var);
/* The resource id and verb (NULL for a resource) of a tree key
 * ("r:<id>", "m:<id>:<verb>"); false for anything else. *id and *verb are
 * malloc'd. */
bool res_parse_key(const char *key, char **id, char **verb);

#endif
