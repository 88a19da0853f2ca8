/*
 * suppress.c - inline suppression directives and external suppressions
 * (suppress.h): parses <!-- zanlint-... --> comments of a document's source,
 * turns them into entries covering source byte ranges, marks the findings
 * they cover, and emits the zanlint.* meta findings (malformed directive,
 * missing reason, unknown rule, unused suppression).  The CLI calls this
 * after evaluating a document and before the baseline and the reporters.
 */
#include "engine/suppress.h"
#include "util/hash.h"
#include "text/position.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- meta rules ---------------------------------------------------------- */

static const zl_rule meta_rules[ZL_META_COUNT] = {
    [ZL_META_MISSING_REASON] = {
        .id = "zanlint.suppression-missing-reason",
        .severity = ZL_SEV_ERROR,
        .title = {"Подавление без причины", "Себебі жоқ басу", "Suppression without a reason"},
        .message = {"Директива подавления без причины: укажите её после «--».",
                    "Басу директивасында себеп жоқ: оны «--» белгісінен кейін көрсетіңіз.",
                    "Suppression directive without a reason: give one after \"--\"."},
        .file = "<builtin>",
        .index = ZL_META_MISSING_REASON,
    },
    [ZL_META_UNKNOWN_RULE] = {
        .id = "zanlint.suppression-unknown-rule",
        .severity = ZL_SEV_ERROR,
        .title = {"Подавление неизвестного правила", "Белгісіз ережені басу",
                  "Suppression of an unknown rule"},
        .message = {"Директива подавления называет неизвестное правило «%s».",
                    "Басу директивасы белгісіз «%s» ережесін атайды.",
                    "Suppression directive names an unknown rule '%s'."},
        .file = "<builtin>",
        .index = ZL_META_UNKNOWN_RULE,
    },
    [ZL_META_INVALID] = {
        .id = "zanlint.suppression-invalid",
        .severity = ZL_SEV_ERROR,
        .title = {"Некорректная директива подавления", "Жарамсыз басу директивасы",
                  "Malformed suppression directive"},
        .message = {"Некорректная директива zanlint: %s.", "Жарамсыз zanlint директивасы: %s.",
                    "Malformed zanlint directive: %s."},
        .file = "<builtin>",
        .index = ZL_META_INVALID,
    },
    [ZL_META_UNUSED] = {
        .id = "zanlint.unused-suppression",
        .severity = ZL_SEV_WARNING,
        .title = {"Неиспользуемое подавление", "Пайдаланылмаған басу", "Unused suppression"},
        .message = {"Неиспользуемое подавление: правило «%s» здесь ничего не нашло.",
                    "Пайдаланылмаған басу: «%s» ережесі мұнда ештеңе тапқан жоқ.",
                    "Unused suppression: rule '%s' reported nothing here."},
        .file = "<builtin>",
        .index = ZL_META_UNUSED,
    },
};

/* Per-language detail of a malformed directive (the %s of ZL_META_INVALID). */
static const char *const dir_error_texts[][ZL_NLANG] = {
    [ZL_DIRERR_NONE] = {"", "", ""},
    [ZL_DIRERR_UNKNOWN_KIND] = {
        "неизвестная директива (ожидается zanlint-disable, zanlint-enable или "
        "zanlint-disable-next)",
        "белгісіз директива (zanlint-disable, zanlint-enable немесе zanlint-disable-next "
        "күтіледі)",
        "unknown directive (expected zanlint-disable, zanlint-enable or zanlint-disable-next)"},
    [ZL_DIRERR_NO_RULES] = {"не указаны идентификаторы правил",
                            "ереже идентификаторлары көрсетілмеген", "no rule ids given"},
    [ZL_DIRERR_BAD_RULE] = {"неверный идентификатор правила", "ереже идентификаторы қате",
                            "malformed rule id"},
    [ZL_DIRERR_BAD_DATE] = {"неверная дата после until (ожидается ГГГГ-ММ-ДД)",
                            "until сөзінен кейінгі күн қате (ЖЖЖЖ-АА-КК күтіледі)",
                            "invalid date after until (expected YYYY-MM-DD)"},
    [ZL_DIRERR_SYNTAX] = {"лишний текст; причину пишите после «--»",
                          "артық мәтін; себепті «--» белгісінен кейін жазыңыз",
                          "unexpected text; write the reason after \"--\""},
    [ZL_DIRERR_TOO_MANY] = {"слишком много правил в одной директиве",
                            "бір директивада ереже тым көп", "too many rule ids in one directive"},
};

