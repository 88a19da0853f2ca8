#!/bin/sh
# Unused suppressions: an inline directive that suppressed nothing is a
# zanlint.unused-suppression warning at the directive; a configured one is a
# warning on stderr at the .zanlint line.
. tests/cli/lib/common.sh
SUP="--no-default-rules --rules $ROOT/tests/fixtures/rules/suppress --lang en"

cat >"$TMP/p.md" <<'MD'
# Policy

<!-- zanlint-disable-next sup.sell,sup.cookies -- reviewed -->
Мы продаем персональные данные партнерам.

<!-- zanlint-enable sup.sell -->
MD
# shellcheck disable=SC2086
zl --no-config $SUP "$TMP/p.md"
expect_rc 0 "warnings only"
expect_out "p.md:3:1: warning: Unused suppression: rule 'sup.cookies' reported nothing here. [zanlint.unused-suppression]" "unused entry of the directive"
expect_no_out "rule 'sup.sell' reported nothing" "the used entry is not reported"
expect_out "p.md:6:1: warning: Unused suppression: zanlint-enable closes no zanlint-disable directive." "enable closing nothing"
zl --no-config $SUP --fail-on warning "$TMP/p.md"
expect_rc 1 "unused suppressions fail with --fail-on warning"
zl --no-config $SUP --disable zanlint.unused-suppression "$TMP/p.md"
expect_rc 0 "can be turned off"
expect_no_out "zanlint.unused-suppression" "turned off"

mkdir -p "$TMP/proj/docs"
printf 'Мы используем cookie.\n' >"$TMP/proj/docs/a.txt"
printf 'Текст.\n' >"$TMP/proj/docs/b.txt"
cat >"$TMP/proj/.zanlint" <<'CFG'
[path:docs/*.txt]
suppress = sup.cookies -- the banner is described in the cookie policy
suppress = sup.sell -- never sold, wording from the template
CFG
cd "$TMP/proj" || exit 1
zl $SUP docs
expect_rc 0 "configured suppression"
expect_no_out "[sup.cookies]" "suppressed by the config"
expect_err "zanlint: .zanlint:3: warning: unused suppression: rule 'sup.sell' reported nothing in the 2 files matching [path:docs/*.txt]" "config unused on stderr"
[ "$(grep -c 'unused suppression' "$TMP/err")" -eq 1 ] || fail "reported once per run"
zl $SUP --include-suppressed --format json docs
expect_out '"suppressed": {"kind": "external", "reason": "the banner is described in the cookie policy"}' "external kind"
exit 0
