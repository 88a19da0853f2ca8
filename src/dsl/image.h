/*
 * image.h - a compiled rule pack written out as C at build time (a "pack
 * image"), so a run loads the built-in pack without parsing or compiling it.
 *
 * scripts/pack-image.c links the library, compiles the embedded kz94v pack
 * exactly as a run does (zl_pack_add_embedded + zl_pack_compile) and writes
 * $(BUILD)/gen/pack_image.c: static initializers for the whole IR of rule.h
 * (rules, statements, members, whens, the expression DAG with its shared
 * nodes kept shared, atoms, terms, strings, examples), the PCRE2 codes of
 * the regex atoms serialized with pcre2_serialize_encode, and the atoms'
 * match index as zl_match_index_image writes it (an opaque blob here: the
 * command handing the pack to the engine registers it with
 * zl_match_index_use_image) and the engine's expression graph over the
 * image's rules (zl_engine_image, registered with zl_engine_use_image).
 * That object is
 * linked into the zanlint binary only, never into libzanlint.a (the
 * generator links the library), and is handed to the library explicitly
 * through zl_pack_from_image().
 *
 * Atoms keep their first-use position: each embedded file has a static
 * zl_src whose text is the embedded file itself (embedded.h) and whose line
 * index is precomputed, so zl_pack_atom_pos answers as for a compiled pack.
 */
#ifndef ZL_DSL_IMAGE_H
#define ZL_DSL_IMAGE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "dsl/lexer.h"
#include "dsl/rule.h"
#include "util/buf.h"

typedef struct zl_pack_image {
    const char *name;               /* zl_pack_name */
    const char *version;            /* zl_pack_version */
    zl_rule *rules;                 /* sorted by id, as zl_pack_compile leaves them */
    uint32_t n_rules;
    zl_atom *atoms;                 /* writable: the first load sets their `re` in place */
    uint32_t n_atoms;
    const unsigned char *regexes;   /* pcre2_serialize_encode of the regex atoms' codes, */
    size_t regexes_len;             /* in atom order */
    uint32_t n_regexes;
    atomic_flag *borrowed;          /* set by the load that borrows `atoms` */
    const void *match_index;        /* the image of the atoms' match index */
    size_t match_index_len;         /* (engine/match.h), 8-byte aligned */
    const zl_expr *exprs;           /* every expression node of the rules */
    uint32_t n_exprs;
    const void *engine_graph;       /* the image of the engine's expression */
    size_t engine_graph_len;        /* graph (engine/engine.h), 4-byte aligned */
} zl_pack_image;

/* The built-in pack (generated; defined in the zanlint binary only). */
extern const zl_pack_image zl_pack_image_builtin;

/* Loads a pack from an image: the rules and expressions are borrowed (static,
 * read-only); so are the atoms by the first load of an image in the process,
 * which sets their regexes in place (no copy, no fresh pages: the array's
 * pages were written by the dynamic loader's relocations anyway), while any
 * later load copies them (its regexes are its own).  The regexes are
 * decoded from the serialized codes, or, when the PCRE2 library cannot
 * decode them (another PCRE2 version than at build time) or `recompile` is
 * set, compiled from their patterns with the options compile.c uses
 * (ZL_REGEX_OPTIONS).  The pack is compiled: adding sources to it is an
 * error.  Returns ZL_OK, or ZL_ERR with a diagnostic in d. */
int zl_pack_from_image(const zl_pack_image *img, int recompile, zl_pack **out, zl_diags *d);

/* A canonical text form of a compiled pack, for comparing two packs: every
 * field of every rule, statement and atom, expression nodes numbered in
 * visiting order so shared nodes show as shared, and each regex's compiled
 * size and options.  Appends to *out. */
void zl_pack_dump(const zl_pack *p, zl_buf *out);

#endif
