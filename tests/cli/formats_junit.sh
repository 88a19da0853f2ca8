#!/bin/sh
# --format junit: valid against the Ant JUnit schema (xmllint, with a
# negative control), one suite per input and one test case per active rule,
# failures = violated rules (with locations, message and article), skipped =
# rules whose `when` does not hold, an unreadable input = a suite with an
# <error>, fixed timestamp (--as-of) so runs are byte-identical.
. tests/cli/lib/common.sh

FMT="--no-default-rules --rules tests/fixtures/rules/formats --as-of 2024-05-01"
FD=tests/cli/data/formats
SCHEMAS=../shared/schemas
printf 'Данные детей мы собираем с согласия.\n' >"$TMP/kids.txt"

# shellcheck disable=SC2086
zl $FMT --format junit "$FD/sale.txt" "$FD/clean.txt" "$TMP/kids.txt" "$TMP/missing.txt"
expect_rc 2 "junit run with an unreadable input"
cp "$TMP/out" "$TMP/a.xml"
# shellcheck disable=SC2086
zl $FMT --format junit "$FD/sale.txt" "$FD/clean.txt" "$TMP/kids.txt" "$TMP/missing.txt"
cmp -s "$TMP/a.xml" "$TMP/out" || fail "JUnit differs between two runs"

if [ -d "$SCHEMAS" ] && command -v xmllint >/dev/null 2>&1; then
    xmllint --noout --schema "$SCHEMAS/junit.xsd" "$TMP/a.xml" 2>"$TMP/v" \
        || { cat "$TMP/v" >&2; fail "JUnit is not valid against the schema"; }
    # negative control: a suite without its required hostname is rejected
    sed 's/ hostname="localhost"//' "$TMP/a.xml" >"$TMP/bad.xml"
    if xmllint --noout --schema "$SCHEMAS/junit.xsd" "$TMP/bad.xml" 2>/dev/null; then
        fail "xmllint accepted a testsuite without hostname"
    fi
elif [ ! -d "$SCHEMAS" ]; then
    echo "formats_junit: skipped: $SCHEMAS not found (schema validation)"
else
    echo "formats_junit: skipped: xmllint not installed (run scripts/install-deps)"
fi

python3 - "$TMP/a.xml" "$TMP" <<'PY' || fail "JUnit content"
import sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
tmp = sys.argv[2]
assert root.tag == "testsuites"
suites = root.findall("testsuite")
assert [s.get("name") for s in suites] == ["tests/cli/data/formats/sale.txt",
    "tests/cli/data/formats/clean.txt", tmp + "/kids.txt", tmp + "/missing.txt"]
for i, s in enumerate(suites):
    assert s.get("id") == str(i) and s.get("timestamp") == "2024-05-01T00:00:00"
    cases = s.findall("testcase")
    assert int(s.get("tests")) == len(cases)
    assert int(s.get("failures")) == sum(1 for c in cases if c.find("failure") is not None)
    assert int(s.get("errors")) == sum(1 for c in cases if c.find("error") is not None)
    assert int(s.get("skipped")) == sum(1 for c in cases if c.find("skipped") is not None)
    for c in cases:
        assert c.get("classname") == s.get("name")
active = ["fmt.children", "fmt.consent", "fmt.cookies", "fmt.sale"]   # fmt.future: not in force
def outcome(c):
    for k in ("failure", "skipped", "error"):
        if c.find(k) is not None:
            return k
    return "passed"
got = {s.get("name").rsplit("/", 1)[1]: {c.get("name"): outcome(c) for c in s.findall("testcase")} for s in suites}
assert list(got["sale.txt"]) == active, got
assert got["sale.txt"] == {"fmt.children": "skipped", "fmt.consent": "failure",
                           "fmt.cookies": "failure", "fmt.sale": "failure"}, got
assert got["clean.txt"] == {"fmt.children": "skipped", "fmt.consent": "passed",
                            "fmt.cookies": "passed", "fmt.sale": "passed"}, got
