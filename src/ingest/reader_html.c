/*
 * reader_html.c - the HTML reader ("html": .html .htm .xhtml, and content
 * starting with "<!doctype html" or "<html").
 *
 * The bytes are decoded to UTF-8 (a BOM, else a <meta> charset in the first
 * 8 KiB, else detection) and kept whole, comments included, as `src`:
 * positions and suppression comments refer to the HTML file itself.  That
 * UTF-8 is parsed by libxml2's HTML parser (no network, no DTD, told the
 * input is UTF-8 so its offsets are ours; the library is loaded at the first
 * HTML document, see xmllib.h) through SAX callbacks, which give
 * the structure with implied end tags resolved.  Each character chunk is
 * located in `src` by matching it forward from the last known position,
 * decoding entities while matching, so every text byte maps to the source
 * byte (or the entity) it came from.
 *
 * Only the body is read; script, style, svg, head and the like are skipped.
 * Block elements become paragraphs, h1-h6 headings, li list items (label =
 * rendered number or "•", level = list depth), tr table rows with cells
 * joined by " | "; blocks are separated by "\n\n", <br> is "\n", and
 * whitespace collapses as in a browser.  Word's downlevel-revealed markers
 * (<![if ...]>, <![endif]>) and template directives ({{ }}, {% %}, {# #},
 * <% %>, <? ?>) are read as spaces.  Elements nested deeper than
 * ZL_HTML_MAX_DEPTH are refused with a limit diagnostic.
 */
#include "ingest/decode.h"
#include "ingest/ingest.h"
#include "ingest/xmllib.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

extern const zl_reader zl_reader_html;

#define ZL_HTML_MAX_DEPTH 256
#define META_SCAN ((size_t)8192)
#define DIRECTIVE_MAX ((size_t)256)
#define PI_MAX ((size_t)4096)
#define SLACK 8

/* ---- element classes ---- */

enum {
    EC_INLINE = 0,
    EC_SKIP,   /* not read, nor anything inside */
    EC_BODY,
    EC_BLOCK,  /* a paragraph boundary */
    EC_PRE,    /* a block that keeps its line breaks */
    EC_HEADING,
    EC_LIST,   /* ol, ul */
    EC_LI,
    EC_TABLE,
    EC_ROW,
    EC_CELL,
    EC_BR
};

static const struct {
    const char *name;
    uint8_t cls;
} elem_classes[] = {
    {"head", EC_SKIP},        {"script", EC_SKIP},     {"style", EC_SKIP},
    {"noscript", EC_SKIP},    {"template", EC_SKIP},   {"svg", EC_SKIP},
    {"math", EC_SKIP},        {"iframe", EC_SKIP},     {"object", EC_SKIP},
    {"embed", EC_SKIP},       {"canvas", EC_SKIP},     {"title", EC_SKIP},
    {"select", EC_SKIP},      {"textarea", EC_SKIP},   {"audio", EC_SKIP},
    {"video", EC_SKIP},       {"xml", EC_SKIP},        {"body", EC_BODY},
    {"p", EC_BLOCK},          {"div", EC_BLOCK},       {"section", EC_BLOCK},
    {"article", EC_BLOCK},    {"aside", EC_BLOCK},     {"header", EC_BLOCK},
    {"footer", EC_BLOCK},     {"main", EC_BLOCK},      {"nav", EC_BLOCK},
    {"blockquote", EC_BLOCK}, {"address", EC_BLOCK},   {"figure", EC_BLOCK},
    {"figcaption", EC_BLOCK}, {"dl", EC_BLOCK},        {"dd", EC_BLOCK},
    {"dt", EC_BLOCK},         {"hr", EC_BLOCK},        {"form", EC_BLOCK},
    {"fieldset", EC_BLOCK},   {"legend", EC_BLOCK},    {"details", EC_BLOCK},
    {"summary", EC_BLOCK},    {"center", EC_BLOCK},    {"caption", EC_BLOCK},
    {"pre", EC_PRE},          {"listing", EC_PRE},     {"h1", EC_HEADING},
    {"h2", EC_HEADING},       {"h3", EC_HEADING},      {"h4", EC_HEADING},
    {"h5", EC_HEADING},       {"h6", EC_HEADING},      {"ol", EC_LIST},
    {"ul", EC_LIST},          {"menu", EC_LIST},       {"dir", EC_LIST},
    {"li", EC_LI},            {"table", EC_TABLE},     {"tr", EC_ROW},
    {"td", EC_CELL},          {"th", EC_CELL},         {"br", EC_BR},
};

