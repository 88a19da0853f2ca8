/*
 * utf8.h - minimal UTF-8 helpers used by every stage.
 */
#ifndef ZL_UTIL_UTF8_H
#define ZL_UTIL_UTF8_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Decodes one well-formed code point at s[0..n).  Returns its byte length
 * (1-4) and stores the code point, or returns 0 for an ill-formed sequence
 * (overlong, surrogate, > U+10FFFF, truncated). */
size_t zl_utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Encodes cp into out (at least 4 bytes); returns the length (1-4). */
size_t zl_utf8_encode(uint32_t cp, char *out);
/* Number of code points in s[0..n) (each ill-formed byte counts as one). */
size_t zl_utf8_count(const char *s, size_t n);
/* Whether s[0..8) (all readable) is four letters of U+0400-U+047F: lead
 * byte D0 or D1, a continuation byte after it.  Always 0 on a big-endian
 * host, where callers take their per-character path (some of them go on
 * to read the same 8 bytes as a little-endian word). */
static inline int zl_utf8_cyr4(const unsigned char *s)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t w;
    memcpy(&w, s, 8);
    return (w & (uint64_t)0xC0FEC0FEC0FEC0FEu) == (uint64_t)0x80D080D080D080D0u;
#else
    (void)s;
    return 0;
#endif
}
/* Byte length of the sequence starting with lead byte c (1 for invalid). */
static inline size_t zl_utf8_seqlen(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xC2 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF5 ? 4 : 1;
}

/* Word-at-a-time check of 8 bytes s[0..8) (all readable): when they are
 * ASCII and complete well-formed 2-byte sequences (C2-DF then 80-BF), or
 * the first 7 are and the 8th starts a 2-byte sequence, returns that length
 * (8 or 7) and stores the code points (*cps) and 2-byte sequences (*pairs)
 * in it; returns 0 otherwise (and always on a big-endian host).  The
 * common run of Cyrillic or Latin text costs ~20 instructions per 8 bytes
 * instead of a branch per byte. */
static inline size_t zl_utf8_short8(const unsigned char *s, size_t *cps, size_t *pairs)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t b7 = (uint64_t)0x8080808080808080u, top = (uint64_t)0x80u << 56;
    uint64_t w;
    memcpy(&w, s, 8);
    uint64_t hi = w & b7;            /* bit 7 of each byte */
    uint64_t t6 = (w << 1) & b7;     /* bit 6, moved to bit 7 */
    uint64_t t5 = (w << 2) & b7;     /* bit 5 */
    uint64_t nz = ((w & (uint64_t)0x1E1E1E1E1E1E1E1Eu) + (uint64_t)0x7F7F7F7F7F7F7F7Fu) & b7;
    uint64_t lead = hi & t6 & ~t5 & nz; /* C2-DF */
    uint64_t cont = hi & ~t6;           /* 80-BF */
    if ((hi & t6) != lead)
        return 0; /* C0, C1 or a lead of a longer sequence */
    uint64_t len8 = lead & top;
    uint64_t whole = len8 ? ~top : ~(uint64_t)0;
    if (cont != ((lead & whole) << 8))
        return 0;
    uint64_t chars = ((~w & b7) | lead) & whole;
    *cps = (size_t)(((chars >> 7) * (uint64_t)0x0101010101010101u) >> 56);
    *pairs = (size_t)((((lead & whole) >> 7) * (uint64_t)0x0101010101010101u) >> 56);
    return len8 ? 7 : 8;
#else
    (void)s;
    (void)cps;
    (void)pairs;
    return 0;
#endif
}

#endif
