/* `apigw-console invoke`: arguments, the API and stages, sending (see
 * cli/invoke.h; the output is in invoke_format.c). */
#include "cli/invoke.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client/apigw.h"
#include "client/raw.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/text.h"
#include "invoke_int.h"
#include "transport/credentials.h"
#include "transport/local.h"

/* --- arguments ------------------------------------------------------------ */

void invoke_usage(FILE *f) {
    fputs("Usage: apigw-console invoke [OPTIONS] METHOD PATH\n"
          "\n"
          "Send one request to the data plane of a REST API, once per stage, and show\n"
          "what each stage answered: status, latency, the Lambda function, alias and\n"
          "version that served it, cache hit or miss, throttle and quota left, headers\n"
          "and body. PATH is the resource path, with its query: /items/1?verbose=true.\n"
          "\n"
          "Options:\n"
          "  --api NAME_OR_ID   the REST API (default: the region's only API)\n"
          "  --stage S          a stage to call; repeat for several, in that order\n"
          "                     (the same stage twice shows a cache miss, then a hit)\n"
          "  --all-stages       every stage of the API (the default)\n"
          "  -H 'Name: value'   a request header (repeatable), e.g. -H 'x-api-key: KEY'\n"
          "  -d BODY, -d @FILE  the request body, or a file's content (@- reads standard\n"
          "                     input); Content-Type is application/json unless -H says\n"
          "  --json             print one JSON document: {\"stages\":[...]}\n"
          "  --log              print each stage's execution log too\n"
          "  --undeployed       run the API's current configuration, deployed or not:\n"
          "                     TestInvokeMethod on the method PATH reaches, once per\n"
          "                     stage and all at once, with that stage's variables\n"
          "                     (no API key, throttle, quota or cache, as the\n"
          "                     console's Test button); --log shows each run's log\n"
          "  --state FILE       emulator state file (as for the console); offline only\n"
          "  --region R         region (default: us-west-2)\n"
          "  --account-id ID    the emulator's account id (default: 123456789012);\n"
          "                     offline only: refused with --aws, --profile or\n"
          "                     --endpoint-url, as --state is\n"
          "  --aws              call the stages on AWS, all at once, with the credentials\n"
          "                     and region the AWS CLI would use; what only the data\n"
          "                     plane knows (Lambda, cache, throttle, quota) is unknown\n"
          "  --profile P        the AWS profile to use (implies --aws)\n"
          "  --endpoint-url URL an AWS-compatible endpoint instead of AWS, invoked as\n"
          "                     URL/restapis/ID/STAGE/_user_request_/PATH (implies --aws)\n"
          "  -h, --help         show this help\n"
          "\n"
          "Exit status: 0 when every stage answered 2xx, 1 otherwise, 2 on a usage\n"
          "error.\n"
          "\n"
          "Example: apigw-console invoke --api ItemsAPI -H 'x-api-key: KEY' GET /items/1\n",
          f);
}

void invoke_args_free(invoke_args *a) {
    cli_common_free(&a->common);
    free(a->api);
    for (size_t i = 0; i < a->nstages; i++)
        free(a->stages[i]);
    free(a->stages);
    http_headers_free(&a->headers);
    free(a->data);
    free(a->method);
    free(a->path);
    free(a->query);
    memset(a, 0, sizeof *a);
}

/* "Name: value" → a header; the value's surrounding blanks are dropped. */
static int add_header(invoke_args *a, const char *arg, err *e) {
    const char *colon = strchr(arg, ':');
    size_t nlen = colon ? (size_t)(colon - arg) : 0;
    if (!colon || nlen == 0 || strcspn(arg, " \t") < nlen)
        return err_set(e, 0, "", "-H wants 'Name: value', not '%s'", arg);
    for (const char *p = arg; *p; p++)
        if ((unsigned char)*p < 0x20 && *p != '\t')
            return err_set(e, 0, "", "-H: a header cannot hold control characters");
    const char *v = colon + 1;
    while (*v == ' ' || *v == '\t')
        v++;
    size_t vlen = strlen(v);
    while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
        vlen--;
    char *name = xstrndup(arg, nlen), *value = xstrndup(v, vlen);
    http_headers_add(&a->headers, name, value);
    free(name);
    free(value);
    return 0;
}

