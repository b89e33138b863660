/* STS GetCallerIdentity over the query protocol (see client/sts.h). */
#include "client/sts.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/mem.h"

#define STS_BODY "Action=GetCallerIdentity&Version=2011-06-15"

/* --- a tiny XML reader ------------------------------------------------------ */

/* UTF-8 of code point cp; invalid ones (surrogates, past U+10FFFF, NUL)
 * become U+FFFD. */
static void put_utf8(buf *b, unsigned long cp) {
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    char o[4];
    size_t n;
    if (cp < 0x80) {
        o[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        o[0] = (char)(0xF0 | (cp >> 18));
        o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    buf_add(b, o, n);
}

/* The entity at s (just after '&', up to and including ';' at s[n-1]) into
 * b; false when it is not one we know (it is then kept as it is). */
static bool put_entity(buf *b, const char *s, size_t n) {
    static const struct {
        const char *name;
        char c;
    } named[] = {{"amp;", '&'}, {"lt;", '<'}, {"gt;", '>'}, {"quot;", '"'}, {"apos;", '\''}};
    for (size_t i = 0; i < sizeof named / sizeof *named; i++) {
        if (n == strlen(named[i].name) && memcmp(s, named[i].name, n) == 0) {
            buf_putc(b, named[i].c);
            return true;
        }
    }
    if (n < 3 || s[0] != '#') return false;
    bool hex = s[1] == 'x' || s[1] == 'X';
    char *end;
    char num[16];
    size_t digits = n - 2 - (hex ? 1 : 0);
    if (digits == 0 || digits >= sizeof num) return false;
    memcpy(num, s + 1 + (hex ? 1 : 0), digits);
    num[digits] = '\0';
    unsigned long cp = strtoul(num, &end, hex ? 16 : 10);
    if (*end || num[0] == '-' || num[0] == '+') return false;
    put_utf8(b, cp);
    return true;
}

static char *unescape(const char *s, size_t n) {
    buf b = BUF_INIT;
    buf_reserve(&b, n);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '&') {
            const char *semi = memchr(s + i + 1, ';', n - i - 1);
            size_t elen = semi ? (size_t)(semi - (s + i)) : 0; /* after '&', through ';' */
            if (semi && elen <= 12 && put_entity(&b, s + i + 1, elen)) {
                i += elen;
                continue;
            }
        }
        buf_putc(&b, s[i]);
    }
    return b.data ? buf_steal(&b) : xstrdup("");
}

/* Where the start tag <tag ...> of the first element named tag begins, and
 * where its content starts; NULL when there is none. *empty: <tag/>. */
static const char *find_start(const char *xml, const char *end, const char *tag, const char **body,
                              bool *empty) {
    size_t tl = strlen(tag);
    for (const char *p = xml; p && p < end; p++) {
        p = memchr(p, '<', (size_t)(end - p));
        if (!p || (size_t)(end - p) < tl + 2) return NULL;
        if (memcmp(p + 1, tag, tl) != 0) continue;
        char after = p[1 + tl];
        if (after != '>' && after != '/' && after != ' ' && after != '\t' && after != '\n' &&
            after != '\r')
            continue;
        const char *gt = memchr(p + 1 + tl, '>', (size_t)(end - (p + 1 + tl)));
        if (!gt) return NULL;
        *empty = gt[-1] == '/';
        *body = gt + 1;
        return p;
    }
    return NULL;
}

char *sts_xml_text(const char *xml, size_t len, const char *tag) {
    if (!xml || !tag || !*tag) return NULL;
    const char *end = xml + len, *body;
    bool empty = false;
    if (!find_start(xml, end, tag, &body, &empty)) return NULL;
    if (empty) return xstrdup("");
    char *close = xasprintf("</%s>", tag);
    const char *stop = memmem(body, (size_t)(end - body), close, strlen(close));
    free(close);
    return stop ? unescape(body, (size_t)(stop - body)) : NULL;
}

/* --- the answer ---------------------------------------------------------------- */

static char *resp_text(const http_response *r, const char *tag) {
    return sts_xml_text(r->body, r->body_len, tag);
}

/* An error answer: STS's <ErrorResponse>, or, from an endpoint that does
 * not speak STS, a JSON error of the AWS kind. */
static int error_of(const http_response *r, err *e) {
    char *code = resp_text(r, "Code"), *msg = resp_text(r, "Message");
    cJSON *j = NULL;
    if (!code || !msg) {
        err pe;
        j = r->body_len ? json_parse(r->body, r->body_len, &pe) : NULL;
    }
    const char *type = http_headers_get(&r->headers, "x-amzn-ErrorType");
    char c[64] = "";
    if (code)
        snprintf(c, sizeof c, "%s", code);
    else if (type)
        snprintf(c, sizeof c, "%.*s", (int)strcspn(type, ":"), type);
    const char *m = msg                      ? msg
                    : json_str(j, "message") ? json_str(j, "message")
                                             : json_str(j, "Message");
    if (m)
        err_set(e, r->status, c, "%s", m);
    else if (r->body_len)
        err_set(e, r->status, c, "HTTP %d: %.200s", r->status, r->body);
    else
        err_set(e, r->status, c, "HTTP %d with no body", r->status);
    cJSON_Delete(j);
    free(code);
    free(msg);
    return -1;
}

int sts_parse_identity(const http_response *resp, cJSON **out, err *e) {
    *out = NULL;
    if (resp->status < 200 || resp->status > 299) return error_of(resp, e);
    static const char *const members[] = {"Account", "Arn", "UserId"};
    cJSON *who = cJSON_CreateObject();
    for (size_t i = 0; i < sizeof members / sizeof *members; i++) {
        char *v = resp_text(resp, members[i]);
        if (!v && i == 0) {
            cJSON_Delete(who);
            return err_set(e, resp->status, "MalformedResponse",
                           "the GetCallerIdentity answer holds no Account");
        }
        cJSON_AddStringToObject(who, members[i], v ? v : "");
        free(v);
    }
    *out = who;
    return 0;
}

/* --- the call ------------------------------------------------------------------- */

typedef struct sts_call {
    client_done_fn done;
    void *ud;
} sts_call;

static void on_identity(void *ud, const http_response *resp, const err *terr) {
    sts_call *k = ud;
    if (!resp) {
        err e;
        if (terr)
            e = *terr;
        else
            err_set(&e, 0, "", "the request got no response");
        k->done(k->ud, NULL, &e);
        free(k);
        return;
    }
    cJSON *who;
    err e;
    if (sts_parse_identity(resp, &who, &e) != 0)
        k->done(k->ud, NULL, &e);
    else
        k->done(k->ud, who, NULL);
    cJSON_Delete(who);
    free(k);
}

void *sts_get_caller_identity(client *c, client_done_fn done, void *ud) {
    http_request *req = http_request_new("POST", "/");
    req->service = xstrdup("sts");
    req->region = xstrdup(client_region(c));
    http_headers_add(&req->headers, "Content-Type",
                     "application/x-www-form-urlencoded; charset=utf-8");
    http_request_set_body(req, STS_BODY, strlen(STS_BODY));
    sts_call *k = xcalloc(1, sizeof *k);
    k->done = done;
    k->ud = ud;
    transport_submit(client_transport(c), req, on_identity, k);
    return ud;
}

int sts_get_caller_identity_sync(client *c, cJSON **out, err *e) {
    client_sync s = {0};
    return client_sync_wait(c, sts_get_caller_identity(c, client_sync_done, &s), out, e);
}