static const char *const enable_unused_texts[ZL_NLANG] = {
    "Неиспользуемое подавление: zanlint-enable не закрывает ни одной директивы zanlint-disable.",
    "Пайдаланылмаған басу: zanlint-enable бірде-бір zanlint-disable директивасын жаппайды.",
    "Unused suppression: zanlint-enable closes no zanlint-disable directive."};

static const char *const expired_texts[ZL_NLANG] = {
    " (подавление истекло %s: %s)", " (басудың мерзімі %s өтті: %s)",
    " (suppression expired on %s: %s)"};

const zl_rule *zl_meta_rule(uint32_t i)
{
    return i < ZL_META_COUNT ? &meta_rules[i] : NULL;
}

int zl_is_meta_rule(const zl_rule *r)
{
    return r >= &meta_rules[0] && r < &meta_rules[ZL_META_COUNT];
}

int zl_rule_pattern_match(const char *pattern, const char *id)
{
    size_t len = strlen(pattern);
    if (len >= 2 && strcmp(pattern + len - 2, ".*") == 0)
        return strncmp(id, pattern, len - 1) == 0;
    return strcmp(id, pattern) == 0;
}

size_t zl_meta_toggle(const char *pattern, int on, uint8_t *meta_active)
{
    size_t hits = 0;
    for (uint32_t i = 0; i < ZL_META_COUNT; i++) {
        if (zl_rule_pattern_match(pattern, meta_rules[i].id)) {
            if (meta_active)
                meta_active[i] = (uint8_t)on;
            hits++;
        }
    }
    return hits;
}

const char *zl_dir_error_text(zl_dir_error e)
{
    if ((unsigned)e >= sizeof dir_error_texts / sizeof dir_error_texts[0])
        return "?";
    return dir_error_texts[e][ZL_MSG_EN];
}

/* ---- directive syntax ---------------------------------------------------- */

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* RULE_ID (a letter, then letters, digits, '.', '-', '_'), optionally
 * ending in ".*"; no empty component before the ".*". */
static int valid_pattern(const char *p, size_t n)
{
    if (n >= 2 && p[n - 2] == '.' && p[n - 1] == '*')
        n -= 2;
    if (n == 0 || !is_alpha(p[0]))
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!is_alpha(p[i]) && !is_digit(p[i]) && p[i] != '.' && p[i] != '-' && p[i] != '_')
            return 0;
    return p[n - 1] != '.';
}

static int days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

/* "YYYY-MM-DD" (exactly n bytes) -> YYYYMMDD, or 0. */
static int32_t parse_date(const char *s, size_t n)
{
    if (n != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    int v[3] = {0, 0, 0};
    static const int at[3] = {0, 5, 8}, width[3] = {4, 2, 2};
    for (int k = 0; k < 3; k++) {
        for (int i = 0; i < width[k]; i++) {
            char c = s[at[k] + i];
            if (!is_digit(c))
                return 0;
            v[k] = v[k] * 10 + (c - '0');
        }
    }
    if (v[0] < 1900 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > days_in_month(v[0], v[1]))
        return 0;
    return (int32_t)(v[0] * 10000 + v[1] * 100 + v[2]);
}

/* Offset of the reason separator: a "--" at the start or after a blank,
 * followed by a blank or the end; `len` when there is none. */
static size_t find_separator(const char *s, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++)
        if (s[i] == '-' && s[i + 1] == '-' && (i == 0 || is_blank(s[i - 1])) &&
            (i + 2 == len || is_blank(s[i + 2])))
            return i;
    return len;
}

