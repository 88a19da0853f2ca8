/*
 * config.c - the .zanlint file (parse, discovery, rule-id checks, globs)
 * and the lint run's policy built from it and the command line (config.h):
 * per-document rule flags, inline and configured suppressions, the
 * zanlint.* meta findings, --baseline and --write-baseline.  cmd_lint.c
 * calls zl_lintrun_start / _ready / _active / _doc / _finish around its
 * loop; command-line options always beat the file.
 */
#define _XOPEN_SOURCE 700 /* realpath(3) */
#include "cli/config.h"
#include "util/glob.h"
#include "report/report.h"
#include "util/xalloc.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- parsing ------------------------------------------------------------- */

typedef struct cp {
    zl_config *cfg;
    const char *path;
    zl_diags *d;
    uint32_t line;
    uint32_t seen_line[8]; /* first line of each single-valued key */
} cp;

static void cerr(cp *c, const char *fmt, const char *a, const char *b)
{
    zl_buf m = ZL_BUF_INIT;
    zl_buf_printf(&m, fmt, a, b);
    zl_diags_add(c->d, ZL_D_CONFIG, c->path, c->line, 0, m.data);
    zl_buf_free(&m);
}

static int blank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r';
}

static char *trimdup(const char *s, size_t n)
{
    while (n && blank(*s)) {
        s++;
        n--;
    }
    while (n && blank(s[n - 1]))
        n--;
    return zl_xstrndup(s, n);
}

static char *resolve(const char *dir, const char *rel)
{
    if (rel[0] == '/' || !dir)
        return zl_xstrdup(rel);
    zl_buf b = ZL_BUF_INIT;
    zl_buf_printf(&b, "%s/%s", dir, rel);
    return zl_buf_detach(&b, NULL);
}

/* Splits a comma-separated list; calls `each` for every non-empty item.
 * Returns -1 (after an error) on an empty item. */
static int split_list(cp *c, const char *key, const char *v,
                      void (*each)(cp *, const char *, void *), void *arg)
{
    const char *p = v;
    while (1) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        char *item = trimdup(p, n);
        if (!*item) {
            cerr(c, "empty item in the value of '%s'%s", key, "");
            free(item);
            return -1;
        }
        each(c, item, arg);
        free(item);
        if (!comma)
            return 0;
        p = comma + 1;
    }
}

static int valid_id(const char *s)
{
    size_t n = strlen(s);
    if (n >= 2 && s[n - 2] == '.' && s[n - 1] == '*')
        n -= 2;
    if (!n || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')) || s[n - 1] == '.')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_", s[i]))
            return 0;
    return 1;
}

typedef struct toggle_arg {
    zl_cfg_toggle **arr;
    size_t *n;
    int on;
} toggle_arg;

static void add_toggle(cp *c, const char *id, void *arg)
{
    toggle_arg *t = arg;
    if (!valid_id(id)) {
        cerr(c, "malformed rule id '%s'%s", id, "");
        return;
    }
    *t->arr = zl_xrealloc(*t->arr, (*t->n + 1) * sizeof **t->arr);
    zl_cfg_toggle *g = &(*t->arr)[(*t->n)++];
    g->id = zl_xstrdup(id);
    g->on = t->on;
    g->line = c->line;
}

static void add_rules_path(cp *c, const char *path, void *arg)
{
    (void)arg;
    zl_config *cfg = c->cfg;
    cfg->rules = zl_xrealloc(cfg->rules, (cfg->n_rules + 1) * sizeof *cfg->rules);
    cfg->rules[cfg->n_rules++] = resolve(cfg->dir, path);
}

static int once(cp *c, int slot, const char *key)
{
    if (c->seen_line[slot]) {
        zl_buf m = ZL_BUF_INIT;
        zl_buf_printf(&m, "duplicate key '%s' (first set at line %u)", key,
                      (unsigned)c->seen_line[slot]);
        zl_diags_add(c->d, ZL_D_CONFIG, c->path, c->line, 0, m.data);
        zl_buf_free(&m);
        return 0;
    }
    c->seen_line[slot] = c->line;
    return 1;
}

static int pick(const char *v, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(v, names[i]) == 0)
            return i;
    return -1;
}

