/*
 * jsonw.h - a small streaming JSON writer for the reporters that emit
 * nested JSON (sarif, gitlab): it tracks nesting and commas and indents
 * by two spaces, one member or element per line, so the output is stable
 * and diff-friendly.  Writes into a borrowed zl_buf; state fits in the
 * struct (nesting at most ZL_JW_MAX_DEPTH, checked with assert).
 *
 *   zl_jw w; zl_jw_init(&w, out);
 *   zl_jw_obj(&w, NULL); zl_jw_str(&w, "name", "x"); zl_jw_end(&w);
 */
#ifndef ZL_REPORT_JSONW_H
#define ZL_REPORT_JSONW_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

#define ZL_JW_MAX_DEPTH 24

typedef struct zl_jw {
    zl_buf *out;
    int depth;
    uint8_t empty[ZL_JW_MAX_DEPTH]; /* nothing written yet at this level */
    char close[ZL_JW_MAX_DEPTH];    /* '}' or ']' */
} zl_jw;

void zl_jw_init(zl_jw *w, zl_buf *out);
/* `key` is the member name inside an object, NULL inside an array or at
 * the top level. */
void zl_jw_obj(zl_jw *w, const char *key);
void zl_jw_arr(zl_jw *w, const char *key);
void zl_jw_end(zl_jw *w); /* closes the innermost object or array */
void zl_jw_str(zl_jw *w, const char *key, const char *s); /* NULL -> null */
void zl_jw_strn(zl_jw *w, const char *key, const char *s, size_t n);
void zl_jw_uint(zl_jw *w, const char *key, uint64_t v);
void zl_jw_bool(zl_jw *w, const char *key, int v);

#endif
