/*
 * report_gitlab.c - GitLab Code Quality (a CodeClimate subset): one JSON
 * array of issues, one per finding, with description (message and
 * article), check_name (rule id), fingerprint, severity, location.path and
 * location.lines.begin/end.  Severity: error -> critical, warning -> major,
 * info -> info.  The fingerprint is 32 hex digits hashing the path, the
 * finding's own fingerprint (rule + evidence) and its occurrence number
 * among equal ones in the file, so it is unique per finding and stable
 * when unrelated text moves.  Unreadable inputs are not issues (they are
 * on stderr and in the exit status).
 */
#include "report/report.h"
#include "util/hash.h"

#include <string.h>

#include "report/jsonw.h"

static const char *severity_of(zl_severity s)
{
    switch (s) {
    case ZL_SEV_ERROR: return "critical";
    case ZL_SEV_WARNING: return "major";
    default: return "info";
    }
}

static void gitlab_begin(zl_buf *out, zl_report_ctx *ctx)
{
    (void)ctx;
    zl_buf_putc(out, '[');
}

static void gitlab_file(zl_buf *out, zl_report_ctx *ctx, const zl_report_input *in)
{
    zl_jw w;
    zl_jw_init(&w, out);
    /* continue the top-level array opened in begin */
    w.depth = 1;
    w.empty[1] = ctx->sum.errors + ctx->sum.warnings + ctx->sum.infos == 0;
    w.close[1] = ']';
    const char *path = in->path;
    while (path[0] == '.' && path[1] == '/')
        path += 2;
    zl_buf desc = ZL_BUF_INIT;
    for (size_t i = 0; i < in->n_findings; i++) {
        const zl_finding *f = &in->findings[i];
        if (f->suppressed)
            continue; /* Code Quality lists open issues only */
        uint32_t occ = 0;
        for (size_t k = 0; k < i; k++)
            if (strcmp(in->findings[k].fingerprint, f->fingerprint) == 0)
                occ++;
        uint64_t a = zl_fnv64(ZL_FNV64_INIT, path, strlen(path) + 1);
        a = zl_fnv64(a, f->fingerprint, strlen(f->fingerprint) + 1);
        a = zl_fnv64(a, &occ, sizeof occ);
        uint64_t b = zl_fnv64(a ^ 0x9e3779b97f4a7c15ULL, f->rule->id, strlen(f->rule->id));
        char fp[33];
        zl_hex64(fp, a);
        zl_hex64(fp + 16, b);
        fp[32] = '\0';

        zl_buf_reset(&desc);
        zl_buf_puts(&desc, zl_finding_message(f, ctx->opts->lang));
        if (f->rule->article)
            zl_buf_printf(&desc, " (%s)", f->rule->article);
        zl_jw_obj(&w, NULL);
        zl_jw_strn(&w, "description", desc.data, desc.len);
        zl_jw_str(&w, "check_name", f->rule->id);
        zl_jw_str(&w, "fingerprint", fp);
        zl_jw_str(&w, "severity", severity_of(f->severity));
        zl_jw_obj(&w, "location");
        zl_jw_str(&w, "path", path);
        zl_jw_obj(&w, "lines");
        zl_jw_uint(&w, "begin", f->line);
        zl_jw_uint(&w, "end", f->end_line >= f->line ? f->end_line : f->line);
        zl_jw_end(&w);
        zl_jw_end(&w);
        zl_jw_end(&w);
    }
    zl_buf_free(&desc);
}

static void gitlab_end(zl_buf *out, zl_report_ctx *ctx)
{
    const zl_report_summary *s = &ctx->sum;
    zl_buf_puts(out, s->errors + s->warnings + s->infos ? "\n]\n" : "]\n");
}

const zl_reporter zl_reporter_gitlab = {
    "gitlab", "GitLab Code Quality report (JSON array of issues)",
    gitlab_begin, gitlab_file, gitlab_end,
};
