/*
 * cmd_segments.c - `zanlint segments FILE [--format json]`: loads one
 * document and shows how the segmenter split it (sections, paragraphs with
 * their language, clauses, sentences), via zl_report_segments.  A debugging
 * aid for rule authors.  Exit 2 when the file cannot be read.
 */
#include "cli/cli.h"
#include "report/segments.h"

#include <string.h>

int zl_cmd_segments(const zl_cli *cli)
{
    if (cli->n_args != 1) {
        zl_cli_error("segments takes exactly one FILE (see 'zanlint --help')");
        return ZL_EXIT_ERROR;
    }
    zl_load_opts lo = {0};
    lo.max_bytes = cli->max_bytes;
    lo.encoding = cli->encoding;
    zl_diags d = {0};
    zl_doc *doc = NULL;
    int rc = zl_doc_load_file(cli->args[0], &lo, &doc, &d);
    zl_cli_print_diags(cli, &d);
    if (rc != ZL_OK || !doc || d.errors) {
        zl_diags_free(&d);
        zl_doc_free(doc);
        return ZL_EXIT_ERROR;
    }
    zl_diags_free(&d);
    zl_out out;
    zl_out_init(&out, cli->output);
    zl_report_segments(&out.buf, doc, cli->format && strcmp(cli->format, "json") == 0);
    int status = zl_out_finish(&out) < 0 ? ZL_EXIT_ERROR : ZL_EXIT_OK;
    zl_doc_free(doc);
    return status;
}
