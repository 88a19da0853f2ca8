/*
 * decode.c - raw input bytes to valid, NUL-terminated UTF-8 (see decode.h).
 *
 * Called by every text reader (ingest.c's readers) before any parsing.  It
 * rejects binary content, picks the encoding (BOM, then UTF-8 validity, then a
 * Cyrillic single-byte code page whose letter statistics fit best), converts
 * to UTF-8 in the caller's arena and reports problems in zl_diags.  Line
 * endings are kept byte for byte so positions match the file.  Every byte
 * offset in a diagnostic counts from the start of the file, BOM included.
 */
#include "ingest/decode.h"
#include "util/utf8.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* ---- single-byte code pages (0x80..0xFF -> Unicode; 0 = undefined) ---- */

static const uint16_t cp1251_high[128] = {
    0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021, /* 80 */
    0x20AC, 0x2030, 0x0409, 0x2039, 0x040A, 0x040C, 0x040B, 0x040F, /* 88 */
    0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, /* 90 */
    0x0000, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F, /* 98 */
    0x00A0, 0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6, 0x00A7, /* A0 */
    0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407, /* A8 */
    0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7, /* B0 */
    0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405, 0x0455, 0x0457, /* B8 */
    0x0410, 0x0411, 0x0412, 0x0413, 0x0414, 0x0415, 0x0416, 0x0417, /* C0 */
    0x0418, 0x0419, 0x041A, 0x041B, 0x041C, 0x041D, 0x041E, 0x041F, /* C8 */
    0x0420, 0x0421, 0x0422, 0x0423, 0x0424, 0x0425, 0x0426, 0x0427, /* D0 */
    0x0428, 0x0429, 0x042A, 0x042B, 0x042C, 0x042D, 0x042E, 0x042F, /* D8 */
    0x0430, 0x0431, 0x0432, 0x0433, 0x0434, 0x0435, 0x0436, 0x0437, /* E0 */
    0x0438, 0x0439, 0x043A, 0x043B, 0x043C, 0x043D, 0x043E, 0x043F, /* E8 */
    0x0440, 0x0441, 0x0442, 0x0443, 0x0444, 0x0445, 0x0446, 0x0447, /* F0 */
    0x0448, 0x0449, 0x044A, 0x044B, 0x044C, 0x044D, 0x044E, 0x044F, /* F8 */
};

static const uint16_t koi8r_high[128] = {
    0x2500, 0x2502, 0x250C, 0x2510, 0x2514, 0x2518, 0x251C, 0x2524, /* 80 */
    0x252C, 0x2534, 0x253C, 0x2580, 0x2584, 0x2588, 0x258C, 0x2590, /* 88 */
    0x2591, 0x2592, 0x2593, 0x2320, 0x25A0, 0x2219, 0x221A, 0x2248, /* 90 */
    0x2264, 0x2265, 0x00A0, 0x2321, 0x00B0, 0x00B2, 0x00B7, 0x00F7, /* 98 */
    0x2550, 0x2551, 0x2552, 0x0451, 0x2553, 0x2554, 0x2555, 0x2556, /* A0 */
    0x2557, 0x2558, 0x2559, 0x255A, 0x255B, 0x255C, 0x255D, 0x255E, /* A8 */
    0x255F, 0x2560, 0x2561, 0x0401, 0x2562, 0x2563, 0x2564, 0x2565, /* B0 */
    0x2566, 0x2567, 0x2568, 0x2569, 0x256A, 0x256B, 0x256C, 0x00A9, /* B8 */
    0x044E, 0x0430, 0x0431, 0x0446, 0x0434, 0x0435, 0x0444, 0x0433, /* C0 */
    0x0445, 0x0438, 0x0439, 0x043A, 0x043B, 0x043C, 0x043D, 0x043E, /* C8 */
    0x043F, 0x044F, 0x0440, 0x0441, 0x0442, 0x0443, 0x0436, 0x0432, /* D0 */
    0x044C, 0x044B, 0x0437, 0x0448, 0x044D, 0x0449, 0x0447, 0x044A, /* D8 */
    0x042E, 0x0410, 0x0411, 0x0426, 0x0414, 0x0415, 0x0424, 0x0413, /* E0 */
    0x0425, 0x0418, 0x0419, 0x041A, 0x041B, 0x041C, 0x041D, 0x041E, /* E8 */
    0x041F, 0x042F, 0x0420, 0x0421, 0x0422, 0x0423, 0x0416, 0x0412, /* F0 */
    0x042C, 0x042B, 0x0417, 0x0428, 0x042D, 0x0429, 0x0427, 0x042A, /* F8 */
};

