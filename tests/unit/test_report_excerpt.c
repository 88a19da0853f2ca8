/*
 * test_report_excerpt.c - zl_report_excerpt (the caret renderer of the text
 * format and the CLI's diagnostics) against the plain version it replaced
 * (a decode call per code point, a zl_buf_putc per space and caret), on
 * random lines: ASCII, Cyrillic, tabs, 3/4-byte and ill-formed sequences,
 * lines longer than ZL_EXCERPT_MAX, columns and widths in and past them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "util/utf8.h"
#include "util/xalloc.h"

static void ref_excerpt(zl_buf *out, const char *line, size_t len, uint32_t col, uint32_t width,
                        const char *color)
{
    while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == '\n'))
        len--;
    size_t *offs = zl_xmalloc((len + 1) * sizeof *offs);
    size_t n = 0, i = 0;
    while (i < len) {
        offs[n++] = i;
        uint32_t cp;
        size_t l = zl_utf8_decode(line + i, len - i, &cp);
        i += l ? l : 1;
    }
    offs[n] = len;
    size_t c0 = col > 0 ? (size_t)col - 1 : 0;
    if (c0 > n)
        c0 = n;
    size_t w = width ? width : 1;
    if (c0 + w > n)
        w = n > c0 ? n - c0 : 1;
    size_t start = 0, end = n;
    if (n > ZL_EXCERPT_MAX) {
        start = c0 > 20 ? c0 - 20 : 0;
        if (start + ZL_EXCERPT_MAX > n)
            start = n - ZL_EXCERPT_MAX;
        end = start + ZL_EXCERPT_MAX;
        if (c0 + w > end)
            w = end > c0 ? end - c0 : 1;
    }
    zl_buf_puts(out, "    ");
    if (start > 0)
        zl_buf_puts(out, "\xE2\x80\xA6");
    zl_buf_put(out, line + offs[start], offs[end] - offs[start]);
    if (end < n)
        zl_buf_puts(out, "\xE2\x80\xA6");
    zl_buf_putc(out, '\n');
    zl_buf_puts(out, "    ");
    if (start > 0)
        zl_buf_putc(out, ' ');
    for (size_t k = start; k < c0; k++)
        zl_buf_putc(out, line[offs[k]] == '\t' ? '\t' : ' ');
    if (color)
        zl_buf_puts(out, color);
    for (size_t k = 0; k < w; k++)
        zl_buf_putc(out, '^');
    if (color)
        zl_buf_puts(out, ZL_COLOR_RESET);
    zl_buf_putc(out, '\n');
    free(offs);
}

static uint64_t rng = 0x2545F4914F6CDD1Du;

static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 32) % n;
}

static const char *const pieces[] = {
    "a", "word ", "\t", "д", "Қ", "ә", "«", "—", "\xF0\x9F\x98\x80", "\x80", "\xC2", "\xE2\x80",
    "\xED\xA0\x80", "\xC0\xAF", "\xFF", "\r", "\n",
};

static void test_excerpt_random(void **state)
{
    (void)state;
    static char line[1200];
    for (int round = 0; round < 20000; round++) {
        size_t max = rnd(3) ? rnd(80) : rnd(1100);
        size_t n = 0;
        int tabs = (int)rnd(2);
        for (;;) {
            size_t k = rnd(sizeof pieces / sizeof pieces[0]);
            if (!tabs && k == 2)
                k = rnd(2) ? 3 : 0;
            size_t l = strlen(pieces[k]);
            if (n + l > max)
                break;
            memcpy(line + n, pieces[k], l);
            n += l;
        }
        uint32_t col = rnd(4) ? rnd((uint32_t)n + 3) : rnd(1200);
        uint32_t width = rnd(5) ? rnd(60) : rnd(3) ? UINT32_MAX / 2 : rnd(400);
        const char *color = rnd(2) ? ZL_COLOR_RED : NULL;
        zl_buf a = ZL_BUF_INIT, r = ZL_BUF_INIT;
        zl_report_excerpt(&a, line, n, col, width, color);
        ref_excerpt(&r, line, n, col, width, color);
        assert_int_equal(a.len, r.len);
        assert_memory_equal(a.data, r.data, r.len);
        zl_buf_free(&a);
        zl_buf_free(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_excerpt_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
