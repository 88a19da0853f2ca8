/*
 * reader_pdf.c - the PDF reader ("pdf": .pdf; sniffed by "%PDF-").
 *
 * Built with poppler-glib when the Makefile finds it (ZL_HAVE_POPPLER);
 * otherwise a PDF input is a clear "built without PDF support" error.
 * poppler-glib is not linked: its ~60 dependent libraries would cost every
 * process start ~26 M instructions in the dynamic loader.  The first PDF
 * dlopen()s it (ZL_POPPLER_SONAME, from the build) and resolves the few
 * poppler/GLib functions used here into a table (pthread_once); if that
 * fails, a PDF input is an error naming the library and dlerror().  Poppler
 * fills some shared state lazily, without a lock, at the first page it
 * extracts; the same once extracts a small built-in PDF (warm_up) so that
 * documents then load at once in several threads.  Should that fail, one
 * lock (pdf_mu) serializes the poppler part of each PDF instead.
 *
 * `src` is the text poppler extracts page by page in reading order, one line
 * per printed line (trailing blanks removed, invalid bytes and control
 * characters replaced), and `page_of_line` gives the page of each src line,
 * so positions read path:pN:line:col.  Poppler gives the words of a justified
 * line with wide gaps as lines of their own; the boxes of their characters
 * (poppler_page_get_text_layout) join them back into one (join_rows), so the
 * line numbers count printed lines.  The logical `text` (one ZL_BLK_TEXT
 * block; the segmenter finds the structure, as for .txt) leaves out page
 * headers and footers - a first or last line that repeats, digits ignored, on
 * at least 3 pages - and joins words hyphenated at a line end when the next
 * line starts in lower case ("персо-" + "нальные" -> "персональные").  The
 * map sends every text byte back to its src byte.
 */
#include "ingest/ingest.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const zl_reader zl_reader_pdf;

static int pdf_sniff(const char *bytes, size_t n)
{
    /* the header may follow some junk, within the first 1024 bytes */
    size_t lim = n < 1024 ? n : 1024;
    for (const char *p = bytes; lim - (size_t)(p - bytes) >= 5;) {
        p = memchr(p, '%', lim - 4 - (size_t)(p - bytes));
        if (!p)
            return 0;
        if (memcmp(p, "%PDF-", 5) == 0)
            return 1;
        p++;
    }
    return 0;
}

#ifdef ZL_HAVE_POPPLER

#include <dlfcn.h>
#include <glib.h>
#include <poppler.h>
#include <pthread.h>

#ifndef ZL_POPPLER_SONAME
#define ZL_POPPLER_SONAME "libpoppler-glib.so.8"
#endif

/* The poppler-glib and GLib functions used, resolved at the first PDF. */
static struct pdf_api {
    GBytes *(*bytes_new_static)(gconstpointer, gsize);
    void (*bytes_unref)(GBytes *);
    void (*error_free)(GError *);
    void (*free)(gpointer);
    void (*object_unref)(gpointer);
    guint (*log_set_handler)(const gchar *, GLogLevelFlags, GLogFunc, gpointer);
    PopplerDocument *(*document_new_from_bytes)(GBytes *, const char *, GError **);
    int (*document_get_n_pages)(PopplerDocument *);
    PopplerPage *(*document_get_page)(PopplerDocument *, int);
    char *(*page_get_text)(PopplerPage *);
    gboolean (*page_get_text_layout)(PopplerPage *, PopplerRectangle **, guint *);
    GType (*document_get_type)(void);
    GType (*page_get_type)(void);
} api;
static pthread_once_t api_once = PTHREAD_ONCE_INIT;
static int api_ok;
static char api_err[384];

