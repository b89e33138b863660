#include "emu.h"

const emu_route lambda_function_routes[] = {
    {OP__COUNT, NULL},
};
