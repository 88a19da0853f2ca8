/*
 * cli.h - what the files of src/cli/ share: the parsed command line, the
 * commands, and the output/diagnostic helpers.  Only src/cli/ prints or
 * exits; commands return an exit status (ZL_EXIT_*) to main().
 */
#ifndef ZL_CLI_CLI_H
#define ZL_CLI_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "dsl/rule.h"
#include "util/buf.h"
#include "util/diag.h"

enum { ZL_EXIT_OK = 0, ZL_EXIT_FINDINGS = 1, ZL_EXIT_ERROR = 2 };

enum { ZL_COLOR_AUTO = 0, ZL_COLOR_ALWAYS, ZL_COLOR_NEVER };
#define ZL_FAIL_NEVER (-1)

typedef enum zl_command {
    ZL_CMD_LINT = 0,
    ZL_CMD_TEST,
    ZL_CMD_RULES,
    ZL_CMD_EXPLAIN,
    ZL_CMD_SEGMENTS
} zl_command;

/* --enable/--disable, kept in command-line order. */
typedef struct zl_toggle {
    const char *id; /* a rule id, or "prefix.*" */
    int on;
} zl_toggle;

/* One --format/--output pair (each --output binds to the --format before
 * it, or to the next one when it comes first); NULL = the default format /
 * standard output. */
typedef struct zl_cli_output {
    const char *format;
    const char *output;
} zl_cli_output;

/* Options whose presence on the command line beats the .zanlint file. */
enum { ZL_GIVEN_FORMAT = 1u << 0, ZL_GIVEN_FAIL_ON = 1u << 1, ZL_GIVEN_LANG = 1u << 2,
       ZL_GIVEN_AS_OF = 1u << 3 };

/* The parsed command line; strings point into argv. */
typedef struct zl_cli {
    zl_command command;
    const char *format;     /* NULL = the command's default */
    const char *output;     /* NULL or "-" = standard output */
    zl_cli_output *outputs; /* every --format/--output pair, in order (lint only: */
    size_t n_outputs;       /* several; other commands use format/output above) */
    int fail_on;            /* zl_severity, or ZL_FAIL_NEVER */
    int lang;               /* ZL_MSG_* */
    const char **rules;     /* --rules, in order */
    size_t n_rules;
    int no_default_rules;
    zl_toggle *toggles;
    size_t n_toggles;
    int32_t as_of;          /* YYYYMMDD */
    int color_mode;         /* ZL_COLOR_* */
    int quiet;
    size_t max_bytes;       /* 0 = library default */
    const char *encoding;
    int show_help, show_version, help_man;
    const char *config;         /* --config FILE, or NULL = look for .zanlint */
    int no_config;              /* --no-config */
    const char *baseline;       /* --baseline FILE */
    const char *write_baseline; /* --write-baseline FILE */
    int prune_baseline;         /* --prune-baseline */
    int include_suppressed;     /* --include-suppressed */
    const char **includes;      /* --include GLOB, in order (docs/batch.md) */
    size_t n_includes;
    const char **excludes;      /* --exclude GLOB, in order */
    size_t n_excludes;
    const char **files_from;    /* --files-from FILE ("-" = standard input), in order */
    size_t n_files_from;
    int null_sep;               /* -0/--null: --files-from entries end with NUL */
    unsigned jobs;              /* -j N; 0 = the number of online processors */
    unsigned given;             /* ZL_GIVEN_*: options set on the command line */
    const char **args;      /* positional arguments after the command word */
    size_t n_args;
} zl_cli;

/* opts.c: parses argv into `cli` (zeroed first).  On a usage error returns
 * -1 with the message (without "zanlint: error: ") in `err`. */
int zl_cli_parse(int argc, char **argv, zl_cli *cli, zl_buf *err);
void zl_cli_free(zl_cli *cli);
/* --help text and the man page's OPTIONS section, from the option table. */
void zl_cli_help(zl_buf *out);
void zl_cli_help_man(zl_buf *out);
/* "2016-01-01" -> 20160101; returns 0 when not a valid date. */
int32_t zl_cli_parse_date(const char *s);
/* 20160101 -> "2016-01-01" into out (at least 11 bytes). */
void zl_cli_format_date(int32_t ymd, char *out, size_t size);

/* output.c */
typedef struct zl_out {
    const char *path; /* NULL = standard output */
    zl_buf buf;
    char *tmp;        /* the temporary file beside `path`, once created */
    int fd;           /* its descriptor (or `path`'s itself when direct), -1 before */
    int direct;       /* `path` is not a regular file: written in place */
    int err;          /* errno of the first failed write, 0 = none */
} zl_out;
void zl_out_init(zl_out *o, const char *path);
/* Writes what is buffered so far: to standard output, or (in 64 KiB pieces)
 * to the temporary file that zl_out_finish renames over `path`.  A `path`
 * that exists and is not a regular file (a device such as /dev/null or
 * /dev/stdout, a FIFO, a symbolic link) is opened and written in place
 * instead: renaming over it would replace it. */
void zl_out_flush(zl_out *o);
/* Writes the rest (a regular file: atomically, temp file + rename), frees
 * the buffer; returns 0 or -1 after printing a diagnostic. */
int zl_out_finish(zl_out *o);
/* Drops the output: buffer freed, temporary file removed. */
void zl_out_discard(zl_out *o);
int zl_cli_write_atomic(const char *path, const char *data, size_t len, zl_buf *err);
/* Colour decision for a stream (1 = stdout, 2 = stderr). */
int zl_cli_use_color(const zl_cli *cli, int fd);
/* Prints diagnostics on stderr (with source line and caret when known). */
void zl_cli_print_diags(const zl_cli *cli, const zl_diags *d);
/* Prints "zanlint: error: MESSAGE" on stderr. */
void zl_cli_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* pack.c: builds the pack for a command (built-in unless --no-default-rules
 * or `extra_only`, then each of `paths`) and the active flags from
 * --enable/--disable.  Returns ZL_EXIT_OK, or ZL_EXIT_ERROR after printing. */
int zl_cli_load_pack(const zl_cli *cli, const char *const *paths, size_t n_paths, int extra_only,
                     zl_pack **out, uint8_t **active);
/* The title/message/suggest text in `lang`, falling back to ru; NULL if none. */
const char *zl_cli_text(const char *const texts[ZL_NLANG], int lang);

/* The commands. */
int zl_cmd_lint(const zl_cli *cli);
int zl_cmd_test(const zl_cli *cli);
int zl_cmd_rules(const zl_cli *cli);
int zl_cmd_explain(const zl_cli *cli);
int zl_cmd_segments(const zl_cli *cli);

#endif
