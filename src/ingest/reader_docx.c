/*
 * reader_docx.c - the Word reader ("docx": .docx, and .docm, .dotx, .dotm,
 * the same package with macros or as a template; sniffed by the zip magic
 * plus a "word/document.xml" entry name).
 *
 * libzip and libxml2 are loaded at the first DOCX document (xmllib.h).
 * Opens the zip with libzip from memory and refuses zip bombs from the
 * directory before inflating anything (entry count, total uncompressed size,
 * per-entry compression ratio), then again while reading (an entry may not
 * inflate past its declared size).  Only four fixed entries are read:
 * word/document.xml, word/styles.xml, word/numbering.xml, word/footnotes.xml;
 * relationships are never followed, so external targets (URLs, linked files)
 * are not touched.  XML is parsed by libxml2 with XML_PARSE_NONET and without
 * entity substitution or DTD loading: entity references stay unexpanded and
 * contribute no text.
 *
 * Output: one line of `src` per non-empty paragraph, table row or footnote
 * paragraph (so src line N = paragraph N, pos_kind ZL_POS_PARAGRAPH), typed
 * blocks (heading with level from style name/id or outline level, list item
 * with its rendered number from numbering.xml, table row with cells joined by
 * " | ", paragraph).  `text` equals `src` byte for byte except that a w:br
 * inside a paragraph is a newline in `text` and a space in `src`.
 */
#include "ingest/ingest.h"
#include "ingest/xmllib.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <limits.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

extern const zl_reader zl_reader_docx;

/* Zip bomb limits (see docs/inputs.md). */
#define DOCX_MAX_ENTRIES 10000
#define DOCX_MAX_TOTAL ((uint64_t)256 << 20)
#define DOCX_MAX_RATIO 200
#define DOCX_RATIO_MIN ((uint64_t)64 << 10) /* ratio checked on entries above 64 KiB */

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define W_NS_STRICT "http://purl.oclc.org/ooxml/wordprocessingml/main"
#define N_LVL 9
#define STYLE_DEPTH 16

enum { FMT_DECIMAL, FMT_LOWER_LETTER, FMT_UPPER_LETTER, FMT_LOWER_ROMAN, FMT_UPPER_ROMAN,
       FMT_RU_LOWER, FMT_RU_UPPER, FMT_BULLET, FMT_NONE };

typedef struct style {
    const char *id;
    const char *based_on;
    int heading;   /* 1..9 from the name or id, 0 = none */
    int outline;   /* w:outlineLvl + 1 (1..9), 0 = none */
    int num_id, ilvl; /* numbering from the style's w:numPr, num_id -1 = none */
} style;

typedef struct level {
    int fmt;
    const char *text; /* lvlText, e.g. "%1.%2." */
    int start;
} num_level;

typedef struct abstract_num {
    int id;
    num_level lv[N_LVL];
} abstract_num;

typedef struct num {
    int id;
    int abs_id;
    int start_override[N_LVL]; /* -1 = none */
    int cnt[N_LVL];
    unsigned char started[N_LVL];
} num;

typedef struct docx {
    zl_arena *a;
    const char *path;
    zl_diags *diags;
    zip_t *zip;
    uint64_t read_total;

    zl_buf text;
    zl_block *blocks;
    size_t n_blocks, cap_blocks;

    style *styles; /* sorted by id */
    size_t n_styles;
    abstract_num *abs; /* sorted by id */
    size_t n_abs;
    num *nums; /* sorted by id */
    size_t n_nums;
} docx;

/* ---- XML helpers ---- */

static int w_ns(const xmlNs *ns)
{
    return ns && ns->href &&
           (strcmp((const char *)ns->href, W_NS) == 0 ||
            strcmp((const char *)ns->href, W_NS_STRICT) == 0);
}

static int is_w(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && w_ns(n->ns) &&
           strcmp((const char *)n->name, name) == 0;
}

/* The value of attribute w:name (or unqualified name) without allocating. */
static const char *wattr(const xmlNode *n, const char *name)
{
    for (const xmlAttr *at = n->properties; at; at = at->next)
        if (strcmp((const char *)at->name, name) == 0 && (!at->ns || w_ns(at->ns)) &&
            at->children && at->children->type == XML_TEXT_NODE)
            return (const char *)at->children->content;
    return NULL;
}

static const xmlNode *wchild(const xmlNode *n, const char *name)
{
    for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (is_w(c, name))
            return c;
    return NULL;
}

static int parse_int(const char *s, int def)
{
    if (!s)
        return def;
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || v < INT_MIN / 2 || v > INT_MAX / 2)
        return def;
    return (int)v;
}

/* ---- zip ---- */

static void zip_diag(docx *d, const char *what, zip_error_t *ze)
{
    char msg[512];
    snprintf(msg, sizeof msg, "%s (%s)", what, ze ? zl_zip.zip_error_strerror(ze) : "zip error");
    zl_diags_add(d->diags, ZL_D_IO_READ, d->path, 0, 0, msg);
}

