/*
 * cmd_test.c - `zanlint test [RULES...]`: runs every pass/fail example of
 * the loaded rules through zl_selftest.  With RULES the named files or
 * directories are loaded instead of the built-in pack (plus any --rules);
 * without, the built-in pack plus --rules.  Prints one line per failure,
 * "file:line: rule-id: detail", then as the last line "N passed, N failed".
 * Exit 1 when an example failed, 2 on rule errors.
 */
#include "cli/cli.h"
#include "engine/engine.h"

#include <stdlib.h>

typedef struct test_ctx {
    zl_buf *out;
} test_ctx;

static void on_result(void *vctx, const zl_rule *rule, const zl_example *ex, int ok,
                      const char *detail)
{
    test_ctx *ctx = vctx;
    if (ok)
        return;
    zl_buf_printf(ctx->out, "%s:%u: %s: ", rule->file ? rule->file : "?",
                  (unsigned)(ex ? ex->line : rule->line), rule->id);
    if (detail && *detail)
        zl_buf_puts(ctx->out, detail);
    else if (!ex)
        zl_buf_puts(ctx->out, "the rule needs at least one pass and one fail example");
    else
        zl_buf_puts(ctx->out, ex->pass ? "pass example produced a finding"
                                       : "fail example produced no finding");
    zl_buf_putc(ctx->out, '\n');
}

int zl_cmd_test(const zl_cli *cli)
{
    size_t n_paths = cli->n_args + cli->n_rules;
    const char **paths = malloc((n_paths ? n_paths : 1) * sizeof *paths);
    if (!paths) {
        zl_cli_error("out of memory");
        return ZL_EXIT_ERROR;
    }
    for (size_t i = 0; i < cli->n_args; i++)
        paths[i] = cli->args[i];
    for (size_t i = 0; i < cli->n_rules; i++)
        paths[cli->n_args + i] = cli->rules[i];
    zl_pack *pack;
    uint8_t *active;
    int status = zl_cli_load_pack(cli, paths, n_paths, cli->n_args > 0, &pack, &active);
    free(paths);
    if (status != ZL_EXIT_OK)
        return status;

    zl_out out;
    zl_out_init(&out, cli->output);
    test_ctx ctx = {&out.buf};
    size_t passed = 0;
    size_t failed = zl_selftest(pack, active, on_result, &ctx, &passed);
    zl_buf_printf(&out.buf, "%zu passed, %zu failed\n", passed, failed);
    status = failed ? ZL_EXIT_FINDINGS : ZL_EXIT_OK;
    if (zl_out_finish(&out) < 0)
        status = ZL_EXIT_ERROR;
    free(active);
    zl_pack_free(pack);
    return status;
}
