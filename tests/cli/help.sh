#!/bin/sh
# --help lists every option of the table, docs/zanlint.1 carries the same
# OPTIONS section as the table (--help-man), --version matches ZL_VERSION.
. tests/cli/lib/common.sh

zl --help
expect_rc 0 "--help"
expect_empty_err "--help"
expect_out "Usage: zanlint [OPTIONS] PATH..." "usage line"
zl --help-man
expect_rc 0 "--help-man"
cp "$TMP/out" "$TMP/man-options"
names=$(sed -n 's/.*\\fB\\-\\-\([a-z\\-]*\)\\fR.*/\1/p' "$TMP/man-options" | sed 's/\\-/-/g')
[ -n "$names" ] || fail "--help-man lists no options"
count=0
zl --help
for n in $names; do
    grep -qE -- "--$n( |$)" "$TMP/out" || fail "--help does not list --$n"
    count=$((count + 1))
done
[ "$count" -ge 15 ] || fail "only $count options in the table"
for n in format output fail-on lang rules no-default-rules disable enable as-of color quiet \
    max-bytes encoding version help; do
    echo "$names" | grep -qx -- "$n" || fail "option --$n missing from the table"
done
! grep -qF -- "--help-man" "$TMP/out" || fail "the hidden --help-man appears in --help"
awk 'length($0) > 79 { bad = 1 } END { exit bad }' "$TMP/out" || fail "--help has lines over 79 columns"

# the man page's OPTIONS section is the table
sed -n '/^\.SH OPTIONS$/,/^\.SH /p' docs/zanlint.1 | sed '$d' >"$TMP/doc-options"
if ! cmp -s "$TMP/man-options" "$TMP/doc-options"; then
    diff -u "$TMP/doc-options" "$TMP/man-options" >&2
    fail "docs/zanlint.1 OPTIONS differ from the option table (regenerate: see docs/cli.md)"
fi

zl -h
expect_rc 0 "-h"
zl --version
expect_rc 0 "--version"
want=$(sed -n 's/^#define ZL_VERSION "\(.*\)"$/\1/p' include/zanlint.h)
[ "$(cat "$TMP/out")" = "zanlint $want" ] || fail "--version prints '$(cat "$TMP/out")'"
zl -V
expect_rc 0 "-V"
echo "help: ok"
