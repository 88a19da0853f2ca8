/*
 * cmd_lint.c - `zanlint [OPTIONS] PATH...`: loads the pack once, then for
 * each input (in argument order, directories expanded by walk.c) loads the
 * document, evaluates the pack and hands the findings to the reporter picked
 * by --format (several --format/--output pairs: one report each, fed the
 * same documents).  An unreadable input is reported (diagnostic on stderr, an
 * entry with "error" in the report) and the others are still linted.
 * Documents are loaded and evaluated on -j worker threads (batch.c) and
 * reported here, on the main thread, in input order: the output is the
 * same for every -j.  Inputs: the PATH arguments, then --files-from;
 * walked directories filtered by --include/--exclude/.zanlintignore
 * (ignore.c).
 * Returns the exit status: 2 on any error, else 1 when a finding is at or
 * above --fail-on, else 0.
 */
#include "cli/batch.h"
#include "cli/cli.h"
#include "cli/config.h"
#include "cli/ignore.h"
#include "cli/walk.h"
#include "engine/engine.h"
#include "ingest/ingest.h"
#include "report/report.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One output of the run: a reporter writing to stdout or a file. */
typedef struct lint_out {
    const zl_reporter *reporter;
    zl_out out;
    zl_report rep;
} lint_out;

/* The first error of a diagnostics list (NULL: none), for the report entry. */
static const zl_diag *first_error(const zl_diags *d)
{
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].severity == ZL_SEV_ERROR)
            return &d->items[i];
    return NULL;
}

/* A reporter's flush hook: what it wrote so far goes to its output. */
static void flush_out(zl_buf *buf, void *arg)
{
    zl_out *o = arg;
    (void)buf; /* o->buf itself */
    zl_out_flush(o);
}

/* On a terminal whose user sees no text report (a report written to a file,
 * standard output redirected): the run's summary on standard error,
 *   zanlint: 164 errors, 273 warnings, 23 infos in 33 files (0 compliant,
 *   1 could not be read); report written to audit.html */
static void terminal_summary(const zl_report_summary *s, const zl_buf *written, size_t n_written)
{
    zl_buf line = ZL_BUF_INIT;
    zl_report_summary_line(&line, s);
    if (n_written)
        zl_buf_printf(&line, "; %s written to %s", n_written > 1 ? "reports" : "report",
                      written->data);
    fprintf(stderr, "zanlint: %s\n", line.data ? line.data : "");
    zl_buf_free(&line);
}

/* What the batch callbacks share (main thread only). */
typedef struct lint_ctx {
    const zl_cli *cli;
    zl_lintrun *run;
    const zl_inputs *inputs;
    lint_out *outs;
    size_t n_outs;
    size_t n_rules;
    zl_progress progress;
    int stdout_tty; /* standard output is a terminal, maybe the progress line's */
    int failed, over;
} lint_ctx;

/* Whether some output has text waiting for standard output, where it
 * would mix with the progress line (a terminal: else the line stays and
 * keeps its ten-a-second redraws). */
static int stdout_pending(const lint_ctx *c)
{
    for (size_t k = 0; c->stdout_tty && k < c->n_outs; k++)
        if (!c->outs[k].out.path && c->outs[k].out.buf.len)
            return 1;
    return 0;
}

static void lint_prepare(void *arg, zl_batch_job *job)
{
    lint_ctx *c = arg;
    const zl_input_path *ip = &c->inputs->items[job->index];
    if (ip->error)
        return; /* reported by lint_finish */
    job->path = ip->path;
    memcpy(job->active, zl_lintrun_active(c->run, ip->path), c->n_rules);
}

