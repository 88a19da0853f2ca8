/*
 * test_normalize.c - stage 2: the matching text and its offset map.
 *
 * One table row per Russian/Kazakh quirk (input, expected text, selected
 * map entries), the Cyrillic fast-path table checked against utf8proc, and
 * properties over the seed policies in tests/fixtures/seeds/.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "text/normalize.h"
#include "text/tokrec.h"
#include "util/arena.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* map: pairs (normalized byte index, input offset), terminated by -1. */
typedef struct row {
    const char *name;
    const char *in;
    const char *want;
    const int *map;
} row;

#define MAP(...) ((const int[]){__VA_ARGS__, -1})

static const row rows[] = {
    /* Latin look-alikes inside Cyrillic words, lower case. */
    {"latin c", "cол", "сол", MAP(0, 0, 1, 0, 2, 1, 4, 3, 6, 5)},
    {"latin o", "oкно", "окно", MAP(0, 0, 2, 1)},
    {"latin p", "pука", "рука", NULL},
    {"latin a", "aдрес", "адрес", NULL},
    {"latin e", "eсли", "если", NULL},
    {"latin x", "xранение", "хранение", NULL},
    {"latin y", "yслуга", "услуга", NULL},
    {"latin k", "kлиент", "клиент", NULL},
    {"latin m", "mесто", "место", NULL},
    {"latin t", "tело", "тело", NULL},
    {"latin b is soft sign", "связb", "связь", MAP(8, 8, 9, 8, 10, 9)},
    {"latin h is shha", "жиhаз", "жиһаз", MAP(4, 4, 5, 4, 6, 5)},
    {"latin i is kazakh i", "негiзгi", "негізгі", NULL},
    {"latin twin at word end", "услугa", "услуга", NULL},
    /* ... upper case. */
    {"latin C", "CОГЛАСИЕ", "согласие", MAP(0, 0, 2, 1)},
    {"latin O", "OПЕРАТОР", "оператор", NULL},
    {"latin P", "PАЗДЕЛ", "раздел", NULL},
    {"latin A", "AДРЕС", "адрес", NULL},
    {"latin E", "EСЛИ", "если", NULL},
    {"latin X", "XРАНЕНИЕ", "хранение", NULL},
    {"latin Y", "YСЛОВИЯ", "условия", NULL},
    {"latin K", "KЛИЕНТ", "клиент", NULL},
    {"latin M", "MЕСТО", "место", NULL},
    {"latin T", "TЕЛО", "тело", NULL},
    {"latin B", "BРЕМЯ", "время", NULL},
    {"latin H is en", "HЕТ", "нет", NULL},
    {"latin I", "Iшкі", "ішкі", NULL},
    {"kazakh word with latin a", "Қaзaқстaн", "қазақстан", MAP(0, 0, 2, 2, 4, 3)},
    /* Latin Kazakh letters are always mapped. */
    {"latin schwa", "əлем", "әлем", MAP(0, 0, 1, 0, 2, 2)},
    {"latin capital schwa", "ƏЛЕМ", "әлем", NULL},
    {"latin schwa alone", "ə", "ә", NULL},
    {"latin barred o", "ɵмір", "өмір", NULL},
    {"latin capital barred o", "Ɵмір", "өмір", NULL},
    /* ё -> е, composed or not. */
    {"yo", "ёлка", "елка", NULL},
    {"capital yo", "ЁЛКА", "елка", NULL},
    {"yo at word end", "всё", "все", NULL},
    {"nfd yo", "е\u0308ж", "еж", MAP(0, 0, 2, 4, 4, 6)},
    {"nfd capital yo", "Е\u0308", "е", MAP(0, 0, 1, 0, 2, 4)},
    {"latin e + diaeresis in cyrillic word", "вe\u0308", "ве", MAP(2, 2, 3, 2, 4, 5)},
    {"nfd short i", "мои\u0306", "мой", MAP(0, 0, 2, 2, 4, 4, 5, 4, 6, 8)},
    {"nfd capital short i", "И\u0306", "й", NULL},
    {"nfd yi", "і\u0308", "ї", NULL},
    {"stress mark kept", "а\u0301", "а\u0301", MAP(0, 0, 3, 0, 4, 4)},
    /* Spaces and invisibles. */
    {"nbsp", "а\u00A0б", "а б", MAP(0, 0, 2, 2, 3, 4, 5, 6)},
    {"narrow nbsp", "1\u202F000", "1 000", MAP(1, 1, 2, 4)},
    {"em space", "a\u2003b", "a b", NULL},
    {"ideographic space", "a\u3000b", "a b", NULL},
    {"medium math space", "a\u205Fb", "a b", NULL},
    {"tab", "a\tb", "a b", MAP(1, 1, 2, 2)},
    {"space run", "a  \t  b", "a b", MAP(1, 1, 2, 6)},
    {"soft hyphen in word", "персо\u00ADнальные", "персональные", MAP(8, 8, 9, 8, 10, 12)},
    {"soft hyphen joins look-alike word", "ce\u00ADрвис", "сервис", NULL},
    {"zero width space", "да\u200Bнные", "данные", MAP(4, 7)},
    {"zwnj zwj word joiner", "a\u200C\u200Db\u2060c", "abc", MAP(1, 7, 2, 11)},
    {"bom at start", "\uFEFFтекст", "текст", MAP(0, 3)},
    {"bom inside", "те\uFEFFкст", "текст", NULL},
    {"invisibles between spaces", "a \u200B b", "a b", MAP(1, 1, 2, 6)},
    /* Dashes. */
    {"hyphen U+2010", "x\u2010y", "x-y", MAP(1, 1, 2, 4)},
    {"non-breaking hyphen", "x\u2011y", "x-y", NULL},
    {"figure dash", "1\u20122", "1-2", NULL},
    {"en dash", "1 \u2013 2", "1 - 2", MAP(2, 2, 3, 5)},
    {"em dash", "а\u2014б", "а-б", NULL},
    {"horizontal bar", "а\u2015б", "а-б", NULL},
    {"minus sign", "\u22125", "-5", NULL},
    {"fullwidth hyphen-minus", "a\uFF0Db", "a-b", NULL},
    /* Quotes. */
    {"guillemets", "«Компания»", "\"компания\"", MAP(0, 0, 1, 2, 17, 18, 18, 20)},
    {"left double quote", "\u201Cx", "\"x", NULL},
    {"right double quote", "x\u201D", "x\"", NULL},
    {"low double quote", "\u201Ex", "\"x", NULL},
    {"reversed double quote", "\u201Fx", "\"x", NULL},
    {"modifier double apostrophe", "Faces\u02EE", "faces\"", MAP(5, 5, 6, 7)},
    {"double prime", "x\u2033", "x\"", NULL},
    {"left single quote", "\u2018x", "'x", NULL},
    {"right single quote", "x\u2019", "x'", NULL},
    {"low single quote", "\u201Ax", "'x", NULL},
    {"reversed single quote", "\u201Bx", "'x", NULL},
    /* Line breaks. */
    {"lf", "a\nb", "a\nb", MAP(0, 0, 1, 1, 2, 2, 3, 3)},
    {"crlf is one break", "a\r\nb", "a\nb", MAP(0, 0, 1, 1, 2, 3, 3, 4)},
    {"cr", "a\rb", "a\nb", NULL},
    {"crlf crlf is a blank line", "a\r\n\r\nb", "a\n\nb", MAP(1, 1, 2, 1, 3, 5)},
    {"blank line with spaces", "a \n \t\n b", "a\n\nb", MAP(1, 1, 2, 1, 3, 7, 4, 8)},
    {"three breaks", "a\n\n\nb", "a\n\nb", NULL},
    {"spaces around one break", "a  \n  b", "a\nb", MAP(1, 1, 2, 6)},
    {"line separator", "a\u2028b", "a\nb", NULL},
    {"paragraph separator", "a\u2029b", "a\n\nb", MAP(1, 1, 2, 1, 3, 4)},
    {"next line", "a\xC2\x85" "b", "a\nb", NULL},
    {"leading and trailing whitespace dropped", " \r\n\u00A0a b \n\n ", "a b",
     MAP(0, 5, 1, 6, 2, 7, 3, 12)},
    {"whitespace only", " \n\t\u2029 ", "", MAP(0, 7)},
    /* Latin words stay Latin, lower-cased. */
    {"latin words", "Google Firebase TLS appfaces.tech e-mail", "google firebase tls appfaces.tech e-mail",
     NULL},
    {"latin word before a hyphen", "Google-аккаунт", "google-аккаунт", NULL},
    {"e-mail before a hyphen", "e-mail-адрес", "e-mail-адрес", NULL},
    {"tls prefix", "TLS-шифрование", "tls-шифрование", NULL},
    {"all-look-alike latin word before a hyphen", "IP-адрес", "ip-адрес", NULL},
    {"cookie before a hyphen", "Cookie-файлов cookie-ді", "cookie-файлов cookie-ді", NULL},
    {"api before a kazakh suffix", "API-іне", "api-іне", NULL},
    {"hyphen separates words", "интернет-pecypc", "интернет-pecypc", NULL},
    {"look-alike after a hyphen in a cyrillic word", "интернет-pecурс", "интернет-ресурс", NULL},
    {"mixed-script word", "Gооgle", "gооglе", NULL},
    {"latin word next to cyrillic word", "Сервис Firebase", "сервис firebase", NULL},
    {"digits split words", "cat5кот", "cat5кот", NULL},
    {"invisible inside a word keeps it one word", "c\u200Bол", "сол", NULL},
    /* Case. */
    {"upper russian", "ПОЛИТИКА КОНФИДЕНЦИАЛЬНОСТИ", "политика конфиденциальности", NULL},
    {"upper kazakh", "ӘҒҚҢӨҰҮҺІ", "әғқңөұүһі", NULL},
    {"palochka", "\u04C0", "\u04CF", NULL},
    /* Unchanged. */
    {"digits and ascii punctuation", "0123456789 !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
     "0123456789 !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", NULL},
    {"replacement character", "a\uFFFDb", "a\uFFFDb", MAP(1, 1, 3, 1, 4, 4)},
    {"invalid byte becomes U+FFFD", "a\xFF" "b", "a\uFFFDb", MAP(1, 1, 3, 1, 4, 2, 5, 3)},
    {"empty", "", "", MAP(0, 0)},
    /* Compatibility characters (NFKC). */
    {"fi ligature", "\uFB01", "fi", MAP(0, 0, 1, 0, 2, 3)},
    {"circled one", "\u2460", "1", NULL},
    {"fullwidth latin", "\uFF21\uFF22\uFF23", "abc", MAP(0, 0, 1, 3, 2, 6)},
    {"ellipsis", "\u2026", "...", NULL},
    {"sharp s folds", "Stra\u00DFe", "strasse", NULL},
    {"precomposed latin kept", "caf\u00C9", "caf\u00E9", NULL},
    {"spacing diaeresis kept (NFKC would give a space)", "a\u00A8b", "a\u00A8b", NULL},
    {"yo then breve composes", "\u0401\u0306", "\u04D7", NULL},
    {"mark after an invisible composes", "и\u00AD\u0306", "й", MAP(0, 0, 1, 0, 2, 6)},
    {"em dash separates words", "Google\u2014сервис cайт\u2014x", "google-сервис сайт-x", NULL},
    {"ligature in a cyrillic word maps its twins", "о\uFB01с", "оfіс", MAP(2, 2, 3, 2, 4, 2, 5, 5, 7, 7)},
    {"fullwidth twin in a cyrillic word", "\uFF43ол", "сол", MAP(0, 0, 1, 0, 2, 3)},
};

