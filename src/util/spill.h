/*
 * spill.h - an append-only buffer that moves to a temporary file as it grows.
 *
 * For output a writer must hold back until the end (the HTML report's
 * document cards come after the matrix, which needs every document): the
 * bytes collect in `mem`; zl_spill_check moves them to an unlinked file in
 * $TMPDIR (or /tmp) once they reach `limit`, so memory stays bounded however
 * many documents there are.  zl_spill_replay hands everything back in order,
 * a chunk at a time.  If the file cannot be created or written, the bytes
 * simply stay in memory (nothing is lost; only the bound is).
 */
#ifndef ZL_UTIL_SPILL_H
#define ZL_UTIL_SPILL_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

typedef struct zl_spill {
    zl_buf mem;        /* the bytes not yet on disk; writers append here */
    size_t limit;      /* move `mem` to the file from this many bytes on */
    int fd;            /* the unlinked temporary file, -1 before or after a failure */
    uint64_t on_disk;  /* bytes in the file, all before `mem`'s */
    int stay;          /* the file failed: keep everything in memory */
} zl_spill;

void zl_spill_init(zl_spill *s, size_t limit);
/* Moves `mem` to the file when it holds `limit` bytes or more. */
void zl_spill_check(zl_spill *s);
/* Appends every byte written so far, in order, to `out`, calling
 * flush(out, arg) (when not NULL) after each chunk read back from the file;
 * `mem` is appended last.  Returns 0, or -1 when the file could not be read
 * back (`out` then lacks those bytes). */
int zl_spill_replay(zl_spill *s, zl_buf *out, void (*flush)(zl_buf *out, void *arg), void *arg);
uint64_t zl_spill_len(const zl_spill *s);
void zl_spill_free(zl_spill *s);

#endif
