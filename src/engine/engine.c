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
 */
#include "engine/engine.h"
#include "util/hash.h"

#include <stdlib.h>
#include <string.h>

#include "engine/match.h"
#include "ingest/ingest.h"
#include "text/position.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* A quick necessary condition for a statement-level expression (see
 * may_hold): sets of atoms each of which must occur in an instance where
 * the expression holds. */
typedef struct xfilter {
    const zl_expr *x;
    uint32_t *sets;   /* into zl_engine.aset */
    uint32_t n_sets;
    uint8_t vac;      /* x can be satisfied with no atom occurrence (`not`): no sets */
} xfilter;

/* A distinct set of atoms (sorted ascending). */
typedef struct aset {
    uint32_t *atoms;
    uint32_t n;
} aset;

struct zl_engine {
    const zl_rule **rules;
    uint32_t n_rules;
    const zl_atom **atoms;
    uint32_t n_atoms;
    zl_match_index *ix;
    xfilter *xf;      /* every expression the statements evaluate */
    uint32_t n_xf;
    size_t cap_xf;
    aset *aset;
    uint32_t n_aset;
    size_t cap_aset;
    uint32_t *xf_slots; /* open addressing on the expression pointer: index + 1 */
    uint32_t xf_mask;
};

#define EXCERPT_MAX_CP 200

/* ---- preparing --------------------------------------------------------- */

/* ---- candidate filters ------------------------------------------------- */

static void mark_atoms(const zl_expr *x, uint8_t *needed);

