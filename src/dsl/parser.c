/*
 * parser.c - recursive-descent parser of the rule language: tokens from
 * lexer.c in, one zl_ast_file (ast.h) out, for compile.c.
 *
 * Each function parses one production of docs/rule-language.md, quoted in
 * the comment above it.  A syntax error is reported once, with what was
 * expected and what it closes (Lua's lparser.c style), then the parser skips
 * to the next top-level `rule`, `define` or `pack` and goes on, so one run
 * reports every error of a file.  Checks that need only one rule (missing
 * severity, message or examples, bad dates, at-least counts) are done here
 * too; they do not interrupt parsing.
 */
#include "dsl/ast.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/buf.h"

#define MAX_DEPTH 200
#define DEFAULT_DIST 10

typedef struct parser {
    zl_lexer lx;
    zl_tok tok;
    zl_arena *a;
    const zl_src *src;
    zl_diags *d;
    size_t errors;
    int failed;    /* a syntax error: unwind to the top level and resynchronize */
    unsigned depth;
    char desc[96];
    zl_ast_define **def_tail;
    zl_ast_rule **rule_tail;
    zl_ast_pack **pack_tail;
} parser;

/* ---- helpers ------------------------------------------------------------- */

static void next(parser *p)
{
    zl_lexer_next(&p->lx, &p->tok);
}

static uint32_t line_of(const parser *p, uint32_t off)
{
    return zl_src_line(p->src, off);
}

/* How a token is named in "got X". */
static const char *tok_desc(parser *p, const zl_tok *t)
{
    switch (t->kind) {
    case ZL_TK_WORD:
    case ZL_TK_NUMBER:
    case ZL_TK_DATE:
        snprintf(p->desc, sizeof p->desc, "'%.*s'", t->len > 48 ? 48 : (int)t->len,
                 p->src->text + t->off);
        return p->desc;
    default:
        return zl_tk_name(t->kind);
    }
}

static void vreport(parser *p, zl_diag_id id, uint32_t off, uint32_t len, const char *fmt,
                    va_list ap)
{
    zl_buf b = ZL_BUF_INIT;
    zl_buf_vprintf(&b, fmt, ap);
    zl_src_error(p->d, id, p->src, off, len, "%s", b.data);
    zl_buf_free(&b);
    p->errors++;
}

/* A syntax error at token t: reported unless the lexer already did, and the
 * parser unwinds to resynchronize. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void syntax_error(parser *p, const zl_tok *t, const char *fmt, ...)
{
    if (!p->failed && t->kind != ZL_TK_ERROR) {
        va_list ap;
        va_start(ap, fmt);
        vreport(p, ZL_D_DSL_SYNTAX, t->off, t->len, fmt, ap);
        va_end(ap);
    }
    p->failed = 1;
}

/* A semantic error: reported, parsing goes on. */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void semantic_error(parser *p, uint32_t off, uint32_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(p, ZL_D_DSL_SEMANTIC, off, len, fmt, ap);
    va_end(ap);
}

static int accept(parser *p, zl_tk k)
{
    if (p->tok.kind != k)
        return 0;
    next(p);
    return 1;
}

/* Consumes a token of kind k or reports "expected K after WHAT, got X". */
static int expect(parser *p, zl_tk k, const char *after)
{
    if (p->tok.kind == k) {
        next(p);
        return 1;
    }
    syntax_error(p, &p->tok, "expected %s after %s, got %s", zl_tk_name(k), after,
                 tok_desc(p, &p->tok));
    return 0;
}

/* Consumes the closing token `what` of `who` opened at line `line`. */
static int expect_close(parser *p, zl_tk what, const char *who, uint32_t line)
{
    if (p->tok.kind == what) {
        next(p);
        return 1;
    }
    syntax_error(p, &p->tok, "expected %s to close '%s' at line %u, got %s", zl_tk_name(what),
                 who, line, tok_desc(p, &p->tok));
    return 0;
}

static void *grow(parser *p, void *arr, uint32_t n, uint32_t *cap, size_t elem)
{
    if (n < *cap)
        return arr;
    uint32_t nc = *cap ? *cap * 2 : 4;
    void *na = zl_arena_alloc(p->a, (size_t)nc * elem);
    if (n)
        memcpy(na, arr, (size_t)n * elem);
    *cap = nc;
    return na;
}