/* A whole decimal number from 1 to 1024 (as -j), else 0. */
static unsigned parse_jobs(const char *v)
{
    unsigned n = 0;
    if (!*v || strspn(v, "0123456789") != strlen(v) || strlen(v) > 4)
        return 0;
    for (; *v; v++)
        n = n * 10 + (unsigned)(*v - '0');
    return n <= 1024 ? n : 0;
}

static const char *const top_keys[] = {"format", "fail-on", "lang", "as-of", "jobs",
                                       "no-default-rules", "rules"};

static void top_key(cp *c, const char *key, const char *v)
{
    static const char *const fail_names[] = {"error", "warning", "info", "never"};
    static const char *const lang_names[] = {"ru", "kk", "en"};
    static const char *const bool_names[] = {"false", "true", "no", "yes", "0", "1"};
    zl_config *cfg = c->cfg;
    int k;
    if (!strcmp(key, "format")) {
        if (!once(c, 0, key))
            return;
        if (!zl_reporter_find(v))
            cerr(c, "unknown format '%s'%s", v, "");
        else
            cfg->format = zl_xstrdup(v);
    } else if (!strcmp(key, "fail-on")) {
        if (!once(c, 1, key))
            return;
        if ((k = pick(v, fail_names, 4)) < 0)
            cerr(c, "invalid value '%s' for 'fail-on' (error, warning, info or never)%s", v, "");
        else
            cfg->fail_on = k == 3 ? ZL_FAIL_NEVER : k;
    } else if (!strcmp(key, "lang")) {
        if (!once(c, 2, key))
            return;
        if ((k = pick(v, lang_names, 3)) < 0)
            cerr(c, "invalid value '%s' for 'lang' (ru, kk or en)%s", v, "");
        else
            cfg->lang = k == 0 ? ZL_MSG_RU : k == 1 ? ZL_MSG_KK : ZL_MSG_EN;
    } else if (!strcmp(key, "as-of")) {
        if (!once(c, 3, key))
            return;
        if (!(cfg->as_of = zl_cli_parse_date(v)))
            cerr(c, "invalid date '%s' for 'as-of' (YYYY-MM-DD)%s", v, "");
    } else if (!strcmp(key, "no-default-rules")) {
        if (!once(c, 4, key))
            return;
        if ((k = pick(v, bool_names, 6)) < 0)
            cerr(c, "invalid value '%s' for 'no-default-rules' (true or false)%s", v, "");
        else
            cfg->no_default_rules = k & 1;
    } else if (!strcmp(key, "jobs")) {
        if (!once(c, 5, key))
            return;
        if (!(cfg->jobs = parse_jobs(v)))
            cerr(c, "invalid value '%s' for 'jobs' (a number from 1 to 1024)%s", v, "");
    } else if (!strcmp(key, "rules")) {
        split_list(c, key, v, add_rules_path, NULL);
    } else if (!strcmp(key, "disable") || !strcmp(key, "enable")) {
        toggle_arg t = {&cfg->toggles, &cfg->n_toggles, key[0] == 'e'};
        split_list(c, key, v, add_toggle, &t);
    } else if (!strcmp(key, "suppress")) {
        cerr(c, "'suppress' belongs in a [path:GLOB] section%s%s", "", "");
    } else {
        cerr(c, "unknown key '%s'%s", key, "");
    }
}

