/*
 * segment.c - stage 3: the structure of a normalized document.
 *
 * Reads doc->in (logical text, for letter case and input blocks) and
 * doc->norm (the matching text, with its map back to the logical text for
 * zl_segment; zl_segment_rec takes what it needs from the recorder) and
 * fills, in doc->arena: tokens, paragraphs (with their language and the
 * language versions, via lang.c), sections (headings), clauses and
 * sentences.  The rule engine and every reporter read the result through
 * doc.h.  Work is linear in the text: a line table is built once, paragraphs
 * are cut from lines, and the remaining units are cut from paragraphs.
 * Layout heuristics (hard-wrapped text, one-line-per-paragraph text, headings)
 * are explained where they are decided.  Tokens come from the normalizer
 * (zl_segment_rec, see tokrec.h); scan_tokens below is the definition it
 * follows, used by zl_tokenize, zl_segment and test_segment's differential
 * test.
 */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "text/lang.h"
#include "text/segment.h"
#include "text/tokrec.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* ------------------------------------------------------------------------ */
/* Characters                                                               */

static int is_cyrillic(uint32_t c)
{
    return (c >= 0x400 && c <= 0x52F) || (c >= 0x1C80 && c <= 0x1C8F) ||
           (c >= 0x2DE0 && c <= 0x2DFF) || (c >= 0xA640 && c <= 0xA69F);
}

static int is_kazakh(uint32_t c)
{
    switch (c) {
    case 0x4D9: case 0x4D8: /* ә */
    case 0x493: case 0x492: /* ғ */
    case 0x49B: case 0x49A: /* қ */
    case 0x4A3: case 0x4A2: /* ң */
    case 0x4E9: case 0x4E8: /* ө */
    case 0x4B1: case 0x4B0: /* ұ */
    case 0x4AF: case 0x4AE: /* ү */
    case 0x4BB: case 0x4BA: /* һ */
    case 0x456: case 0x406: /* і */
    case 0x259: case 0x18F: /* Latin schwa left unmapped */
        return 1;
    default:
        return 0;
    }
}

static int is_letter_slow(uint32_t c)
{
    if (c < 0x80)
        return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    switch (utf8proc_category((utf8proc_int32_t)c)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
        return 1;
    default:
        return 0;
    }
}

static int is_space(uint32_t c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v' ||
           c == 0xA0 || c == 0x2028 || c == 0x2029 || (c >= 0x2000 && c <= 0x200B) ||
           c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF || c == 0xAD;
}

unsigned zl_cc_slow(uint32_t c)
{
    unsigned k = 0;
    int letter = is_letter_slow(c), digit = c >= '0' && c <= '9';
    if (letter)
        k |= CC_LETTER;
    if (digit)
        k |= CC_DIGIT;
    if (utf8proc_isupper((utf8proc_int32_t)c))
        k |= CC_UPPER;
    if (utf8proc_islower((utf8proc_int32_t)c))
        k |= CC_LOWER;
    if (is_space(c))
        k |= CC_SPACE;
    if (letter || digit) {
        unsigned tf = 0;
        if (is_cyrillic(c))
            tf |= ZL_TF_CYRILLIC;
        else if (c < 0x2B0 || (c >= 0x1E00 && c <= 0x1EFF))
            tf |= letter ? ZL_TF_LATIN : 0;
        if (is_kazakh(c))
            tf |= ZL_TF_KAZAKH;
        k |= tf << CC_TF_SHIFT;
    }
    return k;
}

/* The classes of the code points below U+0800 (ASCII, Latin, Greek,
 * Cyrillic...), which the segmenter asks for every character of the text:
 * zl_cc_slow's answers with utf8proc 2.8, checked against it by test_segment
 * (zl_segment_check_classes).  A table filled at the first document cost
 * 0.3 M instructions per process. */
const uint16_t zl_cc_table[CC_TABLE] = {
    0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x008, 0x008, 0x008,
    0x008, 0x008, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000,
    0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x008, 0x000, 0x000, 0x000,
    0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000,
    0x010, 0x010, 0x010, 0x010, 0x010, 0x010, 0x010, 0x010, 0x010, 0x010, 0x000, 0x000,
    0x000, 0x000, 0x000, 0x000, 0x000, 0x203, 0x203, 0x203, 0x203, 0x203, 0x203, 0x203,
    0x203, 0x203, 0x203, 0x203, 0x203, 0x203, 0x203, 0x203, 0x203, 0x203, 0x203, 0x203,
    0x203, 0x203, 0x203, 0x203, 0x203, 0x203, 0x203, 0x000, 0x000, 0x000, 0x000, 0x000,
    0x000, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205,
    0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205,
    0x205, 0x205, 0x205, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000,
    0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000,
    0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000,
    0x000, 0x000, 0x000, 0x000, 0x008, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000,
    0x000, 0x000, 0x205, 0x000, 0x000, 0x008, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000,
    0x000, 0x205, 0x000, 0x000, 0x000, 0x000, 0x205, 0x000, 0x000, 0x000, 0x000, 0x000,
    0x203, 0x203, 0x203, 0x203, 0x203, 0x203, 0x203, 0x203, 0x203, 0x203, 0x203, 0x203,
    0x203, 0x203, 0x203, 0x203, 0x203, 0x203, 0x203, 0x203, 0x203, 0x203, 0x203, 0x000,
    0x203, 0x203, 0x203, 0x203, 0x203, 0x203, 0x203, 0x205, 0x205, 0x205, 0x205, 0x205,
    0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205,
    0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x000, 0x205, 0x205, 0x205, 0x205,
    0x205, 0x205, 0x205, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205,
    0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205,
    0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205,
    0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205,
    0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205,
    0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203,
    0x205, 0x203, 0x205, 0x203, 0x205, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205,
    0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205,
    0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205,
    0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205,
    0x203, 0x205, 0x203, 0x205, 0x203, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x205,
    0x205, 0x203, 0x203, 0x205, 0x203, 0x205, 0x203, 0x203, 0x205, 0x203, 0x203, 0x203,
    0x205, 0x205, 0x203, 0x603, 0x203, 0x203, 0x205, 0x203, 0x203, 0x205, 0x203, 0x203,
    0x203, 0x205, 0x205, 0x205, 0x203, 0x203, 0x205, 0x203, 0x203, 0x205, 0x203, 0x205,
    0x203, 0x205, 0x203, 0x203, 0x205, 0x203, 0x205, 0x205, 0x203, 0x205, 0x203, 0x203,
    0x205, 0x203, 0x203, 0x203, 0x205, 0x203, 0x205, 0x203, 0x203, 0x205, 0x205, 0x201,
    0x203, 0x205, 0x205, 0x205, 0x201, 0x201, 0x201, 0x201, 0x203, 0x201, 0x205, 0x203,
    0x201, 0x205, 0x203, 0x201, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203,
    0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x205, 0x203, 0x205,
    0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205,
    0x203, 0x205, 0x203, 0x205, 0x205, 0x203, 0x201, 0x205, 0x203, 0x205, 0x203, 0x203,
    0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205,
    0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205,
    0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205,
    0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205,
    0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205,
    0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x203, 0x203, 0x205, 0x203, 0x203, 0x205,
    0x205, 0x203, 0x205, 0x203, 0x203, 0x203, 0x203, 0x205, 0x203, 0x205, 0x203, 0x205,
    0x203, 0x205, 0x203, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205,
    0x205, 0x605, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205,
    0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205,
    0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205,
    0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205,
    0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205,
    0x201, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205,
    0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205, 0x205,
    0x205, 0x205, 0x205, 0x205, 0x005, 0x005, 0x005, 0x005, 0x005, 0x005, 0x005, 0x005,
    0x005, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x005, 0x005, 0x000, 0x000,
    0x000, 0x000, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000,
    0x000, 0x000, 0x000, 0x000, 0x005, 0x005, 0x005, 0x005, 0x005, 0x000, 0x000, 0x000,
    0x000, 0x000, 0x000, 0x000, 0x001, 0x000, 0x001, 0x000, 0x000, 0x000, 0x000, 0x000,
    0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x005, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x003, 0x005, 0x003, 0x005, 0x001, 0x000, 0x003, 0x005,
    0x000, 0x000, 0x005, 0x005, 0x005, 0x005, 0x000, 0x003, 0x000, 0x000, 0x000, 0x000,
    0x000, 0x000, 0x003, 0x000, 0x003, 0x003, 0x003, 0x000, 0x003, 0x000, 0x003, 0x003,
    0x005, 0x003, 0x003, 0x003, 0x003, 0x003, 0x003, 0x003, 0x003, 0x003, 0x003, 0x003,
    0x003, 0x003, 0x003, 0x003, 0x003, 0x003, 0x000, 0x003, 0x003, 0x003, 0x003, 0x003,
    0x003, 0x003, 0x003, 0x003, 0x005, 0x005, 0x005, 0x005, 0x005, 0x005, 0x005, 0x005,
    0x005, 0x005, 0x005, 0x005, 0x005, 0x005, 0x005, 0x005, 0x005, 0x005, 0x005, 0x005,
    0x005, 0x005, 0x005, 0x005, 0x005, 0x005, 0x005, 0x005, 0x005, 0x005, 0x005, 0x005,
    0x005, 0x005, 0x005, 0x003, 0x005, 0x005, 0x003, 0x003, 0x003, 0x005, 0x005, 0x005,
    0x003, 0x005, 0x003, 0x005, 0x003, 0x005, 0x003, 0x005, 0x003, 0x005, 0x003, 0x005,
    0x003, 0x005, 0x003, 0x005, 0x003, 0x005, 0x003, 0x005, 0x003, 0x005, 0x003, 0x005,
    0x005, 0x005, 0x005, 0x005, 0x003, 0x005, 0x000, 0x003, 0x005, 0x003, 0x003, 0x005,
    0x005, 0x003, 0x003, 0x003, 0x103, 0x103, 0x103, 0x103, 0x103, 0x103, 0x503, 0x103,
    0x103, 0x103, 0x103, 0x103, 0x103, 0x103, 0x103, 0x103, 0x103, 0x103, 0x103, 0x103,
    0x103, 0x103, 0x103, 0x103, 0x103, 0x103, 0x103, 0x103, 0x103, 0x103, 0x103, 0x103,
    0x103, 0x103, 0x103, 0x103, 0x103, 0x103, 0x103, 0x103, 0x103, 0x103, 0x103, 0x103,
    0x103, 0x103, 0x103, 0x103, 0x105, 0x105, 0x105, 0x105, 0x105, 0x105, 0x105, 0x105,
    0x105, 0x105, 0x105, 0x105, 0x105, 0x105, 0x105, 0x105, 0x105, 0x105, 0x105, 0x105,
    0x105, 0x105, 0x105, 0x105, 0x105, 0x105, 0x105, 0x105, 0x105, 0x105, 0x105, 0x105,
    0x105, 0x105, 0x105, 0x105, 0x105, 0x105, 0x505, 0x105, 0x105, 0x105, 0x105, 0x105,
    0x105, 0x105, 0x105, 0x105, 0x103, 0x105, 0x103, 0x105, 0x103, 0x105, 0x103, 0x105,
    0x103, 0x105, 0x103, 0x105, 0x103, 0x105, 0x103, 0x105, 0x103, 0x105, 0x103, 0x105,
    0x103, 0x105, 0x103, 0x105, 0x103, 0x105, 0x103, 0x105, 0x103, 0x105, 0x103, 0x105,
    0x103, 0x105, 0x000, 0x101, 0x101, 0x101, 0x101, 0x101, 0x000, 0x000, 0x103, 0x105,
    0x103, 0x105, 0x103, 0x105, 0x103, 0x105, 0x503, 0x505, 0x103, 0x105, 0x103, 0x105,
    0x103, 0x105, 0x503, 0x505, 0x103, 0x105, 0x103, 0x105, 0x103, 0x105, 0x503, 0x505,
    0x103, 0x105, 0x103, 0x105, 0x103, 0x105, 0x103, 0x105, 0x103, 0x105, 0x503, 0x505,
    0x503, 0x505, 0x103, 0x105, 0x103, 0x105, 0x103, 0x105, 0x103, 0x105, 0x503, 0x505,
    0x103, 0x105, 0x103, 0x105, 0x103, 0x103, 0x105, 0x103, 0x105, 0x103, 0x105, 0x103,
    0x105, 0x103, 0x105, 0x103, 0x105, 0x103, 0x105, 0x105, 0x103, 0x105, 0x103, 0x105,
    0x103, 0x105, 0x103, 0x105, 0x503, 0x505, 0x103, 0x105, 0x103, 0x105, 0x103, 0x105,
    0x103, 0x105, 0x103, 0x105, 0x103, 0x105, 0x103, 0x105, 0x503, 0x505, 0x103, 0x105,
    0x103, 0x105, 0x103, 0x105, 0x103, 0x105, 0x103, 0x105, 0x103, 0x105, 0x103, 0x105,
    0x103, 0x105, 0x103, 0x105, 0x103, 0x105, 0x103, 0x105, 0x103, 0x105, 0x103, 0x105,
    0x103, 0x105, 0x103, 0x105, 0x103, 0x105, 0x103, 0x105, 0x103, 0x105, 0x103, 0x105,
    0x103, 0x105, 0x103, 0x105, 0x103, 0x105, 0x103, 0x105, 0x103, 0x105, 0x103, 0x105,
    0x103, 0x105, 0x103, 0x105, 0x103, 0x105, 0x103, 0x105, 0x103, 0x105, 0x103, 0x105,
    0x103, 0x105, 0x103, 0x105, 0x103, 0x105, 0x103, 0x105, 0x000, 0x003, 0x003, 0x003,
    0x003, 0x003, 0x003, 0x003, 0x003, 0x003, 0x003, 0x003, 0x003, 0x003, 0x003, 0x003,
    0x003, 0x003, 0x003, 0x003, 0x003, 0x003, 0x003, 0x003, 0x003, 0x003, 0x003, 0x003,
    0x003, 0x003, 0x003, 0x003, 0x003, 0x003, 0x003, 0x003, 0x003, 0x003, 0x003, 0x000,
    0x000, 0x001, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x005, 0x005, 0x005, 0x005,
    0x005, 0x005, 0x005, 0x005, 0x005, 0x005, 0x005, 0x005, 0x005, 0x005, 0x005, 0x005,
    0x005, 0x005, 0x005, 0x005, 0x005, 0x005, 0x005, 0x005, 0x005, 0x005, 0x005, 0x005,
    0x005, 0x005, 0x005, 0x005, 0x005, 0x005, 0x005, 0x005, 0x005, 0x005, 0x005, 0x005,
    0x005, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x000, 0x001, 0x000, 0x001, 0x001, 0x000,
    0x001, 0x001, 0x000, 0x001, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x000, 0x000, 0x000, 0x000, 0x001, 0x001, 0x001, 0x001, 0x000,
    0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000,
    0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000,
    0x000, 0x000, 0x000, 0x000, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x000, 0x000, 0x000, 0x000, 0x000, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000,
    0x000, 0x000, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x000, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x000, 0x000, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x000, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x001, 0x001,
    0x001, 0x000, 0x000, 0x001, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000,
    0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x000, 0x000, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000,
    0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000, 0x000,
    0x000, 0x000, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001,
    0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x001, 0x000, 0x000,
    0x000, 0x000, 0x001, 0x000, 0x000, 0x001, 0x000, 0x000,
};

