/*
 * pack-image.c - build-time generator of the built-in pack image (see
 * src/dsl/image.h).  Linked with libzanlint.a; compiles the embedded pack
 * exactly as a run does (zl_pack_add_embedded + zl_pack_compile) and
 *
 *   pack-image c      writes C source with static initializers for the whole
 *                     compiled pack (the zl_pack_image zl_pack_image_builtin)
 *                     and the image of its atoms' match index
 *   pack-image dump   writes the canonical dump of the compiled pack
 *                     (zl_pack_dump), for comparing by hand
 *
 * Fails (exit 1) when compiling the embedded pack reports any diagnostic,
 * warnings included: a run from the image prints none, so it must have none.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsl/embedded.h"
#include "dsl/image.h"
#include "engine/engine.h"
#include "engine/match.h"
#include "util/xalloc.h"

/* ---- output helpers ------------------------------------------------------ */

/* A C string literal for s[0..n), or NULL.  Bytes outside printable ASCII
 * are octal escapes; '?' is escaped against trigraphs (-std=c11). */
static void put_str(FILE *o, const char *s, size_t n)
{
    if (!s) {
        fputs("NULL", o);
        return;
    }
    fputc('"', o);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\' || c == '?')
            fprintf(o, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", o);
        else if (c < 0x20 || c >= 0x7f)
            fprintf(o, "\\%03o", c);
        else
            fputc(c, o);
    }
    fputc('"', o);
}

static void put_cstr(FILE *o, const char *s)
{
    put_str(o, s, s ? strlen(s) : 0);
}

static void put_texts(FILE *o, const char *field, const char *const t[ZL_NLANG])
{
    fprintf(o, ", .%s = {", field);
    for (int l = 0; l < ZL_NLANG; l++) {
        if (l)
            fputs(", ", o);
        put_cstr(o, t[l]);
    }
    fputc('}', o);
}

/* ---- expression nodes: pointer -> index -------------------------------- */

typedef struct nodes {
    const zl_expr **list;  /* in post-order: operands before the node */
    size_t n, cap;
    const zl_expr **slot;  /* hash set over list */
    uint32_t *idx;
    size_t n_slots;
} nodes;

static size_t ptr_hash(const void *x, size_t mask)
{
    return (size_t)(((uint64_t)(uintptr_t)x * 0x9E3779B97F4A7C15ull) >> 17) & mask;
}

static size_t node_slot(const nodes *ns, const zl_expr *e)
{
    size_t h = ptr_hash(e, ns->n_slots - 1);
    while (ns->slot[h] && ns->slot[h] != e)
        h = (h + 1) & (ns->n_slots - 1);
    return h;
}

static uint32_t node_index(const nodes *ns, const zl_expr *e)
{
    return ns->idx[node_slot(ns, e)];
}

static void node_add(nodes *ns, const zl_expr *e)
{
    if (!e || (ns->n_slots && ns->slot[node_slot(ns, e)]))
        return;
    node_add(ns, e->a);
    node_add(ns, e->b);
    if ((ns->n + 1) * 2 > ns->n_slots) {
        size_t old = ns->n_slots;
        const zl_expr **os = ns->slot;
        uint32_t *oi = ns->idx;
        ns->n_slots = old ? old * 2 : 4096;
        ns->slot = zl_xcalloc(ns->n_slots, sizeof *ns->slot);
        ns->idx = zl_xcalloc(ns->n_slots, sizeof *ns->idx);
        for (size_t i = 0; i < old; i++)
            if (os[i]) {
                size_t h = node_slot(ns, os[i]);
                ns->slot[h] = os[i];
                ns->idx[h] = oi[i];
            }
        free(os);
        free(oi);
    }
    size_t h = node_slot(ns, e);
    ns->slot[h] = e;
    ns->idx[h] = (uint32_t)ns->n;
    ns->list = zl_xgrow(ns->list, &ns->cap, ns->n + 1, sizeof *ns->list);
    ns->list[ns->n++] = e;
}

