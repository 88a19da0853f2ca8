/*
 * test_segment.c - the segment stage: tokens, sentences, clauses, headings
 * and sections, one table row per quirk.  Documents go through the whole
 * loader (zl_doc_load_mem: txt reader, normalize, segment) so the rows read
 * like the policies they come from.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "text/doc.h"
#include "text/segment.h"
#include "text/tokrec.h"
#include "util/buf.h"
#include "util/diag.h"

static zl_doc *load(const char *text)
{
    zl_diags d = {0};
    zl_doc *doc = NULL;
    zl_load_opts o;
    memset(&o, 0, sizeof o);
    o.format = "txt";
    int rc = zl_doc_load_mem("t.txt", text, strlen(text), &o, &doc, &d);
    assert_int_equal(rc, ZL_OK);
    zl_diags_free(&d);
    return doc;
}

/* Normalized text of tokens [first, end) separated by `sep`. */
static void join_tokens(zl_buf *b, const zl_doc *doc, uint32_t first, uint32_t end)
{
    for (uint32_t i = first; i < end; i++) {
        if (i > first)
            zl_buf_putc(b, ' ');
        zl_buf_put(b, doc->norm.text + doc->tokens[i].off, doc->tokens[i].len);
    }
}

/* ---- tokens ---- */

static const struct {
    const char *in;
    const char *tokens; /* normalized tokens joined by '|' */
    const char *kinds;  /* one letter per token: w(ord) n(umber) p(unct) */
} token_rows[] = {
    {"Интернет-ресурс", "интернет-ресурс", "w"},
    {"e-mail адрес", "e-mail|адрес", "ww"},
    {"Қазақстан Республикасы және", "қазақстан|республикасы|және", "www"},
    {"БИН: 240440013619)", "бин|:|240440013619|)", "wpnp"},
    {"ставка 2.5 и 3,75%", "ставка|2.5|и|3,75|%", "wnwnp"},
    {"п. 2.5. Текст", "п|.|2.5|.|текст", "wpnpw"},
    {"facesapplication@gmail.com", "facesapplication|@|gmail|.|com", "wpwpw"},
    {"https://appfaces.tech/policy", "https|:|/|/|appfaces|.|tech|/|policy", "wpppwpwpw"},
    {"O'Brien - тире", "o'brien|-|тире", "wpw"},
    {"«Политика»", "\"|политика|\"", "pwp"},
    {"3d-модель", "3d-модель", "w"},
    {"ID и тип", "id|и|тип", "www"},
};

static void test_tokens(void **state)
{
    (void)state;
    for (size_t r = 0; r < sizeof token_rows / sizeof token_rows[0]; r++) {
        zl_doc *doc = load(token_rows[r].in);
        zl_buf b = ZL_BUF_INIT;
        char kinds[64];
        size_t nk = 0;
        for (uint32_t i = 0; i < doc->n_tokens; i++) {
            if (i)
                zl_buf_putc(&b, '|');
            zl_buf_put(&b, doc->norm.text + doc->tokens[i].off, doc->tokens[i].len);
            if (nk < sizeof kinds - 1)
                kinds[nk++] = "wnp"[doc->tokens[i].kind];
        }
        kinds[nk] = '\0';
        if (strcmp(b.data ? b.data : "", token_rows[r].tokens) != 0 ||
            strcmp(kinds, token_rows[r].kinds) != 0)
            fail_msg("row %zu \"%s\": got %s (%s), want %s (%s)", r, token_rows[r].in,
                     b.data ? b.data : "", kinds, token_rows[r].tokens, token_rows[r].kinds);
        zl_buf_free(&b);
        zl_doc_free(doc);
    }
}

static void test_token_offsets_and_flags(void **state)
{
    (void)state;
    /* NBSP and "ё" change byte lengths between logical and normalized text */
    zl_doc *doc = load("ТОО\xc2\xa0«Ёлка» және\nБИН 240440013619");
    assert_int_equal(doc->n_tokens, 7);
    const zl_token *t = doc->tokens;
    /* ТОО: upper case, line start, Cyrillic */
    assert_true(t[0].flags & ZL_TF_UPPER);
    assert_true(t[0].flags & ZL_TF_LINE_START);
    assert_true(t[0].flags & ZL_TF_CYRILLIC);
    assert_int_equal(t[0].text_off, 0);
    assert_int_equal(t[0].text_len, 6);
    /* Ёлка: logical span covers the original word */
    assert_memory_equal(doc->in.text + t[2].text_off, "Ёлка", strlen("Ёлка"));
    assert_int_equal(t[2].text_len, strlen("Ёлка"));
    assert_false(t[2].flags & ZL_TF_UPPER);
    /* және: Kazakh letter */
    assert_true(t[4].flags & ZL_TF_KAZAKH);
    assert_false(t[4].flags & ZL_TF_LINE_START);
    /* БИН on a new line */
    assert_true(t[5].flags & ZL_TF_LINE_START);
    assert_int_equal(t[6].kind, ZL_TOK_NUMBER);
    assert_memory_equal(doc->in.text + t[6].text_off, "240440013619", 12);
    zl_doc_free(doc);
}

