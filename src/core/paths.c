#include "core/paths.h"

#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/mem.h"

char *paths_state_file(const char *explicit_path) {
    if (explicit_path && *explicit_path) return xstrdup(explicit_path);
    const char *env = getenv("APIGW_CONSOLE_STATE");
    if (env && *env) return xstrdup(env);
    const char *xdg = getenv("XDG_STATE_HOME");
    if (xdg && *xdg == '/') return xasprintf("%s/apigw-console/state.json", xdg);
    const char *home = getenv("HOME");
    if (!home || !*home) {
        struct passwd *pw = getpwuid(getuid());
        home = pw ? pw->pw_dir : NULL;
    }
    if (!home) return NULL;
    return xasprintf("%s/.local/state/apigw-console/state.json", home);
}
