/*
 * test_match_image.c - the match index the built-in pack image carries
 * (engine/match.h zl_match_index_image, written by scripts/pack-image.c) is
 * the index zl_match_index_new builds from the image's atoms: an adopted
 * index and a built one have the same canonical dump, and an image with any
 * byte changed is either refused (the index is then built) or shows in the
 * dump.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsl/image.h"
#include "support/image_check.h"
#include "engine/match.h"
#include "util/buf.h"
#include "util/diag.h"
#include "zanlint.h"

static zl_pack *pack;
static const zl_atom **atoms;
static uint32_t n_atoms;

/* Loads the image once: the first load borrows its atoms, which the
 * image's index is adopted for. */
static int setup(void **state)
{
    (void)state;
    zl_diags d = {0};
    if (zl_pack_from_image(&zl_pack_image_builtin, 0, &pack, &d) != ZL_OK || d.count)
        return -1;
    n_atoms = zl_pack_image_builtin.n_atoms;
    atoms = malloc(n_atoms * sizeof *atoms);
    for (uint32_t i = 0; i < n_atoms; i++)
        atoms[i] = zl_pack_atom(pack, i);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    zl_match_index_use_image(NULL, 0, NULL, 0);
    free(atoms);
    zl_pack_free(pack);
    return 0;
}

/* The dump of the index made with `blob` registered (NULL: none); *adopted
 * tells whether it was adopted. */
static void dump_index(const void *blob, size_t len, zl_buf *out, int *adopted)
{
    zl_match_index_use_image(blob ? zl_pack_image_builtin.atoms : NULL, n_atoms, blob, len);
    zl_match_index *ix = zl_match_index_new(atoms, n_atoms);
    *adopted = zl_match_index_adopted(ix);
    zl_match_index_dump(ix, out);
    zl_match_index_free(ix);
    zl_match_index_use_image(NULL, 0, NULL, 0);
}

static void test_adopted_index_is_the_built_one(void **state)
{
    (void)state;
    zl_buf built = ZL_BUF_INIT, adopted = ZL_BUF_INIT;
    int a;
    assert_ptr_equal(atoms[0], &zl_pack_image_builtin.atoms[0]);
    dump_index(NULL, 0, &built, &a);
    assert_false(a);
    dump_index(zl_pack_image_builtin.match_index, zl_pack_image_builtin.match_index_len, &adopted,
               &a);
    assert_true(a);
    assert_true(built.len > 100000); /* the whole index */
    assert_non_null(strstr(built.data, "pf_lit "));
    zl_test_same_dump(&built, &adopted);
    /* other atom pointers (a copy of the atoms) do not adopt it */
    zl_match_index_use_image(zl_pack_image_builtin.atoms, n_atoms,
                             zl_pack_image_builtin.match_index,
                             zl_pack_image_builtin.match_index_len);
    zl_atom *copy = malloc(n_atoms * sizeof *copy);
    const zl_atom **ptrs = malloc(n_atoms * sizeof *ptrs);
    for (uint32_t i = 0; i < n_atoms; i++) {
        copy[i] = *atoms[i];
        ptrs[i] = &copy[i];
    }
    zl_match_index *ix = zl_match_index_new(ptrs, n_atoms);
    assert_false(zl_match_index_adopted(ix));
    zl_match_index_free(ix);
    zl_match_index_use_image(NULL, 0, NULL, 0);
    free(ptrs);
    free(copy);
    zl_buf_free(&built);
    zl_buf_free(&adopted);
}

/* A changed bit anywhere in the image (about 300 bytes spread over it) is
 * refused or changes the dump; the intact image is adopted. */
static void test_corrupted_image_is_caught(void **state)
{
    (void)state;
    const zl_pack_image *img = &zl_pack_image_builtin;
    zl_buf built = ZL_BUF_INIT;
    int a;
    dump_index(NULL, 0, &built, &a);
    zl_test_flips_are_caught(img->match_index, img->match_index_len, dump_index, &built);
    zl_buf_free(&built);
}

/* A prefilter clause that every literal of its regex's lead set holds is
 * not kept: the Kazakh verb pattern \b\w+[аеяй]\s+ал(ады|асыз|...)\b
 * requires ал and one of ады/асыз/..., which its inner set алады/аласыз/...
 * already says; ал ("d0b0d0bb") is then no literal of the index at all
 * (5,937 scan matches on 40 corpus files). */
static void test_clauses_the_lead_set_implies_are_dropped(void **state)
{
    (void)state;
    zl_buf dump = ZL_BUF_INIT;
    int a;
    dump_index(NULL, 0, &dump, &a);
    zl_buf_putc(&dump, '\0');
    const char *lits = strstr(dump.data, "\npf_lit ");
    const char *end = lits ? strstr(lits, "\npf_lead ") : NULL;
    assert_non_null(end);
    const char *al = strstr(lits, " \"d0b0d0bb\"\n");
    assert_true(al == NULL || al > end);
    zl_buf_free(&dump);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_adopted_index_is_the_built_one),
        cmocka_unit_test(test_corrupted_image_is_caught),
        cmocka_unit_test(test_clauses_the_lead_set_implies_are_dropped),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
