/*
 * engine.h - stage 5: evaluate a compiled pack over a segmented document.
 *
 * One pass over the document finds the occurrences (token ranges) of every
 * atom of the pack; statements are then evaluated per language version over
 * the requested scope instances from those occurrence lists, without
 * rescanning the text per rule.  Findings and their strings are allocated in
 * the document's arena and live as long as the document; the array itself
 * is malloc'd and released by zl_findings_free.  Findings are sorted by
 * (source offset, rule id, end offset) so output is deterministic.
 */
#ifndef ZL_ENGINE_ENGINE_H
#define ZL_ENGINE_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "dsl/rule.h"
#include "text/doc.h"
#include "util/buf.h"
#include "util/diag.h"

typedef enum zl_finding_kind {
    ZL_FK_MISSING = 0, /* a require statement not satisfied: placed at the anchor */
    ZL_FK_MATCH        /* a forbid statement matched: spans the evidence */
} zl_finding_kind;

typedef struct zl_finding {
    const zl_rule *rule;
    zl_severity severity;
    zl_finding_kind kind;
    uint32_t text_off, text_len;   /* span in the logical text (doc->in.text) */
    uint32_t src_off, src_len;     /* span in the source (doc->in.src) */
    uint32_t line, col;            /* 1-based; column in code points */
    uint32_t end_line, end_col;    /* inclusive end position */
    zl_lang lang;                  /* language version the finding belongs to */
    uint32_t version;              /* index into doc->versions */
    const char *section;           /* enclosing section title, or NULL */
    const char *clause;            /* clause number ("2.5"), or NULL */
    const char *excerpt;           /* logical text of the span (markup removed), whitespace folded, <= ~200 chars */
    const char *message[ZL_NLANG]; /* rule message per language with {missing} filled; NULL if absent */
    char fingerprint[17];          /* 16 hex digits: rule id + normalized evidence / section */
    /* Set by suppressions (src/engine/suppress.h); zero from the engine. */
    uint8_t suppressed;            /* 1 = suppressed, shown only with --include-suppressed */
    const char *suppress_kind;     /* "inSource" or "external" */
    const char *suppress_reason;
} zl_finding;

typedef struct zl_findings {
    zl_finding *items;
    size_t count, cap;
} zl_findings;

typedef struct zl_eval_opts {
    int32_t as_of;          /* YYYYMMDD: rules with since > as_of or until <= as_of are skipped; 0 = all */
    const uint8_t *active;  /* per rule index: 0 = skip; NULL = all active */
} zl_eval_opts;

/* A prepared pack: the atom index of zl_match (match.h) plus the rule and
 * atom tables.  Build it once per pack with zl_engine_prepare; it is
 * immutable afterwards, so any number of threads may call zl_engine_eval on
 * one engine at the same time (each call has its own scratch state).  The
 * engine borrows the pack: free the engine before the pack. */
typedef struct zl_engine zl_engine;

/* Prepares `pack` (compiled) for evaluation; never fails.  Cost is linear in
 * the number of atoms. */
zl_engine *zl_engine_prepare(const zl_pack *pack);
/* Same from hand-built IR (tests, tools): rules[i] has rule index i, atoms[j]
 * is atom id j as used by the rules' expressions.  Both arrays are copied;
 * the rules and atoms themselves are borrowed. */
zl_engine *zl_engine_prepare_ir(const zl_rule *const *rules, uint32_t n_rules,
                                const zl_atom *const *atoms, uint32_t n_atoms);
void zl_engine_free(zl_engine *e); /* NULL is a no-op */

/* A build-time image of an engine's expression graph (scripts/pack-image.c
 * writes the built-in pack's; see dsl/image.h).  zl_engine_image appends
 * e's graph to *out as 32-bit words, expressions named by their index in
 * exprs[0..n_exprs) (the image's expression array, in order), and returns
 * its size in bytes, or 0 when a compiled expression is not in the list.
 * zl_engine_use_image registers the image of the engine over rules[0..
 * n_rules) and n_atoms atoms whose expressions are exprs[0..n_exprs) (NULL
 * blob: none); an engine later prepared over exactly those rule pointers,
 * in order, adopts it - its lists are borrowed from the image, its nodes
 * and sets filled from it - unless the image does not fit them or is
 * inconsistent (an id out of range, a list out of the image), and is then
 * compiled.  zl_engine_adopted tells which; zl_engine_dump appends a
 * canonical text form of the graph. */
