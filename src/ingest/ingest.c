/*
 * ingest.c - stage 1 entry points: read an input whole, pick a reader, run it
 * (see ingest.h).
 *
 * zl_ingest_read_bytes() loads a file or stdin into the document arena under
 * a size limit; zl_ingest() chooses a reader (format option, then extension
 * confirmed by content sniffing, then content sniffing, then "txt") and hands
 * the bytes to it.  The readers
 * live in reader_<name>.c; the table below is the only place that lists them.
 * The resulting zl_input goes to the text stage (normalize, segment).
 * A reader's read() is called with out->path (display path) and out->format
 * already set; it fills everything else.
 */
#include "ingest/ingest.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/xalloc.h"

#include <time.h>

/* Readers, defined in reader_<name>.c.  Adding a format: one file, one
 * declaration and one line in `readers`. */
extern const zl_reader zl_reader_txt;
extern const zl_reader zl_reader_md;
extern const zl_reader zl_reader_html;
extern const zl_reader zl_reader_docx;
extern const zl_reader zl_reader_pdf;

static const zl_reader *const readers[] = {
    &zl_reader_txt,
    &zl_reader_md,
    &zl_reader_html,
    &zl_reader_docx,
    &zl_reader_pdf,
    NULL,
};

#define STDIN_NAME "<stdin>"
#define READ_CHUNK ((size_t)64 * 1024)

const zl_reader *const *zl_readers(void)
{
    return readers;
}

int zl_ingest_own_report(const char *s, size_t n)
{
    return zl_txt_own_report(s, n) || zl_html_own_report(s, n);
}

const zl_reader *zl_reader_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; readers[i]; i++)
        if (strcasecmp(readers[i]->name, name) == 0)
            return readers[i];
    return NULL;
}

static size_t max_bytes_of(const zl_load_opts *opts)
{
    return opts && opts->max_bytes ? opts->max_bytes : ZL_DEFAULT_MAX_BYTES;
}

static void add_errno(zl_diags *diags, zl_diag_id id, const char *path, int err)
{
    char msg[256];
    if (strerror_r(err, msg, sizeof msg) != 0)
        msg[0] = '\0';
    zl_diags_add(diags, id, path, 0, 0, msg[0] ? msg : "unknown error");
}

/* read(2) that retries on EINTR; returns bytes read, 0 at EOF, -1 on error. */
static ssize_t read_some(int fd, char *p, size_t n)
{
    ssize_t r;
    do
        r = read(fd, p, n);
    while (r < 0 && errno == EINTR);
    return r;
}

static int read_stdin(zl_arena *a, size_t max, char **bytes, size_t *n, zl_diags *diags)
{
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        buf = zl_xgrow(buf, &cap, len + READ_CHUNK, 1);
        ssize_t r = read_some(0, buf + len, cap - len);
        if (r < 0) {
            add_errno(diags, ZL_D_IO_READ, STDIN_NAME, errno);
            free(buf);
            return ZL_ERR;
        }
        if (r == 0)
            break;
        len += (size_t)r;
        if (len > max) {
            zl_diags_add(diags, ZL_D_IO_TOO_LARGE, STDIN_NAME, 0, 0, max);
            free(buf);
            return ZL_ERR;
        }
    }
    if (len == 0) {
        zl_diags_add(diags, ZL_D_IO_EMPTY, STDIN_NAME, 0, 0);
        free(buf);
        return ZL_ERR;
    }
    *bytes = zl_arena_alloc(a, len + 1);
    memcpy(*bytes, buf, len);
    (*bytes)[len] = '\0';
    *n = len;
    free(buf);
    return ZL_OK;
}

