/*
 * test_parser.c - the rule-language parser: a table of bad rule texts, each
 * with the exact first diagnostic "name:line:col: message", recovery (one run
 * reports every error), and the tree built for a good file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsl/ast.h"

/* The tail every well-formed rule needs. */
#define OK_TAIL "  message ru \"m\"\n  pass \"p\"\n  fail \"f\"\n"

static void render(const zl_diag *g, char *out, size_t n)
{
    snprintf(out, n, "%s:%u:%u: %s", g->path ? g->path : "-", g->line, g->col, g->message);
}

static const struct {
    const char *src;
    const char *want; /* the first diagnostic */
} cases[] = {
    {"rule a {\n  severity error\n" OK_TAIL "  require \"x\"\n\nrule b {}",
     "t.rules:8:1: expected '}' to close 'rule' at line 1, got 'rule'"},
    {"rule a {\n  severity fatal\n}", "t.rules:2:12: expected 'error', 'warning' or 'info' after "
                                       "'severity', got 'fatal'"},
    {"rule a {\n  severity error\n" OK_TAIL "  require \"a\" | | \"b\"\n}",
     "t.rules:6:15: empty alternative"},
    {"rule a {\n  severity error\n" OK_TAIL "  require \"a\" |\n}", "t.rules:6:15: empty alternative"},
    {"rule a {\n  severity error\n" OK_TAIL "  require \"a\" near/0 \"b\"\n}",
     "t.rules:6:15: near/0: distance must be at least 1"},
    {"rule a {\n  severity error\n" OK_TAIL "  require \"a\" then/0 \"b\"\n}",
     "t.rules:6:15: then/0: distance must be at least 1"},
    {"rule a {\n  severity error\n" OK_TAIL "  require \"a\" near/x \"b\"\n}",
     "t.rules:6:20: expected number after 'near/', got 'x'"},
    {"rule a {\n  severity error\n" OK_TAIL "  require \"a\" in sentense\n}",
     "t.rules:6:18: unknown scope 'sentense' (expected sentence, clause, paragraph, section or "
     "document)"},
    {"rule a {\n  severity error\n" OK_TAIL "  since 2023-02-29\n  require \"a\"\n}",
     "t.rules:6:9: invalid date '2023-02-29'"},
    {"rule a {\n  severity error\n" OK_TAIL
     "  since 2020-01-01\n  until 2019-12-31\n  require \"a\"\n}",
     "t.rules:7:9: 'since' 2020-01-01 is not before 'until' 2019-12-31"},
    {"rule a {\n  severity error\n  severity info\n" OK_TAIL "  require \"a\"\n}",
     "t.rules:3:3: duplicate 'severity' in rule 'a' (first at line 2)"},
    {"rule a {\n  severity error\n" OK_TAIL "  message en \"e\"\n  require \"a\"\n}",
     "t.rules:6:3: duplicate 'message' in rule 'a' (first at line 3)"},
    {"rule a {\n  severity error\n  title ru \"a\" ru \"b\"\n" OK_TAIL "  require \"a\"\n}",
     "t.rules:3:16: duplicate 'ru' text"},
    {"rule a {\n  severity error\n" OK_TAIL "  require at-least 5 of (\"a\", \"b\", \"c\", \"d\")\n}",
     "t.rules:6:20: at-least 5 of 4 members"},
    {"rule a {\n  severity error\n" OK_TAIL "  require at-least 0 of (\"a\")\n}",
     "t.rules:6:20: at-least 0: the count must be at least 1"},
    {"rule a {\n  severity error\n" OK_TAIL "  require at-least 1 of (\"a\" \"b\")\n}",
     "t.rules:6:30: expected ')' to close '(' at line 6, got string"},
    {"rule x {\n  message ru \"m\"\n  pass \"p\"\n  fail \"f\"\n  require \"a\"\n}",
     "t.rules:1:6: rule 'x' has no 'severity'"},
    {"rule x {\n  severity info\n  pass \"p\"\n  fail \"f\"\n  require \"a\"\n}",
     "t.rules:1:6: rule 'x' has no 'message'"},
    {"rule x {\n  severity info\n  message en \"e\"\n  pass \"p\"\n  fail \"f\"\n  require \"a\"\n}",
     "t.rules:1:6: rule 'x' has no 'ru' message"},
    {"rule x {\n  severity info\n  message ru \"m\"\n  fail \"f\"\n  require \"a\"\n}",
     "t.rules:1:6: rule 'x' has no 'pass' example"},
    {"rule x {\n  severity info\n  message ru \"m\"\n  pass \"p\"\n  require \"a\"\n}",
     "t.rules:1:6: rule 'x' has no 'fail' example"},
    {"rule x {\n  severity info\n" OK_TAIL "}", "t.rules:1:6: rule 'x' has no 'require' or 'forbid'"},
    {"rule x {\n  severity info\n" OK_TAIL "  when \"a\"\n}",
     "t.rules:7:1: expected 'require' or 'forbid' after 'when', got '}'"},
    {"rule x {\n  severity info\n" OK_TAIL "  forbid \"a\" unless\n}",
     "t.rules:7:1: expected expression, got '}'"},
    {"rule x {\n  severity info\n" OK_TAIL "  require (\"a\" | \"b\"\n}",
     "t.rules:7:1: expected ')' to close '(' at line 6, got '}'"},
    {"rule x {\n  severity info\n" OK_TAIL "  require Consent\n}",
     "t.rules:6:11: invalid name 'Consent' (names are lower-case letters, digits and '_')"},
    {"rule x {\n  severity info\n" OK_TAIL "  require \"a\" & \n}",
     "t.rules:7:1: expected expression after '&', got '}'"},
    {"rule x {\n  severity info\n" OK_TAIL "  tags a,\n}", "t.rules:7:1: expected tag, got '}'"},
    {"rule x {\n  severity info\n" OK_TAIL "  title \"a\"\n}",
     "t.rules:6:9: expected 'ru', 'kk' or 'en' after 'title', got string"},
    {"rule x {\n  severity info\n" OK_TAIL "  article 12\n}",
     "t.rules:6:11: expected string after 'article', got '12'"},
    {"rule x {\n  severity info\n" OK_TAIL "  since \"2016\"\n}",
     "t.rules:6:9: expected date (YYYY-MM-DD) after 'since', got string"},
    {"rule {", "t.rules:1:6: expected rule id after 'rule', got '{'"},
    {"rule x severity", "t.rules:1:8: expected '{' after the rule id, got 'severity'"},
    {"define = \"a\"", "t.rules:1:8: expected name after 'define', got '='"},
    {"define rule = \"a\"", "t.rules:1:8: expected name after 'define', got 'rule'"},
    {"define a \"a\"", "t.rules:1:10: expected '=' after the defined name, got string"},
    {"define a = ", "t.rules:1:12: expected expression, got end of file"},
    {"pack kz version 1", "t.rules:1:17: expected string after 'version', got '1'"},
    {"severity error", "t.rules:1:1: expected 'rule', 'define' or 'pack', got 'severity'"},
    {"}", "t.rules:1:1: expected 'rule', 'define' or 'pack', got '}'"},
    {"define a = \"x\n", "t.rules:1:12: unterminated string"},
    {"define a = /x(\n", "t.rules:1:12: unterminated regex"},
    {"define a = \"x\" # \xff\n", "t.rules:1:18: invalid UTF-8 byte 0xFF"},
    {"# каз\ndefine a = \"қ\" \xd0", "t.rules:2:16: invalid UTF-8 byte 0xD0"},
    {"define a = ((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((("
     "((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((("
     "((((((((((((((((((((((((((((((((((((((\"x\"",
     "t.rules:1:212: expression nested too deeply (more than 200 levels)"},
};