size_t zl_engine_image(const zl_engine *e, const zl_expr *const *exprs, uint32_t n_exprs, zl_buf *out);
void zl_engine_use_image(const zl_rule *rules, uint32_t n_rules, uint32_t n_atoms,
                         const zl_expr *exprs, uint32_t n_exprs, const void *blob, size_t len);
int zl_engine_adopted(const zl_engine *e);
void zl_engine_dump(const zl_engine *e, zl_buf *out);
/* zl_eval on a prepared engine: what batch runs and worker threads call. */
int zl_engine_eval(const zl_engine *e, const zl_doc *doc, const zl_eval_opts *opts,
                   zl_findings *out, zl_diags *diags);

/* The outcome of one rule on one evaluated document (zl_engine_eval_status):
 * what JUnit test cases and audit matrices are built from. */
typedef enum zl_rule_status {
    ZL_RS_INACTIVE = 0,   /* not evaluated: disabled (`active`) or outside since/until (`as_of`) */
    ZL_RS_NOT_APPLICABLE, /* every statement was gated by a `when` that held in no language
                           * version (also: a document without tokens) */
    ZL_RS_PASSED,         /* evaluated, no finding */
    ZL_RS_FAILED          /* at least one finding */
} zl_rule_status;

/* zl_engine_eval that also writes each rule's outcome on this document into
 * `status` (caller-owned, one zl_rule_status per rule index, i.e. the
 * engine's rule count; NULL = not wanted).  A rule is FAILED as soon as one
 * of its statements produced a finding in some version, else PASSED when
 * some statement was evaluated (its `when` conditions held) in some version,
 * else NOT_APPLICABLE.  Thread-safe like zl_engine_eval. */
int zl_engine_eval_status(const zl_engine *e, const zl_doc *doc, const zl_eval_opts *opts,
                          zl_findings *out, zl_diags *diags, uint8_t *status);
/* Whether rule `r` (with r->index into opts->active) is evaluated under
 * `opts` (NULL = every rule): its active flag and its since/until window. */
int zl_rule_is_active(const zl_rule *r, const zl_eval_opts *opts);

/* Appends findings for `doc` to `out`.  Returns ZL_OK, or ZL_ERR when a limit
 * was hit (a diagnostic naming the rule is added; other rules still ran).
 * `opts` may be NULL (all rules, no date filter).  `diags` receives
 * ZL_D_MATCH_LIMIT warnings naming the rules whose regex hit a PCRE2 limit;
 * that atom then has no further matches in the document.  zl_eval prepares
 * a temporary engine per call (cheap, linear in the atoms); callers
 * evaluating many documents should prepare once and use zl_engine_eval. */
int zl_eval(const zl_pack *pack, const zl_doc *doc, const zl_eval_opts *opts, zl_findings *out,
            zl_diags *diags);
void zl_findings_free(zl_findings *f);
/* The message of a finding in `lang` (ZL_MSG_*), falling back to ru. */
const char *zl_finding_message(const zl_finding *f, int lang);

/* Self-test (`zanlint test`): runs every example of every rule (or of the
 * rules whose `active` flag is set).  For each example calls `report` with
 * the outcome; returns the number of failures.  A rule lacking a pass or a
 * fail example counts as a failure with example == NULL. */
typedef void (*zl_selftest_cb)(void *ctx, const zl_rule *rule, const zl_example *example, int ok,
                               const char *detail);
size_t zl_selftest(const zl_pack *pack, const uint8_t *active, zl_selftest_cb report, void *ctx,
                   size_t *n_passed);

#endif
