/*
 * cmd_rules.c - `zanlint rules` (list the loaded, enabled rules as text, JSON
 * or the Markdown catalogue that `make docs` writes to docs/rules.md) and
 * `zanlint explain ID` (article, title, message, suggested wording and
 * examples of one rule, in --lang, falling back to ru).  Lists the pack's
 * enabled rules, then zanlint's own rules about suppression directives
 * (zanlint.*, engine/suppress.h) not turned off by --disable.  Output goes
 * through zl_out.
 */
#include "cli/cli.h"
#include "engine/suppress.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static void jstr(zl_buf *b, const char *s)
{
    if (s)
        zl_buf_json_str(b, s, strlen(s));
    else
        zl_buf_puts(b, "null");
}

static void jdate(zl_buf *b, int32_t ymd)
{
    char d[16];
    if (!ymd) {
        zl_buf_puts(b, "null");
        return;
    }
    zl_cli_format_date(ymd, d, sizeof d);
    zl_buf_printf(b, "\"%s\"", d);
}

static size_t width(const char *s)
{
    return s ? zl_utf8_count(s, strlen(s)) : 0;
}

static void pad(zl_buf *b, const char *s, size_t w)
{
    zl_buf_puts(b, s ? s : "");
    for (size_t n = width(s); n < w; n++)
        zl_buf_putc(b, ' ');
}

/* The rules to list, in order: the pack's active rules (sorted by id), then
 * the meta rules that the --disable/--enable toggles leave on.  Returns a
 * malloc'd array; *n is its length. */
static const zl_rule **listed(const zl_cli *cli, const zl_pack *p, const uint8_t *active,
                              size_t *n)
{
    uint32_t np = zl_pack_rule_count(p);
    const zl_rule **list = zl_xmalloc((np + ZL_META_COUNT) * sizeof *list);
    size_t k = 0;
    for (uint32_t i = 0; i < np; i++)
        if (active[i])
            list[k++] = zl_pack_rule(p, i);
    uint8_t meta[ZL_META_COUNT];
    memset(meta, 1, sizeof meta);
    for (size_t i = 0; i < cli->n_toggles; i++)
        zl_meta_toggle(cli->toggles[i].id, cli->toggles[i].on, meta);
    for (uint32_t i = 0; i < ZL_META_COUNT; i++)
        if (meta[i])
            list[k++] = zl_meta_rule(i);
    *n = k;
    return list;
}

/* ---- rules --format text ---------------------------------------------------- */

static void rules_text(zl_buf *b, const zl_rule *const *rules, size_t n, int lang)
{
    size_t wid = strlen("ID"), wsev = strlen("SEVERITY"), wart = strlen("ARTICLE");
    for (size_t i = 0; i < n; i++) {
        const zl_rule *r = rules[i];
        if (width(r->id) > wid)
            wid = width(r->id);
        if (width(r->article) > wart)
            wart = width(r->article);
    }
    pad(b, "ID", wid + 2);
    pad(b, "SEVERITY", wsev + 2);
    pad(b, "ARTICLE", wart + 2);
    zl_buf_puts(b, "TITLE\n");
    for (size_t i = 0; i < n; i++) {
        const zl_rule *r = rules[i];
        pad(b, r->id, wid + 2);
        pad(b, zl_severity_name(r->severity), wsev + 2);
        pad(b, r->article ? r->article : "-", wart + 2);
        const char *t = zl_cli_text(r->title, lang);
        zl_buf_puts(b, t ? t : "");
        zl_buf_putc(b, '\n');
    }
}

/* ---- rules --format json ---------------------------------------------------- */

