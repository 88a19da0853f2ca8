/*
 * ignore.h - input selection for directory walks (docs/batch.md):
 * --include/--exclude globs, .zanlintignore files, and the --files-from
 * path list.
 *
 * Every path given to these functions is relative to the PATH argument
 * (the directory being walked): "a/b.txt", never "./a/b.txt".  A zl_select
 * owns its compiled patterns and the stack of .zanlintignore files of the
 * directories being walked; walk.c pushes a directory on entering it
 * (zl_select_enter) and pops it on leaving (zl_select_leave).
 */
#ifndef ZL_CLI_IGNORE_H
#define ZL_CLI_IGNORE_H

#include <stddef.h>

#include "util/buf.h"
#include "util/glob.h"

#define ZL_IGNORE_FILE ".zanlintignore"

typedef struct zl_ignore_level {
    char *base;       /* the directory, relative ("" = the PATH argument itself) */
    zl_gitglob *globs; /* its .zanlintignore patterns, in file order */
    size_t n;
} zl_ignore_level;

typedef struct zl_file_id {
    unsigned long long dev, ino;
    const char *what; /* "an --output file", "the standard output" */
    int document;     /* holds something other than a zanlint report */
} zl_file_id;

typedef struct zl_select {
    zl_gitglob *inc, *exc;   /* --include, --exclude */
    size_t n_inc, n_exc;
    zl_ignore_level *levels; /* the .zanlintignore stack, outermost first */
    size_t depth, cap;
    zl_file_id *own;         /* the files the run writes (zl_select_own) */
    size_t n_own;
} zl_select;

/* Compiles the --include and --exclude patterns (command-line order).
 * Returns 0, or -1 with a message in `err` (an empty pattern, a negated
 * --include). */
int zl_select_init(zl_select *s, const char *const *inc, size_t n_inc, const char *const *exc,
                   size_t n_exc, zl_buf *err);
void zl_select_free(zl_select *s);

/* Entering directory `dir` (a path to open), `rel` relative to the walk
 * root: reads dir/.zanlintignore when there is one.  Returns 0, or an errno
 * value when the file exists but cannot be read (the level is pushed
 * anyway, empty, so zl_select_leave stays paired). */
int zl_select_enter(zl_select *s, const char *dir, const char *rel);
void zl_select_leave(zl_select *s);

/* Whether the walk skips `rel` (a directory when `is_dir`: then its whole
 * subtree).  Order: the --exclude patterns (last match wins; "!" keeps),
 * else the .zanlintignore files from the deepest up (last match of the
 * first file with one wins), then for files the --include patterns (when
 * there are any, the file or one of its directories must match one). */
int zl_select_skip(const zl_select *s, const char *rel, int is_dir);

/* Marks a file this run writes, `st` its stat (an --output file, or the
 * file standard output or error is redirected to), so the walk does not
 * take it as an input: `zanlint docs/ > docs/report.txt` would otherwise
 * read its own half-written report.  `what` names it in messages ("the
 * standard output").  A `document` (an --output file that holds something
 * other than an earlier report) is taken all the same, so the run stops
 * before replacing it.  Nothing unless it is a regular file. */
struct stat;
void zl_select_own(zl_select *s, const struct stat *st, const char *what, int document);
/* When `st` (stat of a file) is one of the files the run writes, its entry;
 * else NULL. */
const zl_file_id *zl_select_is_own(const zl_select *s, const struct stat *st);

/* Reads the --files-from list (`file` "-" = standard input): one path per
 * line (a trailing "\r" dropped), or NUL-separated when `nul`; empty entries
 * are skipped.  Appends malloc'd copies to *list (*n entries, *cap
 * capacity).  Returns 0, or -1 with a message in `err`. */
int zl_files_from_read(const char *file, int nul, char ***list, size_t *n, size_t *cap,
                       zl_buf *err);

#endif
