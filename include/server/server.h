#ifndef SERVER_SERVER_H
#define SERVER_SERVER_H
/* `apigw-console serve`: the emulator over HTTP (libmicrohttpd), for the
 * AWS CLI, SDKs, curl and browsers.
 *
 * One internal polling thread accepts connections, reads requests and calls
 * the handler, so the handler (the emulator, which is not thread-safe) only
 * ever runs on that one thread, one request at a time. Paths and query
 * strings reach the handler exactly as the client sent them (still
 * percent-encoded, query parameters in their order). */
#include "core/err.h"
#include "emulator/emulator.h"
#include "transport/http.h"

typedef struct server server;

/* Request bodies larger than this are refused with 413. */
#define SERVER_MAX_BODY (70u * 1024u * 1024u)

/* Answers one request: always fills resp (status, headers, body). */
typedef void (*server_handler)(void *ctx, const http_request *req, http_response *resp);

/* Start listening on host:port (port 0: any free port) and answer with the
 * emulator (emu is not owned and must outlive the server). host is a name
 * or a numeric address: 127.0.0.1, ::1, 0.0.0.0, localhost. */
server *server_start(emulator *emu, const char *host, int port, err *e);
/* The same with any handler in place of the emulator (tests, other fronts). */
server *server_start_with(server_handler fn, void *ctx, const char *host, int port, err *e);
/* The port actually bound. */
int server_port(const server *s);
/* Stop accepting, close every connection, free s (NULL is fine). */
void server_stop(server *s);

/* Serve until SIGINT or SIGTERM; prints the address on stdout. */
int server_run(emulator *emu, const char *host, int port, err *e);

#endif