/* Poppler's state shared by all documents (22.12, from its disassembly): the
 * static lcms2 profiles GfxState::sRGBProfile and XYZProfile (std::shared_ptr),
 * which every GfxState (one per page extracted) tests and, when empty, fills
 * without a lock - two first pages extracted at once create two profiles and
 * one thread frees the other's (ThreadSanitizer: cmsCloseProfile / operator
 * delete in GfxState::GfxState).  Once set they are only read (GfxState,
 * GfxICCBasedColorSpace::buildTransforms, setDisplayProfile; lcms2 locks each
 * profile's tags itself; its cmsD50_xyY rewrites a static with the same
 * constant at every call, so a reader sees that value whatever the order).
 * The rest is guarded by poppler's own mutexes
 * (GlobalParams and its caches, GlobalParamsIniter) or is a function-local
 * static (thread-safe initialization); poppler-glib's are GType registrations
 * (g_once).  So api_load extracts the page of warm_pdf once, before any
 * document: that fills the profiles, and when the symbols exist they are
 * checked to be set.  The warm-up document is kept for the process: it also
 * keeps poppler's GlobalParams alive (GlobalParamsIniter counts documents; the
 * last one freed destroys it, ~4.5 M instructions to rebuild per PDF at -j 1).
 * If any of it fails, every poppler and GLib call of a document runs under
 * pdf_mu (extract_pages), as before: one document at a time. */
static PopplerDocument *warm_doc;
static int pdf_parallel;
static pthread_mutex_t pdf_mu = PTHREAD_MUTEX_INITIALIZER;

/* One page showing "zanlint" in Helvetica (not embedded), offsets exact. */
static const char warm_pdf[] =
    "%PDF-1.4\n"
    "1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 50]/Resources<</Font<</F1 4 0 R>>>>"
    "/Contents 5 0 R>>endobj\n"
    "4 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    "5 0 obj<</Length 34>>stream\n"
    "BT/F1 12 Tf 10 20 Td(zanlint)Tj ET\n"
    "endstream endobj\n"
    "xref\n"
    "0 6\n"
    "0000000000 65535 f \n"
    "0000000009 00000 n \n"
    "0000000052 00000 n \n"
    "0000000101 00000 n \n"
    "0000000210 00000 n \n"
    "0000000271 00000 n \n"
    "trailer<</Size 6/Root 1 0 R>>\n"
    "startxref\n"
    "351\n"
    "%%EOF\n";

/* Stores dlsym(h, name) in the function pointer at fp (ISO C has no cast
 * between object and function pointers; POSIX guarantees the sizes). */
static int api_sym(void *h, const char *name, void *fp, size_t size)
{
    void *sym = dlsym(h, name);
    if (!sym || size != sizeof sym) {
        const char *e = dlerror();
        snprintf(api_err, sizeof api_err, "%s", e ? e : name);
        return 0;
    }
    memcpy(fp, &sym, size);
    return 1;
}

static void quiet_log(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer data);

/* Extracts the page of warm_pdf, keeping the document (warm_doc), and checks
 * that the shared profiles it fills, when poppler has them, are set.  Returns
 * 1 when documents may then load concurrently. */
static int warm_up(void *h)
{
    GBytes *gb = api.bytes_new_static(warm_pdf, sizeof warm_pdf - 1);
    warm_doc = api.document_new_from_bytes(gb, NULL, NULL);
    api.bytes_unref(gb); /* the document holds its own reference */
    if (!warm_doc)
        return 0;
    PopplerPage *page = api.document_get_page(warm_doc, 0);
    char *t = page ? api.page_get_text(page) : NULL;
    int ok = t && strncmp(t, "zanlint", 7) == 0;
    api.free(t);
    if (page)
        api.object_unref(page);
    static const char *const shared[] = {"_ZN8GfxState11sRGBProfileE", "_ZN8GfxState10XYZProfileE"};
    for (size_t i = 0; i < sizeof shared / sizeof *shared; i++) {
        const void *sym = dlsym(h, shared[i]);
        void *set = NULL;
        if (sym)
            memcpy(&set, sym, sizeof set); /* shared_ptr's first word: the object */
        ok &= !sym || set != NULL;
    }
    return ok;
}