static void section_key(cp *c, zl_cfg_section *s, const char *key, const char *v)
{
    if (!strcmp(key, "disable") || !strcmp(key, "enable")) {
        toggle_arg t = {&s->toggles, &s->n_toggles, key[0] == 'e'};
        split_list(c, key, v, add_toggle, &t);
    } else if (!strcmp(key, "suppress")) {
        zl_directive d;
        if (zl_suppress_parse_spec(v, strlen(v), &d) < 0) {
            cerr(c, "invalid 'suppress' value: %s%s", zl_dir_error_text(d.error), "");
            return;
        }
        if (!d.reason.len) {
            cerr(c, "'suppress' needs a reason: RULE -- reason%s%s", "", "");
            return;
        }
        for (size_t i = 0; i < d.n_rules; i++) {
            s->sups = zl_xrealloc(s->sups, (s->n_sups + 1) * sizeof *s->sups);
            zl_cfg_suppress *u = &s->sups[s->n_sups++];
            memset(u, 0, sizeof *u);
            u->pattern = zl_xstrndup(d.rules[i].p, d.rules[i].len);
            u->reason = zl_xstrndup(d.reason.p, d.reason.len);
            u->until = d.until;
            u->line = c->line;
        }
    } else if (pick(key, top_keys, (int)(sizeof top_keys / sizeof top_keys[0])) >= 0) {
        cerr(c, "'%s' is a top-level key: set it before the first [path:] section%s", key, "");
    } else {
        cerr(c, "unknown key '%s' in a [path:] section (disable, enable or suppress)%s", key,
             "");
    }
}

int zl_config_parse(zl_config *cfg, const char *path, const char *dir, const char *text,
                    size_t len, zl_diags *d)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->path = zl_xstrdup(path);
    cfg->dir = dir ? zl_xstrdup(dir) : NULL;
    cfg->fail_on = -2;
    cfg->lang = -1;
    cfg->no_default_rules = -1;
    cp c;
    memset(&c, 0, sizeof c);
    c.cfg = cfg;
    c.path = path;
    c.d = d;
    size_t errors0 = d->errors;
    zl_cfg_section *sec = NULL;
    size_t i = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len) {
        c.line++;
        const char *nl = memchr(text + i, '\n', len - i);
        size_t n = nl ? (size_t)(nl - (text + i)) : len - i;
        char *line = trimdup(text + i, n);
        i += n + (nl ? 1 : 0);
        if (memchr(text + i - n - (nl ? 1 : 0), '\0', n)) {
            cerr(&c, "NUL byte in the file%s%s", "", "");
        } else if (!*line || line[0] == '#' || line[0] == ';') {
            /* blank or comment */
        } else if (line[0] == '[') {
            size_t l = strlen(line);
            if (line[l - 1] != ']') {
                cerr(&c, "malformed section header '%s' (expected [path:GLOB])%s", line, "");
                sec = NULL;
            } else if (strncmp(line, "[path:", 6) != 0) {
                cerr(&c, "unknown section '%s' (only [path:GLOB] sections exist)%s", line, "");
                sec = NULL;
            } else {
                char *g = trimdup(line + 6, l - 7);
                if (!*g) {
                    cerr(&c, "empty glob in '%s'%s", line, "");
                    free(g);
                    sec = NULL;
                } else {
                    cfg->sections = zl_xrealloc(cfg->sections,
                                                (cfg->n_sections + 1) * sizeof *cfg->sections);
                    sec = &cfg->sections[cfg->n_sections++];
                    memset(sec, 0, sizeof *sec);
                    sec->glob = g;
                    sec->line = c.line;
                }
            }
        } else {
            char *eq = strchr(line, '=');
            if (!eq) {
                cerr(&c, "expected 'key = value', found '%s'%s", line, "");
            } else {
                char *key = trimdup(line, (size_t)(eq - line));
                char *val = trimdup(eq + 1, strlen(eq + 1));
                if (!*key)
                    cerr(&c, "missing key before '='%s%s", "", "");
                else if (!*val)
                    cerr(&c, "missing value for '%s'%s", key, "");
                else if (cfg->n_sections && !sec)
                    ; /* inside a broken section header: already reported */
                else if (sec)
                    section_key(&c, sec, key, val);
                else
                    top_key(&c, key, val);
                free(key);
                free(val);
            }
        }
        free(line);
    }
    return d->errors > errors0 ? ZL_ERR : ZL_OK;
}

