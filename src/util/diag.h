/*
 * diag.h - the one table of tool diagnostics, and a list to collect them.
 *
 * Every problem zanlint itself reports (unreadable input, bad encoding, rule
 * file errors, ...) has one row in ZL_DIAG_TABLE: an id, a default severity,
 * a stable code, a printf format and, for the reasons a document is not read,
 * a title in Russian and Kazakh.  Library code appends diagnostics to a
 * zl_diags list; only src/cli/ prints them, as
 *     zanlint: FILE:LINE:COL: error: MESSAGE
 * A diagnostic owns its strings (malloc); zl_diags_free releases them.
 *
 * To add a diagnostic, add one row here: nothing else to register.
 */
#ifndef ZL_UTIL_DIAG_H
#define ZL_UTIL_DIAG_H

#include <stddef.h>
#include <stdint.h>

#include "zanlint.h"

/* Columns: id, severity, code, printf format of the message (English: the tool's
 * own words), and for the diagnostics that can be the reason a document was not
 * read, a short title of that reason in Russian and Kazakh for the report written
 * for people (html); NULL, NULL for the others. */
#define ZL_DIAG_TABLE(X)                                                                            \
    X(ZL_D_IO_OPEN, ZL_SEV_ERROR, "io.open",                                                        \
      "cannot open: %s",                                                                            \
      "файл не открывается", "файл ашылмайды")                                                      \
    X(ZL_D_IO_READ, ZL_SEV_ERROR, "io.read",                                                        \
      "cannot read: %s",                                                                            \
      "файл не читается", "файл оқылмайды")                                                         \
    X(ZL_D_IO_ISDIR, ZL_SEV_ERROR, "io.is-directory",                                               \
      "is a directory, not a file",                                                                 \
      "это папка, а не файл", "бұл файл емес, қалта")                                               \
    X(ZL_D_IO_SPECIAL, ZL_SEV_ERROR, "io.special",                                                  \
      "not a regular file",                                                                         \
      "это не обычный файл", "бұл кәдімгі файл емес")                                               \
    X(ZL_D_IO_TOO_LARGE, ZL_SEV_ERROR, "io.too-large",                                              \
      "file is larger than the limit of %zu bytes",                                                 \
      "файл больше допустимого размера", "файл рұқсат етілген өлшемнен үлкен")                      \
    X(ZL_D_IO_EMPTY, ZL_SEV_ERROR, "io.empty",                                                      \
      "file is empty",                                                                              \
      "файл пуст", "файл бос")                                                                      \
    X(ZL_D_IO_NO_TEXT, ZL_SEV_ERROR, "io.no-text",                                                  \
      "no text to check, only markup, images or white space (a page its script fills in, a scan: save its text first)", \
      "в документе нет текста для проверки", "құжатта тексеретін мәтін жоқ")                        \
    X(ZL_D_IO_OWN_REPORT, ZL_SEV_ERROR, "io.zanlint-report",                                        \
      "a zanlint report, not a policy (leave it out: --exclude or .zanlintignore)",                 \
      "это отчёт zanlint, а не политика: исключите его из проверки",                                \
      "бұл саясат емес, zanlint есебі: оны тексеруден шығарыңыз")                                   \
    X(ZL_D_IO_WRITE, ZL_SEV_ERROR, "io.write",                                                      \
      "cannot write: %s", NULL, NULL)                                                               \
    X(ZL_D_ENC_BINARY, ZL_SEV_ERROR, "encoding.binary",                                             \
      "binary file (NUL byte, control bytes or a binary signature at byte offset %zu)",             \
      "двоичный файл, а не текст", "бұл мәтін емес, бинарлық файл")                                 \
    X(ZL_D_ENC_INVALID_UTF8, ZL_SEV_WARNING, "encoding.invalid-utf8",                               \
      "invalid UTF-8 at byte offset %zu replaced with U+FFFD (%zu invalid sequence(s) in the file)", \
      NULL, NULL)                                                                                   \
    X(ZL_D_ENC_BAD_UTF16, ZL_SEV_ERROR, "encoding.invalid-utf16",                                   \
      "invalid UTF-16 at byte offset %zu: %s",                                                      \
      "недопустимый текст в кодировке UTF-16", "UTF-16 кодтауындағы мәтін жарамсыз")                \
    X(ZL_D_ENC_UNKNOWN, ZL_SEV_ERROR, "encoding.unknown",                                           \
      "unknown encoding: %s",                                                                       \
      "неизвестная кодировка", "белгісіз кодтау")                                                   \
    X(ZL_D_FORMAT_UNSUPPORTED, ZL_SEV_ERROR, "format.unsupported",                                  \
      "unsupported input format: %s",                                                               \
      "файл повреждён или его вариант формата не поддерживается",                                   \
      "файл бүлінген немесе оның пішімінің бұл түріне қолдау жоқ")                                  \
    X(ZL_D_FORMAT_NOT_READ, ZL_SEV_ERROR, "format.not-read",                                        \
      "%s, not a format zanlint reads (it reads %s): save it as DOCX or PDF, or leave it out (--exclude or .zanlintignore)", \
      "zanlint не читает этот формат: сохраните документ как DOCX или PDF",                         \
      "zanlint бұл пішімді оқымайды: құжатты DOCX немесе PDF ретінде сақтаңыз")                     \
    X(ZL_D_LIMIT, ZL_SEV_ERROR, "limit",                                                            \
      "%s",                                                                                         \
      "документ превышает предел обработки", "құжат өңдеу шегінен асады")                           \
    X(ZL_D_DSL_SYNTAX, ZL_SEV_ERROR, "rules.syntax",                                                \
      "%s", NULL, NULL)                                                                             \
    X(ZL_D_DSL_SEMANTIC, ZL_SEV_ERROR, "rules.semantic",                                            \
      "%s", NULL, NULL)                                                                             \
    X(ZL_D_DSL_REGEX, ZL_SEV_ERROR, "rules.regex",                                                  \
      "%s", NULL, NULL)                                                                             \
    X(ZL_D_DSL_WARNING, ZL_SEV_WARNING, "rules.warning",                                            \
      "%s", NULL, NULL)                                                                             \
    X(ZL_D_MATCH_LIMIT, ZL_SEV_WARNING, "match.limit",                                              \
      "%s", NULL, NULL)                                                                             \
    X(ZL_D_USAGE, ZL_SEV_ERROR, "usage",                                                            \
      "%s", NULL, NULL)                                                                             \
    X(ZL_D_CONFIG, ZL_SEV_ERROR, "config",                                                          \
      "%s", NULL, NULL)                                                                             \
    X(ZL_D_CONFIG_UNUSED, ZL_SEV_WARNING, "config.unused-suppression",                              \
      "%s", NULL, NULL)                                                                             \
    X(ZL_D_BASELINE, ZL_SEV_ERROR, "baseline",                                                      \
      "%s", NULL, NULL)

