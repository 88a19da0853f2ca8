/*
 * reader_txt.c - the plain-text reader ("txt": .txt .text, and the fallback
 * for unknown extensions and stdin).
 *
 * Decodes the bytes (decode.c) and hands the text stage one ZL_BLK_TEXT
 * block covering everything: the segmenter finds paragraphs, numbered clauses
 * and headings itself.  text == src, so the offset map is the identity.
 */
#include "ingest/decode.h"
#include "ingest/ingest.h"

#include <stdint.h>

extern const zl_reader zl_reader_txt;

static int txt_read(zl_arena *a, const char *bytes, size_t n, const zl_load_opts *opts,
                    zl_input *out, zl_diags *diags)
{
    zl_decoded d;
    if (zl_decode(a, out->path, bytes, n, opts ? opts->encoding : NULL, &d, diags) != ZL_OK)
        return ZL_ERR;
    if (d.len > UINT32_MAX) {
        zl_diags_add(diags, ZL_D_LIMIT, out->path, 0, 0, "decoded text is larger than 4 GiB");
        return ZL_ERR;
    }
    out->encoding = d.encoding;
    out->bom_len = d.bom_len;
    out->src = out->text = d.text;
    out->src_len = out->text_len = d.len;
    out->blocks = zl_arena_calloc(a, 1, sizeof *out->blocks);
    out->blocks[0].kind = ZL_BLK_TEXT;
    out->blocks[0].off = 0;
    out->blocks[0].len = (uint32_t)d.len;
    out->n_blocks = 1;
    out->map = NULL;
    out->n_map = 0;
    out->pos_kind = ZL_POS_LINE;
    return ZL_OK;
}

const zl_reader zl_reader_txt = {
    .name = "txt",
    .extensions = ".txt .text",
    .sniff = NULL, /* the fallback: never claims content */
    .read = txt_read,
};
