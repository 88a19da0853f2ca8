/*
 * test_ignore.c - gitignore-style patterns (src/util/glob.c) as used by
 * --include, --exclude and .zanlintignore: the wildcard matcher, pattern
 * line parsing (comments, negation, escapes, anchoring, directory-only) and
 * matching relative paths.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "util/glob.h"

static void test_wildmatch(void **state)
{
    (void)state;
    static const struct {
        const char *pat, *path;
        int want;
    } rows[] = {
        {"*.txt", "a.txt", 1},
        {"*.txt", "a.md", 0},
        {"*.txt", "d/a.txt", 0},       /* '*' stays within a component */
        {"a?c", "abc", 1},
        {"a?c", "a/c", 0},             /* '?' never matches '/' */
        {"a?c", "ac", 0},
        {"[ab]x", "bx", 1},
        {"[!ab]x", "bx", 0},
        {"[^ab]x", "cx", 1},
        {"[a-c]x", "cx", 1},
        {"[a-c]x", "dx", 0},
        {"[]]x", "]x", 1},
        {"a[/]b", "a/b", 0},           /* classes never match '/' */
        {"[abc", "[abc", 1},           /* unclosed: literal */
        {"\\*x", "*x", 1},
        {"\\*x", "ax", 0},
        {"**", "a/b/c", 1},
        {"**/x.txt", "x.txt", 1},
        {"**/x.txt", "a/b/x.txt", 1},
        {"**/x.txt", "a/bx.txt", 0},
        {"a/**", "a/b/c.txt", 1},
        {"a/**", "a", 0},
        {"a/**", "ab/c", 0},
        {"a/**/b", "a/b", 1},
        {"a/**/b", "a/x/y/b", 1},
        {"a/**/b", "a/x/yb", 0},
        {"a**b", "axxb", 1},           /* not a whole component: like '*' */
        {"a**b", "ax/b", 0},
        {"*", "", 1},
        {"", "", 1},
        {"", "a", 0},
        {"*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (zl_wildmatch(rows[i].pat, rows[i].path) != rows[i].want)
            fail_msg("wildmatch('%s', '%s') != %d", rows[i].pat, rows[i].path, rows[i].want);
    }
}

static void test_parse(void **state)
{
    (void)state;
    static const struct {
        const char *line;
        int ok;
        const char *pattern;
        unsigned flags;
    } rows[] = {
        {"", 0, NULL, 0},
        {"   ", 0, NULL, 0},
        {"# comment", 0, NULL, 0},
        {"\\#hash", 1, "#hash", 0},
        {"!keep.txt", 1, "keep.txt", ZL_GLOB_NEGATE},
        {"\\!bang", 1, "!bang", 0},
        {"build/", 1, "build", ZL_GLOB_DIRONLY},
        {"/root.txt", 1, "root.txt", ZL_GLOB_ANCHORED},
        {"a/b.txt", 1, "a/b.txt", ZL_GLOB_ANCHORED},
        {"!/a/b/", 1, "a/b", ZL_GLOB_NEGATE | ZL_GLOB_ANCHORED | ZL_GLOB_DIRONLY},
        {"x.txt   ", 1, "x.txt", 0},
        {"x\\ ", 1, "x\\ ", 0},
        {"crlf.txt\r", 1, "crlf.txt", 0},
        {"/", 0, NULL, 0},
        {"!", 0, NULL, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        zl_gitglob g;
        int ok = zl_gitglob_parse(&g, rows[i].line, strlen(rows[i].line));
        if (ok != rows[i].ok)
            fail_msg("parse('%s') returned %d", rows[i].line, ok);
        if (ok) {
            assert_string_equal(g.pattern, rows[i].pattern);
            assert_int_equal(g.flags, rows[i].flags);
        }
        zl_gitglob_free(&g);
    }
}

static void test_match(void **state)
{
    (void)state;
    static const struct {
        const char *line, *rel;
        int is_dir, want;
    } rows[] = {
        {"*.md", "a.md", 0, 1},
        {"*.md", "deep/er/a.md", 0, 1},       /* unanchored: the last component */
        {"draft*", "x/draft-2.txt", 0, 1},
        {"/draft*", "x/draft-2.txt", 0, 0},   /* anchored to the base */
        {"/draft*", "draft-2.txt", 0, 1},
        {"x/draft*", "x/draft-2.txt", 0, 1},
        {"x/draft*", "y/x/draft-2.txt", 0, 0},
        {"**/x/draft*", "y/x/draft-2.txt", 0, 1},
        {"old/", "old", 1, 1},
        {"old/", "old", 0, 0},                /* directory-only */
        {"old/", "a/old", 1, 1},
        {"a/old/", "a/old", 1, 1},
        {"!keep.txt", "keep.txt", 0, 1},     /* negation is the caller's business */
        {"\\ lead", " lead", 0, 1},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        zl_gitglob g;
        assert_int_equal(zl_gitglob_parse(&g, rows[i].line, strlen(rows[i].line)), 1);
        if (zl_gitglob_match(&g, rows[i].rel, rows[i].is_dir) != rows[i].want)
            fail_msg("'%s' on '%s' (dir %d) != %d", rows[i].line, rows[i].rel, rows[i].is_dir,
                     rows[i].want);
        zl_gitglob_free(&g);
    }
    zl_gitglob_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wildmatch),
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_match),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