static uint32_t ptr_hash(const void *p)
{
    uint64_t h = (uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ULL;
    return (uint32_t)(h >> 32);
}

/* Index of `x` in e->xf, or UINT32_MAX when it has no filter. */
static uint32_t xf_find(const zl_engine *e, const zl_expr *x)
{
    if (!e->xf_slots)
        return UINT32_MAX;
    for (uint32_t h = ptr_hash(x) & e->xf_mask;; h = (h + 1) & e->xf_mask) {
        uint32_t k = e->xf_slots[h];
        if (!k)
            return UINT32_MAX;
        if (e->xf[k - 1].x == x)
            return k - 1;
    }
}

/* Whether x can hold in an instance where none of its atoms occurs: the
 * evaluation below yields `vac` only through `not`; `|` passes either
 * side's, `&`, `near` and `then` need both sides'. */
static int can_vac(const zl_expr *x)
{
    switch (x->kind) {
    case ZL_EX_ATOM: return 0;
    case ZL_EX_NOT: return 1;
    case ZL_EX_OR: return can_vac(x->a) || can_vac(x->b);
    default: return can_vac(x->a) && can_vac(x->b);
    }
}

/* The distinct atoms of an expression, gathered without scanning every
 * atom of the pack: `seen` is all zero between uses. */
typedef struct atom_list {
    uint8_t *seen;
    uint32_t *ids;
    size_t n, cap;
} atom_list;

static void collect_atoms(const zl_expr *x, atom_list *l)
{
    while (x) {
        switch (x->kind) {
        case ZL_EX_ATOM:
            if (!l->seen[x->atom]) {
                l->seen[x->atom] = 1;
                l->ids = zl_xgrow(l->ids, &l->cap, l->n + 1, sizeof *l->ids);
                l->ids[l->n++] = x->atom;
            }
            return;
        case ZL_EX_NOT:
            x = x->a;
            break;
        default:
            collect_atoms(x->a, l);
            x = x->b;
            break;
        }
    }
}

static int id_cmp(const void *pa, const void *pb)
{
    uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
    return a < b ? -1 : a > b;
}

/* Interns the atoms collected in `l` (ascending) as a set and empties `l`;
 * appends the set's id to f->sets unless already there. */
static void add_set(zl_engine *e, xfilter *f, atom_list *l)
{
    uint32_t n = (uint32_t)l->n;
    qsort(l->ids, n, sizeof *l->ids, id_cmp);
    uint32_t *atoms = zl_xmalloc((n ? n : 1) * sizeof *atoms);
    for (uint32_t k = 0; k < n; k++) {
        atoms[k] = l->ids[k];
        l->seen[l->ids[k]] = 0;
    }
    l->n = 0;
    uint32_t id = 0;
    while (id < e->n_aset &&
           (e->aset[id].n != n || memcmp(e->aset[id].atoms, atoms, n * sizeof *atoms) != 0))
        id++;
    if (id == e->n_aset) {
        e->aset = zl_xgrow(e->aset, &e->cap_aset, e->n_aset + 1, sizeof *e->aset);
        e->aset[e->n_aset++] = (aset){atoms, n};
    } else {
        free(atoms);
    }
    for (uint32_t k = 0; k < f->n_sets; k++)
        if (f->sets[k] == id)
            return;
    f->sets = zl_xrealloc(f->sets, (f->n_sets + 1) * sizeof *f->sets);
    f->sets[f->n_sets++] = id;
}

/* The sets a non-vacuous `x` needs: an atom needs itself; `|` needs one of
 * all its atoms; `&`, `near` and `then` need what each non-vacuous side
 * needs (a side that can hold vacuously needs nothing). */
static void req_sets(zl_engine *e, xfilter *f, const zl_expr *x, atom_list *seen)
{
    switch (x->kind) {
    case ZL_EX_NOT:
        return;
    case ZL_EX_ATOM:
    case ZL_EX_OR:
        collect_atoms(x, seen);
        add_set(e, f, seen);
        return;
    default:
        if (!can_vac(x->a))
            req_sets(e, f, x->a, seen);
        if (!can_vac(x->b))
            req_sets(e, f, x->b, seen);
        return;
    }
}

static void xf_add(zl_engine *e, const zl_expr *x, atom_list *seen)
{
    if (!x || xf_find(e, x) != UINT32_MAX)
        return;
    if (e->n_xf == e->cap_xf)
        e->xf = zl_xgrow(e->xf, &e->cap_xf, e->n_xf + 1, sizeof *e->xf);
    xfilter *f = &e->xf[e->n_xf];
    memset(f, 0, sizeof *f);
    f->x = x;
    f->vac = (uint8_t)can_vac(x);
    if (!f->vac)
        req_sets(e, f, x, seen);
    e->n_xf++;
    /* rehash at half load */
    if (e->n_xf * 2 > e->xf_mask) {
        uint32_t size = 64;
        while (size < e->n_xf * 4)
            size *= 2;
        free(e->xf_slots);
        e->xf_slots = zl_xcalloc(size, sizeof *e->xf_slots);
        e->xf_mask = size - 1;
        for (uint32_t i = 0; i < e->n_xf; i++) {
            uint32_t h = ptr_hash(e->xf[i].x) & e->xf_mask;
            while (e->xf_slots[h])
                h = (h + 1) & e->xf_mask;
            e->xf_slots[h] = i + 1;
        }
    } else {
        uint32_t h = ptr_hash(x) & e->xf_mask;
        while (e->xf_slots[h])
            h = (h + 1) & e->xf_mask;
        e->xf_slots[h] = e->n_xf;
    }
}

/* A filter for every expression a statement evaluates per instance. */
static void build_filters(zl_engine *e)
{
    atom_list l = {zl_xcalloc(e->n_atoms ? e->n_atoms : 1, 1), NULL, 0, 0};
    atom_list *seen = &l;
    for (uint32_t i = 0; i < e->n_rules; i++) {
        const zl_rule *r = e->rules[i];
        xf_add(e, r->anchor, seen);
        for (uint32_t k = 0; k < r->n_stmts; k++) {
            const zl_stmt *st = &r->stmts[k];
            xf_add(e, st->expr, seen);
            xf_add(e, st->unless, seen);
            for (uint32_t m = 0; m < st->n_members; m++)
                xf_add(e, st->members[m].expr, seen);
            for (uint32_t m = 0; m < st->n_whens; m++)
                xf_add(e, st->whens[m].expr, seen);
        }
    }
    free(l.seen);
    free(l.ids);
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
    build_filters(e);
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
    for (uint32_t i = 0; i < e->n_xf; i++)
        free(e->xf[i].sets);
    free(e->xf);
    for (uint32_t i = 0; i < e->n_aset; i++)
        free(e->aset[i].atoms);
    free(e->aset);
    free(e->xf_slots);
    zl_match_index_free(e->ix);
    free(e->rules);
    free(e->atoms);
    free(e);
}

/* ---- rule walking ------------------------------------------------------ */

static void mark_atoms(const zl_expr *x, uint8_t *needed)
{
    while (x) {
        switch (x->kind) {
        case ZL_EX_ATOM:
            needed[x->atom] = 1;
            return;
        case ZL_EX_NOT:
            x = x->a;
            break;
        default:
            mark_atoms(x->a, needed);
            x = x->b;
            break;
        }
    }
}

static void mark_rule(const zl_rule *r, uint8_t *needed)
{
    mark_atoms(r->anchor, needed);
    for (uint32_t i = 0; i < r->n_stmts; i++) {
        const zl_stmt *st = &r->stmts[i];
        mark_atoms(st->expr, needed);
        mark_atoms(st->unless, needed);
        for (uint32_t k = 0; k < st->n_members; k++)
            mark_atoms(st->members[k].expr, needed);
        for (uint32_t k = 0; k < st->n_whens; k++)
            mark_atoms(st->whens[k].expr, needed);
    }
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

static void rv_push(rvec *r, zl_range x)
{
    if (r->n == r->cap)
        r->v = zl_xgrow(r->v, &r->cap, r->n + 1, sizeof *r->v);
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

typedef struct ev {
    const zl_engine *e;
    const zl_doc *doc;
    zl_occurrences occ;
    rvec sc;       /* expression spans (a stack, reset per instance) */
    rvec win[2];   /* when-windows, ping-pong */
    rvec inst;     /* statement instances of one window */
    zl_range **xocc; /* per atom set: its atoms' occurrences merged, built on first use */
    uint32_t *xn;    /* their counts; UINT32_MAX = not built yet */
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

static res eval_near(ev *v, res a, res b, uint32_t dist)
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
    if (r.n > 1)
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
        return eval_near(v, a, b, x->dist);
    case ZL_EX_THEN:
        return eval_then(v, a, b, x->dist);
    default:
        return (res){v->sc.n, 0, 0};
    }
}

static int range_cmp(const void *pa, const void *pb)
{
    const zl_range *a = pa, *b = pb;
    if (a->first != b->first)
        return a->first < b->first ? -1 : 1;
    return a->end < b->end ? -1 : a->end > b->end;
}

/* Whether some occurrence of an atom of set `id` lies inside `in`
 * (eval_atom's test); the set's occurrences are merged on first use. */
static int set_occurs(ev *v, uint32_t id, zl_range in)
{
    if (v->xn[id] == UINT32_MAX) {
        const aset *f = &v->e->aset[id];
        size_t n = 0;
        for (uint32_t k = 0; k < f->n; k++)
            if (f->atoms[k] < v->occ.n_atoms)
                n += v->occ.start[f->atoms[k] + 1] - v->occ.start[f->atoms[k]];
        zl_range *m = zl_xmalloc((n ? n : 1) * sizeof *m);
        n = 0;
        for (uint32_t k = 0; k < f->n; k++) {
            uint32_t a = f->atoms[k];
            if (a >= v->occ.n_atoms)
                continue;
            for (uint32_t j = v->occ.start[a]; j < v->occ.start[a + 1]; j++)
                m[n++] = v->occ.occ[j];
        }
        if (f->n > 1 && n > 1)
            qsort(m, n, sizeof *m, range_cmp);
        v->xocc[id] = m;
        v->xn[id] = (uint32_t)n;
    }
    const zl_range *m = v->xocc[id];
    uint32_t lo = 0, hi = v->xn[id];
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (m[mid].first >= in.first)
            hi = mid;
        else
            lo = mid + 1;
    }
    for (uint32_t k = lo; k < v->xn[id] && m[k].first < in.end; k++)
        if (m[k].end <= in.end)
            return 1;
    return 0;
}

/* 0 when `x` certainly does not hold in `in`: one of the atom sets it needs
 * has no occurrence inside `in`.  A few binary searches instead of
 * evaluating the whole expression. */
static int may_hold(ev *v, const zl_expr *x, zl_range in)
{
    const zl_engine *e = v->e;
    uint32_t id = xf_find(e, x);
    if (id == UINT32_MAX)
        return 1;
    const xfilter *f = &e->xf[id];
    for (uint32_t k = 0; k < f->n_sets; k++)
        if (!set_occurs(v, f->sets[k], in))
            return 0;
    return 1;
}

/* Whether `x` holds in `in`, without building the evidence where it is not
 * needed: `|` stops at its first satisfied side, `&` and `not` only test
 * their operands; `near` and `then` need the spans (eval_expr). */
static int eval_sat(ev *v, const zl_expr *x, zl_range in)
{
    switch (x->kind) {
    case ZL_EX_ATOM: {
        if (x->atom >= v->occ.n_atoms)
            return 0;
        uint32_t hi = v->occ.start[x->atom + 1];
        for (uint32_t k = zl_occurrences_lower(&v->occ, x->atom, in.first);
             k < hi && v->occ.occ[k].first < in.end; k++)
            if (v->occ.occ[k].end <= in.end)
                return 1;
        return 0;
    }
    case ZL_EX_NOT:
        return !eval_sat(v, x->a, in);
    case ZL_EX_OR:
        return eval_sat(v, x->a, in) || eval_sat(v, x->b, in);
    case ZL_EX_AND:
        return eval_sat(v, x->a, in) && eval_sat(v, x->b, in);
    default: {
        size_t mark = v->sc.n;
        int ok = sat(eval_expr(v, x, in));
        v->sc.n = mark;
        return ok;
    }
    }
}

/* Whether `x` holds in `in`; the evidence (first span) goes to *span when
 * there is one (returns 2 then, 1 for a match without evidence). */
static int holds(ev *v, const zl_expr *x, zl_range in, zl_range *span)
{
    if (!may_hold(v, x, in))
        return 0;
    if (!span)
        return eval_sat(v, x, in);
    size_t mark = v->sc.n;
    res r = eval_expr(v, x, in);
    int ok = r.n ? 2 : r.vac ? 1 : 0;
    if (r.n && span)
        *span = v->sc.v[r.at];
    v->sc.n = mark;
    return ok;
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

static void push_clipped(rvec *out, zl_range r, zl_range w)
{
    if (r.first < w.first)
        r.first = w.first;
    if (r.end > w.end)
        r.end = w.end;
    if (r.first < r.end)
        rv_push(out, r);
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
        for (uint32_t i = 0; i < d->n_sections && d->sections[i].tok.first < w.end; i++) {
            zl_range r = d->sections[i].tok;
            if (r.first < v->ver.first || r.end <= w.first)
                continue;
            push_clipped(out, r, w);
        }
        return;
    }
    uint32_t n = unit_count(d, s);
    for (uint32_t i = unit_containing(d, s, w.first); i < n; i++) {
        zl_range r = unit_at(d, s, i);
        if (r.first >= w.end)
            break;
        if (r.end <= w.first || r.first < v->ver.first)
            continue;
        push_clipped(out, r, w);
    }
}

/* The windows a statement is evaluated in: the version, narrowed by each
 * scoped `when` to the instances where its condition holds.  Returns NULL
 * when an unscoped `when` fails or no window is left. */
static const rvec *windows(ev *v, const zl_stmt *st)
{
    for (uint32_t k = 0; k < st->n_whens; k++)
        if (!st->whens[k].has_scope && !holds(v, st->whens[k].expr, v->ver, NULL))
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
        for (size_t i = 0; i < v->win[cur].n; i++) {
            collect(v, wh->scope, v->win[cur].v[i], &v->inst);
            for (size_t j = 0; j < v->inst.n; j++)
                if (holds(v, wh->expr, v->inst.v[j], NULL))
                    rv_push(nx, v->inst.v[j]);
        }
        cur = !cur;
    }
    return v->win[cur].n ? &v->win[cur] : NULL;
}

