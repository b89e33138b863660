/* Lambda functions: CreateFunction, GetFunction, GetFunctionConfiguration,
 * ListFunctions, DeleteFunction, UpdateFunctionCode,
 * UpdateFunctionConfiguration and GetAccountSettings.
 *
 * The emulator's functions are ready at once, so every response shows the
 * settled state (State "Active", LastUpdateStatus "Successful") that AWS
 * shows a moment after a create or an update. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/zipcode.h"
#include "lambda_fn.h"
#include "runtime_int.h"

/* --- runtimes -------------------------------------------------------------- */

/* The runtimes Lambda accepts for new functions, in the order its error
 * message lists them (as recorded against AWS in LocalStack's snapshots;
 * the runtimes added to the model since are appended). */
static const char *const VALID_RUNTIMES[] = {
    "nodejs20.x", "provided.al2023", "python3.12",   "python3.13", "nodejs22.x", "java17",
    "nodejs16.x", "dotnet8",         "python3.10",   "java11",     "python3.11", "dotnet6",
    "java21",     "nodejs18.x",      "provided.al2", "ruby3.3",    "java8.al2",  "ruby3.2",
    "python3.8",  "python3.9",       "ruby3.4",      "nodejs24.x", "python3.14", "java25",
    "dotnet10",   "ruby4.0",
};

/* Deprecated runtimes that Lambda refuses by name, with the runtime its
 * message recommends instead. Older ones get the enum message. */
static const struct {
    const char *runtime, *upgrade;
} DEPRECATED[] = {
    {"java8", "java21"},          {"go1.x", "provided.al2023"}, {"provided", "provided.al2023"},
    {"ruby2.7", "ruby3.2"},       {"nodejs14.x", "nodejs20.x"}, {"python3.7", "python3.12"},
    {"dotnetcore3.1", "dotnet6"}, {"nodejs12.x", "nodejs18.x"},
};

static bool runtime_valid(const char *rt) {
    for (size_t i = 0; i < sizeof VALID_RUNTIMES / sizeof *VALID_RUNTIMES; i++)
        if (strcmp(rt, VALID_RUNTIMES[i]) == 0) return true;
    return false;
}

static int check_runtime(emu_call *c, const char *rt) {
    if (runtime_valid(rt)) return 0;
    for (size_t i = 0; i < sizeof DEPRECATED / sizeof *DEPRECATED; i++)
        if (strcmp(rt, DEPRECATED[i].runtime) == 0)
            return lambda_fail_param(
                c,
                "The runtime parameter of %s is no longer supported for "
                "creating or updating AWS Lambda functions. We recommend you "
                "use the new runtime (%s) while creating or updating functions.",
                rt, DEPRECATED[i].upgrade);
    char list[800] = "[";
    for (size_t i = 0; i < sizeof VALID_RUNTIMES / sizeof *VALID_RUNTIMES; i++) {
        strcat(list, i ? ", " : "");
        strcat(list, VALID_RUNTIMES[i]);
    }
    strcat(list, "]");
    return lambda_fail_param(c,
                             "Value %s at 'runtime' failed to satisfy constraint: Member must "
                             "satisfy enum value set: %s or be a valid ARN",
                             rt, list);
}

static bool snapstart_runtime(const char *rt) {
    static const char *const ok[] = {"java11",     "java17",     "java21",  "java25",  "python3.12",
                                     "python3.13", "python3.14", "dotnet8", "dotnet10"};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        if (rt && strcmp(rt, ok[i]) == 0) return true;
    return false;
}

/* --- member checks ---------------------------------------------------------- */

static const char ROLE_PATTERN[] =
    "arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+";
static const char ENV_KEY_PATTERN[] = "[a-zA-Z]([a-zA-Z0-9_])+";

/* arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+ */
static bool role_syntax_ok(const char *r) {
    if (strncmp(r, "arn:", 4) != 0) return false;
    r += 4;
    if (strncmp(r, "aws", 3) == 0)
        for (r += 3; isalpha((unsigned char)*r) || *r == '-';) r++;
    if (strncmp(r, ":iam::", 6) != 0) return false;
    r += 6;
    for (int i = 0; i < 12; i++, r++)
        if (!isdigit((unsigned char)*r)) return false;
    if (strncmp(r, ":role", 5) != 0) return false;
    r += 5;
    if (*r == '/') r++;
    if (!*r) return false;
    for (; *r; r++)
        if (!isalnum((unsigned char)*r) && !strchr("_+=,.@-/", *r)) return false;
    return true;
}

