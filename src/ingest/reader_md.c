/*
 * reader_md.c - the Markdown reader ("md": .md .markdown).
 *
 * Decodes the bytes, then builds the logical text as a copy of the source in
 * which Markdown markup is overwritten with spaces of the same byte length, so
 * every kept character stays at its source offset and the map is the
 * identity.  Line endings are never blanked, so lines match the file.  List
 * markers ("-", "*", "1.") are kept: the segmenter reads them as clause
 * bullets and numbers.  HTML comments are blanked in `text` but stay in `src`,
 * where suppression directives are read later.
 *
 * The parser is a line-oriented subset of CommonMark + GFM tables, enough
 * for policy documents: ATX and setext headings, paragraphs, list items
 * (nesting from indentation), block quotes, fenced code (blanked), thematic
 * breaks, link reference definitions, tables; inline: escapes, code spans,
 * emphasis and strikethrough around words, links, images, autolinks, HTML
 * comments and tags.  Indented code blocks and entities are left as text.
 * It hands the text stage typed blocks (heading, list item, paragraph, table
 * row), sorted and non-overlapping.
 */
#include "ingest/decode.h"
#include "ingest/ingest.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

extern const zl_reader zl_reader_md;

typedef struct delim {
    size_t pos, len, rem; /* run [pos, pos+len); rem = chars not yet matched */
    char ch;
    int can_open, can_close;
} delim;

typedef struct md {
    zl_arena *a;
    const char *src; /* the decoded source: flanking is judged on it */
    char *t;         /* the text being blanked */
    size_t n;

    zl_block *blocks;
    size_t n_blocks, cap_blocks;

    /* the open block (paragraph, list item, or paragraph turning into a setext heading) */
    int open;
    zl_block_kind kind;
    uint8_t level;
    const char *label;
    size_t start, end, inl_start;
    int quote;

    size_t *lists; /* content column of each open list item, outermost first */
    size_t n_lists, cap_lists;

    int in_fence;
    char fence_ch;
    size_t fence_len;
    int in_comment;
    int in_table;
} md;

/* ---- helpers ---- */

static void blank(md *m, size_t from, size_t to)
{
    for (size_t i = from; i < to && i < m->n; i++)
        if (m->t[i] != '\n' && m->t[i] != '\r')
            m->t[i] = ' ';
}

static int is_sp(char c)
{
    return c == ' ' || c == '\t';
}

static int is_ascii_punct(unsigned char c)
{
    return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) ||
           (c >= 0x7B && c <= 0x7E);
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int cp_is_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
           c == 0xA0 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F ||
           c == 0x3000;
}

static int cp_is_punct(uint32_t c)
{
    if (c < 0x80)
        return is_ascii_punct((unsigned char)c);
    return c == 0xA7 || c == 0xAB || c == 0xBB || c == 0x2116 || (c >= 0x2010 && c <= 0x2027) ||
           (c >= 0x2030 && c <= 0x205E);
}

/* Code point ending just before byte `i` (space at the range start). */
static uint32_t cp_before(const md *m, size_t lo, size_t i)
{
    if (i <= lo)
        return ' ';
    size_t k = i - 1;
    while (k > lo && ((unsigned char)m->src[k] & 0xC0) == 0x80 && i - k < 4)
        k--;
    uint32_t cp;
    return zl_utf8_decode(m->src + k, i - k, &cp) == i - k ? cp : 0xFFFD;
}

static uint32_t cp_at(const md *m, size_t i, size_t hi)
{
    if (i >= hi)
        return ' ';
    uint32_t cp;
    return zl_utf8_decode(m->src + i, hi - i, &cp) ? cp : 0xFFFD;
}

static size_t find_str(const md *m, size_t from, size_t to, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = from; i + k <= to; i++)
        if (memcmp(m->t + i, needle, k) == 0)
            return i;
    return SIZE_MAX;
}