static int is_word_token(zl_tk k)
{
    return k == ZL_TK_WORD || k >= ZL_TK_FIRST_KEYWORD;
}

/* RULE_ID: letters, digits, '.', '-', '_', starting with a letter. */
static const char *rule_id(parser *p, const char *what)
{
    const zl_tok *t = &p->tok;
    const char *s = p->src->text + t->off;
    if (!is_word_token(t->kind) || s[0] == '_') {
        syntax_error(p, t, "expected %s, got %s", what, tok_desc(p, t));
        return NULL;
    }
    const char *id = zl_arena_strndup(p->a, s, t->len);
    next(p);
    return id;
}

static int valid_name(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || c == '_' || (i > 0 && c >= '0' && c <= '9')))
            return 0;
    }
    return n > 0;
}

/* NAME: [a-z_][a-z0-9_]*, not a keyword. */
static const char *name(parser *p, const char *what)
{
    const zl_tok *t = &p->tok;
    if (t->kind != ZL_TK_WORD) {
        syntax_error(p, t, "expected %s, got %s", what, tok_desc(p, t));
        return NULL;
    }
    const char *s = p->src->text + t->off;
    if (!valid_name(s, t->len)) {
        syntax_error(p, t, "invalid name '%.*s' (names are lower-case letters, digits and '_')",
                     (int)t->len, s);
        return NULL;
    }
    const char *n = zl_arena_strndup(p->a, s, t->len);
    next(p);
    return n;
}

int zl_date_valid(uint64_t v)
{
    uint64_t y = v / 10000, m = v / 100 % 100, d = v % 100;
    static const unsigned char mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return 0;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 0;
    return 1;
}

/* ---- expressions --------------------------------------------------------- */

static zl_ast_expr *expr(parser *p);

static zl_ast_expr *node(parser *p, zl_ast_kind k, const zl_tok *t)
{
    zl_ast_expr *e = zl_arena_calloc(p->a, 1, sizeof *e);
    e->kind = k;
    e->src = p->src;
    e->off = t->off;
    e->len = t->len;
    return e;
}

static int starts_expr(zl_tk k)
{
    return k == ZL_TK_STRING || k == ZL_TK_REGEX || k == ZL_TK_WORD || k == ZL_TK_LPAREN ||
           k == ZL_TK_NOT;
}

/* primary -> STRING | REGEX | NAME | "(" expr ")" */
static zl_ast_expr *primary(parser *p)
{
    zl_tok t = p->tok;
    switch (t.kind) {
    case ZL_TK_STRING:
    case ZL_TK_REGEX: {
        zl_ast_expr *e = node(p, t.kind == ZL_TK_STRING ? ZL_AST_STRING : ZL_AST_REGEX, &t);
        e->text = t.text;
        e->text_len = t.text_len;
        next(p);
        return e;
    }
    case ZL_TK_WORD: {
        const char *n = name(p, "expression");
        if (!n)
            return NULL;
        zl_ast_expr *e = node(p, ZL_AST_NAME, &t);
        e->text = n;
        e->text_len = t.len;
        return e;
    }
    case ZL_TK_LPAREN: {
        next(p);
        zl_ast_expr *e = expr(p);
        if (!e || !expect_close(p, ZL_TK_RPAREN, "(", line_of(p, t.off)))
            return NULL;
        return e;
    }
    default:
        syntax_error(p, &t, "expected expression, got %s", tok_desc(p, &t));
        return NULL;
    }
}

/* unary -> "not" unary | primary */
static zl_ast_expr *unary(parser *p)
{
    if (++p->depth > MAX_DEPTH) {
        syntax_error(p, &p->tok, "expression nested too deeply (more than %d levels)", MAX_DEPTH);
        p->depth--;
        return NULL;
    }
    zl_ast_expr *e;
    if (p->tok.kind == ZL_TK_NOT) {
        zl_tok t = p->tok;
        next(p);
        zl_ast_expr *a = unary(p);
        e = NULL;
        if (a) {
            e = node(p, ZL_AST_NOT, &t);
            e->a = a;
        }
    } else {
        e = primary(p);
    }
    p->depth--;
    return e;
}

