/*
 * test_ingest.c - stage 1 (src/ingest/ingest.c, reader_txt.c, reader_md.c):
 * reading files and stdin under limits, choosing the reader, the txt block,
 * Markdown blanking with offsets kept, Markdown blocks, and the text-to-src
 * offset map.  Input files are created in a mkdtemp directory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest/ingest.h"
#include "util/diag.h"

#define B(s) s, sizeof(s) - 1

static char tmpdir[64];

static void path_in_tmp(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/%s", tmpdir, name);
}

static void write_file(const char *name, const char *data, size_t n)
{
    char p[256];
    path_in_tmp(p, sizeof p, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/zl-test-ingest-XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    char p[256];
    write_file("ok.txt", B("Текст\n"));
    write_file("empty.txt", "", 0);
    write_file("big.txt", B("0123456789012345678901234567890123456789"));
    write_file("exact.txt", B("0123456789"));
    path_in_tmp(p, sizeof p, "dir.md");
    if (mkdir(p, 0700) != 0)
        return -1;
    path_in_tmp(p, sizeof p, "fifo");
    if (mkfifo(p, 0600) != 0)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    static const char *names[] = {"ok.txt", "empty.txt", "big.txt", "exact.txt", "fifo",
                                  "stdin.txt"};
    char p[256];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        path_in_tmp(p, sizeof p, names[i]);
        unlink(p);
    }
    path_in_tmp(p, sizeof p, "dir.md");
    rmdir(p);
    rmdir(tmpdir);
    return 0;
}

/* ---- zl_ingest_read_bytes on files ---- */

typedef struct read_row {
    const char *name; /* file in tmpdir */
    size_t max_bytes; /* 0 = default */
    int rc;
    const char *data;      /* expected bytes on success */
    zl_diag_id diag;       /* expected diagnostic on failure */
    const char *msg_part;  /* substring of its message */
} read_row;

static const read_row read_rows[] = {
    {"ok.txt", 0, ZL_OK, "Текст\n", 0, NULL},
    {"exact.txt", 10, ZL_OK, "0123456789", 0, NULL},
    {"missing.txt", 0, ZL_ERR, NULL, ZL_D_IO_OPEN, "No such file"},
    {"dir.md", 0, ZL_ERR, NULL, ZL_D_IO_ISDIR, "directory"},
    {"fifo", 0, ZL_ERR, NULL, ZL_D_IO_SPECIAL, "not a regular file"},
    {"empty.txt", 0, ZL_ERR, NULL, ZL_D_IO_EMPTY, "empty"},
    {"big.txt", 16, ZL_ERR, NULL, ZL_D_IO_TOO_LARGE, "limit of 16 bytes"},
    {"exact.txt", 9, ZL_ERR, NULL, ZL_D_IO_TOO_LARGE, "limit of 9 bytes"},
};

static void test_read_files(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof read_rows / sizeof read_rows[0]; i++) {
        const read_row *r = &read_rows[i];
        char p[256];
        path_in_tmp(p, sizeof p, r->name);
        print_message("row: %s max=%zu\n", r->name, r->max_bytes);
        zl_arena *a = zl_arena_new();
        zl_diags d = {0};
        zl_load_opts o = {0};
        o.max_bytes = r->max_bytes;
        char *bytes = (char *)"sentinel";
        size_t n = 99;
        int rc = zl_ingest_read_bytes(a, p, r->max_bytes ? &o : NULL, &bytes, &n, &d);
        assert_int_equal(rc, r->rc);
        if (rc == ZL_OK) {
            assert_int_equal(d.count, 0);
            assert_int_equal(n, strlen(r->data));
            assert_memory_equal(bytes, r->data, n);
        } else {
            assert_null(bytes);
            assert_int_equal(n, 0);
            assert_int_equal(d.count, 1);
            assert_int_equal(d.errors, 1);
            assert_int_equal(d.items[0].id, r->diag);
            assert_string_equal(d.items[0].path, p);
            assert_non_null(strstr(d.items[0].message, r->msg_part));
        }
        zl_diags_free(&d);
        zl_arena_free(a);
    }
}

/* ---- zl_ingest_read_bytes on stdin ("-") ---- */

