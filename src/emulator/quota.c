/* Usage plan quotas: the calendar (H. Hinnant's civil-date algorithms) and
 * the per-day counts of the state. */
#include "quota.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"

static long days_from_civil(long y, long m, long d) {
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, long *y, long *m, long *d) {
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp + (mp < 10 ? 3 : -9);
    *y = yoe + era * 400 + (*m <= 2);
}

long quota_day(int64_t ms) {
    int64_t d = ms / 86400000;
    if (ms < 0 && ms % 86400000) d--;
    return (long)d;
}

void quota_format_day(long day, char out[16]) {
    long y, m, d;
    civil_from_days(day, &y, &m, &d);
    snprintf(out, 16, "%04d-%02d-%02d", (int)(y % 10000), (int)m, (int)d);
}

bool quota_parse_day(const char *s, long *day) {
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i])) return false;
    long y = strtol(s, NULL, 10), m = strtol(s + 5, NULL, 10), d = strtol(s + 8, NULL, 10);
    if (m < 1 || m > 12 || d < 1 || d > 31) return false;
    long z = days_from_civil(y, m, d), y2, m2, d2;
    civil_from_days(z, &y2, &m2, &d2);
    if (y2 != y || m2 != m || d2 != d) return false;
    *day = z;
    return true;
}

long quota_period_start(const char *period, long day) {
    if (!strcmp(period, "WEEK")) return day - ((day % 7 + 7 + 3) % 7);
    if (!strcmp(period, "MONTH")) {
        long y, m, d;
        civil_from_days(day, &y, &m, &d);
        return days_from_civil(y, m, 1);
    }
    return day;
}

long quota_used_on(const cJSON *usage, long day) {
    char key[16];
    quota_format_day(day, key);
    return (long)json_num_or(usage, key, 0);
}

long quota_used_in_period(const cJSON *usage, const char *period, long day) {
    long used = 0;
    for (long d = quota_period_start(period, day); d <= day; d++)
        used += quota_used_on(usage, d);
    return used;
}

void quota_count(cJSON *usage, long day) {
    char key[16];
    quota_format_day(day, key);
    json_set_num(usage, key, json_num_or(usage, key, 0) + 1);
}
