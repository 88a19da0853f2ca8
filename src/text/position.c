/*
 * position.c - offsets to what users see.
 *
 * Builds the line index of the decoded source (in.src; "\n", "\r\n" and a
 * lone "\r" each end a line) and turns logical-text or source offsets into
 * 1-based line and 1-based code-point column.  Reporters and the engine call
 * these at the edge; everything before works on byte offsets.
 */
#include "text/position.h"

#include "util/utf8.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Offset just past the first line end at or after s[i], or 0 when there is
 * none.  Without a "\r" in the text (`cr` 0) a line end is a "\n", found
 * by memchr. */
static size_t next_line(const char *s, size_t n, size_t i, int cr)
{
    if (!cr) {
        const char *p = i < n ? memchr(s + i, '\n', n - i) : NULL;
        return p ? (size_t)(p - s) + 1 : 0;
    }
    for (; i < n; i++)
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= n || s[i + 1] != '\n')))
            return i + 1;
    return 0;
}

void zl_doc_index_lines(zl_doc *doc)
{
    const char *s = doc->in.src ? doc->in.src : "";
    size_t n = doc->in.src ? doc->in.src_len : 0;
    int cr = n > 0 && memchr(s, '\r', n) != NULL;
    /* one pass into a growing buffer (a line per 64 bytes to start with),
     * then the exact array in the arena */
    size_t cap = n / 64 + 16;
    uint32_t *tmp = zl_xmalloc(cap * sizeof *tmp);
    uint32_t k = 0;
    tmp[k++] = 0;
    for (size_t i = next_line(s, n, 0, cr); i; i = next_line(s, n, i, cr)) {
        tmp = zl_xgrow(tmp, &cap, (size_t)k + 1, sizeof *tmp);
        tmp[k++] = (uint32_t)i;
    }
    uint32_t *ls = zl_arena_alloc(doc->arena, (size_t)k * sizeof *ls);
    memcpy(ls, tmp, (size_t)k * sizeof *ls);
    free(tmp);
    doc->line_starts = ls;
    doc->n_lines = k;
}

zl_pos zl_doc_src_pos(const zl_doc *doc, uint32_t src_off)
{
    zl_pos p = {1, 1, src_off};
    if (!doc->line_starts || doc->n_lines == 0)
        return p;
    if (src_off > doc->in.src_len)
        src_off = (uint32_t)doc->in.src_len;
    p.src_off = src_off;
    /* last line start <= src_off */
    uint32_t lo = 0, hi = doc->n_lines;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (doc->line_starts[mid] <= src_off)
            lo = mid;
        else
            hi = mid;
    }
    p.line = lo + 1;
    p.col = (uint32_t)zl_utf8_count(doc->in.src + doc->line_starts[lo],
                                    src_off - doc->line_starts[lo]) + 1;
    return p;
}

zl_pos zl_doc_pos(const zl_doc *doc, uint32_t text_off)
{
    return zl_doc_src_pos(doc, zl_input_text_to_src(&doc->in, text_off));
}

const char *zl_doc_line(const zl_doc *doc, uint32_t line, size_t *len)
{
    if (line == 0 || line > doc->n_lines || !doc->in.src) {
        *len = 0;
        return "";
    }
    uint32_t s = doc->line_starts[line - 1];
    uint32_t e = line < doc->n_lines ? doc->line_starts[line] : (uint32_t)doc->in.src_len;
    while (e > s && (doc->in.src[e - 1] == '\n' || doc->in.src[e - 1] == '\r'))
        e--;
    *len = e - s;
    return doc->in.src + s;
}