static int word_lists_ok(void);

int zl_segment_check_classes(void)
{
    for (uint32_t c = 0; c < CC_TABLE; c++)
        if (zl_cc_table[c] != zl_cc_slow(c))
            return (int)c + 1;
    return word_lists_ok() ? 0 : -1;
}

static inline unsigned cclass(uint32_t c)
{
    return zl_cclass(c);
}

/* Decodes at s[i..n); an ill-formed byte decodes as U+FFFD (length 1). */
static inline size_t dec(const char *s, size_t n, size_t i, uint32_t *cp)
{
    unsigned char c0 = (unsigned char)s[i];
    if (c0 < 0x80) {
        *cp = c0;
        return 1;
    }
    if (c0 >= 0xC2 && c0 < 0xE0 && i + 1 < n && ((unsigned char)s[i + 1] & 0xC0) == 0x80) {
        *cp = ((uint32_t)(c0 & 0x1F) << 6) | ((unsigned char)s[i + 1] & 0x3F);
        return 2;
    }
    size_t k = zl_utf8_decode(s + i, n - i, cp);
    if (k == 0) {
        *cp = 0xFFFD;
        k = 1;
    }
    return k;
}

/* ------------------------------------------------------------------------ */
/* Tokens                                                                   */

/* The classes zl_cc_table gives four letters accepted by zl_utf8_cyr4, ORed:
 * every letter of U+0400-U+047F is a Cyrillic letter; U+0406 and U+0456
 * (D0 86, D1 96) are also Kazakh ones. */
static inline unsigned cyr4_flags(const unsigned char *s)
{
    uint64_t w, x, y;
    const uint64_t one = (uint64_t)0x0001000100010001u, high = (uint64_t)0x8000800080008000u;
    memcpy(&w, s, 8);
    x = w ^ (uint64_t)0x96D196D196D196D1u; /* a zero 16-bit lane: U+0456 */
    y = w ^ (uint64_t)0x86D086D086D086D0u; /* a zero 16-bit lane: U+0406 */
    unsigned k = CC_LETTER | (unsigned)ZL_TF_CYRILLIC << CC_TF_SHIFT;
    if ((((x - one) & ~x) | ((y - one) & ~y)) & high)
        k |= (unsigned)ZL_TF_KAZAKH << CC_TF_SHIFT;
    return k;
}

/* Scans `s` and stores up to `cap` tokens in `out` with normalized offsets
 * (text offsets equal them; the segmenter maps them later).  Returns the
 * count, which may exceed `cap`: the caller then scans again with room. */
static uint32_t scan_tokens(const char *s, size_t n, zl_token *out, uint32_t cap)
{
    uint32_t count = 0;
    size_t i = 0;
    int line_start = 1;
    while (i < n) {
        if (s[i] == ' ') {
            i++;
            continue;
        }
        uint32_t c;
        size_t k = dec(s, n, i, &c);
        unsigned cl = cclass(c);
        if (cl & CC_SPACE) {
            if (c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029)
                line_start = 1;
            i += k;
            continue;
        }
        size_t start = i;
        uint8_t kind;
        unsigned flags = 0;
        if (cl & CC_DIGIT) {
            kind = ZL_TOK_NUMBER;
            i += k;
            for (;;) {
                uint32_t d, e;
                if (i >= n)
                    break;
                size_t kd = dec(s, n, i, &d);
                unsigned cd = cclass(d);
                if (cd & CC_DIGIT) {
                    i += kd;
                    continue;
                }
                if ((d == '.' || d == ',') && i + 1 < n) {
                    dec(s, n, i + 1, &e);
                    if (cclass(e) & CC_DIGIT) {
                        i += kd;
                        continue;
                    }
                }
                if (cd & CC_LETTER)
                    kind = ZL_TOK_WORD; /* "3d", "1st": continue as a word */
                break;
            }
        } else if (cl & CC_LETTER) {
            kind = ZL_TOK_WORD;
        } else {
            kind = ZL_TOK_PUNCT;
            i += k;
        }
        if (kind == ZL_TOK_WORD) {
            for (;;) {
                uint32_t d, e;
                /* letters of U+0400-U+047F (two bytes, lead D0 or D1), four
                 * at a time, then one at a time */
                while (n - i >= 8 && zl_utf8_cyr4((const unsigned char *)s + i)) {
                    flags |= cyr4_flags((const unsigned char *)s + i);
                    i += 8;
                }
                while (i + 1 < n && ((unsigned char)s[i] & 0xFE) == 0xD0 &&
                       ((unsigned char)s[i + 1] & 0xC0) == 0x80) {
                    flags |= zl_cc_table[(((unsigned char)s[i] & 0x1Fu) << 6) |
                                      ((unsigned char)s[i + 1] & 0x3Fu)];
                    i += 2;
                }
                if (i >= n)
                    break;
                unsigned char b = (unsigned char)s[i];
                if (b < 0x80 && !(zl_cc_table[b] & (CC_LETTER | CC_DIGIT)) && b != '-' && b != '\'')
                    break; /* ASCII space or punctuation: the common end of a word */
                size_t kd = dec(s, n, i, &d);
                unsigned cd = cclass(d);
                if (cd & (CC_LETTER | CC_DIGIT)) {
                    flags |= cd;
                    i += kd;
                    continue;
                }
                if ((d == '-' || d == '\'' || d == 0x2019 || d == 0x2BC || d == 0x2010 ||
                     d == 0x2011) && i + kd < n) {
                    dec(s, n, i + kd, &e);
                    if (cclass(e) & (CC_LETTER | CC_DIGIT)) {
                        i += kd;
                        continue;
                    }
                }
                break;
            }
            flags >>= CC_TF_SHIFT;
        }
        if (count < cap) {
            zl_token *t = &out[count];
            t->off = (uint32_t)start;
            t->len = (uint32_t)(i - start);
            t->text_off = t->off;
            t->text_len = t->len;
            t->kind = kind;
            t->flags = (uint8_t)(flags | (line_start ? ZL_TF_LINE_START : 0));
        }
        line_start = 0;
        count++;
        if (count == UINT32_MAX)
            break;
    }
    return count;
}

uint32_t zl_tokenize(zl_arena *a, const char *norm, size_t len, zl_token **out)
{
    zl_token buf[64];
    uint32_t n = scan_tokens(norm, len, buf, 64);
    zl_token *t = zl_arena_alloc(a, (n ? n : 1) * sizeof *t);
    if (n <= 64)
        memcpy(t, buf, n * sizeof *t);
    else
        scan_tokens(norm, len, t, n);
    *out = t;
    return n;
}

/* ------------------------------------------------------------------------ */
/* Segmenter state                                                          */

enum { MK_NONE = 0, MK_DOT, MK_DOTLESS, MK_PAREN, MK_BULLET, MK_LABEL };
enum { HK_NONE = 0, HK_MD, HK_NUM, HK_NUMSUB, HK_CAPS, HK_TITLE };

typedef struct marker {
    uint8_t kind;
    uint8_t depth;      /* components of a dotted number */
    uint32_t first;     /* first token of the marker */
    uint32_t end;       /* token after the marker */
    uint32_t nval[8];   /* numeric components (dotted) or the value of "N)" */
} marker;

typedef struct line {
    uint32_t first, end;    /* tokens */
    uint32_t cps;           /* code points of the logical-text span, up to LINE_CPS_MAX,
                             * or CPS_LAZY until first asked for (line_cps_of) */
    uint32_t block;         /* input block of the first token, or ZL_NONE */
    uint8_t blank_before;
    uint8_t terminal;       /* ends with . ! ? : ; (closing quotes skipped) */
    uint8_t lower_start;    /* first letter after the marker is lower case */
    uint8_t upper_start;    /* first letter after the marker is upper case */
    uint8_t all_caps;       /* >= 3 letters, none lower case */
    uint8_t words;          /* word tokens, saturating */
    uint8_t comma;          /* contains a comma */
    uint8_t comma_end;      /* ends with a comma */
    uint8_t parens_ok;      /* ( and ) balance */
    uint8_t stop_end;       /* last word cannot end a title */
    marker mk;
    zl_lang_counts lc;      /* language evidence of all its tokens (build_lines) */
} line;

