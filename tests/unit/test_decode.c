/*
 * test_decode.c - bytes to UTF-8 (src/ingest/decode.c): one table row per
 * encoding quirk, each checking the exact output bytes, the detected
 * encoding, the BOM length and the diagnostics (id, byte offset, count).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "ingest/decode.h"
#include "util/diag.h"
#include "util/utf8.h"
#include "support/rnd.h"

#define B(s) s, sizeof(s) - 1
#define NO_DIAG ((zl_diag_id)-1)

/* "Политика конфиденциальности" in several encodings */
#define POLICY_UTF8 "Политика конфиденциальности"
#define POLICY_CP1251                                                                              \
    "\xcf\xee\xeb\xe8\xf2\xe8\xea\xe0\x20\xea\xee\xed\xf4\xe8\xe4\xe5\xed\xf6\xe8\xe0\xeb\xfc\xed" \
    "\xee\xf1\xf2\xe8"
#define POLICY_KOI8R                                                                               \
    "\xf0\xcf\xcc\xc9\xd4\xc9\xcb\xc1\x20\xcb\xcf\xce\xc6\xc9\xc4\xc5\xce\xc3\xc9\xc1\xcc\xd8\xce" \
    "\xcf\xd3\xd4\xc9"
#define POLICY_UPPER_UTF8 "ПОЛИТИКА КОНФИДЕНЦИАЛЬНОСТИ"
#define POLICY_UPPER_KOI8R                                                                         \
    "\xf0\xef\xec\xe9\xf4\xe9\xeb\xe1\x20\xeb\xef\xee\xe6\xe9\xe4\xe5\xee\xe3\xe9\xe1\xec\xf8\xee" \
    "\xef\xf3\xf4\xe9"
#define POLICY_UPPER_CP1251                                                                        \
    "\xcf\xce\xcb\xc8\xd2\xc8\xca\xc0\x20\xca\xce\xcd\xd4\xc8\xc4\xc5\xcd\xd6\xc8\xc0\xcb\xdc\xcd" \
    "\xce\xd1\xd2\xc8"
#define OPERATOR_UTF8 "Оператор обрабатывает персональные данные"
#define OPERATOR_KOI8R                                                                             \
    "\xef\xd0\xc5\xd2\xc1\xd4\xcf\xd2\x20\xcf\xc2\xd2\xc1\xc2\xc1\xd4\xd9\xd7\xc1\xc5\xd4\x20\xd0" \
    "\xc5\xd2\xd3\xcf\xce\xc1\xcc\xd8\xce\xd9\xc5\x20\xc4\xc1\xce\xce\xd9\xc5"
#define FFFD "\xEF\xBF\xBD"

typedef struct row {
    const char *name;
    const char *in;
    size_t in_len;
    const char *encoding; /* option, NULL = detect */
    int rc;
    const char *out; /* expected UTF-8 when rc == ZL_OK */
    size_t out_len;
    zl_encoding enc;
    size_t bom_len;
    zl_diag_id diag;   /* the one diagnostic expected, NO_DIAG = none */
    size_t diag_off;   /* its byte offset in the file */
    size_t n_invalid;  /* for ZL_D_ENC_INVALID_UTF8: count named in the message */
} row;