static bool env_key_ok(const char *k) {
    if (!isalpha((unsigned char)k[0]) || !k[1]) return false;
    for (k++; *k; k++)
        if (!isalnum((unsigned char)*k) && *k != '_') return false;
    return true;
}

static bool has_space(const char *s) {
    for (; *s; s++)
        if (isspace((unsigned char)*s)) return true;
    return false;
}

/* The text of a member as the error messages quote it. */
static void member_text(const cJSON *v, char *out, size_t n) {
    if (cJSON_IsNumber(v) && v->valuedouble == floor(v->valuedouble) && fabs(v->valuedouble) < 1e15)
        snprintf(out, n, "%lld", (long long)v->valuedouble);
    else if (cJSON_IsString(v))
        snprintf(out, n, "%s", v->valuestring);
    else {
        char *t = v ? cJSON_PrintUnformatted(v) : NULL;
        snprintf(out, n, "%s", t ? t : "null");
        free(t);
    }
}

/* An integer member within [lo, hi] of the model: adds the front end's
 * message otherwise. Absent members are fine. */
static void check_int(lambda_check *k, const cJSON *obj, const char *key, const char *member,
                      long lo, long hi) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v || cJSON_IsNull(v)) return;
    char text[64];
    member_text(v, text, sizeof text);
    bool is_int = cJSON_IsNumber(v) && v->valuedouble == floor(v->valuedouble);
    if (!is_int || v->valuedouble < (double)lo)
        lambda_check_add(k,
                         "Value '%s' at '%s' failed to satisfy constraint: Member must have value "
                         "greater than or equal to %ld",
                         text, member, lo);
    else if (v->valuedouble > (double)hi)
        lambda_check_add(k,
                         "Value '%s' at '%s' failed to satisfy constraint: Member must have value "
                         "less than or equal to %ld",
                         text, member, hi);
}

static void check_enum(lambda_check *k, const char *value, const char *member, const char *a,
                       const char *b, const char *set) {
    if (value && strcmp(value, a) != 0 && strcmp(value, b) != 0)
        lambda_check_add(
            k,
            "Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum "
            "value set: %s",
            value, member, set);
}

static void check_architectures(lambda_check *k, const cJSON *b) {
    const cJSON *arch = cJSON_GetObjectItemCaseSensitive(b, "Architectures");
    if (!cJSON_IsArray(arch)) return;
    char list[256] = "";
    const cJSON *a;
    bool ok = true;
    cJSON_ArrayForEach(a, arch) {
        const char *s = cJSON_IsString(a) ? a->valuestring : "null";
        size_t used = strlen(list);
        snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "", s);
        ok &= cJSON_IsString(a) && (strcmp(s, "x86_64") == 0 || strcmp(s, "arm64") == 0);
    }
    int n = cJSON_GetArraySize(arch);
    if (n > 1)
        lambda_check_add(k,
                         "Value '[%s]' at 'architectures' failed to satisfy constraint: Member "
                         "must have length less than or equal to 1",
                         list);
    else if (n == 0)
        lambda_check_add(k,
                         "Value '[]' at 'architectures' failed to satisfy constraint: Member must "
                         "have length greater than or equal to 1");
    else if (!ok)
        lambda_check_add(k,
                         "Value '[%s]' at 'architectures' failed to satisfy constraint: Member "
                         "must satisfy constraint: [Member must satisfy enum value set: [x86_64, "
                         "arm64], Member must not be null]",
                         list);
}

/* The environment's map keys. The values are sensitive: Lambda's message
 * does not quote them (our best reading of its format). */
static void check_env_keys(lambda_check *k, const cJSON *b) {
    const cJSON *vars = json_obj(json_obj(b, "Environment"), "Variables");
    const cJSON *v;
    bool bad = false;
    cJSON_ArrayForEach(v, vars) {
        bad |= !env_key_ok(v->string) || !cJSON_IsString(v);
    }
    if (bad)
        lambda_check_add(k,
                         "Value at 'environment.variables' failed to satisfy constraint: Map keys "
                         "must satisfy constraint: [Member must satisfy regular expression "
                         "pattern: %s]",
                         ENV_KEY_PATTERN);
}

