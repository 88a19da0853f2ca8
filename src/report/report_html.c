/*
 * report_html.c - a self-contained HTML audit report for people (legal
 * teams): one file with inline CSS and JS (report_html_assets.h), no network
 * access (a Content-Security-Policy forbids it), see docs/reports.md.
 *
 *   header   pack name and version, --as-of date, run totals;
 *   matrix   documents x requirements (active rules grouped by the first
 *            article they cite), each cell pass / fail / n/a / suppressed /
 *            unreadable with colour, symbol, hidden text and a tooltip with
 *            the finding messages; counts per row and column; sortable and
 *            filterable by the inline script;
 *   cards    per document: languages found and every finding with article,
 *            message, location, section/clause, the source line with the span
 *            in <mark> and the rule's suggested wording;
 *   failed   inputs that could not be read, with the error.
 *
 * The matrix needs every document before it can be written, so file() keeps
 * a small summary per input (cell outcomes, tooltips) and renders its card
 * into a side buffer; end() writes the whole page.  Every string from a
 * document, path or rule goes through zl_buf_xml_str; the script reads only
 * the DOM.  UI strings come from the label table below in --lang.  Output is
 * deterministic: no time other than the --as-of date, rules in a fixed order.
 */
#include "report/report.h"

#include <stdlib.h>
#include <string.h>

#include "engine/suppress.h"
#include "report/report_html_assets.h"
#include "text/position.h"
#include "util/spill.h"
#include "util/xalloc.h"

/* ---- UI labels: ru, kk, en ---------------------------------------------- */

enum {
    L_TITLE, L_PACK, L_ASOF, L_TOTALS, L_COMPLIANT,
    L_UNREADABLE_N, L_FILTERS, L_SEVERITY, L_ARTICLE, L_LANGUAGE, L_NAME, L_ALL, L_RESET,
    L_SHOWN, L_MATRIX, L_DOCUMENT, L_LANGS_SHORT, L_FAILED_N, L_COL_TOTAL, L_LEGEND, L_PASS,
    L_FAIL, L_NA, L_SUPPRESSED, L_OFF, L_UNREAD, L_BYDOC, L_LANG_VERSIONS, L_STATUS_OK,
    L_STATUS_FINDINGS, L_STATUS_NOTES, L_NO_FINDINGS, L_LINE, L_PARAGRAPH, L_PAGE, L_SECTION, L_CLAUSE,
    L_SUGGEST, L_SEV_ERROR, L_SEV_WARNING, L_SEV_INFO, L_FAILED_INPUTS, L_NONE, L_GENERATED,
    L_SUPPRESSED_BY, L_MATRIX_HELP, L_N
};

static const char *const labels[L_N][ZL_NLANG] = {
    [L_TITLE] = {"Отчёт о соответствии политик конфиденциальности",
                 "Құпиялылық саясаттарының сәйкестігі туралы есеп",
                 "Privacy policy compliance report"},
    [L_PACK] = {"Набор правил", "Ережелер жинағы", "Rule pack"},
    [L_ASOF] = {"По состоянию на", "Жағдай бойынша", "As of"},
    [L_TOTALS] = {"Итоги", "Қорытынды", "Totals"},
    [L_COMPLIANT] = {"без нарушений", "бұзушылықсыз", "compliant"},
    [L_UNREADABLE_N] = {"не прочитано", "оқылмады", "unreadable"},
    [L_FILTERS] = {"Фильтры", "Сүзгілер", "Filters"},
    [L_SEVERITY] = {"Важность", "Маңыздылығы", "Severity"},
    [L_ARTICLE] = {"Статья закона", "Заң бабы", "Article"},
    [L_LANGUAGE] = {"Язык документа", "Құжат тілі", "Document language"},
    [L_NAME] = {"Имя документа", "Құжат атауы", "Document name"},
    [L_ALL] = {"все", "барлығы", "all"},
    [L_RESET] = {"Сбросить", "Тазарту", "Reset"},
    [L_SHOWN] = {"Показано документов:", "Көрсетілген құжаттар:", "Documents shown:"},
    [L_MATRIX] = {"Матрица требований", "Талаптар матрицасы", "Requirements matrix"},
    [L_DOCUMENT] = {"Документ", "Құжат", "Document"},
    [L_LANGS_SHORT] = {"Язык", "Тіл", "Lang."},
    [L_FAILED_N] = {"Нарушено", "Бұзылған", "Failed"},
    [L_COL_TOTAL] = {"Документов с нарушением", "Бұзушылығы бар құжаттар", "Documents failing"},
    [L_LEGEND] = {"Обозначения:", "Белгілер:", "Legend:"},
    [L_PASS] = {"соблюдено", "орындалды", "pass"},
    [L_FAIL] = {"нарушено", "бұзылды", "fail"},
    [L_NA] = {"неприменимо", "қолданылмайды", "not applicable"},
    [L_SUPPRESSED] = {"подавлено", "басылды", "suppressed"},
    [L_OFF] = {"не проверялось", "тексерілмеді", "not checked"},
    [L_UNREAD] = {"документ не прочитан", "құжат оқылмады", "document unreadable"},
    [L_BYDOC] = {"Результаты по документам", "Құжаттар бойынша нәтижелер", "Findings by document"},
    [L_LANG_VERSIONS] = {"Языковые версии", "Тіл нұсқалары", "Language versions"},
    [L_STATUS_OK] = {"без нарушений", "бұзушылықсыз", "compliant"},
    [L_STATUS_FINDINGS] = {"есть нарушения", "бұзушылықтар бар", "has findings"},
    [L_STATUS_NOTES] = {"есть замечания", "тек ақпарат", "info only"},
    [L_NO_FINDINGS] = {"Нарушений не найдено.", "Бұзушылық табылған жоқ.", "No findings."},
    [L_LINE] = {"строка", "жол", "line"},
    [L_PARAGRAPH] = {"абзац", "азат жол", "paragraph"},
    [L_PAGE] = {"страница", "бет", "page"},
    [L_SECTION] = {"Раздел", "Бөлім", "Section"},
    [L_CLAUSE] = {"пункт", "тармақ", "clause"},
    [L_SUGGEST] = {"Рекомендуемая формулировка", "Ұсынылатын тұжырым", "Suggested wording"},
    [L_SEV_ERROR] = {"ошибка", "қате", "error"},
    [L_SEV_WARNING] = {"предупреждение", "ескерту", "warning"},
    [L_SEV_INFO] = {"замечание", "ақпарат", "info"},
    [L_FAILED_INPUTS] = {"Непрочитанные документы", "Оқылмаған құжаттар", "Unreadable inputs"},
    [L_NONE] = {"нет", "жоқ", "none"},
    [L_GENERATED] = {"Сформировано", "Жасаған", "Generated by"},
    [L_SUPPRESSED_BY] = {"подавлено", "басылды", "suppressed"},
    [L_MATRIX_HELP] = {"Щёлкните заголовок столбца, чтобы отсортировать; наведите на ячейку, "
                       "чтобы увидеть сообщения.",
                       "Сұрыптау үшін баған тақырыбын басыңыз; хабарларды көру үшін "
                       "ұяшыққа апарыңыз.",
                       "Click a column header to sort; hover over a cell to see the messages."},
};

