/* Lambda versions, aliases and resource-based policies: PublishVersion,
 * ListVersionsByFunction, CreateAlias, GetAlias, ListAliases, UpdateAlias,
 * DeleteAlias, AddPermission, GetPolicy and RemovePermission. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "lambda_fn.h"

static const char ALIAS_PATTERN[] = "(?!^[0-9]+$)([a-zA-Z0-9-_]+)";
static const char VERSION_PATTERN[] = "(\\$LATEST(\\.PUBLISHED)?|[0-9]+)";

/* --- versions ---------------------------------------------------------------- */

static int publish_version(emu_call *c) {
    const cJSON *b = c->body;
    const char *desc = json_str(b, "Description");
    lambda_check k = {0};
    lambda_check_description(&k, desc);
    if (lambda_check_done(c, &k) != 0) return -1;
    lambda_ref r;
    cJSON *fn = lambda_named_function(c, LAMBDA_NAME_PLAIN, &r);
    if (!fn) return -1;
    cJSON *latest = json_obj(fn, "latest");
    if (lambda_check_revision(c, json_str(b, "RevisionId"), latest) != 0) return -1;
    const char *sha = json_str(b, "CodeSha256");
    const char *cur = json_str_or(latest, "CodeSha256", "");
    if (sha && *sha && strcmp(sha, cur) != 0)
        return lambda_fail_param(c,
                                 "CodeSHA256 (%s) is different from current CodeSHA256 in $LATEST "
                                 "(%s). Please try again with the CodeSHA256 in $LATEST.",
                                 sha, cur);
    cJSON *v = lambda_publish(c, fn, desc);
    return emu_reply(c, 201, lambda_out(json_obj(v, "config"), NULL));
}

static int list_versions_by_function(emu_call *c) {
    lambda_ref r;
    cJSON *fn = lambda_named_function(c, LAMBDA_NAME_NAMESPACED, &r);
    if (!fn) return -1;
    cJSON *items = cJSON_CreateArray();
    char *arn = lambda_arn(c, c->account, r.name, "$LATEST");
    cJSON_AddItemToArray(items, lambda_list_view(lambda_out(json_obj(fn, "latest"), arn)));
    free(arn);
    const cJSON *v;
    cJSON_ArrayForEach(v, json_obj(fn, "versions")) {
        cJSON_AddItemToArray(items, lambda_list_view(lambda_out(json_obj(v, "config"), NULL)));
    }
    return lambda_reply_page(c, items, "Versions", "FunctionArn", 10000);
}

/* --- aliases ----------------------------------------------------------------- */

/* A double as Java prints it in Lambda's messages: 2.0, 0.5, -1.0. */
static void java_double(double v, char *out, size_t n) {
    if (v == floor(v) && fabs(v) < 1e7) {
        snprintf(out, n, "%.1f", v);
        return;
    }
    for (int p = 1; p <= 17; p++) {
        snprintf(out, n, "%.*g", p, v);
        if (strtod(out, NULL) == v) return;
    }
}

static void check_alias_name(lambda_check *k, const char *name) {
    if (!name) return;
    if (strlen(name) > 128)
        lambda_check_add(
            k,
            "Value '%s' at 'name' failed to satisfy constraint: Member must have length "
            "less than or equal to 128",
            name);
    else if (!lambda_is_alias_name(name))
        lambda_check_add(k,
                         "Value '%s' at 'name' failed to satisfy constraint: Member must satisfy "
                         "regular expression pattern: %s",
                         name, ALIAS_PATTERN);
}

static void check_version_value(lambda_check *k, const char *v, const char *member) {
    if (v && strcmp(v, "$LATEST") != 0 && !lambda_is_version(v))
        lambda_check_add(k,
                         "Value '%s' at '%s' failed to satisfy constraint: Member must satisfy "
                         "regular expression pattern: %s",
                         v, member, VERSION_PATTERN);
}

static int version_not_found(emu_call *c, const lambda_ref *r, const char *version) {
    char *arn = lambda_arn(c, r->account, r->name, version);
    lambda_fail_not_found(c, "Function not found: %s", arn);
    free(arn);
    return -1;
}