static int read_stdin_from(const char *data, size_t len, size_t max, char **bytes, size_t *n,
                           zl_arena *a, zl_diags *d)
{
    write_file("stdin.txt", data, len);
    char p[256];
    path_in_tmp(p, sizeof p, "stdin.txt");
    int saved = dup(0);
    int fd = open(p, O_RDONLY);
    assert_true(saved >= 0 && fd >= 0);
    assert_int_equal(dup2(fd, 0), 0);
    close(fd);
    zl_load_opts o = {0};
    o.max_bytes = max;
    int rc = zl_ingest_read_bytes(a, "-", &o, bytes, n, d);
    assert_int_equal(dup2(saved, 0), 0);
    close(saved);
    return rc;
}

static void test_read_stdin(void **state)
{
    (void)state;
    zl_arena *a = zl_arena_new();
    zl_diags d = {0};
    char *bytes;
    size_t n;

    /* bigger than one read chunk */
    size_t len = 200 * 1024;
    char *big = malloc(len);
    assert_non_null(big);
    for (size_t i = 0; i < len; i++)
        big[i] = (char)('a' + i % 26);
    assert_int_equal(read_stdin_from(big, len, 0, &bytes, &n, a, &d), ZL_OK);
    assert_int_equal(n, len);
    assert_memory_equal(bytes, big, len);
    assert_int_equal(d.count, 0);

    /* over the limit: stops with the limit in the message and the display path */
    assert_int_equal(read_stdin_from(big, len, 1000, &bytes, &n, a, &d), ZL_ERR);
    assert_int_equal(d.count, 1);
    assert_int_equal(d.items[0].id, ZL_D_IO_TOO_LARGE);
    assert_string_equal(d.items[0].path, "<stdin>");
    assert_non_null(strstr(d.items[0].message, "limit of 1000 bytes"));

    /* empty stdin */
    assert_int_equal(read_stdin_from("", 0, 0, &bytes, &n, a, &d), ZL_ERR);
    assert_int_equal(d.count, 2);
    assert_int_equal(d.items[1].id, ZL_D_IO_EMPTY);
    assert_string_equal(d.items[1].path, "<stdin>");

    free(big);
    zl_diags_free(&d);
    zl_arena_free(a);
}

/* ---- reader selection ---- */

typedef struct fmt_row {
    const char *path;
    const char *format; /* option */
    const char *want;   /* reader name, NULL = error */
    const char *display;
} fmt_row;

static const fmt_row fmt_rows[] = {
    {"a.txt", NULL, "txt", "a.txt"},
    {"a.text", NULL, "txt", "a.text"},
    {"a.md", NULL, "md", "a.md"},
    {"docs/POLICY.MD", NULL, "md", "docs/POLICY.MD"},
    {"a.Markdown", NULL, "md", "a.Markdown"},
    {"a.policy", NULL, "txt", "a.policy"},
    {"README", NULL, "txt", "README"},
    {"dir.md/file", NULL, "txt", "dir.md/file"},
    {".md", NULL, "txt", ".md"},
    {"-", NULL, "txt", "<stdin>"},
    {"-", "md", "md", "<stdin>"},
    {"a.txt", "md", "md", "a.txt"},
    {"a.md", "TXT", "txt", "a.md"},
    {"a.txt", "rtf", NULL, "a.txt"},
};

static void test_reader_choice(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof fmt_rows / sizeof fmt_rows[0]; i++) {
        const fmt_row *r = &fmt_rows[i];
        print_message("row: %s --format %s\n", r->path, r->format ? r->format : "-");
        zl_arena *a = zl_arena_new();
        zl_diags d = {0};
        zl_load_opts o = {0};
        o.format = r->format;
        zl_input in;
        int rc = zl_ingest(a, r->path, B("# Заголовок\n"), &o, &in, &d);
        if (r->want) {
            assert_int_equal(rc, ZL_OK);
            assert_string_equal(in.format, r->want);
            assert_string_equal(in.path, r->display);
            assert_int_equal(d.count, 0);
        } else {
            assert_int_equal(rc, ZL_ERR);
            assert_int_equal(d.count, 1);
            assert_int_equal(d.items[0].id, ZL_D_FORMAT_UNSUPPORTED);
            assert_non_null(strstr(d.items[0].message, r->format));
        }
        zl_diags_free(&d);
        zl_arena_free(a);
    }
    const zl_reader *const *all = zl_readers();
    assert_string_equal(all[0]->name, "txt");
    assert_string_equal(all[1]->name, "md");
    assert_ptr_equal(zl_reader_find("md"), all[1]);
    assert_null(zl_reader_find("docx-not-yet"));
    assert_null(zl_reader_find(NULL));
}

