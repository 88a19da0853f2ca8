/*
 * report.h - stage 6: the reporter registry (one file per output format).
 *
 * A reporter writes a whole lint run into a caller-owned zl_buf through three
 * callbacks: begin (once), file (once per input, in input order, also for
 * inputs that could not be read) and end (once, with the totals).  Reporters
 * never print; src/cli/ decides where the buffer goes (stdout or an
 * atomically written --output file) and checks buf.err once at the end.
 *
 * Adding a format = one report_<name>.c defining a `const zl_reporter` and
 * one line in the table of report.c.
 *
 * Ownership: everything passed to a callback is borrowed for the duration of
 * the call.  A reporter that needs state across calls allocates it in begin,
 * keeps it in ctx->state and releases it in end.
 */
#ifndef ZL_REPORT_REPORT_H
#define ZL_REPORT_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"
#include "text/doc.h"
#include "util/buf.h"
#include "util/diag.h"

typedef struct zl_report_opts {
    int lang;                 /* message language: ZL_MSG_RU, ZL_MSG_KK or ZL_MSG_EN */
    int color;                /* text-like formats: emit ANSI colour escapes */
    int quiet;                /* text-like formats: no summary line */
    const char *pack_name;    /* zl_pack_name() of the pack in use */
    const char *pack_version; /* zl_pack_version() */
    /* Rule metadata for formats that list rules (sarif rules[], junit test
     * cases): the pack and the evaluation options saying which rules are
     * active (zl_rule_is_active); either may be NULL = no rule list. */
    const zl_pack *pack;
    const zl_eval_opts *eval;
    /* Per zanlint.* meta rule (ZL_META_COUNT flags): listed in sarif
     * rules[]; NULL = all of them. */
    const uint8_t *meta_active;
    /* sarif originalUriBaseIds: the absolute directory that relative input
     * paths are relative to (the working directory), or NULL. */
    const char *base_dir;
} zl_report_opts;

/* One input of the run. */
typedef struct zl_report_input {
    const char *path;            /* display path ("<stdin>" for standard input) */
    const zl_doc *doc;           /* NULL when the input could not be read */
    const zl_diag *error;        /* why it could not be read, or NULL: zl_report_read_error */
    const zl_finding *findings;  /* sorted as zl_eval leaves them */
    size_t n_findings;
    /* Per rule index of opts->pack: a zl_rule_status (engine.h) from
     * zl_engine_eval_status; NULL when the input could not be read. */
    const uint8_t *rule_status;
    /* Per zanlint.* meta rule (ZL_META_COUNT flags): on for this input
     * (junit test cases); NULL = opts->meta_active. */
    const uint8_t *meta_active;
} zl_report_input;

typedef struct zl_report_summary {
    size_t files;    /* inputs reported, readable or not */
    size_t failed;   /* inputs that could not be read */
    size_t compliant; /* inputs read with no (unsuppressed) finding */
    size_t errors, warnings, infos; /* findings by severity */
} zl_report_summary;

typedef struct zl_report_ctx {
    const zl_report_opts *opts;
    size_t index;          /* 0-based index of the file being written */
    zl_report_summary sum; /* totals of the files written before this call; in end: all */
    void *state;           /* the reporter's own, see above */
    /* Hands what `out` holds to its destination now (the CLI's zl_out_flush),
     * for a reporter that writes much in one call; NULL = it stays. */
    void (*flush)(zl_buf *out, void *arg);
    void *flush_arg;
} zl_report_ctx;

typedef struct zl_reporter {
    const char *name;        /* --format value */
    const char *description; /* one line for --help */
    void (*begin)(zl_buf *out, zl_report_ctx *ctx);
    void (*file)(zl_buf *out, zl_report_ctx *ctx, const zl_report_input *f);
    void (*end)(zl_buf *out, zl_report_ctx *ctx);
} zl_reporter;

/* The message of the reason input `in` could not be read ("cannot read"
 * when it has none); NULL when it was read. */
const char *zl_report_read_error(const zl_report_input *in);

/* `s` with every ill-formed UTF-8 byte (a file name from a non-UTF-8 file
 * system) as U+FFFD, so a report stays UTF-8: `s` itself when well-formed,
 * else a copy in `tmp`. */
