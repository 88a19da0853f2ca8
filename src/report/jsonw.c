/*
 * jsonw.c - the streaming JSON writer of jsonw.h (used by report_sarif.c
 * and report_gitlab.c).  Strings are escaped by zl_buf_json_str.
 */
#include "report/jsonw.h"

#include <assert.h>
#include <string.h>

void zl_jw_init(zl_jw *w, zl_buf *out)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    w->empty[0] = 1;
}

/* ",\n" and the indentation of the deepest level: a member's separator,
 * newline and indentation are one piece of it. */
static const char comma_indent[] = ",\n                                                ";
_Static_assert(sizeof comma_indent == 2 + 2 * ZL_JW_MAX_DEPTH + 1, "one indentation per level");

/* Separator, newline, indentation and key before a value. */
static void lead(zl_jw *w, const char *key)
{
    if (w->depth > 0) {
        size_t first = w->empty[w->depth] ? 1 : 0; /* no comma before the first */
        zl_buf_put(w->out, comma_indent + first, 2 - first + 2 * (size_t)w->depth);
    }
    w->empty[w->depth] = 0;
    if (key) {
        zl_buf_json_str(w->out, key, strlen(key));
        zl_buf_put_lit(w->out, ": ");
    }
}

static void jw_open(zl_jw *w, const char *key, char o, char c)
{
    lead(w, key);
    zl_buf_putc(w->out, o);
    assert(w->depth + 1 < ZL_JW_MAX_DEPTH);
    w->depth++;
    w->empty[w->depth] = 1;
    w->close[w->depth] = c;
}

void zl_jw_obj(zl_jw *w, const char *key)
{
    jw_open(w, key, '{', '}');
}

void zl_jw_arr(zl_jw *w, const char *key)
{
    jw_open(w, key, '[', ']');
}

void zl_jw_end(zl_jw *w)
{
    assert(w->depth > 0);
    int d = w->depth--;
    if (!w->empty[d])
        zl_buf_put(w->out, comma_indent + 1, 1 + 2 * (size_t)w->depth);
    zl_buf_putc(w->out, w->close[d]);
    if (w->depth == 0)
        zl_buf_putc(w->out, '\n');
}

void zl_jw_strn(zl_jw *w, const char *key, const char *s, size_t n)
{
    lead(w, key);
    zl_buf_json_str(w->out, s, n);
}

void zl_jw_str(zl_jw *w, const char *key, const char *s)
{
    if (!s) {
        lead(w, key);
        zl_buf_puts(w->out, "null");
        return;
    }
    zl_jw_strn(w, key, s, strlen(s));
}

void zl_jw_uint(zl_jw *w, const char *key, uint64_t v)
{
    lead(w, key);
    zl_buf_u64(w->out, v);
}

void zl_jw_bool(zl_jw *w, const char *key, int v)
{
    lead(w, key);
    zl_buf_puts(w->out, v ? "true" : "false");
}
