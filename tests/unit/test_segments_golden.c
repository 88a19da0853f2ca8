/*
 * test_segments_golden.c - the five seed policies segmented to JSON
 * (zl_report_segments) and compared with tests/golden/segments/<seed>.json.
 * With UPDATE=1 in the environment the golden files are rewritten instead,
 * so a change of the segmenter shows up as a reviewable diff.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/segments.h"
#include "text/doc.h"
#include "util/buf.h"
#include "util/diag.h"

static const char *const seeds[] = {
    "000_80f2cb7f16497100.txt", "001_e9e5e6f652fd16d4.txt", "002_e3648f6612deae10.txt",
    "003_edbea6bc1c28116f.txt", "004_53eae54461e654f3.txt",
};

static int read_file(const char *path, zl_buf *b)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char tmp[8192];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
        zl_buf_put(b, tmp, n);
    fclose(f);
    return 0;
}

/* First differing line, for a readable failure. */
static void first_diff(const char *a, const char *b, char *out, size_t cap)
{
    unsigned line = 1;
    while (*a && *a == *b) {
        if (*a == '\n')
            line++;
        a++;
        b++;
    }
    const char *ea = strchr(a, '\n'), *eb = strchr(b, '\n');
    int la = ea ? (int)(ea - a) : (int)strlen(a), lb = eb ? (int)(eb - b) : (int)strlen(b);
    snprintf(out, cap, "line %u: got ...%.*s / want ...%.*s", line, la > 80 ? 80 : la, a,
             lb > 80 ? 80 : lb, b);
}

static void test_seed(void **state)
{
    const char *name = *state;
    char in_path[256], gold_path[256];
    snprintf(in_path, sizeof in_path, "tests/fixtures/seeds/%s", name);
    snprintf(gold_path, sizeof gold_path, "tests/golden/segments/%.*s.json",
             (int)(strlen(name) - 4), name);
    zl_diags d = {0};
    zl_doc *doc = NULL;
    assert_int_equal(zl_doc_load_file(in_path, NULL, &doc, &d), ZL_OK);
    zl_buf got = ZL_BUF_INIT;
    zl_report_segments(&got, doc, 1);
    assert_false(got.err);
    const char *upd = getenv("UPDATE");
    if (upd && strcmp(upd, "1") == 0) {
        FILE *f = fopen(gold_path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(got.data, 1, got.len, f), got.len);
        assert_int_equal(fclose(f), 0);
    } else {
        zl_buf want = ZL_BUF_INIT;
        if (read_file(gold_path, &want) != 0)
            fail_msg("missing %s (run with UPDATE=1 to create it)", gold_path);
        if (want.len != got.len || memcmp(want.data, got.data, got.len) != 0) {
            char msg[512];
            first_diff(got.data, want.data ? want.data : "", msg, sizeof msg);
            fail_msg("%s differs from the segmentation: %s", gold_path, msg);
        }
        zl_buf_free(&want);
    }
    /* the segments report is deterministic */
    zl_buf again = ZL_BUF_INIT;
    zl_report_segments(&again, doc, 1);
    assert_int_equal(again.len, got.len);
    assert_memory_equal(again.data, got.data, got.len);
    zl_buf_free(&again);
    zl_buf_free(&got);
    zl_doc_free(doc);
    zl_diags_free(&d);
}

static void test_seed_003_versions(void **state)
{
    (void)state;
    zl_diags d = {0};
    zl_doc *doc = NULL;
    assert_int_equal(zl_doc_load_file("tests/fixtures/seeds/003_edbea6bc1c28116f.txt", NULL, &doc,
                                      &d),
                     ZL_OK);
    zl_buf out = ZL_BUF_INIT;
    zl_report_segments(&out, doc, 0);
    assert_non_null(strstr(out.data, "kk    line 1,"));
    assert_non_null(strstr(out.data, "ru    line 141,"));
    zl_buf_free(&out);
    zl_doc_free(doc);
    zl_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_prestate(test_seed, (void *)seeds[0]),
        cmocka_unit_test_prestate(test_seed, (void *)seeds[1]),
        cmocka_unit_test_prestate(test_seed, (void *)seeds[2]),
        cmocka_unit_test_prestate(test_seed, (void *)seeds[3]),
        cmocka_unit_test_prestate(test_seed, (void *)seeds[4]),
        cmocka_unit_test(test_seed_003_versions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
