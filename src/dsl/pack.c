/*
 * pack.c - the rule pack loader (the load API of rule.h): reads rule files
 * from disk, memory or the embedded pack, parses each as it is added
 * (parser.c), and compiles the whole pack once (compile.c).  The compiled
 * pack is handed to the engine, read-only, through the accessors below and
 * the fields of pack_impl.h.  A pack made from a build-time image (image.c)
 * is born compiled: it has no files, and adding to it is refused below.
 */
#include "dsl/pack_impl.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dsl/embedded.h"
#include "util/xalloc.h"

/* Rule files are small; anything larger is a mistake (and keeps offsets 32-bit). */
#define MAX_RULE_FILE ((size_t)16 * 1024 * 1024)

int zl_pack_new(zl_pack **out)
{
    zl_pack *p = zl_xcalloc(1, sizeof *p);
    p->arena = zl_arena_new();
    *out = p;
    return ZL_OK;
}

void zl_pack_free(zl_pack *p)
{
    if (!p)
        return;
    for (uint32_t i = 0; i < p->n_atoms; i++)
        if (p->atoms[i].kind == ZL_ATOM_REGEX)
            pcre2_code_free(p->atoms[i].re);
    free(p->files);
    zl_arena_free(p->arena);
    free(p);
}

/* Sorting diagnostics: by file (in load order), line, column, then report order. */
typedef struct diag_key {
    size_t file, line, col, order;
} diag_key;

static int diag_key_cmp(const void *x, const void *y)
{
    const diag_key *a = x, *b = y;
    if (a->file != b->file)
        return a->file < b->file ? -1 : 1;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if (a->col != b->col)
        return a->col < b->col ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

static size_t file_index(const zl_pack *p, const char *path)
{
    if (!path)
        return SIZE_MAX;
    for (size_t f = 0; f < p->n_files; f++)
        if (strcmp(p->files[f].src->name, path) == 0)
            return f;
    return SIZE_MAX;
}

/* Moves the diagnostics of `tmp` to `to` in source order, so a run reads
 * top to bottom whichever pass found each error. */
static void move_sorted(const zl_pack *p, zl_diags *to, zl_diags *tmp)
{
    size_t n = tmp->count;
    if (n > 1) {
        diag_key *keys = zl_xmalloc(n * sizeof *keys);
        for (size_t i = 0; i < n; i++) {
            keys[i].file = file_index(p, tmp->items[i].path);
            keys[i].line = tmp->items[i].line;
            keys[i].col = tmp->items[i].col;
            keys[i].order = i;
        }
        qsort(keys, n, sizeof *keys, diag_key_cmp);
        zl_diag *sorted = zl_xmalloc(n * sizeof *sorted);
        for (size_t i = 0; i < n; i++)
            sorted[i] = tmp->items[keys[i].order];
        memcpy(tmp->items, sorted, n * sizeof *sorted);
        free(sorted);
        free(keys);
    }
    zl_diags_move(to, tmp);
}

/* `embedded`: a file of zl_embedded_rules, borrowed rather than copied. */
static int add_source(zl_pack *p, const char *name, const char *text, size_t len,
                      zl_diags *diags, int embedded)
{
    if (p->compiled) {
        zl_diags_add(diags, ZL_D_DSL_SEMANTIC, name, 0, 0,
                     "cannot add rules to a pack that is already compiled");
        p->errors++;
        return ZL_ERR;
    }
    if (len > MAX_RULE_FILE) {
        zl_diags_add(diags, ZL_D_IO_TOO_LARGE, name, 0, 0, MAX_RULE_FILE);
        p->errors++;
        return ZL_ERR;
    }
    zl_src *src = embedded ? zl_src_new_embedded(p->arena, name, text, len)
                           : zl_src_new(p->arena, name, text, len);
    p->files = zl_xgrow(p->files, &p->cap_files, p->n_files + 1, sizeof *p->files);
    zl_diags tmp = {0};
    size_t errs = zl_parse(p->arena, src, &p->files[p->n_files++], &tmp);
    move_sorted(p, diags, &tmp);
    zl_diags_free(&tmp);
    p->errors += errs;
    return errs ? ZL_ERR : ZL_OK;
}

int zl_pack_add_source(zl_pack *p, const char *name, const char *text, size_t len,
                       zl_diags *diags)
{
    return add_source(p, name, text, len, diags, 0);
}

/* Reads a whole regular file into a malloc'd buffer. */
static int read_file(const char *path, char **out, size_t *len, zl_diags *d)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        zl_diags_add(d, ZL_D_IO_OPEN, path, 0, 0, strerror(errno));
        return ZL_ERR;
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0) {
        int e = errno;
        fclose(f);
        zl_diags_add(d, ZL_D_IO_READ, path, 0, 0, strerror(e));
        return ZL_ERR;
    }
    if (!S_ISREG(st.st_mode)) {
        fclose(f);
        zl_diags_add(d, S_ISDIR(st.st_mode) ? ZL_D_IO_ISDIR : ZL_D_IO_SPECIAL, path, 0, 0);
        return ZL_ERR;
    }
    if ((size_t)st.st_size > MAX_RULE_FILE) {
        fclose(f);
        zl_diags_add(d, ZL_D_IO_TOO_LARGE, path, 0, 0, MAX_RULE_FILE);
        return ZL_ERR;
    }
    size_t cap = (size_t)st.st_size + 1, n = 0;
    char *buf = zl_xmalloc(cap);
    for (;;) {
        if (n == cap - 1) {
            if (cap > MAX_RULE_FILE) {
                free(buf);
                fclose(f);
                zl_diags_add(d, ZL_D_IO_TOO_LARGE, path, 0, 0, MAX_RULE_FILE);
                return ZL_ERR;
            }
            cap *= 2;
            buf = zl_xrealloc(buf, cap);
        }
        size_t got = fread(buf + n, 1, cap - 1 - n, f);
        n += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        zl_diags_add(d, ZL_D_IO_READ, path, 0, 0, strerror(EIO));
        return ZL_ERR;
    }
    *out = buf;
    *len = n;
    return ZL_OK;
}

