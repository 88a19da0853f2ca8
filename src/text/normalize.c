/*
 * normalize.c - stage 2: decoded UTF-8 -> the matching text (see normalize.h).
 *
 * One pass over the input, written into one output buffer and one offset map
 * in the caller's arena; the segmenter and the rule compiler read the result.
 * For document loading (zl_normalize_doc, tokrec.h) the same pass also
 * records the tokens of the output as segment.c's scan_tokens would find
 * them, with their logical-text spans and original letter case.
 * ASCII and the Cyrillic block U+0400-U+04FF go through tables; every other
 * code point, and any character followed by combining marks (NFD input such
 * as и + U+0306), goes through utf8proc (NFKC + case fold) without malloc.
 *
 * Look-alikes are decided per word: a maximal run of letters, combining
 * marks and removed invisibles.  In a word with a Cyrillic letter, the Latin
 * letters that have a Cyrillic twin (a b c e h i k m o p t x y, A B C E H I K
 * M O P T X Y) become that twin: b -> ь and B -> в, h -> һ and H -> н (their
 * visual twins), i/I -> і.  A word without a Cyrillic letter stays Latin.
 * Hyphens and dashes separate words: in the corpus, "IP-адрес",
 * "cookie-файлов", "API-ключи", "MCP-сервер" are common and are Latin words
 * with a Cyrillic suffix, while an all-look-alike part meant as Cyrillic
 * ("интернет-pecypc") does not occur.  Latin ə ɵ (and Ə Ɵ) always become
 * Kazakh ә ө.
 *
 * Edges: leading and trailing whitespace (spaces, line and paragraph breaks)
 * and removed invisibles (BOM, soft hyphen, zero-width) are dropped, so the
 * text never starts or ends with a space or "\n".  Invalid UTF-8 bytes (which
 * the decoder should already have replaced) become U+FFFD, one per byte.
 * Inputs of 4 GiB or more are not supported (offsets are 32-bit).
 *
 * The output normalizes to itself, so rule words normalized with
 * zl_normalize_str match it: invisibles between a letter and its marks do
 * not stop composition, ё -> е is followed by composing again (ё + U+0306
 * gives ӗ), and spacing accents whose NFKC would start or end with a space
 * (U+00A8 -> " " U+0308) are kept as they are.  Known exception: a
 * compatibility character expanding to several words (U+FDFA).
 */
#include "text/normalize.h"
#include "text/tokrec.h"

#include "util/utf8.h"
#include "util/xalloc.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define NORM_OPTS (UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD)

/* Combining marks gathered into one utf8proc call; longer runs of marks
 * continue as a new sequence whose base is a mark. */
#define SEQ_MAX_MARKS 32

/* What an input code point is, for whitespace folding and word context. */
enum {
    K_OTHER,  /* digit, punctuation, symbol: ends a word */
    K_SPACE,  /* folded into a space */
    K_BREAK,  /* a line break */
    K_PARA,   /* a paragraph break (U+2029), counts as two line breaks */
    K_DROP,   /* removed; does not end a word or a whitespace run */
    K_CYR,    /* a Cyrillic letter (or Latin ə ɵ Ə Ɵ, used as Kazakh letters) */
    K_TWIN,   /* an ASCII letter with a Cyrillic look-alike */
    K_LETTER, /* any other letter: Latin without a twin, Greek, ... */
    K_MARK    /* a combining mark */
};

/* Kinds of the 128 ASCII code points, one digit per code point (see enum). */
static const char ascii_kind[129] = "0000000001222200" /* 0x00 \t \n \v \f \r */
                                    "0000000000000000" /* 0x10 */
                                    "1000000000000000" /* 0x20 ' ' */
                                    "0000000000000000" /* 0x30 digits */
                                    "0666767766767676" /* 0x40 @A-O */
                                    "6777677766700000" /* 0x50 P-Z */
                                    "0666767766767676" /* 0x60 `a-o */
                                    "6777677766700000"; /* 0x70 p-z */

/* The Cyrillic lower-case twin of each K_TWIN ASCII letter. */
static const uint16_t twin_cyr[128] = {
    ['a'] = 0x430, ['b'] = 0x44C, ['c'] = 0x441, ['e'] = 0x435, ['h'] = 0x4BB,
    ['i'] = 0x456, ['k'] = 0x43A, ['m'] = 0x43C, ['o'] = 0x43E, ['p'] = 0x440,
    ['t'] = 0x442, ['x'] = 0x445, ['y'] = 0x443,
    ['A'] = 0x430, ['B'] = 0x432, ['C'] = 0x441, ['E'] = 0x435, ['H'] = 0x43D,
    ['I'] = 0x456, ['K'] = 0x43A, ['M'] = 0x43C, ['O'] = 0x43E, ['P'] = 0x440,
    ['T'] = 0x442, ['X'] = 0x445, ['Y'] = 0x443,
};

/* NFKC + case fold of U+0400-U+04FF (generated with utf8proc 2.8, checked
 * against it by test_normalize), as an offset from U+0400; ё and Ё give е.
 * Every entry is a single code point inside the block. */
static const uint8_t cyr_fold[256] = {
    0x50, 0x35, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5A, 0x5B, 0x5C, 0x5D, 0x5E, 0x5F, /* U+0400 */
    0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A, 0x3B, 0x3C, 0x3D, 0x3E, 0x3F, /* U+0410 */
    0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4A, 0x4B, 0x4C, 0x4D, 0x4E, 0x4F, /* U+0420 */
    0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A, 0x3B, 0x3C, 0x3D, 0x3E, 0x3F, /* U+0430 */
    0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4A, 0x4B, 0x4C, 0x4D, 0x4E, 0x4F, /* U+0440 */
    0x50, 0x35, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5A, 0x5B, 0x5C, 0x5D, 0x5E, 0x5F, /* U+0450 */
    0x61, 0x61, 0x63, 0x63, 0x65, 0x65, 0x67, 0x67, 0x69, 0x69, 0x6B, 0x6B, 0x6D, 0x6D, 0x6F, 0x6F, /* U+0460 */
    0x71, 0x71, 0x73, 0x73, 0x75, 0x75, 0x77, 0x77, 0x79, 0x79, 0x7B, 0x7B, 0x7D, 0x7D, 0x7F, 0x7F, /* U+0470 */
    0x81, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8B, 0x8B, 0x8D, 0x8D, 0x8F, 0x8F, /* U+0480 */
    0x91, 0x91, 0x93, 0x93, 0x95, 0x95, 0x97, 0x97, 0x99, 0x99, 0x9B, 0x9B, 0x9D, 0x9D, 0x9F, 0x9F, /* U+0490 */
    0xA1, 0xA1, 0xA3, 0xA3, 0xA5, 0xA5, 0xA7, 0xA7, 0xA9, 0xA9, 0xAB, 0xAB, 0xAD, 0xAD, 0xAF, 0xAF, /* U+04A0 */
    0xB1, 0xB1, 0xB3, 0xB3, 0xB5, 0xB5, 0xB7, 0xB7, 0xB9, 0xB9, 0xBB, 0xBB, 0xBD, 0xBD, 0xBF, 0xBF, /* U+04B0 */
    0xCF, 0xC2, 0xC2, 0xC4, 0xC4, 0xC6, 0xC6, 0xC8, 0xC8, 0xCA, 0xCA, 0xCC, 0xCC, 0xCE, 0xCE, 0xCF, /* U+04C0 */
    0xD1, 0xD1, 0xD3, 0xD3, 0xD5, 0xD5, 0xD7, 0xD7, 0xD9, 0xD9, 0xDB, 0xDB, 0xDD, 0xDD, 0xDF, 0xDF, /* U+04D0 */
    0xE1, 0xE1, 0xE3, 0xE3, 0xE5, 0xE5, 0xE7, 0xE7, 0xE9, 0xE9, 0xEB, 0xEB, 0xED, 0xED, 0xEF, 0xEF, /* U+04E0 */
    0xF1, 0xF1, 0xF3, 0xF3, 0xF5, 0xF5, 0xF7, 0xF7, 0xF9, 0xF9, 0xFB, 0xFB, 0xFD, 0xFD, 0xFF, 0xFF, /* U+04F0 */
};

