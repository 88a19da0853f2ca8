#!/bin/sh
# PDF input end to end.  Built with poppler-glib (the Makefile adds it when
# pkg-config finds it): the LibreOffice PDF of seed 000 (running header,
# page-number footer, one hyphenated word; tests/fixtures/pdf, built by
# scripts/make-fixtures) fires the same rules, as many times, as the .txt
# seed; text output shows path:pN:line:col and JSON adds "page"/"pageLine".
# Built without it: a clear "built without PDF support" error, exit 2.
. tests/cli/lib/common.sh
PDF=$ROOT/tests/fixtures/pdf/seed-000.pdf
txt=$(ls "$ROOT"/tests/fixtures/seeds/000_*.txt)

if ! pkg-config --exists poppler-glib 2>/dev/null; then
    zl --as-of 2026-11-22 "$PDF"
    expect_rc 2 "pdf without poppler"
    expect_err "built without PDF support" "clear error"
    echo "pdf_seeds: ok (built without PDF support)"
    exit 0
fi

rules() {
    grep -o '"rule": "[^"]*"' "$1" | sort | uniq -c
}
zl --as-of 2026-11-22 --format json "$txt"
[ "$rc" -le 1 ] || fail "seed 000 txt: exit $rc"
rules "$TMP/out" >"$TMP/txt.rules"
zl --as-of 2026-11-22 --format json "$PDF"
[ "$rc" -le 1 ] || fail "seed 000 pdf: exit $rc"
expect_empty_err "seed 000 pdf"
rules "$TMP/out" >"$TMP/pdf.rules"
[ -s "$TMP/txt.rules" ] || fail "no finding on the txt"
diff "$TMP/txt.rules" "$TMP/pdf.rules" >"$TMP/rules.diff" ||
    { cat "$TMP/rules.diff" >&2; fail "rules differ between .txt and .pdf"; }
n=$(grep -c '"rule": ' "$TMP/out")
p=$(grep -c '"page": [0-9][0-9]*, "pageLine": [0-9][0-9]*,' "$TMP/out")
[ "$p" -eq "$n" ] || fail "$n findings but $p page/pageLine fields"
grep -q '"page": [2-9],' "$TMP/out" || fail "no finding past page 1"
# the running header and footer are not linted
! grep -q '"excerpt": "ТОО «Faces» — Политика' "$TMP/out" || fail "header linted"

# text output: path:pN:line:col, line counted within the page
zl --as-of 2026-11-22 "$PDF"
expect_rc 1 "seed 000 pdf, text"
n=$(grep -c '^/.*/seed-000.pdf:' "$TMP/out")
m=$(grep -c '^/.*/seed-000.pdf:p[1-9][0-9]*:[0-9][0-9]*:[0-9][0-9]*: ' "$TMP/out")
[ "$n" -gt 0 ] && [ "$n" -eq "$m" ] || fail "text positions are not path:pN:line:col ($m of $n)"
expect_out "seed-000.pdf:p1:2:1: warning:" "first-page finding under the header line"
# a finding on a later page counts lines from that page's top
grep -q '^/.*/seed-000.pdf:p[2-9]:[0-9]:' "$TMP/out" || grep -q '^/.*/seed-000.pdf:p[2-9]:[1-4][0-9]:' "$TMP/out" ||
    fail "no page-relative line on a later page"
echo "pdf_seeds: ok"