/* prox_expr -> unary { ( "near" | "then" ) [ "/" NUMBER ] unary } */
static zl_ast_expr *prox_expr(parser *p)
{
    zl_ast_expr *e = unary(p);
    while (e && (p->tok.kind == ZL_TK_NEAR || p->tok.kind == ZL_TK_THEN)) {
        zl_tok op = p->tok;
        const char *opname = op.kind == ZL_TK_NEAR ? "near" : "then";
        uint32_t dist = DEFAULT_DIST;
        next(p);
        if (accept(p, ZL_TK_SLASH)) {
            zl_tok n = p->tok;
            if (n.kind != ZL_TK_NUMBER) {
                syntax_error(p, &n, "expected number after '%s/', got %s", opname,
                             tok_desc(p, &n));
                return NULL;
            }
            if (n.num == 0)
                semantic_error(p, op.off, n.off + n.len - op.off,
                               "%s/0: distance must be at least 1", opname);
            dist = (uint32_t)n.num;
            next(p);
        }
        zl_ast_expr *b = unary(p);
        if (!b)
            return NULL;
        zl_ast_expr *x = node(p, op.kind == ZL_TK_NEAR ? ZL_AST_NEAR : ZL_AST_THEN, &op);
        x->a = e;
        x->b = b;
        x->dist = dist;
        e = x;
    }
    return e;
}

/* and_expr -> prox_expr { "&" prox_expr } */
static zl_ast_expr *and_expr(parser *p)
{
    zl_ast_expr *e = prox_expr(p);
    while (e && p->tok.kind == ZL_TK_AMP) {
        zl_tok op = p->tok;
        next(p);
        if (!starts_expr(p->tok.kind)) {
            syntax_error(p, &p->tok, "expected expression after '&', got %s",
                         tok_desc(p, &p->tok));
            return NULL;
        }
        zl_ast_expr *b = prox_expr(p);
        if (!b)
            return NULL;
        zl_ast_expr *x = node(p, ZL_AST_AND, &op);
        x->a = e;
        x->b = b;
        e = x;
    }
    return e;
}

/* expr -> and_expr { "|" and_expr } */
static zl_ast_expr *expr(parser *p)
{
    zl_ast_expr *e = and_expr(p);
    while (e && p->tok.kind == ZL_TK_PIPE) {
        zl_tok op = p->tok;
        next(p);
        if (!starts_expr(p->tok.kind)) {
            if (p->tok.kind != ZL_TK_ERROR)
                syntax_error(p, &op, "empty alternative");
            p->failed = 1;
            return NULL;
        }
        zl_ast_expr *b = and_expr(p);
        if (!b)
            return NULL;
        zl_ast_expr *x = node(p, ZL_AST_OR, &op);
        x->a = e;
        x->b = b;
        e = x;
    }
    return e;
}

/* ---- rules --------------------------------------------------------------- */

/* scope -> "sentence" | "clause" | "paragraph" | "section" | "document" */
static int scope(parser *p, zl_scope *out)
{
    switch (p->tok.kind) {
    case ZL_TK_SENTENCE: *out = ZL_SCOPE_SENTENCE; break;
    case ZL_TK_CLAUSE: *out = ZL_SCOPE_CLAUSE; break;
    case ZL_TK_PARAGRAPH: *out = ZL_SCOPE_PARAGRAPH; break;
    case ZL_TK_SECTION: *out = ZL_SCOPE_SECTION; break;
    case ZL_TK_DOCUMENT: *out = ZL_SCOPE_DOCUMENT; break;
    case ZL_TK_WORD:
        syntax_error(p, &p->tok,
                     "unknown scope %s (expected sentence, clause, paragraph, section or document)",
                     tok_desc(p, &p->tok));
        return 0;
    default:
        syntax_error(p, &p->tok, "expected scope after 'in', got %s", tok_desc(p, &p->tok));
        return 0;
    }
    next(p);
    return 1;
}

