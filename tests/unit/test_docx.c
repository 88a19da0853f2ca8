/*
 * test_docx.c - the DOCX reader (src/ingest/reader_docx.c) on fixtures made
 * by pandoc and edited by scripts/make-fixtures (tests/fixtures/docx/), and on
 * zips built here with libzip: paragraphs and one src line per paragraph,
 * headings with levels (style ids, localized style names, w:outlineLvl),
 * list numbers from numbering.xml, table rows, tracked changes, fields,
 * footnotes, and the refusals: zip bombs (ratio, entry count, total size, an
 * entry inflating past its declared size), not a zip, no document.xml,
 * malformed XML, external entities and relationships not followed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "ingest/ingest.h"
#include "util/diag.h"

#define FIX "tests/fixtures/docx/"

typedef struct loaded {
    zl_arena *a;
    zl_diags diags;
    zl_input in;
    int rc;
} loaded;

static void load_mem(loaded *l, const char *name, const char *bytes, size_t n)
{
    memset(l, 0, sizeof *l);
    l->a = zl_arena_new();
    l->rc = zl_ingest(l->a, name, bytes, n, NULL, &l->in, &l->diags);
}

static void load_file(loaded *l, const char *path)
{
    memset(l, 0, sizeof *l);
    l->a = zl_arena_new();
    char *bytes;
    size_t n;
    assert_int_equal(zl_ingest_read_bytes(l->a, path, NULL, &bytes, &n, &l->diags), ZL_OK);
    l->rc = zl_ingest(l->a, path, bytes, n, NULL, &l->in, &l->diags);
}

static void unload(loaded *l)
{
    zl_diags_free(&l->diags);
    zl_arena_free(l->a);
}

/* The text of block i (copied into a static buffer). */
static const char *block_text(const loaded *l, size_t i)
{
    static char buf[1024];
    assert_true(i < l->in.n_blocks);
    const zl_block *b = &l->in.blocks[i];
    size_t n = b->len < sizeof buf - 1 ? b->len : sizeof buf - 1;
    memcpy(buf, l->in.text + b->off, n);
    buf[n] = '\0';
    return buf;
}

static void expect_block(const loaded *l, size_t i, zl_block_kind kind, int level,
                         const char *label, const char *text)
{
    const zl_block *b = &l->in.blocks[i];
    if (b->kind != kind || (int)b->level != level || strcmp(block_text(l, i), text) != 0 ||
        (label == NULL) != (b->label == NULL) || (label && strcmp(label, b->label) != 0))
        fail_msg("block %zu: got kind %d level %d label '%s' text '%s'; want %d %d '%s' '%s'", i,
                 (int)b->kind, (int)b->level, b->label ? b->label : "(null)", block_text(l, i),
                 (int)kind, level, label ? label : "(null)", text);
}

static size_t count_lines(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += s[i] == '\n';
    return k;
}

/* src line N holds block N-1: every block ends a line and nothing else does */
static void expect_one_line_per_block(const loaded *l)
{
    assert_int_equal(l->in.pos_kind, ZL_POS_PARAGRAPH);
    assert_int_equal(count_lines(l->in.src, l->in.src_len), l->in.n_blocks);
    assert_int_equal(l->in.src_len, l->in.text_len);
    for (size_t i = 0; i < l->in.n_blocks; i++) {
        const zl_block *b = &l->in.blocks[i];
        assert_int_equal(l->in.src[b->off + b->len], '\n');
        assert_int_equal(count_lines(l->in.src, b->off), i);
        assert_int_equal(zl_input_text_to_src(&l->in, b->off), b->off);
    }
}

