/*
 * buf.h - growable byte buffer with a size cap and a sticky error flag.
 *
 * Writers append without checking each call; when the cap would be exceeded
 * the buffer stops growing and sets `err`, and the caller checks it once at
 * the end (curl's dynbuf, cmark's strbuf).  The data is always
 * NUL-terminated.  The buffer owns `data`; zl_buf_free releases it.
 */
#ifndef ZL_UTIL_BUF_H
#define ZL_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct zl_buf {
    char *data;
    size_t len, cap;
    size_t max; /* 0 = no cap */
    int err;    /* set when a write was dropped because of the cap */
} zl_buf;

#define ZL_BUF_INIT {0, 0, 0, 0, 0}

void zl_buf_init(zl_buf *b, size_t max);
void zl_buf_free(zl_buf *b);
void zl_buf_reset(zl_buf *b);
void zl_buf_put(zl_buf *b, const void *p, size_t n);
void zl_buf_puts(zl_buf *b, const char *s);
void zl_buf_putc(zl_buf *b, char c);
void zl_buf_printf(zl_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void zl_buf_vprintf(zl_buf *b, const char *fmt, va_list ap);
/* Appends `s` as a JSON string literal, quotes included. Invalid UTF-8 is
 * replaced with U+FFFD so the output is always valid JSON. */
void zl_buf_json_str(zl_buf *b, const char *s, size_t n);
/* Appends `s` escaped for XML/HTML text and attribute values. */
void zl_buf_xml_str(zl_buf *b, const char *s, size_t n);
/* Appends the whole file at `path` (the buffer's cap applies).  Returns
 * ZL_BUF_READ_OK, or ZL_BUF_READ_OPEN / ZL_BUF_READ_IO with errno set, or
 * ZL_BUF_READ_TOO_LARGE when the file exceeds the cap (b->err is then set). */
enum { ZL_BUF_READ_OK = 0, ZL_BUF_READ_OPEN, ZL_BUF_READ_IO, ZL_BUF_READ_TOO_LARGE };
int zl_buf_read_file(zl_buf *b, const char *path);
/* Takes the data out of the buffer (caller frees); the buffer is reset. */
char *zl_buf_detach(zl_buf *b, size_t *len);

#endif
