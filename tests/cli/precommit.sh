#!/bin/sh
# scripts/pre-commit as .git/hooks/pre-commit in a scratch repository: a
# commit adding a violating policy is refused, a clean one (or one with a
# reasoned suppression) is accepted.  Skipped when git is not installed.
. tests/cli/lib/common.sh
command -v git >/dev/null 2>&1 || { echo "git not installed: skipped"; exit 0; }
repo=$TMP/repo
git init -q "$repo" || fail "git init"
cp scripts/pre-commit "$repo/.git/hooks/pre-commit"
chmod +x "$repo/.git/hooks/pre-commit"
cp -r tests/fixtures/rules/suppress "$repo/rules"
printf 'no-default-rules = true\nrules = rules\nlang = en\n' >"$repo/.zanlint"
cd "$repo" || exit 1
git config user.email t@example.com
git config user.name t
export ZANLINT
# shellcheck disable=SC2086
git add .zanlint rules && git commit -q -m setup || fail "setup commit"

printf '# Policy\n\nМы продаем персональные данные партнерам.\n' >policy.md
git add policy.md
if git commit -q -m bad >"$TMP/out" 2>"$TMP/err"; then fail "violating policy committed"; fi
expect_err "commit refused" "hook message"
grep -qF "policy.md:3:4: error: The text allows selling personal data. [sup.sell]" "$TMP/out" "$TMP/err" ||
    fail "finding shown"
[ -z "$(git log --format=%s | grep -x bad)" ] || fail "no commit made"

printf '# Policy\n\n<!-- zanlint-disable-next sup.sell -- approved, LEG-7 -->\nМы продаем персональные данные партнерам.\n' >policy.md
git add policy.md
git commit -q -m suppressed >"$TMP/out" 2>"$TMP/err" || fail "suppressed policy refused"

printf 'Мы не раскрываем данные.\n' >clean.txt
git add clean.txt
git commit -q -m clean >"$TMP/out" 2>"$TMP/err" || fail "clean policy refused"
[ "$(git log --format=%s | head -n 1)" = clean ] || fail "clean commit recorded"
exit 0
