/*
 * test_match_search_image.c - the regex searches of a match index, with the
 * built-in pack's index (adopted from the pack image, as a lint run has
 * it): every regex atom's occurrences are those of a plain PCRE2 search
 * over the whole text (so the prefilter, lead offsets, guards and digit
 * runs lose no match), and one to eight threads finding the occurrences of
 * the seed policies and of a few made-up texts at once, each in another
 * order, on a fresh index (racing for its regex codes, made on first use)
 * get the results of a single thread.  (Run it in a ThreadSanitizer build
 * when changing the lazy preparation in src/engine/match.c.)
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "dsl/image.h"
#include "engine/match.h"
#include "util/buf.h"
#include "util/diag.h"
#include "zanlint.h"

#define N_THREADS 8
#define MAX_DOCS 32

static zl_pack *pack;
static const zl_atom **atoms;
static uint32_t n_atoms;
static zl_doc *docs[MAX_DOCS];
static size_t n_docs;
static uint8_t *half; /* every other atom needed */
/* per document: the result of one thread, all atoms and half */
static zl_buf want_all[MAX_DOCS], want_half[MAX_DOCS];

static const char *const seed_files[] = {
    "tests/fixtures/seeds/000_80f2cb7f16497100.txt", "tests/fixtures/seeds/001_e9e5e6f652fd16d4.txt",
    "tests/fixtures/seeds/002_e3648f6612deae10.txt", "tests/fixtures/seeds/003_edbea6bc1c28116f.txt",
    "tests/fixtures/seeds/004_53eae54461e654f3.txt",
};

/* Texts that take other paths: few and many digits (anchored digit runs,
 * the interpreter or the JIT), a Kazakh one, e-mail addresses, one line. */
static char follow_text[4096]; /* made in setup: digits before every byte */

