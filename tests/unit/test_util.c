/*
 * test_util.c - the util layer: arena, buffer, JSON/XML escaping, UTF-8,
 * diagnostics table.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/spill.h"
#include "util/utf8.h"

static void test_arena_alignment_and_large(void **state)
{
    (void)state;
    zl_arena *a = zl_arena_new();
    for (size_t i = 1; i < 2000; i += 7) {
        unsigned char *p = zl_arena_alloc(a, i);
        assert_int_equal((uintptr_t)p % sizeof(void *), 0);
        memset(p, 0xAB, i);
    }
    /* A request larger than a chunk gets its own chunk. */
    char *big = zl_arena_alloc(a, 1u << 20);
    memset(big, 1, 1u << 20);
    char *z = zl_arena_calloc(a, 100, 4);
    for (int i = 0; i < 400; i++)
        assert_int_equal(z[i], 0);
    assert_string_equal(zl_arena_strndup(a, "абвгд", 4), "аб");
    assert_true(zl_arena_used(a) >= (1u << 20));
    zl_arena_free(a);
    zl_arena_free(NULL);
}

static void test_buf_cap_sticky(void **state)
{
    (void)state;
    zl_buf b;
    zl_buf_init(&b, 8);
    zl_buf_puts(&b, "12345");
    assert_int_equal(b.err, 0);
    zl_buf_puts(&b, "6789"); /* exceeds the cap of 8 */
    assert_int_equal(b.err, 1);
    zl_buf_puts(&b, "x"); /* dropped: the error is sticky */
    assert_string_equal(b.data, "12345");
    zl_buf_free(&b);

    zl_buf c = ZL_BUF_INIT;
    for (int i = 0; i < 1000; i++)
        zl_buf_printf(&c, "%d,", i);
    assert_int_equal(c.err, 0);
    assert_memory_equal(c.data, "0,1,2,", 6);
    assert_int_equal(c.data[c.len], '\0');
    zl_buf_printf(&c, "%s", "");
    char long_arg[600];
    memset(long_arg, 'q', sizeof long_arg - 1);
    long_arg[sizeof long_arg - 1] = '\0';
    size_t before = c.len;
    zl_buf_printf(&c, "<%s>", long_arg);
    assert_int_equal(c.len, before + 601);
    zl_buf_free(&c);
}

static const struct {
    const char *in;
    size_t len;
    const char *json;
} json_rows[] = {
    {"plain", 5, "\"plain\""},
    {"кавычки \"x\"", 0, "\"кавычки \\\"x\\\"\""},
    {"a\\b", 3, "\"a\\\\b\""},
    {"line\nbreak\ttab\r", 0, "\"line\\nbreak\\ttab\\r\""},
    {"\x01\x1f", 2, "\"\\u0001\\u001f\""},
    {"bad \xff byte", 0, "\"bad \xEF\xBF\xBD byte\""},
    {"\xE2\x80\xA8", 3, "\"\\u2028\""},
    {"қазақ ə", 0, "\"қазақ ə\""},
};

static void test_json_escape(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof json_rows / sizeof json_rows[0]; i++) {
        zl_buf b = ZL_BUF_INIT;
        size_t n = json_rows[i].len ? json_rows[i].len : strlen(json_rows[i].in);
        zl_buf_json_str(&b, json_rows[i].in, n);
        assert_string_equal(b.data, json_rows[i].json);
        zl_buf_free(&b);
    }
}

static void test_xml_escape(void **state)
{
    (void)state;
    zl_buf b = ZL_BUF_INIT;
    const char *s = "<a href=\"x\">'&'\x01</a>";
    zl_buf_xml_str(&b, s, strlen(s));
    assert_string_equal(b.data, "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39; &lt;/a&gt;");
    zl_buf_free(&b);
}

static const struct {
    const char *bytes;
    size_t n;
    size_t len; /* 0 = ill-formed */
    uint32_t cp;
} utf8_rows[] = {
    {"A", 1, 1, 0x41},
    {"\xD0\xB9", 2, 2, 0x439},            /* й */
    {"\xD3\x99", 2, 2, 0x4D9},            /* ә */
    {"\xE2\x80\x94", 3, 3, 0x2014},       /* em dash */
    {"\xF0\x9F\x98\x80", 4, 4, 0x1F600},  /* emoji */
    {"\xC0\xAF", 2, 0, 0},                /* overlong */
    {"\xE0\x80\xAF", 3, 0, 0},            /* overlong */
    {"\xED\xA0\x80", 3, 0, 0},            /* surrogate */
    {"\xF4\x90\x80\x80", 4, 0, 0},        /* > U+10FFFF */
    {"\xD0", 1, 0, 0},                    /* truncated */
    {"\x80", 1, 0, 0},                    /* stray continuation */
    {"\xFF", 1, 0, 0},
};