/* Checks the zip directory against the limits before anything is inflated. */
static int check_directory(docx *d)
{
    zip_int64_t n = zl_zip.zip_get_num_entries(d->zip, 0);
    char msg[512];
    if (n < 0 || n > DOCX_MAX_ENTRIES) {
        snprintf(msg, sizeof msg,
                 "DOCX archive has %lld entries, more than the limit of %d (refused as a "
                 "possible zip bomb)",
                 (long long)n, DOCX_MAX_ENTRIES);
        zl_diags_add(d->diags, ZL_D_LIMIT, d->path, 0, 0, msg);
        return ZL_ERR;
    }
    uint64_t total = 0;
    for (zip_int64_t i = 0; i < n; i++) {
        zip_stat_t st;
        if (zl_zip.zip_stat_index(d->zip, (zip_uint64_t)i, 0, &st) != 0)
            continue;
        if (!(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE))
            continue;
        const char *name = (st.valid & ZIP_STAT_NAME) && st.name ? st.name : "?";
        if (st.size > DOCX_RATIO_MIN &&
            (st.comp_size == 0 || st.size / st.comp_size > DOCX_MAX_RATIO)) {
            snprintf(msg, sizeof msg,
                     "DOCX entry %s inflates %llu bytes to %llu (ratio over %d:1, refused as a "
                     "possible zip bomb)",
                     name, (unsigned long long)st.comp_size, (unsigned long long)st.size,
                     DOCX_MAX_RATIO);
            zl_diags_add(d->diags, ZL_D_LIMIT, d->path, 0, 0, msg);
            return ZL_ERR;
        }
        total += st.size;
        if (total > DOCX_MAX_TOTAL) {
            snprintf(msg, sizeof msg,
                     "DOCX entries add up to more than %llu bytes uncompressed (refused as a "
                     "possible zip bomb)",
                     (unsigned long long)DOCX_MAX_TOTAL);
            zl_diags_add(d->diags, ZL_D_LIMIT, d->path, 0, 0, msg);
            return ZL_ERR;
        }
    }
    return ZL_OK;
}

/* Reads one entry whole (malloc, NUL-terminated) into *out; an absent
 * optional entry gives *out = NULL and ZL_OK. */
static int read_entry(docx *d, const char *name, int required, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    char msg[512];
    zip_int64_t idx = zl_zip.zip_name_locate(d->zip, name, 0);
    if (idx < 0) {
        if (!required)
            return ZL_OK;
        snprintf(msg, sizeof msg, "not a DOCX document: the zip archive has no %s", name);
        zl_diags_add(d->diags, ZL_D_FORMAT_UNSUPPORTED, d->path, 0, 0, msg);
        return ZL_ERR;
    }
    zip_stat_t st;
    if (zl_zip.zip_stat_index(d->zip, (zip_uint64_t)idx, 0, &st) != 0 ||
        !(st.valid & ZIP_STAT_SIZE)) {
        snprintf(msg, sizeof msg, "DOCX entry %s", name);
        zip_diag(d, msg, zl_zip.zip_get_error(d->zip));
        return ZL_ERR;
    }
    if (st.size > DOCX_MAX_TOTAL || st.size > INT_MAX - 2) {
        snprintf(msg, sizeof msg, "DOCX entry %s is larger than %llu bytes", name,
                 (unsigned long long)DOCX_MAX_TOTAL);
        zl_diags_add(d->diags, ZL_D_LIMIT, d->path, 0, 0, msg);
        return ZL_ERR;
    }
    zip_file_t *f = zl_zip.zip_fopen_index(d->zip, (zip_uint64_t)idx, 0);
    if (!f) {
        snprintf(msg, sizeof msg, "DOCX entry %s", name);
        zip_diag(d, msg, zl_zip.zip_get_error(d->zip));
        return ZL_ERR;
    }
    size_t size = (size_t)st.size, got = 0;
    char *buf = zl_xmalloc(size + 2);
    int rc = ZL_OK;
    /* ask for one byte more than declared: getting it means the entry lies */
    while (got < size + 1) {
        zip_int64_t r = zl_zip.zip_fread(f, buf + got, size + 1 - got);
        if (r < 0) {
            snprintf(msg, sizeof msg, "DOCX entry %s", name);
            zip_diag(d, msg, zl_zip.zip_file_get_error(f));
            rc = ZL_ERR;
            break;
        }
        if (r == 0)
            break;
        got += (size_t)r;
    }
    zl_zip.zip_fclose(f);
    if (rc == ZL_OK && got > size) {
        snprintf(msg, sizeof msg,
                 "DOCX entry %s inflates past its declared size of %zu bytes (refused as a "
                 "possible zip bomb)",
                 name, size);
        zl_diags_add(d->diags, ZL_D_LIMIT, d->path, 0, 0, msg);
        rc = ZL_ERR;
    }
    d->read_total += got;
    if (rc == ZL_OK && d->read_total > DOCX_MAX_TOTAL) {
        snprintf(msg, sizeof msg, "DOCX entries inflate past %llu bytes",
                 (unsigned long long)DOCX_MAX_TOTAL);
        zl_diags_add(d->diags, ZL_D_LIMIT, d->path, 0, 0, msg);
        rc = ZL_ERR;
    }
    if (rc != ZL_OK) {
        free(buf);
        return rc;
    }
    buf[got] = '\0';
    *out = buf;
    *len = got;
    return ZL_OK;
}

