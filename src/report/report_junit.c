/*
 * report_junit.c - JUnit XML for GitLab (artifacts:reports:junit) and
 * Jenkins (junit step), written with libxml2's xmlwriter and valid against
 * the Ant JUnit schema (docs/ci.md).  A compliance requirement is a test:
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
 * an unreadable input is a suite with one test case "zanlint.read" holding
 * an <error>.  The schema requires timestamp, hostname and time: they are
 * fixed (the --as-of date at 00:00:00, "localhost", 0) so the same inputs
 * give byte-identical output.  Output is streamed per input.
 */
#include "report/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "util/xalloc.h"

typedef struct junit_state {
    xmlBufferPtr xbuf;
    xmlTextWriterPtr w;
    char date[16];      /* the --as-of date, YYYY-MM-DD */
    char timestamp[32]; /* ...T00:00:00 */
} junit_state;

#define X(s) ((const xmlChar *)(s))

/* Moves what the writer produced so far into `out`. */
static void drain(junit_state *st, zl_buf *out)
{
    xmlTextWriterFlush(st->w);
    zl_buf_put(out, (const char *)xmlBufferContent(st->xbuf), (size_t)xmlBufferLength(st->xbuf));
    xmlBufferEmpty(st->xbuf);
}

static void attr(xmlTextWriterPtr w, const char *name, const char *value)
{
    xmlTextWriterWriteAttribute(w, X(name), X(value));
}

static void attr_num(xmlTextWriterPtr w, const char *name, size_t v)
{
    xmlTextWriterWriteFormatAttribute(w, X(name), "%zu", v);
}

static void junit_begin(zl_buf *out, zl_report_ctx *ctx)
{
    junit_state *st = zl_xcalloc(1, sizeof *st);
    ctx->state = st;
    st->xbuf = xmlBufferCreate();
    st->w = st->xbuf ? xmlNewTextWriterMemory(st->xbuf, 0) : NULL;
    if (!st->w) {
        out->err = 1; /* libxml2 out of memory: the run's output is marked failed */
        return;
    }
    xmlTextWriterSetIndent(st->w, 1);
    xmlTextWriterSetIndentString(st->w, X("  "));
    int32_t d = ctx->opts->eval ? ctx->opts->eval->as_of : 0;
    if (d <= 0)
        d = 19700101;
    snprintf(st->date, sizeof st->date, "%04d-%02d-%02d", (int)(d / 10000 % 10000),
             (int)(d / 100 % 100), (int)(d % 100));
    snprintf(st->timestamp, sizeof st->timestamp, "%sT00:00:00", st->date);
    xmlTextWriterStartDocument(st->w, NULL, "UTF-8", NULL);
    xmlTextWriterStartElement(st->w, X("testsuites"));
    drain(st, out);
}

static void suite_start(junit_state *st, const zl_report_ctx *ctx, const char *path,
                        size_t tests, size_t failures, size_t errors, size_t skipped)
{
    xmlTextWriterPtr w = st->w;
    const zl_report_opts *o = ctx->opts;
    xmlTextWriterStartElement(w, X("testsuite"));
    attr(w, "name", path);
    attr(w, "package", path);
    attr_num(w, "id", ctx->index);
    attr(w, "timestamp", st->timestamp);
    attr(w, "hostname", "localhost");
    attr_num(w, "tests", tests);
    attr_num(w, "failures", failures);
    attr_num(w, "errors", errors);
    attr_num(w, "skipped", skipped);
    attr(w, "time", "0");
    xmlTextWriterStartElement(w, X("properties"));
    const char *props[][2] = {
        {"rulePack", o->pack_name},
        {"rulePackVersion", o->pack_version},
        {"asOf", st->date},
    };
    for (size_t i = 0; i < sizeof props / sizeof *props; i++) {
        if (!props[i][1])
            continue;
        xmlTextWriterStartElement(w, X("property"));
        attr(w, "name", props[i][0]);
        attr(w, "value", props[i][1]);
        xmlTextWriterEndElement(w);
    }
    xmlTextWriterEndElement(w);
}

static void suite_end(xmlTextWriterPtr w)
{
    xmlTextWriterWriteElement(w, X("system-out"), X(""));
    xmlTextWriterWriteElement(w, X("system-err"), X(""));
    xmlTextWriterEndElement(w);
}

static void testcase_start(xmlTextWriterPtr w, const char *path, const char *name)
{
    xmlTextWriterStartElement(w, X("testcase"));
    attr(w, "name", name);
    attr(w, "classname", path);
    attr(w, "time", "0");
}

/* The failure of rule `r`: its findings (all in `in`) listed in the body. */
static void write_failure(xmlTextWriterPtr w, const zl_report_ctx *ctx, const zl_report_input *in,
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
    xmlTextWriterStartElement(w, X("failure"));
    attr(w, "message", m.data);
    attr(w, "type", zl_severity_name(r->severity));
    if (body.data)
        xmlTextWriterWriteString(w, X(body.data));
    xmlTextWriterEndElement(w);
    zl_buf_free(&m);
    zl_buf_free(&body);
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
    xmlTextWriterPtr w = st->w;
    if (!w)
        return;
    const zl_pack *pack = ctx->opts->pack;
    if (!in->doc || !in->rule_status || !pack) {
        suite_start(st, ctx, in->path, 1, 0, 1, 0);
        testcase_start(w, in->path, "zanlint.read");
        xmlTextWriterStartElement(w, X("error"));
        attr(w, "message", in->error ? in->error : "cannot read");
        attr(w, "type", "io");
        xmlTextWriterEndElement(w);
        xmlTextWriterEndElement(w);
        suite_end(w);
        drain(st, out);
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
    suite_start(st, ctx, in->path, tests, failures, 0, skipped);
    for (uint32_t i = 0; i < n; i++) {
        const zl_rule *r = zl_pack_rule(pack, i);
        const char *reason = NULL;
        uint8_t s = outcome(in, r, in->rule_status[i], &reason);
        if (s == ZL_RS_INACTIVE)
            continue;
        testcase_start(w, in->path, r->id);
        if (s == ZL_RS_FAILED) {
            write_failure(w, ctx, in, r);
        } else if (s == RS_SUPPRESSED) {
            zl_buf m = ZL_BUF_INIT;
            if (reason && *reason)
                zl_buf_printf(&m, "suppressed: %s", reason);
            else
                zl_buf_puts(&m, "suppressed or in the baseline");
            xmlTextWriterStartElement(w, X("skipped"));
            attr(w, "message", m.data);
            xmlTextWriterEndElement(w);
            zl_buf_free(&m);
        } else if (s == ZL_RS_NOT_APPLICABLE) {
            xmlTextWriterStartElement(w, X("skipped"));
            attr(w, "message", "not applicable: the rule's conditions (when) do not hold");
            xmlTextWriterEndElement(w);
        }
        xmlTextWriterEndElement(w);
        drain(st, out);
    }
    suite_end(w);
    drain(st, out);
}

static void junit_end(zl_buf *out, zl_report_ctx *ctx)
{
    junit_state *st = ctx->state;
    if (st->w) {
        xmlTextWriterEndElement(st->w);
        xmlTextWriterEndDocument(st->w);
        drain(st, out);
        if (out->len && out->data[out->len - 1] != '\n')
            zl_buf_putc(out, '\n');
        xmlFreeTextWriter(st->w);
    }
    xmlBufferFree(st->xbuf);
    free(st);
    ctx->state = NULL;
}

const zl_reporter zl_reporter_junit = {
    "junit", "JUnit XML: one test case per document and active rule (see docs/ci.md)",
    junit_begin, junit_file, junit_end,
};
