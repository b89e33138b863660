/* Deployment packages: base64, zip checks and edits with libzip, SHA-256
 * with OpenSSL, and reading one entry. */
#include "core/zipcode.h"

#include <openssl/evp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "core/mem.h"

/* --- base64 and digests ------------------------------------------------------ */

static int b64_value(unsigned char ch) {
    if (ch >= 'A' && ch <= 'Z') return ch - 'A';
    if (ch >= 'a' && ch <= 'z') return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9') return ch - '0' + 52;
    if (ch == '+') return 62;
    if (ch == '/') return 63;
    return -1;
}

unsigned char *zipcode_unbase64(const char *b64, size_t *len) {
    size_t n = strlen(b64);
    unsigned char *out = xmalloc(n / 4 * 3 + 4);
    size_t o = 0, pad = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)b64[i];
        if (ch == '\n' || ch == '\r' || ch == ' ' || ch == '\t') continue;
        if (ch == '=') {
            pad++;
            continue;
        }
        int v = b64_value(ch);
        if (v < 0 || pad) { /* a stray character, or data after padding */
            free(out);
            return NULL;
        }
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (unsigned char)(acc >> bits);
        }
    }
    /* Leftover bits must be padding zeros, and at most two '='. */
    if (pad > 2 || bits >= 6 || (acc & ((1u << bits) - 1)) != 0) {
        free(out);
        return NULL;
    }
    out[o] = '\0'; /* text (a log) can be used as it is */
    *len = o;
    return out;
}

char *zipcode_base64(const void *data, size_t len) {
    char *out = xmalloc(4 * ((len + 2) / 3) + 1);
    EVP_EncodeBlock((unsigned char *)out, data, (int)len);
    return out;
}

void zipcode_sha256_b64(const void *data, size_t len, char out[48]) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL);
    EVP_EncodeBlock((unsigned char *)out, md, (int)mdlen);
}

void zipcode_sha256_hex(const char *s, char out[65]) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    EVP_Digest(s, strlen(s), md, &mdlen, EVP_sha256(), NULL);
    static const char hex[] = "0123456789abcdef";
    for (unsigned i = 0; i < mdlen && i < 32; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[64] = '\0';
}

/* --- reading ---------------------------------------------------------------------- */

/* Open bytes as a read-only archive; the bytes must outlive it. check:
 * refuse an archive whose directory and entries disagree (an upload). */
static zip_t *open_zip(const void *data, size_t len, bool check, err *e) {
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    zip_t *za =
        src ? zip_open_from_source(src, ZIP_RDONLY | (check ? ZIP_CHECKCONS : 0), &ze) : NULL;
    if (!za) {
        err_set(e, 400, "InvalidZip", "The code is not a zip archive: %s", zip_error_strerror(&ze));
        if (src) zip_source_free(src);
    }
    zip_error_fini(&ze);
    return za;
}

int zipcode_from_bytes(const void *data, size_t len, zipcode *out, err *e) {
    memset(out, 0, sizeof *out);
    zip_t *za = open_zip(data, len, true, e);
    if (!za) return -1;
    zip_int64_t n = zip_get_num_entries(za, 0);
    unsigned long long total = 0;
    for (zip_int64_t i = 0; i < n; i++) {
        zip_stat_t st;
        if (zip_stat_index(za, (zip_uint64_t)i, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE))
            total += st.size;
    }
    zip_discard(za);
    out->data = xmalloc(len ? len : 1);
    if (len) memcpy(out->data, data, len);
    out->len = len;
    out->unzipped = total;
    zipcode_sha256_b64(data, len, out->sha256);
    return 0;
}

int zipcode_from_base64(const char *b64, zipcode *out, err *e) {
    memset(out, 0, sizeof *out);
    size_t len;
    unsigned char *bytes = b64 ? zipcode_unbase64(b64, &len) : NULL;
    if (!bytes) return err_set(e, 400, "InvalidZip", "the code is not base64");
    int rc = zipcode_from_bytes(bytes, len, out, e);
    free(bytes);
    return rc;
}

void zipcode_free(zipcode *z) {
    free(z->data);
    memset(z, 0, sizeof *z);
}

