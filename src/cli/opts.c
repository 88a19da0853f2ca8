/*
 * opts.c - the one option table: it drives argument parsing, --help and the
 * OPTIONS section of the man page (--help-man), so the three cannot drift.
 *
 * Accepted forms: --name VALUE, --name=VALUE, -x VALUE, -xVALUE, "--" ends
 * the options, "-" alone is an argument (standard input).  The first
 * positional argument selects a command when it is one of the command words
 * (test, rules, explain, segments); otherwise the run lints.  Hands a
 * zl_cli to main.c.
 */
#include "cli/cli.h"
#include "report/report.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <time.h>

enum {
    O_FORMAT, O_OUTPUT, O_FAIL_ON, O_LANG, O_RULES, O_NO_DEFAULT_RULES, O_DISABLE, O_ENABLE,
    O_AS_OF, O_COLOR, O_QUIET, O_MAX_BYTES, O_ENCODING, O_VERSION, O_HELP, O_HELP_MAN,
    O_CONFIG, O_NO_CONFIG, O_BASELINE, O_WRITE_BASELINE, O_PRUNE_BASELINE, O_INCLUDE_SUPPRESSED,
    O_INCLUDE, O_EXCLUDE, O_FILES_FROM, O_NULL, O_JOBS
};

#define OF_HIDDEN 1u

typedef struct zl_opt {
    int id;
    char short_name;  /* 0 = none */
    const char *name; /* long name without the dashes */
    const char *arg;  /* value placeholder; NULL = a flag */
    const char *help; /* "{formats}" is replaced by the reporter names */
    unsigned flags;
} zl_opt;

static const zl_opt options[] = {
    {O_FORMAT, 'f', "format", "FORMAT",
     "output format: {formats} (default: text); `rules` also takes markdown; when linting, "
     "repeat --format F --output FILE to write several formats in one run", 0},
    {O_OUTPUT, 'o', "output", "FILE",
     "write the output to FILE, atomically (a temporary file in the same directory, then "
     "rename); binds to the --format before it (at most one format goes to standard "
     "output)", 0},
    {O_FAIL_ON, 0, "fail-on", "LEVEL",
     "exit 1 when a finding is at or above LEVEL: error, warning, info or never "
     "(default: error)", 0},
    {O_LANG, 0, "lang", "LANG",
     "language of messages: ru, kk or en (default: ru; a missing text falls back to ru)", 0},
    {O_RULES, 'r', "rules", "PATH",
     "also load the rules of PATH, a .rules file or a directory (repeatable)", 0},
    {O_NO_DEFAULT_RULES, 0, "no-default-rules", NULL, "do not load the built-in kz94v pack", 0},
    {O_DISABLE, 0, "disable", "ID",
     "turn off rule ID, or every rule under PREFIX with PREFIX.* (repeatable)", 0},
    {O_ENABLE, 0, "enable", "ID",
     "turn rules off by --disable back on; both apply in command-line order (repeatable)", 0},
    {O_AS_OF, 0, "as-of", "DATE",
     "apply the law as in force on DATE, YYYY-MM-DD (default: today)", 0},
    {O_CONFIG, 0, "config", "FILE",
     "read settings from FILE instead of the .zanlint found in the current directory or a "
     "parent (see docs/suppressions.md)", 0},
    {O_NO_CONFIG, 0, "no-config", NULL, "do not read any .zanlint file", 0},
    {O_BASELINE, 0, "baseline", "FILE",
     "do not report the findings recorded in the baseline FILE (same path, rule and "
     "fingerprint)", 0},
    {O_WRITE_BASELINE, 0, "write-baseline", "FILE",
     "record the current findings in the baseline FILE (they are then not reported)", 0},
    {O_PRUNE_BASELINE, 0, "prune-baseline", NULL,
     "with --baseline FILE: rewrite FILE, atomically, without its stale entries (accepted "
     "findings of the linted files no longer found, entries of files that no longer exist)",
     0},
    {O_INCLUDE_SUPPRESSED, 0, "include-suppressed", NULL,
     "also report suppressed findings, marked (they never affect the exit status)", 0},
    {O_COLOR, 0, "color", "WHEN",
     "colour: auto, always or never (default: auto, i.e. on a terminal unless NO_COLOR is "
     "set; FORCE_COLOR turns it on)", 0},
    {O_QUIET, 'q', "quiet", NULL, "do not print the summary line", 0},
    {O_MAX_BYTES, 0, "max-bytes", "N",
     "refuse inputs larger than N bytes; suffixes k, M, G (default: 64M)", 0},
    {O_ENCODING, 0, "encoding", "ENC",
     "input encoding: utf-8, utf-16le, utf-16be, cp1251 or koi8-r (default: detected)", 0},
    {O_INCLUDE, 0, "include", "GLOB",
     "in walked directories, lint only the files matching GLOB (gitignore syntax, relative to "
     "the PATH directory; repeatable; see docs/batch.md)", 0},
    {O_EXCLUDE, 0, "exclude", "GLOB",
     "in walked directories, skip the files and directories matching GLOB; !GLOB takes them "
     "back, also from .zanlintignore files (repeatable)", 0},
    {O_FILES_FROM, 0, "files-from", "FILE",
     "also lint the paths listed in FILE, one per line (- = standard input; repeatable)", 0},
    {O_NULL, '0', "null", NULL, "the --files-from list is separated by NUL bytes (find -print0)",
     0},
    {O_JOBS, 'j', "jobs", "N",
     "lint N documents at a time (default: 'jobs' of the .zanlint file, else the number of "
     "online processors); the output is the same for every N", 0},
    {O_VERSION, 'V', "version", NULL, "print the version and exit", 0},
    {O_HELP, 'h', "help", NULL, "print this help and exit", 0},
    {O_HELP_MAN, 0, "help-man", NULL, "print the OPTIONS section of the man page", OF_HIDDEN},
};
#define N_OPTIONS (sizeof options / sizeof options[0])

