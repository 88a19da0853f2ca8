/*
 * lexer.c - rule-file sources (line index, positions, error reports) and the
 * table-driven scanner of the rule language.  The parser (parser.c) pulls
 * tokens one at a time; strings and regexes come out with their escapes
 * processed, in the pack arena.  Like SQLite's tokenize.c, the first byte of a
 * token selects its class from a 256-entry table.
 */
#include "dsl/lexer.h"

#include <stdarg.h>
#include <string.h>

#include "util/buf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* ---- sources ------------------------------------------------------------- */

static void index_lines(zl_arena *a, zl_src *s)
{
    size_t len = s->len;
    const char *end = s->text + len, *q;
    uint32_t n = 1;
    for (const char *p = s->text; (q = memchr(p, '\n', (size_t)(end - p))); p = q + 1)
        n++;
    s->lines = zl_arena_alloc(a, n * sizeof *s->lines);
    s->n_lines = n;
    s->lines[0] = 0;
    uint32_t k = 1;
    for (const char *p = s->text; (q = memchr(p, '\n', (size_t)(end - p))); p = q + 1)
        s->lines[k++] = (uint32_t)(q + 1 - s->text);
}

zl_src *zl_src_new(zl_arena *a, const char *name, const char *text, size_t len)
{
    zl_src *s = zl_arena_calloc(a, 1, sizeof *s);
    s->name = zl_arena_strdup(a, name);
    s->text = zl_arena_strndup(a, text, len);
    s->len = len;
    index_lines(a, s);
    return s;
}

zl_src *zl_src_new_embedded(zl_arena *a, const char *name, const char *text, size_t len)
{
    zl_src *s = zl_arena_calloc(a, 1, sizeof *s);
    s->name = name;
    s->text = text;
    s->len = len;
    s->utf8_valid = 1;
    index_lines(a, s);
    return s;
}