/* Check RoutingConfig against the alias's target version. *weights gets
 * the AdditionalVersionWeights to keep (NULL: none). */
static int check_routing(emu_call *c, const lambda_ref *r, cJSON *fn, const char *target,
                         const cJSON *routing, const cJSON **weights) {
    *weights = NULL;
    const cJSON *w = json_obj(routing, "AdditionalVersionWeights");
    int n = cJSON_GetArraySize(w);
    if (n == 0) return 0;
    if (n > 1)
        return lambda_fail_param(
            c, "Number of items in AdditionalVersionWeights cannot be greater than 1");
    const cJSON *e = w->child;
    char num[40];
    java_double(cJSON_IsNumber(e) ? e->valuedouble : NAN, num, sizeof num);
    lambda_check k = {0};
    if (!cJSON_IsNumber(e) || e->valuedouble < 0.0 || e->valuedouble > 1.0)
        lambda_check_add(&k,
                         "Value '{%s=%s}' at 'routingConfig.additionalVersionWeights' failed to "
                         "satisfy constraint: Map value must satisfy constraint: [Member must have "
                         "value less than or equal to 1.0, Member must have value greater than or "
                         "equal to 0.0, Member must not be null]",
                         e->string, num);
    if (lambda_check_done(c, &k) != 0) return -1;
    if (strcmp(e->string, target) == 0)
        return lambda_fail_param(c,
                                 "Invalid function version %s. Function version %s is already "
                                 "included in routing configuration.",
                                 target, target);
    if (strcmp(target, "$LATEST") == 0)
        return emu_fail_lambda_shaped(
            c, 400, "InvalidParameterValueException", false,
            "$LATEST is not supported for an alias pointing to more than 1 version");
    if (!lambda_is_version(e->string)) {
        lambda_check_add(&k,
                         "Value '{%s=%s}' at 'routingConfig.additionalVersionWeights' failed to "
                         "satisfy constraint: Map keys must satisfy constraint: [Member must have "
                         "length less than or equal to 1024, Member must have length greater than "
                         "or equal to 1, Member must satisfy regular expression pattern: [0-9]+, "
                         "Member must not be null]",
                         e->string, num);
        return lambda_check_done(c, &k);
    }
    if (!lambda_version_config(fn, e->string)) return version_not_found(c, r, e->string);
    *weights = w;
    return 0;
}

static int create_alias(emu_call *c) {
    const cJSON *b = c->body;
    const char *name = json_str(b, "Name"), *version = json_str(b, "FunctionVersion");
    const char *desc = json_str(b, "Description");
    lambda_check k = {0};
    lambda_check_required(&k, b, "Name", "name");
    lambda_check_required(&k, b, "FunctionVersion", "functionVersion");
    check_alias_name(&k, name);
    check_version_value(&k, version, "functionVersion");
    lambda_check_description(&k, desc);
    if (lambda_check_done(c, &k) != 0) return -1;
    lambda_ref r;
    if (lambda_parse_call(c, LAMBDA_NAME_PLAIN, &r) != 0) return -1;
    cJSON *fn = lambda_function(c, &r);
    if (!fn || !lambda_version_config(fn, version)) return version_not_found(c, &r, version);
    cJSON *aliases = json_child_obj(fn, "aliases");
    char *arn = lambda_arn(c, c->account, r.name, name);
    if (json_obj(aliases, name)) {
        lambda_fail_conflict(c, "Alias already exists: %s", arn);
        free(arn);
        return -1;
    }
    const cJSON *weights;
    if (check_routing(c, &r, fn, version, json_obj(b, "RoutingConfig"), &weights) != 0) {
        free(arn);
        return -1;
    }
    cJSON *alias = cJSON_CreateObject();
    cJSON_AddStringToObject(alias, "AliasArn", arn);
    free(arn);
    cJSON_AddStringToObject(alias, "Name", name);
    cJSON_AddStringToObject(alias, "FunctionVersion", version);
    cJSON_AddStringToObject(alias, "Description", desc ? desc : "");
    if (weights) {
        cJSON *rc = cJSON_AddObjectToObject(alias, "RoutingConfig");
        cJSON_AddItemToObject(rc, "AdditionalVersionWeights", cJSON_Duplicate(weights, 1));
    }
    lambda_new_revision(c, alias);
    json_set(aliases, name, alias);
    return emu_reply(c, 201, lambda_out(alias, NULL));
}