/* The front end's checks (ValidationException) of the members that
 * CreateFunction and UpdateFunctionConfiguration share. */
static void check_shapes(lambda_check *k, const cJSON *b) {
    const char *role = json_str(b, "Role");
    if (role && !role_syntax_ok(role))
        lambda_check_add(k,
                         "Value '%s' at 'role' failed to satisfy constraint: Member must satisfy "
                         "regular expression pattern: %s",
                         role, ROLE_PATTERN);
    const char *handler = json_str(b, "Handler");
    if (handler && strlen(handler) > 128)
        lambda_check_add(k,
                         "Value '%s' at 'handler' failed to satisfy constraint: Member must have "
                         "length less than or equal to 128",
                         handler);
    else if (handler && (!*handler || has_space(handler)))
        lambda_check_add(
            k,
            "Value '%s' at 'handler' failed to satisfy constraint: Member must satisfy "
            "regular expression pattern: [^\\s]+",
            handler);
    lambda_check_description(k, json_str(b, "Description"));
    /* Lambda's limit of 900 seconds: reported like the model's minimum
     * (our best guess of its wording). */
    check_int(k, b, "Timeout", "timeout", 1, 900);
    check_int(k, b, "MemorySize", "memorySize", 128, 32768);
    check_env_keys(k, b);
    check_enum(k, json_str(json_obj(b, "TracingConfig"), "Mode"), "tracingConfig.mode", "Active",
               "PassThrough", "[Active, PassThrough]");
    check_int(k, json_obj(b, "EphemeralStorage"), "Size", "ephemeralStorage.size", 512, 10240);
    check_enum(k, json_str(json_obj(b, "LoggingConfig"), "LogFormat"), "loggingConfig.logFormat",
               "JSON", "Text", "[JSON, Text]");
    check_enum(k, json_str(json_obj(b, "SnapStart"), "ApplyOn"), "snapStart.applyOn",
               "PublishedVersions", "None", "[PublishedVersions, None]");
}

/* The service's own checks (InvalidParameterValueException) of the same
 * members; runtime is the runtime the function will have. */
static int check_values(emu_call *c, const cJSON *b, const char *runtime) {
    const char *role = json_str(b, "Role");
    if (role) {
        char *want = xasprintf("arn:aws:iam::%s:role/%s", c->account, LAMBDA_ROLE_NAME);
        bool known = strcmp(role, want) == 0;
        free(want);
        if (!known)
            return lambda_fail_param(
                c, "The role defined for the function cannot be assumed by Lambda.");
    }
    const char *rt = json_str(b, "Runtime");
    if (rt && check_runtime(c, rt) != 0) return -1;
    if (json_num_or(b, "MemorySize", 128) > 10240)
        return lambda_fail_param(c, "'MemorySize' value failed to satisfy constraint: Member must "
                                    "have value less than or equal to 10240");
    const cJSON *vars = json_obj(json_obj(b, "Environment"), "Variables");
    char reserved[512] = "";
    const cJSON *v;
    cJSON_ArrayForEach(v, vars) {
        if (rt_env_reserved(v->string, strlen(v->string))) {
            size_t used = strlen(reserved);
            snprintf(reserved + used, sizeof reserved - used, "%s%s", used ? ", " : "", v->string);
        }
    }
    if (reserved[0])
        return lambda_fail_param(c,
                                 "Lambda was unable to configure your environment variables "
                                 "because the environment variables you have provided contains "
                                 "reserved keys that are currently not supported for "
                                 "modification. Reserved keys used in this request: %s",
                                 reserved);
    if (vars) {
        char *text = cJSON_PrintUnformatted(vars);
        size_t len = strlen(text);
        if (len > 4096) {
            char *msg = xasprintf("Lambda was unable to configure your environment variables "
                                  "because the environment variables you have provided exceeded "
                                  "the 4KB limit. String measured: %s",
                                  text);
            free(text);
            /* The message quotes the whole map: too long for the helpers. */
            cJSON *body = cJSON_CreateObject();
            cJSON_AddStringToObject(body, "Type", "User");
            cJSON_AddStringToObject(body, "message", msg);
            free(msg);
            emu_reply(c, 400, body);
            http_headers_set(&c->resp->headers, "x-amzn-ErrorType",
                             "InvalidParameterValueException");
            return -1;
        }
        free(text);
    }
    const char *apply = json_str(json_obj(b, "SnapStart"), "ApplyOn");
    if (apply && strcmp(apply, "PublishedVersions") == 0 && !snapstart_runtime(runtime))
        return lambda_fail_param(c, "%s is not supported for SnapStart enabled functions.",
                                 runtime ? runtime : "null");
    return 0;
}

