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

/* {"name": ..., "version": ..., "rulePack": ..., "rulePackVersion": ...} */
void zl_report_json_tool(zl_buf *out, const zl_report_opts *o)
{
    zl_buf_puts(out, "{\"name\": \"zanlint\", \"version\": ");
    jstr(out, ZL_VERSION);
    zl_buf_puts(out, ", \"rulePack\": ");
    jstr(out, o->pack_name);
    zl_buf_puts(out, ", \"rulePackVersion\": ");
    jstr(out, o->pack_version);
    zl_buf_putc(out, '}');
}

static void json_begin(zl_buf *out, zl_report_ctx *ctx)
{
    zl_buf_printf(out, "{\n  \"schemaVersion\": %d,\n  \"tool\": ", SCHEMA_VERSION);
    zl_report_json_tool(out, ctx->opts);
    zl_buf_puts(out, ",\n  \"files\": [");
}

void zl_report_json_languages(zl_buf *out, const zl_doc *doc)
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

/* The separator `k` (kn bytes) and a member name with its colon, e.g.
 * "\"severity\": " (a literal: its length folds once inlined). */
static inline void key(zl_buf *out, const char *k, size_t kn, const char *name)
{
    zl_buf_put(out, k, kn);
    zl_buf_puts(out, name);
}

/* DOCX: "paragraph" (= line, src has one line per paragraph); PDF: "page" and
 * "pageLine" (line within the page; "line" counts over all pages).  See
 * docs/inputs.md.  `k` separates keys. */
static void json_position_kind(zl_buf *out, const zl_doc *doc, const zl_finding *f, const char *k,
                               size_t kn)
{
    const zl_input *in = doc ? &doc->in : NULL;
    if (in && in->pos_kind == ZL_POS_PARAGRAPH) {
        key(out, k, kn, "\"paragraph\": ");
        zl_buf_u32(out, f->line);
    } else if (in && in->pos_kind == ZL_POS_PAGE && in->page_of_line && f->line >= 1 &&
               f->line <= doc->n_lines) {
        uint32_t page = in->page_of_line[f->line - 1], first = f->line;
        while (first > 1 && in->page_of_line[first - 2] == page)
            first--;
        key(out, k, kn, "\"page\": ");
        zl_buf_u32(out, page);
        zl_buf_put_lit(out, ", \"pageLine\": ");
        zl_buf_u32(out, f->line - first + 1);
    }
}

void zl_report_json_finding(zl_buf *out, const zl_report_opts *o, const zl_doc *doc,
                            const zl_finding *f, int compact)
{
    const char *k = compact ? ", " : ",\n          ";
    size_t kn = strlen(k);
    if (compact)
        zl_buf_put_lit(out, "{\"rule\": ");
    else
        zl_buf_put_lit(out, "        {\n          \"rule\": ");
    jstr(out, f->rule->id);
    key(out, k, kn, "\"severity\": ");
    jstr(out, zl_severity_name(f->severity));
    key(out, k, kn, "\"article\": ");
    jstr(out, f->rule->article);
    key(out, k, kn, "\"message\": ");
    jstr(out, zl_finding_message(f, o->lang));
    key(out, k, kn, "\"line\": ");
    zl_buf_u32(out, f->line);
    zl_buf_put_lit(out, ", \"column\": ");
    zl_buf_u32(out, f->col);
    zl_buf_put_lit(out, ", \"endLine\": ");
    zl_buf_u32(out, f->end_line);
    zl_buf_put_lit(out, ", \"endColumn\": ");
    zl_buf_u32(out, f->end_col);
    key(out, k, kn, "\"offset\": ");
    zl_buf_u32(out, f->src_off);
    zl_buf_put_lit(out, ", \"length\": ");
    zl_buf_u32(out, f->src_len);
    json_position_kind(out, doc, f, k, kn);
    key(out, k, kn, "\"lang\": ");
    jstr(out, zl_lang_name(f->lang));
    key(out, k, kn, "\"section\": ");
    jstr(out, f->section);
    key(out, k, kn, "\"clause\": ");
    jstr(out, f->clause);
    key(out, k, kn, "\"excerpt\": ");
    jstr(out, f->excerpt);
    key(out, k, kn, "\"fingerprint\": ");
    jstr(out, f->fingerprint);
    if (f->suppressed) { /* only with --include-suppressed */
        key(out, k, kn, "\"suppressed\": {\"kind\": ");
        jstr(out, f->suppress_kind);
        zl_buf_put_lit(out, ", \"reason\": ");
        jstr(out, f->suppress_reason);
        zl_buf_putc(out, '}');
    }
    if (compact)
        zl_buf_putc(out, '}');
    else
        zl_buf_put_lit(out, "\n        }");
}

static void json_file(zl_buf *out, zl_report_ctx *ctx, const zl_report_input *f)
{
    zl_buf_puts(out, ctx->index ? ",\n    {\n      \"path\": " : "\n    {\n      \"path\": ");
    jstr(out, f->path);
    zl_buf_puts(out, ",\n      \"languages\": ");
    zl_report_json_languages(out, f->doc);
    zl_buf_puts(out, ",\n      \"error\": ");
    jstr(out, zl_report_read_error(f));
    zl_buf_puts(out, ",\n      \"findings\": [");
    for (size_t i = 0; i < f->n_findings; i++) {
        zl_buf_puts(out, i ? ",\n" : "\n");
        zl_report_json_finding(out, ctx->opts, f->doc, &f->findings[i], 0);
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
