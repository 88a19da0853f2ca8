#!/bin/sh
# 1. Debian's real pre-commit framework with this tree's .pre-commit-hooks.yaml
#    (committed to a scratch hook repository that pre-commit clones offline
#    at its HEAD): `pre-commit run --files` fails on a policy with a
#    violation (the finding is shown) and passes on a clean one; the git hook
#    from `pre-commit install` does the same.  Without pre-commit: skipped,
#    or a failure when CI=true.
# 2. scripts/pre-commit as .git/hooks/pre-commit in a scratch repository: a
#    commit adding a violating policy is refused, a clean one (or one with a
#    reasoned suppression) is accepted.  Skipped when git is not installed.
# Every git and pre-commit command runs in a directory under $TMP.
. tests/cli/lib/common.sh
command -v git >/dev/null 2>&1 || { echo "git not installed: skipped"; exit 0; }
: "${TMP:?}"
GIT_CONFIG_NOSYSTEM=1
HOME=$TMP/home
XDG_CACHE_HOME=$TMP/cache
export GIT_CONFIG_NOSYSTEM HOME XDG_CACHE_HOME
mkdir -p "$HOME"
git config --global user.email t@example.com
git config --global user.name t

# ---- 1. the pre-commit framework ----------------------------------------------
if ! command -v pre-commit >/dev/null 2>&1; then
    if [ "${CI:-}" = true ]; then
        fail "pre-commit is not installed (Debian package pre-commit; scripts/install-deps installs it)"
    fi
    echo "pre-commit not installed: framework part skipped (scripts/install-deps installs it)"
else
    hooks=$TMP/hooks-repo
    git init -q "$hooks" || fail "git init (hook repository)"
    cp .pre-commit-hooks.yaml "$hooks/" || fail "copy .pre-commit-hooks.yaml"
    (cd "$hooks" && git add .pre-commit-hooks.yaml && git commit -q -m hooks) ||
        fail "hook repository commit"
    rev=$(cd "$hooks" && git rev-parse HEAD) || fail "hook repository HEAD"
    # `language: system`: zanlint must be on PATH
    mkdir "$TMP/bin" && ln -s "$ZANLINT" "$TMP/bin/zanlint" || fail "PATH setup"
    PRE_COMMIT_HOME=$TMP/pc-home
    export PRE_COMMIT_HOME
    pc=$TMP/pc-repo
    git init -q "$pc" || fail "git init (policy repository)"
    cp -r tests/fixtures/rules/suppress "$pc/rules"
    printf 'no-default-rules = true\nrules = rules\nlang = en\n' >"$pc/.zanlint"
    printf 'repos:\n  - repo: %s\n    rev: %s\n    hooks:\n      - id: zanlint\n' \
        "$hooks" "$rev" >"$pc/.pre-commit-config.yaml"
    printf '# Policy\n\nМы продаем персональные данные партнерам.\n' >"$pc/bad.md"
    printf '# Policy\n\nМы не раскрываем данные третьим лицам.\n' >"$pc/policy.md"
    printf 'print("Мы продаем персональные данные партнерам")\n' >"$pc/tool.py"
    (cd "$pc" && git add .zanlint rules .pre-commit-config.yaml && git commit -q -m setup) ||
        fail "policy repository setup"
    pcrun() { # ARGS: pre-commit in the policy repository, proxies pointing nowhere
        (cd "$pc" && PATH=$TMP/bin:$PATH http_proxy=http://127.0.0.1:9 \
            https_proxy=http://127.0.0.1:9 pre-commit "$@") >"$TMP/out" 2>"$TMP/err"
        rc=$?
    }
    pcrun run --files bad.md
    [ "$rc" -ne 0 ] || fail "pre-commit passed a policy with a violation"
    expect_out "zanlint (privacy policies, Law 94-V)" "hook name shown"
    expect_out "Failed" "hook reported as failed"
    expect_out "bad.md:3:4: error: The text allows selling personal data. [sup.sell]" \
        "pre-commit output shows the finding"
    pcrun run --files policy.md
    expect_rc 0 "pre-commit on a clean policy"
    expect_out "Passed" "hook reported as passed"
    pcrun run --files tool.py
    expect_rc 0 "pre-commit on a .py file"
    expect_out "(no files to check)" "a .py file is not passed to zanlint"
    # the git hook written by `pre-commit install`
    pcrun install
    expect_rc 0 "pre-commit install"
    [ -x "$pc/.git/hooks/pre-commit" ] || fail "pre-commit install wrote no hook"
    if (cd "$pc" && git add bad.md && PATH=$TMP/bin:$PATH git commit -q -m bad) \
        >"$TMP/out" 2>&1; then
        fail "pre-commit's git hook accepted a violating policy"
    fi
    expect_out "bad.md:3:4: error:" "git hook output shows the finding"
    (cd "$pc" && git rm -q --cached bad.md && git add policy.md &&
        PATH=$TMP/bin:$PATH git commit -q -m clean) >"$TMP/out" 2>&1 ||
        fail "pre-commit's git hook refused a clean policy"
    [ "$(cd "$pc" && git log --format=%s | head -n 1)" = clean ] || fail "clean commit recorded"
fi

# ---- 2. scripts/pre-commit as a plain git hook --------------------------------
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
