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

/* Fails with the first line where the dumps differ. */
static void assert_same(const zl_buf *want, const zl_buf *got)
{
    size_t i = 0, line = 1, start = 0;
    while (i < want->len && i < got->len && want->data[i] == got->data[i]) {
        if (want->data[i] == '\n') {
            line++;
            start = i + 1;
        }
        i++;
    }
    if (i == want->len && i == got->len)
        return;
    const char *we = memchr(want->data + start, '\n', want->len - start);
    const char *ge = memchr(got->data + start, '\n', got->len - start);
    print_error("dumps differ at line %zu:\n  built:   %.*s\n  adopted: %.*s\n", line,
                (int)((we ? we : want->data + want->len) - (want->data + start)), want->data + start,
                (int)((ge ? ge : got->data + got->len) - (got->data + start)), got->data + start);
    fail();
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
    assert_same(&built, &adopted);
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

/* A changed byte anywhere in the image (about 300 positions spread over it,
 * every residue mod 8) is refused or changes the dump. */
static void test_corrupted_image_is_caught(void **state)
{
    (void)state;
    size_t len = zl_pack_image_builtin.match_index_len;
    unsigned char *blob = malloc(len);
    memcpy(blob, zl_pack_image_builtin.match_index, len);
    zl_buf built = ZL_BUF_INIT, got = ZL_BUF_INIT;
    int a, refused = 0, differ = 0;
    dump_index(NULL, 0, &built, &a);
    size_t step = len / 300 | 1;
    for (size_t pos = 0; pos < len; pos += step) {
        for (int flip = 1; flip <= 0x80; flip <<= 7) {
            blob[pos] ^= (unsigned char)flip;
            zl_buf_reset(&got);
            dump_index(blob, len, &got, &a);
            blob[pos] ^= (unsigned char)flip;
            if (!a) {
                refused++;
                continue;
            }
            if (got.len == built.len && memcmp(got.data, built.data, got.len) == 0) {
                print_error("a change of byte %zu (^%#x) is not seen\n", pos, (unsigned)flip);
                fail();
            }
            differ++;
        }
    }
    assert_true(refused > 0 && differ > 0);
    /* the intact copy is adopted and the same */
    zl_buf_reset(&got);
    dump_index(blob, len, &got, &a);
    assert_true(a);
    assert_same(&built, &got);
    free(blob);
    zl_buf_free(&built);
    zl_buf_free(&got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_adopted_index_is_the_built_one),
        cmocka_unit_test(test_corrupted_image_is_caught),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