static int is_cyr_script(uint32_t cp)
{
    return (cp >= 0x0400 && cp <= 0x052F) || (cp >= 0x1C80 && cp <= 0x1C8F) ||
           (cp >= 0xA640 && cp <= 0xA69F) || cp == 0x1D2B || cp == 0x1D78;
}

static int kind_of(uint32_t cp)
{
    if (cp < 0x80)
        return ascii_kind[cp] - '0';
    if (cp >= 0x400 && cp < 0x500)
        return cp < 0x482 || cp > 0x489 ? K_CYR : cp == 0x482 ? K_OTHER : K_MARK;
    switch (cp) {
    case 0x0085: case 0x2028:
        return K_BREAK;
    case 0x2029:
        return K_PARA;
    case 0x00A0: case 0x1680: case 0x202F: case 0x205F: case 0x3000:
        return K_SPACE;
    case 0x00AD: case 0x200B: case 0x200C: case 0x200D: case 0x2060: case 0xFEFF:
        return K_DROP;
    case 0x018F: case 0x0259: case 0x019F: case 0x0275:
        return K_CYR;
    case 0xFFFD:
        return K_OTHER;
    default:
        break;
    }
    if (cp >= 0x2000 && cp <= 0x200A)
        return K_SPACE;
    if (cp >= 0x2012 && cp <= 0x20CF)
        return K_OTHER; /* punctuation, super/subscripts, currency */
    switch (utf8proc_category((utf8proc_int32_t)cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
        return is_cyr_script(cp) ? K_CYR : K_LETTER;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
        return K_MARK;
    default:
        return K_OTHER;
    }
}

/* Dashes, quotes and the Latin Kazakh letters, applied before NFKC to input
 * code points and again to what NFKC produces (a fullwidth dash, ...). */
static uint32_t subst(uint32_t cp)
{
    switch (cp) {
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015: case 0x2212:
        return '-';
    case 0x00AB: case 0x00BB: case 0x201C: case 0x201D: case 0x201E: case 0x201F:
    case 0x02EE: case 0x2033:
        return '"';
    case 0x2018: case 0x2019: case 0x201A: case 0x201B:
        return '\'';
    case 0x0451: case 0x0401:
        return 0x0435; /* ё -> е */
    case 0x0259: case 0x018F:
        return 0x04D9; /* Latin ə -> Kazakh ә */
    case 0x0275: case 0x019F:
        return 0x04E9; /* Latin ɵ -> Kazakh ө */
    default:
        return cp;
    }
}

/* Decodes the code point at s[i]; an ill-formed byte reads as U+FFFD of
 * length 1 (so `*kind` is K_OTHER), and fullwidth ASCII as ASCII. */
static inline size_t decode_at(const unsigned char *s, size_t n, size_t i, uint32_t *cp, int *kind)
{
    unsigned char c = s[i];
    if (c < 0x80) {
        *cp = c;
        *kind = ascii_kind[c] - '0';
        return 1;
    }
    if (c >= 0xC2 && c < 0xE0 && i + 1 < n && (s[i + 1] & 0xC0) == 0x80) {
        *cp = ((uint32_t)(c & 0x1F) << 6) | (s[i + 1] & 0x3F);
        *kind = kind_of(*cp);
        return 2;
    }
    size_t l = zl_utf8_decode((const char *)s + i, n - i, cp);
    if (l == 0) {
        *cp = 0xFFFD;
        *kind = K_OTHER;
        return 1;
    }
    if (*cp >= 0xFF01 && *cp <= 0xFF5E)
        *cp -= 0xFEE0; /* fullwidth ASCII reads as ASCII (its NFKC), twins included */
    *kind = kind_of(*cp);
    return l;
}

/* Whether a combining mark starts at s[j], past removed invisibles (so
 * и U+00AD U+0306 still composes).  The lead bytes of ASCII, of U+0380-U+047F
 * and of U+04C0-U+057F (no marks or invisibles there) answer at once. */
static inline int mark_at(const unsigned char *s, size_t n, size_t j)
{
    while (j < n) {
        unsigned char b = s[j];
        if (b < 0xC2 || (b >= 0xCE && b <= 0xD1) || (b >= 0xD3 && b <= 0xD5))
            return 0;
        uint32_t cp;
        int k;
        j += decode_at(s, n, j, &cp, &k);
        if (k != K_DROP)
            return k == K_MARK;
    }
    return 0;
}

static inline int is_letter(int k)
{
    return k == K_CYR || k == K_TWIN || k == K_LETTER;
}

/* Whether the word continuing at s[i] has a Cyrillic letter. */
static int word_has_cyr(const unsigned char *s, size_t n, size_t i)
{
    while (i < n) {
        uint32_t cp;
        int k;
        i += decode_at(s, n, i, &cp, &k);
        if (k == K_CYR)
            return 1;
        if (k != K_TWIN && k != K_LETTER && k != K_MARK && k != K_DROP)
            return 0;
    }
    return 0;
}

/* The output under construction: text and (unless NULL) map, in the arena. */
typedef struct trec trec;

typedef struct out {
    zl_arena *a;
    char *t;
    uint32_t *m;
    size_t len, cap;
    trec *tk; /* token recorder, or NULL */
} out;

/* ------------------------------------------------------------------------ */
/* Token recording: scan_tokens of segment.c run over the output as it is
 * written.  Each output character is fed with its normalized offset and
 * length and its source: the input offset, and, when it is the only output
 * of one input character, that character's length and classes (else 0: the
 * segmenter computes the token's span and case from the sources of its
 * first and last characters and of the character after it, which the
 * token keeps; tokrec.h). */

enum { TS_NONE, TS_WORD, TS_NUMBER, TS_PUNCT };

struct trec {
    zl_tokrec *r;
    zl_arena *a;
    int state;          /* TS_*: the open token */
    int pend;           /* a separator (. , after digits, - ' in a word) waits */
    unsigned line_start; /* ZL_TF_LINE_START while no token is on this line */
    /* the open token */
    uint32_t off;       /* normalized offset */
    unsigned flags;     /* classes of its letters and digits, ORed */
    unsigned ls;        /* ZL_TF_LINE_START or 0 */
    uint32_t in_s, in_e; /* input span of its characters */
    uint32_t in_last;   /* input offset of its last character's source */
    unsigned cx;        /* not one input character per output one, contiguous */
    unsigned cs;        /* letter case so far (CASE_*) */
    uint32_t cps;
    /* the pending separator */
    uint32_t p_off, p_len, p_in, p_inl;
    unsigned p_case;
};

/* Room for one more token; 0 at the limit (the tokens are then counted). */
__attribute__((noinline, cold)) static int rec_grow(trec *t)
{
    zl_tokrec *r = t->r;
    if (r->cap >= ZL_MAX_TOKENS)
        return 0;
    uint32_t cap = r->cap > ZL_MAX_TOKENS / 2 ? ZL_MAX_TOKENS : r->cap * 2;
    zl_token *tok = zl_arena_alloc(t->a, cap * sizeof *tok);
    uint8_t *tcase = zl_arena_alloc(t->a, cap);
    uint32_t *tcps = zl_arena_alloc(t->a, cap * sizeof *tcps);
    memcpy(tok, r->tok, r->n * sizeof *tok);
    memcpy(tcase, r->tcase, r->n);
    memcpy(tcps, r->tcps, r->n * sizeof *tcps);
    r->tok = tok;
    r->tcase = tcase;
    r->tcps = tcps;
    r->cap = cap;
    return 1;
}

/* The token limit is reached: counts the token (rec_push). */
__attribute__((noinline, cold)) static void rec_count(trec *t)
{
    t->state = TS_NONE;
    if (t->r->n < UINT32_MAX)
        t->r->n++;
}

/* Ends the open token at normalized offset `end`; the next output
 * character comes from input offset next_in.  Inlined in the hot paths;
 * rec_push is the out-of-line copy. */
static inline __attribute__((always_inline)) void rec_push_inl(trec *t, uint32_t end,
                                                                uint32_t next_in)
{
    static const uint8_t kinds[] = {ZL_TOK_PUNCT, ZL_TOK_WORD, ZL_TOK_NUMBER, ZL_TOK_PUNCT};
    zl_tokrec *r = t->r;
    uint32_t n = r->n;
    if (__builtin_expect(n == r->cap, 0) && !rec_grow(t)) {
        rec_count(t);
        return;
    }
    int state = t->state;
    t->state = TS_NONE;
    zl_token *k = &r->tok[n];
    unsigned flags = t->ls;
    if (state == TS_WORD)
        flags |= t->flags >> CC_TF_SHIFT;
    k->off = t->off;
    k->len = end - t->off;
    k->kind = kinds[state];
    if (!(t->cx | (next_in != t->in_e))) {
        unsigned cs = t->cs;
        r->tcase[n] = (uint8_t)cs;
        r->tcps[n] = t->cps;
        k->text_off = t->in_s;
        k->text_len = t->in_e - t->in_s;
        if (cs >= 1u << CASE_UP_SHIFT && !(cs & CASE_ANY_LO))
            flags |= ZL_TF_UPPER;
    } else {
        /* the sources the segmenter reads instead of a map (tokrec.h) */
        r->tcase[n] = ZL_CASE_MAP;
        r->tcps[n] = t->in_last;
        r->n_map++;
        k->text_off = t->in_s;
        k->text_len = next_in;
    }
    k->flags = (uint8_t)flags;
    r->n = n + 1;
}

/* Records a token of `kind` that no open token precedes, of output
 * [off, end) from input [in_s, in_e), one input character per output one
 * (cps of them), followed by the source of the next output character: its
 * case bits cs and token flags tf (without ZL_TF_LINE_START and
 * ZL_TF_UPPER).  What rec_open, rec_add and rec_push_inl would give. */
static inline void rec_tok(trec *t, uint32_t off, uint32_t end, uint32_t in_s, uint32_t in_e,
                           uint32_t cps, unsigned cs, unsigned kind, unsigned tf)
{
    zl_tokrec *r = t->r;
    uint32_t n = r->n;
    unsigned flags = tf | t->line_start;
    t->line_start = 0;
    if (__builtin_expect(n == r->cap, 0) && !rec_grow(t)) {
        rec_count(t);
        return;
    }
    if (cs >= 1u << CASE_UP_SHIFT && !(cs & CASE_ANY_LO))
        flags |= ZL_TF_UPPER;
    zl_token *k = &r->tok[n];
    k->off = off;
    k->len = end - off;
    k->text_off = in_s;
    k->text_len = in_e - in_s;
    k->kind = (uint8_t)kind;
    k->flags = (uint8_t)flags;
    r->tcase[n] = (uint8_t)cs;
    r->tcps[n] = cps;
    r->n = n + 1;
}

static __attribute__((noinline)) void rec_push(trec *t, uint32_t end, uint32_t next_in)
{
    rec_push_inl(t, end, next_in);
}

/* Adds the case of an input character (its classes cc) to case bits cs. */
static inline unsigned case_add(unsigned cs, unsigned cc)
{
    if (cc & CC_UPPER) {
        if (cs < 3u << CASE_UP_SHIFT)
            cs += 1u << CASE_UP_SHIFT;
        if (!(cs & 3))
            cs |= CASE_FIRST_UP;
    } else if (cc & CC_LOWER) {
        if (!(cs & 3))
            cs |= CASE_FIRST_LO;
        cs |= CASE_ANY_LO;
    }
    return cs;
}

/* Adds input characters [in, in_end) (ncps of them, each of cl bytes, with
 * case bits run) to the open token. */
static inline void rec_add(trec *t, uint32_t in, uint32_t in_end, uint32_t ncps, uint32_t cl,
                           unsigned run)
{
    unsigned cs = t->cs;
    t->cx |= in != t->in_e;
    t->in_e = in_end;
    t->in_last = in_end - cl;
    t->cps += ncps;
    unsigned first = cs & 3 ? cs & 3 : run & 3;
    unsigned up = (cs >> CASE_UP_SHIFT) + (run >> CASE_UP_SHIFT);
    t->cs = first | ((cs | run) & CASE_ANY_LO) | (up < 3 ? up : 3) << CASE_UP_SHIFT;
}

/* Adds one character (input length inl, 0 if not one to one; classes cc
 * of the input character). */
static inline void rec_add1(trec *t, uint32_t in, uint32_t inl, unsigned cc)
{
    t->cx |= (in != t->in_e) | !inl;
    t->in_e = in + inl;
    t->in_last = in;
    t->cps++;
    t->cs = case_add(t->cs, cc);
}

static inline void rec_open(trec *t, int state, uint32_t off, uint32_t in, unsigned flags)
{
    t->state = state;
    t->off = off;
    t->flags = flags;
    t->ls = t->line_start;
    t->line_start = 0;
    t->in_s = t->in_e = in;
    t->cx = 0;
    t->cs = 0;
    t->cps = 0;
}

static inline int is_word_sep(uint32_t c)
{
    return c == '-' || c == '\'' || c == 0x2019 || c == 0x2BC || c == 0x2010 || c == 0x2011;
}

/* The pending separator, which the next character does not join to the
 * open token: that token ends before it and it is a token of its own. */
static void rec_unpend(trec *t)
{
    t->pend = 0;
    rec_push(t, t->p_off, t->p_in);
    rec_open(t, TS_PUNCT, t->p_off, t->p_in, 0);
    rec_add1(t, t->p_in, t->p_inl, t->p_case);
}

/* Feeds output character c (class cl) at normalized offset off, len bytes,
 * from input offset in.  Returns 1 when c is to be added to the open token
 * (the caller adds it), 0 when it was taken care of. */
static int rec_step(trec *t, uint32_t c, unsigned cl, uint32_t off, uint32_t len, uint32_t in,
                    uint32_t inl, unsigned icase)
{
    if (t->pend) {
        if (cl & (t->state == TS_NUMBER ? CC_DIGIT : CC_LETTER | CC_DIGIT)) {
            t->pend = 0;
            rec_add1(t, t->p_in, t->p_inl, t->p_case); /* the separator joins */
        } else {
            rec_unpend(t);
        }
    }
    switch (t->state) {
    case TS_NUMBER:
        if (cl & CC_DIGIT)
            return 1;
        if (c == '.' || c == ',')
            goto pend;
        if (cl & CC_LETTER) {
            t->state = TS_WORD; /* "3d", "1st": continue as a word */
            t->flags |= cl;
            return 1;
        }
        rec_push(t, off, in);
        break;
    case TS_WORD:
        if (cl & (CC_LETTER | CC_DIGIT)) {
            t->flags |= cl;
            return 1;
        }
        if (is_word_sep(c))
            goto pend;
        rec_push(t, off, in);
        break;
    case TS_PUNCT:
        rec_push(t, off, in);
        break;
    default:
        break;
    }
    if (cl & CC_SPACE) {
        if (c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029)
            t->line_start = ZL_TF_LINE_START;
        return 0;
    }
    rec_open(t, cl & CC_DIGIT ? TS_NUMBER : cl & CC_LETTER ? TS_WORD : TS_PUNCT, off, in,
             cl & CC_DIGIT ? 0 : cl);
    return 1;
pend:
    t->pend = 1;
    t->p_off = off;
    t->p_len = len;
    t->p_in = in;
    t->p_inl = inl;
    t->p_case = icase;
    return 0;
}

static inline void rec_char(trec *t, uint32_t c, uint32_t off, uint32_t len, uint32_t in,
                            uint32_t inl, unsigned icase)
{
    unsigned cl = zl_cclass(c);
    if (t->state == TS_WORD && !t->pend && (cl & (CC_LETTER | CC_DIGIT)))
        t->flags |= cl; /* the common case of rec_step */
    else if (!rec_step(t, c, cl, off, len, in, inl, icase))
        return;
    rec_add1(t, in, inl, icase);
}

/* Whitespace written at normalized offset off for input offset in: a
 * space, or a line break (nl). */
static inline void rec_ws(trec *t, uint32_t off, uint32_t in, int nl)
{
    if (t->pend)
        rec_step(t, ' ', CC_SPACE, off, 1, in, 0, 0);
    else if (t->state != TS_NONE)
        rec_push(t, off, in);
    if (nl)
        t->line_start = ZL_TF_LINE_START;
}

/* The end of the text (input length n, output length len). */
static void rec_finish(trec *t, uint32_t len, uint32_t n)
{
    if (t->pend)
        rec_unpend(t);
    if (t->state != TS_NONE)
        rec_push(t, len, n);
}

static void out_grow(out *o, size_t need)
{
    size_t cap = o->cap * 2;
    if (cap < o->len + need + 1)
        cap = o->len + need + 1;
    char *t = zl_arena_alloc(o->a, cap);
    memcpy(t, o->t, o->len);
    o->t = t;
    if (o->m) {
        uint32_t *m = zl_arena_alloc(o->a, cap * sizeof *m);
        memcpy(m, o->m, o->len * sizeof *m);
        o->m = m;
    }
    o->cap = cap;
}

/* Room for `need` more bytes plus the terminating NUL. */
static inline void out_reserve(out *o, size_t need)
{
    if (o->cap - o->len <= need)
        out_grow(o, need);
}

static inline void out_cp(out *o, uint32_t cp, uint32_t off)
{
    size_t l;
    if (cp < 0x80) {
        o->t[o->len] = (char)cp;
        l = 1;
    } else if (cp < 0x800) {
        o->t[o->len] = (char)(0xC0 | (cp >> 6));
        o->t[o->len + 1] = (char)(0x80 | (cp & 0x3F));
        l = 2;
    } else {
        l = zl_utf8_encode(cp, o->t + o->len);
    }
    if (o->m)
        for (size_t k = 0; k < l; k++)
            o->m[o->len + k] = off;
    o->len += l;
}

/* Writes the pending whitespace run (*breaks: -1 none, else its line
 * breaks) as one space, "\n" or "\n\n", except at the start of the text
 * (room for 2 bytes reserved by the caller). */
static inline void out_ws(out *o, int *breaks, uint32_t ws_off)
{
    if (*breaks < 0)
        return;
    if (o->len > 0) {
        if (*breaks == 0) {
            if (o->tk)
                rec_ws(o->tk, (uint32_t)o->len, ws_off, 0);
            out_cp(o, ' ', ws_off);
        } else {
            if (o->tk)
                rec_ws(o->tk, (uint32_t)o->len, ws_off, 1);
            out_cp(o, '\n', ws_off);
            if (*breaks > 1) {
                if (o->tk)
                    rec_ws(o->tk, (uint32_t)o->len, ws_off, 1);
                out_cp(o, '\n', ws_off);
            }
        }
    }
    *breaks = -1;
}

/* Decomposes (and case folds) src[0..sl) with `opts` into *buf, the stack
 * buffer or, for a huge expansion, a heap one the caller frees, then
 * composes it.  Returns the code point count, negative on error. */
static utf8proc_ssize_t fold_seq(const unsigned char *src, size_t sl, utf8proc_option_t opts,
                                 utf8proc_int32_t *stackbuf, utf8proc_ssize_t stackcap,
                                 utf8proc_int32_t **buf)
{
    *buf = stackbuf;
    utf8proc_ssize_t r = utf8proc_decompose(src, (utf8proc_ssize_t)sl, stackbuf, stackcap, opts);
    if (r > stackcap) {
        *buf = zl_xmalloc((size_t)r * sizeof **buf);
        r = utf8proc_decompose(src, (utf8proc_ssize_t)sl, *buf, r, opts);
    }
    if (r >= 0)
        r = utf8proc_normalize_utf32(*buf, r, opts);
    return r;
}

/* Emits the NFKC case fold of the UTF-8 sequence scratch[0..sl) (a base
 * and its combining marks), every output byte mapped to `off`.  With
 * map_twins, ASCII look-alikes it produces (U+FB01 -> "fi") become Cyrillic,
 * as they would when the output is normalized again. */
static void out_seq(out *o, const unsigned char *scratch, size_t sl, uint32_t off, int map_twins)
{
    enum { STACKCAP = 256 };
    utf8proc_int32_t stackbuf[STACKCAP], *buf;

    utf8proc_ssize_t r = fold_seq(scratch, sl, NORM_OPTS, stackbuf, STACKCAP, &buf);
    /* A compatibility decomposition with a space at an end or before a mark
     * (U+00A8 -> " " U+0308) would fall apart when normalized again (the
     * space joins a whitespace run): keep such a character as it is. */
    for (utf8proc_ssize_t k = 0; k < r; k++) {
        if (buf[k] == ' ' && (k == 0 || k == r - 1 || kind_of((uint32_t)buf[k + 1]) == K_MARK)) {
            if (buf != stackbuf)
                free(buf);
            r = fold_seq(scratch, sl, NORM_OPTS & ~(utf8proc_option_t)UTF8PROC_COMPAT, stackbuf,
                         STACKCAP, &buf);
            break;
        }
    }
    if (r < 0) {
        /* Not reachable for valid UTF-8; keep the text aligned anyway. */
        buf[0] = 0xFFFD;
        r = 1;
    }
    /* ё -> е (ə ɵ -> ә ө) can leave a base that composes with a following
     * mark (ё + U+0306 -> е + U+0306 -> ӗ): substitute and compose again
     * until nothing changes; every round that changes anything merges. */
    for (;;) {
        int changed = 0;
        for (utf8proc_ssize_t k = 0; k < r; k++) {
            uint32_t c = subst((uint32_t)buf[k]);
            if (c != (uint32_t)buf[k]) {
                buf[k] = (utf8proc_int32_t)c;
                changed = 1;
            }
        }
        if (!changed || r == 1)
            break;
        r = utf8proc_normalize_utf32(buf, r, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    }
    out_reserve(o, (size_t)r * 4);
    for (utf8proc_ssize_t k = 0; k < r; k++) {
        uint32_t c = (uint32_t)buf[k];
        if (map_twins && c < 0x80 && twin_cyr[c])
            c = twin_cyr[c];
        size_t at = o->len;
        out_cp(o, c, off);
        if (o->tk)
            rec_char(o->tk, c, (uint32_t)at, (uint32_t)(o->len - at), off, 0, 0);
    }
    if (buf != stackbuf)
        free(buf);
}

/* Word context of the letter being emitted. */
typedef struct word {
    int in;       /* inside a word */
    int cyr;      /* a Cyrillic letter seen in it so far */
    int decision; /* map its look-alikes: -1 unknown, 0 no, 1 yes */
} word;

/* Whether the look-alikes of the current word, whose next character is at
 * s[i], become Cyrillic: scans ahead at most once per word. */
static int word_decide(word *w, const unsigned char *s, size_t n, size_t i)
{
    if (w->decision < 0)
        w->decision = w->cyr || word_has_cyr(s, n, i);
    return w->decision;
}

/* Whether the four letters of U+0400-U+047F at s[0..8) (zl_utf8_cyr4
 * accepted them) are their own case fold: U+0430-U+045F but ё (D0 B0-BF,
 * D1 80-9F but D1 91).  In each 16-bit lane of the little-endian word the
 * lead byte is low and its bit 0 tells D1; bits 12 and 13 are bits 4 and 5
 * of the continuation byte. */
static inline int cyr4_folded(const unsigned char *s)
{
    const uint64_t one = (uint64_t)0x0001000100010001u, high = (uint64_t)0x8000800080008000u;
    uint64_t w, x;
    memcpy(&w, s, 8);
    uint64_t d1 = w & one, c4 = (w >> 12) & one, c5 = (w >> 13) & one;
    /* D0 needs B0-BF (c4 and c5), D1 needs 80-9F (not c5) */
    uint64_t bad = ((~d1 & ~(c4 & c5)) | (d1 & c5)) & one;
    x = w ^ (uint64_t)0x91D191D191D191D1u; /* a zero lane: ё */
    return !bad && !((x - one) & ~x & high);
}

/* Whether the four letters at s[0..8) (as for cyr4_folded) include і
 * (D1 96), a Kazakh letter. */
static inline int has_i4(const unsigned char *s)
{
    const uint64_t one = (uint64_t)0x0001000100010001u, high = (uint64_t)0x8000800080008000u;
    uint64_t w, x;
    memcpy(&w, s, 8);
    x = w ^ (uint64_t)0x96D196D196D196D1u;
    return ((x - one) & ~x & high) != 0;
}

/* No combining mark or removed invisible starts at s[j]: the end, ASCII, a
 * stray continuation byte, a lead byte of U+0400-U+04FF that does not
 * start one of the Cyrillic combining marks U+0483-U+0489, C2 but before
 * AD (U+0080-U+00BF but the soft hyphen: no-break space, « »), or E2 80
 * but before 8B-8D (U+2000-U+203F but U+200B-U+200D: dashes, quotes). */
static inline int no_mark_at(const unsigned char *s, size_t n, size_t j)
{
    return j >= n || s[j] < 0xC2 ||
           ((s[j] & 0xFC) == 0xD0 && (s[j] != 0xD2 || j + 1 >= n || s[j + 1] < 0x83 || s[j + 1] > 0x89)) ||
           (s[j] == 0xC2 && j + 1 < n && s[j + 1] != 0xAD) ||
           (s[j] == 0xE2 && j + 2 < n && s[j + 1] == 0x80 && (s[j + 2] < 0x8B || s[j + 2] > 0x8D));
}

/* Whether ASCII byte c is a punctuation character or symbol that the
 * normalizer keeps and the tokenizer makes a token of its own whatever
 * precedes it (not '-' or '\'', which can join a word). */
static inline int punct1(unsigned char c)
{
    return c > ' ' && c < 0x7F && !(zl_cc_table[c] & (CC_LETTER | CC_DIGIT)) && c != '-' && c != '\'';
}

/* s[i] starts a letter of U+0400-U+04FF (two bytes, not U+0482-U+0489)
 * that no mark or invisible follows. */
static inline int cyr_hot(const unsigned char *s, size_t n, size_t i)
{
    return (s[i] & 0xFC) == 0xD0 && i + 1 < n && (s[i + 1] & 0xC0) == 0x80 &&
           (s[i] != 0xD2 || s[i + 1] < 0x82 || s[i + 1] > 0x89) && no_mark_at(s, n, i + 2);
}

/* The end of a separator between two Cyrillic runs that the chain takes
 * when it is not one space or one punctuation character and a space: up
 * to 24 bytes of whitespace (spaces, tabs, line breaks, \r\n, no-break
 * spaces), punct1 characters, the quotes « » and, not right after the run
 * (where they would join the word), '-' and the dashes U+2013 U+2014;
 * followed by a letter that cyr_hot takes.  0 for any other separator.
 * Each character of it gives one output character, and none of them joins
 * a token: what the general path does with them. */
static size_t sep_end(const unsigned char *s, size_t n, size_t i)
{
    size_t j = i, lim = n - 2 < i + 24 ? n - 2 : i + 24;
    while (j < lim) {
        unsigned c = s[j];
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || punct1((unsigned char)c) ||
            (c == '-' && j > i)) {
            j++;
        } else if (c == 0xC2 && (s[j + 1] == 0xA0 || s[j + 1] == 0xAB || s[j + 1] == 0xBB)) {
            j += 2;
        } else if (c == 0xE2 && s[j + 1] == 0x80 && (s[j + 2] == 0x93 || s[j + 2] == 0x94) &&
                   j > i) {
            j += 3;
        } else {
            return (c & 0xFC) == 0xD0 && j > i && cyr_hot(s, n, j) ? j : 0;
        }
    }
    return 0;
}

/* Writes the separator s[i..e) that sep_end accepted at t[len...] (and its
 * map, unless NULL), recording its punctuation tokens (unless tk is NULL;
 * no token is open); returns the new output length. */
static size_t sep_write(trec *tk, char *t, uint32_t *m, size_t len, const unsigned char *s,
                        size_t i, size_t e)
{
    while (i < e) {
        unsigned c = s[i];
        size_t ws = i;
        int br = -1;
        for (;;) {
            if (c == ' ' || c == '\t' || (c == 0xC2 && s[i + 1] == 0xA0)) {
                br += br < 0;
                i += c == 0xC2 ? 2 : 1;
            } else if (c == '\n' || c == '\r') {
                br += 1 + (br < 0);
                i += c == '\r' && s[i + 1] == '\n' ? 2 : 1;
            } else {
                break;
            }
            c = s[i];
        }
        if (br >= 0) {
            /* a whitespace run: as out_ws */
            t[len] = br ? '\n' : ' ';
            if (m)
                m[len] = (uint32_t)ws;
            len++;
            if (br > 1) {
                t[len] = '\n';
                if (m)
                    m[len] = (uint32_t)ws;
                len++;
            }
            if (tk && br)
                tk->line_start = ZL_TF_LINE_START;
            continue;
        }
        if (i >= e)
            break;
        /* a punctuation character: a token of its own */
        size_t l = c < 0x80 ? 1 : c == 0xC2 ? 2 : 3;
        char oc = c < 0x80 ? (char)c : c == 0xC2 ? '"' : '-';
        t[len] = oc;
        if (m)
            m[len] = (uint32_t)i;
        if (tk)
            rec_tok(tk, (uint32_t)len, (uint32_t)len + 1, (uint32_t)i, (uint32_t)(i + l), 1, 0,
                    ZL_TOK_PUNCT, 0);
        len++;
        i += l;
    }
    return len;
}

/* Records the Cyrillic run of input s[i0..i), output [len0, len), whose
 * first letter's case is rfirst (0: not known, the letter was not in a
 * block), with any lower-case letter (rlo), its upper-case ones counted
 * (rup) and any і (rkz): a word of its own (direct), else continuing the
 * open token; ended (chain: a separator follows that the chain takes) or
 * left open. */
static inline __attribute__((always_inline)) void rec_run(trec *tk, const unsigned char *s,
                                                           int direct, int chain, size_t i0,
                                                           size_t i, size_t len0, size_t len,
                                                           unsigned rfirst, unsigned rlo,
                                                           unsigned rup, unsigned rkz)
{
    if (!rfirst)
        rfirst = case_add(0, zl_cc_table[((s[i0] & 0x1Fu) << 6) | (s[i0 + 1] & 0x3Fu)]) & 3;
    unsigned cs = rfirst | (rlo ? CASE_ANY_LO : 0) | (rup < 3 ? rup : 3) << CASE_UP_SHIFT;
    unsigned tf = ZL_TF_CYRILLIC | (rkz ? ZL_TF_KAZAKH : 0);
    if (direct && chain) {
        rec_tok(tk, (uint32_t)len0, (uint32_t)len, (uint32_t)i0, (uint32_t)i, (uint32_t)(i - i0) / 2,
                cs, ZL_TOK_WORD, tf);
    } else {
        if (direct)
            rec_open(tk, TS_WORD, (uint32_t)len0, (uint32_t)i0, 0);
        rec_add(tk, (uint32_t)i0, (uint32_t)i, (uint32_t)(i - i0) / 2, 2, cs);
        tk->flags |= CC_LETTER | tf << CC_TF_SHIFT;
        if (chain)
            rec_push_inl(tk, (uint32_t)len, (uint32_t)i);
    }
}

#if defined(__SSE2__)
/* Whether the SSE2 loop took the run at s[i] as far as it could: the 4-letter
 * steps would not take more. */
#define SIMD_RUN(i, n) ((i) + 16 <= (n))
/* Masks of the letters cyr8 took (one bit per byte, both bytes of a
 * letter): upper case, lower case, і (after folding). */
typedef struct cyr8_masks {
    unsigned up, lo, kz;
} cyr8_masks;

/* After cyr8 stopped before a lead byte D2 or D3: the block's letters
 * (v, the lanes cyr8 took in okm, its fold stored at dst) with those of
 * U+0480-U+0481, U+048A-U+04BF and U+04D0-U+04FF among them (the Kazakh
 * letters but і), whose fold sets bit 0 of the continuation byte (upper
 * case: even).  Stores the fold again, adds them to *ms (unless NULL);
 * returns the letters' byte length. */
static size_t cyr8_kz(__m128i v, unsigned okm, char *dst, cyr8_masks *ms)
{
    __m128i lead = _mm_and_si128(v, _mm_set1_epi16(0xFF)), c1 = _mm_srli_epi16(v, 8);
    __m128i d2 = _mm_and_si128(_mm_cmpeq_epi16(lead, _mm_set1_epi16(0xD2)),
                               _mm_or_si128(_mm_cmpgt_epi16(c1, _mm_set1_epi16(0x89)),
                                            _mm_cmpeq_epi16(_mm_or_si128(c1, _mm_set1_epi16(1)),
                                                            _mm_set1_epi16(0x81))));
    __m128i d3 = _mm_and_si128(_mm_cmpeq_epi16(lead, _mm_set1_epi16(0xD3)),
                               _mm_cmpgt_epi16(c1, _mm_set1_epi16(0x8F)));
    __m128i e = _mm_and_si128(_mm_or_si128(d2, d3), _mm_cmplt_epi16(c1, _mm_set1_epi16(0xC0)));
    unsigned em = (unsigned)_mm_movemask_epi8(e);
    __m128i *d = (__m128i *)(void *)dst;
    _mm_storeu_si128(d, _mm_or_si128(_mm_loadu_si128(d), _mm_and_si128(e, _mm_set1_epi16(0x100))));
    okm |= em;
    unsigned b = okm == 0xFFFFu ? 16 : (unsigned)__builtin_ctz(~okm);
    if (ms) {
        unsigned odd = (unsigned)_mm_movemask_epi8(_mm_slli_epi16(v, 7)) >> 1;
        em &= ((1u << b) - 1) & 0x5555u;
        ms->lo |= em & odd;
        ms->up |= em & ~odd;
        for (; em; em &= em - 1) {
            unsigned q = (unsigned)__builtin_ctz(em);
            unsigned cp = ((dst[q] & 0x1Fu) << 6) | (dst[q + 1] & 0x3Fu);
            if (zl_cc_table[cp] & (unsigned)ZL_TF_KAZAKH << CC_TF_SHIFT)
                ms->kz |= 1u << q;
        }
    }
    return b;
}

/* SSE2: the letters of U+0400-U+04FF (but U+0482-U+0489 and U+04C0-U+04CF)
 * at the start of s[0..16) (all readable), written case folded to
 * dst[0..16) (all writable; what follows the letters is garbage).  Returns
 * their byte length (even, 0-16); with *ms, sets their case masks.  In each
 * 16-bit lane (little-endian) of the bytes the lead is low: D0 80-8F (Ѐ-Џ)
 * gives D1 90-9F, D0 90-9F (А-П) D0 B0-BF, D0 A0-AF (Р-Я) D1 80-8F; D0
 * B0-BF and D1 80-9F (а-џ) are their own fold but Ё (D0 81) and ё (D1 91),
 * which give е (D0 B5); a lead byte D2 or D3 where the letters stop: cyr8_kz. */
static inline __attribute__((always_inline)) size_t cyr8(const unsigned char *s, char *dst,
                                                          cyr8_masks *ms)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
    __m128i ok = _mm_cmpeq_epi16(_mm_and_si128(v, _mm_set1_epi16((short)0xC0FE)),
                                 _mm_set1_epi16((short)0x80D0));
    __m128i d1hi = _mm_cmpeq_epi16(_mm_and_si128(v, _mm_set1_epi16((short)0xE0FF)),
                                   _mm_set1_epi16((short)0xA0D1)); /* D1 A0-BF */
    ok = _mm_andnot_si128(d1hi, ok);
    unsigned okm = (unsigned)_mm_movemask_epi8(ok);
    __m128i k = _mm_and_si128(v, _mm_set1_epi16((short)0xF0FF));
    __m128i k8 = _mm_cmpeq_epi16(k, _mm_set1_epi16((short)0x80D0));
    __m128i k9 = _mm_cmpeq_epi16(k, _mm_set1_epi16((short)0x90D0));
    __m128i ka = _mm_cmpeq_epi16(k, _mm_set1_epi16((short)0xA0D0));
    __m128i upv = _mm_or_si128(k8, _mm_or_si128(k9, ka));
    __m128i yo = _mm_or_si128(_mm_cmpeq_epi16(v, _mm_set1_epi16((short)0x81D0)),
                              _mm_cmpeq_epi16(v, _mm_set1_epi16((short)0x91D1)));
    __m128i r = v; /* without upper-case letters and ё: their own fold */
    unsigned up = 0;
    if (_mm_movemask_epi8(_mm_or_si128(upv, yo))) {
        __m128i add = _mm_or_si128(_mm_and_si128(k8, _mm_set1_epi16((short)0x1001)),
                                   _mm_or_si128(_mm_and_si128(k9, _mm_set1_epi16((short)0x2000)),
                                                _mm_and_si128(ka, _mm_set1_epi16((short)0xE001))));
        r = _mm_add_epi16(v, add);
        r = _mm_or_si128(_mm_andnot_si128(yo, r), _mm_and_si128(yo, _mm_set1_epi16((short)0xB5D0)));
        up = (unsigned)_mm_movemask_epi8(upv);
    }
    _mm_storeu_si128((__m128i *)(void *)dst, r);
    unsigned b = okm == 0xFFFFu ? 16 : (unsigned)__builtin_ctz(~okm);
    if (ms) {
        ms->up = up & 0x5555u;
        ms->lo = okm & ~up & 0x5555u;
        ms->kz = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi16(r, _mm_set1_epi16((short)0x96D1))) &
                 0x5555u;
    }
    if (b < 16 && (s[b] & 0xFE) == 0xD2)
        b = cyr8_kz(v, okm, dst, ms);
    return b;
}
#else
#define SIMD_RUN(i, n) 0
#endif

