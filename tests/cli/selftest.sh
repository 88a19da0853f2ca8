#!/bin/sh
# `zanlint test`: a pack whose examples all hold passes; a failing example
# exits 1 with "file:line: rule-id: detail" and "N passed, N failed" last;
# a rule-file error prints file:line:col with a caret and exits 2.
. tests/cli/lib/common.sh

zl test "$PACK"
expect_rc 0 "test on the good pack"
[ "$(tail -n 1 "$TMP/out")" = "6 passed, 0 failed" ] || fail "good pack summary"

zl test "$DATA/bad-example.rules"
expect_rc 1 "test with a failing example"
[ "$(tail -n 1 "$TMP/out")" = "1 passed, 1 failed" ] || fail "failing pack summary: $(tail -n 1 "$TMP/out")"
grep -qE '^(.*/)?bad-example\.rules:7: badex\.consent: .+' "$TMP/out" || fail "failure line"

zl test "$PACK" "$DATA/bad-example.rules"
expect_rc 1 "two packs"
[ "$(tail -n 1 "$TMP/out")" = "7 passed, 1 failed" ] || fail "two packs summary"

zl --no-default-rules --rules "$PACK" test
expect_rc 0 "test with --rules and no built-in pack"
[ "$(tail -n 1 "$TMP/out")" = "6 passed, 0 failed" ] || fail "--rules summary"

zl test "$DATA/syntax-error.rules"
expect_rc 2 "test on a broken rule file"
grep -qE "^zanlint: .*syntax-error\.rules:4:[0-9]+: error: " "$TMP/err" || fail "file:line:col: error:"
grep -qE '^ +\^+$' "$TMP/err" || fail "no caret line"
grep -qF 'require "соглас*" | | "келісім*"' "$TMP/err" || fail "no source line"

zl --no-default-rules --rules "$DATA/syntax-error.rules" rules
expect_rc 2 "rules with a broken rule file"

zl test "$TMP/nothing.rules"
expect_rc 2 "test on a missing rule file"
echo "selftest: ok"