/* ---- inline markup ----
 *
 * One left-to-right pass per block (CommonMark's approach, so the work stays
 * linear on hostile input): emphasis runs go on a delimiter list, '[' and
 * '![' on a bracket stack; a ']' closes the nearest '[' and, when a link
 * destination or reference follows, blanks the brackets and resolves the
 * emphasis inside the link text.  Searches that can fail (closing backticks,
 * "-->") remember their failure so they are not repeated, and scans for link
 * destinations and tags are bounded.
 */

#define MAX_PAREN_DEPTH 32
#define MAX_LABEL 999
#define MAX_TAG 1024
#define MAX_BACKTICKS 32

typedef struct bracket {
    size_t pos;   /* the '[' */
    size_t bang;  /* the '!' of an image, or SIZE_MAX */
    size_t delim; /* number of delimiters before it */
} bracket;

typedef struct inl {
    md *m;
    size_t s, e;
    delim *d;
    size_t nd, cap_d;
    bracket *br;
    size_t nbr, cap_br;
    size_t bt_fail[MAX_BACKTICKS + 1]; /* no closing run of k backticks after this */
    int no_comment_end;                /* no "-->" after the last failed search */
} inl;

/* Index of the backtick run of exactly `k` backticks in [from, e), or SIZE_MAX. */
static size_t find_backticks(const md *m, size_t from, size_t e, size_t k)
{
    size_t i = from;
    while (i < e) {
        if (m->t[i] != '`') {
            i++;
            continue;
        }
        size_t j = i;
        while (j < e && m->t[j] == '`')
            j++;
        if (j - i == k)
            return i;
        i = j;
    }
    return SIZE_MAX;
}

/* After a ']' at `j`: the end (inclusive) of "(destination "title")" or of a
 * reference "[label]", or SIZE_MAX.  Destinations stop at whitespace unless a
 * title follows; nesting of parentheses is bounded. */
static size_t link_tail_end(const md *m, size_t j, size_t e)
{
    size_t k = j + 1;
    if (k >= e)
        return SIZE_MAX;
    if (m->t[k] == '[') {
        for (size_t q = k + 1; q < e && q - k <= MAX_LABEL; q++) {
            if (m->t[q] == '\\')
                q++;
            else if (m->t[q] == '[')
                return SIZE_MAX;
            else if (m->t[q] == ']')
                return q;
        }
        return SIZE_MAX;
    }
    if (m->t[k] != '(')
        return SIZE_MAX;
    int depth = 1;
    size_t q = k + 1;
    while (q < e && is_sp(m->t[q]))
        q++;
    for (; q < e; q++) {
        char c = m->t[q];
        if (c == '\\' && q + 1 < e)
            q++;
        else if (c == '(') {
            if (++depth > MAX_PAREN_DEPTH)
                return SIZE_MAX;
        } else if (c == ')') {
            if (--depth == 0)
                return q;
        } else if (is_sp(c) || c == '\n' || c == '\r')
            break;
    }
    /* optional title, then ')' */
    while (q < e && (is_sp(m->t[q]) || m->t[q] == '\n' || m->t[q] == '\r'))
        q++;
    if (q < e && m->t[q] == ')')
        return q;
    if (q >= e || (m->t[q] != '"' && m->t[q] != '\''))
        return SIZE_MAX;
    char quote = m->t[q];
    for (q++; q < e && m->t[q] != quote; q++)
        if (m->t[q] == '\\')
            q++;
    if (q >= e)
        return SIZE_MAX;
    for (q++; q < e && is_sp(m->t[q]); q++)
        ;
    return q < e && m->t[q] == ')' ? q : SIZE_MAX;
}