static void check_map_pairs(const row *r, const zl_norm *nm)
{
    if (!r->map)
        return;
    for (const int *p = r->map; p[0] >= 0; p += 2) {
        assert_true((size_t)p[0] <= nm->len);
        if (nm->map[p[0]] != (uint32_t)p[1])
            fail_msg("%s: map[%d] = %u, want %d", r->name, p[0], (unsigned)nm->map[p[0]], p[1]);
    }
}

/* Invariants every normalization must hold. */
static void check_invariants(const char *name, const char *in, size_t n, const zl_norm *nm)
{
    assert_non_null(nm->text);
    assert_non_null(nm->map);
    assert_int_equal(nm->text[nm->len], '\0');
    if (nm->map[nm->len] != n)
        fail_msg("%s: map[len] = %u, want %zu", name, (unsigned)nm->map[nm->len], n);
    for (size_t i = 0; i < nm->len; i++) {
        if (nm->map[i] > nm->map[i + 1])
            fail_msg("%s: map not monotonic at %zu", name, i);
        uint32_t o = nm->map[i];
        if (o >= n || ((unsigned char)in[o] & 0xC0) == 0x80)
            fail_msg("%s: map[%zu] = %u is not a character start", name, i, (unsigned)o);
        /* Every byte of one output character maps to one input offset. */
        if (((unsigned char)nm->text[i] & 0xC0) == 0x80 && nm->map[i] != nm->map[i - 1])
            fail_msg("%s: continuation byte %zu maps elsewhere", name, i);
    }
    if (nm->len > 0) {
        assert_true(nm->text[0] != ' ' && nm->text[0] != '\n');
        assert_true(nm->text[nm->len - 1] != ' ' && nm->text[nm->len - 1] != '\n');
    }
}

