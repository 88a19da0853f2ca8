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

# the man page has every section the CI contract asks for, in this order
prev=0
for sec in NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" "CONFIGURATION FILE" SUPPRESSIONS \
    ENVIRONMENT FILES EXAMPLES; do
    n=$(grep -nx "\.SH $sec" docs/zanlint.1 | cut -d: -f1)
    [ -n "$n" ] || fail "docs/zanlint.1 has no '.SH $sec' section"
    [ "$n" -gt "$prev" ] || fail "docs/zanlint.1: '.SH $sec' out of order"
    prev=$n
done
# the SYNOPSIS names every command of --help
synopsis=$(sed -n '/^\.SH SYNOPSIS$/,/^\.SH /p' docs/zanlint.1)
for c in test rules explain segments; do
    zl --help
    grep -q "^ *zanlint $c " "$TMP/out" || fail "--help does not list the command $c"
    echo "$synopsis" | grep -qx "\.B zanlint $c" || fail "SYNOPSIS lacks 'zanlint $c'"
done
# the environment and the suppression syntax are documented
grep -qx '\.B CI' docs/zanlint.1 || fail "docs/zanlint.1 does not document CI"
for w in NO_COLOR FORCE_COLOR 'zanlint\-disable\-next' '[until' 'suppress =' '\-\-prune\-baseline'; do
    grep -qF -- "$w" docs/zanlint.1 || fail "docs/zanlint.1 does not mention '$w'"
done
# it renders without warnings
if command -v groff >/dev/null 2>&1; then
    groff -man -Tutf8 -P-cbou -ww docs/zanlint.1 >"$TMP/man.txt" 2>"$TMP/man.err" ||
        fail "groff failed on docs/zanlint.1"
    [ ! -s "$TMP/man.err" ] || { cat "$TMP/man.err" >&2; fail "groff warnings on docs/zanlint.1"; }
    grep -q "CONFIGURATION FILE" "$TMP/man.txt" || fail "rendered page lacks CONFIGURATION FILE"
else
    echo "groff not installed: rendering not checked"
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
