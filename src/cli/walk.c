/*
 * walk.c - expands the PATH arguments of a lint run into the list of inputs.
 *
 * A file (or "-") is taken as given, whatever its extension.  A directory is
 * walked recursively: entries sorted by name (byte order), hidden entries
 * (".name") and the owner files Word keeps beside an open document
 * ("~$name.docx") skipped, files taken when their extension is a document
 * format's (zl_ingest_document_name: the readers' .txt, .md, ..., and the
 * formats ingest refuses by name, .doc, .rtf, ...), symbolic links to directories not
 * followed (so no loops).  With a zl_select (ignore.c), --include/--exclude
 * and the .zanlintignore files pick the entries, and the run's own --output
 * files are never taken from a walk.  A directory that cannot be opened or
 * is nested too deep, an entry that cannot be examined, a symbolic link
 * with a document's name that is dangling or loops, a FIFO, socket or
 * device with a document's name (or a link to one), and an unreadable
 * .zanlintignore become inputs with an error (its text), so a batch accounts
 * for them.  Hands the list to cmd_lint.c.
 */
#include "cli/walk.h"
#include "cli/ignore.h"
#include "ingest/ingest.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Directories nested deeper than this below a PATH argument are reported,
 * not walked. */
#define ZL_WALK_DEPTH 256
#define STR_(x) #x
#define STR(x) STR_(x)

static void add(zl_inputs *in, char *path, char *error)
{
    in->items = zl_xgrow(in->items, &in->cap, in->count + 1, sizeof *in->items);
    in->items[in->count].path = path;
    in->items[in->count].error = error;
    in->count++;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *join(const char *dir, const char *name)
{
    size_t dl = strlen(dir), nl = strlen(name);
    int slash = dl > 0 && dir[dl - 1] == '/';
    char *p = zl_xmalloc(dl + nl + 2);
    memcpy(p, dir, dl);
    if (!slash)
        p[dl++] = '/';
    memcpy(p + dl, name, nl + 1);
    return p;
}

/* "not a regular file (a FIFO)" and the like, for special files. */
static char *special_error(mode_t m)
{
    const char *what = S_ISFIFO(m) ? "a FIFO" : S_ISSOCK(m) ? "a socket"
                       : S_ISCHR(m) || S_ISBLK(m) ? "a device" : "a special file";
    size_t n = strlen(what);
    char *e = zl_xmalloc(n + sizeof "not a regular file ()");
    memcpy(e, "not a regular file (", 20);
    memcpy(e + 20, what, n);
    memcpy(e + 20 + n, ")", 2);
    return e;
}

/* Whether `st` is a file this run writes that the walk leaves out: an
 * earlier report.  A document under an --output name is taken, and
 * cmd_lint.c then refuses to replace it. */
static int own_report(const zl_select *sel, const struct stat *st)
{
    const zl_file_id *own = sel ? zl_select_is_own(sel, st) : NULL;
    return own && !own->document;
}

/* `rel`: `dir` relative to the PATH argument ("" for the argument itself). */
static void walk(zl_inputs *in, const char *dir, const char *rel, int depth, zl_select *sel)
{
    DIR *d = opendir(dir);
    if (!d) {
        add(in, zl_xstrdup(dir), zl_xstrdup(strerror(errno)));
        return;
    }
    int ierr = sel ? zl_select_enter(sel, dir, rel) : 0;
    if (ierr)
        add(in, join(dir, ZL_IGNORE_FILE), zl_xstrdup(strerror(ierr)));
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || (e->d_name[0] == '~' && e->d_name[1] == '$'))
            continue; /* hidden, or an Office owner file ("~$name.docx") */
        names = zl_xgrow(names, &cap, n + 1, sizeof *names);
        names[n++] = zl_xstrdup(e->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n; i++) {
        char *path = join(dir, names[i]);
        char *sub = *rel ? join(rel, names[i]) : zl_xstrdup(names[i]);
        struct stat st;
        int doc = zl_ingest_document_name(names[i]);
        if (lstat(path, &st) != 0) {
            /* readdir listed it, so it is there: a name too long, a race */
            add(in, path, zl_xstrdup(strerror(errno)));
            path = NULL;
        } else {
            int is_dir = S_ISDIR(st.st_mode);
            if (sel && zl_select_skip(sel, sub, is_dir)) {
                /* excluded, ignored or not included */
            } else if (own_report(sel, &st)) {
                /* this run's own --output file */
            } else if (is_dir) {
                if (depth < ZL_WALK_DEPTH) {
                    walk(in, path, sub, depth + 1, sel);
                } else {
                    add(in, path, zl_xstrdup("not walked: nested deeper than " STR(ZL_WALK_DEPTH) " directories"));
                    path = NULL;
                }
            } else if (S_ISLNK(st.st_mode)) {
                /* a link to a document counts (a dangling one or a loop is
                 * reported), a link to a directory is not followed */
                if (!doc) {
                    /* not a document's name: like any other such file */
                } else if (stat(path, &st) != 0) {
                    add(in, path, zl_xstrdup(strerror(errno)));
                    path = NULL;
                } else if (S_ISDIR(st.st_mode) || own_report(sel, &st)) {
                    /* not followed; or this run's own --output file */
                } else {
                    add(in, path, S_ISREG(st.st_mode) ? NULL : special_error(st.st_mode));
                    path = NULL;
                }
            } else if (doc) {
                add(in, path, S_ISREG(st.st_mode) ? NULL : special_error(st.st_mode));
                path = NULL;
            }
        }
        free(sub);
        free(path);
        free(names[i]);
    }
    free(names);
    if (sel)
        zl_select_leave(sel);
}