static void test_tokenize_phrase(void **state)
{
    (void)state;
    zl_arena *a = zl_arena_new();
    zl_token *t = NULL;
    const char *s = "трансграничн* передач* 2.5";
    uint32_t n = zl_tokenize(a, s, strlen(s), &t);
    assert_int_equal(n, 5);
    assert_int_equal(t[1].kind, ZL_TOK_PUNCT);
    assert_int_equal(t[4].kind, ZL_TOK_NUMBER);
    assert_int_equal(t[4].text_off, t[4].off);
    assert_int_equal(t[4].len, 3);
    assert_int_equal(zl_tokenize(a, "", 0, &t), 0);
    zl_arena_free(a);
}

/* Words of U+0400-U+047F letters (taken four at a time): Cyrillic, and
 * Kazakh exactly when one letter is і or І (D1 96, D0 86), wherever it
 * stands; Ж (D0 96) and ц (D1 86) share a byte with them but are not. */
static void test_tokenize_cyrillic_runs(void **state)
{
    (void)state;
    static const char *const fill[] = {"б", "Ж", "ц", "Ѡ"};
    static const char *const kk[] = {"і", "І"};
    zl_arena *a = zl_arena_new();
    for (int len = 1; len <= 13; len++)
        for (int at = -1; at < len; at++)
            for (int f = 0; f < 4; f++)
                for (int k = 0; k < 2; k++) {
                    char w[64] = "";
                    for (int q = 0; q < len; q++)
                        strcat(w, q == at ? kk[k] : fill[(f + q) % 4]);
                    strcat(w, " x");
                    zl_token *t = NULL;
                    assert_int_equal(zl_tokenize(a, w, strlen(w), &t), 2);
                    assert_int_equal(t[0].kind, ZL_TOK_WORD);
                    assert_int_equal(t[0].len, 2 * len);
                    assert_true(t[0].flags & ZL_TF_CYRILLIC);
                    assert_int_equal((t[0].flags & ZL_TF_KAZAKH) != 0, at >= 0);
                    assert_false(t[0].flags & ZL_TF_LATIN);
                }
    zl_arena_free(a);
}

/* More tokens than the first guess of the segmenter (one per 4 bytes) and
 * of zl_tokenize (64): both scan again with room, and agree. */
static void test_dense_tokens(void **state)
{
    (void)state;
    char text[3001];
    for (size_t i = 0; i < 3000; i++)
        text[i] = i % 2 ? '.' : (char)('a' + i % 26);
    text[3000] = '\0';
    zl_doc *doc = load(text);
    assert_int_equal(doc->n_tokens, 3000);
    zl_arena *a = zl_arena_new();
    zl_token *t = NULL;
    uint32_t n = zl_tokenize(a, doc->norm.text, doc->norm.len, &t);
    assert_int_equal(n, 3000);
    for (uint32_t i = 0; i < n; i++) {
        assert_int_equal(t[i].off, doc->tokens[i].off);
        assert_int_equal(t[i].len, 1);
        assert_int_equal(t[i].kind, doc->tokens[i].kind);
        assert_int_equal(doc->tokens[i].text_off, i);
    }
    zl_arena_free(a);
    zl_doc_free(doc);
}

/* ---- sentences ---- */