static const char *const texts[] = {
    follow_text,
    "Срок хранения 5 лет. БИН 123456789012. Тел. 8 (727) 300-00-00, 24 часа.\n",
    "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 "
    "33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 рабочих дней, 48 часов, 100 лет.\n",
    "Жеке деректер туралы Заңға сәйкес дербес деректер жария дереккөздерде жарияланады. "
    "Пайдаланушы келісім береді, деректер кез келген басқа елге беріледі.\n",
    "Пишите на privacy@example.kz или dpo@example.com. Данные: любые сведения.\n",
    "152-ФЗ о персональных данных, ФЗ-152 и закон РК 94-V, ст. 16; пункт 152",
    "x",
    /* Arabic-Indic digits beside ASCII ones: a regex whose every match
     * starts with an ASCII digit still runs from the ASCII digits only */
    "Срок ٣٠ дней, 30 дней и ٢٥ часов; 25 часов, 7 суток, 12 (двенадцать) рабочих дней.\n",
    /* starts inside words and after digits (start traits: \b, (?<![\d.,])) */
    "abc25 дней x94-v 94-v _25 часов 1.123456789012 ,123456789012 a123456789012 "
    "неопубликованные данные, опубликованные данные; недвух лет, двух лет; ж16-бап 16-бап "
    "é25 часов ё25 часов а\xd2\x83" "25 часов 025 дней 25дней\n",
    /* e-mail addresses (the window set "@": runs of a-z 0-9 . _ % + - before it) */
    "@example.com a@b @ x@y.z ..@.. ünï@example.kz жж@mail.ru user@ "
    "first.last+tag@sub.example.co.uk a-b@c-d.e-f.gh ivan@@mail.ru x@y.zz@w.qq _x@y.kz "
    "%@a.bc -.a@b.cd почта:ivan.petrov@mail.ru, (a@b.kz) end@host.kz",
    /* digit runs (\d+ without PCRE2 when every digit is ASCII): at the text's
     * ends, inside and across tokens, beside letters, marks and signs */
    "7 12-34 1.5 x12y а12б 1\xcc\x81" "2 2\xc2\xa0" "3 ½ 12345678901234567890 0 00 a1b2c3 9",
    "12",
    /* the Kazakh verb \b\w+[аеяй]\s+ал... (an inner set after one word and
     * spaces): spaces of every kind, several words, digits and underscores
     * in the word, the word at the text's start, punctuation between */
    "бере алады, қоя\xc2\xa0аласыз; жаза\t\n алатын\xe2\x80\x83ала бастай аламын. "
    "ол сізге бере\xe2\x80\x83алады және 12а алады _ая аламыз -ее алатынның "
    "аа  бб  ия  алады\n\nой ме\xcc\x81ня алады",
    "ойна алады",
    /* the guards within reach (guard_span_of): a guard literal 58-62,
     * 24-27 and 39-42 characters after the lead word, across spaces and a
     * hyphen in the lead */
    "деректер хххххххххххххххххххххххххххххххххххххххххххххххххххххххх жариялаймыз."
    "туралы  ақпаратты aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa жария. "
    "аты-жөні әәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәә жариялануы;"
    "деректер ххххххххххххххххххххххххххххххххххххххххххххххххххххххххх жариялаймыз."
    "туралы  ақпаратты aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa жария. "
    "аты-жөні әәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәә жариялануы;"
    "деректер хххххххххххххххххххххххххххххххххххххххххххххххххххххххххх жариялаймыз."
    "туралы  ақпаратты aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa жария. "
    "аты-жөні әәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәә жариялануы;"
    "деректер ххххххххххххххххххххххххххххххххххххххххххххххххххххххххххх жариялаймыз."
    "туралы  ақпаратты aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa жария. "
    "аты-жөні әәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәә жариялануы;"
    "деректер хххххххххххххххххххххххххххххххххххххххххххххххххххххххххххх жариялаймыз."
    "туралы  ақпаратты aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa жария. "
    "аты-жөні әәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәәә жариялануы;",
    "опубликованы фффффффффффффффффффффф данные."
    "опубликованы ффффффффффффффффффффффф данные."
    "опубликованы фффффффффффффффффффффффф данные."
    "опубликованы ффффффффффффффффффффффффф данные."
    "фото qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq публикуются!"
    "фото qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq публикуются!"
    "фото qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq публикуются!"
    "фото qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq публикуются!",
    /* the guard открытом of "в\s+открытом\s+доступе" lies past the gap's
     * 50 characters: a guard within reach taken for it fails this */
    "размещены ффффффффффффффффффффффффффффффффффффффффффффф в открытом доступе. "
    "размещены фффффффффффффффффффффффффффффффффффффффффффффф в открытом доступе. "
    "размещены ффффффффффффффффффффффффффффффффффффффффффффффф в открытом доступе. "
    "размещены фффффффффффффффффффффффффффффффффффффффффффффффф в   открытом доступе. "
    "размещены ффффффффффффффффффффффффффффффффффффффффффффффффф в открытом доступе. "
    "размещены ффффффффффффффффффффффффффффффффффффффффффффффф в\nоткрытом доступе. "
    "размещены фффффффффффффффффффффффффффффффффффффффффффффффф в\t открытом доступе. "
    "размещены на сайте в\n\nоткрытом доступе; распространяем в. открытом доступе! "
    "опубликовано фффф. в открытом доступе; публикуем фффф в открытомдоступе "
    "размещаем в открытом доступе, в публичных ресурсах и общедоступном источнике.",
};

/* The canonical text of one result. */
static void put_occ(const zl_occurrences *o, zl_buf *out)
{
    for (uint32_t a = 0; a < o->n_atoms; a++) {
        if (o->start[a] == o->start[a + 1])
            continue;
        zl_buf_printf(out, "%u:", a);
        for (uint32_t i = o->start[a]; i < o->start[a + 1]; i++)
            zl_buf_printf(out, " %u-%u", o->occ[i].first, o->occ[i].end);
        zl_buf_printf(out, "\n");
    }
    for (uint32_t i = 0; i < o->n_limited; i++)
        zl_buf_printf(out, "limited %u\n", o->limited[i]);
}