static zl_slice trim(const char *p, size_t n)
{
    while (n && is_blank(*p)) {
        p++;
        n--;
    }
    while (n && is_blank(p[n - 1]))
        n--;
    return (zl_slice){p, n};
}

/* Parses the head (before "--"): RULE { "," RULE } [ "until" DATE ]. */
static int parse_head(const char *s, size_t len, zl_directive *out)
{
    size_t i = 0;
    int need_rule = 1; /* a rule id must come next (start, or after a comma) */
    while (1) {
        while (i < len && is_blank(s[i]))
            i++;
        if (i == len)
            break;
        size_t j = i;
        while (j < len && !is_blank(s[j]) && s[j] != ',')
            j++;
        if (j == i) { /* a comma where a rule id should be */
            out->error = out->n_rules ? ZL_DIRERR_BAD_RULE : ZL_DIRERR_NO_RULES;
            return -1;
        }
        if (!need_rule) {
            if (j - i == 5 && memcmp(s + i, "until", 5) == 0 && out->n_rules) {
                size_t k = j;
                while (k < len && is_blank(s[k]))
                    k++;
                size_t e = k;
                while (e < len && !is_blank(s[e]))
                    e++;
                if (!(out->until = parse_date(s + k, e - k))) {
                    out->error = ZL_DIRERR_BAD_DATE;
                    return -1;
                }
                while (e < len && is_blank(s[e]))
                    e++;
                if (e != len) {
                    out->error = ZL_DIRERR_SYNTAX;
                    return -1;
                }
                return 0;
            }
            out->error = ZL_DIRERR_SYNTAX;
            return -1;
        }
        if (!valid_pattern(s + i, j - i)) {
            out->error = ZL_DIRERR_BAD_RULE;
            return -1;
        }
        if (out->n_rules == ZL_DIR_MAX_RULES) {
            out->error = ZL_DIRERR_TOO_MANY;
            return -1;
        }
        out->rules[out->n_rules++] = (zl_slice){s + i, j - i};
        i = j;
        while (i < len && is_blank(s[i]))
            i++;
        need_rule = i < len && s[i] == ',';
        if (need_rule)
            i++;
    }
    if (need_rule && out->n_rules) {
        out->error = ZL_DIRERR_BAD_RULE; /* a trailing comma */
        return -1;
    }
    return 0;
}

static int parse_rest(const char *s, size_t len, zl_directive *out)
{
    size_t sep = find_separator(s, len);
    if (sep < len)
        out->reason = trim(s + sep + 2, len - sep - 2);
    return parse_head(s, sep, out);
}

int zl_suppress_parse_spec(const char *s, size_t len, zl_directive *out)
{
    memset(out, 0, sizeof *out);
    out->kind = ZL_DIR_DISABLE;
    if (parse_rest(s, len, out) < 0)
        return -1;
    if (out->n_rules == 0) {
        out->error = ZL_DIRERR_NO_RULES;
        return -1;
    }
    return 0;
}

int zl_directive_parse(const char *body, size_t len, zl_directive *out)
{
    static const char prefix[] = "zanlint-";
    memset(out, 0, sizeof *out);
    size_t i = 0;
    while (i < len && is_blank(body[i]))
        i++;
    if (len - i < sizeof prefix - 1 || memcmp(body + i, prefix, sizeof prefix - 1) != 0)
        return 0;
    i += sizeof prefix - 1;
    size_t w = i;
    while (w < len && (is_alpha(body[w]) || body[w] == '-'))
        w++;
    size_t wl = w - i;
    if (w < len && !is_blank(body[w])) {
        out->error = ZL_DIRERR_UNKNOWN_KIND;
        return 1;
    }
    if (wl == 7 && memcmp(body + i, "disable", 7) == 0)
        out->kind = ZL_DIR_DISABLE;
    else if (wl == 6 && memcmp(body + i, "enable", 6) == 0)
        out->kind = ZL_DIR_ENABLE;
    else if (wl == 12 && memcmp(body + i, "disable-next", 12) == 0)
        out->kind = ZL_DIR_DISABLE_NEXT;
    else {
        out->error = ZL_DIRERR_UNKNOWN_KIND;
        return 1;
    }
    if (parse_rest(body + w, len - w, out) == 0 && out->kind != ZL_DIR_ENABLE &&
        out->n_rules == 0)
        out->error = ZL_DIRERR_NO_RULES;
    return 1;
}

