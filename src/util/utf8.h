/*
 * utf8.h - minimal UTF-8 helpers used by every stage.
 */
#ifndef ZL_UTIL_UTF8_H
#define ZL_UTIL_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes one well-formed code point at s[0..n).  Returns its byte length
 * (1-4) and stores the code point, or returns 0 for an ill-formed sequence
 * (overlong, surrogate, > U+10FFFF, truncated). */
size_t zl_utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Encodes cp into out (at least 4 bytes); returns the length (1-4). */
size_t zl_utf8_encode(uint32_t cp, char *out);
/* Number of code points in s[0..n) (each ill-formed byte counts as one). */
size_t zl_utf8_count(const char *s, size_t n);
/* Byte length of the sequence starting with lead byte c (1 for invalid). */
static inline size_t zl_utf8_seqlen(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xC2 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF5 ? 4 : 1;
}

#endif
