/* Private to the template engine (vtl_*.c) and JSONPath (jsonpath.c).
 *
 * Memory: a template owns one arena holding its syntax tree; each render
 * owns another arena holding every value it creates. Values are never freed
 * one by one, so lists that contain themselves cannot leak, and a runtime
 * error can unwind with longjmp: the arena (and its cleanup hooks, for
 * cJSON trees and compiled regular expressions) is released in one place. */
#ifndef EMULATOR_VTL_INTERNAL_H
#define EMULATOR_VTL_INTERNAL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "emulator/vtl.h"

/* Limits that keep a hostile template from hanging or exhausting the
 * emulator. The #foreach cap is API Gateway's own (see vtl_render.c); the
 * others are ours and each fails the render with a clear message. */
#define VTL_FOREACH_MAX 1000              /* iterations per #foreach, then it stops */
#define VTL_MAX_OUTPUT (10u * 1024 * 1024) /* API Gateway's payload limit */
#define VTL_MAX_STRING (10u * 1024 * 1024) /* any single string value */
#define VTL_MAX_MEMORY (128u * 1024 * 1024) /* a render's arena */
#define VTL_MAX_RANGE 100000              /* elements of an [a..b] range */
#define VTL_MAX_WORK 20000000ull          /* evaluation steps + bytes processed */
#define VTL_MAX_NEST 100                  /* syntax nesting (blocks, expressions) */
#define VTL_MAX_CALL_DEPTH 64             /* #define blocks rendering each other */
#define VTL_MAX_PRINT_DEPTH 200           /* nested lists/maps when printed */
#define VTL_MAX_JSON_DEPTH 512            /* nesting of parsed JSON */

/* ---- arena ------------------------------------------------------------ */

typedef struct va_chunk va_chunk;
typedef struct va_cleanup {
    void (*fn)(void *);
    void *p;
    struct va_cleanup *next;
} va_cleanup;

typedef struct varena {
    va_chunk *head;
    size_t total, limit;
    va_cleanup *cleanups;
    jmp_buf *jb; /* where to unwind when the limit is hit (NULL: abort) */
    err *e;
} varena;

void va_init(varena *a, size_t limit);
void va_free(varena *a);
void *va_alloc(varena *a, size_t n);
void *va_zalloc(varena *a, size_t n);
char *va_strndup(varena *a, const char *s, size_t n);
void va_on_free(varena *a, void (*fn)(void *), void *p);
/* A growable buffer that is freed with the arena (so an error unwinding past
 * it cannot leak it); buf_free on it early is fine. */