static const row rows[] = {
    /* UTF-8 */
    {"utf8 plain", B("Политика\r\nAB\n"), NULL, ZL_OK, B("Политика\r\nAB\n"), ZL_ENC_UTF8, 0,
     NO_DIAG, 0, 0},
    {"utf8 bom stripped", B("\xEF\xBB\xBFДа\n"), NULL, ZL_OK, B("Да\n"), ZL_ENC_UTF8_BOM, 3,
     NO_DIAG, 0, 0},
    {"utf8 named with bom", B("\xEF\xBB\xBFДа"), "UTF-8", ZL_OK, B("Да"), ZL_ENC_UTF8_BOM, 3,
     NO_DIAG, 0, 0},
    {"utf8 4-byte emoji kept", B("a\xF0\x9F\x98\x80z"), NULL, ZL_OK, B("a\xF0\x9F\x98\x80z"),
     ZL_ENC_UTF8, 0, NO_DIAG, 0, 0},
    {"few stray controls are text", B("Текст \x1b[1m жирный\x1b[0m конец строки"), NULL, ZL_OK,
     B("Текст \x1b[1m жирный\x1b[0m конец строки"), ZL_ENC_UTF8, 0, NO_DIAG, 0, 0},
    /* invalid UTF-8 in a mostly UTF-8 input */
    {"overlong C0 AF", B("Да \xC0\xAF!"), NULL, ZL_OK, B("Да " FFFD FFFD "!"), ZL_ENC_UTF8, 0,
     ZL_D_ENC_INVALID_UTF8, 5, 2},
    {"overlong E0 80 80", B("Да\xE0\x80\x80"), NULL, ZL_OK, B("Да" FFFD FFFD FFFD), ZL_ENC_UTF8,
     0, ZL_D_ENC_INVALID_UTF8, 4, 3},
    {"truncated 3-byte", B("Да \xE2\x82!"), NULL, ZL_OK, B("Да " FFFD "!"), ZL_ENC_UTF8, 0,
     ZL_D_ENC_INVALID_UTF8, 5, 1},
    {"truncated at end", B("Да\xD0"), NULL, ZL_OK, B("Да" FFFD), ZL_ENC_UTF8, 0,
     ZL_D_ENC_INVALID_UTF8, 4, 1},
    {"stray continuation", B("Да\x80да"), NULL, ZL_OK, B("Да" FFFD "да"), ZL_ENC_UTF8, 0,
     ZL_D_ENC_INVALID_UTF8, 4, 1},
    {"0xFF in Cyrillic UTF-8", B("Политика\xFF"), NULL, ZL_OK, B("Политика" FFFD), ZL_ENC_UTF8,
     0, ZL_D_ENC_INVALID_UTF8, 16, 1},
    {"lone 0xFF in ASCII is not cp1251", B("hello\xFFworld"), NULL, ZL_OK,
     B("hello" FFFD "world"), ZL_ENC_UTF8, 0, ZL_D_ENC_INVALID_UTF8, 5, 1},
    {"encoded surrogate", B("a\xED\xA0\x80z"), NULL, ZL_OK, B("a" FFFD FFFD FFFD "z"),
     ZL_ENC_UTF8, 0, ZL_D_ENC_INVALID_UTF8, 1, 3},
    {"two bad spots: one warning, first offset", B("\xFEДа\xFE"), NULL, ZL_OK,
     B(FFFD "Да" FFFD), ZL_ENC_UTF8, 0, ZL_D_ENC_INVALID_UTF8, 0, 2},
    {"offset counts the BOM", B("\xEF\xBB\xBF" "Да\x80"), NULL, ZL_OK, B("Да" FFFD),
     ZL_ENC_UTF8_BOM, 3, ZL_D_ENC_INVALID_UTF8, 7, 1},
    /* inputs longer than one 8-byte word: the scan checks runs of ASCII
     * and of 2-byte letters a word at a time */
    {"overlong C0 80 inside a run of letters", B("Поли\xC0\x80тика политики"), NULL, ZL_OK,
     B("Поли" FFFD FFFD "тика политики"), ZL_ENC_UTF8, 0, ZL_D_ENC_INVALID_UTF8, 8, 2},
    {"overlong C1 BF inside a run of letters", B("Поли\xC1\xBFтика"), NULL, ZL_OK,
     B("Поли" FFFD FFFD "тика"), ZL_ENC_UTF8, 0, ZL_D_ENC_INVALID_UTF8, 8, 2},
    {"lead byte without continuation among letters", B("Поли\xD0тика"), NULL, ZL_OK,
     B("Поли" FFFD "тика"), ZL_ENC_UTF8, 0, ZL_D_ENC_INVALID_UTF8, 8, 1},
    {"continuation in a lead position among letters", B("По\xBFлитика"), NULL, ZL_OK,
     B("По" FFFD "литика"), ZL_ENC_UTF8, 0, ZL_D_ENC_INVALID_UTF8, 4, 1},
    {"3-byte and 4-byte sequences among letters", B("Поли€тика\xF0\x9F\x98\x80 ПОЛИТИКА"),
     NULL, ZL_OK, B("Поли€тика\xF0\x9F\x98\x80 ПОЛИТИКА"), ZL_ENC_UTF8, 0, NO_DIAG, 0, 0},
    {"invalid byte after 8 ASCII bytes", B("abcdefgh\xFFijklmnop"), NULL, ZL_OK,
     B("abcdefgh" FFFD "ijklmnop"), ZL_ENC_UTF8, 0, ZL_D_ENC_INVALID_UTF8, 8, 1},
    {"DEL and tabs in long ASCII are text", B("abc\x7f\tdefgh\tij\r\nklmnopqrstuvwxyz"), NULL,
     ZL_OK, B("abc\x7f\tdefgh\tij\r\nklmnopqrstuvwxyz"), ZL_ENC_UTF8, 0, NO_DIAG, 0, 0},
    {"one control in a long line is text", B("abcdefg\x01hijklmnopqrstuvwxyz"), NULL, ZL_OK,
     B("abcdefg\x01hijklmnopqrstuvwxyz"), ZL_ENC_UTF8, 0, NO_DIAG, 0, 0},
    {"NUL after 8 ASCII bytes", B("abcdefgh\0ijklmnop"), NULL, ZL_ERR, NULL, 0, ZL_ENC_UTF8, 0,
     ZL_D_ENC_BINARY, 8, 0},
    {"NUL after letters, controls before it", B("\x01ПОЛИТИКА\x02\0"), NULL, ZL_ERR, NULL, 0,
     ZL_ENC_UTF8, 0, ZL_D_ENC_BINARY, 18, 0},
    {"four controls in long text", B("Политика abcdefgh\x01\x02 text\x03\x04 text text text"),
     NULL, ZL_ERR, NULL, 0, ZL_ENC_UTF8, 0, ZL_D_ENC_BINARY, 25, 0},
    /* the well-formed sequences counted against the invalid ones keep an
     * input UTF-8 whose bytes would otherwise read as single-byte letters */
    {"one letter per eight invalid bytes stays utf8",
     B("\xC0\xC0\xC0\xC0\xC0\xC0\xC0\xC0ж"), NULL, ZL_OK,
     B(FFFD FFFD FFFD FFFD FFFD FFFD FFFD FFFD "ж"), ZL_ENC_UTF8, 0, ZL_D_ENC_INVALID_UTF8, 0, 8},
    {"32 invalid bytes and four letters stay utf8",
     B("\xC0\xC0\xC0\xC0\xC0\xC0\xC0\xC0\xC0\xC0\xC0\xC0\xC0\xC0\xC0\xC0"
       "\xC0\xC0\xC0\xC0\xC0\xC0\xC0\xC0\xC0\xC0\xC0\xC0\xC0\xC0\xC0\xC0жжжж"),
     NULL, ZL_OK,
     B(FFFD FFFD FFFD FFFD FFFD FFFD FFFD FFFD FFFD FFFD FFFD FFFD FFFD FFFD FFFD FFFD
       FFFD FFFD FFFD FFFD FFFD FFFD FFFD FFFD FFFD FFFD FFFD FFFD FFFD FFFD FFFD FFFD "жжжж"),
     ZL_ENC_UTF8, 0, ZL_D_ENC_INVALID_UTF8, 0, 32},
    /* UTF-16 */
    {"utf16le bom cyrillic + pair", B("\xFF\xFE\x14\x04\x30\x04\x20\x00\x3D\xD8\x00\xDE\n\x00"),
     NULL, ZL_OK, B("Да \xF0\x9F\x98\x80\n"), ZL_ENC_UTF16LE, 2, NO_DIAG, 0, 0},
    {"utf16be bom cyrillic + pair", B("\xFE\xFF\x04\x14\x04\x30\x00\x20\xD8\x3D\xDE\x00\x00\n"),
     NULL, ZL_OK, B("Да \xF0\x9F\x98\x80\n"), ZL_ENC_UTF16BE, 2, NO_DIAG, 0, 0},
    {"utf16le named without bom", B("\x14\x04\x30\x04"), "utf-16le", ZL_OK, B("Да"),
     ZL_ENC_UTF16LE, 0, NO_DIAG, 0, 0},
    {"utf16be crlf kept", B("\xFE\xFF\x00\x41\x00\r\x00\n"), NULL, ZL_OK, B("A\r\n"),
     ZL_ENC_UTF16BE, 2, NO_DIAG, 0, 0},
    {"utf16 lone high surrogate", B("\xFF\xFE\x41\x00\x3D\xD8\x42\x00"), NULL, ZL_ERR, NULL, 0,
     ZL_ENC_UTF8, 0, ZL_D_ENC_BAD_UTF16, 4, 0},
    {"utf16 high surrogate at end", B("\xFF\xFE\x41\x00\x3D\xD8"), NULL, ZL_ERR, NULL, 0,
     ZL_ENC_UTF8, 0, ZL_D_ENC_BAD_UTF16, 4, 0},
    {"utf16 lone low surrogate", B("\xFE\xFF\x00\x41\xDC\x00"), NULL, ZL_ERR, NULL, 0,
     ZL_ENC_UTF8, 0, ZL_D_ENC_BAD_UTF16, 4, 0},
    {"utf16 odd length", B("\xFF\xFE\x41\x00\x42"), NULL, ZL_ERR, NULL, 0, ZL_ENC_UTF8, 0,
     ZL_D_ENC_BAD_UTF16, 4, 0},
    {"utf16 NUL char is binary", B("\xFF\xFE\x41\x00\x00\x00"), NULL, ZL_ERR, NULL, 0,
     ZL_ENC_UTF8, 0, ZL_D_ENC_BINARY, 4, 0},
    /* single-byte Cyrillic */
    {"cp1251 detected", B(POLICY_CP1251 "\r\n"), NULL, ZL_OK, B(POLICY_UTF8 "\r\n"),
     ZL_ENC_CP1251, 0, NO_DIAG, 0, 0},
    {"cp1251 upper case detected", B(POLICY_UPPER_CP1251), NULL, ZL_OK, B(POLICY_UPPER_UTF8),
     ZL_ENC_CP1251, 0, NO_DIAG, 0, 0},
    {"cp1251 named (alias)", B("\xc4\xe0 \xab\xb9 1\xbb \xb8\x97"), "Windows-1251", ZL_OK,
     B("Да «№ 1» ё—"), ZL_ENC_CP1251, 0, NO_DIAG, 0, 0},
    {"koi8-r named", B(POLICY_KOI8R), "koi8-r", ZL_OK, B(POLICY_UTF8), ZL_ENC_KOI8R, 0, NO_DIAG,
     0, 0},
    {"koi8-r detected", B(OPERATOR_KOI8R " " POLICY_KOI8R), NULL, ZL_OK,
     B(OPERATOR_UTF8 " " POLICY_UTF8), ZL_ENC_KOI8R, 0, NO_DIAG, 0, 0},
    {"koi8-r upper case detected", B(POLICY_UPPER_KOI8R), NULL, ZL_OK, B(POLICY_UPPER_UTF8),
     ZL_ENC_KOI8R, 0, NO_DIAG, 0, 0},
    {"unknown encoding name", B("abc"), "latin-9", ZL_ERR, NULL, 0, ZL_ENC_UTF8, 0,
     ZL_D_ENC_UNKNOWN, SIZE_MAX, 0},
    /* binary content */
    {"NUL byte", B("abc\0def"), NULL, ZL_ERR, NULL, 0, ZL_ENC_UTF8, 0, ZL_D_ENC_BINARY, 3, 0},
    {"NUL byte after utf8 BOM", B("\xEF\xBB\xBF" "ab\0"), NULL, ZL_ERR, NULL, 0, ZL_ENC_UTF8, 0,
     ZL_D_ENC_BINARY, 5, 0},
    {"NUL byte in named cp1251", B("\xc4\xe0\0"), "cp1251", ZL_ERR, NULL, 0, ZL_ENC_UTF8, 0,
     ZL_D_ENC_BINARY, 2, 0},
    {"PDF magic", B("%PDF-1.7\n1 0 obj\n"), NULL, ZL_ERR, NULL, 0, ZL_ENC_UTF8, 0,
     ZL_D_ENC_BINARY, 0, 0},
    {"zip magic", B("PK\x03\x04\x14\x00\x06\x00"), NULL, ZL_ERR, NULL, 0, ZL_ENC_UTF8, 0,
     ZL_D_ENC_BINARY, 0, 0},
    {"ELF magic", B("\x7f" "ELF\x02\x01\x01"), NULL, ZL_ERR, NULL, 0, ZL_ENC_UTF8, 0,
     ZL_D_ENC_BINARY, 0, 0},
    {"several control bytes", B("ab\x01\x02\x03\x04 text text text"), NULL, ZL_ERR, NULL, 0,
     ZL_ENC_UTF8, 0, ZL_D_ENC_BINARY, 2, 0},
};