static const struct {
    const char *in;
    uint32_t n; /* expected sentences */
} sentence_rows[] = {
    {"Первое предложение. Второе предложение.", 2},
    {"Вопрос? Ответ! Конец; и ещё.", 4},
    {"Это т.е. пример. Второе.", 2},
    {"Списки и т.д. Потом.", 1},
    {"Цвета и т.п. Потом.", 1},
    {"Дата 02 апреля 2025 г. Компания работает.", 1},
    {"В 2020-2021 гг. Компания росла.", 1},
    {"Адрес: ул. Бородина 5. Второе.", 2},
    {"Университет им. Абая. Второе.", 2},
    {"Согласно ст. 12 Закона. Второе.", 2},
    {"Согласно п. 2 Закона. Второе.", 2},
    {"Согласно пп. 3 Закона. Второе.", 2},
    {"Звоните тел. 8 700 000. Второе.", 2},
    {"Дом д. 5 корпус. Второе.", 2},
    {"Подробнее см. Раздел 2. Второе.", 2},
    {"Банки и др. Организации. Второе.", 2},
    {"Алматы, мкр. Самал. Второе.", 2},
    {"Алматинская обл. Казахстан. Второе.", 2},
    {"Законы РК. Второе.", 2},
    {"Законы РК. и другие.", 1},
    {"Компания ТОО. и другие.", 1},
    {"Компания АО. и другие.", 1},
    {"Директор А.Б. Иванов подписал. Второе.", 2},
    {"Директор А. Б. Иванов подписал. Второе.", 2},
    {"Сайт https://appfaces.tech/policy. Второе.", 2},
    {"Сайт www.site.kz работает. Второе.", 2},
    {"Сайт appfaces.tech работает. Второе.", 2},
    {"Пишите на a.b@gmail.com сегодня. Второе.", 2},
    {"Ставка 2.5 процента. Второе.", 2},
    {"Многоточие... Второе.", 2},
    {"Кавычки «конец.» Второе.", 2},
    {"Скобки (конец.) Второе.", 2},
    {"Компании (подрядчики и т.д.) для защиты данных.", 1},
    {"Без точки в конце", 1},
};

static void test_sentences(void **state)
{
    (void)state;
    for (size_t r = 0; r < sizeof sentence_rows / sizeof sentence_rows[0]; r++) {
        zl_doc *doc = load(sentence_rows[r].in);
        if (doc->n_sentences != sentence_rows[r].n) {
            zl_buf b = ZL_BUF_INIT;
            for (uint32_t s = 0; s < doc->n_sentences; s++) {
                zl_buf_puts(&b, " [");
                join_tokens(&b, doc, doc->sentences[s].tok.first, doc->sentences[s].tok.end);
                zl_buf_puts(&b, "]");
            }
            fail_msg("row %zu \"%s\": %u sentences, want %u:%s", r, sentence_rows[r].in,
                     doc->n_sentences, sentence_rows[r].n, b.data ? b.data : "");
        }
        /* sentences partition the tokens */
        uint32_t next = 0;
        for (uint32_t s = 0; s < doc->n_sentences; s++) {
            assert_int_equal(doc->sentences[s].tok.first, next);
            next = doc->sentences[s].tok.end;
        }
        assert_int_equal(next, doc->n_tokens);
        zl_doc_free(doc);
    }
}

static void test_sentence_ends_at_paragraph_and_clause(void **state)
{
    (void)state;
    zl_doc *doc = load("Первый абзац без точки\n\nВторой абзац\n1.1. Пункт без точки 1.2. Ещё");
    /* paragraph 1 | "второй абзац" (wrapped? no: separate line) | 1.1. | 1.2. */
    uint32_t n = doc->n_sentences;
    assert_true(n >= 3);
    /* no sentence crosses a paragraph or a clause boundary */
    for (uint32_t s = 0; s < n; s++) {
        const zl_range *r = &doc->sentences[s].tok;
        for (uint32_t p = 0; p < doc->n_paras; p++)
            assert_false(r->first < doc->paras[p].tok.first && r->end > doc->paras[p].tok.first);
        for (uint32_t c = 0; c < doc->n_clauses; c++)
            assert_false(r->first < doc->clauses[c].tok.first &&
                         r->end > doc->clauses[c].tok.first);
    }
    zl_doc_free(doc);
}

/* ---- clauses ---- */