/* The extension chooses the reader and the content confirms it: bytes that
 * another reader recognises go to that reader, bytes nobody recognises stay
 * with the extension's reader; --format is not second-guessed. */
typedef struct sniff_row {
    const char *path, *format;
    const char *bytes;
    size_t n;
    const char *want; /* reader that ran */
    int rc;
} sniff_row;

#define ZIP_DOCX "PK\x03\x04\x14\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x11\0\0\0word/document.xml"
static const sniff_row sniff_rows[] = {
    {"a.txt", NULL, B("<!DOCTYPE html><html><body><p>Текст</p></body></html>\n"), "html", ZL_OK},
    {"a.md", NULL, B("  <html lang=ru><p>Текст</p></html>"), "html", ZL_OK},
    {"a.txt", NULL, B("# <html> in the middle is text\n"), "txt", ZL_OK},
    {"a.md", NULL, B(ZIP_DOCX), "docx", ZL_ERR},  /* read as DOCX (a broken one) */
    {"a.txt", NULL, B("%PDF-1.7\n%\xe2\xe3\n"), "pdf", ZL_ERR},
    {"a.docx", NULL, B("%PDF-1.4\n"), "pdf", ZL_ERR},
    {"a.docx", NULL, B("Политика конфиденциальности\n"), "docx", ZL_ERR},
    {"a.pdf", NULL, B("Политика конфиденциальности\n"), "pdf", ZL_ERR},
    {"a.html", NULL, B("<p>a fragment: no <html>, still HTML by name</p>"), "html", ZL_OK},
    {"a.txt", "txt", B("<html><body>forced</body></html>"), "txt", ZL_OK},
};

static void test_extension_confirmed(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof sniff_rows / sizeof sniff_rows[0]; i++) {
        const sniff_row *r = &sniff_rows[i];
        print_message("row %zu: %s\n", i, r->path);
        zl_arena *a = zl_arena_new();
        zl_diags d = {0};
        zl_load_opts o = {0};
        o.format = r->format;
        zl_input in;
        int rc = zl_ingest(a, r->path, r->bytes, r->n, &o, &in, &d);
        assert_string_equal(in.format, r->want);
        assert_int_equal(rc, r->rc);
        if (rc == ZL_ERR) {
            assert_true(d.errors >= 1);
            assert_string_equal(d.items[0].path, r->path);
        }
        zl_diags_free(&d);
        zl_arena_free(a);
    }
}

/* ---- txt reader ---- */

static void test_txt_reader(void **state)
{
    (void)state;
    zl_arena *a = zl_arena_new();
    zl_diags d = {0};
    zl_input in;
    assert_int_equal(zl_ingest(a, "p.txt", B("\xEF\xBB\xBF# Не заголовок\r\n*x*\n"), NULL, &in, &d),
                     ZL_OK);
    assert_string_equal(in.src, "# Не заголовок\r\n*x*\n");
    assert_ptr_equal(in.text, in.src);
    assert_int_equal(in.src_len, in.text_len);
    assert_int_equal(in.text_len, strlen(in.src));
    assert_int_equal(in.encoding, ZL_ENC_UTF8_BOM);
    assert_int_equal(in.bom_len, 3);
    assert_int_equal(in.n_blocks, 1);
    assert_int_equal(in.blocks[0].kind, ZL_BLK_TEXT);
    assert_int_equal(in.blocks[0].off, 0);
    assert_int_equal(in.blocks[0].len, in.text_len);
    assert_int_equal(in.n_map, 0);
    assert_int_equal(in.pos_kind, ZL_POS_LINE);
    assert_int_equal(zl_input_text_to_src(&in, 7), 7);

    /* decode errors come back through the reader, with the path */
    assert_int_equal(zl_ingest(a, "bin.txt", B("ab\0cd"), NULL, &in, &d), ZL_ERR);
    assert_int_equal(d.count, 1);
    assert_int_equal(d.items[0].id, ZL_D_ENC_BINARY);
    assert_string_equal(d.items[0].path, "bin.txt");
    assert_int_equal(d.items[0].offset, 2);

    /* the encoding option reaches the decoder */
    zl_load_opts o = {0};
    o.encoding = "koi8-r";
    assert_int_equal(zl_ingest(a, "k.md", B("\xc4\xc1"), &o, &in, &d), ZL_OK);
    assert_string_equal(in.src, "да");
    assert_int_equal(in.encoding, ZL_ENC_KOI8R);
    zl_diags_free(&d);
    zl_arena_free(a);
}

