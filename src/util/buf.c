/*
 * buf.c - growable buffer (see buf.h).
 */
#include "util/buf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void zl_buf_init(zl_buf *b, size_t max)
{
    memset(b, 0, sizeof *b);
    b->max = max;
}

void zl_buf_free(zl_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

void zl_buf_reset(zl_buf *b)
{
    b->len = 0;
    b->err = 0;
    if (b->data)
        b->data[0] = '\0';
}

static int reserve(zl_buf *b, size_t n)
{
    if (b->err)
        return 0;
    if (b->max && (n > b->max || b->len > b->max - n)) {
        b->err = 1;
        return 0;
    }
    size_t need = b->len + n + 1;
    if (need > b->cap) {
        size_t cap = b->cap;
        b->data = zl_xgrow(b->data, &cap, need, 1);
        b->cap = cap;
    }
    return 1;
}

void zl_buf_put(zl_buf *b, const void *p, size_t n)
{
    if (!reserve(b, n))
        return;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void zl_buf_puts(zl_buf *b, const char *s)
{
    zl_buf_put(b, s, strlen(s));
}

void zl_buf_putc(zl_buf *b, char c)
{
    zl_buf_put(b, &c, 1);
}

void zl_buf_vprintf(zl_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return;
    if ((size_t)n < sizeof tmp) {
        zl_buf_put(b, tmp, (size_t)n);
        return;
    }
    if (!reserve(b, (size_t)n))
        return;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void zl_buf_printf(zl_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    zl_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void zl_buf_json_str(zl_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    zl_buf_putc(b, '"');
    size_t i = 0;
    while (i < n) {
        /* a run of bytes written as they are: printable ASCII but " and \,
         * and 2-byte sequences (Cyrillic); anything else one at a time below */
        size_t j = i;
        while (j < n) {
            unsigned char c = (unsigned char)s[j];
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
                j++;
            else if (c >= 0xC2 && c <= 0xDF && j + 1 < n && ((unsigned char)s[j + 1] & 0xC0) == 0x80)
                j += 2;
            else
                break;
        }
        if (j > i) {
            zl_buf_put(b, s + i, j - i);
            i = j;
            if (i == n)
                break;
        }
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            switch (c) {
            case '"': zl_buf_put(b, "\\\"", 2); break;
            case '\\': zl_buf_put(b, "\\\\", 2); break;
            case '\n': zl_buf_put(b, "\\n", 2); break;
            case '\r': zl_buf_put(b, "\\r", 2); break;
            case '\t': zl_buf_put(b, "\\t", 2); break;
            default:
                if (c < 0x20 || c == 0x7f) {
                    char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                    zl_buf_put(b, e, 6);
                } else {
                    zl_buf_putc(b, (char)c);
                }
            }
            i++;
            continue;
        }
        uint32_t cp;
        size_t k = zl_utf8_decode(s + i, n - i, &cp);
        if (k == 0) {
            zl_buf_put(b, "\xEF\xBF\xBD", 3);
            i++;
        } else {
            if (cp == 0x2028 || cp == 0x2029)
                zl_buf_printf(b, "\\u%04x", (unsigned)cp);
            else
                zl_buf_put(b, s + i, k);
            i += k;
        }
    }
    zl_buf_putc(b, '"');
}

void zl_buf_xml_str(zl_buf *b, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '&': zl_buf_puts(b, "&amp;"); i++; continue;
        case '<': zl_buf_puts(b, "&lt;"); i++; continue;
        case '>': zl_buf_puts(b, "&gt;"); i++; continue;
        case '"': zl_buf_puts(b, "&quot;"); i++; continue;
        case '\'': zl_buf_puts(b, "&#39;"); i++; continue;
        default: break;
        }
        if (c < 0x80) {
            /* XML 1.0 forbids most control characters even as references. */
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t')
                zl_buf_putc(b, ' ');
            else
                zl_buf_putc(b, (char)c);
            i++;
            continue;
        }
        uint32_t cp;
        size_t k = zl_utf8_decode(s + i, n - i, &cp);
        if (k == 0 || cp == 0xFFFE || cp == 0xFFFF) {
            zl_buf_put(b, "\xEF\xBF\xBD", 3);
            i += k ? k : 1;
        } else {
            zl_buf_put(b, s + i, k);
            i += k;
        }
    }
}

char *zl_buf_detach(zl_buf *b, size_t *len)
{
    if (!b->data)
        zl_buf_put(b, "", 0);
    char *p = b->data;
    if (len)
        *len = b->len;
    memset(b, 0, sizeof *b);
    return p;
}

int zl_buf_read_file(zl_buf *b, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return ZL_BUF_READ_OPEN;
    char chunk[8192];
    size_t n;
    while (!b->err && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        zl_buf_put(b, chunk, n);
    int bad = ferror(f), saved = errno;
    fclose(f);
    if (bad) {
        errno = saved;
        return ZL_BUF_READ_IO;
    }
    return b->err ? ZL_BUF_READ_TOO_LARGE : ZL_BUF_READ_OK;
}