/* Counted nouns: "1 документ", "3 документа", "5 документов".  Forms by
 * plural_form(): ru one / few / many; kk keeps the singular after a numeral;
 * en one / other (the few slot repeats other). */
enum { N_DOCS, N_ERRORS, N_WARNINGS, N_INFOS, N_N };

static const char *const nouns[N_N][ZL_NLANG][3] = {
    [N_DOCS] = {{"документ", "документа", "документов"},
                {"құжат", "құжат", "құжат"},
                {"document", "documents", "documents"}},
    [N_ERRORS] = {{"ошибка", "ошибки", "ошибок"}, {"қате", "қате", "қате"},
                  {"error", "errors", "errors"}},
    [N_WARNINGS] = {{"предупреждение", "предупреждения", "предупреждений"},
                    {"ескерту", "ескерту", "ескерту"},
                    {"warning", "warnings", "warnings"}},
    [N_INFOS] = {{"замечание", "замечания", "замечаний"},
                 {"ақпарат", "ақпарат", "ақпарат"},
                 {"info", "infos", "infos"}},
};

/* ---- per-input summary kept until end() ---------------------------------- */


static const char *const cell_class[] = {"off", "na", "pass", "fail", "sup", "unr"};
static const char *const cell_symbol[] = {"\xC2\xB7", "\xE2\x80\x93", "\xE2\x9C\x93",
                                          "\xE2\x9C\x97", "\xE2\x8A\x98", "!"};
static const int cell_label[] = {L_OFF, L_NA, L_PASS, L_FAIL, L_SUPPRESSED, L_UNREAD};

typedef struct html_doc {
    char *path;
    char *error;      /* NULL when the input was read */
    const char *why;  /* the error's title in --lang (diag.h), or NULL */
    char langs[16];   /* "ru kk": language versions found */
    size_t n_sev[3];  /* unsuppressed findings by severity */
    uint8_t *cell;    /* per rule index, then per meta rule (n_rules + m): CELL_* */
    char **tip;       /* the same: messages of a failed/suppressed cell, or NULL */
} html_doc;

typedef struct html_state {
    html_doc *docs;
    size_t n_docs, cap;
    uint32_t n_rules;
    zl_spill cards; /* the per-document cards, rendered as inputs arrive */
} html_state;

static const char *L(const zl_report_ctx *ctx, int id)
{
    int lang = ctx->opts->lang;
    if (lang < 0 || lang >= ZL_NLANG)
        lang = ZL_MSG_RU;
    return labels[id][lang];
}

/* 0 = one (ru 1, 21, 101; en 1), 1 = few (ru 2-4, 22-24), 2 = many/other. */
static int plural_form(int lang, size_t n)
{
    if (lang == ZL_MSG_KK)
        return 0;
    if (lang == ZL_MSG_EN)
        return n == 1 ? 0 : 2;
    if (n % 10 == 1 && n % 100 != 11)
        return 0;
    if (n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14))
        return 1;
    return 2;
}

/* The noun `id` in the form that goes after the number n in --lang. */
static const char *counted(const zl_report_ctx *ctx, int id, size_t n)
{
    int lang = ctx->opts->lang;
    if (lang < 0 || lang >= ZL_NLANG)
        lang = ZL_MSG_RU;
    return nouns[id][lang][plural_form(lang, n)];
}

static void esc(zl_buf *out, const char *s)
{
    if (s)
        zl_buf_xml_str(out, s, strlen(s));
}

static const char *rule_text(const char *const *v, int lang)
{
    if (lang >= 0 && lang < ZL_NLANG && v[lang])
        return v[lang];
    return v[ZL_MSG_RU];
}

static int sev_label(zl_severity s)
{
    return s == ZL_SEV_ERROR ? L_SEV_ERROR : s == ZL_SEV_WARNING ? L_SEV_WARNING : L_SEV_INFO;
}

/* ---- articles: "ст. 8 п. 4 пп. 3; ст. 16" -> keys "ст. 8", "ст. 16" ----- */