/* An autolink <scheme:...> or <user@host>: returns the index of its '>' or SIZE_MAX. */
static size_t autolink_end(const md *m, size_t i, size_t e)
{
    size_t k = i + 1;
    if (k < e && is_alpha(m->t[k])) {
        size_t s = k;
        while (k < e && (is_alpha(m->t[k]) || is_digit(m->t[k]) || m->t[k] == '+' ||
                         m->t[k] == '.' || m->t[k] == '-'))
            k++;
        if (k < e && m->t[k] == ':' && k - s >= 2 && k - s <= 32) {
            for (k++; k < e; k++) {
                unsigned char c = (unsigned char)m->t[k];
                if (c == '>')
                    return k;
                if (c <= ' ' || c == '<')
                    return SIZE_MAX;
            }
            return SIZE_MAX;
        }
    }
    /* e-mail */
    int at = 0;
    for (k = i + 1; k < e; k++) {
        char c = m->t[k];
        if (c == '@') {
            if (at || k == i + 1)
                return SIZE_MAX;
            at = 1;
        } else if (c == '>')
            return at && m->t[k - 1] != '@' ? k : SIZE_MAX;
        else if (!(is_alpha(c) || is_digit(c) || strchr(".!#$%&'*+/=?^_`{|}~-", c)))
            return SIZE_MAX;
    }
    return SIZE_MAX;
}

/* An HTML tag <name ...>, </name>, <name/>: returns the index of its '>' or SIZE_MAX. */
static size_t html_tag_end(const md *m, size_t i, size_t e)
{
    if (e - i > MAX_TAG)
        e = i + MAX_TAG;
    size_t k = i + 1;
    if (k < e && m->t[k] == '/')
        k++;
    if (k >= e || !is_alpha(m->t[k]))
        return SIZE_MAX;
    while (k < e && (is_alpha(m->t[k]) || is_digit(m->t[k]) || m->t[k] == '-'))
        k++;
    if (k < e && m->t[k] == '>')
        return k;
    if (k >= e || !(is_sp(m->t[k]) || m->t[k] == '/' || m->t[k] == '\n' || m->t[k] == '\r'))
        return SIZE_MAX;
    char quote = 0;
    for (; k < e; k++) {
        char c = m->t[k];
        if (quote) {
            if (c == quote)
                quote = 0;
        } else if (c == '"' || c == '\'')
            quote = c;
        else if (c == '>')
            return k;
        else if (c == '<')
            return SIZE_MAX;
    }
    return SIZE_MAX;
}

static void add_delim(inl *x, size_t i, size_t k)
{
    md *m = x->m;
    char ch = m->t[i];
    uint32_t prev = cp_before(m, x->s, i), next = cp_at(m, i + k, x->e);
    int ws_p = cp_is_space(prev), ws_n = cp_is_space(next);
    int pu_p = cp_is_punct(prev), pu_n = cp_is_punct(next);
    int left = !ws_n && (!pu_n || ws_p || pu_p);
    int right = !ws_p && (!pu_p || ws_n || pu_n);
    int intraword = !ws_p && !pu_p && !ws_n && !pu_n;
    int can_open, can_close;
    if (ch == '_') {
        can_open = left && (!right || pu_p);
        can_close = right && (!left || pu_n);
    } else {
        can_open = left;
        can_close = right;
    }
    /* stricter than CommonMark: never inside a word (snake_case, 2*3) */
    if (intraword || (!can_open && !can_close))
        return;
    x->d = zl_xgrow(x->d, &x->cap_d, x->nd + 1, sizeof *x->d);
    x->d[x->nd++] = (delim){i, k, k, ch, can_open, can_close};
}

static int delim_slot(char ch)
{
    return ch == '*' ? 0 : ch == '_' ? 1 : 2;
}

/* Pairs the emphasis delimiters d[lo..hi) (closest opener first) and blanks
 * the matched characters: the inner end of the opener, the inner start of
 * the closer.  bottom[] remembers, per character, below which index no
 * opener is left, so a run of unmatched closers costs linear time. */
