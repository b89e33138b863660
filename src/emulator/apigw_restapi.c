#include "emu.h"

const emu_route apigw_restapi_routes[] = {
    {OP__COUNT, NULL},
};
