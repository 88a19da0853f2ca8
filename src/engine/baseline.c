/*
 * baseline.c - reads, writes and applies baselines (baseline.h).  The
 * reader is a small strict JSON parser for exactly the baseline's shape
 * (an object with "version", "tool" and "entries"; unknown keys are
 * ignored for forward compatibility); errors name the line and column.
 * Entries are kept sorted by (path, rule, fingerprint) and looked up by
 * binary search, so applying a baseline costs O(findings * log entries).
 */
#include "engine/baseline.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 16

/* ---- entries ------------------------------------------------------------- */

static int entry_cmp3(const char *p, const char *r, const char *f, const zl_baseline_entry *e)
{
    int c = strcmp(p, e->path);
    if (c)
        return c;
    c = strcmp(r, e->rule);
    if (c)
        return c;
    return strcmp(f, e->fingerprint);
}

static int entry_cmp(const void *pa, const void *pb)
{
    const zl_baseline_entry *a = pa;
    return entry_cmp3(a->path, a->rule, a->fingerprint, pb);
}

/* Sorts and merges duplicate keys (their counts add up). */
static void normalize(zl_baseline *b)
{
    if (b->sorted)
        return;
    if (b->count > 1)
        qsort(b->items, b->count, sizeof *b->items, entry_cmp);
    size_t w = 0;
    for (size_t i = 0; i < b->count; i++) {
        if (w && entry_cmp(&b->items[w - 1], &b->items[i]) == 0) {
            b->items[w - 1].count += b->items[i].count;
            free(b->items[i].path);
            free(b->items[i].rule);
            continue;
        }
        b->items[w++] = b->items[i];
    }
    b->count = w;
    b->sorted = 1;
}

static zl_baseline_entry *find(zl_baseline *b, const char *path, const char *rule,
                               const char *fp)
{
    normalize(b);
    size_t lo = 0, hi = b->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = entry_cmp3(path, rule, fp, &b->items[mid]);
        if (c == 0)
            return &b->items[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

static void push(zl_baseline *b, char *path, char *rule, const char *fp, uint32_t count)
{
    if (b->count == b->cap)
        b->items = zl_xgrow(b->items, &b->cap, b->count + 1, sizeof *b->items);
    zl_baseline_entry *e = &b->items[b->count++];
    memset(e, 0, sizeof *e);
    e->path = path;
    e->rule = rule;
    size_t n = strlen(fp);
    if (n > 16)
        n = 16;
    memcpy(e->fingerprint, fp, n);
    e->fingerprint[n] = '\0';
    e->count = count;
    b->sorted = 0;
}

char *zl_baseline_path(const char *path)
{
    while (path[0] == '.' && path[1] == '/') {
        path += 2;
        while (*path == '/')
            path++;
    }
    char *o = zl_xmalloc(strlen(path) + 1);
    size_t w = 0;
    for (const char *p = path; *p; p++)
        if (!(*p == '/' && w > 0 && o[w - 1] == '/'))
            o[w++] = *p;
    o[w] = '\0';
    return o;
}

void zl_baseline_add(zl_baseline *b, const char *path, const char *rule, const char *fingerprint)
{
    char *p = zl_baseline_path(path);
    if (b->sorted) {
        zl_baseline_entry *e = find(b, p, rule, fingerprint);
        if (e) {
            e->count++;
            free(p);
            return;
        }
    }
    push(b, p, zl_xstrdup(rule), fingerprint, 1);
}

void zl_baseline_free(zl_baseline *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->count; i++) {
        free(b->items[i].path);
        free(b->items[i].rule);
    }
    free(b->items);
    memset(b, 0, sizeof *b);
}

/* ---- writing ------------------------------------------------------------- */

static void jstr(zl_buf *out, const char *s)
{
    zl_buf_json_str(out, s, strlen(s));
}

void zl_baseline_write(zl_baseline *b, zl_buf *out)
{
    normalize(b);
    zl_buf_printf(out, "{\n  \"version\": %d,\n  \"tool\": \"zanlint\",\n  \"entries\": [",
                  ZL_BASELINE_VERSION);
    for (size_t i = 0; i < b->count; i++) {
        const zl_baseline_entry *e = &b->items[i];
        zl_buf_puts(out, i ? ",\n    {\"path\": " : "\n    {\"path\": ");
        jstr(out, e->path);
        zl_buf_puts(out, ", \"rule\": ");
        jstr(out, e->rule);
        zl_buf_puts(out, ", \"fingerprint\": ");
        jstr(out, e->fingerprint);
        zl_buf_printf(out, ", \"count\": %u}", (unsigned)e->count);
    }
    zl_buf_puts(out, b->count ? "\n  ]\n}\n" : "]\n}\n");
}

/* ---- applying ------------------------------------------------------------ */

size_t zl_baseline_filter(zl_baseline *b, const char *path, zl_findings *fs)
{
    char *p = zl_baseline_path(path);
    normalize(b);
    /* mark the path seen: its entries form one run in the sorted array */
    for (size_t i = 0; i < b->count; i++)
        if (strcmp(b->items[i].path, p) == 0)
            b->items[i].seen = 1;
    size_t dropped = 0, w = 0;
    for (size_t i = 0; i < fs->count; i++) {
        zl_finding *f = &fs->items[i];
        if (!f->suppressed) {
            zl_baseline_entry *e = find(b, p, f->rule->id, f->fingerprint);
            if (e && e->matched < e->count) {
                e->matched++;
                dropped++;
                continue;
            }
        }
        fs->items[w++] = *f;
    }
    fs->count = w;
    free(p);
    return dropped;
}

size_t zl_baseline_stale(const zl_baseline *b)
{
    size_t n = 0;
    for (size_t i = 0; i < b->count; i++)
        if (b->items[i].seen && b->items[i].matched < b->items[i].count)
            n += b->items[i].count - b->items[i].matched;
    return n;
}

size_t zl_baseline_prune(zl_baseline *b)
{
    normalize(b);
    size_t pruned = 0, w = 0;
    for (size_t i = 0; i < b->count; i++) {
        zl_baseline_entry *e = &b->items[i];
        if (e->seen && e->matched < e->count) {
            pruned += e->count - e->matched;
            e->count = e->matched;
        }
        if (!e->count) {
            free(e->path);
            free(e->rule);
            continue;
        }
        b->items[w++] = *e;
    }
    b->count = w;
    return pruned;
}

/* ---- reading ------------------------------------------------------------- */

typedef struct jp {
    const char *s;
    size_t n, i;
    const char *name;
    zl_diags *diags;
    int failed;
} jp;

static void jerr(jp *p, const char *what)
{
    if (p->failed)
        return;
    p->failed = 1;
    uint32_t line = 1, col = 1;
    for (size_t k = 0; k < p->i && k < p->n; k++) {
        if (p->s[k] == '\n') {
            line++;
            col = 1;
        } else if (((unsigned char)p->s[k] & 0xC0) != 0x80) {
            col++;
        }
    }
    zl_diags_add(p->diags, ZL_D_BASELINE, p->name, line, col, what);
}

static void ws(jp *p)
{
    while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' ||
                           p->s[p->i] == '\r'))
        p->i++;
}