static const struct {
    const char *in;
    const char *numbers; /* clause numbers joined by '|', "-" for unnumbered */
} clause_rows[] = {
    {"2.5. Хранение данных.\n\n2.6. Удаление данных.", "2.5|2.6"},
    {"2.5 Хранение данных.\n\n2.6 Удаление данных.", "2.5|2.6"},
    {"4.1 – Компания хранит данные.", "4.1"},
    {"1.1.1. Первый.\n1.1.2. Второй.", "1.1.1|1.1.2"},
    {"Цели:\n1) оказание услуг;\n2) связь.", "-|1)|2)"},
    {"Цели:\nа) оказание услуг;\nб) связь.", "-|а)|б)"},
    {"Основания:\n(i) закон;\n(ii) договор.", "-|(i)|(ii)"},
    {"Данные:\n● Имя\n● Фамилия", "-|●|●"},
    {"Данные:\n• Имя\n· Фамилия\n▪ Пол", "-|•|·|▪"},
    {"Данные:\n- Имя\n– Фамилия\n* Пол", "-|-|–|*"},
    {"Данные:\n○ Имя\n◦ Фамилия\n✓ Пол", "-|○|◦|✓"},
    {"1.1. Текст (далее – «Политика»). 1.2. Настоящая Политика действует.", "1.1|1.2"},
    {"2.2. Цели: 1) оказание услуг; 2) связь; 3) анализ.", "2.2|1)|2)|3)"},
    {"4) продвижение; 5) участие в акциях.", "4)|5)"},
    {"Согласно пункту 2.2 настоящей Политики. Текст 4.1 – 4.3 выше.", "-"},
    {"1.1. Понимаются: **1.1.1.** Персональная информация.", "1.1|1.1.1"},
    {"Абзац первый.\n\nАбзац второй.", "-|-"},
    {"5 улица Бородина.", "-"},
};

static void test_clauses(void **state)
{
    (void)state;
    for (size_t r = 0; r < sizeof clause_rows / sizeof clause_rows[0]; r++) {
        zl_doc *doc = load(clause_rows[r].in);
        zl_buf b = ZL_BUF_INIT;
        uint32_t next = 0;
        for (uint32_t c = 0; c < doc->n_clauses; c++) {
            if (c)
                zl_buf_putc(&b, '|');
            zl_buf_puts(&b, doc->clauses[c].number ? doc->clauses[c].number : "-");
            assert_int_equal(doc->clauses[c].tok.first, next);
            next = doc->clauses[c].tok.end;
        }
        assert_int_equal(next, doc->n_tokens);
        if (strcmp(b.data ? b.data : "", clause_rows[r].numbers) != 0)
            fail_msg("row %zu \"%s\": got %s, want %s", r, clause_rows[r].in,
                     b.data ? b.data : "", clause_rows[r].numbers);
        zl_buf_free(&b);
        zl_doc_free(doc);
    }
}

static void test_clause_levels(void **state)
{
    (void)state;
    zl_doc *doc = load("2.5. Пункт.\n\n2.5.1. Подпункт.\n\n1) перечисление;\n\nАбзац.");
    assert_int_equal(doc->n_clauses, 4);
    assert_int_equal(doc->clauses[0].level, 2);
    assert_int_equal(doc->clauses[1].level, 3);
    assert_int_equal(doc->clauses[2].level, 4);
    assert_int_equal(doc->clauses[3].level, 0);
    assert_null(doc->clauses[3].number);
    zl_doc_free(doc);
}

/* ---- paragraphs ---- */

static void test_paragraphs_hard_wrapped(void **state)
{
    (void)state;
    /* hard-wrapped text keeps one paragraph across single line breaks */
    zl_doc *doc = load("Данная политика объясняет, как компания собирает\n"
                       "и хранит информацию наших пользователей, в связи с\n"
                       "эксплуатацией приложения. Обработка данных необходима\n"
                       "для предоставления услуг и поддержки работы.\n\n"
                       "Второй абзац начинается здесь и тоже\n"
                       "переносится на следующую строку.");
    assert_int_equal(doc->n_paras, 2);
    zl_doc_free(doc);
    /* one line per paragraph: every line is a paragraph */
    doc = load("Первый абзац полностью на одной строке.\nВторой абзац на своей строке.\n"
               "Третий абзац тоже.");
    assert_int_equal(doc->n_paras, 3);
    zl_doc_free(doc);
    /* a short text with one soft break: the unfinished line continues, and
     * it is not taken for a title */
    doc = load("Мы храним ваши данные\nна серверах в Казахстане.\nОператор обязан уведомить.");
    assert_int_equal(doc->n_paras, 2);
    assert_int_equal(doc->n_sections, 0);
    assert_int_equal(doc->n_sentences, 2);
    zl_doc_free(doc);
    /* a line ending with a comma continues across a blank line */
    doc = load("5.1. Компания не отвечает за действия других сайтов. Переходя на другие сайты,\n\n"
               "Пользователь действует на свой риск.");
    assert_int_equal(doc->n_paras, 1);
    zl_doc_free(doc);
    /* a sentence cut by a blank line continues the paragraph */
    doc = load("Пользователь может отозвать согласие, направив заявление в соответствии\n\n"
               "Компании по адресу в соглашении.");
    assert_int_equal(doc->n_paras, 1);
    zl_doc_free(doc);
}

