/* Unpacking a function's code for its local worker: every entry checked
 * so that nothing lands outside the code directory (zip slip), files
 * written without following links, the total size bounded as Lambda
 * bounds it. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "core/mem.h"
#include "runtime_int.h"

#define UNZIP_CODE "InvalidZipFileException"
#define UNZIP_STATUS 502

/* A relative path with no ".." component (and no empty one but a final
 * '/' for directories). */
static bool safe_path(const char *name) {
    if (!name[0] || name[0] == '/') return false;
    for (const char *p = name; *p;) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.') return false;
        if (n == 0 && p[1] != '\0') return false; /* "a//b" */
        p += n;
        if (*p == '/') p++;
    }
    return true;
}

/* A link target that stays inside the link's own directory tree. */
static bool safe_link_target(const char *target) { return target[0] && safe_path(target); }

/* mkdir -p of the directories leading to rel (not rel itself) under dir. */
static int make_parents(const char *dir, const char *rel) {
    char *path = xasprintf("%s/%s", dir, rel);
    size_t skip = strlen(dir) + 1;
    int rc = 0;
    for (char *p = path + skip; (p = strchr(p, '/')) != NULL; p++) {
        *p = '\0';
        if (mkdir(path, 0755) != 0 && errno != EEXIST) rc = -1;
        *p = '/';
        if (rc) break;
    }
    free(path);
    return rc;
}

static mode_t entry_mode(zip_t *za, zip_uint64_t i) {
    zip_uint8_t opsys;
    zip_uint32_t attr;
    if (zip_file_get_external_attributes(za, i, 0, &opsys, &attr) == 0 && opsys == ZIP_OPSYS_UNIX)
        return (mode_t)(attr >> 16);
    return 0;
}

/* Read the whole entry i into a malloc'd buffer (for link targets). */
static char *read_entry(zip_t *za, zip_uint64_t i, size_t max) {
    zip_file_t *zf = zip_fopen_index(za, i, 0);
    if (!zf) return NULL;
    char *out = xmalloc(max + 1);
    zip_int64_t n = zip_fread(zf, out, max);
    zip_fclose(zf);
    if (n < 0) {
        free(out);
        return NULL;
    }
    out[n] = '\0';
    return out;
}

static int write_entry(zip_t *za, zip_uint64_t i, const char *path, mode_t mode,
                       unsigned long long *total, err *e) {
    zip_file_t *zf = zip_fopen_index(za, i, 0);
    if (!zf)
        return err_set(e, UNZIP_STATUS, UNZIP_CODE, "Lambda could not unzip the code: %s",
                       zip_strerror(za));
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
                  (mode & 0111) ? 0755 : 0644);
    int rc = fd < 0
                 ? err_set(e, 500, "ServiceException", "cannot write %s: %s", path, strerror(errno))
                 : 0;
    char chunk[65536];
    zip_int64_t n;
    while (rc == 0 && (n = zip_fread(zf, chunk, sizeof chunk)) > 0) {
        *total += (unsigned long long)n;
        if (*total > RT_UNZIPPED_MAX) {
            rc = err_set(e, UNZIP_STATUS, UNZIP_CODE,
                         "Unzipped size must be smaller than %llu bytes", RT_UNZIPPED_MAX);
            break;
        }
        for (zip_int64_t off = 0; off < n;) {
            ssize_t w = write(fd, chunk + off, (size_t)(n - off));
            if (w < 0 && errno == EINTR) continue;
            if (w < 0) {
                rc = err_set(e, 500, "ServiceException", "cannot write %s: %s", path,
                             strerror(errno));
                break;
            }
            off += w;
        }
    }
    if (rc == 0 && n < 0)
        rc = err_set(e, UNZIP_STATUS, UNZIP_CODE, "Lambda could not unzip the code: %s",
                     zip_file_strerror(zf));
    zip_fclose(zf);
    if (fd >= 0) close(fd);
    return rc;
}

static int unpack_entry(zip_t *za, zip_uint64_t i, const char *dir, unsigned long long *total,
                        err *e) {
    const char *name = zip_get_name(za, i, ZIP_FL_ENC_GUESS);
    if (!name) return err_set(e, UNZIP_STATUS, UNZIP_CODE, "Lambda could not unzip the code");
    if (!safe_path(name))
        return err_set(e, UNZIP_STATUS, UNZIP_CODE,
                       "Lambda could not unzip the code: the entry '%s' would land outside the "
                       "function's directory",
                       name);
    if (make_parents(dir, name) != 0)
        return err_set(e, 500, "ServiceException", "cannot create the directories of %s", name);
    mode_t mode = entry_mode(za, i);
    char *path = xasprintf("%s/%s", dir, name);
    int rc = 0;
    size_t n = strlen(path);
    if (path[n - 1] == '/' || S_ISDIR(mode)) {
        if (path[n - 1] == '/') path[n - 1] = '\0';
        if (mkdir(path, 0755) != 0 && errno != EEXIST)
            rc = err_set(e, 500, "ServiceException", "cannot create %s", name);
    } else if (S_ISLNK(mode)) {
        char *target = read_entry(za, i, 4096);
        if (!target || !safe_link_target(target))
            rc = err_set(e, UNZIP_STATUS, UNZIP_CODE,
                         "Lambda could not unzip the code: the link '%s' points outside the "
                         "function's directory",
                         name);
        else if (symlink(target, path) != 0)
            rc = err_set(e, 500, "ServiceException", "cannot create the link %s", name);
        free(target);
    } else {
        rc = write_entry(za, i, path, mode, total, e);
    }
    free(path);
    return rc;
}

int rt_unzip(const void *zip, size_t len, const char *dir, err *e) {
    if (mkdir(dir, 0700) != 0)
        return err_set(e, 500, "ServiceException", "cannot create %s: %s", dir, strerror(errno));
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(zip, len, 0, &ze);
    zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    int rc = 0;
    if (!za) {
        if (src) zip_source_free(src);
        rc = err_set(e, UNZIP_STATUS, UNZIP_CODE, "Lambda could not unzip the code: %s",
                     zip_error_strerror(&ze));
    } else {
        unsigned long long total = 0;
        zip_int64_t count = zip_get_num_entries(za, 0);
        for (zip_int64_t i = 0; rc == 0 && i < count; i++)
            rc = unpack_entry(za, (zip_uint64_t)i, dir, &total, e);
        zip_discard(za);
    }
    zip_error_fini(&ze);
    if (rc != 0) rt_remove_tree(dir);
    return rc;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

void rt_remove_tree(const char *path) { nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS); }