/* ---- meta findings ------------------------------------------------------- */

void zl_suppress_init(zl_suppressions *s)
{
    memset(s, 0, sizeof *s);
    memset(s->meta_active, 1, sizeof s->meta_active);
}

void zl_suppress_free(zl_suppressions *s)
{
    if (!s)
        return;
    free(s->items);
    memset(s, 0, sizeof *s);
}

static zl_sup_entry *add_entry(zl_suppressions *s)
{
    if (s->count == s->cap)
        s->items = zl_xgrow(s->items, &s->cap, s->count + 1, sizeof *s->items);
    zl_sup_entry *e = &s->items[s->count++];
    memset(e, 0, sizeof *e);
    return e;
}

/* Text offset for a source offset: identity without a map, else the first
 * text byte mapped at or after it (the text may not contain the comment). */
static uint32_t src_to_text(const zl_doc *doc, uint32_t src_off)
{
    const zl_input *in = &doc->in;
    if (in->n_map == 0)
        return src_off <= in->text_len ? src_off : (uint32_t)in->text_len;
    for (size_t i = 0; i < in->n_map; i++) {
        uint32_t next_text = i + 1 < in->n_map ? in->map[i + 1].text_off : (uint32_t)in->text_len;
        uint32_t span = next_text - in->map[i].text_off;
        if (src_off < in->map[i].src_off)
            return in->map[i].text_off;
        if (src_off < in->map[i].src_off + span)
            return in->map[i].text_off + (src_off - in->map[i].src_off);
    }
    return (uint32_t)in->text_len;
}

/* Appends a meta finding spanning the directive's comment. */
static zl_finding *meta_finding(zl_findings *out, const zl_doc *doc, uint32_t rule,
                                uint32_t off, uint32_t len)
{
    if (out->count == out->cap)
        out->items = zl_xgrow(out->items, &out->cap, out->count + 1, sizeof *out->items);
    zl_finding *f = &out->items[out->count++];
    memset(f, 0, sizeof *f);
    const zl_rule *r = &meta_rules[rule];
    f->rule = r;
    f->severity = r->severity;
    f->kind = ZL_FK_MATCH;
    f->src_off = off;
    f->src_len = len;
    f->text_off = src_to_text(doc, off);
    f->text_len = 0;
    zl_pos p = zl_doc_src_pos(doc, off);
    zl_pos q = zl_doc_src_pos(doc, len ? off + len - 1 : off);
    f->line = p.line;
    f->col = p.col;
    f->end_line = q.line;
    f->end_col = q.col;
    f->lang = ZL_LANG_OTHER;
    f->excerpt = zl_arena_strndup(doc->arena, doc->in.src + off, len);
    /* fingerprint: rule id + the directive text, so it survives moved lines */
    uint64_t h = zl_fnv64(ZL_FNV64_INIT, r->id, strlen(r->id));
    h = zl_fnv64(h, f->excerpt, strlen(f->excerpt));
    zl_hex64(f->fingerprint, h);
    f->fingerprint[16] = '\0';
    for (int l = 0; l < ZL_NLANG; l++)
        f->message[l] = r->message[l];
    return f;
}

/* Fills the messages of `f` from per-language formats with one %s each. */
static void format_messages(zl_finding *f, const zl_doc *doc, const char *const fmt[ZL_NLANG],
                            const char *const arg[ZL_NLANG])
{
    for (int l = 0; l < ZL_NLANG; l++) {
        zl_buf b = ZL_BUF_INIT;
        zl_buf_printf(&b, fmt[l], arg[l]);
        f->message[l] = zl_arena_strndup(doc->arena, b.data ? b.data : "", b.len);
        zl_buf_free(&b);
    }
}

