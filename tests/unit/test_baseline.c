/*
 * test_baseline.c - baselines (src/engine/baseline.c): parse/write round
 * trip, matching with counts, stale entries, path normalization, errors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "engine/baseline.h"

static zl_rule rule_a = {.id = "x.a"}, rule_b = {.id = "x.b"};

static void push(zl_findings *fs, const zl_rule *r, const char *fp)
{
    fs->items = realloc(fs->items, (fs->count + 1) * sizeof *fs->items);
    zl_finding *f = &fs->items[fs->count++];
    memset(f, 0, sizeof *f);
    f->rule = r;
    memcpy(f->fingerprint, fp, 17);
}

static void test_counts(void **state)
{
    (void)state;
    zl_baseline b = {0};
    zl_baseline_add(&b, "./docs//p.md", "x.a", "00000000000000aa");
    zl_baseline_add(&b, "docs/p.md", "x.a", "00000000000000aa");
    zl_baseline_add(&b, "docs/p.md", "x.b", "00000000000000bb");
    zl_buf out = ZL_BUF_INIT;
    zl_baseline_write(&b, &out);
    assert_non_null(strstr(out.data, "{\"path\": \"docs/p.md\", \"rule\": \"x.a\", "
                                     "\"fingerprint\": \"00000000000000aa\", \"count\": 2}"));
    zl_baseline r = {0};
    zl_diags d = {0};
    assert_int_equal(zl_baseline_parse(&r, "b.json", out.data, out.len, &d), ZL_OK);
    assert_int_equal(r.count, 2);

    zl_findings fs = {0};
    push(&fs, &rule_a, "00000000000000aa");
    push(&fs, &rule_a, "00000000000000aa");
    push(&fs, &rule_a, "00000000000000aa"); /* a third copy: new */
    push(&fs, &rule_b, "00000000000000cc"); /* other evidence: new */
    fs.items[1].suppressed = 1;             /* suppressed findings are left alone */
    assert_int_equal(zl_baseline_filter(&r, "docs/p.md", &fs), 2);
    assert_int_equal(fs.count, 2);
    assert_int_equal(fs.items[0].suppressed, 1);
    assert_string_equal(fs.items[1].fingerprint, "00000000000000cc");
    assert_int_equal(zl_baseline_stale(&r), 1); /* x.b bb not found */
    free(fs.items);
    zl_baseline_free(&r);
    zl_baseline_free(&b);
    zl_buf_free(&out);
    zl_diags_free(&d);
}

static void test_other_path_not_stale(void **state)
{
    (void)state;
    const char *j = "{\"version\": 1, \"tool\": \"zanlint\", \"future\": [1, {\"a\": null}],"
                    " \"entries\": [{\"path\": \"a.md\", \"rule\": \"x.a\", "
                    "\"fingerprint\": \"0123456789abcdef\"}]}";
    zl_baseline b = {0};
    zl_diags d = {0};
    assert_int_equal(zl_baseline_parse(&b, "b", j, strlen(j), &d), ZL_OK);
    assert_int_equal(b.items[0].count, 1);
    zl_findings fs = {0};
    zl_baseline_filter(&b, "other.md", &fs);
    assert_int_equal(zl_baseline_stale(&b), 0);
    zl_baseline_free(&b);
    zl_diags_free(&d);
}

static void test_errors(void **state)
{
    (void)state;
    static const struct {
        const char *json;
        const char *msg;
        uint32_t line, col;
    } rows[] = {
        {"", "expected '{'", 1, 1},
        {"{\"version\": 1}", "needs \"version\" and \"entries\"", 1, 15},
        {"{\"version\": 2, \"entries\": []}", "unsupported baseline version", 1, 13},
        {"{\"version\": 1,\n \"entries\": [{\"path\": \"a\", \"rule\": \"r\", "
         "\"fingerprint\": \"XYZ\"}]}", "16 lower-case hex", 2, 14},
        {"{\"version\": 1, \"entries\": [] } x", "text after", 1, 32},
        {"{\"version\": 1, \"entries\": [{\"path\": \"a\\q\"}]}", "bad escape", 1, 39},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        zl_baseline b = {0};
        zl_diags d = {0};
        print_message("row %zu\n", i);
        assert_int_equal(zl_baseline_parse(&b, "b", rows[i].json, strlen(rows[i].json), &d),
                         ZL_ERR);
        assert_int_equal(d.count, 1);
        assert_non_null(strstr(d.items[0].message, rows[i].msg));
        assert_int_equal(d.items[0].line, rows[i].line);
        assert_int_equal(d.items[0].col, rows[i].col);
        zl_baseline_free(&b);
        zl_diags_free(&d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_other_path_not_stale),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
