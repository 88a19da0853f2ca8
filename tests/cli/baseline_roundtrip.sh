#!/bin/sh
# --write-baseline / --baseline: the baseline survives lines inserted above
# the findings, counts are respected (a duplicated clause reports the extra
# one), new findings are reported, bad files are errors.
. tests/cli/lib/common.sh
SUP="--no-config --no-default-rules --rules $ROOT/tests/fixtures/rules/suppress --lang en"
cd "$TMP" || exit 1
mkdir docs
cat >docs/p.md <<'MD'
# Policy

Мы продаем персональные данные партнерам.

Мы используем cookie.
MD
# shellcheck disable=SC2086
zl $SUP docs/p.md
expect_rc 1 "findings before the baseline"
zl $SUP --write-baseline base.json docs/p.md
expect_rc 0 "writing a baseline accepts the findings"
[ -f base.json ] || fail "baseline written"
grep -qF '"version": 1' base.json || fail "baseline version"
grep -qF '"tool": "zanlint"' base.json || fail "baseline tool"
grep -qF '{"path": "docs/p.md", "rule": "sup.sell", "fingerprint": "' base.json || fail "sell entry"
grep -qF '"count": 1}' base.json || fail "count"
[ "$(grep -c '"rule"' base.json)" -eq 2 ] || fail "two entries"

zl $SUP --baseline base.json docs/p.md
expect_rc 0 "baseline hides the accepted findings"
expect_out "0 errors, 0 warnings" "nothing reported"
expect_err "zanlint: baseline base.json: 2 findings accepted, 0 stale entries" "baseline note"

# insert lines at the top: still matched (fingerprints have no line numbers)
{ printf '# Заголовок\n\nНовый вводный абзац.\n\n'; cat docs/p.md; } >docs/p2 && mv docs/p2 docs/p.md
zl $SUP --baseline ./base.json ./docs/p.md
expect_rc 0 "baseline survives inserted lines (and ./ paths)"

# a duplicated offending clause: the extra one is new
printf '\nМы продаем персональные данные партнерам.\n' >>docs/p.md
zl $SUP --baseline base.json docs/p.md
expect_rc 1 "the duplicate is reported"
[ "$(grep -c '\[sup.sell\]' "$TMP/out")" -eq 1 ] || fail "only one sell finding"
expect_out "docs/p.md:11:4: error:" "the later one is the new one"

# a finding fixed: a stale entry is counted
printf '# Policy\n\nМы используем cookie.\n' >docs/p.md
zl $SUP --baseline base.json docs/p.md
expect_rc 0 "fixed finding"
expect_err "1 finding accepted, 1 stale entry" "stale count"

# malformed baselines are errors (exit 2) with a position
printf '{"version": 1, "entries": [{"path": "a", "rule": "r"}]}' >bad.json
zl $SUP --baseline bad.json docs/p.md
expect_rc 2 "entry without fingerprint"
expect_err "bad.json:1:28: error: an entry needs" "position of the entry"
printf '{"version": 2, "entries": []}' >v2.json
zl $SUP --baseline v2.json docs/p.md
expect_rc 2 "unsupported version"
zl $SUP --baseline missing.json docs/p.md
expect_rc 2 "missing baseline"
exit 0
