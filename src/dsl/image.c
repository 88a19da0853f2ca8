/*
 * image.c - loading a pack from a build-time image (image.h), and the
 * canonical dump that proves an image equal to the pack it was made from.
 */
#include "dsl/image.h"

#include <stdlib.h>
#include <string.h>

#include "dsl/pack_impl.h"
#include "util/xalloc.h"

/* Compiles every regex atom from its pattern, as compile.c does. */
static int compile_regexes(zl_pack *p, zl_diags *d)
{
    for (uint32_t i = 0; i < p->n_atoms; i++) {
        zl_atom *a = &p->atoms[i];
        if (a->kind != ZL_ATOM_REGEX)
            continue;
        int err;
        PCRE2_SIZE erroff;
        a->re = pcre2_compile((PCRE2_SPTR)a->pattern, PCRE2_ZERO_TERMINATED, ZL_REGEX_OPTIONS, &err,
                              &erroff, NULL);
        if (!a->re) {
            PCRE2_UCHAR msg[256];
            if (pcre2_get_error_message(err, msg, sizeof msg) < 0)
                memcpy(msg, "unknown error", sizeof "unknown error");
            zl_diags_add(d, ZL_D_DSL_REGEX, a->file, 0, 0, (const char *)msg);
            return ZL_ERR;
        }
    }
    return ZL_OK;
}

/* Decodes the serialized codes into the regex atoms, in order; 0 when the
 * PCRE2 library refuses them (nothing is set then). */
static int decode_regexes(zl_pack *p, const zl_pack_image *img)
{
    if (img->n_regexes == 0)
        return 1;
    if (pcre2_serialize_get_number_of_codes(img->regexes) != (int32_t)img->n_regexes)
        return 0;
    pcre2_code **codes = zl_xmalloc(img->n_regexes * sizeof *codes);
    int32_t got = pcre2_serialize_decode(codes, (int32_t)img->n_regexes, img->regexes, NULL);
    if (got != (int32_t)img->n_regexes) {
        for (int32_t k = 0; k < got; k++)
            pcre2_code_free(codes[k]);
        free(codes);
        return 0;
    }
    uint32_t k = 0;
    for (uint32_t i = 0; i < p->n_atoms; i++)
        if (p->atoms[i].kind == ZL_ATOM_REGEX)
            p->atoms[i].re = codes[k++];
    free(codes);
    return 1;
}

int zl_pack_from_image(const zl_pack_image *img, int recompile, zl_pack **out, zl_diags *d)
{
    zl_pack *p;
    zl_pack_new(&p);
    p->compiled = 1;
    p->name = img->name;
    p->version = img->version;
    p->rules = img->rules;
    p->n_rules = img->n_rules;
    p->n_atoms = img->n_atoms;
    if (img->n_atoms && !atomic_flag_test_and_set(img->borrowed)) {
        p->atoms = img->atoms; /* the first load: the regexes are set in place */
    } else if (img->n_atoms) {
        p->atoms = zl_arena_memdup(p->arena, img->atoms, img->n_atoms * sizeof *img->atoms);
        for (uint32_t i = 0; i < p->n_atoms; i++)
            p->atoms[i].re = NULL; /* the image's may be an earlier load's, maybe freed */
    } else {
        p->atoms = NULL;
    }
    uint32_t n_regexes = 0;
    for (uint32_t i = 0; i < p->n_atoms; i++)
        n_regexes += p->atoms[i].kind == ZL_ATOM_REGEX;
    int ok = n_regexes == img->n_regexes;
    if (ok && (recompile || !decode_regexes(p, img)))
        ok = compile_regexes(p, d) == ZL_OK;
    else if (!ok)
        zl_diags_add(d, ZL_D_DSL_SEMANTIC, NULL, 0, 0, "the built-in rule pack image is corrupt");
    if (!ok) {
        zl_pack_free(p);
        *out = NULL;
        return ZL_ERR;
    }
    *out = p;
    return ZL_OK;
}

/* ---- the canonical dump -------------------------------------------------- */

typedef struct dumper {
    zl_buf *b;
    const zl_expr **seen;  /* hash set of visited nodes; their ids in `ids` */
    uint32_t *ids;
    size_t n_slots, n_seen;
} dumper;

