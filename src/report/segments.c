/*
 * segments.c - prints the segmentation of a document (see segments.h) as a
 * text outline or JSON; called by the CLI's `segments` command and by the
 * golden tests of the segmenter.
 */
#include "report/segments.h"

#include <string.h>

#include "text/position.h"
#include "util/utf8.h"

#define EXCERPT_CPS 60

/* The first EXCERPT_CPS code points of the logical text [s, e), whitespace
 * folded, into b (reset first). */
static void excerpt(zl_buf *b, const zl_doc *doc, uint32_t s, uint32_t e)
{
    const char *t = doc->in.text;
    uint32_t cps = 0;
    int sp = 0;
    zl_buf_reset(b);
    if (!t)
        return;
    if (e > doc->in.text_len)
        e = (uint32_t)doc->in.text_len;
    for (uint32_t i = s; i < e && cps < EXCERPT_CPS;) {
        uint32_t c;
        size_t k = zl_utf8_decode(t + i, e - i, &c);
        if (k == 0) {
            k = 1;
            c = 0xFFFD;
        }
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0xA0) {
            sp = 1;
        } else {
            if (sp && b->len) {
                zl_buf_putc(b, ' ');
                cps++;
            }
            sp = 0;
            zl_buf_put(b, t + i, k);
            cps++;
        }
        i += (uint32_t)k;
    }
}

static uint32_t tok_start(const zl_doc *doc, uint32_t i)
{
    return doc->tokens[i].text_off;
}

static uint32_t tok_end(const zl_doc *doc, uint32_t i)
{
    return doc->tokens[i].text_off + doc->tokens[i].text_len;
}

static void json_opt_str(zl_buf *out, const char *s)
{
    if (s)
        zl_buf_json_str(out, s, strlen(s));
    else
        zl_buf_puts(out, "null");
}

static void json_opt_idx(zl_buf *out, uint32_t v)
{
    if (v == ZL_NONE)
        zl_buf_puts(out, "null");
    else
        zl_buf_printf(out, "%u", (unsigned)v);
}

static void languages(zl_buf *out, const zl_doc *doc, int json)
{
    int seen[3] = {0, 0, 0}, first = 1;
    for (uint32_t v = 0; v < doc->n_versions; v++) {
        zl_lang l = doc->versions[v].lang;
        if (seen[l])
            continue;
        seen[l] = 1;
        if (!first)
            zl_buf_puts(out, json ? "," : ", ");
        first = 0;
        if (json)
            zl_buf_printf(out, "\"%s\"", zl_lang_name(l));
        else
            zl_buf_puts(out, zl_lang_name(l));
    }
}

static void report_json(zl_buf *out, const zl_doc *doc)
{
    zl_buf ex = ZL_BUF_INIT;
    const char *path = doc->in.path ? doc->in.path : "";
    zl_buf_puts(out, "{\n  \"path\": ");
    zl_buf_json_str(out, path, strlen(path));
    zl_buf_puts(out, ",\n  \"languages\": [");
    languages(out, doc, 1);
    zl_buf_puts(out, "],\n  \"versions\": [");
    for (uint32_t v = 0; v < doc->n_versions; v++) {
        const zl_version *ver = &doc->versions[v];
        zl_pos p = zl_doc_pos(doc, ver->text_off);
        zl_buf_printf(out, "%s\n    {\"lang\": \"%s\", \"line\": %u, \"paragraphs\": %u}",
                      v ? "," : "", zl_lang_name(ver->lang), (unsigned)p.line,
                      (unsigned)(ver->para_end - ver->para_first));
    }
    zl_buf_puts(out, doc->n_versions ? "\n  ],\n  \"sections\": [" : "],\n  \"sections\": [");
    for (uint32_t s = 0; s < doc->n_sections; s++) {
        const zl_section *sec = &doc->sections[s];
        zl_pos p = zl_doc_pos(doc, sec->text_off);
        zl_buf_puts(out, s ? ",\n    {\"number\": " : "\n    {\"number\": ");
        json_opt_str(out, sec->number);
        zl_buf_puts(out, ", \"title\": ");
        json_opt_str(out, sec->title);
        zl_buf_printf(out, ", \"level\": %u, \"line\": %u, \"parent\": ", (unsigned)sec->level,
                      (unsigned)p.line);
        json_opt_idx(out, sec->parent);
        zl_buf_putc(out, '}');
    }
    zl_buf_puts(out, doc->n_sections ? "\n  ],\n  \"paragraphs\": [" : "],\n  \"paragraphs\": [");
    for (uint32_t i = 0; i < doc->n_paras; i++) {
        const zl_para *pa = &doc->paras[i];
        zl_pos p = zl_doc_pos(doc, pa->text_off);
        zl_buf_printf(out, "%s\n    {\"line\": %u, \"lang\": \"%s\", \"section\": ", i ? "," : "",
                      (unsigned)p.line, zl_lang_name(pa->lang));
        json_opt_idx(out, pa->section);
        zl_buf_putc(out, '}');
    }
    zl_buf_puts(out, doc->n_paras ? "\n  ],\n  \"clauses\": [" : "],\n  \"clauses\": [");
    for (uint32_t i = 0; i < doc->n_clauses; i++) {
        const zl_clause *c = &doc->clauses[i];
        zl_pos p = zl_doc_pos(doc, tok_start(doc, c->tok.first));
        zl_buf_puts(out, i ? ",\n    {\"number\": " : "\n    {\"number\": ");
        json_opt_str(out, c->number);
        zl_buf_printf(out, ", \"line\": %u, \"col\": %u}", (unsigned)p.line, (unsigned)p.col);
    }
    zl_buf_puts(out, doc->n_clauses ? "\n  ],\n  \"sentences\": [" : "],\n  \"sentences\": [");
    for (uint32_t i = 0; i < doc->n_sentences; i++) {
        const zl_sentence *s = &doc->sentences[i];
        uint32_t so = tok_start(doc, s->tok.first), eo = tok_end(doc, s->tok.end - 1);
        zl_pos a = zl_doc_pos(doc, so), b = zl_doc_pos(doc, eo);
        zl_buf_printf(out,
                      "%s\n    {\"line\": %u, \"col\": %u, \"endLine\": %u, \"endCol\": %u, "
                      "\"text\": ",
                      i ? "," : "", (unsigned)a.line, (unsigned)a.col, (unsigned)b.line,
                      (unsigned)b.col);
        excerpt(&ex, doc, so, eo);
        zl_buf_json_str(out, ex.data ? ex.data : "", ex.len);
        zl_buf_putc(out, '}');
    }
    zl_buf_printf(out, "%s],\n  \"tokens\": %u\n}\n", doc->n_sentences ? "\n  " : "",
                  (unsigned)doc->n_tokens);
    zl_buf_free(&ex);
}