/* Whether some instance of `s` in some window satisfies `x`. */
static int some_instance(ev *v, const zl_expr *x, zl_scope s, const rvec *wins)
{
    for (size_t i = 0; i < wins->n; i++) {
        collect(v, s, wins->v[i], &v->inst);
        for (size_t j = 0; j < v->inst.n; j++)
            if (holds(v, x, v->inst.v[j], NULL))
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
    zl_pos q = zl_doc_pos(d, last);
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
    for (uint32_t i = 0; i < d->n_sections; i++) {
        const zl_section *s = &d->sections[i];
        if (s->tok.first < v->ver.first || s->tok.first >= v->ver.end)
            continue;
        zl_range h = s->heading;
        if (h.end > v->ver.end)
            h.end = v->ver.end;
        if (h.first < h.end && holds(v, r->anchor, h, NULL)) {
            *heading = h;
            return 1;
        }
    }
    return 0;
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
        uint8_t *found = zl_xcalloc(st->n_members ? st->n_members : 1, 1);
        uint32_t got = 0;
        for (uint32_t m = 0; m < st->n_members; m++) {
            found[m] = (uint8_t)some_instance(v, st->members[m].expr, st->scope, wins);
            got += found[m];
        }
        if (got < st->at_least)
            fill_missing(v, emit_missing(v, r), r, st, found);
        free(found);
        break;
    }
    case ZL_ST_FORBID:
        for (size_t i = 0; i < wins->n; i++) {
            collect(v, st->scope, wins->v[i], &v->inst);
            for (size_t j = 0; j < v->inst.n; j++) {
                zl_range in = v->inst.v[j], span = in;
                if (!holds(v, st->expr, in, &span))
                    continue;
                if (st->unless && holds(v, st->unless, in, NULL))
                    continue;
                emit_match(v, r, span);
            }
        }
        break;
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
        mark_rule(e->rules[i], used);
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
    for (uint32_t i = 0; i < e->n_rules; i++)
        if ((active[i] = (uint8_t)rule_active(e, i, opts)))
            mark_rule(e->rules[i], needed);

    ev v;
    memset(&v, 0, sizeof v);
    v.e = e;
    v.doc = doc;
    v.out = out;
    zl_match_find(e->ix, doc, needed, &v.occ);
    v.xocc = zl_xcalloc(e->n_aset ? e->n_aset : 1, sizeof *v.xocc);
    v.xn = zl_xmalloc((e->n_aset ? e->n_aset : 1) * sizeof *v.xn);
    for (uint32_t i = 0; i < e->n_aset; i++)
        v.xn[i] = UINT32_MAX;

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

    for (uint32_t i = 0; i < e->n_aset; i++)
        free(v.xocc[i]);
    free(v.xocc);
    free(v.xn);
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