static void resolve_emphasis(md *m, delim *d, size_t lo, size_t hi)
{
    size_t bottom[3] = {lo, lo, lo};
    for (size_t c = lo; c < hi; c++) {
        if (!d[c].can_close)
            continue;
        int slot = delim_slot(d[c].ch);
        while (d[c].rem > 0) {
            size_t o = SIZE_MAX;
            for (size_t k = c; k-- > bottom[slot];) {
                if (d[k].ch == d[c].ch && d[k].can_open && d[k].rem > 0) {
                    o = k;
                    break;
                }
            }
            if (o == SIZE_MAX) {
                bottom[slot] = c;
                break;
            }
            size_t use = d[o].rem >= 2 && d[c].rem >= 2 ? 2 : 1;
            blank(m, d[o].pos + d[o].rem - use, d[o].pos + d[o].rem);
            size_t cs = d[c].pos + (d[c].len - d[c].rem);
            blank(m, cs, cs + use);
            d[o].rem -= use;
            d[c].rem -= use;
            for (size_t k = o + 1; k < c; k++)
                d[k].rem = 0;
        }
    }
}

/* A ']' at `j`: closes the innermost open bracket when a link tail follows.
 * Returns the index to continue from. */
static size_t close_bracket(inl *x, size_t j)
{
    md *m = x->m;
    if (x->nbr == 0)
        return j + 1;
    bracket b = x->br[--x->nbr];
    size_t k = link_tail_end(m, j, x->e);
    if (k == SIZE_MAX)
        return j + 1; /* the '[' stays literal */
    if (b.bang != SIZE_MAX)
        blank(m, b.bang, b.bang + 1);
    blank(m, b.pos, b.pos + 1);
    blank(m, j, k + 1);
    /* the link text is its own scope for emphasis */
    resolve_emphasis(m, x->d, b.delim, x->nd);
    x->nd = b.delim;
    /* links do not nest: earlier '[' can no longer start one */
    if (b.bang == SIZE_MAX) {
        size_t keep = 0;
        for (size_t i = 0; i < x->nbr; i++)
            if (x->br[i].bang != SIZE_MAX)
                x->br[keep++] = x->br[i];
        x->nbr = keep;
    }
    return k + 1;
}

static size_t code_span(inl *x, size_t i)
{
    md *m = x->m;
    size_t k = i;
    while (k < x->e && m->t[k] == '`')
        k++;
    size_t len = k - i;
    if (len > MAX_BACKTICKS || (x->bt_fail[len] != 0 && x->bt_fail[len] <= i))
        return k;
    size_t close = find_backticks(m, k, x->e, len);
    if (close == SIZE_MAX) {
        x->bt_fail[len] = i ? i : 1;
        return k;
    }
    blank(m, i, k);
    blank(m, close, close + len);
    return close + len;
}

static size_t angle(inl *x, size_t i)
{
    md *m = x->m;
    size_t end, e = x->e;
    if (e - i >= 4 && memcmp(m->t + i, "<!--", 4) == 0) {
        size_t f = x->no_comment_end ? SIZE_MAX : find_str(m, i + 4, e, "-->");
        if (f == SIZE_MAX) {
            x->no_comment_end = 1;
            return i + 1;
        }
        blank(m, i, f + 3);
        return f + 3;
    }
    if ((end = autolink_end(m, i, e)) != SIZE_MAX) {
        blank(m, i, i + 1);
        blank(m, end, end + 1);
        return end + 1;
    }
    if ((end = html_tag_end(m, i, e)) != SIZE_MAX) {
        blank(m, i, end + 1);
        return end + 1;
    }
    return i + 1;
}

/* The bytes inline_range() acts on: \ ` < [ ! ] * _ ~ (and ^, which sits
 * between them and costs one more look). */
static int inline_stop(unsigned char c)
{
    return c == '!' || c == '*' || c == '<' || (c >= '[' && c <= '`') || c == '~';
}

/* The first index in [i, e) of t holding a byte inline_range() acts on, or
 * e.  Policy text has one every few hundred bytes: SSE2 looks at 16 bytes
 * at a time. */
