#include "emulator/store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/json.h"
#include "core/mem.h"

struct store {
    char *path;      /* NULL: memory only */
    char *lock_path;
    int lock_fd;
    cJSON *doc;
    cJSON *before;   /* copy taken at begin(write), restored by abort */
    bool in_txn, write;
    /* Identity of the file as last loaded or saved, to notice other writers. */
    bool have_id;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
    unsigned loads;
};

static cJSON *empty_doc(void) {
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "format", STORE_FORMAT);
    cJSON_AddNumberToObject(d, "version", STORE_VERSION);
    cJSON_AddItemToObject(d, "regions", cJSON_CreateObject());
    return d;
}

static void remember(store *s, const struct stat *st) {
    s->have_id = true;
    s->dev = st->st_dev;
    s->ino = st->st_ino;
    s->size = st->st_size;
    s->mtime = st->st_mtim;
}

static bool same_file(const store *s, const struct stat *st) {
    return s->have_id && s->dev == st->st_dev && s->ino == st->st_ino &&
           s->size == st->st_size && s->mtime.tv_sec == st->st_mtim.tv_sec &&
           s->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

/* Make the directories leading to path (mode 0700, like other state dirs). */
static int make_parents(const char *path, err *e) {
    char *p = xstrdup(path);
    for (char *c = p + 1; *c; c++) {
        if (*c != '/') continue;
        *c = '\0';
        if (mkdir(p, 0700) != 0 && errno != EEXIST) {
            err_set(e, 0, "", "cannot create directory %s: %s", p, strerror(errno));
            free(p);
            return -1;
        }
        *c = '/';
    }
    free(p);
    return 0;
}

static int read_file(const char *path, char **out, size_t *len, struct stat *st, err *e) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return 1;
        return err_set(e, 0, "", "cannot open state file %s: %s", path, strerror(errno));
    }
    if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
        close(fd);
        return err_set(e, 0, "", "state file %s is not a regular file", path);
    }
    size_t cap = (size_t)st->st_size + 1, n = 0;
    char *data = xmalloc(cap);
    for (;;) {
        if (n + 1 >= cap) data = xrealloc(data, cap *= 2);
        ssize_t r = read(fd, data + n, cap - n - 1);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            free(data);
            close(fd);
            return err_set(e, 0, "", "cannot read state file %s: %s", path, strerror(errno));
        }
        if (r == 0) break;
        n += (size_t)r;
    }
    close(fd);
    data[n] = '\0';
    *out = data;
    *len = n;
    return 0;
}

/* Load the file into s->doc. A missing file is an empty state. */
static int load(store *s, err *e) {
    char *data = NULL;
    size_t len = 0;
    struct stat st;
    int r = read_file(s->path, &data, &len, &st, e);
    if (r < 0) return -1;
    cJSON *doc;
    if (r == 1) {
        doc = empty_doc();
        s->have_id = false;
    } else {
        err pe;
        doc = json_parse(data, len, &pe);
        free(data);
        if (!doc)
            return err_set(e, 0, "",
                           "state file %s is corrupt or truncated (%s); refusing to use it. "
                           "Move it aside or pass another --state FILE",
                           s->path, pe.msg);
        const char *fmt = json_str(doc, "format");
        if (!cJSON_IsObject(doc) || !fmt || strcmp(fmt, STORE_FORMAT) != 0 ||
            !json_obj(doc, "regions")) {
            cJSON_Delete(doc);
            return err_set(e, 0, "",
                           "%s is not an apigw-console state file; refusing to use it. "
                           "Pass another --state FILE",
                           s->path);
        }
        double v = json_num_or(doc, "version", 0);
        if (v != STORE_VERSION) {
            cJSON_Delete(doc);
            return err_set(e, 0, "",
                           "state file %s has format version %g, this program reads version %d; "
                           "refusing to use it",
                           s->path, v, STORE_VERSION);
        }
        remember(s, &st);
    }
    cJSON_Delete(s->doc);
    s->doc = doc;
    s->loads++;
    return 0;
}

