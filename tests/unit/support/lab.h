#ifndef TEST_LAB_H
#define TEST_LAB_H
/* The lab's material as tests use it: its mapping templates, its Lambda
 * function (lab_function_py, built into the program), deployment packages
 * (a zip archive holding one file) and CreateFunction's body. */
#include <stddef.h>

#include "fixture.h"
#include "lab/assets.h"

#define LAB_ROLE "arn:aws:iam::123456789012:role/lambda_basic_execution"

/* The integration response templates of the mock GET /items and
 * GET /items/{ID}, as the program embeds them (assets/lab/). */
#define LAB_ITEMS_TEMPLATE lab_items_template
#define LAB_ITEM_TEMPLATE lab_item_template

/* What the lab's function returns without an ID: its four items as
 * Python's json.dumps writes them. */
extern const char LAB_ITEMS_JSON[];

/* Assert that the log of the lab's function run on the event {} starts as
 * Lambda's does: START, the function's Event line, END, then REPORT. */
void lab_assert_list_log(const char *log, const char *request_id);

/* The lab's function with the first from in its text replaced by to
 * (malloc'd); from must be there. */
char *lab_function_edit(const char *from, const char *to);

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

/* CreateFunction with the lab's settings of a package holding code as
 * lambda_function.py, and extra members (NULL: none); asserts 201. */
void lab_create_function(fixture *fx, const char *name, const char *code, const char *extra);
/* UpdateFunctionCode to a package holding code; asserts 200. */
void lab_update_code(fixture *fx, const char *name, const char *code);

#endif
