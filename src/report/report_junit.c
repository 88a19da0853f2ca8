/*
 * report_junit.c - JUnit XML for GitLab (artifacts:reports:junit) and
 * Jenkins (junit step), valid against the Ant JUnit schema (docs/ci.md).
 * A compliance requirement is a test:
 * <testsuites> holds one <testsuite> per input (name = package = path,
 * id = input index) and, per active rule in pack order, one
 * <testcase classname=PATH name=RULE-ID>:
 *   passed          - no child;
 *   violated        - <failure message=FIRST-MESSAGE type=SEVERITY> with one
 *                     "path:line:col: severity: message [rule] (article)"
 *                     line per finding in the body;
 *   not applicable  - <skipped message="not applicable: ...">;
 *   suppressed      - every finding suppressed (--include-suppressed):
 *                     <skipped message="suppressed: REASON">;
 * then one per zanlint.* meta rule (suppression comments) on for the input,
 * in their order: passed, or a <failure> when it has a finding that is not
 * suppressed; an unreadable input is a suite with one test case
 * "zanlint.read" holding an <error>.  The schema requires timestamp, hostname and time: they are
 * fixed (the --as-of date at 00:00:00, "localhost", 0) so the same inputs
 * give byte-identical output.  Output is streamed per input.
 *
 * The XML is written here directly, byte for byte as libxml2's xmlwriter
 * (2.9, indent "  ") wrote it before, so that the report stage does not load
 * libxml2: attribute values escape & < > " and tab, newline, carriage return
 * as character references; element text escapes & < > " and carriage
 * return; characters XML 1.0 cannot carry (C0 controls, ill-formed UTF-8)
 * become U+FFFD (put_escaped).
 */
#include "report/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/suppress.h"
#include "util/utf8.h"
#include "util/xalloc.h"

typedef struct junit_state {
    int open_root;      /* "<testsuites" written, its start tag not yet closed */
    char date[16];      /* the --as-of date, YYYY-MM-DD */
    char timestamp[32]; /* ...T00:00:00 */
} junit_state;

/* Escapes s for XML 1.0: & < > " always; tab, newline and carriage return
 * as character references in attribute values (`attr`), carriage return in
 * element text (as xmlwriter did).  Bytes XML cannot carry at all - C0
 * controls other than tab/newline/CR, ill-formed UTF-8, U+FFFE and U+FFFF -
 * become U+FFFD, so a file name with a control byte or from a non-UTF-8
 * file system still gives a well-formed report. */
static void put_escaped(zl_buf *out, const char *s, int attr)
{
    const char *run = s;
    while (*s) {
        unsigned char c = (unsigned char)*s;
        const char *rep = NULL;
        size_t len = 1;
        if (c >= 0x80) {
            uint32_t cp;
            len = zl_utf8_decode(s, strnlen(s, 4), &cp);
            if (len == 0 || cp == 0xFFFE || cp == 0xFFFF) {
                rep = "\xEF\xBF\xBD";
                len = len ? len : 1;
            }
        } else {
            switch (c) {
            case '&': rep = "&amp;"; break;
            case '<': rep = "&lt;"; break;
            case '>': rep = "&gt;"; break;
            case '"': rep = "&quot;"; break;
            case '\r': rep = "&#13;"; break;
            case '\t': rep = attr ? "&#9;" : NULL; break;
            case '\n': rep = attr ? "&#10;" : NULL; break;
            default: rep = c < 0x20 ? "\xEF\xBF\xBD" : NULL; break;
            }
        }
        if (rep) {
            zl_buf_put(out, run, (size_t)(s - run));
            zl_buf_puts(out, rep);
            run = s + len;
        }
        s += len;
    }
    zl_buf_put(out, run, (size_t)(s - run));
}

static void put_attr_value(zl_buf *out, const char *s)
{
    put_escaped(out, s, 1);
}

static void put_text(zl_buf *out, const char *s)
{
    put_escaped(out, s, 0);
}

/* `level` levels of indentation ("  " each) and "<name". */
static void start_tag(zl_buf *out, int level, const char *name)
{
    for (int i = 0; i < level; i++)
        zl_buf_puts(out, "  ");
    zl_buf_putc(out, '<');
    zl_buf_puts(out, name);
}

static void attr(zl_buf *out, const char *name, const char *value)
{
    zl_buf_putc(out, ' ');
    zl_buf_puts(out, name);
    zl_buf_puts(out, "=\"");
    put_attr_value(out, value);
    zl_buf_putc(out, '"');
}

static void attr_num(zl_buf *out, const char *name, size_t v)
{
    zl_buf_printf(out, " %s=\"%zu\"", name, v);
}