/* --- configuration ---------------------------------------------------------- */

static void set_runtime(emu_call *c, cJSON *cfg, const char *rt) {
    json_set_str(cfg, "Runtime", rt);
    /* Lambda names the runtime build it runs; one stable id per runtime. */
    char hex[65];
    zipcode_sha256_hex(rt, hex);
    char *arn = xasprintf("arn:aws:lambda:%s::runtime:%s", c->region, hex);
    cJSON *rvc = cJSON_CreateObject();
    cJSON_AddStringToObject(rvc, "RuntimeVersionArn", arn);
    free(arn);
    json_set(cfg, "RuntimeVersionConfig", rvc);
}

static void set_logging(cJSON *cfg, const cJSON *req) {
    cJSON *log = json_child_obj(cfg, "LoggingConfig");
    const cJSON *v;
    cJSON_ArrayForEach(v, req) {
        if (cJSON_IsString(v)) json_set_str(log, v->string, v->valuestring);
    }
    if (strcmp(json_str_or(log, "LogFormat", "Text"), "JSON") == 0) {
        if (!json_has(log, "ApplicationLogLevel")) json_set_str(log, "ApplicationLogLevel", "INFO");
        if (!json_has(log, "SystemLogLevel")) json_set_str(log, "SystemLogLevel", "INFO");
    } else {
        cJSON_DeleteItemFromObjectCaseSensitive(log, "ApplicationLogLevel");
        cJSON_DeleteItemFromObjectCaseSensitive(log, "SystemLogLevel");
    }
}

/* Apply the configuration members present in the request to cfg. */
static void apply_members(emu_call *c, cJSON *cfg, const cJSON *b) {
    static const char *const strings[] = {"Role", "Handler", "Description"};
    for (size_t i = 0; i < 3; i++)
        if (json_str(b, strings[i])) json_set_str(cfg, strings[i], json_str(b, strings[i]));
    if (json_has(b, "Timeout")) json_set_num(cfg, "Timeout", json_num_or(b, "Timeout", 3));
    if (json_has(b, "MemorySize"))
        json_set_num(cfg, "MemorySize", json_num_or(b, "MemorySize", 128));
    if (json_str(b, "Runtime")) set_runtime(c, cfg, json_str(b, "Runtime"));
    const cJSON *env = json_obj(b, "Environment");
    if (env) {
        cJSON *out = cJSON_CreateObject();
        const cJSON *vars = json_obj(env, "Variables");
        cJSON_AddItemToObject(out, "Variables",
                              vars ? cJSON_Duplicate(vars, 1) : cJSON_CreateObject());
        json_set(cfg, "Environment", out);
    }
    const char *mode = json_str(json_obj(b, "TracingConfig"), "Mode");
    if (mode) json_set_str(json_child_obj(cfg, "TracingConfig"), "Mode", mode);
    if (json_obj(b, "EphemeralStorage"))
        json_set_num(json_child_obj(cfg, "EphemeralStorage"), "Size",
                     json_num_or(json_obj(b, "EphemeralStorage"), "Size", 512));
    const char *apply = json_str(json_obj(b, "SnapStart"), "ApplyOn");
    if (apply) json_set_str(json_child_obj(cfg, "SnapStart"), "ApplyOn", apply);
    if (json_obj(b, "LoggingConfig")) set_logging(cfg, json_obj(b, "LoggingConfig"));
    const cJSON *arch = json_arr(b, "Architectures");
    if (arch) json_set(cfg, "Architectures", cJSON_Duplicate(arch, 1));
}

static void set_code(emu_call *c, cJSON *fn, cJSON *cfg, const zipcode *z) {
    json_set_num(cfg, "CodeSize", (double)z->len);
    json_set_str(cfg, "CodeSha256", z->sha256);
    char *b64 = zipcode_base64(z->data, z->len);
    json_set_str(fn, "_zip", b64);
    free(b64);
    (void)c;
}