static void find(const zl_match_index *ix, size_t d, const uint8_t *needed, zl_buf *out)
{
    zl_occurrences o;
    zl_match_find(ix, docs[d], needed, &o);
    put_occ(&o, out);
    zl_occurrences_free(&o);
}

static zl_match_index *new_index(void)
{
    return zl_match_index_new(atoms, n_atoms);
}

static int setup(void **state)
{
    (void)state;
    zl_diags d = {0};
    if (zl_pack_from_image(&zl_pack_image_builtin, 0, &pack, &d) != ZL_OK || d.count)
        return -1;
    n_atoms = zl_pack_image_builtin.n_atoms;
    atoms = malloc(n_atoms * sizeof *atoms);
    half = malloc(n_atoms);
    for (uint32_t i = 0; i < n_atoms; i++) {
        atoms[i] = zl_pack_atom(pack, i);
        half[i] = i % 2;
    }
    zl_match_index_use_image(zl_pack_image_builtin.atoms, n_atoms,
                             zl_pack_image_builtin.match_index,
                             zl_pack_image_builtin.match_index_len);
    for (size_t i = 0; i < sizeof seed_files / sizeof *seed_files; i++)
        if (zl_doc_load_file(seed_files[i], NULL, &docs[n_docs++], &d) != ZL_OK)
            return -1;
    /* digit runs before each printable ASCII byte and a few non-ASCII
     * characters (digit_follow: the byte after the run) */
    size_t fl = 0;
    static const char *const after[] = {"\xc2\xa0", "\xe2\x80\x83", "ч", "\xcc\x81"};
    for (int c = 0x20; c < 0x7f; c++)
        fl += (size_t)snprintf(follow_text + fl, sizeof follow_text - fl, "25%cдней 3%c часов 94%c-v ",
                               c, c, c);
    for (size_t i = 0; i < sizeof after / sizeof *after; i++)
        fl += (size_t)snprintf(follow_text + fl, sizeof follow_text - fl, "25%sдней 7%s суток ",
                               after[i], after[i]);
    snprintf(follow_text + fl, sizeof follow_text - fl,
             "3(три) рабочих дня, 30(тридцать) календарных дней, 25\nдней, 48\tчасов, "
             "БИН 12345678901 123456789012 1234567890123 123456789012. 012345 01234 12");
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        if (zl_doc_load_mem("text", texts[i], strlen(texts[i]), NULL, &docs[n_docs++], &d) !=
            ZL_OK)
            return -1;
    /* every code point of U+00A0-U+04FF and a few others right before a
     * match that starts with \b (a word boundary, or not) */
    zl_buf gen = ZL_BUF_INIT;
    for (uint32_t cp = 0xA0; cp < 0x500; cp++) {
        if (cp == 0xAD)
            continue; /* a soft hyphen is dropped by the normalizer */
        char u[4];
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        zl_buf_put(&gen, u, 2);
        zl_buf_printf(&gen, "25 часов ");
        zl_buf_put(&gen, u, 2);
        zl_buf_printf(&gen, "двух лет, ");
    }
    zl_buf_printf(&gen, "_25 часов 9двух лет\n");
    if (zl_doc_load_mem("gen", gen.data, gen.len, NULL, &docs[n_docs++], &d) != ZL_OK)
        return -1;
    zl_buf_free(&gen);
    zl_diags_free(&d);
    /* the wanted results: one thread, a fresh index per document (so each
     * document makes its own codes) */
    for (size_t i = 0; i < n_docs; i++) {
        zl_buf_printf(&want_all[i], "%s", "");
        zl_buf_printf(&want_half[i], "%s", "");
        zl_match_index *ix = new_index();
        if (!zl_match_index_adopted(ix))
            return -1;
        find(ix, i, NULL, &want_all[i]);
        zl_match_index_free(ix);
        ix = new_index();
        find(ix, i, half, &want_half[i]);
        zl_match_index_free(ix);
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (size_t i = 0; i < n_docs; i++) {
        zl_doc_free(docs[i]);
        zl_buf_free(&want_all[i]);
        zl_buf_free(&want_half[i]);
    }
    zl_match_index_use_image(NULL, 0, NULL, 0);
    free(half);
    free(atoms);
    zl_pack_free(pack);
    return 0;
}

typedef struct worker {
    const zl_match_index *ix;
    unsigned id;
    int bad; /* results that differ */
    int n;   /* results compared */
} worker;

static void *run_worker(void *arg)
{
    worker *w = arg;
    zl_buf got = ZL_BUF_INIT;
    for (size_t r = 0; r < n_docs; r++) {
        size_t d = (r + w->id * 3) % n_docs;
        int use_half = (w->id + r) % 3 == 0;
        got.len = 0;
        zl_buf_printf(&got, "%s", "");
        find(w->ix, d, use_half ? half : NULL, &got);
        const zl_buf *want = use_half ? &want_half[d] : &want_all[d];
        if (got.len != want->len || memcmp(got.data, want->data, got.len) != 0)
            w->bad++;
        w->n++;
    }
    zl_buf_free(&got);
    return NULL;
}

/* Rounds of a fresh index and 1 to 8 threads at once, which race for its
 * regex codes (a slot being made by one thread is waited for by the
 * others). */
static void test_threads_race_for_codes(void **state)
{
    (void)state;
    for (unsigned round = 0; round < 24; round++) {
        zl_match_index *ix = new_index();
        unsigned nt = 1 + round % N_THREADS;
        pthread_t th[N_THREADS];
        worker w[N_THREADS];
        for (unsigned t = 0; t < nt; t++) {
            w[t] = (worker){ix, t + round, 0, 0};
            assert_int_equal(pthread_create(&th[t], NULL, run_worker, &w[t]), 0);
        }
        for (unsigned t = 0; t < nt; t++) {
            assert_int_equal(pthread_join(th[t], NULL), 0);
            assert_int_equal(w[t].n, (int)n_docs);
            if (w[t].bad)
                fail_msg("round %u, thread %u: %d of %d results differ", round, t, w[t].bad,
                         w[t].n);
        }
        zl_match_index_free(ix);
    }
}

/* The token ranges of every match of `a` in `doc` found by plain
 * unanchored searches, sorted and unique, as text. */
/* "K: first-end first-end ...": atom k's occurrences as zl_match_find gave
 * them, in the form the references write. */
static void found_list(zl_buf *got, const zl_occurrences *o, uint32_t k)
{
    zl_buf_printf(got, "%u:", k);
    for (uint32_t i = o->start[k]; i < o->start[k + 1]; i++)
        zl_buf_printf(got, " %u-%u", o->occ[i].first, o->occ[i].end);
}

static void plain_ranges(const zl_doc *doc, const zl_atom *a, zl_buf *out)
{
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    const char *t = doc->norm.text;
    size_t n = doc->norm.len, at = 0;
    uint32_t (*r)[2] = NULL;
    size_t nr = 0;
    while (at <= n) {
        int rc = pcre2_match(a->re, (PCRE2_SPTR)t, n, at, 0, md, NULL);
        if (rc < 0)
            break;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        size_t st = ov[0], e = ov[1], pe = e > st ? e : st + 1;
        uint32_t first = 0, end = 0;
        while (first < doc->n_tokens &&
               (size_t)doc->tokens[first].off + doc->tokens[first].len <= st)
            first++;
        while (end < doc->n_tokens && doc->tokens[end].off < pe)
            end++;
        if (first < end) {
            r = realloc(r, (nr + 1) * sizeof *r);
            r[nr][0] = first;
            r[nr][1] = end;
            nr++;
        }
        if (e > st) {
            at = e;
        } else {
            if (st >= n)
                break;
            at = st + 1;
            while (at < n && ((unsigned char)t[at] & 0xC0) == 0x80)
                at++;
        }
    }
    for (size_t i = 0; i < nr; i++) { /* insertion sort, then unique */
        for (size_t j = i; j > 0 && (r[j - 1][0] > r[j][0] ||
                                     (r[j - 1][0] == r[j][0] && r[j - 1][1] > r[j][1]));
             j--) {
            uint32_t x0 = r[j][0], x1 = r[j][1];
            r[j][0] = r[j - 1][0];
            r[j][1] = r[j - 1][1];
            r[j - 1][0] = x0;
            r[j - 1][1] = x1;
        }
    }
    for (size_t i = 0; i < nr; i++)
        if (i == 0 || r[i][0] != r[i - 1][0] || r[i][1] != r[i - 1][1])
            zl_buf_printf(out, " %u-%u", r[i][0], r[i][1]);
    free(r);
    pcre2_match_data_free(md);
}

static void test_regex_occurrences_are_plain_searches(void **state)
{
    (void)state;
    zl_match_index *ix = new_index();
    int found = 0;
    for (size_t d = 0; d < n_docs; d++) {
        zl_occurrences o;
        zl_match_find(ix, docs[d], NULL, &o);
        for (uint32_t k = 0; k < n_atoms; k++) {
            if (atoms[k]->kind != ZL_ATOM_REGEX || !atoms[k]->re)
                continue;
            zl_buf got = ZL_BUF_INIT, want = ZL_BUF_INIT;
            found_list(&got, &o, k);
            zl_buf_printf(&want, "%u:", k);
            plain_ranges(docs[d], atoms[k], &want);
            found += o.start[k + 1] > o.start[k];
            assert_string_equal(got.data, want.data);
            zl_buf_free(&got);
            zl_buf_free(&want);
        }
        assert_int_equal(o.n_limited, 0);
        zl_occurrences_free(&o);
    }
    assert_true(found > 20);
    zl_match_index_free(ix);
}

/* Does the token at tk hold term t (a prefix term: the token starts with
 * it; the first term of an atom also ends on a character boundary)? */
static int naive_term(const zl_doc *doc, const zl_token *tk, const zl_term *t, int first)
{
    const char *s = doc->norm.text + tk->off;
    if (!t->prefix)
        return tk->len == t->len && memcmp(s, t->text, t->len) == 0;
    if (tk->len < t->len || memcmp(s, t->text, t->len) != 0)
        return 0;
    return !first || t->len == tk->len || ((unsigned char)s[t->len] & 0xC0) != 0x80;
}

/* Every phrase atom's occurrences in doc: each token where all its terms
 * match the tokens from there on. */
static void naive_phrases(const zl_doc *doc, uint32_t k, zl_buf *out)
{
    const zl_atom *a = atoms[k];
    for (uint32_t i = 0; i + a->n_terms <= doc->n_tokens; i++) {
        uint32_t j = 0;
        while (j < a->n_terms && naive_term(doc, &doc->tokens[i + j], &a->terms[j], j == 0))
            j++;
        if (j == a->n_terms)
            zl_buf_printf(out, " %u-%u", i, i + a->n_terms);
    }
}

/* A text of the pack's phrases: each whole, its first term before other
 * phrases' second terms, before one-byte tokens, longer tokens and at the
 * text's end (the phrase lists of a first term are looked at by the next
 * token's first two bytes). */
static void phrase_text(zl_buf *out)
{
    uint32_t n = 0;
    for (uint32_t k = 0; k < n_atoms; k++)
        n += atoms[k]->kind != ZL_ATOM_REGEX && atoms[k]->n_terms > 1;
    uint32_t m = 0;
    for (uint32_t k = 0; k < n_atoms; k++) {
        const zl_atom *a = atoms[k];
        if (a->kind == ZL_ATOM_REGEX)
            continue;
        for (uint32_t j = 0; j < a->n_terms; j++)
            zl_buf_printf(out, "%.*s%s ", (int)a->terms[j].len, a->terms[j].text,
                          a->terms[j].prefix && (m + j) % 3 == 0 ? "ами" : "");
        const zl_term *t0 = &a->terms[0];
        zl_buf_printf(out, "%.*s а %.*s 5 %.*s z, ", (int)t0->len, t0->text, (int)t0->len, t0->text,
                      (int)t0->len, t0->text);
        uint32_t other = (k * 7 + 3) % n_atoms;
        if (atoms[other]->kind != ZL_ATOM_REGEX && atoms[other]->n_terms > 1)
            zl_buf_printf(out, "%.*s %.*s; ", (int)t0->len, t0->text,
                          (int)atoms[other]->terms[1].len, atoms[other]->terms[1].text);
        m++;
    }
    (void)n;
    zl_buf_printf(out, "\nв\n");
}

static void test_phrase_occurrences_are_naive(void **state)
{
    (void)state;
    zl_match_index *ix = new_index();
    zl_buf text = ZL_BUF_INIT;
    phrase_text(&text);
    zl_diags dg = {0};
    zl_doc *gen = NULL;
    assert_int_equal(zl_doc_load_mem("phrases", text.data, text.len, NULL, &gen, &dg), ZL_OK);
    int found = 0;
    for (size_t d = 0; d <= n_docs; d++) {
        const zl_doc *doc = d < n_docs ? docs[d] : gen;
        zl_occurrences o;
        zl_match_find(ix, doc, NULL, &o);
        for (uint32_t k = 0; k < n_atoms; k++) {
            if (atoms[k]->kind == ZL_ATOM_REGEX)
                continue;
            zl_buf got = ZL_BUF_INIT, want = ZL_BUF_INIT;
            found_list(&got, &o, k);
            zl_buf_printf(&want, "%u:", k);
            naive_phrases(doc, k, &want);
            found += o.start[k + 1] > o.start[k] && atoms[k]->n_terms > 1;
            assert_string_equal(got.data, want.data);
            zl_buf_free(&got);
            zl_buf_free(&want);
        }
        zl_occurrences_free(&o);
    }
    assert_true(found > 500);
    zl_doc_free(gen);
    zl_diags_free(&dg);
    zl_buf_free(&text);
    zl_match_index_free(ix);
}

/* Indexes atoms `mine` alone (no image), finds them in `text` and compares
 * each atom's occurrences with the naive search; returns how many atoms
 * were found.  The comparison is asserted after the globals are restored,
 * so a failure does not leave the next tests on this one's atoms. */
static int own_atoms_are_naive(const zl_atom **mine, uint32_t n, const char *text)
{
    zl_diags dg = {0};
    zl_doc *doc = NULL;
    assert_int_equal(zl_doc_load_mem("own", text, strlen(text), NULL, &doc, &dg), ZL_OK);
    const zl_atom **saved = atoms;
    uint32_t saved_n = n_atoms;
    atoms = mine;
    n_atoms = n;
    zl_match_index_use_image(NULL, 0, NULL, 0);
    zl_match_index *ix = zl_match_index_new(mine, n);
    zl_occurrences o;
    zl_match_find(ix, doc, NULL, &o);
    int found = 0;
    zl_buf got = ZL_BUF_INIT, want = ZL_BUF_INIT;
    for (uint32_t k = 0; k < n; k++) {
        found_list(&got, &o, k);
        zl_buf_printf(&want, "%u:", k);
        if (mine[k]->kind == ZL_ATOM_REGEX)
            plain_ranges(doc, mine[k], &want);
        else
            naive_phrases(doc, k, &want);
        zl_buf_putc(&got, '\n');
        zl_buf_putc(&want, '\n');
        found += o.start[k + 1] > o.start[k];
    }
    zl_occurrences_free(&o);
    zl_doc_free(doc);
    zl_diags_free(&dg);
    zl_match_index_free(ix);
    atoms = saved;
    n_atoms = saved_n;
    zl_match_index_use_image(zl_pack_image_builtin.atoms, saved_n, zl_pack_image_builtin.match_index,
                             zl_pack_image_builtin.match_index_len);
    if (strcmp(got.data, want.data) != 0)
        fprintf(stderr, "found:\n%swant:\n%s", got.data, want.data);
    int same = strcmp(got.data, want.data) == 0;
    zl_buf_free(&got);
    zl_buf_free(&want);
    assert_true(same);
    return found;
}

/* A first term with many phrases (bit groups) whose second terms are one
 * byte, exact or prefix, one letter, or a longer word, and a single-term
 * atom of its own: each found where the naive search finds it, also before
 * the last token and before tokens of one byte. */
static void test_phrase_groups_short_second_terms(void **state)
{
    (void)state;
    static const char *const second[] = {"x", "y", "д", "да", "данные", "z", "1", "ж",
                                         "жеке", "в", "дан", "п"};
    enum { N_SECOND = sizeof second / sizeof second[0] };
    zl_term terms[N_SECOND + 1][2];
    zl_atom mine[N_SECOND + 1];
    const zl_atom *ptrs[N_SECOND + 1];
    for (uint32_t k = 0; k <= N_SECOND; k++) {
        terms[k][0] = (zl_term){"в", 2, 0};
        if (k < N_SECOND)
            terms[k][1] = (zl_term){second[k], (uint32_t)strlen(second[k]), (uint8_t)(k % 2)};
        mine[k] = (zl_atom){.kind = ZL_ATOM_PHRASE, .terms = terms[k], .n_terms = k < N_SECOND ? 2 : 1};
        ptrs[k] = &mine[k];
    }
    static const char text[] = "в x в xy в y в yz в д в да в дом в данные в данныеx в z в 1 в 12 "
                               "в ж в жеке в жекеш в в в дан в данн в п в пп в а в . в";
    assert_int_equal(own_atoms_are_naive(ptrs, N_SECOND + 1, text), N_SECOND + 1);
}

/* First terms of under 8 bytes sharing their first 4 bytes (exact ones of
 * each length, prefixes of 4 to 7 bytes, listed again by token length) and
 * longer ones: each found where the naive search finds it, in tokens of
 * every length from 1 to 12 bytes with those 4 bytes. */
static void test_phrase_short_first_terms(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        uint8_t prefix;
    } first[] = {{"abcd", 0},    {"abcde", 0},    {"abcdef", 0}, {"abcdefg", 0}, {"abcdefgh", 0},
                 {"abcd", 1},    {"abcde", 1},    {"abcdefg", 1}, {"abc", 0},    {"ab", 1},
                 {"да", 1},      {"дан", 0},      {"дан", 1},    {"данн", 0},    {"данные", 0},
                 {"abcdef", 1}};
    enum { N_FIRST = sizeof first / sizeof first[0] };
    zl_term terms[N_FIRST + 2][2];
    zl_atom mine[N_FIRST + 2];
    const zl_atom *ptrs[N_FIRST + 2];
    for (uint32_t k = 0; k < N_FIRST + 2; k++) {
        /* the last two: phrases of a short prefix and of a short exact term */
        uint32_t f = k < N_FIRST ? k : k == N_FIRST ? 6 : 2;
        terms[k][0] = (zl_term){first[f].s, (uint32_t)strlen(first[f].s), first[f].prefix};
        terms[k][1] = (zl_term){"x", 1, 0};
        mine[k] = (zl_atom){.kind = ZL_ATOM_PHRASE, .terms = terms[k], .n_terms = k < N_FIRST ? 1 : 2};
        ptrs[k] = &mine[k];
    }
    static const char text[] =
        "a ab abc abcd abcde abcdef abcdefg abcdefgh abcdefghi abcdefghij abcdefghijk abcdefghijkl "
        "abcx abcdx abcdex abcdefx abcdefgx abcdefghx abce abdc x abcde x abcdefx x abcdef x abcdefgh "
        "x д да дан данн данны данные данных даннн дн д x дан x";
    assert_int_equal(own_atoms_are_naive(ptrs, N_FIRST + 2, text), N_FIRST + 2);
}

