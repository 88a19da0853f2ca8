/*
 * report_sarif.c - SARIF 2.1.0 (see docs/ci.md), shaped for GitHub code
 * scanning: one run whose tool.driver lists every active rule (rules[],
 * in pack order, i.e. sorted by id), one result per finding, the inputs as
 * artifacts (in input order), and unreadable inputs as
 * toolExecutionNotifications with executionSuccessful false.
 *
 * Positions: run.columnKind is "unicodeCodePoints"; startLine/startColumn
 * are zanlint's 1-based line and code-point column; endColumn is the column
 * after the region (zanlint's inclusive end + 1); charOffset/charLength
 * count code points of the decoded source (byte-order mark excluded), the
 * same unit as the columns.  URIs are the input paths relative to
 * %SRCROOT% (the working directory, given in originalUriBaseIds),
 * percent-encoded; an absolute path becomes a file:// URI.  Suppressed
 * findings (--include-suppressed) carry suppressions[] with kind and
 * justification; the zanlint.* suppression meta rules follow the pack's
 * rules in rules[].  Output is
 * streamed (results are written per input) and deterministic: the same
 * inputs and working directory give byte-identical output.
 */
#include "report/report.h"

#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "engine/suppress.h"
#include "report/jsonw.h"
#include "util/xalloc.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define INFO_URI "https://github.com/zanlint/zanlint"
#define RULES_DOC_URI "https://github.com/zanlint/zanlint/blob/main/docs/rules.md#"
#define SNIPPET_MAX 4096 /* bytes of source quoted as region.snippet */

typedef struct sarif_state {
    zl_jw w;
    uint32_t *rule_index; /* pack rule index -> index in rules[]; UINT32_MAX = not listed */
    uint32_t n_rules;
    uint32_t meta_index[ZL_META_COUNT]; /* rules[] index per zanlint.* meta rule, or UINT32_MAX */
    zl_buf artifacts;     /* the inputs' paths, NUL-separated, in input order */
    zl_buf notes;         /* unreadable inputs: "path\0message\0" pairs */
    int failed;
} sarif_state;

/* ---- helpers ----------------------------------------------------------- */

static const char *text_in(const char *const t[ZL_NLANG], int lang)
{
    if (lang >= 0 && lang < ZL_NLANG && t[lang])
        return t[lang];
    return t[ZL_MSG_RU];
}

static const char *level_of(zl_severity s)
{
    switch (s) {
    case ZL_SEV_ERROR: return "error";
    case ZL_SEV_WARNING: return "warning";
    default: return "note";
    }
}

static int unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
}

static void pct_encode(zl_buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (unreserved(c)) {
            zl_buf_putc(b, (char)c);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            zl_buf_put(b, e, 3);
        }
    }
}

/* The URI of an input path: a relative URI reference under %SRCROOT%
 * ("./" prefixes dropped), or a file:// URI for an absolute path (the
 * return value is then 1). */
static int path_uri(zl_buf *u, const char *path)
{
    int absolute = path[0] == '/';
    while (path[0] == '.' && path[1] == '/')
        path += 2;
    if (absolute)
        zl_buf_put_lit(u, "file://");
    pct_encode(u, path);
    return absolute;
}

/* An artifactLocation member `key` for a URI made by path_uri; "index"
 * into artifacts[] unless `index` < 0. */
static void uri_location(zl_jw *w, const char *key, const zl_buf *u, int absolute, long index)
{
    zl_jw_obj(w, key);
    zl_jw_strn(w, "uri", u->data ? u->data : "", u->len);
    if (!absolute)
        zl_jw_str(w, "uriBaseId", "%SRCROOT%");
    if (index >= 0)
        zl_jw_uint(w, "index", (uint64_t)index);
    zl_jw_end(w);
}

/* An artifactLocation member `key` for an input path. */
static void artifact_location(zl_jw *w, const char *key, const char *path, long index)
{
    zl_buf u = ZL_BUF_INIT;
    int absolute = path_uri(&u, path);
    uri_location(w, key, &u, absolute, index);
    zl_buf_free(&u);
}

/* "kz94v.consent.withdrawal-form" -> "Kz94vConsentWithdrawalForm". */
static void camel_name(zl_buf *b, const char *id)
{
    int up = 1;
    for (; *id; id++) {
        char c = *id;
        int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum) {
            up = 1;
            continue;
        }
        zl_buf_putc(b, up && c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c);
        up = 0;
    }
}

/* Markdown text on one level: line starts that could open a block are left
 * alone, but the characters with inline meaning are backslash-escaped. */
static void md_escape(zl_buf *b, const char *s)
{
    for (; *s; s++) {
        if (strchr("\\`*_[]<>#|", *s))
            zl_buf_putc(b, '\\');
        zl_buf_putc(b, *s);
    }
}

