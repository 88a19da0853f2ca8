/*
 * batch.c - the worker pool of a lint run and its progress line.
 *
 * A ring of job slots: the calling thread prepares job i in slot i % slots
 * and queues it; workers take queued jobs in order, load and evaluate them,
 * and mark them done; the calling thread waits for job `next` (the oldest),
 * hands it to finish, frees its document and reuses the slot.  Reports
 * therefore come out in input order whatever the number of threads.
 *
 * How far ahead of `next` jobs are queued: always 2 per worker; more (up to
 * MAX_AHEAD per worker), one at a time for a worker that has nothing left to
 * take, while the documents done and waiting for their turn hold less than
 * HELD_BYTES per worker (so they hold at most that plus one document per
 * worker).  A worker slims a document it
 * finishes, unless the calling thread is waiting for it, to what reporting
 * needs (zl_doc_slim: about twice its text) and counts that, so a slow
 * document at the head - a long PDF - no longer leaves the other workers
 * idle after two documents each, and memory stays bounded whatever the
 * number of inputs.  One mutex guards the counters,
 * done flags and held bytes; the slots themselves are handed over through it
 * (a slot is touched by the calling thread before it is queued and after it
 * is done, by one worker in between).
 */
#include "cli/batch.h"
#include "dsl/rule.h"
#include "util/xalloc.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Jobs queued ahead of the oldest, per worker: always BASE_AHEAD, at most
 * MAX_AHEAD, and more than BASE_AHEAD only while the done documents waiting
 * to be reported hold less than HELD_BYTES (per worker). */
#define BASE_AHEAD 2
#define MAX_AHEAD 32
#define HELD_BYTES ((size_t)1 << 20)

typedef struct pool {
    const zl_batch_opts *o;
    zl_batch_job *slots;
    unsigned char *done; /* per slot */
    size_t *held;        /* per done slot: bytes its document and findings hold */
    size_t n_slots;
    size_t next;   /* the job the calling thread waits for (the oldest) */
    size_t queued; /* jobs [0, queued) are prepared */
    size_t taken;  /* jobs [0, taken) were taken by a worker */
    size_t held_total; /* sum of held[] over done slots not yet finished */
    int stop;
    pthread_mutex_t mu;
    pthread_cond_t work; /* a job was queued, or stop */
    pthread_cond_t ready; /* a job is done */
} pool;

/* Load, segment and evaluate one job (any thread). */
static void process(const zl_batch_opts *o, zl_batch_job *j)
{
    if (!j->path)
        return;
    if (zl_doc_load_file(j->path, o->load, &j->doc, &j->diags) != ZL_OK || !j->doc) {
        j->doc = NULL;
        return;
    }
    zl_eval_opts eo = {0};
    eo.as_of = o->as_of;
    eo.active = j->active;
    zl_engine_eval_status(o->engine, j->doc, &eo, &j->fs, &j->diags, j->rule_status);
}

/* A finding's string in the slim document's arena.  Everything but a
 * rule's own message (which lives in the pack) may live in the old arena,
 * so it is copied; copying a string that did not is merely redundant. */
static const char *rehome(const char *s, zl_arena *to)
{
    return s ? zl_arena_strdup(to, s) : NULL;
}

/* Replaces the job's document by its slim copy (zl_doc_slim) and returns
 * the bytes the job now holds (worker threads, after process). */
static size_t slim(zl_batch_job *j)
{
    if (!j->doc)
        return j->fs.cap * sizeof *j->fs.items;
    zl_doc *s = zl_doc_slim(j->doc);
    for (size_t i = 0; i < j->fs.count; i++) {
        zl_finding *f = &j->fs.items[i];
        f->section = rehome(f->section, s->arena);
        f->clause = rehome(f->clause, s->arena);
        f->excerpt = rehome(f->excerpt, s->arena);
        for (int l = 0; l < ZL_NLANG; l++)
            if (f->message[l] != f->rule->message[l])
                f->message[l] = rehome(f->message[l], s->arena);
    }
    zl_doc_free(j->doc);
    j->doc = s;
    return zl_arena_used(s->arena) + j->fs.cap * sizeof *j->fs.items;
}

static void *worker(void *arg)
{
    pool *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->taken == p->queued && !p->stop)
            pthread_cond_wait(&p->work, &p->mu);
        if (p->taken == p->queued)
            break; /* stop, and nothing left */
        size_t slot = p->taken++ % p->n_slots;
        zl_batch_job *j = &p->slots[slot];
        pthread_mutex_unlock(&p->mu);
        process(p->o, j);
        size_t held = 0;
        pthread_mutex_lock(&p->mu);
        if (j->index != p->next) { /* it will wait for its turn: slim it */
            pthread_mutex_unlock(&p->mu);
            held = slim(j);
            pthread_mutex_lock(&p->mu);
        }
        p->done[slot] = 1;
        p->held[slot] = held;
        p->held_total += held;
        pthread_cond_signal(&p->ready);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static void slot_reset(zl_batch_job *j, size_t index, size_t n_rules)
{
    uint8_t *active = j->active, *status = j->rule_status;
    memset(j, 0, sizeof *j);
    j->index = index;
    j->active = active;
    j->rule_status = status;
    memset(active, 1, n_rules + 1);
    memset(status, 0, n_rules + 1);
}

static void slot_release(zl_batch_job *j)
{
    zl_findings_free(&j->fs);
    zl_doc_free(j->doc);
    j->doc = NULL;
    zl_diags_free(&j->diags);
}

/* Prepares job `i` in its slot and publishes it to the workers. */
static void queue_job(pool *p, size_t i)
{
    zl_batch_job *j = &p->slots[i % p->n_slots];
    slot_reset(j, i, p->o->n_rules);
    p->o->prepare(p->o->ctx, j);
    pthread_mutex_lock(&p->mu);
    p->done[i % p->n_slots] = 0;
    p->queued = i + 1;
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->mu);
}

