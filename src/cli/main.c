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
#ifdef __GLIBC__
#include <malloc.h>
#endif

/* glibc gives blocks over 128 KiB (raised up to 32 MiB as they are freed)
 * their own mmap and returns them at free, so every document's token,
 * offset-map and occurrence arrays were fresh zero pages, faulted in one
 * by one: 12,000 page faults for the 1,000-document corpus at -j 2.  Such
 * blocks come from the heap instead, which keeps up to 16 MiB of freed top
 * memory, so the next document reuses pages already mapped (1,300 faults;
 * peak RSS 7.7 -> 8.6 MB at -j 2, 25 -> 36 MB at -j 8).  Blocks of 4 MiB
 * and more (a very large document) still get their own mapping. */
static void tune_malloc(void)
{
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
    mallopt(M_TRIM_THRESHOLD, 16 << 20);
#endif
}

int main(int argc, char **argv)
{
    tune_malloc();
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
