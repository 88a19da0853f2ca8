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
