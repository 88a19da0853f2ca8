#!/bin/sh
# Inputs: standard input, directories walked recursively in name order with
# hidden entries, other extensions and symlinked directories skipped, and a
# missing file among good files (others still reported, exit 2, the JSON
# lists the failed file with its error); a document without text is an
# input error.
. tests/cli/lib/common.sh

# shellcheck disable=SC2086
zl_in "$DATA/error.txt" $LINT -
expect_rc 1 "stdin"
expect_out "<stdin>:1:1: error:" "stdin display path"

mkdir -p "$TMP/tree/b-dir/deeper" "$TMP/tree/.hidden" "$TMP/tree/a-dir"
cp "$DATA/error.txt" "$TMP/tree/c.txt"
cp "$DATA/error.txt" "$TMP/tree/a.md"
cp "$DATA/error.txt" "$TMP/tree/b-dir/deeper/z.txt"
cp "$DATA/error.txt" "$TMP/tree/b-dir/y.TXT"
cp "$DATA/error.txt" "$TMP/tree/a-dir/x.txt"
cp "$DATA/error.txt" "$TMP/tree/.hidden/h.txt"
cp "$DATA/error.txt" "$TMP/tree/.dot.txt"
cp "$DATA/error.txt" "$TMP/tree/notes.rules"
cp "$DATA/error.txt" "$TMP/tree/image.png"
ln -s .. "$TMP/tree/b-dir/loop"
cp "$DATA/error.txt" "$TMP/outside.txt"
ln -s ../../outside.txt "$TMP/tree/a-dir/link.txt"

zl $LINT --format json "$TMP/tree"
expect_rc 1 "directory"
paths=$(sed -n 's/^ *"path": "\(.*\)",$/\1/p' "$TMP/out" | sed "s|^$TMP/tree/||" | tr '\n' ' ')
want="a-dir/link.txt a-dir/x.txt a.md b-dir/deeper/z.txt b-dir/y.TXT c.txt "
[ "$paths" = "$want" ] || fail "directory order: got '$paths', want '$want'"

# a file reached twice (named twice, named and walked, through a link) is
# linted and counted once, under its first name
ln -s ../c.txt "$TMP/tree/a-dir/same.txt"
zl $LINT --format json "$TMP/tree/c.txt" "$TMP/tree" "$TMP/tree/./c.txt"
paths=$(sed -n 's/^ *"path": "\(.*\)",$/\1/p' "$TMP/out" | sed "s|^$TMP/tree/||" | tr '\n' ' ')
want="c.txt a-dir/link.txt a-dir/x.txt a.md b-dir/deeper/z.txt b-dir/y.TXT "
[ "$paths" = "$want" ] || fail "duplicates: got '$paths', want '$want'"
rm "$TMP/tree/a-dir/same.txt"

zl $LINT --format json "$TMP/tree/" "$DATA/clean.txt"
expect_rc 1 "directory with a trailing slash"
grep -qF "\"path\": \"$TMP/tree/a-dir/x.txt\"" "$TMP/out" || fail "no double slash in joined paths"

# a missing file between two good ones
zl $LINT --format json "$DATA/error.txt" "$TMP/missing.txt" "$DATA/warning.txt"
expect_rc 2 "missing file among good files"
expect_err "$TMP/missing.txt" "diagnostic names the missing file"
n=$(grep -c '"path": ' "$TMP/out")
[ "$n" -eq 3 ] || fail "expected 3 files in the JSON, got $n"
sed -n '/"path": ".*missing.txt"/,/"findings"/p' "$TMP/out" >"$TMP/missing.part"
grep -q '"error": "cannot open' "$TMP/missing.part" || fail "failed file has no error"
grep -q '"findings": \[\]' "$TMP/missing.part" || fail "failed file has findings"
grep -q '"error": null' "$TMP/out" || fail "good files have error null"
grep -q '"rule": "clitest.consent"' "$TMP/out" || fail "first good file not linted"
grep -q '"rule": "clitest.sell"' "$TMP/out" || fail "last good file not linted"
grep -q '"summary": {"files": 3, "errors": 1, "warnings": 1, "infos": 0}' "$TMP/out" ||
    fail "summary"

zl $LINT "$DATA/error.txt" "$TMP/missing.txt"
expect_rc 2 "missing file, text format"
expect_out "(0 compliant, 1 could not be read)" "text summary counts the unreadable file"
# a document with no text (white space, a page its script fills in) is an
# input error, not a compliant document; a one-word document is linted
printf '   \n\t\n' >"$TMP/blank.txt"
printf '<html><head><title>Политика</title><script src="app.js"></script></head><body><div id="root"></div></body></html>\n' \
    >"$TMP/spa.html"
zl $LINT --format json "$TMP/blank.txt" "$TMP/spa.html" "$DATA/error.txt"
expect_rc 2 "documents without text"
expect_err "$TMP/blank.txt: error: no text to check" "blank document"
expect_err "$TMP/spa.html: error: no text to check" "script-filled page"
[ "$(grep -c '"error": "no text to check' "$TMP/out")" -eq 2 ] || fail "textless documents in the JSON"
grep -q '"rule": "clitest.consent"' "$TMP/out" || fail "the document with text was not linted"
echo "inputs: ok"