/* Parses an optional `in SCOPE`; returns 0 on a syntax error. */
static int opt_scope(parser *p, zl_scope *out, uint8_t *has)
{
    *out = ZL_SCOPE_SENTENCE;
    if (has)
        *has = 0;
    if (!accept(p, ZL_TK_IN))
        return 1;
    if (has)
        *has = 1;
    return scope(p, out);
}

static int lang_of(zl_tk k)
{
    return k == ZL_TK_RU ? ZL_MSG_RU : k == ZL_TK_KK ? ZL_MSG_KK : k == ZL_TK_EN ? ZL_MSG_EN : -1;
}

/* texts -> lang STRING { lang STRING } ;  lang -> "ru" | "kk" | "en" */
static int texts(parser *p, const char *out[ZL_NLANG], const char *after)
{
    if (lang_of(p->tok.kind) < 0) {
        syntax_error(p, &p->tok, "expected 'ru', 'kk' or 'en' after %s, got %s", after,
                     tok_desc(p, &p->tok));
        return 0;
    }
    while (lang_of(p->tok.kind) >= 0) {
        zl_tok lt = p->tok;
        int l = lang_of(lt.kind);
        next(p);
        if (p->tok.kind != ZL_TK_STRING) {
            syntax_error(p, &p->tok, "expected string after %s, got %s", zl_tk_name(lt.kind),
                         tok_desc(p, &p->tok));
            return 0;
        }
        if (out[l])
            semantic_error(p, lt.off, lt.len, "duplicate %s text", zl_tk_name(lt.kind));
        out[l] = p->tok.text;
        next(p);
    }
    return 1;
}

/* member -> expr [ "as" texts ] */
static int member(parser *p, zl_ast_member *m)
{
    memset(m, 0, sizeof *m);
    m->expr = expr(p);
    if (!m->expr)
        return 0;
    if (accept(p, ZL_TK_AS))
        return texts(p, m->label, "'as'");
    return 1;
}

/* require -> "require" ( expr | "at-least" NUMBER "of" "(" member { "," member } [ "," ] ")" )
 *            [ "in" scope ] */
static int require(parser *p, zl_ast_stmt *st)
{
    next(p);
    if (p->tok.kind != ZL_TK_AT_LEAST) {
        st->kind = ZL_ST_REQUIRE;
        st->expr = expr(p);
        if (!st->expr)
            return 0;
        return opt_scope(p, &st->scope, NULL);
    }
    st->kind = ZL_ST_REQUIRE_AT_LEAST;
    next(p);
    zl_tok k = p->tok;
    if (k.kind != ZL_TK_NUMBER) {
        syntax_error(p, &k, "expected number after 'at-least', got %s", tok_desc(p, &k));
        return 0;
    }
    next(p);
    if (!expect(p, ZL_TK_OF, "'at-least N'"))
        return 0;
    uint32_t open_line = line_of(p, p->tok.off);
    if (!expect(p, ZL_TK_LPAREN, "'of'"))
        return 0;
    uint32_t cap = 0;
    do {
        if (p->tok.kind == ZL_TK_RPAREN && st->n_members > 0)
            break; /* trailing comma */
        st->members = grow(p, st->members, st->n_members, &cap, sizeof *st->members);
        if (!member(p, &st->members[st->n_members]))
            return 0;
        st->n_members++;
    } while (accept(p, ZL_TK_COMMA));
    if (!expect_close(p, ZL_TK_RPAREN, "(", open_line))
        return 0;
    st->at_least = (uint32_t)k.num;
    if (k.num == 0)
        semantic_error(p, k.off, k.len, "at-least 0: the count must be at least 1");
    else if (k.num > st->n_members)
        semantic_error(p, k.off, k.len, "at-least %u of %u members", (unsigned)k.num,
                       (unsigned)st->n_members);
    return opt_scope(p, &st->scope, NULL);
}

/* forbid -> "forbid" expr [ "in" scope ] [ "unless" expr ] */
static int forbid(parser *p, zl_ast_stmt *st)
{
    next(p);
    st->kind = ZL_ST_FORBID;
    st->expr = expr(p);
    if (!st->expr || !opt_scope(p, &st->scope, NULL))
        return 0;
    if (accept(p, ZL_TK_UNLESS)) {
        st->unless = expr(p);
        if (!st->unless)
            return 0;
    }
    return 1;
}

