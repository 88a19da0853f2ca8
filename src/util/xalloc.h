/*
 * xalloc.h - allocation wrappers that never return NULL.
 *
 * Every heap allocation in zanlint goes through these.  On failure they print
 * "zanlint: out of memory" to stderr and exit(2): the one place outside
 * src/cli/ allowed to print or exit, because no caller can do better.
 */
#ifndef ZL_UTIL_XALLOC_H
#define ZL_UTIL_XALLOC_H

#include <stddef.h>

void *zl_xmalloc(size_t n);
void *zl_xcalloc(size_t count, size_t size);
void *zl_xrealloc(void *p, size_t n);
/* Grows an array of `elem` sized items to hold at least `need` items;
 * *cap is updated.  Returns the (possibly moved) array. */
void *zl_xgrow(void *p, size_t *cap, size_t need, size_t elem);
char *zl_xstrdup(const char *s);
char *zl_xstrndup(const char *s, size_t n);

#endif
