#ifndef TEST_LAB_H
#define TEST_LAB_H
/* The lab's material as tests use it: its mapping templates, deployment
 * packages (a zip archive holding one file, built in memory with libzip)
 * and CreateFunction's body. */
#include <stddef.h>

#define LAB_ROLE "arn:aws:iam::123456789012:role/lambda_basic_execution"

/* The integration response templates of the mock GET /items and
 * GET /items/{ID}. */
extern const char LAB_ITEMS_TEMPLATE[];
extern const char LAB_ITEM_TEMPLATE[];

/* The archive's bytes (malloc'd); *len gets their count. */
unsigned char *zip_one(const char *name, const char *content, size_t *len);
/* The archive as base64 text, as CreateFunction's ZipFile takes it
 * (malloc'd). *raw gets the bytes (malloc'd) and *rawlen their count when
 * raw is not NULL. */
char *zip_one_base64(const char *name, const char *content, unsigned char **raw, size_t *rawlen);
/* CreateFunction's body for a base64 package with the lab's settings
 * (python3.13, lambda_function.lambda_handler, LAB_ROLE) and the extra
 * members in extra (NULL: none), malloc'd. */
char *lab_function_body(const char *name, const char *zip_b64, const char *extra);

#endif