static void test_rows(void **state)
{
    (void)state;
    zl_arena *a = zl_arena_new();
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const row *r = &rows[i];
        size_t n = strlen(r->in);
        zl_norm nm;
        zl_normalize(a, r->in, n, &nm);
        if (nm.len != strlen(r->want) || memcmp(nm.text, r->want, nm.len) != 0)
            fail_msg("%s: got \"%s\", want \"%s\"", r->name, nm.text, r->want);
        check_invariants(r->name, r->in, n, &nm);
        check_map_pairs(r, &nm);

        size_t slen = 0;
        char *s = zl_normalize_str(a, r->in, n, &slen);
        if (slen != nm.len || memcmp(s, nm.text, slen) != 0 || s[slen] != '\0')
            fail_msg("%s: zl_normalize_str differs: \"%s\"", r->name, s);

        /* Normalizing the result again changes nothing. */
        size_t len2 = 0;
        char *again = zl_normalize_str(a, nm.text, nm.len, &len2);
        if (len2 != nm.len || memcmp(again, nm.text, len2) != 0)
            fail_msg("%s: not idempotent: \"%s\" -> \"%s\"", r->name, nm.text, again);
    }
    zl_arena_free(a);
}

/* The Cyrillic fast-path table agrees with utf8proc (ё/Ё -> е aside). */
static void test_cyrillic_table_matches_utf8proc(void **state)
{
    (void)state;
    zl_arena *a = zl_arena_new();
    for (uint32_t cp = 0x400; cp < 0x500; cp++) {
        char in[8];
        size_t n = zl_utf8_encode(cp, in);
        utf8proc_uint8_t *ref = NULL;
        utf8proc_ssize_t rl =
            utf8proc_map((const utf8proc_uint8_t *)in, (utf8proc_ssize_t)n, &ref,
                         UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD);
        assert_true(rl > 0);
        const char *want = (const char *)ref;
        if (cp == 0x401 || cp == 0x451)
            want = "е";
        size_t len = 0;
        char *got = zl_normalize_str(a, in, n, &len);
        if (strcmp(got, want) != 0)
            fail_msg("U+%04X: got \"%s\", want \"%s\"", (unsigned)cp, got, want);
        free(ref);
    }
    zl_arena_free(a);
}

