#ifndef EMULATOR_LAMBDA_FN_H
#define EMULATOR_LAMBDA_FN_H
/* Private to the Lambda handler modules (functions, versions, aliases,
 * permissions, invoke): naming and resolving functions in the STATE LAYOUT
 * of emu.h, ARNs, revision ids, list paging, and Lambda's error shapes. */
#include <stdbool.h>

#include "emu.h"

/* The only execution role the emulated account holds. */
#define LAMBDA_ROLE_NAME "lambda_basic_execution"

/* --- errors ------------------------------------------------------------- */
/* Modelled Lambda errors go through emu_fail_lambda, which gives them
 * "Type" and the message member Lambda's model spells for the type. These
 * are shorthands for the frequent ones (macros, so that the format is
 * checked at each call). Each returns -1. */
#define lambda_fail_param(c, ...)                                                                  \
    emu_fail_lambda((c), 400, "InvalidParameterValueException", __VA_ARGS__)
#define lambda_fail_not_found(c, ...)                                                              \
    emu_fail_lambda((c), 404, "ResourceNotFoundException", __VA_ARGS__)
#define lambda_fail_conflict(c, ...)                                                               \
    emu_fail_lambda((c), 409, "ResourceConflictException", __VA_ARGS__)
/* PreconditionFailedException for a RevisionId that is not the current one. */
int lambda_fail_revision(emu_call *c);
/* Fails with lambda_fail_revision when rev (a RevisionId the request
 * gave; NULL when none) is not holder's; 0 otherwise. */
int lambda_check_revision(emu_call *c, const char *rev, const cJSON *holder);

/* Request validation as Lambda's front end reports it: a 400
 * ValidationException whose body is {"message": "N validation error(s)
 * detected: A; B"} (it is not one of Lambda's modelled errors, so it has
 * no "Type"). Collect the violations, then fail once. */