/* The output's map and token recorder in normalize_run: a copy for
 * document loading (doc: a recorder, no map) and one for the others (no
 * recorder), each with what it does not have compiled out. */
static inline uint32_t *out_map(const out *o, int doc)
{
    return doc ? NULL : o->m;
}

static inline trec *out_rec(const out *o, int doc)
{
    if (!doc)
        return NULL;
    if (!o->tk)
        __builtin_unreachable();
    return o->tk;
}

static inline __attribute__((always_inline)) void normalize_run(out *o, const char *in, size_t n,
                                                                int doc)
{
    const unsigned char *s = (const unsigned char *)in;
    word w = {0, 0, -1};
    int breaks = -1; /* pending whitespace run: -1 none, else its line breaks */
    uint32_t ws_off = 0;
    size_t i = 0, ascii_skip = 0;

    assert(n < UINT32_MAX);
    while (i < n) {
        /* Hot path: a run of letters of U+0400-U+04FF, no combining mark
         * or invisible after them; each gives exactly two bytes.  What the
         * general path below does for the first of them: the pending
         * whitespace is written and the word is a Cyrillic one. */
        if (cyr_hot(s, n, i) && o->cap - o->len > 5) {
            trec *tk = out_rec(o, doc);
            if (breaks == 0 && o->len > 0 && !(tk && tk->pend)) {
                /* the common case of out_ws: one space */
                if (tk && tk->state != TS_NONE)
                    rec_push_inl(tk, (uint32_t)o->len, ws_off);
                o->t[o->len] = ' ';
                if (out_map(o, doc))
                    out_map(o, doc)[o->len] = ws_off;
                o->len++;
                breaks = -1;
            } else {
                out_ws(o, &breaks, ws_off);
            }
            w.in = w.cyr = w.decision = 1;
            char *t = o->t;
            uint32_t *m = out_map(o, doc);
            size_t len = o->len, stop = o->cap - 3;
            /* The run's token: opened here and kept in `direct` (pushed
             * by rec_word) while the run is all of it, or continued. */
            int direct = 0;
            if (tk) {
                if (tk->state == TS_NONE && !tk->pend) {
                    direct = 1;
                } else {
                    uint32_t c0 = ((uint32_t)(s[i] & 0x1F) << 6) | (s[i + 1] & 0x3F);
                    uint32_t f0 = 0x400u + cyr_fold[c0 - 0x400];
                    rec_step(tk, f0, zl_cc_table[f0], (uint32_t)len, 2, (uint32_t)i, 2, 0);
                }
            }
            /* One run per round; a single space and another run continue
             * the chain. */
            for (;;) {
                /* for the recorder: the run's input span, the case of its
                 * first letter (0 until known), its upper-case letters,
                 * whether it has lower case ones and a Kazakh letter */
                size_t i0 = i, len0 = len;
                unsigned rfirst = 0, rup = 0, rlo = 0, rkz = 0;
#if defined(__SSE2__)
                cyr8_masks rs;
#endif
                for (;;) {
#if defined(__SSE2__)
                    /* Eight letters at a time (cyr8, SSE2) while 16 bytes
                     * can be read and written. */
                    while (i + 16 <= n && len + 16 < stop) {
                        size_t b = cyr8(s + i, t + len, tk ? &rs : NULL);
                        if (b && !no_mark_at(s, n, i + b))
                            b -= 2; /* the last letter has marks: not on this path */
                        if (m && b) {
                            __m128i v = _mm_add_epi32(_mm_set1_epi32((int)(uint32_t)i),
                                                      _mm_set_epi32(2, 2, 0, 0));
                            __m128i *d = (__m128i *)(void *)(m + len);
                            _mm_storeu_si128(d, v);
                            _mm_storeu_si128(d + 1, _mm_add_epi32(v, _mm_set1_epi32(4)));
                            _mm_storeu_si128(d + 2, _mm_add_epi32(v, _mm_set1_epi32(8)));
                            _mm_storeu_si128(d + 3, _mm_add_epi32(v, _mm_set1_epi32(12)));
                        }
                        if (tk && b) {
                            unsigned keep = (1u << b) - 1;
                            unsigned u = rs.up & keep;
                            rlo |= rs.lo & keep;
                            rkz |= rs.kz & keep;
                            for (int q = 0; q < 3 && u; q++, u &= u - 1)
                                rup++;
                            if (len == len0) /* the run's first letter */
                                rfirst = rs.up & 1 ? CASE_FIRST_UP : CASE_FIRST_LO;
                        }
                        len += b;
                        i += b;
                        if (b == 16)
                            continue;
                        /* a space and a lead byte D0-D3 after the run (never
                         * empty here: it starts with such a byte): chain 1
                         * below, taken here */
                        if (s[i] != ' ' || i + 2 >= n || (s[i + 1] & 0xFC) != 0xD0)
                            break;
                        if (tk)
                            rec_run(tk, s, direct, 1, i0, i, len0, len, rfirst, rlo, rup, rkz);
                        t[len] = ' ';
                        if (m)
                            m[len] = (uint32_t)i;
                        i0 = ++i;
                        len0 = ++len;
                        rfirst = rup = rlo = rkz = 0;
                        direct = 1;
                    }
#endif
                    /* Four letters at a time while 8 bytes are lead D0/D1 and
                     * continuation pairs and the byte after them lets the
                     * fourth stay on this path (the checks cyr_hot makes per
                     * letter); output and map as letter by letter. */
                    while (!SIMD_RUN(i, n) && i + 8 < n && len + 8 < stop && zl_utf8_cyr4(s + i) &&
                           no_mark_at(s, n, i + 8)) {
                        if (cyr4_folded(s + i)) {
                            memcpy(t + len, s + i, 8);
                            if (tk) {
                                rlo = CC_LOWER;
                                rkz |= has_i4(s + i);
                            }
                        } else {
                            for (size_t q = 0; q < 8; q += 2) {
                                unsigned x = ((s[i + q] & 1u) << 6) | (s[i + q + 1] & 0x3Fu);
                                unsigned f = cyr_fold[x];
                                t[len + q] = (char)(0xD0 | (f >> 6));
                                t[len + q + 1] = (char)(0x80 | (f & 0x3F));
                                if (tk) {
                                    unsigned cc = zl_cc_table[0x400 + x];
                                    rup += (cc & CC_UPPER) != 0;
                                    rlo |= cc & CC_LOWER;
                                    rkz |= f == 0x56;
                                }
                            }
                        }
                        if (m) {
                            /* two equal 32-bit entries per store */
                            const uint64_t dup = (uint64_t)0x0000000100000001u;
                            uint64_t v0 = (uint64_t)i * dup, v1 = v0 + 2 * dup, v2 = v0 + 4 * dup,
                                     v3 = v0 + 6 * dup;
                            memcpy(m + len, &v0, 8);
                            memcpy(m + len + 2, &v1, 8);
                            memcpy(m + len + 4, &v2, 8);
                            memcpy(m + len + 6, &v3, 8);
                        }
                        len += 8;
                        i += 8;
                    }
                    if (len >= stop || i >= n || !cyr_hot(s, n, i))
                        break; /* the block ended the run */
                    uint32_t c = ((uint32_t)(s[i] & 0x1F) << 6) | (s[i + 1] & 0x3F);
                    if (tk) {
                        unsigned cc = zl_cc_table[c];
                        rup += (cc & CC_UPPER) != 0;
                        rlo |= cc & CC_LOWER;
                    }
                    c = 0x400u + cyr_fold[c - 0x400];
                    if (tk)
                        rkz |= zl_cc_table[c] & (unsigned)ZL_TF_KAZAKH << CC_TF_SHIFT;
                    t[len] = (char)(0xC0 | (c >> 6));
                    t[len + 1] = (char)(0x80 | (c & 0x3F));
                    if (m)
                        m[len] = m[len + 1] = (uint32_t)i;
                    len += 2;
                    i += 2;
                }
                if (i == i0) {
                    /* chains 1 and 2 only test the lead byte of the letter
                     * after them: when cyr_hot does not take it, the run is
                     * empty and the general path takes that character.  It
                     * gives an output character (a letter, a mark or
                     * U+FFFD), before which out_ws would have written the
                     * space written here; the separator ended the word. */
                    w.in = 0;
                    break;
                }
                /* what separates the run from the next one: a space
                 * (chain 1), a punctuation character and a space (2) - both
                 * before a lead byte D0-D3 - or another separator that
                 * sep_end takes, up to sep (3) */
                int chain = 0;
                size_t sep = 0;
                if (i + 2 < n && len + 7 < stop) {
                    if (s[i] == ' ')
                        chain = (s[i + 1] & 0xFC) == 0xD0;
                    else if (s[i + 1] == ' ' && punct1(s[i]))
                        chain = 2 * ((s[i + 2] & 0xFC) == 0xD0);
                    if (!chain && (sep = sep_end(s, n, i)) != 0 && len + (sep - i) + 7 < stop)
                        chain = 3;
                }
                if (tk) {
                    rec_run(tk, s, direct, chain, i0, i, len0, len, rfirst, rlo, rup, rkz);
                    if (chain == 2)
                        rec_tok(tk, (uint32_t)len, (uint32_t)len + 1, (uint32_t)i, (uint32_t)i + 1, 1, 0,
                                ZL_TOK_PUNCT, 0);
                }
                if (!chain)
                    break;
                direct = 1;
                if (chain == 3) {
                    len = sep_write(tk, t, m, len, s, i, sep);
                    i = sep;
                    continue;
                }
                if (chain == 2) {
                    t[len] = (char)s[i];
                    if (m)
                        m[len] = (uint32_t)i;
                    len++;
                    i++;
                }
                t[len] = ' ';
                if (m)
                    m[len] = (uint32_t)i;
                len++;
                i++;
            }
            o->len = len;
            continue;
        }

        if (s[i] == ' ') {
            /* the common case of the whitespace run below */
            w.in = 0;
            if (breaks < 0) {
                breaks = 0;
                ws_off = (uint32_t)i;
            }
            i++;
            continue;
        }

        /* ASCII run: letters and digits up to an ASCII byte that is
         * neither, or the end.  Each gives one byte, its lower case; no mark
         * can follow one; and every word in the run ends inside it, so none
         * has a Cyrillic letter and its look-alikes stay Latin - unless it
         * continues a word that had one (slow path).  What the general path
         * does, letter by letter, for the recorder: the first character
         * opens or continues a token, the others join it. */
        if (i >= ascii_skip && (zl_cc_table[s[i]] & (CC_LETTER | CC_DIGIT)) && s[i] < 0x80 &&
            !(w.in && w.cyr && (zl_cc_table[s[i]] & CC_LETTER))) {
            size_t e = i + 1;
            unsigned up = 0, lo = 0, letters = 0, first = 0;
            while (e < n && s[e] < 0x80 && (zl_cc_table[s[e]] & (CC_LETTER | CC_DIGIT)))
                e++;
            if (e < n && s[e] >= 0x80) {
                ascii_skip = e; /* the general path takes this run */
            } else {
                out_reserve(o, e - i + 2);
                out_ws(o, &breaks, ws_off);
                char *t = o->t;
                uint32_t *m = out_map(o, doc);
                size_t len = o->len;
                for (size_t q = i; q < e; q++) {
                    unsigned cc = zl_cc_table[s[q]];
                    if (q > i)
                        letters |= cc & CC_LETTER;
                    if (cc & CC_UPPER) {
                        up++;
                        if (!first)
                            first = CASE_FIRST_UP;
                    } else if (cc & CC_LOWER) {
                        lo = CASE_ANY_LO;
                        if (!first)
                            first = CASE_FIRST_LO;
                    }
                    t[len] = (char)(s[q] | 0x20);
                    if (m)
                        m[len] = (uint32_t)q;
                    len++;
                }
                trec *tk = out_rec(o, doc);
                if (tk) {
                    unsigned c0 = s[i] | 0x20u, cl = zl_cc_table[c0];
                    if (tk->state == TS_NONE && !tk->pend)
                        rec_open(tk, cl & CC_DIGIT ? TS_NUMBER : TS_WORD, (uint32_t)o->len,
                                 (uint32_t)i, cl & CC_DIGIT ? 0 : cl);
                    else
                        rec_step(tk, c0, cl, (uint32_t)o->len, 1, (uint32_t)i, 1, zl_cc_table[s[i]]);
                    if (letters) {
                        if (tk->state == TS_NUMBER)
                            tk->state = TS_WORD; /* "3d", "1st" */
                        tk->flags |= zl_cc_table['a'];
                    }
                    rec_add(tk, (uint32_t)i, (uint32_t)e, (uint32_t)(e - i), 1,
                            first | lo | (up < 3 ? up : 3) << CASE_UP_SHIFT);
                }
                o->len = len;
                w.in = 0; /* the byte at e ends any word */
                i = e;
                continue;
            }
        }

        uint32_t cp;
        int k;
        size_t l = decode_at(s, n, i, &cp, &k);
        uint32_t cp0 = cp; /* its letter case is the input character's */

        if (k == K_SPACE || k == K_BREAK || k == K_PARA) {
            w.in = 0;
            if (breaks < 0) {
                breaks = 0;
                ws_off = (uint32_t)i;
            }
            if (k == K_BREAK) {
                breaks++;
                if (cp == '\r' && i + 1 < n && s[i + 1] == '\n')
                    l = 2;
            } else if (k == K_PARA) {
                breaks += 2;
            }
            i += l;
            continue;
        }
        if (k == K_DROP) {
            i += l;
            continue;
        }

        out_reserve(o, 8);
        out_ws(o, &breaks, ws_off);

        /* Word context. */
        if (is_letter(k) || k == K_MARK) {
            if (!w.in) {
                w.in = 1;
                w.cyr = 0;
                w.decision = -1;
            }
            if (k == K_CYR)
                w.cyr = w.decision = 1;
            else if (k == K_TWIN && word_decide(&w, s, n, i + l))
                cp = twin_cyr[cp];
        } else {
            w.in = 0;
        }

        if (cp >= 0x80 && (cp < 0x400 || cp >= 0x500))
            cp = subst(cp);
        size_t j = i + l;
        unsigned char seq[4 + 4 * SEQ_MAX_MARKS];
        if (!mark_at(s, n, j)) {
            if (cp < 0x80) {
                char ch = (char)(cp >= 'A' && cp <= 'Z' ? cp | 0x20 : cp);
                o->t[o->len] = ch;
                if (out_map(o, doc))
                    out_map(o, doc)[o->len] = (uint32_t)i;
                if (out_rec(o, doc))
                    rec_char(out_rec(o, doc), (unsigned char)ch, (uint32_t)o->len, 1, (uint32_t)i,
                             (uint32_t)l, cp0 < CC_TABLE ? zl_cc_table[cp0] : 0);
                o->len++;
            } else if (cp >= 0x400 && cp < 0x500) {
                uint32_t f = 0x400u + cyr_fold[cp - 0x400];
                if (out_rec(o, doc))
                    rec_char(out_rec(o, doc), f, (uint32_t)o->len, 2, (uint32_t)i, (uint32_t)l,
                             cp0 < CC_TABLE ? zl_cc_table[cp0] : 0);
                out_cp(o, f, (uint32_t)i);
            } else {
                out_seq(o, seq, zl_utf8_encode(cp, (char *)seq), (uint32_t)i,
                        k == K_LETTER && word_decide(&w, s, n, i + l));
            }
            i = j;
            continue;
        }

        /* A combining sequence: compose it through utf8proc.  Invisibles
         * between the marks are dropped. */
        size_t sl = zl_utf8_encode(cp, (char *)seq);
        for (size_t marks = 0; marks < SEQ_MAX_MARKS && mark_at(s, n, j);) {
            uint32_t mcp;
            int mk;
            size_t ml = decode_at(s, n, j, &mcp, &mk);
            if (mk == K_MARK) {
                memcpy(seq + sl, s + j, ml);
                sl += ml;
                marks++;
            }
            j += ml;
        }
        out_seq(o, seq, sl, (uint32_t)i, k == K_LETTER && word_decide(&w, s, n, i + l));
        i = j;
    }
    out_reserve(o, 0);
    o->t[o->len] = '\0';
    if (out_map(o, doc))
        out_map(o, doc)[o->len] = (uint32_t)n;
    if (out_rec(o, doc))
        rec_finish(out_rec(o, doc), (uint32_t)o->len, (uint32_t)n);
}