static void meta_with_arg(zl_findings *out, const zl_doc *doc, uint32_t rule, uint32_t off,
                          uint32_t len, const char *arg)
{
    zl_finding *f = meta_finding(out, doc, rule, off, len);
    const char *args[ZL_NLANG] = {arg, arg, arg};
    format_messages(f, doc, meta_rules[rule].message, args);
}

/* ---- scanning ------------------------------------------------------------ */

/* 1 when `pattern` names a rule of the pack or a meta rule. */
static int known_pattern(const zl_pack *pack, const char *pattern)
{
    if (zl_meta_toggle(pattern, 0, NULL))
        return 1;
    size_t len = strlen(pattern);
    if (!(len >= 2 && strcmp(pattern + len - 2, ".*") == 0))
        return pack && zl_pack_find(pack, pattern) != NULL;
    uint32_t n = pack ? zl_pack_rule_count(pack) : 0;
    for (uint32_t i = 0; i < n; i++)
        if (zl_rule_pattern_match(pattern, zl_pack_rule(pack, i)->id))
            return 1;
    return 0;
}

/* Source span of the first paragraph starting at or after `src_off`. */
static int next_paragraph(const zl_doc *doc, uint32_t src_off, uint32_t *start, uint32_t *end)
{
    for (uint32_t i = 0; i < doc->n_paras; i++) {
        const zl_para *p = &doc->paras[i];
        uint32_t s = zl_input_text_to_src(&doc->in, p->text_off);
        if (s < src_off)
            continue;
        uint32_t e = p->text_end > p->text_off ? zl_input_text_to_src(&doc->in, p->text_end - 1) + 1
                                               : s;
        *start = s;
        *end = e > s ? e : s + 1;
        return 1;
    }
    return 0;
}

/* 1 when the comment at src[off] is a comment of the source and not text
 * the reader kept (a code block in Markdown, any .txt file): with an
 * identity map the reader blanks real comments in the logical text. */
static int real_comment(const zl_doc *doc, uint32_t off)
{
    const zl_input *in = &doc->in;
    if (in->n_map != 0 || in->text_len != in->src_len)
        return in->n_map != 0;
    return in->text[off] != '<';
}

/* Markdown: 1 when byte `off` lies in a fenced code block (``` or ~~~ at
 * the start of a line, up to three spaces in, closed by a fence of the same
 * character at least as long), which the reader blanks like a comment. */
static int in_md_fence(const zl_doc *doc, size_t off)
{
    const char *src = doc->in.src;
    size_t n = doc->in.src_len, i = 0;
    char fch = 0;
    size_t flen = 0, open_at = 0;
    while (i < n && i <= off) {
        size_t j = i, sp = 0;
        while (j < n && src[j] == ' ' && sp < 4) {
            j++;
            sp++;
        }
        size_t k = j;
        while (k < n && (src[k] == '`' || src[k] == '~') && src[k] == src[j])
            k++;
        if (sp < 4 && k - j >= 3) {
            if (!fch) {
                fch = src[j];
                flen = k - j;
                open_at = i;
            } else if (src[j] == fch && k - j >= flen) {
                if (off >= open_at && off < k)
                    return 1;
                fch = 0;
            }
        }
        const char *nl = memchr(src + i, '\n', n - i);
        i = nl ? (size_t)(nl - src) + 1 : n;
    }
    return fch != 0 && off >= open_at;
}

