/* apigw-console: arguments → mode (console, serve, invoke, lab) and backend. */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/invoke.h"
#include "cli/lab.h"
#include "cli/opts.h"
#include "client/client.h"
#include "core/mem.h"
#include "core/paths.h"
#include "core/text.h"
#include "emulator/emulator.h"
#include "server/server.h"
#include "transport/credentials.h"
#include "transport/curl.h"
#include "transport/local.h"
#include "ui/app.h"

#define VERSION "0.1.0"

static void usage(FILE *f) {
    fputs("Usage: apigw-console [OPTIONS]             open the console\n"
          "       apigw-console serve [OPTIONS]       serve the emulator over HTTP\n"
          "       apigw-console invoke [OPTIONS] METHOD PATH\n"
          "                                           call an API's stages through the\n"
          "                                           data plane (see invoke --help)\n"
          "       apigw-console lab status|setup|cleanup|reset|steps [OPTIONS]\n"
          "                                           the lab's steps and checks (see\n"
          "                                           lab --help)\n"
          "\n"
          "The console manages API Gateway REST APIs and Lambda functions. Without\n"
          "--aws it works offline, on the embedded emulator, whose state is kept in a\n"
          "file between runs.\n"
          "\n"
          "Options:\n"
          "  --state FILE       emulator state file (default: $APIGW_CONSOLE_STATE, else\n"
          "                     $XDG_STATE_HOME/apigw-console/state.json, else\n"
          "                     ~/.local/state/apigw-console/state.json); offline only\n"
          "  --region R         region (default: us-west-2; with --aws, the AWS CLI's)\n"
          "  --account-id ID    the emulator's account id (default: 123456789012);\n"
          "                     offline only\n"
          "  --aws              open the console on AWS instead of the emulator, with\n"
          "                     the credentials and region the AWS CLI would use\n"
          "  --profile P        the AWS profile to use (implies --aws)\n"
          "  --endpoint-url URL send the requests to URL instead of AWS, signed as for\n"
          "                     AWS (implies --aws)\n"
          "  --state and --account-id are refused with --aws, --profile or\n"
          "  --endpoint-url (they describe the emulator, which AWS is not).\n"
          "  -h, --help         show this help\n"
          "  -V, --version      show the version\n"
          "\n"
          "serve options (refused elsewhere):\n"
          "  --host H           address to listen on (default: 127.0.0.1)\n"
          "  --port P           port (default: 4566; 0 picks a free one)\n"
          "\n"
          "invoke options (see 'apigw-console invoke --help'):\n"
          "  --api NAME_OR_ID, --stage S, --all-stages, -H 'Name: value', -d BODY|@FILE,\n"
          "  --json, --log, --undeployed (the current configuration through\n"
          "  TestInvokeMethod, with each stage's variables), --aws, --profile P,\n"
          "  --endpoint-url URL (all stages at once, on AWS or an AWS-compatible endpoint)\n"
          "\n"
          "Examples: apigw-console serve --port 4566 &\n"
          "          aws --endpoint-url http://127.0.0.1:4566 apigateway get-rest-apis\n"
          "          curl http://127.0.0.1:4566/restapis/API_ID/prod/_user_request_/items\n"
          "          apigw-console invoke --api ItemsAPI -H 'x-api-key: KEY' GET /items/1\n",
          f);
}

#define DEFAULT_ACCOUNT "123456789012"
#define DEFAULT_REGION "us-west-2"

typedef struct opts {
    cli_common c;  /* from every part of the line; a later value wins */
    bool aws_flag; /* --aws itself */
    const char *host;
    int port;
    bool host_given, port_given;
    const char *mode;
} opts;

/* The region requests go to offline (AWS resolves its own default). */
static const char *region_of(const opts *o) { return o->c.region ? o->c.region : DEFAULT_REGION; }

/* The options every mode takes, anywhere on the line. stop_at_word: stop at
 * the first word that is not an option (the command word). */
static int parse_common(int argc, char **argv, opts *o, bool stop_at_word) {
    enum { O_HOST = 256, O_PORT };
    static const struct option longopts[] = {
        CLI_COMMON_OPTIONS,
        {"host", required_argument, 0, O_HOST},
        {"port", required_argument, 0, O_PORT},
        {"help", no_argument, 0, 'h'},
        {"version", no_argument, 0, 'V'},
        {0, 0, 0, 0},
    };
    optind = 0; /* a fresh scan of this argv */
    int c;
    while ((c = getopt_long(argc, argv, stop_at_word ? "+hV" : "hV", longopts, NULL)) != -1) {
        if (c == CLI_O_AWS) o->aws_flag = true;
        if (cli_common_take(&o->c, c, optarg)) continue;
        switch (c) {
        case O_HOST: o->host = optarg, o->host_given = true; break;
        case O_PORT: {
            char *end;
            long p = strtol(optarg, &end, 10);
            if (*end || p < 0 || p > 65535) {
                fprintf(stderr, "apigw-console: --port wants a number from 0 to 65535, not '%s'\n",
                        optarg);
                return 2;
            }
            o->port = (int)p;
            o->port_given = true;
            break;
        }
        case 'h': usage(stdout); exit(0);
        case 'V': printf("apigw-console " VERSION "\n"); exit(0);
        default: fputs("Try 'apigw-console --help'.\n", stderr); return 2;
        }
    }
    return 0;
}