typedef enum zl_diag_id {
#define ZL_X_ENUM(id, sev, code, fmt, ru, kk) id,
    ZL_DIAG_TABLE(ZL_X_ENUM)
#undef ZL_X_ENUM
    ZL_D__COUNT
} zl_diag_id;

typedef struct zl_diag {
    zl_diag_id id;
    zl_severity severity;
    char *path;       /* file the diagnostic is about, or NULL */
    uint32_t line;    /* 1-based, 0 = no position */
    uint32_t col;     /* 1-based code-point column, 0 = none */
    size_t offset;    /* byte offset in the file, SIZE_MAX = none */
    char *message;    /* formatted message, without "error:" prefix */
    char *source_line; /* the line of the file for a caret excerpt, or NULL */
    uint32_t caret_len; /* code points to underline (>= 1) when source_line set */
} zl_diag;

typedef struct zl_diags {
    zl_diag *items;
    size_t count, cap;
    size_t errors; /* diagnostics with severity ZL_SEV_ERROR */
} zl_diags;

const char *zl_diag_code(zl_diag_id id);
zl_severity zl_diag_default_severity(zl_diag_id id);
/* The title of `id` as the reason a document was not read, in `lang` (0 ru,
 * 1 kk: the order of ZL_MSG_* in dsl/rule.h), or NULL when the row has none
 * and for any other language (the message is the English words). */
const char *zl_diag_title(zl_diag_id id, int lang);

/* Appends a diagnostic formatted from the table row of `id` with the printf
 * arguments that row's format takes.  `path` may be NULL; line/col 0 mean no
 * position.  Returns the new entry (valid until the next add). */
zl_diag *zl_diags_add(zl_diags *d, zl_diag_id id, const char *path, uint32_t line, uint32_t col,
                      ...);
/* Same, with an explicit byte offset recorded (for encoding problems). */
zl_diag *zl_diags_add_at(zl_diags *d, zl_diag_id id, const char *path, size_t offset, ...);
/* Attaches the source line (copied) and caret width to a diagnostic. */
void zl_diag_set_source(zl_diag *g, const char *line, size_t len, uint32_t caret_len);
/* Moves every diagnostic of `from` to the end of `to`; `from` is left empty. */
void zl_diags_move(zl_diags *to, zl_diags *from);
void zl_diags_free(zl_diags *d);

#endif
