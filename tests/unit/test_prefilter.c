/*
 * test_prefilter.c - the regex prefilter's literal extraction (match.c,
 * zl_regex_required): which literals every match of a pattern must contain,
 * which literals every match starts with (the lead set), and "none"
 * whenever the scanner is not certain.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "engine/match.h"

typedef struct pf_case {
    const char *pattern, *want;
} pf_case;

/* The required literals ("a|b & c") or, with lead != 0, the lead set. */
static void describe(const char *pattern, int lead, char *buf, size_t cap)
{
    zl_regex_required(pattern, strlen(pattern), buf, cap);
    char *in = strstr(buf, " ; inner ");
    assert_non_null(in);
    *in = '\0';
    char *sep = strstr(buf, " ; lead ");
    assert_non_null(sep);
    if (lead)
        memmove(buf, sep + 8, strlen(sep + 8) + 1);
    else
        *sep = '\0';
}

static const pf_case cases[] = {
    /* plain literals; runs shorter than 3 bytes are dropped */
    {"согласие", "согласие"},
    {"ab", "none"},
    {"abc", "abc"},
    {"policies.google.com", "policies & google & com"},
    {"ст\\.", "ст."},
    {"a\\.b\\-c", "a.b-c"},
    {"участниках в публичных", "участниках в публичных"},
    /* class escapes, classes, anchors and dots cut runs */
    {"\\bжария\\w*", "жария"},
    {"дербес\\s+деректер", "дербес & деректер"},
    {"abc[xyz]def", "abc & def"},
    {"abc[^]x]def", "abc & def"},
    {"abc.def", "abc & def"},
    {"^abc$", "abc"},
    {"\\d+", "none"},
    {"\\b0\\d{5}\\b", "none"},
    /* quantifiers: minimum 0 drops the item, minimum >= 1 keeps it once */
    {"abcd?ef", "abc"},
    {"abcd*efg", "abc & efg"},
    {"abcd{0,}efg", "abc & efg"},
    {"abcd{,3}efg", "abc & efg"},
    {"abcd{0,3}?efg", "abc & efg"},
    {"abcd+efg", "abcd & efg"},
    {"abcd{2}efg", "abcd & efg"},
    {"abcd{1,}+efg", "abcd & efg"},
    {"жж?жжж", "жжж"},
    /* groups and alternation */
    {"(?:данные|информация)\\s*:", "данные|информация"},
    {"(?:abc)?def", "def"},
    {"(?:abc)*", "none"},
    {"(?:abc){0,2}", "none"},
    {"(?:abc)+x", "abc"},
    {"(abc|defg)", "abc|defg"},
    {"abc|defg", "abc|defg"},
    {"abc|\\d+", "none"},
    {"abc|x", "none"},
    {"(?:abc|)", "none"},
    {"(?:abc\\s+xyz1|defg)hij", "xyz1|defg & hij"},
    {"((abc|def)x|ghi)", "abc|def|ghi"},
    {"\\b(2[5-9]|[3-9]\\d)\\s*(час|сағат)", "час|сағат"},
    /* lookarounds require nothing; a quantified lookaround gives up */
    {"(?<!не\\s)\\bопубликов", "опубликов"},
    {"abc(?!def)", "abc"},
    {"(?=abc)\\w+", "none"},
    {"(?<=abc)def", "def"},
    {"abc(?!x)?", "none"},
    /* anything unknown gives up */
    {"(?i)abc", "none"},
    {"(?i:abc)", "none"},
    {"(?x)a b c", "none"},
    {"(*UCP)abc", "none"},
    {"(?<name>abc)", "none"},
    {"(?>abc)", "none"},
    {"(?|abc)", "none"},
    {"(?#c)abc", "none"},
    {"\\Qabc\\E", "none"},
    {"\\x{430}abc", "none"},
    {"\\p{L}abc", "none"},
    {"(abc)\\1", "none"},
    {"abc\\Kdef", "none"},
    {"[[:alpha:]]abc", "none"},
    {"[\\Q]\\E]abc", "none"},
    {"abc{x}", "none"},
    {"a{", "none"},
    {"abc)", "none"},
    {"(abc", "none"},
    {"abc[", "none"},
    {"abc\\", "none"},
    {"*abc", "none"},
    {"abc]", "none"},
    {"abc**", "none"},
    {"", "none"},
};

