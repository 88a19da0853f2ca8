/*
 * pack_impl.h - the layout of struct zl_pack (private to src/dsl/ and
 * src/engine/; everyone else uses the accessors of rule.h).
 *
 * The first fields are the compiled pack the engine reads: they are valid
 * only after zl_pack_compile() returned ZL_OK and never change afterwards.
 * Everything, the syntax trees included, lives in `arena`; the PCRE2 codes
 * of regex atoms are freed by zl_pack_free.  The parsed files are kept
 * until compile so defines can be resolved across files in any order.  A
 * pack loaded from an image (image.h) borrows its rules and expressions from
 * static data; only its atoms (copied, for their regexes) are in its arena,
 * and it has no files.
 */
#ifndef ZL_DSL_PACK_IMPL_H
#define ZL_DSL_PACK_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "dsl/ast.h"
#include "dsl/rule.h"
#include "util/arena.h"

struct zl_pack {
    zl_arena *arena;
    zl_rule *rules;       /* sorted by id; rules[i].index == i */
    uint32_t n_rules;
    zl_atom *atoms;       /* deduplicated across the pack */
    uint32_t n_atoms;
    const char *name;     /* first `pack` declared, else "custom" */
    const char *version;  /* its version, else "0" */

    /* loader state */
    zl_ast_file *files;   /* parsed sources, in the order they were added (heap) */
    size_t n_files, cap_files;
    size_t errors;        /* errors reported while adding sources and compiling */
    int compiled;         /* zl_pack_compile was called */
};

/* The options every regex atom is compiled with (compile.c, and image.c
 * when an image's serialized codes cannot be decoded). */
#define ZL_REGEX_OPTIONS (PCRE2_UTF | PCRE2_UCP)

/* AST -> compiled IR (compile.c): resolves names, builds and deduplicates
 * atoms, compiles regexes, checks ids, fills rules/atoms and sorts the rules.
 * Reports every semantic error to `d`; returns the number of errors. */
size_t zl_compile(zl_pack *p, zl_diags *d);

#endif
