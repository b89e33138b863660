#include "server/server.h"

int server_run(emulator *emu, const char *host, int port, err *e) {
    (void)emu; (void)host; (void)port;
    return err_set(e, 0, "", "serve is not built yet");
}
