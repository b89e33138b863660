/* The AWS CLI command of a request (see aws/cli.h).
 *
 * The command follows what the CLI (awscli over botocore) accepts:
 * - options are the members of the operation's input in the model's order,
 *   named by botocore's xform_name(member, '-'), with the few renames the
 *   CLI makes (argrename: create-rest-api --api-version, publish-version
 *   --code-sha-256);
 * - header members are not part of what the client passes here: left out;
 * - a string starting with '-' is given as --opt=VALUE (argparse would take
 *   "-x" for an option);
 * - lists of strings are given space separated when the CLI reads them back
 *   element by element (not when empty, when an element starts with '-', or
 *   when a single element starts with '[', which the CLI parses as JSON);
 *   otherwise, and for structures and maps, as compact JSON;
 * - Lambda's zip archives are files (--zip-file fileb://NAME.zip), the
 *   CLI's shortcut for CreateFunction's Code.ZipFile; a blob payload (Invoke)
 *   is given inline with --cli-binary-format raw-in-base64-out (CLI v2;
 *   version 1 reads it raw without that option), and an operation whose
 *   answer is a blob names its output file last.
 * Known limit: the CLI reads a top-level string value starting with
 * file:// or fileb:// (and, in CLI v1 unless cli_follow_urlparam is off,
 * http:// or https://) from that file or URL; there is no way to escape it.
 * The command is exact: a value with a newline keeps it between its quotes,
 * which a shell accepts; whoever shows the command on one line sanitizes it. */
#include "aws/cli.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"

typedef struct member {
    aws_op op;
    const char *name; /* as in the model: "restApiId", "FunctionName" */
    const char *loc;  /* "uri", "querystring", "header", "body", "payload" */
    const char *wire; /* the name on the wire */
    const char *type; /* botocore's shape type */
    bool required;
} member;

static const member members[] = {
#define M(op, name, loc, wire, type, req) {op, name, loc, wire, type, req},
#define OUTFILE(op)
#include "aws/cli_members.def"
#undef M
#undef OUTFILE
};

/* Operations whose answer the CLI writes to a file named last. */
static const aws_op outfile_ops[] = {
#define M(op, name, loc, wire, type, req)
#define OUTFILE(op) op,
#include "aws/cli_members.def"
#undef M
#undef OUTFILE
};

/* Options the CLI names otherwise than xform_name does (awscli's argrename). */
static const struct {
    aws_op op;
    const char *member, *option;
} renames[] = {
    {APIGW_CreateRestApi, "version", "api-version"},
    {LAMBDA_PublishVersion, "CodeSha256", "code-sha-256"},
};

/* Structures whose ZipFile the CLI takes as a top-level --zip-file
 * (awscli's ZipFileArgumentHoister), and the member naming the file. */
static const struct {
    aws_op op;
    const char *member;
} zip_hoists[] = {
    {LAMBDA_CreateFunction, "Code"},
    {LAMBDA_PublishLayerVersion, "Content"},
};

/* --- botocore's xform_name ------------------------------------------------ */

static bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static char lower(char c) { return is_upper(c) ? (char)(c - 'A' + 'a') : c; }

/* [A-Z]{2,}s$ becomes "-" and the run in lower case: "GatewayARNs" ->
 * "Gateway-arns", as botocore does before the two substitutions. */
static void plural_acronym(const char *s, buf *out) {
    size_t n = strlen(s), run = 0;
    if (n >= 3 && s[n - 1] == 's')
        while (run < n - 1 && is_upper(s[n - 2 - run]))
            run++;
    if (run < 2) {
        buf_puts(out, s);
        return;
    }
    buf_add(out, s, n - 1 - run);
    buf_putc(out, '-');
    for (size_t i = n - 1 - run; i < n; i++)
        buf_putc(out, lower(s[i]));
}

/* re.sub('(.)([A-Z][a-z]+)', r'\1-\2', s): matches never overlap, so a
 * character consumed by one match cannot start the next. */
static void first_caps(const char *s, buf *out) {
    size_t n = strlen(s), i = 0;
    while (i < n) {
        if (i + 2 < n && is_upper(s[i + 1]) && is_lower(s[i + 2])) {
            size_t end = i + 2;
            while (end < n && is_lower(s[end]))
                end++;
            buf_putc(out, s[i]);
            buf_putc(out, '-');
            buf_add(out, s + i + 1, end - i - 1);
            i = end;
        } else {
            buf_putc(out, s[i++]);
        }
    }
}

/* re.sub('([a-z0-9])([A-Z])', r'\1-\2', s).lower() */
static void end_caps_lower(const char *s, buf *out) {
    size_t n = strlen(s), i = 0;
    while (i < n) {
        if (i + 1 < n && (is_lower(s[i]) || is_digit(s[i])) && is_upper(s[i + 1])) {
            buf_putc(out, s[i]);
            buf_putc(out, '-');
            buf_putc(out, lower(s[i + 1]));
            i += 2;
        } else {
            buf_putc(out, lower(s[i++]));
        }
    }
}