/* The function of a request whose path names an alias (c->param[1], into
 * *name): the alias name is checked first, as Lambda does. */
static cJSON *alias_function(emu_call *c, lambda_ref *r, const char **name) {
    *name = c->nparams > 1 ? c->param[1] : "";
    lambda_check k = {0};
    check_alias_name(&k, *name);
    if (lambda_check_done(c, &k) != 0) return NULL;
    return lambda_named_function(c, LAMBDA_NAME_PLAIN, r);
}

/* The alias the path names (c->param[1]) of the function it names. */
static cJSON *named_alias(emu_call *c, lambda_ref *r, cJSON **fn_out) {
    const char *name;
    cJSON *fn = alias_function(c, r, &name);
    if (!fn) return NULL;
    if (fn_out) *fn_out = fn;
    cJSON *alias = json_obj(json_obj(fn, "aliases"), name);
    if (!alias) {
        char *arn = lambda_arn(c, r->account, r->name, name);
        lambda_fail_not_found(c, "Cannot find alias arn: %s", arn);
        free(arn);
    }
    return alias;
}

static int get_alias(emu_call *c) {
    lambda_ref r;
    cJSON *alias = named_alias(c, &r, NULL);
    return alias ? emu_reply(c, 0, lambda_out(alias, NULL)) : -1;
}

static int list_aliases(emu_call *c) {
    char *version = emu_query(c, "FunctionVersion");
    lambda_check k = {0};
    check_version_value(&k, version, "functionVersion");
    if (lambda_check_done(c, &k) != 0) {
        free(version);
        return -1;
    }
    lambda_ref r;
    cJSON *fn = lambda_named_function(c, LAMBDA_NAME_PLAIN, &r);
    if (!fn) {
        free(version);
        return -1;
    }
    cJSON *items = cJSON_CreateArray();
    const cJSON *a;
    cJSON_ArrayForEach(a, json_obj(fn, "aliases")) {
        if (version && strcmp(json_str_or(a, "FunctionVersion", ""), version) != 0) continue;
        cJSON_AddItemToArray(items, lambda_out(a, NULL));
    }
    free(version);
    return lambda_reply_page(c, items, "Aliases", "AliasArn", 10000);
}

static int update_alias(emu_call *c) {
    const cJSON *b = c->body;
    const char *version = json_str(b, "FunctionVersion"), *desc = json_str(b, "Description");
    lambda_check k = {0};
    check_version_value(&k, version, "functionVersion");
    lambda_check_description(&k, desc);
    if (lambda_check_done(c, &k) != 0) return -1;
    lambda_ref r;
    cJSON *fn = NULL;
    cJSON *alias = named_alias(c, &r, &fn);
    if (!alias) return -1;
    if (lambda_check_revision(c, json_str(b, "RevisionId"), alias) != 0) return -1;
    if (version && !lambda_version_config(fn, version)) return version_not_found(c, &r, version);
    const char *target = version ? version : json_str_or(alias, "FunctionVersion", "$LATEST");
    const cJSON *routing = json_obj(b, "RoutingConfig");
    const cJSON *weights = NULL;
    if (routing) {
        if (check_routing(c, &r, fn, target, routing, &weights) != 0) return -1;
    } else {
        /* The weights the alias has must still make sense for a new target. */
        const cJSON *keep = json_obj(alias, "RoutingConfig");
        if (keep && check_routing(c, &r, fn, target, keep, &weights) != 0) return -1;
    }
    if (version) json_set_str(alias, "FunctionVersion", version);
    if (desc) json_set_str(alias, "Description", desc);
    cJSON *w = weights ? cJSON_Duplicate(weights, 1) : NULL;
    cJSON_DeleteItemFromObjectCaseSensitive(alias, "RoutingConfig");
    cJSON_DeleteItemFromObjectCaseSensitive(alias, "RevisionId");
    if (w)
        cJSON_AddItemToObject(cJSON_AddObjectToObject(alias, "RoutingConfig"),
                              "AdditionalVersionWeights", w);
    lambda_new_revision(c, alias);
    return emu_reply(c, 0, lambda_out(alias, NULL));
}