/* Output larger than the first buffer guess: growth keeps text and map. */
static void test_growth(void **state)
{
    (void)state;
    zl_arena *a = zl_arena_new();
    enum { REP = 3000 };

    /* Latin twins in a Cyrillic word double in size; the Cyrillic run
     * after them then fills the grown buffer up to its end. */
    size_t n = 2 + REP + 2 * REP;
    char *in = zl_xmalloc(n + 1);
    memcpy(in, "д", 2);
    memset(in + 2, 'a', REP);
    for (size_t i = 0; i < REP; i++)
        memcpy(in + 2 + REP + 2 * i, "Д", 2);
    in[n] = '\0';
    zl_norm nm;
    zl_normalize(a, in, n, &nm);
    assert_int_equal(nm.len, 2 + 4 * REP);
    check_invariants("twins", in, n, &nm);
    for (size_t i = 0; i < REP; i++) {
        assert_memory_equal(nm.text + 2 + 2 * i, "а", 2);
        assert_int_equal(nm.map[2 + 2 * i], 2 + i);
        assert_int_equal(nm.map[3 + 2 * i], 2 + i);
        assert_memory_equal(nm.text + 2 + 2 * REP + 2 * i, "д", 2);
        assert_int_equal(nm.map[2 + 2 * REP + 2 * i], 2 + REP + 2 * i);
    }
    free(in);

    /* U+FDFA expands to 18 code points under NFKC. */
    in = zl_xmalloc(3 * REP + 1);
    for (size_t i = 0; i < REP; i++)
        zl_utf8_encode(0xFDFA, in + 3 * i);
    in[3 * REP] = '\0';
    zl_normalize(a, in, 3 * REP, &nm);
    assert_true(nm.len > 10 * REP);
    check_invariants("ligature", in, 3 * REP, &nm);
    size_t slen = 0;
    char *s = zl_normalize_str(a, in, 3 * REP, &slen);
    assert_int_equal(slen, nm.len);
    assert_memory_equal(s, nm.text, slen);
    free(in);
    zl_arena_free(a);
}