static void test_headings_lists_footnote(void **state)
{
    (void)state;
    loaded l;
    load_file(&l, FIX "headings.docx");
    assert_int_equal(l.rc, ZL_OK);
    assert_string_equal(l.in.format, "docx");
    assert_int_equal(l.in.n_blocks, 12);
    expect_block(&l, 0, ZL_BLK_HEADING, 1, NULL, "Политика конфиденциальности");
    expect_block(&l, 1, ZL_BLK_HEADING, 2, NULL, "Общие положения");
    expect_block(&l, 2, ZL_BLK_PARAGRAPH, 0, NULL,
                 "Настоящая Политика определяет порядок обработки персональных данных.");
    expect_block(&l, 3, ZL_BLK_LIST_ITEM, 1, "1.",
                 "1. Оператор собирает фамилию, имя и номер телефона.");
    expect_block(&l, 4, ZL_BLK_LIST_ITEM, 1, "2.",
                 "2. Оператор хранит персональные данные на территории Республики Казахстан.");
    expect_block(&l, 5, ZL_BLK_LIST_ITEM, 2, "1.", "1. Срок хранения составляет три года.");
    expect_block(&l, 6, ZL_BLK_LIST_ITEM, 2, "2.", "2. По истечении срока данные уничтожаются.");
    expect_block(&l, 7, ZL_BLK_LIST_ITEM, 1, "3.", "3. Субъект вправе отозвать согласие.");
    expect_block(&l, 8, ZL_BLK_HEADING, 3, NULL, "Права субъекта");
    expect_block(&l, 9, ZL_BLK_LIST_ITEM, 1, "\xE2\x80\xA2",
                 "\xE2\x80\xA2 право на доступ к своим данным;");
    expect_block(&l, 10, ZL_BLK_LIST_ITEM, 1, "\xE2\x80\xA2",
                 "\xE2\x80\xA2 право на исправление данных.");
    /* the footnote, appended at the end, leading blank after its mark trimmed */
    expect_block(&l, 11, ZL_BLK_PARAGRAPH, 0, NULL,
                 "Закон Республики Казахстан от 21 мая 2013 года № 94-V «О персональных "
                 "данных и их защите».");
    expect_one_line_per_block(&l);
    assert_null(l.in.page_of_line);
    unload(&l);
}

static void test_crafted(void **state)
{
    (void)state;
    loaded l;
    load_file(&l, FIX "crafted.docx");
    assert_int_equal(l.rc, ZL_OK);
    assert_int_equal(l.in.n_blocks, 17);
    /* style named "Заголовок 1", style named "Тақырып 2", direct w:outlineLvl 2 */
    expect_block(&l, 0, ZL_BLK_HEADING, 1, NULL, "Общие положения");
    expect_block(&l, 1, ZL_BLK_HEADING, 2, NULL, "Жалпы ережелер");
    expect_block(&l, 2, ZL_BLK_HEADING, 3, NULL, "Раздел по уровню структуры");
    /* tracked insertion kept, deletion dropped */
    expect_block(&l, 3, ZL_BLK_PARAGRAPH, 0, NULL,
                 "Оператор обязуется хранить данные в Казахстане.");
    assert_null(strstr(l.in.text, "вправе не"));
    assert_null(strstr(l.in.text, "Удалённый абзац"));
    /* tab and line break: a newline in text, a space in src (one line per paragraph) */
    expect_block(&l, 4, ZL_BLK_PARAGRAPH, 0, NULL, "Имя\tФамилия\nТелефон");
    assert_non_null(strstr(l.in.src, "Имя\tФамилия Телефон\n"));
    /* a field: its result kept, its instruction dropped */
    expect_block(&l, 5, ZL_BLK_PARAGRAPH, 0, NULL, "Подробнее на сайте.");
    assert_null(strstr(l.in.text, "HYPERLINK"));
    /* multi-level numbering "%1." / "%1.%2." / "%3)", lower letters, restarts */
    expect_block(&l, 6, ZL_BLK_LIST_ITEM, 1, "1.", "1. Сбор данных");
    expect_block(&l, 7, ZL_BLK_LIST_ITEM, 2, "1.1.", "1.1. Цели сбора");
    expect_block(&l, 8, ZL_BLK_LIST_ITEM, 2, "1.2.", "1.2. Состав данных");
    expect_block(&l, 9, ZL_BLK_LIST_ITEM, 3, "a)", "a) Подпункт");
    expect_block(&l, 10, ZL_BLK_LIST_ITEM, 1, "2.", "2. Хранение");
    expect_block(&l, 11, ZL_BLK_LIST_ITEM, 2, "2.1.", "2.1. Первый срок");
    /* Word's russianLower */
    expect_block(&l, 12, ZL_BLK_LIST_ITEM, 1, "а)", "а) Перечень по-русски");
    expect_block(&l, 13, ZL_BLK_LIST_ITEM, 1, "б)", "б) Второй элемент");
    /* a numId missing from numbering.xml: a bullet */
    expect_block(&l, 14, ZL_BLK_LIST_ITEM, 1, "\xE2\x80\xA2", "\xE2\x80\xA2 Неизвестный список");
    expect_block(&l, 15, ZL_BLK_PARAGRAPH, 0, NULL, "Конец документа.");
    expect_one_line_per_block(&l);
    unload(&l);
}