int zl_config_load(zl_config *cfg, const char *file, const char *shown, zl_diags *d)
{
    zl_buf data;
    zl_buf_init(&data, 16u << 20);
    int r = zl_buf_read_file(&data, file);
    if (r != ZL_BUF_READ_OK) {
        memset(cfg, 0, sizeof *cfg);
        if (r == ZL_BUF_READ_OPEN)
            zl_diags_add(d, ZL_D_IO_OPEN, shown, 0, 0, strerror(errno));
        else
            zl_diags_add(d, ZL_D_IO_READ, shown, 0, 0,
                         r == ZL_BUF_READ_TOO_LARGE ? "file too large" : strerror(errno));
        zl_buf_free(&data);
        return ZL_ERR;
    }
    /* the directory of the file, absolute */
    char *abs = realpath(file, NULL);
    char *dir = NULL;
    if (abs) {
        char *slash = strrchr(abs, '/');
        dir = slash == abs ? zl_xstrdup("/") : zl_xstrndup(abs, (size_t)(slash - abs));
        free(abs);
    }
    int rc = zl_config_parse(cfg, shown, dir, data.data ? data.data : "", data.len, d);
    free(dir);
    zl_buf_free(&data);
    return rc;
}

int zl_config_find(char **file, char **shown)
{
    *file = *shown = NULL;
    char *cwd = getcwd(NULL, 0);
    if (!cwd)
        return 0;
    zl_buf up = ZL_BUF_INIT;
    size_t len = strlen(cwd);
    int found = 0;
    while (1) {
        zl_buf cand = ZL_BUF_INIT;
        zl_buf_printf(&cand, "%.*s/.zanlint", (int)len, len == 1 && cwd[0] == '/' ? "" : cwd);
        struct stat st;
        if (stat(cand.data, &st) == 0 && S_ISREG(st.st_mode)) {
            *file = zl_buf_detach(&cand, NULL);
            zl_buf_puts(&up, ".zanlint");
            *shown = zl_buf_detach(&up, NULL);
            found = 1;
            break;
        }
        zl_buf_free(&cand);
        if (len <= 1)
            break;
        while (len > 1 && cwd[len - 1] != '/')
            len--;
        if (len > 1)
            len--; /* drop the slash unless it is the root */
        zl_buf_puts(&up, "../");
    }
    zl_buf_free(&up);
    free(cwd);
    return found;
}

static int known(const zl_pack *pack, const char *pattern)
{
    if (zl_meta_toggle(pattern, 0, NULL))
        return 1;
    uint32_t n = zl_pack_rule_count(pack);
    for (uint32_t i = 0; i < n; i++)
        if (zl_rule_pattern_match(pattern, zl_pack_rule(pack, i)->id))
            return 1;
    return 0;
}

static void unknown(const zl_config *cfg, uint32_t line, const char *id, zl_diags *d)
{
    zl_buf m = ZL_BUF_INIT;
    zl_buf_printf(&m, "unknown rule '%s' (see 'zanlint rules')", id);
    zl_diags_add(d, ZL_D_CONFIG, cfg->path, line, 0, m.data);
    zl_buf_free(&m);
}

int zl_config_check_rules(const zl_config *cfg, const zl_pack *pack, zl_diags *d)
{
    size_t e0 = d->errors;
    for (size_t i = 0; i < cfg->n_toggles; i++)
        if (!known(pack, cfg->toggles[i].id))
            unknown(cfg, cfg->toggles[i].line, cfg->toggles[i].id, d);
    for (size_t s = 0; s < cfg->n_sections; s++) {
        const zl_cfg_section *sec = &cfg->sections[s];
        for (size_t i = 0; i < sec->n_toggles; i++)
            if (!known(pack, sec->toggles[i].id))
                unknown(cfg, sec->toggles[i].line, sec->toggles[i].id, d);
        for (size_t i = 0; i < sec->n_sups; i++)
            if (!known(pack, sec->sups[i].pattern))
                unknown(cfg, sec->sups[i].line, sec->sups[i].pattern, d);
    }
    return d->errors > e0 ? ZL_ERR : ZL_OK;
}