static void test_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const row *r = &rows[i];
        zl_arena *a = zl_arena_new();
        zl_diags d = {0};
        zl_decoded out;
        print_message("row: %s\n", r->name);
        int rc = zl_decode(a, "f.txt", r->in, r->in_len, r->encoding, &out, &d);
        assert_int_equal(rc, r->rc);
        if (rc == ZL_OK) {
            assert_int_equal(out.len, r->out_len);
            assert_memory_equal(out.text, r->out, r->out_len);
            assert_int_equal(out.text[out.len], '\0');
            assert_int_equal(out.encoding, r->enc);
            assert_int_equal(out.bom_len, r->bom_len);
        }
        if (r->diag == NO_DIAG) {
            assert_int_equal(d.count, 0);
        } else {
            assert_int_equal(d.count, 1);
            assert_int_equal(d.items[0].id, r->diag);
            assert_string_equal(d.items[0].path, "f.txt");
            if (r->diag_off != SIZE_MAX)
                assert_int_equal(d.items[0].offset, r->diag_off);
            if (r->diag == ZL_D_ENC_INVALID_UTF8) {
                char want[64];
                snprintf(want, sizeof want, "(%zu invalid", r->n_invalid);
                assert_non_null(strstr(d.items[0].message, want));
                assert_int_equal(d.errors, 0);
            } else {
                assert_int_equal(d.errors, 1);
            }
        }
        zl_diags_free(&d);
        zl_arena_free(a);
    }
}