/* Russian letter frequencies (per mille, а..я), used to tell CP1251 from
 * KOI8-R: the same bytes read in the wrong code page give rare letters. */
static const uint8_t ru_freq[32] = {
    80, 16, 45, 17, 30, 85, 9, 17, /* а б в г д е ж з */
    74, 12, 35, 44, 32, 67, 110, 28, /* и й к л м н о п */
    47, 55, 63, 26, 3, 10, 5, 14, /* р с т у ф х ц ч */
    7, 4, 1, 19, 17, 3, 6, 20, /* ш щ ъ ы ь э ю я */
};

/* Binary signatures that are never text. */
static const struct {
    const char *magic;
    size_t len;
} binary_magic[] = {
    {"%PDF-", 5},
    {"PK\x03\x04", 4},
    {"PK\x05\x06", 4},
    {"\x7f" "ELF", 4},
    {"\x89PNG", 4},
    {"GIF8", 4},
    {"\xff\xd8\xff", 3},
    {"\x1f\x8b", 2},
    {"\xd0\xcf\x11\xe0", 4},
    {"Rar!", 4},
    {"7z\xbc\xaf", 4},
};

static const struct {
    const char *name;
    zl_encoding enc;
} enc_names[] = {
    {"utf-8", ZL_ENC_UTF8},        {"utf8", ZL_ENC_UTF8},
    {"utf-8-bom", ZL_ENC_UTF8},    {"utf-16le", ZL_ENC_UTF16LE},
    {"utf16le", ZL_ENC_UTF16LE},   {"utf-16be", ZL_ENC_UTF16BE},
    {"utf16be", ZL_ENC_UTF16BE},   {"cp1251", ZL_ENC_CP1251},
    {"windows-1251", ZL_ENC_CP1251}, {"koi8-r", ZL_ENC_KOI8R},
    {"koi8r", ZL_ENC_KOI8R},
};

const char *zl_encoding_name(zl_encoding e)
{
    switch (e) {
    case ZL_ENC_UTF8: return "utf-8";
    case ZL_ENC_UTF8_BOM: return "utf-8-bom";
    case ZL_ENC_UTF16LE: return "utf-16le";
    case ZL_ENC_UTF16BE: return "utf-16be";
    case ZL_ENC_CP1251: return "cp1251";
    case ZL_ENC_KOI8R: return "koi8-r";
    }
    return "?";
}

static int is_c0_control(unsigned c)
{
    return c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v';
}

/* Binary when a NUL appears, or when control characters are more than a few
 * stray ones: at least 4, or more than one in 16 units.  Returns the index of
 * the offending unit (first NUL, else first control) or SIZE_MAX. */
static size_t find_binary_unit(size_t n_units, size_t n_controls, size_t first_nul,
                               size_t first_control)
{
    if (first_nul != SIZE_MAX)
        return first_nul;
    if (n_controls >= 4 || (n_controls > 0 && n_controls * 16 > n_units))
        return first_control;
    return SIZE_MAX;
}

static int has_binary_magic(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < sizeof binary_magic / sizeof binary_magic[0]; i++)
        if (n >= binary_magic[i].len && memcmp(s, binary_magic[i].magic, binary_magic[i].len) == 0)
            return 1;
    return 0;
}

/* ---- UTF-8 with replacement ---- */

