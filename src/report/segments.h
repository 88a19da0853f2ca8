/*
 * segments.h - the segmentation of a document, for rule authors
 * (`zanlint segments FILE [--format json]`).
 *
 * Shows what the rule scopes see: language versions, sections (number,
 * level, title, line), paragraphs (line, language, section), clauses
 * (number, line) and sentences (line:col and the first ~60 characters).
 * Output is deterministic; the document is only read.
 */
#ifndef ZL_REPORT_SEGMENTS_H
#define ZL_REPORT_SEGMENTS_H

#include "text/doc.h"
#include "util/buf.h"

/* Appends the segmentation of `doc` to `out`: a readable outline when `json`
 * is 0, otherwise one JSON object
 *   {"path","languages":[...],"versions":[{"lang","line","paragraphs"}],
 *    "sections":[{"number","title","level","line","parent"}],
 *    "paragraphs":[{"line","lang","section"}],
 *    "clauses":[{"number","line","col"}],
 *    "sentences":[{"line","col","endLine","endCol","text"}],"tokens":N}
 * followed by a newline.  Lines and columns are 1-based (columns in code
 * points); `parent`, `section` and `number` are null when absent; a
 * version's `paragraphs` is its paragraph count; `text` is the sentence's
 * first 60 code points with whitespace folded. */
void zl_report_segments(zl_buf *out, const zl_doc *doc, int json);

#endif