#define ART_KEY 48
#define ART_MAX 8

/* Splits an article citation at ';' and keeps each part up to its first
 * " п" (п./пп. = paragraph/subparagraph): the article the part cites.  A
 * citation in another form keeps the whole (trimmed) part.  Returns the
 * number of keys written. */
static size_t art_keys(const char *article, char keys[][ART_KEY], size_t max)
{
    size_t n = 0;
    const char *p = article;
    while (p && *p && n < max) {
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        while (len && *p == ' ')
            p++, len--;
        for (size_t i = 0; i + 3 <= len; i++)
            if (p[i] == ' ' && (unsigned char)p[i + 1] == 0xD0 && (unsigned char)p[i + 2] == 0xBF) {
                len = i;
                break;
            }
        while (len && p[len - 1] == ' ')
            len--;
        if (len >= ART_KEY) /* cut at a code point boundary */
            for (len = ART_KEY - 1; len && ((unsigned char)p[len] & 0xC0) == 0x80; len--)
                ;
        if (len) {
            size_t k;
            for (k = 0; k < n; k++)
                if (strlen(keys[k]) == len && memcmp(keys[k], p, len) == 0)
                    break;
            if (k == n) {
                memcpy(keys[n], p, len);
                keys[n][len] = '\0';
                n++;
            }
        }
        p = end ? end + 1 : NULL;
    }
    return n;
}

/* The article number of a key ("ст. 19-1" -> 19), for ordering. */
static long art_number(const char *key)
{
    while (*key && (*key < '0' || *key > '9'))
        key++;
    long v = 0;
    while (*key >= '0' && *key <= '9' && v < 100000)
        v = v * 10 + (*key++ - '0');
    return *key || v ? v : 1000000;
}

static int art_cmp(const char *a, const char *b)
{
    long x = art_number(a), y = art_number(b);
    if (x != y)
        return x < y ? -1 : 1;
    return strcmp(a, b);
}

/* ---- begin / file --------------------------------------------------------- */

/* Cards beyond this many bytes wait in a temporary file (a 1,000-document
 * report has ~28 MB of them). */
#define CARDS_IN_MEMORY (1024 * 1024)

static void html_begin(zl_buf *out, zl_report_ctx *ctx)
{
    (void)out;
    html_state *st = zl_xcalloc(1, sizeof *st);
    st->n_rules = ctx->opts->pack ? zl_pack_rule_count(ctx->opts->pack) : 0;
    zl_spill_init(&st->cards, CARDS_IN_MEMORY);
    ctx->state = st;
}

/* Tooltip of a failed or suppressed cell: the (distinct) messages. */
#define TIP_MAX 6

static char *cell_tip(const zl_report_ctx *ctx, const zl_report_input *in, const zl_rule *r,
                      uint8_t cell)
{
    zl_buf b = ZL_BUF_INIT;
    zl_buf_printf(&b, "%s \xE2\x80\x94 %s", r->id, L(ctx, cell_label[cell]));
    size_t shown = 0, more = 0;
    const char *prev = NULL;
    for (size_t i = 0; i < in->n_findings; i++) {
        const zl_finding *f = &in->findings[i];
        if (f->rule != r || (cell == ZL_CELL_FAIL && f->suppressed))
            continue;
        const char *m = zl_finding_message(f, ctx->opts->lang);
        if (!m || (prev && strcmp(prev, m) == 0))
            continue;
        if (shown == TIP_MAX) {
            more++;
            continue;
        }
        zl_buf_printf(&b, "\n\xE2\x80\xA2 %s", m);
        if (f->suppressed && f->suppress_reason && *f->suppress_reason)
            zl_buf_printf(&b, " [%s: %s]", L(ctx, L_SUPPRESSED_BY), f->suppress_reason);
        prev = m;
        shown++;
    }
    if (more)
        zl_buf_printf(&b, "\n\xE2\x80\xA6 (+%zu)", more);
    return zl_buf_detach(&b, NULL);
}

static void doc_langs(char *dst, size_t cap, const zl_doc *doc)
{
    int seen[3] = {0, 0, 0};
    size_t n = 0;
    dst[0] = '\0';
    for (uint32_t i = 0; doc && i < doc->n_versions; i++) {
        zl_lang l = doc->versions[i].lang;
        int k = l == ZL_LANG_RU ? 0 : l == ZL_LANG_KK ? 1 : 2;
        if (seen[k])
            continue;
        seen[k] = 1;
        const char *name = zl_lang_name(l);
        size_t len = strlen(name);
        if (n + len + 2 > cap)
            break;
        if (n)
            dst[n++] = ' ';
        memcpy(dst + n, name, len + 1);
        n += len;
    }
}

/* "строка 14:67", "абзац 3:5" (DOCX) or "страница 2, строка 7:1" (PDF). */
static void write_location(zl_buf *out, const zl_report_ctx *ctx, const zl_doc *doc,
                           const zl_finding *f)
{
    const zl_input *in = &doc->in;
    if (in->pos_kind == ZL_POS_PARAGRAPH) {
        zl_buf_printf(out, "%s %u:%u", L(ctx, L_PARAGRAPH), (unsigned)f->line, (unsigned)f->col);
        return;
    }
    if (in->pos_kind == ZL_POS_PAGE && in->page_of_line && f->line >= 1 && f->line <= doc->n_lines) {
        uint32_t page = in->page_of_line[f->line - 1], first = f->line;
        while (first > 1 && in->page_of_line[first - 2] == page)
            first--;
        zl_buf_printf(out, "%s %u, %s %u:%u", L(ctx, L_PAGE), (unsigned)page, L(ctx, L_LINE),
                      (unsigned)(f->line - first + 1), (unsigned)f->col);
        return;
    }
    zl_buf_printf(out, "%s %u:%u", L(ctx, L_LINE), (unsigned)f->line, (unsigned)f->col);
}

