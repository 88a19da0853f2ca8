/*
 * output.c - where the CLI's output goes: standard output (streamed per
 * input) or an --output file written atomically (a temporary file in the
 * same directory, then rename(2), so a reader never sees half a report and a
 * failed run leaves the old file alone); the colour decision; and printing
 * diagnostics on stderr as "zanlint: path:line:col: error: message" with the
 * source line and a caret underline.
 */
#include "cli/cli.h"
#include "report/report.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void zl_cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    zl_buf b = ZL_BUF_INIT;
    zl_buf_puts(&b, "zanlint: error: ");
    zl_buf_vprintf(&b, fmt, ap);
    zl_buf_putc(&b, '\n');
    va_end(ap);
    fflush(stdout);
    fputs(b.data, stderr);
    zl_buf_free(&b);
}

int zl_cli_use_color(const zl_cli *cli, int fd)
{
    if (cli->color_mode == ZL_COLOR_ALWAYS)
        return 1;
    if (cli->color_mode == ZL_COLOR_NEVER)
        return 0;
    if (fd == 1 && cli->output && strcmp(cli->output, "-") != 0)
        return 0; /* a report file gets escapes only with --color always */
    const char *force = getenv("FORCE_COLOR");
    if (force && strcmp(force, "0") != 0 && strcmp(force, "false") != 0)
        return 1;
    const char *no = getenv("NO_COLOR");
    if (no && *no)
        return 0;
    return isatty(fd);
}

void zl_cli_print_diags(const zl_cli *cli, const zl_diags *d)
{
    if (!d || d->count == 0)
        return;
    int color = zl_cli_use_color(cli, 2);
    zl_buf b = ZL_BUF_INIT;
    for (size_t i = 0; i < d->count; i++) {
        const zl_diag *g = &d->items[i];
        zl_buf_puts(&b, "zanlint: ");
        if (color)
            zl_buf_puts(&b, ZL_COLOR_BOLD);
        if (g->path) {
            zl_buf_puts(&b, g->path);
            if (g->line) {
                zl_buf_printf(&b, ":%u", (unsigned)g->line);
                if (g->col)
                    zl_buf_printf(&b, ":%u", (unsigned)g->col);
            }
            zl_buf_puts(&b, ": ");
        }
        if (color)
            zl_buf_printf(&b, "%s%s%s: ", ZL_COLOR_RESET, zl_report_severity_color(g->severity),
                          zl_severity_name(g->severity));
        else
            zl_buf_printf(&b, "%s: ", zl_severity_name(g->severity));
        if (color)
            zl_buf_puts(&b, ZL_COLOR_RESET);
        zl_buf_puts(&b, g->message ? g->message : "");
        zl_buf_putc(&b, '\n');
        if (g->source_line)
            zl_report_excerpt(&b, g->source_line, strlen(g->source_line), g->col ? g->col : 1,
                              g->caret_len ? g->caret_len : 1,
                              color ? zl_report_severity_color(g->severity) : NULL);
    }
    fflush(stdout);
    fputs(b.data, stderr);
    zl_buf_free(&b);
}

/* An --output file is streamed into a temporary file beside it (created at
 * the first flush) and renamed over the target by zl_out_finish, so memory
 * does not grow with the size of a batch report and a reader never sees half
 * a report.  Small pieces are gathered in the buffer first.  A target that
 * exists and is not a regular file is written in place (see cli.h): as root,
 * a rename over /dev/null would replace the device by a regular file. */
#define OUT_CHUNK (64 * 1024)

void zl_out_init(zl_out *o, const char *path)
{
    o->path = path && strcmp(path, "-") != 0 ? path : NULL;
    zl_buf_init(&o->buf, 0);
    o->tmp = NULL;
    o->fd = -1;
    o->direct = 0;
    o->err = 0;
}

/* Opens `path` itself when it exists and is not a regular file; 0 when it
 * is one or does not exist (the atomic way), -1 on error. */
