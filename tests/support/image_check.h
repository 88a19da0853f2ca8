/*
 * image_check.h - checks shared by the tests of the build-time pack image's
 * blobs (test_pack_image.c, test_match_image.c, test_engine_image.c): a canonical dump of what
 * was built from source against the dump of what was adopted from the image.
 */
#ifndef ZL_TESTS_IMAGE_CHECK_H
#define ZL_TESTS_IMAGE_CHECK_H

#include <stddef.h>

#include "util/buf.h"

/* Dumps what a run makes of `image` (NULL: builds from source); *adopted
 * says whether the image was used. */
typedef void (*zl_image_dump_fn)(const void *image, size_t len, zl_buf *out, int *adopted);

/* Fails the running cmocka test with the first line where the dumps differ. */
void zl_test_same_dump(const zl_buf *want, const zl_buf *got);

/* Flips bit 0 and bit 7 of about 300 bytes spread over a copy of `image`,
 * one at a time: each must be refused (not adopted) or change the dump;
 * some must be refused and some must change it.  Then the intact copy must
 * be adopted and dump as `built` does. */
void zl_test_flips_are_caught(const void *image, size_t len, zl_image_dump_fn dump,
                              const zl_buf *built);

#endif
