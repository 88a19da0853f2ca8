/*
 * test_buf.c - the buffer's fast writers against their plain references:
 * zl_buf_json_str (16 bytes at a time with SSE2) against the escaper as it
 * was written one piece at a time, zl_buf_u32/u64 against snprintf, and the
 * inline zl_buf_put against a model of the cap, on random inputs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/utf8.h"

/* The escaper as it was before the block scan (commit 22f4047). */
static void ref_json_str(zl_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    zl_buf_putc(b, '"');
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n) {
            unsigned char c = (unsigned char)s[j];
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
                j++;
            else if (c >= 0xC2 && c <= 0xDF && j + 1 < n && ((unsigned char)s[j + 1] & 0xC0) == 0x80)
                j += 2;
            else
                break;
        }
        if (j > i) {
            zl_buf_put(b, s + i, j - i);
            i = j;
            if (i == n)
                break;
        }
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            switch (c) {
            case '"': zl_buf_put(b, "\\\"", 2); break;
            case '\\': zl_buf_put(b, "\\\\", 2); break;
            case '\n': zl_buf_put(b, "\\n", 2); break;
            case '\r': zl_buf_put(b, "\\r", 2); break;
            case '\t': zl_buf_put(b, "\\t", 2); break;
            default:
                if (c < 0x20 || c == 0x7f) {
                    char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                    zl_buf_put(b, e, 6);
                } else {
                    zl_buf_putc(b, (char)c);
                }
            }
            i++;
            continue;
        }
        uint32_t cp;
        size_t k = zl_utf8_decode(s + i, n - i, &cp);
        if (k == 0) {
            zl_buf_put(b, "\xEF\xBF\xBD", 3);
            i++;
        } else {
            if (cp == 0x2028 || cp == 0x2029)
                zl_buf_printf(b, "\\u%04x", (unsigned)cp);
            else
                zl_buf_put(b, s + i, k);
            i += k;
        }
    }
    zl_buf_putc(b, '"');
}

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 32) % n;
}

/* Pieces the random strings are made of: clean and escaped ASCII, 2-, 3-
 * and 4-byte sequences (U+2028/9 among them), and ill-formed ones. */
static const char *const pieces[] = {
    "a", "Zz09 ", "policy text ", "\"", "\\", "\n", "\r", "\t", "\x01", "\x1f", "\x7f", "\0",
    "д", "Қ", "ә", "«", "»", "\xC2\xA0", "\xDF\xBF", "—", "№", "\xE2\x80\xA8", "\xE2\x80\xA9",
    "\xE2\x80\xA7", "\xF0\x9F\x98\x80", "\xEF\xBF\xBD", "\xEF\xBF\xBF",
    "\x80", "\xBF", "\xC0\x80", "\xC1\xBF", "\xC2", "\xDF", "\xE0\x80\x80", "\xED\xA0\x80",
    "\xE2\x80", "\xF0\x9F", "\xF4\x90\x80\x80", "\xF5", "\xFE", "\xFF", "\xD0\xD0", "\xC3(",
};

static size_t piece_len(size_t k)
{
    return pieces[k][0] ? strlen(pieces[k]) : 1;
}

static size_t make_string(char *out, size_t max)
{
    size_t n = 0;
    int style = (int)rnd(4);
    while (n < max) {
        size_t k;
        if (style == 0) /* mostly Cyrillic with some punctuation */
            k = rnd(3) ? 12 + rnd(3) : rnd(sizeof pieces / sizeof pieces[0]);
        else if (style == 1) /* mostly ASCII */
            k = rnd(4) ? rnd(3) : rnd(sizeof pieces / sizeof pieces[0]);
        else
            k = rnd(sizeof pieces / sizeof pieces[0]);
        size_t l = piece_len(k);
        if (n + l > max)
            break;
        memcpy(out + n, pieces[k], l);
        n += l;
    }
    return n;
}

static void check_one(const char *s, size_t n)
{
    zl_buf a = ZL_BUF_INIT, r = ZL_BUF_INIT;
    zl_buf_puts(&a, "x:");
    zl_buf_puts(&r, "x:");
    zl_buf_json_str(&a, s, n);
    ref_json_str(&r, s, n);
    assert_int_equal(a.len, r.len);
    assert_memory_equal(a.data, r.data, r.len + 1);
    zl_buf_free(&a);
    zl_buf_free(&r);
}

