#!/bin/sh
# HTML input end to end: seed policy 000 exported as Word-style HTML
# (tests/fixtures/html/seed000.html, made by scripts/html-from-seed.py) gets
# the same rule ids from the built-in pack as the plain-text seed, and every
# finding's line:column and byte offset point into the HTML source at the
# text the excerpt shows.  Also: .html/.htm picked by the directory walk,
# HTML sniffed on standard input, and the element-depth limit (exit 2).
. tests/cli/lib/common.sh

HTML=$ROOT/tests/fixtures/html/seed000.html
TXT=$(ls "$ROOT"/tests/fixtures/seeds/000_*.txt)
ASOF="--as-of 2026-11-22"

rules_of() { # JSON file -> sorted unique rule ids
    sed -n 's/^ *"rule": "\([^"]*\)",$/\1/p' "$1" | sort -u
}

# shellcheck disable=SC2086
zl --format json $ASOF "$TXT"
expect_rc 1 "txt seed"
cp "$TMP/out" "$TMP/txt.json"
# shellcheck disable=SC2086
zl --format json $ASOF "$HTML"
expect_rc 1 "html seed"
expect_empty_err "html seed"
cp "$TMP/out" "$TMP/html.json"
grep -q '"error": null' "$TMP/html.json" || fail "html seed has an error"
rules_of "$TMP/txt.json" >"$TMP/txt.rules"
rules_of "$TMP/html.json" >"$TMP/html.rules"
[ -s "$TMP/html.rules" ] || fail "no findings on the HTML seed"
cmp -s "$TMP/txt.rules" "$TMP/html.rules" || {
    diff "$TMP/txt.rules" "$TMP/html.rules" >&2
    fail "rule ids differ between the .txt and the .html seed"
}

# one line per finding: line col offset excerpt
awk '
    /^ *"line": /   { gsub(/[",]/, ""); line = $2; col = $4 }
    /^ *"offset": / { gsub(/[",]/, ""); off = $2 }
    /^ *"excerpt": / {
        sub(/^ *"excerpt": "/, ""); sub(/",?$/, "")
        print line, col, off, $0
    }' "$TMP/html.json" >"$TMP/findings"
n=$(wc -l <"$TMP/findings")
[ "$n" -ge 5 ] || fail "expected several findings, got $n"
checked=0
while read -r line col off excerpt; do
    # line:col (code points) agrees with the byte offset
    head -c "$off" "$HTML" >"$TMP/before"
    want_line=$(($(tr -cd '\n' <"$TMP/before" | wc -c) + 1))
    printf x >>"$TMP/before" # so that the last line is the one the offset is on
    want_col=$(sed '$!d' "$TMP/before" | LC_ALL=C tr -d '\200-\277\n' | wc -c)
    [ "$line:$col" = "$want_line:$want_col" ] ||
        fail "finding at $line:$col but offset $off is $want_line:$want_col"
    # the source at the position starts with the excerpt's first word
    [ -n "$excerpt" ] || continue
    word=${excerpt%% *}
    k=$(printf '%s' "$word" | wc -c)
    got=$(tail -c +"$((off + 1))" "$HTML" | head -c "$k")
    [ "$got" = "$word" ] || fail "at $line:$col (offset $off) the file has '$got', excerpt '$excerpt'"
    checked=$((checked + 1))
done <"$TMP/findings"
[ "$checked" -ge 5 ] || fail "only $checked findings had an excerpt to check"

# a known finding: the implied-consent wording on line 43 of the HTML file
grep -q '"rule": "kz94v.consent.implied"' "$TMP/html.json" || fail "consent.implied missing"
sed -n '43p' "$HTML" | grep -q '^безоговорочное согласие' || fail "fixture line 43 changed"
grep -q '"line": 43, "column": 1,' "$TMP/html.json" || fail "consent.implied not at 43:1"

# the directory walk picks .html and .htm, sniffing reads HTML on stdin
mkdir -p "$TMP/site"
cp "$HTML" "$TMP/site/a.html"
cp "$HTML" "$TMP/site/b.htm"
# shellcheck disable=SC2086
zl --format json $ASOF "$TMP/site"
expect_rc 1 "directory of HTML"
[ "$(grep -c '"path": ' "$TMP/out")" -eq 2 ] || fail "walk did not pick .html and .htm"
# shellcheck disable=SC2086
zl_in "$HTML" --format json $ASOF -
expect_rc 1 "HTML on stdin"
sed -n 's/^ *"rule": "\([^"]*\)",$/\1/p' "$TMP/out" | sort -u >"$TMP/stdin.rules"
cmp -s "$TMP/stdin.rules" "$TMP/html.rules" || fail "stdin HTML not read as HTML"

# nesting deeper than the limit is refused, other files still linted
i=0
: >"$TMP/deep.html"
while [ $i -lt 300 ]; do printf '<div>' >>"$TMP/deep.html"; i=$((i + 1)); done
printf 'Текст\n' >>"$TMP/deep.html"
# shellcheck disable=SC2086
zl $LINT "$TMP/deep.html" "$DATA/error.txt"
expect_rc 2 "too deep"
expect_err "nested deeper than 256" "depth diagnostic"
expect_out "clitest.consent" "other file still linted"
echo "html_seed: ok"