/* A subcommand's own arguments. */
typedef struct sub_args {
    invoke_args inv;
    lab_args lab;
} sub_args;

static bool is_mode(const opts *o, const char *m) { return o->mode && strcmp(o->mode, m) == 0; }

/* Options before the command word, then the command's own: invoke and lab
 * parse their words themselves (they have options of their own); the other
 * modes take the common options on either side of the word. */
static int parse(int argc, char **argv, opts *o, sub_args *sa) {
    int rc = parse_common(argc, argv, o, true);
    if (rc || optind >= argc) return rc;
    o->mode = argv[optind];
    int first = optind; /* the command word, as argv[0] of what follows */
    err e;
    if (strcmp(o->mode, "invoke") == 0) {
        if (invoke_parse(argc - first, argv + first, &sa->inv, &e) == 0) return 0;
        cli_usage_error(stderr, "invoke", &e);
        return 2;
    }
    if (strcmp(o->mode, "lab") == 0) {
        if (lab_parse(argc - first, argv + first, &sa->lab, &e) == 0) return 0;
        cli_usage_error(stderr, "lab", &e);
        return 2;
    }
    rc = parse_common(argc - first, argv + first, o, false);
    if (rc) return rc;
    if (optind < argc - first) {
        char *safe = text_sanitize(argv[first + optind]);
        fprintf(stderr, "apigw-console: unexpected argument '%s'\n", safe);
        free(safe);
        return 2;
    }
    return 0;
}

static int valid_account(const char *a) {
    if (strlen(a) != 12) return 0;
    for (const char *p = a; *p; p++)
        if (*p < '0' || *p > '9') return 0;
    return 1;
}

/* A subcommand's own options win over the ones before the command word. */
static void take_sub_opts(opts *o, const cli_common *c) {
    cli_common_merge(&o->c, c);
    if (c->aws && !c->profile && !c->endpoint_url) o->aws_flag = true;
}

static int run_lab_offline(const opts *o, emulator *emu, const char *path, const lab_args *la) {
    transport *t = local_transport_new(emu);
    client *cl = client_new(t, region_of(o));
    char *where = xasprintf("emulator %s · %s", path, region_of(o));
    lab_backend b = {.cl = cl, .emu = emu, .state_path = path, .account = emulator_account(emu),
                     .path_style = true, .where = where};
    int rc = lab_run(la, &b, stdin, stdout, stderr);
    free(where);
    client_free(cl);
    transport_destroy(t);
    return rc;
}

static int run(const opts *o, emulator *emu, const char *path, const sub_args *sa) {
    if (is_mode(o, "invoke")) return invoke_run(emu, region_of(o), &sa->inv, stdout, stderr);
    if (is_mode(o, "lab")) return run_lab_offline(o, emu, path, &sa->lab);
    if (o->mode) {
        err e;
        if (server_run(emu, o->host, o->port, &e) == 0) return 0;
        fprintf(stderr, "apigw-console: %s\n", e.msg);
        return 1;
    }
    transport *t = local_transport_new(emu);
    client *cl = client_new(t, region_of(o));
    char *backend = xasprintf("emulator %s · %s", path, region_of(o));
    /* Offline the account is the emulator's: STS is not asked (the local
     * transport reaches only the emulator's API Gateway and Lambda). */
    ui_opts uo = {.backend = backend, .offline = true, .account = emulator_account(emu)};
    int rc = ui_run(cl, &uo);
    free(backend);
    client_free(cl);
    transport_destroy(t);
    return rc;
}

static void print_err(const err *e) {
    char *safe = text_sanitize(e->msg);
    fprintf(stderr, "apigw-console: %s\n", safe);
    free(safe);
}

/* The status line: where requests go, the region and the profile. */
static char *aws_backend(const opts *o, const char *region) {
    char *s;
    if (o->c.endpoint_url) {
        s = xasprintf("endpoint %s · %s", o->c.endpoint_url, region);
    } else {
        const char *env = getenv("AWS_PROFILE");
        const char *p = o->c.profile ? o->c.profile : env && *env ? env : "default";
        s = xasprintf("aws · %s · profile %s", region, p);
    }
    char *safe = text_sanitize(s);
    free(s);
    return safe;
}

static int run_lab_aws(const opts *o, client *cl, const char *region, const lab_args *la) {
    int ov = 0;
    free(aws_endpoint_resolve("execute-api", region, o->c.endpoint_url, o->c.profile, &ov));
    char *where = aws_backend(o, region);
    lab_backend b = {.cl = cl, .path_style = ov != 0, .where = where};
    int rc = lab_run(la, &b, stdin, stdout, stderr);
    free(where);
    return rc;
}

/* --aws: the console, invoke or lab on the curl transport. Credentials are
 * looked up once first, so that a missing profile is reported plainly. */
