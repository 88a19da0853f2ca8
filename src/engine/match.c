/*
 * match.c - finds every atom's occurrences in a document in one pass.
 *
 * The per-pack index (the phrase atoms' first terms listed by their first 4
 * or 8 bytes, see find_phrases) is built once and never modified, so it can
 * be shared by threads.  zl_match_find walks the tokens once: each token is
 * compared with the first terms listed under its first bytes; the
 * candidates' remaining terms are checked against the following tokens.  Regex atoms run once over the normalized text with PCRE2 limits.
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
 *
 * Regexes also get a prefilter (see "regex prefilter" below): literals
 * every match must contain (a document lacking them skips the regex) and,
 * for most, a lead set of literals every match starts with; those run only
 * from the lead offsets, through a copy compiled with PCRE2_ANCHORED (JIT
 * does not serve PCRE2_ANCHORED given at match time) or, for a few offsets,
 * the interpreter (see "lazy preparation": codes are made on first use).
 * Before the first regex of a document runs, one pass checks the text's
 * UTF-8 (so no search repeats PCRE2's check) and lists its ASCII digits;
 * when the text is ill-formed, an anchored try at offset 0 lets PCRE2 decide
 * before the first anchored run, as a first unanchored search would have.
 */
#include "engine/match.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "util/arena.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* The phrase lookup and the literal scan compare keys as little-endian
 * 8-byte words (load_upto8, mask_upto8, pf_at): on a big-endian host short
 * keys would silently never match, so refuse to build there rather than
 * lint wrongly. */
#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "src/engine/match.c assumes a little-endian host (GCC or Clang)"
#endif

/* One key of a hash table: a term text and the atoms whose first term it is. */
typedef struct slot {
    const char *s; /* NULL = empty slot */
    uint32_t len;
    uint32_t post_first, post_n; /* into table.post */
} slot;

typedef struct table {
    uint32_t *idx;  /* open addressing: slot id + 1, 0 = empty */
    uint32_t mask;
    slot *slots;    /* one per distinct key */
    uint32_t *post; /* atom ids grouped by key */
    uint32_t n_slots, n_post;
} table;

/* A phrase atom listed under its first term, with what decides most
 * candidates without reaching the atom: its term count and its second
 * term's length, kind and first min(len, 8) bytes (key/mask as below). */
typedef struct post_ent {
    uint64_t key, mask;
    uint32_t atom, n_terms;
    uint32_t len1, prefix1;
} post_ent;

/* A distinct first term of phrase atoms (exact, or a prefix of >= 4 bytes),
 * listed under its key: a term of under 8 bytes under term_key, a longer
 * one under its first 8 bytes (in fslot8).  `key` holds the first
 * min(len, 8) bytes of a shorter term, bytes 8 to min(len, 16) of a longer
 * one, as a little-endian word with the bytes past them masked off
 * (`mask`): they decide a term of up to 16 bytes without a memcmp. */
typedef struct first_term {
    uint64_t key, mask;
    const char *s;
    uint32_t len, prefix;
    const post_ent *post; /* its atoms, ascending */
    uint32_t post_n;
    /* the same atoms regrouped (see ft_groups): the n_single single-term
     * atoms, then the phrases by their second term's second_bit (the bits
     * make `second`); with at least GRP_MIN phrases, those of bit b are
     * post2[grp[b] .. grp[b + 1]) */
    const post_ent *post2;
    uint32_t n_single;
    uint64_t second;
    const uint32_t *grp;
} first_term;

/* The first terms by key: slot owns ft[first .. first + n); n == 0 empty. */
typedef struct first_slot {
    uint64_t key;
    uint32_t first, n;
} first_slot;

typedef struct pf_lit {
    char *s;
    uint32_t len;
} pf_lit;

/* A literal of >= 4 bytes in its scan bucket: its first min(len, 8) bytes
 * as a little-endian word (`key`, the bytes past them masked off by `mask`)
 * and, for a longer one, bytes 8 to min(len, 16) (key2/mask2; 0 for a
 * shorter one) decide a literal of up to 16 bytes without a memcmp.  A
 * bucket's first entry holds in `sig` the bucket's bits of pf_sig_bit (0 in
 * the others): a text position whose bit is not among them starts none of
 * the bucket's literals. */
typedef struct pf_bent {
    uint64_t key, mask, key2, mask2, sig;
    uint32_t id, len;
} pf_bent;

typedef struct pf_cands {
    uint32_t *v;
    size_t n, cap;
} pf_cands;

/* A regex code made on first use (see "lazy preparation"). */
typedef struct lazy_code {
    atomic_int state;  /* LAZY_EMPTY -> LAZY_BUSY (claimed) -> LAZY_READY (release/acquire) */
    pcre2_code *code;  /* NULL when the compile failed (cannot happen); final once ready */
    int owned;         /* a copy made here, freed with the index */
} lazy_code;

struct zl_match_index {
    const zl_atom **atoms;
    uint32_t n_atoms;
    table exact, stem;
    first_term *ft;      /* first terms grouped by term_key */
    uint32_t n_ft;
    post_ent *pe;        /* per exact.post entry, then per stem.post entry */
    first_slot *fslot;   /* terms of < 8 bytes, open addressing by term_key */
    first_slot *fslot8;  /* terms of >= 8 bytes by their first 8 bytes */
    uint32_t fslot_mask, fslot8_mask;
    uint64_t short_stems; /* bit l: a prefix first term of l < 4 bytes (in `stem`) */
    uint32_t *regex;     /* ids of regex atoms */
    /* per regex[k]: how every match starts with a digit (digit_start_of):
     * 0 not yet known, else DIGIT_*; set once, relaxed atomics */
    _Atomic unsigned char *digit_start;
    unsigned char *heavy;       /* per regex[k]: group_repeat(), always JIT */
    /* per regex[k]: its lead set is an inner set (INNER_SET, pf_inner) or a
     * window set (INNER_WINDOW, pf_window) */
    unsigned char *inner;
    uint32_t *pf_wset;          /* per regex[k]: WSET_WORDS words, its window bytes */
    /* per regex[k], from the pattern when the index is built (see
     * start_traits; an adopted index has the image's): the start offsets a
     * match cannot have */
    struct start_trait *start;
    uint32_t n_regex;
    /* prefilter (see "regex prefilter"): regex[k] owns clauses
     * [pf_rc[k], pf_rc[k + 1]); clause c owns pf_ent[pf_cl[c] .. pf_cl[c + 1]),
     * ids into the distinct literals pf_lit */
    uint32_t *pf_rc, *pf_cl, *pf_ent;
    uint32_t n_pf_cl, n_pf_ent;
    pf_lit *pf_lit;      /* strings in pf_ar */
    uint32_t n_pf_lit;
    zl_arena *pf_ar;
    /* lead sets (every match starts with one of them; literals of >= 4
     * bytes only): regex[k] owns pf_lead_ent[pf_lead[k] .. pf_lead[k + 1]) */
    uint32_t *pf_lead, *pf_lead_ent;
    uint32_t n_pf_lead_ent;
    /* guards (see pf_guard): regex[k] owns pf_guard_ent[pf_guard[k] ..
     * pf_guard[k + 1]) */
    uint32_t *pf_guard, *pf_guard_ent;
    uint32_t n_pf_guard_ent;
    /* literal id -> the sets whose offsets are collected: k for the lead
     * set of regex[k], n_regex + k for its guard */
    uint32_t *pf_leads_of, *pf_leads_of_ent;
    /* the literals of >= 4 bytes by a hash of their first 4 bytes:
     * bucket h owns pf_bucket_ent[pf_bucket[h] .. pf_bucket[h + 1]) */
    uint32_t *pf_bucket;
    pf_bent *pf_bucket_ent;
    unsigned char pf_cls[256]; /* per byte: PF_* bits (see pf_scan) */
    /* per regex[k], made on first use: the JIT code of the pattern
     * compiled anchored (run from lead or digit offsets; PCRE2_ANCHORED at
     * match time would bypass the JIT), and the JIT code of the unanchored
     * search (the pack's code itself, or for a digit-start regex a copy,
     * as the pack's code is run by the interpreter meanwhile) */
    lazy_code *anch, *whole;
    /* the first terms' regrouped atoms (ft_groups; an adopted index has
     * the image's, as it has the traits) */
    post_ent *pe2;
    uint32_t *grp; /* their bit groups */
    uint32_t n_pe2, n_grp;
    /* adopted from a build-time image (see "build-time image"): the
     * pointer-free arrays are the image's, not freed */
    int borrowed;
};

typedef struct keyed {
    const char *s;
    uint32_t len;
    uint32_t atom;
} keyed;

/* A hash of the bytes taken 8 at a time (the tail as one zero-padded
 * word), mixed so that the low bits used as table indexes depend on every
 * byte.  Only slot placement depends on it, never an order. */
static uint32_t hash_bytes(const char *s, uint32_t len)
{
    uint64_t h = 0x9e3779b97f4a7c15ull ^ len;
    uint32_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    if (i < len) {
        uint64_t w = 0;
        memcpy(&w, s + i, len - i);
        h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return (uint32_t)h;
}

/* Builds a table from `n` (key, atom) pairs given in ascending atom order;
 * each key's atoms stay ascending in `post`. */
static void table_build(table *t, const keyed *k, uint32_t n)
{
    uint32_t size = 8;
    while (size < n * 2)
        size *= 2;
    t->idx = zl_xcalloc(size, sizeof *t->idx);
    t->mask = size - 1;
    t->slots = zl_xmalloc((n ? n : 1) * sizeof *t->slots);
    t->post = zl_xmalloc((n ? n : 1) * sizeof *t->post);
    uint32_t *of = zl_xmalloc((n ? n : 1) * sizeof *of); /* slot of each pair */
    uint32_t groups = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t h = hash_bytes(k[i].s, k[i].len) & t->mask;
        for (; t->idx[h]; h = (h + 1) & t->mask) {
            const slot *e = &t->slots[t->idx[h] - 1];
            if (e->len == k[i].len && memcmp(e->s, k[i].s, e->len) == 0)
                break;
        }
        if (!t->idx[h]) {
            t->slots[groups] = (slot){k[i].s, k[i].len, 0, 0};
            t->idx[h] = ++groups;
        }
        of[i] = t->idx[h] - 1;
        t->slots[of[i]].post_n++;
    }
    t->n_slots = groups;
    t->n_post = n;
    uint32_t at = 0;
    for (uint32_t g = 0; g < groups; g++) {
        t->slots[g].post_first = at;
        at += t->slots[g].post_n;
        t->slots[g].post_n = 0;
    }
    for (uint32_t i = 0; i < n; i++) {
        slot *e = &t->slots[of[i]];
        t->post[e->post_first + e->post_n++] = k[i].atom;
    }
    free(of);
}

/* Looks up `s` whose hash_bytes() is `hash`. */
static inline const slot *table_get_h(const table *t, const char *s, uint32_t len, uint32_t hash)
{
    for (uint32_t h = hash & t->mask; t->idx[h]; h = (h + 1) & t->mask) {
        const slot *e = &t->slots[t->idx[h] - 1];
        if (e->len == len && memcmp(e->s, s, len) == 0)
            return e;
    }
    return NULL;
}