void zl_config_free(zl_config *cfg)
{
    if (!cfg)
        return;
    free(cfg->path);
    free(cfg->dir);
    free(cfg->format);
    for (size_t i = 0; i < cfg->n_rules; i++)
        free(cfg->rules[i]);
    free(cfg->rules);
    for (size_t i = 0; i < cfg->n_toggles; i++)
        free(cfg->toggles[i].id);
    free(cfg->toggles);
    for (size_t s = 0; s < cfg->n_sections; s++) {
        zl_cfg_section *sec = &cfg->sections[s];
        free(sec->glob);
        for (size_t i = 0; i < sec->n_toggles; i++)
            free(sec->toggles[i].id);
        free(sec->toggles);
        for (size_t i = 0; i < sec->n_sups; i++) {
            free(sec->sups[i].pattern);
            free(sec->sups[i].reason);
        }
        free(sec->sups);
    }
    free(cfg->sections);
    memset(cfg, 0, sizeof *cfg);
}

/* ---- the lint run -------------------------------------------------------- */

int zl_lintrun_start(zl_lintrun *run, const zl_cli *cli)
{
    memset(run, 0, sizeof *run);
    run->cli = cli;
    run->eff = *cli;
    memset(run->meta_active, 1, sizeof run->meta_active);
    zl_diags d = {0};
    if (!cli->no_config) {
        char *file = NULL, *shown = NULL;
        if (cli->config) {
            file = zl_xstrdup(cli->config);
            shown = zl_xstrdup(cli->config);
        } else {
            zl_config_find(&file, &shown);
        }
        if (file) {
            run->have_cfg = 1;
            zl_config_load(&run->cfg, file, shown, &d);
        }
        free(file);
        free(shown);
    }
    if (d.errors) {
        zl_cli_print_diags(cli, &d);
        zl_diags_free(&d);
        return ZL_EXIT_ERROR;
    }
    zl_diags_free(&d);

    /* the command line beats the file */
    zl_cli *e = &run->eff;
    const zl_config *cfg = &run->cfg;
    if (run->have_cfg) {
        if (!(cli->given & ZL_GIVEN_FORMAT) && cfg->format)
            e->format = cfg->format;
        if (cfg->format && cli->n_outputs) {
            /* an --output without a --format of its own takes the file's */
            zl_cli_output *o = zl_xmalloc(cli->n_outputs * sizeof *o);
            for (size_t i = 0; i < cli->n_outputs; i++) {
                o[i] = cli->outputs[i];
                if (!o[i].format)
                    o[i].format = cfg->format;
            }
            e->outputs = o;
        }
        if (!(cli->given & ZL_GIVEN_FAIL_ON) && cfg->fail_on != -2)
            e->fail_on = cfg->fail_on;
        if (!(cli->given & ZL_GIVEN_LANG) && cfg->lang >= 0)
            e->lang = cfg->lang;
        if (!(cli->given & ZL_GIVEN_AS_OF) && cfg->as_of)
            e->as_of = cfg->as_of;
        if (cfg->no_default_rules == 1)
            e->no_default_rules = 1;
        if (!cli->jobs && cfg->jobs)
            e->jobs = cfg->jobs;
    }
    /* rule paths: the file's, then the command line's */
    run->rules = zl_xmalloc((cfg->n_rules + cli->n_rules + 1) * sizeof *run->rules);
    size_t nr = 0;
    for (size_t i = 0; i < cfg->n_rules; i++)
        run->rules[nr++] = cfg->rules[i];
    for (size_t i = 0; i < cli->n_rules; i++)
        run->rules[nr++] = cli->rules[i];
    e->rules = run->rules;
    e->n_rules = nr;
    /* zanlint.* toggles are the meta rules', the others go to pack.c */
    e->toggles = zl_xmalloc((cli->n_toggles + 1) * sizeof *e->toggles);
    run->meta_toggles = zl_xmalloc((cli->n_toggles + 1) * sizeof *run->meta_toggles);
    e->n_toggles = 0;
    for (size_t i = 0; i < cli->n_toggles; i++) {
        if (zl_meta_toggle(cli->toggles[i].id, 0, NULL))
            run->meta_toggles[run->n_meta_toggles++] = cli->toggles[i];
        else
            e->toggles[e->n_toggles++] = cli->toggles[i];
    }
    return ZL_EXIT_OK;
}