static void api_load(void)
{
    /* the table's types checked against the headers, without referencing
     * the functions (sizeof does not evaluate its operand; comparing
     * pointers to incompatible function types is a constraint violation) */
    (void)sizeof(api.bytes_new_static == g_bytes_new_static);
    (void)sizeof(api.bytes_unref == g_bytes_unref);
    (void)sizeof(api.error_free == g_error_free);
    (void)sizeof(api.free == g_free);
    (void)sizeof(api.object_unref == g_object_unref);
    (void)sizeof(api.log_set_handler == g_log_set_handler);
    (void)sizeof(api.document_new_from_bytes == poppler_document_new_from_bytes);
    (void)sizeof(api.document_get_n_pages == poppler_document_get_n_pages);
    (void)sizeof(api.document_get_page == poppler_document_get_page);
    (void)sizeof(api.page_get_text == poppler_page_get_text);
    (void)sizeof(api.page_get_text_layout == poppler_page_get_text_layout);
    (void)sizeof(api.document_get_type == poppler_document_get_type);
    (void)sizeof(api.page_get_type == poppler_page_get_type);

    void *h = dlopen(ZL_POPPLER_SONAME, RTLD_NOW | RTLD_LOCAL);
#ifdef ZL_POPPLER_LIBDIR
    if (!h) {
        const char *e = dlerror();
        snprintf(api_err, sizeof api_err, "%s", e ? e : ZL_POPPLER_SONAME);
        h = dlopen(ZL_POPPLER_LIBDIR "/" ZL_POPPLER_SONAME, RTLD_NOW | RTLD_LOCAL);
        if (!h)
            return; /* the first error names the soname */
    }
#else
    if (!h) {
        const char *e = dlerror();
        snprintf(api_err, sizeof api_err, "%s", e ? e : ZL_POPPLER_SONAME);
        return;
    }
#endif
    /* dlsym on the handle also searches its dependencies (GLib, GObject) */
#define SYM(field, name) api_sym(h, name, &api.field, sizeof api.field)
    if (!SYM(bytes_new_static, "g_bytes_new_static") || !SYM(bytes_unref, "g_bytes_unref") ||
        !SYM(error_free, "g_error_free") || !SYM(free, "g_free") ||
        !SYM(object_unref, "g_object_unref") || !SYM(log_set_handler, "g_log_set_handler") ||
        !SYM(document_new_from_bytes, "poppler_document_new_from_bytes") ||
        !SYM(document_get_n_pages, "poppler_document_get_n_pages") ||
        !SYM(document_get_page, "poppler_document_get_page") ||
        !SYM(page_get_text, "poppler_page_get_text") ||
        !SYM(page_get_text_layout, "poppler_page_get_text_layout") ||
        !SYM(document_get_type, "poppler_document_get_type") ||
        !SYM(page_get_type, "poppler_page_get_type"))
        return; /* the handle stays open: harmless, and nothing is half-used */
#undef SYM
    /* Poppler reports syntax problems through GLib logging; library code
     * must not print, so they are silenced (the result or the GError tells). */
    api.log_set_handler("Poppler", (GLogLevelFlags)(G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL |
                                                    G_LOG_FLAG_RECURSION),
                        quiet_log, NULL);
    /* GLib registers poppler's types lazily; done once here, under the once */
    (void)api.document_get_type();
    (void)api.page_get_type();
    api_ok = 1;
    pdf_parallel = warm_up(h);
}

#define PDF_MAX_PAGES 20000
#define PDF_MAX_TEXT ((size_t)256 << 20)
#define HF_MIN_PAGES 3 /* a header/footer repeats on at least this many pages */
#define HF_ROUNDS 2    /* header/footer lines removed from each end at most */

typedef struct pline {
    uint32_t src_off, len; /* in src, without the newline */
    uint32_t page;         /* 1-based */
    unsigned char drop;    /* header or footer */
} pline;

typedef struct pdf {
    zl_buf src;
    pline *lines;
    size_t n_lines, cap_lines;
    uint32_t *first_line; /* per page (0-based): index of its first line; n_pages+1 entries */
    uint32_t n_pages;
} pdf;

/* Appends s to src, cleaned: invalid UTF-8 -> U+FFFD, control characters ->
 * space, trailing blanks removed (back to `off` at most). */