static int delete_alias(emu_call *c) {
    lambda_ref r;
    const char *name;
    cJSON *fn = alias_function(c, &r, &name);
    if (!fn) return -1;
    /* Deleting an alias that does not exist succeeds, as in Lambda. */
    cJSON_DeleteItemFromObjectCaseSensitive(json_obj(fn, "aliases"), name);
    cJSON_DeleteItemFromObjectCaseSensitive(json_obj(fn, "policy"), name);
    return emu_reply(c, 204, NULL);
}

/* --- permissions -------------------------------------------------------------- */

static const char ACTION_PATTERN[] = "(lambda:[*]|lambda:[a-zA-Z]+|[*])";
static const char ARN_PATTERN[] =
    "arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}(-gov)?-[a-z]+-\\d{1})?:(\\d{12})?:(.*)";

static bool action_ok(const char *a) {
    if (strcmp(a, "*") == 0 || strcmp(a, "lambda:*") == 0) return true;
    if (strncmp(a, "lambda:", 7) != 0 || !a[7]) return false;
    for (a += 7; *a; a++)
        if (!isalpha((unsigned char)*a)) return false;
    return true;
}

static bool sid_ok(const char *s, bool dots) {
    size_t n = strlen(s);
    if (n == 0 || n > 100) return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' && !(dots && *s == '.'))
            return false;
    return true;
}

static size_t span(const char *s, const char *extra, bool alnum) {
    size_t n = 0;
    while (s[n] && ((alnum && isalnum((unsigned char)s[n])) || strchr(extra, s[n]))) n++;
    return n;
}

/* arn:aws[a-zA-Z0-9-]*:[a-zA-Z0-9-]+:(REGION)?:(\d{12})?:.* */
static bool source_arn_ok(const char *s) {
    if (strncmp(s, "arn:aws", 7) != 0) return false;
    s += 7;
    s += span(s, "-", true);
    if (*s++ != ':') return false;
    size_t n = span(s, "-", true);
    if (n == 0 || s[n] != ':') return false;
    s += n + 1;
    n = span(s, "-", true); /* the region, checked loosely */
    s += n;
    if (*s++ != ':') return false;
    n = span(s, "", true);
    if (n != 0 && n != 12) return false;
    s += n;
    return *s == ':';
}

static bool account_ok(const char *s) {
    if (strlen(s) != 12) return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s)) return false;
    return true;
}