/* item -> { when } ( require | forbid ) ;  when -> "when" expr [ "in" scope ] */
static int statement(parser *p, zl_ast_stmt *st)
{
    memset(st, 0, sizeof *st);
    uint32_t cap = 0;
    while (p->tok.kind == ZL_TK_WHEN) {
        next(p);
        st->whens = grow(p, st->whens, st->n_whens, &cap, sizeof *st->whens);
        zl_ast_when *w = &st->whens[st->n_whens++];
        w->expr = expr(p);
        if (!w->expr || !opt_scope(p, &w->scope, &w->has_scope))
            return 0;
    }
    st->off = p->tok.off;
    if (p->tok.kind == ZL_TK_REQUIRE)
        return require(p, st);
    if (p->tok.kind == ZL_TK_FORBID)
        return forbid(p, st);
    syntax_error(p, &p->tok, "expected 'require' or 'forbid' after 'when', got %s",
                 tok_desc(p, &p->tok));
    return 0;
}

/* The metadata items that may appear once per rule. */
enum { M_SEVERITY, M_ARTICLE, M_SINCE, M_UNTIL, M_TITLE, M_MESSAGE, M_SUGGEST, M_ANCHOR, M__N };

/* Checks that a once-only item is not repeated; records where it was first. */
static void once(parser *p, zl_ast_rule *r, uint32_t seen[M__N], int m, const zl_tok *t)
{
    if (seen[m])
        semantic_error(p, t->off, t->len, "duplicate %s in rule '%s' (first at line %u)",
                       zl_tk_name(t->kind), r->id, line_of(p, seen[m] - 1));
    else
        seen[m] = t->off + 1;
}

/* A DATE token, validated; 0 on error (reported). */
static int32_t date(parser *p, const char *after)
{
    zl_tok t = p->tok;
    if (t.kind != ZL_TK_DATE) {
        syntax_error(p, &t, "expected date (YYYY-MM-DD) after %s, got %s", after,
                     tok_desc(p, &t));
        return -1;
    }
    next(p);
    if (!zl_date_valid(t.num)) {
        semantic_error(p, t.off, t.len, "invalid date '%.*s'", (int)t.len, p->src->text + t.off);
        return 0;
    }
    return (int32_t)t.num;
}

/* After the closing '}': what every rule must have. */
static void check_rule(parser *p, const zl_ast_rule *r, int has_severity)
{
    static const char *const req[] = {"severity", "message"};
    int has[2] = {has_severity, r->message[0] || r->message[1] || r->message[2]};
    for (int i = 0; i < 2; i++)
        if (!has[i])
            semantic_error(p, r->id_off, r->id_len, "rule '%s' has no '%s'", r->id, req[i]);
    if (has[1] && !r->message[ZL_MSG_RU])
        semantic_error(p, r->id_off, r->id_len, "rule '%s' has no 'ru' message", r->id);
    if (r->n_stmts == 0)
        semantic_error(p, r->id_off, r->id_len, "rule '%s' has no 'require' or 'forbid'", r->id);
    int pass = 0, fail = 0;
    for (uint32_t i = 0; i < r->n_examples; i++) {
        if (r->examples[i].pass)
            pass = 1;
        else
            fail = 1;
    }
    if (!pass)
        semantic_error(p, r->id_off, r->id_len, "rule '%s' has no 'pass' example", r->id);
    if (!fail)
        semantic_error(p, r->id_off, r->id_len, "rule '%s' has no 'fail' example", r->id);
}

/* rule -> "rule" RULE_ID "{" { item } "}"
 * item -> "severity" ( "error" | "warning" | "info" ) | "article" STRING
 *       | "since" DATE | "until" DATE | "title" texts | "message" texts | "suggest" texts
 *       | "anchor" expr | "tags" RULE_ID { "," RULE_ID } | { when } ( require | forbid )
 *       | "pass" STRING | "fail" STRING */