/* The fast paths (runs of Cyrillic letters, runs of ASCII letters and
 * digits) give the text and map of the general path: the same input with a
 * removed invisible (U+200B) after each code point takes the general path
 * for every character, and must give the same text, its map read through
 * the offsets of the inserted invisibles.  Random mixes, ASCII-heavy. */
static const char *const fast_pieces[] = {
    "a", "b", "e", "h", "i", "k", "o", "p", "x", "y", "d", "f", "g", "q", "z", "w",
    "A", "B", "E", "H", "I", "M", "T", "D", "F", "Q", "Z", "0", "1", "5", "9", "42",
    "word", "Cookie", "API", "IP", "cookies", "2026", "3d", "x1y", "ab12cd", "HTTPS",
    "а", "я", "ё", "Ё", "А", "Я", "ә", "Қ", "і", "І", "слово", "ПРИВЕТ", "Данные",
    " ", " ", " ", " ", "  ", "\n", "\n\n", "\t", ".", ",", "-", "'", "(", ")", ":", ";",
    "/", "@", "_", "\"", "\u00A0", "\u00AB", "\u2014", "\u0301", "\u0306", "\u00AD",
    "\uFB01", "\uFF41", "\u0259", "\u03C9", "\u00E9", "ß",
};

static void test_fast_paths_match_general(void **state)
{
    (void)state;
    const size_t np = sizeof fast_pieces / sizeof *fast_pieces;
    uint64_t x = 0x2545F4914F6CDD1Du;
    char buf[1024], slow[4096];
    uint32_t back[4096];
    for (int round = 0; round < 20000; round++) {
        zl_arena *a = zl_arena_new();
        size_t len = 0;
        x = x * 6364136223846793005u + 1442695040888963407u;
        int pieces = (int)((x >> 33) % 64);
        for (int k = 0; k < pieces; k++) {
            x = x * 6364136223846793005u + 1442695040888963407u;
            const char *p = fast_pieces[(x >> 33) % np];
            size_t pl = strlen(p);
            if (len + pl >= sizeof buf)
                break;
            memcpy(buf + len, p, pl);
            len += pl;
        }
        /* the same with U+200B after each code point (all valid UTF-8) */
        size_t sl = 0;
        for (size_t i = 0; i < len;) {
            uint32_t cp;
            size_t l = zl_utf8_decode(buf + i, len - i, &cp);
            assert_true(l > 0);
            for (size_t q = 0; q < l; q++)
                back[sl + q] = (uint32_t)i;
            memcpy(slow + sl, buf + i, l);
            sl += l;
            for (size_t q = 0; q < 3; q++)
                back[sl + q] = (uint32_t)(i + l);
            memcpy(slow + sl, "\u200B", 3);
            sl += 3;
            i += l;
        }
        back[sl] = (uint32_t)len;
        zl_norm fast, gen;
        zl_normalize(a, buf, len, &fast);
        zl_normalize(a, slow, sl, &gen);
        int same = fast.len == gen.len && memcmp(fast.text, gen.text, fast.len) == 0;
        for (size_t k = 0; same && k <= fast.len; k++)
            same = fast.map[k] == back[gen.map[k]];
        if (!same)
            fprintf(stderr, "round %d: \"%.*s\"\n", round, (int)len, buf);
        assert_true(same);
        zl_arena_free(a);
    }
}

