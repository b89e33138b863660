/* Placeholder until the data plane lands. */
#include "emulator/gateway.h"

#include "emu.h"

#include <stdlib.h>
#include <string.h>

void gateway_trace_free(gateway_trace *t) {
    free(t->log);
    t->log = NULL;
}

void gateway_handle(emulator *emu, const char *region, const char *api_id, const char *stage,
                    const http_request *req, http_response *resp, gateway_trace *trace) {
    (void)emu;
    (void)region;
    (void)api_id;
    (void)stage;
    (void)req;
    (void)trace;
    resp->status = 501;
    http_response_set_body(resp, "{\"message\":\"Not implemented\"}", 29);
}

bool gateway_route(emulator *emu, const http_request *req, http_response *resp, gateway_trace *trace) {
    (void)emu;
    (void)req;
    (void)resp;
    (void)trace;
    return false;
}

void gateway_state_free(struct gateway_state *gw) { free(gw); }