static void rules_json(zl_buf *b, const zl_pack *p, const zl_rule *const *rules, size_t n,
                       int lang)
{
    zl_buf_puts(b, "{\n  \"schemaVersion\": 1,\n  \"rulePack\": ");
    jstr(b, zl_pack_name(p));
    zl_buf_puts(b, ",\n  \"rulePackVersion\": ");
    jstr(b, zl_pack_version(p));
    zl_buf_puts(b, ",\n  \"rules\": [");
    int first = 1;
    for (size_t i = 0; i < n; i++) {
        const zl_rule *r = rules[i];
        zl_buf_puts(b, first ? "\n    {\"id\": " : ",\n    {\"id\": ");
        first = 0;
        jstr(b, r->id);
        zl_buf_puts(b, ", \"severity\": ");
        jstr(b, zl_severity_name(r->severity));
        zl_buf_puts(b, ", \"article\": ");
        jstr(b, r->article);
        zl_buf_puts(b, ", \"since\": ");
        jdate(b, r->since);
        zl_buf_puts(b, ", \"until\": ");
        jdate(b, r->until);
        zl_buf_puts(b, ", \"title\": ");
        jstr(b, zl_cli_text(r->title, lang));
        zl_buf_puts(b, ", \"tags\": [");
        for (uint32_t t = 0; t < r->n_tags; t++) {
            zl_buf_puts(b, t ? ", " : "");
            jstr(b, r->tags[t]);
        }
        zl_buf_puts(b, "], \"file\": ");
        jstr(b, r->file);
        zl_buf_printf(b, ", \"line\": %u}", (unsigned)r->line);
    }
    zl_buf_puts(b, first ? "]\n}\n" : "\n  ]\n}\n");
}

/* ---- rules --format markdown (docs/rules.md) ------------------------------- */

/* Markdown-safe inline text: whitespace folded, < & escaped, and | too in a
 * table cell. */
static void md(zl_buf *b, const char *s, int cell)
{
    int space = 0;
    for (; s && *s; s++) {
        if (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r') {
            space = 1;
            continue;
        }
        if (space)
            zl_buf_putc(b, ' ');
        space = 0;
        if (*s == '<')
            zl_buf_puts(b, "&lt;");
        else if (*s == '&')
            zl_buf_puts(b, "&amp;");
        else if (*s == '|' && cell)
            zl_buf_puts(b, "\\|");
        else if (*s == '*' || *s == '_' || *s == '`' || *s == '[' || *s == ']' || *s == '\\') {
            zl_buf_putc(b, '\\');
            zl_buf_putc(b, *s);
        } else
            zl_buf_putc(b, *s);
    }
}

static const char *const lang_codes[ZL_NLANG] = {"ru", "kk", "en"};

static void md_texts(zl_buf *b, const char *heading, const char *const texts[ZL_NLANG])
{
    int any = 0;
    for (int l = 0; l < ZL_NLANG; l++)
        any |= texts[l] != NULL;
    if (!any)
        return;
    zl_buf_printf(b, "\n**%s**\n\n", heading);
    for (int l = 0; l < ZL_NLANG; l++) {
        if (!texts[l])
            continue;
        zl_buf_printf(b, "- %s: ", lang_codes[l]);
        md(b, texts[l], 0);
        zl_buf_putc(b, '\n');
    }
}