int zl_lintrun_ready(zl_lintrun *run, const zl_pack *pack)
{
    run->pack = pack;
    uint32_t n = zl_pack_rule_count(pack);
    run->active = zl_xmalloc(n ? n : 1);
    zl_diags d = {0};
    if (run->have_cfg)
        zl_config_check_rules(&run->cfg, pack, &d);
    if (!d.errors && run->cli->baseline) {
        run->have_baseline = 1;
        zl_baseline_load(&run->baseline, run->cli->baseline, &d);
    }
    zl_cli_print_diags(run->cli, &d);
    int rc = d.errors ? ZL_EXIT_ERROR : ZL_EXIT_OK;
    zl_diags_free(&d);
    return rc;
}

static void apply_toggle(const zl_lintrun *run, const char *id, int on, uint8_t *meta)
{
    uint32_t n = zl_pack_rule_count(run->pack);
    for (uint32_t i = 0; i < n; i++)
        if (zl_rule_pattern_match(id, zl_pack_rule(run->pack, i)->id))
            run->active[i] = (uint8_t)on;
    zl_meta_toggle(id, on, meta);
}

/* The absolute path of an input: its directory resolved, its last
 * component as given, so that a symbolic link to a file is matched where
 * it is, not where it points.  NULL when the directory does not resolve. */
static char *absolute_path(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
        return realpath(path, NULL);
    char *dir = slash ? zl_xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : NULL;
    char *absdir = realpath(dir ? dir : ".", NULL);
    free(dir);
    if (!absdir)
        return NULL;
    zl_buf b = ZL_BUF_INIT;
    zl_buf_printf(&b, "%s/%s", strcmp(absdir, "/") == 0 ? "" : absdir, base);
    free(absdir);
    return zl_buf_detach(&b, NULL);
}

/* The input's path relative to the configuration's directory, or NULL
 * when it is not below it (or is standard input). */
static char *relative_path(const zl_lintrun *run, const char *path)
{
    if (!run->cfg.dir || strcmp(path, "-") == 0)
        return NULL;
    char *abs = absolute_path(path);
    if (!abs)
        return NULL;
    const char *dir = run->cfg.dir;
    size_t dl = strlen(dir);
    char *rel = NULL;
    if (dl == 1 && dir[0] == '/')
        rel = zl_xstrdup(abs + 1);
    else if (strncmp(abs, dir, dl) == 0 && abs[dl] == '/')
        rel = zl_xstrdup(abs + dl + 1);
    free(abs);
    return rel;
}

const uint8_t *zl_lintrun_active(zl_lintrun *run, const char *path)
{
    uint32_t n = zl_pack_rule_count(run->pack);
    memset(run->active, 1, n ? n : 1);
    memset(run->meta_active, 1, sizeof run->meta_active);
    const zl_config *cfg = &run->cfg;
    for (size_t i = 0; i < cfg->n_toggles; i++)
        apply_toggle(run, cfg->toggles[i].id, cfg->toggles[i].on, run->meta_active);
    char *rel = cfg->n_sections ? relative_path(run, path) : NULL;
    for (size_t s = 0; rel && s < cfg->n_sections; s++) {
        const zl_cfg_section *sec = &cfg->sections[s];
        if (!zl_wildmatch(sec->glob, rel))
            continue;
        for (size_t i = 0; i < sec->n_toggles; i++)
            apply_toggle(run, sec->toggles[i].id, sec->toggles[i].on, run->meta_active);
    }
    free(rel);
    for (size_t i = 0; i < run->eff.n_toggles; i++)
        apply_toggle(run, run->eff.toggles[i].id, run->eff.toggles[i].on, run->meta_active);
    for (size_t i = 0; i < run->n_meta_toggles; i++)
        zl_meta_toggle(run->meta_toggles[i].id, run->meta_toggles[i].on, run->meta_active);
    return run->active;
}