typedef struct ptmp {
    uint32_t l_first, l_end; /* lines */
    uint8_t head;            /* HK_* */
    uint8_t hlevel;
} ptmp;

typedef struct seg {
    zl_doc *doc;
    const char *nt;   /* normalized text */
    size_t nlen;
    const char *lt;   /* logical text */
    size_t llen;
    zl_token *tok;
    uint32_t ntok;
    uint8_t *tcase;   /* per token: text_case() of its logical text */
    uint32_t *tcps;   /* per token: code points of its logical text */
    line *lines;
    uint32_t nlines;
    ptmp *pp;
    uint32_t npp;
    int wrapped;
    uint32_t wrap_width;
    int has_subnumbers;
    uint32_t nterm;   /* tokens that are . ; : ! or ? (is_term) */
    uint32_t *terms;  /* their indices, in order (build_lines) */
    int ref;          /* the reference segmentation (zl_segment_check) */
} seg;

static int tok_is(const seg *g, uint32_t i, const char *s)
{
    size_t n = strlen(s);
    return g->tok[i].len == n && memcmp(g->nt + g->tok[i].off, s, n) == 0;
}

/* Is token i one of . ; : ! ? (every one is a single ASCII byte). */
static inline int is_term(const seg *g, uint32_t i)
{
    const zl_token *t = &g->tok[i];
    if (t->kind != ZL_TOK_PUNCT || t->len != 1)
        return 0;
    char c = g->nt[t->off];
    return c == '.' || c == ';' || c == ':' || c == '!' || c == '?';
}

static uint32_t tok_cp(const seg *g, uint32_t i)
{
    uint32_t c;
    dec(g->nt, g->nlen, g->tok[i].off, &c);
    return c;
}

/* Whitespace (or a line break) between token i and token i+1. */
static int gap_after(const seg *g, uint32_t i)
{
    return i + 1 >= g->ntok || g->tok[i].off + g->tok[i].len < g->tok[i + 1].off;
}

/* Letter case of the original text of a token (CASE_* of tokrec.h),
 * computed once per token by the normalizer or map_tokens. */

/* Adds the case of the letters of U+0400-U+045F in the 16-bit lanes of w
 * whose bit 0 is set in `lanes` (lead D0 or D1 in the low byte of a lane,
 * the continuation byte above it) to *first, *up and *lo, as text_case
 * does letter by letter: upper case is exactly D0 80-AF (U+0400-U+042F),
 * lower case the rest.  Returns 0, changing nothing, when a lane holds
 * U+0460-U+047F (D1 A0-BF, case alternating). */
static inline int cyr_case(uint64_t w, uint64_t lanes, unsigned nl, unsigned *first, unsigned *up,
                           unsigned *lo)
{
    const uint64_t one = (uint64_t)0x0001000100010001u;
    uint64_t d1 = w & one; /* lead D1 */
    if (d1 & (w >> 13) & lanes)
        return 0; /* a continuation byte A0-BF after D1 */
    uint64_t upl = ~(d1 | ((w >> 12) & (w >> 13))) & lanes; /* not D1, not B0-BF */
    unsigned nu = (unsigned)((upl * one) >> 48);
    if (!*first)
        *first = upl & 1 ? CASE_FIRST_UP : CASE_FIRST_LO;
    if (nu < nl)
        *lo = CASE_ANY_LO;
    *up = *up + nu < 3 ? *up + nu : 3;
    return 1;
}

static unsigned text_case(const char *lt, size_t p, size_t e, uint32_t *cps)
{
    const uint64_t one = (uint64_t)0x0001000100010001u;
    unsigned first = 0, up = 0, lo = 0;
    uint32_t n = 0;
    while (p < e) {
        /* four letters of U+0400-U+045F at a time */
        while (e - p >= 8 && zl_utf8_cyr4((const unsigned char *)lt + p)) {
            uint64_t w;
            memcpy(&w, lt + p, 8);
            if (!cyr_case(w, one, 4, &first, &up, &lo))
                break;
            n += 4;
            p += 8;
        }
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        /* the last one to three: the 8 bytes ending at e, shifted down */
        size_t r = e - p;
        if (r < 8 && r >= 2 && !(r & 1) && e >= 8) {
            uint64_t w, bm = ((uint64_t)1 << (8 * r)) - 1;
            memcpy(&w, lt + e - 8, 8);
            w >>= 8 * (8 - r);
            if ((w & (uint64_t)0xC0FEC0FEC0FEC0FEu & bm) == ((uint64_t)0x80D080D080D080D0u & bm) &&
                cyr_case(w, one & bm, (unsigned)(r / 2), &first, &up, &lo)) {
                n += (uint32_t)(r / 2);
                break;
            }
        }
#endif
        if (p >= e)
            break;
        uint32_t c;
        p += dec(lt, e, p, &c);
        n++;
        unsigned k = cclass(c);
        if (k & CC_UPPER) {
            up += up < 3;
            if (!first)
                first = CASE_FIRST_UP;
        } else if (k & CC_LOWER) {
            lo = CASE_ANY_LO;
            if (!first)
                first = CASE_FIRST_LO;
        }
    }
    *cps = n;
    return first | lo | up << CASE_UP_SHIFT;
}

/* Letter case of the original text of token i: adds its upper and lower
 * case letters to *up and *lo (upper counted up to 3, lower as 0 or 1) and
 * returns the case of the first letter (1 upper, -1 lower, 0). */
static int orig_case(const seg *g, uint32_t i, uint32_t *up, uint32_t *lo)
{
    unsigned k = g->tcase[i];
    if (up)
        *up += (k >> CASE_UP_SHIFT) & 3;
    if (lo)
        *lo += (k & CASE_ANY_LO) != 0;
    return k & CASE_FIRST_UP ? 1 : k & CASE_FIRST_LO ? -1 : 0;
}

static int is_closing(const seg *g, uint32_t i)
{
    return g->tok[i].kind == ZL_TOK_PUNCT &&
           (tok_is(g, i, "\"") || tok_is(g, i, ")") || tok_is(g, i, "»") || tok_is(g, i, "]"));
}

/* Word lists carry their byte lengths (ended by {NULL, 0}). */
typedef struct lit {
    const char *s;
    uint32_t len;
} lit;
#define LIT(s) {s, sizeof(s) - 1}

static int in_list(const seg *g, uint32_t i, const lit *list)
{
    const zl_token *t = &g->tok[i];
    for (; list->s; list++)
        if (list->len == t->len && memcmp(g->nt + t->off, list->s, t->len) == 0)
            return 1;
    return 0;
}

/* A word list ordered by byte length: the words of length n are
 * w[at[n]..at[n + 1]) for n <= max (zl_segment_check_classes checks the
 * offsets).  in_set looks only at the words of the token's length, their
 * last byte first; the reference segmentation (seg.ref) reads the whole
 * list. */
typedef struct litset {
    const lit *w;
    const uint8_t *at;
    uint32_t max;
} litset;
#define LITSET(name) {name, name##_at, (uint32_t)sizeof name##_at - 2}

static int in_set(const seg *g, uint32_t i, const litset *set)
{
    const zl_token *t = &g->tok[i];
    if (g->ref)
        return in_list(g, i, set->w);
    uint32_t n = t->len;
    if (n == 0 || n > set->max)
        return 0;
    const char *s = g->nt + t->off;
    for (uint32_t k = set->at[n]; k < set->at[n + 1]; k++)
        if (set->w[k].s[n - 1] == s[n - 1] && memcmp(set->w[k].s, s, n) == 0)
            return 1;
    return 0;
}

static int litset_ok(const litset *set)
{
    uint32_t k = 0;
    for (uint32_t n = 0; n <= set->max; n++) {
        if (set->at[n] != k || set->at[n + 1] < set->at[n])
            return 0;
        for (; k < set->at[n + 1]; k++)
            if (!set->w[k].s || set->w[k].len != n)
                return 0;
    }
    return set->w[k].s == NULL;
}

/* Words that end a wrapped line but never a title: prepositions,
 * conjunctions, particles and determiners (ru and kk). */
static const lit stop_words[] = {
    LIT("а"), LIT("в"), LIT("и"), LIT("к"), LIT("о"), LIT("с"), LIT("у"), LIT("во"), LIT("до"),
    LIT("же"), LIT("за"), LIT("из"), LIT("ко"), LIT("на"), LIT("не"), LIT("но"), LIT("об"),
    LIT("от"), LIT("по"), LIT("со"), LIT("то"), LIT("ее"), LIT("их"), LIT("её"), LIT("да"),
    LIT("де"), LIT("та"), LIT("те"), LIT("без"), LIT("для"), LIT("или"), LIT("как"), LIT("над"),
    LIT("под"), LIT("при"), LIT("про"), LIT("чем"), LIT("что"), LIT("его"), LIT("все"), LIT("мен"),
    LIT("осы"), LIT("бен"), LIT("пен"), LIT("либо"), LIT("этих"), LIT("этой"), LIT("всех"),
    LIT("және"), LIT("үшін"), LIT("когда"), LIT("между"), LIT("также"), LIT("чтобы"), LIT("немесе"),
    LIT("туралы"), LIT("арқылы"), LIT("который"), LIT("которая"), LIT("которое"), LIT("которые"),
    LIT("бойынша"), LIT("настоящей"), LIT("настоящим"), LIT("настоящий"), LIT("настоящая"),
    LIT("следующей"), LIT("следующим"), LIT("настоящего"), {NULL, 0}};
static const uint8_t stop_words_at[] = {0,  0,  0,  7,  7,  28, 28, 44, 44, 50, 50,
                                        54, 54, 57, 57, 62, 62, 62, 62, 68, 68, 69};
static const litset stop_set = LITSET(stop_words);

static int is_stop_word(const seg *g, uint32_t i)
{
    return g->tok[i].kind == ZL_TOK_WORD && in_set(g, i, &stop_set);
}

/* Bullet characters (after normalization: every dash is '-'). */
static int is_bullet_cp(uint32_t c)
{
    switch (c) {
    case 0x25CF: case 0x2022: case 0xB7: case 0x25AA: case '-': case 0x2013: case 0x2014:
    case '*': case 0x25CB: case 0x25E6: case 0x2713: case 0x2714: case 0x25A0: case 0x2023:
    case 0x2043: case 0x25BA: case 0x27A2: case 0xF0B7:
        return 1;
    default:
        return 0;
    }
}

static int is_roman(const seg *g, uint32_t i)
{
    const zl_token *t = &g->tok[i];
    if (t->kind != ZL_TOK_WORD || t->len > 5)
        return 0;
    for (uint32_t k = 0; k < t->len; k++) {
        char c = g->nt[t->off + k];
        if (c != 'i' && c != 'v' && c != 'x')
            return 0;
    }
    return 1;
}

static int single_letter(const seg *g, uint32_t i)
{
    const zl_token *t = &g->tok[i];
    uint32_t c;
    return t->kind == ZL_TOK_WORD && dec(g->nt, g->nlen, t->off, &c) == t->len;
}

/* Parses the components of a number token "2.5.1" into m->nval; returns the
 * count, or 0 when the token is not a clause number (commas, long parts). */
