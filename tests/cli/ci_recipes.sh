#!/bin/sh
# The recipes of docs/ci.md, offline: each block marked <!-- recipe: NAME -->
# gives its zanlint command (a YAML folded scalar, a Groovy sh '...', or a
# shell line), which runs on a sample policy in a scratch policies/ directory
# with `zanlint` and `build/zanlint` being the binary under test; every
# report file the block references (sarif_file:, codequality:, junit:,
# junit '...', sarif(pattern: '...'), reports/...) must then exist, be non-empty
# and valid (SARIF schema, junit.xsd, Code Quality JSON).  The pre-commit
# block's hook id must be the one of .pre-commit-hooks.yaml and its args must
# work.  scripts/ci-lint.sh runs in a scratch git repository: changed files
# only, reports written, zanlint's exit status.
. tests/cli/lib/common.sh
command -v git >/dev/null 2>&1 || { echo "ci_recipes: git not installed: skipped"; exit 0; }
SCHEMAS=$ROOT/../shared/schemas
validate=1
if [ ! -d "$SCHEMAS" ]; then
    echo "ci_recipes: $SCHEMAS not found: schema validation skipped (JSON/XML still parsed)"
    validate=0
elif ! python3 -c 'import jsonschema' 2>/dev/null || ! command -v xmllint >/dev/null 2>&1; then
    [ "${CI:-}" = true ] && fail "python3-jsonschema or xmllint missing (run scripts/install-deps)"
    echo "ci_recipes: python3-jsonschema or xmllint missing: schema validation skipped"
    validate=0
fi

# extract NAME: the recipe's zanlint command into $TMP/NAME.cmd, the report
# paths it references into $TMP/NAME.files, the block into $TMP/NAME.block
python3 - docs/ci.md "$TMP" <<'PY' || fail "docs/ci.md recipes"
import re, sys, os
text = open(sys.argv[1], encoding="utf-8").read()
tmp = sys.argv[2]
blocks = re.findall(r"<!-- recipe: ([\w-]+) -->\n```\w*\n(.*?)\n```", text, re.S)
names = [n for n, _ in blocks]
want = ["github", "gitlab", "jenkins", "pre-commit", "shell"]
assert sorted(names) == sorted(want), names
for name, body in blocks:
    open(os.path.join(tmp, name + ".block"), "w", encoding="utf-8").write(body + "\n")
    lines = body.split("\n")
    cmd = None
    for i, line in enumerate(lines):
        s = line.strip()
        s = re.sub(r"^- ", "", s)
        s = re.sub(r"^run: ", "", s)
        if s in (">", "|"):
            continue
        m = re.match(r"^sh '(.*)'$", s)
        if m:
            s = m.group(1)
        first = s.split(" ")[0] if s else ""
        if first in ("zanlint", "build/zanlint") or \
                (not s.startswith("#") and re.search(r"(^| )scripts/ci-lint\.sh( |$)", s)):
            indent = len(line) - len(line.lstrip())
            parts = [s]
            for nxt in lines[i + 1:]:
                ni = len(nxt) - len(nxt.lstrip())
                ns = nxt.strip()
                if not ns or ni != indent or ns.startswith("- ") or re.match(r"^[\w-]+:( |$)", ns):
                    break
                parts.append(ns)
            cmd = " ".join(parts)
            break
    files = set()
    for pat in (r"sarif_file: (\S+)", r"codequality: (\S+)", r"^\s*junit: (\S+)",
                r"junit '([^']+)'", r"sarif\(pattern: '([^']+)'\)", r"(reports/\S+)"):
        files.update(re.findall(pat, body, re.M))
    open(os.path.join(tmp, name + ".cmd"), "w", encoding="utf-8").write((cmd or "") + "\n")
    open(os.path.join(tmp, name + ".files"), "w", encoding="utf-8").write(
        "".join(f + "\n" for f in sorted(files)))
    if name != "pre-commit":
        assert cmd, name + ": no zanlint command found"
        assert files, name + ": no report file referenced"
PY
for n in github gitlab jenkins; do
    grep -q -- "--output" "$TMP/$n.cmd" || fail "$n: the command writes no report: $(cat "$TMP/$n.cmd")"
