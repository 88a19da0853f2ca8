/*
 * fuzz_doc.c - libFuzzer harness for the document pipeline: decode, the txt
 * and md readers, normalize, segment, language versions and positions.
 *
 * The first input byte picks the format (low two bits: txt, md, html, docx)
 * and whether an
 * encoding is forced; the rest is the document.  Every token and structure
 * must stay inside the document, and every position must be computable.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>

#include "text/doc.h"
#include "text/position.h"
#include "util/diag.h"
#include "zanlint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const char *const formats[] = {"txt", "md", "html", "docx"};
    static const char *const encodings[] = {NULL, NULL, NULL, "cp1251", "koi8-r", "utf-16le"};
    zl_load_opts opts = {0};
    opts.format = formats[data[0] & 3];
    opts.encoding = encodings[(data[0] >> 2) % 6];
    opts.max_bytes = 1 << 20;
    zl_diags diags = {0};
    zl_doc *doc = NULL;
    if (zl_doc_load_mem("fuzz", (const char *)data + 1, size - 1, &opts, &doc, &diags) == ZL_OK) {
        for (uint32_t i = 0; i < doc->n_tokens; i++) {
            const zl_token *t = &doc->tokens[i];
            assert(t->off + t->len <= doc->norm.len);
            assert(t->text_off + t->text_len <= doc->in.text_len);
            zl_pos p = zl_doc_pos(doc, t->text_off);
            assert(p.line >= 1 && p.col >= 1);
        }
        for (uint32_t i = 0; i < doc->n_sentences; i++)
            assert(doc->sentences[i].tok.end <= doc->n_tokens);
        for (uint32_t i = 0; i < doc->n_sections; i++)
            assert(doc->sections[i].tok.end <= doc->n_tokens);
        for (uint32_t i = 0; i < doc->n_versions; i++)
            assert(doc->versions[i].para_end <= doc->n_paras);
    }
    zl_doc_free(doc);
    zl_diags_free(&diags);
    return 0;
}