/* Length of the maximal prefix of a UTF-8 sequence at s[0..n) that could
 * start a well-formed sequence (Unicode "maximal subpart"), at least 1.  Used
 * when zl_utf8_decode() fails: that many bytes become one U+FFFD. */
static size_t invalid_subpart(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        need = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else
        return 1;
    size_t k = 1;
    if (k < n && s[k] >= lo && s[k] <= hi) {
        k++;
        while (k < need && k < n && (s[k] & 0xC0) == 0x80)
            k++;
    }
    return k;
}

typedef struct utf8_scan {
    size_t out_len;       /* bytes after replacement */
    size_t n_invalid;     /* invalid sequences */
    size_t first_bad;     /* offset of the first, SIZE_MAX if none */
    size_t n_multibyte;   /* well-formed multi-byte sequences */
    size_t first_nul;     /* offset of the first NUL byte, SIZE_MAX if none */
    size_t first_control; /* offset of the first C0 control (NUL included) */
    size_t n_controls;    /* C0 controls (NUL included) */
} utf8_scan;

/* Whether one of the 8 bytes of w is below 0x20 (exact: the first byte
 * that borrows in w - 0x20 per byte is one). */
static inline int has_c0_byte(uint64_t w)
{
    const uint64_t ones = (uint64_t)0x0101010101010101u;
    return ((w - ones * 0x20) & ~w & ones * 0x80) != 0;
}

#if defined(__SSE2__)
/* Masks of 16 bytes v: bit k set when byte k is 80-FF (*high),
 * 80-BF (*cont), C2-DF (*lead), or a C0 control other than \t \n \v \f \r
 * (*ctl).  Bytes compare as signed: 80-BF are -128..-65, C2-DF -62..-33,
 * 00-1F 0..31. */
static inline void masks16(__m128i v, uint32_t *high, uint32_t *cont, uint32_t *lead,
                           uint32_t *ctl)
{
    *high = (uint32_t)_mm_movemask_epi8(v);
    *cont = (uint32_t)_mm_movemask_epi8(_mm_cmplt_epi8(v, _mm_set1_epi8(-64)));
    *lead = (uint32_t)_mm_movemask_epi8(_mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(-63)),
                                                      _mm_cmplt_epi8(v, _mm_set1_epi8(-32))));
    uint32_t low = (uint32_t)_mm_movemask_epi8(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20))) & ~*high;
    if (low) {
        __m128i ws = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('\t' - 1)),
                                   _mm_cmplt_epi8(v, _mm_set1_epi8('\r' + 1)));
        low &= ~(uint32_t)_mm_movemask_epi8(ws);
    }
    *ctl = low;
}

/* SSE2 check of 32 bytes s[0..32) (all readable), starting at a character
 * boundary: returns the length of their longest prefix made of whole
 * characters that are ASCII other than the C0 controls (\t \n \v \f \r are
 * fine) or 2-byte sequences (C2-DF then 80-BF), and sets *whole when that
 * is all 32 bytes, or all but a last byte that starts a 2-byte sequence
 * (the length is 31 then).  Otherwise the byte after the prefix needs the
 * per-character path.  Copies the 32 bytes to dst[0..32) unless dst is
 * NULL. */
static inline size_t plain32(const unsigned char *s, char *dst, int *whole)
{
    __m128i v0 = _mm_loadu_si128((const __m128i *)(const void *)s);
    __m128i v1 = _mm_loadu_si128((const __m128i *)(const void *)(s + 16));
    if (dst) {
        _mm_storeu_si128((__m128i *)(void *)dst, v0);
        _mm_storeu_si128((__m128i *)(void *)(dst + 16), v1);
    }
    uint32_t h0, c0, l0, k0, h1, c1, l1, k1;
    masks16(v0, &h0, &c0, &l0, &k0);
    masks16(v1, &h1, &c1, &l1, &k1);
    uint32_t high = h0 | h1 << 16, cont = c0 | c1 << 16, lead = l0 | l1 << 16;
    uint32_t bad = (high & ~(cont | lead)) | (cont ^ (lead << 1)) | k0 | k1 << 16;
    if (bad == 0) {
        *whole = 1;
        return lead & 0x80000000u ? 31 : 32;
    }
    /* below the first bad bit every lead has its continuation, except
     * perhaps a lead just before it */
    unsigned stop = (unsigned)__builtin_ctz(bad);
    *whole = 0;
    return stop - (stop > 0 && (lead >> (stop - 1) & 1));
}
#endif

