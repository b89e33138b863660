/* Saved test events: one private JSON file per region and function under
 * the console's state directory, written atomically under a lock. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <pwd.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/mem.h"
#include "pane_fn.h"

#define EVENT_NAME_MAX 25
#define EVENTS_FILE_MAX (4 * 1024 * 1024)

/* A path component from a name: [A-Za-z0-9._-] kept, anything else '_',
 * and never "." or "..". */
static char *component(const char *s) {
    char *out = xstrdup(s && *s ? s : "_");
    bool dots = true;
    for (char *p = out; *p; p++) {
        unsigned char c = (unsigned char)*p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '-' || c == '_';
        if (!ok) *p = '_';
        if (*p != '.') dots = false;
    }
    if (dots) memset(out, '_', strlen(out));
    return out;
}

static char *state_dir(void) {
    const char *xdg = getenv("XDG_STATE_HOME");
    if (xdg && *xdg == '/') return xasprintf("%s/apigw-console", xdg);
    const char *home = getenv("HOME");
    if (!home || !*home) {
        struct passwd *pw = getpwuid(getuid());
        home = pw ? pw->pw_dir : NULL;
    }
    return home ? xasprintf("%s/.local/state/apigw-console", home) : NULL;
}

char *fn_events_path(const char *region, const char *function) {
    char *dir = state_dir();
    if (!dir) return NULL;
    char *r = component(region), *f = component(function);
    char *path = xasprintf("%s/test-events/%s/%s.json", dir, r, f);
    free(dir);
    free(r);
    free(f);
    return path;
}

/* mkdir -p of the directories above path, private to the user. */
static int make_parents(const char *path, err *e) {
    char *p = xstrdup(path);
    int rc = 0;
    for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = '\0';
        if (mkdir(p, 0700) != 0 && errno != EEXIST) {
            rc = err_set(e, 0, "", "cannot create %s: %s", p, strerror(errno));
            break;
        }
        *s = '/';
    }
    free(p);
    return rc;
}

static char *read_all(const char *path, size_t *len, err *e) {
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        if (errno != ENOENT)
            err_set(e, 0, "", "cannot read %s: %s", path, strerror(errno));
        else
            err_set(e, 0, "ENOENT", "no file");
        return NULL;
    }
    buf b = BUF_INIT;
    char chunk[8192];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof chunk)) > 0 && b.len <= EVENTS_FILE_MAX)
        buf_add(&b, chunk, (size_t)n);
    int saved = errno;
    close(fd);
    if (n < 0 || b.len > EVENTS_FILE_MAX) {
        buf_free(&b);
        err_set(e, 0, "", "cannot read %s: %s", path, n < 0 ? strerror(saved) : "too large");
        return NULL;
    }
    *len = b.len;
    return buf_steal(&b);
}

cJSON *fn_events_load(const char *path, err *e) {
    size_t len = 0;
    err re;
    err_clear(&re);
    char *text = read_all(path, &len, &re);
    if (!text) {
        if (strcmp(re.code, "ENOENT") == 0) return cJSON_CreateArray();
        if (e) *e = re;
        return NULL;
    }
    cJSON *doc = cJSON_ParseWithLength(text, len);
    free(text);
    cJSON *events = json_arr(doc, "events");
    if (!events) {
        cJSON_Delete(doc);
        err_set(e, 0, "", "%s is not a test events file; it is left as it is", path);
        return NULL;
    }
    cJSON *out = cJSON_Duplicate(events, 1);
    cJSON_Delete(doc);
    return out;
}

int fn_events_save(const char *path, const cJSON *events, err *e) {
    if (make_parents(path, e) != 0) return -1;
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddItemToObject(doc, "events", cJSON_Duplicate(events, 1));
    char *text = json_pretty(doc);
    cJSON_Delete(doc);
    char *tmp = xasprintf("%s.XXXXXX", path);
    int fd = mkstemp(tmp); /* mode 0600 */
    int rc = 0;
    if (fd < 0) {
        rc = err_set(e, 0, "", "cannot write %s: %s", path, strerror(errno));
    } else {
        size_t len = strlen(text), off = 0;
        while (off < len) {
            ssize_t n = write(fd, text + off, len - off);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            off += (size_t)n;
        }
        bool ok = off == len && write(fd, "\n", 1) == 1 && fsync(fd) == 0;
        int saved = errno;
        if (close(fd) != 0) ok = false;
        if (!ok || rename(tmp, path) != 0) {
            rc = err_set(e, 0, "", "cannot write %s: %s", path, strerror(ok ? errno : saved));
            unlink(tmp);
        }
    }
    free(tmp);
    free(text);
    return rc;
}

int fn_events_update(const char *path, fn_events_change change, void *ud, err *e) {
    if (make_parents(path, e) != 0) return -1;
    char *lockpath = xasprintf("%s.lock", path);
    int lk = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    free(lockpath);
    if (lk < 0) return err_set(e, 0, "", "cannot lock %s: %s", path, strerror(errno));
    int rc = -1;
    if (flock(lk, LOCK_EX) != 0) {
        err_set(e, 0, "", "cannot lock %s: %s", path, strerror(errno));
    } else {
        cJSON *events = fn_events_load(path, e);
        if (events && change(events, ud, e) == 0) rc = fn_events_save(path, events, e);
        cJSON_Delete(events);
    }
    close(lk); /* releases the lock */
    return rc;
}

bool fn_event_name_ok(const char *name, char *msg, size_t n) {
    size_t len = strlen(name);
    bool ok = len >= 1 && len <= EVENT_NAME_MAX;
    for (const char *p = name; ok && *p; p++) {
        unsigned char c = (unsigned char)*p;
        ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '.' || c == '-' || c == '_';
    }
    if (!ok)
        snprintf(msg, n, "Event name: 1 to %d letters, digits, dots, hyphens or underscores",
                 EVENT_NAME_MAX);
    return ok;
}

cJSON *fn_event_parse(const char *text, char *msg, size_t n) {
    const char *end = NULL;
    cJSON *v = cJSON_ParseWithOpts(text, &end, true);
    if (v) return v;
    int line = 1, col = 1;
    for (const char *p = text; end && p < end && *p; p++) {
        if (*p == '\n') {
            line++;
            col = 1;
        } else if (((unsigned char)*p & 0xC0) != 0x80) {
            col++;
        }
    }
    bool blank = true;
    for (const char *p = text; *p; p++)
        if (*p != ' ' && *p != '\n' && *p != '\t' && *p != '\r') blank = false;
    if (blank)
        snprintf(msg, n, "The event is empty: write a JSON value, e.g. {}");
    else
        snprintf(msg, n, "The event is not valid JSON (line %d, column %d)", line, col);
    return NULL;
}
