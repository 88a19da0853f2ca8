/*
 * test_pdf.c - the PDF reader (src/ingest/reader_pdf.c).  Built with
 * poppler-glib: pages and page_of_line, header/footer lines repeated on >= 3
 * pages dropped from the logical text (kept in src), de-hyphenation, the
 * text -> src map, the pieces of a justified line joined in one line (two
 * real columns kept apart), on the LibreOffice fixture (tests/fixtures/pdf/,
 * made by scripts/make-fixtures) and on small PDFs written here.  Built without
 * poppler: a PDF is refused with a clear "built without PDF support" error.
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
#include "util/diag.h"

#define SEED_PDF "tests/fixtures/pdf/seed-000.pdf"

typedef struct loaded {
    zl_arena *a;
    zl_diags diags;
    zl_input in;
    int rc;
} loaded;

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

#ifdef ZL_HAVE_POPPLER

static void load_mem(loaded *l, const char *name, const char *bytes, size_t n)
{
    memset(l, 0, sizeof *l);
    l->a = zl_arena_new();
    l->rc = zl_ingest(l->a, name, bytes, n, NULL, &l->in, &l->diags);
}

static size_t count(const char *hay, const char *needle)
{
    size_t k = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        k++;
    return k;
}

/* 1-based src line of byte offset `off` */
static uint32_t line_of(const zl_input *in, size_t off)
{
    uint32_t line = 1;
    for (size_t i = 0; i < off; i++)
        line += in->src[i] == '\n';
    return line;
}

static uint32_t src_lines(const zl_input *in)
{
    return line_of(in, in->src_len) - 1; /* src ends with a newline */
}

/* ---- a tiny PDF writer: pages of Helvetica lines, top to bottom ---- */

typedef struct pbuf {
    char *p;
    size_t len, cap;
} pbuf;

