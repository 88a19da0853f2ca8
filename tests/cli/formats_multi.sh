#!/bin/sh
# Several --format/--output pairs in one run: each file is byte-identical to
# the single-format run, the one format without --output goes to stdout,
# --output before --format binds to it, and the usage errors (two formats on
# stdout, a file twice, pairs with another command) exit 2.
. tests/cli/lib/common.sh

FMT="--no-default-rules --rules tests/fixtures/rules/formats --as-of 2024-05-01"
FD=tests/cli/data/formats
IN="$FD/sale.txt $FD/clean.txt"

for f in text json sarif junit github gitlab; do
    # shellcheck disable=SC2086
    zl $FMT --format $f $IN
    expect_rc 1 "single $f run"
    cp "$TMP/out" "$TMP/single.$f"
done

# shellcheck disable=SC2086
zl $FMT --format sarif --output "$TMP/m.sarif" --format junit -o "$TMP/m.junit" \
    --format text --format=gitlab --output="$TMP/m.gitlab" -o "$TMP/m.json" --format json \
    --format github -o "$TMP/m.github" $IN
expect_rc 1 "multi-format run"
cmp -s "$TMP/single.text" "$TMP/out" || fail "multi: stdout differs from the text run"
for f in sarif junit gitlab json github; do
    [ -f "$TMP/m.$f" ] || fail "multi: $f output not written"
    cmp -s "$TMP/single.$f" "$TMP/m.$f" || fail "multi: $f file differs from the single run"
done

# the old single forms still work: --output before --format
# shellcheck disable=SC2086
zl $FMT -o "$TMP/o.json" --format json $IN
expect_rc 1 "-o before --format"
[ ! -s "$TMP/out" ] || fail "-o before --format: stdout not empty"
cmp -s "$TMP/single.json" "$TMP/o.json" || fail "-o before --format: the file is not the json run"

# shellcheck disable=SC2086
zl $FMT --format json --format sarif $IN
expect_rc 2 "two formats on stdout"
expect_err "more than one --format writes to standard output"
# shellcheck disable=SC2086
zl $FMT --format json -o "$TMP/x" --format sarif -o "$TMP/x" $IN
expect_rc 2 "one file twice"
expect_err "is given twice"
[ ! -e "$TMP/x" ] || fail "a rejected command line wrote a file"
zl --format json -o "$TMP/r1" --format text -o "$TMP/r2" rules
expect_rc 2 "pairs with the rules command"
expect_err "only accepted when linting"
# shellcheck disable=SC2086
zl $FMT --format sarif -o "$TMP/y" --format nope $IN
expect_rc 2 "unknown second format"
expect_err "invalid value 'nope' for --format"
echo "formats_multi: ok"
