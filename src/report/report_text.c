/*
 * report_text.c - the human format, one block per finding, compiler style:
 *
 *     path:line:col: severity: message [rule-id] (article)
 *         <source line>
 *         ^^^^^^^^
 *
 * then, unless quiet, one summary line ("3 errors, 1 warning, 0 infos in
 * 2 files (0 compliant)"; with several files, the documents without
 * findings, and those that could not be read, in parentheses).  Inputs
 * that could not be read produce no block here: the CLI
 * prints their diagnostic on stderr.  Also exports zl_report_excerpt, the
 * caret renderer the CLI reuses for diagnostics.
 */
#include "report/report.h"
#include "text/position.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define EXCERPT_INDENT "    "
#define EXCERPT_CONTEXT 20 /* code points shown before the span in a long line */

/* Byte offset of every code point of line[0..len), plus one past the end. */
static size_t *cp_offsets(const char *line, size_t len, size_t *n)
{
    size_t *offs = zl_xmalloc((len + 1) * sizeof *offs);
    size_t k = 0, i = 0;
    while (i < len) {
        offs[k++] = i;
        unsigned char c = (unsigned char)line[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF && i + 1 < len && ((unsigned char)line[i + 1] & 0xC0) == 0x80) {
            i += 2; /* what zl_utf8_decode takes for a 2-byte sequence */
            continue;
        }
        uint32_t cp;
        size_t l = zl_utf8_decode(line + i, len - i, &cp);
        i += l ? l : 1;
    }
    offs[k] = len;
    *n = k;
    return offs;
}

void zl_report_excerpt(zl_buf *out, const char *line, size_t len, uint32_t col, uint32_t width,
                       const char *color)
{
    static const char spaces[] = "                                ";
    static const char carets[] = "^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^";
    while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == '\n'))
        len--;
    size_t n;
    size_t *offs = cp_offsets(line, len, &n);
    size_t c0 = col > 0 ? (size_t)col - 1 : 0; /* 0-based first underlined code point */
    if (c0 > n)
        c0 = n;
    size_t w = width ? width : 1;
    if (c0 + w > n)
        w = n > c0 ? n - c0 : 1;

    size_t start = 0, end = n;
    if (n > ZL_EXCERPT_MAX) {
        start = c0 > EXCERPT_CONTEXT ? c0 - EXCERPT_CONTEXT : 0;
        if (start + ZL_EXCERPT_MAX > n)
            start = n - ZL_EXCERPT_MAX;
        end = start + ZL_EXCERPT_MAX;
        if (c0 + w > end)
            w = end > c0 ? end - c0 : 1;
    }

    zl_buf_puts(out, EXCERPT_INDENT);
    if (start > 0)
        zl_buf_puts(out, "\xE2\x80\xA6"); /* … */
    zl_buf_put(out, line + offs[start], offs[end] - offs[start]);
    if (end < n)
        zl_buf_puts(out, "\xE2\x80\xA6");
    zl_buf_putc(out, '\n');

    zl_buf_puts(out, EXCERPT_INDENT);
    if (start > 0)
        zl_buf_putc(out, ' ');
    for (size_t k = start; k < c0;) { /* runs of spaces, tabs copied */
        if (line[offs[k]] == '\t') {
            zl_buf_putc(out, '\t');
            k++;
            continue;
        }
        size_t r = k + 1;
        while (r < c0 && r - k < sizeof spaces - 1 && line[offs[r]] != '\t')
            r++;
        zl_buf_put(out, spaces, r - k);
        k = r;
    }
    if (color)
        zl_buf_puts(out, color);
    for (size_t k = 0; k < w;) {
        size_t r = w - k < sizeof carets - 1 ? w - k : sizeof carets - 1;
        zl_buf_put(out, carets, r);
        k += r;
    }
    if (color)
        zl_buf_puts(out, ZL_COLOR_RESET);
    zl_buf_putc(out, '\n');
    free(offs);
}

static void put_colored(zl_buf *out, int color, const char *esc, const char *s)
{
    if (color)
        zl_buf_puts(out, esc);
    zl_buf_puts(out, s);
    if (color)
        zl_buf_puts(out, ZL_COLOR_RESET);
}

/* "path:line:col", or "path:¶N:col" for a DOCX (src line N = paragraph N),
 * or "path:pN:line:col" for a PDF (line within page N); docs/inputs.md. */
