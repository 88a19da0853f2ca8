/*
 * arena.h - a bump allocator: one per document, one per rule pack.
 *
 * Everything allocated from an arena lives until zl_arena_free(), which
 * releases it all at once; there is no per-object free.  An arena is not
 * thread-safe: one document is processed by one thread.
 *
 * Build with -DZL_ARENA_DEBUG to make every allocation its own malloc, so
 * AddressSanitizer sees overflows between objects.
 */
#ifndef ZL_UTIL_ARENA_H
#define ZL_UTIL_ARENA_H

#include <stddef.h>

typedef struct zl_arena zl_arena;

zl_arena *zl_arena_new(void);
/* Releases every allocation of the arena and the arena itself; NULL is a no-op. */
void zl_arena_free(zl_arena *a);
/* Uninitialised memory, aligned for any type. */
void *zl_arena_alloc(zl_arena *a, size_t n);
/* Zeroed memory. */
void *zl_arena_calloc(zl_arena *a, size_t count, size_t size);
char *zl_arena_strndup(zl_arena *a, const char *s, size_t n);
char *zl_arena_strdup(zl_arena *a, const char *s);
void *zl_arena_memdup(zl_arena *a, const void *p, size_t n);
/* Total bytes handed out (for limits and statistics). */
size_t zl_arena_used(const zl_arena *a);

#endif