/* ---- rules[] ------------------------------------------------------------ */

static void write_rule(zl_jw *w, const zl_rule *r, int lang)
{
    const char *title = text_in(r->title, lang);
    const char *msg = text_in(r->message, lang);
    const char *sug = text_in(r->suggest, lang);
    zl_buf t = ZL_BUF_INIT;

    zl_jw_obj(w, NULL);
    zl_jw_str(w, "id", r->id);
    camel_name(&t, r->id);
    zl_jw_strn(w, "name", t.data ? t.data : "", t.len);
    zl_jw_obj(w, "shortDescription");
    zl_jw_str(w, "text", title ? title : r->id);
    zl_jw_end(w);
    zl_jw_obj(w, "fullDescription");
    zl_jw_str(w, "text", msg ? msg : title ? title : r->id);
    zl_jw_end(w);

    zl_buf_reset(&t);
    if (r->article)
        zl_buf_printf(&t, "Law 94-V, %s.\n\n", r->article);
    zl_buf_puts(&t, msg ? msg : r->id);
    if (sug)
        zl_buf_printf(&t, "\n\nSuggested wording:\n%s", sug);
    zl_jw_obj(w, "help");
    zl_jw_strn(w, "text", t.data, t.len);
    zl_buf_reset(&t);
    if (r->article) {
        zl_buf_puts(&t, "**Law 94-V, ");
        md_escape(&t, r->article);
        zl_buf_puts(&t, "**\n\n");
    }
    md_escape(&t, msg ? msg : r->id);
    if (sug) {
        zl_buf_puts(&t, "\n\n**Suggested wording:**\n\n> ");
        for (const char *p = sug; *p; p++) {
            if (*p == '\n') {
                zl_buf_puts(&t, "\n> ");
                continue;
            }
            if (strchr("\\`*_[]<>#|", *p))
                zl_buf_putc(&t, '\\');
            zl_buf_putc(&t, *p);
        }
    }
    zl_jw_strn(w, "markdown", t.data, t.len);
    zl_jw_end(w);

    zl_buf_reset(&t);
    zl_buf_puts(&t, RULES_DOC_URI);
    pct_encode(&t, r->id);
    zl_jw_strn(w, "helpUri", t.data, t.len);
    zl_jw_obj(w, "defaultConfiguration");
    zl_jw_str(w, "level", level_of(r->severity));
    zl_jw_end(w);
    zl_jw_obj(w, "properties");
    zl_jw_arr(w, "tags");
    for (uint32_t i = 0; i < r->n_tags; i++)
        zl_jw_str(w, NULL, r->tags[i]);
    zl_jw_end(w);
    zl_jw_str(w, "precision", r->severity == ZL_SEV_ERROR ? "high" : "medium");
    zl_jw_str(w, "problem.severity",
              r->severity == ZL_SEV_ERROR     ? "error"
              : r->severity == ZL_SEV_WARNING ? "warning"
                                              : "recommendation");
    if (r->article)
        zl_jw_str(w, "article", r->article);
    zl_jw_end(w);
    zl_jw_end(w);
    zl_buf_free(&t);
}

static void sarif_begin(zl_buf *out, zl_report_ctx *ctx)
{
    const zl_report_opts *o = ctx->opts;
    sarif_state *st = zl_xcalloc(1, sizeof *st);
    ctx->state = st;
    zl_jw *w = &st->w;
    zl_jw_init(w, out);
    zl_jw_obj(w, NULL);
    zl_jw_str(w, "$schema", SARIF_SCHEMA);
    zl_jw_str(w, "version", "2.1.0");
    zl_jw_arr(w, "runs");
    zl_jw_obj(w, NULL);
    zl_jw_obj(w, "tool");
    zl_jw_obj(w, "driver");
    zl_jw_str(w, "name", "zanlint");
    zl_jw_str(w, "version", ZL_VERSION);
    zl_jw_str(w, "semanticVersion", ZL_VERSION);
    zl_jw_str(w, "informationUri", INFO_URI);
    zl_jw_arr(w, "rules");
    if (o->pack) {
        st->n_rules = zl_pack_rule_count(o->pack);
        st->rule_index = zl_xmalloc((st->n_rules ? st->n_rules : 1) * sizeof *st->rule_index);
        uint32_t k = 0;
        for (uint32_t i = 0; i < st->n_rules; i++) {
            const zl_rule *r = zl_pack_rule(o->pack, i);
            st->rule_index[i] = UINT32_MAX;
            if (!zl_rule_is_active(r, o->eval))
                continue;
            st->rule_index[i] = k++;
            write_rule(w, r, o->lang);
        }
        /* the suppression meta rules (zanlint.*) that are on come after the
         * pack's */
        for (uint32_t i = 0; i < ZL_META_COUNT; i++) {
            st->meta_index[i] = UINT32_MAX;
            if (o->meta_active && !o->meta_active[i])
                continue;
            st->meta_index[i] = k++;
            write_rule(w, zl_meta_rule(i), o->lang);
        }
    }
    zl_jw_end(w); /* rules */
    zl_jw_obj(w, "properties");
    zl_jw_str(w, "rulePack", o->pack_name);
    zl_jw_str(w, "rulePackVersion", o->pack_version);
    zl_jw_end(w);
    zl_jw_end(w); /* driver */
    zl_jw_end(w); /* tool */
    zl_jw_str(w, "columnKind", "unicodeCodePoints");
    zl_jw_arr(w, "results");
}