static void report_text(zl_buf *out, const zl_doc *doc)
{
    zl_buf ex = ZL_BUF_INIT;
    zl_buf_printf(out, "%s: %u tokens, %u sentences, %u clauses, %u paragraphs, %u sections\n",
                  doc->in.path ? doc->in.path : "", (unsigned)doc->n_tokens,
                  (unsigned)doc->n_sentences, (unsigned)doc->n_clauses, (unsigned)doc->n_paras,
                  (unsigned)doc->n_sections);
    zl_buf_puts(out, "languages: ");
    languages(out, doc, 0);
    zl_buf_puts(out, "\nversions:\n");
    for (uint32_t v = 0; v < doc->n_versions; v++) {
        const zl_version *ver = &doc->versions[v];
        zl_buf_printf(out, "  %-5s line %u, %u paragraphs\n", zl_lang_name(ver->lang),
                      (unsigned)zl_doc_pos(doc, ver->text_off).line,
                      (unsigned)(ver->para_end - ver->para_first));
    }
    zl_buf_puts(out, "sections:\n");
    for (uint32_t s = 0; s < doc->n_sections; s++) {
        const zl_section *sec = &doc->sections[s];
        for (uint8_t k = 1; k < sec->level; k++)
            zl_buf_puts(out, "  ");
        zl_buf_printf(out, "  [%s] level %u, line %u: %s\n", sec->number ? sec->number : "-",
                      (unsigned)sec->level, (unsigned)zl_doc_pos(doc, sec->text_off).line,
                      sec->title ? sec->title : "");
    }
    zl_buf_puts(out, "paragraphs:\n");
    uint32_t c = 0, s = 0;
    for (uint32_t i = 0; i < doc->n_paras; i++) {
        const zl_para *pa = &doc->paras[i];
        zl_buf_printf(out, "  para %u, line %u, %s", (unsigned)i,
                      (unsigned)zl_doc_pos(doc, pa->text_off).line, zl_lang_name(pa->lang));
        if (pa->section != ZL_NONE) {
            const zl_section *sec = &doc->sections[pa->section];
            zl_buf_printf(out, ", section %u (%s)", (unsigned)pa->section,
                          sec->number ? sec->number : "-");
        }
        zl_buf_putc(out, '\n');
        for (; c < doc->n_clauses && doc->clauses[c].tok.first < pa->tok.end; c++) {
            const zl_clause *cl = &doc->clauses[c];
            zl_pos p = zl_doc_pos(doc, tok_start(doc, cl->tok.first));
            zl_buf_printf(out, "    clause %s (level %u) %u:%u\n",
                          cl->number ? cl->number : "(none)", (unsigned)cl->level, (unsigned)p.line,
                          (unsigned)p.col);
            for (; s < doc->n_sentences && doc->sentences[s].tok.first < cl->tok.end; s++) {
                const zl_sentence *se = &doc->sentences[s];
                uint32_t so = tok_start(doc, se->tok.first);
                zl_pos a = zl_doc_pos(doc, so);
                excerpt(&ex, doc, so, tok_end(doc, se->tok.end - 1));
                zl_buf_printf(out, "      %u:%u %s\n", (unsigned)a.line, (unsigned)a.col,
                              ex.data ? ex.data : "");
            }
        }
    }
    zl_buf_free(&ex);
}

void zl_report_segments(zl_buf *out, const zl_doc *doc, int json)
{
    if (json)
        report_json(out, doc);
    else
        report_text(out, doc);
}