static int add_file(zl_pack *p, const char *path, zl_diags *d)
{
    char *text;
    size_t len;
    if (read_file(path, &text, &len, d) != ZL_OK) {
        p->errors++;
        return ZL_ERR;
    }
    int rc = zl_pack_add_source(p, path, text, len, d);
    free(text);
    return rc;
}

static int name_cmp(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

static int has_rules_ext(const char *n)
{
    size_t l = strlen(n);
    return l > 6 && strcmp(n + l - 6, ".rules") == 0 && n[0] != '.';
}

int zl_pack_add_path(zl_pack *p, const char *path, zl_diags *diags)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        zl_diags_add(diags, ZL_D_IO_OPEN, path, 0, 0, strerror(errno));
        p->errors++;
        return ZL_ERR;
    }
    if (!S_ISDIR(st.st_mode))
        return add_file(p, path, diags);

    DIR *dir = opendir(path);
    if (!dir) {
        zl_diags_add(diags, ZL_D_IO_OPEN, path, 0, 0, strerror(errno));
        p->errors++;
        return ZL_ERR;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(dir)) != NULL) {
        if (!has_rules_ext(de->d_name))
            continue;
        names = zl_xgrow(names, &cap, n + 1, sizeof *names);
        names[n++] = zl_xstrdup(de->d_name);
    }
    closedir(dir);
    qsort(names, n, sizeof *names, name_cmp);

    int rc = ZL_OK;
    size_t plen = strlen(path);
    int slash = plen > 0 && path[plen - 1] == '/';
    for (size_t i = 0; i < n; i++) {
        size_t nl = strlen(names[i]);
        char *full = zl_xmalloc(plen + 1 + nl + 1);
        memcpy(full, path, plen);
        size_t k = plen;
        if (!slash)
            full[k++] = '/';
        memcpy(full + k, names[i], nl + 1);
        struct stat fst;
        if (stat(full, &fst) == 0 && S_ISREG(fst.st_mode) && add_file(p, full, diags) != ZL_OK)
            rc = ZL_ERR;
        free(full);
        free(names[i]);
    }
    free(names);
    if (n == 0) {
        zl_diags_add(diags, ZL_D_DSL_SEMANTIC, path, 0, 0, "no .rules files in this directory");
        p->errors++;
        rc = ZL_ERR;
    }
    return rc;
}

int zl_pack_add_embedded(zl_pack *p, zl_diags *diags)
{
    int rc = ZL_OK;
    for (const zl_embedded_file *f = zl_embedded_rules; f->name; f++)
        if (add_source(p, f->name, f->data, f->len, diags, 1) != ZL_OK)
            rc = ZL_ERR;
    return rc;
}

int zl_pack_compile(zl_pack *p, zl_diags *diags)
{
    if (p->compiled) {
        zl_diags_add(diags, ZL_D_DSL_SEMANTIC, NULL, 0, 0, "the rule pack is already compiled");
        return ZL_ERR;
    }
    p->compiled = 1;
    zl_diags tmp = {0};
    p->errors += zl_compile(p, &tmp);
    move_sorted(p, diags, &tmp);
    zl_diags_free(&tmp);
    return p->errors ? ZL_ERR : ZL_OK;
}

uint32_t zl_pack_rule_count(const zl_pack *p)
{
    return p->n_rules;
}

const zl_rule *zl_pack_rule(const zl_pack *p, uint32_t i)
{
    return i < p->n_rules ? &p->rules[i] : NULL;
}

const zl_rule *zl_pack_find(const zl_pack *p, const char *id)
{
    uint32_t lo = 0, hi = p->n_rules;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int r = strcmp(id, p->rules[mid].id);
        if (r == 0)
            return &p->rules[mid];
        if (r < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

uint32_t zl_pack_atom_count(const zl_pack *p)
{
    return p->n_atoms;
}

const zl_atom *zl_pack_atom(const zl_pack *p, uint32_t i)
{
    return i < p->n_atoms ? &p->atoms[i] : NULL;
}

void zl_pack_atom_pos(const zl_atom *a, uint32_t *line, uint32_t *col)
{
    if (!a->src) {
        *line = *col = 0;
        return;
    }
    zl_src_pos(a->src, a->off, line, col);
}

const char *zl_pack_name(const zl_pack *p)
{
    if (p->name)
        return p->name;
    for (size_t f = 0; f < p->n_files; f++)
        if (p->files[f].packs)
            return p->files[f].packs->name;
    return "custom";
}

const char *zl_pack_version(const zl_pack *p)
{
    if (p->version)
        return p->version;
    for (size_t f = 0; f < p->n_files; f++)
        if (p->files[f].packs)
            return p->files[f].packs->version;
    return "0";
}

const char *zl_scope_name(zl_scope s)
{
    switch (s) {
    case ZL_SCOPE_SENTENCE: return "sentence";
    case ZL_SCOPE_CLAUSE: return "clause";
    case ZL_SCOPE_PARAGRAPH: return "paragraph";
    case ZL_SCOPE_SECTION: return "section";
    default: return "document";
    }
}