static const slot *table_get(const table *t, const char *s, uint32_t len)
{
    return table_get_h(t, s, len, hash_bytes(s, len));
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

/* Is every bit of the start bitmap PCRE2 has for regex atom a one of
 * '0'-'9' (as for \b([2-9]|[1-9]\d)...)?  Then every match starts at an
 * ASCII digit, whatever digits the text holds.  (A search with such a
 * bitmap tests every byte of the text; a regex with one first code unit,
 * such as \b94, is left to PCRE2's own fast skip to it.) */
static int starts_with_ascii_digit(const zl_atom *a)
{
    uint32_t type = 0;
    const uint8_t *bits = NULL;
    if (pcre2_pattern_info(a->re, PCRE2_INFO_FIRSTCODETYPE, &type) != 0 || type != 0 ||
        pcre2_pattern_info(a->re, PCRE2_INFO_FIRSTBITMAP, &bits) != 0 || !bits)
        return 0;
    int any = 0;
    for (int c = 0; c < 256; c++) {
        if (!((bits[c / 8] >> (c % 8)) & 1))
            continue;
        if (c < '0' || c > '9')
            return 0;
        any = 1;
    }
    return any;
}

/* What digit_start_of tells: no digit start; every match starts with a
 * (Unicode) digit while PCRE2 has no start optimisation for it
 * (starts_with_digit); every match starts with an ASCII digit
 * (starts_with_ascii_digit). */
enum { DIGIT_NONE = 1, DIGIT_ANY, DIGIT_ASCII };

/* The digit start of regex k, worked out the first time a document needs
 * it (starts_with_digit compiles the pattern once more). */
static int digit_start_of(const zl_match_index *ix, uint32_t k)
{
    unsigned char v = atomic_load_explicit(&ix->digit_start[k], memory_order_relaxed);
    if (!v) {
        const zl_atom *a = ix->atoms[ix->regex[k]];
        v = starts_with_ascii_digit(a) ? DIGIT_ASCII : starts_with_digit(a) ? DIGIT_ANY : DIGIT_NONE;
        atomic_store_explicit(&ix->digit_start[k], v, memory_order_relaxed);
    }
    return v;
}

/* ---- start traits --------------------------------------------------------
 *
 * What the zero-width items at the start of every top-level branch of a
 * pattern say about the offset o where a match starts: \b makes o a word
 * boundary, so o cannot lie between two word characters; a negative
 * lookbehind of one bracket class, (?<![\d.,]), rules out an o after an
 * ASCII byte of that class.  Other lookarounds are stepped over; the first
 * other item ends the scan.  Runs from offsets (lead literals, digits,
 * inner windows) skip such offsets without a PCRE2 call. */
typedef struct start_trait {
    uint32_t not_after[4]; /* ASCII bytes that cannot come just before o */
    int boundary;          /* o is a \b */
    int digit_run;         /* the pattern is \d+ (see digit_runs) */
    /* a guard within reach (see guard_span_of): from a start o, a guard
     * literal starts at most gspan characters after the run of bytes in
     * grun (and all bytes from 0x80 on) from o, across at most gws runs of
     * ASCII whitespace; gspan < 0: no bound */
    int gspan, gws;
    uint32_t grun[4];
    /* \b and lookbehinds, then D, items that match digits only, then REST
     * (see digit_follow_of): D's fewest digits and the bytes REST can start
     * with; dfollow_ok 0: none */
    int dfollow_ok;
    uint32_t dmin;
    uint32_t dfollow[8];
} start_trait;

/* The index just past the group, class or escape starting at p[i] (p[i]
 * is '(' , '[' or '\\'), or 0 when it is not closed. */
static size_t skip_item(const char *p, size_t i)
{
    if (p[i] == '\\')
        return p[i + 1] ? i + 2 : 0;
    if (p[i] == '[') {
        i++;
        if (p[i] == '^')
            i++;
        if (p[i] == ']')
            i++;
        while (p[i] && p[i] != ']') {
            if (p[i] == '[' && p[i + 1] == ':')
                return 0; /* POSIX class: give up */
            i += p[i] == '\\' && p[i + 1] ? 2 : 1;
        }
        return p[i] ? i + 1 : 0;
    }
    int depth = 0;
    while (p[i]) {
        if (p[i] == '\\' || p[i] == '[') {
            i = skip_item(p, i);
            if (!i)
                return 0;
            continue;
        }
        if (p[i] == '(')
            depth++;
        else if (p[i] == ')' && --depth == 0)
            return i + 1;
        i++;
    }
    return 0;
}

/* Is x an ASCII punctuation character (an escape of it is the character)? */
static int pf_esc_punct(unsigned char x)
{
    return x > 0x20 && x < 0x7f && !((x >= '0' && x <= '9') || (x >= 'a' && x <= 'z') ||
                                     (x >= 'A' && x <= 'Z'));
}

/* The ASCII members of the bracket class p[i .. e) (p[i] == '[', p[e - 1]
 * == ']'): plain ASCII characters, escaped punctuation, \d and ASCII
 * ranges; 0 when it is negated or holds anything else ASCII-relevant. */
static int class_ascii(const char *p, size_t i, size_t e, uint32_t set[4])
{
    memset(set, 0, 4 * sizeof *set);
    i++;
    if (p[i] == '^')
        return 0;
    for (e--; i < e;) {
        unsigned char c = (unsigned char)p[i], hi;
        if (c == '\\') {
            unsigned char x = (unsigned char)p[i + 1];
            i += 2;
            if (x == 'd') {
                for (int d = '0'; d <= '9'; d++)
                    set[d / 32] |= 1u << (d % 32);
                continue;
            }
            if (!pf_esc_punct(x))
                return 0;
            c = x;
        } else if (c >= 0x80) {
            i += zl_utf8_seqlen(c) ? zl_utf8_seqlen(c) : 1; /* not ASCII: not needed */
            continue;
        } else {
            i++;
        }
        hi = c;
        if (p[i] == '-' && i + 1 < e) {
            hi = (unsigned char)p[i + 1];
            if (hi >= 0x80 || hi == '\\' || hi < c)
                return 0;
            i += 2;
        }
        for (unsigned b = c; b <= hi; b++)
            set[b / 32] |= 1u << (b % 32);
    }
    return 1;
}

/* The start trait of pattern p (see above). */
static void start_trait_of(const char *p, start_trait *t)
{
    memset(t, 0, sizeof *t);
    if (!p)
        return;
    t->digit_run = strcmp(p, "\\d+") == 0;
    int first = 1, boundary = 1;
    uint32_t all[4] = {0};
    size_t i = 0;
    for (;;) { /* one top-level branch */
        int b = 0;
        uint32_t set[4] = {0};
        for (;;) {
            if (p[i] == '\\' && p[i + 1] == 'b' && !strchr("*+?{", p[i + 2] ? p[i + 2] : 'x')) {
                b = 1;
                i += 2;
                continue;
            }
            if (p[i] != '(' || p[i + 1] != '?')
                break;
            size_t j = i + 2;
            int neg_behind = p[j] == '<' && p[j + 1] == '!';
            if (p[j] == '<')
                j++;
            if (p[j] != '=' && p[j] != '!')
                break;
            size_t e = skip_item(p, i);
            if (!e || strchr("*+?{", p[e] ? p[e] : 'x'))
                break;
            uint32_t cs[4];
            size_t ce = p[j + 1] == '[' ? skip_item(p, j + 1) : 0;
            if (neg_behind && ce && ce + 1 == e && class_ascii(p, j + 1, ce, cs))
                for (int w = 0; w < 4; w++)
                    set[w] |= cs[w];
            i = e;
        }
        boundary &= b;
        for (int w = 0; w < 4; w++)
            all[w] = first ? set[w] : all[w] & set[w];
        first = 0;
        /* on to the next top-level '|' */
        while (p[i] && p[i] != '|') {
            if (p[i] == '(' || p[i] == '[' || p[i] == '\\') {
                i = skip_item(p, i);
                if (!i)
                    return; /* not understood: no trait */
            } else if (p[i] == ')') {
                return;
            } else {
                i++;
            }
        }
        if (!p[i])
            break;
        i++;
    }
    t->boundary = boundary;
    memcpy(t->not_after, all, sizeof all);
}

/* Is the character at s[at] (in valid UTF-8) certainly a word character
 * under PCRE2_UCP?  ASCII letters, digits and '_', and the letters of
 * U+0400-U+04FF (all but U+0482-U+0489); anything else may not be. */
static inline int word_at(const unsigned char *s, size_t at, size_t n)
{
    unsigned char c = s[at];
    if (c < 0x80)
        return (unsigned char)((c | 0x20) - 'a') < 26u || (unsigned char)(c - '0') < 10u || c == '_';
    if ((unsigned char)(c - 0xD0) >= 4 || at + 1 >= n)
        return 0;
    unsigned cp = ((unsigned)(c & 0x1F) << 6) | (s[at + 1] & 0x3Fu);
    return cp < 0x482 || cp > 0x489;
}

/* Can no match of a regex with start trait t start at s[at] (at > 0, a
 * character boundary of valid UTF-8 s[0 .. n))? */
static inline int start_ruled_out(const start_trait *t, const char *s, size_t at, size_t n)
{
    if (at == 0 || at >= n)
        return 0;
    const unsigned char *u = (const unsigned char *)s;
    unsigned char b = u[at - 1];
    if (b < 0x80 && ((t->not_after[b / 32] >> (b % 32)) & 1))
        return 1;
    if (!t->boundary || !word_at(u, at, n))
        return 0;
    if (b < 0x80)
        return word_at(u, at - 1, n);
    return at >= 2 && (unsigned char)(u[at - 2] - 0xD0) < 4 && word_at(u, at - 2, n);
}

/* Fills ix->start from the patterns. */
static void guard_span_of(const char *p, start_trait *t);
static void digit_follow_of(const char *p, start_trait *t);

static void start_traits(zl_match_index *ix)
{
    ix->start = zl_xcalloc(ix->n_regex ? ix->n_regex : 1, sizeof *ix->start);
    for (uint32_t k = 0; k < ix->n_regex; k++) {
        start_trait_of(ix->atoms[ix->regex[k]]->pattern, &ix->start[k]);
        ix->start[k].gspan = -1;
        if (ix->pf_guard[k] < ix->pf_guard[k + 1])
            guard_span_of(ix->atoms[ix->regex[k]]->pattern, &ix->start[k]);
        digit_follow_of(ix->atoms[ix->regex[k]]->pattern, &ix->start[k]);
    }
}

/* ---- regex prefilter ----------------------------------------------------
 *
 * For each regex the index derives, from the pattern source, literal byte
 * strings that every match must contain, as a conjunction of clauses (each
 * clause: at least one of its literals occurs inside the match).  A
 * document in which some clause has no literal at all cannot hold a match,
 * so the regex is not run on it.  The scanner is conservative: it knows
 * plain characters, escaped ASCII punctuation, the class escapes
 * \b \B \w \W \s \S \d \D \h \H \v \V \R \n \t \r \f \e, '.', '^', '$',
 * bracket classes, groups ( ) and (?: ), lookarounds (whose contents
 * require nothing), alternation and the quantifiers * + ? {n} {n,} {n,m}
 * {,m} (lazy or possessive).  Anything else - inline options such as (?i),
 * (*VERB), \Q, \x, \p, back references, named groups, POSIX classes - makes
 * it give up: no prefilter, the regex always runs.  A quantified item with
 * minimum 0 requires nothing; a literal run is cut at every non-literal
 * item; runs shorter than PF_MIN_LIT bytes are dropped (any clause may be
 * dropped without losing a match).  The patterns are compiled with UTF|UCP
 * and no caseless option, so a literal character matches only itself. */
#define PF_MIN_LIT 3u
#define PF_MAX_LIT 64u /* longer literals are searched by their first 64 bytes */

/* The scanner's clauses, literals and runs live in a scratch arena (one per
 * pattern, freed at once): "freeing" a clause only empties it. */
typedef struct pf_clause { /* any of */
    pf_lit *v;
    uint32_t n, cap;
} pf_clause;

typedef struct pf_cnf { /* all of */
    pf_clause *v;
    uint32_t n, cap;
} pf_cnf;

typedef struct pf_parser {
    const char *p;
    size_t n, i;
    int fail;
    int depth;
    int join; /* lead sets: a literal run joins the lead set of a group after it */
    int guard; /* inner/guard prefixes: the stop bytes are . ; ! ? (pf_guard);
                * 2 in a guard's lead set: short literals passed over (pf_skip_space) */
    zl_arena *ar;
} pf_parser;

/* Room for `need` elements of `size` bytes at *v (capacity *cap), in `ar`. */
static void *pf_grow(zl_arena *ar, void *v, size_t used, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return v;
    size_t c = *cap ? *cap * 2 : 4;
    while (c < need)
        c *= 2;
    void *w = zl_arena_alloc(ar, c * size);
    if (used)
        memcpy(w, v, used * size);
    *cap = c;
    return w;
}

static void pf_clause_free(pf_clause *c)
{
    memset(c, 0, sizeof *c);
}

static void pf_cnf_free(pf_cnf *f)
{
    memset(f, 0, sizeof *f);
}

static void pf_cnf_push(zl_arena *ar, pf_cnf *f, pf_clause c)
{
    if (f->n == f->cap) {
        size_t cap = f->cap;
        f->v = pf_grow(ar, f->v, f->n, &cap, (size_t)f->n + 1, sizeof *f->v);
        f->cap = (uint32_t)cap;
    }
    f->v[f->n++] = c;
}

static void pf_clause_add(zl_arena *ar, pf_clause *c, const char *s, uint32_t len)
{
    for (uint32_t k = 0; k < c->n; k++)
        if (c->v[k].len == len && memcmp(c->v[k].s, s, len) == 0)
            return;
    if (c->n == c->cap) {
        size_t cap = c->cap;
        c->v = pf_grow(ar, c->v, c->n, &cap, (size_t)c->n + 1, sizeof *c->v);
        c->cap = (uint32_t)cap;
    }
    c->v[c->n++] = (pf_lit){zl_arena_strndup(ar, s, len), len};
}

/* The literal run of a sequence is required as a whole: one clause. */
static void pf_flush(zl_arena *ar, pf_cnf *f, const char *run, size_t len)
{
    if (len < PF_MIN_LIT)
        return;
    pf_clause c = {0};
    pf_clause_add(ar, &c, run, (uint32_t)len);
    pf_cnf_push(ar, f, c);
}

/* Parses an optional quantifier after an item: returns 0 when there is
 * none, 1 when there is one (its minimum in *min), -1 on a syntax the
 * scanner does not know. */
/* At a '(' of the pattern: steps over "(", "(?:", "(?=", "(?!", "(?<=" or
 * "(?<!" and says 0 (a group) or 1 (a lookaround); -1 for what the scanner
 * does not know - options, named/atomic/branch-reset groups, comments,
 * (*VERB) - leaving s->i where it was. */
static int pf_group_open(pf_parser *s)
{
    size_t j = s->i + 1;
    int look = 0;
    if (j < s->n && s->p[j] == '?') {
        if (j + 1 < s->n && s->p[j + 1] == ':')
            j += 2;
        else if (j + 1 < s->n && (s->p[j + 1] == '=' || s->p[j + 1] == '!'))
            look = 1, j += 2;
        else if (j + 2 < s->n && s->p[j + 1] == '<' && (s->p[j + 2] == '=' || s->p[j + 2] == '!'))
            look = 1, j += 3;
        else
            return -1;
    } else if (j < s->n && s->p[j] == '*') {
        return -1;
    }
    s->i = j;
    return look;
}

static int pf_quant(pf_parser *s, long *min)
{
    *min = 1;
    if (s->i >= s->n)
        return 0;
    char c = s->p[s->i];
    if (c == '*' || c == '?') {
        *min = 0;
        s->i++;
    } else if (c == '+') {
        *min = 1;
        s->i++;
    } else if (c == '{') {
        size_t j = s->i + 1;
        long lo = 0;
        int have_lo = 0, have_hi = 0;
        while (j < s->n && s->p[j] >= '0' && s->p[j] <= '9') {
            if (lo < 100000)
                lo = lo * 10 + (s->p[j] - '0');
            have_lo = 1;
            j++;
        }
        if (j < s->n && s->p[j] == ',') {
            j++;
            while (j < s->n && s->p[j] >= '0' && s->p[j] <= '9') {
                have_hi = 1;
                j++;
            }
            if (!have_lo && !have_hi)
                return -1;
        } else if (!have_lo) {
            return -1;
        }
        if (j >= s->n || s->p[j] != '}')
            return -1;
        *min = have_lo ? lo : 0;
        s->i = j + 1;
    } else {
        return 0;
    }
    if (s->i < s->n && (s->p[s->i] == '?' || s->p[s->i] == '+'))
        s->i++;
    if (s->i < s->n && (s->p[s->i] == '*' || s->p[s->i] == '+' || s->p[s->i] == '?' ||
                        s->p[s->i] == '{'))
        return -1;
    return 1;
}

/* Skips a bracket class; s->i is just after '['. */
static int pf_class(pf_parser *s)
{
    if (s->i < s->n && s->p[s->i] == '^')
        s->i++;
    if (s->i < s->n && s->p[s->i] == ']')
        s->i++;
    while (s->i < s->n) {
        char c = s->p[s->i];
        if (c == ']') {
            s->i++;
            return 0;
        }
        if (c == '\\') {
            if (s->i + 1 >= s->n)
                return -1;
            unsigned char e = (unsigned char)s->p[s->i + 1];
            if (e >= 0x80 || strchr("QExpPoNcgk0123456789", e) || e == '\0')
                return -1;
            s->i += 2;
            continue;
        }
        if (c == '[' && s->i + 1 < s->n &&
            (s->p[s->i + 1] == ':' || s->p[s->i + 1] == '.' || s->p[s->i + 1] == '='))
            return -1;
        s->i++;
    }
    return -1;
}

static int pf_score_better(const pf_clause *a, const pf_clause *b)
{
    uint32_t ma = UINT32_MAX, mb = UINT32_MAX;
    for (uint32_t k = 0; k < a->n; k++)
        ma = a->v[k].len < ma ? a->v[k].len : ma;
    for (uint32_t k = 0; k < b->n; k++)
        mb = b->v[k].len < mb ? b->v[k].len : mb;
    return ma != mb ? ma > mb : a->n < b->n;
}

static void pf_alt(pf_parser *s, pf_cnf *out);

/* Steps over a lookaround's contents: zero-width, so they require nothing,
 * but they are still checked for syntax.  0 if the scanner gave up. */
static int pf_skip_look(pf_parser *s)
{
    pf_cnf skip = {0};
    pf_alt(s, &skip);
    pf_cnf_free(&skip);
    return !s->fail;
}

/* One branch: items up to '|', ')' or the end. */
static void pf_seq(pf_parser *s, pf_cnf *out)
{
    char *run = NULL;
    size_t rlen = 0, rcap = 0;
    while (!s->fail && s->i < s->n) {
        unsigned char c = (unsigned char)s->p[s->i];
        if (c == '|' || c == ')')
            break;
        if (c == '(') {
            pf_flush(s->ar, out, run, rlen);
            rlen = 0;
            int look = pf_group_open(s);
            if (look < 0) {
                s->fail = 1;
                break;
            }
            pf_cnf sub = {0};
            if (++s->depth > 64)
                s->fail = 1;
            else
                pf_alt(s, &sub);
            s->depth--;
            if (s->fail || s->i >= s->n || s->p[s->i] != ')') {
                s->fail = 1;
                pf_cnf_free(&sub);
                break;
            }
            s->i++;
            long min;
            int q = pf_quant(s, &min);
            if (q < 0 || (look && q)) {
                s->fail = 1;
                pf_cnf_free(&sub);
                break;
            }
            if (look || min == 0) {
                pf_cnf_free(&sub);
            } else {
                for (uint32_t k = 0; k < sub.n; k++)
                    pf_cnf_push(s->ar, out, sub.v[k]);
            }
            continue;
        }
        size_t len = 0; /* > 0: a literal of `len` bytes at `lit` */
        const char *lit = NULL;
        if (c == '\\') {
            if (s->i + 1 >= s->n) {
                s->fail = 1;
                break;
            }
            unsigned char e = (unsigned char)s->p[s->i + 1];
            if (e > 0x20 && e < 0x7f && !((e >= '0' && e <= '9') || (e >= 'a' && e <= 'z') ||
                                          (e >= 'A' && e <= 'Z'))) {
                lit = s->p + s->i + 1;
                len = 1;
            } else if (e == 0 || !strchr("bBwWsSdDhHvVRntrfe", e)) {
                s->fail = 1;
                break;
            }
            s->i += 2;
        } else if (c == '[') {
            s->i++;
            if (pf_class(s) < 0) {
                s->fail = 1;
                break;
            }
        } else if (c == '.' || c == '^' || c == '$') {
            s->i++;
        } else if (c == '*' || c == '+' || c == '?' || c == '{' || c == '}' || c == ']') {
            s->fail = 1;
            break;
        } else {
            len = zl_utf8_seqlen(c);
            if (len == 0 || s->i + len > s->n) {
                s->fail = 1;
                break;
            }
            lit = s->p + s->i;
            s->i += len;
        }
        long min;
        int q = pf_quant(s, &min);
        if (q < 0) {
            s->fail = 1;
            break;
        }
        if (len == 0 || min == 0) { /* not a literal, or optional: cuts the run */
            pf_flush(s->ar, out, run, rlen);
            rlen = 0;
            continue;
        }
        if (rlen + len > rcap)
            run = pf_grow(s->ar, run, rlen, &rcap, rlen + len, 1);
        memcpy(run + rlen, lit, len);
        rlen += len;
        if (q) {
            /* repeated: required once, but what follows is not adjacent */
            pf_flush(s->ar, out, run, rlen);
            rlen = 0;
        }
    }
    if (!s->fail)
        pf_flush(s->ar, out, run, rlen);
}

/* Branches separated by '|': their union, one clause made of each branch's
 * best clause (nothing when a branch requires nothing). */
static void pf_alt(pf_parser *s, pf_cnf *out)
{
    pf_seq(s, out);
    if (s->fail || s->i >= s->n || s->p[s->i] != '|')
        return;
    pf_clause u = {0};
    int none = 0;
    for (;;) {
        if (!none) {
            if (out->n == 0) {
                none = 1;
            } else {
                uint32_t best = 0;
                for (uint32_t k = 1; k < out->n; k++)
                    if (pf_score_better(&out->v[k], &out->v[best]))
                        best = k;
                for (uint32_t k = 0; k < out->v[best].n; k++)
                    pf_clause_add(s->ar, &u, out->v[best].v[k].s, out->v[best].v[k].len);
            }
        }
        pf_cnf_free(out);
        if (s->fail || s->i >= s->n || s->p[s->i] != '|')
            break;
        s->i++;
        pf_seq(s, out);
    }
    if (none || s->fail)
        pf_clause_free(&u);
    else
        pf_cnf_push(s->ar, out, u);
}

/* The required literals of a whole pattern; an empty result = no prefilter. */
static void pf_pattern(zl_arena *ar, const char *p, size_t n, pf_cnf *out)
{
    pf_parser s = {p, n, 0, 0, 0, 0, 0, ar};
    memset(out, 0, sizeof *out);
    pf_alt(&s, out);
    if (s.fail || s.i != n)
        pf_cnf_free(out);
}

/* ---- the lead set: literals one of which every match starts with ----------
 *
 * Zero-width items (\b \B ^ $ and lookarounds) may come first; then the
 * first consuming item must be a literal run (up to its first quantified or
 * non-literal item) or a group (not optional) each of whose branches has a
 * lead set.  Anything else: no lead set (0). */
static int pf_lead_alt(pf_parser *s, pf_clause *out);

#define PF_MAX_JOIN 32u

/* With `join`: the literal run run[0..rlen) is followed by a group at s->i
 * ("ал(ады|асыз)"); when the group is not optional and has a lead set, adds
 * the run joined to each of its literals ("алады|аласыз") and returns 1 with
 * s->i past the group; otherwise returns 0 with s->i unchanged. */
static int pf_lead_join(pf_parser *s, pf_clause *out, const char *run, size_t rlen)
{
    size_t save = s->i, j = s->i + 1;
    if (j < s->n && s->p[j] == '?') {
        if (j + 1 < s->n && s->p[j + 1] == ':')
            j += 2;
        else
            return 0; /* lookarounds and everything else */
    } else if (j < s->n && s->p[j] == '*') {
        return 0;
    }
    s->i = j;
    pf_clause g = {0};
    long min = 0;
    int ok = ++s->depth <= 64 && pf_lead_alt(s, &g) && !s->fail && s->i < s->n &&
             s->p[s->i] == ')';
    s->depth--;
    if (ok) {
        s->i++;
        ok = pf_quant(s, &min) >= 0 && min > 0 && g.n > 0 && g.n <= PF_MAX_JOIN;
    }
    if (!ok) {
        pf_clause_free(&g);
        s->i = save;
        s->fail = 0;
        return 0;
    }
    char *buf = NULL;
    size_t bcap = 0;
    for (uint32_t k = 0; k < g.n; k++) {
        size_t l = g.v[k].len;
        buf = pf_grow(s->ar, buf, 0, &bcap, rlen + l, 1);
        memcpy(buf, run, rlen);
        memcpy(buf + rlen, g.v[k].s, l);
        pf_clause_add(s->ar, out, buf, (uint32_t)(rlen + l));
    }
    pf_clause_free(&g);
    return 1;
}

/* Guard sets (guard 2): when the literal run run[0..rlen), which holds no
 * sentence stop (pf_sent_stop), is followed by whitespace items (\s or a
 * space, quantified or not) and then by more of the branch, steps s->i past
 * them and returns 1: the branch's next literal then stands for it (в in
 * в\s+открытом is too short to key the scan; открытом follows it with no
 * stop byte between).  Otherwise returns 0 with s->i unchanged. */
static int pf_sent_stop(unsigned char c);

static int pf_skip_space(pf_parser *s, const char *run, size_t rlen)
{
    for (size_t k = 0; k < rlen; k++)
        if (pf_sent_stop((unsigned char)run[k]))
            return 0;
    size_t save = s->i;
    int any = 0;
    long min;
    while (s->i < s->n) {
        if (s->p[s->i] == ' ')
            s->i++;
        else if (s->p[s->i] == '\\' && s->i + 1 < s->n && s->p[s->i + 1] == 's')
            s->i += 2;
        else
            break;
        if (pf_quant(s, &min) < 0) {
            s->i = save;
            return 0;
        }
        any = 1;
    }
    if (any && s->i < s->n && s->p[s->i] != '|' && s->p[s->i] != ')')
        return 1;
    s->i = save;
    return 0;
}

static int pf_lead_seq(pf_parser *s, pf_clause *out)
{
    int found = 0;
    while (!found && s->i < s->n) {
        unsigned char c = (unsigned char)s->p[s->i];
        long min;
        if (c == '\\' && s->i + 1 < s->n && (s->p[s->i + 1] == 'b' || s->p[s->i + 1] == 'B')) {
            s->i += 2;
            if (pf_quant(s, &min) != 0)
                return 0;
            continue;
        }
        if (c == '^' || c == '$') {
            s->i++;
            if (pf_quant(s, &min) != 0)
                return 0;
            continue;
        }
        if (c == '(') {
            int look = pf_group_open(s);
            if (look < 0)
                return 0;
            int ok;
            if (look) {
                ok = pf_skip_look(s);
            } else {
                if (++s->depth > 64)
                    return 0;
                ok = pf_lead_alt(s, out);
                s->depth--;
            }
            if (!ok || s->fail || s->i >= s->n || s->p[s->i] != ')')
                return 0;
            s->i++;
            int q = pf_quant(s, &min);
            if (q < 0 || (look && q) || (!look && min == 0))
                return 0;
            if (look)
                continue;
            found = 1; /* the group's lead set is the branch's */
            break;
        }
        /* a literal run */
        char *run = NULL;
        size_t rlen = 0, rcap = 0;
        int at_group = 0; /* the run ends where a group starts */
        for (;;) {
            if (s->i >= s->n)
                break;
            unsigned char d = (unsigned char)s->p[s->i];
            size_t len = 0;
            const char *lit = s->p + s->i;
            if (d == '\\' && s->i + 1 < s->n) {
                unsigned char e = (unsigned char)s->p[s->i + 1];
                if (e > 0x20 && e < 0x7f && !((e >= '0' && e <= '9') || (e >= 'a' && e <= 'z') ||
                                              (e >= 'A' && e <= 'Z')))
                    lit++, len = 1;
            } else if (d >= 0x80 || (d > 0x20 && d < 0x7f && !strchr("\\^$.[]|()?*+{}", d)) ||
                       d == ' ') {
                len = zl_utf8_seqlen(d);
            }
            size_t adv = len + (size_t)(lit - (s->p + s->i)); /* the backslash */
            if (len == 0 || s->i + adv > s->n) {
                at_group = d == '(';
                break;
            }
            size_t save = s->i;
            s->i += adv;
            int q = pf_quant(s, &min);
            if (q < 0 || (q && min == 0)) {
                s->i = save; /* not part of the run; the rest is skipped below */
                break;
            }
            if (rlen + len > rcap)
                run = pf_grow(s->ar, run, rlen, &rcap, rlen + len, 1);
            memcpy(run + rlen, lit, len);
            rlen += len;
            if (q)
                break;
        }
        if (rlen == 0)
            return 0;
        if (s->guard == 2 && rlen < 4 && pf_skip_space(s, run, rlen))
            continue; /* the literal after the whitespace instead */
        if (!(s->join && at_group && pf_lead_join(s, out, run, rlen)))
            pf_clause_add(s->ar, out, run, (uint32_t)rlen);
        found = 1;
    }
    if (!found || s->fail)
        return 0; /* the branch can match the empty string */
    if (s->i >= s->n || s->p[s->i] == '|' || s->p[s->i] == ')')
        return 1;
    pf_cnf rest = {0}; /* skip (and check) the rest of the branch */
    pf_seq(s, &rest);
    pf_cnf_free(&rest);
    return !s->fail;
}

static int pf_lead_alt(pf_parser *s, pf_clause *out)
{
    for (;;) {
        uint32_t before = out->n;
        if (!pf_lead_seq(s, out) || out->n == before)
            return 0;
        if (s->fail || s->i >= s->n || s->p[s->i] != '|')
            return !s->fail;
        s->i++;
    }
}

/* The lead set of a whole pattern (out->n == 0: none). */
static void pf_lead(zl_arena *ar, const char *p, size_t n, pf_clause *out)
{
    pf_parser s = {p, n, 0, 0, 0, 0, 0, ar};
    memset(out, 0, sizeof *out);
    if (!pf_lead_alt(&s, out) || s.fail || s.i != n)
        pf_clause_free(out);
}

/* ---- the inner set: a lead set after a prefix that stops at punctuation ----
 *
 * For a pattern without a lead set, such as \b\w+[аеяй]\s+ал(ады|асыз),
 * the first top-level literal where the rest of the pattern has a lead set
 * (literal runs joined to the group after them: алады|аласыз) splits it into
 * a prefix and that rest, when no item of the prefix can match an ASCII
 * punctuation byte (pf_stop: every one but '_'): the prefix may use \b \B
 * \w \s \d \h \v \R \n \t \r \f \e, ^ $, lookarounds, letters, digits,
 * spaces, classes of those (not negated) and groups of those.  Every match
 * then starts after the last punctuation byte before an occurrence of an
 * inner literal, and at or before that occurrence (find_regex tries those
 * offsets). */
static int pf_stop(unsigned char c)
{
    return c > 0x20 && c < 0x7f && c != '_' && !((c >= '0' && c <= '9') ||
                                                 (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
}

/* The stop bytes of a guard (see pf_guard): sentence punctuation. */
static int pf_sent_stop(unsigned char c)
{
    return c == '.' || c == ';' || c == '!' || c == '?';
}

/* The first byte of s[at .. n) for which pf_sent_stop holds, or n; 16
 * bytes at a time with SSE2. */
static size_t next_sent_stop(const char *s, size_t at, size_t n)
{
#if defined(__SSE2__)
    const __m128i dot = _mm_set1_epi8('.'), semi = _mm_set1_epi8(';'), bang = _mm_set1_epi8('!'),
                  q = _mm_set1_epi8('?');
    for (; n - at >= 16; at += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + at));
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, dot), _mm_cmpeq_epi8(v, semi)),
                                 _mm_or_si128(_mm_cmpeq_epi8(v, bang), _mm_cmpeq_epi8(v, q)));
        int bits = _mm_movemask_epi8(m);
        if (bits)
            return at + (size_t)__builtin_ctz((unsigned)bits);
    }
