/*
 * report_jsonl.c - JSON Lines (docs/batch.md): one compact JSON object per
 * document, written as soon as the document is reported, so a batch over
 * thousands of documents can be consumed (jq, a database loader) while it
 * runs and never needs one huge document.
 *
 * Each line has the shape of a files[] entry of the json format plus the
 * "tool" object: {"tool": {...}, "path", "languages", "error",
 * "findings": [...]}, findings with the json format's keys in the same
 * order (report_json.c writes both).  The last line is {"summary": {...}} with the totals.  Fixed key
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

static void jsonl_file(zl_buf *out, zl_report_ctx *ctx, const zl_report_input *f)
{
    zl_buf_puts(out, "{\"tool\": ");
    zl_report_json_tool(out, ctx->opts);
    zl_buf_puts(out, ", \"path\": ");
    jstr(out, f->path);
    zl_buf_puts(out, ", \"languages\": ");
    zl_report_json_languages(out, f->doc);
    zl_buf_puts(out, ", \"error\": ");
    jstr(out, zl_report_read_error(f));
    zl_buf_puts(out, ", \"findings\": [");
    for (size_t i = 0; i < f->n_findings; i++) {
        if (i)
            zl_buf_puts(out, ", ");
        zl_report_json_finding(out, ctx->opts, f->doc, &f->findings[i], 1);
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
