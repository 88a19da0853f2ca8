/*
 * lexer.h - rule-file sources and the token scanner of the rule language
 * (docs/rule-language.md, "Lexical structure").
 *
 * A zl_src is one rule file held in memory: its name as given, its bytes and
 * an index of line starts so any byte offset can be turned into a 1-based
 * line and code-point column at the edge (diagnostics, atom positions).
 * Everything a source or the lexer allocates lives in the arena passed in;
 * the lexer only borrows the source text.
 *
 * The lexer hands tokens to the parser one at a time.  Lexical errors
 * (unterminated string, invalid character, ...) are reported to the
 * diagnostics list by the lexer itself and returned as ZL_TK_ERROR, so the
 * parser recovers without reporting twice.
 */
#ifndef ZL_DSL_LEXER_H
#define ZL_DSL_LEXER_H

#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/diag.h"

/* One rule file.  `text` is NUL-terminated at text[len]. */
typedef struct zl_src {
    const char *name;
    const char *text;
    size_t len;
    uint32_t *lines; /* byte offsets of line starts; lines[0] == 0 */
    uint32_t n_lines;
    uint8_t utf8_valid; /* known to be well-formed UTF-8: the parser skips the check */
} zl_src;

/* Copies name and text into the arena and indexes the lines.  The caller
 * must keep len below UINT32_MAX (pack.c limits rule files to 16 MiB). */
zl_src *zl_src_new(zl_arena *a, const char *name, const char *text, size_t len);
/* Same for a file embedded at build time: borrows name and text (static,
 * NUL-terminated at text[len], checked to be UTF-8 by scripts/embed.c). */
zl_src *zl_src_new_embedded(zl_arena *a, const char *name, const char *text, size_t len);
/* 1-based line and code-point column of byte offset `off` (clamped to len). */
void zl_src_pos(const zl_src *s, size_t off, uint32_t *line, uint32_t *col);
/* The line alone (no column to count). */
uint32_t zl_src_line(const zl_src *s, size_t off);
/* Byte offset of the first ill-formed UTF-8 sequence, or SIZE_MAX. */
size_t zl_src_check_utf8(const zl_src *s);
/* Reports an error at byte offset `off` spanning `len` bytes (the caret is
 * limited to the first line of the span, at least one code point wide),
 * with the message formatted from fmt. */
void zl_src_error(zl_diags *d, zl_diag_id id, const zl_src *s, size_t off, size_t len,
                  const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

typedef enum zl_tk {
    ZL_TK_EOF = 0,
    ZL_TK_ERROR,  /* a lexical error, already reported */
    ZL_TK_WORD,   /* a name or rule id that is not a keyword: [A-Za-z_][A-Za-z0-9_.-]* */
    ZL_TK_STRING, /* "..." with escapes processed into text/text_len */
    ZL_TK_REGEX,  /* /.../ with \/ unescaped into text/text_len */
    ZL_TK_NUMBER, /* decimal digits; value in num */
    ZL_TK_DATE,   /* YYYY-MM-DD; num = YYYYMMDD (not yet validated) */
    ZL_TK_LBRACE, ZL_TK_RBRACE, ZL_TK_LPAREN, ZL_TK_RPAREN,
    ZL_TK_COMMA, ZL_TK_PIPE, ZL_TK_AMP, ZL_TK_EQ,
    ZL_TK_SLASH,  /* only directly after `near` or `then` */
    /* keywords, in the order of the spec */
    ZL_TK_PACK, ZL_TK_VERSION, ZL_TK_DEFINE, ZL_TK_RULE, ZL_TK_SEVERITY,
    ZL_TK_ERROR_KW, ZL_TK_WARNING, ZL_TK_INFO, ZL_TK_ARTICLE, ZL_TK_SINCE, ZL_TK_UNTIL,
    ZL_TK_TITLE, ZL_TK_MESSAGE, ZL_TK_SUGGEST, ZL_TK_ANCHOR, ZL_TK_TAGS, ZL_TK_REQUIRE,
    ZL_TK_AT_LEAST, ZL_TK_OF, ZL_TK_AS, ZL_TK_FORBID, ZL_TK_UNLESS, ZL_TK_WHEN, ZL_TK_IN,
    ZL_TK_SENTENCE, ZL_TK_CLAUSE, ZL_TK_PARAGRAPH, ZL_TK_SECTION, ZL_TK_DOCUMENT,
    ZL_TK_NEAR, ZL_TK_THEN, ZL_TK_NOT, ZL_TK_PASS, ZL_TK_FAIL, ZL_TK_RU, ZL_TK_KK, ZL_TK_EN,
    ZL_TK__COUNT
} zl_tk;

#define ZL_TK_FIRST_KEYWORD ZL_TK_PACK

typedef struct zl_tok {
    zl_tk kind;
    uint32_t off, len;   /* raw span in the source */
    const char *text;    /* STRING/REGEX: processed text (arena); others: the raw span */
    size_t text_len;
    uint64_t num;        /* NUMBER, DATE */
} zl_tok;

typedef struct zl_lexer {
    const zl_src *src;
    zl_arena *arena;
    zl_diags *diags;
    size_t pos;
    zl_tk prev;          /* kind of the previous token */
    size_t prev_end;     /* byte offset just after the previous token */
    size_t errors;       /* lexical errors reported */
} zl_lexer;

void zl_lexer_init(zl_lexer *lx, const zl_src *src, zl_arena *a, zl_diags *d);
/* Scans the next token into *t. At the end of input returns ZL_TK_EOF forever. */
void zl_lexer_next(zl_lexer *lx, zl_tok *t);
/* Printable token kind: "end of file", "string", "'rule'", "'{'", ... */
const char *zl_tk_name(zl_tk k);
/* The keyword kind of the word s[0..n), or ZL_TK_WORD. */
zl_tk zl_tk_keyword(const char *s, size_t n);

#endif
