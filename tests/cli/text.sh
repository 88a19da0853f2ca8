#!/bin/sh
# The text format: "path:line:col: severity: message [rule] (article)", the
# source line with a caret underline, the summary (unless --quiet), colour
# only when asked for.
. tests/cli/lib/common.sh

printf 'Политика.\n\nС вашего согласия мы продаем персональные данные партнерам.\n' >"$TMP/w.txt"
# shellcheck disable=SC2086
zl $LINT "$TMP/w.txt"
expect_rc 0 "warning only"
head -n 1 "$TMP/out" >"$TMP/first"
grep -qxF "$TMP/w.txt:3:22: warning: Текст допускает продажу персональных данных. [clitest.sell] (ст. 8)" \
    "$TMP/first" || fail "finding line: $(cat "$TMP/first")"
[ "$(sed -n 2p "$TMP/out")" = "    С вашего согласия мы продаем персональные данные партнерам." ] || fail "source line"
caret=$(sed -n 3p "$TMP/out")
case $caret in
"                         ^"*) ;;
*) fail "caret line: '$caret'" ;;
esac
[ "$(tail -n 1 "$TMP/out")" = "0 errors, 1 warning, 0 infos in 1 file" ] || fail "summary"
! grep -q "$(printf '\033')" "$TMP/out" || fail "colour with NO_COLOR and a pipe"

zl $LINT --quiet "$TMP/w.txt"
! grep -q "infos in" "$TMP/out" || fail "--quiet still prints the summary"
[ "$(wc -l <"$TMP/out")" -eq 3 ] || fail "--quiet output"

zl $LINT --color always "$TMP/w.txt"
grep -q "$(printf '\033')\[" "$TMP/out" || fail "--color always has no escapes"
FORCE_COLOR=1 zl $LINT "$TMP/w.txt"
grep -q "$(printf '\033')\[" "$TMP/out" || fail "FORCE_COLOR has no escapes"
FORCE_COLOR=1 zl $LINT --output "$TMP/w.report" "$TMP/w.txt"
! grep -q "$(printf '\033')" "$TMP/w.report" || fail "FORCE_COLOR put escapes into an --output file"
FORCE_COLOR=1 zl $LINT --color never "$TMP/w.txt"
! grep -q "$(printf '\033')" "$TMP/out" || fail "--color never has escapes"

zl $LINT --lang en "$TMP/w.txt"
expect_out "warning: The text allows selling personal data. [clitest.sell] (ст. 8)" "--lang en"

# a long line is shown as a window around the span
long=$(awk 'BEGIN { for (i = 0; i < 60; i++) printf "слово "; }')
printf 'С вашего согласия. %s мы используем cookie. %s\n' "$long" "$long" >"$TMP/long.txt"
zl $LINT --fail-on never "$TMP/long.txt"
expect_rc 0 "long line"
line=$(sed -n 2p "$TMP/out")
case $line in "    …"*"cookie"*"…") ;; *) fail "long line window: '$line'" ;; esac
n=$(printf '%s' "$line" | wc -m)
[ "$n" -le 170 ] || fail "long line window is $n characters"
echo "text: ok"
