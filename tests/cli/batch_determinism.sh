#!/bin/sh
# Batch determinism: a generated batch of 300+ documents (the seed policies
# and variants of them: lines shuffled, lines removed, windows of lines, in
# nested directories, a fifth as .md, plus an empty and a binary file) is
# linted with the built-in pack by -j 1, -j 3 and -j 4.  JSON, JSON Lines
# and text (one run writing all three) and the diagnostics on stderr must be
# byte-identical, the exit status the same, and every document reported in
# walk order.
. tests/cli/lib/common.sh

SEEDS=$ROOT/tests/fixtures/seeds
C=$TMP/corpus
mkdir -p "$C"
cp "$SEEDS"/0*.txt "$C/"
# One awk run writes every variant; awk's generator is seeded, and the same
# corpus serves every -j below, so determinism does not depend on awk.
awk -v dir="$C" -v n=320 '
    FNR == 1 { s++ }
    { line[s, FNR] = $0; cnt[s] = FNR }
    END {
        srand(7)
        for (i = 1; i <= n; i++) {
            k = (i % s) + 1
            sub1 = "d" (i % 7); sub2 = (i % 3) ? "e" (i % 3) "/" : ""
            ext = (i % 5 == 0) ? ".md" : ".txt"
            system("mkdir -p \"" dir "/" sub1 "/" sub2 "\"")
            f = dir "/" sub1 "/" sub2 sprintf("v%03d", i) ext
            m = cnt[k]; op = i % 3
            if (op == 0) {          # a window of lines
                a = int(rand() * m / 2) + 1; b = a + 20 + int(rand() * 60)
                for (j = a; j <= b && j <= m; j++) print line[k, j] > f
            } else if (op == 1) {   # every line, some removed
                for (j = 1; j <= m; j++) if (rand() >= 0.25) print line[k, j] > f
            } else {                # a window, lines shuffled
                a = int(rand() * m / 2) + 1; b = a + 30 + int(rand() * 40)
                if (b > m) b = m
                for (j = a; j <= b; j++) idx[j - a] = j
                t = b - a + 1
                for (j = t - 1; j > 0; j--) {
                    r = int(rand() * (j + 1)); x = idx[j]; idx[j] = idx[r]; idx[r] = x
                }
                for (j = 0; j < t; j++) print line[k, idx[j]] > f
            }
            close(f)
        }
    }' "$SEEDS"/0*.txt
: >"$C/d1/empty.txt"
printf 'PK\003\004\000\000binary' >"$C/d2/binary.txt"
total=$(find "$C" -type f | wc -l)
[ "$total" -ge 320 ] || fail "corpus has only $total files"

run() { # JOBS
    zl -j "$1" --format json --output "$TMP/j$1.json" --format jsonl --output "$TMP/j$1.jsonl" \
        --format html --output "$TMP/j$1.html" --format text "$C"
    cp "$TMP/out" "$TMP/j$1.text"
    cp "$TMP/err" "$TMP/j$1.err"
    echo "$rc" >"$TMP/j$1.rc"
}
run 1
run 3
run 4

[ "$(cat "$TMP/j1.rc")" -eq 2 ] || fail "-j 1: expected exit 2 (empty and binary files), got $(cat "$TMP/j1.rc")"
n=$(grep -c '^    {$' "$TMP/j1.json")
[ "$n" -eq "$total" ] || fail "-j 1: $n documents in the JSON, want $total"
n=$(grep -c '^{"tool": ' "$TMP/j1.jsonl")
[ "$n" -eq "$total" ] || fail "-j 1: $n document lines in the JSON Lines, want $total"
tail -n 1 "$TMP/j1.jsonl" | grep -q "^{\"summary\": {\"files\": $total, \"failed\": 2, " ||
    fail "jsonl summary line"
grep -q '"rule": "kz94v\.' "$TMP/j1.json" || fail "no findings at all"
# walk order: the JSON paths are sorted by byte order of their components
sed -n 's/^      "path": "\(.*\)",$/\1/p' "$TMP/j1.json" >"$TMP/paths"
find "$C" -type f | LC_ALL=C sort >"$TMP/want-paths"
# find + sort orders "d1/e1/x" vs "d1/v.txt" as the walk does (both byte order on the path)
cmp -s "$TMP/paths" "$TMP/want-paths" || fail "documents not in walk order"
grep -q "d1/empty.txt: error: " "$TMP/j1.err" || fail "no diagnostic for the empty file"
[ "$(grep -c 'error: ' "$TMP/j1.err")" -eq 2 ] || fail "expected two diagnostics"

for j in 3 4; do
    for f in json jsonl html text err rc; do
        cmp -s "$TMP/j1.$f" "$TMP/j$j.$f" || fail "-j $j: $f output differs from -j 1"
    done
done
# the HTML report: a card per document read (over 1 MiB of cards: they wait in
# a temporary file, and come back whole and in order)
[ "$(wc -c <"$TMP/j1.html")" -gt 2000000 ] || fail "the HTML report is too small to spill its cards"
grep -o '<article class="card[^"]*" id="doc-[0-9]*"' "$TMP/j1.html" | sed 's/.*doc-//; s/"//' >"$TMP/cards"
awk '!/\/d1\/empty\.txt$|\/d2\/binary\.txt$/ { print NR }' "$TMP/paths" >"$TMP/want-cards"
cmp -s "$TMP/cards" "$TMP/want-cards" || fail "HTML cards are not every read document in order"
tail -n 1 "$TMP/j1.html" | grep -qx '</html>' || fail "HTML report not complete"
grep -q " in $total files ([0-9]* compliant, 2 could not be read)\$" "$TMP/j1.text" ||
    fail "text summary line"
echo "batch_determinism: ok"
