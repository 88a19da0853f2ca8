/*
 * test_html.c - the HTML reader (src/ingest/reader_html.c): text and blocks
 * per element kind, skipped elements, entities and <br>, tables, list labels,
 * Word exports, template directives, malformed markup, encodings, sniffing,
 * the depth limit, and the text-to-source map (every character not produced
 * by an entity or a separator is the source character it maps to).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest.h"
#include "util/arena.h"
#include "util/diag.h"

/* Reads `html` as "t.html"; returns the reader's status. */
static int read_html(zl_arena *a, const char *name, const char *html, size_t n, zl_input *in,
                     zl_diags *d)
{
    zl_load_opts o;
    memset(&o, 0, sizeof o);
    return zl_ingest(a, name, html, n, &o, in, d);
}

/* "kind[level][:label]" per block, joined by ",": P, H2, L1:3., R. */
static void describe_blocks(const zl_input *in, char *out, size_t cap)
{
    size_t k = 0;
    out[0] = '\0';
    for (size_t i = 0; i < in->n_blocks && k < cap; i++) {
        const zl_block *b = &in->blocks[i];
        const char *kind = b->kind == ZL_BLK_PARAGRAPH  ? "P"
                           : b->kind == ZL_BLK_HEADING  ? "H"
                           : b->kind == ZL_BLK_LIST_ITEM ? "L"
                           : b->kind == ZL_BLK_TABLE_ROW ? "R"
                                                         : "T";
        int w;
        if (b->kind == ZL_BLK_HEADING || b->kind == ZL_BLK_LIST_ITEM)
            w = snprintf(out + k, cap - k, "%s%s%u%s%s", i ? "," : "", kind, b->level,
                         b->label ? ":" : "", b->label ? b->label : "");
        else
            w = snprintf(out + k, cap - k, "%s%s", i ? "," : "", kind);
        k += (size_t)w;
    }
}

/* Is source offset `s` inside a character reference (&...;)? */
static int in_entity(const char *src, size_t n, size_t s)
{
    size_t lo = s > 12 ? s - 12 : 0;
    size_t amp = SIZE_MAX;
    for (size_t i = s + 1; i-- > lo;) {
        if (src[i] == '&') {
            amp = i;
            break;
        }
        if (src[i] == ' ' || src[i] == '<' || src[i] == '>' || src[i] == ';')
            if (i != s)
                return 0;
    }
    if (amp == SIZE_MAX)
        return 0;
    for (size_t i = s; i < n && i < amp + 12; i++)
        if (src[i] == ';')
            return 1;
    return 0;
}

/* Checks the map: text[i] == src[map(i)] for every byte that is not white
 * space, a " | " separator, or produced by an entity; blocks in order. */
static void check_map(const zl_input *in)
{
    assert_true(in->n_map > 0);
    for (size_t r = 1; r < in->n_map; r++)
        assert_true(in->map[r].text_off > in->map[r - 1].text_off);
    for (size_t i = 0; i < in->text_len; i++) {
        char c = in->text[i];
        uint32_t s = zl_input_text_to_src(in, (uint32_t)i);
        assert_true(s < in->src_len);
        if (c == ' ' || c == '\n')
            continue;
        if (c == '|' && i > 0 && in->text[i - 1] == ' ' && in->text[i + 1] == ' ' &&
            in->src[s] != '|')
            continue;
        if (in->src[s] == c)
            continue;
        if (!in_entity(in->src, in->src_len, s))
            fail_msg("text byte %zu (0x%02x) maps to source %u (\"%.16s\")", i,
                     (unsigned char)c, s, in->src + s);
    }
    for (size_t b = 0; b < in->n_blocks; b++) {
        assert_true((size_t)in->blocks[b].off + in->blocks[b].len <= in->text_len);
        if (b)
            assert_true(in->blocks[b].off >= in->blocks[b - 1].off + in->blocks[b - 1].len);
    }
}

/* ---- table: text and blocks per element kind ---- */

typedef struct row {
    const char *name;
    const char *html;
    const char *text;
    const char *blocks;
} row;

