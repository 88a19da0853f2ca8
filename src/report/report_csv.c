/*
 * report_csv.c - the requirement x document matrix as CSV for spreadsheets
 * (docs/reports.md): one header row, then one row per input in input order:
 *
 *   path, languages, status, errors, warnings, infos, read_error, RULE-ID...
 *
 * status is ok (read, no finding), findings or unreadable; errors/warnings/
 * infos count the unsuppressed findings; a rule cell is pass, fail, n/a (its
 * `when` held in no language version), suppressed (every finding suppressed
 * or baselined), off (not evaluated for this input, e.g. disabled by a
 * per-path setting) or empty for an unreadable input.  The rule columns are
 * the rules evaluated on at least one read input (with none read: the rules
 * active under the run's options), in pack order (by id), then the
 * zanlint.* suppression-comment rules some document fails (so a row with
 * findings always shows where), so the header is known only at the end:
 * rows are kept until then.
 *
 * RFC 4180: CRLF line ends, fields with a comma, quote, CR or LF quoted with
 * quotes doubled; UTF-8 with a BOM so Excel reads Cyrillic.  Free-text fields
 * (path, read_error) starting with = + - @ get a leading apostrophe so a
 * spreadsheet never evaluates a file name as a formula.  Deterministic.
 */
#include "report/report.h"

#include <stdlib.h>
#include <string.h>

#include "engine/suppress.h"
#include "util/xalloc.h"

static const char *const cell_name[] = {"off", "n/a", "pass", "fail", "suppressed"};

typedef struct csv_row {
    char *path;
    char *error;     /* NULL when read */
    char langs[16];  /* "ru kk" */
    size_t n_sev[3]; /* unsuppressed findings by severity */
    uint8_t *cell;   /* per rule index, then per meta rule (n_rules + m) */
} csv_row;

typedef struct csv_state {
    csv_row *rows;
    size_t n_rows, cap;
    uint32_t n_rules;
} csv_state;

/* One field; `text` = free text that may need the formula guard. */
static void field(zl_buf *out, const char *s, int text)
{
    zl_buf tmp = ZL_BUF_INIT;
    s = s ? zl_report_well_formed(s, &tmp) : "";
    int guard = text && (*s == '=' || *s == '+' || *s == '-' || *s == '@');
    if (!guard && !strpbrk(s, ",\"\r\n")) {
        zl_buf_puts(out, s);
    } else {
        zl_buf_putc(out, '"');
        if (guard)
            zl_buf_putc(out, '\'');
        for (const char *p = s; *p; p++) {
            if (*p == '"')
                zl_buf_putc(out, '"');
            zl_buf_putc(out, *p);
        }
        zl_buf_putc(out, '"');
    }
    zl_buf_free(&tmp);
}

static void csv_begin(zl_buf *out, zl_report_ctx *ctx)
{
    (void)out;
    csv_state *st = zl_xcalloc(1, sizeof *st);
    st->n_rules = ctx->opts->pack ? zl_pack_rule_count(ctx->opts->pack) : 0;
    ctx->state = st;
}