/* ---- headings and sections ---- */

static const struct {
    const char *in;
    const char *sections; /* "number:level:title" joined by '|', number "-" when NULL */
} heading_rows[] = {
    {"1. ОБЩИЕ ПОЛОЖЕНИЯ\n\n1.1. Текст.\n\n2. СБОР ДАННЫХ\n\n2.1. Текст.",
     "1:1:1. ОБЩИЕ ПОЛОЖЕНИЯ|2:1:2. СБОР ДАННЫХ"},
    {"1. Введение\n\nТекст первый.\n\n9. Хранение вашей информации\n\nТекст.",
     "1:1:1. Введение|9:1:9. Хранение вашей информации"},
    {"ПОЛИТИКА КОНФИДЕНЦИАЛЬНОСТИ\nНастоящая политика действует.\nЕщё текст.",
     "-:1:ПОЛИТИКА КОНФИДЕНЦИАЛЬНОСТИ"},
    {"5. ЖАУАПТЫЛЫҚТАН БАС ТАРТУ\n\n5.1. Компания жауапты емес.",
     "5:1:5. ЖАУАПТЫЛЫҚТАН БАС ТАРТУ"},
    {"Политика конфиденциальности\n\n1. Введение\n\nТекст.\n\n2. Данные\n\nТекст.\n\n"
     "Основные понятия\n\nТекст про понятия.",
     "-:1:Политика конфиденциальности|1:1:1. Введение|2:1:2. Данные|-:2:Основные понятия"},
    /* numbered list items with text are clauses, not sections */
    {"1. Google Analytics. Это инструмент аналитики.\n\n2. Firebase. Это хостинг.", ""},
    /* a short numbered list is not a run of headings */
    {"Данные:\n\n1. Имя\n\n2. Фамилия\n\n3. Пол", ""},
    /* "2.3. Foo" standing alone with a body under it is a subsection */
    {"2. Данные\n\nТекст.\n\n2.3. Хранение данных\n\nДанные хранятся в Казахстане.",
     "2:1:2. Данные|2.3:2:2.3. Хранение данных"},
    /* ... but not when its neighbours are items of the same list */
    {"2.2.1. Идентификация стороны\n\n2.2.2. Связь с пользователем;", ""},
    /* a heading wrapped over two lines */
    {"3. ҚҰПИЯЛЫЛЫҚТЫ САҚТАУ ҮШІН ПАЙДАЛАНЫЛАТЫН\n\nҚАУІПСІЗДІК ШАРАЛАРЫ\n\n3.1. Мəтін.",
     "3:1:3. ҚҰПИЯЛЫЛЫҚТЫ САҚТАУ ҮШІН ПАЙДАЛАНЫЛАТЫН ҚАУІПСІЗДІК ШАРАЛАРЫ"},
    /* lines ending a sentence or with a comma are not titles */
    {"Цели:\n\nТекст, который не заголовок\n\nКонец.", ""},
};

static void test_headings(void **state)
{
    (void)state;
    for (size_t r = 0; r < sizeof heading_rows / sizeof heading_rows[0]; r++) {
        zl_doc *doc = load(heading_rows[r].in);
        zl_buf b = ZL_BUF_INIT;
        zl_buf_puts(&b, "");
        for (uint32_t s = 0; s < doc->n_sections; s++) {
            const zl_section *sec = &doc->sections[s];
            zl_buf_printf(&b, "%s%s:%u:%s", s ? "|" : "", sec->number ? sec->number : "-",
                          (unsigned)sec->level, sec->title);
        }
        if (strcmp(b.data, heading_rows[r].sections) != 0)
            fail_msg("row %zu: got \"%s\", want \"%s\"", r, b.data, heading_rows[r].sections);
        zl_buf_free(&b);
        zl_doc_free(doc);
    }
}