void zl_inputs_collect(zl_inputs *in, const char *arg)
{
    zl_inputs_collect_sel(in, arg, NULL);
}

void zl_inputs_collect_sel(zl_inputs *in, const char *arg, zl_select *sel)
{
    struct stat st;
    if (strcmp(arg, "-") != 0 && stat(arg, &st) == 0 && S_ISDIR(st.st_mode))
        walk(in, arg, "", 0, sel);
    else
        add(in, zl_xstrdup(arg), NULL);
}

/* A regular file of the list, by identity, and where it is in the list. */
typedef struct file_key {
    unsigned long long dev, ino;
    size_t at;
} file_key;

static int cmp_keys(const void *a, const void *b)
{
    const file_key *x = a, *y = b;
    if (x->dev != y->dev)
        return x->dev < y->dev ? -1 : 1;
    if (x->ino != y->ino)
        return x->ino < y->ino ? -1 : 1;
    return x->at < y->at ? -1 : x->at > y->at;
}

void zl_inputs_dedup(zl_inputs *in)
{
    file_key *k = zl_xmalloc((in->count ? in->count : 1) * sizeof *k);
    size_t n = 0;
    for (size_t i = 0; i < in->count; i++) {
        struct stat st;
        const zl_input_path *p = &in->items[i];
        if (!p->error && strcmp(p->path, "-") != 0 && stat(p->path, &st) == 0 &&
            S_ISREG(st.st_mode))
            k[n++] = (file_key){(unsigned long long)st.st_dev, (unsigned long long)st.st_ino, i};
    }
    qsort(k, n, sizeof *k, cmp_keys);
    unsigned char *drop = zl_xcalloc(in->count ? in->count : 1, 1);
    for (size_t j = 1; j < n; j++)
        if (k[j].dev == k[j - 1].dev && k[j].ino == k[j - 1].ino)
            drop[k[j].at] = 1; /* sorted by position within a file: j-1 came first */
    size_t w = 0;
    for (size_t i = 0; i < in->count; i++) {
        if (drop[i]) {
            free(in->items[i].path);
            free(in->items[i].error);
        } else {
            in->items[w++] = in->items[i];
        }
    }
    in->count = w;
    free(drop);
    free(k);
}

void zl_inputs_free(zl_inputs *in)
{
    for (size_t i = 0; i < in->count; i++) {
        free(in->items[i].path);
        free(in->items[i].error);
    }
    free(in->items);
    memset(in, 0, sizeof *in);
}