/* Moves `i` back (dir < 0) or forward over `n` code points of s[0..len). */
static size_t cp_step(const char *s, size_t len, size_t i, size_t n, int dir)
{
    while (n--) {
        if (dir < 0) {
            if (i == 0)
                break;
            i--;
            while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
                i--;
        } else {
            if (i >= len)
                break;
            i++;
            while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
                i++;
        }
    }
    return i;
}

#define CONTEXT_CP 80 /* code points of context shown around the span */

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* The source lines of a finding with its span in <mark> (a span may run over
 * several lines: a sentence broken across PDF lines), cut to some context on
 * either side with "…" where text was cut; falls back to the stored
 * excerpt. */
static void write_excerpt(zl_buf *out, const zl_doc *doc, const zl_finding *f)
{
    size_t len = 0;
    const char *line = zl_doc_line(doc, f->line, &len);
    const char *src = doc->in.src;
    if (!line || !src || f->src_off > doc->in.src_len || src + f->src_off < line ||
        src + f->src_off > line + len) {
        if (f->excerpt && *f->excerpt) {
            zl_buf_puts(out, "<blockquote class=\"ex\"><mark>");
            esc(out, f->excerpt);
            zl_buf_puts(out, "</mark></blockquote>");
        }
        return;
    }
    size_t s = (size_t)(src + f->src_off - line);
    size_t end = (size_t)f->src_off + f->src_len;
    size_t e = (end > doc->in.src_len ? doc->in.src_len : end) - (size_t)(line - src);
    if (e > len) { /* the span ends on a later line: take the lines up to its end */
        size_t rest = doc->in.src_len - (size_t)(line - src);
        for (len = e; len < rest && line[len] != '\n'; len++)
            ;
    }
    while (len > s && (line[len - 1] == '\n' || line[len - 1] == '\r' || is_blank(line[len - 1])))
        len--;
    if (e > len)
        e = len;
    size_t lead = 0; /* the line's indentation is not text cut off */
    while (lead < s && is_blank(line[lead]))
        lead++;
    size_t a = cp_step(line, len, s, CONTEXT_CP, -1);
    size_t z = cp_step(line, len, e, CONTEXT_CP, 1);
    int cut = a > lead;
    while (a < s && is_blank(line[a]))
        a++;
    if (a == z)
        return;
    zl_buf_puts(out, "<blockquote class=\"ex\">");
    if (cut)
        zl_buf_puts(out, "\xE2\x80\xA6");
    zl_buf_xml_str(out, line + a, s - a);
    zl_buf_puts(out, "<mark>");
    zl_buf_xml_str(out, line + s, e - s);
    zl_buf_puts(out, "</mark>");
    zl_buf_xml_str(out, line + e, z - e);
    if (z < len)
        zl_buf_puts(out, "\xE2\x80\xA6");
    zl_buf_puts(out, "</blockquote>");
}

static void write_arts_attr(zl_buf *out, const char *article)
{
    char keys[ART_MAX][ART_KEY];
    size_t n = art_keys(article, keys, ART_MAX);
    zl_buf_puts(out, " data-arts=\"|");
    for (size_t k = 0; k < n; k++) {
        esc(out, keys[k]);
        zl_buf_putc(out, '|');
    }
    zl_buf_putc(out, '"');
}

static void write_finding(zl_buf *out, const zl_report_ctx *ctx, const zl_doc *doc,
                          const zl_finding *f)
{
    const zl_rule *r = f->rule;
    const char *sev = zl_severity_name(f->severity);
    int lang = ctx->opts->lang;
    zl_buf_printf(out, "<li class=\"f sev-%s%s\" data-sev=\"%s\" data-rule=\"", sev,
                  f->suppressed ? " suppressed" : "", sev);
    esc(out, r->id);
    zl_buf_putc(out, '"');
    write_arts_attr(out, r->article);
    zl_buf_printf(out, "><div class=\"fh\"><span class=\"sev\">%s</span>",
                  L(ctx, sev_label(f->severity)));
    if (r->article) {
        zl_buf_puts(out, "<span class=\"art\">");
        esc(out, r->article);
        zl_buf_puts(out, "</span>");
    }
    zl_buf_puts(out, "<code>");
    esc(out, r->id);
    zl_buf_puts(out, "</code><span class=\"loc\">");
    write_location(out, ctx, doc, f);
    zl_buf_puts(out, "</span>");
    if (doc->n_versions > 1 && (f->lang == ZL_LANG_RU || f->lang == ZL_LANG_KK))
        /* a bilingual document: which version the finding concerns */
        zl_buf_printf(out, "<span class=\"vl\" title=\"%s\">%s</span>", L(ctx, L_LANGS_SHORT),
                      zl_lang_name(f->lang));
    if (f->suppressed) {
        zl_buf_printf(out, "<span class=\"supp\">%s", L(ctx, L_SUPPRESSED_BY));
        if (f->suppress_reason && *f->suppress_reason) {
            zl_buf_puts(out, ": ");
            esc(out, f->suppress_reason);
        }
        zl_buf_puts(out, "</span>");
    }
    zl_buf_puts(out, "</div><p class=\"msg\">");
    esc(out, zl_finding_message(f, lang));
    zl_buf_puts(out, "</p>");
    if (f->section || f->clause) {
        zl_buf_puts(out, "<p class=\"where\">");
        if (f->section) {
            zl_buf_printf(out, "%s: ", L(ctx, L_SECTION));
            esc(out, f->section);
        }
        if (f->clause) {
            zl_buf_printf(out, "%s%s ", f->section ? " \xC2\xB7 " : "", L(ctx, L_CLAUSE));
            esc(out, f->clause);
        }
        zl_buf_puts(out, "</p>");
    }
    write_excerpt(out, doc, f);
    const char *sug = rule_text(r->suggest, lang);
    if (sug && *sug) {
        zl_buf_printf(out, "<p class=\"sug\"><b>%s</b>", L(ctx, L_SUGGEST));
        esc(out, sug);
        zl_buf_puts(out, "</p>");
    }
    zl_buf_puts(out, "</li>\n");
}