static uint8_t elem_class(const char *name)
{
    for (size_t i = 0; i < sizeof elem_classes / sizeof elem_classes[0]; i++)
        if (strcasecmp(name, elem_classes[i].name) == 0)
            return elem_classes[i].cls;
    return EC_INLINE;
}

/* ---- reader state ---- */

typedef struct elem {
    uint8_t cls;
    uint8_t ordered;   /* EC_LIST: ol */
    uint8_t used;      /* EC_LI: its block has been opened */
    char type;         /* EC_LIST: '1', 'a', 'A', 'i', 'I' */
    int reversed;      /* EC_LIST */
    long counter;      /* EC_LIST: the next item's number */
    const char *label; /* EC_LI */
    uint8_t level;     /* EC_LI: list depth; EC_HEADING: 1-6 */
} elem;

typedef struct range {
    size_t lo, hi;
} range;

/* pending separators, by strength */
enum { SEP_NONE = 0, SEP_SPACE, SEP_NEWLINE, SEP_CELL };

typedef struct html {
    zl_arena *a;
    const char *src;
    size_t n;
    htmlParserCtxtPtr ctxt;

    char *t; /* text being built (malloc) */
    size_t tlen, tcap;
    zl_map_run *map;
    size_t nmap, cmap;
    zl_block *blocks;
    size_t nb, cb;
    range *sup; /* source ranges read as spaces, sorted */
    size_t nsup, csup;
    size_t *offs; /* scratch: source offset of each byte of a chunk */
    size_t coffs;

    size_t cursor; /* no text left before this source offset */
    elem stack[ZL_HTML_MAX_DEPTH];
    int depth;      /* elements open (may exceed the stack: then too_deep) */
    int too_deep;
    int in_body;
    int skip;       /* >0: inside a skipped element, = its nesting */
    int pre;

    int open; /* a block is open in text */
    zl_block_kind kind;
    uint8_t level;
    const char *label;
    size_t blk_start;
    int sep;
    size_t sep_src;
} html;

/* ---- output ---- */

static size_t src_pos(const html *h)
{
    const xmlParserInputPtr in = h->ctxt->input;
    if (!in || !in->cur || !in->base)
        return h->cursor;
    size_t p = (size_t)in->consumed + (size_t)(in->cur - in->base);
    return p > h->n ? h->n : p;
}

static void put_byte(html *h, char c, size_t src_off)
{
    if (src_off >= h->n && h->n > 0)
        src_off = h->n - 1;
    if (h->nmap == 0 ||
        h->map[h->nmap - 1].src_off + (h->tlen - h->map[h->nmap - 1].text_off) != src_off) {
        h->map = zl_xgrow(h->map, &h->cmap, h->nmap + 1, sizeof *h->map);
        h->map[h->nmap].text_off = (uint32_t)h->tlen;
        h->map[h->nmap].src_off = (uint32_t)src_off;
        h->nmap++;
    }
    h->t = zl_xgrow(h->t, &h->tcap, h->tlen + 2, 1);
    h->t[h->tlen++] = c;
}

static void put_str(html *h, const char *s, size_t src_off)
{
    for (; *s; s++)
        put_byte(h, *s, src_off);
}

static void close_block(html *h)
{
    if (!h->open)
        return;
    h->blocks = zl_xgrow(h->blocks, &h->cb, h->nb + 1, sizeof *h->blocks);
    zl_block *b = &h->blocks[h->nb++];
    b->kind = h->kind;
    b->level = h->level;
    b->off = (uint32_t)h->blk_start;
    b->len = (uint32_t)(h->tlen - h->blk_start);
    b->label = h->label;
    h->open = 0;
    h->sep = SEP_NONE;
}

/* Is the innermost row-or-table context a row? */
static int in_row(const html *h)
{
    int top = h->depth < ZL_HTML_MAX_DEPTH ? h->depth : ZL_HTML_MAX_DEPTH;
    for (int i = top - 1; i >= 0; i--) {
        if (h->stack[i].cls == EC_ROW)
            return 1;
        if (h->stack[i].cls == EC_TABLE)
            return 0;
    }
    return 0;
}

