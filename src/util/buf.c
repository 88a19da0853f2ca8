/*
 * buf.c - growable buffer (see buf.h).
 */
#include "util/buf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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
        b->err = ZL_BUF_CAPPED;
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

void zl_buf_put_grow(zl_buf *b, const void *p, size_t n)
{
    if (!reserve(b, n))
        return;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void zl_buf_u32(zl_buf *b, uint32_t v)
{
    char tmp[10], *e = tmp + sizeof tmp, *p = e;
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    zl_buf_put(b, p, (size_t)(e - p));
}

void zl_buf_u64(zl_buf *b, uint64_t v)
{
    if (v <= UINT32_MAX) {
        zl_buf_u32(b, (uint32_t)v);
        return;
    }
    char tmp[20], *e = tmp + sizeof tmp, *p = e;
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    zl_buf_put(b, p, (size_t)(e - p));
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

/* The escaper one piece at a time through zl_buf_put: used when the worst
 * case of zl_buf_json_str might not fit under the buffer's cap, so that the
 * cap is hit exactly where it was always hit. */
static void json_str_capped(zl_buf *b, const char *s, size_t n)
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

/* Writes the escape of the one character at s[i] (an ASCII byte, a
 * sequence or an ill-formed byte) at *d; returns the bytes it took.
 * Same output as json_str_capped. */
static size_t json_escape1(char **d, const char *s, size_t i, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    char *o = *d;
    unsigned char c = (unsigned char)s[i];
    size_t k = 1;
    if (c < 0x80) {
        switch (c) {
        case '"': o[0] = '\\'; o[1] = '"'; o += 2; break;
        case '\\': o[0] = '\\'; o[1] = '\\'; o += 2; break;
        case '\n': o[0] = '\\'; o[1] = 'n'; o += 2; break;
        case '\r': o[0] = '\\'; o[1] = 'r'; o += 2; break;
        case '\t': o[0] = '\\'; o[1] = 't'; o += 2; break;
        default:
            if (c < 0x20 || c == 0x7f) {
                memcpy(o, "\\u00", 4);
                o[4] = hex[c >> 4];
                o[5] = hex[c & 15];
                o += 6;
            } else {
                *o++ = (char)c;
            }
        }
    } else if (c >= 0xC2 && c <= 0xDF && i + 1 < n && ((unsigned char)s[i + 1] & 0xC0) == 0x80) {
        o[0] = (char)c;
        o[1] = s[i + 1];
        o += 2;
        k = 2;
    } else {
        uint32_t cp;
        k = zl_utf8_decode(s + i, n - i, &cp);
        if (k == 0) {
            memcpy(o, "\xEF\xBF\xBD", 3);
            o += 3;
            k = 1;
        } else if (cp == 0x2028 || cp == 0x2029) {
            memcpy(o, cp == 0x2028 ? "\\u2028" : "\\u2029", 6);
            o += 6;
        } else {
            memcpy(o, s + i, k);
            o += k;
        }
    }
    *d = o;
    return k;
}

#if defined(__SSE2__)
/* Bit i set when byte i of the block ends the run of bytes written as they
 * are: " \\ a control byte or DEL, or a byte >= 0x80 that is not part of a
 * well-formed 2-byte sequence (C2-DF then 80-BF) lying inside the block. */
static inline unsigned json_stops16(__m128i v)
{
    __m128i ctl = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v);
    __m128i spec = _mm_or_si128(_mm_or_si128(ctl, _mm_cmpeq_epi8(v, _mm_set1_epi8('"'))),
                                _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\\')),
                                             _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f))));
    unsigned hi = (unsigned)_mm_movemask_epi8(v);
    unsigned cont = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(v, _mm_set1_epi8((char)0xC0)));
    unsigned lead = hi & (unsigned)_mm_movemask_epi8(
                             _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8((char)0xC1)),
                                           _mm_cmplt_epi8(v, _mm_set1_epi8((char)0xE0))));
    unsigned bad = (unsigned)_mm_movemask_epi8(spec) | (hi & ~lead & ~cont);
    bad |= lead & ~(cont >> 1);  /* a lead not followed by a continuation */
    bad |= cont & ~(lead << 1);  /* a continuation after no lead */
    return bad;
}
#endif

void zl_buf_json_str(zl_buf *b, const char *s, size_t n)
{
    /* Every byte gives at most 6 (\u0001; a 3-byte U+2028 gives 6 too),
     * plus the quotes, plus 16 for the block stores below.  When that might
     * not fit under the cap, the piecewise writer decides where it stops. */
    if (b->err)
        return;
    if (n > (SIZE_MAX - 64) / 6) {
        json_str_capped(b, s, n);
        return;
    }
    size_t worst = 6 * n + 2 + 16;
    if (b->max && (worst > b->max || b->len > b->max - worst)) {
        json_str_capped(b, s, n);
        return;
    }
    if (!reserve(b, worst))
        return;
    char *d = b->data + b->len;
    *d++ = '"';
    size_t i = 0;
#if defined(__SSE2__)
    while (i < n) {
        __m128i v;
        if (n - i >= 16) {
            v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        } else { /* the tail, padded with NULs (which stop the run) */
            char t[16] = {0};
            memcpy(t, s + i, n - i);
            v = _mm_loadu_si128((const __m128i *)(const void *)t);
        }
        _mm_storeu_si128((__m128i *)(void *)d, v);
        unsigned bad = json_stops16(v);
        if (bad == 0) {
            d += 16;
            i += 16;
            continue;
        }
        unsigned k = (unsigned)__builtin_ctz(bad);
        d += k;
        i += k;
        if (i >= n)
            break;
        i += json_escape1(&d, s, i, n);
    }
#else
    while (i < n)
        i += json_escape1(&d, s, i, n);
#endif
    *d++ = '"';
    b->len = (size_t)(d - b->data);
    b->data[b->len] = '\0';
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
