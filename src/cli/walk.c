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
 * files are never taken from a walk.  A directory that cannot be
 * opened, a symbolic link loop, a FIFO, socket or device with a supported
 * extension, and an unreadable .zanlintignore become inputs with an error
 * (its text).  Hands the list to cmd_lint.c.
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
        if (lstat(path, &st) == 0) {
            int is_dir = S_ISDIR(st.st_mode);
            if (sel && zl_select_skip(sel, sub, is_dir)) {
                /* excluded, ignored or not included */
            } else if (sel && zl_select_is_own(sel, &st)) {
                /* this run's own --output file */
            } else if (is_dir) {
                if (depth < 256)
                    walk(in, path, sub, depth + 1, sel);
            } else if (S_ISLNK(st.st_mode)) {
                /* a link to a file counts, a link to a directory is not followed */
                if (stat(path, &st) != 0) {
                    if (errno == ELOOP) {
                        add(in, path, zl_xstrdup(strerror(ELOOP)));
                        path = NULL;
                    }
                } else if (S_ISREG(st.st_mode) && zl_ingest_document_name(names[i]) &&
                           !(sel && zl_select_is_own(sel, &st))) {
                    add(in, path, NULL);
                    path = NULL;
                }
            } else if (zl_ingest_document_name(names[i])) {
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

void zl_inputs_free(zl_inputs *in)
{
    for (size_t i = 0; i < in->count; i++) {
        free(in->items[i].path);
        free(in->items[i].error);
    }
    free(in->items);
    memset(in, 0, sizeof *in);
}
