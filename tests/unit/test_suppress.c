/*
 * test_suppress.c - directive parsing (src/engine/suppress.c): a table of
 * comment bodies -> kind, rules, until, reason, error; and rule patterns.
 * Regions and meta findings on real documents are covered end to end by
 * tests/cli/suppress_*.sh.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "engine/suppress.h"

typedef struct row {
    const char *body;
    int is_directive;
    zl_dir_kind kind;
    const char *rules; /* joined by '|' */
    int32_t until;
    const char *reason;
    zl_dir_error error;
} row;

static const row rows[] = {
    {" zanlint-disable kz94v.scraping -- legacy ", 1, ZL_DIR_DISABLE, "kz94v.scraping", 0, "legacy",
     ZL_DIRERR_NONE},
    {"zanlint-disable a.b,c.* -- r", 1, ZL_DIR_DISABLE, "a.b|c.*", 0, "r", ZL_DIRERR_NONE},
    {"zanlint-disable a.b , c.d until 2027-01-01 -- two words", 1, ZL_DIR_DISABLE, "a.b|c.d",
     20270101, "two words", ZL_DIRERR_NONE},
    {"zanlint-disable-next a.b -- x -- y", 1, ZL_DIR_DISABLE_NEXT, "a.b", 0, "x -- y",
     ZL_DIRERR_NONE},
    {"zanlint-disable a.b", 1, ZL_DIR_DISABLE, "a.b", 0, "", ZL_DIRERR_NONE},
    {"zanlint-enable", 1, ZL_DIR_ENABLE, "", 0, "", ZL_DIRERR_NONE},
    {"zanlint-enable a.b", 1, ZL_DIR_ENABLE, "a.b", 0, "", ZL_DIRERR_NONE},
    {"zanlint-disable -- why", 1, ZL_DIR_DISABLE, "", 0, "why", ZL_DIRERR_NO_RULES},
    {"zanlint-disable-next-line a.b -- x", 1, ZL_DIR_DISABLE, "", 0, "", ZL_DIRERR_UNKNOWN_KIND},
    {"zanlint-disable: a.b -- x", 1, ZL_DIR_DISABLE, "", 0, "", ZL_DIRERR_UNKNOWN_KIND},
    {"zanlint-disable a.b until 2027-02-30 -- x", 1, ZL_DIR_DISABLE, "a.b", 0, "x",
     ZL_DIRERR_BAD_DATE},
    {"zanlint-disable a.b until -- x", 1, ZL_DIR_DISABLE, "a.b", 0, "x", ZL_DIRERR_BAD_DATE},
    {"zanlint-disable a.b because -- x", 1, ZL_DIR_DISABLE, "a.b", 0, "x", ZL_DIRERR_SYNTAX},
    {"zanlint-disable a.b reason without dashes", 1, ZL_DIR_DISABLE, "a.b", 0, "",
     ZL_DIRERR_SYNTAX},
    {"zanlint-disable a.b, -- x", 1, ZL_DIR_DISABLE, "a.b", 0, "x", ZL_DIRERR_BAD_RULE},
    {"zanlint-disable 1abc -- x", 1, ZL_DIR_DISABLE, "", 0, "x", ZL_DIRERR_BAD_RULE},
    /* "--" needs a blank before it: this is one (unknown) id and no reason */
    {"zanlint-disable a.b.--x", 1, ZL_DIR_DISABLE, "a.b.--x", 0, "", ZL_DIRERR_NONE},
    {"zanlint-disable a.b,,c.d -- x", 1, ZL_DIR_DISABLE, "", 0, "", ZL_DIRERR_BAD_RULE},
    {" just a comment ", 0, ZL_DIR_DISABLE, "", 0, "", ZL_DIRERR_NONE},
    {"eslint-disable a", 0, ZL_DIR_DISABLE, "", 0, "", ZL_DIRERR_NONE},
};

static void test_directive_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const row *r = &rows[i];
        zl_directive d;
        int got = zl_directive_parse(r->body, strlen(r->body), &d);
        print_message("row %zu: %s\n", i, r->body);
        assert_int_equal(got, r->is_directive);
        if (!got)
            continue;
        assert_int_equal(d.error, r->error);
        if (r->error != ZL_DIRERR_NONE && r->error != ZL_DIRERR_BAD_DATE &&
            r->error != ZL_DIRERR_SYNTAX)
            continue;
        assert_int_equal(d.kind, r->kind);
        char joined[256] = "";
        size_t w = 0;
        for (size_t k = 0; k < d.n_rules; k++) {
            if (k)
                joined[w++] = '|';
            memcpy(joined + w, d.rules[k].p, d.rules[k].len);
            w += d.rules[k].len;
        }
        joined[w] = '\0';
        assert_string_equal(joined, r->rules);
        if (r->error == ZL_DIRERR_NONE) {
            assert_int_equal(d.until, r->until);
        }
        assert_int_equal(d.reason.len, strlen(r->reason));
        assert_memory_equal(d.reason.p ? d.reason.p : "", r->reason, strlen(r->reason));
    }
}

static void test_spec(void **state)
{
    (void)state;
    zl_directive d;
    const char *s = "kz94v.localization until 2027-01-01 -- hosted abroad until migration";
    assert_int_equal(zl_suppress_parse_spec(s, strlen(s), &d), 0);
    assert_int_equal(d.n_rules, 1);
    assert_int_equal(d.until, 20270101);
    assert_int_equal(d.reason.len, strlen("hosted abroad until migration"));
    assert_int_equal(zl_suppress_parse_spec("-- x", 4, &d), -1);
    assert_int_equal(d.error, ZL_DIRERR_NO_RULES);
}

static void test_patterns_and_meta(void **state)
{
    (void)state;
    assert_true(zl_rule_pattern_match("kz94v.*", "kz94v.consent"));
    assert_false(zl_rule_pattern_match("kz94v.*", "kz94vx.consent"));
    assert_true(zl_rule_pattern_match("a.b", "a.b"));
    assert_false(zl_rule_pattern_match("a.b", "a.bc"));
    assert_int_equal(zl_meta_toggle("zanlint.*", 0, NULL), ZL_META_COUNT);
    uint8_t on[ZL_META_COUNT];
    memset(on, 1, sizeof on);
    assert_int_equal(zl_meta_toggle("zanlint.unused-suppression", 0, on), 1);
    assert_int_equal(on[ZL_META_UNUSED], 0);
    assert_int_equal(on[ZL_META_MISSING_REASON], 1);
    for (uint32_t i = 0; i < ZL_META_COUNT; i++) {
        const zl_rule *r = zl_meta_rule(i);
        assert_true(zl_is_meta_rule(r));
        for (int l = 0; l < ZL_NLANG; l++) {
            assert_non_null(r->title[l]);
            assert_non_null(r->message[l]);
        }
    }
    assert_null(zl_meta_rule(ZL_META_COUNT));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_directive_table),
        cmocka_unit_test(test_spec),
        cmocka_unit_test(test_patterns_and_meta),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
