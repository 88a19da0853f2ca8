/*
 * compile.c - the rule compiler: the parsed files of a pack (ast.h) in, the
 * immutable compiled pack of rule.h out, for the engine.
 *
 * Defines are collected from every file first, so names resolve across files
 * and in any order; a define is compiled once and shared by every use (the
 * expression graph is a DAG), and a cycle is reported.  Match strings are
 * split into words, normalized and tokenized exactly as documents are;
 * regexes are compiled once with PCRE2 UTF|UCP (the engine JIT-compiles them
 * when it prepares the pack).  Atoms are deduplicated across the pack
 * through a hash of their canonical form.
 * Rules with duplicate ids are reported; the rest are sorted by id.
 */
#include "dsl/pack_impl.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "text/normalize.h"
#include "text/segment.h"
#include "util/buf.h"
#include "util/xalloc.h"

#define MAX_COMPILE_DEPTH 2000

enum { DEF_NEW = 0, DEF_ACTIVE, DEF_DONE };

typedef struct defent {
    zl_ast_define *def;
    size_t order;          /* position in load order, for "first defined at" */
    int state;
    const zl_expr *expr;   /* DEF_DONE: the compiled expression, NULL after an error */
} defent;

typedef struct comp {
    zl_pack *p;
    zl_diags *d;
    size_t errors;
    defent *defs;
    size_t n_defs;
    defent **stack;        /* defines being compiled, outermost first */
    size_t n_stack, cap_stack;
    zl_atom *atoms;        /* heap while compiling; copied into the arena at the end */
    size_t n_atoms, cap_atoms;
    char **keys;           /* canonical form of each atom (in `scratch`) */
    zl_arena *scratch;     /* freed at the end of the compile */
    uint32_t *slots;       /* hash table: atom index + 1, 0 = empty */
    size_t n_slots;
    struct word *words;    /* match-string words already normalized and tokenized */
    uint32_t *wslots;      /* hash table: word index + 1, 0 = empty */
    size_t n_words, cap_words, n_wslots;
    zl_term *terms;        /* scratch: the terms of the phrase being compiled */
    size_t cap_terms;
    zl_buf key;            /* scratch: the canonical form of the atom being compiled */
    unsigned depth;
} comp;

/* One distinct word of the match strings: its raw bytes (without a final
 * '*') and its terms, exact (the caller marks the last one a prefix). */
typedef struct word {
    const char *raw;       /* into the rule source: borrowed */
    size_t len;
    uint64_t hash;
    zl_term *terms;        /* arena */
    uint32_t n_terms;
} word;

#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static void error_at(comp *c, zl_diag_id id, const zl_ast_expr *e, uint32_t len,
                     const char *fmt, ...)
{
    zl_buf b = ZL_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    zl_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    zl_src_error(c->d, id, e->src, e->off, len, "%s", b.data);
    zl_buf_free(&b);
    c->errors++;
}

/* ---- defines ------------------------------------------------------------- */

static int def_cmp(const void *x, const void *y)
{
    const defent *a = x, *b = y;
    int r = strcmp(a->def->name, b->def->name);
    return r ? r : (a->order < b->order ? -1 : a->order > b->order);
}

