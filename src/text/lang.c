/*
 * lang.c - language of paragraphs (ru / kk / other) and the language
 * versions of a document.
 *
 * Evidence is counted on word tokens: a word with a Kazakh-specific letter
 * (ә ғ қ ң ө ұ ү һ і) or a Kazakh function word is Kazakh evidence; any other
 * Cyrillic word counts for Russian; Latin words count for "other".
 * Paragraphs with too little evidence (headings) take the language of the
 * text that follows them.  Versions are runs of paragraphs of one language that make up
 * a document-sized part; islands (a Kazakh phrase in a Russian policy, a
 * Russian heading inside the Kazakh part) are absorbed by the run around
 * them.  Called by zl_segment once paragraphs exist; later stages read
 * doc->paras[].lang and doc->versions.
 */
#include <string.h>

#include "text/lang.h"

/* Kazakh function words without a Kazakh-specific letter (those with one
 * are caught by the letter test), by byte length: every one is Cyrillic,
 * two bytes a letter. */
static const char *const kk_words6[] = {"мен", "осы", "бен", "пен", "бұл", NULL};
static const char *const kk_words8[] = {"және", "үшін", "оның", "олар", "егер", NULL};
static const char *const kk_words10[] = {"болып", NULL};
static const char *const kk_words12[] = {"туралы", "немесе", "арқылы", "сондай", NULL};
static const char *const kk_words14[] = {"бойынша", NULL};
static const char *const kk_words16[] = {"табылады", NULL};

/* Longest of the words, in bytes. */
#define KK_WORD_MAX 16

static const char *const *const kk_words[KK_WORD_MAX + 1] = {
    [6] = kk_words6,   [8] = kk_words8,   [10] = kk_words10,
    [12] = kk_words12, [14] = kk_words14, [16] = kk_words16,
};

typedef zl_lang_counts counts;

/* By byte length, the second bytes (the first letter's continuation byte,
 * its low six bits) the words of that length start with: most Cyrillic
 * words are told apart by one bit (zl_lang_check compares these with the
 * words). */
const uint64_t zl_kk_second[KK_WORD_MAX + 1] = {
    [6] = 0xd002000000000000u,  [8] = 0x4060800000000000u, [10] = 0x0002000000000000u,
    [12] = 0x2001000000000006u, [14] = 0x0002000000000000u, [16] = 0x0000000000000004u,
};

/* Only the words of the token's length are compared, their second byte
 * (the first letter's continuation byte) first. */
int zl_lang_kk_word_slow(const char *s, uint32_t len)
{
    if (len > KK_WORD_MAX || !kk_words[len])
        return 0;
    for (const char *const *w = kk_words[len]; *w; w++)
        if ((*w)[1] == s[1] && memcmp(*w, s, len) == 0)
            return 1;
    return 0;
}

int zl_lang_check(void)
{
    for (uint32_t len = 0; len <= KK_WORD_MAX; len++) {
        uint64_t m = 0;
        for (const char *const *w = kk_words[len]; w && *w; w++)
            m |= (uint64_t)1 << ((unsigned char)(*w)[1] & 63);
        if (m != zl_kk_second[len])
            return (int)len + 1;
    }
    return 0;
}

static void count_range(const zl_doc *doc, zl_range r, counts *c)
{
    memset(c, 0, sizeof *c);
    for (uint32_t i = r.first; i < r.end && i < doc->n_tokens; i++) {
        const zl_token *t = &doc->tokens[i];
        if (t->kind != ZL_TOK_WORD)
            continue;
        c->words++;
        if (t->flags & ZL_TF_CYRILLIC) {
            c->cyr++;
            c->kk += (t->flags & ZL_TF_KAZAKH) ||
                     zl_lang_kk_word_slow(doc->norm.text + t->off, t->len);
        } else if (t->flags & ZL_TF_LATIN) {
            c->latin++;
        }
    }
}

static zl_lang decide(const counts *c)
{
    if (c->cyr == 0)
        return ZL_LANG_OTHER;
    if (c->latin > 2 * c->cyr)
        return ZL_LANG_OTHER;
    /* about a third of Kazakh words carry a Kazakh letter or are function
     * words; Russian text has them only in names (Қазақстан) */
    if (c->kk * 5 >= c->cyr)
        return ZL_LANG_KK;
    return ZL_LANG_RU;
}

zl_lang zl_lang_detect(const zl_doc *doc, zl_range r)
{
    counts c;
    count_range(doc, r, &c);
    return decide(&c);
}

/* Enough evidence to stand on its own: two Cyrillic words with Kazakh
 * evidence, four Cyrillic words otherwise (short Russian-looking lines such
 * as "1. ЖАЛПЫ ЕРЕЖЕЛЕР" are common in Kazakh text), or three Latin words
 * with no Cyrillic at all. */
static int strong(const counts *c)
{
    if (c->cyr >= 2 && c->kk > 0)
        return 1;
    if (c->cyr >= 4)
        return 1;
    return c->cyr == 0 && c->latin >= 3;
}

