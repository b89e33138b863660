/* Placeholder until TestInvokeMethod lands. */
#include "emu.h"

const emu_route apigw_test_routes[] = {
    {OP__COUNT, NULL},
};