static void test_binary_message_and_unknown_name(void **state)
{
    (void)state;
    zl_arena *a = zl_arena_new();
    zl_diags d = {0};
    zl_decoded out;
    assert_int_equal(zl_decode(a, "p", B("ab\0"), NULL, &out, &d), ZL_ERR);
    assert_non_null(strstr(d.items[0].message, "binary file"));
    assert_non_null(strstr(d.items[0].message, "offset 2"));
    assert_int_equal(zl_decode(a, "p", B("ab"), "ebcdic", &out, &d), ZL_ERR);
    assert_non_null(strstr(d.items[1].message, "ebcdic"));
    zl_diags_free(&d);
    zl_arena_free(a);
}

/* Every encoding name the option accepts, and the name of each encoding. */
static void test_encoding_names(void **state)
{
    (void)state;
    static const struct {
        const char *opt;
        zl_encoding enc;
    } names[] = {
        {"utf-8", ZL_ENC_UTF8},       {"utf-16le", ZL_ENC_UTF16LE}, {"utf-16be", ZL_ENC_UTF16BE},
        {"cp1251", ZL_ENC_CP1251},    {"windows-1251", ZL_ENC_CP1251},
        {"koi8-r", ZL_ENC_KOI8R},     {"KOI8-R", ZL_ENC_KOI8R},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        zl_arena *a = zl_arena_new();
        zl_diags d = {0};
        zl_decoded out;
        assert_int_equal(zl_decode(a, "p", B("ok"), names[i].opt, &out, &d), ZL_OK);
        assert_int_equal(out.encoding, names[i].enc);
        if (names[i].enc != ZL_ENC_UTF16LE && names[i].enc != ZL_ENC_UTF16BE)
            assert_string_equal(out.text, "ok");
        zl_diags_free(&d);
        zl_arena_free(a);
    }
    assert_string_equal(zl_encoding_name(ZL_ENC_UTF8), "utf-8");
    assert_string_equal(zl_encoding_name(ZL_ENC_CP1251), "cp1251");
    assert_string_equal(zl_encoding_name(ZL_ENC_KOI8R), "koi8-r");
    assert_string_equal(zl_encoding_name(ZL_ENC_UTF16LE), "utf-16le");
}