/* Index of the last line start <= off (off already clamped to len). */
static uint32_t line_index(const zl_src *s, size_t off)
{
    uint32_t lo = 0, hi = s->n_lines;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (s->lines[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

void zl_src_pos(const zl_src *s, size_t off, uint32_t *line, uint32_t *col)
{
    if (off > s->len)
        off = s->len;
    uint32_t lo = line_index(s, off);
    *line = lo + 1;
    *col = (uint32_t)zl_utf8_count(s->text + s->lines[lo], off - s->lines[lo]) + 1;
}

uint32_t zl_src_line(const zl_src *s, size_t off)
{
    return line_index(s, off > s->len ? s->len : off) + 1;
}

size_t zl_src_check_utf8(const zl_src *s)
{
    const unsigned char *u = (const unsigned char *)s->text;
    size_t i = 0;
    while (i < s->len) {
        unsigned char c = u[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        /* two-byte sequences (Cyrillic) inline: lead C2..DF, one continuation */
        if (c >= 0xC2 && c <= 0xDF && i + 1 < s->len && (u[i + 1] & 0xC0) == 0x80) {
            i += 2;
            continue;
        }
        uint32_t cp;
        size_t n = zl_utf8_decode(s->text + i, s->len - i, &cp);
        if (n == 0)
            return i;
        i += n;
    }
    return SIZE_MAX;
}

void zl_src_error(zl_diags *d, zl_diag_id id, const zl_src *s, size_t off, size_t len,
                  const char *fmt, ...)
{
    if (off > s->len)
        off = s->len;
    uint32_t line, col;
    zl_src_pos(s, off, &line, &col);
    zl_buf b = ZL_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    zl_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    zl_diag *g = zl_diags_add(d, id, s->name, line, col, b.data);
    zl_buf_free(&b);

    size_t ls = s->lines[line - 1], le = ls;
    while (le < s->len && s->text[le] != '\n')
        le++;
    size_t ce = off + len;
    if (ce > le)
        ce = le;
    uint32_t caret = ce > off ? (uint32_t)zl_utf8_count(s->text + off, ce - off) : 1;
    if (caret == 0)
        caret = 1;
    size_t show = le;
    if (show > ls && s->text[show - 1] == '\r')
        show--;
    zl_diag_set_source(g, s->text + ls, show - ls, caret);
}

/* ---- character classes --------------------------------------------------- */

enum {
    CC_OTHER = 0, /* not allowed outside strings, regexes and comments */
    CC_SPACE,
    CC_NEWLINE,
    CC_HASH,
    CC_QUOTE,
    CC_SLASH,
    CC_DIGIT,
    CC_ALPHA,     /* A-Z a-z _ */
    CC_PUNCT,     /* { } ( ) , | & = */
    CC_HIGH       /* a UTF-8 lead or continuation byte */
};

/* Short aliases so the table reads as a 16x16 grid. */
#define O CC_OTHER
#define S CC_SPACE
#define N CC_NEWLINE
#define C CC_HASH
#define Q CC_QUOTE
#define R CC_SLASH
#define D CC_DIGIT
#define A CC_ALPHA
#define P CC_PUNCT
#define H CC_HIGH
static const unsigned char char_class[256] = {
    /* 00 */ O, O, O, O, O, O, O, O, O, S, N, S, S, S, O, O,
    /* 10 */ O, O, O, O, O, O, O, O, O, O, O, O, O, O, O, O,
    /* 20 */ S, O, Q, C, O, O, P, O, P, P, O, O, P, O, O, R,
    /* 30 */ D, D, D, D, D, D, D, D, D, D, O, O, O, P, O, O,
    /* 40 */ O, A, A, A, A, A, A, A, A, A, A, A, A, A, A, A,
    /* 50 */ A, A, A, A, A, A, A, A, A, A, A, O, O, O, O, A,
    /* 60 */ O, A, A, A, A, A, A, A, A, A, A, A, A, A, A, A,
    /* 70 */ A, A, A, A, A, A, A, A, A, A, A, P, P, P, O, O,
    /* 80 */ H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
    /* 90 */ H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
    /* A0 */ H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
    /* B0 */ H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
    /* C0 */ H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
    /* D0 */ H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
    /* E0 */ H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
    /* F0 */ H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
};
#undef O
#undef S
#undef N
#undef C
#undef Q
#undef R
#undef D
#undef A
#undef P
#undef H

static int is_word_byte(unsigned char c)
{
    int k = char_class[c];
    return k == CC_ALPHA || k == CC_DIGIT || c == '.' || c == '-';
}

static int is_digit(unsigned char c)
{
    return char_class[c] == CC_DIGIT;
}

/* ---- token names and keywords -------------------------------------------- */

static const char *const tk_names[ZL_TK__COUNT] = {
    [ZL_TK_EOF] = "end of file", [ZL_TK_ERROR] = "invalid token", [ZL_TK_WORD] = "name",
    [ZL_TK_STRING] = "string", [ZL_TK_REGEX] = "regex", [ZL_TK_NUMBER] = "number",
    [ZL_TK_DATE] = "date", [ZL_TK_LBRACE] = "'{'", [ZL_TK_RBRACE] = "'}'",
    [ZL_TK_LPAREN] = "'('", [ZL_TK_RPAREN] = "')'", [ZL_TK_COMMA] = "','",
    [ZL_TK_PIPE] = "'|'", [ZL_TK_AMP] = "'&'", [ZL_TK_EQ] = "'='", [ZL_TK_SLASH] = "'/'",
    [ZL_TK_PACK] = "'pack'", [ZL_TK_VERSION] = "'version'", [ZL_TK_DEFINE] = "'define'",
    [ZL_TK_RULE] = "'rule'", [ZL_TK_SEVERITY] = "'severity'", [ZL_TK_ERROR_KW] = "'error'",
    [ZL_TK_WARNING] = "'warning'", [ZL_TK_INFO] = "'info'", [ZL_TK_ARTICLE] = "'article'",
    [ZL_TK_SINCE] = "'since'", [ZL_TK_UNTIL] = "'until'", [ZL_TK_TITLE] = "'title'",
    [ZL_TK_MESSAGE] = "'message'", [ZL_TK_SUGGEST] = "'suggest'", [ZL_TK_ANCHOR] = "'anchor'",
    [ZL_TK_TAGS] = "'tags'", [ZL_TK_REQUIRE] = "'require'", [ZL_TK_AT_LEAST] = "'at-least'",
    [ZL_TK_OF] = "'of'", [ZL_TK_AS] = "'as'", [ZL_TK_FORBID] = "'forbid'",
    [ZL_TK_UNLESS] = "'unless'", [ZL_TK_WHEN] = "'when'", [ZL_TK_IN] = "'in'",
    [ZL_TK_SENTENCE] = "'sentence'", [ZL_TK_CLAUSE] = "'clause'",
    [ZL_TK_PARAGRAPH] = "'paragraph'", [ZL_TK_SECTION] = "'section'",
    [ZL_TK_DOCUMENT] = "'document'", [ZL_TK_NEAR] = "'near'", [ZL_TK_THEN] = "'then'",
    [ZL_TK_NOT] = "'not'", [ZL_TK_PASS] = "'pass'", [ZL_TK_FAIL] = "'fail'",
    [ZL_TK_RU] = "'ru'", [ZL_TK_KK] = "'kk'", [ZL_TK_EN] = "'en'",
};

const char *zl_tk_name(zl_tk k)
{
    return k < ZL_TK__COUNT ? tk_names[k] : "?";
}

zl_tk zl_tk_keyword(const char *s, size_t n)
{
    if (n == 0)
        return ZL_TK_WORD;
    for (int k = ZL_TK_FIRST_KEYWORD; k < ZL_TK__COUNT; k++) {
        const char *name = tk_names[k] + 1; /* skip the quote */
        if (name[0] != s[0])
            continue;
        size_t i = 1;
        while (i < n && name[i] && name[i] == s[i])
            i++;
        if (i == n && name[n] == '\'') /* the closing quote */
            return (zl_tk)k;
    }
    return ZL_TK_WORD;
}

/* ---- scanner ------------------------------------------------------------- */

void zl_lexer_init(zl_lexer *lx, const zl_src *src, zl_arena *a, zl_diags *d)
{
    memset(lx, 0, sizeof *lx);
    lx->src = src;
    lx->arena = a;
    lx->diags = d;
    lx->prev = ZL_TK_EOF;
    if (src->len >= 3 && memcmp(src->text, "\xEF\xBB\xBF", 3) == 0)
        lx->pos = 3; /* a byte order mark left by an editor */
}

static void lex_error(zl_lexer *lx, size_t off, size_t len, const char *msg, const char *arg,
                      size_t arg_len)
{
    lx->errors++;
    if (arg)
        zl_src_error(lx->diags, ZL_D_DSL_SYNTAX, lx->src, off, len, msg, (int)arg_len, arg);
    else
        zl_src_error(lx->diags, ZL_D_DSL_SYNTAX, lx->src, off, len, "%s", msg);
}

/* The bytes that end a run of plain string bytes: the closing quote, a
 * backslash, and the control characters a string may not hold (all but
 * \n \t \r; DEL too). */
static const unsigned char str_stop[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ['\\'] = 1, [0x7f] = 1,
};

/* "..." with \" \\ \n; may span lines.  The first pass finds the end and
 * checks; the text is then the slice itself, or (with escapes) the slice with
 * its escapes processed in a second pass. */
static zl_tk scan_string(zl_lexer *lx, zl_tok *t)
{
    const char *s = lx->src->text;
    size_t n = lx->src->len, i = lx->pos + 1, start = i;
    int bad = 0, esc = 0;
    for (;;) {
        while (i < n && !str_stop[(unsigned char)s[i]])
            i++;
        if (i >= n) {
            lex_error(lx, lx->pos, 1, "unterminated string", NULL, 0);
            lx->pos = n;
            return ZL_TK_ERROR;
        }
        unsigned char c = (unsigned char)s[i];
        if (c == '"')
            break;
        if (c == '\\') {
            unsigned char e = i + 1 < n ? (unsigned char)s[i + 1] : 0;
            if (e == '"' || e == '\\' || e == 'n')
                esc = 1;
            else if (!bad) {
                bad = 1;
                size_t el = i + 1 < n ? zl_utf8_seqlen(e) : 0;
                if (i + 1 + el > n)
                    el = n - i - 1;
                lex_error(lx, i, 1 + el, "unknown escape '\\%.*s' in string (use \\\" \\\\ or \\n)",
                          s + i + 1, el);
            }
            i += i + 1 < n ? 2 : 1;
            continue;
        }
        /* the only other stop bytes: controls but \n \t \r, and DEL */
        if (!bad) {
            bad = 1;
            lx->errors++;
            zl_src_error(lx->diags, ZL_D_DSL_SYNTAX, lx->src, i, 1,
                         "control character U+%04X in string", c);
        }
        i++;
    }
    t->len = (uint32_t)(i + 1 - lx->pos);
    lx->pos = i + 1;
    if (bad)
        return ZL_TK_ERROR;
    if (!esc) {
        t->text = zl_arena_strndup(lx->arena, s + start, i - start);
        t->text_len = i - start;
        return ZL_TK_STRING;
    }
    /* no bad escape: every backslash is followed by " \ or n */
    char *o = zl_arena_alloc(lx->arena, i - start + 1);
    size_t k = 0;
    for (size_t j = start; j < i; j++) {
        if (s[j] == '\\') {
            j++;
            o[k++] = s[j] == 'n' ? '\n' : s[j];
        } else {
            o[k++] = s[j];
        }
    }
    o[k] = '\0';
    t->text = o;
    t->text_len = k;
    return ZL_TK_STRING;
}

/* /.../ on one line, \/ for a slash; other escapes are PCRE2's.  Like
 * strings: the slice, or a copy with \/ unescaped when there is one. */
static zl_tk scan_regex(zl_lexer *lx, zl_tok *t)
{
    const char *s = lx->src->text;
    size_t n = lx->src->len, i = lx->pos + 1, start = i;
    int esc = 0;
    for (;;) {
        if (i >= n || s[i] == '\n') {
            lex_error(lx, lx->pos, 1, "unterminated regex", NULL, 0);
            lx->pos = i;
            return ZL_TK_ERROR;
        }
        char c = s[i];
        if (c == '/')
            break;
        if (c == '\\' && i + 1 < n && s[i + 1] != '\n') {
            if (s[i + 1] == '/')
                esc = 1;
            i += 2;
            continue;
        }
        if (c == 0) {
            lex_error(lx, i, 1, "NUL byte in regex", NULL, 0);
            while (i < n && s[i] != '\n')
                i++;
            lx->pos = i;
            return ZL_TK_ERROR;
        }
        i++;
    }
    t->len = (uint32_t)(i + 1 - lx->pos);
    lx->pos = i + 1;
    if (!esc) {
        t->text = zl_arena_strndup(lx->arena, s + start, i - start);
        t->text_len = i - start;
        return ZL_TK_REGEX;
    }
    /* the same pairing as above: a backslash and the byte after it */
    char *o = zl_arena_alloc(lx->arena, i - start + 1);
    size_t k = 0;
    for (size_t j = start; j < i; j++) {
        if (s[j] == '\\') {
            if (s[j + 1] != '/')
                o[k++] = '\\';
            o[k++] = s[++j];
        } else {
            o[k++] = s[j];
        }
    }
    o[k] = '\0';
    t->text = o;
    t->text_len = k;
    return ZL_TK_REGEX;
}

/* NUMBER = digits; DATE = 4 digits '-' 2 digits '-' 2 digits. */
static zl_tk scan_number(zl_lexer *lx, zl_tok *t)
{
    const char *s = lx->src->text;
    size_t n = lx->src->len, i = lx->pos;
    while (i < n && is_digit((unsigned char)s[i]))
        i++;
    size_t nd = i - lx->pos;
    if (nd == 4 && i < n && s[i] == '-') {
        size_t j = i;
        while (j < n && is_word_byte((unsigned char)s[j]))
            j++;
        const char *d = s + lx->pos;
        if (j - lx->pos == 10 && d[4] == '-' && d[7] == '-' && is_digit((unsigned char)d[5]) &&
            is_digit((unsigned char)d[6]) && is_digit((unsigned char)d[8]) &&
            is_digit((unsigned char)d[9])) {
            uint64_t v = 0;
            for (int k = 0; k < 10; k++)
                if (k != 4 && k != 7)
                    v = v * 10 + (uint64_t)(d[k] - '0');
            t->num = v;
            t->len = 10;
            lx->pos = j;
            return ZL_TK_DATE;
        }
        lex_error(lx, lx->pos, j - lx->pos, "invalid date '%.*s' (expected YYYY-MM-DD)", d,
                  j - lx->pos);
        lx->pos = j;
        return ZL_TK_ERROR;
    }
    if (i < n && is_word_byte((unsigned char)s[i])) {
        size_t j = i;
        while (j < n && is_word_byte((unsigned char)s[j]))
            j++;
        lex_error(lx, lx->pos, j - lx->pos, "malformed number '%.*s'", s + lx->pos, j - lx->pos);
        lx->pos = j;
        return ZL_TK_ERROR;
    }
    uint64_t v = 0;
    for (size_t k = lx->pos; k < i; k++) {
        v = v * 10 + (uint64_t)(s[k] - '0');
        if (v > UINT32_MAX) {
            lex_error(lx, lx->pos, nd, "number '%.*s' is too large", s + lx->pos, nd);
            lx->pos = i;
            return ZL_TK_ERROR;
        }
    }
    t->num = v;
    t->len = (uint32_t)nd;
    lx->pos = i;
    return ZL_TK_NUMBER;
}

static zl_tk scan(zl_lexer *lx, zl_tok *t)
{
    const char *s = lx->src->text;
    size_t n = lx->src->len;
    for (;;) {
        if (lx->pos >= n) {
            t->off = (uint32_t)n;
            return ZL_TK_EOF;
        }
        unsigned char c = (unsigned char)s[lx->pos];
        int cls = char_class[c];
        if (cls == CC_SPACE || cls == CC_NEWLINE) {
            lx->pos++;
            continue;
        }
        if (cls == CC_HASH) {
            while (lx->pos < n && s[lx->pos] != '\n')
                lx->pos++;
            continue;
        }
        t->off = (uint32_t)lx->pos;
        t->text = s + lx->pos;
        t->len = 1;
        switch (cls) {
        case CC_QUOTE:
            return scan_string(lx, t);
        case CC_SLASH:
            if ((lx->prev == ZL_TK_NEAR || lx->prev == ZL_TK_THEN) && lx->prev_end == lx->pos) {
                lx->pos++;
                return ZL_TK_SLASH;
            }
            return scan_regex(lx, t);
        case CC_DIGIT:
            return scan_number(lx, t);
        case CC_ALPHA: {
            size_t i = lx->pos;
            while (i < n && is_word_byte((unsigned char)s[i]))
                i++;
            t->len = (uint32_t)(i - lx->pos);
            lx->pos = i;
            return zl_tk_keyword(t->text, t->len);
        }
        case CC_PUNCT:
            lx->pos++;
            switch (c) {
            case '{': return ZL_TK_LBRACE;
            case '}': return ZL_TK_RBRACE;
            case '(': return ZL_TK_LPAREN;
            case ')': return ZL_TK_RPAREN;
            case ',': return ZL_TK_COMMA;
            case '|': return ZL_TK_PIPE;
            case '&': return ZL_TK_AMP;
            default: return ZL_TK_EQ;
            }
        default: {
            size_t cl = cls == CC_HIGH ? zl_utf8_seqlen(c) : 1;
            if (lx->pos + cl > n)
                cl = n - lx->pos;
            if (c < 0x20 || c == 0x7f) {
                lx->errors++;
                zl_src_error(lx->diags, ZL_D_DSL_SYNTAX, lx->src, lx->pos, 1,
                             "unexpected control character U+%04X", c);
            } else if (cls == CC_HIGH) {
                lex_error(lx, lx->pos, cl,
                          "unexpected character '%.*s' (words to match go in quotes)",
                          s + lx->pos, cl);
            } else {
                lex_error(lx, lx->pos, cl, "unexpected character '%.*s'", s + lx->pos, cl);
            }
            lx->pos += cl;
            t->len = (uint32_t)cl;
            return ZL_TK_ERROR;
        }
        }
    }
}

void zl_lexer_next(zl_lexer *lx, zl_tok *t)
{
    memset(t, 0, sizeof *t);
    t->kind = scan(lx, t);
    if (t->kind != ZL_TK_STRING && t->kind != ZL_TK_REGEX) {
        t->text = lx->src->text + t->off;
        t->text_len = t->len;
    }
    lx->prev = t->kind;
    lx->prev_end = lx->pos;
}
