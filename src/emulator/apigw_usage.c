#include "emu.h"

const emu_route apigw_usage_routes[] = {
    {OP__COUNT, NULL},
};
