/*
 * glob.h - gitignore-style patterns, for input selection (--include,
 * --exclude, .zanlintignore; src/cli/ignore.c).
 *
 * A pattern line is parsed once into a zl_gitglob:
 *   - blank lines and lines starting with '#' are no pattern; trailing
 *     spaces are dropped unless escaped ("\ "); "\#" and "\!" start a
 *     pattern with a literal '#' or '!';
 *   - a leading '!' negates (re-includes what an earlier pattern excluded);
 *   - a trailing '/' makes the pattern match directories only;
 *   - a pattern with a '/' at its start or in its middle is anchored: it is
 *     matched against the whole path relative to the pattern's base
 *     directory (a leading '/' is dropped); otherwise it is matched against
 *     the last path component only, at any depth.
 * Wildcards: '*' and '?' match within one component, "[...]" a character
 * class ('!' or '^' negates, ranges a-z; never '/'), '\' escapes, and "**"
 * as a whole component matches any number of directories: "**" + "/x"
 * anywhere, "a/" + "**" everything inside a, "a/" + "**" + "/b" zero or
 * more directories between.  Matching is byte-wise and case-sensitive.
 *
 * Ownership: a zl_gitglob owns its pattern copy; zl_gitglob_free releases it.
 */
#ifndef ZL_UTIL_GLOB_H
#define ZL_UTIL_GLOB_H

#include <stddef.h>

enum {
    ZL_GLOB_NEGATE = 1u << 0,  /* "!pattern" */
    ZL_GLOB_DIRONLY = 1u << 1, /* "pattern/" */
    ZL_GLOB_ANCHORED = 1u << 2 /* has a '/' before its end: matched on the whole path */
};

typedef struct zl_gitglob {
    char *pattern; /* without '!', the leading and the trailing '/' */
    unsigned flags;
} zl_gitglob;

/* Parses one pattern line (`len` bytes, no newline needed; a trailing "\r"
 * is dropped).  Returns 1 with *g filled, 0 for a blank or comment line. */
int zl_gitglob_parse(zl_gitglob *g, const char *line, size_t len);
void zl_gitglob_free(zl_gitglob *g);

/* Whether `g` matches `rel`, a path relative to the pattern's base directory
 * ("a/b/c.txt", no leading "./" or '/'), which is a directory when `is_dir`.
 * Negation is not applied here: the caller decides what a match means. */
int zl_gitglob_match(const zl_gitglob *g, const char *rel, int is_dir);

/* The wildcard matcher itself: `pattern` against the whole of `path`. */
int zl_wildmatch(const char *pattern, const char *path);

#endif
