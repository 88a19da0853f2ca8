/*
 * ignore.c - which walked files a lint run takes (see ignore.h and
 * docs/batch.md): --exclude beats .zanlintignore (so "--exclude '!x'"
 * brings back an ignored x), .zanlintignore files apply to the subtree of
 * their directory with the deepest file deciding, and --include narrows the
 * files that are left.  Explicitly named files never come here.  Also reads
 * the --files-from list.  Used by walk.c and cmd_lint.c; the patterns
 * themselves are util/glob.c.
 */
#include "cli/ignore.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Appends the patterns of `text` (gitignore lines) to *globs.  A UTF-8 BOM
 * (Notepad saves one) is skipped, as git does. */
static void add_lines(zl_gitglob **globs, size_t *n, const char *text, size_t len)
{
    size_t cap = *n;
    const char *p = text, *end = text + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
        zl_gitglob g;
        if (zl_gitglob_parse(&g, p, l)) {
            *globs = zl_xgrow(*globs, &cap, *n + 1, sizeof **globs);
            (*globs)[(*n)++] = g;
        }
        p += l + 1;
    }
}

static int compile(zl_gitglob **out, size_t *n, const char *const *pats, size_t count,
                   const char *opt, int allow_negate, zl_buf *err)
{
    *out = count ? zl_xcalloc(count, sizeof **out) : NULL;
    *n = 0;
    for (size_t i = 0; i < count; i++) {
        zl_gitglob g;
        if (!zl_gitglob_parse(&g, pats[i], strlen(pats[i]))) {
            zl_buf_printf(err, "invalid value '%s' for --%s: an empty pattern or a comment",
                          pats[i], opt);
            return -1;
        }
        (*out)[(*n)++] = g;
        if (!allow_negate && (g.flags & ZL_GLOB_NEGATE)) {
            zl_buf_printf(err, "invalid value '%s' for --%s: use --exclude '%s' to keep "
                               "files back", pats[i], opt, pats[i]);
            return -1;
        }
    }
    return 0;
}

int zl_select_init(zl_select *s, const char *const *inc, size_t n_inc, const char *const *exc,
                   size_t n_exc, zl_buf *err)
{
    memset(s, 0, sizeof *s);
    if (compile(&s->inc, &s->n_inc, inc, n_inc, "include", 0, err) < 0 ||
        compile(&s->exc, &s->n_exc, exc, n_exc, "exclude", 1, err) < 0)
        return -1;
    return 0;
}

static void free_globs(zl_gitglob *g, size_t n)
{
    for (size_t i = 0; i < n; i++)
        zl_gitglob_free(&g[i]);
    free(g);
}

void zl_select_free(zl_select *s)
{
    while (s->depth)
        zl_select_leave(s);
    free(s->levels);
    free_globs(s->inc, s->n_inc);
    free_globs(s->exc, s->n_exc);
    free(s->own);
    memset(s, 0, sizeof *s);
}

void zl_select_own(zl_select *s, const struct stat *st, const char *what, int document)
{
    if (!S_ISREG(st->st_mode) || zl_select_is_own(s, st))
        return;
    size_t cap = s->n_own;
    s->own = zl_xgrow(s->own, &cap, s->n_own + 1, sizeof *s->own);
    s->own[s->n_own].dev = (unsigned long long)st->st_dev;
    s->own[s->n_own].ino = (unsigned long long)st->st_ino;
    s->own[s->n_own].what = what;
    s->own[s->n_own].document = document;
    s->n_own++;
}

const zl_file_id *zl_select_is_own(const zl_select *s, const struct stat *st)
{
    for (size_t i = 0; S_ISREG(st->st_mode) && i < s->n_own; i++)
        if (s->own[i].dev == (unsigned long long)st->st_dev &&
            s->own[i].ino == (unsigned long long)st->st_ino)
            return &s->own[i];
    return NULL;
}