static int set_method(invoke_args *a, const char *m, err *e) {
    size_t n = strlen(m);
    if (n == 0 || n > 16) return err_set(e, 0, "", "'%s' is not an HTTP method", m);
    char *up = xstrdup(m);
    for (size_t i = 0; i < n; i++) {
        if (!isalpha((unsigned char)up[i])) {
            free(up);
            return err_set(e, 0, "", "'%s' is not an HTTP method", m);
        }
        up[i] = (char)toupper((unsigned char)up[i]);
    }
    a->method = up;
    return 0;
}

/* Characters a path or query may carry as they are; the rest is
 * percent-encoded (spaces, non-ASCII, control characters). */
static bool keep_in_url(unsigned char c, bool query) {
    if (isalnum(c) || strchr("-._~!$&'()*+,;=:@/%", c)) return c != 0;
    return query && c == '?';
}

static char *encode_part(const char *s, size_t n, bool query) {
    buf b = BUF_INIT;
    buf_reserve(&b, n);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (keep_in_url(c, query))
            buf_putc(&b, (char)c);
        else
            buf_printf(&b, "%%%02X", c);
    }
    return buf_steal(&b);
}

static int set_path(invoke_args *a, const char *p, err *e) {
    if (p[0] != '/')
        return err_set(e, 0, "",
                       "PATH must start with '/' (the resource path, e.g. /items), not '%s'", p);
    size_t n = strcspn(p, "?");
    a->path = encode_part(p, n, false);
    if (p[n] == '?' && p[n + 1]) a->query = encode_part(p + n + 1, strlen(p + n + 1), true);
    return 0;
}

static int check_positionals(invoke_args *a, int argc, char **argv, int first, err *e) {
    int n = argc - first;
    if (n < 2) return err_set(e, 0, "", "invoke wants METHOD and PATH, e.g. GET /items");
    if (n > 2) return err_set(e, 0, "", "unexpected argument '%s'", argv[first + 2]);
    if (set_method(a, argv[first], e) != 0) return -1;
    return set_path(a, argv[first + 1], e);
}

