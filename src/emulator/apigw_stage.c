#include "emu.h"

const emu_route apigw_stage_routes[] = {
    {OP__COUNT, NULL},
};
