/*
 * test_engine_image.c - the engine's expression graph the built-in pack
 * image carries (engine/engine.h zl_engine_image, written by
 * scripts/pack-image.c) is the graph zl_engine_prepare compiles from the
 * image's rules: an adopted graph and a compiled one have the same
 * canonical dump, and an image with any byte changed is either refused (the
 * graph is then compiled) or shows in the dump.
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
#include "engine/engine.h"
#include "engine/match.h"
#include "util/buf.h"
#include "util/diag.h"
#include "zanlint.h"

static zl_pack *pack;

static int setup(void **state)
{
    (void)state;
    zl_diags d = {0};
    if (zl_pack_from_image(&zl_pack_image_builtin, 0, &pack, &d) != ZL_OK || d.count)
        return -1;
    /* the match index is adopted too, so each engine is cheap to make */
    zl_match_index_use_image(zl_pack_image_builtin.atoms, zl_pack_image_builtin.n_atoms,
                             zl_pack_image_builtin.match_index, zl_pack_image_builtin.match_index_len);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    zl_match_index_use_image(NULL, 0, NULL, 0);
    zl_engine_use_image(NULL, 0, 0, NULL, 0, NULL, 0);
    zl_pack_free(pack);
    return 0;
}

static void use(const void *blob, size_t len)
{
    const zl_pack_image *img = &zl_pack_image_builtin;
    zl_engine_use_image(img->rules, img->n_rules, img->n_atoms, img->exprs, img->n_exprs, blob, len);
}

/* The dump of the engine prepared with `blob` registered (NULL: none; the
 * expressions stay registered so both dumps name them alike); *adopted
 * tells whether it was adopted. */
static void dump_engine(const void *blob, size_t len, zl_buf *out, int *adopted)
{
    use(blob, blob ? len : 0);
    zl_engine *e = zl_engine_prepare(pack);
    *adopted = zl_engine_adopted(e);
    zl_engine_dump(e, out);
    zl_engine_free(e);
}

static void test_adopted_graph_is_the_compiled_one(void **state)
{
    (void)state;
    const zl_pack_image *img = &zl_pack_image_builtin;
    zl_buf built = ZL_BUF_INIT, adopted = ZL_BUF_INIT;
    int a;
    assert_ptr_equal(zl_pack_rule(pack, 0), &img->rules[0]);
    dump_engine(NULL, 0, &built, &a);
    assert_false(a);
    dump_engine(img->engine_graph, img->engine_graph_len, &adopted, &a);
    assert_true(a);
    assert_true(built.len > 50000); /* the whole graph */
    assert_non_null(strstr(built.data, " x=E"));
    assert_non_null(strstr(built.data, "\nE"));
    zl_test_same_dump(&built, &adopted);
    /* other rule pointers (a copy of the rules) do not adopt it */
    use(img->engine_graph, img->engine_graph_len);
    uint32_t nr = img->n_rules, na = img->n_atoms;
    zl_rule *copy = malloc(nr * sizeof *copy);
    const zl_rule **rp = malloc(nr * sizeof *rp);
    const zl_atom **ap = malloc(na * sizeof *ap);
    for (uint32_t i = 0; i < nr; i++) {
        copy[i] = img->rules[i];
        rp[i] = &copy[i];
    }
    for (uint32_t i = 0; i < na; i++)
        ap[i] = zl_pack_atom(pack, i);
    zl_engine *e = zl_engine_prepare_ir(rp, nr, ap, na);
    assert_false(zl_engine_adopted(e));
    zl_engine_free(e);
    /* nor does a prefix of the rules */
    rp[0] = &img->rules[0];
    e = zl_engine_prepare_ir(rp, 1, ap, na);
    assert_false(zl_engine_adopted(e));
    zl_engine_free(e);
    use(NULL, 0);
    free(ap);
    free(rp);
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
    zl_buf built = ZL_BUF_INIT, got = ZL_BUF_INIT;
    int a;
    dump_engine(NULL, 0, &built, &a);
    zl_test_flips_are_caught(img->engine_graph, img->engine_graph_len, dump_engine, &built);
    /* a shorter image is refused */
    dump_engine(img->engine_graph, img->engine_graph_len - 4, &got, &a);
    assert_false(a);
    zl_buf_free(&built);
    zl_buf_free(&got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_adopted_graph_is_the_compiled_one),
        cmocka_unit_test(test_corrupted_image_is_caught),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
