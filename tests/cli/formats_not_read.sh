#!/bin/sh
# Document formats zanlint does not read (.doc, .rtf, .odt, ...): a walk takes
# them, so a folder under audit never loses a document silently, and each is
# an input error that names the format (exit 2, every other file still
# linted).  The content is recognised under any name (an RTF file named .txt
# is not linted as text, a .doc renamed .docx is named as what it is); a text
# file named .doc is read as text; .docm and .dotx are read as DOCX.
. tests/cli/lib/common.sh

NOT_READ="not a format zanlint reads (it reads .txt, .md, .html, .docx, .pdf)"
ole2() { printf '\320\317\021\340\241\261\032\341\000\000\000\000' >"$1"; }
rtf() { printf '{\\rtf1\\ansi\\ansicpg1251 \\f0 \\'"'"'cf\\'"'"'ee\\'"'"'eb\\par}' >"$1"; }
# the start of an ODF package: a zip local header (30 bytes) whose first
# entry is the uncompressed "mimetype"
odt() {
    printf 'PK\003\004\012\000\000\000\000\000\000\000\000\000\000\000\000\000' >"$1"
    printf '\047\000\000\000\047\000\000\000\010\000\000\000' >>"$1"
    printf 'mimetypeapplication/vnd.oasis.opendocument.text' >>"$1"
}

mkdir -p "$TMP/c/sub"
cp "$DATA/error.txt" "$TMP/c/a.txt"
ole2 "$TMP/c/old.doc"
rtf "$TMP/c/sub/b.rtf"
odt "$TMP/c/c.odt"
printf 'x' >"$TMP/c/d.pages"
cp "$DATA/error.txt" "$TMP/c/text.doc"
cp "$DATA/error.txt" "$TMP/c/image.png"
cp "$ROOT/tests/fixtures/docx/seed-003.docx" "$TMP/c/t.dotx"
cp "$ROOT/tests/fixtures/docx/seed-003.docx" "$TMP/c/m.docm"

zl $LINT --format json "$TMP/c"
expect_rc 2 "walk with documents zanlint does not read"
paths=$(sed -n 's/^ *"path": "\(.*\)",$/\1/p' "$TMP/out" | sed "s|^$TMP/c/||" | tr '\n' ' ')
want="a.txt c.odt d.pages m.docm old.doc sub/b.rtf t.dotx text.doc "
[ "$paths" = "$want" ] || fail "walked inputs: got '$paths', want '$want'"
for f in "c.odt:an OpenDocument text" "d.pages:an Apple Pages document" \
    "old.doc:a Word 97-2003 document" "sub/b.rtf:an RTF document"; do
    name=${f%%:*}
    what=${f#*:}
    expect_err "zanlint: $TMP/c/$name: error: $what, $NOT_READ: save it as DOCX or PDF, or leave it out (--exclude or .zanlintignore)" "$name refused by name"
    sed -n "/\"path\": \"$(printf '%s' "$TMP/c/$name" | sed 's|/|\\/|g')\"/,/\"findings\"/p" "$TMP/out" >"$TMP/part"
    grep -qF "\"error\": \"$what, not a format" "$TMP/part" || fail "$name: no error in the JSON"
done
n=$(grep -c '"error": null' "$TMP/out")
[ "$n" -eq 4 ] || fail "a.txt, m.docm, t.dotx, text.doc read: $n files without error"
grep -q '"rule": "clitest.consent"' "$TMP/out" || fail "text named .doc not linted as text"
n=$(grep -c 'not a format zanlint reads' "$TMP/err")
[ "$n" -eq 4 ] || fail "expected 4 diagnostics, got $n"

zl $LINT "$TMP/c"
expect_rc 2 "text report"
expect_out "in 8 files (0 compliant, 4 could not be read)" "summary counts the documents not read"

zl $LINT --format json --exclude '*.doc' --exclude '*.rtf' --exclude '*.odt' --exclude '*.pages' "$TMP/c"
expect_rc 1 "left out with --exclude"
expect_empty_err "left out with --exclude"
expect_no_out "old.doc" "--exclude '*.doc'"
expect_out "m.docm" "the others still linted"

# named explicitly: recognised by content whatever the name
rtf "$TMP/policy.txt"
ole2 "$TMP/renamed.docx"
zl $LINT "$TMP/policy.txt" "$TMP/renamed.docx" "$DATA/error.txt"
expect_rc 2 "explicit files"
expect_err "zanlint: $TMP/policy.txt: error: an RTF document, $NOT_READ" "RTF named .txt"
expect_err "zanlint: $TMP/renamed.docx: error: a Word 97-2003 document, $NOT_READ" ".doc named .docx"
expect_out "error.txt:" "the good file still linted"
zl_in "$TMP/policy.txt" $LINT -
expect_rc 2 "RTF on standard input"
expect_err "zanlint: <stdin>: error: an RTF document, $NOT_READ" "RTF on standard input"
echo "formats_not_read: ok"