char *aws_cli_kebab(const char *camel) {
    if (strchr(camel, '-')) return xstrdup(camel); /* already transformed */
    buf a = BUF_INIT, b = BUF_INIT, c = BUF_INIT;
    plural_acronym(camel, &a);
    first_caps(a.data ? a.data : "", &b);
    end_caps_lower(b.data ? b.data : "", &c);
    buf_free(&a);
    buf_free(&b);
    return c.data ? buf_steal(&c) : xstrdup("");
}

/* --- shell words ---------------------------------------------------------- */

/* Characters no POSIX shell (nor bash or zsh) gives a meaning to in a word. */
static bool shell_safe(const char *s) {
    if (!*s || *s == '=') return false; /* zsh expands a leading '=' */
    for (; *s; s++)
        if (!(is_upper(*s) || is_lower(*s) || is_digit(*s) || strchr("_@%+=:,./-", *s)))
            return false;
    return true;
}

/* s as one shell word: as is when safe, else in single quotes with each '
 * written '\''. */
static void put_word(buf *b, const char *s) {
    if (shell_safe(s)) {
        buf_puts(b, s);
        return;
    }
    buf_putc(b, '\'');
    for (; *s; s++) {
        if (*s == '\'')
            buf_puts(b, "'\\''");
        else
            buf_putc(b, *s);
    }
    buf_putc(b, '\'');
}

/* --- the request ---------------------------------------------------------- */

typedef struct qparam {
    char *key, *value; /* percent-decoded */
} qparam;

typedef struct ctx {
    aws_op op;
    const char *const *params;
    size_t nparams;
    qparam *q;
    size_t nq;
    const cJSON *body;
    buf out;
} ctx;

static void parse_query(ctx *c, const char *query) {
    if (!query) return;
    for (const char *p = query; *p;) {
        size_t len = strcspn(p, "&");
        if (len) {
            const char *eq = memchr(p, '=', len);
            size_t klen = eq ? (size_t)(eq - p) : len;
            c->q = xrealloc(c->q, (c->nq + 1) * sizeof *c->q);
            c->q[c->nq].key = url_decode(p, klen, true);
            c->q[c->nq].value = eq ? url_decode(eq + 1, len - klen - 1, true) : xstrdup("");
            c->nq++;
        }
        p += len;
        if (*p) p++;
    }
}

/* The path label named wire ("restapi_id", "{proxy+}" as "proxy"), matched
 * to params by its place among the template's labels. */
static const char *uri_value(const ctx *c, const char *wire) {
    size_t k = 0, wl = strlen(wire);
    for (const char *p = strchr(aws_op_get(c->op)->uri, '{'); p; p = strchr(p + 1, '{'), k++) {
        const char *close = strchr(p, '}');
        if (!close) break;
        size_t len = (size_t)(close - p - 1);
        if (len && close[-1] == '+') len--;
        if (len == wl && memcmp(p + 1, wire, wl) == 0) return k < c->nparams ? c->params[k] : NULL;
    }
    return NULL;
}

/* Whether the operation's URI fixes this query parameter ("?mode=import"). */
static bool fixed_in_uri(aws_op op, const char *key) {
    const char *q = strchr(aws_op_get(op)->uri, '?');
    size_t kl = strlen(key);
    for (const char *p = q ? q + 1 : NULL; p && *p; p += strcspn(p, "&"), p += *p == '&') {
        if (strncmp(p, key, kl) == 0 && (p[kl] == '=' || p[kl] == '&' || !p[kl])) return true;
    }
    return false;
}

/* Whether some querystring member of the operation, or its URI, names this
 * parameter. */
static bool query_named(aws_op op, const char *key) {
    if (fixed_in_uri(op, key)) return true;
    for (size_t i = 0; i < sizeof members / sizeof *members; i++)
        if (members[i].op == op && strcmp(members[i].loc, "querystring") == 0 &&
            strcmp(members[i].wire, key) == 0)
            return true;
    return false;
}

/* The query parameters of a member as JSON: a list gathers every value of
 * its key, a map (no wire name) every parameter no other member names. */
static cJSON *query_json(const ctx *c, const member *m) {
    bool map = !m->wire[0], list = strcmp(m->type, "list") == 0;
    cJSON *v = map ? cJSON_CreateObject() : list ? cJSON_CreateArray() : NULL;
    for (size_t i = 0; i < c->nq; i++) {
        if (map) {
            if (!query_named(c->op, c->q[i].key)) json_set_str(v, c->q[i].key, c->q[i].value);
        } else if (strcmp(c->q[i].key, m->wire) == 0) {
            if (!list) return cJSON_CreateString(c->q[i].value);
            cJSON_AddItemToArray(v, cJSON_CreateString(c->q[i].value));
        }
    }
    if (v && cJSON_GetArraySize(v) == 0) {
        cJSON_Delete(v);
        return NULL;
    }
    return v;
}

