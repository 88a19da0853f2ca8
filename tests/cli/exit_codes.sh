#!/bin/sh
# Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage/rule error or
# unreadable input.
. tests/cli/lib/common.sh

# shellcheck disable=SC2086
zl $LINT "$DATA/clean.txt"
expect_rc 0 "clean file"
expect_out "0 errors, 0 warnings, 0 infos in 1 file" "clean summary"

zl $LINT "$DATA/error.txt"
expect_rc 1 "missing consent is an error"
expect_out "[clitest.consent]" "error finding"

zl $LINT --fail-on never "$DATA/error.txt"
expect_rc 0 "--fail-on never"

zl $LINT "$DATA/warning.txt"
expect_rc 0 "a warning does not fail with the default --fail-on error"
expect_out "warning:" "warning finding shown"
zl $LINT --fail-on warning "$DATA/warning.txt"
expect_rc 1 "--fail-on warning with a warning"
zl $LINT --fail-on=warning "$DATA/info.txt"
expect_rc 0 "--fail-on warning with only an info"
zl $LINT --fail-on info "$DATA/info.txt"
expect_rc 1 "--fail-on info with an info"

# the full --fail-on matrix: LEVEL x (clean, only infos, only warnings,
# errors, all three in one run): 1 exactly when the worst finding is at or above LEVEL
for f in clean info warning error; do
    zl $LINT --format json "$DATA/$f.txt"
    for s in error warning info; do
        n=$(grep -c "\"severity\": \"$s\"" "$TMP/out")
        case $f in
        "$s") [ "$n" -ge 1 ] || fail "$f.txt has no $s finding" ;;
        *) [ "$n" -eq 0 ] || fail "$f.txt has a $s finding: the matrix needs one severity per file" ;;
        esac
    done
done
for row in "error clean 0" "error info 0" "error warning 0" "error error 1" \
    "warning clean 0" "warning info 0" "warning warning 1" "warning error 1" \
    "info clean 0" "info info 1" "info warning 1" "info error 1" \
    "never clean 0" "never info 0" "never warning 0" "never error 0"; do
    set -- $row
    zl $LINT --fail-on "$1" "$DATA/$2.txt"
    expect_rc "$3" "--fail-on $1 on $2.txt"
    # the level also comes from .zanlint's fail-on
    printf 'fail-on = %s\n' "$1" >"$TMP/cfg"
    zl $LINT --config "$TMP/cfg" "$DATA/$2.txt"
    expect_rc "$3" "fail-on = $1 (.zanlint) on $2.txt"
done
for row in "error 1" "warning 1" "info 1" "never 0"; do
    set -- $row
    zl $LINT --fail-on "$1" "$DATA/info.txt" "$DATA/warning.txt" "$DATA/error.txt"
    expect_rc "$2" "--fail-on $1 on errors, warnings and infos in one run"
    # an unreadable input makes it 2 whatever the level
    zl $LINT --fail-on "$1" "$DATA/clean.txt" "$DATA/error.txt" "$TMP/does-not-exist.txt"
    expect_rc 2 "--fail-on $1 with an unreadable input"
done

zl $LINT "$TMP/does-not-exist.txt"
expect_rc 2 "unreadable input"
expect_err "zanlint: $TMP/does-not-exist.txt: error: " "diagnostic for the missing file"

zl $LINT --disable clitest.consent "$DATA/error.txt"
expect_rc 0 "--disable turns the rule off"
zl $LINT --disable 'clitest.*' --enable clitest.consent "$DATA/error.txt"
expect_rc 1 "--enable after --disable turns it back on"
zl $LINT --disable clitest.nope "$DATA/clean.txt"
expect_rc 2 "unknown --disable id"
expect_err "unknown rule 'clitest.nope'" "unknown id message"
zl $LINT --enable nope "$DATA/clean.txt"
expect_rc 2 "unknown --enable id"

zl --frobnicate "$DATA/clean.txt"
expect_rc 2 "unknown option"
grep -qxF "zanlint: error: unknown option '--frobnicate' (see 'zanlint --help')" "$TMP/err" ||
    fail "unknown option message"
zl --fail-on=sometimes "$DATA/clean.txt"
expect_rc 2 "bad --fail-on value"
zl --as-of 2024-02-30 "$DATA/clean.txt"
expect_rc 2 "bad --as-of date"
zl --format
expect_rc 2 "--format without a value"
zl --quiet=yes "$DATA/clean.txt"
expect_rc 2 "a flag given a value"
zl --format nope "$DATA/clean.txt"
expect_rc 2 "unknown format"
zl $LINT
expect_rc 2 "no input"
zl --no-default-rules --rules "$DATA/syntax-error.rules" "$DATA/clean.txt"
expect_rc 2 "rule error while linting"
zl --no-default-rules --rules "$DATA/future.rules" --as-of 2029-12-31 "$DATA/info.txt"
expect_rc 0 "a rule not yet in force"
zl --no-default-rules --rules "$DATA/future.rules" --as-of 2030-01-01 "$DATA/info.txt"
expect_rc 1 "a rule in force with --as-of"

printf 'Согласие.\n' >"$TMP/tiny.txt"
zl $LINT --max-bytes 20 "$DATA/error.txt" "$TMP/tiny.txt"
expect_rc 2 "an input over --max-bytes"
expect_err "$DATA/error.txt: error: " "--max-bytes diagnostic"
expect_out "0 errors, 0 warnings, 0 infos in 2 files (1 compliant, 1 could not be read)" "--max-bytes summary"
zl $LINT --max-bytes 1k "$DATA/error.txt"
expect_rc 1 "--max-bytes with a suffix"
zl $LINT --max-bytes 12q "$DATA/error.txt"
expect_rc 2 "a bad --max-bytes value"
zl $LINT --encoding no-such-encoding "$DATA/clean.txt"
expect_rc 2 "an unknown --encoding"
echo "exit codes: ok"
