#ifndef CORE_ZIPCODE_H
#define CORE_ZIPCODE_H
/* Lambda deployment packages, for the emulator, the console and the lab:
 * the base64 ZipFile of the API checked to be a zip archive, with the
 * CodeSha256 and CodeSize Lambda reports; reading one file out of a
 * package, and making or editing one (libzip; SHA-256 with OpenSSL). */
#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

typedef struct zipcode {
    unsigned char *data;         /* the zip bytes */
    size_t len;                  /* CodeSize */
    char sha256[48];             /* CodeSha256: base64 of the SHA-256 of the bytes */
    unsigned long long unzipped; /* total size of the entries */
} zipcode;

/* Decode base64 text and open it as a zip, checking the archive's
 * consistency as Lambda does an upload. Fails (e->code "InvalidZip") when
 * the text is not base64 or the bytes are not a readable zip. */
int zipcode_from_base64(const char *b64, zipcode *out, err *e);
/* The same from raw bytes (copied). */
int zipcode_from_bytes(const void *data, size_t len, zipcode *out, err *e);
void zipcode_free(zipcode *z);

/* Base64 of bytes (malloc'd, no line breaks). */
char *zipcode_base64(const void *data, size_t len);
/* Decode standard base64 (whitespace ignored; padding optional) into
 * malloc'd bytes, NUL-terminated past *len; NULL when it is not base64. */
unsigned char *zipcode_unbase64(const char *b64, size_t *len);
/* base64(SHA-256(data)), 44 characters + NUL. */
void zipcode_sha256_b64(const void *data, size_t len, char out[48]);
/* Lowercase hex SHA-256 of a string, 64 characters + NUL. */
void zipcode_sha256_hex(const char *s, char out[65]);

/* Read the entry called name (e.g. "lambda_function.py") from a zip given
 * as bytes or as base64. *out gets a NUL-terminated malloc'd copy (NULL on
 * failure) and *outlen its length. Fails with e->code "NotFound" when
 * there is no such entry, "InvalidZip" when the archive cannot be read;
 * the message is one for the user ("x is not in the code"). */
int zipcode_read_file(const void *zip, size_t len, const char *name, char **out, size_t *outlen,
                      err *e);
int zipcode_read_file_b64(const char *b64, const char *name, char **out, size_t *outlen, err *e);

/* Whether the archive holds an entry called name. */
bool zipcode_has_file(const void *zip, size_t len, const char *name);
/* How many entries the archive holds (0 when zip is NULL or unreadable). */
size_t zipcode_count(const void *zip, size_t len);
/* The name of the first entry that is not a directory (malloc'd), or NULL
 * for an empty or unreadable archive. */
char *zipcode_first_file(const void *zip, size_t len);

/* The archive zip (NULL or empty: a new one) with n text files added,
 * names[i] holding contents[i]; an entry of the same name is replaced and
 * every other one kept. zip itself is not changed. Returns the new bytes
 * (malloc'd) with *outlen, or NULL with e set ("InvalidZip"). */
unsigned char *zipcode_put(const void *zip, size_t len, size_t n, const char *const *names,
                           const char *const *contents, size_t *outlen, err *e);
/* A new archive of n text files (zipcode_put on nothing), as the lab,
 * tests and benchmarks make their packages; NULL when libzip fails. */
unsigned char *zipcode_build(size_t n, const char *const *names, const char *const *contents,
                             size_t *len);

#endif
