/*
 * test_xmllib.c - the loader of libxml2 and libzip (src/ingest/xmllib.c)
 * when a library cannot be loaded.  This test compiles its own copy of
 * xmllib.c pointed at sonames that do not exist (the link then takes the
 * loader from here, not from the library), so no runtime switch exists in
 * the product.  An HTML or DOCX input is then a one-line "needs LIB" error
 * for that document, from any number of threads at once (pthread_once),
 * while text and Markdown inputs still read.  The loaded path is covered
 * by test_html and test_docx.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#define ZL_XML2_SONAME "libzanlint-test-missing-xml2.so.0"
#define ZL_ZIP_SONAME "libzanlint-test-missing-zip.so.0"
#include "ingest/xmllib.c"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest.h"
#include "util/arena.h"
#include "util/diag.h"

static const char *const inputs[] = {
    "tests/fixtures/html/seed000.html",
    "tests/fixtures/docx/seed-000.docx",
    "tests/fixtures/seeds/003_edbea6bc1c28116f.txt",
    "tests/fixtures/html/word_ru.html",
    "tests/fixtures/docx/table.docx",
};
#define N_INPUTS (sizeof inputs / sizeof *inputs)

/* What reading input i gave: the status and the diagnostics' text. */
typedef struct result {
    int rc;
    size_t n_diags;
    zl_diag_id id;
    char message[512];
    size_t text_len;
} result;

static void read_one(const char *path, result *r)
{
    zl_arena *a = zl_arena_new();
    zl_diags d;
    memset(&d, 0, sizeof d);
    char *bytes;
    size_t n;
    memset(r, 0, sizeof *r);
    r->rc = zl_ingest_read_bytes(a, path, NULL, &bytes, &n, &d);
    if (r->rc == ZL_OK) {
        zl_input in;
        memset(&in, 0, sizeof in);
        r->rc = zl_ingest(a, path, bytes, n, NULL, &in, &d);
        r->text_len = r->rc == ZL_OK ? in.text_len : 0;
    }
    r->n_diags = d.count;
    if (d.count) {
        r->id = d.items[0].id;
        snprintf(r->message, sizeof r->message, "%s", d.items[0].message);
    }
    zl_diags_free(&d);
    zl_arena_free(a);
}

static void check(const char *path, const result *r)
{
    const char *ext = strrchr(path, '.');
    const char *want =
        strcmp(ext, ".html") == 0   ? "unsupported input format: HTML support needs libxml2: "
        : strcmp(ext, ".docx") == 0 ? "unsupported input format: DOCX support needs libzip: "
                                    : NULL;
    if (!want) {
        assert_int_equal(r->rc, ZL_OK);
        assert_int_equal(r->n_diags, 0);
        assert_true(r->text_len > 1000);
        return;
    }
    assert_int_equal(r->rc, ZL_ERR);
    assert_int_equal(r->n_diags, 1);
    assert_int_equal(r->id, ZL_D_FORMAT_UNSUPPORTED);
    /* one line naming the library and the soname that failed */
    assert_true(strncmp(r->message, want, strlen(want)) == 0);
    assert_non_null(strstr(r->message, strcmp(ext, ".html") == 0 ? ZL_XML2_SONAME : ZL_ZIP_SONAME));
    assert_null(strchr(r->message, '\n'));
}

static void test_missing_in_order(void **state)
{
    (void)state;
    for (int round = 0; round < 2; round++) /* a failed load stays failed */
        for (size_t i = 0; i < N_INPUTS; i++) {
            result r;
            read_one(inputs[i], &r);
            check(inputs[i], &r);
        }
    const char *err;
    assert_int_equal(zl_xml_load(&err), ZL_ERR);
    assert_non_null(strstr(err, ZL_XML2_SONAME));
    assert_int_equal(zl_zip_load(&err), ZL_ERR);
    assert_non_null(strstr(err, ZL_ZIP_SONAME));
}

#define N_THREADS 4

typedef struct job {
    size_t first; /* the thread reads every input, starting here */
    result r[N_INPUTS];
} job;

static pthread_barrier_t start;

static void *reader_thread(void *arg)
{
    job *j = arg;
    pthread_barrier_wait(&start); /* all threads race for the first load */
    for (size_t k = 0; k < N_INPUTS; k++) {
        size_t i = (j->first + k) % N_INPUTS;
        read_one(inputs[i], &j->r[i]);
    }
    return NULL;
}

static void test_missing_threads(void **state)
{
    (void)state;
    job jobs[N_THREADS];
    pthread_t t[N_THREADS];
    assert_int_equal(pthread_barrier_init(&start, NULL, N_THREADS), 0);
    for (size_t i = 0; i < N_THREADS; i++) {
        memset(&jobs[i], 0, sizeof jobs[i]);
        jobs[i].first = i; /* threads 0, 1 and 3 start with HTML or DOCX */
        assert_int_equal(pthread_create(&t[i], NULL, reader_thread, &jobs[i]), 0);
    }
    for (size_t i = 0; i < N_THREADS; i++)
        assert_int_equal(pthread_join(t[i], NULL), 0);
    pthread_barrier_destroy(&start);
    for (size_t i = 0; i < N_THREADS; i++)
        for (size_t k = 0; k < N_INPUTS; k++)
            check(inputs[k], &jobs[i].r[k]);
}

int main(void)
{
    zl_ingest_init();
    /* the threaded test first, so that its threads make the first loads */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_missing_threads),
        cmocka_unit_test(test_missing_in_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
