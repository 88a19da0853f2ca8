/*
 * match.c - finds every atom's occurrences in a document in one pass.
 *
 * The per-pack index (two open-addressing hash tables keyed by term text and
 * a sorted list of stem lengths) is built once and never modified, so it can
 * be shared by threads.  zl_match_find walks the tokens once: each token is
 * looked up as an exact first term and, for every stem length that fits, as
 * a stem; the candidates' remaining terms are checked against the following
 * tokens.  Regex atoms run once over the normalized text with PCRE2 limits.
 * The result, grouped by atom, is handed to engine.c.
 *
 * Under PCRE2_UCP a pattern whose first item is \d (alone or after \b or a
 * lookbehind) gets no start-of-match optimisation, so PCRE2 tries it at every
 * position.  The index marks such regexes (the same pattern compiled without
 * UCP has a start bitmap of ASCII digits only, so under UCP a match starts
 * with an ASCII digit or a non-ASCII Nd code point); in a document with no
 * non-ASCII digit they run as anchored searches from the ASCII digits only.
 * Same matches; only a PCRE2 limit is counted per start position instead of
 * per search.
 */
#include "engine/match.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "util/utf8.h"
#include "util/xalloc.h"

/* One key of a hash table: a term text and the atoms whose first term it is. */
typedef struct slot {
    const char *s; /* NULL = empty slot */
    uint32_t len;
    uint32_t post_first, post_n; /* into table.post */
} slot;

typedef struct table {
    slot *slots;
    uint32_t mask;
    uint32_t *post; /* atom ids grouped by key */
} table;

struct zl_match_index {
    const zl_atom **atoms;
    uint32_t n_atoms;
    table exact, stem;
    uint32_t *stem_lens; /* distinct stem byte lengths, ascending */
    uint32_t n_stem_lens;
    uint32_t *regex;     /* ids of regex atoms */
    unsigned char *digit_start; /* per regex[k]: every match starts with a digit */
    uint32_t n_regex;
};

typedef struct keyed {
    const char *s;
    uint32_t len;
    uint32_t atom;
} keyed;

