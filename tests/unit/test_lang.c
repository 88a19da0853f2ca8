/*
 * test_lang.c - paragraph languages and language versions (lang.c), on
 * documents loaded through the whole text pipeline.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "text/doc.h"
#include "text/lang.h"
#include "text/position.h"
#include "util/buf.h"
#include "util/diag.h"

static zl_doc *load(const char *text)
{
    zl_diags d = {0};
    zl_doc *doc = NULL;
    zl_load_opts o;
    memset(&o, 0, sizeof o);
    o.format = "txt";
    assert_int_equal(zl_doc_load_mem("t.txt", text, strlen(text), &o, &doc, &d), ZL_OK);
    zl_diags_free(&d);
    return doc;
}

static const struct {
    const char *in;
    zl_lang lang;
} detect_rows[] = {
    {"Осы Саясат Қазақстан Республикасының заңнамасына сәйкес әзірленді.", ZL_LANG_KK},
    /* Latin look-alike schwa (ə) as in seed 003 */
    {"Компания жəне оның үлестес тұлғалары деректерді өңдейді.", ZL_LANG_KK},
    /* function words without Kazakh letters */
    {"Компания мен Пайдаланушы осы шарт туралы келісім болып табылады.", ZL_LANG_KK},
    {"Настоящая Политика разработана в соответствии с законодательством.", ZL_LANG_RU},
    /* a Kazakh place name in Russian text */
    {"Законодательство Республики Казахстан, город Алматы, Қазақстан.", ZL_LANG_RU},
    {"Google Analytics is an analytics tool.", ZL_LANG_OTHER},
    {"2025", ZL_LANG_OTHER},
};

static void test_detect(void **state)
{
    (void)state;
    for (size_t r = 0; r < sizeof detect_rows / sizeof detect_rows[0]; r++) {
        zl_doc *doc = load(detect_rows[r].in);
        zl_range all = {0, doc->n_tokens};
        zl_lang got = zl_lang_detect(doc, all);
        if (got != detect_rows[r].lang)
            fail_msg("row %zu \"%s\": %s, want %s", r, detect_rows[r].in, zl_lang_name(got),
                     zl_lang_name(detect_rows[r].lang));
        zl_doc_free(doc);
    }
}

#define KK_PARA                                                                           \
    "Пайдаланушылардың дербес деректерін жинау және өңдеу Қазақстан Республикасының "     \
    "заңнамасына сәйкес жүзеге асырылады және осы Саясатпен реттеледі.\n\n"
#define RU_PARA                                                                           \
    "Сбор и обработка персональных данных Пользователей осуществляется в соответствии с " \
    "законодательством Республики Казахстан и настоящей Политикой.\n\n"

static void test_versions_kk_then_ru(void **state)
{
    (void)state;
    const char *text = "Құпиялылық саясаты\n\n1. ЖАЛПЫ ЕРЕЖЕЛЕР\n\n" KK_PARA KK_PARA KK_PARA
                       KK_PARA "\n\n \n\nПолитика конфиденциальности\n\n1. ОБЩИЕ ПОЛОЖЕНИЯ\n\n"
                       RU_PARA RU_PARA RU_PARA RU_PARA;
    zl_doc *doc = load(text);
    assert_int_equal(doc->n_versions, 2);
    assert_int_equal(doc->versions[0].lang, ZL_LANG_KK);
    assert_int_equal(doc->versions[1].lang, ZL_LANG_RU);
    /* the Russian version starts exactly at its title */
    zl_pos p = zl_doc_pos(doc, doc->versions[1].text_off);
    assert_int_equal(p.line, 17);
    assert_int_equal(p.col, 1);
    /* versions partition the paragraphs and their tokens are contiguous */
    assert_int_equal(doc->versions[0].para_first, 0);
    assert_int_equal(doc->versions[0].para_end, doc->versions[1].para_first);
    assert_int_equal(doc->versions[1].para_end, doc->n_paras);
    assert_int_equal(doc->versions[0].tok.end, doc->versions[1].tok.first);
    assert_int_equal(doc->versions[1].tok.end, doc->n_tokens);
    /* the short heading "1. ЖАЛПЫ ЕРЕЖЕЛЕР" has Kazakh letters; "1. ОБЩИЕ ПОЛОЖЕНИЯ" is ru */
    assert_int_equal(doc->paras[1].lang, ZL_LANG_KK);
    assert_int_equal(doc->paras[doc->versions[1].para_first + 1].lang, ZL_LANG_RU);
    zl_doc_free(doc);
}

static void test_ru_with_kazakh_island(void **state)
{
    (void)state;
    const char *text = "Политика конфиденциальности\n\n" RU_PARA RU_PARA
                       "Осы Саясат Қазақстан Республикасының заңнамасына сәйкес әзірленді.\n\n"
                       RU_PARA RU_PARA RU_PARA;
    zl_doc *doc = load(text);
    assert_int_equal(doc->n_versions, 1);
    assert_int_equal(doc->versions[0].lang, ZL_LANG_RU);
    assert_int_equal(doc->versions[0].para_end, doc->n_paras);
    /* the island keeps its own language */
    assert_int_equal(doc->paras[3].lang, ZL_LANG_KK);
    zl_doc_free(doc);
}

static void test_short_paragraphs_inherit(void **state)
{
    (void)state;
    /* headings with little evidence take the language of the text they
     * introduce; at the end, the language before them */
    zl_doc *doc = load("1. ЖАЛПЫ ЕРЕЖЕЛЕР\n\n" KK_PARA "1. Введение\n\n" RU_PARA "Конец текста");
    assert_int_equal(doc->paras[0].lang, ZL_LANG_KK);
    assert_int_equal(doc->paras[2].lang, ZL_LANG_RU);
    assert_int_equal(doc->paras[4].lang, ZL_LANG_RU);
    zl_doc_free(doc);
    doc = load(KK_PARA "Конец текста");
    assert_int_equal(doc->paras[1].lang, ZL_LANG_KK);
    zl_doc_free(doc);
}

static void test_every_document_has_a_version(void **state)
{
    (void)state;
    zl_doc *doc = load("12345");
    assert_int_equal(doc->n_versions, 1);
    assert_int_equal(doc->versions[0].tok.end, doc->n_tokens);
    zl_doc_free(doc);
}

/* The first-letter masks of the Kazakh function words match the words,
 * and the inline test gives the slow one's answer on every word and on
 * Russian words of the same lengths. */
static void test_kk_words(void **state)
{
    (void)state;
    assert_int_equal(zl_lang_check(), 0);
    static const char *const words[] = {"мен", "осы", "бен", "пен", "бұл", "және", "үшін",
                                        "оның", "олар", "егер", "болып", "туралы", "немесе",
                                        "арқылы", "сондай", "бойынша", "табылады", "для",
                                        "или", "данных", "может", "настоящей", "ме", "мена",
                                        "осыны", "бенне", "тураль", "табылады1", NULL};
    for (const char *const *w = words; *w; w++) {
        uint32_t len = (uint32_t)strlen(*w);
        assert_int_equal(zl_lang_kk_word(*w, len), zl_lang_kk_word_slow(*w, len));
        assert_int_equal(zl_lang_kk_word_slow(*w, len), w - words < 17);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detect),
        cmocka_unit_test(test_versions_kk_then_ru),
        cmocka_unit_test(test_ru_with_kazakh_island),
        cmocka_unit_test(test_short_paragraphs_inherit),
        cmocka_unit_test(test_every_document_has_a_version),
        cmocka_unit_test(test_kk_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