static void test_utf8(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof utf8_rows / sizeof utf8_rows[0]; i++) {
        uint32_t cp = 0;
        size_t k = zl_utf8_decode(utf8_rows[i].bytes, utf8_rows[i].n, &cp);
        assert_int_equal(k, utf8_rows[i].len);
        if (k) {
            assert_int_equal(cp, utf8_rows[i].cp);
            char out[4];
            assert_int_equal(zl_utf8_encode(cp, out), k);
            assert_memory_equal(out, utf8_rows[i].bytes, k);
        }
    }
    assert_int_equal(zl_utf8_count("Дербес деректер", strlen("Дербес деректер")), 15);
    assert_int_equal(zl_utf8_count("a\xFF" "b", 3), 3);
}

/* zl_utf8_count (8 bytes at a time through zl_utf8_short8) agrees with a
 * count through zl_utf8_decode on random strings over bytes that matter:
 * ASCII, leads of every length (C0 C1 C2 DF E0 F0 F5), continuations. */
static void test_utf8_count_random(void **state)
{
    (void)state;
    static const unsigned char alphabet[] = {'a', ' ', '\n', 0x7F, 0x80, 0xBF, 0xC0, 0xC1, 0xC2,
                                             0xD0, 0xD1, 0xDF, 0xE0, 0xE2, 0xF0, 0xF5, 0xFF};
    uint32_t seed = 94;
    for (int round = 0; round < 20000; round++) {
        char s[40];
        size_t n = (size_t)(round % 40);
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            unsigned r = (seed >> 16) % (sizeof alphabet + 6);
            /* mostly well-formed pairs and ASCII, so that runs occur */
            if (r >= sizeof alphabet && i + 1 < n) {
                s[i++] = (char)0xD0;
                s[i] = (char)(0x80 + r);
            } else {
                s[i] = (char)alphabet[r % sizeof alphabet];
            }
        }
        size_t want = 0;
        for (size_t i = 0; i < n; want++) {
            uint32_t cp;
            size_t k = zl_utf8_decode(s + i, n - i, &cp);
            i += k ? k : 1;
        }
        assert_int_equal(zl_utf8_count(s, n), want);
    }
}

static void test_diags(void **state)
{
    (void)state;
    zl_diags d = {0};
    zl_diags_add(&d, ZL_D_IO_OPEN, "a.txt", 0, 0, "No such file or directory");
    zl_diag *g = zl_diags_add_at(&d, ZL_D_ENC_INVALID_UTF8, "b.txt", (size_t)17, (size_t)17,
                                 (size_t)2);
    zl_diag_set_source(g, "строка", strlen("строка"), 3);
    assert_int_equal(d.count, 2);
    assert_int_equal(d.errors, 1);
    assert_string_equal(d.items[0].message, "cannot open: No such file or directory");
    assert_string_equal(d.items[0].path, "a.txt");
    assert_int_equal(d.items[1].severity, ZL_SEV_WARNING);
    assert_int_equal(d.items[1].offset, 17);
    assert_string_equal(zl_diag_code(ZL_D_IO_OPEN), "io.open");
    assert_non_null(strstr(d.items[1].message, "byte offset 17"));
    assert_string_equal(d.items[1].source_line, "строка");

    zl_diags other = {0};
    zl_diags_add(&other, ZL_D_USAGE, NULL, 0, 0, "bad");
    zl_diags_move(&d, &other);
    assert_int_equal(d.count, 3);
    assert_int_equal(d.errors, 2);
    assert_int_equal(other.count, 0);
    zl_diags_free(&d);
    zl_diags_free(&other);
    zl_diags_free(NULL);

    /* the reasons a document is not read have a title in both languages */
    assert_string_equal(zl_diag_title(ZL_D_IO_EMPTY, 0), "файл пуст");
    assert_string_equal(zl_diag_title(ZL_D_IO_EMPTY, 1), "файл бос");
    assert_null(zl_diag_title(ZL_D_IO_EMPTY, 2)); /* English: the message itself */
    assert_null(zl_diag_title(ZL_D_USAGE, 0));
    for (int id = 0; id < ZL_D__COUNT; id++)
        assert_int_equal(!zl_diag_title((zl_diag_id)id, 0), !zl_diag_title((zl_diag_id)id, 1));
}