static void put_clean(pdf *p, size_t off, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t l = zl_utf8_decode(s + i, n - i, &cp);
        if (l == 0) {
            zl_buf_puts(&p->src, "\xEF\xBF\xBD");
            i++;
            continue;
        }
        if (cp < 0x20 && cp != '\t')
            zl_buf_putc(&p->src, ' ');
        else if (cp == 0x7F)
            zl_buf_putc(&p->src, ' ');
        else
            zl_buf_put(&p->src, s + i, l);
        i += l;
    }
    while (p->src.len > off && (p->src.data[p->src.len - 1] == ' ' ||
                                p->src.data[p->src.len - 1] == '\t'))
        p->src.len--;
}

/* Appends one extracted line to src, cleaned (put_clean). */
static void add_line(pdf *p, const char *s, size_t n, uint32_t page)
{
    size_t off = p->src.len;
    put_clean(p, off, s, n);
    p->lines = zl_xgrow(p->lines, &p->cap_lines, p->n_lines + 1, sizeof *p->lines);
    pline *L = &p->lines[p->n_lines++];
    L->src_off = (uint32_t)off;
    L->len = (uint32_t)(p->src.len - off);
    L->page = page;
    L->drop = 0;
    zl_buf_putc(&p->src, '\n');
}

/* Appends an extracted line to the last line of src, after one space: a
 * piece of the same printed line (join_piece), leading blanks removed. */
