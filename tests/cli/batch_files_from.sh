#!/bin/sh
# --files-from: a newline-separated list (CRLF too, empty lines skipped), a
# NUL-separated one (-0/--null, names with spaces and newlines), the list on
# standard input, directories in the list walked, positional paths first;
# several lists; errors: a missing list, a NUL-separated list without -0,
# standard input used twice.
. tests/cli/lib/common.sh

T=$TMP/t
mkdir -p "$T/dir/sub"
cp "$DATA/error.txt" "$T/one.txt"
cp "$DATA/warning.txt" "$T/two words.txt"
cp "$DATA/info.txt" "$T/dir/sub/three.txt"
cp "$DATA/clean.txt" "$T/new
line.txt"

paths() {
    sed -n 's/^      "path": "\(.*\)",$/\1/p' "$TMP/out" | sed "s|^$T/||" | tr '\n' '|'
}

printf '%s\n\n%s\r\n%s\n' "$T/two words.txt" "$T/one.txt" "$T/dir" >"$TMP/list"
zl $LINT --format json --files-from "$TMP/list"
expect_rc 1 "newline list"
[ "$(paths)" = "two words.txt|one.txt|dir/sub/three.txt|" ] || fail "newline list: got '$(paths)'"

printf '%s\0%s\0' "$T/new
line.txt" "$T/one.txt" >"$TMP/list0"
zl $LINT --format json -0 --files-from "$TMP/list0"
expect_rc 1 "NUL list"
[ "$(paths)" = "new\\nline.txt|one.txt|" ] || fail "NUL list: got '$(paths)'"
zl $LINT --format json --null --files-from "$TMP/list0" "$T/dir"
[ "$(paths)" = "dir/sub/three.txt|new\\nline.txt|one.txt|" ] ||
    fail "positional paths come first: got '$(paths)'"

zl_in "$TMP/list" $LINT --format json --files-from -
expect_rc 1 "list on standard input"
[ "$(paths)" = "two words.txt|one.txt|dir/sub/three.txt|" ] || fail "stdin list: got '$(paths)'"

# an empty list lints nothing and succeeds
: >"$TMP/empty"
zl $LINT --format json --files-from "$TMP/empty"
expect_rc 0 "empty list"
expect_out '"summary": {"files": 0,' "empty list summary"

# a listed path that does not exist is an input error, the others still linted
printf '%s\n%s\n' "$T/missing.txt" "$T/one.txt" >"$TMP/list2"
zl $LINT --format json --files-from "$TMP/list2"
expect_rc 2 "missing listed path"
[ "$(paths)" = "missing.txt|one.txt|" ] || fail "missing listed path: got '$(paths)'"

zl $LINT --files-from "$TMP/nope"
expect_rc 2 "missing list"
expect_err "--files-from $TMP/nope: " "missing list message"
zl_in "$TMP/list" $LINT --files-from - -
expect_rc 2 "'-' twice"
expect_err "cannot be both" "'-' twice message"
# a NUL-separated list read without -0 is refused, not cut at its first NUL
zl $LINT --format json --files-from "$TMP/list0"
expect_rc 2 "NUL list without -0"
expect_err "the list is separated by NUL bytes; give -0" "NUL list without -0 message"
expect_no_out '"path"' "NUL list without -0 lints nothing"

# a UTF-8 BOM (Notepad) is not part of the first path; lists add up, in order
printf '\357\273\277%s\r\n' "$T/one.txt" >"$TMP/bom"
printf '%s\n' "$T/two words.txt" >"$TMP/list3"
zl $LINT --format json --files-from "$TMP/bom" --files-from "$TMP/list3"
expect_rc 1 "BOM list and a second list"
[ "$(paths)" = "one.txt|two words.txt|" ] || fail "two lists: got '$(paths)'"

# standard input is read once: '-' in a list read from it, '-' twice, two
# lists from it
printf -- '-\n%s\n' "$T/one.txt" >"$TMP/dash"
zl_in "$TMP/dash" $LINT --files-from -
expect_rc 2 "'-' in the stdin list"
expect_err "a line of the list is '-'" "'-' in the stdin list message"
zl_in "$DATA/error.txt" $LINT - -
expect_rc 2 "'-' given twice"
expect_err "'-' given twice" "'-' given twice message"
zl_in "$TMP/list" $LINT --files-from - --files-from -
expect_rc 2 "two lists from stdin"
expect_err "--files-from - given twice" "two lists from stdin message"
echo "batch_files_from: ok"
