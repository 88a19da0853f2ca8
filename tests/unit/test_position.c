/*
 * test_position.c - line index and positions (position.c): 1-based lines,
 * 1-based code-point columns, "\n", "\r\n" and lone "\r" line ends.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "text/doc.h"
#include "text/position.h"
#include "util/diag.h"
#include "support/rnd.h"

static zl_doc *load(const char *text)
{
    zl_diags d = {0};
    zl_doc *doc = NULL;
    zl_load_opts o;
    memset(&o, 0, sizeof o);
    o.format = "txt";
    assert_int_equal(zl_doc_load_mem("t.txt", text, strlen(text), &o, &doc, &d), ZL_OK);
    zl_diags_free(&d);
    return doc;
}

/* Position of the first token whose logical text equals `word`. */
static zl_pos pos_of(const zl_doc *doc, const char *word)
{
    size_t n = strlen(word);
    for (uint32_t i = 0; i < doc->n_tokens; i++)
        if (doc->tokens[i].text_len == n && memcmp(doc->in.text + doc->tokens[i].text_off, word, n) == 0)
            return zl_doc_pos(doc, doc->tokens[i].text_off);
    fail_msg("token %s not found", word);
    zl_pos none = {0, 0, 0};
    return none;
}

static const struct {
    const char *in;
    const char *word;
    uint32_t line, col;
} rows[] = {
    {"abc def", "def", 1, 5},
    /* Cyrillic: two bytes per letter, one column */
    {"Политика конфиденциальности", "конфиденциальности", 1, 10},
    {"Құпиялылық саясаты", "саясаты", 1, 12},
    {"первая\nвторая строка", "строка", 2, 8},
    {"первая\r\nвторая строка", "строка", 2, 8},
    {"первая\rвторая строка", "строка", 2, 8},
    {"a\r\n\r\nb\rc\nd", "d", 5, 1},
    {"a\n\n\nб", "б", 4, 1},
    /* NBSP counts as one column */
    {"ТОО\xc2\xa0" "Faces", "Faces", 1, 5},
    /* a 4-byte character (emoji) is one column */
    {"\xf0\x9f\x98\x80 слово", "слово", 1, 3},
};

static void test_positions(void **state)
{
    (void)state;
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        zl_doc *doc = load(rows[r].in);
        zl_pos p = pos_of(doc, rows[r].word);
        if (p.line != rows[r].line || p.col != rows[r].col)
            fail_msg("row %zu: %s at %u:%u, want %u:%u", r, rows[r].word, p.line, p.col,
                     rows[r].line, rows[r].col);
        zl_doc_free(doc);
    }
}

static void test_lines(void **state)
{
    (void)state;
    zl_doc *doc = load("один\r\nдва\rтри\nчетыре");
    assert_int_equal(doc->n_lines, 4);
    size_t n;
    const char *l = zl_doc_line(doc, 1, &n);
    assert_int_equal(n, strlen("один"));
    assert_memory_equal(l, "один", n);
    l = zl_doc_line(doc, 2, &n);
    assert_int_equal(n, strlen("два"));
    assert_memory_equal(l, "два", n);
    l = zl_doc_line(doc, 4, &n);
    assert_int_equal(n, strlen("четыре"));
    zl_doc_line(doc, 5, &n);
    assert_int_equal(n, 0);
    zl_doc_line(doc, 0, &n);
    assert_int_equal(n, 0);
    /* source positions: the start of line 3, and the end of the text */
    zl_pos p = zl_doc_src_pos(doc, (uint32_t)(strlen("один\r\nдва\r")));
    assert_int_equal(p.line, 3);
    assert_int_equal(p.col, 1);
    p = zl_doc_src_pos(doc, (uint32_t)doc->in.src_len);
    assert_int_equal(p.line, 4);
    assert_int_equal(p.col, 7);
    zl_doc_free(doc);
}

static void test_trailing_newline(void **state)
{
    (void)state;
    zl_doc *doc = load("строка\n");
    /* a final line break opens an empty last line */
    assert_int_equal(doc->n_lines, 2);
    size_t n;
    zl_doc_line(doc, 2, &n);
    assert_int_equal(n, 0);
    zl_doc_free(doc);
}

/* ---- random texts against a byte-by-byte line index ----
 * zl_doc_index_lines finds "\n" 64 bytes at a time and starts again byte by
 * byte when the text has a "\r"; texts of 0-400 bytes put line ends at
 * every offset of the blocks, with and without a "\r". */
static uint32_t rnd_state = 13;

static uint32_t rnd(uint32_t m)
{
    return zl_test_rnd(&rnd_state, m);
}

static void test_random_lines(void **state)
{
    (void)state;
    static const char *const pieces[] = {"ab", "д", " ", "\n", "\n\n", ".", "\r\n", "\r"};
    char text[512];
    for (int iter = 0; iter < 4000; iter++) {
        size_t n = 0, want = rnd(400);
        int with_cr = rnd(4) == 0;
        while (n < want) {
            const char *pc = pieces[rnd(with_cr ? 8 : 6)];
            size_t k = strlen(pc);
            memcpy(text + n, pc, k);
            n += k;
        }
        text[n] = '\0';
        zl_doc *doc = load(n ? text : "x");
        const char *s = doc->in.src;
        size_t len = doc->in.src_len;
        uint32_t k = 0;
        assert_true(doc->n_lines >= 1);
        assert_int_equal(doc->line_starts[k++], 0);
        for (size_t i = 0; i < len; i++)
            if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= len || s[i + 1] != '\n'))) {
                assert_true(k < doc->n_lines);
                assert_int_equal(doc->line_starts[k++], i + 1);
            }
        assert_int_equal(doc->n_lines, k);
        zl_doc_free(doc);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_trailing_newline),
        cmocka_unit_test(test_random_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