static void pb_put(pbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
    if (n)
        memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void pb_printf(pbuf *b, const char *fmt, ...)
{
    char tmp[4096];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    assert_true(n >= 0 && (size_t)n < sizeof tmp);
    pb_put(b, tmp, (size_t)n);
}

/* pages[i] is a NULL-terminated list of lines; a line starting with '_' is
 * placed at the page bottom (a footer).  "|X " in a line starts a piece of
 * the same line at x = X points (the words of a justified line, far apart). */
static char *make_pdf(const char *const *const *pages, size_t n_pages, size_t *out_len)
{
    pbuf b = {0};
    size_t n_obj = 3 + 2 * n_pages;
    size_t *off = calloc(n_obj + 1, sizeof *off);
    assert_non_null(off);
    pb_printf(&b, "%%PDF-1.4\n");
    off[1] = b.len;
    pb_printf(&b, "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n");
    off[2] = b.len;
    pb_printf(&b, "2 0 obj << /Type /Pages /Count %zu /Kids [", n_pages);
    for (size_t i = 0; i < n_pages; i++)
        pb_printf(&b, " %zu 0 R", 4 + 2 * i);
    pb_printf(&b, " ] >> endobj\n");
    off[3] = b.len;
    pb_printf(&b, "3 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                  "/Encoding /WinAnsiEncoding >> endobj\n");
    for (size_t i = 0; i < n_pages; i++) {
        pbuf c = {0};
        double y = 760;
        for (const char *const *l = pages[i]; *l; l++) {
            const char *s = *l;
            double yy = y;
            if (s[0] == '_') {
                s++;
                yy = 40;
            } else {
                y -= 16;
            }
            long x = 72;
            for (;;) {
                const char *bar = strchr(s, '|');
                size_t len = bar ? (size_t)(bar - s) : strlen(s);
                pb_printf(&c, "BT /F1 12 Tf %ld %.0f Td (%.*s) Tj ET\n", x, yy, (int)len, s);
                if (!bar)
                    break;
                char *end;
                x = strtol(bar + 1, &end, 10);
                s = end + 1;
            }
        }
        off[4 + 2 * i] = b.len;
        pb_printf(&b,
                  "%zu 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                  "/Resources << /Font << /F1 3 0 R >> >> /Contents %zu 0 R >> endobj\n",
                  4 + 2 * i, 5 + 2 * i);
        off[5 + 2 * i] = b.len;
        pb_printf(&b, "%zu 0 obj << /Length %zu >> stream\n", 5 + 2 * i, c.len);
        if (c.len)
            pb_put(&b, c.p, c.len);
        pb_printf(&b, "endstream endobj\n");
        free(c.p);
    }
    size_t xref = b.len;
    pb_printf(&b, "xref\n0 %zu\n0000000000 65535 f \n", n_obj);
    for (size_t i = 1; i < n_obj; i++)
        pb_printf(&b, "%010zu 00000 n \n", off[i]);
    pb_printf(&b, "trailer << /Size %zu /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", n_obj, xref);
    free(off);
    *out_len = b.len;
    return b.p;
}

static void test_seed_fixture(void **state)
{
    (void)state;
    loaded l;
    load_file(&l, SEED_PDF);
    assert_int_equal(l.rc, ZL_OK);
    assert_string_equal(l.in.format, "pdf");
    assert_int_equal(l.in.pos_kind, ZL_POS_PAGE);
    assert_non_null(l.in.page_of_line);
    assert_int_equal(l.in.n_blocks, 1);
    assert_int_equal(l.in.blocks[0].kind, ZL_BLK_TEXT);

    /* page_of_line: starts at 1, never decreases, ends on page 9, every page present */
    uint32_t n = src_lines(&l.in), seen = 0, prev = 1;
    assert_int_equal(l.in.page_of_line[0], 1);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t pg = l.in.page_of_line[i];
        assert_true(pg == prev || pg == prev + 1);
        if (pg != prev || i == 0)
            seen++;
        prev = pg;
    }
    assert_int_equal(prev, 9);
    assert_int_equal(seen, 9);

    /* the running header and the page-number footer: in src on every page,
     * dropped from the logical text */
    const char *header = "ТОО «Faces» — Политика конфиденциальности";
    assert_int_equal(count(l.in.src, header), 9);
    assert_int_equal(count(l.in.text, header), 0);
    assert_int_equal(count(l.in.src, "\nСтраница "), 9);
    assert_int_equal(count(l.in.text, "Страница "), 0);
    const char *p3 = strstr(l.in.src, "\nСтраница 3\n");
    assert_non_null(p3);
    assert_int_equal(l.in.page_of_line[line_of(&l.in, (size_t)(p3 + 1 - l.in.src)) - 1], 3);
    assert_non_null(strstr(l.in.text, "Политика конфиденциальности FACES"));

    /* "персо-" + "нальных" on the next line: joined in text, mapped back to src */
    const char *s_hy = strstr(l.in.src, "персо-\nнальных");
    assert_non_null(s_hy);
    const char *t_word = strstr(l.in.text, "ваших персональных данных");
    assert_non_null(t_word);
    assert_null(strstr(l.in.text, "персо-"));
    uint32_t t_off = (uint32_t)(t_word - l.in.text) + (uint32_t)strlen("ваших ");
    assert_int_equal(zl_input_text_to_src(&l.in, t_off), (uint32_t)(s_hy - l.in.src));
    uint32_t t_tail = t_off + (uint32_t)strlen("персо");
    assert_int_equal(zl_input_text_to_src(&l.in, t_tail),
                     (uint32_t)(s_hy - l.in.src) + (uint32_t)strlen("персо-\n"));
    unload(&l);
}

static void test_written_pdf(void **state)
{
    (void)state;
    static const char *const p1[] = {"ACME Privacy Policy", "The operator processes per-",
                                     "sonal data of users.", "See the Data-",
                                     "Protection Act.", "_Page 1", NULL};
    static const char *const p2[] = {"ACME Privacy Policy", "Second page text.", "_Page 2", NULL};
    static const char *const p3[] = {"ACME Privacy Policy", "Third page text.", "_Page 3", NULL};
    const char *const *pages[] = {p1, p2, p3};
    size_t n;
    char *pdf = make_pdf(pages, 3, &n);
    loaded l;
    load_mem(&l, "upload.bin", pdf, n); /* found by content */
    assert_int_equal(l.rc, ZL_OK);
    assert_string_equal(l.in.format, "pdf");
    assert_string_equal(l.in.src, "ACME Privacy Policy\nThe operator processes per-\n"
                                  "sonal data of users.\nSee the Data-\nProtection Act.\n"
                                  "Page 1\nACME Privacy Policy\nSecond page text.\nPage 2\n"
                                  "ACME Privacy Policy\nThird page text.\nPage 3\n");
    /* lower case after the hyphen: joined; upper case: kept */
    assert_string_equal(l.in.text, "The operator processes personal data of users.\n"
                                   "See the Data-\nProtection Act.\nSecond page text.\n"
                                   "Third page text.\n");
    static const uint32_t pol[] = {1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3};
    for (size_t i = 0; i < sizeof pol / sizeof *pol; i++)
        assert_int_equal(l.in.page_of_line[i], pol[i]);
    /* "Second" maps to the start of src line 8 */
    const char *t = strstr(l.in.text, "Second");
    const char *s = strstr(l.in.src, "Second");
    assert_int_equal(zl_input_text_to_src(&l.in, (uint32_t)(t - l.in.text)),
                     (uint32_t)(s - l.in.src));
    unload(&l);
    free(pdf);

    /* two pages only: a repeated first line is not taken for a header */
    const char *const *two[] = {p2, p3};
    pdf = make_pdf(two, 2, &n);
    load_mem(&l, "two.pdf", pdf, n);
    assert_int_equal(l.rc, ZL_OK);
    assert_int_equal(count(l.in.text, "ACME Privacy Policy"), 2);
    assert_int_equal(count(l.in.text, "Page "), 2);
    unload(&l);
    free(pdf);
}

/* Poppler gives the words of a justified line with wide gaps as lines of
 * their own: one after the other, or the start of the line with the short
 * lines under it first and the rest after them.  Each printed line is one src
 * line (positions count printed lines); two real columns stay as poppler
 * reads them, one after the other. */
static void test_justified_lines(void **state)
{
    (void)state;
#define FULL "The operator collects personal data of the users of the service"
    static const char *const p1[] = {FULL, "with|200 the|320 consent|470 given", FULL, NULL};
    static const char *const p2[] = {FULL, "with the written|420 consent given", "short end.", FULL,
                                     FULL, NULL};
    static const char *const p3[] = {
        "Left column line 1|320 Right column line 1", "Left column line 2|320 Right column line 2",
        "Left column line 3|320 Right column line 3", "Left column line 4|320 Right column line 4",
        "Left column line 5|320 Right column line 5", "Left column line 6|320 Right column line 6",
        "Left column line 7|320 Right column line 7", "Left column line 8|320 Right column line 8",
        NULL};
    const char *const *pages[] = {p1, p2, p3};
    size_t n;
    char *pdf = make_pdf(pages, 3, &n);
    loaded l;
    load_mem(&l, "justified.pdf", pdf, n);
    assert_int_equal(l.rc, ZL_OK);
    const char *want = FULL "\nwith the consent given\n" FULL "\n"
                            FULL "\nwith the written consent given\nshort end.\n" FULL "\n" FULL "\n";
#undef FULL
    assert_int_equal(strncmp(l.in.src, want, strlen(want)), 0);
    const char *rest = l.in.src + strlen(want);
    for (int col = 0; col < 2; col++)
        for (int i = 1; i <= 8; i++) {
            char line[64];
            snprintf(line, sizeof line, "%s column line %d\n", col ? "Right" : "Left", i);
            assert_int_equal(strncmp(rest, line, strlen(line)), 0);
            rest += strlen(line);
        }
    assert_int_equal(*rest, '\0');
    assert_int_equal(src_lines(&l.in), 3 + 5 + 16);
    for (uint32_t i = 0; i < 3 + 5 + 16; i++)
        assert_int_equal(l.in.page_of_line[i], i < 3 ? 1 : i < 8 ? 2 : 3);
    /* the text reads in printed order; "consent given" maps to its src line */
    assert_non_null(strstr(l.in.text, "with the written consent given\nshort end.\n"));
    const char *t = strstr(l.in.text, "written consent");
    const char *s = strstr(l.in.src, "written consent");
    assert_int_equal(zl_input_text_to_src(&l.in, (uint32_t)(t - l.in.text) + 8),
                     (uint32_t)(s - l.in.src) + 8);
    assert_int_equal(line_of(&l.in, (size_t)(s - l.in.src)), 5); /* page 2, line 2 */
    unload(&l);
    free(pdf);
}

static void test_broken_pdf(void **state)
{
    (void)state;
    static const char junk[] = "%PDF-1.4\nthis is not a PDF body at all\n";
    loaded l;
    load_mem(&l, "junk.pdf", junk, sizeof junk - 1);
    assert_int_equal(l.rc, ZL_ERR);
    assert_true(l.diags.count >= 1);
    assert_int_equal(l.diags.items[0].id, ZL_D_IO_READ);
    assert_non_null(strstr(l.diags.items[0].message, "not a readable PDF document"));
    assert_string_equal(l.diags.items[0].path, "junk.pdf");
    unload(&l);

    /* a valid PDF without text */
    static const char *const empty[] = {NULL};
    const char *const *pages[] = {empty};
    size_t n;
    char *pdf = make_pdf(pages, 1, &n);
    load_mem(&l, "scan.pdf", pdf, n);
    assert_int_equal(l.rc, ZL_ERR);
    assert_non_null(strstr(l.diags.items[0].message, "no extractable text"));
    unload(&l);
    free(pdf);
}

#else /* !ZL_HAVE_POPPLER */

static void test_without_poppler(void **state)
{
    (void)state;
    loaded l;
    load_file(&l, SEED_PDF);
    assert_int_equal(l.rc, ZL_ERR);
    assert_string_equal(l.in.format, "pdf");
    assert_int_equal(l.diags.count, 1);
    assert_int_equal(l.diags.items[0].id, ZL_D_FORMAT_UNSUPPORTED);
    assert_non_null(strstr(l.diags.items[0].message, "built without PDF support"));
    assert_string_equal(l.diags.items[0].path, SEED_PDF);
    unload(&l);
}

#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
#ifdef ZL_HAVE_POPPLER
        cmocka_unit_test(test_seed_fixture),
        cmocka_unit_test(test_written_pdf),
        cmocka_unit_test(test_justified_lines),
        cmocka_unit_test(test_broken_pdf),
#else
        cmocka_unit_test(test_without_poppler),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