/* The calling thread's side of a threaded run. */
static void run_threaded(pool *p, size_t n, size_t base, size_t budget)
{
    const zl_batch_opts *o = p->o;
    size_t queued = 0;
    for (size_t next = 0; next < n; next++) {
        while (queued < n && queued - next < base)
            queue_job(p, queued++);
        size_t slot = next % p->n_slots;
        pthread_mutex_lock(&p->mu);
        p->next = next;
        while (!p->done[slot]) {
            /* the head is not done: a worker that has nothing to take
             * gets one more job while the done documents hold little;
             * else wait for a worker to finish one */
            if (queued < n && queued - next < p->n_slots && p->taken == queued &&
                p->held_total < budget) {
                pthread_mutex_unlock(&p->mu);
                queue_job(p, queued++);
                pthread_mutex_lock(&p->mu);
                continue;
            }
            pthread_cond_wait(&p->ready, &p->mu);
        }
        p->held_total -= p->held[slot];
        pthread_mutex_unlock(&p->mu);
        o->finish(o->ctx, &p->slots[slot]);
        slot_release(&p->slots[slot]);
    }
}

void zl_batch_run(const zl_batch_opts *o, size_t n)
{
    unsigned jobs = o->jobs ? o->jobs : 1;
    pool p;
    memset(&p, 0, sizeof p);
    p.o = o;
    size_t base = BASE_AHEAD * (size_t)jobs;
    p.n_slots = jobs > 1 && n > 1 ? MAX_AHEAD * (size_t)jobs : 1;
    if (p.n_slots > n)
        p.n_slots = n ? n : 1;
    p.slots = zl_xcalloc(p.n_slots, sizeof *p.slots);
    p.done = zl_xcalloc(p.n_slots, 1);
    p.held = zl_xcalloc(p.n_slots, sizeof *p.held);
    for (size_t i = 0; i < p.n_slots; i++) {
        p.slots[i].active = zl_xmalloc(o->n_rules + 1);
        p.slots[i].rule_status = zl_xmalloc(o->n_rules + 1);
    }

    pthread_t *threads = NULL;
    unsigned started = 0;
    if (jobs > 1 && n > 1) {
        pthread_mutex_init(&p.mu, NULL);
        pthread_cond_init(&p.work, NULL);
        pthread_cond_init(&p.ready, NULL);
        threads = zl_xcalloc(jobs, sizeof *threads);
        for (unsigned t = 0; t < jobs; t++)
            if (pthread_create(&threads[started], NULL, worker, &p) == 0)
                started++;
        if (!started) {
            pthread_cond_destroy(&p.ready);
            pthread_cond_destroy(&p.work);
            pthread_mutex_destroy(&p.mu);
        }
    }

    if (!started) { /* -j 1, or no thread could be started: in order, here */
        for (size_t i = 0; i < n; i++) {
            zl_batch_job *j = &p.slots[0];
            slot_reset(j, i, o->n_rules);
            o->prepare(o->ctx, j);
            process(o, j);
            o->finish(o->ctx, j);
            slot_release(j);
        }
    } else {
        run_threaded(&p, n, base < p.n_slots ? base : p.n_slots, HELD_BYTES * started);
        pthread_mutex_lock(&p.mu);
        p.stop = 1;
        pthread_cond_broadcast(&p.work);
        pthread_mutex_unlock(&p.mu);
        for (unsigned t = 0; t < started; t++)
            pthread_join(threads[t], NULL);
        pthread_cond_destroy(&p.ready);
        pthread_cond_destroy(&p.work);
        pthread_mutex_destroy(&p.mu);
    }
    free(threads);
    for (size_t i = 0; i < p.n_slots; i++) {
        free(p.slots[i].active);
        free(p.slots[i].rule_status);
    }
    free(p.slots);
    free(p.done);
    free(p.held);
}

unsigned zl_batch_default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        return 1;
    return n > 256 ? 256u : (unsigned)n;
}

/* ---- progress line ------------------------------------------------------- */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int zl_progress_wanted(int quiet)
{
    const char *ci = getenv("CI");
    return !quiet && isatty(2) && !(ci && strcmp(ci, "true") == 0);
}

void zl_progress_init(zl_progress *p, size_t total, int enabled)
{
    memset(p, 0, sizeof *p);
    p->enabled = enabled;
    p->total = total;
    if (enabled)
        p->start = now();
}

void zl_progress_update(zl_progress *p, size_t done)
{
    if (!p->enabled || done >= p->total)
        return;
    double t = now(), el = t - p->start;
    if (p->total <= 20 && el < 1.0)
        return;
    if (p->drawn && t - p->last < 0.1)
        return;
    p->last = t;
    double rate = el > 0 ? (double)done / el : 0;
    char eta[32] = "?";
    if (rate > 0) {
        long s = (long)((double)(p->total - done) / rate + 0.5);
        if (s < 60)
            snprintf(eta, sizeof eta, "%lds", s);
        else
            snprintf(eta, sizeof eta, "%ldm%02lds", s / 60, s % 60);
    }
    /* "\r" + "\033[K" so a shorter line leaves nothing of a longer one */
    fprintf(stderr, "\rzanlint: %zu/%zu documents, %.1f docs/s, ETA %s\033[K", done, p->total,
            rate, eta);
    fflush(stderr);
    p->drawn = 1;
}

void zl_progress_clear(zl_progress *p)
{
    if (!p->drawn)
        return;
    fputs("\r\033[K", stderr);
    fflush(stderr);
    p->drawn = 0;
}