static const row rows[] = {
    {"paragraphs", "<p>a</p><p>b</p>", "a\n\nb", "P,P"},
    {"inline stays glued", "<p><b>a</b>b<i>c</i> d</p>", "abc d", "P"},
    {"text in body", "<body>Один <span>два</span></body>", "Один два", "P"},
    {"divs and sections", "<div>a<div>b</div>c</div><section>d</section>", "a\n\nb\n\nc\n\nd",
     "P,P,P,P"},
    {"headings", "<h1>Заголовок</h1><p>x</p><h3>Раздел</h3>", "Заголовок\n\nx\n\nРаздел",
     "H1,P,H3"},
    {"br", "<p>a<br>b<br/>c</p>", "a\nb\nc", "P"},
    {"double br splits", "<p>a<br><br>b</p>", "a\n\nb", "P,P"},
    {"whitespace collapses", "<p>  a \n\t b  </p>\n\n<p>\n c\n</p>", "a b\n\nc", "P,P"},
    {"pre keeps lines", "<pre>a\n  b</pre>", "a\nb", "P"},
    {"entities", "<p>&laquo;Да&raquo; &amp; &#1179;&#x4E9; &lt;b&gt; &nbsp;x</p>",
     "«Да» & қө <b> x", "P"},
    {"unknown entity kept", "<p>a &bogus; b</p>", "a &bogus; b", "P"},
    {"ul", "<ul><li>one</li><li>two</li></ul>", "one\n\ntwo", "L1:•,L1:•"},
    {"ol start and value", "<ol start=\"3\"><li>a<li>b<li value=\"10\">c<li>d</ol>",
     "a\n\nb\n\nc\n\nd", "L1:3.,L1:4.,L1:10.,L1:11."},
    {"ol types", "<ol type=\"a\" start=\"27\"><li>x</li></ol><ol type=\"I\" start=\"4\"><li>y</ol>",
     "x\n\ny", "L1:aa.,L1:IV."},
    {"ol reversed", "<ol reversed start=\"3\"><li>a<li>b</ol>", "a\n\nb", "L1:3.,L1:2."},
    {"nested lists", "<ol><li>a<ul><li>b</li></ul></li><li>c</li></ol>", "a\n\nb\n\nc",
     "L1:1.,L2:•,L1:2."},
    {"li with paragraphs", "<ul><li><p>first</p><p>second</p></li></ul>", "first\n\nsecond",
     "L1:•,P"},
    {"table rows", "<table><tr><th>A</th><th>B</th></tr><tr><td>1<td><p>2</p><p>3</p></table>",
     "A | B\n\n1 | 2 3", "R,R"},
    {"empty cells", "<table><tr><td></td><td>x</td><td></td></tr></table>", "x", "R"},
    {"skipped elements",
     "<head><title>t</title></head><body><script>s()</script><style>p{}</style>"
     "<noscript>n</noscript><template>tp</template><svg><text>sv</text></svg>"
     "<iframe>if</iframe><object>ob</object><p>ok</p></body>",
     "ok", "P"},
    {"comments", "<p>a<!-- zanlint-disable x -->b</p><!--[if gte mso 9]><xml>w</xml><![endif]-->",
     "ab", "P"},
    {"word conditionals",
     "<p class=MsoListParagraph><![if !supportLists]><span>1.<span>&nbsp;&nbsp; </span></span>"
     "<![endif]>Пункт<o:p></o:p></p>",
     "1. Пункт", "P"},
    {"template directives", "<p>Оператор {{ company.name }} и {% if x %}ТОО{% endif %}{# c #}.</p>",
     "Оператор и ТОО .", "P"},
    {"php and asp", "<p>Год <?php echo date('Y'); ?> и <%= year %> конец</p>", "Год и конец", "P"},
    {"malformed recovers", "<p>one<p>two<li>three<div>four</b></i>", "one\n\ntwo\n\nthree\n\nfour",
     "P,P,L1:•,P"},
    {"stray lt", "<p>a < b</p>", "a < b", "P"},
    {"crlf", "<p>a\r\nb</p>\r\n<p>c</p>", "a b\n\nc", "P,P"},
    {"no body text", "<html><head><title>x</title></head><body> </body></html>", "", ""},
};

static void test_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const row *r = &rows[i];
        zl_arena *a = zl_arena_new();
        zl_diags d;
        memset(&d, 0, sizeof d);
        zl_input in;
        if (read_html(a, "t.html", r->html, strlen(r->html), &in, &d) != ZL_OK)
            fail_msg("%s: read failed", r->name);
        assert_string_equal(in.format, "html");
        if (strcmp(in.text, r->text) != 0)
            fail_msg("%s: text \"%s\", want \"%s\"", r->name, in.text, r->text);
        assert_int_equal(in.text_len, strlen(in.text));
        char desc[256];
        describe_blocks(&in, desc, sizeof desc);
        if (strcmp(desc, r->blocks) != 0)
            fail_msg("%s: blocks \"%s\", want \"%s\"", r->name, desc, r->blocks);
        assert_string_equal(in.src, r->html); /* src is the file, comments included */
        check_map(&in);
        zl_diags_free(&d);
        zl_arena_free(a);
    }
}

/* ---- exact positions ---- */

