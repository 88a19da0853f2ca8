/*
 * test_kz94v.c - the built-in pack's examples: every rule carries at least
 * three `pass` and three `fail` examples, and at least one of each is in
 * Kazakh (judged by the segmenter's language detection, so a "Kazakh"
 * example must really read as Kazakh).  Running them is `zanlint test`'s
 * job (tests/cli/kz94v_pack.sh); this checks that the pack tests itself in
 * both languages.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>

#include "dsl/rule.h"
#include "text/doc.h"
#include "util/diag.h"
#include "zanlint.h"

static int example_is_kazakh(const zl_example *ex)
{
    zl_diags d = {0};
    zl_doc *doc = NULL;
    int kk = 0;
    if (zl_doc_load_mem("example", ex->text, ex->len, NULL, &doc, &d) == ZL_OK) {
        for (uint32_t i = 0; i < doc->n_paras; i++)
            if (doc->paras[i].lang == ZL_LANG_KK)
                kk = 1;
    }
    zl_doc_free(doc);
    zl_diags_free(&d);
    return kk;
}

static void test_examples_per_rule(void **state)
{
    (void)state;
    zl_diags d = {0};
    zl_pack *pack = NULL;
    assert_int_equal(zl_pack_new(&pack), ZL_OK);
    assert_int_equal(zl_pack_add_embedded(pack, &d), ZL_OK);
    assert_int_equal(zl_pack_compile(pack, &d), ZL_OK);
    assert_int_equal(d.errors, 0);
    uint32_t n = zl_pack_rule_count(pack);
    assert_int_equal(n, 40);
    int bad = 0;
    for (uint32_t i = 0; i < n; i++) {
        const zl_rule *r = zl_pack_rule(pack, i);
        unsigned pass = 0, fail = 0, kk_pass = 0, kk_fail = 0;
        for (uint32_t k = 0; k < r->n_examples; k++) {
            const zl_example *ex = &r->examples[k];
            int kk = example_is_kazakh(ex);
            if (ex->pass) {
                pass++;
                kk_pass += (unsigned)kk;
            } else {
                fail++;
                kk_fail += (unsigned)kk;
            }
        }
        if (pass < 3 || fail < 3 || kk_pass < 1 || kk_fail < 1) {
            print_error("%s: %u pass (%u kk), %u fail (%u kk)\n", r->id, pass, kk_pass, fail,
                        kk_fail);
            bad++;
        }
        /* Every rule speaks all three languages in its title and message. */
        for (int l = 0; l < ZL_NLANG; l++) {
            if (!r->title[l] || !r->message[l]) {
                print_error("%s: title or message missing in language %d\n", r->id, l);
                bad++;
            }
        }
        if (!r->suggest[ZL_MSG_RU] || !r->suggest[ZL_MSG_KK] || !r->article) {
            print_error("%s: no ru/kk suggestion or no article\n", r->id);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
    zl_pack_free(pack);
    zl_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_examples_per_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