/* Parses an entry with network access, DTD loading and entity substitution
 * all off.  Returns NULL with a diagnostic when the XML is not well formed. */
static xmlDoc *parse_xml(docx *d, const char *name, const char *buf, size_t len)
{
    xmlParserCtxt *ctx = zl_xml.xmlNewParserCtxt();
    if (!ctx) {
        zl_diags_add(d->diags, ZL_D_IO_READ, d->path, 0, 0, "cannot create an XML parser");
        return NULL;
    }
    xmlDoc *doc = zl_xml.xmlCtxtReadMemory(
        ctx, buf, (int)len, name, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc || !zl_xml.xmlDocGetRootElement(doc)) {
        const xmlError *e = zl_xml.xmlCtxtGetLastError(ctx);
        char what[256] = "";
        if (e && e->message) {
            snprintf(what, sizeof what, "%s", e->message);
            size_t k = strlen(what);
            while (k > 0 && (what[k - 1] == '\n' || what[k - 1] == ' '))
                what[--k] = '\0';
        }
        char msg[512];
        snprintf(msg, sizeof msg, "DOCX entry %s is not well-formed XML (line %d: %s)", name,
                 e ? e->line : 0, what[0] ? what : "empty document");
        zl_diags_add(d->diags, ZL_D_IO_READ, d->path, 0, 0, msg);
        if (doc)
            zl_xml.xmlFreeDoc(doc);
        doc = NULL;
    }
    zl_xml.xmlFreeParserCtxt(ctx);
    return doc;
}

/* Reads and parses an entry; *doc = NULL for an absent optional entry. */
static int load_xml(docx *d, const char *name, int required, xmlDoc **doc)
{
    char *buf;
    size_t len;
    *doc = NULL;
    if (read_entry(d, name, required, &buf, &len) != ZL_OK)
        return ZL_ERR;
    if (!buf)
        return ZL_OK;
    *doc = parse_xml(d, name, buf, len);
    free(buf);
    return *doc ? ZL_OK : ZL_ERR;
}

/* ---- styles.xml ---- */

/* "heading 3", "Heading3", "Заголовок 3", "Тақырып 3" -> 3 */
static int heading_from_name(const char *s)
{
    static const char *const prefixes[] = {"Заголовок", "заголовок", "ЗАГОЛОВОК",
                                           "Тақырып",   "тақырып",   "ТАҚЫРЫП"};
    if (!s)
        return 0;
    size_t k = 0;
    if (strncasecmp(s, "heading", 7) == 0) {
        k = 7;
    } else {
        for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes && !k; i++)
            if (strncmp(s, prefixes[i], strlen(prefixes[i])) == 0)
                k = strlen(prefixes[i]);
    }
    if (!k)
        return 0;
    s += k;
    while (*s == ' ' || *s == '_' || *s == '-')
        s++;
    if (s[0] >= '1' && s[0] <= '9' && s[1] == '\0')
        return s[0] - '0';
    return 0;
}

static int cmp_style(const void *x, const void *y)
{
    return strcmp(((const style *)x)->id, ((const style *)y)->id);
}

static void num_pr(const xmlNode *ppr, int *num_id, int *ilvl)
{
    const xmlNode *np = wchild(ppr, "numPr");
    if (!np)
        return;
    const xmlNode *n = wchild(np, "numId");
    const xmlNode *l = wchild(np, "ilvl");
    if (n)
        *num_id = parse_int(wattr(n, "val"), -1);
    if (l)
        *ilvl = parse_int(wattr(l, "val"), 0);
}