/* ---- random inputs against a byte-by-byte reference ----
 *
 * decode.c checks long runs of ASCII and 2-byte letters 32 or 8 bytes at a
 * time and takes the per-character path only around what breaks a run.
 * The reference below walks every input one character at a time, with its
 * own maximal-subpart rule, and the inputs are runs of letters with rare
 * invalid bytes, controls and longer sequences at every alignment. */

/* Length of the Unicode maximal subpart at s[0..n), n >= 1, of an
 * ill-formed sequence: the longest prefix some well-formed sequence starts
 * with (only the second byte has a range of its own), at least 1. */
static size_t ref_subpart(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t need = c >= 0xC2 && c <= 0xDF   ? 2
                  : c >= 0xE0 && c <= 0xEF ? 3
                  : c >= 0xF0 && c <= 0xF4 ? 4
                                           : 1;
    size_t best = 1;
    for (size_t l = 2; l < need && l <= n; l++) {
        unsigned char seq[4] = {0x80, 0x80, 0x80, 0x80};
        uint32_t cp;
        memcpy(seq, s, l);
        if (zl_utf8_decode((const char *)seq, need, &cp) == need)
            best = l;
        else
            break;
    }
    return best;
}

typedef struct ref_result {
    char out[4096];
    size_t out_len, n_invalid, first_bad, n_multi, n_controls, first_control, first_nul;
} ref_result;