static void test_section_nesting(void **state)
{
    (void)state;
    zl_doc *doc = load("1. Введение\n\nТекст.\n\n2. Раскрытие\n\nТекст.\n\n"
                       "Наши партнеры\n\nТекст о партнерах.\n\n3. Хранение\n\nТекст.");
    assert_int_equal(doc->n_sections, 4);
    const zl_section *s = doc->sections;
    assert_int_equal(s[2].level, 2);
    assert_int_equal(s[2].parent, 1);
    assert_int_equal(s[1].parent, ZL_NONE);
    /* a section's range includes its subsections and stops at the next sibling */
    assert_int_equal(s[1].tok.first, s[1].heading.first);
    assert_int_equal(s[1].tok.end, s[3].tok.first);
    assert_int_equal(s[2].tok.end, s[3].tok.first);
    assert_int_equal(s[3].tok.end, doc->n_tokens);
    /* paragraphs know their innermost section */
    assert_int_equal(doc->paras[0].section, 0);
    assert_int_equal(doc->paras[5].section, 2);
    assert_int_equal(doc->paras[doc->n_paras - 1].section, 3);
    zl_doc_free(doc);
}

/* The class table below U+0800 is what utf8proc says. */
static void test_class_table(void **state)
{
    (void)state;
    assert_int_equal(zl_segment_check_classes(), 0);
}

static void test_markdown_blocks(void **state)
{
    (void)state;
    const char *md = "# Политика\n\nТекст абзаца.\n\n## 2. Данные\n\n- Имя\n- Фамилия\n\n1. Первый пункт\n";
    zl_diags d = {0};
    zl_doc *doc = NULL;
    assert_int_equal(zl_doc_load_mem("p.md", md, strlen(md), NULL, &doc, &d), ZL_OK);
    if (doc->in.n_blocks == 0) {
        /* the Markdown reader gives no blocks: nothing to check here */
        zl_doc_free(doc);
        zl_diags_free(&d);
        skip();
    }
    assert_true(doc->n_sections >= 2);
    assert_int_equal(doc->sections[0].level, 1);
    assert_int_equal(doc->sections[1].level, 2);
    assert_int_equal(doc->sections[1].parent, 0);
    assert_true(doc->n_paras >= 5);
    /* list items are clauses numbered by their label; the marker is not a sentence */
    uint32_t items = 0;
    for (uint32_t c = 0; c < doc->n_clauses; c++)
        if (doc->clauses[c].number && strcmp(doc->clauses[c].number, "1") == 0)
            items++;
    assert_int_equal(items, 1);
    assert_int_equal(doc->n_sentences, doc->n_clauses);
    zl_doc_free(doc);
    zl_diags_free(&d);
}

/* The tokens the normalizer records while it writes the matching text are
 * those scan_tokens finds in that text, with the logical-text spans, case
 * and code point counts the map gives (zl_tokrec_check): random mixes of
 * the characters where the two could part. */
static const char *const tokrec_pieces[] = {
    "а", "б", "я", "ё", "Ё", "А", "Б", "Я", "Ѣ", "ѣ", "Ѡ", "ѡ", "ѐ", "Ђ", "ђ", "Ї",
    "ә", "Ә", "ғ", "Ғ", "қ", "Қ", "ң", "ө", "Ө", "ұ", "ү", "Ү", "һ", "Һ", "і", "І",
    "a", "b", "c", "e", "h", "i", "k", "o", "p", "x", "y", "d", "f", "g", "q", "z",
    "A", "B", "E", "H", "I", "M", "T", "D", "F", "Q", "Z", "ə", "Ə", "ɵ", "Ɵ", "ß",
    "0", "1", "5", "9", ".", ",", "-", "'", "\u2019", "\u2010", "\u2011", "\u02BC", "\u2013",
    "\u2014", "\u2212", "\u00AB", "\u00BB", "\u201C", "\u201D", "\"", "(", ")", ":", ";", "!",
    "?", "/", "\u2116", "%", "\uFB01", "\uFB02", "\u00BD", "\u2474", "\u00B2", "\u2168",
    "\uFF21", "\uFF41", "\uFF10", "\uFF0D", "\uFF0E", "\u0301", "\u0306", "\u0308", "\u0483",
    "\u00AD", "\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF", " ", " ", " ", "  ", "\t",
    "\u00A0", "\u1680", "\u3000", "\u2003", "\n", "\n", "\r\n", "\r", "\n\n", "\xC2\x85",
    "\u2028", "\u2029", "\v", "\f", "\xFF", "\xC0", "\xE0", "\xE2\x80", "\xD0", "\x80",
    "\u00A8", "\uFDFA", "\U0001F600", "\U0001D400", "\u0482", "\u03A9", "\u03C9", "\u0531",
    "\u05D0", "\u4E2D", "\u01C5", "\u1E9E", "\u0130", "\u212A", "\u2126", "1.", ".5", "2,5",
    "3d", "IP-", "-адрес", "'s", "1)", "а)", "\u2022", "*", "#", "Ы", "ЭЮ", "ПРИВЕТ", "слово",
};

