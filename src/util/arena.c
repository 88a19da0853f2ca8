/*
 * arena.c - chunked bump allocator (see arena.h).
 *
 * Chunks grow geometrically from 16 KiB; a request larger than half a chunk
 * gets a chunk of its own so big documents do not waste the tail of chunks.
 */
#include "util/arena.h"
#include "util/xalloc.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct chunk {
    struct chunk *next;
    size_t size, used;
    alignas(max_align_t) unsigned char data[];
} chunk;

struct zl_arena {
    chunk *head;
    size_t next_size;
    size_t total;
};

#define ALIGN (alignof(max_align_t))

zl_arena *zl_arena_new(void)
{
    zl_arena *a = zl_xcalloc(1, sizeof *a);
    a->next_size = 16 * 1024;
    return a;
}

void zl_arena_free(zl_arena *a)
{
    if (!a)
        return;
    chunk *c = a->head;
    while (c) {
        chunk *n = c->next;
        free(c);
        c = n;
    }
    free(a);
}

#ifdef ZL_ARENA_DEBUG
void *zl_arena_alloc(zl_arena *a, size_t n)
{
    chunk *c = zl_xmalloc(sizeof *c + (n ? n : 1));
    c->size = c->used = n;
    c->next = a->head;
    a->head = c;
    a->total += n;
    return c->data;
}
#else
void *zl_arena_alloc(zl_arena *a, size_t n)
{
    size_t need = (n + ALIGN - 1) & ~(ALIGN - 1);
    if (need < n)
        need = n; /* overflow: let the malloc below fail loudly */
    chunk *c = a->head;
    if (!c || c->size - c->used < need) {
        size_t sz = a->next_size;
        if (need > sz / 2) {
            sz = need;
        } else if (a->next_size < 4u * 1024 * 1024) {
            a->next_size *= 2;
        }
        chunk *nc = zl_xmalloc(sizeof *nc + sz);
        nc->size = sz;
        nc->used = 0;
        if (c && need > a->next_size / 2 && c->size - c->used > 256) {
            /* Keep the current chunk at the head: it still has room. */
            nc->next = c->next;
            c->next = nc;
            nc->used = need;
            a->total += n;
            return nc->data;
        }
        nc->next = c;
        a->head = nc;
        c = nc;
    }
    void *p = c->data + c->used;
    c->used += need;
    a->total += n;
    return p;
}
#endif

void *zl_arena_calloc(zl_arena *a, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        count = SIZE_MAX / size + 1; /* overflow: allocation fails */
    size_t n = count * size;
    void *p = zl_arena_alloc(a, n);
    memset(p, 0, n);
    return p;
}

char *zl_arena_strndup(zl_arena *a, const char *s, size_t n)
{
    char *p = zl_arena_alloc(a, n + 1);
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *zl_arena_strdup(zl_arena *a, const char *s)
{
    return zl_arena_strndup(a, s, strlen(s));
}

void *zl_arena_memdup(zl_arena *a, const void *p, size_t n)
{
    void *q = zl_arena_alloc(a, n);
    if (n)
        memcpy(q, p, n);
    return q;
}

size_t zl_arena_used(const zl_arena *a)
{
    return a->total;
}
