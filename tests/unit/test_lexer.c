/*
 * test_lexer.c - the rule-language lexer: token kinds, texts and line:col
 * positions (columns in code points), escapes, keywords, and lexical errors.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsl/lexer.h"
#include "util/buf.h"

/* Renders every token of `src` as "KIND@line:col" or "KIND(text)@line:col",
 * space separated, up to end of file. */
static char *lex_all(const char *text, zl_diags *d)
{
    zl_arena *a = zl_arena_new();
    zl_src *s = zl_src_new(a, "t.rules", text, strlen(text));
    zl_lexer lx;
    zl_lexer_init(&lx, s, a, d);
    zl_buf b = ZL_BUF_INIT;
    for (int guard = 0; guard < 100; guard++) {
        zl_tok t;
        zl_lexer_next(&lx, &t);
        uint32_t line, col;
        zl_src_pos(s, t.off, &line, &col);
        if (b.len)
            zl_buf_putc(&b, ' ');
        switch (t.kind) {
        case ZL_TK_EOF: zl_buf_printf(&b, "EOF@%u:%u", line, col); break;
        case ZL_TK_ERROR: zl_buf_printf(&b, "ERR@%u:%u", line, col); break;
        case ZL_TK_WORD: zl_buf_printf(&b, "W(%.*s)@%u:%u", (int)t.text_len, t.text, line, col); break;
        case ZL_TK_STRING: zl_buf_printf(&b, "S(%.*s)@%u:%u", (int)t.text_len, t.text, line, col); break;
        case ZL_TK_REGEX: zl_buf_printf(&b, "R(%.*s)@%u:%u", (int)t.text_len, t.text, line, col); break;
        case ZL_TK_NUMBER: zl_buf_printf(&b, "N(%llu)@%u:%u", (unsigned long long)t.num, line, col); break;
        case ZL_TK_DATE: zl_buf_printf(&b, "D(%llu)@%u:%u", (unsigned long long)t.num, line, col); break;
        default: zl_buf_printf(&b, "%s@%u:%u", zl_tk_name(t.kind), line, col); break;
        }
        if (t.kind == ZL_TK_EOF)
            break;
    }
    zl_arena_free(a);
    return zl_buf_detach(&b, NULL);
}

static const struct {
    const char *in;
    const char *want;
} lex_cases[] = {
    {"", "EOF@1:1"},
    {"  # only a comment\n", "EOF@2:1"},
    {"rule kz94v.cross-border.basis {",
     "'rule'@1:1 W(kz94v.cross-border.basis)@1:6 '{'@1:31 EOF@1:32"},
    {"define pd = \"дербес дерек*\" | consent",
     "'define'@1:1 W(pd)@1:8 '='@1:11 S(дербес дерек*)@1:13 '|'@1:29 W(consent)@1:31 EOF@1:38"},
    /* columns count code points, not bytes */
    {"\"қазақ\" & \"ә\"\n  /бин\\/иин/ near/12 x",
     "S(қазақ)@1:1 '&'@1:9 S(ә)@1:11 R(бин/иин)@2:3 'near'@2:14 '/'@2:18 N(12)@2:19 W(x)@2:22 "
     "EOF@2:23"},
    /* `/` after whitespace starts a regex even after near */
    {"a near /x/", "W(a)@1:1 'near'@1:3 R(x)@1:8 EOF@1:11"},
    {"a then/3 b", "W(a)@1:1 'then'@1:3 '/'@1:7 N(3)@1:8 W(b)@1:10 EOF@1:11"},
    {"since 2016-01-01 until 2099-12-31",
     "'since'@1:1 D(20160101)@1:7 'until'@1:18 D(20991231)@1:24 EOF@1:34"},
    {"require at-least 4 of (a, b,)",
     "'require'@1:1 'at-least'@1:9 N(4)@1:18 'of'@1:20 '('@1:23 W(a)@1:24 ','@1:25 W(b)@1:27 "
     "','@1:28 ')'@1:29 EOF@1:30"},
    /* escapes; a string spans lines */
    {"\"a\\\"b\\\\c\\nd\"\n\"x\ny\" z",
     "S(a\"b\\c\nd)@1:1 S(x\ny)@2:1 W(z)@3:4 EOF@3:5"},
    /* regex escapes other than \/ are kept for PCRE2 */
    {"/\\bбин\\b\\d{12}/", "R(\\bбин\\b\\d{12})@1:1 EOF@1:16"},
    {"severity error warning info pass fail ru kk en in not",
     "'severity'@1:1 'error'@1:10 'warning'@1:16 'info'@1:24 'pass'@1:29 'fail'@1:34 'ru'@1:39 "
     "'kk'@1:42 'en'@1:45 'in'@1:48 'not'@1:51 EOF@1:54"},
    {"sentence clause paragraph section document unless when forbid as",
     "'sentence'@1:1 'clause'@1:10 'paragraph'@1:17 'section'@1:27 'document'@1:35 "
     "'unless'@1:44 'when'@1:51 'forbid'@1:56 'as'@1:63 EOF@1:65"},
    {"title message suggest anchor tags article pack version",
     "'title'@1:1 'message'@1:7 'suggest'@1:15 'anchor'@1:23 'tags'@1:30 'article'@1:35 "
     "'pack'@1:43 'version'@1:48 EOF@1:55"},
    {"\r\nrule\r\n}", "'rule'@2:1 '}'@3:1 EOF@3:2"},
};

