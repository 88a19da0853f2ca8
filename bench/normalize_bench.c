/*
 * normalize_bench.c - throughput of zl_normalize (stage 2) in MB/s.
 *
 * Reads the files given on the command line, concatenates them until the
 * buffer holds about 50 MB (or -m MB), normalizes it a few times with and
 * without the offset map and prints the best MB/s of input.  Not part of
 * `make check`; build it by hand against a built library:
 *
 *   cc -O2 -Iinclude -Isrc bench/normalize_bench.c build/libzanlint.a \
 *      $(pkg-config --libs libutf8proc libpcre2-8 libxml-2.0) -lpthread -o /tmp/nb
 *   /tmp/nb tests/fixtures/seeds/0*.txt   (the five seed policies)
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "text/normalize.h"
#include "util/arena.h"
#include "util/xalloc.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *read_file(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, len = 0, got;
    char *buf = zl_xmalloc(cap);
    while ((got = fread(buf + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap)
            buf = zl_xgrow(buf, &cap, cap + 1, 1);
    }
    fclose(f);
    *n = len;
    return buf;
}

int main(int argc, char **argv)
{
    size_t target = 50u * 1000 * 1000;
    int first = 1;
    if (argc > 2 && strcmp(argv[1], "-m") == 0) {
        target = (size_t)strtoul(argv[2], NULL, 10) * 1000 * 1000;
        first = 3;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: %s [-m MB] FILE...\n", argv[0]);
        return 2;
    }

    /* One pass of all files, separated by blank lines. */
    size_t one_cap = 1 << 16, one_len = 0;
    char *one = zl_xmalloc(one_cap);
    for (int i = first; i < argc; i++) {
        size_t n;
        char *data = read_file(argv[i], &n);
        if (!data) {
            fprintf(stderr, "%s: cannot read %s\n", argv[0], argv[i]);
            return 2;
        }
        one = zl_xgrow(one, &one_cap, one_len + n + 2, 1);
        memcpy(one + one_len, data, n);
        one_len += n;
        memcpy(one + one_len, "\n\n", 2);
        one_len += 2;
        free(data);
    }
    if (one_len == 0) {
        fprintf(stderr, "%s: empty input\n", argv[0]);
        return 2;
    }

    size_t reps = target / one_len + 1, total = reps * one_len;
    char *big = zl_xmalloc(total);
    for (size_t r = 0; r < reps; r++)
        memcpy(big + r * one_len, one, one_len);

    double best_map = 1e9, best_str = 1e9;
    size_t out_len = 0;
    for (int round = 0; round < 3; round++) {
        zl_arena *a = zl_arena_new();
        zl_norm nm;
        double t0 = now();
        zl_normalize(a, big, total, &nm);
        double dt = now() - t0;
        out_len = nm.len;
        zl_arena_free(a);
        if (dt < best_map)
            best_map = dt;

        a = zl_arena_new();
        size_t slen;
        t0 = now();
        (void)zl_normalize_str(a, big, total, &slen);
        dt = now() - t0;
        zl_arena_free(a);
        if (dt < best_str)
            best_str = dt;
    }
    printf("input %.1f MB (%zu copies of %zu bytes), output %.1f MB\n", (double)total / 1e6, reps,
           one_len, (double)out_len / 1e6);
    printf("zl_normalize      %.1f MB/s\n", (double)total / 1e6 / best_map);
    printf("zl_normalize_str  %.1f MB/s\n", (double)total / 1e6 / best_str);
    free(big);
    free(one);
    return 0;
}
