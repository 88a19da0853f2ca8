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
#include <stdint.h>
#include <string.h>

typedef struct zl_buf {
    char *data;
    size_t len, cap;
    size_t max; /* 0 = no cap */
    int err;    /* ZL_BUF_CAPPED when a write was dropped because of the cap */
} zl_buf;

/* zl_buf.err: why bytes are missing.  A writer that loses bytes it held
 * elsewhere (a temporary file that cannot be read back) sets ZL_BUF_LOST,
 * so the run does not blame the size. */
enum { ZL_BUF_CAPPED = 1, ZL_BUF_LOST = 2 };

#define ZL_BUF_INIT {0, 0, 0, 0, 0}

void zl_buf_init(zl_buf *b, size_t max);
void zl_buf_free(zl_buf *b);
void zl_buf_reset(zl_buf *b);
/* zl_buf_put's path when the bytes do not fit in the allocation yet (or
 * the cap or the error flag is involved); callers use zl_buf_put. */
void zl_buf_put_grow(zl_buf *b, const void *p, size_t n);
static inline void zl_buf_put(zl_buf *b, const void *p, size_t n)
{
    /* cap > len whenever data is allocated; len <= max always */
    if (n < b->cap - b->len && !b->err && (b->max == 0 || n <= b->max - b->len)) {
        if (n)
            memcpy(b->data + b->len, p, n);
        b->len += n;
        b->data[b->len] = '\0';
        return;
    }
    zl_buf_put_grow(b, p, n);
}
/* A string literal, its length known at compile time. */
#define zl_buf_put_lit(b, lit) zl_buf_put((b), "" lit, sizeof(lit) - 1)
/* The decimal digits of v, as printf's %u / %llu / %zu write them. */
void zl_buf_u32(zl_buf *b, uint32_t v);
void zl_buf_u64(zl_buf *b, uint64_t v);
static inline void zl_buf_puts(zl_buf *b, const char *s)
{
    zl_buf_put(b, s, strlen(s));
}
static inline void zl_buf_putc(zl_buf *b, char c)
{
    zl_buf_put(b, &c, 1);
}
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
