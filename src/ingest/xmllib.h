/*
 * xmllib.h - libxml2 and libzip for the HTML and DOCX readers, loaded at the
 * first document that needs them.
 *
 * Neither library is linked: libxml2 brings ICU (30 MB of data) and
 * libstdc++, libzip brings libcrypto, bzip2 and lzma, and loading them cost
 * every process start, though most runs read only text and Markdown.  The
 * readers compile against the libraries' headers (types, struct layouts,
 * constants) and call the functions through the tables below, which
 * zl_xml_load() / zl_zip_load() fill once (pthread_once, so any worker
 * thread may be first) by dlopen()ing the soname found at build time.
 *
 * The tables are written only under the once and read-only afterwards: use
 * one only after its load function returned ZL_OK in the same thread.  A
 * failed load stays failed for the process; its message names the library
 * and gives dlerror(), for a one-line diagnostic on the document.
 */
#ifndef ZL_INGEST_XMLLIB_H
#define ZL_INGEST_XMLLIB_H

#include <libxml/HTMLparser.h>
#include <libxml/encoding.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <zip.h>

/* The libxml2 functions the readers use, named as in libxml2. */
typedef struct zl_xml_api {
    /* HTML (reader_html.c) */
    htmlParserCtxtPtr (*htmlCreateMemoryParserCtxt)(const char *, int);
    int (*htmlCtxtUseOptions)(htmlParserCtxtPtr, int);
    int (*htmlParseDocument)(htmlParserCtxtPtr);
    void (*htmlFreeParserCtxt)(htmlParserCtxtPtr);
    const htmlEntityDesc *(*htmlEntityLookup)(const xmlChar *);
    void (*xmlStopParser)(xmlParserCtxtPtr);
    xmlCharEncodingHandlerPtr (*xmlFindCharEncodingHandler)(const char *);
    int (*xmlSwitchToEncoding)(xmlParserCtxtPtr, xmlCharEncodingHandlerPtr);
    xmlChar *(*xmlStrdup)(const xmlChar *);
    xmlFreeFunc *xmlFreeVar; /* libxml2's xmlFree variable: (*xmlFreeVar)(p) */
    /* XML (reader_docx.c) */
    xmlParserCtxtPtr (*xmlNewParserCtxt)(void);
    xmlDocPtr (*xmlCtxtReadMemory)(xmlParserCtxtPtr, const char *, int, const char *, const char *,
                                   int);
    xmlErrorPtr (*xmlCtxtGetLastError)(void *);
    void (*xmlFreeParserCtxt)(xmlParserCtxtPtr);
    xmlNodePtr (*xmlDocGetRootElement)(const xmlDoc *);
    void (*xmlFreeDoc)(xmlDocPtr);
} zl_xml_api;

/* The libzip functions reader_docx.c uses, named as in libzip. */
typedef struct zl_zip_api {
    void (*zip_error_init)(zip_error_t *);
    void (*zip_error_fini)(zip_error_t *);
    const char *(*zip_error_strerror)(zip_error_t *);
    zip_source_t *(*zip_source_buffer_create)(const void *, zip_uint64_t, int, zip_error_t *);
    void (*zip_source_free)(zip_source_t *);
    zip_t *(*zip_open_from_source)(zip_source_t *, int, zip_error_t *);
    void (*zip_discard)(zip_t *);
    zip_error_t *(*zip_get_error)(zip_t *);
    zip_int64_t (*zip_get_num_entries)(zip_t *, zip_flags_t);
    int (*zip_stat_index)(zip_t *, zip_uint64_t, zip_flags_t, zip_stat_t *);
    zip_int64_t (*zip_name_locate)(zip_t *, const char *, zip_flags_t);
    zip_file_t *(*zip_fopen_index)(zip_t *, zip_uint64_t, zip_flags_t);
    zip_int64_t (*zip_fread)(zip_file_t *, void *, zip_uint64_t);
    zip_error_t *(*zip_file_get_error)(zip_file_t *);
    int (*zip_fclose)(zip_file_t *);
} zl_zip_api;

extern zl_xml_api zl_xml;
extern zl_zip_api zl_zip;

/* Loads libxml2 (and runs xmlInitParser) at the first call.  Returns ZL_OK,
 * or ZL_ERR with *err set to a static one-line message such as
 * "libxml2.so.2: cannot open shared object file: No such file or directory". */
int zl_xml_load(const char **err);
/* The same for libzip. */
int zl_zip_load(const char **err);

#endif