static void stamp(emu_call *c, cJSON *cfg) {
    char now[32];
    emu_iso8601(c, now);
    json_set_str(cfg, "LastModified", now);
    lambda_new_revision(c, cfg);
    json_set_str(cfg, "State", "Active");
    json_set_str(cfg, "LastUpdateStatus", "Successful");
}

/* The members of a new function, in the order of the model. */
static cJSON *new_config(emu_call *c, const char *name, const cJSON *b) {
    cJSON *cfg = cJSON_CreateObject();
    char *arn = lambda_arn(c, c->account, name, NULL);
    cJSON_AddStringToObject(cfg, "FunctionName", name);
    cJSON_AddStringToObject(cfg, "FunctionArn", arn);
    free(arn);
    cJSON_AddStringToObject(cfg, "Runtime", "");
    cJSON_AddStringToObject(cfg, "Role", "");
    cJSON_AddStringToObject(cfg, "Handler", "");
    cJSON_AddNumberToObject(cfg, "CodeSize", 0);
    cJSON_AddStringToObject(cfg, "Description", "");
    cJSON_AddNumberToObject(cfg, "Timeout", 3);
    cJSON_AddNumberToObject(cfg, "MemorySize", 128);
    cJSON_AddStringToObject(cfg, "LastModified", "");
    cJSON_AddStringToObject(cfg, "CodeSha256", "");
    cJSON_AddStringToObject(cfg, "Version", "$LATEST");
    /* Lambda reports Environment only for a function that was given one. */
    if (json_obj(b, "Environment")) cJSON_AddObjectToObject(cfg, "Environment");
    cJSON_AddItemToObject(cfg, "TracingConfig", cJSON_CreateObject());
    cJSON_AddStringToObject(json_obj(cfg, "TracingConfig"), "Mode", "PassThrough");
    cJSON_AddStringToObject(cfg, "RevisionId", "");
    cJSON_AddStringToObject(cfg, "State", "Active");
    cJSON_AddStringToObject(cfg, "LastUpdateStatus", "Successful");
    cJSON_AddStringToObject(cfg, "PackageType", "Zip");
    cJSON *arch = cJSON_AddArrayToObject(cfg, "Architectures");
    cJSON_AddItemToArray(arch, cJSON_CreateString("x86_64"));
    cJSON_AddNumberToObject(cJSON_AddObjectToObject(cfg, "EphemeralStorage"), "Size", 512);
    cJSON *snap = cJSON_AddObjectToObject(cfg, "SnapStart");
    cJSON_AddStringToObject(snap, "ApplyOn", "None");
    cJSON_AddStringToObject(snap, "OptimizationStatus", "Off");
    cJSON_AddObjectToObject(cfg, "RuntimeVersionConfig");
    cJSON *log = cJSON_AddObjectToObject(cfg, "LoggingConfig");
    cJSON_AddStringToObject(log, "LogFormat", "Text");
    char *group = xasprintf("/aws/lambda/%s", name);
    cJSON_AddStringToObject(log, "LogGroup", group);
    free(group);
    apply_members(c, cfg, b);
    stamp(c, cfg);
    return cfg;
}

/* The code of a request (CreateFunction's Code, or UpdateFunctionCode's
 * body): a base64 ZipFile. The emulator has no S3 and no container
 * registry, so those sources fail as a missing bucket or image would. */
static int read_code(emu_call *c, const cJSON *code, zipcode *z) {
    const char *zip = json_str(code, "ZipFile");
    if (zip) {
        err e;
        if (zipcode_from_base64(zip, z, &e) != 0)
            return lambda_fail_param(c,
                                     "Could not unzip uploaded file. Please check your file, then "
                                     "try to upload again.");
        if (z->unzipped >= 262144000ULL) {
            zipcode_free(z);
            return lambda_fail_param(c, "Unzipped size must be smaller than 262144000 bytes");
        }
        return 0;
    }
    if (json_str(code, "S3Bucket"))
        return lambda_fail_param(c,
                                 "Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 "
                                 "Error Message: The specified bucket does not exist");
    if (json_str(code, "ImageUri"))
        return lambda_fail_param(c, "Please don't provide ImageUri when updating a function with "
                                    "packageType Zip.");
    /* Our best guess of Lambda's wording for a request without code. */
    return lambda_fail_param(c, "Please provide a source for function code.");
}

/* --- handlers ---------------------------------------------------------------- */

