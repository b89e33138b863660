/* A function's deployment package in memory: which file the handler
 * names, reading it, and putting an edited file back with every other
 * entry kept. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "core/mem.h"
#include "pane_fn.h"

char *fn_code_file(const char *handler, const char *runtime) {
    const char *h = handler && *handler ? handler : "lambda_function.lambda_handler";
    const char *dot = strrchr(h, '.');
    size_t n = dot ? (size_t)(dot - h) : strlen(h);
    const char *ext = runtime && strncmp(runtime, "nodejs", 6) == 0 ? ".mjs"
                      : runtime && strncmp(runtime, "ruby", 4) == 0 ? ".rb"
                                                                    : ".py";
    return xasprintf("%.*s%s", (int)n, h, ext);
}

/* Open bytes read-only; the bytes must outlive the archive. */
static zip_t *open_ro(const void *zip, size_t len, err *e) {
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(zip, len, 0, &ze);
    zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    if (!za) {
        err_set(e, 0, "", "The code is not a zip archive: %s", zip_error_strerror(&ze));
        if (src) zip_source_free(src);
    }
    zip_error_fini(&ze);
    return za;
}

size_t fn_zip_count(const void *zip, size_t len) {
    err e;
    zip_t *za = zip ? open_ro(zip, len, &e) : NULL;
    if (!za) return 0;
    zip_int64_t n = zip_get_num_entries(za, 0);
    zip_discard(za);
    return n > 0 ? (size_t)n : 0;
}

char *fn_zip_pick(const void *zip, size_t len, const char *handler, const char *runtime) {
    err e;
    zip_t *za = zip ? open_ro(zip, len, &e) : NULL;
    if (!za) return NULL;
    char *file = fn_code_file(handler, runtime);
    char *out = NULL;
    if (zip_name_locate(za, file, 0) >= 0) out = xstrdup(file);
    if (!out && runtime && strncmp(runtime, "nodejs", 6) == 0) {
        /* index.mjs, index.js or index.cjs */
        char *base = xstrndup(file, strlen(file) - 4);
        static const char *const alt[] = {".js", ".cjs"};
        for (size_t i = 0; !out && i < 2; i++) {
            char *name = xasprintf("%s%s", base, alt[i]);
            if (zip_name_locate(za, name, 0) >= 0)
                out = name;
            else
                free(name);
        }
        free(base);
    }
    zip_int64_t n = zip_get_num_entries(za, 0);
    for (zip_int64_t i = 0; !out && i < n; i++) {
        const char *name = zip_get_name(za, (zip_uint64_t)i, 0);
        if (name && *name && name[strlen(name) - 1] != '/') out = xstrdup(name);
    }
    free(file);
    zip_discard(za);
    return out;
}

int fn_zip_read(const void *zip, size_t len, const char *name, char **text, err *e) {
    *text = NULL;
    zip_t *za = open_ro(zip, len, e);
    if (!za) return -1;
    zip_stat_t st;
    zip_int64_t idx = zip_name_locate(za, name, 0);
    zip_file_t *zf = NULL;
    if (idx < 0 || zip_stat_index(za, (zip_uint64_t)idx, 0, &st) != 0 ||
        !(zf = zip_fopen_index(za, (zip_uint64_t)idx, 0))) {
        zip_discard(za);
        return err_set(e, 0, "", "%s is not in the code", name);
    }
    size_t size = (st.valid & ZIP_STAT_SIZE) ? (size_t)st.size : 0;
    char *out = xmalloc(size + 1);
    zip_int64_t got = size ? zip_fread(zf, out, size) : 0;
    zip_fclose(zf);
    zip_discard(za);
    if (got < 0 || (size_t)got != size) {
        free(out);
        return err_set(e, 0, "", "%s could not be read from the code", name);
    }
    out[size] = '\0';
    *text = out;
    return 0;
}

/* The bytes of the archive written into src (malloc'd), or NULL. */
static unsigned char *source_bytes(zip_source_t *src, size_t *len) {
    if (zip_source_open(src) != 0) return NULL;
    zip_source_seek(src, 0, SEEK_END);
    zip_int64_t n = zip_source_tell(src);
    zip_source_seek(src, 0, SEEK_SET);
    unsigned char *out = n >= 0 ? xmalloc(n ? (size_t)n : 1) : NULL;
    if (out && zip_source_read(src, out, (zip_uint64_t)n) != n) {
        free(out);
        out = NULL;
    }
    zip_source_close(src);
    if (out) *len = (size_t)n;
    return out;
}

unsigned char *fn_zip_put(const void *zip, size_t len, const char *name, const char *text,
                          size_t *outlen, err *e) {
    zip_error_t ze;
    zip_error_init(&ze);
    /* libzip writes the new archive into the source: give it a copy. */
    void *copy = NULL;
    if (zip && len) {
        copy = xmalloc(len);
        memcpy(copy, zip, len);
    }
    zip_source_t *src = zip_source_buffer_create(copy, copy ? len : 0, 1, &ze);
    if (!src) free(copy);
    zip_t *za = src ? zip_open_from_source(src, copy ? 0 : ZIP_TRUNCATE, &ze) : NULL;
    if (!za) {
        err_set(e, 0, "", "The code is not a zip archive: %s", zip_error_strerror(&ze));
        zip_error_fini(&ze);
        if (src) zip_source_free(src);
        return NULL;
    }
    zip_error_fini(&ze);
    zip_source_keep(src); /* zip_close would free it */
    zip_source_t *fs = zip_source_buffer(za, text, strlen(text), 0);
    bool ok = fs && zip_file_add(za, name, fs, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8) >= 0;
    if (!ok && fs) zip_source_free(fs);
    if (ok && zip_close(za) != 0) ok = false;
    if (!ok) {
        err_set(e, 0, "", "The code could not be packed: %s", zip_strerror(za));
        zip_discard(za);
    }
    unsigned char *out = ok ? source_bytes(src, outlen) : NULL;
    if (ok && !out) err_set(e, 0, "", "The code could not be packed");
    zip_source_free(src);
    return out;
}