/* ---- results ------------------------------------------------------------ */

/* Code points of src[0, off), continuing from a cursor (findings come
 * sorted by offset, so a file costs one pass). */
typedef struct cp_cursor {
    uint32_t byte, cps;
} cp_cursor;

/* Code points of s[0, n): the bytes that are not continuation bytes
 * (10xxxxxx), sixteen at a time with SSE2. */
static uint32_t cp_count(const char *s, uint32_t n)
{
    uint32_t k = 0, i = 0;
#if defined(__SSE2__)
    const __m128i c0 = _mm_set1_epi8((char)0xC0), one = _mm_set1_epi8(1);
    __m128i acc = _mm_setzero_si128();
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i cont = _mm_and_si128(_mm_cmplt_epi8(v, c0), one); /* 80-BF */
        acc = _mm_add_epi64(acc, _mm_sad_epu8(cont, _mm_setzero_si128()));
    }
    uint64_t conts = (uint64_t)_mm_cvtsi128_si64(acc) +
                     (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(acc, acc));
    k = i - (uint32_t)conts;
#endif
    for (; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            k++;
    return k;
}

static uint32_t cp_at(cp_cursor *c, const char *src, uint32_t off)
{
    if (off < c->byte)
        c->byte = c->cps = 0;
    c->cps += cp_count(src + c->byte, off - c->byte);
    c->byte = off;
    return c->cps;
}

static void write_result(zl_jw *w, sarif_state *st, const zl_report_ctx *ctx,
                         const zl_report_input *in, const zl_finding *f, cp_cursor *cur,
                         const zl_buf *uri, int absolute)
{
    const zl_rule *r = f->rule;
    zl_jw_obj(w, NULL);
    zl_jw_str(w, "ruleId", r->id);
    if (zl_is_meta_rule(r)) {
        if (st->rule_index && r->index < ZL_META_COUNT && st->meta_index[r->index] != UINT32_MAX)
            zl_jw_uint(w, "ruleIndex", st->meta_index[r->index]);
    } else if (r->index < st->n_rules && st->rule_index[r->index] != UINT32_MAX) {
        zl_jw_uint(w, "ruleIndex", st->rule_index[r->index]);
    }
    zl_jw_str(w, "level", level_of(f->severity));
    zl_jw_obj(w, "message");
    zl_jw_str(w, "text", zl_finding_message(f, ctx->opts->lang));
    zl_jw_end(w);
    zl_jw_arr(w, "locations");
    zl_jw_obj(w, NULL);
    zl_jw_obj(w, "physicalLocation");
    uri_location(w, "artifactLocation", uri, absolute, (long)ctx->index);
    zl_jw_obj(w, "region");
    zl_jw_uint(w, "startLine", f->line ? f->line : 1);
    zl_jw_uint(w, "startColumn", f->col ? f->col : 1);
    zl_jw_uint(w, "endLine", f->end_line >= f->line ? f->end_line : f->line);
    uint32_t end_col = f->end_line > f->line || f->end_col >= f->col ? f->end_col + 1 : f->col + 1;
    zl_jw_uint(w, "endColumn", end_col);
    const char *src = in->doc->in.src;
    uint32_t n = f->src_len;
    if ((size_t)f->src_off + n <= in->doc->in.src_len) {
        zl_jw_uint(w, "charOffset", cp_at(cur, src, f->src_off));
        zl_jw_uint(w, "charLength", cp_count(src + f->src_off, n));
        if (n > 0 && n <= SNIPPET_MAX) {
            zl_jw_obj(w, "snippet");
            zl_jw_strn(w, "text", src + f->src_off, n);
            zl_jw_end(w);
        }
    }
    zl_jw_end(w); /* region */
    zl_jw_end(w); /* physicalLocation */
    zl_jw_end(w);
    zl_jw_end(w); /* locations */
    zl_jw_obj(w, "partialFingerprints");
    zl_jw_str(w, "zanlint/v1", f->fingerprint);
    zl_jw_end(w);
    if (f->suppressed) { /* only with --include-suppressed */
        zl_jw_arr(w, "suppressions");
        zl_jw_obj(w, NULL);
        zl_jw_str(w, "kind",
                  f->suppress_kind && strcmp(f->suppress_kind, "inSource") == 0 ? "inSource"
                                                                               : "external");
        if (f->suppress_reason)
            zl_jw_str(w, "justification", f->suppress_reason);
        zl_jw_end(w);
        zl_jw_end(w);
    }
    zl_jw_obj(w, "properties"); /* absent values are left out */
    if (r->article)
        zl_jw_str(w, "article", r->article);
    zl_jw_str(w, "lang", zl_lang_name(f->lang));
    if (f->section)
        zl_jw_str(w, "section", f->section);
    if (f->clause)
        zl_jw_str(w, "clause", f->clause);
    zl_jw_end(w);
    zl_jw_end(w);
}