/* The Principal element Lambda writes for a principal, or NULL. */
static cJSON *principal_json(const char *p) {
    size_t n = strlen(p);
    cJSON *o = cJSON_CreateObject();
    if (n > 14 && strcmp(p + n - 14, ".amazonaws.com") == 0) {
        cJSON_AddStringToObject(o, "Service", p);
    } else if (account_ok(p)) {
        char *arn = xasprintf("arn:aws:iam::%s:root", p);
        cJSON_AddStringToObject(o, "AWS", arn);
        free(arn);
    } else if (strncmp(p, "arn:aws:iam:", 12) == 0) {
        cJSON_AddStringToObject(o, "AWS", p);
    } else if (strcmp(p, "*") == 0) {
        cJSON_Delete(o);
        return cJSON_CreateString("*");
    } else {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static void add_condition(cJSON *cond, const char *op, const char *key, const char *value) {
    if (value) json_set_str(json_child_obj(cond, op), key, value);
}

static cJSON *build_statement(const cJSON *b, cJSON *principal, const char *resource) {
    cJSON *st = cJSON_CreateObject();
    cJSON_AddStringToObject(st, "Sid", json_str(b, "StatementId"));
    cJSON_AddStringToObject(st, "Effect", "Allow");
    cJSON_AddItemToObject(st, "Principal", principal);
    cJSON_AddStringToObject(st, "Action", json_str(b, "Action"));
    cJSON_AddStringToObject(st, "Resource", resource);
    cJSON *cond = cJSON_CreateObject();
    add_condition(cond, "StringEquals", "lambda:FunctionUrlAuthType",
                  json_str(b, "FunctionUrlAuthType"));
    add_condition(cond, "StringEquals", "aws:PrincipalOrgID", json_str(b, "PrincipalOrgID"));
    add_condition(cond, "StringEquals", "AWS:SourceAccount", json_str(b, "SourceAccount"));
    add_condition(cond, "StringEquals", "lambda:EventSourceToken", json_str(b, "EventSourceToken"));
    add_condition(cond, "ArnLike", "AWS:SourceArn", json_str(b, "SourceArn"));
    if (cond->child)
        cJSON_AddItemToObject(st, "Condition", cond);
    else
        cJSON_Delete(cond);
    return st;
}

static void check_permission_shapes(lambda_check *k, const cJSON *b) {
    lambda_check_required(k, b, "StatementId", "statementId");
    lambda_check_required(k, b, "Action", "action");
    lambda_check_required(k, b, "Principal", "principal");
    const char *sid = json_str(b, "StatementId"), *action = json_str(b, "Action");
    const char *arn = json_str(b, "SourceArn"), *account = json_str(b, "SourceAccount");
    if (sid && !sid_ok(sid, false))
        lambda_check_add(k,
                         "Value '%s' at 'statementId' failed to satisfy constraint: Member must "
                         "satisfy regular expression pattern: ([a-zA-Z0-9-_]+)",
                         sid);
    if (action && !action_ok(action))
        lambda_check_add(k,
                         "Value '%s' at 'action' failed to satisfy constraint: Member must satisfy "
                         "regular expression pattern: %s",
                         action, ACTION_PATTERN);
    if (arn && !source_arn_ok(arn))
        lambda_check_add(k,
                         "Value '%s' at 'sourceArn' failed to satisfy constraint: Member must "
                         "satisfy regular expression pattern: %s",
                         arn, ARN_PATTERN);
    if (account && !account_ok(account))
        lambda_check_add(k,
                         "Value '%s' at 'sourceAccount' failed to satisfy constraint: Member must "
                         "satisfy regular expression pattern: \\d{12}",
                         account);
}

/* The object whose RevisionId a policy change moves: the alias, the
 * version's configuration, or $LATEST's. */
static cJSON *revision_holder(const lambda_target *t) { return t->alias ? t->alias : t->config; }

static int add_permission(emu_call *c) {
    const cJSON *b = c->body;
    lambda_check k = {0};
    check_permission_shapes(&k, b);
    if (lambda_check_done(c, &k) != 0) return -1;
    lambda_ref r;
    if (lambda_parse_call(c, LAMBDA_NAME_NAMESPACED, &r) != 0) return -1;
    if (strcmp(r.qualifier, "$LATEST") == 0)
        return lambda_fail_param(c, "We currently do not support adding policies for $LATEST.");
    if (!lambda_function(c, &r))
        return lambda_fail_not_found_arn(c, &r, "Function not found: ", false);
    lambda_target t;
    if (lambda_resolve(c, &r, true, &t) != 0) return -1;
    cJSON *holder = revision_holder(&t);
    if (lambda_check_revision(c, json_str(b, "RevisionId"), holder) != 0) return -1;
    cJSON *policy = json_child_obj(t.fn, "policy");
    cJSON *stmts = json_arr(policy, r.qualifier);
    const char *sid = json_str(b, "StatementId");
    const cJSON *s;
    cJSON_ArrayForEach(s, stmts) {
        if (strcmp(json_str_or(s, "Sid", ""), sid) == 0)
            return lambda_fail_conflict(c,
                                        "The statement id (%s) provided already exists. Please "
                                        "provide a new statement id, or remove the existing "
                                        "statement.",
                                        sid);
    }
    cJSON *principal = principal_json(json_str(b, "Principal"));
    if (!principal)
        return lambda_fail_param(c,
                                 "The provided principal was invalid. Please check the principal "
                                 "and try again.");
    char *resource = lambda_ref_arn(c, &r, true);
    cJSON *st = build_statement(b, principal, resource);
    free(resource);
    if (!stmts) {
        stmts = cJSON_CreateArray();
        json_set(policy, r.qualifier, stmts);
    }
    cJSON_AddItemToArray(stmts, st);
    lambda_new_revision(c, holder);
    cJSON *body = cJSON_CreateObject();
    char *text = json_print(st);
    cJSON_AddStringToObject(body, "Statement", text);
    free(text);
    return emu_reply(c, 201, body);
}

static int get_policy(emu_call *c) {
    lambda_ref r;
    cJSON *fn = lambda_named_function(c, LAMBDA_NAME_NAMESPACED, &r);
    if (!fn) return -1;
    const cJSON *stmts = json_arr(json_obj(fn, "policy"), r.qualifier);
    if (cJSON_GetArraySize(stmts) == 0)
        return lambda_fail_not_found(c, "The resource you requested does not exist.");
    lambda_target t;
    if (lambda_resolve(c, &r, true, &t) != 0) return -1;
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "Version", "2012-10-17");
    cJSON_AddStringToObject(doc, "Id", "default");
    cJSON_AddItemToObject(doc, "Statement", cJSON_Duplicate(stmts, 1));
    char *text = json_print(doc);
    cJSON_Delete(doc);
    cJSON *body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "Policy", text);
    free(text);
    cJSON_AddStringToObject(body, "RevisionId", json_str_or(revision_holder(&t), "RevisionId", ""));
    return emu_reply(c, 0, body);
}