static void load_styles(docx *d, const xmlDoc *doc)
{
    const xmlNode *root = zl_xml.xmlDocGetRootElement((xmlDoc *)doc);
    size_t n = 0;
    for (const xmlNode *c = root->children; c; c = c->next)
        n += is_w(c, "style");
    d->styles = zl_arena_calloc(d->a, n ? n : 1, sizeof *d->styles);
    for (const xmlNode *c = root->children; c; c = c->next) {
        if (!is_w(c, "style") || !wattr(c, "styleId"))
            continue;
        style *s = &d->styles[d->n_styles++];
        s->id = zl_arena_strdup(d->a, wattr(c, "styleId"));
        const xmlNode *nm = wchild(c, "name");
        s->heading = heading_from_name(nm ? wattr(nm, "val") : NULL);
        if (!s->heading)
            s->heading = heading_from_name(s->id);
        const xmlNode *b = wchild(c, "basedOn");
        if (b && wattr(b, "val"))
            s->based_on = zl_arena_strdup(d->a, wattr(b, "val"));
        s->num_id = -1;
        const xmlNode *ppr = wchild(c, "pPr");
        const xmlNode *ol = wchild(ppr, "outlineLvl");
        if (ol) {
            int v = parse_int(wattr(ol, "val"), 9);
            s->outline = v >= 0 && v < 9 ? v + 1 : 0;
        }
        num_pr(ppr, &s->num_id, &s->ilvl);
    }
    qsort(d->styles, d->n_styles, sizeof *d->styles, cmp_style);
}

static const style *find_style(const docx *d, const char *id)
{
    if (!id || !d->n_styles)
        return NULL;
    style key = {0};
    key.id = id;
    return bsearch(&key, d->styles, d->n_styles, sizeof *d->styles, cmp_style);
}

/* ---- numbering.xml ---- */

static int fmt_of(const char *s)
{
    static const struct {
        const char *name;
        int fmt;
    } t[] = {{"decimal", FMT_DECIMAL},         {"decimalZero", FMT_DECIMAL},
             {"lowerLetter", FMT_LOWER_LETTER}, {"upperLetter", FMT_UPPER_LETTER},
             {"lowerRoman", FMT_LOWER_ROMAN},   {"upperRoman", FMT_UPPER_ROMAN},
             {"russianLower", FMT_RU_LOWER},    {"russianUpper", FMT_RU_UPPER},
             {"bullet", FMT_BULLET},            {"none", FMT_NONE}};
    for (size_t i = 0; s && i < sizeof t / sizeof *t; i++)
        if (strcmp(s, t[i].name) == 0)
            return t[i].fmt;
    return FMT_DECIMAL;
}

static int cmp_abs(const void *x, const void *y)
{
    int a = ((const abstract_num *)x)->id, b = ((const abstract_num *)y)->id;
    return (a > b) - (a < b);
}

static int cmp_num(const void *x, const void *y)
{
    int a = ((const num *)x)->id, b = ((const num *)y)->id;
    return (a > b) - (a < b);
}

static void load_numbering(docx *d, const xmlDoc *doc)
{
    const xmlNode *root = zl_xml.xmlDocGetRootElement((xmlDoc *)doc);
    size_t na = 0, nn = 0;
    for (const xmlNode *c = root->children; c; c = c->next) {
        na += is_w(c, "abstractNum");
        nn += is_w(c, "num");
    }
    d->abs = zl_arena_calloc(d->a, na ? na : 1, sizeof *d->abs);
    d->nums = zl_arena_calloc(d->a, nn ? nn : 1, sizeof *d->nums);
    for (const xmlNode *c = root->children; c; c = c->next) {
        if (is_w(c, "abstractNum")) {
            abstract_num *an = &d->abs[d->n_abs++];
            an->id = parse_int(wattr(c, "abstractNumId"), -1);
            for (int k = 0; k < N_LVL; k++) {
                an->lv[k].fmt = FMT_BULLET;
                an->lv[k].start = 1;
            }
            for (const xmlNode *l = c->children; l; l = l->next) {
                if (!is_w(l, "lvl"))
                    continue;
                int k = parse_int(wattr(l, "ilvl"), -1);
                if (k < 0 || k >= N_LVL)
                    continue;
                const xmlNode *x;
                an->lv[k].fmt = (x = wchild(l, "numFmt")) ? fmt_of(wattr(x, "val")) : FMT_DECIMAL;
                if ((x = wchild(l, "lvlText")) && wattr(x, "val"))
                    an->lv[k].text = zl_arena_strdup(d->a, wattr(x, "val"));
                if ((x = wchild(l, "start")))
                    an->lv[k].start = parse_int(wattr(x, "val"), 1);
            }
        } else if (is_w(c, "num")) {
            num *nm = &d->nums[d->n_nums++];
            nm->id = parse_int(wattr(c, "numId"), -1);
            const xmlNode *x = wchild(c, "abstractNumId");
            nm->abs_id = x ? parse_int(wattr(x, "val"), -1) : -1;
            for (int k = 0; k < N_LVL; k++)
                nm->start_override[k] = -1;
            for (const xmlNode *o = c->children; o; o = o->next) {
                if (!is_w(o, "lvlOverride"))
                    continue;
                int k = parse_int(wattr(o, "ilvl"), -1);
                const xmlNode *so = wchild(o, "startOverride");
                if (k >= 0 && k < N_LVL && so)
                    nm->start_override[k] = parse_int(wattr(so, "val"), 1);
            }
        }
    }
    qsort(d->abs, d->n_abs, sizeof *d->abs, cmp_abs);
    qsort(d->nums, d->n_nums, sizeof *d->nums, cmp_num);
}

