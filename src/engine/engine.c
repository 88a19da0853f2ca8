/*
 * engine.c - evaluates a compiled rule pack over a segmented document.
 *
 * zl_engine_eval asks match.c for every needed atom's occurrences (one pass
 * over the tokens), then, per language version, evaluates each active rule's
 * statements over scope instances (sentences, clauses, paragraphs, sections,
 * the version) using binary search in those occurrence lists: the text is
 * never rescanned per rule.  Expressions evaluate to a sorted list of
 * evidence spans (token ranges) inside one instance, plus a flag for a match
 * without evidence (`not`).  The findings it appends (strings in the
 * document's arena) go to src/report/.
 *
 * zl_engine_prepare compiles the expressions into a graph of nodes: every
 * `|` of atoms is one atom set (its occurrences merged once per document),
 * `|` and `&` chains are nodes with many operands, and each node carries a
 * filter of atom sets.  Most tests only need whether a node holds, or the
 * first span of its list (a `forbid`'s evidence), so lists are built only
 * for the operands of `near` and `then`.  eval_expr, the evaluator of the
 * expressions as written, defines the results; the nodes give the same.
 */
#include "engine/engine.h"
#include "util/hash.h"

#include <stdlib.h>
#include <string.h>

#include "engine/match.h"
#include "ingest/ingest.h"
#include "text/position.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* A distinct set of atoms (sorted ascending). */
typedef struct aset {
    const uint32_t *atoms;
    uint32_t n;
    uint32_t node; /* its N_SET node + 1; 0 = none yet */
    uint32_t hash;
} aset;

/* The expressions of the statements are compiled into a graph of their own
 * (see "compiled expressions" below): an `|` of atoms becomes one atom set,
 * whose occurrences are merged once per document, and chains of `|` and of
 * `&` become one node with many operands. */
enum { N_SET, N_OR, N_AND, N_NEAR, N_THEN, N_NOT };

typedef struct enode {
    const zl_expr *x; /* N_OR: the expression, evaluated as written in the rare
                       * case that an operand's spans are out of order */
    uint8_t op;
    uint8_t vac;      /* can hold with no atom occurrence (through `not`) */
    uint32_t set;     /* N_SET: its atoms; N_OR: its atom operands (or UINT32_MAX) */
    const uint32_t *kids; /* N_OR, N_AND: the other operands; N_NEAR, N_THEN: a, b; N_NOT: a */
    uint32_t n_kids;
    uint32_t dist;    /* N_NEAR, N_THEN */
    const uint32_t *sets; /* a quick necessary condition (may_hold): atom sets each of */
    uint32_t n_sets;  /* which occurs where a non-vacuous node holds */
} enode;

/* A stack of ids (compiling scratch, used by index: it may move). */
typedef struct ustack {
    uint32_t *v;
    uint32_t n;
    size_t cap;
} ustack;

struct zl_engine {
    const zl_rule **rules;
    uint32_t n_rules;
    const zl_atom **atoms;
    uint32_t n_atoms;
    zl_match_index *ix;
    zl_arena *mem;         /* the nodes' operand and filter lists, the sets' atoms */
    enode *node;
    uint32_t n_node;
    size_t cap_node;
    aset *aset;
    uint32_t n_aset;
    size_t cap_aset;
    uint32_t *aset_slots; /* open addressing on the atoms' hash: set + 1 */
    uint32_t aset_mask;
    const zl_expr **map_x; /* compiled expressions and their nodes */
    uint32_t *map_id;
    uint32_t n_map;
    size_t cap_map;
    uint32_t *map_slots;   /* open addressing on the expression pointer: index + 1 */
    uint32_t map_mask;
    const uint32_t *rule_atoms; /* rule i's distinct atoms: [rule_atoms_at[i], rule_atoms_at[i + 1]) */
    const uint32_t *rule_atoms_at;
    uint8_t *all_atoms;    /* per atom: 1 = some rule has it */
    uint32_t *runs;        /* set i's atoms as runs of consecutive ids [runs[2k], runs[2k + 1]), */
    uint32_t *runs_at;     /* k in [runs_at[i], runs_at[i + 1]) */
    /* adopted from the registered image (zl_engine_use_image): the lists
     * above point into it, and expression E[i] is node expr_node[i] */
    int adopted;
    const zl_expr *expr_base;
    uint32_t n_exprs;
    const uint32_t *expr_node;
    /* while compiling */
    uint64_t *bits;        /* a bitmap of ids, all zero between uses */
    size_t n_bits_words;
    uint32_t *seen;        /* per node: the walk that last visited it */
    size_t cap_seen;
    uint32_t walk;
    ustack ids, kids;      /* atoms and operand nodes being collected */
    const zl_expr **ops_x;
    size_t cap_ops_x;
    uint32_t n_ops_x;
};

#define EXCERPT_MAX_CP 200

/* ---- preparing --------------------------------------------------------- */

/* ---- compiled expressions ---------------------------------------------- */

