/*
 * report_json.c - the JSON format (a public interface: see docs/cli.md).
 *
 * Shape: {"schemaVersion": 1, "tool": {...}, "files": [{path, languages,
 * error, findings: [...]}], "summary": {...}} with a fixed key order and
 * two-space indentation, no timestamps: the same input gives byte-identical
 * output.  Offsets/lengths are bytes of the decoded UTF-8 source; lines and
 * columns are 1-based, columns in code points.  Every input appears, in
 * input order; one that could not be read has "error" set and no findings.
 */
#include "report/report.h"

#include <string.h>

#define SCHEMA_VERSION 1

static void jstr(zl_buf *out, const char *s)
{
    if (s)
        zl_buf_json_str(out, s, strlen(s));
    else
        zl_buf_puts(out, "null");
}

static void json_begin(zl_buf *out, zl_report_ctx *ctx)
{
    const zl_report_opts *o = ctx->opts;
    zl_buf_printf(out, "{\n  \"schemaVersion\": %d,\n  \"tool\": {\"name\": \"zanlint\", \"version\": ",
                  SCHEMA_VERSION);
    jstr(out, ZL_VERSION);
    zl_buf_puts(out, ", \"rulePack\": ");
    jstr(out, o->pack_name);
    zl_buf_puts(out, ", \"rulePackVersion\": ");
    jstr(out, o->pack_version);
    zl_buf_puts(out, "},\n  \"files\": [");
}

static void json_languages(zl_buf *out, const zl_doc *doc)
{
    zl_buf_putc(out, '[');
    int seen[3] = {0, 0, 0};
    int first = 1;
    if (doc) {
        for (uint32_t i = 0; i < doc->n_versions; i++) {
            zl_lang l = doc->versions[i].lang;
            int k = l == ZL_LANG_RU ? 1 : l == ZL_LANG_KK ? 2 : 0;
            if (seen[k])
                continue;
            seen[k] = 1;
            zl_buf_puts(out, first ? "" : ", ");
            jstr(out, zl_lang_name(l));
            first = 0;
        }
    }
    zl_buf_putc(out, ']');
}

/* DOCX: "paragraph" (= line, src has one line per paragraph); PDF: "page" and
 * "pageLine" (line within the page; "line" counts over all pages).  See
 * docs/inputs.md. */
static void json_position_kind(zl_buf *out, const zl_doc *doc, const zl_finding *f)
{
    const zl_input *in = doc ? &doc->in : NULL;
    if (in && in->pos_kind == ZL_POS_PARAGRAPH) {
        zl_buf_printf(out, "\n          \"paragraph\": %u,", (unsigned)f->line);
    } else if (in && in->pos_kind == ZL_POS_PAGE && in->page_of_line && f->line >= 1 &&
               f->line <= doc->n_lines) {
        uint32_t page = in->page_of_line[f->line - 1], first = f->line;
        while (first > 1 && in->page_of_line[first - 2] == page)
            first--;
        zl_buf_printf(out, "\n          \"page\": %u, \"pageLine\": %u,", (unsigned)page,
                      (unsigned)(f->line - first + 1));
    }
}

static void json_finding(zl_buf *out, const zl_report_opts *o, const zl_doc *doc,
                         const zl_finding *f)
{
    zl_buf_puts(out, "        {\n          \"rule\": ");
    jstr(out, f->rule->id);
    zl_buf_puts(out, ",\n          \"severity\": ");
    jstr(out, zl_severity_name(f->severity));
    zl_buf_puts(out, ",\n          \"article\": ");
    jstr(out, f->rule->article);
    zl_buf_puts(out, ",\n          \"message\": ");
    jstr(out, zl_finding_message(f, o->lang));
    zl_buf_printf(out,
                  ",\n          \"line\": %u, \"column\": %u, \"endLine\": %u, \"endColumn\": %u,"
                  "\n          \"offset\": %u, \"length\": %u,",
                  (unsigned)f->line, (unsigned)f->col, (unsigned)f->end_line,
                  (unsigned)f->end_col, (unsigned)f->src_off, (unsigned)f->src_len);
    json_position_kind(out, doc, f);
    zl_buf_puts(out, "\n          \"lang\": ");
    jstr(out, zl_lang_name(f->lang));
    zl_buf_puts(out, ",\n          \"section\": ");
    jstr(out, f->section);
    zl_buf_puts(out, ",\n          \"clause\": ");
    jstr(out, f->clause);
    zl_buf_puts(out, ",\n          \"excerpt\": ");
    jstr(out, f->excerpt);
    zl_buf_puts(out, ",\n          \"fingerprint\": ");
    jstr(out, f->fingerprint);
    if (f->suppressed) { /* only with --include-suppressed */
        zl_buf_puts(out, ",\n          \"suppressed\": {\"kind\": ");
        jstr(out, f->suppress_kind);
        zl_buf_puts(out, ", \"reason\": ");
        jstr(out, f->suppress_reason);
        zl_buf_putc(out, '}');
    }
    zl_buf_puts(out, "\n        }");
}

static void json_file(zl_buf *out, zl_report_ctx *ctx, const zl_report_input *f)
{
    zl_buf_puts(out, ctx->index ? ",\n    {\n      \"path\": " : "\n    {\n      \"path\": ");
    jstr(out, f->path);
    zl_buf_puts(out, ",\n      \"languages\": ");
    json_languages(out, f->doc);
    zl_buf_puts(out, ",\n      \"error\": ");
    jstr(out, f->error);
    zl_buf_puts(out, ",\n      \"findings\": [");
    for (size_t i = 0; i < f->n_findings; i++) {
        zl_buf_puts(out, i ? ",\n" : "\n");
        json_finding(out, ctx->opts, f->doc, &f->findings[i]);
    }
    zl_buf_puts(out, f->n_findings ? "\n      ]\n    }" : "]\n    }");
}

static void json_end(zl_buf *out, zl_report_ctx *ctx)
{
    const zl_report_summary *s = &ctx->sum;
    zl_buf_puts(out, s->files ? "\n  ],\n" : "],\n");
    zl_buf_printf(out,
                  "  \"summary\": {\"files\": %zu, \"errors\": %zu, \"warnings\": %zu, "
                  "\"infos\": %zu}\n}\n",
                  s->files, s->errors, s->warnings, s->infos);
}

const zl_reporter zl_reporter_json = {
    "json", "one JSON document (schemaVersion 1, see docs/cli.md)",
    json_begin, json_file, json_end,
};
