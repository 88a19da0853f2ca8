#!/bin/sh
# A large first document followed by more documents than workers: -j 2 and
# -j 8 write the same JSON, diagnostics and exit status as -j 1, and nothing
# else on stderr; a bad --rules after a large first input stops the run as
# with -j 1.  (It was written for a since-removed thread that loaded the first
# input while the engine was prepared; run it with a ThreadSanitizer build,
# ZANLINT=..., when changing src/cli/batch.c.)
. tests/cli/lib/common.sh

SEEDS=$ROOT/tests/fixtures/seeds
C=$TMP/corpus
mkdir -p "$C"
cat "$SEEDS"/003_*.txt "$SEEDS"/002_*.txt >"$C/a000.txt"
i=1
for s in "$SEEDS"/0*.txt "$SEEDS"/0*.txt "$SEEDS"/0*.txt; do
    cp "$s" "$C/a$(printf '%03d' $i).txt"
    i=$((i + 1))
done

for j in 1 2 8; do
    zl --no-config -j $j --as-of 2026-11-22 --format json "$C"
    cp "$TMP/out" "$TMP/j$j.json"
    cp "$TMP/err" "$TMP/j$j.err"
    echo "$rc" >"$TMP/j$j.rc"
    [ ! -s "$TMP/err" ] || fail "-j $j: unexpected stderr"
done
grep -q '"rule": "kz94v\.' "$TMP/j1.json" || fail "no findings at all"
for j in 2 8; do
    for f in json err rc; do
        cmp -s "$TMP/j1.$f" "$TMP/j$j.$f" || fail "-j $j: $f differs from -j 1"
    done
done

printf 'rule broken {\n' >"$TMP/bad.rules"
for j in 1 2; do
    zl --no-config -j $j --rules "$TMP/bad.rules" --format json "$C/a000.txt" "$C/a001.txt"
    expect_rc 2 "-j $j: bad --rules"
    [ ! -s "$TMP/out" ] || fail "-j $j: output after bad --rules"
    grep -q 'bad.rules' "$TMP/err" || fail "-j $j: no diagnostic for the bad rules"
    ! grep -q 'ThreadSanitizer\|AddressSanitizer\|LeakSanitizer' "$TMP/err" || fail "-j $j: sanitizer report"
done
echo "batch_large_first: ok"