static void rules_markdown(zl_buf *b, const zl_pack *p, const zl_rule *const *rules, size_t n)
{
    size_t shown = 0;
    for (size_t i = 0; i < n; i++)
        shown += !zl_is_meta_rule(rules[i]);
    zl_buf_puts(b, "# Rule catalogue\n\n"
                   "<!-- Generated by `zanlint rules --format markdown` (`make docs`) from the "
                   "rule files. Do not edit by hand. -->\n\n");
    zl_buf_printf(b, "Rule pack `%s`, version %s: %u rule%s. Every rule cites the article of "
                     "Law of the Republic of Kazakhstan No. 94-V \"On personal data and their "
                     "protection\" it enforces; `zanlint explain ID` shows the same in the "
                     "terminal.\n\n",
                  zl_pack_name(p), zl_pack_version(p), (unsigned)shown, shown == 1 ? "" : "s");
    if (shown < n)
        zl_buf_puts(b, "The `zanlint.*` rules at the end are zanlint's own: they report problems "
                       "with suppression directives (docs/suppressions.md).\n\n");
    if (n) {
        zl_buf_puts(b, "| Rule | Severity | Article | Title |\n|---|---|---|---|\n");
        for (size_t i = 0; i < n; i++) {
            const zl_rule *r = rules[i];
            zl_buf_printf(b, "| [%s](#%s) | %s | ", r->id, r->id, zl_severity_name(r->severity));
            md(b, r->article ? r->article : "", 1);
            zl_buf_puts(b, " | ");
            md(b, zl_cli_text(r->title, ZL_MSG_RU), 1);
            zl_buf_puts(b, " |\n");
        }
    }
    for (size_t i = 0; i < n; i++) {
        const zl_rule *r = rules[i];
        zl_buf_printf(b, "\n<a id=\"%s\"></a>\n\n## %s\n\n", r->id, r->id);
        zl_buf_printf(b, "- Severity: %s\n", zl_severity_name(r->severity));
        if (r->article) {
            zl_buf_puts(b, "- Article: ");
            md(b, r->article, 0);
            zl_buf_puts(b, " (Law 94-V)\n");
        }
        char d[16];
        if (r->since) {
            zl_cli_format_date(r->since, d, sizeof d);
            zl_buf_printf(b, "- Since: %s\n", d);
        }
        if (r->until) {
            zl_cli_format_date(r->until, d, sizeof d);
            zl_buf_printf(b, "- Until: %s\n", d);
        }
        if (r->n_tags) {
            zl_buf_puts(b, "- Tags:");
            for (uint32_t t = 0; t < r->n_tags; t++)
                zl_buf_printf(b, "%s %s", t ? "," : "", r->tags[t]);
            zl_buf_putc(b, '\n');
        }
        if (r->file && r->file[0] != '<')
            zl_buf_printf(b, "- Source: `rules/%s`, line %u\n", r->file, (unsigned)r->line);
        md_texts(b, "Title", r->title);
        md_texts(b, "Message", r->message);
        md_texts(b, "Suggested wording", r->suggest);
        if (r->n_examples) {
            zl_buf_puts(b, "\n**Examples**\n\n");
            for (int pass = 1; pass >= 0; pass--)
                for (uint32_t e = 0; e < r->n_examples; e++) {
                    const zl_example *ex = &r->examples[e];
                    if (ex->pass != pass)
                        continue;
                    zl_buf_puts(b, pass ? "- pass: " : "- fail: ");
                    md(b, ex->text, 0);
                    zl_buf_putc(b, '\n');
                }
        }
    }
}

int zl_cmd_rules(const zl_cli *cli)
{
    if (cli->n_args) {
        zl_cli_error("rules takes no arguments (see 'zanlint --help')");
        return ZL_EXIT_ERROR;
    }
    zl_pack *pack;
    uint8_t *active;
    int status = zl_cli_load_pack(cli, cli->rules, cli->n_rules, 0, &pack, &active);
    if (status != ZL_EXIT_OK)
        return status;
    zl_out out;
    zl_out_init(&out, cli->output);
    const char *f = cli->format ? cli->format : "text";
    size_t n;
    const zl_rule **rules = listed(cli, pack, active, &n);
    if (strcmp(f, "json") == 0)
        rules_json(&out.buf, pack, rules, n, cli->lang);
    else if (strcmp(f, "markdown") == 0)
        rules_markdown(&out.buf, pack, rules, n);
    else
        rules_text(&out.buf, rules, n, cli->lang);
    free(rules);
    if (zl_out_finish(&out) < 0)
        status = ZL_EXIT_ERROR;
    free(active);
    zl_pack_free(pack);
    return status;
}

/* ---- explain ---------------------------------------------------------------- */

enum { L_SEVERITY, L_ARTICLE, L_IN_FORCE, L_TAGS, L_SOURCE, L_MESSAGE, L_SUGGEST, L_PASS, L_FAIL,
       L_LAW, L__COUNT };

static const char *const labels[L__COUNT][ZL_NLANG] = {
    {"Уровень", "Деңгейі", "Severity"},
    {"Статья", "Бап", "Article"},
    {"Действует", "Күшінде", "In force"},
    {"Метки", "Белгілер", "Tags"},
    {"Источник", "Дереккөз", "Source"},
    {"Сообщение", "Хабарлама", "Message"},
    {"Рекомендуемая формулировка", "Ұсынылатын тұжырым", "Suggested wording"},
    {"Примеры без нарушения", "Бұзушылықсыз мысалдар", "Examples that pass"},
    {"Примеры с нарушением", "Бұзушылығы бар мысалдар", "Examples that fail"},
    {"Закон РК № 94-V «О персональных данных и их защите»",
     "ҚР «Дербес деректер және оларды қорғау туралы» № 94-V Заңы",
     "Law of the Republic of Kazakhstan No. 94-V \"On personal data and their protection\""},
};

