/*
 * rule.h - the compiled rule pack: the contract between src/dsl/ (which
 * builds it from .rules files) and src/engine/ (which evaluates it).
 *
 * A pack owns one arena; every rule, expression, atom and string below lives
 * in it.  After zl_pack_compile() succeeds the pack is immutable (but for
 * the JIT code zl_match_find adds to a regex the first time a document needs
 * it, under a lock) and may be shared by any number of threads evaluating
 * documents.  Rules are sorted by id.  Atoms are deduplicated across the
 * whole pack so the engine finds every atom's occurrences in one pass over a
 * document.
 */
#ifndef ZL_DSL_RULE_H
#define ZL_DSL_RULE_H

#include <stddef.h>
#include <stdint.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "util/arena.h"
#include "util/diag.h"
#include "zanlint.h"

typedef enum zl_scope {
    ZL_SCOPE_SENTENCE = 0,
    ZL_SCOPE_CLAUSE,
    ZL_SCOPE_PARAGRAPH,
    ZL_SCOPE_SECTION,
    ZL_SCOPE_DOCUMENT
} zl_scope;

/* Message languages: index of title/message/suggest/label arrays. */
enum { ZL_MSG_RU = 0, ZL_MSG_KK = 1, ZL_MSG_EN = 2, ZL_NLANG = 3 };

/* One element of a phrase: a normalized token text, exact or prefix (stem*). */
typedef struct zl_term {
    const char *text;
    uint32_t len;
    uint8_t prefix;
} zl_term;

typedef enum zl_atom_kind { ZL_ATOM_PHRASE = 0, ZL_ATOM_REGEX } zl_atom_kind;

typedef struct zl_atom {
    zl_atom_kind kind;
    zl_term *terms;     /* PHRASE: consecutive tokens, n_terms >= 1 */
    uint32_t n_terms;
    pcre2_code *re;     /* REGEX: PCRE2_UTF | PCRE2_UCP; JIT on first use (match.c) */
    const char *pattern;
    const char *file;   /* first use, for diagnostics */
    const struct zl_src *src; /* first use: its source and byte offset, turned */
    uint32_t off;             /* into line:col by zl_pack_atom_pos when needed */
} zl_atom;

typedef enum zl_expr_kind {
    ZL_EX_ATOM = 0,
    ZL_EX_OR,
    ZL_EX_AND,
    ZL_EX_NEAR,
    ZL_EX_THEN,
    ZL_EX_NOT
} zl_expr_kind;

/* Names are resolved at compile time: a defined name used twice is the same
 * subtree (the expression graph is a DAG, never a cycle). */
typedef struct zl_expr {
    zl_expr_kind kind;
    uint32_t atom;         /* ATOM: index into zl_pack.atoms */
    const struct zl_expr *a, *b; /* OR/AND/NEAR/THEN: operands; NOT: a */
    uint32_t dist;         /* NEAR/THEN: maximum distance in tokens */
} zl_expr;

typedef enum zl_stmt_kind {
    ZL_ST_REQUIRE = 0,
    ZL_ST_REQUIRE_AT_LEAST,
    ZL_ST_FORBID
} zl_stmt_kind;

typedef struct zl_when {
    const zl_expr *expr;
    zl_scope scope;
    uint8_t has_scope; /* 0: the condition holds anywhere in the language version */
} zl_when;

typedef struct zl_member {
    const zl_expr *expr;
    const char *label[ZL_NLANG]; /* NULL when absent (fall back to ru) */
} zl_member;

typedef struct zl_stmt {
    zl_stmt_kind kind;
    const zl_expr *expr;      /* REQUIRE, FORBID */
    zl_member *members;       /* REQUIRE_AT_LEAST */
    uint32_t n_members;
    uint32_t at_least;
    const zl_expr *unless;    /* FORBID; NULL when absent */
    zl_scope scope;
    zl_when *whens;           /* all must hold */
    uint32_t n_whens;
    uint32_t line;            /* in the rule file */
} zl_stmt;

typedef struct zl_example {
    uint8_t pass;             /* 1 = pass example, 0 = fail example */
    const char *text;
    size_t len;
    uint32_t line;
} zl_example;

typedef struct zl_rule {
    const char *id;
    zl_severity severity;
    const char *article;      /* NULL when absent */
    int32_t since, until;     /* YYYYMMDD; 0 = unbounded */
    const char *title[ZL_NLANG];
    const char *message[ZL_NLANG];
    const char *suggest[ZL_NLANG];
    const zl_expr *anchor;    /* NULL when absent */
    const char **tags;
    uint32_t n_tags;
    zl_stmt *stmts;
    uint32_t n_stmts;
    zl_example *examples;
    uint32_t n_examples;
    const char *file;         /* rule file name as loaded ("kz94v/consent.rules") */
    uint32_t line;
    uint32_t index;           /* position in zl_pack.rules */
} zl_rule;

typedef struct zl_pack zl_pack;

/* Load API (src/dsl/pack.c).  Add sources, then compile once:
 *   zl_pack_new(&p); zl_pack_add_embedded(p, d); zl_pack_add_path(p, "my/rules", d);
 *   if (zl_pack_compile(p, d) != ZL_OK) ... every error is in d ...
 * Adding after compiling is an error.  Defines are shared by all files of the
 * pack, in any order.  Errors recover at the next `rule`, so one call reports
 * them all.
 * The built-in pack alone is also available pre-compiled, as a build-time
 * image linked into the zanlint binary (dsl/image.h, zl_pack_from_image):
 * the CLI loads it for lint, `rules` and `explain` runs without --rules or
 * --no-default-rules; a run with --rules (whose files may use the built-in
 * pack's defines) and `zanlint test` compile from source as above. */
int zl_pack_new(zl_pack **out);
void zl_pack_free(zl_pack *p);
/* A .rules file or a directory (its *.rules files, sorted by name). */
int zl_pack_add_path(zl_pack *p, const char *path, zl_diags *diags);
/* Source text held in memory; `name` is used in diagnostics. Copied. */
int zl_pack_add_source(zl_pack *p, const char *name, const char *text, size_t len,
                       zl_diags *diags);
/* The packs embedded at build time (rules/kz94v). */
int zl_pack_add_embedded(zl_pack *p, zl_diags *diags);
int zl_pack_compile(zl_pack *p, zl_diags *diags);

uint32_t zl_pack_rule_count(const zl_pack *p);
const zl_rule *zl_pack_rule(const zl_pack *p, uint32_t i);
const zl_rule *zl_pack_find(const zl_pack *p, const char *id);
uint32_t zl_pack_atom_count(const zl_pack *p);
const zl_atom *zl_pack_atom(const zl_pack *p, uint32_t i);
/* 1-based line and code-point column of the atom's first use (0:0 for an
 * atom built by hand, without a source). */
void zl_pack_atom_pos(const zl_atom *a, uint32_t *line, uint32_t *col);
const char *zl_pack_name(const zl_pack *p);    /* "kz94v" or "custom" */
const char *zl_pack_version(const zl_pack *p); /* from `pack ... version "..."`, or "0" */
const char *zl_scope_name(zl_scope s);

#endif