assert got["kids.txt"] == {"fmt.children": "failure", "fmt.consent": "passed",
                           "fmt.cookies": "passed", "fmt.sale": "passed"}, got
assert got["missing.txt"] == {"zanlint.read": "error"}, got
f = [c for c in suites[0].findall("testcase") if c.get("name") == "fmt.sale"][0].find("failure")
assert f.get("type") == "error"
assert f.get("message").startswith("Текст допускает продажу персональных данных")
assert "tests/cli/data/formats/sale.txt:3:24: error:" in f.text and "(ст. 8, п. 1)" in f.text, f.text
PY

# File names XML 1.0 cannot carry as they are (a control byte, ill-formed
# UTF-8) still give a well-formed report: those bytes become U+FFFD, and
# markup characters are escaped.
cp "$FD/sale.txt" "$(printf '%s/ctl\001 & <x> "q".txt' "$TMP")"
cp "$FD/clean.txt" "$(printf '%s/latin\377\376.txt' "$TMP")"
# shellcheck disable=SC2086
zl $FMT --format junit "$TMP"
expect_rc 1 "junit run over odd file names"
python3 - "$TMP/out" "$TMP" <<'PY' || fail "JUnit with control bytes and ill-formed UTF-8 in file names"
import sys
import xml.etree.ElementTree as ET
raw = open(sys.argv[1], "rb").read()
raw.decode("utf-8")                       # strict: raises on ill-formed UTF-8
names = sorted(s.get("name") for s in ET.fromstring(raw).findall("testsuite"))
tmp = sys.argv[2]
want = sorted([tmp + '/ctl\ufffd & <x> "q".txt', tmp + "/latin\ufffd\ufffd.txt",
               tmp + "/kids.txt"])
assert names == want, names
PY

# A suppression comment without a reason fails zanlint.suppression-missing-reason
# (exit 1): the report has a failed test case for it, counted in the suite.
printf '# Политика\n\n<!-- zanlint-disable-next fmt.sale -->\nМы продаем данные.\n' >"$TMP/meta.md"
# shellcheck disable=SC2086
zl $FMT --format junit "$TMP/meta.md"
expect_rc 1 "junit run with a suppression comment without a reason"
cp "$TMP/out" "$TMP/meta.xml"
python3 - "$TMP/meta.xml" <<'PY' || fail "JUnit test case for a failed zanlint.* check"
import sys, xml.etree.ElementTree as ET
s = ET.parse(sys.argv[1]).getroot().find("testsuite")
cases = s.findall("testcase")
meta = [c for c in cases if c.get("name") == "zanlint.suppression-missing-reason"]
assert len(meta) == 1 and meta[0].find("failure") is not None, [c.get("name") for c in cases]
assert "meta.md:3:1: error:" in meta[0].find("failure").text, meta[0].find("failure").text
assert cases[-1] is meta[0]
assert int(s.get("tests")) == len(cases)
assert int(s.get("failures")) == sum(1 for c in cases if c.find("failure") is not None)
assert not [c for c in cases if c.get("name") == "zanlint.unused-suppression"]
PY
if [ -d "$SCHEMAS" ] && command -v xmllint >/dev/null 2>&1; then
    xmllint --noout --schema "$SCHEMAS/junit.xsd" "$TMP/meta.xml" 2>"$TMP/v" \
        || { cat "$TMP/v" >&2; fail "JUnit with a meta test case is not valid against the schema"; }
fi

# --enable/--disable: a disabled rule is not a test case
# shellcheck disable=SC2086
zl $FMT --disable fmt.cookies --format junit "$FD/clean.txt"
expect_rc 0 "junit clean run"
python3 -c '
import sys, xml.etree.ElementTree as ET
s = ET.parse(sys.argv[1]).getroot().find("testsuite")
assert [c.get("name") for c in s.findall("testcase")] == ["fmt.children", "fmt.consent", "fmt.sale"]
assert s.get("tests") == "3" and s.get("failures") == "0" and s.get("skipped") == "1"
' "$TMP/out" || fail "junit with --disable"
echo "formats_junit: ok"