static void join_line(pdf *p, const char *s, size_t n)
{
    while (n > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    pline *L = &p->lines[p->n_lines - 1];
    p->src.len--; /* its newline */
    size_t off = p->src.len;
    zl_buf_putc(&p->src, ' ');
    put_clean(p, off, s, n);
    L->len = (uint32_t)(p->src.len - L->src_off);
    zl_buf_putc(&p->src, '\n');
}

/* The box of a line's characters other than blanks (PDF points, y down);
 * empty when x1 > x2. */
typedef struct lbox {
    double x1, y1, x2, y2;
} lbox;

/* Is b a piece of the printed line a, to its right?  Poppler gives the words
 * of a justified line whose gaps are wide as separate lines, one after the
 * other: the same height (they overlap by more than half the lower one) and
 * each starting where the previous ends or further right.  A next line
 * overlaps its predecessor by a tenth of its height at most (glyph boxes
 * are taller than the line spacing). */
static int join_piece(const lbox *a, const lbox *b)
{
    if (a->x1 > a->x2 || b->x1 > b->x2)
        return 0;
    double top = a->y1 > b->y1 ? a->y1 : b->y1;
    double bottom = a->y2 < b->y2 ? a->y2 : b->y2;
    double ha = a->y2 - a->y1, hb = b->y2 - b->y1;
    return bottom - top > 0.5 * (ha < hb ? ha : hb) && b->x1 >= a->x2 - 0.5;
}

#define JOIN_BACK 4 /* rows a piece may come back up over (join_rows) */

typedef struct pfrag {
    const char *s;
    size_t len;
    lbox b;
    size_t row;
} pfrag;

/* May piece j go back up to row r, over the rows after it?  Poppler makes a
 * block of the start of a justified line and the short lines under it (the
 * end of a paragraph, list items) and gives the rest of the line after that
 * block.  So: rows r+1..last end left of the piece, and the next piece is not
 * beside one of them (then they would be a column, read as poppler reads it). */
static int back_ok(const pfrag *f, size_t n, size_t j, const lbox *row, size_t r, size_t last)
{
    for (size_t q = r + 1; q <= last; q++)
        if (row[q].x1 > row[q].x2 || row[q].x2 >= f[j].b.x1)
            return 0;
    size_t k = j + 1;
    while (k < n && f[k].b.x1 > f[k].b.x2)
        k++;
    if (k < n)
        for (size_t q = r + 1; q <= last; q++)
            if (join_piece(&row[q], &f[k].b))
                return 0;
    return 1;
}

/* Groups the pieces of a page into printed lines (rows): a piece joins the
 * row of the piece before it when it continues it to the right (join_piece),
 * or an earlier row up to JOIN_BACK back when back_ok; otherwise it opens a
 * row.  Sets f[].row; returns the number of rows. */
static size_t join_rows(pfrag *f, size_t n, lbox *row)
{
    size_t n_rows = 0, cur = 0;
    for (size_t j = 0; j < n; j++) {
        size_t to = SIZE_MAX;
        if (n_rows > 0 && join_piece(&row[cur], &f[j].b)) {
            to = cur;
        } else {
            size_t lo = n_rows > JOIN_BACK + 1 ? n_rows - JOIN_BACK - 1 : 0;
            for (size_t r = n_rows; r-- > lo;)
                if (r != cur && r + 1 < n_rows && join_piece(&row[r], &f[j].b) &&
                    back_ok(f, n, j, row, r, n_rows - 1)) {
                    to = r;
                    break;
                }
        }
        if (to == SIZE_MAX) {
            to = n_rows++;
            row[to] = f[j].b;
        } else {
            row[to].x2 = f[j].b.x2;
        }
        f[j].row = to;
        cur = to;
    }
    return n_rows;
}

/* Splits a page's text into lines (add_line), the pieces of one printed line
 * joined in one (join_rows, join_line), when rects gives the box of every
 * character (poppler_page_get_text_layout: one per code point of the text,
 * newlines included); without it, or when the counts differ, every line is
 * kept as poppler gives it. */
static void add_page(pdf *p, const char *t, const PopplerRectangle *rects, size_t n_rects,
                     uint32_t page)
{
    size_t n_cp = 0, n = 0, cap = 0;
    for (const char *s = t; *s; s++)
        n_cp += ((unsigned char)*s & 0xC0) != 0x80;
    if (n_cp != n_rects)
        rects = NULL;
    pfrag *f = NULL;
    size_t ci = 0; /* code point index of s */
    const char *s = t;
    while (*s) {
        size_t k = strcspn(s, "\n");
        size_t len = k;
        if (len > 0 && s[len - 1] == '\r')
            len--;
        lbox b = {1, 0, 0, 0};
        if (rects) {
            for (size_t i = 0; i < k; i++) {
                if (((unsigned char)s[i] & 0xC0) == 0x80)
                    continue;
                const PopplerRectangle *r = &rects[ci++];
                if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r')
                    continue;
                if (b.x1 > b.x2) {
                    b = (lbox){r->x1, r->y1, r->x2, r->y2};
                    continue;
                }
                b.x1 = r->x1 < b.x1 ? r->x1 : b.x1;
                b.y1 = r->y1 < b.y1 ? r->y1 : b.y1;
                b.x2 = r->x2 > b.x2 ? r->x2 : b.x2;
                b.y2 = r->y2 > b.y2 ? r->y2 : b.y2;
            }
        }
        f = zl_xgrow(f, &cap, n + 1, sizeof *f);
        f[n++] = (pfrag){s, len, b, 0};
        s += k;
        if (*s == '\n') {
            s++;
            ci++;
        }
    }
    lbox *row = zl_xcalloc(n ? n : 1, sizeof *row);
    size_t n_rows = join_rows(f, n, row);
    for (size_t r = 0; r < n_rows; r++) {
        int first = 1;
        for (size_t j = 0; j < n; j++) {
            if (f[j].row != r)
                continue;
            if (first)
                add_line(p, f[j].s, f[j].len, page);
            else
                join_line(p, f[j].s, f[j].len);
            first = 0;
        }
    }
    free(row);
    free(f);
}

static int blank_line(const pdf *p, const pline *L)
{
    for (uint32_t i = 0; i < L->len; i++)
        if (p->src.data[L->src_off + i] != ' ' && p->src.data[L->src_off + i] != '\t')
            return 0;
    return 1;
}

/* The header/footer key of a line: its bytes without digits and blanks.
 * A line with nothing else (a bare page number like "- 3 -") has an empty
 * key, accepted only when short. */
static char *hf_key(const pdf *p, const pline *L)
{
    char *k = zl_xmalloc((size_t)L->len + 1);
    size_t n = 0;
    for (uint32_t i = 0; i < L->len; i++) {
        char c = p->src.data[L->src_off + i];
        if ((c >= '0' && c <= '9') || c == ' ' || c == '\t')
            continue;
        k[n++] = c;
    }
    k[n] = '\0';
    return k;
}

static int is_page_number_key(const char *k, const pline *L)
{
    if (L->len > 16)
        return 0;
    for (const char *s = k; *s; s++)
        if (!strchr("-.,/|()[]", *s))
            return 0;
    return 1;
}

/* The first (top) or last kept, non-blank line of page pg, or NULL. */
static pline *edge_line(pdf *p, uint32_t pg, int top)
{
    uint32_t a = p->first_line[pg], b = p->first_line[pg + 1];
    if (top) {
        for (uint32_t i = a; i < b; i++)
            if (!p->lines[i].drop && !blank_line(p, &p->lines[i]))
                return &p->lines[i];
    } else {
        for (uint32_t i = b; i > a; i--)
            if (!p->lines[i - 1].drop && !blank_line(p, &p->lines[i - 1]))
                return &p->lines[i - 1];
    }
    return NULL;
}

/* Marks first/last lines repeated (digits ignored) on >= HF_MIN_PAGES pages. */
static void drop_headers_footers(pdf *p)
{
    if (p->n_pages < HF_MIN_PAGES)
        return;
    pline **edge = zl_xcalloc(p->n_pages, sizeof *edge);
    char **key = zl_xcalloc(p->n_pages, sizeof *key);
    for (int round = 0; round < HF_ROUNDS; round++) {
        for (int top = 1; top >= 0; top--) {
            for (uint32_t pg = 0; pg < p->n_pages; pg++) {
                edge[pg] = edge_line(p, pg, top);
                key[pg] = edge[pg] ? hf_key(p, edge[pg]) : NULL;
            }
            for (uint32_t pg = 0; pg < p->n_pages; pg++) {
                if (!edge[pg] || (!key[pg][0] && !is_page_number_key(key[pg], edge[pg])))
                    continue;
                uint32_t same = 0;
                for (uint32_t q = 0; q < p->n_pages && same < HF_MIN_PAGES; q++)
                    if (key[q] && strcmp(key[q], key[pg]) == 0 &&
                        (key[pg][0] || is_page_number_key(key[q], edge[q])))
                        same++;
                if (same >= HF_MIN_PAGES)
                    edge[pg]->drop = 2; /* marked after the scan of this edge */
            }
            for (uint32_t pg = 0; pg < p->n_pages; pg++) {
                free(key[pg]);
                key[pg] = NULL;
            }
            for (size_t i = 0; i < p->n_lines; i++)
                if (p->lines[i].drop == 2)
                    p->lines[i].drop = 1;
        }
    }
    free(key);
    free(edge);
}

static int is_letter_cp(uint32_t cp)
{
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0x24F) ||
           (cp >= 0x400 && cp <= 0x52F);
}