static void test_extraction_table(void **state)
{
    (void)state;
    char buf[512];
    int bad = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        describe(cases[i].pattern, 0, buf, sizeof buf);
        if (strcmp(buf, cases[i].want) != 0) {
            fprintf(stderr, "pattern /%s/: got \"%s\", want \"%s\"\n", cases[i].pattern, buf,
                    cases[i].want);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

static void test_real_patterns(void **state)
{
    (void)state;
    static const pf_case real[] = {
        {"\\b(?:дерек\\w*|аты-жөн\\w*|фото\\w*)(?:[^.;!?\\n]|\\n(?!\\n)){0,60}?\\bжария(?!ламау|\\s+шарт)\\w*",
         "дерек|аты-жөн|фото & жария"},
        {"\\b\\w+[аеяй]\\s+ал(ады|асыз|атын\\w*)\\b", "ал & ады|асыз|атын"},
        {"(?<![\\d.,])\\d{12}(?![\\d.,]?\\d)", "none"},
        {"[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(\\.[a-z0-9-]+)*\\.[a-z]{2,}", "none"},
        {"кез\\s+келген\\s+(?:басқа\\s+|өзге\\s+)?(?:елге|ел\\b|мемлекет)",
         "кез & келген & елге|ел|мемлекет"},
    };
    char buf[512];
    for (size_t i = 0; i < sizeof real / sizeof real[0]; i++) {
        describe(real[i].pattern, 0, buf, sizeof buf);
        assert_string_equal(buf, real[i].want);
    }
}

static const pf_case leads[] = {
    {"согласие", "согласие"},
    {"\\bжария\\w*", "жария"},
    {"(?<!не\\s)(?<!ни\\s)\\b(?:опубликов|публику)\\w*", "опубликов|публику"},
    {"abc|defg", "abc|defg"},
    {"(?:abc|defg)+x", "abc|defg"},
    {"((ab|cd)e|fgh)", "ab|cd|fgh"},
    {"abcd?e", "abc"},
    {"abcd+e", "abcd"},
    {"ст\\.\\s*16", "ст."},
    {"\\b0\\d{5}", "0"},
    {"^abc", "abc"},
    {"a?bc", "none"},
    {"(?:abc)?def", "none"},
    {"(?:abc)*def", "none"},
    {"abc|\\w+", "none"},
    {"abc|", "none"},
    {"\\b\\w+[ая]\\s+ал", "none"},
    {"[a-z]abc", "none"},
    {".abc", "none"},
    {"(?=abc)abc", "abc"},
    {"(?=x)?abc", "none"},
    {"(?i)abc", "none"},
    {"(?<n>abc)", "none"},
    {"\\Qabc\\E", "none"},
    {"abc(", "none"},
    {"abc)", "none"},
    {"abc{x}", "none"},
    {"", "none"},
};

static void test_lead_table(void **state)
{
    (void)state;
    char buf[512];
    int bad = 0;
    for (size_t i = 0; i < sizeof leads / sizeof leads[0]; i++) {
        describe(leads[i].pattern, 1, buf, sizeof buf);
        if (strcmp(buf, leads[i].want) != 0) {
            fprintf(stderr, "lead of /%s/: got \"%s\", want \"%s\"\n", leads[i].pattern, buf,
                    leads[i].want);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

/* The inner set (pf_inner): the lead set of the rest of the pattern after
 * a prefix that cannot match ASCII punctuation. */
static const pf_case inners[] = {
    {"\\b\\w+[аеяй]\\s+ал(ады|асыз|атын\\w*)\\b", "алады|аласыз|алатын (word)"},
    {"\\s+abcd", "abcd (word)"},
    {"[а-я]+\\s*abcd", "abcd (word)"},
    {"(?:x|y)\\s+ab(cd|ef)", "abcd|abef (word)"},
    /* one word, then spaces (word): none of these */
    {"\\w+\\s+\\w+\\s+abcd", "abcd"},
    {"\\w+[ x]\\s*abcd", "abcd"},
    {"\\w+[\\s]abcd", "abcd"},
    {"\\S+\\s+abcd", "none"},
    {"\\w+\\h+abcd", "abcd"},
    {"\\w+\\s+\\babcd", "abcd"},
    {"\\w+\\s{1,3}abcd", "abcd"},
    {"\\w+ \\w+ abcd", "abcd"},
    {"\\w+\\n?abcd", "abcd"},
    {"\\d{1,3}\\s*\\w+ abcd", "abcd"},
    {"\\d{1,3}[а-я_]{2}\\s abcd", "abcd (word)"},
    {"(?<!\\.)\\w+abcd", "abcd"},
    {"\\w+ab(cd|ef)?", "none"},
    {"\\w+ab(?=cd)", "none"},
    {"\\w+\\.\\s+abcd", "none"},
    {"\\w+-abcd", "none"},
    {"[^x]abcd", "none"},
    {"[a-z]+abcd", "none"},
    {"[а-я-]abcd", "none"},
    {".abcd", "none"},
    {"\\W+abcd", "none"},
    {"\\w+abcd|efgh", "none"},
    {"(\\w+|-)abcd", "none"},
    {"\\w+abc", "none"},
    {"(?i)\\w+abcd", "none"},
};

static void test_inner_table(void **state)
{
    (void)state;
    char buf[512];
    int bad = 0;
    for (size_t i = 0; i < sizeof inners / sizeof inners[0]; i++) {
        zl_regex_required(inners[i].pattern, strlen(inners[i].pattern), buf, sizeof buf);
        char *got = strstr(buf, " ; inner ");
        assert_non_null(got);
        got += 9;
        char *win = strstr(got, " ; window ");
        assert_non_null(win);
        *win = '\0';
        const char *want = inners[i].want;
        if (strcmp(got, want) != 0) {
            fprintf(stderr, "inner of /%s/: got \"%s\", want \"%s\"\n", inners[i].pattern, got,
                    want);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

/* The window set (pf_window): the lead set of the rest of the pattern after
 * a prefix that matches ASCII only, and the bytes of that prefix. */
static const pf_case windows[] = {
    {"[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(\\.[a-z0-9-]+)*\\.[a-z]{2,}",
     "@ [25 2b 2d-2e 30-39 5f 61-7a ]"},
    {"[a-z]+-x", "-x [61-7a ]"},
    {"[a-z]+-?x", "x [2d 61-7a ]"},
    {"[0-9]+\\.[0-9]+abcd", "abcd [2e 30-39 ]"}, /* the first split with >= 4 bytes */
    {"[0-9]+\\.[0-9]+", ". [30-39 ]"},
    {"(?:ab|c[d-f])[ \\t]*=", "= [09 20 61-66 ]"},
    {"(?:ab|c[d-f])\\s*=", "none"},            /* \\s matches non-ASCII spaces */
    {"(?<=\\w)[xy]@", "@ [78-79 ]"},         /* lookarounds add no byte */
    {"\\bab@", "ab@ []"},                /* nothing before the split but \b */
    {"\\w+@x", "none"},                    /* \w matches non-ASCII letters */
    {"[a-zж]+@x", "none"},
    {"[^a]+@x", "none"},
    {".+@x", "none"},
    {"\\S+@x", "none"},
    {"[a-z]+@x?", "@ [61-7a ]"},
    {"[a-z]+@?x?", "none"},                  /* the rest has no lead set */
    {"[a-z]+(?:@|#)x", "x [23 40 61-7a ]"}, /* a group is no split */
    {"[a-z]+@x|y", "none"},
    {"[[:alpha:]]+@x", "none"},
    {"(?i)[a-z]+@x", "none"},
    {"[a-z]+", "none"},
};

static void test_window_table(void **state)
{
    (void)state;
    char buf[512];
    int bad = 0;
    for (size_t i = 0; i < sizeof windows / sizeof windows[0]; i++) {
        zl_regex_required(windows[i].pattern, strlen(windows[i].pattern), buf, sizeof buf);
        const char *got = strstr(buf, " ; window ");
        assert_non_null(got);
        got += 10;
        if (strcmp(got, windows[i].want) != 0) {
            fprintf(stderr, "window of /%s/: got \"%s\", want \"%s\"\n", windows[i].pattern, got,
                    windows[i].want);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

/* The guard (pf_guard): the lead set of the rest of the pattern after the
 * last prefix that cannot match . ; ! ? (the "published" patterns). */
static const pf_case guards[] = {
    {"\\b(?:дерек\\w*|аты-жөн\\w*|туралы\\s+ақпарат\\w*)(?:[^.;!?\\n]|\\n(?!\\n)){0,60}?"
     "\\bжария(?!ламау|\\s+оферт)\\w*",
     "жария"},
    {"(?<!не\\s)\\b(?:опубликов|публику)\\w*(?:[^.;!?\\n]|\\n(?!\\n)){0,25}?"
     "\\b(?:персональн\\w*\\s+данн|данн|имя\\b|фио\\b)",
     "персональн|данн|имя|фио"},
    {"abcd\\w*(?:[^.;!?]){0,9}?efgh(ij|kl)", "efghij|efghkl"},
    {"abcd-\\(x\\)\\s*efgh", "efgh"},
    {"abcd\\w*(?:[^.;!]){0,9}?efgh", "abcd"},  /* ? not excluded */
    {"abcd\\w*(?:[^.;!?a-z]){0,9}?efgh", "abcd"}, /* a range: give up */
    {"abcd.{0,9}?efgh", "abcd"},
    {"abcd\\W{0,9}?efgh", "abcd"},
    {"abcd\\w*[.,]efgh", "abcd"},
    {"abcd\\w*[x-z]efgh", "abcd"},
    {"abcd\\w*\\.efgh", "abcd"},
    {"abcd\\w*(?:[^.;!?]){0,9}?ef(?:gh|x)", "abcd"},
    {"abcd|efgh", "none"},
    {"\\w+abc", "none"},
};

static void test_guard_table(void **state)
{
    (void)state;
    char buf[512];
    int bad = 0;
    for (size_t i = 0; i < sizeof guards / sizeof guards[0]; i++) {
        zl_regex_guard(guards[i].pattern, strlen(guards[i].pattern), buf, sizeof buf);
        if (strcmp(buf, guards[i].want) != 0) {
            fprintf(stderr, "guard of /%s/: got \"%s\", want \"%s\"\n", guards[i].pattern, buf,
                    guards[i].want);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

static void test_small_buffer(void **state)
{
    (void)state;
    char buf[4];
    size_t n = zl_regex_required("abcdef|ghijk", 12, buf, sizeof buf);
    assert_int_equal(n, strlen("abcdef|ghijk ; lead abcdef|ghijk ; inner none ; window none"));
    assert_string_equal(buf, "abc");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_extraction_table),
        cmocka_unit_test(test_real_patterns),
        cmocka_unit_test(test_lead_table),
        cmocka_unit_test(test_inner_table),
        cmocka_unit_test(test_window_table),
        cmocka_unit_test(test_guard_table),
        cmocka_unit_test(test_small_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