int zipcode_read_file(const void *zip, size_t len, const char *name, char **out, size_t *outlen,
                      err *e) {
    *out = NULL;
    *outlen = 0;
    zip_t *za = open_zip(zip, len, false, e);
    if (!za) return -1;
    zip_stat_t st;
    zip_int64_t idx = zip_name_locate(za, name, 0);
    zip_file_t *zf = NULL;
    if (idx < 0 || zip_stat_index(za, (zip_uint64_t)idx, 0, &st) != 0 ||
        !(zf = zip_fopen_index(za, (zip_uint64_t)idx, 0))) {
        zip_discard(za);
        return err_set(e, 404, "NotFound", "%s is not in the code", name);
    }
    size_t size = (st.valid & ZIP_STAT_SIZE) ? (size_t)st.size : 0;
    char *buf = xmalloc(size + 1);
    zip_int64_t got = size ? zip_fread(zf, buf, size) : 0;
    zip_fclose(zf);
    zip_discard(za);
    if (got < 0 || (size_t)got != size) {
        free(buf);
        return err_set(e, 400, "InvalidZip", "%s could not be read from the code", name);
    }
    buf[size] = '\0';
    *out = buf;
    *outlen = size;
    return 0;
}

int zipcode_read_file_b64(const char *b64, const char *name, char **out, size_t *outlen, err *e) {
    size_t len;
    unsigned char *bytes = b64 ? zipcode_unbase64(b64, &len) : NULL;
    if (!bytes) {
        *out = NULL;
        *outlen = 0;
        return err_set(e, 400, "InvalidZip", "the code is not base64");
    }
    int rc = zipcode_read_file(bytes, len, name, out, outlen, e);
    free(bytes);
    return rc;
}

bool zipcode_has_file(const void *zip, size_t len, const char *name) {
    zip_t *za = zip ? open_zip(zip, len, false, NULL) : NULL;
    if (!za) return false;
    bool found = zip_name_locate(za, name, 0) >= 0;
    zip_discard(za);
    return found;
}

size_t zipcode_count(const void *zip, size_t len) {
    zip_t *za = zip ? open_zip(zip, len, false, NULL) : NULL;
    if (!za) return 0;
    zip_int64_t n = zip_get_num_entries(za, 0);
    zip_discard(za);
    return n > 0 ? (size_t)n : 0;
}

char *zipcode_first_file(const void *zip, size_t len) {
    zip_t *za = zip ? open_zip(zip, len, false, NULL) : NULL;
    if (!za) return NULL;
    char *out = NULL;
    zip_int64_t n = zip_get_num_entries(za, 0);
    for (zip_int64_t i = 0; !out && i < n; i++) {
        const char *name = zip_get_name(za, (zip_uint64_t)i, 0);
        if (name && *name && name[strlen(name) - 1] != '/') out = xstrdup(name);
    }
    zip_discard(za);
    return out;
}

/* --- writing ---------------------------------------------------------------------- */

/* The archive's bytes, read back out of the in-memory source it was
 * written to (malloc'd), or NULL. */
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

/* Add (or replace) n text files; false on the first that fails. */
static bool add_files(zip_t *za, size_t n, const char *const *names, const char *const *contents) {
    for (size_t i = 0; i < n; i++) {
        zip_source_t *fs = zip_source_buffer(za, contents[i], strlen(contents[i]), 0);
        if (!fs) return false;
        if (zip_file_add(za, names[i], fs, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8) < 0) {
            zip_source_free(fs);
            return false;
        }
    }
    return true;
}

unsigned char *zipcode_put(const void *zip, size_t len, size_t n, const char *const *names,
                           const char *const *contents, size_t *outlen, err *e) {
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
        err_set(e, 400, "InvalidZip", "The code is not a zip archive: %s", zip_error_strerror(&ze));
        zip_error_fini(&ze);
        if (src) zip_source_free(src);
        return NULL;
    }
    zip_error_fini(&ze);
    zip_source_keep(src); /* the archive's zip_close would free it */
    bool ok = add_files(za, n, names, contents) && zip_close(za) == 0;
    if (!ok) {
        err_set(e, 400, "InvalidZip", "The code could not be packed: %s", zip_strerror(za));
        zip_discard(za);
    }
    unsigned char *out = ok ? source_bytes(src, outlen) : NULL;
    if (ok && !out) err_set(e, 400, "InvalidZip", "The code could not be packed");
    zip_source_free(src);
    return out;
}

unsigned char *zipcode_build(size_t n, const char *const *names, const char *const *contents,
                             size_t *len) {
    return zipcode_put(NULL, 0, n, names, contents, len, NULL);
}
