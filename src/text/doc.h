/*
 * doc.h - the segmented document, shared by the text stage and all later ones.
 *
 * A document owns one arena; every array and string below lives in it and is
 * released by zl_doc_free.  Offsets:
 *   - token.off/len: bytes in the normalized text (doc->norm.text);
 *   - token.text_off/text_len: bytes in the logical text (doc->in.text);
 *   - positions for reporting are computed at the edge (position.h) from
 *     logical-text offsets via the ingest map and the line index of in.src.
 * Structural units are token index ranges [first, end).  Sentences, clauses
 * and paragraphs each partition the tokens in document order; sections nest
 * (a section's range includes its subsections); language versions partition
 * the paragraphs.
 */
#ifndef ZL_TEXT_DOC_H
#define ZL_TEXT_DOC_H

#include <stdint.h>

#include "ingest/ingest.h"
#include "text/normalize.h"
#include "util/arena.h"
#include "zanlint.h"

#define ZL_NONE UINT32_MAX

typedef struct zl_range {
    uint32_t first, end; /* token indices, end exclusive */
} zl_range;

typedef enum zl_tok_kind {
    ZL_TOK_WORD = 0, /* letters (Cyrillic, Latin), possibly with inner - or ' and digits */
    ZL_TOK_NUMBER,   /* digits, possibly with inner . , (2.5, 240440013619) */
    ZL_TOK_PUNCT     /* one punctuation or symbol character */
} zl_tok_kind;

enum {
    ZL_TF_CYRILLIC = 1 << 0, /* has Cyrillic letters */
    ZL_TF_LATIN = 1 << 1,    /* has Latin letters (after look-alike mapping) */
    ZL_TF_KAZAKH = 1 << 2,   /* has a Kazakh-specific letter (ә ғ қ ң ө ұ ү һ і) */
    ZL_TF_UPPER = 1 << 3,    /* all letters upper case in the original */
    ZL_TF_LINE_START = 1 << 4 /* first token on its line */
};

typedef struct zl_token {
    uint32_t off, len;           /* normalized text */
    uint32_t text_off, text_len; /* logical text */
    uint8_t kind;                /* zl_tok_kind */
    uint8_t flags;               /* ZL_TF_* */
} zl_token;

typedef struct zl_sentence {
    zl_range tok;
} zl_sentence;

typedef struct zl_clause {
    zl_range tok;
    const char *number; /* "2.5", "1)", "а)", "•", or NULL for an unnumbered clause */
    uint8_t level;      /* depth of the numbering (2.5.1 -> 3), 0 when unnumbered */
} zl_clause;

typedef struct zl_para {
    zl_range tok;
    uint32_t text_off, text_end; /* logical-text span */
    uint32_t section;            /* innermost section index, ZL_NONE before the first heading */
    zl_lang lang;
} zl_para;

typedef struct zl_section {
    zl_range tok;          /* heading and body, subsections included */
    zl_range heading;      /* the heading's tokens */
    uint32_t text_off;     /* logical-text offset of the heading */
    uint32_t parent;       /* enclosing section or ZL_NONE */
    uint8_t level;         /* 1 = top */
    const char *number;    /* "9", "2.3", or NULL */
    const char *title;     /* heading as written (whitespace folded), number included */
} zl_section;

typedef struct zl_version {
    zl_lang lang;
    zl_range tok;
    uint32_t para_first, para_end;
    uint32_t text_off;     /* logical-text offset where the version starts */
} zl_version;

struct zl_doc {
    zl_arena *arena;
    zl_input in;
    zl_norm norm;
    zl_token *tokens;
    uint32_t n_tokens;
    zl_sentence *sentences;
    uint32_t n_sentences;
    zl_clause *clauses;
    uint32_t n_clauses;
    zl_para *paras;
    uint32_t n_paras;
    zl_section *sections;  /* in document order */
    uint32_t n_sections;
    zl_version *versions;  /* at least one when the document has tokens */
    uint32_t n_versions;
    uint32_t *line_starts; /* byte offsets of line starts in in.src */
    uint32_t n_lines;
};

/* A copy of what reporting needs once a document is evaluated, in a new
 * arena: the input (source, logical text, offset map, pages, path and
 * format), the paragraphs, the language versions and the line index.
 * Tokens, the normalized text, sentences, clauses, sections and the
 * reader's blocks are left out (zero counts; a paragraph's `section` then
 * refers to nothing).  `doc` is not changed.  The batch pool slims a
 * document that waits for its turn to be reported, so it holds about twice
 * its text instead of about fifteen times. */
zl_doc *zl_doc_slim(const zl_doc *doc);

#endif
