/*
 * report.c - the reporter table and the driver that feeds a reporter one run.
 *
 * The CLI picks a reporter by --format name (zl_reporter_find) and calls
 * zl_report_begin / zl_report_add (per input, in input order) /
 * zl_report_end; the driver keeps the totals the reporters print.  Adding a
 * format is one report_<name>.c and one line in `table` below.
 */
#include "report/report.h"

#include <string.h>

#include "engine/suppress.h"
#include "util/utf8.h"

extern const zl_reporter zl_reporter_text;
extern const zl_reporter zl_reporter_json;
extern const zl_reporter zl_reporter_sarif;
extern const zl_reporter zl_reporter_junit;
extern const zl_reporter zl_reporter_github;
extern const zl_reporter zl_reporter_gitlab;
extern const zl_reporter zl_reporter_html;
extern const zl_reporter zl_reporter_csv;
extern const zl_reporter zl_reporter_jsonl;

static const zl_reporter *const table[] = {
    &zl_reporter_text,
    &zl_reporter_json,
    &zl_reporter_sarif,
    &zl_reporter_junit,
    &zl_reporter_github,
    &zl_reporter_gitlab,
    &zl_reporter_html,
    &zl_reporter_csv,
    &zl_reporter_jsonl,
    NULL,
};

const zl_reporter *const *zl_reporters(void)
{
    return table;
}

const zl_reporter *zl_reporter_find(const char *name)
{
    for (size_t i = 0; table[i]; i++)
        if (strcmp(table[i]->name, name) == 0)
            return table[i];
    return NULL;
}

const char *zl_report_severity_color(zl_severity sev)
{
    switch (sev) {
    case ZL_SEV_ERROR: return ZL_COLOR_RED;
    case ZL_SEV_WARNING: return ZL_COLOR_YELLOW;
    default: return ZL_COLOR_CYAN;
    }
}

void zl_report_begin(zl_report *rep, const zl_reporter *reporter, const zl_report_opts *opts,
                     zl_buf *out, void (*flush)(zl_buf *out, void *arg), void *flush_arg)
{
    memset(rep, 0, sizeof *rep);
    rep->reporter = reporter;
    rep->opts = *opts;
    rep->ctx.opts = &rep->opts;
    rep->ctx.flush = flush;
    rep->ctx.flush_arg = flush_arg;
    if (reporter->begin)
        reporter->begin(out, &rep->ctx);
}

void zl_report_add(zl_report *rep, zl_buf *out, const zl_report_input *f)
{
    if (rep->reporter->file)
        rep->reporter->file(out, &rep->ctx, f);
    zl_report_summary *s = &rep->ctx.sum;
    s->files++;
    if (!f->doc)
        s->failed++;
    size_t shown = 0;
    for (size_t i = 0; i < f->n_findings; i++) {
        if (f->findings[i].suppressed)
            continue; /* shown with --include-suppressed, never counted */
        shown++;
        switch (f->findings[i].severity) {
        case ZL_SEV_ERROR: s->errors++; break;
        case ZL_SEV_WARNING: s->warnings++; break;
        default: s->infos++; break;
        }
    }
    if (f->doc && !shown)
        s->compliant++;
    rep->ctx.index++;
}

void zl_report_end(zl_report *rep, zl_buf *out)
{
    if (rep->reporter->end)
        rep->reporter->end(out, &rep->ctx);
}

const char *zl_report_read_error(const zl_report_input *in)
{
    if (in->error && in->error->message)
        return in->error->message;
    return in->doc ? NULL : "cannot read";
}

/* FAILED with only suppressed (or baselined, hence absent) findings is
 * "suppressed". */
uint8_t zl_report_cell(const zl_report_input *in, const zl_rule *r, uint8_t status)
{
    switch (status) {
    case ZL_RS_NOT_APPLICABLE: return ZL_CELL_NA;
    case ZL_RS_PASSED: return ZL_CELL_PASS;
    case ZL_RS_FAILED: break;
    default: return ZL_CELL_OFF;
    }
    for (size_t i = 0; i < in->n_findings; i++)
        if (in->findings[i].rule == r && !in->findings[i].suppressed)
            return ZL_CELL_FAIL;
    return ZL_CELL_SUP;
}

uint8_t zl_report_meta_cell(const zl_report_input *in, const zl_report_opts *o, uint32_t m)
{
    const zl_rule *r = zl_meta_rule(m);
    int suppressed = 0;
    for (size_t i = 0; i < in->n_findings; i++) {
        if (in->findings[i].rule != r)
            continue;
        if (!in->findings[i].suppressed)
            return ZL_CELL_FAIL;
        suppressed = 1;
    }
    if (suppressed)
        return ZL_CELL_SUP;
    const uint8_t *on = in->meta_active ? in->meta_active : o->meta_active;
    return !on || on[m] ? ZL_CELL_PASS : ZL_CELL_OFF;
}

/* s with every ill-formed UTF-8 byte (a file name from a non-UTF-8 file
 * system) as U+FFFD, so the file stays UTF-8; `s` itself when well-formed. */
const char *zl_report_well_formed(const char *s, zl_buf *tmp)
{
    size_t n = strlen(s), i = 0;
    uint32_t cp;
    while (i < n && ((unsigned char)s[i] < 0x80 || zl_utf8_decode(s + i, n - i, &cp)))
        i += zl_utf8_seqlen((unsigned char)s[i]);
    if (i >= n)
        return s;
    zl_buf_reset(tmp);
    zl_buf_put(tmp, s, i);
    while (i < n) {
        size_t len = (unsigned char)s[i] < 0x80 ? 1 : zl_utf8_decode(s + i, n - i, &cp);
        if (len)
            zl_buf_put(tmp, s + i, len);
        else
            zl_buf_puts(tmp, "\xEF\xBF\xBD");
        i += len ? len : 1;
    }
    return tmp->data;
}