int zl_ingest_read_bytes(zl_arena *a, const char *path, const zl_load_opts *opts, char **bytes,
                         size_t *n, zl_diags *diags)
{
    size_t max = max_bytes_of(opts);
    *bytes = NULL;
    *n = 0;
    if (strcmp(path, "-") == 0)
        return read_stdin(a, max, bytes, n, diags);

    /* O_NONBLOCK so that opening a FIFO does not wait for a writer; it is
     * refused as a special file right after. */
    int fd;
    do
        fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        add_errno(diags, ZL_D_IO_OPEN, path, errno);
        return ZL_ERR;
    }
    int rc = ZL_ERR;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        add_errno(diags, ZL_D_IO_OPEN, path, errno);
        goto cleanup;
    }
    if (S_ISDIR(st.st_mode)) {
        zl_diags_add(diags, ZL_D_IO_ISDIR, path, 0, 0);
        goto cleanup;
    }
    if (!S_ISREG(st.st_mode)) {
        zl_diags_add(diags, ZL_D_IO_SPECIAL, path, 0, 0);
        goto cleanup;
    }
    if ((uintmax_t)st.st_size > (uintmax_t)max) {
        zl_diags_add(diags, ZL_D_IO_TOO_LARGE, path, 0, 0, max);
        goto cleanup;
    }
    if (st.st_size == 0) {
        zl_diags_add(diags, ZL_D_IO_EMPTY, path, 0, 0);
        goto cleanup;
    }
    size_t size = (size_t)st.st_size, len = 0;
    char *buf = zl_arena_alloc(a, size + 1);
    while (len < size) {
        ssize_t r = read_some(fd, buf + len, size - len);
        if (r < 0) {
            add_errno(diags, ZL_D_IO_READ, path, errno);
            goto cleanup;
        }
        if (r == 0)
            break; /* the file shrank while we read it */
        len += (size_t)r;
    }
    if (len == 0) {
        zl_diags_add(diags, ZL_D_IO_EMPTY, path, 0, 0);
        goto cleanup;
    }
    buf[len] = '\0';
    *bytes = buf;
    *n = len;
    rc = ZL_OK;
cleanup:
    close(fd);
    return rc;
}

/* Document formats zanlint recognises but does not read.  Directory walks
 * take files with these extensions (zl_ingest_document_name) and zl_ingest
 * refuses them by name, so a document in an audited folder is never left out
 * silently; their content is recognised under any name too (an RTF file named
 * .txt is not linted as text, a .doc renamed .docx is named as what it is). */
static int ole2_sniff(const char *b, size_t n)
{
    return n >= 8 && memcmp(b, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) == 0;
}

static int rtf_sniff(const char *b, size_t n)
{
    return n >= 5 && memcmp(b, "{\\rtf", 5) == 0;
}

/* ODF packages start with an uncompressed "mimetype" entry (ODF 1.2 part 3,
 * 3.3): its data follows the 30-byte local header and the 8-byte name. */
static int odt_sniff(const char *b, size_t n)
{
    static const char mt[] = "mimetypeapplication/vnd.oasis.opendocument.text";
    return n >= 30 + sizeof mt - 1 && memcmp(b, "PK\x03\x04", 4) == 0 &&
           memcmp(b + 30, mt, sizeof mt - 1) == 0;
}

static int wpd_sniff(const char *b, size_t n)
{
    return n >= 4 && memcmp(b, "\xffWPC", 4) == 0;
}

static int djvu_sniff(const char *b, size_t n)
{
    return n >= 8 && memcmp(b, "AT&TFORM", 8) == 0;
}

static const struct other_format {
    const char *what;
    const char *extensions; /* as zl_reader.extensions */
    int (*sniff)(const char *bytes, size_t n);
} others[] = {
    {"a Word 97-2003 document", ".doc .dot", ole2_sniff},
    {"an RTF document", ".rtf", rtf_sniff},
    {"an OpenDocument text", ".odt .ott", odt_sniff},
    {"a WordPerfect document", ".wpd", wpd_sniff},
    {"a Microsoft Works document", ".wps", NULL},
    {"an Apple Pages document", ".pages", NULL},
    {"a DjVu document", ".djvu .djv", djvu_sniff},
    {"an XPS document", ".xps .oxps", NULL},
};

/* Whether the space-separated list holds `dot` (".txt"), case aside. */
static int has_extension(const char *list, const char *dot)
{
    size_t elen = strlen(dot);
    for (const char *e = list; e && *e;) {
        while (*e == ' ')
            e++;
        size_t k = strcspn(e, " ");
        if (k == elen && strncasecmp(e, dot, k) == 0)
            return 1;
        e += k;
    }
    return 0;
}

/* The extension of the last component of `path` (".txt"), or NULL. */
static const char *extension(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    return dot && dot != base && dot[1] != '\0' ? dot : NULL;
}

/* The reader whose extension list holds the extension of `path`, or NULL. */
static const zl_reader *reader_by_extension(const char *path)
{
    const char *dot = extension(path);
    for (size_t i = 0; dot && readers[i]; i++)
        if (has_extension(readers[i]->extensions, dot))
            return readers[i];
    return NULL;
}

