#ifndef EMULATOR_STORE_H
#define EMULATOR_STORE_H
/* The emulator's state: one JSON document, kept in memory and (optionally)
 * in a state file shared by every process that opens it.
 *
 * Every request runs in a transaction. A write transaction takes an
 * exclusive lock on FILE.lock, reloads the file if another process changed
 * it, and on commit writes it atomically (temp file, fsync, rename, mode
 * 0600), so two processes on one file lose no update. A read transaction
 * takes a shared lock and reloads if needed. Abort restores the state as it
 * was at begin. A corrupt, truncated or foreign file is refused and never
 * overwritten. */
#include <cjson/cJSON.h>
#include <stdbool.h>

#include "core/err.h"

typedef struct store store;

#define STORE_FORMAT "apigw-console-state"
#define STORE_VERSION 1

/* path NULL: memory only. The file need not exist (it is created on the
 * first write, with its directory). */
store *store_open(const char *path, err *e);
void store_close(store *s);
const char *store_path(const store *s);

int store_begin(store *s, bool write, err *e);
/* The document; valid between begin and commit/abort. */
cJSON *store_root(store *s);
/* Commit: a write transaction saves the document. */
int store_commit(store *s, err *e);
void store_abort(store *s);

/* Per-region state, created empty on first use:
 * {"restapis":{}, "apikeys":{}, "usageplans":{}, "functions":{}, ...}. */
cJSON *store_region(store *s, const char *region);

/* Replace the whole state by a fresh, empty one (lab reset); in a write txn. */
void store_reset(store *s);

/* How many times the document was (re)loaded from disk; for tests. */
unsigned store_loads(const store *s);

#endif