static int is_lower_cp(uint32_t cp)
{
    return (cp >= 'a' && cp <= 'z') || (cp >= 0x430 && cp <= 0x45F) || (cp >= 0xDF && cp <= 0xFF) ||
           ((cp >= 0x460 && cp <= 0x52F) && (cp & 1)); /* Cyrillic extensions: odd = lower */
}

/* Does line L end with a letter followed by '-' (a hyphenated word)? */
static int ends_hyphenated(const pdf *p, const pline *L)
{
    const char *s = p->src.data + L->src_off;
    size_t n = L->len;
    if (n < 2 || s[n - 1] != '-')
        return 0;
    /* the code point before '-' */
    size_t i = n - 1;
    do
        i--;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80);
    uint32_t cp;
    if (!zl_utf8_decode(s + i, n - 1 - i, &cp))
        return 0;
    return is_letter_cp(cp);
}

static int starts_lower(const pdf *p, const pline *L)
{
    const char *s = p->src.data + L->src_off;
    size_t n = L->len, i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    uint32_t cp;
    return i < n && zl_utf8_decode(s + i, n - i, &cp) && is_lower_cp(cp);
}

static void pdf_free(pdf *p)
{
    zl_buf_free(&p->src);
    free(p->lines);
    free(p->first_line);
}