static uint32_t ptr_hash(const void *p)
{
    uint64_t h = (uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ULL;
    return (uint32_t)(h >> 32);
}

/* The node compiled from `x`, or UINT32_MAX when it was not compiled. */
static uint32_t node_find(const zl_engine *e, const zl_expr *x)
{
    if (e->expr_base) {
        uintptr_t d = (uintptr_t)x - (uintptr_t)e->expr_base;
        if (!x || d % sizeof *x || d / sizeof *x >= e->n_exprs)
            return UINT32_MAX;
        return e->expr_node[d / sizeof *x];
    }
    if (!e->map_slots || !x)
        return UINT32_MAX;
    for (uint32_t h = ptr_hash(x) & e->map_mask;; h = (h + 1) & e->map_mask) {
        uint32_t k = e->map_slots[h];
        if (!k)
            return UINT32_MAX;
        if (e->map_x[k - 1] == x)
            return e->map_id[k - 1];
    }
}

static void grow_u32(uint32_t **v, uint32_t *n, size_t *cap, uint32_t x)
{
    if (*n == *cap)
        *v = zl_xgrow(*v, cap, (size_t)*n + 1, sizeof **v);
    (*v)[(*n)++] = x;
}

static void us_push(ustack *s, uint32_t x)
{
    if (s->n == s->cap)
        s->v = zl_xgrow(s->v, &s->cap, (size_t)s->n + 1, sizeof *s->v);
    s->v[s->n++] = x;
}

/* Rehashes `slots` (index + 1 of keys[0..n)) at half load, or inserts key
 * n - 1; `hash` gives a key's hash. */
static void slots_add(uint32_t **slots, uint32_t *mask, uint32_t n, uint32_t (*hash)(const void *, uint32_t),
                      const void *ctx)
{
    if (n * 2 > *mask) {
        uint32_t size = 1024;
        while (size < n * 4)
            size *= 2;
        free(*slots);
        *slots = zl_xcalloc(size, sizeof **slots);
        *mask = size - 1;
        for (uint32_t i = 0; i < n; i++) {
            uint32_t h = hash(ctx, i) & *mask;
            while ((*slots)[h])
                h = (h + 1) & *mask;
            (*slots)[h] = i + 1;
        }
    } else {
        uint32_t h = hash(ctx, n - 1) & *mask;
        while ((*slots)[h])
            h = (h + 1) & *mask;
        (*slots)[h] = n;
    }
}

static uint32_t atoms_hash(const uint32_t *atoms, uint32_t n)
{
    uint64_t h = n;
    for (uint32_t i = 0; i < n; i++)
        h = (h ^ atoms[i]) * 0x9E3779B97F4A7C15ULL;
    return (uint32_t)(h ^ (h >> 32));
}

static uint32_t aset_hash(const void *ctx, uint32_t i)
{
    const zl_engine *e = ctx;
    return e->aset[i].hash;
}

static uint32_t map_hash(const void *ctx, uint32_t i)
{
    const zl_engine *e = ctx;
    return ptr_hash(e->map_x[i]);
}

/* Grows the scratch bitmap to hold bit `id`. */
static void bits_grow(zl_engine *e, uint32_t id)
{
    size_t w = id >> 6, n = e->n_bits_words ? e->n_bits_words : 64;
    while (n <= w)
        n *= 2;
    e->bits = zl_xrealloc(e->bits, n * sizeof *e->bits);
    memset(e->bits + e->n_bits_words, 0, (n - e->n_bits_words) * sizeof *e->bits);
    e->n_bits_words = n;
}

/* Sets bit `id` of the scratch bitmap; keeps *lo, *hi the least and
 * greatest word touched. */
static inline void bit_set(zl_engine *e, uint32_t id, size_t *lo, size_t *hi)
{
    size_t w = id >> 6;
    if (w >= e->n_bits_words)
        bits_grow(e, id);
    e->bits[w] |= 1ULL << (id & 63);
    if (w < *lo)
        *lo = w;
    if (w > *hi)
        *hi = w;
}

/* Writes the ids of bitmap words [lo, hi] to out in ascending order and
 * clears them; returns the count. */
static uint32_t bits_take(zl_engine *e, size_t lo, size_t hi, uint32_t *out)
{
    uint32_t n = 0;
    for (size_t w = lo; w <= hi && w < e->n_bits_words; w++) {
        uint64_t b = e->bits[w];
        e->bits[w] = 0;
        while (b) {
            out[n++] = (uint32_t)(w * 64 + (size_t)__builtin_ctzll(b));
            b &= b - 1;
        }
    }
    return n;
}

/* Sorts v[0..n) and drops repeated ids; returns the new count. */
static uint32_t sort_unique_ids(zl_engine *e, uint32_t *v, uint32_t n)
{
    if (n < 2)
        return n;
    uint32_t k = 1;
    while (k < n && v[k - 1] < v[k])
        k++;
    if (k == n)
        return n; /* already sorted and distinct (atoms in pack order) */
    if (n <= 16) {
        for (uint32_t i = 1; i < n; i++) {
            uint32_t x = v[i], j = i;
            for (; j > 0 && v[j - 1] > x; j--)
                v[j] = v[j - 1];
            v[j] = x;
        }
        uint32_t w = 1;
        for (uint32_t i = 1; i < n; i++)
            if (v[i] != v[w - 1])
                v[w++] = v[i];
        return w;
    }
    size_t lo = SIZE_MAX, hi = 0;
    for (uint32_t i = 0; i < n; i++)
        bit_set(e, v[i], &lo, &hi);
    return bits_take(e, lo, hi, v);
}

/* The set of the sorted distinct atoms ids[0..n). */
static uint32_t intern_sorted(zl_engine *e, const uint32_t *ids, uint32_t n)
{
    uint32_t hv = atoms_hash(ids, n);
    if (e->aset_slots) {
        for (uint32_t h = hv & e->aset_mask;; h = (h + 1) & e->aset_mask) {
            uint32_t k = e->aset_slots[h];
            if (!k)
                break;
            const aset *s = &e->aset[k - 1];
            if (s->n == n && memcmp(s->atoms, ids, n * sizeof *ids) == 0)
                return k - 1;
        }
    }
    uint32_t *atoms = zl_arena_alloc(e->mem, (n ? n : 1) * sizeof *atoms);
    memcpy(atoms, ids, n * sizeof *atoms);
    e->aset = zl_xgrow(e->aset, &e->cap_aset, e->n_aset + 1, sizeof *e->aset);
    e->aset[e->n_aset++] = (aset){atoms, n, 0, hv};
    slots_add(&e->aset_slots, &e->aset_mask, e->n_aset, aset_hash, e);
    return e->n_aset - 1;
}

/* The set of the distinct atoms ids[0..n) (any order, repeats allowed). */
static uint32_t intern_set(zl_engine *e, uint32_t *ids, uint32_t n)
{
    return intern_sorted(e, ids, sort_unique_ids(e, ids, n));
}

/* A copy of v[0..n) in the engine's arena. */
static uint32_t *ids_keep(zl_engine *e, const uint32_t *v, uint32_t n)
{
    uint32_t *p = zl_arena_alloc(e->mem, (n ? n : 1) * sizeof *p);
    memcpy(p, v, n * sizeof *p);
    return p;
}

/* Marks in the scratch bitmap every atom below node `id` not yet visited
 * in the current walk (e->walk). */
static void mark_atoms(zl_engine *e, uint32_t id, size_t *lo, size_t *hi)
{
    if (e->seen[id] == e->walk)
        return;
    e->seen[id] = e->walk;
    const enode *n = &e->node[id];
    if (n->op == N_OR && n->n_sets) {
        /* its filter is every atom below it */
        const aset *s = &e->aset[n->sets[0]];
        for (uint32_t k = 0; k < s->n; k++)
            bit_set(e, s->atoms[k], lo, hi);
        return;
    }
    if (n->set != UINT32_MAX) {
        const aset *s = &e->aset[n->set];
        for (uint32_t k = 0; k < s->n; k++)
            bit_set(e, s->atoms[k], lo, hi);
    }
    for (uint32_t k = 0; k < n->n_kids; k++)
        mark_atoms(e, n->kids[k], lo, hi);
}

/* Appends the operands of a chain of `kind` (`a | b | c` is `(a | b) | c`)
 * to e->ops_x. */
static void flatten(zl_engine *e, const zl_expr *x, zl_expr_kind kind)
{
    while (x->kind == kind) {
        flatten(e, x->a, kind);
        x = x->b;
    }
    if (e->n_ops_x == e->cap_ops_x)
        e->ops_x = zl_xgrow(e->ops_x, &e->cap_ops_x, (size_t)e->n_ops_x + 1, sizeof *e->ops_x);
    e->ops_x[e->n_ops_x++] = x;
}

static uint32_t node_push(zl_engine *e, enode n)
{
    if (e->n_node == e->cap_node) {
        e->node = zl_xgrow(e->node, &e->cap_node, e->n_node + 1, sizeof *e->node);
        e->seen = zl_xgrow(e->seen, &e->cap_seen, e->cap_node, sizeof *e->seen);
    }
    e->node[e->n_node] = n;
    e->seen[e->n_node] = 0;
    return e->n_node++;
}

static uint32_t set_node(zl_engine *e, uint32_t set)
{
    if (!e->aset[set].node) {
        enode n = {0};
        n.op = N_SET;
        n.set = set;
        n.sets = ids_keep(e, &set, 1);
        n.n_sets = 1;
        e->aset[set].node = node_push(e, n) + 1;
    }
    return e->aset[set].node - 1;
}

/* The filter of a node whose operands are compiled: `|` needs one of all
 * its atoms; `&`, `near` and `then` need what each non-vacuous operand
 * needs; a vacuous node needs nothing. */
static void node_filter(zl_engine *e, uint32_t id)
{
    if (e->node[id].vac)
        return;
    if (e->node[id].op == N_OR) {
        size_t lo = SIZE_MAX, hi = 0;
        e->walk++;
        mark_atoms(e, id, &lo, &hi);
        uint32_t base = e->ids.n, cnt = 0;
        if (lo <= hi) {
            size_t most = (hi - lo + 1) * 64;
            while (e->ids.cap < base + most)
                e->ids.v = zl_xgrow(e->ids.v, &e->ids.cap, base + most, sizeof *e->ids.v);
            cnt = bits_take(e, lo, hi, e->ids.v + base);
        }
        uint32_t s = intern_sorted(e, e->ids.v + base, cnt);
        enode *n = &e->node[id];
        n->sets = ids_keep(e, &s, 1);
        n->n_sets = 1;
        return;
    }
    uint32_t base = e->ids.n;
    for (uint32_t k = 0; k < e->node[id].n_kids; k++) {
        const enode *c = &e->node[e->node[id].kids[k]];
        if (c->vac)
            continue;
        for (uint32_t j = 0; j < c->n_sets; j++)
            us_push(&e->ids, c->sets[j]);
    }
    uint32_t cnt = sort_unique_ids(e, e->ids.v + base, e->ids.n - base);
    enode *n = &e->node[id];
    n->sets = ids_keep(e, e->ids.v + base, cnt);
    n->n_sets = cnt;
    e->ids.n = base;
}

/* Takes the operand nodes kids.v[base..) into the arena, sorted and
 * distinct, for node *n. */
static void take_kids(zl_engine *e, enode *n, uint32_t base)
{
    n->n_kids = sort_unique_ids(e, e->kids.v + base, e->kids.n - base);
    n->kids = n->n_kids ? ids_keep(e, e->kids.v + base, n->n_kids) : NULL;
    e->kids.n = base;
}

static uint32_t compile_expr(zl_engine *e, const zl_expr *x)
{
    uint32_t id = node_find(e, x);
    if (id != UINT32_MAX)
        return id;
    enode n = {0};
    n.set = UINT32_MAX;
    switch (x->kind) {
    case ZL_EX_ATOM: {
        uint32_t atom = x->atom;
        id = set_node(e, intern_set(e, &atom, 1));
        break;
    }
    case ZL_EX_OR: {
        uint32_t ob = e->n_ops_x, ib = e->ids.n, kb = e->kids.n;
        flatten(e, x, ZL_EX_OR);
        for (uint32_t k = ob; k < e->n_ops_x; k++) {
            if (e->ops_x[k]->kind == ZL_EX_ATOM)
                us_push(&e->ids, e->ops_x[k]->atom);
        }
        for (uint32_t k = ob; k < e->n_ops_x; k++) {
            if (e->ops_x[k]->kind != ZL_EX_ATOM) {
                uint32_t c = compile_expr(e, e->ops_x[k]);
                us_push(&e->kids, c);
            }
        }
        e->n_ops_x = ob;
        if (e->ids.n > ib)
            n.set = intern_set(e, e->ids.v + ib, e->ids.n - ib);
        e->ids.n = ib;
        take_kids(e, &n, kb);
        if (!n.n_kids) {
            id = set_node(e, n.set);
            break;
        }
        n.op = N_OR;
        n.x = x;
        for (uint32_t k = 0; k < n.n_kids; k++)
            n.vac |= e->node[n.kids[k]].vac;
        id = node_push(e, n);
        node_filter(e, id);
        break;
    }
    case ZL_EX_AND: {
        uint32_t ob = e->n_ops_x, kb = e->kids.n;
        flatten(e, x, ZL_EX_AND);
        for (uint32_t k = ob; k < e->n_ops_x; k++) {
            uint32_t c = compile_expr(e, e->ops_x[k]);
            us_push(&e->kids, c);
        }
        e->n_ops_x = ob;
        take_kids(e, &n, kb);
        n.op = N_AND;
        n.vac = 1;
        for (uint32_t k = 0; k < n.n_kids; k++)
            n.vac &= e->node[n.kids[k]].vac;
        id = node_push(e, n);
        node_filter(e, id);
        break;
    }
    case ZL_EX_NOT: {
        uint32_t a = compile_expr(e, x->a);
        n.op = N_NOT;
        n.kids = ids_keep(e, &a, 1);
        n.n_kids = 1;
        n.vac = 1;
        id = node_push(e, n);
        break;
    }
    default: {
        uint32_t ab[2];
        ab[0] = compile_expr(e, x->a);
        ab[1] = compile_expr(e, x->b);
        n.op = x->kind == ZL_EX_NEAR ? N_NEAR : N_THEN;
        n.dist = x->dist;
        n.kids = ids_keep(e, ab, 2);
        n.n_kids = 2;
        n.vac = e->node[ab[0]].vac && e->node[ab[1]].vac;
        id = node_push(e, n);
        node_filter(e, id);
        break;
    }
    }
    if (e->n_map == e->cap_map) {
        size_t cap = e->cap_map;
        e->map_x = zl_xgrow(e->map_x, &cap, e->n_map + 1, sizeof *e->map_x);
        e->map_id = zl_xgrow(e->map_id, &e->cap_map, e->n_map + 1, sizeof *e->map_id);
    }
    e->map_x[e->n_map] = x;
    e->map_id[e->n_map] = id;
    e->n_map++;
    slots_add(&e->map_slots, &e->map_mask, e->n_map, map_hash, e);
    return id;
}

/* Marks the atoms of the node compiled from `x` (when there is one),
 * compiling it first when `compile` is set. */
static void rule_expr(zl_engine *e, const zl_expr *x, int compile, size_t *lo, size_t *hi)
{
    if (!x)
        return;
    if (compile)
        compile_expr(e, x);
    else
        mark_atoms(e, node_find(e, x), lo, hi);
}

/* Each expression of rule `r`: compiled (`compile`), else its atoms
 * marked. */
static void rule_exprs(zl_engine *e, const zl_rule *r, int compile, size_t *lo, size_t *hi)
{
    rule_expr(e, r->anchor, compile, lo, hi);
    for (uint32_t k = 0; k < r->n_stmts; k++) {
        const zl_stmt *st = &r->stmts[k];
        rule_expr(e, st->expr, compile, lo, hi);
        rule_expr(e, st->unless, compile, lo, hi);
        for (uint32_t m = 0; m < st->n_members; m++)
            rule_expr(e, st->members[m].expr, compile, lo, hi);
        for (uint32_t m = 0; m < st->n_whens; m++)
            rule_expr(e, st->whens[m].expr, compile, lo, hi);
    }
}

/* Compiles every expression a statement evaluates; lists each rule's
 * atoms (a walk over its nodes marking atoms in a bitmap, which gives
 * them sorted and distinct). */
static void build_nodes(zl_engine *e)
{
    for (uint32_t i = 0; i < e->n_rules; i++)
        rule_exprs(e, e->rules[i], 1, NULL, NULL);
    uint32_t *at = zl_xmalloc(((size_t)e->n_rules + 1) * sizeof *at);
    ustack ra = {NULL, 0, 0};
    for (uint32_t i = 0; i < e->n_rules; i++) {
        size_t lo = SIZE_MAX, hi = 0;
        e->walk++;
        rule_exprs(e, e->rules[i], 0, &lo, &hi);
        at[i] = ra.n;
        if (lo <= hi) {
            size_t need = ra.n + (hi - lo + 1) * 64;
            if (ra.cap < need)
                ra.v = zl_xgrow(ra.v, &ra.cap, need, sizeof *ra.v);
            ra.n += bits_take(e, lo, hi, ra.v + ra.n);
        }
    }
    at[e->n_rules] = ra.n;
    e->rule_atoms_at = at;
    e->rule_atoms = ra.v;
    free(e->bits);
    free(e->seen);
    free(e->ids.v);
    free(e->kids.v);
    free(e->ops_x);
    e->bits = NULL;
    e->seen = NULL;
    e->ops_x = NULL;
    e->ids.v = e->kids.v = NULL;
}

/* ---- the build-time image of the graph ---------------------------------- */

/* The image (engine.h zl_engine_image) is an array of 32-bit words: a head,
 * then per node NODE_W words, per atom set ASET_W words, the node of each
 * image expression, the rules' atom offsets and atoms, and a pool that the
 * nodes' operand and filter lists and the sets' atoms index. */
enum { H_MAGIC, H_RULES, H_ATOMS, H_EXPRS, H_NODES, H_ASETS, H_POOL, H_RULE_ATOMS, H_WORDS };
enum { NODE_W = 8, ASET_W = 3 };
#define GRAPH_MAGIC 0x5A4C4731u /* "ZLG1" */

/* The registered image (zl_engine_use_image). */
static const zl_rule *img_rules;
static uint32_t img_n_rules, img_n_atoms;
static const zl_expr *img_exprs;
static uint32_t img_n_exprs;
static const uint32_t *img_words;
static size_t img_len;

void zl_engine_use_image(const zl_rule *rules, uint32_t n_rules, uint32_t n_atoms,
                         const zl_expr *exprs, uint32_t n_exprs, const void *blob, size_t len)
{
    img_rules = rules;
    img_n_rules = n_rules;
    img_n_atoms = n_atoms;
    img_exprs = exprs;
    img_n_exprs = n_exprs;
    img_words = blob;
    img_len = len;
}

int zl_engine_adopted(const zl_engine *e)
{
    return e->adopted;
}

/* Whether list v[0..n) lies in the pool (of np words) and each id is below
 * lim (ascending when `asc`). */
static int list_ok(size_t off, size_t n, size_t np, const uint32_t *pool, uint32_t lim, int asc)
{
    if (off > np || n > np - off)
        return 0;
    for (size_t k = 0; k < n; k++) {
        if (pool[off + k] >= lim || (asc && k && pool[off + k] <= pool[off + k - 1]))
            return 0;
    }
    return 1;
}

/* Adopts the registered image when e's rules are exactly the image's and
 * the image is consistent; returns whether it did. */
static int graph_adopt(zl_engine *e)
{
    const uint32_t *w = img_words;
    if (!w || (uintptr_t)w % sizeof *w || img_len < H_WORDS * sizeof *w || e->n_rules != img_n_rules ||
        e->n_atoms != img_n_atoms)
        return 0;
    for (uint32_t i = 0; i < e->n_rules; i++) {
        if (e->rules[i] != &img_rules[i])
            return 0;
    }
    if (w[H_MAGIC] != GRAPH_MAGIC || w[H_RULES] != e->n_rules || w[H_ATOMS] != e->n_atoms ||
        w[H_EXPRS] != img_n_exprs)
        return 0;
    size_t nn = w[H_NODES], ns = w[H_ASETS], np = w[H_POOL], nra = w[H_RULE_ATOMS];
    size_t o_node = H_WORDS, o_aset = o_node + nn * NODE_W, o_expr = o_aset + ns * ASET_W;
    size_t o_at = o_expr + img_n_exprs, o_ra = o_at + e->n_rules + 1, o_pool = o_ra + nra;
    if (img_len != (o_pool + np) * sizeof *w)
        return 0;
    const uint32_t *pool = w + o_pool;
    size_t at = 0; /* the lists lie in the pool one after another */
    for (size_t i = 0; i < nn; i++) {
        const uint32_t *r = w + o_node + i * NODE_W;
        uint32_t op = r[0] & 0xff, vac = r[0] >> 8;
        if (r[3] != at || r[5] != at + r[2])
            return 0;
        at += (size_t)r[2] + r[4];
        if (op > N_NOT || vac > 1 || (r[1] != UINT32_MAX && r[1] >= ns) ||
            !list_ok(r[3], r[2], np, pool, (uint32_t)i, op == N_OR || op == N_AND) || !list_ok(r[5], r[4], np, pool, (uint32_t)ns, 1) ||
            (r[7] != UINT32_MAX && r[7] >= img_n_exprs))
            return 0;
        if ((op == N_SET && r[1] == UINT32_MAX) || (op == N_OR) != (r[7] != UINT32_MAX) ||
            (op == N_NOT && r[2] != 1) || ((op == N_NEAR || op == N_THEN) && r[2] != 2))
            return 0;
    }
    for (size_t i = 0; i < ns; i++) {
        const uint32_t *r = w + o_aset + i * ASET_W;
        if (r[1] != at)
            return 0;
        at += r[0];
        if (!list_ok(r[1], r[0], np, pool, e->n_atoms, 1) || r[2] > nn)
            return 0;
    }
    if (at != np)
        return 0;
    for (size_t i = 0; i < img_n_exprs; i++) {
        if (w[o_expr + i] != UINT32_MAX && w[o_expr + i] >= nn)
            return 0;
    }
    if (w[o_at] != 0 || w[o_at + e->n_rules] != nra)
        return 0;
    for (uint32_t i = 0; i < e->n_rules; i++) {
        if (w[o_at + i + 1] < w[o_at + i] ||
            !list_ok(o_ra + w[o_at + i], w[o_at + i + 1] - w[o_at + i], o_pool, w, e->n_atoms, 1))
            return 0;
    }
    e->node = zl_xmalloc((nn ? nn : 1) * sizeof *e->node);
    for (size_t i = 0; i < nn; i++) {
        const uint32_t *r = w + o_node + i * NODE_W;
        e->node[i] = (enode){r[7] != UINT32_MAX ? &img_exprs[r[7]] : NULL,
                             (uint8_t)(r[0] & 0xff),
                             (uint8_t)(r[0] >> 8),
                             r[1],
                             r[2] ? pool + r[3] : NULL,
                             r[2],
                             r[6],
                             pool + r[5],
                             r[4]};
    }
    e->aset = zl_xmalloc((ns ? ns : 1) * sizeof *e->aset);
    for (size_t i = 0; i < ns; i++) {
        const uint32_t *r = w + o_aset + i * ASET_W;
        e->aset[i] = (aset){pool + r[1], r[0], r[2], 0};
    }
    e->n_node = (uint32_t)nn;
    e->cap_node = nn;
    e->n_aset = (uint32_t)ns;
    e->cap_aset = ns;
    e->expr_base = img_exprs;
    e->n_exprs = img_n_exprs;
    e->expr_node = w + o_expr;
    e->rule_atoms_at = w + o_at;
    e->rule_atoms = w + o_ra;
    e->adopted = 1;
    free(e->bits);
    e->bits = NULL;
    return 1;
}

size_t zl_engine_image(const zl_engine *e, const zl_expr *const *exprs, uint32_t n_exprs, zl_buf *out)
{
    uint32_t *xi = zl_xmalloc(((size_t)e->n_node + 1) * sizeof *xi);
    uint32_t *en = zl_xmalloc(((size_t)n_exprs + 1) * sizeof *en);
    memset(xi, 0xff, ((size_t)e->n_node + 1) * sizeof *xi);
    for (uint32_t i = 0; i < n_exprs; i++) {
        en[i] = node_find(e, exprs[i]);
        if (en[i] != UINT32_MAX && e->node[en[i]].x == exprs[i])
            xi[en[i]] = i;
    }
    size_t start = out->len;
    uint32_t pool = 0, nra = e->rule_atoms_at[e->n_rules];
    for (uint32_t i = 0; i < e->n_node; i++) {
        if (e->node[i].x && xi[i] == UINT32_MAX) {
            free(xi);
            free(en);
            return 0; /* an expression outside the list */
        }
        pool += e->node[i].n_kids + e->node[i].n_sets;
    }
    for (uint32_t i = 0; i < e->n_aset; i++)
        pool += e->aset[i].n;
    uint32_t head[H_WORDS] = {GRAPH_MAGIC, e->n_rules, e->n_atoms, n_exprs, e->n_node, e->n_aset, pool, nra};
    zl_buf_put(out, head, sizeof head);
    uint32_t at = 0;
    for (uint32_t i = 0; i < e->n_node; i++) {
        const enode *n = &e->node[i];
        uint32_t r[NODE_W] = {(uint32_t)n->op | (uint32_t)n->vac << 8, n->set, n->n_kids, at, n->n_sets,
                              at + n->n_kids, n->dist, xi[i]};
        if (!n->x)
            r[7] = UINT32_MAX;
        zl_buf_put(out, r, sizeof r);
        at += n->n_kids + n->n_sets;
    }
    for (uint32_t i = 0; i < e->n_aset; i++) {
        uint32_t r[ASET_W] = {e->aset[i].n, at, e->aset[i].node};
        zl_buf_put(out, r, sizeof r);
        at += e->aset[i].n;
    }
    zl_buf_put(out, en, n_exprs * sizeof *en);
    zl_buf_put(out, e->rule_atoms_at, ((size_t)e->n_rules + 1) * sizeof *e->rule_atoms_at);
    zl_buf_put(out, e->rule_atoms, (size_t)nra * sizeof *e->rule_atoms);
    for (uint32_t i = 0; i < e->n_node; i++) {
        zl_buf_put(out, e->node[i].kids, e->node[i].n_kids * sizeof(uint32_t));
        zl_buf_put(out, e->node[i].sets, e->node[i].n_sets * sizeof(uint32_t));
    }
    for (uint32_t i = 0; i < e->n_aset; i++)
        zl_buf_put(out, e->aset[i].atoms, e->aset[i].n * sizeof(uint32_t));
    free(xi);
    free(en);
    return out->len - start;
}

/* An expression as the dump shows it: its index among the registered
 * image's expressions, else its node. */
static void dump_expr(const zl_engine *e, const zl_expr *x, zl_buf *out)
{
    uintptr_t d = (uintptr_t)x - (uintptr_t)img_exprs;
    if (x && img_exprs && d % sizeof *x == 0 && d / sizeof *x < img_n_exprs)
        zl_buf_printf(out, " x=E%zu", (size_t)(d / sizeof *x));
    else
        zl_buf_printf(out, " x=%s%u", x ? "n" : "-", x ? node_find(e, x) : 0);
}

static void dump_ids(zl_buf *out, const char *name, const uint32_t *v, uint32_t n)
{
    zl_buf_printf(out, " %s[%u]", name, n);
    for (uint32_t k = 0; k < n; k++)
        zl_buf_printf(out, " %u", v[k]);
}

void zl_engine_dump(const zl_engine *e, zl_buf *out)
{
    zl_buf_printf(out, "engine rules %u atoms %u nodes %u sets %u\n", e->n_rules, e->n_atoms, e->n_node,
                  e->n_aset);
    for (uint32_t i = 0; i < e->n_node; i++) {
        const enode *n = &e->node[i];
        zl_buf_printf(out, "n%u op %u vac %u set %d dist %u", i, n->op, n->vac,
                      n->set == UINT32_MAX ? -1 : (int)n->set, n->dist);
        dump_expr(e, n->x, out);
        dump_ids(out, "kids", n->kids, n->n_kids);
        dump_ids(out, "sets", n->sets, n->n_sets);
        zl_buf_putc(out, '\n');
    }
    for (uint32_t i = 0; i < e->n_aset; i++) {
        zl_buf_printf(out, "s%u node %u", i, e->aset[i].node);
        dump_ids(out, "atoms", e->aset[i].atoms, e->aset[i].n);
        zl_buf_putc(out, '\n');
    }
    for (uint32_t i = 0; i < e->n_rules; i++) {
        zl_buf_printf(out, "r%u", i);
        dump_ids(out, "atoms", e->rule_atoms + e->rule_atoms_at[i],
                 e->rule_atoms_at[i + 1] - e->rule_atoms_at[i]);
        zl_buf_putc(out, '\n');
    }
    for (uint32_t i = 0; img_exprs && i < img_n_exprs; i++) {
        uint32_t id = node_find(e, &img_exprs[i]);
        if (id != UINT32_MAX)
            zl_buf_printf(out, "E%u n%u\n", i, id);
    }
}

/* Splits each atom set's atoms (ascending) into runs of consecutive ids. */
static void set_runs(zl_engine *e)
{
    size_t n = 0;
    for (uint32_t i = 0; i < e->n_aset; i++)
        n += e->aset[i].n;
    uint32_t *runs = zl_xmalloc((n ? n : 1) * 2 * sizeof *runs), k = 0;
    e->runs_at = zl_xmalloc(((size_t)e->n_aset + 1) * sizeof *e->runs_at);
    for (uint32_t i = 0; i < e->n_aset; i++) {
        const uint32_t *at = e->aset[i].atoms;
        uint32_t na = e->aset[i].n;
        e->runs_at[i] = k;
        for (uint32_t j = 0; j < na; k++) {
            uint32_t first = at[j++], end = first + 1;
            while (j < na && at[j] == end) {
                end++;
                j++;
            }
            runs[2 * k] = first;
            runs[2 * k + 1] = end;
        }
    }
    e->runs_at[e->n_aset] = k;
    e->runs = runs;
}

zl_engine *zl_engine_prepare_ir(const zl_rule *const *rules, uint32_t n_rules,
                                const zl_atom *const *atoms, uint32_t n_atoms)
{
    zl_engine *e = zl_xcalloc(1, sizeof *e);
    e->n_rules = n_rules;
    e->n_atoms = n_atoms;
    e->rules = zl_xmalloc((n_rules ? n_rules : 1) * sizeof *e->rules);
    e->atoms = zl_xmalloc((n_atoms ? n_atoms : 1) * sizeof *e->atoms);
    for (uint32_t i = 0; i < n_rules; i++)
        e->rules[i] = rules[i];
    for (uint32_t i = 0; i < n_atoms; i++)
        e->atoms[i] = atoms[i];
    e->ix = zl_match_index_new(e->atoms, n_atoms);
    e->mem = zl_arena_new();
    if (!graph_adopt(e)) {
        if (n_atoms)
            bits_grow(e, n_atoms - 1);
        build_nodes(e);
    }
    e->all_atoms = zl_xcalloc(n_atoms ? n_atoms : 1, 1);
    for (uint32_t k = 0; k < e->rule_atoms_at[n_rules]; k++)
        e->all_atoms[e->rule_atoms[k]] = 1;
    set_runs(e);
    return e;
}

zl_engine *zl_engine_prepare(const zl_pack *pack)
{
    uint32_t nr = zl_pack_rule_count(pack), na = zl_pack_atom_count(pack);
    const zl_rule **rules = zl_xmalloc((nr ? nr : 1) * sizeof *rules);
    const zl_atom **atoms = zl_xmalloc((na ? na : 1) * sizeof *atoms);
    for (uint32_t i = 0; i < nr; i++)
        rules[i] = zl_pack_rule(pack, i);
    for (uint32_t i = 0; i < na; i++)
        atoms[i] = zl_pack_atom(pack, i);
    zl_engine *e = zl_engine_prepare_ir(rules, nr, atoms, na);
    free(rules);
    free(atoms);
    return e;
}

void zl_engine_free(zl_engine *e)
{
    if (!e)
        return;
    zl_arena_free(e->mem);
    free(e->node);
    free(e->aset);
    free(e->aset_slots);
    free(e->map_x);
    free(e->map_id);
    free(e->map_slots);
    if (!e->adopted) {
        free((void *)e->rule_atoms);
        free((void *)e->rule_atoms_at);
    }
    zl_match_index_free(e->ix);
    free(e->all_atoms);
    free(e->runs);
    free(e->runs_at);
    free(e->rules);
    free(e->atoms);
    free(e);
}

/* ---- rule walking ------------------------------------------------------ */

/* Sets needed[a] for every atom of rule i. */
static void mark_rule(const zl_engine *e, uint32_t i, uint8_t *needed)
{
    for (uint32_t k = e->rule_atoms_at[i]; k < e->rule_atoms_at[i + 1]; k++)
        needed[e->rule_atoms[k]] = 1;
}

static int in_force(const zl_rule *r, const zl_eval_opts *o)
{
    if (o && o->as_of) {
        if (r->since && r->since > o->as_of)
            return 0;
        if (r->until && r->until <= o->as_of)
            return 0;
    }
    return 1;
}

int zl_rule_is_active(const zl_rule *r, const zl_eval_opts *opts)
{
    if (opts && opts->active && !opts->active[r->index])
        return 0;
    return in_force(r, opts);
}

static int rule_active(const zl_engine *e, uint32_t i, const zl_eval_opts *o)
{
    if (o && o->active && !o->active[i])
        return 0;
    return in_force(e->rules[i], o);
}

/* ---- evaluation state -------------------------------------------------- */

typedef struct rvec {
    zl_range *v;
    size_t n, cap;
} rvec;

static void rv_grow(rvec *r)
{
    r->v = zl_xgrow(r->v, &r->cap, r->n + 1, sizeof *r->v);
}

static inline void rv_push(rvec *r, zl_range x)
{
    if (r->n == r->cap)
        rv_grow(r);
    r->v[r->n++] = x;
}

/* The result of an expression in one instance: spans sc.v[at .. at+n),
 * sorted by first token; `vac` = also satisfied without evidence. */
typedef struct res {
    size_t at, n;
    int vac;
} res;

static int sat(res r)
{
    return r.n > 0 || r.vac;
}

/* An atom set in one document.  Its occurrences are merged into one list
 * only once it has been asked about often enough to pay for the merge;
 * until then each question goes to the lists of its atoms that occur. */
typedef struct xset {
    const zl_range *m; /* the merged list (or the only occurring atom's own) */
    uint32_t n;
    uint8_t state;     /* XS_NEW, XS_COUNTED (total only), XS_ATOMS (asking
                        * the atoms), XS_MERGED */
    uint32_t asked;    /* questions answered from the atoms' lists */
    uint32_t live;     /* into ev.live: the atoms that occur */
    uint32_t n_live;
    uint32_t total;    /* their occurrences */
    uint32_t lmax;     /* the longest span + 1 once merged, 0 = not known yet */
} xset;

enum { XS_NEW = 0, XS_COUNTED, XS_ATOMS, XS_MERGED };

typedef struct rvec_u32 {
    uint32_t *v;
    uint32_t n;
    size_t cap;
} rvec_u32;

typedef struct ev {
    const zl_engine *e;
    const zl_doc *doc;
    zl_occurrences occ;
    rvec sc;       /* expression spans (a stack, reset per instance) */
    rvec win[2];   /* when-windows, ping-pong */
    rvec inst;     /* statement instances of one window */
    xset *xs;      /* per atom set */
    rvec_u32 live; /* the xset.live lists */
    zl_arena *mem; /* the merged lists (made at the first merge) */
    uint64_t *mbits; /* merging scratch: a bit per first token, */
    uint32_t *mhead; /* the last occurrence seen per first token, */
    uint32_t *mnext; /* per occurrence the one seen before at its token */
    uint32_t *ccost; /* per node: cover_cost + 1, 0 = not known yet */
    uint32_t *cpick; /* per node: the operand whose cover it takes */
    uint64_t *sbits; /* the skip's marked tokens */
    rvec vinst[ZL_SCOPE_DOCUMENT]; /* the instances of each scope in the version */
    uint8_t vinst_ok[ZL_SCOPE_DOCUMENT];
    zl_range ver;  /* current language version */
    uint32_t vi;
    zl_lang lang;
    zl_findings *out;
} ev;

/* ---- expressions ------------------------------------------------------- */

static res eval_expr(ev *v, const zl_expr *x, zl_range in);

static res eval_atom(ev *v, uint32_t atom, zl_range in)
{
    res r = {v->sc.n, 0, 0};
    if (atom >= v->occ.n_atoms)
        return r;
    uint32_t hi = v->occ.start[atom + 1];
    for (uint32_t k = zl_occurrences_lower(&v->occ, atom, in.first);
         k < hi && v->occ.occ[k].first < in.end; k++)
        if (v->occ.occ[k].end <= in.end)
            rv_push(&v->sc, v->occ.occ[k]);
    r.n = v->sc.n - r.at;
    return r;
}

static int span_cmp(const void *pa, const void *pb)
{
    const zl_range *a = pa, *b = pb;
    if (a->first != b->first)
        return a->first < b->first ? -1 : 1;
    return a->end < b->end ? -1 : a->end > b->end;
}

/* Whether r's spans are in order (repeats allowed). */
static int res_sorted(const ev *v, res r)
{
    for (size_t k = 1; k < r.n; k++)
        if (span_cmp(&v->sc.v[r.at + k - 1], &v->sc.v[r.at + k]) > 0)
            return 0;
    return 1;
}

static zl_range span_union(zl_range a, zl_range b)
{
    return (zl_range){a.first < b.first ? a.first : b.first, a.end > b.end ? a.end : b.end};
}

static res eval_or(ev *v, res a, res b)
{
    res r = {v->sc.n, 0, a.vac || b.vac};
    size_t i = 0, j = 0;
    while (i < a.n || j < b.n) {
        zl_range x;
        if (j >= b.n || (i < a.n && span_cmp(&v->sc.v[a.at + i], &v->sc.v[b.at + j]) <= 0))
            x = v->sc.v[a.at + i++];
        else
            x = v->sc.v[b.at + j++];
        if (r.n == 0 || span_cmp(&v->sc.v[r.at + r.n - 1], &x) != 0) {
            rv_push(&v->sc, x);
            r.n++;
        }
    }
    return r;
}

static res eval_and(ev *v, res a, res b)
{
    res r = {v->sc.n, 0, 0};
    if (!sat(a) || !sat(b))
        return r;
    if (a.n == 0 && b.n == 0) {
        r.vac = 1;
        return r;
    }
    zl_range x;
    if (a.n == 0)
        x = v->sc.v[b.at];
    else if (b.n == 0)
        x = v->sc.v[a.at];
    else
        x = span_union(v->sc.v[a.at], v->sc.v[b.at]);
    rv_push(&v->sc, x);
    r.n = 1;
    return r;
}

/* Tokens strictly between two spans (0 when they touch or overlap). */
static uint32_t span_gap(zl_range x, zl_range y)
{
    if (y.first >= x.end)
        return y.first - x.end;
    if (x.first >= y.end)
        return x.first - y.end;
    return 0;
}

/* First index k in [0, r.n) with sc[r.at + k].first >= tok. */
static size_t res_lower(const ev *v, res r, uint32_t tok)
{
    size_t lo = 0, hi = r.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v->sc.v[r.at + mid].first >= tok)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

static res eval_near(ev *v, res a, res b, uint32_t dist, int sort)
{
    res r = {v->sc.n, 0, 0};
    if (!sat(a) || !sat(b))
        return r;
    if (a.n == 0)
        return b; /* `not X near Y`: degrades to `&` */
    if (b.n == 0)
        return a;
    uint32_t lmax = 0;
    for (size_t j = 0; j < b.n; j++) {
        zl_range y = v->sc.v[b.at + j];
        if (y.end - y.first > lmax)
            lmax = y.end - y.first;
    }
    for (size_t i = 0; i < a.n; i++) {
        zl_range x = v->sc.v[a.at + i];
        uint64_t from = (uint64_t)dist + lmax;
        uint32_t lo_first = x.first > from ? (uint32_t)(x.first - from) : 0;
        uint64_t hi_first = (uint64_t)x.end + dist;
        uint32_t best = UINT32_MAX;
        zl_range by = {0, 0};
        for (size_t j = res_lower(v, b, lo_first); j < b.n && v->sc.v[b.at + j].first <= hi_first;
             j++) {
            zl_range y = v->sc.v[b.at + j];
            uint32_t g = span_gap(x, y);
            if (g <= dist && g < best) {
                best = g;
                by = y;
            }
        }
        if (best != UINT32_MAX) {
            rv_push(&v->sc, span_union(x, by));
            r.n++;
        }
    }
    if (sort && !res_sorted(v, r))
        qsort(v->sc.v + r.at, r.n, sizeof *v->sc.v, span_cmp);
    return r;
}

static res eval_then(ev *v, res a, res b, uint32_t dist)
{
    res r = {v->sc.n, 0, 0};
    if (!sat(a) || !sat(b))
        return r;
    if (a.n == 0)
        return b;
    if (b.n == 0)
        return a;
    for (size_t i = 0; i < a.n; i++) {
        zl_range x = v->sc.v[a.at + i];
        size_t j = res_lower(v, b, x.end);
        if (j < b.n && v->sc.v[b.at + j].first - x.end <= dist) {
            zl_range y = v->sc.v[b.at + j];
            rv_push(&v->sc, (zl_range){x.first, y.end > x.end ? y.end : x.end});
            r.n++;
        }
    }
    return r;
}

/* The spans of `x` in `in`, evaluated as written (a binary `|` merges its
 * two operands' lists).  The compiled nodes below give the same results;
 * an `|` node falls back to this when an operand's list is out of order. */
static res eval_expr(ev *v, const zl_expr *x, zl_range in)
{
    res a, b;
    switch (x->kind) {
    case ZL_EX_ATOM:
        return eval_atom(v, x->atom, in);
    case ZL_EX_NOT:
        a = eval_expr(v, x->a, in);
        return (res){v->sc.n, 0, !sat(a)};
    default:
        break;
    }
    a = eval_expr(v, x->a, in);
    b = eval_expr(v, x->b, in);
    switch (x->kind) {
    case ZL_EX_OR:
        return eval_or(v, a, b);
    case ZL_EX_AND:
        return eval_and(v, a, b);
    case ZL_EX_NEAR:
        return eval_near(v, a, b, x->dist, 1);
    case ZL_EX_THEN:
        return eval_then(v, a, b, x->dist);
    default:
        return (res){v->sc.n, 0, 0};
    }
}

/* ---- compiled evaluation ----------------------------------------------- */

/* First index k in m[0..n) with m[k].first >= tok. */
static uint32_t lower_first(const zl_range *m, uint32_t n, uint32_t tok)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (m[mid].first >= tok)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* First index k in m[0..n) with m[k].first >= tok, looked for from the
 * start (galloping): cheap when it is near. */
static uint32_t gallop_first(const zl_range *m, uint32_t n, uint32_t tok)
{
    if (!n || m[0].first >= tok)
        return 0;
    uint32_t lo = 0, hi = 1; /* m[lo].first < tok */
    while (hi < n && m[hi].first < tok) {
        lo = hi;
        hi = hi * 2 < n ? hi * 2 : n;
    }
    return lo + 1 + lower_first(m + lo + 1, hi - lo - 1, tok);
}

/* zl_occurrences_lower, inline. */
static inline uint32_t atom_lower(const zl_occurrences *o, uint32_t a, uint32_t tok)
{
    return o->start[a] + lower_first(o->occ + o->start[a], o->start[a + 1] - o->start[a], tok);
}

/* Run r of the sets' atoms (e->runs), clipped to the atoms the
 * occurrences know, in [*a, *end); returns the run's occurrences. */
static inline uint32_t run_occ(const ev *v, uint32_t r, uint32_t *a, uint32_t *end)
{
    const uint32_t *start = v->occ.start;
    *a = v->e->runs[2 * r];
    *end = v->e->runs[2 * r + 1];
    if (*end > v->occ.n_atoms)
        *end = v->occ.n_atoms;
    return *a < *end ? start[*end] - start[*a] : 0;
}

/* The occurrences of set `id`'s atoms in the document (xset.total), run by
 * run, without finding which atoms occur: cover_cost needs no more. */
static uint32_t set_total(ev *v, uint32_t id)
{
    xset *x = &v->xs[id];
    if (x->state == XS_NEW) {
        uint32_t a, end;
        for (uint32_t r = v->e->runs_at[id]; r < v->e->runs_at[id + 1]; r++)
            x->total += run_occ(v, r, &a, &end);
        x->state = XS_COUNTED;
    }
    return x->total;
}

/* Finds the atoms of set `id` that occur in the document: along its runs
 * of consecutive atom ids (e->runs), a run none of whose atoms occurs
 * costs one comparison. */
static xset *set_init(ev *v, uint32_t id)
{
    xset *x = &v->xs[id];
    if (x->state > XS_COUNTED)
        return x;
    const zl_engine *e = v->e;
    const uint32_t *start = v->occ.start;
    x->live = v->live.n;
    x->total = 0;
    uint32_t last = 0;
    for (uint32_t r = e->runs_at[id]; r < e->runs_at[id + 1]; r++) {
        uint32_t a, end, c = run_occ(v, r, &a, &end);
        if (!c)
            continue;
        x->total += c;
        for (; a < end; a++) {
            if (start[a + 1] == start[a])
                continue;
            grow_u32(&v->live.v, &v->live.n, &v->live.cap, a);
            last = a;
        }
    }
    x->n_live = v->live.n - x->live;
    if (x->n_live <= 1) {
        /* nothing to merge */
        x->m = x->n_live ? v->occ.occ + start[last] : NULL;
        x->n = x->total;
        x->state = XS_MERGED;
        v->live.n = x->live;
    } else {
        x->state = XS_ATOMS;
    }
    return x;
}

enum { MERGE_FEW = 8 };

/* set_merge of a set with few atoms that occur: each step takes the least
 * of their lists' heads. */
static void merge_few(ev *v, xset *x)
{
    const zl_occurrences *o = &v->occ;
    const zl_range *at[MERGE_FEW], *end[MERGE_FEW];
    uint32_t k = x->n_live, n = 0;
    for (uint32_t r = 0; r < k; r++) {
        uint32_t a = v->live.v[x->live + r];
        at[r] = o->occ + o->start[a];
        end[r] = o->occ + o->start[a + 1];
    }
    zl_range *m = zl_arena_alloc(v->mem, x->total * sizeof *m);
    while (k) {
        uint32_t b = 0;
        for (uint32_t r = 1; r < k; r++)
            if (span_cmp(at[r], at[b]) < 0)
                b = r;
        if (!n || span_cmp(&m[n - 1], at[b]) != 0)
            m[n++] = *at[b];
        if (++at[b] == end[b]) {
            k--;
            at[b] = at[k];
            end[b] = end[k];
        }
    }
    x->m = m;
    x->n = n;
    x->state = XS_MERGED;
}

/* Merges the occurrences of set `id`'s atoms into one sorted list without
 * repeats: a bucket sort on the first token.  A bit per token of the span
 * the atoms' lists cover marks the tokens where an occurrence starts, and
 * per token a chain of those occurrences (their index in the occurrence
 * array); the bits give the tokens in order, and a chain of several spans
 * is sorted by end.  Linear in the occurrences and the span's words,
 * whatever the number of atoms; a set with at most MERGE_FEW atoms that
 * occur takes merge_few's cheaper steps instead. */
static void set_merge(ev *v, xset *x)
{
    const zl_occurrences *o = &v->occ;
    const uint32_t *live = v->live.v + x->live;
    if (!v->mem)
        v->mem = zl_arena_new();
    if (x->n_live <= MERGE_FEW) {
        merge_few(v, x);
        return;
    }
    uint32_t lo = UINT32_MAX, hi = 0;
    for (uint32_t r = 0; r < x->n_live; r++) {
        uint32_t a = live[r];
        if (o->occ[o->start[a]].first < lo)
            lo = o->occ[o->start[a]].first;
        if (o->occ[o->start[a + 1] - 1].first > hi)
            hi = o->occ[o->start[a + 1] - 1].first;
    }
    if (!v->mbits) {
        /* every list lies inside the document's tokens */
        size_t nt = (size_t)v->doc->n_tokens + 1;
        v->mbits = zl_xmalloc((nt / 64 + 1) * sizeof *v->mbits);
        v->mhead = zl_xmalloc(nt * sizeof *v->mhead);
        v->mnext = zl_xmalloc(((size_t)o->start[o->n_atoms] + 1) * sizeof *v->mnext);
    }
    uint64_t *bits = v->mbits;
    uint32_t *head = v->mhead, *next = v->mnext;
    size_t nw = ((hi - lo) >> 6) + 1;
    memset(bits, 0, nw * sizeof *bits);
    for (uint32_t r = 0; r < x->n_live; r++) {
        uint32_t a = live[r];
        for (uint32_t k = o->start[a]; k < o->start[a + 1]; k++) {
            uint32_t p = o->occ[k].first - lo;
            uint64_t bit = 1ULL << (p & 63);
            next[k] = bits[p >> 6] & bit ? head[p] : UINT32_MAX;
            head[p] = k;
            bits[p >> 6] |= bit;
        }
    }
    zl_range *m = zl_arena_alloc(v->mem, x->total * sizeof *m);
    uint32_t n = 0;
    for (size_t w = 0; w < nw; w++)
        for (uint64_t b = bits[w]; b; b &= b - 1) {
            uint32_t k = head[w * 64 + (size_t)__builtin_ctzll(b)];
            if (next[k] == UINT32_MAX) {
                m[n++] = o->occ[k];
                continue;
            }
            /* spans with the same first token: by end, without repeats */
            uint32_t from = n;
            for (; k != UINT32_MAX; k = next[k]) {
                zl_range y = o->occ[k];
                uint32_t i = n;
                for (; i > from && m[i - 1].end >= y.end; i--)
                    ;
                if (i < n && m[i].end == y.end)
                    continue;
                memmove(m + i + 1, m + i, (n - i) * sizeof *m);
                m[i] = y;
                n++;
            }
        }
    x->m = m;
    x->n = n;
    x->state = XS_MERGED;
}

/* set_first on a merged list. */
static inline int list_first(const zl_range *m, uint32_t n, zl_range in, zl_range *span)
{
    if (!n || m[n - 1].first < in.first || m[0].first >= in.end)
        return 0;
    for (uint32_t k = lower_first(m, n, in.first); k < n && m[k].first < in.end; k++)
        if (m[k].end <= in.end) {
            *span = m[k];
            return 1;
        }
    return 0;
}

/* Whether the set's merge pays for itself once `asked` questions have been
 * asked: a question costs about n_live binary searches, the merge a few
 * steps per occurrence (the factors measured on the corpus). */
static int merge_pays(const xset *x, uint64_t asked)
{
    return asked * x->n_live * 3 > (uint64_t)x->total * 2;
}

/* set_first on a set not merged yet: asks its atoms' lists, or merges it
 * first when that pays. */
static int atoms_first(ev *v, xset *x, zl_range in, zl_range *span)
{
    if (merge_pays(x, ++x->asked)) {
        set_merge(v, x);
        return list_first(x->m, x->n, in, span);
    }
    const zl_occurrences *o = &v->occ;
    int got = 0;
    for (uint32_t r = 0; r < x->n_live; r++) {
        uint32_t a = v->live.v[x->live + r], hi = o->start[a + 1];
        for (uint32_t k = atom_lower(o, a, in.first); k < hi && o->occ[k].first < in.end; k++)
            if (o->occ[k].end <= in.end) {
                if (!got || span_cmp(&o->occ[k], span) < 0)
                    *span = o->occ[k];
                got = 1;
                break;
            }
    }
    return got;
}

/* The first occurrence (in list order) of set `id` that lies inside `in`
 * (eval_atom's test); returns 0 when there is none. */
static inline int set_first(ev *v, uint32_t id, zl_range in, zl_range *span)
{
    xset *x = &v->xs[id];
    if (x->state != XS_MERGED) {
        if (x->state < XS_ATOMS)
            set_init(v, id);
        if (x->state == XS_ATOMS)
            return atoms_first(v, x, in, span);
    }
    return list_first(x->m, x->n, in, span);
}

/* eval_atom for a set: its occurrences inside `in`.  A set not merged yet
 * is merged when that pays (merge_pays, counting these questions with
 * set_first's); until then the occurrences inside `in` are taken from its
 * atoms' lists and sorted in place, repeats dropped. */
static res set_push(ev *v, uint32_t id, zl_range in)
{
    res r = {v->sc.n, 0, 0};
    xset *x = set_init(v, id);
    if (x->state == XS_ATOMS && in.end - in.first < 256 && !merge_pays(x, ++x->asked)) {
        const zl_occurrences *o = &v->occ;
        for (uint32_t q = 0; q < x->n_live; q++) {
            uint32_t a = v->live.v[x->live + q], lo = o->start[a], hi = o->start[a + 1];
            for (uint32_t k = lo + lower_first(o->occ + lo, hi - lo, in.first); k < hi && o->occ[k].first < in.end; k++)
                if (o->occ[k].end <= in.end)
                    rv_push(&v->sc, o->occ[k]);
        }
        zl_range *m = v->sc.v + r.at;
        size_t n = v->sc.n - r.at, w = 0;
        for (size_t i = 1; i < n; i++) {
            zl_range y = m[i];
            size_t j = i;
            for (; j > 0 && span_cmp(&m[j - 1], &y) > 0; j--)
                m[j] = m[j - 1];
            m[j] = y;
        }
        for (size_t i = 0; i < n; i++)
            if (!w || span_cmp(&m[w - 1], &m[i]) != 0)
                m[w++] = m[i];
        v->sc.n = r.at + w;
        r.n = w;
        return r;
    }
    if (x->state != XS_MERGED)
        set_merge(v, x);
    const zl_range *m = x->m;
    uint32_t n = x->n;
    for (uint32_t k = lower_first(m, n, in.first); k < n && m[k].first < in.end; k++)
        if (m[k].end <= in.end)
            rv_push(&v->sc, m[k]);
    r.n = v->sc.n - r.at;
    return r;
}

/* 0 when node `n` certainly does not hold in `in`: one of the atom sets it
 * needs has no occurrence inside `in`.  A few binary searches instead of
 * evaluating the whole expression; only the sets that are cheap to ask are
 * asked (merged already, or of a few atoms): the filter of an `|` below
 * the node, every atom under it, would cost more to find and merge than
 * it saves. */
static int may_hold(ev *v, const enode *n, zl_range in)
{
    zl_range s;
    for (uint32_t k = 0; k < n->n_sets; k++) {
        uint32_t id = n->sets[k];
        if ((v->xs[id].state == XS_MERGED || v->e->aset[id].n <= 4) && !set_first(v, id, in, &s))
            return 0;
    }
    return 1;
}

static res n_list(ev *v, uint32_t id, zl_range in);
static int n_first(ev *v, uint32_t id, zl_range in, zl_range *span);

/* `near`/`then` with the spans of both operands; near's spans are sorted
 * only when `sort` is set. */
static res n_prox(ev *v, const enode *n, zl_range in, int sort)
{
    res none = {v->sc.n, 0, 0};
    if (!may_hold(v, n, in))
        return none;
    res a = n_list(v, n->kids[0], in);
    if (!sat(a))
        return (res){v->sc.n, 0, 0};
    res b = n_list(v, n->kids[1], in);
    if (n->op == N_NEAR)
        return eval_near(v, a, b, n->dist, sort);
    return eval_then(v, a, b, n->dist);
}

/* One of the sorted lists whose union is an operand's list in prox_sat:
 * an atom set's merged list or one of its atoms' lists (the part starting
 * inside the instance), or a list built on v->sc (at).  `ord`: sorted by
 * first token and then by end, as n_list gives it; a `then` list may have
 * spans with the same first token out of order in n_list. */
typedef struct psrc {
    const zl_range *m;
    size_t at;
    uint32_t n, lmax; /* lmax: UINT32_MAX = not known yet */
    int ord;
} psrc;

enum { PSRC_MAX = 32 };

/* Whether the union of the lists p[0..np) (lmax bounding their spans'
 * lengths) has a span inside `in` that is a partner of x in eval_near (gap
 * at most `dist`) or in eval_then (the first span starting at or after x's
 * end starts at most `dist` tokens after it).  With `best`, the partner
 * eval_near or eval_then takes goes there: the nearest (the least of equal
 * gaps), the first after x; else the search stops at the first one. */
static int partner(const psrc *p, int np, zl_range x, zl_range in, uint32_t dist, int near, zl_range *best)
{
    uint64_t hi = (uint64_t)x.end + dist;
    uint32_t lo = x.end, gbest = UINT32_MAX;
    int got = 0;
    for (int j = 0; j < np; j++) {
        const zl_range *m = p[j].m;
        uint32_t n = p[j].n;
        if (near) {
            uint64_t from = (uint64_t)dist + p[j].lmax;
            lo = x.first > from ? (uint32_t)(x.first - from) : 0;
        }
        if (lo < in.first)
            lo = in.first;
        for (uint32_t k = lower_first(m, n, lo); k < n && m[k].first < in.end && m[k].first <= hi; k++) {
            if (m[k].end > in.end)
                continue;
            uint32_t g = near ? span_gap(x, m[k]) : 0;
            if (g > dist)
                continue;
            if (!best)
                return 1;
            if (!got || g < gbest || (g == gbest && span_cmp(&m[k], best) < 0)) {
                *best = m[k];
                gbest = g;
            }
            got = 1;
            if (!near)
                break; /* the first in this list */
        }
    }
    return got;
}

static int psrc_add(ev *v, uint32_t id, zl_range in, psrc *p, int np, uint32_t asks);

/* Points the built lists into v->sc (they are all built now); returns the
 * number of spans. */
static uint32_t psrc_fix(const ev *v, psrc *p, int np)
{
    uint32_t t = 0;
    for (int i = 0; i < np; i++) {
        if (!p[i].m)
            p[i].m = v->sc.v + p[i].at;
        t += p[i].n;
    }
    return t;
}

/* Bounds the lengths of the spans of the lists whose bound is not known. */
static void psrc_lmax(psrc *p, int np)
{
    for (int i = 0; i < np; i++) {
        if (p[i].lmax != UINT32_MAX)
            continue;
        p[i].lmax = 0;
        for (uint32_t k = 0; k < p[i].n; k++)
            if (p[i].m[k].end - p[i].m[k].first > p[i].lmax)
                p[i].lmax = p[i].m[k].end - p[i].m[k].first;
    }
}

/* The spans of `near`/`then` node `id` in `in` as a set (n_list's spans,
 * sorted, maybe repeated), its operands' lists taken from psrc_add in
 * place instead of built: each span of the first operand with its partner
 * in the second.  Returns 0 when this does not apply (an operand that can
 * hold without evidence, too many lists, or a second operand whose list
 * n_list may give out of order, which changes which partner is taken). */
static int prox_list(ev *v, uint32_t id, zl_range in, res *r)
{
    const enode *n = &v->e->node[id];
    const enode *node = v->e->node;
    *r = (res){v->sc.n, 0, 0};
    if (node[n->kids[0]].vac || node[n->kids[1]].vac)
        return 0;
    if (!may_hold(v, n, in))
        return 1;
    psrc pa[PSRC_MAX], pb[PSRC_MAX];
    int na = psrc_add(v, n->kids[0], in, pa, 0, 1), nb = 0, ok = na >= 0;
    uint32_t ta = 0;
    for (int i = 0; i < na; i++)
        ta += pa[i].n;
    if (na > 0)
        nb = psrc_add(v, n->kids[1], in, pb, 0, ta);
    ok = ok && nb >= 0;
    for (int j = 0; j < nb && ok; j++)
        ok = pb[j].ord;
    if (!ok || !na || !nb) {
        v->sc.n = r->at;
        return ok;
    }
    /* no push below moves the built lists */
    v->sc.v = zl_xgrow(v->sc.v, &v->sc.cap, v->sc.n + ta, sizeof *v->sc.v);
    psrc_fix(v, pa, na);
    psrc_fix(v, pb, nb);
    int near = n->op == N_NEAR;
    if (near)
        psrc_lmax(pb, nb);
    r->at = v->sc.n;
    for (int i = 0; i < na; i++)
        for (uint32_t k = 0; k < pa[i].n; k++) {
            zl_range x = pa[i].m[k], y;
            if (x.end > in.end || !partner(pb, nb, x, in, n->dist, near, &y))
                continue;
            rv_push(&v->sc, near ? span_union(x, y) : (zl_range){x.first, y.end > x.end ? y.end : x.end});
        }
    r->n = v->sc.n - r->at;
    if (!res_sorted(v, *r))
        qsort(v->sc.v + r->at, r->n, sizeof *v->sc.v, span_cmp);
    return 1;
}

/* The lists whose union is node `id`'s list in `in` (as a set of spans):
 * an atom set is looked up in its merged list, or in its atoms' lists
 * while merging it does not pay, an `|` is the union of its own set and
 * its operands, a `near`/`then` list is made by prox_list, any other
 * node's list is built.  Returns the number of lists, or -1 when there are
 * too many or a list is satisfied without evidence. */
static int psrc_add(ev *v, uint32_t id, zl_range in, psrc *p, int np, uint32_t asks)
{
    const enode *n = &v->e->node[id];
    uint32_t set = n->op == N_SET || n->op == N_OR ? n->set : UINT32_MAX;
    if (set != UINT32_MAX) {
        xset *x = set_init(v, set);
        if (x->state != XS_MERGED && (np + x->n_live > PSRC_MAX || merge_pays(x, x->asked += asks)))
            set_merge(v, x);
        if (x->state != XS_MERGED) {
            const zl_occurrences *o = &v->occ;
            for (uint32_t r = 0; r < x->n_live; r++) {
                uint32_t a = v->live.v[x->live + r];
                uint32_t lo = atom_lower(o, a, in.first);
                uint32_t hi = lo + gallop_first(o->occ + lo, o->start[a + 1] - lo, in.end);
                if (lo < hi)
                    p[np++] = (psrc){o->occ + lo, 0, hi - lo, UINT32_MAX, 1};
            }
        } else if (x->n && x->m[x->n - 1].first >= in.first && x->m[0].first < in.end) {
            if (np == PSRC_MAX)
                return -1;
            if (!x->lmax) {
                uint32_t l = 0;
                for (uint32_t k = 0; k < x->n; k++)
                    if (x->m[k].end - x->m[k].first > l)
                        l = x->m[k].end - x->m[k].first;
                x->lmax = l + 1;
            }
            uint32_t lo = lower_first(x->m, x->n, in.first);
            p[np++] = (psrc){x->m + lo, 0, lower_first(x->m, x->n, in.end) - lo, x->lmax - 1, 1};
        }
    }
    if (n->op == N_OR) {
        for (uint32_t k = 0; k < n->n_kids && np >= 0; k++)
            np = psrc_add(v, n->kids[k], in, p, np, asks);
        return np;
    }
    if (n->op == N_SET)
        return np;
    res r;
    int ord = n->op == N_NEAR;
    if ((n->op != N_NEAR && n->op != N_THEN) || !prox_list(v, id, in, &r)) {
        r = n_list(v, id, in);
        ord = res_sorted(v, r);
    }
    if (r.n == 0)
        return r.vac ? -1 : np;
    if (np == PSRC_MAX)
        return -1;
    p[np++] = (psrc){NULL, r.at, (uint32_t)r.n, UINT32_MAX, ord};
    return np;
}

/* sat(n_prox(n)) without building the operands' whole lists, which are
 * long in a long instance (a section, the document): an operand's list is
 * taken as the union of the lists of psrc_add - an atom set's merged list
 * read in place, an `|` not merged into one list - and the search stops
 * at the first pair (in short instances this costs the same as before:
 * 20.24 M instructions on the 40-file slice either way).  Only whether a pair
 * exists matters, so `near`, symmetric in that, goes along the operand
 * with fewer spans.  Returns -1 when this does not apply (an operand that
 * can hold without evidence, too many lists). */
static int prox_sat(ev *v, const enode *n, zl_range in)
{
    const enode *node = v->e->node;
    if (node[n->kids[0]].vac || node[n->kids[1]].vac)
        return -1;
    if (!may_hold(v, n, in))
        return 0;
    psrc pa[PSRC_MAX], pb[PSRC_MAX];
    size_t mark = v->sc.n;
    int na = psrc_add(v, n->kids[0], in, pa, 0, 1), nb = 0, ok = 0;
    if (na > 0)
        nb = psrc_add(v, n->kids[1], in, pb, 0, 1);
    if (na < 0 || nb < 0) {
        v->sc.n = mark;
        return -1;
    }
    if (na == 0 || nb == 0) {
        v->sc.n = mark;
        return 0;
    }
    uint32_t ta = psrc_fix(v, pa, na), tb = psrc_fix(v, pb, nb);
    int near = n->op == N_NEAR;
    psrc *px = pa, *py = pb;
    int nx = na, ny = nb;
    if (near && tb < ta) {
        px = pb;
        py = pa;
        nx = nb;
        ny = na;
    }
    if (near)
        psrc_lmax(py, ny);
    for (int i = 0; i < nx && !ok; i++)
        for (uint32_t k = 0; k < px[i].n && !ok; k++) {
            zl_range x = px[i].m[k];
            if (x.end > in.end)
                continue;
            ok = partner(py, ny, x, in, n->dist, near, NULL);
        }
    v->sc.n = mark;
    return ok;
}

/* Whether node `id` holds in `in`: sat(n_list(id)), without building the
 * evidence where it is not needed. */
static int n_sat(ev *v, uint32_t id, zl_range in)
{
    const enode *n = &v->e->node[id];
    zl_range s;
    switch (n->op) {
    case N_SET:
        return set_first(v, n->set, in, &s);
    case N_OR:
        if (n->set != UINT32_MAX && set_first(v, n->set, in, &s))
            return 1;
        for (uint32_t k = 0; k < n->n_kids; k++)
            if (n_sat(v, n->kids[k], in))
                return 1;
        return 0;
    case N_AND:
        for (uint32_t k = 0; k < n->n_kids; k++)
            if (!n_sat(v, n->kids[k], in))
                return 0;
        return 1;
    case N_NOT:
        return !n_sat(v, n->kids[0], in);
    default: {
        int ok = prox_sat(v, n, in);
        if (ok >= 0)
            return ok;
        size_t mark = v->sc.n;
        ok = sat(n_prox(v, n, in, 0));
        v->sc.n = mark;
        return ok;
    }
    }
}

/* The first span of n_list(id) in *span (returns 2), else 1 when it is
 * satisfied without evidence, else 0. */
static int n_first(ev *v, uint32_t id, zl_range in, zl_range *span)
{
    const enode *n = &v->e->node[id];
    switch (n->op) {
    case N_SET:
        return set_first(v, n->set, in, span) ? 2 : 0;
    case N_OR: {
        int got = 0, vac = 0;
        zl_range best = {0, 0}, s;
        if (n->set != UINT32_MAX && set_first(v, n->set, in, &s)) {
            best = s;
            got = 1;
        }
        for (uint32_t k = 0; k < n->n_kids; k++) {
            int r = n_first(v, n->kids[k], in, &s);
            if (r == 2 && (!got || span_cmp(&s, &best) < 0)) {
                best = s;
                got = 1;
            } else if (r == 1) {
                vac = 1;
            }
        }
        if (got)
            *span = best;
        return got ? 2 : vac;
    }
    case N_AND: {
        int got = 0;
        zl_range u = {0, 0}, s;
        for (uint32_t k = 0; k < n->n_kids; k++) {
            int r = n_first(v, n->kids[k], in, &s);
            if (!r)
                return 0;
            if (r == 2) {
                u = got ? span_union(u, s) : s;
                got = 1;
            }
        }
        if (got)
            *span = u;
        return got ? 2 : 1;
    }
    case N_NOT:
        return n_sat(v, n->kids[0], in) ? 0 : 1;
    default: {
        if (!may_hold(v, n, in))
            return 0;
        size_t mark = v->sc.n;
        int ok = 0;
        res a = n_list(v, n->kids[0], in);
        if (sat(a)) {
            res b = n_list(v, n->kids[1], in);
            int built = n->op == N_NEAR && a.n && b.n && sat(b);
            res r = n->op == N_NEAR ? eval_near(v, a, b, n->dist, 0) : eval_then(v, a, b, n->dist);
            ok = r.n ? 2 : r.vac;
            if (r.n) {
                /* the sorted list would start with the least span; `then`
                 * and an operand passed through keep their first */
                zl_range m = v->sc.v[r.at];
                for (size_t k = 1; built && k < r.n; k++)
                    if (span_cmp(&v->sc.v[r.at + k], &m) < 0)
                        m = v->sc.v[r.at + k];
                *span = m;
            }
        }
        v->sc.n = mark;
        return ok;
    }
    }
}

/* The spans of node `id` in `in`: the same list, in the same order, as
 * eval_expr of any expression compiled into it. */
static res n_list(ev *v, uint32_t id, zl_range in)
{
    const enode *n = &v->e->node[id];
    switch (n->op) {
    case N_SET:
        return set_push(v, n->set, in);
    case N_OR: {
        size_t mark = v->sc.n;
        res kbuf[8], *kr = n->n_kids <= 8 ? kbuf : zl_xmalloc(n->n_kids * sizeof *kr);
        int ordered = 1;
        for (uint32_t k = 0; k < n->n_kids && ordered; k++) {
            kr[k] = n_list(v, n->kids[k], in);
            ordered = res_sorted(v, kr[k]);
        }
        res acc;
        if (!ordered) {
            /* a `then` list out of order (spans with the same first token):
             * merging depends on the grouping as written */
            v->sc.n = mark;
            acc = eval_expr(v, n->x, in);
        } else {
            acc = n->set != UINT32_MAX ? set_push(v, n->set, in) : (res){v->sc.n, 0, 0};
            for (uint32_t k = 0; k < n->n_kids; k++)
                acc = eval_or(v, acc, kr[k]);
        }
        if (kr != kbuf)
            free(kr);
        return acc;
    }
    case N_AND: {
        res r = {v->sc.n, 0, 0};
        zl_range s;
        int f = n_first(v, id, in, &s);
        if (f == 2) {
            rv_push(&v->sc, s);
            r.n = 1;
        }
        r.vac = f == 1;
        return r;
    }
    case N_NOT:
        return (res){v->sc.n, 0, !n_sat(v, n->kids[0], in)};
    default:
        return n_prox(v, n, in, 1);
    }
}

/* Whether node `id` holds in `in`; the evidence (first span) goes to *span
 * when there is one (returns 2 then, 1 for a match without evidence). */
static int holds(ev *v, uint32_t id, zl_range in, zl_range *span)
{
    const enode *n = &v->e->node[id];
    if (n->op == N_SET) {
        zl_range s;
        if (!set_first(v, n->set, in, &s))
            return 0;
        if (span)
            *span = s;
        return 2;
    }
    if (n->op == N_AND && !may_hold(v, n, in))
        return 0; /* an `|` asks its own set and its operands, a `near`
                   * or `then` asks its sets itself */
    size_t mark = v->sc.n;
    int ok;
    if (span) {
        zl_range s;
        ok = n_first(v, id, in, &s);
        if (ok == 2)
            *span = s;
    } else {
        ok = n_sat(v, id, in);
    }
    v->sc.n = mark;
    return ok;
}

/* A quick way along the instances of a scan (instances by rising first
 * token).  A node's cover is a list of atom sets one of which occurs
 * wherever the node holds: an atom set covers itself, an `|` is covered by
 * its own set and its operands' covers together, and `&`, `near` and
 * `then` by the cover of any one operand that is not vacuous, the one with
 * the fewest occurrences in the document (cover_cost).  A bit per token
 * marks where an occurrence of the cheapest cover starts; an instance in
 * which none starts cannot hold the node, so it is passed over without
 * asking the node's sets and operands, and along a partition (sentences,
 * clauses, paragraphs) the scan jumps from one marked token's instance to
 * the next. */
typedef struct skip {
    const uint64_t *bits; /* token lo + i is marked: bit i */
    uint32_t lo, hi;
    int on, part;
} skip;

/* The occurrences of node `id`'s cheapest cover in the document (an upper
 * bound when atoms of several sets repeat), memoized per document; for
 * `&`, `near` and `then` the operand chosen goes to v->cpick. */
static uint32_t cover_cost(ev *v, uint32_t id)
{
    if (v->ccost[id])
        return v->ccost[id] - 1;
    const enode *n = &v->e->node[id];
    uint64_t c;
    if (n->op == N_SET) {
        c = set_total(v, n->set);
    } else if (n->op == N_OR) {
        c = n->set != UINT32_MAX ? set_total(v, n->set) : 0;
        for (uint32_t k = 0; k < n->n_kids && c < UINT32_MAX; k++)
            c += cover_cost(v, n->kids[k]);
    } else {
        c = UINT32_MAX;
        for (uint32_t k = 0; k < n->n_kids; k++) {
            uint32_t kid = n->kids[k];
            if (v->e->node[kid].vac)
                continue;
            uint32_t ck = cover_cost(v, kid);
            if (ck < c) {
                c = ck;
                v->cpick[id] = kid;
                if (!c)
                    break;
            }
        }
    }
    if (c > UINT32_MAX - 2)
        c = UINT32_MAX - 2;
    v->ccost[id] = (uint32_t)c + 1;
    return (uint32_t)c;
}

/* Marks in bits (token lo + i: bit i) the first tokens in [lo, hi) of the
 * occurrences of node `id`'s cover as cover_cost chose it. */
static void cover_mark(ev *v, uint32_t id, uint64_t *bits, uint32_t lo, uint32_t hi)
{
    const enode *n = &v->e->node[id];
    if (n->op != N_SET && n->op != N_OR) {
        cover_mark(v, v->cpick[id], bits, lo, hi);
        return;
    }
    if (n->set != UINT32_MAX) {
        const xset *x = set_init(v, n->set);
        if (x->state == XS_MERGED) {
            for (uint32_t k = lower_first(x->m, x->n, lo); k < x->n && x->m[k].first < hi; k++) {
                uint32_t p = x->m[k].first - lo;
                bits[p >> 6] |= 1ULL << (p & 63);
            }
        } else {
            const zl_occurrences *o = &v->occ;
            for (uint32_t r = 0; r < x->n_live; r++) {
                uint32_t a = v->live.v[x->live + r], end = o->start[a + 1];
                for (uint32_t k = atom_lower(o, a, lo); k < end && o->occ[k].first < hi; k++) {
                    uint32_t p = o->occ[k].first - lo;
                    bits[p >> 6] |= 1ULL << (p & 63);
                }
            }
        }
    }
    if (n->op == N_OR)
        for (uint32_t k = 0; k < n->n_kids; k++)
            cover_mark(v, n->kids[k], bits, lo, hi);
}

/* Prepares a skip for node `id` over the instances `in` of scope `s`
 * inside window `w`; it stays off for a vacuous node and for short
 * scans. */
static void skip_init(ev *v, uint32_t id, const rvec *in, zl_range w, zl_scope s, skip *sk)
{
    const enode *n = &v->e->node[id];
    memset(sk, 0, sizeof *sk);
    if (n->vac || in->n < 4)
        return;
    if (!v->ccost) {
        v->ccost = zl_xcalloc(v->e->n_node ? v->e->n_node : 1, sizeof *v->ccost);
        v->cpick = zl_xmalloc((v->e->n_node ? v->e->n_node : 1) * sizeof *v->cpick);
        v->sbits = zl_xmalloc(((size_t)v->doc->n_tokens / 64 + 1) * sizeof *v->sbits);
    }
    cover_cost(v, id);
    uint32_t lo = in->v[0].first, hi = w.end; /* the instances are clipped to w */
    memset(v->sbits, 0, ((size_t)(hi - lo) / 64 + 1) * sizeof *v->sbits);
    cover_mark(v, id, v->sbits, lo, hi);
    sk->bits = v->sbits;
    sk->lo = lo;
    sk->hi = hi;
    sk->on = 1;
    sk->part = s == ZL_SCOPE_SENTENCE || s == ZL_SCOPE_CLAUSE || s == ZL_SCOPE_PARAGRAPH;
}

/* The first marked token at or after `t` (sk->hi when there is none). */
static uint32_t skip_bit(const skip *sk, uint32_t t)
{
    if (t < sk->lo)
        t = sk->lo;
    if (t >= sk->hi)
        return sk->hi;
    uint32_t p = t - sk->lo, last = (sk->hi - sk->lo - 1) >> 6;
    uint32_t w = p >> 6;
    uint64_t b = sk->bits[w] & (~0ULL << (p & 63));
    while (!b) {
        if (++w > last)
            return sk->hi;
        b = sk->bits[w];
    }
    return sk->lo + (w << 6) + (uint32_t)__builtin_ctzll(b);
}

/* First index i in [lo, in->n) with in->v[i].first > tok. */
static size_t inst_after(const rvec *in, size_t lo, uint32_t tok)
{
    size_t hi = in->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (in->v[mid].first > tok)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* The first instance in[j..] in which a marked token lies (every one when
 * the skip is off); in->n when there is none.  Calls go along the
 * instances: j never decreases. */
static size_t skip_next(const skip *sk, const rvec *in, size_t j)
{
    if (!sk->on)
        return j;
    while (j < in->n) {
        zl_range r = in->v[j];
        uint32_t t = skip_bit(sk, r.first);
        if (t == sk->hi)
            return in->n;
        if (t < r.end)
            break;
        if (!sk->part) {
            j++;
            continue;
        }
        /* the instances before the one that starts last at or before t
         * end at or before t */
        size_t u = inst_after(in, j + 1, t);
        j = u > j + 1 ? u - 1 : j + 1;
    }
    return j;
}

/* ---- scope instances --------------------------------------------------- */

static uint32_t unit_count(const zl_doc *d, zl_scope s)
{
    switch (s) {
    case ZL_SCOPE_SENTENCE: return d->n_sentences;
    case ZL_SCOPE_CLAUSE: return d->n_clauses;
    case ZL_SCOPE_PARAGRAPH: return d->n_paras;
    default: return 0;
    }
}

static zl_range unit_at(const zl_doc *d, zl_scope s, uint32_t i)
{
    switch (s) {
    case ZL_SCOPE_SENTENCE: return d->sentences[i].tok;
    case ZL_SCOPE_CLAUSE: return d->clauses[i].tok;
    default: return d->paras[i].tok;
    }
}

/* Index of the last unit of a partition starting at or before `tok`
 * (0 when none does). */
static uint32_t unit_containing(const zl_doc *d, zl_scope s, uint32_t tok)
{
    uint32_t lo = 0, hi = unit_count(d, s);
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (unit_at(d, s, mid).first <= tok)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? lo - 1 : 0;
}

/* Appends r clipped to w, when something is left, to out (which has room
 * for it). */
static void push_clipped(rvec *out, zl_range r, zl_range w)
{
    if (r.first < w.first)
        r.first = w.first;
    if (r.end > w.end)
        r.end = w.end;
    out->v[out->n] = r;
    out->n += r.first < r.end;
}

/* Instances of scope `s` inside window `w` (itself inside the current
 * version), clipped to `w`.  An instance belongs to the version holding its
 * first token. */
static void collect(ev *v, zl_scope s, zl_range w, rvec *out)
{
    const zl_doc *d = v->doc;
    out->n = 0;
    if (w.first >= w.end)
        return;
    if (s == ZL_SCOPE_DOCUMENT) {
        rv_push(out, w);
        return;
    }
    if (s == ZL_SCOPE_SECTION) {
        out->v = zl_xgrow(out->v, &out->cap, (size_t)d->n_sections + 1, sizeof *out->v);
        for (uint32_t i = 0; i < d->n_sections && d->sections[i].tok.first < w.end; i++) {
            zl_range r = d->sections[i].tok;
            if (r.first < v->ver.first || r.end <= w.first)
                continue;
            push_clipped(out, r, w);
        }
        return;
    }
    uint32_t n = unit_count(d, s), i = unit_containing(d, s, w.first);
    out->v = zl_xgrow(out->v, &out->cap, (size_t)(n - i) + 1, sizeof *out->v);
    for (; i < n; i++) {
        zl_range r = unit_at(d, s, i);
        if (r.first >= w.end)
            break;
        if (r.end <= w.first || r.first < v->ver.first)
            continue;
        push_clipped(out, r, w);
    }
}

/* The instances of scope `s` inside window `w`, in v->inst or, for the
 * whole version, in a list kept per scope while the version lasts. */
static const rvec *instances(ev *v, zl_scope s, zl_range w)
{
    if (s < ZL_SCOPE_DOCUMENT && w.first == v->ver.first && w.end == v->ver.end) {
        if (!v->vinst_ok[s]) {
            collect(v, s, w, &v->vinst[s]);
            v->vinst_ok[s] = 1;
        }
        return &v->vinst[s];
    }
    collect(v, s, w, &v->inst);
    return &v->inst;
}

/* The windows a statement is evaluated in: the version, narrowed by each
 * scoped `when` to the instances where its condition holds.  Returns NULL
 * when an unscoped `when` fails or no window is left. */
static const rvec *windows(ev *v, const zl_stmt *st)
{
    const zl_engine *e = v->e;
    for (uint32_t k = 0; k < st->n_whens; k++)
        if (!st->whens[k].has_scope && !holds(v, node_find(e, st->whens[k].expr), v->ver, NULL))
            return NULL;
    int cur = 0;
    v->win[cur].n = 0;
    rv_push(&v->win[cur], v->ver);
    for (uint32_t k = 0; k < st->n_whens; k++) {
        const zl_when *wh = &st->whens[k];
        if (!wh->has_scope)
            continue;
        rvec *nx = &v->win[!cur];
        nx->n = 0;
        uint32_t id = node_find(e, wh->expr);
        for (size_t i = 0; i < v->win[cur].n; i++) {
            const rvec *in = instances(v, wh->scope, v->win[cur].v[i]);
            skip sk;
            skip_init(v, id, in, v->win[cur].v[i], wh->scope, &sk);
            for (size_t j = skip_next(&sk, in, 0); j < in->n; j = skip_next(&sk, in, j + 1))
                if (holds(v, id, in->v[j], NULL))
                    rv_push(nx, in->v[j]);
        }
        cur = !cur;
    }
    return v->win[cur].n ? &v->win[cur] : NULL;
}

/* The first of the instances `in` (of scope `s`, inside window `w`) in
 * which node `id` holds; in->n when there is none.  Without `jump` every
 * instance is asked (the skip needs them by rising first token). */
static size_t first_holding(ev *v, uint32_t id, const rvec *in, zl_range w, zl_scope s, int jump)
{
    skip sk;
    skip_init(v, id, in, w, s, &sk);
    sk.on &= jump;
    size_t j = skip_next(&sk, in, 0);
    while (j < in->n && !holds(v, id, in->v[j], NULL))
        j = skip_next(&sk, in, j + 1);
    return j;
}

/* Whether some instance of `s` in some window satisfies `x`. */
static int some_instance(ev *v, const zl_expr *x, zl_scope s, const rvec *wins)
{
    uint32_t id = node_find(v->e, x);
    for (size_t i = 0; i < wins->n; i++) {
        const rvec *in = instances(v, s, wins->v[i]);
        if (first_holding(v, id, in, wins->v[i], s, 1) < in->n)
            return 1;
    }
    return 0;
}

/* ---- findings ---------------------------------------------------------- */

/* Hashes the normalized text of tokens [r.first, r.end) joined by spaces. */
static uint64_t fnv_tokens(uint64_t h, const zl_doc *d, zl_range r)
{
    for (uint32_t i = r.first; i < r.end; i++) {
        if (i > r.first)
            h = zl_fnv64(h, " ", 1);
        h = zl_fnv64(h, d->norm.text + d->tokens[i].off, d->tokens[i].len);
    }
    return h;
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* The span's logical text (what the reader reads: markup removed, HTML
 * entities decoded) whitespace-folded, cut at EXCERPT_MAX_CP code points
 * with an ellipsis, in the document's arena. */
static const char *excerpt(const zl_doc *d, uint32_t off, uint32_t len)
{
    size_t cap = len < EXCERPT_MAX_CP * 4 ? len : EXCERPT_MAX_CP * 4;
    char *o = zl_arena_alloc(d->arena, cap + 4);
    const char *s = d->in.text + off;
    size_t w = 0, cps = 0, i = 0;
    int pending = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (is_space(c)) {
            pending = w > 0;
            i++;
            continue;
        }
        size_t l = zl_utf8_seqlen(c);
        if (i + l > len)
            l = len - i;
        if (cps + pending + 1 > EXCERPT_MAX_CP || w + pending + l > cap) {
            memcpy(o + w, "\xE2\x80\xA6", 3); /* … */
            w += 3;
            break;
        }
        if (pending) {
            o[w++] = ' ';
            cps++;
            pending = 0;
        }
        memcpy(o + w, s + i, l);
        w += l;
        cps++;
        i += l;
    }
    o[w] = '\0';
    return o;
}

static const char *section_title(const zl_doc *d, uint32_t tok)
{
    uint32_t lo = 0, hi = d->n_sections;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (d->sections[mid].tok.first <= tok)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    uint32_t s = lo - 1;
    while (s != ZL_NONE && s < d->n_sections && d->sections[s].tok.end <= tok)
        s = d->sections[s].parent;
    return s != ZL_NONE && s < d->n_sections ? d->sections[s].title : NULL;
}

static const char *clause_number(const zl_doc *d, uint32_t tok)
{
    if (!d->n_clauses)
        return NULL;
    uint32_t i = unit_containing(d, ZL_SCOPE_CLAUSE, tok);
    zl_range r = d->clauses[i].tok;
    return r.first <= tok && tok < r.end ? d->clauses[i].number : NULL;
}

/* zl_doc_pos of logical-text offset `off`, which lies at or after position
 * p: on p's line the columns are counted on from p rather than from the
 * line start. */
static zl_pos pos_after(const zl_doc *d, zl_pos p, uint32_t off)
{
    uint32_t s = zl_input_text_to_src(&d->in, off);
    if (s > d->in.src_len)
        s = (uint32_t)d->in.src_len;
    if (!d->line_starts || !d->n_lines || s < p.src_off
        || (p.line < d->n_lines && s >= d->line_starts[p.line])
        || (p.src_off < d->in.src_len && ((unsigned char)d->in.src[p.src_off] & 0xC0) == 0x80))
        return zl_doc_src_pos(d, s);
    p.col += (uint32_t)zl_utf8_count(d->in.src + p.src_off, s - p.src_off);
    p.src_off = s;
    return p;
}

static zl_finding *add_finding(ev *v, const zl_rule *r, zl_finding_kind kind, zl_range span)
{
    const zl_doc *d = v->doc;
    zl_findings *out = v->out;
    if (out->count == out->cap)
        out->items = zl_xgrow(out->items, &out->cap, out->count + 1, sizeof *out->items);
    zl_finding *f = &out->items[out->count++];
    memset(f, 0, sizeof *f);
    f->rule = r;
    f->severity = r->severity;
    f->kind = kind;
    const zl_token *a = &d->tokens[span.first], *b = &d->tokens[span.end - 1];
    uint32_t t0 = a->text_off, t1 = b->text_off + b->text_len;
    if (t1 < t0)
        t1 = t0;
    f->text_off = t0;
    f->text_len = t1 - t0;
    f->src_off = zl_input_text_to_src(&d->in, t0);
    uint32_t src_end = t1 > t0 ? zl_input_text_to_src(&d->in, t1 - 1) + 1 : f->src_off;
    f->src_len = src_end > f->src_off ? src_end - f->src_off : 0;
    zl_pos p = zl_doc_pos(d, t0);
    f->line = p.line;
    f->col = p.col;
    uint32_t last = t1 > t0 ? t1 - 1 : t0;
    while (last > t0 && ((unsigned char)d->in.text[last] & 0xC0) == 0x80)
        last--;
    zl_pos q = pos_after(d, p, last);
    f->end_line = q.line;
    f->end_col = q.col;
    f->lang = v->lang;
    f->version = v->vi;
    f->section = section_title(d, span.first);
    f->clause = clause_number(d, span.first);
    for (int l = 0; l < ZL_NLANG; l++)
        f->message[l] = r->message[l];
    return f;
}

static void set_fingerprint(zl_finding *f, uint64_t h)
{
    zl_hex64(f->fingerprint, h);
    f->fingerprint[16] = '\0';
}

static void emit_match(ev *v, const zl_rule *r, zl_range span)
{
    zl_finding *f = add_finding(v, r, ZL_FK_MATCH, span);
    f->excerpt = excerpt(v->doc, f->text_off, f->text_len);
    uint64_t h = zl_fnv64(ZL_FNV64_INIT, r->id, strlen(r->id) + 1);
    set_fingerprint(f, fnv_tokens(h, v->doc, span));
}

/* The heading of the first section of the version that satisfies the
 * rule's anchor; returns 0 when there is none. */
static int find_anchor(ev *v, const zl_rule *r, zl_range *heading)
{
    if (!r->anchor)
        return 0;
    const zl_doc *d = v->doc;
    rvec *hs = &v->inst; /* no scan is running */
    hs->n = 0;
    hs->v = zl_xgrow(hs->v, &hs->cap, (size_t)d->n_sections + 1, sizeof *hs->v);
    int sorted = 1;
    for (uint32_t i = 0; i < d->n_sections; i++) {
        const zl_section *s = &d->sections[i];
        if (s->tok.first < v->ver.first || s->tok.first >= v->ver.end)
            continue;
        zl_range h = s->heading;
        if (h.end > v->ver.end)
            h.end = v->ver.end;
        if (h.first >= h.end)
            continue;
        sorted &= !hs->n || hs->v[hs->n - 1].first <= h.first;
        hs->v[hs->n++] = h;
    }
    size_t j = first_holding(v, node_find(v->e, r->anchor), hs, v->ver, ZL_SCOPE_SECTION, sorted);
    if (j == hs->n)
        return 0;
    *heading = hs->v[j];
    return 1;
}

static zl_finding *emit_missing(ev *v, const zl_rule *r)
{
    zl_range h;
    int anchored = find_anchor(v, r, &h);
    zl_range span = anchored ? h : (zl_range){v->ver.first, v->ver.first + 1};
    zl_finding *f = add_finding(v, r, ZL_FK_MISSING, span);
    f->excerpt = anchored ? excerpt(v->doc, f->text_off, f->text_len) : "";
    const char *lang = zl_lang_name(v->lang);
    uint64_t hh = zl_fnv64(ZL_FNV64_INIT, r->id, strlen(r->id) + 1);
    hh = zl_fnv64(hh, lang, strlen(lang) + 1);
    if (anchored)
        hh = fnv_tokens(hh, v->doc, h);
    set_fingerprint(f, hh);
    return f;
}

/* Fills the at-least message of `f` with the labels of the missing members. */
static void fill_missing(ev *v, zl_finding *f, const zl_rule *r, const zl_stmt *st,
                         const uint8_t *found)
{
    static const char placeholder[] = "{missing}";
    for (int l = 0; l < ZL_NLANG; l++) {
        const char *msg = r->message[l];
        if (!msg)
            continue;
        zl_buf list = ZL_BUF_INIT;
        int k = 0;
        for (uint32_t m = 0; m < st->n_members; m++) {
            if (found[m])
                continue;
            const char *lab = st->members[m].label[l] ? st->members[m].label[l]
                                                      : st->members[m].label[ZL_MSG_RU];
            if (k++)
                zl_buf_puts(&list, ", ");
            if (lab)
                zl_buf_puts(&list, lab);
            else
                zl_buf_printf(&list, "#%u", m + 1);
        }
        zl_buf o = ZL_BUF_INIT;
        const char *ph = strstr(msg, placeholder);
        if (ph) {
            zl_buf_put(&o, msg, (size_t)(ph - msg));
            zl_buf_put(&o, list.data ? list.data : "", list.len);
            zl_buf_puts(&o, ph + sizeof placeholder - 1);
        } else {
            zl_buf_puts(&o, msg);
            zl_buf_puts(&o, ": ");
            zl_buf_put(&o, list.data ? list.data : "", list.len);
        }
        f->message[l] = zl_arena_strndup(v->doc->arena, o.data ? o.data : "", o.len);
        zl_buf_free(&o);
        zl_buf_free(&list);
    }
}

/* ---- statements -------------------------------------------------------- */

/* Evaluates one statement in the current version; returns 0 when its `when`
 * conditions hold nowhere (not applicable), else 1. */
static int run_stmt(ev *v, const zl_rule *r, const zl_stmt *st)
{
    const rvec *wins = windows(v, st);
    if (!wins)
        return 0; /* the condition never holds: vacuously satisfied */
    switch (st->kind) {
    case ZL_ST_REQUIRE:
        if (!some_instance(v, st->expr, st->scope, wins))
            emit_missing(v, r);
        break;
    case ZL_ST_REQUIRE_AT_LEAST: {
        /* once at_least members hold the others are not asked: only the
         * finding of a statement that fails names the missing ones */
        uint8_t *found = zl_xcalloc(st->n_members ? st->n_members : 1, 1);
        uint32_t got = 0;
        for (uint32_t m = 0; m < st->n_members && got < st->at_least; m++) {
            found[m] = (uint8_t)some_instance(v, st->members[m].expr, st->scope, wins);
            got += found[m];
        }
        if (got < st->at_least)
            fill_missing(v, emit_missing(v, r), r, st, found);
        free(found);
        break;
    }
    case ZL_ST_FORBID: {
        uint32_t x = node_find(v->e, st->expr);
        uint32_t unless = st->unless ? node_find(v->e, st->unless) : UINT32_MAX;
        for (size_t i = 0; i < wins->n; i++) {
            const rvec *insts = instances(v, st->scope, wins->v[i]);
            skip sk;
            skip_init(v, x, insts, wins->v[i], st->scope, &sk);
            for (size_t j = skip_next(&sk, insts, 0); j < insts->n; j = skip_next(&sk, insts, j + 1)) {
                zl_range in = insts->v[j], span = in;
                if (!holds(v, x, in, &span))
                    continue;
                if (unless != UINT32_MAX && holds(v, unless, in, NULL))
                    continue;
                emit_match(v, r, span);
            }
        }
        break;
    }
    }
    return 1;
}

/* ---- ordering ---------------------------------------------------------- */

static int finding_cmp(const void *pa, const void *pb)
{
    const zl_finding *a = pa, *b = pb;
    if (a->src_off != b->src_off)
        return a->src_off < b->src_off ? -1 : 1;
    int c = strcmp(a->rule->id, b->rule->id);
    if (c)
        return c;
    if (a->src_len != b->src_len)
        return a->src_len < b->src_len ? -1 : 1;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    return a->version < b->version ? -1 : a->version > b->version;
}

static void sort_unique(zl_findings *out, size_t base)
{
    size_t n = out->count - base;
    if (n < 2)
        return;
    zl_finding *v = out->items + base;
    qsort(v, n, sizeof *v, finding_cmp);
    size_t w = 1;
    for (size_t i = 1; i < n; i++)
        if (finding_cmp(&v[w - 1], &v[i]) != 0 || v[w - 1].rule != v[i].rule)
            v[w++] = v[i];
    out->count = base + w;
}

/* ---- entry points ------------------------------------------------------ */

static void limit_diag(const zl_engine *e, const zl_doc *doc, const zl_eval_opts *opts,
                       uint32_t atom, zl_diags *diags)
{
    uint8_t *used = zl_xcalloc(e->n_atoms ? e->n_atoms : 1, 1);
    zl_buf names = ZL_BUF_INIT;
    for (uint32_t i = 0; i < e->n_rules; i++) {
        if (!rule_active(e, i, opts))
            continue;
        memset(used, 0, e->n_atoms);
        mark_rule(e, i, used);
        if (used[atom]) {
            if (names.len)
                zl_buf_puts(&names, ", ");
            zl_buf_puts(&names, e->rules[i]->id);
        }
    }
    const zl_atom *a = e->atoms[atom];
    zl_buf msg = ZL_BUF_INIT;
    zl_buf_printf(&msg,
                  "regular expression /%s/ of rule %s hit the PCRE2 match limit; "
                  "its later matches in this document are ignored",
                  a->pattern ? a->pattern : "?", names.data ? names.data : "?");
    zl_diags_add(diags, ZL_D_MATCH_LIMIT, doc->in.path, 0, 0, msg.data);
    zl_buf_free(&msg);
    zl_buf_free(&names);
    free(used);
}

int zl_engine_eval_status(const zl_engine *e, const zl_doc *doc, const zl_eval_opts *opts,
                          zl_findings *out, zl_diags *diags, uint8_t *status)
{
    if (status)
        for (uint32_t i = 0; i < e->n_rules; i++)
            status[i] = rule_active(e, i, opts) ? ZL_RS_NOT_APPLICABLE : ZL_RS_INACTIVE;
    if (!doc->n_tokens)
        return ZL_OK;
    uint8_t *needed = zl_xcalloc(e->n_atoms ? e->n_atoms : 1, 1);
    uint8_t *active = zl_xcalloc(e->n_rules ? e->n_rules : 1, 1);
    uint32_t n_active = 0;
    for (uint32_t i = 0; i < e->n_rules; i++)
        n_active += active[i] = (uint8_t)rule_active(e, i, opts);
    if (n_active == e->n_rules) {
        memcpy(needed, e->all_atoms, e->n_atoms);
    } else {
        for (uint32_t i = 0; i < e->n_rules; i++)
            if (active[i])
                mark_rule(e, i, needed);
    }

    ev v;
    memset(&v, 0, sizeof v);
    v.e = e;
    v.doc = doc;
    v.out = out;
    zl_match_find(e->ix, doc, needed, &v.occ);
    v.xs = zl_xcalloc(e->n_aset ? e->n_aset : 1, sizeof *v.xs);

    int rc = ZL_OK;
    for (uint32_t k = 0; k < v.occ.n_limited; k++) {
        if (diags)
            limit_diag(e, doc, opts, v.occ.limited[k], diags);
        rc = ZL_ERR;
    }

    size_t base = out->count;
    zl_version whole = {ZL_LANG_OTHER, {0, doc->n_tokens}, 0, doc->n_paras, 0};
    const zl_version *vers = doc->n_versions ? doc->versions : &whole;
    uint32_t n_vers = doc->n_versions ? doc->n_versions : 1;
    for (uint32_t vi = 0; vi < n_vers; vi++) {
        v.vi = vi;
        v.ver = vers[vi].tok;
        v.lang = vers[vi].lang;
        if (v.ver.end > doc->n_tokens)
            v.ver.end = doc->n_tokens;
        if (v.ver.first >= v.ver.end)
            continue;
        memset(v.vinst_ok, 0, sizeof v.vinst_ok);
        for (uint32_t i = 0; i < e->n_rules; i++) {
            if (!active[i])
                continue;
            const zl_rule *r = e->rules[i];
            size_t before = out->count;
            int applied = 0;
            for (uint32_t s = 0; s < r->n_stmts; s++)
                applied |= run_stmt(&v, r, &r->stmts[s]);
            if (status) {
                if (out->count > before)
                    status[i] = ZL_RS_FAILED;
                else if (applied && status[i] == ZL_RS_NOT_APPLICABLE)
                    status[i] = ZL_RS_PASSED;
            }
        }
    }
    sort_unique(out, base);

    zl_arena_free(v.mem);
    free(v.mbits);
    free(v.mhead);
    free(v.mnext);
    free(v.ccost);
    free(v.cpick);
    free(v.sbits);
    free(v.xs);
    free(v.live.v);
    for (int s = 0; s < ZL_SCOPE_DOCUMENT; s++)
        free(v.vinst[s].v);
    zl_occurrences_free(&v.occ);
    free(v.sc.v);
    free(v.win[0].v);
    free(v.win[1].v);
    free(v.inst.v);
    free(needed);
    free(active);
    return rc;
}

int zl_engine_eval(const zl_engine *e, const zl_doc *doc, const zl_eval_opts *opts,
                   zl_findings *out, zl_diags *diags)
{
    return zl_engine_eval_status(e, doc, opts, out, diags, NULL);
}

int zl_eval(const zl_pack *pack, const zl_doc *doc, const zl_eval_opts *opts, zl_findings *out,
            zl_diags *diags)
{
    zl_engine *e = zl_engine_prepare(pack);
    int rc = zl_engine_eval(e, doc, opts, out, diags);
    zl_engine_free(e);
    return rc;
}

void zl_findings_free(zl_findings *f)
{
    if (!f)
        return;
    free(f->items);
    memset(f, 0, sizeof *f);
}

const char *zl_finding_message(const zl_finding *f, int lang)
{
    if (lang >= 0 && lang < ZL_NLANG && f->message[lang])
        return f->message[lang];
    return f->message[ZL_MSG_RU] ? f->message[ZL_MSG_RU] : "";
}
