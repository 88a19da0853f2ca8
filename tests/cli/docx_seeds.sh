#!/bin/sh
# DOCX input end to end: the pandoc-made DOCX versions of seeds 001 and 004
# (tests/fixtures/docx, built by scripts/make-fixtures) fire the same rules,
# as many times, as the .txt seeds with the built-in pack; text output shows
# path:¶N:col and JSON adds "paragraph" (= "line"); a directory walk picks
# .docx files; a zip bomb is refused with a limit error naming the file.
. tests/cli/lib/common.sh
SEEDS=$ROOT/tests/fixtures/seeds
DOCX=$ROOT/tests/fixtures/docx
rules() { # JSON file -> "count rule" lines
    grep -o '"rule": "[^"]*"' "$1" | sort | uniq -c
}

for s in 001 004; do
    txt=$(ls "$SEEDS/${s}"_*.txt)
    zl --as-of 2026-11-22 --format json "$txt"
    [ "$rc" -le 1 ] || fail "seed $s txt: exit $rc"
    rules "$TMP/out" >"$TMP/txt.rules"
    zl --as-of 2026-11-22 --format json "$DOCX/seed-$s.docx"
    [ "$rc" -le 1 ] || fail "seed $s docx: exit $rc"
    expect_empty_err "seed $s docx"
    rules "$TMP/out" >"$TMP/docx.rules"
    [ -s "$TMP/txt.rules" ] || fail "seed $s: no finding on the txt"
    diff "$TMP/txt.rules" "$TMP/docx.rules" >"$TMP/rules.diff" ||
        { cat "$TMP/rules.diff" >&2; fail "seed $s: rules differ between .txt and .docx"; }
    # "paragraph" is the logical line
    p=$(grep -c '"paragraph": ' "$TMP/out")
    n=$(grep -c '"rule": ' "$TMP/out")
    [ "$p" -eq "$n" ] || fail "seed $s: $n findings but $p paragraph fields"
    sed -n 's/.*"line": \([0-9]*\),.*/\1/p' "$TMP/out" >"$TMP/lines"
    sed -n 's/.*"paragraph": \([0-9]*\),.*/\1/p' "$TMP/out" >"$TMP/paras"
    cmp -s "$TMP/lines" "$TMP/paras" || fail "seed $s: paragraph != line"
done

# text output: path:¶N:col, with the paragraph as the excerpt
zl --as-of 2026-11-22 "$DOCX/seed-001.docx"
expect_rc 1 "seed 001 docx, text"
n=$(grep -c '^/.*/seed-001.docx:' "$TMP/out")
m=$(grep -c '^/.*/seed-001.docx:¶[0-9][0-9]*:[0-9][0-9]*: ' "$TMP/out")
[ "$n" -gt 0 ] && [ "$n" -eq "$m" ] || fail "text positions are not path:¶N:col ($m of $n)"
expect_out "seed-001.docx:¶19:3: warning:" "open list item located at its paragraph"
expect_out "    • иную информацию о взаимодействии" "excerpt is the paragraph"

# a directory walk picks .docx files
mkdir -p "$TMP/dir"
cp "$DOCX/seed-004.docx" "$TMP/dir/policy.docx"
zl --as-of 2026-11-22 --format json "$TMP/dir"
expect_rc 1 "directory with a .docx"
expect_out "\"path\": \"$TMP/dir/policy.docx\"" "walk picks .docx"

# zip bomb: refused before inflating, named, exit 2, other files still linted
zl --as-of 2026-11-22 "$DOCX/bomb.docx" "$DOCX/seed-004.docx"
expect_rc 2 "zip bomb"
expect_err "zanlint: $DOCX/bomb.docx: error: DOCX entry word/media/zeros.bin inflates" "bomb diagnostic"
expect_err "zip bomb" "bomb diagnostic says why"
expect_out "seed-004.docx:¶" "the other file is linted"
echo "docx_seeds: ok"