static void junit_begin(zl_buf *out, zl_report_ctx *ctx)
{
    junit_state *st = zl_xcalloc(1, sizeof *st);
    ctx->state = st;
    int32_t d = ctx->opts->eval ? ctx->opts->eval->as_of : 0;
    if (d <= 0)
        d = 19700101;
    snprintf(st->date, sizeof st->date, "%04d-%02d-%02d", (int)(d / 10000 % 10000),
             (int)(d / 100 % 100), (int)(d % 100));
    snprintf(st->timestamp, sizeof st->timestamp, "%sT00:00:00", st->date);
    zl_buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    start_tag(out, 0, "testsuites");
    st->open_root = 1; /* closed by the first suite, or empty at the end */
}

static void suite_start(zl_buf *out, junit_state *st, const zl_report_ctx *ctx, const char *path,
                        size_t tests, size_t failures, size_t errors, size_t skipped)
{
    const zl_report_opts *o = ctx->opts;
    if (st->open_root) {
        zl_buf_puts(out, ">\n");
        st->open_root = 0;
    }
    start_tag(out, 1, "testsuite");
    attr(out, "name", path);
    attr(out, "package", path);
    attr_num(out, "id", ctx->index);
    attr(out, "timestamp", st->timestamp);
    attr(out, "hostname", "localhost");
    attr_num(out, "tests", tests);
    attr_num(out, "failures", failures);
    attr_num(out, "errors", errors);
    attr_num(out, "skipped", skipped);
    attr(out, "time", "0");
    zl_buf_puts(out, ">\n");
    start_tag(out, 2, "properties");
    const char *props[][2] = {
        {"rulePack", o->pack_name},
        {"rulePackVersion", o->pack_version},
        {"asOf", st->date},
    };
    int any = 0;
    for (size_t i = 0; i < sizeof props / sizeof *props; i++) {
        if (!props[i][1])
            continue;
        if (!any++)
            zl_buf_puts(out, ">\n");
        start_tag(out, 3, "property");
        attr(out, "name", props[i][0]);
        attr(out, "value", props[i][1]);
        zl_buf_puts(out, "/>\n");
    }
    zl_buf_puts(out, any ? "    </properties>\n" : "/>\n");
}

static void suite_end(zl_buf *out)
{
    zl_buf_puts(out, "    <system-out></system-out>\n"
                     "    <system-err></system-err>\n"
                     "  </testsuite>\n");
}

/* "<testcase ..." with its start tag left open. */
static void testcase_start(zl_buf *out, const char *path, const char *name)
{
    start_tag(out, 2, "testcase");
    attr(out, "name", name);
    attr(out, "classname", path);
    attr(out, "time", "0");
}

/* A test case's only child, an empty element with a message. */
static void testcase_child(zl_buf *out, const char *tag, const char *message, const char *type)
{
    zl_buf_puts(out, ">\n");
    start_tag(out, 3, tag);
    attr(out, "message", message);
    if (type)
        attr(out, "type", type);
    zl_buf_puts(out, "/>\n    </testcase>\n");
}

/* The failure of rule `r`: its findings (all in `in`) listed in the body;
 * ends the test case. */
static void write_failure(zl_buf *out, const zl_report_ctx *ctx, const zl_report_input *in,
                          const zl_rule *r)
{
    zl_buf body = ZL_BUF_INIT;
    const char *first = NULL;
    size_t n = 0;
    for (size_t i = 0; i < in->n_findings; i++) {
        const zl_finding *f = &in->findings[i];
        if (f->rule != r || f->suppressed)
            continue;
        const char *msg = zl_finding_message(f, ctx->opts->lang);
        if (!first)
            first = msg;
        n++;
        zl_buf_printf(&body, "%s:%u:%u: %s: %s [%s]", in->path, (unsigned)f->line,
                      (unsigned)f->col, zl_severity_name(f->severity), msg, r->id);
        if (r->article)
            zl_buf_printf(&body, " (%s)", r->article);
        zl_buf_putc(&body, '\n');
        if (f->excerpt && *f->excerpt)
            zl_buf_printf(&body, "    %s\n", f->excerpt);
    }
    zl_buf m = ZL_BUF_INIT;
    zl_buf_puts(&m, first ? first : r->id);
    if (n > 1)
        zl_buf_printf(&m, " (%zu findings)", n);
    if (!body.data) {
        testcase_child(out, "failure", m.data, zl_severity_name(r->severity));
    } else {
        zl_buf_puts(out, ">\n");
        start_tag(out, 3, "failure");
        attr(out, "message", m.data);
        attr(out, "type", zl_severity_name(r->severity));
        zl_buf_putc(out, '>');
        put_text(out, body.data);
        zl_buf_puts(out, "</failure>\n    </testcase>\n");
    }
    zl_buf_free(&m);
    zl_buf_free(&body);
}