static size_t skip_plain(const char *t, size_t i, size_t e)
{
#if defined(__SSE2__)
    const __m128i lo = _mm_set1_epi8('['), span = _mm_set1_epi8('`' - '[');
    while (e - i >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(t + i));
        __m128i d = _mm_sub_epi8(v, lo);
        __m128i hit = _mm_cmpeq_epi8(_mm_min_epu8(d, span), d); /* [ \ ] ^ _ ` */
        hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8('!')));
        hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8('*')));
        hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8('<')));
        hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8('~')));
        unsigned mask = (unsigned)_mm_movemask_epi8(hit);
        if (mask)
            return i + (size_t)__builtin_ctz(mask);
        i += 16;
    }
#endif
    while (i < e && !inline_stop((unsigned char)t[i]))
        i++;
    return i;
}

/* Blanks the inline markup of text bytes [s, e). */
static void inline_range(md *m, size_t s, size_t e)
{
    inl x;
    memset(&x, 0, sizeof x);
    x.m = m;
    x.s = s;
    x.e = e;
    size_t i = s;
    while ((i = skip_plain(m->t, i, e)) < e) {
        char c = m->t[i];
        if (c == '\\' && i + 1 < e) {
            char nx = m->t[i + 1];
            if (is_ascii_punct((unsigned char)nx)) {
                blank(m, i, i + 1);
                i += 2;
                continue;
            }
            if (nx == '\n' || nx == '\r') /* hard line break */
                blank(m, i, i + 1);
            i++;
        } else if (c == '`') {
            i = code_span(&x, i);
        } else if (c == '<') {
            i = angle(&x, i);
        } else if (c == '[' || (c == '!' && i + 1 < e && m->t[i + 1] == '[')) {
            x.br = zl_xgrow(x.br, &x.cap_br, x.nbr + 1, sizeof *x.br);
            size_t lb = c == '!' ? i + 1 : i;
            x.br[x.nbr++] = (bracket){lb, c == '!' ? i : SIZE_MAX, x.nd};
            i = lb + 1;
        } else if (c == ']') {
            i = close_bracket(&x, i);
        } else if (c == '*' || c == '_' || c == '~') {
            size_t k = i;
            while (k < e && m->t[k] == c)
                k++;
            if (c != '~' || k - i == 2)
                add_delim(&x, i, k - i);
            i = k;
        } else
            i++;
    }
    resolve_emphasis(m, x.d, 0, x.nd);
    free(x.d);
    free(x.br);
}

/* ---- blocks ---- */

static void push_block(md *m, zl_block_kind kind, uint8_t level, size_t s, size_t e,
                       const char *label)
{
    while (s < e && (is_sp(m->t[s]) || m->t[s] == '\n' || m->t[s] == '\r'))
        s++;
    while (e > s && (is_sp(m->t[e - 1]) || m->t[e - 1] == '\n' || m->t[e - 1] == '\r'))
        e--;
    if (e <= s)
        return;
    m->blocks = zl_xgrow(m->blocks, &m->cap_blocks, m->n_blocks + 1, sizeof *m->blocks);
    zl_block *b = &m->blocks[m->n_blocks++];
    b->kind = kind;
    b->level = level;
    b->off = (uint32_t)s;
    b->len = (uint32_t)(e - s);
    b->label = label;
}

static void close_block(md *m)
{
    if (!m->open)
        return;
    m->open = 0;
    inline_range(m, m->inl_start, m->end);
    push_block(m, m->kind, m->level, m->start, m->end, m->label);
}

static void open_block(md *m, zl_block_kind kind, uint8_t level, const char *label, size_t start,
                       size_t inl_start, size_t end, int quote)
{
    close_block(m);
    m->open = 1;
    m->kind = kind;
    m->level = level;
    m->label = label;
    m->start = start;
    m->inl_start = inl_start;
    m->end = end;
    m->quote = quote;
}

/* Closes the lists the line at column `col` is not inside of. */
static void pop_lists(md *m, size_t col)
{
    while (m->n_lists > 0 && col < m->lists[m->n_lists - 1])
        m->n_lists--;
}

/* Column where the innermost list containing column `col` has its content. */
static size_t container_col(const md *m, size_t col)
{
    for (size_t k = m->n_lists; k-- > 0;)
        if (m->lists[k] <= col)
            return m->lists[k];
    return 0;
}