/* Opens the block the text at `src_off` belongs to, from the open elements. */
static void open_block(html *h, size_t src_off)
{
    if (h->tlen > 0)
        put_str(h, "\n\n", src_off);
    h->open = 1;
    h->kind = ZL_BLK_PARAGRAPH;
    h->level = 0;
    h->label = NULL;
    h->blk_start = h->tlen;
    h->sep = SEP_NONE;
    int top = h->depth < ZL_HTML_MAX_DEPTH ? h->depth : ZL_HTML_MAX_DEPTH;
    for (int i = top - 1; i >= 0; i--) {
        elem *e = &h->stack[i];
        if (e->cls == EC_HEADING) {
            h->kind = ZL_BLK_HEADING;
            h->level = e->level;
            return;
        }
        if (e->cls == EC_LI) {
            if (!e->used) {
                e->used = 1;
                h->kind = ZL_BLK_LIST_ITEM;
                h->level = e->level;
                h->label = e->label;
            }
            return;
        }
        if (e->cls == EC_ROW) {
            h->kind = ZL_BLK_TABLE_ROW;
            return;
        }
        if (e->cls == EC_TABLE || e->cls == EC_LIST || e->cls == EC_BODY)
            return;
    }
}

static void set_sep(html *h, int sep, size_t src_off)
{
    if (h->open && sep > h->sep) {
        h->sep = sep;
        h->sep_src = src_off;
    }
}

/* A block element starts or ends: a new block follows, except inside a table
 * row, where it only separates words. */
static void boundary(html *h, int hard, size_t src_off)
{
    if (!h->open)
        return;
    if (!hard && h->kind == ZL_BLK_TABLE_ROW && in_row(h)) {
        set_sep(h, SEP_SPACE, src_off);
        return;
    }
    close_block(h);
}

/* One content character (not white space) with its bytes' source offsets. */
static void put_char(html *h, const char *s, size_t k, const size_t *offs)
{
    if (!h->open) {
        open_block(h, offs[0]);
    } else if (h->sep != SEP_NONE) {
        put_str(h, h->sep == SEP_CELL ? " | " : h->sep == SEP_NEWLINE ? "\n" : " ", h->sep_src);
        h->sep = SEP_NONE;
    }
    for (size_t i = 0; i < k; i++)
        put_byte(h, s[i], offs[i]);
}

/* ---- source scanning ---- */

static int starts_ci(const char *s, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    return n >= k && strncasecmp(s, lit, k) == 0;
}

static size_t find_lit(const char *s, size_t from, size_t to, const char *lit)
{
    size_t k = strlen(lit);
    for (size_t i = from; i + k <= to; i++)
        if (s[i] == lit[0] && memcmp(s + i, lit, k) == 0)
            return i;
    return SIZE_MAX;
}

/* Source ranges read as spaces: Word's <![if ...]> / <![endif]> markers and
 * template directives left in the page.  Comments are stepped over so that
 * nothing pairs across them. */
static void scan_suppressed(html *h)
{
    static const struct {
        const char *open, *close;
        size_t max;
    } pairs[] = {
        {"<![", "]>", DIRECTIVE_MAX}, {"{{", "}}", DIRECTIVE_MAX}, {"{%", "%}", DIRECTIVE_MAX},
        {"{#", "#}", DIRECTIVE_MAX},  {"<%", "%>", DIRECTIVE_MAX}, {"<?", "?>", PI_MAX},
    };
    const char *s = h->src;
    size_t n = h->n, i = 0;
    while (i < n) {
        if (s[i] != '<' && s[i] != '{') {
            const char *p = memchr(s + i, '<', n - i), *q = memchr(s + i, '{', n - i);
            const char *m = p && q ? (p < q ? p : q) : p ? p : q;
            if (!m)
                break;
            i = (size_t)(m - s);
        }
        if (starts_ci(s + i, n - i, "<!--")) {
            size_t e = find_lit(s, i + 4, n, "-->");
            if (e == SIZE_MAX)
                break;
            i = e + 3;
            continue;
        }
        size_t next = i + 1;
        for (size_t k = 0; k < sizeof pairs / sizeof pairs[0]; k++) {
            size_t ol = strlen(pairs[k].open);
            if (n - i < ol || memcmp(s + i, pairs[k].open, ol) != 0)
                continue;
            size_t lim = n - i > pairs[k].max ? i + pairs[k].max : n;
            size_t e = find_lit(s, i + ol, lim, pairs[k].close);
            if (e == SIZE_MAX)
                break;
            e += strlen(pairs[k].close);
            h->sup = zl_xgrow(h->sup, &h->csup, h->nsup + 1, sizeof *h->sup);
            h->sup[h->nsup].lo = i;
            h->sup[h->nsup].hi = e;
            h->nsup++;
            next = e;
            break;
        }
        i = next;
    }
}