static const member *find_member(aws_op op, const char *name) {
    for (size_t i = 0; i < sizeof members / sizeof *members; i++)
        if (members[i].op == op && strcmp(members[i].name, name) == 0) return &members[i];
    return NULL;
}

char *aws_cli_option(aws_op op, const char *member_name) {
    if (!find_member(op, member_name)) return NULL;
    for (size_t i = 0; i < sizeof renames / sizeof *renames; i++)
        if (renames[i].op == op && strcmp(renames[i].member, member_name) == 0)
            return xstrdup(renames[i].option);
    return aws_cli_kebab(member_name);
}

/* " --opt VALUE", or " --opt=VALUE" when VALUE starts with '-'. */
static void put_opt(ctx *c, const char *opt, const char *value) {
    buf_printf(&c->out, " --%s%c", opt, value[0] == '-' ? '=' : ' ');
    put_word(&c->out, value);
}

static void put_opt_json(ctx *c, const char *opt, const cJSON *v) {
    char *s = json_print(v);
    put_opt(c, opt, s);
    free(s);
}

/* A string or a number as the CLI takes it. */
static void put_scalar(ctx *c, const char *opt, const cJSON *v) {
    if (cJSON_IsString(v))
        put_opt(c, opt, v->valuestring);
    else
        put_opt_json(c, opt, v);
}

/* Whether the CLI reads the list back from its elements given one by one. */
static bool list_spaced(const cJSON *a) {
    int n = cJSON_GetArraySize(a);
    if (n == 0) return false;
    const cJSON *e;
    cJSON_ArrayForEach(e, a) {
        if (!cJSON_IsString(e) && !cJSON_IsNumber(e)) return false;
        if (cJSON_IsString(e) && e->valuestring[0] == '-') return false;
        if (cJSON_IsNumber(e) && e->valuedouble < 0) return false;
    }
    if (n == 1 && cJSON_IsString(a->child)) {
        const char *s = a->child->valuestring;
        s += strspn(s, " \t\r\n\f\v");
        if (*s == '[') return false;
    }
    return true;
}

static void put_list(ctx *c, const char *opt, const cJSON *a) {
    if (!list_spaced(a)) {
        put_opt_json(c, opt, a);
        return;
    }
    buf_printf(&c->out, " --%s", opt);
    const cJSON *e;
    cJSON_ArrayForEach(e, a) {
        buf_putc(&c->out, ' ');
        if (cJSON_IsString(e)) {
            put_word(&c->out, e->valuestring);
        } else {
            char *s = json_print(e);
            buf_puts(&c->out, s);
            free(s);
        }
    }
}

/* A boolean as --flag / --no-flag; from the query as "true" / "false". */
static void put_flag(ctx *c, const char *opt, bool on) {
    buf_printf(&c->out, " --%s%s", on ? "" : "no-", opt);
}

/* The value of a member given by name (a uri label or a body member), as
 * text: which function a zip archive belongs to. */
static const char *member_text(const ctx *c, const char *name) {
    const member *m = find_member(c->op, name);
    if (m && strcmp(m->loc, "uri") == 0) return uri_value(c, m->wire);
    if (m && strcmp(m->loc, "body") == 0) return json_str(c->body, m->wire);
    return NULL;
}

/* fileb://NAME.zip, NAME the function's (or layer's) name: the last part of
 * an ARN ("...:function:NAME"), else "function". */
static void put_zip(ctx *c) {
    const char *name = member_text(c, "FunctionName");
    if (!name) name = member_text(c, "LayerName");
    if (!name || !*name) name = "function";
    const char *tag = strstr(name, "function:");
    if (!tag) tag = strstr(name, "layer:");
    if (tag) name = strchr(tag, ':') + 1;
    size_t len = strcspn(name, ":");
    char *path =
        len ? xasprintf("fileb://%.*s.zip", (int)len, name) : xstrdup("fileb://function.zip");
    buf_puts(&c->out, " --zip-file ");
    put_word(&c->out, path);
    free(path);
}

static bool zip_hoisted(aws_op op, const char *name) {
    for (size_t i = 0; i < sizeof zip_hoists / sizeof *zip_hoists; i++)
        if (zip_hoists[i].op == op && strcmp(zip_hoists[i].member, name) == 0) return true;
    return false;
}