static void test_entity_map(void **state)
{
    (void)state;
    const char *h = "<p>x &laquo;Да&raquo;&#33;\n<b>y</b>&amp;z</p>";
    zl_arena *a = zl_arena_new();
    zl_diags d;
    memset(&d, 0, sizeof d);
    zl_input in;
    assert_int_equal(read_html(a, "t.html", h, strlen(h), &in, &d), ZL_OK);
    assert_string_equal(in.text, "x «Да»! y&z");
    static const struct {
        const char *text_at, *src_at;
    } cases[] = {
        {"x ", "x "}, {"«", "&laquo;"}, {"Да", "Да"}, {"»", "&raquo;"}, {"!", "&#33;"},
        {"y", "y</b>"}, {"&z", "&amp;"}, {"z", "z</p>"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *t = strstr(in.text, cases[i].text_at);
        const char *s = strstr(in.src, cases[i].src_at);
        assert_non_null(t);
        assert_non_null(s);
        assert_int_equal(zl_input_text_to_src(&in, (uint32_t)(t - in.text)), (uint32_t)(s - in.src));
    }
    /* the last byte of a two-byte entity character maps to the ';' */
    const char *t = strstr(in.text, "«");
    assert_int_equal(in.src[zl_input_text_to_src(&in, (uint32_t)(t - in.text) + 1)], ';');
    zl_diags_free(&d);
    zl_arena_free(a);
}

/* A long page crosses libxml2's internal buffer boundaries: offsets must
 * stay exact all the way. */
static void test_long_page(void **state)
{
    (void)state;
    size_t cap = 600000, n = 0;
    char *h = malloc(cap);
    assert_non_null(h);
    n += (size_t)snprintf(h + n, cap - n, "<html><body>\n");
    for (int i = 0; n + 200 < cap; i++)
        n += (size_t)snprintf(h + n, cap - n,
                              "<p class=x>Абзац %d &laquo;данные&raquo; <b>жирный</b>\r\n"
                              "хвост&nbsp;%d</p>\n",
                              i, i);
    zl_arena *a = zl_arena_new();
    zl_diags d;
    memset(&d, 0, sizeof d);
    zl_input in;
    assert_int_equal(read_html(a, "t.html", h, n, &in, &d), ZL_OK);
    check_map(&in);
    /* the last paragraph starts where its source does */
    const char *t = strstr(in.text + in.text_len - 120, "Абзац");
    const char *s = h + n;
    while (memcmp(s, "Абзац", strlen("Абзац")) != 0)
        s--;
    assert_non_null(t);
    assert_int_equal(zl_input_text_to_src(&in, (uint32_t)(t - in.text)), (uint32_t)(s - h));
    zl_diags_free(&d);
    zl_arena_free(a);
    free(h);
}

/* ---- fixtures ---- */

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *b = malloc(1 << 20);
    assert_non_null(b);
    *n = fread(b, 1, (1 << 20) - 1, f);
    b[*n] = '\0';
    fclose(f);
    return b;
}

typedef struct fix {
    const char *path;
    zl_encoding enc;
    const char *blocks;      /* NULL = not checked */
    const char *must[4];     /* substrings of the text */
    const char *must_not[6]; /* words that must not be read */
} fix;

static const fix fixtures[] = {
    {"tests/fixtures/html/word_ru.html", ZL_ENC_UTF8, "H1,P,P,P,P",
     {"ТОО «Ромашка» (далее – Оператор)", "1. Согласие субъекта", "2. Данные хранятся",
      "Контакты: dpo@example.kz"},
     {"supportLists", "endif", "MERGEFORMAT", "Print", "mso", "&nbsp"}},
    {"tests/fixtures/html/kk_table.html", ZL_ENC_UTF8, "H2,L1:3.,L1:7.,L2:•,L1:8.,R,R,R",
     {"Деректер | Мақсаты", "Аты-жөні | Шарт жасасу", "келісімін кері қайтарып", NULL},
     {"Құпиялылық саясаты", NULL}},
    {"tests/fixtures/html/hidden.html", ZL_ENC_UTF8, "P",
     {"Видимый текст политики.", NULL},
     {"согласи", "персональн", "передач", "третьим", "срок", "локализац"}},
    {"tests/fixtures/html/cp1251.html", ZL_ENC_CP1251, "P",
     {"Оператор обрабатывает персональные данные «субъекта».", NULL},
     {NULL}},
    {"tests/fixtures/html/seed000.html", ZL_ENC_UTF8, NULL,
     {"Политика конфиденциальности FACES", "ТОО “Facesˮ (далее – «Компания», «мы» или «нас»)",
      NULL},
     {"Word.Document", "Юрист", "mso-style", NULL}},
};

