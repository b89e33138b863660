#include "ui/keymap.h"

typedef struct entry {
    ui_binding b;
    int key[3];
} entry;

static const entry table[] = {
#define UI_KEYMAP_ENTRY(id, sc, keys, help, k1, k2, k3) {{id, sc, keys, help}, {k1, k2, k3}},
    UI_KEYMAP(UI_KEYMAP_ENTRY)
#undef UI_KEYMAP_ENTRY
};

#define NENTRIES (sizeof table / sizeof *table)

ui_action keymap_lookup(int ch, bool is_key) {
    if (ch <= 0) return UI_ACT_NONE;
    for (size_t i = 0; i < NENTRIES; i++)
        for (int k = 0; k < 3; k++) {
            int bound = table[i].key[k];
            if (bound && bound == ch && (bound >= KEY_MIN) == is_key) return table[i].b.action;
        }
    return UI_ACT_NONE;
}

size_t keymap_help(unsigned scopes, ui_binding *out, size_t max) {
    size_t n = 0;
    for (size_t i = 0; i < NENTRIES && n < max; i++)
        if (table[i].b.scopes & scopes) out[n++] = table[i].b;
    return n;
}

size_t keymap_count(void) { return NENTRIES; }
