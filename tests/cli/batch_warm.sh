#!/bin/sh
# Fewer documents than jobs, where a lint run may start the regex warm-up
# thread (engine/match.h zl_match_warm_start; LINT_WARM_UP in
# src/cli/cmd_lint.c, off for now - test_match_warm_image tests the thread
# itself): one document and three documents linted with -j 1, -j 2 and -j 8
# give the same JSON, text and SARIF, diagnostics and exit status.  The documents are
# seed policies and texts that take the anchored digit runs, the Kazakh
# patterns and the e-mail pattern.  (Run it with a ThreadSanitizer build,
# ZANLINT=..., when changing the lazy preparation in src/engine/match.c.)
. tests/cli/lib/common.sh

SEEDS=$ROOT/tests/fixtures/seeds
C=$TMP/docs
mkdir -p "$C"
cp "$SEEDS"/003_*.txt "$C/a.txt"
cat "$SEEDS"/001_*.txt "$SEEDS"/004_*.txt >"$C/b.txt"
{
    printf 'Срок хранения 5 лет, 24 часа, 10 рабочих дней. Пишите на dpo@example.kz.\n'
    printf 'Жеке деректер туралы Заңға сәйкес дербес деректер жария дереккөздерде жарияланады.\n'
    i=0
    while [ $i -lt 60 ]; do printf '%d ' $i; i=$((i + 1)); done
    printf 'лет.\n'
} >"$C/c.txt"

run() { # NAME JOBS FILES...
    name=$1 j=$2
    shift 2
    zl --no-config -j "$j" --as-of 2026-11-22 --format json --output "$TMP/$name.j$j.json" \
        --format sarif --output "$TMP/$name.j$j.sarif" --format text "$@"
    cp "$TMP/out" "$TMP/$name.j$j.text"
    cp "$TMP/err" "$TMP/$name.j$j.err"
    echo "$rc" >"$TMP/$name.j$j.rc"
    [ ! -s "$TMP/err" ] || fail "$name -j $j: unexpected stderr"
}
for j in 1 2 8; do
    run one $j "$C/a.txt"
    run kk $j "$C/c.txt"
    run three $j "$C/a.txt" "$C/b.txt" "$C/c.txt"
done
grep -q '"rule": "kz94v\.' "$TMP/one.j1.json" || fail "no findings at all"
for name in one kk three; do
    for j in 2 8; do
        for f in json sarif text err rc; do
            cmp -s "$TMP/$name.j1.$f" "$TMP/$name.j$j.$f" || fail "$name -j $j: $f differs from -j 1"
        done
    done
done
echo "batch_warm: ok"