static void test_first_error(void **state)
{
    (void)state;
    int bad = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        zl_arena *a = zl_arena_new();
        zl_diags d = {0};
        zl_src *s = zl_src_new(a, "t.rules", cases[i].src, strlen(cases[i].src));
        zl_ast_file f;
        size_t n = zl_parse(a, s, &f, &d);
        char got[512] = "(no diagnostic)";
        if (d.count)
            render(&d.items[0], got, sizeof got);
        if (n == 0 || d.count == 0 || strcmp(got, cases[i].want) != 0 ||
            d.items[0].source_line == NULL || d.items[0].caret_len < 1) {
            print_error("case %zu:\n%s\n  got:  %s\n  want: %s\n", i, cases[i].src, got,
                        cases[i].want);
            bad++;
        }
        zl_diags_free(&d);
        zl_arena_free(a);
    }
    assert_int_equal(bad, 0);
}

/* After an error the parser resumes at the next rule/define/pack. */
static void test_recovery(void **state)
{
    (void)state;
    const char *src = "rule a {\n"
                      "  severity fatal\n"          /* 2: syntax error, rule a skipped */
                      "}\n"
                      "define x = \"a\" | | \"b\"\n" /* 4: empty alternative */
                      "rule b {\n"
                      "  severity error\n" OK_TAIL
                      "  require \"a\" in sentense\n" /* 10: unknown scope */
                      "}\n"
                      "define y = \"ok\"\n"
                      "rule c {\n"
                      "  severity warning\n" OK_TAIL
                      "  require y\n"
                      "}\n";
    static const char *const want[] = {
        "t.rules:2:12: expected 'error', 'warning' or 'info' after 'severity', got 'fatal'",
        "t.rules:4:16: empty alternative",
        ("t.rules:10:18: unknown scope 'sentense' (expected sentence, clause, paragraph, section or "
         "document)"),
    };
    zl_arena *a = zl_arena_new();
    zl_diags d = {0};
    zl_src *s = zl_src_new(a, "t.rules", src, strlen(src));
    zl_ast_file f;
    assert_int_equal(zl_parse(a, s, &f, &d), 3);
    assert_int_equal(d.count, 3);
    for (size_t i = 0; i < 3; i++) {
        char got[512];
        render(&d.items[i], got, sizeof got);
        assert_string_equal(got, want[i]);
    }
    /* rule c and define y survived */
    assert_non_null(f.rules);
    assert_string_equal(f.rules->id, "c");
    assert_null(f.rules->next);
    assert_non_null(f.defines);
    assert_string_equal(f.defines->name, "y");
    zl_diags_free(&d);
    zl_arena_free(a);
}

