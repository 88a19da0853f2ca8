/*
 * hash.h - 64-bit FNV-1a and its hex form, for fingerprints.
 *
 * Finding fingerprints are public (baselines and CI systems store them), so
 * these functions must never change their output.
 */
#ifndef ZL_UTIL_HASH_H
#define ZL_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>

#define ZL_FNV64_INIT 0xcbf29ce484222325ULL

/* Continues hash `h` over n bytes at p (start with ZL_FNV64_INIT). */
static inline uint64_t zl_fnv64(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* Writes h as 16 lower-case hex digits at out (no terminator). */
static inline void zl_hex64(char *out, uint64_t h)
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 15; i >= 0; i--) {
        out[i] = hex[h & 15];
        h >>= 4;
    }
}

#endif