/* Code {ZipFile, ...}: --zip-file for the archive, the rest as the member. */
static void put_hoisted(ctx *c, const char *opt, const cJSON *v) {
    if (!cJSON_IsObject(v) || !cJSON_GetObjectItemCaseSensitive(v, "ZipFile")) {
        put_opt_json(c, opt, v);
        return;
    }
    put_zip(c);
    cJSON *rest = cJSON_Duplicate(v, 1);
    cJSON_DeleteItemFromObjectCaseSensitive(rest, "ZipFile");
    if (rest->child) put_opt_json(c, opt, rest);
    cJSON_Delete(rest);
}

/* A blob member of the body: an archive is a file; a payload is given
 * inline, raw. */
static void put_blob(ctx *c, const member *m, const char *opt, const cJSON *v) {
    if (strcmp(m->loc, "payload") == 0) {
        put_opt_json(c, opt, v);
        buf_puts(&c->out, " --cli-binary-format raw-in-base64-out");
    } else if (strcmp(m->name, "ZipFile") == 0) {
        put_zip(c);
    } else {
        /* The bytes travel base64-encoded in the body, the form the CLI v2
         * takes for blobs by default. */
        put_scalar(c, opt, v);
    }
}

static void put_member(ctx *c, const member *m, const char *opt, const cJSON *v) {
    if (!v || cJSON_IsNull(v)) return;
    if (strcmp(m->type, "blob") == 0)
        put_blob(c, m, opt, v);
    else if (zip_hoisted(c->op, m->name))
        put_hoisted(c, opt, v);
    else if (cJSON_IsBool(v))
        put_flag(c, opt, cJSON_IsTrue(v));
    else if (cJSON_IsArray(v))
        put_list(c, opt, v);
    else if (cJSON_IsObject(v))
        put_opt_json(c, opt, v);
    else
        put_scalar(c, opt, v);
}

/* Whether text is a number the CLI parses for the type: digits for an
 * integer or long, optionally with a fraction for a double. */
static bool numeric(const char *s, bool fraction) {
    if (*s == '-') s++;
    size_t ints = strspn(s, "0123456789");
    if (!ints) return false;
    s += ints;
    if (fraction && *s == '.' && is_digit(s[1])) s += 1 + strspn(s + 1, "0123456789");
    return *s == '\0';
}

static void put_query_member(ctx *c, const member *m, const char *opt) {
    cJSON *v = query_json(c, m);
    if (!v) return;
    const char *t = m->type;
    if (strcmp(t, "boolean") == 0 && cJSON_IsString(v))
        put_flag(c, opt, str_casecmp(v->valuestring, "false") != 0);
    else if ((strcmp(t, "integer") == 0 || strcmp(t, "long") == 0) && cJSON_IsString(v) &&
             numeric(v->valuestring, false))
        put_opt(c, opt, v->valuestring);
    else if ((strcmp(t, "double") == 0 || strcmp(t, "float") == 0) && cJSON_IsString(v) &&
             numeric(v->valuestring, true))
        put_opt(c, opt, v->valuestring);
    else
        put_member(c, m, opt, v);
    cJSON_Delete(v);
}

static void put_input(ctx *c, const member *m) {
    char *opt = aws_cli_option(c->op, m->name);
    if (strcmp(m->loc, "uri") == 0) {
        const char *v = uri_value(c, m->wire);
        if (v) put_opt(c, opt, v);
    } else if (strcmp(m->loc, "querystring") == 0) {
        put_query_member(c, m, opt);
    } else if (strcmp(m->loc, "body") == 0) {
        put_member(c, m, opt, cJSON_GetObjectItemCaseSensitive(c->body, m->wire));
    } else if (strcmp(m->loc, "payload") == 0) {
        put_member(c, m, opt, c->body);
    }
    /* header members: the client's headers are not passed here. */
    free(opt);
}

static bool writes_outfile(aws_op op) {
    for (size_t i = 0; i < sizeof outfile_ops / sizeof *outfile_ops; i++)
        if (outfile_ops[i] == op) return true;
    return false;
}

char *aws_cli_command(aws_op op, const char *const *params, size_t nparams, const char *query,
                      const cJSON *body) {
    const aws_op_info *info = aws_op_get(op);
    if (!info) return xstrdup("aws");
    ctx c = {.op = op, .params = params, .nparams = nparams, .body = body, .out = BUF_INIT};
    parse_query(&c, query);
    char *name = aws_cli_kebab(info->name);
    buf_printf(&c.out, "aws %s %s", aws_service_name(info->service), name);
    free(name);
    for (size_t i = 0; i < sizeof members / sizeof *members; i++)
        if (members[i].op == op) put_input(&c, &members[i]);
    if (writes_outfile(op))
        buf_puts(&c.out, op == LAMBDA_Invoke ? " response.json" : " output.bin");
    for (size_t i = 0; i < c.nq; i++) {
        free(c.q[i].key);
        free(c.q[i].value);
    }
    free(c.q);
    return buf_steal(&c.out);
}
