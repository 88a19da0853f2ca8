/*
 * normalize.h - stage 2: the matching text.
 *
 * Produces the text rules are matched against: NFKC + full case folding,
 * ё->е, Kazakh/Latin look-alikes mapped to Cyrillic inside Cyrillic words,
 * dashes -> '-', quotes -> '"', invisible characters removed, NBSP -> space,
 * whitespace runs folded to one space while line breaks survive ("\n", or
 * "\n\n" for a blank line) as paragraph evidence for the segmenter.
 *
 * `map[i]` is the offset in the input of the character that produced
 * normalized byte i; map[len] == input length.  Only zl_normalize writes
 * it: a loaded document's norm.map is NULL (zl_normalize_doc of tokrec.h
 * keeps what the segmenter needs instead).  All memory is in the arena.
 */
#ifndef ZL_TEXT_NORMALIZE_H
#define ZL_TEXT_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"

typedef struct zl_norm {
    char *text;     /* NUL-terminated */
    size_t len;
    uint32_t *map;  /* len + 1 entries, or NULL (a loaded document) */
} zl_norm;

void zl_normalize(zl_arena *a, const char *in, size_t n, zl_norm *out);
/* Normalizes a short string (a rule word or phrase) without the map. */
char *zl_normalize_str(zl_arena *a, const char *in, size_t n, size_t *out_len);

#endif
