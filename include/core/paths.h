#ifndef CORE_PATHS_H
#define CORE_PATHS_H
/* Where things live on disk. */

/* The state file: explicit (--state), else $APIGW_CONSOLE_STATE, else
 * $XDG_STATE_HOME/apigw-console/state.json, else
 * ~/.local/state/apigw-console/state.json. malloc'd; NULL when no home. */
char *paths_state_file(const char *explicit_path);

#endif
