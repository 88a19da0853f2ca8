#!/bin/sh
# --write-baseline / --baseline: the baseline survives lines inserted above
# the findings, counts are respected (a duplicated clause reports the extra
# one), new findings are reported, bad files are errors; the round trip
# (edit an unrelated line: nothing new; edit the offending clause: the
# finding is back) and --prune-baseline (drops exactly the stale entries).
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

# ---- round trip: write, edit an unrelated line, edit the clause, prune ----
cat >docs/r.md <<'MD'
# Policy

Мы продаем персональные данные партнерам.

Мы используем cookie.

Мы храним данные пять лет.
MD
cat >docs/gone.md <<'MD'
Мы используем cookie для аналитики.
MD
zl $SUP --write-baseline rt.json docs/r.md docs/gone.md
expect_rc 0 "round trip: baseline written"
[ "$(grep -c '"rule"' rt.json)" -eq 3 ] || fail "round trip: three entries"
sed 's/пять лет/три года/; s/^# Policy$/# Privacy policy of ACME/' docs/r.md >docs/r2 &&
    mv docs/r2 docs/r.md
zl $SUP --baseline rt.json docs/r.md
expect_rc 0 "an unrelated edit reports nothing new"
expect_out "0 errors, 0 warnings" "unrelated edit: nothing reported"
expect_err "2 findings accepted, 0 stale entries" "unrelated edit: both still accepted"
sed 's/продаем персональные/продаем клиентские персональные/' docs/r.md >docs/r2 &&
    mv docs/r2 docs/r.md
zl $SUP --baseline rt.json docs/r.md
expect_rc 1 "editing the offending clause brings the finding back"
grep -qF "docs/r.md:3:4: error: The text allows selling personal data. [sup.sell]" "$TMP/out" ||
    fail "the edited clause is reported"
expect_no_out "[sup.cookies]" "the untouched finding stays accepted"
expect_err "1 finding accepted, 1 stale entry" "the old clause's entry is stale"

# --prune-baseline: drops the stale sell entry and the deleted file's entry,
# keeps the others byte for byte, sorted
cp rt.json rt-before.json
rm docs/gone.md
zl $SUP --baseline rt.json --prune-baseline docs/r.md
expect_rc 1 "pruning does not hide the new finding"
expect_err "baseline rt.json: pruned 2 stale findings (1 of 3 entries left)" "prune note"
[ "$(grep -c '"rule"' rt.json)" -eq 1 ] || fail "prune: one entry left"
grep -F '"rule": "sup.cookies"' rt-before.json | grep -F docs/r.md | sed 's/},$/}/' >want-entry
grep -F '"rule"' rt.json >got-entry
cmp -s want-entry got-entry || fail "prune: the cookie entry is kept unchanged"
! grep -qF '"sup.sell"' rt.json || fail "prune: the stale sell entry is dropped"
! grep -qF 'gone.md' rt.json || fail "prune: the deleted file's entry is dropped"
head -n 4 rt.json | tr -d '\n' | grep -qxF '{  "version": 1,  "tool": "zanlint",  "entries": [' ||
    fail "prune: the file keeps the baseline layout"
ls rt.json.* .rt.json* 2>/dev/null | grep -q . && fail "prune: a temporary file is left behind"
# the pruned baseline still works, and a second prune changes nothing
zl $SUP --baseline rt.json docs/r.md
expect_rc 1 "after pruning: the edited clause is still new"
expect_err "1 finding accepted, 0 stale entries" "after pruning: nothing stale"
cp rt.json rt-pruned.json
zl $SUP --baseline rt.json --prune-baseline docs/r.md
expect_err "pruned 0 stale findings (1 of 1 entry left)" "second prune note"
cmp -s rt.json rt-pruned.json || fail "a second prune rewrote the baseline"
# counts shrink to what is still found; entries of files not linted stay
printf 'Мы используем cookie.\n\nМы используем cookie.\n' >docs/d.md
zl $SUP --write-baseline dup.json docs/d.md docs/r.md
grep -qF '"path": "docs/d.md", "rule": "sup.cookies"' dup.json || fail "dup entry"
grep -F docs/d.md dup.json | grep -qF '"count": 2}' || fail "dup count 2"
printf 'Мы используем cookie.\n' >docs/d.md
zl $SUP --baseline dup.json --prune-baseline docs/d.md
expect_rc 0 "prune with a partly fixed duplicate"
grep -F docs/d.md dup.json | grep -qF '"count": 1}' || fail "prune: count lowered to 1"
[ "$(grep -c '"path": "docs/r.md"' dup.json)" -eq 2 ] || fail "prune: entries of unlinted files kept"
# usage errors
zl $SUP --prune-baseline docs/d.md
expect_rc 2 "--prune-baseline without --baseline"
expect_err "--prune-baseline needs --baseline FILE" "prune usage message"
zl $SUP --baseline dup.json --write-baseline x.json --prune-baseline docs/d.md
expect_rc 2 "--prune-baseline with --write-baseline"

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
