/*
 * test_compile.c - the rule compiler and pack loader: semantic errors with
 * their positions (unknown names, cycles, duplicates, bad regexes with the
 * mapped column, empty atoms), normalization of match words, atom
 * deduplication, sorting, pack name/version, and the demo pack.
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

#define OK_TAIL "  message ru \"m\"\n  pass \"p\"\n  fail \"f\"\n"
#define RULE(id, body) "rule " id " {\n  severity error\n" OK_TAIL body "}\n"

static void render(const zl_diag *g, char *out, size_t n)
{
    snprintf(out, n, "%s:%u:%u: %s", g->path ? g->path : "-", g->line, g->col, g->message);
}

/* Loads `n` named sources and compiles; returns the compile result. */
static int load(zl_pack **out, zl_diags *d, size_t n, const char *const *names,
                const char *const *texts)
{
    zl_pack_new(out);
    for (size_t i = 0; i < n; i++)
        zl_pack_add_source(*out, names[i], texts[i], strlen(texts[i]), d);
    return zl_pack_compile(*out, d);
}

static const struct {
    const char *src;
    const char *want; /* every diagnostic, joined with '\n' */
} cases[] = {
    {"define consent = \"согласи*\"\n" RULE("a", "  require consnet\n"),
     "c.rules:7:11: unknown name 'consnet'"},
    {"define a = \"x\" | b\ndefine b = c\ndefine c = a near \"y\"\n" RULE("r", "  require a\n"),
     "c.rules:3:12: define 'a' refers to itself through 'b' -> 'c'"},
    {"define a = \"x\" | a\n" RULE("r", "  require \"z\"\n"),
     "c.rules:1:18: define 'a' refers to itself"},
    {"define a = \"x\"\ndefine a = \"y\"\n" RULE("r", "  require a\n"),
     "c.rules:2:8: duplicate define 'a' (first defined at c.rules:1)"},
    {RULE("kz94v.x", "  require \"a\"\n") RULE("kz94v.x", "  require \"b\"\n"),
     "c.rules:8:6: duplicate rule id 'kz94v.x' (first defined at c.rules:1)"},
    /* the error offset of PCRE2 is mapped to the column of the offending character */
    {RULE("r", "  require /бин(\\d{12}/\n"), "c.rules:6:22: bad regex: missing closing parenthesis"},
    {RULE("r", "  require /ә\\/x+++/\n"),
     "c.rules:6:18: bad regex: quantifier does not follow a repeatable item"},
    {RULE("r", "  require /a|/\n"), "c.rules:6:11: regex can match the empty string"},
    {RULE("r", "  require \"\"\n"), "c.rules:6:11: string matches nothing"},
    {RULE("r", "  require \" - \"\n") , NULL},
    {RULE("r", "  require \"*\"\n"),
     "c.rules:6:11: '*' alone matches nothing: write a stem before it"},
    {RULE("r", "  require \"со*гласие\"\n"),
     "c.rules:6:11: '*' may only end a word (in \"со*гласие\")"},
    {RULE("r", "  require \"a\" | x\n  forbid y unless /(/\n"),
     "c.rules:6:17: unknown name 'x'\nc.rules:7:10: unknown name 'y'\n"
     "c.rules:7:21: bad regex: missing closing parenthesis"},
};

static void test_errors(void **state)
{
    (void)state;
    int bad = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        zl_pack *p;
        zl_diags d = {0};
        const char *name = "c.rules";
        int rc = load(&p, &d, 1, &name, &cases[i].src);
        char all[2048] = "";
        size_t used = 0;
        for (size_t k = 0; k < d.count && used < sizeof all - 1; k++) {
            char one[512];
            render(&d.items[k], one, sizeof one);
            used += (size_t)snprintf(all + used, sizeof all - used, "%s%s", k ? "\n" : "", one);
            if (!d.items[k].source_line)
                bad++;
        }
        const char *want = cases[i].want;
        if (!want) { /* " - " is punctuation: it matches a '-' token, no error */
            if (rc != ZL_OK) {
                print_error("case %zu: unexpected: %s\n", i, all);
                bad++;
            }
        } else if (rc != ZL_ERR || strcmp(all, want) != 0) {
            print_error("case %zu:\n%s\n  got:  %s\n  want: %s\n", i, cases[i].src, all, want);
            bad++;
        }
        zl_diags_free(&d);
        zl_pack_free(p);
    }
    assert_int_equal(bad, 0);
}

