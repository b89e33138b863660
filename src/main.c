/* apigw-console: arguments → mode (console, serve) and backend. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/client.h"
#include "core/mem.h"
#include "core/paths.h"
#include "emulator/emulator.h"
#include "server/server.h"
#include "transport/local.h"
#include "ui/app.h"

#define VERSION "0.1.0"

static void usage(FILE *f) {
    fputs("Usage: apigw-console [OPTIONS]             open the console\n"
          "       apigw-console serve [OPTIONS]       serve the emulator over HTTP\n"
          "\n"
          "The console manages API Gateway REST APIs and Lambda functions. Without\n"
          "--aws it works offline, on the embedded emulator, whose state is kept in a\n"
          "file between runs.\n"
          "\n"
          "Options:\n"
          "  --state FILE       emulator state file (default: $APIGW_CONSOLE_STATE, else\n"
          "                     $XDG_STATE_HOME/apigw-console/state.json, else\n"
          "                     ~/.local/state/apigw-console/state.json)\n"
          "  --region R         region (default: us-west-2)\n"
          "  --account-id ID    the emulator's account id (default: 123456789012)\n"
          "  -h, --help         show this help\n"
          "  -V, --version      show the version\n"
          "\n"
          "serve options:\n"
          "  --host H           address to listen on (default: 127.0.0.1)\n"
          "  --port P           port (default: 4566; 0 picks a free one)\n"
          "\n"
          "Example: apigw-console serve --port 4566 &\n"
          "         aws --endpoint-url http://127.0.0.1:4566 apigateway get-rest-apis\n",
          f);
}

typedef struct opts {
    const char *state, *region, *account, *host;
    int port;
    const char *mode;
} opts;

static int parse(int argc, char **argv, opts *o) {
    enum { O_STATE = 256, O_REGION, O_ACCOUNT, O_HOST, O_PORT };
    static const struct option longopts[] = {
        {"state", required_argument, 0, O_STATE},   {"region", required_argument, 0, O_REGION},
        {"account-id", required_argument, 0, O_ACCOUNT}, {"host", required_argument, 0, O_HOST},
        {"port", required_argument, 0, O_PORT},     {"help", no_argument, 0, 'h'},
        {"version", no_argument, 0, 'V'},           {0, 0, 0, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
        switch (c) {
        case O_STATE: o->state = optarg; break;
        case O_REGION: o->region = optarg; break;
        case O_ACCOUNT: o->account = optarg; break;
        case O_HOST: o->host = optarg; break;
        case O_PORT: {
            char *end;
            long p = strtol(optarg, &end, 10);
            if (*end || p < 0 || p > 65535) {
                fprintf(stderr, "apigw-console: --port wants a number from 0 to 65535, not '%s'\n",
                        optarg);
                return 2;
            }
            o->port = (int)p;
            break;
        }
        case 'h': usage(stdout); exit(0);
        case 'V': printf("apigw-console " VERSION "\n"); exit(0);
        default: fputs("Try 'apigw-console --help'.\n", stderr); return 2;
        }
    }
    if (optind < argc) o->mode = argv[optind++];
    if (optind < argc) {
        fprintf(stderr, "apigw-console: unexpected argument '%s'\n", argv[optind]);
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

int main(int argc, char **argv) {
    opts o = {.region = "us-west-2", .account = "123456789012", .host = "127.0.0.1", .port = 4566};
    int rc = parse(argc, argv, &o);
    if (rc) return rc;
    if (o.mode && strcmp(o.mode, "serve") != 0) {
        fprintf(stderr, "apigw-console: unknown command '%s'. Try 'apigw-console --help'.\n", o.mode);
        return 2;
    }
    if (!valid_account(o.account)) {
        fprintf(stderr, "apigw-console: --account-id wants 12 digits, not '%s'\n", o.account);
        return 2;
    }
    char *path = paths_state_file(o.state);
    if (!path) {
        fputs("apigw-console: cannot find a home directory for the state file; pass --state FILE\n",
              stderr);
        return 1;
    }
    err e;
    store *st = store_open(path, &e);
    if (!st) {
        fprintf(stderr, "apigw-console: %s\n", e.msg);
        free(path);
        return 1;
    }
    emulator_opts eo = {.account_id = o.account, .default_region = o.region};
    emulator *emu = emulator_new(st, &eo);

    if (o.mode) {
        rc = server_run(emu, o.host, o.port, &e) == 0 ? 0 : 1;
        if (rc) fprintf(stderr, "apigw-console: %s\n", e.msg);
    } else {
        transport *t = local_transport_new(emu);
        client *cl = client_new(t, o.region);
        char *backend = xasprintf("emulator %s · %s", path, o.region);
        ui_opts uo = {.backend = backend};
        rc = ui_run(cl, &uo);
        free(backend);
        client_free(cl);
        transport_destroy(t);
    }
    emulator_free(emu);
    store_close(st);
    free(path);
    return rc;
}
