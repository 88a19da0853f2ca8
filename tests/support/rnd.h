/*
 * rnd.h - the deterministic generator of the randomized tests that draw
 * from a linear congruential sequence (test_decode.c, test_position.c):
 * the same seed gives the same inputs on every machine.
 */
#ifndef ZL_TESTS_RND_H
#define ZL_TESTS_RND_H

#include <stdint.h>

/* The next value in [0, m) of the sequence kept in *state. */
static inline uint32_t zl_test_rnd(uint32_t *state, uint32_t m)
{
    *state = *state * 1103515245u + 12345u;
    return (*state >> 8) % m;
}

#endif