static const struct other_format *other_by_extension(const char *path)
{
    const char *dot = extension(path);
    for (size_t i = 0; dot && i < sizeof others / sizeof others[0]; i++)
        if (has_extension(others[i].extensions, dot))
            return &others[i];
    return NULL;
}

static const struct other_format *other_by_content(const char *bytes, size_t n)
{
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        if (others[i].sniff && others[i].sniff(bytes, n))
            return &others[i];
    return NULL;
}

int zl_ingest_document_name(const char *path)
{
    return reader_by_extension(path) || other_by_extension(path);
}

/* "a Word 97-2003 document, not a format zanlint reads (it reads .txt, ...)" */
static int refuse(const struct other_format *o, const char *display, zl_diags *diags)
{
    char read[128] = "";
    size_t len = 0;
    for (size_t i = 0; readers[i]; i++) {
        size_t k = strcspn(readers[i]->extensions, " ");
        if (len + k + 3 < sizeof read)
            len += (size_t)snprintf(read + len, sizeof read - len, "%s%.*s", i ? ", " : "",
                                    (int)k, readers[i]->extensions);
    }
    zl_diags_add(diags, ZL_D_FORMAT_NOT_READ, display, 0, 0, o->what, read);
    return ZL_ERR;
}

int zl_ingest(zl_arena *a, const char *path, const char *bytes, size_t n,
              const zl_load_opts *opts, zl_input *out, zl_diags *diags)
{
    int is_stdin = strcmp(path, "-") == 0;
    const char *display = is_stdin ? STDIN_NAME : path;
    memset(out, 0, sizeof *out);
    out->path = zl_arena_strdup(a, display);

    const zl_reader *r = NULL;
    int known = 0; /* r named by the load option or recognised by its sniff */
    if (opts && opts->format && opts->format[0]) {
        r = zl_reader_find(opts->format);
        if (!r) {
            zl_diags_add(diags, ZL_D_FORMAT_UNSUPPORTED, display, 0, 0, opts->format);
            return ZL_ERR;
        }
        known = 1;
    }
    if (!r && !is_stdin) {
        /* the extension chooses, the content confirms: when the bytes are not
         * what the extension's reader recognises but another reader's sniff
         * knows them (a DOCX named .md, an HTML page named .txt, a PDF named
         * .docx), that reader reads them; bytes nobody recognises stay with
         * the extension's reader, which refuses them if they are not its
         * format (a text file named .docx or .pdf) */
        r = reader_by_extension(path);
        known = r && r->sniff && r->sniff(bytes, n);
        for (size_t i = 0; r && !known && readers[i]; i++)
            if (readers[i] != r && readers[i]->sniff && readers[i]->sniff(bytes, n)) {
                r = readers[i];
                known = 1;
            }
    }
    for (size_t i = 0; !r && readers[i]; i++)
        if (readers[i]->sniff && readers[i]->sniff(bytes, n)) {
            r = readers[i];
            known = 1;
        }
    if (!known) {
        /* a format zanlint does not read: by the extension when no reader
         * claims it and the content does not contradict it (a text file
         * named .doc is read as text), else by the content (an RTF file
         * named .txt or .doc) */
        const struct other_format *o = !r && !is_stdin ? other_by_extension(path) : NULL;
        if (o && o->sniff && !o->sniff(bytes, n))
            o = NULL;
        if (!o)
            o = other_by_content(bytes, n);
        if (o)
            return refuse(o, display, diags);
    }
    if (!r)
        r = &zl_reader_txt;

    out->format = r->name;
    return r->read(a, bytes, n, opts, out, diags);
}

uint32_t zl_input_text_to_src(const zl_input *in, uint32_t text_off)
{
    if (in->n_map == 0)
        return text_off;
    /* the last run with run.text_off <= text_off */
    size_t lo = 0, hi = in->n_map;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (in->map[mid].text_off <= text_off)
            lo = mid;
        else
            hi = mid;
    }
    const zl_map_run *run = &in->map[lo];
    if (text_off < run->text_off)
        return run->src_off;
    return run->src_off + (text_off - run->text_off);
}

void zl_ingest_init(void)
{
    /* libxml2 is set up by the first HTML or DOCX document (xmllib.c) */
    tzset();
    zl_reader_pdf_init();
}