/* The tree of a good rule: precedence, defaults, metadata. */
static void test_tree(void **state)
{
    (void)state;
    const char *src = "pack demo version \"2.1\"\n"
                      "rule kz94v.x-y_z {\n"
                      "  severity warning\n"
                      "  article \"ст. 12 п. 2\"\n"
                      "  since 2016-01-01\n"
                      "  until 2030-01-01\n"
                      "  title ru \"Т\" kk \"Қ\" en \"T\"\n"
                      "  message ru \"a\\\"b\\nc\"\n"
                      "  suggest kk \"қ\"\n"
                      "  anchor \"h\"\n"
                      "  tags one, two-2\n"
                      "  when \"w\" in section\n"
                      "  when \"v\"\n"
                      "  require \"a\" | \"b\" & not \"c\" near \"d\" then/3 \"e\" in paragraph\n"
                      "  forbid /re/ unless x\n"
                      "  require at-least 1 of (\"m\" as ru \"М\" en \"M\", n,) in document\n"
                      "  pass \"p1\"\n"
                      "  fail \"f1\"\n"
                      "  pass \"p2\"\n"
                      "}\n";
    zl_arena *a = zl_arena_new();
    zl_diags d = {0};
    zl_src *s = zl_src_new(a, "t.rules", src, strlen(src));
    zl_ast_file f;
    assert_int_equal(zl_parse(a, s, &f, &d), 0);
    assert_int_equal(d.count, 0);
    assert_string_equal(f.packs->name, "demo");
    assert_string_equal(f.packs->version, "2.1");
    const zl_ast_rule *r = f.rules;
    assert_string_equal(r->id, "kz94v.x-y_z");
    assert_int_equal(r->severity, ZL_SEV_WARNING);
    assert_string_equal(r->article, "ст. 12 п. 2");
    assert_int_equal(r->since, 20160101);
    assert_int_equal(r->until, 20300101);
    assert_string_equal(r->title[ZL_MSG_KK], "Қ");
    assert_string_equal(r->message[ZL_MSG_RU], "a\"b\nc");
    assert_null(r->message[ZL_MSG_EN]);
    assert_string_equal(r->suggest[ZL_MSG_KK], "қ");
    assert_int_equal(r->anchor->kind, ZL_AST_STRING);
    assert_int_equal(r->n_tags, 2);
    assert_string_equal(r->tags[1], "two-2");
    assert_int_equal(r->n_stmts, 3);

    const zl_ast_stmt *st = &r->stmts[0];
    assert_int_equal(st->kind, ZL_ST_REQUIRE);
    assert_int_equal(st->scope, ZL_SCOPE_PARAGRAPH);
    assert_int_equal(st->n_whens, 2);
    assert_int_equal(st->whens[0].has_scope, 1);
    assert_int_equal(st->whens[0].scope, ZL_SCOPE_SECTION);
    assert_int_equal(st->whens[1].has_scope, 0);
    /* "a" | ("b" & (((not "c") near "d") then/3 "e")) */
    const zl_ast_expr *e = st->expr;
    assert_int_equal(e->kind, ZL_AST_OR);
    assert_string_equal(e->a->text, "a");
    assert_int_equal(e->b->kind, ZL_AST_AND);
    const zl_ast_expr *t = e->b->b;
    assert_int_equal(t->kind, ZL_AST_THEN);
    assert_int_equal(t->dist, 3);
    assert_int_equal(t->a->kind, ZL_AST_NEAR);
    assert_int_equal(t->a->dist, 10);
    assert_int_equal(t->a->a->kind, ZL_AST_NOT);
    assert_string_equal(t->a->a->a->text, "c");

    st = &r->stmts[1];
    assert_int_equal(st->kind, ZL_ST_FORBID);
    assert_int_equal(st->scope, ZL_SCOPE_SENTENCE);
    assert_int_equal(st->expr->kind, ZL_AST_REGEX);
    assert_int_equal(st->unless->kind, ZL_AST_NAME);

    st = &r->stmts[2];
    assert_int_equal(st->kind, ZL_ST_REQUIRE_AT_LEAST);
    assert_int_equal(st->n_members, 2);
    assert_int_equal(st->at_least, 1);
    assert_string_equal(st->members[0].label[ZL_MSG_RU], "М");
    assert_null(st->members[0].label[ZL_MSG_KK]);
    assert_int_equal(st->scope, ZL_SCOPE_DOCUMENT);

    assert_int_equal(r->n_examples, 3);
    assert_int_equal(r->examples[1].pass, 0);
    assert_string_equal(r->examples[1].text, "f1");
    assert_int_equal(r->examples[2].line, 19);
    zl_diags_free(&d);
    zl_arena_free(a);
}

static void test_dates(void **state)
{
    (void)state;
    static const struct {
        uint64_t v;
        int ok;
    } c[] = {{20240229, 1}, {20230229, 0}, {21000229, 0}, {20000229, 1}, {20241301, 0},
             {20240431, 0}, {20240100, 0}, {20241231, 1}, {18991231, 0}};
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
        assert_int_equal(zl_date_valid(c[i].v), c[i].ok);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_error),
        cmocka_unit_test(test_recovery),
        cmocka_unit_test(test_tree),
        cmocka_unit_test(test_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