static int remove_permission(emu_call *c) {
    const char *sid = c->nparams > 1 ? c->param[1] : "";
    lambda_check k = {0};
    if (!sid_ok(sid, true))
        lambda_check_add(&k,
                         "Value '%s' at 'statementId' failed to satisfy constraint: Member must "
                         "satisfy regular expression pattern: ([a-zA-Z0-9-_.]+)",
                         sid);
    if (lambda_check_done(c, &k) != 0) return -1;
    lambda_ref r;
    if (lambda_parse_call(c, LAMBDA_NAME_NAMESPACED, &r) != 0) return -1;
    if (!lambda_function(c, &r))
        return lambda_fail_not_found_arn(c, &r, "No policy found for: ", false);
    lambda_target t;
    if (lambda_resolve(c, &r, true, &t) != 0) return -1;
    cJSON *stmts = json_arr(json_obj(t.fn, "policy"), r.qualifier);
    if (cJSON_GetArraySize(stmts) == 0)
        return lambda_fail_not_found(c, "No policy is associated with the given resource.");
    int found = -1, i = 0;
    const cJSON *s;
    cJSON_ArrayForEach(s, stmts) {
        if (strcmp(json_str_or(s, "Sid", ""), sid) == 0) found = i;
        i++;
    }
    if (found < 0)
        return lambda_fail_not_found(c, "Statement %s is not found in resource policy.", sid);
    cJSON *holder = revision_holder(&t);
    char *rev = emu_query(c, "RevisionId");
    int rc = lambda_check_revision(c, rev, holder);
    free(rev);
    if (rc != 0) return -1;
    cJSON_DeleteItemFromArray(stmts, found);
    if (cJSON_GetArraySize(stmts) == 0)
        cJSON_DeleteItemFromObjectCaseSensitive(json_obj(t.fn, "policy"), r.qualifier);
    lambda_new_revision(c, holder);
    return emu_reply(c, 204, NULL);
}

const emu_route lambda_version_routes[] = {
    {LAMBDA_PublishVersion, publish_version},
    {LAMBDA_ListVersionsByFunction, list_versions_by_function},
    {LAMBDA_CreateAlias, create_alias},
    {LAMBDA_GetAlias, get_alias},
    {LAMBDA_ListAliases, list_aliases},
    {LAMBDA_UpdateAlias, update_alias},
    {LAMBDA_DeleteAlias, delete_alias},
    {LAMBDA_AddPermission, add_permission},
    {LAMBDA_GetPolicy, get_policy},
    {LAMBDA_RemovePermission, remove_permission},
    {OP__COUNT, NULL},
};