/* The character (or ill-formed sequence) at s[i], i < n, for scan_bytes:
 * counts what it is and returns the index after it. */
static inline size_t scan_char(const unsigned char *s, size_t i, size_t n, utf8_scan *sc)
{
    unsigned char c = s[i];
    if (c < 0x80) {
        if (is_c0_control(c)) {
            if (c == 0 && sc->first_nul == SIZE_MAX)
                sc->first_nul = i;
            if (sc->first_control == SIZE_MAX)
                sc->first_control = i;
            sc->n_controls++;
        }
        return i + 1;
    }
    if (c >= 0xC2 && c < 0xE0 && n - i >= 2 && (s[i + 1] & 0xC0) == 0x80)
        return i + 2;
    uint32_t cp;
    size_t k = zl_utf8_decode((const char *)s + i, n - i, &cp);
    if (k)
        return i + k;
    if (sc->first_bad == SIZE_MAX)
        sc->first_bad = i;
    sc->n_invalid++;
    k = invalid_subpart(s + i, n - i);
    sc->out_len = sc->out_len - k + 3;
    return i + k;
}

/* scan_char(), copying the character to dst unless dst is NULL. */
static inline size_t scan_one(const unsigned char *s, size_t i, size_t n, utf8_scan *sc,
                              char *dst)
{
    size_t next = scan_char(s, i, n, sc);
    if (dst)
        for (size_t k = i; k < next; k++)
            dst[k] = (char)s[k];
    return next;
}

/* Well-formed multi-byte sequences in s[0..n), ill-formed ones cut as
 * invalid_subpart. */
static size_t count_multibyte(const unsigned char *s, size_t n)
{
    size_t i = 0, multi = 0;
    while (i < n) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t k = zl_utf8_decode((const char *)s + i, n - i, &cp);
        if (k) {
            multi++;
            i += k;
        } else
            i += invalid_subpart(s + i, n - i);
    }
    return multi;
}

/* One pass over s[0..n): UTF-8 validity (as zl_utf8_decode, ill-formed
 * sequences cut as invalid_subpart) and the binary evidence (NUL and C0
 * controls; every byte below 0x80 stands alone in either case).  Runs of
 * ASCII and 2-byte sequences without controls are checked 32 bytes at a
 * time (SSE2), else 8 at a time; where a check fails, the characters before
 * the failing byte are done and the next one takes the per-character path.
 * Well-formed multi-byte sequences are counted only when some sequence is
 * ill-formed (the encoding guess needs them then), in a second pass.
 * Unless dst is NULL, s[0..n) is copied to dst[0..n) on the way, which is
 * the decoded text when no sequence is ill-formed. */
static void scan_bytes(const unsigned char *s, size_t n, utf8_scan *sc, char *dst)
{
    sc->out_len = n;
    sc->n_invalid = 0;
    sc->first_bad = SIZE_MAX;
    sc->n_multibyte = 0;
    sc->first_nul = SIZE_MAX;
    sc->first_control = SIZE_MAX;
    sc->n_controls = 0;
    size_t i = 0;
    while (i < n) {
#if defined(__SSE2__)
        if (n - i >= 32) {
            int whole;
            i += plain32(s + i, dst ? dst + i : NULL, &whole);
            if (!whole)
                i = scan_one(s, i, n, sc, dst);
            continue;
        }
#endif
        if (n - i >= 8) {
            uint64_t w;
            size_t cps, pairs, k;
            memcpy(&w, s + i, 8);
            if (dst)
                memcpy(dst + i, &w, 8);
            if (!has_c0_byte(w) && (k = zl_utf8_short8(s + i, &cps, &pairs)) != 0) {
                i += k;
                continue;
            }
        }
        i = scan_one(s, i, n, sc, dst);
    }
    if (sc->n_invalid)
        sc->n_multibyte = count_multibyte(s, n);
}

