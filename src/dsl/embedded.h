/*
 * embedded.h - rule files compiled into the library (generated at build time
 * by scripts/embed.c from rules/<pack>/<file>.rules).  Names are "<pack>/<file>".
 */
#ifndef ZL_DSL_EMBEDDED_H
#define ZL_DSL_EMBEDDED_H

#include <stddef.h>

typedef struct zl_embedded_file {
    const char *name;
    const char *data;
    size_t len;
} zl_embedded_file;

extern const zl_embedded_file zl_embedded_rules[]; /* terminated by {NULL, NULL, 0} */
extern const size_t zl_embedded_rules_count;

#endif
