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
meta = ["zanlint.suppression-missing-reason", "zanlint.suppression-unknown-rule",
        "zanlint.suppression-invalid", "zanlint.unused-suppression"]
for s in suites[:3]:    # zanlint's own checks follow the rules, passed
    assert [(c.get("name"), outcome(c)) for c in s.findall("testcase")][-4:] == \
        [(m, "passed") for m in meta], s.get("name")
got = {s.get("name").rsplit("/", 1)[1]: {c.get("name"): outcome(c) for c in s.findall("testcase")
                                         if c.get("name") not in meta} for s in suites}
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

# zanlint's own checks of suppression comments are test cases like the rules:
# after the pack's, in their order, passed when they find nothing.  A comment
# without a reason fails zanlint.suppression-missing-reason (exit 1): the
# report has a failed test case for it, counted in the suite.
META="zanlint.suppression-missing-reason zanlint.suppression-unknown-rule zanlint.suppression-invalid zanlint.unused-suppression"
printf '# Политика\n\n<!-- zanlint-disable-next fmt.sale -->\nМы продаем данные.\n' >"$TMP/meta.md"
# shellcheck disable=SC2086
zl $FMT --format junit "$TMP/meta.md"
expect_rc 1 "junit run with a suppression comment without a reason"
cp "$TMP/out" "$TMP/meta.xml"
python3 - "$TMP/meta.xml" $META <<'PY' || fail "JUnit test cases of the zanlint.* checks"
import sys, xml.etree.ElementTree as ET
s = ET.parse(sys.argv[1]).getroot().find("testsuite")
cases = s.findall("testcase")
assert [c.get("name") for c in cases][-4:] == sys.argv[2:], [c.get("name") for c in cases]
meta = [c for c in cases if c.get("name") == "zanlint.suppression-missing-reason"]
assert len(meta) == 1 and meta[0].find("failure") is not None, [c.get("name") for c in cases]
assert "meta.md:3:1: error:" in meta[0].find("failure").text, meta[0].find("failure").text
for c in cases[-3:]:
    assert len(c) == 0, c.get("name") + " has a child"   # passed
assert int(s.get("tests")) == len(cases)
assert int(s.get("failures")) == sum(1 for c in cases if c.find("failure") is not None)
PY
if [ -d "$SCHEMAS" ] && command -v xmllint >/dev/null 2>&1; then
    xmllint --noout --schema "$SCHEMAS/junit.xsd" "$TMP/meta.xml" 2>"$TMP/v" \
        || { cat "$TMP/v" >&2; fail "JUnit with a meta test case is not valid against the schema"; }
fi

# --enable/--disable: a disabled rule is not a test case, a zanlint.* check
# neither
# shellcheck disable=SC2086
zl $FMT --disable fmt.cookies --format junit "$FD/clean.txt"
expect_rc 0 "junit clean run"
python3 -c '
import sys, xml.etree.ElementTree as ET
s = ET.parse(sys.argv[1]).getroot().find("testsuite")
assert [c.get("name") for c in s.findall("testcase")] == ["fmt.children", "fmt.consent", "fmt.sale"] + sys.argv[2:]
assert s.get("tests") == "7" and s.get("failures") == "0" and s.get("skipped") == "1"
' "$TMP/out" $META || fail "junit with --disable"
# shellcheck disable=SC2086
zl $FMT --disable 'zanlint.*' --enable zanlint.unused-suppression --format junit "$FD/clean.txt"
python3 -c '
import sys, xml.etree.ElementTree as ET
s = ET.parse(sys.argv[1]).getroot().find("testsuite")
names = [c.get("name") for c in s.findall("testcase")]
assert names == ["fmt.children", "fmt.consent", "fmt.cookies", "fmt.sale", "zanlint.unused-suppression"], names
assert s.get("tests") == "5"
' "$TMP/out" || fail "junit with --disable zanlint.*"
# per document: a [path:] section of the configuration turns a check off for
# the documents it matches only
mkdir "$TMP/cfg"
cp "$FD/clean.txt" "$TMP/cfg/a.txt"
cp "$FD/clean.txt" "$TMP/cfg/b.txt"
printf '[path:a.txt]\ndisable = zanlint.unused-suppression\n' >"$TMP/cfg/.zanlint"
# shellcheck disable=SC2086
zl $FMT --config "$TMP/cfg/.zanlint" --format junit "$TMP/cfg/a.txt" "$TMP/cfg/b.txt"
expect_rc 0 "junit run with a [path:] section"
cp "$TMP/out" "$TMP/sec.xml"
python3 -c '
import sys, xml.etree.ElementTree as ET
a, b = ET.parse(sys.argv[1]).getroot().findall("testsuite")
meta = lambda s: [c.get("name") for c in s.findall("testcase") if c.get("name").startswith("zanlint.")]
assert meta(a) == sys.argv[2:5], meta(a)
assert meta(b) == sys.argv[2:], meta(b)
assert a.get("tests") == "7" and b.get("tests") == "8", (a.get("tests"), b.get("tests"))
' "$TMP/sec.xml" $META || fail "junit: zanlint.* checks per document"
if [ -d "$SCHEMAS" ] && command -v xmllint >/dev/null 2>&1; then
    xmllint --noout --schema "$SCHEMAS/junit.xsd" "$TMP/sec.xml" 2>"$TMP/v" \
        || { cat "$TMP/v" >&2; fail "JUnit with passed zanlint.* test cases is not valid"; }
fi
echo "formats_junit: ok"