static void put_location(zl_buf *out, const zl_report_input *f, const zl_finding *fd)
{
    const zl_input *in = f->doc ? &f->doc->in : NULL;
    zl_buf_puts(out, f->path);
    if (in && in->pos_kind == ZL_POS_PARAGRAPH) {
        zl_buf_put_lit(out, ":\xC2\xB6");
        zl_buf_u32(out, fd->line);
    } else if (in && in->pos_kind == ZL_POS_PAGE && in->page_of_line && fd->line >= 1 &&
               fd->line <= f->doc->n_lines) {
        uint32_t page = in->page_of_line[fd->line - 1], first = fd->line;
        while (first > 1 && in->page_of_line[first - 2] == page)
            first--;
        zl_buf_put_lit(out, ":p");
        zl_buf_u32(out, page);
        zl_buf_putc(out, ':');
        zl_buf_u32(out, fd->line - first + 1);
    } else {
        zl_buf_putc(out, ':');
        zl_buf_u32(out, fd->line);
    }
    zl_buf_putc(out, ':');
    zl_buf_u32(out, fd->col);
    zl_buf_putc(out, ':');
}

static void text_finding(zl_buf *out, const zl_report_opts *o, const zl_report_input *f,
                         const zl_finding *fd)
{
    int color = o->color;
    if (color)
        zl_buf_puts(out, ZL_COLOR_BOLD);
    put_location(out, f, fd);
    if (color)
        zl_buf_puts(out, ZL_COLOR_RESET);
    zl_buf_putc(out, ' ');
    put_colored(out, color, zl_report_severity_color(fd->severity), zl_severity_name(fd->severity));
    zl_buf_puts(out, ": ");
    const char *msg = zl_finding_message(fd, o->lang);
    zl_buf_puts(out, msg ? msg : "");
    zl_buf_puts(out, " ");
    if (color)
        zl_buf_puts(out, ZL_COLOR_DIM);
    zl_buf_putc(out, '[');
    zl_buf_puts(out, fd->rule->id);
    zl_buf_putc(out, ']');
    if (color)
        zl_buf_puts(out, ZL_COLOR_RESET);
    if (fd->rule->article && fd->rule->article[0]) {
        zl_buf_put_lit(out, " (");
        zl_buf_puts(out, fd->rule->article);
        zl_buf_putc(out, ')');
    }
    if (fd->suppressed) {
        zl_buf_put_lit(out, " (suppressed: ");
        zl_buf_puts(out, fd->suppress_reason ? fd->suppress_reason : "");
        zl_buf_putc(out, ')');
    }
    zl_buf_putc(out, '\n');

    size_t len = 0;
    const char *line = f->doc ? zl_doc_line(f->doc, fd->line, &len) : NULL;
    if (!line)
        return;
    uint32_t width = 1;
    if (fd->end_line == fd->line && fd->end_col >= fd->col)
        width = fd->end_col - fd->col + 1;
    else if (fd->end_line > fd->line)
        width = UINT32_MAX / 2; /* to the end of the line */
    zl_report_excerpt(out, line, len, fd->col, width,
                      color ? zl_report_severity_color(fd->severity) : NULL);
}

static void text_file(zl_buf *out, zl_report_ctx *ctx, const zl_report_input *f)
{
    for (size_t i = 0; i < f->n_findings; i++)
        text_finding(out, ctx->opts, f, &f->findings[i]);
}

static void count(zl_buf *out, size_t n, const char *one, const char *many)
{
    zl_buf_printf(out, "%zu %s", n, n == 1 ? one : many);
}

void zl_report_summary_line(zl_buf *out, const zl_report_summary *s)
{
    count(out, s->errors, "error", "errors");
    zl_buf_puts(out, ", ");
    count(out, s->warnings, "warning", "warnings");
    zl_buf_puts(out, ", ");
    count(out, s->infos, "info", "infos");
    zl_buf_puts(out, " in ");
    count(out, s->files, "file", "files");
    if (s->files > 1 && s->failed) /* a batch: how many documents are fully compliant */
        zl_buf_printf(out, " (%zu compliant, %zu could not be read)", s->compliant, s->failed);
    else if (s->files > 1)
        zl_buf_printf(out, " (%zu compliant)", s->compliant);
    else if (s->failed)
        zl_buf_printf(out, " (%zu could not be read)", s->failed);
}

static void text_end(zl_buf *out, zl_report_ctx *ctx)
{
    if (ctx->opts->quiet)
        return;
    const zl_report_summary *s = &ctx->sum;
    int color = ctx->opts->color;
    if (s->errors + s->warnings + s->infos > 0)
        zl_buf_putc(out, '\n');
    const char *esc = s->errors ? ZL_COLOR_RED : s->warnings ? ZL_COLOR_YELLOW
                      : s->infos ? ZL_COLOR_CYAN : ZL_COLOR_GREEN;
    if (color)
        zl_buf_puts(out, esc);
    zl_report_summary_line(out, s);
    if (color)
        zl_buf_puts(out, ZL_COLOR_RESET);
    zl_buf_putc(out, '\n');
}

const zl_reporter zl_reporter_text = {
    "text", "one line per finding with the source line and a caret, then a summary",
    NULL, text_file, text_end,
};