done
grep -qx "sarif_file: zanlint.sarif" "$TMP/github.files" ||
    { grep -qx "zanlint.sarif" "$TMP/github.files" || fail "github: upload-sarif file"; }
grep -q "github/codeql-action/upload-sarif@" "$TMP/github.block" || fail "github: upload-sarif step"
grep -q "security-events: write" "$TMP/github.block" || fail "github: security-events permission"
grep -q "recordIssues tool: sarif(pattern:" "$TMP/jenkins.block" || fail "jenkins: warnings-ng sarif"

# a scratch CI workspace: policies/ with one violating policy, the binary
# as zanlint (PATH) and build/zanlint
ws=$TMP/ws
mkdir -p "$ws/policies" "$ws/build" "$TMP/bin"
cp tests/fixtures/seeds/000_*.txt "$ws/policies/privacy.md"
cp tests/cli/data/formats/clean.txt "$ws/policies/clean.txt"
ln -s "$ZANLINT" "$ws/build/zanlint"
ln -s "$ZANLINT" "$TMP/bin/zanlint"

# check_reports NAME: every referenced file exists, is non-empty and valid
check_reports() {
    while read -r f; do
        [ -n "$f" ] || continue
        p=$ws/$f
        [ -s "$p" ] || fail "$1: the recipe references $f, which was not written (or is empty)"
        case $f in
        *.sarif)
            python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["version"]=="2.1.0" and d["runs"][0]["results"]' "$p" ||
                fail "$1: $f is not a SARIF log with results"
            if [ "$validate" = 1 ]; then
                python3 -m jsonschema -i "$p" "$SCHEMAS/sarif-schema-2.1.0.json" 2>"$TMP/v" ||
                    { cat "$TMP/v" >&2; fail "$1: $f not valid SARIF 2.1.0"; }
            fi ;;
        *.xml)
            if [ "$validate" = 1 ]; then
                xmllint --noout --schema "$SCHEMAS/junit.xsd" "$p" 2>"$TMP/v" ||
                    { cat "$TMP/v" >&2; fail "$1: $f not valid against junit.xsd"; }
            fi
            grep -q "<failure" "$p" || fail "$1: $f has no failure for the violating policy" ;;
        *.json)
            python3 - "$p" <<'PY' || fail "$1: $f is not GitLab Code Quality JSON"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
assert isinstance(d, list) and d
for i in d:
    assert {"description", "check_name", "fingerprint", "severity", "location"} <= set(i)
    assert i["severity"] in ("info", "minor", "major", "critical", "blocker")
    assert i["location"]["path"].startswith("policies/") and i["location"]["lines"]["begin"] >= 1
PY
            ;;
        *) fail "$1: unexpected report $f" ;;
        esac
    done <"$TMP/$1.files"
}

for n in github gitlab jenkins; do
    rm -f "$ws"/*.sarif "$ws"/*.xml "$ws"/*.json
    (cd "$ws" && PATH=$TMP/bin:$PATH sh -c "$(cat "$TMP/$n.cmd")") >"$TMP/out" 2>"$TMP/err"
    rc=$?
    case $n in
    jenkins) expect_rc 0 "jenkins: '|| test \$? -eq 1' turns findings into 0" ;;
    *) expect_rc 1 "$n: the violating policy fails the step" ;;
    esac
    check_reports "$n"
done
# the github step prints workflow commands, gitlab and jenkins the text report
(cd "$ws" && PATH=$TMP/bin:$PATH sh -c "$(cat "$TMP/github.cmd")") >"$TMP/out" 2>"$TMP/err"
grep -q "^::warning file=policies/privacy.md,line=" "$TMP/out" || fail "github: annotations"

# pre-commit: the hook id exists and the args work
id=$(sed -n 's/^- id: *//p' .pre-commit-hooks.yaml)
grep -q "id: $id\$" "$TMP/pre-commit.block" || fail "pre-commit: the recipe's hook id is not '$id'"
args=$(sed -n 's/.*args: \[\(.*\)\].*/\1/p' "$TMP/pre-commit.block" | tr -d ',')
[ -n "$args" ] || fail "pre-commit: no args in the recipe"
# shellcheck disable=SC2086
(cd "$ws" && "$ZANLINT" $args policies/clean.txt) >"$TMP/out" 2>"$TMP/err"
expect_rc 0 "pre-commit: the recipe's args on a clean policy"