static void rule(parser *p)
{
    zl_tok kw = p->tok;
    next(p);
    zl_tok idt = p->tok;
    const char *id = rule_id(p, "rule id after 'rule'");
    if (!id)
        return;
    zl_ast_rule *r = zl_arena_calloc(p->a, 1, sizeof *r);
    r->id = id;
    r->src = p->src;
    r->off = kw.off;
    r->id_off = idt.off;
    r->id_len = idt.len;
    r->severity = ZL_SEV_ERROR;
    uint32_t open_line = line_of(p, p->tok.off);
    if (!expect(p, ZL_TK_LBRACE, "the rule id"))
        return;
    uint32_t seen[M__N] = {0}, since_off = 0, until_off = 0;
    uint32_t cap_stmts = 0, cap_ex = 0, cap_tags = 0;
    for (;;) {
        zl_tok t = p->tok;
        switch (t.kind) {
        case ZL_TK_SEVERITY:
            once(p, r, seen, M_SEVERITY, &t);
            next(p);
            switch (p->tok.kind) {
            case ZL_TK_ERROR_KW: r->severity = ZL_SEV_ERROR; break;
            case ZL_TK_WARNING: r->severity = ZL_SEV_WARNING; break;
            case ZL_TK_INFO: r->severity = ZL_SEV_INFO; break;
            default:
                syntax_error(p, &p->tok,
                             "expected 'error', 'warning' or 'info' after 'severity', got %s",
                             tok_desc(p, &p->tok));
                return;
            }
            next(p);
            break;
        case ZL_TK_ARTICLE:
            once(p, r, seen, M_ARTICLE, &t);
            next(p);
            if (p->tok.kind != ZL_TK_STRING) {
                syntax_error(p, &p->tok, "expected string after 'article', got %s",
                             tok_desc(p, &p->tok));
                return;
            }
            r->article = p->tok.text;
            next(p);
            break;
        case ZL_TK_SINCE:
        case ZL_TK_UNTIL: {
            int is_since = t.kind == ZL_TK_SINCE;
            once(p, r, seen, is_since ? M_SINCE : M_UNTIL, &t);
            next(p);
            uint32_t doff = p->tok.off;
            int32_t v = date(p, zl_tk_name(t.kind));
            if (v < 0)
                return;
            if (is_since) {
                r->since = v;
                since_off = doff + 1;
            } else {
                r->until = v;
                until_off = doff + 1;
            }
            break;
        }
        case ZL_TK_TITLE:
        case ZL_TK_MESSAGE:
        case ZL_TK_SUGGEST: {
            int m = t.kind == ZL_TK_TITLE ? M_TITLE : t.kind == ZL_TK_MESSAGE ? M_MESSAGE : M_SUGGEST;
            once(p, r, seen, m, &t);
            next(p);
            const char **dst = m == M_TITLE ? r->title : m == M_MESSAGE ? r->message : r->suggest;
            const char *tmp[ZL_NLANG] = {0};
            if (!texts(p, seen[m] == t.off + 1 ? dst : tmp, zl_tk_name(t.kind)))
                return;
            break;
        }
        case ZL_TK_ANCHOR: {
            once(p, r, seen, M_ANCHOR, &t);
            next(p);
            zl_ast_expr *e = expr(p);
            if (!e)
                return;
            if (!r->anchor)
                r->anchor = e;
            break;
        }
        case ZL_TK_TAGS:
            next(p);
            do {
                const char *tag = rule_id(p, "tag");
                if (!tag)
                    return;
                r->tags = grow(p, r->tags, r->n_tags, &cap_tags, sizeof *r->tags);
                r->tags[r->n_tags++] = tag;
            } while (accept(p, ZL_TK_COMMA));
            break;
        case ZL_TK_WHEN:
        case ZL_TK_REQUIRE:
        case ZL_TK_FORBID:
            r->stmts = grow(p, r->stmts, r->n_stmts, &cap_stmts, sizeof *r->stmts);
            if (!statement(p, &r->stmts[r->n_stmts]))
                return;
            r->n_stmts++;
            break;
        case ZL_TK_PASS:
        case ZL_TK_FAIL: {
            next(p);
            if (p->tok.kind != ZL_TK_STRING) {
                syntax_error(p, &p->tok, "expected string after %s, got %s", zl_tk_name(t.kind),
                             tok_desc(p, &p->tok));
                return;
            }
            r->examples = grow(p, r->examples, r->n_examples, &cap_ex, sizeof *r->examples);
            zl_example *ex = &r->examples[r->n_examples++];
            ex->pass = t.kind == ZL_TK_PASS;
            ex->text = p->tok.text;
            ex->len = p->tok.text_len;
            ex->line = line_of(p, p->tok.off);
            next(p);
            break;
        }
        default:
            if (!expect_close(p, ZL_TK_RBRACE, "rule", open_line))
                return;
            if (since_off && until_off && r->since && r->until && r->since >= r->until)
                semantic_error(p, until_off - 1, 10,
                               "'since' %.10s is not before 'until' %.10s",
                               p->src->text + since_off - 1, p->src->text + until_off - 1);
            check_rule(p, r, seen[M_SEVERITY] != 0);
            *p->rule_tail = r;
            p->rule_tail = &r->next;
            return;
        }
    }
}