#endif
    while (at < n && !pf_sent_stop((unsigned char)s[at]))
        at++;
    return at;
}

static int pf_stop_of(const pf_parser *s, unsigned char c)
{
    return s->guard ? pf_sent_stop(c) : pf_stop(c);
}

/* Guards: does a negated bracket class (s->i on the '^') exclude every
 * pf_sent_stop byte?  Advances past the ']'; 0 when not or when unsure. */
static int pf_guard_negclass(pf_parser *s)
{
    unsigned seen = 0; /* bit per stop byte: . ; ! ? */
    int first = 1;
    s->i++;
    while (s->i < s->n && (s->p[s->i] != ']' || first)) {
        unsigned char c = (unsigned char)s->p[s->i];
        first = 0;
        if (c == '\\') {
            if (s->i + 1 >= s->n)
                return 0;
            c = (unsigned char)s->p[s->i + 1];
            if (!(strchr("wsdhvntrfWSDHV", c) || pf_stop(c)) || c == '\0')
                return 0;
            s->i += 2;
        } else if (c == '[' || c == '-') {
            return 0; /* POSIX classes, ranges: give up */
        } else {
            size_t l = zl_utf8_seqlen(c);
            if (l == 0 || s->i + l > s->n)
                return 0;
            s->i += l;
        }
        if (s->i < s->n && s->p[s->i] == '-')
            return 0;
        seen |= c == '.' ? 1u : c == ';' ? 2u : c == '!' ? 4u : c == '?' ? 8u : 0u;
    }
    if (s->i >= s->n)
        return 0;
    s->i++;
    return seen == 15u;
}

/* Does a bracket class (s->i just past '[') match no pf_stop byte?  Advances
 * past the ']'; 0 when it may or when unsure. */
static int pf_inner_class(pf_parser *s)
{
    if (s->i < s->n && s->p[s->i] == '^')
        return s->guard && pf_guard_negclass(s);
    int first = 1;
    while (s->i < s->n && (s->p[s->i] != ']' || first)) {
        unsigned char c = (unsigned char)s->p[s->i];
        first = 0;
        if (c == '\\') {
            unsigned char e = s->i + 1 < s->n ? (unsigned char)s->p[s->i + 1] : 0;
            if (!e || !(strchr("wsdhvntrf", e) || (s->guard && pf_stop(e) && !pf_sent_stop(e))))
                return 0;
            s->i += 2;
            continue;
        }
        if (c == '[' || pf_stop_of(s, c))
            return 0; /* POSIX classes, ']' first, '-' as a character */
        size_t l = zl_utf8_seqlen(c);
        if (s->i + l > s->n)
            return 0;
        s->i += l;
        if (s->i + 1 < s->n && s->p[s->i] == '-' && s->p[s->i + 1] != ']') {
            unsigned char e = (unsigned char)s->p[s->i + 1];
            if (c < 0x80 || e < 0x80 || e == '\\')
                return 0; /* an ASCII range may hold punctuation: give up */
            l = zl_utf8_seqlen(e);
            if (s->i + 1 + l > s->n)
                return 0;
            s->i += 1 + l;
        }
    }
    if (s->i >= s->n)
        return 0;
    s->i++;
    return 1;
}

static int pf_inner_alt(pf_parser *s);

/* One item of the prefix and its quantifier; 0 when it may match a pf_stop
 * byte or is not understood. */
static int pf_inner_item(pf_parser *s)
{
    unsigned char c = (unsigned char)s->p[s->i];
    if (c == '\\') {
        unsigned char e = s->i + 1 < s->n ? (unsigned char)s->p[s->i + 1] : 0;
        if (!e || !(strchr("bBwsdhvRntrfe", e) || (s->guard && pf_stop(e) && !pf_sent_stop(e))))
            return 0;
        s->i += 2;
    } else if (c == '[') {
        s->i++;
        if (!pf_inner_class(s))
            return 0;
    } else if (c == '^' || c == '$') {
        s->i++;
    } else if (c == '(') {
        int look = pf_group_open(s);
        if (look < 0)
            return 0;
        if (look) {
            if (!pf_skip_look(s))
                return 0;
        } else {
            if (++s->depth > 64)
                return 0;
            int ok = pf_inner_alt(s);
            s->depth--;
            if (!ok)
                return 0;
        }
        if (s->i >= s->n || s->p[s->i] != ')')
            return 0;
        s->i++;
    } else if (c >= 0x80 || c == ' ' ||
               (s->guard ? c > 0x20 && c < 0x7f && !pf_sent_stop(c) && !strchr("\\^$.[]|()?*+{}", c)
                         : !(pf_stop(c) || c < 0x20))) {
        size_t l = zl_utf8_seqlen(c);
        if (l == 0 || s->i + l > s->n)
            return 0;
        s->i += l;
    } else {
        return 0; /* punctuation, '.', '|', ')', quantifier characters */
    }
    long min;
    return pf_quant(s, &min) >= 0;
}

static int pf_inner_alt(pf_parser *s)
{
    for (;;) {
        while (s->i < s->n && s->p[s->i] != '|' && s->p[s->i] != ')')
            if (!pf_inner_item(s))
                return 0;
        if (s->i >= s->n || s->p[s->i] == ')')
            return 1;
        s->i++; /* '|' */
    }
}

/* Does p[0..n) hold a '|' outside groups, classes and escapes? */
static int pf_top_bar(const char *p, size_t n)
{
    int depth = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\\') {
            i++;
        } else if (p[i] == '[') {
            i += i + 1 < n && p[i + 1] == '^' ? 2 : 1;
            if (i < n && p[i] == ']')
                i++;
            while (i < n && p[i] != ']')
                i += p[i] == '\\' ? 2 : 1;
        } else if (p[i] == '(') {
            depth++;
        } else if (p[i] == ')') {
            depth--;
        } else if (p[i] == '|' && depth == 0) {
            return 1;
        }
    }
    return 0;
}

static inline int ascii_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* An inner set whose prefix is "one word, then spaces" (INNER_WORD): once
 * the spaces at its end (\s+, \s*, \s, a space, with + * ?) are left
 * out, no item of the prefix p[0..split) can match an ASCII whitespace
 * byte: it uses only \b \B \w \d, escaped punctuation, letters, digits,
 * '_', '-', other bytes from 0x80 on, classes of those (not negated),
 * quantifiers and (?: ) groups.  A match then starts in the run of bytes
 * other than ASCII whitespace and punctuation that ends where the ASCII
 * whitespace before the inner literal begins (or at the literal itself):
 * find_regex's window is that run, a part of the inner set's window
 * (pf_stop: the prefix matches no ASCII punctuation). */
static int pf_word_prefix(const char *p, size_t split)
{
    size_t e = split;
    for (;;) { /* the spaces at the end */
        size_t f = e;
        if (f > 0 && strchr("+*?", p[f - 1]))
            f--;
        if (f >= 2 && p[f - 2] == '\\' && p[f - 1] == 's' && (f < 3 || p[f - 3] != '\\'))
            f -= 2;
        else if (f >= 1 && p[f - 1] == ' ' && (f < 2 || p[f - 2] != '\\'))
            f -= 1;
        else
            break;
        e = f;
    }
    for (size_t i = 0; i < e;) {
        unsigned char c = (unsigned char)p[i];
        if (c == '\\') {
            unsigned char x = i + 1 < e ? (unsigned char)p[i + 1] : 0;
            if (!(strchr("bBwd", x) || (x > 0x20 && x < 0x7f && pf_stop(x))) || x == 0)
                return 0;
            i += 2;
        } else if (c == '[') {
            i++;
            if (i < e && p[i] == '^')
                return 0;
            int first = 1;
            while (i < e && (p[i] != ']' || first)) {
                unsigned char d = (unsigned char)p[i];
                first = 0;
                if (d == '\\') {
                    unsigned char x = i + 1 < e ? (unsigned char)p[i + 1] : 0;
                    if (!(strchr("wd", x) || (x > 0x20 && x < 0x7f && pf_stop(x))) || x == 0)
                        return 0;
                    i += 2;
                } else if (d == '[' || d <= 0x20 || d == 0x7f) {
                    return 0;
                } else {
                    i++;
                }
            }
            if (i >= e)
                return 0;
            i++; /* ']' */
        } else if (c == '(') {
            if (i + 1 < e && p[i + 1] == '?') {
                if (i + 2 >= e || p[i + 2] != ':')
                    return 0;
                i += 3;
            } else {
                i++;
            }
        } else if (c == '{') {
            i++;
            while (i < e && ((p[i] >= '0' && p[i] <= '9') || p[i] == ','))
                i++;
            if (i >= e || p[i] != '}')
                return 0;
            i++;
        } else if (c == ')' || c == '|' || c == '+' || c == '*' || c == '?' || c == '_' ||
                   c == '-' || c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                   (c >= 'A' && c <= 'Z')) {
            i++;
        } else {
            return 0; /* . ^ $ spaces, controls, other punctuation */
        }
    }
    return 1;
}

/* The inner set of a whole pattern (out->n == 0: none).  With `guard`, the
 * guard instead (see pf_guard): the last split found, tried at groups too;
 * `guard` 2 passes short literals over (pf_skip_space). */
static void pf_inner(zl_arena *ar, const char *p, size_t n, int guard, pf_clause *out,
                     size_t *split)
{
    pf_parser s = {p, n, 0, 0, 0, 0, guard, ar};
    size_t *at = NULL, n_at = 0, cap_at = 0; /* guard: the split points, tried last first */
    int in_run = 0; /* guard: the previous item is a literal character */
    memset(out, 0, sizeof *out);
    if (pf_top_bar(p, n))
        return; /* the split is of one sequence */
    while (s.i < n) {
        unsigned char c = (unsigned char)p[s.i];
        int lit = c >= 0x80 || (c < 0x80 && !pf_stop(c) && c > 0x20);
        if (guard && ((lit && !in_run) || c == '(')) {
            at = pf_grow(ar, at, n_at, &cap_at, n_at + 1, sizeof *at);
            at[n_at++] = s.i;
        } else if (!guard && lit) {
            pf_parser r = {p + s.i, n - s.i, 0, 0, 0, 1, 0, ar};
            int ok = pf_lead_alt(&r, out) && !r.fail && r.i == r.n;
            for (uint32_t k = 0; ok && k < out->n; k++)
                ok = out->v[k].len >= 4;
            if (ok) {
                if (split)
                    *split = s.i;
                return;
            }
            pf_clause_free(out);
        }
        in_run = lit;
        if (!pf_inner_item(&s))
            break;
    }
    while (n_at--) {
        pf_parser r = {p + at[n_at], n - at[n_at], 0, 0, 0, 1, guard == 2 ? 2 : 0, ar};
        int ok = pf_lead_alt(&r, out) && !r.fail && r.i == r.n;
        for (uint32_t k = 0; ok && k < out->n; k++)
            ok = out->v[k].len >= 4;
        if (ok) {
            if (split)
                *split = at[n_at];
            return;
        }
        pf_clause_free(out);
    }
}

/* ---- the window set: an inner literal after a prefix of known bytes ------
 *
 * For a pattern with neither a lead set nor an inner set, such as
 * [a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+..., a top-level literal where the rest
 * of the pattern has a lead set (of any length: "@") splits it into a
 * prefix and that rest, when the bytes the prefix can match (its "window
 * bytes": a-z 0-9 . _ % + -) are not all bytes.  Every match then starts
 * in the run of window bytes that ends at an occurrence q of a window
 * literal, or at q itself (find_regex tries those offsets).  The prefix
 * must match ASCII only (an item that may match a non-ASCII character adds
 * all bytes from 0x80 on, and then the split is not taken): in text that is
 * mostly Cyrillic the runs are short, and a run never ends inside a
 * character.  Of the splits, the first whose literals all have >= 4 bytes
 * (found by the literal scan), else the first.  The index takes a window set
 * only for a regex that has no first code unit (PCRE2's own skip to one
 * byte, as for "\s*о\s+..., costs less). */
#define WSET_WORDS 8u

enum { INNER_NONE = 0, INNER_SET, INNER_WINDOW, INNER_WORD };

static void wset_add(uint32_t *set, unsigned lo, unsigned hi)
{
    for (unsigned b = lo; b <= hi; b++)
        set[b / 32] |= 1u << (b % 32);
}

/* The window bytes of escape \x (ASCII x); 0 when not understood. */
static int pf_bytes_esc(unsigned char x, uint32_t *set)
{
    switch (x) {
    case 'b': case 'B':
        return 1; /* zero-width */
    case 'd':
        wset_add(set, '0', '9');
        break;
    case 'w':
        wset_add(set, '0', '9');
        wset_add(set, 'a', 'z');
        wset_add(set, 'A', 'Z');
        wset_add(set, '_', '_');
        break;
    case 's': case 'h': case 'v': case 'R':
        wset_add(set, '\t', '\r');
        wset_add(set, ' ', ' ');
        break;
    case 'n': wset_add(set, '\n', '\n'); return 1;
    case 't': wset_add(set, '\t', '\t'); return 1;
    case 'r': wset_add(set, '\r', '\r'); return 1;
    case 'f': wset_add(set, '\f', '\f'); return 1;
    case 'e': wset_add(set, 0x1B, 0x1B); return 1;
    case 'W': case 'S': case 'D': case 'H': case 'V':
        wset_add(set, 0, 255);
        return 1;
    default:
        if (!pf_esc_punct(x))
            return 0;
        wset_add(set, x, x);
        return 1;
    }
    wset_add(set, 0x80, 0xFF); /* Unicode letters, digits, spaces under UCP */
    return 1;
}

/* The window bytes of the bracket class at s->i (just past '['). */
static int pf_bytes_class(pf_parser *s, uint32_t *set)
{
    if (s->i < s->n && s->p[s->i] == '^') {
        wset_add(set, 0, 255);
        return pf_class(s) == 0;
    }
    int first = 1;
    while (s->i < s->n && (s->p[s->i] != ']' || first)) {
        unsigned char c = (unsigned char)s->p[s->i];
        first = 0;
        if (c == '[')
            return 0; /* POSIX classes */
        if (c == '\\') {
            unsigned char x = s->i + 1 < s->n ? (unsigned char)s->p[s->i + 1] : 0;
            if (!x || x >= 0x80 || strchr("bBR", x) || !pf_bytes_esc(x, set))
                return 0;
            s->i += 2;
            if (s->i < s->n && s->p[s->i] == '-' && s->i + 1 < s->n && s->p[s->i + 1] != ']')
                return 0; /* a range from an escape */
            continue;
        }
        size_t l = zl_utf8_seqlen(c);
        if (l == 0 || s->i + l > s->n)
            return 0;
        s->i += l;
        unsigned lo = c, hi = c;
        if (s->i + 1 < s->n && s->p[s->i] == '-' && s->p[s->i + 1] != ']') {
            unsigned char e = (unsigned char)s->p[s->i + 1];
            size_t el = zl_utf8_seqlen(e);
            if (e == '\\' || e == '[' || el == 0 || s->i + 1 + el > s->n)
                return 0;
            hi = e;
            s->i += 1 + el;
        }
        if (c >= 0x80 || hi >= 0x80) {
            wset_add(set, 0x80, 0xFF);
            if (c < 0x80)
                wset_add(set, c, 0x7F);
        } else if (hi < lo) {
            return 0;
        } else {
            wset_add(set, lo, hi);
        }
    }
    if (s->i >= s->n)
        return 0;
    s->i++;
    return 1;
}

static int pf_bytes_alt(pf_parser *s, uint32_t *set);

/* The window bytes of one item and its quantifier. */
static int pf_bytes_item(pf_parser *s, uint32_t *set)
{
    unsigned char c = (unsigned char)s->p[s->i];
    if (c == '\\') {
        unsigned char x = s->i + 1 < s->n ? (unsigned char)s->p[s->i + 1] : 0;
        if (!x || x >= 0x80 || !pf_bytes_esc(x, set))
            return 0;
        s->i += 2;
    } else if (c == '[') {
        s->i++;
        if (!pf_bytes_class(s, set))
            return 0;
    } else if (c == '^' || c == '$') {
        s->i++;
    } else if (c == '.') {
        wset_add(set, 0, 255);
        s->i++;
    } else if (c == '(') {
        int look = pf_group_open(s);
        if (look < 0)
            return 0;
        if (look) {
            if (!pf_skip_look(s))
                return 0;
        } else {
            if (++s->depth > 64)
                return 0;
            int ok = pf_bytes_alt(s, set);
            s->depth--;
            if (!ok)
                return 0;
        }
        if (s->i >= s->n || s->p[s->i] != ')')
            return 0;
        s->i++;
    } else if (strchr("|)*+?{}]", c)) {
        return 0;
    } else {
        size_t l = zl_utf8_seqlen(c);
        if (l == 0 || s->i + l > s->n)
            return 0;
        if (c >= 0x80)
            wset_add(set, 0x80, 0xFF);
        else
            wset_add(set, c, c);
        s->i += l;
    }
    long min;
    return pf_quant(s, &min) >= 0;
}

static int pf_bytes_alt(pf_parser *s, uint32_t *set)
{
    for (;;) {
        while (s->i < s->n && s->p[s->i] != '|' && s->p[s->i] != ')')
            if (!pf_bytes_item(s, set))
                return 0;
        if (s->i >= s->n || s->p[s->i] == ')')
            return 1;
        s->i++; /* '|' */
    }
}

/* The window set of a whole pattern (out->n == 0: none) and its window
 * bytes (WSET_WORDS words). */
static void pf_window(zl_arena *ar, const char *p, size_t n, pf_clause *out, uint32_t *set)
{
    memset(out, 0, sizeof *out);
    memset(set, 0, WSET_WORDS * sizeof *set);
    if (pf_top_bar(p, n))
        return;
    p = zl_arena_strndup(ar, p, n); /* skip_item reads up to a NUL */
    pf_parser s = {p, n, 0, 0, 0, 0, 0, ar};
    pf_clause first = {0};
    uint32_t first_set[WSET_WORDS];
    while (s.i < n) {
        unsigned char c = (unsigned char)p[s.i];
        int lit = c >= 0x80 || (c > 0x20 && c < 0x7f && !strchr("\\^$.[]|()?*+{}", c)) ||
                  c == ' ' || (c == '\\' && s.i + 1 < n && pf_esc_punct((unsigned char)p[s.i + 1]));
        if (lit && s.i > 0) {
            pf_parser r = {p + s.i, n - s.i, 0, 0, 0, 1, 0, ar};
            pf_clause c1 = {0};
            int ok = pf_lead_alt(&r, &c1) && !r.fail && r.i == r.n && c1.n > 0;
            uint32_t w[WSET_WORDS] = {0};
            pf_parser b = {p, s.i, 0, 0, 0, 0, 0, ar};
            ok = ok && pf_bytes_alt(&b, w) && b.i == b.n && !b.fail;
            if (ok && !w[4] && !w[5] && !w[6] && !w[7]) { /* an ASCII prefix */
                int long4 = 1;
                for (uint32_t k = 0; k < c1.n; k++)
                    long4 &= c1.v[k].len >= 4;
                if (long4) {
                    *out = c1;
                    memcpy(set, w, sizeof w);
                    return;
                }
                if (first.n == 0) {
                    first = c1;
                    memcpy(first_set, w, sizeof w);
                }
            }
        }
        /* the next top-level item */
        if (c == '(' || c == '[' || c == '\\') {
            size_t e = skip_item(p, s.i);
            if (!e || e > n)
                break;
            s.i = e;
        } else {
            size_t l = zl_utf8_seqlen(c);
            if (l == 0)
                break;
            s.i += l;
        }
        long min;
        if (pf_quant(&s, &min) < 0)
            break;
    }
    if (first.n) {
        *out = first;
        memcpy(set, first_set, sizeof first_set);
    }
}

/* ---- the guard of a lead-set regex that repeats a group -----------------
 *
 * For (?:дерек\w*|...)(?:[^.;!?\n]|\n(?!\n)){0,60}?\bжария\w*, the last
 * top-level literal or group where the rest of the pattern has a lead set of
 * literals of >= 4 bytes (жария) splits it as pf_inner does, but the prefix
 * may match anything but the sentence punctuation . ; ! ? (pf_sent_stop:
 * also negated classes that exclude all four, hyphens and other ASCII
 * punctuation).  A match starting at offset o then holds one of those
 * literals at some q >= o with no stop byte in [o, q): a lead offset after
 * which a stop byte comes before the next guard literal cannot start a match
 * and is skipped (find_regex).  When no split has such a lead set, a branch's
 * literal shorter than 4 bytes may stand aside for the literal after its
 * whitespace (pf_skip_space: в\s+открытом\s+доступе is guarded by открытом);
 * guard_span_of never takes such a guard, whose literal need not start the
 * rest. */
static void pf_guard(zl_arena *ar, const char *p, size_t n, pf_clause *out)
{
    pf_inner(ar, p, n, 2, out, NULL);
}

/* The sentence-bounded gap of the heavy patterns: any character but
 * sentence punctuation and a double newline, at most N of them. */
#define GAP_OPEN "(?:[^.;!?\\n]|\\n(?!\\n)){0,"