static void quiet_log(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer data)
{
    (void)domain;
    (void)level;
    (void)msg;
    (void)data;
}

/* Opens the document and appends the text lines of every page to p: every
 * poppler and GLib call of a document, from opening it to the last unref, is
 * in here (under pdf_mu, taken by the caller, when !pdf_parallel). */
static int extract_pages(pdf *p, const char *bytes, size_t n, const char *path,
                         zl_diags *diags)
{
    char msg[512];
    GError *err = NULL;
    GBytes *gb = api.bytes_new_static(bytes, n);
    PopplerDocument *doc = api.document_new_from_bytes(gb, NULL, &err);
    if (!doc) {
        snprintf(msg, sizeof msg, "not a readable PDF document (%s)",
                 err && err->message ? err->message : "unknown error");
        zl_diags_add(diags, ZL_D_IO_READ, path, 0, 0, msg);
        if (err)
            api.error_free(err);
        api.bytes_unref(gb);
        return ZL_ERR;
    }
    int rc = ZL_ERR;
    int np = api.document_get_n_pages(doc);
    if (np > PDF_MAX_PAGES) {
        snprintf(msg, sizeof msg, "PDF has %d pages, more than the limit of %d", np,
                 PDF_MAX_PAGES);
        zl_diags_add(diags, ZL_D_LIMIT, path, 0, 0, msg);
        goto cleanup;
    }
    p->n_pages = np > 0 ? (uint32_t)np : 0;
    p->first_line = zl_xcalloc((size_t)p->n_pages + 1, sizeof *p->first_line);
    for (uint32_t pg = 0; pg < p->n_pages; pg++) {
        p->first_line[pg] = (uint32_t)p->n_lines;
        PopplerPage *page = api.document_get_page(doc, (int)pg);
        char *t = page ? api.page_get_text(page) : NULL;
        if (t) {
            PopplerRectangle *rects = NULL;
            guint n_rects = 0;
            if (!api.page_get_text_layout(page, &rects, &n_rects))
                n_rects = 0;
            add_page(p, t, rects, rects ? n_rects : 0, pg + 1);
            api.free(rects);
            api.free(t);
        }
        if (page)
            api.object_unref(page);
        if (p->src.err)
            break;
    }
    p->first_line[p->n_pages] = (uint32_t)p->n_lines;
    rc = ZL_OK;

cleanup:
    api.object_unref(doc);
    api.bytes_unref(gb);
    return rc;
}

