#ifndef SERVER_SERVER_H
#define SERVER_SERVER_H
/* `apigw-console serve`: the emulator over HTTP (libmicrohttpd), for the
 * AWS CLI, SDKs, curl and browsers. */
#include "core/err.h"
#include "emulator/emulator.h"

typedef struct server server;

/* Start listening on host:port (port 0: any free port). */
server *server_start(emulator *emu, const char *host, int port, err *e);
/* The port actually bound. */
int server_port(const server *s);
void server_stop(server *s);

/* Serve until SIGINT or SIGTERM; prints the address on stdout. */
int server_run(emulator *emu, const char *host, int port, err *e);

#endif