static uint32_t hash_bytes(const char *s, uint32_t len)
{
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

static int keyed_eq(const keyed *a, const keyed *b)
{
    return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

/* Builds a table from `n` (key, atom) pairs given in ascending atom order:
 * equal keys are grouped through a scratch hash (no sort), so each key's
 * atoms stay ascending in `post`. */
static void table_build(table *t, keyed *k, uint32_t n)
{
    uint32_t tsize = 8;
    while (tsize < n * 2)
        tsize *= 2;
    uint32_t *tmp = zl_xcalloc(tsize, sizeof *tmp); /* group + 1, 0 = empty */
    uint32_t *grp = zl_xmalloc((n ? n : 1) * sizeof *grp);   /* group of each pair */
    uint32_t *first = zl_xmalloc((n ? n : 1) * sizeof *first); /* per group: first pair */
    uint32_t *fill = zl_xcalloc(n ? n : 1, sizeof *fill);     /* per group: count, then cursor */
    uint32_t *hash = zl_xmalloc((n ? n : 1) * sizeof *hash);  /* per group */
    uint32_t groups = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t hv = hash_bytes(k[i].s, k[i].len), h = hv & (tsize - 1);
        while (tmp[h] && !keyed_eq(&k[first[tmp[h] - 1]], &k[i]))
            h = (h + 1) & (tsize - 1);
        if (!tmp[h]) {
            first[groups] = i;
            hash[groups] = hv;
            tmp[h] = ++groups;
        }
        grp[i] = tmp[h] - 1;
        fill[grp[i]]++;
    }
    uint32_t size = 8;
    while (size < groups * 2)
        size *= 2;
    t->slots = zl_xcalloc(size, sizeof *t->slots);
    t->mask = size - 1;
    t->post = zl_xmalloc((n ? n : 1) * sizeof *t->post);
    uint32_t at = 0;
    for (uint32_t g = 0; g < groups; g++) {
        const keyed *key = &k[first[g]];
        uint32_t h = hash[g] & t->mask;
        while (t->slots[h].s)
            h = (h + 1) & t->mask;
        t->slots[h] = (slot){key->s, key->len, at, fill[g]};
        uint32_t cnt = fill[g];
        fill[g] = at;
        at += cnt;
    }
    for (uint32_t i = 0; i < n; i++)
        t->post[fill[grp[i]]++] = k[i].atom;
    free(tmp);
    free(grp);
    free(first);
    free(fill);
    free(hash);
}

/* Looks up `s` whose hash_bytes() is `hash`. */
static const slot *table_get_h(const table *t, const char *s, uint32_t len, uint32_t hash)
{
    uint32_t h = hash & t->mask;
    while (t->slots[h].s) {
        const slot *e = &t->slots[h];
        if (e->len == len && memcmp(e->s, s, len) == 0)
            return e;
        h = (h + 1) & t->mask;
    }
    return NULL;
}

static const slot *table_get(const table *t, const char *s, uint32_t len)
{
    return table_get_h(t, s, len, hash_bytes(s, len));
}

static int u32_cmp(const void *pa, const void *pb)
{
    uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
    return a < b ? -1 : a > b;
}

/* Does every match of regex atom a start with a (Unicode) digit, while
 * PCRE2 itself has no first code unit or start bitmap for it? */
static int starts_with_digit(const zl_atom *a)
{
    uint32_t type = 0;
    const uint8_t *bits = NULL;
    if (!a->pattern || pcre2_pattern_info(a->re, PCRE2_INFO_FIRSTCODETYPE, &type) != 0 ||
        type != 0 || pcre2_pattern_info(a->re, PCRE2_INFO_FIRSTBITMAP, &bits) != 0 || bits)
        return 0;
    /* without UCP, \d \w \s and POSIX classes are ASCII-only and agree with
     * UCP on ASCII; a bitmap of only '0'-'9' means the first item is a digit */
    int err;
    PCRE2_SIZE erroff;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)a->pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF,
                                   &err, &erroff, NULL);
    if (!re)
        return 0;
    int ok = pcre2_pattern_info(re, PCRE2_INFO_FIRSTCODETYPE, &type) == 0 && type == 0 &&
             pcre2_pattern_info(re, PCRE2_INFO_FIRSTBITMAP, &bits) == 0 && bits;
    for (int c = 0; ok && c < 256; c++)
        if ((bits[c / 8] >> (c % 8)) & 1)
            ok = c >= '0' && c <= '9';
    pcre2_code_free(re);
    return ok;
}

/* Regexes are JIT-compiled here, when an index is built (zl_engine_prepare,
 * before any worker starts), not when the pack is compiled: `rules` and
 * `explain` never pay for it.  pcre2_jit_compile writes into the code and
 * does nothing for code already compiled; the lock lets two indexes of one
 * pack be built at once. */
static pthread_mutex_t jit_lock = PTHREAD_MUTEX_INITIALIZER;