/* A guard within reach: a pattern PRE GAP POST whose guard (pf_guard) is
 * the lead set of POST (only \b and lookbehinds between GAP and the guard
 * split), where GAP is GAP_OPEN N} (lazy or not) and PRE uses only \b, \w,
 * \s, lookbehinds, letters, digits, '_', '-', spaces, bytes from 0x80,
 * quantifiers * + ? and groups.  PRE then matches a run of ASCII letters,
 * digits, '_', its ASCII literal characters (and whitespace if it has \s
 * or a space) and bytes from 0x80, so from a start o a guard literal starts
 * at most N characters after that run: t->gspan = N, t->grun the run's ASCII
 * bytes.  Otherwise t->gspan stays -1. */
static void guard_span_of(const char *p, start_trait *t)
{
    if (!p)
        return;
    size_t n = strlen(p), split = 0;
    zl_arena *ar = zl_arena_new();
    pf_clause g;
    size_t split2 = 0;
    pf_inner(ar, p, n, 2, &g, &split2);
    int ok = g.n > 0;
    /* the guard's split, where no literal was passed over: that split has
     * a lead set without passing over */
    pf_inner(ar, p, n, 1, &g, &split);
    ok = ok && g.n > 0 && split == split2;
    zl_arena_free(ar);
    if (!ok)
        return;
    const char *gap = NULL;
    for (const char *q = strstr(p, GAP_OPEN); q && (size_t)(q - p) < split;
         q = strstr(q + 1, GAP_OPEN))
        gap = q;
    if (!gap)
        return;
    size_t i = (size_t)(gap - p) + strlen(GAP_OPEN);
    long span = 0;
    while (i < n && p[i] >= '0' && p[i] <= '9' && span < 1000)
        span = span * 10 + (p[i++] - '0');
    if (i >= n || p[i] != '}' || i == (size_t)(gap - p) + strlen(GAP_OPEN))
        return;
    i++;
    if (i < n && p[i] == '?')
        i++;
    while (i < split) { /* zero-width items up to the guard */
        if (p[i] == '\\' && i + 1 < n && p[i + 1] == 'b') {
            i += 2;
        } else if (p[i] == '(' && i + 3 < n && p[i + 1] == '?' && p[i + 2] == '<' &&
                   (p[i + 3] == '!' || p[i + 3] == '=')) {
            while (i < split && p[i] != ')')
                i++;
            i++;
        } else {
            return;
        }
    }
    if (i != split)
        return;
    uint32_t run[4] = {0};
    int ws = 0; /* \s and spaces in PRE: whitespace runs it may cross */
    for (unsigned c = 0; c < 128; c++)
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
            run[c / 32] |= 1u << (c % 32);
    size_t e = (size_t)(gap - p);
    for (i = 0; i < e;) {
        unsigned char c = (unsigned char)p[i];
        if (c == '\\') {
            unsigned char x = i + 1 < e ? (unsigned char)p[i + 1] : 0;
            if (x == 's') {
                ws++;
            } else if (x != 'b' && x != 'w') {
                return;
            }
            i += 2;
        } else if (c == '(' && i + 3 < e && p[i + 1] == '?' && p[i + 2] == '<' &&
                   (p[i + 3] == '!' || p[i + 3] == '=')) {
            while (i < e && p[i] != ')') /* a lookbehind: no nested group */
                i++;
            if (i >= e)
                return;
            i++;
        } else if (c == '(') {
            if (i + 1 < e && p[i + 1] == '?' && (i + 2 >= e || p[i + 2] != ':'))
                return; /* (? other than (?: and lookbehinds */
            i += i + 1 < e && p[i + 1] == '?' ? 3 : 1;
        } else if (c == ')' || c == '|' || c == '*' || c == '+' || c == '?') {
            if (c == ')' && i + 1 < e && (p[i + 1] == '*' || p[i + 1] == '+' || p[i + 1] == '{'))
                return; /* a repeated group: its spaces could be crossed many times */
            i++;
        } else if (c == ' ') {
            ws++;
            i++;
        } else if (c >= 0x80 || c == '-' || c == '_' || (c >= '0' && c <= '9') ||
                   (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            if (c < 0x80)
                run[c / 32] |= 1u << (c % 32);
            i++;
        } else {
            return;
        }
    }
    t->gspan = (int)span;
    t->gws = ws;
    memcpy(t->grun, run, sizeof run);
}

static void pf_put(char *buf, size_t cap, size_t *at, const char *s, size_t l)
{
    for (size_t k = 0; k < l; k++, (*at)++)
        if (*at + 1 < cap)
            buf[*at] = s[k];
}

/* `label` then the clause's literals joined by "|", or "none". */
static void pf_put_clause(char *buf, size_t cap, size_t *at, const char *label,
                          const pf_clause *c)
{
    pf_put(buf, cap, at, label, strlen(label));
    if (c->n == 0)
        pf_put(buf, cap, at, "none", 4);
    for (uint32_t k = 0; k < c->n; k++) {
        if (k)
            pf_put(buf, cap, at, "|", 1);
        pf_put(buf, cap, at, c->v[k].s, c->v[k].len);
    }
}

size_t zl_regex_required(const char *pattern, size_t len, char *buf, size_t cap)
{
    zl_arena *ar = zl_arena_new();
    pf_cnf f;
    pf_pattern(ar, pattern, len, &f);
    size_t at = 0;
    if (f.n == 0)
        pf_put(buf, cap, &at, "none", 4);
    for (uint32_t c = 0; c < f.n; c++) {
        if (c)
            pf_put(buf, cap, &at, " & ", 3);
        for (uint32_t k = 0; k < f.v[c].n; k++) {
            if (k)
                pf_put(buf, cap, &at, "|", 1);
            pf_put(buf, cap, &at, f.v[c].v[k].s, f.v[c].v[k].len);
        }
    }
    pf_clause lead;
    pf_lead(ar, pattern, len, &lead);
    pf_put_clause(buf, cap, &at, " ; lead ", &lead);
    pf_clause_free(&lead);
    pf_clause inner;
    size_t split = 0;
    pf_inner(ar, pattern, len, 0, &inner, &split);
    pf_put_clause(buf, cap, &at, " ; inner ", &inner);
    if (inner.n && pf_word_prefix(pattern, split))
        pf_put(buf, cap, &at, " (word)", 7);
    pf_clause_free(&inner);
    pf_clause win;
    uint32_t wset[WSET_WORDS];
    pf_window(ar, pattern, len, &win, wset);
    pf_put_clause(buf, cap, &at, " ; window ", &win);
    if (win.n) { /* then its bytes, as ranges */
        pf_put(buf, cap, &at, " [", 2);
        for (unsigned c = 0; c < 128; c++) {
            if (!((wset[c / 32] >> (c % 32)) & 1) ||
                (c && ((wset[(c - 1) / 32] >> ((c - 1) % 32)) & 1)))
                continue;
            unsigned e = c;
            while (e + 1 < 128 && ((wset[(e + 1) / 32] >> ((e + 1) % 32)) & 1))
                e++;
            char r[16];
            int l = e == c ? snprintf(r, sizeof r, "%02x", c)
                           : snprintf(r, sizeof r, "%02x-%02x", c, e);
            pf_put(buf, cap, &at, r, (size_t)l);
            pf_put(buf, cap, &at, " ", 1);
        }
        pf_put(buf, cap, &at, "]", 1);
    }
    pf_clause_free(&win);
    if (cap)
        buf[at < cap ? at : cap - 1] = '\0';
    zl_arena_free(ar);
    return at;
}

size_t zl_regex_guard(const char *pattern, size_t len, char *buf, size_t cap)
{
    zl_arena *ar = zl_arena_new();
    pf_clause g;
    pf_guard(ar, pattern, len, &g);
    size_t at = 0;
    pf_put_clause(buf, cap, &at, "", &g);
    if (cap)
        buf[at < cap ? at : cap - 1] = '\0';
    zl_arena_free(ar);
    return at;
}

/* What zl_match_index_new needs while it adds the regexes: a hash of the
 * literals (ids + 1, 0 = empty) and the capacities of the growing arrays. */
typedef struct pf_build {
    uint32_t *tab, mask;
    uint32_t n_cl; /* entries of pf_cl: n_pf_cl + 1 */
    size_t cap_lit, cap_cl, cap_ent, cap_lead_ent, cap_guard_ent;
} pf_build;

/* The id of literal `lit` in the index (added when new; its string is then
 * copied into the index's arena). */
static uint32_t pf_intern(zl_match_index *ix, pf_build *b, pf_lit *lit)
{
    if (lit->len > PF_MAX_LIT)
        lit->len = PF_MAX_LIT; /* a prefix of a required string is required */
    if (ix->n_pf_lit * 2 >= b->mask) {
        uint32_t size = (b->mask + 1) * 2;
        uint32_t *tab = zl_xcalloc(size, sizeof *tab);
        for (uint32_t id = 0; id < ix->n_pf_lit; id++) {
            uint32_t h = hash_bytes(ix->pf_lit[id].s, ix->pf_lit[id].len) & (size - 1);
            while (tab[h])
                h = (h + 1) & (size - 1);
            tab[h] = id + 1;
        }
        free(b->tab);
        b->tab = tab;
        b->mask = size - 1;
    }
    uint32_t h = hash_bytes(lit->s, lit->len) & b->mask;
    for (; b->tab[h]; h = (h + 1) & b->mask) {
        const pf_lit *e = &ix->pf_lit[b->tab[h] - 1];
        if (e->len == lit->len && memcmp(e->s, lit->s, lit->len) == 0)
            return b->tab[h] - 1;
    }
    uint32_t id = ix->n_pf_lit++;
    if (id == b->cap_lit)
        ix->pf_lit = zl_xgrow(ix->pf_lit, &b->cap_lit, (size_t)id + 1, sizeof *ix->pf_lit);
    ix->pf_lit[id] = (pf_lit){zl_arena_strndup(ix->pf_ar, lit->s, lit->len), lit->len};
    b->tab[h] = id + 1;
    return id;
}

static void pf_push_id(uint32_t **v, uint32_t *n, size_t *cap, uint32_t id)
{
    if (*n == *cap)
        *v = zl_xgrow(*v, cap, (size_t)*n + 1, sizeof **v);
    (*v)[(*n)++] = id;
}

/* Does an occurrence of any literal of `lead` (a regex's lead, inner or
 * window set; empty: none) hold one of clause c's literals?  Then the clause
 * tells nothing the lead set does not: a document without it has no lead
 * offset either, and the regex is skipped all the same (zl_match_find).
 * A lead literal counts by the bytes the scan looks for (PF_MAX_LIT). */
static int pf_implied(const pf_clause *c, const pf_clause *lead)
{
    if (lead->n == 0)
        return 0;
    for (uint32_t l = 0; l < lead->n; l++) {
        size_t m = lead->v[l].len < PF_MAX_LIT ? lead->v[l].len : PF_MAX_LIT;
        int holds = 0;
        for (uint32_t e = 0; e < c->n && !holds; e++) {
            size_t q = c->v[e].len < PF_MAX_LIT ? c->v[e].len : PF_MAX_LIT;
            for (size_t at = 0; !holds && q <= m && at <= m - q; at++)
                holds = memcmp(lead->v[l].s + at, c->v[e].s, q) == 0;
        }
        if (!holds)
            return 0;
    }
    return 1;
}

/* Appends the prefilter of regex `a` (the next regex of the index; pf_rc,
 * pf_lead and inner have room for every regex). */
static void pf_index_add(zl_match_index *ix, pf_build *b, const zl_atom *a)
{
    zl_arena *ar = zl_arena_new();
    size_t plen = a->pattern ? strlen(a->pattern) : 0;
    pf_cnf f = {0};
    if (a->pattern)
        pf_pattern(ar, a->pattern, plen, &f);
    uint32_t k = ix->n_regex;
    pf_clause lead = {0};
    if (a->pattern)
        pf_lead(ar, a->pattern, plen, &lead);
    for (uint32_t l = 0; l < lead.n; l++)
        if (lead.v[l].len < 4)
            pf_clause_free(&lead); /* too short to key the scan: no lead set */
    ix->inner[k] = INNER_NONE;
    if (lead.n == 0 && a->pattern) {
        size_t split = 0;
        pf_inner(ar, a->pattern, plen, 0, &lead, &split); /* literals of >= 4 bytes */
        ix->inner[k] = lead.n == 0                        ? INNER_NONE
                       : pf_word_prefix(a->pattern, split) ? INNER_WORD
                                                           : INNER_SET;
    }
    uint32_t fct = 0;
    if (lead.n == 0 && a->pattern &&
        pcre2_pattern_info(a->re, PCRE2_INFO_FIRSTCODETYPE, &fct) == 0 && fct != 1) {
        pf_window(ar, a->pattern, plen, &lead, &ix->pf_wset[(size_t)k * WSET_WORDS]);
        ix->inner[k] = lead.n > 0 ? INNER_WINDOW : INNER_NONE;
    }
    for (uint32_t c = 0; c < f.n; c++) {
        if (pf_implied(&f.v[c], &lead))
            continue;
        for (uint32_t l = 0; l < f.v[c].n; l++)
            pf_push_id(&ix->pf_ent, &ix->n_pf_ent, &b->cap_ent, pf_intern(ix, b, &f.v[c].v[l]));
        pf_push_id(&ix->pf_cl, &b->n_cl, &b->cap_cl, ix->n_pf_ent);
        ix->n_pf_cl++;
    }
    ix->pf_rc[k + 1] = ix->n_pf_cl;
    for (uint32_t l = 0; l < lead.n; l++)
        pf_push_id(&ix->pf_lead_ent, &ix->n_pf_lead_ent, &b->cap_lead_ent,
                   pf_intern(ix, b, &lead.v[l]));
    ix->pf_lead[k + 1] = ix->n_pf_lead_ent;
    if (lead.n && !ix->inner[k] && ix->heavy[k]) {
        pf_clause g;
        pf_guard(ar, a->pattern, plen, &g);
        int same = g.n == lead.n; /* the lead set itself guards nothing */
        for (uint32_t l = 0; same && l < g.n; l++) {
            same = 0;
            for (uint32_t m = 0; !same && m < lead.n; m++)
                same = g.v[l].len == lead.v[m].len && memcmp(g.v[l].s, lead.v[m].s, g.v[l].len) == 0;
        }
        if (same)
            g.n = 0;
        for (uint32_t l = 0; l < g.n; l++)
            pf_push_id(&ix->pf_guard_ent, &ix->n_pf_guard_ent, &b->cap_guard_ent,
                       pf_intern(ix, b, &g.v[l]));
    }
    ix->pf_guard[k + 1] = ix->n_pf_guard_ent;
    zl_arena_free(ar);
}

#define PF_HBITS 12u

static uint32_t pf_hash4(const char *p)
{
    uint32_t w;
    memcpy(&w, p, 4);
    return (w * 2654435761u) >> (32 - PF_HBITS);
}

/* The first min(len, 8) bytes at p as a little-endian word (zero above). */
static inline uint64_t load_upto8(const char *p, size_t len)
{
    uint64_t w = 0;
    if (len >= 8) {
        memcpy(&w, p, 8);
        return w;
    }
    for (size_t j = 0; j < len; j++)
        w |= (uint64_t)(unsigned char)p[j] << (8 * j);
    return w;
}

static inline uint64_t mask_upto8(size_t len)
{
    return len >= 8 ? ~0ull : (1ull << (8 * len)) - 1;
}

/* A bucket's signature bit for the text whose first 8 bytes (as far as the
 * text goes, zero above) are the little-endian word w: one of 64 by a hash
 * of bytes 4 and 5.  A literal of >= 6 bytes has the bit of its own bytes
 * (those of any text it starts), a shorter one all bits (see pf_bent). */
static inline uint64_t pf_sig_bit(uint64_t w)
{
    return 1ull << ((uint32_t)(w >> 32 & 0xffff) * 2654435761u >> 26);
}

/* The bits of a byte's pf_cls: a literal of >= 4 bytes starts with it; an
 * ASCII character but a decimal digit; a lead byte of U+0400-U+04FF. */
enum { PF_FIRST = 1, PF_ASCII = 2, PF_CYR = 4 };

/* Builds the scan tables once every regex is added. */
static void pf_index_finish(zl_match_index *ix)
{
    uint32_t nb = 1u << PF_HBITS, nl = ix->n_pf_lit;
    ix->pf_bucket = zl_xcalloc((size_t)nb + 1, sizeof *ix->pf_bucket);
    ix->pf_bucket_ent = zl_xmalloc((nl ? nl : 1) * sizeof *ix->pf_bucket_ent);
    for (unsigned c = 0; c < 256; c++)
        ix->pf_cls[c] = (c < 0x80 && c - '0' > 9u ? PF_ASCII : 0) |
                        (c - 0xD0 < 4u ? PF_CYR : 0);
    for (uint32_t id = 0; id < nl; id++)
        if (ix->pf_lit[id].len >= 4) {
            ix->pf_bucket[pf_hash4(ix->pf_lit[id].s) + 1]++;
            ix->pf_cls[(unsigned char)ix->pf_lit[id].s[0]] |= PF_FIRST;
        }
    for (uint32_t h = 0; h < nb; h++)
        ix->pf_bucket[h + 1] += ix->pf_bucket[h];
    uint32_t *fill = zl_xmalloc(((size_t)nb + 1) * sizeof *fill);
    memcpy(fill, ix->pf_bucket, ((size_t)nb + 1) * sizeof *fill);
    for (uint32_t id = 0; id < nl; id++)
        if (ix->pf_lit[id].len >= 4)
            ix->pf_bucket_ent[fill[pf_hash4(ix->pf_lit[id].s)]++] =
                (pf_bent){load_upto8(ix->pf_lit[id].s, ix->pf_lit[id].len),
                          mask_upto8(ix->pf_lit[id].len),
                          ix->pf_lit[id].len > 8
                              ? load_upto8(ix->pf_lit[id].s + 8, ix->pf_lit[id].len - 8)
                              : 0,
                          ix->pf_lit[id].len > 8 ? mask_upto8(ix->pf_lit[id].len - 8) : 0, 0,
                          id, ix->pf_lit[id].len};
    free(fill);
    for (uint32_t h = 0; h < nb; h++) {
        pf_bent *e = ix->pf_bucket_ent;
        for (uint32_t b = ix->pf_bucket[h]; b < ix->pf_bucket[h + 1]; b++)
            e[ix->pf_bucket[h]].sig |= e[b].len >= 6 ? pf_sig_bit(e[b].key) : ~0ull;
    }

    ix->pf_leads_of = zl_xcalloc((size_t)nl + 1, sizeof *ix->pf_leads_of);
    uint32_t ne = ix->n_pf_lead_ent + ix->n_pf_guard_ent;
    ix->pf_leads_of_ent = zl_xmalloc((ne ? ne : 1) * sizeof *ix->pf_leads_of_ent);
    for (uint32_t e = 0; e < ix->n_pf_lead_ent; e++)
        ix->pf_leads_of[ix->pf_lead_ent[e] + 1]++;
    for (uint32_t e = 0; e < ix->n_pf_guard_ent; e++)
        ix->pf_leads_of[ix->pf_guard_ent[e] + 1]++;
    for (uint32_t id = 0; id < nl; id++)
        ix->pf_leads_of[id + 1] += ix->pf_leads_of[id];
    fill = zl_xmalloc(((size_t)nl + 1) * sizeof *fill);
    memcpy(fill, ix->pf_leads_of, ((size_t)nl + 1) * sizeof *fill);
    for (uint32_t k = 0; k < ix->n_regex; k++)
        for (uint32_t e = ix->pf_lead[k]; e < ix->pf_lead[k + 1]; e++)
            ix->pf_leads_of_ent[fill[ix->pf_lead_ent[e]]++] = k; /* ascending sets */
    for (uint32_t k = 0; k < ix->n_regex; k++)
        for (uint32_t e = ix->pf_guard[k]; e < ix->pf_guard[k + 1]; e++)
            ix->pf_leads_of_ent[fill[ix->pf_guard_ent[e]]++] = ix->n_regex + k;
    free(fill);
}

/* ---- lazy preparation ----------------------------------------------------
 *
 * Nothing is JIT-compiled when the index is built: a regex's JIT code (and
 * its anchored copy) is made the first time a document needs it, so a run
 * pays only for the regexes its documents reach (a Russian document skips
 * the Kazakh-only ones, the prefilter skips more).  Workers share the index:
 * a slot is claimed by one thread, filled outside any lock and published
 * with a release store (see lazy_get); readers check it with an acquire
 * load.  The pack's own code is JIT-compiled in place only for regexes that
 * never run through the interpreter (no lead set, not digit-start), so no
 * thread reads it while it is being written.
 *
 * A run from lead or digit offsets of a light pattern (no group repeated
 * more than once: see group_repeat) takes the JIT only when there are at
 * least LAZY_JIT_MIN offsets in the document; fewer are tried by the
 * interpreter (the pack's code with PCRE2_ANCHORED), which then costs less
 * than a JIT compile (≈ 0.2 us a try against 10-40 us).  A pattern that
 * repeats a group, such as (?:[^.;!?\n]|\n(?!\n)){0,60}?, costs the
 * interpreter several microseconds a try: it always takes the JIT.  The
 * choice depends on the document and the pattern alone, never on what
 * another document made before; an interpreted run counts the limits as the
 * interpreter counts them, per start offset. */
#define LAZY_JIT_MIN 32u

/* Does the pattern repeat a group more than once ( )* )+ ){2} ){0,60} )?
 * Escapes and bracket classes are skipped; anything unusual answers yes. */
static int group_repeat(const char *p)
{
    for (size_t i = 0; p[i]; i++) {
        if (p[i] == '\\') {
            if (!p[++i])
                return 1;
        } else if (p[i] == '[') {
            i++;
            if (p[i] == '^')
                i++;
            if (p[i] == ']')
                i++;
            while (p[i] && p[i] != ']') {
                if (p[i] == '\\' && !p[++i])
                    return 1;
                if (p[i] == '[' && p[i + 1] == ':')
                    return 1; /* POSIX class: not worth parsing */
                i++;
            }
            if (!p[i])
                return 1;
        } else if (p[i] == ')') {
            char q = p[i + 1];
            if (q == '*' || q == '+')
                return 1;
            if (q == '{') {
                /* {n} {n,} {n,m} {,m}: more than once unless the maximum is 1 */
                size_t j = i + 2;
                long lo = 0, hi = -1;
                while (p[j] >= '0' && p[j] <= '9')
                    lo = lo * 10 + (p[j++] - '0');
                if (p[j] == ',') {
                    j++;
                    if (p[j] >= '0' && p[j] <= '9') {
                        hi = 0;
                        while (p[j] >= '0' && p[j] <= '9')
                            hi = hi * 10 + (p[j++] - '0');
                    } else {
                        hi = 1000; /* unbounded */
                    }
                } else {
                    hi = lo;
                }
                if (hi > 1 || lo > 1)
                    return 1;
            }
        }
    }
    return 0;
}

/* Slot states.  A thread that finds a slot empty claims it (compare and
 * swap to busy), makes the code outside any lock, stores it and publishes
 * it (release store of ready, then a broadcast under lazy_mu); a thread that
 * needs a busy slot waits on lazy_cv until it is ready, and one that needs
 * a ready slot only loads (acquire).  So a thread never waits for the
 * compile of a slot it does not need. */
enum { LAZY_EMPTY = 0, LAZY_BUSY, LAZY_READY };
enum { LAZY_ANCHORED, LAZY_COPY, LAZY_IN_PLACE };

static pthread_mutex_t lazy_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t lazy_cv = PTHREAD_COND_INITIALIZER;

/* Makes the code of a claimed slot and publishes it. */
static void lazy_make(lazy_code *lc, const zl_atom *a, int how)
{
    pcre2_code *re = a->re;
    if (how != LAZY_IN_PLACE) {
        int err;
        PCRE2_SIZE erroff;
        uint32_t opts = PCRE2_UTF | PCRE2_UCP | (how == LAZY_ANCHORED ? PCRE2_ANCHORED : 0);
        re = pcre2_compile((PCRE2_SPTR)a->pattern, PCRE2_ZERO_TERMINATED, opts, &err, &erroff,
                           NULL);
        lc->owned = 1;
    }
#ifndef ZL_NO_JIT
    /* The interpreter is the fallback.  `make valgrind` builds with
     * ZL_NO_JIT: valgrind cannot follow JIT-generated code. */
    if (re)
        (void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
#endif
    lc->code = re;
    atomic_store_explicit(&lc->state, LAZY_READY, memory_order_release);
    pthread_mutex_lock(&lazy_mu);
    pthread_cond_broadcast(&lazy_cv);
    pthread_mutex_unlock(&lazy_mu);
}

/* The slot's code: made here when the slot is empty, waited for when
 * another thread is making it. */
static const pcre2_code *lazy_get(lazy_code *lc, const zl_atom *a, int how)
{
    int st = atomic_load_explicit(&lc->state, memory_order_acquire);
    if (st == LAZY_READY)
        return lc->code;
    if (st == LAZY_EMPTY &&
        atomic_compare_exchange_strong_explicit(&lc->state, &st, LAZY_BUSY, memory_order_acquire,
                                                memory_order_relaxed)) {
        lazy_make(lc, a, how);
        return lc->code;
    }
    pthread_mutex_lock(&lazy_mu);
    while (atomic_load_explicit(&lc->state, memory_order_acquire) != LAZY_READY)
        pthread_cond_wait(&lazy_cv, &lazy_mu);
    pthread_mutex_unlock(&lazy_mu);
    return lc->code;
}

static uint32_t key4(const char *s)
{
    uint32_t k;
    memcpy(&k, s, 4);
    return k;
}

/* The key a token of len bytes looks up in fslot, and an exact first term
 * of under 8 bytes is listed under: its first 4 bytes (or its bytes when
 * shorter) and, under 8 bytes, its length in bits 32-35.  A prefix term of
 * 4 to 7 bytes is listed under its first 4 bytes alone (for the tokens of
 * 8 bytes or more) and under them with each token length from its own to 7
 * (first_build): a token of 8 bytes or more meets no exact term of under 8
 * bytes, and a shorter one only those of its length. */
static inline uint64_t term_key(const char *s, uint32_t len)
{
    if (len >= 8)
        return key4(s);
    return (len >= 4 ? key4(s) : load_upto8(s, len)) | (uint64_t)len << 32;
}

static inline first_slot *fslot_find(first_slot *t, uint32_t mask, uint64_t key)
{
    uint32_t h = (uint32_t)((key * 0x9E3779B97F4A7C15ull) >> 40) & mask;
    while (t[h].n && t[h].key != key)
        h = (h + 1) & mask;
    return &t[h];
}

/* Are a[0..n) and b[0..n) equal (n >= 1)?  Word by word, for the tails of
 * terms past their 16th byte (a memcmp call costs more): the last word
 * ends at byte n and may overlap the 8 bytes before a and b, which the
 * callers have read and found equal. */
static inline int tail_eq(const char *a, const char *b, size_t n)
{
    uint64_t x, y;
    for (; n > 8; a += 8, b += 8, n -= 8) {
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        if (x != y)
            return 0;
    }
    memcpy(&x, a + n - 8, 8);
    memcpy(&y, b + n - 8, 8);
    return x == y;
}

static const post_ent *post_of(const zl_match_index *ix, int prefix, const slot *e)
{
    return ix->pe + (prefix ? ix->exact.n_post : 0) + e->post_first;
}

/* The bit of a second term or of the token after a first term's match:
 * one of 63 by its first two bytes (for a Cyrillic letter: its second
 * byte and the parity of its first, so that the lowercase letters а-я
 * never share a bit); a text of under 2 bytes, or no token, has bit 63,
 * which only a first term with a single-term atom or a second term of under
 * 2 bytes holds. */
#define SECOND_NONE 63u
static inline uint64_t second_bit(const char *s, uint32_t len)
{
    if (len < 2)
        return 1ull << SECOND_NONE;
    unsigned h = ((unsigned)(unsigned char)s[1] + ((unsigned)(unsigned char)s[0] << 4)) & 63u;
    return 1ull << (h == SECOND_NONE ? 62u : h);
}

/* The second_bit of phrase p's second term (bit 63, always looked at,
 * should p's atom have a single term: an image's entry that disagrees with
 * its atom). */
static uint64_t pe_bit(const zl_match_index *ix, const post_ent *p)
{
    const zl_atom *a = ix->atoms[p->atom];
    if (a->n_terms < 2)
        return 1ull << SECOND_NONE;
    return second_bit(a->terms[1].text, a->terms[1].len);
}

#define GRP_MIN 8u

/* Regroups each first term's atoms (post2): the single-term ones first,
 * then the phrases by their second terms' bits (second_bit; stable), which
 * make `second`: a phrase can match only where the next token has its bit,
 * so a token whose next token's bit is not in `second` skips the phrases at
 * once, and with bit groups (grp) only the phrases of that bit and of bit
 * 63 (a second term of under 2 bytes) are looked at.  The order of the
 * atoms within a term changes nothing found: each atom is found at most
 * once per token, and the hits are grouped by atom. */
static void ft_groups(zl_match_index *ix)
{
    /* a list already in order (its single-term atoms first) without bit
     * groups is used in place: only the others are copied (fewer pages to
     * touch when a process lints one document) */
    size_t n = 0, ng = 0;
    for (uint32_t j = 0; j < ix->n_ft; j++) {
        const first_term *f = &ix->ft[j];
        uint32_t multi = 0, ordered = 1;
        for (uint32_t k = 0; k < f->post_n; k++) {
            multi += f->post[k].n_terms > 1;
            ordered &= f->post[k].n_terms > 1 || multi == 0;
        }
        n += ordered && multi < GRP_MIN ? 0 : f->post_n;
        ng += multi >= GRP_MIN ? 65 : 0;
    }
    ix->pe2 = zl_xmalloc((n ? n : 1) * sizeof *ix->pe2);
    ix->grp = zl_xmalloc((ng ? ng : 1) * sizeof *ix->grp);
    ix->n_pe2 = (uint32_t)n;
    ix->n_grp = (uint32_t)ng;
    size_t at = 0, gat = 0;
    for (uint32_t j = 0; j < ix->n_ft; j++) {
        first_term *f = &ix->ft[j];
        uint32_t multi = 0, ordered = 1;
        for (uint32_t k = 0; k < f->post_n; k++) {
            multi += f->post[k].n_terms > 1;
            ordered &= f->post[k].n_terms > 1 || multi == 0;
        }
        int copy = !ordered || multi >= GRP_MIN;
        post_ent *out = copy ? ix->pe2 + at : NULL;
        uint32_t w = 0;
        uint64_t m = 0;
        for (uint32_t k = 0; k < f->post_n; k++)
            if (f->post[k].n_terms == 1) {
                if (copy)
                    out[w] = f->post[k];
                w++;
            }
        f->n_single = w;
        f->post2 = copy ? out : f->post;
        f->grp = NULL;
        for (uint32_t k = 0; k < f->post_n; k++) {
            if (f->post[k].n_terms == 1)
                continue;
            m |= pe_bit(ix, &f->post[k]);
            if (copy)
                out[w] = f->post[k];
            w++;
        }
        /* a second term of under 2 bytes may start any next token */
        f->second = (m >> SECOND_NONE) & 1 ? ~0ull : m;
        if (!copy)
            continue;
        at += f->post_n;
        if (w - f->n_single < GRP_MIN)
            continue;
        /* bit groups: the phrases sorted by bit (counting sort, stable) */
        uint32_t *g = ix->grp + gat, cnt[65] = {0};
        gat += 65;
        post_ent *ph = zl_xmalloc((w - f->n_single) * sizeof *ph);
        memcpy(ph, out + f->n_single, (w - f->n_single) * sizeof *ph);
        uint32_t np = w - f->n_single;
        unsigned char *bit = zl_xmalloc(np);
        for (uint32_t k = 0; k < np; k++) {
            bit[k] = (unsigned char)__builtin_ctzll(pe_bit(ix, &ph[k]));
            cnt[bit[k] + 1]++;
        }
        for (unsigned b = 0; b < 64; b++)
            cnt[b + 1] += cnt[b];
        for (unsigned b = 0; b < 65; b++)
            g[b] = f->n_single + cnt[b];
        for (uint32_t k = 0; k < np; k++)
            out[f->n_single + cnt[bit[k]]++] = ph[k];
        free(bit);
        free(ph);
        f->grp = g;
    }
}

/* Fills ix->pe from the tables' atom lists. */
static void post_build(zl_match_index *ix)
{
    uint32_t n = ix->exact.n_post + ix->stem.n_post;
    ix->pe = zl_xmalloc((n ? n : 1) * sizeof *ix->pe);
    for (uint32_t k = 0; k < n; k++) {
        uint32_t atom = k < ix->exact.n_post ? ix->exact.post[k] : ix->stem.post[k - ix->exact.n_post];
        const zl_atom *a = ix->atoms[atom];
        post_ent *p = &ix->pe[k];
        *p = (post_ent){0, 0, atom, a->n_terms, 0, 0};
        if (a->n_terms > 1) {
            const zl_term *t1 = &a->terms[1];
            p->key = load_upto8(t1->text, t1->len);
            p->mask = mask_upto8(t1->len);
            p->len1 = t1->len;
            p->prefix1 = t1->prefix;
        }
    }
}

/* The first terms find_phrases compares a token with: the exact ones and
 * the prefixes of >= 4 bytes, grouped by term_key (the shorter prefixes
 * are looked up in `stem` by length, bit by bit of short_stems). */
static void first_build(zl_match_index *ix)
{
    /* each table sized for the terms it lists (at most half full) */
    uint32_t n = ix->exact.n_slots + ix->stem.n_slots, n8 = 0, size = 64, size8 = 64;
    for (int prefix = 0; prefix < 2; prefix++) {
        const table *t = prefix ? &ix->stem : &ix->exact;
        for (uint32_t g = 0; g < t->n_slots; g++) {
            uint32_t len = t->slots[g].len;
            n8 += len >= 8;
            n += prefix && len >= 4 && len < 8 ? 8 - len : 0; /* listed again by length */
        }
    }
    while (size < (n - n8) * 2)
        size *= 2;
    while (size8 < n8 * 2)
        size8 *= 2;
    ix->fslot = zl_xcalloc(size, sizeof *ix->fslot);
    ix->fslot8 = zl_xcalloc(size8, sizeof *ix->fslot8);
    ix->fslot_mask = size - 1;
    ix->fslot8_mask = size8 - 1;
    ix->ft = zl_xmalloc((n ? n : 1) * sizeof *ix->ft);
    uint32_t *fill = zl_xcalloc((size_t)size + size8, sizeof *fill);
    for (int pass = 0; pass < 2; pass++) {
        for (int prefix = 0; prefix < 2; prefix++) {
            const table *t = prefix ? &ix->stem : &ix->exact;
            for (uint32_t g = 0; g < t->n_slots; g++) {
                const slot *e = &t->slots[g];
                if (prefix && e->len < 4) {
                    ix->short_stems |= 1ull << e->len;
                    continue;
                }
                first_slot *tab = e->len >= 8 ? ix->fslot8 : ix->fslot;
                uint32_t mask = e->len >= 8 ? ix->fslot8_mask : ix->fslot_mask;
                /* a prefix of 4 to 7 bytes: under its first 4 bytes, then
                 * with each token length from its own (see term_key) */
                uint32_t lens = prefix && e->len < 8 ? 8 - e->len + 1 : 1;
                for (uint32_t k = 0; k < lens; k++) {
                    uint64_t key;
                    if (e->len >= 8)
                        key = load_upto8(e->s, 8);
                    else if (!prefix)
                        key = term_key(e->s, e->len);
                    else
                        key = key4(e->s) | (k ? (uint64_t)(e->len + k - 1) << 32 : 0);
                    first_slot *f = fslot_find(tab, mask, key);
                    if (pass == 0) {
                        f->key = key;
                        f->n++;
                        continue;
                    }
                    /* the word: bytes 0-7, or 8-15 of a term listed under bytes 0-7 */
                    uint32_t from = e->len >= 8 ? 8 : 0;
                    ix->ft[f->first + fill[(f - tab) + (tab == ix->fslot8 ? size : 0)]++] =
                        (first_term){load_upto8(e->s + from, e->len - from),
                                     mask_upto8(e->len - from), e->s, e->len, (uint32_t)prefix,
                                     post_of(ix, prefix, e), e->post_n, NULL, 0, 0, NULL};
                }
            }
        }
        if (pass == 1) {
            /* each slot's terms by length (stable), so a token stops at the
             * first longer term (find_phrases) */
            for (uint32_t h = 0; h < size + size8; h++) {
                const first_slot *fs = h < size ? &ix->fslot[h] : &ix->fslot8[h - size];
                first_term *v = ix->ft + fs->first;
                for (uint32_t a = 1; a < fs->n; a++) {
                    first_term x = v[a];
                    uint32_t b = a;
                    for (; b > 0 && v[b - 1].len > x.len; b--)
                        v[b] = v[b - 1];
                    v[b] = x;
                }
            }
        } else {
            uint32_t at = 0;
            for (uint32_t h = 0; h < size; h++) {
                ix->fslot[h].first = at;
                at += ix->fslot[h].n;
            }
            for (uint32_t h = 0; h < size8; h++) {
                ix->fslot8[h].first = at;
                at += ix->fslot8[h].n;
            }
            ix->n_ft = at;
        }
    }
    free(fill);
}

/* The registered image (zl_match_index_use_image). */
static const zl_atom *img_atoms;
static uint32_t img_n_atoms;
static const void *img_blob;
static size_t img_len;

static int img_adopt(zl_match_index *ix);

zl_match_index *zl_match_index_new(const zl_atom *const *atoms, uint32_t n_atoms)
{
    zl_match_index *ix = zl_xcalloc(1, sizeof *ix);
    ix->n_atoms = n_atoms;
    ix->atoms = zl_xmalloc((n_atoms ? n_atoms : 1) * sizeof *ix->atoms);
    memcpy(ix->atoms, atoms, (size_t)n_atoms * sizeof *ix->atoms);
    if (img_blob && n_atoms == img_n_atoms) {
        uint32_t i = 0;
        while (i < n_atoms && atoms[i] == &img_atoms[i])
            i++;
        if (i == n_atoms) {
            if (img_adopt(ix))
                return ix;
            zl_match_index_free(ix); /* not this index's image: build it */
            ix = zl_xcalloc(1, sizeof *ix);
            ix->n_atoms = n_atoms;
            ix->atoms = zl_xmalloc((n_atoms ? n_atoms : 1) * sizeof *ix->atoms);
            memcpy(ix->atoms, atoms, (size_t)n_atoms * sizeof *ix->atoms);
        }
    }
    uint32_t n_re = 0, n_ph = 0;
    for (uint32_t i = 0; i < n_atoms; i++) {
        const zl_atom *a = atoms[i];
        if (a->kind == ZL_ATOM_REGEX) {
            n_re += a->re != NULL;
        } else if (a->n_terms && a->terms[0].len) {
            n_ph++;
        }
    }
    keyed *ex = zl_xmalloc((n_ph ? n_ph : 1) * sizeof *ex);
    keyed *st = zl_xmalloc((n_ph ? n_ph : 1) * sizeof *st);
    uint32_t n_ex = 0, n_st = 0;
    size_t nr = n_re ? n_re : 1;
    ix->regex = zl_xmalloc(nr * sizeof *ix->regex);
    ix->digit_start = zl_xcalloc(nr, sizeof *ix->digit_start);
    ix->heavy = zl_xmalloc(nr);
    ix->inner = zl_xmalloc(nr);
    ix->pf_wset = zl_xcalloc(nr * WSET_WORDS, sizeof *ix->pf_wset);
    ix->pf_rc = zl_xcalloc(nr + 1, sizeof *ix->pf_rc);
    ix->pf_lead = zl_xcalloc(nr + 1, sizeof *ix->pf_lead);
    ix->pf_guard = zl_xcalloc(nr + 1, sizeof *ix->pf_guard);
    ix->pf_ar = zl_arena_new();
    pf_build b = {0};
    b.tab = zl_xcalloc(256, sizeof *b.tab);
    b.mask = 255;
    pf_push_id(&ix->pf_cl, &b.n_cl, &b.cap_cl, 0);
    for (uint32_t i = 0; i < n_atoms; i++) {
        const zl_atom *a = atoms[i];
        if (a->kind == ZL_ATOM_REGEX) {
            if (a->re) {
                ix->heavy[ix->n_regex] = (unsigned char)(!a->pattern || group_repeat(a->pattern));
                pf_index_add(ix, &b, a);
                ix->regex[ix->n_regex++] = i;
            }
            continue;
        }
        if (a->n_terms == 0 || a->terms[0].len == 0)
            continue; /* cannot match; the compiler rejects these anyway */
        const zl_term *t = &a->terms[0];
        if (t->prefix) {
            st[n_st++] = (keyed){t->text, t->len, i};
        } else {
            ex[n_ex++] = (keyed){t->text, t->len, i};
        }
    }
    free(b.tab);
    pf_index_finish(ix);
    ix->anch = zl_xcalloc(nr, sizeof *ix->anch);
    ix->whole = zl_xcalloc(nr, sizeof *ix->whole);
    table_build(&ix->exact, ex, n_ex);
    table_build(&ix->stem, st, n_st);
    free(ex);
    free(st);
    post_build(ix);
    first_build(ix);
    ft_groups(ix);
    start_traits(ix);
    return ix;
}

static void index_free_arrays(zl_match_index *ix);

void zl_match_index_free(zl_match_index *ix)
{
    if (!ix)
        return;
    free(ix->atoms);
    free(ix->exact.slots);
    free(ix->stem.slots);
    free(ix->ft);
    free(ix->pf_lit);
    free(ix->digit_start);
    for (uint32_t k = 0; ix->anch && k < ix->n_regex; k++) {
        if (ix->anch[k].owned)
            pcre2_code_free(ix->anch[k].code);
        if (ix->whole[k].owned)
            pcre2_code_free(ix->whole[k].code);
    }
    free(ix->anch);
    free(ix->whole);
    if (!ix->borrowed)
        index_free_arrays(ix);
    free(ix);
}

/* Frees the arrays an adopted index borrows from its image. */
static void index_free_arrays(zl_match_index *ix)
{
    free(ix->exact.idx);
    free(ix->exact.post);
    free(ix->stem.idx);
    free(ix->stem.post);
    free(ix->pe);
    free(ix->pe2);
    free(ix->grp);
    free(ix->start);
    free(ix->fslot);
    free(ix->fslot8);
    free(ix->regex);
    free(ix->heavy);
    free(ix->inner);
    free(ix->pf_wset);
    zl_arena_free(ix->pf_ar);
    free(ix->pf_lead);
    free(ix->pf_lead_ent);
    free(ix->pf_guard);
    free(ix->pf_guard_ent);
    free(ix->pf_leads_of);
    free(ix->pf_leads_of_ent);
    free(ix->pf_bucket);
    free(ix->pf_bucket_ent);
    free(ix->pf_rc);
    free(ix->pf_cl);
    free(ix->pf_ent);
}

/* ---- build-time image ----------------------------------------------------
 *
 * zl_match_index_image writes an index as one blob: a header of counts,
 * then its arrays one after another, each starting at a multiple of 8
 * bytes (the padding is zero).  Pointer-free arrays are used in place by
 * an adopted index; the three arrays holding pointers are stored without
 * them and rebuilt when adopting: a slot's and a first term's text is the
 * first term of the first atom listed under it (its regrouped atoms and
 * bit groups are indexes into the pe2 and grp sections), a prefilter
 * literal is an offset into the blob's string section.  The start traits
 * and the regrouped atoms, plain data, are stored as built: a process that
 * adopts the image computes neither (no PCRE2 compile of the patterns). */
#define IMG_MAGIC 0x7a6c6d69u /* "imlz" */

typedef struct img_head {
    uint32_t magic, n_atoms;
    uint32_t ex_mask, ex_slots, ex_post, st_mask, st_slots, st_post;
    uint32_t n_ft, fslot_mask, fslot8_mask, n_regex;
    uint32_t n_pf_cl, n_pf_ent, n_pf_lit, lit_bytes;
    uint32_t n_pf_lead_ent, n_pf_guard_ent, n_bucket_ent, sizes;
    uint32_t n_pe2, n_grp;
    uint64_t short_stems;
    unsigned char pf_cls[256];
} img_head;

typedef struct img_slot {
    uint32_t len, post_first, post_n;
} img_slot;

/* post: index into pe; post2: index into pe2, or IMG_NONE for the atoms
 * in place (post2 == post); grp: index into grp, or IMG_NONE for none;
 * zero: 0 */
typedef struct img_ft {
    uint64_t key, mask, second;
    uint32_t len, prefix, post, post_n, post2, n_single, grp, zero;
} img_ft;

#define IMG_NONE 0xffffffffu

typedef struct img_lit {
    uint32_t off, len;
} img_lit;

/* The arrays of an image in order. */
enum {
    S_EX_IDX, S_EX_SLOTS, S_EX_POST, S_ST_IDX, S_ST_SLOTS, S_ST_POST, S_PE, S_FT, S_FSLOT,
    S_FSLOT8, S_REGEX, S_HEAVY, S_INNER, S_PF_RC, S_PF_CL, S_PF_ENT, S_PF_LIT, S_LIT_BYTES,
    S_PF_LEAD, S_PF_LEAD_ENT, S_PF_GUARD, S_PF_GUARD_ENT, S_LEADS_OF, S_LEADS_OF_ENT,
    S_BUCKET, S_BUCKET_ENT, S_WSET, S_PE2, S_GRP, S_START, S_COUNT
};

/* The structure sizes an image was written with (a check on adoption). */
#define IMG_SIZES                                                                          \
    ((uint32_t)(sizeof(img_head) | sizeof(post_ent) << 8 | sizeof(img_ft) << 16 |             \
                sizeof(first_slot) << 24) ^ (uint32_t)sizeof(pf_bent) ^                      \
     (uint32_t)sizeof(start_trait) << 8)

/* Fills the byte sizes of the sections of an image with header h and
 * returns the image's total length (0 when a count overflows). */
static size_t img_layout(const img_head *h, size_t size[S_COUNT], size_t off[S_COUNT])
{
    size_t nr = h->n_regex, nb = (size_t)1 << PF_HBITS;
    size[S_EX_IDX] = ((size_t)h->ex_mask + 1) * 4;
    size[S_EX_SLOTS] = (size_t)h->ex_slots * sizeof(img_slot);
    size[S_EX_POST] = (size_t)h->ex_post * 4;
    size[S_ST_IDX] = ((size_t)h->st_mask + 1) * 4;
    size[S_ST_SLOTS] = (size_t)h->st_slots * sizeof(img_slot);
    size[S_ST_POST] = (size_t)h->st_post * 4;
    size[S_PE] = ((size_t)h->ex_post + h->st_post) * sizeof(post_ent);
    size[S_FT] = (size_t)h->n_ft * sizeof(img_ft);
    size[S_FSLOT] = ((size_t)h->fslot_mask + 1) * sizeof(first_slot);
    size[S_FSLOT8] = ((size_t)h->fslot8_mask + 1) * sizeof(first_slot);
    size[S_REGEX] = nr * 4;
    size[S_HEAVY] = nr;
    size[S_INNER] = nr;
    size[S_PF_RC] = (nr + 1) * 4;
    size[S_PF_CL] = ((size_t)h->n_pf_cl + 1) * 4;
    size[S_PF_ENT] = (size_t)h->n_pf_ent * 4;
    size[S_PF_LIT] = (size_t)h->n_pf_lit * sizeof(img_lit);
    size[S_LIT_BYTES] = h->lit_bytes;
    size[S_PF_LEAD] = (nr + 1) * 4;
    size[S_PF_LEAD_ENT] = (size_t)h->n_pf_lead_ent * 4;
    size[S_PF_GUARD] = (nr + 1) * 4;
    size[S_PF_GUARD_ENT] = (size_t)h->n_pf_guard_ent * 4;
    size[S_LEADS_OF] = ((size_t)h->n_pf_lit + 1) * 4;
    size[S_LEADS_OF_ENT] = ((size_t)h->n_pf_lead_ent + h->n_pf_guard_ent) * 4;
    size[S_BUCKET] = (nb + 1) * 4;
    size[S_BUCKET_ENT] = (size_t)h->n_bucket_ent * sizeof(pf_bent);
    size[S_WSET] = nr * WSET_WORDS * 4;
    size[S_PE2] = (size_t)h->n_pe2 * sizeof(post_ent);
    size[S_GRP] = (size_t)h->n_grp * 4;
    size[S_START] = nr * sizeof(start_trait);
    if (h->ex_mask >= 1u << 30 || h->st_mask >= 1u << 30 || h->fslot_mask >= 1u << 30 ||
        h->fslot8_mask >= 1u << 30)
        return 0;
    size_t at = sizeof(img_head);
    for (int s = 0; s < S_COUNT; s++) {
        off[s] = at;
        at += (size[s] + 7) & ~(size_t)7;
    }
    return at;
}

/* Appends n bytes, then zeros up to a multiple of 8 from `start`. */
static void img_put(zl_buf *out, size_t start, const void *p, size_t n)
{
    static const char zero[8];
    if (n)
        zl_buf_put(out, p, n);
    zl_buf_put(out, zero, (8 - (out->len - start) % 8) % 8);
}

size_t zl_match_index_image(const zl_match_index *ix, zl_buf *out)
{
    size_t start = out->len;
    img_head h = {0};
    h.magic = IMG_MAGIC;
    h.n_atoms = ix->n_atoms;
    h.ex_mask = ix->exact.mask;
    h.ex_slots = ix->exact.n_slots;
    h.ex_post = ix->exact.n_post;
    h.st_mask = ix->stem.mask;
    h.st_slots = ix->stem.n_slots;
    h.st_post = ix->stem.n_post;
    h.n_ft = ix->n_ft;
    h.fslot_mask = ix->fslot_mask;
    h.fslot8_mask = ix->fslot8_mask;
    h.n_regex = ix->n_regex;
    h.n_pf_cl = ix->n_pf_cl;
    h.n_pf_ent = ix->n_pf_ent;
    h.n_pf_lit = ix->n_pf_lit;
    for (uint32_t id = 0; id < ix->n_pf_lit; id++)
        h.lit_bytes += ix->pf_lit[id].len;
    h.n_pf_lead_ent = ix->n_pf_lead_ent;
    h.n_pf_guard_ent = ix->n_pf_guard_ent;
    h.n_bucket_ent = ix->pf_bucket[1u << PF_HBITS];
    h.sizes = IMG_SIZES;
    h.n_pe2 = ix->n_pe2;
    h.n_grp = ix->n_grp;
    h.short_stems = ix->short_stems;
    memcpy(h.pf_cls, ix->pf_cls, sizeof h.pf_cls);
    zl_buf_put(out, &h, sizeof h);
    size_t size[S_COUNT], off[S_COUNT];
    img_layout(&h, size, off);
    for (int t = 0; t < 2; t++) {
        const table *tb = t ? &ix->stem : &ix->exact;
        img_put(out, start, tb->idx, size[t ? S_ST_IDX : S_EX_IDX]);
        for (uint32_t g = 0; g < tb->n_slots; g++) {
            img_slot s = {tb->slots[g].len, tb->slots[g].post_first, tb->slots[g].post_n};
            zl_buf_put(out, &s, sizeof s);
        }
        img_put(out, start, NULL, 0);
        img_put(out, start, tb->post, size[t ? S_ST_POST : S_EX_POST]);
    }
    img_put(out, start, ix->pe, size[S_PE]);
    for (uint32_t k = 0; k < h.n_ft; k++) {
        const first_term *f = &ix->ft[k];
        img_ft e = {f->key,
                    f->mask,
                    f->second,
                    f->len,
                    f->prefix,
                    (uint32_t)(f->post - ix->pe),
                    f->post_n,
                    f->post2 == f->post ? IMG_NONE : (uint32_t)(f->post2 - ix->pe2),
                    f->n_single,
                    f->grp ? (uint32_t)(f->grp - ix->grp) : IMG_NONE,
                    0};
        zl_buf_put(out, &e, sizeof e);
    }
    img_put(out, start, ix->fslot, size[S_FSLOT]);
    img_put(out, start, ix->fslot8, size[S_FSLOT8]);
    img_put(out, start, ix->regex, size[S_REGEX]);
    img_put(out, start, ix->heavy, size[S_HEAVY]);
    img_put(out, start, ix->inner, size[S_INNER]);
    img_put(out, start, ix->pf_rc, size[S_PF_RC]);
    img_put(out, start, ix->pf_cl, size[S_PF_CL]);
    img_put(out, start, ix->pf_ent, size[S_PF_ENT]);
    uint32_t at = 0;
    for (uint32_t id = 0; id < ix->n_pf_lit; id++) {
        img_lit l = {at, ix->pf_lit[id].len};
        zl_buf_put(out, &l, sizeof l);
        at += l.len;
    }
    for (uint32_t id = 0; id < ix->n_pf_lit; id++)
        zl_buf_put(out, ix->pf_lit[id].s, ix->pf_lit[id].len);
    img_put(out, start, NULL, 0);
    img_put(out, start, ix->pf_lead, size[S_PF_LEAD]);
    img_put(out, start, ix->pf_lead_ent, size[S_PF_LEAD_ENT]);
    img_put(out, start, ix->pf_guard, size[S_PF_GUARD]);
    img_put(out, start, ix->pf_guard_ent, size[S_PF_GUARD_ENT]);
    img_put(out, start, ix->pf_leads_of, size[S_LEADS_OF]);
    img_put(out, start, ix->pf_leads_of_ent, size[S_LEADS_OF_ENT]);
    img_put(out, start, ix->pf_bucket, size[S_BUCKET]);
    img_put(out, start, ix->pf_bucket_ent, size[S_BUCKET_ENT]);
    img_put(out, start, ix->pf_wset, size[S_WSET]);
    img_put(out, start, ix->pe2, size[S_PE2]);
    img_put(out, start, ix->grp, size[S_GRP]);
    img_put(out, start, ix->start, size[S_START]);
    return out->len - start;
}


void zl_match_index_use_image(const zl_atom *atoms, uint32_t n_atoms, const void *blob,
                              size_t len)
{
    img_atoms = atoms;
    img_n_atoms = n_atoms;
    img_blob = blob;
    img_len = len;
}

/* The first term of atom id `atom` when it is a phrase atom whose first
 * term has len bytes and the given kind, else NULL. */
static const char *img_term(const zl_match_index *ix, uint32_t atom, uint32_t len,
                            uint32_t prefix)
{
    if (atom >= ix->n_atoms)
        return NULL;
    const zl_atom *a = ix->atoms[atom];
    if (a->kind == ZL_ATOM_REGEX || a->n_terms == 0 || a->terms[0].len != len ||
        (uint32_t)a->terms[0].prefix != prefix)
        return NULL;
    return a->terms[0].text;
}

/* Rebuilds a table's slots from the image; 0 when the image is not sound. */
static int img_slots(zl_match_index *ix, table *t, const img_slot *s, int prefix)
{
    t->slots = zl_xmalloc((t->n_slots ? t->n_slots : 1) * sizeof *t->slots);
    for (uint32_t g = 0; g < t->n_slots; g++) {
        if (s[g].post_first >= t->n_post || s[g].post_n > t->n_post - s[g].post_first)
            return 0;
        const char *text = img_term(ix, t->post[s[g].post_first], s[g].len, (uint32_t)prefix);
        if (!text)
            return 0;
        t->slots[g] = (slot){text, s[g].len, s[g].post_first, s[g].post_n};
    }
    return 1;
}

/* Makes ix (atoms set) an index borrowing the registered image; 0 when it
 * does not fit (the caller then frees ix and builds one). */
static int img_adopt(zl_match_index *ix)
{
    const unsigned char *b = img_blob;
    img_head h;
    size_t size[S_COUNT], off[S_COUNT];
    if (img_len < sizeof h)
        return 0;
    memcpy(&h, b, sizeof h);
    if (h.magic != IMG_MAGIC || h.sizes != IMG_SIZES || h.n_atoms != ix->n_atoms ||
        img_layout(&h, size, off) != img_len)
        return 0;
    for (int s = 0; s < S_COUNT; s++)
        for (size_t k = off[s] + size[s]; k < (s + 1 < S_COUNT ? off[s + 1] : img_len); k++)
            if (b[k])
                return 0;
    ix->borrowed = 1;
#define AT(s) ((void *)(uintptr_t)(b + off[s]))
    ix->exact = (table){AT(S_EX_IDX), h.ex_mask, NULL, AT(S_EX_POST), h.ex_slots, h.ex_post};
    ix->stem = (table){AT(S_ST_IDX), h.st_mask, NULL, AT(S_ST_POST), h.st_slots, h.st_post};
    ix->pe = AT(S_PE);
    ix->fslot = AT(S_FSLOT);
    ix->fslot8 = AT(S_FSLOT8);
    ix->fslot_mask = h.fslot_mask;
    ix->fslot8_mask = h.fslot8_mask;
    ix->short_stems = h.short_stems;
    memcpy(ix->pf_cls, h.pf_cls, sizeof ix->pf_cls);
    ix->n_regex = h.n_regex;
    ix->regex = AT(S_REGEX);
    ix->heavy = AT(S_HEAVY);
    ix->inner = AT(S_INNER);
    ix->pf_rc = AT(S_PF_RC);
    ix->pf_cl = AT(S_PF_CL);
    ix->pf_ent = AT(S_PF_ENT);
    ix->n_pf_cl = h.n_pf_cl;
    ix->n_pf_ent = h.n_pf_ent;
    ix->n_pf_lit = h.n_pf_lit;
    ix->pf_lead = AT(S_PF_LEAD);
    ix->pf_lead_ent = AT(S_PF_LEAD_ENT);
    ix->n_pf_lead_ent = h.n_pf_lead_ent;
    ix->pf_guard = AT(S_PF_GUARD);
    ix->pf_guard_ent = AT(S_PF_GUARD_ENT);
    ix->n_pf_guard_ent = h.n_pf_guard_ent;
    ix->pf_leads_of = AT(S_LEADS_OF);
    ix->pf_leads_of_ent = AT(S_LEADS_OF_ENT);
    ix->pf_bucket = AT(S_BUCKET);
    ix->pf_bucket_ent = AT(S_BUCKET_ENT);
    ix->pf_wset = AT(S_WSET);
    ix->pe2 = AT(S_PE2);
    ix->n_pe2 = h.n_pe2;
    ix->grp = AT(S_GRP);
    ix->n_grp = h.n_grp;
    ix->start = AT(S_START);
    ix->n_ft = h.n_ft;
    if (ix->pf_bucket[1u << PF_HBITS] != h.n_bucket_ent)
        return 0;
    size_t nr = h.n_regex ? h.n_regex : 1;
    ix->digit_start = zl_xcalloc(nr, sizeof *ix->digit_start);
    ix->anch = zl_xcalloc(nr, sizeof *ix->anch);
    ix->whole = zl_xcalloc(nr, sizeof *ix->whole);
    /* the arrays holding pointers */
    for (uint32_t k = 0; k < h.ex_post; k++)
        if (ix->exact.post[k] >= ix->n_atoms)
            return 0;
    for (uint32_t k = 0; k < h.st_post; k++)
        if (ix->stem.post[k] >= ix->n_atoms)
            return 0;
    if (!img_slots(ix, &ix->exact, AT(S_EX_SLOTS), 0) ||
        !img_slots(ix, &ix->stem, AT(S_ST_SLOTS), 1))
        return 0;
    uint32_t n_pe = h.ex_post + h.st_post;
    const img_ft *f = AT(S_FT);
    ix->ft = zl_xmalloc((h.n_ft ? h.n_ft : 1) * sizeof *ix->ft);
    for (uint32_t k = 0; k < h.n_ft; k++) {
        if (f[k].post >= n_pe || f[k].post_n > n_pe - f[k].post)
            return 0;
        const char *text = img_term(ix, ix->pe[f[k].post].atom, f[k].len, f[k].prefix);
        if (!text)
            return 0;
        ix->ft[k] = (first_term){f[k].key, f[k].mask, text, f[k].len, f[k].prefix,
                                 ix->pe + f[k].post, f[k].post_n, ix->pe + f[k].post,
                                 f[k].n_single, f[k].second, NULL};
        /* the regrouped atoms (ft_groups): in place or in pe2, and the bit
         * groups ascending within them */
        if (f[k].zero || f[k].n_single > f[k].post_n)
            return 0;
        if (f[k].post2 != IMG_NONE) {
            if (f[k].post2 > h.n_pe2 || f[k].post_n > h.n_pe2 - f[k].post2)
                return 0;
            ix->ft[k].post2 = ix->pe2 + f[k].post2;
        }
        if (f[k].grp != IMG_NONE) {
            if (f[k].grp > h.n_grp || h.n_grp - f[k].grp < 65)
                return 0;
            const uint32_t *g = ix->grp + f[k].grp;
            for (unsigned q = 0; q < 64; q++)
                if (g[q] > g[q + 1])
                    return 0;
            if (g[0] < f[k].n_single || g[64] > f[k].post_n)
                return 0;
            ix->ft[k].grp = g;
        }
    }
    const img_lit *l = AT(S_PF_LIT);
    char *lit = AT(S_LIT_BYTES);
    ix->pf_lit = zl_xmalloc((h.n_pf_lit ? h.n_pf_lit : 1) * sizeof *ix->pf_lit);
    for (uint32_t id = 0; id < h.n_pf_lit; id++) {
        if (l[id].off > h.lit_bytes || l[id].len > h.lit_bytes - l[id].off)
            return 0;
        ix->pf_lit[id] = (pf_lit){lit + l[id].off, l[id].len};
    }
#undef AT
    /* the regexes are the pack's (none failed to compile at load) */
    uint32_t n_re = 0;
    for (uint32_t i = 0; i < ix->n_atoms; i++)
        n_re += ix->atoms[i]->kind == ZL_ATOM_REGEX;
    if (n_re != h.n_regex)
        return 0;
    for (uint32_t k = 0; k < h.n_regex; k++)
        if (ix->regex[k] >= ix->n_atoms || ix->atoms[ix->regex[k]]->kind != ZL_ATOM_REGEX ||
            !ix->atoms[ix->regex[k]]->re)
            return 0;
    /* the phrase entries name the pack's atoms, with their term counts */
    for (uint32_t k = 0; k < n_pe; k++)
        if (ix->pe[k].atom >= ix->n_atoms || ix->pe[k].n_terms != ix->atoms[ix->pe[k].atom]->n_terms)
            return 0;
    for (uint32_t k = 0; k < h.n_pe2; k++)
        if (ix->pe2[k].atom >= ix->n_atoms ||
            ix->pe2[k].n_terms != ix->atoms[ix->pe2[k].atom]->n_terms)
            return 0;
    return 1;
}

int zl_match_index_adopted(const zl_match_index *ix)
{
    return ix->borrowed;
}

static void dump_u32s(zl_buf *out, const char *name, const uint32_t *v, size_t n)
{
    zl_buf_printf(out, "%s %zu:", name, n);
    for (size_t k = 0; k < n; k++)
        zl_buf_printf(out, "%s%u", k % 16 ? " " : "\n ", v[k]);
    zl_buf_putc(out, '\n');
}

static void dump_str(zl_buf *out, const char *s, uint32_t len)
{
    zl_buf_putc(out, '"');
    for (uint32_t k = 0; k < len; k++)
        zl_buf_printf(out, "%02x", (unsigned char)s[k]);
    zl_buf_putc(out, '"');
}

static void dump_fslots(zl_buf *out, const char *name, const first_slot *t, uint32_t mask)
{
    zl_buf_printf(out, "%s %u:\n", name, mask + 1);
    for (uint32_t k = 0; k <= mask; k++)
        zl_buf_printf(out, " %llx %u %u\n", (unsigned long long)t[k].key, t[k].first, t[k].n);
}

void zl_match_index_dump(const zl_match_index *ix, zl_buf *out)
{
    zl_buf_printf(out, "atoms %u short_stems %llx\n", ix->n_atoms,
                  (unsigned long long)ix->short_stems);
    for (int t = 0; t < 2; t++) {
        const table *tb = t ? &ix->stem : &ix->exact;
        zl_buf_printf(out, "%s slots %u\n", t ? "stem" : "exact", tb->n_slots);
        for (uint32_t g = 0; g < tb->n_slots; g++) {
            zl_buf_putc(out, ' ');
            dump_str(out, tb->slots[g].s, tb->slots[g].len);
            zl_buf_printf(out, " %u %u\n", tb->slots[g].post_first, tb->slots[g].post_n);
        }
        dump_u32s(out, "idx", tb->idx, (size_t)tb->mask + 1);
        dump_u32s(out, "post", tb->post, tb->n_post);
    }
    uint32_t n_pe = ix->exact.n_post + ix->stem.n_post, n_ft = ix->n_ft;
    zl_buf_printf(out, "pe %u\n", n_pe);
    for (uint32_t k = 0; k < n_pe; k++) {
        const post_ent *p = &ix->pe[k];
        zl_buf_printf(out, " %llx %llx %u %u %u %u\n", (unsigned long long)p->key,
                      (unsigned long long)p->mask, p->atom, p->n_terms, p->len1, p->prefix1);
    }
    dump_fslots(out, "fslot", ix->fslot, ix->fslot_mask);
    dump_fslots(out, "fslot8", ix->fslot8, ix->fslot8_mask);
    zl_buf_printf(out, "ft %u\n", n_ft);
    for (uint32_t k = 0; k < n_ft; k++) {
        const first_term *f = &ix->ft[k];
        zl_buf_printf(out, " %llx %llx ", (unsigned long long)f->key, (unsigned long long)f->mask);
        dump_str(out, f->s, f->len);
        zl_buf_printf(out, " %u %td %u", f->prefix, f->post - ix->pe, f->post_n);
        zl_buf_printf(out, " post2 %td %u %llx grp %td\n",
                      f->post2 == f->post ? (ptrdiff_t)-1 : f->post2 - ix->pe2, f->n_single,
                      (unsigned long long)f->second, f->grp ? f->grp - ix->grp : (ptrdiff_t)-1);
    }
    zl_buf_printf(out, "pe2 %u\n", ix->n_pe2);
    for (uint32_t k = 0; k < ix->n_pe2; k++) {
        const post_ent *p = &ix->pe2[k];
        zl_buf_printf(out, " %llx %llx %u %u %u %u\n", (unsigned long long)p->key,
                      (unsigned long long)p->mask, p->atom, p->n_terms, p->len1, p->prefix1);
    }
    dump_u32s(out, "grp", ix->grp, ix->n_grp);
    uint32_t nr = ix->n_regex;
    dump_u32s(out, "regex", ix->regex, nr);
    zl_buf_puts(out, "heavy/inner");
    for (uint32_t k = 0; k < nr; k++)
        zl_buf_printf(out, " %u%u", ix->heavy[k], ix->inner[k]);
    zl_buf_putc(out, '\n');
    dump_u32s(out, "pf_rc", ix->pf_rc, (size_t)nr + 1);
    dump_u32s(out, "pf_cl", ix->pf_cl, (size_t)ix->n_pf_cl + 1);
    dump_u32s(out, "pf_ent", ix->pf_ent, ix->n_pf_ent);
    zl_buf_printf(out, "pf_lit %u\n", ix->n_pf_lit);
    for (uint32_t id = 0; id < ix->n_pf_lit; id++) {
        zl_buf_putc(out, ' ');
        dump_str(out, ix->pf_lit[id].s, ix->pf_lit[id].len);
        zl_buf_putc(out, '\n');
    }
    dump_u32s(out, "pf_lead", ix->pf_lead, (size_t)nr + 1);
    dump_u32s(out, "pf_lead_ent", ix->pf_lead_ent, ix->n_pf_lead_ent);
    dump_u32s(out, "pf_guard", ix->pf_guard, (size_t)nr + 1);
    dump_u32s(out, "pf_guard_ent", ix->pf_guard_ent, ix->n_pf_guard_ent);
    dump_u32s(out, "pf_leads_of", ix->pf_leads_of, (size_t)ix->n_pf_lit + 1);
    dump_u32s(out, "pf_leads_of_ent", ix->pf_leads_of_ent,
              (size_t)ix->n_pf_lead_ent + ix->n_pf_guard_ent);
    uint32_t nb = 1u << PF_HBITS;
    dump_u32s(out, "pf_bucket", ix->pf_bucket, (size_t)nb + 1);
    zl_buf_puts(out, "pf_cls ");
    for (unsigned c = 0; c < 256; c++)
        zl_buf_printf(out, "%x", ix->pf_cls[c]);
    zl_buf_putc(out, '\n');
    dump_u32s(out, "pf_wset", ix->pf_wset, (size_t)nr * WSET_WORDS);
    zl_buf_printf(out, "start %u\n", nr);
    for (uint32_t k = 0; k < nr; k++) {
        const start_trait *t = &ix->start[k];
        zl_buf_printf(out, " %d %d %d %d %d %u", t->boundary, t->digit_run, t->gspan, t->gws,
                      t->dfollow_ok, t->dmin);
        for (int w = 0; w < 4; w++)
            zl_buf_printf(out, " %x", t->not_after[w]);
        for (int w = 0; w < 4; w++)
            zl_buf_printf(out, " %x", t->grun[w]);
        for (int w = 0; w < 8; w++)
            zl_buf_printf(out, " %x", t->dfollow[w]);
        zl_buf_putc(out, '\n');
    }
    zl_buf_printf(out, "pf_bucket_ent %u\n", ix->pf_bucket[nb]);
    for (uint32_t k = 0; k < ix->pf_bucket[nb]; k++) {
        const pf_bent *e = &ix->pf_bucket_ent[k];
        zl_buf_printf(out, " %llx %llx %llx %llx %llx %u %u\n", (unsigned long long)e->key,
                      (unsigned long long)e->mask, (unsigned long long)e->key2,
                      (unsigned long long)e->mask2, (unsigned long long)e->sig, e->id, e->len);
    }
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

/* The atoms of a first term found at token i: those whose other terms
 * match the tokens after it.  A phrase's second term is checked first
 * against token i + 1 (length and first 8 bytes, the word loaded once),
 * which decides most candidates. */
static void post_candidates(
    const zl_match_index *ix, const post_ent *pe, uint32_t post_n, const zl_doc *doc,
    const uint8_t *needed, uint32_t i, hits *out)
{
    uint64_t w1 = 0;
    uint32_t len1 = 0;
    int have1 = 0; /* 1: w1/len1 loaded; -1: no token after i */
    for (uint32_t k = 0; k < post_n; k++) {
        const post_ent *p = &pe[k];
        if (p->n_terms > 1) {
            if (!have1) {
                have1 = -1;
                if ((uint64_t)i + 1 < doc->n_tokens) {
                    const zl_token *tk = &doc->tokens[i + 1];
                    const char *s = doc->norm.text + tk->off;
                    len1 = tk->len;
                    if ((size_t)tk->off + 8 <= doc->norm.len) {
                        memcpy(&w1, s, 8);
                        w1 &= mask_upto8(len1);
                    } else {
                        w1 = load_upto8(s, len1);
                    }
                    have1 = 1;
                }
            }
            if (have1 < 0 || (p->prefix1 ? p->len1 > len1 : p->len1 != len1) ||
                (w1 & p->mask) != p->key)
                continue;
            if (needed && !needed[p->atom])
                continue;
            if (!rest_matches(ix->atoms[p->atom], doc, i)) /* checks n_tokens too */
                continue;
        } else if (needed && !needed[p->atom]) {
            continue;
        }
        hits_push(out, p->atom, i, i + p->n_terms);
    }
}

/* The next token's second_bit (bit 63 after the last token). */
static inline uint64_t next_bit(const zl_doc *doc, uint32_t i)
{
    if ((uint64_t)i + 1 >= doc->n_tokens)
        return 1ull << SECOND_NONE;
    const zl_token *tk = &doc->tokens[i + 1];
    return second_bit(doc->norm.text + tk->off, tk->len);
}

/* The atoms of first term f found at token i (post_candidates): its
 * single-term atoms, and its phrases when the next token's bit (*nb, worked
 * out at the first need) is one of theirs. */
static inline void ft_candidates(const zl_match_index *ix, const first_term *f,
                                 const zl_doc *doc, const uint8_t *needed, uint32_t i,
                                 uint64_t *nb, hits *out)
{
    for (uint32_t k = 0; k < f->n_single; k++)
        if (!needed || needed[f->post2[k].atom])
            hits_push(out, f->post2[k].atom, i, i + 1);
    if (f->n_single == f->post_n)
        return;
    if (!*nb)
        *nb = next_bit(doc, i);
    if (!(f->second & *nb))
        return;
    if (!f->grp) {
        post_candidates(ix, f->post2 + f->n_single, f->post_n - f->n_single, doc, needed, i,
                        out);
        return;
    }
    unsigned b = (unsigned)__builtin_ctzll(*nb);
    if (b != SECOND_NONE && f->grp[b] < f->grp[b + 1])
        post_candidates(ix, f->post2 + f->grp[b], f->grp[b + 1] - f->grp[b], doc, needed, i, out);
    if (f->grp[SECOND_NONE] < f->grp[64])
        post_candidates(ix, f->post2 + f->grp[SECOND_NONE], f->grp[64] - f->grp[SECOND_NONE], doc,
                        needed, i, out);
}

/* Each token is compared with the first terms listed under its key (its
 * first 4 bytes, or its bytes when shorter) and, from 8 bytes on, with
 * those listed under its first 8 bytes: an exact term of its length, or a
 * prefix of at most its length ending on a character boundary; the
 * prefixes under 4 bytes are looked up by length. */
static void find_phrases(const zl_match_index *ix, const zl_doc *doc, const uint8_t *needed,
                         hits *out)
{
    const char *text = doc->norm.text;
    size_t n = doc->norm.len;
    const zl_token *tokens = doc->tokens;
    uint32_t n_tokens = doc->n_tokens;
    const uint64_t short_stems = ix->short_stems;
    first_slot *const fslot = ix->fslot, *const fslot8 = ix->fslot8;
    const uint32_t fslot_mask = ix->fslot_mask, fslot8_mask = ix->fslot8_mask;
    for (uint32_t i = 0; i < n_tokens; i++) {
        const zl_token *tk = &tokens[i];
        const char *s = text + tk->off;
        uint32_t len = tk->len;
        uint64_t nb = 0; /* the next token's second_bit, once needed */
        const first_slot *fs = fslot_find(fslot, fslot_mask, term_key(s, len));
        if (fs->n) {
            uint64_t w;
            if ((size_t)tk->off + 8 <= n) {
                memcpy(&w, s, 8);
                w &= mask_upto8(len);
            } else {
                w = load_upto8(s, len);
            }
            for (uint32_t j = fs->first, je = fs->first + fs->n; j < je; j++) {
                const first_term *f = &ix->ft[j];
                if (f->len > len)
                    break; /* the terms are by length */
                if ((!f->prefix && f->len != len) || (w & f->mask) != f->key)
                    continue;
                if (f->len < len && ((unsigned char)s[f->len] & 0xC0) == 0x80)
                    continue; /* not a character boundary */
                ft_candidates(ix, f, doc, needed, i, &nb, out);
            }
        }
        if (len >= 8) {
            uint64_t w, w2; /* bytes 0-7; 8-15 (as far as the text goes) */
            memcpy(&w, s, 8);
            fs = fslot_find(fslot8, fslot8_mask, w);
            if (!fs->n)
                w2 = 0; /* no term to compare */
            else if ((size_t)tk->off + 16 <= n)
                memcpy(&w2, s + 8, 8);
            else
                w2 = load_upto8(s + 8, n - tk->off - 8);
            for (uint32_t j = fs->first, je = fs->first + fs->n; j < je; j++) {
                const first_term *f = &ix->ft[j];
                if (f->len > len)
                    break; /* the terms are by length */
                if ((!f->prefix && f->len != len) || (w2 & f->mask) != f->key ||
                    (f->len > 16 && !tail_eq(s + 16, f->s + 16, f->len - 16)))
                    continue;
                if (f->len < len && ((unsigned char)s[f->len] & 0xC0) == 0x80)
                    continue; /* not a character boundary */
                ft_candidates(ix, f, doc, needed, i, &nb, out);
            }
        }
        if (!short_stems)
            continue;
        for (uint64_t st = short_stems & ((2ull << (len < 3 ? len : 3)) - 1); st; st &= st - 1) {
            uint32_t l = (uint32_t)__builtin_ctzll(st);
            if (l < len && ((unsigned char)s[l] & 0xC0) == 0x80)
                continue;
            const slot *e = table_get(&ix->stem, s, l);
            if (e)
                post_candidates(ix, post_of(ix, 1, e), e->post_n, doc, needed, i, out);
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

/* What the pass over the normalized text (pf_scan) tells the regex runs. */
typedef struct text_info {
    int utf;            /* UTF_VALID when well-formed, else UTF_UNKNOWN (PCRE2 decides) */
    int odd_digits;     /* holds a non-ASCII decimal digit (Nd) */
    uint32_t *digit;    /* byte offsets of the ASCII digits, ascending */
    size_t n_digit, cap_digit;
} text_info;

/* The bytes of t[0..n) equal to c, counted up to `cap` (memchr from one to
 * the next). */
static uint32_t count_byte(const char *t, size_t n, unsigned char c, uint32_t cap)
{
    uint32_t k = 0;
    const char *p = t, *end = t + n;
    while (k < cap && p < end && (p = memchr(p, c, (size_t)(end - p))) != NULL) {
        k++;
        p++;
    }
    return k;
}

/* For a light regex searched over the whole text: does PCRE2 know the first
 * code unit (or the set of first code units) of every match?  Then *starts
 * is the number of characters of the text starting with one, counted up to
 * LAZY_JIT_MIN (the occurrences of those bytes: in a well-formed text a
 * first code unit, ASCII or a lead byte, starts a character wherever it
 * occurs): the positions the interpreter tries after skipping to them.
 * With fewer than LAZY_JIT_MIN, the interpreter is cheaper than a JIT
 * compile; such a regex (it depends on the pattern alone) takes a JIT copy
 * when it does take the JIT, as the interpreter may run the pack's code
 * meanwhile in another thread.  A set of more than START_COUNT_MAX bytes is
 * not counted (the JIT): its bytes are likely to be common.  The count only
 * chooses between the interpreter and the JIT, never what is found. */
#define START_COUNT_MAX 8u
static int start_count(const zl_atom *a, const char *t, size_t n, uint32_t *starts)
{
    uint32_t type = 0, unit = 0;
    const uint8_t *bits = NULL;
    if (pcre2_pattern_info(a->re, PCRE2_INFO_FIRSTCODETYPE, &type) != 0)
        return 0;
    if (type == 1) {
        if (pcre2_pattern_info(a->re, PCRE2_INFO_FIRSTCODEUNIT, &unit) != 0 || unit > 255)
            return 0;
        *starts = count_byte(t, n, (unsigned char)unit, LAZY_JIT_MIN);
        return 1;
    }
    if (type != 0 || pcre2_pattern_info(a->re, PCRE2_INFO_FIRSTBITMAP, &bits) != 0 || !bits)
        return 0;
    uint32_t nb = 0;
    for (int c = 0; c < 256; c++)
        nb += (bits[c / 8] >> (c % 8)) & 1;
    if (nb > START_COUNT_MAX)
        return 0;
    uint32_t sum = 0;
    for (int c = 0; c < 256 && sum < LAZY_JIT_MIN; c++)
        if ((bits[c / 8] >> (c % 8)) & 1)
            sum += count_byte(t, n, (unsigned char)c, LAZY_JIT_MIN - sum);
    *starts = sum;
    return 1;
}

/* The code of a run from offsets whose JIT copy is made at its first try:
 * a guarded or windowed run may try no offset at all, and then pays no
 * JIT compile. */
static const pcre2_code *first_try(lazy_code *lc, const zl_atom *a, uint32_t *mopts)
{
    const pcre2_code *code = lazy_get(lc, a, LAZY_ANCHORED);
    if (code)
        return code;
    *mopts = PCRE2_ANCHORED;
    return a->re;
}

/* One search of `code` from `at`: pcre2_jit_match when `jit` (the code is
 * JIT-compiled, no match-time option but PCRE2_NO_UTF_CHECK is asked for
 * and the subject is known to be valid UTF-8), which skips pcre2_match's
 * checks of options and subject and reaches the same JIT code. */
static inline int re_search(const pcre2_code *code, int jit, const char *subj, size_t n, size_t at,
                            uint32_t opts, pcre2_match_data *md, pcre2_match_context *mc)
{
    if (jit)
        return pcre2_jit_match(code, (PCRE2_SPTR)subj, n, at, 0, md, mc);
    return pcre2_match(code, (PCRE2_SPTR)subj, n, at, opts, md, mc);
}

/* May `code` run through re_search's JIT path with `mopts`? */
static int jit_ok(const pcre2_code *code, uint32_t mopts, int utf)
{
    size_t size = 0;
    return mopts == 0 && utf == UTF_VALID &&
           pcre2_pattern_info(code, PCRE2_INFO_JITSIZE, &size) == 0 && size > 0;
}

/* The end of the item of p that starts at i when it matches digits only
 * (\d, a digit, a class of digits and digit ranges, a group of such items
 * and '|'), with its quantifier; 0 when it is no such item. */
static size_t digit_item_end(const char *p, size_t i)
{
    size_t j = i;
    if (p[j] == '\\' && p[j + 1] == 'd') {
        j += 2;
    } else if (p[j] >= '0' && p[j] <= '9') {
        j++;
    } else if (p[j] == '[') {
        j++;
        while (p[j] && p[j] != ']') {
            if (!((p[j] >= '0' && p[j] <= '9') || (p[j] == '-' && j > i + 1 && p[j + 1] != ']')))
                return 0;
            j++;
        }
        if (p[j] != ']' || j == i + 1)
            return 0;
        j++;
    } else if (p[j] == '(') {
        j += p[j + 1] == '?' ? (p[j + 2] == ':' ? 3 : 0) : 1;
        if (j == i)
            return 0; /* (? other than (?: */
        for (;;) {
            size_t e = digit_item_end(p, j);
            if (e) {
                j = e;
            } else if (p[j] == '|') {
                j++;
            } else if (p[j] == ')') {
                j++;
                break;
            } else {
                return 0;
            }
        }
    } else {
        return 0;
    }
    if (p[j] == '?' || p[j] == '*' || p[j] == '+') {
        j++;
    } else if (p[j] == '{') {
        size_t q = j + 1;
        while ((p[q] >= '0' && p[q] <= '9') || p[q] == ',')
            q++;
        if (p[q] != '}' || q == j + 1)
            return 0;
        j = q + 1;
    } else {
        return j;
    }
    if (p[j] == '?' || p[j] == '+')
        j++; /* lazy, possessive */
    return j;
}

/* A digit-start pattern \b D REST whose D matches digits only: from a
 * start o (an ASCII digit, in a text whose digits are all ASCII) D ends
 * inside or at the end of the run of digits from o, and REST starts there;
 * when no ASCII digit can start REST (the start bitmap PCRE2 makes for REST
 * compiled alone, without UCP, and every lead byte from 0xC2 on: UCP
 * changes what \s \w \d \b match among non-ASCII characters only), REST
 * starts right after the run, with a byte of that set (t->dfollow).
 * Otherwise t->dfollow_ok stays 0. */
static void digit_follow_of(const char *p, start_trait *t)
{
    if (!p || pf_top_bar(p, strlen(p)))
        return;
    size_t i = 0, e;
    for (;;) { /* \b and lookbehinds */
        if (p[i] == '\\' && p[i + 1] == 'b') {
            i += 2;
        } else if (p[i] == '(' && p[i + 1] == '?' && p[i + 2] == '<' &&
                   (p[i + 3] == '!' || p[i + 3] == '=')) {
            const char *r = strchr(p + i, ')');
            if (!r)
                return;
            i = (size_t)(r - p) + 1;
        } else {
            break;
        }
    }
    size_t d0 = i;
    while ((e = digit_item_end(p, i)) != 0)
        i = e;
    if (i == d0)
        return;
    int err;
    PCRE2_SIZE erroff;
    /* D alone: its fewest digits */
    pcre2_code *dre = pcre2_compile((PCRE2_SPTR)(p + d0), i - d0, PCRE2_UTF, &err, &erroff, NULL);
    uint32_t dmin = 0;
    if (!dre)
        return;
    if (pcre2_pattern_info(dre, PCRE2_INFO_MINLENGTH, &dmin) != 0)
        dmin = 0;
    pcre2_code_free(dre);
    t->dmin = dmin;
    t->dfollow_ok = 1;
    for (unsigned c = 0; c < 256; c++)
        t->dfollow[c / 32] |= 1u << (c % 32); /* REST: any byte, unless below */
    if (!p[i])
        return;
    /* without UCP (PCRE2 makes no start bitmap for the UCP \s): the ASCII
     * characters REST can start with are the same, and every lead byte of a
     * non-ASCII character is added below */
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)(p + i), PCRE2_ZERO_TERMINATED, PCRE2_UTF, &err,
                                   &erroff, NULL);
    if (!re)
        return;
    uint32_t type = 0, unit = 0, set[8] = {0};
    const uint8_t *bits = NULL;
    int ok = 0;
    if (pcre2_pattern_info(re, PCRE2_INFO_FIRSTCODETYPE, &type) == 0) {
        if (type == 1 && pcre2_pattern_info(re, PCRE2_INFO_FIRSTCODEUNIT, &unit) == 0 &&
            unit < 256) {
            set[unit / 32] |= 1u << (unit % 32);
            ok = 1;
        } else if (type == 0 && pcre2_pattern_info(re, PCRE2_INFO_FIRSTBITMAP, &bits) == 0 &&
                   bits) {
            for (unsigned c = 0; c < 256; c++)
                if ((bits[c / 8] >> (c % 8)) & 1)
                    set[c / 32] |= 1u << (c % 32);
            ok = 1;
        }
    }
    pcre2_code_free(re);
    for (unsigned c = 0xC2; c <= 0xF4; c++)
        set[c / 32] |= 1u << (c % 32);
    for (unsigned c = '0'; ok && c <= '9'; c++)
        ok = !((set[c / 32] >> (c % 32)) & 1);
    if (!ok)
        return;
    memcpy(t->dfollow, set, sizeof set);
}

/* Can a match of a digit_follow_of pattern start at `at`?  The byte after
 * the run of ASCII digits from `at` must be one REST can start with. */
static int digit_follow(const start_trait *st, const char *s, size_t at, size_t n)
{
    size_t e = at;
    while (e < n && (unsigned char)(s[e] - '0') <= 9)
        e++;
    if (e - at < st->dmin)
        return 0; /* too few digits for D */
    if (e >= n)
        return ((st->dfollow[0] >> 0) & 1) != 0; /* REST may be empty: all bytes */
    unsigned char c = (unsigned char)s[e];
    return (st->dfollow[c / 32] >> (c % 32)) & 1;
}

/* Can a match from `at` reach the guard literal at g (see guard_span_of)?
 * g lies at most st->gspan characters after the run from `at` (across at
 * most st->gws runs of ASCII whitespace). */
static int guard_in_reach(const start_trait *st, const char *s, size_t at, size_t n, size_t g)
{
    size_t r = at;
    unsigned char c;
    for (int ws = st->gws;; ws--) {
        while (r < n && r < g &&
               ((c = (unsigned char)s[r]) >= 0x80 || ((st->grun[c / 32] >> (c % 32)) & 1)))
            r++;
        if (ws == 0 || r >= n || r >= g || !ascii_space((unsigned char)s[r]))
            break;
        while (r < n && r < g && ascii_space((unsigned char)s[r]))
            r++;
    }
    for (int k = 0; k < st->gspan && r < g; k++) {
        size_t l = zl_utf8_seqlen((unsigned char)s[r]);
        r += l ? l : 1;
    }
    return g <= r;
}

/* Runs regex atom `atom` over the whole normalized text; returns 0, or -1
 * when a PCRE2 limit stopped it.  With `offs` (n_offs ascending byte
 * offsets: where a lead literal or an ASCII digit starts), every match
 * starts at one of them, and only those are tried: `code` is an anchored
 * copy, or the pack's code with `mopts` PCRE2_ANCHORED (the interpreter).
 * Without, `code` runs one unanchored search after another. */
static int find_regex(const zl_atom *a, uint32_t atom, const zl_doc *doc,
                      pcre2_match_data *md, pcre2_match_context *mc, int *utf,
                      const pcre2_code *code, uint32_t mopts, lazy_code *lc, const uint32_t *offs,
                      size_t n_offs, int inner, const uint32_t *goffs, size_t n_goffs,
                      const uint32_t *wset, const start_trait *st, int dfol, hits *out)
{
    size_t gi = 0, xs = 0; /* guard: next guard literal; first stop byte >= at */
    int have_xs = 0;
    const char *subj = doc->norm.text;
    size_t n = doc->norm.len, at = 0, oi = 0;
    size_t cur = 0, wq = 0; /* inner: next offset to try; end of its window */
    int win = 0, jit = -1;  /* jit: jit_ok(code), -1 not yet known */
    if (*utf == UTF_INVALID)
        return 0; /* every search would fail its UTF check: nothing to find */
    uint32_t opts = *utf == UTF_VALID ? PCRE2_NO_UTF_CHECK : 0;
    if (offs && *utf == UTF_UNKNOWN) {
        /* the subject's UTF-8 is checked from the start offset on: one
         * anchored try at 0 checks all of it, as a first unanchored search
         * would */
        int rc = pcre2_match(a->re, (PCRE2_SPTR)subj, n, 0, PCRE2_ANCHORED, md, mc);
        *utf = rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21 ? UTF_INVALID : UTF_VALID;
        if (*utf == UTF_INVALID)
            return 0;
        opts = PCRE2_NO_UTF_CHECK;
    }
    size_t before = out->n;
    while (at <= n) {
        int rc;
        if (offs && inner) {
            /* a match starts in the window [after the last punctuation byte
             * (with wset: the last byte not in it) before q, q] of an inner
             * literal at q (see pf_inner, pf_window): each offset of a
             * window is tried once, in text order */
            if (cur < at)
                cur = at;
            if (!win || cur > wq) {
                while (oi < n_offs && offs[oi] < cur)
                    oi++;
                if (oi >= n_offs)
                    return 0;
                wq = offs[oi];
                win = 1;
                size_t d = wq;
                if (inner == INNER_WORD) {
                    while (d > cur && ascii_space((unsigned char)subj[d - 1]))
                        d--;
                    while (d > cur && !ascii_space((unsigned char)subj[d - 1]) &&
                           !pf_stop((unsigned char)subj[d - 1]))
                        d--;
                } else if (wset) {
                    unsigned char b;
                    while (d > cur && (b = (unsigned char)subj[d - 1],
                                       (wset[b / 32] >> (b % 32)) & 1))
                        d--;
                } else {
                    while (d > cur && !pf_stop((unsigned char)subj[d - 1]))
                        d--;
                }
                cur = d;
            }
            at = cur;
            if (start_ruled_out(st, subj, at, n)) {
                cur = at + zl_utf8_seqlen((unsigned char)subj[at]);
                continue;
            }
            if (!code)
                code = first_try(lc, a, &mopts);
            if (jit < 0)
                jit = jit_ok(code, mopts, *utf);
            rc = re_search(code, jit, subj, n, at, opts | mopts, md, mc);
            if (rc == PCRE2_ERROR_NOMATCH) {
                cur = at + zl_utf8_seqlen((unsigned char)subj[at]);
                continue;
            }
        } else if (offs) {
            while (oi < n_offs && offs[oi] < at)
                oi++;
            if (oi >= n_offs)
                return 0;
            at = offs[oi];
            if (start_ruled_out(st, subj, at, n) || (dfol && !digit_follow(st, subj, at, n))) {
                at++;
                continue;
            }
            if (goffs) {
                /* a match from `at` holds a guard literal with no stop byte
                 * before it (see pf_guard) */
                while (gi < n_goffs && goffs[gi] < at)
                    gi++;
                if (gi >= n_goffs)
                    return 0;
                if (!have_xs || xs < at) {
                    xs = next_sent_stop(subj, at, n);
                    have_xs = 1;
                }
                if (xs < goffs[gi] || (st->gspan >= 0 && !guard_in_reach(st, subj, at, n, goffs[gi]))) {
                    at++;
                    continue;
                }
            }
            if (!code)
                code = first_try(lc, a, &mopts);
            if (jit < 0)
                jit = jit_ok(code, mopts, *utf);
            rc = re_search(code, jit, subj, n, at, opts | mopts, md, mc);
            if (rc == PCRE2_ERROR_NOMATCH) {
                at++;
                continue;
            }
        } else {
            if (jit < 0)
                jit = jit_ok(code, 0, *utf);
            rc = re_search(code, jit, subj, n, at, opts, md, mc);
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

/* Does literal `id` occur in t[0..n)?  memchr for its least common byte
 * (an ASCII byte other than a space or a letter, else one that is not a
 * Cyrillic lead byte, else the first), then a compare at each find. */
static int pf_find(const zl_match_index *ix, uint32_t id, const char *t, size_t n)
{
    const pf_lit *l = &ix->pf_lit[id];
    size_t m = l->len;
    if (m == 0 || m > n)
        return m == 0;
    size_t j = 0;
    int best = 3;
    for (size_t q = 0; q < m; q++) {
        unsigned char c = (unsigned char)l->s[q];
        int r = c >= 0xD0 && c <= 0xD3 ? 3 : c >= 0x80 ? 2
              : c == ' ' || (unsigned)((c | 0x20) - 'a') < 26u ? 1 : 0;
        if (r < best) {
            best = r;
            j = q;
        }
    }
    const char *p = t + j, *end = t + n - (m - j - 1); /* the byte's last place */
    while (p < end && (p = memchr(p, l->s[j], (size_t)(end - p))) != NULL) {
        if (memcmp(p - j, l->s, m) == 0)
            return 1;
        p++;
    }
    return 0;
}

/* The literals of >= 4 bytes starting at t[i]: marked seen, their lead and
 * guard sets given offset i (t[i..n) holds at least 4 bytes). */
static inline __attribute__((always_inline)) void pf_at4(const zl_match_index *ix, const char *t,
                                                          size_t n, size_t i, uint8_t *seen,
                                                          pf_cands *cand)
{
    uint32_t h = pf_hash4(t + i);
    uint32_t b = ix->pf_bucket[h], be = ix->pf_bucket[h + 1];
    if (b == be)
        return;
    uint64_t w = load_upto8(t + i, n - i);
    if (!(ix->pf_bucket_ent[b].sig & pf_sig_bit(w)))
        return;
    for (; b < be; b++) {
        const pf_bent *l = &ix->pf_bucket_ent[b];
        uint32_t id = l->id;
        if ((w & l->mask) != l->key || l->len > n - i)
            continue;
        if (l->len > 8) {
            uint64_t w2; /* bytes 8-15 (as far as the text goes) */
            if (n - i >= 16)
                memcpy(&w2, t + i + 8, 8);
            else
                w2 = load_upto8(t + i + 8, n - i - 8);
            if ((w2 & l->mask2) != l->key2 ||
                (l->len > 16 && !tail_eq(t + i + 16, ix->pf_lit[id].s + 16, l->len - 16)))
                continue;
        }
        seen[id] = 1;
        for (uint32_t e = ix->pf_leads_of[id]; e < ix->pf_leads_of[id + 1]; e++) {
            pf_cands *cd = &cand[ix->pf_leads_of_ent[e]];
            if (cd->n && cd->v[cd->n - 1] == (uint32_t)i)
                continue;
            if (cd->n == cd->cap) /* from 64 on */
                cd->v = zl_xgrow(cd->v, &cd->cap, cd->n + 1 > 64 ? cd->n + 1 : 64, sizeof *cd->v);
            cd->v[cd->n++] = (uint32_t)i;
        }
    }
}

/* pf_at4 where fewer than 4 bytes may be left. */
static inline __attribute__((always_inline)) void pf_at(const zl_match_index *ix, const char *t,
                                                         size_t n, size_t i, uint8_t *seen,
                                                         pf_cands *cand)
{
    if (n - i >= 4)
        pf_at4(ix, t, n, i, seen, cand);
}

/* One pass over the text: every literal of >= 4 bytes is marked present
 * (seen 1) or absent (2), and each regex with a lead set gets the byte
 * offsets where one of its lead literals starts, ascending.  The same pass
 * checks the text's UTF-8 as PCRE2 would (zl_utf8_decode is as strict:
 * overlongs, surrogates, > U+10FFFF and truncated sequences are ill-formed),
 * so the searches can skip PCRE2's own check, collects the ASCII digits and
 * whether a non-ASCII Nd digit occurs (none is below U+0660: only lead bytes
 * from 0xD9 on are decoded).  From an ill-formed sequence on, ti->utf
 * stays UTF_UNKNOWN (the first search lets PCRE2 decide) and the digit list
 * stops; literals are
 * still looked for at every byte but continuation bytes. */
static void pf_scan(const zl_match_index *ix, const zl_doc *doc, uint8_t *seen, pf_cands *cand,
                    text_info *ti)
{
    const char *t = doc->norm.text;
    const unsigned char *u = (const unsigned char *)t;
    size_t n = doc->norm.len, i = 0;
    ti->utf = UTF_VALID;
    while (i < n) {
        unsigned char c = u[i], k = ix->pf_cls[c];
        if (k == PF_ASCII) { /* nothing to record or look up */
            i++;
            continue;
        }
        if ((k & PF_CYR) && n - i >= 2 && (u[i + 1] & 0xC0) == 0x80) {
            /* a letter of U+0400-U+04FF (lead bytes D0-D3); up to four at once */
            uint64_t w;
            if (n - i < 8) {
                pf_at(ix, t, n, i, seen, cand);
                i += 2;
                continue;
            }
            memcpy(&w, u + i, 8);
            uint64_t x = (w & 0xC0FCC0FCC0FCC0FCull) ^ 0x80D080D080D080D0ull;
            if (x == 0) {
                /* the first three have 4 bytes ahead; the last when 10 are left */
                pf_at4(ix, t, n, i, seen, cand);
                pf_at4(ix, t, n, i + 2, seen, cand);
                pf_at4(ix, t, n, i + 4, seen, cand);
                pf_at(ix, t, n, i + 6, seen, cand);
                i += 8;
                continue;
            }
            /* the letters before the first other pair (1 to 3; 8 bytes ahead) */
            size_t e = i + 2 * (size_t)(__builtin_ctzll(x) >> 4);
            for (; i < e; i += 2)
                pf_at4(ix, t, n, i, seen, cand);
            continue;
        }
        size_t step = 1;
        if (c < 0x80) {
            if ((unsigned char)(c - '0') <= 9) {
                if (ti->n_digit == ti->cap_digit)
                    ti->digit = zl_xgrow(ti->digit, &ti->cap_digit, ti->n_digit + 1,
                                         sizeof *ti->digit);
                ti->digit[ti->n_digit++] = (uint32_t)i;
            }
        } else if (c >= 0xC2 && c < 0xD9 && i + 1 < n && (u[i + 1] & 0xC0) == 0x80) {
            step = 2;
        } else {
            uint32_t cp;
            step = zl_utf8_decode(t + i, n - i, &cp);
            if (step == 0) {
                ti->odd_digits = 1; /* the digit list stops here: search the whole text */
                ti->utf = UTF_UNKNOWN;
                break;
            }
            if (utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_ND)
                ti->odd_digits = 1;
        }
        if (k & PF_FIRST)
            pf_at(ix, t, n, i, seen, cand);
        i += step;
    }
    for (; i < n; i++) /* from an ill-formed sequence on */
        if ((u[i] & 0xC0) != 0x80 && (ix->pf_cls[u[i]] & PF_FIRST))
            pf_at(ix, t, n, i, seen, cand); /* literals start with a whole character */
    for (uint32_t id = 0; id < ix->n_pf_lit; id++)
        if (ix->pf_lit[id].len >= 4 && !seen[id])
            seen[id] = 2;
}

/* Can regex k match in this document?  0 when a clause of its prefilter has
 * no literal in the normalized text.  `seen` caches per literal: 0 not yet
 * looked for, 1 present, 2 absent. */
static int pf_may_match(const zl_match_index *ix, uint32_t k, const zl_doc *doc, uint8_t *seen)
{
    for (uint32_t c = ix->pf_rc[k]; c < ix->pf_rc[k + 1]; c++) {
        int any = 0;
        for (uint32_t e = ix->pf_cl[c]; e < ix->pf_cl[c + 1] && !any; e++) {
            uint32_t id = ix->pf_ent[e];
            if (!seen[id])
                seen[id] = pf_find(ix, id, doc->norm.text, doc->norm.len) ? 1 : 2;
            any = seen[id] == 1;
        }
        if (!any)
            return 0;
    }
    return 1;
}

static int u32_cmp(const void *pa, const void *pb)
{
    uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
    return a < b ? -1 : a > b;
}

/* Completes the window offsets of regex k (INNER_WINDOW) in c: the literal
 * scan has collected those of its literals of >= 4 bytes; the shorter ones
 * are searched here (memchr for the first byte, then a compare). */
static void window_offsets(const zl_match_index *ix, uint32_t k, const zl_doc *doc, pf_cands *c)
{
    const char *t = doc->norm.text;
    size_t n = doc->norm.len, had = c->n;
    for (uint32_t e = ix->pf_lead[k]; e < ix->pf_lead[k + 1]; e++) {
        const pf_lit *l = &ix->pf_lit[ix->pf_lead_ent[e]];
        if (l->len >= 4 || l->len == 0 || l->len > n)
            continue;
        const char *p = t, *end = t + n - (l->len - 1);
        while (p < end && (p = memchr(p, l->s[0], (size_t)(end - p))) != NULL) {
            if (memcmp(p, l->s, l->len) == 0) {
                if (c->n == c->cap)
                    c->v = zl_xgrow(c->v, &c->cap, c->n + 1, sizeof *c->v);
                c->v[c->n++] = (uint32_t)(p - t);
            }
            p++;
        }
    }
    if (c->n == had || c->n < 2)
        return;
    qsort(c->v, c->n, sizeof *c->v, u32_cmp);
    size_t w = 1;
    for (size_t i = 1; i < c->n; i++)
        if (c->v[i] != c->v[w - 1])
            c->v[w++] = c->v[i];
    c->n = w;
}

static int hit_cmp(const void *pa, const void *pb)
{
    const hit *a = pa, *b = pb;
    if (a->first != b->first)
        return a->first < b->first ? -1 : 1;
    return a->end < b->end ? -1 : a->end > b->end;
}

/* The matches of \d+ in a well-formed text whose digits are all ASCII:
 * each run of consecutive ASCII digits (digit: their offsets, ascending),
 * whole, as the greedy search from its first digit takes it; pushed as
 * find_regex pushes a match, without a PCRE2 call. */
static void digit_runs(uint32_t atom, const zl_doc *doc, const uint32_t *digit, size_t n_digit,
                       hits *out)
{
    size_t before = out->n;
    for (size_t i = 0; i < n_digit;) {
        size_t j = i + 1;
        while (j < n_digit && digit[j] == digit[j - 1] + 1)
            j++;
        uint32_t first = tok_ending_after(doc, digit[i]);
        uint32_t end = tok_starting_from(doc, (size_t)digit[j - 1] + 1);
        if (first < end) {
            hit *last = out->n > before ? &out->v[out->n - 1] : NULL;
            if (!last || last->first != first || last->end != end)
                hits_push(out, atom, first, end);
        }
        i = j;
    }
}

void zl_match_find(const zl_match_index *ix, const zl_doc *doc, const uint8_t *needed,
                   zl_occurrences *out)
{
    memset(out, 0, sizeof *out);
    out->n_atoms = ix->n_atoms;
    hits h = {0};
    /* room for most documents' hits at once (about one per four tokens in
     * the pack's policies), instead of a dozen doublings */
    h.cap = doc->n_tokens / 2 + 16;
    h.v = zl_xmalloc(h.cap * sizeof *h.v);
    if (doc->n_tokens)
        find_phrases(ix, doc, needed, &h);

    if (ix->n_regex && doc->n_tokens) {
        pcre2_match_data *md = pcre2_match_data_create(1, NULL);
        pcre2_match_context *mc = pcre2_match_context_create(NULL);
        pcre2_set_match_limit(mc, ZL_MATCH_LIMIT);
        pcre2_set_depth_limit(mc, ZL_DEPTH_LIMIT);
        text_info ti = {0};
        uint8_t *seen = zl_xcalloc(ix->n_pf_lit ? ix->n_pf_lit : 1, 1);
        pf_cands *cand = zl_xcalloc((size_t)ix->n_regex * 2, sizeof *cand);
        pf_scan(ix, doc, seen, cand, &ti);
        for (uint32_t k = 0; k < ix->n_regex; k++) {
            uint32_t atom = ix->regex[k];
            if (needed && !needed[atom])
                continue;
            if (!pf_may_match(ix, k, doc, seen))
                continue;
            const zl_atom *a = ix->atoms[atom];
            if (ix->start[k].digit_run && ti.utf == UTF_VALID && !ti.odd_digits) {
                digit_runs(atom, doc, ti.digit, ti.n_digit, &h); /* in order, unique */
                continue;
            }
            const uint32_t *offs = NULL, *goffs = NULL, *wset = NULL;
            size_t n_offs = 0, n_goffs = 0;
            int inner = 0;
            if (ix->pf_lead[k] < ix->pf_lead[k + 1]) {
                inner = ix->inner[k];
                if (ix->inner[k] == INNER_WINDOW) {
                    wset = &ix->pf_wset[(size_t)k * WSET_WORDS];
                    window_offsets(ix, k, doc, &cand[k]);
                }
                if (cand[k].n == 0)
                    continue; /* no offset where a match could start */
                offs = cand[k].v;
                n_offs = cand[k].n;
                if (ix->pf_guard[k] < ix->pf_guard[k + 1]) {
                    if (cand[ix->n_regex + k].n == 0)
                        continue; /* no guard literal: no match */
                    goffs = cand[ix->n_regex + k].v;
                    n_goffs = cand[ix->n_regex + k].n;
                }
            }
            int dstart = offs ? DIGIT_NONE : digit_start_of(ix, k), dfol = 0;
            if (dstart == DIGIT_ASCII ? ti.utf == UTF_VALID : dstart == DIGIT_ANY && !ti.odd_digits) {
                if (ti.n_digit == 0)
                    continue; /* no digit where a match could start */
                offs = ti.digit;
                n_offs = ti.n_digit;
                /* every digit ASCII: D cannot run past the ASCII run */
                dfol = ix->start[k].dfollow_ok && !ti.odd_digits;
            }
            const pcre2_code *code = NULL;
            uint32_t mopts = 0;
            lazy_code *lc = NULL;
            if (offs) {
                if (n_offs >= LAZY_JIT_MIN || ix->heavy[k] || ix->inner[k]) {
                    lc = &ix->anch[k]; /* made at the first try (first_try) */
                } else {
                    code = a->re;
                    mopts = PCRE2_ANCHORED;
                }
            } else {
                uint32_t starts = 0;
                int counted = !ix->heavy[k] && start_count(a, doc->norm.text, doc->norm.len, &starts);
                if (counted && ti.utf == UTF_VALID && starts < LAZY_JIT_MIN) {
                    code = a->re; /* few places to try: the interpreter */
                } else {
                    int copy = counted || dstart != DIGIT_NONE;
                    code = lazy_get(&ix->whole[k], a, copy ? LAZY_COPY : LAZY_IN_PLACE);
                }
                if (!code)
                    code = a->re;
            }
            size_t from = h.n;
            if (find_regex(a, atom, doc, md, mc, &ti.utf, code, mopts, lc, offs, n_offs, inner, goffs,
                           n_goffs, wset, &ix->start[k], dfol, &h) < 0) {
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
        free(seen);
        free(ti.digit);
        for (uint32_t k = 0; k < ix->n_regex * 2; k++)
            free(cand[k].v);
        free(cand);
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
