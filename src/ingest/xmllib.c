/*
 * xmllib.c - dlopen()s libxml2 and libzip at the first HTML or DOCX document
 * and fills the function tables of xmllib.h (see there for why), as
 * reader_pdf.c does for poppler.
 *
 * The sonames come from the build (ZL_XML2_SONAME, ZL_ZIP_SONAME: the
 * Makefile reads them from the development libraries with objdump -p); the
 * libraries' directories (ZL_*_LIBDIR) are tried second, for a libdir the
 * dynamic loader does not search.  Each library is loaded under its own
 * pthread_once; a failure keeps the first dlerror() for the message.
 */
#include "ingest/xmllib.h"

#include "ingest/ingest.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#ifndef ZL_XML2_SONAME
#define ZL_XML2_SONAME "libxml2.so.2"
#endif
#ifndef ZL_ZIP_SONAME
#define ZL_ZIP_SONAME "libzip.so.4"
#endif

zl_xml_api zl_xml;
zl_zip_api zl_zip;

typedef struct lib_state {
    pthread_once_t once;
    int ok;
    char err[384];
} lib_state;

static lib_state xml_state = {PTHREAD_ONCE_INIT, 0, ""};
static lib_state zip_state = {PTHREAD_ONCE_INIT, 0, ""};

/* dlopen()s `soname`, then `libdir`/`soname`; NULL with st->err set to the
 * first error. */
static void *open_lib(lib_state *st, const char *soname, const char *libdir)
{
    void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (h)
        return h;
    const char *e = dlerror();
    snprintf(st->err, sizeof st->err, "%s", e ? e : soname);
    if (libdir && libdir[0]) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", libdir, soname);
        h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    }
    return h;
}

/* Stores dlsym(h, name) in the pointer at p (ISO C has no cast between
 * object and function pointers; POSIX guarantees the sizes). */
static int sym(lib_state *st, void *h, const char *name, void *p, size_t size)
{
    void *s = dlsym(h, name);
    if (!s || size != sizeof s) {
        const char *e = dlerror();
        snprintf(st->err, sizeof st->err, "%s", e ? e : name);
        return 0;
    }
    memcpy(p, &s, size);
    return 1;
}

static void xml_load(void)
{
    /* the table's types checked against the headers (comparing pointers of
     * different types is diagnosed), without referencing the functions
     * (sizeof does not evaluate its operand) */
    (void)sizeof(zl_xml.htmlCreateMemoryParserCtxt == htmlCreateMemoryParserCtxt);
    (void)sizeof(zl_xml.htmlCtxtUseOptions == htmlCtxtUseOptions);
    (void)sizeof(zl_xml.htmlParseDocument == htmlParseDocument);
    (void)sizeof(zl_xml.htmlFreeParserCtxt == htmlFreeParserCtxt);
    (void)sizeof(zl_xml.htmlEntityLookup == htmlEntityLookup);
    (void)sizeof(zl_xml.xmlStopParser == xmlStopParser);
    (void)sizeof(zl_xml.xmlFindCharEncodingHandler == xmlFindCharEncodingHandler);
    (void)sizeof(zl_xml.xmlSwitchToEncoding == xmlSwitchToEncoding);
    (void)sizeof(zl_xml.xmlStrdup == xmlStrdup);
    (void)sizeof(zl_xml.xmlFreeVar == &xmlFree);
    (void)sizeof(zl_xml.xmlNewParserCtxt == xmlNewParserCtxt);
    (void)sizeof(zl_xml.xmlCtxtReadMemory == xmlCtxtReadMemory);
    (void)sizeof(zl_xml.xmlCtxtGetLastError == xmlCtxtGetLastError);
    (void)sizeof(zl_xml.xmlFreeParserCtxt == xmlFreeParserCtxt);
    (void)sizeof(zl_xml.xmlDocGetRootElement == xmlDocGetRootElement);
    (void)sizeof(zl_xml.xmlFreeDoc == xmlFreeDoc);

#ifdef ZL_XML2_LIBDIR
    void *h = open_lib(&xml_state, ZL_XML2_SONAME, ZL_XML2_LIBDIR);
#else
    void *h = open_lib(&xml_state, ZL_XML2_SONAME, NULL);
#endif
    if (!h)
        return;
    void (*init_parser)(void);
    (void)sizeof(init_parser == xmlInitParser);
#define SYM(field) sym(&xml_state, h, #field, &zl_xml.field, sizeof zl_xml.field)
    if (!SYM(htmlCreateMemoryParserCtxt) || !SYM(htmlCtxtUseOptions) || !SYM(htmlParseDocument) ||
        !SYM(htmlFreeParserCtxt) || !SYM(htmlEntityLookup) || !SYM(xmlStopParser) ||
        !SYM(xmlFindCharEncodingHandler) || !SYM(xmlSwitchToEncoding) || !SYM(xmlStrdup) ||
        !sym(&xml_state, h, "xmlFree", &zl_xml.xmlFreeVar, sizeof zl_xml.xmlFreeVar) ||
        !SYM(xmlNewParserCtxt) || !SYM(xmlCtxtReadMemory) || !SYM(xmlCtxtGetLastError) ||
        !SYM(xmlFreeParserCtxt) || !SYM(xmlDocGetRootElement) || !SYM(xmlFreeDoc) ||
        !sym(&xml_state, h, "xmlInitParser", &init_parser, sizeof init_parser))
        return; /* the handle stays open: harmless, and nothing is half-used */
#undef SYM
    /* libxml2's global state is set up once, here, before any parser runs
     * (xmlInitParser itself is not safe to race) */
    init_parser();
    xml_state.ok = 1;
}