/* Cyrillic-heavy mixes for the Cyrillic runs (16 bytes at a time with
 * SSE2, else 8): long runs of every letter of U+0400-U+045F crossing the
 * blocks, with Kazakh letters, other letters of U+0460-U+04FF, Cyrillic
 * marks, look-alikes, combining marks and invisibles after or inside a run,
 * spaces, punctuation, ill-formed bytes (with `bad`) and the text's end
 * anywhere; with `words`, mostly words of U+0410-U+044F between single
 * spaces (which fall at every byte of the blocks).  Writes at most cap - 8
 * bytes of UTF-8 to buf. */
static size_t cyr_mix(uint64_t *x, char *buf, size_t cap, int bad, int words)
{
    static const uint16_t kaz[] = {0x4D8, 0x4D9, 0x492, 0x493, 0x49A, 0x49B, 0x4A2, 0x4A3, 0x4E8,
                                   0x4E9, 0x4B0, 0x4B1, 0x4AE, 0x4AF, 0x4BA, 0x4BB, 0x406, 0x456};
    static const char *const other[] = {"a", "e", "o", "p", "c", "x", "y", "A", "E", "O", "B", "H",
                                        "z", "7", ".", ",", "-", "'", "(", "\n", "\u00E9", "\uFB01",
                                        "\u0259", "\u0301", "\u0306", "\u0308", "\u200B", "\u00AD",
                                        ", ", ". ", ": ", ") ", "\" ", "- ", "' ", "1 ", ",  ",
                                        ",\n", ". \u200B", "\n", " \n", ".\n\n", " (", ")\n",
                                        " \u2014 ", "\u2013", " - ", "\u00AB", "\u00BB ", "\u00A0",
                                        "\t", "\r\n", "\r", ". \n\n", "; \n\u25CF ", " | ", "/",
                                        " \n \n ", "),\n", "\u00A0 ", "-\n", " \u2014", "\n\u00B7 ", " \u0483", ", \u0482",
                                        " \u0438\u0306", "\u00BB, ", "\u00A0\u2014 ", "\u2014",
                                        "\u2019", "\u200B", "\u200D", "\u200E", "\u00AD", "\u2060"};
    static const char *const ill[] = {"\xD0", "\xD1", "\x80", "\xFF", "\xD0\xD0", "\xE2\x80",
                                      "\xD2", "\xD3\xC0"};
    *x = *x * 6364136223846793005u + 1442695040888963407u;
    size_t units = (size_t)((*x >> 33) % 160), len = 0;
    for (size_t k = 0; k < units && len + 8 < cap; k++) {
        *x = *x * 6364136223846793005u + 1442695040888963407u;
        unsigned r = (unsigned)(*x >> 33) % 100, v = (unsigned)(*x >> 45);
        if (words) /* U+0410-U+044F, U+0400-U+045F, Kazakh, a space, other */
            r = r < 78 ? r % 55 : r < 82 ? r - 23 : r < 85 ? r - 19 : r < 98 ? 80 : r;
        if (r < 55) {
            len += zl_utf8_encode(0x410 + v % 0x40, buf + len);
        } else if (r < 63) {
            len += zl_utf8_encode(v % 2 ? 0x400 + v / 2 % 16 : 0x450 + v / 2 % 16, buf + len);
        } else if (r < 71) {
            len += zl_utf8_encode(kaz[v % (sizeof kaz / sizeof *kaz)], buf + len);
        } else if (r < 75) {
            len += zl_utf8_encode(0x460 + v % 0xA0, buf + len);
        } else if (r < 85) {
            buf[len++] = ' ';
        } else if (r < 98 || !bad) {
            const char *p = other[v % (sizeof other / sizeof *other)];
            memcpy(buf + len, p, strlen(p));
            len += strlen(p);
        } else {
            const char *p = ill[v % (sizeof ill / sizeof *ill)];
            memcpy(buf + len, p, strlen(p));
            len += strlen(p);
        }
    }
    return len;
}