/* Regexes whose literals start with ASCII letters or § (not only Cyrillic
 * letters: the literal scan's first-byte set) or with the last of 1 to 3
 * Cyrillic letters before another character (the scan takes up to four
 * letters at once), and literals sharing their
 * first 4 bytes (one scan bucket) of 5 bytes (every text passes the
 * bucket's signature) and of 6 or more with other bytes 4 and 5 (the
 * signature tells them apart), in texts where they are cut after 4 to 6
 * bytes, end the text or follow each other: each found where a plain PCRE2
 * search finds it; the index lists the first bytes it was built with. */
static void test_regex_scan_filters(void **state)
{
    (void)state;
    static const char *const pat[] = {"да\\.", "данные", "датой", "дата\\w*", "abcdef",
                                       "xyz1", "§дан", "\\bданн\\w+", "ж-ж"};
    enum { N_PAT = sizeof pat / sizeof pat[0] };
    zl_atom mine[N_PAT];
    const zl_atom *ptrs[N_PAT];
    for (uint32_t k = 0; k < N_PAT; k++) {
        int err;
        PCRE2_SIZE eo;
        pcre2_code *re =
            pcre2_compile((PCRE2_SPTR)pat[k], PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP, &err,
                          &eo, NULL);
        assert_non_null(re);
        mine[k] = (zl_atom){.kind = ZL_ATOM_REGEX, .re = re, .pattern = pat[k]};
        ptrs[k] = &mine[k];
    }
    static const char *const text[] = {
        "да. дан данн данны данные датой дата датаx данныеданные датойдатой abcdef abcdeg "
        "xyz1 xyz §дан» «да» §да да.да. да аж-ж ааж-ж бж-жж",
        "данные", "датой", "да.", "дата", "abcdef", "§данн", "x данны", "x abcde xyz1"};
    int found = 0;
    for (size_t k = 0; k < sizeof text / sizeof text[0]; k++)
        found += own_atoms_are_naive(ptrs, N_PAT, text[k]);
    assert_int_equal(found, N_PAT + 9);
    zl_match_index_use_image(NULL, 0, NULL, 0);
    zl_match_index *ix = zl_match_index_new(ptrs, N_PAT);
    zl_buf dump = ZL_BUF_INIT;
    zl_match_index_dump(ix, &dump);
    /* per byte: 1 a literal starts with it, 2 ASCII but a digit, 4 D0-D3 */
    const char *cls = strstr(dump.data, "\npf_cls ");
    assert_non_null(cls);
    static const struct {
        unsigned char c;
        char want;
    } by[] = {{' ', '2'},  {'0', '0'},  {'9', '0'},  {'a', '3'},  {'b', '2'},  {'x', '3'},
              {0x7F, '2'}, {0x80, '0'}, {0xC2, '1'}, {0xD0, '5'}, {0xD1, '4'}, {0xD3, '4'},
              {0xD4, '0'}};
    for (size_t k = 0; k < sizeof by / sizeof by[0]; k++)
        assert_int_equal(cls[8 + by[k].c], by[k].want);
    zl_buf_free(&dump);
    zl_match_index_free(ix);
    zl_match_index_use_image(zl_pack_image_builtin.atoms, n_atoms, zl_pack_image_builtin.match_index,
                             zl_pack_image_builtin.match_index_len);
    for (uint32_t k = 0; k < N_PAT; k++)
        pcre2_code_free(mine[k].re);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regex_occurrences_are_plain_searches),
        cmocka_unit_test(test_phrase_occurrences_are_naive),
        cmocka_unit_test(test_phrase_groups_short_second_terms),
        cmocka_unit_test(test_phrase_short_first_terms),
        cmocka_unit_test(test_regex_scan_filters),
        cmocka_unit_test(test_threads_race_for_codes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