static int number_parts(const seg *g, uint32_t i, marker *m)
{
    const zl_token *t = &g->tok[i];
    int parts = 0;
    uint32_t v = 0, digits = 0;
    if (t->kind != ZL_TOK_NUMBER)
        return 0;
    for (uint32_t k = 0; k <= t->len; k++) {
        char c = k < t->len ? g->nt[t->off + k] : '.';
        if (c >= '0' && c <= '9') {
            v = v * 10 + (uint32_t)(c - '0');
            if (++digits > 3)
                return 0;
        } else if (c == '.') {
            if (digits == 0 || parts == 8)
                return 0;
            m->nval[parts++] = v;
            v = 0;
            digits = 0;
        } else {
            return 0;
        }
    }
    return parts;
}

/* Recognizes a clause marker at token i (before `end`).  With `stars`,
 * Markdown emphasis stars around the marker are skipped ("**1.1.1.**").
 * Returns 1 and fills m. */
static int parse_marker(const seg *g, uint32_t i, uint32_t end, int stars, marker *m)
{
    memset(m, 0, sizeof *m);
    m->first = i;
    if (stars)
        while (i < end && tok_is(g, i, "*") && !gap_after(g, i))
            i++;
    if (i >= end)
        return 0;
    const zl_token *t = &g->tok[i];
    if (t->kind == ZL_TOK_WORD && t->len > 4)
        return 0; /* most lines: a word of more than one letter (at most 4 bytes) */
    if (t->kind == ZL_TOK_PUNCT && tok_is(g, i, "(") && i + 2 < end && !gap_after(g, i) &&
        !gap_after(g, i + 1) && tok_is(g, i + 2, ")") && gap_after(g, i + 2) &&
        ((g->tok[i + 1].kind == ZL_TOK_NUMBER && g->tok[i + 1].len <= 3) || is_roman(g, i + 1) ||
         single_letter(g, i + 1))) {
        m->kind = MK_PAREN;
        m->depth = 1;
        if (g->tok[i + 1].kind == ZL_TOK_NUMBER)
            number_parts(g, i + 1, m);
        m->end = i + 3;
        return 1;
    }
    if (t->kind == ZL_TOK_NUMBER || single_letter(g, i)) {
        int parts = t->kind == ZL_TOK_NUMBER ? number_parts(g, i, m) : 1;
        if (parts == 0)
            return 0;
        if (i + 1 < end && !gap_after(g, i) && tok_is(g, i + 1, ")") && gap_after(g, i + 1)) {
            if (t->kind == ZL_TOK_WORD && !is_roman(g, i) && t->len > 2)
                return 0;
            m->kind = MK_PAREN;
            m->depth = (uint8_t)parts;
            m->end = i + 2;
            return 1;
        }
        if (t->kind != ZL_TOK_NUMBER)
            return 0;
        if (i + 1 < end && !gap_after(g, i) && tok_is(g, i + 1, ".")) {
            uint32_t j = i + 2;
            if (stars)
                while (j < end && tok_is(g, j, "*") && !gap_after(g, j - 1))
                    j++;
            if (j < end && !gap_after(g, j - 1))
                return 0; /* "1.a" */
            m->kind = MK_DOT;
            m->depth = (uint8_t)parts;
            m->end = j;
            return 1;
        }
        if (parts >= 2 && gap_after(g, i) && i + 1 < end) {
            uint32_t up = 0;
            int c = orig_case(g, i + 1, &up, NULL);
            if (c == 1 || tok_is(g, i + 1, "-") || tok_is(g, i + 1, "\"")) {
                m->kind = MK_DOTLESS;
                m->depth = (uint8_t)parts;
                m->end = i + 1;
                return 1;
            }
        }
        return 0;
    }
    if (t->kind == ZL_TOK_PUNCT && is_bullet_cp(tok_cp(g, i)) && gap_after(g, i) && i + 1 < end) {
        m->kind = MK_BULLET;
        m->depth = 1;
        m->end = i + 1;
        return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Lines                                                                    */

static uint32_t block_of(const seg *g, uint32_t text_off, uint32_t *hint)
{
    const zl_input *in = &g->doc->in;
    size_t b = *hint;
    while (b < in->n_blocks && (size_t)in->blocks[b].off + in->blocks[b].len <= text_off)
        b++;
    *hint = (uint32_t)b;
    if (b < in->n_blocks && in->blocks[b].off <= text_off)
        return (uint32_t)b;
    return ZL_NONE;
}

static zl_block_kind block_kind(const seg *g, uint32_t b)
{
    return b == ZL_NONE ? ZL_BLK_TEXT : g->doc->in.blocks[b].kind;
}

/* Code points of the logical text from token i's start to token e-1's end
 * (as zl_utf8_count counts them): the tokens' own counts (map_tokens) and
 * the characters between them, unless two tokens' texts overlap. */
static uint32_t line_cps(const seg *g, uint32_t i, uint32_t e)
{
    const zl_token *t = g->tok;
    uint32_t ts = t[i].text_off, te = t[e - 1].text_off + t[e - 1].text_len;
    if (te <= ts)
        return 0;
    uint32_t n = g->tcps[i];
    for (uint32_t k = i + 1; k < e; k++) {
        uint32_t p = t[k - 1].text_off + t[k - 1].text_len, q = t[k].text_off;
        if (q < p)
            return (uint32_t)zl_utf8_count(g->lt + ts, te - ts);
        if (q == p + 1 && (unsigned char)g->lt[p] < 0x80)
            p = q, n++; /* one ASCII character (a space) between them */
        while (p < q) {
            uint32_t c;
            p += (uint32_t)dec(g->lt, q, p, &c);
            n++;
        }
        n += g->tcps[k];
    }
    return n;
}

/* build_lines as it was first written, one question per pass: the
 * reference of zl_segment_check (and of the language counts, which
 * lang.c then makes itself). */
static void build_lines_ref(seg *g)
{
    uint32_t nl = 0, nterm = 0;
    for (uint32_t i = 0; i < g->ntok; i++) {
        nl += (g->tok[i].flags & ZL_TF_LINE_START) != 0;
        nterm += is_term(g, i);
    }
    g->lines = zl_arena_calloc(g->doc->arena, nl ? nl : 1, sizeof *g->lines);
    g->nterm = nterm;
    g->terms = zl_arena_alloc(g->doc->arena, (nterm ? nterm : 1) * sizeof *g->terms);
    uint32_t nt = 0;
    g->nlines = 0;
    uint32_t hint = 0;
    for (uint32_t i = 0; i < g->ntok;) {
        uint32_t e = i + 1;
        while (e < g->ntok && !(g->tok[e].flags & ZL_TF_LINE_START))
            e++;
        line *L = &g->lines[g->nlines++];
        L->first = i;
        L->end = e;
        /* blank line before: two line breaks between the previous token and this one */
        if (i == 0) {
            L->blank_before = 1;
        } else {
            uint32_t nls = 0;
            for (uint32_t p = g->tok[i - 1].off + g->tok[i - 1].len; p < g->tok[i].off; p++)
                if (g->nt[p] == '\n')
                    nls++;
            L->blank_before = nls >= 2;
        }
        uint32_t ts = g->tok[i].text_off;
        L->cps = line_cps(g, i, e);
        L->block = g->doc->in.n_blocks ? block_of(g, ts, &hint) : ZL_NONE;
        parse_marker(g, i, e, 0, &L->mk);
        uint32_t body = L->mk.kind ? L->mk.end : i;
        uint32_t up = 0, lo = 0, words = 0, open = 0, close = 0;
        int first = 0;
        for (uint32_t k = i; k < body; k++)
            if (is_term(g, k))
                g->terms[nt++] = k;
        for (uint32_t k = body; k < e; k++) {
            if (g->tok[k].kind == ZL_TOK_WORD) {
                int c = orig_case(g, k, &up, &lo);
                if (!first)
                    first = c;
                words++;
            } else if (g->tok[k].kind == ZL_TOK_PUNCT) {
                if (is_term(g, k))
                    g->terms[nt++] = k;
                else if (tok_is(g, k, ","))
                    L->comma = 1;
                else if (tok_is(g, k, "("))
                    open++;
                else if (tok_is(g, k, ")"))
                    close++;
            }
        }
        L->upper_start = first == 1;
        L->lower_start = first == -1;
        L->all_caps = lo == 0 && up >= 3;
        L->words = (uint8_t)(words > 255 ? 255 : words);
        L->parens_ok = open == close;
        uint32_t last = e - 1;
        while (last > body && is_closing(g, last))
            last--;
        L->terminal = g->tok[last].kind == ZL_TOK_PUNCT &&
                      (tok_is(g, last, ".") || tok_is(g, last, "!") || tok_is(g, last, "?") ||
                       tok_is(g, last, ":") || tok_is(g, last, ";"));
        L->comma_end = g->tok[last].kind == ZL_TOK_PUNCT && tok_is(g, last, ",");
        L->stop_end = is_stop_word(g, e - 1);
        i = e;
    }
}

/* A line's code points are only compared with numbers below 256 (alone or
 * summed over a paragraph's lines): they are counted up to LINE_CPS_MAX. */
#define LINE_CPS_MAX 256u
#define CPS_LAZY UINT32_MAX

/* Code points of the logical text lt[ts..te) (0 when te <= ts), counted
 * up to LINE_CPS_MAX: its bytes that are not continuation bytes (80-BF),
 * which is what zl_utf8_count counts in well-formed UTF-8 (every reader's
 * text is).  A span of 4 * LINE_CPS_MAX bytes or more has at least as many
 * code points.  With SSE2 16 bytes at a time, the last ones by the 16 bytes
 * ending at te when they lie in the text. */
static uint32_t span_cps(const char *lt, uint32_t ts, uint32_t te)
{
    if (te <= ts)
        return 0;
    size_t n = te - ts, i = 0, cps = 0;
    if (n >= 4 * LINE_CPS_MAX)
        return LINE_CPS_MAX;
    const unsigned char *s = (const unsigned char *)lt + ts;
#if defined(__SSE2__)
    /* n < 1024: at most 64 blocks, no byte lane overflows */
    const __m128i bf = _mm_set1_epi8(-65), zero = _mm_setzero_si128();
    __m128i acc = zero;
    for (; n - i >= 16; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        acc = _mm_sub_epi8(acc, _mm_cmpgt_epi8(v, bf)); /* 00-7F, C0-FF */
    }
    if (i < n && te >= 16) {
        /* the last n - i bytes: the top lanes of the 16 ending at te */
        static const uint8_t top[32] = {
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
            0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        };
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(lt + te - 16));
        __m128i m = _mm_loadu_si128((const __m128i *)(const void *)(top + (n - i)));
        acc = _mm_sub_epi8(acc, _mm_and_si128(_mm_cmpgt_epi8(v, bf), m));
        i = n;
    }
    __m128i sum = _mm_sad_epu8(acc, zero);
    cps = (size_t)_mm_cvtsi128_si32(sum) + (size_t)_mm_extract_epi16(sum, 4);
#endif
    for (; i < n; i++)
        cps += (s[i] & 0xC0) != 0x80;
    return cps < LINE_CPS_MAX ? (uint32_t)cps : LINE_CPS_MAX;
}

/* The code points of line L (span_cps), counted the first time they are
 * asked for: most lines are ruled out as titles or headings before their
 * length matters.  The reference (build_lines_ref) counts every line. */
static uint32_t line_cps_of(const seg *g, const line *L)
{
    if (L->cps == CPS_LAZY) {
        const zl_token *z = &g->tok[L->end - 1];
        g->lines[L - g->lines].cps =
            span_cps(g->lt, g->tok[L->first].text_off, z->text_off + z->text_len);
    }
    return L->cps;
}

/* Per letter case (CASE_* of tokrec.h) of a word: its upper case letters
 * (up to 3) in the low 32 bits, whether it has a lower case one in the
 * high 32 bits, so that one addition per word counts both. */
#define CASE_ACC(c) ((uint64_t)(((c) >> CASE_UP_SHIFT) & 3) | (uint64_t)(((c) & CASE_ANY_LO) != 0) << 32)
#define CASE_ACC4(c) CASE_ACC(c), CASE_ACC((c) + 1), CASE_ACC((c) + 2), CASE_ACC((c) + 3)
#define CASE_ACC16(c) CASE_ACC4(c), CASE_ACC4((c) + 4), CASE_ACC4((c) + 8), CASE_ACC4((c) + 12)
#define CASE_ACC64(c) CASE_ACC16(c), CASE_ACC16((c) + 16), CASE_ACC16((c) + 32), CASE_ACC16((c) + 48)
static const uint64_t case_acc[256] = {CASE_ACC64(0), CASE_ACC64(64), CASE_ACC64(128),
                                       CASE_ACC64(192)};

/* What build_lines counts of a one-byte punctuation token. */
enum { PC_NONE = 0, PC_TERM, PC_COMMA, PC_OPEN, PC_CLOSE };
static const uint8_t punct_class[128] = {
    ['.'] = PC_TERM, [';'] = PC_TERM, [':'] = PC_TERM, ['!'] = PC_TERM, ['?'] = PC_TERM,
    [','] = PC_COMMA, ['('] = PC_OPEN, [')'] = PC_CLOSE,
};

/* The lines and what the later passes ask of them, and the list of
 * terminal punctuation, in one walk over the tokens: each line's tokens
 * are read once for its end, case, punctuation and language evidence (its
 * code points, those of its text span, are counted when first asked for:
 * line_cps_of); the tokens of a clause marker found at its start are then
 * taken back out of the body's figures, and the case of the body's first
 * letter is looked up after the walk.  The arrays grow as lines come (seg_run frees them). */
static void build_lines(seg *g)
{
    const zl_token *tok = g->tok;
    const uint8_t *tcase = g->tcase;
    const char *nt = g->nt;
    uint32_t ntok = g->ntok;
    size_t lcap = ntok / 8 + 16, tcap = ntok / 8 + 16;
    line *lines = zl_xmalloc(lcap * sizeof *lines);
    uint32_t *terms = zl_xmalloc(tcap * sizeof *terms);
    uint32_t nl = 0, nterm = 0, hint = 0;
    for (uint32_t i = 0; i < ntok;) {
        if (nl == lcap)
            lines = zl_xgrow(lines, &lcap, nl + 1, sizeof *lines);
        line *L = &lines[nl++];
        memset(L, 0, sizeof *L);
        L->first = i;
        /* blank line before: two line breaks between the previous token and this one */
        if (i == 0) {
            L->blank_before = 1;
        } else {
            uint32_t nls = 0;
            for (uint32_t p = tok[i - 1].off + tok[i - 1].len; p < tok[i].off; p++)
                if (nt[p] == '\n')
                    nls++;
            L->blank_before = nls >= 2;
        }
        uint64_t acc = 0; /* case_acc of the words */
        uint32_t words = 0, commas = 0, open = 0, close = 0;
        zl_lang_counts lc = {0, 0, 0, 0};
        uint32_t k = i;
        for (;;) {
            const zl_token *t = &tok[k];
            if (t->kind == ZL_TOK_WORD) {
                acc += case_acc[tcase[k]];
                words++;
                unsigned f = t->flags;
                if (f & ZL_TF_CYRILLIC) {
                    lc.cyr++;
                    lc.kk += (f & ZL_TF_KAZAKH) || zl_lang_kk_word(nt + t->off, t->len);
                } else if (f & ZL_TF_LATIN) {
                    lc.latin++;
                }
            } else if (t->kind == ZL_TOK_PUNCT && t->len == 1) {
                unsigned char b = (unsigned char)nt[t->off];
                switch (b < 0x80 ? punct_class[b] : PC_NONE) {
                case PC_TERM:
                    if (nterm == tcap)
                        terms = zl_xgrow(terms, &tcap, nterm + 1, sizeof *terms);
                    terms[nterm++] = k;
                    break;
                case PC_COMMA:
                    commas++;
                    break;
                case PC_OPEN:
                    open++;
                    break;
                case PC_CLOSE:
                    close++;
                    break;
                default:
                    break;
                }
            }
            if (++k >= ntok || (tok[k].flags & ZL_TF_LINE_START))
                break;
        }
        uint32_t e = k;
        L->end = e;
        lc.words = words;
        L->lc = lc;
        uint32_t ts = tok[i].text_off;
        L->cps = CPS_LAZY;
        L->block = g->doc->in.n_blocks ? block_of(g, ts, &hint) : ZL_NONE;
        parse_marker(g, i, e, 0, &L->mk);
        uint32_t body = L->mk.kind ? L->mk.end : i;
        if (body > i) {
            /* the marker's tokens are not the body's */
            for (k = i; k < body; k++) {
                const zl_token *t = &tok[k];
                if (t->kind == ZL_TOK_WORD) {
                    acc -= case_acc[tcase[k]];
                    words--;
                } else if (t->kind == ZL_TOK_PUNCT && t->len == 1) {
                    commas -= nt[t->off] == ',';
                    open -= nt[t->off] == '(';
                    close -= nt[t->off] == ')';
                }
            }
        }
        uint64_t up = (uint32_t)acc, lo = acc >> 32;
        if (e - i >= (1u << 30)) {
            /* the upper case count could have overflowed: count again */
            up = lo = 0;
            for (k = body; k < e; k++)
                if (tok[k].kind == ZL_TOK_WORD) {
                    up += (tcase[k] >> CASE_UP_SHIFT) & 3;
                    lo += (tcase[k] & CASE_ANY_LO) != 0;
                }
        }
        unsigned first = 0;
        for (k = body; k < e && !first; k++)
            if (tok[k].kind == ZL_TOK_WORD)
                first = tcase[k] & (CASE_FIRST_UP | CASE_FIRST_LO);
        L->comma = commas > 0;
        L->upper_start = first == CASE_FIRST_UP;
        L->lower_start = first == CASE_FIRST_LO;
        L->all_caps = lo == 0 && up >= 3;
        L->words = (uint8_t)(words > 255 ? 255 : words);
        L->parens_ok = open == close;
        uint32_t last = e - 1;
        while (last > body && is_closing(g, last))
            last--;
        L->terminal = is_term(g, last);
        L->comma_end = tok[last].kind == ZL_TOK_PUNCT && tok_is(g, last, ",");
        L->stop_end = is_stop_word(g, e - 1);
        i = e;
    }
    g->lines = lines;
    g->nlines = nl;
    g->terms = terms;
    g->nterm = nterm;
}

/* Hard-wrapped text (lines broken mid-sentence, as in PDF extractions) is
 * recognized by its soft breaks: a line that does not end a sentence followed
 * by a line starting in lower case.  The median length of such lines is the
 * wrap width; a line nearly that long is a wrapped line, not a title. */
static void detect_wrapping(seg *g)
{
    uint32_t soft = 0, single = 0;
    uint32_t hist[256];
    memset(hist, 0, sizeof hist);
    for (uint32_t l = 1; l < g->nlines; l++) {
        const line *A = &g->lines[l - 1], *B = &g->lines[l];
        if (B->blank_before)
            continue;
        single++;
        if (!A->terminal && B->lower_start && !B->mk.kind) {
            soft++;
            uint32_t cps = line_cps_of(g, A);
            hist[cps > 255 ? 255 : cps]++;
        }
    }
    g->wrapped = soft >= 2 && soft * 5 >= single;
    uint32_t half = (soft + 1) / 2, acc = 0;
    g->wrap_width = 80;
    for (uint32_t w = 0; w < 256 && soft; w++) {
        acc += hist[w];
        if (acc >= half) {
            g->wrap_width = w;
            break;
        }
    }
}

/* A short line standing alone that reads as a title: upper-case start, no
 * final punctuation, no comma, few words, not cut off at a function word,
 * and in hard-wrapped text clearly shorter than the wrap width. */
static int title_line(const seg *g, const line *L)
{
    if (L->mk.kind || !L->upper_start || L->terminal || L->comma || L->comma_end || !L->parens_ok ||
        L->stop_end || L->words == 0 || L->words > 12 || line_cps_of(g, L) > 80)
        return 0;
    if (g->tok[L->first].kind == ZL_TOK_NUMBER)
        return 0;
    if (g->wrapped &&
        (!L->blank_before || (uint64_t)line_cps_of(g, L) * 100 >= (uint64_t)g->wrap_width * 74))
        return 0;
    return 1;
}

/* A line that is a heading by its own form: ALL CAPS, or "N. Title". */
static int heading_line(const seg *g, const line *L)
{
    if (L->all_caps && !L->terminal && L->mk.kind != MK_BULLET && L->mk.kind != MK_PAREN)
        return 1;
    return L->mk.kind == MK_DOT && L->mk.depth == 1 && L->upper_start && !L->terminal &&
           !L->comma_end && line_cps_of(g, L) <= 150;
}

/* ------------------------------------------------------------------------ */
/* Paragraphs                                                               */

static int para_break(const seg *g, const ptmp *cur, uint32_t l)
{
    const line *A = &g->lines[l - 1], *B = &g->lines[l];
    zl_block_kind ka = block_kind(g, A->block), kb = block_kind(g, B->block);
    if (A->block != B->block && (ka != ZL_BLK_TEXT || kb != ZL_BLK_TEXT))
        return 1;
    if (ka != ZL_BLK_TEXT && A->block == B->block)
        return 0;
    if (B->mk.kind)
        return 1;
    const line *F = &g->lines[cur->l_first];
    if (heading_line(g, F)) {
        if (B->lower_start && !A->terminal)
            return 0;
        if (A->all_caps && B->all_caps && F->all_caps && l - cur->l_first < 3)
            return 0;
        return 1;
    }
    if (B->blank_before) {
        if (A->terminal)
            return 1;
        if (l - cur->l_first == 1 && title_line(g, A))
            return 1;
        if (l - cur->l_first == 1 && (A->mk.kind == MK_DOT || A->mk.kind == MK_DOTLESS) &&
            A->upper_start && !A->comma && line_cps_of(g, A) <= 100)
            return 1; /* "2.3. Title" standing alone */
        if (heading_line(g, B) || (B->all_caps && !A->all_caps))
            return 1;
        if (title_line(g, B) && (l + 1 >= g->nlines || g->lines[l + 1].blank_before))
            return 1; /* a title standing alone after an unfinished line (a URL) */
        return 0; /* a sentence cut by a blank line (PDF page or line artifacts) */
    }
    if (!g->wrapped) {
        /* One line per paragraph, except a line that plainly continues an
         * unfinished sentence (short texts give too little evidence to
         * detect hard wrapping as a whole). */
        return !(B->lower_start && !A->terminal && !heading_line(g, A));
    }
    /* hard-wrapped text: only a heading line after a finished sentence */
    if (heading_line(g, B) && (A->terminal || B->mk.kind))
        return 1;
    return 0;
}

static void build_paragraphs(seg *g)
{
    g->pp = zl_arena_alloc(g->doc->arena, (g->nlines ? g->nlines : 1) * sizeof *g->pp);
    g->npp = 0;
    for (uint32_t l = 0; l < g->nlines; l++) {
        if (g->npp == 0 || para_break(g, &g->pp[g->npp - 1], l)) {
            ptmp *p = &g->pp[g->npp++];
            p->l_first = l;
            p->head = HK_NONE;
            p->hlevel = 0;
        }
        g->pp[g->npp - 1].l_end = l + 1;
    }
    g->has_subnumbers = 0;
    for (uint32_t l = 0; l < g->nlines; l++)
        if ((g->lines[l].mk.kind == MK_DOT || g->lines[l].mk.kind == MK_DOTLESS) &&
            g->lines[l].mk.depth >= 2)
            g->has_subnumbers = 1;
}

static uint32_t para_first_tok(const seg *g, uint32_t p)
{
    return g->lines[g->pp[p].l_first].first;
}

static uint32_t para_end_tok(const seg *g, uint32_t p)
{
    return g->lines[g->pp[p].l_end - 1].end;
}

/* ------------------------------------------------------------------------ */
/* Headings and sections                                                    */

static int prefix_of(const marker *a, const marker *b)
{
    /* b's number starts with a's number and is deeper */
    if (b->depth <= a->depth)
        return 0;
    for (int k = 0; k < a->depth; k++)
        if (a->nval[k] != b->nval[k])
            return 0;
    return 1;
}

/* The code points of paragraph P's lines. */
static uint32_t para_cps(const seg *g, const ptmp *P)
{
    uint32_t cps = 0;
    for (uint32_t l = P->l_first; l < P->l_end; l++)
        cps += line_cps_of(g, &g->lines[l]);
    return cps;
}

static void classify_headings(seg *g)
{
    const zl_doc *d = g->doc;
    uint32_t last_top = 0, ver = 0;
    for (uint32_t p = 0; p < g->npp; p++) {
        ptmp *P = &g->pp[p];
        const line *F = &g->lines[P->l_first];
        const line *Z = &g->lines[P->l_end - 1];
        const ptmp *N = p + 1 < g->npp ? &g->pp[p + 1] : NULL;
        const line *NF = N ? &g->lines[N->l_first] : NULL;
        while (ver + 1 < d->n_versions && d->versions[ver + 1].para_first <= p) {
            ver++;
            last_top = 0;
        }
        uint32_t nlines = P->l_end - P->l_first;
        int caps = 1;
        for (uint32_t l = P->l_first; l < P->l_end; l++)
            caps &= g->lines[l].all_caps;
        P->head = HK_NONE;
        if (F->block != ZL_NONE && block_kind(g, F->block) == ZL_BLK_HEADING) {
            P->head = HK_MD;
            uint8_t lv = d->in.blocks[F->block].level;
            P->hlevel = lv ? lv : 1;
            continue;
        }
        if (F->block != ZL_NONE && block_kind(g, F->block) != ZL_BLK_TEXT &&
            block_kind(g, F->block) != ZL_BLK_PARAGRAPH)
            continue;
        if (F->mk.kind == MK_DOT && F->mk.depth == 1) {
            int titled = F->upper_start && !Z->terminal && !Z->comma_end && para_cps(g, P) <= 150;
            const line *PF = p > 0 ? &g->lines[g->pp[p - 1].l_first] : NULL;
            int list_like = !caps && ((NF && NF->mk.kind == MK_DOT && NF->mk.depth == 1) ||
                                      (PF && PF->mk.kind == MK_DOT && PF->mk.depth == 1 &&
                                       g->pp[p - 1].head == HK_NONE));
            int next_in_seq = last_top > 0 && F->mk.nval[0] == last_top + 1 &&
                              g->has_subnumbers && F->upper_start;
            if ((titled && !list_like && (F->mk.nval[0] == 1 || F->mk.nval[0] > last_top)) ||
                next_in_seq) {
                P->head = HK_NUM;
                P->hlevel = 1;
                last_top = F->mk.nval[0];
            }
            continue;
        }
        if ((F->mk.kind == MK_DOT || F->mk.kind == MK_DOTLESS) && F->mk.depth >= 2) {
            int titled = nlines == 1 && F->upper_start && !F->terminal && !F->comma_end &&
                         line_cps_of(g, F) <= 100;
            int body = NF && (NF->mk.kind == MK_NONE || prefix_of(&F->mk, &NF->mk));
            if (titled && body && g->pp[p + 1].l_end - g->pp[p + 1].l_first >= 1 &&
                !heading_line(g, NF) && !(NF->mk.kind == MK_NONE && title_line(g, NF))) {
                P->head = HK_NUMSUB;
                P->hlevel = F->mk.depth;
            }
            continue;
        }
        if (F->mk.kind)
            continue;
        if (caps && !Z->terminal && para_cps(g, P) <= 200) {
            P->head = HK_CAPS;
            continue;
        }
        if (nlines == 1 && title_line(g, F))
            P->head = HK_TITLE;
    }
}

/* Levels of unnumbered headings (ALL CAPS, title lines): inside a numbering
 * scheme (two or more "N." headings in the language version) they are
 * subheadings of the numbered section they stand in; before the first
 * numbered heading, or when numbering restarts after them, they are top
 * level (document titles). */
static void level_unnumbered(seg *g)
{
    const zl_doc *d = g->doc;
    for (uint32_t v = 0; v < (d->n_versions ? d->n_versions : 1); v++) {
        uint32_t pf = d->n_versions ? d->versions[v].para_first : 0;
        uint32_t pe = d->n_versions ? d->versions[v].para_end : g->npp;
        uint32_t nnum = 0;
        for (uint32_t p = pf; p < pe; p++)
            nnum += g->pp[p].head == HK_NUM;
        uint32_t ctx_level = 0, ctx_top = 0, next_num = pf;
        for (uint32_t p = pf; p < pe; p++) {
            if (next_num <= p) {
                /* the next "N." heading after p (found once per heading: linear) */
                next_num = p + 1;
                while (next_num < pe && g->pp[next_num].head != HK_NUM)
                    next_num++;
            }
            ptmp *P = &g->pp[p];
            if (P->head == HK_NUM || P->head == HK_NUMSUB) {
                ctx_level = P->hlevel;
                if (P->head == HK_NUM)
                    ctx_top = g->lines[P->l_first].mk.nval[0];
                continue;
            }
            if (P->head == HK_MD) {
                ctx_level = P->hlevel;
                continue;
            }
            if (P->head != HK_CAPS && P->head != HK_TITLE)
                continue;
            uint32_t next_top = next_num < pe ? g->lines[g->pp[next_num].l_first].mk.nval[0] : 0;
            int restart = next_top != 0 && next_top <= ctx_top;
            if (nnum < 2 || ctx_level == 0 || restart) {
                P->hlevel = 1;
                ctx_level = 0;
                ctx_top = 0;
            } else {
                P->hlevel = (uint8_t)(ctx_level + 1 > 9 ? 9 : ctx_level + 1);
            }
        }
    }
}

/* Copies the logical text of tokens [first, end) with whitespace folded. */
static const char *folded_text(const seg *g, uint32_t first, uint32_t end)
{
    uint32_t s = g->tok[first].text_off, e = g->tok[end - 1].text_off + g->tok[end - 1].text_len;
    char *out = zl_arena_alloc(g->doc->arena, (size_t)(e - s) + 1);
    size_t n = 0;
    int sp = 0;
    if (!g->ref) {
        /* runs of characters that are not whitespace, copied whole */
        const char *lt = g->lt;
        for (size_t i = s; i < e;) {
            size_t r = i;
            while (r < e) {
#if defined(__SSE2__)
                /* 16 bytes at a time over printable ASCII, continuation
                 * bytes and the leads D0 D1 (never whitespace): the text
                 * is well-formed, so a continuation byte is never first */
                if (e - r >= 16) {
                    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(lt + r));
                    __m128i ok = _mm_or_si128(
                        _mm_or_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(0x20)),
                                     _mm_cmplt_epi8(v, _mm_set1_epi8(-64))),
                        _mm_cmpeq_epi8(_mm_and_si128(v, _mm_set1_epi8((char)0xFE)),
                                       _mm_set1_epi8((char)0xD0)));
                    unsigned m = (unsigned)_mm_movemask_epi8(ok) ^ 0xFFFFu;
                    if (!m) {
                        r += 16;
                        continue;
                    }
                    r += (unsigned)__builtin_ctz(m);
                }
#endif
                unsigned char b = (unsigned char)lt[r];
                if (b < 0x80) {
                    if (zl_cc_table[b] & CC_SPACE)
                        break;
                    r++;
                    continue;
                }
                if ((b & 0xFE) == 0xD0 && r + 1 < e && ((unsigned char)lt[r + 1] & 0xC0) == 0x80) {
                    r += 2; /* U+0400-U+047F: never whitespace */
                    continue;
                }
                uint32_t c;
                size_t k = dec(lt, e, r, &c);
                if (cclass(c) & CC_SPACE)
                    break;
                r += k;
            }
            if (r > i) {
                if (sp && n)
                    out[n++] = ' ';
                sp = 0;
                memcpy(out + n, lt + i, r - i);
                n += r - i;
                i = r;
            }
            if (i < e) {
                uint32_t c;
                i += dec(lt, e, i, &c);
                sp = 1;
            }
        }
        out[n] = '\0';
        return out;
    }
    for (size_t i = s; i < e;) {
        uint32_t c;
        size_t k = dec(g->lt, e, i, &c);
        if (cclass(c) & CC_SPACE) {
            sp = 1;
        } else {
            if (sp && n)
                out[n++] = ' ';
            sp = 0;
            memcpy(out + n, g->lt + i, k);
            n += k;
        }
        i += k;
    }
    out[n] = '\0';
    return out;
}

