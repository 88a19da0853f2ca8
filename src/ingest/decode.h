/*
 * decode.h - bytes to valid UTF-8.
 *
 * Accepts UTF-8 with or without BOM, UTF-16 LE/BE with BOM, Windows-1251 and
 * KOI8-R (detected when the input is not valid UTF-8 and its high bytes look
 * like Cyrillic in that code page, or named explicitly).  Invalid UTF-8
 * sequences become U+FFFD with one warning giving the first byte offset; NUL
 * bytes or other binary content are an error ("binary file").  The output is
 * allocated in the arena and NUL-terminated.
 */
#ifndef ZL_INGEST_DECODE_H
#define ZL_INGEST_DECODE_H

#include <stddef.h>

#include "ingest/ingest.h"

typedef struct zl_decoded {
    char *text;          /* valid UTF-8, NUL-terminated, BOM removed */
    size_t len;
    zl_encoding encoding;
    size_t bom_len;
} zl_decoded;

/* `encoding` NULL = detect.  `path` is used in diagnostics only. */
int zl_decode(zl_arena *a, const char *path, const char *bytes, size_t n, const char *encoding,
              zl_decoded *out, zl_diags *diags);
const char *zl_encoding_name(zl_encoding e);

#endif