int invoke_parse(int argc, char **argv, invoke_args *a, err *e) {
    enum { O_API = 256, O_STAGE, O_ALL, O_JSON, O_LOG, O_UNDEPLOYED };
    static const struct option longopts[] = {
        CLI_COMMON_OPTIONS,
        {"api", required_argument, 0, O_API},
        {"stage", required_argument, 0, O_STAGE},
        {"all-stages", no_argument, 0, O_ALL},
        {"header", required_argument, 0, 'H'},
        {"data", required_argument, 0, 'd'},
        {"json", no_argument, 0, O_JSON},
        {"log", no_argument, 0, O_LOG},
        {"undeployed", no_argument, 0, O_UNDEPLOYED},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    memset(a, 0, sizeof *a);
    err_clear(e);
    cli_getopt_begin();
    int c;
    while ((c = getopt_long(argc, argv, ":hH:d:", longopts, NULL)) != -1) {
        if (cli_common_take(&a->common, c, optarg)) continue;
        switch (c) {
        case O_API: cli_set_str(&a->api, optarg); break;
        case O_STAGE:
            a->stages = xrealloc(a->stages, (a->nstages + 1) * sizeof *a->stages);
            a->stages[a->nstages++] = xstrdup(optarg);
            break;
        case O_ALL: a->all_stages = true; break;
        case O_JSON: a->json = true; break;
        case O_LOG: a->log = true; break;
        case O_UNDEPLOYED: a->undeployed = true; break;
        case 'H':
            if (add_header(a, optarg, e) != 0) return -1;
            break;
        case 'd':
            if (a->data) return err_set(e, 0, "", "-d is given twice; there is one body");
            a->data = xstrdup(optarg);
            break;
        case 'h': a->help = true; return 0;
        default: return cli_getopt_fail(c, argv, e);
        }
    }
    if (a->all_stages && a->nstages)
        return err_set(e, 0, "", "--stage and --all-stages exclude each other");
    return check_positionals(a, argc, argv, optind, e);
}

/* --- the body --------------------------------------------------------------- */

static int read_all(FILE *f, buf *b) {
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_add(b, chunk, n);
    return ferror(f) ? -1 : 0;
}

int invoke_body(const invoke_args *a, char **body, size_t *len, err *e) {
    *body = NULL;
    *len = 0;
    if (!a->data) return 0;
    if (a->data[0] != '@') {
        *len = strlen(a->data);
        *body = xstrdup(a->data);
        return 0;
    }
    const char *name = a->data + 1;
    bool stdin_ = strcmp(name, "-") == 0;
    FILE *f = stdin_ ? stdin : fopen(name, "rb");
    if (!f) return err_set(e, 0, "", "-d @%s: %s", name, strerror(errno));
    buf b = BUF_INIT;
    int rc = read_all(f, &b);
    int saved = errno;
    if (!stdin_) fclose(f);
    if (rc != 0) {
        buf_free(&b);
        return err_set(e, 0, "", "-d @%s: %s", name, strerror(saved));
    }
    *len = b.len;
    *body = b.data ? buf_steal(&b) : xstrdup("");
    return 0;
}

/* --- resolving -------------------------------------------------------------- */

static void list_ids(buf *b, const cJSON *apis, const char *name) {
    const cJSON *it;
    const char *sep = "";
    cJSON_ArrayForEach(it, apis) {
        if (name && strcmp(json_str_or(it, "name", ""), name) != 0) continue;
        if (name)
            buf_printf(b, "%s%s", sep, json_str_or(it, "id", "?"));
        else
            buf_printf(b, "%s%s (%s)", sep, json_str_or(it, "name", "?"),
                       json_str_or(it, "id", "?"));
        sep = ", ";
    }
}

static int only_api(const cJSON *apis, const char **id, err *e) {
    int n = cJSON_GetArraySize(apis);
    if (n == 1) {
        *id = json_str(cJSON_GetArrayItem(apis, 0), "id");
        return *id ? 0 : err_set(e, 0, "", "the REST API has no id");
    }
    if (n == 0) return err_set(e, 0, "", "there is no REST API in this region");
    buf b = BUF_INIT;
    list_ids(&b, apis, NULL);
    err_set(e, 0, "", "there are %d REST APIs; pick one with --api NAME_OR_ID: %s", n, b.data);
    buf_free(&b);
    return -1;
}

int invoke_pick_api(const cJSON *apis, const char *want, const char **id, err *e) {
    *id = NULL;
    if (!want) return only_api(apis, id, e);
    const cJSON *it, *named = NULL;
    int nnamed = 0;
    cJSON_ArrayForEach(it, apis) {
        const char *iid = json_str(it, "id");
        if (iid && strcmp(iid, want) == 0) {
            *id = iid;
            return 0;
        }
        if (strcmp(json_str_or(it, "name", ""), want) == 0) {
            named = it;
            nnamed++;
        }
    }
    if (nnamed == 1) {
        *id = json_str(named, "id");
        return 0;
    }
    if (nnamed == 0) return err_set(e, 0, "", "no REST API has the id or name '%s'", want);
    buf b = BUF_INIT;
    list_ids(&b, apis, want);
    err_set(e, 0, "", "%d REST APIs are named '%s'; pick one by id with --api: %s", nnamed, want,
            b.data);
    buf_free(&b);
    return -1;
}

static const cJSON *find_stage(const cJSON *stages, const char *name) {
    return json_find(stages, "stageName", name);
}

static void stage_names(buf *b, const cJSON *stages) {
    const cJSON *it;
    const char *sep = "";
    cJSON_ArrayForEach(it, stages) {
        buf_printf(b, "%s%s", sep, json_str_or(it, "stageName", "?"));
        sep = ", ";
    }
}

int invoke_pick_stages(const cJSON *stages, char *const *want, size_t nwant, char ***names,
                       size_t *n, err *e) {
    *names = NULL;
    *n = 0;
    int have = cJSON_GetArraySize(stages);
    if (have == 0)
        return err_set(e, 0, "", "the API has no stages yet: deploy it to a stage first");
    for (size_t i = 0; i < nwant; i++) {
        if (find_stage(stages, want[i])) continue;
        buf b = BUF_INIT;
        stage_names(&b, stages);
        err_set(e, 0, "", "the API has no stage '%s' (its stages: %s)", want[i], b.data);
        buf_free(&b);
        return -1;
    }
    size_t count = nwant ? nwant : (size_t)have;
    char **out = xcalloc(count, sizeof *out);
    if (nwant) {
        for (size_t i = 0; i < nwant; i++)
            out[i] = xstrdup(want[i]);
    } else {
        size_t i = 0;
        const cJSON *it;
        cJSON_ArrayForEach(it, stages) out[i++] = xstrdup(json_str_or(it, "stageName", ""));
    }
    *names = out;
    *n = count;
    return 0;
}

int invoke_lookup(client *cl, const invoke_args *a, char **api_id, char ***names, size_t *n,
                  err *e) {
    cJSON *stages = NULL;
    int rc = invoke_lookup_stages(cl, a, api_id, names, n, &stages, e);
    cJSON_Delete(stages);
    return rc;
}

int invoke_lookup_stages(client *cl, const invoke_args *a, char **api_id, char ***names,
                         size_t *n, cJSON **stages_out, err *e) {
    *api_id = NULL;
    *stages_out = NULL;
    cJSON *apis = NULL, *stages = NULL;
    client_sync s = {0};
    client_list_all(cl, APIGW_GetRestApis, NULL, 0, NULL, client_sync_done, &s);
    if (client_sync_wait(cl, &s, &apis, e) != 0) return -1;
    const char *id = NULL;
    int rc = cJSON_GetArraySize(apis) == 0
                 ? err_set(e, 0, "", "there is no REST API in %s", client_region(cl))
                 : invoke_pick_api(apis, a->api, &id, e);
    if (rc == 0) {
        *api_id = xstrdup(id);
        rc = CLIENT_SYNC(cl, &stages, e, apigw_get_stages, *api_id, NULL);
    }
    if (rc == 0)
        rc = invoke_pick_stages(json_arr(stages, "item"), a->stages, a->nstages, names, n, e);
    if (rc != 0) {
        free(*api_id);
        *api_id = NULL;
        cJSON_Delete(stages);
    } else {
        *stages_out = cJSON_DetachItemFromObjectCaseSensitive(stages, "item");
        if (!*stages_out) *stages_out = cJSON_CreateArray();
        cJSON_Delete(stages);
    }
    cJSON_Delete(apis);
    return rc;
}

/* --- sending ---------------------------------------------------------------- */

void invoke_results_free(invoke_result *r, size_t n) {
    if (!r) return;
    for (size_t i = 0; i < n; i++) {
        free(r[i].stage);
        gateway_trace_free(&r[i].trace);
        http_response_free(&r[i].resp);
    }
    free(r);
}

int invoke_send_emulator(void *ctx, const char *api_id, const char *stage, const http_request *req,
                         http_response *resp, gateway_trace *trace, err *e) {
    (void)e;
    const char *region = req->region && *req->region ? req->region : "us-west-2";
    gateway_handle(ctx, region, api_id, stage, req, resp, trace);
    return 1;
}

int invoke_send_client(void *ctx, const char *api_id, const char *stage, const http_request *req,
                       http_response *resp, gateway_trace *trace, err *e) {
    (void)trace;
    http_request *r = client_execute_api_request(api_id, stage, req->method, req->path, req->query);
    for (size_t i = 0; i < req->headers.n; i++)
        http_headers_add(&r->headers, req->headers.v[i].name, req->headers.v[i].value);
    if (req->body) http_request_set_body(r, req->body, req->body_len);
    if (req->region) r->region = xstrdup(req->region);
    http_response got;
    if (client_raw_sync(ctx, r, &got, e) != 0) {
        http_response_free(&got);
        return -1;
    }
    http_response_move(resp, &got);
    return 0;
}

http_request *invoke_request(const invoke_args *a, const char *body, size_t len) {
    http_request *req = http_request_new(a->method, a->path);
    free(req->query);
    req->query = a->query ? xstrdup(a->query) : NULL;
    for (size_t i = 0; i < a->headers.n; i++)
        http_headers_add(&req->headers, a->headers.v[i].name, a->headers.v[i].value);
    if (body) {
        http_request_set_body(req, body, len);
        if (!http_headers_get(&req->headers, "Content-Type"))
            http_headers_add(&req->headers, "Content-Type", "application/json");
    }
    return req;
}

static double mono_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void invoke_result_init(invoke_result *x, const char *stage) {
    x->stage = xstrdup(stage);
    x->trace.throttle_remaining = x->trace.quota_remaining = -1;
    http_response_init(&x->resp);
}

invoke_result *invoke_send_all(invoke_send_fn send, void *ctx, const char *api_id,
                               char *const *stages, size_t n, const http_request *req) {
    invoke_result *r = xcalloc(n ? n : 1, sizeof *r);
    for (size_t i = 0; i < n; i++) {
        invoke_result *x = &r[i];
        invoke_result_init(x, stages[i]);
        err e;
        err_clear(&e);
        double t0 = mono_ms();
        int rc = send(ctx, api_id, stages[i], req, &x->resp, &x->trace, &e);
        x->latency_ms = mono_ms() - t0;
        if (rc < 0) {
            snprintf(x->error, sizeof x->error, "%s", e.msg[0] ? e.msg : "no answer");
            x->status = 0;
            continue;
        }
        x->traced = rc == 1;
        x->status = x->resp.status;
    }
    return r;
}

/* --- all stages at once, over the network ---------------------------------- */

http_request *invoke_remote_request(const char *api_id, const char *stage, const char *region,
                                    const http_request *req, bool path_style) {
    http_request *r;
    if (path_style) {
        r = client_execute_api_request(api_id, stage, req->method, req->path, req->query);
    } else {
        char *st = url_encode(stage, false);
        char *path = xasprintf("/%s%s", st, req->path);
        r = http_request_new(req->method, path);
        free(path);
        free(st);
        free(r->query);
        r->query = req->query && *req->query ? xstrdup(req->query) : NULL;
        r->service = xstrdup("execute-api");
    }
    for (size_t i = 0; i < req->headers.n; i++)
        http_headers_add(&r->headers, req->headers.v[i].name, req->headers.v[i].value);
    if (!path_style) {
        const char *suffix = strncmp(region, "cn-", 3) == 0 ? "amazonaws.com.cn" : "amazonaws.com";
        char *host = xasprintf("%s.execute-api.%s.%s", api_id, region, suffix);
        http_headers_set(&r->headers, "Host", host);
        free(host);
    }
    if (req->body) http_request_set_body(r, req->body, req->body_len);
    r->region = xstrdup(region);
    return r;
}

/* --- in flight together ------------------------------------------------------ */

invoke_result *invoke_results_new(char *const *stages, size_t n, invoke_pending **p,
                                  size_t *done) {
    invoke_result *r = xcalloc(n ? n : 1, sizeof *r);
    *p = xcalloc(n ? n : 1, sizeof **p);
    *done = 0;
    for (size_t i = 0; i < n; i++) {
        invoke_result_init(&r[i], stages[i]);
        (*p)[i] = (invoke_pending){.x = &r[i], .done = done};
    }
    return r;
}

void invoke_pending_start(invoke_pending *p) { p->t0 = mono_ms(); }

invoke_result *invoke_pending_done(invoke_pending *p) {
    p->x->latency_ms = mono_ms() - p->t0;
    (*p->done)++;
    return p->x;
}

void invoke_wait_all(client *cl, invoke_result *r, size_t n, invoke_pending *p,
                     const size_t *done) {
    transport *t = client_transport(cl);
    while (*done < n && transport_pending(t))
        transport_drain(t);
    for (size_t i = 0; i < n; i++)
        if (r[i].status == 0 && !r[i].error[0])
            snprintf(r[i].error, sizeof r[i].error, "the request was dropped by the transport");
    free(p);
}

/* The transport frees its response after the completion: keep a copy. */
static void on_stage_done(void *ud, const http_response *resp, const err *e) {
    invoke_result *x = invoke_pending_done(ud);
    if (!resp) {
        snprintf(x->error, sizeof x->error, "%s", e && e->msg[0] ? e->msg : "no answer");
        return;
    }
    x->status = resp->status;
    x->resp.status = resp->status;
    for (size_t i = 0; i < resp->headers.n; i++)
        http_headers_add(&x->resp.headers, resp->headers.v[i].name, resp->headers.v[i].value);
    if (resp->body_len) http_response_set_body(&x->resp, resp->body, resp->body_len);
}

invoke_result *invoke_send_concurrent(client *cl, const char *api_id, char *const *stages,
                                      size_t n, const http_request *req, bool path_style) {
    invoke_pending *p;
    size_t done;
    invoke_result *r = invoke_results_new(stages, n, &p, &done);
    const char *region = req->region && *req->region ? req->region : client_region(cl);
    /* Every request is on its way before any answer is waited for. */
    for (size_t i = 0; i < n; i++) {
        http_request *one = invoke_remote_request(api_id, stages[i], region, req, path_style);
        invoke_pending_start(&p[i]);
        client_raw(cl, one, on_stage_done, &p[i]);
    }
    invoke_wait_all(cl, r, n, p, &done);
    return r;
}

/* --- the whole subcommand ------------------------------------------------- */

static void print_error(FILE *errf, const err *e) {
    char *safe = text_sanitize(e->msg);
    fprintf(errf, "apigw-console invoke: %s\n", safe);
    free(safe);
}

static void free_names(char **names, size_t n) {
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* The API and stages, through the client over the local transport. The
 * transport is gone when this returns: its worker thread, which owned the
 * emulator, is joined, so the caller may use the emulator directly. */
static int lookup_locally(emulator *emu, const char *region, const invoke_args *a, char **api_id,
                          char ***names, size_t *n, err *e) {
    transport *t = local_transport_new(emu);
    client *cl = client_new(t, region);
    int rc = invoke_lookup(cl, a, api_id, names, n, e);
    client_free(cl);
    transport_destroy(t);
    return rc;
}

static void print_results(FILE *out, const invoke_args *a, const invoke_result *r, size_t n) {
    if (a->json) {
        cJSON *doc = invoke_to_json(r, n);
        char *s = json_pretty(doc);
        fprintf(out, "%s\n", s);
        free(s);
        cJSON_Delete(doc);
        return;
    }
    buf b = BUF_INIT;
    invoke_format_text(&b, r, n, a->log);
    if (b.len) fwrite(b.data, 1, b.len, out);
    buf_free(&b);
}

/* Print the results, free everything the run held, and give the exit status. */
static int report(FILE *out, const invoke_args *a, invoke_result *r, size_t n, http_request *req,
                  char **names, char *api_id, char *body) {
    print_results(out, a, r, n);
    fflush(out);
    int rc = invoke_exit_status(r, n);
    invoke_results_free(r, n);
    http_request_free(req);
    free_names(names, n);
    free(api_id);
    free(body);
    return rc;
}

/* How one run finds the API and its stages, and sends to them: offline
 * (the emulator) or over the network (the client). */
typedef struct run_backend {
    int (*lookup)(void *ctx, const invoke_args *a, char **api_id, char ***names, size_t *n,
                  err *e);
    invoke_result *(*send)(void *ctx, const char *api_id, char **names, size_t n,
                           http_request *req);
    void *ctx;
} run_backend;

/* The whole subcommand over a backend: read the body, look up the API and
 * stages, send, print. */
static int run_with(const run_backend *be, const invoke_args *a, FILE *out, FILE *errf) {
    err e;
    char *body;
    size_t len;
    if (invoke_body(a, &body, &len, &e) != 0) {
        print_error(errf, &e);
        return 2;
    }
    char *api_id = NULL, **names = NULL;
    size_t n = 0;
    if (be->lookup(be->ctx, a, &api_id, &names, &n, &e) != 0) {
        print_error(errf, &e);
        free_names(names, n);
        free(api_id);
        free(body);
        return 1;
    }
    http_request *req = invoke_request(a, body, len);
    invoke_result *r = be->send(be->ctx, api_id, names, n, req);
    return report(out, a, r, n, req, names, api_id, body);
}

/* --- the current configuration (--undeployed) ----------------------------- */

/* The resource path reaches, through GetResources with embedded methods:
 * 0 with *res (a copy: caller frees) and *method set, or -1 with e. */
static int find_resource(client *cl, const char *api_id, const invoke_args *a, cJSON **res,
                         const char **method, err *e) {
    cJSON *all = NULL;
    *res = NULL;
    if (CLIENT_SYNC(cl, &all, e, apigw_get_resources_all, api_id, true) != 0) return -1;
    const cJSON *r = invoke_match_resource(all, a->path, a->method, method);
    if (r) *res = cJSON_Duplicate(r, 1);
    cJSON_Delete(all);
    if (!r)
        return err_set(e, 0, "",
                       "no resource of the API has a %s method for %s (nor ANY), so there is "
                       "nothing to test",
                       a->method, a->path);
    return 0;
}

/* What --undeployed finds before it sends: the stages (for their
 * variables) and the resource the path reaches. */
typedef struct undeployed_ctx {
    client *cl;
    cJSON *stages, *res;
    const char *method;
} undeployed_ctx;

static int undeployed_lookup(void *ctx, const invoke_args *a, char **api_id, char ***names,
                             size_t *n, err *e) {
    undeployed_ctx *u = ctx;
    if (invoke_lookup_stages(u->cl, a, api_id, names, n, &u->stages, e) != 0) return -1;
    return find_resource(u->cl, *api_id, a, &u->res, &u->method, e);
}

static invoke_result *undeployed_send(void *ctx, const char *api_id, char **names, size_t n,
                                      http_request *req) {
    undeployed_ctx *u = ctx;
    return invoke_send_undeployed(u->cl, api_id, json_str_or(u->res, "id", ""),
                                  json_str_or(u->res, "path", "/"), u->method, names, n, u->stages,
                                  req);
}

int invoke_run_undeployed(client *cl, const invoke_args *a, FILE *out, FILE *errf) {
    undeployed_ctx ctx = {.cl = cl};
    run_backend be = {undeployed_lookup, undeployed_send, &ctx};
    int rc = run_with(&be, a, out, errf);
    cJSON_Delete(ctx.res);
    cJSON_Delete(ctx.stages);
    return rc;
}

typedef struct remote_ctx {
    client *cl;
    bool overridden; /* the invoke URL's form follows the endpoint the transport picks */
} remote_ctx;

static int remote_lookup(void *ctx, const invoke_args *a, char **api_id, char ***names, size_t *n,
                         err *e) {
    return invoke_lookup(((remote_ctx *)ctx)->cl, a, api_id, names, n, e);
}

static invoke_result *remote_send(void *ctx, const char *api_id, char **names, size_t n,
                                  http_request *req) {
    remote_ctx *rc = ctx;
    return invoke_send_concurrent(rc->cl, api_id, names, n, req, rc->overridden);
}

int invoke_run_remote(client *cl, const char *endpoint_url, const char *profile,
                      const invoke_args *a, FILE *out, FILE *errf) {
    if (a->undeployed) return invoke_run_undeployed(cl, a, out, errf);
    int overridden = 0;
    free(aws_endpoint_resolve("execute-api", client_region(cl), endpoint_url, profile,
                              &overridden));
    remote_ctx ctx = {cl, overridden != 0};
    run_backend be = {remote_lookup, remote_send, &ctx};
    return run_with(&be, a, out, errf);
}

typedef struct local_ctx {
    emulator *emu;
    const char *region;
} local_ctx;

static int local_lookup(void *ctx, const invoke_args *a, char **api_id, char ***names, size_t *n,
                        err *e) {
    local_ctx *lc = ctx;
    return lookup_locally(lc->emu, lc->region, a, api_id, names, n, e);
}

static invoke_result *local_send(void *ctx, const char *api_id, char **names, size_t n,
                                 http_request *req) {
    local_ctx *lc = ctx;
    req->region = xstrdup(lc->region);
    return invoke_send_all(invoke_send_emulator, lc->emu, api_id, names, n, req);
}

int invoke_run(emulator *emu, const char *region, const invoke_args *a, FILE *out, FILE *errf) {
    if (a->undeployed) {
        transport *t = local_transport_new(emu);
        client *cl = client_new(t, region);
        int rc = invoke_run_undeployed(cl, a, out, errf);
        client_free(cl);
        transport_destroy(t);
        return rc;
    }
    local_ctx ctx = {emu, region};
    run_backend be = {local_lookup, local_send, &ctx};
    return run_with(&be, a, out, errf);
}