static void normalize_into(out *o, const char *in, size_t n)
{
    normalize_run(o, in, n, 0);
}

static void normalize_doc_into(out *o, const char *in, size_t n)
{
    normalize_run(o, in, n, 1);
}

static void out_init(out *o, zl_arena *a, size_t n, int with_map)
{
    o->a = a;
    o->len = 0;
    o->cap = n + n / 8 + 32;
    o->t = zl_arena_alloc(a, o->cap);
    o->m = with_map ? zl_arena_alloc(a, o->cap * sizeof *o->m) : NULL;
    o->tk = NULL;
}

void zl_normalize(zl_arena *a, const char *in, size_t n, zl_norm *out_norm)
{
    out o;
    out_init(&o, a, n, 1);
    normalize_into(&o, in, n);
    out_norm->text = o.t;
    out_norm->len = o.len;
    out_norm->map = o.m;
}

char *zl_normalize_str(zl_arena *a, const char *in, size_t n, size_t *out_len)
{
    out o;
    out_init(&o, a, n, 0);
    normalize_into(&o, in, n);
    if (out_len)
        *out_len = o.len;
    return o.t;
}

void zl_normalize_doc(zl_arena *a, const char *in, size_t n, zl_norm *out_norm, zl_tokrec *rec)
{
    out o;
    trec t;
    out_init(&o, a, n, 0);
    memset(&t, 0, sizeof t);
    t.r = rec;
    t.a = a;
    t.line_start = ZL_TF_LINE_START;
    rec->cap = (uint32_t)(n / 4 < ZL_MAX_TOKENS - 16 ? n / 4 + 16 : ZL_MAX_TOKENS);
    rec->tok = zl_arena_alloc(a, rec->cap * sizeof *rec->tok);
    rec->tcase = zl_arena_alloc(a, rec->cap);
    rec->tcps = zl_arena_alloc(a, rec->cap * sizeof *rec->tcps);
    rec->n = rec->n_map = 0;
    o.tk = &t;
    normalize_doc_into(&o, in, n);
    out_norm->text = o.t;
    out_norm->len = o.len;
    out_norm->map = o.m;
}
