#!/bin/sh
# SARIF validated against the SARIF 2.1.0 schema (python3-jsonschema) and
# JUnit against junit.xsd (xmllint --schema) for every seed of
# tests/fixtures/seeds with the built-in pack, and for the edge cases: no
# findings, suppressed findings (an inline suppression in a .md with
# --include-suppressed), an input that failed to read (missing, empty).
# Beyond validity: SARIF results = JSON findings, JUnit failures = the rules
# with findings, and a negative control per validator so a validator that
# accepts anything fails the test.  Schema checks are skipped with a message
# when ../shared/schemas is absent (or fail when CI=true and a validator is
# missing).
. tests/cli/lib/common.sh

SCHEMAS=../shared/schemas
ASOF="--as-of 2026-11-22"
have_schemas=0
if [ ! -d "$SCHEMAS" ]; then
    echo "formats_seeds: skipped: $SCHEMAS not found (schema validation; structure still checked)"
elif ! python3 -c 'import jsonschema' 2>/dev/null || ! command -v xmllint >/dev/null 2>&1; then
    [ "${CI:-}" = true ] && fail "python3-jsonschema or xmllint missing (run scripts/install-deps)"
    echo "formats_seeds: skipped: python3-jsonschema or xmllint missing (run scripts/install-deps)"
else
    have_schemas=1
fi

n=0
# run NAME EXPECTED-RC ARGS...: writes $TMP/NAME.{sarif,xml,json} in one run
run() {
    _name=$1 _want=$2
    shift 2
    zl --lang en --format sarif -o "$TMP/$_name.sarif" --format junit -o "$TMP/$_name.xml" \
        --format json -o "$TMP/$_name.json" "$@"
    expect_rc "$_want" "$_name"
    for _e in sarif xml json; do
        [ -s "$TMP/$_name.$_e" ] || fail "$_name: empty or missing .$_e"
    done
    n=$((n + 1))
    echo "$_name" >>"$TMP/names"
}