static defent *def_find(comp *c, const char *name)
{
    size_t lo = 0, hi = c->n_defs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int r = strcmp(name, c->defs[mid].def->name);
        if (r == 0)
            return &c->defs[mid];
        if (r < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* Gathers every define of the pack, sorted by name; reports duplicates and
 * keeps the first of each name. */
static void collect_defines(comp *c)
{
    zl_pack *p = c->p;
    size_t n = 0;
    for (size_t f = 0; f < p->n_files; f++)
        for (zl_ast_define *d = p->files[f].defines; d; d = d->next)
            n++;
    c->defs = zl_xcalloc(n ? n : 1, sizeof *c->defs);
    for (size_t f = 0; f < p->n_files; f++)
        for (zl_ast_define *d = p->files[f].defines; d; d = d->next) {
            c->defs[c->n_defs].def = d;
            c->defs[c->n_defs].order = c->n_defs;
            c->n_defs++;
        }
    qsort(c->defs, c->n_defs, sizeof *c->defs, def_cmp);
    size_t w = 0;
    for (size_t i = 0; i < c->n_defs; i++) {
        if (w > 0 && strcmp(c->defs[w - 1].def->name, c->defs[i].def->name) == 0) {
            const zl_ast_define *first = c->defs[w - 1].def, *dup = c->defs[i].def;
            uint32_t line, col;
            zl_src_pos(first->src, first->name_off, &line, &col);
            zl_src_error(c->d, ZL_D_DSL_SEMANTIC, dup->src, dup->name_off, dup->name_len,
                         "duplicate define '%s' (first defined at %s:%u)", dup->name,
                         first->src->name, line);
            c->errors++;
            continue;
        }
        c->defs[w++] = c->defs[i];
    }
    c->n_defs = w;
}

/* ---- atoms --------------------------------------------------------------- */

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* Finds the atom with canonical form `key`, or returns the slot to fill. */
static uint32_t *atom_slot(comp *c, const char *key)
{
    if (c->n_slots == 0 || (c->n_atoms + 1) * 2 > c->n_slots) {
        size_t ns = c->n_slots ? c->n_slots * 2 : 64;
        uint32_t *sl = zl_xcalloc(ns, sizeof *sl);
        for (size_t i = 0; i < c->n_atoms; i++) {
            size_t h = (size_t)hash_str(c->keys[i]) & (ns - 1);
            while (sl[h])
                h = (h + 1) & (ns - 1);
            sl[h] = (uint32_t)i + 1;
        }
        free(c->slots);
        c->slots = sl;
        c->n_slots = ns;
    }
    size_t h = (size_t)hash_str(key) & (c->n_slots - 1);
    while (c->slots[h] && strcmp(c->keys[c->slots[h] - 1], key) != 0)
        h = (h + 1) & (c->n_slots - 1);
    return &c->slots[h];
}

static uint32_t atom_add(comp *c, uint32_t *slot, const char *key, const zl_atom *a,
                         const zl_ast_expr *e)
{
    size_t cap = c->cap_atoms;
    c->atoms = zl_xgrow(c->atoms, &c->cap_atoms, c->n_atoms + 1, sizeof *c->atoms);
    if (c->cap_atoms != cap)
        c->keys = zl_xrealloc(c->keys, c->cap_atoms * sizeof *c->keys);
    zl_atom *na = &c->atoms[c->n_atoms];
    *na = *a;
    na->file = e->src->name;
    na->src = e->src;
    na->off = e->off;
    c->keys[c->n_atoms] = zl_arena_strdup(c->scratch, key);
    *slot = (uint32_t)c->n_atoms + 1;
    return (uint32_t)c->n_atoms++;
}

static uint64_t hash_mem(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

/* The terms of one raw word, normalized and tokenized exactly as documents
 * are; each distinct word is done once per pack. */
static const word *word_terms(comp *c, const char *raw, size_t len)
{
    if (c->n_wslots == 0 || (c->n_words + 1) * 2 > c->n_wslots) {
        size_t ns = c->n_wslots ? c->n_wslots * 2 : 256;
        uint32_t *sl = zl_xcalloc(ns, sizeof *sl);
        for (size_t i = 0; i < c->n_words; i++) {
            size_t h = (size_t)c->words[i].hash & (ns - 1);
            while (sl[h])
                h = (h + 1) & (ns - 1);
            sl[h] = (uint32_t)i + 1;
        }
        free(c->wslots);
        c->wslots = sl;
        c->n_wslots = ns;
    }
    uint64_t hv = hash_mem(raw, len);
    size_t h = (size_t)hv & (c->n_wslots - 1);
    for (; c->wslots[h]; h = (h + 1) & (c->n_wslots - 1)) {
        const word *w = &c->words[c->wslots[h] - 1];
        if (w->hash == hv && w->len == len && memcmp(w->raw, raw, len) == 0)
            return w;
    }
    zl_arena *ar = c->p->arena;
    size_t nl;
    char *norm = zl_normalize_str(ar, raw, len, &nl);
    zl_token *toks = NULL;
    uint32_t nt = zl_tokenize(ar, norm, nl, &toks);
    c->words = zl_xgrow(c->words, &c->cap_words, c->n_words + 1, sizeof *c->words);
    word *w = &c->words[c->n_words];
    w->raw = raw;
    w->len = len;
    w->hash = hv;
    w->n_terms = nt;
    w->terms = zl_arena_calloc(ar, nt ? nt : 1, sizeof *w->terms);
    for (uint32_t k = 0; k < nt; k++) {
        w->terms[k].text = zl_arena_strndup(ar, norm + toks[k].off, toks[k].len);
        w->terms[k].len = toks[k].len;
    }
    c->wslots[h] = (uint32_t)++c->n_words;
    return w;
}

static int is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

/* A match string -> a phrase atom index, or -1 after reporting an error. */
static int64_t phrase_atom(comp *c, const zl_ast_expr *e)
{
    zl_arena *ar = c->p->arena;
    const char *s = e->text;
    size_t n = e->text_len;
    size_t n_terms = 0;
    for (size_t i = 0; i < n;) {
        while (i < n && is_space(s[i]))
            i++;
        size_t w = i;
        while (i < n && !is_space(s[i]))
            i++;
        if (i == w)
            break;
        size_t wl = i - w;
        int stem = s[w + wl - 1] == '*';
        if (stem)
            wl--;
        if (memchr(s + w, '*', wl)) {
            error_at(c, ZL_D_DSL_SEMANTIC, e, e->len,
                     "'*' may only end a word (in \"%.*s\")", (int)(i - w), s + w);
            return -1;
        }
        if (stem && wl == 0) {
            error_at(c, ZL_D_DSL_SEMANTIC, e, e->len, "'*' alone matches nothing: write a stem before it");
            return -1;
        }
        const word *wd = word_terms(c, s + w, wl);
        uint32_t nt = wd->n_terms;
        for (uint32_t k = 0; k < nt; k++) {
            c->terms = zl_xgrow(c->terms, &c->cap_terms, n_terms + 1, sizeof *c->terms);
            zl_term *t = &c->terms[n_terms++];
            *t = wd->terms[k];
            t->prefix = (uint8_t)(stem && k + 1 == nt);
        }
    }
    if (n_terms == 0) {
        error_at(c, ZL_D_DSL_SEMANTIC, e, e->len, "string matches nothing");
        return -1;
    }
    const zl_term *terms = c->terms;
    zl_buf *key = &c->key;
    zl_buf_reset(key);
    zl_buf_putc(key, 'P');
    for (size_t k = 0; k < n_terms; k++) {
        zl_buf_putc(key, terms[k].prefix ? '*' : '=');
        zl_buf_put(key, terms[k].text, terms[k].len);
        zl_buf_putc(key, '\x1f');
    }
    uint32_t *slot = atom_slot(c, key->data);
    uint32_t idx;
    if (*slot) {
        idx = *slot - 1;
    } else {
        zl_atom a;
        memset(&a, 0, sizeof a);
        a.kind = ZL_ATOM_PHRASE;
        a.terms = zl_arena_memdup(ar, terms, n_terms * sizeof *terms);
        a.n_terms = (uint32_t)n_terms;
        idx = atom_add(c, slot, key->data, &a, e);
    }
    return idx;
}

/* Maps a byte offset in the unescaped pattern to the byte offset in the file
 * (the lexer turned each "\/" into "/"; every other byte is kept). */
static uint32_t regex_src_off(const zl_ast_expr *e, size_t pat_off)
{
    const char *raw = e->src->text;
    size_t ri = e->off + 1, end = e->off + e->len - 1, pi = 0;
    while (pi < pat_off && ri < end) {
        if (raw[ri] == '\\' && ri + 1 < end) {
            pi += raw[ri + 1] == '/' ? 1 : 2;
            ri += 2;
        } else {
            pi++;
            ri++;
        }
    }
    return (uint32_t)ri;
}

static int64_t regex_atom(comp *c, const zl_ast_expr *e)
{
    zl_buf *key = &c->key;
    zl_buf_reset(key);
    zl_buf_putc(key, 'R');
    zl_buf_put(key, e->text, e->text_len);
    uint32_t *slot = atom_slot(c, key->data);
    if (*slot)
        return *slot - 1;
    int err;
    PCRE2_SIZE erroff;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)e->text, e->text_len, ZL_REGEX_OPTIONS, &err,
                                   &erroff, NULL);
    if (!re) {
        PCRE2_UCHAR msg[256];
        if (pcre2_get_error_message(err, msg, sizeof msg) < 0)
            memcpy(msg, "unknown error", sizeof "unknown error");
        zl_ast_expr at = *e;
        at.off = regex_src_off(e, erroff);
        error_at(c, ZL_D_DSL_REGEX, &at, 1, "bad regex: %s", (const char *)msg);
        return -1;
    }
    uint32_t minlen = 0;
    pcre2_pattern_info(re, PCRE2_INFO_MINLENGTH, &minlen);
    if (minlen == 0) {
        pcre2_code_free(re);
        error_at(c, ZL_D_DSL_REGEX, e, e->len, "regex can match the empty string");
        return -1;
    }
    /* JIT-compiled by the engine when it prepares the pack (match.c). */
    zl_atom a;
    memset(&a, 0, sizeof a);
    a.kind = ZL_ATOM_REGEX;
    a.re = re;
    a.pattern = e->text;
    return atom_add(c, slot, key->data, &a, e);
}

/* ---- expressions --------------------------------------------------------- */

static const zl_expr *compile_expr(comp *c, const zl_ast_expr *e);

static const zl_expr *resolve_name(comp *c, const zl_ast_expr *e)
{
    defent *de = def_find(c, e->text);
    if (!de) {
        error_at(c, ZL_D_DSL_SEMANTIC, e, e->len, "unknown name '%s'", e->text);
        return NULL;
    }
    if (de->state == DEF_DONE)
        return de->expr;
    if (de->state == DEF_ACTIVE) {
        size_t k = 0;
        while (k < c->n_stack && c->stack[k] != de)
            k++;
        zl_buf path = ZL_BUF_INIT;
        for (size_t j = k + 1; j < c->n_stack; j++)
            zl_buf_printf(&path, "%s'%s'", j > k + 1 ? " -> " : "", c->stack[j]->def->name);
        if (path.len)
            error_at(c, ZL_D_DSL_SEMANTIC, e, e->len, "define '%s' refers to itself through %s",
                     de->def->name, path.data);
        else
            error_at(c, ZL_D_DSL_SEMANTIC, e, e->len, "define '%s' refers to itself",
                     de->def->name);
        zl_buf_free(&path);
        return NULL;
    }
    de->state = DEF_ACTIVE;
    c->stack = zl_xgrow(c->stack, &c->cap_stack, c->n_stack + 1, sizeof *c->stack);
    c->stack[c->n_stack++] = de;
    const zl_expr *x = compile_expr(c, de->def->expr);
    c->n_stack--;
    de->state = DEF_DONE;
    de->expr = x;
    return x;
}

static const zl_expr *compile_expr(comp *c, const zl_ast_expr *e)
{
    if (c->depth >= MAX_COMPILE_DEPTH) {
        error_at(c, ZL_D_DSL_SEMANTIC, e, e->len, "expression too large or too deeply nested (more than %d levels)",
                 MAX_COMPILE_DEPTH);
        return NULL;
    }
    c->depth++;
    const zl_expr *out = NULL;
    switch (e->kind) {
    case ZL_AST_STRING:
    case ZL_AST_REGEX: {
        int64_t a = e->kind == ZL_AST_STRING ? phrase_atom(c, e) : regex_atom(c, e);
        if (a >= 0) {
            zl_expr *x = zl_arena_calloc(c->p->arena, 1, sizeof *x);
            x->kind = ZL_EX_ATOM;
            x->atom = (uint32_t)a;
            out = x;
        }
        break;
    }
    case ZL_AST_NAME:
        out = resolve_name(c, e);
        break;
    default: {
        const zl_expr *a = compile_expr(c, e->a);
        const zl_expr *b = e->b ? compile_expr(c, e->b) : NULL;
        if (!a || (e->b && !b))
            break;
        zl_expr *x = zl_arena_calloc(c->p->arena, 1, sizeof *x);
        x->kind = e->kind == ZL_AST_OR     ? ZL_EX_OR
                  : e->kind == ZL_AST_AND  ? ZL_EX_AND
                  : e->kind == ZL_AST_NEAR ? ZL_EX_NEAR
                  : e->kind == ZL_AST_THEN ? ZL_EX_THEN
                                           : ZL_EX_NOT;
        x->a = a;
        x->b = b;
        x->dist = e->dist;
        out = x;
        break;
    }
    }
    c->depth--;
    return out;
}

/* ---- rules --------------------------------------------------------------- */

/* Compiles one parsed rule into *r; returns 0 when an expression failed. */
static int compile_rule(comp *c, const zl_ast_rule *ar, zl_rule *r)
{
    zl_arena *a = c->p->arena;
    int ok = 1;
    memset(r, 0, sizeof *r);
    r->id = ar->id;
    r->severity = ar->severity;
    r->article = ar->article;
    r->since = ar->since;
    r->until = ar->until;
    for (int l = 0; l < ZL_NLANG; l++) {
        r->title[l] = ar->title[l];
        r->message[l] = ar->message[l];
        r->suggest[l] = ar->suggest[l];
    }
    if (ar->anchor && !(r->anchor = compile_expr(c, ar->anchor)))
        ok = 0;
    r->tags = ar->tags;
    r->n_tags = ar->n_tags;
    r->examples = ar->examples;
    r->n_examples = ar->n_examples;
    r->file = ar->src->name;
    r->line = zl_src_line(ar->src, ar->off);
    r->n_stmts = ar->n_stmts;
    r->stmts = zl_arena_calloc(a, ar->n_stmts ? ar->n_stmts : 1, sizeof *r->stmts);
    for (uint32_t i = 0; i < ar->n_stmts; i++) {
        const zl_ast_stmt *as = &ar->stmts[i];
        zl_stmt *st = &r->stmts[i];
        st->kind = as->kind;
        st->scope = as->scope;
        st->at_least = as->at_least;
        st->line = zl_src_line(ar->src, as->off);
        if (as->expr && !(st->expr = compile_expr(c, as->expr)))
            ok = 0;
        if (as->unless && !(st->unless = compile_expr(c, as->unless)))
            ok = 0;
        st->n_members = as->n_members;
        st->members = zl_arena_calloc(a, as->n_members ? as->n_members : 1, sizeof *st->members);
        for (uint32_t m = 0; m < as->n_members; m++) {
            if (!(st->members[m].expr = compile_expr(c, as->members[m].expr)))
                ok = 0;
            for (int l = 0; l < ZL_NLANG; l++)
                st->members[m].label[l] = as->members[m].label[l];
        }
        st->n_whens = as->n_whens;
        st->whens = zl_arena_calloc(a, as->n_whens ? as->n_whens : 1, sizeof *st->whens);
        for (uint32_t w = 0; w < as->n_whens; w++) {
            if (!(st->whens[w].expr = compile_expr(c, as->whens[w].expr)))
                ok = 0;
            st->whens[w].scope = as->whens[w].scope;
            st->whens[w].has_scope = as->whens[w].has_scope;
        }
    }
    return ok;
}

typedef struct rule_ref {
    const zl_ast_rule *ast;
    size_t order;
} rule_ref;

static int rule_ref_cmp(const void *x, const void *y)
{
    const rule_ref *a = x, *b = y;
    int r = strcmp(a->ast->id, b->ast->id);
    return r ? r : (a->order < b->order ? -1 : a->order > b->order);
}

size_t zl_compile(zl_pack *p, zl_diags *d)
{
    comp c;
    memset(&c, 0, sizeof c);
    c.p = p;
    c.d = d;
    c.scratch = zl_arena_new();

    for (size_t f = 0; f < p->n_files && !p->name; f++)
        if (p->files[f].packs) {
            p->name = p->files[f].packs->name;
            p->version = p->files[f].packs->version;
        }
    if (!p->name) {
        p->name = "custom";
        p->version = "0";
    }

    collect_defines(&c);
    /* Every define is compiled, used or not, so its errors are reported. */
    for (size_t i = 0; i < c.n_defs; i++) {
        zl_ast_expr use;
        memset(&use, 0, sizeof use);
        use.kind = ZL_AST_NAME;
        use.src = c.defs[i].def->src;
        use.off = c.defs[i].def->name_off;
        use.len = c.defs[i].def->name_len;
        use.text = c.defs[i].def->name;
        resolve_name(&c, &use);
    }

    size_t n = 0;
    for (size_t f = 0; f < p->n_files; f++)
        for (zl_ast_rule *r = p->files[f].rules; r; r = r->next)
            n++;
    rule_ref *refs = zl_xcalloc(n ? n : 1, sizeof *refs);
    n = 0;
    for (size_t f = 0; f < p->n_files; f++)
        for (zl_ast_rule *r = p->files[f].rules; r; r = r->next) {
            refs[n].ast = r;
            refs[n].order = n;
            n++;
        }
    qsort(refs, n, sizeof *refs, rule_ref_cmp);

    p->rules = zl_arena_calloc(p->arena, n ? n : 1, sizeof *p->rules);
    p->n_rules = 0;
    for (size_t i = 0; i < n; i++) {
        const zl_ast_rule *ar = refs[i].ast;
        if (i > 0 && strcmp(refs[i - 1].ast->id, ar->id) == 0) {
            size_t k = i - 1;
            while (k > 0 && strcmp(refs[k - 1].ast->id, ar->id) == 0)
                k--;
            uint32_t line, col;
            zl_src_pos(refs[k].ast->src, refs[k].ast->id_off, &line, &col);
            zl_src_error(d, ZL_D_DSL_SEMANTIC, ar->src, ar->id_off, ar->id_len,
                         "duplicate rule id '%s' (first defined at %s:%u)", ar->id,
                         refs[k].ast->src->name, line);
            c.errors++;
            zl_rule scratch; /* still compiled, so its own errors are reported too */
            compile_rule(&c, ar, &scratch);
            continue;
        }
        zl_rule *r = &p->rules[p->n_rules];
        compile_rule(&c, ar, r);
        r->index = p->n_rules++;
    }
    free(refs);

    p->n_atoms = (uint32_t)c.n_atoms;
    p->atoms = c.n_atoms ? zl_arena_memdup(p->arena, c.atoms, c.n_atoms * sizeof *c.atoms)
                         : NULL;
    zl_arena_free(c.scratch);
    free(c.keys);
    free(c.atoms);
    free(c.slots);
    free(c.words);
    free(c.wslots);
    free(c.terms);
    zl_buf_free(&c.key);
    free(c.defs);
    free(c.stack);
    return c.errors;
}