/* Errors from several files and both passes, one run. */
static void test_many_errors(void **state)
{
    (void)state;
    const char *names[] = {"a.rules", "b.rules"};
    const char *texts[] = {
        RULE("r1", "  require lex | nope\n") "rule r2 {\n  severity bad\n}\n"
        RULE("r3", "  require \"x\" near/0 \"y\"\n"),
        "define lex = \"a\"\n" RULE("r1", "  require /[/\n"),
    };
    zl_pack *p;
    zl_diags d = {0};
    assert_int_equal(load(&p, &d, 2, names, texts), ZL_ERR);
    static const char *const want[] = {
        "a.rules:9:12: expected 'error', 'warning' or 'info' after 'severity', got 'bad'",
        "a.rules:16:15: near/0: distance must be at least 1",
        "a.rules:6:17: unknown name 'nope'",
        "b.rules:2:6: duplicate rule id 'r1' (first defined at a.rules:1)",
        "b.rules:7:13: bad regex: missing terminating ] for character class",
    };
    assert_int_equal(d.count, 5);
    assert_int_equal(d.errors, 5);
    for (size_t i = 0; i < 5; i++) {
        char got[512];
        render(&d.items[i], got, sizeof got);
        assert_string_equal(got, want[i]);
    }
    zl_diags_free(&d);
    zl_pack_free(p);
}

/* Match words are normalized and tokenized like documents. */
static void test_words(void **state)
{
    (void)state;
    static const struct {
        const char *word;
        const char *terms; /* "text" or "text*" per term, space separated */
    } c[] = {
        {"Согласи*", "согласи*"},
        {"c\xd0\xbe\xd0\xb3\xd0\xbb\xd0\xb0\xd1\x81\xd0\xb8\xd0\xb5", "согласие"}, /* Latin c */
        {"дербес дерек*", "дербес дерек*"},
        {"  ЁЛКА   ", "елка"},
        {"трансграничн* передач*", "трансграничн* передач*"},
        {"Қазақстан Республикасы", "қазақстан республикасы"},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        char src[512];
        snprintf(src, sizeof src, RULE("r", "  require \"%s\"\n"), c[i].word);
        zl_pack *p;
        zl_diags d = {0};
        const char *name = "w.rules", *text = src;
        assert_int_equal(load(&p, &d, 1, &name, &text), ZL_OK);
        assert_int_equal(zl_pack_atom_count(p), 1);
        const zl_atom *a = zl_pack_atom(p, 0);
        assert_int_equal(a->kind, ZL_ATOM_PHRASE);
        char got[256] = "";
        size_t used = 0;
        for (uint32_t t = 0; t < a->n_terms; t++)
            used += (size_t)snprintf(got + used, sizeof got - used, "%s%.*s%s", t ? " " : "",
                                     (int)a->terms[t].len, a->terms[t].text,
                                     a->terms[t].prefix ? "*" : "");
        if (strcmp(got, c[i].terms) != 0) {
            print_error("word %zu '%s': got '%s', want '%s'\n", i, c[i].word, got, c[i].terms);
            fail();
        }
        assert_string_equal(a->file, "w.rules");
        uint32_t line, col;
        zl_pack_atom_pos(a, &line, &col);
        assert_int_equal(line, 6);
        assert_int_equal(col, 11);
        zl_diags_free(&d);
        zl_pack_free(p);
    }
}

/* One atom per distinct phrase or regex across the whole pack. */
static void test_dedup(void **state)
{
    (void)state;
    const char *names[] = {"one.rules", "two.rules"};
    const char *texts[] = {
        RULE("b.second", "  require \"согласи*\" & /\\d+/\n"),
        "define c = \"СОГЛАСИ*\"\n" RULE("a.first", "  require c | \"согласи\" | /\\d+/\n"),
    };
    zl_pack *p;
    zl_diags d = {0};
    assert_int_equal(load(&p, &d, 2, names, texts), ZL_OK);
    assert_int_equal(d.count, 0);
    /* согласи* (shared), /\d+/ (shared), согласи (exact: a different atom) */
    assert_int_equal(zl_pack_atom_count(p), 3);
    const zl_rule *a = zl_pack_rule(p, 0), *b = zl_pack_rule(p, 1);
    assert_string_equal(a->id, "a.first");
    assert_string_equal(b->id, "b.second");
    assert_int_equal(a->index, 0);
    assert_int_equal(b->index, 1);
    assert_ptr_equal(zl_pack_find(p, "b.second"), b);
    assert_null(zl_pack_find(p, "c"));
    /* b: AND(согласи*, /\d+/); a: OR(OR(c, согласи), /\d+/) */
    const zl_expr *eb = b->stmts[0].expr, *ea = a->stmts[0].expr;
    assert_int_equal(eb->kind, ZL_EX_AND);
    assert_int_equal(ea->kind, ZL_EX_OR);
    assert_int_equal(ea->a->a->atom, eb->a->atom);
    assert_int_equal(ea->b->atom, eb->b->atom);
    assert_int_not_equal(ea->a->b->atom, eb->a->atom);
    assert_int_equal(zl_pack_atom(p, eb->b->atom)->kind, ZL_ATOM_REGEX);
    assert_non_null(zl_pack_atom(p, eb->b->atom)->re);
    assert_string_equal(a->file, "two.rules");
    assert_int_equal(a->line, 2);
    assert_string_equal(zl_pack_name(p), "custom");
    assert_string_equal(zl_pack_version(p), "0");
    zl_diags_free(&d);
    zl_pack_free(p);
}

