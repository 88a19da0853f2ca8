/*
 * batch.h - the worker pool of a lint run (see batch.c and docs/batch.md),
 * and the progress line.
 *
 * Inputs are numbered 0..n-1.  The calling thread prepares each job in
 * input order (prepare: which path, which rules), worker threads load,
 * segment and evaluate it on the shared engine, and the calling thread gets
 * every processed job back in input order (finish: report it).  A bounded
 * number of jobs is in flight (batch.c says how many), so memory is bounded
 * whatever n is; a job's document, findings and diagnostics are freed right
 * after its finish call.  With worker threads, finish gets the document
 * slimmed to what reporting needs (zl_doc_slim): the input, paragraphs,
 * language versions and line index, not the tokens or the segmentation.
 *
 * Ownership: a zl_batch_job belongs to the pool.  `path` is borrowed from
 * the caller and must stay valid until the job's finish call; everything
 * else in the job is valid only during prepare/finish.
 */
#ifndef ZL_CLI_BATCH_H
#define ZL_CLI_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"
#include "text/doc.h"
#include "util/diag.h"

typedef struct zl_batch_job {
    size_t index;         /* the input's number */
    /* set by prepare */
    const char *path;     /* the file to load; NULL = nothing to load (the
                             caller knows why; finish gets doc == NULL) */
    uint8_t *active;      /* per rule index (n_rules bytes, pool-owned): which rules run */
    /* set by the worker */
    zl_doc *doc;          /* NULL when nothing was loaded or loading failed */
    zl_findings fs;
    zl_diags diags;       /* loading and evaluation diagnostics */
    uint8_t *rule_status; /* per rule index (n_rules bytes, pool-owned) */
} zl_batch_job;

typedef struct zl_batch_opts {
    unsigned jobs;            /* worker threads; 0 or 1 = all on the calling thread */
    const zl_engine *engine;  /* shared by the workers (zl_engine_eval is thread-safe) */
    const zl_load_opts *load;
    int32_t as_of;
    size_t n_rules;           /* size of active/rule_status */
    void (*prepare)(void *ctx, zl_batch_job *job); /* calling thread, input order */
    void (*finish)(void *ctx, zl_batch_job *job);  /* calling thread, input order */
    void *ctx;
} zl_batch_opts;

/* Runs n jobs; returns when every finish call is done.  When a thread
 * cannot be started the run goes on with the threads it has (none: on the
 * calling thread). */
void zl_batch_run(const zl_batch_opts *o, size_t n);

/* The default of -j: online processors (at least 1). */
unsigned zl_batch_default_jobs(void);

/* The progress line on standard error: "zanlint: 120/1000 documents,
 * 35.2 docs/s, ETA 25s", redrawn in place with "\r" at most ten times a
 * second once the batch has more than 20 documents or ran 1 s.  Print
 * nothing else on a terminal between zl_progress_clear and the next
 * zl_progress_update. */
typedef struct zl_progress {
    int enabled;
    int drawn;       /* a line is on the screen */
    size_t total;
    double start, last;
} zl_progress;

/* `enabled`: the caller's decision (zl_progress_wanted). */
void zl_progress_init(zl_progress *p, size_t total, int enabled);
/* Standard error is a terminal, CI is not "true", and not quiet. */
int zl_progress_wanted(int quiet);
void zl_progress_update(zl_progress *p, size_t done);
/* Erases the line (before other output, and at the end). */
void zl_progress_clear(zl_progress *p);

#endif