static void test_json_every_byte(void **state)
{
    (void)state;
    char s[64];
    for (int c = 0; c < 256; c++) {
        for (size_t pre = 0; pre <= 33; pre++) {
            for (size_t post = 0; post <= 2; post++) {
                memset(s, 'q', pre);
                s[pre] = (char)c;
                memcpy(s + pre + 1, "\xD0\xB4", 2); /* a continuation may follow */
                check_one(s, pre + 1 + post);
            }
        }
    }
}

static void test_json_random(void **state)
{
    (void)state;
    static char buf[6000];
    for (int round = 0; round < 20000; round++) {
        size_t max = round % 50 == 0 ? 5000 : rnd(70);
        size_t n = make_string(buf + 16, max);
        /* every alignment of the source, and every prefix: ends at and
         * around the 16-byte block edges, sequences cut by the end */
        size_t off = rnd(16);
        memmove(buf + off, buf + 16, n);
        check_one(buf + off, n);
        if (n <= 70) {
            for (size_t k = 0; k < n; k++)
                check_one(buf + off, k);
        }
    }
}

static void test_json_cap(void **state)
{
    (void)state;
    char s[200];
    for (int round = 0; round < 5000; round++) {
        size_t n = make_string(s, rnd(120));
        size_t cap = 1 + rnd(800);
        size_t pre = rnd(40);
        zl_buf a, r;
        zl_buf_init(&a, cap);
        zl_buf_init(&r, cap);
        for (size_t i = 0; i < pre; i++) {
            zl_buf_putc(&a, 'p');
            zl_buf_putc(&r, 'p');
        }
        zl_buf_json_str(&a, s, n);
        ref_json_str(&r, s, n);
        zl_buf_json_str(&a, s, n / 2);
        ref_json_str(&r, s, n / 2);
        assert_int_equal(a.err, r.err);
        assert_int_equal(a.len, r.len);
        if (r.len)
            assert_memory_equal(a.data, r.data, r.len + 1);
        zl_buf_free(&a);
        zl_buf_free(&r);
    }
}

static void check_u(uint64_t v)
{
    char want[32];
    zl_buf b = ZL_BUF_INIT;
    zl_buf_puts(&b, "<");
    zl_buf_u64(&b, v);
    snprintf(want, sizeof want, "<%" PRIu64, v);
    assert_string_equal(b.data, want);
    if (v <= UINT32_MAX) {
        zl_buf_reset(&b);
        zl_buf_u32(&b, (uint32_t)v);
        snprintf(want, sizeof want, "%u", (unsigned)v);
        assert_string_equal(b.data, want);
    }
    zl_buf_free(&b);
}

static void test_uint(void **state)
{
    (void)state;
    uint64_t p = 1;
    for (int i = 0; i < 20; i++, p *= 10) {
        check_u(p - 1);
        check_u(p);
        check_u(p + 1);
    }
    check_u(UINT32_MAX);
    check_u((uint64_t)UINT32_MAX + 1);
    check_u(UINT64_MAX);
    for (int i = 0; i < 100000; i++) {
        uint64_t v = ((uint64_t)rnd(UINT32_MAX) << 32) | rnd(UINT32_MAX);
        check_u(v >> rnd(64));
    }
}

/* zl_buf_put's inline path against a model: the bytes are kept until the
 * cap, then nothing more (the error is sticky). */
static void test_put_cap(void **state)
{
    (void)state;
    char model[1000], piece[64];
    for (int round = 0; round < 3000; round++) {
        size_t cap = rnd(4) ? rnd(500) : 0;
        zl_buf b;
        zl_buf_init(&b, cap);
        size_t len = 0;
        int err = 0;
        for (int k = 0; k < 40; k++) {
            size_t n = rnd(20);
            for (size_t i = 0; i < n; i++)
                piece[i] = (char)('a' + rnd(26));
            if (rnd(5) == 0) {
                zl_buf_putc(&b, piece[0]);
                n = 1;
            } else {
                zl_buf_put(&b, piece, n);
            }
            if (!err && (cap == 0 || len + n <= cap)) {
                memcpy(model + len, piece, n);
                len += n;
            } else {
                err = 1;
            }
        }
        assert_int_equal(b.err, err);
        assert_int_equal(b.len, len);
        if (b.data) {
            assert_memory_equal(b.data, model, len);
            assert_int_equal(b.data[len], '\0');
        }
        zl_buf_free(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_every_byte),
        cmocka_unit_test(test_json_random),
        cmocka_unit_test(test_json_cap),
        cmocka_unit_test(test_uint),
        cmocka_unit_test(test_put_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