/* A line of only `c` characters (at least `min`), optional spaces between
 * when `spaced`, trailing spaces allowed. */
static int is_rule_line(const md *m, size_t q, size_t e, char c, size_t min, int spaced)
{
    size_t count = 0;
    int seen_gap = 0;
    for (size_t i = q; i < e; i++) {
        if (m->t[i] == c) {
            if (seen_gap && !spaced)
                return 0;
            count++;
        } else if (is_sp(m->t[i]))
            seen_gap = 1;
        else
            return 0;
    }
    return count >= min;
}

/* GFM table delimiter row: | :--- | ---: |, at least one '|' and one '-'. */
static int is_delim_row(const md *m, size_t q, size_t e)
{
    int pipe = 0, dash = 0;
    for (size_t i = q; i < e; i++) {
        char c = m->t[i];
        if (c == '|')
            pipe = 1;
        else if (c == '-')
            dash = 1;
        else if (c != ':' && !is_sp(c))
            return 0;
    }
    return pipe && dash;
}

static void line_bounds(const md *m, size_t ls, size_t *ce, size_t *next)
{
    const char *nl = memchr(m->t + ls, '\n', m->n - ls);
    size_t le = nl ? (size_t)(nl - m->t) : m->n;
    *next = nl ? le + 1 : m->n;
    if (le > ls && m->t[le - 1] == '\r')
        le--;
    *ce = le;
}

/* Whether the line after the one ending at `next` is a table delimiter row. */
static int next_is_delim_row(const md *m, size_t next)
{
    if (next >= m->n)
        return 0;
    size_t ce, nn;
    line_bounds(m, next, &ce, &nn);
    size_t q = next;
    while (q < ce && (is_sp(m->t[q]) || m->t[q] == '>'))
        q++;
    return is_delim_row(m, q, ce);
}

static int has_unescaped_pipe(const md *m, size_t q, size_t e)
{
    if (!memchr(m->t + q, '|', e - q))
        return 0;
    for (size_t i = q; i < e; i++) {
        if (m->t[i] == '\\')
            i++;
        else if (m->t[i] == '|')
            return 1;
    }
    return 0;
}

static void table_row(md *m, size_t q, size_t e)
{
    while (e > q && is_sp(m->t[e - 1]))
        e--;
    if (q < e && m->t[q] == '|') {
        blank(m, q, q + 1);
        q++;
    }
    if (e > q && m->t[e - 1] == '|' && !(e - 1 > q && m->t[e - 2] == '\\')) {
        blank(m, e - 1, e);
        e--;
    }
    size_t cs = q;
    for (size_t i = q; i <= e; i++) {
        if (i < e && m->t[i] == '\\') {
            i++;
            continue;
        }
        if (i == e || m->t[i] == '|') {
            inline_range(m, cs, i);
            cs = i + 1;
        }
    }
    push_block(m, ZL_BLK_TABLE_ROW, 0, q, e, NULL);
}

/* A list marker at q: returns its length (bullet 1, ordered digits + '.' or
 * ')'), or 0.  The marker must be followed by a space, a tab or the end. */
static size_t list_marker(const md *m, size_t q, size_t e)
{
    size_t k = q;
    if (k < e && (m->t[k] == '-' || m->t[k] == '*' || m->t[k] == '+'))
        k++;
    else {
        while (k < e && k - q < 9 && is_digit(m->t[k]))
            k++;
        if (k == q || k >= e || (m->t[k] != '.' && m->t[k] != ')'))
            return 0;
        k++;
    }
    return k == e || is_sp(m->t[k]) ? k - q : 0;
}

