/*
 * test_selftest.c - zl_selftest (src/engine/selftest.c): pass/fail counting
 * of the examples embedded in rules, failure details, rules lacking an
 * example, and the `active` filter.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsl/pack_impl.h"
#include "engine/engine.h"

static const char rules_src[] =
    "define consent = \"согласи*\" | \"келісім*\"\n"
    "rule t.good {\n"
    "  severity error\n"
    "  message ru \"Нет согласия.\"\n"
    "  require consent\n"
    "  pass \"Мы обрабатываем данные с согласия субъекта.\"\n"
    "  pass \"Деректер субъектінің келісімімен өңделеді.\"\n"
    "  fail \"Мы обрабатываем данные.\"\n"
    "}\n"
    "rule t.wrong {\n"
    "  severity warning\n"
    "  message ru \"Бессрочно.\"\n"
    "  forbid \"бессрочно\"\n"
    "  pass \"Данные хранятся бессрочно.\"\n"
    "  fail \"Данные хранятся пять лет.\"\n"
    "}\n";

typedef struct outcome {
    char rule[32];
    int has_example, ok;
    uint32_t line;
    char detail[160];
} outcome;

typedef struct log {
    outcome v[16];
    size_t n;
} log_t;

static void record(void *ctx, const zl_rule *rule, const zl_example *ex, int ok,
                   const char *detail)
{
    log_t *l = ctx;
    assert_true(l->n < 16);
    outcome *o = &l->v[l->n++];
    memset(o, 0, sizeof *o);
    snprintf(o->rule, sizeof o->rule, "%s", rule->id);
    o->has_example = ex != NULL;
    o->line = ex ? ex->line : 0;
    o->ok = ok;
    if (ok)
        assert_null(detail);
    else
        snprintf(o->detail, sizeof o->detail, "%s", detail);
}

static zl_pack *load(void)
{
    zl_pack *p = NULL;
    zl_diags d = {0};
    assert_int_equal(zl_pack_new(&p), ZL_OK);
    assert_int_equal(zl_pack_add_source(p, "t.rules", rules_src, strlen(rules_src), &d), ZL_OK);
    assert_int_equal(zl_pack_compile(p, &d), ZL_OK);
    zl_diags_free(&d);
    return p;
}

static const outcome *find(const log_t *l, const char *rule, uint32_t line, int has_example)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].rule, rule) == 0 && l->v[i].has_example == has_example &&
            (!has_example || l->v[i].line == line))
            return &l->v[i];
    return NULL;
}

static void test_counts_and_details(void **state)
{
    (void)state;
    zl_pack *p = load();
    log_t l = {0};
    size_t passed = 99;
    size_t failed = zl_selftest(p, NULL, record, &l, &passed);
    assert_int_equal(failed, 2);
    assert_int_equal(passed, 3);
    assert_int_equal(l.n, 5);

    const outcome *o = find(&l, "t.good", 6, 1);
    assert_non_null(o);
    assert_true(o->ok);
    o = find(&l, "t.good", 8, 1);
    assert_non_null(o);
    assert_true(o->ok);

    /* t.wrong's examples are swapped: both fail, with the documented details */
    o = find(&l, "t.wrong", 14, 1);
    assert_non_null(o);
    assert_false(o->ok);
    assert_string_equal(o->detail, "unexpected finding at 1:17: бессрочно");
    o = find(&l, "t.wrong", 15, 1);
    assert_non_null(o);
    assert_false(o->ok);
    assert_string_equal(o->detail, "expected a finding, got none");
    zl_pack_free(p);
}

static void test_active_filter(void **state)
{
    (void)state;
    zl_pack *p = load();
    const zl_rule *good = zl_pack_find(p, "t.good");
    assert_non_null(good);
    uint8_t active[2] = {0, 0};
    active[good->index] = 1;
    log_t l = {0};
    size_t passed = 0;
    assert_int_equal(zl_selftest(p, active, record, &l, &passed), 0);
    assert_int_equal(passed, 3);
    assert_int_equal(l.n, 3);
    zl_pack_free(p);
}

/* The compiler rejects a rule without both examples, so the check is
 * exercised by removing examples from a compiled pack. */
static void test_missing_examples(void **state)
{
    (void)state;
    static const struct {
        uint8_t keep_pass; /* keep only examples with this `pass` flag */
        const char *detail;
    } cases[] = {
        {0, "rule has no pass example"},
        {1, "rule has no fail example"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        zl_pack *p = load();
        zl_rule *r = NULL;
        for (uint32_t i = 0; i < p->n_rules; i++)
            if (strcmp(p->rules[i].id, "t.good") == 0)
                r = &p->rules[i];
        assert_non_null(r);
        uint32_t w = 0;
        for (uint32_t k = 0; k < r->n_examples; k++)
            if (r->examples[k].pass == cases[c].keep_pass)
                r->examples[w++] = r->examples[k];
        r->n_examples = w;
        uint8_t active[2] = {0, 0};
        active[r->index] = 1;
        log_t l = {0};
        size_t passed = 0;
        assert_int_equal(zl_selftest(p, active, record, &l, &passed), 1);
        assert_int_equal(passed, w);
        const outcome *o = find(&l, "t.good", 0, 0);
        assert_non_null(o);
        assert_false(o->ok);
        assert_string_equal(o->detail, cases[c].detail);
        zl_pack_free(p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_and_details),
        cmocka_unit_test(test_active_filter),
        cmocka_unit_test(test_missing_examples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