/* ASCII-heavy mixes for the normalizer's ASCII runs: words, numbers and
 * "3d"-like runs next to separators, Cyrillic letters and marks. */
static const char *const tokrec_ascii_pieces[] = {
    "a", "b", "e", "h", "i", "o", "x", "d", "f", "q", "z", "A", "B", "E", "H", "M", "D",
    "Q", "Z", "0", "1", "9", "42", "word", "Cookie", "API", "IP", "HTTPS", "2026", "3d",
    "x1y", "ab12cd", "1st", "Ab", "aB", "ABC", " ", " ", " ", " ", "\n", "\n\n", "\r\n", ".",
    ",", "-", "'", "\u2019", "\u2010", "(", ")", ":", "/", "@", "_", "1.", ".5", "2,5",
    "IP-", "-адрес", "'s", "а", "я", "Ё", "ә", "Қ", "і", "слово", "ПРИВЕТ", "\u0301",
    "\u00AD", "\u200B", "\uFF41", "\uFF10", "\uFB01", "\u00A0", "\u2014",
};

static void tokrec_mixes(const char *const *pieces, size_t np, uint64_t x, int rounds)
{
    char buf[1024];
    for (int round = 0; round < rounds; round++) {
        size_t len = 0;
        x = x * 6364136223846793005u + 1442695040888963407u;
        int n = (int)((x >> 33) % 48);
        for (int k = 0; k < n; k++) {
            x = x * 6364136223846793005u + 1442695040888963407u;
            const char *p = pieces[(x >> 33) % np];
            size_t pl = strlen(p);
            if (len + pl >= sizeof buf)
                break;
            memcpy(buf + len, p, pl);
            len += pl;
        }
        uint32_t bad = zl_tokrec_check(buf, len);
        if (bad) {
            fprintf(stderr, "round %d, token %u:", round, bad);
            for (size_t k = 0; k < len; k++)
                fprintf(stderr, " %02x", (unsigned char)buf[k]);
            fprintf(stderr, "\n");
        }
        assert_int_equal(bad, 0);
    }
}

static void test_tokrec_random(void **state)
{
    (void)state;
    tokrec_mixes(tokrec_pieces, sizeof tokrec_pieces / sizeof *tokrec_pieces,
                 0x9E3779B97F4A7C15u, 40000);
    tokrec_mixes(tokrec_ascii_pieces, sizeof tokrec_ascii_pieces / sizeof *tokrec_ascii_pieces,
                 0xD1B54A32D192ED03u, 40000);
    /* more tokens than the recorder's first guess (a token per 4 bytes) */
    zl_buf b = {0};
    for (int k = 0; k < 3000; k++)
        zl_buf_puts(&b, k % 7 ? "1 " : "я.");
    assert_int_equal(zl_tokrec_check(b.data, b.len), 0);
    zl_buf_free(&b);
}

/* The segmenter's fast paths (word lists indexed by length, the list of
 * terminal punctuation, counts taken on the way, runs copied whole...)
 * give what the reference paths give (zl_segment_check): random documents
 * of policy-like pieces, lines, markers and headings, as text and as
 * Markdown. */