static void write_card(zl_buf *out, const zl_report_ctx *ctx, const zl_report_input *in,
                       const html_doc *d)
{
    /* errors or warnings: findings; info only: notes (the matrix shows its
     * fail cells in info columns); none: ok */
    int st = d->n_sev[0] || d->n_sev[1] ? 1 : d->n_sev[2] ? 2 : 0;
    static const char *const st_class[] = {"ok", "findings", "notes"};
    static const int st_label[] = {L_STATUS_OK, L_STATUS_FINDINGS, L_STATUS_NOTES};
    zl_buf_printf(out, "<article class=\"card st-%s\" id=\"doc-%zu\" data-name=\"",
                  st_class[st], ctx->index + 1);
    esc(out, in->path);
    zl_buf_printf(out, "\" data-langs=\"%s\"><h3><span class=\"badge\">%s</span>", d->langs,
                  L(ctx, st_label[st]));
    esc(out, in->path);
    zl_buf_printf(out, "</h3><p class=\"meta\">%s: %s \xC2\xB7 %zu %s \xC2\xB7 %zu %s \xC2\xB7 %zu %s</p>\n",
                  L(ctx, L_LANG_VERSIONS), *d->langs ? d->langs : L(ctx, L_NONE), d->n_sev[0],
                  counted(ctx, N_ERRORS, d->n_sev[0]), d->n_sev[1],
                  counted(ctx, N_WARNINGS, d->n_sev[1]), d->n_sev[2],
                  counted(ctx, N_INFOS, d->n_sev[2]));
    if (!in->n_findings) {
        zl_buf_printf(out, "<p>%s</p>", L(ctx, L_NO_FINDINGS));
    } else {
        zl_buf_puts(out, "<ol class=\"findings\">\n");
        for (size_t i = 0; i < in->n_findings; i++)
            write_finding(out, ctx, in->doc, &in->findings[i]);
        zl_buf_puts(out, "</ol>");
    }
    zl_buf_puts(out, "</article>\n");
}

static void html_file(zl_buf *out, zl_report_ctx *ctx, const zl_report_input *in)
{
    (void)out;
    html_state *st = ctx->state;
    st->docs = zl_xgrow(st->docs, &st->cap, st->n_docs + 1, sizeof *st->docs);
    html_doc *d = &st->docs[st->n_docs++];
    memset(d, 0, sizeof *d);
    d->path = zl_xstrdup(in->path ? in->path : "");
    d->cell = zl_xcalloc(st->n_rules + ZL_META_COUNT, 1);
    d->tip = zl_xcalloc(st->n_rules + ZL_META_COUNT, sizeof *d->tip);
    if (!in->doc || !in->rule_status) {
        d->error = zl_xstrdup(zl_report_read_error(in));
        d->why = in->error ? zl_diag_title(in->error->id, ctx->opts->lang) : NULL;
        memset(d->cell, ZL_CELL_UNREAD, st->n_rules + ZL_META_COUNT);
        return;
    }
    doc_langs(d->langs, sizeof d->langs, in->doc);
    for (size_t i = 0; i < in->n_findings; i++) {
        const zl_finding *f = &in->findings[i];
        if (!f->suppressed)
            d->n_sev[f->severity <= ZL_SEV_INFO ? f->severity : ZL_SEV_INFO]++;
    }
    for (uint32_t r = 0; r < st->n_rules; r++) {
        const zl_rule *rule = zl_pack_rule(ctx->opts->pack, r);
        d->cell[r] = zl_report_cell(in, rule, in->rule_status[r]);
        if (d->cell[r] == ZL_CELL_FAIL || d->cell[r] == ZL_CELL_SUP)
            d->tip[r] = cell_tip(ctx, in, rule, d->cell[r]);
    }
    for (uint32_t m = 0, c = st->n_rules; m < ZL_META_COUNT; m++, c++) {
        d->cell[c] = zl_report_meta_cell(in, ctx->opts, m);
        if (d->cell[c] == ZL_CELL_FAIL || d->cell[c] == ZL_CELL_SUP)
            d->tip[c] = cell_tip(ctx, in, zl_meta_rule(m), d->cell[c]);
    }
    write_card(&st->cards.mem, ctx, in, d);
    zl_spill_check(&st->cards);
}

/* ---- end: the page -------------------------------------------------------- */

typedef struct html_col {
    const zl_rule *rule;
    uint32_t at;       /* its cells: html_doc.cell[at] */
    char key[ART_KEY]; /* the first article cited: the column's group */
} html_col;

static int col_cmp(const void *pa, const void *pb)
{
    const html_col *a = pa, *b = pb;
    int c = art_cmp(a->key, b->key);
    if (c)
        return c;
    return a->at < b->at ? -1 : a->at > b->at;
}

static int key_cmp(const void *pa, const void *pb)
{
    return art_cmp(pa, pb);
}

