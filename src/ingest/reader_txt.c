/*
 * reader_txt.c - the plain-text reader ("txt": .txt .text, and the fallback
 * for unknown extensions and stdin).
 *
 * Decodes the bytes (decode.c) and hands the text stage one ZL_BLK_TEXT
 * block covering everything: the segmenter finds paragraphs, numbered clauses
 * and headings itself.  text == src, so the offset map is the identity.  A
 * text report of zanlint (`zanlint docs/ > docs/report.txt` run earlier) is
 * refused as such rather than linted.
 */
#include "ingest/decode.h"
#include "ingest/ingest.h"

#include <stdint.h>
#include <string.h>

extern const zl_reader zl_reader_txt;

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Consumes `lit` at *p. */
static int take(const char **p, const char *end, const char *lit)
{
    size_t k = strlen(lit);
    if ((size_t)(end - *p) < k || memcmp(*p, lit, k) != 0)
        return 0;
    *p += k;
    return 1;
}

/* Consumes "N word" or "N words" at *p. */
static int take_count(const char **p, const char *end, const char *word)
{
    const char *q = *p;
    while (q < end && is_digit(*q))
        q++;
    if (q == *p || !take(&q, end, " ") || !take(&q, end, word))
        return 0;
    if (q < end && *q == 's')
        q++;
    *p = q;
    return 1;
}

/* Whether the line [s, end) is the summary of a text report: "3 errors,
 * 1 warning, 0 infos in 2 files", then the end or " (...)". */
static int report_summary(const char *s, const char *end)
{
    return take_count(&s, end, "error") && take(&s, end, ", ") &&
           take_count(&s, end, "warning") && take(&s, end, ", ") &&
           take_count(&s, end, "info") && take(&s, end, " in ") && take_count(&s, end, "file") &&
           (s == end || take(&s, end, " ("));
}

/* Whether the line [s, end) is a finding of a text report:
 * "PATH:POS: SEVERITY: MESSAGE [RULE]...", POS ending in "LINE:COL" (DOCX
 * "¶N:COL", PDF "pN:LINE:COL"). */
static int report_finding(const char *s, const char *end)
{
    static const char *const sev[] = {": error: ", ": warning: ", ": info: "};
    for (const char *p = s; p < end; p++) {
        if (*p != ':')
            continue;
        const char *q = p;
        for (size_t k = 0; k < sizeof sev / sizeof sev[0]; k++) {
            if (!take(&q, end, sev[k]))
                continue;
            const char *d = p; /* "LINE:COL" right before */
            while (d > s && is_digit(d[-1]))
                d--;
            if (d == p || d == s || d[-1] != ':')
                return 0;
            const char *c = --d;
            while (d > s && is_digit(d[-1]))
                d--;
            const char *br = memchr(q, '[', (size_t)(end - q));
            return d < c && br && memchr(br, ']', (size_t)(end - br)) != NULL;
        }
    }
    return 0;
}

/* A text report of zanlint: its first line is a finding, or (a run
 * without findings) the summary. */
int zl_txt_own_report(const char *s, size_t n)
{
    const char *nl = memchr(s, '\n', n);
    const char *end = nl ? nl : s + n;
    return report_finding(s, end) || report_summary(s, end);
}

static int txt_read(zl_arena *a, const char *bytes, size_t n, const zl_load_opts *opts,
                    zl_input *out, zl_diags *diags)
{
    zl_decoded d;
    if (zl_decode(a, out->path, bytes, n, opts ? opts->encoding : NULL, &d, diags) != ZL_OK)
        return ZL_ERR;
    if (d.len > UINT32_MAX) {
        zl_diags_add(diags, ZL_D_LIMIT, out->path, 0, 0, "decoded text is larger than 4 GiB");
        return ZL_ERR;
    }
    if (zl_txt_own_report(d.text, d.len)) {
        zl_diags_add(diags, ZL_D_IO_OWN_REPORT, out->path, 0, 0);
        return ZL_ERR;
    }
    out->encoding = d.encoding;
    out->bom_len = d.bom_len;
    out->src = out->text = d.text;
    out->src_len = out->text_len = d.len;
    out->blocks = zl_arena_calloc(a, 1, sizeof *out->blocks);
    out->blocks[0].kind = ZL_BLK_TEXT;
    out->blocks[0].off = 0;
    out->blocks[0].len = (uint32_t)d.len;
    out->n_blocks = 1;
    out->map = NULL;
    out->n_map = 0;
    out->pos_kind = ZL_POS_LINE;
    return ZL_OK;
}

const zl_reader zl_reader_txt = {
    .name = "txt",
    .extensions = ".txt .text",
    .sniff = NULL, /* the fallback: never claims content */
    .read = txt_read,
};
