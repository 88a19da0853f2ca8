/*
 * lang.h - language of a stretch of normalized text (ru / kk / other), and
 * language versions of a document (runs of one language forming a
 * document-sized part, e.g. a Kazakh version followed by a Russian one).
 */
#ifndef ZL_TEXT_LANG_H
#define ZL_TEXT_LANG_H

#include <stdint.h>

#include "text/doc.h"

/* Language of tokens [r.first, r.end) of the document. */
zl_lang zl_lang_detect(const zl_doc *doc, zl_range r);
/* Sets every paragraph's lang and fills doc->versions. */
void zl_lang_versions(zl_doc *doc);

/* The evidence of a stretch: word tokens, Cyrillic ones, those with Kazakh
 * evidence among them (a Kazakh letter, zl_lang_kk_word), Latin ones. */
typedef struct zl_lang_counts {
    uint32_t cyr, kk, latin, words;
} zl_lang_counts;

/* zl_lang_versions with each paragraph's counts made by the caller (the
 * segmenter counts them as it walks the lines). */
void zl_lang_versions_counted(zl_doc *doc, const zl_lang_counts *paras);

/* Is the Cyrillic word s[0..len) (normalized) one of the Kazakh function
 * words counted as Kazakh evidence ("мен", "туралы").  The inline part
 * rejects most words by their length and first letter. */
extern const uint64_t zl_kk_second[17];
int zl_lang_kk_word_slow(const char *s, uint32_t len);
static inline int zl_lang_kk_word(const char *s, uint32_t len)
{
    if (len > 16 || !zl_kk_second[len] ||
        !((zl_kk_second[len] >> ((unsigned char)s[1] & 63)) & 1))
        return 0;
    return zl_lang_kk_word_slow(s, len);
}

/* zl_kk_second against the word lists: 0, else the first wrong length
 * plus one (for test_lang). */
int zl_lang_check(void);

#endif