static int suppressed(const html *h, size_t off)
{
    size_t lo = 0, hi = h->nsup;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (h->sup[mid].hi <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < h->nsup && h->sup[lo].lo <= off;
}

/* The character an entity at s[0..n) (s[0] == '&') stands for, as libxml2's
 * HTML parser decodes it: numeric references with or without ';', named
 * ones with ';'.  Returns the entity's source length (0 = none) and fills
 * out[0..*olen). */
static size_t entity_at(const char *s, size_t n, char out[4], size_t *olen)
{
    uint32_t cp = 0;
    size_t i = 1;
    if (n > 2 && s[1] == '#') {
        int hex = s[2] == 'x' || s[2] == 'X';
        i = hex ? 3 : 2;
        size_t d0 = i;
        while (i < n && i - d0 < 8) {
            char c = s[i];
            int v = c >= '0' && c <= '9'                ? c - '0'
                    : hex && c >= 'a' && c <= 'f'       ? c - 'a' + 10
                    : hex && c >= 'A' && c <= 'F'       ? c - 'A' + 10
                                                        : -1;
            if (v < 0)
                break;
            cp = cp * (hex ? 16u : 10u) + (uint32_t)v;
            i++;
        }
        if (i == d0 || cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        if (i < n && s[i] == ';')
            i++;
    } else {
        char name[40];
        while (i < n && i - 1 < sizeof name - 1 &&
               ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
                (s[i] >= '0' && s[i] <= '9'))) {
            name[i - 1] = s[i];
            i++;
        }
        if (i == 1 || i >= n || s[i] != ';')
            return 0;
        name[i - 1] = '\0';
        const htmlEntityDesc *e = zl_xml.htmlEntityLookup((const xmlChar *)name);
        if (!e)
            return 0;
        cp = e->value;
        i++;
    }
    *olen = zl_utf8_encode(cp, out);
    return i;
}

/* Matches chunk c[0..len) against the source from `p`; on success fills
 * h->offs and returns the source offset after the match, else SIZE_MAX. */
static size_t match_at(html *h, const char *c, size_t len, size_t p)
{
    const char *s = h->src;
    size_t n = h->n, i = 0, q = p;
    while (i < len) {
        if (q >= n)
            return SIZE_MAX;
        if (s[q] == '&') {
            char v[4];
            size_t vl = 0, el = entity_at(s + q, n - q, v, &vl);
            if (el && vl <= len - i && memcmp(c + i, v, vl) == 0) {
                for (size_t k = 0; k < vl; k++)
                    h->offs[i + k] = q + (k + 1 == vl ? el - 1 : k < el ? k : el - 1);
                h->offs[i] = q;
                i += vl;
                q += el;
                continue;
            }
        }
        if (c[i] == s[q]) {
            h->offs[i++] = q++;
        } else if (c[i] == '\n' && s[q] == '\r') {
            if (q + 1 < n && s[q + 1] == '\n')
                q++;
            h->offs[i++] = q++;
        } else {
            return SIZE_MAX;
        }
    }
    return q;
}

/* Locates a chunk of character data that libxml2 has just read (it ends near
 * the parser's position) in the source, filling h->offs. */
static void align(html *h, const char *c, size_t len)
{
    h->offs = zl_xgrow(h->offs, &h->coffs, len + 1, sizeof *h->offs);
    size_t pos = src_pos(h);
    size_t hi = (pos > h->cursor ? pos : h->cursor) + SLACK;
    if (hi > h->n)
        hi = h->n;
    for (size_t p = h->cursor; p < hi; p++) {
        char f = h->src[p];
        if (f != c[0] && f != '&' && !(c[0] == '\n' && f == '\r'))
            continue;
        size_t e = match_at(h, c, len, p);
        if (e != SIZE_MAX) {
            h->cursor = e;
            return;
        }
    }
    /* not found (libxml2 changed the text in a way not modelled here): the
     * chunk points at where the parser was */
    size_t at = h->cursor < h->n ? h->cursor : (h->n ? h->n - 1 : 0);
    while (at > 0 && ((unsigned char)h->src[at] & 0xC0) == 0x80)
        at--;
    for (size_t i = 0; i < len; i++)
        h->offs[i] = at;
}

static int is_space_cp(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == 0xA0;
}

/* ---- SAX callbacks ---- */

static void on_chars(void *ud, const xmlChar *xs, int xlen)
{
    html *h = ud;
    if (xlen <= 0 || !h->in_body || h->skip || h->too_deep) {
        size_t pos = src_pos(h);
        if (pos > h->cursor && (h->skip || !h->in_body))
            h->cursor = pos;
        return;
    }
    const char *c = (const char *)xs;
    size_t len = (size_t)xlen;
    align(h, c, len);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = zl_utf8_decode(c + i, len - i, &cp);
        if (k == 0) {
            k = 1;
            cp = 0xFFFD;
        }
        if (suppressed(h, h->offs[i])) {
            set_sep(h, SEP_SPACE, h->offs[i]);
        } else if (h->pre && (cp == '\n' || cp == '\r')) {
            if (cp == '\n')
                set_sep(h, SEP_NEWLINE, h->offs[i]);
        } else if (is_space_cp(cp)) {
            set_sep(h, SEP_SPACE, h->offs[i]);
        } else if (k == 1 && (unsigned char)c[i] < 0x20) {
            set_sep(h, SEP_SPACE, h->offs[i]); /* stray control character */
        } else {
            put_char(h, c + i, k, h->offs + i);
        }
        i += k;
    }
}

