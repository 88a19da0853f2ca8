/*
 * main.c - the zanlint program: parses the command line (opts.c), handles
 * --help/--version/--help-man, and runs the command.  The only place that
 * exits; a command's return value is the exit status:
 *   0 no finding at or above --fail-on, 1 such findings,
 *   2 usage, configuration or rule error, or an unreadable input.
 */
#include "cli/cli.h"
#include "ingest/ingest.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    zl_cli cli;
    zl_buf err = ZL_BUF_INIT;
    if (zl_cli_parse(argc, argv, &cli, &err) < 0) {
        zl_cli_error("%s", err.data);
        zl_buf_free(&err);
        zl_cli_free(&cli);
        return ZL_EXIT_ERROR;
    }
    zl_buf_free(&err);
    /* Before any worker thread exists (batch.c). */
    zl_ingest_init();

    int status;
    if (cli.show_help || cli.help_man) {
        zl_buf b = ZL_BUF_INIT;
        if (cli.help_man)
            zl_cli_help_man(&b);
        else
            zl_cli_help(&b);
        fputs(b.data, stdout);
        zl_buf_free(&b);
        status = ZL_EXIT_OK;
    } else if (cli.show_version) {
        fputs("zanlint " ZL_VERSION "\n", stdout);
        status = ZL_EXIT_OK;
    } else {
        switch (cli.command) {
        case ZL_CMD_TEST: status = zl_cmd_test(&cli); break;
        case ZL_CMD_RULES: status = zl_cmd_rules(&cli); break;
        case ZL_CMD_EXPLAIN: status = zl_cmd_explain(&cli); break;
        case ZL_CMD_SEGMENTS: status = zl_cmd_segments(&cli); break;
        default: status = zl_cmd_lint(&cli); break;
        }
    }
    if (fflush(stdout) != 0 && status == ZL_EXIT_OK)
        status = ZL_EXIT_ERROR;
    zl_cli_free(&cli);
    return status;
}