static void handle(zl_suppressions *s, const zl_doc *doc, const zl_pack *pack, zl_findings *out,
                   uint32_t off, uint32_t len, const zl_directive *d)
{
    zl_arena *a = doc->arena;
    if (d->error != ZL_DIRERR_NONE) {
        if (s->meta_active[ZL_META_INVALID]) {
            zl_finding *f = meta_finding(out, doc, ZL_META_INVALID, off, len);
            const char *args[ZL_NLANG];
            for (int l = 0; l < ZL_NLANG; l++)
                args[l] = dir_error_texts[d->error][l];
            format_messages(f, doc, meta_rules[ZL_META_INVALID].message, args);
        }
        return;
    }
    const char *pats[ZL_DIR_MAX_RULES];
    int bad = 0;
    for (size_t i = 0; i < d->n_rules; i++) {
        pats[i] = zl_arena_strndup(a, d->rules[i].p, d->rules[i].len);
        if (!known_pattern(pack, pats[i])) {
            bad = 1;
            if (s->meta_active[ZL_META_UNKNOWN_RULE])
                meta_with_arg(out, doc, ZL_META_UNKNOWN_RULE, off, len, pats[i]);
        }
    }
    if (d->kind != ZL_DIR_ENABLE && d->reason.len == 0) {
        bad = 1;
        if (s->meta_active[ZL_META_MISSING_REASON])
            meta_finding(out, doc, ZL_META_MISSING_REASON, off, len);
    }
    if (bad)
        return;
    if (d->kind == ZL_DIR_ENABLE) {
        /* closes the open disable entries it names (exactly or by prefix) */
        size_t closed = 0;
        for (size_t k = 0; k < s->count; k++) {
            zl_sup_entry *e = &s->items[k];
            if (e->external || e->end != UINT32_MAX)
                continue;
            int hit = d->n_rules == 0;
            for (size_t i = 0; i < d->n_rules && !hit; i++)
                hit = strcmp(pats[i], e->pattern) == 0 ||
                      zl_rule_pattern_match(pats[i], e->pattern);
            if (hit) {
                e->end = off;
                closed++;
            }
        }
        if (!closed && s->meta_active[ZL_META_UNUSED]) {
            zl_finding *f = meta_finding(out, doc, ZL_META_UNUSED, off, len);
            for (int l = 0; l < ZL_NLANG; l++)
                f->message[l] = enable_unused_texts[l];
        }
        return;
    }
    uint32_t start = off + len, end = UINT32_MAX;
    if (d->kind == ZL_DIR_DISABLE_NEXT && !next_paragraph(doc, off + len, &start, &end))
        start = end = (uint32_t)doc->in.src_len; /* covers nothing: reported unused */
    const char *reason = zl_arena_strndup(a, d->reason.p, d->reason.len);
    for (size_t i = 0; i < d->n_rules; i++) {
        zl_sup_entry *e = add_entry(s);
        e->pattern = pats[i];
        e->reason = reason;
        e->until = d->until;
        e->start = start;
        e->end = end;
        e->dir_off = off;
        e->dir_len = len;
    }
}

void zl_suppress_scan(zl_suppressions *s, const zl_doc *doc, const zl_pack *pack,
                      zl_findings *out)
{
    const char *src = doc->in.src;
    size_t n = doc->in.src_len;
    size_t first = s->count;
    if (!src)
        return;
    size_t i = 0;
    while (i + 4 <= n) {
        const char *c = memchr(src + i, '<', n - i);
        if (!c)
            break;
        i = (size_t)(c - src);
        if (i + 4 > n || memcmp(c, "<!--", 4) != 0) {
            i++;
            continue;
        }
        size_t body = i + 4, e = body;
        while (e + 3 <= n && memcmp(src + e, "-->", 3) != 0)
            e++;
        if (e + 3 > n)
            break; /* an unterminated comment runs to the end: no directive */
        zl_directive d;
        int md = doc->in.format && strcmp(doc->in.format, "md") == 0;
        if (real_comment(doc, (uint32_t)i) && !(md && in_md_fence(doc, i)) &&
            zl_directive_parse(src + body, e - body, &d))
            handle(s, doc, pack, out, (uint32_t)i, (uint32_t)(e + 3 - i), &d);
        i = e + 3;
    }
    /* regions still open run to the end of the document */
    for (size_t k = first; k < s->count; k++)
        if (s->items[k].end == UINT32_MAX)
            s->items[k].end = (uint32_t)n;
}