static void on_skipped(void *ud, const xmlChar *xs, int xlen)
{
    html *h = ud;
    (void)xs;
    (void)xlen;
    size_t pos = src_pos(h);
    if (pos > h->cursor)
        h->cursor = pos;
}

static void on_comment(void *ud, const xmlChar *value)
{
    (void)value;
    on_skipped(ud, NULL, 0);
}

static void on_pi(void *ud, const xmlChar *target, const xmlChar *data)
{
    (void)target;
    (void)data;
    on_skipped(ud, NULL, 0);
}

static const char *attr(const xmlChar **atts, const char *name)
{
    for (size_t i = 0; atts && atts[i]; i += 2)
        if (strcasecmp((const char *)atts[i], name) == 0)
            return atts[i + 1] ? (const char *)atts[i + 1] : "";
    return NULL;
}

static int parse_long(const char *s, long *out)
{
    if (!s)
        return 0;
    while (*s == ' ' || *s == '\t')
        s++;
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || v < -1000000000L || v > 1000000000L)
        return 0;
    *out = v;
    return 1;
}

/* The label of list item number `v` in a list of `type`, with a final dot. */
static const char *render_label(zl_arena *a, long v, char type)
{
    char buf[64];
    size_t k = 0;
    if ((type == 'a' || type == 'A') && v > 0) {
        char tmp[16];
        size_t m = 0;
        for (long x = v; x > 0 && m < sizeof tmp; x = (x - 1) / 26)
            tmp[m++] = (char)((type == 'a' ? 'a' : 'A') + (x - 1) % 26);
        while (m > 0)
            buf[k++] = tmp[--m];
    } else if ((type == 'i' || type == 'I') && v > 0 && v < 4000) {
        static const struct {
            int v;
            const char *s;
        } roman[] = {{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"},
                     {90, "xc"},  {50, "l"},   {40, "xl"}, {10, "x"},   {9, "ix"},
                     {5, "v"},    {4, "iv"},   {1, "i"}};
        long x = v;
        for (size_t r = 0; r < sizeof roman / sizeof roman[0]; r++)
            for (; x >= roman[r].v; x -= roman[r].v)
                for (const char *p = roman[r].s; *p; p++)
                    buf[k++] = type == 'I' ? (char)(*p - 'a' + 'A') : *p;
    } else {
        char tmp[24];
        size_t m = 0;
        unsigned long x = v < 0 ? (unsigned long)(-v) : (unsigned long)v;
        do {
            tmp[m++] = (char)('0' + x % 10);
            x /= 10;
        } while (x > 0);
        if (v < 0)
            buf[k++] = '-';
        while (m > 0)
            buf[k++] = tmp[--m];
    }
    buf[k++] = '.';
    return zl_arena_strndup(a, buf, k);
}

static void on_start(void *ud, const xmlChar *xname, const xmlChar **atts)
{
    html *h = ud;
    size_t pos = src_pos(h);
    if (pos > h->cursor)
        h->cursor = pos;
    h->depth++;
    if (h->depth > ZL_HTML_MAX_DEPTH) {
        h->too_deep = 1;
        zl_xml.xmlStopParser(h->ctxt);
        return;
    }
    elem *e = &h->stack[h->depth - 1];
    memset(e, 0, sizeof *e);
    if (h->skip) {
        e->cls = EC_SKIP;
        h->skip++;
        return;
    }
    const char *name = (const char *)xname;
    e->cls = elem_class(name);
    switch (e->cls) {
    case EC_SKIP:
        h->skip = 1;
        break;
    case EC_BODY:
        h->in_body++;
        break;
    case EC_PRE:
        h->pre++;
        boundary(h, 0, pos);
        break;
    case EC_BLOCK:
        boundary(h, 0, pos);
        break;
    case EC_HEADING:
        e->level = (uint8_t)(name[1] - '0');
        boundary(h, 0, pos);
        break;
    case EC_LIST: {
        e->ordered = strcasecmp(name, "ol") == 0;
        const char *ty = attr(atts, "type");
        e->type = ty && strchr("1aAiI", ty[0]) && ty[0] ? ty[0] : '1';
        e->reversed = attr(atts, "reversed") != NULL;
        if (!parse_long(attr(atts, "start"), &e->counter))
            e->counter = 1;
        boundary(h, 0, pos);
        break;
    }
    case EC_LI: {
        elem *list = NULL;
        uint8_t lv = 0;
        for (int i = h->depth - 2; i >= 0; i--) {
            if (h->stack[i].cls == EC_LIST) {
                if (!list)
                    list = &h->stack[i];
                if (lv < 255)
                    lv++;
            }
        }
        e->level = lv ? lv : 1;
        if (list && list->ordered) {
            long v;
            if (parse_long(attr(atts, "value"), &v))
                list->counter = v;
            e->label = render_label(h->a, list->counter, list->type);
            list->counter += list->reversed ? -1 : 1;
        } else {
            e->label = "\xE2\x80\xA2"; /* • */
        }
        boundary(h, 0, pos);
        break;
    }
    case EC_TABLE:
    case EC_ROW:
        boundary(h, 1, pos);
        break;
    case EC_CELL:
        if (h->open && h->kind == ZL_BLK_TABLE_ROW && in_row(h))
            set_sep(h, SEP_CELL, pos);
        else if (!in_row(h))
            boundary(h, 0, pos);
        break;
    case EC_BR:
        if (!h->open)
            break;
        if (h->kind == ZL_BLK_TABLE_ROW)
            set_sep(h, SEP_SPACE, pos);
        else if (h->sep == SEP_NEWLINE)
            close_block(h); /* <br><br>: a paragraph break */
        else
            set_sep(h, SEP_NEWLINE, pos);
        break;
    default:
        break;
    }
}

static void on_end(void *ud, const xmlChar *xname)
{
    html *h = ud;
    (void)xname;
    size_t pos = src_pos(h);
    if (pos > h->cursor)
        h->cursor = pos;
    if (h->depth <= 0)
        return;
    if (h->depth > ZL_HTML_MAX_DEPTH) {
        h->depth--;
        return;
    }
    elem *e = &h->stack[h->depth - 1];
    if (h->skip) {
        h->skip--;
        h->depth--;
        return;
    }
    switch (e->cls) {
    case EC_BODY:
        close_block(h);
        if (h->in_body > 0)
            h->in_body--;
        break;
    case EC_PRE:
        if (h->pre > 0)
            h->pre--;
        boundary(h, 0, pos);
        break;
    case EC_BLOCK:
    case EC_HEADING:
    case EC_LIST:
    case EC_LI:
        boundary(h, 0, pos);
        break;
    case EC_TABLE:
    case EC_ROW:
        h->depth--; /* the row being closed is no longer a row context */
        boundary(h, 1, pos);
        return;
    case EC_CELL:
        if (!in_row(h))
            boundary(h, 0, pos);
        break;
    default:
        break;
    }
    h->depth--;
}

static void on_error(void *ud, xmlErrorPtr err)
{
    (void)ud;
    (void)err;
}

/* ---- encoding ---- */

/* The encoding a <meta> in the first bytes declares, as zl_decode names it,
 * or NULL (none, or one zl_decode does not know). */
static const char *meta_charset(const char *b, size_t n)
{
    size_t lim = n < META_SCAN ? n : META_SCAN;
    for (size_t i = 0; i + 5 < lim; i++) {
        if (b[i] != '<' || !starts_ci(b + i, lim - i, "<meta"))
            continue;
        size_t e = i + 5;
        while (e < lim && b[e] != '>')
            e++;
        for (size_t j = i + 5; j + 7 < e; j++) {
            if (!starts_ci(b + j, e - j, "charset"))
                continue;
            size_t k = j + 7;
            while (k < e && (b[k] == ' ' || b[k] == '\t'))
                k++;
            if (k >= e || b[k] != '=')
                continue;
            k++;
            while (k < e && (b[k] == ' ' || b[k] == '\t' || b[k] == '"' || b[k] == '\''))
                k++;
            size_t s = k;
            while (k < e && k - s < 32 &&
                   ((b[k] >= 'a' && b[k] <= 'z') || (b[k] >= 'A' && b[k] <= 'Z') ||
                    (b[k] >= '0' && b[k] <= '9') || b[k] == '-' || b[k] == '_'))
                k++;
            size_t len = k - s;
            static const struct {
                const char *name, *enc;
            } names[] = {
                {"utf-8", "utf-8"},         {"utf8", "utf-8"},     {"windows-1251", "cp1251"},
                {"cp1251", "cp1251"},       {"x-cp1251", "cp1251"}, {"win-1251", "cp1251"},
                {"koi8-r", "koi8-r"},       {"koi8r", "koi8-r"},
            };
            for (size_t q = 0; q < sizeof names / sizeof names[0]; q++)
                if (strlen(names[q].name) == len && strncasecmp(b + s, names[q].name, len) == 0)
                    return names[q].enc;
            return NULL;
        }
        i = e;
    }
    return NULL;
}

/* Valid UTF-8 with at least one multi-byte sequence: a page saved as UTF-8
 * whose <meta> still names a single-byte code page. */
static int plainly_utf8(const char *b, size_t n)
{
    int multi = 0;
    for (size_t i = 0; i < n;) {
        if ((unsigned char)b[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t k = zl_utf8_decode(b + i, n - i, &cp);
        if (k == 0)
            return 0;
        multi = 1;
        i += k;
    }
    return multi;
}

static const char *pick_encoding(const char *b, size_t n, const zl_load_opts *opts)
{
    if (opts && opts->encoding && opts->encoding[0])
        return opts->encoding;
    const unsigned char *u = (const unsigned char *)b;
    if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
        return NULL;
    if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
        return NULL;
    const char *m = meta_charset(b, n);
    if (m && strcmp(m, "utf-8") != 0 && plainly_utf8(b, n))
        return NULL;
    return m;
}

/* ---- the reader ---- */

static int html_sniff(const char *bytes, size_t n)
{
    const unsigned char *u = (const unsigned char *)bytes;
    size_t i = 0, stride = 1;
    if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        i = 3;
    } else if (n >= 2 && u[0] == 0xFF && u[1] == 0xFE) {
        i = 2;
        stride = 2;
    } else if (n >= 2 && u[0] == 0xFE && u[1] == 0xFF) {
        i = 3;
        stride = 2;
    }
    /* ASCII view of the first bytes */
    char head[512];
    size_t k = 0;
    if (stride == 1) {
        k = n - i < sizeof head - 1 ? n - i : sizeof head - 1;
        memcpy(head, u + i, k);
    } else {
        for (; i < n && k < sizeof head - 1; i += stride)
            head[k++] = (char)u[i];
    }
    head[k] = '\0';
    size_t p = 0;
    for (int rounds = 0; rounds < 8; rounds++) {
        while (p < k && (head[p] == ' ' || head[p] == '\t' || head[p] == '\r' ||
                         head[p] == '\n' || head[p] == '\f'))
            p++;
        if (starts_ci(head + p, k - p, "<!doctype html") || starts_ci(head + p, k - p, "<html"))
            return 1;
        size_t e = SIZE_MAX;
        if (starts_ci(head + p, k - p, "<!--"))
            e = find_lit(head, p + 4, k, "-->");
        else if (starts_ci(head + p, k - p, "<?xml"))
            e = find_lit(head, p + 5, k, "?>");
        if (e == SIZE_MAX)
            return 0;
        p = e + (head[e] == '-' ? 3 : 2);
    }
    return 0;
}

static void html_free(html *h)
{
    free(h->t);
    free(h->map);
    free(h->blocks);
    free(h->sup);
    free(h->offs);
}

/* An HTML report of zanlint itself (report_html.c writes this generator
 * line near the top of its head): its excerpts would be linted as a policy. */
int zl_html_own_report(const char *s, size_t n)
{
    static const char mark[] = "<meta name=\"generator\" content=\"zanlint ";
    size_t m = sizeof mark - 1, lim = n < 1024 ? n : 1024;
    for (const char *p = s; lim - (size_t)(p - s) >= m;) {
        p = memchr(p, '<', lim - (size_t)(p - s) - m + 1);
        if (!p)
            return 0;
        if (memcmp(p, mark, m) == 0)
            return 1;
        p++;
    }
    return 0;
}

static int html_read(zl_arena *a, const char *bytes, size_t n, const zl_load_opts *opts,
                     zl_input *out, zl_diags *diags)
{
    const char *lib_err;
    if (zl_xml_load(&lib_err) != ZL_OK) {
        char msg[512];
        snprintf(msg, sizeof msg, "HTML support needs libxml2: %s", lib_err);
        zl_diags_add(diags, ZL_D_FORMAT_UNSUPPORTED, out->path, 0, 0, msg);
        return ZL_ERR;
    }
    zl_decoded d;
    if (zl_decode(a, out->path, bytes, n, pick_encoding(bytes, n, opts), &d, diags) != ZL_OK)
        return ZL_ERR;
    if (d.len > INT_MAX) {
        zl_diags_add(diags, ZL_D_LIMIT, out->path, 0, 0, "HTML larger than 2 GiB");
        return ZL_ERR;
    }
    if (zl_html_own_report(d.text, d.len)) {
        zl_diags_add(diags, ZL_D_IO_OWN_REPORT, out->path, 0, 0);
        return ZL_ERR;
    }
    out->encoding = d.encoding;
    out->bom_len = d.bom_len;
    out->src = d.text;
    out->src_len = d.len;
    out->pos_kind = ZL_POS_LINE;

    html h;
    memset(&h, 0, sizeof h);
    h.a = a;
    h.src = d.text;
    h.n = d.len;
    scan_suppressed(&h);

    int rc = ZL_OK;
    h.ctxt = zl_xml.htmlCreateMemoryParserCtxt(d.text, (int)d.len);
    if (!h.ctxt) {
        zl_diags_add(diags, ZL_D_LIMIT, out->path, 0, 0, "cannot create the HTML parser");
        html_free(&h);
        return ZL_ERR;
    }
    zl_xml.htmlCtxtUseOptions(h.ctxt, HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                          HTML_PARSE_RECOVER | HTML_PARSE_NODEFDTD);
    htmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC; /* so that serror is used: errors are dropped */
    sax.serror = on_error;
    sax.startElement = on_start;
    sax.endElement = on_end;
    sax.characters = on_chars;
    sax.ignorableWhitespace = on_chars;
    sax.cdataBlock = on_skipped;
    sax.comment = on_comment;
    sax.processingInstruction = on_pi;
    memcpy(h.ctxt->sax, &sax, sizeof sax);
    h.ctxt->userData = &h;
    /* the bytes are UTF-8 whatever a <meta> says: libxml2 reads them as
     * such, so its offsets are offsets in src */
    xmlCharEncodingHandlerPtr utf8 = zl_xml.xmlFindCharEncodingHandler("UTF-8");
    if (utf8)
        zl_xml.xmlSwitchToEncoding(h.ctxt, utf8);
    if (h.ctxt->input->encoding)
        (*zl_xml.xmlFreeVar)((xmlChar *)h.ctxt->input->encoding);
    h.ctxt->input->encoding = zl_xml.xmlStrdup((const xmlChar *)"UTF-8");
    zl_xml.htmlParseDocument(h.ctxt);
    close_block(&h);
    h.ctxt->sax->initialized = 0;
    zl_xml.htmlFreeParserCtxt(h.ctxt);
    h.ctxt = NULL;

    if (h.too_deep) {
        zl_diags_add(diags, ZL_D_LIMIT, out->path, 0, 0,
                     "HTML elements nested deeper than 256 levels");
        rc = ZL_ERR;
        goto cleanup;
    }
    if (h.tlen > UINT32_MAX) {
        zl_diags_add(diags, ZL_D_LIMIT, out->path, 0, 0, "text larger than 4 GiB");
        rc = ZL_ERR;
        goto cleanup;
    }
    char *text = zl_arena_alloc(a, h.tlen + 1);
    if (h.tlen)
        memcpy(text, h.t, h.tlen);
    text[h.tlen] = '\0';
    out->text = text;
    out->text_len = h.tlen;
    out->blocks = h.nb ? zl_arena_memdup(a, h.blocks, h.nb * sizeof *h.blocks) : NULL;
    out->n_blocks = h.nb;
    if (h.nmap == 0) {
        /* empty text: one run, so the map is not read as the identity */
        out->map = zl_arena_calloc(a, 1, sizeof *out->map);
        out->n_map = 1;
    } else {
        out->map = zl_arena_memdup(a, h.map, h.nmap * sizeof *h.map);
        out->n_map = h.nmap;
    }
cleanup:
    html_free(&h);
    return rc;
}

const zl_reader zl_reader_html = {
    .name = "html",
    .extensions = ".html .htm .xhtml",
    .sniff = html_sniff,
    .read = html_read,
};