static void jit_compile(pcre2_code *re)
{
#ifndef ZL_NO_JIT
    /* The interpreter is the fallback.  `make valgrind` builds with
     * ZL_NO_JIT: valgrind cannot follow JIT-generated code. */
    pthread_mutex_lock(&jit_lock);
    (void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
    pthread_mutex_unlock(&jit_lock);
#else
    (void)re;
#endif
}

zl_match_index *zl_match_index_new(const zl_atom *const *atoms, uint32_t n_atoms)
{
    zl_match_index *ix = zl_xcalloc(1, sizeof *ix);
    ix->n_atoms = n_atoms;
    ix->atoms = zl_xmalloc((n_atoms ? n_atoms : 1) * sizeof *ix->atoms);
    keyed *ex = zl_xmalloc((n_atoms ? n_atoms : 1) * sizeof *ex);
    keyed *st = zl_xmalloc((n_atoms ? n_atoms : 1) * sizeof *st);
    uint32_t n_ex = 0, n_st = 0;
    ix->regex = zl_xmalloc((n_atoms ? n_atoms : 1) * sizeof *ix->regex);
    ix->stem_lens = zl_xmalloc((n_atoms ? n_atoms : 1) * sizeof *ix->stem_lens);
    for (uint32_t i = 0; i < n_atoms; i++) {
        const zl_atom *a = atoms[i];
        ix->atoms[i] = a;
        if (a->kind == ZL_ATOM_REGEX) {
            if (a->re) {
                jit_compile(a->re);
                ix->digit_start = zl_xrealloc(ix->digit_start, ix->n_regex + 1);
                ix->digit_start[ix->n_regex] = (unsigned char)starts_with_digit(a);
                ix->regex[ix->n_regex++] = i;
            }
            continue;
        }
        if (a->n_terms == 0 || a->terms[0].len == 0)
            continue; /* cannot match; the compiler rejects these anyway */
        const zl_term *t = &a->terms[0];
        if (t->prefix) {
            st[n_st++] = (keyed){t->text, t->len, i};
            ix->stem_lens[ix->n_stem_lens++] = t->len;
        } else {
            ex[n_ex++] = (keyed){t->text, t->len, i};
        }
    }
    table_build(&ix->exact, ex, n_ex);
    table_build(&ix->stem, st, n_st);
    free(ex);
    free(st);
    qsort(ix->stem_lens, ix->n_stem_lens, sizeof *ix->stem_lens, u32_cmp);
    uint32_t w = 0;
    for (uint32_t i = 0; i < ix->n_stem_lens; i++)
        if (w == 0 || ix->stem_lens[w - 1] != ix->stem_lens[i])
            ix->stem_lens[w++] = ix->stem_lens[i];
    ix->n_stem_lens = w;
    return ix;
}

void zl_match_index_free(zl_match_index *ix)
{
    if (!ix)
        return;
    free(ix->atoms);
    free(ix->exact.slots);
    free(ix->exact.post);
    free(ix->stem.slots);
    free(ix->stem.post);
    free(ix->stem_lens);
    free(ix->regex);
    free(ix->digit_start);
    free(ix);
}

/* ---- the pass ---------------------------------------------------------- */

typedef struct hit {
    uint32_t atom, first, end;
} hit;

typedef struct hits {
    hit *v;
    size_t n, cap;
} hits;

static void hits_push(hits *h, uint32_t atom, uint32_t first, uint32_t end)
{
    if (h->n == h->cap)
        h->v = zl_xgrow(h->v, &h->cap, h->n + 1, sizeof *h->v);
    h->v[h->n++] = (hit){atom, first, end};
}

static int term_matches(const zl_term *t, const char *s, uint32_t len)
{
    if (t->prefix)
        return len >= t->len && memcmp(s, t->text, t->len) == 0;
    return len == t->len && memcmp(s, t->text, len) == 0;
}

/* Checks terms 1.. of phrase atom `a` against the tokens after `i`. */
static int rest_matches(const zl_atom *a, const zl_doc *doc, uint32_t i)
{
    if ((uint64_t)i + a->n_terms > doc->n_tokens)
        return 0;
    for (uint32_t j = 1; j < a->n_terms; j++) {
        const zl_token *tk = &doc->tokens[i + j];
        if (!term_matches(&a->terms[j], doc->norm.text + tk->off, tk->len))
            return 0;
    }
    return 1;
}

static void post_candidates(const zl_match_index *ix, const table *t, const slot *e,
                            const zl_doc *doc, const uint8_t *needed, uint32_t i, hits *out)
{
    for (uint32_t k = 0; k < e->post_n; k++) {
        uint32_t atom = t->post[e->post_first + k];
        if (needed && !needed[atom])
            continue;
        const zl_atom *a = ix->atoms[atom];
        if (rest_matches(a, doc, i))
            hits_push(out, atom, i, i + a->n_terms);
    }
}

static void find_phrases(const zl_match_index *ix, const zl_doc *doc, const uint8_t *needed,
                         hits *out)
{
    for (uint32_t i = 0; i < doc->n_tokens; i++) {
        const zl_token *tk = &doc->tokens[i];
        const char *s = doc->norm.text + tk->off;
        const slot *e = table_get(&ix->exact, s, tk->len);
        if (e)
            post_candidates(ix, &ix->exact, e, doc, needed, i, out);
        /* FNV-1a extends byte by byte: the hash of each stem-length prefix
         * comes from one pass over the token. */
        uint32_t h = 2166136261u, hl = 0;
        for (uint32_t k = 0; k < ix->n_stem_lens && ix->stem_lens[k] <= tk->len; k++) {
            uint32_t l = ix->stem_lens[k];
            if (l < tk->len && ((unsigned char)s[l] & 0xC0) == 0x80)
                continue; /* not a character boundary */
            for (; hl < l; hl++) {
                h ^= (unsigned char)s[hl];
                h *= 16777619u;
            }
            e = table_get_h(&ix->stem, s, l, h);
            if (e)
                post_candidates(ix, &ix->stem, e, doc, needed, i, out);
        }
    }
}

/* First token whose normalized span ends after byte `b`. */
static uint32_t tok_ending_after(const zl_doc *doc, size_t b)
{
    uint32_t lo = 0, hi = doc->n_tokens;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if ((size_t)doc->tokens[mid].off + doc->tokens[mid].len > b)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* First token starting at or after byte `b`. */
static uint32_t tok_starting_from(const zl_doc *doc, size_t b)
{
    uint32_t lo = 0, hi = doc->n_tokens;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (doc->tokens[mid].off >= b)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* What is known of the subject's UTF-8 validity: PCRE2 checks the whole
 * subject on a search from offset 0 without PCRE2_NO_UTF_CHECK, the same
 * for every pattern, so the first search of the first regex decides for
 * all of them. */
enum { UTF_UNKNOWN = 0, UTF_VALID, UTF_INVALID };

/* Does the text hold a non-ASCII decimal digit (Nd)?  None is below U+0660,
 * so only lead bytes from 0xD9 on are decoded. */
static int has_nonascii_digit(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)s[i] < 0xD9)
            continue;
        uint32_t cp;
        size_t k = zl_utf8_decode(s + i, n - i, &cp);
        if (k && utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_ND)
            return 1;
    }
    return 0;
}