static void sarif_file(zl_buf *out, zl_report_ctx *ctx, const zl_report_input *f)
{
    sarif_state *st = ctx->state;
    st->w.out = out;
    zl_buf_put(&st->artifacts, f->path, strlen(f->path) + 1);
    if (!f->doc) {
        st->failed = 1;
        zl_buf_put(&st->notes, f->path, strlen(f->path) + 1);
        const char *e = zl_report_read_error(f);
        zl_buf_put(&st->notes, e, strlen(e) + 1);
        return;
    }
    cp_cursor cur = {0, 0};
    zl_buf uri = ZL_BUF_INIT;
    int absolute = f->n_findings ? path_uri(&uri, f->path) : 0;
    for (size_t i = 0; i < f->n_findings; i++)
        write_result(&st->w, st, ctx, f, &f->findings[i], &cur, &uri, absolute);
    zl_buf_free(&uri);
}

/* ---- the end of the run ------------------------------------------------- */

static void sarif_end(zl_buf *out, zl_report_ctx *ctx)
{
    sarif_state *st = ctx->state;
    zl_jw *w = &st->w;
    w->out = out;
    zl_jw_end(w); /* results */

    zl_jw_arr(w, "invocations");
    zl_jw_obj(w, NULL);
    zl_jw_bool(w, "executionSuccessful", !st->failed);
    zl_jw_arr(w, "toolExecutionNotifications");
    for (size_t p = 0; p < st->notes.len;) {
        const char *path = st->notes.data + p;
        const char *msg = path + strlen(path) + 1;
        p = (size_t)(msg - st->notes.data) + strlen(msg) + 1;
        zl_jw_obj(w, NULL);
        zl_jw_str(w, "level", "error");
        zl_jw_obj(w, "message");
        zl_jw_str(w, "text", msg);
        zl_jw_end(w);
        zl_jw_arr(w, "locations");
        zl_jw_obj(w, NULL);
        zl_jw_obj(w, "physicalLocation");
        artifact_location(w, "artifactLocation", path, -1);
        zl_jw_end(w);
        zl_jw_end(w);
        zl_jw_end(w);
        zl_jw_end(w);
    }
    zl_jw_end(w);
    zl_jw_end(w);
    zl_jw_end(w); /* invocations */

    zl_jw_obj(w, "originalUriBaseIds");
    zl_jw_obj(w, "%SRCROOT%");
    if (ctx->opts->base_dir && ctx->opts->base_dir[0] == '/') {
        zl_buf u = ZL_BUF_INIT;
        zl_buf_puts(&u, "file://");
        pct_encode(&u, ctx->opts->base_dir);
        if (u.data[u.len - 1] != '/')
            zl_buf_putc(&u, '/');
        zl_jw_strn(w, "uri", u.data, u.len);
        zl_buf_free(&u);
    }
    zl_jw_obj(w, "description");
    zl_jw_str(w, "text", "The directory zanlint was run in; input paths are relative to it.");
    zl_jw_end(w);
    zl_jw_end(w);
    zl_jw_end(w);

    zl_jw_arr(w, "artifacts");
    for (size_t p = 0; p < st->artifacts.len;) {
        const char *path = st->artifacts.data + p;
        p += strlen(path) + 1;
        zl_jw_obj(w, NULL);
        artifact_location(w, "location", path, -1);
        zl_jw_arr(w, "roles");
        zl_jw_str(w, NULL, "analysisTarget");
        zl_jw_end(w);
        zl_jw_end(w);
    }
    zl_jw_end(w); /* artifacts */

    zl_jw_end(w); /* the run */
    zl_jw_end(w); /* runs */
    zl_jw_end(w); /* the log */

    zl_buf_free(&st->artifacts);
    zl_buf_free(&st->notes);
    free(st->rule_index);
    free(st);
    ctx->state = NULL;
}

const zl_reporter zl_reporter_sarif = {
    "sarif", "SARIF 2.1.0 for GitHub code scanning and other viewers (see docs/ci.md)",
    sarif_begin, sarif_file, sarif_end,
};