static void put_node(FILE *o, const nodes *ns, const zl_expr *e)
{
    if (e)
        fprintf(o, "&E[%u]", node_index(ns, e));
    else
        fputs("NULL", o);
}

/* ---- the image ----------------------------------------------------------- */

/* Index of the embedded file that `src` was made from. */
static size_t src_file(const zl_src *src)
{
    for (size_t f = 0; zl_embedded_rules[f].name; f++)
        if (zl_embedded_rules[f].data == src->text)
            return f;
    fprintf(stderr, "pack-image: atom source %s is not an embedded file\n", src->name);
    exit(1);
}

static void write_image(FILE *o, const zl_pack *p)
{
    uint32_t nr = zl_pack_rule_count(p), na = zl_pack_atom_count(p);
    nodes ns;
    memset(&ns, 0, sizeof ns);
    size_t n_terms = 0, n_stmts = 0, n_members = 0, n_whens = 0, n_tags = 0, n_examples = 0;
    for (uint32_t i = 0; i < nr; i++) {
        const zl_rule *r = zl_pack_rule(p, i);
        node_add(&ns, r->anchor);
        n_stmts += r->n_stmts;
        n_tags += r->n_tags;
        n_examples += r->n_examples;
        for (uint32_t s = 0; s < r->n_stmts; s++) {
            const zl_stmt *st = &r->stmts[s];
            node_add(&ns, st->expr);
            node_add(&ns, st->unless);
            for (uint32_t m = 0; m < st->n_members; m++)
                node_add(&ns, st->members[m].expr);
            for (uint32_t w = 0; w < st->n_whens; w++)
                node_add(&ns, st->whens[w].expr);
            n_members += st->n_members;
            n_whens += st->n_whens;
        }
    }

    fprintf(o, "/* generated by scripts/pack-image.c - do not edit */\n");
    fprintf(o, "#include <stddef.h>\n#include \"dsl/image.h\"\n\n");
    fprintf(o, "/* %u rules, %u atoms, %zu expression nodes */\n\n", nr, na, ns.n);

    /* Sources of the atoms' first uses: the embedded files, lines indexed. */
    size_t n_files = zl_embedded_rules_count;
    for (size_t f = 0; f < n_files; f++)
        fprintf(o, "extern const char zl_embedded_text_%zu[];\n", f);
    const zl_src **srcs = zl_xcalloc(n_files ? n_files : 1, sizeof *srcs);
    for (uint32_t i = 0; i < na; i++) {
        const zl_atom *a = zl_pack_atom(p, i);
        if (a->src)
            srcs[src_file(a->src)] = a->src;
    }
    for (size_t f = 0; f < n_files; f++) {
        if (!srcs[f])
            continue;
        fprintf(o, "static uint32_t L%zu[] = {", f);
        for (uint32_t k = 0; k < srcs[f]->n_lines; k++)
            fprintf(o, "%s%u,", k % 16 ? " " : "\n    ", srcs[f]->lines[k]);
        fprintf(o, "};\n");
    }
    fprintf(o, "static const zl_src S[] = {\n");
    for (size_t f = 0; f < n_files; f++) {
        if (!srcs[f]) {
            fprintf(o, "    {0},\n");
            continue;
        }
        fprintf(o, "    {.name = ");
        put_cstr(o, srcs[f]->name);
        fprintf(o, ", .text = zl_embedded_text_%zu, .len = %zu, .lines = L%zu, .n_lines = %u, "
                   ".utf8_valid = %u},\n",
                f, srcs[f]->len, f, srcs[f]->n_lines, (unsigned)srcs[f]->utf8_valid);
    }
    fprintf(o, "    {0}\n};\n\n");

    /* Atoms and their terms. */
    for (uint32_t i = 0; i < na; i++)
        if (zl_pack_atom(p, i)->kind == ZL_ATOM_PHRASE)
            n_terms += zl_pack_atom(p, i)->n_terms;
    fprintf(o, "static zl_term T[%zu] = {\n", n_terms + 1);
    for (uint32_t i = 0; i < na; i++) {
        const zl_atom *a = zl_pack_atom(p, i);
        if (a->kind != ZL_ATOM_PHRASE)
            continue;
        for (uint32_t k = 0; k < a->n_terms; k++) {
            fprintf(o, "    {");
            put_str(o, a->terms[k].text, a->terms[k].len);
            fprintf(o, ", %u, %u},\n", a->terms[k].len, (unsigned)a->terms[k].prefix);
        }
    }
    fprintf(o, "};\n");
    fprintf(o, "static zl_atom A[%u] = {\n", na ? na : 1);
    const pcre2_code **codes = zl_xcalloc(na ? na : 1, sizeof *codes);
    uint32_t n_codes = 0;
    n_terms = 0;
    for (uint32_t i = 0; i < na; i++) {
        const zl_atom *a = zl_pack_atom(p, i);
        if (a->kind == ZL_ATOM_PHRASE) {
            fprintf(o, "    {.kind = ZL_ATOM_PHRASE, .terms = &T[%zu], .n_terms = %u", n_terms,
                    a->n_terms);
            n_terms += a->n_terms;
        } else {
            fprintf(o, "    {.kind = ZL_ATOM_REGEX, .pattern = ");
            put_cstr(o, a->pattern);
            codes[n_codes++] = a->re;
        }
        fprintf(o, ", .file = ");
        put_cstr(o, a->file);
        if (a->src)
            fprintf(o, ", .src = &S[%zu]", src_file(a->src));
        fprintf(o, ", .off = %u},\n", a->off);
    }
    fprintf(o, "};\n\n");

    /* Expression nodes, operands first. */
    fprintf(o, "static const zl_expr E[%zu] = {\n", ns.n ? ns.n : 1);
    for (size_t i = 0; i < ns.n; i++) {
        const zl_expr *e = ns.list[i];
        fprintf(o, "    {.kind = %d, .atom = %u, .a = ", (int)e->kind, e->atom);
        put_node(o, &ns, e->a);
        fputs(", .b = ", o);
        put_node(o, &ns, e->b);
        fprintf(o, ", .dist = %u},\n", e->dist);
    }
    fprintf(o, "};\n\n");

    /* Members, whens, statements, tags, examples: one array each, with a
     * spare last element so an empty list still points into its array. */
    fprintf(o, "static zl_member M[%zu] = {\n", n_members + 1);
    for (uint32_t i = 0; i < nr; i++) {
        const zl_rule *r = zl_pack_rule(p, i);
        for (uint32_t s = 0; s < r->n_stmts; s++)
            for (uint32_t m = 0; m < r->stmts[s].n_members; m++) {
                const zl_member *mb = &r->stmts[s].members[m];
                fputs("    {.expr = ", o);
                put_node(o, &ns, mb->expr);
                put_texts(o, "label", mb->label);
                fputs("},\n", o);
            }
    }
    fprintf(o, "};\nstatic zl_when W[%zu] = {\n", n_whens + 1);
    for (uint32_t i = 0; i < nr; i++) {
        const zl_rule *r = zl_pack_rule(p, i);
        for (uint32_t s = 0; s < r->n_stmts; s++)
            for (uint32_t w = 0; w < r->stmts[s].n_whens; w++) {
                const zl_when *wh = &r->stmts[s].whens[w];
                fputs("    {.expr = ", o);
                put_node(o, &ns, wh->expr);
                fprintf(o, ", .scope = %d, .has_scope = %u},\n", (int)wh->scope,
                        (unsigned)wh->has_scope);
            }
    }
    fprintf(o, "};\nstatic zl_stmt ST[%zu] = {\n", n_stmts + 1);
    size_t im = 0, iw = 0;
    for (uint32_t i = 0; i < nr; i++) {
        const zl_rule *r = zl_pack_rule(p, i);
        for (uint32_t s = 0; s < r->n_stmts; s++) {
            const zl_stmt *st = &r->stmts[s];
            fprintf(o, "    {.kind = %d, .expr = ", (int)st->kind);
            put_node(o, &ns, st->expr);
            fprintf(o, ", .members = &M[%zu], .n_members = %u, .at_least = %u, .unless = ", im,
                    st->n_members, st->at_least);
            put_node(o, &ns, st->unless);
            fprintf(o, ", .scope = %d, .whens = &W[%zu], .n_whens = %u, .line = %u},\n",
                    (int)st->scope, iw, st->n_whens, st->line);
            im += st->n_members;
            iw += st->n_whens;
        }
    }
    fprintf(o, "};\nstatic const char *TG[%zu] = {\n", n_tags + 1);
    for (uint32_t i = 0; i < nr; i++) {
        const zl_rule *r = zl_pack_rule(p, i);
        for (uint32_t t = 0; t < r->n_tags; t++) {
            fputs("    ", o);
            put_cstr(o, r->tags[t]);
            fputs(",\n", o);
        }
    }
    fprintf(o, "};\nstatic zl_example X[%zu] = {\n", n_examples + 1);
    for (uint32_t i = 0; i < nr; i++) {
        const zl_rule *r = zl_pack_rule(p, i);
        for (uint32_t x = 0; x < r->n_examples; x++) {
            const zl_example *ex = &r->examples[x];
            fprintf(o, "    {%u, ", (unsigned)ex->pass);
            put_str(o, ex->text, ex->len);
            fprintf(o, ", %zu, %u},\n", ex->len, ex->line);
        }
    }
    fprintf(o, "};\n\n");

    /* Rules, sorted by id as compiled. */
    fprintf(o, "static zl_rule R[%u] = {\n", nr ? nr : 1);
    size_t is = 0, it = 0, ix = 0;
    for (uint32_t i = 0; i < nr; i++) {
        const zl_rule *r = zl_pack_rule(p, i);
        fputs("    {.id = ", o);
        put_cstr(o, r->id);
        fprintf(o, ", .severity = %d, .article = ", (int)r->severity);
        put_cstr(o, r->article);
        fprintf(o, ", .since = %d, .until = %d", (int)r->since, (int)r->until);
        fputs("\n    ", o);
        put_texts(o, "title", r->title);
        fputs("\n    ", o);
        put_texts(o, "message", r->message);
        fputs("\n    ", o);
        put_texts(o, "suggest", r->suggest);
        fputs("\n    , .anchor = ", o);
        put_node(o, &ns, r->anchor);
        if (r->tags)
            fprintf(o, ", .tags = &TG[%zu]", it);
        fprintf(o, ", .n_tags = %u, .stmts = &ST[%zu], .n_stmts = %u", r->n_tags, is, r->n_stmts);
        if (r->examples)
            fprintf(o, ", .examples = &X[%zu]", ix);
        fprintf(o, ", .n_examples = %u, .file = ", r->n_examples);
        put_cstr(o, r->file);
        fprintf(o, ", .line = %u, .index = %u},\n", r->line, r->index);
        is += r->n_stmts;
        it += r->n_tags;
        ix += r->n_examples;
    }
    fprintf(o, "};\n\n");

    /* The regex atoms' compiled codes, serialized (decoded at load). */
    uint8_t *bytes = NULL;
    PCRE2_SIZE size = 0;
    if (n_codes) {
        int32_t rc = pcre2_serialize_encode(codes, (int32_t)n_codes, &bytes, &size, NULL);
        if (rc != (int32_t)n_codes) {
            fprintf(stderr, "pack-image: pcre2_serialize_encode failed (%d)\n", (int)rc);
            exit(1);
        }
    }
    fprintf(o, "static _Alignas(16) const unsigned char RX[%zu] = {", (size_t)size + 1);
    for (PCRE2_SIZE k = 0; k < size; k++)
        fprintf(o, "%s%u,", k % 24 ? "" : "\n    ", (unsigned)bytes[k]);
    fprintf(o, "\n};\n\n");
    if (bytes)
        pcre2_serialize_free(bytes);

    /* The atoms' match index (engine/match.h), adopted by the first
     * engine made over the borrowed atoms. */
    const zl_atom **ap = malloc((na ? na : 1) * sizeof *ap);
    for (uint32_t i = 0; i < na; i++)
        ap[i] = zl_pack_atom(p, i);
    zl_match_index *mix = zl_match_index_new(ap, na);
    zl_buf mb = ZL_BUF_INIT;
    size_t mlen = zl_match_index_image(mix, &mb);
    zl_match_index_free(mix);
    free(ap);
    fprintf(o, "static const uint64_t MI[%zu] = {", mlen / 8 + 1);
    for (size_t k = 0; k < mlen / 8; k++) {
        uint64_t w;
        memcpy(&w, mb.data + k * 8, 8);
        fprintf(o, "%s0x%llx,", k % 8 ? "" : "\n    ", (unsigned long long)w);
    }
    fprintf(o, "\n};\n\n");
    zl_buf_free(&mb);

    /* The engine's expression graph over these rules (engine/engine.h),
     * expressions named by their index in E. */
    zl_engine *eng = zl_engine_prepare(p);
    zl_buf gb = ZL_BUF_INIT;
    size_t glen = zl_engine_image(eng, ns.list, (uint32_t)ns.n, &gb);
    zl_engine_free(eng);
    if (glen == 0) {
        fprintf(stderr, "pack-image: the engine's graph has an expression not in the image\n");
        exit(1);
    }
    fprintf(o, "static const uint32_t EG[%zu] = {", glen / 4);
    for (size_t k = 0; k < glen / 4; k++) {
        uint32_t w;
        memcpy(&w, gb.data + k * 4, 4);
        fprintf(o, "%s0x%x,", k % 12 ? "" : "\n    ", (unsigned)w);
    }
    fprintf(o, "\n};\n\n");
    zl_buf_free(&gb);

    fprintf(o, "static atomic_flag BF = ATOMIC_FLAG_INIT;\n\n");
    fprintf(o, "const zl_pack_image zl_pack_image_builtin = {\n    ");
    put_cstr(o, zl_pack_name(p));
    fputs(", ", o);
    put_cstr(o, zl_pack_version(p));
    fprintf(o, ",\n    R, %u, A, %u, RX, %zu, %u, &BF, MI, %zu, E, %zu, EG, %zu\n};\n", nr, na,
            (size_t)size, n_codes, mlen, ns.n, glen);

    free(codes);
    free(srcs);
    free(ns.list);
    free(ns.slot);
    free(ns.idx);
}

int main(int argc, char **argv)
{
    if (argc != 2 || (strcmp(argv[1], "c") != 0 && strcmp(argv[1], "dump") != 0)) {
        fprintf(stderr, "usage: pack-image c|dump\n");
        return 2;
    }
    zl_pack *p;
    zl_diags d = {0};
    zl_pack_new(&p);
    zl_pack_add_embedded(p, &d);
    if (d.errors == 0)
        zl_pack_compile(p, &d);
    if (d.count) {
        for (size_t i = 0; i < d.count; i++)
            fprintf(stderr, "pack-image: %s:%u:%u: %s\n", d.items[i].path ? d.items[i].path : "-",
                    d.items[i].line, d.items[i].col, d.items[i].message);
        zl_diags_free(&d);
        zl_pack_free(p);
        return 1;
    }
    zl_diags_free(&d);
    if (strcmp(argv[1], "c") == 0) {
        write_image(stdout, p);
    } else {
        zl_buf b = ZL_BUF_INIT;
        zl_pack_dump(p, &b);
        fwrite(b.data, 1, b.len, stdout);
        zl_buf_free(&b);
    }
    zl_pack_free(p);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        perror("pack-image");
        return 1;
    }
    return 0;
}
