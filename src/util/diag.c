/*
 * diag.c - the diagnostics table and list (see diag.h).
 */
#include "util/diag.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    zl_severity sev;
    const char *code;
    const char *fmt;
    const char *title[2];
} table[] = {
#define ZL_X_ROW(id, sev, code, fmt, ru, kk) {sev, code, fmt, {ru, kk}},
    ZL_DIAG_TABLE(ZL_X_ROW)
#undef ZL_X_ROW
};

const char *zl_diag_code(zl_diag_id id)
{
    return id < ZL_D__COUNT ? table[id].code : "?";
}

const char *zl_diag_title(zl_diag_id id, int lang)
{
    return id < ZL_D__COUNT && lang >= 0 && lang < 2 ? table[id].title[lang] : NULL;
}

zl_severity zl_diag_default_severity(zl_diag_id id)
{
    return id < ZL_D__COUNT ? table[id].sev : ZL_SEV_ERROR;
}

static zl_diag *vadd(zl_diags *d, zl_diag_id id, const char *path, uint32_t line, uint32_t col,
                     size_t offset, va_list ap)
{
    d->items = zl_xgrow(d->items, &d->cap, d->count + 1, sizeof *d->items);
    zl_diag *g = &d->items[d->count++];
    memset(g, 0, sizeof *g);
    g->id = id;
    g->severity = table[id].sev;
    g->path = path ? zl_xstrdup(path) : NULL;
    g->line = line;
    g->col = col;
    g->offset = offset;
    zl_buf b = ZL_BUF_INIT;
    zl_buf_vprintf(&b, table[id].fmt, ap);
    g->message = zl_buf_detach(&b, NULL);
    if (g->severity == ZL_SEV_ERROR)
        d->errors++;
    return g;
}

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#endif
zl_diag *zl_diags_add(zl_diags *d, zl_diag_id id, const char *path, uint32_t line, uint32_t col,
                      ...)
{
    va_list ap;
    va_start(ap, col);
    zl_diag *g = vadd(d, id, path, line, col, SIZE_MAX, ap);
    va_end(ap);
    return g;
}

zl_diag *zl_diags_add_at(zl_diags *d, zl_diag_id id, const char *path, size_t offset, ...)
{
    va_list ap;
    va_start(ap, offset);
    zl_diag *g = vadd(d, id, path, 0, 0, offset, ap);
    va_end(ap);
    return g;
}
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

void zl_diag_set_source(zl_diag *g, const char *line, size_t len, uint32_t caret_len)
{
    free(g->source_line);
    g->source_line = zl_xstrndup(line, len);
    g->caret_len = caret_len ? caret_len : 1;
}

void zl_diags_move(zl_diags *to, zl_diags *from)
{
    for (size_t i = 0; i < from->count; i++) {
        to->items = zl_xgrow(to->items, &to->cap, to->count + 1, sizeof *to->items);
        to->items[to->count++] = from->items[i];
        if (from->items[i].severity == ZL_SEV_ERROR)
            to->errors++;
    }
    free(from->items);
    memset(from, 0, sizeof *from);
}

void zl_diags_free(zl_diags *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->count; i++) {
        free(d->items[i].path);
        free(d->items[i].message);
        free(d->items[i].source_line);
    }
    free(d->items);
    memset(d, 0, sizeof *d);
}