static void put_str(zl_buf *b, const char *s, size_t n)
{
    if (!s) {
        zl_buf_puts(b, "null");
        return;
    }
    zl_buf_json_str(b, s, n);
}

static void put_cstr(zl_buf *b, const char *s)
{
    put_str(b, s, s ? strlen(s) : 0);
}

static size_t ptr_hash(const void *x, size_t mask)
{
    uint64_t v = (uint64_t)(uintptr_t)x;
    return (size_t)((v * 0x9E3779B97F4A7C15ull) >> 17) & mask;
}

/* The id of node e and whether it was new. */
static uint32_t node_id(dumper *u, const zl_expr *e, int *fresh)
{
    if ((u->n_seen + 1) * 2 > u->n_slots) {
        size_t ns = u->n_slots ? u->n_slots * 2 : 1024;
        const zl_expr **seen = zl_xcalloc(ns, sizeof *seen);
        uint32_t *ids = zl_xcalloc(ns, sizeof *ids);
        for (size_t i = 0; i < u->n_slots; i++) {
            if (!u->seen[i])
                continue;
            size_t h = ptr_hash(u->seen[i], ns - 1);
            while (seen[h])
                h = (h + 1) & (ns - 1);
            seen[h] = u->seen[i];
            ids[h] = u->ids[i];
        }
        free(u->seen);
        free(u->ids);
        u->seen = seen;
        u->ids = ids;
        u->n_slots = ns;
    }
    size_t h = ptr_hash(e, u->n_slots - 1);
    while (u->seen[h] && u->seen[h] != e)
        h = (h + 1) & (u->n_slots - 1);
    *fresh = !u->seen[h];
    if (*fresh) {
        u->seen[h] = e;
        u->ids[h] = (uint32_t)u->n_seen++;
    }
    return u->ids[h];
}

static void dump_expr(dumper *u, const zl_expr *e)
{
    static const char *const kinds[] = {"atom", "or", "and", "near", "then", "not"};
    if (!e) {
        zl_buf_puts(u->b, "-");
        return;
    }
    int fresh;
    uint32_t id = node_id(u, e, &fresh);
    if (!fresh) {
        zl_buf_printf(u->b, "#%u", id);
        return;
    }
    zl_buf_printf(u->b, "#%u=%s", id, (unsigned)e->kind < 6 ? kinds[e->kind] : "?");
    if (e->kind == ZL_EX_ATOM) {
        zl_buf_printf(u->b, "(%u)", e->atom);
        return;
    }
    if (e->kind == ZL_EX_NEAR || e->kind == ZL_EX_THEN)
        zl_buf_printf(u->b, "/%u", e->dist);
    zl_buf_putc(u->b, '(');
    dump_expr(u, e->a);
    zl_buf_putc(u->b, ' ');
    dump_expr(u, e->b);
    zl_buf_putc(u->b, ')');
}

static void dump_texts(zl_buf *b, const char *what, const char *const t[ZL_NLANG])
{
    zl_buf_printf(b, "  %s", what);
    for (int l = 0; l < ZL_NLANG; l++) {
        zl_buf_putc(b, ' ');
        put_cstr(b, t[l]);
    }
    zl_buf_putc(b, '\n');
}