static void put_uint(zl_buf *b, unsigned v)
{
    char tmp[16];
    size_t k = 0;
    do
        tmp[k++] = (char)('0' + v % 10);
    while ((v /= 10) && k < sizeof tmp);
    while (k)
        zl_buf_putc(b, tmp[--k]);
}

static void put_roman(zl_buf *b, unsigned v, int upper)
{
    static const struct {
        unsigned v;
        const char *s;
    } t[] = {{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"}, {50, "l"},
             {40, "xl"},  {10, "x"},   {9, "ix"},  {5, "v"},    {4, "iv"},  {1, "i"}};
    if (v == 0 || v > 3999) {
        put_uint(b, v);
        return;
    }
    for (size_t i = 0; i < sizeof t / sizeof *t; i++)
        while (v >= t[i].v) {
            for (const char *s = t[i].s; *s; s++)
                zl_buf_putc(b, upper ? (char)(*s - 'a' + 'A') : *s);
            v -= t[i].v;
        }
}

static void put_counter(zl_buf *b, int fmt, int value)
{
    /* Word's russianLower: а..я without ё й ъ ы ь */
    static const char *const ru_lower[] = {"а", "б", "в", "г", "д", "е", "ж", "з", "и", "к",
                                           "л", "м", "н", "о", "п", "р", "с", "т", "у", "ф",
                                           "х", "ц", "ч", "ш", "щ", "э", "ю", "я"};
    static const char *const ru_upper[] = {"А", "Б", "В", "Г", "Д", "Е", "Ж", "З", "И", "К",
                                           "Л", "М", "Н", "О", "П", "Р", "С", "Т", "У", "Ф",
                                           "Х", "Ц", "Ч", "Ш", "Щ", "Э", "Ю", "Я"};
    unsigned v = value > 0 ? (unsigned)value : 0;
    switch (fmt) {
    case FMT_LOWER_LETTER:
    case FMT_UPPER_LETTER:
        if (v == 0) {
            put_uint(b, v);
            break;
        }
        for (unsigned k = 0; k <= (v - 1) / 26 && k < 8; k++)
            zl_buf_putc(b, (char)((fmt == FMT_LOWER_LETTER ? 'a' : 'A') + (v - 1) % 26));
        break;
    case FMT_RU_LOWER:
    case FMT_RU_UPPER:
        if (v == 0) {
            put_uint(b, v);
            break;
        }
        for (unsigned k = 0; k <= (v - 1) / 28 && k < 8; k++)
            zl_buf_puts(b, (fmt == FMT_RU_LOWER ? ru_lower : ru_upper)[(v - 1) % 28]);
        break;
    case FMT_LOWER_ROMAN:
    case FMT_UPPER_ROMAN:
        put_roman(b, v, fmt == FMT_UPPER_ROMAN);
        break;
    default:
        put_uint(b, v);
    }
}

/* Advances the counters of list `num_id` for an item at `ilvl` and returns
 * its rendered label (arena), "•" when the numbering cannot be computed, or
 * NULL for a level without a number (numFmt none / empty lvlText). */
static const char *list_label(docx *d, int num_id, int ilvl)
{
    if (ilvl < 0 || ilvl >= N_LVL)
        ilvl = 0;
    num key = {0};
    key.id = num_id;
    num *nm = d->n_nums ? bsearch(&key, d->nums, d->n_nums, sizeof *d->nums, cmp_num) : NULL;
    abstract_num akey = {0};
    akey.id = nm ? nm->abs_id : -1;
    abstract_num *an =
        nm && d->n_abs ? bsearch(&akey, d->abs, d->n_abs, sizeof *d->abs, cmp_abs) : NULL;
    if (!an)
        return "\xE2\x80\xA2";
    const num_level *lv = &an->lv[ilvl];
    if (lv->fmt == FMT_BULLET)
        return "\xE2\x80\xA2";
    if (lv->fmt == FMT_NONE || !lv->text || !lv->text[0])
        return NULL;

    int start[N_LVL];
    for (int k = 0; k < N_LVL; k++)
        start[k] = nm->start_override[k] >= 0 ? nm->start_override[k] : an->lv[k].start;
    nm->cnt[ilvl] = nm->started[ilvl] ? nm->cnt[ilvl] + 1 : start[ilvl];
    nm->started[ilvl] = 1;
    for (int k = ilvl + 1; k < N_LVL; k++)
        nm->started[k] = 0;

    zl_buf b;
    zl_buf_init(&b, 256);
    for (const char *s = lv->text; *s; s++) {
        if (s[0] == '%' && s[1] >= '1' && s[1] <= '9') {
            int k = s[1] - '1';
            if (k <= ilvl) {
                int v = nm->started[k] ? nm->cnt[k] : start[k];
                put_counter(&b, k == ilvl ? lv->fmt : an->lv[k].fmt, v);
            }
            s++;
        } else {
            zl_buf_putc(&b, *s);
        }
    }
    const char *label = b.len ? zl_arena_strndup(d->a, b.data, b.len) : NULL;
    zl_buf_free(&b);
    return label;
}

/* ---- document.xml ---- */

static void put_node_text(docx *d, const xmlNode *t)
{
    for (const xmlNode *c = t->children; c; c = c->next)
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
            zl_buf_puts(&d->text, (const char *)c->content);
    /* XML_ENTITY_REF_NODE: entities are never expanded */
}

/* The text of the runs under `n` (a paragraph or a run container). */
static void runs(docx *d, const xmlNode *n)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || !w_ns(c->ns))
            continue;
        const char *nm = (const char *)c->name;
        if (strcmp(nm, "r") == 0) {
            for (const xmlNode *r = c->children; r; r = r->next) {
                if (is_w(r, "t")) {
                    put_node_text(d, r);
                } else if (is_w(r, "tab") || is_w(r, "ptab")) {
                    zl_buf_putc(&d->text, '\t');
                } else if (is_w(r, "br")) {
                    const char *ty = wattr(r, "type");
                    zl_buf_putc(&d->text, ty && strcmp(ty, "textWrapping") != 0 ? ' ' : '\n');
                } else if (is_w(r, "cr")) {
                    zl_buf_putc(&d->text, '\n');
                } else if (is_w(r, "noBreakHyphen")) {
                    zl_buf_putc(&d->text, '-');
                }
                /* w:delText, w:instrText (field codes), w:softHyphen, w:sym,
                 * footnote marks and drawings contribute no text */
            }
        } else if (strcmp(nm, "ins") == 0 || strcmp(nm, "moveTo") == 0 ||
                   strcmp(nm, "hyperlink") == 0 || strcmp(nm, "smartTag") == 0 ||
                   strcmp(nm, "fldSimple") == 0 || strcmp(nm, "customXml") == 0 ||
                   strcmp(nm, "sdt") == 0 || strcmp(nm, "sdtContent") == 0 ||
                   strcmp(nm, "dir") == 0 || strcmp(nm, "bdo") == 0) {
            runs(d, c);
        }
        /* w:del and w:moveFrom (tracked deletions) are dropped */
    }
}

