#ifndef LAB_ASSETS_H
#define LAB_ASSETS_H
/* The lab's material built into the program: src/lab/lab_assets.c,
 * generated from assets/lab/ by tools/embed.sh (make regenerates it). */
#include <stddef.h>

/* ItemsFunction's lambda_function.py: its text (NUL-terminated) and its
 * length without the NUL. */
extern const char lab_function_py[];
extern const size_t lab_function_py_len;

/* The integration response templates of the mock GET /items (a list of
 * three items) and GET /items/{ID} (one item from the ID path parameter). */
extern const char lab_items_template[];
extern const size_t lab_items_template_len;
extern const char lab_item_template[];
extern const size_t lab_item_template_len;

/* The lab's Lambda test events (assets/lab/events/): all items, item 1,
 * and an item that does not exist. */
extern const char lab_event_get_items[];
extern const size_t lab_event_get_items_len;
extern const char lab_event_get_item[];
extern const size_t lab_event_get_item_len;
extern const char lab_event_get_item_not_found[];
extern const size_t lab_event_get_item_not_found_len;

#endif