static int run_aws(const opts *o, const sub_args *sa) {
    err e;
    char *region = aws_region_resolve(o->c.region, o->c.profile, &e);
    if (!region) {
        print_err(&e);
        return 1;
    }
    cred_chain *cc = cred_chain_new(&(cred_opts){.profile = o->c.profile});
    aws_credentials cr;
    int rc = cred_chain_get(cc, &cr, &e);
    explicit_bzero(&cr, sizeof cr);
    curl_transport_opts co = {
        .region = region, .creds = cc, .endpoint_url = o->c.endpoint_url, .profile = o->c.profile};
    transport *t = rc == 0 ? curl_transport_new(&co, &e) : NULL;
    if (!t) {
        print_err(&e);
        cred_chain_free(cc);
        free(region);
        return 1;
    }
    client *cl = client_new(t, region);
    if (is_mode(o, "invoke")) {
        rc = invoke_run_remote(cl, o->c.endpoint_url, o->c.profile, &sa->inv, stdout, stderr);
    } else if (is_mode(o, "lab")) {
        rc = run_lab_aws(o, cl, region, &sa->lab);
    } else {
        char *backend = aws_backend(o, region);
        /* Invoke URLs follow API Gateway's endpoint, wherever it was set. */
        int overridden = 0;
        char *gw = aws_endpoint_resolve("apigateway", region, o->c.endpoint_url, o->c.profile,
                                        &overridden);
        /* The account is not known up front here: STS GetCallerIdentity tells. */
        ui_opts uo = {.backend = backend, .endpoint_url = overridden ? gw : NULL};
        rc = ui_run(cl, &uo);
        free(gw);
        free(backend);
    }
    client_free(cl);
    transport_destroy(t);
    cred_chain_free(cc);
    free(region);
    return rc;
}

static int check_mode(const opts *o) {
    if (o->mode && !is_mode(o, "serve") && !is_mode(o, "invoke") && !is_mode(o, "lab")) {
        char *safe = text_sanitize(o->mode);
        fprintf(stderr, "apigw-console: unknown command '%s'. Try 'apigw-console --help'.\n", safe);
        free(safe);
        return 2;
    }
    bool serve = o->mode && strcmp(o->mode, "serve") == 0;
    if (o->c.aws && serve) {
        fputs("apigw-console: --aws, --profile and --endpoint-url are for the console, "
              "invoke and lab; serve serves the emulator\n",
              stderr);
        return 2;
    }
    if (!serve && (o->host_given || o->port_given)) {
        fprintf(stderr, "apigw-console: %s is for serve (where it listens)\n",
                o->host_given ? "--host" : "--port");
        return 2;
    }
    /* What describes the emulator means nothing to AWS: refused, not ignored. */
    if (o->c.aws && (o->c.state || o->c.account)) {
        const char *by = o->aws_flag ? "--aws" : o->c.profile ? "--profile" : "--endpoint-url";
        fprintf(stderr,
                "apigw-console: %s is for the offline emulator and cannot be used with %s\n",
                o->c.state ? "--state" : "--account-id", by);
        return 2;
    }
    if (o->c.account && !valid_account(o->c.account)) {
        char *safe = text_sanitize(o->c.account);
        fprintf(stderr, "apigw-console: --account-id wants 12 digits, not '%s'\n", safe);
        free(safe);
        return 2;
    }
    return 0;
}

static void args_free(opts *o, sub_args *sa) {
    cli_common_free(&o->c);
    invoke_args_free(&sa->inv);
    lab_args_free(&sa->lab);
}

int main(int argc, char **argv) {
    opts o = {.host = "127.0.0.1", .port = 4566};
    sub_args sa = {0};
    int rc = parse(argc, argv, &o, &sa);
    if (rc == 0 && (sa.inv.help || sa.lab.help)) {
        if (sa.inv.help) invoke_usage(stdout);
        if (sa.lab.help) lab_usage(stdout);
        args_free(&o, &sa);
        return 0;
    }
    take_sub_opts(&o, &sa.inv.common);
    take_sub_opts(&o, &sa.lab.common);
    if (rc == 0) rc = check_mode(&o);
    if (rc == 0 && o.c.aws) {
        rc = run_aws(&o, &sa);
        args_free(&o, &sa);
        return rc;
    }
    char *path = rc ? NULL : paths_state_file(o.c.state);
    if (rc == 0 && !path) {
        fputs("apigw-console: cannot find a home directory for the state file; pass --state FILE\n",
              stderr);
        rc = 1;
    }
    err e;
    store *st = path ? store_open(path, &e) : NULL;
    if (path && !st) {
        char *safe = text_sanitize(e.msg);
        fprintf(stderr, "apigw-console: %s\n", safe);
        free(safe);
        rc = 1;
    }
    if (st) {
        emulator_opts eo = {.account_id = o.c.account ? o.c.account : DEFAULT_ACCOUNT,
                            .default_region = region_of(&o)};
        emulator *emu = emulator_new(st, &eo);
        rc = run(&o, emu, path, &sa);
        emulator_free(emu);
        store_close(st);
    }
    free(path);
    args_free(&o, &sa);
    return rc;
}
