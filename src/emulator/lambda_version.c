#include "emu.h"

const emu_route lambda_version_routes[] = {
    {OP__COUNT, NULL},
};