/* The columns: rules evaluated on at least one read input (with none read,
 * the rules active under the run's options), then the zanlint.* meta rules
 * some document fails, grouped by article (the meta rules have none). */
static html_col *columns(const zl_report_ctx *ctx, const html_state *st, size_t *n)
{
    html_col *cols = zl_xcalloc(st->n_rules + ZL_META_COUNT, sizeof *cols);
    size_t k = 0, read = 0;
    for (size_t i = 0; i < st->n_docs; i++)
        read += !st->docs[i].error;
    for (uint32_t r = 0; r < st->n_rules + ZL_META_COUNT; r++) {
        int meta = r >= st->n_rules;
        const zl_rule *rule = meta ? zl_meta_rule(r - st->n_rules) : zl_pack_rule(ctx->opts->pack, r);
        int used = 0;
        if (meta) {
            for (size_t i = 0; i < st->n_docs && !used; i++)
                used = !st->docs[i].error &&
                       (st->docs[i].cell[r] == ZL_CELL_FAIL || st->docs[i].cell[r] == ZL_CELL_SUP);
        } else if (read) {
            for (size_t i = 0; i < st->n_docs && !used; i++)
                used = !st->docs[i].error && st->docs[i].cell[r] != ZL_CELL_OFF;
        } else {
            used = zl_rule_is_active(rule, ctx->opts->eval);
        }
        if (!used)
            continue;
        char keys[1][ART_KEY];
        cols[k].rule = rule;
        cols[k].at = r;
        if (art_keys(rule->article, keys, 1))
            memcpy(cols[k].key, keys[0], sizeof keys[0]);
        else
            memcpy(cols[k].key, "\xE2\x80\x94", 4); /* no article: "—", sorted last */
        k++;
    }
    qsort(cols, k, sizeof *cols, col_cmp);
    *n = k;
    return cols;
}

static void write_header(zl_buf *out, const zl_report_ctx *ctx)
{
    const zl_report_opts *o = ctx->opts;
    const zl_report_summary *s = &ctx->sum;
    static const char *const html_lang[] = {"ru", "kk", "en"};
    int lang = o->lang >= 0 && o->lang < ZL_NLANG ? o->lang : ZL_MSG_RU;
    zl_buf_printf(out,
                  "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                  "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                  "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
                  "<meta name=\"generator\" content=\"zanlint %s\">\n<title>",
                  html_lang[lang], ZL_VERSION);
    esc(out, L(ctx, L_TITLE));
    zl_buf_puts(out, " \xE2\x80\x94 ");
    esc(out, o->pack_name ? o->pack_name : "zanlint");
    zl_buf_puts(out, "</title>\n<style>\n");
    for (size_t i = 0; zl_html_css[i]; i++) {
        zl_buf_puts(out, zl_html_css[i]);
        zl_buf_putc(out, '\n');
    }
    zl_buf_puts(out, "</style>\n</head>\n<body>\n<header>\n<h1>");
    esc(out, L(ctx, L_TITLE));
    zl_buf_printf(out, "</h1>\n<dl class=\"run\"><div><dt>%s</dt><dd>", L(ctx, L_PACK));
    esc(out, o->pack_name ? o->pack_name : "?");
    zl_buf_putc(out, ' ');
    esc(out, o->pack_version ? o->pack_version : "");
    int32_t d = o->eval ? o->eval->as_of : 0;
    zl_buf_printf(out, "</dd></div><div><dt>%s</dt><dd>", L(ctx, L_ASOF));
    if (d > 0)
        zl_buf_printf(out, "%04d-%02d-%02d", (int)(d / 10000 % 10000), (int)(d / 100 % 100),
                      (int)(d % 100));
    else
        zl_buf_puts(out, "\xE2\x80\x94");
    zl_buf_printf(out,
                  "</dd></div></dl>\n<ul class=\"totals\" aria-label=\"%s\">"
                  "<li class=\"t-docs\"><b>%zu</b>%s</li>"
                  "<li class=\"t-ok\"><b>%zu</b>%s</li>"
                  "<li class=\"t-error\"><b>%zu</b>%s</li>"
                  "<li class=\"t-warning\"><b>%zu</b>%s</li>"
                  "<li class=\"t-info\"><b>%zu</b>%s</li>"
                  "<li class=\"t-failed\"><b>%zu</b>%s</li></ul>\n</header>\n",
                  L(ctx, L_TOTALS), s->files, counted(ctx, N_DOCS, s->files), s->compliant,
                  L(ctx, L_COMPLIANT), s->errors, counted(ctx, N_ERRORS, s->errors), s->warnings,
                  counted(ctx, N_WARNINGS, s->warnings), s->infos, counted(ctx, N_INFOS, s->infos),
                  s->failed, L(ctx, L_UNREADABLE_N));
}