/* The Cyrillic runs give the text and map of the general path (as in
 * test_fast_paths_match_general, an ill-formed byte counting as one code
 * point), zl_normalize_doc gives the text of zl_normalize (and no map), and
 * the recorded tokens are those of scan_tokens (zl_tokrec_check). */
static void test_cyrillic_runs_match_general(void **state)
{
    (void)state;
    uint64_t x = 0x9E3779B97F4A7C15u;
    char buf[1024], slow[4096];
    uint32_t back[4096];
    for (int round = 0; round < 30000; round++) {
        zl_arena *a = zl_arena_new();
        size_t len = cyr_mix(&x, buf, sizeof buf, round % 2, round % 4 > 1);
        size_t sl = 0;
        for (size_t i = 0; i < len;) {
            uint32_t cp;
            size_t l = zl_utf8_decode(buf + i, len - i, &cp);
            if (l == 0)
                l = 1;
            for (size_t q = 0; q < l; q++)
                back[sl + q] = (uint32_t)i;
            memcpy(slow + sl, buf + i, l);
            sl += l;
            i += l;
            if (buf[i - 1] == '\r')
                continue; /* \r\n stays one line break */
            for (size_t q = 0; q < 3; q++)
                back[sl + q] = (uint32_t)i;
            memcpy(slow + sl, "\u200B", 3);
            sl += 3;
        }
        back[sl] = (uint32_t)len;
        zl_norm fast, gen, doc;
        zl_tokrec rec;
        zl_normalize(a, buf, len, &fast);
        zl_normalize(a, slow, sl, &gen);
        zl_normalize_doc(a, buf, len, &doc, &rec);
        int same = fast.len == gen.len && memcmp(fast.text, gen.text, fast.len) == 0 &&
                   doc.len == fast.len && memcmp(doc.text, fast.text, fast.len) == 0 && !doc.map;
        for (size_t k = 0; same && k <= fast.len; k++)
            same = fast.map[k] == back[gen.map[k]];
        uint32_t bad = same ? zl_tokrec_check(buf, len) : 0;
        if (!same || bad) {
            fprintf(stderr, "round %d (token %u):", round, bad);
            for (size_t k = 0; k < len; k++)
                fprintf(stderr, " %02x", (unsigned char)buf[k]);
            fprintf(stderr, "\n");
        }
        assert_true(same);
        assert_int_equal(bad, 0);
        zl_arena_free(a);
    }
}

