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

void zl_out_init(zl_out *o, const char *path)
{
    o->path = path && strcmp(path, "-") != 0 ? path : NULL;
    zl_buf_init(&o->buf, 0);
}

void zl_out_flush(zl_out *o)
{
    if (o->path || o->buf.len == 0)
        return;
    fwrite(o->buf.data, 1, o->buf.len, stdout);
    fflush(stdout);
    zl_buf_reset(&o->buf);
}

void zl_out_discard(zl_out *o)
{
    zl_buf_free(&o->buf);
}

int zl_out_finish(zl_out *o)
{
    int rc = 0;
    if (o->buf.err) {
        zl_cli_error("output too large");
        rc = -1;
    } else if (o->path) {
        zl_buf err = ZL_BUF_INIT;
        if (zl_cli_write_atomic(o->path, o->buf.data ? o->buf.data : "", o->buf.len, &err) < 0) {
            zl_cli_error("%s", err.data);
            rc = -1;
        }
        zl_buf_free(&err);
    } else {
        zl_out_flush(o);
        if (fflush(stdout) != 0 || ferror(stdout)) {
            zl_cli_error("cannot write to standard output: %s", strerror(errno));
            rc = -1;
        }
    }
    zl_buf_free(&o->buf);
    return rc;
}

int zl_cli_write_atomic(const char *path, const char *data, size_t len, zl_buf *err)
{
    const char *slash = strrchr(path, '/');
    zl_buf tmp = ZL_BUF_INIT;
    if (slash)
        zl_buf_printf(&tmp, "%.*s/.%s.XXXXXX", (int)(slash - path), path, slash + 1);
    else
        zl_buf_printf(&tmp, ".%s.XXXXXX", path);
    int fd = mkstemp(tmp.data);
    if (fd < 0) {
        zl_buf_printf(err, "cannot write '%s': %s", path, strerror(errno));
        zl_buf_free(&tmp);
        return -1;
    }
    int rc = 0;
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            rc = -1;
            break;
        }
        done += (size_t)w;
    }
    mode_t mask = umask(0);
    umask(mask);
    if (rc == 0 && fchmod(fd, 0666 & ~mask) < 0)
        rc = -1;
    if (rc == 0 && fsync(fd) < 0 && errno != EINVAL)
        rc = -1;
    int saved = errno;
    if (close(fd) < 0 && rc == 0) {
        rc = -1;
        saved = errno;
    }
    if (rc == 0 && rename(tmp.data, path) < 0) {
        rc = -1;
        saved = errno;
    }
    if (rc < 0) {
        unlink(tmp.data);
        zl_buf_printf(err, "cannot write '%s': %s", path, strerror(saved));
    }
    zl_buf_free(&tmp);
    return rc;
}