/* ---- md reader ---- */

typedef struct want_block {
    zl_block_kind kind;
    uint8_t level;
    const char *content; /* the block's bytes in text; located by its first occurrence */
    const char *label;
} want_block;

#define MAX_WB 6
typedef struct md_row {
    const char *name;
    const char *src;
    const char *text; /* expected text: same length, markup blanked */
    want_block blocks[MAX_WB];
    size_t n_blocks;
} md_row;

#define H ZL_BLK_HEADING
#define P ZL_BLK_PARAGRAPH
#define L ZL_BLK_LIST_ITEM
#define T ZL_BLK_TABLE_ROW

static const md_row md_rows[] = {
    {"atx heading", "# Политика\n", "  Политика\n", {{H, 1, "Политика", NULL}}, 1},
    {"atx closing hashes", "## 9. Хранение ##\n", "   9. Хранение   \n",
     {{H, 2, "9. Хранение", NULL}}, 1},
    {"atx level 6, 7 hashes is text", "###### six\n####### seven\n",
     "       six\n####### seven\n", {{H, 6, "six", NULL}, {P, 0, "####### seven", NULL}}, 2},
    {"hash without space is text", "#hashtag\n", "#hashtag\n", {{P, 0, "#hashtag", NULL}}, 1},
    {"setext h1 and h2", "Политика\n===\nЦели\n---\n", "Политика\n   \nЦели\n   \n",
     {{H, 1, "Политика", NULL}, {H, 2, "Цели", NULL}}, 2},
    {"emphasis kinds", "Это **важно**, *очень* и __тоже__ ~~нет~~ _да_.\n",
     "Это   важно  ,  очень  и   тоже     нет    да .\n",
     {{P, 0, "Это   важно  ,  очень  и   тоже     нет    да .", NULL}}, 1},
    {"no emphasis inside words", "snake_case_name и 2*3 и a * b\n",
     "snake_case_name и 2*3 и a * b\n", {{P, 0, "snake_case_name и 2*3 и a * b", NULL}}, 1},
    {"unmatched star kept", "*только открытая\n", "*только открытая\n",
     {{P, 0, "*только открытая", NULL}}, 1},
    {"escapes", "Не \\*курсив\\*\n", "Не  *курсив *\n", {{P, 0, "Не  *курсив *", NULL}}, 1},
    {"inline code", "Код `x_y*z` и ``a`b``\n", "Код  x_y*z  и   a`b  \n",
     {{P, 0, "Код  x_y*z  и   a`b", NULL}}, 1},
    {"link keeps text", "См. [политику](https://x.kz/p \"t\") тут\n",
     "См.  политику                      тут\n", {{P, 0, "См.  политику                      тут", NULL}}, 1},
    {"image keeps alt", "![Логотип](logo.png)\n", "  Логотип           \n",
     {{P, 0, "Логотип", NULL}}, 1},
    {"emphasis inside link", "[**Оператор**](a)\n", "   Оператор      \n",
     {{P, 0, "Оператор", NULL}}, 1},
    {"emphasis around a link", "**[Политика](p)** и *курсив [ссылка](x)*\n",
     "   Политика       и  курсив  ссылка     \n",
     {{P, 0, "Политика       и  курсив  ссылка", NULL}}, 1},
    {"image inside a link", "[![Логотип](a.png)](https://x.kz)\n",
     "   Логотип                       \n", {{P, 0, "Логотип", NULL}}, 1},
    {"unclosed brackets stay", "[[a] и [b\n", "[[a] и [b\n", {{P, 0, "[[a] и [b", NULL}}, 1},
    {"reference link", "[текст][1] и [x]\n", " текст     и [x]\n", {{P, 0, "текст     и [x]", NULL}},
     1},
    {"autolinks", "<https://example.kz> и <info@x.kz>\n", " https://example.kz  и  info@x.kz \n",
     {{P, 0, "https://example.kz  и  info@x.kz", NULL}}, 1},
    {"inline html comment", "Текст <!-- zanlint-disable x --> далее\n",
     "Текст                            далее\n", {{P, 0, "Текст                            далее", NULL}},
     1},
    {"block html comment over lines", "<!--\nскрыто\n-->\nПосле\n",
     "    \n            \n   \nПосле\n", {{P, 0, "После", NULL}}, 1},
    {"html tag", "Строка<br>далее\n", "Строка    далее\n", {{P, 0, "Строка    далее", NULL}}, 1},
    {"fenced code blanked", "```js\nvar a = 1;\n```\nТекст\n", "     \n          \n   \nТекст\n",
     {{P, 0, "Текст", NULL}}, 1},
    {"tilde fence", "~~~\n# нет\n~~~~\n", "   \n        \n    \n", {{P, 0, "", NULL}}, 0},
    {"blockquote", "> Цитата *тут*\n> ещё\n", "  Цитата  тут \n  ещё\n",
     {{P, 0, "Цитата  тут \n  ещё", NULL}}, 1},
    {"lists keep markers", "- один\n- два\n  - вложенный\n1. первый\n2) второй\n",
     "- один\n- два\n  - вложенный\n1. первый\n2) второй\n",
     {{L, 1, "- один", "-"},
      {L, 1, "- два", "-"},
      {L, 2, "- вложенный", "-"},
      {L, 1, "1. первый", "1."},
      {L, 1, "2) второй", "2)"}},
     5},
    {"star bullet and emphasis", "* **Цель**: сбор\n", "*   Цель  : сбор\n",
     {{L, 1, "*   Цель  : сбор", "*"}}, 1},
    {"list item continuation", "1. первая строка\nвторая строка\n\nАбзац\n",
     "1. первая строка\nвторая строка\n\nАбзац\n",
     {{L, 1, "1. первая строка\nвторая строка", "1."}, {P, 0, "Абзац", NULL}}, 2},
    {"table rows", "| Цель | Срок |\n|:---|---:|\n| a | *b* |\n",
     "  Цель | Срок  \n           \n  a |  b   \n",
     {{T, 0, "Цель | Срок", NULL}, {T, 0, "a |  b", NULL}}, 2},
    {"paragraphs", "Первый абзац\nпродолжение\n\nВторой\n",
     "Первый абзац\nпродолжение\n\nВторой\n",
     {{P, 0, "Первый абзац\nпродолжение", NULL}, {P, 0, "Второй", NULL}}, 2},
    {"crlf kept", "# Заголовок\r\n\r\nТекст\r\n", "  Заголовок\r\n\r\nТекст\r\n",
     {{H, 1, "Заголовок", NULL}, {P, 0, "Текст", NULL}}, 2},
    {"thematic break", "А\n\n***\n\nБ\n", "А\n\n   \n\nБ\n", {{P, 0, "А", NULL}, {P, 0, "Б", NULL}},
     2},
    {"link reference definition", "[1]: https://x.kz\n", "                 \n", {{P, 0, "", NULL}},
     0},
};