/* define -> "define" NAME "=" expr */
static void define(parser *p)
{
    zl_tok kw = p->tok;
    next(p);
    zl_tok nt = p->tok;
    const char *n = name(p, "name after 'define'");
    if (!n || !expect(p, ZL_TK_EQ, "the defined name"))
        return;
    zl_ast_expr *e = expr(p);
    if (!e)
        return;
    zl_ast_define *df = zl_arena_calloc(p->a, 1, sizeof *df);
    df->name = n;
    df->src = p->src;
    df->off = kw.off;
    df->name_off = nt.off;
    df->name_len = nt.len;
    df->expr = e;
    *p->def_tail = df;
    p->def_tail = &df->next;
}

/* pack -> "pack" RULE_ID "version" STRING */
static void pack(parser *p)
{
    zl_tok kw = p->tok;
    next(p);
    const char *n = rule_id(p, "pack name after 'pack'");
    if (!n || !expect(p, ZL_TK_VERSION, "the pack name"))
        return;
    if (p->tok.kind != ZL_TK_STRING) {
        syntax_error(p, &p->tok, "expected string after 'version', got %s", tok_desc(p, &p->tok));
        return;
    }
    zl_ast_pack *pk = zl_arena_calloc(p->a, 1, sizeof *pk);
    pk->name = n;
    pk->version = p->tok.text;
    pk->src = p->src;
    pk->off = kw.off;
    next(p);
    *p->pack_tail = pk;
    p->pack_tail = &pk->next;
}

/* file -> { pack | define | rule } */
size_t zl_parse(zl_arena *a, const zl_src *src, zl_ast_file *out, zl_diags *d)
{
    parser p;
    memset(&p, 0, sizeof p);
    memset(out, 0, sizeof *out);
    out->src = src;
    p.a = a;
    p.src = src;
    p.d = d;
    p.def_tail = &out->defines;
    p.rule_tail = &out->rules;
    p.pack_tail = &out->packs;

    size_t bad = src->utf8_valid ? SIZE_MAX : zl_src_check_utf8(src);
    if (bad != SIZE_MAX) {
        zl_src_error(d, ZL_D_DSL_SYNTAX, src, bad, 1, "invalid UTF-8 byte 0x%02X",
                     (unsigned)(unsigned char)src->text[bad]);
        return 1;
    }
    zl_lexer_init(&p.lx, src, a, d);
    next(&p);
    while (p.tok.kind != ZL_TK_EOF) {
        switch (p.tok.kind) {
        case ZL_TK_RULE: rule(&p); break;
        case ZL_TK_DEFINE: define(&p); break;
        case ZL_TK_PACK: pack(&p); break;
        default:
            syntax_error(&p, &p.tok, "expected 'rule', 'define' or 'pack', got %s",
                         tok_desc(&p, &p.tok));
            break;
        }
        if (p.failed) {
            /* Resynchronize at the next top-level declaration. */
            while (p.tok.kind != ZL_TK_EOF && p.tok.kind != ZL_TK_RULE &&
                   p.tok.kind != ZL_TK_DEFINE && p.tok.kind != ZL_TK_PACK)
                next(&p);
            p.failed = 0;
            p.depth = 0;
        }
    }
    return p.errors + p.lx.errors;
}