static void test_table(void **state)
{
    (void)state;
    loaded l;
    load_file(&l, FIX "table.docx");
    assert_int_equal(l.rc, ZL_OK);
    assert_int_equal(l.in.n_blocks, 5);
    expect_block(&l, 0, ZL_BLK_HEADING, 1, NULL, "Категории данных");
    expect_block(&l, 1, ZL_BLK_TABLE_ROW, 0, NULL, "Категория | Цель обработки | Срок хранения");
    expect_block(&l, 2, ZL_BLK_TABLE_ROW, 0, NULL, "Фамилия, имя | Исполнение договора | 3 года");
    expect_block(&l, 3, ZL_BLK_TABLE_ROW, 0, NULL, "Номер телефона | Связь с клиентом | 1 год");
    expect_block(&l, 4, ZL_BLK_PARAGRAPH, 0, NULL, "Таблица приведена для примера.");
    expect_one_line_per_block(&l);
    unload(&l);
}

static void test_external_not_followed(void **state)
{
    (void)state;
    loaded l;
    load_file(&l, FIX "external.docx");
    assert_int_equal(l.rc, ZL_OK);
    assert_int_equal(l.diags.count, 0);
    assert_int_equal(l.in.n_blocks, 3);
    /* the entity references contribute nothing: /etc/passwd is not read */
    expect_block(&l, 0, ZL_BLK_PARAGRAPH, 0, NULL, "Начало  конец.");
    expect_block(&l, 1, ZL_BLK_PARAGRAPH, 0, NULL, "Удалённо: .");
    expect_block(&l, 2, ZL_BLK_PARAGRAPH, 0, NULL, "Ссылка");
    assert_null(strstr(l.in.text, "root:"));
    assert_null(strstr(l.in.text, "127.0.0.1"));
    unload(&l);
}

static void expect_diag(const loaded *l, zl_diag_id id, const char *path, const char *part)
{
    assert_int_equal(l->rc, ZL_ERR);
    assert_true(l->diags.count >= 1);
    const zl_diag *g = &l->diags.items[l->diags.count - 1];
    if (g->id != id || !strstr(g->message, part))
        fail_msg("diagnostic %s '%s', want %s with '%s'", zl_diag_code(g->id), g->message,
                 zl_diag_code(id), part);
    assert_string_equal(g->path, path);
}

static void test_bomb_ratio(void **state)
{
    (void)state;
    loaded l;
    load_file(&l, FIX "bomb.docx");
    expect_diag(&l, ZL_D_LIMIT, FIX "bomb.docx", "word/media/zeros.bin");
    assert_non_null(strstr(l.diags.items[0].message, "ratio over 200:1"));
    assert_non_null(strstr(l.diags.items[0].message, "zip bomb"));
    unload(&l);
}

/* ---- zips built in memory ---- */

typedef struct entry {
    const char *name;
    const char *data;
    size_t len;
    int store; /* 1 = stored, 0 = deflated */
} entry;

static char *make_zip(const entry *e, size_t n, size_t *out_len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    assert_non_null(src);
    zip_source_keep(src);
    zip_t *z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    assert_non_null(z);
    for (size_t i = 0; i < n; i++) {
        zip_source_t *s = zip_source_buffer(z, e[i].data, e[i].len, 0);
        assert_non_null(s);
        zip_int64_t idx = zip_file_add(z, e[i].name, s, ZIP_FL_ENC_UTF_8);
        assert_true(idx >= 0);
        assert_int_equal(zip_set_file_compression(z, (zip_uint64_t)idx,
                                                  e[i].store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0),
                         0);
    }
    assert_int_equal(zip_close(z), 0);
    assert_int_equal(zip_source_open(src), 0);
    assert_int_equal(zip_source_seek(src, 0, SEEK_END), 0);
    zip_int64_t len = zip_source_tell(src);
    assert_true(len > 0);
    assert_int_equal(zip_source_seek(src, 0, SEEK_SET), 0);
    char *buf = malloc((size_t)len);
    assert_non_null(buf);
    assert_int_equal(zip_source_read(src, buf, (zip_uint64_t)len), len);
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&ze);
    *out_len = (size_t)len;
    return buf;
}