int zl_select_enter(zl_select *s, const char *dir, const char *rel)
{
    s->levels = zl_xgrow(s->levels, &s->cap, s->depth + 1, sizeof *s->levels);
    zl_ignore_level *lv = &s->levels[s->depth++];
    memset(lv, 0, sizeof *lv);
    lv->base = zl_xstrdup(rel);

    size_t dl = strlen(dir);
    zl_buf path = ZL_BUF_INIT;
    zl_buf_put(&path, dir, dl);
    if (dl && dir[dl - 1] != '/')
        zl_buf_putc(&path, '/');
    zl_buf_puts(&path, ZL_IGNORE_FILE);
    FILE *f = fopen(path.data, "rb");
    zl_buf_free(&path);
    if (!f)
        return errno == ENOENT || errno == ENOTDIR ? 0 : errno;
    zl_buf text = ZL_BUF_INIT;
    char chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        zl_buf_put(&text, chunk, got);
    int rc = ferror(f) ? (errno ? errno : EIO) : 0;
    fclose(f);
    if (rc == 0 && text.len)
        add_lines(&lv->globs, &lv->n, text.data, text.len);
    zl_buf_free(&text);
    return rc;
}

void zl_select_leave(zl_select *s)
{
    if (!s->depth)
        return;
    zl_ignore_level *lv = &s->levels[--s->depth];
    free_globs(lv->globs, lv->n);
    free(lv->base);
}

/* The last pattern of `g` matching: 1 = skip, 0 = keep (negated), -1 = none. */
static int decide(const zl_gitglob *g, size_t n, const char *rel, int is_dir)
{
    for (size_t i = n; i-- > 0;)
        if (zl_gitglob_match(&g[i], rel, is_dir))
            return (g[i].flags & ZL_GLOB_NEGATE) ? 0 : 1;
    return -1;
}

/* Whether some --include pattern matches `rel` or one of its directories. */
static int included(const zl_select *s, const char *rel)
{
    if (decide(s->inc, s->n_inc, rel, 0) == 1)
        return 1;
    size_t len = strlen(rel);
    char *dir = zl_xmalloc(len + 1);
    int hit = 0;
    for (size_t i = 0; i < len && !hit; i++) {
        if (rel[i] != '/')
            continue;
        memcpy(dir, rel, i);
        dir[i] = '\0';
        hit = decide(s->inc, s->n_inc, dir, 1) == 1;
    }
    free(dir);
    return hit;
}

int zl_select_skip(const zl_select *s, const char *rel, int is_dir)
{
    int d = decide(s->exc, s->n_exc, rel, is_dir);
    for (size_t k = s->depth; d < 0 && k-- > 0;) {
        const zl_ignore_level *lv = &s->levels[k];
        size_t bl = strlen(lv->base);
        const char *sub = rel;
        if (bl) {
            if (strncmp(rel, lv->base, bl) != 0 || rel[bl] != '/')
                continue; /* not below this level (cannot happen in a walk) */
            sub = rel + bl + 1;
        }
        d = decide(lv->globs, lv->n, sub, is_dir);
    }
    if (d == 1)
        return 1;
    if (!is_dir && s->n_inc && !included(s, rel))
        return 1;
    return 0;
}

int zl_files_from_read(const char *file, int nul, char ***list, size_t *n, size_t *cap,
                       zl_buf *err)
{
    int std = strcmp(file, "-") == 0;
    FILE *f = std ? stdin : fopen(file, "rb");
    if (!f) {
        zl_buf_printf(err, "--files-from %s: %s", file, strerror(errno));
        return -1;
    }
    zl_buf text = ZL_BUF_INIT;
    char chunk[8192];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        zl_buf_put(&text, chunk, got);
    int bad = ferror(f);
    int e = errno;
    if (!std)
        fclose(f);
    if (bad) {
        zl_buf_printf(err, "--files-from %s: %s", std ? "-" : file, strerror(e));
        zl_buf_free(&text);
        return -1;
    }
    const char *p = text.data, *end = text.data + text.len;
    if (text.len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3; /* a UTF-8 BOM (Notepad) is not part of the first path */
    if (!nul && p && memchr(p, '\0', (size_t)(end - p))) {
        /* no path holds a NUL byte: a list from find -print0 or git ls-files -z */
        zl_buf_printf(err, "--files-from %s: the list is separated by NUL bytes; give -0 to read it",
                      std ? "-" : file);
        zl_buf_free(&text);
        return -1;
    }
    char sep = nul ? '\0' : '\n';
    while (p && p < end) {
        const char *q = memchr(p, sep, (size_t)(end - p));
        size_t l = q ? (size_t)(q - p) : (size_t)(end - p);
        if (!nul && l && p[l - 1] == '\r')
            l--;
        if (l) {
            *list = zl_xgrow(*list, cap, *n + 1, sizeof **list);
            (*list)[(*n)++] = zl_xstrndup(p, l);
        }
        p = q ? q + 1 : end;
    }
    zl_buf_free(&text);
    return 0;
}