static int save(store *s, err *e) {
    char *text = cJSON_PrintUnformatted(s->doc);
    if (!text) return err_set(e, 0, "", "cannot serialise state");
    size_t len = strlen(text);
    char *tmp = xasprintf("%s.tmp.%ld", s->path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int rc = -1;
    if (fd < 0) {
        err_set(e, 0, "", "cannot write %s: %s", tmp, strerror(errno));
        goto out;
    }
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, text + off, len - off);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) break;
        off += (size_t)w;
    }
    if (off < len || write(fd, "\n", 1) != 1 || fsync(fd) != 0) {
        err_set(e, 0, "", "cannot write %s: %s", tmp, strerror(errno));
        close(fd);
        unlink(tmp);
        goto out;
    }
    close(fd);
    if (rename(tmp, s->path) != 0) {
        err_set(e, 0, "", "cannot replace %s: %s", s->path, strerror(errno));
        unlink(tmp);
        goto out;
    }
    /* Make the rename itself durable. */
    char *dir = xstrdup(s->path);
    char *slash = strrchr(dir, '/');
    if (slash) *slash = '\0';
    int dfd = open(slash ? (dir[0] ? dir : "/") : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    free(dir);
    struct stat st;
    if (stat(s->path, &st) == 0) remember(s, &st);
    rc = 0;
out:
    free(tmp);
    free(text);
    return rc;
}

store *store_open(const char *path, err *e) {
    store *s = xcalloc(1, sizeof *s);
    s->lock_fd = -1;
    if (!path) {
        s->doc = empty_doc();
        return s;
    }
    s->path = xstrdup(path);
    s->lock_path = xasprintf("%s.lock", path);
    if (make_parents(path, e) != 0) goto fail;
    s->lock_fd = open(s->lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (s->lock_fd < 0) {
        err_set(e, 0, "", "cannot open lock file %s: %s", s->lock_path, strerror(errno));
        goto fail;
    }
    if (flock(s->lock_fd, LOCK_SH) != 0) {
        err_set(e, 0, "", "cannot lock %s: %s", s->lock_path, strerror(errno));
        goto fail;
    }
    int r = load(s, e);
    flock(s->lock_fd, LOCK_UN);
    if (r != 0) goto fail;
    return s;
fail:
    store_close(s);
    return NULL;
}

void store_close(store *s) {
    if (!s) return;
    if (s->lock_fd >= 0) close(s->lock_fd);
    cJSON_Delete(s->doc);
    cJSON_Delete(s->before);
    free(s->path);
    free(s->lock_path);
    free(s);
}

const char *store_path(const store *s) { return s->path; }

int store_begin(store *s, bool write, err *e) {
    if (s->in_txn) return err_set(e, 500, "InternalFailure", "nested store transaction");
    if (s->path) {
        int r;
        while ((r = flock(s->lock_fd, write ? LOCK_EX : LOCK_SH)) != 0 && errno == EINTR) {
        }
        if (r != 0)
            return err_set(e, 500, "InternalFailure", "cannot lock %s: %s", s->lock_path,
                           strerror(errno));
        struct stat st;
        bool exists = stat(s->path, &st) == 0;
        bool changed = exists ? !same_file(s, &st) : s->have_id;
        if (changed && load(s, e) != 0) {
            flock(s->lock_fd, LOCK_UN);
            e->status = 500;
            snprintf(e->code, sizeof e->code, "InternalFailure");
            return -1;
        }
    }
    s->in_txn = true;
    s->write = write;
    if (write) s->before = cJSON_Duplicate(s->doc, 1);
    return 0;
}

cJSON *store_root(store *s) { return s->doc; }

static void end(store *s) {
    cJSON_Delete(s->before);
    s->before = NULL;
    s->in_txn = false;
    if (s->path) flock(s->lock_fd, LOCK_UN);
}

int store_commit(store *s, err *e) {
    int rc = 0;
    if (s->write && s->path) {
        rc = save(s, e);
        if (rc != 0) {
            /* The file still holds the old state: keep memory in step. */
            cJSON_Delete(s->doc);
            s->doc = s->before;
            s->before = NULL;
        }
    }
    end(s);
    return rc;
}

void store_abort(store *s) {
    if (s->write && s->before) {
        cJSON_Delete(s->doc);
        s->doc = s->before;
        s->before = NULL;
    }
    end(s);
}

cJSON *store_region(store *s, const char *region) {
    cJSON *regions = json_child_obj(s->doc, "regions");
    cJSON *r = json_obj(regions, region);
    if (!r) {
        r = cJSON_CreateObject();
        cJSON_AddItemToObject(regions, region, r);
    }
    static const char *const colls[] = {"restapis", "apikeys", "usageplans", "functions"};
    for (size_t i = 0; i < sizeof colls / sizeof *colls; i++) json_child_obj(r, colls[i]);
    return r;
}

void store_reset(store *s) {
    cJSON_Delete(s->doc);
    s->doc = empty_doc();
}

unsigned store_loads(const store *s) { return s->loads; }
