/*
 * segment.h - stage 3: tokens, sentences, clauses, paragraphs, sections,
 * paragraph languages and language versions (see doc.h for the model).
 *
 * zl_segment reads doc->in and doc->norm and fills every array of the
 * document in doc->arena (document loading uses zl_segment_rec of tokrec.h,
 * which takes the tokens the normalizer recorded; zl_segment scans them).  It does not fail on odd text: the worst case is a
 * flat document (one section-less run of paragraphs).  A document with more
 * tokens than the limit is an error (ZL_D_LIMIT).
 */
#ifndef ZL_TEXT_SEGMENT_H
#define ZL_TEXT_SEGMENT_H

#include "text/doc.h"
#include "util/diag.h"

#define ZL_MAX_TOKENS (16u * 1024 * 1024)

int zl_segment(zl_doc *doc, zl_diags *diags);

/* Tokenizes an already normalized string exactly as documents are tokenized
 * (used by the rule compiler for phrase atoms).  Token offsets are into
 * `norm`; text_off/text_len equal off/len.  Returns the token count; the
 * array is allocated in the arena. */
uint32_t zl_tokenize(zl_arena *a, const char *norm, size_t len, zl_token **out);

/* Checks the segmenter's table of character classes against utf8proc:
 * 0, or the first code point that differs plus one; -1 when a word list's
 * index by length is wrong (for test_segment). */
int zl_segment_check_classes(void);

/* For test_segment: loads in[0..n) as a document of `format` ("txt",
 * "md") and segments its text again along the reference paths (the
 * scanned tokens, whole word lists, every token looked at for clause and
 * sentence ends, languages counted token by token...).  0 when every
 * structure is the same, else the first that differs: 1 tokens, 2
 * paragraphs, 3 versions, 4 sections, 5 clauses, 6 sentences (-1: the
 * document did not load). */
int zl_segment_check(const char *in, size_t n, const char *format);

#endif