static void zip_load(void)
{
    (void)sizeof(zl_zip.zip_error_init == zip_error_init);
    (void)sizeof(zl_zip.zip_error_fini == zip_error_fini);
    (void)sizeof(zl_zip.zip_error_strerror == zip_error_strerror);
    (void)sizeof(zl_zip.zip_source_buffer_create == zip_source_buffer_create);
    (void)sizeof(zl_zip.zip_source_free == zip_source_free);
    (void)sizeof(zl_zip.zip_open_from_source == zip_open_from_source);
    (void)sizeof(zl_zip.zip_discard == zip_discard);
    (void)sizeof(zl_zip.zip_get_error == zip_get_error);
    (void)sizeof(zl_zip.zip_get_num_entries == zip_get_num_entries);
    (void)sizeof(zl_zip.zip_stat_index == zip_stat_index);
    (void)sizeof(zl_zip.zip_name_locate == zip_name_locate);
    (void)sizeof(zl_zip.zip_fopen_index == zip_fopen_index);
    (void)sizeof(zl_zip.zip_fread == zip_fread);
    (void)sizeof(zl_zip.zip_file_get_error == zip_file_get_error);
    (void)sizeof(zl_zip.zip_fclose == zip_fclose);

#ifdef ZL_ZIP_LIBDIR
    void *h = open_lib(&zip_state, ZL_ZIP_SONAME, ZL_ZIP_LIBDIR);
#else
    void *h = open_lib(&zip_state, ZL_ZIP_SONAME, NULL);
#endif
    if (!h)
        return;
#define SYM(field) sym(&zip_state, h, #field, &zl_zip.field, sizeof zl_zip.field)
    if (!SYM(zip_error_init) || !SYM(zip_error_fini) || !SYM(zip_error_strerror) ||
        !SYM(zip_source_buffer_create) || !SYM(zip_source_free) || !SYM(zip_open_from_source) ||
        !SYM(zip_discard) || !SYM(zip_get_error) || !SYM(zip_get_num_entries) ||
        !SYM(zip_stat_index) || !SYM(zip_name_locate) || !SYM(zip_fopen_index) || !SYM(zip_fread) ||
        !SYM(zip_file_get_error) || !SYM(zip_fclose))
        return;
#undef SYM
    zip_state.ok = 1;
}

int zl_xml_load(const char **err)
{
    pthread_once(&xml_state.once, xml_load);
    *err = xml_state.err;
    return xml_state.ok ? ZL_OK : ZL_ERR;
}

int zl_zip_load(const char **err)
{
    pthread_once(&zip_state.once, zip_load);
    *err = zip_state.err;
    return zip_state.ok ? ZL_OK : ZL_ERR;
}
