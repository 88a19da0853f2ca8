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

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Offset just past the first line end ("\n", "\r\n" or a lone "\r") at or
 * after s[i], or 0 when there is none. */
static size_t next_line_cr(const char *s, size_t n, size_t i)
{
    for (; i < n; i++)
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= n || s[i + 1] != '\n')))
            return i + 1;
    return 0;
}

/* The offsets after each "\n" of s[0..n) appended to *tmp (room for *cap,
 * *k used, grown as needed); returns 0 without finishing when s has a
 * "\r" (the caller starts again with next_line_cr).  64 bytes at a time
 * with SSE2. */
static int lf_starts(const char *s, size_t n, uint32_t **tmp, size_t *cap, uint32_t *k)
{
    size_t i = 0;
#if defined(__SSE2__)
    const __m128i lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
    for (; n - i >= 64; i += 64) {
        const __m128i *p = (const __m128i *)(const void *)(s + i);
        __m128i v0 = _mm_loadu_si128(p), v1 = _mm_loadu_si128(p + 1);
        __m128i v2 = _mm_loadu_si128(p + 2), v3 = _mm_loadu_si128(p + 3);
        __m128i l0 = _mm_cmpeq_epi8(v0, lf), l1 = _mm_cmpeq_epi8(v1, lf);
        __m128i l2 = _mm_cmpeq_epi8(v2, lf), l3 = _mm_cmpeq_epi8(v3, lf);
        __m128i r = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v0, cr), _mm_cmpeq_epi8(v1, cr)),
                                 _mm_or_si128(_mm_cmpeq_epi8(v2, cr), _mm_cmpeq_epi8(v3, cr)));
        if (_mm_movemask_epi8(r))
            return 0;
        if (!_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(l0, l1), _mm_or_si128(l2, l3))))
            continue;
        uint64_t m = (uint64_t)(unsigned)_mm_movemask_epi8(l0) |
                     (uint64_t)(unsigned)_mm_movemask_epi8(l1) << 16 |
                     (uint64_t)(unsigned)_mm_movemask_epi8(l2) << 32 |
                     (uint64_t)(unsigned)_mm_movemask_epi8(l3) << 48;
        if (*k + 64 > *cap)
            *tmp = zl_xgrow(*tmp, cap, (size_t)*k + 64, sizeof **tmp);
        for (; m; m &= m - 1)
            (*tmp)[(*k)++] = (uint32_t)(i + (unsigned)__builtin_ctzll(m) + 1);
    }
#endif
    for (; i < n; i++) {
        if (s[i] == '\r')
            return 0;
        if (s[i] == '\n') {
            *tmp = zl_xgrow(*tmp, cap, (size_t)*k + 1, sizeof **tmp);
            (*tmp)[(*k)++] = (uint32_t)(i + 1);
        }
    }
    return 1;
}

void zl_doc_index_lines(zl_doc *doc)
{
    const char *s = doc->in.src ? doc->in.src : "";
    size_t n = doc->in.src ? doc->in.src_len : 0;
    /* one pass into a growing buffer (a line per 64 bytes to start with),
     * then the exact array in the arena */
    size_t cap = n / 64 + 16;
    uint32_t *tmp = zl_xmalloc(cap * sizeof *tmp);
    uint32_t k = 0;
    tmp[k++] = 0;
    if (!lf_starts(s, n, &tmp, &cap, &k)) {
        k = 1;
        for (size_t i = next_line_cr(s, n, 0); i; i = next_line_cr(s, n, i)) {
            tmp = zl_xgrow(tmp, &cap, (size_t)k + 1, sizeof *tmp);
            tmp[k++] = (uint32_t)i;
        }
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
