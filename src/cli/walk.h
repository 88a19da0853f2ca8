/*
 * walk.h - the inputs of a lint run, expanded from the PATH arguments
 * (see walk.c).  The list owns its strings; zl_inputs_free releases them.
 */
#ifndef ZL_CLI_WALK_H
#define ZL_CLI_WALK_H

#include <stddef.h>

typedef struct zl_input_path {
    char *path;  /* as given or joined from a walked directory; "-" = stdin */
    char *error; /* NULL, or why a walked directory could not be opened (strerror) */
} zl_input_path;

typedef struct zl_inputs {
    zl_input_path *items;
    size_t count, cap;
} zl_inputs;

/* Appends the inputs named by one PATH argument, in order. */
void zl_inputs_collect(zl_inputs *in, const char *arg);
/* Same, a walked directory's entries picked by `sel` (ignore.h; NULL = all
 * supported files); an explicitly named file is always taken. */
struct zl_select;
void zl_inputs_collect_sel(zl_inputs *in, const char *arg, struct zl_select *sel);
/* Drops every input that is a file already in the list (same device and
 * inode: named twice, named and walked, or reached through a link), keeping
 * the first, so a document is linted, counted and baselined once. */
void zl_inputs_dedup(zl_inputs *in);
void zl_inputs_free(zl_inputs *in);

#endif
