#ifndef EMULATOR_QUOTA_H
#define EMULATOR_QUOTA_H
/* Private to src/emulator/: usage plan quotas as the state keeps them
 * (usageplans[id]._usage[keyId]["YYYY-MM-DD"], the requests of a key on a
 * UTC day), shared by the data plane, which counts and enforces them, and
 * GetUsage, which reports them. Days are counted from 1970-01-01. */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>

/* The UTC day of a time in ms since the epoch. */
long quota_day(int64_t ms);
/* The day's "YYYY-MM-DD". */
void quota_format_day(long day, char out[16]);
/* Strict yyyy-MM-dd of a real calendar day. */
bool quota_parse_day(const char *s, long *day);
/* The first day of the quota period ("DAY", "WEEK" or "MONTH") holding
 * day: UTC days, ISO weeks (Monday first) and calendar months. */
long quota_period_start(const char *period, long day);

/* The requests a key's usage object counts on day. */
long quota_used_on(const cJSON *usage, long day);
/* Those of day's period up to and including day. */
long quota_used_in_period(const cJSON *usage, const char *period, long day);
/* Count one request on day. */
void quota_count(cJSON *usage, long day);

#endif