static const char *number_str(const seg *g, const marker *m)
{
    uint32_t i = m->first;
    while (m->kind != MK_BULLET && tok_is(g, i, "*"))
        i++;
    if (m->kind == MK_DOT || m->kind == MK_DOTLESS)
        return zl_arena_strndup(g->doc->arena, g->nt + g->tok[i].off, g->tok[i].len);
    uint32_t e = m->end;
    while (e > i + 1 && tok_is(g, e - 1, "*"))
        e--;
    return folded_text(g, i, e);
}

static void build_sections(seg *g)
{
    zl_doc *d = g->doc;
    uint32_t n = 0;
    for (uint32_t p = 0; p < g->npp; p++)
        n += g->pp[p].head != HK_NONE;
    d->sections = zl_arena_calloc(d->arena, n ? n : 1, sizeof *d->sections);
    d->n_sections = 0;
    uint32_t stack[16], depth = 0, ver = 0;
    for (uint32_t p = 0; p < g->npp; p++) {
        zl_para *para = &d->paras[p];
        while (ver + 1 < d->n_versions && d->versions[ver + 1].para_first <= p) {
            ver++;
            depth = 0;
        }
        ptmp *P = &g->pp[p];
        if (P->head != HK_NONE) {
            zl_section *s = &d->sections[d->n_sections];
            uint8_t lv = P->hlevel ? P->hlevel : 1;
            while (depth && d->sections[stack[depth - 1]].level >= lv)
                depth--;
            s->level = lv;
            s->parent = depth ? stack[depth - 1] : ZL_NONE;
            s->heading = para->tok;
            s->tok.first = para->tok.first;
            s->text_off = para->text_off;
            s->title = folded_text(g, para->tok.first, para->tok.end);
            const line *F = &g->lines[P->l_first];
            if (F->mk.kind == MK_DOT || F->mk.kind == MK_DOTLESS)
                s->number = number_str(g, &F->mk);
            if (depth < 16)
                stack[depth++] = d->n_sections;
            d->n_sections++;
        }
        para->section = depth ? stack[depth - 1] : ZL_NONE;
    }
    /* ends: the next heading at the same or a higher level, or the version end */
    for (uint32_t s = 0; s < d->n_sections; s++) {
        uint32_t end = d->n_tokens;
        for (uint32_t v = 0; v < d->n_versions; v++)
            if (d->versions[v].tok.first <= d->sections[s].tok.first &&
                d->sections[s].tok.first < d->versions[v].tok.end)
                end = d->versions[v].tok.end;
        for (uint32_t t = s + 1; t < d->n_sections; t++)
            if (d->sections[t].tok.first >= end || d->sections[t].level <= d->sections[s].level) {
                if (d->sections[t].tok.first < end)
                    end = d->sections[t].tok.first;
                break;
            }
        d->sections[s].tok.end = end;
    }
}

