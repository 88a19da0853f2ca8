/*
 * doc.c - the document loader: the public zl_doc_load_file/zl_doc_load_mem.
 *
 * Runs the text pipeline for one input in one arena: read bytes
 * (zl_ingest_read_bytes) -> format reader and decoding (zl_ingest) ->
 * normalization, which also records the tokens (zl_normalize_doc) ->
 * segmentation (zl_segment_rec, which also sets paragraph languages and
 * language versions) -> line index of the source
 * (zl_doc_index_lines).  The resulting zl_doc is read by the engine and the
 * reporters and released whole by zl_doc_free; zl_doc_slim copies the part
 * the reporters need.
 */
#include <string.h>

#include "text/doc.h"
#include "text/normalize.h"
#include "text/position.h"
#include "text/segment.h"
#include "text/tokrec.h"

static int finish(zl_doc *doc, const char *path, const char *bytes, size_t n,
                  const zl_load_opts *opts, zl_doc **out, zl_diags *diags)
{
    if (zl_ingest(doc->arena, path, bytes, n, opts, &doc->in, diags) != ZL_OK)
        return ZL_ERR;
    zl_tokrec rec;
    zl_normalize_doc(doc->arena, doc->in.text ? doc->in.text : "", doc->in.text_len, &doc->norm,
                     &rec);
    if (zl_segment_rec(doc, &rec, diags) != ZL_OK)
        return ZL_ERR;
    zl_doc_index_lines(doc);
    *out = doc;
    return ZL_OK;
}

static zl_doc *doc_new(void)
{
    zl_arena *a = zl_arena_new();
    zl_doc *doc = zl_arena_calloc(a, 1, sizeof *doc);
    doc->arena = a;
    return doc;
}

int zl_doc_load_file(const char *path, const zl_load_opts *opts, zl_doc **out, zl_diags *diags)
{
    zl_load_opts defaults;
    if (!opts) {
        memset(&defaults, 0, sizeof defaults);
        opts = &defaults;
    }
    *out = NULL;
    zl_doc *doc = doc_new();
    char *bytes = NULL;
    size_t n = 0;
    if (zl_ingest_read_bytes(doc->arena, path, opts, &bytes, &n, diags) != ZL_OK ||
        finish(doc, path, bytes, n, opts, out, diags) != ZL_OK) {
        zl_doc_free(doc);
        *out = NULL;
        return ZL_ERR;
    }
    if (doc->n_tokens == 0) {
        /* white space, or markup whose text is elsewhere (a page its script
         * fills in, a DOCX of images): passing every rule would read as
         * compliant */
        zl_diags_add(diags, ZL_D_IO_NO_TEXT, doc->in.path, 0, 0);
        zl_doc_free(doc);
        *out = NULL;
        return ZL_ERR;
    }
    return ZL_OK;
}

int zl_doc_load_mem(const char *name, const char *data, size_t len, const zl_load_opts *opts,
                    zl_doc **out, zl_diags *diags)
{
    zl_load_opts defaults;
    if (!opts) {
        memset(&defaults, 0, sizeof defaults);
        opts = &defaults;
    }
    *out = NULL;
    zl_doc *doc = doc_new();
    size_t max = opts->max_bytes ? opts->max_bytes : ZL_DEFAULT_MAX_BYTES;
    if (len > max) {
        zl_diags_add(diags, ZL_D_IO_TOO_LARGE, name, 0, 0, max);
        zl_doc_free(doc);
        return ZL_ERR;
    }
    char *bytes = zl_arena_memdup(doc->arena, len ? data : "", len);
    if (finish(doc, name ? name : "<memory>", bytes, len, opts, out, diags) != ZL_OK) {
        zl_doc_free(doc);
        *out = NULL;
        return ZL_ERR;
    }
    return ZL_OK;
}

void zl_doc_free(zl_doc *doc)
{
    if (doc)
        zl_arena_free(doc->arena);
}

static void *dup_array(zl_arena *a, const void *p, size_t count, size_t size)
{
    return p && count ? zl_arena_memdup(a, p, count * size) : NULL;
}

zl_doc *zl_doc_slim(const zl_doc *doc)
{
    zl_doc *s = doc_new();
    zl_arena *a = s->arena;
    const zl_input *in = &doc->in;
    s->in = *in;
    s->in.path = in->path ? zl_arena_strdup(a, in->path) : NULL;
    s->in.format = in->format ? zl_arena_strdup(a, in->format) : NULL;
    s->in.src = in->src ? zl_arena_strndup(a, in->src, in->src_len) : NULL;
    if (in->text == in->src)
        s->in.text = s->in.src;
    else if (in->text)
        s->in.text = zl_arena_strndup(a, in->text, in->text_len);
    s->in.blocks = NULL;
    s->in.n_blocks = 0;
    s->in.map = dup_array(a, in->map, in->n_map, sizeof *in->map);
    s->in.page_of_line = dup_array(a, in->page_of_line, doc->n_lines, sizeof *in->page_of_line);
    s->paras = dup_array(a, doc->paras, doc->n_paras, sizeof *doc->paras);
    s->n_paras = doc->n_paras;
    s->versions = dup_array(a, doc->versions, doc->n_versions, sizeof *doc->versions);
    s->n_versions = doc->n_versions;
    s->line_starts = dup_array(a, doc->line_starts, doc->n_lines, sizeof *doc->line_starts);
    s->n_lines = doc->n_lines;
    return s;
}