static void atx_heading(md *m, size_t q, size_t e, size_t hashes)
{
    blank(m, q, q + hashes);
    size_t s = q + hashes;
    while (e > s && is_sp(m->t[e - 1]))
        e--;
    /* closing sequence: a run of '#' preceded by a space (or the whole content) */
    size_t k = e;
    while (k > s && m->t[k - 1] == '#')
        k--;
    if (k < e && (k == s || is_sp(m->t[k - 1]))) {
        blank(m, k, e);
        e = k;
    }
    inline_range(m, s, e);
    push_block(m, ZL_BLK_HEADING, (uint8_t)hashes, s, e, NULL);
}

/* Processes one line: content [ls, ce). */
static void md_line(md *m, size_t ls, size_t ce, size_t next)
{
    size_t p = ls;
    if (m->in_comment) {
        size_t f = find_str(m, p, ce, "-->");
        if (f == SIZE_MAX) {
            blank(m, p, ce);
            return;
        }
        blank(m, p, f + 3);
        m->in_comment = 0;
        p = f + 3;
    }

    /* block quote markers */
    int depth = 0;
    for (;;) {
        size_t q = p;
        while (q < ce && q - p < 3 && m->t[q] == ' ')
            q++;
        if (q < ce && m->t[q] == '>') {
            blank(m, q, q + 1);
            p = q + 1;
            if (p < ce && is_sp(m->t[p]))
                p++;
            depth++;
        } else
            break;
    }

    if (m->in_fence) {
        size_t q = p;
        while (q < ce && is_sp(m->t[q]))
            q++;
        size_t k = q;
        while (k < ce && m->t[k] == m->fence_ch)
            k++;
        if (k - q >= m->fence_len && is_rule_line(m, k, ce, m->fence_ch, 0, 0))
            m->in_fence = 0;
        blank(m, ls, ce);
        return;
    }

again:;
    size_t col = 0, q = p;
    while (q < ce && is_sp(m->t[q])) {
        col += m->t[q] == '\t' ? 4 - col % 4 : 1;
        q++;
    }
    if (q == ce) { /* blank line */
        close_block(m);
        m->in_table = 0;
        return;
    }
    size_t base = container_col(m, col);
    int block_start = col - base <= 3;
    char c = m->t[q];

    if (block_start && ce - q >= 4 && memcmp(m->t + q, "<!--", 4) == 0) {
        close_block(m);
        size_t f = find_str(m, q + 4, ce, "-->");
        if (f == SIZE_MAX) {
            blank(m, q, ce);
            m->in_comment = 1;
            return;
        }
        blank(m, q, f + 3);
        p = f + 3;
        goto again;
    }
    if (block_start && (c == '`' || c == '~')) {
        size_t k = q;
        while (k < ce && m->t[k] == c)
            k++;
        if (k - q >= 3 && (c == '~' || !memchr(m->t + k, '`', ce - k))) {
            close_block(m);
            m->in_fence = 1;
            m->fence_ch = c;
            m->fence_len = k - q;
            blank(m, ls, ce);
            return;
        }
    }
    if (block_start && c == '#') {
        size_t k = q;
        while (k < ce && m->t[k] == '#')
            k++;
        if (k - q <= 6 && (k == ce || is_sp(m->t[k]))) {
            close_block(m);
            pop_lists(m, col);
            m->in_table = 0;
            atx_heading(m, q, ce, k - q);
            return;
        }
    }
    if (block_start && m->open && m->kind == ZL_BLK_PARAGRAPH && m->quote == depth &&
        (is_rule_line(m, q, ce, '=', 1, 0) || is_rule_line(m, q, ce, '-', 1, 0))) {
        m->kind = ZL_BLK_HEADING;
        m->level = c == '=' ? 1 : 2;
        blank(m, q, ce);
        close_block(m);
        return;
    }
    if (block_start && (c == '*' || c == '-' || c == '_') && is_rule_line(m, q, ce, c, 3, 1)) {
        close_block(m);
        pop_lists(m, col);
        blank(m, q, ce);
        return;
    }
    if (block_start && !m->open && c == '[') {
        size_t k = q + 1;
        while (k < ce && m->t[k] != ']' && m->t[k] != '[')
            k += m->t[k] == '\\' && k + 1 < ce ? 2 : 1;
        if (k < ce && m->t[k] == ']' && k > q + 1 && k + 1 < ce && m->t[k + 1] == ':') {
            size_t u = k + 2;
            while (u < ce && is_sp(m->t[u]))
                u++;
            if (u < ce) { /* link reference definition: not visible text */
                blank(m, q, ce);
                return;
            }
        }
    }
    if (m->in_table && is_delim_row(m, q, ce)) {
        blank(m, q, ce);
        return;
    }
    if (c == '|' || (m->in_table && has_unescaped_pipe(m, q, ce)) ||
        (has_unescaped_pipe(m, q, ce) && next_is_delim_row(m, next))) {
        close_block(m);
        pop_lists(m, col);
        m->in_table = 1;
        table_row(m, q, ce);
        return;
    }
    m->in_table = 0;

    size_t mk = block_start ? list_marker(m, q, ce) : 0;
    if (mk) {
        size_t k = q + mk, w = 0, mcol = col + mk;
        while (k + w < ce && is_sp(m->t[k + w]) && w < 5)
            w++;
        size_t content_col = mcol + (w == 0 || w > 4 ? 1 : w);
        close_block(m);
        pop_lists(m, col);
        m->lists = zl_xgrow(m->lists, &m->cap_lists, m->n_lists + 1, sizeof *m->lists);
        m->lists[m->n_lists++] = content_col;
        uint8_t level = m->n_lists > 255 ? 255 : (uint8_t)m->n_lists;
        const char *label = zl_arena_strndup(m->a, m->t + q, mk);
        open_block(m, ZL_BLK_LIST_ITEM, level, label, q, q + mk, ce, depth);
        return;
    }

    /* paragraph text: continuation of the open block (lazily across a
     * shallower quote too) or a new paragraph */
    if (m->open && depth <= m->quote) {
        m->end = ce;
        return;
    }
    pop_lists(m, col);
    open_block(m, ZL_BLK_PARAGRAPH, 0, NULL, q, q, ce, depth);
}

