/*
 * ast.h - the syntax tree of one rule file, produced by parser.c and consumed
 * by compile.c.
 *
 * Every node lives in the pack arena and keeps its source and byte span, so
 * the compiler can report semantic errors (unknown names, bad regexes, ...)
 * with a position.  Strings are already unescaped; match strings and regexes
 * are not yet normalized, tokenized or compiled: that is the compiler's job.
 */
#ifndef ZL_DSL_AST_H
#define ZL_DSL_AST_H

#include <stddef.h>
#include <stdint.h>

#include "dsl/lexer.h"
#include "dsl/rule.h"

typedef enum zl_ast_kind {
    ZL_AST_STRING = 0, /* text: the match string */
    ZL_AST_REGEX,      /* text: the pattern, \/ unescaped */
    ZL_AST_NAME,       /* text: the defined name */
    ZL_AST_OR,
    ZL_AST_AND,
    ZL_AST_NEAR,
    ZL_AST_THEN,
    ZL_AST_NOT
} zl_ast_kind;

typedef struct zl_ast_expr {
    zl_ast_kind kind;
    const zl_src *src;
    uint32_t off, len;        /* the atom or operator token */
    const char *text;         /* STRING, REGEX, NAME (NUL-terminated) */
    size_t text_len;
    struct zl_ast_expr *a, *b; /* operands; NOT: a */
    uint32_t dist;            /* NEAR/THEN */
} zl_ast_expr;

typedef struct zl_ast_when {
    zl_ast_expr *expr;
    zl_scope scope;
    uint8_t has_scope;
} zl_ast_when;

typedef struct zl_ast_member {
    zl_ast_expr *expr;
    const char *label[ZL_NLANG];
} zl_ast_member;

typedef struct zl_ast_stmt {
    zl_stmt_kind kind;
    zl_ast_expr *expr;
    zl_ast_member *members;
    uint32_t n_members;
    uint32_t at_least;
    zl_ast_expr *unless;
    zl_scope scope;
    zl_ast_when *whens;
    uint32_t n_whens;
    uint32_t off;             /* the `require`/`forbid` keyword */
} zl_ast_stmt;

typedef struct zl_ast_rule {
    const char *id;
    const zl_src *src;
    uint32_t off, id_off, id_len; /* the `rule` keyword; the id */
    zl_severity severity;
    const char *article;
    int32_t since, until;
    const char *title[ZL_NLANG];
    const char *message[ZL_NLANG];
    const char *suggest[ZL_NLANG];
    zl_ast_expr *anchor;
    const char **tags;
    uint32_t n_tags;
    zl_ast_stmt *stmts;
    uint32_t n_stmts;
    zl_example *examples;
    uint32_t n_examples;
    struct zl_ast_rule *next;
} zl_ast_rule;

typedef struct zl_ast_define {
    const char *name;
    const zl_src *src;
    uint32_t off, name_off, name_len; /* the `define` keyword; the name */
    zl_ast_expr *expr;
    struct zl_ast_define *next;
} zl_ast_define;

typedef struct zl_ast_pack {
    const char *name;
    const char *version;
    const zl_src *src;
    uint32_t off;
    struct zl_ast_pack *next;
} zl_ast_pack;

/* One parsed file: its declarations in source order. */
typedef struct zl_ast_file {
    const zl_src *src;
    zl_ast_pack *packs;
    zl_ast_define *defines;
    zl_ast_rule *rules;
} zl_ast_file;

/* Parses src into *out (arena allocations).  Every syntax error is reported
 * to `d`; after an error the parser skips to the next top-level `rule`,
 * `define` or `pack` and goes on, so *out holds every well-formed
 * declaration.  Returns the number of errors reported (0 = clean). */
size_t zl_parse(zl_arena *a, const zl_src *src, zl_ast_file *out, zl_diags *d);

/* Validates a YYYYMMDD value (month 1-12, day within the month, leap years). */
int zl_date_valid(uint64_t yyyymmdd);

#endif