static void csv_file(zl_buf *out, zl_report_ctx *ctx, const zl_report_input *in)
{
    (void)out;
    csv_state *st = ctx->state;
    st->rows = zl_xgrow(st->rows, &st->cap, st->n_rows + 1, sizeof *st->rows);
    csv_row *row = &st->rows[st->n_rows++];
    memset(row, 0, sizeof *row);
    row->path = zl_xstrdup(in->path ? in->path : "");
    row->cell = zl_xcalloc(st->n_rules + ZL_META_COUNT, 1);
    if (!in->doc || !in->rule_status) {
        row->error = zl_xstrdup(zl_report_read_error(in));
        return;
    }
    int seen[3] = {0, 0, 0};
    size_t n = 0;
    for (uint32_t i = 0; i < in->doc->n_versions; i++) {
        zl_lang l = in->doc->versions[i].lang;
        int k = l == ZL_LANG_RU ? 0 : l == ZL_LANG_KK ? 1 : 2;
        const char *name = zl_lang_name(l);
        size_t len = strlen(name);
        if (seen[k] || n + len + 2 > sizeof row->langs)
            continue;
        seen[k] = 1;
        if (n)
            row->langs[n++] = ' ';
        memcpy(row->langs + n, name, len + 1);
        n += len;
    }
    for (size_t i = 0; i < in->n_findings; i++) {
        const zl_finding *f = &in->findings[i];
        if (!f->suppressed)
            row->n_sev[f->severity <= ZL_SEV_INFO ? f->severity : ZL_SEV_INFO]++;
    }
    for (uint32_t r = 0; r < st->n_rules; r++)
        row->cell[r] = zl_report_cell(in, zl_pack_rule(ctx->opts->pack, r), in->rule_status[r]);
    for (uint32_t m = 0; m < ZL_META_COUNT; m++)
        row->cell[st->n_rules + m] = zl_report_meta_cell(in, ctx->opts, m);
}

/* The id of column `c`: a rule of the pack, then the meta rules. */
static const char *column_id(const zl_report_ctx *ctx, const csv_state *st, uint32_t c)
{
    return c < st->n_rules ? zl_pack_rule(ctx->opts->pack, c)->id : zl_meta_rule(c - st->n_rules)->id;
}

static void csv_end(zl_buf *out, zl_report_ctx *ctx)
{
    csv_state *st = ctx->state;
    uint32_t n_cols = st->n_rules + ZL_META_COUNT;
    uint8_t *col = zl_xcalloc(n_cols, 1);
    size_t read = 0;
    for (size_t i = 0; i < st->n_rows; i++)
        read += !st->rows[i].error;
    for (uint32_t r = 0; r < st->n_rules; r++) {
        if (!read)
            col[r] = (uint8_t)zl_rule_is_active(zl_pack_rule(ctx->opts->pack, r), ctx->opts->eval);
        for (size_t i = 0; i < st->n_rows && !col[r]; i++)
            col[r] = !st->rows[i].error && st->rows[i].cell[r] != ZL_CELL_OFF;
    }
    for (uint32_t c = st->n_rules; c < n_cols; c++)
        for (size_t i = 0; i < st->n_rows && !col[c]; i++)
            col[c] = !st->rows[i].error &&
                     (st->rows[i].cell[c] == ZL_CELL_FAIL || st->rows[i].cell[c] == ZL_CELL_SUP);
    zl_buf_puts(out, "\xEF\xBB\xBFpath,languages,status,errors,warnings,infos,read_error");
    for (uint32_t c = 0; c < n_cols; c++)
        if (col[c]) {
            zl_buf_putc(out, ',');
            field(out, column_id(ctx, st, c), 0);
        }
    zl_buf_puts(out, "\r\n");
    for (size_t i = 0; i < st->n_rows; i++) {
        csv_row *row = &st->rows[i];
        field(out, row->path, 1);
        zl_buf_putc(out, ',');
        field(out, row->langs, 0);
        if (row->error)
            zl_buf_puts(out, ",unreadable,,,,");
        else
            zl_buf_printf(out, ",%s,%zu,%zu,%zu,",
                          row->n_sev[0] || row->n_sev[1] || row->n_sev[2] ? "findings" : "ok",
                          row->n_sev[0], row->n_sev[1], row->n_sev[2]);
        field(out, row->error, 1);
        for (uint32_t c = 0; c < n_cols; c++)
            if (col[c]) {
                zl_buf_putc(out, ',');
                if (!row->error)
                    zl_buf_puts(out, cell_name[row->cell[c]]);
            }
        zl_buf_puts(out, "\r\n");
        free(row->path);
        free(row->error);
        free(row->cell);
    }
    free(col);
    free(st->rows);
    free(st);
    ctx->state = NULL;
}

const zl_reporter zl_reporter_csv = {
    "csv", "the requirement x document matrix as CSV (RFC 4180, UTF-8 with BOM; docs/reports.md)",
    csv_begin, csv_file, csv_end,
};
