/*
 * fuzz_dsl.c - libFuzzer harness for the rule-language front end: the bytes
 * are one rule file, added with zl_pack_add_source and compiled; every
 * diagnostic and the pack are freed.  Any crash, leak or sanitizer report
 * is a bug.  Built with standalone.c it replays tests/fuzz/corpus/dsl/.
 */
#include <stddef.h>
#include <stdint.h>

#include "dsl/rule.h"
#include "util/diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    zl_pack *p = NULL;
    zl_diags d = {0};
    zl_pack_new(&p);
    zl_pack_add_source(p, "fuzz.rules", (const char *)data, size, &d);
    if (zl_pack_compile(p, &d) == ZL_OK) {
        /* walk the result the way the engine does */
        for (uint32_t i = 0; i < zl_pack_rule_count(p); i++)
            (void)zl_pack_find(p, zl_pack_rule(p, i)->id);
        for (uint32_t i = 0; i < zl_pack_atom_count(p); i++)
            (void)zl_pack_atom(p, i)->n_terms;
    }
    zl_diags_free(&d);
    zl_pack_free(p);
    return 0;
}