static void test_tokens(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof lex_cases / sizeof lex_cases[0]; i++) {
        zl_diags d = {0};
        char *got = lex_all(lex_cases[i].in, &d);
        if (strcmp(got, lex_cases[i].want) != 0 || d.count) {
            print_error("case %zu: %s\n  got:  %s\n  want: %s\n  diags: %zu\n", i, lex_cases[i].in,
                        got, lex_cases[i].want, d.count);
            fail();
        }
        free(got);
        zl_diags_free(&d);
    }
}

/* Lexical errors: input -> the first diagnostic "line:col: message". */
static const struct {
    const char *in;
    const char *want;
} err_cases[] = {
    {"rule \"abc", "1:6: unterminated string"},
    {"a | /x\n/", "1:5: unterminated regex"},
    {"\"a\\tb\"", "1:3: unknown escape '\\t' in string (use \\\" \\\\ or \\n)"},
    {"since 2016-1-01", "1:7: invalid date '2016-1-01' (expected YYYY-MM-DD)"},
    {"near/99999999999", "1:6: number '99999999999' is too large"},
    {"x\n  \"ҚҚ\" @", "2:8: unexpected character '@'"},
    {"define согласие", "1:8: unexpected character 'с' (words to match go in quotes)"},
    {"\"қ\" $", "1:5: unexpected character '$'"},
    {"a\tb\x01", "1:4: unexpected control character U+0001"},
    {"12ab", "1:1: malformed number '12ab'"},
};

static void test_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof err_cases / sizeof err_cases[0]; i++) {
        zl_diags d = {0};
        char *got = lex_all(err_cases[i].in, &d);
        char first[256] = "(none)";
        if (d.count)
            snprintf(first, sizeof first, "%u:%u: %s", d.items[0].line, d.items[0].col,
                     d.items[0].message);
        if (strcmp(first, err_cases[i].want) != 0 || !strstr(got, "ERR@")) {
            print_error("case %zu: %s\n  got:  %s\n  want: %s\n  tokens: %s\n", i, err_cases[i].in,
                        first, err_cases[i].want, got);
            fail();
        }
        assert_non_null(d.items[0].source_line);
        free(got);
        zl_diags_free(&d);
    }
}

static void test_positions(void **state)
{
    (void)state;
    zl_arena *a = zl_arena_new();
    const char *text = "ab\nқазақ x\n\nz";
    zl_src *s = zl_src_new(a, "p.rules", text, strlen(text));
    static const struct {
        size_t off;
        uint32_t line, col;
    } want[] = {{0, 1, 1}, {2, 1, 3}, {3, 2, 1}, {13, 2, 6}, {14, 2, 7}, {16, 3, 1}, {17, 4, 1},
                {18, 4, 2}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        uint32_t line, col;
        zl_src_pos(s, want[i].off, &line, &col);
        assert_int_equal(line, want[i].line);
        assert_int_equal(col, want[i].col);
    }
    assert_int_equal(zl_src_check_utf8(s), SIZE_MAX);
    zl_src *bad = zl_src_new(a, "b.rules", "ok \"\xd0\" x", 8);
    assert_int_equal(zl_src_check_utf8(bad), 4);
    zl_arena_free(a);
}

static void test_keyword_table(void **state)
{
    (void)state;
    assert_int_equal(zl_tk_keyword("at-least", 8), ZL_TK_AT_LEAST);
    assert_int_equal(zl_tk_keyword("document", 8), ZL_TK_DOCUMENT);
    assert_int_equal(zl_tk_keyword("documents", 9), ZL_TK_WORD);
    assert_int_equal(zl_tk_keyword("Rule", 4), ZL_TK_WORD);
    assert_string_equal(zl_tk_name(ZL_TK_RBRACE), "'}'");
    assert_string_equal(zl_tk_name(ZL_TK_EOF), "end of file");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_keyword_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