/* ------------------------------------------------------------------------ */
/* Clauses and sentences                                                    */

typedef struct ctmp {
    uint32_t first, body; /* clause start, first token after its marker */
} ctmp;

/* Is the dotted number `b` a plausible next item after `a`: next sibling,
 * first child, or next sibling of an ancestor. */
static int follows(const marker *a, const marker *b)
{
    if (a->depth == 0)
        return b->depth >= 2 && b->nval[b->depth - 1] == 1;
    if (b->depth == a->depth + 1 && prefix_of(a, b) && b->nval[b->depth - 1] == 1)
        return 1;
    if (b->depth > a->depth)
        return 0;
    for (int k = 0; k + 1 < b->depth; k++)
        if (a->nval[k] != b->nval[k])
            return 0;
    return b->nval[b->depth - 1] == a->nval[b->depth - 1] + 1;
}

static void build_clauses(seg *g, ctmp **out_ct)
{
    zl_doc *d = g->doc;
    /* upper bound: one per paragraph plus one per terminal punctuation */
    uint32_t cap = g->npp + g->nterm;
    d->clauses = zl_arena_alloc(d->arena, (cap ? cap : 1) * sizeof *d->clauses);
    ctmp *ct = zl_arena_alloc(d->arena, (cap ? cap : 1) * sizeof *ct);
    uint32_t nc = 0;
    marker cur_dot;
    memset(&cur_dot, 0, sizeof cur_dot);
    uint32_t paren_last = 0;
    uint32_t sec = ZL_NONE;
    uint32_t tp = 0; /* next term to look at */
    for (uint32_t p = 0; p < g->npp; p++) {
        const ptmp *P = &g->pp[p];
        const line *F = &g->lines[P->l_first];
        uint32_t first = para_first_tok(g, p), end = para_end_tok(g, p);
        if (d->paras[p].section != sec) {
            sec = d->paras[p].section;
            memset(&cur_dot, 0, sizeof cur_dot);
            paren_last = 0;
        }
        zl_clause *c = &d->clauses[nc];
        c->tok.first = first;
        c->number = NULL;
        c->level = 0;
        ct[nc].first = first;
        ct[nc].body = first;
        zl_block_kind bk = block_kind(g, F->block);
        if (bk == ZL_BLK_LIST_ITEM && d->in.blocks[F->block].label) {
            const char *lab = d->in.blocks[F->block].label;
            size_t n = strlen(lab);
            if (n > 1 && lab[n - 1] == '.')
                n--;
            c->number = zl_arena_strndup(d->arena, lab, n);
            uint8_t lv = d->in.blocks[F->block].level;
            c->level = lv ? lv : 1;
            if (F->mk.kind)
                ct[nc].body = F->mk.end; /* the marker kept in the text */
        } else if (F->mk.kind) {
            c->number = number_str(g, &F->mk);
            ct[nc].body = F->mk.end;
            if (F->mk.kind == MK_DOT || F->mk.kind == MK_DOTLESS) {
                c->level = F->mk.depth;
                cur_dot = F->mk;
                paren_last = 0;
            } else {
                c->level = (uint8_t)(cur_dot.depth + 1);
                if (F->mk.kind == MK_PAREN)
                    paren_last = F->mk.nval[0];
            }
        }
        nc++;
        d->clauses[nc - 1].tok.end = end;
        if (P->head != HK_NONE)
            continue;
        /* numbered items in the middle of a line, after a sentence end: at
         * the tokens after the terms (the reference looks at every token) */
        while (tp < g->nterm && g->terms[tp] < ct[nc - 1].body)
            tp++;
        for (uint32_t i = ct[nc - 1].body + 1; i < end; i++) {
            if (!g->ref) {
                while (tp < g->nterm && g->terms[tp] + 1 < i)
                    tp++;
                if (tp >= g->nterm || g->terms[tp] + 1 >= end)
                    break;
                i = g->terms[tp++] + 1;
            }
            if (!is_term(g, i - 1) || !gap_after(g, i - 1) || (g->tok[i].flags & ZL_TF_LINE_START))
                continue;
            marker m;
            if (!parse_marker(g, i, end, 1, &m))
                continue;
            int ok = 0;
            if (m.kind == MK_PAREN && g->tok[m.end - 2].kind == ZL_TOK_NUMBER && m.depth == 1)
                ok = m.nval[0] == paren_last + 1 ||
                     (m.nval[0] == 1 && tok_is(g, i - 1, ":"));
            else if (m.kind == MK_DOT && m.depth >= 2)
                ok = follows(&cur_dot, &m);
            if (!ok || m.end >= end)
                continue;
            d->clauses[nc - 1].tok.end = i;
            zl_clause *cl = &d->clauses[nc];
            cl->tok.first = i;
            cl->number = number_str(g, &m);
            ct[nc].first = i;
            ct[nc].body = m.end;
            if (m.kind == MK_DOT) {
                cl->level = m.depth;
                cur_dot = m;
                paren_last = 0;
            } else {
                cl->level = (uint8_t)(cur_dot.depth + 1);
                paren_last = m.nval[0];
            }
            nc++;
            i = m.end;
        }
        d->clauses[nc - 1].tok.end = end;
    }
    d->n_clauses = nc;
    *out_ct = ct;
}

