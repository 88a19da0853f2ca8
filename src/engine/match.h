/*
 * match.h - atom occurrences: where every atom of a pack occurs in a document.
 *
 * A zl_match_index is built once per pack from its atoms (zl_match_index_new)
 * and is immutable afterwards but for the regex codes (anchored copies, JIT)
 * it makes the first time a document needs them (each by one thread, the
 * others wait for that code only), so any number of threads may use it at
 * once.
 * It holds the first terms of the phrase atoms (exact terms and prefix
 * terms, listed by their first 4 or 8 bytes, each with the atoms that start
 * with it), and the list of regex atoms with their prefilter.
 *
 * zl_match_find makes one pass over the document's tokens (plus one PCRE2 run
 * per regex atom over the normalized text) and fills a zl_occurrences: for
 * each atom a list of token ranges [first, end) sorted by `first`.  The
 * occurrence arrays are malloc'd and released by zl_occurrences_free; the
 * index and the occurrences borrow the atoms (they live in the pack).
 */
#ifndef ZL_ENGINE_MATCH_H
#define ZL_ENGINE_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "dsl/rule.h"
#include "text/doc.h"
#include "util/buf.h"

/* PCRE2 limits applied to every regex search (design.md "Safety rules"). */
#define ZL_MATCH_LIMIT 10000000u
#define ZL_DEPTH_LIMIT 100000u

typedef struct zl_match_index zl_match_index;

typedef struct zl_occurrences {
    uint32_t n_atoms;
    uint32_t *start;    /* n_atoms + 1 entries: atom a owns occ[start[a] .. start[a+1]) */
    zl_range *occ;      /* per atom, sorted by first (then end), no duplicates */
    uint32_t *limited;  /* regex atoms whose search hit a PCRE2 limit */
    uint32_t n_limited;
} zl_occurrences;

/* Builds the index of `n_atoms` atoms (atoms[i] is atom id i).  The pointer
 * array is copied; the atoms themselves are borrowed.  Never fails. */
zl_match_index *zl_match_index_new(const zl_atom *const *atoms, uint32_t n_atoms);
/* NULL is a no-op. */
void zl_match_index_free(zl_match_index *ix);

/* A build-time image of an index (scripts/pack-image.c writes the built-in
 * pack's; see dsl/image.h).  zl_match_index_image appends ix's image to
 * *out (one blob whose arrays start at multiples of 8 bytes; it is used in
 * place, so it must be 8-byte aligned) and returns its length.
 * zl_match_index_use_image registers the image of the index of atoms
 * &atoms[0 .. n_atoms): from then on, zl_match_index_new given exactly those
 * atom pointers (in order) adopts the image - its arrays are borrowed, only
 * those holding pointers are rebuilt - unless the image does not fit them
 * (then it builds the index as usual).  Call it before any index is made;
 * the blob must outlive every index.  zl_match_index_adopted tells whether ix
 * was adopted from an image; zl_match_index_dump appends a canonical text
 * form of every field of ix (for comparing an adopted index with a built
 * one). */
size_t zl_match_index_image(const zl_match_index *ix, zl_buf *out);
void zl_match_index_use_image(const zl_atom *atoms, uint32_t n_atoms, const void *blob,
                              size_t len);
int zl_match_index_adopted(const zl_match_index *ix);
void zl_match_index_dump(const zl_match_index *ix, zl_buf *out);

/* Finds the occurrences in `doc` of every atom whose `needed` flag is set
 * (all atoms when `needed` is NULL).  Regex searches run with the limits
 * above; a search that hits one is recorded in out->limited and the atom
 * keeps the matches found before it.  Thread-safe for one index shared by
 * many callers. */
void zl_match_find(const zl_match_index *ix, const zl_doc *doc, const uint8_t *needed,
                   zl_occurrences *out);
void zl_occurrences_free(zl_occurrences *o);

/* The regex prefilter's view of `pattern` (len bytes, PCRE2 syntax compiled
 * with UTF|UCP): the literals any match must contain, as "a|b & c" (every
 * clause, separated by " & ", holds at least one of its "|"-separated
 * literals), or "none" when the scanner derives nothing; then " ; lead "
 * and the literals one of which every match starts with ("x|y", or "none");
 * then " ; inner " and the inner set ("x|y", or "none"): literals of >= 4
 * bytes one of which every match holds at its end of a prefix that cannot
 * match ASCII punctuation.  The index uses lead sets whose literals all have
 * >= 4 bytes, and the inner set when there is none; then " ; window " and
 * the window set ("x|y", or "none"): literals one of which every match
 * holds at the end of a prefix that matches ASCII only, followed by that
 * prefix's bytes as hex ranges ("[2b 30-39 61-7a ]"); the index uses it for
 * a regex with neither and no single first code unit.  Writes at
 * most cap bytes including the NUL; returns the full length.  For tests and
 * debugging. */
size_t zl_regex_required(const char *pattern, size_t len, char *buf, size_t cap);

/* The guard of `pattern` as the index derives it for a lead-set regex that
 * repeats a group: "x|y" (literals of >= 4 bytes one of which every match
 * holds with no . ; ! ? byte between its start and the literal), or "none".
 * Writes as zl_regex_required does.  For tests and debugging. */
size_t zl_regex_guard(const char *pattern, size_t len, char *buf, size_t cap);

/* Index of the first occurrence of `atom` whose first token is >= `tok`
 * (binary search); returns occ->start[atom + 1] when there is none. */
uint32_t zl_occurrences_lower(const zl_occurrences *o, uint32_t atom, uint32_t tok);

#endif