static int create_checks(emu_call *c, const cJSON *b, lambda_ref *ref) {
    lambda_check k = {0};
    lambda_check_required(&k, b, "FunctionName", "functionName");
    lambda_check_required(&k, b, "Role", "role");
    lambda_check_required(&k, b, "Code", "code");
    check_shapes(&k, b);
    check_architectures(&k, b);
    if (lambda_check_done(c, &k) != 0) return -1;
    if (check_values(c, b, json_str(b, "Runtime")) != 0) return -1;
    const char *pkg = json_str_or(b, "PackageType", "Zip");
    if (strcmp(pkg, "Zip") != 0)
        return lambda_fail_param(c,
                                 "The offline emulator runs .zip deployment packages only; "
                                 "PackageType %s is not supported.",
                                 pkg);
    if (!json_str(b, "Runtime") || !json_str(b, "Handler"))
        return lambda_fail_param(c, "Runtime and Handler are mandatory parameters for functions "
                                    "created with deployment packages.");
    const char *label = json_str(b, "FunctionName");
    if (lambda_parse_name(c, label ? label : "", LAMBDA_NAME_PLAIN, NULL, ref) != 0) return -1;
    if (ref->qualifier[0]) { /* a function is created unqualified */
        lambda_check q = {0};
        lambda_check_add(&q,
                         "Value '%s' at 'functionName' failed to satisfy constraint: Member must "
                         "satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]"
                         "{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-"
                         "zA-Z0-9-_]+)",
                         label);
        return lambda_check_done(c, &q);
    }
    if (strlen(ref->name) > 64)
        return lambda_fail_param(c,
                                 "1 validation error detected: Value '%s' at 'functionName' failed "
                                 "to satisfy constraint: Member must have length less than or "
                                 "equal to 64",
                                 ref->name);
    return 0;
}

static int create_function(emu_call *c) {
    const cJSON *b = c->body;
    lambda_ref ref;
    if (create_checks(c, b, &ref) != 0) return -1;
    cJSON *fns = emu_coll(c, "functions");
    if (json_obj(fns, ref.name))
        return lambda_fail_conflict(c, "Function already exist: %s", ref.name);
    zipcode z;
    if (read_code(c, json_obj(b, "Code"), &z) != 0) return -1;

    cJSON *fn = cJSON_CreateObject();
    cJSON *cfg = new_config(c, ref.name, b);
    cJSON_AddItemToObject(fn, "latest", cfg);
    set_code(c, fn, cfg, &z);
    zipcode_free(&z);
    cJSON_AddObjectToObject(fn, "versions");
    cJSON_AddObjectToObject(fn, "aliases");
    cJSON_AddObjectToObject(fn, "policy");
    cJSON_AddNumberToObject(fn, "_nextVersion", 1);
    cJSON_AddNumberToObject(fn, "_revision", 0);
    const cJSON *tags = json_obj(b, "Tags");
    if (tags && tags->child) cJSON_AddItemToObject(fn, "tags", cJSON_Duplicate(tags, 1));
    json_set(fns, ref.name, fn);

    if (json_bool_or(b, "Publish", false)) {
        /* Lambda answers with version 1, under the unqualified ARN. */
        cJSON *v = lambda_publish(c, fn, NULL);
        char *arn = lambda_arn(c, c->account, ref.name, NULL);
        cJSON *out = lambda_out(json_obj(v, "config"), arn);
        free(arn);
        return emu_reply(c, 201, out);
    }
    return emu_reply(c, 201, lambda_out(cfg, NULL));
}

/* Resolve the function and qualifier a read names; returns the
 * FunctionArn it reports (qualified when a qualifier was given, malloc'd),
 * or NULL after failing the call. */
static char *resolve_read(emu_call *c, lambda_ref *r, lambda_target *t) {
    if (lambda_parse_call(c, LAMBDA_NAME_NAMESPACED, r) != 0 || lambda_resolve(c, r, false, t) != 0)
        return NULL;
    return lambda_ref_arn(c, r, r->qualifier[0] != '\0');
}

