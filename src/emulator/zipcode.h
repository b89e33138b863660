#ifndef EMULATOR_ZIPCODE_H
#define EMULATOR_ZIPCODE_H
/* A Lambda deployment package: the base64 ZipFile of the API, checked to
 * be a zip archive, with the CodeSha256 and CodeSize Lambda reports,
 * reading one file out of it (the code view, the local runtime), and
 * making one. */
#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

typedef struct zipcode {
    unsigned char *data;         /* the zip bytes */
    size_t len;                  /* CodeSize */
    char sha256[48];             /* CodeSha256: base64 of the SHA-256 of the bytes */
    unsigned long long unzipped; /* total size of the entries */
} zipcode;

/* Decode base64 text and open it as a zip. Fails (e->code "InvalidZip")
 * when the text is not base64 or the bytes are not a readable zip. */
int zipcode_from_base64(const char *b64, zipcode *out, err *e);
/* The same from raw bytes (copied). */
int zipcode_from_bytes(const void *data, size_t len, zipcode *out, err *e);
void zipcode_free(zipcode *z);

/* Base64 of bytes (malloc'd, no line breaks). */
char *zipcode_base64(const void *data, size_t len);
/* Decode base64 (whitespace ignored); NULL when it is not base64. */
unsigned char *zipcode_unbase64(const char *b64, size_t *len);
/* base64(SHA-256(data)), 44 characters + NUL. */
void zipcode_sha256_b64(const void *data, size_t len, char out[48]);
/* Lowercase hex SHA-256 of a string, 64 characters + NUL. */
void zipcode_sha256_hex(const char *s, char out[65]);

/* Read the entry called name (e.g. "lambda_function.py") from a zip given
 * as bytes or as base64. *out gets a NUL-terminated malloc'd copy and
 * *outlen its length. Fails with e->code "NotFound" when there is no such
 * entry, "InvalidZip" when the archive cannot be read. */
int zipcode_read_file(const void *zip, size_t len, const char *name, char **out, size_t *outlen,
                      err *e);
int zipcode_read_file_b64(const char *b64, const char *name, char **out, size_t *outlen, err *e);

/* Whether the archive holds an entry called name. */
bool zipcode_has_file(const void *zip, size_t len, const char *name);

/* A new archive of n text files, names[i] holding contents[i], as tests
 * and benchmarks make their packages. Returns its bytes
 * (malloc'd) and sets *len, or NULL when libzip fails. */
unsigned char *zipcode_build(size_t n, const char *const *names, const char *const *contents,
                             size_t *len);

#endif
