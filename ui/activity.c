/* The activity log's ring of entries (see ui/activity.h). */
#include "ui/activity.h"

#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

void activity_init(activity *l) { memset(l, 0, sizeof *l); }

static void entry_clear(activity_entry *en) {
    free(en->command);
    free(en->error);
    memset(en, 0, sizeof *en);
}

void activity_free(activity *l) {
    for (int i = 0; i < ACTIVITY_MAX; i++) entry_clear(&l->e[i]);
    l->n = 0;
}

const activity_entry *activity_at(const activity *l, int i) {
    if (i < 0 || i >= l->n) return NULL;
    return &l->e[(l->first + i) % ACTIVITY_MAX];
}

static activity_entry *find(activity *l, unsigned long id) {
    for (int i = l->n - 1; i >= 0; i--) {
        activity_entry *en = &l->e[(l->first + i) % ACTIVITY_MAX];
        if (en->id == id) return en;
    }
    return NULL;
}

void activity_observe(void *log, const client_event *ev) {
    activity *l = log;
    if (!ev->finished) {
        activity_entry *en;
        if (l->n == ACTIVITY_MAX) { /* drop the oldest */
            en = &l->e[l->first];
            entry_clear(en);
            l->first = (l->first + 1) % ACTIVITY_MAX;
            l->n--;
        }
        en = &l->e[(l->first + l->n) % ACTIVITY_MAX];
        l->n++;
        en->id = ev->id;
        en->at = time(NULL);
        en->state = ACT_PENDING;
        en->command = xstrdup(ev->command ? ev->command : "");
    } else {
        activity_entry *en = find(l, ev->id);
        if (!en) return;
        en->state = ev->e ? ACT_FAILED : ACT_OK;
        if (ev->e) {
            char text[700];
            err_text(ev->e, text, sizeof text);
            en->error = xstrdup(text);
        }
    }
    l->gen++;
}
