/*
 * report_github.c - GitHub Actions workflow commands, one line per finding:
 *     ::error file=PATH,line=L,col=C,endLine=EL,endColumn=EC,title=RULE-ID::MESSAGE
 * (warning for warnings, notice for infos; endColumn is inclusive, like the
 * text format).  Escaping as GitHub's @actions/core does: in the message
 * % CR LF become %25 %0D %0A; in property values also : and , become %3A
 * and %2C.  An unreadable input gives an ::error for the file without a
 * line.  GitHub shows at most 10 annotations of each kind per step, so big
 * runs should upload SARIF instead (docs/ci.md).  No summary line.
 */
#include "report/report.h"

#include <string.h>

/* A property or message value; the file name's ill-formed UTF-8 (GitHub
 * reads workflow commands as UTF-8) as U+FFFD. */
static void escape(zl_buf *b, const char *s, int property)
{
    zl_buf tmp = ZL_BUF_INIT;
    for (s = zl_report_well_formed(s, &tmp); *s; s++) {
        switch (*s) {
        case '%': zl_buf_puts(b, "%25"); break;
        case '\r': zl_buf_puts(b, "%0D"); break;
        case '\n': zl_buf_puts(b, "%0A"); break;
        case ':':
            if (property)
                zl_buf_puts(b, "%3A");
            else
                zl_buf_putc(b, ':');
            break;
        case ',':
            if (property)
                zl_buf_puts(b, "%2C");
            else
                zl_buf_putc(b, ',');
            break;
        default: zl_buf_putc(b, *s); break;
        }
    }
    zl_buf_free(&tmp);
}

static const char *command_of(zl_severity s)
{
    switch (s) {
    case ZL_SEV_ERROR: return "error";
    case ZL_SEV_WARNING: return "warning";
    default: return "notice";
    }
}

static void github_file(zl_buf *out, zl_report_ctx *ctx, const zl_report_input *in)
{
    if (!in->doc) {
        zl_buf_puts(out, "::error file=");
        escape(out, in->path, 1);
        zl_buf_puts(out, ",title=zanlint::");
        escape(out, zl_report_read_error(in), 0);
        zl_buf_putc(out, '\n');
        return;
    }
    for (size_t i = 0; i < in->n_findings; i++) {
        const zl_finding *f = &in->findings[i];
        if (f->suppressed)
            continue; /* annotations are for what needs fixing */
        zl_buf_printf(out, "::%s file=", command_of(f->severity));
        escape(out, in->path, 1);
        zl_buf_printf(out, ",line=%u,col=%u,endLine=%u,endColumn=%u,title=", (unsigned)f->line,
                      (unsigned)f->col, (unsigned)f->end_line, (unsigned)f->end_col);
        escape(out, f->rule->id, 1);
        zl_buf_puts(out, "::");
        escape(out, zl_finding_message(f, ctx->opts->lang), 0);
        if (f->rule->article) {
            zl_buf_puts(out, " (");
            escape(out, f->rule->article, 0);
            zl_buf_putc(out, ')');
        }
        zl_buf_putc(out, '\n');
    }
}

const zl_reporter zl_reporter_github = {
    "github", "GitHub Actions annotations (workflow commands; at most 10 per kind are shown)",
    NULL, github_file, NULL,
};