static void put32(char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (char)((v >> (8 * i)) & 0xFF);
}

/* Rewrites the uncompressed size of `name` in the central directory (and in
 * its local header when `local`), as a lying archive would. */
static void patch_size(char *zip, size_t len, const char *name, uint32_t size, int local)
{
    size_t nl = strlen(name);
    int done = 0;
    for (size_t i = 0; i + 46 + nl <= len; i++) {
        if (memcmp(zip + i, "PK\x01\x02", 4) == 0 && (size_t)(unsigned char)zip[i + 28] == nl &&
            memcmp(zip + i + 46, name, nl) == 0) {
            put32(zip + i + 24, size);
            done++;
        }
        if (local && memcmp(zip + i, "PK\x03\x04", 4) == 0 &&
            (size_t)(unsigned char)zip[i + 26] == nl && memcmp(zip + i + 30, name, nl) == 0) {
            put32(zip + i + 22, size);
            done++;
        }
    }
    assert_int_equal(done, local ? 2 : 1);
}

#define DOC_XML                                                                                  \
    "<?xml version=\"1.0\"?><w:document "                                                      \
    "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>"        \
    "<w:p><w:r><w:t>Оператор обрабатывает персональные данные.</w:t></w:r></w:p>"             \
    "</w:body></w:document>"

static void test_minimal_and_sniff(void **state)
{
    (void)state;
    entry e[] = {{"word/document.xml", DOC_XML, sizeof DOC_XML - 1, 0}};
    size_t n;
    char *z = make_zip(e, 1, &n);
    loaded l;
    load_mem(&l, "upload.bin", z, n); /* unknown extension: found by content */
    assert_int_equal(l.rc, ZL_OK);
    assert_string_equal(l.in.format, "docx");
    assert_string_equal(l.in.text, "Оператор обрабатывает персональные данные.\n");
    unload(&l);
    free(z);
}

static void test_too_many_entries(void **state)
{
    (void)state;
    enum { N = 10001 };
    entry *e = calloc(N, sizeof *e);
    char(*names)[16] = calloc(N, sizeof *names);
    assert_non_null(e);
    assert_non_null(names);
    e[0] = (entry){"word/document.xml", DOC_XML, sizeof DOC_XML - 1, 0};
    for (size_t i = 1; i < N; i++) {
        snprintf(names[i], sizeof names[i], "x/%zu", i);
        e[i] = (entry){names[i], "", 0, 1};
    }
    size_t n;
    char *z = make_zip(e, N, &n);
    loaded l;
    load_mem(&l, "many.docx", z, n);
    expect_diag(&l, ZL_D_LIMIT, "many.docx", "10001 entries, more than the limit of 10000");
    unload(&l);
    free(z);
    free(names);
    free(e);
}

static void test_total_size_from_directory(void **state)
{
    (void)state;
    /* 2 MiB that does not compress, declared as 300 MiB (ratio 150:1, under
     * the ratio limit): refused from the directory, before inflating */
    size_t big_len = (size_t)2 << 20;
    char *big = malloc(big_len);
    assert_non_null(big);
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < big_len; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        big[i] = (char)x;
    }
    entry e[] = {{"word/document.xml", DOC_XML, sizeof DOC_XML - 1, 0},
                 {"word/media/big.bin", big, big_len, 1}};
    size_t n;
    char *z = make_zip(e, 2, &n);
    patch_size(z, n, "word/media/big.bin", 300u << 20, 0);
    loaded l;
    load_mem(&l, "total.docx", z, n);
    expect_diag(&l, ZL_D_LIMIT, "total.docx", "more than 268435456 bytes uncompressed");
    unload(&l);
    free(z);
    free(big);
}