static const char *const seg_pieces[] = {
    "Настоящая", "Политика", "обработки", "персональных", "данных", "Оператор", "вправе",
    "и", "в", "на", "для", "или", "с", "по", "о", "который", "настоящей", "следующим",
    "Қазақстан", "Республикасының", "және", "үшін", "мен", "осы", "туралы", "бойынша",
    "деректер", "табылады", "болып", "немесе", "арқылы", "сондай", "бен", "пен", "бұл",
    "т", "г", "ул", "им", "рк", "РК", "тоо", "ТОО", "жшс", "ақ", "e.g", "i.e", "etc", "inc",
    "А", "Б", "Иванов", "ОБЩИЕ", "ПОЛОЖЕНИЯ", "ЖАЛПЫ", "ЕРЕЖЕЛЕР", "ДАННЫЕ", "Privacy",
    "Policy", "data", "the", "cookie", "e-mail", "IP-адрес", "2026", "240440013619", "2.5",
    " ", " ", " ", " ", " ", " ", " ", ". ", ". ", ". ", "; ", ": ", "! ", "? ", "...", "?!",
    ".", ",", ", ", ":", ";", "\"", "«", "»", "(", ")", "[", "]", "-", " - ", "*", "**",
    "\n", "\n", "\n", "\n\n", "\n\n", "\r\n", "\n1. ", "\n2. ", "\n3. ", "\n1.1. ",
    "\n1.2. ", "\n2.1. ", "\n2.1.1. ", "\n2.3 ", "\n1) ", "\n2) ", "\nа) ", "\nб) ",
    "\n(1) ", "\n(i) ", "\n- ", "\n\u2022 ", "\n* ", "\n**1.1.** ", " 1) ", " 2) ",
    " 2.2. ", " 3.1. ", "\n# ", "\n## ", "\n\n# ", "\u00A0", "\t", "\u2003", "\u200B",
    "\xFF", "\xD0", "\xE2\x80", "\u0301", "\u00AD", "\u2028", "\uFB01", "ПРИВЕТ",
    "\u00BD", "\u2474", "\u00B2", "\u2168", "\uFF0E", "\u2116", "\u00A8", "\U0001F600",
    "\n\nОБЩИЕ ПОЛОЖЕНИЯ\n\n", "\n\n1. Общие положения\n\n", "\n\nТерминдер\n",
};

/* Pieces of long lines: every fifth round draws 600 pieces and mostly
 * skips the line breaks, with runs of 3- and 4-byte characters, so that
 * lines of 100 to 1,000 code points or 200 to 2,000 bytes (the code points
 * of a line are counted up to 256) come up. */
static const char *const wide_pieces[] = {
    "\u2116\u2116\u2116\u2116", "\U0001F600\U0001F600\U0001F600", "\u00AB\u2014\u00BB",
    "\U0001F600 \u2116 \u2014",
};

static void seg_mixes(uint64_t x, int rounds)
{
    char buf[4096];
    size_t np = sizeof seg_pieces / sizeof *seg_pieces;
    size_t nw = sizeof wide_pieces / sizeof *wide_pieces;
    for (int round = 0; round < rounds; round++) {
        size_t len = 0;
        int wide = round % 5 == 4;
        x = x * 6364136223846793005u + 1442695040888963407u;
        int n = (int)((x >> 33) % (wide ? 600 : 160));
        for (int k = 0; k < n; k++) {
            x = x * 6364136223846793005u + 1442695040888963407u;
            const char *p = seg_pieces[(x >> 33) % np];
            if (wide && (x >> 12) % 4 == 0)
                p = wide_pieces[(x >> 14) % nw];
            else if (wide && strchr(p, '\n') && (x >> 16) % 16 != 0)
                continue;
            size_t pl = strlen(p);
            if (len + pl >= sizeof buf)
                break;
            memcpy(buf + len, p, pl);
            len += pl;
            if ((x >> 20) % 3 == 0 && len + 1 < sizeof buf)
                buf[len++] = ' ';
        }
        const char *format = round % 4 == 3 ? "md" : "txt";
        int bad = zl_segment_check(buf, len, format);
        if (bad) {
            fprintf(stderr, "round %d (%s), structure %d:", round, format, bad);
            for (size_t k = 0; k < len; k++)
                fprintf(stderr, " %02x", (unsigned char)buf[k]);
            fprintf(stderr, "\n");
        }
        assert_int_equal(bad, 0);
    }
}

static void test_segment_random(void **state)
{
    (void)state;
    seg_mixes(0x2545F4914F6CDD1Du, 20000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_token_offsets_and_flags),
        cmocka_unit_test(test_tokenize_phrase),
        cmocka_unit_test(test_dense_tokens),
        cmocka_unit_test(test_tokenize_cyrillic_runs),
        cmocka_unit_test(test_sentences),
        cmocka_unit_test(test_sentence_ends_at_paragraph_and_clause),
        cmocka_unit_test(test_clauses),
        cmocka_unit_test(test_clause_levels),
        cmocka_unit_test(test_paragraphs_hard_wrapped),
        cmocka_unit_test(test_headings),
        cmocka_unit_test(test_section_nesting),
        cmocka_unit_test(test_markdown_blocks),
        cmocka_unit_test(test_class_table),
        cmocka_unit_test(test_tokrec_random),
        cmocka_unit_test(test_segment_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
