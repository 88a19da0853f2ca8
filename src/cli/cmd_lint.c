/*
 * cmd_lint.c - `zanlint [OPTIONS] PATH...`: loads the pack once, then for
 * each input (in argument order, directories expanded by walk.c) loads the
 * document, evaluates the pack and hands the findings to the reporter picked
 * by --format (several --format/--output pairs: one report each, fed the
 * same documents).  An unreadable input is reported (diagnostic on stderr, an
 * entry with "error" in the report) and the others are still linted.
 * Returns the exit status: 2 on any error, else 1 when a finding is at or
 * above --fail-on, else 0.
 */
#include "cli/cli.h"
#include "cli/config.h"
#include "cli/walk.h"
#include "engine/engine.h"
#include "report/report.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One output of the run: a reporter writing to stdout or a file. */
typedef struct lint_out {
    const zl_reporter *reporter;
    zl_out out;
    zl_report rep;
} lint_out;

/* The first error message of a diagnostics list, for the report entry. */
static const char *first_error(const zl_diags *d)
{
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].severity == ZL_SEV_ERROR && d->items[i].message)
            return d->items[i].message;
    return "cannot read";
}

/* `cli` is the command line merged over the .zanlint file (config.c). */
static int lint(const zl_cli *cli, zl_lintrun *run)
{
    /* --format/--output pairs (opts.c checked them): one report each */
    zl_cli_output def = {cli->format, cli->output};
    const zl_cli_output *specs = cli->n_outputs ? cli->outputs : &def;
    size_t n_outs = cli->n_outputs ? cli->n_outputs : 1;
    for (size_t k = 0; k < n_outs; k++) {
        if (!zl_reporter_find(specs[k].format ? specs[k].format : "text")) {
            zl_cli_error("unknown format '%s'", specs[k].format);
            return ZL_EXIT_ERROR;
        }
    }
    zl_pack *pack;
    uint8_t *active;
    int status = zl_cli_load_pack(cli, cli->rules, cli->n_rules, 0, &pack, &active);
    if (status != ZL_EXIT_OK)
        return status;
    if (zl_lintrun_ready(run, pack) != ZL_EXIT_OK) {
        free(active);
        zl_pack_free(pack);
        return ZL_EXIT_ERROR;
    }

    /* The atom index is built once and shared by every document. */
    zl_engine *engine = zl_engine_prepare(pack);
    zl_inputs inputs = {0};
    for (size_t i = 0; i < cli->n_args; i++)
        zl_inputs_collect(&inputs, cli->args[i]);

    zl_load_opts lo = {0};
    lo.max_bytes = cli->max_bytes;
    lo.encoding = cli->encoding;
    zl_eval_opts eo = {0};
    eo.as_of = cli->as_of;
    eo.active = active;
    zl_report_opts ro = {0};
    ro.lang = cli->lang;
    ro.quiet = cli->quiet;
    ro.pack_name = zl_pack_name(pack);
    ro.pack_version = zl_pack_version(pack);
    ro.pack = pack;
    ro.eval = &eo;
    char cwd[4096];
    ro.base_dir = getcwd(cwd, sizeof cwd);
    uint8_t *rule_status = zl_xcalloc(zl_pack_rule_count(pack) + 1, 1);

    lint_out *outs = zl_xcalloc(n_outs, sizeof *outs);
    for (size_t k = 0; k < n_outs; k++) {
        zl_cli one = *cli; /* the colour decision depends on where this output goes */
        one.output = specs[k].output;
        ro.color = zl_cli_use_color(&one, 1);
        outs[k].reporter = zl_reporter_find(specs[k].format ? specs[k].format : "text");
        zl_out_init(&outs[k].out, specs[k].output);
        zl_report_begin(&outs[k].rep, outs[k].reporter, &ro, &outs[k].out.buf);
    }
    int failed = 0, over = 0;
    for (size_t i = 0; i < inputs.count; i++) {
        const zl_input_path *ip = &inputs.items[i];
        const char *shown = strcmp(ip->path, "-") == 0 ? "<stdin>" : ip->path;
        zl_diags d = {0};
        zl_doc *doc = NULL;
        zl_findings fs = {0};
        zl_report_input ri = {0};
        ri.path = shown;
        if (ip->error) {
            zl_diags_add(&d, ZL_D_IO_OPEN, shown, 0, 0, ip->error);
            ri.error = d.items[d.count - 1].message;
        } else if (zl_doc_load_file(ip->path, &lo, &doc, &d) != ZL_OK || !doc) {
            if (d.errors == 0)
                zl_diags_add(&d, ZL_D_IO_READ, shown, 0, 0, "unknown error");
            ri.error = first_error(&d);
        } else {
            eo.active = zl_lintrun_active(run, ip->path);
            zl_engine_eval_status(engine, doc, &eo, &fs, &d, rule_status);
            zl_lintrun_doc(run, doc, ip->path, &fs); /* suppressions, baseline */
            ri.doc = doc;
            ri.rule_status = rule_status;
            ri.findings = fs.items;
            ri.n_findings = fs.count;
            for (size_t k = 0; k < fs.count; k++)
                if (cli->fail_on != ZL_FAIL_NEVER && !fs.items[k].suppressed &&
                    (int)fs.items[k].severity <= cli->fail_on)
                    over = 1;
        }
        if (d.errors)
            failed = 1;
        for (size_t k = 0; k < n_outs; k++)
            zl_out_flush(&outs[k].out);
        zl_cli_print_diags(cli, &d);
        for (size_t k = 0; k < n_outs; k++) {
            zl_report_add(&outs[k].rep, &outs[k].out.buf, &ri);
            zl_out_flush(&outs[k].out);
        }
        zl_findings_free(&fs);
        zl_doc_free(doc);
        zl_diags_free(&d);
    }
    for (size_t k = 0; k < n_outs; k++) {
        zl_report_end(&outs[k].rep, &outs[k].out.buf);
        if (zl_out_finish(&outs[k].out) < 0)
            failed = 1;
    }
    if (zl_lintrun_finish(run) != ZL_EXIT_OK)
        failed = 1;
    free(outs);
    free(rule_status);
    zl_inputs_free(&inputs);
    free(active);
    zl_engine_free(engine);
    zl_pack_free(pack);
    return failed ? ZL_EXIT_ERROR : over ? ZL_EXIT_FINDINGS : ZL_EXIT_OK;
}

int zl_cmd_lint(const zl_cli *cli)
{
    if (cli->n_args == 0) {
        zl_cli_error("no input files (see 'zanlint --help')");
        return ZL_EXIT_ERROR;
    }
    zl_lintrun run;
    int status = zl_lintrun_start(&run, cli);
    if (status == ZL_EXIT_OK)
        status = lint(&run.eff, &run);
    zl_lintrun_free(&run);
    return status;
}
