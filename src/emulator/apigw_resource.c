#include "emu.h"

const emu_route apigw_resource_routes[] = {
    {OP__COUNT, NULL},
};