static const struct {
    zl_command cmd;
    const char *word;
    const char *usage;
    const char *help;
} commands[] = {
    {ZL_CMD_LINT, NULL, "[OPTIONS] PATH...",
     "lint files and directories (recursively; '-' = standard input)"},
    {ZL_CMD_TEST, "test", "test [OPTIONS] [RULES...]",
     "run the pass/fail examples of the rules (RULES instead of the built-in pack)"},
    {ZL_CMD_RULES, "rules", "rules [OPTIONS]",
     "list the loaded rules: id, severity, article, title"},
    {ZL_CMD_EXPLAIN, "explain", "explain [OPTIONS] RULE-ID",
     "the article, message, suggested wording and examples of a rule"},
    {ZL_CMD_SEGMENTS, "segments", "segments [OPTIONS] FILE",
     "show how a document is split into sections, clauses and sentences"},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

/* ---- values ---------------------------------------------------------------- */

static int days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

int32_t zl_cli_parse_date(const char *s)
{
    int v[3] = {0, 0, 0};
    static const int width[3] = {4, 2, 2};
    for (int part = 0; part < 3; part++) {
        for (int i = 0; i < width[part]; i++, s++) {
            if (*s < '0' || *s > '9')
                return 0;
            v[part] = v[part] * 10 + (*s - '0');
        }
        if (part < 2 && *s++ != '-')
            return 0;
    }
    if (*s || v[0] < 1900 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > days_in_month(v[0], v[1]))
        return 0;
    return (int32_t)(v[0] * 10000 + v[1] * 100 + v[2]);
}

void zl_cli_format_date(int32_t ymd, char *out, size_t size)
{
    snprintf(out, size, "%04d-%02d-%02d", (int)(ymd / 10000), (int)(ymd / 100 % 100),
             (int)(ymd % 100));
}

static int32_t today(void)
{
    time_t t = time(NULL);
    struct tm tm;
    if (!localtime_r(&t, &tm))
        return 0;
    return (int32_t)((tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday);
}

static int parse_size(const char *s, size_t *out)
{
    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno)
        return -1;
    unsigned long long mul = 1;
    switch (*end) {
    case '\0': break;
    case 'k': case 'K': mul = 1024ULL; end++; break;
    case 'm': case 'M': mul = 1024ULL * 1024; end++; break;
    case 'g': case 'G': mul = 1024ULL * 1024 * 1024; end++; break;
    default: return -1;
    }
    if (*end || v == 0 || v > (unsigned long long)SIZE_MAX / mul)
        return -1;
    *out = (size_t)(v * mul);
    return 0;
}

static int one_of(const char *v, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(v, names[i]) == 0)
            return i;
    return -1;
}