/* Rejects binary content: a known signature, a NUL, or too many controls. */
static int check_binary(const char *path, const unsigned char *s, size_t n, size_t base,
                        const utf8_scan *sc, zl_diags *diags)
{
    if (has_binary_magic(s, n)) {
        zl_diags_add_at(diags, ZL_D_ENC_BINARY, path, base, base);
        return ZL_ERR;
    }
    size_t bad = find_binary_unit(n, sc->n_controls, sc->first_nul, sc->first_control);
    if (bad != SIZE_MAX) {
        zl_diags_add_at(diags, ZL_D_ENC_BINARY, path, base + bad, base + bad);
        return ZL_ERR;
    }
    return ZL_OK;
}

/* Converts s[0..n) into out (room for the scan's out_len bytes), replacing
 * each invalid sequence with U+FFFD. */
static void utf8_replace(const unsigned char *s, size_t n, char *out)
{
    size_t i = 0, o = 0;
    while (i < n) {
        /* fast path over ASCII */
        size_t j = i;
        while (j < n && s[j] < 0x80)
            j++;
        if (j > i) {
            memcpy(out + o, s + i, j - i);
            o += j - i;
            i = j;
            continue;
        }
        uint32_t cp;
        size_t k = zl_utf8_decode((const char *)s + i, n - i, &cp);
        if (k) {
            memcpy(out + o, s + i, k);
            o += k;
            i += k;
            continue;
        }
        i += invalid_subpart(s + i, n - i);
        memcpy(out + o, "\xEF\xBF\xBD", 3);
        o += 3;
    }
}

/* ---- single-byte Cyrillic ---- */

static uint32_t sb_cp(const uint16_t *table, unsigned char c)
{
    if (c < 0x80)
        return c;
    uint32_t cp = table[c - 0x80];
    return cp ? cp : 0xFFFD;
}

static char *sb_convert(zl_arena *a, const unsigned char *s, size_t n, const uint16_t *table,
                        size_t *len)
{
    char tmp[4];
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += s[i] < 0x80 ? 1 : zl_utf8_encode(sb_cp(table, s[i]), tmp);
    char *out = zl_arena_alloc(a, total + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < 0x80)
            out[o++] = (char)s[i];
        else
            o += zl_utf8_encode(sb_cp(table, s[i]), out + o);
    }
    out[o] = '\0';
    *len = o;
    return out;
}

/* Score of the text read in one code page.  Case-folded letter frequency:
 * frequent Russian letters score high, and the same bytes read in the other
 * code page give rarer letters.  Plus case shape: a capital followed by a
 * small letter (a capitalised word) scores, a small letter followed by a
 * capital (what a capitalised word looks like in the wrong code page) costs.
 * Upper and lower case swap between CP1251 and KOI8-R, so all-lower and
 * all-upper words are decided by frequency alone. */
static long sb_score(const unsigned char *s, size_t n, const uint16_t *table)
{
    long score = 0;
    int prev = 0; /* case of the previous byte's letter: 1 upper, 2 lower, 0 none */
    for (size_t i = 0; i < n; i++) {
        int cur = 0;
        if (s[i] >= 0xC0) {
            uint32_t cp = table[s[i] - 0x80];
            if (cp >= 0x0430 && cp <= 0x044F) {
                score += ru_freq[cp - 0x0430];
                cur = 2;
            } else if (cp >= 0x0410 && cp <= 0x042F) {
                score += ru_freq[cp - 0x0410];
                cur = 1;
            }
        }
        if (prev == 1 && cur == 2)
            score += 100;
        else if (prev == 2 && cur == 1)
            score -= 100;
        prev = cur;
    }
    return score;
}