static void write_controls(zl_buf *out, const zl_report_ctx *ctx, const html_col *cols,
                           size_t n_cols)
{
    zl_buf_printf(out,
                  "<form id=\"controls\" class=\"controls\" role=\"search\" aria-label=\"%s\">\n"
                  "<label>%s<select id=\"f-sev\"><option value=\"\">%s</option>",
                  L(ctx, L_FILTERS), L(ctx, L_SEVERITY), L(ctx, L_ALL));
    for (int s = ZL_SEV_ERROR; s <= ZL_SEV_INFO; s++)
        zl_buf_printf(out, "<option value=\"%s\">%s</option>", zl_severity_name((zl_severity)s),
                      L(ctx, sev_label((zl_severity)s)));
    zl_buf_printf(out, "</select></label>\n<label>%s<select id=\"f-art\"><option value=\"\">%s</option>",
                  L(ctx, L_ARTICLE), L(ctx, L_ALL));
    /* every article cited by a column, in article order */
    char (*keys)[ART_KEY] = zl_xcalloc(n_cols * ART_MAX + 1, ART_KEY);
    size_t nk = 0;
    for (size_t c = 0; c < n_cols; c++) {
        char mine[ART_MAX][ART_KEY];
        size_t m = art_keys(cols[c].rule->article, mine, ART_MAX);
        for (size_t j = 0; j < m; j++) {
            size_t k;
            for (k = 0; k < nk && strcmp(keys[k], mine[j]) != 0; k++)
                ;
            if (k == nk)
                memcpy(keys[nk++], mine[j], ART_KEY);
        }
    }
    qsort(keys, nk, ART_KEY, key_cmp);
    for (size_t k = 0; k < nk; k++) {
        zl_buf_puts(out, "<option value=\"");
        esc(out, keys[k]);
        zl_buf_puts(out, "\">");
        esc(out, keys[k]);
        zl_buf_puts(out, "</option>");
    }
    free(keys);
    zl_buf_printf(out,
                  "</select></label>\n<label>%s<select id=\"f-lang\"><option value=\"\">%s</option>"
                  "<option value=\"ru\">ru</option><option value=\"kk\">kk</option></select></label>\n"
                  "<label>%s<input id=\"f-name\" type=\"search\" autocomplete=\"off\"></label>\n"
                  "<button type=\"reset\">%s</button>\n"
                  "<span class=\"shown\">%s <b id=\"shown-n\"></b></span>\n</form>\n",
                  L(ctx, L_LANGUAGE), L(ctx, L_ALL), L(ctx, L_NAME), L(ctx, L_RESET),
                  L(ctx, L_SHOWN));
}

static void write_cell(zl_buf *out, const zl_report_ctx *ctx, uint8_t cell, const char *tip)
{
    zl_buf_printf(out, "<td class=\"c %s\" title=\"", cell_class[cell]);
    if (tip)
        esc(out, tip);
    else
        esc(out, L(ctx, cell_label[cell]));
    zl_buf_printf(out, "\"><span aria-hidden=\"true\">%s</span><span class=\"sr\">%s</span></td>",
                  cell_symbol[cell], L(ctx, cell_label[cell]));
}

static void write_matrix(zl_buf *out, const zl_report_ctx *ctx, const html_state *st,
                         const html_col *cols, size_t n_cols)
{
    int lang = ctx->opts->lang;
    zl_buf_printf(out, "<section id=\"matrix-section\">\n<h2>%s</h2>\n<p class=\"noprint\">%s</p>\n",
                  L(ctx, L_MATRIX), L(ctx, L_MATRIX_HELP));
    zl_buf_printf(out, "<ul class=\"legend\" aria-label=\"%s\"><li>%s</li>", L(ctx, L_LEGEND),
                  L(ctx, L_LEGEND));
    static const uint8_t shown[] = {ZL_CELL_PASS, ZL_CELL_FAIL, ZL_CELL_NA, ZL_CELL_SUP, ZL_CELL_UNREAD, ZL_CELL_OFF};
    for (size_t i = 0; i < sizeof shown; i++)
        zl_buf_printf(out, "<li><span class=\"c %s\">%s</span>%s</li>", cell_class[shown[i]],
                      cell_symbol[shown[i]], L(ctx, cell_label[shown[i]]));
    zl_buf_printf(out,
                  "</ul>\n<div class=\"mwrap\" role=\"region\" aria-label=\"%s\" tabindex=\"0\">\n"
                  "<table id=\"matrix\" class=\"matrix\">\n<thead>\n<tr class=\"arts\">"
                  "<th class=\"doc\" rowspan=\"2\" scope=\"col\" data-key=\"name\"><button type=\"button\">%s</button></th>"
                  "<th class=\"lng\" rowspan=\"2\" scope=\"col\" data-key=\"lang\"><button type=\"button\">%s</button></th>"
                  "<th class=\"cnt\" rowspan=\"2\" scope=\"col\" data-key=\"count\"><button type=\"button\">%s</button></th>",
                  L(ctx, L_MATRIX), L(ctx, L_DOCUMENT), L(ctx, L_LANGS_SHORT), L(ctx, L_FAILED_N));
    for (size_t c = 0; c < n_cols;) {
        size_t e = c;
        while (e < n_cols && strcmp(cols[e].key, cols[c].key) == 0)
            e++;
        zl_buf_printf(out, "<th class=\"grp\" scope=\"colgroup\" colspan=\"%zu\" data-from=\"%zu\" data-n=\"%zu\">",
                      e - c, c, e - c);
        esc(out, cols[c].key);
        zl_buf_puts(out, "</th>");
        c = e;
    }
    zl_buf_puts(out, "</tr>\n<tr class=\"rules\">");
    for (size_t c = 0; c < n_cols; c++) {
        const zl_rule *r = cols[c].rule;
        const char *sev = zl_severity_name(r->severity);
        const char *title = rule_text(r->title, lang);
        zl_buf_printf(out, "<th class=\"rule sev-%s\" scope=\"col\" data-key=\"rule\" data-sev=\"%s\" data-rule=\"",
                      sev, sev);
        esc(out, r->id);
        zl_buf_putc(out, '"');
        write_arts_attr(out, r->article);
        zl_buf_puts(out, " title=\"");
        esc(out, r->id);
        if (title) {
            zl_buf_puts(out, " \xE2\x80\x94 ");
            esc(out, title);
        }
        zl_buf_puts(out, "\n");
        esc(out, r->article);
        zl_buf_printf(out, " \xC2\xB7 %s\"><button type=\"button\"><span class=\"rt\">",
                      L(ctx, sev_label(r->severity)));
        esc(out, title ? title : r->id);
        zl_buf_printf(out, "</span><span class=\"sv\" aria-hidden=\"true\"></span>"
                           "<span class=\"sr\">%s</span></button></th>",
                      L(ctx, sev_label(r->severity)));
    }
    zl_buf_puts(out, "</tr>\n</thead>\n<tbody>\n");
    size_t *col_fails = zl_xcalloc(n_cols + 1, sizeof *col_fails);
    size_t failing = 0; /* documents with a failed cell */
    for (size_t i = 0; i < st->n_docs; i++) {
        const html_doc *d = &st->docs[i];
        size_t fails = 0;
        for (size_t c = 0; c < n_cols; c++)
            if (d->cell[cols[c].at] == ZL_CELL_FAIL) {
                fails++;
                col_fails[c]++;
            }
        failing += fails > 0;
        zl_buf_printf(out, "<tr class=\"%s\" data-name=\"", d->error ? "unread" : "read");
        esc(out, d->path);
        zl_buf_printf(out, "\" data-langs=\"%s\"><th class=\"doc\" scope=\"row\"><a href=\"#%s-%zu\">",
                      d->langs, d->error ? "failed" : "doc", i + 1);
        esc(out, d->path);
        zl_buf_printf(out, "</a></th><td class=\"lng\">%s</td>", d->langs);
        if (d->error)
            zl_buf_puts(out, "<td class=\"cnt\">\xE2\x80\x94</td>");
        else
            zl_buf_printf(out, "<td class=\"cnt\">%zu</td>", fails);
        for (size_t c = 0; c < n_cols; c++) {
            uint32_t r = cols[c].at;
            write_cell(out, ctx, d->cell[r], d->tip[r]);
        }
        zl_buf_puts(out, "</tr>\n");
    }
    zl_buf_printf(out, "</tbody>\n<tfoot><tr><th class=\"doc\" scope=\"row\">%s</th><td></td>"
                       "<td class=\"cnt\">%zu</td>",
                  L(ctx, L_COL_TOTAL), failing);
    for (size_t c = 0; c < n_cols; c++)
        zl_buf_printf(out, "<td class=\"cnt\">%zu</td>", col_fails[c]);
    zl_buf_puts(out, "</tr></tfoot>\n</table>\n</div>\n</section>\n");
    free(col_fails);
}

