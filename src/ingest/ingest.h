/*
 * ingest.h - stage 1: turn a file (any supported format) into text blocks.
 *
 * A reader takes the raw bytes of one input and produces a zl_input:
 *   - `src`: the source decoded to valid UTF-8.  Reported positions (line,
 *     code-point column, byte offset) refer to this text.  For text formats
 *     (.txt, .md) it is the file itself (minus a BOM); for container formats
 *     (DOCX) a reader may synthesise it (e.g. one line per paragraph) and says
 *     so in `pos_kind`.
 *   - `text`: the logical text the linter reads (markup removed), with
 *     `blocks` describing its structure where the format knows it.
 *   - `map`: where each byte of `text` came from in `src`.  An empty map means
 *     identity (text == src), which is the case for .txt; .md blanks markup
 *     with spaces of the same byte length so it stays identity too.
 * Everything is allocated in the caller's arena.
 *
 * Readers are registered in one table in ingest.c; adding a format is one
 * file plus one table line.
 */
#ifndef ZL_INGEST_INGEST_H
#define ZL_INGEST_INGEST_H

#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/diag.h"
#include "zanlint.h"

typedef enum zl_encoding {
    ZL_ENC_UTF8 = 0,
    ZL_ENC_UTF8_BOM,
    ZL_ENC_UTF16LE,
    ZL_ENC_UTF16BE,
    ZL_ENC_CP1251,
    ZL_ENC_KOI8R
} zl_encoding;

typedef enum zl_block_kind {
    ZL_BLK_TEXT = 0,   /* running text: the segmenter finds its structure */
    ZL_BLK_PARAGRAPH,  /* one paragraph known to the format */
    ZL_BLK_HEADING,    /* a heading; `level` 1..9 */
    ZL_BLK_LIST_ITEM,  /* a list item; `level` = nesting depth, `label` = number/bullet */
    ZL_BLK_TABLE_ROW   /* a table row, cells separated by " | " in text */
} zl_block_kind;

typedef struct zl_block {
    zl_block_kind kind;
    uint8_t level;
    uint32_t off, len;  /* span in zl_input.text */
    const char *label;  /* list number as rendered ("2.5.", "1)", "•") or NULL */
} zl_block;

/* text bytes [text_off, next run's text_off) map 1:1 to src bytes from src_off. */
typedef struct zl_map_run {
    uint32_t text_off;
    uint32_t src_off;
} zl_map_run;

typedef enum zl_pos_kind {
    ZL_POS_LINE = 0,   /* path:line:col in the source file */
    ZL_POS_PARAGRAPH,  /* path:¶N:col, src has one line per paragraph (DOCX) */
    ZL_POS_PAGE        /* path:pN:line:col (PDF); see zl_input.page_of_line */
} zl_pos_kind;

typedef struct zl_input {
    const char *path;    /* display path ("<stdin>" for -) */
    const char *format;  /* reader name: "txt", "md", ... */
    zl_encoding encoding;
    size_t bom_len;      /* bytes of byte-order mark stripped from the file */
    const char *src;     /* decoded source, NUL-terminated */
    size_t src_len;
    const char *text;    /* logical text, NUL-terminated */
    size_t text_len;
    zl_block *blocks;
    size_t n_blocks;
    zl_map_run *map;     /* sorted by text_off; n_map == 0 means identity */
    size_t n_map;
    zl_pos_kind pos_kind;
    uint32_t *page_of_line; /* ZL_POS_PAGE: page number of each src line (1-based) */
} zl_input;

typedef struct zl_reader {
    const char *name;        /* "txt" */
    const char *extensions;  /* space-separated, lower case, with dots: ".txt .text" */
    /* Returns nonzero when the bytes look like this format (or 0 to defer). */
    int (*sniff)(const char *bytes, size_t n);
    /* Fills `out` from the raw bytes; returns ZL_OK or ZL_ERR with diags. */
    int (*read)(zl_arena *a, const char *bytes, size_t n, const zl_load_opts *opts,
                zl_input *out, zl_diags *diags);
} zl_reader;

/* Reads a whole file ("-" = stdin) into arena memory, refusing inputs over
 * opts->max_bytes without reading them whole first. */
int zl_ingest_read_bytes(zl_arena *a, const char *path, const zl_load_opts *opts, char **bytes,
                         size_t *n, zl_diags *diags);
/* Picks a reader by format option, extension, then content, and runs it. */
int zl_ingest(zl_arena *a, const char *path, const char *bytes, size_t n,
              const zl_load_opts *opts, zl_input *out, zl_diags *diags);
/* Whether the extension of `path` is that of a document format: one a
 * reader reads, or one zanlint recognises and refuses (.doc, .rtf, .odt, ...),
 * so that a walk does not leave such a document out silently. */
int zl_ingest_document_name(const char *path);
/* Whether `s` (a file's text, or its first KiB or more) is a report zanlint
 * wrote: a text report, recognised by its first line (reader_txt.c), or an
 * HTML report, by its generator line (reader_html.c).  The readers refuse
 * such an input (io.zanlint-report); the command line lets an --output file
 * holding one be replaced, and refuses to replace anything else found in
 * the folder it walks. */
int zl_ingest_own_report(const char *s, size_t n);
int zl_txt_own_report(const char *s, size_t n);
int zl_html_own_report(const char *s, size_t n);
/* The reader table (NULL-terminated) and lookup by name. */
const zl_reader *const *zl_readers(void);
const zl_reader *zl_reader_find(const char *name);
/* Initialises the global state of the parsing libraries (libxml2, GLib's
 * type registry for poppler, the C library's time zone used by libzip).
 * Call once from the main thread before readers run on several threads;
 * harmless to call again. */
void zl_ingest_init(void);
void zl_reader_pdf_init(void);

/* Maps an offset in text to an offset in src (identity when no map). */
uint32_t zl_input_text_to_src(const zl_input *in, uint32_t text_off);

#endif