static void test_fixtures(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++) {
        const fix *f = &fixtures[i];
        size_t n;
        char *b = slurp(f->path, &n);
        zl_arena *a = zl_arena_new();
        zl_diags d;
        memset(&d, 0, sizeof d);
        zl_input in;
        if (read_html(a, f->path, b, n, &in, &d) != ZL_OK)
            fail_msg("%s: read failed", f->path);
        assert_int_equal(d.count, 0);
        assert_int_equal(in.encoding, f->enc);
        if (f->blocks) {
            char desc[512];
            describe_blocks(&in, desc, sizeof desc);
            if (strcmp(desc, f->blocks) != 0)
                fail_msg("%s: blocks \"%s\", want \"%s\"", f->path, desc, f->blocks);
        }
        for (size_t k = 0; k < 4 && f->must[k]; k++)
            if (!strstr(in.text, f->must[k]))
                fail_msg("%s: text lacks \"%s\"", f->path, f->must[k]);
        for (size_t k = 0; k < 6 && f->must_not[k]; k++)
            if (strstr(in.text, f->must_not[k]))
                fail_msg("%s: text has \"%s\"", f->path, f->must_not[k]);
        check_map(&in);
        zl_diags_free(&d);
        zl_arena_free(a);
        free(b);
    }
}

/* ---- encodings ---- */

static void test_encodings(void **state)
{
    (void)state;
    /* "Да" in CP1251 with and without a meta; a UTF-8 page whose meta
     * still says windows-1251; a UTF-8 BOM */
    static const struct {
        const char *bytes;
        zl_encoding enc;
    } cases[] = {
        {"<meta charset=\"windows-1251\"><p>\xc4\xe0</p>", ZL_ENC_CP1251},
        {"<meta http-equiv=Content-Type content='text/html; charset=CP1251'><p>\xc4\xe0</p>",
         ZL_ENC_CP1251},
        {"<meta charset=\"windows-1251\"><p>Да</p>", ZL_ENC_UTF8},
        {"\xef\xbb\xbf<meta charset=\"koi8-r\"><p>Да</p>", ZL_ENC_UTF8_BOM},
        {"<meta charset=\"koi8-r\"><p>\xe4\xc1</p>", ZL_ENC_KOI8R},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        zl_arena *a = zl_arena_new();
        zl_diags d;
        memset(&d, 0, sizeof d);
        zl_input in;
        assert_int_equal(read_html(a, "t.htm", cases[i].bytes, strlen(cases[i].bytes), &in, &d),
                         ZL_OK);
        assert_int_equal(in.encoding, cases[i].enc);
        assert_string_equal(in.text, "Да");
        check_map(&in);
        zl_diags_free(&d);
        zl_arena_free(a);
    }
}

/* ---- reader choice, limits ---- */

static void test_sniff(void **state)
{
    (void)state;
    static const struct {
        const char *bytes;
        const char *format;
    } cases[] = {
        {"<!DOCTYPE html><p>Да</p>", "html"},
        {"  \n<html><body>Да</body></html>", "html"},
        {"<!-- exported --><?xml version=\"1.0\"?>\n<!doctype HTML><p>x</p>", "html"},
        {"Политика <html> в тексте", "txt"},
        {"<p>fragment</p>", "txt"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        zl_arena *a = zl_arena_new();
        zl_diags d;
        memset(&d, 0, sizeof d);
        zl_input in;
        assert_int_equal(read_html(a, "-", cases[i].bytes, strlen(cases[i].bytes), &in, &d), ZL_OK);
        assert_string_equal(in.format, cases[i].format);
        zl_diags_free(&d);
        zl_arena_free(a);
    }
    const zl_reader *r = zl_reader_find("html");
    assert_non_null(r);
    const char u16[] = "\xff\xfe<\0h\0t\0m\0l\0>\0";
    assert_true(r->sniff(u16, sizeof u16 - 1));
    assert_false(r->sniff("", 0));
}

static void test_depth_limit(void **state)
{
    (void)state;
    for (int depth = 250; depth <= 300; depth += 50) {
        char *h = malloc((size_t)depth * 5 + 16);
        assert_non_null(h);
        size_t n = 0;
        for (int i = 0; i < depth; i++) {
            memcpy(h + n, "<div>", 5);
            n += 5;
        }
        memcpy(h + n, "Текст", strlen("Текст"));
        n += strlen("Текст");
        zl_arena *a = zl_arena_new();
        zl_diags d;
        memset(&d, 0, sizeof d);
        zl_input in;
        int rc = read_html(a, "deep.html", h, n, &in, &d);
        if (depth == 250) {
            assert_int_equal(rc, ZL_OK);
            assert_string_equal(in.text, "Текст");
        } else {
            assert_int_equal(rc, ZL_ERR);
            assert_int_equal(d.count, 1);
            assert_int_equal(d.items[0].id, ZL_D_LIMIT);
            assert_non_null(strstr(d.items[0].message, "256"));
        }
        zl_diags_free(&d);
        zl_arena_free(a);
        free(h);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows),      cmocka_unit_test(test_entity_map),
        cmocka_unit_test(test_long_page), cmocka_unit_test(test_fixtures),
        cmocka_unit_test(test_encodings), cmocka_unit_test(test_sniff),
        cmocka_unit_test(test_depth_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