static int get_function(emu_call *c) {
    lambda_ref r;
    lambda_target t;
    char *arn = resolve_read(c, &r, &t);
    if (!arn) return -1;
    cJSON *body = cJSON_CreateObject();
    cJSON_AddItemToObject(body, "Configuration", lambda_out(t.config, arn));
    free(arn);
    cJSON *code = cJSON_AddObjectToObject(body, "Code");
    cJSON_AddStringToObject(code, "RepositoryType", "S3");
    char *loc = lambda_code_location(c, r.name, json_str(t.config, "Version"));
    cJSON_AddStringToObject(code, "Location", loc);
    free(loc);
    const cJSON *tags = json_obj(t.fn, "tags");
    if (tags && tags->child) cJSON_AddItemToObject(body, "Tags", cJSON_Duplicate(tags, 1));
    return emu_reply(c, 0, body);
}

static int get_function_configuration(emu_call *c) {
    lambda_ref r;
    lambda_target t;
    char *arn = resolve_read(c, &r, &t);
    if (!arn) return -1;
    cJSON *out = lambda_out(t.config, arn);
    free(arn);
    return emu_reply(c, 0, out);
}

static int list_functions(emu_call *c) {
    char *which = emu_query(c, "FunctionVersion");
    bool all = which && strcmp(which, "ALL") == 0;
    if (which && !all) {
        lambda_check k = {0};
        lambda_check_add(&k,
                         "Value '%s' at 'functionVersion' failed to satisfy constraint: Member "
                         "must satisfy enum value set: [ALL]",
                         which);
        free(which);
        return lambda_check_done(c, &k);
    }
    free(which);
    cJSON *items = cJSON_CreateArray();
    const cJSON *fn;
    cJSON_ArrayForEach(fn, emu_coll(c, "functions")) {
        const cJSON *latest = json_obj(fn, "latest");
        if (!latest) continue;
        char *arn = all ? lambda_arn(c, c->account, fn->string, "$LATEST") : NULL;
        cJSON_AddItemToArray(items, lambda_list_view(lambda_out(latest, arn)));
        free(arn);
        const cJSON *v;
        if (!all) continue;
        cJSON_ArrayForEach(v, json_obj(fn, "versions")) {
            cJSON_AddItemToArray(items, lambda_list_view(lambda_out(json_obj(v, "config"), NULL)));
        }
    }
    /* Lambda returns at most 50 functions a page, whatever MaxItems says. */
    return lambda_reply_page(c, items, "Functions", "FunctionArn", 50);
}

/* Aliases that route to version: "[a, b]" as Lambda lists them, or "". */
static void aliases_using(const cJSON *fn, const char *version, char *out, size_t n) {
    out[0] = '\0';
    const cJSON *a;
    cJSON_ArrayForEach(a, json_obj(fn, "aliases")) {
        const char *target = json_str(a, "FunctionVersion");
        bool uses = target && strcmp(target, version) == 0;
        uses |=
            json_has(json_obj(json_obj(a, "RoutingConfig"), "AdditionalVersionWeights"), version);
        if (!uses) continue;
        size_t used = strlen(out);
        snprintf(out + used, n - used, "%s%s", used ? ", " : "[", a->string);
    }
    if (out[0]) {
        size_t used = strlen(out);
        snprintf(out + used, n - used, "]");
    }
}

static int delete_function(emu_call *c) {
    lambda_ref r;
    if (lambda_parse_call(c, LAMBDA_NAME_NAMESPACED, &r) != 0) return -1;
    if (strcmp(r.qualifier, "$LATEST") == 0)
        return lambda_fail_param(
            c, "$LATEST version cannot be deleted without deleting the function.");
    cJSON *fn = lambda_function(c, &r);
    if (!fn) return lambda_fail_not_found_arn(c, &r, "Function not found: ", false);
    if (!r.qualifier[0]) {
        cJSON_DeleteItemFromObjectCaseSensitive(emu_coll(c, "functions"), r.name);
        return emu_reply(c, 204, NULL);
    }
    if (!lambda_is_version(r.qualifier))
        return lambda_fail_param(c, "Deletion of aliases is not currently supported.");
    char users[512];
    aliases_using(fn, r.qualifier, users, sizeof users);
    if (users[0])
        return lambda_fail_conflict(
            c, "Unable to delete version because the following aliases reference it: %s", users);
    /* Deleting a version that does not exist succeeds, as in Lambda. */
    cJSON_DeleteItemFromObjectCaseSensitive(json_obj(fn, "versions"), r.qualifier);
    cJSON_DeleteItemFromObjectCaseSensitive(json_obj(fn, "policy"), r.qualifier);
    return emu_reply(c, 204, NULL);
}

