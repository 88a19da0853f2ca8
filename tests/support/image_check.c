/*
 * image_check.c - see image_check.h.
 */
#include "support/image_check.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

void zl_test_same_dump(const zl_buf *want, const zl_buf *got)
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

void zl_test_flips_are_caught(const void *image, size_t len, zl_image_dump_fn dump,
                              const zl_buf *built)
{
    unsigned char *blob = malloc(len);
    assert_non_null(blob);
    memcpy(blob, image, len);
    zl_buf got = ZL_BUF_INIT;
    int adopted, refused = 0, differ = 0;
    size_t step = len / 300 | 1;
    for (size_t pos = 0; pos < len; pos += step) {
        for (int flip = 1; flip <= 0x80; flip <<= 7) {
            blob[pos] ^= (unsigned char)flip;
            zl_buf_reset(&got);
            dump(blob, len, &got, &adopted);
            blob[pos] ^= (unsigned char)flip;
            if (!adopted) {
                refused++;
                continue;
            }
            if (got.len == built->len && memcmp(got.data, built->data, got.len) == 0) {
                print_error("a change of byte %zu (^%#x) is not seen\n", pos, (unsigned)flip);
                fail();
            }
            differ++;
        }
    }
    assert_true(refused > 0 && differ > 0);
    zl_buf_reset(&got);
    dump(blob, len, &got, &adopted);
    assert_true(adopted);
    zl_test_same_dump(built, &got);
    free(blob);
    zl_buf_free(&got);
}