static const char *const fail_names[] = {"error", "warning", "info", "never"};
static const char *const lang_names[] = {"ru", "kk", "en"};
static const char *const color_names[] = {"auto", "always", "never"};

/* Binds --format F / --output FILE into pairs: a value fills the last pair
 * when that pair lacks it, else starts a new pair. */
static void add_output(zl_cli *cli, const char *format, const char *output)
{
    zl_cli_output *last = cli->n_outputs ? &cli->outputs[cli->n_outputs - 1] : NULL;
    if (last && format && !last->format) {
        last->format = format;
        return;
    }
    if (last && output && !last->output) {
        last->output = output;
        return;
    }
    cli->outputs = zl_xrealloc(cli->outputs, (cli->n_outputs + 1) * sizeof *cli->outputs);
    cli->outputs[cli->n_outputs++] = (zl_cli_output){format, output};
}

static int is_stdout(const char *path)
{
    return !path || strcmp(path, "-") == 0;
}

/* Several --format/--output pairs: lint only, at most one to standard
 * output, no file twice. */
static int check_baseline(const zl_cli *cli, zl_buf *err)
{
    if (!cli->prune_baseline)
        return 0;
    if (!cli->baseline) {
        zl_buf_puts(err, "--prune-baseline needs --baseline FILE (the file it rewrites)");
        return -1;
    }
    if (cli->write_baseline) {
        zl_buf_puts(err, "--prune-baseline and --write-baseline cannot be combined");
        return -1;
    }
    return 0;
}

static int check_outputs(const zl_cli *cli, zl_buf *err)
{
    if (cli->n_outputs < 2)
        return 0;
    if (cli->command != ZL_CMD_LINT) {
        zl_buf_puts(err, "several --format/--output pairs are only accepted when linting");
        return -1;
    }
    size_t to_stdout = 0;
    for (size_t i = 0; i < cli->n_outputs; i++) {
        const char *p = cli->outputs[i].output;
        if (is_stdout(p)) {
            to_stdout++;
            continue;
        }
        for (size_t k = 0; k < i; k++) {
            if (!is_stdout(cli->outputs[k].output) && strcmp(cli->outputs[k].output, p) == 0) {
                zl_buf_printf(err, "--output '%s' is given twice", p);
                return -1;
            }
        }
    }
    if (to_stdout > 1) {
        zl_buf_puts(err, "more than one --format writes to standard output; give the others "
                         "an --output FILE");
        return -1;
    }
    return 0;
}