/* Every byte of text is the source byte or a space standing in for markup. */
static void assert_blanking_only(const zl_input *in)
{
    assert_int_equal(in->text_len, in->src_len);
    for (size_t i = 0; i < in->text_len; i++) {
        if (in->text[i] != in->src[i]) {
            assert_int_equal(in->text[i], ' ');
            assert_true(in->src[i] != '\n' && in->src[i] != '\r');
        }
    }
}

static void test_md_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof md_rows / sizeof md_rows[0]; i++) {
        const md_row *r = &md_rows[i];
        print_message("row: %s\n", r->name);
        zl_arena *a = zl_arena_new();
        zl_diags d = {0};
        zl_input in;
        assert_int_equal(zl_ingest(a, "p.md", r->src, strlen(r->src), NULL, &in, &d), ZL_OK);
        assert_int_equal(d.count, 0);
        assert_string_equal(in.format, "md");
        assert_string_equal(in.src, r->src);
        assert_int_equal(strlen(r->text), strlen(r->src)); /* the row itself */
        assert_string_equal(in.text, r->text);
        assert_blanking_only(&in);
        assert_int_equal(in.n_map, 0);
        assert_int_equal(in.n_blocks, r->n_blocks);
        for (size_t b = 0; b < r->n_blocks; b++) {
            const want_block *w = &r->blocks[b];
            const zl_block *g = &in.blocks[b];
            const char *at = strstr(in.text, w->content);
            assert_non_null(at);
            assert_int_equal(g->kind, w->kind);
            assert_int_equal(g->level, w->level);
            assert_int_equal(g->off, (uint32_t)(at - in.text));
            assert_int_equal(g->len, strlen(w->content));
            if (w->label)
                assert_string_equal(g->label, w->label);
            else
                assert_null(g->label);
            if (b > 0) /* sorted, non-overlapping */
                assert_true(in.blocks[b - 1].off + in.blocks[b - 1].len <= g->off);
        }
        zl_diags_free(&d);
        zl_arena_free(a);
    }
}