/* Runs regex atom `atom` over the whole normalized text; returns 0, or -1
 * when a PCRE2 limit stopped it.  `digits`: every match starts with an ASCII
 * digit (see the top of the file), so only those positions are tried. */
static int find_regex(const zl_atom *a, uint32_t atom, const zl_doc *doc,
                      pcre2_match_data *md, pcre2_match_context *mc, int *utf, int digits,
                      hits *out)
{
    const char *subj = doc->norm.text;
    size_t n = doc->norm.len, at = 0;
    if (*utf == UTF_INVALID)
        return 0; /* every search would fail its UTF check: nothing to find */
    uint32_t opts = *utf == UTF_VALID ? PCRE2_NO_UTF_CHECK : 0;
    if (*utf != UTF_VALID)
        digits = 0; /* the first search checks the subject's UTF-8 */
    size_t before = out->n;
    while (at <= n) {
        int rc;
        if (digits) {
            while (at < n && (unsigned char)(subj[at] - '0') > 9)
                at++;
            if (at >= n)
                return 0;
            rc = pcre2_match(a->re, (PCRE2_SPTR)subj, n, at, opts | PCRE2_ANCHORED, md, mc);
            if (rc == PCRE2_ERROR_NOMATCH) {
                at++;
                continue;
            }
        } else {
            rc = pcre2_match(a->re, (PCRE2_SPTR)subj, n, at, opts, md, mc);
        }
        if (*utf == UTF_UNKNOWN) {
            int bad = rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21;
            *utf = bad ? UTF_INVALID : UTF_VALID;
        }
        if (rc == PCRE2_ERROR_NOMATCH)
            return 0;
        if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
            rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT)
            return -1;
        if (rc < 0)
            return 0; /* e.g. invalid UTF-8 in the subject: nothing more to find */
        opts = PCRE2_NO_UTF_CHECK; /* the subject was checked by the first call */
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        size_t s = ov[0], e = ov[1];
        size_t probe_end = e > s ? e : s + 1;
        uint32_t first = tok_ending_after(doc, s);
        uint32_t end = tok_starting_from(doc, probe_end);
        if (first < end) {
            hit *last = out->n > before ? &out->v[out->n - 1] : NULL;
            if (!last || last->first != first || last->end != end)
                hits_push(out, atom, first, end);
        }
        if (e > s) {
            at = e;
        } else {
            if (s >= n)
                break;
            at = s + zl_utf8_seqlen((unsigned char)subj[s]);
        }
    }
    return 0;
}