/* Applies one option; returns -1 with a message in err. */
static int apply(zl_cli *cli, const zl_opt *o, const char *val, zl_buf *err)
{
    int k;
    switch (o->id) {
    case O_FORMAT:
        cli->format = val;
        add_output(cli, val, NULL);
        break;
    case O_OUTPUT:
        cli->output = val;
        add_output(cli, NULL, val);
        break;
    case O_FAIL_ON:
        if ((k = one_of(val, fail_names, 4)) < 0)
            goto bad;
        cli->fail_on = k == 3 ? ZL_FAIL_NEVER : k;
        break;
    case O_LANG:
        if ((k = one_of(val, lang_names, 3)) < 0)
            goto bad;
        cli->lang = k == 0 ? ZL_MSG_RU : k == 1 ? ZL_MSG_KK : ZL_MSG_EN;
        break;
    case O_RULES:
        cli->rules = zl_xrealloc(cli->rules, (cli->n_rules + 1) * sizeof *cli->rules);
        cli->rules[cli->n_rules++] = val;
        break;
    case O_NO_DEFAULT_RULES: cli->no_default_rules = 1; break;
    case O_DISABLE:
    case O_ENABLE:
        if (!*val)
            goto bad;
        cli->toggles = zl_xrealloc(cli->toggles, (cli->n_toggles + 1) * sizeof *cli->toggles);
        cli->toggles[cli->n_toggles].id = val;
        cli->toggles[cli->n_toggles++].on = o->id == O_ENABLE;
        break;
    case O_AS_OF:
        if (!(cli->as_of = zl_cli_parse_date(val)))
            goto bad;
        break;
    case O_COLOR:
        if ((k = one_of(val, color_names, 3)) < 0)
            goto bad;
        cli->color_mode = k == 0 ? ZL_COLOR_AUTO : k == 1 ? ZL_COLOR_ALWAYS : ZL_COLOR_NEVER;
        break;
    case O_QUIET: cli->quiet = 1; break;
    case O_MAX_BYTES:
        if (parse_size(val, &cli->max_bytes) < 0)
            goto bad;
        break;
    case O_ENCODING:
        if (!*val)
            goto bad;
        cli->encoding = val;
        break;
    case O_VERSION: cli->show_version = 1; break;
    case O_HELP: cli->show_help = 1; break;
    case O_HELP_MAN: cli->help_man = 1; break;
    case O_CONFIG:
        if (!*val)
            goto bad;
        cli->config = val;
        break;
    case O_NO_CONFIG: cli->no_config = 1; break;
    case O_BASELINE:
        if (!*val)
            goto bad;
        cli->baseline = val;
        break;
    case O_WRITE_BASELINE:
        if (!*val)
            goto bad;
        cli->write_baseline = val;
        break;
    case O_PRUNE_BASELINE: cli->prune_baseline = 1; break;
    case O_INCLUDE_SUPPRESSED: cli->include_suppressed = 1; break;
    case O_INCLUDE:
    case O_EXCLUDE:
    case O_FILES_FROM: {
        const char ***list = o->id == O_INCLUDE   ? &cli->includes
                             : o->id == O_EXCLUDE ? &cli->excludes
                                                  : &cli->files_from;
        size_t *n = o->id == O_INCLUDE   ? &cli->n_includes
                    : o->id == O_EXCLUDE ? &cli->n_excludes
                                         : &cli->n_files_from;
        if (!*val)
            goto bad;
        *list = zl_xrealloc((void *)*list, (*n + 1) * sizeof **list);
        (*list)[(*n)++] = val;
        break;
    }
    case O_NULL: cli->null_sep = 1; break;
    case O_JOBS: {
        size_t j;
        if (parse_size(val, &j) < 0 || strspn(val, "0123456789") != strlen(val) || j > 1024)
            goto bad;
        cli->jobs = (unsigned)j;
        break;
    }
    }
    cli->given |= o->id == O_FORMAT ? ZL_GIVEN_FORMAT : o->id == O_FAIL_ON ? ZL_GIVEN_FAIL_ON
                  : o->id == O_LANG ? ZL_GIVEN_LANG : o->id == O_AS_OF ? ZL_GIVEN_AS_OF : 0u;
    return 0;
bad:
    zl_buf_printf(err, "invalid value '%s' for --%s (see 'zanlint --help')", val, o->name);
    return -1;
}

static const zl_opt *find_long(const char *name, size_t len)
{
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (strlen(options[i].name) == len && memcmp(options[i].name, name, len) == 0)
            return &options[i];
    return NULL;
}

static const zl_opt *find_short(char c)
{
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (options[i].short_name && options[i].short_name == c)
            return &options[i];
    return NULL;
}

static int check_format(zl_cli *cli, zl_buf *err)
{
    if (cli->command == ZL_CMD_LINT) {
        for (size_t i = 0; i < cli->n_outputs; i++) {
            const char *lf = cli->outputs[i].format;
            if (lf && !zl_reporter_find(lf)) {
                zl_buf_printf(err,
                              "invalid value '%s' for --format with this command "
                              "(see 'zanlint --help')",
                              lf);
                return -1;
            }
        }
    }
    if (!cli->format)
        return 0;
    const char *f = cli->format;
    int ok;
    switch (cli->command) {
    case ZL_CMD_LINT: ok = zl_reporter_find(f) != NULL; break;
    case ZL_CMD_RULES:
        ok = !strcmp(f, "text") || !strcmp(f, "json") || !strcmp(f, "markdown");
        break;
    case ZL_CMD_SEGMENTS: ok = !strcmp(f, "text") || !strcmp(f, "json"); break;
    default: ok = !strcmp(f, "text"); break;
    }
    if (ok)
        return 0;
    zl_buf_printf(err, "invalid value '%s' for --format with this command (see 'zanlint --help')",
                  f);
    return -1;
}

