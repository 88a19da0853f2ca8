/*
 * suppress.h - suppressions: inline directives in HTML comments of Markdown
 * and HTML sources, and external (configuration) suppressions, applied to
 * the findings of one document; plus the synthetic zanlint.* meta rules that
 * report problems with the directives themselves.
 *
 * Directives (docs/suppressions.md):
 *     <!-- zanlint-disable RULE[,RULE...] [until YYYY-MM-DD] -- reason -->
 *     <!-- zanlint-enable [RULE,...] -->
 *     <!-- zanlint-disable-next RULE[,RULE...] [until YYYY-MM-DD] -- reason -->
 * RULE is an exact rule id or PREFIX.*.  A disable covers the source from
 * the end of its comment to the enable that closes it (or the end of the
 * document); a disable-next covers the next paragraph of the segmented
 * document.  A finding is suppressed when its source start lies in an
 * unexpired entry's range for its rule.
 *
 * Ownership: a zl_suppressions list owns its entry array (malloc); entry
 * strings live in the document's arena (inline entries) or are borrowed
 * from the caller (external entries) and must outlive the list.  Meta
 * findings and rewritten messages are allocated in the document's arena.
 */
#ifndef ZL_ENGINE_SUPPRESS_H
#define ZL_ENGINE_SUPPRESS_H

#include <stddef.h>
#include <stdint.h>

#include "dsl/rule.h"
#include "engine/engine.h"
#include "text/doc.h"

/* ---- directive syntax ---------------------------------------------------- */

typedef enum zl_dir_kind {
    ZL_DIR_DISABLE = 0,
    ZL_DIR_ENABLE,
    ZL_DIR_DISABLE_NEXT
} zl_dir_kind;

typedef enum zl_dir_error {
    ZL_DIRERR_NONE = 0,
    ZL_DIRERR_UNKNOWN_KIND, /* "zanlint-frobnicate" */
    ZL_DIRERR_NO_RULES,     /* a disable without rule ids */
    ZL_DIRERR_BAD_RULE,     /* a rule id that is not RULE_ID or PREFIX.* */
    ZL_DIRERR_BAD_DATE,     /* until without a valid YYYY-MM-DD */
    ZL_DIRERR_SYNTAX,       /* text where ',', "until" or "--" was expected */
    ZL_DIRERR_TOO_MANY      /* more than ZL_DIR_MAX_RULES ids */
} zl_dir_error;

#define ZL_DIR_MAX_RULES 32

typedef struct zl_slice {
    const char *p;
    size_t len;
} zl_slice;

typedef struct zl_directive {
    zl_dir_kind kind;
    zl_slice rules[ZL_DIR_MAX_RULES]; /* slices of the parsed text */
    size_t n_rules;
    int32_t until;                    /* YYYYMMDD, 0 = none */
    zl_slice reason;                  /* trimmed; len 0 = no reason */
    zl_dir_error error;
} zl_directive;

/* Parses the body of an HTML comment (the text between "<!--" and "-->").
 * Returns 0 when the body is not a zanlint directive (it does not start,
 * after blanks, with "zanlint-"), else 1 with `out` filled; out->error tells
 * whether it is well formed.  A missing reason is not a syntax error: the
 * caller checks reason.len. */
int zl_directive_parse(const char *body, size_t len, zl_directive *out);
/* Parses "RULE[,RULE...] [until YYYY-MM-DD] [-- reason]" (the part after
 * the directive word; also the value of a configuration `suppress` key)
 * into `out` with kind ZL_DIR_DISABLE.  Returns 0 when well formed, else -1
 * with out->error set. */
int zl_suppress_parse_spec(const char *s, size_t len, zl_directive *out);
/* English text of a directive error, for diagnostics. */
const char *zl_dir_error_text(zl_dir_error e);

/* 1 when `pattern` (an exact id or PREFIX.*) names rule `id`. */
int zl_rule_pattern_match(const char *pattern, const char *id);

/* ---- meta rules ---------------------------------------------------------- */

enum {
    ZL_META_MISSING_REASON = 0, /* zanlint.suppression-missing-reason, error */
    ZL_META_UNKNOWN_RULE,       /* zanlint.suppression-unknown-rule, error */
    ZL_META_INVALID,            /* zanlint.suppression-invalid, error */
    ZL_META_UNUSED,             /* zanlint.unused-suppression, warning */
    ZL_META_COUNT
};

/* The synthetic rules (static storage, sorted by id; rule->index is the
 * ZL_META_* value).  They have no statements: only this module emits them. */
const zl_rule *zl_meta_rule(uint32_t i);
/* 1 when `r` is one of the meta rules. */
int zl_is_meta_rule(const zl_rule *r);
/* Sets meta_active[i] = on for every meta rule `pattern` names; returns how
 * many it names.  `meta_active` may be NULL (only count). */
size_t zl_meta_toggle(const char *pattern, int on, uint8_t *meta_active);

/* ---- applying ------------------------------------------------------------ */

typedef struct zl_sup_entry {
    const char *pattern;   /* rule id or PREFIX.* */
    const char *reason;
    int32_t until;         /* YYYYMMDD, 0 = never expires */
    uint32_t start, end;   /* covered source bytes [start, end) */
    uint8_t external;      /* 0 = inline directive ("inSource"), 1 = configuration */
    uint32_t dir_off, dir_len; /* inline: the directive comment in in.src */
    uint32_t tag;          /* external: caller's index (e.g. config entry) */
    uint32_t used;         /* findings in range for the rule (suppressed or expired) */
} zl_sup_entry;

typedef struct zl_suppressions {
    zl_sup_entry *items;
    size_t count, cap;
    uint8_t meta_active[ZL_META_COUNT]; /* set by zl_suppress_init; caller may clear */
} zl_suppressions;

void zl_suppress_init(zl_suppressions *s);
void zl_suppress_free(zl_suppressions *s);

/* Scans doc->in.src for HTML comments holding directives (comments that
 * the reader kept as text, e.g. inside a code block or in a .txt file, are
 * not directives), adds their entries to `s` and appends meta findings for
 * malformed directives, missing reasons, rule ids naming no rule of `pack`
 * (nor a meta rule) and enables that close nothing.  A directive with any
 * such problem is ignored (it suppresses nothing). */
void zl_suppress_scan(zl_suppressions *s, const zl_doc *doc, const zl_pack *pack,
                      zl_findings *out);
/* Adds an external entry covering the whole document; strings borrowed. */
void zl_suppress_add_external(zl_suppressions *s, const zl_doc *doc, const char *pattern,
                              const char *reason, int32_t until, uint32_t tag);
/* Marks the findings of `fs` (not meta findings) covered by an entry as
 * suppressed (suppress_kind "inSource"/"external", suppress_reason).  An
 * entry with until <= as_of is expired: it suppresses nothing, and a
 * finding it covers gets "(suppression expired on DATE: reason)" appended
 * to its messages.  Counts entry use. */
void zl_suppress_apply(zl_suppressions *s, const zl_doc *doc, zl_findings *fs, int32_t as_of);
/* Appends a zanlint.unused-suppression finding for every inline entry that
 * covered no finding (when that meta rule is active). */
void zl_suppress_report_unused(const zl_suppressions *s, const zl_doc *doc, zl_findings *out);
/* Sorts findings by (source offset, rule id, length, version). */
void zl_findings_sort(zl_findings *fs);
/* Drops suppressed findings unless `keep`; returns how many are suppressed. */
size_t zl_findings_drop_suppressed(zl_findings *fs, int keep);

#endif