/* More combining marks than one utf8proc call takes. */
static void test_long_mark_run(void **state)
{
    (void)state;
    zl_arena *a = zl_arena_new();
    enum { MARKS = 100 };
    char in[1 + 2 * MARKS + 1];
    in[0] = 'a';
    for (size_t i = 0; i < MARKS; i++)
        zl_utf8_encode(0x0301, in + 1 + 2 * i);
    in[1 + 2 * MARKS] = '\0';
    zl_norm nm;
    zl_normalize(a, in, sizeof in - 1, &nm);
    check_invariants("marks", in, sizeof in - 1, &nm);
    /* á then 99 acute accents kept as they are. */
    assert_int_equal(nm.len, 2 + 2 * (MARKS - 1));
    assert_memory_equal(nm.text, "\u00E1", 2);
    zl_arena_free(a);
}

static char *read_file(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, len = 0;
    char *buf = zl_xmalloc(cap);
    size_t got;
    while ((got = fread(buf + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap)
            buf = zl_xgrow(buf, &cap, cap + 1, 1);
    }
    fclose(f);
    *n = len;
    return buf;
}

static const char *const seeds[] = {
    "tests/fixtures/seeds/000_80f2cb7f16497100.txt", "tests/fixtures/seeds/001_e9e5e6f652fd16d4.txt",
    "tests/fixtures/seeds/002_e3648f6612deae10.txt", "tests/fixtures/seeds/003_edbea6bc1c28116f.txt",
    "tests/fixtures/seeds/004_53eae54461e654f3.txt",
};

static void test_seed_properties(void **state)
{
    (void)state;
    for (size_t f = 0; f < sizeof seeds / sizeof seeds[0]; f++) {
        size_t n = 0;
        char *in = read_file(seeds[f], &n);
        if (!in)
            fail_msg("cannot read %s (tests run from the repository root)", seeds[f]);
        assert_true(n > 1000);
        zl_arena *a = zl_arena_new();
        zl_norm nm;
        zl_normalize(a, in, n, &nm);
        check_invariants(seeds[f], in, n, &nm);
        assert_true(nm.len > n / 2);

        for (size_t i = 0; i < nm.len;) {
            uint32_t cp;
            size_t l = zl_utf8_decode(nm.text + i, nm.len - i, &cp);
            if (l == 0)
                fail_msg("%s: invalid UTF-8 in output at %zu", seeds[f], i);
            if (cp == 0x451)
                fail_msg("%s: yo left at %zu", seeds[f], i);
            if ((cp >= 0x400 && cp < 0x530 && utf8proc_category((utf8proc_int32_t)cp) ==
                                                    UTF8PROC_CATEGORY_LU) ||
                (cp >= 'A' && cp <= 'Z'))
                fail_msg("%s: upper case U+%04X left at %zu", seeds[f], (unsigned)cp, i);
            if (cp == 0xA0 || cp == 0xAD || cp == 0x200B || cp == 0xFEFF || cp == '\t' ||
                cp == '\r' || cp == 0xAB || cp == 0xBB || cp == 0x2013 || cp == 0x2014)
                fail_msg("%s: U+%04X left at %zu", seeds[f], (unsigned)cp, i);
            i += l;
        }
        /* No space runs, no more than one blank line, no space next to a break. */
        assert_null(strstr(nm.text, "  "));
        assert_null(strstr(nm.text, "\n\n\n"));
        assert_null(strstr(nm.text, " \n"));
        assert_null(strstr(nm.text, "\n "));

        size_t slen = 0;
        char *s = zl_normalize_str(a, in, n, &slen);
        assert_int_equal(slen, nm.len);
        assert_memory_equal(s, nm.text, slen);

        size_t len2 = 0;
        char *again = zl_normalize_str(a, nm.text, nm.len, &len2);
        assert_int_equal(len2, nm.len);
        assert_memory_equal(again, nm.text, len2);

        zl_arena_free(a);
        free(in);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows),
        cmocka_unit_test(test_cyrillic_table_matches_utf8proc),
        cmocka_unit_test(test_growth),
        cmocka_unit_test(test_fast_paths_match_general),
        cmocka_unit_test(test_cyrillic_runs_match_general),
        cmocka_unit_test(test_long_mark_run),
        cmocka_unit_test(test_seed_properties),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
