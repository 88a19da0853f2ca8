#!/bin/sh
# --format github and --format gitlab: GitHub workflow commands with their
# escaping (message: % CR LF; properties also : and ,), severities mapped to
# error/warning/notice; GitLab Code Quality JSON with the documented fields,
# severity mapping and unique fingerprints; both deterministic.
. tests/cli/lib/common.sh

FMT="--no-default-rules --rules tests/fixtures/rules/formats --as-of 2024-05-01"
FD=tests/cli/data/formats

# a rule whose message has a comma, a colon, a newline and a percent sign,
# on a file whose name has a comma and a colon
cat >"$TMP/esc.rules" <<'R'
pack esc version "1"
rule esc.odd {
  severity warning
  message ru "Итог: 50%, см.\nниже"
  forbid "прода*" in sentence
  pass "Ничего."
  fail "Мы продаем данные."
}
R
printf 'Мы продаем данные.\n' >"$TMP/a,b:c.txt"
zl --no-default-rules --rules "$TMP/esc.rules" --format github "$TMP/a,b:c.txt"
expect_rc 0 "github run with a warning (fail-on error)"
want="::warning file=$(printf '%s' "$TMP" | sed 's/%/%25/g; s/:/%3A/g; s/,/%2C/g')/a%2Cb%3Ac.txt,line=1,col=4,endLine=1,endColumn=10,title=esc.odd::Итог: 50%25, см.%0Aниже"
printf '%s\n' "$want" >"$TMP/want"
cmp -s "$TMP/want" "$TMP/out" || { diff "$TMP/want" "$TMP/out" >&2; fail "github escaping"; }

# shellcheck disable=SC2086
zl $FMT --format github --lang en "$FD/sale.txt" "$FD/clean.txt" "$TMP/missing.txt"
expect_rc 2 "github run with an unreadable input"
cat >"$TMP/want" <<EOT
::warning file=$FD/sale.txt,line=1,col=1,endLine=1,endColumn=8,title=fmt.consent::Не сказано, как получается согласие. (ст. 7)
::notice file=$FD/sale.txt,line=3,col=15,endLine=3,endColumn=20,title=fmt.cookies::Упомянуты cookie.
::error file=$FD/sale.txt,line=3,col=24,endLine=3,endColumn=30,title=fmt.sale::The text allows selling personal data: 100%25 forbidden, see art. 8 (ст. 8, п. 1)
::error file=$(printf '%s' "$TMP" | sed 's/:/%3A/g; s/,/%2C/g')/missing.txt,title=zanlint::cannot open: No such file or directory
EOT
cmp -s "$TMP/want" "$TMP/out" || { diff "$TMP/want" "$TMP/out" >&2; fail "github annotations"; }

# GitLab Code Quality: the same phrase twice in one file gives two issues
# with different fingerprints
printf 'Мы продаем данные.\n\nМы продаем данные.\n' >"$TMP/twice.txt"
# shellcheck disable=SC2086
zl $FMT --format gitlab "./$FD/sale.txt" "$FD/clean.txt" "$TMP/twice.txt"
expect_rc 1 "gitlab run"
cp "$TMP/out" "$TMP/a.json"
# shellcheck disable=SC2086
zl $FMT --format gitlab "./$FD/sale.txt" "$FD/clean.txt" "$TMP/twice.txt"
cmp -s "$TMP/a.json" "$TMP/out" || fail "gitlab output differs between two runs"
python3 - "$TMP/a.json" "$TMP" <<'PY' || fail "gitlab content"
import json, re, sys
issues = json.load(open(sys.argv[1], encoding="utf-8"))
tmp = sys.argv[2]
assert isinstance(issues, list)
got = [(i["check_name"], i["severity"], i["location"]["path"], i["location"]["lines"]["begin"]) for i in issues]
assert got == [
    ("fmt.consent", "major", "tests/cli/data/formats/sale.txt", 1),
    ("fmt.cookies", "info", "tests/cli/data/formats/sale.txt", 3),
    ("fmt.sale", "critical", "tests/cli/data/formats/sale.txt", 3),
    ("fmt.consent", "major", tmp + "/twice.txt", 1),
    ("fmt.sale", "critical", tmp + "/twice.txt", 1),
    ("fmt.sale", "critical", tmp + "/twice.txt", 3),
], got
for i in issues:
    assert set(i) == {"description", "check_name", "fingerprint", "severity", "location"}, i
    assert re.fullmatch(r"[0-9a-f]{32}", i["fingerprint"]), i["fingerprint"]
    assert i["location"]["lines"]["end"] >= i["location"]["lines"]["begin"]
    assert i["description"]
fps = [i["fingerprint"] for i in issues]
assert len(set(fps)) == len(fps), fps
assert issues[2]["description"].endswith("(ст. 8, п. 1)"), issues[2]
PY
# shellcheck disable=SC2086
zl $FMT --format gitlab "$FD/clean.txt"
expect_rc 0 "gitlab clean run"
printf '[]\n' >"$TMP/want"
cmp -s "$TMP/want" "$TMP/out" || fail "gitlab: a clean run is an empty array"
echo "formats_ci: ok"