void zl_lintrun_doc(zl_lintrun *run, const zl_doc *doc, const char *path, zl_findings *fs)
{
    zl_suppressions s;
    zl_suppress_init(&s);
    memcpy(s.meta_active, run->meta_active, sizeof s.meta_active);
    zl_findings meta = {0};
    zl_suppress_scan(&s, doc, run->pack, &meta);
    /* configured suppressions of the [path:] sections matching the input */
    zl_config *cfg = &run->cfg;
    char *rel = cfg->n_sections ? relative_path(run, path) : NULL;
    for (size_t k = 0; rel && k < cfg->n_sections; k++) {
        zl_cfg_section *sec = &cfg->sections[k];
        if (!sec->n_sups || !zl_wildmatch(sec->glob, rel))
            continue;
        for (size_t i = 0; i < sec->n_sups; i++) {
            /* counted where zanlint.unused-suppression is on (the
             * document's flags, set by zl_lintrun_active) */
            sec->sups[i].docs += run->meta_active[ZL_META_UNUSED] != 0;
            zl_suppress_add_external(&s, doc, sec->sups[i].pattern, sec->sups[i].reason,
                                     sec->sups[i].until, (uint32_t)(k << 16 | i));
        }
    }
    free(rel);
    zl_suppress_apply(&s, doc, fs, run->eff.as_of);
    for (size_t k = 0; k < s.count; k++) {
        const zl_sup_entry *e = &s.items[k];
        if (e->external)
            cfg->sections[e->tag >> 16].sups[e->tag & 0xFFFF].used += e->used;
    }
    zl_suppress_report_unused(&s, doc, &meta);
    for (size_t i = 0; i < meta.count; i++) {
        if (fs->count == fs->cap)
            fs->items = zl_xgrow(fs->items, &fs->cap, fs->count + 1, sizeof *fs->items);
        fs->items[fs->count++] = meta.items[i];
    }
    zl_findings_free(&meta);
    zl_suppress_free(&s);
    zl_findings_sort(fs);

    const char *key = strcmp(path, "-") == 0 ? "<stdin>" : path;
    if (run->cli->write_baseline) {
        for (size_t i = 0; i < fs->count; i++) {
            const zl_finding *f = &fs->items[i];
            if (!f->suppressed && !zl_is_meta_rule(f->rule))
                zl_baseline_add(&run->written, key, f->rule->id, f->fingerprint);
        }
    }
    if (run->have_baseline)
        run->n_baselined += zl_baseline_filter(&run->baseline, key, fs);
    if (run->cli->write_baseline) {
        /* the run accepts what it writes: those findings are not reported */
        size_t w = 0;
        for (size_t i = 0; i < fs->count; i++)
            if (fs->items[i].suppressed || zl_is_meta_rule(fs->items[i].rule))
                fs->items[w++] = fs->items[i];
            else
                run->n_baselined++;
        fs->count = w;
    }
    run->n_suppressed += zl_findings_drop_suppressed(fs, run->cli->include_suppressed);
}

/* --prune-baseline: rewrites the --baseline file without the stale entries
 * (those of linted files no longer found, and those of files that no longer
 * exist), atomically; left alone when nothing is stale.  Returns -1 after a
 * write error (in `d`). */