typedef struct lambda_check {
    int count;
    char msg[1024];
} lambda_check;
void lambda_check_add(lambda_check *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "Value null at 'member' failed to satisfy constraint: Member must not be null". */
void lambda_check_required(lambda_check *k, const cJSON *body, const char *key, const char *member);
/* Returns 0 when nothing was collected, else fails the call (-1). */
int lambda_check_done(emu_call *c, lambda_check *k);
/* Description: at most 256 characters (desc may be NULL). */
void lambda_check_description(lambda_check *k, const char *desc);

/* --- names and ARNs ------------------------------------------------------ */
/* A FunctionName path label taken apart: a plain name, name:qualifier, a
 * partial ARN (ACCOUNT:function:NAME[:Q]) or a full ARN. */
typedef struct lambda_ref {
    char name[160];
    char qualifier[160]; /* "" when none */
    char account[16];    /* from the ARN, else the caller's account */
    bool has_region;     /* the label carried a region */
} lambda_ref;

/* Which shape the label has in the operation's model. */
typedef enum lambda_name_kind {
    LAMBDA_NAME_PLAIN,      /* FunctionName: [a-zA-Z0-9-_], up to 140 */
    LAMBDA_NAME_NAMESPACED, /* NamespacedFunctionName: also '.', up to 256 */
} lambda_name_kind;

/* Parse a label and merge it with the optional ?Qualifier= (query may be
 * NULL): checks the pattern, the region and that both qualifiers agree;
 * fails the call as AWS does. */
int lambda_parse_name(emu_call *c, const char *label, lambda_name_kind kind, const char *query,
                      lambda_ref *out);
/* Same with the label c->param[0] and the request's Qualifier query. */
int lambda_parse_call(emu_call *c, lambda_name_kind kind, lambda_ref *out);

/* "arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]" (malloc'd);
 * qualifier NULL or "" gives the unqualified ARN. */
char *lambda_arn(const emu_call *c, const char *account, const char *name, const char *qualifier);
/* The same for a parsed reference, with or without its qualifier. */
char *lambda_ref_arn(const emu_call *c, const lambda_ref *r, bool qualified);

bool lambda_is_version(const char *q);    /* all digits */
bool lambda_is_alias_name(const char *q); /* [a-zA-Z0-9-_]+, not all digits */

/* --- the state ----------------------------------------------------------- */
/* functions[name] of this region, or NULL. Also NULL when the reference
 * names another account (the emulator holds one account). */
cJSON *lambda_function(emu_call *c, const lambda_ref *r);

/* What a reference resolves to. */
typedef struct lambda_target {
    cJSON *fn;             /* functions[name] */
    cJSON *config;         /* the FunctionConfiguration reached (stored object) */
    cJSON *version;        /* versions[N] for a published version, else NULL */
    cJSON *alias;          /* the AliasConfiguration when reached through one */
    const char *zip;       /* base64 code zip of the version reached */
    const char *qualifier; /* NULL (unqualified), "$LATEST", "N" or alias */
} lambda_target;

/* Resolve r: the function, then its qualifier ($LATEST, a version or an
 * alias, which leads to its FunctionVersion). Not found →
 * ResourceNotFoundException "Function not found: <arn>" with the qualifier
 * in the ARN when one was given; an unknown alias says "Cannot find alias
 * arn: <arn>" instead when alias_msg is set. */
int lambda_resolve(emu_call *c, const lambda_ref *r, bool alias_msg, lambda_target *t);

/* ResourceNotFoundException "<prefix><ARN of r>", with or without r's
 * qualifier in the ARN. Returns -1. */
int lambda_fail_not_found_arn(emu_call *c, const lambda_ref *r, const char *prefix, bool qualified);
/* The function c->param[0] names (parsed into r), or NULL after failing
 * the call: a bad name, or "Function not found: <unqualified ARN>". */
cJSON *lambda_named_function(emu_call *c, lambda_name_kind kind, lambda_ref *r);

/* The stored FunctionConfiguration of a version: $LATEST or "N"; NULL. */
cJSON *lambda_version_config(cJSON *fn, const char *version);

/* Record that the code or configuration of $LATEST changed (so that the
 * next PublishVersion makes a new version). */
void lambda_touch(cJSON *fn);
/* Publish $LATEST of fn as version N = _nextVersion: an immutable copy of
 * its configuration (Description replaced when description is not NULL)
 * and of its "_zip". When nothing changed since the last version was
 * published, that version is returned instead, as Lambda does. $LATEST
 * gets a new RevisionId when a version is made. Returns versions[N]. */
cJSON *lambda_publish(emu_call *c, cJSON *fn, const char *description);

/* Where the emulator serves function code: PREFIX REGION/NAME/VERSION.zip.
 * Not an AWS path; it stands in for the presigned S3 URL of GetFunction. */
#define LAMBDA_CODE_PREFIX "/_apigw-console/lambda-code/"

/* GetFunction's Code.Location: the emulator's URL of the version's zip. */
char *lambda_code_location(const emu_call *c, const char *name, const char *version);
/* Answer a GET of that URL with the zip (or Lambda's not-found error). */
int lambda_serve_code(emu_call *c, const char *name, const char *version);

/* A fresh RevisionId (a v4 UUID from the emulator's randomness). */
void lambda_uuid(emu_call *c, char out[37]);
/* Give the object a new RevisionId. */
void lambda_new_revision(emu_call *c, cJSON *obj);

/* The wire view of a stored object: a deep copy without '_' members, with
 * FunctionArn replaced by arn when arn is not NULL. */
cJSON *lambda_out(const cJSON *stored, const char *arn);
/* The shorter FunctionConfiguration lists carry (no State, StateReason*,
 * LastUpdateStatus*, RuntimeVersionConfig). Takes ownership, returns it. */
cJSON *lambda_list_view(cJSON *config);

/* --- lists --------------------------------------------------------------- */
/* Reply {list_key: page, "NextMarker"?} from items (owned), paged by the
 * query's Marker and MaxItems (1..10000, default 50, at most cap per
 * page). The marker is the key member (an ARN) of the first item of the
 * next page; an unknown marker yields an empty last page. */
int lambda_reply_page(emu_call *c, cJSON *items, const char *list_key, const char *key, int cap);

#endif
