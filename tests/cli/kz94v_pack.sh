#!/bin/sh
# The built-in kz94v pack as a whole:
#  1. every embedded example holds (`zanlint test`), and there are enough of them;
#  2. the pack implements exactly the catalogue (tests/fixtures/kz94v-catalogue.tsv,
#     copied from shared/rules-spec.md): every id, with its severity and article,
#     and no rule the catalogue does not list;
#  3. docs/rules.md is what `zanlint rules --format markdown` generates (`make docs`);
#  4. seed 003 cut into its Kazakh and Russian versions: each half alone gets
#     003's labels (tests/fixtures/seeds/split/).
. tests/cli/lib/common.sh

# 1. examples
zl test
expect_rc 0 "zanlint test on the built-in pack"
last=$(tail -n 1 "$TMP/out")
case $last in
*" passed, 0 failed") ;;
*) fail "unexpected summary: $last" ;;
esac
passed=${last%% passed*}
[ "$passed" -ge 240 ] || fail "only $passed examples: 40 rules need at least 3 pass + 3 fail each"

# 2. catalogue
zl rules --format json
expect_rc 0 "zanlint rules --format json"
grep '"id": "kz94v\.' "$TMP/out" |
    sed 's/.*"id": "\([^"]*\)", "severity": "\([^"]*\)", "article": "\([^"]*\)".*/\1	\2	\3/' |
    sort >"$TMP/pack.tsv"
grep -v '^#' tests/fixtures/kz94v-catalogue.tsv | sort >"$TMP/catalogue.tsv"
if ! diff -u "$TMP/catalogue.tsv" "$TMP/pack.tsv" >"$TMP/diff"; then
    cat "$TMP/diff" >&2
    fail "the pack differs from the catalogue (- catalogue, + pack)"
fi

# 3. generated documentation
zl rules --format markdown
expect_rc 0 "zanlint rules --format markdown"
if ! diff -u docs/rules.md "$TMP/out" >"$TMP/diff"; then
    head -n 40 "$TMP/diff" >&2
    fail "docs/rules.md is out of date: run 'make docs'"
fi

# 4. each language version of seed 003 alone
SEEDS=tests/fixtures/seeds/split sh tests/cli/seeds_expected.sh >"$TMP/split" 2>&1 ||
    { cat "$TMP/split" >&2; fail "seed 003 language versions"; }
exit 0
