/*
 * glob.c - gitignore-style pattern parsing and matching (see glob.h).
 *
 * zl_wildmatch is a small recursive matcher in the manner of git's
 * wildmatch.c: '*' backtracks only within one path component and "**"
 * only across whole components, so the work is bounded by the path length
 * times the number of stars.  src/cli/ignore.c builds --include, --exclude
 * and .zanlintignore on top of it.
 */
#include "util/glob.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* A character class starting at p (just after '['): sets *end past the
 * closing ']' and returns whether `c` is in it; returns -1 when there is no
 * closing ']' (the '[' is then a literal). */
static int class_match(const char *p, unsigned char c, const char **end)
{
    const char *q = p;
    int neg = 0, hit = 0;
    if (*q == '!' || *q == '^') {
        neg = 1;
        q++;
    }
    const char *first = q;
    while (*q && (*q != ']' || q == first)) {
        unsigned char lo = (unsigned char)*q;
        if (lo == '\\' && q[1])
            lo = (unsigned char)*++q;
        unsigned char hi = lo;
        if (q[1] == '-' && q[2] && q[2] != ']') {
            hi = (unsigned char)q[2];
            q += 2;
        }
        if (c >= lo && c <= hi)
            hit = 1;
        q++;
    }
    if (*q != ']')
        return -1;
    *end = q + 1;
    return hit != neg;
}

static int wm(const char *p, const char *s, const char *start)
{
    for (;;) {
        const char *end;
        int k;
        switch (*p) {
        case '\0':
            return *s == '\0';
        case '\\':
            if (p[1])
                p++;
            if (*s != *p)
                return 0;
            p++;
            s++;
            break;
        case '?':
            if (!*s || *s == '/')
                return 0;
            p++;
            s++;
            break;
        case '[':
            k = class_match(p + 1, (unsigned char)*s, &end);
            if (k < 0) { /* no closing ']': a literal '[' */
                if (*s != '[')
                    return 0;
                p++;
                s++;
                break;
            }
            if (!*s || *s == '/' || !k)
                return 0;
            p = end;
            s++;
            break;
        case '*':
            if (p[1] == '*' && (p == start || p[-1] == '/') && (p[2] == '/' || !p[2])) {
                if (!p[2])
                    return 1; /* trailing "**": everything below */
                /* "**" + "/": zero or more whole directories */
                for (const char *t = s;;) {
                    if (wm(p + 3, t, start))
                        return 1;
                    t = strchr(t, '/');
                    if (!t)
                        return 0;
                    t++;
                }
            }
            while (*p == '*')
                p++;
            if (!*p)
                return strchr(s, '/') == NULL;
            for (const char *t = s;; t++) {
                if (wm(p, t, start))
                    return 1;
                if (!*t || *t == '/')
                    return 0;
            }
        default:
            if (*s != *p)
                return 0;
            p++;
            s++;
            break;
        }
    }
}

int zl_wildmatch(const char *pattern, const char *path)
{
    return wm(pattern, path, pattern);
}

int zl_gitglob_parse(zl_gitglob *g, const char *line, size_t len)
{
    memset(g, 0, sizeof *g);
    if (len && line[len - 1] == '\r')
        len--;
    while (len && line[len - 1] == ' ' && !(len >= 2 && line[len - 2] == '\\'))
        len--;
    if (!len || line[0] == '#')
        return 0;
    unsigned flags = 0;
    size_t i = 0;
    if (line[0] == '!') {
        flags |= ZL_GLOB_NEGATE;
        i = 1;
    } else if (line[0] == '\\' && len > 1 && (line[1] == '#' || line[1] == '!')) {
        i = 1;
    }
    if (len > i && line[len - 1] == '/') {
        flags |= ZL_GLOB_DIRONLY;
        while (len > i && line[len - 1] == '/')
            len--;
    }
    if (len > i && memchr(line + i, '/', len - i))
        flags |= ZL_GLOB_ANCHORED;
    while (len > i && line[i] == '/')
        i++;
    if (len <= i)
        return 0;
    g->pattern = zl_xmalloc(len - i + 1);
    memcpy(g->pattern, line + i, len - i);
    g->pattern[len - i] = '\0';
    g->flags = flags;
    return 1;
}

void zl_gitglob_free(zl_gitglob *g)
{
    if (!g)
        return;
    free(g->pattern);
    g->pattern = NULL;
}

int zl_gitglob_match(const zl_gitglob *g, const char *rel, int is_dir)
{
    if ((g->flags & ZL_GLOB_DIRONLY) && !is_dir)
        return 0;
    if (g->flags & ZL_GLOB_ANCHORED)
        return zl_wildmatch(g->pattern, rel);
    const char *base = strrchr(rel, '/');
    return zl_wildmatch(g->pattern, base ? base + 1 : rel);
}
