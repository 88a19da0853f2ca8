#!/bin/sh
# Inline suppressions in Markdown: <!-- zanlint-disable / -enable /
# -disable-next RULE -- reason -->, expiry, the zanlint.* meta findings and
# --include-suppressed (docs/suppressions.md).
. tests/cli/lib/common.sh
SUP="--no-config --no-default-rules --rules $ROOT/tests/fixtures/rules/suppress --lang en"

cat >"$TMP/bad.md" <<'MD'
# Policy

We share nothing.

Мы продаем персональные данные партнерам.
MD
# shellcheck disable=SC2086
zl $SUP "$TMP/bad.md"
expect_rc 1 "unsuppressed error"
expect_out "bad.md:5:4: error: The text allows selling personal data. [sup.sell]" "the finding"

# disable-next hides the finding of the next paragraph: exit 0
cat >"$TMP/next.md" <<'MD'
# Policy

<!-- zanlint-disable-next sup.sell -- approved by legal, ticket LEG-12 -->
Мы продаем персональные данные партнерам.

Мы используем cookie.
MD
zl $SUP "$TMP/next.md"
expect_rc 0 "disable-next suppresses the error"
expect_no_out "[sup.sell]" "suppressed finding hidden"
expect_out "next.md:6:15: warning: Cookies are mentioned. [sup.cookies]" "only the next paragraph"
expect_out "0 errors, 1 warning, 0 infos in 1 file" "suppressed findings are not counted"

# --include-suppressed keeps it, marked, without failing
zl $SUP --include-suppressed "$TMP/next.md"
expect_rc 0 "suppressed findings never fail the run"
expect_out "[sup.sell] (ст. 8) (suppressed: approved by legal, ticket LEG-12)" "text note"
expect_out "0 errors, 1 warning" "still not counted"
zl $SUP --include-suppressed --format json "$TMP/next.md"
expect_rc 0 "json include-suppressed"
expect_out '"suppressed": {"kind": "inSource", "reason": "approved by legal, ticket LEG-12"}' "json shape"
zl $SUP --format json "$TMP/next.md"
expect_no_out '"suppressed"' "no suppressed key without the flag"

# a region with a prefix pattern; enable closes it
cat >"$TMP/region.md" <<'MD'
<!-- zanlint-disable sup.* -- legacy text, rewrite planned -->
Мы используем cookie.

Мы продаем персональные данные партнерам.
<!-- zanlint-enable sup.* -->

Мы используем cookie снова.
MD
zl $SUP "$TMP/region.md"
expect_rc 0 "region suppresses the error"
expect_out "region.md:7:15: warning: Cookies are mentioned. [sup.cookies]" "after enable"
[ "$(grep -c '\[sup\.' "$TMP/out")" -eq 1 ] || fail "only the finding after the enable"

# a disable without an enable runs to the end of the document
printf '# P\n\n<!-- zanlint-disable sup.sell -- accepted -->\n\nA.\n\nМы продаем персональные данные партнерам.\n' >"$TMP/toend.md"
zl $SUP "$TMP/toend.md"
expect_rc 0 "open region runs to the end"

# missing reason: an error finding at the directive, and the directive is ignored
cat >"$TMP/noreason.md" <<'MD'
# Policy

<!-- zanlint-disable-next sup.sell -->
Мы продаем персональные данные партнерам.
MD
zl $SUP "$TMP/noreason.md"
expect_rc 1 "missing reason fails"
expect_out "noreason.md:3:1: error: Suppression directive without a reason" "missing reason finding"
expect_out "[zanlint.suppression-missing-reason]" "meta rule id"
expect_out "noreason.md:4:4: error: The text allows selling personal data. [sup.sell]" "ignored directive"

# unknown rule id
printf '<!-- zanlint-disable sup.nope -- because -->\nText.\n' >"$TMP/unknown.md"
zl $SUP "$TMP/unknown.md"
expect_rc 1 "unknown rule fails"
expect_out "unknown.md:1:1: error: Suppression directive names an unknown rule 'sup.nope'. [zanlint.suppression-unknown-rule]" "unknown rule finding"

# malformed directive
printf '<!-- zanlint-disable-next-line sup.sell -- x -->\nText.\n' >"$TMP/malformed.md"
zl $SUP "$TMP/malformed.md"
expect_rc 1 "malformed directive fails"
expect_out "[zanlint.suppression-invalid]" "invalid directive finding"
printf '<!-- zanlint-disable sup.sell until 2027-13-01 -- x -->\nText.\n' >"$TMP/baddate.md"
zl $SUP "$TMP/baddate.md"
expect_out "invalid date after until" "bad date detail"

# expiry: suppressed until the date, then back with a note
cat >"$TMP/until.md" <<'MD'
# Policy

<!-- zanlint-disable-next sup.sell until 2027-01-01 -- contract ends in 2026 -->
Мы продаем персональные данные партнерам.
MD
zl $SUP --as-of 2026-12-31 "$TMP/until.md"
expect_rc 0 "before the date"
zl $SUP --as-of 2027-01-01 "$TMP/until.md"
expect_rc 1 "on the date the suppression has expired"
expect_out "The text allows selling personal data. (suppression expired on 2027-01-01: contract ends in 2026) [sup.sell]" "expiry note"
expect_no_out "zanlint.unused-suppression" "an expired suppression that covers a finding is not unused"

# a comment inside a code block is text, not a directive
printf '# P\n\n```\n<!-- zanlint-disable sup.sell -->\n```\n\nMore.\n' >"$TMP/code.md"
zl $SUP "$TMP/code.md"
expect_rc 0 "no directive in a code block"
expect_no_out "zanlint." "no meta finding"
# nor in a plain-text file
printf '<!-- zanlint-disable sup.sell -- x -->\nМы продаем персональные данные партнерам.\n' >"$TMP/plain.txt"
zl $SUP "$TMP/plain.txt"
expect_rc 1 "comments are not directives in .txt"
expect_no_out "zanlint." "no meta finding in .txt"

# meta rules can be turned off like any rule
zl $SUP --disable zanlint.suppression-missing-reason "$TMP/noreason.md"
expect_no_out "zanlint.suppression-missing-reason" "--disable of a meta rule"
exit 0