/* The flush hook of the spill test: moves what `out` holds to the whole. */
typedef struct spill_sink {
    zl_buf all;
    size_t calls;
} spill_sink;

static void spill_flush(zl_buf *out, void *arg)
{
    spill_sink *k = arg;
    zl_buf_put(&k->all, out->data ? out->data : "", out->len);
    zl_buf_reset(out);
    k->calls++;
}

/* Writes ~200 KB of numbered lines through a spill of `limit` bytes and
 * checks the replay gives them back whole and in order. */
static void spill_round(size_t limit, int want_disk)
{
    zl_spill s;
    zl_spill_init(&s, limit);
    zl_buf want = ZL_BUF_INIT;
    for (int i = 0; i < 12000; i++) {
        zl_buf_printf(&s.mem, "карточка %d\n", i);
        zl_buf_printf(&want, "карточка %d\n", i);
        zl_spill_check(&s);
        assert_true(want_disk ? s.mem.len < limit : s.mem.len == want.len);
    }
    assert_int_equal(zl_spill_len(&s), want.len);
    assert_int_equal(s.on_disk > 0, want_disk);
    spill_sink k = {ZL_BUF_INIT, 0};
    zl_buf out = ZL_BUF_INIT;
    zl_buf_puts(&out, "<head>");
    assert_int_equal(zl_spill_replay(&s, &out, spill_flush, &k), 0);
    spill_flush(&out, &k);
    /* one flush per 64 KiB read back, then the final one above */
    assert_int_equal(k.calls, (size_t)((s.on_disk + 65535) / 65536) + 1);
    assert_int_equal(k.all.len, 6 + want.len);
    assert_memory_equal(k.all.data, "<head>", 6);
    assert_memory_equal(k.all.data + 6, want.data, want.len);
    zl_spill_free(&s);
    zl_buf_free(&out);
    zl_buf_free(&k.all);
    zl_buf_free(&want);
}

static void test_spill(void **state)
{
    (void)state;
    const char *had = getenv("TMPDIR");
    char *saved = had ? strdup(had) : NULL;
    spill_round(10000, 1);
    spill_round(1u << 30, 0); /* never reaches the limit */
    /* no temporary file possible: everything stays in memory, nothing lost */
    setenv("TMPDIR", "/nonexistent/zanlint-spill-test", 1);
    spill_round(10000, 0);
    if (saved) {
        setenv("TMPDIR", saved, 1);
        free(saved);
    } else {
        unsetenv("TMPDIR");
    }

    /* a file that cannot be read back: the replay says so (the HTML report
     * then sets ZL_BUF_LOST, not the size error) and keeps what it has */
    zl_spill s;
    zl_spill_init(&s, 100);
    for (int i = 0; i < 50; i++) {
        zl_buf_printf(&s.mem, "строка %d\n", i);
        zl_spill_check(&s);
    }
    assert_true(s.on_disk > 0);
    zl_buf_puts(&s.mem, "tail");
    char *held = strdup(s.mem.data); /* what was not moved to the file */
    close(s.fd);
    s.fd = -1;
    zl_buf out = ZL_BUF_INIT;
    assert_int_equal(zl_spill_replay(&s, &out, NULL, NULL), -1);
    assert_string_equal(out.data, held);
    free(held);
    zl_spill_free(&s);
    zl_buf_free(&out);
}

static void test_buf_read_file(void **state)
{
    (void)state;
    char path[] = "/tmp/zanlint-test-util.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char text[] = "дербес деректер\n";
    assert_int_equal(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
    close(fd);

    zl_buf b = ZL_BUF_INIT;
    assert_int_equal(zl_buf_read_file(&b, path), ZL_BUF_READ_OK);
    assert_string_equal(b.data, text);
    zl_buf_free(&b);

    zl_buf_init(&b, 8); /* smaller than the file */
    assert_int_equal(zl_buf_read_file(&b, path), ZL_BUF_READ_TOO_LARGE);
    zl_buf_free(&b);

    unlink(path);
    errno = 0;
    assert_int_equal(zl_buf_read_file(&b, path), ZL_BUF_READ_OPEN);
    assert_int_equal(errno, ENOENT);
    zl_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arena_alignment_and_large),
        cmocka_unit_test(test_buf_cap_sticky),
        cmocka_unit_test(test_json_escape),
        cmocka_unit_test(test_xml_escape),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_utf8_count_random),
        cmocka_unit_test(test_diags),
        cmocka_unit_test(test_spill),
        cmocka_unit_test(test_buf_read_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