/* True when the high bytes read as single-byte Cyrillic text: most of them
 * are letters (0xC0-0xFF in both code pages) and letters mostly stand next
 * to letters (words), not alone between ASCII characters. */
static int looks_single_byte_cyrillic(const unsigned char *s, size_t n)
{
    size_t high = 0, letters = 0, pairs = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < 0x80)
            continue;
        high++;
        if (s[i] >= 0xC0) {
            letters++;
            if (i + 1 < n && s[i + 1] >= 0xC0)
                pairs++;
        }
    }
    return letters > 0 && letters * 10 >= high * 8 && pairs * 2 >= letters;
}

static zl_encoding guess_single_byte(const unsigned char *s, size_t n)
{
    return sb_score(s, n, koi8r_high) > sb_score(s, n, cp1251_high) ? ZL_ENC_KOI8R
                                                                     : ZL_ENC_CP1251;
}

/* ---- UTF-16 ---- */

static unsigned u16_at(const unsigned char *p, int be)
{
    return be ? (unsigned)(p[0] << 8 | p[1]) : (unsigned)(p[1] << 8 | p[0]);
}

/* Decodes UTF-16 s[0..n) (after the BOM; `base` = BOM length, for offsets). */
static int utf16_decode(zl_arena *a, const char *path, const unsigned char *s, size_t n,
                        size_t base, int be, zl_decoded *out, zl_diags *diags)
{
    if (n % 2) {
        zl_diags_add_at(diags, ZL_D_ENC_BAD_UTF16, path, base + n - 1, base + n - 1,
                        "odd number of bytes, the last code unit is truncated");
        return ZL_ERR;
    }
    /* pass 1: validate surrogates, binary content, output size */
    size_t total = 0, controls = 0, first_nul = SIZE_MAX, first_control = SIZE_MAX;
    for (size_t i = 0; i < n; i += 2) {
        unsigned u = u16_at(s + i, be);
        if (u >= 0xD800 && u <= 0xDBFF) {
            unsigned v = i + 3 < n ? u16_at(s + i + 2, be) : 0;
            if (v < 0xDC00 || v > 0xDFFF) {
                zl_diags_add_at(diags, ZL_D_ENC_BAD_UTF16, path, base + i, base + i,
                                "unpaired high surrogate");
                return ZL_ERR;
            }
            total += 4;
            i += 2;
            continue;
        }
        if (u >= 0xDC00 && u <= 0xDFFF) {
            zl_diags_add_at(diags, ZL_D_ENC_BAD_UTF16, path, base + i, base + i,
                            "unpaired low surrogate");
            return ZL_ERR;
        }
        if (u == 0 && first_nul == SIZE_MAX)
            first_nul = i;
        if (is_c0_control(u)) {
            if (first_control == SIZE_MAX)
                first_control = i;
            controls++;
        }
        total += u < 0x80 ? 1 : u < 0x800 ? 2 : 3;
    }
    size_t bad = find_binary_unit(n / 2, controls, first_nul, first_control);
    if (bad != SIZE_MAX) {
        zl_diags_add_at(diags, ZL_D_ENC_BINARY, path, base + bad, base + bad);
        return ZL_ERR;
    }
    /* pass 2: convert */
    char *o = zl_arena_alloc(a, total + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i += 2) {
        uint32_t u = u16_at(s + i, be);
        if (u >= 0xD800 && u <= 0xDBFF) {
            uint32_t v = u16_at(s + i + 2, be);
            u = 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00);
            i += 2;
        }
        k += zl_utf8_encode(u, o + k);
    }
    o[k] = '\0';
    out->text = o;
    out->len = k;
    return ZL_OK;
}

/* ---- entry point ---- */

static int parse_encoding(const char *name, zl_encoding *enc)
{
    for (size_t i = 0; i < sizeof enc_names / sizeof enc_names[0]; i++) {
        if (strcasecmp(name, enc_names[i].name) == 0) {
            *enc = enc_names[i].enc;
            return 1;
        }
    }
    return 0;
}

