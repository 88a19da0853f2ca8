/*
 * tokrec.h - tokens recorded by the normalizer (internal to src/text).
 *
 * Document loading normalizes and tokenizes in one pass: zl_normalize_doc
 * runs zl_normalize, without the offset map, and, as it writes each output
 * character, the tokenizer of segment.c (scan_tokens) over the output, so
 * the segmenter takes the tokens without scanning the normalized text
 * again.  For every token whose characters each come from one input
 * character, contiguous in the input and followed directly by the source of
 * the next output character, the recorder also fills the logical-text span
 * and the letter case of the original (what the segmenter would read back
 * through the map); the other tokens are marked, and for them the recorder
 * keeps the three map entries the segmenter computes those from.
 *
 * The character classes the tokenizer reads (cc_table of segment.c) are
 * shared here.
 */
#ifndef ZL_TEXT_TOKREC_H
#define ZL_TEXT_TOKREC_H

#include <stddef.h>
#include <stdint.h>

#include "text/segment.h"
#include "util/arena.h"

/* Character classes: CC_* bits, and in the bits from CC_TF_SHIFT up the
 * token flags (ZL_TF_CYRILLIC, ZL_TF_LATIN, ZL_TF_KAZAKH) a letter or digit
 * gives the word it stands in. */
enum { CC_LETTER = 1, CC_UPPER = 2, CC_LOWER = 4, CC_SPACE = 8, CC_DIGIT = 16 };
#define CC_TF_SHIFT 8
#define CC_TABLE 0x800

extern const uint16_t zl_cc_table[CC_TABLE];
unsigned zl_cc_slow(uint32_t c);

static inline unsigned zl_cclass(uint32_t c)
{
    return c < CC_TABLE ? zl_cc_table[c] : zl_cc_slow(c);
}

/* Letter case of the original text of a token: the case of its first
 * letter, whether it has a lower-case letter, and its upper-case letters
 * counted up to 3.  ZL_CASE_MAP marks a token whose span and case the
 * segmenter computes from what the map of zl_normalize would give at the
 * token's first byte (kept in tok.text_off), at the byte after it
 * (tok.text_len) and at the first byte of its last character (tcps). */
enum { CASE_FIRST_UP = 1, CASE_FIRST_LO = 2, CASE_ANY_LO = 4, CASE_UP_SHIFT = 3 };
#define ZL_CASE_MAP 0xFF

typedef struct zl_tokrec {
    zl_token *tok;    /* the tokens as scan_tokens gives them, and text spans */
    uint8_t *tcase;   /* per token: its case, or ZL_CASE_MAP */
    uint32_t *tcps;   /* per token: code points of its logical text (marked:
                       * the source of its last character) */
    uint32_t n;       /* tokens counted (only the first `cap` are stored) */
    uint32_t cap;
    uint32_t n_map;   /* tokens marked ZL_CASE_MAP */
} zl_tokrec;

/* zl_normalize, recording the tokens of the output in *rec (arena memory);
 * out->map is NULL. */
void zl_normalize_doc(zl_arena *a, const char *in, size_t n, zl_norm *out, zl_tokrec *rec);

/* zl_segment with the tokens recorded by zl_normalize_doc. */
int zl_segment_rec(zl_doc *doc, zl_tokrec *rec, zl_diags *diags);

/* For test_segment: normalizes in[0..n) with zl_normalize_doc and compares
 * the recorded tokens (every field, case and code point counts included)
 * with scan_tokens over the text and the map of zl_normalize.  0 when equal, else the
 * index of the first differing token plus one. */
uint32_t zl_tokrec_check(const char *in, size_t n);

#endif