static void ref_decode(const unsigned char *s, size_t n, ref_result *r)
{
    memset(r, 0, sizeof *r);
    r->first_bad = r->first_control = r->first_nul = SIZE_MAX;
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        uint32_t cp;
        size_t k = c < 0x80 ? 1 : zl_utf8_decode((const char *)s + i, n - i, &cp);
        if (c < 0x20 && !(c >= '\t' && c <= '\r')) {
            r->n_controls++;
            if (r->first_control == SIZE_MAX)
                r->first_control = i;
            if (c == 0 && r->first_nul == SIZE_MAX)
                r->first_nul = i;
        }
        if (k) {
            r->n_multi += k > 1;
            memcpy(r->out + r->out_len, s + i, k);
            r->out_len += k;
            i += k;
            continue;
        }
        if (r->first_bad == SIZE_MAX)
            r->first_bad = i;
        r->n_invalid++;
        memcpy(r->out + r->out_len, FFFD, 3);
        r->out_len += 3;
        i += ref_subpart(s + i, n - i);
    }
}

static uint32_t rnd_state = 94;

static uint32_t rnd(uint32_t m)
{
    return zl_test_rnd(&rnd_state, m);
}

static void test_random_against_reference(void **state)
{
    (void)state;
    /* common pieces, then rare ones (no BOM, no binary signature) */
    static const char *const common[] = {"д", "Я", "ж", "a", "Z", " ", ".", "қ", "\n", "«"};
    static const char *const rare[] = {
        /* well-formed */
        "\xE2\x80\x94", "\xF0\x9F\x98\x80", "\xC2\xA0",
        /* ill-formed */
        "\x80", "\xBF", "\xC0", "\xC1\xBF", "\xD0", "\xE2\x80", "\xE0\x80", "\xED\xA0\x80",
        "\xF4\x90", "\xF5", "\xFF",
        /* controls and whitespace */
        "\x01", "\x1b", "\0", "\t", "\r\n", "\x7f",
    };
    unsigned char in[1200];
    for (int iter = 0; iter < 20000; iter++) {
        size_t n = 0, want = rnd(iter % 10 == 0 ? 1000 : 120);
        uint32_t rare_odds = 2 + rnd(200);
        while (n < want) {
            const char *piece = rnd(rare_odds) == 0 ? rare[rnd(sizeof rare / sizeof rare[0])]
                                                    : common[rnd(sizeof common / sizeof common[0])];
            size_t k = piece[0] ? strlen(piece) : 1;
            memcpy(in + n, piece, k);
            n += k;
        }
        if (n == 0)
            continue;
        ref_result ref;
        ref_decode(in, n, &ref);
        zl_arena *a = zl_arena_new();
        zl_diags d = {0};
        zl_decoded out;
        int rc = zl_decode(a, "f.txt", (const char *)in, n, NULL, &out, &d);
        size_t bin = ref.first_nul != SIZE_MAX                        ? ref.first_nul
                     : ref.n_controls >= 4 || ref.n_controls * 16 > n ? ref.first_control
                                                                      : SIZE_MAX;
        if (bin != SIZE_MAX) {
            assert_int_equal(rc, ZL_ERR);
            assert_int_equal(d.count, 1);
            assert_int_equal(d.items[0].id, ZL_D_ENC_BINARY);
            assert_int_equal(d.items[0].offset, bin);
        } else if (ref.n_invalid > 0 && ref.n_multi * 8 < ref.n_invalid) {
            assert_int_equal(rc, ZL_OK); /* may read as a single-byte code page */
        } else {
            assert_int_equal(rc, ZL_OK);
            assert_int_equal(out.encoding, ZL_ENC_UTF8);
            assert_int_equal(out.len, ref.out_len);
            assert_memory_equal(out.text, ref.out, ref.out_len);
            assert_int_equal(out.text[out.len], '\0');
            if (ref.n_invalid == 0) {
                assert_int_equal(d.count, 0);
            } else {
                char want_msg[64];
                snprintf(want_msg, sizeof want_msg, "(%zu invalid", ref.n_invalid);
                assert_int_equal(d.count, 1);
                assert_int_equal(d.items[0].id, ZL_D_ENC_INVALID_UTF8);
                assert_int_equal(d.items[0].offset, ref.first_bad);
                assert_non_null(strstr(d.items[0].message, want_msg));
            }
        }
        zl_diags_free(&d);
        zl_arena_free(a);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows),
        cmocka_unit_test(test_binary_message_and_unknown_name),
        cmocka_unit_test(test_encoding_names),
        cmocka_unit_test(test_random_against_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