static int eat(jp *p, char c)
{
    ws(p);
    if (p->i < p->n && p->s[p->i] == c) {
        p->i++;
        return 1;
    }
    return 0;
}

static int hex4(const char *s, uint32_t *v)
{
    *v = 0;
    for (int k = 0; k < 4; k++) {
        char c = s[k];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return -1;
        *v = *v * 16 + (uint32_t)d;
    }
    return 0;
}

static void put_utf8(zl_buf *b, uint32_t c)
{
    char o[4];
    size_t n;
    if (c < 0x80) {
        o[0] = (char)c;
        n = 1;
    } else if (c < 0x800) {
        o[0] = (char)(0xC0 | (c >> 6));
        o[1] = (char)(0x80 | (c & 0x3F));
        n = 2;
    } else if (c < 0x10000) {
        o[0] = (char)(0xE0 | (c >> 12));
        o[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        o[2] = (char)(0x80 | (c & 0x3F));
        n = 3;
    } else {
        o[0] = (char)(0xF0 | (c >> 18));
        o[1] = (char)(0x80 | ((c >> 12) & 0x3F));
        o[2] = (char)(0x80 | ((c >> 6) & 0x3F));
        o[3] = (char)(0x80 | (c & 0x3F));
        n = 4;
    }
    zl_buf_put(b, o, n);
}

/* A JSON string into a malloc'd C string, or NULL after an error. */
static char *jstring(jp *p)
{
    ws(p);
    if (p->i >= p->n || p->s[p->i] != '"') {
        jerr(p, "expected a string");
        return NULL;
    }
    p->i++;
    zl_buf b = ZL_BUF_INIT;
    while (p->i < p->n && p->s[p->i] != '"') {
        unsigned char c = (unsigned char)p->s[p->i];
        if (c < 0x20) {
            jerr(p, "control character in a string");
            goto bad;
        }
        if (c != '\\') {
            zl_buf_putc(&b, (char)c);
            p->i++;
            continue;
        }
        if (p->i + 1 >= p->n)
            break;
        char e = p->s[p->i + 1];
        p->i += 2;
        switch (e) {
        case '"': zl_buf_putc(&b, '"'); break;
        case '\\': zl_buf_putc(&b, '\\'); break;
        case '/': zl_buf_putc(&b, '/'); break;
        case 'b': zl_buf_putc(&b, '\b'); break;
        case 'f': zl_buf_putc(&b, '\f'); break;
        case 'n': zl_buf_putc(&b, '\n'); break;
        case 'r': zl_buf_putc(&b, '\r'); break;
        case 't': zl_buf_putc(&b, '\t'); break;
        case 'u': {
            uint32_t v, lo;
            if (p->i + 4 > p->n || hex4(p->s + p->i, &v) < 0) {
                jerr(p, "bad \\u escape");
                goto bad;
            }
            p->i += 4;
            if (v >= 0xD800 && v < 0xDC00 && p->i + 6 <= p->n && p->s[p->i] == '\\' &&
                p->s[p->i + 1] == 'u' && hex4(p->s + p->i + 2, &lo) == 0 && lo >= 0xDC00 &&
                lo < 0xE000) {
                v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
                p->i += 6;
            } else if (v >= 0xD800 && v < 0xE000) {
                v = 0xFFFD;
            }
            put_utf8(&b, v);
            break;
        }
        default:
            p->i -= 2; /* at the backslash */
            jerr(p, "bad escape in a string");
            goto bad;
        }
    }
    if (p->i >= p->n) {
        jerr(p, "unterminated string");
        goto bad;
    }
    p->i++;
    if (b.err) {
        jerr(p, "string too long");
        goto bad;
    }
    if (!b.data)
        return zl_xstrdup("");
    if (memchr(b.data, '\0', b.len)) {
        jerr(p, "NUL character in a string");
        goto bad;
    }
    return zl_buf_detach(&b, NULL);
bad:
    zl_buf_free(&b);
    return NULL;
}

/* A non-negative integer; -1 after an error. */
static long long jint(jp *p)
{
    ws(p);
    if (p->i >= p->n || p->s[p->i] < '0' || p->s[p->i] > '9') {
        jerr(p, "expected a non-negative integer");
        return -1;
    }
    long long v = 0;
    while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9') {
        v = v * 10 + (p->s[p->i] - '0');
        if (v > UINT32_MAX) {
            jerr(p, "number too large");
            return -1;
        }
        p->i++;
    }
    if (p->i < p->n && (p->s[p->i] == '.' || p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
        jerr(p, "expected an integer");
        return -1;
    }
    return v;
}

/* Skips any JSON value (for unknown keys). */
static void jskip(jp *p, int depth)
{
    ws(p);
    if (depth > MAX_DEPTH) {
        jerr(p, "nesting too deep");
        return;
    }
    if (p->i >= p->n) {
        jerr(p, "unexpected end of file");
        return;
    }
    char c = p->s[p->i];
    if (c == '"') {
        free(jstring(p));
    } else if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        p->i++;
        if (eat(p, close))
            return;
        do {
            if (c == '{') {
                free(jstring(p));
                if (!p->failed && !eat(p, ':'))
                    jerr(p, "expected ':'");
            }
            if (!p->failed)
                jskip(p, depth + 1);
        } while (!p->failed && eat(p, ','));
        if (!p->failed && !eat(p, close))
            jerr(p, c == '{' ? "expected ',' or '}'" : "expected ',' or ']'");
    } else if (c == '-' || (c >= '0' && c <= '9')) {
        p->i++;
        while (p->i < p->n && strchr("0123456789.eE+-", p->s[p->i]))
            p->i++;
    } else {
        static const char *const words[] = {"true", "false", "null"};
        for (int k = 0; k < 3; k++) {
            size_t l = strlen(words[k]);
            if (p->n - p->i >= l && memcmp(p->s + p->i, words[k], l) == 0) {
                p->i += l;
                return;
            }
        }
        jerr(p, "expected a value");
    }
}

