#!/bin/sh
# PDFs loaded by several threads at once.  Poppler fills shared state lazily
# without a lock (reader_pdf.c: the static lcms2 profiles that the first
# GfxState of a process fills), so the reader extracts a built-in page once
# before any document (warm_up) and then lets documents load concurrently.
# Batches of PDFs - the five fixtures, each copied into several directories,
# alone, and with the truncated PDF, seeds as .txt and an HTML page between
# them - linted by -j 8 and -j 2 over several rounds, and short -j 8 runs of
# eight PDFs (a new process each: the race was at the first pages a process
# extracts) must give JSON, text, diagnostics and exit status byte-identical
# to -j 1, and every copy of a PDF the same findings.  The race itself is
# rare and mostly silent (ThreadSanitizer saw it in 3 of 30 -j 8 runs of 16
# PDFs without the warm-up, never a wrong output), so this is the guard on the
# result; the evidence is a TSan build (-fsanitize=thread) run over such a
# batch (docs/internals.md).
. tests/cli/lib/common.sh
FX=$ROOT/tests/fixtures

if ! pkg-config --exists poppler-glib 2>/dev/null; then
    echo "pdf_threads: skipped (built without PDF support)"
    exit 0
fi

# fewer and shorter runs under a slow wrapper (make valgrind)
COPIES=6 REPEAT=4 SHORT=6
[ -n "${TEST_WRAP:-}" ] && COPIES=2 REPEAT=1 SHORT=1

# P: PDFs only; C: the same with other formats and a broken PDF
P=$TMP/pdfs
C=$TMP/batch
i=1
while [ "$i" -le "$COPIES" ]; do
    mkdir -p "$P/d$i" "$C/d$i"
    cp "$FX"/pdf/*.pdf "$P/d$i/"
    cp "$FX"/pdf/*.pdf "$C/d$i/"
    i=$((i + 1))
done
cp "$FX/hostile/truncated.pdf" "$C/d1/"
cp "$FX"/seeds/00[0-4]_*.txt "$C/d2/"
cp "$FX/html/hidden.html" "$C/d3/"

run() { # JOBS TAG DIR
    zl -j "$1" --as-of 2026-11-22 --format json --output "$TMP/$2.json" --format text "$3"
    cp "$TMP/out" "$TMP/$2.text"
    cp "$TMP/err" "$TMP/$2.err"
    echo "$rc" >"$TMP/$2.rc"
}
same() { # TAG REF
    for ext in json text err rc; do
        cmp -s "$TMP/$1.$ext" "$TMP/$2.$ext" ||
            { diff "$TMP/$2.$ext" "$TMP/$1.$ext" | head -20 >&2; fail "$1.$ext differs from $2"; }
    done
}

run 1 ref "$C"
[ "$(cat "$TMP/ref.rc")" -eq 2 ] || fail "exit $(cat "$TMP/ref.rc"), expected 2 (truncated.pdf)"
grep -q 'truncated.pdf: error: cannot read: not a readable PDF document' "$TMP/ref.err" ||
    fail "no error line for truncated.pdf"
[ "$(wc -l <"$TMP/ref.err")" -eq 1 ] || fail "diagnostics besides truncated.pdf"
# every copy of a PDF reports the same findings
n=$(grep -c '\.pdf:p[0-9]*:[0-9]*:[0-9]*: ' "$TMP/ref.text")
[ "$n" -gt 0 ] || fail "no PDF finding"
grep '\.pdf:p[0-9]*:[0-9]*:[0-9]*: ' "$TMP/ref.text" | sed 's|/d[0-9]*/|/dX/|' | sort | uniq -c |
    awk -v k="$COPIES" '$1 % k != 0 { bad++ } END { exit bad > 0 }' ||
    fail "the copies of a PDF differ in their findings"

# every copy of a PDF reports the same findings, alone as in the mixed batch
run 1 pref "$P"
[ "$(cat "$TMP/pref.rc")" -eq 1 ] || fail "PDF batch: exit $(cat "$TMP/pref.rc"), expected 1"
[ -s "$TMP/pref.err" ] && fail "PDF batch: diagnostics"
grep '\.pdf:p[0-9]*:[0-9]*:[0-9]*: ' "$TMP/pref.text" | sed 's|.*/d[0-9]*/|dX/|' | sort >"$TMP/p.f"
grep '\.pdf:p[0-9]*:[0-9]*:[0-9]*: ' "$TMP/ref.text" | sed 's|.*/d[0-9]*/|dX/|' | sort >"$TMP/c.f"
cmp -s "$TMP/p.f" "$TMP/c.f" || fail "a PDF's findings differ alone and in the mixed batch"

r=1
while [ "$r" -le "$REPEAT" ]; do
    for j in 8 2; do
        run "$j" "j$j-$r" "$C"
        same "j$j-$r" ref
        run "$j" "pj$j-$r" "$P"
        same "pj$j-$r" pref
    done
    r=$((r + 1))
done

# short runs: a new process each, eight PDFs starting at once
S=$TMP/short
mkdir -p "$S/a" "$S/b"
cp "$FX"/pdf/*.pdf "$S/a/"
cp "$FX"/pdf/seed-00[0-2].pdf "$S/b/"
run 1 sref "$S"
r=1
while [ "$r" -le "$SHORT" ]; do
    run 8 "s8-$r" "$S"
    same "s8-$r" sref
    r=$((r + 1))
done
echo "pdf_threads: ok"