int zl_cli_parse(int argc, char **argv, zl_cli *cli, zl_buf *err)
{
    memset(cli, 0, sizeof *cli);
    cli->fail_on = ZL_SEV_ERROR;
    cli->lang = ZL_MSG_RU;
    cli->color_mode = ZL_COLOR_AUTO;
    cli->args = zl_xmalloc((size_t)(argc > 0 ? argc : 1) * sizeof *cli->args);
    const char **pos = zl_xmalloc((size_t)(argc > 0 ? argc : 1) * sizeof *pos);
    size_t n_pos = 0;
    int only_args = 0;
    int rc = -1;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_args || a[0] != '-' || a[1] == '\0') {
            pos[n_pos++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_args = 1;
            continue;
        }
        const zl_opt *o;
        const char *val = NULL;
        if (a[1] == '-') {
            const char *name = a + 2, *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            o = find_long(name, len);
            if (!o) {
                zl_buf_printf(err, "unknown option '--%.*s' (see 'zanlint --help')", (int)len,
                              name);
                goto done;
            }
            if (eq) {
                if (!o->arg) {
                    zl_buf_printf(err, "option '--%s' takes no value (see 'zanlint --help')",
                                  o->name);
                    goto done;
                }
                val = eq + 1;
            }
        } else {
            o = find_short(a[1]);
            if (!o) {
                zl_buf_printf(err, "unknown option '-%c' (see 'zanlint --help')", a[1]);
                goto done;
            }
            if (a[2]) {
                if (!o->arg) {
                    zl_buf_printf(err, "unknown option '%s' (see 'zanlint --help')", a);
                    goto done;
                }
                val = a + 2;
            }
        }
        if (o->arg && !val) {
            if (i + 1 >= argc) {
                zl_buf_printf(err, "option '--%s' needs a value %s (see 'zanlint --help')",
                              o->name, o->arg);
                goto done;
            }
            val = argv[++i];
        }
        if (apply(cli, o, val, err) < 0)
            goto done;
    }

    size_t first = 0;
    cli->command = ZL_CMD_LINT;
    if (n_pos > 0) {
        for (size_t c = 0; c < N_COMMANDS; c++) {
            if (commands[c].word && strcmp(pos[0], commands[c].word) == 0) {
                cli->command = commands[c].cmd;
                first = 1;
                break;
            }
        }
    }
    for (size_t k = first; k < n_pos; k++)
        cli->args[cli->n_args++] = pos[k];
    if (!cli->as_of)
        cli->as_of = today();
    rc = check_format(cli, err);
    if (rc == 0)
        rc = check_outputs(cli, err);
    if (rc == 0)
        rc = check_baseline(cli, err);
done:
    free(pos);
    return rc;
}

void zl_cli_free(zl_cli *cli)
{
    free(cli->rules);
    free(cli->toggles);
    free(cli->outputs);
    free((void *)cli->includes);
    free((void *)cli->files_from);
    free((void *)cli->excludes);
    free((void *)cli->args);
    memset(cli, 0, sizeof *cli);
}

/* ---- help -------------------------------------------------------------------- */

/* The help text of an option with "{formats}" expanded. */
static void option_help(zl_buf *b, const zl_opt *o)
{
    const char *p = o->help, *ph = strstr(p, "{formats}");
    if (!ph) {
        zl_buf_puts(b, p);
        return;
    }
    zl_buf_put(b, p, (size_t)(ph - p));
    const zl_reporter *const *r = zl_reporters();
    for (size_t i = 0; r[i]; i++) {
        if (i)
            zl_buf_puts(b, r[i + 1] ? ", " : " or ");
        zl_buf_puts(b, r[i]->name);
    }
    zl_buf_puts(b, ph + strlen("{formats}"));
}

#define HELP_COL 26
#define HELP_WIDTH 79

/* Appends `text` word-wrapped; the cursor is at column `col`, where the text
 * starts; continuation lines are indented to `indent`. */
