#!/bin/sh
# A batch's peak memory does not grow with the number of documents: each
# document's arena is freed once it is reported, the report is streamed to
# --output, and freed pages are reused (main.c tunes malloc so); the HTML
# report keeps only its matrix in memory.  The peak
# resident size of 480 documents must stay within a small margin of that
# of 40 documents of the same kind, at -j 1 and -j 2.  Skipped under a
# sanitizer or valgrind, whose allocators keep freed memory on purpose.
. tests/cli/lib/common.sh
if [ -n "${TEST_WRAP:-}" ] || grep -q __asan_init "$ZANLINT" 2>/dev/null; then
    echo "skipped: peak memory is not meaningful under a sanitizer or valgrind"
    exit 0
fi
command -v python3 >/dev/null 2>&1 || fail "python3 is needed to read the peak resident size"

seed=$ROOT/tests/fixtures/seeds/003_edbea6bc1c28116f.txt
mkdir "$TMP/few" "$TMP/many"
i=0
while [ $i -lt 480 ]; do
    # every document differs a little (its own line at the top)
    { printf 'Редакция %d.\n\n' "$i"; cat "$seed"; } >"$TMP/many/p$i.txt"
    [ $i -lt 40 ] && cp "$TMP/many/p$i.txt" "$TMP/few/"
    i=$((i + 1))
done

# peak DIR JOBS [FORMAT]: the peak resident size (KiB) of a run over DIR
peak() {
    python3 - "$ZANLINT" "$1" "$2" "$TMP/report" "${3:-json}" <<'PY'
import resource, subprocess, sys
zl, d, jobs, out, fmt = sys.argv[1:6]
r = subprocess.run([zl, "--no-config", "--as-of", "2026-11-22", "-j", jobs, "--quiet",
                    "--format", fmt, "-o", out, d],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
if r.returncode not in (0, 1):
    sys.exit("zanlint exited %d" % r.returncode)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
}

for j in 1 2; do
    few=$(peak "$TMP/few" $j) || fail "-j $j: the run over 40 documents failed"
    many=$(peak "$TMP/many" $j) || fail "-j $j: the run over 480 documents failed"
    # 12 times the documents: at most 15 % + 2 MiB more memory
    limit=$((few + few * 15 / 100 + 2048))
    [ "$many" -le "$limit" ] ||
        fail "-j $j: peak memory grows with the batch: 40 documents $few KiB, 480 documents $many KiB"
    echo "-j $j: 40 documents $few KiB, 480 documents $many KiB"
done

# The HTML report needs every document for its matrix (a row of cells and
# their tooltips, under 32 KiB a document here), but not their cards (about
# 54 KiB each here): those wait in a temporary file.
few=$(peak "$TMP/few" 2 html) || fail "html: the run over 40 documents failed"
many=$(peak "$TMP/many" 2 html) || fail "html: the run over 480 documents failed"
limit=$((few + 440 * 32 + 2048))
[ "$many" -le "$limit" ] ||
    fail "html: peak memory grows with the cards: 40 documents $few KiB, 480 documents $many KiB"
echo "html -j 2: 40 documents $few KiB, 480 documents $many KiB"
exit 0