static int pdf_read(zl_arena *a, const char *bytes, size_t n, const zl_load_opts *opts,
                    zl_input *out, zl_diags *diags)
{
    (void)opts;
    pthread_once(&api_once, api_load);
    if (!api_ok) {
        char msg[512];
        snprintf(msg, sizeof msg, "PDF support needs libpoppler-glib: %s", api_err);
        zl_diags_add(diags, ZL_D_FORMAT_UNSUPPORTED, out->path, 0, 0, msg);
        return ZL_ERR;
    }

    pdf p;
    memset(&p, 0, sizeof p);
    zl_buf_init(&p.src, PDF_MAX_TEXT);
    zl_buf text;
    zl_buf_init(&text, PDF_MAX_TEXT);
    zl_map_run *map = NULL;
    size_t n_map = 0, cap_map = 0;

    if (!pdf_parallel)
        pthread_mutex_lock(&pdf_mu);
    int rc = extract_pages(&p, bytes, n, out->path, diags);
    if (!pdf_parallel)
        pthread_mutex_unlock(&pdf_mu);
    if (rc != ZL_OK)
        goto cleanup;
    rc = ZL_ERR;
    if (p.src.err || p.src.len > UINT32_MAX / 2) {
        zl_diags_add(diags, ZL_D_LIMIT, out->path, 0, 0, "PDF text is larger than the limit");
        goto cleanup;
    }

    drop_headers_footers(&p);

    /* the logical text: kept lines, hyphenated words joined */
    int join = 0;
    for (size_t i = 0; i < p.n_lines; i++) {
        pline *L = &p.lines[i];
        if (L->drop)
            continue;
        if (join) {
            text.len--; /* the hyphen */
            size_t lead = 0;
            while (lead < L->len && (p.src.data[L->src_off + lead] == ' ' ||
                                     p.src.data[L->src_off + lead] == '\t'))
                lead++;
            map = zl_xgrow(map, &cap_map, n_map + 1, sizeof *map);
            map[n_map].text_off = (uint32_t)text.len;
            map[n_map++].src_off = L->src_off + (uint32_t)lead;
            zl_buf_put(&text, p.src.data + L->src_off + lead, L->len - lead);
        } else {
            if (text.len > 0)
                zl_buf_putc(&text, '\n'); /* maps to the previous line's newline */
            map = zl_xgrow(map, &cap_map, n_map + 1, sizeof *map);
            map[n_map].text_off = (uint32_t)text.len;
            map[n_map++].src_off = L->src_off;
            zl_buf_put(&text, p.src.data + L->src_off, L->len);
        }
        join = 0;
        if (ends_hyphenated(&p, L)) {
            size_t j = i + 1;
            while (j < p.n_lines && p.lines[j].drop)
                j++;
            join = j < p.n_lines && !blank_line(&p, &p.lines[j]) && starts_lower(&p, &p.lines[j]);
        }
    }
    if (text.len > 0)
        zl_buf_putc(&text, '\n');
    if (text.err) {
        zl_diags_add(diags, ZL_D_LIMIT, out->path, 0, 0, "PDF text is larger than the limit");
        goto cleanup;
    }
    if (text.len == 0) {
        zl_diags_add(diags, ZL_D_IO_READ, out->path, 0, 0,
                     "the PDF has no extractable text (a scanned document needs OCR first)");
        goto cleanup;
    }

    out->encoding = ZL_ENC_UTF8;
    out->bom_len = 0;
    out->src = zl_arena_strndup(a, p.src.data, p.src.len);
    out->src_len = p.src.len;
    out->text = zl_arena_strndup(a, text.data, text.len);
    out->text_len = text.len;
    out->blocks = zl_arena_calloc(a, 1, sizeof *out->blocks);
    out->blocks[0].kind = ZL_BLK_TEXT;
    out->blocks[0].len = (uint32_t)text.len;
    out->n_blocks = 1;
    out->map = zl_arena_memdup(a, map, n_map * sizeof *map);
    out->n_map = n_map;
    out->pos_kind = ZL_POS_PAGE;
    /* one entry per src line, plus the empty line after the final newline */
    out->page_of_line = zl_arena_alloc(a, (p.n_lines + 1) * sizeof *out->page_of_line);
    for (size_t i = 0; i < p.n_lines; i++)
        out->page_of_line[i] = p.lines[i].page;
    out->page_of_line[p.n_lines] = p.n_lines ? p.lines[p.n_lines - 1].page : 1;
    rc = ZL_OK;

cleanup:
    free(map);
    zl_buf_free(&text);
    pdf_free(&p);
    return rc;
}

#else /* !ZL_HAVE_POPPLER */

static int pdf_read(zl_arena *a, const char *bytes, size_t n, const zl_load_opts *opts,
                    zl_input *out, zl_diags *diags)
{
    (void)a;
    (void)bytes;
    (void)n;
    (void)opts;
    zl_diags_add(diags, ZL_D_FORMAT_UNSUPPORTED, out->path, 0, 0,
                 "PDF (zanlint was built without PDF support: install poppler-glib "
                 "(libpoppler-glib-dev) and rebuild)");
    return ZL_ERR;
}

#endif

void zl_reader_pdf_init(void)
{
    /* poppler-glib is loaded, and its types registered, at the first PDF */
}

const zl_reader zl_reader_pdf = {
    .name = "pdf",
    .extensions = ".pdf",
    .sniff = pdf_sniff,
    .read = pdf_read,
};