/* The UTF-8 text of s[0..n): `copy` (n + 1 bytes, s copied by scan_bytes)
 * when every sequence is well-formed, else a new buffer with U+FFFD for
 * each ill-formed one. */
static int decode_utf8(zl_arena *a, const char *path, const unsigned char *s, size_t n,
                       size_t base, const utf8_scan *sc, char *copy, zl_decoded *out,
                       zl_diags *diags)
{
    out->len = sc->out_len;
    if (sc->n_invalid == 0) {
        out->text = copy;
    } else {
        out->text = zl_arena_alloc(a, sc->out_len + 1);
        utf8_replace(s, n, out->text);
        zl_diags_add_at(diags, ZL_D_ENC_INVALID_UTF8, path, base + sc->first_bad,
                        base + sc->first_bad, sc->n_invalid);
    }
    out->text[sc->out_len] = '\0';
    return ZL_OK;
}

int zl_decode(zl_arena *a, const char *path, const char *bytes, size_t n, const char *encoding,
              zl_decoded *out, zl_diags *diags)
{
    const unsigned char *s = (const unsigned char *)bytes;
    memset(out, 0, sizeof *out);
    zl_encoding enc = ZL_ENC_UTF8;
    int named = encoding != NULL && encoding[0] != '\0';
    if (named && !parse_encoding(encoding, &enc)) {
        zl_diags_add(diags, ZL_D_ENC_UNKNOWN, path, 0, 0, encoding);
        return ZL_ERR;
    }

    /* byte-order marks */
    int bom16le = n >= 2 && s[0] == 0xFF && s[1] == 0xFE;
    int bom16be = n >= 2 && s[0] == 0xFE && s[1] == 0xFF;
    int bom8 = n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF;
    if (!named) {
        if (bom8)
            enc = ZL_ENC_UTF8;
        else if (bom16le)
            enc = ZL_ENC_UTF16LE;
        else if (bom16be)
            enc = ZL_ENC_UTF16BE;
    }
    if (enc == ZL_ENC_UTF16LE || enc == ZL_ENC_UTF16BE) {
        int be = enc == ZL_ENC_UTF16BE;
        size_t bom = (be ? bom16be : bom16le) ? 2 : 0;
        out->encoding = enc;
        out->bom_len = bom;
        return utf16_decode(a, path, s + bom, n - bom, bom, be, out, diags);
    }
    if (enc == ZL_ENC_UTF8 && bom8) {
        out->encoding = ZL_ENC_UTF8_BOM;
        out->bom_len = 3;
        utf8_scan sc;
        char *copy = zl_arena_alloc(a, n - 3 + 1);
        scan_bytes(s + 3, n - 3, &sc, copy);
        if (check_binary(path, s + 3, n - 3, 3, &sc, diags) != ZL_OK)
            return ZL_ERR;
        return decode_utf8(a, path, s + 3, n - 3, 3, &sc, copy, out, diags);
    }
    /* the scan copies the bytes as it goes unless they are named single-byte */
    utf8_scan sc;
    char *copy = enc == ZL_ENC_UTF8 ? zl_arena_alloc(a, n + 1) : NULL;
    scan_bytes(s, n, &sc, copy);
    if (check_binary(path, s, n, 0, &sc, diags) != ZL_OK)
        return ZL_ERR;

    if (!named) {
        /* UTF-8 unless the high bytes are mostly invalid UTF-8 that reads as
         * single-byte Cyrillic words. */
        enc = ZL_ENC_UTF8;
        if (sc.n_invalid > 0 && sc.n_multibyte * 8 < sc.n_invalid &&
            looks_single_byte_cyrillic(s, n))
            enc = guess_single_byte(s, n);
    }
    out->encoding = enc;
    if (enc == ZL_ENC_CP1251 || enc == ZL_ENC_KOI8R) {
        out->text = sb_convert(a, s, n, enc == ZL_ENC_CP1251 ? cp1251_high : koi8r_high,
                               &out->len);
        return ZL_OK;
    }
    return decode_utf8(a, path, s, n, 0, &sc, copy, out, diags);
}