static int valid_fingerprint(const char *f)
{
    if (strlen(f) != 16)
        return 0;
    for (; *f; f++)
        if (!((*f >= '0' && *f <= '9') || (*f >= 'a' && *f <= 'f')))
            return 0;
    return 1;
}

static void jentry(jp *p, zl_baseline *b)
{
    ws(p);
    size_t start = p->i; /* errors about the entry point at its '{' */
    if (!eat(p, '{')) {
        jerr(p, "expected an entry object");
        return;
    }
    char *path = NULL, *rule = NULL, *fp = NULL;
    long long count = 1;
    if (!eat(p, '}')) {
        do {
            char *key = jstring(p);
            if (!key)
                break;
            if (!eat(p, ':')) {
                jerr(p, "expected ':'");
                free(key);
                break;
            }
            char **slot = !strcmp(key, "path") ? &path : !strcmp(key, "rule") ? &rule
                          : !strcmp(key, "fingerprint") ? &fp : NULL;
            if (slot) {
                free(*slot);
                *slot = jstring(p);
            } else if (!strcmp(key, "count")) {
                count = jint(p);
            } else {
                jskip(p, 2);
            }
            free(key);
        } while (!p->failed && eat(p, ','));
        if (!p->failed && !eat(p, '}'))
            jerr(p, "expected ',' or '}'");
    }
    if (!p->failed) {
        size_t here = p->i;
        p->i = start;
        if (!path || !rule || !fp)
            jerr(p, "an entry needs \"path\", \"rule\" and \"fingerprint\"");
        else if (!valid_fingerprint(fp))
            jerr(p, "a fingerprint is 16 lower-case hex digits");
        else if (count < 1)
            jerr(p, "\"count\" must be at least 1");
        p->i = here;
    }
    if (!p->failed) {
        char *np = zl_baseline_path(path);
        push(b, np, rule, fp, (uint32_t)count);
        rule = NULL;
    }
    free(path);
    free(rule);
    free(fp);
}