buf *va_buf(varena *a);
/* Fill a->e with a message and unwind to a->jb. */
_Noreturn void va_fail(varena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- syntax tree -------------------------------------------------------- */

typedef struct vnode vnode;
typedef struct vexpr vexpr;

enum { RP_PROP, RP_METHOD, RP_INDEX };
typedef struct vrpart {
    int kind;
    const char *name; /* property or method name */
    size_t nlen;
    vexpr **args; /* method arguments, or the one index expression */
    int nargs;
    int off; /* source offset, for error messages */
} vrpart;

typedef struct vref {
    int slot;         /* variable slot of the root identifier */
    bool quiet;       /* $!x */
    int nesc;         /* backslashes written before the $ */
    const char *lit;  /* source text from the $ on, printed when null */
    size_t litlen;
    vrpart *parts;
    int nparts;
    int off;
} vref;

enum {
    E_STR, E_ISTR, E_INT, E_DBL, E_BOOL, E_REF, E_LIST, E_MAP, E_RANGE, E_PAREN, E_WORD,
    E_OR, E_AND, E_NOT, E_EQ, E_NE, E_LT, E_GT, E_LE, E_GE,
    E_ADD, E_SUB, E_MUL, E_DIV, E_MOD
};

struct vexpr {
    int kind;
    int off;
    const char *lit; /* source text, printed for a null operand of + */
    size_t litlen;
    union {
        struct { const char *p; size_t n; } s; /* E_STR, E_WORD */
        vnode *tmpl;                           /* E_ISTR: interpolated string */
        int64_t i;
        double d;
        bool b;
        vref *ref;
        struct { vexpr **v; int n; } list; /* E_LIST; E_MAP as key, value pairs */
        struct { vexpr *a, *b; } bin;      /* operators, E_RANGE, E_NOT/E_PAREN use a */
    } u;
};

enum { N_TEXT, N_REF, N_SET, N_IF, N_FOREACH, N_BREAK, N_STOP, N_DEFINE, N_FAIL };

struct vnode {
    int kind;
    int off;
    vnode *next;
    union {
        struct { const char *p; size_t n; } text;
        vref *ref;
        struct { vref *lhs; vexpr *rhs; } set;
        struct { vexpr **conds; vnode **blocks; int n; } ifs; /* a NULL cond is #else */
        struct { int slot; vexpr *list; vnode *body; } fe;
        struct { vexpr *arg; } brk; /* #break($foreach...) target, may be NULL */
        struct { int slot; vnode *body; } def;
        struct { const char *msg; } fail; /* #parse, #include, #evaluate */
    } u;
};

/* Variables get slots at parse time; these come first in every template. */
enum { SLOT_INPUT, SLOT_UTIL, SLOT_CONTEXT, SLOT_STAGEVARS, SLOT_FOREACH, SLOT_VCOUNT,
       SLOT_VHASNEXT, SLOT_BUILTIN_COUNT };

struct vtl_template {
    varena arena;
    vnode *root;
    const char *src;
    size_t len;
    int nslots;
    const char **slot_names;
    size_t *slot_lens;
};

/* Offset → "line L, column C" (columns count characters, from 1). */
void vtl_position(const char *src, size_t len, size_t off, int *line, int *col);
/* Set e to a template error, "line L, column C: <message>", at offset off
 * of t's source (the parser's and the renderer's errors alike). */
void vtl_error_at(err *e, const vtl_template *t, size_t off, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

/* ---- values ------------------------------------------------------------- */

enum { VK_NULL, VK_BOOL, VK_INT, VK_DBL, VK_STR, VK_LIST, VK_MAP, VK_ENTRY, VK_INPUT, VK_UTIL,
       VK_SCOPE, VK_BLOCK };
/* Java classes behind a value, where they change behaviour. */
#define VF_JSON 1  /* list/map from JSON: a JSONArray prints as JSON */
#define VF_ARRAY 2 /* a Java array (String.split) */
#define VF_CHAR 4  /* java.lang.Character (String.charAt) */
#define VF_LONG 8  /* java.lang.Long rather than Integer */

typedef struct vlist vlist;
typedef struct vmap vmap;
typedef struct vscope vscope;
typedef struct ventry ventry;

typedef struct vval {
    uint8_t k, f;
    union {
        bool b;
        int64_t i;
        double d;
        struct { const char *p; size_t n; } s;
        vlist *l;
        vmap *m;
        ventry *en;
        vscope *sc;
        const vnode *blk;
    } u;
} vval;

struct vlist { vval *v; size_t n, cap; };
struct vmap {
    vval *k, *v;
    size_t n, cap;
    int32_t *idx; /* open-addressing index once the map grows */
    size_t icap;
};
struct ventry { vval k, v; };
struct vscope { int64_t index; bool has_next; vscope *parent; };

static inline vval v_null(void) { vval v = {0}; return v; }
static inline vval v_bool(bool b) { vval v = {.k = VK_BOOL}; v.u.b = b; return v; }
static inline vval v_int(int64_t i) {
    vval v = {.k = VK_INT};
    v.u.i = i;
    if (i > INT32_MAX || i < INT32_MIN) v.f = VF_LONG;
    return v;
}
static inline vval v_dbl(double d) { vval v = {.k = VK_DBL}; v.u.d = d; return v; }
static inline vval v_str(const char *p, size_t n) {
    vval v = {.k = VK_STR};
    v.u.s.p = p;
    v.u.s.n = n;
    return v;
}

vval v_strdup(varena *a, const char *p, size_t n);
vval v_list_new(varena *a, size_t cap, uint8_t flags);
void v_list_push(varena *a, vval list, vval item);
vval v_map_new(varena *a, uint8_t flags);
/* Put; returns the previous value (VK_NULL when absent). */
vval v_map_put(varena *a, vval map, vval key, vval value);
/* Lookup; false when absent. */
bool v_map_get(const vmap *m, vval key, vval *out);
bool v_map_get_str(const vmap *m, const char *k, size_t n, vval *out);
vval v_map_remove(varena *a, vval map, vval key);

/* Java's equals(), and the hash that agrees with it. */
bool v_java_equals(vval a, vval b);

/* Java's toString() appended to out; json selects how json-smart writes a
 * value inside a JSONArray. A block value (#define) needs a renderer: fn. */
typedef void (*v_block_fn)(void *rs, const vnode *blk, buf *out);
typedef struct vprint {
    v_block_fn block;
    void *rs;
    varena *a; /* for errors */
    size_t limit;
} vprint;
void v_print(vprint *pr, vval v, buf *out, bool json, int depth);
/* Java's Double.toString. */
void v_java_double(double d, buf *out);
/* json-smart's string escaping (used by $input.json and JSONArray.toString). */
void v_json_escape(const char *s, size_t n, buf *out);

/* Parse JSON text into values (JSON-flagged maps and lists, ints kept apart
 * from doubles as Java's parser does). Returns false with *msg on bad text. */
bool v_json_parse(varena *a, const char *s, size_t n, vval *out, const char **msg);

/* ---- JSONPath over any tree --------------------------------------------- */

enum { JP_OTHER, JP_OBJ, JP_ARR };
typedef struct jp_ops {
    int (*kind)(const void *n);
    size_t (*count)(const void *n);
    /* child i (array element or member value); prev is child i-1 or NULL,
     * so walking all children of a linked tree stays linear */
    const void *(*child)(const void *n, size_t i, const void *prev);
    const char *(*key)(const void *n, size_t i, const void *child, size_t *len);
} jp_ops;

typedef struct jp_result {
    const void **v;
    size_t n, cap;
    bool definite; /* a plain path: the single value, not a list */
} jp_result;

/* 0 on success (result filled, caller frees r->v with free), -1 with *msg
 * on a malformed path. */
int jp_eval(const jp_ops *ops, const void *root, const char *path, jp_result *r, const char **msg);
extern const jp_ops vtl_jp_ops; /* over vval trees (vtl_value.c) */

/* ---- rendering ---------------------------------------------------------- */

typedef struct vrender vrender;

/* Java method call on a value; returns false when no such method exists (the
 * reference then prints as written). Errors (Java exceptions) unwind. */
bool vtl_call(vrender *rs, vval self, const char *name, size_t nlen, vval *args, int nargs,
              vval *out, int off);
/* Property ($a.b): getter, map get, or isX(). */
bool vtl_prop(vrender *rs, vval self, const char *name, size_t nlen, vval *out);
/* Java exception → runtime error at source offset off. */
_Noreturn void vtl_throw(vrender *rs, int off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
varena *vtl_arena(vrender *rs);
void vtl_work(vrender *rs, uint64_t units);
/* Stringify as Java's String.valueOf would (for string methods' arguments). */
vval vtl_to_string(vrender *rs, vval v);

/* Regular expressions, Java syntax translated to POSIX ERE (vtl_regex.c). */
typedef struct vregex vregex;
vregex *vtl_regex(vrender *rs, const char *pat, size_t n, int off);
bool vtl_regex_match(vregex *re, const char *s, size_t n, size_t start, size_t *ms, size_t *me,
                     size_t *gs, size_t *ge, int ngroups);
int vtl_regex_groups(vregex *re);
/* Java Matcher.replaceAll / replaceFirst, String.split semantics. */
vval vtl_regex_replace(vrender *rs, vregex *re, vval s, vval rep, bool all, int off);
vval vtl_regex_split(vrender *rs, vregex *re, vval s, int64_t limit);
bool vtl_regex_matches(vrender *rs, vregex *re, vval s);

/* UTF-16 view of UTF-8 strings, as Java indexes them. */
size_t vtl_u16_len(const char *s, size_t n);
/* Byte offset of UTF-16 index i (i ≤ length). */
size_t vtl_u16_off(const char *s, size_t n, size_t i);

#endif