void zl_suppress_add_external(zl_suppressions *s, const zl_doc *doc, const char *pattern,
                              const char *reason, int32_t until, uint32_t tag)
{
    zl_sup_entry *e = add_entry(s);
    e->pattern = pattern;
    e->reason = reason;
    e->until = until;
    e->start = 0;
    e->end = (uint32_t)doc->in.src_len + 1;
    e->external = 1;
    e->tag = tag;
}

/* ---- applying ------------------------------------------------------------ */

static void append_expired(zl_finding *f, const zl_doc *doc, const zl_sup_entry *e)
{
    char date[16];
    snprintf(date, sizeof date, "%04d-%02d-%02d", (int)(e->until / 10000),
             (int)(e->until / 100 % 100), (int)(e->until % 100));
    const char *orig[ZL_NLANG];
    for (int l = 0; l < ZL_NLANG; l++)
        orig[l] = f->message[l];
    for (int l = 0; l < ZL_NLANG; l++) {
        const char *base = orig[l] ? orig[l] : orig[ZL_MSG_RU];
        if (!base)
            base = "";
        zl_buf b = ZL_BUF_INIT;
        zl_buf_puts(&b, base);
        zl_buf_printf(&b, expired_texts[l], date, e->reason);
        f->message[l] = zl_arena_strndup(doc->arena, b.data, b.len);
        zl_buf_free(&b);
    }
}

void zl_suppress_apply(zl_suppressions *s, const zl_doc *doc, zl_findings *fs, int32_t as_of)
{
    for (size_t i = 0; i < fs->count; i++) {
        zl_finding *f = &fs->items[i];
        if (zl_is_meta_rule(f->rule) || f->suppressed)
            continue;
        const zl_sup_entry *expired = NULL;
        for (size_t k = 0; k < s->count; k++) {
            zl_sup_entry *e = &s->items[k];
            if (f->src_off < e->start || f->src_off >= e->end ||
                !zl_rule_pattern_match(e->pattern, f->rule->id))
                continue;
            e->used++;
            if (e->until && as_of >= e->until) {
                if (!expired)
                    expired = e;
                continue;
            }
            if (!f->suppressed) {
                f->suppressed = 1;
                f->suppress_kind = e->external ? "external" : "inSource";
                f->suppress_reason = e->reason;
            }
        }
        if (!f->suppressed && expired)
            append_expired(f, doc, expired);
    }
}

void zl_suppress_report_unused(const zl_suppressions *s, const zl_doc *doc, zl_findings *out)
{
    if (!s->meta_active[ZL_META_UNUSED])
        return;
    for (size_t k = 0; k < s->count; k++) {
        const zl_sup_entry *e = &s->items[k];
        if (!e->external && !e->used)
            meta_with_arg(out, doc, ZL_META_UNUSED, e->dir_off, e->dir_len, e->pattern);
    }
}

static int finding_cmp(const void *pa, const void *pb)
{
    const zl_finding *a = pa, *b = pb;
    if (a->src_off != b->src_off)
        return a->src_off < b->src_off ? -1 : 1;
    int c = strcmp(a->rule->id, b->rule->id);
    if (c)
        return c;
    if (a->src_len != b->src_len)
        return a->src_len < b->src_len ? -1 : 1;
    if (a->version != b->version)
        return a->version < b->version ? -1 : 1;
    c = strcmp(zl_finding_message(a, ZL_MSG_EN), zl_finding_message(b, ZL_MSG_EN));
    return c;
}

void zl_findings_sort(zl_findings *fs)
{
    if (fs->count > 1)
        qsort(fs->items, fs->count, sizeof *fs->items, finding_cmp);
}

size_t zl_findings_drop_suppressed(zl_findings *fs, int keep)
{
    size_t n = 0, w = 0;
    for (size_t i = 0; i < fs->count; i++) {
        if (fs->items[i].suppressed) {
            n++;
            if (!keep)
                continue;
        }
        fs->items[w++] = fs->items[i];
    }
    fs->count = w;
    return n;
}
