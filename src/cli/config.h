/*
 * config.h - the .zanlint configuration file (docs/suppressions.md) and the
 * per-run policy built from it and the command line: which rules run on
 * which document, suppressions, and the baseline.
 *
 * The file is INI-like:
 *     # comment
 *     format = json            (top level: format, fail-on, lang, as-of, jobs,
 *     disable = kz94v.*         rules, no-default-rules, disable, enable)
 *     [path:legal-docs.docx]    (per-path: disable, enable, suppress; "**" spans dirs)
 *     suppress = kz94v.localization until 2027-01-01 -- reason
 * Errors (unknown keys or sections, malformed lines, bad values, unknown
 * rule ids) are ZL_D_CONFIG diagnostics with the file and line; the CLI
 * prints them and exits 2.
 *
 * Ownership: a zl_config owns every string in it (malloc); zl_config_free
 * releases them.  A zl_lintrun borrows the zl_cli it was started from.
 */
#ifndef ZL_CLI_CONFIG_H
#define ZL_CLI_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "cli/cli.h"
#include "engine/baseline.h"
#include "engine/suppress.h"
#include "text/doc.h"

typedef struct zl_cfg_toggle {
    char *id;      /* rule id or PREFIX.* */
    int on;
    uint32_t line;
} zl_cfg_toggle;

typedef struct zl_cfg_suppress {
    char *pattern;
    char *reason;
    int32_t until;       /* 0 = none */
    uint32_t line;
    size_t used;         /* findings it covered in this run */
    size_t docs;         /* documents its section matched in this run, where
                            zanlint.unused-suppression was on */
} zl_cfg_suppress;

typedef struct zl_cfg_section {
    char *glob;
    uint32_t line;
    zl_cfg_toggle *toggles;
    size_t n_toggles;
    zl_cfg_suppress *sups;
    size_t n_sups;
} zl_cfg_section;

typedef struct zl_config {
    char *path;              /* as shown in diagnostics (".zanlint", "../.zanlint", FILE) */
    char *dir;               /* directory of the file, absolute */
    char *format;            /* NULL = not set */
    int fail_on;             /* zl_severity or ZL_FAIL_NEVER; -2 = not set */
    int lang;                /* ZL_MSG_*; -1 = not set */
    int32_t as_of;           /* 0 = not set */
    char **rules;            /* resolved against dir */
    size_t n_rules;
    int no_default_rules;    /* -1 = not set */
    unsigned jobs;           /* documents linted at a time; 0 = not set */
    zl_cfg_toggle *toggles;  /* top-level disable/enable, in file order */
    size_t n_toggles;
    zl_cfg_section *sections;
    size_t n_sections;
} zl_config;

/* Parses config text.  `path` is the display name, `dir` the absolute
 * directory relative paths resolve against.  Reports every error; returns
 * ZL_OK or ZL_ERR. */
int zl_config_parse(zl_config *cfg, const char *path, const char *dir, const char *text,
                    size_t len, zl_diags *d);
/* Reads and parses a file (display path `shown`). */
int zl_config_load(zl_config *cfg, const char *file, const char *shown, zl_diags *d);
/* Looks for .zanlint in the current directory and its parents, up to the
 * filesystem root.  Returns 1 with the file in *file (absolute) and a
 * display path in *shown (".zanlint", "../.zanlint", ...), both malloc'd;
 * 0 when there is none. */
int zl_config_find(char **file, char **shown);
/* Checks every rule id of the file against the pack (and the meta rules). */
int zl_config_check_rules(const zl_config *cfg, const zl_pack *pack, zl_diags *d);
void zl_config_free(zl_config *cfg);

/* ---- a lint run ---------------------------------------------------------- */

typedef struct zl_lintrun {
    const zl_cli *cli;       /* the command line as given */
    zl_cli eff;              /* command line merged over the configuration; its
                                toggles are the command line's non-meta ones */
    zl_toggle *meta_toggles; /* the command line's zanlint.* toggles */
    size_t n_meta_toggles;
    zl_config cfg;
    int have_cfg;
    const char **rules;      /* eff.rules storage */
    const zl_pack *pack;
    uint8_t *active;         /* scratch: per-document rule flags */
    uint8_t meta_active[ZL_META_COUNT];
    zl_baseline baseline;
    int have_baseline;
    zl_baseline written;     /* --write-baseline accumulator */
    size_t n_suppressed, n_baselined;
} zl_lintrun;

/* Loads the configuration (--config, discovery, or none with --no-config)
 * and merges the command line over it into run->eff.  Returns ZL_EXIT_OK,
 * or ZL_EXIT_ERROR after printing the diagnostics. */
int zl_lintrun_start(zl_lintrun *run, const zl_cli *cli);
/* After the pack is loaded (from run->eff): checks the config's rule ids,
 * loads the baseline.  Returns ZL_EXIT_OK or ZL_EXIT_ERROR after printing. */
int zl_lintrun_ready(zl_lintrun *run, const zl_pack *pack);
/* The rule flags for one input (configuration toggles, the [path:] sections
 * matching it, then the command line's), valid until the next call. */
const uint8_t *zl_lintrun_active(zl_lintrun *run, const char *path);
/* After evaluating a document: inline and configured suppressions, meta
 * findings, the baseline, then drops what is not shown. */
void zl_lintrun_doc(zl_lintrun *run, const zl_doc *doc, const char *path, zl_findings *fs);
/* Writes --write-baseline, prints configuration warnings (unused
 * suppressions) and the baseline note.  Returns ZL_EXIT_OK or
 * ZL_EXIT_ERROR after printing.  Frees everything. */
int zl_lintrun_finish(zl_lintrun *run);
void zl_lintrun_free(zl_lintrun *run);

#endif