static int md_read(zl_arena *a, const char *bytes, size_t n, const zl_load_opts *opts,
                   zl_input *out, zl_diags *diags)
{
    zl_decoded d;
    if (zl_decode(a, out->path, bytes, n, opts ? opts->encoding : NULL, &d, diags) != ZL_OK)
        return ZL_ERR;
    if (d.len > UINT32_MAX) {
        zl_diags_add(diags, ZL_D_LIMIT, out->path, 0, 0, "decoded text is larger than 4 GiB");
        return ZL_ERR;
    }
    if (zl_txt_own_report(d.text, d.len)) { /* zanlint docs/ > docs/report.md */
        zl_diags_add(diags, ZL_D_IO_OWN_REPORT, out->path, 0, 0);
        return ZL_ERR;
    }
    md m;
    memset(&m, 0, sizeof m);
    m.a = a;
    m.n = d.len;
    m.src = d.text;
    m.t = zl_arena_memdup(a, d.text, d.len + 1);

    size_t ls = 0;
    while (ls < m.n) {
        size_t ce, next;
        line_bounds(&m, ls, &ce, &next);
        md_line(&m, ls, ce, next);
        ls = next;
    }
    close_block(&m);

    out->encoding = d.encoding;
    out->bom_len = d.bom_len;
    out->src = d.text;
    out->src_len = d.len;
    out->text = m.t;
    out->text_len = d.len;
    out->blocks = m.n_blocks ? zl_arena_memdup(a, m.blocks, m.n_blocks * sizeof *m.blocks) : NULL;
    out->n_blocks = m.n_blocks;
    out->map = NULL;
    out->n_map = 0;
    out->pos_kind = ZL_POS_LINE;
    free(m.blocks);
    free(m.lists);
    return ZL_OK;
}

const zl_reader zl_reader_md = {
    .name = "md",
    .extensions = ".md .markdown",
    .sniff = NULL, /* Markdown is plain text too: chosen by extension or --format */
    .read = md_read,
};
