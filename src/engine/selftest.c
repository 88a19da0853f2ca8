/*
 * selftest.c - `zanlint test`: runs the pass/fail examples embedded in rules.
 *
 * Each example is loaded as a document of its own (named "<rule-file>:<line>"
 * so a failure points at the example) and evaluated with only its rule
 * active and no date filter.  A fail example must produce a finding of its
 * rule, a pass example none.  Outcomes go to the caller's callback (the CLI
 * prints them); the failure count is returned.
 */
#include "engine/engine.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xalloc.h"

/* Runs one example; returns 1 when it behaved, with a failure detail in *d. */
static int run_example(const zl_engine *e, uint32_t n_rules, uint32_t ri, const zl_rule *r,
                       const zl_example *ex, zl_buf *d)
{
    zl_buf name = ZL_BUF_INIT;
    zl_buf_printf(&name, "%s:%u", r->file ? r->file : r->id, ex->line);
    zl_diags diags = {0};
    zl_doc *doc = NULL;
    int ok = 0;
    if (zl_doc_load_mem(name.data, ex->text, ex->len, NULL, &doc, &diags) != ZL_OK) {
        zl_buf_printf(d, "cannot load the example: %s",
                      diags.count ? diags.items[0].message : "unknown error");
    } else {
        uint8_t *active = zl_xcalloc(n_rules ? n_rules : 1, 1);
        active[ri] = 1;
        zl_eval_opts opts = {0, active};
        zl_findings fs = {0};
        zl_engine_eval(e, doc, &opts, &fs, &diags);
        const zl_finding *hit = NULL;
        for (size_t i = 0; i < fs.count && !hit; i++)
            if (fs.items[i].rule == r)
                hit = &fs.items[i];
        if (ex->pass) {
            ok = hit == NULL;
            if (!ok)
                zl_buf_printf(d, "unexpected finding at %u:%u: %s", hit->line, hit->col,
                              hit->excerpt ? hit->excerpt : "");
        } else {
            ok = hit != NULL;
            if (!ok)
                zl_buf_puts(d, "expected a finding, got none");
        }
        zl_findings_free(&fs);
        free(active);
    }
    zl_doc_free(doc);
    zl_diags_free(&diags);
    zl_buf_free(&name);
    return ok;
}

size_t zl_selftest(const zl_pack *pack, const uint8_t *active, zl_selftest_cb report, void *ctx,
                   size_t *n_passed)
{
    zl_engine *e = zl_engine_prepare(pack);
    uint32_t n = zl_pack_rule_count(pack);
    size_t failed = 0, passed = 0;
    for (uint32_t ri = 0; ri < n; ri++) {
        if (active && !active[ri])
            continue;
        const zl_rule *r = zl_pack_rule(pack, ri);
        int has_pass = 0, has_fail = 0;
        for (uint32_t k = 0; k < r->n_examples; k++) {
            const zl_example *ex = &r->examples[k];
            if (ex->pass)
                has_pass = 1;
            else
                has_fail = 1;
            zl_buf d = ZL_BUF_INIT;
            int ok = run_example(e, n, ri, r, ex, &d);
            if (ok)
                passed++;
            else
                failed++;
            if (report)
                report(ctx, r, ex, ok, ok ? NULL : (d.data ? d.data : ""));
            zl_buf_free(&d);
        }
        if (!has_pass) {
            failed++;
            if (report)
                report(ctx, r, NULL, 0, "rule has no pass example");
        }
        if (!has_fail) {
            failed++;
            if (report)
                report(ctx, r, NULL, 0, "rule has no fail example");
        }
    }
    zl_engine_free(e);
    if (n_passed)
        *n_passed = passed;
    return failed;
}