/* Abbreviations after which a period does not end a sentence. */
static const lit abbrevs[] = {
    LIT("т"), LIT("е"), LIT("д"), LIT("п"), LIT("г"), LIT("ч"), LIT("б"), LIT("ж"), LIT("mr"),
    LIT("dr"), LIT("no"), LIT("vs"), LIT("etc"), LIT("e.g"), LIT("i.e"), LIT("inc"), LIT("ltd"),
    LIT("llc"), LIT("mrs"), LIT("гг"), LIT("ул"), LIT("им"), LIT("ст"), LIT("пп"), LIT("см"),
    LIT("др"), LIT("кв"), LIT("пр"), LIT("гл"), LIT("пт"), LIT("р-н"), LIT("тел"), LIT("мкр"),
    LIT("обл"), LIT("стр"), LIT("руб"), LIT("тыс"), LIT("млн"), LIT("пер"), LIT("каб"), LIT("вкл"),
    LIT("рис"), LIT("млрд"), LIT("корп"), LIT("искл"), LIT("напр"), LIT("прим"), LIT("табл"),
    LIT("разд"), LIT("подп"), LIT("просп"), {NULL, 0}};
static const uint8_t abbrevs_at[] = {0, 0, 0, 12, 19, 30, 31, 42, 42, 50, 50, 51};
static const litset abbrev_set = LITSET(abbrevs);
/* Abbreviations that may also end a sentence: the period ends it when an
 * upper-case word follows. */
static const lit weak_abbrevs[] = {
    LIT("рк"), LIT("ао"), LIT("ип"), LIT("ақ"), LIT("рф"), LIT("тоо"), LIT("жшс"), LIT("сша"),
    {NULL, 0}};
static const uint8_t weak_abbrevs_at[] = {0, 0, 0, 0, 0, 5, 5, 8};
static const litset weak_abbrev_set = LITSET(weak_abbrevs);

static int word_lists_ok(void)
{
    return litset_ok(&stop_set) && litset_ok(&abbrev_set) && litset_ok(&weak_abbrev_set);
}


/* Does the terminator at i end a sentence?  `first` is the sentence start. */
static int ends_sentence(const seg *g, uint32_t i, uint32_t end, uint32_t *last)
{
    uint32_t j = i;
    /* runs like "...", "?!" */
    while (j + 1 < end && !gap_after(g, j) &&
           (tok_is(g, j + 1, ".") || tok_is(g, j + 1, "!") || tok_is(g, j + 1, "?")))
        j++;
    int run = j > i;
    while (j + 1 < end && !gap_after(g, j) && is_closing(g, j + 1))
        j++;
    if (j + 1 < end && !gap_after(g, j))
        return 0; /* "appfaces.tech", "a@b.kz", "т.е" */
    *last = j;
    if (j + 1 >= end)
        return 1;
    if (tok_is(g, i, ";") || tok_is(g, i, "!") || tok_is(g, i, "?") || run)
        return 1;
    /* a period */
    uint32_t nx = j + 1;
    int next_case = 0;
    if (g->tok[nx].kind == ZL_TOK_WORD)
        next_case = orig_case(g, nx, NULL, NULL);
    if (next_case == -1)
        return 0; /* a sentence does not start in lower case */
    if (i > 0 && g->tok[i - 1].kind == ZL_TOK_WORD && !gap_after(g, i - 1)) {
        if (in_set(g, i - 1, &abbrev_set))
            return 0;
        if (in_set(g, i - 1, &weak_abbrev_set))
            return next_case == 1;
        if (single_letter(g, i - 1) && orig_case(g, i - 1, NULL, NULL) == 1 &&
            (i < 2 || gap_after(g, i - 2) || tok_is(g, i - 2, ".")))
            return 0; /* initials "А. Б. Иванов", "А.Б. Иванов" */
    }
    return 1;
}

static void build_sentences(seg *g, const ctmp *ct)
{
    zl_doc *d = g->doc;
    uint32_t cap = d->n_clauses + g->nterm;
    d->sentences = zl_arena_alloc(d->arena, (cap ? cap : 1) * sizeof *d->sentences);
    uint32_t ns = 0, tp = 0;
    for (uint32_t c = 0; c < d->n_clauses; c++) {
        uint32_t first = d->clauses[c].tok.first, end = d->clauses[c].tok.end;
        uint32_t start = first;
        for (uint32_t i = ct[c].body; i < end; i++) {
            uint32_t last;
            if (!g->ref) {
                /* the next term at or after i (the reference looks at every token) */
                while (tp < g->nterm && g->terms[tp] < i)
                    tp++;
                if (tp >= g->nterm || g->terms[tp] >= end)
                    break;
                i = g->terms[tp];
            }
            if (g->tok[i].kind != ZL_TOK_PUNCT || !is_term(g, i) || tok_is(g, i, ":"))
                continue;
            if (!ends_sentence(g, i, end, &last)) {
                continue;
            }
            if (last + 1 < end) {
                d->sentences[ns].tok.first = start;
                d->sentences[ns].tok.end = last + 1;
                ns++;
                start = last + 1;
            }
            i = last;
        }
        if (start < end) {
            d->sentences[ns].tok.first = start;
            d->sentences[ns].tok.end = end;
            ns++;
        }
    }
    d->n_sentences = ns;
}

/* ------------------------------------------------------------------------ */

/* Logical-text offsets of token i and the letter case of that text, from
 * the logical-text offsets of the sources of its first character (s), of
 * the character after it (e) and of its last character (ls). */