static void wrap(zl_buf *out, const char *text, size_t col, size_t indent)
{
    const char *p = text;
    int first = 1;
    while (*p) {
        while (*p == ' ')
            p++;
        size_t w = strcspn(p, " ");
        if (!w)
            break;
        if (!first && col + 1 + w > HELP_WIDTH) {
            zl_buf_putc(out, '\n');
            for (col = 0; col < indent; col++)
                zl_buf_putc(out, ' ');
        } else if (!first) {
            zl_buf_putc(out, ' ');
            col++;
        }
        zl_buf_put(out, p, w);
        col += w;
        p += w;
        first = 0;
    }
    zl_buf_putc(out, '\n');
}

void zl_cli_help(zl_buf *out)
{
    zl_buf_puts(out, "Usage:");
    for (size_t c = 0; c < N_COMMANDS; c++)
        zl_buf_printf(out, "%s zanlint %s\n", c ? "      " : "", commands[c].usage);
    zl_buf_puts(out,
                "\nLint privacy policies in Russian and Kazakh against Kazakhstan's Law 94-V\n"
                "\"On personal data and their protection\".\n\nCommands:\n");
    for (size_t c = 0; c < N_COMMANDS; c++) {
        const char *w = commands[c].word ? commands[c].word : "(none)";
        zl_buf_printf(out, "  %-10s", w);
        wrap(out, commands[c].help, 12, 12);
    }
    zl_buf_puts(out, "\nOptions:\n");
    zl_buf tmp = ZL_BUF_INIT;
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const zl_opt *o = &options[i];
        if (o->flags & OF_HIDDEN)
            continue;
        zl_buf_reset(&tmp);
        if (o->short_name)
            zl_buf_printf(&tmp, "  -%c, --%s", o->short_name, o->name);
        else
            zl_buf_printf(&tmp, "      --%s", o->name);
        if (o->arg)
            zl_buf_printf(&tmp, " %s", o->arg);
        zl_buf_puts(out, tmp.data);
        size_t col = tmp.len;
        if (col + 2 > HELP_COL) {
            zl_buf_putc(out, '\n');
            col = 0;
        }
        for (; col < HELP_COL; col++)
            zl_buf_putc(out, ' ');
        zl_buf_reset(&tmp);
        option_help(&tmp, o);
        wrap(out, tmp.data, HELP_COL, HELP_COL);
    }
    zl_buf_free(&tmp);
    zl_buf_puts(out,
                "\nFindings go to standard output (or --output), diagnostics to standard error.\n"
                "Exit status: 0 no finding at or above --fail-on; 1 such findings; 2 a usage,\n"
                "configuration or rule error, or an input that could not be read.\n"
                "See zanlint(1), docs/cli.md and docs/rule-language.md.\n");
}

/* roff-escapes running text: backslashes, dashes, and a leading dot or quote. */
static void roff(zl_buf *out, const char *s)
{
    if (*s == '.' || *s == '\'')
        zl_buf_puts(out, "\\&");
    for (; *s; s++) {
        if (*s == '\\')
            zl_buf_puts(out, "\\e");
        else if (*s == '-')
            zl_buf_puts(out, "\\-");
        else
            zl_buf_putc(out, *s);
    }
}

void zl_cli_help_man(zl_buf *out)
{
    zl_buf_puts(out, ".SH OPTIONS\n");
    zl_buf tmp = ZL_BUF_INIT;
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const zl_opt *o = &options[i];
        if (o->flags & OF_HIDDEN)
            continue;
        zl_buf_puts(out, ".TP\n");
        if (o->short_name)
            zl_buf_printf(out, "\\fB\\-%c\\fR, ", o->short_name);
        zl_buf_puts(out, "\\fB\\-\\-");
        roff(out, o->name);
        zl_buf_puts(out, "\\fR");
        if (o->arg) {
            zl_buf_puts(out, " \\fI");
            roff(out, o->arg);
            zl_buf_puts(out, "\\fR");
        }
        zl_buf_putc(out, '\n');
        zl_buf_reset(&tmp);
        option_help(&tmp, o);
        roff(out, tmp.data);
        zl_buf_puts(out, ".\n");
    }
    zl_buf_free(&tmp);
}