static int open_direct(zl_out *o)
{
    struct stat st;
    if (lstat(o->path, &st) < 0 || S_ISREG(st.st_mode))
        return 0;
    o->fd = open(o->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (o->fd < 0) {
        o->err = errno;
        return -1;
    }
    o->direct = 1;
    return 0;
}

static void out_write(zl_out *o, const char *data, size_t len)
{
    if (o->err)
        return;
    if (o->fd < 0 && open_direct(o) < 0)
        return;
    if (o->fd < 0) {
        const char *slash = strrchr(o->path, '/');
        zl_buf tmp = ZL_BUF_INIT;
        if (slash)
            zl_buf_printf(&tmp, "%.*s/.%s.XXXXXX", (int)(slash - o->path), o->path, slash + 1);
        else
            zl_buf_printf(&tmp, ".%s.XXXXXX", o->path);
        o->fd = mkstemp(tmp.data);
        if (o->fd < 0) {
            o->err = errno;
            zl_buf_free(&tmp);
            return;
        }
        o->tmp = zl_buf_detach(&tmp, NULL);
    }
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(o->fd, data + done, len - done);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            o->err = errno;
            return;
        }
        done += (size_t)w;
    }
}

void zl_out_flush(zl_out *o)
{
    if (o->buf.len == 0)
        return;
    if (o->path) {
        if (o->buf.len < OUT_CHUNK)
            return;
        out_write(o, o->buf.data, o->buf.len);
    } else {
        fwrite(o->buf.data, 1, o->buf.len, stdout);
        fflush(stdout);
    }
    zl_buf_reset(&o->buf);
}

void zl_out_discard(zl_out *o)
{
    if (o->fd >= 0)
        close(o->fd);
    if (o->tmp) {
        unlink(o->tmp);
        free(o->tmp);
    }
    o->fd = -1;
    o->tmp = NULL;
    zl_buf_free(&o->buf);
}

/* Completes the temporary file and renames it over the target. */
static int out_commit(zl_out *o)
{
    out_write(o, o->buf.data ? o->buf.data : "", o->buf.len);
    if (o->direct) {
        if (o->fd >= 0 && close(o->fd) < 0 && !o->err)
            o->err = errno;
        o->fd = -1;
        return o->err ? -1 : 0;
    }
    if (!o->err) {
        mode_t mask = umask(0);
        umask(mask);
        if (fchmod(o->fd, 0666 & ~mask) < 0 || (fsync(o->fd) < 0 && errno != EINVAL))
            o->err = errno;
    }
    if (o->fd >= 0 && close(o->fd) < 0 && !o->err)
        o->err = errno;
    o->fd = -1;
    if (!o->err && rename(o->tmp, o->path) < 0)
        o->err = errno;
    return o->err ? -1 : 0;
}

int zl_out_finish(zl_out *o)
{
    int rc = 0;
    if (o->buf.err) {
        const char *to = o->path ? o->path : "standard output";
        if (o->buf.err == ZL_BUF_LOST)
            zl_cli_error("cannot write '%s': a temporary file of the report could not be read back", to);
        else
            zl_cli_error("cannot write '%s': output too large", to);
        rc = -1;
    } else if (o->path) {
        if (out_commit(o) < 0) {
            zl_cli_error("cannot write '%s': %s", o->path, strerror(o->err));
            rc = -1;
        }
    } else {
        zl_out_flush(o);
        if (fflush(stdout) != 0 || ferror(stdout)) {
            zl_cli_error("cannot write to standard output: %s", strerror(errno));
            rc = -1;
        }
    }
    if (rc < 0 || !o->path) {
        zl_out_discard(o); /* removes the temporary file of a failed write */
    } else {
        free(o->tmp);
        o->tmp = NULL;
        zl_buf_free(&o->buf);
    }
    return rc;
}

int zl_cli_write_atomic(const char *path, const char *data, size_t len, zl_buf *err)
{
    zl_out o;
    zl_out_init(&o, path);
    zl_buf_put(&o.buf, data, len);
    int rc = out_commit(&o);
    if (rc < 0)
        zl_buf_printf(err, "cannot write '%s': %s", path, strerror(o.err));
    zl_out_discard(&o);
    return rc;
}
