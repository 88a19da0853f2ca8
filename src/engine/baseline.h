/*
 * baseline.h - a committed list of accepted findings (docs/suppressions.md).
 *
 * A baseline is a JSON file:
 *     {"version": 1, "tool": "zanlint", "entries": [
 *       {"path": "docs/privacy.md", "rule": "kz94v.x", "fingerprint": "0123...", "count": 2}]}
 * An entry matches findings of the same path, rule and fingerprint (the
 * engine's, computed from the rule id and the normalized evidence text, never
 * line numbers), at most `count` of them, so a baseline survives inserted
 * lines while a duplicated offending clause still reports the extra one.
 *
 * Ownership: a zl_baseline owns its entries and their strings (malloc);
 * zl_baseline_free releases them.  Library code: errors go to zl_diags.
 */
#ifndef ZL_ENGINE_BASELINE_H
#define ZL_ENGINE_BASELINE_H

#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"
#include "util/buf.h"
#include "util/diag.h"

#define ZL_BASELINE_VERSION 1

typedef struct zl_baseline_entry {
    char *path;
    char *rule;
    char fingerprint[17];
    uint32_t count;   /* findings accepted */
    uint32_t matched; /* findings matched in this run */
    uint8_t seen;     /* the path was linted in this run */
} zl_baseline_entry;

typedef struct zl_baseline {
    zl_baseline_entry *items; /* sorted by (path, rule, fingerprint), unique */
    size_t count, cap;
    uint8_t sorted;
} zl_baseline;

/* Parses a baseline from memory; `name` is used in diagnostics.  Returns
 * ZL_OK, or ZL_ERR with a ZL_D_BASELINE error (line and column of the
 * problem) in `diags`. */
int zl_baseline_parse(zl_baseline *b, const char *name, const char *json, size_t len,
                      zl_diags *diags);
/* Reads and parses a file. */
int zl_baseline_load(zl_baseline *b, const char *path, zl_diags *diags);
/* Adds one finding's key (count += 1). */
void zl_baseline_add(zl_baseline *b, const char *path, const char *rule, const char *fingerprint);
/* Writes the baseline as JSON (sorted, two-space indentation, no dates). */
void zl_baseline_write(zl_baseline *b, zl_buf *out);
/* Removes from `fs` the findings of `path` the baseline accepts (not the
 * suppressed ones, which stay for --include-suppressed), in order, up to
 * each entry's count; returns how many were removed. */
size_t zl_baseline_filter(zl_baseline *b, const char *path, zl_findings *fs);
/* Accepted findings of the paths linted in this run that were not found
 * any more (stale entries, counted per finding). */
size_t zl_baseline_stale(const zl_baseline *b);
/* Drops the stale findings: an entry of a path linted in this run (seen)
 * keeps only the findings matched (count = matched; removed at 0).  Mark
 * the entries of deleted files seen first to drop them too.  Returns the
 * number of findings dropped; the order stays sorted for zl_baseline_write. */
size_t zl_baseline_prune(zl_baseline *b);
/* A path as stored in a baseline: "./" prefixes and repeated slashes
 * removed.  Returns a malloc'd string. */
char *zl_baseline_path(const char *path);
void zl_baseline_free(zl_baseline *b);

#endif