static int prune_baseline(zl_lintrun *run, zl_diags *d)
{
    zl_baseline *b = &run->baseline;
    for (size_t i = 0; i < b->count; i++) {
        zl_baseline_entry *e = &b->items[i];
        if (!e->seen && strcmp(e->path, "<stdin>") != 0 && access(e->path, F_OK) < 0 &&
            errno == ENOENT)
            e->seen = 1; /* a deleted file: none of its findings can come back */
    }
    size_t before = b->count;
    size_t pruned = zl_baseline_prune(b);
    zl_buf out = ZL_BUF_INIT, err = ZL_BUF_INIT;
    zl_baseline_write(b, &out);
    int rc = 0;
    if (pruned && zl_cli_write_atomic(run->cli->baseline, out.data, out.len, &err) < 0) {
        zl_diags_add(d, ZL_D_IO_WRITE, run->cli->baseline, 0, 0, err.data);
        rc = -1;
    } else if (!run->cli->quiet) {
        fflush(stdout);
        fprintf(stderr,
                "zanlint: baseline %s: pruned %zu stale finding%s (%zu of %zu entr%s left)\n",
                run->cli->baseline, pruned, pruned == 1 ? "" : "s", b->count, before,
                before == 1 ? "y" : "ies");
    }
    zl_buf_free(&err);
    zl_buf_free(&out);
    return rc;
}

int zl_lintrun_finish(zl_lintrun *run)
{
    int rc = ZL_EXIT_OK;
    zl_diags d = {0};
    /* configured suppressions that covered nothing in the documents they
     * matched where zanlint.unused-suppression is on */
    for (size_t k = 0; k < run->cfg.n_sections; k++) {
        const zl_cfg_section *sec = &run->cfg.sections[k];
        for (size_t i = 0; i < sec->n_sups; i++) {
            const zl_cfg_suppress *u = &sec->sups[i];
            if (!u->docs || u->used)
                continue;
            zl_buf m = ZL_BUF_INIT;
            zl_buf_printf(&m, "unused suppression: rule '%s' reported nothing in the %zu "
                              "file%s matching [path:%s]", u->pattern, u->docs,
                          u->docs == 1 ? "" : "s", sec->glob);
            zl_diags_add(&d, ZL_D_CONFIG_UNUSED, run->cfg.path, u->line, 0, m.data);
            zl_buf_free(&m);
        }
    }
    if (run->cli->write_baseline) {
        zl_buf b = ZL_BUF_INIT;
        zl_baseline_write(&run->written, &b);
        zl_buf err = ZL_BUF_INIT;
        if (zl_cli_write_atomic(run->cli->write_baseline, b.data, b.len, &err) < 0) {
            zl_diags_add(&d, ZL_D_IO_WRITE, run->cli->write_baseline, 0, 0, err.data);
            rc = ZL_EXIT_ERROR;
        }
        zl_buf_free(&err);
        zl_buf_free(&b);
    }
    if (run->have_baseline && !run->cli->quiet) {
        size_t stale = zl_baseline_stale(&run->baseline);
        fflush(stdout);
        fprintf(stderr, "zanlint: baseline %s: %zu finding%s accepted, %zu stale entr%s\n",
                run->cli->baseline, run->n_baselined, run->n_baselined == 1 ? "" : "s", stale,
                stale == 1 ? "y" : "ies");
    }
    if (run->have_baseline && run->cli->prune_baseline && prune_baseline(run, &d) < 0)
        rc = ZL_EXIT_ERROR;
    zl_cli_print_diags(run->cli, &d);
    zl_diags_free(&d);
    return rc;
}

void zl_lintrun_free(zl_lintrun *run)
{
    zl_config_free(&run->cfg);
    free((void *)run->rules);
    if (run->cli && run->eff.outputs != run->cli->outputs)
        free(run->eff.outputs);
    free(run->eff.toggles);
    free(run->meta_toggles);
    free(run->active);
    zl_baseline_free(&run->baseline);
    zl_baseline_free(&run->written);
    memset(run, 0, sizeof *run);
}