static void dump_rule(dumper *u, const zl_rule *r)
{
    zl_buf *b = u->b;
    zl_buf_puts(b, "rule ");
    put_cstr(b, r->id);
    zl_buf_printf(b, " index %u severity %d file ", r->index, (int)r->severity);
    put_cstr(b, r->file);
    zl_buf_printf(b, ":%u since %d until %d article ", r->line, (int)r->since, (int)r->until);
    put_cstr(b, r->article);
    zl_buf_putc(b, '\n');
    dump_texts(b, "title", r->title);
    dump_texts(b, "message", r->message);
    dump_texts(b, "suggest", r->suggest);
    zl_buf_printf(b, "  tags %u", r->n_tags);
    for (uint32_t i = 0; i < r->n_tags; i++) {
        zl_buf_putc(b, ' ');
        put_cstr(b, r->tags[i]);
    }
    zl_buf_puts(b, "\n  anchor ");
    dump_expr(u, r->anchor);
    zl_buf_putc(b, '\n');
    for (uint32_t i = 0; i < r->n_stmts; i++) {
        const zl_stmt *s = &r->stmts[i];
        zl_buf_printf(b, "  stmt %d line %u scope %d at_least %u\n    expr ", (int)s->kind, s->line,
                      (int)s->scope, s->at_least);
        dump_expr(u, s->expr);
        zl_buf_puts(b, "\n    unless ");
        dump_expr(u, s->unless);
        zl_buf_putc(b, '\n');
        for (uint32_t m = 0; m < s->n_members; m++) {
            zl_buf_puts(b, "    member ");
            dump_expr(u, s->members[m].expr);
            for (int l = 0; l < ZL_NLANG; l++) {
                zl_buf_putc(b, ' ');
                put_cstr(b, s->members[m].label[l]);
            }
            zl_buf_putc(b, '\n');
        }
        for (uint32_t w = 0; w < s->n_whens; w++) {
            zl_buf_printf(b, "    when scope %d has_scope %u ", (int)s->whens[w].scope,
                          (unsigned)s->whens[w].has_scope);
            dump_expr(u, s->whens[w].expr);
            zl_buf_putc(b, '\n');
        }
    }
    for (uint32_t i = 0; i < r->n_examples; i++) {
        const zl_example *x = &r->examples[i];
        zl_buf_printf(b, "  example %s line %u len %zu ", x->pass ? "pass" : "fail", x->line, x->len);
        put_str(b, x->text, x->len);
        zl_buf_putc(b, '\n');
    }
}

static void dump_atom(zl_buf *b, uint32_t i, const zl_atom *a)
{
    uint32_t line, col;
    zl_pack_atom_pos(a, &line, &col);
    zl_buf_printf(b, "atom %u at ", i);
    put_cstr(b, a->file);
    zl_buf_printf(b, ":%u:%u off %u", line, col, a->off);
    if (a->kind == ZL_ATOM_PHRASE) {
        zl_buf_printf(b, " phrase %u", a->n_terms);
        for (uint32_t k = 0; k < a->n_terms; k++) {
            zl_buf_puts(b, a->terms[k].prefix ? " *" : " =");
            put_str(b, a->terms[k].text, a->terms[k].len);
        }
        zl_buf_putc(b, '\n');
        return;
    }
    zl_buf_puts(b, " regex ");
    put_cstr(b, a->pattern);
    if (!a->re) {
        zl_buf_puts(b, " (not compiled)\n");
        return;
    }
    uint32_t all = 0, arg = 0, minlen = 0, caps = 0, first = 0, last = 0;
    size_t size = 0;
    pcre2_pattern_info(a->re, PCRE2_INFO_ALLOPTIONS, &all);
    pcre2_pattern_info(a->re, PCRE2_INFO_ARGOPTIONS, &arg);
    pcre2_pattern_info(a->re, PCRE2_INFO_MINLENGTH, &minlen);
    pcre2_pattern_info(a->re, PCRE2_INFO_CAPTURECOUNT, &caps);
    pcre2_pattern_info(a->re, PCRE2_INFO_FIRSTCODETYPE, &first);
    pcre2_pattern_info(a->re, PCRE2_INFO_LASTCODETYPE, &last);
    pcre2_pattern_info(a->re, PCRE2_INFO_SIZE, &size);
    zl_buf_printf(b, " options %#x/%#x minlen %u captures %u first %u last %u size %zu\n", all, arg,
                  minlen, caps, first, last, size);
}

void zl_pack_dump(const zl_pack *p, zl_buf *out)
{
    dumper u;
    memset(&u, 0, sizeof u);
    u.b = out;
    zl_buf_puts(out, "pack ");
    put_cstr(out, zl_pack_name(p));
    zl_buf_puts(out, " version ");
    put_cstr(out, zl_pack_version(p));
    zl_buf_printf(out, "\nrules %u atoms %u\n", zl_pack_rule_count(p), zl_pack_atom_count(p));
    for (uint32_t i = 0; i < zl_pack_rule_count(p); i++)
        dump_rule(&u, zl_pack_rule(p, i));
    zl_buf_printf(out, "nodes %zu\n", u.n_seen);
    for (uint32_t i = 0; i < zl_pack_atom_count(p); i++)
        dump_atom(out, i, zl_pack_atom(p, i));
    free(u.seen);
    free(u.ids);
}