# ---- the plain shell script ------------------------------------------------------
repo=$TMP/repo
git init -q "$repo" || fail "git init"
cp tests/cli/data/formats/clean.txt "$repo/clean.txt"
mkdir "$repo/docs"
printf 'Мы используем cookie.\n' >"$repo/docs/old.md"
(cd "$repo" && git add . && git -c user.email=t@example.com -c user.name=t commit -q -m base) ||
    fail "base commit"
run_ci() { # ARGS: scripts/ci-lint.sh in $repo
    (cd "$repo" && ZANLINT=$ZANLINT ZANLINT_ARGS="--no-default-rules --rules $ROOT/tests/fixtures/rules/formats --as-of 2024-05-01" \
        sh "$ROOT/scripts/ci-lint.sh" "$@") >"$TMP/out" 2>"$TMP/err"
    rc=$?
}
run_ci HEAD
expect_rc 0 "ci-lint: nothing changed"
expect_err "0 changed policy file(s) since HEAD" "ci-lint: nothing changed note"
[ -s "$repo/zanlint.sarif" ] && [ -s "$repo/zanlint-junit.xml" ] || fail "ci-lint: empty reports written"
if [ "$validate" = 1 ]; then
    python3 -m jsonschema -i "$repo/zanlint.sarif" "$SCHEMAS/sarif-schema-2.1.0.json" 2>/dev/null ||
        fail "ci-lint: empty SARIF invalid"
    xmllint --noout --schema "$SCHEMAS/junit.xsd" "$repo/zanlint-junit.xml" 2>/dev/null ||
        fail "ci-lint: empty JUnit invalid"
fi
cp tests/cli/data/formats/sale.txt "$repo/docs/new policy.md"
printf 'print("not a policy")\n' >"$repo/tool.py"
(cd "$repo" && git add . && git -c user.email=t@example.com -c user.name=t commit -q -m change) ||
    fail "change commit"
run_ci HEAD~1
expect_rc 1 "ci-lint: zanlint's exit status for a violating changed policy"
expect_err "1 changed policy file(s) since HEAD~1" "ci-lint: only the changed policy"
expect_out "docs/new policy.md:" "ci-lint: the text report"
expect_no_out "old.md" "ci-lint: unchanged files not linted"
grep -q 'new%20policy.md' "$repo/zanlint.sarif" || fail "ci-lint: SARIF for the changed file"
grep -q '<failure' "$repo/zanlint-junit.xml" || fail "ci-lint: JUnit failure"
# the recipe's own line: ZANLINT_OUT, ZANLINT_ARGS and a base revision
(cd "$repo" && PATH=$TMP/bin:$PATH sh -c "$(sed "s|scripts/ci-lint.sh|sh $ROOT/scripts/ci-lint.sh|" "$TMP/shell.cmd")") >"$TMP/out" 2>"$TMP/err"
rc=$?
[ "$rc" -eq 1 ] || [ "$rc" -eq 2 ] || fail "ci-lint recipe line: exit $rc"
# origin/main does not exist here: the recipe line must fail with 2, not pass
[ "$rc" -eq 2 ] && expect_err "cannot diff against 'origin/main'" "ci-lint: a bad base is an error"
(cd "$repo" && git update-ref refs/remotes/origin/main HEAD~1) || fail "fake origin/main"
(cd "$repo" && PATH=$TMP/bin:$PATH sh -c "$(sed "s|scripts/ci-lint.sh|sh $ROOT/scripts/ci-lint.sh|; s|--fail-on warning|--fail-on warning --no-default-rules --rules $ROOT/tests/fixtures/rules/formats --as-of 2024-05-01|" "$TMP/shell.cmd")") >"$TMP/out" 2>"$TMP/err"
rc=$?
expect_rc 1 "ci-lint recipe line against origin/main"
ws=$repo
check_reports shell
run_ci
expect_rc 1 "ci-lint without a base lints every policy file"
expect_out "docs/old.md" "ci-lint: POLICY_DIR walk"
(cd "$repo" && ZANLINT=$TMP/nope sh "$ROOT/scripts/ci-lint.sh" HEAD) >/dev/null 2>&1
[ $? -ne 0 ] || fail "ci-lint: a missing binary must fail"
echo "ci_recipes: ok"