static void lint_finish(void *arg, zl_batch_job *job)
{
    lint_ctx *c = arg;
    const zl_cli *cli = c->cli;
    const zl_input_path *ip = &c->inputs->items[job->index];
    const char *shown = strcmp(ip->path, "-") == 0 ? "<stdin>" : ip->path;
    zl_diags *d = &job->diags;
    zl_report_input ri = {0};
    ri.path = shown;
    if (ip->error) {
        zl_diags_add(d, ZL_D_IO_OPEN, shown, 0, 0, ip->error);
        ri.error = &d->items[d->count - 1];
    } else if (!job->doc) {
        if (d->errors == 0)
            zl_diags_add(d, ZL_D_IO_READ, shown, 0, 0, "unknown error");
        ri.error = first_error(d);
    } else {
        zl_lintrun_active(c->run, ip->path); /* this input's meta-rule flags */
        zl_lintrun_doc(c->run, job->doc, ip->path, &job->fs); /* suppressions, baseline */
        ri.doc = job->doc;
        ri.rule_status = job->rule_status;
        ri.meta_active = c->run->meta_active;
        ri.findings = job->fs.items;
        ri.n_findings = job->fs.count;
        for (size_t k = 0; k < job->fs.count; k++)
            if (cli->fail_on != ZL_FAIL_NEVER && !job->fs.items[k].suppressed &&
                (int)job->fs.items[k].severity <= cli->fail_on)
                c->over = 1;
    }
    if (d->errors)
        c->failed = 1;
    if (d->count || stdout_pending(c))
        zl_progress_clear(&c->progress);
    for (size_t k = 0; k < c->n_outs; k++)
        zl_out_flush(&c->outs[k].out);
    zl_cli_print_diags(cli, d);
    for (size_t k = 0; k < c->n_outs; k++)
        zl_report_add(&c->outs[k].rep, &c->outs[k].out.buf, &ri);
    if (stdout_pending(c))
        zl_progress_clear(&c->progress);
    for (size_t k = 0; k < c->n_outs; k++)
        zl_out_flush(&c->outs[k].out);
    zl_progress_update(&c->progress, job->index + 1);
}

/* An existing --output file: the walk leaves it out when it is empty or an
 * earlier report (a text or HTML report of zanlint, or not a document
 * format's name, so never walked); anything else (a policy named like the
 * report) is taken, and the run stops before replacing it. */