static void add_block(docx *d, zl_block_kind kind, int level, size_t off, const char *label)
{
    d->blocks = zl_xgrow(d->blocks, &d->cap_blocks, d->n_blocks + 1, sizeof *d->blocks);
    zl_block *b = &d->blocks[d->n_blocks++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    b->level = (uint8_t)level;
    b->off = (uint32_t)off;
    b->len = (uint32_t)(d->text.len - off);
    b->label = label;
}

/* Ends the line started at `off`: drops trailing blanks; an empty line is
 * removed (returns 0), otherwise a block is added and '\n' appended. */
static int end_line(docx *d, size_t off, zl_block_kind kind, int level, const char *label)
{
    while (d->text.len > off &&
           (d->text.data[d->text.len - 1] == ' ' || d->text.data[d->text.len - 1] == '\t' ||
            d->text.data[d->text.len - 1] == '\n'))
        d->text.len--;
    size_t k = off;
    while (k < d->text.len && (d->text.data[k] == ' ' || d->text.data[k] == '\t' ||
                               d->text.data[k] == '\n'))
        k++;
    if (k == d->text.len) {
        d->text.len = off;
        if (d->text.data)
            d->text.data[off] = '\0';
        return 0;
    }
    if (d->text.data)
        d->text.data[d->text.len] = '\0';
    add_block(d, kind, level, off, label);
    zl_buf_putc(&d->text, '\n');
    return 1;
}

static void paragraph(docx *d, const xmlNode *p)
{
    const xmlNode *ppr = wchild(p, "pPr");
    const xmlNode *ps = wchild(ppr, "pStyle");
    const style *st = find_style(d, ps ? wattr(ps, "val") : NULL);
    int heading = 0, num_id = -1, ilvl = 0;
    const xmlNode *ol = wchild(ppr, "outlineLvl");
    if (ol) {
        int v = parse_int(wattr(ol, "val"), 9);
        heading = v >= 0 && v < 9 ? v + 1 : -1; /* 9 = body text: explicitly not a heading */
    }
    num_pr(ppr, &num_id, &ilvl);
    int style_num = num_id < 0 && !wchild(ppr, "numPr");
    for (int depth = 0; st && depth < STYLE_DEPTH; depth++) {
        if (!heading)
            heading = st->heading ? st->heading : st->outline;
        if (style_num && num_id < 0 && st->num_id >= 0) {
            num_id = st->num_id;
            ilvl = st->ilvl;
        }
        st = find_style(d, st->based_on);
    }
    if (heading < 0)
        heading = 0;

    size_t off = d->text.len;
    const char *label = NULL;
    int numbered = num_id > 0;
    if (numbered) {
        label = list_label(d, num_id, ilvl);
        if (label) {
            zl_buf_puts(&d->text, label);
            zl_buf_putc(&d->text, ' ');
        }
    }
    size_t body = d->text.len;
    runs(d, p);
    size_t k = body;
    while (k < d->text.len && (d->text.data[k] == ' ' || d->text.data[k] == '\t' ||
                               d->text.data[k] == '\n'))
        k++;
    if (k == d->text.len) { /* no text, at most a number: not a paragraph */
        d->text.len = off;
        if (d->text.data)
            d->text.data[off] = '\0';
        return;
    }
    if (k > body) { /* leading blanks (e.g. after a footnote mark) */
        memmove(d->text.data + body, d->text.data + k, d->text.len - k);
        d->text.len -= k - body;
        d->text.data[d->text.len] = '\0';
    }
    if (heading)
        end_line(d, off, ZL_BLK_HEADING, heading, NULL);
    else if (numbered)
        end_line(d, off, ZL_BLK_LIST_ITEM, ilvl + 1, label);
    else
        end_line(d, off, ZL_BLK_PARAGRAPH, 0, NULL);
}

/* The text of a table cell (its paragraphs joined by spaces; nested tables'
 * cells joined by " | "). */
static void cell(docx *d, const xmlNode *tc)
{
    for (const xmlNode *c = tc->children; c; c = c->next) {
        if (is_w(c, "p")) {
            size_t before = d->text.len;
            if (before > 0 && d->text.data[before - 1] != ' ' && d->text.data[before - 1] != '|')
                zl_buf_putc(&d->text, ' ');
            size_t mark = d->text.len;
            runs(d, c);
            if (d->text.len == mark)
                d->text.len = before;
        } else if (is_w(c, "tbl")) {
            for (const xmlNode *r = c->children; r; r = r->next)
                if (is_w(r, "tr"))
                    for (const xmlNode *x = r->children; x; x = x->next)
                        if (is_w(x, "tc")) {
                            zl_buf_puts(&d->text, " | ");
                            cell(d, x);
                        }
        } else if (is_w(c, "sdt") || is_w(c, "sdtContent") || is_w(c, "customXml")) {
            cell(d, c);
        }
    }
}

static void row(docx *d, const xmlNode *tr)
{
    size_t off = d->text.len;
    int k = 0;
    for (const xmlNode *c = tr->children; c; c = c->next) {
        const xmlNode *tc = c;
        if (is_w(c, "sdt"))
            tc = wchild(wchild(c, "sdtContent"), "tc");
        if (!is_w(tc, "tc"))
            continue;
        if (k++)
            zl_buf_puts(&d->text, " | ");
        size_t start = d->text.len;
        cell(d, tc);
        /* trim the cell */
        size_t s = start;
        while (s < d->text.len && d->text.data[s] == ' ')
            s++;
        if (s > start) {
            memmove(d->text.data + start, d->text.data + s, d->text.len - s);
            d->text.len -= s - start;
        }
    }
    end_line(d, off, ZL_BLK_TABLE_ROW, 0, NULL);
}

static void table(docx *d, const xmlNode *tbl)
{
    for (const xmlNode *c = tbl->children; c; c = c->next) {
        if (is_w(c, "tr"))
            row(d, c);
        else if (is_w(c, "sdt") || is_w(c, "sdtContent") || is_w(c, "customXml"))
            table(d, c);
    }
}

/* Block-level content: paragraphs, tables and their containers. */
static void body(docx *d, const xmlNode *n)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (is_w(c, "p"))
            paragraph(d, c);
        else if (is_w(c, "tbl"))
            table(d, c);
        else if (is_w(c, "sdt") || is_w(c, "sdtContent") || is_w(c, "customXml") ||
                 is_w(c, "ins") || is_w(c, "moveTo"))
            body(d, c);
    }
}

