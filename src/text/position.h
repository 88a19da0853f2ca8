/*
 * position.h - offsets to what users see: 1-based line, 1-based column in
 * Unicode code points of the source text (never bytes), and excerpts.
 */
#ifndef ZL_TEXT_POSITION_H
#define ZL_TEXT_POSITION_H

#include <stddef.h>
#include <stdint.h>

#include "text/doc.h"

typedef struct zl_pos {
    uint32_t line;    /* 1-based line of in.src */
    uint32_t col;     /* 1-based code-point column */
    uint32_t src_off; /* byte offset in in.src */
} zl_pos;

/* Builds doc->line_starts (called by the loader). */
void zl_doc_index_lines(zl_doc *doc);
/* Position of a logical-text offset. */
zl_pos zl_doc_pos(const zl_doc *doc, uint32_t text_off);
/* Position of a source offset. */
zl_pos zl_doc_src_pos(const zl_doc *doc, uint32_t src_off);
/* The source line `line` (1-based) without its newline: pointer and length. */
const char *zl_doc_line(const zl_doc *doc, uint32_t line, size_t *len);

#endif