/* $LATEST of the function an update names (its qualifier is ignored, as
 * Lambda updates $LATEST only), with the RevisionId precondition. */
static cJSON *update_target(emu_call *c, lambda_ref *r) {
    cJSON *fn = lambda_named_function(c, LAMBDA_NAME_PLAIN, r);
    if (!fn ||
        lambda_check_revision(c, json_str(c->body, "RevisionId"), json_obj(fn, "latest")) != 0)
        return NULL;
    return fn;
}

static int update_function_code(emu_call *c) {
    lambda_ref r;
    cJSON *fn = update_target(c, &r);
    if (!fn) return -1;
    lambda_check k = {0};
    check_architectures(&k, c->body);
    if (lambda_check_done(c, &k) != 0) return -1;
    zipcode z;
    if (read_code(c, c->body, &z) != 0) return -1;
    bool dry = json_bool_or(c->body, "DryRun", false);
    cJSON *work = dry ? cJSON_Duplicate(fn, 1) : fn;
    cJSON *cfg = json_obj(work, "latest");
    set_code(c, work, cfg, &z);
    zipcode_free(&z);
    const cJSON *arch = json_arr(c->body, "Architectures");
    if (arch) json_set(cfg, "Architectures", cJSON_Duplicate(arch, 1));
    stamp(c, cfg);
    lambda_touch(work);
    cJSON *out;
    if (!dry && json_bool_or(c->body, "Publish", false))
        out = lambda_out(json_obj(lambda_publish(c, fn, NULL), "config"), NULL);
    else
        out = lambda_out(cfg, NULL);
    if (dry) cJSON_Delete(work);
    return emu_reply(c, 0, out);
}

static int update_function_configuration(emu_call *c) {
    lambda_ref r;
    cJSON *fn = update_target(c, &r);
    if (!fn) return -1;
    const cJSON *b = c->body;
    lambda_check k = {0};
    check_shapes(&k, b);
    if (lambda_check_done(c, &k) != 0) return -1;
    cJSON *cfg = json_obj(fn, "latest");
    const char *runtime =
        json_str(b, "Runtime") ? json_str(b, "Runtime") : json_str(cfg, "Runtime");
    if (check_values(c, b, runtime) != 0) return -1;
    apply_members(c, cfg, b);
    stamp(c, cfg);
    lambda_touch(fn);
    return emu_reply(c, 0, lambda_out(cfg, NULL));
}

static int get_account_settings(emu_call *c) {
    double total = 0, count = 0;
    const cJSON *fn;
    cJSON_ArrayForEach(fn, emu_coll(c, "functions")) {
        count++;
        total += json_num_or(json_obj(fn, "latest"), "CodeSize", 0);
        const cJSON *v;
        cJSON_ArrayForEach(v, json_obj(fn, "versions")) {
            total += json_num_or(json_obj(v, "config"), "CodeSize", 0);
        }
    }
    /* Lambda's default quotas. */
    cJSON *body = cJSON_CreateObject();
    cJSON *limit = cJSON_AddObjectToObject(body, "AccountLimit");
    cJSON_AddNumberToObject(limit, "TotalCodeSize", 80530636800.0);
    cJSON_AddNumberToObject(limit, "CodeSizeUnzipped", 262144000);
    cJSON_AddNumberToObject(limit, "CodeSizeZipped", 52428800);
    cJSON_AddNumberToObject(limit, "ConcurrentExecutions", 1000);
    cJSON_AddNumberToObject(limit, "UnreservedConcurrentExecutions", 1000);
    cJSON *usage = cJSON_AddObjectToObject(body, "AccountUsage");
    cJSON_AddNumberToObject(usage, "TotalCodeSize", total);
    cJSON_AddNumberToObject(usage, "FunctionCount", count);
    return emu_reply(c, 0, body);
}

const emu_route lambda_function_routes[] = {
    {LAMBDA_CreateFunction, create_function},
    {LAMBDA_GetFunction, get_function},
    {LAMBDA_GetFunctionConfiguration, get_function_configuration},
    {LAMBDA_ListFunctions, list_functions},
    {LAMBDA_DeleteFunction, delete_function},
    {LAMBDA_UpdateFunctionCode, update_function_code},
    {LAMBDA_UpdateFunctionConfiguration, update_function_configuration},
    {LAMBDA_GetAccountSettings, get_account_settings},
    {OP__COUNT, NULL},
};
