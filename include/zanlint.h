/*
 * zanlint.h - the public API of libzanlint.
 *
 * zanlint lints privacy policies and personal-data consent texts (Russian and
 * Kazakh) against Kazakhstan's Law No. 94-V.  The library reads a document
 * (zl_doc), loads and compiles rule packs (zl_pack) and evaluates a pack over
 * a document, producing findings.  All types are opaque; their layouts live
 * in private headers under src/.
 *
 * Ownership: every object is created by a zl_*_new/load function and released
 * by its zl_*_free function; zl_x_free(NULL) is a no-op.  Strings returned by
 * accessors are borrowed and live as long as the object they came from.
 * Diagnostics (problems with inputs or rules) are appended to a caller-owned
 * zl_diags list; the library never prints or exits (except "out of memory").
 */
#ifndef ZANLINT_H
#define ZANLINT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ZL_VERSION "0.1.0"

/* Severities, most severe first; also used for tool diagnostics. */
typedef enum zl_severity {
    ZL_SEV_ERROR = 0,
    ZL_SEV_WARNING = 1,
    ZL_SEV_INFO = 2
} zl_severity;

/* Language of a paragraph or of a language version of a document. */
typedef enum zl_lang {
    ZL_LANG_OTHER = 0,
    ZL_LANG_RU = 1,
    ZL_LANG_KK = 2
} zl_lang;

/* Return codes of library functions. */
enum {
    ZL_OK = 0,
    ZL_ERR = -1 /* details are in the zl_diags list passed to the call */
};

typedef struct zl_doc zl_doc;
typedef struct zl_diags zl_diags;

/* Options for reading a document.  Zero-initialised means defaults. */
typedef struct zl_load_opts {
    size_t max_bytes;     /* input size limit; 0 = ZL_DEFAULT_MAX_BYTES */
    const char *encoding; /* "utf-8", "utf-16le", "utf-16be", "cp1251", "koi8-r"; NULL = detect */
    const char *format;   /* "txt", "md", ...; NULL = by extension and content */
} zl_load_opts;

#define ZL_DEFAULT_MAX_BYTES ((size_t)64 * 1024 * 1024)

/* Reads, decodes, normalizes and segments a file ("-" = standard input).
 * On success stores a new document in *out and returns ZL_OK; on failure
 * returns ZL_ERR with at least one error in `diags` and *out = NULL.
 * Warnings (e.g. invalid UTF-8 replaced) may be added on success too. */
int zl_doc_load_file(const char *path, const zl_load_opts *opts, zl_doc **out, zl_diags *diags);
/* Same from memory; `name` is the path shown in positions. The bytes are copied. */
int zl_doc_load_mem(const char *name, const char *data, size_t len, const zl_load_opts *opts,
                    zl_doc **out, zl_diags *diags);
void zl_doc_free(zl_doc *doc);

const char *zl_lang_name(zl_lang lang);             /* "ru", "kk", "other" */
const char *zl_severity_name(zl_severity sev);     /* "error", "warning", "info" */

#ifdef __cplusplus
}
#endif

#endif
