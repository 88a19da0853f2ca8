/*
 * lang.h - language of a stretch of normalized text (ru / kk / other), and
 * language versions of a document (runs of one language forming a
 * document-sized part, e.g. a Kazakh version followed by a Russian one).
 */
#ifndef ZL_TEXT_LANG_H
#define ZL_TEXT_LANG_H

#include "text/doc.h"

/* Language of tokens [r.first, r.end) of the document. */
zl_lang zl_lang_detect(const zl_doc *doc, zl_range r);
/* Sets every paragraph's lang and fills doc->versions. */
void zl_lang_versions(zl_doc *doc);

#endif
