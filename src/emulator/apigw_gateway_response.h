#ifndef EMULATOR_APIGW_GATEWAY_RESPONSE_H
#define EMULATOR_APIGW_GATEWAY_RESPONSE_H
/* Private to src/emulator/: gateway responses as the control plane stores
 * them (apigw_gateway_response.c) and as the data plane applies them to
 * the errors the gateway answers itself (gateway_resp.c).
 *
 * A type never customized is AWS's default for it, unless the API
 * customized DEFAULT_4XX (or DEFAULT_5XX for the 5XX types): then it takes
 * that one's status code, parameters and templates. */
#include <stdbool.h>

#include "emu.h"

/* The body template AWS gives every gateway response by default. */
#define APIGW_GR_TEMPLATE "{\"message\":$context.error.messageString}"

/* Whether type is one of AWS's response types. */
bool apigw_gr_known(const char *type);
/* The type's default status code ("403"); NULL for DEFAULT_4XX/5XX. */
const char *apigw_gr_default_status(const char *type);

/* What applies to a response type, read from an API's stored
 * customizations (the "gatewayResponses" object, may be NULL). */
typedef struct apigw_gr {
    const char *status;     /* a status code the customization sets, or NULL */
    const cJSON *params;    /* its responseParameters, or NULL */
    const cJSON *templates; /* its responseTemplates, or NULL (the default) */
    bool own;               /* the type itself is customized */
    bool customized;        /* it, or the DEFAULT_4XX/5XX it falls back on */
} apigw_gr;

void apigw_gr_resolve(const cJSON *stored, const char *type, apigw_gr *out);

/* The customizations a deployment serves: the ones it froze, else the
 * API's (a deployment without a frozen copy was made after the last
 * change, see apigw_gateway_response.c). api is the per-API object. */
const cJSON *apigw_gr_deployed(const cJSON *api, const cJSON *deployment);

#endif
