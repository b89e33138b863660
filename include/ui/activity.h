#ifndef UI_ACTIVITY_H
#define UI_ACTIVITY_H
/* The activity log: every change the console made, as the AWS CLI command
 * that does the same, with how it ended. Fed by the client's observer. */
#include <stdbool.h>
#include <time.h>

#include "client/client.h"

#define ACTIVITY_MAX 500

typedef enum activity_state { ACT_PENDING, ACT_OK, ACT_FAILED } activity_state;

typedef struct activity_entry {
    unsigned long id;
    time_t at;
    activity_state state;
    char *command; /* raw; sanitize to draw */
    char *error;   /* ACT_FAILED: the error in words */
} activity_entry;

typedef struct activity {
    activity_entry e[ACTIVITY_MAX]; /* a ring: oldest at first */
    int first, n;
    unsigned long gen; /* bumped on every change */
} activity;

void activity_init(activity *l);
void activity_free(activity *l);
/* The client observer (client_set_observer(cl, activity_observe, log)). */
void activity_observe(void *log, const client_event *ev);
/* i-th entry, 0 the oldest. */
const activity_entry *activity_at(const activity *l, int i);

#endif