/* A define used twice is one shared subtree. */
static void test_shared_define(void **state)
{
    (void)state;
    const char *name = "s.rules";
    const char *text = "define d = \"x\" near/4 \"y\"\n" RULE("r", "  when d in clause\n  require d\n");
    zl_pack *p;
    zl_diags d = {0};
    assert_int_equal(load(&p, &d, 1, &name, &text), ZL_OK);
    const zl_stmt *st = &zl_pack_rule(p, 0)->stmts[0];
    assert_ptr_equal(st->expr, st->whens[0].expr);
    assert_int_equal(st->expr->kind, ZL_EX_NEAR);
    assert_int_equal(st->expr->dist, 4);
    assert_int_equal(st->whens[0].has_scope, 1);
    assert_int_equal(st->whens[0].scope, ZL_SCOPE_CLAUSE);
    assert_int_equal(st->line, 8); /* the require, after its whens */
    zl_diags_free(&d);
    zl_pack_free(p);
}

static void test_demo_pack(void **state)
{
    (void)state;
    zl_pack *p;
    zl_diags d = {0};
    zl_pack_new(&p);
    assert_int_equal(zl_pack_add_path(p, "tests/fixtures/rules/demo", &d), ZL_OK);
    assert_int_equal(zl_pack_compile(p, &d), ZL_OK);
    for (size_t i = 0; i < d.count; i++)
        print_error("%s:%u:%u: %s\n", d.items[i].path, d.items[i].line, d.items[i].col,
                    d.items[i].message);
    assert_int_equal(d.count, 0);
    assert_string_equal(zl_pack_name(p), "demo");
    assert_string_equal(zl_pack_version(p), "1.0");
    assert_true(zl_pack_rule_count(p) >= 7);
    for (uint32_t i = 0; i < zl_pack_rule_count(p); i++) {
        const zl_rule *r = zl_pack_rule(p, i);
        assert_int_equal(r->index, i);
        if (i > 0)
            assert_true(strcmp(zl_pack_rule(p, i - 1)->id, r->id) < 0);
        assert_non_null(r->message[ZL_MSG_RU]);
        assert_true(strncmp(r->file, "tests/fixtures/rules/demo/", 26) == 0);
    }
    const zl_rule *r = zl_pack_find(p, "demo.operator-identity");
    assert_non_null(r);
    assert_int_equal(r->since, 20131125);
    assert_int_equal(r->until, 20991231);
    assert_string_equal(r->suggest[ZL_MSG_RU], "Оператор: ТОО \"Пример\", БИН 123456789012.");
    assert_non_null(r->anchor);
    assert_int_equal(r->n_tags, 2);
    /* adding after compile is refused */
    assert_int_equal(zl_pack_add_source(p, "late.rules", "", 0, &d), ZL_ERR);
    assert_int_equal(zl_pack_compile(p, &d), ZL_ERR);
    zl_diags_free(&d);
    zl_pack_free(p);
}

static void test_paths(void **state)
{
    (void)state;
    zl_pack *p;
    zl_diags d = {0};
    zl_pack_new(&p);
    assert_int_equal(zl_pack_add_path(p, "tests/fixtures/rules/demo/lexicon.rules", &d), ZL_OK);
    assert_int_equal(zl_pack_add_path(p, "tests/fixtures/rules/no-such.rules", &d), ZL_ERR);
    assert_int_equal(d.count, 1);
    assert_int_equal(d.items[0].id, ZL_D_IO_OPEN);
    assert_string_equal(d.items[0].path, "tests/fixtures/rules/no-such.rules");
    assert_int_equal(zl_pack_compile(p, &d), ZL_ERR); /* the earlier error counts */
    zl_diags_free(&d);
    zl_pack_free(p);
    zl_pack_free(NULL);
    assert_string_equal(zl_scope_name(ZL_SCOPE_PARAGRAPH), "paragraph");
    assert_string_equal(zl_scope_name(ZL_SCOPE_DOCUMENT), "document");
}

/* The embedded pack loads (its content belongs to others: only check it parses). */
static void test_embedded(void **state)
{
    (void)state;
    zl_pack *p;
    zl_diags d = {0};
    zl_pack_new(&p);
    zl_pack_add_embedded(p, &d);
    zl_pack_compile(p, &d);
    assert_non_null(zl_pack_name(p));
    zl_diags_free(&d);
    zl_pack_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_many_errors),
        cmocka_unit_test(test_words),
        cmocka_unit_test(test_dedup),
        cmocka_unit_test(test_shared_define),
        cmocka_unit_test(test_demo_pack),
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_embedded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