/* Inline markup is found wherever it falls in a line: each construct after
 * 0..40 bytes of plain text, followed by 0..20 more, is blanked exactly as
 * at the start of the line (the reader looks for markup bytes 16 at a
 * time). */
static void test_md_inline_any_offset(void **state)
{
    (void)state;
    static const char *const constructs[] = {
        "**важно**", "`код`", "[ссылка](https://x.kz)", "<!-- скрыто -->", "\\*не\\*", "<br>",
        "~~нет~~",   "_да_",  "![лого](a.png)",         "<info@x.kz>",     "a^b[c",   "x ! y",
    };
    char src[256], want[256];
    for (size_t c = 0; c < sizeof constructs / sizeof constructs[0]; c++) {
        for (size_t tail = 0; tail <= 20; tail++) {
            /* the construct at the start of the line, after one space */
            snprintf(src, sizeof src, " %s%.*s\n", constructs[c], (int)tail,
                     " хвост хвост хвост хвост");
            zl_arena *a = zl_arena_new();
            zl_diags d = {0};
            zl_input in;
            assert_int_equal(zl_ingest(a, "p.md", src, strlen(src), NULL, &in, &d), ZL_OK);
            size_t base_len = in.text_len;
            char base[128];
            assert_true(base_len < sizeof base);
            memcpy(base, in.text, base_len);
            zl_arena_free(a);
            for (size_t pad = 1; pad <= 40; pad++) {
                memset(src, 'a', pad);
                memset(want, 'a', pad);
                snprintf(src + pad, sizeof src - pad, " %s%.*s\n", constructs[c], (int)tail,
                         " хвост хвост хвост хвост");
                memcpy(want + pad, base, base_len);
                want[pad + base_len] = '\0';
                a = zl_arena_new();
                assert_int_equal(zl_ingest(a, "p.md", src, strlen(src), NULL, &in, &d), ZL_OK);
                assert_string_equal(in.text, want);
                zl_arena_free(a);
            }
            zl_diags_free(&d);
        }
    }
}

/* The HTML comment stays in src for the suppression reader. */
static void test_md_comment_stays_in_src(void **state)
{
    (void)state;
    zl_arena *a = zl_arena_new();
    zl_diags d = {0};
    zl_input in;
    const char *s = "<!-- zanlint-disable kz94v.x -->\nТекст\n";
    assert_int_equal(zl_ingest(a, "p.md", s, strlen(s), NULL, &in, &d), ZL_OK);
    assert_non_null(strstr(in.src, "zanlint-disable kz94v.x"));
    assert_null(strstr(in.text, "zanlint"));
    assert_ptr_not_equal(in.text, in.src);
    zl_diags_free(&d);
    zl_arena_free(a);
}

/* ---- offset map ---- */

static void test_text_to_src(void **state)
{
    (void)state;
    zl_input in;
    memset(&in, 0, sizeof in);
    assert_int_equal(zl_input_text_to_src(&in, 0), 0);
    assert_int_equal(zl_input_text_to_src(&in, 12345), 12345);

    zl_map_run runs[] = {{0, 10}, {5, 40}, {6, 41}, {20, 100}};
    in.map = runs;
    in.n_map = 4;
    static const uint32_t cases[][2] = {
        {0, 10}, {4, 14}, {5, 40}, {6, 41}, {19, 54}, {20, 100}, {25, 105},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(zl_input_text_to_src(&in, cases[i][0]), cases[i][1]);
    in.n_map = 1;
    assert_int_equal(zl_input_text_to_src(&in, 7), 17);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_files),
        cmocka_unit_test(test_read_stdin),
        cmocka_unit_test(test_reader_choice),
        cmocka_unit_test(test_txt_reader),
        cmocka_unit_test(test_md_rows),
        cmocka_unit_test(test_md_inline_any_offset),
        cmocka_unit_test(test_md_comment_stays_in_src),
        cmocka_unit_test(test_text_to_src),
        cmocka_unit_test(test_extension_confirmed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
