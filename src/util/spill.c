/*
 * spill.c - an append-only buffer that moves to a temporary file (spill.h).
 */
#include "util/spill.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define SPILL_CHUNK (64 * 1024)

void zl_spill_init(zl_spill *s, size_t limit)
{
    zl_buf_init(&s->mem, 0);
    s->limit = limit;
    s->fd = -1;
    s->on_disk = 0;
    s->stay = 0;
}

static int spill_open(void)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    if (!dir || !*dir)
        dir = "/tmp";
    if (snprintf(path, sizeof path, "%s/zanlint-spill.XXXXXX", dir) >= (int)sizeof path)
        return -1;
    int fd = mkstemp(path);
    if (fd >= 0)
        unlink(path);
    return fd;
}

/* Writes all of p[0..n) at `at`; -1 on failure. */
static int write_at(int fd, const char *p, size_t n, uint64_t at)
{
    while (n) {
        ssize_t w = pwrite(fd, p, n, (off_t)at);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
        at += (uint64_t)w;
    }
    return 0;
}

void zl_spill_check(zl_spill *s)
{
    if (s->stay || s->mem.err || s->mem.len < s->limit)
        return;
    if (s->fd < 0 && s->on_disk == 0)
        s->fd = spill_open();
    if (s->fd < 0 || write_at(s->fd, s->mem.data, s->mem.len, s->on_disk) < 0) {
        s->stay = 1; /* what the file holds is still whole: replay reads on_disk bytes */
        return;
    }
    s->on_disk += s->mem.len;
    zl_buf_reset(&s->mem);
}

int zl_spill_replay(zl_spill *s, zl_buf *out, void (*flush)(zl_buf *out, void *arg), void *arg)
{
    int rc = 0;
    char chunk[SPILL_CHUNK];
    for (uint64_t at = 0; at < s->on_disk;) {
        size_t want = s->on_disk - at < sizeof chunk ? (size_t)(s->on_disk - at) : sizeof chunk;
        ssize_t r = pread(s->fd, chunk, want, (off_t)at);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            rc = -1;
            break;
        }
        zl_buf_put(out, chunk, (size_t)r);
        at += (uint64_t)r;
        if (flush)
            flush(out, arg);
    }
    zl_buf_put(out, s->mem.data ? s->mem.data : "", s->mem.len);
    return rc;
}

uint64_t zl_spill_len(const zl_spill *s)
{
    return s->on_disk + s->mem.len;
}

void zl_spill_free(zl_spill *s)
{
    if (s->fd >= 0)
        close(s->fd);
    zl_buf_free(&s->mem);
    zl_spill_init(s, s->limit);
}