/* Text indented by two spaces, line breaks kept. */
static void indented(zl_buf *b, const char *s)
{
    zl_buf_puts(b, "  ");
    for (; *s; s++) {
        zl_buf_putc(b, *s);
        if (*s == '\n' && s[1])
            zl_buf_puts(b, "  ");
    }
    zl_buf_putc(b, '\n');
}

static void explain(zl_buf *b, const zl_rule *r, int lang)
{
    const char *title = zl_cli_text(r->title, lang);
    zl_buf_printf(b, "%s%s%s\n\n", r->id, title ? ": " : "", title ? title : "");
    zl_buf_printf(b, "%s: %s\n", labels[L_SEVERITY][lang], zl_severity_name(r->severity));
    if (r->article)
        zl_buf_printf(b, "%s: %s, %s\n", labels[L_ARTICLE][lang], r->article, labels[L_LAW][lang]);
    if (r->since || r->until) {
        char s[16] = "…", u[16] = "…";
        if (r->since)
            zl_cli_format_date(r->since, s, sizeof s);
        if (r->until)
            zl_cli_format_date(r->until, u, sizeof u);
        zl_buf_printf(b, "%s: %s – %s\n", labels[L_IN_FORCE][lang], s, u);
    }
    if (r->n_tags) {
        zl_buf_printf(b, "%s:", labels[L_TAGS][lang]);
        for (uint32_t t = 0; t < r->n_tags; t++)
            zl_buf_printf(b, "%s %s", t ? "," : "", r->tags[t]);
        zl_buf_putc(b, '\n');
    }
    if (r->file && r->file[0] != '<')
        zl_buf_printf(b, "%s: %s:%u\n", labels[L_SOURCE][lang], r->file, (unsigned)r->line);
    const char *msg = zl_cli_text(r->message, lang);
    if (msg) {
        zl_buf_printf(b, "\n%s:\n", labels[L_MESSAGE][lang]);
        indented(b, msg);
    }
    const char *sug = zl_cli_text(r->suggest, lang);
    if (sug) {
        zl_buf_printf(b, "\n%s:\n", labels[L_SUGGEST][lang]);
        indented(b, sug);
    }
    for (int pass = 1; pass >= 0; pass--) {
        int header = 0;
        for (uint32_t e = 0; e < r->n_examples; e++) {
            const zl_example *ex = &r->examples[e];
            if (ex->pass != pass)
                continue;
            if (!header)
                zl_buf_printf(b, "\n%s:\n", labels[pass ? L_PASS : L_FAIL][lang]);
            header = 1;
            indented(b, ex->text);
        }
    }
}

int zl_cmd_explain(const zl_cli *cli)
{
    if (cli->n_args != 1) {
        zl_cli_error("explain takes exactly one RULE-ID (see 'zanlint --help')");
        return ZL_EXIT_ERROR;
    }
    zl_pack *pack;
    uint8_t *active;
    int status = zl_cli_load_pack(cli, cli->rules, cli->n_rules, 0, &pack, &active);
    if (status != ZL_EXIT_OK)
        return status;
    const zl_rule *r = zl_pack_find(pack, cli->args[0]);
    for (uint32_t i = 0; !r && i < ZL_META_COUNT; i++)
        if (strcmp(zl_meta_rule(i)->id, cli->args[0]) == 0)
            r = zl_meta_rule(i);
    if (!r) {
        zl_cli_error("unknown rule '%s' (see 'zanlint rules')", cli->args[0]);
        status = ZL_EXIT_ERROR;
    } else {
        zl_out out;
        zl_out_init(&out, cli->output);
        explain(&out.buf, r, cli->lang);
        if (zl_out_finish(&out) < 0)
            status = ZL_EXIT_ERROR;
    }
    free(active);
    zl_pack_free(pack);
    return status;
}