static void span_token(seg *g, uint32_t i, uint32_t s, uint32_t e, uint32_t ls)
{
    zl_token *t = &g->tok[i];
    /* the last character's own end: back off over dropped characters */
    uint32_t le = ls + (uint32_t)zl_utf8_seqlen((unsigned char)g->lt[ls < g->llen ? ls : 0]);
    if (e < le)
        e = le;
    while (e > le) {
        /* trim trailing whitespace and invisible characters */
        size_t b = e - 1;
        while (b > le && ((unsigned char)g->lt[b] & 0xC0) == 0x80)
            b--;
        uint32_t c;
        dec(g->lt, e, b, &c);
        if (!(cclass(c) & CC_SPACE) && c != 0x200C && c != 0x200D && c != 0x2060)
            break;
        e = (uint32_t)b;
    }
    if (e > g->llen)
        e = (uint32_t)g->llen;
    if (s > e)
        s = e;
    t->text_off = s;
    t->text_len = e - s;
    unsigned k = text_case(g->lt, s, e, &g->tcps[i]);
    g->tcase[i] = (uint8_t)k;
    if ((k >> CASE_UP_SHIFT) && !(k & CASE_ANY_LO))
        t->flags |= ZL_TF_UPPER;
}

/* span_token with the sources read from the normalization map (the
 * reference paths; the identity without a map). */
static void map_token(seg *g, uint32_t i)
{
    const uint32_t *map = g->doc->norm.map;
    const zl_token *t = &g->tok[i];
    uint32_t lastc = t->off + t->len - 1;
    while (lastc > t->off && ((unsigned char)g->nt[lastc] & 0xC0) == 0x80)
        lastc--;
    span_token(g, i, map ? map[t->off] : t->off, map ? map[t->off + t->len] : t->off + t->len,
               map ? map[lastc] : lastc);
}

/* The tokens of the document: recorded by the normalizer (rec), or
 * scanned from the normalized text. */
static int seg_tokens(seg *g, zl_doc *doc, zl_tokrec *rec, zl_diags *diags)
{
    memset(g, 0, sizeof *g);
    g->doc = doc;
    g->nt = doc->norm.text ? doc->norm.text : "";
    g->nlen = doc->norm.text ? doc->norm.len : 0;
    g->lt = doc->in.text ? doc->in.text : "";
    g->llen = doc->in.text ? doc->in.text_len : 0;
    uint32_t n;
    if (rec) {
        n = rec->n;
    } else {
        /* one pass into room for a token per 4 bytes (text has far fewer);
         * a second one only when that was not enough */
        uint32_t cap = (uint32_t)(g->nlen / 4 < ZL_MAX_TOKENS ? g->nlen / 4 : ZL_MAX_TOKENS) + 16;
        g->tok = zl_arena_alloc(doc->arena, cap * sizeof *g->tok);
        n = scan_tokens(g->nt, g->nlen, g->tok, cap);
        if (n <= ZL_MAX_TOKENS && n > cap) {
            g->tok = zl_arena_alloc(doc->arena, n * sizeof *g->tok);
            scan_tokens(g->nt, g->nlen, g->tok, n);
        }
    }
    if (n > ZL_MAX_TOKENS) {
        zl_diags_add(diags, ZL_D_LIMIT, doc->in.path, 0, 0,
                     "too many tokens: the document exceeds the limit of 16777216 tokens");
        return ZL_ERR;
    }
    g->ntok = n;
    if (rec) {
        g->tok = rec->tok;
        g->tcase = rec->tcase;
        g->tcps = rec->tcps;
        /* the marked tokens, found by memchr, with the sources the
         * recorder kept (tokrec.h) */
        for (uint32_t i = 0, left = rec->n_map; left > 0; i++, left--) {
            const uint8_t *m = memchr(g->tcase + i, ZL_CASE_MAP, n - i);
            if (!m)
                break;
            i = (uint32_t)(m - g->tcase);
            span_token(g, i, g->tok[i].text_off, g->tok[i].text_len, g->tcps[i]);
        }
    } else {
        g->tcase = zl_arena_alloc(doc->arena, n ? n : 1);
        g->tcps = zl_arena_alloc(doc->arena, (n ? n : 1) * sizeof *g->tcps);
        for (uint32_t i = 0; i < n; i++)
            map_token(g, i);
    }
    doc->tokens = g->tok;
    doc->n_tokens = g->ntok;
    return ZL_OK;
}

static int seg_run(zl_doc *doc, zl_tokrec *rec, int ref, zl_diags *diags)
{
    seg g;
    if (seg_tokens(&g, doc, rec, diags) != ZL_OK)
        return ZL_ERR;
    g.ref = ref;

    if (ref)
        build_lines_ref(&g);
    else
        build_lines(&g);
    detect_wrapping(&g);
    build_paragraphs(&g);
    doc->paras = zl_arena_alloc(doc->arena, (g.npp ? g.npp : 1) * sizeof *doc->paras);
    doc->n_paras = g.npp;
    for (uint32_t p = 0; p < g.npp; p++) {
        zl_para *para = &doc->paras[p];
        para->tok.first = para_first_tok(&g, p);
        para->tok.end = para_end_tok(&g, p);
        para->text_off = g.tok[para->tok.first].text_off;
        para->text_end = g.tok[para->tok.end - 1].text_off + g.tok[para->tok.end - 1].text_len;
        para->section = ZL_NONE;
        para->lang = ZL_LANG_OTHER; /* set by lang.c */
    }
    if (ref) {
        zl_lang_versions(doc);
    } else {
        /* the paragraphs' evidence is their lines' */
        zl_lang_counts *pc = zl_arena_alloc(doc->arena, (g.npp ? g.npp : 1) * sizeof *pc);
        for (uint32_t p = 0; p < g.npp; p++) {
            zl_lang_counts c = {0, 0, 0, 0};
            for (uint32_t l = g.pp[p].l_first; l < g.pp[p].l_end; l++) {
                c.cyr += g.lines[l].lc.cyr;
                c.kk += g.lines[l].lc.kk;
                c.latin += g.lines[l].lc.latin;
                c.words += g.lines[l].lc.words;
            }
            pc[p] = c;
        }
        zl_lang_versions_counted(doc, pc);
    }
    classify_headings(&g);
    level_unnumbered(&g);
    build_sections(&g);
    ctmp *ct = NULL;
    build_clauses(&g, &ct);
    build_sentences(&g, ct);
    if (!ref) {
        free(g.lines);
        free(g.terms);
    }
    return ZL_OK;
}

int zl_segment(zl_doc *doc, zl_diags *diags)
{
    return seg_run(doc, NULL, 0, diags);
}

int zl_segment_rec(zl_doc *doc, zl_tokrec *rec, zl_diags *diags)
{
    return seg_run(doc, rec, 0, diags);
}

static int same_str(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* Every structure of two segmentations of one text: 0 when equal, else
 * the number of the first kind that differs. */
static int same_segments(const zl_doc *a, const zl_doc *b)
{
    if (a->n_tokens != b->n_tokens)
        return 1;
    for (uint32_t i = 0; i < a->n_tokens; i++) {
        const zl_token *x = &a->tokens[i], *y = &b->tokens[i];
        if (x->off != y->off || x->len != y->len || x->text_off != y->text_off ||
            x->text_len != y->text_len || x->kind != y->kind || x->flags != y->flags)
            return 1;
    }
    if (a->n_paras != b->n_paras)
        return 2;
    for (uint32_t i = 0; i < a->n_paras; i++) {
        const zl_para *x = &a->paras[i], *y = &b->paras[i];
        if (x->tok.first != y->tok.first || x->tok.end != y->tok.end ||
            x->text_off != y->text_off || x->text_end != y->text_end ||
            x->section != y->section || x->lang != y->lang)
            return 2;
    }
    if (a->n_versions != b->n_versions)
        return 3;
    for (uint32_t i = 0; i < a->n_versions; i++) {
        const zl_version *x = &a->versions[i], *y = &b->versions[i];
        if (x->lang != y->lang || x->tok.first != y->tok.first || x->tok.end != y->tok.end ||
            x->para_first != y->para_first || x->para_end != y->para_end ||
            x->text_off != y->text_off)
            return 3;
    }
    if (a->n_sections != b->n_sections)
        return 4;
    for (uint32_t i = 0; i < a->n_sections; i++) {
        const zl_section *x = &a->sections[i], *y = &b->sections[i];
        if (x->tok.first != y->tok.first || x->tok.end != y->tok.end ||
            x->heading.first != y->heading.first || x->heading.end != y->heading.end ||
            x->text_off != y->text_off || x->parent != y->parent || x->level != y->level ||
            !same_str(x->number, y->number) || !same_str(x->title, y->title))
            return 4;
    }
    if (a->n_clauses != b->n_clauses)
        return 5;
    for (uint32_t i = 0; i < a->n_clauses; i++) {
        const zl_clause *x = &a->clauses[i], *y = &b->clauses[i];
        if (x->tok.first != y->tok.first || x->tok.end != y->tok.end || x->level != y->level ||
            !same_str(x->number, y->number))
            return 5;
    }
    if (a->n_sentences != b->n_sentences)
        return 6;
    for (uint32_t i = 0; i < a->n_sentences; i++)
        if (a->sentences[i].tok.first != b->sentences[i].tok.first ||
            a->sentences[i].tok.end != b->sentences[i].tok.end)
            return 6;
    return 0;
}

int zl_segment_check(const char *in, size_t n, const char *format)
{
    zl_load_opts o;
    memset(&o, 0, sizeof o);
    o.format = format;
    zl_diags diags;
    memset(&diags, 0, sizeof diags);
    zl_doc *doc = NULL;
    int bad = 0;
    if (zl_doc_load_mem("check", in, n, &o, &doc, &diags) != ZL_OK)
        bad = -1;
    if (!bad) {
        zl_arena *a = zl_arena_new();
        zl_doc *r = zl_arena_calloc(a, 1, sizeof *r);
        r->arena = a;
        r->in = doc->in;
        zl_normalize(a, r->in.text ? r->in.text : "", r->in.text_len, &r->norm);
        if (seg_run(r, NULL, 1, &diags) != ZL_OK)
            bad = -1;
        else
            bad = same_segments(doc, r);
        zl_arena_free(a);
    }
    zl_doc_free(doc);
    zl_diags_free(&diags);
    return bad;
}

uint32_t zl_tokrec_check(const char *in, size_t n)
{
    zl_arena *a = zl_arena_new();
    zl_doc *doc = zl_arena_calloc(a, 1, sizeof *doc);
    doc->arena = a;
    doc->in.text = zl_arena_memdup(a, n ? in : "", n);
    doc->in.text_len = n;
    zl_tokrec rec;
    zl_norm ref;
    zl_normalize_doc(a, doc->in.text, n, &doc->norm, &rec);
    zl_normalize(a, doc->in.text, n, &ref);
    seg g, r;
    zl_diags diags;
    memset(&diags, 0, sizeof diags);
    uint32_t bad = 0;
    if (doc->norm.map || ref.len != doc->norm.len || memcmp(ref.text, doc->norm.text, ref.len) != 0 ||
        seg_tokens(&g, doc, &rec, &diags) != ZL_OK)
        bad = UINT32_MAX;
    /* the reference: scan_tokens over the text and the map of zl_normalize */
    doc->norm = ref;
    if (!bad && (seg_tokens(&r, doc, NULL, &diags) != ZL_OK || g.ntok != r.ntok))
        bad = UINT32_MAX;
    for (uint32_t i = 0; !bad && i < g.ntok; i++) {
        const zl_token *x = &g.tok[i], *y = &r.tok[i];
        if (x->off != y->off || x->len != y->len || x->text_off != y->text_off ||
            x->text_len != y->text_len || x->kind != y->kind || x->flags != y->flags ||
            g.tcase[i] != r.tcase[i] || g.tcps[i] != r.tcps[i])
            bad = i + 1;
    }
    zl_diags_free(&diags);
    zl_arena_free(a);
    return bad;
}