: >"$TMP/names"
for s in tests/fixtures/seeds/*.txt; do
    b=$(basename "$s" .txt)
    # shellcheck disable=SC2086
    run "seed-$b" 1 $ASOF "$s"
done
[ "$n" -ge 5 ] || fail "only $n seeds"

# no findings: active rules, none violated
run none 0 --no-default-rules --rules tests/fixtures/rules/formats --as-of 2024-05-01 \
    tests/cli/data/formats/clean.txt
# suppressed findings, included
{
    printf '<!-- zanlint-disable kz94v.law-reference -- cited in the annex, LEG-12 -->\n\n'
    cat tests/fixtures/seeds/000_*.txt
} >"$TMP/policy.md"
# shellcheck disable=SC2086
run suppressed 1 $ASOF --include-suppressed "$TMP/policy.md"
# inputs that failed to read (missing, empty) next to a readable one
: >"$TMP/empty.txt"
# shellcheck disable=SC2086
run unreadable 2 $ASOF tests/fixtures/seeds/001_*.txt "$TMP/missing.txt" "$TMP/empty.txt"

# ---- schema validation ------------------------------------------------------
if [ "$have_schemas" = 1 ]; then
    # shellcheck disable=SC2046
    python3 - "$SCHEMAS/sarif-schema-2.1.0.json" $(sed 's|^\(.*\)$|'"$TMP"'/\1.sarif|' "$TMP/names") \
        <<'PY' || fail "SARIF schema validation"
import json, sys, copy
import jsonschema
schema = json.load(open(sys.argv[1], encoding="utf-8"))
cls = jsonschema.validators.validator_for(schema)
v = cls(schema)
bad = 0
for path in sys.argv[2:]:
    doc = json.load(open(path, encoding="utf-8"))
    errs = sorted(v.iter_errors(doc), key=lambda e: list(e.path))
    for e in errs[:5]:
        print(f"{path}: {'/'.join(map(str, e.path))}: {e.message}", file=sys.stderr)
    bad += bool(errs)
# negative control: a result with level "fatal" must be rejected
doc = json.load(open(sys.argv[2], encoding="utf-8"))
neg = copy.deepcopy(doc)
neg["runs"][0]["results"][0]["level"] = "fatal"
if v.is_valid(neg):
    print("negative control: the validator accepted level 'fatal'", file=sys.stderr)
    bad += 1
sys.exit(1 if bad else 0)
PY
    while read -r name; do
        xmllint --noout --schema "$SCHEMAS/junit.xsd" "$TMP/$name.xml" 2>"$TMP/v" ||
            { cat "$TMP/v" >&2; fail "$name: JUnit not valid against junit.xsd"; }
    done <"$TMP/names"
    sed 's/ hostname="[^"]*"//' "$TMP/none.xml" >"$TMP/neg.xml"
    if xmllint --noout --schema "$SCHEMAS/junit.xsd" "$TMP/neg.xml" 2>/dev/null; then
        fail "negative control: xmllint accepted a testsuite without hostname"
    fi
fi

# ---- content: the three formats agree -----------------------------------------
python3 - "$TMP" <<'PY' || fail "SARIF/JUnit content"
import json, sys, os
import xml.etree.ElementTree as ET
tmp = sys.argv[1]
names = open(os.path.join(tmp, "names"), encoding="utf-8").read().split()
for name in names:
    js = json.load(open(os.path.join(tmp, name + ".json"), encoding="utf-8"))
    sarif = json.load(open(os.path.join(tmp, name + ".sarif"), encoding="utf-8"))
    junit = ET.parse(os.path.join(tmp, name + ".xml")).getroot()
    findings = [(d["path"], f) for d in js["files"] for f in (d.get("findings") or [])]
    run = sarif["runs"][0]
    results = run["results"]
    assert len(results) == len(findings), (name, len(results), len(findings))
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    for r in results:
        assert ids[r["ruleIndex"]] == r["ruleId"], (name, r["ruleId"])
    active = set(ids)
    failing = {}
    for path, f in findings:
        if not f.get("suppressed"):
            failing.setdefault(path, set()).add(f["rule"])
    for suite in junit.iter("testsuite"):
        path = suite.get("name")
        got = {c.get("name") for c in suite.iter("testcase") if c.find("failure") is not None}
        if suite.find("testcase/error") is not None:
            continue
        assert got == failing.get(path, set()), (name, path, got, failing.get(path))
        names_in_suite = {c.get("name") for c in suite.iter("testcase")}
        # one test case per active pack rule (the zanlint.* meta rules aside)
        pack = lambda xs: {x for x in xs if not x.startswith("zanlint.")}
        assert pack(names_in_suite) == pack(active), (name, path, pack(names_in_suite) ^ pack(active))
    if name.startswith("seed-"):
        assert results, name + ": a seed without findings"
    if name == "none":
        assert not results and ids, "none: no results, some rules"
    if name == "suppressed":
        sup = [r for r in results if r.get("suppressions")]
        assert sup and all(r["ruleId"] == "kz94v.law-reference" for r in sup), sup
        assert sup[0]["suppressions"] == [{"kind": "inSource",
                                          "justification": "cited in the annex, LEG-12"}], sup[0]
        case = [c for c in junit.iter("testcase") if c.get("name") == "kz94v.law-reference"][0]
        assert case.find("skipped").get("message") == "suppressed: cited in the annex, LEG-12"
    if name == "unreadable":
        inv = run["invocations"][0]
        assert inv["executionSuccessful"] is False
        notes = inv["toolExecutionNotifications"]
        assert len(notes) == 2 and all(x["level"] == "error" for x in notes), notes
        errs = [c for c in junit.iter("testcase") if c.find("error") is not None]
        assert sorted(c.get("name") for c in errs) == ["zanlint.read", "zanlint.read"], errs
        assert len(list(junit.iter("testsuite"))) == 3
PY
echo "formats_seeds: ok ($n runs)"