static void footnotes(docx *d, const xmlDoc *doc)
{
    const xmlNode *root = zl_xml.xmlDocGetRootElement((xmlDoc *)doc);
    for (const xmlNode *c = root->children; c; c = c->next) {
        if (!is_w(c, "footnote"))
            continue;
        const char *ty = wattr(c, "type");
        if (ty && strcmp(ty, "normal") != 0)
            continue; /* separators */
        body(d, c);
    }
}

/* ---- reader ---- */

static int docx_sniff(const char *bytes, size_t n)
{
    static const char name[] = "word/document.xml";
    const size_t k = sizeof name - 1;
    if (n < 4 || memcmp(bytes, "PK\x03\x04", 4) != 0)
        return 0;
    for (size_t i = 0; i + k <= n; i++)
        if (bytes[i] == 'w' && memcmp(bytes + i, name, k) == 0)
            return 1;
    return 0;
}

static int docx_read(zl_arena *a, const char *bytes, size_t n, const zl_load_opts *opts,
                     zl_input *out, zl_diags *diags)
{
    (void)opts;
    const char *lib_err;
    const char *lib = zl_zip_load(&lib_err) != ZL_OK   ? "libzip"
                      : zl_xml_load(&lib_err) != ZL_OK ? "libxml2"
                                                       : NULL;
    if (lib) {
        char msg[512];
        snprintf(msg, sizeof msg, "DOCX support needs %s: %s", lib, lib_err);
        zl_diags_add(diags, ZL_D_FORMAT_UNSUPPORTED, out->path, 0, 0, msg);
        return ZL_ERR;
    }
    docx d;
    memset(&d, 0, sizeof d);
    d.a = a;
    d.path = out->path;
    d.diags = diags;
    zl_buf_init(&d.text, (size_t)DOCX_MAX_TOTAL);
    xmlDoc *xdoc = NULL, *xsty = NULL, *xnum = NULL, *xfn = NULL;
    int rc = ZL_ERR;

    zip_error_t ze;
    zl_zip.zip_error_init(&ze);
    zip_source_t *src = zl_zip.zip_source_buffer_create(bytes, n, 0, &ze);
    if (src) {
        d.zip = zl_zip.zip_open_from_source(src, ZIP_RDONLY, &ze);
        if (!d.zip)
            zl_zip.zip_source_free(src);
    }
    if (!d.zip) {
        zip_diag(&d, "not a DOCX document: not a zip archive", &ze);
        zl_zip.zip_error_fini(&ze);
        goto cleanup;
    }
    zl_zip.zip_error_fini(&ze);

    if (check_directory(&d) != ZL_OK || load_xml(&d, "word/document.xml", 1, &xdoc) != ZL_OK ||
        load_xml(&d, "word/styles.xml", 0, &xsty) != ZL_OK ||
        load_xml(&d, "word/numbering.xml", 0, &xnum) != ZL_OK ||
        load_xml(&d, "word/footnotes.xml", 0, &xfn) != ZL_OK)
        goto cleanup;

    if (xsty)
        load_styles(&d, xsty);
    if (xnum)
        load_numbering(&d, xnum);
    const xmlNode *root = zl_xml.xmlDocGetRootElement(xdoc);
    const xmlNode *bd = is_w(root, "document") ? wchild(root, "body") : NULL;
    if (!bd) {
        zl_diags_add(diags, ZL_D_FORMAT_UNSUPPORTED, d.path, 0, 0,
                     "not a DOCX document: word/document.xml has no w:document/w:body");
        goto cleanup;
    }
    body(&d, bd);
    if (xfn)
        footnotes(&d, xfn);
    if (d.text.err || d.text.len > UINT32_MAX) {
        zl_diags_add(diags, ZL_D_LIMIT, d.path, 0, 0, "DOCX text is larger than the limit");
        goto cleanup;
    }

    /* text: as built; src: the same bytes with in-paragraph breaks as spaces */
    size_t len = d.text.len;
    char *text = zl_arena_alloc(a, len + 1);
    char *s = zl_arena_alloc(a, len + 1);
    if (len)
        memcpy(text, d.text.data, len);
    text[len] = '\0';
    memcpy(s, text, len + 1);
    size_t b = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '\n')
            continue;
        while (b < d.n_blocks && (size_t)d.blocks[b].off + d.blocks[b].len < i)
            b++;
        if (!(b < d.n_blocks && (size_t)d.blocks[b].off + d.blocks[b].len == i))
            s[i] = ' ';
    }
    out->encoding = ZL_ENC_UTF8;
    out->bom_len = 0;
    out->src = s;
    out->src_len = len;
    out->text = text;
    out->text_len = len;
    out->n_blocks = d.n_blocks;
    out->blocks = zl_arena_calloc(a, d.n_blocks ? d.n_blocks : 1, sizeof *out->blocks);
    if (d.n_blocks)
        memcpy(out->blocks, d.blocks, d.n_blocks * sizeof *d.blocks);
    out->map = zl_arena_calloc(a, 1, sizeof *out->map); /* offsets identical, bytes may differ */
    out->n_map = 1;
    out->pos_kind = ZL_POS_PARAGRAPH;
    out->page_of_line = NULL;
    rc = ZL_OK;

cleanup:
    if (xdoc)
        zl_xml.xmlFreeDoc(xdoc);
    if (xsty)
        zl_xml.xmlFreeDoc(xsty);
    if (xnum)
        zl_xml.xmlFreeDoc(xnum);
    if (xfn)
        zl_xml.xmlFreeDoc(xfn);
    if (d.zip)
        zl_zip.zip_discard(d.zip);
    zl_buf_free(&d.text);
    free(d.blocks);
    return rc;
}

const zl_reader zl_reader_docx = {
    .name = "docx",
    .extensions = ".docx .docm .dotx .dotm",
    .sniff = docx_sniff,
    .read = docx_read,
};