static void write_failed(zl_buf *out, const zl_report_ctx *ctx, const html_state *st)
{
    if (!ctx->sum.failed)
        return;
    zl_buf_printf(out, "<section id=\"failed\">\n<h2>%s</h2>\n<ul class=\"failed\">\n",
                  L(ctx, L_FAILED_INPUTS));
    for (size_t i = 0; i < st->n_docs; i++) {
        const html_doc *d = &st->docs[i];
        if (!d->error)
            continue;
        zl_buf_printf(out, "<li id=\"failed-%zu\" data-name=\"", i + 1);
        esc(out, d->path);
        zl_buf_puts(out, "\"><code>");
        esc(out, d->path);
        zl_buf_puts(out, "</code>: <span class=\"err\">");
        if (d->why) { /* the reason in --lang, then the tool's own English words */
            esc(out, d->why);
            zl_buf_puts(out, "</span> <span class=\"detail\" lang=\"en\">");
        }
        esc(out, d->error);
        zl_buf_puts(out, "</span></li>\n");
    }
    zl_buf_puts(out, "</ul>\n</section>\n");
}

static void html_end(zl_buf *out, zl_report_ctx *ctx)
{
    html_state *st = ctx->state;
    size_t n_cols = 0;
    html_col *cols = columns(ctx, st, &n_cols);
    write_header(out, ctx);
    zl_buf_puts(out, "<main>\n");
    write_controls(out, ctx, cols, n_cols);
    write_matrix(out, ctx, st, cols, n_cols);
    write_failed(out, ctx, st);
    if (zl_spill_len(&st->cards)) {
        zl_buf_printf(out, "<section id=\"documents\">\n<h2>%s</h2>\n<div class=\"cards\">\n",
                      L(ctx, L_BYDOC));
        if (ctx->flush)
            ctx->flush(out, ctx->flush_arg);
        if (zl_spill_replay(&st->cards, out, ctx->flush, ctx->flush_arg) < 0)
            out->err = ZL_BUF_LOST;
        zl_buf_puts(out, "</div>\n</section>\n");
    }
    zl_buf_printf(out, "</main>\n<footer>%s zanlint %s</footer>\n<script>\n", L(ctx, L_GENERATED),
                  ZL_VERSION);
    for (size_t i = 0; zl_html_js[i]; i++) {
        zl_buf_puts(out, zl_html_js[i]);
        zl_buf_putc(out, '\n');
    }
    zl_buf_puts(out, "</script>\n</body>\n</html>\n");
    if (st->cards.mem.err && !out->err)
        out->err = st->cards.mem.err;
    free(cols);
    for (size_t i = 0; i < st->n_docs; i++) {
        html_doc *d = &st->docs[i];
        for (uint32_t r = 0; r < st->n_rules + ZL_META_COUNT; r++)
            free(d->tip[r]);
        free(d->tip);
        free(d->cell);
        free(d->path);
        free(d->error);
    }
    free(st->docs);
    zl_spill_free(&st->cards);
    free(st);
    ctx->state = NULL;
}

const zl_reporter zl_reporter_html = {
    "html", "a self-contained HTML audit report: requirement matrix and findings (docs/reports.md)",
    html_begin, html_file, html_end,
};