static void test_entry_larger_than_declared(void **state)
{
    (void)state;
    /* document.xml declares 40 bytes but inflates to more: reading stops */
    entry e[] = {{"word/document.xml", DOC_XML, sizeof DOC_XML - 1, 0}};
    size_t n;
    char *z = make_zip(e, 1, &n);
    patch_size(z, n, "word/document.xml", 40, 1);
    loaded l;
    load_mem(&l, "lying.docx", z, n);
    assert_int_equal(l.rc, ZL_ERR);
    assert_true(l.diags.count >= 1);
    const zl_diag *g = &l.diags.items[0];
    assert_true((g->id == ZL_D_LIMIT && strstr(g->message, "past its declared size")) ||
                (g->id == ZL_D_IO_READ && strstr(g->message, "word/document.xml")));
    assert_string_equal(g->path, "lying.docx");
    unload(&l);
    free(z);
}

static void test_not_a_zip(void **state)
{
    (void)state;
    static const char junk[] = "PK\x03\x04 this is not really word/document.xml in a zip";
    loaded l;
    load_mem(&l, "junk.docx", junk, sizeof junk - 1);
    expect_diag(&l, ZL_D_IO_READ, "junk.docx", "not a zip archive");
    unload(&l);
}

static void test_missing_document(void **state)
{
    (void)state;
    entry e[] = {{"word/styles.xml", "<a/>", 4, 0}};
    size_t n;
    char *z = make_zip(e, 1, &n);
    loaded l;
    load_mem(&l, "nodoc.docx", z, n);
    expect_diag(&l, ZL_D_FORMAT_UNSUPPORTED, "nodoc.docx", "no word/document.xml");
    unload(&l);
    free(z);
}

static void test_malformed_xml(void **state)
{
    (void)state;
    static const char bad[] = "<?xml version=\"1.0\"?><w:document><w:body><w:p>";
    entry e[] = {{"word/document.xml", bad, sizeof bad - 1, 0}};
    size_t n;
    char *z = make_zip(e, 1, &n);
    loaded l;
    load_mem(&l, "bad.docx", z, n);
    expect_diag(&l, ZL_D_IO_READ, "bad.docx", "word/document.xml is not well-formed XML");
    unload(&l);
    free(z);
}

static char *entity_docx(const char *dtd, const char *ref, size_t *n)
{
    static char xml[2048];
    snprintf(xml, sizeof xml,
             "<?xml version=\"1.0\"?><!DOCTYPE w:document [%s]>"
             "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
             "<w:body><w:p><w:r><w:t>до %s после</w:t></w:r></w:p></w:body></w:document>",
             dtd, ref);
    entry e[] = {{"word/document.xml", xml, strlen(xml), 0}};
    return make_zip(e, 1, n);
}

static void test_internal_entities_not_expanded(void **state)
{
    (void)state;
    size_t n;
    char *z = entity_docx("<!ENTITY a \"хахаха\">", "&a;", &n);
    loaded l;
    load_mem(&l, "ent.docx", z, n);
    assert_int_equal(l.rc, ZL_OK);
    assert_string_equal(l.in.text, "до  после\n");
    unload(&l);
    free(z);

    /* "billion laughs": refused by libxml2's entity checks or left unexpanded,
     * never expanded */
    z = entity_docx("<!ENTITY a \"хахахахахаха\">"
                    "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                    "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
                    "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">"
                    "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"
                    "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">"
                    "<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">",
                    "&g;&g;&g;&g;", &n);
    load_mem(&l, "lol.docx", z, n);
    if (l.rc == ZL_OK)
        assert_string_equal(l.in.text, "до  после\n");
    else
        expect_diag(&l, ZL_D_IO_READ, "lol.docx", "word/document.xml is not well-formed XML");
    unload(&l);
    free(z);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_headings_lists_footnote),
        cmocka_unit_test(test_crafted),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_external_not_followed),
        cmocka_unit_test(test_bomb_ratio),
        cmocka_unit_test(test_minimal_and_sniff),
        cmocka_unit_test(test_too_many_entries),
        cmocka_unit_test(test_total_size_from_directory),
        cmocka_unit_test(test_entry_larger_than_declared),
        cmocka_unit_test(test_not_a_zip),
        cmocka_unit_test(test_missing_document),
        cmocka_unit_test(test_malformed_xml),
        cmocka_unit_test(test_internal_entities_not_expanded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
