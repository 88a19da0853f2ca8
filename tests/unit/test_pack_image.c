/*
 * test_pack_image.c - the built-in pack's build-time image (dsl/image.h) is
 * the pack compiling the embedded rules gives: same canonical dump (every
 * field, the expression DAG's sharing, atom positions, each regex's compiled
 * size and options), whether its regexes are decoded or recompiled.
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
#include "util/buf.h"
#include "util/diag.h"
#include "zanlint.h"

static void dump_source(zl_buf *b)
{
    zl_diags d = {0};
    zl_pack *p;
    assert_int_equal(zl_pack_new(&p), ZL_OK);
    assert_int_equal(zl_pack_add_embedded(p, &d), ZL_OK);
    assert_int_equal(zl_pack_compile(p, &d), ZL_OK);
    assert_int_equal(d.count, 0);
    zl_pack_dump(p, b);
    zl_pack_free(p);
    zl_diags_free(&d);
}

static void dump_image(zl_buf *b, int recompile)
{
    zl_diags d = {0};
    zl_pack *p;
    assert_int_equal(zl_pack_from_image(&zl_pack_image_builtin, recompile, &p, &d), ZL_OK);
    assert_int_equal(d.count, 0);
    zl_pack_dump(p, b);
    zl_pack_free(p);
    zl_diags_free(&d);
}

static void test_image_is_the_compiled_pack(void **state)
{
    (void)state;
    zl_buf src = ZL_BUF_INIT, img = ZL_BUF_INIT;
    dump_source(&src);
    dump_image(&img, 0);
    assert_true(src.len > 100000); /* the whole pack, not an empty one */
    assert_non_null(strstr(src.data, " regex "));
    assert_null(strstr(img.data, "(not compiled)"));
    zl_test_same_dump(&src, &img);
    zl_buf_free(&src);
    zl_buf_free(&img);
}

/* The serialized codes decode with this PCRE2 (so a run does not fall back
 * to compiling them). */
static void test_regexes_decode(void **state)
{
    (void)state;
    const zl_pack_image *img = &zl_pack_image_builtin;
    assert_true(img->n_regexes > 0);
    assert_int_equal(pcre2_serialize_get_number_of_codes(img->regexes), img->n_regexes);
    pcre2_code **codes = calloc(img->n_regexes, sizeof *codes);
    assert_non_null(codes);
    assert_int_equal(pcre2_serialize_decode(codes, (int32_t)img->n_regexes, img->regexes, NULL),
                     img->n_regexes);
    for (uint32_t i = 0; i < img->n_regexes; i++)
        pcre2_code_free(codes[i]);
    free(codes);
}

static void test_recompiled_regexes_are_the_same(void **state)
{
    (void)state;
    zl_buf src = ZL_BUF_INIT, img = ZL_BUF_INIT;
    dump_source(&src);
    dump_image(&img, 1);
    zl_test_same_dump(&src, &img);
    zl_buf_free(&src);
    zl_buf_free(&img);
}

static void test_image_pack_behaves_compiled(void **state)
{
    (void)state;
    zl_diags d = {0};
    zl_pack *p;
    assert_int_equal(zl_pack_from_image(&zl_pack_image_builtin, 0, &p, &d), ZL_OK);
    assert_string_equal(zl_pack_name(p), "kz94v");
    assert_true(zl_pack_rule_count(p) > 0);
    const zl_rule *r = zl_pack_rule(p, 0);
    assert_ptr_equal(zl_pack_find(p, r->id), r);
    /* Atom positions come from the embedded files, as for a compiled pack. */
    uint32_t line, col;
    zl_pack_atom_pos(zl_pack_atom(p, 0), &line, &col);
    assert_true(line > 0 && col > 0);
    /* It is compiled: nothing can be added. */
    assert_int_equal(zl_pack_add_source(p, "x.rules", "", 0, &d), ZL_ERR);
    assert_int_equal(zl_pack_compile(p, &d), ZL_ERR);
    zl_pack_free(p);
    zl_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_image_is_the_compiled_pack),
        cmocka_unit_test(test_regexes_decode),
        cmocka_unit_test(test_recompiled_regexes_are_the_same),
        cmocka_unit_test(test_image_pack_behaves_compiled),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