static void own_output(zl_select *sel, const char *path)
{
    struct stat st;
    if (!path || strcmp(path, "-") == 0 || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return;
    int document = 0;
    if (st.st_size > 0 && zl_ingest_document_name(path)) {
        char head[65536];
        FILE *f = fopen(path, "rb");
        size_t n = f ? fread(head, 1, sizeof head, f) : 0;
        if (f)
            fclose(f);
        document = !zl_ingest_own_report(head, n);
    }
    zl_select_own(sel, &st, "an --output file", document);
}

/* The inputs: PATH arguments, then the --files-from lists; walked
 * directories filtered by --include/--exclude/.zanlintignore; each file
 * once.  Returns ZL_EXIT_OK or ZL_EXIT_ERROR after printing. */
static int collect(const zl_cli *cli, zl_inputs *inputs)
{
    zl_buf err = ZL_BUF_INIT;
    char **listed = NULL;
    size_t n_listed = 0, cap = 0;
    zl_select sel;
    int status = ZL_EXIT_ERROR;
    if (zl_select_init(&sel, cli->includes, cli->n_includes, cli->excludes, cli->n_excludes,
                       &err) < 0) {
        zl_cli_error("%s (see 'zanlint --help')", err.data);
        goto done;
    }
    /* a report written into the audited folder is not a policy (the
     * outputs as lint() takes them: the pairs, else the single --output;
     * then standard output and error redirected to files) */
    struct stat st;
    for (size_t k = 0; k < cli->n_outputs; k++)
        own_output(&sel, cli->outputs[k].output);
    if (!cli->n_outputs)
        own_output(&sel, cli->output);
    if (fstat(STDOUT_FILENO, &st) == 0)
        zl_select_own(&sel, &st, "the standard output", 0);
    if (fstat(STDERR_FILENO, &st) == 0)
        zl_select_own(&sel, &st, "the standard error", 0);
    /* standard input can be read once: as one list, or as one input */
    size_t std_lists = 0, std_inputs = 0;
    for (size_t k = 0; k < cli->n_files_from; k++)
        std_lists += strcmp(cli->files_from[k], "-") == 0;
    for (size_t i = 0; i < cli->n_args; i++)
        std_inputs += strcmp(cli->args[i], "-") == 0;
    if (std_lists > 1) {
        zl_cli_error("--files-from - given twice: standard input can be read only once");
        goto done;
    }
    if (std_lists && std_inputs) {
        zl_cli_error("'-' cannot be both an input and --files-from -");
        goto done;
    }
    for (size_t k = 0; k < cli->n_files_from; k++) {
        if (zl_files_from_read(cli->files_from[k], cli->null_sep, &listed, &n_listed, &cap,
                               &err) < 0) {
            zl_cli_error("%s", err.data);
            goto done;
        }
    }
    for (size_t i = 0; i < n_listed; i++)
        std_inputs += strcmp(listed[i], "-") == 0;
    if (std_lists && std_inputs) {
        zl_cli_error("'-' cannot be both an input and --files-from -: a line of the list is '-'");
        goto done;
    }
    if (std_inputs > 1) {
        zl_cli_error("'-' given twice: standard input can be read only once");
        goto done;
    }
    for (size_t i = 0; i < cli->n_args; i++)
        zl_inputs_collect_sel(inputs, cli->args[i], &sel);
    for (size_t i = 0; i < n_listed; i++)
        zl_inputs_collect_sel(inputs, listed[i], &sel);
    zl_inputs_dedup(inputs);
    /* an input that is also an output would be overwritten (or, for a
     * redirection, already is): a named one, or a document the walk found
     * under an --output name */
    for (size_t i = 0; sel.n_own && i < inputs->count; i++) {
        const char *p = inputs->items[i].path;
        const zl_file_id *own;
        if (strcmp(p, "-") != 0 && stat(p, &st) == 0 && (own = zl_select_is_own(&sel, &st))) {
            zl_cli_error("'%s' is both an input and %s%s", p, own->what,
                         own->document ? ": the report would replace it (write the report "
                                         "elsewhere or under another name)"
                                       : "");
            goto done;
        }
    }
    status = ZL_EXIT_OK;
done:
    for (size_t i = 0; i < n_listed; i++)
        free(listed[i]);
    free(listed);
    zl_select_free(&sel);
    zl_buf_free(&err);
    return status;
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
    zl_inputs inputs = {0};
    if (collect(cli, &inputs) != ZL_EXIT_OK) {
        zl_inputs_free(&inputs);
        return ZL_EXIT_ERROR;
    }
    zl_pack *pack;
    uint8_t *active;
    int status = zl_cli_load_pack(cli, cli->rules, cli->n_rules, 0, &pack, &active);
    if (status != ZL_EXIT_OK) {
        zl_inputs_free(&inputs);
        return status;
    }
    if (zl_lintrun_ready(run, pack) != ZL_EXIT_OK) {
        zl_inputs_free(&inputs);
        free(active);
        zl_pack_free(pack);
        return ZL_EXIT_ERROR;
    }

    /* The atom index is built once and shared by every document and thread. */
    zl_engine *engine = zl_engine_prepare(pack);

    zl_load_opts lo = {0};
    lo.max_bytes = cli->max_bytes;
    lo.encoding = cli->encoding;
    zl_eval_opts eo = {0};
    eo.as_of = cli->as_of;
    eo.active = active;
    /* The rules the reports list (sarif rules[], junit test cases, csv and
     * html columns): those on for at least one input once the configuration
     * (global toggles and [path:GLOB] sections) and the command line have
     * been applied; the command line alone when there is no input. */
    uint32_t n_pack_rules = zl_pack_rule_count(pack);
    uint8_t meta_listed[ZL_META_COUNT] = {0};
    for (size_t i = 0; i < inputs.count || (i == 0 && inputs.count == 0); i++) {
        const char *path = inputs.count ? inputs.items[i].path : "-";
        const uint8_t *a = zl_lintrun_active(run, path);
        if (i == 0)
            memset(active, 0, n_pack_rules);
        for (uint32_t r = 0; r < n_pack_rules; r++)
            active[r] |= a[r];
        for (uint32_t m = 0; m < ZL_META_COUNT; m++)
            meta_listed[m] |= run->meta_active[m];
    }
    zl_report_opts ro = {0};
    ro.lang = cli->lang;
    ro.quiet = cli->quiet;
    ro.pack_name = zl_pack_name(pack);
    ro.pack_version = zl_pack_version(pack);
    ro.pack = pack;
    ro.eval = &eo;
    ro.meta_active = meta_listed;
    char cwd[4096];
    ro.base_dir = getcwd(cwd, sizeof cwd);

    lint_out *outs = zl_xcalloc(n_outs, sizeof *outs);
    for (size_t k = 0; k < n_outs; k++) {
        zl_cli one = *cli; /* the colour decision depends on where this output goes */
        one.output = specs[k].output;
        ro.color = zl_cli_use_color(&one, 1);
        outs[k].reporter = zl_reporter_find(specs[k].format ? specs[k].format : "text");
        zl_out_init(&outs[k].out, specs[k].output);
        zl_report_begin(&outs[k].rep, outs[k].reporter, &ro, &outs[k].out.buf, flush_out,
                        &outs[k].out);
    }
    lint_ctx c = {0};
    c.cli = cli;
    c.run = run;
    c.inputs = &inputs;
    c.outs = outs;
    c.n_outs = n_outs;
    c.n_rules = zl_pack_rule_count(pack);
    c.stdout_tty = isatty(STDOUT_FILENO);
    zl_progress_init(&c.progress, inputs.count, zl_progress_wanted(cli->quiet));
    zl_batch_opts bo = {0};
    bo.jobs = cli->jobs ? cli->jobs : zl_batch_default_jobs();
    bo.engine = engine;
    bo.load = &lo;
    bo.as_of = eo.as_of;
    bo.n_rules = c.n_rules;
    bo.prepare = lint_prepare;
    bo.finish = lint_finish;
    bo.ctx = &c;
    zl_batch_run(&bo, inputs.count);
    zl_progress_clear(&c.progress);
    int failed = c.failed, over = c.over;
    zl_buf written = ZL_BUF_INIT; /* "a.html, b.csv": the files written */
    size_t n_written = 0;
    int shown = 0;                /* a text report went to the terminal, summary and all */
    for (size_t k = 0; k < n_outs; k++) {
        zl_report_end(&outs[k].rep, &outs[k].out.buf);
        if (zl_out_finish(&outs[k].out) < 0)
            failed = 1;
        else if (specs[k].output && strcmp(specs[k].output, "-") != 0)
            zl_buf_printf(&written, "%s%s", n_written++ ? ", " : "", specs[k].output);
        else if (strcmp(outs[k].reporter->name, "text") == 0 && isatty(1))
            shown = 1;
    }
    if (n_outs && !shown && zl_progress_wanted(cli->quiet))
        terminal_summary(&outs[0].rep.ctx.sum, &written, n_written);
    zl_buf_free(&written);
    if (zl_lintrun_finish(run) != ZL_EXIT_OK)
        failed = 1;
    free(outs);
    zl_inputs_free(&inputs);
    free(active);
    zl_engine_free(engine);
    zl_pack_free(pack);
    return failed ? ZL_EXIT_ERROR : over ? ZL_EXIT_FINDINGS : ZL_EXIT_OK;
}

int zl_cmd_lint(const zl_cli *cli)
{
    if (cli->n_args == 0 && !cli->n_files_from) {
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