const char *zl_report_well_formed(const char *s, zl_buf *tmp);

/* The registered reporters (report.c), NULL-terminated, and lookup by name
 * (NULL when unknown). */
const zl_reporter *const *zl_reporters(void);
const zl_reporter *zl_reporter_find(const char *name);

/* Drives one reporter over a run and keeps the totals. */
typedef struct zl_report {
    const zl_reporter *reporter;
    zl_report_opts opts;
    zl_report_ctx ctx;
} zl_report;

void zl_report_begin(zl_report *rep, const zl_reporter *reporter, const zl_report_opts *opts,
                     zl_buf *out, void (*flush)(zl_buf *out, void *arg), void *flush_arg);
void zl_report_add(zl_report *rep, zl_buf *out, const zl_report_input *f);
void zl_report_end(zl_report *rep, zl_buf *out);

/* A rule's cell in the requirement x document matrix (html, csv). */
enum {
    ZL_CELL_OFF = 0, /* not evaluated on this document (inactive, disabled) */
    ZL_CELL_NA,      /* not applicable: its `when` conditions never held */
    ZL_CELL_PASS,
    ZL_CELL_FAIL,
    ZL_CELL_SUP,     /* failed, but every finding was suppressed or baselined */
    ZL_CELL_UNREAD   /* the document could not be read */
};
/* The cell of rule `r` on a read input whose engine status is `status`. */
uint8_t zl_report_cell(const zl_report_input *in, const zl_rule *r, uint8_t status);
/* The cell of zanlint.* meta rule `m` (suppress.h) on a read input: fail
 * or suppressed by its findings, else pass where it is on (the input's
 * meta_active, else the run's), else off.  The matrix formats give a meta
 * rule a column only when some document fails it (docs/reports.md). */
uint8_t zl_report_meta_cell(const zl_report_input *in, const zl_report_opts *o, uint32_t m);

/* Pieces of the json format shared with jsonl (report_json.c): the "tool"
 * object, the "languages" array of a document (NULL: []), and one finding
 * object, pretty-printed at the json format's indentation or `compact` on
 * one line.  Key order is the public interface of docs/cli.md. */
void zl_report_json_tool(zl_buf *out, const zl_report_opts *o);
void zl_report_json_languages(zl_buf *out, const zl_doc *doc);
void zl_report_json_finding(zl_buf *out, const zl_report_opts *o, const zl_doc *doc,
                            const zl_finding *f, int compact);

/* ANSI colour escapes used by text-like reporters and the CLI's diagnostics. */
#define ZL_COLOR_RESET "\033[0m"
#define ZL_COLOR_BOLD "\033[1m"
#define ZL_COLOR_DIM "\033[2m"
#define ZL_COLOR_RED "\033[1;31m"
#define ZL_COLOR_YELLOW "\033[1;33m"
#define ZL_COLOR_CYAN "\033[1;36m"
#define ZL_COLOR_GREEN "\033[1;32m"

/* The colour of a severity word (error red, warning yellow, info cyan). */
const char *zl_report_severity_color(zl_severity sev);

/* The text format's summary, without colour or newline (report_text.c):
 * "212 errors, 95 warnings, 40 infos in 120 files (37 compliant, 2 could not
 * be read)". */
void zl_report_summary_line(zl_buf *out, const zl_report_summary *s);

/* Writes a source excerpt with a caret underline (report_text.c):
 *     "    <line>\n    <spaces>^^^^\n"
 * `line` (len bytes, no newline) is the source line; the underline starts at
 * code-point column `col` (1-based) and covers `width` code points (at least
 * one ^; clipped to the end of the line).  Tabs before the caret are copied
 * so the caret lines up.  Lines longer than ZL_EXCERPT_MAX code points are
 * shown as a window around the span with "…" marking the cuts.  When
 * `color` is not NULL the carets are wrapped in it and ZL_COLOR_RESET. */
#define ZL_EXCERPT_MAX 160
void zl_report_excerpt(zl_buf *out, const char *line, size_t len, uint32_t col, uint32_t width,
                       const char *color);

#endif
