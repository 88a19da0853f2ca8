/*
 * pack.c - builds the rule pack a command runs with: the built-in kz94v pack
 * (unless --no-default-rules, or `zanlint test RULES...`), then each --rules
 * PATH; compiles it, prints every rule-file diagnostic, and turns
 * --disable/--enable (applied in command-line order) into per-rule active
 * flags.  Hands the pack and flags to the commands.
 */
#include "cli/cli.h"
#include "dsl/image.h"
#include "engine/engine.h"
#include "engine/match.h"
#include "engine/suppress.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

const char *zl_cli_text(const char *const texts[ZL_NLANG], int lang)
{
    if (lang >= 0 && lang < ZL_NLANG && texts[lang] && texts[lang][0])
        return texts[lang];
    return texts[ZL_MSG_RU] && texts[ZL_MSG_RU][0] ? texts[ZL_MSG_RU] : NULL;
}

/* Sets the flag of every rule `pattern` names; returns how many. */
static size_t toggle(const zl_pack *p, const char *pattern, int on, uint8_t *active)
{
    size_t n = zl_pack_rule_count(p), hits = 0, len = strlen(pattern);
    int prefix = len >= 2 && strcmp(pattern + len - 2, ".*") == 0;
    for (size_t i = 0; i < n; i++) {
        const zl_rule *r = zl_pack_rule(p, (uint32_t)i);
        int match = prefix ? strncmp(r->id, pattern, len - 1) == 0 : strcmp(r->id, pattern) == 0;
        if (match) {
            active[i] = (uint8_t)on;
            hits++;
        }
    }
    return hits;
}

int zl_cli_load_pack(const zl_cli *cli, const char *const *paths, size_t n_paths, int extra_only,
                     zl_pack **out, uint8_t **active)
{
    *out = NULL;
    *active = NULL;
    zl_pack *p = NULL;
    zl_diags d = {0};
    int rc = ZL_EXIT_OK;
    if (!extra_only && !cli->no_default_rules && n_paths == 0 && cli->command != ZL_CMD_TEST) {
        /* The built-in pack alone (lint, rules, explain): loaded
         * from its build-time image, the very pack compiling the embedded
         * rules gives, which reports no diagnostic (src/dsl/image.h).  Any
         * --rules path (it may use the built-in pack's defines) and `test`
         * (its own check of the rule files) compile from source. */
        if (zl_pack_from_image(&zl_pack_image_builtin, 0, &p, &d) != ZL_OK) {
            zl_cli_print_diags(cli, &d);
            zl_cli_error("cannot load the built-in rule pack");
            zl_diags_free(&d);
            return ZL_EXIT_ERROR;
        }
        /* the index of the image's atoms is prebuilt too: an engine over
         * the atoms this load borrowed adopts it */
        zl_match_index_use_image(zl_pack_image_builtin.atoms, zl_pack_image_builtin.n_atoms,
                                 zl_pack_image_builtin.match_index,
                                 zl_pack_image_builtin.match_index_len);
        /* and so is the engine's expression graph over its rules */
        zl_engine_use_image(zl_pack_image_builtin.rules, zl_pack_image_builtin.n_rules,
                            zl_pack_image_builtin.n_atoms, zl_pack_image_builtin.exprs,
                            zl_pack_image_builtin.n_exprs, zl_pack_image_builtin.engine_graph,
                            zl_pack_image_builtin.engine_graph_len);
    } else {
        if (zl_pack_new(&p) != ZL_OK) {
            zl_cli_error("cannot create a rule pack");
            return ZL_EXIT_ERROR;
        }
        if (!extra_only && !cli->no_default_rules)
            zl_pack_add_embedded(p, &d);
        for (size_t i = 0; i < n_paths; i++)
            zl_pack_add_path(p, paths[i], &d);
        if (d.errors == 0)
            zl_pack_compile(p, &d);
        zl_cli_print_diags(cli, &d);
        if (d.errors) {
            zl_cli_error("%zu error%s in the rules", d.errors, d.errors == 1 ? "" : "s");
            rc = ZL_EXIT_ERROR;
            goto fail;
        }
    }
    size_t n = zl_pack_rule_count(p);
    uint8_t *act = zl_xmalloc(n ? n : 1);
    memset(act, 1, n ? n : 1);
    for (size_t i = 0; i < cli->n_toggles; i++) {
        const zl_toggle *t = &cli->toggles[i];
        /* zanlint.* ids name the meta rules (engine/suppress.h), toggled by
         * the commands that emit or list them. */
        if (toggle(p, t->id, t->on, act) == 0 && zl_meta_toggle(t->id, t->on, NULL) == 0) {
            zl_cli_error("unknown rule '%s' in --%s (see 'zanlint rules')", t->id,
                         t->on ? "enable" : "disable");
            free(act);
            rc = ZL_EXIT_ERROR;
            goto fail;
        }
    }
    zl_diags_free(&d);
    *out = p;
    *active = act;
    return ZL_EXIT_OK;
fail:
    zl_diags_free(&d);
    zl_pack_free(p);
    return rc;
}