/* Whether `in` has a finding of `r` that is not suppressed. */
static int has_live_finding(const zl_report_input *in, const zl_rule *r)
{
    for (size_t i = 0; i < in->n_findings; i++)
        if (in->findings[i].rule == r && !in->findings[i].suppressed)
            return 1;
    return 0;
}

/* A violated rule whose findings are all suppressed (--include-suppressed
 * hands them over) is reported as skipped with the first reason. */
#define RS_SUPPRESSED 0xFF

static uint8_t outcome(const zl_report_input *in, const zl_rule *r, uint8_t status,
                       const char **reason)
{
    if (status != ZL_RS_FAILED)
        return status;
    const char *why = NULL;
    for (size_t i = 0; i < in->n_findings; i++) {
        const zl_finding *f = &in->findings[i];
        if (f->rule != r)
            continue;
        if (!f->suppressed)
            return ZL_RS_FAILED;
        if (!why)
            why = f->suppress_reason;
    }
    /* no finding left at all: all were suppressed or baselined and dropped
     * (without --include-suppressed) */
    if (reason)
        *reason = why;
    return RS_SUPPRESSED;
}

static void junit_file(zl_buf *out, zl_report_ctx *ctx, const zl_report_input *in)
{
    junit_state *st = ctx->state;
    const zl_pack *pack = ctx->opts->pack;
    if (!in->doc || !in->rule_status || !pack) {
        suite_start(out, st, ctx, in->path, 1, 0, 1, 0);
        testcase_start(out, in->path, "zanlint.read");
        testcase_child(out, "error", zl_report_read_error(in), "io");
        suite_end(out);
        return;
    }
    uint32_t n = zl_pack_rule_count(pack);
    size_t tests = 0, failures = 0, skipped = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint8_t s = outcome(in, zl_pack_rule(pack, i), in->rule_status[i], NULL);
        tests += s != ZL_RS_INACTIVE;
        failures += s == ZL_RS_FAILED;
        skipped += s == ZL_RS_NOT_APPLICABLE || s == RS_SUPPRESSED;
    }
    /* zanlint's own checks of suppression comments: a test case each when
     * on, so a report never passes a run that exits 1 because of them */
    const uint8_t *meta_on = in->meta_active ? in->meta_active : ctx->opts->meta_active;
    uint8_t meta_failed[ZL_META_COUNT];
    for (uint32_t m = 0; m < ZL_META_COUNT; m++) {
        meta_failed[m] = has_live_finding(in, zl_meta_rule(m));
        tests += !meta_on || meta_on[m] || meta_failed[m];
        failures += meta_failed[m];
    }
    suite_start(out, st, ctx, in->path, tests, failures, 0, skipped);
    for (uint32_t i = 0; i < n; i++) {
        const zl_rule *r = zl_pack_rule(pack, i);
        const char *reason = NULL;
        uint8_t s = outcome(in, r, in->rule_status[i], &reason);
        if (s == ZL_RS_INACTIVE)
            continue;
        testcase_start(out, in->path, r->id);
        if (s == ZL_RS_FAILED) {
            write_failure(out, ctx, in, r);
        } else if (s == RS_SUPPRESSED) {
            zl_buf m = ZL_BUF_INIT;
            if (reason && *reason)
                zl_buf_printf(&m, "suppressed: %s", reason);
            else
                zl_buf_puts(&m, "suppressed or in the baseline");
            testcase_child(out, "skipped", m.data, NULL);
            zl_buf_free(&m);
        } else if (s == ZL_RS_NOT_APPLICABLE) {
            testcase_child(out, "skipped",
                           "not applicable: the rule's conditions (when) do not hold", NULL);
        } else {
            zl_buf_puts(out, "/>\n");
        }
    }
    for (uint32_t m = 0; m < ZL_META_COUNT; m++) {
        if (!meta_failed[m] && meta_on && !meta_on[m])
            continue;
        testcase_start(out, in->path, zl_meta_rule(m)->id);
        if (meta_failed[m])
            write_failure(out, ctx, in, zl_meta_rule(m));
        else
            zl_buf_puts(out, "/>\n");
    }
    suite_end(out);
}

static void junit_end(zl_buf *out, zl_report_ctx *ctx)
{
    junit_state *st = ctx->state;
    zl_buf_puts(out, st->open_root ? "/>\n" : "</testsuites>\n");
    free(st);
    ctx->state = NULL;
}

const zl_reporter zl_reporter_junit = {
    "junit", "JUnit XML: one test case per document and active rule (see docs/ci.md)",
    junit_begin, junit_file, junit_end,
};