static int hit_cmp(const void *pa, const void *pb)
{
    const hit *a = pa, *b = pb;
    if (a->first != b->first)
        return a->first < b->first ? -1 : 1;
    return a->end < b->end ? -1 : a->end > b->end;
}

void zl_match_find(const zl_match_index *ix, const zl_doc *doc, const uint8_t *needed,
                   zl_occurrences *out)
{
    memset(out, 0, sizeof *out);
    out->n_atoms = ix->n_atoms;
    hits h = {0};
    if (doc->n_tokens)
        find_phrases(ix, doc, needed, &h);

    if (ix->n_regex && doc->n_tokens) {
        pcre2_match_data *md = pcre2_match_data_create(1, NULL);
        pcre2_match_context *mc = pcre2_match_context_create(NULL);
        pcre2_set_match_limit(mc, ZL_MATCH_LIMIT);
        pcre2_set_depth_limit(mc, ZL_DEPTH_LIMIT);
        int utf = UTF_UNKNOWN;
        int odd_digits = -1; /* has_nonascii_digit, when first needed */
        for (uint32_t k = 0; k < ix->n_regex; k++) {
            uint32_t atom = ix->regex[k];
            if (needed && !needed[atom])
                continue;
            size_t from = h.n;
            int digits = 0;
            if (ix->digit_start[k]) {
                if (odd_digits < 0)
                    odd_digits = has_nonascii_digit(doc->norm.text, doc->norm.len);
                digits = !odd_digits;
            }
            if (find_regex(ix->atoms[atom], atom, doc, md, mc, &utf, digits, &h) < 0) {
                out->limited = zl_xrealloc(out->limited, (out->n_limited + 1) * sizeof *out->limited);
                out->limited[out->n_limited++] = atom;
            }
            /* Matches come in text order, but a token can hold several: keep
             * the atom's ranges sorted and unique. */
            if (h.n - from > 1)
                qsort(h.v + from, h.n - from, sizeof *h.v, hit_cmp);
            size_t w = from;
            for (size_t i = from; i < h.n; i++)
                if (w == from || hit_cmp(&h.v[w - 1], &h.v[i]) != 0)
                    h.v[w++] = h.v[i];
            h.n = w;
        }
        pcre2_match_data_free(md);
        pcre2_match_context_free(mc);
    }

    /* Group by atom (stable counting sort keeps each atom's order). */
    out->start = zl_xcalloc((size_t)ix->n_atoms + 1, sizeof *out->start);
    for (size_t i = 0; i < h.n; i++)
        out->start[h.v[i].atom + 1]++;
    for (uint32_t a = 0; a < ix->n_atoms; a++)
        out->start[a + 1] += out->start[a];
    out->occ = zl_xmalloc((h.n ? h.n : 1) * sizeof *out->occ);
    uint32_t *fill = zl_xmalloc(((size_t)ix->n_atoms + 1) * sizeof *fill);
    memcpy(fill, out->start, ((size_t)ix->n_atoms + 1) * sizeof *fill);
    for (size_t i = 0; i < h.n; i++)
        out->occ[fill[h.v[i].atom]++] = (zl_range){h.v[i].first, h.v[i].end};
    free(fill);
    free(h.v);
}

void zl_occurrences_free(zl_occurrences *o)
{
    if (!o)
        return;
    free(o->start);
    free(o->occ);
    free(o->limited);
    memset(o, 0, sizeof *o);
}

uint32_t zl_occurrences_lower(const zl_occurrences *o, uint32_t atom, uint32_t tok)
{
    uint32_t lo = o->start[atom], hi = o->start[atom + 1];
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (o->occ[mid].first >= tok)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}