int zl_baseline_parse(zl_baseline *b, const char *name, const char *json, size_t len,
                      zl_diags *diags)
{
    jp p = {json, len, 0, name, diags, 0};
    if (len >= 3 && memcmp(json, "\xEF\xBB\xBF", 3) == 0)
        p.i = 3;
    int version = 0, entries = 0;
    if (!eat(&p, '{'))
        jerr(&p, "expected '{': a baseline is a JSON object");
    else if (!eat(&p, '}')) {
        do {
            char *key = jstring(&p);
            if (!key)
                break;
            if (!eat(&p, ':')) {
                jerr(&p, "expected ':'");
                free(key);
                break;
            }
            if (!strcmp(key, "version")) {
                ws(&p);
                size_t at = p.i;
                long long v = jint(&p);
                if (!p.failed && v != ZL_BASELINE_VERSION) {
                    p.i = at;
                    jerr(&p, "unsupported baseline version (this zanlint reads version 1)");
                }
                version = 1;
            } else if (!strcmp(key, "entries")) {
                entries = 1;
                if (!eat(&p, '[')) {
                    jerr(&p, "expected '[' after \"entries\"");
                } else if (!eat(&p, ']')) {
                    do
                        jentry(&p, b);
                    while (!p.failed && eat(&p, ','));
                    if (!p.failed && !eat(&p, ']'))
                        jerr(&p, "expected ',' or ']'");
                }
            } else {
                jskip(&p, 1);
            }
            free(key);
        } while (!p.failed && eat(&p, ','));
        if (!p.failed && !eat(&p, '}'))
            jerr(&p, "expected ',' or '}'");
    }
    ws(&p);
    if (!p.failed && p.i < p.n)
        jerr(&p, "text after the JSON object");
    if (!p.failed && (!version || !entries))
        jerr(&p, "a baseline needs \"version\" and \"entries\"");
    if (p.failed)
        return ZL_ERR;
    normalize(b);
    return ZL_OK;
}

int zl_baseline_load(zl_baseline *b, const char *path, zl_diags *diags)
{
    zl_buf data = ZL_BUF_INIT;
    int r = zl_buf_read_file(&data, path);
    if (r != ZL_BUF_READ_OK) {
        zl_diags_add(diags, r == ZL_BUF_READ_OPEN ? ZL_D_IO_OPEN : ZL_D_IO_READ, path, 0, 0,
                     r == ZL_BUF_READ_TOO_LARGE ? "too large" : strerror(errno));
        zl_buf_free(&data);
        return ZL_ERR;
    }
    int rc = zl_baseline_parse(b, path, data.data ? data.data : "", data.len, diags);
    zl_buf_free(&data);
    return rc;
}