typedef struct run {
    uint32_t pf, pe;   /* paragraphs */
    uint32_t words;
    zl_lang lang;
    int big;
} run;

void zl_lang_versions(zl_doc *doc)
{
    uint32_t np = doc->n_paras;
    counts *pc = zl_arena_alloc(doc->arena, (np ? np : 1) * sizeof *pc);
    for (uint32_t p = 0; p < np; p++)
        count_range(doc, doc->paras[p].tok, &pc[p]);
    zl_lang_versions_counted(doc, pc);
}

void zl_lang_versions_counted(zl_doc *doc, const zl_lang_counts *pc)
{
    uint32_t np = doc->n_paras;
    doc->versions = NULL;
    doc->n_versions = 0;
    if (np == 0)
        return;
    uint8_t *weak = zl_arena_alloc(doc->arena, np);
    uint32_t *words = zl_arena_alloc(doc->arena, (size_t)np * sizeof *words);
    uint32_t total = 0;
    for (uint32_t p = 0; p < np; p++) {
        const counts *c = &pc[p];
        doc->paras[p].lang = decide(c);
        weak[p] = !strong(c);
        words[p] = c->words;
        total += c->words;
    }
    /* weak paragraphs (mostly headings) take the language of the text they
     * introduce: the next strong paragraph, or the previous one at the end */
    uint32_t next = ZL_NONE, prev = ZL_NONE;
    for (uint32_t p = np; p-- > 0;) {
        if (!weak[p]) {
            next = p;
            continue;
        }
        if (next != ZL_NONE)
            doc->paras[p].lang = doc->paras[next].lang;
    }
    for (uint32_t p = 0; p < np; p++) {
        if (!weak[p])
            prev = p;
        else if (prev != ZL_NONE) {
            uint32_t q = p + 1;
            while (q < np && weak[q])
                q++;
            if (q == np)
                doc->paras[p].lang = doc->paras[prev].lang;
        }
    }
    /* runs of one language */
    run *runs = zl_arena_alloc(doc->arena, (size_t)np * sizeof *runs);
    uint32_t nr = 0;
    for (uint32_t p = 0; p < np; p++) {
        if (nr == 0 || runs[nr - 1].lang != doc->paras[p].lang) {
            runs[nr].pf = p;
            runs[nr].words = 0;
            runs[nr].lang = doc->paras[p].lang;
            nr++;
        }
        runs[nr - 1].pe = p + 1;
        runs[nr - 1].words += words[p];
    }
    /* a run is a version when it holds at least 15% of the words and
     * several paragraphs; other runs are islands */
    uint32_t nbig = 0;
    for (uint32_t r = 0; r < nr; r++) {
        runs[r].big = (uint64_t)runs[r].words * 100 >= (uint64_t)total * 15 &&
                      runs[r].pe - runs[r].pf >= 3 && runs[r].lang != ZL_LANG_OTHER;
        nbig += (uint32_t)runs[r].big;
    }
    if (nbig == 0) {
        /* one version in the language with the most words */
        uint32_t by[3] = {0, 0, 0};
        for (uint32_t p = 0; p < np; p++)
            by[doc->paras[p].lang] += words[p];
        zl_lang best = by[ZL_LANG_KK] > by[ZL_LANG_RU] ? ZL_LANG_KK : ZL_LANG_RU;
        if (by[best] == 0 && by[ZL_LANG_OTHER] > 0)
            best = ZL_LANG_OTHER;
        for (uint32_t r = 0; r < nr; r++)
            runs[r].big = 0;
        runs[0].big = 1;
        runs[0].lang = best;
    }
    /* islands join the version before them (or the first version) */
    doc->versions = zl_arena_calloc(doc->arena, nr, sizeof *doc->versions);
    uint32_t nv = 0;
    for (uint32_t r = 0; r < nr; r++) {
        if (!runs[r].big && nv > 0) {
            doc->versions[nv - 1].para_end = runs[r].pe;
            continue;
        }
        zl_lang lang = runs[r].lang;
        if (!runs[r].big) {
            /* islands before the first version belong to it */
            for (uint32_t q = r + 1; q < nr; q++)
                if (runs[q].big) {
                    lang = runs[q].lang;
                    break;
                }
        }
        if (nv > 0 && doc->versions[nv - 1].lang == lang) {
            doc->versions[nv - 1].para_end = runs[r].pe;
            continue;
        }
        zl_version *v = &doc->versions[nv++];
        v->lang = lang;
        v->para_first = runs[r].pf;
        v->para_end = runs[r].pe;
    }
    for (uint32_t v = 0; v < nv; v++) {
        zl_version *ver = &doc->versions[v];
        ver->tok.first = doc->paras[ver->para_first].tok.first;
        ver->tok.end = doc->paras[ver->para_end - 1].tok.end;
        ver->text_off = doc->paras[ver->para_first].text_off;
    }
    doc->n_versions = nv;
}
