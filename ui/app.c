#include "ui/app.h"

#include <stdio.h>

int ui_run(client *cl, const ui_opts *o) {
    (void)cl;
    fprintf(stderr, "console not built yet (%s)\n", o->backend);
    return 1;
}
