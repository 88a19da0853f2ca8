/*
 * report_jsonl.c - JSON Lines (docs/batch.md): one compact JSON object per
 * document, written as soon as the document is reported, so a batch over
 * thousands of documents can be consumed (jq, a database loader) while it
 * runs and never needs one huge document.
 *
 * Each line has the shape of a files[] entry of the json format plus the
 * "tool" object: {"tool": {...}, "path", "languages", "error",
 * "findings": [...]}, findings with the json format's keys in the same
 * order.  The last line is {"summary": {...}} with the totals.  Fixed key
 * order, no timestamps: byte-identical output for the same inputs.
 */
#include "report/report.h"

#include <string.h>

static void jstr(zl_buf *out, const char *s)
{
    if (s)
        zl_buf_json_str(out, s, strlen(s));
    else
        zl_buf_puts(out, "null");
}

static void jsonl_tool(zl_buf *out, const zl_report_opts *o)
{
    zl_buf_puts(out, "{\"name\": \"zanlint\", \"version\": ");
    jstr(out, ZL_VERSION);
    zl_buf_puts(out, ", \"rulePack\": ");
    jstr(out, o->pack_name);
    zl_buf_puts(out, ", \"rulePackVersion\": ");
    jstr(out, o->pack_version);
    zl_buf_putc(out, '}');
}

static void jsonl_languages(zl_buf *out, const zl_doc *doc)
{
    int seen[3] = {0, 0, 0};
    int first = 1;
    zl_buf_putc(out, '[');
    for (uint32_t i = 0; doc && i < doc->n_versions; i++) {
        zl_lang l = doc->versions[i].lang;
        int k = l == ZL_LANG_RU ? 1 : l == ZL_LANG_KK ? 2 : 0;
        if (seen[k])
            continue;
        seen[k] = 1;
        zl_buf_puts(out, first ? "" : ", ");
        jstr(out, zl_lang_name(l));
        first = 0;
    }
    zl_buf_putc(out, ']');
}

/* DOCX paragraphs, PDF pages: the same extra keys as the json format. */
static void jsonl_position_kind(zl_buf *out, const zl_doc *doc, const zl_finding *f)
{
    const zl_input *in = doc ? &doc->in : NULL;
    if (in && in->pos_kind == ZL_POS_PARAGRAPH) {
        zl_buf_printf(out, ", \"paragraph\": %u", (unsigned)f->line);
    } else if (in && in->pos_kind == ZL_POS_PAGE && in->page_of_line && f->line >= 1 &&
               f->line <= doc->n_lines) {
        uint32_t page = in->page_of_line[f->line - 1], first = f->line;
        while (first > 1 && in->page_of_line[first - 2] == page)
            first--;
        zl_buf_printf(out, ", \"page\": %u, \"pageLine\": %u", (unsigned)page,
                      (unsigned)(f->line - first + 1));
    }
}

static void jsonl_finding(zl_buf *out, const zl_report_opts *o, const zl_doc *doc,
                          const zl_finding *f)
{
    zl_buf_puts(out, "{\"rule\": ");
    jstr(out, f->rule->id);
    zl_buf_puts(out, ", \"severity\": ");
    jstr(out, zl_severity_name(f->severity));
    zl_buf_puts(out, ", \"article\": ");
    jstr(out, f->rule->article);
    zl_buf_puts(out, ", \"message\": ");
    jstr(out, zl_finding_message(f, o->lang));
    zl_buf_printf(out,
                  ", \"line\": %u, \"column\": %u, \"endLine\": %u, \"endColumn\": %u, "
                  "\"offset\": %u, \"length\": %u",
                  (unsigned)f->line, (unsigned)f->col, (unsigned)f->end_line,
                  (unsigned)f->end_col, (unsigned)f->src_off, (unsigned)f->src_len);
    jsonl_position_kind(out, doc, f);
    zl_buf_puts(out, ", \"lang\": ");
    jstr(out, zl_lang_name(f->lang));
    zl_buf_puts(out, ", \"section\": ");
    jstr(out, f->section);
    zl_buf_puts(out, ", \"clause\": ");
    jstr(out, f->clause);
    zl_buf_puts(out, ", \"excerpt\": ");
    jstr(out, f->excerpt);
    zl_buf_puts(out, ", \"fingerprint\": ");
    jstr(out, f->fingerprint);
    if (f->suppressed) { /* only with --include-suppressed */
        zl_buf_puts(out, ", \"suppressed\": {\"kind\": ");
        jstr(out, f->suppress_kind);
        zl_buf_puts(out, ", \"reason\": ");
        jstr(out, f->suppress_reason);
        zl_buf_putc(out, '}');
    }
    zl_buf_putc(out, '}');
}

static void jsonl_file(zl_buf *out, zl_report_ctx *ctx, const zl_report_input *f)
{
    zl_buf_puts(out, "{\"tool\": ");
    jsonl_tool(out, ctx->opts);
    zl_buf_puts(out, ", \"path\": ");
    jstr(out, f->path);
    zl_buf_puts(out, ", \"languages\": ");
    jsonl_languages(out, f->doc);
    zl_buf_puts(out, ", \"error\": ");
    jstr(out, f->error);
    zl_buf_puts(out, ", \"findings\": [");
    for (size_t i = 0; i < f->n_findings; i++) {
        if (i)
            zl_buf_puts(out, ", ");
        jsonl_finding(out, ctx->opts, f->doc, &f->findings[i]);
    }
    zl_buf_puts(out, "]}\n");
}

static void jsonl_end(zl_buf *out, zl_report_ctx *ctx)
{
    const zl_report_summary *s = &ctx->sum;
    zl_buf_printf(out,
                  "{\"summary\": {\"files\": %zu, \"failed\": %zu, \"compliant\": %zu, "
                  "\"errors\": %zu, \"warnings\": %zu, \"infos\": %zu}}\n",
                  s->files, s->failed, s->compliant, s->errors, s->warnings, s->infos);
}

const zl_reporter zl_reporter_jsonl = {
    "jsonl", "JSON Lines: one object per document as it is linted, then a summary line "
             "(docs/batch.md)",
    NULL, jsonl_file, jsonl_end,
};
